#!/bin/sh
# deps.sh — make sure the build dependencies are installed.  As root it
# installs what is missing with apt-get; otherwise it prints the exact
# command to run and fails.  Called by `make demo` and `make check`.
# Usage: tools/deps.sh [extra Debian packages...]
set -u
missing=""
command -v re2c >/dev/null 2>&1 || missing="$missing re2c"
command -v lemon >/dev/null 2>&1 || missing="$missing lemon"
[ -f /usr/include/cmocka.h ] || missing="$missing libcmocka-dev"
[ -f /usr/include/xxhash.h ] || missing="$missing libxxhash-dev"
command -v cc >/dev/null 2>&1 || missing="$missing gcc"
command -v make >/dev/null 2>&1 || missing="$missing make"
for pkg in "$@"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "deps: installing$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq $missing >/dev/null || {
    echo "deps: apt-get failed; run: apt-get install -y$missing" >&2
    exit 1
  }
  exit 0
fi
echo "deps: missing build dependencies. Run:" >&2
echo "  sudo apt-get install -y$missing" >&2
exit 1

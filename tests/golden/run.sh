#!/bin/sh
# run.sh RUBRIC — golden tests of the command line.  Each folder under
# tests/golden/cases/ holds `cmd` (a shell fragment run from the repository
# root, with $RUBRIC naming the binary) and what it must produce: `stdout`,
# `stderr` and `status` (a missing file means empty output, status 0).
# Every expected file is written by hand from the rules; the derivations
# are comments in `cmd`.  Prints a diff for each failure, then
# 'golden: N passed, N failed'.  Each case runs under a time limit
# (GOLDEN_TIMEOUT seconds, 60 by default, or the number in the case's own
# `timeout` file for the few that build huge programs, scaled by
# TIMEOUT_SCALE percent): a case that hangs fails with a TIMEOUT line.
set -u
RUBRIC=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
export RUBRIC
cd "$(dirname "$0")/../.." || exit 2
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for dir in tests/golden/cases/*/; do
  name=$(basename "$dir")
  base=${GOLDEN_TIMEOUT:-60}
  [ -f "$dir/timeout" ] && base=$(cat "$dir/timeout")
  limit=$(( base * ${TIMEOUT_SCALE:-100} / 100 ))
  [ "$limit" -ge 1 ] || limit=1
  timeout -k 5 "$limit" sh "$dir/cmd" >"$tmp/stdout" 2>"$tmp/stderr" </dev/null
  rc=$?
  echo $rc >"$tmp/status"
  if [ $rc = 124 ] || [ $rc = 137 ]; then
    echo "FAIL $name"
    echo "TIMEOUT: golden case $name did not finish within $limit s"
    fail=$((fail + 1))
    continue
  fi
  ok=1
  for f in stdout stderr status; do
    want="$dir/$f"
    if [ ! -f "$want" ]; then
      want="$tmp/empty.$f"
      if [ "$f" = status ]; then echo 0 >"$want"; else : >"$want"; fi
    fi
    if ! cmp -s "$want" "$tmp/$f"; then
      [ $ok = 1 ] && echo "FAIL $name"
      ok=0
      echo "--- $f: expected (<) vs actual (>)"
      diff "$want" "$tmp/$f" | head -40
    fi
  done
  if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "golden: $pass passed, $fail failed"
[ "$fail" = 0 ]

#!/bin/sh
# docs.sh RUBRIC — the documentation's examples are real.  Every fenced
# block in README.md and docs/*.md whose first line is `$ COMMAND` is run
# from the repository root (the word `rubric` or `build/rubric` at the start
# of COMMAND, or after a `| `, means the binary under test, so an example
# may pipe an edited program into it), and its standard output and
# standard error, together, must be the rest of the block.  A line `...` in
# the block (indented or not) stands for any number of lines, so an example may show the head
# and the tail of a long output.  Every `rubric` command that docs/ci.md
# tells a CI pipeline to run is run too, against this repository's
# programs/, and must succeed (status 0; `rubric diff`, 0 or 1).
# Prints a line per failure and ends with 'docs: N passed, N failed'.
set -u
RUBRIC=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.." || exit 2
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Splits a markdown file into the examples it holds: for each fenced block
# starting with "$ ", writes tmp/ex.N.cmd (the command) and tmp/ex.N.want.
extract() {
  awk -v dir="$tmp" -v file="$1" '
    /^```/ { if (inblock) { if (n) close(want); inblock = 0; n = 0; next }
             inblock = 1; first = 1; next }
    inblock && first { first = 0
      if ($0 ~ /^\$ /) { k++; n = 1; want = dir "/ex." k ".want"
        cmd = substr($0, 3); print cmd > (dir "/ex." k ".cmd"); close(dir "/ex." k ".cmd")
        print file ":" NR > (dir "/ex." k ".where"); close(dir "/ex." k ".where")
        printf "" > want }
      next }
    inblock && n { print > want }'
}

# Compares actual output ($1) with the expected block ($2), where a line
# "..." matches any run of lines (shortest first, with backtracking).
matches() {
  awk -v wantf="$2" '
    BEGIN { while ((getline l < wantf) > 0) w[++nw] = l }
    { a[++na] = $0 }
    function m(i, j,   k) {
      if (i > nw) return j > na
      if (w[i] ~ /^ *\.\.\.$/) { for (k = j; k <= na + 1; k++) if (m(i + 1, k)) return 1; return 0 }
      return j <= na && a[j] == w[i] && m(i + 1, j + 1)
    }
    END { exit m(1, 1) ? 0 : 1 }' "$1"
}

for f in README.md docs/*.md; do
  rm -f "$tmp"/ex.*
  extract "$f" <"$f"
  for c in "$tmp"/ex.*.cmd; do
    [ -f "$c" ] || continue
    base=${c%.cmd}
    cmd=$(sed 's|^build/rubric |rubric |; s|^rubric |"$RUBRIC" |; s/| rubric /| "$RUBRIC" /g' "$c")
    (eval "$cmd") >"$base.got" 2>&1 </dev/null
    if matches "$base.got" "$base.want"; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1))
      echo "FAIL $(cat "$base.where"): \$ $(cat "$c")"
      diff "$base.want" "$base.got" | head -20
    fi
  done
done

# docs/ci.md's commands, as a pipeline would run them on this repository.
{ sed -n 's/.*| `\(rubric [^`]*\)` |.*/\1/p' docs/ci.md
  sed -n 's/^ *run: \(rubric .*\)$/\1/p' docs/ci.md; } | sort -u >"$tmp/ci"
while read -r line; do
  case $line in
    "rubric diff "*) continue ;;        # needs two versions: run below
  esac
  cmd=$(echo "$line" | sed 's|^rubric |"$RUBRIC" |; s|rubric-tests.xml|"$tmp/rubric-tests.xml"|')
  if (eval "$cmd") >"$tmp/ci.got" 2>&1 </dev/null; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL docs/ci.md: $line"; tail -5 "$tmp/ci.got"
  fi
done <"$tmp/ci"
# rubric diff OLD NEW: a program against itself says nothing changed (0).
if "$RUBRIC" diff programs/zoho/zoho.rubric programs/zoho/zoho.rubric >"$tmp/ci.got" 2>&1; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL docs/ci.md: rubric diff"; tail -5 "$tmp/ci.got"
fi
echo "docs: $pass passed, $fail failed"
[ "$fail" = 0 ]

#!/bin/sh
# faults.sh BUILD_DIR — fault injection, as SQLite tests malloc failures.
# BUILD_DIR/tests/rubric-faults is rubric built to fail the N-th write,
# close or allocation (cli/faults.h).  Every command below is run with
# N = 1, 2, 3, ... for each of the three, until a run meets no fault.  A
# run that met its fault must exit 2 with a message ("rubric: cannot write
# NAME: reason" or "rubric: out of memory") and leave every output file
# either as it was before or complete (the same bytes as a run without
# faults), with no temporary file beside it; a run that met none must
# give exactly what a run without faults gives.  Then eval -o on a full
# file system: a 64 KB tmpfs, mounted when run as root and skipped
# otherwise, and /dev/full where it exists.  Prints
# 'faults: N passed, N failed' (one per command and kind of fault).
set -u
O=${1:-build}
cd "$(dirname "$0")/.." || exit 2
F="$O/tests/rubric-faults"
R="$O/rubric"
[ -x "$F" ] || { echo "faults: $F is missing (make $F)"; echo "faults: 0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
mnt=""
cleanup() {
  [ -n "$mnt" ] && umount "$mnt" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
pass=0
fail=0
runs=0
M=tests/golden/inputs/mini.rubric
C=tests/golden/inputs/small.csv
T=tests/golden/inputs/discover/a.rubric
mkdir "$tmp/out"
OUT="$tmp/out/result"
PROG="$tmp/out/messy.rubric"

# The commands, one a line: a name, then the arguments.  OUT is the output
# file; PROG a copy of a badly laid out program that fmt rewrites in place.
cat >"$tmp/commands" <<EOF
check-summary check --summary $M
eval-csv eval $M $C
eval-jsonl eval -f jsonl $M $C
eval-table eval -f table $M $C
eval-j2 eval -j 2 $M $C $C
eval-o-csv eval -o $OUT $M $C
eval-o-jsonl eval -f jsonl -o $OUT $M $C
eval-o-table eval -f table -o $OUT $M $C
eval-stats eval --stats $OUT $M $C
eval-summary-json eval --summary json -o $OUT $M $C
sweep-table sweep $M $C --set quota.east=500,1000
sweep-j2-json sweep -j 2 -f json $M $C $C --set quota.east=500..1000:250
sweep-o-csv sweep -f csv -o $OUT $M $C --set quota.east=500,1000
explain explain $M $C --id A1
targets targets $M $C
targets-json targets -f json --within 100 $M $C
dis dis $M
fmt-stdout fmt --stdout tests/golden/inputs/messy.rubric.in
fmt-in-place fmt $PROG
test-junit test $T --junit $OUT
test-tap test --tap $T
build build $M -o $OUT
diff diff $M tests/golden/inputs/tracks.rubric
diff-records diff $M $M -r $C
compare compare $M $M $C
compare-json compare -f json --new-set quota.west=1000 $M $M $C
compare-csv compare -f csv --new-set quota.west=1000 $M $M $C
report-o report -o $OUT --new-set quota.west=1000 $M $C
report-partner report --partner A1 -o $OUT $M $C
EOF

# Puts the files a command may write back as they were before it, dated
# 2000, so that a file a run writes is newer: most runs then cost one
# process, which matters as the loop below runs some two thousand times.
reset() {
  rm -rf "$tmp/out" && mkdir "$tmp/out"
  printf 'previous contents\n' >"$OUT"
  cp tests/golden/inputs/messy.rubric.in "$PROG"
  chmod 640 "$PROG"
  touch -d 2000-01-01T00:00:00 "$tmp/stamp" "$OUT" "$PROG"   # test -nt may see only seconds
}

# The files in the output folder but the two we know, or "".
strays() {
  s=""
  for x in "$tmp/out"/* "$tmp/out"/.[!.]*; do
    case $x in "$OUT" | "$PROG" | */'*' | */'.[!.]*') ;; *) s="$s ${x##*/}" ;; esac
  done
  echo "$s"
}

# Whether the output folder changed since reset.
changed() { [ "$OUT" -nt "$tmp/stamp" ] || [ "$PROG" -nt "$tmp/stamp" ] || [ ! -f "$OUT" ] || [ -n "$(strays)" ]; }

# Whether file $1 holds a line starting with $2.
has_line() {
  while IFS= read -r line; do
    case $line in "$2"*) return 0 ;; esac
  done <"$1"
  return 1
}

reset
while read -r name args; do
  # The expected results, no fault.
  # shellcheck disable=SC2086
  "$F" $args >"$tmp/want.stdout" 2>"$tmp/want.stderr" </dev/null
  want_status=$?
  runs=$((runs + 1))
  cp "$OUT" "$tmp/want.out"
  cp "$PROG" "$tmp/want.prog"
  reset
  if has_line "$tmp/want.stderr" "rubric: cannot write" || has_line "$tmp/want.stderr" "rubric: out of memory"; then
    echo "faults $name: fails without a fault:"; cat "$tmp/want.stderr"; fail=$((fail + 1)); continue
  fi
  for kind in WRITE CLOSE ALLOC; do
    case $kind in
      ALLOC) msg="rubric: out of memory" ;;
      *) msg="rubric: cannot write " ;;
    esac
    n=1
    bad=""
    while [ -z "$bad" ]; do
      fired="$tmp/fired.$name.$kind.$n"
      # shellcheck disable=SC2086
      env RUBRIC_FAIL_$kind=$n RUBRIC_FAULT_FIRED="$fired" "$F" $args >"$tmp/got.stdout" 2>"$tmp/got.stderr" </dev/null
      st=$?
      runs=$((runs + 1))
      if [ ! -f "$fired" ]; then   # ran to the end without meeting the fault
        [ $st = $want_status ] && cmp -s "$tmp/got.stdout" "$tmp/want.stdout" &&
          cmp -s "$OUT" "$tmp/want.out" && cmp -s "$PROG" "$tmp/want.prog" && [ -z "$(strays)" ] ||
          bad="no fault at $n, yet the results differ from a run without one"
        reset
        break
      fi
      [ $st = 2 ] || bad="exit status $st, not 2"
      has_line "$tmp/got.stderr" "$msg" || bad="${bad:+$bad; }no '$msg' message"
      if changed; then
        cmp -s "$OUT" "$tmp/want.out" || has_line "$OUT" 'previous contents' ||
          bad="${bad:+$bad; }the output file is neither as it was nor complete"
        cmp -s "$PROG" "$tmp/want.prog" || cmp -s "$PROG" tests/golden/inputs/messy.rubric.in ||
          bad="${bad:+$bad; }fmt left the program neither as it was nor formatted"
        [ -z "$(strays)" ] || bad="${bad:+$bad; }left$(strays)"
        reset
      fi
      n=$((n + 1))
    done
    if [ -z "$bad" ]; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1))
      echo "faults $name, RUBRIC_FAIL_$kind=$n: $bad"
      head -5 "$tmp/got.stderr"
    fi
    [ -n "${FAULTS_VERBOSE:-}" ] && echo "faults $name $kind: $n runs"
  done
done <"$tmp/commands"

# fmt in place keeps the program's permission bits.
reset
"$R" fmt "$PROG" >/dev/null
"$R" fmt --stdout tests/golden/inputs/messy.rubric.in >"$tmp/want.prog"
if [ "$(stat -c %a "$PROG")" = 640 ] && cmp -s "$PROG" "$tmp/want.prog" && [ -z "$(strays)" ]; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "faults: fmt in place did not keep mode 640 ($(stat -c %a "$PROG"))"
fi

# A real full disk: eval -o into a 64 KB tmpfs, with results ten times that.
full_disk() {
  dir=$1
  "$O/bench/gen" 3000 >"$tmp/many.csv" 2>/dev/null || { echo "faults: no $O/bench/gen"; return 1; }
  "$R" eval -o "$dir/results.csv" programs/zoho/zoho.rubric "$tmp/many.csv" >/dev/null 2>"$tmp/full.err"
  st=$?
  if [ $st = 2 ] && grep -qx "rubric: cannot write $dir/results.csv: No space left on device" "$tmp/full.err" &&
     ! grep -q "scored" "$tmp/full.err" && [ -z "$(ls -A "$dir")" ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "faults: eval -o on a full file system: status $st, left: $(ls -A "$dir")"
    cat "$tmp/full.err"
  fi
  # The same onto standard output: the shell made the file, rubric says why.
  "$R" eval programs/zoho/zoho.rubric "$tmp/many.csv" >"$dir/stdout.csv" 2>"$tmp/full.err"
  st=$?
  rm -f "$dir/stdout.csv"
  if [ $st = 2 ] && grep -qx "rubric: cannot write standard output: No space left on device" "$tmp/full.err" &&
     ! grep -q "scored" "$tmp/full.err"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "faults: eval > file on a full file system: status $st"; cat "$tmp/full.err"
  fi
}
if [ "$(id -u)" = 0 ] && mkdir "$tmp/tmpfs" && mount -t tmpfs -o size=64k rubric-faults "$tmp/tmpfs" 2>/dev/null; then
  mnt="$tmp/tmpfs"
  full_disk "$mnt"
  umount "$mnt" && mnt=""
else
  echo "faults: skipped eval -o on a full tmpfs (needs root and mount)"
fi

# /dev/full: every write fails with ENOSPC.  Checked to be the device
# first: where it is missing, '> /dev/full' would create a plain file.
if [ -c /dev/full ]; then
  for a in "check --summary $M" "eval $M $C" "explain $M $C --id A1" "dis $M" "sweep $M $C --set quota.east=1,2" \
           "fmt --stdout tests/golden/inputs/messy.rubric.in" "test --tap $T" "diff $M $M"; do
    # shellcheck disable=SC2086
    "$R" $a >/dev/full 2>"$tmp/full.err"
    st=$?
    if [ $st = 2 ] && grep -q "rubric: cannot write standard output: No space left on device" "$tmp/full.err"; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1)); echo "faults: $a > /dev/full: status $st"; cat "$tmp/full.err"
    fi
  done
  for a in "eval -o /dev/full $M $C" "build $M -o /dev/full" "test $T --junit /dev/full" \
           "eval --stats /dev/full $M $C" "sweep -o /dev/full $M $C --set quota.east=1,2"; do
    # shellcheck disable=SC2086
    "$R" $a >/dev/null 2>"$tmp/full.err"
    st=$?
    if [ $st = 2 ] && grep -q "rubric: cannot write /dev/full: No space left on device" "$tmp/full.err"; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1)); echo "faults: $a: status $st"; cat "$tmp/full.err"
    fi
  done
else
  echo "faults: skipped /dev/full (not a device here)"
fi

echo "faults: $runs runs"
echo "faults: $pass passed, $fail failed"
[ "$fail" = 0 ]

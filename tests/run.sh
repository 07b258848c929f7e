#!/bin/sh
# run.sh BUILD_DIR — the whole test suite: cmocka unit tests, golden tests
# of the command line, every program's test blocks, and the Zoho results
# against the independent oracle's expected.csv.  Prints each suite's
# outcome and ends with one line 'N passed, N failed'; exits 1 on failure.
#
# Every command runs under a time limit (coreutils `timeout`), so a hang is
# a failure, never a suite that does not end.  The limits hold for a
# sanitized build (3-5 times slower) on a loaded machine; TIMEOUT_SCALE
# (a percentage, default 100) scales them all, e.g. 10 in tools/mutate.sh.
# QUICK=1 leaves out the slow checks (test_robust, eval -j on 20,000
# records, tests/faults.sh): tools/mutate.sh runs that first, then the
# whole suite on a mutant the quick run did not catch.
set -u
O=${1:-build}
cd "$(dirname "$0")/.." || exit 2
RUBRIC="$O/rubric"
pass=0
fail=0
timed_out=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
exec 3>&1   # the terminal, for TIMEOUT lines written while output is redirected

# Seconds each kind of test may take (before TIMEOUT_SCALE).
T_UNIT=180     # one cmocka binary (test_robust: about 1.5 s plain)
T_CMD=60       # one rubric command on small inputs
T_BIG=300      # one rubric command on the 20,000 generated records
T_GOLDEN=60    # one golden case (tests/golden/run.sh)
T_FAULTS=900   # tests/faults.sh: about 8,000 runs (30 s plain)
T_BROWSER=120  # tests/report.sh: nine Chromium runs (9 s)
TIMEOUT_SCALE=${TIMEOUT_SCALE:-100}
export TIMEOUT_SCALE

# limited SECONDS WHAT COMMAND...: runs COMMAND under the limit; when it is
# exceeded, says which test timed out and counts it (exit status 124).
limited() {
  secs=$(( $1 * TIMEOUT_SCALE / 100 )); [ "$secs" -ge 1 ] || secs=1
  what=$2
  shift 2
  timeout -k 5 "$secs" "$@"
  rc=$?
  if [ $rc = 124 ] || [ $rc = 137 ]; then
    timed_out=$((timed_out + 1))
    echo "TIMEOUT: $what did not finish within $secs s" >&3
    return 124
  fi
  return $rc
}

# cmocka suites: count their test cases.
for t in "$O"/tests/test_*; do
  [ -f "$t" ] && [ -x "$t" ] || continue
  if [ "${QUICK:-0}" = 1 ] && [ "$(basename "$t")" = test_robust ]; then echo "unit test_robust: skipped (QUICK=1)"; continue; fi
  if limited $T_UNIT "unit $(basename "$t")" "$t" >"$log" 2>&1; then status=ok; else status=FAILED; fi
  p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log")
  f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log")
  p=${p:-0}; f=${f:-0}
  if [ "$status" = FAILED ] && [ "$f" = 0 ]; then f=1; fi   # crashed before reporting
  pass=$((pass + p)); fail=$((fail + f))
  echo "unit $(basename "$t"): $p passed, $f failed"
  [ "$status" = ok ] || cat "$log"
done

# The fuzz targets, replayed on every committed regression input and on
# the repository's programs, records and bytecode files.
tmpb=$(mktemp -d)
for f in programs/*/*.rubric tests/golden/inputs/mini.rubric tests/golden/inputs/tracks.rubric; do
  limited $T_CMD "build $f" "$RUBRIC" build "$f" -o "$tmpb/$(basename "$f").rbc" 2>/dev/null
done
for t in program records bytecode gen activities; do
  bin="$O/tests/replay_$t"
  [ -x "$bin" ] || continue
  case $t in
    program) inputs="programs/*/*.rubric stdlib/*.rubric tests/golden/inputs/*.rubric*" ;;
    records) inputs="fuzz/seeds/records/*.csv programs/*/*.csv tests/golden/inputs/*.csv" ;;
    bytecode) inputs="$tmpb/*.rbc" ;;
    gen) inputs="fuzz/seeds/gen/*" ;;
    activities) inputs="tests/golden/inputs/*activities*.csv fuzz/seeds/records/*.csv" ;;
  esac
  # shellcheck disable=SC2086
  if limited $T_UNIT "fuzz replay $t" "$bin" $inputs $(find "fuzz/regressions/$t" -type f 2>/dev/null) >"$log" 2>&1; then
    p=$(sed -n 's/^\([0-9]*\) passed, 0 failed$/\1/p' "$log")
    pass=$((pass + ${p:-0})); echo "fuzz replay $t: ${p:-0} passed, 0 failed"
  else
    fail=$((fail + 1)); echo "fuzz replay $t: crashed"; tail -20 "$log"
  fi
done
rm -rf "$tmpb"

# The program generator as a property test (fuzz/prop.c): PROP_COUNT
# generated programs from a fixed seed, each with its records, through
# every oracle of fuzz/oracle.c.  Each program is one test.
if [ -x "$O/tests/prop" ]; then
  limited $T_UNIT "fuzz/prop.c (generated programs)" "$O/tests/prop" -s 1 -n "${PROP_COUNT:-400}" >"$log" 2>&1
  p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log")
  f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log")
  [ -n "$p" ] || { p=0; f=1; }
  pass=$((pass + p)); fail=$((fail + f))
  echo "generated programs (fuzz/prop.c): $p passed, $f failed"
  [ "$f" = 0 ] || cat "$log"
fi

# eval -j N: the same bytes on standard output and standard error as -j 1,
# over many batches (20,000 generated records; a batch is 2,048) and a
# second file of bad records.  The native baseline (bench/zoho.c, the rules
# written again by hand) must agree with rubric on every generated record.
# After one of these commands times out, the others are skipped: they
# would most likely hang too, and each would cost its whole limit.
if [ "${QUICK:-0}" = 1 ]; then
  echo "eval -j N = -j 1: skipped (QUICK=1)"
elif [ -x "$O/bench/gen" ] && [ -x "$O/bench/zoho" ]; then
  tmpj=$(mktemp -d)
  t0=$timed_out
  limited $T_CMD "bench/gen 20000" "$O/bench/gen" 20000 >"$tmpj/p.csv"
  ok=1
  limited $T_BIG "eval -j 1 (20,000 records)" "$RUBRIC" eval -j 1 programs/zoho/zoho.rubric "$tmpj/p.csv" programs/zoho/bad.csv \
    >"$tmpj/out1" 2>"$tmpj/err1"
  for j in 2 3 8 0; do
    [ "$timed_out" = "$t0" ] || break
    limited $T_BIG "eval -j $j (20,000 records)" "$RUBRIC" eval -j $j programs/zoho/zoho.rubric "$tmpj/p.csv" programs/zoho/bad.csv \
      >"$tmpj/out" 2>"$tmpj/err"
    if ! cmp -s "$tmpj/out1" "$tmpj/out" || ! cmp -s "$tmpj/err1" "$tmpj/err"; then
      ok=0; echo "eval -j $j differs from -j 1:"; diff "$tmpj/out1" "$tmpj/out" | head -5
      diff "$tmpj/err1" "$tmpj/err" | head -5
    fi
  done
  for f in jsonl table; do   # a table is built on one thread whatever -j says
    [ "$timed_out" = "$t0" ] || break
    limited $T_BIG "eval -f $f (20,000 records)" "$RUBRIC" eval -f $f programs/zoho/zoho.rubric "$tmpj/p.csv" >"$tmpj/f1" 2>&1
    limited $T_BIG "eval -j 3 -f $f (20,000 records)" "$RUBRIC" eval -j 3 -f $f programs/zoho/zoho.rubric "$tmpj/p.csv" >"$tmpj/f3" 2>&1
    cmp -s "$tmpj/f1" "$tmpj/f3" || { ok=0; echo "eval -j 3 -f $f differs from -j 1"; }
  done
  grep -q '^20011 records: 20002 scored, 9 rejected$' "$tmpj/err1" || { ok=0; echo "eval -j: wrong count"; tail -3 "$tmpj/err1"; }
  if [ "$timed_out" = "$t0" ]; then
    limited $T_BIG "bench/zoho (20,000 records)" "$O/bench/zoho" "$tmpj/p.csv" >"$tmpj/c.csv"
    limited $T_BIG "eval -j 2 --columns (20,000 records)" "$RUBRIC" eval -j 2 --columns id,score,tier programs/zoho/zoho.rubric "$tmpj/p.csv" \
      >"$tmpj/r.csv" 2>/dev/null
    cmp -s "$tmpj/c.csv" "$tmpj/r.csv" || { ok=0; echo "bench/zoho.c and rubric disagree"; diff "$tmpj/c.csv" "$tmpj/r.csv" | head -5; }
  fi
  [ "$timed_out" = "$t0" ] || ok=0
  rm -rf "$tmpj"
  if [ $ok = 1 ]; then pass=$((pass + 1)); echo "eval -j N = -j 1, baseline agrees: 1 passed, 0 failed"
  else fail=$((fail + 1)); echo "eval -j N = -j 1, baseline agrees: 0 passed, 1 failed"; fi
fi

# Golden tests of the command line.
# Each case has its own limit inside; this one only guards the runner.
if limited $((T_GOLDEN * 20)) "tests/golden/run.sh" sh tests/golden/run.sh "$RUBRIC" >"$log" 2>&1; then :; fi
p=$(sed -n 's/^golden: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log")
f=$(sed -n 's/^golden: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log")
[ -n "$p" ] || { p=0; f=1; }
pass=$((pass + p)); fail=$((fail + f))
if [ "$f" = 0 ]; then tail -n 1 "$log"; else cat "$log"; fi

# rubric report's pages in headless Chromium (tests/report.sh): skipped,
# loudly, where Chromium could not be installed.
limited $T_BROWSER "tests/report.sh" sh tests/report.sh "$O" >"$log" 2>&1
p=$(sed -n 's/^report: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log")
f=$(sed -n 's/^report: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log")
[ -n "$p" ] || { p=0; f=1; }
pass=$((pass + p)); fail=$((fail + f))
if [ "$f" = 0 ]; then grep 'SKIPPED' "$log"; tail -n 1 "$log"; else cat "$log"; fi

# Fault injection: every command with its N-th write, close or allocation
# failing, for every N, and eval -o on a full file system (tests/faults.sh).
if [ "${QUICK:-0}" = 1 ]; then
  echo "faults: skipped (QUICK=1)"
else
  limited $T_FAULTS "tests/faults.sh" sh tests/faults.sh "$O" >"$log" 2>&1
  p=$(sed -n 's/^faults: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log")
  f=$(sed -n 's/^faults: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log")
  [ -n "$p" ] || { p=0; f=1; }
  pass=$((pass + p)); fail=$((fail + f))
  if [ "$f" = 0 ]; then grep "skipped\|runs$" "$log"; tail -n 1 "$log"; else cat "$log"; fi
fi

# Every program's own test blocks.
for prog in programs/*/*.rubric; do
  limited $T_CMD "test $prog" "$RUBRIC" test "$prog" >"$log" 2>&1
  line=$(tail -n 1 "$log")
  p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
  f=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
  [ -n "$p" ] || { p=0; f=1; }
  pass=$((pass + p)); fail=$((fail + f))
  echo "program $prog: $p passed, $f failed"
  [ "$f" = 0 ] || cat "$log"
done

# Every program's sample partners: rubric's results equal the independent
# oracle's expected.csv on every column the oracle writes but the prose
# 'arithmetic' (which explains the numbers of the others).  The columns are
# cut from expected.csv by name, with quoted cells read as CSV.
drop_prose() {   # drop_prose FILE: FILE without its 'arithmetic' column
  awk '
    function cells(line,   i, c, q, cell) {   # split one CSV line into cell[]
      n = 0; cell = ""; q = 0
      for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (q) {
          if (c == "\"" && substr(line, i + 1, 1) == "\"") { cell = cell c c; i++ }
          else if (c == "\"") { q = 0; cell = cell c }
          else cell = cell c
        } else if (c == ",") { out[++n] = cell; cell = "" }
        else { if (c == "\"") q = 1; cell = cell c }
      }
      out[++n] = cell
      return n
    }
    {
      n = cells($0)
      if (NR == 1) for (i = 1; i <= n; i++) if (out[i] == "arithmetic") skip = i
      line = ""; first = 1
      for (i = 1; i <= n; i++) if (i != skip) { line = line (first ? "" : ",") out[i]; first = 0 }
      print line
    }' "$1"
}
# A program that scores from activities (programs/zoom-up) is run on
# them twice: activities.csv as exported, aggregated in a hash table, and
# activities-sorted.csv merged with the partners in one pass (--sorted).
# Its activities include some of partners it does not have, on purpose,
# so eval's status is 1 (problems in the input), not 0.
for expected in programs/*/expected.csv; do
  dir=$(dirname "$expected")
  want=$(mktemp)
  got=$(mktemp)
  drop_prose "$expected" >"$want"
  cols=$(head -n 1 "$want")
  set -- ""
  status=0
  [ -f "$dir/activities.csv" ] && { set -- "--activities $dir/activities.csv" \
    "--sorted --activities $dir/activities-sorted.csv"; status=1; }
  for acts in "$@"; do
    # shellcheck disable=SC2086
    limited $T_CMD "eval --columns $cols $acts ($dir)" "$RUBRIC" eval --columns "$cols" $acts "$dir"/*.rubric "$dir/partners.csv" >"$got" 2>"$log"
    if [ $? = $status ] && cmp -s "$want" "$got"; then
      pass=$((pass + 1)); echo "$expected ($cols${acts:+; $acts}): 1 passed, 0 failed"
    else
      fail=$((fail + 1)); echo "$expected ($cols${acts:+; $acts}): 0 passed, 1 failed"
      diff "$want" "$got" | head -20; cat "$log"
    fi
  done
  rm -f "$want" "$got"
done

# The oracles' own check that expected.csv is what they derive today from
# partners.csv, and that the data reaches every row, cap and tier.
if command -v python3 >/dev/null 2>&1; then
  for oracle in tests/oracle/*.py; do
    if limited $T_CMD "$oracle verify" python3 "$oracle" verify >"$log" 2>&1; then
      pass=$((pass + 1)); echo "$oracle verify: 1 passed, 0 failed"
    else
      fail=$((fail + 1)); echo "$oracle verify: 0 passed, 1 failed"; cat "$log"
    fi
  done
else
  echo "tests/oracle/*.py verify: skipped (no python3)"
fi

# The repository's programs are kept formatted.
if limited $T_CMD "fmt --check programs stdlib" "$RUBRIC" fmt --check programs stdlib >"$log" 2>&1; then
  pass=$((pass + 1)); echo "fmt --check programs stdlib: 1 passed, 0 failed"
else
  fail=$((fail + 1)); echo "fmt --check programs stdlib: 0 passed, 1 failed"; cat "$log"
fi

# fmt is idempotent and keeps the meaning: formatting twice changes
# nothing, and the formatted program compiles to the same bytecode.
fmt_ok=0
fmt_bad=0
tmpd=$(mktemp -d)
for prog in programs/*/*.rubric stdlib/*.rubric tests/golden/inputs/*.rubric tests/golden/inputs/*.rubric.in \
            tests/golden/inputs/discover/*.rubric tests/golden/inputs/discover/sub/*.rubric; do
  limited $T_CMD "fmt --stdout $prog" "$RUBRIC" fmt --stdout "$prog" >"$tmpd/once.rubric" 2>/dev/null
  case $? in 0) ;; 124) fmt_bad=$((fmt_bad + 1)); continue ;; *) continue ;; esac   # does not parse
  limited $T_CMD "fmt --stdout (twice) $prog" "$RUBRIC" fmt --stdout "$tmpd/once.rubric" >"$tmpd/twice.rubric" 2>"$log"
  same=1
  cmp -s "$tmpd/once.rubric" "$tmpd/twice.rubric" || { same=0; echo "fmt is not idempotent on $prog"; }
  # Same folder, so relative imports resolve alike; positions differ, so strip them.
  cp "$tmpd/once.rubric" "$(dirname "$prog")/.fmt-check.rubric"
  if limited $T_CMD "dis $prog" "$RUBRIC" dis "$prog" >"$tmpd/a.dis" 2>/dev/null; then
    limited $T_CMD "dis (formatted) $prog" "$RUBRIC" dis "$(dirname "$prog")/.fmt-check.rubric" >"$tmpd/b.dis" 2>/dev/null
    sed 's/  @[^ ]*$//' "$tmpd/a.dis" >"$tmpd/a"; sed 's/  @[^ ]*$//' "$tmpd/b.dis" >"$tmpd/b"
    cmp -s "$tmpd/a" "$tmpd/b" || { same=0; echo "fmt changed the bytecode of $prog"; diff "$tmpd/a" "$tmpd/b" | head -5; }
  fi
  rm -f "$(dirname "$prog")/.fmt-check.rubric"
  if [ $same = 1 ]; then fmt_ok=$((fmt_ok + 1)); else fmt_bad=$((fmt_bad + 1)); fi
done
rm -rf "$tmpd"
pass=$((pass + fmt_ok)); fail=$((fail + fmt_bad))
echo "fmt round trips: $fmt_ok passed, $fmt_bad failed"

# The programs' own tests reach every tier (and every track) of every program.
limited $T_CMD "test --coverage" "$RUBRIC" test --coverage programs/*/*.rubric >"$log" 2>&1
if grep -q "^coverage " "$log" && ! grep -Eq "not reached: .*  (tier|track) " "$log"; then
  pass=$((pass + 1)); echo "programs' tests reach every tier: 1 passed, 0 failed"
else
  fail=$((fail + 1)); echo "programs' tests reach every tier: 0 passed, 1 failed"
  grep -E "^coverage|  (tier|track) " "$log"
fi

# Every diagnostic code is documented.
missing=$(sed -n 's/^DIAGCODE(\(R[0-9]*\),.*/\1/p' lang/diagcodes.h | while read -r code; do
  grep -q "^### $code " docs/diagnostics.md || echo "$code"; done)
if [ -z "$missing" ]; then
  pass=$((pass + 1)); echo "docs/diagnostics.md: 1 passed, 0 failed"
else
  fail=$((fail + 1)); echo "docs/diagnostics.md lacks: $missing"
fi

# The documentation's examples and docs/ci.md's commands are real.
if limited $((T_CMD * 5)) "tests/docs.sh" sh tests/docs.sh "$RUBRIC" >"$log" 2>&1; then :; fi
p=$(sed -n 's/^docs: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log")
f=$(sed -n 's/^docs: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log")
[ -n "$p" ] || { p=0; f=1; }
pass=$((pass + p)); fail=$((fail + f))
if [ "$f" = 0 ]; then tail -n 1 "$log"; else cat "$log"; fi

# A test that timed out has failed, whatever its output looked like.
if [ "$timed_out" -gt 0 ]; then
  echo "$timed_out command(s) timed out (see the TIMEOUT lines above)"
  [ "$fail" -gt 0 ] || fail=$timed_out
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]

#!/bin/sh
# tools/mutate.sh [N...] — mutation testing: does the suite notice a bug?
#
# Plants each mutant of tools/mutants.tsv (or only those numbered N...),
# one at a time, in a scratch copy of the tree, builds it, runs the test
# suite under a time limit and reports each mutant as
#   killed    the suite failed (or timed out): it noticed the bug
#   survived  the suite passed: no test notices this bug
#   stale     the original text is not in the file (or is there more than
#             once): the code moved on; fix the mutant's line
#   no-build  the mutated tree does not compile: fix the mutant's line
# (build/mutate/report.txt also names the first checks that failed for
# each killed mutant), then the kill rate, killed / (killed + survived).  Exit status 1 when a
# mutant is stale or does not build, or the rate is below MUTATE_MIN
# percent (default 95).  Nothing in the working tree is ever changed.
#
# The scratch copy ($O/mutate/tree, O=build) is refreshed from the working
# tree (tracked and untracked files git does not ignore, modification times
# kept), and built once under $O/mutate/tree/build; each mutant then
# rebuilds only its own file and what links it.  The suite is tests/run.sh
# (unit, fuzz replays, golden, programs' tests, oracles, fmt), first with
# QUICK=1 (without test_robust, eval -j on 20,000 records and
# tests/faults.sh); a mutant
# that passes it gets the whole suite, -j included, so a survivor has
# survived everything.  Per-test limits are cut to TIMEOUT_SCALE=20
# percent (12 s for a golden case: a plain build runs each in well under
# a second, so a hang is told from a loaded machine), and each
# run is limited to MUTATE_SUITE_SECONDS (300).
# MUTATE_JOBS (default -j2) is the builds' parallelism.
set -u
cd "$(dirname "$0")/.." || exit 2
O=${O:-build}
LIST=tools/mutants.tsv
MIN=${MUTATE_MIN:-95}
SUITE_SECONDS=${MUTATE_SUITE_SECONDS:-300}
SCRATCH="$O/mutate"
TREE="$SCRATCH/tree"
mkdir -p "$TREE"
REPORT="$SCRATCH/report.txt"
JOBS=${MUTATE_JOBS:--j2}

# ---- the scratch copy -----------------------------------------------------------
# Copy what git knows of the working tree (not build/), keeping times, so
# that make rebuilds only what differs from the last run.
git ls-files -z --cached --others --exclude-standard |
  tar --null -T - -cf - 2>/dev/null | (cd "$TREE" && tar -xf -) || { echo "mutate: cannot copy the tree"; exit 2; }
# Files the working tree no longer has (a renamed golden case, a moved
# source) go from the copy too.
git ls-files --cached --others --exclude-standard | sort >"$SCRATCH/want"
(cd "$TREE" && find . -path ./build -prune -o -type f -print | sed 's|^\./||' | sort) >"$SCRATCH/have"
comm -23 "$SCRATCH/have" "$SCRATCH/want" | while IFS= read -r gone; do rm -f "$TREE/$gone"; done
# A mutated file's object is deleted as soon as the file is put back, so it
# is rebuilt whatever times the copy above gives the file; a run stopped
# while a mutant was planted leaves its name in "planted".
object_of() { echo "$TREE/build/${1%.c}.o"; }
if [ -f "$SCRATCH/planted" ]; then rm -f "$(object_of "$(cat "$SCRATCH/planted")")"; rm -f "$SCRATCH/planted"; fi

build() { make -C "$TREE" --no-print-directory $JOBS O=build all unit >"$SCRATCH/build.log" 2>&1; }
# The quick run first (no test_robust, eval -j or faults.sh); only
# a mutant it does not catch pays for the whole suite.
suite() {
  TIMEOUT_SCALE=20 QUICK=1 timeout -k 10 "$SUITE_SECONDS" sh "$TREE/tests/run.sh" build >"$SCRATCH/suite.log" 2>&1 &&
  TIMEOUT_SCALE=20 timeout -k 10 "$SUITE_SECONDS" sh "$TREE/tests/run.sh" build >"$SCRATCH/suite.log" 2>&1
}

echo "mutate: building the unmutated copy in $TREE/build"
if ! build; then tail -30 "$SCRATCH/build.log"; echo "mutate: the unmutated tree does not build"; exit 2; fi
if ! suite; then
  grep -E "failed|TIMEOUT|FAIL" "$SCRATCH/suite.log" | grep -v " 0 failed" | head -20
  echo "mutate: the suite fails without any mutant: fix that first"; exit 2
fi

# ---- the mutants ----------------------------------------------------------------
# awk does the exact textual work: decode a field's escapes, count the
# original's occurrences, write the mutated file.
# (The texts go through the environment: awk -v would decode escapes itself.)
apply() {   # apply FILE ORIGINAL REPLACEMENT -> prints the count; writes FILE.mut if 1
  MUT_ORIG=$2 MUT_REPL=$3 awk -v out="$1.mut" '
    function unesc(s,   r, i, c) {
      r = ""
      for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (c == "\\" && i < length(s)) {
          c = substr(s, ++i, 1)
          r = r (c == "n" ? "\n" : c == "t" ? "\t" : c)
        } else r = r c
      }
      return r
    }
    { text = text $0 "\n" }
    END {
      o = unesc(ENVIRON["MUT_ORIG"]); r = unesc(ENVIRON["MUT_REPL"])
      count = 0; rest = text; at = 0
      while ((i = index(rest, o)) > 0) { count++; if (count == 1) at = length(text) - length(rest) + i; rest = substr(rest, i + length(o)) }
      print count
      if (count == 1) printf "%s", substr(text, 1, at - 1) r substr(text, at + length(o)) > out
    }' "$1"
}

# Interrupted: put the planted file back before leaving.
trap 'if [ -f "$SCRATCH/planted" ]; then p=$(cat "$SCRATCH/planted"); cat "$SCRATCH/saved" >"$TREE/$p"; rm -f "$(object_of "$p")" "$SCRATCH/planted"; fi; exit 130' INT TERM HUP

killed=0; survived=0; stale=0; nobuild=0; n=0
: >"$REPORT"
start=$(date +%s)
field() { printf '%s\n' "$entry" | cut -f"$1"; }   # cut keeps empty fields
while IFS= read -r entry; do
  case $entry in ''|'#'*) continue ;; esac
  file=$(field 1); orig=$(field 2); repl=$(field 3); desc=$(field 4)
  n=$((n + 1))
  if [ $# -gt 0 ]; then
    want=0; for k in "$@"; do [ "$k" = "$n" ] && want=1; done
    [ $want = 1 ] || continue
  fi
  target="$TREE/$file"
  count=0
  [ -f "$target" ] && count=$(apply "$target" "$orig" "$repl")
  if [ "$count" != 1 ]; then
    result=stale; stale=$((stale + 1))
    desc="$desc (original found $count times)"
  else
    cp -p "$target" "$SCRATCH/saved"
    echo "$file" >"$SCRATCH/planted"
    mv "$target.mut" "$target"
    if ! build; then
      result=no-build; nobuild=$((nobuild + 1))
      cp "$SCRATCH/build.log" "$SCRATCH/no-build-$n.log"
    elif suite; then
      result=survived; survived=$((survived + 1))
    else
      result=killed; killed=$((killed + 1))
      grep -q "^TIMEOUT" "$SCRATCH/suite.log" && result="killed (timeout)"
      [ -s "$SCRATCH/suite.log" ] || result="killed (suite limit)"
    fi
    # Back to the original text; the next build recompiles this file.
    cat "$SCRATCH/saved" >"$target"
    rm -f "$(object_of "$file")" "$SCRATCH/planted"
  fi
  line=$(printf '%3d  %-16s  %-18s  %s' "$n" "$result" "$file" "$desc")
  echo "$line"
  echo "$line" >>"$REPORT"
  # Which checks caught it (the report only): the first three failures.
  case $result in killed*)
    grep -E '^FAIL |^TIMEOUT|[1-9][0-9]* failed$' "$SCRATCH/suite.log" | grep -v '^[0-9]* passed, [0-9]* failed$' |
      head -3 | sed 's/^/       by: /' >>"$REPORT" ;;
  esac
done <"$LIST"
build || { echo "mutate: the restored tree does not build"; exit 2; }

total=$((killed + survived))
rate=0
[ $total -gt 0 ] && rate=$((killed * 1000 / total))
ran=$((killed + survived + stale + nobuild))
[ $ran = $n ] && what="$n mutants" || what="$ran of $n mutants"
summary="$what: $killed killed, $survived survived, $stale stale, $nobuild did not build; kill rate $((rate / 10)).$((rate % 10)) % ($(($(date +%s) - start)) s, $(date -u +%Y-%m-%d))"
echo "$summary"
echo "$summary" >>"$REPORT"
[ $stale = 0 ] && [ $nobuild = 0 ] && [ $((rate / 10)) -ge "$MIN" ]

#!/bin/sh
# report.sh BUILD_DIR — rubric report's pages in a real browser.  Headless
# Chromium (Debian's `chromium`, installed by `make check` like the other
# test dependencies) loads each golden page, dumps its DOM and takes a
# screenshot in one run.  Each page must render (a screenshot of some
# size), log no console error, fetch nothing (no URL, no script, no
# external font or style), and its DOM must hold every section and the
# numbers worked out here with awk from the hand-derived
# programs/*/expected.csv: the tier counts, each histogram bin and the
# partners' scores.  The console check is itself checked: a page with a
# script error planted in it must be caught.  Screenshots are not compared
# pixel for pixel.  A page printed to PDF must have A4 pages.  Where
# Chromium is not there the test says so loudly and is skipped.  Prints 'report: N passed, N failed'.
set -u
O=${1:-build}
cd "$(dirname "$0")/.." || exit 2
R="$O/rubric"
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$CHROMIUM" ]; then
  echo "report: ******** SKIPPED: no chromium here; the HTML report was NOT tested in a browser ********"
  echo "report: 0 passed, 0 failed"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
# A screenshot smaller than this is a blank page (a white 900 x 1400 PNG
# is about 5 KB; the lightest page, a dashboard, is over 40 KB).
MIN_PNG=20000

# browse PAGE: loads it; PAGE.dom, PAGE.png and PAGE.log (the browser's
# log, console messages included).  The user data folder is a fresh one,
# so no profile of the machine's is read or written.
browse() {
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$tmp/profile" \
    --enable-logging=stderr --v=0 --hide-scrollbars --window-size=900,1400 \
    --screenshot="$1.png" --dump-dom "file://$1" >"$1.dom" 2>"$1.log"
}

# console_errors PAGE: the console messages the page logged (none expected).
console_errors() { grep 'CONSOLE' "$1.log"; }

# check NAME PAGE SECTIONS...: the page loads with no console error, its
# screenshot is not blank, and its DOM holds each section id.
check() {
  name=$1 page=$2
  shift 2
  ok=1
  browse "$page"
  if [ ! -s "$page.dom" ] || ! grep -q '</html>' "$page.dom"; then ok=0; echo "$name: no DOM"; fi
  size=$(wc -c <"$page.png" 2>/dev/null || echo 0)
  if [ "$size" -lt $MIN_PNG ]; then ok=0; echo "$name: the screenshot is $size bytes: not rendered"; fi
  if console_errors "$page" >/dev/null; then ok=0; echo "$name: console errors:"; console_errors "$page"; fi
  # Self-contained: nothing to fetch, nothing to run.
  if grep -Eq 'https?:|<script|<link|<img|@import|url\([^#]|src=' "$page"; then
    ok=0; echo "$name: refers to something outside the file:"; grep -Eo 'https?:[^"]*|<script|<link|<img|@import|url\([^#][^)]*|src=[^ ]*' "$page" | head -3
  fi
  for s in "$@"; do
    grep -q "<section id=\"$s\">" "$page.dom" || { ok=0; echo "$name: no section $s in the DOM"; }
  done
  if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
}

# has NAME PAGE TEXT: the DOM holds TEXT (a fixed string).
has() {
  if grep -qF -- "$3" "$2.dom"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "$1: the DOM lacks: $3"; fi
}

# The pages: the golden ones as they are, the comparisons written again
# whole (their golden cases keep only the comparison section).
sections="overview distribution sources close rejected"
cp tests/golden/cases/report_zoho/stdout "$tmp/zoho.html"
cp tests/golden/cases/report_zoomup/stdout "$tmp/zoomup.html"
sed 1d tests/golden/cases/report_zoho_partner/stdout >"$tmp/zoho-partner.html"   # after its "status 0"
cp tests/golden/cases/report_zoomup_partner/stdout "$tmp/zoomup-partner.html"
"$R" report --within 0 --new-set growth_benchmark.developed=250000 programs/zoho/zoho.rubric \
  programs/zoho/partners.csv >"$tmp/zoho-compare.html"
sed 's/when score >= 350/when score >= 400/' programs/zoom-up/zoom-up.rubric >"$tmp/zoom-up-400.rubric"
"$R" report --within 0 --compare "$tmp/zoom-up-400.rubric" programs/zoom-up/zoom-up.rubric \
  programs/zoom-up/partners.csv --activities programs/zoom-up/activities.csv >"$tmp/zoomup-compare.html" 2>/dev/null

check zoho "$tmp/zoho.html" $sections
check zoomup "$tmp/zoomup.html" $sections
check zoho-compare "$tmp/zoho-compare.html" $sections comparison
check zoomup-compare "$tmp/zoomup-compare.html" $sections comparison
check zoho-partner "$tmp/zoho-partner.html" standing next categories capped badges benefits
check zoomup-partner "$tmp/zoomup-partner.html" standing next categories capped badges benefits

# The numbers, from expected.csv.  Tier counts: a row "tier, title, count".
for prog in zoho zoom-up; do
  page="$tmp/$(echo $prog | tr -d -).html"
  col=$(head -1 programs/$prog/expected.csv | tr , '\n' | grep -n '^tier$' | cut -d: -f1)
  awk -F, -v c="$col" 'NR > 1 && $c != "" { n[$c]++ } END { for (t in n) print t, n[t] }' programs/$prog/expected.csv |
    while read -r tier n; do
      echo "<tr><td>$tier</td><td>"
      echo "</td><td class=\"n\">$n</td>"
    done >"$tmp/tiers"
  while read -r a && read -r b; do
    if grep "$a" "$page.dom" | grep -qF "$b"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "$prog: no tier row $a...$b"; fi
  done <"$tmp/tiers"
done
# Zoho's histogram, binned here: width 50 from -50 (report_zoho derives
# it); each bin's row "from, to, count".
awk -F, 'NR > 1 { s = $3 + 0; b = (s < 0) ? -50 : int(s / 50) * 50; n[b]++ }
  END { for (b = -50; b < 850; b += 50) printf "<tr><td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td></tr>\n", b, b + 50, n[b] + 0 }' \
  programs/zoho/expected.csv >"$tmp/bins"
while read -r row; do has zoho-bins "$tmp/zoho.html" "$row"; done <"$tmp/bins"
# Each dashboard's score is its row's in expected.csv.
for pair in zoho:ZP061:zoho-partner zoom-up:ZU041:zoomup-partner; do
  prog=${pair%%:*} rest=${pair#*:}
  key=${rest%%:*} page=${rest#*:}
  col=$(head -1 programs/$prog/expected.csv | tr , '\n' | grep -n '^score$' | cut -d: -f1)
  score=$(awk -F, -v k="$key" -v c="$col" '$1 == k { print $c }' programs/$prog/expected.csv)
  has "$page" "$tmp/$page.html" "Your score: <strong>$score</strong>"
done
has zoho-compare "$tmp/zoho-compare.html" "<td>ZP027</td><td>premium</td><td>advanced</td>"
has zoomup-compare "$tmp/zoomup-compare.html" "<td>ZU008</td><td>reseller / preferred</td><td>reseller / authorized</td>"

# It prints on A4: Chromium's PDF of a page has A4 pages (595 x 842
# points), as the page's @page rule asks, not its default Letter.
"$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$tmp/profile" \
  --no-pdf-header-footer --print-to-pdf="$tmp/zoho.pdf" "file://$tmp/zoho.html" 2>/dev/null
if grep -ao 'MediaBox \[[^]]*\]' "$tmp/zoho.pdf" 2>/dev/null | sort -u | grep -q '^MediaBox \[0 0 594\.9[0-9]* 841\.9[0-9]*\]$'; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "zoho: its PDF's pages are not A4:"; grep -ao 'MediaBox \[[^]]*\]' "$tmp/zoho.pdf" | sort -u
fi

# The console check can fail: a script error planted in a page is caught,
# and so is a page that is not there.
sed 's|</body>|<script>no_such_function();</script></body>|' "$tmp/zoho.html" >"$tmp/broken.html"
browse "$tmp/broken.html"
if console_errors "$tmp/broken.html" | grep -q 'Uncaught'; then pass=$((pass + 1))
else fail=$((fail + 1)); echo "a planted script error went unseen: the console check does not work"; fi
browse "$tmp/missing.html"
if grep -q '<section id="overview">' "$tmp/missing.html.dom" 2>/dev/null; then
  fail=$((fail + 1)); echo "a missing page has sections: the DOM check does not work"
else pass=$((pass + 1)); fi

echo "report: $pass passed, $fail failed"
[ "$fail" = 0 ]

#!/bin/sh
# zoomup-fields.sh DIR — writes DIR/zoom-up.rubric and DIR/partners.csv:
# programs/zoom-up's scoring rules with its figures as record fields, the
# way the program was before it counted them from activities, and each
# partner's row with its totals (programs/zoom-up/totals.csv joined to
# partners.csv, row for row, as tests/oracle/zoomup.py checks).  For the
# golden cases of `rubric targets`, which searches changes of a record's
# fields: on the activity program it has none to try.  The program is cut
# from zoom-up.rubric (its activity block, its lets and window counting
# activities, and its tests left out), so its rules stay the real ones.
set -eu
d=$1
z=programs/zoom-up
awk '
  /^  agreement_signed / {
    print
    print "  resale_revenue       money in $0.."
    print "  sourced_bookings     money in $0.."
    n = split("new_logos advisory_engagements solution_designs deployments integrations " \
              "phone_certified cc_certified sales_accredited phone_deployments cc_deployments", f, " ")
    for (i = 1; i <= n; i++) printf "  %-20s count\n", f[i]
    next
  }
  /^activity \{/ { skip = 1; next }
  skip && /^\}/ { skip = 0; next }
  skip { next }
  /^let / { cont = ($0 ~ /=$/); next }
  cont && /^  / { cont = 0; next }
  { cont = 0 }
  /^window / { next }
  /^# ---- tests/ { exit }
  { print }
' "$z/zoom-up.rubric" >"$d/zoom-up.rubric"
cut -d, -f2- "$z/totals.csv" >"$d/totals"
paste -d, "$z/partners.csv" "$d/totals" >"$d/partners.csv"
rm -f "$d/totals"

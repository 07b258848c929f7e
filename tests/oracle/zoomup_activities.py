#!/usr/bin/env python3
"""Independent oracle for programs/zoom-up's activities: reads
partners.csv, activities.csv and activities-sorted.csv, counts each
partner's activities again by the rules programs/zoom-up/zoom-up.rubric
states in words, and checks the counts equal totals.csv, the per-partner
figures from which expected.csv was derived by hand (tests/oracle/zoomup.py).
It shares no code with rubric nor with the script that wrote the data
(tools/zoomup-activities.py).

    python3 tests/oracle/zoomup_activities.py           # verify (the default)
    python3 tests/oracle/zoomup_activities.py counts    # print what it counted

It checks, and exits non-zero naming the first thing that fails:
- every row fits the program's `activity` record (so none is rejected);
- activities-sorted.csv holds the same rows as activities.csv, sorted by
  partner key in byte order, and activities.csv is not so sorted;
- each partner's aggregates equal its row of totals.csv;
- the data reaches every case the rules must leave out or keep (a day
  before, on and after each end of the period, lost and open deals, an
  expired certification, a renewal, unknown partners...);
- the summary rubric prints for the bundled data (the `activities:` line
  of the golden case eval_zoomup_activities) has the counts derived here;
- docs/data.md's PRM example is real: its Python script, run on its
  export, writes the output the page shows, and those are ZU003's rows of
  activities.csv.

The rules, assessed as of 2026-01-31 (the end of the period 2025-02-01
to 2026-01-31; an activity dated after it is ignored and counted):
- an activity whose partner is not in partners.csv is rejected, counted
  as an unknown partner;
- advisory_engagements, solution_designs, deployments, integrations: the
  partner's activities of kind advisory, design, deployment, integration
  dated in the period (both ends included);
- resale_revenue (VAR and MSP) or sourced_bookings (TA): the amounts of
  its deals with status won dated in the period; the other is 0;
- new_logos: the distinct customers of those won deals whose deal_type is
  new_business;
- phone_certified, cc_certified, sales_accredited: the distinct people
  with a certification whose credential is phone_services, cc_services,
  sales, earned less than 24 months before the assessment date (on + 24
  months after 2026-01-31);
- phone_deployments, cc_deployments: deployments of product phone,
  contact_center dated in the 24 months ending on the assessment date
  (2024-02-01 to 2026-01-31).
A field a rule reads that is empty (no product, no status) does not match.
"""
import csv, io, re, subprocess, sys
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.dont_write_bytecode = True
ROOT = Path(__file__).resolve().parent.parent.parent
HERE = ROOT / "programs" / "zoom-up"
GOLDEN = ROOT / "tests" / "golden" / "cases" / "eval_zoomup_activities" / "stdout"

AS_OF = date(2026, 1, 31)
PERIOD = (date(2025, 2, 1), date(2026, 1, 31))
TWO_YEARS = (date(2024, 2, 1), AS_OF)   # as_of - 24 months + 1 day to as_of

# The `activity` record of zoom-up.rubric: field -> the values it allows
# (None: any), and whether it may be empty.
CHOICES = {
    "kind": ({"advisory", "design", "deployment", "integration", "certification", "deal"}, False),
    "product": ({"phone", "contact_center", "meetings"}, True),
    "credential": ({"phone_services", "cc_services", "sales"}, True),
    "status": ({"open", "won", "lost"}, True),
    "deal_type": ({"new_business", "existing_business"}, True),
}
AMOUNT = re.compile(r"^[0-9]+(\.[0-9]{1,2})?$")   # money in $0.. places 2


def plus_months(d, n):
    """d + n calendar months, a day past the month's end clamped to it."""
    y, m = divmod(d.month - 1 + n, 12)
    y, m = d.year + y, m + 1
    for last in (31, 30, 29, 28):
        try:
            return date(y, m, min(d.day, last))
        except ValueError:
            continue


def read(name):
    with open(HERE / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def valid(row):
    """The reason row does not fit the activity record, or None."""
    if not row["partner"]:
        return "partner is empty"
    try:
        row["_on"] = date.fromisoformat(row["on"])
    except ValueError:
        return f"on {row['on']!r} is not a date"
    for field, (allowed, optional) in CHOICES.items():
        if row[field] == "" and not optional:
            return f"{field} is empty"
        if row[field] != "" and row[field] not in allowed:
            return f"{field} {row[field]!r} is not one of the program's"
    if row["amount"] != "" and not AMOUNT.match(row["amount"]):
        return f"amount {row['amount']!r} is not an amount of at most 2 places"
    return None


def within(d, window):
    return window[0] <= d <= window[1]


def aggregates(acts, ptype, seen):
    """One partner's totals row (as text, like totals.csv) from its used
    activities; notes in seen what the data exercised."""
    n = {}

    def count(kind, window=PERIOD):
        return sum(1 for a in acts if a["kind"] == kind and within(a["_on"], window))

    for field, kind in (("advisory_engagements", "advisory"), ("solution_designs", "design"),
                        ("deployments", "deployment"), ("integrations", "integration")):
        n[field] = count(kind)
    won = [a for a in acts if a["kind"] == "deal" and a["status"] == "won"
           and within(a["_on"], PERIOD)]
    total = sum((Decimal(a["amount"]) for a in won if a["amount"]), Decimal(0))
    n["resale_revenue"] = total if ptype in ("VAR", "MSP") else 0
    n["sourced_bookings"] = total if ptype == "TA" else 0
    new = [a["customer"] for a in won if a["deal_type"] == "new_business" and a["customer"]]
    n["new_logos"] = len(set(new))
    if len(new) > len(set(new)):
        seen.add("a second won deal with a new customer")
    for field, credential in (("phone_certified", "phone_services"),
                              ("cc_certified", "cc_services"), ("sales_accredited", "sales")):
        held = [a for a in acts if a["kind"] == "certification" and a["credential"] == credential]
        people = [a["person"] for a in held if a["person"] and plus_months(a["_on"], 24) > AS_OF]
        n[field] = len(set(people))
        if len(people) > len(set(people)):
            seen.add("a renewal of a valid certification")
        if any(plus_months(a["_on"], 24) == AS_OF for a in held):
            seen.add("a certification expiring on the assessment date")
        if any(a["_on"] == TWO_YEARS[0] for a in held):
            seen.add("a certification earned on 2024-02-01")
    for field, product in (("phone_deployments", "phone"), ("cc_deployments", "contact_center")):
        mine = [a for a in acts if a["kind"] == "deployment" and a["product"] == product]
        n[field] = sum(1 for a in mine if within(a["_on"], TWO_YEARS))
        if any(within(a["_on"], TWO_YEARS) and a["_on"] < PERIOD[0] for a in mine):
            seen.add("a product deployment before the period, within two years")
        if any(a["_on"] < TWO_YEARS[0] for a in mine):
            seen.add("a product deployment a day before the two years")
    for a in acts:
        inside = within(a["_on"], PERIOD)
        seen.add(f"{a['kind']} {'counted' if inside else 'outside'} on {a['on']}")
        if a["kind"] == "deal":
            seen.add(f"deal {a['status']}")
        if a["kind"] == "deployment" and not a["product"]:
            seen.add("a deployment without a product")
    if any("," in a["customer"] for a in acts):
        seen.add("a customer with a comma")
    return {k: str(v) for k, v in n.items()}


def prm_example(acts):
    """Runs docs/data.md's PRM mapping script on its export; the reason it
    is not what the page says, or None."""
    text = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    section = text.split("### From a PRM export", 1)[1]
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```$", section, re.S | re.M)
    export, script, shown = blocks[:3]
    run = subprocess.run([sys.executable, "-c", script], input=export, capture_output=True,
                         text=True, encoding="utf-8")
    if run.returncode != 0 or run.stdout != shown:
        return f"the script writes\n{run.stdout}{run.stderr}"
    def norm(row):   # an amount to cents: 50000 and 50000.00 are one amount
        return tuple(str(Decimal(v).quantize(Decimal("0.01"))) if k == "amount" and v else v
                     for k, v in row.items())
    rows = sorted(map(norm, csv.DictReader(io.StringIO(shown))))
    want = sorted(norm(a) for a in acts if a["partner"] == rows[0][0])
    if rows != want:
        return f"its rows are not {rows[0][0]}'s rows of activities.csv"
    return None


def number(s):
    return Decimal(s).normalize()


REQUIRED = ["unknown partner", "after the as-of date", "deal lost", "deal open",
            "a second won deal with a new customer", "a renewal of a valid certification",
            "a certification earned on 2024-02-01", "a certification expiring on the assessment date",
            "a product deployment before the period, within two years",
            "a product deployment a day before the two years", "a deployment without a product",
            "a customer with a comma"]
REQUIRED += [f"{k} {how} on {d}" for k in ("advisory", "design", "deployment", "integration", "deal")
             for how, d in (("outside", "2025-01-31"), ("counted", "2025-02-01"),
                            ("counted", "2026-01-31"), ("outside", "2026-02-01"))]


def main():
    partners = {p["id"]: p for p in read("partners.csv")}
    totals = {t["id"]: t for t in read("totals.csv")}
    acts = read("activities.csv")
    srt = read("activities-sorted.csv")
    key = lambda r: tuple(r[c] for c in r)   # noqa: E731
    if sorted(map(key, acts)) != sorted(map(key, srt)):
        sys.exit("activities-sorted.csv does not hold the rows of activities.csv")
    order = [r["partner"].encode() for r in srt]
    if order != sorted(order):
        sys.exit("activities-sorted.csv is not sorted by partner key")
    if [r["partner"].encode() for r in acts] == sorted(r["partner"].encode() for r in acts):
        sys.exit("activities.csv is sorted by partner: it should show the unsorted case")

    seen = set()
    rejected = unknown = after = 0
    mine = {pid: [] for pid in partners}
    for line, a in enumerate(acts, start=2):
        why = valid(a)
        if why:
            print(f"activities.csv:{line}: {why}")
            rejected += 1
        elif a["partner"] not in partners:
            unknown += 1
            seen.add("unknown partner")
            if a["_on"] > AS_OF:
                sys.exit(f"activities.csv:{line}: unknown partner after the as-of date: "
                         "which it counts as is not for the data to decide")
        elif a["_on"] > AS_OF:
            after += 1
            seen.add("after the as-of date")
            seen.add(f"{a['kind']} outside on {a['on']}")
        else:
            mine[a["partner"]].append(a)
    if rejected:
        sys.exit(f"{rejected} activities do not fit the record")

    for pid, p in partners.items():
        got = aggregates(mine[pid], p["partner_type"], seen)
        want = totals[pid]
        for field, value in got.items():
            if number(value) != number(want[field]):
                sys.exit(f"{pid}: {field} counts {value} from activities.csv, "
                         f"totals.csv says {want[field]}")
    missing = [x for x in REQUIRED if x not in seen]
    if missing:
        sys.exit("activities.csv does not reach: " + "; ".join(missing))

    why = prm_example(read("activities.csv"))
    if why:
        sys.exit("docs/data.md, From a PRM export: " + why)

    read_n = len(acts)
    used = read_n - after - unknown - rejected
    summary = (f"activities: {read_n} read, {used} used, {after} after the as-of date, "
               f"{unknown} unknown partner, {rejected} rejected")
    if len(sys.argv) > 1 and sys.argv[1] == "counts":
        print(summary)
        return
    lines = [l for l in GOLDEN.read_text(encoding="utf-8").splitlines()
             if l.startswith("activities:")]
    if not lines or any(l != summary for l in lines):
        sys.exit(f"{GOLDEN.relative_to(ROOT)}: its 'activities:' lines should all read\n"
                 f"  {summary}")


if __name__ == "__main__":
    main()

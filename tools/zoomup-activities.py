#!/usr/bin/env python3
"""Generates programs/zoom-up/activities.csv and activities-sorted.csv: the
dated activities (deals, engagements, deployments, certifications) that a
partner relationship management system would export for the Zoom Up
sample partners, made so that each partner's activities, counted by the
rules of programs/zoom-up/zoom-up.rubric, add up exactly to its row of
programs/zoom-up/totals.csv, from which expected.csv was derived by hand.

    python3 tools/zoomup-activities.py

It writes the data; it checks nothing.  tests/oracle/zoomup_activities.py
counts the written files again by the rules as the program states them
(a separate reading: it shares no code with this file) and the test suite
runs it.  The seed is fixed, so a rerun writes the same bytes; the data is
committed, this script is only how it was made.

What counts (the program's rules, assessed as of 2026-01-31, the end of
the period 2025-02-01 to 2026-01-31):
- advisory, design, deployment, integration: one each, dated in the period;
- deals: won ones in the period; their amounts add up to resale_revenue
  (resellers) or sourced_bookings (advisors); new logos are the distinct
  customers of won new_business deals in the period;
- certified staff: the distinct people with that credential (Zoom Phone
  services, Contact Center services, the sales accreditation) earned less
  than 24 months before the assessment date (on + 24 months > 2026-01-31:
  from 2024-02-01);
- phone_deployments, cc_deployments (the specialization badges): that
  product's deployments in the 24 months ending on the assessment date
  (2024-02-01 to 2026-01-31), in the period or before it.

And the noise that must not count: the same kinds on 2025-01-31 (a day
before the period) and 2026-02-01 (a day after it, and after the
assessment date), lost and open deals, won deals outside the period,
certifications earned on 2024-01-31 or before (expired), renewals of a
certification (a second one for the same person: still one person),
deployments without a product or of Meetings, phone deployments on
2024-01-31 (a day too early for the badge), and activities of partners not
in partners.csv (ZU000, ZU045, ZU999, all dated in the period).
"""
import csv, random, sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.dont_write_bytecode = True
HERE = Path(__file__).resolve().parent.parent / "programs" / "zoom-up"
SEED = 20260131

START, END = date(2025, 2, 1), date(2026, 1, 31)   # the period; END is the as-of date
VALID_FROM = date(2024, 2, 1)                       # 24 months before the as-of date, plus a day
BEFORE, AFTER = START - timedelta(days=1), END + timedelta(days=1)
COLUMNS = ["partner", "kind", "on", "product", "credential", "amount", "status", "deal_type",
           "customer", "person"]
UNKNOWN = {"ZU000": 3, "ZU045": 2, "ZU999": 4}       # partner -> activities, none in partners.csv
EDGE = 0.08                                          # chance a date lands on its range's first or last day

FIRST = ["Granite", "Harbor", "Cedar", "Summit", "Bluewater", "Redwood", "Lakeside", "Ironbridge",
         "Silverline", "Maple", "Northgate", "Riverside", "Oakmont", "Westfield", "Brightwater",
         "Stonegate", "Pinecrest", "Eastview"]
SECOND = ["Dental", "Logistics", "Health", "Legal", "Foods", "Realty", "Clinics", "Schools",
          "Insurance", "Hotels", "Builders", "Credit Union", "Motors", "Labs"]


def day_in(rng, lo, hi):
    """A day from lo to hi (both included), on an end now and then."""
    r = rng.random()
    if r < EDGE:
        return lo
    if r < 2 * EDGE:
        return hi
    return lo + timedelta(days=rng.randrange((hi - lo).days + 1))


def money(cents):
    """An amount as a PRM writes it: whole dollars plain, else two places."""
    return str(cents // 100) if cents % 100 == 0 else f"{cents // 100}.{cents % 100:02d}"


def split(rng, cents, n):
    """cents in n positive parts, in whole dollars when cents is whole dollars."""
    unit = 100 if cents % 100 == 0 else 1
    weights = [rng.randint(1, 10) for _ in range(n)]
    parts = [cents // unit * w // sum(weights) * unit for w in weights]
    parts[-1] += cents - sum(parts)
    assert all(p > 0 for p in parts), (cents, n)
    return parts


def partner_activities(rng, pid, t):
    """Every activity of partner pid, whose totals row is t."""
    out = []

    def add(kind, on, **kw):
        row = {c: "" for c in COLUMNS}
        row.update(partner=pid, kind=kind, on=on.isoformat(), **kw)
        out.append(row)

    names = rng.sample([f"{a} {b}" for a in FIRST for b in SECOND], 40)
    if rng.random() < 0.3:
        names[0] = names[0].replace(" ", ", ", 1)     # a comma: the cell is quoted
    fresh = iter(names)

    # Deals.  New logos: one won new_business deal per new customer, then
    # existing_business deals and perhaps a second deal with a new
    # customer; the won amounts add up to the partner's revenue.
    cents = int((Decimal(t["resale_revenue"]) + Decimal(t["sourced_bookings"])) * 100)
    logos = [next(fresh) for _ in range(int(t["new_logos"]))]
    won = [("new_business", c) for c in logos]
    existing = [next(fresh) for _ in range(3)]
    won += [("existing_business", rng.choice(existing)) for _ in range(rng.randint(0, 2))]
    if logos and rng.random() < 0.4:
        won.append(("new_business", rng.choice(logos)))
    if cents and not won:
        won.append(("existing_business", existing[0]))
    assert cents or not won, pid
    for (dtype, cust), amount in zip(won, split(rng, cents, len(won)) if won else []):
        add("deal", day_in(rng, START, END), amount=money(amount), status="won", deal_type=dtype,
            customer=cust)
    noise = [("lost", START, END), ("open", START, END), ("won", BEFORE, BEFORE),
             ("won", AFTER, AFTER), ("won", date(2024, 3, 1), BEFORE),
             ("won", AFTER, date(2026, 6, 30))]
    for status, lo, hi in noise:
        if rng.random() < 0.35:
            add("deal", day_in(rng, lo, hi), amount=money(rng.randrange(5000, 90000) * 100),
                status=status, deal_type=rng.choice(["new_business", "existing_business"]),
                customer=next(fresh))

    # Engagements, designs, integrations: in the period; noise a day
    # before and a day after it, and earlier.
    for kind, field in (("advisory", "advisory_engagements"), ("design", "solution_designs"),
                        ("integration", "integrations")):
        for _ in range(int(t[field])):
            add(kind, day_in(rng, START, END))
        for on in (BEFORE, AFTER, day_in(rng, date(2023, 6, 1), BEFORE)):
            if rng.random() < 0.3:
                add(kind, on)

    # Deployments: those in the period of any product (or none); the
    # badge's phone and contact center ones over two years, some of them
    # in the period, the rest before it.
    deployed, phone, cc = (int(t[f]) for f in ("deployments", "phone_deployments", "cc_deployments"))
    phone_in = rng.randint(0, min(phone, deployed))
    cc_in = rng.randint(0, min(cc, deployed - phone_in))
    for product in ["phone"] * phone_in + ["contact_center"] * cc_in:
        add("deployment", day_in(rng, START, END), product=product)
    for _ in range(deployed - phone_in - cc_in):
        add("deployment", day_in(rng, START, END), product=rng.choice(["meetings", "meetings", ""]))
    for product in ["phone"] * (phone - phone_in) + ["contact_center"] * (cc - cc_in):
        add("deployment", day_in(rng, VALID_FROM, BEFORE), product=product)
    # A day before the period, only a product the badges do not count;
    # a day before the two years, or after the as-of date, any product.
    if rng.random() < 0.3:
        add("deployment", BEFORE, product=rng.choice(["meetings", ""]))
    for on in (AFTER, VALID_FROM - timedelta(days=1)):
        if rng.random() < 0.3:
            add("deployment", on, product=rng.choice(["phone", "contact_center"]))

    # Certified staff: one valid certification per person, some renewed
    # (a second one, still one person), and people whose certification
    # expired or comes after the assessment date.
    staff = [f"s{n:02d}@{pid.lower()}.example" for n in range(1, 41)]
    for credential, field in (("phone_services", "phone_certified"),
                              ("cc_services", "cc_certified"), ("sales", "sales_accredited")):
        people = rng.sample(staff[:20], int(t[field]))
        for person in people:
            add("certification", day_in(rng, VALID_FROM, END), credential=credential, person=person)
            if rng.random() < 0.2:   # renewed: an older one, expired or still valid
                add("certification", day_in(rng, date(2022, 1, 1), VALID_FROM - timedelta(days=1))
                    if rng.random() < 0.5 else day_in(rng, VALID_FROM, END),
                    credential=credential, person=person)
        others = iter(staff[20:])
        for on in (VALID_FROM - timedelta(days=1), date(2023, 9, 15), AFTER):
            if rng.random() < 0.3:
                add("certification", on, credential=credential, person=next(others))
    return out


def main():
    rng = random.Random(SEED)
    with open(HERE / "totals.csv", newline="", encoding="utf-8") as f:
        totals = list(csv.DictReader(f))
    rows = []
    for t in totals:
        rows += partner_activities(rng, t["id"], t)
    for pid, n in UNKNOWN.items():
        for _ in range(n):
            rows.append(dict({c: "" for c in COLUMNS}, partner=pid,
                             kind=rng.choice(["advisory", "design", "deployment"]),
                             on=day_in(rng, START, END).isoformat()))
    # An export in the order things happened: not by partner.
    rng.shuffle(rows)
    by_date = sorted(rows, key=lambda r: r["on"])
    by_partner = sorted(rows, key=lambda r: (r["partner"].encode(), r["on"]))
    for name, ordered in (("activities.csv", by_date), ("activities-sorted.csv", by_partner)):
        with open(HERE / name, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
            w.writeheader()
            w.writerows(ordered)
    print(f"{len(rows)} activities of {len(totals)} partners and {len(UNKNOWN)} unknown ones")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Independent oracle for programs/zoom-up: the illustrative Zoom Up rules
written again in Python with exact fractions, sharing no code with rubric.
It derives programs/zoom-up/expected.csv from each partner's identity
(programs/zoom-up/partners.csv) and its totals for the period
(programs/zoom-up/totals.csv: resale revenue, new logos, activities and
certified staff, as counted from activities.csv by the program's rules;
tests/oracle/zoomup_activities.py checks that count): track, tier, score,
every parameter's points and every category's total on the record's
track, badges, benefits, payouts, and each record's arithmetic.  It checks
that the data reaches every track, tier, badge and cap.

    python3 tests/oracle/zoomup.py generate   # rewrite partners.csv and totals.csv (seeded)
    python3 tests/oracle/zoomup.py expect     # rewrite expected.csv
    python3 tests/oracle/zoomup.py verify     # fail if expected.csv is stale

After `generate`, tools/zoomup-activities.py writes the activities that
add up to totals.csv.
"""
import csv, random, sys
from fractions import Fraction as F
from pathlib import Path

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))
from oracle import derive, fmt, main, round6  # noqa: E402

HERE = Path(__file__).resolve().parent.parent.parent / "programs" / "zoom-up"
# partners.csv holds the first four, totals.csv the id and the rest.
IDENTITY = 4
FIELDS = ["id", "name", "partner_type", "agreement_signed", "resale_revenue", "sourced_bookings",
          "new_logos", "advisory_engagements", "solution_designs", "deployments", "integrations",
          "phone_certified", "cc_certified", "sales_accredited", "phone_deployments",
          "cc_deployments"]


def capped(raw, hi, seen, what):
    if raw > hi:
        seen.add("cap:" + what)
    return min(raw, hi)


def yes(s):
    return s.strip().lower() in ("1", "true", "yes")


def score(r, seen):
    n = {k: int(r[k]) for k in FIELDS[6:]}
    rev, book = F(r["resale_revenue"]), F(r["sourced_bookings"])
    ptype = r["partner_type"]
    if ptype in ("VAR", "MSP") and yes(r["agreement_signed"]):
        track = "reseller"
    elif ptype == "TA" and yes(r["agreement_signed"]):
        track = "advisor"
    else:
        seen.add("unassigned")
        return {"arithmetic": "unassigned"}
    seen.add("track:" + track)
    out = {}   # column -> value; a category off the record's track stays empty
    logos = capped(10 * n["new_logos"], 100, seen, "logos")
    advisory = capped(15 * n["advisory_engagements"], 150, seen, "advisory")
    design = capped(20 * n["solution_designs"], 100, seen, "design")
    presale = min(250, advisory + design)
    phone = capped(10 * n["phone_certified"], 80, seen, "phone")
    cc = capped(10 * n["cc_certified"], 80, seen, "cc")
    accredited = capped(5 * n["sales_accredited"], 40, seen, "sales")
    services = min(200, phone + cc + accredited)
    out.update({"presale.advisory": advisory, "presale.design": design, "presale": presale,
                "services.phone": phone, "services.contact_center": cc,
                "services.sales": accredited, "services": services})
    if track == "reseller":
        revenue = capped(round6(rev * 300 / 1000000), 300, seen, "revenue")
        sales = min(400, revenue + logos)
        deployment = capped(25 * n["deployments"], 150, seen, "deployment")
        integration = capped(20 * n["integrations"], 100, seen, "integration")
        postsale = min(250, deployment + integration)
        out.update({"resale.revenue": revenue, "resale.logos": logos, "resale": sales,
                    "postsale.deployment": deployment, "postsale.integration": integration,
                    "postsale": postsale})
        total = min(1000, sales + presale + postsale + services)
        why = f"resale {fmt(revenue)}+{fmt(logos)}; presale {fmt(presale)}; postsale {fmt(postsale)}; services {fmt(services)}"
        tier = "authorized"
        if total >= 350:
            tier = "preferred"
            if total >= 650 and n["phone_certified"] + n["cc_certified"] >= 4:
                tier = "premier"
        rebate_pct = {"authorized": 1, "preferred": 3, "premier": 5}[tier]
        uplift_pct = 0
    else:
        bookings = capped(round6(book * 300 / 2000000), 300, seen, "bookings")
        sales = min(400, bookings + logos)
        out.update({"sourcing.bookings": bookings, "sourcing.logos": logos, "sourcing": sales})
        total = min(1000, sales + presale + services)
        why = f"sourcing {fmt(bookings)}+{fmt(logos)}; presale {fmt(presale)}; services {fmt(services)}"
        tier = "elite" if total >= 400 else "registered"
        rebate_pct = 0
        uplift_pct = {"registered": F(1, 2), "elite": 2}[tier]
    seen.add("tier:" + tier)
    badges = []
    if n["phone_certified"] >= 2 and n["phone_deployments"] >= 3:
        badges.append("phone_specialist")
    if n["cc_certified"] >= 2 and n["cc_deployments"] >= 2:
        badges.append("cc_specialist")
    for b in badges:
        seen.add("badge:" + b)
    spiff = tier in ("preferred", "premier", "registered", "elite")
    rebate = round6(rev * rebate_pct / 100)
    uplift = round6(book * uplift_pct / 100)
    spiffs = n["new_logos"] * 250 if spiff else 0
    out = {k: fmt(v) for k, v in out.items()}
    out.update({"track": track, "tier": tier, "score": fmt(total), "badges": ";".join(badges),
                "locator": "yes" if tier in ("preferred", "premier", "elite") else "no",
                "rebate_pct": fmt(rebate_pct), "commission_uplift_pct": fmt(uplift_pct),
                "spiff_eligible": "yes" if spiff else "no", "rebate": fmt(rebate),
                "commission_uplift": fmt(uplift), "spiffs": fmt(spiffs),
                "arithmetic": why + f"; score {fmt(total)}"})
    return out


COLUMNS = ["id", "track", "tier", "score", "resale.revenue", "resale.logos", "sourcing.bookings",
           "sourcing.logos", "presale.advisory", "presale.design", "postsale.deployment",
           "postsale.integration", "services.phone", "services.contact_center", "services.sales",
           "resale", "sourcing", "presale", "postsale", "services", "badges", "locator",
           "rebate_pct", "commission_uplift_pct", "spiff_eligible", "rebate", "commission_uplift",
           "spiffs", "arithmetic"]


REQUIRED = ["unassigned", "track:reseller", "track:advisor", "tier:authorized", "tier:preferred",
            "tier:premier", "tier:registered", "tier:elite", "badge:phone_specialist",
            "badge:cc_specialist", "cap:revenue", "cap:bookings", "cap:logos", "cap:advisory",
            "cap:deployment"]


def expected_text():
    def row(r, seen):
        cells = score(r, seen)
        cells["id"] = r["id"]
        return [cells.get(c, "") for c in COLUMNS]
    return derive(HERE, COLUMNS, row, REQUIRED, also="totals.csv")


NAMES = ["Northwind Unified, Inc.", "Brightline Voice", "Cloudcall Partners", "Meridian Advisors",
         "Pacific UC Group", "Helix Managed Services", "Orbit Telecom Advisory", "Lumière Conseil",
         "Skyward Networks", "Atlas Collaboration", "Harbor Voice, LLC", "Kōbe Cloud Systems"]


def generate():
    rng = random.Random(20250201)
    rows = []

    def add(**kw):
        base = {k: "0" for k in FIELDS}
        base.update(name=NAMES[len(rows) % len(NAMES)], partner_type="VAR", agreement_signed="yes")
        base.update({k: str(v) for k, v in kw.items()})
        base["id"] = f"ZU{len(rows) + 1:03d}"
        rows.append(base)

    # The test blocks' partners, then edges.
    add(partner_type="VAR", resale_revenue=1200000, new_logos=12, advisory_engagements=6,
        solution_designs=3, deployments=7, integrations=2, phone_certified=4, cc_certified=2,
        sales_accredited=6, phone_deployments=5, cc_deployments=1)
    add(partner_type="MSP", resale_revenue=1200000, new_logos=12, advisory_engagements=6,
        solution_designs=3, deployments=7, integrations=2, phone_certified=3, sales_accredited=6)
    add(partner_type="VAR", resale_revenue=50000, new_logos=1)
    add(partner_type="TA", sourced_bookings=2500000, new_logos=9, advisory_engagements=11,
        solution_designs=2, deployments=40, cc_certified=3, sales_accredited=2, cc_deployments=2)
    add(partner_type="TA", sourced_bookings=400000)
    add(partner_type="VAR", agreement_signed="no", resale_revenue=900000)
    add(partner_type="TA", agreement_signed="No", sourced_bookings=100000)
    # Exactly at the thresholds: 350 preferred, 649.99 not premier, 650 premier, 400 elite.
    add(partner_type="VAR", resale_revenue=1000000, new_logos=5)                 # 300 + 50 = 350
    add(partner_type="MSP", resale_revenue="999966.67", new_logos=10, deployments=6,
        phone_certified=4, cc_certified=0, advisory_engagements=0)             # 299.99 + 100 + 150 + 40 = 589.99
    add(partner_type="VAR", resale_revenue=1000000, new_logos=10, deployments=6, integrations=5,
        phone_certified=2, cc_certified=2, phone_deployments=3, cc_deployments=2)  # 400 + 250 + 40 = 690
    add(partner_type="TA", sourced_bookings=2000000, new_logos=10)               # 300 + 100 = 400
    add(partner_type="TA", sourced_bookings="1999993.34", new_logos=10)          # 299.999 + 100
    while len(rows) < 44:
        ptype = rng.choice(["VAR", "MSP", "TA", "VAR", "MSP", "TA"])
        big = rng.random() < 0.4
        add(partner_type=ptype, agreement_signed="yes" if rng.random() > 0.05 else "no",
            resale_revenue=0 if ptype == "TA" else rng.randrange(0, 1500000 if big else 400000, 100),
            sourced_bookings=rng.randrange(0, 3000000 if big else 600000, 100) if ptype == "TA" else 0,
            new_logos=rng.randrange(0, 14), advisory_engagements=rng.randrange(0, 12),
            solution_designs=rng.randrange(0, 6), deployments=rng.randrange(0, 9),
            integrations=rng.randrange(0, 6), phone_certified=rng.randrange(0, 6),
            cc_certified=rng.randrange(0, 5), sales_accredited=rng.randrange(0, 9),
            phone_deployments=rng.randrange(0, 6), cc_deployments=rng.randrange(0, 4))
    for name, fields in (("partners.csv", FIELDS[:IDENTITY]),
                         ("totals.csv", FIELDS[:1] + FIELDS[IDENTITY:])):
        with open(HERE / name, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
            w.writeheader()
            w.writerows(rows)


if __name__ == "__main__":
    main(HERE, "zoomup.py", expected_text, generate)

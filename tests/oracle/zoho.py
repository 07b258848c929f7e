#!/usr/bin/env python3
"""Independent oracle for programs/zoho: the published Zoho rules (as issue 2
reads them) written again in Python with exact fractions, sharing no code with
rubric.  It derives programs/zoho/expected.csv from programs/zoho/partners.csv
(tier, score, every parameter's points and every category's total, and
each record's arithmetic spelled out), and checks that the data reaches
every band row, every reachable cap, every tier and both region classes.

    python3 tests/oracle/zoho.py generate   # rewrite partners.csv (seeded)
    python3 tests/oracle/zoho.py expect     # rewrite expected.csv from partners.csv
    python3 tests/oracle/zoho.py verify     # fail if expected.csv is stale

Rounding follows docs/language.md: a division rounds half to even to six
decimal places; nothing else rounds.
"""
import csv, datetime, random, sys
from fractions import Fraction as F
from pathlib import Path

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))
from oracle import derive, fmt, main, round6  # noqa: E402

HERE = Path(__file__).resolve().parent.parent.parent / "programs" / "zoho"
FIELDS = ["id", "name", "region_class", "revenue_prev", "revenue", "new_customers",
          "good_ratings", "escalations", "certifications", "projects", "case_studies",
          "practice_staff", "retention_pct", "leadgen_event", "branded_event",
          "required_certs", "branding", "onboarded", "first_go_live"]
BENCH = {"developed": F(200000), "developing": F(150000)}


def clamp(x, lo, hi):
    return max(lo, min(hi, x))


def add_months(d, n):
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    last = [31, 29 if (y % 4 == 0 and y % 100 != 0) or y % 400 == 0 else 28, 31, 30, 31, 30,
            31, 31, 30, 31, 30, 31][m - 1]
    return datetime.date(y, m, min(d.day, last))


def flag(s):
    return s.strip().lower() in ("1", "true", "yes")


PARTS = ["revenue.growth", "revenue.acquisition", "success.retention", "success.csat",
         "success.escalations", "readiness.certifications", "readiness.projects",
         "readiness.case_studies", "engagement.practice", "engagement.campaigns",
         "engagement.branding", "revenue", "success", "readiness", "engagement"]


def score(rec, seen):
    """Returns (tier, score, arithmetic, parts) for one record, parts in the
    order of PARTS; notes coverage in seen."""
    rev, prev = F(rec["revenue"]), F(rec["revenue_prev"])
    bench = BENCH[rec["region_class"]]
    seen.add("region:" + rec["region_class"])
    why = []
    if rev > 5000:
        raw = round6((rev - prev) * 400 / bench)
        growth = clamp(raw, 0, 400)
        why.append(f"growth ({fmt(rev)}-{fmt(prev)})*400/{fmt(bench)}={fmt(raw)}->{fmt(growth)}")
        if raw > 400: seen.add("cap:growth:hi")
        if raw < 0: seen.add("cap:growth:lo")
    else:
        growth = F(0)
        why.append("growth 0 (revenue<=5000)")
    nc = int(rec["new_customers"])
    acq_raw = (nc // 10) * 10 if nc > 10 else 0
    acq = min(100, acq_raw)
    if acq_raw > 100: seen.add("cap:acquisition:hi")
    why.append(f"acq {acq}")
    pct = F(rec["retention_pct"])
    for i, (hi, pts) in enumerate([(25, F(0)), (50, F(25)), (75, F(50))]):
        if pct <= hi:
            ret = pts
            seen.add(f"band:retention:{i}")
            break
    else:
        ret = pct
        seen.add("band:retention:else")
    why.append(f"ret {fmt(ret)}")
    gr = int(rec["good_ratings"])
    csat = min(100, 5 * gr)
    if 5 * gr > 100: seen.add("cap:csat:hi")
    e = int(rec["escalations"])
    esc = 0 if e < 2 else max(-100, -10 * e)
    if e >= 2 and -10 * e < -100: seen.add("cap:escalations:lo")
    why.append(f"csat {csat} esc {esc}")
    c = int(rec["certifications"])
    cert = 0 if c < 3 else min(100, 5 * c)
    if c >= 3 and 5 * c > 100: seen.add("cap:certifications:hi")
    p, cs = int(rec["projects"]), int(rec["case_studies"])
    proj, case = min(50, 10 * p), min(50, 10 * cs)
    if 10 * p > 50: seen.add("cap:projects:hi")
    if 10 * cs > 50: seen.add("cap:case_studies:hi")
    why.append(f"cert {cert} proj {proj} case {case}")
    staff = int(rec["practice_staff"])
    for i, (hi, pts) in enumerate([(2, 0), (5, 5), (10, 10), (25, 20)]):
        if staff <= hi:
            prac = pts
            seen.add(f"band:practice:{i}")
            break
    else:
        prac = 25
        seen.add("band:practice:else")
    camp = (10 if flag(rec["leadgen_event"]) else 0) + (15 if flag(rec["branded_event"]) else 0)
    brand = F(rec["branding"])
    why.append(f"prac {prac} camp {camp} brand {fmt(brand)}")
    total = growth + acq + ret + csat + esc + cert + proj + case + prac + camp + brand
    onboarded = datetime.date.fromisoformat(rec["onboarded"])
    golive = rec["first_go_live"].strip()
    in_time = bool(golive) and datetime.date.fromisoformat(golive) <= add_months(onboarded, 6)
    # The entry output: the first Authorized criterion missing, in the
    # guide's order, or met.
    entry = ("needs_revenue" if rev <= 5000 else "needs_certs" if not flag(rec["required_certs"])
             else "needs_go_live" if not in_time else "met")
    seen.add("entry:" + entry)
    tier = "new"
    if rev > 5000 and flag(rec["required_certs"]) and in_time:
        tier = "authorized"
        if total > 400:
            tier = "advanced"
            if total > 600:
                tier = "premium"
    seen.add("tier:" + tier)
    why.append(f"score {fmt(total)}")
    points = [growth, acq, ret, csat, esc, cert, proj, case, prac, camp, brand]
    categories = [growth + acq, ret + csat + esc, cert + proj + case, prac + camp + brand]
    return tier, total, "; ".join(why), points + categories, entry


REQUIRED = (["region:developed", "region:developing"]
            + [f"band:retention:{i}" for i in ("0", "1", "2", "else")]
            + [f"band:practice:{i}" for i in ("0", "1", "2", "3", "else")]
            + ["cap:growth:hi", "cap:growth:lo", "cap:acquisition:hi", "cap:csat:hi",
               "cap:escalations:lo", "cap:certifications:hi", "cap:projects:hi",
               "cap:case_studies:hi"]
            + ["tier:new", "tier:authorized", "tier:advanced", "tier:premium"]
            + [f"entry:{e}" for e in ("met", "needs_revenue", "needs_certs", "needs_go_live")])


def expected_text():
    def row(rec, seen):
        tier, total, why, parts, entry = score(rec, seen)
        return [rec["id"], tier, fmt(total), *map(fmt, parts), entry, why]
    return derive(HERE, ["id", "tier", "score", *PARTS, "entry", "arithmetic"], row, REQUIRED)


NAMES = ["Acme Consulting, Inc.", "Müller Beratung GmbH", "Société Générale Conseil",
         "東京コンサルティング株式会社", 'The "Best" Partners', "Nordlys Rådgivning AS",
         "São Paulo Soluções Ltda", "Zürich Digital AG", "Kraków Systems, Sp. z o.o.",
         "Bright Path Advisors", "Cedar & Pine Consulting", "Delta Cloud Works",
         "Evergreen IT", "Fjord Analytics", "Granite Systems", "Harbor Light Tech",
         "Indigo Process Group", "Juniper Solutions", "Kestrel Digital", "Lumen Partners"]


def generate():
    rng = random.Random(20241122)
    rows = []

    def add(**kw):
        base = dict(name=NAMES[len(rows) % len(NAMES)], region_class="developed",
                    revenue_prev="0", revenue="0", new_customers="0", good_ratings="0",
                    escalations="0", certifications="0", projects="0", case_studies="0",
                    practice_staff="0", retention_pct="0", leadgen_event="no",
                    branded_event="no", required_certs="no", branding="0",
                    onboarded="2024-01-15", first_go_live="")
        base.update({k: str(v) for k, v in kw.items()})
        base["id"] = f"ZP{len(rows) + 1:03d}"
        rows.append(base)

    # Hand-picked edges first: each row, cap and tier boundary.
    add(revenue=5000, revenue_prev=0, required_certs="yes", first_go_live="2024-02-01")
    add(revenue="5000.01", required_certs="yes", onboarded="2024-01-31", first_go_live="2024-07-31")
    add(revenue="5000.01", required_certs="yes", onboarded="2024-01-31", first_go_live="2024-08-01")
    add(revenue=1500000, revenue_prev=1000000, region_class="developed")
    add(revenue=10000, revenue_prev=90000, region_class="developing")
    add(revenue=100000, revenue_prev=40000, region_class="developing", new_customers=37)
    add(new_customers=10)
    add(new_customers=11)
    add(new_customers=250)
    add(retention_pct=25)
    add(retention_pct="25.5")
    add(retention_pct=50)
    add(retention_pct=75)
    add(retention_pct="75.5")
    add(retention_pct=100)
    add(good_ratings=23, escalations=14)
    add(escalations=1)
    add(escalations=2)
    add(certifications=2)
    add(certifications=3)
    add(certifications=25, projects=7, case_studies=9)
    add(practice_staff=2)
    add(practice_staff=3)
    add(practice_staff=10)
    add(practice_staff=25)
    add(practice_staff=26, leadgen_event="TRUE", branded_event="Yes", branding="42.5")
    # Premium, with every category at work (the test block's partner).
    add(region_class="developed", revenue_prev=250000, revenue=400000, new_customers=45,
        retention_pct=88, good_ratings=12, escalations=3, certifications=8, projects=4,
        case_studies=2, practice_staff=12, leadgen_event=1, branding=35, required_certs=1,
        onboarded="2023-03-15", first_go_live="2023-06-01")
    # The same score without the certifications: stays new.
    add(region_class="developed", revenue_prev=250000, revenue=400000, new_customers=45,
        retention_pct=88, good_ratings=12, escalations=3, certifications=8, projects=4,
        case_studies=2, practice_staff=12, leadgen_event=1, branding=35, required_certs=0,
        onboarded="2023-03-15", first_go_live="2023-06-01")
    # Exactly 400 and exactly 600 are not above: authorized and advanced.
    add(revenue=205000, revenue_prev=5000, required_certs="yes", first_go_live="2024-03-01")
    add(revenue=205000, revenue_prev=5000, required_certs="yes", first_go_live="2024-03-01",
        new_customers=100, retention_pct=100)
    add(revenue="205000.01", revenue_prev=5000, required_certs="yes", first_go_live="2024-03-01",
        new_customers=100, retention_pct=100)
    # A developing-region growth that does not divide evenly (rounds at 6 places).
    add(region_class="developing", revenue="123456.78", revenue_prev="100000", required_certs="yes",
        first_go_live="2024-05-01")
    # The rest: realistic spread, seeded.
    while len(rows) < 64:
        region = rng.choice(["developed", "developing"])
        prev = rng.randrange(0, 600000, 500)
        rev = max(0, prev + rng.randrange(-50000, 260000, 250))
        start = datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randrange(0, 600))
        live = "" if rng.random() < 0.15 else str(start + datetime.timedelta(days=rng.randrange(10, 260)))
        add(region_class=region, revenue_prev=prev, revenue=rev,
            new_customers=rng.randrange(0, 130), good_ratings=rng.randrange(0, 30),
            escalations=rng.choice([0, 0, 0, 1, 2, 3, 5, 12]),
            certifications=rng.randrange(0, 24), projects=rng.randrange(0, 8),
            case_studies=rng.randrange(0, 7), practice_staff=rng.randrange(0, 40),
            retention_pct=rng.choice([rng.randrange(0, 101), round(rng.uniform(20, 99), 1)]),
            leadgen_event=rng.choice(["yes", "no"]), branded_event=rng.choice(["yes", "no"]),
            required_certs=rng.choice(["yes", "yes", "yes", "no"]),
            branding=rng.choice([rng.randrange(0, 51), round(rng.uniform(0, 50), 1)]),
            onboarded=str(start), first_go_live=live)
    with open(HERE / "partners.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\r\n")
        w.writeheader()
        w.writerows(rows)


if __name__ == "__main__":
    main(HERE, "zoho.py", expected_text, generate)

#!/usr/bin/env python3
"""Independent oracle for programs/solutions-partner: the model of
Microsoft's Solutions Partner designations, as the header of
solutions-partner.rubric states its rules in words, written again in Python
with exact fractions, sharing no code with rubric.  It derives
programs/solutions-partner/expected.csv from partners.csv (tier, score,
every area's points, the category totals, each area's capability score and
status, and the partner's outputs, with each record's arithmetic spelled
out), and checks that the data reaches every tier, every usage row, every
cap, each status, the floor raising a tier, and an unset average.

    python3 tests/oracle/solutionspartner.py generate   # rewrite partners.csv (seeded)
    python3 tests/oracle/solutionspartner.py expect     # rewrite expected.csv
    python3 tests/oracle/solutionspartner.py verify     # fail if expected.csv is stale

The rules, as the header states them:
- six areas; in each, net customer adds 3 points each up to 30;
  intermediate certified individuals 5 each up to 25, advanced 5 each up to
  15; usage growth $1,000 and above 4, $5,000 8, $10,000 12, $25,000 16,
  $50,000 20, below $1,000 0; deployments 2 each up to 10;
- the capability score is the sum of the five; an area is designated with
  a score of at least 70 and points in each of performance, skilling and
  customer success; status not_started (score 0), in_progress, completed;
- earned tier: member; solutions_partner with one designation or more;
  microsoft_cloud with all six; the final tier is the higher of the earned
  one and held_tier (blank or none holds nothing);
- average over the areas with a score above 0, empty when there are none
  (a division, rounded half to even to six places, as docs/language.md
  says); the strongest area is the first of the highest; the score is the
  six capability scores added.
"""
import csv, random, sys
from fractions import Fraction as F
from pathlib import Path

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))
from oracle import derive, fmt, main, round6  # noqa: E402

HERE = Path(__file__).resolve().parent.parent.parent / "programs" / "solutions-partner"
AREAS = ["data_ai", "infra", "digital_apps", "biz_apps", "modern_work", "security"]
METRICS = ["net_adds", "intermediate", "advanced", "usage_growth", "deployments"]
FIELDS = (["id", "name"] + [f"{a}_{m}" for a in AREAS for m in METRICS] + ["held_tier"])
LADDER = ["member", "solutions_partner", "microsoft_cloud"]
QUALIFYING = 70
# usage growth: (lowest amount of the row, points), read "this amount and above"
USAGE_ROWS = [(F(1000), 4), (F(5000), 8), (F(10000), 12), (F(25000), 16), (F(50000), 20)]
# (field, points each, cap)
PER_UNIT = {"net_adds": (3, 30), "intermediate": (5, 25), "advanced": (5, 15),
            "deployments": (2, 10)}


def per_unit(n, metric, area, seen):
    each, cap = PER_UNIT[metric]
    if n * each > cap:
        seen.add("cap:" + metric)
    return min(n * each, cap)


def usage_points(amount, seen):
    pts, row = 0, "else"
    for low, p in USAGE_ROWS:
        if amount >= low:
            pts, row = p, fmt(low)
    seen.add("band:usage:" + row)
    if any(amount == low for low, _ in USAGE_ROWS):
        seen.add("band:usage:exact:" + row)
    if amount < 0:
        seen.add("band:usage:fall")
    return pts


def score(r, seen):
    cells, why = {}, []
    pcs, designated = {}, {}
    for a in AREAS:
        n = {m: int(r[f"{a}_{m}"]) for m in PER_UNIT}
        perf = per_unit(n["net_adds"], "net_adds", a, seen)
        inter = per_unit(n["intermediate"], "intermediate", a, seen)
        adv = per_unit(n["advanced"], "advanced", a, seen)
        use = usage_points(F(r[f"{a}_usage_growth"]), seen)
        dep = per_unit(n["deployments"], "deployments", a, seen)
        cells.update({f"performance.{a}_net_adds": perf, f"skilling.{a}_intermediate": inter,
                      f"skilling.{a}_advanced": adv, f"success.{a}_usage": use,
                      f"success.{a}_deployments": dep})
        total = perf + inter + adv + use + dep
        pcs[a] = total
        every = perf > 0 and inter + adv > 0 and use + dep > 0
        designated[a] = total >= QUALIFYING and every
        if total >= QUALIFYING and not every:
            seen.add("missing:" + ("performance" if perf == 0 else
                                   "skilling" if inter + adv == 0 else "success"))
        if designated[a]:
            seen.add("designated:" + a)
            if total == QUALIFYING:
                seen.add("designated:exactly")
        status = ("completed" if designated[a] else "in_progress" if total > 0 else "not_started")
        seen.add("status:" + status)
        cells[f"{a}_pcs"] = total
        cells[f"{a}_status"] = status
        if total > 0:
            why.append(f"{a} {perf}+{inter}+{adv}+{use}+{dep}={total} {status}")
    for cat, parts in (("performance", ["net_adds"]), ("skilling", ["intermediate", "advanced"]),
                       ("success", ["usage", "deployments"])):
        cells[cat] = sum(cells[f"{cat}.{a}_{p}"] for a in AREAS for p in parts)
    total = sum(pcs.values())
    count = sum(designated.values())
    earned = "microsoft_cloud" if count == 6 else "solutions_partner" if count else "member"
    held = r["held_tier"].strip()
    final = earned
    if held in LADDER and LADDER.index(held) > LADDER.index(earned):
        final = held
        seen.add("floor:raised:" + held)
    elif held in LADDER:
        seen.add("floor:not_above")
    elif held == "none":
        seen.add("floor:none")
    seen.add("earned:" + earned)
    seen.add("tier:" + final)
    high = max(pcs.values())
    strongest = next(a for a in AREAS if pcs[a] == high)
    if high > 0 and sum(1 for a in AREAS if pcs[a] == high) > 1:
        seen.add("best:tie")
    started = [a for a in AREAS if pcs[a] > 0]
    if started:
        exact = F(sum(pcs[a] for a in started), len(started))
        average = round6(exact)
        if average != exact:
            seen.add("average:rounded")
        avg_why = f"average {sum(pcs[a] for a in started)}/{len(started)}={fmt(average)}"
    else:
        average = None
        seen.add("average:unset")
        avg_why = "no area started: no average"
    cells = {k: v if isinstance(v, str) else fmt(v) for k, v in cells.items()}
    cells.update({"tier": final, "score": fmt(total), "designations": str(count),
                  "best_area": strongest, "best_pcs": fmt(high),
                  "average_pcs": "" if average is None else fmt(average),
                  "listed": "yes" if LADDER.index(final) >= 1 else "no",
                  "held_over": "yes" if final != earned else "no"})
    tier_why = f"{count} designated: earned {earned}"
    if held:
        tier_why += f" (held {held})"
    tier_why += f" -> {final}"
    cells["arithmetic"] = "; ".join((why or ["every area 0"]) + [tier_why, avg_why,
                                                                 f"score {fmt(total)}"])
    return cells


COLUMNS = (["id", "tier", "score"]
           + [f"performance.{a}_net_adds" for a in AREAS]
           + [f"skilling.{a}_intermediate" for a in AREAS]
           + [f"skilling.{a}_advanced" for a in AREAS]
           + [f"success.{a}_usage" for a in AREAS]
           + [f"success.{a}_deployments" for a in AREAS]
           + ["performance", "skilling", "success"]
           + [f"{a}_pcs" for a in AREAS] + [f"{a}_status" for a in AREAS]
           + ["designations", "best_area", "best_pcs", "average_pcs", "listed", "held_over",
              "arithmetic"])

REQUIRED = (["tier:" + t for t in LADDER] + ["earned:" + t for t in LADDER]
            + ["floor:raised:solutions_partner", "floor:raised:microsoft_cloud",
               "floor:not_above", "floor:none"]
            + ["band:usage:else", "band:usage:fall"]
            + ["band:usage:" + fmt(low) for low, _ in USAGE_ROWS]
            + ["band:usage:exact:" + fmt(low) for low, _ in USAGE_ROWS]
            + ["cap:" + m for m in PER_UNIT]
            + ["status:not_started", "status:in_progress", "status:completed"]
            + ["designated:" + a for a in AREAS] + ["designated:exactly"]
            # skilling cannot be the missing metric at 70: 30 + 30 is 60
            + ["missing:performance", "missing:success"]
            + ["average:unset", "average:rounded", "best:tie"])


def expected_text():
    def row(r, seen):
        cells = score(r, seen)
        cells["id"] = r["id"]
        return [cells[c] for c in COLUMNS]
    return derive(HERE, COLUMNS, row, REQUIRED)


NAMES = ["Contoso Cloud Services", "Fabrikam Digital, Ltd.", "Northwind Data & AI",
         "Tailspin Modern Work", "Wingtip Security GmbH", "Adatum Consulting",
         "Litware Infrastructure", "Proseware Apps", "Lucerne Analytics AG", "Woodgrove IT",
         "Alpine Ski Systems", "Coho Business Solutions", "Humongous Insurance IT",
         "Trey Research Partners", "Bellows Cloud SAS", "Kōtuku Systems Ltd"]

# An area's figures that score 100: 30 + 25 + 15 + 20 + 10.
FULL = {"net_adds": 10, "intermediate": 5, "advanced": 3, "usage_growth": 50000, "deployments": 5}


def generate():
    rng = random.Random(20240701)
    rows = []

    def add(held="", **areas):
        """areas: AREA={metric: value}; what is left out is 0."""
        base = {k: "0" for k in FIELDS}
        base.update(name=NAMES[len(rows) % len(NAMES)], held_tier=held)
        for a, figures in areas.items():
            for m, v in figures.items():
                base[f"{a}_{m}"] = str(v)
        base["id"] = f"SP{len(rows) + 1:03d}"
        rows.append(base)

    # The test blocks' partners first.
    mw71 = dict(net_adds=9, intermediate=5, advanced=1, usage_growth=12000, deployments=1)
    add(modern_work=mw71)                                                         # 71, designated
    add(security=dict(net_adds=12, intermediate=9, advanced=4))                  # 70, no success
    at70 = dict(net_adds=7, intermediate=5, advanced=2, usage_growth=5000, deployments=3)
    add(infra=at70)                                                               # exactly 70
    add(infra=dict(at70, usage_growth="4999.99"))                                 # 66
    add(**{a: dict(FULL, deployments=7) for a in AREAS})                          # cloud, ties
    add()                                                                         # nothing: no average
    add(held="solutions_partner", data_ai=dict(net_adds=2))                       # held over
    add(held="member", biz_apps=dict(net_adds=10, intermediate=5, advanced=3, usage_growth=1000))
    add(data_ai=mw71, security=at70,
        modern_work=dict(net_adds=15, intermediate=5, usage_growth=-2500))        # 196 / 3
    add(held="microsoft_cloud", **{a: FULL for a in AREAS[:5]})                   # cloud held
    capped = dict(net_adds=11, intermediate=6, advanced=4)                        # 70, no success
    add(**{a: dict(capped, deployments=1 if a == "digital_apps" else 0) for a in AREAS})
    add(**{a: dict(usage_growth=u) for a, u in
           zip(AREAS, ["999.99", 1000, 5000, 10000, 25000, 50000])})              # one row each
    # Edges the tests do not cover.
    add(digital_apps=dict(intermediate=5, advanced=3, usage_growth=50000, deployments=5))  # 70, no performance
    add(digital_apps=dict(net_adds=1, intermediate=1, usage_growth=25000, deployments=2))  # 3+5+16+4
    add(data_ai=dict(net_adds=3, usage_growth=10000))                                      # 9+12
    add(held="none", security=dict(net_adds=4, advanced=1, usage_growth="999.99"))        # 12+5+0
    add(held="solutions_partner", **{a: FULL for a in AREAS})                     # floor below earned
    add(biz_apps=dict(FULL, usage_growth=24999.99), data_ai=dict(FULL, usage_growth=49999.99))
    add(infra=FULL, modern_work=FULL)                                             # a tie at 100
    # The rest: realistic spread, seeded.  Each partner works in one to
    # four areas; about one in five held a tier at its last anniversary.
    while len(rows) < 36:
        areas = {}
        for a in rng.sample(AREAS, rng.randrange(1, 5)):
            strong = rng.random() < 0.5
            areas[a] = dict(
                net_adds=rng.randrange(0, 14 if strong else 6),
                intermediate=rng.randrange(0, 8 if strong else 4),
                advanced=rng.randrange(0, 5 if strong else 2),
                usage_growth=rng.choice([rng.randrange(-20000, 80000 if strong else 15000, 50),
                                         round(rng.uniform(-5000, 60000), 2)]),
                deployments=rng.randrange(0, 8 if strong else 3))
        held = rng.choice(["", "", "", "", "solutions_partner", "member", "none"])
        add(held=held, **areas)
    with open(HERE / "partners.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


if __name__ == "__main__":
    main(HERE, "solutionspartner.py", expected_text, generate)

"""What every oracle in tests/oracle/ shares: rubric's arithmetic as the
docs state it (a division rounds half to even to six places; numbers are
written exact, without trailing zeros), writing expected.csv with the
check that the data reaches what it must, and the command line of
`generate`, `expect` and `verify`.  The rules of each program stay in its
own oracle; nothing here knows a program.  This folder is not globbed by
tests/run.sh, which runs only tests/oracle/*.py.
"""
import csv, io, sys
from fractions import Fraction as F


def round6(x):
    """Half-even to 6 places, as rubric's division does."""
    scaled = x * 1000000
    q, r = divmod(scaled.numerator, scaled.denominator)
    if 2 * r > scaled.denominator or (2 * r == scaled.denominator and q % 2):
        q += 1
    return F(q, 1000000)


def fmt(x):
    """x as rubric writes a number: plain, exact, no trailing zeros."""
    x = F(x)
    sign = "-" if x < 0 else ""
    x = abs(x)
    whole, frac = divmod(x.numerator * 1000000 // x.denominator, 1000000)
    s = str(whole) + ("." + str(frac).rjust(6, "0").rstrip("0") if frac else "")
    return sign + s if s != "0" else "0"


def read_csv(path):
    """The rows of the CSV file at path, each a dict by column name."""
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def derive(folder, header, row, required, also=None):
    """expected.csv's text: the header, then row(record, seen) for each
    record of folder/partners.csv in order.  row notes in the set seen what
    the record reaches (a tier, a band row, a cap); exits naming what in
    required no record reached.  also names a second file of folder with
    more columns of the same records, row for row (the same first column),
    merged into each record."""
    seen = set()
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    recs = read_csv(folder / "partners.csv")
    if also:
        more = read_csv(folder / also)
        key = next(iter(more[0])) if more else None
        if len(more) != len(recs) or any(m[key] != r[key] for m, r in zip(more, recs)):
            sys.exit(f"{also} does not list the records of partners.csv in their order")
        for r, m in zip(recs, more):
            r.update(m)
    for rec in recs:
        w.writerow(row(rec, seen))
    missing = [x for x in required if x not in seen]
    if missing:
        sys.exit("partners.csv does not reach: " + ", ".join(missing))
    return out.getvalue()


def main(folder, script, expected_text, generate):
    """generate: rewrite partners.csv, then expected.csv; expect: rewrite
    expected.csv from partners.csv; verify (the default): exit non-zero
    when expected.csv is not what expected_text() derives today."""
    cmd = sys.argv[1] if len(sys.argv) > 1 else "verify"
    if cmd == "generate":
        generate()
        cmd = "expect"
    text = expected_text()
    path = folder / "expected.csv"
    if cmd == "expect":
        path.write_text(text, encoding="utf-8")
    elif path.read_text(encoding="utf-8") != text:
        sys.exit(f"programs/{folder.name}/expected.csv is stale: run tests/oracle/{script} expect")

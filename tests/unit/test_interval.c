/* test_interval.c — interval analysis: what each value can reach, and each
   finding (R08xx) on a program that triggers it beside a near-identical one
   that does not. */
#include "helpers.h"
#include "../../lang/levers.h"

#define SCHEMA "record { id text key  n count  f flag  pct percent  b number in 0..50  x number  note text }\n"

static Compiled *with(const char *body) {
  char text[4096];
  snprintf(text, sizeof text, SCHEMA "%s", body);
  Compiled *c = compile_text(text);
  if (!c->ok) fail_msg("%s\ndoes not compile: %s", body, c->dl.head ? c->dl.head->msg : "?");
  return c;
}

static int count_code(const Compiled *c, DiagCode code) {
  int k = 0;
  for (const Diag *d = c->dl.head; d; d = d->next) k += d->code == code;
  return k;
}

/* body triggers code (once, at line/col of the body) and clean does not. */
/* The first diagnostic with code on line (0: any line). */
static const Diag *find_on(const Compiled *c, DiagCode code, int line) {
  for (const Diag *d = c->dl.head; d; d = d->next)
    if (d->code == code && (!line || d->line == line)) return d;
  return NULL;
}

static void pair(const char *body, const char *clean, DiagCode code, int line, int col, const char *msg) {
  Compiled *c = with(body);
  const Diag *d = find_on(c, code, line ? line + 1 : 0);
  if (!d) fail_msg("%s\nno %s", body, diag_code_name(code));
  assert_int_equal(d->sev, DIAG_WARNING);
  if (line) assert_int_equal(d->line, line + 1);
  if (col) assert_int_equal(d->col, col);
  if (msg) assert_string_equal(d->msg, msg);
  compiled_free(c);
  c = with(clean);
  const Diag *u = find_on(c, code, line ? line + 1 : 0);
  if (u) fail_msg("%s\nunexpected %s: %s", clean, diag_code_name(code), u->msg);
  compiled_free(c);
}

static void reach_of_zoho(void **state) {
  (void)state;
  Ast ast;
  DiagList dl;
  Program p;
  diag_init(&dl);
  assert_true(front_compile("programs/zoho/zoho.rubric", &ast, &dl, &p));
  assert_int_equal(dl.warnings, 0);
  /* 400 + 100 + 100 + 100 + 0 + 100 + 50 + 50 + 25 + 25 + 50 */
  assert_true(p.tracks[0].reach.has_hi);
  assert_int_equal(p.tracks[0].reach.hi, D("1000"));
  assert_int_equal(p.tracks[0].reach.lo, D("-100"));   /* escalations down to -100 */
  assert_int_equal(p.slots[slot_of(&p, "engagement.campaigns")].reach.hi, D("25"));
  assert_int_equal(p.slots[slot_of(&p, "success.retention")].reach.lo, 0);
  program_free(&p);
  ast_free(&ast);
  diag_free(&dl);
}

static void arithmetic_of_intervals(void **state) {
  (void)state;
  Compiled *c = with("category c {\n"
                     "  points a ..1000 = n * 2 + b / 5\n"           /* [0, inf) */
                     "  points d = (if f then b else -b) * 2\n"      /* [-100, 100] */
                     "  points e = band pct { ..50 => 1, else => pct }\n"   /* [1, 100] */
                     "  points g = clamp(x, -3, 7) + abs(-4) + min(n, 2) + max(b, 10)\n"
                     "}\n");
  const Program *p = &c->prog;
  Reach a = p->slots[slot_of(p, "c.a")].reach, d = p->slots[slot_of(p, "c.d")].reach,
        e = p->slots[slot_of(p, "c.e")].reach, g = p->slots[slot_of(p, "c.g")].reach;
  assert_true(a.has_lo && a.has_hi);
  assert_int_equal(a.lo, 0);
  assert_int_equal(a.hi, D("1000"));
  /* b has up to 6 places and 2 none: the product cannot round */
  assert_int_equal(d.lo, D("-100"));
  assert_int_equal(d.hi, D("100"));
  assert_int_equal(e.lo, D("1"));
  assert_int_equal(e.hi, D("100"));
  /* clamp [-3, 7] + 4 + min [0, 2] + max [10, 50] */
  assert_true(g.has_lo);
  assert_int_equal(g.lo, D("11"));
  assert_int_equal(g.hi, D("63"));
  compiled_free(c);
  /* A product or quotient of two ranges takes all four corners: the
     extremes need not be lo*lo and hi*hi once a side crosses zero.
     (b - 25) is [-25, 25], pct [0, 100], pct + 1 [1, 101]:
       h: -25*0, -25*100, 25*0, 25*100 -> [-2500, 2500]
       k: -25/1, -25/101, 25/1, 25/101 -> [-25, 25]
     each with at most a millionth of slack for rounding. */
  c = with("category c {\n"
           "  points h = (b - 25) * pct\n"
           "  points k = (b - 25) / (pct + 1)\n"
           "  points s = b - pct\n"
           "}\n");
  p = &c->prog;
  Reach h = p->slots[slot_of(p, "c.h")].reach, k = p->slots[slot_of(p, "c.k")].reach;
  assert_true(h.has_lo && h.has_hi && k.has_lo && k.has_hi);
  assert_true(h.lo <= D("-2500") && h.lo >= D("-2500.000001"));
  assert_true(h.hi >= D("2500") && h.hi <= D("2500.000001"));
  assert_true(k.lo <= D("-25") && k.lo >= D("-25.000001"));
  assert_true(k.hi >= D("25") && k.hi <= D("25.000001"));
  /* b - pct: 0 - 100 up to 50 - 0 */
  Reach s = p->slots[slot_of(p, "c.s")].reach;
  assert_int_equal(s.lo, D("-100"));
  assert_int_equal(s.hi, D("50"));
  compiled_free(c);
}

/* Issue 13, item 1: a product pads its bounds only where it can round. */
static Reach reach_of(const char *points) {
  char body[512];
  snprintf(body, sizeof body, "category c { points p = %s }", points);
  Compiled *c = with(body);
  Reach r = c->prog.slots[slot_of(&c->prog, "c.p")].reach;
  compiled_free(c);
  return r;
}

static void exact_products(void **state) {
  (void)state;
  /* whole times whole: min(n, 10) is 0..10, times 10 exactly 0..100 (was
     0 .. 100.000001) */
  Reach r = reach_of("min(n, 10) * 10");
  assert_int_equal(r.lo, 0);
  assert_int_equal(r.hi, D("100"));
  /* 6 places times 1 place: 50 * 1.5 = 75, at most 7 places, which can
     round; the corners 0 and 75 do not */
  r = reach_of("b * 1.5");
  assert_int_equal(r.lo, 0);
  assert_int_equal(r.hi, D("75"));
  /* an exact halving: 50 / 2 = 25 (was 25.000001) */
  r = reach_of("b / 2");
  assert_int_equal(r.lo, 0);
  assert_int_equal(r.hi, D("25"));
  /* a quotient that rounds: 50 / 3 = 16.666666..., half to even 16.666667,
     as the VM computes it */
  r = reach_of("b / 3");
  assert_int_equal(r.hi, D("16.666667"));
  /* a product that rounds: 0.000001 * 0.5 is 0.0000005, half to even 0 */
  r = reach_of("min(b, 0.000001) * 0.5");
  assert_int_equal(r.hi, 0);
  /* a band over a count: the row above ..5 starts at 6, not 5.000001 */
  r = reach_of("band n { ..5 => 0, else => n * 2 }");
  assert_false(r.has_hi);
  assert_int_equal(r.lo, 0);
  r = reach_of("band n { ..5 => 100, else => n * 2 }");
  assert_int_equal(r.lo, D("12"));
  /* so a maximum of exactly 100 makes `score > 100` unreachable (R0801) */
  pair("category c { points p = min(n, 10) * 10 }\ntiers { tier a when true  tier b when score > 100 }",
       "category c { points p = min(n, 10) * 10 }\ntiers { tier a when true  tier b when score >= 100 }",
       R0801, 2, 32, "no record can reach tier b: its condition never holds");
}

/* floor, ceil and round of a division round the exact quotient once
   (issue 10, section 6), so their reach comes from the exact quotients at
   the corners.  By hand:
     floor(b / 3): 0 / 3 = 0 and 50 / 3 = 16.67, so 0..16;
     round(b / 3, 2): 0..16.67; ceil(b / 3): 0..17;
     floor(clamp(x, 4.999999, 5) / 2.5): 4.999999 / 2.5 = 1.9999996, floor
       1 (the division alone rounds it to 2.000000, whose floor 2 would
       leave out what the VM computes), and 5 / 2.5 = 2: so 1..2;
     floor(n / 3) with n a count: at least 0, no upper bound;
     ceil(n / (0 - 2)): n / -2 is at most 0, and so is its ceil. */
static void quotients_rounded_once(void **state) {
  (void)state;
  Reach r = reach_of("floor(b / 3)");
  assert_true(r.has_lo && r.has_hi);
  assert_int_equal(r.lo, 0);
  assert_int_equal(r.hi, D("16"));
  r = reach_of("round(b / 3, 2)");
  assert_int_equal(r.hi, D("16.67"));
  r = reach_of("ceil(b / 3)");
  assert_int_equal(r.hi, D("17"));
  r = reach_of("floor(clamp(x, 4.999999, 5) / 2.5)");
  assert_true(r.has_lo && r.has_hi);
  assert_int_equal(r.lo, D("1"));
  assert_int_equal(r.hi, D("2"));
  r = reach_of("floor(n / 3)");
  assert_true(r.has_lo && !r.has_hi);
  assert_int_equal(r.lo, 0);
  r = reach_of("ceil(n / (0 - 2))");
  assert_true(!r.has_lo && r.has_hi);
  assert_int_equal(r.hi, 0);
  /* A divisor that may be 0 bounds nothing. */
  r = reach_of("floor(b / x)");
  assert_false(r.has_lo || r.has_hi);
  /* floor of a whole result: exactly 16, so a cap of 16 restates it and
     `score > 16` never holds (R0801). */
  pair("category c { points p = floor(b / 3) }\ntiers { tier a when true  tier t when score > 16 }",
       "category c { points p = floor(b / 3) }\ntiers { tier a when true  tier t when score >= 16 }",
       R0801, 2, 32, "no record can reach tier t: its condition never holds");
}

/* A field whose range names other fields lies within what those ends
   reach: pts in n2..5 * n2 with n2 in 0..10 is within 0..50; an end the
   analysis cannot bound narrows nothing. */
static void ranges_that_name_fields(void **state) {
  (void)state;
  Compiled *c = compile_text("record { id text key  n2 count in 0..10  pts number in n2..5 * n2\n"
                             "  x number in pts - 1..  y number in ..x * x  d date  e date in d..d + 3 days }\n"
                             "category c { points p = pts  points q = x  points r = y }\n");
  if (!c->ok) fail_msg("does not compile: %s", c->dl.head ? c->dl.head->msg : "?");
  const Program *p = &c->prog;
  Reach pr = p->slots[slot_of(p, "c.p")].reach, q = p->slots[slot_of(p, "c.q")].reach,
        r = p->slots[slot_of(p, "c.r")].reach;
  assert_true(pr.has_lo && pr.has_hi);
  assert_int_equal(pr.lo, 0);
  assert_int_equal(pr.hi, D("50"));
  assert_true(q.has_lo && !q.has_hi);   /* x >= pts - 1 >= -1 */
  assert_int_equal(q.lo, D("-1"));
  assert_false(r.has_lo || r.has_hi);   /* x * x: x is unbounded above */
  compiled_free(c);
}

static void tiers(void **state) {
  (void)state;
  pair("category c { points p ..100 = n }\ntiers { tier a when true  tier b when score > 120 }",
       "category c { points p ..100 = n }\ntiers { tier a when true  tier b when score > 99 }",
       R0801, 2, 32, "no record can reach tier b: its condition never holds");
  pair("category c { points p = n }\ntiers { tier a when n < 0 }",
       "category c { points p = n }\ntiers { tier a when n < 1 }", R0801, 2, 14, NULL);
  pair("category c { points p ..100 = n }\ntiers { tier a when f  tier b when score >= 0 }",
       "category c { points p ..100 = n }\ntiers { tier a when f  tier b when score >= 1 }",
       R0802, 2, 29, "every record that reaches the tier below also reaches b: its condition always holds");
  /* the lowest tier may always hold: everyone starts there */
  Compiled *c = with("category c { points p = n }\ntiers { tier a when true  tier b when n > 5 }");
  assert_null(find_diag(c, R0802));
  compiled_free(c);
}

/* Issue 13, item 2: conditions that cannot hold, alone or with the tiers
   below (a tier needs its condition and every one below it). */
static void contradictions(void **state) {
  (void)state;
  const char *P = "category c { points p = n }\ntiers { tier a when true  tier b when ";
  char body[512], clean[512];
  /* its own condition: n >= 10 and n < 5 (col 32 is b, as in tiers) */
  snprintf(body, sizeof body, "%sn >= 10 and n < 5 }", P);
  snprintf(clean, sizeof clean, "%sn >= 10 or n < 5 }", P);
  pair(body, clean, R0801, 2, 32, "no record can reach tier b: its condition never holds");
  /* a flag and its negation; a count above 4.5 and below 5 (whole: none) */
  snprintf(body, sizeof body, "%sf and not f }", P);
  snprintf(clean, sizeof clean, "%sf or not f }", P);
  pair(body, clean, R0801, 2, 32, NULL);
  snprintf(body, sizeof body, "%sn > 4.5 and n < 5 }", P);
  snprintf(clean, sizeof clean, "%sx > 4.5 and x < 5 }", P);
  pair(body, clean, R0801, 2, 32, NULL);
  /* the ladder: a needs n < 5, b n >= 5.  "tiers { " is 8 columns and
     "tier a when n < 5  " 19 more, so b is at column 33 and a's
     condition at 21. */
  pair("category c { points p = n }\ntiers { tier a when n < 5  tier b when n >= 5 }",
       "category c { points p = n }\ntiers { tier a when n < 5  tier b when n >= 4 }", R0801, 2, 33,
       "no record can reach tier b: its condition cannot hold with tier a's, which a record must reach first");
  Compiled *c = with("category c { points p = n }\ntiers { tier a when n < 5  tier b when n >= 5  tier d when f }");
  const Diag *d = find_on(c, R0801, 3);
  assert_non_null(d);
  assert_string_equal(d->hint, "a needs n < 5 (line 3, column 21); a record reaches a tier only through every tier "
                               "below it, so no record reaches the tiers above it either");
  assert_int_equal(count_code(c, R0801), 1);   /* d, above b, is not reported again */
  compiled_free(c);
  /* through or and not: x <= 4.999999 is below b's 5; the tier that rules
     b out is the lowest whose condition, with those below, does (a2) */
  pair("category c { points p = n }\ntiers { tier a when f or n > 1  tier a2 when not (x >= 5)  tier b when x >= 5 and f }",
       "category c { points p = n }\ntiers { tier a when f or n > 1  tier a2 when not (x >= 5) or f  tier b when x >= 5 and f }",
       R0801, 2, 0, "no record can reach tier b: its condition cannot hold with tier a2's, which a record must reach first");
  /* the score is a variable too */
  pair("category c { points p = n }\ntiers { tier a when score < 10  tier b when score >= 10 }",
       "category c { points p = n }\ntiers { tier a when score < 10  tier b when score >= 9 }", R0801, 2, 0, NULL);
  /* what the boxes cannot read (a product) may hold: no finding */
  c = with("category c { points p = n }\ntiers { tier a when n * 2 < 10  tier b when n >= 5 }");
  assert_null(find_diag(c, R0801));
  compiled_free(c);
}

static void caps(void **state) {
  (void)state;
  pair("category c { points p ..200 = if f then 10 else 0 }",
       "category c { points p ..10 = if f then 10 else 0 }", R0803, 1, 25,
       "points c.p: the cap 200 is beyond what it can reach (at most 10)");
  pair("category c { points p -5.. = n }", "category c { points p 0.. = n }", R0803, 1, 23, NULL);
  /* a cap that binds, with or without declared ranges, is what caps are for */
  Compiled *c = with("category c { points p ..40 = b }\ntiers { tier a when true  tier b when score > 40 }");
  assert_null(find_diag(c, R0803));
  /* b is 0..50; the cap makes the points 0..40, so no score is above 40 */
  Reach r = c->prog.slots[slot_of(&c->prog, "c.p")].reach;
  assert_int_equal(r.lo, 0);
  assert_int_equal(r.hi, D("40"));
  assert_non_null(find_diag(c, R0801));
  compiled_free(c);
  /* A cap equal to the reach restates it, whatever keeps the points
     there: the field's declared range (b in 0..50, so 0..50 and 0..100),
     its type (a count is at least 0) or the rule (min caps n * 10 at 100).
     The floor 0 over b was reported as binding only for rejected input
     (R0804) while the same floor over the count n was not. */
  c = with("category c { points p 0..50 = b  points q 0..100 = b * 2  points r 0..100 = min(n, 10) * 10 }");
  assert_int_equal(count_code(c, R0803) + count_code(c, R0804), 0);
  compiled_free(c);
  pair("category c 0..500 { points p ..100 = n }", "category c 0..100 { points p ..100 = n }",
       R0809, 1, 15, "category c: the cap 500 is beyond what it can reach (at most 100)");
  pair("category c { points p ..100 = n }\ntrack t 0..300 when f { uses c }\ntrack u when not f { uses c }",
       "category c { points p ..100 = n }\ntrack t 0..80 when f { uses c }\ntrack u when not f { uses c }",
       R0809, 2, 12, "track t: the cap 300 is beyond what it can reach (at most 100)");
}

static void bands(void **state) {
  (void)state;
  pair("category c { points p = band n { ..-1 => 0, ..5 => 1, else => 2 } }",
       "category c { points p = band n { ..0 => 0, ..5 => 1, else => 2 } }", R0806, 1, 34,
       "no value reaches band row ..-1");
  pair("category c { points p = band pct { ..50 => 1, ..100 => 2, else => 3 } }",
       "category c { points p = band pct { ..50 => 1, ..99 => 2, else => 3 } }", R0806, 1, 67, NULL);
  pair("category c { points p = band n { ..5 => 1 } }",
       "category c { points p = band n { ..5 => 1, else => 2 } }", R0807, 1, 25,
       "values above 5 match no row of this band");
  /* b * pct is never negative; (b - 25) * pct is, down to -2500: a row
     for negative values is dead in the first and live in the second (an
     analysis that took only the corners lo*lo and hi*hi would call it
     dead in both). */
  pair("category c { points p = band b * pct { ..-1 => 1, else => 0 } }",
       "category c { points p = band (b - 25) * pct { ..-1 => 1, else => 0 } }", R0806, 1, 40,
       "no value reaches band row ..-1");
  /* a bounded subject needs no else once its top row covers it */
  Compiled *c = with("category c { points p = band pct { ..100 => 1 } }");
  assert_null(find_diag(c, R0807));
  compiled_free(c);
  /* Strict upper ends: no count lies between 1 and 2, so after ..1 a row
     ..<2 holds nothing, where ..2 holds 2; ..<100 leaves 100 uncovered. */
  pair("category c { points p = band n { ..<1 => 0, ..1 => 1, ..<2 => 5, else => 2 } }",
       "category c { points p = band n { ..<1 => 0, ..1 => 1, ..2 => 5, else => 2 } }", R0806, 1, 55,
       "no value reaches band row ..<2");
  pair("category c { points p = band pct { ..<100 => 1 } }",
       "category c { points p = band pct { ..<100 => 1, ..100 => 2 } }", R0807, 1, 25,
       "values of 100 and above match no row of this band");
  /* Lower ends: each row runs to just below the next; the else takes what
     lies below the first.  A count from 0 leaves nothing below 0 for it. */
  pair("category c { points p = band n { 0.. => 1, 5.. => 2, else => 3 } }",
       "category c { points p = band n { 1.. => 1, 5.. => 2, else => 3 } }", R0806, 1, 62,
       "no value reaches this band's else: every value falls in a row");
  pair("category c { points p = band n { 1.. => 1, 5.. => 2 } }",
       "category c { points p = band n { 0.. => 1, 5.. => 2 } }", R0807, 1, 25,
       "values below 1 match no row of this band");
  /* b is at most 50: a row from 51 is dead, one from 50 holds 50 alone */
  pair("category c { points p = band b { 0.. => 1, 50.. => 2, 51.. => 3 } }",
       "category c { points p = band b { 0.. => 1, 49.5.. => 2, 50.. => 3 } }", R0806, 1, 55,
       "no value reaches band row 51..");
  /* what each row's value can be: n is 0 (else), 1..4 (n) or 5 and up (10) */
  Reach r = reach_of("band n { 1.. => n, 5.. => 10, else => 0 }");
  assert_true(r.has_lo && r.has_hi);
  assert_int_equal(r.lo, 0);
  assert_int_equal(r.hi, D("10"));
  r = reach_of("band n { 1.. => n * 3, 5.. => 1, else => 0 }");   /* 4 * 3 = 12 at most */
  assert_int_equal(r.hi, D("12"));
  /* a band in a fn used twice reports once */
  c = with("fn g(v) = band v { ..-1 => 0, else => 1 }\ncategory c { points p = g(n)  points q = g(n + 1) }");
  assert_int_equal(count_code(c, R0806), 1);
  compiled_free(c);
}

static void unused(void **state) {
  (void)state;
  pair("param rate = 2\ncategory c { points p = n }", "param rate = 2\ncategory c { points p = n * rate }",
       R0808, 1, 7, "param 'rate' is defined but never used");
  pair("let twice = n * 2\ncategory c { points p = n }", "let twice = n * 2\ncategory c { points p = twice }",
       R0808, 1, 5, NULL);
  pair("fn twice(v) = v * 2\ncategory c { points p = n }", "fn twice(v) = v * 2\ncategory c { points p = twice(n) }",
       R0808, 1, 4, NULL);
  /* fields: the schema's f, pct, b and x are unused here, note is text and id the key */
  Compiled *c = with("category c { points p = n }");
  assert_int_equal(count_code(c, R0808), 4);
  compiled_free(c);
  c = with("category c { points p = n + pct + b + x + (if f then 1 else 0) }");
  assert_int_equal(count_code(c, R0808), 0);
  compiled_free(c);
}

/* Levers at their declared values: a cap's, a band bound's, a threshold's. */
static void levers_at_their_declared_values(void **state) {
  (void)state;
  Compiled *c = with("param cap = 30\ncategory c { points p 0..cap = n }");
  Reach r = c->prog.slots[slot_of(&c->prog, "c.p")].reach;
  assert_int_equal(r.lo, 0);
  assert_int_equal(r.hi, D("30"));
  compiled_free(c);
  /* a keyed cap: every member's value is possible */
  c = compile_text("record { id text key  n count  r one of (a, b) }\n"
                   "param cap by r { a = 20, b = 40 }\ncategory c { points p 5..cap = n }");
  assert_true(c->ok);
  r = c->prog.slots[slot_of(&c->prog, "c.p")].reach;
  assert_int_equal(r.lo, D("5"));
  assert_int_equal(r.hi, D("40"));
  compiled_free(c);
  pair("param cap = 200\ncategory c { points p 0..cap = b }", "param cap = 50\ncategory c { points p 0..cap = b }",
       R0803, 2, 26, "points c.p: the cap cap = 200 is beyond what it can reach (at most 50)");
  pair("param t = -1\ncategory c { points p = band n { ..t => 0, ..5 => 1, else => 2 } }",
       "param t = 0\ncategory c { points p = band n { ..t => 0, ..5 => 1, else => 2 } }", R0806, 2, 34,
       "no value reaches band row ..t");
  pair("param lo = 300\ncategory c { points p = band pct { lo.. => 1, else => 0 } }",
       "param lo = 100\ncategory c { points p = band pct { lo.. => 1, else => 0 } }", R0806, 2, 36,
       "no value reaches band row lo..");
  pair("param m = 50\ncategory c { points p = b }\ntiers { tier a when true  tier g when score > m }",
       "param m = 49.5\ncategory c { points p = b }\ntiers { tier a when true  tier g when score > m }",
       R0801, 3, 32, NULL);
}

/* Parses and checks text, as front_check does a file. */
static bool check_text(const char *text, Ast *ast, DiagList *dl, Checker *ck) {
  diag_init(dl);
  ast_init(ast, dl);
  memset(ck, 0, sizeof *ck);
  return parse_source(ast, ast_source(ast, "t.rubric", text, strlen(text))) && chk_program(ck, ast);
}

/* What setting params changes in what can be reached (lv_compare, which
   `check --summary --set` prints), by hand: the cap moves c.p from 0..30
   to 0..45, so the score's and category's top too (30 + 20 = 50 -> 65);
   gold (score > 60) becomes reachable; the rebate payout reaches $5 at
   5 % of $100, $8 at 8 % (the analysis takes a benefit's every value,
   reachable tier or not, so $5 even while gold is out of reach). */
static void what_a_setting_changes(void **state) {
  (void)state;
  static const char *text =
      "record { id text key  n count  b number in 0..20 }\n"
      "param cap = 30\nparam gold_min = 60\nparam rate = 5\n"
      "category c { points p 0..cap = n  points q = b }\n"
      "tiers { tier basic when true  tier gold when score > gold_min }\n"
      "benefit rebate_pct { gold = rate }\n"
      "payout rebate = $100 * rebate_pct / 100\n";
  Ast ast;
  DiagList dl;
  Checker ck;
  assert_true(check_text(text, &ast, &dl, &ck));
  iv_analyze(&ck);
  Iv declared = ck.points.v[0]->reach;
  LvChanges ch = {0};
  assert_int_equal(lv_compare(&ck, NULL, NULL, &ch), 0);   /* the same values: nothing */
  int64_t *v = malloc((size_t)ck.npvalues * sizeof *v);
  memcpy(v, ck.pvalues, (size_t)ck.npvalues * sizeof *v);
  v[0] = D("45");   /* cap */
  v[2] = D("8");    /* rate */
  assert_int_equal(lv_compare(&ck, NULL, v, &ch), 6);
  char *out = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&out, &len);
  lv_print_settings(&ck, NULL, v, m);
  fputc('\n', m);
  lv_print(&ch, "  ", m);
  fclose(m);
  assert_string_equal(out, "cap = 45 (was 30), rate = 8 (was 5)\n"
                           "  points c.p: 0 .. 30 -> 0 .. 45\n"
                           "  category c: 0 .. 50 -> 0 .. 65\n"
                           "  score 0 .. 50 -> 0 .. 65\n"
                           "  maximum score: 50 -> 65\n"
                           "  payout rebate: $0 .. $5 -> $0 .. $8\n"
                           "  tier gold becomes reachable\n");
  free(out);
  /* the symbols keep the declared values' intervals */
  assert_int_equal(ck.points.v[0]->reach.hi, declared.hi);
  lv_free(&ch);
  free(v);
  chk_free(&ck);
  ast_free(&ast);
  diag_free(&dl);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(reach_of_zoho),
      cmocka_unit_test(arithmetic_of_intervals),
      cmocka_unit_test(exact_products),
      cmocka_unit_test(quotients_rounded_once),
      cmocka_unit_test(ranges_that_name_fields),
      cmocka_unit_test(tiers),
      cmocka_unit_test(contradictions),
      cmocka_unit_test(caps),
      cmocka_unit_test(bands),
      cmocka_unit_test(unused),
      cmocka_unit_test(levers_at_their_declared_values),
      cmocka_unit_test(what_a_setting_changes),
  };
  return cmocka_run_group_tests_name("interval", tests, NULL, NULL);
}

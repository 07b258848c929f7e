/* test_vm.c — evaluating compiled programs against hand-built records. */
#include "helpers.h"
#include "../../runtime/date.h"

static Dec slot(Bench *b, const char *name) { return b->vm.slots[slot_of(&b->c->prog, name)].n; }

static const char *tier(Bench *b) {
  return b->vm.tier < 0 ? "none" : b->c->prog.tiers[b->vm.tier].name;
}

static void run_ok(Bench *b) {
  VmStatus st = vm_eval(&b->vm, &b->row);
  if (st != VM_OK) fail_msg("vm: %s", vm_status_text(st));
}

static const char *LADDER =
    "record { id text key  s number  ok flag }\n"
    "category c { points p = s }\n"
    "tiers {\n"
    "  tier bronze when true\n"
    "  tier silver when ok\n"
    "  tier gold   when score > 100\n"
    "}\n";

static void the_ladder_needs_every_lower_tier(void **state) {
  (void)state;
  Bench *b = bench(LADDER);
  set(b, "s", "500"); set(b, "ok", "yes");
  run_ok(b);
  assert_string_equal(tier(b), "gold");
  set(b, "ok", "no");   /* gold's own condition holds, silver's does not */
  run_ok(b);
  assert_string_equal(tier(b), "bronze");
  set(b, "s", "100"); set(b, "ok", "yes");   /* not above 100 */
  run_ok(b);
  assert_string_equal(tier(b), "silver");
  /* The traced code (explain) climbs the same ladder with LADDER, which
     evaluates every condition: the same tiers. */
  b->vm.tracing = true;
  set(b, "s", "500"); set(b, "ok", "no");
  run_ok(b);
  assert_string_equal(tier(b), "bronze");
  set(b, "ok", "yes");
  run_ok(b);
  assert_string_equal(tier(b), "gold");
  b->vm.tracing = false;
  bench_free(b);
  b = bench("record { id text key  ok flag }\ntiers { tier a when ok  tier b when true }");
  set(b, "ok", "no");
  run_ok(b);
  assert_string_equal(tier(b), "none");   /* the lowest tier failed: no tier */
  bench_free(b);
}

static void caps_clamp_points_categories_and_bound_results(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  s number }\n"
                   "category c ..150 { points p 0..100 = s  points q -20.. = s * -1  points r = s }\n"
                   "category e { }\n");
  set(b, "s", "130");
  run_ok(b);
  assert_int_equal(slot(b, "c.p"), D("100"));
  assert_int_equal(slot(b, "c.q"), D("-20"));
  assert_int_equal(slot(b, "c.r"), D("130"));
  assert_int_equal(slot(b, "c"), D("150"));   /* 100 - 20 + 130 = 210, capped */
  assert_int_equal(slot(b, "e"), 0);
  assert_int_equal(slot(b, "score"), D("150"));
  set(b, "s", "-7.5");
  run_ok(b);
  assert_int_equal(slot(b, "c.p"), 0);
  assert_int_equal(slot(b, "c.q"), D("7.5"));
  assert_int_equal(slot(b, "c"), D("0"));      /* 0 + 7.5 - 7.5 */
  bench_free(b);
}

static void bands_in_and_ranges(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  s number  r one of (x, y, z)  t text }\n"
                   "category c {\n"
                   "  points b = band s { ..-1 => 1, ..0 => 2, ..10.5 => 3, else => s }\n"
                   "  points i = if r in (x, z) then 1 else 0\n"
                   "  points g = if s in 2..4 then 1 else 0\n"
                   "  points t = if t = \"abc\" then 1 else if t != \"ab\" then 2 else 3\n"
                   "}\n");
  static const struct { const char *s, *r, *t; const char *b; int i, g, tt; } cases[] = {
      {"-5", "x", "abc", "1", 1, 0, 1},  {"-1", "y", "ab", "1", 0, 0, 3},
      {"-0.5", "z", "abcd", "2", 1, 0, 2}, {"0", "x", "", "2", 1, 0, 2},
      {"2", "y", "abc", "3", 0, 1, 1},   {"10.5", "z", "abc", "3", 1, 0, 1},
      {"10.500001", "x", "abc", "10.500001", 1, 0, 1}, {"4", "y", "x", "3", 0, 1, 2}};
  for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
    set(b, "s", cases[k].s); set(b, "r", cases[k].r); set(b, "t", cases[k].t);
    run_ok(b);
    assert_int_equal(slot(b, "c.b"), D(cases[k].b));
    assert_int_equal(slot(b, "c.i"), cases[k].i * DEC_SCALE);
    assert_int_equal(slot(b, "c.g"), cases[k].g * DEC_SCALE);
    assert_int_equal(slot(b, "c.t"), cases[k].tt * DEC_SCALE);
  }
  bench_free(b);
}

/* Rows with lower ends take the last row the value reaches; strict upper
   ends leave their bound to the next row.  Each edge and the values
   either side of it, by hand from the rows. */
static void bands_both_ways(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  s number }\n"
                   "category c {\n"
                   "  points f = band s { -1.. => 1, 250.. => 2, 500.. => 3, else => 0 }\n"
                   "  points u = band s { ..<5 => 1, ..5 => 2, ..<10 => 3, else => 4 }\n"
                   "}\n");
  static const struct { const char *s; int f, u; } cases[] = {
      {"-1.000001", 0, 1}, {"-1", 1, 1}, {"4.999999", 1, 1}, {"5", 1, 2}, {"5.000001", 1, 3},
      {"9.999999", 1, 3},  {"10", 1, 4}, {"249.999999", 1, 4}, {"250", 2, 4}, {"499.99", 2, 4},
      {"500", 3, 4},       {"1000000", 3, 4}};
  for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
    set(b, "s", cases[k].s);
    run_ok(b);
    assert_int_equal(slot(b, "c.f"), cases[k].f * DEC_SCALE);
    assert_int_equal(slot(b, "c.u"), cases[k].u * DEC_SCALE);
  }
  bench_free(b);
}

/* `tier` against a named tier is ordered along that tier's ladder (TIERIN):
   none is below every tier, and another ladder's tier is neither above nor
   below.  Each record's answers, by hand from the ladders. */
static void tiers_compare_along_their_ladder(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  k one of (r, a)  s number }\n"
                   "category c { points p = s }\n"
                   "track tr when k = r { uses c  tiers { tier m when true  tier g when score >= 5 } }\n"
                   "track ta when k = a { uses c  tiers { tier x when score >= 1  tier y when score >= 5 } }\n"
                   "output ge = tier >= tr.g\noutput gt = tier > tr.m\noutput le = tier <= tr.m\n"
                   "output lt = tier < tr.g\noutput eq = tier = ta.x\noutput ne = tier != none\n"
                   "output no = tier = none\noutput lenone = tier <= none\n");
  static const struct { const char *k, *s; int ge, gt, le, lt, eq, ne, no, lenone; } cases[] = {
      /* on tr at m (s 1): m >= g no, m > m no, m <= m yes, m < g yes */
      {"r", "1", 0, 0, 1, 1, 0, 1, 0, 0},
      /* on tr at g (s 9) */
      {"r", "9", 1, 1, 0, 0, 0, 1, 0, 0},
      /* on ta, no tier (s 0): none is below tr's tiers: <= m and < g hold */
      {"a", "0", 0, 0, 1, 1, 0, 0, 1, 1},
      /* on ta at x (s 2): a tier of another ladder: neither above nor below */
      {"a", "2", 0, 0, 0, 0, 1, 1, 0, 0},
  };
  static const char *const names[] = {"ge", "gt", "le", "lt", "eq", "ne", "no", "lenone"};
  for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
    set(b, "k", cases[k].k);
    set(b, "s", cases[k].s);
    run_ok(b);
    const int want[] = {cases[k].ge, cases[k].gt, cases[k].le, cases[k].lt,
                        cases[k].eq, cases[k].ne, cases[k].no, cases[k].lenone};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
      if (slot(b, names[i]) != want[i]) fail_msg("record %zu: %s is %lld, not %d", k, names[i],
                                                 (long long)slot(b, names[i]), want[i]);
    }
  }
  bench_free(b);
}

/* not, and, or on every pair of flags, each evaluated by the VM (OP_NOT,
   and the short-circuit jumps of and/or): the truth tables by hand. */
static void not_and_or_follow_their_truth_tables(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  f flag  g flag }\n"
                   "category c {\n"
                   "  points n = if not f then 1 else 0\n"
                   "  points o = if f or g then 1 else 0\n"
                   "  points a = if f and not g then 1 else 0\n"
                   "  points m = if not (f or g) then 1 else 0\n"
                   "}\n");
  static const struct { const char *f, *g; int n, o, a, m; } cases[] = {
      {"yes", "yes", 0, 1, 0, 0}, {"yes", "no", 0, 1, 1, 0},
      {"no", "yes", 1, 1, 0, 0},  {"no", "no", 1, 0, 0, 1}};
  for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
    set(b, "f", cases[k].f); set(b, "g", cases[k].g);
    run_ok(b);
    assert_int_equal(slot(b, "c.n"), cases[k].n * DEC_SCALE);
    assert_int_equal(slot(b, "c.o"), cases[k].o * DEC_SCALE);
    assert_int_equal(slot(b, "c.a"), cases[k].a * DEC_SCALE);
    assert_int_equal(slot(b, "c.m"), cases[k].m * DEC_SCALE);
  }
  bench_free(b);
}

static void dates_and_optional_fields(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  on date  live date optional }\n"
                   "let in_time = live is set and live <= on + 6 months\n"
                   "let gap = (live default on) - on\n"
                   "category c { points p = if in_time then 10 else 0  points g = gap\n"
                   "             points d = (on + 45 days - 2 months) - on }\n");
  set(b, "on", "2024-01-31"); set(b, "live", "2024-07-31");
  run_ok(b);
  assert_int_equal(slot(b, "c.p"), D("10"));
  assert_int_equal(slot(b, "c.g"), D("182"));
  /* 2024-01-31 + 45 days = 2024-03-16; - 2 months = 2024-01-16: -15 days */
  assert_int_equal(slot(b, "c.d"), D("-15"));
  set(b, "live", "2024-08-01");
  run_ok(b);
  assert_int_equal(slot(b, "c.p"), 0);
  set(b, "live", NULL);
  run_ok(b);
  assert_int_equal(slot(b, "c.p"), 0);
  assert_int_equal(slot(b, "c.g"), 0);
  bench_free(b);
}

static void functions_builtins_and_params(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  n count  rev money  r one of (hi, lo) }\n"
                   "param rate = 2.5\n"
                   "param bench by r { hi = $1000, lo = $400 }\n"
                   "fn per(x, each) = x * each\n"
                   "fn ratio(a, b2, pts) = a * pts / b2\n"
                   "category c {\n"
                   "  points u = per(n, rate)\n"
                   "  points v = ratio(rev, bench, 10)\n"
                   "  points w = min(n, 3, 7) + max(n, 1) + clamp(n, 2, 4) + floor(2.7) + ceil(2.1)\n"
                   "  points x = round(n / 3, 2) + abs(0 - n) + round(2.5)\n"
                   "}\n");
  set(b, "n", "5"); set(b, "rev", "250"); set(b, "r", "lo");
  run_ok(b);
  assert_int_equal(slot(b, "c.u"), D("12.5"));
  assert_int_equal(slot(b, "c.v"), D("6.25"));          /* 250 * 10 / 400 */
  assert_int_equal(slot(b, "c.w"), D("17"));            /* 3 + 5 + 4 + 2 + 3 */
  assert_int_equal(slot(b, "c.x"), D("9.67"));          /* 1.67 + 5 + 3 */
  const char *why = NULL;
  assert_true(vm_set_param(&b->vm, "rate", "4", &why));
  assert_true(vm_set_param(&b->vm, "bench.lo", "$500", &why));
  run_ok(b);
  assert_int_equal(slot(b, "c.u"), D("20"));
  assert_int_equal(slot(b, "c.v"), D("5"));
  assert_false(vm_set_param(&b->vm, "bench", "5", &why));
  assert_string_equal(why, "the param is keyed: set NAME.KEY=VALUE");
  assert_false(vm_set_param(&b->vm, "bench.mid", "5", &why));
  assert_false(vm_set_param(&b->vm, "rate.x", "5", &why));
  assert_false(vm_set_param(&b->vm, "rat", "5", &why));
  assert_false(vm_set_param(&b->vm, "rate", "five", &why));
  bench_free(b);
}

/* Issue 10, section 6: floor, ceil and round of a division round its
   exact quotient once, directly and through a fn's body; through a let
   the quotient is a value, already rounded to 6 places.  By hand:
   42658 / 10049 = 4.2449995..., to 2 places 4.24 (4.245000 gives 4.25);
   7 / 7.000001 = 0.99999985..., floor 0, ceil 1 (1.000000 gives 1, 1). */
static void quotients_are_rounded_once(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  a number  b number }\n"
                   "fn ratio(x, y, pts) = x * pts / y\n"
                   "fn twice(x, y) = ratio(x, y, 1)\n"
                   "let q = a / b\n"
                   "category c {\n"
                   "  points r = round(a / b, 2)\n"
                   "  points f = floor(a / b)\n"
                   "  points e = ceil(a / b)\n"
                   "  points n = round((a) / (b))\n"
                   "  points v = round(ratio(a, b, 1), 2)\n"
                   "  points w = floor(twice(a, b))\n"
                   "  points l = round(q, 2) + floor(q) * 10\n"
                   "}\n");
  set(b, "a", "42658"); set(b, "b", "10049");
  run_ok(b);
  assert_int_equal(slot(b, "c.r"), D("4.24"));
  assert_int_equal(slot(b, "c.f"), D("4"));
  assert_int_equal(slot(b, "c.e"), D("5"));
  assert_int_equal(slot(b, "c.n"), D("4"));
  assert_int_equal(slot(b, "c.v"), D("4.24"));
  assert_int_equal(slot(b, "c.w"), D("4"));
  assert_int_equal(slot(b, "c.l"), D("44.25"));   /* 4.25 + 4 * 10: rounded twice */
  set(b, "a", "7"); set(b, "b", "7.000001");
  run_ok(b);
  assert_int_equal(slot(b, "c.f"), 0);
  assert_int_equal(slot(b, "c.e"), D("1"));
  assert_int_equal(slot(b, "c.w"), 0);
  assert_int_equal(slot(b, "c.l"), D("11"));      /* q = 1.000000 */
  /* The traced code (explain, test) rounds the same way. */
  b->vm.tracing = true;
  run_ok(b);
  assert_int_equal(slot(b, "c.f"), 0);
  assert_int_equal(slot(b, "c.w"), 0);
  b->vm.tracing = false;
  /* A zero divisor is named where it is written, as in a division. */
  set(b, "b", "0");
  assert_int_equal(vm_eval(&b->vm, &b->row), VM_DIVZERO);
  assert_int_equal(vm_error_pos(&b->vm).line, 6);
  assert_int_equal(vm_error_pos(&b->vm).col, 24);
  /* A result out of range is an error, never a wrapped number. */
  set(b, "a", "9223372036854"); set(b, "b", "0.5");
  assert_int_equal(vm_eval(&b->vm, &b->row), VM_OVERFLOW);
  bench_free(b);
}

/* An int is a signed whole number, a plain number in expressions. */
static void int_fields_are_signed_whole_numbers(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  k int  rev money places 2 }\n"
                   "category c { points p = k * 3 + rev / $0.5 }\n");
  set(b, "k", "-4"); set(b, "rev", "1.25");
  run_ok(b);
  assert_int_equal(slot(b, "c.p"), D("-9.5"));   /* -12 + 2.5 */
  bench_free(b);
}

static void lets_are_lazy_and_computed_once(void **state) {
  (void)state;
  /* The let divides by zero, but only a record that uses it pays. */
  Bench *b = bench("record { id text key  d number }\n"
                   "let inv = 100 / d\n"
                   "category c { points p = if d > 0 then inv + inv else 0 }\n");
  set(b, "d", "0");
  run_ok(b);
  assert_int_equal(slot(b, "c.p"), 0);
  set(b, "d", "4");
  run_ok(b);
  assert_int_equal(slot(b, "c.p"), D("50"));
  bench_free(b);
}

static void errors_name_their_place(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  d number  n number }\n"
                   "category c {\n"
                   "  points p = 10 / d\n"
                   "  points q = n * n\n"
                   "  points r = band n { ..5 => 1 }\n"
                   "}\n");
  set(b, "d", "0"); set(b, "n", "1");
  assert_int_equal(vm_eval(&b->vm, &b->row), VM_DIVZERO);
  Pos pos = vm_error_pos(&b->vm);
  assert_int_equal(pos.line, 3);
  assert_int_equal(pos.col, 19);
  set(b, "d", "1"); set(b, "n", "5000000");
  assert_int_equal(vm_eval(&b->vm, &b->row), VM_OVERFLOW);
  assert_int_equal(vm_error_pos(&b->vm).line, 4);
  set(b, "n", "6");
  assert_int_equal(vm_eval(&b->vm, &b->row), VM_NOMATCH);
  assert_int_equal(vm_error_pos(&b->vm).line, 5);
  set(b, "n", "5");
  run_ok(b);   /* a failed record leaves nothing behind for the next */
  assert_int_equal(slot(b, "c.r"), D("1"));
  bench_free(b);
  b = bench("record { id text key  on date  k number }\n"
            "category c { points p = (on + k months) - on }\n");
  set(b, "on", "2024-01-01"); set(b, "k", "1.5");
  assert_int_equal(vm_eval(&b->vm, &b->row), VM_FRACTION);
  set(b, "k", "200000");
  assert_int_equal(vm_eval(&b->vm, &b->row), VM_DATE_RANGE);
  bench_free(b);
}

static void tracing_records_what_explain_shows(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  s number }\n"
                   "category c { points p 0..10 = if s > 5 then s else band s { ..1 => 0, else => 1 } }\n"
                   "tiers { tier a when true  tier b when s > 100 }\n");
  set(b, "s", "50");
  b->vm.tracing = true;
  run_ok(b);
  const Program *p = &b->c->prog;
  int kinds[8] = {0}, n = 0;
  int64_t values[8] = {0};
  for (int i = 0; i < b->vm.ntrace && n < 8; i++, n++) {
    kinds[i] = p->sites[b->vm.trace[i].site].kind;
    values[i] = b->vm.trace[i].v.n;
  }
  /* if (held), raw points 50 (capped to 10 later), raw category 10,
     tier a (held), tier b (not) */
  assert_int_equal(n, 5);
  assert_int_equal(kinds[0], SITE_IF);
  assert_int_equal(values[0], 1);
  assert_int_equal(kinds[1], SITE_RAW);
  assert_int_equal(values[1], D("50"));
  assert_int_equal(slot(b, "c.p"), D("10"));
  assert_int_equal(kinds[2], SITE_RAW);
  assert_int_equal(values[2], D("10"));
  assert_int_equal(kinds[3], SITE_TIER);
  assert_int_equal(values[3], 1);
  assert_int_equal(kinds[4], SITE_TIER);
  assert_int_equal(values[4], 0);
  assert_string_equal(p->sites[b->vm.trace[4].site].text, "s > 100");
  /* a band row's event carries the row's value */
  set(b, "s", "3");
  run_ok(b);
  assert_int_equal(p->sites[b->vm.trace[1].site].kind, SITE_ELSE);
  assert_int_equal(b->vm.trace[1].v.n, D("1"));
  set(b, "s", "0.5");
  run_ok(b);
  assert_int_equal(p->sites[b->vm.trace[1].site].kind, SITE_ROW);
  assert_int_equal(b->vm.trace[1].v.n, 0);
  /* plain code records nothing */
  b->vm.tracing = false;
  run_ok(b);
  assert_int_equal(b->vm.ntrace, 0);
  bench_free(b);
}

static void test_blocks_compile_to_records(void **state) {
  (void)state;
  Compiled *c = compile_text("record { id text key  n count  r one of (a, b)  o date optional  t text }\n"
                             "category c { points p = n }\n"
                             "tiers { tier x when true }\n"
                             "test \"t\" { given { n = 4 } expect { c.p = 4, tier = x } }\n");
  assert_true(c->ok);
  const TestInfo *t = &c->prog.tests[0];
  /* left out: neutral values; optional fields unset */
  assert_int_equal(t->given[1].n, D("4"));
  assert_int_equal(t->given[2].n, 0);
  assert_false(t->given_set[3]);
  assert_true(t->given_set[4]);
  assert_int_equal(t->given[4].n, 0);
  assert_int_equal(t->nexpects, 2);
  assert_int_equal(t->expects[1].kind, EXP_TIER);
  assert_int_equal(t->expects[1].value.n, 0);
  compiled_free(c);
}

static const char *TRACKS =
    "record { id text key  kind one of (var, msp, ta, isv)  sales money  certs count }\n"
    "category sales \"Sales\" { points volume 0..100 = sales / $1000 }\n"
    "category services { points certs 0..50 = 10 * certs }\n"
    "category advisory { points deals = sales / $2000 }\n"
    "benefit listed \"Locator\" { reseller.gold = yes, advisor.elite = yes }\n"
    "benefit rebate_pct { silver = 2, gold = 4 }\n"
    "payout rebate = sales * rebate_pct / 100\n"
    "track reseller 0..120 when kind in (var, msp) {\n"
    "  uses sales, services\n"
    "  tiers { tier silver when true  tier gold when score >= 100 }\n"
    "  badge certified when certs >= 3\n"
    "}\n"
    "track advisor when kind = ta {\n"
    "  uses advisory\n"
    "  tiers { tier registered when true  tier elite when score >= 50 }\n"
    "}\n"
    "badge big when sales >= $100000\n";

static Value benefit(Bench *b, int i) { return vm_benefit(&b->vm, i); }

static void tracks_choose_categories_ladders_and_caps(void **state) {
  (void)state;
  Bench *b = bench(TRACKS);
  const Program *p = &b->c->prog;
  assert_false(p->implicit_track);
  /* var: volume 90, certs 40 = 130, capped by the track at 120: gold */
  set(b, "kind", "var"); set(b, "sales", "90000"); set(b, "certs", "4");
  run_ok(b);
  assert_string_equal(p->tracks[b->vm.track].name, "reseller");
  assert_string_equal(tier(b), "gold");
  assert_int_equal(slot(b, "score"), D("120"));
  assert_true(vm_computed(&b->vm, slot_of(p, "services")));
  assert_false(vm_computed(&b->vm, slot_of(p, "advisory")));
  assert_int_equal(slot(b, "certified"), 1);
  assert_int_equal(slot(b, "big"), 0);
  assert_int_equal(benefit(b, 0).n, 1);                 /* listed */
  assert_int_equal(benefit(b, 1).n, D("4"));            /* rebate_pct */
  assert_int_equal(slot(b, "rebate"), D("3600"));       /* 90000 * 4 / 100 */
  /* ta: deals 120000 / 2000 = 60: elite; no rebate; the reseller badge is not evaluated */
  set(b, "kind", "ta"); set(b, "sales", "120000");
  run_ok(b);
  assert_string_equal(p->tracks[b->vm.track].name, "advisor");
  assert_string_equal(tier(b), "elite");
  assert_int_equal(slot(b, "score"), D("60"));
  assert_false(vm_computed(&b->vm, slot_of(p, "sales")));
  assert_false(vm_computed(&b->vm, slot_of(p, "certified")));
  assert_int_equal(slot(b, "big"), 1);
  assert_int_equal(benefit(b, 0).n, 1);
  assert_int_equal(slot(b, "rebate"), 0);
  /* msp below 100: silver, rebate 2% */
  set(b, "kind", "msp"); set(b, "sales", "10000"); set(b, "certs", "1");
  run_ok(b);
  assert_string_equal(tier(b), "silver");
  assert_int_equal(slot(b, "score"), D("20"));          /* 10 + 10 */
  assert_int_equal(benefit(b, 0).n, 0);
  assert_int_equal(slot(b, "rebate"), D("200"));
  /* isv fits no track: nothing is scored */
  set(b, "kind", "isv");
  run_ok(b);
  assert_int_equal(b->vm.track, -1);
  assert_int_equal(b->vm.tier, -1);
  assert_false(vm_computed(&b->vm, p->score_slot));
  assert_false(vm_computed(&b->vm, slot_of(p, "rebate")));
  bench_free(b);
}

/* Caps, ranges, band bounds, `in` ranges, thresholds and benefit values
   that name params take this run's values, a keyed param's for the
   record's member; plain and traced code alike. */
static const char *LEVERS =
    "record { id text key  s number  r one of (east, west) }\n"
    "param cap = 60\n"
    "param floor_pts = -5\n"
    "param cat_cap by r { east = 100, west = 80 }\n"
    "param t1 = 10\n"
    "param lo = 2\n"
    "param gold_min = 90\n"
    "param gold_rebate = 5\n"
    "param listing by r { east = yes, west = no }\n"
    "category c ..cat_cap {\n"
    "  points p floor_pts..cap = s\n"
    "  points b = band s { ..t1 => 1, ..20 => 2, else => 3 }\n"
    "  points i = if s in lo..t1 then 100 else 0\n"
    "}\n"
    "tiers { tier basic when true  tier gold when score > gold_min }\n"
    "benefit rebate { gold = gold_rebate }\n"
    "benefit listed { gold = listing }\n";

static void levers_take_the_runs_values(void **state) {
  (void)state;
  Bench *b = bench(LEVERS);
  for (int traced = 0; traced < 2; traced++) {
    b->vm.tracing = traced;
    assert_true(vm_set_param(&b->vm, "cap", "60", &(const char *){NULL}));
    assert_true(vm_set_param(&b->vm, "t1", "10", &(const char *){NULL}));
    set(b, "s", "75"); set(b, "r", "east");
    run_ok(b);
    assert_int_equal(slot(b, "c.p"), D("60"));    /* 75 capped at cap = 60 */
    assert_int_equal(slot(b, "c.b"), D("3"));     /* above 20: else */
    assert_int_equal(slot(b, "c.i"), 0);          /* not in 2..10 */
    assert_int_equal(slot(b, "c"), D("63"));      /* 60 + 3 + 0, under east's 100 */
    assert_string_equal(tier(b), "basic");        /* 63 is not above 90 */
    assert_int_equal(benefit(b, 0).n, 0);
    set(b, "s", "7");
    run_ok(b);
    assert_int_equal(slot(b, "c"), D("100"));     /* 7 + 1 + 100 = 108, capped at cat_cap.east */
    assert_int_equal(slot(b, "score"), D("100"));
    assert_string_equal(tier(b), "gold");
    assert_int_equal(benefit(b, 0).n, D("5"));    /* gold_rebate */
    assert_int_equal(benefit(b, 1).n, 1);         /* listing.east = yes */
    set(b, "r", "west");
    run_ok(b);
    assert_int_equal(slot(b, "score"), D("80"));  /* cat_cap.west = 80 */
    assert_string_equal(tier(b), "basic");
    set(b, "s", "-20");
    run_ok(b);
    assert_int_equal(slot(b, "c.p"), D("-5"));    /* floor_pts */
    /* The run's values: cap 50, t1 5 (7 is now in ..20 and not in 2..5),
       gold above 50 with a 6 % rebate, west listed. */
    const char *why = NULL;
    assert_true(vm_set_param(&b->vm, "cap", "50", &why));
    assert_true(vm_set_param(&b->vm, "t1", "5", &why));
    assert_true(vm_set_param(&b->vm, "gold_min", "50", &why));
    assert_true(vm_set_param(&b->vm, "gold_rebate", "6", &why));
    assert_true(vm_set_param(&b->vm, "listing.west", "yes", &why));
    assert_true(vm_set_param(&b->vm, "cat_cap.west", "200", &why));
    set(b, "s", "75");
    run_ok(b);
    assert_int_equal(slot(b, "c.p"), D("50"));
    assert_int_equal(slot(b, "score"), D("53"));  /* 50 + 3 + 0 */
    assert_string_equal(tier(b), "gold");
    assert_int_equal(benefit(b, 0).n, D("6"));
    assert_int_equal(benefit(b, 1).n, 1);
    set(b, "s", "7");
    run_ok(b);
    assert_int_equal(slot(b, "c.b"), D("2"));
    assert_int_equal(slot(b, "c.i"), 0);
    assert_true(vm_set_param(&b->vm, "cat_cap.west", "80", &why));
    assert_true(vm_set_param(&b->vm, "listing.west", "no", &why));
    assert_true(vm_set_param(&b->vm, "gold_min", "90", &why));
    assert_true(vm_set_param(&b->vm, "gold_rebate", "5", &why));
  }
  /* Where the value comes from: vm_bound and vm_param read the last
     record's member. */
  const Program *p = &b->c->prog;
  const SlotInfo *cat = &p->slots[slot_of(p, "c")];
  assert_true(cat->hi_param >= 0);
  set(b, "r", "east");
  run_ok(b);
  assert_int_equal(vm_bound(&b->vm, cat->hi, cat->hi_param), D("100"));
  set(b, "r", "west");
  run_ok(b);
  assert_int_equal(vm_bound(&b->vm, cat->hi, cat->hi_param), D("80"));
  assert_int_equal(vm_bound(&b->vm, D("7"), -1), D("7"));
  bench_free(b);
}

/* Band rows of every kind load their params: a row with a lower end
   (lo..) is the highest bound reached, one below a bound (..<t) takes
   values under it. */
static void band_rows_of_every_kind_take_params(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  s number }\n"
                   "param lo = 100\nparam hi = 250\nparam t = 10\n"
                   "category c {\n"
                   "  points f = band s { lo.. => 1, hi.. => 2, else => 0 }\n"
                   "  points u = band s { ..<t => 3, ..t => 4, else => 5 }\n"
                   "}\n");
  static const struct { const char *s; int f, u; } declared[] = {
      {"99", 0, 5}, {"100", 1, 5}, {"249.5", 1, 5}, {"250", 2, 5}, {"9.9", 0, 3}, {"10", 0, 4}};
  for (size_t k = 0; k < sizeof declared / sizeof *declared; k++) {
    set(b, "s", declared[k].s);
    run_ok(b);
    assert_int_equal(slot(b, "c.f"), declared[k].f * DEC_SCALE);
    assert_int_equal(slot(b, "c.u"), declared[k].u * DEC_SCALE);
  }
  const char *why;
  assert_true(vm_set_param(&b->vm, "hi", "150", &why));   /* 200 now reaches hi: 2 */
  assert_true(vm_set_param(&b->vm, "t", "200", &why));    /* 200 is up to t, not below it: 4 */
  set(b, "s", "200");
  run_ok(b);
  assert_int_equal(slot(b, "c.f"), 2 * DEC_SCALE);
  assert_int_equal(slot(b, "c.u"), 4 * DEC_SCALE);
  set(b, "s", "199");   /* below t = 200: 3 */
  run_ok(b);
  assert_int_equal(slot(b, "c.u"), 3 * DEC_SCALE);
  bench_free(b);
}

/* A cap that is a param holds each member's copy of a `per GROUP` points
   (main's repeated groups): na's 80000 / 1000 = 80 at cap = 50, emea's 10
   under it; with cap 30, 30. */
static void group_members_share_a_lever(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  group region (na, emea) { acv money } }\n"
                   "param cap = 50\n"
                   "category c { points p 0..cap per region = acv / $1000 }\n");
  set(b, "na_acv", "80000");
  set(b, "emea_acv", "10000");
  run_ok(b);
  assert_int_equal(slot(b, "c.na_p"), D("50"));
  assert_int_equal(slot(b, "c.emea_p"), D("10"));
  const char *why;
  assert_true(vm_set_param(&b->vm, "cap", "30", &why));
  run_ok(b);
  assert_int_equal(slot(b, "c.na_p"), D("30"));
  assert_int_equal(b->c->prog.nrules, 1);   /* one cap, written once: one rule */
  bench_free(b);
}

/* The orders levers must keep, as a run that sets them is checked. */
static void param_rules(void **state) {
  (void)state;
  Bench *b = bench(LEVERS);
  const Program *p = &b->c->prog;
  int64_t *v = malloc((size_t)p->nparam_values * sizeof *v);
  memcpy(v, p->param_values, (size_t)p->nparam_values * sizeof *v);
  int lo, hi;
  assert_int_equal(program_rules_broken(p, v, &lo, &hi), -1);
  int at, cap = program_param_find(p, "cap", &at, &(const char *){NULL});
  v[at] = D("-6");   /* below floor_pts = -5 */
  int r = program_rules_broken(p, v, &lo, &hi);
  assert_true(r >= 0);
  char why[512];
  program_rule_text(p, r, v, lo, hi, why, sizeof why);
  assert_string_equal(why, "the cap of points c.p (t.rubric:11:21) would be empty: its low end "
                           "floor_pts = -5 is above its high end cap = -6");
  v[at] = D("-5");   /* a range's ends may meet */
  assert_int_equal(program_rules_broken(p, v, &lo, &hi), -1);
  assert_int_equal(cap, 0);   /* the first param */
  program_param_find(p, "t1", &at, &(const char *){NULL});
  v[at] = D("20");   /* a band's bounds must rise: 20 does not */
  r = program_rules_broken(p, v, &lo, &hi);
  program_rule_text(p, r, v, lo, hi, why, sizeof why);
  assert_string_equal(why, "the band (t.rubric:12:36) would not rise: the bound 20 follows t1 = 20");
  v[at] = D("19.999999");
  program_param_find(p, "lo", &at, &(const char *){NULL});
  v[at] = D("20");   /* `in lo..t1`: empty */
  r = program_rules_broken(p, v, &lo, &hi);
  program_rule_text(p, r, v, lo, hi, why, sizeof why);
  assert_string_equal(why, "the range of 'in' (t.rubric:13:24) would be empty: its low end lo = 20 is "
                           "above its high end t1 = 19.999999");
  free(v);
  /* A param's value from text, with the reason when it does not fit. */
  int64_t x;
  const char *reason;
  assert_true(program_param_parse(VT_MONEY, "$12.5", &x, &reason));
  assert_int_equal(x, D("12.5"));
  assert_false(program_param_parse(VT_NUMBER, "$12.5", &x, &reason));
  assert_string_equal(reason, "not a decimal number");
  assert_false(program_param_parse(VT_DATE, "2024-02-30", &x, &reason));
  assert_string_equal(reason, "not a date (YYYY-MM-DD)");
  assert_true(program_param_parse(VT_FLAG, "Yes", &x, &reason));
  assert_int_equal(x, 1);
  assert_false(program_param_parse(VT_FLAG, "maybe", &x, &reason));
  bench_free(b);
}

static void composite_keys(void **state) {
  (void)state;
  Compiled *c = compile_text("record { id text key  region text key optional  n count }\n");
  assert_true(c->ok);
  assert_int_equal(c->prog.nkeys, 2);
  assert_int_equal(c->prog.keys[0], 0);
  assert_int_equal(c->prog.keys[1], 1);
  compiled_free(c);
}

/* Activities: a hand-built list of up to 8, each field parsed as a file's cell. */
typedef struct Acts { Value vals[8 * 8]; uint8_t set[8 * 8]; long lines[8]; ActList list; } Acts;

static void act(Bench *b, Acts *a, const char *const *cells) {
  const Program *p = &b->c->prog;
  int i = a->list.n++;
  for (int f = 0; f < p->nafields; f++) {
    char why[REC_WHY_MAX];
    const char *t = cells[f];
    a->set[i * p->nafields + f] = t != NULL;
    if (t && !rec_parse_cell(&p->afields[f], t, strlen(t), &a->vals[i * p->nafields + f], why))
      fail_msg("%s: %s", t, why);
  }
  a->list.vals = a->vals;
  a->list.set = a->set;
  a->list.lines = a->lines;
}

static const char *ACTIVITIES =
    "period 2025-01-01 to 2025-12-31\n"
    "record { id text key }\n"
    "activity { partner text key  kind one of (deal, cert)  on date  amount money optional  who text optional }\n"
    "window h2 = period.start + 6 months to period.end\n"
    "output deals = count(activity where kind = deal)\n"
    "output big = count(activity where amount > $100)\n"
    "output not_big = count(activity where not (amount > $100))\n"
    "output summed = sum(amount of activity where kind = deal)\n"
    "output first optional = min(on of activity)\n"
    "output most optional = max(amount of activity where kind = cert)\n"
    "output who = distinct(who of activity)\n"
    "output late = count(activity where on in h2)\n"
    "output fresh = count(activity where on + 3 months > as_of)\n"
    "category c { points p = 0 }\n"
    "tiers { tier t when true }\n";

static void aggregates_of_activities(void **state) {
  (void)state;
  Bench *b = bench(ACTIVITIES);
  Acts a = {0};
  b->row.acts = &a.list;
  /* none: counts and sums 0, min and max unset */
  run_ok(b);
  assert_int_equal(slot(b, "deals"), 0);
  assert_int_equal(slot(b, "summed"), 0);
  assert_true(value_is_unset(b->vm.slots[slot_of(&b->c->prog, "first")]));
  act(b, &a, (const char *[]){"P", "deal", "2025-03-01", "250", "Acme"});
  act(b, &a, (const char *[]){"P", "deal", "2025-08-01", NULL, "Acme"});
  act(b, &a, (const char *[]){"P", "cert", "2025-11-15", "50", "Beta"});
  act(b, &a, (const char *[]){"P", "deal", "2025-01-10", "20", NULL});
  run_ok(b);
  assert_int_equal(slot(b, "deals"), D("3"));
  /* an unset amount makes `amount > $100` false, and so `not (...)` true */
  assert_int_equal(slot(b, "big"), D("1"));
  assert_int_equal(slot(b, "not_big"), D("3"));
  assert_int_equal(slot(b, "summed"), D("270"));   /* 250 + 20; the unset amount adds nothing */
  int64_t first;
  assert_true(date_parse("2025-01-10", 10, &first));
  assert_int_equal(slot(b, "first"), first);
  assert_int_equal(slot(b, "most"), D("50"));
  assert_int_equal(slot(b, "who"), D("2"));       /* Acme, Beta; an unset one is not a value */
  assert_int_equal(slot(b, "late"), D("2"));      /* from 2025-07-01: 08-01 and 11-15 */
  /* as of 2025-12-31: 11-15 + 3 months = 2026-02-15 > as_of; 08-01 + 3 months is not */
  assert_int_equal(slot(b, "fresh"), D("1"));
  int64_t d;
  assert_true(date_parse("2025-05-15", 10, &d));
  vm_set_as_of(&b->vm, d);   /* a fixed period stays; as_of moves */
  run_ok(b);
  assert_int_equal(slot(b, "fresh"), D("3"));   /* 01-10 + 3 months = 04-10 is not after 05-15 */
  assert_int_equal(slot(b, "late"), D("2"));
  bench_free(b);
}

static void a_relative_period_ends_on_the_as_of_date(void **state) {
  (void)state;
  Bench *b = bench("period 12 months to as_of\nrecord { id text key }\n"
                   "output s = period.start\noutput e = period.end\noutput a = as_of\n"
                   "category c { points p = 0 }\ntiers { tier t when true }\n");
  int64_t d, want;
  assert_true(date_parse("2026-02-28", 10, &d));
  vm_set_as_of(&b->vm, d);
  run_ok(b);
  assert_true(date_parse("2025-03-01", 10, &want));   /* 2026-02-28 - 12 months + 1 day */
  assert_int_equal(slot(b, "s"), want);
  assert_int_equal(slot(b, "e"), d);
  assert_int_equal(slot(b, "a"), d);
  bench_free(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(aggregates_of_activities),
      cmocka_unit_test(a_relative_period_ends_on_the_as_of_date),
      cmocka_unit_test(the_ladder_needs_every_lower_tier),
      cmocka_unit_test(caps_clamp_points_categories_and_bound_results),
      cmocka_unit_test(bands_in_and_ranges),
      cmocka_unit_test(bands_both_ways),
      cmocka_unit_test(tiers_compare_along_their_ladder),
      cmocka_unit_test(not_and_or_follow_their_truth_tables),
      cmocka_unit_test(dates_and_optional_fields),
      cmocka_unit_test(functions_builtins_and_params),
      cmocka_unit_test(quotients_are_rounded_once),
      cmocka_unit_test(int_fields_are_signed_whole_numbers),
      cmocka_unit_test(lets_are_lazy_and_computed_once),
      cmocka_unit_test(errors_name_their_place),
      cmocka_unit_test(tracing_records_what_explain_shows),
      cmocka_unit_test(test_blocks_compile_to_records),
      cmocka_unit_test(tracks_choose_categories_ladders_and_caps),
      cmocka_unit_test(composite_keys),
      cmocka_unit_test(levers_take_the_runs_values),
      cmocka_unit_test(band_rows_of_every_kind_take_params),
      cmocka_unit_test(group_members_share_a_lever),
      cmocka_unit_test(param_rules),
  };
  return cmocka_run_group_tests_name("vm", tests, NULL, NULL);
}

/* test_sweep.c — the scenarios of rubric sweep: exact range values, lists
   of every kind of param, the order of the scenarios, which slots a
   scenario keeps, and vm_eval_again keeping exactly those. */
#include "helpers.h"
#include "../../runtime/date.h"
#include "../../runtime/sweep.h"

static const char *PROGRAM =
    "record { id text key  s number  k one of (a, b) }\n"
    "param rate = 1\n"
    "param fee = $5\n"
    "param start = 2024-01-01\n"
    "param on = yes\n"
    "param per by k { a = 2, b = 3 }\n"
    "category c {\n"
    "  points x = s * rate\n"
    "  points y = s + 1\n"
    "  points z = s * per\n"
    "}\n"
    "category d {\n"
    "  points w = s * 2\n"
    "}\n"
    "let doubled = c.y * 2\n"
    "tiers {\n"
    "  tier low when true\n"
    "  tier high when score > 100\n"
    "}\n"
    "benefit pct { low = 1, high = 2 }\n"
    "payout cost = fee * pct\n"
    "let top = tier >= high\n"
    "output flagged \"Flagged\" = top\n";

/* One axis from `set`; its values must be exactly want[0..n). */
static void axis_is(const Program *p, const char *set, const char *const *want, int n) {
  Sweep sw;
  sweep_init(&sw, p);
  char why[256] = "";
  if (!sweep_axis(&sw, set, 1000, why, sizeof why)) fail_msg("%s: %s", set, why);
  assert_int_equal(sw.axes[0].nvalues, n);
  for (int i = 0; i < n; i++) {
    int64_t v;
    if (strchr(want[i], '-') && want[i][0] != '-') assert_true(date_parse(want[i], strlen(want[i]), &v));
    else if (strcmp(want[i], "yes") == 0 || strcmp(want[i], "no") == 0) v = want[i][0] == 'y';
    else v = D(want[i]);
    if (sw.axes[0].values[i] != v) fail_msg("%s: value %d is %lld, not %s", set, i, (long long)sw.axes[0].values[i], want[i]);
  }
  sweep_free(&sw);
}

/* sweep_axis refuses set, saying something that contains `says`. */
static void axis_refused(const Program *p, const char *set, long max, const char *says) {
  Sweep sw;
  sweep_init(&sw, p);
  char why[256] = "";
  if (sweep_axis(&sw, set, max, why, sizeof why)) fail_msg("%s was accepted", set);
  if (!strstr(why, says)) fail_msg("%s: '%s' does not say '%s'", set, why, says);
  sweep_free(&sw);
}

static void ranges_are_exact_decimal_steps(void **state) {
  (void)state;
  Compiled *c = compile_text(PROGRAM);
  assert_true(c->ok);
  const Program *p = &c->prog;
  /* Added up in binary floating point, 0.1 + 0.1 + 0.1 is not 0.3 and the
     range would stop at 0.2; LO + i * STEP in millionths reaches 0.3. */
  axis_is(p, "rate=0.1..0.3:0.1", (const char *const[]){"0.1", "0.2", "0.3"}, 3);
  axis_is(p, "rate=550..700:25", (const char *const[]){"550", "575", "600", "625", "650", "675", "700"}, 7);
  /* A step that does not divide the range ends at the last value below HI. */
  axis_is(p, "rate=0..1:0.3", (const char *const[]){"0", "0.3", "0.6", "0.9"}, 4);
  axis_is(p, "rate=-1..1:1", (const char *const[]){"-1", "0", "1"}, 3);
  axis_is(p, "rate=2..2:5", (const char *const[]){"2"}, 1);
  /* 2 * STEP does not fit in a decimal, but LO + 2 * STEP does. */
  axis_is(p, "rate=-9000000000000..9000000000000:9000000000000",
          (const char *const[]){"-9000000000000", "0", "9000000000000"}, 3);
  axis_is(p, "rate=0.000001..0.000003:0.000001", (const char *const[]){"0.000001", "0.000002", "0.000003"}, 3);
  /* Money, with or without $; a list of values and ranges, in its order. */
  axis_is(p, "fee=$1..$2:$0.25", (const char *const[]){"1", "1.25", "1.5", "1.75", "2"}, 5);
  axis_is(p, "fee=1..2:0.5", (const char *const[]){"1", "1.5", "2"}, 3);
  axis_is(p, "rate=5, 1..2:1 ,7", (const char *const[]){"5", "1", "2", "7"}, 4);
  /* Dates and flags are listed; a keyed param is swept one key at a time. */
  axis_is(p, "start=2024-03-01,2024-01-31", (const char *const[]){"2024-03-01", "2024-01-31"}, 2);
  axis_is(p, "on=no,yes,true", (const char *const[]){"no", "yes", "yes"}, 3);
  axis_is(p, "per.b=4,5", (const char *const[]){"4", "5"}, 2);
  compiled_free(c);
}

static void bad_axes_say_why(void **state) {
  (void)state;
  Compiled *c = compile_text(PROGRAM);
  assert_true(c->ok);
  const Program *p = &c->prog;
  axis_refused(p, "rate", 1000, "write NAME=VALUES");
  axis_refused(p, "=1", 1000, "write NAME=VALUES");
  axis_refused(p, "nope=1", 1000, "no param of that name");
  axis_refused(p, "per=1", 1000, "keyed");
  axis_refused(p, "rate=1..2", 1000, "has no step");
  axis_refused(p, "rate=1..2:0", 1000, "must be above 0");
  axis_refused(p, "rate=1..2:-1", 1000, "must be above 0");
  axis_refused(p, "rate=2..1:1", 1000, "is empty");
  axis_refused(p, "rate=a..2:1", 1000, "not a decimal number");
  axis_refused(p, "rate=1..2:0.0000001", 1000, "more than 6 decimal places");
  axis_refused(p, "rate=1,,2", 1000, "an empty value");
  axis_refused(p, "rate=1,x", 1000, "the value 'x'");
  axis_refused(p, "start=2024-01-01..2024-02-01:1", 1000, "needs a number or money param");
  axis_refused(p, "on=0..1:1", 1000, "needs a number or money param");
  axis_refused(p, "start=2024-02-30", 1000, "not a date");
  /* More values than scenarios allowed, in a range or a list; a range
     too large to make is refused before any value is made. */
  axis_refused(p, "rate=1..10:1", 5, "gives 10 values");
  axis_refused(p, "rate=1,2,3,4,5,6", 5, "more than 5 values");
  axis_refused(p, "rate=-9000000000000..9000000000000:0.000001", 1000, "gives 18000000000000000001 values");
  /* The same param value twice. */
  Sweep sw;
  sweep_init(&sw, p);
  char why[256];
  assert_true(sweep_axis(&sw, "per.a=1,2", 1000, why, sizeof why));
  assert_true(sweep_axis(&sw, "per.b=1,2", 1000, why, sizeof why));
  assert_false(sweep_axis(&sw, "per.a=3", 1000, why, sizeof why));
  assert_non_null(strstr(why, "already has its values"));
  sweep_free(&sw);
  compiled_free(c);
}

static void scenarios_vary_the_last_axis_fastest(void **state) {
  (void)state;
  Compiled *c = compile_text(PROGRAM);
  assert_true(c->ok);
  Sweep sw;
  sweep_init(&sw, &c->prog);
  char why[256];
  assert_true(sweep_axis(&sw, "rate=1,2,3", 1000, why, sizeof why));
  assert_true(sweep_axis(&sw, "fee=10", 1000, why, sizeof why));
  assert_true(sweep_axis(&sw, "per.a=7,8", 1000, why, sizeof why));
  assert_false(sweep_plan(&sw, 5, why, sizeof why));
  assert_string_equal(why, "6 scenarios (3 x 1 x 2), more than the limit of 5");
  assert_true(sweep_plan(&sw, 6, why, sizeof why));
  assert_int_equal(sw.nscenarios, 6);
  static const char *const want[6][3] = {{"1", "10", "7"}, {"1", "10", "8"}, {"2", "10", "7"},
                                         {"2", "10", "8"}, {"3", "10", "7"}, {"3", "10", "8"}};
  for (int s = 0; s < 6; s++)
    for (int a = 0; a < 3; a++) assert_int_equal(sw.grid[s * 3 + a], D(want[s][a]));
  sweep_free(&sw);
  compiled_free(c);
}

static bool kept(const Sweep *sw, const Program *p, const char *slot) {
  int s = slot_of(p, slot);
  for (int i = 0; i < sw->nkeep; i++)
    if (sw->keep[i] == s) return true;
  return false;
}

/* A slot is kept when neither it nor what it calls reads a param value
   that varies, the track, the tier or a benefit. */
static void scenarios_keep_what_no_swept_value_reaches(void **state) {
  (void)state;
  Compiled *c = compile_text(PROGRAM);
  assert_true(c->ok);
  const Program *p = &c->prog;
  Sweep sw;
  sweep_init(&sw, p);
  char why[256];
  assert_true(sweep_axis(&sw, "rate=1,2", 1000, why, sizeof why));
  assert_true(sweep_axis(&sw, "per.a=9", 1000, why, sizeof why));   /* one value: fixed, not swept */
  assert_true(sweep_plan(&sw, 100, why, sizeof why));
  assert_false(kept(&sw, p, "c.x"));      /* reads rate */
  assert_false(kept(&sw, p, "c"));        /* calls c.x */
  assert_false(kept(&sw, p, "score"));    /* calls c */
  assert_false(kept(&sw, p, "cost"));     /* reads a benefit */
  assert_false(kept(&sw, p, "top"));      /* reads the tier */
  assert_false(kept(&sw, p, "flagged"));  /* calls top */
  assert_true(kept(&sw, p, "c.y"));
  assert_true(kept(&sw, p, "c.z"));       /* per.a has one value */
  assert_true(kept(&sw, p, "d.w"));
  assert_true(kept(&sw, p, "d"));
  assert_true(kept(&sw, p, "doubled"));
  sweep_free(&sw);
  /* A keyed param: every slot that reads any of its keys moves. */
  sweep_init(&sw, p);
  assert_true(sweep_axis(&sw, "per.b=1,2", 1000, why, sizeof why));
  assert_true(sweep_plan(&sw, 100, why, sizeof why));
  assert_false(kept(&sw, p, "c.z"));
  assert_true(kept(&sw, p, "c.x"));
  sweep_free(&sw);
  compiled_free(c);
}

/* vm_eval_again keeps the listed slots' last values, whatever the params
   say now (the caller's promise), and computes the others again. */
static void eval_again_keeps_only_what_it_is_told(void **state) {
  (void)state;
  Compiled *c = compile_text(PROGRAM);
  assert_true(c->ok);
  const Program *p = &c->prog;
  VmCtx vm;
  assert_true(vm_init(&vm, p));
  Value vals[3] = {{1, "k"}, {D("10"), NULL}, {0, NULL}};
  uint8_t set[3] = {1, 1, 1};
  Row row = {vals, set, NULL};
  int x = slot_of(p, "c.x"), y = slot_of(p, "c.y");
  ValueType t;
  const char *why;
  int rate = vm_param_index(p, "rate", &t, &why);
  assert_int_equal(vm_eval(&vm, &row), VM_OK);
  assert_int_equal(vm.slots[x].n, D("10"));
  vm.params[rate] = D("3");
  int keep[] = {x};   /* a broken promise: c.x reads rate */
  assert_int_equal(vm_eval_again(&vm, &row, keep, 1), VM_OK);
  assert_int_equal(vm.slots[x].n, D("10"));    /* kept */
  assert_true(vm_computed(&vm, x));
  assert_int_equal(vm_eval_again(&vm, &row, NULL, 0), VM_OK);
  assert_int_equal(vm.slots[x].n, D("30"));    /* computed again */
  assert_int_equal(vm.slots[y].n, D("11"));
  vm_free(&vm);
  compiled_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ranges_are_exact_decimal_steps),
      cmocka_unit_test(bad_axes_say_why),
      cmocka_unit_test(scenarios_vary_the_last_axis_fastest),
      cmocka_unit_test(scenarios_keep_what_no_swept_value_reaches),
      cmocka_unit_test(eval_again_keeps_only_what_it_is_told),
  };
  return cmocka_run_group_tests_name("sweep", tests, NULL, NULL);
}

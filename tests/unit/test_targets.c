/* test_targets.c — what a record needs for its next tier (api/targets.c):
   the search for the smallest single-field change, on programs small
   enough that every answer is worked out by hand in the comments, and the
   reading of the next tier's condition into parts with what each needs. */
#include "../../api/targets.h"
/* The bench (helpers.h) keeps the record's target too. */
#define BENCH_EXTRA RbTarget t;
#define BENCH_FREE_EXTRA(b) rb_target_free(&(b)->t)
#include "helpers.h"
#include "../../runtime/date.h"

static int tier_of(Bench *b, const char *name) {
  for (int t = 0; t < b->c->prog.ntiers; t++)
    if (strcmp(b->c->prog.tiers[t].name, name) == 0) return t;
  fail_msg("no tier %s", name);
  return -1;
}

static int64_t day(const char *iso) {
  int64_t d = 0;
  assert_true(date_parse(iso, strlen(iso), &d));
  return d;
}

/* Searches field in direction dir for the tier goal (reach tier `gold`
   on the implicit track). */
static bool find(Bench *b, const char *field, int dir, RbChange *c) {
  RbGoal g = {RB_GOAL_TIER, 0, tier_of(b, "gold")};
  return rb_targets_search(&b->c->prog, &b->vm, &b->row, field_of(&b->c->prog, field), dir, &g, c);
}

/* Fills b->t for the record as it is. */
static void targets(Bench *b) {
  rb_target_free(&b->t);
  assert_int_equal(rb_targets_record(&b->c->prog, &b->vm, &b->row, &b->t), VM_OK);
}

/* The change of b->t for field in direction dir, or NULL. */
static const RbChange *change_of(Bench *b, const char *field, int dir) {
  int f = field_of(&b->c->prog, field);
  for (int i = 0; i < b->t.nchanges; i++)
    if (b->t.changes[i].field == f && b->t.changes[i].direction == dir) return &b->t.changes[i];
  return NULL;
}

/* Ten points a certification up to 60; gold at 50.  With 2 certs (20
   points) gold needs 5 (50 >= 50): +3; 4 certs give 40, not enough.  Every
   count between is tried, so the answer is exhaustive.  Fewer certs never
   reach gold: no change downwards. */
static void a_count_is_searched_exactly(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  certs count }\n"
                   "category c { points p 0..60 = certs * 10 }\n"
                   "tiers { tier member when true  tier gold when score >= 50 }\n");
  set(b, "certs", "2");
  RbChange c;
  assert_true(find(b, "certs", 1, &c));
  assert_int_equal(c.status, RB_CHANGE_FOUND);
  assert_int_equal(c.from.n, D("2"));
  assert_int_equal(c.to.n, D("5"));
  assert_int_equal(c.delta, D("3"));
  assert_true(c.exhaustive);
  assert_false(find(b, "certs", -1, &c));
  assert_int_equal(b->row.vals[field_of(&b->c->prog, "certs")].n, D("2"));   /* the record is left as it was */
  bench_free(b);
}

/* An amount, to the millionth: volume = sales * 100 / $1000, a division
   rounded half-even to 6 places.  Gold at 80 points.  sales 799.999995:
   79999.9995 / 1000 = 79.9999995, whose last kept digit 9 is odd, so it
   rounds up to 80.000000: gold.  799.999994: 79.9999994 rounds down to
   79.999999: not.  From $500 the change is +$299.999995; the values
   between are too many to try each, so the answer is not exhaustive. */
static void an_amount_is_searched_to_the_millionth(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  sales money }\n"
                   "category c { points p = sales * 100 / $1000 }\n"
                   "tiers { tier member when true  tier gold when score >= 80 }\n");
  set(b, "sales", "500");
  RbChange c;
  assert_true(find(b, "sales", 1, &c));
  assert_int_equal(c.status, RB_CHANGE_FOUND);
  assert_int_equal(c.to.n, D("799.999995"));
  assert_int_equal(c.delta, D("299.999995"));
  assert_false(c.exhaustive);
  bench_free(b);
}

/* Points only for 5 to 8 deals: from 0 the probes at 1, 2, 4 miss, 8
   reaches and 16 misses again.  No smallest change is claimed; the
   witnesses are 8 (reaches) and 16 (does not). */
static void a_goal_that_falls_back_is_not_monotone(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  deals count }\n"
                   "category c { points p = if deals >= 5 and deals <= 8 then 100 else 0 }\n"
                   "tiers { tier member when true  tier gold when score >= 100 }\n");
  set(b, "deals", "0");
  RbChange c;
  assert_true(find(b, "deals", 1, &c));
  assert_int_equal(c.status, RB_CHANGE_NOT_MONOTONE);
  assert_int_equal(c.reach.n, D("8"));
  assert_int_equal(c.miss.n, D("16"));
  bench_free(b);
}

/* Gold at 3 deals exactly, or at 100 and more (deals 0..1000).  The
   probes 1, 2, 4, ..., 64 miss and 128 reaches, so bisection finds 100;
   but 3, nearer, reaches too, and the scan below 100 finds it: not
   monotone, with 3 reaching and 99 not. */
static void an_island_below_the_answer_is_found(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  deals count in 0..1000 }\n"
                   "category c { points p = if deals = 3 or deals >= 100 then 100 else 0 }\n"
                   "tiers { tier member when true  tier gold when score >= 100 }\n");
  set(b, "deals", "0");
  RbChange c;
  assert_true(find(b, "deals", 1, &c));
  assert_int_equal(c.status, RB_CHANGE_NOT_MONOTONE);
  assert_int_equal(c.reach.n, D("3"));
  assert_int_equal(c.miss.n, D("99"));
  bench_free(b);
}

/* An island too narrow for the probes, in an amount: gold at 100 and
   more, or from 50 to 51.  From 0 the probes (powers of two millionths)
   pass 33.554432 and 67.108864, both misses, and reach at 134.217728;
   bisection gives 100.  The values below are too many to try, so 64 are
   spread over them, one every (100 - 0.000002) / 63 = 1.587301...; the
   33rd, 32 steps in, is 50.79365: in the island.  Not monotone. */
static void a_spread_of_samples_finds_a_wide_island(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  n number }\n"
                   "category c { points p = if n >= 100 or n in 50..51 then 100 else 0 }\n"
                   "tiers { tier member when true  tier gold when score >= 100 }\n");
  set(b, "n", "0");
  RbChange c;
  assert_true(find(b, "n", 1, &c));
  assert_int_equal(c.status, RB_CHANGE_NOT_MONOTONE);
  assert_int_equal(c.reach.n, D("50.79365"));   /* 0.000001 + floor(99999998 * 32 / 63) millionths */
  assert_int_equal(c.miss.n, D("99.999999"));
  bench_free(b);
}

/* Certifications are capped at 50 and the record already has 6 (60, held
   at 50): more of them cannot raise the score, so nothing is found up or
   down; the sales points are what can close the gap: score 50 + sales,
   gold at 70, sales 5: +15.  A declared range is respected: with sales
   in 0..10 the 20 points cannot be reached, and no answer is given. */
static void a_capped_field_and_a_range_give_no_change(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  certs count  sales number }\n"
                   "category c { points p 0..50 = certs * 10  points q = sales }\n"
                   "tiers { tier member when true  tier gold when score >= 70 }\n");
  set(b, "certs", "6");
  set(b, "sales", "5");
  RbChange c;
  assert_false(find(b, "certs", 1, &c));
  assert_false(find(b, "certs", -1, &c));
  assert_true(find(b, "sales", 1, &c));
  assert_int_equal(c.to.n, D("20"));
  assert_int_equal(c.delta, D("15"));
  bench_free(b);
  b = bench("record { id text key  certs count  sales number in 0..10 }\n"
            "category c { points p 0..50 = certs * 10  points q = sales }\n"
            "tiers { tier member when true  tier gold when score >= 70 }\n");
  set(b, "certs", "6");
  set(b, "sales", "5");
  assert_false(find(b, "sales", 1, &c));
  targets(b);
  assert_int_equal(b->t.nchanges, 0);
  bench_free(b);
}

/* A flag is turned over once: gold needs `ok` and 10 points; with 20
   points and ok = no, ok = yes reaches it.  A flag searched with a
   direction, or a number without one, is refused. */
static void a_flag_is_turned_over(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  ok flag  n number }\n"
                   "category c { points p = n }\n"
                   "tiers { tier member when true  tier gold when ok and score >= 10 }\n");
  set(b, "ok", "no");
  set(b, "n", "20");
  RbChange c;
  assert_true(find(b, "ok", 0, &c));
  assert_int_equal(c.status, RB_CHANGE_FOUND);
  assert_int_equal(c.direction, 0);
  assert_int_equal(c.to.n, 1);
  assert_false(find(b, "ok", 1, &c));
  assert_false(find(b, "n", 0, &c));
  targets(b);
  assert_int_equal(b->t.conds[0].nparts, 2);   /* ok -> no, score >= 10: 20 -> yes */
  assert_int_equal(b->t.conds[0].parts[0].kind, RB_PART_FLAG);
  assert_int_equal(b->t.conds[0].parts[0].holds, 0);
  assert_int_equal(b->t.conds[0].parts[1].holds, 1);
  assert_true(b->t.has_gap);   /* the score part holds: a gap of 0 */
  assert_int_equal(b->t.gap, 0);
  assert_non_null(change_of(b, "ok", 0));
  set(b, "n", "10");   /* score >= 10 at 10 holds: short by nothing */
  targets(b);
  assert_int_equal(b->t.conds[0].parts[1].holds, 1);
  assert_false(b->t.conds[0].parts[1].has_short);
  assert_string_equal(b->t.conds[0].parts[1].op, ">=");
  assert_int_equal(b->t.conds[0].parts[1].needed.n, D("10"));
  bench_free(b);
}

/* Lower is better: 10 points off per escalation from 2 upwards, gold at
   85 points with 100 to start.  3 escalations: -30, 70.  2 still cost 20:
   80.  Down to 1: no deduction, 100: the change is -2.  Up never
   reaches. */
static void a_change_may_be_downwards(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  esc count }\n"
                   "category c { points p = 100  points q -100..0 = if esc < 2 then 0 else -10 * esc }\n"
                   "tiers { tier member when true  tier gold when score >= 85 }\n");
  set(b, "esc", "3");
  targets(b);
  const RbChange *c = change_of(b, "esc", -1);
  assert_non_null(c);
  assert_int_equal(c->to.n, D("1"));
  assert_int_equal(c->delta, D("-2"));
  assert_null(change_of(b, "esc", 1));
  bench_free(b);
}

/* Amounts so large that the points overflow (n * 1000000 past about 9.2
   trillion) end the domain the search speaks for: they are not taken as
   the goal falling back.  Gold at 5 points: n 5, from 1: +4. */
static void an_overflow_far_away_ends_the_search(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  n number }\n"
                   "category c { points p 0..100 = n * 1000000 / 1000000 }\n"
                   "tiers { tier member when true  tier gold when score >= 5 }\n");
  set(b, "n", "1");
  RbChange c;
  assert_true(find(b, "n", 1, &c));
  assert_int_equal(c.status, RB_CHANGE_FOUND);
  assert_int_equal(c.to.n, D("5"));
  bench_free(b);
}

/* A comparison says what it needs.  certs > 4 on a count is certs >= 5:
   with 2, short by 3.  score > 400 with 367.2: needs more than 400, short
   by 32.8, the score gap (strict).  A date compared with a param:
   live < deadline (2024-04-01) with live 2024-04-03 needs 2024-03-31 or
   earlier, 3 days off. */
static void comparisons_say_what_they_need(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  certs count  s number  live date }\n"
                   "param deadline = 2024-04-01\n"
                   "category c { points p = s }\n"
                   "tiers { tier member when true\n"
                   "  tier gold when certs > 4 and score > 400 and live < deadline }\n");
  set(b, "certs", "2");
  set(b, "s", "367.2");
  set(b, "live", "2024-04-03");
  targets(b);
  assert_int_equal(b->t.conds[0].nparts, 3);
  const RbTargetPart *certs = &b->t.conds[0].parts[0], *score = &b->t.conds[0].parts[1], *live = &b->t.conds[0].parts[2];
  assert_int_equal(certs->holds, 0);
  assert_string_equal(certs->op, ">=");
  assert_int_equal(certs->needed.n, D("5"));
  assert_int_equal(certs->short_by, D("3"));
  assert_string_equal(score->op, ">");
  assert_int_equal(score->needed.n, D("400"));
  assert_int_equal(score->short_by, D("32.8"));
  assert_true(b->t.has_gap);
  assert_true(b->t.gap_strict);
  assert_int_equal(b->t.gap, D("32.8"));
  assert_string_equal(live->op, "<=");
  assert_int_equal(live->needed.n, day("2024-03-31"));
  assert_int_equal(live->short_by, 3);
  assert_int_equal(b->t.nchanges, 0);   /* three parts fail: no one field mends them all */
  bench_free(b);
}

/* A record's values stay ones its fields accept (issue 10, section 6).
   An int and a field with `places 2` step on their grid: > 3.5 means
   >= 4, >= $1000.001 means >= $1000.01, and the changes found are 4 and
   $1000.01.  A field whose range names another bounds the change too:
   pts in answers..5 * answers with answers 4 can go up to 20, not to the
   25 gold asks (with answers 5 it can: 25).  And answers cannot rise past
   pts, which would then be below it: with pts 15, answers >= 19 (tier
   top) finds no change; with pts 19 it finds 19. */
static void changes_stay_on_the_fields_grid_and_in_their_ranges(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  answers int  pts number places 1 in answers..5 * answers\n"
                   "         revenue money places 2 }\n"
                   "category c { points p = pts }\n"
                   "tiers { tier member when true\n"
                   "  tier gold when answers > 3.5 and revenue >= $1000.001 }\n");
  set(b, "answers", "3"); set(b, "pts", "15"); set(b, "revenue", "500");
  targets(b);
  const RbTargetPart *answers = &b->t.conds[0].parts[0], *revenue = &b->t.conds[0].parts[1];
  assert_string_equal(answers->op, ">=");
  assert_int_equal(answers->needed.n, D("4"));
  assert_string_equal(revenue->op, ">=");
  assert_int_equal(revenue->needed.n, D("1000.01"));
  assert_int_equal(revenue->short_by, D("500.01"));
  RbChange c;
  set(b, "revenue", "2000");
  assert_true(find(b, "answers", 1, &c));
  assert_int_equal(c.to.n, D("4"));
  set(b, "answers", "4"); set(b, "revenue", "500");
  assert_true(find(b, "revenue", 1, &c));
  assert_int_equal(c.to.n, D("1000.01"));
  bench_free(b);
  b = bench("record { id text key  answers int  pts number in answers..5 * answers }\n"
            "category c { points p = pts }\n"
            "tiers { tier member when true  tier gold when pts >= 25 }\n");
  set(b, "answers", "4"); set(b, "pts", "15");
  assert_false(find(b, "pts", 1, &c));   /* at most 5 * 4 = 20 */
  set(b, "answers", "5");
  assert_true(find(b, "pts", 1, &c));
  assert_int_equal(c.to.n, D("25"));
  bench_free(b);
  b = bench("record { id text key  answers int  pts number in answers..5 * answers }\n"
            "category c { points p = pts }\n"
            "tiers { tier member when true  tier gold when answers >= 19 }\n");
  set(b, "answers", "4"); set(b, "pts", "15");
  assert_false(find(b, "answers", 1, &c));   /* past 15, pts would be below answers */
  set(b, "pts", "19");
  assert_true(find(b, "answers", 1, &c));
  assert_int_equal(c.to.n, D("19"));
  bench_free(b);
}

/* A date part the reader cannot compare, `live <= since + 3 months`,
   alone in the condition: it is the part that failed (deduced), and the
   search says what each of its dates would have to be for it to hold, in
   the order the part names them.  since 2024-01-10 + 3 months =
   2024-04-10, live 2024-05-01: live must be 2024-04-10 (-21 days: 30
   days of April after the 10th, 20 of them, and 1 of May); or since
   2024-02-01 (+22 days: 2024-02-01 + 3 months = 2024-05-01; 2024-01-31 +
   3 months = 2024-04-30, a day short). */
static void a_date_part_needs_a_day(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  since date  live date }\n"
                   "tiers { tier member when true  tier gold when live <= since + 3 months }\n");
  set(b, "since", "2024-01-10");
  set(b, "live", "2024-05-01");
  targets(b);
  assert_int_equal(b->t.conds[0].nparts, 1);
  const RbTargetPart *tp = &b->t.conds[0].parts[0];
  assert_int_equal(tp->kind, RB_PART_OTHER);
  assert_int_equal(tp->holds, 0);
  assert_true(tp->deduced);
  assert_false(b->t.has_gap);   /* no score in the condition */
  assert_int_equal(tp->nholds_with, 2);   /* in the order the part names them */
  assert_int_equal(tp->holds_with[0].field, field_of(&b->c->prog, "live"));
  assert_int_equal(tp->holds_with[0].to.n, day("2024-04-10"));
  assert_int_equal(tp->holds_with[0].delta, -21);
  assert_true(tp->holds_with[0].exhaustive);
  assert_int_equal(tp->holds_with[1].field, field_of(&b->c->prog, "since"));
  assert_int_equal(tp->holds_with[1].to.n, day("2024-02-01"));
  assert_int_equal(tp->holds_with[1].delta, 22);
  const RbChange *c = change_of(b, "live", -1);   /* and the same for the tier */
  assert_non_null(c);
  assert_int_equal(c->to.n, day("2024-04-10"));
  bench_free(b);
}

/* What the parts' values do not say is worked out only where it follows.
   `a + b >= 4 and score >= 50`: with a 4, b 0 and 40 points, the first
   part is not read (a sum), the second fails.  Raising x (10 points each)
   to 5 reaches gold without touching a or b, so the sum held: deduced.
   With a 1 no change of x helps, and the sum stays unknown.  In an `or`
   every part of a failed condition failed. */
static void verdicts_are_worked_out_only_where_they_follow(void **state) {
  (void)state;
  static const char *const prog =
      "record { id text key  a count  b count  x count }\n"
      "category c { points p = x * 10 }\n"
      "tiers { tier member when true  tier gold when a + b >= 4 and score >= 50 }\n";
  Bench *b = bench(prog);
  set(b, "a", "4");
  set(b, "b", "0");
  set(b, "x", "4");
  targets(b);
  assert_int_equal(b->t.conds[0].parts[0].kind, RB_PART_OTHER);
  assert_int_equal(b->t.conds[0].parts[0].holds, 1);
  assert_true(b->t.conds[0].parts[0].deduced);
  assert_non_null(change_of(b, "x", 1));
  bench_free(b);
  b = bench(prog);
  set(b, "a", "1");
  set(b, "b", "0");
  set(b, "x", "4");
  targets(b);
  assert_int_equal(b->t.conds[0].parts[0].holds, -1);
  assert_int_equal(b->t.nchanges, 0);
  bench_free(b);
  b = bench("record { id text key  a count  b count }\n"
            "tiers { tier member when true  tier gold when a > 5 or a + b > 8 }\n");
  set(b, "a", "1");
  set(b, "b", "2");
  targets(b);
  assert_int_equal(b->t.conds[0].join, RB_JOIN_OR);
  assert_int_equal(b->t.conds[0].parts[1].holds, 0);
  assert_true(b->t.conds[0].parts[1].deduced);
  assert_int_equal(b->t.conds[0].parts[0].needed.n, D("6"));   /* a > 5 on a count: 6 or more */
  bench_free(b);
}

/* A part that calls a fn may read fields it does not name: boost(a) reads
   b too.  a 1, b 0, x 4: 40 points, boost 1.  b 3 makes boost 4 and the
   score 70: gold, by a change of a field the part does not name; yet the
   part failed before it.  So nothing is deduced from that change. */
static void a_part_that_calls_a_fn_is_not_deduced(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  a count  b count  x count }\n"
                   "fn boost(n) = n + b\n"
                   "category c { points p = b * 10 + x * 10 }\n"
                   "tiers { tier member when true  tier gold when boost(a) >= 4 and score >= 50 }\n");
  set(b, "a", "1");
  set(b, "b", "0");
  set(b, "x", "4");
  targets(b);
  const RbChange *c = change_of(b, "b", 1);
  assert_non_null(c);
  assert_int_equal(c->to.n, D("3"));
  assert_int_equal(b->t.conds[0].parts[0].kind, RB_PART_OTHER);
  assert_int_equal(b->t.conds[0].parts[0].holds, -1);
  bench_free(b);
}

/* An optional let without a value is unset, not a value: `avg is set`
   fails (it was read: the let was computed, to unset), and needs the
   answers that give it one.  answers 0: avg unset; 1 answer is enough. */
static void an_unset_optional_let_is_not_set(void **state) {
  (void)state;
  Bench *b = bench("record { id text key  answers count  pts number }\n"
                   "let avg optional = if answers > 0 then pts / answers else unset\n"
                   "category c { points p = pts }\n"
                   "tiers { tier member when true  tier gold when avg is set and score >= 1 }\n");
  set(b, "answers", "0");
  set(b, "pts", "5");
  targets(b);
  assert_int_equal(b->t.conds[0].parts[0].kind, RB_PART_SET);
  assert_int_equal(b->t.conds[0].parts[0].holds, 0);
  assert_int_equal(b->t.conds[0].parts[0].subject.state, RB_NAME_UNSET);
  const RbChange *c = change_of(b, "answers", 1);
  assert_non_null(c);
  assert_int_equal(c->to.n, D("1"));
  bench_free(b);
}

/* No demotion: a floor holds the record at silver though its 20 points
   do not earn it (silver needs 50).  Gold, next, needs certs >= 3, which
   holds with 5, but the ladder must pass silver first: silver's is the
   condition still to hold, 30 points short, and 50 points (+30) place the
   record in gold.  With 1 certification gold's fails too: two conditions,
   lowest first, and no one field mends both. */
static void a_floor_adds_the_conditions_it_skipped(void **state) {
  (void)state;
  static const char *const prog =
      "record { id text key  held one of (none, member, silver, gold) optional  s number  certs count }\n"
      "category c { points p = s }\n"
      "tiers floor held {\n"
      "  tier member when true  tier silver when score >= 50  tier gold when certs >= 3\n"
      "}\n";
  Bench *b = bench(prog);
  set(b, "held", "silver");
  set(b, "s", "20");
  set(b, "certs", "5");
  targets(b);
  assert_int_equal(b->t.tier, tier_of(b, "silver"));
  assert_int_equal(b->t.next, tier_of(b, "gold"));
  assert_int_equal(b->t.nconds, 1);
  assert_int_equal(b->t.conds[0].tier, tier_of(b, "silver"));
  assert_true(b->t.has_gap);
  assert_int_equal(b->t.gap, D("30"));
  const RbChange *c = change_of(b, "s", 1);
  assert_non_null(c);
  assert_int_equal(c->to.n, D("50"));
  set(b, "certs", "1");
  targets(b);
  assert_int_equal(b->t.nconds, 2);
  assert_int_equal(b->t.conds[1].tier, tier_of(b, "gold"));
  assert_int_equal(b->t.conds[1].parts[0].short_by, D("2"));
  assert_int_equal(b->t.nchanges, 0);
  bench_free(b);
}

/* The next tier is the lowest above the record's: at the top there is
   none; a record whose lowest tier fails aims at the lowest.  A record on
   no track has no ladder at all. */
static void the_next_tier_is_the_lowest_above(void **state) {
  (void)state;
  static const char *const prog =
      "record { id text key  ok flag  s number }\n"
      "category c { points p = s }\n"
      "tiers { tier member when ok  tier gold when score >= 10 }\n";
  Bench *b = bench(prog);
  set(b, "ok", "yes");
  set(b, "s", "20");
  targets(b);
  assert_int_equal(b->t.tier, tier_of(b, "gold"));
  assert_int_equal(b->t.next, -1);
  set(b, "ok", "no");
  targets(b);
  assert_int_equal(b->t.tier, -1);
  assert_int_equal(b->t.next, tier_of(b, "member"));
  assert_non_null(change_of(b, "ok", 0));
  bench_free(b);
  b = bench("record { id text key  k one of (a, b)  s number }\n"
            "track ta when k = a { category c { points p = s }\n"
            "  tiers { tier low when true  tier gold when score >= 10 } }\n");
  set(b, "k", "b");
  set(b, "s", "1");
  targets(b);
  assert_int_equal(b->t.track, -1);
  assert_int_equal(b->t.next, -1);
  bench_free(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_count_is_searched_exactly),
      cmocka_unit_test(an_amount_is_searched_to_the_millionth),
      cmocka_unit_test(a_goal_that_falls_back_is_not_monotone),
      cmocka_unit_test(an_island_below_the_answer_is_found),
      cmocka_unit_test(a_spread_of_samples_finds_a_wide_island),
      cmocka_unit_test(a_capped_field_and_a_range_give_no_change),
      cmocka_unit_test(a_flag_is_turned_over),
      cmocka_unit_test(a_change_may_be_downwards),
      cmocka_unit_test(an_overflow_far_away_ends_the_search),
      cmocka_unit_test(comparisons_say_what_they_need),
      cmocka_unit_test(a_date_part_needs_a_day),
      cmocka_unit_test(verdicts_are_worked_out_only_where_they_follow),
      cmocka_unit_test(a_part_that_calls_a_fn_is_not_deduced),
      cmocka_unit_test(an_unset_optional_let_is_not_set),
      cmocka_unit_test(a_floor_adds_the_conditions_it_skipped),
      cmocka_unit_test(the_next_tier_is_the_lowest_above),
      cmocka_unit_test(changes_stay_on_the_fields_grid_and_in_their_ranges),
  };
  return cmocka_run_group_tests_name("targets", tests, NULL, NULL);
}

/* test_compare.c — comparing two schemes (api/compare.c): the quartiles
   by nearest rank, and the outcome tables and their comparison on small
   programs whose every number is worked out below. */
#include "helpers.h"
#include "../../api/compare.h"

#include <unistd.h>

/* ---- quartiles ---- */

static void spread_of(const char *const *text, long n, CmpSpread *s) {
  Dec v[64];
  for (long i = 0; i < n; i++) v[i] = D(text[i]);
  cmp_spread(v, n, s);
}

static void assert_spread(const CmpSpread *s, const char *min, const char *q1, const char *median,
                          const char *q3, const char *max) {
  assert_int_equal(s->min, D(min));
  assert_int_equal(s->q1, D(q1));
  assert_int_equal(s->median, D(median));
  assert_int_equal(s->q3, D(q3));
  assert_int_equal(s->max, D(max));
}

/* The rank of the p-th percentile is ceil(p n / 100), from 1; the
   quartiles are scores, never averages of two. */
static void quartiles_by_nearest_rank(void **state) {
  (void)state;
  CmpSpread s;
  /* n = 1: every number is the one score. */
  spread_of((const char *[]){"7.5"}, 1, &s);
  assert_int_equal(s.n, 1);
  assert_spread(&s, "7.5", "7.5", "7.5", "7.5", "7.5");
  /* n = 3: ranks ceil(0.75) = 1, ceil(1.5) = 2, ceil(2.25) = 3. */
  spread_of((const char *[]){"30", "10", "20"}, 3, &s);
  assert_spread(&s, "10", "10", "20", "30", "30");
  /* n = 4: ranks 1, 2, 3 exactly (no interpolation: the median is 20, not 25). */
  spread_of((const char *[]){"40", "20", "10", "30"}, 4, &s);
  assert_spread(&s, "10", "10", "20", "30", "40");
  /* n = 5: ranks ceil(1.25) = 2, ceil(2.5) = 3, ceil(3.75) = 4. */
  spread_of((const char *[]){"5", "-1", "3", "4", "2"}, 5, &s);
  assert_spread(&s, "-1", "2", "3", "4", "5");
  /* n = 8: ranks 2, 4, 6; sorted -20 -0.5 0 0 10.25 11 99 100. */
  spread_of((const char *[]){"100", "0", "-20", "11", "0", "99", "-0.5", "10.25"}, 8, &s);
  assert_spread(&s, "-20", "-0.5", "0", "11", "100");
  /* n = 9: ranks ceil(2.25) = 3, ceil(4.5) = 5, ceil(6.75) = 7, of 1..9. */
  spread_of((const char *[]){"9", "8", "7", "6", "5", "4", "3", "2", "1"}, 9, &s);
  assert_spread(&s, "1", "3", "5", "7", "9");
}

static void quartiles_of_nothing_are_zero(void **state) {
  (void)state;
  CmpSpread s;
  cmp_spread(NULL, 0, &s);
  assert_int_equal(s.n, 0);
  assert_spread(&s, "0", "0", "0", "0", "0");
}

/* Large n: ranks 16, 32, 48 of 64 (the Zoho sample's size). */
static void quartiles_of_sixty_four(void **state) {
  (void)state;
  Dec v[64];
  for (int i = 0; i < 64; i++) v[i] = (Dec)(63 - i) * DEC_SCALE;   /* 63 .. 0 */
  CmpSpread s;
  cmp_spread(v, 64, &s);
  assert_int_equal(s.q1, 15 * DEC_SCALE);
  assert_int_equal(s.median, 31 * DEC_SCALE);
  assert_int_equal(s.q3, 47 * DEC_SCALE);
  assert_int_equal(s.max, 63 * DEC_SCALE);
}

/* ---- tables and comparisons ---- */

static char csv_path[64];

static const char *write_csv(const char *text) {
  snprintf(csv_path, sizeof csv_path, "/tmp/test_compare_XXXXXX");
  int fd = mkstemp(csv_path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
  return csv_path;
}

/* Scores csv with base and after, compares; the caller frees. */
typedef struct Case { Compiled *c[2]; CmpTable t[2]; CmpResult r; const char *paths[1]; } Case;

static Case *run_case(const char *base, const char *after, const char *csv) {
  Case *k = calloc(1, sizeof *k);
  k->paths[0] = write_csv(csv);
  const char *text[2] = {base, after};
  for (int s = 0; s < 2; s++) {
    k->c[s] = compile_text(text[s]);
    assert_true(k->c[s]->ok);
    assert_true(cmp_score(&k->t[s], &k->c[s]->prog, k->c[s]->prog.param_values, k->paths, 1, "test", stderr));
  }
  cmp_compare(&k->t[0], &k->t[1], &k->r);
  return k;
}

static void case_free(Case *k) {
  cmp_result_free(&k->r);
  for (int s = 0; s < 2; s++) {
    cmp_table_free(&k->t[s]);
    compiled_free(k->c[s]);
  }
  unlink(k->paths[0]);
  free(k);
}

static const char *const BASE =
    "record { id text key  sales money  certs count }\n"
    "category sales \"Sales\" { points volume \"Volume\" 0..100 = sales / $100 }\n"
    "category skill \"Skill\" { points certs \"Certs\" 0..50 = 10 * certs }\n"
    "badge pro \"Pro\" when certs >= 3\n"
    "tiers {\n"
    "  tier member \"Member\" when true\n"
    "  tier gold \"Gold\" when score >= 100\n"
    "}\n";

/* NEW: a silver tier between, gold at 120, pro at 4 certs, and at most 4
   certs in a record. */
static const char *const SILVER =
    "record { id text key  sales money  certs count in 0..4 }\n"
    "category sales \"Sales\" { points volume \"Volume\" 0..100 = sales / $100 }\n"
    "category skill \"Skill\" { points certs \"Certs\" 0..50 = 10 * certs }\n"
    "badge pro \"Pro\" when certs >= 4\n"
    "tiers {\n"
    "  tier member \"Member\" when true\n"
    "  tier silver \"Silver\" when score >= 60\n"
    "  tier gold \"Gold\" when score >= 120\n"
    "}\n";

/*   A: 5000/100 = 50, 2 * 10 = 20: 70.  BASE member; NEW silver (>= 60).
     B: 90 + 30 = 120: gold in both (120 >= 120); pro in BASE (3 >= 3), not in NEW.
     C: 20 + 0 = 20: member in both.
     D: 'x' is no money: rejected by both.
     A again: its key repeats line 2: rejected by both.
     E: 10 + 50 (cap 50) = 60: BASE member and pro; NEW rejects 5 certs (0..4). */
static const char *const RECORDS =
    "id,sales,certs\n"
    "A,5000,2\n"
    "B,9000,3\n"
    "C,2000,0\n"
    "D,x,1\n"
    "A,100,1\n"
    "E,1000,5\n";

static void counts_and_rejections(void **state) {
  (void)state;
  Case *k = run_case(BASE, SILVER, RECORDS);
  const CmpTable *b = &k->t[0], *n = &k->t[1];
  assert_int_equal(b->read, 6);
  assert_int_equal(b->scored, 4);
  assert_int_equal(b->rejected, 2);
  assert_int_equal(n->read, 6);
  assert_int_equal(n->scored, 3);
  assert_int_equal(n->rejected, 3);
  /* The repeated key is rejected as eval rejects it, naming the first line. */
  assert_string_equal(b->recs[4].why, "repeats the key of the record on line 2");
  assert_false(b->recs[4].primary);
  assert_string_equal(b->recs[3].why, "field 'sales': 'x' is not a plain amount: not a decimal number");
  assert_int_equal(cmp_find(b, "A"), 0);
  assert_int_equal(cmp_find(b, "Z"), -1);
  /* E alone is rejected by one scheme only; D and the repeat by both. */
  assert_int_equal(k->r.both_rejected, 2);
  assert_int_equal(k->r.ndiffer, 1);
  assert_int_equal(k->r.differ[0].rec[0], 5);
  assert_int_equal(k->r.differ[0].rec[1], 5);
  assert_int_equal(n->recs[5].state, CMP_REJECTED);
  assert_non_null(strstr(n->recs[5].why, "field 'certs'"));
  /* A and B moved, E is rejected by one: three changed; C did not. */
  assert_int_equal(k->r.changed, 3);
  case_free(k);
}

static void ladders_merge_and_movers_sort(void **state) {
  (void)state;
  Case *k = run_case(BASE, SILVER, RECORDS);
  const CmpResult *r = &k->r;
  assert_int_equal(r->ntracks, 1);
  assert_false(r->has_tracks);
  const CmpTrack *tr = &r->tracks[0];
  /* Silver, only NEW's, goes after member, the tier below it on NEW's ladder. */
  assert_int_equal(tr->ntiers, 3);
  assert_string_equal(tr->tiers[0], "member");
  assert_string_equal(tr->tiers[1], "silver");
  assert_string_equal(tr->tiers[2], "gold");
  /* BASE: A, C, E member, B gold.  NEW: C member, A silver, B gold. */
  long base[3] = {3, 0, 1}, after[3] = {1, 1, 1};
  for (int j = 0; j < 3; j++) {
    assert_int_equal(tr->count[0][j], base[j]);
    assert_int_equal(tr->count[1][j], after[j]);
  }
  /* Pairs both scored: C member -> member, A member -> silver, B gold -> gold. */
  long want[9] = {1, 1, 0, 0, 0, 0, 0, 0, 1};
  for (int c = 0; c < 9; c++) assert_int_equal(tr->matrix[c], want[c]);
  /* A climbs one step; B stays gold (no step, though gold is third on the
     merged ladder and second on BASE's) but loses its badge. */
  assert_int_equal(r->nmovers, 2);
  assert_string_equal(r->movers[0].key, "A");
  assert_int_equal(r->movers[0].steps, 1);
  assert_true(r->movers[0].change == 0);
  assert_string_equal(r->movers[1].key, "B");
  assert_int_equal(r->movers[1].steps, 0);
  assert_int_equal(r->movers[1].ncats, 0);
  /* Scores: BASE 70, 120, 20, 60 -> sorted 20 60 70 120; NEW 70, 120, 20. */
  assert_int_equal(tr->spread[0].n, 4);
  assert_int_equal(tr->spread[0].median, D("60"));
  assert_int_equal(tr->spread[1].n, 3);
  assert_int_equal(tr->spread[1].median, D("70"));
  case_free(k);
}

/* NEW pays double for sales (sales / $50) and caps certs at 30:
     A: 100 + 20 = 120 (sales +50): gold, two steps up.
     B: 100 (180 capped) + 30 = 130 (sales +10, skill 0): gold both.
     C: 40 + 0 = 40 (sales +20): member both, a change but no mover.
     E: 20 + 30 = 50 (sales +10, skill -20): member both; pro both. */
static const char *const DOUBLE =
    "record { id text key  sales money  certs count }\n"
    "category sales \"Sales\" { points volume \"Volume\" 0..100 = sales / $50 }\n"
    "category skill \"Skill\" { points certs \"Certs\" 0..30 = 10 * certs }\n"
    "badge pro \"Pro\" when certs >= 3\n"
    "tiers {\n"
    "  tier member \"Member\" when true\n"
    "  tier gold \"Gold\" when score >= 100\n"
    "}\n";

static void categories_that_moved(void **state) {
  (void)state;
  Case *k = run_case(BASE, DOUBLE, RECORDS);
  const CmpResult *r = &k->r;
  assert_int_equal(r->nmovers, 1);
  const CmpMover *m = &r->movers[0];
  assert_string_equal(m->key, "A");
  assert_int_equal(m->steps, 1);
  assert_true(m->change == D("50"));
  assert_int_equal(m->ncats, 1);
  assert_string_equal(m->cats[0].name, "sales");
  assert_true(m->cats[0].change == D("50"));
  /* A, B, C, E all changed score; nothing was rejected by one only. */
  assert_int_equal(r->changed, 4);
  assert_int_equal(r->ndiffer, 0);
  case_free(k);
}

/* The keys of BASE are ids, of NEW codes: no key text is found on the
   other side, so every record is matched by its place. */
static void records_keyed_apart_match_by_place(void **state) {
  (void)state;
  const char *by_code =
      "record { id text  code text key  sales money  certs count }\n"
      "category sales \"Sales\" { points volume \"Volume\" 0..100 = sales / $100 }\n"
      "category skill \"Skill\" { points certs \"Certs\" 0..50 = 10 * certs }\n"
      "badge pro \"Pro\" when certs >= 3\n"
      "tiers {\n"
      "  tier member \"Member\" when true\n"
      "  tier gold \"Gold\" when score >= 100\n"
      "}\n";
  Case *k = run_case(BASE, by_code, "id,code,sales,certs\nA,x1,5000,2\nB,x2,9000,3\n");
  assert_int_equal(k->r.ndiffer, 0);
  assert_int_equal(k->r.changed, 0);
  assert_int_equal(k->r.tracks[0].matrix[0], 1);   /* A member -> member */
  assert_int_equal(k->r.tracks[0].matrix[3], 1);   /* B gold -> gold */
  case_free(k);
}

/* BASE's two tracks share one ladder; NEW gives each its own, with a mid
   tier on ta only.  The merged ladders are ta: low, mid, high and tb: low,
   high, and a BASE record's row is found on its own track's.
     A reseller (ta) 20: high both.     B advisor (tb) 5: low both.
     C advisor (tb) 30: high both.      D reseller (ta) 7: low -> mid. */
static void a_shared_ladder_split(void **state) {
  (void)state;
  const char *shared =
      "record { id text key  kind one of (reseller, advisor)  sales number }\n"
      "category c \"C\" { points p = sales }\n"
      "tiers { tier low \"Low\" when true  tier high \"High\" when score >= 10 }\n"
      "track ta \"Track A\" when kind = reseller { uses c }\n"
      "track tb \"Track B\" when kind = advisor { uses c }\n";
  const char *split =
      "record { id text key  kind one of (reseller, advisor)  sales number }\n"
      "category c \"C\" { points p = sales }\n"
      "track ta \"Track A\" when kind = reseller {\n"
      "  uses c\n"
      "  tiers { tier low \"Low\" when true  tier mid \"Mid\" when score >= 5  tier high \"High\" when score >= 10 }\n"
      "}\n"
      "track tb \"Track B\" when kind = advisor {\n"
      "  uses c\n"
      "  tiers { tier low \"Low\" when true  tier high \"High\" when score >= 10 }\n"
      "}\n";
  Case *k = run_case(shared, split, "id,kind,sales\nA,reseller,20\nB,advisor,5\nC,advisor,30\nD,reseller,7\n");
  const CmpResult *r = &k->r;
  assert_true(r->has_tracks);
  assert_int_equal(r->ntracks, 2);
  const CmpTrack *ta = &r->tracks[0], *tb = &r->tracks[1];
  assert_string_equal(ta->name, "ta");
  assert_int_equal(ta->ntiers, 3);
  assert_string_equal(ta->tiers[1], "mid");
  assert_int_equal(tb->ntiers, 2);
  /* ta: BASE low 1 (D), high 1 (A); NEW mid 1 (D), high 1 (A). */
  long ta_base[3] = {1, 0, 1}, ta_new[3] = {0, 1, 1};
  for (int j = 0; j < 3; j++) {
    assert_int_equal(ta->count[0][j], ta_base[j]);
    assert_int_equal(ta->count[1][j], ta_new[j]);
  }
  assert_int_equal(ta->matrix[0 * 3 + 1], 1);   /* D low -> mid */
  assert_int_equal(ta->matrix[2 * 3 + 2], 1);   /* A high -> high */
  assert_int_equal(tb->count[0][0], 1);
  assert_int_equal(tb->count[0][1], 1);
  assert_int_equal(tb->matrix[0], 1);
  assert_int_equal(tb->matrix[3], 1);
  assert_int_equal(r->nmovers, 1);
  assert_string_equal(r->movers[0].key, "D");
  assert_int_equal(r->movers[0].steps, 1);
  case_free(k);
}

/* The record and category of the tests of outputs below. */
#define SALES_HEAD \
  "record { id text key  sales money }\n" \
  "category sales \"Sales\" { points volume \"Volume\" 0..200 = sales / $100 }\n"

/* Outputs compare by value, not by index: NEW lists the choice's members
   the other way round and writes the tier output's tiers in another
   order, yet only a real change counts.  BASE: A 70, B 120, C 20.
     level (a choice): B high, A and C low, in both.
     reached (a tier): A and C member, B gold, in both (NEW's ladder puts
       a basic tier below, which every score >= 0 passes: the indexes differ).
     note (text): "over 60" for A and B; NEW says "over 100": B keeps it
       (changed text), A's becomes empty: A loses it.
     big (a flag): score >= 100 in BASE, >= 50 in NEW: A gains it. */
static void outputs_compare_by_value(void **state) {
  (void)state;
  const char *base =
      SALES_HEAD
      "tiers { tier member \"Member\" when true  tier gold \"Gold\" when score >= 100 }\n"
      "output level \"Level\" one of (low, high) = if score >= 100 then high else low\n"
      "output reached \"Reached\" = tier\n"
      "output note \"Note\" = if score > 60 then \"over 60\" else \"\"\n"
      "output big \"Big\" = score >= 100\n";
  const char *after =
      SALES_HEAD
      "tiers { tier basic \"Basic\" when true  tier member \"Member\" when score >= 0\n"
      "        tier gold \"Gold\" when score >= 100 }\n"
      "output level \"Level\" one of (high, low) = if score >= 100 then high else low\n"
      "output reached \"Reached\" = tier\n"
      "output note \"Note\" = if score > 100 then \"over 100\" else \"\"\n"
      "output big \"Big\" = score >= 50\n";
  Case *k = run_case(base, after, "id,sales\nA,7000\nB,12000\nC,2000\n");
  const CmpResult *r = &k->r;
  assert_int_equal(r->noutputs, 2);
  const CmpBenefit *note = &r->outputs[0], *big = &r->outputs[1];
  assert_string_equal(note->name, "note");
  assert_int_equal(note->recipients[0], 2);
  assert_int_equal(note->recipients[1], 1);
  assert_int_equal(note->lost, 1);
  assert_int_equal(note->changed, 1);
  assert_string_equal(big->name, "big");
  assert_int_equal(big->gained, 1);
  assert_int_equal(big->lost, 0);
  /* A (note lost, big gained) and B (note changed) changed; C did not. */
  assert_int_equal(r->changed, 2);
  assert_int_equal(r->nmovers, 0);
  case_free(k);
}

/* An unset optional output is no value, not 0: BASE leaves the average
   unset without sales, NEW makes it 0.  A (sales) keeps its value; C (no
   sales) goes from unset to 0: a change, though neither holds a number
   other than 0. */
static void unset_is_not_zero(void **state) {
  (void)state;
  const char *base =
      SALES_HEAD
      "tiers { tier member \"Member\" when true }\n"
      "output average \"Average\" number optional = if sales > $0 then score else unset\n";
  const char *after =
      SALES_HEAD
      "tiers { tier member \"Member\" when true }\n"
      "output average \"Average\" number optional = if sales > $0 then score else 0\n";
  Case *k = run_case(base, after, "id,sales\nA,7000\nC,0\n");
  const CmpResult *r = &k->r;
  int64_t v;
  bool held;
  assert_false(cmp_output(&k->t[0], 1, 0, &v, &held));   /* C, BASE: unset */
  assert_true(cmp_output(&k->t[1], 1, 0, &v, &held));    /* C, NEW: 0 */
  assert_false(held);
  assert_int_equal(r->changed, 1);
  assert_int_equal(r->noutputs, 1);
  assert_int_equal(r->outputs[0].changed, 1);
  assert_int_equal(r->outputs[0].gained + r->outputs[0].lost, 0);
  case_free(k);
}

/* A program compared with itself: nothing moves, the matrix is diagonal. */
static void a_scheme_against_itself(void **state) {
  (void)state;
  Case *k = run_case(BASE, BASE, RECORDS);
  const CmpResult *r = &k->r;
  assert_int_equal(r->changed, 0);
  assert_int_equal(r->nmovers, 0);
  assert_int_equal(r->ndiffer, 0);
  assert_int_equal(r->nbenefits, 0);
  assert_int_equal(r->noutputs, 0);
  const CmpTrack *tr = &r->tracks[0];
  for (int i = 0; i < tr->ntiers; i++)
    for (int j = 0; j < tr->ntiers; j++)
      if (i != j) assert_int_equal(tr->matrix[i * tr->ntiers + j], 0);
  case_free(k);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(quartiles_by_nearest_rank),
      cmocka_unit_test(quartiles_of_nothing_are_zero),
      cmocka_unit_test(quartiles_of_sixty_four),
      cmocka_unit_test(counts_and_rejections),
      cmocka_unit_test(ladders_merge_and_movers_sort),
      cmocka_unit_test(categories_that_moved),
      cmocka_unit_test(records_keyed_apart_match_by_place),
      cmocka_unit_test(a_shared_ladder_split),
      cmocka_unit_test(outputs_compare_by_value),
      cmocka_unit_test(unset_is_not_zero),
      cmocka_unit_test(a_scheme_against_itself),
  };
  return cmocka_run_group_tests_name("compare", tests, NULL, NULL);
}

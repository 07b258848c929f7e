/* test_report.c — the HTML report (api/report.c): escaping, money for
   reading, the bounds that keep a page's size fixed however many records
   there are, a histogram whose scores are all one value or negative, caps
   counted as binding, and the same bytes from the same input.  The
   programs are small enough that every number is worked out in the
   comments. */
#include "helpers.h"
#include <unistd.h>

#include "../../api/report.h"

/* One category of one points value, capped 0..10, equal to x; high needs
   a score above 5. */
static const char program[] =
    "program \"T\"\n"
    "record {\n  id text key\n  x number\n}\n"
    "category c \"C\" {\n  points p \"P\" 0..10 = x\n}\n"
    "tiers {\n  tier low \"Low\" when true\n  tier high \"High\" when score > 5\n}\n";

/* Writes rows "K<i>,<x>" for x[0..n) to a temporary file. */
static char *records(const char *const *x, int n) {
  static char path[] = "/tmp/test_report_XXXXXX";
  strcpy(path, "/tmp/test_report_XXXXXX");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  fputs("id,x\n", f);
  for (int i = 0; i < n; i++) fprintf(f, "K%d,%s\n", i, x[i]);
  fclose(f);
  return path;
}

/* The report of these records, as text (the caller frees). */
static char *report(Compiled *c, const char *path, const RpOptions *o) {
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  FILE *err = fopen("/dev/null", "w");
  RpRun *r = rp_new(&c->prog, o);
  const char *paths[] = {path};
  assert_true(rp_score(r, c->prog.param_values, paths, 1, "rubric", err));
  rp_write_report(r, out);
  rp_free(r);
  fclose(err);
  fclose(out);
  return text;
}

static int count(const char *text, const char *what) {
  int n = 0;
  for (const char *p = text; (p = strstr(p, what)); p += strlen(what)) n++;
  return n;
}

static void escapes_the_five(void **state) {
  (void)state;
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  const char in[] = "<a href=\"x\">O'Brien & Co</a> \xc3\xa9";
  rp_html_text(out, in, strlen(in));
  fclose(out);
  assert_string_equal(text, "&lt;a href=&quot;x&quot;&gt;O&#39;Brien &amp; Co&lt;/a&gt; \xc3\xa9");
  free(text);
}

/* Money as the pages show it: rounded half away from zero to cents, the
   thousands grouped, the sign before the $; an amount that rounds to 0 has
   no sign.  DEC_MAX is 9223372036854.775807: .775807 rounds to .78; the
   most negative int64 (below DEC_MIN, but a total can be handed one)
   rounds the same way and does not overflow. */
static char *money_text(Dec d) {
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  rp_money(out, d);
  fclose(out);
  return text;
}

static void money_for_reading(void **state) {
  (void)state;
  static const struct { Dec d; const char *want; } cases[] = {
      {0, "$0.00"},
      {5000000, "$5.00"},
      {5000, "$0.01"},                 /* 0.005: half a cent, away from zero */
      {4999, "$0.00"},                 /* 0.004999 */
      {-5000, "-$0.01"},
      {-4000, "$0.00"},                /* -0.004 rounds to 0: no sign */
      {2675000, "$2.68"},              /* 2.675, exact in a Dec */
      {-1250500000, "-$1,250.50"},
      {999000000, "$999.00"},
      {1000000000, "$1,000.00"},
      {100000000000, "$100,000.00"},
      {672762000100, "$672,762.00"},   /* 672762.0001 */
      {339384466700, "$339,384.47"},   /* 339384.4667 */
      {999999995000, "$1,000,000.00"}, /* 999999.995 carries into a new group */
      {1234567891000, "$1,234,567.89"},
      {DEC_MAX, "$9,223,372,036,854.78"},
      {DEC_MIN, "-$9,223,372,036,854.78"},
      {INT64_MIN, "-$9,223,372,036,854.78"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char *text = money_text(cases[i].d);
    assert_string_equal(text, cases[i].want);
    free(text);
  }
}

/* 60 partners at 0 (5 short of high's > 5), 120 rejected (x not a
   number), 4 at 20 (capped at 10: high).  The close list holds the 50
   nearest of the 60, the rejected list the first 100 of 120; the counts
   stay whole.  The cap bound for 4 of 64 scored: 6.25 -> 6.3 %. */
static void lists_are_bounded(void **state) {
  (void)state;
  const char *x[184];
  int n = 0;
  for (int i = 0; i < 60; i++) x[n++] = "0";
  for (int i = 0; i < 120; i++) x[n++] = "bad";
  for (int i = 0; i < 4; i++) x[n++] = "20";
  Compiled *c = compile_text(program);
  assert_true(c->ok);
  char *path = records(x, n);
  RpOptions o = {.program_path = "t.rubric"};
  char *text = report(c, path, &o);
  assert_non_null(strstr(text, "60 partners can reach a next tier by score; the 50 nearest are listed"));
  assert_int_equal(count(text, "<tr><td>K"), 50);   /* the close rows (a rejected row starts with its file) */
  assert_non_null(strstr(text, "120 records could not be scored; the first 100 are listed"));
  assert_int_equal(count(text, "<td>x</td>"), 100);        /* the field of each rejected row */
  assert_non_null(strstr(text, "<li>P (C) capped for 6.3 % of partners (4 of 64)</li>"));
  /* The same input, the same bytes. */
  char *again = report(c, path, &o);
  assert_string_equal(text, again);
  free(again);
  free(text);
  unlink(path);
  compiled_free(c);
}

/* Every score 3: range 3 .. 5 (the threshold counts): width 1, from 3, 3
   bins: 3-4 holds all, 4-5 none, 5-6 none. */
static void one_value_histogram(void **state) {
  (void)state;
  const char *x[] = {"3", "3", "3"};
  Compiled *c = compile_text(program);
  char *path = records(x, 3);
  RpOptions o = {.program_path = "t.rubric"};
  char *text = report(c, path, &o);
  assert_non_null(strstr(text, "<tr><td class=\"n\">3</td><td class=\"n\">4</td><td class=\"n\">3</td></tr>"));
  assert_non_null(strstr(text, "<tr><td class=\"n\">5</td><td class=\"n\">6</td><td class=\"n\">0</td></tr>"));
  assert_null(strstr(text, "<td class=\"n\">6</td><td class=\"n\">7</td>"));
  free(text);
  unlink(path);
  compiled_free(c);
}

/* With a floor below 0 (points -100..10), a score of -37 falls in the
   bin that starts at the multiple of the width at or below it: range
   -37 .. 5, 42 -> width 5 (19 * 2 = 38 < 42 <= 95), from -40. */
static void negative_scores(void **state) {
  (void)state;
  static const char neg[] =
      "program \"T\"\n"
      "record {\n  id text key\n  x number\n}\n"
      "category c \"C\" {\n  points p \"P\" -100..10 = x\n}\n"
      "tiers {\n  tier low \"Low\" when true\n  tier high \"High\" when score > 5\n}\n";
  const char *x[] = {"-37", "4"};
  Compiled *c = compile_text(neg);
  assert_true(c->ok);
  char *path = records(x, 2);
  RpOptions o = {.program_path = "t.rubric", .within = true, .within_points = 0};
  char *text = report(c, path, &o);
  assert_non_null(strstr(text, "<tr><td class=\"n\">-40</td><td class=\"n\">-35</td><td class=\"n\">1</td></tr>"));
  assert_non_null(strstr(text, "<tr><td class=\"n\">0</td><td class=\"n\">5</td><td class=\"n\">1</td></tr>"));
  /* --within 0: 4 is 1 short, -37 is 42 short: nobody listed. */
  assert_non_null(strstr(text, "0 partners are at most 0 points short"));
  free(text);
  unlink(path);
  compiled_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(escapes_the_five),
      cmocka_unit_test(money_for_reading),
      cmocka_unit_test(lists_are_bounded),
      cmocka_unit_test(one_value_histogram),
      cmocka_unit_test(negative_scores),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

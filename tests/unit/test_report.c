/* test_report.c — the HTML report (api/report.c): escaping, money for
   reading, the bounds that keep a page's size fixed however many records
   there are, a histogram whose scores are all one value or negative, caps
   counted as binding, the same bytes from the same input, and the plain
   words of a partner's dashboard.  The programs are small enough that
   every number is worked out in the comments. */
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

/* A new temporary file to write records to; *path names it (one at a
   time: the name is static). */
static FILE *temp_records(char **path) {
  static char name[] = "/tmp/test_report_XXXXXX";
  strcpy(name, "/tmp/test_report_XXXXXX");
  int fd = mkstemp(name);
  assert_true(fd >= 0);
  *path = name;
  return fdopen(fd, "w");
}

/* Writes rows "K<i>,<x>" for x[0..n) to a temporary file. */
static char *records(const char *const *x, int n) {
  char *path;
  FILE *f = temp_records(&path);
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

/* The dashboard of one partner, as text (the caller frees): pages open a
   memory stream for the key asked for. */
typedef struct Page { char *text; size_t len; } Page;
static FILE *page_open(void *ctx, const char *key, bool *stop) {
  (void)key;
  (void)stop;
  Page *pg = ctx;
  return open_memstream(&pg->text, &pg->len);
}
static bool page_finish(void *ctx, FILE *page) {
  (void)ctx;
  return fclose(page) == 0;
}

static char *dashboard(Compiled *c, const char *path, const char *key) {
  Page pg = {NULL, 0};
  RpPages pages = {page_open, page_finish, &pg};
  const char *ids[] = {key};
  RpOptions o = {.program_path = "t.rubric", .ids = ids, .nids = 1, .pages = &pages};
  FILE *err = fopen("/dev/null", "w");
  RpRun *r = rp_new(&c->prog, &o);
  const char *paths[] = {path};
  assert_true(rp_score(r, c->prog.param_values, paths, 1, "rubric", err));
  assert_int_equal(rp_pages_written(r), 1);
  rp_free(r);
  fclose(err);
  return pg.text;
}

/* Each kind of condition a dashboard puts in plain words, none in the
   program's own.  High needs seven parts.  W0 fails all but the last:
   region east (not in (west)); joined 2024-08-10, 10 days after
   2024-07-31; amount $1500.5, $500.5 over `< $1000` (a money field: the
   amounts exact, grouped); ok no; contact empty; n 0, short by 4 of
   `>= 4`.  No one change reaches high.  W1 fails n >= 4
   alone: n 4 reaches high, 8 (the search's next probe) does not, so n is
   not monotone.  Both are low, whose bonus $1234.565 shows rounded half
   away from zero: $1,234.57. */
static const char words[] =
    "program \"W\"\n"
    "record {\n  id text key\n  region one of (east, west)\n  joined date\n  contact text optional\n"
    "  amount money\n  n count\n  ok flag\n}\n"
    "category c \"C\" {\n  points p \"P\" 0..100 = n\n}\n"
    "tiers {\n  tier low \"Low\" when true\n"
    "  tier high \"High\" when region in (west) and joined <= 2024-07-31 and amount < $1000 and ok\n"
    "    and contact is set and n >= 4 and n <= 5\n}\n"
    "benefit bonus \"Bonus\" {\n  low = $1234.565\n  high = $0\n}\n";

static void plain_words(void **state) {
  (void)state;
  Compiled *c = compile_text(words);
  assert_true(c->ok);
  char *path;
  FILE *f = temp_records(&path);
  fputs("id,region,joined,contact,amount,n,ok\n"
        "W0,east,2024-08-10,,1500.5,0,no\n"
        "W1,west,2024-07-01,x,500,0,yes\n", f);
  fclose(f);
  char *text = dashboard(c, path, "W0");
  static const char *const w0[] = {
      "<li>Region must be one of the values the tier accepts; it is east.</li>",
      "<li>Joined must be on or before 2024-07-31; it is 2024-08-10 (10 days too late).</li>",
      "<li>Amount must be below $1,000.00; it is $1,500.50 (over by $500.50).</li>",
      "<li>Ok must be yes; it is no.</li>",
      "<li>Contact must be given; it is not.</li>",
      "<li>N must be 4 or more; it is 0 (short by 4).</li>",
      "<p>No single change reaches it alone: it takes more than one.</p>",
      "<td>$1,234.57</td>",
  };
  for (size_t i = 0; i < sizeof w0 / sizeof *w0; i++)
    if (!strstr(text, w0[i])) fail_msg("W0's dashboard lacks %s", w0[i]);
  assert_int_equal(count(text, "<li>"), 6);
  assert_null(strstr(text, "&gt;"));   /* no operator of the program's */
  assert_null(strstr(text, "&lt;"));
  free(text);
  text = dashboard(c, path, "W1");
  if (!strstr(text, "<li>N must be 4 or more; it is 0 (short by 4).</li>\n</ul>\n<p>Any one of these would get you there:</p>\n"
                    "<ul class=\"needs\">\n<li>N: 4 would do it (though 8 would not)</li>\n</ul>"))
    fail_msg("W1's dashboard:\n%s", text);
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
      cmocka_unit_test(plain_words),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

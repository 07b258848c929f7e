/* test_csv.c — the RFC 4180 reader and validation against a schema. */
#include "helpers.h"

typedef struct Csv { FILE *f; CsvReader r; } Csv;

static Csv *open_text(const char *text, size_t len) {
  Csv *c = calloc(1, sizeof *c);
  c->f = fmemopen((void *)text, len, "rb");
  assert_non_null(c->f);
  csv_open(&c->r, c->f, "t.csv");
  return c;
}

static void csv_free(Csv *c) {
  csv_close(&c->r);
  fclose(c->f);
  free(c);
}

static void expect_cells(Csv *c, long line, int n, ...) {
  assert_int_equal(csv_next(&c->r), 1);
  if (c->r.error) fail_msg("line %ld: %s", line, c->r.error);
  assert_int_equal(c->r.rec_line, line);
  assert_int_equal(c->r.ncells, n);
  va_list ap;
  va_start(ap, n);
  for (int i = 0; i < n; i++) {
    const char *want = va_arg(ap, const char *);
    if (c->r.cell_len[i] != strlen(want) || memcmp(c->r.rec + c->r.cell_off[i], want, strlen(want)))
      fail_msg("line %ld cell %d: got '%.*s', want '%s'", line, i, (int)c->r.cell_len[i],
               c->r.rec + c->r.cell_off[i], want);
  }
  va_end(ap);
}

static void quoting_per_rfc_4180(void **state) {
  (void)state;
  static const char text[] =
      "\xEF\xBB\xBFid,name,note\r\n"
      "1,\"Acme, Inc.\",plain\r\n"
      "2,\"The \"\"Best\"\"\",\"two\nlines\"\r\n"
      "\n"
      "3,,\"\"\n"
      "4,Müller,東京";
  Csv *c = open_text(text, sizeof text - 1);
  expect_cells(c, 1, 3, "id", "name", "note");   /* the BOM is not part of 'id' */
  expect_cells(c, 2, 3, "1", "Acme, Inc.", "plain");
  expect_cells(c, 3, 3, "2", "The \"Best\"", "two\nlines");
  expect_cells(c, 6, 3, "3", "", "");            /* the blank line 5 is not a record */
  expect_cells(c, 7, 3, "4", "Müller", "東京");   /* no newline at the end */
  assert_int_equal(csv_next(&c->r), 0);
  assert_int_equal(csv_next(&c->r), 0);
  csv_free(c);
}

static void expect_malformed(const char *text, size_t len, long line, const char *why, const char *then) {
  Csv *c = open_text(text, len);
  expect_cells(c, 1, 1, "h");
  assert_int_equal(csv_next(&c->r), 1);
  assert_int_equal(c->r.rec_line, line);
  assert_non_null(c->r.error);
  assert_string_equal(c->r.error, why);
  if (then) expect_cells(c, line + 1, 1, then);   /* the reader goes on */
  else assert_int_equal(csv_next(&c->r), 0);
  csv_free(c);
}

#define LIT(s) s, sizeof(s) - 1
#define UNCLOSED "a quoted cell is never closed; reading resumes on the line after it opens"

static void malformed_records_are_reported_and_skipped(void **state) {
  (void)state;
  expect_malformed(LIT("h\n\"abc\"x,1\nok\n"), 2, "text follows the closing quote of a cell", "ok");
  expect_malformed(LIT("h\nab\"c\nok\n"), 2,
                   "a quote inside an unquoted cell (quote the whole cell and double the quote)", "ok");
  expect_malformed(LIT("h\na\0b\nok\n"), 2, "the record contains a NUL byte", "ok");
  expect_malformed(LIT("h\na\rb\nok\n"), 2, "a carriage return outside quotes must end a line", "ok");
  expect_malformed(LIT("h\n\"never closed"), 2, UNCLOSED, NULL);
}

/* A stray quote spoils its own line, not the rest of the file: the bytes
   after it are read again as records, with their own line numbers. */
static void an_unclosed_quote_loses_only_its_line(void **state) {
  (void)state;
  expect_malformed(LIT("h\n\"never closed\nok\n"), 2, UNCLOSED, "ok");
  /* Closed much later by another cell's quote, followed by text: the same. */
  Csv *c = open_text(LIT("h,i\nb,\"2\n\nc,3\n\"d\",4\ne,\"5\n6\"\n"));
  expect_cells(c, 1, 2, "h", "i");
  assert_int_equal(csv_next(&c->r), 1);
  assert_int_equal(c->r.rec_line, 2);
  assert_string_equal(c->r.error, UNCLOSED);
  expect_cells(c, 4, 2, "c", "3");           /* line 3 is blank */
  expect_cells(c, 5, 2, "d", "4");
  expect_cells(c, 6, 2, "e", "5\n6");        /* a real two-line cell still works */
  assert_int_equal(csv_next(&c->r), 0);
  csv_free(c);
}

/* What is kept for a second reading is bounded too: a quote still open
   after REC_MAX_RECORD bytes is taken as unclosed. */
static void an_unclosed_quote_is_given_up_in_bounded_memory(void **state) {
  (void)state;
  size_t lines = REC_MAX_RECORD / 3 + 10;   /* "ab\n" lines, past the bound */
  size_t len = 4 + lines * 3 + 3;
  char *text = malloc(len);
  memcpy(text, "h\n\"\n", 4);
  for (size_t i = 0; i < lines; i++) memcpy(text + 4 + i * 3, "ab\n", 3);
  memcpy(text + 4 + lines * 3, "z\"\n", 3);
  Csv *c = open_text(text, len);
  expect_cells(c, 1, 1, "h");
  assert_int_equal(csv_next(&c->r), 1);
  assert_non_null(c->r.error);
  assert_string_equal(c->r.error, UNCLOSED);
  assert_true(c->r.save_cap <= REC_MAX_RECORD);
  for (size_t i = 0; i < lines; i++) expect_cells(c, 3 + (long)i, 1, "ab");
  assert_int_equal(csv_next(&c->r), 1);      /* z" : a quote in an unquoted cell */
  assert_non_null(c->r.error);
  assert_int_equal(csv_next(&c->r), 0);
  csv_free(c);
  free(text);
}

static void huge_records_are_refused_in_bounded_memory(void **state) {
  (void)state;
  size_t big = REC_MAX_RECORD + 100;
  char *text = malloc(big + 16);
  memcpy(text, "h\n", 2);
  memset(text + 2, 'x', big);
  memcpy(text + 2 + big, "\nok\n", 4);
  Csv *c = open_text(text, big + 6);
  expect_cells(c, 1, 1, "h");
  assert_int_equal(csv_next(&c->r), 1);
  assert_string_equal(c->r.error, "the record is longer than 1 MiB");
  assert_true(c->r.rec_cap <= REC_MAX_RECORD);
  expect_cells(c, 3, 1, "ok");
  csv_free(c);
  free(text);
}

/* ---- validation ---- */

static const char *SCHEMA =
    "record { id text key  n count  p percent  m money in $0..  f flag  d date\n"
    "         r one of (developed, developing)  b number in -5..50  o date optional }\n";

typedef struct V { Compiled *c; Csv *csv; RowMap map; Row row; } V;

static V *validating(const char *text) {
  V *v = calloc(1, sizeof *v);
  v->c = compile_text(SCHEMA);
  assert_true(v->c->ok);
  v->csv = open_text(text, strlen(text));
  char msg[256];
  assert_int_equal(csv_next(&v->csv->r), 1);
  if (!rec_map_header(&v->c->prog, &v->csv->r, &v->map, msg, sizeof msg)) fail_msg("%s", msg);
  v->row.vals = calloc(16, sizeof *v->row.vals);
  v->row.set = calloc(16, 1);
  return v;
}

static void v_free(V *v) {
  rec_map_free(&v->map);
  csv_free(v->csv);
  compiled_free(v->c);
  free(v->row.vals);
  free(v->row.set);
  free(v);
}

static const char *HEADER = "id,n,p,m,f,d,r,b,o,extra\n";

/* Validate one data line; NULL when it passes, else "field: reason". */
static const char *check_line(const char *line) {
  static char out[512];
  char text[1024];
  snprintf(text, sizeof text, "%s%s\n", HEADER, line);
  V *v = validating(text);
  assert_int_equal(csv_next(&v->csv->r), 1);
  int field;
  char why[REC_WHY_MAX];
  const char *res = NULL;
  if (!rec_validate(&v->c->prog, &v->csv->r, &v->map, &v->row, &field, why)) {
    snprintf(out, sizeof out, "%s: %s", field >= 0 ? v->c->prog.fields[field].name : "-", why);
    res = out;
  }
  v_free(v);
  return res;
}

static void valid_records_become_typed_rows(void **state) {
  (void)state;
  char text[512];
  snprintf(text, sizeof text, "%s%s", HEADER, "P1,12,99.5,1234.56,Yes,2024-02-29,developing,-5,,ignored\n");
  V *v = validating(text);
  assert_int_equal(csv_next(&v->csv->r), 1);
  int field;
  char why[REC_WHY_MAX];
  assert_true(rec_validate(&v->c->prog, &v->csv->r, &v->map, &v->row, &field, why));
  assert_int_equal(v->row.vals[0].n, 2);
  assert_memory_equal(v->row.vals[0].s, "P1", 2);
  assert_int_equal(v->row.vals[1].n, D("12"));
  assert_int_equal(v->row.vals[2].n, D("99.5"));
  assert_int_equal(v->row.vals[3].n, D("1234.56"));
  assert_int_equal(v->row.vals[4].n, 1);
  assert_int_equal(v->row.vals[6].n, 1);   /* developing is the second value */
  assert_int_equal(v->row.vals[7].n, D("-5"));
  assert_false(v->row.set[8]);             /* empty optional: unset, not zero */
  v_free(v);
  assert_null(check_line("P1,0,0,0,0,1970-01-01,developed,50,2024-01-01,"));
  assert_null(check_line("P1,0,100,0,TRUE,1970-01-01,developed,0,,"));
  assert_null(check_line("P1,0,0,0,no,1970-01-01,developed,0,,"));
}

static void each_bad_value_names_its_field_and_reason(void **state) {
  (void)state;
  static const struct { const char *line, *want; } cases[] = {
      {",1,1,1,1,2024-01-01,developed,1,,", "id: is required but empty"},
      {"P,1.5,1,1,1,2024-01-01,developed,1,,", "n: '1.5' is not a whole number"},
      {"P,-1,1,1,1,2024-01-01,developed,1,,", "n: must be at least 0"},
      {"P,1,100.5,1,1,2024-01-01,developed,1,,", "p: must be from 0 to 100"},
      {"P,1,1,-0.01,1,2024-01-01,developed,1,,", "m: must be at least 0"},
      {"P,1,1,$5,1,2024-01-01,developed,1,,", "m: '$5' is not a plain amount: not a decimal number"},
      {"P,1,1,1e3,1,2024-01-01,developed,1,,", "m: '1e3' is not a plain amount: not a decimal number"},
      {"P,1,1,1,maybe,2024-01-01,developed,1,,", "f: 'maybe' is not a flag (yes/no, true/false, 1/0)"},
      {"P,1,1,1,1,2023-02-29,developed,1,,", "d: '2023-02-29' is not a date (YYYY-MM-DD)"},
      {"P,1,1,1,1,2024-01-01,Developed,1,,", "r: 'Developed' is not one of: developed, developing"},
      {"P,1,1,1,1,2024-01-01,developed,50.000001,,", "b: must be from -5 to 50"},
      {"P,1,1,99999999999999999999,1,2024-01-01,developed,1,,",
       "m: '99999999999999999999' is not a plain amount: number out of range (more than 9223372036854.775807)"},
      {"P,1,1,1,1,2024-01-01,developed,1", "-: the record has 8 cells but the header has 10"},
      {"P,1,1,1,1,2024-01-01,developed,1,,,", "-: the record has 11 cells but the header has 10"},
      {"P\xc0\xaf,1,1,1,1,2024-01-01,developed,1,,", "id: is not valid UTF-8 text"},   /* overlong '/' */
      {"P\xed\xa0\x80,1,1,1,1,2024-01-01,developed,1,,", "id: is not valid UTF-8 text"},   /* a surrogate */
      {"P\xe0\x80\xaf,1,1,1,1,2024-01-01,developed,1,,", "id: is not valid UTF-8 text"},   /* overlong, 3 bytes */
      {"\"P\xff\",1,1,1,1,2024-01-01,developed,1,,", "id: is not valid UTF-8 text"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const char *got = check_line(cases[i].line);
    if (!got || strcmp(got, cases[i].want) != 0)
      fail_msg("%s\n got: %s\nwant: %s", cases[i].line, got ? got : "(valid)", cases[i].want);
  }
}

/* A date field's `in LO..HI` is checked like a number's, both ends
   included; the reason gives the bounds as dates. */
static void date_fields_keep_to_their_range(void **state) {
  (void)state;
  Compiled *c = compile_text("record { id text key  d date in 2020-01-01..2024-12-31  s date in 2023-06-01.. }\n");
  if (!c->ok) fail_msg("does not compile: %s", c->dl.head ? c->dl.head->msg : "?");
  const FieldInfo *d = &c->prog.fields[field_of(&c->prog, "d")];
  const FieldInfo *s = &c->prog.fields[field_of(&c->prog, "s")];
  static const struct { const char *text; bool ok; } cases[] = {
      {"2020-01-01", true}, {"2024-12-31", true}, {"2022-07-15", true},
      {"2019-12-31", false}, {"2025-01-01", false}, {"1970-01-01", false}, {"9999-12-31", false}};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    Value v;
    char why[REC_WHY_MAX] = "";
    bool ok = rec_parse_cell(d, cases[i].text, strlen(cases[i].text), &v, why);
    if (ok != cases[i].ok) fail_msg("%s: %s", cases[i].text, ok ? "accepted" : why);
    if (!ok) assert_string_equal(why, "must be from 2020-01-01 to 2024-12-31");
  }
  Value v;
  char why[REC_WHY_MAX] = "";
  assert_true(rec_parse_cell(s, "2023-06-01", 10, &v, why));
  assert_false(rec_parse_cell(s, "2023-05-31", 10, &v, why));
  assert_string_equal(why, "must be at least 2023-06-01");
  compiled_free(c);
}

/* An int is any whole number; `places N` refuses a value with more
   places and never rounds it, and zeros after the last digit that counts
   do not count (12.50 has 1 place). */
static void whole_numbers_and_decimal_places(void **state) {
  (void)state;
  Compiled *c = compile_text("record { id text key  k int  rev money places 2  q number places 0  pct percent places 1 }\n");
  if (!c->ok) fail_msg("does not compile: %s", c->dl.head ? c->dl.head->msg : "?");
  const Program *p = &c->prog;
  static const struct { const char *field, *text, *why; } cases[] = {
      {"k", "-3", NULL}, {"k", "0", NULL}, {"k", "12.000", NULL}, {"k", "-9223372036854", NULL},
      {"k", "2.5", "'2.5' is not a whole number"}, {"k", "-0.000001", "'-0.000001' is not a whole number"},
      {"rev", "1234.56", NULL}, {"rev", "-1234.5", NULL}, {"rev", "12.50", NULL}, {"rev", "12.5000000", NULL},
      {"rev", "100.255", "'100.255' has 3 decimal places, more than the 2 the field allows"},
      {"rev", "0.001", "'0.001' has 3 decimal places, more than the 2 the field allows"},
      {"q", "7", NULL}, {"q", "7.0", NULL},
      {"q", "7.5", "'7.5' has decimal places, and the field allows none"},
      {"pct", "99.5", NULL}, {"pct", "99.55", "'99.55' has 2 decimal places, more than the 1 the field allows"},
      {"pct", "100.5", "must be from 0 to 100"},   /* places fit; the range does not */
      {"pct", "100.55", "'100.55' has 2 decimal places, more than the 1 the field allows"}};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    Value v;
    char why[REC_WHY_MAX] = "";
    const char *t = cases[i].text;
    bool ok = rec_parse_cell(&p->fields[field_of(p, cases[i].field)], t, strlen(t), &v, why);
    if (ok != !cases[i].why) fail_msg("%s = %s: %s", cases[i].field, t, ok ? "accepted" : why);
    if (!ok && strcmp(why, cases[i].why) != 0) fail_msg("%s = %s:\n got: %s\nwant: %s", cases[i].field, t, why, cases[i].why);
    if (ok && strcmp(t, "12.50") == 0) assert_int_equal(v.n, D("12.5"));
  }
  compiled_free(c);
}

/* Ranges that name other fields, checked once every cell is valid, each
   field after those it names; the reason names both fields and values.
   By hand: answers 3 allows pts 3..15; signed 2024-01-31 + 90 days is
   2024-04-30; won at most target * 2; an unset optional field is not
   checked; a bound that overflows rejects the record; a cell that does
   not fit its own field is reported before any range is computed. */
static void ranges_that_name_fields(void **state) {
  (void)state;
  static const char *const header = "id,pts,answers,signed,closed,target,won\n";
  static const struct { const char *line, *want; } cases[] = {
      {"P,15,3,2024-01-31,2024-04-30,100,200", NULL},
      {"P,3,3,2024-01-31,,100,-5", NULL},
      {"P,16,3,2024-01-31,,100,1", "pts: 16 is above 5 * answers = 15 (answers = 3)"},
      {"P,2,3,2024-01-31,,100,1", "pts: 2 is below answers = 3"},
      {"P,3,3,2024-01-31,2024-05-01,100,1", "closed: 2024-05-01 is after signed + 90 days = 2024-04-30 (signed = 2024-01-31)"},
      {"P,3,3,2024-01-31,2024-01-30,100,1", "closed: 2024-01-30 is before signed = 2024-01-31"},
      {"P,3,3,2024-01-31,,100,200.01", "won: 200.01 is above target * 2 = 200 (target = 100)"},
      {"P,3,3,2024-01-31,,9000000000000,1",
       "won: its range's high end target * 2 cannot be computed (target = 9000000000000): number out of range "
       "(more than 9223372036854.775807)"},
      {"P,99,x,2024-01-31,,100,1", "answers: 'x' is not a plain number: not a decimal number"},
      /* both pts and won fail: pts, declared first, is reported */
      {"P,99,3,2024-01-31,,100,999", "pts: 99 is above 5 * answers = 15 (answers = 3)"}};
  Compiled *c = compile_text("record { id text key  pts number in answers..5 * answers  answers count\n"
                             "  signed date  closed date optional in signed..signed + 90 days\n"
                             "  target money  won money in ..target * 2 }\n");
  if (!c->ok) fail_msg("does not compile: %s", c->dl.head ? c->dl.head->msg : "?");
  const Program *p = &c->prog;
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char text[512];
    snprintf(text, sizeof text, "%s%s\n", header, cases[i].line);
    Csv *csv = open_text(text, strlen(text));
    RowMap map;
    char msg[256], why[REC_WHY_MAX], got[512] = "";
    assert_int_equal(csv_next(&csv->r), 1);
    assert_true(rec_map_header(p, &csv->r, &map, msg, sizeof msg));
    assert_int_equal(csv_next(&csv->r), 1);
    Row row = {calloc(8, sizeof(Value)), calloc(8, 1), NULL};
    int field;
    if (!rec_validate(p, &csv->r, &map, &row, &field, why))
      snprintf(got, sizeof got, "%s: %s", field >= 0 ? p->fields[field].name : "-", why);
    if (cases[i].want ? strcmp(got, cases[i].want) != 0 : got[0] != '\0')
      fail_msg("%s\n got: %s\nwant: %s", cases[i].line, got[0] ? got : "(valid)", cases[i].want ? cases[i].want : "(valid)");
    free(row.vals);
    free(row.set);
    rec_map_free(&map);
    csv_free(csv);
  }
  compiled_free(c);
}

static void headers_must_cover_the_schema(void **state) {
  (void)state;
  Compiled *c = compile_text(SCHEMA);
  static const struct { const char *header, *want; } cases[] = {
      {"id,n,p,m,f,d,r\n", "the header has no column 'b', which the record schema requires"},
      {"id,n,p,m,f,d,r,b,n\n", "column 'n' appears twice in the header"},
      {"id,n,p,\"m\"x,f\n", "the header line is malformed: text follows the closing quote of a cell"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    Csv *csv = open_text(cases[i].header, strlen(cases[i].header));
    RowMap m;
    char msg[256];
    assert_int_equal(csv_next(&csv->r), 1);
    assert_false(rec_map_header(&c->prog, &csv->r, &m, msg, sizeof msg));
    assert_string_equal(msg, cases[i].want);
    rec_map_free(&m);
    csv_free(csv);
  }
  /* an optional field may have no column at all */
  Csv *csv = open_text("id,n,p,m,f,d,r,b\n", 17);
  RowMap m;
  char msg[256];
  assert_int_equal(csv_next(&csv->r), 1);
  assert_true(rec_map_header(&c->prog, &csv->r, &m, msg, sizeof msg));
  assert_int_equal(m.col_of_field[8], -1);
  rec_map_free(&m);
  csv_free(csv);
  compiled_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(quoting_per_rfc_4180),
      cmocka_unit_test(malformed_records_are_reported_and_skipped),
      cmocka_unit_test(an_unclosed_quote_loses_only_its_line),
      cmocka_unit_test(an_unclosed_quote_is_given_up_in_bounded_memory),
      cmocka_unit_test(huge_records_are_refused_in_bounded_memory),
      cmocka_unit_test(valid_records_become_typed_rows),
      cmocka_unit_test(each_bad_value_names_its_field_and_reason),
      cmocka_unit_test(date_fields_keep_to_their_range),
      cmocka_unit_test(whole_numbers_and_decimal_places),
      cmocka_unit_test(ranges_that_name_fields),
      cmocka_unit_test(headers_must_cover_the_schema),
  };
  return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}

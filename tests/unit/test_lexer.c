/* test_lexer.c — tokens, positions, and an error for every bad byte. */
#include "helpers.h"
#include "../../lang/parse.h"
#include "grammar.h"

typedef struct Lexed { Source src; DiagList dl; Lexer lx; } Lexed;

static Lexed *lex(const char *text) {
  Lexed *l = calloc(1, sizeof *l);
  l->src.name = "t.rubric";
  l->src.text = strdup(text);
  l->src.len = strlen(text);
  diag_init(&l->dl);
  lex_init(&l->lx, &l->src, &l->dl);
  return l;
}

static void lexed_free(Lexed *l) {
  free(l->src.text);
  diag_free(&l->dl);
  free(l);
}

/* Expect the token codes in order, then the end. */
static void expect_codes(const char *text, const int *codes, size_t n) {
  Lexed *l = lex(text);
  Tok t;
  for (size_t i = 0; i < n; i++) {
    int c = lex_next(&l->lx, &t);
    if (c != codes[i]) fail_msg("%s: token %zu: got %d, want %d ('%.*s')", text, i, c, codes[i], t.n, t.p);
  }
  assert_int_equal(lex_next(&l->lx, &t), 0);
  assert_int_equal(l->dl.errors, 0);
  lexed_free(l);
}

#define CODES(...) (const int[]){__VA_ARGS__}, sizeof((const int[]){__VA_ARGS__}) / sizeof(int)

static void keywords_names_and_punctuation(void **state) {
  (void)state;
  expect_codes("points growth \"Revenue Growth\" 0..400 =",
               CODES(TK_POINTS, TK_IDENT, TK_STRING, TK_NUMLIT, TK_DOTDOT, TK_NUMLIT, TK_EQ));
  expect_codes("pointsx tiers tier when_ x",
               CODES(TK_IDENT, TK_TIERS, TK_TIER, TK_IDENT, TK_IDENT));
  expect_codes("a.b <= >= != => = < > + - * / ( ) { } ,",
               CODES(TK_IDENT, TK_DOT, TK_IDENT, TK_LE, TK_GE, TK_NE, TK_ARROW, TK_EQ, TK_LT,
                     TK_GT, TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH, TK_LPAREN, TK_RPAREN,
                     TK_LBRACE, TK_RBRACE, TK_COMMA));
  expect_codes("6 months 1 month 30 days 1 day",
               CODES(TK_NUMLIT, TK_MONTHS, TK_NUMLIT, TK_MONTHS, TK_NUMLIT, TK_DAYS, TK_NUMLIT, TK_DAYS));
  /* a signed whole-number field, and a limit on a field's decimal places */
  expect_codes("delta int  revenue money places 2  ints placesx",
               CODES(TK_IDENT, TK_INT, TK_IDENT, TK_MONEY, TK_PLACES, TK_NUMLIT, TK_IDENT, TK_IDENT));
  /* activities add no keyword: their words stay names a program may use */
  expect_codes("activity window effective as_of where on distinct period.end",
               CODES(TK_IDENT, TK_IDENT, TK_IDENT, TK_IDENT, TK_IDENT, TK_IDENT, TK_IDENT, TK_PERIOD, TK_DOT,
                     TK_IDENT));
}

static void literals(void **state) {
  (void)state;
  expect_codes("12 12.5 $5000 $0.25 2024-07-31 \"a \\\"q\\\" \\\\ é\"",
               CODES(TK_NUMLIT, TK_NUMLIT, TK_MONEYLIT, TK_MONEYLIT, TK_DATELIT, TK_STRING));
  /* a range is not a decimal point */
  expect_codes("..25 -100..0", CODES(TK_DOTDOT, TK_NUMLIT, TK_MINUS, TK_NUMLIT, TK_DOTDOT, TK_NUMLIT));
  /* nor between a range's ends that name fields */
  expect_codes("answers..5 * answers 3..n", CODES(TK_IDENT, TK_DOTDOT, TK_NUMLIT, TK_STAR, TK_IDENT, TK_NUMLIT,
                                                 TK_DOTDOT, TK_IDENT));
  /* comments and blank space vanish */
  expect_codes("# a comment\n  x # another\n\r\n\ty", CODES(TK_IDENT, TK_IDENT));
}

static void positions_count_lines_and_columns(void **state) {
  (void)state;
  Lexed *l = lex("record {\n  id text key\n}");
  Tok t;
  lex_next(&l->lx, &t);
  assert_int_equal(t.line, 1);
  assert_int_equal(t.col, 1);
  assert_int_equal(t.n, 6);
  lex_next(&l->lx, &t);
  assert_int_equal(t.col, 8);
  lex_next(&l->lx, &t);
  assert_int_equal(t.line, 2);
  assert_int_equal(t.col, 3);
  assert_memory_equal(t.p, "id", 2);
  lex_next(&l->lx, &t);
  lex_next(&l->lx, &t);
  assert_int_equal(t.col, 11);
  lex_next(&l->lx, &t);
  assert_int_equal(t.line, 3);
  assert_int_equal(t.col, 1);
  lexed_free(l);
}

/* Each bad input gives -1 and exactly one diagnostic with this code and column. */
static void expect_error(const char *text, size_t len, DiagCode code, int col) {
  Lexed *l = calloc(1, sizeof *l);
  l->src.name = "t.rubric";
  l->src.text = malloc(len + 1);
  memcpy(l->src.text, text, len);
  l->src.text[len] = '\0';
  l->src.len = len;
  diag_init(&l->dl);
  lex_init(&l->lx, &l->src, &l->dl);
  Tok t;
  int c;
  while ((c = lex_next(&l->lx, &t)) > 0) {}
  assert_int_equal(c, -1);
  assert_int_equal(l->dl.errors, 1);
  assert_int_equal(l->dl.head->code, code);
  assert_int_equal(l->dl.head->col, col);
  lexed_free(l);
}

#define LIT(s) s, sizeof(s) - 1

static void bad_bytes_are_reported_not_crashed_on(void **state) {
  (void)state;
  expect_error(LIT("x @ y"), R0101, 3);
  expect_error(LIT("x \x01"), R0101, 3);
  expect_error(LIT("x \xff"), R0101, 3);
  expect_error(LIT("x\0y"), R0101, 2);                      /* NUL inside the text */
  expect_error(LIT("name = \"open"), R0102, 8);
  expect_error(LIT("\"line\nbreak\""), R0102, 1);
  expect_error(LIT("\"bad \xc3\x28 utf8\""), R0102, 1);
  expect_error(LIT("\"overlong \xc0\xaf\""), R0102, 1);
  expect_error(LIT("\"surrogate \xed\xa0\x80\""), R0102, 1);
  expect_error(LIT("x = 12abc"), R0103, 5);
  expect_error(LIT("x = $"), R0103, 5);
  expect_error(LIT("x = \"a\\xff\""), R0102, 7);   /* \x is no escape */
  expect_error(LIT("x = \"\\q\""), R0102, 6);
}

static void every_byte_value_is_handled(void **state) {
  (void)state;
  /* Each byte alone, then after a name: never a crash, always an end. */
  for (int b = 1; b < 256; b++) {
    char text[4] = {'a', ' ', (char)b, 0};
    Lexed *l = lex(text);
    Tok t;
    int c, guard = 0;
    while ((c = lex_next(&l->lx, &t)) > 0 && guard < 10) guard++;
    assert_true(c == 0 || c == -1);
    assert_true(guard < 10);
    lexed_free(l);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(keywords_names_and_punctuation),
      cmocka_unit_test(literals),
      cmocka_unit_test(positions_count_lines_and_columns),
      cmocka_unit_test(bad_bytes_are_reported_not_crashed_on),
      cmocka_unit_test(every_byte_value_is_handled),
  };
  return cmocka_run_group_tests_name("lexer", tests, NULL, NULL);
}

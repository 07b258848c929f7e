/* test_checker.c — every check the checker makes: a program that trips it
   (with the position and message it must give) beside a near-identical one
   that passes. */
#include "helpers.h"

#define SCHEMA \
  "record { id text key  rev money  prev money  n count  pct percent  f flag\n" \
  "         d date  g date optional  r one of (a, b)  name text  x number optional }\n"

/* body after a record of two lines (schema), so that body's line 1 is line 3. */
static Compiled *with_record(const char *schema, const char *body) {
  char text[4096];
  snprintf(text, sizeof text, "%s%s", schema, body);
  return compile_text(text);
}

static Compiled *with_schema(const char *body) { return with_record(SCHEMA, body); }

static void clean_with(const char *schema, const char *body) {
  Compiled *c = with_record(schema, body);
  if (!c->ok || c->dl.errors)
    fail_msg("%s\nunexpected: %s", body, c->dl.head ? c->dl.head->msg : "(compile failed)");
  compiled_free(c);
}

static void expect_clean(const char *body) { clean_with(SCHEMA, body); }

/* line is counted in `body` (1 = its first line). */
static const Diag *expect_code(Compiled *c, const char *body, DiagCode code, int line, int col) {
  const Diag *d = find_diag(c, code);
  if (!d) fail_msg("%s\nno %s; first: %s", body, diag_code_name(code), c->dl.head ? c->dl.head->msg : "-");
  assert_false(c->ok);
  if (line) assert_int_equal(d->line, line + 2);
  if (col) assert_int_equal(d->col, col);
  return d;
}

#define TRIPS(body, code, line, col, want) TRIPS_IN(SCHEMA, body, code, line, col, want)
#define TRIPS_IN(schema, body, code, line, col, want)             \
  do {                                                            \
    Compiled *c_ = with_record(schema, body);                     \
    const Diag *d_ = expect_code(c_, body, code, line, col);      \
    if (want) assert_string_equal(d_->msg, (const char *)(want)); \
    compiled_free(c_);                                            \
  } while (0)

static void unknown_names_suggest_the_closest(void **state) {
  (void)state;
  Compiled *c = with_schema("let y = revv * 2");
  const Diag *d = expect_code(c, "", R0201, 1, 9);
  assert_string_equal(d->msg, "unknown name 'revv'");
  assert_string_equal(d->hint, "did you mean 'rev'?");
  assert_int_equal(d->len, 4);
  compiled_free(c);
  expect_clean("let y = rev * 2");
  TRIPS("category c { points p = 1 }\nlet y = c.q", R0201, 2, 9, "category 'c' has no points named 'q'");
  expect_clean("category c { points p = 1 }\nlet y = c.p + c.total + c");
  TRIPS("let y = r = c", R0201, 1, 13, "'c' is not one of the values of r");
  expect_clean("let y = r = b and r != \"a\" and r in (a, b)");
  TRIPS("let y = frob(1)", R0203, 1, 9, "unknown function 'frob'");
  TRIPS("let y = mn(1, 2)", R0203, 1, 9, NULL);
  expect_clean("let y = min(1, 2)");
}

static void definitions(void **state) {
  (void)state;
  TRIPS("let y = 1\nlet y = 2", R0202, 2, 5, "'y' is defined twice");
  TRIPS("let rev = 1", R0202, 1, 5, NULL);   /* a let may not shadow a field */
  expect_clean("let y = 1\nlet z = 2");
  TRIPS("let score = 1", R0206, 1, 5, "'score' is a reserved name");
  TRIPS("category c { points total = 1 }", R0206, 1, 21, NULL);
  TRIPS("fn max(a, b) = a", R0206, 1, 4, NULL);
  TRIPS("param k by r { a = 1 }", R0207, 1, 7, "param 'k' gives no value for r = b");
  expect_clean("param k by r { a = 1, b = 2 }\nlet y = k * 2");
  TRIPS("param k by n { a = 1 }", R0403, 1, 12, NULL);
  TRIPS("param k by r { a = 1, b = 2, c = 3 }", R0201, 1, 30, NULL);
  TRIPS("param k by r { a = 1, b = $2 }", R0307, 1, 27, NULL);
}

static void schema_and_ladder(void **state) {
  (void)state;
  Compiled *c = compile_text("let y = 1");
  assert_non_null(find_diag(c, R0208));
  compiled_free(c);
  c = compile_text("record { id text }");
  assert_non_null(find_diag(c, R0209));
  compiled_free(c);
  c = compile_text("record { id text key  region text key optional }");   /* composite keys */
  assert_null(find_diag(c, R0209));
  compiled_free(c);
  c = compile_text("record { id text key optional  region text key }");
  assert_non_null(find_diag(c, R0209));
  compiled_free(c);
  c = compile_text("record { id text key  f flag key }");
  assert_non_null(find_diag(c, R0209));
  compiled_free(c);
  c = compile_text("record { id text key }\nrecord { id text key }");
  assert_non_null(find_diag(c, R0208));
  compiled_free(c);
  TRIPS("tiers { tier t when true }\ntiers { tier u when true }", R0210, 2, 1, NULL);
  TRIPS("tiers { tier t when n }", R0303, 1, 21, "a tier's condition must be a flag (yes/no), not a number");
  expect_clean("tiers { tier t when n > 0 }");
}

static void cycles(void **state) {
  (void)state;
  TRIPS("let y = z + 1\nlet z = y * 2", R0205, 0, 0, NULL);
  TRIPS("category c { points p = score }", R0205, 0, 0, NULL);
  TRIPS("category c { points p = c.total }", R0205, 0, 0, NULL);
  expect_clean("category c { points p = 1 }\ncategory e { points q = c.total * 2 }");
  TRIPS("fn f(a) = f(a)\nlet y = f(1)", R0205, 1, 11, "function 'f' calls itself; rubric has no recursion");
  TRIPS("fn f(a) = g(a)\nfn g(a) = f(a)\nlet y = f(1)", R0205, 0, 0, NULL);
  expect_clean("fn f(a) = g(a) * 2\nfn g(a) = a + 1\nlet y = f(1)");
}

static int count_code(const Compiled *c, DiagCode code) {
  int n = 0;
  for (const Diag *d = c->dl.head; d; d = d->next) n += d->code == code;
  return n;
}

/* floor, ceil and round of a division round its exact quotient once (the
   call's `quot`); of a let that is a division they round twice: R0901, a
   warning, reported once however often a fn body holding it is checked. */
static void quotients_rounded_once_or_twice(void **state) {
  (void)state;
  const char *body = "let q = rev / prev\n"
                     "fn half(v) = floor(q) + v\n"
                     "category c {\n"
                     "  points p = round(q, 2) + half(1) + half(2)\n"
                     "  points o = round(rev / prev, 2) + floor(n / 3) + ceil(q * 2)\n"
                     "}\n";
  Compiled *c = with_schema(body);
  assert_true(c->ok);
  assert_int_equal(count_code(c, R0901), 2);   /* round(q, 2), and floor(q) once */
  const Diag *d = find_diag(c, R0901);
  assert_int_equal(d->sev, DIAG_WARNING);
  assert_int_equal(d->line, 6);
  assert_int_equal(d->col, 14);
  assert_int_equal(d->len, 11);
  assert_string_equal(d->msg, "let 'q' is a division rounded to 6 places, which round rounds again");
  assert_string_equal(d->hint, "round once, from the exact quotient: round(rev / prev, 2)");
  assert_string_equal(d->next->hint, "round once, from the exact quotient: floor(rev / prev)");
  compiled_free(c);
  /* The fused calls know their division, through fns too. */
  c = with_schema("fn r(a, b) = a * 10 / b\nfn s(a) = r(a, 3)\nlet y = floor(s(n)) + round(n / 3) + ceil(n * 3)\n");
  assert_true(c->ok);
  const Node *e = c->ast.decls.tail->expr;   /* floor(s(n)) + round(n / 3) + ceil(n * 3) */
  const Node *fl = e->a->a, *ro = e->a->b, *ce = e->b;
  assert_non_null(fl->quot);
  assert_int_equal(fl->quot->kind, AST_DIV);
  assert_ptr_equal(fl->quot, fl->b->c->c);   /* the division in r's body, inlined in s's */
  assert_ptr_equal(ro->quot, ro->b);
  assert_null(ce->quot);
  assert_int_equal(count_code(c, R0901), 0);
  compiled_free(c);
}

/* int is a signed whole number, a number in expressions; `places N` is
   for number, money and percent fields, N from 0 to 6. */
static void whole_numbers_and_places(void **state) {
  (void)state;
  Compiled *c = compile_text("record { id text key  delta int in -5..5  rev money places 2  pct percent places 0 }\n"
                             "category c { points p = delta * 2 + rev / $100 + pct }\n");
  if (!c->ok) fail_msg("does not compile: %s", c->dl.head ? c->dl.head->msg : "?");
  const Program *p = &c->prog;
  const FieldInfo *delta = &p->fields[field_of(p, "delta")], *rev = &p->fields[field_of(p, "rev")];
  assert_int_equal(delta->kind, FIELD_INT);
  assert_true(delta->has_lo && delta->lo == D("-5"));
  assert_int_equal(delta->places, DEC_DIGITS);   /* whole by its type */
  assert_int_equal(rev->places, 2);
  assert_int_equal(p->fields[field_of(p, "pct")].places, 0);
  assert_int_equal(p->fields[field_of(p, "id")].places, DEC_DIGITS);
  compiled_free(c);
  c = compile_text("record { id text key  n count places 2 }");
  const Diag *d = expect_code(c, "", R0304, -1, 31);
  assert_string_equal(d->msg, "places applies to number, money and percent fields");
  assert_string_equal(d->hint, "a count field's values are whole numbers already");
  compiled_free(c);
  c = compile_text("record { id text key  on date places 2 }");
  expect_code(c, "", R0304, -1, 31);
  compiled_free(c);
  c = compile_text("record { id text key  x number places 7 }");
  d = expect_code(c, "", R0308, -1, 39);
  assert_string_equal(d->msg, "places is a whole number from 0 to 6");
  compiled_free(c);
  c = compile_text("record { id text key  x number places 1.5 }");
  expect_code(c, "", R0308, -1, 39);
  compiled_free(c);
  /* an int is a number, not money */
  TRIPS("let y = rev + n", R0301, 1, 9, "cannot add money and a number");
  c = compile_text("record { id text key  k int }\nlet y = k + $1\n");
  expect_code(c, "", R0301, 0, 9);
  compiled_free(c);
}

/* A field's range end may name the record's required fields, with
   literals, + - * / and days or months; of the field's own type; and no
   range may lead back to its own field.  The fields with such ends are
   listed each after those it names, else in declaration order. */
static void ranges_that_name_fields(void **state) {
  (void)state;
  Compiled *c = compile_text("record { id text key  c number in b..  b number in a * 2..  a count\n"
                             "         d date in e..e + 3 months  e date  m money in ..$5 * a  n int in ..a - 1 }\n");
  if (!c->ok) fail_msg("does not compile: %s", c->dl.head ? c->dl.head->msg : "?");
  const Program *p = &c->prog;
  assert_int_equal(p->nbounded, 5);
  static const char *const order[] = {"b", "c", "d", "m", "n"};   /* b before c, which names it */
  for (int i = 0; i < 5; i++) assert_string_equal(p->fields[p->bounded[i]].name, order[i]);
  const FieldInfo *m = &p->fields[field_of(p, "m")];
  assert_int_equal(m->hi_expr.nops, 3);   /* CONST 5, FIELD a, MUL */
  assert_int_equal(m->hi_expr.ops[2].op, BX_MUL);
  assert_string_equal(m->hi_expr.text, "$5 * a");
  assert_int_equal(m->lo_expr.nops, 0);
  compiled_free(c);
  static const struct { const char *fields; DiagCode code; int col; const char *msg; } bad[] = {
      {"a number  b number in ..a + c", R0201, 51, "unknown name 'c'"},
      {"a number  b number in ..k", R0404, 47, "the range of field 'b' names param 'k'"},
      {"a number  b number in ..l", R0404, 47, "the range of field 'b' names let 'l'"},
      {"a number  b number in ..max(a, 1)", R0404, 47, "the range of field 'b' cannot use this"},
      {"a number  b number in ..if a > 1 then a else 1", R0404, 47, "the range of field 'b' cannot use this"},
      {"a number optional  b number in a..", R0305, 54, "optional field 'a' may be unset, so it cannot bound field 'b'"},
      {"a number  m money in ..a", R0304, 46, "a range end of field 'm' is a number, but the field is money"},
      {"a money  n number in ..a", R0304, 46, "a range end of field 'n' is money, but the field is a number"},
      {"d date  e date in d + 3..", R0301, 41, NULL},   /* a date plus a number: say the unit */
      {"a number in b..  b number in ..a", R0205, 54, "the range of field 'b' depends on itself: a -> b -> a"},
      {"a number in a + 1..", R0205, 35, "the range of field 'a' depends on itself: a -> a"},
      {"t text  u number in t..", R0304, 43, "a range end of field 'u' is text, but the field is a number"},
      /* a flag has no range at all: said once, its ends not checked */
      {"f flag  g flag in f..", R0304, 42, "a range applies to numbers, money and dates only"}};
  /* An end needing more than BOUND_MAX_STACK values at once: a + (a + (...
     a)) with 32 open parentheses holds 33 values at its deepest; with 31,
     32, which is allowed. */
  for (int levels = BOUND_MAX_STACK; levels >= BOUND_MAX_STACK - 1; levels--) {
    char deep[1024] = "record { id text key  a number  b number in ..";
    for (int i = 0; i < levels; i++) strcat(deep, "a + (");
    strcat(deep, "a");
    for (int i = 0; i < levels; i++) strcat(deep, ")");
    strcat(deep, " }\n");
    c = compile_text(deep);
    const Diag *dd = find_diag(c, R0108);
    if (levels == BOUND_MAX_STACK) {
      assert_non_null(dd);
      assert_string_equal(dd->msg, "a field's range end nested more than 32 deep");
    } else if (!c->ok) {
      fail_msg("%d levels: %s", levels, c->dl.head ? c->dl.head->msg : "?");
    }
    compiled_free(c);
  }
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    char text[256];
    snprintf(text, sizeof text, "param k = 1\nlet l = 2\nrecord { id text key  %s }\n", bad[i].fields);
    c = compile_text(text);
    const Diag *d = find_diag(c, bad[i].code);
    if (!d) fail_msg("%s: no %s; first: %s", bad[i].fields, diag_code_name(bad[i].code), c->dl.head ? c->dl.head->msg : "-");
    assert_false(c->ok);
    assert_int_equal(d->line, 3);
    if (d->col != bad[i].col) fail_msg("%s: column %d, not %d", bad[i].fields, d->col, bad[i].col);
    if (bad[i].msg) assert_string_equal(d->msg, bad[i].msg);
    assert_int_equal(c->dl.errors, 1);
    compiled_free(c);
  }
}

static void money_and_numbers(void **state) {
  (void)state;
  Compiled *c = with_schema("let y = rev + 5000");
  const Diag *d = expect_code(c, "", R0301, 1, 9);
  assert_string_equal(d->msg, "cannot add money and a number");
  assert_string_equal(d->hint, "money adds only to money: write an amount as $5000");
  compiled_free(c);
  expect_clean("let y = rev + $5000");
  TRIPS("let y = rev * prev", R0301, 1, 9, "cannot multiply money by money");
  expect_clean("let y = rev * 2 + prev / 4");
  TRIPS("let y = 2 / rev", R0301, 1, 9, NULL);
  expect_clean("let y = (rev - prev) / rev * 2 + n");   /* money / money is a number */
  TRIPS("let y = rev > 5000", R0304, 1, 9, "cannot compare money with a number");
  expect_clean("let y = rev > $5000");
  TRIPS("let y = d + 6", R0301, 1, 9, NULL);
  expect_clean("let y = d + 6 months - 2 days\nlet z = d - d > 30");
  TRIPS("let y = 6 months", R0301, 1, 9, NULL);
}

static void points_must_be_numbers(void **state) {
  (void)state;
  Compiled *c = with_schema("category c {\n  points p = rev\n}");
  const Diag *d = expect_code(c, "", R0302, 2, 14);
  assert_string_equal(d->msg, "points must be a number, but this is money");
  assert_non_null(d->hint);
  compiled_free(c);
  expect_clean("category c {\n  points p = rev / $1000\n}");
  TRIPS("category c { points p = f }", R0302, 1, 25, NULL);
  expect_clean("category c { points p = if f then 10 else 0 }");
}

static void types_of_conditions_and_branches(void **state) {
  (void)state;
  TRIPS("let y = if n then 1 else 2", R0303, 1, 12, NULL);
  TRIPS("let y = n and f", R0303, 1, 9, NULL);
  TRIPS("let y = not pct", R0303, 1, 13, NULL);
  TRIPS("let y = if f then rev else 0", R0307, 1, 28, "branches give money and a number");
  expect_clean("let y = if f then rev else $0");
  TRIPS("let y = band n { ..5 => 1, else => $2 }", R0307, 0, 0, NULL);
  TRIPS("let y = name < \"m\"", R0304, 1, 9, "text can only be compared with = and !=");
  TRIPS("let y = f = 1", R0304, 1, 9, NULL);
  /* choices and flags have no order: only = and != (issue 9's mutant) */
  TRIPS("let y = r < b", R0304, 1, 9, "a choice of r can only be compared with = and !=");
  TRIPS("let y = r >= a", R0304, 1, 9, "a choice of r can only be compared with = and !=");
  TRIPS("let y = f < true", R0304, 1, 9, "a flag can only be compared with = and !=");
  expect_clean("let y = r = b or r != a");
  expect_clean("let y = f = true and name = \"x\"");
  TRIPS("let y = min(n, rev)", R0309, 1, 16, NULL);
  TRIPS("let y = floor(f)", R0309, 1, 15, NULL);
  TRIPS("let y = round(pct, 7)", R0309, 1, 20, NULL);
  expect_clean("let y = round(pct, 2) + clamp(n, 0, 5) + abs(-n) + ceil(pct) + max(1, 2, 3)");
  TRIPS("let y = max(1)", R0204, 1, 9, "max takes 2 to 99 arguments, not 1");
  TRIPS("fn f(a, b) = a + b\nlet y = f(1)", R0204, 2, 9, "f takes 2 arguments, not 1");
}

static void optional_fields_need_a_guard(void **state) {
  (void)state;
  Compiled *c = with_schema("let y = g < d");
  const Diag *d = expect_code(c, "", R0305, 1, 9);
  assert_string_equal(d->msg, "optional field 'g' may be unset here");
  compiled_free(c);
  expect_clean("let y = g is set and g < d");
  expect_clean("let y = if g is set then g < d else false");
  expect_clean("let y = if not (g is set) then false else g < d");
  expect_clean("let y = not (g is set) or g < d");
  expect_clean("let y = f and g is set and x is set and g < d and x > 1");
  expect_clean("let y = (g default d) < d");
  TRIPS("let y = g is set or g < d", R0305, 1, 21, NULL);
  TRIPS("let y = if g is set then false else g < d", R0305, 1, 37, NULL);
  /* a guard does not reach into a let or a fn body */
  TRIPS("let h = g < d\nlet y = g is set and h", R0305, 1, 9, NULL);
  TRIPS("let y = n is set", R0306, 1, 9, "field 'n' is always set, so 'is set' is not needed");
  TRIPS("let y = (n + 1) is set", R0306, 1, 9, NULL);
  TRIPS("let y = n default 0", R0306, 1, 9, NULL);
  TRIPS("let y = g default 5", R0307, 1, 19, NULL);
}

static void bands_and_ranges(void **state) {
  (void)state;
  Compiled *c = with_schema("let y = band n { ..50 => 1, ..25 => 2, else => 3 }");
  const Diag *d = expect_code(c, "", R0401, 1, 29);   /* at the row's head, `..25` */
  assert_string_equal(d->msg, "band rows must rise: ..25 follows ..50");
  compiled_free(c);
  TRIPS("let y = band n { ..5 => 1, ..5 => 2 }", R0401, 1, 28, NULL);
  expect_clean("let y = band n { ..25 => 1, ..50 => 2, else => 3 }");
  /* Strict upper ends: ..<5 then ..5 is a row for 5 alone; the reverse,
     or the same strict bound twice, holds nothing. */
  expect_clean("let y = band n { ..<5 => 1, ..5 => 2, ..<10 => 3, else => 4 }");
  TRIPS("let y = band n { ..5 => 1, ..<5 => 2, else => 3 }", R0401, 1, 28, "band rows must rise: ..<5 follows ..5");
  TRIPS("let y = band n { ..<5 => 1, ..<5 => 2, else => 3 }", R0401, 1, 29, NULL);
  /* Lower ends rise strictly, and a band's rows all go one way. */
  expect_clean("let y = band n { 250.. => 2, 500.. => 3, else => 0 }");
  TRIPS("let y = band n { 500.. => 3, 250.. => 2, else => 0 }", R0401, 1, 30, "band rows must rise: 250.. follows 500..");
  TRIPS("let y = band n { 5.. => 3, 5.. => 2, else => 0 }", R0401, 1, 28, NULL);
  TRIPS("let y = band n { ..5 => 1, 7.. => 2, else => 0 }", R0401, 1, 28, "band row 7.. goes the other way from ..5");
  expect_clean("let y = band rev { $250.. => 2, else => 0 }");
  TRIPS("let y = band rev { 250.. => 2, else => 0 }", R0304, 1, 20, "bound is a number but the value is money");
  TRIPS("let y = band rev { ..5 => 1, else => 2 }", R0304, 1, 22, "bound is a number but the value is money");
  expect_clean("let y = band rev { ..$5 => 1, else => 2 }");
  TRIPS("category c { points p 10..0 = 1 }", R0402, 1, 25, NULL);
  TRIPS("let y = n in 5..1", R0402, 1, 15, NULL);
  TRIPS("let y = pct in 50..49.5", R0402, 0, 0, NULL);   /* empty by less than one */
  expect_clean("let y = pct in 50..50");
  expect_clean("category c 0..100 { points p 0..10 = 1 }\nlet y = n in 1..5 and rev in $0..$10");
  Compiled *c2 = compile_text("record { id text key  n count in 10..1 }");
  assert_non_null(find_diag(c2, R0402));
  compiled_free(c2);
}

static void tests_name_real_things(void **state) {
  (void)state;
  const char *cat = "category c { points p = n }\ntiers { tier t when true }\n";
  char body[1024];
  snprintf(body, sizeof body, "%stest \"x\" { given { nn = 1 } expect { c.p = 1 } }", cat);
  TRIPS(body, R0501, 3, 20, "the record has no field 'nn'");
  snprintf(body, sizeof body, "%stest \"x\" { given { n = 1 } expect { c.q = 1 } }", cat);
  TRIPS(body, R0501, 3, 37, NULL);
  snprintf(body, sizeof body, "%stest \"x\" { given { n = 1 } expect { tier = u } }", cat);
  TRIPS(body, R0501, 3, 44, "no tier named 'u'");
  snprintf(body, sizeof body, "%stest \"x\" { given { n = 1.5 } expect { c.p = 1 } }", cat);
  TRIPS(body, R0308, 3, 24, "field 'n': '1.5' is not a whole number");
  snprintf(body, sizeof body, "%stest \"x\" { given { r = c } expect { c.p = 1 } }", cat);
  TRIPS(body, R0308, 3, 24, "field 'r': 'c' is not one of: a, b");
  snprintf(body, sizeof body, "%stest \"x\" { given { n = 1, r = b, f = yes, rev = 10, d = 2024-01-01, g = 2024-02-01, name = \"é\" } expect { c.p = 1, c = 1, score = 1, tier = t } }", cat);
  expect_clean(body);
}

#define KINDS "record { id text key  kind one of (var, msp, ta)  sales money  f flag }\n" \
              "category c { points p = sales / $1000 }\n"

static Compiled *kinds(const char *body) {
  char text[2048];
  snprintf(text, sizeof text, KINDS "%s", body);
  return compile_text(text);
}

/* Outputs: a type inferred or declared, members in result places, and the
   phase of what they use, as a let's. */
static void outputs(void **state) {
  (void)state;
  expect_clean("output s one of (low, high) = if n > 5 then high else low");
  expect_clean("output s one of (low, high) = band n { ..5 => low, else => high }");
  expect_clean("output gt = n >= 2\ncategory c { points p = if gt then 1 else 0 }");   /* usable, as a let */
  expect_clean("output k = r\noutput d2 date = d + 1 months\noutput t text = name");
  TRIPS("output s one of (low, high) = if n > 5 then high else hihg", R0201, 1, 55,
        "'hihg' is not one of the values of s");
  TRIPS("output s one of (low, high) = if n > 5 then 1 else low", R0307, 0, 0, NULL);
  TRIPS("output fl flag = n", R0308, 1, 18, "output 'fl' is declared a flag, but its value is a number");
  TRIPS("output m money = n", R0308, 1, 18, NULL);
  TRIPS("output xx = 1\noutput xx = 2", R0202, 2, 8, NULL);
  TRIPS("output score = 1", R0206, 1, 8, NULL);
  TRIPS("output v one of (a, a) = a", R0202, 1, 21, NULL);
  TRIPS("output n2 = n\ncategory c { points p = n2 + o }\noutput o = c.p", R0205, 0, 0, NULL);
  /* a test expects an output's value in its type, a choice by name */
  TRIPS("output s one of (low, high) = low\ntest \"t\" { given { n = 1 } expect { s = hi } }", R0501, 2, 41,
        "expect a choice of s for output 's'");
  TRIPS("output gt = n > 1\ntest \"t\" { given { n = 1 } expect { gt = 3 } }", R0501, 2, 42,
        "expect a flag for output 'gt'");
  expect_clean("output s one of (low, high) = low\noutput gt = n > 1\n"
               "test \"t\" { given { n = 1 } expect { s = low, gt = no } }");
}

/* Repeated groups: fields named by the pattern, per-member copies,
   aggregates, and what is refused. */
#define GROUPS \
  "record { id text key\n" \
  "  group region (na, emea) { acv money  certified count } }\n"

/* A whole program that gives a diagnostic of this code. */
static void gives(const char *text, DiagCode code) {
  Compiled *c = compile_text(text);
  if (!find_diag(c, code)) fail_msg("%s\nno %s", text, diag_code_name(code));
  compiled_free(c);
}

static void repeated_groups(void **state) {
  (void)state;
  Compiled *c = with_record(GROUPS, "let w per region = acv * 2\ncategory k { points p per region = certified }\n"
                            "output top = best(region by acv)");
  assert_true(c->ok);
  assert_int_equal(c->prog.nfields, 5);   /* id, then each member's fields in member order */
  assert_string_equal(c->prog.fields[1].name, "na_acv");
  assert_string_equal(c->prog.fields[2].name, "na_certified");
  assert_string_equal(c->prog.fields[4].name, "emea_certified");
  slot_of(&c->prog, "na_w");
  slot_of(&c->prog, "emea_w");
  slot_of(&c->prog, "k.emea_p");
  compiled_free(c);
  /* a program names its columns */
  c = compile_text("record { id text key\n group region (na) columns \"{name}_in_{member}\" { acv money } }");
  assert_true(c->ok);
  assert_string_equal(c->prog.fields[1].name, "acv_in_na");
  compiled_free(c);
  clean_with(GROUPS, "output n = count(region where certified >= 2)\noutput a = any(region where acv > $0)\n"
               "output b = all(region.certified > 0)\noutput s = sum(region.acv)\noutput m = min(region.acv)\n"
               "output t = best(region by acv) = emea\noutput u per region = region = na and certified > 1");
  clean_with(GROUPS, "category k { points p per region = certified  points q = 1 }\noutput ok = all(points of k > 0)\n"
               "output hi = max(region.p)\noutput s = sum(points of k)");
  /* a test gives and expects one member's value as FIELD.MEMBER */
  clean_with(GROUPS, "output o per region = acv > $0\n"
                     "test \"t\" { given { acv.na = 5, emea_acv = 0 } expect { o.na = yes, emea_o = no } }");
  TRIPS_IN(GROUPS, "test \"t\" { given { acv.us = 5 } expect { score = 0 } }", R0501, 1, 20,
           "the record has no field 'acv.us'");
  clean_with(GROUPS, "fn best(a, b) = max(a, b)\noutput x = best(1, 2) + max(3, 4)");   /* still functions */
  /* best is a value of the group's choice, not a number */
  TRIPS_IN(GROUPS, "output t = best(region by acv) + 1", R0301, 1, 12, NULL);
  TRIPS_IN(GROUPS, "output t = region.acv", R0214, 1, 12, "'region.acv' is one value per member, so it needs an aggregate");
  TRIPS_IN(GROUPS, "output t = sum(acv)", R0214, 1, 12, "sum aggregates over a group or a category's points");
  TRIPS_IN(GROUPS, "output t = sum(region where acv > $0)", R0214, 1, 12, "sum(region where ...) is not an aggregate");
  TRIPS_IN(GROUPS, "output t = best(region where acv > $0)", R0214, 1, 12, NULL);
  TRIPS_IN(GROUPS, "output t = points of k", R0214, 1, 22, NULL);
  TRIPS_IN(GROUPS, "output t = max(region.nope)", R0201, 1, 23, "group 'region' has no field or per-member value 'nope'");
  TRIPS_IN(GROUPS, "let w per regio = 1", R0201, 1, 11, "no group named 'regio'");
  TRIPS_IN(GROUPS, "output t = count(area where acv > $0)", R0201, 1, 18, "no group named 'area'");
  TRIPS_IN(GROUPS, "output t = all(points of nothing > 0)", R0201, 1, 26, "no category named 'nothing'");
  TRIPS_IN(GROUPS, "let na_acv = 1", R0202, 1, 5, NULL);   /* a copy's name is taken */
  TRIPS_IN(GROUPS, "category a { points p per region = 1 }\ncategory b { points p per region = 2 }\n"
                   "output t = max(region.p)", R0214, 3, 23, "several categories have points 'p' per region");
  clean_with(GROUPS, "category a { points p per region = 1 }\ncategory b { points p per region = 2 }\n"
                     "output t = max(points of a) + b.na_p");
  gives("record { id text key\n group region (na) columns \"{member}-{name}\" { acv money } }", R0215);
  gives("record { id text key\n group region (na) columns \"{member}\" { acv money } }", R0215);
  gives("record { id text\n group region (na) { k text key } }", R0214);
}

/* Tiers as values and ordered choices. */
static void tiers_and_ordered_choices(void **state) {
  (void)state;
  const char *ladder = "category c { points p = n }\ntiers { tier lo when true  tier hi when score > 5 }\n";
  char body[1024];
  snprintf(body, sizeof body, "%soutput up = tier >= hi\npayout pay = if tier = none then $0 else $1", ladder);
  expect_clean(body);
  snprintf(body, sizeof body, "%soutput up = tier >= mid", ladder);
  TRIPS(body, R0201, 3, 21, "no tier named 'mid'");
  snprintf(body, sizeof body, "%soutput up = tier + 1", ladder);
  TRIPS(body, R0301, 0, 0, NULL);
  /* points and tier conditions come before the tier */
  snprintf(body, sizeof body, "%scategory d { points q = if tier >= hi then 1 else 0 }", ladder);
  TRIPS(body, R0211, 3, 25, "points cannot depend on the tier: it uses tier");
  /* a badge of the score may decide a tier; one of the tier may not */
  expect_clean("category c { points p = n }\nbadge b when score > 3\n"
               "tiers { tier lo when true  tier hi when b }");
  TRIPS("category c { points p = n }\nbadge b when tier = lo\ntiers { tier lo when true  tier hi when b }",
        R0211, 3, 41, "a tier's condition cannot depend on the tier: it uses badge b -> tier");
  /* an ordered choice compares and takes max/min; an unordered one cannot */
  Compiled *c = compile_text("record { id text key  lv one of (a < b < c)  sz one of (s, m) }\n"
                             "output hi = lv >= b and max(lv, b) = c and min(lv, c) < c\n");
  assert_true(c->ok);
  compiled_free(c);
  c = compile_text("record { id text key  sz one of (s, m) }\noutput big = max(sz, m)\n");
  assert_non_null(find_diag(c, R0309));
  compiled_free(c);
}

/* Optional lets and outputs: unset only where a value comes from, and read
   only behind a guard. */
static void optional_values(void **state) {
  (void)state;
  expect_clean("let av optional = if n > 0 then rev / n else unset\n"
               "output o optional = av\noutput z = av default $0\noutput h = av is set\n"
               "category c { points p = if av is set then av / $1 else 0 }");
  expect_clean("let b optional = band n { ..5 => unset, else => n }\nlet k = b default 0");
  TRIPS("let av optional = if n > 0 then n else unset\ncategory c { points p = av }", R0305, 2, 25,
        "let 'av' is optional and may be unset here");
  TRIPS("let av = if n > 0 then n else unset", R0305, 1, 31, "'unset' is the value of an optional let, output or points only");
  TRIPS("let av optional = unset + 1", R0305, 1, 19, NULL);
  TRIPS("let av = n\nlet h = av is set", R0306, 2, 9, "let 'av' is always set, so 'is set' is not needed");
  TRIPS("output o = n\ntest \"t\" { given { n = 1 } expect { o = unset } }", R0501, 2, 41,
        "output 'o' is not optional: it is never unset");
}

/* Optional points: unset where the value comes from; read behind a guard,
   by `is set` or `default` on CATEGORY.points; expected unset in tests. */
static void optional_points(void **state) {
  (void)state;
  expect_clean("category c { points av 0..5 optional = if n > 0 then rev / $1 / n else unset  points b = 1 }\n"
               "output o = c.av default 0\noutput h = c.av is set\nlet k optional = c.av\n"
               "output up = if c.av is set and c.av > 2 then 1 else 0\noutput kk = k default 0\n"
               "test \"t\" { given { n = 0 } expect { c.av = unset, c = 1 } }");
  TRIPS("category c { points av optional = if n > 0 then n else unset }\noutput o = c.av + 1", R0305, 2, 12,
        "points 'c.av' is optional and may be unset here");
  TRIPS("category c { points av = if n > 0 then n else unset }", R0305, 1, 47,
        "'unset' is the value of an optional let, output or points only");
  TRIPS("category c { points av = n }\noutput h = c.av is set", R0306, 2, 12,
        "points 'c.av' is always set, so 'is set' is not needed");
  TRIPS("category c { points av = n }\noutput h = c.total default 0", R0306, 2, 12,
        "'default' applies to an optional record field, let, output or points");
  TRIPS("category c { points av = n }\ntest \"t\" { given { n = 1 } expect { c.av = unset } }", R0501, 2, 44,
        "'c.av' is not optional: it is never unset");
  /* `points of` reads every points of the category, so an optional one
     needs its own guard */
  Compiled *c = compile_text("record { id text key  n number }\n"
                             "category c { points a optional = if n > 0 then n else unset  points b = n }\n"
                             "output all_up = all(points of c > 0)\n");
  assert_non_null(find_diag(c, R0305));
  compiled_free(c);
}

static void tracks_and_phases(void **state) {
  (void)state;
  Compiled *c = kinds("track a when score > 5 { uses c }\ntrack b when kind = ta { uses c }");
  const Diag *d = find_diag(c, R0211);
  assert_non_null(d);
  assert_string_equal(d->msg, "a track's condition cannot use points, category totals or the score");
  assert_int_equal(d->line, 3);
  assert_int_equal(d->col, 14);
  compiled_free(c);
  c = kinds("track a when kind in (var, msp) { uses c }\ntrack b when kind = ta { uses c }");
  assert_true(c->ok);
  assert_null(find_diag(c, R0601));   /* every kind fits one track */
  assert_null(find_diag(c, R0602));
  compiled_free(c);
  /* points, tiers and lets feeding them cannot use what follows the tier */
  c = kinds("benefit pct { t = 2 }\ncategory e { points q = pct }\ntiers { tier t when true }");
  assert_non_null(find_diag(c, R0211));
  compiled_free(c);
  c = kinds("payout pay = sales * 2\ntiers { tier t when pay > $5 }");
  assert_non_null(find_diag(c, R0211));
  compiled_free(c);
  c = kinds("benefit pct { t = 2 }\nlet r = pct * 2\ncategory e { points q = r }\ntiers { tier t when true }");
  assert_non_null(find_diag(c, R0211));
  compiled_free(c);
  c = kinds("benefit pct { t = 2 }\nlet r = pct * 2\npayout pay = sales * r / 100\n"
            "badge b when pct > 1 and score > 3\ntiers { tier t when score > 1 }");
  assert_true(c->ok);
  compiled_free(c);
  c = kinds("payout pay = 2 * 3\n");
  d = find_diag(c, R0310);
  assert_non_null(d);
  assert_string_equal(d->msg, "a payout must be money, but this is a number");
  compiled_free(c);
  c = kinds("track a when kind = ta { uses c, nope }");
  d = find_diag(c, R0201);
  assert_non_null(d);
  assert_string_equal(d->msg, "unknown category 'nope'");
  compiled_free(c);
}

static void track_coverage_and_overlap_warnings(void **state) {
  (void)state;
  Compiled *c = kinds("track a when kind = var { uses c }\ntrack b when kind = ta { uses c }");
  assert_true(c->ok);   /* warnings do not stop the program */
  const Diag *d = find_diag(c, R0601);
  assert_non_null(d);
  assert_int_equal(d->sev, DIAG_WARNING);
  assert_string_equal(d->msg, "records with kind = msp fit no track");
  assert_int_equal(d->line, 1);
  assert_int_equal(d->col, 41);
  assert_null(find_diag(c, R0602));
  compiled_free(c);
  c = kinds("track a when kind in (var, msp) { uses c }\ntrack b when kind != var { uses c }");
  d = find_diag(c, R0602);
  assert_non_null(d);
  assert_string_equal(d->msg, "a record can fit both track 'a' and track 'b'");
  assert_null(find_diag(c, R0601));
  compiled_free(c);
  /* other conditions make "may hold": overlap is possible, so it is said */
  c = kinds("track a when f { uses c }\ntrack b when not f and kind = ta { uses c }\n"
            "track z when true { uses c }");
  assert_non_null(find_diag(c, R0602));
  compiled_free(c);
  c = kinds("track a when kind = var and f { uses c }\ntrack b when kind != var { uses c }");
  assert_null(find_diag(c, R0602));
  assert_null(find_diag(c, R0601));
  compiled_free(c);
}

/* Issue 13, item 3: R0602 says "can" only with an example record, and
   not at all for conditions that cannot both hold. */
static void exclusive(const char *tracks) {
  Compiled *c = kinds(tracks);
  assert_true(c->ok);
  if (find_diag(c, R0602)) fail_msg("%s\nreported as overlapping", tracks);
  compiled_free(c);
}

static void overlapping(const char *tracks, const char *msg, const char *hint) {
  Compiled *c = kinds(tracks);
  const Diag *d = find_diag(c, R0602);
  if (!d) fail_msg("%s\nnot reported as overlapping", tracks);
  if (msg) assert_string_equal(d->msg, msg);
  if (hint) assert_string_equal(d->hint, hint);
  compiled_free(c);
}

static void track_overlap_needs_a_witness(void **state) {
  (void)state;
  /* f and not f; sales >= $5 and sales < $5 (both were reported) */
  exclusive("track a when f { uses c }\ntrack b when not f { uses c }");
  exclusive("track a when sales >= $5 { uses c }\ntrack b when sales < $5 { uses c }");
  /* a choice, a flag and an amount together: still exclusive when one part is */
  exclusive("track a when kind = ta and sales > $10 { uses c }\ntrack b when not (sales > $10) or f and not f { uses c }");
  /* They overlap: a record with kind = ta (a allows msp and ta, b ta and
     var), f = yes and sales = $0 (below $5, and the nearest to 0) fits both. */
  overlapping("track a when kind != var and f { uses c }\ntrack b when kind in (ta, var) and sales < $5 { uses c }",
              "a record can fit both track 'a' and track 'b'",
              "for example kind = ta, sales = $0, f = yes: it goes to the first, 'a'; "
              "make the conditions exclusive if that is not meant");
  /* a witness is a value of the field's type: sales > $2.5 and < $3 gives
     $2.500001, no whole number lying between */
  overlapping("track a when sales > $2.5 { uses c }\ntrack b when sales < $3 { uses c }", NULL,
              "for example sales = $2.500001: it goes to the first, 'a'; "
              "make the conditions exclusive if that is not meant");
  /* what the boxes cannot read (a product) is only "may" */
  overlapping("track a when sales * 2 > $4 { uses c }\ntrack b when sales < $1 { uses c }",
              "a record may fit both track 'a' and track 'b'", NULL);
}

static void tier_names_across_tracks(void **state) {
  (void)state;
  const char *two = "track a when kind = var { uses c  tiers { tier gold when true } }\n"
                    "track b when kind != var { uses c  tiers { tier gold when true } }\n";
  char body[1024];
  snprintf(body, sizeof body, "%sbenefit x { gold = 1 }", two);
  Compiled *c = kinds(body);
  const Diag *d = find_diag(c, R0212);
  assert_non_null(d);
  assert_string_equal(d->msg, "several tracks have a tier 'gold'");
  compiled_free(c);
  snprintf(body, sizeof body, "%sbenefit x { a.gold = 1, b.gold = 2 }\n"
           "test \"t\" { given { kind = ta } expect { track = b, tier = b.gold, x = 2 } }", two);
  c = kinds(body);
  assert_true(c->ok);
  compiled_free(c);
  snprintf(body, sizeof body, "%sbenefit x { a.gold = 1, a.gold = 2 }", two);
  c = kinds(body);
  assert_non_null(find_diag(c, R0202));
  compiled_free(c);
  snprintf(body, sizeof body, "%sbenefit x { a.gold = 1, b.gold = $2 }", two);
  c = kinds(body);
  assert_non_null(find_diag(c, R0307));
  compiled_free(c);
}

/* Caps, ranges, band bounds and benefit values may name params: the name
   must be a param of the right type, and its declared values must keep
   the range or the band in order. */
static void levers(void **state) {
  (void)state;
  expect_clean("param cap = 50\nparam lo = -5\ncategory c lo..cap { points p 0..cap = n }\n"
               "track t 0..cap when true { uses c }");
  Compiled *c = with_schema("param cap = 50\ncategory c { points p 0..capx = n }");
  const Diag *d = expect_code(c, "", R0201, 2, 26);
  assert_string_equal(d->msg, "unknown name 'capx'");
  assert_string_equal(d->hint, "did you mean 'cap'?");
  compiled_free(c);
  TRIPS("let l = 5\ncategory c { points p 0..l = n }", R0405, 2, 26,
        "a range's end is a literal or a param, and 'l' is a let");
  TRIPS("category c { points p 0..rev = n }", R0405, 1, 26,
        "a range's end is a literal or a param, and 'rev' is a field");
  TRIPS("param m = $5\ncategory c { points p 0..m = n }", R0304, 2, 26,
        "a points cap's bound is money but must be a number");
  TRIPS("param m = 2024-01-01\ncategory c m.. { points p = n }", R0304, 2, 12,
        "a category's bound is a date but must be a number");
  /* At the declared values: a range not empty, keyed params member by member. */
  TRIPS("param cap = -5\ncategory c { points p 0..cap = n }", R0402, 2, 24,
        "the cap of points c.p is empty: its low end 0 is above its high end cap = -5");
  TRIPS("param cap by r { a = 10, b = -1 }\ncategory c { points p 0..cap = n }", R0402, 2, 24,
        "the cap of points c.p is empty: its low end 0 is above its high end cap.b = -1");
  TRIPS("param t = 0\ntrack k 5..t when true { }", R0402, 2, 10,
        "the range of track k is empty: its low end 5 is above its high end t = 0");
  /* a: 0..10 and b: 20..30 hold for each member (a record has one), though
     20 > 10 across them */
  expect_clean("param lo by r { a = 0, b = 20 }\nparam hi by r { a = 10, b = 30 }\n"
               "category c { points p lo..hi = n }");
  TRIPS("param lo by r { a = 0, b = 20 }\nparam hi = 10\ncategory c { points p lo..hi = n }", R0402, 3, 25,
        "the cap of points c.p is empty: its low end lo.b = 20 is above its high end hi = 10");
  /* Bands rise at the declared values; each row's bound is of the band's type. */
  expect_clean("param t1 = 25\nparam t2 = 75\nlet y = band pct { ..t1 => 0, ..50 => t1, ..t2 => 2, else => 3 }");
  TRIPS("param t1 = 60\nlet y = band n { ..t1 => 0, ..50 => 1, else => 2 }", R0401, 2, 31,
        "band rows must rise: the bound 50 follows t1 = 60");
  TRIPS("param t1 = 50\nlet y = band n { ..50 => 0, ..t1 => 1, else => 2 }", R0401, 2, 31,
        "band rows must rise: the bound t1 = 50 follows 50");
  TRIPS("param t = $5\nlet y = band n { ..t => 0, else => 1 }", R0304, 2, 20,
        "bound is money but the value is a number");
  expect_clean("param t = $5\nlet y = band rev { ..t => 0, else => 1 }");
  TRIPS("param lo = 10\nlet y = n in lo..5", R0402, 2, 16,
        "the range of 'in' is empty: its low end lo = 10 is above its high end 5");
  expect_clean("param lo = 1\nparam hi = 5\nlet y = n in lo..hi and d in 2024-01-01..2024-12-31");
  /* Rows of every kind take params: `..<t` then `..t` may share a value
     (the row for t alone), rows with a lower end rise strictly, and a
     band's rows still go one way. */
  expect_clean("param t = 10\nlet y = band n { ..<t => 1, ..t => 2, else => 3 }");
  expect_clean("param lo = 100\nparam hi = 250\nlet y = band n { lo.. => 1, hi.. => 2, else => 0 }");
  TRIPS("param lo = 300\nlet y = band n { lo.. => 1, 250.. => 2, else => 0 }", R0401, 2, 29,
        "band rows must rise: the bound 250 follows lo = 300");
  TRIPS("param t = 10\nlet y = band n { ..t => 1, ..<t => 2, else => 3 }", R0401, 2, 31,
        "band rows must rise: the bound t = 10 follows t = 10");
  TRIPS("param lo = 1\nlet y = band n { ..5 => 1, lo.. => 2 }", R0401, 2, 28, NULL);   /* the other way */
  /* A bound cannot be a fn's argument, even when a param has its name. */
  TRIPS("param t = 5\nfn f(x, t) = band x { ..t => 1, else => 2 }\ncategory c { points p = f(n, 3) }", R0405,
        2, 25, "a band's or range's bound is a literal or a param, and 't' is an argument of the function");
  TRIPS("fn f(x, lo) = x in lo..9\nlet y = f(n, 3)", R0405, 1, 20, NULL);
  /* A band in a fn is checked once per call, and reported once. */
  c = with_schema("param t1 = 60\nfn f(x) = band x { ..t1 => 0, ..50 => 1, else => 2 }\n"
                  "let y = f(n) + f(pct)");
  assert_int_equal(count_code(c, R0401), 1);
  compiled_free(c);
  /* Benefits: a param's value, of the benefit's one type. */
  expect_clean("param rb = 5\ntiers { tier t when true  tier u when n > 3 }\n"
               "benefit b { t = rb, u = 6 }\nbenefit k { t = yes }\nparam kp by r { a = $1, b = $2 }\n"
               "benefit m { u = kp }");
  TRIPS("param rb = 5\ntiers { tier t when true }\nbenefit b { t = rbx }", R0201, 3, 17, "unknown name 'rbx'");
  TRIPS("let q = 1\ntiers { tier t when true }\nbenefit b { t = q }", R0405, 3, 17,
        "a benefit's value is a literal or a param, and 'q' is a let");
  TRIPS("param rb = $5\ntiers { tier t when true  tier u when true }\nbenefit b { t = rb, u = 3 }", R0307, 3,
        25, "the tiers' values mix money and a number");
  /* A param used only as a lever is used. */
  c = with_schema("param cap = 50\ntiers { tier t when true }\nparam rb = 5\nbenefit b { t = rb }\n"
                  "category c { points p 0..cap = n }");
  for (const Diag *x = c->dl.head; x; x = x->next)
    if (x->code == R0808 && strstr(x->msg, "param")) fail_msg("%s", x->msg);
  compiled_free(c);
}

/* A test's `with` may set a lever: to values that keep its range or band
   in order (checked when the program is compiled). */
static void test_overrides_keep_levers_in_order(void **state) {
  (void)state;
  expect_clean("param cap = 50\ncategory c { points p 0..cap = n }\n"
               "test \"t\" { given { n = 60 } with { cap = 10 } expect { c.p = 10 } }");
  Compiled *c = with_schema("param cap = 50\ncategory c { points p 0..cap = n }\n"
                            "test \"t\" { given { n = 60 } with { cap = -1 } expect { c.p = 10 } }");
  const Diag *d = expect_code(c, "", R0402, 3, 36);
  assert_string_equal(d->msg, "with these values, the cap of points c.p (t.rubric:4:24) would be empty: "
                              "its low end 0 is above its high end cap = -1");
  compiled_free(c);
  c = with_schema("param t1 = 10\nlet y = band n { ..t1 => 0, ..50 => 1, else => 2 }\n"
                  "test \"t\" { given { n = 60 } with { t1 = 50 } expect { score = 0 } }");
  d = expect_code(c, "", R0401, 3, 36);
  assert_string_equal(d->msg, "with these values, the band (t.rubric:4:31) would not rise: the bound 50 follows t1 = 50");
  compiled_free(c);
}

/* An activity block after SCHEMA's record (line 3 of the program). */
#define ACTS "activity { partner text key  kind one of (deal, cert)  on date  amount money optional  who text optional }\n"

static void activities_and_aggregates(void **state) {
  (void)state;
  expect_clean(ACTS "let k = count(activity where kind = deal and amount > $5)\n"
               "let s = sum(amount of activity where kind = deal)\n"
               "let w = distinct(who of activity)\n"
               "let first optional = min(on of activity)\n"
               "let last = max(on of activity where kind = cert) default d\n"
               "let all = count(activity)\n"
               "let has = min(amount of activity) is set\n"
               "let mine = count(activity where on > record.d)\n");
  /* no activity block; a field outside an aggregate; nested aggregates */
  TRIPS("let k = count(activity)", R0216, 1, 9, "the program declares no activities to aggregate");
  TRIPS(ACTS "let k = kind", R0216, 2, 9, "'kind' is a field of an activity, known only inside an aggregate");
  TRIPS(ACTS "let k = count(activity where count(activity) > 1)", R0216, 2, 30,
        "an aggregate inside another aggregate's condition");
  /* the key: one, text, required */
  TRIPS("activity { partner count key  on date }", R0216, 1, 12,
        "an activity's key holds its partner's key, as text, always set");
  TRIPS("activity { on date }", R0216, 1, 1, "the activity block has no key field");
  TRIPS(ACTS ACTS, R0216, 2, 1, "a program has one activity block");
  /* types */
  TRIPS(ACTS "let s = sum(who of activity)", R0309, 2, 13, "sum adds numbers or money, not text");
  TRIPS(ACTS "let s = max(kind of activity) default deal", R0309, 2, 13, NULL);
  TRIPS(ACTS "let s = sum(nope of activity)", R0201, 2, 13, "an activity has no field 'nope'");
  TRIPS(ACTS "let k = count(activity where amount)", R0303, 0, 0, NULL);
  /* min and max may be unset: only where an unset may stand */
  TRIPS(ACTS "let s = min(on of activity)", R0305, 2, 9, "min of activities has no value when no activity matches");
  TRIPS(ACTS "let s = count(activity) default 0", R0306, 2, 9, NULL);
  /* record.NAME names a partner field only */
  TRIPS(ACTS "let k = count(activity where record.kind = deal)", R0201, 2, 37,
        "the partner record has no field 'kind'");
}

static void windows_and_the_period(void **state) {
  (void)state;
  expect_clean("period 2025-02-01 to 2026-01-31\n" ACTS
               "window q = period.end - 3 months + 1 day to period.end\n"
               "let k = count(activity where on in q and on in period and on <= as_of)\n"
               "let z = d in q\n");
  expect_clean("period 12 months to as_of\neffective 2026-02-01\nlet z = d in period\n");
  expect_clean("let z = d <= as_of\n");   /* as_of needs --as-of, said at run time */
  TRIPS("let z = d in q", R0217, 1, 14, "no window named 'q'");
  TRIPS("let z = d in period", R0217, 1, 14, "the program has no period");
  TRIPS("let z = period.start", R0217, 1, 9, "the program has no period");
  TRIPS("period 2025-02-01 to 2026-01-31\nwindow q = d to 5\nlet z = d in q", R0304, 2, 17,
        "a window's ends are dates, not a number");
  TRIPS("period 2025-02-01 to 2026-01-31\nlet z = n in period", R0304, 2, 9, NULL);
  TRIPS("period 0 months to as_of", R0402, 1, 8, NULL);
  TRIPS("period 12 months to today", R0105, 1, 21, NULL);
  /* a window and an activity field no rule reads are warned about; the
     activity's date is used by every run (the as-of date), its key by the join */
  Compiled *c = with_schema(ACTS "window w = d to d\nlet k = count(activity)\ncategory c { points p = k }\n");
  assert_true(c->ok);
  int warned = 0;
  for (const Diag *d = c->dl.head; d; d = d->next)
    if (d->code == R0808 && (strstr(d->msg, "window 'w'") || strstr(d->msg, "activity field 'kind'") ||
                             strstr(d->msg, "activity field 'amount'")))
      warned++;
    else if (d->code == R0808 && (strstr(d->msg, "'on'") || strstr(d->msg, "'partner'") || strstr(d->msg, "'who'")))
      fail_msg("warned about %s", d->msg);
  assert_int_equal(warned, 3);
  compiled_free(c);
}

static void test_activities(void **state) {
  (void)state;
  expect_clean(ACTS "let k = count(activity)\n"
               "test \"t\" { given { n = 1 } activities { deal on 2025-01-01 amount $5, cert on 2025-02-01\n"
               "  kind deal on 2025-03-01 who \"A\" } expect { score = 0 } }\n");
  TRIPS(ACTS "test \"t\" { given { n = 1 } activities { nothing } expect { score = 0 } }", R0501, 2, 41,
        "'nothing' is neither a field of an activity nor one of its values");
  TRIPS(ACTS "test \"t\" { given { n = 1 } activities { deal on 2025-01-01 deal } expect { score = 0 } }", R0202,
        2, 60, "field 'kind' is given twice");
  TRIPS(ACTS "test \"t\" { given { n = 1 } activities { deal on 2025-13-01 } expect { score = 0 } }", R0308, 2,
        49, NULL);
  TRIPS("test \"t\" { given { n = 1 } activities { deal } expect { score = 0 } }", R0216, 1, 28,
        "the program declares no activities");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(activities_and_aggregates),
      cmocka_unit_test(windows_and_the_period),
      cmocka_unit_test(test_activities),
      cmocka_unit_test(unknown_names_suggest_the_closest),
      cmocka_unit_test(definitions),
      cmocka_unit_test(schema_and_ladder),
      cmocka_unit_test(cycles),
      cmocka_unit_test(money_and_numbers),
      cmocka_unit_test(whole_numbers_and_places),
      cmocka_unit_test(ranges_that_name_fields),
      cmocka_unit_test(quotients_rounded_once_or_twice),
      cmocka_unit_test(points_must_be_numbers),
      cmocka_unit_test(types_of_conditions_and_branches),
      cmocka_unit_test(optional_fields_need_a_guard),
      cmocka_unit_test(bands_and_ranges),
      cmocka_unit_test(tests_name_real_things),
      cmocka_unit_test(outputs),
      cmocka_unit_test(repeated_groups),
      cmocka_unit_test(tiers_and_ordered_choices),
      cmocka_unit_test(optional_values),
      cmocka_unit_test(optional_points),
      cmocka_unit_test(tracks_and_phases),
      cmocka_unit_test(track_coverage_and_overlap_warnings),
      cmocka_unit_test(track_overlap_needs_a_witness),
      cmocka_unit_test(tier_names_across_tracks),
      cmocka_unit_test(levers),
      cmocka_unit_test(test_overrides_keep_levers_in_order),
  };
  return cmocka_run_group_tests_name("checker", tests, NULL, NULL);
}

/* test_parser.c — the grammar: shapes of trees, precedence, and stopping
   cleanly at the first syntax error. */
#include "helpers.h"

typedef struct Parsed { Ast ast; DiagList dl; bool ok; } Parsed;

static Parsed *parse(const char *text) {
  Parsed *p = calloc(1, sizeof *p);
  diag_init(&p->dl);
  ast_init(&p->ast, &p->dl);
  Source *src = ast_source(&p->ast, "t.rubric", text, strlen(text));
  p->ok = parse_source(&p->ast, src);
  return p;
}

static void parsed_free(Parsed *p) {
  ast_free(&p->ast);
  diag_free(&p->dl);
  free(p);
}

/* The expression of the first `let`. */
static Node *let_expr(Parsed *p) {
  for (Decl *d = p->ast.decls.head; d; d = d->next)
    if (d->kind == DECL_LET) return d->expr;
  fail_msg("no let");
  return NULL;
}

/* A compact picture of a tree: (op a b). */
static void show(const Node *n, char *out, size_t cap) {
  static const char *const names[AST__COUNT + 1] = {
      [AST_ADD] = "+", [AST_SUB] = "-", [AST_MUL] = "*", [AST_DIV] = "/", [AST_EQ] = "=",
      [AST_LT] = "<",  [AST_GT] = ">",  [AST_AND] = "and", [AST_OR] = "or", [AST_NOT] = "not",
      [AST_NEG] = "neg", [AST_IF] = "if", [AST_DEFAULT] = "default", [AST_MONTHS] = "months",
      [AST_ISSET] = "isset", [AST_IN] = "in", [AST_INRANGE] = "inrange", [AST_BAND] = "band",
      [AST_CALL] = "call", [AST_AGG] = "agg", [AST_INWIN] = "inwin", [AST_RUNDATE] = "rundate"};
  size_t len = strlen(out);
  if (n->kind == AST_NAME || n->kind == AST_NUM || n->kind == AST_DATE) {
    snprintf(out + len, cap - len, "%.*s", n->tok.n, n->tok.p);
    return;
  }
  snprintf(out + len, cap - len, "(%s", names[n->kind] ? names[n->kind] : "?");
  const Node *kids[] = {n->a, n->kind == AST_IN || n->kind == AST_CALL ? NULL : n->b, n->c};
  for (int i = 0; i < 3; i++)
    if (kids[i]) { strcat(out, " "); show(kids[i], out, cap); }
  if (n->kind == AST_IN || n->kind == AST_CALL)
    for (const Node *e = n->b; e; e = e->next) { strcat(out, " "); show(e, out, cap); }
  strcat(out, ")");
}

static void expect_tree(const char *expr, const char *want) {
  char text[512], got[512] = "";
  snprintf(text, sizeof text, "let x = %s", expr);
  Parsed *p = parse(text);
  if (!p->ok) fail_msg("%s: %s", expr, p->dl.head ? p->dl.head->msg : "?");
  show(let_expr(p), got, sizeof got);
  if (strcmp(got, want) != 0) fail_msg("%s: got %s, want %s", expr, got, want);
  parsed_free(p);
}

static void precedence_and_associativity(void **state) {
  (void)state;
  expect_tree("1 + 2 * 3", "(+ 1 (* 2 3))");
  expect_tree("1 - 2 - 3", "(- (- 1 2) 3)");
  expect_tree("a / b * c", "(* (/ a b) c)");
  expect_tree("-a * b", "(* (neg a) b)");
  expect_tree("a > 1 and b or not c", "(or (and (> a 1) b) (not c))");
  expect_tree("not a = b", "(not (= a b))");
  expect_tree("d + 6 months", "(+ d (months 6))");
  expect_tree("x default 0 + 1", "(+ (default x 0) 1)");
  expect_tree("x is set and x > 2", "(and (isset x) (> x 2))");
  expect_tree("r in (a, b) or r in 1..5", "(or (in r a b) (inrange r))");
  expect_tree("min(a, b + 1)", "(call a (+ b 1))");
}

static void if_else_takes_as_much_as_it_can(void **state) {
  (void)state;
  expect_tree("if a then 1 else 2 + 3", "(if a 1 (+ 2 3))");
  expect_tree("if a then 1 else if b then 2 else 3", "(if a 1 (if b 2 3))");
  expect_tree("(if a then 1 else 2) + 3", "(+ (if a 1 2) 3)");
}

static void bands_keep_rows_in_order(void **state) {
  (void)state;
  Parsed *p = parse("let x = band s { ..25 => 0, ..50 => 25, else => s, }");
  assert_true(p->ok);
  Node *b = let_expr(p);
  assert_int_equal(b->kind, AST_BAND);
  assert_int_equal(b->b->bound.v, 25 * DEC_SCALE);
  assert_int_equal(b->b->next->bound.v, 50 * DEC_SCALE);
  assert_null(b->b->next->next);
  assert_non_null(b->c);
  parsed_free(p);
  p = parse("let x = band s { ..-5 => 1, ..$10 => 2 }");
  assert_true(p->ok);
  assert_int_equal(let_expr(p)->b->bound.v, -5 * DEC_SCALE);
  assert_int_equal(let_expr(p)->b->next->bound.kind, T_MONEY);
  assert_null(let_expr(p)->c);
  parsed_free(p);
  /* The three kinds of row, each head spanning tok to the end of tok2. */
  p = parse("let x = band s { ..<5 => 1, ..5 => 2, else => 3 }");
  assert_true(p->ok);
  b = let_expr(p);
  assert_int_equal(b->b->rowkind, ROW_BELOW);
  assert_int_equal(b->b->bound.v, 5 * DEC_SCALE);
  assert_int_equal(b->b->tok2.p + b->b->tok2.n - b->b->tok.p, 4);   /* ..<5 */
  assert_int_equal(b->b->next->rowkind, ROW_UPTO);
  parsed_free(p);
  p = parse("let x = band s { -250.. => 1, $500.. => 2 }");
  assert_true(p->ok);
  b = let_expr(p);
  assert_int_equal(b->b->rowkind, ROW_FROM);
  assert_int_equal(b->b->bound.v, -250 * DEC_SCALE);
  assert_int_equal(b->b->tok2.p + b->b->tok2.n - b->b->tok.p, 6);   /* -250.. */
  assert_int_equal(b->b->next->bound.kind, T_MONEY);
  parsed_free(p);
  /* a row is one of the three: no bound on both sides, none on neither */
  p = parse("let x = band s { 1..5 => 1 }");
  assert_false(p->ok);
  parsed_free(p);
  p = parse("let x = band s { 5 => 1 }");
  assert_false(p->ok);
  parsed_free(p);
}

static void declarations(void **state) {
  (void)state;
  Parsed *p = parse(
      "program \"P\" version \"1\" currency USD period 2025-10-01 to 2026-09-30\n"
      "record { id text key  r one of (a, b)  n count in 0..50  d date optional }\n"
      "param k by r { a = 1, b = 2 }\n"
      "category c \"C\" -10..100 { points p \"P\" ..5 = 1 points q = 2 }\n"
      "tiers { tier t \"T\" when true }\n"
      "fn f(x, y) = x + y\n"
      "test \"t\" { given { n = 3 } with { k.a = 5 } expect { c.p = 1, tier = t } }\n");
  assert_true(p->ok);
  int kinds[16], n = 0;
  for (Decl *d = p->ast.decls.head; d; d = d->next) kinds[n++] = d->kind;
  int want[] = {DECL_PROGRAM, DECL_VERSION, DECL_CURRENCY, DECL_PERIOD, DECL_RECORD,
                DECL_PARAM_BY, DECL_CATEGORY, DECL_TIERS, DECL_FN, DECL_TEST};
  assert_int_equal(n, 10);
  assert_memory_equal(kinds, want, sizeof want);
  Decl *rec = p->ast.decls.head->next->next->next->next;
  assert_true(rec->kids->key);
  assert_int_equal(rec->kids->next->ftype, FT_ENUM);
  assert_true(rec->kids->next->next->range.hi.present);
  assert_true(rec->kids->next->next->next->optional);
  Decl *cat = rec->next->next;
  assert_int_equal(cat->range.lo.v, -10 * DEC_SCALE);
  assert_false(cat->kids->range.lo.present);
  assert_false(cat->kids->next->range.present);
  assert_null(rec->kids->places.p);
  parsed_free(p);
  /* int, and places N among a field's modifiers, in any order */
  p = parse("record { id text key  delta int optional  rev money places 2 in $0..  pct percent in 0..50 places 1 }");
  assert_true(p->ok);
  rec = p->ast.decls.head;
  Decl *delta = rec->kids->next, *rev = delta->next, *pct = rev->next;
  assert_int_equal(delta->ftype, FT_INT);
  assert_true(delta->optional);
  assert_int_equal(rev->places_v, 2 * DEC_SCALE);
  assert_int_equal(rev->places.line, 1);
  assert_true(rev->range.lo.present);
  assert_int_equal(pct->places_v, 1 * DEC_SCALE);
  assert_int_equal(pct->range.hi.v, 50 * DEC_SCALE);
  parsed_free(p);
  /* A range's ends may be expressions.  A high end left open is known by
     what follows the `..`: a modifier, the brace, or the next field's name
     with its type, on whatever line (parse.c, high_end_open). */
  p = parse("record {\n  id text key\n  n count\n  pts number in n..5 * n\n  lo money in $0..\n"
            "  hi money in lo..\n  d1 date in ..\n  d2 date in d1..d1 + 90 days key\n  q number in -5..\n  r one of (a)\n"
            "  s number in 1..\n    2\n  n2 count optional in ..\n}\n");
  assert_true(p->ok);
  rec = p->ast.decls.head;
  Decl *f = rec->kids->next->next;   /* pts */
  assert_non_null(f->range.lo.expr);
  assert_false(f->range.lo.present);
  assert_int_equal(f->range.hi.expr->kind, AST_MUL);
  f = f->next;                       /* lo: a literal end stays a literal */
  assert_true(f->range.lo.present && f->range.lo.kind == T_MONEY);
  assert_null(f->range.hi.expr);
  f = f->next;                       /* hi: open above; the next field follows */
  assert_int_equal(f->range.lo.expr->kind, AST_NAME);
  assert_false(f->range.hi.present || f->range.hi.expr);
  f = f->next;                       /* d1: open at both ends */
  assert_true(f->range.present && !f->range.lo.expr && !f->range.hi.expr);
  f = f->next;                       /* d2: date + days, then key */
  assert_int_equal(f->range.hi.expr->kind, AST_ADD);
  assert_true(f->key);
  f = f->next;                       /* q: -5 is a literal */
  assert_true(f->range.lo.present);
  assert_int_equal(f->range.lo.v, -5 * DEC_SCALE);
  assert_int_equal(f->next->ftype, FT_ENUM);   /* r, after q's open range */
  f = f->next->next;                 /* s: 1..2, its high end on a later line */
  assert_true(f->range.hi.present);
  assert_int_equal(f->range.hi.v, 2 * DEC_SCALE);
  assert_true(f->next->optional);    /* n2, whose range is open */
  parsed_free(p);
  /* ... or a group's name: `group NAME (`; and in a group's fields too */
  p = parse("record { id text key  n number in 0..\n group region (na, emea) { acv money in $0..  t money in ..acv * n\n"
            "  c count in 1..\n }  m number in ..n\n group g2 (x) { y number } }\n");
  assert_true(p->ok);
  rec = p->ast.decls.head;
  f = rec->kids->next;   /* n: open above, a group follows */
  assert_false(f->range.hi.present || f->range.hi.expr);
  Decl *grp = f->next;
  assert_int_equal(grp->kind, DECL_GROUP);
  assert_false(grp->kids->range.hi.present || grp->kids->range.hi.expr);   /* acv */
  assert_int_equal(grp->kids->next->range.hi.expr->kind, AST_MUL);       /* t */
  assert_true(grp->kids->next->next->range.lo.present);                  /* c, then the brace */
  f = grp->next;         /* m: its high end is the name n, then a group */
  assert_int_equal(f->range.hi.expr->kind, AST_NAME);
  assert_int_equal(f->next->kind, DECL_GROUP);
  parsed_free(p);
  p = parse("record { id text key  a number in b.. , }");
  assert_false(p->ok);
  assert_string_equal(p->dl.head->msg, "unexpected ','");
  parsed_free(p);
  p = parse("record { id text key  rev money places }");
  assert_false(p->ok);
  assert_string_equal(p->dl.head->msg, "unexpected '}'");
  parsed_free(p);
  /* outputs: untyped, typed, a choice of their own, and a track's */
  p = parse("output g \"Gate\" = 1 > 0\noutput d date = 2025-01-01\n"
            "output s one of (lo, hi) = lo\ntrack t when true { output g = 2 }\n");
  assert_true(p->ok);
  Decl *g = p->ast.decls.head, *dd = g->next, *st = dd->next, *tr = st->next;
  assert_int_equal(g->kind, DECL_OUTPUT);
  assert_false(g->typed);
  assert_string_equal(g->title, "Gate");
  assert_true(dd->typed);
  assert_int_equal(dd->ftype, FT_DATE);
  assert_int_equal(dd->tok.n, 6);                        /* `output`, not the type word */
  assert_int_equal(dd->name2.n, 4);                      /* `date` */
  assert_true(st->typed && st->ftype == FT_ENUM && st->members && st->members->next);
  assert_int_equal(tr->kids->kind, DECL_OUTPUT);
  parsed_free(p);
}

/* text is a syntax error, whose message is msg (NULL: any). */
static void refused(const char *text, const char *msg) {
  Parsed *p = parse(text);
  assert_false(p->ok);
  if (msg) assert_string_equal(p->dl.head->msg, msg);
  parsed_free(p);
}

/* Groups, per-member declarations and aggregates keep their spelling in
   the tree (group.c expands them for the checker, never for fmt). */
static void repeated_groups(void **state) {
  (void)state;
  Parsed *p = parse("record { id text key\n group region (na, emea) columns \"{name}_{member}\" {\n"
                    "  acv money in $0..  certified count } }\n"
                    "let w per region = count(region where certified >= 2)\n"
                    "category c { points q \"Q\" 0..10 per region = acv / $1000 }\n"
                    "output o per region one of (lo, hi) = lo\n"
                    "let b = best(region by acv)\nlet a = all(points of c > 0)");
  assert_true(p->ok);
  Decl *rec = p->ast.decls.head, *g = rec->kids->next;
  assert_int_equal(g->kind, DECL_GROUP);
  assert_int_equal(g->name.n, 6);
  assert_string_equal(g->title, "{name}_{member}");
  assert_int_equal(g->members->next->tok.n, 4);   /* emea */
  assert_int_equal(g->kids->next->ftype, FT_COUNT);
  Decl *w = rec->next;
  assert_int_equal(w->per.n, 6);
  Node *e = w->expr;
  assert_int_equal(e->kind, AST_CALL);
  assert_int_equal(e->b->kind, AST_OVER);
  assert_int_equal(e->b->rowkind, OVER_WHERE);
  assert_int_equal(w->next->kids->per.n, 6);              /* the points */
  assert_true(w->next->kids->range.present);
  assert_int_equal(w->next->next->per.n, 6);              /* the output */
  assert_int_equal(w->next->next->ftype, FT_ENUM);
  Decl *b = w->next->next->next;
  assert_int_equal(b->expr->b->rowkind, OVER_BY);
  assert_int_equal(b->next->expr->b->a->kind, AST_POINTSOF);
  parsed_free(p);
  /* the words are checked */
  refused("record { grup region (na) { acv money } }", "unexpected 'grup'");
  refused("let w for region = 1", "unexpected 'for'");
  refused("let w = count(region when x)", NULL);
  refused("let w = count(region with x)", "unexpected 'with'");
  refused("let w = count(region wher x)", "unexpected 'wher'");
}

/* A lever's bound may name a param (a cap, a category's or track's range,
   a band row, `in LO..HI`); a field's range may not: `0..` and then the
   next field's name would read as one range. */
static void bounds_may_name_params(void **state) {
  (void)state;
  Parsed *p = parse("category c lo_c..hi_c { points p 0..cap = 1  points q floor.. = 2 }\n"
                    "track t 0..tcap when true { }\n"
                    "let x = band n { ..t1 => 0, ..50 => 1, ..t2 => 2 } + (if n in lo..5 then 1 else 0)\n");
  if (!p->ok) fail_msg("%s", p->dl.head ? p->dl.head->msg : "?");
  Decl *cat = p->ast.decls.head, *track = cat->next;
  Node *band = let_expr(p)->a;
  const Bound *named[] = {&cat->range.lo, &cat->range.hi, &cat->kids->range.hi, &cat->kids->next->range.lo,
                          &track->range.hi, &band->b->bound, &band->b->next->next->bound,
                          &let_expr(p)->b->a->range.lo};
  const char *names[] = {"lo_c", "hi_c", "cap", "floor", "tcap", "t1", "t2", "lo"};
  for (int i = 0; i < 8; i++) {
    assert_true(named[i]->present);
    assert_true(named[i]->named);
    assert_int_equal(named[i]->tok.n, (int)strlen(names[i]));
    assert_memory_equal(named[i]->tok.p, names[i], strlen(names[i]));
  }
  assert_false(cat->kids->range.lo.named);   /* 0 */
  assert_int_equal(cat->kids->range.lo.v, 0);
  assert_false(band->b->next->bound.named);   /* ..50 */
  assert_int_equal(band->b->next->bound.v, 50 * DEC_SCALE);
  assert_false(cat->kids->next->range.hi.present);   /* floor.. is open above */
  parsed_free(p);
  /* With `per GROUP` after it, a cap's name end is told from the word per
     by what follows per (parse.c); per stays a name elsewhere. */
  p = parse("category c {\n  points a 0..cap per region = acv\n  points b 0.. per region = acv\n"
            "  points d per region = acv\n}\nlet per = 3\nlet w per region = acv * per\n");
  if (!p->ok) fail_msg("%s", p->dl.head ? p->dl.head->msg : "?");
  Decl *a = p->ast.decls.head->kids, *b2 = a->next, *d = b2->next;
  assert_true(a->range.hi.named);
  assert_int_equal(a->per.n, 6);
  assert_false(b2->range.hi.present);
  assert_int_equal(b2->per.n, 6);
  assert_false(d->range.present);
  assert_int_equal(d->per.n, 6);
  parsed_free(p);
  /* A field's range is main's frange: a name there is an expression of
     other fields, not a lever (the checker refuses a param there: R0404). */
  p = parse("record { id text key  n count in 0..most }");
  assert_true(p->ok);
  assert_false(p->ast.decls.head->kids->next->range.hi.named);
  assert_non_null(p->ast.decls.head->kids->next->range.hi.expr);
  parsed_free(p);
  p = parse("record { id text key  n count in 0..\n  m count }");   /* open, then a field */
  assert_true(p->ok);
  parsed_free(p);
}

static void one_syntax_error_then_stop(void **state) {
  (void)state;
  Parsed *p = parse("category c {\n  points p = 1 +\n  points q = ) )\n}");
  assert_false(p->ok);
  assert_int_equal(p->dl.errors, 1);   /* no cascade */
  assert_int_equal(p->dl.head->code, R0105);
  assert_int_equal(p->dl.head->line, 3);
  assert_int_equal(p->dl.head->col, 3);
  assert_string_equal(p->dl.head->msg, "unexpected 'points'");
  parsed_free(p);
  p = parse("tiers { tier a when");
  assert_false(p->ok);
  assert_string_equal(p->dl.head->msg, "unexpected end of file");
  parsed_free(p);
}

static void deep_nesting_is_refused(void **state) {
  (void)state;
  size_t n = 5000;
  char *text = malloc(n * 2 + 32);
  strcpy(text, "let x = ");
  size_t len = strlen(text);
  for (size_t i = 0; i < n; i++) text[len++] = '(';
  text[len++] = '1';
  for (size_t i = 0; i < n; i++) text[len++] = ')';
  text[len] = '\0';
  Parsed *p = parse(text);
  assert_false(p->ok);
  assert_int_equal(p->dl.head->code, R0108);
  parsed_free(p);
  /* a long flat sum is deep too, as a tree */
  len = strlen(strcpy(text, "let x = 1"));
  for (size_t i = 0; i < 2000; i++) { text[len++] = '+'; text[len++] = '1'; }
  text[len] = '\0';
  p = parse(text);
  assert_false(p->ok);
  assert_int_equal(p->dl.head->code, R0108);
  parsed_free(p);
  free(text);
}

/* The first diagnostic of a program that must not parse, and its column. */
static void expect_refused(const char *text, int col, const char *hint) {
  Parsed *p = parse(text);
  if (p->ok) fail_msg("%s: parsed", text);
  assert_int_equal(p->dl.head->col, col);
  if (hint) assert_non_null(strstr(p->dl.head->hint, hint));
  parsed_free(p);
}

static void activities_windows_and_aggregates(void **state) {
  (void)state;
  /* a name after `in` is a window, unless `..` follows it */
  expect_tree("on in q and x in lo..hi", "(and (inwin on) (inrange x))");
  expect_tree("on in period", "(inwin on)");
  expect_tree("count(activity where kind = deal)", "(agg (= kind deal))");
  expect_tree("sum(amount of activity where on > d) + 1", "(+ (agg (> on d)) 1)");
  expect_tree("count(activity)", "(agg)");
  expect_tree("count(x)", "(call x)");
  expect_tree("period.end - 3 months", "(- (rundate) (months 3))");
  Parsed *p = parse("activity { partner text key  on date }\nwindow q = period.start to period.end\n"
                    "effective 2026-02-01\nperiod 12 months to as_of\n"
                    "test \"t\" { given { } activities { deal on 2025-01-01, cert\n won } expect { } }");
  assert_true(p->ok);
  const Decl *d = p->ast.decls.head;
  assert_int_equal(d->kind, DECL_ACTIVITY);
  assert_int_equal(d->next->kind, DECL_WINDOW);
  assert_int_equal(d->next->next->kind, DECL_EFFECTIVE);
  assert_int_equal(d->next->next->next->kind, DECL_PERIOD);
  assert_true(d->next->next->next->dotted);
  const Decl *t = d->next->next->next->next;
  /* three activities: a comma and a new line each start one */
  int rows = 0;
  for (const Node *r = t->acts; r; r = r->next) rows++;
  assert_int_equal(rows, 3);
  parsed_free(p);
  /* misspelt words say what was meant */
  expect_refused("activty { on date }", 1, "'activity { ... }'");
  expect_refused("windw q = a to b", 1, "window NAME");
  expect_refused("let x = sum(a of activties)", 18, "FIELD of activity");
  expect_refused("let x = sum(activity where a)", 9, "need a field");
  expect_refused("let x = period.middle", 16, "period.start");
  expect_refused("period 12 months to now", 21, "as_of");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(precedence_and_associativity),
      cmocka_unit_test(activities_windows_and_aggregates),
      cmocka_unit_test(if_else_takes_as_much_as_it_can),
      cmocka_unit_test(bands_keep_rows_in_order),
      cmocka_unit_test(declarations),
      cmocka_unit_test(repeated_groups),
      cmocka_unit_test(bounds_may_name_params),
      cmocka_unit_test(one_syntax_error_then_stop),
      cmocka_unit_test(deep_nesting_is_refused),
  };
  return cmocka_run_group_tests_name("parser", tests, NULL, NULL);
}

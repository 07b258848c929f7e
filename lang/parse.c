/*
** parse.c — drives the lexer into the Lemon parser for one source file,
** and the helpers the grammar's actions call.  Stops at the first syntax
** error (one clear message beats a cascade).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar.h"
#include "parse.h"

void *RubricParseAlloc(void *(*alloc)(size_t), ParseCtx *ctx);
void RubricParse(void *parser, int major, Tok minor);
void RubricParseFree(void *parser, void (*dealloc)(void *));

char *parse_text(ParseCtx *ctx, Tok t) {
  Node *n = ast_literal(ctx->ast, AST_STR, t);
  return n->str;
}

Decl *parse_floor(ParseCtx *ctx, Tok kw, Tok word, Tok name) {
  Decl *d = ast_decl(ctx->ast, DECL_TIERS, kw);
  if (word.n == 5 && memcmp(word.p, "floor", 5) == 0) {
    d->expr = ast_node(ctx->ast, AST_NAME, name);
    d->name2 = word;
  } else if (!ctx->failed) {
    ctx->failed = true;
    Diag *dg = diag_add(ctx->ast->diags, R0105, word.src, word.line, word.col, word.n, "unexpected '%.*s'",
                        word.n, word.p);
    diag_hint(dg, "a ladder is 'tiers { ... }', or 'tiers floor FIELD { ... }' to keep a held tier");
  }
  return d;
}

static bool word_is(Tok t, const char *w) { return (size_t)t.n == strlen(w) && memcmp(t.p, w, (size_t)t.n) == 0; }

Decl *parse_choose(ParseCtx *ctx, Tok a, Tok b, Tok c, const Tok *e, const Tok *f) {
  Decl *d = ast_decl(ctx->ast, DECL_CHOOSE, a);
  d->end = f ? f->p + f->n : c.p + c.n;
  d->ftype = f && word_is(*f, "last") ? TIES_LAST : TIES_FIRST;   /* without `, ties ...`: first */
  const Tok *bad = !word_is(a, "tracks") ? &a : !word_is(b, "best") ? &b : !word_is(c, "score") ? &c
                 : e && !word_is(*e, "ties") ? e : f && !word_is(*f, "first") && !word_is(*f, "last") ? f : NULL;
  if (bad && !ctx->failed) {
    ctx->failed = true;
    Diag *dg = diag_add(ctx->ast->diags, R0105, bad->src, bad->line, bad->col, bad->n, "unexpected '%.*s'",
                        bad->n, bad->p);
    diag_hint(dg, "to put each record on the track it scores best on, write "
                  "'tracks best score, ties first' (or 'ties last')");
  }
  return d;
}

/* A syntax error at a word that should have been another: what was meant. */
static void wrong_word(ParseCtx *ctx, Tok w, const char *hint) {
  if (ctx->failed) return;
  ctx->failed = true;
  Diag *dg = diag_add(ctx->ast->diags, R0105, w.src, w.line, w.col, w.n, "unexpected '%.*s'", w.n, w.p);
  diag_hint(dg, "%s", hint);
}

Decl *parse_group(ParseCtx *ctx, Tok word, Tok name, Node *members, const Tok *columns, const Tok *pattern) {
  Decl *d = ast_decl(ctx->ast, DECL_GROUP, word);
  d->name = name;
  d->members = members;
  if (!word_is(word, "group"))
    wrong_word(ctx, word, "a repeated group of fields is 'group NAME (member, ...) { fields }'");
  else if (columns && !word_is(*columns, "columns"))
    wrong_word(ctx, *columns, "a group may name its columns: 'group NAME (...) columns \"{member}_{name}\" { ... }'");
  if (pattern) {
    d->pattern = *pattern;
    d->title = parse_text(ctx, *pattern);
  }
  return d;
}

Decl *parse_per(ParseCtx *ctx, Decl *d, Tok per, Tok group) {
  if (!word_is(per, "per"))
    wrong_word(ctx, per, "one value per member of a group is written 'NAME per GROUP = ...'");
  d->per = group;
  return d;
}

Node *parse_over(ParseCtx *ctx, Tok fn, Tok group, const Tok *where, Node *e, Tok close) {
  if (where && word_is(group, "activity")) {   /* count(activity where ...) */
    if (!word_is(*where, "where"))
      wrong_word(ctx, *where, "count the activities that meet a condition with 'count(activity where CONDITION)'");
    else if (!word_is(fn, "count"))
      wrong_word(ctx, fn, "only count counts activities; sum, min, max and distinct need a field: "
                          "'sum(amount of activity where ...)'");
    Node *n = ast_close(ast_node(ctx->ast, AST_AGG, fn), close);
    n->rowkind = AGGK_COUNT;
    n->a = e;
    return parse_depth(ctx, n);
  }
  if (where && !word_is(*where, "where"))
    wrong_word(ctx, *where, "an aggregate over a group is 'count(GROUP where CONDITION)' or 'best(GROUP by VALUE)'");
  Node *over = ast_node(ctx->ast, AST_OVER, group);
  over->rowkind = where ? OVER_WHERE : OVER_BY;
  over->a = e;
  over->end = e->end;
  Node *call = ast_close(ast_node(ctx->ast, AST_CALL, fn), close);
  call->b = over;
  parse_depth(ctx, over);
  return parse_depth(ctx, call);
}

/* ---- activities ---------------------------------------------------------- */

Decl *parse_activity(ParseCtx *ctx, Tok word) {
  if (!word_is(word, "activity"))
    wrong_word(ctx, word, "a block of fields is 'record { ... }' or 'activity { ... }'");
  return ast_decl(ctx->ast, DECL_ACTIVITY, word);
}

Decl *parse_effective(ParseCtx *ctx, Tok word, Tok date) {
  if (!word_is(word, "effective"))
    wrong_word(ctx, word, "a version's first day is written 'effective 2026-02-01'");
  Decl *d = ast_decl(ctx->ast, DECL_EFFECTIVE, word);
  d->name = date;
  d->end = date.p + date.n;
  return d;
}

Decl *parse_window(ParseCtx *ctx, Tok word, Tok name, Node *from, Node *to) {
  if (!word_is(word, "window"))
    wrong_word(ctx, word, "a named span of dates is 'window NAME = START to END'");
  Decl *d = ast_decl(ctx->ast, DECL_WINDOW, word);
  d->name = name;
  d->expr = from;
  d->expr2 = to;
  d->end = to->end;
  return d;
}

Decl *parse_period_rel(ParseCtx *ctx, Tok kw, Tok months, Tok as_of) {
  if (!word_is(as_of, "as_of"))
    wrong_word(ctx, as_of, "a period relative to the assessment date is 'period 12 months to as_of'");
  Decl *d = ast_decl(ctx->ast, DECL_PERIOD, kw);
  d->name = months;
  d->date2 = as_of;
  d->dotted = true;
  d->end = as_of.p + as_of.n;
  return d;
}

/* The aggregate's function, as AggKindAst; -1 when it is none. */
static int agg_kind(Tok fn) {
  static const char *const names[] = {"count", "sum", "min", "max", "distinct"};
  for (int i = 0; i < 5; i++)
    if (word_is(fn, names[i])) return i;
  return -1;
}

Node *parse_agg(ParseCtx *ctx, Tok fn, Tok field, Tok activity, const Tok *where, Node *cond, Tok close) {
  if (!word_is(activity, "activity"))
    wrong_word(ctx, activity, "an aggregate of a field is 'sum(FIELD of activity where CONDITION)'");
  else if (where && !word_is(*where, "where"))
    wrong_word(ctx, *where, "an aggregate's condition follows 'where': 'sum(amount of activity where kind = deal)'");
  else if (agg_kind(fn) < 1)
    wrong_word(ctx, fn, "'FIELD of activity' is aggregated by sum, min, max or distinct");
  Node *n = ast_close(ast_node(ctx->ast, AST_AGG, fn), close);
  n->tok2 = field;
  n->a = cond;
  n->rowkind = (uint8_t)(agg_kind(fn) < 0 ? 0 : agg_kind(fn));
  return parse_depth(ctx, n);
}

Node *parse_count(ParseCtx *ctx, Tok fn, Node *args, Tok close) {
  if (args && !args->next && args->kind == AST_NAME && word_is(args->tok, "activity")) {
    Node *n = ast_close(ast_node(ctx->ast, AST_AGG, fn), close);
    n->rowkind = AGGK_COUNT;
    return n;
  }
  Node *e = ast_close(ast_node(ctx->ast, AST_CALL, fn), close);
  e->b = args;
  return parse_depth(ctx, e);
}

Node *parse_rundate(ParseCtx *ctx, Tok period, Tok member) {
  Node *n = ast_close(ast_node(ctx->ast, AST_RUNDATE, period), member);
  n->tok2 = member;
  n->num = word_is(member, "end") ? RUNDATE_END : RUNDATE_START;
  if (!word_is(member, "start") && !word_is(member, "end"))
    wrong_word(ctx, member, "the period's dates are 'period.start' and 'period.end'");
  return n;
}

Node *parse_inwin(ParseCtx *ctx, Node *a, Tok window) {
  Node *n = ast_postfix(ctx->ast, AST_INWIN, a, window);
  n->tok2 = window;
  return n;
}

/* Groups a test's activity items into one AST_ACTROW each: a new line
   or a comma starts the next activity. */
Node *parse_acts(ParseCtx *ctx, Tok word, Node *items) {
  if (!word_is(word, "activities"))
    wrong_word(ctx, word, "a test's activities are 'activities { deployment on 2025-03-01, ... }', before 'expect'");
  Node *box = ast_node(ctx->ast, AST_ACTROW, word);
  NodeList rows = {0}, cur = {0};
  int line = -1;
  for (Node *k = items, *next; k; k = next) {
    next = k->next;
    k->next = NULL;
    bool sep = k->kind == AST_ACTROW;
    if ((sep || k->tok.line != line) && cur.head) {
      Node *row = ast_node(ctx->ast, AST_ACTROW, cur.head->tok);
      row->b = cur.head;
      ast_list_add(&rows, row);
      cur.head = cur.tail = NULL;
    }
    if (sep) { line = -1; continue; }
    if (!cur.head) line = k->tok.line;
    ast_list_add(&cur, k);
  }
  if (cur.head) {
    Node *row = ast_node(ctx->ast, AST_ACTROW, cur.head->tok);
    row->b = cur.head;
    ast_list_add(&rows, row);
  }
  box->b = rows.head;
  return box;
}

void parse_test_acts(Decl *test, Node *acts) {
  if (!acts) return;
  test->acts = acts->b;
  test->acts_kw = acts->tok;
}

static int depth_of(const Node *n) { return n ? n->depth : 0; }

/* The checker and compiler recurse over expressions; bound their depth. */
Node *parse_depth(ParseCtx *ctx, Node *n) {
  int d = depth_of(n->a);
  if (depth_of(n->b) > d) d = depth_of(n->b);
  if (depth_of(n->c) > d) d = depth_of(n->c);
  for (Node *k = n->b; k; k = k->next)
    if (depth_of(k) > d) d = depth_of(k);
  n->depth = d + 1;
  if (n->depth > AST_MAX_DEPTH && !ctx->failed) {
    ctx->failed = true;
    diag_add(ctx->ast->diags, R0108, n->tok.src, n->tok.line, n->tok.col, n->tok.n,
             "expression nested more than %d deep", AST_MAX_DEPTH);
  }
  return n;
}

/* A field's range end: a literal (a number, an amount or a date, or one
   negated) is a Bound like a band's or a cap's; anything else is kept as
   an expression, which names other fields and is checked per record. */
Bound parse_field_bound(ParseCtx *ctx, Node *e) {
  (void)ctx;
  Bound b = {0};
  bool neg = e->kind == AST_NEG;
  const Node *lit = neg ? e->a : e;
  if (lit->kind == AST_NUM || lit->kind == AST_MONEY || (!neg && lit->kind == AST_DATE)) {
    b.present = true;
    b.kind = lit->kind == AST_NUM ? T_NUM : lit->kind == AST_MONEY ? T_MONEY : T_DATE;
    b.v = neg ? -lit->num : lit->num;
    b.tok = neg ? e->tok : lit->tok;
    if (neg) b.tok.n = (int)(e->end - e->tok.p);   /* from the minus sign */
    return b;
  }
  b.expr = e;
  b.tok = e->tok;
  return b;
}

const char *parse_range_end(const Range *r) {
  const Bound *b = r->hi.present || r->hi.expr ? &r->hi : NULL;
  if (!b) return r->tok.p + r->tok.n;
  return b->expr ? b->expr->end : b->tok.p + b->tok.n;
}

/* A keyword: a word the lexer did not return as a name. */
static bool is_keyword(int major, const Tok *t) {
  if (major == TK_IDENT || t->n < 1) return false;
  for (int i = 0; i < t->n; i++)
    if (!((t->p[i] >= 'a' && t->p[i] <= 'z') || t->p[i] == '_')) return false;
  return true;
}

/* Is a name expected where token t stands: a declaration's name, a fn's
   parameter, or a field at the start of a line of a record? */
static bool names_next(const ParseCtx *ctx, const Tok *t) {
  switch (ctx->prev) {
  case TK_LET: case TK_FN: case TK_PARAM: case TK_POINTS: case TK_CATEGORY: case TK_BADGE:
  case TK_BENEFIT: case TK_PAYOUT: case TK_OUTPUT: case TK_TRACK: case TK_TIER:
    return true;
  case TK_LPAREN: case TK_COMMA:
    return ctx->fn_state == 3;
  default:
    return ctx->record_brace && ctx->record_brace == ctx->braces && t->line > ctx->prev_line;
  }
}

void parse_syntax_error(ParseCtx *ctx, int major, const Tok *t) {
  if (ctx->failed) return;
  ctx->failed = true;
  if (major == TK_OPENEND) major = ctx->after_openend;   /* it stands where that token does */
  if (major == 0) {
    diag_add(ctx->ast->diags, R0105, ctx->src, t->line, t->col, 1, "unexpected end of file");
    return;
  }
  /* `points` may begin an expression (`points of C`), so in `1 +` then a
     new `points q = ...` the parser stops at q; the mistake is before
     `points`, as it was when `points` could only begin a declaration. */
  if (ctx->prev == TK_POINTS && major == TK_IDENT) t = &ctx->prev_tok;
  bool in_band = ctx->nbands > 0 && ctx->bands[ctx->nbands - 1] == ctx->braces;
  if (is_keyword(major, t) && names_next(ctx, t)) {
    Diag *d = diag_add(ctx->ast->diags, R0105, t->src, t->line, t->col, t->n,
                       "'%.*s' is a keyword, so it cannot be a name here", t->n, t->p);
    diag_hint(d, "choose another name, such as '%.*s_total' or 'my_%.*s' (docs/language.md lists the keywords)",
              t->n, t->p, t->n, t->p);
    return;
  }
  Diag *d = diag_add(ctx->ast->diags, R0105, t->src, t->line, t->col, t->n, "unexpected '%.*s'", t->n, t->p);
  if (in_band)
    diag_hint(d, "a band row is '..HI => VALUE' (up to and including HI), '..<HI => VALUE' "
                 "(below HI) or 'LO.. => VALUE' (LO and above), rising, and the last may be 'else => VALUE'");
}

/* Follows braces and bands, for parse_syntax_error's hints. */
static void track(ParseCtx *ctx, int code) {
  if (code == TK_BAND) ctx->band_next = true;
  if (code == TK_RECORD || (code == TK_IDENT && ctx->braces == 0 &&
                            word_is(ctx->tok, "activity")))
    ctx->record_next = true;
  else if (code != TK_LBRACE)
    ctx->record_next = false;   /* `activity` not followed by its block */
  if (code == TK_LBRACE) {
    ctx->braces++;
    if (ctx->band_next && ctx->nbands < (int)(sizeof ctx->bands / sizeof *ctx->bands))
      ctx->bands[ctx->nbands++] = ctx->braces;
    /* in a record, a brace that opens no band opens a group's fields */
    else if (ctx->record_brace && ctx->braces == ctx->record_brace + 1) ctx->group_brace = ctx->braces;
    if (ctx->record_next) ctx->record_brace = ctx->braces;
    ctx->band_next = ctx->record_next = false;
  }
  if (code == TK_RBRACE) {
    if (ctx->nbands && ctx->bands[ctx->nbands - 1] == ctx->braces) ctx->nbands--;
    if (ctx->record_brace == ctx->braces) ctx->record_brace = 0;
    if (ctx->group_brace == ctx->braces) ctx->group_brace = 0;
    ctx->braces--;
  }
  /* fn NAME ( params ): the states a parameter list goes through. */
  if (code == TK_FN) ctx->fn_state = 1;
  else if (ctx->fn_state == 1) ctx->fn_state = code == TK_IDENT ? 2 : 0;
  else if (ctx->fn_state == 2) ctx->fn_state = code == TK_LPAREN ? 3 : 0;
  else if (ctx->fn_state == 3 && code == TK_RPAREN) ctx->fn_state = 0;
}

/* Lemon's stack is full: only a program nested beyond the documented
   limits gets here (see %stack_size in grammar.y). */
void parse_overflow(ParseCtx *ctx) {
  if (ctx->failed) return;
  ctx->failed = true;
  const Tok *t = &ctx->tok;
  diag_add(ctx->ast->diags, R0108, t->src ? t->src : ctx->src, t->line, t->col, t->n ? t->n : 1,
           "program nested more than %d levels deep", AST_MAX_DEPTH);
}

/* Parentheses make no node of their own, so parse_depth does not see
   them: count them here, and refuse the one that opens level 1,001. */
static bool parens(ParseCtx *ctx, int code, const Tok *t) {
  if (code == TK_RPAREN && ctx->parens > 0) ctx->parens--;
  if (code != TK_LPAREN) return true;
  if (++ctx->parens <= AST_MAX_DEPTH) return true;
  ctx->failed = true;
  diag_add(ctx->ast->diags, R0108, t->src, t->line, t->col, t->n,
           "parentheses nested more than %d deep", AST_MAX_DEPTH);
  return false;
}

/* Tokens that can begin an expression: the first token of every `expr`
   rule of grammar.y (keep the two together). */
static bool starts_expr(int code) {
  switch (code) {
  case TK_NUMLIT: case TK_MONEYLIT: case TK_DATELIT: case TK_STRING: case TK_TRUE: case TK_FALSE:
  case TK_IDENT: case TK_LPAREN: case TK_MINUS: case TK_NOT: case TK_IF: case TK_BAND:
  case TK_TIER: case TK_UNSET: case TK_RECORD: case TK_PERIOD:
    return true;
  default:
    return false;
  }
}

/* Tokens that begin a field's type: a name before one is a field's. */
static bool starts_type(int code) {
  switch (code) {
  case TK_TEXT: case TK_NUMBER: case TK_MONEY: case TK_COUNT: case TK_INT: case TK_PERCENT:
  case TK_FLAG: case TK_DATE: case TK_ONE:
    return true;
  default:
    return false;
  }
}

/* Whether the parse stands where a record's fields are listed: in the
   record's braces, or in a group's among them. */
static bool among_fields(const ParseCtx *ctx) {
  return ctx->record_brace && (ctx->braces == ctx->record_brace || (ctx->group_brace && ctx->braces == ctx->group_brace));
}

/* Among a record's fields, after the `..` of a field's range: is its high
   end left open?  It is when what follows cannot start an expression
   (`key`, `}`, a comma), or begins the next field (a name, then a type:
   `next money`) or a group (two names, then a parenthesis: `group region
   (`); a name followed by anything else is the high end.  The grammar is
   told with an OPENEND token (grammar.y, frange).  The tokens after code
   are ahead[0..1], read ahead only as far as this needs, so the layout
   never matters. */
static bool high_end_open(const ParseCtx *ctx, int code, const int *ahead) {
  if (ctx->prev != TK_DOTDOT || !among_fields(ctx)) return false;
  if (code != TK_IDENT) return !starts_expr(code);
  return starts_type(ahead[0]) || (ahead[0] == TK_IDENT && ahead[1] == TK_LPAREN);
}

/* `per` begins `per GROUP` when a name and then `=`, `optional` or a
   field type follow it (`points p 0..100 per region = ...`): then the
   grammar gets PER, so that a cap's end may be a param's name (`0..cap
   per region`) and still not be read as `per`.  Anywhere else, and
   among a record's fields, it is a name.  ahead[0..1] as high_end_open's. */
static bool per_clause(const ParseCtx *ctx, int code, const Tok *t, const int *ahead) {
  return code == TK_IDENT && t->n == 3 && memcmp(t->p, "per", 3) == 0 && !among_fields(ctx) &&
         ahead[0] == TK_IDENT && (ahead[1] == TK_EQ || ahead[1] == TK_OPTIONAL || starts_type(ahead[1]));
}

bool parse_source(Ast *ast, Source *src) {
  ParseCtx ctx = {.ast = ast, .src = src};
  Lexer lx;
  lex_init(&lx, src, ast->diags);
  if (ast->keep_comments) lx.keep = ast;
  void *p = RubricParseAlloc(malloc, &ctx);
  if (!p) abort();
  /* Tokens read ahead (high_end_open): a queue of at most two; -2 is none. */
  Tok t, ahead_tok[2];
  int code, ahead[2] = {-2, -2}, nahead = 0;
  while (!ctx.failed) {
    if (nahead) {
      code = ahead[0];
      t = ahead_tok[0];
      ahead[0] = ahead[1];
      ahead_tok[0] = ahead_tok[1];
      ahead[1] = -2;
      nahead--;
    } else {
      code = lex_next(&lx, &t);
    }
    if (code < 0) { ctx.failed = true; break; }
    if (code == TK_IDENT && t.n == 3 && memcmp(t.p, "per", 3) == 0 && !among_fields(&ctx)) {
      /* two tokens more: `per GROUP =` (per_clause) */
      if (nahead == 0) ahead[nahead++] = lex_next(&lx, &ahead_tok[0]);
      if (ahead[0] == TK_IDENT && nahead == 1) ahead[nahead++] = lex_next(&lx, &ahead_tok[1]);
      if (ahead[0] < 0 || (nahead == 2 && ahead[1] < 0)) { ctx.failed = true; break; }
      if (per_clause(&ctx, code, &t, ahead)) code = TK_PER;
    }
    if (code == TK_IDENT && ctx.prev == TK_IN && !among_fields(&ctx)) {
      /* `x in NAME` names a window unless `..` follows: `x in lo..hi` */
      if (nahead == 0) ahead[nahead++] = lex_next(&lx, &ahead_tok[0]);
      if (ahead[0] < 0) { ctx.failed = true; break; }
      if (ahead[0] != TK_DOTDOT) code = TK_WNAME;
    }
    if (code == TK_IDENT && ctx.prev == TK_DOTDOT && among_fields(&ctx)) {
      /* one token more, and after a second name a third: `group NAME (` */
      if (nahead == 0) ahead[nahead++] = lex_next(&lx, &ahead_tok[0]);
      if (ahead[0] == TK_IDENT && nahead == 1) ahead[nahead++] = lex_next(&lx, &ahead_tok[1]);
      if (ahead[0] < 0 || (nahead == 2 && ahead[1] < 0)) { ctx.failed = true; break; }
    }
    if (high_end_open(&ctx, code, ahead)) {
      ctx.tok = t;
      ctx.after_openend = code;
      RubricParse(p, TK_OPENEND, t);
      if (ctx.failed) break;
    }
    if (!parens(&ctx, code, &t)) break;
    ctx.tok = t;
    RubricParse(p, code, t);
    if (code == 0) break;
    track(&ctx, code);
    ctx.prev = code;
    ctx.prev_line = t.line;
    ctx.prev_tok = t;
  }
  RubricParseFree(p, free);
  return !ctx.failed;
}

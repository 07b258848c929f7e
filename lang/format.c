/*
** format.c — one canonical layout for program text (fmt_).
**
** The formatter prints the syntax tree of one file back as text: two-space
** indentation, one declaration per line, record fields, keyed params and
** tiers in aligned columns, bands of four rows or more one row per line with
** their arrows aligned, parentheses only where precedence needs them, and
** lines over FMT_WIDTH broken after `=` or before `when`.  Comments come
** from the lexer and go back where they were: on their own line before the
** item they preceded, or at the end of the line they ended.  Blank lines
** between items are kept (at most one).  The output parses to the same tree,
** and formatting it again changes nothing; the test suite checks both on
** every program.  Nothing here checks names or types.
*/
#include "format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* Lines longer than this are broken where the layout allows. */
#define FMT_WIDTH 100
/* Bands with at least this many rows (else included) get a line per row. */
#define FMT_BAND_ROWS 4

typedef struct Fmt {
  FILE *out;
  const Ast *ast;
  const Source *src;
  const char **line_start;   /* line_start[l]: first byte of line l (1-based) */
  int nlines;
  int ci;                    /* next comment to print */
  int last_line;             /* source line of the last thing printed */
  bool block_start;          /* just opened a block: no blank line */
} Fmt;

/* ---- source positions ----------------------------------------------------- */

static int line_of(const Fmt *f, const char *p) {
  int lo = 1, hi = f->nlines;
  while (lo < hi) {
    int mid = (lo + hi + 1) / 2;
    if (f->line_start[mid] <= p) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

static const char *decl_end(const Decl *d) {
  if (d->end) return d->end;
  if (d->expr) return d->expr->end;
  return d->tok.p + d->tok.n;
}

/* ---- expressions ------------------------------------------------------------ */

enum { P_IF = 1, P_OR, P_AND, P_NOT, P_CMP, P_ADD, P_MUL, P_DEFAULT, P_NEG, P_POSTFIX, P_PRIMARY };

static int prec(const Node *n) {
  switch (n->kind) {
  case AST_IF: return P_IF;
  case AST_OR: return P_OR;
  case AST_AND: return P_AND;
  case AST_NOT: return P_NOT;
  case AST_EQ: case AST_NE: case AST_LT: case AST_LE: case AST_GT: case AST_GE:
  case AST_IN: case AST_INRANGE: case AST_ISSET: return P_CMP;
  case AST_ADD: case AST_SUB: return P_ADD;
  case AST_MUL: case AST_DIV: return P_MUL;
  case AST_DEFAULT: return P_DEFAULT;
  case AST_NEG: return P_NEG;
  case AST_DAYS: case AST_MONTHS: return P_POSTFIX;
  default: return P_PRIMARY;
  }
}

static void quoted(FILE *out, const char *s) {
  putc('"', out);
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') { putc('\\', out); putc(*s, out); }
    else if (*s == '\n') fputs("\\n", out);
    else if (*s == '\t') fputs("\\t", out);
    else putc(*s, out);
  }
  putc('"', out);
}

static void tok(FILE *out, Tok t) { fwrite(t.p, 1, (size_t)t.n, out); }

static void bound(FILE *out, const Bound *b) {
  if (b->present) tok(out, b->tok);
}

static void range(FILE *out, const Range *r) {
  bound(out, &r->lo);
  fputs("..", out);
  bound(out, &r->hi);
}

static void expr(FILE *out, const Node *n, int min);

static void band_row_head(FILE *out, const Node *row) {
  fputs("..", out);
  bound(out, &row->bound);
}

static void expr(FILE *out, const Node *n, int min) {
  int p = prec(n);
  bool paren = p < min;
  if (paren) putc('(', out);
  static const char *const ops[AST__COUNT] = {
      [AST_ADD] = " + ", [AST_SUB] = " - ", [AST_MUL] = " * ", [AST_DIV] = " / ",
      [AST_EQ] = " = ", [AST_NE] = " != ", [AST_LT] = " < ", [AST_LE] = " <= ",
      [AST_GT] = " > ", [AST_GE] = " >= ", [AST_AND] = " and ", [AST_OR] = " or ",
      [AST_DEFAULT] = " default "};
  switch (n->kind) {
  case AST_NUM: case AST_MONEY: case AST_DATE: case AST_NAME: case AST_BOOL:
  case AST_ENUMLIT:   /* a choice member, as the checker resolved a name (or text) */
    tok(out, n->tok);
    break;
  case AST_STR: quoted(out, n->str); break;
  case AST_DOT: tok(out, n->tok); putc('.', out); tok(out, n->tok2); break;
  case AST_NEG: putc('-', out); expr(out, n->a, P_NEG); break;
  case AST_NOT: fputs("not ", out); expr(out, n->a, P_NOT); break;
  case AST_ADD: case AST_SUB: case AST_MUL: case AST_DIV: case AST_AND: case AST_OR:
  case AST_DEFAULT:
    expr(out, n->a, p);
    fputs(ops[n->kind], out);
    expr(out, n->b, p + 1);
    break;
  case AST_EQ: case AST_NE: case AST_LT: case AST_LE: case AST_GT: case AST_GE:
    expr(out, n->a, p + 1);
    fputs(ops[n->kind], out);
    expr(out, n->b, p + 1);
    break;
  case AST_IF:
    fputs("if ", out);
    expr(out, n->a, P_IF);
    fputs(" then ", out);
    expr(out, n->b, P_IF);
    fputs(" else ", out);
    expr(out, n->c, P_IF);
    break;
  case AST_BAND:
    fputs("band ", out);
    expr(out, n->a, P_IF);
    fputs(" { ", out);
    for (const Node *r = n->b; r; r = r->next) {
      band_row_head(out, r);
      fputs(" => ", out);
      expr(out, r->a, P_IF);
      if (r->next || n->c) fputs(", ", out);
    }
    if (n->c) { fputs("else => ", out); expr(out, n->c, P_IF); }
    fputs(" }", out);
    break;
  case AST_IN:
    expr(out, n->a, P_CMP + 1);
    fputs(" in (", out);
    for (const Node *e = n->b; e; e = e->next) {
      expr(out, e, P_IF);
      if (e->next) fputs(", ", out);
    }
    putc(')', out);
    break;
  case AST_INRANGE:
    expr(out, n->a, P_CMP + 1);
    fputs(" in ", out);
    range(out, &n->range);
    break;
  case AST_ISSET: expr(out, n->a, P_CMP + 1); fputs(" is set", out); break;
  case AST_DAYS: case AST_MONTHS: {
    expr(out, n->a, P_PRIMARY);
    bool one = n->a->kind == AST_NUM && n->a->num == DEC_SCALE;
    fputs(n->kind == AST_DAYS ? (one ? " day" : " days") : (one ? " month" : " months"), out);
    break;
  }
  case AST_CALL:
    tok(out, n->tok);
    putc('(', out);
    for (const Node *a = n->b; a; a = a->next) {
      expr(out, a, P_IF);
      if (a->next) fputs(", ", out);
    }
    putc(')', out);
    break;
  default: break;
  }
  if (paren) putc(')', out);
}

void fmt_expr(FILE *out, const Node *n) { expr(out, n, P_IF); }

/* An expression as text (malloc'd). */
static char *expr_text(const Node *n) {
  char *s = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&s, &len);
  if (!m) abort();
  expr(m, n, P_IF);
  fclose(m);
  return s;
}

static int rows_of(const Node *band) {
  int k = band->c != NULL;
  for (const Node *r = band->b; r; r = r->next) k++;
  return k;
}

/* A band of many rows: one row per line, arrows aligned. */
static void band_block(Fmt *f, const Node *n, int indent) {
  fputs("band ", f->out);
  expr(f->out, n->a, P_IF);
  fputs(" {\n", f->out);
  int width = 4;   /* "else" */
  for (const Node *r = n->b; r; r = r->next) {
    int w = 2 + (r->bound.present ? r->bound.tok.n : 0);
    if (w > width) width = w;
  }
  for (const Node *r = n->b; r; r = r->next) {
    int w = 2 + r->bound.tok.n;
    fprintf(f->out, "%*s", indent + 2, "");
    band_row_head(f->out, r);
    fprintf(f->out, "%*s => ", width - w, "");
    expr(f->out, r->a, P_IF);
    fputs(r->next || n->c ? ",\n" : "\n", f->out);
  }
  if (n->c) {
    fprintf(f->out, "%*selse%*s => ", indent + 2, "", width - 4, "");
    expr(f->out, n->c, P_IF);
    putc('\n', f->out);
  }
  fprintf(f->out, "%*s}", indent, "");
}

/* ---- comments and blank lines ------------------------------------------------- */

static const Comment *comment(const Fmt *f, int i) {
  return i < f->ast->ncomments ? &f->ast->comments[i] : NULL;
}

/* A blank line before what starts at source line `line`, if the source had one. */
static void gap(Fmt *f, int line) {
  if (!f->block_start && f->last_line && line > f->last_line + 1) putc('\n', f->out);
  f->block_start = false;
}

/* Comments on their own lines before source line `line`. */
static void leading(Fmt *f, int line, int indent) {
  const Comment *c;
  while ((c = comment(f, f->ci)) && c->tok.line < line) {
    if (c->own_line) {
      gap(f, c->tok.line);
      fprintf(f->out, "%*s", indent, "");
      tok(f->out, c->tok);
      putc('\n', f->out);
    }
    /* A comment that followed code on a line we printed is emitted by
       trailing(); one we could not place stays before the next item. */
    else {
      fprintf(f->out, "%*s", indent, "");
      tok(f->out, c->tok);
      putc('\n', f->out);
    }
    f->last_line = c->tok.line;
    f->ci++;
  }
}

/* The comment at the end of source line `line` (after `pad` more spaces,
   to line comments up), then the newline. */
static void trailing_pad(Fmt *f, int line, int pad) {
  const Comment *c = comment(f, f->ci);
  if (c && c->tok.line == line && !c->own_line) {
    fprintf(f->out, "%*s  ", pad, "");
    tok(f->out, c->tok);
    f->ci++;
  }
  putc('\n', f->out);
  if (line > f->last_line) f->last_line = line;
}

static void trailing(Fmt *f, int line) { trailing_pad(f, line, 0); }

/* Own-line comments inside [from, to) lines: true if there are any. */
static bool comments_between(const Fmt *f, int from, int to) {
  for (int i = f->ci; i < f->ast->ncomments; i++) {
    const Comment *c = &f->ast->comments[i];
    if (c->tok.line >= to) break;
    if (c->tok.line >= from) return true;
  }
  return false;
}

/* ---- items ---------------------------------------------------------------------- */

/* `HEAD = EXPR` or `HEAD when EXPR`: on one line when it fits, else the
   expression on the next line, two deeper, after any comments that stood
   between the two in the source. */
static void headed(Fmt *f, const char *head, const char *joiner, const Node *e, int indent,
                   const Decl *d) {
  char *text = expr_text(e);
  bool band = e->kind == AST_BAND && rows_of(e) >= FMT_BAND_ROWS;
  int head_line = d->tok.line, expr_line = e->tok.line;
  bool inner_comments = comments_between(f, head_line, expr_line);
  bool fits = indent + strlen(head) + strlen(joiner) + 2 + strlen(text) <= FMT_WIDTH;
  fprintf(f->out, "%*s%s", indent, "", head);
  bool when = strcmp(joiner, "when") == 0;
  if (fits && !band && !inner_comments) {
    fprintf(f->out, " %s %s", joiner, text);
  } else if (when) {
    putc('\n', f->out);
    f->last_line = head_line;
    leading(f, expr_line, indent + 2);
    fprintf(f->out, "%*swhen ", indent + 2, "");
    if (band) band_block(f, e, indent + 2);
    else fputs(text, f->out);
  } else {
    fprintf(f->out, " %s\n", joiner);
    f->last_line = head_line;
    leading(f, expr_line, indent + 2);
    fprintf(f->out, "%*s", indent + 2, "");
    if (band) band_block(f, e, indent + 2);
    else fputs(text, f->out);
  }
  free(text);
  trailing(f, line_of(f, decl_end(d)));
}

static char *head_text(const char *kw, const Decl *d, bool range_too) {
  char *s = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&s, &len);
  if (!m) abort();
  fprintf(m, "%s ", kw);
  tok(m, d->name);
  if (d->title) { putc(' ', m); quoted(m, d->title); }
  if (range_too && d->range.present) { putc(' ', m); range(m, &d->range); }
  fclose(m);
  return s;
}

static void item(Fmt *f, const Decl *d, int indent);

/* A block's items, then its closing brace where the source had it. */
static void block_items(Fmt *f, const Decl *kids, const Decl *owner, int indent) {
  f->block_start = true;
  for (const Decl *k = kids; k; k = k->next) item(f, k, indent + 2);
  int close = line_of(f, decl_end(owner));
  leading(f, close, indent + 2);
  fprintf(f->out, "%*s}", indent, "");
  trailing(f, close);
}

static const char *type_name(const Decl *d, char *buf, size_t n) {
  static const char *const names[] = {"text", "number", "money", "count", "percent", "flag", "date"};
  if (d->ftype != FT_ENUM) return names[d->ftype];
  size_t len = (size_t)snprintf(buf, n, "one of (");
  for (const Node *m = d->members; m && len < n; m = m->next)
    len += (size_t)snprintf(buf + len, n - len, "%.*s%s", m->tok.n, m->tok.p, m->next ? ", " : ")");
  return buf;
}

static void record(Fmt *f, const Decl *d, int indent) {
  fprintf(f->out, "%*srecord {", indent, "");
  trailing(f, d->tok.line);
  f->block_start = true;
  int nw = 0, tw = 0;
  char buf[4096];
  for (const Decl *k = d->kids; k; k = k->next) {
    if (k->name.n > nw) nw = k->name.n;
    int t = (int)strlen(type_name(k, buf, sizeof buf));
    if (k->key || k->optional || k->range.present) {
      if (t > tw) tw = t;
    }
  }
  /* Each field's line first, so trailing comments can line up. */
  int nfields = 0, width = 0, ci = f->ci;
  for (const Decl *k = d->kids; k; k = k->next) nfields++;
  char **lines = calloc((size_t)nfields + 1, sizeof *lines);
  if (!lines) abort();
  int i = 0;
  for (const Decl *k = d->kids; k; k = k->next, i++) {
    size_t len = 0;
    FILE *m = open_memstream(&lines[i], &len);
    if (!m) abort();
    const char *t = type_name(k, buf, sizeof buf);
    bool mods = k->key || k->optional || k->range.present;
    fprintf(m, "%*s%.*s%*s %s", indent + 2, "", k->name.n, k->name.p, nw - k->name.n, "", t);
    if (mods) fprintf(m, "%*s", tw - (int)strlen(t), "");
    if (k->key) fputs(" key", m);
    if (k->optional) fputs(" optional", m);
    if (k->range.present) { fputs(" in ", m); range(m, &k->range); }
    fclose(m);
    /* Whether the printing below puts a comment after this line: it takes
       the comments before the field's first line, then at most one that
       ends its last line.  Follow it exactly, or a field split over lines
       makes the alignment differ from one formatting to the next. */
    const Comment *c;
    while ((c = comment(f, ci)) && c->tok.line < k->name.line) ci++;
    if ((c = comment(f, ci)) && c->tok.line == line_of(f, decl_end(k)) && !c->own_line) {
      ci++;
      if ((int)len > width) width = (int)len;
    }
  }
  i = 0;
  for (const Decl *k = d->kids; k; k = k->next, i++) {
    leading(f, k->name.line, indent + 2);
    gap(f, k->name.line);
    fputs(lines[i], f->out);
    int pad = width - (int)strlen(lines[i]);
    trailing_pad(f, line_of(f, decl_end(k)), pad > 0 ? pad : 0);
    free(lines[i]);
  }
  free(lines);
  int close = line_of(f, decl_end(d));
  leading(f, close, indent + 2);
  fprintf(f->out, "%*s}", indent, "");
  trailing(f, close);
}

/* `NAME = VALUE` entries: on one line inside `{ }` when they fit, else one
   per line with the `=` aligned. */
static void entries(Fmt *f, const char *head, const Decl *kids, const Decl *owner, int indent,
                    bool force_lines) {
  char *line = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&line, &len);
  if (!m) abort();
  fprintf(m, "%s {", head);
  int nw = 0;
  for (const Decl *e = kids; e; e = e->next) {
    int w = e->name.n + (e->dotted ? 1 + e->name2.n : 0);
    if (w > nw) nw = w;
    fputs(e == kids ? " " : ", ", m);
    tok(m, e->name);
    if (e->dotted) { putc('.', m); tok(m, e->name2); }
    fputs(" = ", m);
    expr(m, e->expr, P_IF);
  }
  fputs(kids ? " }" : "}", m);
  fclose(m);
  int close = line_of(f, decl_end(owner));
  if (!force_lines && indent + len <= FMT_WIDTH && !comments_between(f, owner->tok.line, close + 1)) {
    fprintf(f->out, "%*s%s", indent, "", line);
    free(line);
    trailing(f, close);
    return;
  }
  free(line);
  fprintf(f->out, "%*s%s {\n", indent, "", head);
  f->last_line = owner->tok.line;
  f->block_start = true;
  for (const Decl *e = kids; e; e = e->next) {
    leading(f, e->name.line, indent + 2);
    gap(f, e->name.line);
    int w = e->name.n + (e->dotted ? 1 + e->name2.n : 0);
    fprintf(f->out, "%*s", indent + 2, "");
    tok(f->out, e->name);
    if (e->dotted) { putc('.', f->out); tok(f->out, e->name2); }
    fprintf(f->out, "%*s = ", nw - w, "");
    expr(f->out, e->expr, P_IF);
    trailing(f, line_of(f, e->expr->end));
  }
  leading(f, close, indent + 2);
  fprintf(f->out, "%*s}", indent, "");
  trailing(f, close);
}

static void tiers(Fmt *f, const Decl *d, int indent) {
  fprintf(f->out, "%*stiers {", indent, "");
  trailing(f, d->tok.line);
  f->block_start = true;
  int nw = 0, tw = 0;
  for (const Decl *t = d->kids; t; t = t->next) {
    if (t->name.n > nw) nw = t->name.n;
    int w = t->title ? (int)strlen(t->title) + 2 : 0;
    if (w > tw) tw = w;
  }
  for (const Decl *t = d->kids; t; t = t->next) {
    leading(f, t->tok.line, indent + 2);
    gap(f, t->tok.line);
    char *head = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&head, &len);
    if (!m) abort();
    fputs("tier ", m);
    tok(m, t->name);
    fprintf(m, "%*s", nw - t->name.n, "");
    if (tw) {
      putc(' ', m);
      int w = 0;
      if (t->title) { quoted(m, t->title); w = (int)strlen(t->title) + 2; }
      fprintf(m, "%*s", tw - w, "");
    }
    fclose(m);
    headed(f, head, "when", t->expr, indent + 2, t);
    free(head);
  }
  int close = line_of(f, decl_end(d));
  leading(f, close, indent + 2);
  fprintf(f->out, "%*s}", indent, "");
  trailing(f, close);
}

/* `given { a = 1, b = 2, ... }` filled to the width, continuing under the
   first entry. */
static void filled(Fmt *f, const char *kw, const Decl *kids, int indent) {
  int col = indent + (int)strlen(kw) + 3;
  fprintf(f->out, "%*s%s {", indent, "", kw);
  int at = col - 1;
  for (const Decl *e = kids; e; e = e->next) {
    char *s = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&s, &len);
    if (!m) abort();
    tok(m, e->name);
    if (e->dotted) { putc('.', m); tok(m, e->name2); }
    fputs(" = ", m);
    expr(m, e->expr, P_IF);
    if (e->next) putc(',', m);
    fclose(m);
    if (e != kids && at + 1 + (int)len > FMT_WIDTH) {
      fprintf(f->out, "\n%*s", col, "");
      at = col;
    } else {
      putc(' ', f->out);
      at++;
    }
    fputs(s, f->out);
    at += (int)len;
    free(s);
  }
  fputs(kids ? " }\n" : " }\n", f->out);
}

static void test(Fmt *f, const Decl *d, int indent) {
  fprintf(f->out, "%*stest ", indent, "");
  quoted(f->out, d->title);
  fputs(" {\n", f->out);
  f->last_line = d->tok.line;
  f->block_start = true;
  /* Comments inside a test go before its parts. */
  int close = line_of(f, decl_end(d));
  leading(f, close, indent + 2);
  f->block_start = false;
  filled(f, "given", d->given, indent + 2);
  if (d->with) filled(f, "with", d->with, indent + 2);
  if (d->dotted) {
    fprintf(f->out, "%*sexpect ", indent + 2, "");
    tok(f->out, d->name2);
    putc(' ', f->out);
    tok(f->out, d->date2);
    putc('\n', f->out);
  } else {
    filled(f, "expect", d->expect, indent + 2);
  }
  fprintf(f->out, "%*s}", indent, "");
  trailing(f, close);
}

static void item(Fmt *f, const Decl *d, int indent) {
  int line = d->tok.line;
  leading(f, line, indent);
  gap(f, line);
  FILE *out = f->out;
  char *head;
  switch (d->kind) {
  case DECL_PROGRAM: case DECL_VERSION: case DECL_IMPORT:
    fprintf(out, "%*s%s ", indent, "", d->kind == DECL_PROGRAM ? "program" :
                                       d->kind == DECL_VERSION ? "version" : "import");
    quoted(out, d->title);
    trailing(f, line_of(f, decl_end(d)));
    break;
  case DECL_CURRENCY:
    fprintf(out, "%*scurrency ", indent, "");
    tok(out, d->name);
    trailing(f, line);
    break;
  case DECL_PERIOD:
    fprintf(out, "%*speriod ", indent, "");
    tok(out, d->name);
    fputs(" to ", out);
    tok(out, d->date2);
    trailing(f, line_of(f, decl_end(d)));
    break;
  case DECL_RECORD: record(f, d, indent); break;
  case DECL_PARAM: {
    head = head_text("param", d, false);
    headed(f, head, "=", d->expr, indent, d);
    free(head);
    break;
  }
  case DECL_PARAM_BY: {
    char *h = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&h, &len);
    if (!m) abort();
    fputs("param ", m);
    tok(m, d->name);
    fputs(" by ", m);
    tok(m, d->name2);
    fclose(m);
    entries(f, h, d->kids, d, indent, true);
    free(h);
    break;
  }
  case DECL_LET: case DECL_PAYOUT: case DECL_POINTS:
    head = head_text(d->kind == DECL_LET ? "let" : d->kind == DECL_PAYOUT ? "payout" : "points", d,
                     d->kind == DECL_POINTS);
    headed(f, head, "=", d->expr, indent, d);
    free(head);
    break;
  case DECL_BADGE:
    head = head_text("badge", d, false);
    headed(f, head, "when", d->expr, indent, d);
    free(head);
    break;
  case DECL_FN: {
    char *h = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&h, &len);
    if (!m) abort();
    fputs("fn ", m);
    tok(m, d->name);
    putc('(', m);
    for (const Node *p = d->params; p; p = p->next) {
      tok(m, p->tok);
      if (p->next) fputs(", ", m);
    }
    putc(')', m);
    fclose(m);
    headed(f, h, "=", d->expr, indent, d);
    free(h);
    break;
  }
  case DECL_CATEGORY:
    head = head_text("category", d, true);
    if (!d->kids && !comments_between(f, line, line_of(f, decl_end(d)) + 1)) {
      fprintf(out, "%*s%s { }", indent, "", head);
      trailing(f, line_of(f, decl_end(d)));
    } else {
      fprintf(out, "%*s%s {", indent, "", head);
      trailing(f, line);
      block_items(f, d->kids, d, indent);
    }
    free(head);
    break;
  case DECL_TIERS: tiers(f, d, indent); break;
  case DECL_TRACK: {
    head = head_text("track", d, true);
    char *cond = expr_text(d->expr);
    if (indent + strlen(head) + 6 + strlen(cond) + 2 <= FMT_WIDTH && d->expr->tok.line == line)
      fprintf(out, "%*s%s when %s {", indent, "", head, cond);
    else
      fprintf(out, "%*s%s\n%*swhen %s {", indent, "", head, indent + 4, "", cond);
    trailing(f, d->expr->tok.line);
    block_items(f, d->kids, d, indent);
    free(cond);
    free(head);
    break;
  }
  case DECL_USES:
    fprintf(out, "%*suses ", indent, "");
    for (const Node *m = d->members; m; m = m->next) {
      tok(out, m->tok);
      if (m->next) fputs(", ", out);
    }
    trailing(f, line_of(f, decl_end(d)));
    break;
  case DECL_BENEFIT:
    head = head_text("benefit", d, false);
    entries(f, head, d->kids, d, indent, false);
    free(head);
    break;
  case DECL_TEST: test(f, d, indent); break;
  default: break;
  }
}

char *fmt_source(const char *name, const char *text, size_t len, DiagList *dl) {
  Ast ast;
  ast_init(&ast, dl);
  ast.keep_comments = true;
  Source *src = ast_source(&ast, name, text, len);
  if (!parse_source(&ast, src)) {
    ast_free(&ast);
    return NULL;
  }
  Fmt f = {.ast = &ast, .src = src};
  /* Line starts, for positions of pointers into the text. */
  f.nlines = 1;
  for (size_t i = 0; i < src->len; i++) f.nlines += src->text[i] == '\n';
  f.line_start = malloc(sizeof(char *) * (size_t)(f.nlines + 2));
  if (!f.line_start) abort();
  f.line_start[1] = src->text;
  for (size_t i = 0, l = 1; i < src->len; i++)
    if (src->text[i] == '\n') f.line_start[++l] = src->text + i + 1;
  char *out = NULL;
  size_t outlen = 0;
  f.out = open_memstream(&out, &outlen);
  if (!f.out) abort();
  f.block_start = true;
  for (const Decl *d = ast.decls.head; d; d = d->next) item(&f, d, 0);
  leading(&f, f.nlines + 1, 0);
  fclose(f.out);
  free(f.line_start);
  ast_free(&ast);
  return out;
}

/*
** format.c — one canonical layout for program text (fmt_).
**
** The formatter prints the syntax tree of one file back as text: two-space
** indentation, one declaration per line, record fields, keyed params and
** tiers in columns aligned per group of lines, bands of four rows or more
** one row per line with their arrows aligned, parentheses only where
** precedence needs them, and no line over FMT_WIDTH columns where a break
** is possible: a declaration breaks after `=` or before `when`, a long
** expression at its lowest-precedence operators first (see "layout" below).
** Comments come from the lexer and go back where they were: on their own
** line before the item they preceded, or at the end of the line they ended,
** inside a broken expression too; comments ending consecutive lines are
** lined up (align_comments).  Blank lines between items are kept (at
** most one).  The output parses to the same tree, and formatting it again
** changes nothing; the test suite checks both on every program, and the
** property test on generated ones.  Nothing here checks names or types.
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
  long *marks;               /* where in the output a line's code ends and its
                                comment follows, for align_comments() */
  int nmarks, capmarks;
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
  case AST_IN: case AST_INRANGE: case AST_ISSET: case AST_INWIN: return P_CMP;
  case AST_ADD: case AST_SUB: return P_ADD;
  case AST_MUL: case AST_DIV: return P_MUL;
  case AST_DEFAULT: return P_DEFAULT;
  case AST_NEG: return P_NEG;
  case AST_DAYS: case AST_MONTHS: return P_POSTFIX;
  default: return P_PRIMARY;
  }
}

/* The binary operators' words. */
static const char *const ops[AST__COUNT] = {
    [AST_ADD] = "+", [AST_SUB] = "-", [AST_MUL] = "*", [AST_DIV] = "/",
    [AST_EQ] = "=", [AST_NE] = "!=", [AST_LT] = "<", [AST_LE] = "<=",
    [AST_GT] = ">", [AST_GE] = ">=", [AST_AND] = "and", [AST_OR] = "or",
    [AST_DEFAULT] = "default"};

/* A memory stream; running out of memory aborts, as everywhere here. */
static FILE *mem(char **s, size_t *len) {
  *s = NULL;
  *len = 0;
  FILE *m = open_memstream(s, len);
  if (!m) abort();
  return m;
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

static void expr(FILE *out, const Node *n, int min);

/* A literal as written, or a field's range end that names other fields. */
static void bound(FILE *out, const Bound *b) {
  if (b->present) tok(out, b->tok);
  else if (b->expr) expr(out, b->expr, P_IF);
}

static void range(FILE *out, const Range *r) {
  bound(out, &r->lo);
  fputs("..", out);
  bound(out, &r->hi);
}

void fmt_band_row_head(FILE *out, const Node *row) {
  if (row->rowkind == ROW_FROM) {
    bound(out, &row->bound);
    fputs("..", out);
  } else {
    fputs(row->rowkind == ROW_BELOW ? "..<" : "..", out);
    bound(out, &row->bound);
  }
}

static void expr(FILE *out, const Node *n, int min) {
  int p = prec(n);
  bool paren = p < min;
  if (paren) putc('(', out);
  switch (n->kind) {
  case AST_NAME:
    if (n->rowkind == 1) fputs("record.", out);   /* the partner's field, in an aggregate */
    tok(out, n->tok);
    break;
  case AST_NUM: case AST_MONEY: case AST_DATE: case AST_BOOL:
  case AST_ENUMLIT:   /* a choice member, as the checker resolved a name (or text) */
    tok(out, n->tok);
    break;
  case AST_AGG:   /* sum(amount of activity where ...) */
    tok(out, n->tok);
    putc('(', out);
    if (n->tok2.n) { tok(out, n->tok2); fputs(" of ", out); }
    fputs("activity", out);
    if (n->a) { fputs(" where ", out); expr(out, n->a, P_IF); }
    putc(')', out);
    break;
  case AST_RUNDATE:
    fputs(n->num == RUNDATE_AS_OF ? "as_of" : n->num == RUNDATE_START ? "period.start" : "period.end", out);
    break;
  case AST_INWIN:
    expr(out, n->a, P_CMP + 1);
    fputs(" in ", out);
    tok(out, n->tok2);
    break;
  case AST_STR: quoted(out, n->str); break;
  case AST_DOT: tok(out, n->tok); putc('.', out); tok(out, n->tok2); break;
  case AST_TIERVAL: fputs("tier", out); break;
  case AST_UNSET: fputs("unset", out); break;
  case AST_OVER:   /* an aggregate's argument: region where certified >= 2 */
    tok(out, n->tok);
    fputs(n->rowkind == OVER_BY ? " by " : " where ", out);
    expr(out, n->a, P_IF);
    break;
  case AST_POINTSOF: fputs("points of ", out); tok(out, n->tok); break;
  case AST_TIERLIT:   /* as written: gold, or reseller.gold */
    tok(out, n->tok);
    if (n->tok2.n) { putc('.', out); tok(out, n->tok2); }
    break;
  case AST_NEG: putc('-', out); expr(out, n->a, P_NEG); break;
  case AST_NOT: fputs("not ", out); expr(out, n->a, P_NOT); break;
  case AST_ADD: case AST_SUB: case AST_MUL: case AST_DIV: case AST_AND: case AST_OR:
  case AST_DEFAULT:
    expr(out, n->a, p);
    fprintf(out, " %s ", ops[n->kind]);
    expr(out, n->b, p + 1);
    break;
  case AST_EQ: case AST_NE: case AST_LT: case AST_LE: case AST_GT: case AST_GE:
    expr(out, n->a, p + 1);
    fprintf(out, " %s ", ops[n->kind]);
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
      fmt_band_row_head(out, r);
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

char *fmt_text(void (*print)(FILE *, const Node *), const Node *n) {
  char *s = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&s, &len);
  if (!m) abort();
  print(m, n);
  fclose(m);
  return s;
}

static int rows_of(const Node *band) {
  int k = band->c != NULL;
  for (const Node *r = band->b; r; r = r->next) k++;
  return k;
}

/* ---- layout: documents and the printer that fits them --------------------------
**
** A long expression is laid out by a small Wadler-style printer.  The
** expression becomes a document of texts, possible line breaks and groups;
** a group is printed on one line when it fits in what is left of the line
** (up to the next possible break after it), else each of its own breaks
** becomes a new line.  The groups nest as the operators do, so breaking
** starts at the lowest-precedence operator: `or`, then `and`, then a
** comparison, then `+ -`, then `* /`.  Continuation lines go FMT_CONT deeper
** than the line the group started on, whatever its column, so the layout
** does not depend on where a line happened to end.
**
** A group whose source text spans more than one line is always broken, and
** so is every group around it: a hand break at a place where the layout
** allows one is kept.  Formatting is idempotent because a group is broken
** in the output exactly when its text spans lines: on the second pass
** every broken group is broken by hand, and every group printed flat is at
** the same column, with the same text after it, as on the first.
*/

/* How much deeper continuation lines go than the line their group began on. */
#define FMT_CONT 4

typedef enum { D_TEXT, D_LINE, D_SOFT, D_CAT, D_NEST, D_GROUP, D_ALT } DocKind;

typedef struct Doc {
  uint8_t kind;     /* DocKind */
  bool forced;      /* D_GROUP: always broken */
  bool hard;        /* contains a forced group */
  int n;            /* D_NEST: how much deeper */
  const char *at;   /* D_LINE, D_SOFT: where in the source the text after the
                       break begins; comments before it end the line */
  char *s;          /* D_TEXT (owned) */
  int a, b;         /* D_NEST, D_GROUP: the content (a); D_ALT: flat a, broken b;
                       D_CAT: first and last part */
  int next;         /* the next part of the D_CAT holding this one, or -1 */
} Doc;

typedef struct Docs {
  Doc *v;
  int n, cap;
} Docs;

static int dnew(Docs *d, DocKind k) {
  if (d->n == d->cap) {
    d->cap = d->cap ? 2 * d->cap : 64;
    d->v = realloc(d->v, sizeof *d->v * (size_t)d->cap);
    if (!d->v) abort();
  }
  d->v[d->n] = (Doc){.kind = (uint8_t)k, .a = -1, .b = -1, .next = -1};
  return d->n++;
}

static void docs_free(Docs *d) {
  for (int i = 0; i < d->n; i++) free(d->v[i].s);
  free(d->v);
}

/* Takes ownership of s. */
static int dtext_own(Docs *d, char *s) {
  int i = dnew(d, D_TEXT);
  d->v[i].s = s;
  return i;
}

static int dtext(Docs *d, const char *s) {
  char *c = strdup(s);
  if (!c) abort();
  return dtext_own(d, c);
}

static int dcat(Docs *d) { return dnew(d, D_CAT); }

/* A possible line break (D_LINE: a space when not taken). */
static int dbreak(Docs *d, DocKind k, const char *at) {
  int i = dnew(d, k);
  d->v[i].at = at;
  return i;
}

static void dadd(Docs *d, int cat, int kid) {
  if (d->v[cat].b < 0) d->v[cat].a = kid;
  else d->v[d->v[cat].b].next = kid;
  d->v[cat].b = kid;
  d->v[cat].hard |= d->v[kid].hard;
}

static int dnest(Docs *d, int by, int kid) {
  int i = dnew(d, D_NEST);
  d->v[i].n = by;
  d->v[i].a = kid;
  d->v[i].hard = d->v[kid].hard;
  return i;
}

static int dgroup(Docs *d, int kid, bool forced) {
  int i = dnew(d, D_GROUP);
  d->v[i].a = kid;
  d->v[i].forced = d->v[i].hard = forced || d->v[kid].hard;
  return i;
}

static int dalt(Docs *d, int flat, int broken) {
  int i = dnew(d, D_ALT);
  d->v[i].a = flat;
  d->v[i].b = broken;
  return i;
}

/* Columns of UTF-8 text: one per character. */
static int cols(const char *s) {
  int c = 0;
  for (; *s; s++) c += ((unsigned char)*s & 0xC0) != 0x80;
  return c;
}

typedef struct Cmd {
  int indent;
  bool flat;
  int doc;
} Cmd;

typedef struct Stack {
  Cmd *v;
  int n, cap;
} Stack;

static void push(Stack *s, int indent, bool flat, int doc) {
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 64;
    s->v = realloc(s->v, sizeof *s->v * (size_t)s->cap);
    if (!s->v) abort();
  }
  s->v[s->n++] = (Cmd){indent, flat, doc};
}

/* A D_CAT's parts, pushed so that the first comes off first. */
static void push_parts(Stack *s, const Docs *d, const Cmd *c) {
  int k = 0;
  for (int p = d->v[c->doc].a; p >= 0; p = d->v[p].next) k++;
  int base = s->n;
  for (int i = 0; i < k; i++) push(s, 0, false, -1);
  int i = base + k - 1;
  for (int p = d->v[c->doc].a; p >= 0; p = d->v[p].next, i--)
    s->v[i] = (Cmd){c->indent, c->flat, p};
}

/* Whether `doc` printed flat, then what follows it up to the next line break
   of the groups already broken (`rest`, its top last), fits in `width`. */
static bool fits(const Docs *d, const Stack *rest, int doc, int width) {
  Stack s = {0};
  push(&s, 0, true, doc);
  int r = rest->n;
  bool ok = true;
  while (width >= 0) {
    if (s.n == 0) {
      if (r == 0) break;
      Cmd c = rest->v[--r];
      push(&s, c.indent, c.flat, c.doc);
    }
    Cmd c = s.v[--s.n];
    const Doc *x = &d->v[c.doc];
    switch (x->kind) {
    case D_TEXT: width -= cols(x->s); break;
    case D_LINE: case D_SOFT:
      if (!c.flat) goto done;
      width -= x->kind == D_LINE;
      break;
    case D_CAT: push_parts(&s, d, &c); break;
    case D_NEST: push(&s, c.indent, c.flat, x->a); break;
    case D_GROUP: push(&s, c.indent, c.flat && !x->forced, x->a); break;
    case D_ALT: push(&s, c.indent, c.flat, c.flat ? x->a : x->b); break;
    }
  }
  ok = width >= 0;
done:
  free(s.v);
  return ok;
}

static const Comment *comment(const Fmt *f, int i);
static void comment_text(FILE *out, const Comment *c);
static void mark(Fmt *f);

/* One line of render()'s output: its text, its width in columns, and the
   comment that ends it. */
typedef struct RLine {
  size_t from, to;
  int width;
  const Comment *c;
} RLine;

typedef struct RLines {
  RLine *v;
  int n, cap;
} RLines;

static RLine *new_line(RLines *l, size_t from, int width) {
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 16;
    l->v = realloc(l->v, sizeof *l->v * (size_t)l->cap);
    if (!l->v) abort();
  }
  l->v[l->n] = (RLine){from, from, width, NULL};
  return &l->v[l->n++];
}

/* Prints `root`, broken, starting at column `col` of a line indented `indent`;
   continuation lines are indented from `indent`.  No newline at the end.
   The comments that stood before a line break taken go where they were: one
   that ended a line at the end of the line before the break, the others on
   lines of their own before the text after it; a comment that ends source
   line `end_line` ends the last line.  The comments that end the lines are
   lined up, unless that would take one past FMT_WIDTH. */
static void render(Fmt *f, const Docs *d, int root, int indent, int col, int end_line) {
  char *text;
  size_t len;
  FILE *out = mem(&text, &len);
  RLines lines = {0};
  RLine *cur = new_line(&lines, 0, col);
  Stack s = {0};
  push(&s, indent, false, root);
  int pending = -1;   /* the indentation owed to a new line, printed with its text */
  while (s.n) {
    Cmd c = s.v[--s.n];
    const Doc *x = &d->v[c.doc];
    switch (x->kind) {
    case D_TEXT:
      if (!*x->s) break;
      if (pending >= 0) {
        fprintf(out, "%*s", pending, "");
        cur->width = pending;
        pending = -1;
      }
      fputs(x->s, out);
      cur->width += cols(x->s);
      break;
    case D_LINE: case D_SOFT:
      if (c.flat) {
        if (x->kind == D_LINE) { putc(' ', out); cur->width++; }
        break;
      }
      const Comment *k;
      while ((k = comment(f, f->ci)) && x->at && k->tok.p < x->at) {
        if (!k->own_line && !cur->c && cur->width >= 0) {
          cur->c = k;
        } else {
          fflush(out);
          cur->to = len;
          fprintf(out, "\n%*s", c.indent, "");
          comment_text(out, k);
          fflush(out);
          cur = new_line(&lines, cur->to + 1, 0);
          cur->to = len;
          cur->width = -1;   /* a comment line: not lined up */
        }
        if (k->tok.line > f->last_line) f->last_line = k->tok.line;
        f->ci++;
      }
      fflush(out);
      cur->to = len;
      putc('\n', out);
      cur = new_line(&lines, len + 1, 0);
      pending = c.indent;
      break;
    case D_CAT: push_parts(&s, d, &c); break;
    case D_NEST: push(&s, c.indent + x->n, c.flat, x->a); break;
    case D_GROUP: {
      bool flat = c.flat || (!x->forced && fits(d, &s, x->a, FMT_WIDTH - (pending >= 0 ? pending : cur->width)));
      push(&s, c.indent, flat, x->a);
      break;
    }
    case D_ALT: push(&s, c.indent, c.flat, c.flat ? x->a : x->b); break;
    }
  }
  free(s.v);
  fclose(out);
  cur->to = len;
  const Comment *k = comment(f, f->ci);
  if (k && k->tok.line == end_line && !k->own_line && !cur->c) {
    cur->c = k;
    if (k->tok.line > f->last_line) f->last_line = k->tok.line;
    f->ci++;
  }
  /* The comment column: two after the longest line with a comment. */
  int at = 0;
  for (int i = 0; i < lines.n; i++)
    if (lines.v[i].c && lines.v[i].width + 2 > at) at = lines.v[i].width + 2;
  for (int i = 0; i < lines.n; i++)
    if (lines.v[i].c && at + lines.v[i].c->tok.n > FMT_WIDTH) at = 0;
  for (int i = 0; i < lines.n; i++) {
    const RLine *l = &lines.v[i];
    if (i) putc('\n', f->out);
    fwrite(text + l->from, 1, l->to - l->from, f->out);
    if (l->c && lines.n == 1) mark(f);
    if (l->c) {
      fprintf(f->out, "%*s", at ? at - l->width : 2, "");
      comment_text(f->out, l->c);
    }
  }
  free(lines.v);
  free(text);
}

/* Whether the node's text spans more than one source line. */
static bool spans(const Fmt *f, const char *from, const char *end) {
  return line_of(f, from) != line_of(f, end - 1);
}

static int text_of(Docs *d, const Node *n, int min) {
  char *s;
  size_t len;
  FILE *m = mem(&s, &len);
  expr(m, n, min);
  fclose(m);
  return dtext_own(d, s);
}

static int xdoc(const Fmt *f, Docs *d, const Node *n, int min, bool line_head);

/* The parts of a `band`: on one line, or one row per line with the arrows
   aligned (always so from FMT_BAND_ROWS rows). */
static int band_doc(const Fmt *f, Docs *d, const Node *n) {
  int width = 4;   /* "else" */
  for (const Node *r = n->b; r; r = r->next) {
    char *head;
    size_t len;
    FILE *m = mem(&head, &len);
    fmt_band_row_head(m, r);
    fclose(m);
    free(head);
    if ((int)len > width) width = (int)len;
  }
  int all = dcat(d), rows = dcat(d);
  dadd(d, all, dtext(d, "band "));
  dadd(d, all, xdoc(f, d, n->a, P_IF, false));
  dadd(d, all, dtext(d, " {"));
  char pad[64];
  for (const Node *r = n->b; r; r = r->next) {
    char *head;
    size_t len;
    FILE *m = mem(&head, &len);
    fmt_band_row_head(m, r);
    fclose(m);
    dadd(d, rows, dbreak(d, D_LINE, r->start));
    dadd(d, rows, dtext_own(d, head));
    snprintf(pad, sizeof pad, "%*s", width - (int)len, "");
    dadd(d, rows, dalt(d, dtext(d, ""), dtext(d, pad)));
    dadd(d, rows, dtext(d, " => "));
    dadd(d, rows, xdoc(f, d, r->a, P_IF, false));
    if (r->next || n->c) dadd(d, rows, dtext(d, ","));
  }
  if (n->c) {
    dadd(d, rows, dbreak(d, D_LINE, n->c->start));
    dadd(d, rows, dtext(d, "else"));
    snprintf(pad, sizeof pad, "%*s", width - 4, "");
    dadd(d, rows, dalt(d, dtext(d, ""), dtext(d, pad)));
    dadd(d, rows, dtext(d, " => "));
    dadd(d, rows, xdoc(f, d, n->c, P_IF, false));
  }
  dadd(d, all, dnest(d, 2, rows));
  dadd(d, all, dbreak(d, D_LINE, n->end - 1));
  dadd(d, all, dtext(d, "}"));
  bool many = rows_of(n) >= FMT_BAND_ROWS;
  return dgroup(d, all, many || spans(f, n->start, n->end));
}

/* `(a, b, c)`: on one line, or one item per line, FMT_CONT deeper. */
static int list_doc(const Fmt *f, Docs *d, const Node *items, const char *end) {
  int all = dcat(d), body = dcat(d);
  dadd(d, all, dtext(d, "("));
  for (const Node *a = items; a; a = a->next) {
    dadd(d, body, dbreak(d, a == items ? D_SOFT : D_LINE, a->start));
    dadd(d, body, xdoc(f, d, a, P_IF, true));
    if (a->next) dadd(d, body, dtext(d, ","));
  }
  dadd(d, all, dnest(d, FMT_CONT, body));
  dadd(d, all, dbreak(d, D_SOFT, end - 1));
  dadd(d, all, dtext(d, ")"));
  return dgroup(d, all, items && spans(f, items->start, end));
}

/* An operator at the start of a continuation line: `or `. */
static int op_text(Docs *d, int kind) {
  char buf[16];
  snprintf(buf, sizeof buf, "%s ", ops[kind]);
  return dtext(d, buf);
}

/* The document of an expression.  line_head: it begins a line when broken,
   so an `if` chain's `else` lines go under its `if`. */
static int xdoc(const Fmt *f, Docs *d, const Node *n, int min, bool line_head) {
  int p = prec(n);
  if (p < min) {
    int c = dcat(d);
    dadd(d, c, dtext(d, "("));
    dadd(d, c, xdoc(f, d, n, P_IF, false));
    dadd(d, c, dtext(d, ")"));
    return c;
  }
  switch (n->kind) {
  case AST_ADD: case AST_SUB: case AST_MUL: case AST_DIV: case AST_AND: case AST_OR:
  case AST_DEFAULT: {
    /* a + b - c: one chain of operands at one precedence, broken before each
       operator. */
    int k = 0;
    const Node *left = n;
    while (prec(left) == p) { k++; left = left->a; }
    const Node **rights = malloc(sizeof *rights * (size_t)k);
    if (!rights) abort();
    int i = k;
    for (const Node *x = n; i > 0; x = x->a) rights[--i] = x;
    int all = dcat(d), rest = dcat(d);
    dadd(d, all, xdoc(f, d, left, p, line_head));
    for (i = 0; i < k; i++) {
      dadd(d, rest, dbreak(d, D_LINE, rights[i]->b->start));
      dadd(d, rest, op_text(d, rights[i]->kind));
      dadd(d, rest, xdoc(f, d, rights[i]->b, p + 1, false));
    }
    free(rights);
    dadd(d, all, dnest(d, FMT_CONT, rest));
    return dgroup(d, all, spans(f, n->start, n->end));
  }
  case AST_EQ: case AST_NE: case AST_LT: case AST_LE: case AST_GT: case AST_GE: {
    int all = dcat(d), rest = dcat(d);
    dadd(d, all, xdoc(f, d, n->a, p + 1, line_head));
    dadd(d, rest, dbreak(d, D_LINE, n->b->start));
    dadd(d, rest, op_text(d, n->kind));
    dadd(d, rest, xdoc(f, d, n->b, p + 1, false));
    dadd(d, all, dnest(d, FMT_CONT, rest));
    return dgroup(d, all, spans(f, n->start, n->end));
  }
  case AST_IF: {
    /* if … then … else if … then … else …: one branch per line when broken. */
    int body = dcat(d);
    const Node *x = n;
    dadd(d, body, dtext(d, "if "));
    for (;;) {
      dadd(d, body, xdoc(f, d, x->a, P_IF, false));
      dadd(d, body, dtext(d, " then "));
      dadd(d, body, xdoc(f, d, x->b, P_IF, false));
      dadd(d, body, dbreak(d, D_LINE, x->c->start));
      if (x->c->kind == AST_IF) {
        dadd(d, body, dtext(d, "else if "));
        x = x->c;
        continue;
      }
      dadd(d, body, dtext(d, "else "));
      dadd(d, body, xdoc(f, d, x->c, P_IF, false));
      break;
    }
    return dgroup(d, line_head ? body : dnest(d, FMT_CONT, body), spans(f, n->start, n->end));
  }
  case AST_BAND: return band_doc(f, d, n);
  case AST_IN: {
    int c = dcat(d);
    dadd(d, c, xdoc(f, d, n->a, P_CMP + 1, line_head));
    dadd(d, c, dtext(d, " in "));
    dadd(d, c, list_doc(f, d, n->b, n->end));
    return c;
  }
  case AST_CALL: {
    if (!n->b) return text_of(d, n, min);
    int c = dcat(d);
    char *name = strndup(n->tok.p, (size_t)n->tok.n);
    if (!name) abort();
    dadd(d, c, dtext_own(d, name));
    dadd(d, c, list_doc(f, d, n->b, n->end));
    return c;
  }
  case AST_NEG: case AST_NOT: {
    int c = dcat(d);
    dadd(d, c, dtext(d, n->kind == AST_NEG ? "-" : "not "));
    dadd(d, c, xdoc(f, d, n->a, p, false));
    return c;
  }
  case AST_ISSET: case AST_INRANGE: {
    int c = dcat(d);
    dadd(d, c, xdoc(f, d, n->a, P_CMP + 1, line_head));
    char *s;
    size_t len;
    FILE *m = mem(&s, &len);
    if (n->kind == AST_ISSET) fputs(" is set", m);
    else { fputs(" in ", m); range(m, &n->range); }
    fclose(m);
    dadd(d, c, dtext_own(d, s));
    return c;
  }
  case AST_AGG: {   /* `sum(amount of activity where` then the condition, broken at `where` */
    if (!n->a) return text_of(d, n, min);
    char *s;
    size_t len;
    FILE *m = mem(&s, &len);
    tok(m, n->tok);
    putc('(', m);
    if (n->tok2.n) { tok(m, n->tok2); fputs(" of ", m); }
    fputs("activity where", m);
    fclose(m);
    int c = dcat(d), rest = dcat(d);
    dadd(d, c, dtext_own(d, s));
    dadd(d, rest, dbreak(d, D_LINE, n->a->start));
    dadd(d, rest, xdoc(f, d, n->a, P_IF, false));
    dadd(d, c, dnest(d, FMT_CONT, rest));
    dadd(d, c, dtext(d, ")"));
    return dgroup(d, c, spans(f, n->start, n->end));
  }
  case AST_DAYS: case AST_MONTHS: {
    int c = dcat(d);
    dadd(d, c, xdoc(f, d, n->a, P_PRIMARY, line_head));
    bool one = n->a->kind == AST_NUM && n->a->num == DEC_SCALE;
    dadd(d, c, dtext(d, n->kind == AST_DAYS ? (one ? " day" : " days") : (one ? " month" : " months")));
    return c;
  }
  default: return text_of(d, n, min);
  }
}

/* ---- comments and blank lines ------------------------------------------------- */

static const Comment *comment(const Fmt *f, int i) {
  return i < f->ast->ncomments ? &f->ast->comments[i] : NULL;
}

/* A comment's text, without the blanks that ended its line. */
static void comment_text(FILE *out, const Comment *c) {
  int n = c->tok.n;
  while (n > 0 && (c->tok.p[n - 1] == ' ' || c->tok.p[n - 1] == '\t' || c->tok.p[n - 1] == '\r')) n--;
  fwrite(c->tok.p, 1, (size_t)n, out);
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
      comment_text(f->out, c);
      putc('\n', f->out);
    }
    /* A comment that followed code on a line we printed is emitted by
       trailing(); one we could not place stays before the next item. */
    else {
      fprintf(f->out, "%*s", indent, "");
      comment_text(f->out, c);
      putc('\n', f->out);
    }
    if (c->tok.line > f->last_line) f->last_line = c->tok.line;
    f->ci++;
  }
}

/* Notes that the code of the line being printed ends here and a comment
   follows, to be lined up with its neighbours' by align_comments(). */
static void mark(Fmt *f) {
  if (f->nmarks == f->capmarks) {
    f->capmarks = f->capmarks ? 2 * f->capmarks : 64;
    f->marks = realloc(f->marks, sizeof *f->marks * (size_t)f->capmarks);
    if (!f->marks) abort();
  }
  f->marks[f->nmarks++] = ftell(f->out);
}

/* The comment at the end of source line `line` (after `pad` more spaces,
   to line comments up; pad < 0: lined up later, by align_comments()), then
   the newline. */
static void trailing_pad(Fmt *f, int line, int pad) {
  const Comment *c = comment(f, f->ci);
  if (c && c->tok.line == line && !c->own_line) {
    if (pad < 0) mark(f);
    fprintf(f->out, "%*s  ", pad > 0 ? pad : 0, "");
    comment_text(f->out, c);
    f->ci++;
  }
  putc('\n', f->out);
  if (line > f->last_line) f->last_line = line;
}

static void trailing(Fmt *f, int line) { trailing_pad(f, line, -1); }

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
   expression on the next line, two deeper (after any comments that stood
   between the two in the source), broken where it does not fit.  pad:
   spaces after the head that line it up with its neighbours' when the
   expression follows on the same line. */
static void headed(Fmt *f, const char *head, int pad, const char *joiner, const Node *e,
                   int indent, const Decl *d) {
  int head_line = d->tok.line, expr_line = line_of(f, e->start);
  bool inner_comments = comments_between(f, head_line, expr_line);
  bool when = strcmp(joiner, "when") == 0;
  Docs docs = {0};
  int x = xdoc(f, &docs, e, P_IF, !when);
  if (inner_comments) {
    fprintf(f->out, "%*s%s%s\n", indent, "", head, when ? "" : " =");
    f->last_line = head_line;
    leading(f, expr_line, indent + 2);
    fprintf(f->out, "%*s%s", indent + 2, "", when ? "when " : "");
    render(f, &docs, dgroup(&docs, x, false), indent + 2, indent + 2 + (when ? 5 : 0),
           line_of(f, decl_end(d)));
  } else {
    int all = dcat(&docs), rest = dcat(&docs);
    char spaces[256];
    snprintf(spaces, sizeof spaces, "%*s", pad < 255 ? pad : 255, "");
    dadd(&docs, all, dtext(&docs, head));
    dadd(&docs, all, dalt(&docs, dtext(&docs, spaces), dtext(&docs, "")));
    if (!when) dadd(&docs, all, dtext(&docs, " ="));
    dadd(&docs, rest, dbreak(&docs, D_LINE, e->start));
    if (when) dadd(&docs, rest, dtext(&docs, "when "));
    dadd(&docs, rest, x);
    dadd(&docs, all, dnest(&docs, 2, rest));
    fprintf(f->out, "%*s", indent, "");
    render(f, &docs, dgroup(&docs, all, spans(f, d->tok.p, e->end)), indent, indent,
           line_of(f, decl_end(d)));
  }
  docs_free(&docs);
  trailing(f, line_of(f, decl_end(d)));
}

static char *head_text(const char *kw, const Decl *d, bool range_too) {
  char *s;
  size_t len;
  FILE *m = mem(&s, &len);
  fprintf(m, "%s ", kw);
  tok(m, d->name);
  if (d->title) { putc(' ', m); quoted(m, d->title); }
  if (range_too && d->range.present) { putc(' ', m); range(m, &d->range); }
  if (d->per.n) { fputs(" per ", m); tok(m, d->per); }   /* one per member of a group */
  fclose(m);
  return s;
}

static void item(Fmt *f, const Decl *d, int indent);

/* A block's closing brace, with the comments before it, where the source had it. */
static void close_brace(Fmt *f, const Decl *owner, int indent) {
  int close = line_of(f, decl_end(owner));
  leading(f, close, indent + 2);
  fprintf(f->out, "%*s}", indent, "");
  trailing(f, close);
}

/* A block's items, then its closing brace where the source had it. */
static void block_items(Fmt *f, const Decl *kids, const Decl *owner, int indent) {
  f->block_start = true;
  for (const Decl *k = kids; k; k = k->next) item(f, k, indent + 2);
  close_brace(f, owner, indent);
}

/* A field's type as written, with its `places N`: "money places 2".  A
   plain type is a constant, so a caller that has no choice or places to
   print (a typed output) may pass no buf. */
static const char *type_name(const Decl *d, char *buf, size_t n) {
  static const char *const names[] = {"text", "number", "money", "count", "percent", "flag", "date", "int"};
  size_t len = 0;
  if (d->ftype != FT_ENUM && !d->places.p) return names[d->ftype];
  if (d->ftype != FT_ENUM) {
    len = (size_t)snprintf(buf, n, "%s", names[d->ftype]);
  } else {
    len = (size_t)snprintf(buf, n, "one of (");
    for (const Node *m = d->members; m && len < n; m = m->next)
      len += (size_t)snprintf(buf + len, n - len, "%.*s%s", m->tok.n, m->tok.p,
                              !m->next ? ")" : d->ordered ? " < " : ", ");
  }
  if (d->places.p && len < n) snprintf(buf + len, n - len, " places %.*s", d->places.n, d->places.p);
  return buf;
}

static int start_line(const Decl *d) {
  return d->kind == DECL_FIELD ? d->name.line : d->tok.line;
}

/* How an item of an aligned block is printed: c holds the group's column
   widths, or is NULL for the dry run of group_starts(). */
typedef void (*ItemFn)(Fmt *f, const Decl *k, int indent, const int *c);

/* Which items of a block begin a group of lines (starts[i], malloc'd): the
   first, and each that a blank line or a comment line comes before.  Found
   by printing the items unaligned into nothing, so that a group is exactly
   what the output shows, and the same when it is formatted again (padding
   cannot move a comment: only hand breaks place them). */
static bool *group_starts(Fmt *f, const Decl *kids, int indent, ItemFn print) {
  int n = 0;
  for (const Decl *k = kids; k; k = k->next) n++;
  bool *starts = calloc((size_t)n + 1, sizeof *starts);
  if (!starts) abort();
  Fmt saved = *f;
  char *buf;
  size_t len;
  f->out = mem(&buf, &len);
  int i = 0;
  for (const Decl *k = kids; k; k = k->next, i++) {
    long before = ftell(f->out);
    leading(f, start_line(k), indent);
    gap(f, start_line(k));
    starts[i] = i == 0 || ftell(f->out) != before;
    print(f, k, indent, NULL);
  }
  fclose(f->out);
  free(buf);
  f->out = saved.out;
  f->ci = saved.ci;
  f->last_line = saved.last_line;
  f->block_start = saved.block_start;
  f->nmarks = saved.nmarks;
  return starts;
}

/* Prints the items of a block group by group: measure(first, last, c)
   fills a group's column widths, then each item is printed. */
static void aligned_items(Fmt *f, const Decl *kids, int indent, ItemFn print,
                          void (*measure)(Fmt *f, const Decl *first, const Decl *last, int indent,
                                          int *c)) {
  bool *starts = group_starts(f, kids, indent, print);
  int i = 0;
  for (const Decl *g = kids; g; i++) {
    const Decl *last = g;
    int j = i + 1;
    while (last->next && !starts[j]) { last = last->next; j++; }
    int c[3] = {0, 0, 0};
    measure(f, g, last, indent, c);
    for (const Decl *k = g;; k = k->next) {
      leading(f, start_line(k), indent);
      gap(f, start_line(k));
      print(f, k, indent, c);
      if (k == last) break;
    }
    i = j - 1;
    g = last->next;
  }
  free(starts);
}

/* A field's type longer than this is not lined up with the others: one long
   `one of (...)` would push every other field's modifiers far right. */
#define FMT_ALIGN_TYPE 24

/* One field's line, its name and type padded to the group's columns. */
static char *field_line(const Decl *k, int indent, int nw, int tw) {
  char buf[4096], *s = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&s, &len);
  if (!m) abort();
  const char *t = type_name(k, buf, sizeof buf);
  int t_cols = cols(t);
  bool mods = k->key || k->optional || k->range.present;
  fprintf(m, "%*s%.*s%*s %s", indent, "", k->name.n, k->name.p,
          nw > k->name.n ? nw - k->name.n : 0, "", t);
  if (mods && t_cols <= FMT_ALIGN_TYPE && tw > t_cols) fprintf(m, "%*s", tw - t_cols, "");
  if (k->key) fputs(" key", m);
  if (k->optional) fputs(" optional", m);
  if (k->range.present) { fputs(" in ", m); range(m, &k->range); }
  fclose(m);
  if (k->ftype != FT_ENUM || cols(s) <= FMT_WIDTH) return s;
  /* A `one of` too long for the line: its members filled to the width,
     four deeper, between `one of (` and `)` on lines of their own. */
  free(s);
  m = mem(&s, &len);
  fprintf(m, "%*s%.*s%*s one of (\n", indent, "", k->name.n, k->name.p,
          nw > k->name.n ? nw - k->name.n : 0, "");
  int at = 0;
  for (const Node *x = k->members; x; x = x->next) {
    const char *sep = !x->next ? "" : k->ordered ? " <" : ",";
    int w = x->tok.n + (int)strlen(sep);
    if (at && at + 1 + w > FMT_WIDTH) { putc('\n', m); at = 0; }
    if (!at) at = fprintf(m, "%*s", indent + FMT_CONT, "");
    else at += fprintf(m, " ");
    at += fprintf(m, "%.*s%s", x->tok.n, x->tok.p, sep);
  }
  fprintf(m, "\n%*s)", indent, "");
  if (k->places.p) fprintf(m, " places %.*s", k->places.n, k->places.p);
  if (k->key) fputs(" key", m);
  if (k->optional) fputs(" optional", m);
  if (k->range.present) { fputs(" in ", m); range(m, &k->range); }
  fclose(m);
  return s;
}

/* Whether the comment at f->ci onwards that the printing gives field k
   ends its line: the comments before the field's first line come first,
   then at most one that ends its last line.  *ci follows f->ci. */
static bool field_comment(const Fmt *f, const Decl *k, int *ci) {
  const Comment *c;
  while ((c = comment(f, *ci)) && c->tok.line < k->name.line) (*ci)++;
  if ((c = comment(f, *ci)) && c->tok.line == line_of(f, decl_end(k)) && !c->own_line) {
    (*ci)++;
    return true;
  }
  return false;
}

/* A record's fields, in columns per group of lines: names, types (those not
   longer than FMT_ALIGN_TYPE), and the comments that end the lines (unless
   that would take one past FMT_WIDTH).  c: name, type and comment columns. */
static void field_measure(Fmt *f, const Decl *g, const Decl *last, int indent, int *c) {
  char buf[4096];
  int nw = 0, tw = 0;
  for (const Decl *k = g;; k = k->next) {
    if (k->name.n > nw) nw = k->name.n;
    int t = cols(type_name(k, buf, sizeof buf));
    if ((k->key || k->optional || k->range.present) && t <= FMT_ALIGN_TYPE && t > tw) tw = t;
    if (k == last) break;
  }
  /* The comment column: after the longest line with a comment, leaving
     out lines with a type too long to line up. */
  int width = 0, ci = f->ci, longest = 0;
  for (const Decl *k = g;; k = k->next) {
    if (field_comment(f, k, &ci) && cols(type_name(k, buf, sizeof buf)) <= FMT_ALIGN_TYPE) {
      char *line = field_line(k, indent, nw, tw);
      if (cols(line) > width) width = cols(line);
      free(line);
      if (f->ast->comments[ci - 1].tok.n > longest) longest = f->ast->comments[ci - 1].tok.n;
    }
    if (k == last) break;
  }
  if (width + 2 + longest > FMT_WIDTH) width = 0;   /* lined up, one would pass the width */
  c[0] = nw;
  c[1] = tw;
  c[2] = width;
}

static void field_item(Fmt *f, const Decl *k, int indent, const int *c) {
  char *line = field_line(k, indent, c ? c[0] : 0, c ? c[1] : 0);
  fputs(line, f->out);
  int pad = (c ? c[2] : 0) - cols(line);
  free(line);
  trailing_pad(f, line_of(f, decl_end(k)), pad > 0 ? pad : 0);
}

static void fields(Fmt *f, const Decl *kids, int indent);


/* `group NAME (members) [columns "PATTERN"] { fields }`, its fields
   aligned among themselves. */
static void group(Fmt *f, const Decl *g, int indent) {
  leading(f, start_line(g), indent);
  gap(f, start_line(g));
  fprintf(f->out, "%*sgroup %.*s (", indent, "", g->name.n, g->name.p);
  for (const Node *m = g->members; m; m = m->next) {
    tok(f->out, m->tok);
    if (m->next) fputs(", ", f->out);
  }
  fputs(")", f->out);
  if (g->title) { fputs(" columns ", f->out); quoted(f->out, g->title); }
  fputs(" {", f->out);
  trailing(f, g->tok.line);
  f->block_start = true;
  fields(f, g->kids, indent + 2);
  close_brace(f, g, indent);
}

/* A record's items: each run of fields aligned in columns (on copies
   linked as a list of their own), each group a block. */
static void fields(Fmt *f, const Decl *kids, int indent) {
  const Decl *k = kids;
  while (k) {
    if (k->kind == DECL_GROUP) {
      group(f, k, indent);
      k = k->next;
      continue;
    }
    int n = 0;
    for (const Decl *e = k; e && e->kind != DECL_GROUP; e = e->next) n++;
    Decl *run = malloc((size_t)n * sizeof *run);
    if (!run) abort();
    for (int i = 0; i < n; i++, k = k->next) {
      run[i] = *k;
      run[i].next = i + 1 < n ? &run[i + 1] : NULL;
    }
    aligned_items(f, run, indent, field_item, field_measure);
    free(run);
  }
}

/* `record { ... }` or `activity { ... }`: fields, aligned. */
static void record(Fmt *f, const Decl *d, int indent) {
  fprintf(f->out, "%*s%s {", indent, "", d->kind == DECL_ACTIVITY ? "activity" : "record");
  trailing(f, d->tok.line);
  f->block_start = true;
  fields(f, d->kids, indent + 2);
  close_brace(f, d, indent);
}

static int entry_cols(const Decl *e) { return e->name.n + (e->dotted ? 1 + e->name2.n : 0); }

static void entry_measure(Fmt *f, const Decl *g, const Decl *last, int indent, int *c) {
  for (const Decl *e = g;; e = e->next) {
    if (entry_cols(e) > c[0]) c[0] = entry_cols(e);
    if (e == last) break;
  }
}

/* `NAME = VALUE` on its line, the `=` in the group's column c[0]. */
static void entry_item(Fmt *f, const Decl *e, int indent, const int *c) {
  char *lhs;
  size_t len;
  FILE *m = mem(&lhs, &len);
  tok(m, e->name);
  if (e->dotted) { putc('.', m); tok(m, e->name2); }
  fprintf(m, "%*s = ", c && c[0] > entry_cols(e) ? c[0] - entry_cols(e) : 0, "");
  fclose(m);
  Docs docs = {0};
  int all = dcat(&docs);
  dadd(&docs, all, dtext_own(&docs, lhs));
  dadd(&docs, all, xdoc(f, &docs, e->expr, P_IF, false));
  fprintf(f->out, "%*s", indent, "");
  render(f, &docs, dgroup(&docs, all, false), indent, indent, line_of(f, e->expr->end - 1));
  docs_free(&docs);
  trailing(f, line_of(f, e->expr->end - 1));
}

/* `NAME = VALUE` entries: on one line inside `{ }` when they fit, else one
   per line with the `=` aligned. */
static void entries(Fmt *f, const char *head, const Decl *kids, const Decl *owner, int indent,
                    bool force_lines) {
  char *line;
  size_t len;
  FILE *m = mem(&line, &len);
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
  bool hand = false;   /* a value broken by hand stays broken */
  for (const Decl *e = kids; e; e = e->next) hand |= spans(f, e->expr->start, e->expr->end);
  if (!force_lines && !hand && indent + cols(line) <= FMT_WIDTH &&
      !comments_between(f, owner->tok.line, close + 1)) {
    fprintf(f->out, "%*s%s", indent, "", line);
    free(line);
    trailing(f, close);
    return;
  }
  free(line);
  fprintf(f->out, "%*s%s {\n", indent, "", head);
  f->last_line = owner->tok.line;
  f->block_start = true;
  aligned_items(f, kids, indent + 2, entry_item, entry_measure);
  leading(f, close, indent + 2);
  fprintf(f->out, "%*s}", indent, "");
  trailing(f, close);
}

/* `tier NAME "Title"`, the title in the column after the widest name nw. */
static char *tier_head(const Decl *t, int nw) {
  char *head;
  size_t len;
  FILE *m = mem(&head, &len);
  fputs("tier ", m);
  tok(m, t->name);
  if (t->title) {
    fprintf(m, "%*s ", nw - t->name.n, "");
    quoted(m, t->title);
  }
  fclose(m);
  return head;
}

/* Columns of a tier's quoted title, 0 without one. */
static int title_cols(const Decl *t) {
  if (!t->title) return 0;
  char *h = tier_head(t, t->name.n);
  int w = cols(h) - 6 - t->name.n;
  free(h);
  return w;
}

/* A group of tiers: the names' and the titles' columns. */
static void tier_measure(Fmt *f, const Decl *g, const Decl *last, int indent, int *c) {
  for (const Decl *t = g;; t = t->next) {
    if (t->name.n > c[0]) c[0] = t->name.n;
    if (title_cols(t) > c[1]) c[1] = title_cols(t);
    if (t == last) break;
  }
}

static void tier_item(Fmt *f, const Decl *t, int indent, const int *c) {
  int nw = c ? c[0] : t->name.n, tw = c ? c[1] : 0;
  char *head = tier_head(t, nw);
  int pad = c ? 5 + nw + (tw ? 1 + tw : 0) - cols(head) : 0;
  headed(f, head, pad, "when", t->expr, indent, t);
  free(head);
}

static void tiers(Fmt *f, const Decl *d, int indent) {
  fprintf(f->out, "%*stiers ", indent, "");
  if (d->expr) { fputs("floor ", f->out); tok(f->out, d->expr->tok); putc(' ', f->out); }
  fputs("{", f->out);
  trailing(f, d->tok.line);
  f->block_start = true;
  aligned_items(f, d->kids, indent + 2, tier_item, tier_measure);
  int close = line_of(f, decl_end(d));
  leading(f, close, indent + 2);
  fprintf(f->out, "%*s}", indent, "");
  trailing(f, close);
}

/* `given { a = 1, b = 2, ... }` filled to FMT_WIDTH columns, the closing
   ` }` included, continuing under the first entry. */
static void filled(Fmt *f, const char *kw, const Decl *kids, int indent) {
  int col = indent + (int)strlen(kw) + 3;
  fprintf(f->out, "%*s%s {", indent, "", kw);
  int at = col - 1;
  for (const Decl *e = kids; e; e = e->next) {
    char *s;
    size_t len;
    FILE *m = mem(&s, &len);
    tok(m, e->name);
    if (e->dotted) { putc('.', m); tok(m, e->name2); }
    fputs(" = ", m);
    expr(m, e->expr, P_IF);
    if (e->next) putc(',', m);
    fclose(m);
    /* The last entry counts the ` }` that closes the line. */
    int need = 1 + cols(s) + (e->next ? 0 : 2);
    if (e != kids && at + need > FMT_WIDTH) {
      fprintf(f->out, "\n%*s", col, "");
      at = col;
    } else {
      putc(' ', f->out);
      at++;
    }
    fputs(s, f->out);
    at += cols(s);
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
  if (d->acts_kw.p) {   /* one activity a line */
    fprintf(f->out, "%*sactivities {\n", indent + 2, "");
    for (const Node *r = d->acts; r; r = r->next) {
      fprintf(f->out, "%*s", indent + 4, "");
      for (const Node *k = r->b; k; k = k->next) {
        expr(f->out, k, P_IF);
        if (k->next) putc(' ', f->out);
      }
      putc('\n', f->out);
    }
    fprintf(f->out, "%*s}\n", indent + 2, "");
  }
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
    fputs(d->dotted ? " months to " : " to ", out);
    tok(out, d->date2);
    trailing(f, line_of(f, decl_end(d)));
    break;
  case DECL_EFFECTIVE:
    fprintf(out, "%*seffective ", indent, "");
    tok(out, d->name);
    trailing(f, line);
    break;
  case DECL_WINDOW: {
    char *h;
    size_t len;
    FILE *m = mem(&h, &len);
    fputs("window ", m);
    tok(m, d->name);
    fputs(" = ", m);
    expr(m, d->expr, P_IF);
    fputs(" to ", m);
    expr(m, d->expr2, P_IF);
    fclose(m);
    fprintf(out, "%*s%s", indent, "", h);
    free(h);
    trailing(f, line_of(f, decl_end(d)));
    break;
  }
  case DECL_RECORD: case DECL_ACTIVITY: record(f, d, indent); break;
  case DECL_PARAM: {
    head = head_text("param", d, false);
    headed(f, head, 0, "=", d->expr, indent, d);
    free(head);
    break;
  }
  case DECL_PARAM_BY: {
    char *h;
    size_t len;
    FILE *m = mem(&h, &len);
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
    if (d->optional) {   /* let NAME optional = ... */
      char *h = malloc(strlen(head) + sizeof " optional");
      if (!h) abort();
      sprintf(h, "%s optional", head);
      free(head);
      head = h;
    }
    headed(f, head, 0, "=", d->expr, indent, d);
    free(head);
    break;
  case DECL_BADGE:
    head = head_text("badge", d, false);
    headed(f, head, 0, "when", d->expr, indent, d);
    free(head);
    break;
  case DECL_OUTPUT: {   /* output NAME "Title" [TYPE] = value */
    char *h;
    size_t len;
    FILE *m = mem(&h, &len);
    head = head_text("output", d, false);
    fputs(head, m);
    free(head);
    if (d->typed) {
      fputs(" ", m);
      if (d->ftype != FT_ENUM) fputs(type_name(d, NULL, 0), m);
      else {
        fputs("one of (", m);
        for (const Node *k = d->members; k; k = k->next) {
          tok(m, k->tok);
          fputs(!k->next ? ")" : d->ordered ? " < " : ", ", m);
        }
      }
    }
    if (d->optional) fputs(" optional", m);
    fclose(m);
    headed(f, h, 0, "=", d->expr, indent, d);
    free(h);
    break;
  }
  case DECL_FN: {
    char *h;
    size_t len;
    FILE *m = mem(&h, &len);
    fputs("fn ", m);
    tok(m, d->name);
    putc('(', m);
    for (const Node *p = d->params; p; p = p->next) {
      tok(m, p->tok);
      if (p->next) fputs(", ", m);
    }
    putc(')', m);
    fclose(m);
    headed(f, h, 0, "=", d->expr, indent, d);
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
  case DECL_CHOOSE:
    fprintf(out, "%*stracks best score, ties %s", indent, "", d->ftype == TIES_LAST ? "last" : "first");
    trailing(f, line);
    break;
  case DECL_TRACK: {
    /* `track NAME … when COND {`, else the condition on the next line,
       four deeper, so that it stands apart from the items. */
    head = head_text("track", d, true);
    Docs docs = {0};
    int all = dcat(&docs), rest = dcat(&docs);
    dadd(&docs, all, dtext(&docs, head));
    dadd(&docs, rest, dbreak(&docs, D_LINE, d->expr->start));
    dadd(&docs, rest, dtext(&docs, "when "));
    dadd(&docs, rest, xdoc(f, &docs, d->expr, P_IF, false));
    dadd(&docs, rest, dtext(&docs, " {"));
    dadd(&docs, all, dnest(&docs, 4, rest));
    fprintf(out, "%*s", indent, "");
    render(f, &docs, dgroup(&docs, all, spans(f, d->tok.p, d->expr->end)), indent, indent,
           line_of(f, d->expr->end - 1));
    docs_free(&docs);
    trailing(f, line_of(f, d->expr->end - 1));
    block_items(f, d->kids, d, indent);
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

/* Columns of bytes [p, e) of UTF-8 text. */
static int span_cols(const char *p, const char *e) {
  int c = 0;
  for (; p < e; p++) c += ((unsigned char)*p & 0xC0) != 0x80;
  return c;
}

/* Whether the code of a line from `ls` to `e` opens or closes a block. */
static bool brace_line(const char *ls, const char *e) {
  while (ls < e && *ls == ' ') ls++;
  while (e > ls && e[-1] == ' ') e--;
  return e > ls && (*ls == '}' || e[-1] == '{');
}

/* Lines up the comments that end consecutive lines of one indentation (a
   run of marked lines), two after the longest code, unless that would take
   one past FMT_WIDTH.  A line that opens or closes a block stands alone.
   Records and broken expressions line up their own.  Returns the new text
   (malloc'd); frees `out`. */
static char *align_comments(char *out, const long *marks, int n) {
  char *res;
  size_t reslen;
  FILE *m = mem(&res, &reslen);
  long done = 0;
  for (int i = 0; i < n;) {
    /* The run from marks[i]: each next mark on the next line, as indented. */
    const char *first = out + marks[i];
    while (first > out && first[-1] != '\n') first--;
    size_t ind = strspn(first, " ");
    int j = i + 1, code = span_cols(first, out + marks[i]), width = 0;
    const char *eol = strchr(out + marks[i], '\n');
    for (const char *ln = first;;) {
      int w = span_cols(out + marks[j - 1], eol) - 2;
      if (w > width) width = w;
      if (j == n || !eol || out + marks[j] < eol + 1) break;
      const char *next = eol + 1;
      const char *e2 = strchr(next, '\n');
      if ((e2 && out + marks[j] > e2) || strspn(next, " ") != ind) break;
      if (brace_line(first, out + marks[i]) || brace_line(next, out + marks[j])) break;
      ln = next;
      int c = span_cols(ln, out + marks[j]);
      if (c > code) code = c;
      eol = e2;
      j++;
    }
    bool fits = code + 2 + width <= FMT_WIDTH;
    for (int k = i; k < j; k++) {
      fwrite(out + done, 1, (size_t)(marks[k] - done), m);
      if (fits) {
        const char *ls = out + marks[k];
        while (ls > out && ls[-1] != '\n') ls--;
        fprintf(m, "%*s", code - span_cols(ls, out + marks[k]), "");
      }
      done = marks[k];
    }
    i = j;
  }
  fputs(out + done, m);
  fclose(m);
  free(out);
  return res;
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
  out = align_comments(out, f.marks, f.nmarks);
  free(f.marks);
  free(f.line_start);
  ast_free(&ast);
  return out;
}

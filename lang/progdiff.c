/*
** progdiff.c — a structural diff of two programs (pd_): the fields, params,
** lets, functions, categories, points, bands, tracks, tiers, badges,
** benefits and payouts that were added, removed or changed, each said in
** words with the old and new value.  Layout, comments and order do not
** count: two programs that `rubric fmt` makes identical have no changes.
** Expressions are compared in canonical form (the formatter's printer);
** a band compared with a band is compared row by row.
*/
#include "progdiff.h"

#include <stdlib.h>
#include <string.h>

#include "format.h"

typedef struct Pd { FILE *out; int changes; } Pd;

/* What print writes for n, as a string the caller frees. */
static char *printed(void (*print)(FILE *, const Node *), const Node *n) {
  char *s = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&s, &len);
  if (!m) abort();
  print(m, n);
  fclose(m);
  return s;
}

static char *text_of(const Node *n) { return n ? printed(fmt_expr, n) : strdup(""); }

static char *range_text(const Range *r) {
  char *s = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&s, &len);
  if (!m) abort();
  if (!r->present) fputs("none", m);
  else {
    if (r->lo.present) fwrite(r->lo.tok.p, 1, (size_t)r->lo.tok.n, m);
    fputs("..", m);
    if (r->hi.present) fwrite(r->hi.tok.p, 1, (size_t)r->hi.tok.n, m);
  }
  fclose(m);
  return s;
}

static void say(Pd *pd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(Pd *pd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfprintf(pd->out, fmt, ap);
  va_end(ap);
  putc('\n', pd->out);
  pd->changes++;
}

/* "what: old -> new" when the two texts differ; takes both. */
static void changed(Pd *pd, const char *what, const char *aspect, char *a, char *b) {
  if (strcmp(a, b) != 0) say(pd, "%s: %s%s%s -> %s", what, aspect, *aspect ? " " : "", a, b);
  free(a);
  free(b);
}

static const char *title(const Decl *d) { return d->title ? d->title : ""; }

static void titles(Pd *pd, const char *what, const Decl *a, const Decl *b) {
  if (strcmp(title(a), title(b)) != 0) say(pd, "%s: title \"%s\" -> \"%s\"", what, title(a), title(b));
}

static Sym *find(const SymVec *v, const char *name) {
  for (int i = 0; i < v->n; i++)
    if (strcmp(v->v[i]->name, name) == 0) return v->v[i];
  return NULL;
}

/* Band rows by bound: values changed, rows added and removed. */
/* A band row's head, `..25`, `..<25` or `250..`; the caller frees. */
static char *row_head(const Node *r) { return printed(fmt_band_row_head, r); }

/* The row of list with the same head as r: the same bound, read the same way. */
static const Node *same_row(const Node *list, const Node *r) {
  while (list && (list->bound.v != r->bound.v || list->rowkind != r->rowkind)) list = list->next;
  return list;
}

static void bands(Pd *pd, const char *what, const Node *a, const Node *b) {
  changed(pd, what, "band over", text_of(a->a), text_of(b->a));
  for (const Node *r = a->b; r; r = r->next) {
    const Node *q = same_row(b->b, r);
    char *va = text_of(r->a), *head = row_head(r);
    if (!q) say(pd, "%s: band row %s => %s removed", what, head, va);
    else {
      char *vb = text_of(q->a);
      if (strcmp(va, vb) != 0) say(pd, "%s: band row %s => %s -> %s => %s", what, head, va, head, vb);
      free(vb);
    }
    free(head);
    free(va);
  }
  for (const Node *q = b->b; q; q = q->next) {
    if (same_row(a->b, q)) continue;
    char *vb = text_of(q->a), *head = row_head(q);
    say(pd, "%s: band row %s => %s added", what, head, vb);
    free(head);
    free(vb);
  }
  if (a->c || b->c) {
    char *ea = a->c ? text_of(a->c) : strdup("(none)"), *eb = b->c ? text_of(b->c) : strdup("(none)");
    changed(pd, what, "band else =>", ea, eb);
  }
}

static void exprs(Pd *pd, const char *what, const char *aspect, const Node *a, const Node *b) {
  if (a && b && a->kind == AST_BAND && b->kind == AST_BAND) { bands(pd, what, a, b); return; }
  changed(pd, what, aspect, text_of(a), text_of(b));
}

/* Syms present in one program only, then each pair. */
typedef void (*Compare)(Pd *, Sym *, Sym *);

static void each(Pd *pd, const char *kind, const SymVec *a, const SymVec *b, Compare cmp,
                 void (*describe)(Pd *, const char *, const char *, Sym *)) {
  for (int i = 0; i < a->n; i++) {
    Sym *o = a->v[i], *n = find(b, o->name);
    if (!n) describe(pd, kind, "removed", o);
    else if (cmp) cmp(pd, o, n);
  }
  for (int i = 0; i < b->n; i++)
    if (!find(a, b->v[i]->name)) describe(pd, kind, "added", b->v[i]);
}

/* An added or removed definition: its title, range and rule or condition. */
static void describe_plain(Pd *pd, const char *kind, const char *how, Sym *s) {
  const Decl *d = s->decl;
  char *e = d && d->expr ? text_of(d->expr) : NULL;
  char *r = d && d->range.present ? range_text(&d->range) : NULL;
  bool when = s->kind == SYM_TIER || s->kind == SYM_BADGE || s->kind == SYM_TRACK;
  fprintf(pd->out, "%s %s %s", kind, s->name, how);
  if (d && d->title) fprintf(pd->out, ": \"%s\"", d->title);
  if (r) fprintf(pd->out, "%s %s", d->title ? "" : ":", r);
  if (e && *e) fprintf(pd->out, "%s %s %s", d->title || r ? "" : ":", when ? "when" : "=", e);
  putc('\n', pd->out);
  pd->changes++;
  free(e);
  free(r);
}

static char *field_type(const Decl *d) {
  static const char *const names[] = {"text", "number", "money", "count", "percent", "flag", "date"};
  char *s = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&s, &len);
  if (!m) abort();
  if (d->ftype != FT_ENUM) fputs(names[d->ftype], m);
  else {
    fputs("one of (", m);
    for (const Node *n = d->members; n; n = n->next)
      fprintf(m, "%.*s%s", n->tok.n, n->tok.p, !n->next ? ")" : d->ordered ? " < " : ", ");
  }
  if (d->key) fputs(" key", m);
  if (d->optional) fputs(" optional", m);
  fclose(m);
  return s;
}

static void cmp_field(Pd *pd, Sym *a, Sym *b) {
  char what[300];
  snprintf(what, sizeof what, "field %s", a->name);
  changed(pd, what, "type", field_type(a->decl), field_type(b->decl));
  changed(pd, what, "range", range_text(&a->decl->range), range_text(&b->decl->range));
}

static void describe_field(Pd *pd, const char *kind, const char *how, Sym *s) {
  char *t = field_type(s->decl);
  say(pd, "%s %s %s: %s", kind, s->name, how, t);
  free(t);
}

static void cmp_param(Pd *pd, Sym *a, Sym *b) {
  char what[300];
  snprintf(what, sizeof what, "param %s", a->name);
  if (a->decl->kind != b->decl->kind) {
    say(pd, "%s: now %s", what, b->decl->kind == DECL_PARAM_BY ? "keyed" : "a single value");
    return;
  }
  if (a->decl->kind == DECL_PARAM) { exprs(pd, what, "", a->decl->expr, b->decl->expr); return; }
  for (const Decl *e = a->decl->kids; e; e = e->next) {
    const Decl *f = b->decl->kids;
    while (f && !(f->name.n == e->name.n && memcmp(f->name.p, e->name.p, (size_t)e->name.n) == 0)) f = f->next;
    snprintf(what, sizeof what, "param %s.%.*s", a->name, e->name.n, e->name.p);
    if (f) exprs(pd, what, "", e->expr, f->expr);
  }
}

/* A let or output that may now be unset, or no longer may. */
static void optionals(Pd *pd, const char *what, const Decl *a, const Decl *b) {
  if (a->optional != b->optional) say(pd, "%s: %s", what, b->optional ? "now optional (may be unset)" : "no longer optional");
}

static void cmp_expr_sym(Pd *pd, Sym *a, Sym *b) {
  static const char *const kinds[] = {[SYM_LET] = "let", [SYM_FN] = "function", [SYM_PAYOUT] = "payout",
                                      [SYM_BADGE] = "badge"};
  char what[300];
  snprintf(what, sizeof what, "%s %s", kinds[a->kind], a->name);
  titles(pd, what, a->decl, b->decl);
  optionals(pd, what, a->decl, b->decl);
  exprs(pd, what, a->kind == SYM_BADGE ? "condition" : "", a->decl->expr, b->decl->expr);
}

/* An output: its title, its declared type (or none: inferred), its value. */
static void cmp_output(Pd *pd, Sym *a, Sym *b) {
  char what[300];
  snprintf(what, sizeof what, "output %s", a->name);
  titles(pd, what, a->decl, b->decl);
  changed(pd, what, "type", a->decl->typed ? field_type(a->decl) : strdup("(inferred)"),
          b->decl->typed ? field_type(b->decl) : strdup("(inferred)"));
  optionals(pd, what, a->decl, b->decl);
  exprs(pd, what, "", a->decl->expr, b->decl->expr);
}

static void cmp_points(Pd *pd, Sym *a, Sym *b) {
  char what[300];
  snprintf(what, sizeof what, "points %s", a->name);
  titles(pd, what, a->decl, b->decl);
  changed(pd, what, "cap", range_text(&a->decl->range), range_text(&b->decl->range));
  exprs(pd, what, "rule", a->decl->expr, b->decl->expr);
}

static void cmp_category(Pd *pd, Sym *a, Sym *b) {
  char what[300];
  snprintf(what, sizeof what, "category %s", a->name);
  titles(pd, what, a->decl, b->decl);
  changed(pd, what, "range", range_text(&a->decl->range), range_text(&b->decl->range));
}

static void cmp_tier(Pd *pd, Sym *a, Sym *b) {
  char what[300];
  snprintf(what, sizeof what, "tier %s", a->name);
  titles(pd, what, a->decl, b->decl);
  exprs(pd, what, "condition", a->decl->expr, b->decl->expr);
}

/* A ladder's floor (`tiers floor held { ... }`), as text; "(none)". */
static char *floor_text(const Decl *ladder) {
  return ladder && ladder->expr ? text_of(ladder->expr) : strdup("(none)");
}

/* How a record's track is chosen, as the program says it. */
static char *choice_text(const Decl *choose) {
  return strdup(!choose ? "first that holds"
                : choose->ftype == TIES_LAST ? "best score, ties last" : "best score, ties first");
}

static const Decl *own_ladder(const Decl *track) {
  for (const Decl *k = track->kids; k; k = k->next)
    if (k->kind == DECL_TIERS) return k;
  return NULL;
}

static void cmp_track(Pd *pd, Sym *a, Sym *b) {
  char what[300];
  snprintf(what, sizeof what, "track %s", a->name);
  titles(pd, what, a->decl, b->decl);
  changed(pd, what, "range", range_text(&a->decl->range), range_text(&b->decl->range));
  exprs(pd, what, "condition", a->decl->expr, b->decl->expr);
  changed(pd, what, "tiers floor", floor_text(own_ladder(a->decl)), floor_text(own_ladder(b->decl)));
}

static void cmp_benefit(Pd *pd, Sym *a, Sym *b) {
  char what[300];
  snprintf(what, sizeof what, "benefit %s", a->name);
  titles(pd, what, a->decl, b->decl);
  for (int pass = 0; pass < 2; pass++) {
    const Decl *x = pass ? b->decl : a->decl, *y = pass ? a->decl : b->decl;
    for (const Decl *e = x->kids; e; e = e->next) {
      const Decl *f = y->kids;
      while (f && !(e->sym && f->sym && strcmp(e->sym->name, f->sym->name) == 0)) f = f->next;
      const char *tier = e->sym ? e->sym->name : "?";
      char *v = text_of(e->expr);
      if (!f) say(pd, "%s: %s = %s %s", what, tier, v, pass ? "added" : "removed");
      else if (!pass) {
        char w[400];
        snprintf(w, sizeof w, "%s for %s", what, tier);
        changed(pd, w, "", strdup(v), text_of(f->expr));
      }
      free(v);
    }
  }
}

static void meta(Pd *pd, const char *what, const Decl *a, const Decl *b) {
  const char *x = a ? (a->title ? a->title : "") : "(none)", *y = b ? (b->title ? b->title : "") : "(none)";
  if (strcmp(x, y) != 0) say(pd, "%s: \"%s\" -> \"%s\"", what, x, y);
}

int pd_compare(Checker *a, Checker *b, FILE *out) {
  Pd pd = {.out = out};
  meta(&pd, "program", a->program, b->program);
  meta(&pd, "version", a->version, b->version);
  each(&pd, "field", &a->fields, &b->fields, cmp_field, describe_field);
  each(&pd, "param", &a->params, &b->params, cmp_param, describe_plain);
  each(&pd, "let", &a->lets, &b->lets, cmp_expr_sym, describe_plain);
  each(&pd, "function", &a->fns, &b->fns, cmp_expr_sym, describe_plain);
  each(&pd, "track", &a->tracks, &b->tracks, cmp_track, describe_plain);
  each(&pd, "category", &a->categories, &b->categories, cmp_category, describe_plain);
  each(&pd, "points", &a->points, &b->points, cmp_points, describe_plain);
  each(&pd, "tier", &a->tiers, &b->tiers, cmp_tier, describe_plain);
  changed(&pd, "tiers", "floor", floor_text(a->tierdecl), floor_text(b->tierdecl));
  changed(&pd, "tracks", "chosen", choice_text(a->choose), choice_text(b->choose));
  each(&pd, "badge", &a->badges, &b->badges, cmp_expr_sym, describe_plain);
  each(&pd, "benefit", &a->benefits, &b->benefits, cmp_benefit, describe_plain);
  each(&pd, "payout", &a->payouts, &b->payouts, cmp_expr_sym, describe_plain);
  each(&pd, "output", &a->outputs, &b->outputs, cmp_output, describe_plain);
  return pd.changes;
}

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


static char *text_of(const Node *n) { return n ? fmt_text(fmt_expr, n) : strdup(""); }

static char *range_text(const Range *r) {
  char *s = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&s, &len);
  if (!m) abort();
  if (!r->present) fputs("none", m);
  else {
    /* a literal as written; a field's range end that names fields, canonical */
    if (r->lo.present) fwrite(r->lo.tok.p, 1, (size_t)r->lo.tok.n, m);
    else if (r->lo.expr) fmt_expr(m, r->lo.expr);
    fputs("..", m);
    if (r->hi.present) fwrite(r->hi.tok.p, 1, (size_t)r->hi.tok.n, m);
    else if (r->hi.expr) fmt_expr(m, r->hi.expr);
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

/* A declaration as written: a per-member copy's is the `per GROUP`
   declaration it was made from (group.c), and an expression the same. */
static const Decl *as_written(const Sym *s) {
  const Decl *d = s->decl;
  return d && d->origin && d->origin->kind != DECL_GROUP ? d->origin : d;
}

static const Node *written_expr(const Decl *d) { return d->written ? d->written : d->expr; }

/* Whether diff speaks of s: a group's fields are spoken of with their
   group, and a per-member declaration once, by its first member's copy. */
static bool shown(const Sym *s) {
  const Decl *d = s->decl;
  return !d || !d->origin || (d->origin->kind != DECL_GROUP && d->member == 0);
}

/* s's name as the program wrote it: `weighted per region`,
   `regional.acv_points per region`. */
static const char *label(const Sym *s, char *buf, size_t n) {
  const Decl *w = as_written(s);
  if (w == s->decl) return s->name;
  if (s->category)
    snprintf(buf, n, "%s.%.*s per %.*s", s->category->name, w->name.n, w->name.p, w->per.n, w->per.p);
  else
    snprintf(buf, n, "%.*s per %.*s", w->name.n, w->name.p, w->per.n, w->per.p);
  return buf;
}

/* Two rows' bounds are the same: equal literals, or the same param (a row
   whose bound becomes a param, even at the literal's value, changes). */
static bool same_bound(const Bound *a, const Bound *b) {
  if (a->named || b->named)
    return a->named && b->named && a->tok.n == b->tok.n && memcmp(a->tok.p, b->tok.p, (size_t)a->tok.n) == 0;
  return a->v == b->v;
}

/* Band rows by bound: values changed, rows added and removed. */
/* A band row's head, `..25`, `..<25` or `250..`; the caller frees. */
static char *row_head(const Node *r) { return fmt_text(fmt_band_row_head, r); }

/* The row of list with the same head as r: the same bound, read the same way. */
static const Node *same_row(const Node *list, const Node *r) {
  while (list && (!same_bound(&list->bound, &r->bound) || list->rowkind != r->rowkind)) list = list->next;
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

/* The definition of v that diff pairs with s: by name, and a per-member
   declaration by its name as written, whatever its group's first member
   is called now. */
static Sym *counterpart(const SymVec *v, const Sym *s) {
  if (as_written(s) == s->decl) return find(v, s->name);
  char want[300], have[300];
  label(s, want, sizeof want);
  for (int i = 0; i < v->n; i++)
    if (shown(v->v[i]) && strcmp(label(v->v[i], have, sizeof have), want) == 0) return v->v[i];
  return NULL;
}

static void each(Pd *pd, const char *kind, const SymVec *a, const SymVec *b, Compare cmp,
                 void (*describe)(Pd *, const char *, const char *, Sym *)) {
  for (int i = 0; i < a->n; i++) {
    Sym *o = a->v[i];
    if (!shown(o)) continue;
    Sym *n = counterpart(b, o);
    if (!n) describe(pd, kind, "removed", o);
    else if (cmp) cmp(pd, o, n);
  }
  for (int i = 0; i < b->n; i++)
    if (shown(b->v[i]) && !counterpart(a, b->v[i])) describe(pd, kind, "added", b->v[i]);
}

/* An added or removed definition: its title, range and rule or condition. */
static void describe_plain(Pd *pd, const char *kind, const char *how, Sym *s) {
  const Decl *d = as_written(s);
  char *e = d && d->expr ? text_of(written_expr(d)) : NULL;
  char *r = d && d->range.present ? range_text(&d->range) : NULL;
  bool when = s->kind == SYM_TIER || s->kind == SYM_BADGE || s->kind == SYM_TRACK;
  char name[300];
  fprintf(pd->out, "%s %s %s", kind, label(s, name, sizeof name), how);
  if (d && d->title) fprintf(pd->out, ": \"%s\"", d->title);
  if (r) fprintf(pd->out, "%s %s", d->title ? "" : ":", r);
  if (e && *e) fprintf(pd->out, "%s %s %s", d->title || r ? "" : ":", when ? "when" : "=", e);
  putc('\n', pd->out);
  pd->changes++;
  free(e);
  free(r);
}

static char *field_type(const Decl *d) {
  static const char *const names[] = {"text", "number", "money", "count", "percent", "flag", "date", "int"};
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
  if (d->places.p) fprintf(m, " places %.*s", d->places.n, d->places.p);
  if (d->key) fputs(" key", m);
  if (d->optional) fputs(" optional", m);
  fclose(m);
  return s;
}

static void cmp_field(Pd *pd, Sym *a, Sym *b) {
  char what[300];
  snprintf(what, sizeof what, "field %s", a->name);
  changed(pd, what, "type", field_type(as_written(a)), field_type(as_written(b)));
  changed(pd, what, "range", range_text(&as_written(a)->range), range_text(&as_written(b)->range));
}

static void describe_field(Pd *pd, const char *kind, const char *how, Sym *s) {
  char *t = field_type(s->decl);
  say(pd, "%s %s %s: %s", kind, s->name, how, t);
  free(t);
}

static void cmp_param(Pd *pd, Sym *a, Sym *b) {
  char what[300];
  snprintf(what, sizeof what, "param %s", a->name);
  if (as_written(a)->kind != as_written(b)->kind) {
    say(pd, "%s: now %s", what, as_written(b)->kind == DECL_PARAM_BY ? "keyed" : "a single value");
    return;
  }
  if (as_written(a)->kind == DECL_PARAM) { exprs(pd, what, "", written_expr(as_written(a)), written_expr(as_written(b))); return; }
  for (const Decl *e = as_written(a)->kids; e; e = e->next) {
    const Decl *f = as_written(b)->kids;
    while (f && !(f->name.n == e->name.n && memcmp(f->name.p, e->name.p, (size_t)e->name.n) == 0)) f = f->next;
    snprintf(what, sizeof what, "param %s.%.*s", a->name, e->name.n, e->name.p);
    if (f) exprs(pd, what, "", e->expr, f->expr);
  }
}

/* A let, output or points that may now be unset, or no longer may. */
static void optionals(Pd *pd, const char *what, const Decl *a, const Decl *b) {
  if (a->optional != b->optional) say(pd, "%s: %s", what, b->optional ? "now optional (may be unset)" : "no longer optional");
}

static void cmp_expr_sym(Pd *pd, Sym *a, Sym *b) {
  char name[300];
  static const char *const kinds[] = {[SYM_LET] = "let", [SYM_FN] = "function", [SYM_PAYOUT] = "payout",
                                      [SYM_BADGE] = "badge"};
  char what[400];
  snprintf(what, sizeof what, "%s %s", kinds[a->kind], label(a, name, sizeof name));
  titles(pd, what, as_written(a), as_written(b));
  optionals(pd, what, as_written(a), as_written(b));
  exprs(pd, what, a->kind == SYM_BADGE ? "condition" : "", written_expr(as_written(a)), written_expr(as_written(b)));
}

/* An output: its title, its declared type (or none: inferred), its value. */
static void cmp_output(Pd *pd, Sym *a, Sym *b) {
  char what[400], name[300];
  snprintf(what, sizeof what, "output %s", label(a, name, sizeof name));
  titles(pd, what, as_written(a), as_written(b));
  changed(pd, what, "type", as_written(a)->typed ? field_type(as_written(a)) : strdup("(inferred)"),
          as_written(b)->typed ? field_type(as_written(b)) : strdup("(inferred)"));
  optionals(pd, what, as_written(a), as_written(b));
  exprs(pd, what, "", written_expr(as_written(a)), written_expr(as_written(b)));
}

static void cmp_points(Pd *pd, Sym *a, Sym *b) {
  char what[400], name[300];
  snprintf(what, sizeof what, "points %s", label(a, name, sizeof name));
  titles(pd, what, as_written(a), as_written(b));
  changed(pd, what, "cap", range_text(&as_written(a)->range), range_text(&as_written(b)->range));
  optionals(pd, what, as_written(a), as_written(b));
  exprs(pd, what, "rule", written_expr(as_written(a)), written_expr(as_written(b)));
}

static void cmp_category(Pd *pd, Sym *a, Sym *b) {
  char what[300];
  snprintf(what, sizeof what, "category %s", a->name);
  titles(pd, what, as_written(a), as_written(b));
  changed(pd, what, "range", range_text(&as_written(a)->range), range_text(&as_written(b)->range));
}

static void cmp_tier(Pd *pd, Sym *a, Sym *b) {
  char what[300];
  snprintf(what, sizeof what, "tier %s", a->name);
  titles(pd, what, as_written(a), as_written(b));
  exprs(pd, what, "condition", written_expr(as_written(a)), written_expr(as_written(b)));
}

/* A ladder's floor (`tiers floor held { ... }`), as text; "(none)". */
static char *floor_text(const Decl *ladder) {
  return ladder && ladder->expr ? text_of(written_expr(ladder)) : strdup("(none)");
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
  titles(pd, what, as_written(a), as_written(b));
  changed(pd, what, "range", range_text(&as_written(a)->range), range_text(&as_written(b)->range));
  exprs(pd, what, "condition", written_expr(as_written(a)), written_expr(as_written(b)));
  changed(pd, what, "tiers floor", floor_text(own_ladder(as_written(a))), floor_text(own_ladder(as_written(b))));
}

static void cmp_benefit(Pd *pd, Sym *a, Sym *b) {
  char what[300];
  snprintf(what, sizeof what, "benefit %s", a->name);
  titles(pd, what, as_written(a), as_written(b));
  for (int pass = 0; pass < 2; pass++) {
    const Decl *x = pass ? as_written(b) : as_written(a), *y = pass ? as_written(a) : as_written(b);
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

/* A group as a line of text: `(na, emea) columns "..." { acv money in $0.., ... }`. */
static char *group_text(const Decl *g) {
  char *s = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&s, &len);
  if (!m) abort();
  putc('(', m);
  for (const Node *n = g->members; n; n = n->next) fprintf(m, "%.*s%s", n->tok.n, n->tok.p, n->next ? ", " : ")");
  if (g->title) fprintf(m, " columns \"%s\"", g->title);
  fputs(" {", m);
  for (const Decl *f = g->kids; f; f = f->next) {
    char *t = field_type(f), *r = range_text(&f->range);
    fprintf(m, " %.*s %s%s%s%s", f->name.n, f->name.p, t, f->range.present ? " in " : "", f->range.present ? r : "",
            f->next ? "," : "");
    free(t);
    free(r);
  }
  fputs(" }", m);
  fclose(m);
  return s;
}

static const Decl *find_group(const Checker *ck, const Decl *g) {
  for (int i = 0; i < ck->ngroups; i++)
    if (ck->groups[i]->name.n == g->name.n && memcmp(ck->groups[i]->name.p, g->name.p, (size_t)g->name.n) == 0)
      return ck->groups[i];
  return NULL;
}

/* A record's groups: added, removed, or changed (members, columns or
   fields, said as the whole group before and after). */
static void groups(Pd *pd, const Checker *a, const Checker *b) {
  for (int i = 0; i < a->ngroups; i++) {
    const Decl *g = a->groups[i], *h = find_group(b, g);
    char what[300];
    snprintf(what, sizeof what, "group %.*s", g->name.n, g->name.p);
    if (h) changed(pd, what, "", group_text(g), group_text(h));
    else {
      char *t = group_text(g);
      say(pd, "%s removed: %s", what, t);
      free(t);
    }
  }
  for (int i = 0; i < b->ngroups; i++) {
    const Decl *h = b->groups[i];
    if (find_group(a, h)) continue;
    char *t = group_text(h);
    say(pd, "group %.*s added: %s", h->name.n, h->name.p, t);
    free(t);
  }
}

/* Windows: each end's rule. */
static void cmp_window(Pd *pd, Sym *a, Sym *b) {
  char what[300];
  snprintf(what, sizeof what, "window %s", a->name);
  exprs(pd, what, "start", a->decl->expr, b->decl->expr);
  exprs(pd, what, "end", a->decl->expr2, b->decl->expr2);
}

static void describe_window(Pd *pd, const char *kind, const char *how, Sym *s) {
  char *x = text_of(s->decl->expr), *y = text_of(s->decl->expr2);
  say(pd, "%s %s %s: %s to %s", kind, s->name, how, x, y);
  free(x);
  free(y);
}

/* `period A to B`, `period N months to as_of`, `effective D`: as written. */
static char *decl_text(const Decl *d, bool period) {
  if (!d) return strdup("(none)");
  char *s = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&s, &len);
  if (!m) abort();
  if (!period) fprintf(m, "%.*s", d->name.n, d->name.p);
  else fprintf(m, "%.*s%s%.*s", d->name.n, d->name.p, d->dotted ? " months to " : " to ", d->date2.n, d->date2.p);
  fclose(m);
  return s;
}

static void meta(Pd *pd, const char *what, const Decl *a, const Decl *b) {
  const char *x = a ? (a->title ? a->title : "") : "(none)", *y = b ? (b->title ? b->title : "") : "(none)";
  if (strcmp(x, y) != 0) say(pd, "%s: \"%s\" -> \"%s\"", what, x, y);
}

int pd_compare(Checker *a, Checker *b, FILE *out) {
  Pd pd = {.out = out};
  meta(&pd, "program", a->program, b->program);
  meta(&pd, "version", a->version, b->version);
  changed(&pd, "period", "", decl_text(a->period, true), decl_text(b->period, true));
  changed(&pd, "effective", "", decl_text(a->effective, false), decl_text(b->effective, false));
  each(&pd, "field", &a->fields, &b->fields, cmp_field, describe_field);
  each(&pd, "activity field", &a->afields, &b->afields, cmp_field, describe_field);
  each(&pd, "window", &a->windows, &b->windows, cmp_window, describe_window);
  groups(&pd, a, b);
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

/*
** check.c — see check.h.  One walk over the declarations collects symbols;
** then every let, points, category, tier and test is checked.  Lets, points,
** categories and the score are checked on first use as well, so a reference
** to one being checked is a cycle, reported where it closes.
*/
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runtime/date.h"
#include "../runtime/records.h"

/* ---- symbols ------------------------------------------------------------ */

static size_t hash(Namespace ns, const char *s, size_t n) {
  size_t h = 2166136261u ^ (size_t)ns;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

static void vec_push(SymVec *v, Sym *s) {
  if (v->n == v->cap) {
    v->cap = v->cap ? v->cap * 2 : 16;
    v->v = realloc(v->v, (size_t)v->cap * sizeof *v->v);
    if (!v->v) abort();
  }
  v->v[v->n++] = s;
}

Sym *chk_lookup(Checker *ck, Namespace ns, const char *name, size_t len) {
  if (!ck->tabcap) return NULL;
  for (Sym *s = ck->tab[hash(ns, name, len) & (ck->tabcap - 1)]; s; s = s->hnext)
    if (s->ns == ns && strlen(s->name) == len && memcmp(s->name, name, len) == 0)
      return s;
  return NULL;
}

static void grow(Checker *ck) {
  size_t cap = ck->tabcap ? ck->tabcap * 2 : 256;
  Sym **tab = calloc(cap, sizeof *tab);
  if (!tab) abort();
  for (size_t i = 0; i < ck->tabcap; i++)
    for (Sym *s = ck->tab[i], *next; s; s = next) {
      next = s->hnext;
      size_t h = hash(s->ns, s->name, strlen(s->name)) & (cap - 1);
      s->hnext = tab[h];
      tab[h] = s;
    }
  free(ck->tab);
  ck->tab = tab;
  ck->tabcap = cap;
}

/* ---- choice members ------------------------------------------------------ */

int chk_member(const Sym *f, const char *name, size_t len) {
  if (!f->mtab) return -1;
  size_t mask = f->mtabcap - 1;
  for (size_t i = hash(NS_VALUE, name, len) & mask; f->mtab[i]; i = (i + 1) & mask) {
    const Node *m = f->mnode[f->mtab[i] - 1];
    if ((size_t)m->tok.n == len && memcmp(m->tok.p, name, len) == 0) return f->mtab[i] - 1;
  }
  return -1;
}

static Diag *err_at(Checker *ck, DiagCode code, Tok t, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
AST_NOINLINE static Diag *err_at(Checker *ck, DiagCode code, Tok t, const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return diag_add(ck->dl, code, t.src, t.line, t.col, t.n, "%s", buf);
}

/* Underline the whole node, from its start (an opening parenthesis
   included) to the end of its first line. */
AST_NOINLINE static Tok span(const Node *n) {
  Tok t = n->tok;
  if (n->start && n->start < t.p) {
    const char *q = n->start;
    while (q < t.p && *q != '\n') q++;
    if (q == t.p) {   /* the parenthesis is on the token's line */
      t.col -= (int)(t.p - n->start);
      t.p = n->start;
    }
  }
  const char *p = t.p;
  while (p < n->end && *p != '\n') p++;
  t.n = (int)(p - t.p);
  return t;
}

static Sym *define(Checker *ck, Namespace ns, SymKind kind, const char *name,
                   size_t len, Decl *d, Tok at) {
  Sym *old = chk_lookup(ck, ns, name, len);
  if (old) {
    Diag *dg = err_at(ck, R0202, at, "'%.*s' is defined twice", (int)len, name);
    if (old->decl)
      diag_hint(dg, "the first definition is at line %d", old->decl->name.line);
    return NULL;
  }
  if (++ck->nsyms * 2 > ck->tabcap) grow(ck);
  Sym *s = ast_alloc(ck->ast, sizeof *s);
  s->ns = (uint8_t)ns;
  s->kind = (uint8_t)kind;
  s->name = ast_strdup(ck->ast, name, len);
  s->decl = d;
  size_t h = hash(ns, name, len) & (ck->tabcap - 1);
  s->hnext = ck->tab[h];
  ck->tab[h] = s;
  return s;
}

/* ---- types ---------------------------------------------------------------- */

static const Type TY_ERR = {T_ERR, 0}, TY_NUM = {T_NUM, 0}, TY_MONEY = {T_MONEY, 0},
                  TY_FLAG = {T_FLAG, 0}, TY_DATE = {T_DATE, 0}, TY_TEXT = {T_TEXT, 0},
                  TY_TIER = {T_TIER, 0};

const char *chk_type_name(Checker *ck, Type t, char *buf, size_t n) {
  static const char *names[] = {"an erroneous value", "a number", "money", "a flag",
                                "a date", "text", "a choice", "days", "months", "a tier"};
  if (t.kind == T_ENUM && ck && t.en >= 0 && t.en < ck->choices.n)
    snprintf(buf, n, "a choice of %s", ck->choices.v[t.en]->shortname ? ck->choices.v[t.en]->shortname
                                                                       : ck->choices.v[t.en]->name);
  else
    snprintf(buf, n, "%s", names[t.kind]);
  return buf;
}

/* An error whose message names one type (fmt has one %s).  Out of line,
   like every helper of check() that formats text: check() recurses as
   deep as CHK_MAX_DEPTH, so its frame must not hold text buffers. */
AST_NOINLINE static Diag *err_type(Checker *ck, DiagCode code, Tok at, const char *fmt, Type t) {
  char tb[64];
  return err_at(ck, code, at, fmt, chk_type_name(ck, t, tb, sizeof tb));
}

static bool same(Type a, Type b) {
  return a.kind == b.kind && (a.kind != T_ENUM || a.en == b.en);
}

/* The type a field (or a typed output) declares: s lists the members of
   its own choice. */
static Type field_type(Checker *ck, Decl *d, Sym *s) {
  switch (d->ftype) {
  case FT_TEXT: return TY_TEXT;
  case FT_MONEY: return TY_MONEY;
  case FT_FLAG: return TY_FLAG;
  case FT_DATE: return TY_DATE;
  case FT_ENUM:
    vec_push(&ck->choices, s);
    return (Type){T_ENUM, ck->choices.n - 1};
  default: return TY_NUM;
  }
}

/* ---- guards: which optional fields a condition proves set ----------------- */

typedef struct Facts { const Sym *field; const struct Facts *up; } Facts;

/* What may have no value: an optional field, let, output or points. */
static bool may_be_unset(const Sym *s) {
  return (s->kind == SYM_FIELD || s->kind == SYM_LET || s->kind == SYM_OUTPUT || s->kind == SYM_POINTS) &&
         s->decl && s->decl->optional;
}

static bool known(const Facts *f, const Sym *s) {
  for (; f; f = f->up)
    if (f->field == s) return true;
  return false;
}

/* Facts live in the arena, not in a buffer on the C stack: check() is the
   deepest recursion of the front end, so its frame is kept small. */
static const Facts *push_fact(Checker *ck, const Facts *up, const Sym *s) {
  Facts *f = ast_alloc(ck->ast, sizeof *f);
  *f = (Facts){s, up};
  return f;
}

/* Facts that hold when `n` is true (positive) or false (!positive). */
static const Facts *guards(Checker *ck, const Facts *up, const Node *n, bool positive) {
  if (n->kind == AST_ISSET && positive && n->a->sym && may_be_unset(n->a->sym))
    return push_fact(ck, up, n->a->sym);
  if (n->kind == AST_NOT) return guards(ck, up, n->a, !positive);
  if (n->kind == AST_AND && positive)
    return guards(ck, guards(ck, up, n->a, true), n->b, true);
  if (n->kind == AST_OR && !positive)
    return guards(ck, guards(ck, up, n->a, false), n->b, false);
  return up;
}

/* One more level of check()'s recursion, unless that passes CHK_MAX_DEPTH:
   then the first place it is passed is reported, once, and the walk goes
   no deeper. */
static bool deeper(Checker *ck, Tok at) {
  if (ck->depth < CHK_MAX_DEPTH) return true;
  if (!ck->too_deep) {
    ck->too_deep = true;
    Diag *dg = err_at(ck, R0108, at, "nested more than %d levels deep, counting the "
                      "functions it calls", CHK_MAX_DEPTH);
    if (ck->cycle)
      diag_hint(dg, "this is reached through a cycle of lets, points or categories that "
                "use each other: break the cycle");
    else
      diag_hint(dg, "each operator, if, band and call is a level, and so is each level of "
                "the functions it calls: split the expression into lets");
  }
  return false;
}

/* ---- expressions ---------------------------------------------------------- */

static Type check(Checker *ck, Node *n, const Facts *f);
static void check_slot(Checker *ck, Sym *s, Tok at);

static void bump(Checker *ck, uint8_t level) {
  if (level > ck->level) ck->level = level;
}

static const char *const builtins[] = {"min", "max", "clamp", "floor", "ceil", "round", "abs"};

AST_NOINLINE static void suggest(Checker *ck, Diag *d, const char *name, size_t len, Namespace ns1,
                    Namespace ns2) {
  const char **cands = NULL;
  size_t n = 0, cap = 0;
  for (size_t i = 0; i < ck->tabcap; i++)
    for (Sym *s = ck->tab[i]; s; s = s->hnext)
      if (s->ns == ns1 || s->ns == ns2) {
        if (n == cap) {
          cap = cap ? cap * 2 : 64;
          cands = realloc(cands, cap * sizeof *cands);
          if (!cands) abort();
        }
        cands[n++] = s->name;
      }
  const char *best = diag_closest(name, len, cands, n);
  if (best) diag_hint(d, "did you mean '%s'?", best);
  free(cands);
}

/* ---- levers: params as caps, range ends, band bounds, benefit values ------- */

ValueType chk_value_type(Type t) {
  switch (t.kind) {
  case T_MONEY: return VT_MONEY;
  case T_FLAG: return VT_FLAG;
  case T_DATE: return VT_DATE;
  case T_TEXT: return VT_TEXT;
  case T_ENUM: return VT_CHOICE;
  case T_TIER: return VT_TIER;
  default: return VT_NUMBER;
  }
}

static const char *sym_kind_word(const Sym *s) {
  switch (s->kind) {
  case SYM_FIELD: return "a field";
  case SYM_LET: return "a let";
  case SYM_BADGE: return "a badge";
  case SYM_BENEFIT: return "a benefit";
  case SYM_PAYOUT: return "a payout";
  default: return "not a param";
  }
}

/* The param a lever names (a bound, a benefit's value), marked used; NULL,
   reported, when the name is unknown or not a param. */
AST_NOINLINE static Sym *lever_param(Checker *ck, Tok name, const char *what) {
  Sym *s = chk_lookup(ck, NS_VALUE, name.p, (size_t)name.n);
  if (!s) {
    Diag *d = err_at(ck, R0201, name, "unknown name '%.*s'", name.n, name.p);
    suggest(ck, d, name.p, (size_t)name.n, NS_VALUE, NS_VALUE);
    return NULL;
  }
  s->used = true;
  if (s->kind == SYM_PARAM) return s;
  Diag *d = err_at(ck, R0405, name, "%s is a literal or a param, and '%s' is %s", what, s->name,
                   sym_kind_word(s));
  diag_hint(d, "it is the same for every record of a run: declare it as 'param NAME = VALUE', "
            "which a run may set with --set");
  return NULL;
}

/* Resolves a bound written as a name to its param, whose type (and for a
   keyed param, the record's member's value) the bound takes.  False when
   it is not one (reported) or the param itself is in error. */
static bool lever(Checker *ck, Bound *b, const char *what) {
  if (!b->named) return true;
  if (b->fn_arg) {
    Diag *d = err_at(ck, R0405, b->tok, "%s is a literal or a param, and '%.*s' is an argument of the "
                     "function", what, b->tok.n, b->tok.p);
    diag_hint(d, "a band's bounds are the same for every call: compare with the argument in an "
              "'if' instead, or make the bound a param");
    return false;
  }
  if (!b->param) {
    b->param = lever_param(ck, b->tok, what);
    if (b->param) b->kind = b->param->ty.kind;
  }
  return b->param && b->param->ty.kind != T_ERR;
}

/* Records that lo must stay below hi (strict) or not above it, where one
   is a param; once per place, however many fn calls check it. */
static void add_rule(Checker *ck, const Bound *lo, const Bound *hi, bool strict, bool band, const char *what,
                     Tok at) {
  if (!lo->present || !hi->present) return;
  if ((lo->named && !lo->param) || (hi->named && !hi->param)) return;   /* already reported */
  if (ck->nrules * 2 >= ck->capruleseen) {   /* the positions seen, open addressing */
    int cap = ck->capruleseen ? ck->capruleseen * 2 : 64;
    const char **tab = calloc((size_t)cap, sizeof *tab);
    if (!tab) abort();
    for (int i = 0; i < ck->capruleseen; i++)
      if (ck->ruleseen[i]) {
        size_t h = hash(NS_VALUE, (const char *)&ck->ruleseen[i], sizeof ck->ruleseen[i]) & (size_t)(cap - 1);
        while (tab[h]) h = (h + 1) & (size_t)(cap - 1);
        tab[h] = ck->ruleseen[i];
      }
    free(ck->ruleseen);
    ck->ruleseen = tab;
    ck->capruleseen = cap;
  }
  size_t mask = (size_t)ck->capruleseen - 1, h = hash(NS_VALUE, (const char *)&at.p, sizeof at.p) & mask;
  for (; ck->ruleseen[h]; h = (h + 1) & mask)
    if (ck->ruleseen[h] == at.p) return;
  ck->ruleseen[h] = at.p;
  if (ck->nrules == ck->caprules) {
    ck->caprules = ck->caprules ? ck->caprules * 2 : 16;
    ck->rules = realloc(ck->rules, (size_t)ck->caprules * sizeof *ck->rules);
    if (!ck->rules) abort();
  }
  ck->rules[ck->nrules++] = (LeverRule){lo, hi, strict, band, what, at};
}

/* A literal param value as it is stored: flags 0/1, numbers and money as
   Decs, dates as days. */
static int64_t param_literal(const Node *v) {
  if (chk_yes_no(v)) return v->tok.n == 3;
  return v->kind == AST_NEG ? -v->a->num : v->num;
}

/* Every param's values, laid out as the Program will hold them (Checker.pinfo). */
static void param_table(Checker *ck) {
  int total = 0;
  ck->pinfo = calloc((size_t)ck->params.n + 1, sizeof *ck->pinfo);
  if (!ck->pinfo) abort();
  for (int i = 0; i < ck->params.n; i++) {
    Sym *s = ck->params.v[i];
    ParamInfo *pi = &ck->pinfo[i];
    bool keyed = s->decl->kind == DECL_PARAM_BY && s->category;
    int count = 0;
    if (keyed)
      for (const Node *m = s->category->decl->members; m; m = m->next) count++;
    *pi = (ParamInfo){(char *)s->name, (uint8_t)chk_value_type(s->ty), keyed ? s->category->index : -1,
                      total, keyed ? count : 1};
    s->slot = total;
    total += pi->count;
  }
  ck->npvalues = total;
  ck->pvalues = calloc((size_t)total + 1, sizeof *ck->pvalues);
  if (!ck->pvalues) abort();
  for (int i = 0; i < ck->params.n; i++) {
    const Decl *d = ck->params.v[i]->decl;
    const ParamInfo *pi = &ck->pinfo[i];
    if (pi->keyfield < 0) {   /* a keyed param in error has no value of its own */
      if (d->kind == DECL_PARAM) ck->pvalues[pi->base] = param_literal(d->expr);
      continue;
    }
    for (const Decl *e = d->kids; e; e = e->next) {
      int m = chk_member(ck->fields.v[pi->keyfield], e->name.p, (size_t)e->name.n);
      if (m >= 0) ck->pvalues[pi->base + m] = param_literal(e->expr);
    }
  }
}

/* A declared range whose ends may name params: a cap, a category's or a
   track's range (check_range did its literal ends). */
static void lever_range(Checker *ck, Range *r, const char *what, const char *owner, const char *name) {
  if (!r->present || !(r->lo.named || r->hi.named)) return;
  Bound *b[2] = {&r->lo, &r->hi};
  for (int i = 0; i < 2; i++) {
    if (!b[i]->present || !b[i]->named || !lever(ck, b[i], "a range's end")) continue;
    if (b[i]->kind != T_NUM) {
      char tb[64];
      Diag *d = err_at(ck, R0304, b[i]->tok, "%s bound is %s but must be a number", what,
                       chk_type_name(ck, (Type){b[i]->kind, 0}, tb, sizeof tb));
      diag_hint(d, "param '%s' (line %d) holds %s; points are numbers, so their caps are too",
                b[i]->param->name, b[i]->param->decl->name.line, tb);
    }
  }
  char buf[300];
  snprintf(buf, sizeof buf, "%s %s", owner, name);
  if (r->lo.present && r->hi.present && (!r->lo.named || r->lo.kind == T_NUM) &&
      (!r->hi.named || r->hi.kind == T_NUM))
    add_rule(ck, &r->lo, &r->hi, false, false, ast_strdup(ck->ast, buf, strlen(buf)), r->tok);
}

static void lever_ranges(Checker *ck) {
  for (int i = 0; i < ck->points.n; i++)
    lever_range(ck, &ck->points.v[i]->decl->range, "a points cap's", "the cap of points", ck->points.v[i]->name);
  for (int i = 0; i < ck->categories.n; i++)
    lever_range(ck, &ck->categories.v[i]->decl->range, "a category's", "the range of category",
                ck->categories.v[i]->name);
  for (int i = 0; i < ck->tracks.n; i++)
    lever_range(ck, &ck->tracks.v[i]->decl->range, "a track's", "the range of track", ck->tracks.v[i]->name);
}

/* One end of a rule as a message says it: "0", "cert_cap = 60",
   "cap.west = 40". */
AST_NOINLINE static void rule_end(Checker *ck, const Bound *b, int vi, char *buf, size_t n) {
  if (!b->named) { snprintf(buf, n, "%.*s", b->tok.n, b->tok.p); return; }
  char v[DEC_FMT_MAX + 2];
  if (b->kind == T_DATE) date_format(ck->pvalues[vi], v);
  else dec_format(ck->pvalues[vi], v);
  const ParamInfo *pi = &ck->pinfo[b->param->index];
  const char *dollar = b->kind == T_MONEY ? "$" : "";
  if (pi->keyfield < 0) { snprintf(buf, n, "%s = %s%s", pi->name, dollar, v); return; }
  const Node *m = ck->fields.v[pi->keyfield]->mnode[vi - pi->base];
  snprintf(buf, n, "%s.%.*s = %s%s", pi->name, m ? m->tok.n : 1, m ? m->tok.p : "?", dollar, v);
}

/* Each rule, at the params' declared values (R0402 for a range, R0401
   for a band). */
static void check_rules(Checker *ck) {
  for (int i = 0; i < ck->nrules; i++) {
    const LeverRule *lr = &ck->rules[i];
    if ((lr->lo->named && lr->lo->kind == T_ERR) || (lr->hi->named && lr->hi->kind == T_ERR)) continue;
    ParamRule r = {.strict = lr->strict, .band = lr->band, .lo_param = lr->lo->named ? lr->lo->param->index : -1,
                   .hi_param = lr->hi->named ? lr->hi->param->index : -1, .lo = lr->lo->v, .hi = lr->hi->v};
    int vlo, vhi;
    if (program_rule_holds(&r, ck->pinfo, ck->pvalues, &vlo, &vhi)) continue;
    char lo[300], hi[300];
    rule_end(ck, lr->lo, vlo, lo, sizeof lo);
    rule_end(ck, lr->hi, vhi, hi, sizeof hi);
    Diag *d;
    if (lr->band) {
      d = err_at(ck, R0401, lr->at, "band rows must rise: the bound %s follows %s", hi, lo);
      diag_hint(d, "each row's bound is above the one before it: change the params' declared values "
                "so that they rise");
    } else {
      d = err_at(ck, R0402, lr->at, "%s is empty: its low end %s is above its high end %s", lr->what, lo, hi);
      diag_hint(d, "change the params' declared values so that the low end is not above the high end");
    }
  }
}

static Type check_name(Checker *ck, Node *n, const Facts *f) {
  if (n->local >= 0) return n->ty;
  const char *name = n->tok.p;
  size_t len = (size_t)n->tok.n;
  /* In an aggregate's condition an activity's field comes first; the
     partner's is `record.NAME` (rowkind 1). */
  Sym *s = ck->agg && n->rowkind != 1 ? chk_lookup(ck, NS_ACTIVITY, name, len) : NULL;
  if (s) {
    s->used = true;
    n->sym = s;
    return s->ty;
  }
  s = chk_lookup(ck, NS_VALUE, name, len);
  if (!s && n->rowkind != 1 && len == 5 && memcmp(name, "as_of", 5) == 0) {   /* the assessment date */
    n->kind = AST_RUNDATE;
    n->num = RUNDATE_AS_OF;
    ck->uses_as_of = true;
    return TY_DATE;
  }
  if (n->rowkind == 1 && s && s->kind != SYM_FIELD) s = NULL;
  if (!s) s = chk_lookup(ck, NS_CATEGORY, name, len);
  if (!s) {
    if (n->rowkind == 1) {
      Diag *d = err_at(ck, R0201, n->tok, "the partner record has no field '%.*s'", (int)len, name);
      suggest(ck, d, name, len, NS_VALUE, NS_VALUE);
      return TY_ERR;
    }
    if (!ck->agg && chk_lookup(ck, NS_ACTIVITY, name, len)) {
      Diag *d = err_at(ck, R0216, n->tok, "'%.*s' is a field of an activity, known only inside an aggregate",
                       (int)len, name);
      diag_hint(d, "use it in an aggregate's condition or after its 'of': 'count(activity where %.*s ...)'",
                (int)len, name);
      return TY_ERR;
    }
    Diag *d = err_at(ck, R0201, n->tok, "unknown name '%.*s'", (int)len, name);
    suggest(ck, d, name, len, NS_VALUE, NS_CATEGORY);
    return TY_ERR;
  }
  s->used = true;
  n->sym = s;
  switch (s->kind) {
  case SYM_FIELD:
    if (s->decl->optional && !known(f, s) && !n->num) {   /* num: an optional let passes its unset on */
      Diag *d = err_at(ck, R0305, n->tok, "optional field '%s' may be unset here", s->name);
      diag_hint(d, "guard it ('%s is set and ...') or give a fallback ('%s default ...')",
                s->name, s->name);
    }
    return s->ty;
  case SYM_LET:
  case SYM_CATEGORY:
  case SYM_SCORE:
  case SYM_BADGE:
  case SYM_PAYOUT:
  case SYM_OUTPUT:
    check_slot(ck, s, n->tok);
    if (s->level == LEVEL_TIER && !ck->via) ck->via = s;   /* for R0211's path */
    if (may_be_unset(s) && !known(f, s) && !n->num) {
      Diag *d = err_at(ck, R0305, n->tok, "%s '%s' is optional and may be unset here",
                       s->kind == SYM_LET ? "let" : "output", s->shortname ? s->shortname : s->name);
      diag_hint(d, "guard it ('%s is set and ...') or give a fallback ('%s default ...')", n->sym->name,
                n->sym->name);
    }
    return s->ty;
  case SYM_BENEFIT:
    bump(ck, LEVEL_TIER);
    if (!ck->via) ck->via = s;
    return s->ty;
  default:
    return s->ty;
  }
}

/* category.points: the points, or NULL after reporting (out of line:
   the name buffer stays off check()'s recursion). */
AST_NOINLINE static Sym *points_of(Checker *ck, const Node *n, const Sym *cat) {
  char full[256];
  int len = snprintf(full, sizeof full, "%.*s.%.*s", n->tok.n, n->tok.p, n->tok2.n, n->tok2.p);
  Sym *p = chk_lookup(ck, NS_POINTS, full, (size_t)len);
  if (!p) {
    Diag *d = err_at(ck, R0201, span(n), "category '%s' has no points named '%.*s'",
                     cat->name, n->tok2.n, n->tok2.p);
    suggest(ck, d, full, (size_t)len, NS_POINTS, NS_POINTS);
  }
  return p;
}

static Type check_dot(Checker *ck, Node *n, const Facts *f) {
  Sym *cat = chk_lookup(ck, NS_CATEGORY, n->tok.p, (size_t)n->tok.n);
  if (!cat) {
    Diag *d = err_at(ck, R0201, n->tok, "unknown category '%.*s'", n->tok.n, n->tok.p);
    suggest(ck, d, n->tok.p, (size_t)n->tok.n, NS_CATEGORY, NS_CATEGORY);
    return TY_ERR;
  }
  if (n->tok2.n == 5 && memcmp(n->tok2.p, "total", 5) == 0) {
    n->sym = cat;
    cat->used = true;
    check_slot(ck, cat, n->tok);
    return TY_NUM;
  }
  Sym *p = points_of(ck, n, cat);
  if (!p) return TY_ERR;
  n->sym = p;
  p->used = true;
  check_slot(ck, p, n->tok);
  if (may_be_unset(p) && !known(f, p) && !n->num) {   /* num: an optional value passes its unset on */
    Diag *d = err_at(ck, R0305, n->tok, "points '%s' is optional and may be unset here", p->name);
    diag_hint(d, "guard it ('%s is set and ...') or give a fallback ('%s default 0')", p->name, p->name);
  }
  return TY_NUM;
}

/* A bare name or text literal naming a member of choice `t` becomes that
   member.  Members win over other names in such a place (docs/language.md). */
static bool as_member(Checker *ck, Node *n, Type t) {
  if (t.kind != T_ENUM || (n->kind != AST_NAME && n->kind != AST_STR) || n->local >= 0)
    return false;
  const char *name = n->kind == AST_STR ? n->str : n->tok.p;
  size_t len = n->kind == AST_STR ? strlen(n->str) : (size_t)n->tok.n;
  int i = chk_member(ck->choices.v[t.en], name, len);
  if (i < 0) return false;
  n->kind = AST_ENUMLIT;
  n->num = i;
  n->ty = t;
  return true;
}

AST_NOINLINE static void not_a_member(Checker *ck, Node *n, Type other) {
    Diag *d = err_at(ck, R0201, n->tok, "'%.*s' is not one of the values of %s", n->tok.n,
                     n->tok.p, ck->choices.v[other.en]->shortname ? ck->choices.v[other.en]->shortname
                                                                  : ck->choices.v[other.en]->name);
    Decl *fd = ck->choices.v[other.en]->decl;
    const char *cands[64];
    size_t nc = 0;
    for (Node *m = fd->members; m && nc < 64; m = m->next)
      cands[nc++] = ast_strdup(ck->ast, m->tok.p, (size_t)m->tok.n);
    const char *best = diag_closest(n->tok.p, (size_t)n->tok.n, cands, nc);
    if (best) diag_hint(d, "did you mean '%s'?", best);
}

/* Where a tier is compared (`tier >= gold`, `tier = reseller.premier`,
   `tier in (gold, none)`), a name is a tier of the program's ladders, or
   none: n becomes an AST_TIERLIT.  False (having said why) when it is a
   name that names no tier, or names several. */
static bool as_tier(Checker *ck, Node *n) {
  if (n->kind == AST_NAME && n->local < 0 && n->tok.n == 4 && memcmp(n->tok.p, "none", 4) == 0) {
    n->kind = AST_TIERLIT;
    n->num = -1;
    n->ty = TY_TIER;
    return true;
  }
  if (n->kind != AST_NAME && n->kind != AST_DOT) return false;
  if (n->kind == AST_NAME && (n->local >= 0 || chk_lookup(ck, NS_VALUE, n->tok.p, (size_t)n->tok.n)))
    return false;   /* a value of its own: a tier output, say */
  int len = (int)(n->end - n->tok.p);
  bool ambiguous;
  Sym *t = chk_tier(ck, n->tok.p, (size_t)len, &ambiguous);
  if (!t) {
    Diag *d = err_at(ck, ambiguous ? R0212 : R0201, span(n),
                     ambiguous ? "several tracks have a tier '%.*s'" : "no tier named '%.*s'", len, n->tok.p);
    if (ambiguous) diag_hint(d, "name it with its track: TRACK.%.*s", len, n->tok.p);
    else suggest(ck, d, n->tok.p, (size_t)len, NS_TIER, NS_TIER);
  }
  if (n->kind == AST_NAME) n->tok2 = (Tok){0};
  n->kind = AST_TIERLIT;
  n->num = t ? t->index : -1;
  n->ty = t ? TY_TIER : TY_ERR;
  return true;
}

static Type member_or_check(Checker *ck, Node *n, Type other, const Facts *f) {
  if (other.kind == T_TIER && as_tier(ck, n)) return n->ty;
  if (as_member(ck, n, other)) return other;
  if (other.kind == T_ENUM && (n->kind == AST_NAME || n->kind == AST_STR) && n->local < 0 &&
      !chk_lookup(ck, NS_VALUE, n->tok.p, (size_t)n->tok.n)) {
    not_a_member(ck, n, other);
    return TY_ERR;
  }
  return check(ck, n, f);
}

static bool numeric(Type t) { return t.kind == T_NUM || t.kind == T_MONEY; }

AST_NOINLINE static void type_error(Checker *ck, DiagCode code, Node *at, const char *what, Type a, Type b) {
  char ta[64], tb[64];
  err_at(ck, code, span(at), "%s %s and %s", what, chk_type_name(ck, a, ta, sizeof ta),
         chk_type_name(ck, b, tb, sizeof tb));
}

AST_NOINLINE static Type arith(Checker *ck, Node *n, Type a, Type b) {
  if (a.kind == T_ERR || b.kind == T_ERR) return TY_ERR;
  int k = n->kind;
  if (k == AST_ADD || k == AST_SUB) {
    if (a.kind == T_DATE && (b.kind == T_DAYS || b.kind == T_MONTHS)) return TY_DATE;
    if (k == AST_ADD && b.kind == T_DATE && (a.kind == T_DAYS || a.kind == T_MONTHS))
      return TY_DATE;
    if (k == AST_SUB && a.kind == T_DATE && b.kind == T_DATE) return TY_NUM;
    if (numeric(a) && same(a, b)) return a;
    Diag *d = NULL;
    char ta[64], tb[64];
    d = err_at(ck, R0301, span(n), "cannot %s %s and %s", k == AST_ADD ? "add" : "subtract",
               chk_type_name(ck, a, ta, sizeof ta), chk_type_name(ck, b, tb, sizeof tb));
    if ((a.kind == T_MONEY && b.kind == T_NUM) || (a.kind == T_NUM && b.kind == T_MONEY))
      diag_hint(d, "money adds only to money: write an amount as $5000");
    else if (a.kind == T_DATE && b.kind == T_NUM)
      diag_hint(d, "say the unit: '+ N days' or '+ N months'");
    return TY_ERR;
  }
  if (k == AST_MUL) {
    if (a.kind == T_NUM && b.kind == T_NUM) return TY_NUM;
    if ((a.kind == T_MONEY && b.kind == T_NUM) || (a.kind == T_NUM && b.kind == T_MONEY))
      return TY_MONEY;
    Diag *d = NULL;
    char ta[64], tb[64];
    d = err_at(ck, R0301, span(n), "cannot multiply %s by %s",
               chk_type_name(ck, a, ta, sizeof ta), chk_type_name(ck, b, tb, sizeof tb));
    if (a.kind == T_MONEY && b.kind == T_MONEY)
      diag_hint(d, "divide one amount by another to get a ratio, then multiply");
    return TY_ERR;
  }
  /* AST_DIV */
  if (a.kind == T_NUM && b.kind == T_NUM) return TY_NUM;
  if (a.kind == T_MONEY && b.kind == T_MONEY) return TY_NUM;
  if (a.kind == T_MONEY && b.kind == T_NUM) return TY_MONEY;
  type_error(ck, R0301, n, "cannot divide", a, b);
  return TY_ERR;
}

AST_NOINLINE static Type flag_operand(Checker *ck, Node *n, Type t, const char *what) {
  if (t.kind != T_FLAG && t.kind != T_ERR) {
    char tb[64];
    err_at(ck, R0303, span(n), "%s must be a flag (yes/no), not %s", what,
           chk_type_name(ck, t, tb, sizeof tb));
    return TY_ERR;
  }
  return t;
}

/* Whether choice t lists its values in order: one of (a < b < c). */
static bool ordered(Checker *ck, Type t) {
  return t.kind == T_ENUM && t.en >= 0 && t.en < ck->choices.n && ck->choices.v[t.en]->decl->ordered;
}

AST_NOINLINE static Type compare(Checker *ck, Node *n, Type a, Type b) {
  if (a.kind == T_ERR || b.kind == T_ERR) return TY_FLAG;
  if (!same(a, b) || a.kind == T_DAYS || a.kind == T_MONTHS) {
    Diag *d = NULL;
    char ta[64], tb[64];
    d = err_at(ck, R0304, span(n), "cannot compare %s with %s",
               chk_type_name(ck, a, ta, sizeof ta), chk_type_name(ck, b, tb, sizeof tb));
    if (a.kind == T_MONEY && b.kind == T_NUM) diag_hint(d, "write the amount as money, as in $5000");
    return TY_FLAG;
  }
  bool ordering = n->kind != AST_EQ && n->kind != AST_NE;
  if (ordering && (a.kind == T_FLAG || a.kind == T_TEXT || (a.kind == T_ENUM && !ordered(ck, a)))) {
    char ta[64];
    Diag *d = err_at(ck, R0304, span(n), "%s can only be compared with = and !=",
                     chk_type_name(ck, a, ta, sizeof ta));
    if (a.kind == T_ENUM)
      diag_hint(d, "list its values lowest first with '<' to order them: one of (base < ridge < crest)");
  }
  /* tiers are ordered within a ladder: against a named tier, whose ladder
     says what above and below mean */
  if (ordering && a.kind == T_TIER && n->a->kind != AST_TIERLIT && n->b->kind != AST_TIERLIT) {
    Diag *d = err_at(ck, R0304, span(n), "two tiers are ordered only against a named tier");
    diag_hint(d, "compare with a tier by name, as in 'tier >= gold'");
  }
  return TY_FLAG;
}

/* The type two branches share, or an error at `at`. */
AST_NOINLINE static Type unify(Checker *ck, Node *at, Type a, Type b) {
  if (a.kind == T_ERR) return b;
  if (b.kind == T_ERR) return a;
  if (same(a, b)) return a;
  type_error(ck, R0307, at, "branches give", a, b);
  return TY_ERR;
}

static bool lever(Checker *ck, Bound *b, const char *what);

AST_NOINLINE static Type check_bound(Checker *ck, Bound *bd, Type subject) {
  if (!bd->present || subject.kind == T_ERR) return subject;
  if (bd->named && !lever(ck, bd, "a band's or range's bound")) return subject;
  if (bd->kind != subject.kind) {
    char ta[64], tb[64];
    Diag *d = err_at(ck, R0304, bd->tok, "bound is %s but the value is %s",
                     chk_type_name(ck, (Type){bd->kind, 0}, ta, sizeof ta),
                     chk_type_name(ck, subject, tb, sizeof tb));
    if (subject.kind == T_MONEY) diag_hint(d, "write money bounds as $5000");
  }
  return subject;
}

/* Copies a tree: recursion follows a, b and c (nesting, bounded by
   AST_MAX_DEPTH), a loop follows next, so a band of 100,000 rows or a
   call of many arguments costs no stack. */
static Node *clone(Checker *ck, const Node *n) {
  Node *head = NULL, **link = &head;
  for (; n; n = n->next) {
    Node *c = ast_alloc(ck->ast, sizeof *c);
    *c = *n;
    ck->expanded++;
    c->a = clone(ck, n->a);
    c->b = clone(ck, n->b);
    c->c = clone(ck, n->c);
    c->next = NULL;
    *link = c;
    link = &c->next;
  }
  return head;
}

static bool names(const Bound *b, const Node *param) {
  return b->named && b->tok.n == param->tok.n && memcmp(b->tok.p, param->tok.p, (size_t)b->tok.n) == 0;
}

static void bind(Node *n, const Node *param, int local, Type ty) {
  for (; n; n = n->next) {
    if (n->kind == AST_NAME && n->local < 0 && n->tok.n == param->tok.n &&
        memcmp(n->tok.p, param->tok.p, (size_t)n->tok.n) == 0) {
      n->local = local;
      n->ty = ty;
    }
    /* A bound names a param, fixed for the run; one that names an argument
       would silently mean a param of that name, or nothing. */
    if (n->kind == AST_ROW && names(&n->bound, param)) n->bound.fn_arg = true;
    if (n->kind == AST_INRANGE && names(&n->range.lo, param)) n->range.lo.fn_arg = true;
    if (n->kind == AST_INRANGE && names(&n->range.hi, param)) n->range.hi.fn_arg = true;
    if (n->kind == AST_CALL && n->c) continue;   /* already an instance */
    bind(n->a, param, local, ty);
    bind(n->b, param, local, ty);
    bind(n->c, param, local, ty);
  }
}

static int count_args(const Node *n) {
  int k = 0;
  for (; n; n = n->next) k++;
  return k;
}

/* The division whose exact quotient floor, ceil or round of n rounds
   once: n itself, or the body of the fn n calls (through calls of
   calls), when that is a division; else NULL.  A let or a fn's argument
   in between is a value, already rounded to 6 places (docs/language.md,
   "Numbers and rounding"). */
static Node *quotient_of(Node *n) {
  while (n->kind == AST_CALL && n->sym && n->c) n = n->c;
  return n->kind == AST_DIV && n->ty.kind != T_ERR ? n : NULL;
}

/* R0901: floor, ceil or round of a let whose value is a division, which
   is then rounded twice: to 6 places by the let, again by the call.  A
   fn's body is checked once per call, so the same place is reported
   once. */
AST_NOINLINE static void rounded_twice(Checker *ck, const Node *call) {
  const Node *a = call->b;
  if (a->kind != AST_NAME || a->local >= 0 || !a->sym || a->sym->kind != SYM_LET ||
      !quotient_of(a->sym->decl->expr))
    return;
  Tok at = span(call);
  for (const Diag *d = ck->dl->head; d; d = d->next)
    if (d->code == R0901 && d->src == at.src && d->line == at.line && d->col == at.col) return;
  const Node *e = a->sym->decl->expr;
  ptrdiff_t len = e->end - e->start;
  bool quote = len > 0 && len <= 60 && !memchr(e->start, '\n', (size_t)len);
  const Node *places = call->b->next;
  Diag *d = err_at(ck, R0901, at, "let '%s' is a division rounded to 6 places, which %.*s rounds again",
                   a->sym->name, call->tok.n, call->tok.p);
  if (quote)
    diag_hint(d, "round once, from the exact quotient: %.*s(%.*s%s%.*s)", call->tok.n, call->tok.p, (int)len,
              e->start, places ? ", " : "", places ? places->tok.n : 0, places ? places->tok.p : "");
  else
    diag_hint(d, "round once, from the exact quotient: write the division inside the call");
}

AST_NOINLINE static Type check_builtin(Checker *ck, Node *n, int which, const Facts *f) {
  static const int minargs[] = {2, 2, 3, 1, 1, 1, 1}, maxargs[] = {99, 99, 3, 1, 1, 2, 1};
  int argc = count_args(n->b);
  n->num = which;
  if (argc < minargs[which] || argc > maxargs[which]) {
    int lo = minargs[which], hi = maxargs[which];
    if (lo == hi)
      err_at(ck, R0204, span(n), "%s takes %d argument%s, not %d", builtins[which], lo, lo == 1 ? "" : "s", argc);
    else
      err_at(ck, R0204, span(n), "%s takes %d %s %d arguments, not %d", builtins[which], lo,
             hi == lo + 1 ? "or" : "to", hi, argc);
    return TY_ERR;
  }
  if (which <= 2) {   /* min, max, clamp: all alike, numbers, money, dates or an ordered choice */
    Type t = TY_ERR;
    for (Node *a = n->b; a; a = a->next) {
      Type at = t.kind == T_ENUM ? member_or_check(ck, a, t, f) : check(ck, a, f);
      if (at.kind == T_ERR) continue;
      if (!numeric(at) && at.kind != T_DATE && !ordered(ck, at)) {
        char tb[64];
        err_at(ck, R0309, span(a), "%s needs numbers, money, dates or an ordered choice, not %s",
               builtins[which], chk_type_name(ck, at, tb, sizeof tb));
        continue;
      }
      if (t.kind == T_ERR) t = at;
      else if (!same(t, at)) type_error(ck, R0309, a, "arguments mix", t, at);
    }
    return t;
  }
  Type t = check(ck, n->b, f);
  if (t.kind != T_ERR && !numeric(t)) {
    char tb[64];
    err_at(ck, R0309, span(n->b), "%s needs a number or money, not %s", builtins[which],
           chk_type_name(ck, t, tb, sizeof tb));
    return TY_ERR;
  }
  if (which == 5 && argc == 2) {
    Node *d = n->b->next;
    if (d->kind != AST_NUM || !dec_is_whole(d->num) || d->num < 0 ||
        d->num > DEC_DIGITS * DEC_SCALE) {
      err_at(ck, R0309, span(d), "round's places must be a whole number from 0 to %d",
             DEC_DIGITS);
    }
    d->ty = TY_NUM;
  }
  if (which >= 3 && which <= 5 && t.kind != T_ERR) {   /* floor, ceil, round */
    n->quot = quotient_of(n->b);
    if (!n->quot) rounded_twice(ck, n);
  }
  return t;
}

AST_NOINLINE static void unknown_fn(Checker *ck, const Node *n) {
  Diag *d = err_at(ck, R0203, n->tok, "unknown function '%.*s'", n->tok.n, n->tok.p);
  const char *cands[64];
  size_t nc = 0;
  for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++) cands[nc++] = builtins[i];
  for (int i = 0; i < ck->fns.n && nc < 64; i++) cands[nc++] = ck->fns.v[i]->name;
  const char *best = diag_closest(n->tok.p, (size_t)n->tok.n, cands, nc);
  if (best) diag_hint(d, "did you mean '%s'?", best);
}

static Type check_call(Checker *ck, Node *n, const Facts *f) {
  for (int i = 0; i < (int)(sizeof builtins / sizeof *builtins); i++)
    if (strlen(builtins[i]) == (size_t)n->tok.n && memcmp(builtins[i], n->tok.p, (size_t)n->tok.n) == 0)
      return check_builtin(ck, n, i, f);
  Sym *fn = chk_lookup(ck, NS_FN, n->tok.p, (size_t)n->tok.n);
  if (!fn) {
    unknown_fn(ck, n);
    for (Node *a = n->b; a; a = a->next) check(ck, a, f);
    return TY_ERR;
  }
  fn->used = true;
  n->sym = fn;
  int argc = count_args(n->b), want = count_args(fn->decl->params);
  if (argc != want) {
    err_at(ck, R0204, span(n), "%s takes %d argument%s, not %d", fn->name, want,
           want == 1 ? "" : "s", argc);
    return TY_ERR;
  }
  if (fn->state == 1) {
    err_at(ck, R0205, n->tok, "function '%s' calls itself; rubric has no recursion", fn->name);
    return TY_ERR;
  }
  if (ck->expanded > CHK_MAX_EXPANSION) return TY_ERR;
  /* Each call checks its own copy of the body, with the arguments' types. */
  Node *body = clone(ck, fn->decl->expr);
  body->next = NULL;
  if (ck->expanded > CHK_MAX_EXPANSION) {
    err_at(ck, R0108, n->tok, "functions expand to more than %ld nodes", CHK_MAX_EXPANSION);
    return TY_ERR;
  }
  Node *a = n->b;
  bool ok = true;
  for (Node *p = fn->decl->params; p; p = p->next, a = a->next) {
    Type at = check(ck, a, f);
    if (at.kind == T_ERR) ok = false;
    a->argslot = ck->nlocals++;
    bind(body, p, a->argslot, at);
  }
  if (!ok) return TY_ERR;
  fn->state = 1;
  Node *saved_agg = ck->agg;   /* a fn's body sees its arguments, not an activity's fields */
  ck->agg = NULL;
  Type t = check(ck, body, NULL);
  ck->agg = saved_agg;
  fn->state = 0;
  n->c = body;
  return t;
}

/* The text of a band row's head as written: `..25`, `..<25`, `250..`. */
static int row_head_len(const Node *r) { return (int)(r->tok2.p + r->tok2.n - r->tok.p); }
static Tok row_head(const Node *r) { Tok t = r->tok; t.n = row_head_len(r); return t; }

/* A row must hold values the rows before it do not (R0401).  Rows with an
   upper end rise, and `..<25` then `..25` is a row for 25 alone; rows
   with a lower end rise strictly.  One band's rows all go one way, since
   "up to 25" rows and "from 250" rows read in opposite orders: false,
   having said so, for a row that goes the other way from the first. */
static bool band_row_order(Checker *ck, const Node *first, const Node *prev, const Node *r) {
  bool from = r->rowkind == ROW_FROM;
  if (from != (first->rowkind == ROW_FROM)) {
    Diag *d = err_at(ck, R0401, row_head(r), "band row %.*s goes the other way from %.*s",
                     row_head_len(r), r->tok.p, row_head_len(first), first->tok.p);
    diag_hint(d, "a band's rows either all have an upper end (..25, ..<25, lowest first) "
                 "or all have a lower end (250.., lowest first)");
    return false;
  }
  /* `..<25` then `..25` may share a bound; otherwise each rises above the last. */
  bool strict = !(prev->rowkind == ROW_BELOW && r->rowkind == ROW_UPTO);
  if (prev->bound.named || r->bound.named) {   /* held to it at the params' values */
    add_rule(ck, &prev->bound, &r->bound, strict, true, "the band", r->bound.tok);
    return true;
  }
  bool rises = r->bound.v > prev->bound.v || (!strict && r->bound.v == prev->bound.v);
  if (rises) return true;
  Diag *d = err_at(ck, R0401, row_head(r), "band rows must rise: %.*s follows %.*s", row_head_len(r), r->tok.p,
                   row_head_len(prev), prev->tok.p);
  if (from) diag_hint(d, "each row covers values from its bound up to the next row's, lowest first");
  else diag_hint(d, "each row covers values up to its bound (..<: below it), lowest first");
  return true;
}

AST_NOINLINE static Type check_band(Checker *ck, Node *n, const Facts *f) {
  Type s = check(ck, n->a, f);
  if (s.kind != T_ERR && !numeric(s) && s.kind != T_DATE) {
    err_type(ck, R0309, span(n->a), "band needs a number, money or a date, not %s", s);
    s = TY_ERR;
  }
  Type t = TY_ERR;
  const Node *prev = NULL;
  bool one_way = true;
  for (Node *r = n->b; r; r = r->next) {
    check_bound(ck, &r->bound, s);
    if (prev && one_way) one_way = band_row_order(ck, n->b, prev, r);
    prev = r;
    Type rt = check(ck, r->a, f);
    t = unify(ck, r->a, t, rt);
    r->ty = rt;
  }
  if (n->c) t = unify(ck, n->c, t, check(ck, n->c, f));
  return t;
}

static bool leaf(const Node *n) {
  switch (n->kind) {
  case AST_NUM: case AST_MONEY: case AST_DATE: case AST_STR: case AST_BOOL:
  case AST_ENUMLIT: case AST_NAME: case AST_DOT: case AST_TIERVAL: case AST_TIERLIT: case AST_UNSET:
  case AST_RUNDATE:
    return true;
  default:
    return false;
  }
}

static Type check_node(Checker *ck, Node *n, const Facts *f);

/* ---- activities: aggregates, windows, the run's dates ------------------------ */

/* `period.start`, `period.end` (and `as_of`, made in check_name): dates of
   the run.  The period's need a period. */
static Type check_rundate(Checker *ck, Node *n) {
  ck->uses_as_of = true;
  if (n->num != RUNDATE_AS_OF && !ck->period) {
    Diag *d = err_at(ck, R0217, span(n), "the program has no period");
    diag_hint(d, "declare the assessment window: 'period 2025-02-01 to 2026-01-31', or "
                 "'period 12 months to as_of'");
  }
  return TY_DATE;
}

static void push_agg(Checker *ck, Node *n) {
  if (ck->naggs == ck->capaggs) {
    ck->capaggs = ck->capaggs ? ck->capaggs * 2 : 16;
    ck->aggs = realloc(ck->aggs, (size_t)ck->capaggs * sizeof *ck->aggs);
    if (!ck->aggs) abort();
  }
  n->local = ck->naggs;
  ck->aggs[ck->naggs++] = n;
}

/* count(activity where C), sum/min/max/distinct(F of activity where C):
   count and distinct give a number; sum the field's type; min and max
   the field's type, unset when no activity matches, so only where an
   unset may stand (an optional let or output, `default`, `is set`). */
AST_NOINLINE static Type check_agg(Checker *ck, Node *n) {
  static const char *const names[] = {"count", "sum", "min", "max", "distinct"};
  if (!ck->activity) {
    Diag *d = err_at(ck, R0216, span(n), "the program declares no activities to aggregate");
    diag_hint(d, "declare what one activity holds: 'activity { partner text key  kind one of (...)  on date }'");
    return TY_ERR;
  }
  if (ck->agg) {
    Diag *d = err_at(ck, R0216, span(n), "an aggregate inside another aggregate's condition");
    diag_hint(d, "compute it in a let first and use the let in the condition");
    return TY_ERR;
  }
  push_agg(ck, n);
  Type t = TY_NUM;
  Sym *field = NULL;
  if (n->tok2.n) {
    field = chk_lookup(ck, NS_ACTIVITY, n->tok2.p, (size_t)n->tok2.n);
    if (!field) {
      Diag *d = err_at(ck, R0201, n->tok2, "an activity has no field '%.*s'", n->tok2.n, n->tok2.p);
      suggest(ck, d, n->tok2.p, (size_t)n->tok2.n, NS_ACTIVITY, NS_ACTIVITY);
      return TY_ERR;
    }
    field->used = true;
    n->sym = field;
    uint8_t k = field->ty.kind;
    if (n->rowkind == AGGK_SUM && k != T_NUM && k != T_MONEY) {
      err_type(ck, R0309, n->tok2, "sum adds numbers or money, not %s", field->ty);
      return TY_ERR;
    }
    if ((n->rowkind == AGGK_MIN || n->rowkind == AGGK_MAX) && k != T_NUM && k != T_MONEY && k != T_DATE) {
      err_type(ck, R0309, n->tok2, "min and max compare numbers, money or dates, not %s", field->ty);
      return TY_ERR;
    }
    if (n->rowkind != AGGK_DISTINCT) t = field->ty;
  }
  if (n->a) {
    ck->agg = n;
    Type c = check(ck, n->a, NULL);
    ck->agg = NULL;
    flag_operand(ck, n->a, c, "an aggregate's condition");
  }
  if ((n->rowkind == AGGK_MIN || n->rowkind == AGGK_MAX) && !n->num) {
    Diag *d = err_at(ck, R0305, span(n), "%s of activities has no value when no activity matches",
                     names[n->rowkind]);
    diag_hint(d, "give a fallback ('%s(...) default ...'), test it with 'is set', or make it an optional "
                 "let: 'let first optional = %s(...)'", names[n->rowkind], names[n->rowkind]);
  }
  return t;
}

/* `x in WINDOW`, `x in period`: x a date, the window declared. */
AST_NOINLINE static Type check_inwin(Checker *ck, Node *n, const Facts *f) {
  Type a = check(ck, n->a, f);
  if (a.kind != T_ERR && a.kind != T_DATE)
    err_type(ck, R0304, span(n->a), "'in' a window needs a date, not %s", a);
  if (n->tok2.n == 6 && memcmp(n->tok2.p, "period", 6) == 0) {
    ck->uses_as_of = true;
    if (!ck->period) {
      Diag *d = err_at(ck, R0217, n->tok2, "the program has no period");
      diag_hint(d, "declare the assessment window: 'period 2025-02-01 to 2026-01-31'");
    }
    return TY_FLAG;
  }
  Sym *w = chk_lookup(ck, NS_WINDOW, n->tok2.p, (size_t)n->tok2.n);
  if (!w) {
    Diag *d = err_at(ck, R0217, n->tok2, "no window named '%.*s'", n->tok2.n, n->tok2.p);
    if (chk_lookup(ck, NS_VALUE, n->tok2.p, (size_t)n->tok2.n))
      diag_hint(d, "'x in NAME' tests a window; to test a range write 'x in LO..HI'");
    else
      suggest(ck, d, n->tok2.p, (size_t)n->tok2.n, NS_WINDOW, NS_WINDOW);
    return TY_FLAG;
  }
  w->used = true;
  ck->uses_as_of = true;
  n->sym = w;
  n->b = w->decl->expr;
  n->c = w->decl->expr2;
  return TY_FLAG;
}

/* Every expression is checked through here: each node that is not a leaf
   is one level of depth (a name's levels are counted in check_slot). */
static Type check(Checker *ck, Node *n, const Facts *f) {
  if (leaf(n)) return check_node(ck, n, f);
  if (!deeper(ck, n->tok)) return n->ty = TY_ERR;
  ck->depth++;
  Type t = check_node(ck, n, f);
  ck->depth--;
  return t;
}

static Type check_node(Checker *ck, Node *n, const Facts *f) {
  Type t = TY_ERR;
  switch (n->kind) {
  case AST_NUM: t = TY_NUM; break;
  case AST_MONEY: t = TY_MONEY; break;
  case AST_DATE: t = TY_DATE; break;
  case AST_STR: t = TY_TEXT; break;
  case AST_BOOL: t = TY_FLAG; break;
  case AST_ENUMLIT: case AST_TIERLIT: t = n->ty; break;
  case AST_OVER: case AST_POINTSOF: t = TY_ERR; break;   /* group.c reported it */
  case AST_UNSET:   /* typeless: its branch takes the others' type (unify) */
    if (!n->num) {
      Diag *d = err_at(ck, R0305, n->tok, "'unset' is the value of an optional let, output or points only");
      diag_hint(d, "declare it 'let NAME optional = ...' or 'output NAME optional = ...', and use "
                   "'unset' where its value comes from: 'if answers > 0 then ... else unset'");
    }
    t = TY_ERR;
    break;
  case AST_TIERVAL:   /* known once the ladder is climbed */
    bump(ck, LEVEL_TIER);
    t = TY_TIER;
    break;
  case AST_NAME: t = check_name(ck, n, f); break;
  case AST_DOT: t = check_dot(ck, n, f); break;
  case AST_RUNDATE: t = check_rundate(ck, n); break;
  case AST_AGG: t = check_agg(ck, n); break;
  case AST_INWIN: t = check_inwin(ck, n, f); break;
  case AST_NEG:
    t = check(ck, n->a, f);
    if (t.kind != T_ERR && !numeric(t)) {
      err_type(ck, R0301, span(n), "cannot negate %s", t);
      t = TY_ERR;
    }
    break;
  case AST_NOT:
    t = flag_operand(ck, n->a, check(ck, n->a, f), "the operand of 'not'");
    break;
  case AST_ADD: case AST_SUB: case AST_MUL: case AST_DIV: {
    Type a = check(ck, n->a, f), b = check(ck, n->b, f);
    t = arith(ck, n, a, b);
    break;
  }
  case AST_EQ: case AST_NE: case AST_LT: case AST_LE: case AST_GT: case AST_GE: {
    Type a, b;
    if (n->b->kind == AST_NAME || n->b->kind == AST_STR || (n->b->kind == AST_DOT && n->a->kind == AST_TIERVAL)) {
      a = check(ck, n->a, f);
      b = member_or_check(ck, n->b, a, f);
    } else {
      b = check(ck, n->b, f);
      a = member_or_check(ck, n->a, b, f);
    }
    t = compare(ck, n, a, b);
    break;
  }
  case AST_AND: case AST_OR: {
    flag_operand(ck, n->a, check(ck, n->a, f), "each side of 'and'/'or'");
    const Facts *g = guards(ck, f, n->a, n->kind == AST_AND);
    flag_operand(ck, n->b, check(ck, n->b, g), "each side of 'and'/'or'");
    t = TY_FLAG;
    break;
  }
  case AST_IF: {
    flag_operand(ck, n->a, check(ck, n->a, f), "the condition of 'if'");
    /* a bare member in one branch is of the other branch's choice:
       `if ... then held_tier else none` */
    const Facts *yes = guards(ck, f, n->a, true), *no = guards(ck, f, n->a, false);
    Type a, b;
    if (n->b->kind == AST_NAME && n->b->local < 0 && !chk_lookup(ck, NS_VALUE, n->b->tok.p, (size_t)n->b->tok.n)) {
      b = check(ck, n->c, no);
      a = member_or_check(ck, n->b, b, yes);
    } else {
      a = check(ck, n->b, yes);
      b = member_or_check(ck, n->c, a, no);
    }
    t = unify(ck, n->c, a, b);
    break;
  }
  case AST_BAND: t = check_band(ck, n, f); break;
  case AST_IN: {
    Type s = check(ck, n->a, f);
    for (Node *e = n->b; e; e = e->next) {
      Type et = member_or_check(ck, e, s, f);
      if (s.kind != T_ERR && et.kind != T_ERR && !same(s, et)) type_error(ck, R0304, e, "cannot compare", s, et);
    }
    t = TY_FLAG;
    break;
  }
  case AST_INRANGE: {
    Type s = check(ck, n->a, f);
    if (s.kind != T_ERR && !numeric(s) && s.kind != T_DATE) {
      err_type(ck, R0304, span(n->a), "'in LO..HI' needs a number, money or a date, not %s", s);
    } else {
      check_bound(ck, &n->range.lo, s);
      check_bound(ck, &n->range.hi, s);
      if (n->range.lo.named || n->range.hi.named)
        add_rule(ck, &n->range.lo, &n->range.hi, false, false, "the range of 'in'", n->range.tok);
      else if (n->range.lo.v > n->range.hi.v)
        err_at(ck, R0402, n->range.tok, "the range is empty: its low end is above its high end");
    }
    t = TY_FLAG;
    break;
  }
  case AST_CALL: t = check_call(ck, n, f); break;
  case AST_ISSET:
  case AST_DEFAULT: {
    Node *a = n->a;
    if (a->kind == AST_AGG) {   /* min or max of activities, unset when none matches */
      a->num = 1;
      Type at = check(ck, a, f);
      if (a->rowkind != AGGK_MIN && a->rowkind != AGGK_MAX && at.kind != T_ERR)
        err_at(ck, R0306, span(a), "%.*s of activities always has a value, so %s is not needed", a->tok.n,
               a->tok.p, n->kind == AST_ISSET ? "'is set'" : "'default'");
      if (n->kind == AST_ISSET) { t = TY_FLAG; break; }
      t = unify(ck, n->b, at, member_or_check(ck, n->b, at, f));
      break;
    }
    Sym *s = a->kind == AST_NAME && a->local < 0 && ck->agg && a->rowkind != 1
                 ? chk_lookup(ck, NS_ACTIVITY, a->tok.p, (size_t)a->tok.n) : NULL;
    if (!s && a->kind == AST_NAME && a->local < 0) s = chk_lookup(ck, NS_VALUE, a->tok.p, (size_t)a->tok.n);
    if (s && s->kind == SYM_AFIELD) {
      s->used = true;
      a->sym = s;
      a->ty = s->ty;
      if (!s->decl->optional)
        err_at(ck, R0306, span(a), "activity field '%s' is always set, so %s is not needed", s->name,
               n->kind == AST_ISSET ? "'is set'" : "'default'");
      if (n->kind == AST_ISSET) { t = TY_FLAG; break; }
      t = unify(ck, n->b, s->ty, member_or_check(ck, n->b, s->ty, f));
      break;
    }
    const char *what = n->kind == AST_ISSET ? "'is set'" : "'default'";
    if (a->kind == AST_DOT) {   /* category.points: optional points */
      Sym *cat = chk_lookup(ck, NS_CATEGORY, a->tok.p, (size_t)a->tok.n);
      if (cat) s = a->tok2.n == 5 && memcmp(a->tok2.p, "total", 5) == 0 ? cat : points_of(ck, a, cat);
      else check_dot(ck, a, f);   /* it says the category is unknown */
      if (!s) {
        t = n->kind == AST_ISSET ? TY_FLAG : TY_ERR;
        break;
      }
    }
    if (!s || (s->kind != SYM_FIELD && s->kind != SYM_LET && s->kind != SYM_OUTPUT && s->kind != SYM_POINTS)) {
      err_at(ck, R0306, span(a), "%s applies to an optional record field, let, output or points", what);
      t = n->kind == AST_ISSET ? TY_FLAG : TY_ERR;
      break;
    }
    s->used = true;
    a->sym = s;
    if (s->kind != SYM_FIELD) {   /* its value, and its phase, come first */
      check_slot(ck, s, a->tok);
      if (s->level == LEVEL_TIER && !ck->via) ck->via = s;
    }
    a->ty = s->ty;
    if (!s->decl->optional)
      err_at(ck, R0306, span(a), "%s '%s' is always set, so %s is not needed",
             s->kind == SYM_FIELD ? "field" : s->kind == SYM_LET ? "let" : s->kind == SYM_POINTS ? "points" : "output",
             s->shortname ? s->shortname : s->name, what);
    if (n->kind == AST_ISSET) { t = TY_FLAG; break; }
    /* `region default east`: a member of the field's own choice. */
    t = unify(ck, n->b, s->ty, member_or_check(ck, n->b, s->ty, f));
    break;
  }
  case AST_DAYS: case AST_MONTHS: {
    Type a = check(ck, n->a, f);
    if (a.kind != T_ERR && a.kind != T_NUM) {
      err_type(ck, R0301, span(n->a), "a duration needs a number, not %s", a);
    }
    t = (Type){n->kind == AST_DAYS ? T_DAYS : T_MONTHS, 0};
    break;
  }
  default: break;
  }
  n->ty = t;
  return t;
}

/* A value checked where it is used as a whole: no bare durations. */
static Type check_value(Checker *ck, Node *n) {
  Type t = check(ck, n, NULL);
  if (t.kind == T_DAYS || t.kind == T_MONTHS) {
    Diag *d = err_at(ck, R0301, span(n), "a duration is not a value by itself");
    diag_hint(d, "add it to a date, as in 'onboarded + 6 months'");
    return TY_ERR;
  }
  return t;
}

/* Reports an expression that uses what is not known yet where it stands. */
AST_NOINLINE static void check_level(Checker *ck, Node *n, uint8_t allowed, const char *what) {
  if (ck->level <= allowed) return;
  if (ck->level == LEVEL_TIER) {   /* the path of names to the tier: a real cycle */
    char path[512];
    size_t len = 0;
    static const char *const kinds[] = {[SYM_LET] = "let", [SYM_BADGE] = "badge", [SYM_PAYOUT] = "payout",
                                        [SYM_OUTPUT] = "output", [SYM_BENEFIT] = "benefit"};
    int steps = 0;
    for (const Sym *v = ck->via; v && len < sizeof path - 64 && steps < 16; v = v->via, steps++) {
      const char *k = v->kind < sizeof kinds / sizeof *kinds && kinds[v->kind] ? kinds[v->kind] : "";
      len += (size_t)snprintf(path + len, sizeof path - len, "%s %s -> ", k, v->shortname ? v->shortname : v->name);
      if (v->kind == SYM_BENEFIT) break;
    }
    snprintf(path + len, sizeof path - len, "tier");
    Diag *d = err_at(ck, R0211, span(n), "%s cannot depend on the tier: it uses %s", what, path);
    diag_hint(d, "%s", allowed == LEVEL_RECORD
                           ? "a record's track is chosen from its fields alone, before any scoring"
                           : "the tier is decided by its conditions: they may use badges and outputs, "
                             "but not what is known only once the tier is");
    return;
  }
  Diag *d = err_at(ck, R0211, span(n), "%s cannot use %s", what, "points, category totals or the score");
  diag_hint(d, "%s", allowed == LEVEL_RECORD
                         ? "a record's track is chosen from its fields alone, before any scoring"
                         : "points and tiers come first; badges, benefits and payouts follow the tier");
}

/* In the places an expression's value comes from (the branches of an if,
   a band's rows and else, a default's fallback), a bare name that is a
   member of choice t is that member, as in a comparison with a value of t:
   `if met then completed else in_progress`.  Iterative along else-if
   chains, so a long chain costs no depth. */
static void results_as_members(Checker *ck, Node *n, Type t) {
  while (n) {
    switch (n->kind) {
    case AST_IF:
      results_as_members(ck, n->b, t);
      n = n->c;
      break;
    case AST_BAND:
      for (Node *r = n->b; r; r = r->next) results_as_members(ck, r->a, t);
      n = n->c;
      break;
    case AST_DEFAULT:
      n = n->b;
      break;
    default:
      /* a bare name that is neither a value nor a member is a misspelt
         member: say so, once, instead of "unknown name" */
      if (!as_member(ck, n, t) && n->kind == AST_NAME && n->local < 0 &&
          !chk_lookup(ck, NS_VALUE, n->tok.p, (size_t)n->tok.n) &&
          !chk_lookup(ck, NS_CATEGORY, n->tok.p, (size_t)n->tok.n)) {
        not_a_member(ck, n, t);
        n->kind = AST_ENUMLIT;   /* checked: no second report */
        n->num = 0;
        n->ty = t;
      }
      return;
    }
  }
}

/* An optional let or output: `unset` may stand where its value comes from
   (the branches of an if, a band's rows and else, a default's fallback),
   and so may another optional value, whose unset passes on (num 1 marks
   both). */
static void allow_unset(Node *n) {
  while (n) {
    switch (n->kind) {
    case AST_IF: allow_unset(n->b); n = n->c; break;
    case AST_BAND:
      for (Node *r = n->b; r; r = r->next) allow_unset(r->a);
      n = n->c;
      break;
    case AST_DEFAULT: n = n->b; break;
    case AST_UNSET: case AST_NAME: case AST_DOT: case AST_AGG: n->num = 1; return;
    default: return;
    }
  }
}

/* An output's value, against its declared type if it has one. */
static void check_output(Checker *ck, Sym *s) {
  Decl *d = s->decl;
  Type want = s->ty;
  if (d->typed && want.kind == T_ENUM) results_as_members(ck, d->expr, want);
  Type t = check_value(ck, d->expr);
  if (!d->typed) { s->ty = t; return; }
  if (t.kind != T_ERR && want.kind != T_ERR && !same(t, want)) {
    char tw[64], tg[64];
    Diag *g = err_at(ck, R0308, span(d->expr), "output '%s' is declared %s, but its value is %s",
                     s->shortname, chk_type_name(ck, want, tw, sizeof tw), chk_type_name(ck, t, tg, sizeof tg));
    if (want.kind == T_ENUM)
      diag_hint(g, "each branch should name one of the output's values, as in 'if ... then %.*s else ...'",
                d->members ? d->members->tok.n : 0, d->members ? d->members->tok.p : "");
  }
}

static void check_slot(Checker *ck, Sym *s, Tok at) {
  if (s->state == 2) { bump(ck, s->level); return; }
  if (s->state == 1) {
    Diag *d = err_at(ck, R0205, at, "'%s' depends on itself", s->name);
    diag_hint(d, "lets, points, category totals and the score must not form a cycle");
    return;
  }
  if (!deeper(ck, at)) return;
  ck->depth++;
  s->state = 1;
  Node *saved_agg = ck->agg;
  ck->agg = NULL;
  uint8_t saved = ck->level;
  Sym *saved_via = ck->via;
  ck->level = LEVEL_RECORD;
  ck->via = NULL;
  if ((s->kind == SYM_LET || s->kind == SYM_OUTPUT || s->kind == SYM_POINTS) && s->decl->optional)
    allow_unset(s->decl->expr);
  switch (s->kind) {
  case SYM_LET:
    s->ty = check_value(ck, s->decl->expr);
    break;
  case SYM_POINTS: {
    Type t = check_value(ck, s->decl->expr);
    check_level(ck, s->decl->expr, LEVEL_SCORE, "points");
    if (t.kind != T_ERR && t.kind != T_NUM) {
      Diag *d = err_type(ck, R0302, span(s->decl->expr), "points must be a number, but this is %s", t);
      if (t.kind == T_MONEY)
        diag_hint(d, "divide by an amount to get a number, e.g. revenue / $1000 * 10");
      else if (t.kind == T_FLAG)
        diag_hint(d, "give points for a flag with 'if FLAG then 10 else 0'");
    }
    s->ty = TY_NUM;
    break;
  }
  case SYM_CATEGORY:
    for (int i = 0; i < s->npoints; i++) check_slot(ck, ck->points.v[s->points0 + i], at);
    s->ty = TY_NUM;
    break;
  case SYM_SCORE:
    for (int i = 0; i < ck->categories.n; i++) check_slot(ck, ck->categories.v[i], at);
    s->ty = TY_NUM;
    break;
  case SYM_BADGE:   /* of the phase of what it uses: a tier may need a badge */
    flag_operand(ck, s->decl->expr, check_value(ck, s->decl->expr), "a badge's condition");
    s->ty = TY_FLAG;
    break;
  case SYM_OUTPUT:
    check_output(ck, s);
    break;
  case SYM_PAYOUT: {
    Type t = check_value(ck, s->decl->expr);
    if (t.kind != T_ERR && t.kind != T_MONEY) {
      Diag *d = err_type(ck, R0310, span(s->decl->expr), "a payout must be money, but this is %s", t);
      diag_hint(d, "multiply an amount by a rate, as in resale_revenue * rebate_pct / 100");
    }
    s->ty = TY_MONEY;
    bump(ck, LEVEL_TIER);
    break;
  }
  default:
    break;
  }
  if (s->kind == SYM_POINTS || s->kind == SYM_CATEGORY || s->kind == SYM_SCORE)
    bump(ck, LEVEL_SCORE);
  s->level = ck->level;
  s->via = ck->via;
  ck->level = saved > s->level ? saved : s->level;
  ck->via = saved_via;
  ck->agg = saved_agg;
  s->state = 2;
  if (s->kind != SYM_SCORE) vec_push(&ck->order, s);
  ck->depth--;
}

/* ---- the order of checking ---------------------------------------------------- */

static bool has_slot(const Sym *s) {
  return s->kind == SYM_LET || s->kind == SYM_POINTS || s->kind == SYM_CATEGORY ||
         s->kind == SYM_SCORE || s->kind == SYM_BADGE || s->kind == SYM_PAYOUT ||
         s->kind == SYM_OUTPUT;
}

/* What an expression names, as check_name, check_dot and check_call will
   resolve it (a fn's parameter may shadow a let: the extra edge only
   orders more than needed).  Recursion follows nesting, a loop the lists. */
static void collect_deps(Checker *ck, const Node *n, SymVec *out) {
  for (; n; n = n->next) {
    Sym *s = NULL;
    if (n->kind == AST_NAME && n->local < 0) {
      s = chk_lookup(ck, NS_VALUE, n->tok.p, (size_t)n->tok.n);
      if (!s) s = chk_lookup(ck, NS_CATEGORY, n->tok.p, (size_t)n->tok.n);
    } else if (n->kind == AST_DOT) {
      s = chk_lookup(ck, NS_CATEGORY, n->tok.p, (size_t)n->tok.n);
      if (s && !(n->tok2.n == 5 && memcmp(n->tok2.p, "total", 5) == 0)) {
        char full[256];
        int len = snprintf(full, sizeof full, "%.*s.%.*s", n->tok.n, n->tok.p, n->tok2.n, n->tok2.p);
        s = chk_lookup(ck, NS_POINTS, full, (size_t)len);
      }
    } else if (n->kind == AST_CALL) {
      s = chk_lookup(ck, NS_FN, n->tok.p, (size_t)n->tok.n);
    }
    if (s && (has_slot(s) || s->kind == SYM_FN)) vec_push(out, s);
    collect_deps(ck, n->a, out);
    collect_deps(ck, n->b, out);
    if (n->kind != AST_CALL) collect_deps(ck, n->c, out);
  }
}

static void find_deps(Checker *ck, Sym *s) {
  if (s->deps_known) return;
  s->deps_known = true;
  SymVec v = {0};
  if (s->kind == SYM_CATEGORY)
    for (int i = 0; i < s->npoints; i++) vec_push(&v, ck->points.v[s->points0 + i]);
  else if (s->kind == SYM_SCORE)
    for (int i = 0; i < ck->categories.n; i++) vec_push(&v, ck->categories.v[i]);
  else if (s->decl)
    collect_deps(ck, s->decl->expr, &v);
  if (v.n) {
    s->deps = ast_alloc(ck->ast, (size_t)v.n * sizeof *s->deps);
    memcpy(s->deps, v.v, (size_t)v.n * sizeof *s->deps);
  }
  s->ndeps = v.n;
  free(v.v);
}

/* Checks s after everything it names that is not checked yet, deepest
   first, with an explicit stack: then check_slot finds each name already
   checked and never recurses through a chain of lets, points or
   categories, however long.  A cycle is left to check_slot, which
   reports it where it closes. */
static void check_ordered(Checker *ck, Sym *root, Tok at) {
  if (root->state != 0) { check_slot(ck, root, at); return; }
  SymVec stack = {0}, post = {0};
  bool cycle = false;
  ck->mark++;
  root->mark = ck->mark;
  root->next_dep = 0;
  find_deps(ck, root);
  root->on_stack = true;
  vec_push(&stack, root);
  while (stack.n) {
    Sym *t = stack.v[stack.n - 1];
    if (t->next_dep < t->ndeps) {
      Sym *d = t->deps[t->next_dep++];
      if (d->on_stack) cycle = true;
      if (d->state != 0 || d->mark == ck->mark) continue;
      d->mark = ck->mark;
      d->next_dep = 0;
      find_deps(ck, d);
      d->on_stack = true;
      vec_push(&stack, d);
    } else {
      t->on_stack = false;
      stack.n--;
      if (t != root && has_slot(t)) vec_push(&post, t);
    }
  }
  if (!cycle)
    for (int i = 0; i < post.n; i++)
      if (post.v[i]->state == 0) check_slot(ck, post.v[i], post.v[i]->decl ? post.v[i]->decl->name : at);
  free(stack.v);
  free(post.v);
  ck->cycle = cycle;   /* check_slot reports it, or R0108 if it is long */
  check_slot(ck, root, at);
  ck->cycle = false;
}

/* ---- declarations ----------------------------------------------------------- */

/* A declared range's literal ends: their type, and that they are in
   order.  An end that names a param is checked once every param is
   (lever_range). */
static void check_range(Checker *ck, const Range *r, uint8_t want, const char *what) {
  if (!r->present) return;
  const Bound *b[2] = {&r->lo, &r->hi};
  for (int i = 0; i < 2; i++)
    if (b[i]->present && !b[i]->named && b[i]->kind != want) {
      char ta[64], tb[64];
      err_at(ck, R0304, b[i]->tok, "%s bound is %s but must be %s", what,
             chk_type_name(ck, (Type){b[i]->kind, 0}, ta, sizeof ta),
             chk_type_name(ck, (Type){want, 0}, tb, sizeof tb));
    }
  if (r->lo.present && r->hi.present && !r->lo.named && !r->hi.named && r->lo.v > r->hi.v)
    err_at(ck, R0402, r->tok, "the range is empty: its low end is above its high end");
}

/* `places N` limits the decimal places of a number, money or percent
   field's values, N a whole number from 0 to 6 (count and int fields are
   whole already). */
static void check_places(Checker *ck, const Decl *f) {
  if (!f->places.p) return;
  if (f->ftype != FT_NUMBER && f->ftype != FT_MONEY && f->ftype != FT_PERCENT) {
    Diag *d = err_at(ck, R0304, f->places_kw, "places applies to number, money and percent fields");
    if (f->ftype == FT_COUNT || f->ftype == FT_INT)
      diag_hint(d, "a %s field's values are whole numbers already", f->ftype == FT_COUNT ? "count" : "int");
    return;
  }
  if (!dec_is_whole(f->places_v) || f->places_v > DEC_DIGITS * DEC_SCALE)
    err_at(ck, R0308, f->places, "places is a whole number from 0 to %d", DEC_DIGITS);
}

static bool reserved(Checker *ck, Tok name) {
  static const char *const words[] = {"score", "total", "none", "tier", "track", "badges"};
  for (size_t i = 0; i < sizeof words / sizeof *words; i++)
    if (strlen(words[i]) == (size_t)name.n && memcmp(words[i], name.p, (size_t)name.n) == 0) {
      err_at(ck, R0206, name, "'%.*s' is a reserved name", name.n, name.p);
      return true;
    }
  return false;
}

/* A choice field's members by name (Sym.mtab), each duplicate reported
   at its second listing. */
static void index_members(Checker *ck, Sym *f) {
  int n = 0;
  for (Node *m = f->decl->members; m; m = m->next) n++;
  if (!n) return;
  f->mnode = ast_alloc(ck->ast, (size_t)n * sizeof *f->mnode);
  f->mtabcap = 16;
  while (f->mtabcap < (size_t)n * 2) f->mtabcap *= 2;
  f->mtab = ast_alloc(ck->ast, f->mtabcap * sizeof *f->mtab);
  memset(f->mtab, 0, f->mtabcap * sizeof *f->mtab);
  int k = 0;
  for (Node *m = f->decl->members; m; m = m->next) {
    if (chk_member(f, m->tok.p, (size_t)m->tok.n) >= 0) {
      err_at(ck, R0202, m->tok, "'%.*s' is listed twice", m->tok.n, m->tok.p);
      k++;   /* keeps its index; the first listing answers lookups */
      continue;
    }
    f->mnode[k] = m;
    size_t mask = f->mtabcap - 1, i = hash(NS_VALUE, m->tok.p, (size_t)m->tok.n) & mask;
    while (f->mtab[i]) i = (i + 1) & mask;
    f->mtab[i] = ++k;
  }
}

/* The choice a group's members make (group.c): a value of it names a
   member, as a choice field's does, though no field holds it. */
Type chk_group_choice(Checker *ck, Decl *group) {
  Sym *s = ast_alloc(ck->ast, sizeof *s);
  s->ns = NS_VALUE;
  s->kind = SYM_FIELD;
  s->name = ast_strdup(ck->ast, group->name.p, (size_t)group->name.n);
  s->decl = group;
  s->used = true;
  s->state = 2;
  index_members(ck, s);
  vec_push(&ck->choices, s);
  s->ty = (Type){T_ENUM, ck->choices.n - 1};
  return s->ty;
}

static void collect_record(Checker *ck, Decl *rec) {
  Decl *key = NULL;
  for (Decl *f = rec->kids; f; f = f->next) {
    if (reserved(ck, f->name)) continue;
    Sym *s = define(ck, NS_VALUE, SYM_FIELD, f->name.p, (size_t)f->name.n, f, f->name);
    if (!s) continue;
    if (ck->fields.n == REC_MAX_COLUMNS) {   /* once, at the first field too many */
      Diag *d = err_at(ck, R0108, f->name, "the record has more than %d fields", REC_MAX_COLUMNS);
      diag_hint(d, "a records file holds at most %d columns, so no file could give this "
                "field: split the program", REC_MAX_COLUMNS);
    }
    s->index = ck->fields.n;
    s->ty = field_type(ck, f, s);
    f->sym = s;
    vec_push(&ck->fields, s);
    uint8_t want = f->ftype == FT_MONEY ? T_MONEY : f->ftype == FT_DATE ? T_DATE : T_NUM;
    if (f->range.present && (f->ftype == FT_TEXT || f->ftype == FT_FLAG || f->ftype == FT_ENUM))
      err_at(ck, R0304, f->range.tok, "a range applies to numbers, money and dates only");
    else
      check_range(ck, &f->range, want, "the field's");
    check_places(ck, f);
    index_members(ck, s);
    if (f->key) {
      if (!key && f->optional) err_at(ck, R0209, f->name, "the first key field cannot be optional");
      else if (f->ftype == FT_FLAG) err_at(ck, R0209, f->name, "a flag cannot be part of the key");
      if (!key) key = f;
      vec_push(&ck->keys, s);
    }
  }
  if (!key) {   /* an empty record has none either */
    Diag *d = err_at(ck, R0209, rec->tok, "the record has no key field");
    diag_hint(d, "mark the field that names a partner with 'key', as in 'id text key'");
  }
}

/* The activity block: fields as a record's, in their own namespace; one
   key, text, holding the partner's key; its date is its first required
   date field. */
static void collect_activity(Checker *ck, Decl *blk) {
  for (Decl *f = blk->kids; f; f = f->next) {
    if (f->kind == DECL_GROUP) {
      err_at(ck, R0216, f->tok, "an activity's fields cannot be a repeated group");
      continue;
    }
    Sym *s = define(ck, NS_ACTIVITY, SYM_AFIELD, f->name.p, (size_t)f->name.n, f, f->name);
    if (!s) continue;
    if (ck->afields.n == ACT_MAX_FIELDS) {
      err_at(ck, R0108, f->name, "an activity has more than %d fields", ACT_MAX_FIELDS);
      break;
    }
    s->index = ck->afields.n;
    s->ty = field_type(ck, f, s);
    f->sym = s;
    vec_push(&ck->afields, s);
    uint8_t want = f->ftype == FT_MONEY ? T_MONEY : f->ftype == FT_DATE ? T_DATE : T_NUM;
    if (f->range.present && (f->ftype == FT_TEXT || f->ftype == FT_FLAG || f->ftype == FT_ENUM))
      err_at(ck, R0304, f->range.tok, "a range applies to numbers, money and dates only");
    else if (f->range.lo.expr || f->range.hi.expr)
      err_at(ck, R0404, f->range.tok, "an activity's range ends are literals");
    else
      check_range(ck, &f->range, want, "the field's");
    check_places(ck, f);
    index_members(ck, s);
    if (f->ftype == FT_DATE && !f->optional && !f->key && !ck->adate) ck->adate = s;
    if (!f->key) continue;
    if (ck->akey) {
      err_at(ck, R0216, f->name, "an activity has one key field: the partner's key");
    } else if (f->ftype != FT_TEXT || f->optional) {
      Diag *d = err_at(ck, R0216, f->name, "an activity's key holds its partner's key, as text, always set");
      diag_hint(d, "declare it '%.*s text key'", f->name.n, f->name.p);
    }
    if (!ck->akey) ck->akey = s;
  }
  if (!ck->akey) {
    Diag *d = err_at(ck, R0216, blk->tok, "the activity block has no key field");
    diag_hint(d, "mark the field that holds the partner's key with 'key', as in 'partner text key'");
  }
}

/* yes and no are flag literals wherever a literal is expected (params,
   `with`, `given`, benefits), as true and false are: one spelling of flags
   everywhere.  In an expression they stay names. */
bool chk_yes_no(const Node *v) {
  return v->kind == AST_NAME && ((v->tok.n == 3 && memcmp(v->tok.p, "yes", 3) == 0) ||
                                 (v->tok.n == 2 && memcmp(v->tok.p, "no", 2) == 0));
}

static Type literal_type(const Node *v) {
  const Node *x = v->kind == AST_NEG ? v->a : v;
  if (v->kind != AST_NEG && chk_yes_no(v)) return TY_FLAG;
  switch (x->kind) {
  case AST_NUM: return TY_NUM;
  case AST_MONEY: return TY_MONEY;
  case AST_DATE: return TY_DATE;
  case AST_BOOL: return TY_FLAG;
  default: return TY_ERR;
  }
}

static void check_param(Checker *ck, Sym *s) {
  Decl *d = s->decl;
  if (d->kind == DECL_PARAM) {
    s->ty = literal_type(d->expr);
    if (s->ty.kind == T_ERR)
      err_at(ck, R0308, span(d->expr), "a param's value is a number, an amount, a date, yes/no or true/false");
    d->expr->ty = s->ty;
    return;
  }
  Sym *by = chk_lookup(ck, NS_VALUE, d->name2.p, (size_t)d->name2.n);
  if (!by || by->kind != SYM_FIELD) {
    Diag *dg = err_at(ck, R0201, d->name2, "unknown field '%.*s'", d->name2.n, d->name2.p);
    suggest(ck, dg, d->name2.p, (size_t)d->name2.n, NS_VALUE, NS_VALUE);
    s->ty = TY_ERR;
    return;
  }
  by->used = true;
  if (by->decl->ftype != FT_ENUM || by->decl->optional) {
    err_at(ck, R0403, d->name2, "'%s' must be a required 'one of (...)' field to key a param",
           by->name);
    s->ty = TY_ERR;
    return;
  }
  s->category = by;   /* for a keyed param: its key field */
  Type t = TY_ERR;
  int nm = 0;
  for (Node *m = by->decl->members; m; m = m->next) nm++;
  bool *given = calloc((size_t)nm + 1, sizeof *given);   /* per member, by chk_member */
  if (!given) abort();
  for (Decl *e = d->kids; e; e = e->next) {
    Type et = literal_type(e->expr);
    e->expr->ty = et;
    if (et.kind == T_ERR) {
      err_at(ck, R0308, span(e->expr), "a param's value is a number, an amount, a date, yes/no or true/false");
      continue;
    }
    if (t.kind == T_ERR) t = et;
    else if (!same(t, et)) type_error(ck, R0307, e->expr, "the entries mix", t, et);
    int m = chk_member(by, e->name.p, (size_t)e->name.n);
    if (e->dotted || m < 0)
      err_at(ck, R0201, e->name, "'%.*s' is not one of the values of %s", e->name.n, e->name.p,
             by->name);
    if (m >= 0 && given[m])
      err_at(ck, R0202, e->name, "'%.*s' is given twice", e->name.n, e->name.p);
    if (m >= 0) given[m] = true;
  }
  int i = 0;
  for (Node *m = by->decl->members; m; m = m->next, i++)
    if (chk_member(by, m->tok.p, (size_t)m->tok.n) == i && !given[i])   /* once per name */
      err_at(ck, R0207, d->name, "param '%s' gives no value for %s = %.*s", s->name, by->name,
             m->tok.n, m->tok.p);
  free(given);
  s->ty = t;
}

static Sym *define_named(Checker *ck, Namespace ns, SymKind kind, Decl *d, SymVec *vec) {
  if (reserved(ck, d->name)) return NULL;
  Sym *s = define(ck, ns, kind, d->name.p, (size_t)d->name.n, d, d->name);
  if (!s) return NULL;
  s->index = vec->n;
  d->sym = s;
  vec_push(vec, s);
  return s;
}

static void collect_category(Checker *ck, Decl *d, Sym *track) {
  Sym *c = define_named(ck, NS_CATEGORY, SYM_CATEGORY, d, &ck->categories);
  check_range(ck, &d->range, T_NUM, "a category's");
  if (!c) return;
  c->track = track;
  c->points0 = ck->points.n;   /* its points are the next ones collected */
  for (Decl *p = d->kids; p; p = p->next) {
    if (p->name.n == 5 && memcmp(p->name.p, "total", 5) == 0) {
      err_at(ck, R0206, p->name, "'total' is reserved: 'category.total' is the category's sum");
      continue;
    }
    char full[256];
    int len = snprintf(full, sizeof full, "%s.%.*s", c->name, p->name.n, p->name.p);
    Sym *s = define(ck, NS_POINTS, SYM_POINTS, full, (size_t)len, p, p->name);
    if (!s) continue;
    s->index = ck->points.n;
    s->category = c;
    p->sym = s;
    vec_push(&ck->points, s);
    c->npoints++;
    check_range(ck, &p->range, T_NUM, "a points cap's");
  }
}

/* Defines d, a tier or an output, as "track.name" when a track declares
   it, so tracks may share names; shortname is the name as written. */
static Sym *define_in_track(Checker *ck, Namespace ns, SymKind kind, Decl *d, Sym *track, SymVec *vec) {
  if (reserved(ck, d->name)) return NULL;
  char full[256];
  int len = track ? snprintf(full, sizeof full, "%s.%.*s", track->name, d->name.n, d->name.p)
                  : snprintf(full, sizeof full, "%.*s", d->name.n, d->name.p);
  Sym *s = define(ck, ns, kind, full, (size_t)len, d, d->name);
  if (!s) return NULL;
  s->index = vec->n;
  s->track = track;
  s->shortname = ast_strdup(ck->ast, d->name.p, (size_t)d->name.n);
  d->sym = s;
  vec_push(vec, s);
  return s;
}

/* A ladder's tiers. */
static void collect_tiers(Checker *ck, Decl *d, Sym *track) {
  for (Decl *t = d->kids; t; t = t->next) define_in_track(ck, NS_TIER, SYM_TIER, t, track, &ck->tiers);
}

/* An output, the program's or a track's.  A track's is named
   "track.name", so several tracks may each give their records an output
   of one name (they share its column); a program-wide output's name is
   its own, and like a let's it can be used in expressions. */
static void collect_output(Checker *ck, Decl *d, Sym *track) {
  Sym *s = define_in_track(ck, NS_VALUE, SYM_OUTPUT, d, track, &ck->outputs);
  if (s && d->typed) {
    if (d->range.present) err_at(ck, R0304, d->range.tok, "an output's type takes no range");
    s->ty = field_type(ck, d, s);
    index_members(ck, s);
  }
}

/* Outputs of one name share a column: they must be the tracks' own, of
   one type (R0202, R0307). */
static void check_output_names(Checker *ck) {
  for (int i = 0; i < ck->outputs.n; i++) {
    Sym *s = ck->outputs.v[i];
    for (int j = 0; j < i; j++) {
      Sym *o = ck->outputs.v[j];
      if (strcmp(o->shortname, s->shortname) != 0 || o->track == s->track) continue;
      if (!o->track || !s->track) {
        Diag *d = err_at(ck, R0202, s->decl->name, "'%s' is both a program-wide output and a track's",
                         s->shortname);
        diag_hint(d, "the other is at line %d: rename one, or declare it in every track that has it",
                  o->decl->name.line);
      } else if (s->ty.kind != T_ERR && o->ty.kind != T_ERR && !same(s->ty, o->ty)) {
        type_error(ck, R0307, s->decl->expr, "outputs of one name write one column, but their types differ:",
                   o->ty, s->ty);
      }
      break;
    }
  }
}

static void collect_track(Checker *ck, Decl *d) {
  Sym *t = define_named(ck, NS_TRACK, SYM_TRACK, d, &ck->tracks);
  check_range(ck, &d->range, T_NUM, "a track's");
  if (!t) return;
  Decl *tiers = NULL;
  for (Decl *k = d->kids; k; k = k->next) {
    switch (k->kind) {
    case DECL_CATEGORY: collect_category(ck, k, t); break;
    case DECL_TIERS:
      if (tiers) { err_at(ck, R0210, k->tok, "a track has one tier ladder"); break; }
      tiers = k;
      collect_tiers(ck, k, t);
      break;
    case DECL_BADGE: {
      Sym *b = define_named(ck, NS_VALUE, SYM_BADGE, k, &ck->badges);
      if (b) b->track = t;
      break;
    }
    case DECL_OUTPUT: collect_output(ck, k, t); break;
    default: break;   /* DECL_USES: resolved once every category is known */
    }
  }
}

static void collect(Checker *ck) {
  for (Decl *d = ck->ast->decls.head; d; d = d->next) {
    Decl **one = NULL;
    switch (d->kind) {
    case DECL_PROGRAM: one = &ck->program; break;
    case DECL_VERSION: one = &ck->version; break;
    case DECL_CURRENCY: one = &ck->currency; break;
    case DECL_PERIOD: {
      one = &ck->period;
      if (d->dotted) {   /* N months to as_of */
        Node *m = ast_literal(ck->ast, AST_NUM, d->name);
        if (!dec_is_whole(m->num) || m->num < DEC_SCALE || m->num > PERIOD_MAX_MONTHS * DEC_SCALE)
          err_at(ck, R0402, d->name, "a period is a whole number of months from 1 to %d", PERIOD_MAX_MONTHS);
        break;
      }
      Node *a = ast_literal(ck->ast, AST_DATE, d->name), *b = ast_literal(ck->ast, AST_DATE, d->date2);
      if (a->num > b->num) err_at(ck, R0402, d->date2, "the period ends before it starts");
      break;
    }
    case DECL_ACTIVITY:
      if (ck->activity) err_at(ck, R0216, d->tok, "a program has one activity block");
      else { ck->activity = d; collect_activity(ck, d); }
      break;
    case DECL_EFFECTIVE:
      one = &ck->effective;
      ast_literal(ck->ast, AST_DATE, d->name);   /* a calendar date, or R0104 */
      break;
    case DECL_WINDOW: {
      Sym *w = define(ck, NS_WINDOW, SYM_WINDOW, d->name.p, (size_t)d->name.n, d, d->name);
      if (w) { d->sym = w; vec_push(&ck->windows, w); }
      if (d->name.n == 6 && memcmp(d->name.p, "period", 6) == 0) err_at(ck, R0206, d->name, "'period' is the program's own window");
      break;
    }
    case DECL_RECORD:
      if (ck->record) err_at(ck, R0208, d->tok, "a program has one record schema");
      else { ck->record = d; collect_record(ck, d); }
      break;
    case DECL_PARAM:
    case DECL_PARAM_BY:
      define_named(ck, NS_VALUE, SYM_PARAM, d, &ck->params);
      break;
    case DECL_LET: define_named(ck, NS_VALUE, SYM_LET, d, &ck->lets); break;
    case DECL_FN: {
      for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++)
        if (strlen(builtins[i]) == (size_t)d->name.n && memcmp(builtins[i], d->name.p, (size_t)d->name.n) == 0)
          err_at(ck, R0206, d->name, "'%s' is a built-in function", builtins[i]);
      define_named(ck, NS_FN, SYM_FN, d, &ck->fns);
      for (Node *p = d->params; p; p = p->next)
        for (Node *o = d->params; o != p; o = o->next)
          if (o->tok.n == p->tok.n && memcmp(o->tok.p, p->tok.p, (size_t)p->tok.n) == 0)
            err_at(ck, R0202, p->tok, "argument '%.*s' is named twice", p->tok.n, p->tok.p);
      break;
    }
    case DECL_CATEGORY: collect_category(ck, d, NULL); break;
    case DECL_TIERS:
      if (ck->tierdecl) { err_at(ck, R0210, d->tok, "a program has one tier ladder"); break; }
      ck->tierdecl = d;
      collect_tiers(ck, d, NULL);
      break;
    case DECL_TRACK: collect_track(ck, d); break;
    case DECL_BADGE: define_named(ck, NS_VALUE, SYM_BADGE, d, &ck->badges); break;
    case DECL_BENEFIT: define_named(ck, NS_VALUE, SYM_BENEFIT, d, &ck->benefits); break;
    case DECL_PAYOUT: define_named(ck, NS_VALUE, SYM_PAYOUT, d, &ck->payouts); break;
    case DECL_OUTPUT: collect_output(ck, d, NULL); break;
    case DECL_CHOOSE:
      if (ck->choose) err_at(ck, R0213, d->tok, "the choice of tracks is given twice");
      else ck->choose = d;
      break;
    case DECL_TEST:
      ck->tests = realloc(ck->tests, (size_t)(ck->ntests + 1) * sizeof *ck->tests);
      if (!ck->tests) abort();
      ck->tests[ck->ntests++] = d;
      break;
    default:
      break;
    }
    if (one) {
      if (*one) err_at(ck, R0202, d->tok, "'%.*s' is given twice", d->tok.n, d->tok.p);
      else *one = d;
    }
  }
}

/* ---- tracks ------------------------------------------------------------------ */

static bool uses(const Sym *track, const Sym *cat) {
  if (cat->track == track) return true;
  if (!track) return false;
  for (Decl *k = track->decl->kids; k; k = k->next)
    if (k->kind == DECL_USES)
      for (Node *m = k->members; m; m = m->next)
        if (m->sym == cat) return true;
  return false;
}

int chk_track_categories(Checker *ck, const Sym *track, Sym **out) {
  int n = 0;
  for (int i = 0; i < ck->categories.n; i++)
    if (!track || uses(track, ck->categories.v[i])) {
      if (out) out[n] = ck->categories.v[i];
      n++;
    }
  return n;
}

Decl *chk_track_tiers(Checker *ck, const Sym *track) {
  if (track)
    for (Decl *k = track->decl->kids; k; k = k->next)
      if (k->kind == DECL_TIERS) return k;
  return ck->tierdecl;
}

Sym *chk_tier(Checker *ck, const char *name, size_t len, bool *ambiguous) {
  *ambiguous = false;
  Sym *found = chk_lookup(ck, NS_TIER, name, len);
  if (found) return found;
  for (int i = 0; i < ck->tiers.n; i++) {
    Sym *t = ck->tiers.v[i];
    if (strlen(t->shortname) == len && memcmp(t->shortname, name, len) == 0) {
      if (found) { *ambiguous = true; return NULL; }
      found = t;
    }
  }
  return found;
}

static void resolve_uses(Checker *ck) {
  for (int i = 0; i < ck->tracks.n; i++)
    for (Decl *k = ck->tracks.v[i]->decl->kids; k; k = k->next) {
      if (k->kind != DECL_USES) continue;
      for (Node *m = k->members; m; m = m->next) {
        Sym *c = chk_lookup(ck, NS_CATEGORY, m->tok.p, (size_t)m->tok.n);
        if (!c) {
          Diag *d = err_at(ck, R0201, m->tok, "unknown category '%.*s'", m->tok.n, m->tok.p);
          suggest(ck, d, m->tok.p, (size_t)m->tok.n, NS_CATEGORY, NS_CATEGORY);
          continue;
        }
        c->used = true;
        m->sym = c;
      }
    }
}

/* Three-valued truth of a track condition when each choice field in `fix`
   has the member given by `val` (-1: any): 0 false, 1 true, 2 unknown. */
enum { F3 = 0, T3 = 1, U3 = 2 };

static int truth(const Node *n, const int *val) {
  switch (n->kind) {
  case AST_BOOL: return n->num ? T3 : F3;
  case AST_NOT: { int a = truth(n->a, val); return a == U3 ? U3 : !a; }
  case AST_AND: {
    int a = truth(n->a, val), b = truth(n->b, val);
    return a == F3 || b == F3 ? F3 : a == T3 && b == T3 ? T3 : U3;
  }
  case AST_OR: {
    int a = truth(n->a, val), b = truth(n->b, val);
    return a == T3 || b == T3 ? T3 : a == F3 && b == F3 ? F3 : U3;
  }
  case AST_EQ: case AST_NE: {
    const Node *f = n->a, *m = n->b;
    if (m->kind == AST_NAME || f->kind == AST_ENUMLIT) { const Node *t = f; f = m; m = t; }
    if (f->kind != AST_NAME || !f->sym || f->sym->kind != SYM_FIELD || m->kind != AST_ENUMLIT) return U3;
    int v = val[f->sym->index];
    if (v < 0) return U3;
    bool eq = v == m->num;
    return (n->kind == AST_EQ) == eq ? T3 : F3;
  }
  case AST_IN: {
    const Node *f = n->a;
    if (f->kind != AST_NAME || !f->sym || f->sym->kind != SYM_FIELD || f->ty.kind != T_ENUM) return U3;
    int v = val[f->sym->index];
    if (v < 0) return U3;
    for (const Node *e = n->b; e; e = e->next)
      if (e->kind == AST_ENUMLIT && e->num == v) return T3;
    return F3;
  }
  default: return U3;
  }
}

typedef struct IntVec { int *v; int n, cap; } IntVec;

static void ivec_push(IntVec *v, int x) {
  if (v->n == v->cap) {
    v->cap = v->cap ? v->cap * 2 : 16;
    v->v = realloc(v->v, (size_t)v->cap * sizeof *v->v);
    if (!v->v) abort();
  }
  v->v[v->n++] = x;
}

static void choice_fields(const Node *n, bool *seen) {
  for (; n; n = n->next) {
    if (n->kind == AST_NAME && n->sym && n->sym->kind == SYM_FIELD && n->ty.kind == T_ENUM)
      seen[n->sym->index] = true;
    choice_fields(n->a, seen);
    if (n->kind != AST_CALL) choice_fields(n->b, seen);
    choice_fields(n->c, seen);
  }
}

/* The choice fields that track conditions test, by field index. */
static bool *tested_choices(Checker *ck) {
  bool *seen = calloc((size_t)ck->fields.n + 1, sizeof *seen);
  if (!seen) abort();
  for (int t = 0; t < ck->tracks.n; t++)
    if (ck->tracks.v[t]->decl->expr->ty.kind == T_FLAG) choice_fields(ck->tracks.v[t]->decl->expr, seen);
  return seen;
}

/* Warn when a value of a choice the track conditions test fits no track. */
static void check_track_cover(Checker *ck) {
  int nf = ck->fields.n, nt = ck->tracks.n;
  if (nt == 0 || nf == 0) return;
  bool *seen = tested_choices(ck);
  int *val = malloc(sizeof(int) * (size_t)nf);
  if (!val) abort();
  for (int f = 0; f < nf; f++) {
    if (!seen[f]) continue;
    Sym *field = ck->fields.v[f];
    int m = 0;
    for (Node *mem = field->decl->members; mem; mem = mem->next, m++) {
      for (int k = 0; k < nf; k++) val[k] = -1;
      val[f] = m;
      int fits = 0;
      for (int t = 0; t < nt; t++) fits += truth(ck->tracks.v[t]->decl->expr, val) != F3;
      if (!fits) {
        Diag *d = err_at(ck, R0601, mem->tok, "records with %s = %.*s fit no track", field->name,
                         mem->tok.n, mem->tok.p);
        diag_hint(d, "they will be reported as unassigned; add a track for them, or widen a track's condition");
      }
    }
  }
  free(seen);
  free(val);
}

/* Warn when two tracks' conditions can hold for one record.  Candidates
   first, from the choices alone: some assignment of the tested choices
   where both may hold.  Try every member of every tested field, one field
   at a time, and all fields unknown: enough for conditions over one
   choice each.  Each (field, member) lists the tracks that may hold with
   it, so finding the pairs costs the sum of those lists' squares (linear
   for tracks that each take their own values), not tracks x tracks x
   members.  Then each candidate pair is asked of the conditions' boxes
   (interval.c), which read comparisons on numbers, flags and dates too:
   a pair that cannot both hold (`f` and `not f`, `x >= 5` and `x < 5`)
   is not reported, one that can is shown with an example record, and one
   rubric cannot decide is said to be possible, not certain. */
void chk_track_overlaps(Checker *ck) {
  int nf = ck->fields.n, nt = ck->tracks.n;
  if (nt < 2 || nf == 0 || ck->choose) return;   /* best of: tracks meant to overlap */
  bool *seen = tested_choices(ck);
  int *val = malloc(sizeof(int) * (size_t)nf);
  bool any = false;
  for (int f = 0; f < nf; f++) any |= seen[f];
  bool *maybe = calloc((size_t)nt, sizeof *maybe);      /* may hold, all unknown */
  int *stamp = malloc(sizeof(int) * (size_t)nt);
  IntVec *fit_in = calloc((size_t)nt, sizeof *fit_in);  /* per track: where its lists start */
  IntVec lists = {0};                                   /* every list, flattened: -1 ends one */
  if (!val || !maybe || !stamp || !fit_in) abort();
  for (int f = 0; f < nf; f++) val[f] = -1;
  for (int t = 0; t < nt; t++) { maybe[t] = truth(ck->tracks.v[t]->decl->expr, val) != F3; stamp[t] = -1; }
  for (int f = 0; f < nf; f++) {
    if (!seen[f]) continue;
    int m = 0;
    for (Node *mem = ck->fields.v[f]->decl->members; mem; mem = mem->next, m++) {
      val[f] = m;
      int start = lists.n;
      for (int t = 0; t < nt; t++)
        if (maybe[t] && truth(ck->tracks.v[t]->decl->expr, val) != F3) {
          ivec_push(&lists, t);
          ivec_push(&fit_in[t], start);
        }
      ivec_push(&lists, -1);
    }
    val[f] = -1;
  }
  IvCond *conds = iv_track_conds(ck);
  char example[256];
  for (int a = 0; a < nt; a++) {
    if (!maybe[a]) continue;
    for (int i = 0; i < fit_in[a].n; i++)
      for (int k = fit_in[a].v[i]; lists.v[k] >= 0; k++) stamp[lists.v[k]] = a;
    for (int b = a + 1; b < nt; b++) {
      if (!maybe[b] || (any && stamp[b] != a)) continue;
      int both = iv_tracks_overlap(ck, conds, a, b, example, sizeof example);
      if (!both) continue;
      const char *na = ck->tracks.v[a]->name, *nb = ck->tracks.v[b]->name;
      Diag *d = err_at(ck, R0602, ck->tracks.v[b]->decl->name, "a record %s fit both track '%s' and track '%s'",
                       both == 2 ? "can" : "may", na, nb);
      if (both == 2)
        diag_hint(d, "for example %s: it goes to the first, '%s'; make the conditions exclusive if that is not meant",
                  example, na);
      else
        diag_hint(d, "rubric cannot tell whether their conditions exclude each other; such a record goes to the "
                  "first, '%s'", na);
    }
  }
  iv_track_conds_free(conds, nt);
  for (int t = 0; t < nt; t++) free(fit_in[t].v);
  free(fit_in);
  free(lists.v);
  free(stamp);
  free(maybe);
  free(seen);
  free(val);
}

/* ---- fields' ranges that name other fields ---------------------------------------- */

/* Whether a field's range end is made of what records validation can
   compute from the record alone: literals, required fields, + - * /, a
   minus sign, and N days or N months added to a date.  Reports the first
   part that is not (R0404, or R0305 for an optional field), which then
   is not type-checked.  Recursion follows the expression's nesting, which
   the parser bounds (AST_MAX_DEPTH). */
static bool bound_form(Checker *ck, const Sym *field, Node *n) {
  switch (n->kind) {
  case AST_NUM: case AST_MONEY: case AST_DATE:
    return true;
  case AST_NAME: {
    Sym *s = chk_lookup(ck, NS_VALUE, n->tok.p, (size_t)n->tok.n);
    if (!s) return true;   /* check() says it is unknown, with a suggestion */
    if (s->kind != SYM_FIELD) {
      static const char *const kinds[] = {[SYM_PARAM] = "param", [SYM_LET] = "let", [SYM_SCORE] = "score",
                                          [SYM_BADGE] = "badge", [SYM_BENEFIT] = "benefit",
                                          [SYM_PAYOUT] = "payout"};
      Diag *d = err_at(ck, R0404, n->tok, "the range of field '%s' names %s '%.*s'", field->name,
                       s->kind < sizeof kinds / sizeof *kinds && kinds[s->kind] ? kinds[s->kind] : "the result",
                       n->tok.n, n->tok.p);
      diag_hint(d, "a field's range is checked as the record is read, before anything is computed: "
                "it may name only the record's fields");
      return false;
    }
    if (s->decl->optional) {
      Diag *d = err_at(ck, R0305, n->tok, "optional field '%s' may be unset, so it cannot bound field '%s'",
                       s->name, field->name);
      diag_hint(d, "a field's range may name only required fields");
      return false;
    }
    return true;
  }
  case AST_NEG: case AST_DAYS: case AST_MONTHS:
    return bound_form(ck, field, n->a);
  case AST_ADD: case AST_SUB: case AST_MUL: case AST_DIV:
    return bound_form(ck, field, n->a) && bound_form(ck, field, n->b);
  default: {
    Diag *d = err_at(ck, R0404, span(n), "the range of field '%s' cannot use this", field->name);
    diag_hint(d, "a field's range is made of fields, literals, + - * / and days or months added to a date");
    return false;
  }
  }
}

/* The fields a range end names, into v (by index), once each. */
static void bound_fields(const Node *n, IntVec *v) {
  if (n->kind == AST_NAME && n->sym && n->sym->kind == SYM_FIELD) {
    for (int i = 0; i < v->n; i++)
      if (v->v[i] == n->sym->index) return;
    ivec_push(v, n->sym->index);
    return;
  }
  if (n->a) bound_fields(n->a, v);
  if (n->b && n->kind != AST_DAYS && n->kind != AST_MONTHS) bound_fields(n->b, v);
}

/* R0205 for a cycle of fields' ranges: "a -> b -> a", from the walk's
   stack (stack[from..n) are the fields on the cycle). */
AST_NOINLINE static void range_cycle(Checker *ck, const int *stack, int from, int n) {
  char path[512];
  size_t len = 0;
  for (int i = from; i <= n && len < sizeof path; i++)
    len += (size_t)snprintf(path + len, sizeof path - len, "%s%s", i > from ? " -> " : "",
                            ck->fields.v[stack[i < n ? i : from]]->name);
  /* at the end of the last field's range that names the first */
  const Range *r = &ck->fields.v[stack[n - 1]]->decl->range;
  IntVec named = {0};
  const Node *end = r->lo.expr;
  if (end) bound_fields(end, &named);
  bool first = false;
  for (int i = 0; i < named.n; i++) first |= named.v[i] == stack[from];
  if (!first) end = r->hi.expr;
  free(named.v);
  Diag *dg = err_at(ck, R0205, end ? span(end) : r->tok, "the range of field '%s' depends on itself: %s",
                    ck->fields.v[stack[n - 1]]->name, path);
  diag_hint(dg, "a field's range may name other fields, but not one whose range names it back");
}

/* Checks each field's range ends that are expressions: their form, their
   type (the field's own: money for money, a date for a date, a number
   otherwise), and that no field's range depends on itself.  Then lists
   the fields with such ends in ck->bounded, each after the fields it
   names and otherwise in declaration order: a depth-first walk with an
   explicit stack, since a chain of ranges may be as long as the record. */
static void check_field_ranges(Checker *ck) {
  int nf = ck->fields.n;
  IntVec *deps = calloc((size_t)nf + 1, sizeof *deps);
  bool *has_expr = calloc((size_t)nf + 1, sizeof *has_expr);
  if (!deps || !has_expr) abort();
  for (int f = 0; f < nf; f++) {
    Sym *s = ck->fields.v[f];
    uint8_t ft = s->decl->ftype;
    if (ft == FT_TEXT || ft == FT_FLAG || ft == FT_ENUM) continue;   /* no range at all (collect_record) */
    has_expr[f] = s->decl->range.lo.expr || s->decl->range.hi.expr;
    Bound *ends[2] = {&s->decl->range.lo, &s->decl->range.hi};
    Type want = s->decl->ftype == FT_MONEY ? TY_MONEY : s->decl->ftype == FT_DATE ? TY_DATE : TY_NUM;
    for (int e = 0; e < 2; e++) {
      Node *x = ends[e]->expr;
      if (!x || !bound_form(ck, s, x)) continue;
      ck->level = LEVEL_RECORD;
      Type t = check_value(ck, x);
      if (t.kind != T_ERR && !same(t, want)) {
        char ta[64], tb[64];
        Diag *d = err_at(ck, R0304, span(x), "a range end of field '%s' is %s, but the field is %s", s->name,
                         chk_type_name(ck, t, ta, sizeof ta), chk_type_name(ck, want, tb, sizeof tb));
        if (want.kind == T_MONEY && t.kind == T_NUM) diag_hint(d, "write amounts as $5000");
      }
      bound_fields(x, &deps[f]);
    }
  }
  {
    uint8_t *color = calloc((size_t)nf + 1, 1);   /* 0 unseen, 1 on the walk, 2 listed */
    int *stack = malloc(sizeof(int) * ((size_t)nf + 1)), *next = calloc((size_t)nf + 1, sizeof(int));
    if (!color || !stack || !next) abort();
    for (int root = 0; root < nf; root++) {
      if (color[root] || !has_expr[root]) continue;
      int n = 0;
      stack[n++] = root;
      color[root] = 1;
      while (n) {
        int f = stack[n - 1];
        if (next[f] < deps[f].n) {
          int g = deps[f].v[next[f]++];
          if (color[g] == 1) {   /* reported once; the walk then leaves these fields */
            int from = 0;
            while (stack[from] != g) from++;
            range_cycle(ck, stack, from, n);
            while (n) color[stack[--n]] = 2;
          } else if (color[g] == 0) {
            color[g] = 1;
            stack[n++] = g;
          }
        } else {
          color[f] = 2;
          n--;
          if (has_expr[f]) vec_push(&ck->bounded, ck->fields.v[f]);
        }
      }
    }
    free(color);
    free(stack);
    free(next);
  }
  for (int f = 0; f < nf; f++) free(deps[f].v);
  free(deps);
  free(has_expr);
}

/* ---- benefits ------------------------------------------------------------------ */

/* The type of a benefit's value as written: also text and yes/no. */
static Type benefit_type(const Node *v) {
  if (v->kind == AST_STR) return TY_TEXT;
  if (v->kind == AST_NAME && ((v->tok.n == 3 && memcmp(v->tok.p, "yes", 3) == 0) ||
                              (v->tok.n == 2 && memcmp(v->tok.p, "no", 2) == 0)))
    return TY_FLAG;
  return literal_type(v);
}

static void check_benefit(Checker *ck, Sym *s) {
  Type t = TY_ERR;
  for (Decl *e = s->decl->kids; e; e = e->next) {
    Type et = benefit_type(e->expr);
    if (et.kind == T_ERR && e->expr->kind == AST_NAME) {   /* a param: the run's value */
      Sym *p = lever_param(ck, e->expr->tok, "a benefit's value");
      if (!p || p->ty.kind == T_ERR) continue;
      e->expr->sym = p;
      et = p->ty;
    }
    e->expr->ty = et;
    if (et.kind == T_ERR) {
      err_at(ck, R0308, span(e->expr), "a benefit's value is a number, an amount, a date, yes/no, "
             "text or a param");
      continue;
    }
    if (t.kind == T_ERR) t = et;
    else if (!same(t, et)) type_error(ck, R0307, e->expr, "the tiers' values mix", t, et);
    char full[256];
    int len = e->dotted ? snprintf(full, sizeof full, "%.*s.%.*s", e->name.n, e->name.p, e->name2.n, e->name2.p)
                        : snprintf(full, sizeof full, "%.*s", e->name.n, e->name.p);
    bool ambiguous;
    Sym *tier = chk_tier(ck, full, (size_t)len, &ambiguous);
    if (!tier) {
      Diag *d = err_at(ck, ambiguous ? R0212 : R0201, e->name,
                       ambiguous ? "several tracks have a tier '%s'" : "no tier named '%s'", full);
      if (ambiguous) diag_hint(d, "name it with its track: TRACK.%s", full);
      else suggest(ck, d, full, (size_t)len, NS_TIER, NS_TIER);
      continue;
    }
    e->sym = tier;
    for (Decl *o = s->decl->kids; o != e; o = o->next)
      if (o->sym == tier) err_at(ck, R0202, e->name, "tier '%s' is given twice", tier->name);
  }
  s->ty = t;
  s->level = LEVEL_TIER;
}

/* The output a test's expect names: the program's, or the first track's
   of that name (they share a column, and the record's track decides). */
static Sym *output_named(Checker *ck, Tok name) {
  for (int i = 0; i < ck->outputs.n; i++) {
    Sym *o = ck->outputs.v[i];
    if (strlen(o->shortname) == (size_t)name.n && memcmp(o->shortname, name.p, (size_t)name.n) == 0) return o;
  }
  return NULL;
}

/* `expect { status = completed, gate = yes, until = 2025-01-31 }`: the
   literal must be of the output's type; a choice's value by name. */
static void expect_output(Checker *ck, Decl *e, Sym *o) {
  Type want = o->ty, got;
  if (e->expr->kind == AST_UNSET) {   /* expect { average = unset } */
    if (!o->decl->optional) err_at(ck, R0501, span(e->expr), "output '%s' is not optional: it is never unset", o->shortname);
    e->sym = o;
    return;
  }
  if (want.kind == T_TIER) {   /* expect { reached = gold } or none, by the tier's name */
    if (!as_tier(ck, e->expr))
      err_at(ck, R0501, span(e->expr), "expect a tier's name, or none, for output '%s'", o->shortname);
    e->sym = o;
    return;
  }
  if (want.kind == T_ENUM && as_member(ck, e->expr, want)) got = want;
  else got = benefit_type(e->expr);
  if (want.kind == T_MONEY && got.kind == T_NUM) got = TY_MONEY;
  if (want.kind != T_ERR && !same(want, got)) {
    char tb[64];
    Diag *d = err_at(ck, R0501, span(e->expr), "expect %s for output '%s'", chk_type_name(ck, want, tb, sizeof tb),
                     o->shortname);
    if (want.kind == T_ENUM && o->decl->typed && o->decl->members)
      diag_hint(d, "name one of its values, such as '%.*s'", o->decl->members->tok.n, o->decl->members->tok.p);
  }
  e->sym = o;
}

/* A test's activities: each a list of words and values.  `FIELD VALUE`
   sets a field; a bare member of one of the activity's choices sets that
   choice.  Each value node gets the field it sets (Node.sym); a field's
   own name is left without one.  The compiler reads them (compile.c,
   test_acts). */
static void check_test_acts(Checker *ck, Decl *t) {
  if (t->acts_kw.p && !ck->activity) {
    Diag *d = err_at(ck, R0216, t->acts_kw, "the program declares no activities");
    diag_hint(d, "declare what one activity holds: 'activity { partner text key ... }'");
    return;
  }
  for (Node *row = t->acts; row; row = row->next)
    for (Node *k = row->b; k; k = k->next) {
      Sym *f = k->kind == AST_NAME ? chk_lookup(ck, NS_ACTIVITY, k->tok.p, (size_t)k->tok.n) : NULL;
      if (f && k->next) {
        if (f == ck->akey) err_at(ck, R0501, k->tok, "the key '%s' is the partner's: leave it out", f->name);
        for (Node *o = row->b; o != k; o = o->next)
          if (o->sym == f) err_at(ck, R0202, k->tok, "field '%s' is given twice", f->name);
        k = k->next;
        k->sym = f;
        continue;
      }
      Sym *owner = NULL;
      int owners = 0;
      if (k->kind == AST_NAME)
        for (int i = 0; i < ck->afields.n; i++)
          if (ck->afields.v[i]->decl->ftype == FT_ENUM && chk_member(ck->afields.v[i], k->tok.p, (size_t)k->tok.n) >= 0) {
            owner = ck->afields.v[i];
            owners++;
          }
      if (owners == 1) {
        for (Node *o = row->b; o != k; o = o->next)
          if (o->sym == owner) err_at(ck, R0202, k->tok, "field '%s' is given twice", owner->name);
        k->sym = owner;
        continue;
      }
      Diag *d = err_at(ck, R0501, k->tok, owners > 1 ? "'%.*s' is a value of several of the activity's fields"
                                                      : "'%.*s' is neither a field of an activity nor one of its values",
                       k->tok.n, k->tok.p);
      diag_hint(d, "%s", owners > 1 ? "name the field before it: 'FIELD VALUE'"
                                    : "write a choice's value alone ('deployment') or a field and its value ('on 2025-03-01')");
    }
}

static void check_test(Checker *ck, Decl *t) {
  check_test_acts(ck, t);
  if (t->dotted) {   /* expect rejected "field" */
    if (t->name2.n != 8 || memcmp(t->name2.p, "rejected", 8) != 0) {
      err_at(ck, R0105, t->name2, "after 'expect', write { ... } or rejected \"field\"");
      return;
    }
    const char *name = t->date2.p + 1;
    size_t len = (size_t)t->date2.n - 2;
    Sym *f = chk_lookup(ck, NS_VALUE, name, len);
    if (!f || f->kind != SYM_FIELD) {
      Diag *d = err_at(ck, R0501, t->date2, "the record has no field '%.*s'", (int)len, name);
      suggest(ck, d, name, len, NS_VALUE, NS_VALUE);
    }
  }
  for (Decl *g = t->given; g; g = g->next) {
    Sym *s = g->dotted ? NULL : chk_lookup(ck, NS_VALUE, g->name.p, (size_t)g->name.n);
    if (!s || s->kind != SYM_FIELD) {
      Diag *d = err_at(ck, R0501, g->name, "the record has no field '%.*s%s%.*s'", g->name.n, g->name.p,
                       g->dotted ? "." : "", g->dotted ? g->name2.n : 0, g->dotted ? g->name2.p : "");
      suggest(ck, d, g->name.p, (size_t)g->name.n, NS_VALUE, NS_VALUE);
      continue;
    }
    g->sym = s;
    for (Decl *o = t->given; o != g; o = o->next)
      if (o->sym == s) err_at(ck, R0202, g->name, "field '%s' is given twice", s->name);
  }
  for (Decl *w = t->with; w; w = w->next) {
    Sym *s = chk_lookup(ck, NS_VALUE, w->name.p, (size_t)w->name.n);
    if (!s || s->kind != SYM_PARAM) {
      Diag *d = err_at(ck, R0501, w->name, "no param named '%.*s'", w->name.n, w->name.p);
      suggest(ck, d, w->name.p, (size_t)w->name.n, NS_VALUE, NS_VALUE);
      continue;
    }
    if (w->dotted != (s->decl->kind == DECL_PARAM_BY)) {
      err_at(ck, R0501, w->name, w->dotted ? "param '%s' has no keys" :
             "param '%s' is keyed: write '%s.KEY = value'", s->name, s->name);
      continue;
    }
    w->sym = s;
  }
  for (Decl *e = t->expect; e; e = e->next) {
    if (e->name.n == 4 && memcmp(e->name.p, "tier", 4) == 0 && !e->dotted) {
      Node *v = e->expr;
      if (v->kind != AST_NAME && v->kind != AST_DOT) {
        err_at(ck, R0501, span(v), "expect a tier name or none");
        continue;
      }
      if (v->tok.n == 4 && memcmp(v->tok.p, "none", 4) == 0 && v->kind == AST_NAME) continue;
      bool ambiguous;
      Sym *tier = chk_tier(ck, v->tok.p, (size_t)(v->end - v->tok.p), &ambiguous);
      if (!tier) {
        int len = (int)(v->end - v->tok.p);
        Diag *d = err_at(ck, ambiguous ? R0212 : R0501, span(v),
                         ambiguous ? "several tracks have a tier '%.*s'" : "no tier named '%.*s'",
                         len, v->tok.p);
        if (ambiguous) diag_hint(d, "name it with its track: TRACK.%.*s", len, v->tok.p);
        else suggest(ck, d, v->tok.p, (size_t)len, NS_TIER, NS_TIER);
      }
      v->sym = tier;
      continue;
    }
    if (e->name.n == 5 && memcmp(e->name.p, "track", 5) == 0 && !e->dotted) {
      Node *v = e->expr;
      if (v->kind != AST_NAME) { err_at(ck, R0501, span(v), "expect a track name or none"); continue; }
      if (v->tok.n == 4 && memcmp(v->tok.p, "none", 4) == 0) continue;
      v->sym = chk_lookup(ck, NS_TRACK, v->tok.p, (size_t)v->tok.n);
      if (!v->sym) {
        Diag *d = err_at(ck, R0501, v->tok, "no track named '%.*s'", v->tok.n, v->tok.p);
        suggest(ck, d, v->tok.p, (size_t)v->tok.n, NS_TRACK, NS_TRACK);
      }
      continue;
    }
    Sym *s = NULL;
    if (!e->dotted && (s = output_named(ck, e->name))) {
      expect_output(ck, e, s);
      continue;
    }
    if (!e->dotted) {
      Sym *v = chk_lookup(ck, NS_VALUE, e->name.p, (size_t)e->name.n);
      if (v && (v->kind == SYM_BADGE || v->kind == SYM_BENEFIT || v->kind == SYM_PAYOUT)) {
        Type want = v->kind == SYM_BADGE ? TY_FLAG : v->ty;
        Type got = benefit_type(e->expr);
        if (want.kind == T_MONEY && got.kind == T_NUM) got = TY_MONEY;
        if (got.kind != T_ERR && want.kind != T_ERR && !same(want, got)) {
          char tb[64];
          err_at(ck, R0501, span(e->expr), "expect %s for '%s'", chk_type_name(ck, want, tb, sizeof tb), v->name);
        }
        e->sym = v;
        continue;
      }
    }
    if (!e->dotted && e->name.n == 5 && memcmp(e->name.p, "score", 5) == 0) s = ck->score;
    else if (!e->dotted) s = chk_lookup(ck, NS_CATEGORY, e->name.p, (size_t)e->name.n);
    else if (e->name2.n == 5 && memcmp(e->name2.p, "total", 5) == 0)
      s = chk_lookup(ck, NS_CATEGORY, e->name.p, (size_t)e->name.n);
    else {
      char full[256];
      int len = snprintf(full, sizeof full, "%.*s.%.*s", e->name.n, e->name.p, e->name2.n, e->name2.p);
      s = chk_lookup(ck, NS_POINTS, full, (size_t)len);
    }
    if (!s) {
      Diag *d = err_at(ck, R0501, e->name, "nothing to expect named '%.*s%s%.*s'", e->name.n,
                       e->name.p, e->dotted ? "." : "", e->dotted ? e->name2.n : 0,
                       e->dotted ? e->name2.p : "");
      diag_hint(d, "expect track, tier, score, a category, category.points, a badge, a benefit, "
                   "a payout or an output");
      continue;
    }
    if (e->expr->kind == AST_UNSET) {   /* expect { sat.average = unset } */
      if (s->kind != SYM_POINTS || !s->decl->optional)
        err_at(ck, R0501, span(e->expr), "'%s' is not optional: it is never unset", s->name);
    } else if (literal_type(e->expr).kind != T_NUM) {
      err_at(ck, R0501, span(e->expr), "expect a number for '%s'", s->name);
    }
    e->sym = s;
  }
}

/* A ladder's floor (`tiers floor held_tier { ... }`): a choice, known
   before the tier, whose every value is a tier of this ladder or none.  An
   optional field may be unset: then there is no floor. */
const Decl *chk_ladder_tier(const Decl *ladder, Tok name) {
  const Decl *tier = ladder->kids;
  while (tier && !(tier->name.n == name.n && memcmp(tier->name.p, name.p, (size_t)name.n) == 0)) tier = tier->next;
  return tier;
}

static void check_floor(Checker *ck, Decl *ladder) {
  Node *n = ladder->expr;
  Sym *s = chk_lookup(ck, NS_VALUE, n->tok.p, (size_t)n->tok.n);
  const Facts *f = s && may_be_unset(s) ? push_fact(ck, NULL, s) : NULL;   /* unset: no floor */
  ck->level = LEVEL_RECORD;
  ck->via = NULL;
  Type t = check(ck, n, f);
  check_level(ck, n, LEVEL_SCORE, "a ladder's floor");
  if (t.kind == T_ERR) return;
  if (t.kind != T_ENUM) {
    Diag *d = err_type(ck, R0304, n->tok, "a ladder's floor is a choice of its tiers, not %s", t);
    diag_hint(d, "declare the held tier as a field listing the tier names: held_tier one of (...) optional");
    return;
  }
  const Decl *owner = ck->choices.v[t.en]->decl;
  for (const Node *m = owner->members; m; m = m->next) {
    if ((m->tok.n == 4 && memcmp(m->tok.p, "none", 4) == 0) || chk_ladder_tier(ladder, m->tok)) continue;
    Diag *d = err_at(ck, R0201, n->tok, "'%.*s' is a value of %s but no tier of this ladder", m->tok.n,
                     m->tok.p, ck->choices.v[t.en]->name);
    const char *cands[64];
    size_t nc = 0;
    for (const Decl *k = ladder->kids; k && nc < 64; k = k->next)
      cands[nc++] = ast_strdup(ck->ast, k->name.p, (size_t)k->name.n);
    const char *best = diag_closest(m->tok.p, (size_t)m->tok.n, cands, nc);
    if (best) diag_hint(d, "did you mean '%s'? each value of a floor names a tier, or none", best);
    else diag_hint(d, "each value of a floor names a tier of the ladder, or none");
  }
}

bool chk_program(Checker *ck, Ast *ast) {
  memset(ck, 0, sizeof *ck);
  ck->ast = ast;
  ck->dl = ast->diags;
  grow(ck);
  int errors_before = ck->dl->errors;
  ck->score = define(ck, NS_VALUE, SYM_SCORE, "score", 5, NULL, (Tok){0});
  grp_expand(ck);
  collect(ck);
  check_field_ranges(ck);
  if (!ck->record) {
    Source *src = ast->sources;
    Diag *d = diag_add(ck->dl, R0208, src, 1, 1, 1, "the program has no record schema");
    diag_hint(d, "declare the fields of a partner record: record { id text key ... }");
  }
  if (ck->activity && ck->record && ck->keys.n > 1) {
    Diag *d = err_at(ck, R0216, ck->activity->tok, "activities join on one key field, and the record has %d",
                     ck->keys.n);
    diag_hint(d, "give the partner record one key field");
  }
  for (int i = 0; i < ck->params.n; i++) check_param(ck, ck->params.v[i]);
  param_table(ck);
  for (int i = 0; i < ck->windows.n; i++) {   /* each end a date, known from the record */
    Decl *w = ck->windows.v[i]->decl;
    Node *ends[2] = {w->expr, w->expr2};
    for (int e = 0; e < 2; e++) {
      ck->level = LEVEL_RECORD;
      ck->via = NULL;
      Type t = check_value(ck, ends[e]);
      if (t.kind != T_ERR && t.kind != T_DATE)
        err_type(ck, R0304, span(ends[e]), "a window's ends are dates, not %s", t);
      check_level(ck, ends[e], LEVEL_RECORD, "a window");
    }
  }
  lever_ranges(ck);
  for (int i = 0; i < ck->benefits.n; i++) check_benefit(ck, ck->benefits.v[i]);
  for (int i = 0; i < ck->lets.n; i++) check_ordered(ck, ck->lets.v[i], ck->lets.v[i]->decl->name);
  for (int i = 0; i < ck->fns.n; i++) {
    Sym *fn = ck->fns.v[i];
    /* A fn no one calls is still checked, with its own names free. */
    if (fn->decl->params == NULL) {
      fn->state = 1;
      check_value(ck, clone(ck, fn->decl->expr));
      fn->state = 0;
    }
  }
  resolve_uses(ck);
  if (ck->choose && ck->tracks.n == 0) {
    Diag *d = err_at(ck, R0213, ck->choose->tok, "'tracks best score' chooses among tracks, and there are none");
    diag_hint(d, "declare a track per way of scoring a record, each with its own categories or caps");
  }
  for (int i = 0; i < ck->tracks.n; i++) {
    Node *c = ck->tracks.v[i]->decl->expr;
    ck->level = LEVEL_RECORD;
    ck->via = NULL;
    flag_operand(ck, c, check_value(ck, c), "a track's condition");
    check_level(ck, c, LEVEL_RECORD, "a track's condition");
  }
  check_ordered(ck, ck->score, (Tok){0});
  for (int i = 0; i < ck->tiers.n; i++) {
    Node *c = ck->tiers.v[i]->decl->expr;
    ck->level = LEVEL_RECORD;
    ck->via = NULL;
    flag_operand(ck, c, check_value(ck, c), "a tier's condition");
    check_level(ck, c, LEVEL_SCORE, "a tier's condition");
  }
  if (ck->tierdecl && ck->tierdecl->expr) check_floor(ck, ck->tierdecl);
  for (int i = 0; i < ck->tracks.n; i++) {
    Decl *ladder = chk_track_tiers(ck, ck->tracks.v[i]);
    if (ladder && ladder != ck->tierdecl && ladder->expr) check_floor(ck, ladder);
  }
  for (int i = 0; i < ck->badges.n; i++) check_ordered(ck, ck->badges.v[i], ck->badges.v[i]->decl->name);
  for (int i = 0; i < ck->payouts.n; i++) check_ordered(ck, ck->payouts.v[i], ck->payouts.v[i]->decl->name);
  for (int i = 0; i < ck->outputs.n; i++) check_ordered(ck, ck->outputs.v[i], ck->outputs.v[i]->decl->name);
  check_output_names(ck);
  if (ck->dl->errors == errors_before) check_track_cover(ck);
  for (int i = 0; i < ck->ntests; i++) check_test(ck, ck->tests[i]);
  check_rules(ck);
  return ck->dl->errors == errors_before;
}

void chk_free(Checker *ck) {
  free(ck->tab);
  SymVec *vecs[] = {&ck->fields, &ck->params, &ck->lets, &ck->fns, &ck->categories,
                    &ck->points, &ck->tiers, &ck->tracks, &ck->badges, &ck->benefits,
                    &ck->payouts, &ck->keys, &ck->order, &ck->outputs, &ck->choices, &ck->bounded};
  for (size_t i = 0; i < sizeof vecs / sizeof *vecs; i++) free(vecs[i]->v);
  free(ck->tests);
  free(ck->groups);
  free(ck->afields.v);
  free(ck->windows.v);
  free(ck->aggs);
  free(ck->pinfo);
  free(ck->pvalues);
  free(ck->rules);
  free(ck->ruleseen);
  memset(ck, 0, sizeof *ck);
}

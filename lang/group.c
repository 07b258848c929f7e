/*
** group.c — repeated groups of fields (grp_).
**
** Programs repeat the same fields per region or per solution area.  A
** record says it once:
**
**   group region (na, emea) { acv money  certified count }
**
** and a let, points or output declared `per region` is written once for
** every member.  Aggregates (sum, max, min, count, any, all, best) read a
** group's values across its members, and `points of CATEGORY` a category's
** points one by one.
**
** All of it is sugar, and this file removes it before the checker reads
** the tree: the group becomes the fields na_acv, na_certified, emea_acv,
** emea_certified (named by the group's column pattern, "{member}_{name}"
** unless it says otherwise); a `per region` declaration becomes one copy per
** member, named the same way, in whose expression a group field's bare name
** (or a per-member let's or output's, or `CATEGORY.points` of per-member
** points) means the member's own, and the group's name means the member
** itself, a value of the group's choice; and each aggregate becomes the
** ordinary expression it stands for: `sum(region.acv)` is `na_acv +
** emea_acv`, `best(region by acv)` an if-chain over the members.  So the
** checker, the interval analysis, the compiler, the VM and the `.rbc`
** format see only what they already know, and explain shows the expanded
** expression, each member's value under its own name.
**
** The formatter and the test-block parser never run this: `rubric fmt`
** prints the tree as parsed, so groups and aggregates keep their spelling.
** Expansion runs once, from chk_program, on a tree no one else reads.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* Up to this many members, an aggregate is written out flat, as a person
   would (a + b + c, max(a, b, c)); beyond, as a balanced tree of such
   pieces.  Under the 99 arguments max and min take, and shallow enough
   that the pieces' nesting stays far from CHK_MAX_DEPTH. */
#define GRP_FLAT 32

/* The column pattern of a group that names none. */
#define GRP_PATTERN "{member}_{name}"

/* A name that stands for one value per member of a group: a group field,
   or a let, output or points declared `per GROUP`. */
typedef struct PerName {
  Tok name;
  const Decl *category;   /* points: the category they are in; else NULL */
} PerName;

typedef struct Group {
  Decl *d;                /* the DECL_GROUP */
  const char *pattern;    /* "{member}_{name}" or as the group says */
  Node **members;         /* by index */
  int nmembers;
  Type choice;
  PerName *names;
  int nnames, capnames;
} Group;

typedef struct Gx {
  Checker *ck;
  Group *groups;
  int ngroups;
  bool too_large;         /* R0108 reported: expansion stopped */
  /* While a per-member output with a choice of its own is rewritten: the
     bare names in its result places that name one of its values, which
     stay members (members win there, as docs/language.md says) even where
     a per-member let has the same name. */
  const Node **kept;
  int nkept, capkept;
} Gx;

/* Where an expression is: in the copy for member `member` of group g's
   per-member declaration, or mapped over g by an aggregate (g NULL:
   neither). */
typedef struct Here { Group *g; int member; } Here;

static bool tok_is(Tok t, const char *w, size_t n) { return (size_t)t.n == n && memcmp(t.p, w, n) == 0; }
static bool same_tok(Tok a, Tok b) { return a.n == b.n && memcmp(a.p, b.p, (size_t)a.n) == 0; }

static Diag *err(Gx *gx, DiagCode code, Tok t, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static Diag *err(Gx *gx, DiagCode code, Tok t, const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return diag_add(gx->ck->dl, code, t.src, t.line, t.col, t.n, "%s", buf);
}

static Group *find_group(Gx *gx, Tok name) {
  for (int i = 0; i < gx->ngroups; i++)
    if (same_tok(gx->groups[i].d->name, name)) return &gx->groups[i];
  return NULL;
}

/* The per-member name of g called `name` (for points: in category cat, or
   in any category when cat is NULL), or NULL. */
static PerName *find_name(Group *g, Tok name, bool points, const Tok *cat) {
  for (int i = 0; i < g->nnames; i++) {
    PerName *p = &g->names[i];
    if (!same_tok(p->name, name) || (p->category != NULL) != points) continue;
    if (cat && !same_tok(p->category->name, *cat)) continue;
    return p;
  }
  return NULL;
}

/* The last per-member points of g called name: the first when they are
   one (find_name), another when several categories declare them. */
static PerName *last_name(Group *g, Tok name) {
  for (int i = g->nnames - 1; i >= 0; i--)
    if (g->names[i].category && same_tok(g->names[i].name, name)) return &g->names[i];
  return NULL;
}

static void add_name(Group *g, Tok name, const Decl *category) {
  if (g->nnames == g->capnames) {
    g->capnames = g->capnames ? g->capnames * 2 : 8;
    g->names = realloc(g->names, (size_t)g->capnames * sizeof *g->names);
    if (!g->names) abort();
  }
  g->names[g->nnames++] = (PerName){name, category};
}

/* ---- names ---------------------------------------------------------------- */

/* Member m's copy of `name`, by the group's pattern: a token with the new
   text (in the arena) at name's place in the program. */
static Tok member_name(Gx *gx, const Group *g, int m, Tok name) {
  Tok mt = g->members[m]->tok;
  size_t n = 0, cap = strlen(g->pattern) + 1;
  for (const char *p = g->pattern; *p; p++) cap += (size_t)mt.n + (size_t)name.n;
  char *s = ast_alloc(gx->ck->ast, cap);
  for (const char *p = g->pattern; *p;) {
    if (strncmp(p, "{member}", 8) == 0) { memcpy(s + n, mt.p, (size_t)mt.n); n += (size_t)mt.n; p += 8; }
    else if (strncmp(p, "{name}", 6) == 0) { memcpy(s + n, name.p, (size_t)name.n); n += (size_t)name.n; p += 6; }
    else s[n++] = *p++;
  }
  s[n] = '\0';
  Tok t = name;
  t.p = s;
  t.n = (int)n;
  return t;
}

/* A pattern must say both the member and the name, and everything else in
   it must be letters, digits or `_`, so that each copy is a name a test or
   an expression can write, and a CSV header can hold. */
static bool pattern_ok(const char *p) {
  int members = 0, names = 0;
  bool first = true;
  for (; *p; first = false) {
    if (strncmp(p, "{member}", 8) == 0) { members++; p += 8; continue; }
    if (strncmp(p, "{name}", 6) == 0) { names++; p += 6; continue; }
    char c = *p++;
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!letter && !(c >= '0' && c <= '9' && !first)) return false;
  }
  return members == 1 && names == 1;
}

/* ---- trees ---------------------------------------------------------------- */

static Node *clone_list(Gx *gx, const Node *n);

/* A copy of one node and everything under it (not the nodes after it).
   Copies count toward CHK_MAX_EXPANSION, as fn instances do: `best` over
   k members copies its argument k * k times, and a group may have
   thousands of members, so expansion has a bound (over_budget). */
static Node *clone(Gx *gx, const Node *n) {
  if (!n) return NULL;
  gx->ck->expanded++;
  Node *c = ast_alloc(gx->ck->ast, sizeof *c);
  *c = *n;
  c->a = clone(gx, n->a);
  c->b = clone_list(gx, n->b);
  c->c = clone(gx, n->c);
  c->next = NULL;
  return c;
}

static Node *clone_list(Gx *gx, const Node *n) {
  Node *head = NULL, **link = &head;
  for (; n; n = n->next) {
    *link = clone(gx, n);
    link = &(*link)->next;
  }
  return head;
}

/* A node the expansion makes, at the place of `at` in the program; its
   text is word (a static or arena string), so that what explain prints
   of it, and any diagnostic's underline, stay consistent. */
static Node *made(Gx *gx, NodeKind k, Tok at, const char *word) {
  Tok t = at;
  t.p = word;
  t.n = (int)strlen(word);
  return ast_node(gx->ck->ast, k, t);
}

static Node *binary(Gx *gx, NodeKind k, Tok at, Node *a, Node *b) {
  Node *n = made(gx, k, at, "");
  n->a = a;
  n->b = b;
  return n;
}

static Node *number(Gx *gx, Tok at, int v) {
  Node *n = made(gx, AST_NUM, at, v ? "1" : "0");
  n->num = v ? DEC_SCALE : 0;
  return n;
}

/* Whether expansion has made more nodes than a program may: then R0108,
   once, at the place that passed the bound, and no more copies. */
static bool over_budget(Gx *gx, Tok at) {
  if (gx->ck->expanded <= CHK_MAX_EXPANSION) return false;
  if (!gx->too_large) {
    gx->too_large = true;
    err(gx, R0108, at, "groups expand to more than %ld nodes", CHK_MAX_EXPANSION);
  }
  return true;
}

/* parts[lo..hi) joined by op (or, with fn, as fn(a, b): max, min), as a
   balanced tree: an aggregate over a thousand members nests ten deep, not
   a thousand (CHK_MAX_DEPTH), and no call has more arguments than the
   built-ins take. */
static Node *joined(Gx *gx, NodeKind op, const char *fn, Tok at, Node **parts, int lo, int hi) {
  if (hi - lo == 1) return parts[lo];
  if (hi - lo <= GRP_FLAT) {   /* as a person writes it: a + b + c, max(a, b, c) */
    if (fn) {
      Node *call = made(gx, AST_CALL, at, fn);
      call->b = parts[lo];
      for (int i = lo + 1; i < hi; i++) parts[i - 1]->next = parts[i];
      return call;
    }
    Node *r = parts[lo];
    for (int i = lo + 1; i < hi; i++) r = binary(gx, op, at, r, parts[i]);
    return r;
  }
  int mid = lo + (hi - lo) / 2;
  Node *a = joined(gx, op, fn, at, parts, lo, mid), *b = joined(gx, op, fn, at, parts, mid, hi);
  if (!fn) return binary(gx, op, at, a, b);
  Node *call = made(gx, AST_CALL, at, fn);
  call->b = a;
  a->next = b;
  return call;
}

/* ---- rewriting expressions ----------------------------------------------- */

static void rewrite(Gx *gx, Node *n, Here here);

static const char *const aggregates[] = {"sum", "max", "min", "count", "any", "all", "best"};
enum { AG_SUM, AG_MAX, AG_MIN, AG_COUNT, AG_ANY, AG_ALL, AG_BEST, AG__COUNT };

/* How each aggregate is written, for a hint. */
static const char *const hints[] = {
    "write sum(GROUP.FIELD) or sum(points of CATEGORY)", "write max(GROUP.FIELD) or max(points of CATEGORY)",
    "write min(GROUP.FIELD) or min(points of CATEGORY)", "write count(GROUP where CONDITION)",
    "write any(GROUP where CONDITION) or any(points of CATEGORY > 0)",
    "write all(GROUP where CONDITION) or all(points of CATEGORY > 0)", "write best(GROUP by VALUE)"};

static int aggregate_of(const Node *call) {
  for (int i = 0; i < AG__COUNT; i++)
    if (tok_is(call->tok, aggregates[i], strlen(aggregates[i]))) return i;
  return -1;
}

/* The first group (`GROUP.NAME`) or category (`points of C`) that e maps
   over, not looking into aggregates nested in it, which map on their own. */
static const Node *mapped(Gx *gx, const Node *e) {
  for (; e; e = e->next) {
    if (e->kind == AST_POINTSOF) return e;
    if (e->kind == AST_DOT && find_group(gx, e->tok)) return e;
    if (e->kind == AST_CALL && aggregate_of(e) >= 0) continue;
    const Node *r = mapped(gx, e->a);
    if (!r) r = mapped(gx, e->b);
    if (!r) r = mapped(gx, e->c);
    if (r) return r;
  }
  return NULL;
}

/* The category named tok, at the top level or in a track. */
static const Decl *find_category(Gx *gx, Tok name) {
  for (const Decl *d = gx->ck->ast->decls.head; d; d = d->next) {
    if (d->kind == DECL_CATEGORY && same_tok(d->name, name)) return d;
    if (d->kind == DECL_TRACK)
      for (const Decl *k = d->kids; k; k = k->next)
        if (k->kind == DECL_CATEGORY && same_tok(k->name, name)) return k;
  }
  return NULL;
}

/* `points of C` in e, for its i-th points p: C.p. */
static void points_at(Node *e, Tok point) {
  for (; e; e = e->next) {
    if (e->kind == AST_POINTSOF) {
      e->kind = AST_DOT;
      e->tok2 = point;
      e->start = e->tok.p;
      e->end = e->tok.p + e->tok.n;
      continue;
    }
    if (e->kind == AST_CALL && aggregate_of(e) >= 0) continue;
    points_at(e->a, point);
    points_at(e->b, point);
    points_at(e->c, point);
  }
}

/* The one argument of an aggregate, copied once for each member (each
   points of a category) and rewritten for it: parts[0..*n). */
static Node **map_argument(Gx *gx, Node *call, int *n) {
  Node *arg = call->b;
  Node *body = arg->kind == AST_OVER ? arg->a : arg;
  Group *g = arg->kind == AST_OVER ? find_group(gx, arg->tok) : NULL;
  const Node *m = g ? NULL : mapped(gx, arg);
  if (m && m->kind != AST_POINTSOF) g = find_group(gx, m->tok);
  Node **parts;
  if (g) {
    parts = ast_alloc(gx->ck->ast, (size_t)g->nmembers * sizeof *parts);
    for (int i = 0; i < g->nmembers; i++) {
      if (over_budget(gx, call->tok)) return NULL;
      parts[i] = clone(gx, body);
      rewrite(gx, parts[i], (Here){g, i});
    }
    *n = g->nmembers;
    return parts;
  }
  const Decl *cat = find_category(gx, m->tok);
  if (!cat) {
    err(gx, R0201, m->tok, "no category named '%.*s'", m->tok.n, m->tok.p);
    return NULL;
  }
  int k = 0;
  for (const Decl *p = cat->kids; p; p = p->next) k++;
  if (!k) {
    err(gx, R0214, m->tok, "category '%.*s' has no points to aggregate", m->tok.n, m->tok.p);
    return NULL;
  }
  parts = ast_alloc(gx->ck->ast, (size_t)k * sizeof *parts);
  k = 0;
  for (const Decl *p = cat->kids; p; p = p->next) {
    if (over_budget(gx, call->tok)) return NULL;
    parts[k] = clone(gx, body);
    points_at(parts[k], p->name);
    rewrite(gx, parts[k], (Here){NULL, 0});
    k++;
  }
  *n = k;
  return parts;
}

/* `best`: the first member whose value is at least every later member's
   is the first of the highest, so ties go to the member declared first:
   if e0 >= e1 and e0 >= e2 then m0 else if e1 >= e2 then m1 else m2. */
static Node *best_of(Gx *gx, Tok at, Group *g, Node **parts, int k) {
  Node *tail = NULL;
  for (int i = k - 1; i >= 0; i--) {
    Node *m = ast_node(gx->ck->ast, AST_ENUMLIT, g->members[i]->tok);
    m->num = i;
    m->ty = g->choice;
    if (!tail) { tail = m; continue; }
    Node *cond = NULL;
    for (int j = i + 1; j < k && gx->ck->expanded <= CHK_MAX_EXPANSION; j++) {
      Node *ge = binary(gx, AST_GE, at, clone(gx, parts[i]), clone(gx, parts[j]));
      cond = cond ? binary(gx, AST_AND, at, cond, ge) : ge;
    }
    Node *n = made(gx, AST_IF, at, "if");
    n->a = cond;
    n->b = m;
    n->c = tail;
    tail = n;
  }
  return tail;
}

/* Whether the program declares a function of this name: then a call
   that maps over no group is that function's (a program may have its own
   `fn best(a, b)`). */
static bool user_fn(Gx *gx, Tok name) {
  for (const Decl *d = gx->ck->ast->decls.head; d; d = d->next)
    if (d->kind == DECL_FN && same_tok(d->name, name)) return true;
  return false;
}

/* An aggregate call, replaced in place by what it stands for.  Its
   argument must map over a group or a category: otherwise it is an
   ordinary call (max(a, b) is still max). */
static bool aggregate(Gx *gx, Node *call) {
  int which = aggregate_of(call);
  Node *arg = call->b;
  if (which < 0) {
    if (arg && arg->kind == AST_OVER) {
      Diag *d = err(gx, R0214, call->tok, "'%.*s' does not aggregate over a group", call->tok.n, call->tok.p);
      diag_hint(d, "the aggregates are sum, max, min, count, any, all and best");
      call->kind = AST_OVER;
      return true;
    }
    return false;
  }
  if (!arg || (arg->kind != AST_OVER && (arg->next || !mapped(gx, arg)))) {
    if (which == AG_MAX || which == AG_MIN || user_fn(gx, call->tok)) return false;   /* the built-in, or the program's */
    Diag *d = err(gx, R0214, call->tok, "%s aggregates over a group or a category's points", aggregates[which]);
    diag_hint(d, "%s", hints[which]);
    call->kind = AST_OVER;
    return true;
  }
  if (arg->kind == AST_OVER) {
    bool by = arg->rowkind == OVER_BY;
    if (!find_group(gx, arg->tok)) {
      err(gx, R0201, arg->tok, "no group named '%.*s'", arg->tok.n, arg->tok.p);
      call->kind = AST_OVER;
      return true;
    }
    bool where_ok = which == AG_COUNT || which == AG_ANY || which == AG_ALL;
    if (by ? which != AG_BEST : !where_ok) {
      Diag *d = err(gx, R0214, call->tok, "%s(%.*s %s ...) is not an aggregate", aggregates[which], arg->tok.n,
                    arg->tok.p, by ? "by" : "where");
      diag_hint(d, "%s", hints[which]);
      call->kind = AST_OVER;
      return true;
    }
  }
  int k = 0;
  Node **parts = map_argument(gx, call, &k);
  if (!parts) { call->kind = AST_OVER; return true; }
  Tok at = call->tok;
  Node *r = NULL;
  switch (which) {
  case AG_SUM: case AG_ANY: case AG_ALL: case AG_COUNT: {
    NodeKind op = which == AG_ANY ? AST_OR : which == AG_ALL ? AST_AND : AST_ADD;
    for (int i = 0; i < k && which == AG_COUNT; i++) {
      Node *n = made(gx, AST_IF, at, "if");
      n->a = parts[i];
      n->b = number(gx, at, 1);
      n->c = number(gx, at, 0);
      parts[i] = n;
    }
    r = joined(gx, op, NULL, at, parts, 0, k);
    break;
  }
  case AG_MAX: case AG_MIN:
    r = joined(gx, AST_CALL, aggregates[which], at, parts, 0, k);
    break;
  case AG_BEST: {
    Group *g = arg->kind == AST_OVER ? find_group(gx, arg->tok) : find_group(gx, mapped(gx, arg)->tok);
    if (!g) {
      err(gx, R0214, call->tok, "best names a member of a group, and points of a category make none");
      call->kind = AST_OVER;
      return true;
    }
    r = best_of(gx, at, g, parts, k);
    if (over_budget(gx, at)) { call->kind = AST_OVER; return true; }
    break;
  }
  default: break;
  }
  /* The call's node becomes the expression, keeping its place and text
     span, so a diagnostic about it still underlines the call. */
  const char *start = call->start, *end = call->end;
  Node *next = call->next;
  int depth = call->depth;
  *call = *r;
  call->next = next;
  call->depth = depth;
  if (r->tok.p == at.p) { call->start = start; call->end = end; }
  return true;
}

static bool is_kept(const Gx *gx, const Node *n) {
  for (int i = 0; i < gx->nkept; i++)
    if (gx->kept[i] == n) return true;
  return false;
}

/* Keeps the names in e's result places (the branches of an if, a band's
   rows and else, a default's fallback) that name one of members. */
static void keep_members(Gx *gx, const Node *e, const Node *members) {
  while (e) {
    switch (e->kind) {
    case AST_IF: keep_members(gx, e->b, members); e = e->c; break;
    case AST_BAND:
      for (const Node *r = e->b; r; r = r->next) keep_members(gx, r->a, members);
      e = e->c;
      break;
    case AST_DEFAULT: e = e->b; break;
    case AST_NAME:
      for (const Node *m = members; m; m = m->next)
        if (same_tok(m->tok, e->tok)) {
          if (gx->nkept == gx->capkept) {
            gx->capkept = gx->capkept ? 2 * gx->capkept : 16;
            gx->kept = realloc(gx->kept, (size_t)gx->capkept * sizeof *gx->kept);
            if (!gx->kept) abort();
          }
          gx->kept[gx->nkept++] = e;
          break;
        }
      return;
    default: return;
    }
  }
}

/* Renames what means the member's own in an expression `here` is for, and
   expands aggregates.  Recursion follows nesting (AST_MAX_DEPTH). */
static void rewrite(Gx *gx, Node *n, Here here) {
  for (; n; n = n->next) {
    switch (n->kind) {
    case AST_CALL:
      if (aggregate(gx, n)) continue;
      break;
    case AST_NAME:
      if (!here.g || n->local >= 0 || is_kept(gx, n)) break;
      if (same_tok(n->tok, here.g->d->name)) {   /* the member itself */
        n->kind = AST_ENUMLIT;
        n->tok.p = here.g->members[here.member]->tok.p;
        n->tok.n = here.g->members[here.member]->tok.n;
        n->start = n->tok.p;
        n->end = n->tok.p + n->tok.n;
        n->num = here.member;
        n->ty = here.g->choice;
      } else if (find_name(here.g, n->tok, false, NULL)) {
        n->tok = member_name(gx, here.g, here.member, n->tok);
        n->start = n->tok.p;
        n->end = n->tok.p + n->tok.n;
      }
      continue;
    case AST_DOT: {
      Group *g = find_group(gx, n->tok);
      if (g) {
        PerName *p = find_name(g, n->tok2, false, NULL);
        if (!p && (p = find_name(g, n->tok2, true, NULL)) && p != last_name(g, n->tok2)) {
          if (here.g != g || here.member == 0) {   /* once, not once per member */
            Diag *d = err(gx, R0214, n->tok2, "several categories have points '%.*s' per %.*s", n->tok2.n,
                          n->tok2.p, n->tok.n, n->tok.p);
            diag_hint(d, "rename one, or aggregate a category's points: max(points of CATEGORY)");
          }
          n->kind = AST_OVER;
          continue;
        }
        if (!p) {
          Diag *d = err(gx, R0201, n->tok2, "group '%.*s' has no field or per-member value '%.*s'", n->tok.n,
                        n->tok.p, n->tok2.n, n->tok2.p);
          diag_hint(d, "a group's fields and what is declared 'per %.*s' can be read this way", n->tok.n, n->tok.p);
          n->kind = AST_OVER;
          continue;
        }
        if (here.g != g) {
          Diag *d = err(gx, R0214, n->tok, "'%.*s.%.*s' is one value per member, so it needs an aggregate",
                        n->tok.n, n->tok.p, n->tok2.n, n->tok2.p);
          diag_hint(d, "say which: sum(%.*s.%.*s), max(...), min(...), best(%.*s by %.*s), or name one "
                       "member's value", n->tok.n, n->tok.p, n->tok2.n, n->tok2.p, n->tok.n, n->tok.p,
                    n->tok2.n, n->tok2.p);
          n->kind = AST_OVER;
          continue;
        }
        Tok name = n->tok2;
        if (p->category) {   /* per-member points: CATEGORY.copy */
          n->tok = p->category->name;
          n->tok2 = member_name(gx, g, here.member, name);
          continue;
        }
        n->kind = AST_NAME;
        n->tok = member_name(gx, g, here.member, name);
        n->tok2 = (Tok){0};
        n->start = n->tok.p;
        n->end = n->tok.p + n->tok.n;
        continue;
      }
      if (here.g && find_name(here.g, n->tok2, true, &n->tok))   /* CATEGORY.points, this member's */
        n->tok2 = member_name(gx, here.g, here.member, n->tok2);
      continue;
    }
    case AST_OVER:
      err(gx, R0214, n->tok, "'%.*s %s ...' is the argument of an aggregate", n->tok.n, n->tok.p,
          n->rowkind == OVER_BY ? "by" : "where");
      continue;
    case AST_POINTSOF: {
      Diag *d = err(gx, R0214, n->tok, "'points of %.*s' is one value per points of the category, so it needs an aggregate",
                    n->tok.n, n->tok.p);
      diag_hint(d, "for example all(points of %.*s > 0), or sum(points of %.*s)", n->tok.n, n->tok.p, n->tok.n,
                n->tok.p);
      continue;
    }
    default: break;
    }
    rewrite(gx, n->a, here);
    rewrite(gx, n->b, here);
    rewrite(gx, n->c, here);
  }
}

/* ---- declarations --------------------------------------------------------- */

static void collect_groups(Gx *gx, Decl *rec) {
  for (Decl *d = rec->kids; d; d = d->next) {
    if (d->kind != DECL_GROUP) continue;
    if (find_group(gx, d->name)) {
      err(gx, R0202, d->name, "group '%.*s' is defined twice", d->name.n, d->name.p);
      continue;
    }
    gx->groups = realloc(gx->groups, (size_t)(gx->ngroups + 1) * sizeof *gx->groups);
    if (!gx->groups) abort();
    Group *g = &gx->groups[gx->ngroups++];
    memset(g, 0, sizeof *g);
    g->d = d;
    g->pattern = d->title ? d->title : GRP_PATTERN;
    if (!pattern_ok(g->pattern)) {
      Diag *dg = err(gx, R0215, d->pattern, "column pattern \"%s\" does not make names", g->pattern);
      diag_hint(dg, "say {member} and {name} once each, with letters, digits or _ around them: "
                    "\"{name}_{member}\"");
      g->pattern = GRP_PATTERN;
    }
    for (Node *m = d->members; m; m = m->next) g->nmembers++;
    g->members = ast_alloc(gx->ck->ast, (size_t)g->nmembers * sizeof *g->members);
    int i = 0;
    for (Node *m = d->members; m; m = m->next) g->members[i++] = m;
    g->choice = chk_group_choice(gx->ck, d);
    for (Decl *f = d->kids; f; f = f->next) {
      if (f->key) err(gx, R0214, f->name, "a group's field cannot be a key: a key names the whole record");
      add_name(g, f->name, NULL);
    }
  }
}

/* Each member's copy of d (a group field, or a per-member declaration),
   linked in member order; *last gets the last copy. */
static Decl *copies(Gx *gx, const Group *g, const Decl *d, const Decl *origin, Decl **last) {
  Decl *head = NULL, **link = &head;
  for (int m = 0; m < g->nmembers && !over_budget(gx, d->name); m++) {
    Decl *c = ast_alloc(gx->ck->ast, sizeof *c);
    *c = *d;
    c->name = member_name(gx, g, m, d->name);
    c->tok = d->tok;
    c->origin = origin;
    c->member = m;
    c->per = (Tok){0};
    c->expr = clone(gx, d->expr);
    if (d->title && d->kind != DECL_GROUP) {
      Tok mt = g->members[m]->tok;
      size_t n = strlen(d->title) + (size_t)mt.n + 4;
      char *t = ast_alloc(gx->ck->ast, n);
      snprintf(t, n, "%s (%.*s)", d->title, mt.n, mt.p);
      c->title = t;
    }
    c->next = NULL;
    *link = c;
    *last = c;
    link = &c->next;
  }
  return head;
}

/* Replaces, in the list at *link, each group (in a record) or `per`
   declaration by its members' copies; returns the list's new last. */
static Decl *expand_list(Gx *gx, Decl **link, bool record) {
  Decl *last = NULL;
  while (*link) {
    Decl *d = *link;
    Group *g = NULL;
    if (record && d->kind == DECL_GROUP) g = find_group(gx, d->name);
    else if (d->per.n) {
      g = find_group(gx, d->per);
      if (!g) {
        Diag *dg = err(gx, R0201, d->per, "no group named '%.*s'", d->per.n, d->per.p);
        diag_hint(dg, "declare it in the record: group %.*s (member, ...) { fields }", d->per.n, d->per.p);
        *link = d->next;   /* dropped: its copies cannot be named */
        continue;
      }
    }
    if (!g || (record && g->d != d)) {
      if (record && d->kind == DECL_GROUP) { *link = d->next; continue; }   /* a second of one name */
      last = d;
      link = &d->next;
      continue;
    }
    Decl *tail = NULL, *head = NULL;
    if (record) {
      Decl **hl = &head;
      for (int m = 0; m < g->nmembers; m++)
        for (const Decl *f = d->kids; f; f = f->next) {
          Decl *c = ast_alloc(gx->ck->ast, sizeof *c);
          *c = *f;
          c->name = member_name(gx, g, m, f->name);
          c->tok = c->name;
          c->origin = d;
          c->member = m;
          c->next = NULL;
          /* A range that names the group's fields (`won money in ..acv *
             2`) means this member's: each copy has its own. */
          Bound *ends[2] = {&c->range.lo, &c->range.hi};
          for (int e = 0; e < 2; e++)
            if (ends[e]->expr) {
              ends[e]->expr = clone(gx, ends[e]->expr);
              rewrite(gx, ends[e]->expr, (Here){g, m});
            }
          *hl = c;
          hl = &c->next;
          tail = c;
        }
    } else {
      head = copies(gx, g, d, d, &tail);
    }
    if (!head) { *link = d->next; continue; }
    tail->next = d->next;
    *link = head;
    last = tail;
    link = &tail->next;
  }
  return last;
}

/* Registers every `per GROUP` declaration's name with its group. */
static void collect_per(Gx *gx, Decl *list, const Decl *category) {
  for (Decl *d = list; d; d = d->next) {
    if (d->kind == DECL_CATEGORY) collect_per(gx, d->kids, d);
    else if (d->kind == DECL_TRACK) collect_per(gx, d->kids, NULL);
    if (!d->per.n) continue;
    Group *g = find_group(gx, d->per);
    if (g) add_name(g, d->name, d->kind == DECL_POINTS ? category : NULL);
  }
}

static void expand_lists(Gx *gx, DeclList *decls) {
  decls->tail = expand_list(gx, &decls->head, false);
  for (Decl *d = decls->head; d; d = d->next) {
    if (d->kind == DECL_CATEGORY) expand_list(gx, &d->kids, false);
    if (d->kind != DECL_TRACK) continue;
    expand_list(gx, &d->kids, false);
    for (Decl *k = d->kids; k; k = k->next)
      if (k->kind == DECL_CATEGORY) expand_list(gx, &k->kids, false);
  }
}

/* The place an expression of d is in: a member's copy of a `per`
   declaration is in its member. */
static Here here_of(Gx *gx, const Decl *d) {
  if (d->origin && d->origin->kind != DECL_GROUP && d->origin->per.n)
    return (Here){find_group(gx, d->origin->per), d->member};
  return (Here){NULL, 0};
}

/* Whether expanding may rewrite e: it names a group or aggregates. */
static bool sugared(Gx *gx, const Node *e) {
  for (; e; e = e->next) {
    if (e->kind == AST_OVER || e->kind == AST_POINTSOF || (e->kind == AST_DOT && find_group(gx, e->tok)) ||
        (e->kind == AST_CALL && aggregate_of(e) >= 0))
      return true;
    if (sugared(gx, e->a) || sugared(gx, e->b) || sugared(gx, e->c)) return true;
  }
  return false;
}

/* A test's `given { acv.na = 600000 }` and `expect { status.na = leading
   }`: one member's value of a group field or of a per-member let or
   output, written as a keyed param's is; each becomes the member's copy
   (na_acv, na_status).  What names no such value is left for the checker
   to report. */
static void rewrite_assigns(Gx *gx, Decl *list) {
  for (Decl *a = list; a; a = a->next) {
    if (!a->dotted) continue;
    for (int i = 0; i < gx->ngroups; i++) {
      Group *g = &gx->groups[i];
      int m = 0;
      while (m < g->nmembers && !same_tok(g->members[m]->tok, a->name2)) m++;
      if (m == g->nmembers || !find_name(g, a->name, false, NULL)) continue;
      a->name = member_name(gx, g, m, a->name);
      a->dotted = false;
      break;
    }
  }
}

static void rewrite_decls(Gx *gx, Decl *list) {
  for (Decl *d = list; d; d = d->next) {
    switch (d->kind) {
    case DECL_TEST:
      rewrite_assigns(gx, d->given);
      rewrite_assigns(gx, d->expect);
      break;
    case DECL_RECORD:   /* a field's range may aggregate a group: ..sum(region.acv) */
      for (Decl *f = d->kids; f; f = f->next) {
        if (f->range.lo.expr) rewrite(gx, f->range.lo.expr, (Here){NULL, 0});
        if (f->range.hi.expr) rewrite(gx, f->range.hi.expr, (Here){NULL, 0});
      }
      break;
    case DECL_PARAM: case DECL_PARAM_BY: case DECL_BENEFIT: break;
    default:
      if (d->expr && !d->origin && sugared(gx, d->expr)) d->written = clone(gx, d->expr);
      gx->nkept = 0;
      if (d->kind == DECL_OUTPUT && d->typed && d->members && d->expr) keep_members(gx, d->expr, d->members);
      if (d->expr) rewrite(gx, d->expr, here_of(gx, d));
      gx->nkept = 0;
      rewrite_decls(gx, d->kids);
    }
  }
}

void grp_expand(Checker *ck) {
  Gx gx = {.ck = ck};
  Ast *ast = ck->ast;
  bool any = false;
  for (Decl *d = ast->decls.head; d; d = d->next) {
    if (d->kind == DECL_RECORD) {
      collect_groups(&gx, d);
      for (Decl *f = d->kids; f; f = f->next) any |= f->kind == DECL_GROUP;
    }
  }
  collect_per(&gx, ast->decls.head, NULL);
  for (Decl *d = ast->decls.head; d; d = d->next)
    if (d->kind == DECL_RECORD && any) expand_list(&gx, &d->kids, true);
  expand_lists(&gx, &ast->decls);
  rewrite_decls(&gx, ast->decls.head);
  if (gx.ngroups) {
    ck->groups = malloc((size_t)gx.ngroups * sizeof *ck->groups);
    if (!ck->groups) abort();
    for (int i = 0; i < gx.ngroups; i++) ck->groups[i] = gx.groups[i].d;
    ck->ngroups = gx.ngroups;
  }
  for (int i = 0; i < gx.ngroups; i++) free(gx.groups[i].names);
  free(gx.groups);
  free(gx.kept);
}

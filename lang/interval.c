/*
** interval.c — what every value of a checked program can be (iv_).
**
** Field types and declared ranges give each field an interval (a count is
** at least 0, a percent 0..100, a field `in 0..50` just that); intervals flow
** through expressions, caps, sums and ladders, so the checker knows each
** parameter's, category's and track's reachable minimum and maximum, and
** can say which caps never bind, which tiers no record reaches, which band
** rows are dead.  Everything here is a conservative over-approximation: an
** interval may be wider than what records can really give, never narrower,
** so a "never" finding is always true.  Conditions are not used to narrow
** values, except a band's subject within each row.
**
** Params are taken at their declared values, or at the values a caller
** gives (iv_reach, for what a --set changes); a param that is a cap, a
** range's end or a band's bound is an interval like any value (a keyed
** param's spans its members' values).  A cap equal to what its
** points can reach restates it and is never reported, whatever keeps the
** points there: the rule, a field's type (a count is at least 0) or its
** declared range (`in 0..`) alike; only a cap beyond reach is (R0803).
*/
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "date.h"

__extension__ typedef __int128 Wide;

static const Iv ANY = {false, false, 0, 0, DEC_DIGITS};

/* The decimal places of one Dec: 400 has 0, 12.5 has 1. */
static uint8_t places_of(int64_t v) {
  uint8_t p = DEC_DIGITS;
  while (p > 0 && v % 10 == 0) { v /= 10; p--; }
  return p;
}
static uint8_t max_places(uint8_t a, uint8_t b) { return a > b ? a : b; }

static Iv exact(int64_t v) { return (Iv){true, true, v, v, places_of(v)}; }
static Iv flag_iv(bool can_false, bool can_true) {
  return (Iv){true, true, can_false ? 0 : 1, can_true ? 1 : 0, 0};
}

/* The nearest Dec above (up) or below (!up) v that a value with `places`
   decimal places can take: 5 -> 6 for whole numbers, 5.000001 for any. */
static Wide grid_step(int64_t v, uint8_t places, bool up) {
  int64_t unit = 1;
  for (int i = places; i < DEC_DIGITS; i++) unit *= 10;
  Wide q = (Wide)v / unit, m = (Wide)v - q * unit;
  if (up) q += m >= 0 ? 1 : 0;
  else q -= m <= 0 ? 1 : 0;
  return q * unit;
}
static int64_t step_from(int64_t v, uint8_t places, bool up) {
  Wide r = grid_step(v, places, up);
  return r > (Wide)DEC_MAX ? DEC_MAX : r < (Wide)DEC_MIN ? DEC_MIN : (int64_t)r;
}

/* Narrow a wide result to an int64 bound, or drop the bound when it overflows. */
static void set_lo(Iv *r, Wide v) {
  r->has_lo = v >= (Wide)DEC_MIN && v <= (Wide)DEC_MAX;
  r->lo = r->has_lo ? (int64_t)v : 0;
}
static void set_hi(Iv *r, Wide v) {
  r->has_hi = v >= (Wide)DEC_MIN && v <= (Wide)DEC_MAX;
  r->hi = r->has_hi ? (int64_t)v : 0;
}

static Iv join(Iv a, Iv b) {
  Iv r;
  r.places = max_places(a.places, b.places);
  r.has_lo = a.has_lo && b.has_lo;
  r.lo = r.has_lo ? (a.lo < b.lo ? a.lo : b.lo) : 0;
  r.has_hi = a.has_hi && b.has_hi;
  r.hi = r.has_hi ? (a.hi > b.hi ? a.hi : b.hi) : 0;
  return r;
}

static Iv add(Iv a, Iv b, bool sub) {
  Iv r = ANY;
  r.places = max_places(a.places, b.places);   /* + and - never round */
  if (sub) {
    if (a.has_lo && b.has_hi) set_lo(&r, (Wide)a.lo - b.hi);
    if (a.has_hi && b.has_lo) set_hi(&r, (Wide)a.hi - b.lo);
  } else {
    if (a.has_lo && b.has_lo) set_lo(&r, (Wide)a.lo + b.lo);
    if (a.has_hi && b.has_hi) set_hi(&r, (Wide)a.hi + b.hi);
  }
  return r;
}

/* n / d rounded half to even (d > 0): the one rounding of dec_mul and
   dec_div (runtime/decimal.c), which the analysis must match exactly. */
static Wide half_even(Wide n, Wide d) {
  Wide q = n / d, rem = n % d;
  if (rem < 0) rem = -rem;
  if (rem * 2 > d || (rem * 2 == d && q % 2 != 0)) q += n < 0 ? -1 : 1;
  return q;
}

/* Products and quotients of decimals (scaled by DEC_SCALE), from the four
   corner values; any unbounded side makes the result unbounded on both.
   No slack is added for rounding: a product of values with p and q
   decimal places has p + q, and cannot round when that is at most
   DEC_DIGITS (10 * 0..10 is exactly 0..100); when it can, each corner is
   rounded as the VM rounds it, and since rounding to nearest never
   reverses an order, the rounded corners still bound every rounded
   result. */
static Iv mul(Iv a, Iv b) {
  uint8_t places = a.places + b.places > DEC_DIGITS ? DEC_DIGITS : (uint8_t)(a.places + b.places);
  if (!a.has_lo || !a.has_hi || !b.has_lo || !b.has_hi) {
    /* [0, hi] times [0, hi'] stays at least 0: counts times rates. */
    Iv r = ANY;
    r.places = places;
    if (a.has_lo && b.has_lo && a.lo >= 0 && b.lo >= 0) set_lo(&r, half_even((Wide)a.lo * b.lo, DEC_SCALE));
    return r;
  }
  Wide c[4] = {(Wide)a.lo * b.lo, (Wide)a.lo * b.hi, (Wide)a.hi * b.lo, (Wide)a.hi * b.hi};
  Wide lo = c[0], hi = c[0];
  for (int i = 1; i < 4; i++) {
    if (c[i] < lo) lo = c[i];
    if (c[i] > hi) hi = c[i];
  }
  Iv r;
  r.places = places;
  set_lo(&r, half_even(lo, DEC_SCALE));
  set_hi(&r, half_even(hi, DEC_SCALE));
  return r;
}

static Iv divide(Iv a, Iv b) {
  bool b_positive = b.has_lo && b.lo > 0, b_negative = b.has_hi && b.hi < 0;
  if (!b_positive && !b_negative) return ANY;   /* the divisor may be 0 or cross it */
  if (!a.has_lo || !a.has_hi || !b.has_lo || !b.has_hi) {
    Iv r = ANY;   /* a quotient may have any places: 1 / 3 rounds */
    if (b_positive && a.has_lo && a.lo >= 0) set_lo(&r, 0);
    if (b_positive && a.has_hi && a.hi <= 0) set_hi(&r, 0);
    return r;
  }
  /* Each corner as the VM divides: a * DEC_SCALE / b, half to even (the
     divisor's sign moved to the dividend, as dec_div does). */
  int64_t bs[2] = {b.lo, b.hi}, as[2] = {a.lo, a.hi};
  Wide lo = 0, hi = 0;
  for (int i = 0; i < 4; i++) {
    Wide n = (Wide)as[i / 2] * DEC_SCALE, d = bs[i % 2];
    if (d < 0) { n = -n; d = -d; }
    Wide q = half_even(n, d);
    if (i == 0 || q < lo) lo = q;
    if (i == 0 || q > hi) hi = q;
  }
  Iv r = ANY;
  set_lo(&r, lo);
  set_hi(&r, hi);
  return r;
}

/* min(a, b) and max(a, b) of any two values of a and b. */
static Iv iv_min(Iv a, Iv b) {
  Iv r;
  r.places = max_places(a.places, b.places);
  r.has_lo = a.has_lo && b.has_lo;
  r.lo = r.has_lo ? (a.lo < b.lo ? a.lo : b.lo) : 0;
  r.has_hi = a.has_hi || b.has_hi;
  r.hi = !a.has_hi ? b.hi : !b.has_hi ? a.hi : a.hi < b.hi ? a.hi : b.hi;
  return r;
}

static Iv iv_max(Iv a, Iv b) {
  Iv r;
  r.places = max_places(a.places, b.places);
  r.has_hi = a.has_hi && b.has_hi;
  r.hi = r.has_hi ? (a.hi > b.hi ? a.hi : b.hi) : 0;
  r.has_lo = a.has_lo || b.has_lo;
  r.lo = !a.has_lo ? b.lo : !b.has_lo ? a.lo : a.lo > b.lo ? a.lo : b.lo;
  return r;
}

static bool can_be_true(Iv f) { return !f.has_hi || f.hi >= 1; }
static bool can_be_false(Iv f) { return !f.has_lo || f.lo <= 0; }

/* ---- the walk ------------------------------------------------------------ */

typedef struct Override { const Sym *field; Iv iv; } Override;
enum { MAX_OVERRIDES = 64 };

typedef struct An {
  Checker *ck;
  const int64_t *pv;       /* the params' values, as Checker.pvalues */
  uint8_t *tier_reach;     /* tier_findings: per tier, 1 when reachable */
  const Sym *track;        /* the track whose score `score` means, or NULL: any */
  Iv *locals;              /* fn arguments */
  Override over[MAX_OVERRIDES];
  int nover;
  bool warn;               /* report findings (the reach pass only) */
  /* findings already reported, by position, so a fn body instantiated
     many times reports once */
  const char **seen;
  int nseen, capseen;
} An;

/* A set of positions, open addressing (capseen a power of two, at most
   half full), so a program with 100,000 findings is not quadratic. */
static bool first_time(An *an, const char *at) {
  if (an->nseen * 2 >= an->capseen) {
    int cap = an->capseen ? an->capseen * 2 : 64;
    const char **tab = calloc((size_t)cap, sizeof *tab);
    if (!tab) abort();
    for (int i = 0; i < an->capseen; i++)
      if (an->seen[i]) {
        size_t h = ((uintptr_t)an->seen[i] * 0x9e3779b97f4a7c15u) >> 7 & (size_t)(cap - 1);
        while (tab[h]) h = (h + 1) & (size_t)(cap - 1);
        tab[h] = an->seen[i];
      }
    free(an->seen);
    an->seen = tab;
    an->capseen = cap;
  }
  size_t mask = (size_t)an->capseen - 1, h = ((uintptr_t)at * 0x9e3779b97f4a7c15u) >> 7 & mask;
  for (; an->seen[h]; h = (h + 1) & mask)
    if (an->seen[h] == at) return false;
  an->seen[h] = at;
  an->nseen++;
  return true;
}

static void fmt_bound(const Iv *v, bool hi, uint8_t kind, char *buf) {
  if (hi ? !v->has_hi : !v->has_lo) { strcpy(buf, hi ? "unbounded" : "unbounded"); return; }
  int64_t x = hi ? v->hi : v->lo;
  if (kind == T_DATE) date_format(x, buf);
  else if (kind == T_MONEY) { buf[0] = '$'; dec_format(x, buf + 1); }
  else dec_format(x, buf);
}

static Iv eval(An *an, const Node *n);

static Iv field_iv(An *an, const Sym *f) {
  for (int i = an->nover - 1; i >= 0; i--)
    if (an->over[i].field == f) return an->over[i].iv;
  if (f->iv_state) return f->reach;   /* narrowed by its range's expressions (bounded_fields) */
  const Decl *d = f->decl;
  Iv r = ANY;
  switch (d->ftype) {
  case FT_COUNT: r.has_lo = true; r.lo = 0; r.places = 0; break;
  case FT_INT: r.places = 0; break;
  case FT_PERCENT: r = (Iv){true, true, 0, 100 * DEC_SCALE, DEC_DIGITS}; break;
  case FT_FLAG: return flag_iv(true, true);
  case FT_ENUM: {
    int n = 0;
    for (const Node *m = d->members; m; m = m->next) n++;
    return (Iv){true, true, 0, n - 1, 0};
  }
  case FT_TEXT: return ANY;
  default: break;
  }
  if (d->places.p) r.places = (uint8_t)(d->places_v / DEC_SCALE);   /* `places N`, 0..6 */
  if (d->range.present) {
    if (d->range.lo.present && (!r.has_lo || d->range.lo.v > r.lo)) { r.has_lo = true; r.lo = d->range.lo.v; }
    if (d->range.hi.present && (!r.has_hi || d->range.hi.v < r.hi)) { r.has_hi = true; r.hi = d->range.hi.v; }
  }
  return r;
}

static int64_t literal(const Node *v) { return v->kind == AST_NEG ? -v->a->num : v->num; }

/* A param's values: one, or a keyed param's every member's. */
static Iv param_iv(const An *an, const Sym *s) {
  const ParamInfo *pi = &an->ck->pinfo[s->index];
  Iv r = exact(an->pv[pi->base]);
  for (int i = 1; i < pi->count; i++) r = join(r, exact(an->pv[pi->base + i]));
  return r;
}

/* A bound's values: its literal, or its param's. */
static Iv bound_iv(const An *an, const Bound *b) {
  if (!b->named) return exact(b->v);
  return b->param && b->param->ty.kind != T_ERR ? param_iv(an, b->param) : ANY;
}

static bool is_exact(Iv v) { return v.has_lo && v.has_hi && v.lo == v.hi; }

static Iv slot_iv(An *an, Sym *s);

static Iv compare(const Node *n, Iv a, Iv b) {
  /* Can a OP b be true, and can it be false? */
  bool lt_possible = !a.has_lo || !b.has_hi || a.lo < b.hi;     /* some a < some b */
  bool gt_possible = !a.has_hi || !b.has_lo || a.hi > b.lo;
  bool eq_possible = (!a.has_lo || !b.has_hi || a.lo <= b.hi) && (!b.has_lo || !a.has_hi || b.lo <= a.hi);
  bool always_eq = a.has_lo && a.has_hi && b.has_lo && b.has_hi && a.lo == a.hi && b.lo == b.hi && a.lo == b.lo;
  switch (n->kind) {
  case AST_EQ: return flag_iv(!always_eq, eq_possible);
  case AST_NE: return flag_iv(eq_possible, !always_eq);
  case AST_LT: return flag_iv(gt_possible || eq_possible, lt_possible);
  case AST_LE: return flag_iv(gt_possible, lt_possible || eq_possible);
  case AST_GT: return flag_iv(lt_possible || eq_possible, gt_possible);
  case AST_GE: return flag_iv(lt_possible, gt_possible || eq_possible);
  default: return flag_iv(true, true);
  }
}

static bool numeric_kind(uint8_t k) { return k == T_NUM || k == T_MONEY; }

/* A band row no value reaches, or values above the last row (out of line:
   the text buffers stay off the recursion's frames). */
AST_NOINLINE static void row_unreached(An *an, const Node *n, const Node *row, const Iv *s) {
  char lo[DEC_FMT_MAX + 1], hi[DEC_FMT_MAX + 1];
  fmt_bound(s, false, n->a->ty.kind, lo);
  fmt_bound(s, true, n->a->ty.kind, hi);
  Diag *d = diag_add(an->ck->dl, R0806, row->tok.src, row->tok.line, row->tok.col,
                     (int)(row->end - row->tok.p), "no value reaches band row %.*s",
                     (int)(row->tok2.p + row->tok2.n - row->tok.p), row->tok.p);
  diag_hint(d, "the value is always from %s to %s", lo, hi);
}

/* Values past the rows with no else: the last row's bound b, and how the
   row reads it, says which. */
AST_NOINLINE static void band_uncovered(An *an, const Node *n, const Node *row, int64_t bound) {
  char at[DEC_FMT_MAX + 1];
  Iv b = exact(bound);
  fmt_bound(&b, true, n->a->ty.kind, at);
  const char *fmt = row->rowkind == ROW_FROM ? "values below %s match no row of this band"
                    : row->rowkind == ROW_BELOW ? "values of %s and above match no row of this band"
                    : "values above %s match no row of this band";
  Diag *d = diag_add(an->ck->dl, R0807, n->tok.src, n->tok.line, n->tok.col, n->tok.n, fmt, at);
  diag_hint(d, "add 'else => ...': a record with such a value cannot be scored");
}

/* The values of s that one branch of a band takes: those from lo to hi
   (a side that is not has_ is open). */
typedef struct Part { bool has_lo, has_hi; int64_t lo, hi; } Part;

/* What one branch of a band gives, with the subject narrowed to the part
   of s it takes, or nothing (false) when no value of s falls in it. */
static bool band_branch(An *an, const Node *n, const Sym *field, Iv s, Part part, const Node *value, Iv *v) {
  if (part.has_lo && (!s.has_lo || s.lo < part.lo)) { s.has_lo = true; s.lo = part.lo; }
  if (part.has_hi && (!s.has_hi || s.hi > part.hi)) { s.has_hi = true; s.hi = part.hi; }
  if (s.has_lo && s.has_hi && s.lo > s.hi) return false;
  if (field && an->nover < MAX_OVERRIDES) an->over[an->nover++] = (Override){field, s};
  *v = eval(an, value);
  if (field && an->nover) an->nover--;
  return true;
}

/* Each row takes the values the rows before it leave: with upper ends
   (..25, ..<25), those above the previous row's up to its own end; with
   lower ends (250..), those from its bound up to the next row's, the last
   row taking everything above, and else what lies below the first. */
AST_NOINLINE static Iv band(An *an, const Node *n) {
  Iv s = eval(an, n->a);
  const Sym *field = n->a->kind == AST_NAME && n->a->local < 0 && n->a->sym &&
                     n->a->sym->kind == SYM_FIELD ? n->a->sym : NULL;
  Iv r = ANY, v;
  bool any = false, from = n->b->rowkind == ROW_FROM;
  /* the next value past a bound: whole numbers step by 1 */
  uint8_t places = numeric_kind(n->a->ty.kind) ? s.places : DEC_DIGITS;
  /* A bound that is a param is its values' interval (a keyed param's span
     its members'): each part takes the most any of them allows, so a row
     said to be out of reach is out of reach for every member. */
  Part rest = {0};   /* what no row has taken yet */
  for (const Node *row = n->b; row; row = row->next) {
    Iv b = bound_iv(an, &row->bound), nb = row->next ? bound_iv(an, &row->next->bound) : b;
    if (!b.has_lo || !b.has_hi || !nb.has_lo || !nb.has_hi) return ANY;   /* a bound in error */
    Part part = rest;
    if (from) {
      part.has_lo = true, part.lo = b.lo;
      part.has_hi = row->next != NULL;
      if (row->next) part.hi = step_from(nb.hi, places, false);
    } else {
      bool below = row->rowkind == ROW_BELOW;
      part.has_hi = true;
      part.hi = below ? step_from(b.hi, places, false) : b.hi;
      rest.has_lo = true, rest.lo = step_from(below ? step_from(b.lo, places, false) : b.lo, places, true);
    }
    if (band_branch(an, n, field, s, part, row->a, &v)) {
      r = any ? join(r, v) : v;
      any = true;
    } else if (an->warn && first_time(an, row->tok.p)) {
      row_unreached(an, n, row, &s);
    }
  }
  if (from) rest = (Part){.has_hi = true, .hi = step_from(bound_iv(an, &n->b->bound).hi, places, false)};
  bool left = from ? !s.has_lo || s.lo <= rest.hi : !s.has_hi || s.hi >= rest.lo;
  if (n->c) {
    if (left && band_branch(an, n, field, s, rest, n->c, &v)) {
      r = any ? join(r, v) : v;
      any = true;
    } else if (an->warn && first_time(an, n->c->tok.p)) {
      diag_add(an->ck->dl, R0806, n->c->tok.src, n->c->tok.line, n->c->tok.col, n->c->tok.n,
               "no value reaches this band's else: every value falls in a row");
    }
  } else if (left && an->warn) {
    /* Values no row holds, whatever values the bounds' params have: below
       the first row's lowest lower end, or past the last row's highest end. */
    const Node *last = n->b;
    while (!from && last->next) last = last->next;
    Iv b = bound_iv(an, &last->bound);
    bool certain = from ? !s.has_lo || s.lo < b.lo
                 : last->rowkind == ROW_BELOW ? !s.has_hi || s.hi >= b.hi : !s.has_hi || s.hi > b.hi;
    if (certain && first_time(an, n->tok.p)) band_uncovered(an, n, last, from ? b.lo : b.hi);
  }
  return any ? r : ANY;
}

/* floor, ceil or round (`round`) of n, whose value is the division
   round->quot reached through the fns n calls (compile.c, quotient):
   the exact quotient at each corner, rounded once as the VM rounds it.
   Where the divisor keeps its sign a quotient is monotone in each
   operand, and so is rounding, so the rounded corners bound every
   result.  The corners of the division itself would not do: they are
   rounded to 6 places first, and floor(1.9999996) is 1, not 2. */
static Iv quotient(An *an, const Node *n, const Node *round) {
  if (n != round->quot) {
    for (const Node *a = n->b; a; a = a->next) an->locals[a->argslot] = eval(an, a);
    return quotient(an, n->c, round);
  }
  static const DecRounding modes[] = {[3] = DEC_FLOOR, [4] = DEC_CEIL, [5] = DEC_HALF_AWAY};
  const Node *places = round->b->next;
  int digits = places ? (int)(places->num / DEC_SCALE) : 0;
  Iv a = eval(an, n->a), b = eval(an, n->b), r = ANY;
  r.places = (uint8_t)digits;
  bool b_positive = b.has_lo && b.lo > 0, b_negative = b.has_hi && b.hi < 0;
  if (!b_positive && !b_negative) return r;   /* the divisor may be 0 or cross it */
  if (!a.has_lo || !a.has_hi || !b.has_lo || !b.has_hi) {
    /* Only the quotient's sign is known, and rounding keeps 0 where it is. */
    bool a_pos = a.has_lo && a.lo >= 0, a_neg = a.has_hi && a.hi <= 0;
    if ((b_positive && a_pos) || (b_negative && a_neg)) set_lo(&r, 0);
    if ((b_positive && a_neg) || (b_negative && a_pos)) set_hi(&r, 0);
    return r;
  }
  int64_t as[2] = {a.lo, a.hi}, bs[2] = {b.lo, b.hi};
  Wide lo = 0, hi = 0;
  for (int i = 0; i < 4; i++) {
    Wide q = dec_div_to_wide(as[i / 2], bs[i % 2], digits, modes[round->num]);
    if (i == 0 || q < lo) lo = q;
    if (i == 0 || q > hi) hi = q;
  }
  set_lo(&r, lo);
  set_hi(&r, hi);
  return r;
}

AST_NOINLINE static Iv call(An *an, const Node *n) {
  if (n->sym) {   /* a fn: arguments into locals, then this call's body */
    for (const Node *a = n->b; a; a = a->next) an->locals[a->argslot] = eval(an, a);
    return eval(an, n->c);
  }
  if (n->quot) return quotient(an, n->b, n);
  Iv a = eval(an, n->b);
  switch (n->num) {
  case 0: case 1:   /* min, max */
    for (const Node *x = n->b->next; x; x = x->next) a = n->num == 0 ? iv_min(a, eval(an, x)) : iv_max(a, eval(an, x));
    return a;
  case 2: {   /* clamp(x, lo, hi) is min(max(x, lo), hi), as the VM computes it */
    Iv lo = eval(an, n->b->next), hi = eval(an, n->b->next->next);
    /* hi may lie below everything x and lo reach (clamp(2, 0, 0) is 0):
       min takes the lower low end, so the result is never empty. */
    return iv_min(iv_max(a, lo), hi);
  }
  case 3: case 4: case 5:   /* floor, ceil, round: within one unit */
    /* A bound whose rounding overflows is dropped: such values are rejected. */
    if (a.has_lo) a.has_lo = dec_floor(a.lo, &a.lo) == DEC_OK;
    if (a.has_hi) a.has_hi = dec_ceil(a.hi, &a.hi) == DEC_OK;
    if (n->num != 5 || !n->b->next) a.places = 0;   /* round(x, k): as many as before */
    return a;
  case 6: {   /* abs */
    Iv r = ANY;
    r.places = a.places;
    r.has_lo = true;
    r.lo = (a.has_lo && a.lo >= 0) ? a.lo : (a.has_hi && a.hi <= 0) ? -a.hi : 0;
    if (a.has_lo && a.has_hi) { r.has_hi = true; r.hi = -a.lo > a.hi ? -a.lo : a.hi; }
    return r;
  }
  default: return ANY;
  }
}

/* An aggregate of activities: a count is a whole number from 0; a sum
   keeps the sign its field's range gives every term; min and max are
   within the field's range, or unset (read as 0, as AST_UNSET is).  The
   condition is walked for its own findings. */
static Iv aggregate(An *an, const Node *n) {
  if (n->a) eval(an, n->a);
  if (n->rowkind == AGGK_COUNT || n->rowkind == AGGK_DISTINCT || !n->sym) return (Iv){true, false, 0, 0, 0};
  Iv f = field_iv(an, n->sym);
  if (n->rowkind != AGGK_SUM) return join(f, exact(0));
  Iv r = ANY;
  r.places = f.places;
  if (f.has_lo && f.lo >= 0) { r.has_lo = true; r.lo = 0; }
  if (f.has_hi && f.hi <= 0) { r.has_hi = true; r.hi = 0; }
  return r;
}

static Iv eval(An *an, const Node *n) {
  switch (n->kind) {
  case AST_NUM: case AST_MONEY: case AST_DATE: case AST_BOOL: case AST_ENUMLIT:
    return exact(n->num);
  case AST_NAME: {
    if (n->local >= 0) return an->locals[n->local];
    Sym *s = n->sym;
    if (!s) return ANY;
    switch (s->kind) {
    case SYM_FIELD: case SYM_AFIELD: return field_iv(an, s);
    case SYM_PARAM: return param_iv(an, s);
    case SYM_BADGE: return flag_iv(true, true);
    case SYM_BENEFIT: {
      Iv r = exact(0);   /* the neutral value, for tiers it does not name */
      if (s->ty.kind == T_TEXT) return ANY;
      for (const Decl *e = s->decl->kids; e; e = e->next)
        r = join(r, e->expr->sym ? param_iv(an, e->expr->sym)
                                 : exact(e->expr->kind == AST_NAME ? e->expr->tok.n == 3 : literal(e->expr)));
      return r;
    }
    default: return slot_iv(an, s);
    }
  }
  case AST_DOT: return n->sym ? slot_iv(an, n->sym) : ANY;
  case AST_NEG: {
    Iv a = eval(an, n->a), r = ANY;
    r.places = a.places;
    if (a.has_hi) set_lo(&r, -(Wide)a.hi);
    if (a.has_lo) set_hi(&r, -(Wide)a.lo);
    return r;
  }
  case AST_NOT: {
    Iv a = eval(an, n->a);
    return flag_iv(can_be_true(a), can_be_false(a));
  }
  case AST_ADD: case AST_SUB: case AST_MUL: case AST_DIV: {
    Iv a = eval(an, n->a), b = eval(an, n->b);
    if (!numeric_kind(n->a->ty.kind) || !numeric_kind(n->b->ty.kind)) return ANY;   /* dates */
    if (n->kind == AST_MUL) return mul(a, b);
    if (n->kind == AST_DIV) return divide(a, b);
    return add(a, b, n->kind == AST_SUB);
  }
  case AST_TIERVAL: return ANY;   /* a tier index, or -1: never bounds a number */
  case AST_UNSET: return exact(0);   /* never read as a number (the checker sees to it): 0 keeps the join sound */
  case AST_TIERLIT: return exact(n->num);
  case AST_EQ: case AST_NE: case AST_LT: case AST_LE: case AST_GT: case AST_GE: {
    Iv a = eval(an, n->a), b = eval(an, n->b);
    if (n->a->ty.kind == T_TEXT || n->a->ty.kind == T_TIER) return flag_iv(true, true);
    return compare(n, a, b);
  }
  case AST_AND: case AST_OR: {
    Iv a = eval(an, n->a), b = eval(an, n->b);
    if (n->kind == AST_AND)
      return flag_iv(can_be_false(a) || can_be_false(b), can_be_true(a) && can_be_true(b));
    return flag_iv(can_be_false(a) && can_be_false(b), can_be_true(a) || can_be_true(b));
  }
  case AST_IF: {
    Iv c = eval(an, n->a);
    bool t = can_be_true(c), f = can_be_false(c);
    Iv a = eval(an, n->b), b = eval(an, n->c);   /* both walked, for their findings */
    return t && f ? join(a, b) : t ? a : b;
  }
  case AST_BAND: return band(an, n);
  case AST_IN: case AST_ISSET:
    return flag_iv(true, true);
  case AST_INRANGE: {
    Iv a = eval(an, n->a), lo = bound_iv(an, &n->range.lo), hi = bound_iv(an, &n->range.hi);
    if (!lo.has_lo || !lo.has_hi || !hi.has_lo || !hi.has_hi) return flag_iv(true, true);
    bool in = (!a.has_hi || a.hi >= lo.lo) && (!a.has_lo || a.lo <= hi.hi);
    bool out = !a.has_lo || !a.has_hi || a.lo < lo.hi || a.hi > hi.lo;
    return flag_iv(out, in);
  }
  case AST_CALL: return call(an, n);
  case AST_DEFAULT: return join(eval(an, n->a), eval(an, n->b));
  case AST_DAYS: case AST_MONTHS: return eval(an, n->a);
  case AST_AGG: return aggregate(an, n);
  case AST_INWIN:   /* its ends are walked where the window is declared */
    eval(an, n->a);
    return flag_iv(true, true);
  default: return ANY;   /* AST_RUNDATE: any date */
  }
}

/* ---- slots ----------------------------------------------------------------- */

static int categories_of(Checker *ck, const Sym *track, Sym ***out) {
  int n = chk_track_categories(ck, track, NULL);
  *out = calloc((size_t)n + 1, sizeof **out);
  if (!*out) abort();
  chk_track_categories(ck, track, *out);
  return n;
}

/* What a cap or range lets through: min(max(raw, lo), hi), as the VM does. */
static Iv capped(const An *an, const Decl *d, Iv raw) {
  if (d->range.lo.present) raw = iv_max(raw, bound_iv(an, &d->range.lo));
  if (d->range.hi.present) raw = iv_min(raw, bound_iv(an, &d->range.hi));
  return raw;
}

static Iv score_of(An *an, const Sym *track) {
  Sym **cats;
  int n = categories_of(an->ck, track, &cats);
  Iv r = exact(0);
  for (int i = 0; i < n; i++) r = add(r, slot_iv(an, cats[i]), false);
  free(cats);
  if (track) r = capped(an, track->decl, r);
  return r;
}

/* The compiler asks this of every program it compiles, also of one whose
   analysis did not run (after a malformed literal, whose error stops the
   command only once compiling is done): then the slots' intervals are
   worked out here, and a fn call among them needs its locals. */
Iv iv_track_score(Checker *ck, const Sym *track) {
  Iv *locals = calloc((size_t)ck->nlocals + 1, sizeof *locals);
  if (!locals) abort();
  An an = {.ck = ck, .pv = ck->pvalues, .locals = locals};
  Iv r = score_of(&an, track);
  free(an.seen);
  free(locals);
  return r;
}

static Iv slot_iv(An *an, Sym *s) {
  if (s->kind == SYM_SCORE) {
    if (an->track || an->ck->tracks.n == 0) return score_of(an, an->track);
    Iv r = score_of(an, an->ck->tracks.v[0]);
    for (int t = 1; t < an->ck->tracks.n; t++) r = join(r, score_of(an, an->ck->tracks.v[t]));
    return r;
  }
  if (s->iv_state) return s->reach;
  Iv r = ANY, raw = ANY;
  switch (s->kind) {
  case SYM_LET: case SYM_PAYOUT: case SYM_OUTPUT:
    r = raw = eval(an, s->decl->expr);
    break;
  case SYM_POINTS:
    raw = eval(an, s->decl->expr);
    r = capped(an, s->decl, raw);
    break;
  case SYM_CATEGORY: {
    raw = exact(0);
    for (int i = 0; i < s->npoints; i++)
      raw = add(raw, slot_iv(an, an->ck->points.v[s->points0 + i]), false);
    r = capped(an, s->decl, raw);
    break;
  }
  default: break;
  }
  s->reach = r;
  s->raw = raw;
  s->iv_state = 1;
  return r;
}

/* ---- conditions as boxes (R0801 over a ladder, R0602) ------------------------ */

/* Where a condition can hold, over the variables it tests (fields, and for
   tiers the score, points and lets): a union of boxes, each box an interval
   per variable it names, every other variable free.  A condition is read
   as two unions, where it may be true (t) and where it may be false (f):
   `and` meets the t's and joins the f's, `or` the other way round, `not`
   swaps them, so no complement is ever taken.  What is not a comparison of
   one variable with a constant (a fn call, `is set`, two fields compared)
   may be true and may be false anywhere, as far as the boxes can tell.
   Every step over-approximates, so an empty union is a certain "never".
   A union built only from comparisons on fields is also exact: each box
   holds only records for which the condition holds, so a point in it is a
   real example.  The sizes are bounded: past BOX_MAX boxes or BOX_DIMS
   variables in a box the union is widened (to "anywhere" or by freeing a
   variable), which stays sound and costs at most BOX_MAX^2 box meets per
   operator. */
enum {
  BOX_DIMS = 8,     /* variables one box constrains: conditions test few */
  BOX_MAX = 64,     /* boxes in one union: ranges over a few fields */
  COND_DEPTH = 200  /* nested operators and inlined lets read, then "may" */
};

typedef struct Dim { const Sym *var; Iv iv; } Dim;
typedef struct Box { int n; Dim d[BOX_DIMS]; } Box;
typedef struct Boxes { Box *v; int n, cap; bool exact; } Boxes;
typedef struct Cond { Boxes t, f; } Cond;

static void boxes_free(Boxes *s) { free(s->v); s->v = NULL; s->n = s->cap = 0; }

static bool is_anywhere(const Boxes *s) { return s->n == 1 && s->v[0].n == 0; }

/* Adds a box; a free box (no variable) absorbs every other. */
static void boxes_add(Boxes *s, const Box *b) {
  static const Box free_box;
  if (is_anywhere(s)) return;
  if (b->n == 0 || s->n == BOX_MAX) {
    if (b->n) s->exact = false;   /* too many: widened to anywhere */
    s->n = 0;
    b = &free_box;
  }
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 4;
    s->v = realloc(s->v, (size_t)s->cap * sizeof *s->v);
    if (!s->v) abort();
  }
  s->v[s->n++] = *b;
}

static Boxes anywhere(bool exact) {
  Boxes s = {NULL, 0, 0, exact};
  Box free_box = {0};
  boxes_add(&s, &free_box);
  return s;
}

static Boxes nowhere(void) { return (Boxes){NULL, 0, 0, true}; }

static bool iv_empty(Iv v) { return v.has_lo && v.has_hi && v.lo > v.hi; }

static Iv iv_meet(Iv a, Iv b) {
  Iv r = a;
  if (b.has_lo && (!r.has_lo || b.lo > r.lo)) { r.has_lo = true; r.lo = b.lo; }
  if (b.has_hi && (!r.has_hi || b.hi < r.hi)) { r.has_hi = true; r.hi = b.hi; }
  r.places = a.places < b.places ? a.places : b.places;
  return r;
}

/* The meet of two boxes (their variables sorted by address); false when
   it is empty.  A variable past BOX_DIMS is freed: *exact turns false. */
static bool box_meet(const Box *a, const Box *b, Box *out, bool *exact) {
  int i = 0, j = 0;
  out->n = 0;
  while (i < a->n || j < b->n) {
    Dim d;
    if (j >= b->n || (i < a->n && (uintptr_t)a->d[i].var < (uintptr_t)b->d[j].var)) d = a->d[i++];
    else if (i >= a->n || (uintptr_t)b->d[j].var < (uintptr_t)a->d[i].var) d = b->d[j++];
    else { d = a->d[i++]; d.iv = iv_meet(d.iv, b->d[j++].iv); }
    if (iv_empty(d.iv)) return false;
    if (out->n == BOX_DIMS) { *exact = false; continue; }
    out->d[out->n++] = d;
  }
  return true;
}

static Boxes boxes_meet(const Boxes *a, const Boxes *b) {
  Boxes r = nowhere();
  r.exact = a->exact && b->exact;
  for (int i = 0; i < a->n; i++)
    for (int j = 0; j < b->n; j++) {
      Box m;
      if (box_meet(&a->v[i], &b->v[j], &m, &r.exact)) boxes_add(&r, &m);
      if (is_anywhere(&r)) return r;
    }
  return r;
}

static Boxes boxes_join(const Boxes *a, const Boxes *b) {
  Boxes r = nowhere();
  r.exact = a->exact && b->exact;
  for (int i = 0; i < a->n; i++) boxes_add(&r, &a->v[i]);
  for (int i = 0; i < b->n; i++) boxes_add(&r, &b->v[i]);
  return r;
}

static void cond_free(Cond *c) { boxes_free(&c->t); boxes_free(&c->f); }

/* What the boxes cannot read: true and false anywhere, unless the
   intervals already know better. */
static Cond cond_unknown(An *an, const Node *n) {
  Iv v = eval(an, n);
  return (Cond){can_be_true(v) ? anywhere(false) : nowhere(),
                can_be_false(v) ? anywhere(false) : nowhere()};
}

/* The variable a comparison tests, or NULL: a field, or (for tiers) the
   score, points, categories and lets, whose interval the analysis knows. */
static const Sym *cond_var(const Node *n) {
  if ((n->kind != AST_NAME || n->local >= 0) && n->kind != AST_DOT) return NULL;
  const Sym *s = n->sym;
  if (!s || n->ty.kind == T_TEXT) return NULL;
  switch (s->kind) {
  case SYM_FIELD: case SYM_SCORE: case SYM_POINTS: case SYM_CATEGORY: case SYM_LET: case SYM_OUTPUT:
    return s;
  default: return NULL;
  }
}

static Iv var_base(An *an, const Sym *s) {
  return s->kind == SYM_FIELD ? field_iv(an, s) : slot_iv(an, (Sym *)s);
}

/* A union of one box, var within v (met with what var can be anyway). */
static Boxes one_box(An *an, const Sym *var, Iv v, bool exact) {
  Boxes r = nowhere();
  r.exact = exact;
  Box b = {1, {{var, iv_meet(var_base(an, var), v)}}};
  if (!iv_empty(b.d[0].iv)) boxes_add(&r, &b);
  return r;
}

static Iv at_most(int64_t hi, uint8_t places) { return (Iv){false, true, 0, hi, places}; }
static Iv at_least(int64_t lo, uint8_t places) { return (Iv){true, false, lo, 0, places}; }

/* var OP c, over values with `places` decimal places (DEC_DIGITS for days,
   flags and members, whose every raw value is possible). */
static Cond compare_boxes(An *an, int op, const Sym *var, int64_t c, uint8_t places) {
  bool exact = var->kind == SYM_FIELD;
  Wide below = grid_step(c, places, false), above = grid_step(c, places, true);
  bool on_grid = above - below > grid_step(0, places, true);   /* c itself can be */
  Boxes lt = below >= (Wide)DEC_MIN ? one_box(an, var, at_most((int64_t)below, places), exact) : nowhere();
  Boxes gt = above <= (Wide)DEC_MAX ? one_box(an, var, at_least((int64_t)above, places), exact) : nowhere();
  /* off the grid (a count against 4.5), <= is < and >= is > */
  Boxes lte = one_box(an, var, at_most(on_grid ? c : step_from(c, places, false), places), exact);
  Boxes gte = one_box(an, var, at_least(on_grid ? c : step_from(c, places, true), places), exact);
  Boxes eq = on_grid ? one_box(an, var, (Iv){true, true, c, c, places}, exact) : nowhere();
  Boxes ne = boxes_join(&lt, &gt);
  Cond r;
  switch (op) {
  case AST_LT: r = (Cond){lt, gte}; lt = gte = nowhere(); break;
  case AST_LE: r = (Cond){lte, gt}; lte = gt = nowhere(); break;
  case AST_GT: r = (Cond){gt, lte}; gt = lte = nowhere(); break;
  case AST_GE: r = (Cond){gte, lt}; gte = lt = nowhere(); break;
  case AST_EQ: r = (Cond){eq, ne}; eq = ne = nowhere(); break;
  default: r = (Cond){ne, eq}; eq = ne = nowhere(); break;
  }
  boxes_free(&lt); boxes_free(&gt); boxes_free(&lte); boxes_free(&gte); boxes_free(&eq); boxes_free(&ne);
  return r;
}

static int flip(int op) {
  switch (op) {
  case AST_LT: return AST_GT;
  case AST_LE: return AST_GE;
  case AST_GT: return AST_LT;
  case AST_GE: return AST_LE;
  default: return op;
  }
}

/* A choice field in a list of members: each run of listed members one box. */
static Cond member_boxes(An *an, const Sym *var, const Node *list) {
  Iv base = var_base(an, var);
  int n = (int)base.hi + 1;
  bool *in = calloc((size_t)n + 1, sizeof *in);
  if (!in) abort();
  for (const Node *e = list; e; e = e->next)
    if (e->kind == AST_ENUMLIT && e->num >= 0 && e->num < n) in[e->num] = true;
  Cond r = {nowhere(), nowhere()};
  for (int i = 0; i < n;) {
    int j = i;
    while (j + 1 < n && in[j + 1] == in[i]) j++;
    Box b = {1, {{var, {true, true, i, j, 0}}}};
    boxes_add(in[i] ? &r.t : &r.f, &b);
    i = j + 1;
  }
  free(in);
  return r;
}

static Cond cond(An *an, const Node *n, int depth) {
  if (depth > COND_DEPTH) return cond_unknown(an, n);
  switch (n->kind) {
  case AST_BOOL: return n->num ? (Cond){anywhere(true), nowhere()} : (Cond){nowhere(), anywhere(true)};
  case AST_NOT: {
    Cond a = cond(an, n->a, depth + 1);
    return (Cond){a.f, a.t};
  }
  case AST_AND: case AST_OR: {
    Cond a = cond(an, n->a, depth + 1), b = cond(an, n->b, depth + 1), r;
    if (n->kind == AST_AND) r = (Cond){boxes_meet(&a.t, &b.t), boxes_join(&a.f, &b.f)};
    else r = (Cond){boxes_join(&a.t, &b.t), boxes_meet(&a.f, &b.f)};
    cond_free(&a);
    cond_free(&b);
    return r;
  }
  case AST_NAME: {
    const Sym *s = n->local < 0 ? n->sym : NULL;
    if (s && s->kind == SYM_FIELD && n->ty.kind == T_FLAG)
      return (Cond){one_box(an, s, exact(1), true), one_box(an, s, exact(0), true)};
    if (s && (s->kind == SYM_LET || s->kind == SYM_OUTPUT) && n->ty.kind == T_FLAG) return cond(an, s->decl->expr, depth + 1);
    return cond_unknown(an, n);
  }
  case AST_EQ: case AST_NE: case AST_LT: case AST_LE: case AST_GT: case AST_GE: {
    const Node *vn = n->a, *cn = n->b;
    int op = n->kind;
    if (!cond_var(vn)) { vn = n->b; cn = n->a; op = flip(op); }
    const Sym *var = cond_var(vn);
    if (!var || cond_var(cn)) return cond_unknown(an, n);
    Iv c = eval(an, cn);
    if (!c.has_lo || !c.has_hi || c.lo != c.hi) return cond_unknown(an, n);
    uint8_t places = numeric_kind(vn->ty.kind) ? var_base(an, var).places : DEC_DIGITS;
    return compare_boxes(an, op, var, c.lo, places);
  }
  case AST_IN: {
    const Sym *var = cond_var(n->a);
    if (!var || var->kind != SYM_FIELD || n->a->ty.kind != T_ENUM) return cond_unknown(an, n);
    return member_boxes(an, var, n->b);
  }
  case AST_INRANGE: {
    const Sym *var = cond_var(n->a);
    Iv lv = bound_iv(an, &n->range.lo), hv = bound_iv(an, &n->range.hi);
    if (!var || !is_exact(lv) || !is_exact(hv)) return cond_unknown(an, n);
    uint8_t places = numeric_kind(n->a->ty.kind) ? var_base(an, var).places : DEC_DIGITS;
    Cond lo = compare_boxes(an, AST_GE, var, lv.lo, places);
    Cond hi = compare_boxes(an, AST_LE, var, hv.lo, places);
    Cond r = {boxes_meet(&lo.t, &hi.t), boxes_join(&lo.f, &hi.f)};
    cond_free(&lo);
    cond_free(&hi);
    return r;
  }
  default: return cond_unknown(an, n);
  }
}

/* ---- findings ---------------------------------------------------------------- */

/* "60", "cert_cap = 60", "cap = 40 to 60" (a keyed param): a cap's end. */
AST_NOINLINE static void cap_text(const Bound *b, Iv v, char *buf, size_t n) {
  char lo[DEC_FMT_MAX + 1], hi[DEC_FMT_MAX + 1];
  dec_format(v.lo, lo);
  dec_format(v.hi, hi);
  if (!b->named) snprintf(buf, n, "%s", lo);
  else if (v.lo == v.hi) snprintf(buf, n, "%s = %s", b->param->name, lo);
  else snprintf(buf, n, "%s = %s to %s", b->param->name, lo, hi);
}

static void cap_findings(An *an, const Sym *s, const char *what) {
  Checker *ck = an->ck;
  const Range *rg = &s->decl->range;
  Iv raw = s->raw;
  uint8_t kind = T_NUM;
  char cap[2 * DEC_FMT_MAX + 300], reach[DEC_FMT_MAX + 1];
  for (int hi = 0; hi < 2; hi++) {
    const Bound *b = hi ? &rg->hi : &rg->lo;
    if (!b->present) continue;
    Iv v = bound_iv(an, b);
    if (!v.has_lo || !v.has_hi) continue;
    /* A side equal to the reachable bound restates it: not reported.  A
       keyed param's cap is beyond reach when every member's is. */
    bool beyond = hi ? raw.has_hi && v.lo > raw.hi : raw.has_lo && v.hi < raw.lo;
    if (!beyond) continue;
    cap_text(b, v, cap, sizeof cap);
    fmt_bound(&raw, hi, kind, reach);
    Diag *d = diag_add(ck->dl, s->kind == SYM_POINTS ? R0803 : R0809, b->tok.src, b->tok.line,
                       b->tok.col, b->tok.n, "%s %s: the %s %s is beyond what it can reach (at %s %s)",
                       what, s->name, hi ? "cap" : "floor", cap, hi ? "most" : "least", reach);
    diag_hint(d, "%s", s->kind == SYM_POINTS ? "lower the cap to what the rule can give, or drop it"
                                             : "the parts add up to less: check the range or the parts");
  }
}

/* The first token of an expression, for its position. */
static const Tok *first_tok(const Node *n) {
  while (n->a && ((n->kind >= AST_ADD && n->kind <= AST_OR) || n->kind == AST_IN ||
                  n->kind == AST_INRANGE || n->kind == AST_ISSET || n->kind == AST_DEFAULT))
    n = n->a;
  return &n->tok;
}

/* An expression's text for a message, if it is short enough to quote. */
static int quotable(const Node *n) {
  ptrdiff_t len = n->end - n->start;
  return len > 0 && len <= 60 && !memchr(n->start, '\n', (size_t)len) ? (int)len : 0;
}

/* A ladder's tiers: a condition that never holds, by its intervals or by
   the ranges it sets on fields (R0801); one that cannot hold together with
   those of the tiers below, which a record must reach first (R0801); one
   that always holds (R0802).  Reported when an->warn; each tier's verdict
   goes to an->tier_reach[tier] (1: some record may reach it) when given. */
/* Whether the ladder's floor can hold tier t: a value of its choice names
   it, so a record can reach t whatever t's condition says. */
static bool floor_holds(const Checker *ck, const Decl *ladder, const Decl *t) {
  const Node *f = ladder->expr;
  if (!f || f->ty.kind != T_ENUM || f->ty.en < 0 || f->ty.en >= ck->choices.n) return false;
  for (const Node *m = ck->choices.v[f->ty.en]->decl->members; m; m = m->next)
    if (chk_ladder_tier(ladder, m->tok) == t) return true;
  return false;
}

static void tier_findings(An *an, const Sym *track) {
  Decl *ladder = chk_track_tiers(an->ck, track);
  if (!ladder) return;
  an->track = track;
  bool lowest = true;
  Boxes below = anywhere(true);   /* where every tier so far holds */
  for (Decl *t = ladder->kids; t; t = t->next, lowest = false) {
    Iv c = eval(an, t->expr);
    Iv score = score_of(an, track);
    char hi[DEC_FMT_MAX + 1];
    fmt_bound(&score, true, T_NUM, hi);
    bool held = floor_holds(an->ck, ladder, t);   /* reached through the floor, then */
    int tier = t->sym ? t->sym->index : -1;
    if (an->tier_reach && tier >= 0) an->tier_reach[tier] = held;
    if (!can_be_true(c) && !held) {
      if (an->warn) {
        Diag *d = diag_add(an->ck->dl, R0801, t->name.src, t->name.line, t->name.col, t->name.n,
                           "no record can reach tier %.*s: its condition never holds", t->name.n, t->name.p);
        diag_hint(d, "the %sscore is at most %s", track ? "track's " : "", hi);
      }
      boxes_free(&below);
      continue;
    }
    if (an->warn && !lowest && !can_be_false(c)) {
      Diag *d = diag_add(an->ck->dl, R0802, t->name.src, t->name.line, t->name.col, t->name.n,
                         "every record that reaches the tier below also reaches %.*s: its condition always holds",
                         t->name.n, t->name.p);
      diag_hint(d, "the tier below it is then never the final tier; check the threshold");
    }
    /* A ladder shared by tracks is read once per track: reported once. */
    Cond k = cond(an, t->expr, 0);
    Boxes both = boxes_meet(&below, &k.t);
    if (an->tier_reach && tier >= 0) an->tier_reach[tier] = held || both.n > 0;
    if (held || !an->warn) {
      /* R0801 does not apply (the floor reaches it), or the verdict alone is wanted */
    } else if (k.t.n == 0 && first_time(an, t->name.p)) {
      int q = quotable(t->expr);
      Diag *d = diag_add(an->ck->dl, R0801, t->name.src, t->name.line, t->name.col, t->name.n,
                         "no record can reach tier %.*s: its condition never holds", t->name.n, t->name.p);
      if (q) diag_hint(d, "no record has values for which %.*s", q, t->expr->start);
      else diag_hint(d, "its parts cannot all hold for one record");
    } else if (k.t.n && below.n && both.n == 0 && first_time(an, t->name.p)) {
      /* The lowest tier whose condition, with those below it, rules t out. */
      Boxes acc = anywhere(true);
      const Decl *u = ladder->kids;
      for (; u != t; u = u->next) {
        Cond cu = cond(an, u->expr, 0);
        Boxes next = boxes_meet(&acc, &cu.t), m = boxes_meet(&next, &k.t);
        cond_free(&cu);
        boxes_free(&acc);
        acc = next;
        bool found = m.n == 0;
        boxes_free(&m);
        if (found) break;
      }
      boxes_free(&acc);
      if (u == t) u = ladder->kids;   /* not expected: the meet was empty */
      const Tok *at = first_tok(u->expr);
      int q = quotable(u->expr);
      const char *above = t->next ? ", so no record reaches the tiers above it either" : "";
      Diag *d = diag_add(an->ck->dl, R0801, t->name.src, t->name.line, t->name.col, t->name.n,
                         "no record can reach tier %.*s: its condition cannot hold with tier %.*s's, "
                         "which a record must reach first", t->name.n, t->name.p, u->name.n, u->name.p);
      if (q)
        diag_hint(d, "%.*s needs %.*s (line %d, column %d); a record reaches a tier only through every "
                  "tier below it%s", u->name.n, u->name.p, q, u->expr->start, at->line, at->col, above);
      else
        diag_hint(d, "see %.*s's condition (line %d, column %d); a record reaches a tier only through "
                  "every tier below it%s", u->name.n, u->name.p, at->line, at->col, above);
    }
    cond_free(&k);
    boxes_free(&below);
    below = both;
  }
  boxes_free(&below);
  an->track = NULL;
}

/* ---- tracks that overlap (R0602, reported by check.c) ------------------------- */

struct IvCond { Boxes t; };

IvCond *iv_track_conds(Checker *ck) {
  int nt = ck->tracks.n;
  IvCond *c = calloc((size_t)nt + 1, sizeof *c);
  Iv *locals = calloc((size_t)ck->nlocals + 1, sizeof *locals);
  if (!c || !locals) abort();
  An an = {.ck = ck, .pv = ck->pvalues, .locals = locals};
  for (int t = 0; t < nt; t++) {
    Cond k = cond(&an, ck->tracks.v[t]->decl->expr, 0);
    c[t].t = k.t;
    boxes_free(&k.f);
  }
  free(an.seen);
  free(locals);
  return c;
}

void iv_track_conds_free(IvCond *c, int n) {
  for (int t = 0; t < n; t++) boxes_free(&c[t].t);
  free(c);
}

/* A tidy value within v: 0, else the whole number nearest 0, else a bound. */
static int64_t pick(Iv v) {
  if ((!v.has_lo || v.lo <= 0) && (!v.has_hi || v.hi >= 0)) return 0;
  if (v.has_lo && v.lo > 0) {
    Wide w = grid_step(v.lo - 1, 0, true);
    return !v.has_hi || w <= v.hi ? (int64_t)w : v.lo;
  }
  Wide w = grid_step(v.hi + 1, 0, false);
  return !v.has_lo || w >= v.lo ? (int64_t)w : v.hi;
}

/* One field's value in an example record: "kind = ta", "x = 5". */
static void example_value(const Sym *f, Iv v, char *buf, size_t n) {
  char val[DEC_FMT_MAX + 2];
  switch (f->decl->ftype) {
  case FT_ENUM: {
    const Node *m = f->mnode ? f->mnode[v.lo] : NULL;
    snprintf(buf, n, "%s = %.*s", f->name, m ? m->tok.n : 1, m ? m->tok.p : "?");
    return;
  }
  case FT_FLAG: snprintf(buf, n, "%s = %s", f->name, v.lo ? "yes" : "no"); return;
  case FT_DATE: {
    char day[DATE_TEXT_LEN + 1];
    date_format(v.has_lo ? v.lo : v.hi, day);
    snprintf(buf, n, "%s = %s", f->name, day);
    return;
  }
  default:
    val[0] = '$';
    dec_format(pick(v), val + 1);
    snprintf(buf, n, "%s = %s", f->name, val + (f->decl->ftype != FT_MONEY));
    return;
  }
}

int iv_tracks_overlap(Checker *ck, const IvCond *c, int a, int b, char *buf, size_t n) {
  (void)ck;
  Boxes m = boxes_meet(&c[a].t, &c[b].t);
  int r = m.n == 0 ? 0 : m.exact ? 2 : 1;
  buf[0] = '\0';
  if (r == 2) {
    /* the box's fields in declaration order */
    Box x = m.v[0];
    for (int i = 1; i < x.n; i++)
      for (int j = i; j > 0 && x.d[j].var->index < x.d[j - 1].var->index; j--) {
        Dim d = x.d[j];
        x.d[j] = x.d[j - 1];
        x.d[j - 1] = d;
      }
    size_t len = 0;
    if (x.n == 0) snprintf(buf, n, "any record");
    for (int i = 0; i < x.n && len + 1 < n; i++) {
      if (i) len += (size_t)snprintf(buf + len, n - len, ", ");
      if (len + 1 >= n) break;
      example_value(x.d[i].var, x.d[i].iv, buf + len, n - len);
      len += strlen(buf + len);
    }
  }
  boxes_free(&m);
  return r;
}

static bool in_main_file(Checker *ck, const Sym *s) {
  return s->decl && s->decl->name.src == ck->ast->sources;
}

/* A member's copy of a group field or of a `per` let (group.c) is one of
   several written once: the finding is the written one's, made once, at
   the first member's copy, when no member's copy is used.  *name gets the
   name as written; false when this copy says nothing. */
static bool unused_copy(const SymVec *v, const Sym *s, Tok *name) {
  const Decl *d = s->decl, *o = d->origin;
  for (int i = 0; i < v->n; i++) {
    const Decl *e = v->v[i]->decl;
    if (e->origin == o && e->name.line == d->name.line && e->name.col == d->name.col &&
        (v->v[i]->used || e->member < d->member))
      return false;
  }
  *name = o->kind == DECL_GROUP ? o->kids->name : o->name;
  for (const Decl *f = o->kind == DECL_GROUP ? o->kids : NULL; f; f = f->next)
    if (f->name.line == d->name.line && f->name.col == d->name.col) *name = f->name;
  return true;
}

static void unused_findings(Checker *ck) {
  SymVec *vecs[] = {&ck->fields, &ck->params, &ck->lets, &ck->fns, &ck->windows, &ck->afields};
  static const char *const what[] = {"field", "param", "let", "function", "window", "activity field"};
  for (int v = 0; v < 6; v++)
    for (int i = 0; i < vecs[v]->n; i++) {
      Sym *s = vecs[v]->v[i];
      if (s->used || !in_main_file(ck, s)) continue;
      /* Key fields name records; text fields carry names and notes for people;
         an activity's date decides which activities are in force. */
      if ((v == 0 || v == 5) && (s->decl->key || s->decl->ftype == FT_TEXT)) continue;
      if (v == 5 && s == ck->adate) continue;
      if (s->decl->origin) {
        Tok n;
        if (!unused_copy(vecs[v], s, &n)) continue;
        const Decl *o = s->decl->origin;
        bool field = o->kind == DECL_GROUP;
        Tok g = field ? o->name : o->per;
        Diag *d = diag_add(ck->dl, R0808, n.src, n.line, n.col, n.n, "%s '%.*s' %s %.*s is defined but never used",
                           what[v], n.n, n.p, field ? "of group" : "per", g.n, g.p);
        diag_hint(d, "%s", field ? "no rule reads it for any member: use it, or leave it out of the group"
                                 : "no rule reads it for any member: use it, or delete it");
        continue;
      }
      Diag *d = diag_add(ck->dl, R0808, s->decl->name.src, s->decl->name.line, s->decl->name.col,
                         s->decl->name.n, "%s '%s' is defined but never used", what[v], s->name);
      diag_hint(d, "%s", v == 0 ? "no rule reads it: use it, or leave it out of the record (extra CSV columns are ignored)"
                         : v == 5 ? "no aggregate reads it: use it, or leave it out of the activity block (extra CSV "
                                    "columns are ignored)"
                                  : "use it, or delete it");
    }
}

/* A field whose range names other fields (`in answers..5 * answers`) holds
   only values within what its range ends can be: at least the lowest its
   low end reaches, at most the highest its high end does, for a record
   that is not rejected.  Worked out once, in the checker's order
   (Checker.bounded: a field after those its range names, whose narrowed
   interval its ends then read), and kept in the field's reach.  An end
   the analysis cannot bound (date arithmetic) narrows nothing; neither
   do ends that cross each other, where no record is valid at all. */
static void bounded_fields(An *an) {
  Checker *ck = an->ck;
  for (int i = 0; i < ck->bounded.n; i++) {
    Sym *f = ck->bounded.v[i];
    const Range *rg = &f->decl->range;
    Iv r = field_iv(an, f), n = r;
    if (rg->lo.expr) {
      Iv e = eval(an, rg->lo.expr);
      if (e.has_lo && (!n.has_lo || e.lo > n.lo)) { n.has_lo = true; n.lo = e.lo; }
    }
    if (rg->hi.expr) {
      Iv e = eval(an, rg->hi.expr);
      if (e.has_hi && (!n.has_hi || e.hi < n.hi)) { n.has_hi = true; n.hi = e.hi; }
    }
    f->reach = iv_empty(n) ? r : n;
    f->iv_state = 1;
  }
}

void iv_analyze(Checker *ck) {
  Iv *locals = calloc((size_t)ck->nlocals + 1, sizeof *locals);
  if (!locals) abort();
  /* Each let, points and category after what it uses (the checker's
     order), so a name always finds its value known and the walk never
     recurses through a chain of lets: its depth is an expression's. */
  An an = {.ck = ck, .pv = ck->pvalues, .locals = locals, .warn = true};
  bounded_fields(&an);
  for (int i = 0; i < ck->order.n; i++) {
    Sym *s = ck->order.v[i];
    if (s->kind != SYM_BADGE) slot_iv(&an, s);
  }
  for (int i = 0; i < ck->points.n; i++) slot_iv(&an, ck->points.v[i]);
  for (int i = 0; i < ck->categories.n; i++) slot_iv(&an, ck->categories.v[i]);
  for (int i = 0; i < ck->lets.n; i++) slot_iv(&an, ck->lets.v[i]);
  for (int i = 0; i < ck->payouts.n; i++) slot_iv(&an, ck->payouts.v[i]);
  for (int i = 0; i < ck->outputs.n; i++) slot_iv(&an, ck->outputs.v[i]);
  for (int i = 0; i < ck->badges.n; i++) eval(&an, ck->badges.v[i]->decl->expr);
  for (int i = 0; i < ck->points.n; i++) cap_findings(&an, ck->points.v[i], "points");
  for (int i = 0; i < ck->categories.n; i++) cap_findings(&an, ck->categories.v[i], "category");
  if (ck->tracks.n == 0) {
    tier_findings(&an, NULL);
  } else {
    for (int t = 0; t < ck->tracks.n; t++) {
      Sym *tr = ck->tracks.v[t];
      tr->raw = exact(0);
      Sym **cats;
      int n = categories_of(ck, tr, &cats);
      for (int i = 0; i < n; i++) tr->raw = add(tr->raw, slot_iv(&an, cats[i]), false);
      free(cats);
      tr->reach = capped(&an, tr->decl, tr->raw);
      tr->iv_state |= 1;
      cap_findings(&an, tr, "track");
      tier_findings(&an, tr);
    }
  }
  chk_track_overlaps(ck);
  unused_findings(ck);
  free(an.seen);
  free(locals);
}

/* ---- what a set of param values can reach (iv_reach) ------------------------ */

typedef struct Saved { Iv reach, raw; uint8_t iv_state; } Saved;

void iv_reach(Checker *ck, const int64_t *values, IvReach *r) {
  SymVec *vecs[] = {&ck->lets, &ck->points, &ck->categories, &ck->payouts, &ck->tracks};
  enum { NVECS = sizeof vecs / sizeof *vecs };
  int nsaved = 0;
  for (int v = 0; v < NVECS; v++) nsaved += vecs[v]->n;
  Saved *saved = calloc((size_t)nsaved + 1, sizeof *saved);
  Iv *locals = calloc((size_t)ck->nlocals + 1, sizeof *locals);
  if (!saved || !locals) abort();
  for (int v = 0, k = 0; v < NVECS; v++)
    for (int i = 0; i < vecs[v]->n; i++, k++) {
      Sym *s = vecs[v]->v[i];
      saved[k] = (Saved){s->reach, s->raw, s->iv_state};
      s->iv_state = 0;
    }
  An an = {.ck = ck, .pv = values ? values : ck->pvalues, .locals = locals};
  /* As iv_analyze: the fields whose ranges name fields (no param is in
     one), then each definition after what it uses. */
  bounded_fields(&an);
  for (int i = 0; i < ck->order.n; i++)
    if (ck->order.v[i]->kind != SYM_BADGE) slot_iv(&an, ck->order.v[i]);
  r->ntracks = ck->tracks.n ? ck->tracks.n : 1;
  int nt = ck->tiers.n;
  r->points = calloc((size_t)ck->points.n + 1, sizeof *r->points);
  r->categories = calloc((size_t)ck->categories.n + 1, sizeof *r->categories);
  r->payouts = calloc((size_t)ck->payouts.n + 1, sizeof *r->payouts);
  r->scores = calloc((size_t)r->ntracks, sizeof *r->scores);
  r->tiers = malloc((size_t)r->ntracks * (size_t)nt + 1);
  uint8_t *one = malloc((size_t)nt + 1);
  if (!r->points || !r->categories || !r->payouts || !r->scores || !r->tiers || !one) abort();
  for (int i = 0; i < ck->points.n; i++) r->points[i] = slot_iv(&an, ck->points.v[i]);
  for (int i = 0; i < ck->categories.n; i++) r->categories[i] = slot_iv(&an, ck->categories.v[i]);
  for (int i = 0; i < ck->payouts.n; i++) r->payouts[i] = slot_iv(&an, ck->payouts.v[i]);
  for (int t = 0; t < r->ntracks; t++) {
    const Sym *track = ck->tracks.n ? ck->tracks.v[t] : NULL;
    r->scores[t] = score_of(&an, track);
    memset(one, 2, (size_t)nt + 1);
    an.tier_reach = one;
    tier_findings(&an, track);
    memcpy(r->tiers + (size_t)t * (size_t)nt, one, (size_t)nt);
  }
  for (int v = 0, k = 0; v < NVECS; v++)
    for (int i = 0; i < vecs[v]->n; i++, k++) {
      Sym *s = vecs[v]->v[i];
      s->reach = saved[k].reach;
      s->raw = saved[k].raw;
      s->iv_state = saved[k].iv_state;
    }
  free(one);
  free(saved);
  free(locals);
  free(an.seen);
}

void iv_reach_free(IvReach *r) {
  free(r->points);
  free(r->categories);
  free(r->scores);
  free(r->payouts);
  free(r->tiers);
  memset(r, 0, sizeof *r);
}

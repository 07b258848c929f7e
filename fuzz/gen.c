/*
** gen.c — see gen.h.  Writes a random but valid rubric program, driven by
** the grammar and the checker's rules in docs/language.md, and records for
** it.
**
** Validity is kept by construction, not by retrying:
**   - expressions are generated for a wanted type (number, money, date,
**     flag, text, a choice field's member), from the forms docs/language.md
**     allows for that type;
**   - every name refers only to what was generated before it, so no
**     definition can depend on itself; lets that depend on the score are
**     marked and never used by points;
**   - each place knows its phase (a track's condition: the record only;
**     points and tiers: up to the score; badges, benefits, payouts: all),
**     and lets carry the phase of what they use;
**   - an optional field is read only as `f default V`, or under an `if
**     f is set then` or `f is set and` that guards it;
**   - choice members, tiers and every other name are unique program-wide
**     (track tiers share short names on purpose, and are then always
**     written `track.tier`);
**   - levers (`lvrN` params, their values kept here) stand for caps' ends,
**     band bounds and tier thresholds only where their every value keeps
**     the range from being empty and the rows rising; a benefit's value
**     may be any param of its type.
** Declarations are written in a shuffled order, since any order is valid.
** This file does not include rubric's headers: the probe arithmetic is an
** independent reference, in 128-bit integers.
*/
#include "gen.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How many of each thing a program has, at scale 1; a count is drawn from
   0..MAX (tracks, lets ...) or 1..MAX (fields, categories).  Small enough
   that each program checks and scores in milliseconds. */
#define MAX_FIELDS 10
#define MAX_PARAMS 4
#define MAX_LEVERS 3   /* params that caps, band bounds and thresholds name */
#define MAX_FNS 3
#define MAX_LETS 4
#define MAX_CATS 4
#define MAX_POINTS 4
#define MAX_TRACKS 3
#define MAX_TIERS 4
#define MAX_BADGES 3
#define MAX_BENEFITS 4
#define MAX_PAYOUTS 3
#define MAX_TESTS 3
#define MAX_MEMBERS 4
#define MAX_FN_ARGS 3
/* The record's repeated group (docs/language.md), when it has one. */
#define MAX_GROUP_MEMBERS 3
#define MAX_GROUP_FIELDS 2
/* A group's column in gen_records' order: below -1 (the extra column). */
#define GROUP_COL(m, k) (-10 - ((m) * MAX_GROUP_FIELDS + (k)))
/* Arrays are sized for the largest scale accepted. */
#define MAX_SCALE 4
#define CAP(n) ((n) * MAX_SCALE + 2)

#define SCALE INT64_C(1000000)   /* a decimal's millionths, as rubric keeps them */
#define DMAX INT64_MAX           /* the range of a number: symmetric */

/* ---- the choice stream ------------------------------------------------------ */

typedef struct Buf { char *p; size_t n, cap; } Buf;

typedef enum { TY_NUM, TY_MONEY, TY_DATE, TY_FLAG, TY_TEXT, TY_CHOICE, TY__COUNT } TyKind;

typedef struct Ty { TyKind k; int field; } Ty;   /* field: TY_CHOICE's field */

enum { FK_TEXT, FK_NUMBER, FK_MONEY, FK_COUNT, FK_PERCENT, FK_FLAG, FK_DATE, FK_CHOICE, FK_INT, FK__COUNT };

typedef struct Field {
  int kind;
  bool key, optional, has_lo, has_hi;
  int64_t lo, hi;        /* millionths, or days for dates */
  int places;            /* `places N`: the decimal places a value may have, or -1 */
  /* A range end (0 low, 1 high) that names an earlier required field of
     the same type, `in f2 * 3..`: f<dref> alone, + dval, - dval, or dval *
     f<dref> (dform 0..3); dval in millionths, or days for a date.  That
     side has no literal bound (has_lo / has_hi false). */
  bool dyn[2];
  int dref[2], dform[2];
  int64_t dval[2];
  int nmembers;
  bool ordered;          /* a choice declared one of (a < b < c) */
  bool in_csv;           /* has a column in the records file */
} Field;

typedef struct Param { Ty ty; int keyfield; } Param;   /* keyfield -1: plain */
/* A lever: a number, money or date param `lvrN` that caps, band bounds
   and tier thresholds name, with the lowest and highest of its values
   (a keyed one has one per member), so what names it stays in order. */
typedef struct Lever { TyKind k; int64_t min, max; } Lever;
typedef struct Fn { int nargs; Ty arg[MAX_FN_ARGS]; Ty ret; } Fn;

/* Phases, as the checker orders them. */
enum { LV_RECORD, LV_SCORE, LV_TIER };

typedef struct Let { Ty ty; int level; bool after_score; } Let;
/* optional: bit j set when points qj is `optional` (may be unset), so
   what reads it writes `default`. */
typedef struct Cat { int npoints; int track; bool has_range; bool probe; uint64_t optional; } Cat;
typedef struct Track { int ntiers; bool own_ladder; } Track;
typedef struct Benefit { Ty ty; } Benefit;

/* What an expression may refer to where it stands. */
typedef struct Ctx {
  int level;             /* the latest phase it may use */
  bool score_ok;         /* `score` and lets after it */
  int ncats, npoints_last; /* categories [0,ncats) are complete; of category
                            ncats, points [0,npoints_last) exist */
  bool cat_in_progress;
  int nlets, nbadges, npayouts, nbenefits;
  int fn_args;           /* in a fn body: its arguments; -1 elsewhere */
  const Fn *fn;
  int nfns;              /* functions callable */
  uint64_t known;        /* optional fields known to be set here */
} Ctx;

typedef struct Gen {
  uint64_t state;
  const uint8_t *bytes;
  size_t nbytes, pos;
  bool from_bytes;
  GenLimits lim;
  Buf out;               /* the declaration being written */
  Buf *decls;            /* top-level declarations, shuffled at the end */
  int ndecls, capdecls;

  Field f[CAP(MAX_FIELDS)];
  int nf;
  int ngm, ngf;          /* the group `grp`: members g0.., fields v0.. (ngm 0: none) */
  int gkind[MAX_GROUP_FIELDS];   /* FK_NUMBER, FK_MONEY or FK_COUNT */
  Param pa[CAP(MAX_PARAMS)];
  int np;
  Lever lv[CAP(MAX_LEVERS)];
  int nlv;
  Fn fn[CAP(MAX_FNS)];
  int nfn;
  Let let[CAP(MAX_LETS) * 3];
  int nlet;
  Cat cat[CAP(MAX_CATS) + 1];
  Buf cat_text[CAP(MAX_CATS) + 1]; /* a track's own categories, written inside it */
  int ncat;
  Track tr[CAP(MAX_TRACKS)];
  int ntr;
  int ntoptiers;         /* the top-level ladder's tiers (0: none) */
  int floor_field;       /* -1, or the choice field fN that is the top
                            ladder's floor (`tiers floor fN`): its members
                            name the ladder's first tiers */
  bool badge_track[CAP(MAX_BADGES)];
  int nbadge;
  Benefit ben[CAP(MAX_BENEFITS)];
  int nben;
  int npayout;
  bool shapes;           /* import "shapes" */
  bool period;           /* a period is declared */
  bool acts;             /* an activity block is declared: aggregates may stand in expressions */
  GenOut *res;
  int probe_ops[GEN_MAX_PROBES], probe_a[GEN_MAX_PROBES], probe_b[GEN_MAX_PROBES];
  int probe_places[GEN_MAX_PROBES];   /* round(a / b, places) */
  int nprobe;
} Gen;

static uint64_t splitmix64(uint64_t *s) {
  uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
  z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
  return z ^ (z >> 31);
}

/* A decision in 0..n-1.  From bytes, one byte (two when n > 256) each;
   past the end, 0. */
static uint32_t pick(Gen *g, uint32_t n) {
  if (n <= 1) return 0;
  if (g->from_bytes) {
    uint32_t v = 0;
    for (uint32_t k = 0; k < (n > 256 ? 2u : 1u); k++)
      v = (v << 8) | (g->pos < g->nbytes ? g->bytes[g->pos++] : 0);
    return v % n;
  }
  return (uint32_t)(splitmix64(&g->state) % n);
}

static bool chance(Gen *g, int percent) { return (int)pick(g, 100) >= 100 - percent; }
static int range(Gen *g, int lo, int hi) { return lo + (int)pick(g, (uint32_t)(hi - lo + 1)); }

/* ---- text --------------------------------------------------------------------- */

static void buf_grow(Buf *b, size_t need) {
  if (b->n + need + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->n + need + 1) cap *= 2;
  b->p = realloc(b->p, cap);
  if (!b->p) abort();
  b->cap = cap;
}

static void put(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(Buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  buf_grow(b, (size_t)n);
  va_start(ap, fmt);
  vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->n += (size_t)n;
}

#define W(...) put(&g->out, __VA_ARGS__)

/* Ends the declaration in g->out and keeps it for the shuffle. */
static void end_decl(Gen *g) {
  if (g->ndecls == g->capdecls) {
    g->capdecls = g->capdecls ? g->capdecls * 2 : 32;
    g->decls = realloc(g->decls, (size_t)g->capdecls * sizeof *g->decls);
    if (!g->decls) abort();
  }
  if (!g->out.p) buf_grow(&g->out, 1);
  g->decls[g->ndecls++] = g->out;
  memset(&g->out, 0, sizeof g->out);
}

/* A millionths value as a decimal literal (no sign). */
static void put_dec(Buf *b, int64_t v) {
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  if (v < 0) put(b, "-");
  put(b, "%llu", (unsigned long long)(u / SCALE));
  uint64_t frac = u % SCALE;
  if (frac) {
    char digits[8];
    snprintf(digits, sizeof digits, "%06llu", (unsigned long long)frac);
    size_t n = strlen(digits);
    while (n > 0 && digits[n - 1] == '0') digits[--n] = '\0';
    put(b, ".%s", digits);
  }
}

/* Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm). */
static void civil(int64_t z, int *y, int *m, int *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

static void put_date(Buf *b, int64_t days) {
  int y, m, d;
  civil(days, &y, &m, &d);
  put(b, "%04d-%02d-%02d", y, m, d);
}

/* 1990-01-01 and 2040-12-31, in days: the span generated dates fall in. */
#define DAY_LO 7305
#define DAY_HI 25932

/* ---- literals ------------------------------------------------------------------ */

/* A small non-negative number: mostly whole, sometimes with decimals. */
static int64_t small_value(Gen *g) {
  int64_t whole = pick(g, 4) == 0 ? range(g, 0, 5) : range(g, 0, 1000);
  int64_t frac = 0;
  switch (pick(g, 6)) {
  case 0: frac = range(g, 0, 9) * 100000; break;
  case 1: frac = range(g, 0, 99) * 10000; break;
  case 2: frac = range(g, 0, 999999); break;
  default: break;
  }
  return whole * SCALE + frac;
}

static void lit(Gen *g, Ty t) {
  switch (t.k) {
  case TY_NUM: put_dec(&g->out, small_value(g)); break;
  case TY_MONEY: {
    int64_t v = small_value(g) / 10000 * 10000;
    W("$");
    put_dec(&g->out, v * (pick(g, 3) ? 1 : 100));
    break;
  }
  case TY_DATE: put_date(&g->out, range(g, DAY_LO, DAY_HI)); break;
  case TY_FLAG: W(pick(g, 2) ? "true" : "false"); break;
  case TY_TEXT: {
    static const char *const texts[] = {"", "a", "gold", "x y", "caf\xc3\xa9", "q\\\"uote", "tab\\tnl\\n", "#1"};
    W("\"%s\"", texts[pick(g, 8)]);
    break;
  }
  case TY_CHOICE: W("c%d_m%u", t.field, pick(g, (uint32_t)g->f[t.field].nmembers)); break;
  default: break;
  }
}

/* ---- expressions ------------------------------------------------------------------ */

static Ty ty(TyKind k) { return (Ty){k, -1}; }
static bool same_ty(Ty a, Ty b) { return a.k == b.k && (a.k != TY_CHOICE || a.field == b.field); }

static Ty field_ty(const Gen *g, int i) {
  switch (g->f[i].kind) {
  case FK_TEXT: return ty(TY_TEXT);
  case FK_MONEY: return ty(TY_MONEY);
  case FK_FLAG: return ty(TY_FLAG);
  case FK_DATE: return ty(TY_DATE);
  case FK_CHOICE: return (Ty){TY_CHOICE, i};
  default: return ty(TY_NUM);
  }
}

static void expr(Gen *g, Ty t, int depth, const Ctx *c);

/* A subexpression in parentheses when it is not a single token. */
static void sub(Gen *g, Ty t, int depth, const Ctx *c) {
  W("(");
  expr(g, t, depth, c);
  W(")");
}

/* Field i as a value: itself where it is known set, else with a fallback
   of its type (for a choice field, one of its members). */
static bool name_of_field(Gen *g, int i, const Ctx *c) {
  if (g->f[i].optional && !(c->known >> i & 1)) {
    W("(f%d default ", i);
    lit(g, field_ty(g, i));
    W(")");
  } else {
    W("f%d", i);
  }
  return true;
}

/* A leaf: a literal or a name of type t that is usable here; false when
   none is (the caller writes a literal). */
static bool name_of(Gen *g, Ty t, const Ctx *c) {
  int cand[256], kinds[256], n = 0;
  enum { K_FIELD, K_PARAM, K_LET, K_ARG, K_BADGE, K_BENEFIT, K_PAYOUT, K_POINTS, K_CAT, K_SCORE };
#define ADD(kind, i) do { if (n < 256) { kinds[n] = (kind); cand[n++] = (i); } } while (0)
  if (c->fn_args >= 0) {
    for (int i = 0; i < c->fn_args; i++)
      if (same_ty(c->fn->arg[i], t)) ADD(K_ARG, i);
  } else {
    for (int i = 0; i < g->nf; i++)
      if (same_ty(field_ty(g, i), t)) ADD(K_FIELD, i);
    for (int i = 0; i < g->np; i++)
      if (same_ty(g->pa[i].ty, t)) ADD(K_PARAM, i);
    for (int i = 0; i < c->nlets; i++)
      if (same_ty(g->let[i].ty, t) && g->let[i].level <= c->level && (c->score_ok || !g->let[i].after_score))
        ADD(K_LET, i);
    if (c->level >= LV_TIER) {
      if (t.k == TY_FLAG)
        for (int i = 0; i < c->nbadges; i++) ADD(K_BADGE, i);
      for (int i = 0; i < c->nbenefits; i++)
        if (same_ty(g->ben[i].ty, t)) ADD(K_BENEFIT, i);
      if (t.k == TY_MONEY)
        for (int i = 0; i < c->npayouts; i++) ADD(K_PAYOUT, i);
    }
    if (c->level >= LV_SCORE && t.k == TY_NUM) {
      for (int i = 0; i < c->ncats; i++) {
        ADD(K_CAT, i);
        for (int j = 0; j < g->cat[i].npoints; j++) ADD(K_POINTS, i * 64 + j);
      }
      if (c->cat_in_progress)
        for (int j = 0; j < c->npoints_last; j++) ADD(K_POINTS, c->ncats * 64 + j);
      if (c->score_ok) ADD(K_SCORE, 0);
    }
  }
#undef ADD
  if (n == 0) return false;
  int k = (int)pick(g, (uint32_t)n);
  int i = cand[k];
  switch (kinds[k]) {
  case K_ARG: W("a%d", i); break;
  case K_FIELD: name_of_field(g, i, c); break;
  case K_PARAM: W("p%d", i); break;
  case K_LET: W("l%d", i); break;
  case K_BADGE: W("bd%d", i); break;
  case K_BENEFIT: W("bn%d", i); break;
  case K_PAYOUT: W("po%d", i); break;
  case K_CAT: W(pick(g, 2) ? "cat%d.total" : "cat%d", i); break;
  case K_POINTS:
    if (g->cat[i / 64].optional >> (i % 64) & 1) W("(cat%d.q%d default %d)", i / 64, i % 64, range(g, 0, 9));
    else W("cat%d.q%d", i / 64, i % 64);
    break;
  case K_SCORE: W("score"); break;
  default: break;
  }
  return true;
}

/* The optional fields that exist and are not yet known set. */
static int unguarded_optional(Gen *g, const Ctx *c) {
  int cand[CAP(MAX_FIELDS)], n = 0;
  if (c->fn_args >= 0) return -1;
  for (int i = 0; i < g->nf; i++)
    if (g->f[i].optional && !(c->known >> i & 1)) cand[n++] = i;
  return n ? cand[pick(g, (uint32_t)n)] : -1;
}

static int fn_returning(Gen *g, Ty t, const Ctx *c) {
  int cand[CAP(MAX_FNS)], n = 0;
  for (int i = 0; i < c->nfns; i++)
    if (same_ty(g->fn[i].ret, t)) cand[n++] = i;
  return n ? cand[pick(g, (uint32_t)n)] : -1;
}

static void call_fn(Gen *g, int i, int depth, const Ctx *c) {
  W("fn%d(", i);
  for (int a = 0; a < g->fn[i].nargs; a++) {
    if (a) W(", ");
    expr(g, g->fn[i].arg[a], depth, c);
  }
  W(")");
}

/* A lever of kind k whose every value is at least lo (has_lo) and at most
   hi (has_hi), or -1 when there is none. */
static int lever_within(Gen *g, TyKind k, bool has_lo, int64_t lo, bool has_hi, int64_t hi) {
  int cands[CAP(MAX_LEVERS)], n = 0;
  for (int i = 0; i < g->nlv; i++)
    if (g->lv[i].k == k && (!has_lo || g->lv[i].min >= lo) && (!has_hi || g->lv[i].max <= hi)) cands[n++] = i;
  return n ? cands[pick(g, (uint32_t)n)] : -1;
}

/* Rising bounds for a band or a range over a value of type t. */
static void bound(Gen *g, Ty t, int64_t v) {
  if (t.k == TY_DATE) put_date(&g->out, v);
  else if (t.k == TY_MONEY) { if (v < 0) W("-"); W("$"); put_dec(&g->out, v < 0 ? -v : v); }
  else put_dec(&g->out, v);
}

static int64_t bound_value(Gen *g, Ty t, int64_t prev, bool first) {
  if (t.k == TY_DATE) return first ? range(g, DAY_LO, DAY_HI - 400) : prev + range(g, 1, 400);
  int64_t step = (int64_t)range(g, 1, 200) * SCALE;
  step /= pick(g, 4) ? 1 : 4;
  return first ? (int64_t)range(g, -50, 300) * SCALE : prev + step;
}

static void band(Gen *g, Ty t, int depth, const Ctx *c) {
  static const TyKind subj[] = {TY_NUM, TY_MONEY, TY_DATE};
  Ty s = ty(subj[pick(g, 3)]);
  W("band ");
  sub(g, s, depth, c);
  W(" { ");
  int rows = range(g, 1, 4);
  int64_t v = 0;
  /* A band's rows all go one way: lower ends (250..) or upper ends, each
     up to (..25) or below (..<25) its bound; `..<25` may be followed by
     `..25`, the row for 25 alone. */
  bool from = pick(g, 3) == 0, below = false;
  for (int r = 0; r < rows; r++) {
    bool again = !from && below && pick(g, 4) == 0;
    /* Now and then a lever: above every value the row before can have,
       and the next row starts above all of its own. */
    int l = !again && chance(g, 15) ? lever_within(g, s.k, r > 0, v + 1, false, 0) : -1;
    if (l >= 0) v = g->lv[l].max;
    else if (!again) v = bound_value(g, s, v, r == 0);
    if (r) W(", ");
    if (from) {
      if (l >= 0) W("lvr%d", l);
      else bound(g, s, v);
      W("..");
    } else {
      below = !again && pick(g, 2) == 0;
      W(below ? "..<" : "..");
      if (l >= 0) W("lvr%d", l);
      else bound(g, s, v);
    }
    W(" => ");
    expr(g, t, depth, c);
  }
  if (pick(g, 4)) {
    W(", else => ");
    expr(g, t, depth, c);
  }
  W(" }");
}

static void flag_expr(Gen *g, int depth, const Ctx *c);

/* `if f is set then A else B`, A knowing f; or an ordinary if. */
static void if_expr(Gen *g, Ty t, int depth, const Ctx *c) {
  int opt = pick(g, 2) ? unguarded_optional(g, c) : -1;
  W("if ");
  Ctx inner = *c;
  if (opt >= 0) {
    W("f%d is set", opt);
    inner.known |= UINT64_C(1) << opt;
  } else {
    flag_expr(g, depth, c);
  }
  W(" then ");
  expr(g, t, depth, &inner);
  W(" else ");
  expr(g, t, depth, c);
}

/* A number, money or date that may be used at this depth. */
/* A field of the group of type t (-1: none). */
static int group_field(Gen *g, Ty t, const Ctx *c) {
  int cand[MAX_GROUP_FIELDS], n = 0;
  for (int k = 0; k < g->ngf && g->ngm && c->fn_args < 0; k++)
    if ((g->gkind[k] == FK_MONEY ? TY_MONEY : TY_NUM) == t.k) cand[n++] = k;
  return n ? cand[pick(g, (uint32_t)n)] : -1;
}

/* An aggregate over the group of type t, number or money: false when the
   group has no field of that type. */
static bool group_number(Gen *g, Ty t, const Ctx *c) {
  int k = group_field(g, t, c);
  if (k < 0) return false;
  static const char *const fns[] = {"sum", "max", "min"};
  W("%s(grp.v%d)", fns[pick(g, 3)], k);
  return true;
}

/* A condition over the group or a category's points; false when there
   is nothing to aggregate here. */
static bool group_flag(Gen *g, const Ctx *c) {
  if (c->level >= LV_SCORE && c->ncats > 0 && c->fn_args < 0 && pick(g, 3) == 0) {
    int i = (int)pick(g, (uint32_t)c->ncats);
    if (g->cat[i].npoints > 0 && !g->cat[i].optional) {   /* optional points need their own guard */
      W("%s(points of cat%d > 0)", pick(g, 2) ? "all" : "any", i);
      return true;
    }
  }
  Ty t = ty(pick(g, 2) ? TY_NUM : TY_MONEY);
  int k = group_field(g, t, c);
  if (k < 0) return false;
  switch (pick(g, 4)) {
  case 0: case 1:
    W("%s(grp where v%d > ", pick(g, 2) ? "any" : "all", k);
    lit(g, t);
    W(")");
    break;
  case 2:
    W("count(grp where v%d >= ", k);
    lit(g, t);
    W(") >= %d", range(g, 0, g->ngm));
    break;
  default: W("best(grp by v%d) %s g%d", k, pick(g, 2) ? "=" : "!=", range(g, 0, g->ngm - 1)); break;
  }
  return true;
}

/* A condition on one activity (the block gen_activity declares). */
static void act_cond(Gen *g, int depth) {
  switch (pick(g, depth > 0 ? 7 : 5)) {
  case 0: W("kind = k%u", pick(g, 3)); break;
  case 1: W("on >= "); lit(g, ty(TY_DATE)); break;
  case 2: W("amount > $%d", range(g, 0, 1000)); break;
  case 3: W("n < %d", range(g, -5, 50)); break;
  case 4: W(g->period && pick(g, 2) ? "on in period" : "amount is set"); break;
  case 5: W("("); act_cond(g, depth - 1); W(pick(g, 2) ? " and " : " or "); act_cond(g, depth - 1); W(")"); break;
  default: W("not ("); act_cond(g, depth - 1); W(")"); break;
  }
}

/* An aggregate of activities of type t (a number, money or a date). */
static void aggregate(Gen *g, TyKind k) {
  if (k == TY_DATE) W("%s(on of activity", pick(g, 2) ? "max" : "min");
  else if (k == TY_MONEY) W("sum(amount of activity");
  else W("%s", pick(g, 3) ? "count(activity" : pick(g, 2) ? "distinct(kind of activity" : "sum(n of activity");
  if (pick(g, 4)) { W(" where "); act_cond(g, 2); }
  W(")");
  if (k == TY_DATE) { W(" default "); lit(g, ty(TY_DATE)); }
}

static void numeric_expr(Gen *g, Ty t, int depth, const Ctx *c) {
  int d = depth - 1;
  bool isnum = t.k == TY_NUM;
  if (g->acts && c->fn_args < 0 && pick(g, 6) == 0) { aggregate(g, t.k); return; }
  if (g->ngm && pick(g, 8) == 0 && group_number(g, t, c)) return;
  switch (pick(g, isnum ? 14 : 11)) {
  case 0: W("-"); sub(g, t, d, c); break;
  case 1: sub(g, t, d, c); W(" + "); sub(g, t, d, c); break;
  case 2: sub(g, t, d, c); W(" - "); sub(g, t, d, c); break;
  case 3:   /* t * number, or number * t */
    if (pick(g, 2)) { sub(g, t, d, c); W(" * "); sub(g, ty(TY_NUM), d, c); }
    else { sub(g, ty(TY_NUM), d, c); W(" * "); sub(g, t, d, c); }
    break;
  case 4:   /* mostly a divisor that is not zero */
    sub(g, t, d, c);
    W(" / ");
    if (pick(g, 4)) { put_dec(&g->out, small_value(g) + SCALE); }
    else sub(g, ty(TY_NUM), d, c);
    break;
  case 5: if_expr(g, t, d, c); break;
  case 6: band(g, t, d, c); break;
  case 7: case 8: {
    static const char *const fns[] = {"min", "max", "clamp", "abs", "floor", "ceil", "round"};
    int k = (int)pick(g, 7);
    int n = k < 2 ? range(g, 2, 4) : k == 2 ? 3 : k == 6 ? range(g, 1, 2) : 1;
    W("%s(", fns[k]);
    for (int a = 0; a < n; a++) {
      if (a) W(", ");
      if (k == 6 && a == 1) W("%d", range(g, 0, 6));
      else expr(g, t, d, c);
    }
    W(")");
    break;
  }
  case 9: {
    int i = fn_returning(g, t, c);
    if (i >= 0) call_fn(g, i, d, c);
    else lit(g, t);
    break;
  }
  case 10:
    if (g->shapes && c->fn_args < 0) {
      /* Shapes whose types fit t (stdlib/shapes.rubric). */
      if (isnum && pick(g, 2)) {
        W("ratio_to(");
        expr(g, ty(TY_MONEY), d, c);
        W(", $");
        put_dec(&g->out, small_value(g) / SCALE * SCALE + SCALE);
        W(", ");
        expr(g, ty(TY_NUM), d, c);
        W(")");
      } else if (isnum && pick(g, 2)) {
        W("when_yes(");
        flag_expr(g, d, c);
        W(", ");
        expr(g, t, d, c);
        W(")");
      } else if (isnum) {
        static const char *const three[] = {"above", "at_least", "penalty"};
        W("%s(", three[pick(g, 3)]);
        expr(g, t, d, c);
        W(", ");
        expr(g, t, d, c);
        W(", ");
        expr(g, t, d, c);
        W(")");
      } else {
        W("per_unit(");
        expr(g, t, d, c);
        W(", ");
        expr(g, ty(TY_NUM), d, c);
        W(")");
      }
    } else {
      lit(g, t);
    }
    break;
  case 11:   /* money / money */
    sub(g, ty(TY_MONEY), d, c);
    W(" / ");
    if (pick(g, 4)) { W("$"); put_dec(&g->out, small_value(g) + SCALE); }
    else sub(g, ty(TY_MONEY), d, c);
    break;
  case 12:   /* date - date */
    sub(g, ty(TY_DATE), d, c);
    W(" - ");
    sub(g, ty(TY_DATE), d, c);
    break;
  case 13:
    if (g->shapes && c->fn_args < 0) {
      W("per_block(");
      expr(g, t, d, c);
      W(", %d, ", range(g, 1, 20));
      expr(g, t, d, c);
      W(")");
    } else {
      lit(g, t);
    }
    break;
  default: break;
  }
}

static void date_expr(Gen *g, int depth, const Ctx *c) {
  int d = depth - 1;
  if (g->acts && c->fn_args < 0 && pick(g, 6) == 0) { aggregate(g, TY_DATE); return; }
  switch (pick(g, 6)) {
  case 0: case 1:
    sub(g, ty(TY_DATE), d, c);
    W(pick(g, 2) ? " + " : " - ");
    if (pick(g, 3)) W("%d", range(g, 0, 400));
    else { W("floor("); sub(g, ty(TY_NUM), d, c); W(")"); }
    W(pick(g, 2) ? " days" : " months");
    break;
  case 2: if_expr(g, ty(TY_DATE), d, c); break;
  case 3: band(g, ty(TY_DATE), d, c); break;
  case 4: {
    static const char *const fns[] = {"min", "max", "clamp"};
    int k = (int)pick(g, 3);
    int n = k < 2 ? range(g, 2, 3) : 3;
    W("%s(", fns[k]);
    for (int a = 0; a < n; a++) {
      if (a) W(", ");
      expr(g, ty(TY_DATE), d, c);
    }
    W(")");
    break;
  }
  default: {
    int i = fn_returning(g, ty(TY_DATE), c);
    if (i >= 0) call_fn(g, i, d, c);
    else lit(g, ty(TY_DATE));
    break;
  }
  }
}

/* A required (or known set) choice field, or -1. */
static int choice_field(Gen *g, const Ctx *c) {
  int cand[CAP(MAX_FIELDS)], n = 0;
  if (c->fn_args >= 0) return -1;
  for (int i = 0; i < g->nf; i++)
    if (g->f[i].kind == FK_CHOICE && (!g->f[i].optional || (c->known >> i & 1))) cand[n++] = i;
  return n ? cand[pick(g, (uint32_t)n)] : -1;
}

static void flag_expr(Gen *g, int depth, const Ctx *c) {
  if (depth <= 0) {
    if (!name_of(g, ty(TY_FLAG), c)) lit(g, ty(TY_FLAG));
    return;
  }
  int d = depth - 1;
  static const char *const cmp[] = {"<", "<=", ">", ">=", "=", "!="};
  if (pick(g, 10) == 0 && group_flag(g, c)) return;
  switch (pick(g, 12)) {
  case 0: if (!name_of(g, ty(TY_FLAG), c)) lit(g, ty(TY_FLAG)); break;
  case 1: case 2: {   /* an ordering or equality of numbers, money or dates */
    static const TyKind k[] = {TY_NUM, TY_MONEY, TY_DATE};
    Ty t = ty(k[pick(g, 3)]);
    sub(g, t, d, c);
    W(" %s ", cmp[pick(g, 6)]);
    sub(g, t, d, c);
    break;
  }
  case 3: sub(g, ty(TY_FLAG), d, c); W(pick(g, 2) ? " and " : " or "); sub(g, ty(TY_FLAG), d, c); break;
  case 4: W("not "); sub(g, ty(TY_FLAG), d, c); break;
  case 5: {   /* f is set, and what it guards */
    int opt = unguarded_optional(g, c);
    if (opt < 0) { lit(g, ty(TY_FLAG)); break; }
    W("f%d is set", opt);
    if (pick(g, 2)) {
      Ctx inner = *c;
      inner.known |= UINT64_C(1) << opt;
      W(" and ");
      sub(g, ty(TY_FLAG), d, &inner);
    }
    break;
  }
  case 6: {   /* a choice against its members; an optional one with a member as fallback */
    int cand[CAP(MAX_FIELDS)], nc = 0;
    for (int i = 0; i < g->nf && c->fn_args < 0; i++)
      if (g->f[i].kind == FK_CHOICE) cand[nc++] = i;
    if (nc == 0) { lit(g, ty(TY_FLAG)); break; }
    int f = cand[pick(g, (uint32_t)nc)];
    Ty t = {TY_CHOICE, f};
    if (!name_of_field(g, f, c)) W("f%d", f);
    if (g->f[f].ordered && pick(g, 2)) {   /* an ordered choice compares */
      static const char *const ord[] = {"<", "<=", ">", ">="};
      W(" %s ", ord[pick(g, 4)]);
      lit(g, t);
    } else if (pick(g, 2)) {
      W(" %s ", pick(g, 2) ? "=" : "!=");
      lit(g, t);
    } else {
      W(" in (");
      int n = range(g, 1, 3);
      for (int i = 0; i < n; i++) { if (i) W(", "); lit(g, t); }
      W(")");
    }
    break;
  }
  case 7: {   /* text equality */
    sub(g, ty(TY_TEXT), d, c);
    W(pick(g, 2) ? " = " : " != ");
    lit(g, ty(TY_TEXT));
    break;
  }
  case 8: {   /* in LO..HI, or in (a, b) */
    static const TyKind k[] = {TY_NUM, TY_MONEY, TY_DATE};
    Ty t = ty(k[pick(g, 3)]);
    sub(g, t, d, c);
    if (pick(g, 2)) {
      int64_t lo = bound_value(g, t, 0, true), hi = bound_value(g, t, lo, false);
      W(" in ");
      bound(g, t, lo);
      W("..");
      bound(g, t, hi);
    } else {
      W(" in (");
      int n = range(g, 1, 3);
      for (int i = 0; i < n; i++) { if (i) W(", "); expr(g, t, d, c); }
      W(")");
    }
    break;
  }
  case 9: if_expr(g, ty(TY_FLAG), d, c); break;
  case 10: sub(g, ty(TY_FLAG), d, c); W(pick(g, 2) ? " = " : " != "); sub(g, ty(TY_FLAG), d, c); break;
  default: {
    int i = fn_returning(g, ty(TY_FLAG), c);
    if (i >= 0) call_fn(g, i, d, c);
    else lit(g, ty(TY_FLAG));
    break;
  }
  }
}

static void expr(Gen *g, Ty t, int depth, const Ctx *c) {
  /* Leaves: always at depth 0, often before. */
  if (depth <= 0 || pick(g, 3) == 0) {
    if (pick(g, 4) == 0 || !name_of(g, t, c)) {
      if (t.k == TY_CHOICE) {
        /* A choice's values come only from its field. */
        W("f%d", t.field);
      } else {
        lit(g, t);
      }
    }
    return;
  }
  switch (t.k) {
  case TY_NUM: case TY_MONEY: numeric_expr(g, t, depth, c); break;
  case TY_DATE: date_expr(g, depth, c); break;
  case TY_FLAG: flag_expr(g, depth, c); break;
  case TY_TEXT: case TY_CHOICE:
    if (pick(g, 2)) if_expr(g, t, depth - 1, c);
    else if (!name_of(g, t, c)) { if (t.k == TY_TEXT) lit(g, t); else W("f%d", t.field); }
    break;
  default: break;
  }
}

/* ---- declarations ------------------------------------------------------------------ */

static Ctx base_ctx(const Gen *g, int level) {
  Ctx c;
  memset(&c, 0, sizeof c);
  c.level = level;
  c.nlets = g->nlet;
  c.nfns = g->nfn;
  c.fn_args = -1;
  c.ncats = g->ncat;
  return c;
}

static int depth(Gen *g) { return range(g, 0, g->lim.max_depth); }

static void title(Gen *g) {
  static const char *const titles[] = {"Revenue", "Customer \\\"Success\\\"", "Zoom Phone", "caf\xc3\xa9 #1", "A, B and C"};
  if (pick(g, 2)) W(" \"%s\"", titles[pick(g, 5)]);
}

/* `LO..HI` with either end open, in millionths of points; now and then an
   end is a number lever that keeps the range from being empty. */
static void points_range(Gen *g, bool *has, int64_t *lo, int64_t *hi) {
  *has = pick(g, 3) != 0;
  if (!*has) return;
  int k = (int)pick(g, 3);
  bool lo_end = k != 1, hi_end = k != 2;
  *lo = (int64_t)range(g, -100, 100) * SCALE;
  *hi = *lo + (int64_t)range(g, 0, 1000) * SCALE;
  int hi_lv = hi_end && chance(g, 20) ? lever_within(g, TY_NUM, lo_end, *lo, false, 0) : -1;
  int lo_lv = lo_end && chance(g, 20)
                  ? lever_within(g, TY_NUM, false, 0, hi_end, hi_lv >= 0 ? g->lv[hi_lv].min : *hi) : -1;
  W(" ");
  if (lo_lv >= 0) W("lvr%d", lo_lv);
  else if (lo_end) put_dec(&g->out, *lo);
  W("..");
  if (hi_lv >= 0) W("lvr%d", hi_lv);
  else if (hi_end) put_dec(&g->out, *hi);
}

/* Numbers name numbers (number, int, count, percent fields), money money
   and dates dates. */
static bool same_domain(int a, int b) {
  bool na = a == FK_NUMBER || a == FK_INT || a == FK_COUNT || a == FK_PERCENT;
  bool nb = b == FK_NUMBER || b == FK_INT || b == FK_COUNT || b == FK_PERCENT;
  return na ? nb : a == b;
}

/* Gives field i a range end or two that name an earlier required field
   of its domain, if there is one; mods[2] then says it has a range. */
static void dyn_range(Gen *g, int i, bool *mods) {
  Field *f = &g->f[i];
  int cand[CAP(MAX_FIELDS)], n = 0;
  /* Not field 0, the key, whose values differ between the copies of the
     records (GEN_COPIES), which must otherwise be the same. */
  for (int j = 1; j < i; j++)
    if (!g->f[j].optional && same_domain(g->f[j].kind, f->kind)) cand[n++] = j;
  if (!n) return;
  int sides = range(g, 1, 3);   /* 1 low, 2 high, 3 both */
  for (int s = 0; s < 2; s++) {
    if (!(sides >> s & 1)) continue;
    f->dyn[s] = true;
    f->dref[s] = cand[pick(g, (uint32_t)n)];
    if (f->kind == FK_DATE) {
      f->dform[s] = (int)pick(g, 3);
      f->dval[s] = range(g, 0, 400);
    } else {
      f->dform[s] = (int)pick(g, 4);
      f->dval[s] = f->dform[s] == 3 ? (int64_t)range(g, 0, 50) * SCALE / (pick(g, 3) ? 1 : 10)
                                     : (int64_t)range(g, 0, 1000) * (f->kind == FK_MONEY ? 10000 : SCALE);
    }
    if (s == 0) f->has_lo = false;
    else f->has_hi = false;
  }
  mods[2] = true;
}

/* A range end of dyn_range, as the program writes it. */
static void dyn_end(Gen *g, const Field *f, int s) {
  int ref = f->dref[s];
  int64_t v = f->dval[s];
  if (f->kind == FK_DATE) {
    if (f->dform[s] == 0) W("f%d", ref);
    else W("f%d %s %lld days", ref, f->dform[s] == 1 ? "+" : "-", (long long)v);
    return;
  }
  const char *money = f->kind == FK_MONEY ? "$" : "";
  switch (f->dform[s]) {
  case 0: W("f%d", ref); break;
  case 1: case 2: W("f%d %s %s", ref, f->dform[s] == 1 ? "+" : "-", money); put_dec(&g->out, v); break;
  default: put_dec(&g->out, v); W(" * f%d", ref); break;
  }
}

static void gen_record(Gen *g) {
  static const char *const names[] = {"text", "number", "money", "count", "percent", "flag", "date", "one of", "int"};
  int n = range(g, 1, MAX_FIELDS * g->lim.scale);
  W("record {\n");
  for (int i = 0; i < n; i++) {
    Field *f = &g->f[i];
    memset(f, 0, sizeof *f);
    if (i == 0) {   /* the first key: required, unique per row */
      static const int kinds[] = {FK_TEXT, FK_NUMBER, FK_COUNT, FK_DATE, FK_INT};
      f->kind = kinds[pick(g, 5)];
      f->key = true;
    } else {
      f->kind = (int)pick(g, FK__COUNT);
      f->optional = chance(g, 30);
      f->key = f->kind != FK_FLAG && chance(g, 10);
    }
    W("  f%d %s", i, names[f->kind]);
    if (f->kind == FK_CHOICE) {
      f->nmembers = range(g, 1, MAX_MEMBERS);
      f->ordered = f->nmembers >= 2 && chance(g, 30);
      W(" (");
      for (int m = 0; m < f->nmembers; m++) W("%sc%d_m%d", !m ? "" : f->ordered ? " < " : ", ", i, m);
      W(")");
    }
    /* Implicit ranges of count and percent, then maybe a declared one. */
    if (f->kind == FK_COUNT) { f->has_lo = true; f->lo = 0; }
    if (f->kind == FK_PERCENT) { f->has_lo = f->has_hi = true; f->lo = 0; f->hi = 100 * SCALE; }
    f->places = -1;
    bool mods[4] = {f->key, f->optional, false, false};
    if ((f->kind == FK_NUMBER || f->kind == FK_MONEY || f->kind == FK_PERCENT) && chance(g, 25)) {
      mods[3] = true;
      f->places = range(g, 0, 6);
    }
    if (i > 0 && (f->kind == FK_NUMBER || f->kind == FK_MONEY || f->kind == FK_DATE || f->kind == FK_INT) &&
        chance(g, 40)) {
      mods[2] = true;
      int k = (int)pick(g, 3);
      int64_t lo = f->kind == FK_DATE ? range(g, DAY_LO, DAY_HI - 3000) : (int64_t)range(g, -1000, 1000) * SCALE;
      int64_t hi = f->kind == FK_DATE ? lo + range(g, 0, 3000) : lo + (int64_t)range(g, 0, 100000) * SCALE;
      f->has_lo = k != 1;
      f->has_hi = k != 2;
      f->lo = lo;
      f->hi = hi;
    }
    /* A range end naming an earlier field (every value is then checked
       against it per record): numbers, ints, money and dates. */
    if (i > 0 && (f->kind == FK_NUMBER || f->kind == FK_INT || f->kind == FK_MONEY || f->kind == FK_DATE) &&
        chance(g, 25))
      dyn_range(g, i, mods);
    /* Modifiers in a random order. */
    int order[4] = {0, 1, 2, 3};
    for (int a = 3; a > 0; a--) {
      int b = (int)pick(g, (uint32_t)a + 1);
      int tmp = order[a]; order[a] = order[b]; order[b] = tmp;
    }
    for (int a = 0; a < 4; a++) {
      if (!mods[order[a]]) continue;
      if (order[a] == 0) W(" key");
      else if (order[a] == 1) W(" optional");
      else if (order[a] == 3) W(" places %d", f->places);
      else {
        Ty t = field_ty(g, i);
        W(" in ");
        if (f->dyn[0]) dyn_end(g, f, 0);
        else if (f->has_lo) bound(g, t, f->lo);
        W("..");
        if (f->dyn[1]) dyn_end(g, f, 1);
        else if (f->has_hi) bound(g, t, f->hi);
      }
    }
    if (chance(g, 15)) W("  # field %d", i);
    W("\n");
  }
  /* A repeated group: each member's fields are columns g0_v0, g0_v1, ...,
     always given (required), read by aggregates only. */
  g->ngm = 0;
  if (chance(g, 30)) {
    static const int kinds[] = {FK_NUMBER, FK_MONEY, FK_COUNT};
    g->ngm = range(g, 1, MAX_GROUP_MEMBERS);
    g->ngf = range(g, 1, MAX_GROUP_FIELDS);
    W("  group grp (");
    for (int m = 0; m < g->ngm; m++) W("%sg%d", m ? ", " : "", m);
    W(") {\n");
    for (int k = 0; k < g->ngf; k++) {
      g->gkind[k] = kinds[pick(g, 3)];
      W("    v%d %s\n", k, names[g->gkind[k]]);
    }
    W("  }\n");
  }
  g->nf = n;
  W("}\n");
  end_decl(g);
}

/* A param's value: flags are written yes/no or true/false. */
static void param_lit(Gen *g, Ty t) {
  static const char *const flags[] = {"yes", "no", "true", "false"};
  if (t.k == TY_FLAG) W("%s", flags[pick(g, 4)]);
  else lit(g, t);
}

static void gen_params(Gen *g) {
  int n = range(g, 0, MAX_PARAMS * g->lim.scale);
  for (int i = 0; i < n; i++) {
    Param *p = &g->pa[i];
    static const TyKind kinds[] = {TY_NUM, TY_MONEY, TY_DATE, TY_FLAG};
    p->ty = ty(kinds[pick(g, 4)]);
    p->keyfield = -1;
    int cands[CAP(MAX_FIELDS)], nc = 0;
    for (int f = 0; f < g->nf; f++)
      if (g->f[f].kind == FK_CHOICE && !g->f[f].optional) cands[nc++] = f;
    if (nc && chance(g, 40)) {
      p->keyfield = cands[pick(g, (uint32_t)nc)];
      const Field *kf = &g->f[p->keyfield];
      W("param p%d by f%d {", i, p->keyfield);
      int order[MAX_MEMBERS];
      for (int m = 0; m < kf->nmembers; m++) order[m] = m;
      for (int m = kf->nmembers - 1; m > 0; m--) {
        int b = (int)pick(g, (uint32_t)m + 1);
        int tmp = order[m]; order[m] = order[b]; order[b] = tmp;
      }
      for (int m = 0; m < kf->nmembers; m++) {
        W("%s c%d_m%d = ", m ? (pick(g, 2) ? "," : "") : "", p->keyfield, order[m]);
        if ((p->ty.k == TY_NUM || p->ty.k == TY_MONEY) && chance(g, 20)) W("-");
        param_lit(g, p->ty);
      }
      W(" }\n");
    } else {
      W("param p%d = ", i);
      if ((p->ty.k == TY_NUM || p->ty.k == TY_MONEY) && chance(g, 20)) W("-");
      param_lit(g, p->ty);
      W("\n");
    }
    end_decl(g);
  }
  g->np = n;
}

/* Levers (lvrN): number, money or date params, keyed or not, whose
   values are known here so that caps and bands can keep their order. */
static void gen_levers(Gen *g) {
  int n = range(g, 0, MAX_LEVERS * g->lim.scale);
  for (int i = 0; i < n; i++) {
    static const TyKind kinds[] = {TY_NUM, TY_NUM, TY_MONEY, TY_DATE};
    Lever *l = &g->lv[i];
    l->k = kinds[pick(g, 4)];
    int cands[CAP(MAX_FIELDS)], nc = 0;
    for (int f = 0; f < g->nf; f++)
      if (g->f[f].kind == FK_CHOICE && !g->f[f].optional) cands[nc++] = f;
    int keyfield = nc && chance(g, 30) ? cands[pick(g, (uint32_t)nc)] : -1;
    int nvalues = keyfield >= 0 ? g->f[keyfield].nmembers : 1;
    if (keyfield >= 0) W("param lvr%d by f%d {", i, keyfield);
    else W("param lvr%d =", i);
    for (int m = 0; m < nvalues; m++) {
      int64_t v = l->k == TY_DATE ? range(g, DAY_LO, DAY_HI) : (int64_t)range(g, -50, 600) * SCALE;
      if (!m || v < l->min) l->min = v;
      if (!m || v > l->max) l->max = v;
      if (keyfield >= 0) W("%s c%d_m%d =", m ? "," : "", keyfield, m);
      W(" ");
      bound(g, ty(l->k), v);
    }
    W(keyfield >= 0 ? " }\n" : "\n");
    end_decl(g);
  }
  g->nlv = n;
}

static void gen_fns(Gen *g) {
  int n = range(g, 0, MAX_FNS * g->lim.scale);
  for (int i = 0; i < n; i++) {
    Fn *f = &g->fn[i];
    static const TyKind kinds[] = {TY_NUM, TY_MONEY, TY_DATE, TY_FLAG};
    f->nargs = range(g, 0, MAX_FN_ARGS);
    for (int a = 0; a < f->nargs; a++) f->arg[a] = ty(kinds[pick(g, 4)]);
    f->ret = ty(kinds[pick(g, 4)]);
    W("fn fn%d(", i);
    for (int a = 0; a < f->nargs; a++) W("%sa%d", a ? ", " : "", a);
    W(") = ");
    Ctx c = base_ctx(g, LV_RECORD);
    c.fn_args = f->nargs;
    c.fn = f;
    c.nfns = i;          /* earlier functions only: no recursion */
    c.nlets = 0;
    c.ncats = 0;
    expr(g, f->ret, depth(g), &c);
    W("\n");
    end_decl(g);
    g->nfn = i + 1;
  }
}

/* A let of the phase `level`; after_score: it may use the score. */
static void gen_let(Gen *g, Ctx c, bool after_score) {
  if (g->nlet >= (int)(sizeof g->let / sizeof *g->let)) return;
  static const TyKind kinds[] = {TY_NUM, TY_MONEY, TY_DATE, TY_FLAG, TY_TEXT, TY_NUM};
  int i = g->nlet;
  Let *l = &g->let[i];
  l->ty = ty(kinds[pick(g, 6)]);
  l->level = c.level;
  l->after_score = after_score;
  c.score_ok = after_score;
  c.nlets = i;
  W("let l%d = ", i);
  expr(g, l->ty, depth(g), &c);
  W("\n");
  end_decl(g);
  g->nlet = i + 1;
}

/* A required field whose values are plain numbers: a probe's operand. */
static bool is_number_field(const Field *f) {
  return !f->optional && (f->kind == FK_NUMBER || f->kind == FK_COUNT || f->kind == FK_PERCENT ||
                          f->kind == FK_INT);
}

/* Category i's points, each using what came before it. */
static void gen_category(Gen *g, int i, bool probe) {
  Cat *cat = &g->cat[i];
  W("category cat%d", i);
  title(g);
  bool has;
  int64_t lo, hi;
  points_range(g, &has, &lo, &hi);
  cat->has_range = has;
  cat->probe = probe;
  W(" {\n");
  if (probe) {
    /* One operation on required number fields, no cap: see gen.h. */
    int nums[CAP(MAX_FIELDS)], nn = 0;
    for (int f = 0; f < g->nf; f++)
      if (is_number_field(&g->f[f])) nums[nn++] = f;
    static const char *const ops[] = {"+", "-", "*", "/", "floor", "ceil", "abs", "-", "round",
                                      "floor", "ceil", "round"};
    cat->npoints = 0;
    int want = range(g, 1, 6);
    for (int k = 0; k < want && nn > 0 && g->nprobe < GEN_MAX_PROBES; k++) {
      int op = (int)pick(g, 12), a = nums[pick(g, (uint32_t)nn)], b = nums[pick(g, (uint32_t)nn)];
      W("  points q%d = ", cat->npoints);
      g->probe_places[g->nprobe] = op == 11 ? range(g, 0, 6) : 0;
      if (op < 4) W("f%d %s f%d\n", a, ops[op], b);
      else if (op == 7) W("-f%d\n", a);
      else if (op == 11) W("round(f%d / f%d, %d)\n", a, b, g->probe_places[g->nprobe]);
      else if (op > 8) W("%s(f%d / f%d)\n", ops[op], a, b);   /* rounded once: OP_DIVFLOOR ... */
      else W("%s(f%d)\n", ops[op], a);
      g->probe_ops[g->nprobe] = op;
      g->probe_a[g->nprobe] = a;
      g->probe_b[g->nprobe] = b;
      GenProbe *pr = &g->res->probes[g->nprobe++];
      snprintf(pr->name, sizeof pr->name, "cat%d.q%d", i, cat->npoints);
      cat->npoints++;
    }
  } else {
    int n = range(g, 0, MAX_POINTS);
    for (int k = 0; k < n; k++) {
      W("  points q%d", k);
      title(g);
      bool h;
      int64_t a, b;
      points_range(g, &h, &a, &b);
      Ctx c = base_ctx(g, LV_SCORE);
      c.ncats = i;
      c.cat_in_progress = true;
      c.npoints_last = k;
      if (pick(g, 6) == 0) {   /* optional: unset on one branch, adding nothing */
        cat->optional |= UINT64_C(1) << k;
        W(" optional = if ");
        flag_expr(g, depth(g), &c);
        if (pick(g, 2)) { W(" then unset else "); expr(g, ty(TY_NUM), depth(g), &c); }
        else { W(" then "); expr(g, ty(TY_NUM), depth(g), &c); W(" else unset"); }
      } else {
        W(" = ");
        expr(g, ty(TY_NUM), depth(g), &c);
      }
      W("\n");
    }
    cat->npoints = n;
  }
  W("}");
  /* Kept for the track it belongs to, or a declaration of its own. */
  if (cat->track >= 0) {
    g->cat_text[i] = g->out;
    memset(&g->out, 0, sizeof g->out);
  } else {
    W("\n");
    end_decl(g);
  }
}

static void tier_name(Gen *g, int track, int t);

static void gen_ladder(Gen *g, int track, int ntiers) {
  static const char *const shared[] = {"gold", "silver", "bronze", "basic", "plus", "max", "top", "vip", "elite", "base"};
  if (g->floor_field >= 0 && track < 0) W("tiers floor f%d {\n", g->floor_field);   /* no demotion */
  else W("tiers {\n");
  for (int t = 0; t < ntiers; t++) {
    if (track >= 0) W("    tier %s", shared[t]);
    else { W("  tier "); tier_name(g, track, t); }
    title(g);
    W(" when ");
    Ctx c = base_ctx(g, LV_SCORE);
    c.score_ok = true;
    int l = -1;
    if (t == 0 && pick(g, 2)) W("true");
    else if (pick(g, 2)) {
      const char *op = pick(g, 2) ? ">" : ">=";
      if (chance(g, 20) && (l = lever_within(g, TY_NUM, false, 0, false, 0)) >= 0) W("score %s lvr%d", op, l);
      else W("score %s %d", op, range(g, -50, 600) * (t + 1) / 2);
    }
    else flag_expr(g, depth(g), &c);
    W("\n");
  }
  W(track >= 0 ? "  }\n" : "}\n");
}

static void tier_name(Gen *g, int track, int t) {
  static const char *const shared[] = {"gold", "silver", "bronze", "basic", "plus", "max", "top", "vip", "elite", "base"};
  if (track >= 0) W("trk%d.%s", track, shared[t]);
  else if (g->floor_field >= 0 && t < g->f[g->floor_field].nmembers) W("c%d_m%d", g->floor_field, t);
  else W("lv%d", t);
}

/* A choice field, not a key, with at most n members, to hold a floor of
   an n-tier ladder; -1 when there is none. */
static int floor_candidate(Gen *g, int n) {
  for (int i = 0; i < g->nf; i++)
    if (g->f[i].kind == FK_CHOICE && !g->f[i].key && g->f[i].nmembers <= n) return i;
  return -1;
}

static int total_tiers(const Gen *g) {
  int n = g->ntoptiers;
  for (int t = 0; t < g->ntr; t++) n += g->tr[t].own_ladder ? g->tr[t].ntiers : 0;
  return n;
}

/* The i-th tier of the program, as (track, index). */
static void nth_tier(const Gen *g, int i, int *track, int *t) {
  if (i < g->ntoptiers) { *track = -1; *t = i; return; }
  i -= g->ntoptiers;
  for (int k = 0; k < g->ntr; k++) {
    if (!g->tr[k].own_ladder) continue;
    if (i < g->tr[k].ntiers) { *track = k; *t = i; return; }
    i -= g->tr[k].ntiers;
  }
  *track = -1;
  *t = 0;
}

/* A param (pN) of kind k, keyed or not, or -1. */
static int param_of(Gen *g, TyKind k) {
  int cands[CAP(MAX_PARAMS)], n = 0;
  for (int i = 0; i < g->np; i++)
    if (g->pa[i].ty.k == k) cands[n++] = i;
  return n ? cands[pick(g, (uint32_t)n)] : -1;
}

static void gen_benefits(Gen *g) {
  int nt = total_tiers(g);
  int n = nt ? range(g, 0, MAX_BENEFITS * g->lim.scale) : 0;
  static const TyKind kinds[] = {TY_TEXT, TY_FLAG, TY_NUM, TY_MONEY, TY_DATE};
  for (int i = 0; i < n; i++) {
    Ty t = ty(kinds[i < 3 ? i : (int)pick(g, 5)]);
    g->ben[i].ty = t;
    W("benefit bn%d", i);
    title(g);
    W(" {");
    int first = (int)pick(g, (uint32_t)nt);
    for (int k = 0; k < nt; k++) {
      if (k != first && pick(g, 2)) continue;
      int track, tier;
      nth_tier(g, k, &track, &tier);
      W(k == first || pick(g, 2) ? " " : ", ");
      tier_name(g, track, tier);
      W(" = ");
      int param = t.k != TY_TEXT && chance(g, 20) ? param_of(g, t.k) : -1;
      if (param >= 0) W("p%d", param);
      else if (t.k == TY_FLAG) W(pick(g, 2) ? "yes" : "no");
      else {
        if ((t.k == TY_NUM || t.k == TY_MONEY) && chance(g, 15)) W("-");
        lit(g, t);
      }
    }
    W(" }\n");
    end_decl(g);
    g->nben = i + 1;
  }
}

static void gen_badge(Gen *g, int i, int track) {
  g->badge_track[i] = track >= 0;
  W(track >= 0 ? "  badge bd%d" : "badge bd%d", i);
  title(g);
  W(" when ");
  Ctx c = base_ctx(g, LV_TIER);
  c.score_ok = true;
  c.nbadges = i;
  c.nbenefits = g->nben;
  flag_expr(g, depth(g), &c);
  W("\n");
}

/* Tracks: each a condition on the record, the top-level categories it
   uses, its own categories (generated before), maybe a ladder and badges. */
static void gen_tracks(Gen *g, int *badge) {
  for (int t = 0; t < g->ntr; t++) {
    W("track trk%d", t);
    title(g);
    bool h;
    int64_t lo, hi;
    points_range(g, &h, &lo, &hi);
    W(" when ");
    Ctx c = base_ctx(g, LV_RECORD);
    c.ncats = 0;
    int f = choice_field(g, &c);
    if (f >= 0 && pick(g, 3)) {
      W("f%d %s c%d_m%d", f, pick(g, 4) ? "=" : "!=", f, t % g->f[f].nmembers);
      if (pick(g, 3) == 0) { W(" and "); sub(g, ty(TY_FLAG), depth(g), &c); }
    } else {
      flag_expr(g, depth(g), &c);
    }
    W(" {\n");
    int nuses = 0;
    for (int k = 0; k < g->ncat; k++) {
      /* Every track scores the probes, so each record checks them. */
      if (g->cat[k].track >= 0 || (!g->cat[k].probe && !pick(g, 2))) continue;
      W(nuses++ ? ", cat%d" : "  uses cat%d", k);
    }
    if (nuses) W("\n");
    for (int k = 0; k < g->ncat; k++)
      if (g->cat[k].track == t) {
        W("  %s\n", g->cat_text[k].p);
        free(g->cat_text[k].p);
      }
    if (g->tr[t].own_ladder) {
      W("  ");
      gen_ladder(g, t, g->tr[t].ntiers);
    }
    if (pick(g, 3) == 0 && *badge < MAX_BADGES * g->lim.scale) gen_badge(g, (*badge)++, t);
    W("}\n");
    end_decl(g);
  }
}

static void gen_payouts(Gen *g) {
  int n = range(g, 0, MAX_PAYOUTS * g->lim.scale);
  for (int i = 0; i < n; i++) {
    W("payout po%d", i);
    title(g);
    W(" = ");
    Ctx c = base_ctx(g, LV_TIER);
    c.score_ok = true;
    c.nbadges = g->nbadge;
    c.nbenefits = g->nben;
    c.npayouts = i;
    expr(g, ty(TY_MONEY), depth(g), &c);
    W("\n");
    end_decl(g);
  }
  g->npayout = n;
}

/* Outputs (written out, never scored): a type inferred or declared, and
   now and then a choice of the output's own whose branches name it. */
static void gen_outputs(Gen *g) {
  static const char *const decl[] = {"number", "money", "date", "flag", "text"};
  static const TyKind kind[] = {TY_NUM, TY_MONEY, TY_DATE, TY_FLAG, TY_TEXT};
  int n = range(g, 0, 3);
  for (int i = 0; i < n; i++) {
    W("output out%d", i);
    title(g);
    Ctx c = base_ctx(g, LV_TIER);
    c.score_ok = true;
    c.nbadges = g->nbadge;
    c.nbenefits = g->nben;
    c.npayouts = g->npayout;
    int ntiers = total_tiers(g);
    if (ntiers && pick(g, 4) == 0) {   /* the tier as a value: itself, or against a named tier */
      static const char *const cmp[] = {"<", "<=", ">", ">=", "=", "!="};
      if (pick(g, 3) == 0) {
        W(" = tier\n");
      } else {
        W(" = tier %s ", cmp[pick(g, 6)]);
        int track, t;
        nth_tier(g, (int)pick(g, (uint32_t)ntiers), &track, &t);
        if (pick(g, 5) == 0) W("none");
        else tier_name(g, track, t);
        W("\n");
      }
    } else if (pick(g, 5) == 0) {   /* optional: unset on one branch */
      uint32_t k = pick(g, 5);
      W(" %s optional = if ", decl[k]);
      flag_expr(g, depth(g), &c);
      if (pick(g, 2)) { W(" then unset else "); expr(g, ty(kind[k]), depth(g), &c); }
      else { W(" then "); expr(g, ty(kind[k]), depth(g), &c); W(" else unset"); }
      W("\n");
    } else if (pick(g, 4) == 0) {
      W(" one of (out%d_a, out%d_b) = if ", i, i);
      flag_expr(g, depth(g), &c);
      W(" then out%d_a else out%d_b\n", i, i);
    } else {
      uint32_t k = pick(g, 5);
      if (pick(g, 2)) W(" %s", decl[k]);
      W(" = ");
      expr(g, ty(kind[k]), depth(g), &c);
      W("\n");
    }
    end_decl(g);
  }
}

/* A field's value before its int type or `places N` cut it short. */
static int64_t raw_value(Gen *g, const Field *f, bool extreme) {
  if (f->kind == FK_DATE) {
    int64_t lo = f->has_lo ? f->lo : DAY_LO, hi = f->has_hi ? f->hi : DAY_HI;
    if (!f->has_lo && f->has_hi) lo = hi - 5000;
    if (f->has_lo && !f->has_hi) hi = lo + 5000;
    switch (pick(g, 6)) {
    case 0: return lo;
    case 1: return hi;
    default: return lo + range(g, 0, (int)(hi - lo));
    }
  }
  /* Ties for every rounding rule: 0.000005 * 0.5, 0.000005 / 2, round(2.5). */
  static const int64_t ties[] = {500000, 2500000, 5, 1, 2000000};
  if (f->kind == FK_COUNT && !f->has_hi) return (int64_t)range(g, 0, 200) * SCALE;
  if (f->kind == FK_PERCENT && pick(g, 3) == 0) return ties[pick(g, 5)];
  if (f->kind == FK_PERCENT) {
    if (pick(g, 8) == 0) return 100 * SCALE;
    int64_t whole = (int64_t)range(g, 0, 99) * SCALE;
    return whole + (pick(g, 3) ? 0 : range(g, 0, 999999));
  }
  if (extreme && !f->has_lo && !f->has_hi) {
    static const int64_t ends[] = {INT64_MAX, -INT64_MAX, INT64_C(9223372036854500000), -INT64_C(9223372036854500000),
                                   INT64_C(4611686018427387903), INT64_C(3037000499976049), -INT64_C(3037000499976050),
                                   INT64_C(9223372036853999999)};
    return ends[pick(g, 8)];
  }
  int64_t v;
  if (pick(g, 3) == 0) {
    v = ties[pick(g, 5)];
  } else {
    v = small_value(g);
    if (pick(g, 4) == 0) v *= 1000;
  }
  if (f->kind != FK_COUNT && pick(g, 4) == 0) v = -v;
  if (f->kind == FK_COUNT) v = v / SCALE * SCALE;
  if (f->kind == FK_MONEY) v = v / 10000 * 10000;
  int64_t mag = v < 0 ? -v : v;
  if (f->has_lo && f->has_hi) v = f->lo + mag % (f->hi - f->lo + 1);
  else if (f->has_lo && v < f->lo) v = f->lo + mag % (1000 * SCALE);
  else if (f->has_hi && v > f->hi) v = f->hi - mag % (1000 * SCALE);
  if (f->kind == FK_COUNT) v = v / SCALE * SCALE;
  return v;
}

/* A field's value as a CSV cell or a test's `given`, valid for it; dates
   and numbers near the field's range ends now and then.  An int's value,
   and one with `places N`, is cut toward zero to the places it may have:
   every range bound generated is whole, so it stays within the range. */
static int64_t value_for(Gen *g, const Field *f, bool extreme) {
  int64_t v = raw_value(g, f, extreme), unit = 1;
  int places = f->kind == FK_INT ? 0 : f->places;
  if (places < 0) return v;
  for (int k = places; k < 6; k++) unit *= 10;
  return v / unit * unit;
}

/* 1.0...01: one decimal place more than `places` allows. */
static void too_many_places(Buf *b, int places) {
  put(b, "1.");
  for (int k = 0; k < places; k++) put(b, "0");
  put(b, "1");
}

static void put_value(Buf *b, const Field *f, int64_t v) {
  if (f->kind == FK_DATE) put_date(b, v);
  else put_dec(b, v);
}

static uint8_t probe_eval(int op, int places, int64_t a, int64_t b, int64_t *out);

/* Range end s of field f on a row whose values are vals, as rubric
   computes it (a product rounded half to even): false when the end is out
   of rubric's range, and the record is then rejected.  Generated dates
   stay far from the calendar's ends. */
static bool dyn_value(const Field *f, int s, const int64_t *vals, int64_t *out) {
  int64_t x = vals[f->dref[s]], v = f->dval[s];
  switch (f->dform[s]) {
  case 0: *out = x; return true;
  case 1: if (f->kind == FK_DATE) { *out = x + v; return true; }
          return probe_eval(0, 0, x, v, out) == GEN_PROBE_OK;
  case 2: if (f->kind == FK_DATE) { *out = x - v; return true; }
          return probe_eval(1, 0, x, v, out) == GEN_PROBE_OK;
  default: return probe_eval(2, 0, v, x, out) == GEN_PROBE_OK;
  }
}

/* floor(a / b) and ceil(a / b) in 128 bits, b > 0. */
static __int128 floor_div(__int128 a, __int128 b) { __int128 q = a / b; return q - (a % b < 0); }
static __int128 ceil_div(__int128 a, __int128 b) { __int128 q = a / b; return q + (a % b > 0); }

/* A value for field f, whose range has ends that name earlier fields,
   within those ends and its literal bounds, on the grid of its type (an
   int whole, `places N`, money in cents, dates by day): false when an
   end cannot be computed or no value fits, and then the record must be
   rejected (*out is still a value of the field's own type). */
static bool bounded_value(Gen *g, const Field *f, const int64_t *vals, int64_t *out) {
  bool has[2] = {f->has_lo, f->has_hi};
  __int128 end[2] = {f->lo, f->hi};
  for (int s = 0; s < 2; s++) {
    if (!f->dyn[s]) continue;
    int64_t v;
    if (!dyn_value(f, s, vals, &v)) { *out = value_for(g, f, false); return false; }
    has[s] = true;
    end[s] = v;
  }
  if (pick(g, 8) == 0) {   /* now and then a value of its type alone, which may not fit */
    *out = value_for(g, f, false);
    return (!has[0] || *out >= end[0]) && (!has[1] || *out <= end[1]);
  }
  bool date = f->kind == FK_DATE;
  __int128 span = date ? 1000 : 1000 * (__int128)SCALE, unit = 1;
  int places = f->kind == FK_INT ? 0 : f->places >= 0 ? f->places : f->kind == FK_MONEY ? 2 : 6;
  for (int k = places; k < 6 && !date; k++) unit *= 10;
  __int128 lo = has[0] ? end[0] : has[1] ? end[1] - span : 0, hi = has[1] ? end[1] : lo + span;
  if (!date && lo < -(__int128)DMAX) lo = -(__int128)DMAX;
  if (!date && hi > (__int128)DMAX) hi = DMAX;
  __int128 first = ceil_div(lo, unit), last = floor_div(hi, unit);
  if (first > last) { *out = value_for(g, f, false); return false; }
  __int128 n = last - first;
  switch (pick(g, 5)) {
  case 0: *out = (int64_t)(first * unit); break;   /* an end: both are included */
  case 1: *out = (int64_t)(last * unit); break;
  default: *out = (int64_t)((first + (__int128)pick(g, n > 100000 ? 100000u : (uint32_t)n + 1)) * unit); break;
  }
  return true;
}

/* A test that leaves out a required field gives it a neutral value (0,
   1970-01-01); one its range refuses is an error, so such fields are
   always given. */
static bool neutral_refused(const Field *f) {
  if (f->optional) return false;
  if (f->kind != FK_NUMBER && f->kind != FK_MONEY && f->kind != FK_DATE && f->kind != FK_COUNT &&
      f->kind != FK_PERCENT && f->kind != FK_INT)
    return false;
  return (f->has_lo && f->lo > 0) || (f->has_hi && f->hi < 0);
}

static void gen_tests(Gen *g) {
  int n = range(g, 0, MAX_TESTS);
  for (int i = 0; i < n; i++) {
    W("test \"generated %d\" {\n  given {", i);
    int reject = -1;
    /* expect rejected: a value of a field that cannot fit it. */
    if (pick(g, 4) == 0) {
      for (int f = 0; f < g->nf; f++)
        if (g->f[f].kind == FK_COUNT || g->f[f].kind == FK_PERCENT || g->f[f].kind == FK_DATE ||
            g->f[f].kind == FK_INT || (g->f[f].places >= 0 && g->f[f].places < 6)) { reject = f; break; }
    }
    /* The record's values, given or neutral (0, 1970-01-01), for the ranges
       that name other fields; a field with such a range is always given. */
    int64_t tv[CAP(MAX_FIELDS)] = {0};
    for (int f = 0; f < g->nf; f++) {
      const Field *fd = &g->f[f];
      bool skip = pick(g, 2), dyn = fd->dyn[0] || fd->dyn[1];
      if (f != reject && skip && !neutral_refused(fd) && !dyn) continue;
      W(" f%d = ", f);
      if (f == reject) {
        if (fd->kind == FK_COUNT || fd->kind == FK_INT) W("2.5");
        else if (fd->places >= 0 && fd->places < 6) too_many_places(&g->out, fd->places);
        else if (fd->kind == FK_PERCENT) W("101");
        else W("\"2024-02-30\"");
        continue;
      }
      switch (fd->kind) {
      case FK_TEXT: W("\"t%d\"", range(g, 0, 9)); break;
      case FK_FLAG: W(pick(g, 2) ? "yes" : "no"); break;
      case FK_CHOICE: W("c%d_m%u", f, pick(g, (uint32_t)fd->nmembers)); break;
      default: {
        int64_t v;
        if (dyn) bounded_value(g, fd, tv, &v);   /* whether it fits is found below */
        else v = value_for(g, fd, false);
        tv[f] = v;
        if (fd->kind == FK_MONEY && pick(g, 2)) {
          W(v < 0 ? "-$" : "$");
          put_dec(&g->out, v < 0 ? -v : v);
        } else {
          put_value(&g->out, fd, v);
        }
        break;
      }
      }
    }
    W(" }\n");
    /* With every value fitting its own field, the ranges that name fields
       are checked field by field (each names earlier ones): the first that
       fails rejects the record, which the test then expects. */
    for (int f = 0; f < g->nf && reject < 0; f++) {
      const Field *fd = &g->f[f];
      for (int s = 0; s < 2 && reject < 0; s++) {
        int64_t end;
        if (!fd->dyn[s]) continue;
        if (!dyn_value(fd, s, tv, &end) || (s == 0 ? tv[f] < end : tv[f] > end)) reject = f;
      }
    }
    if (g->np && pick(g, 2)) {
      W("  with {");
      for (int p = 0; p < g->np; p++) {
        if (pick(g, 2)) continue;
        if (g->pa[p].keyfield >= 0) W(" p%d.c%d_m%u = ", p, g->pa[p].keyfield, pick(g, (uint32_t)g->f[g->pa[p].keyfield].nmembers));
        else W(" p%d = ", p);
        param_lit(g, g->pa[p].ty);
      }
      W(" }\n");
    }
    if (reject >= 0) {
      W("  expect rejected \"f%d\"\n}\n", reject);
      end_decl(g);
      continue;
    }
    W("  expect {");
    if (pick(g, 2)) W(" score = %d", range(g, 0, 500));
    if (g->ncat && pick(g, 2)) {
      int k = (int)pick(g, (uint32_t)g->ncat);
      if (g->cat[k].npoints && pick(g, 2)) {
        uint32_t q = pick(g, (uint32_t)g->cat[k].npoints);
        W(", cat%d.q%u = %d", k, q, range(g, 0, 99));
      } else {
        const char *total = pick(g, 2) ? "" : ".total";
        W(", cat%d%s = %d", k, total, range(g, 0, 99));
      }
    }
    if (g->ntr && pick(g, 2)) {
      int k = range(g, -1, g->ntr - 1);
      if (k < 0) W(" track = none");
      else W(" track = trk%d", k);
    }
    int nt = total_tiers(g);
    if (nt && pick(g, 2)) {
      int track, tier;
      nth_tier(g, (int)pick(g, (uint32_t)nt), &track, &tier);
      W(" tier = ");
      tier_name(g, track, tier);
    } else if (pick(g, 3) == 0) {
      W(" tier = none");
    }
    if (g->nbadge && pick(g, 2)) {
      uint32_t b = pick(g, (uint32_t)g->nbadge);
      W(" bd%u = %s", b, pick(g, 2) ? "yes" : "no");
    }
    if (g->nben && pick(g, 2)) {
      int b = (int)pick(g, (uint32_t)g->nben);
      W(" bn%d = ", b);
      if (g->ben[b].ty.k == TY_FLAG) W(pick(g, 2) ? "yes" : "no");
      else lit(g, g->ben[b].ty);
    }
    if (g->npayout && pick(g, 2)) {
      uint32_t po = pick(g, (uint32_t)g->npayout);
      W(" po%u = %d", po, range(g, 0, 9999));
    }
    W(" }\n}\n");
    end_decl(g);
  }
}

/* ---- records ------------------------------------------------------------------------ */

static void csv_cell(Buf *b, const char *s) {
  if (strpbrk(s, ",\"\r\n") == NULL) { put(b, "%s", s); return; }
  put(b, "\"");
  for (; *s; s++) put(b, *s == '"' ? "\"\"" : "%c", *s);
  put(b, "\"");
}

/* One cell of row r for field fi, into c: false when the value cannot fit
   a range that names other fields (the record must then be rejected).
   vals holds the values of the fields before fi (a range names only
   those); fi's own goes there too. */
static bool gen_cell(Gen *g, Buf *c, int r, int key, int fi, bool spoil, int64_t *vals) {
  const Field *f = &g->f[fi];
  bool fits = true;
  buf_grow(c, 1);
  c->p[0] = '\0';
  if (spoil) {
    switch (f->kind) {
    case FK_NUMBER: case FK_MONEY:
      if (f->places >= 0 && f->places < 6 && pick(g, 2)) too_many_places(c, f->places);
      else put(c, pick(g, 2) ? "12abc" : "1.1234567");
      break;
    case FK_COUNT: put(c, pick(g, 2) ? "-1" : "2.5"); break;
    case FK_INT: put(c, pick(g, 2) ? "-2.5" : "7.000001"); break;
    case FK_PERCENT: put(c, "100.5"); break;
    case FK_FLAG: put(c, "maybe"); break;
    case FK_DATE: put(c, pick(g, 2) ? "2023-02-29" : "2024-13-01"); break;
    case FK_CHOICE: put(c, "not_a_member"); break;
    case FK_TEXT: put(c, "\xff\xfe"); break;   /* not UTF-8 */
    default: break;
    }
  } else if (fi == 0) {   /* the key: unique per row */
    switch (f->kind) {
    case FK_TEXT: put(c, pick(g, 4) ? "K%d" : "K,%d \"x\"", key); break;
    case FK_DATE: put_date(c, DAY_LO + key); vals[fi] = DAY_LO + key; break;
    default:
      put(c, "%d", key + 1);
      vals[fi] = (int64_t)(key + 1) * SCALE;
      break;
    }
  } else if (f->optional && pick(g, 3) == 0) {
    /* empty: unset */
  } else {
    switch (f->kind) {
    case FK_TEXT: {
      static const char *const texts[] = {"plain", "with, comma", "a \"quote\"", "caf\xc3\xa9", "two\nlines", "gold", "", "x y"};
      put(c, "%s", texts[pick(g, f->optional ? 8 : 6)]);
      if (!f->optional && c->n == 0) put(c, "t");
      break;
    }
    case FK_FLAG: {
      static const char *const flags[] = {"1", "0", "yes", "No", "TRUE", "false"};
      put(c, "%s", flags[pick(g, 6)]);
      break;
    }
    case FK_CHOICE: put(c, "c%d_m%u", fi, pick(g, (uint32_t)f->nmembers)); break;
    default: {
      int64_t v;
      if (f->dyn[0] || f->dyn[1]) fits = bounded_value(g, f, vals, &v);
      else v = value_for(g, f, f->kind == FK_NUMBER && pick(g, 5) == 0);
      vals[fi] = v;
      put_value(c, f, v);
      break;
    }
    }
  }
  return fits;
}

/* The exact result of a probe on a and b, in 128 bits (see gen.h). */
static uint8_t probe_eval(int op, int places, int64_t a, int64_t b, int64_t *out) {
  __int128 r = 0;
  __int128 A = a, B = b, S = SCALE;
  switch (op) {
  case 9: case 10: case 11: {   /* floor, ceil, round(_, places) of the exact a / b */
    if (B == 0) return GEN_PROBE_DIVZERO;
    __int128 unit = 1, num = A, den = B;
    for (int k = 0; k < places; k++) num *= 10;
    for (int k = places; k < 6; k++) unit *= 10;
    if (den < 0) { num = -num; den = -den; }
    __int128 q = num / den, rem = num % den;
    if (rem < 0) { q -= 1; rem += den; }   /* q = floor(num / den), 0 <= rem < den */
    if (op == 10 && rem) q += 1;
    if (op == 11) {   /* half away from zero: up from .5 when positive, from above .5 when not */
      if (num >= 0 ? rem * 2 >= den : rem * 2 > den) q += 1;
    }
    r = q * unit;
    break;
  }
  case 0: r = A + B; break;
  case 1: r = A - B; break;
  case 2: case 3: {
    __int128 num = op == 2 ? A * B : A * S, den = op == 2 ? S : B;
    if (den == 0) return GEN_PROBE_DIVZERO;
    if (den < 0) { num = -num; den = -den; }
    __int128 q = num / den, rem = num % den;
    if (rem < 0) { q -= 1; rem += den; }   /* floor division */
    if (rem * 2 > den || (rem * 2 == den && (q & 1))) q += 1;   /* half to even */
    r = q;
    break;
  }
  case 4: case 5: {
    __int128 q = A / S, rem = A % S;
    if (rem < 0) { q -= 1; rem += S; }
    if (op == 5 && rem) q += 1;
    r = q * S;
    break;
  }
  case 6: r = A < 0 ? -A : A; break;
  case 7: r = -A; break;
  case 8: {   /* half away from zero */
    __int128 m = A < 0 ? -A : A;
    __int128 q = (m + S / 2) / S * S;
    r = A < 0 ? -q : q;
    break;
  }
  default: break;
  }
  if (r > DMAX || r < -(__int128)DMAX) return GEN_PROBE_OVERFLOW;
  *out = (int64_t)r;
  return GEN_PROBE_OK;
}

/* Keys of copy c are c * KEY_STRIDE on (dates: days after DAY_LO). */
#define KEY_STRIDE 1000

/* Row r of copy `copy` into b; copy 0 also records, for the oracles,
   whether the row is invalid and each probe's exact value. */
static void gen_row(Gen *g, Buf *b, int r, int copy, const int *order, int ncols) {
  GenOut *res = g->res;
  int64_t vals[CAP(MAX_FIELDS)];
  Buf cell[CAP(MAX_FIELDS)];
  bool invalid = pick(g, 8) == 0;
  int spoil = invalid ? order[pick(g, (uint32_t)ncols)] : -2;
  bool short_row = invalid && (spoil < 0 || pick(g, 6) == 0);
  if (short_row && ncols < 2) { invalid = false; short_row = false; spoil = -2; }
  memset(vals, 0, sizeof vals);
  memset(cell, 0, sizeof cell);
  /* The cells in field order, so that a range naming an earlier field
     finds its value; then written in the columns' order. */
  for (int fi = 0; fi < g->nf; fi++)
    if (g->f[fi].in_csv && !gen_cell(g, &cell[fi], r, r + copy * KEY_STRIDE, fi, fi == spoil && !short_row, vals))
      invalid = true;
  size_t row_start = b->n;
  for (int k = 0; k < ncols; k++) {
    if (short_row && k == ncols - 1) break;
    if (k) put(b, ",");
    if (order[k] == -1) { put(b, "n%d", r); continue; }
    if (order[k] < 0) {   /* a group's column: always valid */
      bool count = g->gkind[(-10 - order[k]) % MAX_GROUP_FIELDS] == FK_COUNT;
      put(b, "%d", count ? range(g, 0, 20) : range(g, -50, 500));
      continue;
    }
    csv_cell(b, cell[order[k]].p);
  }
  for (int fi = 0; fi < g->nf; fi++) free(cell[fi].p);
  /* A blank line is not a record (docs/cli.md): a short row whose cells
     are all empty says so with quotes. */
  if (b->n == row_start) put(b, "\"\"");
  put(b, "\n");
  if (copy) return;
  res->row_invalid[r] = invalid;
  res->ninvalid += invalid;
  for (int p = 0; p < g->nprobe && !invalid; p++)
    res->probes[p].outcome[r] = probe_eval(g->probe_ops[p], g->probe_places[p], vals[g->probe_a[p]],
                                           vals[g->probe_b[p]], &res->probes[p].value[r]);
  res->nrows = r + 1;
}

static void gen_records(Gen *g) {
  GenOut *res = g->res;
  Buf b = {0};
  int order[CAP(MAX_FIELDS) + 1 + MAX_GROUP_MEMBERS * MAX_GROUP_FIELDS], ncols = 0;
  for (int i = 0; i < g->nf; i++) {
    g->f[i].in_csv = !(g->f[i].optional && pick(g, 8) == 0);
    if (g->f[i].in_csv) order[ncols++] = i;
  }
  for (int m = 0; m < g->ngm; m++)
    for (int k = 0; k < g->ngf; k++) order[ncols++] = GROUP_COL(m, k);
  bool extra = pick(g, 5) == 0;
  if (extra) order[ncols++] = -1;
  for (int i = ncols - 1; i > 0; i--) {
    int j = (int)pick(g, (uint32_t)i + 1);
    int t = order[i]; order[i] = order[j]; order[j] = t;
  }
  for (int k = 0; k < ncols; k++) {
    if (k) put(&b, ",");
    if (order[k] == -1) put(&b, "note");
    else if (order[k] < 0) put(&b, "g%d_v%d", (-10 - order[k]) / MAX_GROUP_FIELDS, (-10 - order[k]) % MAX_GROUP_FIELDS);
    else put(&b, "f%d", order[k]);
  }
  put(&b, pick(g, 4) ? "\n" : "\r\n");
  int rows = range(g, 0, g->lim.max_rows < KEY_STRIDE ? g->lim.max_rows : KEY_STRIDE - 1);
  res->row_invalid = calloc((size_t)rows + 1, 1);
  for (int p = 0; p < g->nprobe; p++) {
    res->probes[p].value = calloc((size_t)rows + 1, sizeof(int64_t));
    res->probes[p].outcome = calloc((size_t)rows + 1, 1);
    if (!res->probes[p].value || !res->probes[p].outcome) abort();
  }
  if (!res->row_invalid) abort();
  /* Each copy draws the same decisions, so only its keys differ. */
  size_t header = b.n;
  uint64_t state = g->state;
  for (int copy = 0; copy < GEN_COPIES; copy++) {
    g->state = state;
    if (copy) {
      res->copy[copy - 1] = b.p;
      res->copy_len[copy - 1] = b.n;
      Buf next = {0};
      buf_grow(&next, header);
      memcpy(next.p, b.p, header);
      next.n = header;
      b = next;
    }
    for (int r = 0; r < rows; r++) gen_row(g, &b, r, copy, order, ncols);
  }
  res->copy[GEN_COPIES - 1] = b.p;
  res->copy_len[GEN_COPIES - 1] = b.n;
  res->records = res->copy[0];
  res->records_len = res->copy_len[0];
}

/* ---- the whole program ------------------------------------------------------------------ */

static void generate(Gen *g, GenOut *out) {
  memset(out, 0, sizeof *out);
  g->res = out;
  out->probes = calloc(GEN_MAX_PROBES, sizeof *out->probes);
  if (!out->probes) abort();
  int sc = g->lim.scale;

  if (pick(g, 2)) { W("program \"Generated %u\"\n", pick(g, 1000)); end_decl(g); }
  if (pick(g, 3) == 0) { W("version \"v%u\"\n", pick(g, 9)); end_decl(g); }
  if (pick(g, 3) == 0) { W("currency %s\n", pick(g, 2) ? "USD" : "EUR"); end_decl(g); }
  if (pick(g, 3) == 0) {
    int64_t a = range(g, DAY_LO, DAY_HI - 400);
    W("period ");
    put_date(&g->out, a);
    W(" to ");
    put_date(&g->out, a + range(g, 0, 400));
    W("\n");
    end_decl(g);
    g->period = true;
  }
  g->shapes = pick(g, 2);
  if (g->shapes) { W("import \"shapes\"\n"); end_decl(g); }

  gen_record(g);
  /* Activities joined to the record's one key: aggregates then stand in
     number, money and date expressions. */
  int keys = 0;
  for (int i = 0; i < g->nf; i++) keys += g->f[i].key;
  if (keys == 1 && pick(g, 3) == 0) {
    W("activity {\n  partner text key\n  kind one of (k0, k1, k2)\n  on date\n  amount money optional\n"
      "  n number optional\n}\n");
    end_decl(g);
    g->acts = true;
  }
  gen_params(g);
  gen_levers(g);
  gen_fns(g);

  /* Record-level lets: tracks may use them. */
  int nl = range(g, 0, MAX_LETS * sc);
  for (int i = 0; i < nl; i++) gen_let(g, base_ctx(g, LV_RECORD), false);

  g->ntr = range(g, 0, MAX_TRACKS * sc > CAP(MAX_TRACKS) ? CAP(MAX_TRACKS) : MAX_TRACKS * sc);
  for (int t = 0; t < g->ntr; t++) {
    g->tr[t].own_ladder = pick(g, 3) != 0;
    g->tr[t].ntiers = range(g, 1, MAX_TIERS);
  }
  /* Categories, some owned by tracks; points lets between them. */
  int nc = range(g, 1, MAX_CATS * sc);
  for (int i = 0; i < nc; i++) {
    g->cat[i].track = g->ntr && pick(g, 3) == 0 ? (int)pick(g, (uint32_t)g->ntr) : -1;
    g->ncat = i;
    gen_category(g, i, false);
    g->ncat = i + 1;
    if (pick(g, 3) == 0) gen_let(g, base_ctx(g, LV_SCORE), false);
  }
  /* A probe category, top level, when there are number fields. */
  bool any_num = false;
  for (int f = 0; f < g->nf; f++) any_num |= is_number_field(&g->f[f]);
  if (any_num && pick(g, 4)) {
    int i = g->ncat;
    g->cat[i].track = -1;
    gen_category(g, i, true);
    g->ncat = i + 1;
    out->nprobes = g->nprobe;
  }
  /* Lets over the score, for tiers, badges and payouts. */
  int ns = range(g, 0, 2);
  for (int i = 0; i < ns; i++) gen_let(g, base_ctx(g, LV_SCORE), true);

  bool any_ladder_needed = g->ntr == 0 || pick(g, 2);
  for (int t = 0; t < g->ntr; t++) any_ladder_needed |= !g->tr[t].own_ladder && pick(g, 2);
  if (any_ladder_needed && pick(g, 5)) {
    g->ntoptiers = range(g, 1, MAX_TIERS * sc > 10 ? 10 : MAX_TIERS * sc);
    g->floor_field = pick(g, 4) == 0 ? floor_candidate(g, g->ntoptiers) : -1;
    gen_ladder(g, -1, g->ntoptiers);
    end_decl(g);
  }
  gen_benefits(g);
  int nt = range(g, 0, 2);
  for (int i = 0; i < nt; i++) {
    Ctx c = base_ctx(g, LV_TIER);
    c.nbenefits = g->nben;
    gen_let(g, c, true);
  }
  int badge = 0;
  gen_tracks(g, &badge);
  if (g->ntr >= 2 && pick(g, 4) == 0) {   /* the track a record scores best on */
    W("tracks best score, ties %s\n", pick(g, 2) ? "first" : "last");
    end_decl(g);
  }
  int nb = range(g, 0, MAX_BADGES * sc);
  for (int i = 0; i < nb && badge < CAP(MAX_BADGES); i++) {
    gen_badge(g, badge++, -1);
    end_decl(g);
  }
  g->nbadge = badge;
  gen_payouts(g);
  gen_outputs(g);
  gen_tests(g);

  /* The declarations, shuffled, with a comment now and then. */
  for (int i = g->ndecls - 1; i > 0; i--) {
    int j = (int)pick(g, (uint32_t)i + 1);
    Buf t = g->decls[i]; g->decls[i] = g->decls[j]; g->decls[j] = t;
  }
  Buf prog = {0};
  put(&prog, "# generated by fuzz/gen.c\n");
  for (int i = 0; i < g->ndecls; i++) {
    if (pick(g, 8) == 0) put(&prog, "\n# %d\n", i);
    put(&prog, "%s", g->decls[i].p);
    free(g->decls[i].p);
  }
  free(g->decls);
  out->program = prog.p;
  out->program_len = prog.n;
  /* Records from the seed, whatever drove the program: a fuzzer's bytes
     shape the program, and the program's records follow from them. */
  g->from_bytes = false;
  gen_records(g);
}

void gen_default_limits(GenLimits *lim) {
  lim->max_depth = 4;
  lim->scale = 1;
  lim->max_rows = 40;
}

static void start(Gen *g, const GenLimits *lim) {
  if (lim) g->lim = *lim;
  else gen_default_limits(&g->lim);
  if (g->lim.scale < 1) g->lim.scale = 1;
  if (g->lim.scale > MAX_SCALE) g->lim.scale = MAX_SCALE;
  g->floor_field = -1;
}

void gen_from_seed(uint64_t seed, const GenLimits *lim, GenOut *out) {
  Gen *g = calloc(1, sizeof *g);
  if (!g) abort();
  start(g, lim);
  g->state = seed;
  generate(g, out);
  free(g);
}

void gen_from_bytes(const uint8_t *data, size_t size, const GenLimits *lim, GenOut *out) {
  Gen *g = calloc(1, sizeof *g);
  if (!g) abort();
  start(g, lim);
  g->from_bytes = true;
  g->bytes = data;
  g->nbytes = size;
  /* Records draw from a seed made of the bytes, not from the bytes. */
  g->state = 0x5eed;
  for (size_t i = 0; i < size; i++) g->state = g->state * 31 + data[i];
  generate(g, out);
  free(g);
}

void gen_free(GenOut *out) {
  free(out->program);
  for (int c = 0; c < GEN_COPIES; c++) free(out->copy[c]);
  free(out->row_invalid);
  for (int p = 0; p < GEN_MAX_PROBES && out->probes; p++) {
    free(out->probes[p].value);
    free(out->probes[p].outcome);
  }
  free(out->probes);
  memset(out, 0, sizeof *out);
}

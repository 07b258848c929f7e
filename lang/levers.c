/*
** levers.c — see levers.h.  Runs the interval analysis twice (iv_reach),
** once per set of param values, and lists what differs.  Prints only to
** the stream it is given.
*/
#include "levers.h"

#include <stdlib.h>
#include <string.h>

#include "../runtime/date.h"

static bool same_iv(Iv a, Iv b) {
  return a.has_lo == b.has_lo && a.has_hi == b.has_hi && (!a.has_lo || a.lo == b.lo) &&
         (!a.has_hi || a.hi == b.hi);
}

static void add(LvChanges *c, LvKind kind, const char *name, const char *track, Iv before, Iv after) {
  if (c->n == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 16;
    c->v = realloc(c->v, (size_t)c->cap * sizeof *c->v);
    if (!c->v) abort();
  }
  c->v[c->n++] = (LvChange){(uint8_t)kind, name, track, before, after};
}

static void ranges(LvChanges *c, LvKind kind, const SymVec *syms, const Iv *a, const Iv *b) {
  for (int i = 0; i < syms->n; i++)
    if (!same_iv(a[i], b[i])) add(c, kind, syms->v[i]->name, NULL, a[i], b[i]);
}

/* The highest score any track reaches (unbounded above when one is). */
static Iv max_score(const IvReach *r) {
  Iv m = {false, false, 0, 0, 0};
  for (int t = 0; t < r->ntracks; t++) {
    if (!r->scores[t].has_hi) return (Iv){false, false, 0, 0, 0};
    if (!m.has_hi || r->scores[t].hi > m.hi) m = (Iv){false, true, 0, r->scores[t].hi, 0};
  }
  return m;
}

int lv_compare(Checker *ck, const int64_t *base, const int64_t *next, LvChanges *out) {
  int before = out->n;
  IvReach a, b;
  iv_reach(ck, base, &a);
  iv_reach(ck, next, &b);
  ranges(out, LV_POINTS, &ck->points, a.points, b.points);
  ranges(out, LV_CATEGORY, &ck->categories, a.categories, b.categories);
  for (int t = 0; t < a.ntracks; t++)
    if (!same_iv(a.scores[t], b.scores[t]))
      add(out, LV_SCORE, NULL, ck->tracks.n ? ck->tracks.v[t]->name : NULL, a.scores[t], b.scores[t]);
  Iv ma = max_score(&a), mb = max_score(&b);
  if (!same_iv(ma, mb)) add(out, LV_MAX_SCORE, NULL, NULL, ma, mb);
  ranges(out, LV_PAYOUT, &ck->payouts, a.payouts, b.payouts);
  int nt = ck->tiers.n;
  for (int t = 0; t < a.ntracks; t++)
    for (int i = 0; i < nt; i++) {
      uint8_t x = a.tiers[t * nt + i], y = b.tiers[t * nt + i];
      if (x == y || x == 2 || y == 2) continue;
      const Sym *tier = ck->tiers.v[i];
      Iv reach_a = {true, true, x, x, 0}, reach_b = {true, true, y, y, 0};
      add(out, LV_TIER, tier->shortname, ck->tracks.n ? ck->tracks.v[t]->name : NULL, reach_a, reach_b);
    }
  iv_reach_free(&a);
  iv_reach_free(&b);
  return out->n - before;
}

static void bound_text(const Iv *v, bool hi, bool money, FILE *out) {
  if (hi ? !v->has_hi : !v->has_lo) { fputs("unbounded", out); return; }
  char buf[DEC_FMT_MAX];
  dec_format(hi ? v->hi : v->lo, buf);
  fprintf(out, "%s%s", money ? "$" : "", buf);
}

static void range_text(const Iv *v, bool money, FILE *out) {
  bound_text(v, false, money, out);
  fputs(" .. ", out);
  bound_text(v, true, money, out);
}

void lv_print(const LvChanges *c, const char *indent, FILE *out) {
  static const char *const what[] = {[LV_POINTS] = "points", [LV_CATEGORY] = "category",
                                     [LV_PAYOUT] = "payout"};
  for (int i = 0; i < c->n; i++) {
    const LvChange *x = &c->v[i];
    fputs(indent, out);
    switch ((LvKind)x->kind) {
    case LV_TIER:
      fprintf(out, "tier %s%s%s becomes %s", x->name, x->track ? " on track " : "", x->track ? x->track : "",
              x->after.lo ? "reachable" : "unreachable");
      break;
    case LV_MAX_SCORE:
      fputs("maximum score: ", out);
      bound_text(&x->before, true, false, out);
      fputs(" -> ", out);
      bound_text(&x->after, true, false, out);
      break;
    case LV_SCORE:
      if (x->track) fprintf(out, "track %s: ", x->track);
      fputs("score ", out);
      range_text(&x->before, false, out);
      fputs(" -> ", out);
      range_text(&x->after, false, out);
      break;
    default:
      fprintf(out, "%s %s: ", what[x->kind], x->name);
      range_text(&x->before, x->kind == LV_PAYOUT, out);
      fputs(" -> ", out);
      range_text(&x->after, x->kind == LV_PAYOUT, out);
      break;
    }
    putc('\n', out);
  }
}

static void value_text(uint8_t type, int64_t v, FILE *out) {
  char buf[DEC_FMT_MAX + DATE_TEXT_LEN];
  if (type == VT_DATE) date_format(v, buf);
  else if (type == VT_FLAG) strcpy(buf, v ? "yes" : "no");
  else dec_format(v, buf);
  fprintf(out, "%s%s", type == VT_MONEY ? "$" : "", buf);
}

int lv_print_settings(const Checker *ck, const int64_t *base, const int64_t *next, FILE *out) {
  if (!base) base = ck->pvalues;
  if (!next) next = ck->pvalues;
  int n = 0;
  for (int i = 0; i < ck->params.n; i++) {
    const ParamInfo *pi = &ck->pinfo[i];
    for (int k = 0; k < pi->count; k++) {
      int at = pi->base + k;
      if (base[at] == next[at]) continue;
      fputs(n++ ? ", " : "", out);
      fputs(pi->name, out);
      if (pi->keyfield >= 0) {
        const Node *m = ck->fields.v[pi->keyfield]->mnode[k];
        fprintf(out, ".%.*s", m ? m->tok.n : 1, m ? m->tok.p : "?");
      }
      fputs(" = ", out);
      value_text(pi->type, next[at], out);
      fputs(" (was ", out);
      value_text(pi->type, base[at], out);
      putc(')', out);
    }
  }
  if (!n) fputs("(nothing set)", out);
  return n;
}

void lv_free(LvChanges *c) {
  free(c->v);
  memset(c, 0, sizeof *c);
}

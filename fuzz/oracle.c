/*
** oracle.c — see oracle.h.  For one generated program and its records:
**
**   compiles   the program compiles, with no error (warnings are fine);
**   fmt        formatting is idempotent, writes no line over 100 columns and
**              none ending in a blank, and the formatted program compiles
**              to the same plain code;
**   bytecode   bc_write then bc_read gives a program that scores every
**              record exactly as the compiled one (and so does the
**              formatted one), plain and traced alike;
**   records    every row the generator wrote is read once: rows it made
**              invalid are rejected by validation, the others pass it;
**   numbers    no scored record carries a number that overflowed: each
**              probe (gen.h) equals its exact 128-bit value, or the record
**              is rejected when that value does not fit or divides by 0;
**              points lie within their caps; each category total is the
**              capped sum of its points and the score the capped sum of
**              the track's categories, recomputed in 128 bits;
**   stream     stream_eval over the GEN_COPIES files (the same rows, each
**              with its own keys) gives the same bytes with 1 and 3
**              threads, the rows the direct loop gives for each file, and
**              counts that add up to the rows the generator wrote;
**   sweep      a sweep over the first params (each at its own value, 0
**              and another) counts in each scenario exactly what
**              stream_eval counts with those values, tiers and payout
**              totals included, with the same messages on 1 and 3
**              threads: what a scenario keeps from the one before
**              (vm_eval_again) never changes a result.
**   compare    cmp_score over the same files counts what stream_eval
**              counts (records, placements, payout totals); a scheme
**              compared with itself moves nothing; with every param
**              changed (perturb), compare(A, B) and compare(B, A) are each
**              other's mirror: the same movers with steps and score
**              changes negated, each matrix transposed, tier counts,
**              payout totals, benefit and output gains and losses and
**              quartiles swapped.
** Each property compares rubric with something it did not compute itself:
** the generator's own counts and values, another path through the
** library, or an independent recomputation.
*/
#include "oracle.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../api/compare.h"
#include "../lang/compile.h"
#include "../lang/format.h"
#include "../runtime/bytecode.h"
#include "../runtime/date.h"
#include "../runtime/stream.h"
#include "../runtime/sweep.h"
#include "../runtime/vm.h"
#include "../runtime/writers.h"

static bool fail(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(char *why, size_t n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, n, fmt, ap);
  va_end(ap);
  return false;
}

/* The first error, as "line:col: message". */
static void first_error(const DiagList *dl, char *buf, size_t n) {
  snprintf(buf, n, "(no diagnostic)");
  for (const Diag *d = dl->head; d; d = d->next)
    if (d->sev == DIAG_ERROR) {
      snprintf(buf, n, "%d:%d: %s %s", d->line, d->col, diag_code_name(d->code), d->msg);
      return;
    }
}

static bool compile_text(const char *text, size_t len, Program *p, char *err, size_t n) {
  Ast ast;
  DiagList dl;
  diag_init(&dl);
  bool ok = front_compile_text("generated.rubric", text, len, &ast, &dl, p);
  if (!ok) first_error(&dl, err, n);
  else if (dl.errors) { first_error(&dl, err, n); program_free(p); ok = false; }
  ast_free(&ast);
  diag_free(&dl);
  return ok;
}

/* What scoring each record gave, one line per record (the writer's CSV
   row, or why it was rejected), and the counts. */
typedef struct Digest {
  char *text;
  size_t len;
  long rows, scored, unassigned, rejected;
  long tolerated;          /* failures of known bugs let through */
  long probes;             /* probe values compared */
} Digest;

static bool in_range(__int128 v) { return v <= INT64_MAX && v >= -(__int128)INT64_MAX; }

static __int128 capped(__int128 v, bool has_lo, int64_t lo, bool has_hi, int64_t hi) {
  if (has_lo && v < lo) v = lo;
  if (has_hi && v > hi) v = hi;
  return v;
}

/* The number oracles on one record vm scored (see the file's comment). */
static bool check_numbers(const GenOut *g, const Program *p, const VmCtx *vm, long row, long *probes,
                          char *why, size_t n) {
  for (int k = 0; k < g->nprobes; k++) {
    const GenProbe *pr = &g->probes[k];
    int s = -1;
    for (int i = 0; i < p->npoints && s < 0; i++)
      if (strcmp(p->slots[i].name, pr->name) == 0) s = i;
    if (s < 0) return fail(why, n, "probe %s is not a slot", pr->name);
    if (!vm_computed(vm, s)) continue;
    if (pr->outcome[row] != GEN_PROBE_OK)
      return fail(why, n, "row %ld: %s %s, yet scored as %lld", row + 1, pr->name,
                  pr->outcome[row] == GEN_PROBE_OVERFLOW ? "overflows" : "divides by zero",
                  (long long)vm->slots[s].n);
    ++*probes;
    if (vm->slots[s].n != pr->value[row])
      return fail(why, n, "row %ld: %s is %lld, exactly %lld", row + 1, pr->name,
                  (long long)vm->slots[s].n, (long long)pr->value[row]);
  }
  for (int s = 0; s < p->npoints; s++) {
    const SlotInfo *si = &p->slots[s];
    if (!vm_computed(vm, s) || value_is_unset(vm->slots[s])) continue;   /* optional points: no value to cap */
    /* A cap's end may be a param: its value in this run, for this record. */
    Dec lo = vm_bound(vm, si->lo, si->lo_param), hi = vm_bound(vm, si->hi, si->hi_param);
    if ((si->has_lo && vm->slots[s].n < lo) || (si->has_hi && vm->slots[s].n > hi))
      return fail(why, n, "row %ld: %s = %lld is outside its cap", row + 1, si->name,
                  (long long)vm->slots[s].n);
  }
  for (int c = p->npoints; c < p->npoints + p->ncategories; c++) {
    if (!vm_computed(vm, c)) continue;
    __int128 sum = 0;
    for (int s = 0; s < p->npoints; s++)
      if (p->slots[s].category == c) {
        if (!vm_computed(vm, s)) return fail(why, n, "row %ld: %s computed without its points", row + 1, p->slots[c].name);
        if (!value_is_unset(vm->slots[s])) sum += vm->slots[s].n;   /* unset adds nothing */
      }
    const SlotInfo *ci = &p->slots[c];
    if (!in_range(sum))
      return fail(why, n, "row %ld: %s overflows, yet scored", row + 1, ci->name);
    if (vm->slots[c].n != (int64_t)capped(sum, ci->has_lo, vm_bound(vm, ci->lo, ci->lo_param), ci->has_hi,
                                          vm_bound(vm, ci->hi, ci->hi_param)))
      return fail(why, n, "row %ld: %s = %lld is not the capped sum of its points", row + 1, ci->name,
                  (long long)vm->slots[c].n);
  }
  if (vm->track >= 0 && vm_computed(vm, p->score_slot)) {
    const TrackInfo *t = &p->tracks[vm->track];
    __int128 sum = 0;
    for (int i = 0; i < t->ncats; i++) sum += vm->slots[t->cats[i]].n;
    if (!in_range(sum)) return fail(why, n, "row %ld: the score overflows, yet scored", row + 1);
    if (vm->slots[p->score_slot].n != (int64_t)capped(sum, t->has_lo, vm_bound(vm, t->lo, t->lo_param),
                                                      t->has_hi, vm_bound(vm, t->hi, t->hi_param)))
      return fail(why, n, "row %ld: score %lld is not the capped sum of the track's categories", row + 1,
                  (long long)vm->slots[p->score_slot].n);
  }
  return true;
}

/* Scores copy `copy` of the generated records with p, directly (reader,
   validator, VM), plain and traced.  With `checks`, also the record and
   number oracles (their values are copy 0's). */
static bool score_direct(const GenOut *g, int copy, const Program *p, Digest *d, bool checks,
                         unsigned tolerate, char *why, size_t n) {
  memset(d, 0, sizeof *d);
  FILE *in = fmemopen((void *)g->copy[copy], g->copy_len[copy], "rb");
  FILE *out = open_memstream(&d->text, &d->len);
  if (!in || !out) abort();
  CsvReader r;
  csv_open(&r, in, "generated.csv");
  RowMap map = {0};
  char msg[512], whyr[REC_WHY_MAX];
  Value *vals = calloc((size_t)p->nfields + 1, sizeof *vals);
  uint8_t *set = calloc((size_t)p->nfields + 1, 1);
  Row row = {vals, set, NULL};
  VmCtx vm, tr;
  Writer w;
  bool ok = true;
  if (!vals || !set || !vm_init(&vm, p) || !vm_init(&tr, p)) abort();
  tr.tracing = true;
  if (!out_begin(&w, p, OUT_CSV, out, NULL, msg, sizeof msg)) abort();
  if (!csv_next(&r) || !rec_map_header(p, &r, &map, msg, sizeof msg)) {
    ok = fail(why, n, "the generated header is refused: %s", msg);
    goto done;
  }
  while (ok && csv_next(&r)) {
    long i = d->rows++;
    if (i >= g->nrows) { ok = fail(why, n, "more records read (%ld) than written (%d)", i + 1, g->nrows); break; }
    int field;
    whyr[0] = '\0';
    bool valid = rec_validate(p, &r, &map, &row, &field, whyr);
    if (checks && valid == (bool)g->row_invalid[i]) {
      ok = fail(why, n, "row %ld: written %s, but %s%s", i + 1, g->row_invalid[i] ? "invalid" : "valid",
                valid ? "accepted" : "rejected: ", valid ? "" : whyr);
      break;
    }
    if (!valid) {
      if (!whyr[0]) { ok = fail(why, n, "row %ld rejected without a reason", i + 1); break; }
      fprintf(out, "rejected %d %s\n", field, whyr);
      d->rejected++;
      continue;
    }
    VmStatus st = vm_eval(&vm, &row);
    VmStatus st2 = vm_eval(&tr, &row);
    if (st2 != VM_OK && st != st2 && (tolerate & ORC_KNOWN_TRACED_LADDER)) {
      d->tolerated++;
    } else if (st != st2 || vm.track != tr.track || vm.tier != tr.tier) {
      ok = fail(why, n, "row %ld: traced code gives status %d track %d tier %d, plain %d %d %d", i + 1,
                st2, tr.track, tr.tier, st, vm.track, vm.tier);
      break;
    }
    for (int s = 0; st == VM_OK && st2 == VM_OK && s < p->nslots; s++)
      /* The traced ladder tries every tier, so it may compute more. */
      if (vm_computed(&vm, s) && (!vm_computed(&tr, s) || vm.slots[s].n != tr.slots[s].n)) {
        ok = fail(why, n, "row %ld: traced code gives %s another value", i + 1, p->slots[s].name);
        break;
      }
    if (!ok) break;
    if (st != VM_OK) {
      fprintf(out, "error %s\n", vm_status_text(st));
      d->rejected++;
      continue;
    }
    if (checks && !check_numbers(g, p, &vm, i, &d->probes, why, n)) { ok = false; break; }
    out_row(&w, &row, &vm);
    if (vm.track < 0) d->unassigned++;
    else d->scored++;
  }
  if (ok && d->rows != g->nrows) ok = fail(why, n, "%ld records read, %d written", d->rows, g->nrows);
done:
  out_end(&w);
  fclose(out);
  rec_map_free(&map);
  csv_close(&r);
  fclose(in);
  vm_free(&vm);
  vm_free(&tr);
  free(vals);
  free(set);
  return ok;
}

typedef struct StreamRun {
  char *out, *err;
  size_t out_len, err_len;
  Tally tally;
} StreamRun;

static void stream_run(const Program *p, const char *const *paths, int jobs, StreamRun *s) {
  memset(s, 0, sizeof *s);
  FILE *out = open_memstream(&s->out, &s->out_len), *err = open_memstream(&s->err, &s->err_len);
  if (!out || !err || !tally_init(&s->tally, p)) abort();
  Writer w;
  char why[256];
  if (!out_begin(&w, p, OUT_CSV, out, NULL, why, sizeof why)) abort();
  stream_eval("prop", p, &w, p->param_values, paths, GEN_COPIES, jobs, err, &s->tally);
  out_end(&w);
  fclose(out);
  fclose(err);
}

static void stream_free(StreamRun *s) {
  free(s->out);
  free(s->err);
  tally_free(&s->tally);
}

/* A digest's result rows, without its rejection lines (a result row may
   hold quoted line breaks; a rejection line never starts with a quote). */
static size_t result_rows(const Digest *d, size_t from, char *rows) {
  size_t nr = 0;
  const char *s = d->text + from, *end = d->text + d->len;
  while (s < end) {
    const char *e = s;
    bool q = false;
    while (e < end && (q || *e != '\n')) { if (*e == '"') q = !q; e++; }
    if (e < end) e++;
    bool reject = (e - s >= 9 && memcmp(s, "rejected ", 9) == 0) || (e - s >= 6 && memcmp(s, "error ", 6) == 0);
    if (!reject) { memcpy(rows + nr, s, (size_t)(e - s)); nr += (size_t)(e - s); }
    s = e;
  }
  return nr;
}

/* The params a sweep oracle sweeps, at most, and their values each. */
enum { SWEEP_AXES = 2 };

/* Adds to sw an axis for the i-th param (its first key when keyed): its
   own value, 0 (a division by it fails) and another, as text. */
static bool sweep_axis_of(Sweep *sw, const Program *p, int i, char *why, size_t n) {
  const ParamInfo *pi = &p->params[i];
  char set[512], a[64], b[64];
  int len = pi->keyfield >= 0 ? snprintf(set, sizeof set, "%s.%s=", pi->name, p->fields[pi->keyfield].members[0])
                              : snprintf(set, sizeof set, "%s=", pi->name);
  int64_t v = p->param_values[pi->base];
  switch ((ValueType)pi->type) {
  case VT_NUMBER: case VT_MONEY: {
    Dec other;
    if (dec_add(v, 7 * DEC_SCALE, &other) != DEC_OK) other = v / 2;
    dec_format(v, a);
    dec_format(other, b);
    snprintf(set + len, sizeof set - (size_t)len, "%s,0,%s", a, b);
    break;
  }
  case VT_DATE: {
    int64_t later;
    if (!date_add_days(v, 40, &later)) later = v - 40;
    date_format(v, a);
    date_format(later, b);
    snprintf(set + len, sizeof set - (size_t)len, "%s,%s", a, b);
    break;
  }
  case VT_FLAG: snprintf(set + len, sizeof set - (size_t)len, "yes,no"); break;
  default: return true;
  }
  char reason[256];
  if (sweep_axis(sw, set, 1000, reason, sizeof reason)) return true;
  return fail(why, n, "sweep refuses --set %s: %s", set, reason);
}

static bool same_tally(const Tally *a, const Tally *b, const Program *p) {
  if (a->read != b->read || a->scored != b->scored || a->unassigned != b->unassigned || a->rejected != b->rejected)
    return false;
  size_t np = (size_t)(p->ntracks ? p->ntracks : 1) * ((size_t)p->ntiers + 1);
  for (size_t i = 0; i < np; i++)
    if (a->placed[i] != b->placed[i]) return false;
  for (int i = 0; i < p->npayouts; i++)
    if (a->payout_totals[i] != b->payout_totals[i]) return false;
  return true;
}

/* The sweep oracle: each scenario's counts are stream_eval's with its
   values, on 1 thread and 3, with the same messages. */
static bool check_sweep(const Program *p, const char *const *paths, char *why, size_t n) {
  Sweep one, three;
  sweep_init(&one, p);
  sweep_init(&three, p);
  bool ok = true;
  for (int i = 0; ok && i < p->nparams && one.naxes < SWEEP_AXES; i++)
    ok = sweep_axis_of(&one, p, i, why, n) && sweep_axis_of(&three, p, i, why, n);
  char reason[256];
  if (ok && one.naxes && (!sweep_plan(&one, 1000, reason, sizeof reason) ||
                          !sweep_plan(&three, 1000, reason, sizeof reason)))
    ok = fail(why, n, "sweep_plan refuses: %s", reason);
  if (ok && one.naxes) {
    char *m1 = NULL, *m3 = NULL;
    size_t l1 = 0, l3 = 0;
    FILE *e1 = open_memstream(&m1, &l1), *e3 = open_memstream(&m3, &l3);
    if (!e1 || !e3) abort();
    sweep_run(&one, "prop", paths, GEN_COPIES, 1, e1);
    sweep_run(&three, "prop", paths, GEN_COPIES, 3, e3);
    fclose(e1);
    fclose(e3);
    if (l1 != l3 || memcmp(m1, m3, l1) != 0) ok = fail(why, n, "sweep -j 3 writes other messages than -j 1");
    free(m1);
    free(m3);
    int64_t *params = malloc(((size_t)p->nparam_values + 1) * sizeof *params);
    if (!params) abort();
    for (long sc = 0; ok && sc < one.nscenarios; sc++) {
      memcpy(params, p->param_values, (size_t)p->nparam_values * sizeof *params);
      for (int a = 0; a < one.naxes; a++) params[one.axes[a].index] = one.grid[sc * one.naxes + a];
      char *out = NULL, *err = NULL;
      size_t out_len = 0, err_len = 0;
      FILE *fo = open_memstream(&out, &out_len), *fe = open_memstream(&err, &err_len);
      Tally t;
      Writer w;
      if (!fo || !fe || !tally_init(&t, p) || !out_begin(&w, p, OUT_CSV, fo, NULL, reason, sizeof reason)) abort();
      stream_eval("prop", p, &w, params, paths, GEN_COPIES, 1, fe, &t);
      out_end(&w);
      fclose(fo);
      fclose(fe);
      if (!same_tally(&one.tallies[sc], &t, p))
        ok = fail(why, n, "sweep scenario %ld counts other than eval with its values (scored/unassigned/rejected "
                  "%ld/%ld/%ld and %ld/%ld/%ld, or the tiers or payout totals)", sc + 1, one.tallies[sc].scored,
                  one.tallies[sc].unassigned, one.tallies[sc].rejected, t.scored, t.unassigned, t.rejected);
      else if (!same_tally(&three.tallies[sc], &t, p))
        ok = fail(why, n, "sweep -j 3 counts scenario %ld differently from -j 1", sc + 1);
      tally_free(&t);
      free(out);
      free(err);
    }
    free(params);
  }
  sweep_free(&one);
  sweep_free(&three);
  return ok;
}

/* ---- the compare oracle ---- */

/* Every param value changed, deterministically from salt: numbers and
   money doubled, raised by one, negated or zeroed; flags flipped; dates a
   month later.  Text and choices stay. */
static void perturb(const Program *p, int64_t *v, unsigned salt) {
  for (int i = 0; i < p->nparams; i++) {
    const ParamInfo *pi = &p->params[i];
    for (int k = 0; k < pi->count; k++) {
      int64_t *x = &v[pi->base + k];
      unsigned way = (salt + (unsigned)(pi->base + k)) % 4;
      switch ((ValueType)pi->type) {
      case VT_NUMBER: case VT_MONEY:
        if (way == 0 && *x <= DEC_MAX / 2 && *x >= DEC_MIN / 2) *x *= 2;
        else if (way == 1 && *x <= DEC_MAX - DEC_SCALE) *x += DEC_SCALE;
        else if (way == 2) *x = -*x;
        else *x = 0;
        break;
      case VT_FLAG: *x = !*x; break;
      case VT_DATE: *x += 31; break;
      default: break;
      }
    }
  }
}

static bool same_text(const char *a, const char *b) { return a == b || (a && b && strcmp(a, b) == 0); }

static int find_track(const CmpResult *r, const char *name) {
  for (int k = 0; k < r->ntracks; k++)
    if (same_text(r->tracks[k].name, name)) return k;
  return -1;
}

static int find_name(const char *const *names, int n, const char *name) {
  for (int i = 0; i < n; i++)
    if (same_text(names[i], name)) return i;
  return -1;
}

/* A table's counts, placements and payout totals are the stream's. */
static bool same_as_stream(const CmpTable *t, const Tally *y, char *why, size_t n) {
  const Program *p = t->p;
  if (t->read != y->read || t->scored != y->scored || t->unassigned != y->unassigned || t->rejected != y->rejected)
    return fail(why, n, "compare read/scored/unassigned/rejected %ld/%ld/%ld/%ld, the stream %ld/%ld/%ld/%ld",
                t->read, t->scored, t->unassigned, t->rejected, y->read, y->scored, y->unassigned, y->rejected);
  long *placed = calloc((size_t)p->ntracks * ((size_t)p->ntiers + 1) + 1, sizeof *placed);
  DecSum *paid = calloc((size_t)p->npayouts + 1, sizeof *paid);
  if (!placed || !paid) abort();
  for (long i = 0; i < t->n; i++) {
    const CmpRec *r = &t->recs[i];
    if (r->state != CMP_SCORED) continue;
    placed[(size_t)r->track * ((size_t)p->ntiers + 1) + (size_t)(r->tier < 0 ? p->ntiers : r->tier)]++;
    for (int k = 0; k < p->npayouts; k++) paid[k] += cmp_payout(t, i, k);
  }
  bool ok = true;
  for (int k = 0; ok && k < p->ntracks; k++)
    for (int tier = 0; ok && tier <= p->ntiers; tier++)
      if (placed[(size_t)k * ((size_t)p->ntiers + 1) + (size_t)tier] != tally_placed(y, p, k, tier))
        ok = fail(why, n, "compare places %ld records in track %d tier %d, the stream %ld",
                  placed[(size_t)k * ((size_t)p->ntiers + 1) + (size_t)tier], k, tier, tally_placed(y, p, k, tier));
  for (int k = 0; ok && k < p->npayouts; k++)
    if (paid[k] != y->payout_totals[k]) ok = fail(why, n, "compare's total of payout %d is not the stream's", k);
  free(placed);
  free(paid);
  return ok;
}

/* r compares a scheme with itself: nothing moved. */
static bool moves_nothing(const CmpResult *r, char *why, size_t n) {
  if (r->changed || r->nmovers || r->ndiffer || r->nbenefits || r->noutputs)
    return fail(why, n, "compare X X: %ld changed, %ld movers, %ld rejected by one, %d benefits, %d outputs",
                r->changed, r->nmovers, r->ndiffer, r->nbenefits, r->noutputs);
  for (int k = 0; k < r->ntracks; k++) {
    const CmpTrack *tr = &r->tracks[k];
    for (int i = 0; i < tr->ntiers; i++) {
      if (tr->count[0][i] != tr->count[1][i]) return fail(why, n, "compare X X: tier counts differ");
      for (int j = 0; j < tr->ntiers; j++)
        if (i != j && tr->matrix[i * tr->ntiers + j]) return fail(why, n, "compare X X: the matrix is not diagonal");
    }
  }
  for (int k = 0; k < r->npayouts; k++)
    if (r->payouts[k].total[0] != r->payouts[k].total[1]) return fail(why, n, "compare X X: a payout total changes");
  return true;
}

static bool same_spread(const CmpSpread *a, const CmpSpread *b) {
  return a->n == b->n && a->min == b->min && a->q1 == b->q1 && a->median == b->median && a->q3 == b->q3 &&
         a->max == b->max;
}

/* s compares B with A, r A with B: s is r's mirror. */
static bool mirrors(const CmpResult *r, const CmpResult *s, char *why, size_t n) {
  if (r->changed != s->changed || r->nmovers != s->nmovers || r->ndiffer != s->ndiffer ||
      r->both_rejected != s->both_rejected || r->ntracks != s->ntracks || r->nbenefits != s->nbenefits ||
      r->noutputs != s->noutputs)
    return fail(why, n, "compare B A counts other changes than compare A B (%ld/%ld changed, %ld/%ld movers)",
                r->changed, s->changed, r->nmovers, s->nmovers);
  for (long i = 0; i < r->nmovers; i++) {
    const CmpMover *m = &r->movers[i], *w = NULL;
    for (long j = 0; j < s->nmovers && !w; j++)
      if (s->movers[j].rec[0] == m->rec[1] && s->movers[j].rec[1] == m->rec[0]) w = &s->movers[j];
    if (!w) return fail(why, n, "mover %s of compare A B is not one of compare B A", m->key);
    if (w->steps != -m->steps || w->change != -m->change || w->ncats != m->ncats)
      return fail(why, n, "mover %s: steps %d, %d; the changes do not negate", m->key, m->steps, w->steps);
    for (int c = 0; c < m->ncats; c++)
      if (!same_text(w->cats[c].name, m->cats[c].name) || w->cats[c].change != -m->cats[c].change)
        return fail(why, n, "mover %s: category %s does not move back", m->key, m->cats[c].name);
  }
  for (int k = 0; k < r->ntracks; k++) {
    const CmpTrack *a = &r->tracks[k];
    int kb = find_track(s, a->name);
    if (kb < 0) return fail(why, n, "track %s is in one comparison only", a->name ? a->name : "(implicit)");
    const CmpTrack *b = &s->tracks[kb];
    if (a->ntiers != b->ntiers) return fail(why, n, "the merged ladders differ in length");
    if (!same_spread(&a->spread[0], &b->spread[1]) || !same_spread(&a->spread[1], &b->spread[0]))
      return fail(why, n, "the quartiles are not swapped");
    for (int i = 0; i < a->ntiers; i++) {
      int bi = find_name(b->tiers, b->ntiers, a->tiers[i]);
      if (bi < 0) return fail(why, n, "tier %s is in one ladder only", a->tiers[i] ? a->tiers[i] : "(none)");
      if (a->count[0][i] != b->count[1][bi] || a->count[1][i] != b->count[0][bi])
        return fail(why, n, "the tier counts of %s are not swapped", a->tiers[i] ? a->tiers[i] : "(none)");
      for (int j = 0; j < a->ntiers; j++) {
        int bj = find_name(b->tiers, b->ntiers, a->tiers[j]);
        if (a->matrix[i * a->ntiers + j] != b->matrix[bj * b->ntiers + bi])
          return fail(why, n, "the migration matrix is not transposed");
      }
    }
  }
  /* The last track name is "no track", NULL like a program's implicit track. */
  int last = r->ntrack_names - 1, slast = s->ntrack_names - 1;
  for (int i = 0; i < r->ntrack_names; i++)
    for (int j = 0; j < r->ntrack_names; j++) {
      int bi = i == last ? slast : find_name(s->track_names, slast, r->track_names[i]);
      int bj = j == last ? slast : find_name(s->track_names, slast, r->track_names[j]);
      if (bi < 0 || bj < 0 || r->track_matrix[i * r->ntrack_names + j] != s->track_matrix[bj * s->ntrack_names + bi])
        return fail(why, n, "the track matrix is not transposed");
    }
  for (int k = 0; k < r->npayouts; k++)
    if (r->payouts[k].total[0] != s->payouts[k].total[1] || r->payouts[k].total[1] != s->payouts[k].total[0])
      return fail(why, n, "payout %s: the totals are not swapped", r->payouts[k].name);
  for (int o = 0; o < 2; o++) {   /* benefits, then outputs */
    const CmpBenefit *ra = o ? r->outputs : r->benefits, *sa = o ? s->outputs : s->benefits;
    int rn = o ? r->noutputs : r->nbenefits, sn = o ? s->noutputs : s->nbenefits;
    for (int k = 0; k < rn; k++) {
      const CmpBenefit *a = &ra[k], *b = NULL;
      for (int j = 0; j < sn && !b; j++)
        if (same_text(sa[j].name, a->name)) b = &sa[j];
      if (!b || a->gained != b->lost || a->lost != b->gained || a->changed != b->changed ||
          a->recipients[0] != b->recipients[1] || a->recipients[1] != b->recipients[0])
        return fail(why, n, "%s %s: gains and losses are not swapped", o ? "output" : "benefit", a->name);
    }
  }
  return true;
}

/* The compare oracle, over the files stream_eval read (its tally y). */
static bool check_compare(const GenOut *g, const Program *p, const char *const *paths, int npaths, const Tally *y,
                          char *why, size_t n) {
  int64_t *moved = malloc((size_t)p->nparam_values * sizeof *moved + 1);
  if (!moved) abort();
  memcpy(moved, p->param_values, (size_t)p->nparam_values * sizeof *moved);
  perturb(p, moved, (unsigned)g->program_len);
  FILE *quiet = fopen("/dev/null", "w");
  if (!quiet) abort();
  CmpTable a, b;
  bool ok = cmp_score(&a, p, p->param_values, paths, npaths, "prop", quiet);
  ok = cmp_score(&b, p, moved, paths, npaths, "prop", quiet) && ok;
  fclose(quiet);
  if (!ok) ok = fail(why, n, "compare cannot read the records the stream read");
  if (ok) ok = same_as_stream(&a, y, why, n);
  CmpResult same, ab, ba;
  if (ok) {
    cmp_compare(&a, &a, &same);
    ok = moves_nothing(&same, why, n);
    cmp_result_free(&same);
  }
  if (ok) {
    cmp_compare(&a, &b, &ab);
    cmp_compare(&b, &a, &ba);
    ok = mirrors(&ab, &ba, why, n);
    cmp_result_free(&ab);
    cmp_result_free(&ba);
  }
  cmp_table_free(&a);
  cmp_table_free(&b);
  free(moved);
  return ok;
}

/* The stream oracle: -j 1 = -j 3 over every copy of the records, and both
   give the rows and counts the direct loop gives for each copy. */
static bool check_stream(const GenOut *g, const Program *p, unsigned tolerate, const char *dir, char *why,
                         size_t n) {
  char path[GEN_COPIES][4096];
  const char *paths[GEN_COPIES];
  bool ok = true;
  int written = 0;
  for (int c = 0; c < GEN_COPIES && ok; c++) {
    snprintf(path[c], sizeof path[c], "%s/prop-%ld-%d.csv", dir, (long)getpid(), c);
    paths[c] = path[c];
    FILE *f = fopen(path[c], "wb");
    if (f) written++;
    if (!f || fwrite(g->copy[c], 1, g->copy_len[c], f) != g->copy_len[c] || fclose(f) != 0)
      ok = fail(why, n, "cannot write %s", path[c]);
  }
  /* What the direct loop gives, copy by copy. */
  Digest want = {0};
  char *rows = NULL;
  size_t nrows = 0, header = 0;
  for (int c = 0; c < GEN_COPIES && ok; c++) {
    Digest d;
    ok = score_direct(g, c, p, &d, false, tolerate, why, n);
    if (ok) {
      header = 0;
      while (header < d.len && d.text[header] != '\n') header++;
      header++;
      if (!rows) {
        rows = malloc(d.len * GEN_COPIES + 1);
        if (!rows) abort();
        memcpy(rows, d.text, header);
        nrows = header;
      }
      rows = realloc(rows, nrows + d.len + 1);
      if (!rows) abort();
      nrows += result_rows(&d, header, rows + nrows);
      want.rows += d.rows;
      want.scored += d.scored;
      want.unassigned += d.unassigned;
      want.rejected += d.rejected;
    }
    free(d.text);
  }
  if (ok) {
    StreamRun one, three;
    stream_run(p, paths, 1, &one);
    stream_run(p, paths, 3, &three);
    long read = (long)g->nrows * GEN_COPIES;
    const Tally *t = &one.tally;
    if (one.out_len != three.out_len || memcmp(one.out, three.out, one.out_len) != 0)
      ok = fail(why, n, "eval -j 3 writes other results than -j 1");
    else if (one.err_len != three.err_len || memcmp(one.err, three.err, one.err_len) != 0)
      ok = fail(why, n, "eval -j 3 writes other messages than -j 1");
    else if (t->read != read || three.tally.read != read)
      ok = fail(why, n, "stream read %ld (-j 3: %ld) records of %ld written", t->read, three.tally.read, read);
    else if (t->scored + t->unassigned + t->rejected != t->read)
      ok = fail(why, n, "stream: %ld read != %ld scored + %ld unassigned + %ld rejected", t->read, t->scored,
                t->unassigned, t->rejected);
    else if (t->rejected < (long)g->ninvalid * GEN_COPIES)
      ok = fail(why, n, "stream rejected %ld records, but %ld are invalid", t->rejected,
                (long)g->ninvalid * GEN_COPIES);
    else if (t->scored != want.scored || t->unassigned != want.unassigned || t->rejected != want.rejected)
      ok = fail(why, n, "stream counts %ld/%ld/%ld scored/unassigned/rejected, the direct loop %ld/%ld/%ld",
                t->scored, t->unassigned, t->rejected, want.scored, want.unassigned, want.rejected);
    else if (one.out_len != nrows || memcmp(one.out, rows, nrows) != 0)
      ok = fail(why, n, "eval's rows differ from the direct loop's");
    else
      ok = check_compare(g, p, paths, GEN_COPIES, t, why, n);
    stream_free(&one);
    stream_free(&three);
  }
  if (ok) ok = check_sweep(p, paths, why, n);
  free(rows);
  for (int c = 0; c < written; c++) remove(path[c]);
  return ok;
}

static bool same_code(const Program *a, const Program *b) {
  for (int v = 0; v < 2; v++)
    if (a->code[v].n != b->code[v].n) return false;
  return memcmp(a->code[0].words, b->code[0].words, (size_t)a->code[0].n * sizeof *a->code[0].words) == 0;
}

/* fmt's promise on its output: no line over 100 columns (a UTF-8 character
   is one column), none ending in a blank. */
static bool fmt_lines_ok(const char *text, char *why, size_t whyn) {
  int line = 1, width = 0;
  for (const char *p = text;; p++) {
    if (*p == '\n' || !*p) {
      if (width > 100) return fail(why, whyn, "fmt wrote line %d of %d columns", line, width);
      if (p > text && (p[-1] == ' ' || p[-1] == '\t') && width)
        return fail(why, whyn, "fmt wrote line %d ending in a blank", line);
      if (!*p) return true;
      line++;
      width = 0;
    } else if (((unsigned char)*p & 0xC0) != 0x80) {
      width++;
    }
  }
}

bool orc_check(const GenOut *g, const char *dir, unsigned tolerate, OrcStats *stats, char *why,
               size_t whyn) {
  char err[512];
  Program p, q, r;
  if (!compile_text(g->program, g->program_len, &p, err, sizeof err))
    return fail(why, whyn, "does not compile: %s", err);
  bool ok = true, have_q = false, have_r = false;
  Digest dp = {0}, dq = {0}, dr = {0};

  /* fmt */
  DiagList dl;
  diag_init(&dl);
  char *once = fmt_source("generated.rubric", g->program, g->program_len, &dl);
  diag_free(&dl);
  char *twice = once ? fmt_source("generated.rubric", once, strlen(once), &dl) : NULL;
  diag_free(&dl);
  if (!once || !twice) ok = fail(why, whyn, "fmt refuses the program");
  else if (strcmp(once, twice) != 0) ok = fail(why, whyn, "fmt is not idempotent");
  else if (!fmt_lines_ok(once, why, whyn)) ok = false;
  else if (!(have_q = compile_text(once, strlen(once), &q, err, sizeof err)))
    ok = fail(why, whyn, "the formatted program does not compile: %s", err);
  else if (!same_code(&p, &q)) ok = fail(why, whyn, "fmt changed the bytecode");
  free(once);
  free(twice);

  /* bytecode */
  if (ok) {
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m) abort();
    bool wrote = bc_write(&p, m);
    fclose(m);
    char reason[512];
    if (!wrote) ok = fail(why, whyn, "bc_write fails");
    else if (!(have_r = bc_read((const unsigned char *)buf, len, &r, reason, sizeof reason)))
      ok = fail(why, whyn, "bc_read refuses what bc_write wrote: %s", reason);
    free(buf);
  }

  /* records, numbers, and the same results three ways */
  if (ok) ok = score_direct(g, 0, &p, &dp, true, tolerate, why, whyn);
  if (ok) ok = score_direct(g, 0, &r, &dr, false, tolerate, why, whyn);
  if (ok && (dr.len != dp.len || memcmp(dr.text, dp.text, dp.len) != 0))
    ok = fail(why, whyn, "the loaded bytecode scores differently from the compiled program");
  if (ok) ok = score_direct(g, 0, &q, &dq, false, tolerate, why, whyn);
  if (ok && (dq.len != dp.len || memcmp(dq.text, dp.text, dp.len) != 0))
    ok = fail(why, whyn, "the formatted program scores differently");

  /* stream */
  if (ok) ok = check_stream(g, &p, tolerate, dir, why, whyn);

  if (stats) {
    stats->rows += dp.rows;
    stats->scored += dp.scored;
    stats->unassigned += dp.unassigned;
    stats->rejected += dp.rejected;
    stats->tolerated += dp.tolerated;
    stats->probes += dp.probes;
  }
  free(dp.text);
  free(dq.text);
  free(dr.text);
  if (have_q) program_free(&q);
  if (have_r) program_free(&r);
  program_free(&p);
  return ok;
}

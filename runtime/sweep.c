/*
** sweep.c — see sweep.h.  Three parts: the axes and their values (exact:
** a range's values are LO + i * STEP in millionths, never a running sum);
** which slots a scenario can keep from the one before (a walk of each
** slot's code for the parameters it reads, then up the calls); and the
** scorer that stream_score calls for each record, with the writers of
** the results.
*/
#include "sweep.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"
#include "vm.h"

/* Longest list item or range quoted back in a message. */
#define QUOTE_MAX 60

static bool fail(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(char *why, size_t n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, n, fmt, ap);
  va_end(ap);
  return false;
}

void sweep_init(Sweep *sw, const Program *p) {
  memset(sw, 0, sizeof *sw);
  sw->p = p;
  sw->params = malloc(((size_t)p->nparam_values + 1) * sizeof *sw->params);
  if (!sw->params) abort();
  memcpy(sw->params, p->param_values, (size_t)p->nparam_values * sizeof *sw->params);
}

void sweep_free(Sweep *sw) {
  for (int a = 0; a < sw->naxes; a++) {
    free(sw->axes[a].name);
    free(sw->axes[a].values);
  }
  for (long s = 0; sw->tallies && s < sw->nscenarios; s++) tally_free(&sw->tallies[s]);
  free(sw->tallies);
  free(sw->axes);
  free(sw->params);
  free(sw->grid);
  free(sw->keep);
  memset(sw, 0, sizeof *sw);
}

/* ---- axes ------------------------------------------------------------------------ */

/* An axis being read: its values so far, each checked on a scratch machine. */
typedef struct Reading {
  SweepAxis *axis;
  VmCtx vm;
  int cap;
  long max;
} Reading;

static bool add_value(Reading *r, const char *text, char *why, size_t whyn) {
  SweepAxis *ax = r->axis;
  const char *what;
  if (!vm_set_param(&r->vm, ax->name, text, &what))
    return fail(why, whyn, "the value '%.*s': %s", QUOTE_MAX, text, what);
  if (ax->nvalues >= r->max) return fail(why, whyn, "more than %ld values, the most scenarios allowed", r->max);
  if (ax->nvalues == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 16;
    ax->values = realloc(ax->values, (size_t)r->cap * sizeof *ax->values);
    if (!ax->values) abort();
  }
  ax->values[ax->nvalues++] = r->vm.params[ax->index];
  return true;
}

/* One end or the step of a range, as a decimal; money may carry a '$'. */
static bool range_part(const Reading *r, const char *item, const char *s, size_t n, Dec *out, char *why,
                       size_t whyn) {
  if (r->axis->type == VT_MONEY && n && s[0] == '$') { s++; n--; }
  DecStatus st = dec_parse(s, n, out);
  if (st == DEC_OK) return true;
  return fail(why, whyn, "in the range '%.*s', '%.*s': %s", QUOTE_MAX, item, (int)(n < QUOTE_MAX ? n : QUOTE_MAX), s,
              dec_status_text(st));
}

/* n >= 0 in decimal: a range's count may pass 64 bits. */
static const char *count_text(__int128 n, char buf[48]) {
  char *p = buf + 47;
  *p = '\0';
  do { *--p = (char)('0' + (int)(n % 10)); n /= 10; } while (n);
  return p;
}

/* LO..HI:STEP: LO + i * STEP for i = 0, 1, ... while it is not above HI. */
static bool add_range(Reading *r, const char *item, char *why, size_t whyn) {
  ValueType t = r->axis->type;
  if (t != VT_NUMBER && t != VT_MONEY)
    return fail(why, whyn, "a range LO..HI:STEP needs a number or money param; list the values (a,b,c)");
  const char *dots = strstr(item, ".."), *colon = strchr(dots + 2, ':');
  if (!colon) return fail(why, whyn, "the range '%.*s' has no step: write LO..HI:STEP", QUOTE_MAX, item);
  Dec lo, hi, step;
  if (!range_part(r, item, item, (size_t)(dots - item), &lo, why, whyn) ||
      !range_part(r, item, dots + 2, (size_t)(colon - dots - 2), &hi, why, whyn) ||
      !range_part(r, item, colon + 1, strlen(colon + 1), &step, why, whyn))
    return false;
  if (step <= 0) return fail(why, whyn, "the step of the range '%.*s' must be above 0", QUOTE_MAX, item);
  if (lo > hi) return fail(why, whyn, "the range '%.*s' is empty: its start is above its end", QUOTE_MAX, item);
  __int128 n = ((__int128)hi - lo) / step + 1;
  char count[48];
  if (n + r->axis->nvalues > r->max)
    return fail(why, whyn, "the range '%.*s' gives %s values, more than the %ld scenarios allowed", QUOTE_MAX,
                item, count_text(n, count), r->max);
  for (long i = 0; i < (long)n; i++) {
    char text[DEC_FMT_MAX];
    dec_format((Dec)(lo + (__int128)i * step), text);   /* <= hi, but i * step alone may not fit */
    if (!add_value(r, text, why, whyn)) return false;
  }
  return true;
}

bool sweep_axis(Sweep *sw, const char *set, long max, char *why, size_t whyn) {
  const char *eq = strchr(set, '=');
  if (!eq || eq == set)
    return fail(why, whyn, "write NAME=VALUES: a value, a list (1,2,5) or a range (LO..HI:STEP)");
  SweepAxis ax = {strndup(set, (size_t)(eq - set)), 0, VT_NUMBER, NULL, 0};
  if (!ax.name) abort();
  const char *what;
  ax.index = vm_param_index(sw->p, ax.name, &ax.type, &what);
  bool ok = ax.index >= 0 || fail(why, whyn, "%s", what);
  for (int a = 0; ok && a < sw->naxes; a++)
    if (sw->axes[a].index == ax.index)
      ok = fail(why, whyn, "%s already has its values: give them all in one list", ax.name);
  Reading r = {&ax, {0}, 0, max};
  if (ok && !vm_init(&r.vm, sw->p)) abort();
  char *items = strdup(eq + 1);
  if (!items) abort();
  for (char *item = items, *next; ok && item; item = next) {
    next = strchr(item, ',');
    if (next) *next++ = '\0';
    while (*item == ' ') item++;
    size_t n = strlen(item);
    while (n && item[n - 1] == ' ') item[--n] = '\0';
    if (!n) ok = fail(why, whyn, "an empty value in the list");
    else if (strstr(item, "..")) ok = add_range(&r, item, why, whyn);
    else ok = add_value(&r, item, why, whyn);
  }
  free(items);
  if (r.vm.prog) vm_free(&r.vm);
  if (!ok) {
    free(ax.name);
    free(ax.values);
    return false;
  }
  sw->axes = realloc(sw->axes, ((size_t)sw->naxes + 1) * sizeof *sw->axes);
  if (!sw->axes) abort();
  sw->axes[sw->naxes++] = ax;
  return true;
}

/* ---- what a scenario keeps ------------------------------------------------------ */

static const uint8_t op_words[OP__COUNT] = {
#define OPCODE(name, words, effect, meaning) words,
#include "opcodes.h"
#undef OPCODE
};

/* The slots each slot calls: edges (from, to). */
typedef struct Calls { int (*e)[2]; size_t n, cap; } Calls;

static void call_edge(Calls *g, int from, int to) {
  if (g->n == g->cap) {
    g->cap = g->cap ? 2 * g->cap : 256;
    g->e = realloc(g->e, g->cap * sizeof *g->e);
    if (!g->e) abort();
  }
  g->e[g->n][0] = from;
  g->e[g->n][1] = to;
  g->n++;
}

/* Walks the plain code of slot s from its entry along every path, as the
   verifier does: true when it reads a parameter value that varies, the
   record's track (which a track condition over a swept param may change),
   its tier or a benefit (which follows the tier); the slots it calls go
   into g.
   seen[] is zero outside this walk; touched lists what it set. */
static bool reads_varying(const Program *p, int s, const bool *varies, uint8_t *seen, int *work, int *touched,
                          Calls *g) {
  const Code *c = &p->code[0];
  int nwork = 0, ntouched = 0;
  bool moves = false;
  work[nwork++] = c->entry[s];
  while (nwork) {
    int pc = work[--nwork];
    while (pc < c->n && !seen[pc]) {
      seen[pc] = 1;
      touched[ntouched++] = pc;
      uint32_t w = c->words[pc];
      OpCode op = INSN_OP(w);
      int a = INSN_A(w);
      bool stop = false;
      switch (op) {
      case OP_PARAM: moves |= varies[a]; break;
      case OP_PARAMK: {   /* A + the key field's member index */
        const FieldInfo *f = &p->fields[c->words[pc + 1]];
        for (int m = 0; m < f->nmembers; m++) moves |= varies[a + m];
        break;
      }
      case OP_TRACKIS: case OP_BENEFIT: case OP_TIERVAL: moves = true; break;
      case OP_SLOT: call_edge(g, s, a); break;
      case OP_JMPF: case OP_JFK: case OP_JTK: case OP_TRY: work[nwork++] = a; break;
      case OP_JMP: work[nwork++] = a; stop = true; break;
      case OP_RET: case OP_HALT: case OP_NOMATCH: stop = true; break;
      default: break;
      }
      if (stop) break;
      pc += op_words[op];
    }
  }
  for (int i = 0; i < ntouched; i++) seen[touched[i]] = 0;
  return moves;
}

static int by_callee(const void *x, const void *y) {
  const int *a = x, *b = y;
  return (a[1] > b[1]) - (a[1] < b[1]);
}

/* sw->keep: every slot whose value is the same in every scenario for a
   record, because neither it nor any slot it calls, however indirectly,
   reads a parameter value that some axis varies, the track, the tier or
   a benefit. */
static void find_keep(Sweep *sw) {
  const Program *p = sw->p;
  const Code *c = &p->code[0];
  bool *varies = calloc((size_t)p->nparam_values + 1, sizeof *varies);
  bool *moves = calloc((size_t)p->nslots + 1, sizeof *moves);
  uint8_t *seen = calloc((size_t)c->n + 1, 1);
  int *work = malloc(((size_t)c->n + 1) * sizeof *work), *touched = malloc(((size_t)c->n + 1) * sizeof *touched);
  int *queue = malloc(((size_t)p->nslots + 1) * sizeof *queue);
  size_t *first = calloc((size_t)p->nslots + 2, sizeof *first);
  if (!varies || !moves || !seen || !work || !touched || !queue || !first) abort();
  for (int a = 0; a < sw->naxes; a++)
    if (sw->axes[a].nvalues > 1) varies[sw->axes[a].index] = true;
  Calls g = {0};
  int nqueue = 0;
  for (int s = 0; s < p->nslots; s++)
    if ((moves[s] = reads_varying(p, s, varies, seen, work, touched, &g))) queue[nqueue++] = s;
  /* Up the calls: a slot that calls one that moves moves too.  Edges
     sorted by callee, so the callers of t are first[t]..first[t + 1]. */
  if (g.n) qsort(g.e, g.n, sizeof *g.e, by_callee);
  for (size_t i = 0; i < g.n; i++) first[g.e[i][1] + 1]++;
  for (int s = 0; s < p->nslots; s++) first[s + 1] += first[s];
  while (nqueue) {
    int t = queue[--nqueue];
    for (size_t i = first[t]; i < first[t + 1]; i++) {
      int caller = g.e[i][0];
      if (!moves[caller]) { moves[caller] = true; queue[nqueue++] = caller; }
    }
  }
  sw->keep = malloc(((size_t)p->nslots + 1) * sizeof *sw->keep);
  if (!sw->keep) abort();
  for (int s = 0; s < p->nslots; s++)
    if (!moves[s]) sw->keep[sw->nkeep++] = s;
  free(g.e);
  free(varies);
  free(moves);
  free(seen);
  free(work);
  free(touched);
  free(queue);
  free(first);
}

bool sweep_plan(Sweep *sw, long max, char *why, size_t whyn) {
  long n = 1;
  bool over = false;
  for (int a = 0; a < sw->naxes; a++) {
    if (n > LONG_MAX / sw->axes[a].nvalues) over = true;
    else n *= sw->axes[a].nvalues;
  }
  if (over || n > max) {
    char counts[512];
    size_t len = 0;
    counts[0] = '\0';
    for (int a = 0; a < sw->naxes && len < sizeof counts; a++) {
      int w = snprintf(counts + len, sizeof counts - len, "%s%d", a ? " x " : "", sw->axes[a].nvalues);
      if (w > 0) len += (size_t)w;
    }
    if (over) return fail(why, whyn, "more than %ld scenarios (%s), more than the limit of %ld", LONG_MAX, counts, max);
    return fail(why, whyn, "%ld scenarios (%s), more than the limit of %ld", n, counts, max);
  }
  sw->nscenarios = n;
  int na = sw->naxes;
  sw->grid = malloc(((size_t)n * (size_t)na + 1) * sizeof *sw->grid);
  sw->tallies = calloc((size_t)n, sizeof *sw->tallies);
  if (!sw->grid || !sw->tallies) abort();
  for (long s = 0; s < n; s++) {
    long rest = s;   /* the last axis varies fastest */
    for (int a = na - 1; a >= 0; a--) {
      sw->grid[s * na + a] = sw->axes[a].values[rest % sw->axes[a].nvalues];
      rest /= sw->axes[a].nvalues;
    }
    if (!tally_init(&sw->tallies[s], sw->p)) abort();
  }
  find_keep(sw);
  return true;
}

static void scenario_text(const Sweep *sw, long s, char *buf, size_t cap);

bool sweep_check_rules(const Sweep *sw, char *why, size_t whyn) {
  const Program *p = sw->p;
  if (!p->nrules) return true;
  int64_t *v = malloc(((size_t)p->nparam_values + 1) * sizeof *v);
  if (!v) abort();
  memcpy(v, sw->params, (size_t)p->nparam_values * sizeof *v);
  bool ok = true;
  for (long s = 0; ok && s < sw->nscenarios; s++) {
    for (int a = 0; a < sw->naxes; a++) v[sw->axes[a].index] = sw->grid[s * sw->naxes + a];
    int lo, hi, r = program_rules_broken(p, v, &lo, &hi);
    if (r < 0) continue;
    char which[512], text[1024];
    scenario_text(sw, s, which, sizeof which);
    program_rule_text(p, r, v, lo, hi, text, sizeof text);
    ok = fail(why, whyn, "scenario %ld%s%s%s: %s", s + 1, which[0] ? " (" : "", which, which[0] ? ")" : "", text);
  }
  free(v);
  return ok;
}

/* ---- scoring ------------------------------------------------------------------------ */

/* "a=1, b=$2" for scenario s: the axes that have more than one value. */
static void scenario_text(const Sweep *sw, long s, char *buf, size_t cap) {
  size_t len = 0;
  buf[0] = '\0';
  for (int a = 0; a < sw->naxes && len < cap; a++) {
    const SweepAxis *ax = &sw->axes[a];
    if (ax->nvalues < 2) continue;
    char vb[64];
    size_t n;
    const char *t = out_value_text(sw->p, ax->type, NULL, (Value){sw->grid[s * sw->naxes + a], NULL}, vb, &n);
    int w = snprintf(buf + len, cap - len, "%s%s=%.*s", len ? ", " : "", ax->name, (int)n, t);
    if (w > 0) len += (size_t)w;
  }
}

/* StreamScorer.score: the record in every scenario, in order, on one
   machine; after the first, only what a swept value reaches is computed
   again. */
static void score(void *ctx, VmCtx *vm, const Row *row, const CsvReader *at, FILE *err, Tally *tallies) {
  const Sweep *sw = ctx;
  const Program *p = sw->p;
  long failed = 0, first = -1;
  VmStatus first_st = VM_OK;
  Pos pos = {0, 0, 0};
  for (long s = 0; s < sw->nscenarios; s++) {
    const int64_t *v = &sw->grid[s * sw->naxes];
    for (int a = 0; a < sw->naxes; a++) vm->params[sw->axes[a].index] = v[a];
    VmStatus st = s == 0 ? vm_eval(vm, row) : vm_eval_again(vm, row, sw->keep, sw->nkeep);
    Tally *t = &tallies[s];
    if (st != VM_OK) {
      t->rejected++;
      t->failed++;
      if (!failed++) { first = s; first_st = st; pos = vm_error_pos(vm); }
    } else if (vm->track < 0) {
      t->unassigned++;
    } else {
      tally_count(t, p, vm);
    }
  }
  if (!failed) return;
  char key[256], which[512], reason[1024];
  scenario_text(sw, first, which, sizeof which);
  snprintf(reason, sizeof reason, "cannot be scored in %ld of %ld scenarios (first in scenario %ld%s%s): %s (at %s:%d:%d)",
           failed, sw->nscenarios, first + 1, which[0] ? ": " : "", which, vm_status_text(first_st),
           p->files[pos.file], pos.line, pos.col);
  report_record(err, NULL, NOTE_REJECTED, p, at, -1, key_text(p, row, key, sizeof key), reason,
                vm_status_code(first_st));
}

void sweep_run(Sweep *sw, const char *prog_name, const char *const *paths, int npaths, int jobs, FILE *err) {
  StreamScorer sc = {(int)sw->nscenarios, score, sw};
  stream_score(prog_name, sw->p, &sc, sw->params, paths, npaths, jobs, err, sw->tallies);
}

/* ---- results ------------------------------------------------------------------------- */

typedef enum { SC_SCENARIO, SC_AXIS, SC_SCORED, SC_UNASSIGNED, SC_REJECTED, SC_TIER, SC_PAYOUT } SweepColKind;

typedef struct SweepCol {
  SweepColKind kind;
  int a, b;                /* SC_AXIS: axis; SC_TIER: track, tier; SC_PAYOUT: payout */
} SweepCol;

/* The columns: scenario, each axis, scored, unassigned (programs with
   tracks), rejected, every tier of every track in ladder order (and each
   track's "no tier" when some scenario has a record there), each payout.
   The caller frees the array. */
static SweepCol *columns(const Sweep *sw, int *ncols) {
  const Program *p = sw->p;
  bool no_tier = summary_any_no_tier(p, sw->tallies, sw->nscenarios);
  SweepCol *c = malloc(((size_t)sw->naxes + 5 + (size_t)p->ntracks * ((size_t)p->ntiers + 1) + (size_t)p->npayouts) *
                       sizeof *c);
  if (!c) abort();
  int n = 0;
  c[n++] = (SweepCol){SC_SCENARIO, 0, 0};
  for (int a = 0; a < sw->naxes; a++) c[n++] = (SweepCol){SC_AXIS, a, 0};
  c[n++] = (SweepCol){SC_SCORED, 0, 0};
  if (!p->implicit_track) c[n++] = (SweepCol){SC_UNASSIGNED, 0, 0};
  c[n++] = (SweepCol){SC_REJECTED, 0, 0};
  for (int t = 0; t < p->ntracks; t++) {
    const TrackInfo *tr = &p->tracks[t];
    for (int i = 0; i < tr->ntiers; i++) c[n++] = (SweepCol){SC_TIER, t, tr->tiers[i]};
    if (no_tier) c[n++] = (SweepCol){SC_TIER, t, p->ntiers};
  }
  for (int i = 0; i < p->npayouts; i++) c[n++] = (SweepCol){SC_PAYOUT, i, 0};
  *ncols = n;
  return c;
}

static const char *col_name(const Sweep *sw, const SweepCol *c, char *buf, size_t n) {
  switch (c->kind) {
  case SC_SCENARIO: return "scenario";
  case SC_AXIS: return sw->axes[c->a].name;
  case SC_SCORED: return "scored";
  case SC_UNASSIGNED: return "unassigned";
  case SC_REJECTED: return "rejected";
  case SC_TIER: summary_tier_name(sw->p, c->a, c->b, buf, n); return buf;
  case SC_PAYOUT: return sw->p->slots[sw->p->first_payout + c->a].name;
  }
  return "";
}

/* Scenario s's cell in column c, into buf (DEC_FMT_MAX at least); NULL
   for a payout total too large to add up. */
static const char *col_text(const Sweep *sw, const SweepCol *c, long s, char *buf, size_t n) {
  const Tally *t = &sw->tallies[s];
  long count = 0;
  switch (c->kind) {
  case SC_SCENARIO: count = s + 1; break;
  case SC_AXIS: {
    size_t len;
    const SweepAxis *ax = &sw->axes[c->a];
    const char *v = out_value_text(sw->p, ax->type, NULL, (Value){sw->grid[s * sw->naxes + c->a], NULL}, buf, &len);
    buf[len] = '\0';
    return v;
  }
  case SC_SCORED: count = t->scored; break;
  case SC_UNASSIGNED: count = t->unassigned; break;
  case SC_REJECTED: count = t->rejected; break;
  case SC_TIER: count = tally_placed(t, sw->p, c->a, c->b); break;
  case SC_PAYOUT: {
    Dec total;
    if (dec_sum_result(t->payout_totals[c->a], &total) != DEC_OK) return NULL;
    dec_format(total, buf);
    return buf;
  }
  }
  snprintf(buf, n, "%ld", count);
  return buf;
}

static void write_json(FILE *out, const Sweep *sw, const char *program, const char *const *paths, int npaths) {
  const Program *p = sw->p;
  bool no_tier = summary_any_no_tier(p, sw->tallies, sw->nscenarios);
  fputs("{\n  \"program\": ", out);
  out_json_string(out, program, strlen(program));
  fputs(",\n  \"files\": [", out);
  for (int i = 0; i < npaths; i++) {
    const char *f = strcmp(paths[i], "-") == 0 ? "<stdin>" : paths[i];
    fputs(i ? ", " : "", out);
    out_json_string(out, f, strlen(f));
  }
  /* Rejected before any scenario: the same in each; tallies[0] has them. */
  long before = sw->nscenarios ? sw->tallies[0].rejected - sw->tallies[0].failed : 0;
  fprintf(out, "],\n  \"records\": {\"read\": %ld, \"rejected\": %ld},\n  \"scenarios\": [",
          sw->nscenarios ? sw->tallies[0].read : 0, before);
  for (long s = 0; s < sw->nscenarios; s++) {
    fprintf(out, "%s\n    {\n      \"scenario\": %ld,\n      \"set\": {", s ? "," : "", s + 1);
    for (int a = 0; a < sw->naxes; a++) {
      fputs(a ? ", " : "", out);
      out_json_string(out, sw->axes[a].name, strlen(sw->axes[a].name));
      fputs(": ", out);
      summary_json_value(out, p, sw->axes[a].type, sw->grid[s * sw->naxes + a]);
    }
    fputs("},\n", out);
    summary_json_counts(out, p, &sw->tallies[s], no_tier, "      ");
    fputs("\n    }", out);
  }
  fputs(sw->nscenarios ? "\n  ]\n}\n" : "]\n}\n", out);
}

void sweep_write(FILE *out, const Sweep *sw, SweepFormat f, const char *program, const char *const *paths,
                 int npaths) {
  if (f == SWEEP_JSON) { write_json(out, sw, program, paths, npaths); return; }
  int nc;
  SweepCol *cols = columns(sw, &nc);
  char buf[512];
  if (f == SWEEP_CSV) {
    for (long s = -1; s < sw->nscenarios; s++)
      for (int c = 0; c < nc; c++) {
        const char *v = s < 0 ? col_name(sw, &cols[c], buf, sizeof buf) : col_text(sw, &cols[c], s, buf, sizeof buf);
        if (v) out_csv_cell(out, v, strlen(v));
        putc(c + 1 < nc ? ',' : '\n', out);
      }
  } else {
    size_t ncells = ((size_t)sw->nscenarios + 1) * (size_t)nc, k = 0;
    char **cells = malloc(ncells * sizeof *cells);
    bool *right = malloc((size_t)nc * sizeof *right);
    if (!cells || !right) abort();
    for (int c = 0; c < nc; c++) {   /* numbers right-aligned */
      right[c] = cols[c].kind != SC_AXIS || sw->axes[cols[c].a].type == VT_NUMBER ||
                 sw->axes[cols[c].a].type == VT_MONEY;
      if (!(cells[k++] = strdup(col_name(sw, &cols[c], buf, sizeof buf)))) abort();
    }
    for (long s = 0; s < sw->nscenarios; s++)
      for (int c = 0; c < nc; c++) {
        const char *v = col_text(sw, &cols[c], s, buf, sizeof buf);
        if (!(cells[k++] = strdup(v ? v : "(too large)"))) abort();
      }
    out_table(out, cells, ncells, (size_t)nc, right);
    for (size_t i = 0; i < ncells; i++) free(cells[i]);
    free(cells);
    free(right);
  }
  free(cols);
}

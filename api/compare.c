/*
** compare.c — see compare.h.  Scoring reads one record at a time: the
** reader, the validator and the VM of runtime/, the repeated-key rule of
** runtime/stream.c (a KeySet over the key cells, in input order), and the
** reasons eval gives.  Comparing matches the two tables' records, then
** makes one pass over the pairs for everything per record (the changed
** count, movers, matrices, benefits) and one pass over each table for
** what is per scheme (tier counts, payout totals, quartiles).
**
** Tracks, tiers, categories, badges, payouts and benefits are matched by
** name, so two programs may differ in any of them: each kind's names are
** merged into one list (merge_names) that both sides index.
*/
#include "compare.h"

#include "activity.h"

#include <stdlib.h>
#include <string.h>

#include "keyset.h"
#include "stream.h"

#define XXH_INLINE_ALL   /* header-only, as in runtime/keyset.c */
#include <xxhash.h>

/* ---- allocation ---------------------------------------------------------------- */

/* Every table of the library aborts when memory runs out (the command
   line's allocator turns that into "out of memory", status 2). */
static void *xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) abort();
  return p;
}

static void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size);
  if (!p) abort();
  return p;
}

static char *xstrdup(const char *s) {
  char *d = strdup(s);
  if (!d) abort();
  return d;
}

/* Key texts live in chunks of this many bytes (a longer key gets a chunk
   of its own), so a run of many records makes few allocations. */
#define CHUNK_BYTES 65536

typedef struct CmpChunk { struct CmpChunk *next; size_t used, cap; char text[]; } CmpChunk;

static const char *keep_text(CmpTable *t, const char *s, size_t n) {
  CmpChunk *c = t->chunks;
  if (!c || c->cap - c->used < n + 1) {
    size_t cap = n + 1 > CHUNK_BYTES ? n + 1 : CHUNK_BYTES;
    c = xrealloc(NULL, sizeof *c + cap);
    c->next = t->chunks;
    c->used = 0;
    c->cap = cap;
    t->chunks = c;
  }
  char *d = c->text + c->used;
  memcpy(d, s, n);
  d[n] = '\0';
  c->used += n + 1;
  return d;
}

/* ---- the key index -------------------------------------------------------------- */

static size_t key_hash(const char *key) { return (size_t)XXH3_64bits(key, strlen(key)); }

long cmp_find(const CmpTable *t, const char *key) {
  if (!t->index_cap) return -1;
  for (size_t i = key_hash(key) & (t->index_cap - 1);; i = (i + 1) & (t->index_cap - 1)) {
    long r = t->index[i];
    if (!r) return -1;
    if (strcmp(t->recs[r - 1].key, key) == 0) return r - 1;
  }
}

/* The first table: small runs should not allocate much. */
#define INDEX_FIRST_CAP 256

/* Adds record i under its key; false if the key text is there already. */
static bool index_add(CmpTable *t, long i) {
  if (cmp_find(t, t->recs[i].key) >= 0) return false;
  if ((t->index_n + 1) * 4 > t->index_cap * 3) {   /* at most 3/4 full */
    size_t cap = t->index_cap ? t->index_cap * 2 : INDEX_FIRST_CAP;
    long *index = xcalloc(cap, sizeof *index);
    for (size_t k = 0; k < t->index_cap; k++) {
      long r = t->index[k];
      if (!r) continue;
      size_t j = key_hash(t->recs[r - 1].key) & (cap - 1);
      while (index[j]) j = (j + 1) & (cap - 1);
      index[j] = r;
    }
    free(t->index);
    t->index = index;
    t->index_cap = cap;
  }
  size_t j = key_hash(t->recs[i].key) & (t->index_cap - 1);
  while (t->index[j]) j = (j + 1) & (t->index_cap - 1);
  t->index[j] = i + 1;
  t->index_n++;
  return true;
}

/* ---- scoring ------------------------------------------------------------------- */

/* The longest key text kept; a longer one is cut (keys are names, not data). */
#define KEY_MAX 1024

/* The current record's key cells as written, '/'-joined, empty ones left
   out, into buf.  False when the record cannot have its key read: the
   reader found it malformed, or it is too short to hold a key cell. */
static bool raw_key(const Program *p, const RecordsFile *f, char *buf, size_t cap) {
  const CsvReader *r = &f->r;
  size_t len = 0;
  bool whole = !r->error;
  buf[0] = '\0';
  for (int k = 0; k < p->nkeys; k++) {
    int col = f->map.col_of_field[p->keys[k]];
    if (col >= r->ncells) whole = false;
    if (col < 0 || col >= r->ncells || !r->cell_len[col]) continue;
    int w = snprintf(buf + len, cap - len, "%s%.*s", len ? "/" : "", (int)r->cell_len[col], r->rec + r->cell_off[col]);
    if (w < 0 || (size_t)w >= cap - len) { len = cap - 1; break; }
    len += (size_t)w;
  }
  return whole;
}

/* Marks the current record's key as seen, as runtime/stream.c's check_key
   does: the same parts, the same records left out.  False, with the first
   record's place, when the key was seen before. */
static bool key_is_new(const Program *p, const RecordsFile *f, KeySet *keys, uint64_t where,
                       uint64_t *first) {
  const CsvReader *r = &f->r;
  keyset_begin(keys);
  for (int k = 0; k < p->nkeys; k++) {
    int col = f->map.col_of_field[p->keys[k]];
    if (col < 0) keyset_part(keys, "", 0);
    else keyset_part(keys, r->rec + r->cell_off[col], r->cell_len[col]);
  }
  return keyset_add(keys, where, first);
}

static long add_rec(CmpTable *t) {
  if (t->n == t->cap) {
    t->cap = t->cap ? t->cap * 2 : 256;
    size_t cap = (size_t)t->cap;
    t->recs = xrealloc(t->recs, cap * sizeof *t->recs);
    t->vals = xrealloc(t->vals, cap * (size_t)t->stride * sizeof *t->vals);
    t->badges = xrealloc(t->badges, cap * (size_t)t->nbw * sizeof *t->badges);
    t->outs = xrealloc(t->outs, cap * (size_t)t->nout * sizeof *t->outs);
    t->out_set = xrealloc(t->out_set, cap * (size_t)t->nobw * sizeof *t->out_set);
  }
  long i = t->n++;
  memset(&t->recs[i], 0, sizeof t->recs[i]);
  memset(t->vals + (size_t)i * (size_t)t->stride, 0, (size_t)t->stride * sizeof *t->vals);
  if (t->nbw) memset(t->badges + (size_t)i * (size_t)t->nbw, 0, (size_t)t->nbw * sizeof *t->badges);
  if (t->nobw) memset(t->out_set + (size_t)i * (size_t)t->nobw, 0, (size_t)t->nobw * sizeof *t->out_set);
  t->recs[i].track = t->recs[i].tier = -1;
  return i;
}

static void reject(CmpTable *t, long i, const char *why) {
  t->recs[i].state = CMP_REJECTED;
  t->recs[i].why = xstrdup(why);
  t->rejected++;
}

/* A 64-bit hash of text, never 0 but for empty text. */
static int64_t text_hash(const char *s, size_t n) {
  if (!n) return 0;
  uint64_t h = XXH3_64bits(s, n);
  return (int64_t)(h ? h : 1);
}

/* A value as it compares across programs (cmp_benefit): members is the
   choice's, or NULL where the program does not keep them. */
static int64_t comparable(const Program *p, ValueType type, char *const *members, int nmembers, Value v) {
  switch (type) {
  case VT_TEXT: return v.s ? text_hash(v.s, (size_t)v.n) : 0;
  case VT_TIER: return v.n >= 0 && v.n < p->ntiers ? text_hash(p->tiers[v.n].name, strlen(p->tiers[v.n].name)) : 0;
  case VT_CHOICE:
    if (members && v.n >= 0 && v.n < nmembers) return text_hash(members[v.n], strlen(members[v.n]));
    return v.n;
  default: return v.n;
  }
}

static bool holds(ValueType type, int64_t v) {
  return type == VT_DATE || type == VT_CHOICE || v != 0;
}

/* What the VM left for record i: track, tier, score, totals, payouts,
   badges, outputs.  A category counts only on the record's own track (with
   `tracks best score` the VM computes other candidates' too). */
static void keep_outcome(CmpTable *t, long i, const VmCtx *vm) {
  const Program *p = t->p;
  CmpRec *rec = &t->recs[i];
  rec->track = vm->track;
  rec->tier = vm->tier;
  /* Outputs as the writers show them: whatever the record computed and
     set (an optional output may be unset: an empty cell, not 0). */
  for (int k = 0; k < p->noutputs; k++) {
    const SlotInfo *si = &p->slots[p->first_output + k];
    if (!vm_computed(vm, p->first_output + k) || value_is_unset(vm->slots[p->first_output + k])) continue;
    int c = t->out_col[k];
    t->outs[(size_t)i * (size_t)t->nout + (size_t)c] =
        comparable(p, (ValueType)si->type, si->members, si->nmembers, vm->slots[p->first_output + k]);
    t->out_set[(size_t)i * (size_t)t->nobw + (size_t)c / 64] |= UINT64_C(1) << (c % 64);
  }
  if (vm->track < 0) {
    rec->state = CMP_UNASSIGNED;
    t->unassigned++;
    return;
  }
  rec->state = CMP_SCORED;
  t->scored++;
  Dec *v = t->vals + (size_t)i * (size_t)t->stride;
  if (vm_computed(vm, p->score_slot)) v[0] = vm->slots[p->score_slot].n;
  const TrackInfo *ti = &p->tracks[vm->track];
  for (int k = 0; k < ti->ncats; k++)
    if (vm_computed(vm, ti->cats[k])) v[1 + ti->cats[k] - p->npoints] = vm->slots[ti->cats[k]].n;
  for (int k = 0; k < p->npayouts; k++)
    if (vm_computed(vm, p->first_payout + k)) v[1 + p->ncategories + k] = vm->slots[p->first_payout + k].n;
  for (int b = 0; b < p->nbenefits; b++)
    v[1 + p->ncategories + p->npayouts + b] = comparable(p, (ValueType)p->benefits[b].type, NULL, 0, vm_benefit(vm, b));
  for (int b = 0; b < p->nbadges; b++)
    if (vm_computed(vm, p->first_badge + b) && vm->slots[p->first_badge + b].n)
      t->badges[(size_t)i * (size_t)t->nbw + (size_t)b / 64] |= UINT64_C(1) << (b % 64);
}

/* Scores one record the reader holds into a new entry of t. */
static void score_one(CmpTable *t, const RecordsFile *f, int file, KeySet *keys, VmCtx *vm, Row *row,
                      ActSource *acts) {
  const Program *p = t->p;
  long i = add_rec(t);
  CmpRec *rec = &t->recs[i];
  rec->file = file;
  rec->line = f->r.rec_line;
  t->read++;
  char key[KEY_MAX];
  bool keyed = raw_key(p, f, key, sizeof key);
  rec->key = keep_text(t, key, strlen(key));
  /* The place of the first record with a key, in KeySet's word: this
     table's record number, plus one so it is never 0. */
  uint64_t first = 0;
  bool repeat = keyed && p->nkeys && !key_is_new(p, f, keys, (uint64_t)i + 1, &first);
  if (keyed && p->nkeys && !repeat && key[0]) rec->primary = index_add(t, i);
  int field;
  char why[REC_WHY_MAX + 64], reason[REC_WHY_MAX];
  if (!rec_validate(p, &f->r, &f->map, row, &field, reason)) {
    if (field >= 0) snprintf(why, sizeof why, "field '%s': %s", p->fields[field].name, reason);
    else snprintf(why, sizeof why, "%s", reason);
    reject(t, i, why);
    return;
  }
  row->acts = repeat || !acts ? NULL : act_source_for(acts, &f->r, &f->map);
  if (repeat) {
    const CmpRec *was = &t->recs[first - 1];
    if (was->file == file) snprintf(why, sizeof why, "repeats the key of the record on line %ld", was->line);
    else snprintf(why, sizeof why, "repeats the key of the record on %s:%ld",
                  strcmp(t->paths[was->file], "-") == 0 ? "<stdin>" : t->paths[was->file], was->line);
    reject(t, i, why);
    return;
  }
  VmStatus st = vm_eval(vm, row);
  if (st != VM_OK) {
    Pos pos = vm_error_pos(vm);
    snprintf(why, sizeof why, "cannot be scored: %s (at %s:%d:%d) [%s]", vm_status_text(st),
             p->files[pos.file], pos.line, pos.col, vm_status_code(st));
    reject(t, i, why);
    return;
  }
  keep_outcome(t, i, vm);
}

/* One column per output name, in the order the names first appear. */
static void output_columns(CmpTable *t) {
  const Program *p = t->p;
  t->out_name = xcalloc((size_t)p->noutputs + 1, sizeof *t->out_name);
  t->out_type = xcalloc((size_t)p->noutputs + 1, sizeof *t->out_type);
  t->out_col = xcalloc((size_t)p->noutputs + 1, sizeof *t->out_col);
  for (int k = 0; k < p->noutputs; k++) {
    const SlotInfo *si = &p->slots[p->first_output + k];
    int c = 0;
    while (c < t->nout && strcmp(t->out_name[c], si->name) != 0) c++;
    if (c == t->nout) {
      t->out_name[t->nout] = si->name;
      t->out_type[t->nout++] = si->type;
    }
    t->out_col[k] = c;
  }
  t->nobw = (t->nout + 63) / 64;
}

bool cmp_score(CmpTable *t, const Program *p, const int64_t *params, const char *const *paths,
               int npaths, const char *prog_name, FILE *err) {
  return cmp_score_acts(t, p, params, paths, npaths, prog_name, err, NULL);
}

bool cmp_score_acts(CmpTable *t, const Program *p, const int64_t *params, const char *const *paths, int npaths,
                    const char *prog_name, FILE *err, ActSource *acts) {
  memset(t, 0, sizeof *t);
  t->p = p;
  t->paths = paths;
  t->npaths = npaths;
  t->stride = 1 + p->ncategories + p->npayouts + p->nbenefits;
  t->nbw = (p->nbadges + 63) / 64;
  output_columns(t);
  VmCtx vm;
  if (!vm_init(&vm, p)) abort();
  if (acts && acts->has_as_of) vm_set_as_of(&vm, acts->as_of);
  memcpy(vm.params, params, (size_t)p->nparam_values * sizeof *params);
  Row row = {xcalloc((size_t)p->nfields + 1, sizeof *row.vals), xcalloc((size_t)p->nfields + 1, 1), NULL};
  KeySet keys;
  keyset_init(&keys);
  bool ok = true;
  for (int file = 0; ok && file < npaths; file++) {
    RecordsFile f;
    if (!records_open(&f, prog_name, p, paths[file], err)) { ok = false; break; }
    while (csv_next(&f.r)) score_one(t, &f, file, &keys, &vm, &row, acts);
    ok = records_read_whole(&f, err);
    records_close(&f);
  }
  keyset_free(&keys);
  free(row.vals);
  free(row.set);
  vm_free(&vm);
  return ok;
}

void cmp_table_free(CmpTable *t) {
  for (long i = 0; i < t->n; i++) free(t->recs[i].why);
  free(t->recs);
  free(t->vals);
  free(t->badges);
  free(t->out_name);
  free(t->out_type);
  free(t->out_col);
  free(t->outs);
  free(t->out_set);
  free(t->index);
  for (CmpChunk *c = t->chunks, *next; c; c = next) {
    next = c->next;
    free(c);
  }
  memset(t, 0, sizeof *t);
}

/* ---- one record's outcome ------------------------------------------------------- */

Dec cmp_score_of(const CmpTable *t, long i) { return t->vals[(size_t)i * (size_t)t->stride]; }

Dec cmp_category(const CmpTable *t, long i, int c) { return t->vals[(size_t)i * (size_t)t->stride + 1 + (size_t)c]; }

Dec cmp_payout(const CmpTable *t, long i, int k) {
  return t->vals[(size_t)i * (size_t)t->stride + 1 + (size_t)t->p->ncategories + (size_t)k];
}

bool cmp_badge(const CmpTable *t, long i, int b) {
  return t->badges[(size_t)i * (size_t)t->nbw + (size_t)b / 64] >> (b % 64) & 1;
}

/* A benefit's value follows the record's tier, and may be a param's (the
   scheme's value, for the record's key member): kept as the VM gave it
   (vm_benefit), when the record was scored. */
bool cmp_benefit(const CmpTable *t, long i, int b, int64_t *v, bool *holds_it) {
  const Program *p = t->p;
  const CmpRec *rec = &t->recs[i];
  if (rec->state != CMP_SCORED) return false;
  *v = t->vals[(size_t)i * (size_t)t->stride + 1 + (size_t)p->ncategories + (size_t)p->npayouts + (size_t)b];
  *holds_it = holds((ValueType)p->benefits[b].type, *v);
  return true;
}

bool cmp_output(const CmpTable *t, long i, int c, int64_t *v, bool *holds_it) {
  if (!(t->out_set[(size_t)i * (size_t)t->nobw + (size_t)c / 64] >> (c % 64) & 1)) return false;
  *v = t->outs[(size_t)i * (size_t)t->nout + (size_t)c];
  *holds_it = holds((ValueType)t->out_type[c], *v);
  return true;
}

const char *cmp_key(const CmpTable *t, long i) { return t->recs[i].key[0] ? t->recs[i].key : "(no key)"; }

const char *cmp_track_name(const CmpTable *t, long i) {
  int k = t->recs[i].track;
  return k < 0 ? NULL : t->p->tracks[k].name;
}

const char *cmp_tier_name(const CmpTable *t, long i) {
  int k = t->recs[i].tier;
  return k < 0 ? NULL : t->p->tiers[k].name;
}

/* ---- quartiles ------------------------------------------------------------------- */

static int cmp_dec(const void *a, const void *b) {
  Dec x = *(const Dec *)a, y = *(const Dec *)b;
  return (x > y) - (x < y);
}

/* The score at the nearest rank of the p-th percentile: ceil(p n / 100),
   from 1.  n > 0; p 1..100. */
static Dec nearest_rank(const Dec *sorted, long n, long p) {
  long rank = (p * n + 99) / 100;
  return sorted[(rank < 1 ? 1 : rank) - 1];
}

void cmp_spread(Dec *scores, long n, CmpSpread *s) {
  memset(s, 0, sizeof *s);
  s->n = n;
  if (n <= 0) return;
  qsort(scores, (size_t)n, sizeof *scores, cmp_dec);
  s->min = scores[0];
  s->q1 = nearest_rank(scores, n, 25);
  s->median = nearest_rank(scores, n, 50);
  s->q3 = nearest_rank(scores, n, 75);
  s->max = scores[n - 1];
}

/* ---- names matched across programs --------------------------------------------- */

static bool same_name(const char *a, const char *b) { return a == b || (a && b && strcmp(a, b) == 0); }

/* A union of two lists of names: a's in order, each of b's that a lacks
   inserted after the name before it in b (at the front when it is b's
   first), so that two ladders merge into one that still reads lowest
   first.  at[side][i] is name i of that side's list in the union.
   Returns the union's length; *out is allocated. */
static int merge_names(const char *const *a, int na, const char *const *b, int nb, const char ***out,
                       int **at_a, int **at_b) {
  const char **u = xcalloc((size_t)(na + nb) + 1, sizeof *u);
  int n = 0;
  for (int i = 0; i < na; i++) u[n++] = a[i];
  int after = -1;   /* where the last of b's names is in u */
  for (int j = 0; j < nb; j++) {
    int k = 0;
    while (k < n && !same_name(u[k], b[j])) k++;
    if (k == n) {
      k = after + 1;
      memmove(u + k + 1, u + k, (size_t)(n - k) * sizeof *u);
      u[k] = b[j];
      n++;
    }
    after = k;
  }
  *at_a = xcalloc((size_t)na + 1, sizeof **at_a);
  *at_b = xcalloc((size_t)nb + 1, sizeof **at_b);
  for (int k = 0; k < n; k++) {
    for (int i = 0; i < na; i++) if (same_name(u[k], a[i])) (*at_a)[i] = k;
    for (int j = 0; j < nb; j++) if (same_name(u[k], b[j])) (*at_b)[j] = k;
  }
  *out = u;
  return n;
}

/* A program's names of one kind, for merge_names. */
typedef enum {
  NAMES_TRACKS, NAMES_TIERS, NAMES_CATEGORIES, NAMES_PAYOUTS, NAMES_BADGES, NAMES_BENEFITS, NAMES_OUTPUTS
} NameKind;

/* NAMES_TIERS: the ladder of the track, none when track is -1. */
static int names_of(const CmpTable *t, NameKind kind, int track, const char ***out) {
  const Program *p = t->p;
  int n = kind == NAMES_TRACKS ? p->ntracks : kind == NAMES_TIERS ? (track < 0 ? 0 : p->tracks[track].ntiers)
        : kind == NAMES_CATEGORIES ? p->ncategories : kind == NAMES_PAYOUTS ? p->npayouts
        : kind == NAMES_BADGES ? p->nbadges : kind == NAMES_BENEFITS ? p->nbenefits : t->nout;
  const char **v = xcalloc((size_t)n + 1, sizeof *v);
  for (int i = 0; i < n; i++) {
    if (kind == NAMES_TIERS) v[i] = p->tiers[p->tracks[track].tiers[i]].name;
    else if (kind == NAMES_OUTPUTS) v[i] = t->out_name[i];
    else if (kind == NAMES_TRACKS) v[i] = p->tracks[i].name;
    else if (kind == NAMES_CATEGORIES) v[i] = p->slots[p->npoints + i].name;
    else if (kind == NAMES_PAYOUTS) v[i] = p->slots[p->first_payout + i].name;
    else if (kind == NAMES_BADGES) v[i] = p->slots[p->first_badge + i].name;
    else v[i] = p->benefits[i].name;
  }
  *out = v;
  return n;
}

/* One kind of name in both programs: the union and where each side's are. */
typedef struct Merged { const char **names; int n; int *at[2]; } Merged;

static void merge_kind(const CmpTable *a, const CmpTable *b, NameKind kind, int ta, int tb, Merged *m) {
  const char **na, **nb;
  int ca = names_of(a, kind, ta, &na), cb = names_of(b, kind, tb, &nb);
  m->n = merge_names(na, ca, nb, cb, &m->names, &m->at[0], &m->at[1]);
  free(na);
  free(nb);
}

static void merged_free(Merged *m) {
  free(m->names);
  free(m->at[0]);
  free(m->at[1]);
}

/* Where each union name is on a side: -1 where the side lacks it. */
static int *inverse(const Merged *m, int side, int nside) {
  int *inv = xcalloc((size_t)m->n + 1, sizeof *inv);
  for (int k = 0; k < m->n; k++) inv[k] = -1;
  for (int i = 0; i < nside; i++) inv[m->at[side][i]] = i;
  return inv;
}

/* ---- matching -------------------------------------------------------------------- */

/* The record of t at a place, by binary search: records are kept in the
   order they were read, so places increase. */
static long at_place(const CmpTable *t, int file, long line) {
  long lo = 0, hi = t->n - 1;
  while (lo <= hi) {
    long mid = lo + (hi - lo) / 2;
    const CmpRec *r = &t->recs[mid];
    if (r->file == file && r->line == line) return mid;
    if (r->file < file || (r->file == file && r->line < line)) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/* partner[side][i]: the record of the other side paired with record i, or -1. */
static void match(const CmpTable *a, const CmpTable *b, long *pa, long *pb) {
  for (long i = 0; i < a->n; i++) pa[i] = -1;
  for (long j = 0; j < b->n; j++) pb[j] = -1;
  for (long i = 0; i < a->n; i++) {
    if (!a->recs[i].primary) continue;
    long j = cmp_find(b, a->recs[i].key);
    if (j >= 0 && pb[j] < 0) { pa[i] = j; pb[j] = i; }
  }
  for (long i = 0; i < a->n; i++) {
    if (pa[i] >= 0) continue;
    long j = at_place(b, a->recs[i].file, a->recs[i].line);
    if (j >= 0 && pb[j] < 0) { pa[i] = j; pb[j] = i; }
  }
}

/* ---- comparing ------------------------------------------------------------------- */

/* Everything both programs name, merged, with each side's indexes. */
typedef struct Names {
  Merged tracks, cats, payouts, badges, benefits, outputs;
  Merged *tiers;           /* per union track */
  int *track_of[2];        /* union track -> the side's track, -1 */
  /* The side's tier on the side's track -> its row in the merged ladder:
     [track * (ntiers + 1) + tier].  Per track, since tracks may share a
     ladder that the other program splits. */
  int *tier_row[2];
  int *cat_of[2], *payout_of[2], *badge_of[2], *benefit_of[2], *output_of[2];   /* union -> side, -1 */
} Names;

static void names_init(Names *nm, const CmpTable *ta_, const CmpTable *tb_) {
  const CmpTable *pa = ta_, *pb = tb_;
  const Program *p[2] = {ta_->p, tb_->p};
  merge_kind(pa, pb, NAMES_TRACKS, -1, -1, &nm->tracks);
  merge_kind(pa, pb, NAMES_CATEGORIES, -1, -1, &nm->cats);
  merge_kind(pa, pb, NAMES_PAYOUTS, -1, -1, &nm->payouts);
  merge_kind(pa, pb, NAMES_BADGES, -1, -1, &nm->badges);
  merge_kind(pa, pb, NAMES_BENEFITS, -1, -1, &nm->benefits);
  merge_kind(pa, pb, NAMES_OUTPUTS, -1, -1, &nm->outputs);
  for (int s = 0; s < 2; s++) {
    nm->output_of[s] = inverse(&nm->outputs, s, (s ? tb_ : ta_)->nout);
    nm->track_of[s] = inverse(&nm->tracks, s, p[s]->ntracks);
    nm->cat_of[s] = inverse(&nm->cats, s, p[s]->ncategories);
    nm->payout_of[s] = inverse(&nm->payouts, s, p[s]->npayouts);
    nm->badge_of[s] = inverse(&nm->badges, s, p[s]->nbadges);
    nm->benefit_of[s] = inverse(&nm->benefits, s, p[s]->nbenefits);
    nm->tier_row[s] = xcalloc((size_t)p[s]->ntracks * ((size_t)p[s]->ntiers + 1) + 1, sizeof *nm->tier_row[s]);
  }
  nm->tiers = xcalloc((size_t)nm->tracks.n, sizeof *nm->tiers);
  for (int k = 0; k < nm->tracks.n; k++) {
    int ta = nm->track_of[0][k], tb = nm->track_of[1][k];
    merge_kind(pa, pb, NAMES_TIERS, ta, tb, &nm->tiers[k]);
    for (int s = 0; s < 2; s++) {
      int t = nm->track_of[s][k];
      for (int j = 0; t >= 0 && j < p[s]->tracks[t].ntiers; j++)
        nm->tier_row[s][(size_t)t * ((size_t)p[s]->ntiers + 1) + (size_t)p[s]->tracks[t].tiers[j]] = nm->tiers[k].at[s][j];
    }
  }
}

static void names_free(Names *nm) {
  for (int k = 0; k < nm->tracks.n; k++) merged_free(&nm->tiers[k]);
  free(nm->tiers);
  merged_free(&nm->tracks);
  merged_free(&nm->cats);
  merged_free(&nm->payouts);
  merged_free(&nm->badges);
  merged_free(&nm->benefits);
  merged_free(&nm->outputs);
  for (int s = 0; s < 2; s++) {
    free(nm->track_of[s]);
    free(nm->tier_row[s]);
    free(nm->cat_of[s]);
    free(nm->payout_of[s]);
    free(nm->badge_of[s]);
    free(nm->benefit_of[s]);
    free(nm->output_of[s]);
  }
}

/* The row of record i's tier in its track's merged ladder; -1 for no
   tier (or no track). */
static int tier_row(const Names *nm, const CmpTable *t, int side, long i) {
  const CmpRec *r = &t->recs[i];
  if (r->tier < 0 || r->track < 0) return -1;
  return nm->tier_row[side][(size_t)r->track * ((size_t)t->p->ntiers + 1) + (size_t)r->tier];
}

/* A record's track as a union track, or -1 (none). */
static int union_track(const Names *nm, const CmpTable *t, int side, long i) {
  int k = t->recs[i].track;
  return k < 0 ? -1 : nm->tracks.at[side][k];
}

static DecSum abs_sum(DecSum v) { return v < 0 ? -v : v; }

/* The differences of one pair that are not its state: a value per union
   name, absent as 0. */
static DecSum cat_change(const Names *nm, const CmpTable *const t[2], const long rec[2], int u) {
  DecSum v[2] = {0, 0};
  for (int s = 0; s < 2; s++)
    if (nm->cat_of[s][u] >= 0 && t[s]->recs[rec[s]].state == CMP_SCORED) v[s] = cmp_category(t[s], rec[s], nm->cat_of[s][u]);
  return v[1] - v[0];
}

static bool badges_differ(const Names *nm, const CmpTable *const t[2], const long rec[2]) {
  for (int u = 0; u < nm->badges.n; u++) {
    bool has[2];
    for (int s = 0; s < 2; s++) has[s] = nm->badge_of[s][u] >= 0 && cmp_badge(t[s], rec[s], nm->badge_of[s][u]);
    if (has[0] != has[1]) return true;
  }
  return false;
}

/* How a pair's benefit or output u (a union index) changed from BASE to
   NEW.  A side whose program has no such name counts as holding nothing,
   value 0, so a benefit or output one program adds changes only the
   records that hold it; so does a record that gets no benefit (it is on
   no track).  When both programs have an output, a value on one side only
   (the other record did not compute it, or left it unset) is a change:
   missing is not 0. */
typedef enum { SAME, GAINED, LOST, CHANGED } ValueChange;

static ValueChange value_change(const Names *nm, const CmpTable *const t[2], const long rec[2], bool output, int u) {
  int64_t v[2] = {0, 0};
  bool held[2] = {false, false}, has[2] = {false, false};
  ValueType type[2] = {VT_NUMBER, VT_NUMBER};
  int k[2];
  for (int s = 0; s < 2; s++) {
    k[s] = output ? nm->output_of[s][u] : nm->benefit_of[s][u];
    if (k[s] < 0) continue;
    int ks = k[s];
    type[s] = (ValueType)(output ? t[s]->out_type[ks] : t[s]->p->benefits[ks].type);
    has[s] = output ? cmp_output(t[s], rec[s], ks, &v[s], &held[s]) : cmp_benefit(t[s], rec[s], ks, &v[s], &held[s]);
    if (!has[s]) v[s] = 0, held[s] = false;
  }
  if (held[1] && !held[0]) return GAINED;
  if (held[0] && !held[1]) return LOST;
  if (v[0] != v[1] || (has[0] && has[1] && type[0] != type[1])) return CHANGED;
  if (output && k[0] >= 0 && k[1] >= 0 && has[0] != has[1]) return CHANGED;
  return SAME;
}

/* Whether anything of a pair neither side rejected differs but its track,
   tier and badges (which make it a mover): its score, a category total, a
   payout, a benefit, an output. */
static bool values_differ(const Names *nm, const CmpTable *const t[2], const long rec[2]) {
  bool scored[2] = {t[0]->recs[rec[0]].state == CMP_SCORED, t[1]->recs[rec[1]].state == CMP_SCORED};
  if (scored[0] != scored[1]) return true;
  for (int u = 0; u < nm->outputs.n; u++)
    if (value_change(nm, t, rec, true, u) != SAME) return true;
  if (!scored[0]) return false;   /* on no track in both: no score, totals, benefits */
  if (cmp_score_of(t[0], rec[0]) != cmp_score_of(t[1], rec[1])) return true;
  for (int u = 0; u < nm->cats.n; u++)
    if (cat_change(nm, t, rec, u)) return true;
  for (int u = 0; u < nm->payouts.n; u++) {
    Dec v[2] = {0, 0};
    for (int s = 0; s < 2; s++) if (nm->payout_of[s][u] >= 0) v[s] = cmp_payout(t[s], rec[s], nm->payout_of[s][u]);
    if (v[0] != v[1]) return true;
  }
  for (int u = 0; u < nm->benefits.n; u++)
    if (value_change(nm, t, rec, false, u) != SAME) return true;
  return false;
}

/* The categories that moved a mover's score most. */
static void top_categories(const Names *nm, const CmpTable *const t[2], CmpMover *m) {
  m->ncats = 0;
  for (int u = 0; u < nm->cats.n; u++) {
    DecSum d = cat_change(nm, t, m->rec, u);
    if (!d) continue;
    int at = m->ncats;   /* insertion: largest |change| first, ties in program order */
    while (at > 0 && abs_sum(m->cats[at - 1].change) < abs_sum(d)) at--;
    if (at >= CMP_TOP_CATEGORIES) continue;
    int last = m->ncats < CMP_TOP_CATEGORIES ? m->ncats : CMP_TOP_CATEGORIES - 1;
    memmove(m->cats + at + 1, m->cats + at, (size_t)(last - at) * sizeof *m->cats);
    m->cats[at] = (CmpCatMove){nm->cats.names[u], d};
    if (m->ncats < CMP_TOP_CATEGORIES) m->ncats++;
  }
}

static int cmp_movers(const void *pa, const void *pb) {
  const CmpMover *a = pa, *b = pb;
  int sa = abs(a->steps), sb = abs(b->steps);
  if (sa != sb) return sb - sa;
  DecSum ca = abs_sum(a->change), cb = abs_sum(b->change);
  if (ca != cb) return ca < cb ? 1 : -1;
  int k = strcmp(a->key, b->key);
  return k ? k : (a->rec[0] > b->rec[0]) - (a->rec[0] < b->rec[0]);
}

/* A record's level: its tier's place on its track's merged ladder, 1 the
   lowest; 0 for no tier or no track.  The merged ladder, not the
   program's, so that a tier a scheme inserts below is no step for the
   records that stay where they were. */
static int level_of(const Names *nm, const CmpTable *t, int side, long i) {
  return tier_row(nm, t, side, i) + 1;
}

/* The per-track tables: tier counts, the migration matrix, quartiles. */
static void track_tables(CmpResult *r, const Names *nm, const CmpTable *const t[2], const long *const partner[2]) {
  r->ntracks = nm->tracks.n;
  r->tracks = xcalloc((size_t)r->ntracks, sizeof *r->tracks);
  for (int k = 0; k < r->ntracks; k++) {
    CmpTrack *tr = &r->tracks[k];
    const Merged *m = &nm->tiers[k];
    tr->name = nm->tracks.names[k];
    tr->index[0] = nm->track_of[0][k];
    tr->index[1] = nm->track_of[1][k];
    /* A "no tier" row only when some record on the track has no tier. */
    bool none = false;
    for (int s = 0; s < 2; s++)
      for (long i = 0; i < t[s]->n; i++)
        if (t[s]->recs[i].state == CMP_SCORED && union_track(nm, t[s], s, i) == k && t[s]->recs[i].tier < 0) none = true;
    tr->ntiers = m->n + none;
    tr->tiers = xcalloc((size_t)tr->ntiers + 1, sizeof *tr->tiers);
    for (int j = 0; j < m->n; j++) tr->tiers[j] = m->names[j];
    size_t cells = (size_t)tr->ntiers * (size_t)tr->ntiers;
    tr->matrix = xcalloc(cells, sizeof *tr->matrix);
    for (int s = 0; s < 2; s++) {
      tr->count[s] = xcalloc((size_t)tr->ntiers, sizeof *tr->count[s]);
      Dec *scores = xcalloc((size_t)t[s]->n + 1, sizeof *scores);
      long nscores = 0;
      for (long i = 0; i < t[s]->n; i++) {
        if (t[s]->recs[i].state != CMP_SCORED || union_track(nm, t[s], s, i) != k) continue;
        int row = tier_row(nm, t[s], s, i);
        if (row < 0) row = tr->ntiers - 1;
        tr->count[s][row]++;
        scores[nscores++] = cmp_score_of(t[s], i);
        if (s == 0 && partner[0][i] >= 0) {
          long j = partner[0][i];
          if (t[1]->recs[j].state == CMP_SCORED && union_track(nm, t[1], 1, j) == k) {
            int to = tier_row(nm, t[1], 1, j);
            if (to < 0) to = tr->ntiers - 1;
            tr->matrix[(size_t)row * (size_t)tr->ntiers + (size_t)to]++;
          }
        }
      }
      cmp_spread(scores, nscores, &tr->spread[s]);
      free(scores);
    }
  }
}

/* Who holds each benefit or output under each scheme, who gains and who
   loses it; only those where something changes are kept. */
static CmpBenefit *holders(const Names *nm, const CmpTable *const t[2], const long *const partner[2], bool output,
                           int *n) {
  const Merged *m = output ? &nm->outputs : &nm->benefits;
  CmpBenefit *list = xcalloc((size_t)m->n + 1, sizeof *list);
  *n = 0;
  for (int u = 0; u < m->n; u++) {
    CmpBenefit b = {m->names[u], {0, 0}, {0, 0}, 0, 0, 0};
    for (int s = 0; s < 2; s++) {
      b.index[s] = output ? nm->output_of[s][u] : nm->benefit_of[s][u];
      for (long i = 0; b.index[s] >= 0 && i < t[s]->n; i++) {
        int64_t v;
        bool held = false;
        bool has = output ? cmp_output(t[s], i, b.index[s], &v, &held) : cmp_benefit(t[s], i, b.index[s], &v, &held);
        b.recipients[s] += has && held;
      }
    }
    for (long i = 0; i < t[0]->n; i++) {
      const long rec[2] = {i, partner[0][i]};
      if (rec[1] < 0 || t[0]->recs[i].state == CMP_REJECTED || t[1]->recs[rec[1]].state == CMP_REJECTED) continue;
      switch (value_change(nm, t, rec, output, u)) {
      case GAINED: b.gained++; break;
      case LOST: b.lost++; break;
      case CHANGED: b.changed++; break;
      case SAME: break;
      }
    }
    if (b.gained || b.lost || b.changed || b.recipients[0] != b.recipients[1]) list[(*n)++] = b;
  }
  return list;
}

/* Payout totals over what each scheme scored; benefits' and outputs' holders. */
static void cost_tables(CmpResult *r, const Names *nm, const CmpTable *const t[2], const long *const partner[2]) {
  r->npayouts = nm->payouts.n;
  r->payouts = xcalloc((size_t)r->npayouts, sizeof *r->payouts);
  for (int u = 0; u < r->npayouts; u++) {
    CmpPayout *py = &r->payouts[u];
    py->name = nm->payouts.names[u];
    for (int s = 0; s < 2; s++) {
      py->index[s] = nm->payout_of[s][u];
      for (long i = 0; py->index[s] >= 0 && i < t[s]->n; i++)
        if (t[s]->recs[i].state == CMP_SCORED) py->total[s] += cmp_payout(t[s], i, py->index[s]);
    }
  }
  r->benefits = holders(nm, t, partner, false, &r->nbenefits);
  r->outputs = holders(nm, t, partner, true, &r->noutputs);
}

void cmp_compare(const CmpTable *base, const CmpTable *after, CmpResult *r) {
  memset(r, 0, sizeof *r);
  const CmpTable *const t[2] = {base, after};
  r->side[0] = base;
  r->side[1] = after;
  long *pa = xcalloc((size_t)base->n + 1, sizeof *pa), *pb = xcalloc((size_t)after->n + 1, sizeof *pb);
  match(base, after, pa, pb);
  const long *const partner[2] = {pa, pb};
  Names nm;
  names_init(&nm, base, after);

  /* Tracks: the union, then "no track"; a matrix of the pairs. */
  r->has_tracks = !base->p->implicit_track || !after->p->implicit_track;
  r->ntrack_names = nm.tracks.n + 1;
  r->track_names = xcalloc((size_t)r->ntrack_names, sizeof *r->track_names);
  for (int k = 0; k < nm.tracks.n; k++) r->track_names[k] = nm.tracks.names[k];
  r->track_matrix = xcalloc((size_t)r->ntrack_names * (size_t)r->ntrack_names, sizeof *r->track_matrix);

  /* Each pair once, in base's order; then what only one side has. */
  r->differ = xcalloc((size_t)(base->n + after->n) + 1, sizeof *r->differ);
  r->movers = xcalloc((size_t)base->n + 1, sizeof *r->movers);
  for (long i = 0; i < base->n; i++) {
    long j = pa[i];
    const CmpRec *a = &base->recs[i], *b = j >= 0 ? &after->recs[j] : NULL;
    if (!b) { r->differ[r->ndiffer++] = (struct CmpDiffer){{i, -1}}; r->changed++; continue; }
    bool rej[2] = {a->state == CMP_REJECTED, b->state == CMP_REJECTED};
    if (rej[0] && rej[1]) { r->both_rejected++; continue; }
    if (rej[0] || rej[1]) { r->differ[r->ndiffer++] = (struct CmpDiffer){{i, j}}; r->changed++; continue; }
    const long rec[2] = {i, j};
    int ka = union_track(&nm, base, 0, i), kb = union_track(&nm, after, 1, j);
    r->track_matrix[(size_t)(ka < 0 ? nm.tracks.n : ka) * (size_t)r->ntrack_names + (size_t)(kb < 0 ? nm.tracks.n : kb)]++;
    bool moved = ka != kb || !same_name(cmp_tier_name(base, i), cmp_tier_name(after, j)) || badges_differ(&nm, t, rec);
    if (moved) {
      CmpMover *m = &r->movers[r->nmovers++];
      m->rec[0] = i;
      m->rec[1] = j;
      m->key = cmp_key(base, i);
      m->steps = level_of(&nm, after, 1, j) - level_of(&nm, base, 0, i);
      m->change = (DecSum)(b->state == CMP_SCORED ? cmp_score_of(after, j) : 0) -
                  (DecSum)(a->state == CMP_SCORED ? cmp_score_of(base, i) : 0);
      top_categories(&nm, t, m);
    }
    if (moved || values_differ(&nm, t, rec)) r->changed++;
  }
  for (long j = 0; j < after->n; j++)
    if (pb[j] < 0) { r->differ[r->ndiffer++] = (struct CmpDiffer){{-1, j}}; r->changed++; }
  if (r->nmovers > 1) qsort(r->movers, (size_t)r->nmovers, sizeof *r->movers, cmp_movers);

  track_tables(r, &nm, t, partner);
  cost_tables(r, &nm, t, partner);
  /* The result keeps the union lists of tracks; the names point into the programs. */
  names_free(&nm);
  free(pa);
  free(pb);
}

void cmp_result_free(CmpResult *r) {
  for (int k = 0; k < r->ntracks; k++) {
    free(r->tracks[k].tiers);
    free(r->tracks[k].matrix);
    free(r->tracks[k].count[0]);
    free(r->tracks[k].count[1]);
  }
  free(r->tracks);
  free(r->track_names);
  free(r->track_matrix);
  free(r->differ);
  free(r->movers);
  free(r->payouts);
  free(r->benefits);
  free(r->outputs);
  memset(r, 0, sizeof *r);
}

/*
** activity.c — see activity.h.
**
** Every table grows by doubling and is counted in ActStore.bytes before it
** grows, so --max-memory is checked before the memory is taken, never
** after.  Texts are kept in one arena that may move as it grows: cells
** hold offsets, and pointers are made only when a partner's activities are
** decoded (act_decode), once the store has stopped growing (whole file) or
** for the batch being scored (--sorted).
*/
#include "activity.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL   /* header-only: nothing to link */
#include <xxhash.h>

#include "stream.h"
#include "vm.h"

/* ---- counts and messages ------------------------------------------------------- */

void act_stats_add(ActStats *a, const ActStats *b) {
  a->read += b->read;
  a->used += b->used;
  a->after += b->after;
  a->unknown += b->unknown;
  a->rejected += b->rejected;
  a->of_rejected += b->of_rejected;
}

void act_stats_line(FILE *out, const ActStats *s) {
  fprintf(out, "activities: %ld read, %ld used, %ld after the as-of date, %ld unknown partner, %ld rejected", s->read,
          s->used, s->after, s->unknown, s->rejected);
  if (s->of_rejected) fprintf(out, ", %ld of rejected partners", s->of_rejected);
  putc('\n', out);
}

void act_log(ActLog *l, long line, const char *fmt, ...) {
  char buf[REC_WHY_MAX + 512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 64;
    l->v = realloc(l->v, l->cap * sizeof *l->v);
    if (!l->v) abort();
  }
  l->v[l->n] = (ActMsg){line, strdup(buf)};
  if (!l->v[l->n].text) abort();
  l->n++;
}

static int by_line(const void *a, const void *b) {
  const ActMsg *x = a, *y = b;
  return x->line < y->line ? -1 : x->line > y->line;
}

void act_log_flush(ActLog *l, FILE *err) {
  /* lines are unique to an activity, and each gets at most one message */
  if (l->n) qsort(l->v, l->n, sizeof *l->v, by_line);
  for (size_t i = 0; i < l->n; i++) {
    fprintf(err, "%s\n", l->v[i].text);
    free(l->v[i].text);
  }
  l->n = 0;
}

void act_log_free(ActLog *l) {
  for (size_t i = 0; i < l->n; i++) free(l->v[i].text);
  free(l->v);
  memset(l, 0, sizeof *l);
}

bool act_in_force(const Program *p, const Value *vals, const uint8_t *set, bool has_as_of, int64_t as_of) {
  return !has_as_of || p->adate < 0 || !set[p->adate] || vals[p->adate].n <= as_of;
}

void act_shadow(const Program *p, Program *shadow) {
  memset(shadow, 0, sizeof *shadow);
  shadow->fields = p->afields;
  shadow->nfields = p->nafields;
  shadow->key = p->akey;
  shadow->activity_schema = true;
}

/* ---- the store ------------------------------------------------------------------- */

void act_store_init(ActStore *s, const Program *p, bool intern, size_t max_bytes) {
  memset(s, 0, sizeof *s);
  s->p = p;
  s->intern = intern;
  s->max_bytes = max_bytes;
}

void act_store_free(ActStore *s) {
  free(s->cells);
  free(s->mask);
  free(s->lines);
  free(s->owner);
  free(s->text);
  free(s->itab);
  free(s->keys);
  free(s->ktab);
  free(s->first);
  free(s->order);
  free(s->matched);
  memset(s, 0, sizeof *s);
}

void act_store_clear(ActStore *s) {
  s->n = 0;
  s->ntext = 0;
  if (s->itab) memset(s->itab, 0, s->icap * sizeof *s->itab);
  s->iused = 0;
}

/* Counts `more` bytes about to be taken; false (over) past the bound. */
static bool take(ActStore *s, size_t more) {
  if (s->max_bytes && s->bytes + more > s->max_bytes) {
    s->over = true;
    return false;
  }
  s->bytes += more;
  return true;
}

/* Grows array *a of *cap elements of size `size` to hold `need`. */
static bool grow(ActStore *s, void **a, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return true;
  size_t c = *cap ? *cap : 64;
  while (c < need) c *= 2;
  if (!take(s, (c - *cap) * size)) return false;
  void *n = realloc(*a, c * size);
  if (!n) abort();
  *a = n;
  *cap = c;
  return true;
}

static uint64_t hash_text(const char *p, size_t n) { return XXH3_64bits(p, n); }

static const char *cell_text(const ActStore *s, int64_t cell, size_t *len) {
  *len = (size_t)(cell & ((1 << ACT_LEN_BITS) - 1));
  return s->text + (cell >> ACT_LEN_BITS);
}

/* Doubles an open-addressing table of 64-bit entries (0: empty) whose
   entries are text cells + 1, rehashing by their texts. */
static bool rehash_texts(ActStore *s, uint64_t **tab, size_t *cap) {
  size_t c = *cap ? *cap * 2 : 1024;
  if (!take(s, c * sizeof **tab)) return false;
  uint64_t *t = calloc(c, sizeof *t);
  if (!t) abort();
  for (size_t i = 0; i < *cap; i++) {
    if (!(*tab)[i]) continue;
    size_t len;
    const char *p = cell_text(s, (int64_t)(*tab)[i] - 1, &len);
    size_t j = hash_text(p, len) & (c - 1);
    while (t[j]) j = (j + 1) & (c - 1);
    t[j] = (*tab)[i];
  }
  if (*cap) s->bytes -= *cap * sizeof **tab;
  free(*tab);
  *tab = t;
  *cap = c;
  return true;
}

/* The cell of a text: where it is in the arena, kept once when interning. */
static bool text_cell(ActStore *s, const char *p, size_t n, int64_t *cell) {
  if (s->intern) {
    if ((s->iused + 1) * 2 > s->icap && !rehash_texts(s, &s->itab, &s->icap)) return false;
    size_t i = hash_text(p, n) & (s->icap - 1);
    for (; s->itab[i]; i = (i + 1) & (s->icap - 1)) {
      size_t len;
      const char *q = cell_text(s, (int64_t)s->itab[i] - 1, &len);
      if (len == n && memcmp(p, q, n) == 0) { *cell = (int64_t)s->itab[i] - 1; return true; }
    }
    if (!grow(s, (void **)&s->text, &s->captext, s->ntext + n + 1, 1)) return false;
    *cell = (int64_t)(s->ntext << ACT_LEN_BITS | n);
    s->itab[i] = (uint64_t)*cell + 1;
    s->iused++;
  } else {
    if (!grow(s, (void **)&s->text, &s->captext, s->ntext + n + 1, 1)) return false;
    *cell = (int64_t)(s->ntext << ACT_LEN_BITS | n);
  }
  if (n) memcpy(s->text + s->ntext, p, n);
  s->ntext += n;
  return true;
}

/* The id of a partner's key, made when new (whole-file store). */
static bool key_id(ActStore *s, const char *p, size_t n, uint32_t *id) {
  if ((s->nkeys + 1) * 2 > s->kcap) {
    size_t c = s->kcap ? s->kcap * 2 : 1024;
    if (!take(s, c * sizeof *s->ktab)) return false;
    uint32_t *t = calloc(c, sizeof *t);
    if (!t) abort();
    for (size_t i = 0; i < s->kcap; i++) {
      if (!s->ktab[i]) continue;
      size_t len;
      const char *q = cell_text(s, (int64_t)s->keys[s->ktab[i] - 1], &len);
      size_t j = hash_text(q, len) & (c - 1);
      while (t[j]) j = (j + 1) & (c - 1);
      t[j] = s->ktab[i];
    }
    if (s->kcap) s->bytes -= s->kcap * sizeof *s->ktab;
    free(s->ktab);
    s->ktab = t;
    s->kcap = c;
  }
  size_t i = hash_text(p, n) & (s->kcap - 1);
  for (; s->ktab[i]; i = (i + 1) & (s->kcap - 1)) {
    size_t len;
    const char *q = cell_text(s, (int64_t)s->keys[s->ktab[i] - 1], &len);
    if (len == n && memcmp(p, q, n) == 0) { *id = s->ktab[i] - 1; return true; }
  }
  int64_t cell;
  if (!grow(s, (void **)&s->keys, &s->capkeys, s->nkeys + 1, sizeof *s->keys) || !text_cell(s, p, n, &cell))
    return false;
  s->keys[s->nkeys] = (uint64_t)cell;
  s->ktab[i] = (uint32_t)++s->nkeys;
  *id = (uint32_t)(s->nkeys - 1);
  return true;
}

long act_find(const ActStore *s, const char *key, size_t len) {
  if (!s->kcap) return -1;
  for (size_t i = hash_text(key, len) & (s->kcap - 1); s->ktab[i]; i = (i + 1) & (s->kcap - 1)) {
    size_t n;
    const char *q = cell_text(s, (int64_t)s->keys[s->ktab[i] - 1], &n);
    if (n == len && memcmp(key, q, len) == 0) return (long)s->ktab[i] - 1;
  }
  return -1;
}

bool act_store_add(ActStore *s, const Row *row, long line) {
  const Program *p = s->p;
  size_t nf = (size_t)p->nafields;
  if (s->n == s->cap) {   /* every per-activity array doubles together */
    size_t c = s->cap ? 2 * s->cap : 1024, more = c - s->cap;
    if (!take(s, more * (nf * sizeof *s->cells + sizeof *s->mask + sizeof *s->lines +
                         (s->intern ? sizeof *s->owner : 0))))
      return false;
    s->cells = realloc(s->cells, c * (nf ? nf : 1) * sizeof *s->cells);
    s->mask = realloc(s->mask, c * sizeof *s->mask);
    s->lines = realloc(s->lines, c * sizeof *s->lines);
    if (s->intern) s->owner = realloc(s->owner, c * sizeof *s->owner);
    if (!s->cells || !s->mask || !s->lines || (s->intern && !s->owner)) abort();
    s->cap = c;
  }
  int64_t *cells = s->cells + s->n * nf;
  uint64_t mask = 0;
  for (size_t f = 0; f < nf; f++) {
    cells[f] = 0;
    if (!row->set[f]) continue;
    mask |= UINT64_C(1) << f;
    if (p->afields[f].kind == FIELD_TEXT) {
      if (!text_cell(s, row->vals[f].s, (size_t)row->vals[f].n, &cells[f])) return false;
    } else {
      cells[f] = row->vals[f].n;
    }
  }
  if (s->intern) {
    uint32_t id;
    const Value *k = &row->vals[p->akey];
    if (!key_id(s, k->s, (size_t)k->n, &id)) return false;
    s->owner[s->n] = id;
  }
  s->mask[s->n] = mask;
  s->lines[s->n] = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
  s->n++;
  return true;
}

/* Groups a whole-file store by partner: a counting sort of the
   activities' indexes by owner, file order kept within a partner. */
static bool act_group(ActStore *s) {
  if (!take(s, (s->nkeys + 1) * sizeof *s->first + s->n * sizeof *s->order + s->nkeys + 1)) return false;
  s->first = calloc(s->nkeys + 2, sizeof *s->first);
  s->order = malloc((s->n + 1) * sizeof *s->order);
  s->matched = calloc(s->nkeys + 1, 1);
  if (!s->first || !s->order || !s->matched) abort();
  for (size_t i = 0; i < s->n; i++) s->first[s->owner[i] + 1]++;
  for (size_t k = 0; k < s->nkeys; k++) s->first[k + 1] += s->first[k];
  uint32_t *at = malloc((s->nkeys + 1) * sizeof *at);
  if (!at) abort();
  memcpy(at, s->first, (s->nkeys + 1) * sizeof *at);
  for (size_t i = 0; i < s->n; i++) s->order[at[s->owner[i]]++] = (uint32_t)i;
  free(at);
  return true;
}

void act_buf_free(ActBuf *b) {
  free(b->vals);
  free(b->set);
  free(b->lines);
  memset(b, 0, sizeof *b);
}

ActList *act_list_copy(const Program *p, const ActList *src) {
  if (!src) return NULL;
  size_t nf = (size_t)p->nafields, cells = (size_t)src->n * nf;
  ActList *l = calloc(1, sizeof *l);
  Value *vals = calloc(cells + 1, sizeof *vals);
  uint8_t *set = calloc(cells + 1, 1);
  long *lines = calloc((size_t)src->n + 1, sizeof *lines);
  if (!l || !vals || !set || !lines) abort();
  for (size_t k = 0; k < cells; k++) {
    vals[k] = src->vals[k];
    set[k] = src->set[k];
    if (p->afields[k % nf].kind != FIELD_TEXT) continue;
    char *t = malloc((size_t)vals[k].n + 1);   /* an unset text is "" (act_decode) */
    if (!t) abort();
    if (vals[k].n) memcpy(t, vals[k].s, (size_t)vals[k].n);
    t[vals[k].n] = '\0';
    vals[k].s = t;
  }
  if (src->lines && src->n) memcpy(lines, src->lines, (size_t)src->n * sizeof *lines);
  *l = (ActList){src->n, vals, set, lines};
  return l;
}

void act_list_free(const Program *p, ActList *l) {
  if (!l) return;
  size_t nf = (size_t)p->nafields;
  for (size_t k = 0; k < (size_t)l->n * nf; k++)
    if (p->afields[k % nf].kind == FIELD_TEXT) free((char *)l->vals[k].s);
  free((void *)l->vals);
  free((void *)l->set);
  free((void *)l->lines);
  free(l);
}

const ActList *act_decode(const ActStore *s, const uint32_t *idx, size_t from, size_t count, ActBuf *b) {
  const Program *p = s->p;
  size_t nf = (size_t)p->nafields;
  if (count * nf > b->cap || count > b->cap) {
    size_t c = b->cap ? b->cap : 64;
    while (c < count * nf || c < count) c *= 2;
    b->vals = realloc(b->vals, c * sizeof *b->vals);
    b->set = realloc(b->set, c);
    b->lines = realloc(b->lines, c * sizeof *b->lines);
    if (!b->vals || !b->set || !b->lines) abort();
    b->cap = c;
  }
  for (size_t i = 0; i < count; i++) {
    size_t a = idx ? idx[from + i] : from + i;
    const int64_t *cells = s->cells + a * nf;
    for (size_t f = 0; f < nf; f++) {
      bool set = (s->mask[a] >> f) & 1;
      b->set[i * nf + f] = set;
      if (set && p->afields[f].kind == FIELD_TEXT) {
        size_t len;
        const char *t = cell_text(s, cells[f], &len);
        b->vals[i * nf + f] = (Value){(int64_t)len, t};
      } else {
        b->vals[i * nf + f] = (Value){set ? cells[f] : 0, p->afields[f].kind == FIELD_TEXT ? "" : NULL};
      }
    }
    b->lines[i] = s->lines[a];
  }
  b->list = (ActList){(int)count, b->vals, b->set, b->lines};
  return &b->list;
}

/* ---- reading ---------------------------------------------------------------------- */

/* Validates the reader's current row into row; logs and counts it when it
   is rejected or after the as-of date.  True: an activity in force. */
static bool read_row(const Program *p, const Program *shadow, const CsvReader *r, const RowMap *m, Row *row,
                     bool has_as_of, int64_t as_of, ActLog *log) {
  char why[REC_WHY_MAX];
  int field;
  log->st.read++;
  if (!rec_validate(shadow, r, m, row, &field, why)) {
    log->st.rejected++;
    if (field >= 0) act_log(log, r->rec_line, "%s:%ld: field '%s': %s", r->name, r->rec_line, p->afields[field].name, why);
    else act_log(log, r->rec_line, "%s:%ld: %s", r->name, r->rec_line, why);
    return false;
  }
  if (!act_in_force(p, row->vals, row->set, has_as_of, as_of)) {
    log->st.after++;
    return false;
  }
  return true;
}

static bool row_init(Row *row, const Program *p) {
  row->vals = calloc((size_t)p->nafields + 1, sizeof *row->vals);
  row->set = calloc((size_t)p->nafields + 1, 1);
  row->acts = NULL;
  return row->vals && row->set;
}

bool act_read(ActStore *s, ActLog *log, CsvReader *r, const RowMap *m, bool has_as_of, int64_t as_of) {
  const Program *p = s->p;
  Program shadow;
  act_shadow(p, &shadow);
  Row row;
  if (!row_init(&row, p)) abort();
  bool ok = true;
  while (ok && csv_next(r)) {
    if (!read_row(p, &shadow, r, m, &row, has_as_of, as_of, log)) continue;
    if (!act_store_add(s, &row, r->rec_line)) ok = false;
  }
  free(row.vals);
  free(row.set);
  return ok && act_group(s);
}

bool act_load(ActStore *s, ActLog *log, const char *prog_name, const char *path, bool has_as_of, int64_t as_of,
              FILE *err) {
  Program shadow;
  act_shadow(s->p, &shadow);
  RecordsFile f;
  if (!records_open(&f, prog_name, &shadow, path, err)) return false;
  log->name = f.r.name;
  bool ok = act_read(s, log, &f.r, &f.map, has_as_of, as_of);
  if (!ok) {
    char limit[32];
    if (s->max_bytes % (1 << 30) == 0) snprintf(limit, sizeof limit, "%zuG", s->max_bytes >> 30);
    else if (s->max_bytes % (1 << 20) == 0) snprintf(limit, sizeof limit, "%zuM", s->max_bytes >> 20);
    else if (s->max_bytes % (1 << 10) == 0) snprintf(limit, sizeof limit, "%zuK", s->max_bytes >> 10);
    else snprintf(limit, sizeof limit, "%zu bytes", s->max_bytes);
    fprintf(err,
            "%s:%ld: the activities read so far need more than %s of memory (--max-memory); sort both files "
            "by partner key and give --sorted, which holds only the partners in flight, or raise --max-memory\n",
            f.r.name, f.r.rec_line, limit);
  } else if (!records_read_whole(&f, err)) {
    ok = false;
  }
  records_close(&f);
  return ok;
}

void act_unmatched(const ActStore *s, ActLog *log) {
  for (size_t i = 0; i < s->n; i++) {
    uint32_t id = s->owner[i];
    if (s->matched[id]) continue;
    size_t len;
    const char *k = cell_text(s, (int64_t)s->keys[id], &len);
    log->st.unknown++;
    act_log(log, s->lines[i], "%s:%u: no partner '%.*s'", log->name, s->lines[i], (int)len, k);
  }
}

/* ---- --sorted ---------------------------------------------------------------------- */

static void keep_key(char **buf, size_t *cap, size_t *len, const char *p, size_t n) {
  if (n + 1 > *cap) {
    *cap = n + 64;
    *buf = realloc(*buf, *cap);
    if (!*buf) abort();
  }
  if (n) memcpy(*buf, p, n);
  *len = n;
}

bool act_cursor_open(ActCursor *c, const Program *p, const char *prog_name, const char *path, bool has_as_of,
                     int64_t as_of, ActLog *log, FILE *err) {
  memset(c, 0, sizeof *c);
  c->p = p;
  c->has_as_of = has_as_of;
  c->as_of = as_of;
  act_shadow(p, &c->shadow);
  c->f = malloc(sizeof *c->f);
  if (!c->f || !row_init(&c->row, p)) abort();
  if (!records_open(c->f, prog_name, &c->shadow, path, err)) {
    c->fatal = true;
    return false;
  }
  c->open = true;
  log->name = c->f->r.name;
  act_next(c, log, err);
  return !c->fatal;
}

void act_next(ActCursor *c, ActLog *log, FILE *err) {
  if (c->at_end || c->fatal) return;
  for (;;) {
    if (!csv_next(&c->f->r)) {
      c->at_end = true;
      if (!records_read_whole(c->f, err)) c->fatal = true;
      return;
    }
    char why[REC_WHY_MAX];
    int field;
    const CsvReader *r = &c->f->r;
    /* the order is checked on every valid row, in force or not */
    if (!rec_validate(&c->shadow, r, &c->f->map, &c->row, &field, why)) {
      log->st.read++;
      log->st.rejected++;
      if (field >= 0) act_log(log, r->rec_line, "%s:%ld: field '%s': %s", r->name, r->rec_line, c->p->afields[field].name, why);
      else act_log(log, r->rec_line, "%s:%ld: %s", r->name, r->rec_line, why);
      continue;
    }
    const Value *k = &c->row.vals[c->p->akey];
    if (c->has_prev) {
      size_t n = (size_t)k->n < c->prevlen ? (size_t)k->n : c->prevlen;
      int cmp = memcmp(k->s, c->prev, n);
      if (cmp < 0 || (cmp == 0 && (size_t)k->n < c->prevlen)) {
        fprintf(err, "%s:%ld: partner '%.*s' is out of order: it sorts before '%.*s' (line %ld); with --sorted the "
                     "activities must be sorted by partner key, in byte order (LC_ALL=C sort)\n",
                r->name, r->rec_line, (int)k->n, k->s, (int)c->prevlen, c->prev, c->prevline);
        c->fatal = true;
        return;
      }
    }
    keep_key(&c->prev, &c->prevcap, &c->prevlen, k->s, (size_t)k->n);
    c->prevline = r->rec_line;
    c->has_prev = true;
    log->st.read++;
    if (!act_in_force(c->p, c->row.vals, c->row.set, c->has_as_of, c->as_of)) {
      log->st.after++;
      continue;
    }
    keep_key(&c->key, &c->keycap, &c->keylen, k->s, (size_t)k->n);
    c->line = r->rec_line;
    return;
  }
}

void act_cursor_close(ActCursor *c) {
  if (c->open) records_close(c->f);
  free(c->f);
  free(c->row.vals);
  free(c->row.set);
  free(c->key);
  free(c->prev);
  memset(c, 0, sizeof *c);
}

/* ---- one record at a time -------------------------------------------------------- */

bool act_source_open(ActSource *a, const Program *p, const char *prog_name, const char *path, bool has_as_of,
                     int64_t as_of, FILE *err) {
  memset(a, 0, sizeof *a);
  a->p = p;
  a->has_as_of = has_as_of;
  a->as_of = as_of;
  act_store_init(&a->store, p, true, 0);
  if (!path) return true;
  VmCtx vm;   /* the as-of date the run's machines will have */
  if (!vm_init(&vm, p)) abort();
  if (has_as_of) vm_set_as_of(&vm, as_of);
  bool ok = act_load(&a->store, &a->log, prog_name, path, vm.has_as_of, vm.dates[VM_AS_OF], err);
  vm_free(&vm);
  if (!ok) return false;
  act_log_flush(&a->log, err);
  a->on = true;
  return true;
}

const ActList *act_source_find(ActSource *a, const char *key, size_t len) {
  if (!a->on) return NULL;
  long id = act_find(&a->store, key, len);
  if (id < 0) return NULL;
  uint32_t from = a->store.first[id], n = a->store.first[id + 1] - from;
  return act_decode(&a->store, a->store.order, from, n, &a->buf);
}

const ActList *act_source_for(ActSource *a, const CsvReader *r, const RowMap *m) {
  if (!a->on || a->p->key < 0) return NULL;
  int col = m->col_of_field[a->p->key];
  if (col < 0 || col >= r->ncells) return NULL;
  return act_source_find(a, r->rec + r->cell_off[col], r->cell_len[col]);
}

void act_source_close(ActSource *a) {
  act_store_free(&a->store);
  act_log_free(&a->log);
  act_buf_free(&a->buf);
}

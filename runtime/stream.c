/*
** stream.c — see stream.h.
**
** A ring of batches moves through three states: FREE (the reader may fill
** it), FILLED (a worker may score it), DONE (the reader may write it, in
** order, then free it).  The reader fills batch k while workers score
** earlier ones; it writes batch w as soon as w is DONE and it needs the
** slot, and while it waits for w it scores FILLED batches itself, so -j N
** runs N threads: N - 1 workers and the reader.  One mutex guards the states; two condition variables say "a
** batch was filled" and "a batch is done".  A batch owns copies of its
** records' bytes, so rows can point into it while a worker scores them.
*/
#include "stream.h"
#include "keyset.h"

#include <errno.h>
#include <pthread.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

enum { BATCH_RECORDS = 2048, BATCH_BYTES = 1 << 20 };

/* ---- counting and reporting ---------------------------------------------------- */

static size_t placements(const Program *p) { return (size_t)(p->ntracks ? p->ntracks : 1) * ((size_t)p->ntiers + 1); }

bool tally_init(Tally *t, const Program *p) {
  memset(t, 0, sizeof *t);
  t->placed = calloc(placements(p), sizeof *t->placed);
  t->payout_totals = calloc((size_t)p->npayouts + 1, sizeof *t->payout_totals);
  return t->placed && t->payout_totals;
}

static void free_notes(Tally *t) {
  for (size_t i = 0; i < t->nnotes; i++) {
    free(t->notes[i].key);
    free(t->notes[i].cells_key);
    free(t->notes[i].reason);
  }
  t->nnotes = 0;
}

void tally_free(Tally *t) {
  free_notes(t);
  free(t->notes);
  free(t->placed);
  free(t->payout_totals);
  memset(t, 0, sizeof *t);
}

long tally_placed(const Tally *t, const Program *p, int track, int tier) {
  return t->placed[(size_t)track * ((size_t)p->ntiers + 1) + (size_t)tier];
}

void tally_add(Tally *a, const Tally *b, const Program *p) {
  a->read += b->read;
  a->scored += b->scored;
  a->unassigned += b->unassigned;
  a->rejected += b->rejected;
  a->failed += b->failed;
  for (size_t i = 0; i < placements(p); i++) a->placed[i] += b->placed[i];
  for (int i = 0; i < p->npayouts; i++) a->payout_totals[i] += b->payout_totals[i];
  a->fatal |= b->fatal;
  act_stats_add(&a->acts, &b->acts);
}

void tally_count(Tally *t, const Program *p, const VmCtx *vm) {
  t->scored++;
  t->placed[(size_t)vm->track * ((size_t)p->ntiers + 1) + (size_t)(vm->tier < 0 ? p->ntiers : vm->tier)]++;
  for (int j = 0; j < p->npayouts; j++) t->payout_totals[j] += vm->slots[p->first_payout + j].n;
}

/* Moves b's notes to the end of a's. */
static void take_notes(Tally *a, Tally *b) {
  if (!b->nnotes) return;
  if (a->nnotes + b->nnotes > a->notes_cap) {
    a->notes_cap = a->nnotes + b->nnotes > 2 * a->notes_cap ? a->nnotes + b->nnotes : 2 * a->notes_cap;
    a->notes = realloc(a->notes, a->notes_cap * sizeof *a->notes);
    if (!a->notes) abort();
  }
  memcpy(a->notes + a->nnotes, b->notes, b->nnotes * sizeof *b->notes);
  a->nnotes += b->nnotes;
  b->nnotes = 0;
}

static void tally_clear(Tally *t, const Program *p) {
  t->read = t->scored = t->unassigned = t->rejected = t->failed = 0;
  memset(t->placed, 0, placements(p) * sizeof *t->placed);
  memset(t->payout_totals, 0, (size_t)p->npayouts * sizeof *t->payout_totals);
  t->fatal = false;
  memset(&t->acts, 0, sizeof t->acts);
  free_notes(t);
}

const char *key_text(const Program *p, const Row *row, char *buf, size_t cap) {
  size_t len = 0;
  buf[0] = '\0';
  for (int k = 0; k < p->nkeys && len < cap; k++) {
    int f = p->keys[k];
    if (!row->set[f]) continue;
    char vb[64];
    size_t n;
    const char *t = out_value_text(p, out_field_type(&p->fields[f]), &p->fields[f], row->vals[f], vb, &n);
    int w = snprintf(buf + len, cap - len, "%s%.*s", len ? "/" : "", (int)n, t);
    if (w < 0) break;
    len += (size_t)w;
  }
  return buf;
}

void report_record(FILE *err, Tally *t, NoteKind kind, const Program *p, const CsvReader *r, int field,
                   const char *key, const char *reason, const char *code) {
  fprintf(err, "%s:%ld: ", r->name, r->rec_line);
  if (field >= 0) fprintf(err, "field '%s': ", p->fields[field].name);
  if (key) fprintf(err, "record '%s' ", key);
  fprintf(err, code ? "%s [%s]\n" : "%s\n", reason, code);
  if (!t || !t->keep_notes) return;
  if (t->nnotes == t->notes_cap) {
    t->notes_cap = t->notes_cap ? 2 * t->notes_cap : 16;
    t->notes = realloc(t->notes, t->notes_cap * sizeof *t->notes);
    if (!t->notes) abort();
  }
  RunNote *n = &t->notes[t->nnotes++];
  *n = (RunNote){kind, r->name, r->rec_line, field, key ? strdup(key) : NULL, NULL, strdup(reason), code};
  if ((key && !n->key) || !n->reason) abort();
}

/* A rejected record's key cells as written, for its note: those of the
   key fields the record has cells for, '/'-joined, empty ones left out
   (as compare.h's key text).  A malformed record's cells are not read. */
static void note_cells_key(RunNote *n, const Program *p, const CsvReader *r, const RowMap *m) {
  if (r->error) return;
  size_t len = 0;
  char *s = NULL;
  for (int k = 0; k < p->nkeys; k++) {
    int col = m->col_of_field[p->keys[k]];
    if (col < 0 || col >= r->ncells || !r->cell_len[col]) continue;
    size_t add = r->cell_len[col] + (len > 0);
    s = realloc(s, len + add + 1);
    if (!s) abort();
    if (len) s[len++] = '/';
    memcpy(s + len, r->rec + r->cell_off[col], r->cell_len[col]);
    len += r->cell_len[col];
    s[len] = '\0';
  }
  n->cells_key = s;
}

void report_reject(FILE *err, const Program *p, const CsvReader *r, int field, const char *why) {
  report_record(err, NULL, NOTE_REJECTED, p, r, field, NULL, why, NULL);
}

/* "cannot be scored: WHY (at FILE:LINE:COL)", for a record vm failed on. */
static void vm_error_text(const Program *p, const VmCtx *vm, VmStatus st, char *buf, size_t n) {
  Pos pos = vm_error_pos(vm);
  snprintf(buf, n, "cannot be scored: %s (at %s:%d:%d)", vm_status_text(st), p->files[pos.file], pos.line,
           pos.col);
}

static void report_vm(FILE *err, Tally *t, const Program *p, const CsvReader *r, const Row *row,
                      const VmCtx *vm, VmStatus st) {
  char key[256], why[512];
  vm_error_text(p, vm, st, why, sizeof why);
  report_record(err, t, NOTE_REJECTED, p, r, -1, key_text(p, row, key, sizeof key), why, vm_status_code(st));
}

void report_vm_error(FILE *err, const Program *p, const CsvReader *r, const Row *row,
                     const VmCtx *vm, VmStatus st) {
  report_vm(err, NULL, p, r, row, vm, st);
}

void report_vm_note(FILE *err, Tally *t, const Program *p, const CsvReader *r, const Row *row,
                    const VmCtx *vm, VmStatus st) {
  report_vm(err, t, p, r, row, vm, st);
}

/* Opens path ("-": standard input) for reading, or says why it cannot. */
static FILE *open_readable(const char *prog_name, const char *path, FILE *err) {
  if (strcmp(path, "-") == 0) return stdin;
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    fprintf(err, "%s: cannot read %s: it is a folder, not a records file\n", prog_name, path);
    return NULL;
  }
  FILE *in = fopen(path, "rb");
  if (!in) fprintf(err, "%s: cannot read %s: %s\n", prog_name, path, strerror(errno));
  return in;
}

bool records_readable(const char *prog_name, const char *path, FILE *err) {
  FILE *in = open_readable(prog_name, path, err);
  if (in && in != stdin) fclose(in);
  return in != NULL;
}

bool records_open(RecordsFile *f, const char *prog_name, const Program *p, const char *path, FILE *err) {
  bool std = strcmp(path, "-") == 0;
  f->in = open_readable(prog_name, path, err);
  if (!f->in) return false;
  csv_open(&f->r, f->in, std ? "<stdin>" : path);
  char msg[512];
  if (!csv_next(&f->r)) {
    fprintf(err, "%s: %s is empty: a CSV file starts with a header line\n", prog_name, f->r.name);
  } else if (!rec_map_header(p, &f->r, &f->map, msg, sizeof msg)) {
    fprintf(err, "%s:1: %s\n", f->r.name, msg);
    rec_map_free(&f->map);
  } else {
    return true;
  }
  csv_close(&f->r);
  if (f->in != stdin) fclose(f->in);
  return false;
}

bool records_read_whole(const RecordsFile *f, FILE *err) {
  if (f->r.gave_up) {   /* its last record is rejected; nothing after it was read */
    fprintf(err, "%s:%ld: %s; the rest of the file is not read\n", f->r.name, f->r.rec_line, f->r.gave_up);
    return false;
  }
  if (f->r.read_errno) {   /* a read failed: what came after it is unknown */
    fprintf(err, "%s:%ld: cannot read on: %s; the rest of the file is not read\n", f->r.name, f->r.line,
            strerror(f->r.read_errno));
    return false;
  }
  return true;
}

void records_close(RecordsFile *f) {
  rec_map_free(&f->map);
  csv_close(&f->r);
  if (f->in != stdin) fclose(f->in);
}

/* ---- batches ------------------------------------------------------------------- */

typedef struct Rec {
  size_t start;              /* its bytes in Batch.bytes */
  int first, ncells;         /* its cells in Batch.cell_off/cell_len */
  long line;
  const char *error;         /* the reader's, or NULL */
  uint64_t seen;             /* a repeated key: where it was first seen (place()); else 0 */
  long act_id;               /* its activities: the whole-file store's partner id (-1: none) */
  uint32_t act_from, act_n;  /* ... or, --sorted, act_n of them from act_from in Batch.acts */
} Rec;

typedef enum { FREE, FILLED, DONE } BatchState;

typedef struct Batch {
  BatchState state;
  const char *name;          /* the file the records came from */
  const char *const *paths;  /* every file of the run, for place() */
  const RowMap *map;
  char *bytes;
  size_t nbytes, bytes_cap;
  Rec *recs;
  int nrecs;
  size_t *cell_off, *cell_len;
  size_t ncells, cells_cap;
  char *out, *err;           /* what scoring wrote: results, messages */
  size_t out_len, err_len;
  Tally *tallies;            /* Pipe.ntallies of them */
  ActStore acts;             /* --sorted: the activities of its records */
} Batch;

/* One scorer: its own machine and row. */
typedef struct Worker {
  VmCtx vm;
  Row row;
  ActBuf acts;               /* the record's activities, decoded */
} Worker;

static bool worker_init(Worker *k, const Program *p, const int64_t *params, const StreamActs *in) {
  memset(k, 0, sizeof *k);
  if (!vm_init(&k->vm, p)) return false;
  if (in && in->has_as_of) vm_set_as_of(&k->vm, in->as_of);
  memcpy(k->vm.params, params, (size_t)p->nparam_values * sizeof *params);
  k->row.vals = calloc((size_t)p->nfields + 1, sizeof *k->row.vals);
  k->row.set = calloc((size_t)p->nfields + 1, 1);
  return k->row.vals && k->row.set;
}

static void worker_free(Worker *k) {
  act_buf_free(&k->acts);
  vm_free(&k->vm);
  free(k->row.vals);
  free(k->row.set);
}

static void *grow(void *p, size_t need, size_t *cap, size_t size) {
  if (need <= *cap) return p;
  size_t c = *cap ? *cap : 64;
  while (c < need) c *= 2;
  p = realloc(p, c * size);
  if (!p) abort();
  *cap = c;
  return p;
}

/* Copies the record the reader holds into b. */
static void batch_add(Batch *b, const CsvReader *r) {
  b->bytes = grow(b->bytes, b->nbytes + r->rec_len + 1, &b->bytes_cap, 1);
  size_t need = b->ncells + (size_t)r->ncells + 1, cap = b->cells_cap;
  b->cell_off = grow(b->cell_off, need, &cap, sizeof *b->cell_off);
  b->cell_len = grow(b->cell_len, need, &b->cells_cap, sizeof *b->cell_len);   /* same cap */
  Rec *rec = &b->recs[b->nrecs++];
  *rec = (Rec){b->nbytes, (int)b->ncells, r->ncells, r->rec_line, r->error, 0, -1, 0, 0};
  if (r->rec_len) memcpy(b->bytes + b->nbytes, r->rec, r->rec_len);
  b->nbytes += r->rec_len;
  memcpy(b->cell_off + b->ncells, r->cell_off, (size_t)r->ncells * sizeof *r->cell_off);
  memcpy(b->cell_len + b->ncells, r->cell_len, (size_t)r->ncells * sizeof *r->cell_len);
  b->ncells += (size_t)r->ncells;
}

/* Where a record was seen: its file's index among the run's files and its
   line, in one word (lines below 2^48, files below 2^15), never 0. */
static uint64_t place(int file, long line) { return (uint64_t)file << 48 | (uint64_t)line; }

static const char *file_name(const char *const *paths, int i) {
  return strcmp(paths[i], "-") == 0 ? "<stdin>" : paths[i];
}

/* The run's work, shared by every thread: the pipeline's state is
   further down. */
typedef struct Pipe {
  const Program *p;
  Writer *w;                 /* eval's; NULL with a scorer */
  const StreamScorer *sc;    /* NULL: eval's scoring, once, written through w */
  int ntallies;
  bool acts;                 /* the run has activities: in store, or (--sorted) in each batch */
  const ActStore *store;     /* the whole-file store; NULL with --sorted */
  Batch *ring;
  int nring;
  long filled;               /* batches handed to workers so far */
  long claimed;              /* batches a worker has taken */
  bool closing;
  pthread_mutex_t mu;
  pthread_cond_t work, done;
} Pipe;

/* A record rejected before it was scored: read and rejected in every tally. */
static void count_rejected(Batch *b, int ntallies) {
  for (int i = 0; i < ntallies; i++) b->tallies[i].rejected++;
}

/* Scores every record of b: results into b->out, messages into b->err. */
static void batch_score(Batch *b, Worker *k, const Pipe *q) {
  const Program *p = q->p;
  for (int i = 0; i < q->ntallies; i++) tally_clear(&b->tallies[i], p);
  FILE *out = open_memstream(&b->out, &b->out_len);
  FILE *err = open_memstream(&b->err, &b->err_len);
  if (!out || !err) abort();
  Writer mine, *to = NULL;
  if (q->w) {
    mine = *q->w;            /* the same columns, this batch's buffer */
    mine.out = out;
    to = q->w->format == OUT_TABLE ? q->w : &mine;   /* a table keeps cells: one thread */
  }
  Tally *t = &b->tallies[0];
  char why[REC_WHY_MAX];
  CsvReader view = {0};      /* each record as rec_validate reads one */
  view.name = b->name;
  for (int i = 0; i < b->nrecs; i++) {
    const Rec *rec = &b->recs[i];
    view.rec = b->bytes + rec->start;
    view.cell_off = b->cell_off + rec->first;
    view.cell_len = b->cell_len + rec->first;
    view.ncells = rec->ncells;
    view.rec_line = rec->line;
    view.error = rec->error;
    int field;
    for (int j = 0; j < q->ntallies; j++) b->tallies[j].read++;
    if (!rec_validate(p, &view, b->map, &k->row, &field, why)) {
      report_record(err, t, NOTE_REJECTED, p, &view, field, NULL, why, NULL);
      if (t->keep_notes) note_cells_key(&t->notes[t->nnotes - 1], p, &view, b->map);
      count_rejected(b, q->ntallies);
      t->acts.of_rejected += rec->act_n;
      continue;
    }
    char key[256];
    if (rec->seen) {   /* valid, but its key was taken by an earlier record */
      const char *where = file_name(b->paths, (int)(rec->seen >> 48));
      long line = (long)(rec->seen & ((UINT64_C(1) << 48) - 1));
      if (strcmp(where, view.name) == 0) snprintf(why, sizeof why, "repeats the key of the record on line %ld", line);
      else snprintf(why, sizeof why, "repeats the key of the record on %s:%ld", where, line);
      report_record(err, t, NOTE_REJECTED, p, &view, -1, key_text(p, &k->row, key, sizeof key), why, NULL);
      count_rejected(b, q->ntallies);
      t->acts.of_rejected += rec->act_n;
      continue;
    }
    k->row.acts = NULL;
    if (q->acts && rec->act_n) {
      k->row.acts = q->store ? act_decode(q->store, q->store->order, q->store->first[rec->act_id], rec->act_n, &k->acts)
                             : act_decode(&b->acts, NULL, rec->act_from, rec->act_n, &k->acts);
      t->acts.used += rec->act_n;
    }
    if (q->sc) {
      q->sc->score(q->sc->ctx, &k->vm, &k->row, &view, err, b->tallies);
      continue;
    }
    VmStatus st = vm_eval(&k->vm, &k->row);
    if (st == VM_OK) st = out_compute(to, &k->vm, &k->row);
    if (st != VM_OK) {
      report_vm(err, t, p, &view, &k->row, &k->vm, st);
      t->rejected++;
      t->failed++;
      continue;
    }
    out_row(to, &k->row, &k->vm);
    if (k->vm.track < 0) {
      report_record(err, t, NOTE_UNASSIGNED, p, &view, -1, key_text(p, &k->row, key, sizeof key), "fits no track",
                    NULL);
      t->unassigned++;
      continue;
    }
    tally_count(t, p, &k->vm);
  }
  fclose(out);
  fclose(err);
}

/* ---- the pipeline ---------------------------------------------------------------- */

typedef struct Thread {
  Pipe *pipe;
  Worker worker;
  pthread_t id;
} Thread;

static void *work(void *arg) {
  Thread *th = arg;
  Pipe *q = th->pipe;
  pthread_mutex_lock(&q->mu);
  for (;;) {
    while (q->claimed == q->filled && !q->closing) pthread_cond_wait(&q->work, &q->mu);
    if (q->claimed == q->filled) break;   /* closing, nothing left */
    Batch *b = &q->ring[q->claimed++ % q->nring];
    pthread_mutex_unlock(&q->mu);
    batch_score(b, &th->worker, q);
    pthread_mutex_lock(&q->mu);
    b->state = DONE;
    pthread_cond_broadcast(&q->done);
  }
  pthread_mutex_unlock(&q->mu);
  return NULL;
}

/* Writes batch b's results and messages, adds its counts, frees it. */
static void flush_batch(Batch *b, const Pipe *q, FILE *err, Tally *totals) {
  if (b->out_len && q->w) fwrite(b->out, 1, b->out_len, q->w->out);
  if (b->err_len) fwrite(b->err, 1, b->err_len, err);
  free(b->out);
  free(b->err);
  b->out = b->err = NULL;
  b->out_len = b->err_len = 0;
  for (int i = 0; i < q->ntallies; i++) tally_add(&totals[i], &b->tallies[i], q->p);
  take_notes(&totals[0], &b->tallies[0]);
  b->nrecs = 0;
  b->ncells = 0;
  b->nbytes = 0;
  act_store_clear(&b->acts);
  b->state = FREE;
}

typedef struct Stream {
  const char *prog_name;
  const Program *p;
  FILE *err;
  Tally *totals;             /* pipe.ntallies of them */
  Pipe pipe;
  Thread *threads;
  int nthreads;
  Worker local;              /* with no threads: scores on this one */
  long written;              /* batches written so far */
  const char *const *paths;
  int npaths;
  KeySet keys;               /* every key read so far, on the reading thread */
  /* Activities, on the reading thread: the whole-file store, or (--sorted)
     the cursor and the last partner key seen; the messages and counts. */
  const StreamActs *acts_in;
  ActStore store;
  ActCursor cur;
  ActLog log;
  char *pkey;
  size_t pkeylen, pkeycap;
  long pkeyline;
  const char *pkeyfile;
  bool stop;                 /* --sorted found a partner out of order */
} Stream;

/* Waits for the oldest batch not yet written, then writes it. */
static void write_oldest(Stream *s) {
  Pipe *q = &s->pipe;
  Batch *b = &q->ring[s->written % q->nring];
  if (s->nthreads) {
    /* Rather than wait, the reader scores a batch no worker has taken:
       so -j N keeps N threads busy, the reader being one of them. */
    pthread_mutex_lock(&q->mu);
    while (b->state != DONE) {
      if (q->claimed < q->filled) {
        Batch *c = &q->ring[q->claimed++ % q->nring];
        pthread_mutex_unlock(&q->mu);
        batch_score(c, &s->local, q);
        pthread_mutex_lock(&q->mu);
        c->state = DONE;
        pthread_cond_broadcast(&q->done);
      } else {
        pthread_cond_wait(&q->done, &q->mu);
      }
    }
    pthread_mutex_unlock(&q->mu);
  }
  flush_batch(b, q, s->err, s->totals);
  s->written++;
}

/* Hands the batch being filled to a worker (or scores it here). */
static void submit(Stream *s) {
  Pipe *q = &s->pipe;
  Batch *b = &q->ring[q->filled % q->nring];
  if (!b->nrecs) return;
  if (!s->nthreads) {
    batch_score(b, &s->local, q);
    b->state = DONE;
    q->filled++;
    write_oldest(s);
    return;
  }
  pthread_mutex_lock(&q->mu);
  b->state = FILLED;
  q->filled++;
  pthread_cond_signal(&q->work);
  pthread_mutex_unlock(&q->mu);
}

/* The batch to fill next, once its slot is free (writing older ones). */
static Batch *next_batch(Stream *s) {
  Pipe *q = &s->pipe;
  Batch *b = &q->ring[q->filled % q->nring];
  for (;;) {
    if (s->nthreads) pthread_mutex_lock(&q->mu);
    bool free_now = b->state == FREE;
    if (s->nthreads) pthread_mutex_unlock(&q->mu);
    if (free_now) return b;
    write_oldest(s);
  }
}

/* All batches handed out are written. */
static void drain(Stream *s) {
  while (s->written < s->pipe.filled) write_oldest(s);
}

/* Marks the record just added to b if its key was seen before.  Keys are
   compared as the cells hold them (after CSV unquoting), in input order on
   this one thread, so which record is "first" never depends on -j.  A
   record the reader found malformed, or too short to hold its key, is left
   alone: validation rejects it anyway.  An optional key field's empty cell
   and a missing column are the same (unset). */
static void check_key(Stream *s, Batch *b, const CsvReader *r, const RowMap *m, int file) {
  const Program *p = s->p;
  Rec *rec = &b->recs[b->nrecs - 1];
  if (r->error || !p->nkeys) return;
  keyset_begin(&s->keys);
  for (int k = 0; k < p->nkeys; k++) {
    int col = m->col_of_field[p->keys[k]];
    if (col >= r->ncells) return;
    if (col < 0) keyset_part(&s->keys, "", 0);   /* an optional key with no column: as if empty */
    else keyset_part(&s->keys, r->rec + r->cell_off[col], r->cell_len[col]);
  }
  uint64_t first;
  if (!keyset_add(&s->keys, place(file, r->rec_line), &first)) rec->seen = first;
}

/* Byte order of two keys, as `sort` with LC_ALL=C orders lines. */
static int key_cmp(const char *a, size_t na, const char *b, size_t nb) {
  int c = memcmp(a, b, na < nb ? na : nb);
  return c ? c : (na > nb) - (na < nb);
}

/* Gives the record just added to b its activities: from the whole-file
   store by key, or (--sorted) those the cursor holds under its key, the
   ones before it being of no partner.  Only the first record of a key
   takes any; a record too malformed to hold its key takes none. */
static void attach(Stream *s, Batch *b, const CsvReader *r, const RowMap *m) {
  const Program *p = s->p;
  Rec *rec = &b->recs[b->nrecs - 1];
  if (!s->pipe.acts || p->key < 0) return;
  int col = m->col_of_field[p->key];
  if (r->error || col < 0 || col >= r->ncells) return;
  const char *key = r->rec + r->cell_off[col];
  size_t len = r->cell_len[col];
  if (!s->acts_in->sorted) {
    if (rec->seen) return;
    long id = act_find(&s->store, key, len);
    if (id < 0 || s->store.matched[id]) return;
    s->store.matched[id] = 1;
    rec->act_id = id;
    rec->act_n = s->store.first[id + 1] - s->store.first[id];
    return;
  }
  if (s->pkeyfile && key_cmp(key, len, s->pkey, s->pkeylen) < 0) {
    fprintf(s->err, "%s:%ld: key '%.*s' is out of order: it sorts before '%.*s' (%s:%ld); with --sorted the records "
                    "must be sorted by key, in byte order (LC_ALL=C sort)\n",
            r->name, r->rec_line, (int)len, key, (int)s->pkeylen, s->pkey, s->pkeyfile, s->pkeyline);
    s->stop = true;
    b->nrecs--;   /* not read: the run stops before it */
    return;
  }
  if (len + 1 > s->pkeycap) {
    s->pkeycap = len + 64;
    s->pkey = realloc(s->pkey, s->pkeycap);
    if (!s->pkey) abort();
  }
  if (len) memcpy(s->pkey, key, len);
  s->pkeylen = len;
  s->pkeyline = r->rec_line;
  s->pkeyfile = r->name;
  if (rec->seen) return;
  ActCursor *c = &s->cur;
  while (!c->at_end && !c->fatal && key_cmp(c->key, c->keylen, key, len) < 0) {
    s->log.st.unknown++;
    act_log(&s->log, c->line, "%s:%ld: no partner '%.*s'", s->log.name, c->line, (int)c->keylen, c->key);
    act_next(c, &s->log, s->err);
  }
  rec->act_from = (uint32_t)b->acts.n;
  while (!c->at_end && !c->fatal && key_cmp(c->key, c->keylen, key, len) == 0) {
    act_store_add(&b->acts, &c->row, c->line);
    rec->act_n++;
    act_next(c, &s->log, s->err);
  }
  if (c->fatal) s->stop = true;
}

/* A file could not be read to its end: the run is not complete. */
static void fatal(Stream *s) {
  for (int i = 0; i < s->pipe.ntallies; i++) s->totals[i].fatal = true;
}

static void acts_rest(Stream *s);

static void one_file(Stream *s, int file) {
  RecordsFile f;
  if (!records_open(&f, s->prog_name, s->p, s->paths[file], s->err)) {
    fatal(s);
    return;
  }
  Batch *b = next_batch(s);
  while (!s->stop && csv_next(&f.r)) {
    if (!b->nrecs) { b->name = f.r.name; b->map = &f.map; b->paths = s->paths; }
    batch_add(b, &f.r);
    check_key(s, b, &f.r, &f.map, file);
    attach(s, b, &f.r, &f.map);
    if (b->nrecs == BATCH_RECORDS || b->nbytes >= BATCH_BYTES) {
      submit(s);
      b = next_batch(s);
    }
  }
  /* After the last partner, the rest of a sorted activity file is read
     before the last batch is scored.  A key out of order in either file
     (--sorted) means the merge may have passed activities of this batch's
     partners, so none of the batch is scored. */
  if (!s->stop && file == s->npaths - 1) acts_rest(s);
  if (s->stop && s->pipe.acts) b->nrecs = 0;
  submit(s);
  drain(s);   /* the batches point at this file's map and name */
  if (s->stop) fatal(s);
  else if (!records_read_whole(&f, s->err)) fatal(s);
  records_close(&f);
}

/* Before any record: reads the whole activity file (without --sorted) or
   opens it to be read in step.  False, said on err, when it cannot be. */
static bool acts_begin(Stream *s) {
  const StreamActs *in = s->acts_in;
  if (!in || !in->path) return true;
  s->pipe.acts = true;
  VmCtx vm;   /* the run's as-of date, as the workers see it */
  if (!vm_init(&vm, s->p)) abort();
  if (in->has_as_of) vm_set_as_of(&vm, in->as_of);
  bool has_as_of = vm.has_as_of, ok;
  int64_t as_of = vm.dates[VM_AS_OF];
  vm_free(&vm);
  if (in->sorted) return act_cursor_open(&s->cur, s->p, s->prog_name, in->path, has_as_of, as_of, &s->log, s->err);
  act_store_init(&s->store, s->p, true, in->max_memory);
  s->pipe.store = &s->store;
  ok = act_load(&s->store, &s->log, s->prog_name, in->path, has_as_of, as_of, s->err);
  return ok;
}

/* After every record: the activities no partner took, then every message
   about activities in line order; their counts go to the first total. */
/* --sorted, after the last partner: the activities left have no partner
   (and are still checked for order). */
static void acts_rest(Stream *s) {
  ActCursor *c = &s->cur;
  while (s->pipe.acts && s->acts_in->sorted && !c->at_end && !c->fatal) {
    s->log.st.unknown++;
    act_log(&s->log, c->line, "%s:%ld: no partner '%.*s'", s->log.name, c->line, (int)c->keylen, c->key);
    act_next(c, &s->log, s->err);
  }
  if (c->fatal) s->stop = true;
}

static void acts_end(Stream *s, bool complete) {
  if (!s->pipe.acts) return;
  if (complete && !s->acts_in->sorted) act_unmatched(&s->store, &s->log);
  if (complete) acts_rest(s);
  if (!complete || s->cur.fatal) {   /* a run cut short: its counts and "no partner"s would mislead */
    fatal(s);
    return;
  }
  act_log_flush(&s->log, s->err);
  act_stats_add(&s->totals[0].acts, &s->log.st);
}

/* stream_eval (w, no sc) and stream_score (sc, no w). */
static void run(const char *prog_name, const Program *p, Writer *w, const StreamScorer *sc,
                const int64_t *params, const char *const *paths, int npaths, int jobs, FILE *err,
                Tally *totals) {
  Stream s = {.prog_name = prog_name, .p = p, .err = err, .totals = totals, .paths = paths,
              .npaths = npaths, .acts_in = totals[0].acts_in};
  keyset_init(&s.keys);
  if (w && w->format == OUT_TABLE) jobs = 1;   /* the table keeps its cells on this thread */
  Pipe *q = &s.pipe;
  q->p = p;
  q->w = w;
  q->sc = sc;
  q->ntallies = sc ? sc->ntallies : 1;
  q->nring = jobs > 1 ? 2 * jobs + 2 : 1;
  q->ring = calloc((size_t)q->nring, sizeof *q->ring);
  if (!q->ring) abort();
  for (int i = 0; i < q->nring; i++) {
    Batch *b = &q->ring[i];
    b->recs = calloc(BATCH_RECORDS, sizeof *b->recs);
    b->tallies = calloc((size_t)q->ntallies, sizeof *b->tallies);
    if (!b->recs || !b->tallies) abort();
    for (int j = 0; j < q->ntallies; j++)
      if (!tally_init(&b->tallies[j], p)) abort();
    b->tallies[0].keep_notes = totals[0].keep_notes;
    act_store_init(&b->acts, p, false, 0);
  }
  pthread_mutex_init(&q->mu, NULL);
  pthread_cond_init(&q->work, NULL);
  pthread_cond_init(&q->done, NULL);
  if (jobs > 1) {   /* jobs - 1 workers; the reader is the last */
    s.threads = calloc((size_t)jobs, sizeof *s.threads);
    if (!s.threads) abort();
    for (int i = 0; i < jobs - 1; i++) {
      s.threads[i].pipe = q;
      if (!worker_init(&s.threads[i].worker, p, params, s.acts_in)) abort();
      if (pthread_create(&s.threads[i].id, NULL, work, &s.threads[i]) != 0) {
        worker_free(&s.threads[i].worker);
        break;   /* fewer threads than asked: still correct */
      }
      s.nthreads++;
    }
  }
  if (!worker_init(&s.local, p, params, s.acts_in)) abort();
  bool acts_ok = acts_begin(&s);
  if (!acts_ok) fatal(&s);
  for (int i = 0; acts_ok && !s.stop && i < npaths; i++) one_file(&s, i);
  drain(&s);
  if (acts_ok) acts_end(&s, !s.stop);
  pthread_mutex_lock(&q->mu);
  q->closing = true;
  pthread_cond_broadcast(&q->work);
  pthread_mutex_unlock(&q->mu);
  for (int i = 0; i < s.nthreads; i++) {
    pthread_join(s.threads[i].id, NULL);
    worker_free(&s.threads[i].worker);
  }
  worker_free(&s.local);
  keyset_free(&s.keys);
  act_store_free(&s.store);
  if (s.acts_in && s.acts_in->sorted) act_cursor_close(&s.cur);
  act_log_free(&s.log);
  free(s.pkey);
  free(s.threads);
  for (int i = 0; i < q->nring; i++) {
    free(q->ring[i].bytes);
    free(q->ring[i].recs);
    free(q->ring[i].cell_off);
    free(q->ring[i].cell_len);
    act_store_free(&q->ring[i].acts);
    for (int j = 0; j < q->ntallies; j++) tally_free(&q->ring[i].tallies[j]);
    free(q->ring[i].tallies);
  }
  free(q->ring);
  pthread_mutex_destroy(&q->mu);
  pthread_cond_destroy(&q->work);
  pthread_cond_destroy(&q->done);
}

void stream_eval(const char *prog_name, const Program *p, Writer *w, const int64_t *params,
                 const char *const *paths, int npaths, int jobs, FILE *err, Tally *total) {
  run(prog_name, p, w, NULL, params, paths, npaths, jobs, err, total);
}

void stream_score(const char *prog_name, const Program *p, const StreamScorer *sc, const int64_t *params,
                  const char *const *paths, int npaths, int jobs, FILE *err, Tally *totals) {
  run(prog_name, p, NULL, sc, params, paths, npaths, jobs, err, totals);
}

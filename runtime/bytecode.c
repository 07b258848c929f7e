/*
** bytecode.c — compiled programs as files (bc_), and the verifier that
** makes a loaded file safe to run.
**
** A file is a header (magic, format version, payload length, FNV-1a
** checksum of the payload) and the payload: every table of the Program
** and both code variants, as little-endian integers and length-prefixed
** strings.  Loading checks every read against the payload's end and every
** count against a limit, so no file, however made, can make the loader read
** out of bounds or allocate without bound.  Then bc_verify checks what the
** VM relies on: each opcode and operand in range, each jump on an
** instruction, the stack never below empty and the same depth wherever paths
** meet, every jump forward, a RET only in a subroutine and for its own
** slot, no slot that calls itself through others (so every run ends), and
** tables that point where they should.  It
** computes the stack the code needs instead of trusting the file's number.
*/
#include "bytecode.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char MAGIC[4] = {'R', 'B', 'C', 0x1a};

/* No table in a real program comes near this; a file that says more is bad.
   It is also what an operand can name (INSN_A_MAX + 1), so a table the
   loader accepts never holds an entry an instruction cannot reach. */
#define BC_MAX_COUNT (1 << 24)
_Static_assert(BC_MAX_COUNT <= INSN_A_MAX + 1, "an operand must reach every table entry");

static const int op_words[] = {
#define OPCODE(name, words, effect, meaning) words,
#include "opcodes.h"
#undef OPCODE
};
static const int op_effect[] = {
#define OPCODE(name, words, effect, meaning) effect,
#include "opcodes.h"
#undef OPCODE
};

/* ---- writing ------------------------------------------------------------------ */

typedef struct Buf { unsigned char *p; size_t n, cap; } Buf;

static void put(Buf *b, const void *src, size_t n) {
  if (b->n + n > b->cap) {
    while (b->n + n > b->cap) b->cap = b->cap ? b->cap * 2 : 4096;
    b->p = realloc(b->p, b->cap);
    if (!b->p) abort();
  }
  memcpy(b->p + b->n, src, n);
  b->n += n;
}

static void put_u64(Buf *b, uint64_t v) {
  unsigned char x[8];
  for (int i = 0; i < 8; i++) x[i] = (unsigned char)(v >> (8 * i));
  put(b, x, 8);
}
static void put_i64(Buf *b, int64_t v) { put_u64(b, (uint64_t)v); }
static void put_i32(Buf *b, int32_t v) {
  unsigned char x[4];
  for (int i = 0; i < 4; i++) x[i] = (unsigned char)((uint32_t)v >> (8 * i));
  put(b, x, 4);
}
static void put_u8(Buf *b, uint8_t v) { put(b, &v, 1); }
static void put_bool(Buf *b, bool v) { put_u8(b, v); }
/* A string, or -1 for none. */
static void put_str(Buf *b, const char *s) {
  if (!s) { put_i32(b, -1); return; }
  size_t n = strlen(s);
  put_i32(b, (int32_t)n);
  put(b, s, n);
}
static void put_reach(Buf *b, Reach r) {
  put_bool(b, r.has_lo); put_bool(b, r.has_hi); put_i64(b, r.lo); put_i64(b, r.hi);
}

/* A value: text by its constant index (texts live in the constant pool). */
/* A value: its text constant's index (-1: not text; -2: unset), then n. */
static void put_value(Buf *b, const Program *p, Value v) {
  int k = value_is_unset(v) ? -2 : -1;
  if (v.s && k == -1)
    for (int i = 0; i < p->nconsts; i++)
      if (p->consts[i].s == v.s) { k = i; break; }
  put_i32(b, k);
  put_i64(b, v.n);
}

uint64_t bc_checksum(const unsigned char *p, size_t n) {
  uint64_t h = 14695981039346656037ull;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

/* A table of fields: the record's, or an activity's. */
static void put_fields(Buf *b, const FieldInfo *fields, int n) {
  put_i32(b, n);
  for (int i = 0; i < n; i++) {
    const FieldInfo *f = &fields[i];
    put_str(b, f->name); put_u8(b, f->kind); put_bool(b, f->key); put_bool(b, f->optional);
    put_bool(b, f->has_lo); put_bool(b, f->has_hi); put_i64(b, f->lo); put_i64(b, f->hi);
    put_u8(b, f->places);
    put_i32(b, f->nmembers);
    for (int m = 0; m < f->nmembers; m++) put_str(b, f->members[m]);
    const BoundExpr *ends[2] = {&f->lo_expr, &f->hi_expr};
    for (int e = 0; e < 2; e++) {
      put_i32(b, ends[e]->nops);
      for (int k = 0; k < ends[e]->nops; k++) { put_u8(b, ends[e]->ops[k].op); put_i64(b, ends[e]->ops[k].arg); }
      put_str(b, ends[e]->text);
    }
  }
}

bool bc_write(const Program *p, FILE *out) {
  Buf b = {0};
  put_str(&b, p->title); put_str(&b, p->version); put_str(&b, p->currency);
  put_bool(&b, p->has_period); put_i64(&b, p->period_from); put_i64(&b, p->period_to);
  put_i32(&b, p->nfiles);
  for (int i = 0; i < p->nfiles; i++) put_str(&b, p->files[i]);
  put_i32(&b, p->nconsts);
  for (int i = 0; i < p->nconsts; i++) {
    put_bool(&b, p->consts[i].s != NULL);
    if (p->consts[i].s) { put_i32(&b, (int32_t)p->consts[i].n); put(&b, p->consts[i].s, (size_t)p->consts[i].n); }
    else put_i64(&b, p->consts[i].n);
  }
  put_fields(&b, p->fields, p->nfields);
  put_i32(&b, p->nbounded);
  for (int i = 0; i < p->nbounded; i++) put_i32(&b, p->bounded[i]);
  put_i32(&b, p->key);
  put_i32(&b, p->nkeys);
  for (int i = 0; i < p->nkeys; i++) put_i32(&b, p->keys[i]);
  /* activities (6) */
  put_fields(&b, p->afields, p->nafields);
  put_i32(&b, p->akey); put_i32(&b, p->adate);
  put_i32(&b, p->naggs);
  for (int i = 0; i < p->naggs; i++) {
    const AggInfo *a = &p->aggs[i];
    put_u8(&b, a->kind); put_u8(&b, a->type); put_i32(&b, a->field); put_str(&b, a->text);
    put_i32(&b, a->nconds);
    for (int k = 0; k < a->nconds; k++) { put_str(&b, a->conds[k]); put_u8(&b, a->cform[k]); put_i32(&b, a->cfield[k]); }
    put_i32(&b, a->file); put_i32(&b, a->line); put_i32(&b, a->col);
  }
  put_i32(&b, p->period_months); put_bool(&b, p->uses_as_of);
  put_bool(&b, p->has_effective); put_i64(&b, p->effective);
  put_i32(&b, p->nparams);
  for (int i = 0; i < p->nparams; i++) {
    const ParamInfo *pi = &p->params[i];
    put_str(&b, pi->name); put_u8(&b, pi->type); put_i32(&b, pi->keyfield); put_i32(&b, pi->base);
    put_i32(&b, pi->count);
  }
  put_i32(&b, p->nparam_values);
  for (int i = 0; i < p->nparam_values; i++) put_i64(&b, p->param_values[i]);
  put_i32(&b, p->nrules);
  for (int i = 0; i < p->nrules; i++) {
    const ParamRule *r = &p->rules[i];
    put_bool(&b, r->strict); put_bool(&b, r->band); put_i32(&b, r->lo_param); put_i32(&b, r->hi_param);
    put_i64(&b, r->lo); put_i64(&b, r->hi); put_u8(&b, r->type); put_str(&b, r->what);
    put_i32(&b, r->file); put_i32(&b, r->line); put_i32(&b, r->col);
  }
  put_i32(&b, p->nslots);
  put_i32(&b, p->npoints); put_i32(&b, p->ncategories); put_i32(&b, p->score_slot);
  put_i32(&b, p->first_badge); put_i32(&b, p->nbadges); put_i32(&b, p->first_payout);
  put_i32(&b, p->npayouts); put_i32(&b, p->first_output); put_i32(&b, p->noutputs);
  for (int i = 0; i < p->nslots; i++) {
    const SlotInfo *s = &p->slots[i];
    put_u8(&b, s->kind); put_u8(&b, s->type); put_str(&b, s->name); put_str(&b, s->title);
    put_i32(&b, s->category); put_i32(&b, s->track); put_bool(&b, s->has_lo); put_bool(&b, s->has_hi);
    put_i64(&b, s->lo); put_i64(&b, s->hi); put_i32(&b, s->lo_param); put_i32(&b, s->hi_param);
    put_i32(&b, s->site); put_reach(&b, s->reach);
    put_reach(&b, s->raw); put_i32(&b, s->file); put_i32(&b, s->line); put_i32(&b, s->col);
    put_i32(&b, s->nmembers);
    for (int m = 0; m < s->nmembers; m++) put_str(&b, s->members[m]);
  }
  put_i32(&b, p->ntiers);
  for (int i = 0; i < p->ntiers; i++) {
    const TierInfo *t = &p->tiers[i];
    put_str(&b, t->name); put_str(&b, t->title); put_i32(&b, t->track);
    put_i32(&b, t->file); put_i32(&b, t->line); put_i32(&b, t->col);
  }
  put_bool(&b, p->implicit_track);
  put_u8(&b, p->track_choice);
  put_i32(&b, p->ntracks);
  for (int i = 0; i < p->ntracks; i++) {
    const TrackInfo *t = &p->tracks[i];
    put_str(&b, t->name); put_str(&b, t->title); put_bool(&b, t->has_lo); put_bool(&b, t->has_hi);
    put_i64(&b, t->lo); put_i64(&b, t->hi); put_i32(&b, t->lo_param); put_i32(&b, t->hi_param);
    put_i32(&b, t->ncats);
    for (int k = 0; k < t->ncats; k++) put_i32(&b, t->cats[k]);
    put_i32(&b, t->ntiers);
    for (int k = 0; k < t->ntiers; k++) put_i32(&b, t->tiers[k]);
    put_i32(&b, t->nbadges);
    for (int k = 0; k < t->nbadges; k++) put_i32(&b, t->badges[k]);
    put_reach(&b, t->reach);
    put_i32(&b, t->file); put_i32(&b, t->line); put_i32(&b, t->col);
  }
  put_i32(&b, p->nbenefits);
  for (int i = 0; i < p->nbenefits; i++) {
    const BenefitInfo *bi = &p->benefits[i];
    put_str(&b, bi->name); put_str(&b, bi->title); put_u8(&b, bi->type);
    for (int t = 0; t <= p->ntiers; t++) {
      put_value(&b, p, bi->values[t]);
      put_i32(&b, bi->params ? bi->params[t] : -1);
    }
  }
  put_i32(&b, p->nsites);
  for (int i = 0; i < p->nsites; i++) {
    const SiteInfo *s = &p->sites[i];
    put_u8(&b, s->kind); put_i32(&b, s->slot); put_i32(&b, s->index); put_i32(&b, s->file);
    put_i32(&b, s->line); put_i32(&b, s->col); put_str(&b, s->text);
    put_i32(&b, s->call.file); put_i32(&b, s->call.line); put_i32(&b, s->call.col);
    put_u8(&b, s->money);
  }
  put_i32(&b, p->nlocals);
  for (int v = 0; v < 2; v++) {
    const Code *c = &p->code[v];
    put_i32(&b, c->n);
    for (int i = 0; i < c->n; i++) {
      put_i32(&b, (int32_t)c->words[i]);
      put_i32(&b, c->pos[i].file); put_i32(&b, c->pos[i].line); put_i32(&b, c->pos[i].col);
    }
    for (int s = 0; s < p->nslots; s++) put_i32(&b, c->entry[s]);
  }
  put_i32(&b, p->ntests);
  for (int i = 0; i < p->ntests; i++) {
    const TestInfo *t = &p->tests[i];
    put_str(&b, t->name); put_i32(&b, t->file); put_i32(&b, t->line);
    for (int f = 0; f < p->nfields; f++) {
      put_value(&b, p, t->given[f]);
      put_bool(&b, t->given_set[f]);
      put_bool(&b, t->given_here[f]);
    }
    put_i32(&b, t->noverrides);
    for (int k = 0; k < t->noverrides; k++) { put_i32(&b, t->overrides[k].index); put_i64(&b, t->overrides[k].value); }
    put_i32(&b, t->nexpects);
    for (int k = 0; k < t->nexpects; k++) {
      const TestExpect *e = &t->expects[k];
      put_u8(&b, e->kind); put_i32(&b, e->slot); put_value(&b, p, e->value);
      put_i32(&b, e->line); put_i32(&b, e->col); put_str(&b, e->what);
    }
    put_i32(&b, t->expect_rejected); put_i32(&b, t->rejected); put_str(&b, t->rejected_why);
    put_i32(&b, t->nacts);
    for (size_t k = 0; k < (size_t)t->nacts * (size_t)p->nafields; k++) {
      put_value(&b, p, t->acts[k]);
      put_bool(&b, t->acts_set[k]);
    }
  }
  Buf head = {0};
  put(&head, MAGIC, 4);
  put_i32(&head, BC_VERSION);
  put_u64(&head, b.n);
  put_u64(&head, bc_checksum(b.p, b.n));
  bool ok = fwrite(head.p, 1, head.n, out) == head.n && fwrite(b.p, 1, b.n, out) == b.n;
  free(head.p);
  free(b.p);
  return ok;
}

/* ---- reading ---------------------------------------------------------------------- */

typedef struct Rd {
  const unsigned char *p, *end;
  bool bad;
  const char *why;
} Rd;

static bool take(Rd *r, void *dst, size_t n) {
  if (r->bad || (size_t)(r->end - r->p) < n) {
    if (!r->bad) r->why = "the file ends in the middle of its contents";
    r->bad = true;
    memset(dst, 0, n);
    return false;
  }
  memcpy(dst, r->p, n);
  r->p += n;
  return true;
}

static uint64_t get_u64(Rd *r) {
  unsigned char x[8];
  take(r, x, 8);
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | x[i];
  return v;
}
static int64_t get_i64(Rd *r) { return (int64_t)get_u64(r); }
static int32_t get_i32(Rd *r) {
  unsigned char x[4];
  take(r, x, 4);
  return (int32_t)((uint32_t)x[0] | (uint32_t)x[1] << 8 | (uint32_t)x[2] << 16 | (uint32_t)x[3] << 24);
}
static uint8_t get_u8(Rd *r) { uint8_t v; take(r, &v, 1); return v; }
static bool get_bool(Rd *r) { return get_u8(r) != 0; }

static void fail(Rd *r, const char *why) {
  if (!r->bad) r->why = why;
  r->bad = true;
}

/* A count of items, each at least min_bytes long in the file. */
static int get_count(Rd *r, size_t min_bytes) {
  int32_t n = get_i32(r);
  if (n < 0 || n > BC_MAX_COUNT || (min_bytes && (size_t)n > (size_t)(r->end - r->p) / min_bytes)) {
    fail(r, "a table's size is out of range");
    return 0;
  }
  return n;
}

static void *alloc(size_t n, size_t size) {
  void *p = calloc(n + 1, size);
  if (!p) abort();
  return p;
}

static char *get_str(Rd *r) {
  int32_t n = get_i32(r);
  if (n == -1) return NULL;
  if (n < 0 || (size_t)n > (size_t)(r->end - r->p)) {
    fail(r, "a text's length is out of range");
    return NULL;
  }
  char *s = alloc((size_t)n, 1);
  take(r, s, (size_t)n);
  return s;
}

static Reach get_reach(Rd *r) {
  Reach x;
  x.has_lo = get_bool(r); x.has_hi = get_bool(r); x.lo = get_i64(r); x.hi = get_i64(r);
  return x;
}

static Value get_value(Rd *r, const Program *p) {
  int32_t k = get_i32(r);
  Value v = {get_i64(r), NULL};
  if (k >= 0) {
    if (k >= p->nconsts || !p->consts[k].s || v.n != p->consts[k].n) fail(r, "a text value is not a constant");
    else v.s = p->consts[k].s;
  } else if (k == -2) {
    v = value_unset();
  } else if (k != -1) {
    fail(r, "a value's constant is out of range");
  }
  return v;
}

static int *get_ints(Rd *r, int n) {
  int *a = alloc((size_t)n, sizeof *a);
  for (int i = 0; i < n; i++) a[i] = get_i32(r);
  return a;
}

static FieldInfo *get_fields(Rd *r, int *count) {
  int n = get_count(r, 25);
  FieldInfo *fields = alloc((size_t)n, sizeof *fields);
  *count = 0;
  for (int i = 0; i < n && !r->bad; i++) {
    FieldInfo *f = &fields[i];
    *count = i + 1;
    f->name = get_str(r); f->kind = get_u8(r); f->key = get_bool(r); f->optional = get_bool(r);
    f->has_lo = get_bool(r); f->has_hi = get_bool(r); f->lo = get_i64(r); f->hi = get_i64(r);
    f->places = get_u8(r);
    int nm = get_count(r, 4);
    f->members = alloc((size_t)nm, sizeof *f->members);
    for (int m = 0; m < nm && !r->bad; m++) { f->members[m] = get_str(r); f->nmembers = m + 1; }
    BoundExpr *ends[2] = {&f->lo_expr, &f->hi_expr};
    for (int e = 0; e < 2 && !r->bad; e++) {
      int k = get_count(r, 9);
      ends[e]->ops = k ? alloc((size_t)k, sizeof *ends[e]->ops) : NULL;
      for (int j = 0; j < k; j++) { ends[e]->ops[j].op = get_u8(r); ends[e]->ops[j].arg = get_i64(r); }
      ends[e]->nops = k;
      ends[e]->text = get_str(r);
    }
  }
  return fields;
}

bool bc_read(const unsigned char *data, size_t len, Program *p, char *why, size_t whyn) {
  memset(p, 0, sizeof *p);
  if (len < 4 || memcmp(data, MAGIC, 4) != 0) {
    snprintf(why, whyn, "not a rubric bytecode file");
    return false;
  }
  if (len < 24) {
    snprintf(why, whyn, "a truncated bytecode file: %zu bytes, shorter than its 24-byte header: rebuild it",
             len);
    return false;
  }
  Rd h = {data + 4, data + 24, false, NULL};
  int32_t version = get_i32(&h);
  uint64_t size = get_u64(&h), sum = get_u64(&h);
  if (version != BC_VERSION) {
    snprintf(why, whyn, "bytecode format version %d, but this rubric reads version %d: rebuild it",
             version, BC_VERSION);
    return false;
  }
  if (size != len - 24) {
    snprintf(why, whyn, "the file is %s: its header says %llu bytes of contents, it has %zu",
             size > len - 24 ? "truncated" : "too long", (unsigned long long)size, len - 24);
    return false;
  }
  if (bc_checksum(data + 24, len - 24) != sum) {
    snprintf(why, whyn, "the file is corrupted: its checksum does not match");
    return false;
  }
  Rd rd = {data + 24, data + len, false, NULL}, *r = &rd;
  p->title = get_str(r); p->version = get_str(r); p->currency = get_str(r);
  p->has_period = get_bool(r); p->period_from = get_i64(r); p->period_to = get_i64(r);
  p->nfiles = get_count(r, 4);
  p->files = alloc((size_t)p->nfiles, sizeof *p->files);
  for (int i = 0; i < p->nfiles; i++) p->files[i] = get_str(r);
  int nconsts = get_count(r, 5);
  p->consts = alloc((size_t)nconsts, sizeof *p->consts);
  for (int i = 0; i < nconsts && !r->bad; i++) {
    if (get_bool(r)) {
      int32_t n = get_i32(r);
      if (n < 0 || (size_t)n > (size_t)(r->end - r->p)) { fail(r, "a text constant's length is out of range"); break; }
      char *s = alloc((size_t)n, 1);
      take(r, s, (size_t)n);
      p->consts[i] = (Value){n, s};
    } else {
      p->consts[i] = (Value){get_i64(r), NULL};
    }
    p->nconsts = i + 1;
  }
  p->fields = get_fields(r, &p->nfields);
  p->nbounded = get_count(r, 4);
  p->bounded = get_ints(r, p->nbounded);
  p->key = get_i32(r);
  p->nkeys = get_count(r, 4);
  p->keys = get_ints(r, p->nkeys);
  p->afields = get_fields(r, &p->nafields);
  p->akey = get_i32(r); p->adate = get_i32(r);
  int naggs = get_count(r, 22);
  p->aggs = alloc((size_t)naggs, sizeof *p->aggs);
  for (int i = 0; i < naggs && !r->bad; i++) {
    AggInfo *a = &p->aggs[i];
    p->naggs = i + 1;
    a->kind = get_u8(r); a->type = get_u8(r); a->field = get_i32(r); a->text = get_str(r);
    int nc = get_count(r, 9);
    a->conds = alloc((size_t)nc, sizeof *a->conds);
    a->cform = alloc((size_t)nc, sizeof *a->cform);
    a->cfield = alloc((size_t)nc, sizeof *a->cfield);
    for (int k = 0; k < nc && !r->bad; k++) {
      a->conds[k] = get_str(r); a->cform[k] = get_u8(r); a->cfield[k] = get_i32(r);
      a->nconds = k + 1;
    }
    a->file = get_i32(r); a->line = get_i32(r); a->col = get_i32(r);
  }
  p->period_months = get_i32(r); p->uses_as_of = get_bool(r);
  p->has_effective = get_bool(r); p->effective = get_i64(r);
  p->nparams = get_count(r, 17);
  p->params = alloc((size_t)p->nparams, sizeof *p->params);
  for (int i = 0; i < p->nparams && !r->bad; i++) {
    ParamInfo *pi = &p->params[i];
    pi->name = get_str(r); pi->type = get_u8(r); pi->keyfield = get_i32(r); pi->base = get_i32(r);
    pi->count = get_i32(r);
  }
  p->nparam_values = get_count(r, 8);
  p->param_values = alloc((size_t)p->nparam_values, sizeof *p->param_values);
  for (int i = 0; i < p->nparam_values; i++) p->param_values[i] = get_i64(r);
  int nrules = get_count(r, 43);
  p->rules = alloc((size_t)nrules, sizeof *p->rules);
  for (int i = 0; i < nrules && !r->bad; i++) {
    ParamRule *x = &p->rules[i];
    x->strict = get_bool(r); x->band = get_bool(r); x->lo_param = get_i32(r); x->hi_param = get_i32(r);
    x->lo = get_i64(r); x->hi = get_i64(r); x->type = get_u8(r); x->what = get_str(r);
    x->file = get_i32(r); x->line = get_i32(r); x->col = get_i32(r);
    p->nrules = i + 1;
  }
  int nslots = get_count(r, 68);
  p->npoints = get_i32(r); p->ncategories = get_i32(r); p->score_slot = get_i32(r);
  p->first_badge = get_i32(r); p->nbadges = get_i32(r); p->first_payout = get_i32(r);
  p->npayouts = get_i32(r); p->first_output = get_i32(r); p->noutputs = get_i32(r);
  p->slots = alloc((size_t)nslots, sizeof *p->slots);
  for (int i = 0; i < nslots && !r->bad; i++) {
    SlotInfo *s = &p->slots[i];
    s->kind = get_u8(r); s->type = get_u8(r); s->name = get_str(r); s->title = get_str(r);
    s->category = get_i32(r); s->track = get_i32(r); s->has_lo = get_bool(r); s->has_hi = get_bool(r);
    s->lo = get_i64(r); s->hi = get_i64(r); s->lo_param = get_i32(r); s->hi_param = get_i32(r);
    s->site = get_i32(r); s->reach = get_reach(r);
    s->raw = get_reach(r); s->file = get_i32(r); s->line = get_i32(r); s->col = get_i32(r);
    p->nslots = i + 1;
    int nm = get_count(r, 4);
    s->members = alloc((size_t)nm, sizeof *s->members);
    for (int m = 0; m < nm && !r->bad; m++) { s->members[m] = get_str(r); s->nmembers = m + 1; }
  }
  p->ntiers = get_count(r, 20);
  p->tiers = alloc((size_t)p->ntiers, sizeof *p->tiers);
  for (int i = 0; i < p->ntiers && !r->bad; i++) {
    TierInfo *t = &p->tiers[i];
    t->name = get_str(r); t->title = get_str(r); t->track = get_i32(r);
    t->file = get_i32(r); t->line = get_i32(r); t->col = get_i32(r);
  }
  p->implicit_track = get_bool(r);
  p->track_choice = get_u8(r);
  int ntracks = get_count(r, 48);
  p->tracks = alloc((size_t)ntracks, sizeof *p->tracks);
  for (int i = 0; i < ntracks && !r->bad; i++) {
    TrackInfo *t = &p->tracks[i];
    t->name = get_str(r); t->title = get_str(r); t->has_lo = get_bool(r); t->has_hi = get_bool(r);
    t->lo = get_i64(r); t->hi = get_i64(r); t->lo_param = get_i32(r); t->hi_param = get_i32(r);
    t->ncats = get_count(r, 4); t->cats = get_ints(r, t->ncats);
    t->ntiers = get_count(r, 4); t->tiers = get_ints(r, t->ntiers);
    t->nbadges = get_count(r, 4); t->badges = get_ints(r, t->nbadges);
    t->reach = get_reach(r);
    t->file = get_i32(r); t->line = get_i32(r); t->col = get_i32(r);
    p->ntracks = i + 1;
  }
  int nbenefits = get_count(r, 9);
  p->benefits = alloc((size_t)nbenefits, sizeof *p->benefits);
  for (int i = 0; i < nbenefits && !r->bad; i++) {
    BenefitInfo *b = &p->benefits[i];
    b->name = get_str(r); b->title = get_str(r); b->type = get_u8(r);
    b->values = alloc((size_t)p->ntiers + 1, sizeof *b->values);
    b->params = alloc((size_t)p->ntiers + 1, sizeof *b->params);
    p->nbenefits = i + 1;
    for (int t = 0; t <= p->ntiers && !r->bad; t++) {
      b->values[t] = get_value(r, p);
      b->params[t] = get_i32(r);
    }
  }
  int nsites = get_count(r, 38);
  p->sites = alloc((size_t)nsites, sizeof *p->sites);
  for (int i = 0; i < nsites && !r->bad; i++) {
    SiteInfo *s = &p->sites[i];
    s->kind = get_u8(r); s->slot = get_i32(r); s->index = get_i32(r); s->file = get_i32(r);
    s->line = get_i32(r); s->col = get_i32(r); s->text = get_str(r);
    s->call.file = get_i32(r); s->call.line = get_i32(r); s->call.col = get_i32(r);
    s->money = get_u8(r);
    p->nsites = i + 1;
  }
  p->nlocals = get_count(r, 0);
  for (int v = 0; v < 2 && !r->bad; v++) {
    Code *c = &p->code[v];
    int n = get_count(r, 16);
    c->words = alloc((size_t)n, sizeof *c->words);
    c->pos = alloc((size_t)n, sizeof *c->pos);
    c->entry = alloc((size_t)p->nslots, sizeof *c->entry);
    for (int i = 0; i < n; i++) {
      c->words[i] = (uint32_t)get_i32(r);
      c->pos[i].file = get_i32(r); c->pos[i].line = get_i32(r); c->pos[i].col = get_i32(r);
    }
    c->n = n;
    for (int s = 0; s < p->nslots; s++) c->entry[s] = get_i32(r);
  }
  int ntests = get_count(r, 12);
  p->tests = alloc((size_t)ntests, sizeof *p->tests);
  for (int i = 0; i < ntests && !r->bad; i++) {
    TestInfo *t = &p->tests[i];
    p->ntests = i + 1;
    t->name = get_str(r); t->file = get_i32(r); t->line = get_i32(r);
    t->given = alloc((size_t)p->nfields, sizeof *t->given);
    t->given_set = alloc((size_t)p->nfields, 1);
    t->given_here = alloc((size_t)p->nfields, 1);
    for (int f = 0; f < p->nfields && !r->bad; f++) {
      t->given[f] = get_value(r, p);
      t->given_set[f] = get_bool(r);
      t->given_here[f] = get_bool(r);
    }
    t->noverrides = get_count(r, 12);
    t->overrides = alloc((size_t)t->noverrides, sizeof *t->overrides);
    for (int k = 0; k < t->noverrides; k++) { t->overrides[k].index = get_i32(r); t->overrides[k].value = get_i64(r); }
    t->nexpects = get_count(r, 25);
    t->expects = alloc((size_t)t->nexpects, sizeof *t->expects);
    for (int k = 0; k < t->nexpects && !r->bad; k++) {
      TestExpect *e = &t->expects[k];
      e->kind = get_u8(r); e->slot = get_i32(r); e->value = get_value(r, p);
      e->line = get_i32(r); e->col = get_i32(r); e->what = get_str(r);
    }
    t->expect_rejected = get_i32(r); t->rejected = get_i32(r); t->rejected_why = get_str(r);
    int nacts = get_count(r, 13 * (size_t)(p->nafields ? p->nafields : 1));
    size_t cells = (size_t)nacts * (size_t)p->nafields;
    t->acts = alloc(cells, sizeof *t->acts);
    t->acts_set = alloc(cells, 1);
    t->nacts = nacts;
    for (size_t k = 0; k < cells && !r->bad; k++) {
      t->acts[k] = get_value(r, p);
      t->acts_set[k] = get_bool(r);
    }
  }
  if (!r->bad && r->p != r->end) fail(r, "the file has bytes after its contents");
  if (r->bad) {
    snprintf(why, whyn, "the file is malformed: %s", r->why);
    program_free(p);
    memset(p, 0, sizeof *p);
    return false;
  }
  if (!bc_verify(p, why, whyn)) {
    program_free(p);
    memset(p, 0, sizeof *p);
    return false;
  }
  return true;
}

/* ---- verifying ---------------------------------------------------------------------- */

typedef struct Vf {
  const Program *p;
  char *why;
  size_t whyn;
  bool bad;
} Vf;

static bool bad(Vf *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool bad(Vf *v, const char *fmt, ...) {
  if (v->bad) return false;
  v->bad = true;
  int n = snprintf(v->why, v->whyn, "the file does not verify: ");
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(v->why + n, v->whyn - (size_t)n, fmt, ap);
  va_end(ap);
  return false;
}

static bool in(int x, int n) { return x >= 0 && x < n; }

/* Fields' range ends that name fields: each op known, each field it reads
   a required one, the stack never below what an op takes nor above
   BOUND_MAX_STACK, one value left; and Program.bounded lists exactly the
   fields with such ends, once each, so no check is left out. */
static bool bounds(Vf *v) {
  const Program *p = v->p;
  static const int takes[] = {[BX_CONST] = 0, [BX_FIELD] = 0, [BX_ADD] = 2, [BX_SUB] = 2, [BX_MUL] = 2,
                              [BX_DIV] = 2, [BX_NEG] = 1, [BX_ADDDAYS] = 2, [BX_ADDMONTHS] = 2,
                              [BX_DATEDIFF] = 2};
  int listed = 0;
  for (int i = 0; i < p->nfields; i++) {
    const FieldInfo *f = &p->fields[i];
    const BoundExpr *ends[2] = {&f->lo_expr, &f->hi_expr};
    for (int e = 0; e < 2; e++) {
      const BoundExpr *b = ends[e];
      if (!b->nops) continue;
      int depth = 0;
      for (int k = 0; k < b->nops; k++) {
        const BoundOp *o = &b->ops[k];
        if (o->op > BX_DATEDIFF || depth < takes[o->op])
          return bad(v, "field %d's range end has a malformed step", i);
        if (o->op == BX_FIELD && (o->arg < 0 || o->arg >= p->nfields || p->fields[o->arg].optional))
          return bad(v, "field %d's range end reads a field out of range or optional", i);
        depth += o->op <= BX_FIELD ? 1 : o->op == BX_NEG ? 0 : -1;
        if (depth > BOUND_MAX_STACK) return bad(v, "field %d's range end needs too deep a stack", i);
      }
      if (depth != 1 || !b->text) return bad(v, "field %d's range end is malformed", i);
    }
    if (f->lo_expr.nops || f->hi_expr.nops) listed++;
  }
  if (p->nbounded != listed) return bad(v, "the fields whose range names fields are not all listed");
  bool *seen = calloc((size_t)p->nfields + 1, sizeof *seen), ok = true;
  if (!seen) abort();
  for (int i = 0; i < p->nbounded && ok; i++) {
    int f = p->bounded[i];
    if (!in(f, p->nfields) || (!p->fields[f].lo_expr.nops && !p->fields[f].hi_expr.nops) || seen[f])
      ok = bad(v, "a field listed for its range is out of range, has no such range or is listed twice");
    else
      seen[f] = true;
  }
  free(seen);
  return ok;
}

/* A lever's param: -1 (none), or a param of type t.  The VM reads a keyed
   one at base + the record's member, which the param table's checks
   (keyed by a choice of count members) keep in range. */
static bool lever(const Program *p, int param, ValueType t) {
  return param == -1 || (in(param, p->nparams) && p->params[param].type == t);
}

/* The activity's fields, key and date; the aggregates; the period. */
static bool activities(Vf *v) {
  const Program *p = v->p;
  if (p->nafields > ACT_MAX_FIELDS) return bad(v, "an activity has more than %d fields", ACT_MAX_FIELDS);
  for (int i = 0; i < p->nafields; i++) {
    const FieldInfo *f = &p->afields[i];
    if (!f->name || f->kind > FIELD_INT || f->places > DEC_DIGITS || f->lo_expr.nops || f->hi_expr.nops)
      return bad(v, "activity field %d is malformed", i);
    if (f->kind == FIELD_CHOICE && f->nmembers < 1) return bad(v, "activity choice field %d has no values", i);
    for (int m = 0; m < f->nmembers; m++)
      if (!f->members[m]) return bad(v, "activity field %d has a value without a name", i);
  }
  if (p->nafields ? !in(p->akey, p->nafields) || p->afields[p->akey].kind != FIELD_TEXT : p->akey != -1)
    return bad(v, "the activity's key field is out of range");
  if (p->adate != -1 && (!in(p->adate, p->nafields) || p->afields[p->adate].kind != FIELD_DATE))
    return bad(v, "the activity's date field is out of range");
  if (p->naggs && !p->nafields) return bad(v, "it aggregates activities it does not declare");
  for (int i = 0; i < p->naggs; i++) {
    const AggInfo *a = &p->aggs[i];
    bool need_field = a->kind != AGG_COUNT;
    if (a->kind > AGG_DISTINCT || a->type > VT_CHOICE || !a->text || !in(a->file, p->nfiles) ||
        (need_field ? !in(a->field, p->nafields) : a->field != -1))
      return bad(v, "aggregate %d is malformed", i);
    for (int k = 0; k < a->nconds; k++)
      if (!a->conds[k] || a->cform[k] > ACF_WINDOW || (a->cform[k] == ACF_OTHER) != (a->cfield[k] == -1) ||
          (a->cfield[k] != -1 && !in(a->cfield[k], p->nafields)))
        return bad(v, "aggregate %d has a malformed condition", i);
  }
  if (p->period_months < 0 || p->period_months > PERIOD_MAX_MONTHS || (p->period_months && !p->has_period))
    return bad(v, "its relative period is out of range");
  return true;
}

static bool tables(Vf *v) {
  const Program *p = v->p;
  if (p->nslots < 1 || !in(p->score_slot, p->nslots) || p->npoints < 0 || p->ncategories < 0 ||
      p->npoints + p->ncategories != p->score_slot || p->first_badge < p->score_slot + 1 ||
      p->nbadges < 0 || p->first_badge + p->nbadges != p->first_payout || p->npayouts < 0 ||
      p->first_payout + p->npayouts != p->first_output || p->noutputs < 0 ||
      p->first_output + p->noutputs != p->nslots)
    return bad(v, "its slots are not laid out as points, categories, score, lets, badges, payouts, outputs");
  if (p->ntracks < 1) return bad(v, "it has no track");
  if (p->track_choice > CHOOSE_BEST_TIES_LAST || (p->track_choice != CHOOSE_FIRST && p->implicit_track))
    return bad(v, "its choice of tracks is not one rubric knows");
  if (p->nfiles < 1) return bad(v, "it names no source file");
  for (int i = 0; i < p->nfields; i++) {
    const FieldInfo *f = &p->fields[i];
    if (!f->name || f->kind > FIELD_INT || f->places > DEC_DIGITS) return bad(v, "field %d is malformed", i);
    if (f->kind == FIELD_CHOICE && f->nmembers < 1) return bad(v, "choice field %d has no values", i);
    for (int m = 0; m < f->nmembers; m++)
      if (!f->members[m]) return bad(v, "field %d has a value without a name", i);
  }
  if (!bounds(v)) return false;
  if (!in(p->key, p->nfields) || p->nkeys < 1) return bad(v, "its key field is out of range");
  for (int i = 0; i < p->nkeys; i++)
    if (!in(p->keys[i], p->nfields)) return bad(v, "a key field is out of range");
  for (int i = 0; i < p->nparams; i++) {
    const ParamInfo *pi = &p->params[i];
    if (!pi->name || pi->type > VT_CHOICE || pi->base < 0 || pi->count < 1 ||
        pi->base > p->nparam_values - pi->count)
      return bad(v, "param %d is out of range", i);
    if (pi->keyfield != -1 && (!in(pi->keyfield, p->nfields) ||
                               p->fields[pi->keyfield].kind != FIELD_CHOICE ||
                               p->fields[pi->keyfield].nmembers != pi->count))
      return bad(v, "param %d is keyed by an unsuitable field", i);
  }
  for (int i = 0; i < p->nrules; i++) {
    const ParamRule *r = &p->rules[i];
    if (!r->what || r->type > VT_CHOICE || !lever(p, r->lo_param, (ValueType)r->type) ||
        !lever(p, r->hi_param, (ValueType)r->type) || !in(r->file, p->nfiles))
      return bad(v, "param rule %d is malformed", i);
  }
  for (int i = 0; i < p->nslots; i++) {
    const SlotInfo *s = &p->slots[i];
    if (!lever(p, s->lo_param, VT_NUMBER) || !lever(p, s->hi_param, VT_NUMBER))
      return bad(v, "slot %d has a cap that is not a number param", i);
    if (!s->name || s->kind > SLOT_OUTPUT || s->type > VT_TIER ||
        (s->site != -1 && !in(s->site, p->nsites)) || !in(s->file, p->nfiles) ||
        (s->kind == SLOT_POINTS && !in(s->category, p->nslots)) ||
        (s->track != -1 && !in(s->track, p->ntracks)))
      return bad(v, "slot %d is malformed", i);
    /* each kind in its own stretch of the layout checked above */
    SlotKind want = i < p->npoints ? SLOT_POINTS : i < p->score_slot ? SLOT_CATEGORY
                  : i == p->score_slot ? SLOT_SCORE : i < p->first_badge ? SLOT_LET
                  : i < p->first_payout ? SLOT_BADGE : i < p->first_output ? SLOT_PAYOUT : SLOT_OUTPUT;
    if (s->kind != want) return bad(v, "slot %d is of the wrong kind for its place", i);
    /* a choice output names its values, and a choice let may (to be
       written by name with --columns); nothing else does */
    bool choice = (s->kind == SLOT_OUTPUT || s->kind == SLOT_LET) && s->type == VT_CHOICE;
    if (s->nmembers > 0 && !choice) return bad(v, "slot %d has values it cannot hold", i);
    if (s->kind == SLOT_OUTPUT && s->type == VT_CHOICE && s->nmembers == 0)
      return bad(v, "slot %d has a choice without values", i);
    for (int m = 0; m < s->nmembers; m++)
      if (!s->members[m]) return bad(v, "slot %d has a value without a name", i);
  }
  for (int i = 0; i < p->ntiers; i++)
    if (!p->tiers[i].name || (p->tiers[i].track != -1 && !in(p->tiers[i].track, p->ntracks)) ||
        !in(p->tiers[i].file, p->nfiles))
      return bad(v, "tier %d is malformed", i);
  for (int i = 0; i < p->ntracks; i++) {
    const TrackInfo *t = &p->tracks[i];
    if (!p->implicit_track && !t->name) return bad(v, "track %d has no name", i);
    if (!lever(p, t->lo_param, VT_NUMBER) || !lever(p, t->hi_param, VT_NUMBER))
      return bad(v, "track %d has a range that is not a number param", i);
    for (int k = 0; k < t->ncats; k++)
      if (!in(t->cats[k], p->nslots) || p->slots[t->cats[k]].kind != SLOT_CATEGORY)
        return bad(v, "track %d uses a slot that is not a category", i);
    for (int k = 0; k < t->ntiers; k++)
      if (!in(t->tiers[k], p->ntiers)) return bad(v, "track %d has a tier out of range", i);
    for (int k = 0; k < t->nbadges; k++)
      if (!in(t->badges[k], p->nslots) || p->slots[t->badges[k]].kind != SLOT_BADGE)
        return bad(v, "track %d has a badge that is not a badge slot", i);
  }
  for (int i = 0; i < p->nbenefits; i++) {
    const BenefitInfo *b = &p->benefits[i];
    if (!b->name || b->type > VT_CHOICE) return bad(v, "benefit %d is malformed", i);
    for (int t = 0; t <= p->ntiers; t++)
      if (b->params && !lever(p, b->params[t], (ValueType)b->type))
        return bad(v, "benefit %d names a param that is not %s", i, program_type_name((ValueType)b->type));
  }
  for (int i = 0; i < p->nsites; i++)
    if (!p->sites[i].text || p->sites[i].kind > SITE_QUOT || !in(p->sites[i].file, p->nfiles) ||
        (p->sites[i].kind == SITE_QUOT && p->sites[i].index != -1 && !in(p->sites[i].index, p->nsites)) ||
        p->sites[i].money > 3 ||
        (p->sites[i].slot != -1 && !in(p->sites[i].slot, p->nslots)) ||
        (p->sites[i].call.file != -1 && !in(p->sites[i].call.file, p->nfiles)))
      return bad(v, "site %d is malformed", i);
  if (!activities(v)) return false;
  for (int i = 0; i < p->ntests; i++) {
    const TestInfo *t = &p->tests[i];
    if (!t->name || !in(t->file, p->nfiles)) return bad(v, "test %d is malformed", i);
    for (size_t k = 0; k < (size_t)t->nacts * (size_t)p->nafields; k++) {
      const FieldInfo *fi = &p->afields[k % (size_t)p->nafields];
      Value g = t->acts[k];
      if ((fi->kind == FIELD_TEXT) != (g.s != NULL) && !(fi->kind == FIELD_TEXT && !t->acts_set[k]))
        return bad(v, "test %d gives an activity's field a value of the wrong kind", i);
      if (value_is_unset(g) || (fi->kind == FIELD_CHOICE && (g.n < 0 || g.n >= fi->nmembers)))
        return bad(v, "test %d gives an activity's choice a value out of range", i);
    }
    for (int f = 0; f < p->nfields; f++) {
      const FieldInfo *fi = &p->fields[f];
      Value g = t->given[f];
      if ((fi->kind == FIELD_TEXT) != (g.s != NULL) && !(fi->kind == FIELD_TEXT && !t->given_set[f]))
        return bad(v, "test %d gives field %d a value of the wrong kind", i, f);
      /* Set or not: PARAMK indexes by the value either way. */
      if (fi->kind == FIELD_CHOICE && (g.n < 0 || g.n >= fi->nmembers))
        return bad(v, "test %d gives field %d a choice out of range", i, f);
    }
    for (int k = 0; k < t->noverrides; k++)
      if (!in(t->overrides[k].index, p->nparam_values)) return bad(v, "test %d overrides a param out of range", i);
    for (int k = 0; k < t->nexpects; k++) {
      const TestExpect *e = &t->expects[k];
      if (!e->what || e->kind > EXP_BENEFIT ||
          (e->kind == EXP_SLOT && !in(e->slot, p->nslots)) ||
          (e->kind == EXP_BENEFIT && !in(e->slot, p->nbenefits)) ||
          (e->kind == EXP_TIER && e->value.n != -1 && !in((int)e->value.n, p->ntiers)) ||
          (e->kind == EXP_TRACK && e->value.n != -1 && !in((int)e->value.n, p->ntracks)))
        return bad(v, "test %d expects something out of range", i);
    }
    if ((t->expect_rejected != -1 && !in(t->expect_rejected, p->nfields)) ||
        (t->rejected != -1 && (!in(t->rejected, p->nfields) || !t->rejected_why)))
      return bad(v, "test %d names a rejected field out of range", i);
  }
  return true;
}

/* The instructions of one code variant: operands in range. */
static bool operands(Vf *v, const Code *c, bool *start) {
  const Program *p = v->p;
  for (int pc = 0; pc < c->n;) {
    uint32_t w = c->words[pc];
    OpCode op = INSN_OP(w);
    int a = INSN_A(w);
    if (op >= OP__COUNT) return bad(v, "word %d is not an instruction", pc);
    if (!in(c->pos[pc].file, p->nfiles)) return bad(v, "word %d names a file out of range", pc);
    start[pc] = true;
    if (pc + op_words[op] > c->n) return bad(v, "the last instruction is cut short");
    bool ok = true;
    switch (op) {
    case OP_CONST: ok = in(a, p->nconsts); break;
    case OP_FIELD: case OP_ISSET: ok = in(a, p->nfields); break;
    case OP_PARAM: ok = in(a, p->nparam_values); break;
    case OP_PARAMK: {
      int f = (int)c->words[pc + 1];
      ok = in(f, p->nfields) && p->fields[f].kind == FIELD_CHOICE && a >= 0 &&
           a <= p->nparam_values - p->fields[f].nmembers;
      break;
    }
    case OP_SLOT: case OP_RET: ok = in(a, p->nslots); break;
    case OP_LOCAL: case OP_SETLOCAL: ok = in(a, p->nlocals); break;
    case OP_ROUND: case OP_DIVROUND: ok = a >= 0 && a <= DEC_DIGITS; break;
    case OP_JMP: case OP_JMPF: case OP_JFK: case OP_JTK: ok = in(a, c->n); break;
    case OP_TRY: ok = in(a, c->n) && in((int)c->words[pc + 1], p->nsites); break;
    case OP_TRACE: ok = in(a, p->nsites); break;
    case OP_TIER: case OP_LADDER: ok = in(a, p->ntiers); break;
    case OP_TIERIN: {   /* an empty range (lo = hi + 1) is fine: `tier > top` */
      int lo = a & TIERIN_LO, hi = (int32_t)c->words[pc + 1];
      ok = lo >= 0 && lo <= p->ntiers && hi >= -1 && hi < p->ntiers;
      break;
    }
    case OP_TRACK: case OP_TRACKIS: ok = in(a, p->ntracks); break;
    case OP_BENEFIT: ok = in(a, p->nbenefits); break;
    case OP_AGGBEGIN: ok = in(a, p->naggs) && in((int)c->words[pc + 1], c->n); break;
    case OP_AGGEND: ok = in(a, p->naggs); break;
    case OP_AGGNEXT: {
      /* Back to just after its own AGGBEGIN, which jumps to just after it,
         with no AGGBEGIN of the same aggregate between: each round moves
         to the next activity, so the loop ends. */
      int b = (int)c->words[pc + 1];
      ok = in(a, p->naggs) && b >= 2 && b <= pc && start[b - 2] && INSN_OP(c->words[b - 2]) == OP_AGGBEGIN &&
           INSN_A(c->words[b - 2]) == a && (int)c->words[b - 1] == pc + 2;
      for (int k = b; ok && k < pc;) {
        OpCode o = INSN_OP(c->words[k]);
        if (o >= OP__COUNT) break;
        if (o == OP_AGGBEGIN && INSN_A(c->words[k]) == a) ok = false;
        k += op_words[o];
      }
      break;
    }
    case OP_AFIELD: case OP_AISSET: case OP_AUNSET: ok = in(a, p->nafields); break;
    case OP_RUNDATE: ok = a >= 0 && a <= 2; break;
    default: break;
    }
    if (!ok) return bad(v, "instruction %d (%d) has an operand out of range", pc, (int)op);
    pc += op_words[op];
  }
  return true;
}

/* Follows the code from `entry` (a subroutine of slot `slot`, or main when
   slot is -1): depths consistent, never negative; the deepest point into
   *max; the slots it calls marked in calls[]. */
/* The slots each slot calls, as a list of edges (a matrix of slots x slots
   would take 10 GB for 100,000 lets). */
typedef struct Edges { int (*e)[2]; size_t n, cap; } Edges;

static void edge(Edges *g, int from, int to) {
  if (g->n == g->cap) {
    g->cap = g->cap ? g->cap * 2 : 256;
    g->e = realloc(g->e, g->cap * sizeof *g->e);
    if (!g->e) abort();
  }
  g->e[g->n][0] = from;
  g->e[g->n][1] = to;
  g->n++;
}

/* depth_at is -1 everywhere on entry; every word the walk sets is listed
   in touched[0..*ntouched) for the caller to reset, so checking each slot
   costs the size of its own code, not of all the code. */
static bool flow(Vf *v, const Code *c, const bool *start, int entry, int slot, int *depth_at,
                 int *work, int *touched, int *ntouched, Edges *calls, int *max) {
  *ntouched = 0;
  if (!in(entry, c->n) || !start[entry]) return bad(v, "a subroutine starts outside the code");
  int nwork = 0;
  depth_at[entry] = 0;
  touched[(*ntouched)++] = entry;
  work[nwork++] = entry;
  *max = 0;
  while (nwork) {
    int pc = work[--nwork], d = depth_at[pc];
    for (;;) {
      uint32_t w = c->words[pc];
      OpCode op = INSN_OP(w);
      int a = INSN_A(w);
      /* Pops before pushes: what each instruction needs on the stack. */
      static const int needs[OP__COUNT] = {
          [OP_RET] = 1, [OP_SETLOCAL] = 1, [OP_POP] = 1, [OP_ADD] = 2, [OP_SUB] = 2, [OP_MUL] = 2,
          [OP_DIV] = 2, [OP_NEG] = 1, [OP_MIN] = 2, [OP_MAX] = 2, [OP_FLOOR] = 1, [OP_CEIL] = 1,
          [OP_ROUND] = 1, [OP_ABS] = 1, [OP_DIVFLOOR] = 2, [OP_DIVCEIL] = 2, [OP_DIVROUND] = 2,
          [OP_ADDDAYS] = 2, [OP_ADDMONTHS] = 2, [OP_DATEDIFF] = 2,
          [OP_EQ] = 2, [OP_NE] = 2, [OP_LT] = 2, [OP_LE] = 2, [OP_GT] = 2, [OP_GE] = 2,
          [OP_TEQ] = 2, [OP_TNE] = 2, [OP_NOT] = 1, [OP_JMPF] = 1, [OP_JFK] = 1, [OP_JTK] = 1,
          [OP_TRACE] = 1, [OP_LADDER] = 1, [OP_VALSET] = 1, [OP_TIERIN] = 1, [OP_AGGNEXT] = 1, [OP_ACOND] = 1};
      if (d < needs[op]) return bad(v, "instruction %d takes from an empty stack", pc);
      if (op == OP_SLOT) {
        if (a == slot) return bad(v, "slot %d calls itself", slot);
        if (slot >= 0) edge(calls, slot, a);   /* main may call any slot */
      }
      int nd = d + op_effect[op];
      if (op == OP_NOMATCH) break;   /* never continues */
      if (nd > *max) *max = nd;
      if (op == OP_RET) {
        if (slot < 0 || a != slot) return bad(v, "instruction %d returns from the wrong place", pc);
        if (nd != 0) return bad(v, "subroutine of slot %d returns with %d values left", slot, nd);
        break;
      }
      if (op == OP_HALT) {
        if (slot >= 0) return bad(v, "subroutine of slot %d halts", slot);
        break;
      }
      int next = pc + op_words[op];
      if (op == OP_AGGNEXT) {   /* back to the loop's start, at the depth it had there */
        int b = (int)c->words[pc + 1];
        if (depth_at[b] != nd) return bad(v, "the stack depth differs where the loop at %d starts again", b);
      }
      if (op == OP_AGGBEGIN) {   /* with no activities, on to its end */
        int t = (int)c->words[pc + 1];
        if (!start[t] || t <= pc) return bad(v, "instruction %d jumps backward or into another", pc);
        if (depth_at[t] == -1) {
          depth_at[t] = nd;
          touched[(*ntouched)++] = t;
          work[nwork++] = t;
        } else if (depth_at[t] != nd) {
          return bad(v, "the stack depth differs where paths meet at %d", t);
        }
      }
      /* TRY may resume at A with the stack as it was at the TRY. */
      bool jumps = op == OP_JMP || op == OP_JMPF || op == OP_JFK || op == OP_JTK || op == OP_TRY;
      if (jumps) {
        /* JFK and JTK keep the value on the jump, so the target sees one more. */
        int td = (op == OP_JFK || op == OP_JTK) ? nd + 1 : nd;
        if (!start[a]) return bad(v, "instruction %d jumps into the middle of another", pc);
        /* Forward only: with no slot reaching itself, every run ends. */
        if (a <= pc) return bad(v, "instruction %d jumps backward", pc);
        if (depth_at[a] == -1) {
          depth_at[a] = td;
          touched[(*ntouched)++] = a;
          work[nwork++] = a;
        } else if (depth_at[a] != td) {
          return bad(v, "the stack depth differs where paths meet at %d", a);
        }
        if (op == OP_JMP) break;
      }
      if (next >= c->n) return bad(v, "the code runs off its end after %d", pc);
      if (depth_at[next] != -1) {
        if (depth_at[next] != nd) return bad(v, "the stack depth differs where paths meet at %d", next);
        break;
      }
      depth_at[next] = nd;
      touched[(*ntouched)++] = next;
      pc = next;
      d = nd;
    }
  }
  return true;
}

static int by_from(const void *a, const void *b) {
  const int *x = a, *y = b;
  return (x[0] > y[0]) - (x[0] < y[0]);
}

/* No slot may reach itself through the slots it calls: a depth-first walk
   with an explicit stack (a chain of 100,000 lets is 100,000 deep). */
static bool acyclic(Vf *v, Edges *g, int nslots) {
  if (g->n) qsort(g->e, g->n, sizeof *g->e, by_from);   /* e is NULL when there are none */
  size_t *first = calloc((size_t)nslots + 2, sizeof *first);   /* edges of s: first[s]..first[s+1] */
  size_t *next = calloc((size_t)nslots + 1, sizeof *next);     /* the next edge to follow */
  int *stack = malloc(((size_t)nslots + 1) * sizeof *stack);
  uint8_t *state = calloc((size_t)nslots + 1, 1);
  if (!first || !next || !stack || !state) abort();
  for (size_t i = 0; i < g->n; i++) first[g->e[i][0] + 1]++;
  for (int s = 0; s < nslots; s++) first[s + 1] += first[s];
  bool ok = true;
  for (int root = 0; ok && root < nslots; root++) {
    if (state[root]) continue;
    int n = 0;
    stack[n++] = root;
    state[root] = 1;
    next[root] = first[root];
    while (ok && n) {
      int s = stack[n - 1];
      if (next[s] == first[s + 1]) { state[s] = 2; n--; continue; }
      int t = g->e[next[s]++][1];
      if (state[t] == 1) ok = bad(v, "slot %d depends on itself", t);
      else if (state[t] == 0) { state[t] = 1; next[t] = first[t]; stack[n++] = t; }
    }
  }
  free(first);
  free(next);
  free(stack);
  free(state);
  return ok;
}

bool bc_verify(Program *p, char *why, size_t whyn) {
  Vf v = {p, why, whyn, false};
  if (!tables(&v)) return false;
  for (int variant = 0; variant < 2; variant++) {
    Code *c = &p->code[variant];
    if (c->n < 1) return bad(&v, "a code variant is empty");
    if (c->n > PROGRAM_MAX_CODE)
      return bad(&v, "a code variant of %d words is longer than the %d a jump can reach",
                 c->n, PROGRAM_MAX_CODE);
    bool *start = calloc((size_t)c->n + 1, sizeof *start);
    int *depth_at = malloc(((size_t)c->n + 1) * sizeof *depth_at);
    int *work = calloc((size_t)c->n + 1, sizeof *work);
    int *touched = calloc((size_t)c->n + 1, sizeof *touched);
    Edges calls = {0};
    if (!start || !depth_at || !work || !touched) abort();
    for (int i = 0; i < c->n; i++) depth_at[i] = -1;
    int total = 0, max = 0, ntouched = 0;
    bool ok = operands(&v, c, start) &&
              flow(&v, c, start, 0, -1, depth_at, work, touched, &ntouched, &calls, &max);
    total += max + 1;
    for (int s = 0; ok && s < p->nslots; s++) {
      for (int i = 0; i < ntouched; i++) depth_at[touched[i]] = -1;
      ok = flow(&v, c, start, c->entry[s], s, depth_at, work, touched, &ntouched, &calls, &max);
      total += max + 1;
    }
    if (ok) ok = acyclic(&v, &calls, p->nslots);
    /* The stack this code needs, whatever the file said. */
    if (ok) c->stack = total + 1;
    free(start);
    free(depth_at);
    free(work);
    free(touched);
    free(calls.e);
    if (!ok) return false;
  }
  return true;
}

/*
** keyset.c — see keyset.h.  Open addressing with linear probing on the
** hash's low word; the table never holds a deleted slot, so a probe ends
** at the first empty one.
*/
#include "keyset.h"

#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL   /* header-only: nothing to link */
#include <xxhash.h>

/* The first table: a run of a few records should not allocate megabytes. */
#define KEYSET_FIRST_CAP 1024

void keyset_init(KeySet *s) {
  memset(s, 0, sizeof *s);
  s->state = XXH3_createState();
  if (!s->state) abort();
}

void keyset_free(KeySet *s) {
  free(s->slots);
  XXH3_freeState(s->state);
  memset(s, 0, sizeof *s);
}

void keyset_begin(KeySet *s) { XXH3_128bits_reset(s->state); }

/* Each part is preceded by its length, so ("ab", "c") and ("a", "bc")
   are different keys. */
void keyset_part(KeySet *s, const void *bytes, size_t n) {
  uint64_t len = n;
  XXH3_128bits_update(s->state, &len, sizeof len);
  if (n) XXH3_128bits_update(s->state, bytes, n);
}

static KeySlot *find(KeySlot *slots, size_t cap, uint64_t lo, uint64_t hi) {
  size_t i = (size_t)lo & (cap - 1);
  while ((slots[i].lo || slots[i].hi) && !(slots[i].lo == lo && slots[i].hi == hi))
    i = (i + 1) & (cap - 1);
  return &slots[i];
}

static void grow(KeySet *s) {
  size_t cap = s->cap ? s->cap * 2 : KEYSET_FIRST_CAP;
  KeySlot *slots = calloc(cap, sizeof *slots);
  if (!slots) abort();
  for (size_t i = 0; i < s->cap; i++)
    if (s->slots[i].lo || s->slots[i].hi) *find(slots, cap, s->slots[i].lo, s->slots[i].hi) = s->slots[i];
  free(s->slots);
  s->slots = slots;
  s->cap = cap;
}

bool keyset_add(KeySet *s, uint64_t where, uint64_t *first) {
  XXH128_hash_t d = XXH3_128bits_digest(s->state);
  if (d.low64 == 0 && d.high64 == 0) d.low64 = 1;   /* 0 marks an empty slot */
  if ((s->n + 1) * 4 > s->cap * 3) grow(s);
  KeySlot *k = find(s->slots, s->cap, d.low64, d.high64);
  if (k->lo || k->hi) {
    *first = k->where;
    return false;
  }
  *k = (KeySlot){d.low64, d.high64, where};
  s->n++;
  return true;
}

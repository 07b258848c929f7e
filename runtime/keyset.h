/*
** keyset.h — the record keys a run has seen, to find a repeated key.
**
** A set of 128-bit hashes (XXH3) of keys, each with the place the key was
** first seen.  It keeps no key text, so its memory is a slot per distinct
** key however long keys are: 24 bytes a slot, the table at most 3/4 full
** and doubled when it would be more, which is 32 to 64 bytes per distinct
** key (48 MB for a million).  Two different keys share a hash with
** probability about n^2 / 2^129 for n keys: 10^-27 for a million, far
** below the chance of a memory error in the machine, so a match is taken
** as the same key.  No I/O.
*/
#ifndef RUBRIC_KEYSET_H
#define RUBRIC_KEYSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct KeySlot {
  uint64_t lo, hi;          /* the key's hash; lo == hi == 0: an empty slot */
  uint64_t where;           /* what the caller said about its first sighting */
} KeySlot;

typedef struct KeySet {
  KeySlot *slots;
  size_t cap, n;            /* cap: 0 or a power of two */
  void *state;              /* the key being hashed (XXH3 streaming state) */
} KeySet;

void keyset_init(KeySet *s);
void keyset_free(KeySet *s);

/* A key is made of parts (a composite key's fields): start one, add each
   part, then add the key to the set. */
void keyset_begin(KeySet *s);
void keyset_part(KeySet *s, const void *bytes, size_t n);
/* Adds the key begun last; false, with *first set to the first sighting's
   `where`, if it was there already.  Aborts when memory runs out, like
   every other table of the run. */
bool keyset_add(KeySet *s, uint64_t where, uint64_t *first);

#endif

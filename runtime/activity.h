/*
** activity.h — a partner's activities (issue 14): reading an activity file
** against the program's `activity { }` block, and keeping the activities
** until the partner they belong to is scored.
**
** Two ways, with the same results (docs/internals.md, "Activities"):
** without --sorted the whole file is read first into an ActStore, a
** compact table grouped by partner key (about 8 bytes per field and 20
** more per activity, texts kept once); with --sorted both files are read
** in step (ActCursor), and only the activities of the partners in flight
** are held.  Either way each activity is counted once: used, after the
** as-of date, of no partner, of a rejected partner, or rejected itself;
** and the messages about them are printed together, in line order, after
** the partners' own.
*/
#ifndef RUBRIC_ACTIVITY_H
#define RUBRIC_ACTIVITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "program.h"
#include "records.h"

/* What became of the activities read. */
typedef struct ActStats {
  long read;               /* data lines of the activity file */
  long used;               /* joined to a partner that was scored */
  long after;              /* dated after the as-of date: ignored */
  long unknown;            /* no partner record has their key */
  long rejected;           /* a value that does not fit its field */
  long of_rejected;        /* their partner record was rejected */
} ActStats;

void act_stats_add(ActStats *a, const ActStats *b);
/* "activities: 812 read, 790 used, 14 after the as-of date, 6 unknown
   partner, 2 rejected" (and ", N of rejected partners" when there are). */
void act_stats_line(FILE *out, const ActStats *s);

/* A message about one activity, printed with the others in line order. */
typedef struct ActMsg { long line; char *text; } ActMsg;

/* Activities kept compactly: per activity one 64-bit cell per field (a
   Dec, days, a member index, a flag, or for text its place in `text`:
   offset << ACT_LEN_BITS | length), a word of set flags, its line and the
   partner it belongs to.  With `intern`, each text is kept once. */
#define ACT_LEN_BITS 21    /* a cell is at most REC_MAX_RECORD (2^20) bytes */

typedef struct ActStore {
  const Program *p;
  bool intern;             /* keep each text once (the whole-file store) */
  size_t n, cap;
  int64_t *cells;
  uint64_t *mask;
  uint32_t *lines;         /* an activity file of up to 4 billion lines */
  uint32_t *owner;         /* the partner's id (whole-file store) */
  char *text;
  size_t ntext, captext;
  uint64_t *itab;          /* interned texts: cell + 1, open addressing */
  size_t icap, iused;
  /* Partners' keys (whole-file store): id -> key cell; a hash to find one. */
  uint64_t *keys;
  size_t nkeys, capkeys;
  uint32_t *ktab;          /* id + 1, open addressing */
  size_t kcap;
  uint32_t *first, *order; /* after act_group: partner id's activities are
                              order[first[id] .. first[id + 1]) */
  uint8_t *matched;        /* per id: a partner record took them */
  size_t bytes, max_bytes; /* held now; the bound (0: none) */
  bool over;               /* adding one more would pass max_bytes */
} ActStore;

void act_store_init(ActStore *s, const Program *p, bool intern, size_t max_bytes);
void act_store_free(ActStore *s);
/* Empties a store for reuse (a batch's), keeping its memory. */
void act_store_clear(ActStore *s);
/* Adds a validated activity; false (and s->over) when it would pass the
   memory bound. */
bool act_store_add(ActStore *s, const Row *row, long line);
/* The id of a partner key in a whole-file store, or -1. */
long act_find(const ActStore *s, const char *key, size_t len);

/* A partner's activities decoded for the VM. */
typedef struct ActBuf {
  Value *vals;
  uint8_t *set;
  long *lines;
  size_t cap;
  ActList list;
} ActBuf;

void act_buf_free(ActBuf *b);
/* A copy of a partner's activities that owns its arrays and texts, for a
   caller that keeps a record past its batch (the report's nearest
   partners); NULL for NULL.  Free with act_list_free. */
ActList *act_list_copy(const Program *p, const ActList *src);
void act_list_free(const Program *p, ActList *l);
/* Decodes count activities of s into b: idx[from ..] when idx is given
   (a whole-file store's order), else from, from + 1, ... */
const ActList *act_decode(const ActStore *s, const uint32_t *idx, size_t from, size_t count, ActBuf *b);

/* The messages of a run about its activities, and its counts. */
typedef struct ActLog {
  ActMsg *v;
  size_t n, cap;
  ActStats st;
  const char *name;        /* the activity file, as messages name it */
} ActLog;

void act_log(ActLog *l, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Prints the messages in line order and frees them. */
void act_log_flush(ActLog *l, FILE *err);
void act_log_free(ActLog *l);

/* Whether an activity counts on as_of: dated on or before it (an
   activity without a date, or a run without an as-of date, always). */
bool act_in_force(const Program *p, const Value *vals, const uint8_t *set, bool has_as_of, int64_t as_of);

/* Reads a whole activity file into s (intern, with partners' keys) and
   groups it by partner, counting and logging every row into log.  False,
   having said why on err, when the file cannot be read, its header does
   not fit, or the store passed its bound. */
bool act_load(ActStore *s, ActLog *log, const char *prog_name, const char *path, bool has_as_of, int64_t as_of,
              FILE *err);
/* act_load's reading, from a reader whose header mapped to m: every row
   validated, counted and logged, those in force stored and grouped.
   False when the store passed its bound. */
bool act_read(ActStore *s, ActLog *log, CsvReader *r, const RowMap *m, bool has_as_of, int64_t as_of);
/* After every partner is read: the activities no partner took, logged
   as of no partner. */
void act_unmatched(const ActStore *s, ActLog *log);

/* For a command that reads records one at a time (compare, diff, targets):
   the whole activity file in a store, and each record's activities by its
   key cell.  Rejected rows are said on err when it is opened. */
typedef struct ActSource {
  const Program *p;
  ActStore store;
  ActLog log;
  ActBuf buf;
  bool on;                 /* an activity file was given and read */
  bool has_as_of;          /* --as-of, for the caller's machines (vm_set_as_of) */
  int64_t as_of;
} ActSource;

/* path NULL: no activities (every record has none).  False, having said
   why on err, when the file cannot be read. */
bool act_source_open(ActSource *a, const Program *p, const char *prog_name, const char *path, bool has_as_of,
                     int64_t as_of, FILE *err);
/* The activities of the record whose key cell is key[0..len), or NULL. */
const ActList *act_source_find(ActSource *a, const char *key, size_t len);
/* ... of the record the reader holds (its key field's cell, per map). */
const ActList *act_source_for(ActSource *a, const CsvReader *r, const RowMap *m);
void act_source_close(ActSource *a);

/* --sorted: the activity file read in step with the partners. */
typedef struct ActCursor {
  const Program *p;
  Program shadow;          /* the activity's fields as a record schema, for the reader */
  struct RecordsFile *f;
  bool open, at_end, fatal;
  Row row;                 /* the current activity, valid until act_next */
  long line;
  char *key, *prev;        /* its key, and the one before (order) */
  size_t keylen, keycap, prevlen, prevcap;
  long prevline;
  bool has_prev;
  bool has_as_of;
  int64_t as_of;
} ActCursor;

/* Opens the file and moves to its first activity in force; false, having
   said why on err, when it cannot be read or its header does not fit. */
bool act_cursor_open(ActCursor *c, const Program *p, const char *prog_name, const char *path, bool has_as_of,
                     int64_t as_of, ActLog *log, FILE *err);
/* Moves to the next activity in force, logging what it passes; at the
   end, at_end.  A key below the one before is fatal (said on err). */
void act_next(ActCursor *c, ActLog *log, FILE *err);
void act_cursor_close(ActCursor *c);

/* The activity fields as a record schema (for records.c's reader). */
void act_shadow(const Program *p, Program *shadow);

#endif

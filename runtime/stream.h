/*
** stream.h — scoring files of records, in order, on one thread or several.
**
** The reading thread parses CSV into batches of records (parsing must be
** sequential: a quoted cell may hold a line break, so no one can start
** reading in the middle of a file).  Each batch is validated and scored by
** one of N workers into its own output and message buffers, and the
** reading thread writes the batches in input order.  With one job the
** same batches are scored on the reading thread, so `-j 1` and `-j N`
** share every line of the scoring code and their output is the same bytes.
*/
#ifndef RUBRIC_STREAM_H
#define RUBRIC_STREAM_H

#include <stdbool.h>
#include <stdio.h>

#include "activity.h"
#include "records.h"
#include "vm.h"
#include "writers.h"

/* Where a run's activities come from and the date it is assessed on
   (docs/cli.md: --activities, --as-of, --sorted, --max-memory). */
typedef struct StreamActs {
  const char *path;        /* NULL: no activity file */
  bool sorted;             /* both files sorted by key: merge them in one pass */
  size_t max_memory;       /* the whole-file store's bound in bytes; 0: none */
  bool has_as_of;          /* --as-of given */
  int64_t as_of;
} StreamActs;

/* A record a run rejected or placed on no track, kept for a summary that
   lists them (eval --stats) when Tally.keep_notes is set. */
typedef enum { NOTE_REJECTED, NOTE_UNASSIGNED } NoteKind;
typedef struct RunNote {
  uint8_t kind;            /* NoteKind */
  const char *file;        /* the records file as messages name it ("<stdin>") */
  long line;               /* the line the record starts on */
  int field;               /* the field at fault, or -1 */
  char *key;               /* the record's key as text; NULL when it was rejected
                              before its values could be read */
  char *cells_key;         /* then, its key cells as the file writes them, '/'-joined
                              (empty ones left out), for a reader to find the line by;
                              NULL when there are none to read */
  char *reason;            /* what the message says: "must be from 0 to 100" */
  const char *code;        /* a record the program could not score: R0701...; else NULL */
} RunNote;

/* What a run did: read = scored + unassigned + rejected. */
typedef struct Tally {
  long read, scored, unassigned, rejected;
  long failed;             /* of the rejected: valid, but the program could not score them */
  /* Scored records per track and tier: placed[track * (ntiers + 1) + tier],
     tier ntiers meaning no tier.  The placements add up to `scored`. */
  long *placed;
  DecSum *payout_totals;   /* exact; dec_sum_result says if a total fits */
  bool fatal;              /* a file could not be read or had a bad header */
  bool keep_notes;         /* keep a note of every record rejected or on no track */
  RunNote *notes;          /* in input order, whatever -j */
  size_t nnotes, notes_cap;
  /* Activities: where a run's come from (the caller sets it in the first
     total; NULL: none, and no --as-of), and what became of them. */
  const StreamActs *acts_in;
  ActStats acts;
} Tally;

/* Records of track t placed in tier (p->ntiers: no tier). */
long tally_placed(const Tally *t, const Program *p, int track, int tier);

bool tally_init(Tally *t, const Program *p);
void tally_free(Tally *t);
/* Adds what b counted to a (not its notes). */
void tally_add(Tally *a, const Tally *b, const Program *p);
/* Counts a record vm has just scored on a track: its placement and payouts. */
void tally_count(Tally *t, const Program *p, const VmCtx *vm);

/* Scores every record of each file ("-": standard input) with the
   parameter values in params, writes results through w and messages about
   rejected records to err, and counts everything into total.  jobs >= 1;
   a table writer is always fed on the calling thread. */
void stream_eval(const char *prog_name, const Program *p, Writer *w, const int64_t *params,
                 const char *const *paths, int npaths, int jobs, FILE *err, Tally *total);

/* A run that does something else with each record than score it once and
   write it: rubric sweep scores it once per scenario.  score is called for
   every record that passed validation and whose key is new, on any thread,
   with that thread's machine (its params as stream_score was given them,
   unless score changed them) and the record's place for messages; it
   counts into tallies[0..ntallies) and writes messages to err, which the
   run prints in input order.  A record rejected before score is counted
   as read and rejected in every tally; score counts the rest. */
typedef struct StreamScorer {
  int ntallies;
  void (*score)(void *ctx, VmCtx *vm, const Row *row, const CsvReader *at, FILE *err, Tally *tallies);
  void *ctx;
} StreamScorer;

/* stream_eval's reading, checking, threads and messages, with sc scoring
   the records into totals[0..sc->ntallies).  A file that cannot be read
   sets fatal in every total. */
void stream_score(const char *prog_name, const Program *p, const StreamScorer *sc, const int64_t *params,
                  const char *const *paths, int npaths, int jobs, FILE *err, Tally *totals);

/* The record's key as text: its key fields joined by '/'. */
const char *key_text(const Program *p, const Row *row, char *buf, size_t cap);
/* Says why the record r holds is rejected or on no track, one line on
   err: "file:line: [field 'x': ][record 'K' ]REASON[ [CODE]]", and keeps
   it as a note when t (which may be NULL) keeps them. */
void report_record(FILE *err, Tally *t, NoteKind kind, const Program *p, const CsvReader *r, int field,
                   const char *key, const char *reason, const char *code);
/* "file:line: field 'x': why" or "file:line: why". */
void report_reject(FILE *err, const Program *p, const CsvReader *r, int field, const char *why);
/* "file:line: record 'K' cannot be scored: why (at program:line:col)". */
void report_vm_error(FILE *err, const Program *p, const CsvReader *r, const Row *row,
                     const VmCtx *vm, VmStatus st);
/* ... and keeps it as a note when t keeps them, as eval does (a
   StreamScorer that lists rejected records: rubric report). */
void report_vm_note(FILE *err, Tally *t, const Program *p, const CsvReader *r, const Row *row,
                    const VmCtx *vm, VmStatus st);
/* A records file being read: the reader, and how its header maps onto the
   program's schema. */
typedef struct RecordsFile {
  FILE *in;
  CsvReader r;
  RowMap map;
} RecordsFile;

/* Opens path ("-": standard input) and reads its header against p's schema.
   False, having said why on err, if it cannot be read, is empty, or its
   header does not fit; nothing is left to close then. */
bool records_open(RecordsFile *f, const char *prog_name, const Program *p, const char *path, FILE *err);
/* Whether path ("-" always) can be opened for reading, saying why not on
   err: eval asks before it writes a header, so a missing records file
   leaves its output empty rather than a header over no rows. */
bool records_readable(const char *prog_name, const char *path, FILE *err);
/* After csv_next has returned 0: false, having said why on err, when
   reading stopped before the end of the file (a line of NUL bytes, a read
   that failed), so the records after it were never read. */
bool records_read_whole(const RecordsFile *f, FILE *err);
void records_close(RecordsFile *f);

#endif

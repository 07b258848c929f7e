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

#include "records.h"
#include "vm.h"
#include "writers.h"

/* What a run did: read = scored + unassigned + rejected. */
typedef struct Tally {
  long read, scored, unassigned, rejected;
  /* Scored records per track and tier: placed[track * (ntiers + 1) + tier],
     tier ntiers meaning no tier.  The placements add up to `scored`. */
  long *placed;
  DecSum *payout_totals;   /* exact; dec_sum_result says if a total fits */
  bool fatal;              /* a file could not be read or had a bad header */
} Tally;

/* Records of track t placed in tier (p->ntiers: no tier). */
long tally_placed(const Tally *t, const Program *p, int track, int tier);

bool tally_init(Tally *t, const Program *p);
void tally_free(Tally *t);
/* Adds what b counted to a. */
void tally_add(Tally *a, const Tally *b, const Program *p);

/* Scores every record of each file ("-": standard input) with the
   parameter values in params, writes results through w and messages about
   rejected records to err, and counts everything into total.  jobs >= 1;
   a table writer is always fed on the calling thread. */
void stream_eval(const char *prog_name, const Program *p, Writer *w, const int64_t *params,
                 const char *const *paths, int npaths, int jobs, FILE *err, Tally *total);

/* The record's key as text: its key fields joined by '/'. */
const char *key_text(const Program *p, const Row *row, char *buf, size_t cap);
/* "file:line: field 'x': why" or "file:line: why". */
void report_reject(FILE *err, const Program *p, const CsvReader *r, int field, const char *why);
/* "file:line: record 'K' cannot be scored: why (at program:line:col)". */
void report_vm_error(FILE *err, const Program *p, const CsvReader *r, const Row *row,
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
void records_close(RecordsFile *f);

#endif

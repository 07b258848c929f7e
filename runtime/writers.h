/*
** writers.h — result rows out: CSV, JSON Lines, or an aligned table.
** CSV and JSON Lines stream; the table holds its rows until the end to
** align them, so it is for people reading a screen, not for large runs.
**
** Columns, in order: the key field(s); `track` (programs with tracks);
** `tier`; `score`; each parameter's points (category.parameter); each
** category total; `badges` (programs with badges: earned ones, `;`-separated);
** each benefit; each payout; each output (a name several tracks give
** their outputs is one column).  `--columns` may also name record fields,
** passed through as read.  A value the record did not compute (a category
** its track does not use; everything but the key for a record on no track)
** is an empty cell, or null in JSON.  The table shows the keys, track,
** tier, score, category totals, badges, payouts and outputs.
*/
#ifndef RUBRIC_WRITERS_H
#define RUBRIC_WRITERS_H

#include <stdio.h>

#include "program.h"
#include "records.h"
#include "vm.h"

typedef enum { OUT_CSV, OUT_JSONL, OUT_TABLE } OutFormat;

typedef enum {
  COL_KEY, COL_TRACK, COL_TIER, COL_SCORE, COL_SLOT, COL_BADGES, COL_BENEFIT, COL_OUTPUT, COL_FIELD
} ColKind;

typedef struct Column {
  uint8_t kind;        /* ColKind */
  int index;           /* COL_KEY, COL_FIELD: field; COL_SLOT: slot; COL_BENEFIT:
                          benefit; COL_OUTPUT: the first output slot of its name */
  const char *name;
  bool in_table;
} Column;

typedef struct Writer {
  OutFormat format;
  const Program *prog;
  FILE *out;
  Column *cols;
  int ncols;
  char **cells;        /* OUT_TABLE: every cell kept, row-major */
  size_t ncells, cap;
  int ntable;          /* OUT_TABLE: columns shown */
  char **field_names;  /* with --columns: "record.NAME" for each field */
  int nlets;           /* lets among the columns (--columns), which
                          out_compute computes */
} Writer;

/* Starts the output.  columns: NULL for all, or a comma-separated list of
   column names to write, in that order; false (with why) when one is not a
   column of this program. */
bool out_begin(Writer *w, const Program *p, OutFormat f, FILE *out, const char *columns,
               char *why, size_t whyn);
/* After vm_eval: computes the lets the columns name that the record's
   evaluation did not need; VM_OK, or the record's error. */
VmStatus out_compute(const Writer *w, VmCtx *vm, const Row *row);
void out_row(Writer *w, const Row *row, const VmCtx *vm);
void out_end(Writer *w);
/* Writes cells (row-major, the first row the header) as an aligned table
   of nc columns, a rule under the header; right[c]: column c is
   right-aligned (numbers), else left. */
void out_table(FILE *out, char *const *cells, size_t ncells, size_t nc, const bool *right);
/* Writes s as one RFC 4180 CSV cell (quoted when it must be). */
void out_csv_cell(FILE *out, const char *s, size_t n);
/* Writes s as a JSON string, with quotes. */
void out_json_string(FILE *out, const char *s, size_t n);
/* A value of type t as text (flags yes/no, dates ISO, numbers plain);
   text values are returned as they are, others written into buf. */
const char *out_value_text(const Program *p, ValueType t, const FieldInfo *choice, Value v,
                           char buf[64], size_t *len);
/* Slot s's value as text: a choice output by its member's name. */
const char *out_slot_text(const Program *p, int s, Value v, char buf[64], size_t *len);
/* The ValueType of a record field. */
ValueType out_field_type(const FieldInfo *f);

#endif

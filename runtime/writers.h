/*
** writers.h — result rows out: CSV, JSON Lines, or an aligned table.
** CSV and JSON Lines stream; the table holds its rows until the end to
** align them, so it is for people reading a screen, not for large runs.
** Columns: the key field, tier, score, each parameter's points
** (category.parameter), each category total.  The table shows the key,
** tier, score and category totals only.
*/
#ifndef RUBRIC_WRITERS_H
#define RUBRIC_WRITERS_H

#include <stdio.h>

#include "program.h"
#include "records.h"
#include "vm.h"

typedef enum { OUT_CSV, OUT_JSONL, OUT_TABLE } OutFormat;

typedef struct Writer {
  OutFormat format;
  const Program *prog;
  FILE *out;
  char **cells;        /* OUT_TABLE: every cell kept, row-major */
  size_t ncells, cap;
  int ncols;
} Writer;

void out_begin(Writer *w, const Program *p, OutFormat f, FILE *out);
void out_row(Writer *w, const Row *row, const VmCtx *vm);
void out_end(Writer *w);
/* Writes s as one RFC 4180 CSV cell (quoted when it must be). */
void out_csv_cell(FILE *out, const char *s, size_t n);
/* Writes s as a JSON string, with quotes. */
void out_json_string(FILE *out, const char *s, size_t n);

#endif

/*
** records.h — partner records: reading CSV (RFC 4180) as a stream and
** validating each record against the program's schema into a row of typed
** values.  Validation is strict: a value that does not fit its field is a
** rejection with a reason, never a guess.  After the reader has grown its
** buffers to the longest record seen, reading allocates nothing.
*/
#ifndef RUBRIC_RECORDS_H
#define RUBRIC_RECORDS_H

#include <stdbool.h>
#include <stdio.h>

#include "program.h"

/* Longest record accepted, in bytes: a larger one is rejected and skipped,
   so one bad line cannot make the reader take all memory. */
#define REC_MAX_RECORD (1 << 20)
/* Most columns a header may have. */
#define REC_MAX_COLUMNS 4096

/* Room for any reason rec_parse_cell gives. */
#define REC_WHY_MAX 256

/* Parse one cell's text as a value of field f.  Returns false with the
   reason in why when the text does not fit.  Text values point into s. */
bool rec_parse_cell(const FieldInfo *f, const char *s, size_t n, Value *out, char *why);
/* 1/0, true/false, yes/no in any case. */
bool rec_parse_flag(const char *s, size_t n, bool *out);
/* Length of the valid UTF-8 text at s, or where it first goes wrong. */
size_t rec_utf8_valid(const char *s, size_t n);

typedef struct CsvReader {
  FILE *in;
  const char *name;
  char *buf;                 /* read buffer */
  size_t len, pos, cap;
  char *save;                /* bytes read after a newline in an open quoted cell */
  size_t save_len, save_cap;
  long save_line;            /* line those bytes start on; 0: not saving */
  bool eof, bom_checked;
  char *rec;                 /* the current record's unescaped cells */
  size_t rec_len, rec_cap;
  size_t *cell_off, *cell_len;
  int ncells, cells_cap;
  long line;                 /* line the next record starts on */
  long rec_line;             /* line the current record started on */
  const char *error;         /* why the current record is malformed, or NULL */
  long nrecs;                /* records returned so far (the header is the first) */
  /* Why reading stopped before the end of the file, or NULL: the header
     line broke a limit or held a NUL byte, or a line of NUL bytes ran past
     REC_MAX_RECORD (a binary file, or /dev/zero, which has no line end to
     skip to).  The record that stopped it is returned, with error set; the
     next csv_next returns 0. */
  const char *gave_up;
  int read_errno;            /* a read failed (errno), so the end seen is not the file's */
} CsvReader;

void csv_open(CsvReader *r, FILE *in, const char *name);
void csv_close(CsvReader *r);
/* Next record: 1 read (maybe with r->error set), 0 at the end. */
int csv_next(CsvReader *r);

/* How CSV columns map to schema fields, from the header record. */
typedef struct RowMap {
  int *field_of_col;         /* per column: field index or -1 */
  int ncols;
  int *col_of_field;         /* per field: column or -1 */
} RowMap;

/* Build the map from the header just read; on failure msgbuf says why
   (a required field without a column, a repeated column). */
bool rec_map_header(const Program *p, CsvReader *r, RowMap *m, char *msgbuf, size_t n);
void rec_map_free(RowMap *m);

/* A validated record.  Text values point into the reader's buffer and are
   valid until the next csv_next. */
typedef struct Row {
  Value *vals;
  uint8_t *set;
  const ActList *acts;       /* the partner's activities; NULL: none */
} Row;

/* Validate the current record into row.  On failure: false, *field is the
   offending field (or -1 for the record as a whole) and *reason says why. */
bool rec_validate(const Program *p, const CsvReader *r, const RowMap *m, Row *row,
                  int *field, char *why);

/* The ranges that name other fields (`in answers..5 * answers`), on a row
   whose every cell is valid: each field in Program.bounded order, so a
   field is checked after those its range names.  On failure: false, the
   field in *field and a reason naming both fields and their values. */
bool rec_check_bounds(const Program *p, const Row *row, int *field, char *why);
/* Field f's range end (hi: the high one) that names other fields, worked
   out on row: false when it has no such end or it cannot be computed. */
bool rec_bound_end(const Program *p, int f, bool hi, const Row *row, int64_t *out);

#endif

/*
** gen.h — a generator of valid rubric programs and of records for them
** (gen_), for property tests and structure-aware fuzzing.
**
** Every decision the generator makes is drawn from a choice stream: either
** a 64-bit seed (splitmix64, so a seed gives the same program on every
** machine) or a fuzzer's bytes (each byte one decision; when the bytes run
** out every decision is 0, which always picks the smallest option, so any
** byte string gives a finite, valid program).  The program covers every
** declaration kind of docs/language.md; the records hold mostly valid rows
** and some the generator made invalid on purpose, so an oracle knows how
** many there are and which must be rejected without asking rubric.
*/
#ifndef RUBRIC_GEN_H
#define RUBRIC_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A probe: a points parameter with no cap whose value is one arithmetic
   operation on required number fields, recomputed here exactly (128-bit),
   so an oracle can tell a right number from a wrapped one. */
typedef struct GenProbe {
  char name[48];        /* "category.points" */
  int64_t *value;       /* per row: the exact result, when ok[row] */
  uint8_t *outcome;     /* per row: GEN_PROBE_* */
} GenProbe;

/* Per row: not computed (the row is invalid), the exact value, or why
   there is none. */
enum { GEN_PROBE_NA, GEN_PROBE_OK, GEN_PROBE_OVERFLOW, GEN_PROBE_DIVZERO };
/* Probes per program: a few operations each, on every row, are plenty. */
#define GEN_MAX_PROBES 8

/* Files of records written per program: the same rows, each copy with its
   own keys (a key repeated across files is a duplicate), so a run over
   all of them has work for several threads. */
#define GEN_COPIES 6

typedef struct GenOut {
  char *program;        /* the program text, NUL-terminated */
  size_t program_len;
  char *records;        /* a CSV file for it: header, then rows */
  size_t records_len;
  char *copy[GEN_COPIES];     /* copy[0] is records; the others differ in keys */
  size_t copy_len[GEN_COPIES];
  int nrows;            /* data rows written, counted as they were written */
  uint8_t *row_invalid; /* per row: made invalid on purpose, must be rejected */
  int ninvalid;
  GenProbe *probes;
  int nprobes;
} GenOut;

/* Size knobs: the defaults keep each program small enough to check in a
   few milliseconds.  GEN_SCALE multiplies the counts of declarations. */
typedef struct GenLimits {
  int max_depth;        /* expression nesting */
  int scale;            /* 1: small; larger: more of everything */
  int max_rows;         /* data rows in the records file */
} GenLimits;

void gen_default_limits(GenLimits *lim);
/* A program and its records from a seed.  Free with gen_free. */
void gen_from_seed(uint64_t seed, const GenLimits *lim, GenOut *out);
/* The same from a fuzzer's bytes, read as the stream of decisions. */
void gen_from_bytes(const uint8_t *data, size_t size, const GenLimits *lim, GenOut *out);
void gen_free(GenOut *out);

#endif

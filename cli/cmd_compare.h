/*
** cmd_compare.h — what `rubric compare` shares with `rubric diff
** --records`: score the same records with two programs and print what
** moved (api/compare.h), as a table for people, JSON or CSV.
*/
#ifndef RUBRIC_CLI_CMD_COMPARE_H
#define RUBRIC_CLI_CMD_COMPARE_H

#include "common.h"

typedef enum { REPORT_TABLE, REPORT_JSON, REPORT_CSV } ReportFormat;

/* --set and --set-file overrides, in the order they apply: those for both
   programs, then BASE's own, then NEW's own (so a side's own value wins). */
enum { SETS_BOTH, SETS_BASE, SETS_NEW };

typedef struct CompareArgs {
  const char *program[2];          /* BASE and NEW: a program or .rbc file ("-": standard input) */
  CliSets sets[3];                 /* SETS_BOTH, SETS_BASE, SETS_NEW */
  const char *const *records;      /* the records files, read by both */
  int nrecords;
  ReportFormat format;
  long top;                        /* movers listed at most; -1: all */
  StreamActs acts;                 /* --activities, --as-of: read by both programs */
} CompareArgs;

/* Loads both programs, applies the overrides, scores the records with
   each and prints the comparison on standard output.  The status: 0 when
   no record's outcome differs, 1 when one does, 2 on misuse or an
   unreadable file (having said why). */
int compare_programs(const CompareArgs *a);
/* Reads --top's value into *top: -1 to go on, else the status of the
   usage error it printed (with usage_text). */
int compare_top_option(const char *arg, const char *usage_text, long *top);

#endif

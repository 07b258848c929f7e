/*
** testrun.h — the test runner: runs a program's test blocks, measures what
** they reached (coverage), and writes the results as a report for people,
** as TAP version 13 or as JUnit XML.
**
** It takes programs already loaded: finding and compiling them, and what
** the outcome does to an exit status, are the caller's.  It writes only to
** the streams it is given and never exits.
*/
#ifndef RUBRIC_TESTRUN_H
#define RUBRIC_TESTRUN_H

#include <stdbool.h>
#include <stdio.h>

#include "program.h"

typedef struct RbTestResult {
  const char *file;        /* as given to rb_test_program; the caller's, kept alive */
  char *name;
  int line;
  bool ok;
  char *summary;           /* first failure, one line (NULL when ok) */
  char *details;           /* every failed expectation and the explain trace */
} RbTestResult;

typedef struct RbTestRun {
  RbTestResult *results;
  int n, cap;
  long passed, failed;
  bool coverage;           /* report coverage after each program */
  double min_coverage;     /* and fail below this percentage; -1: no bar */
  bool below_coverage;     /* a program fell below min_coverage */
} RbTestRun;

/* An empty run; coverage and min_coverage (-1: none) as the caller asks. */
void rb_test_init(RbTestRun *tr, bool coverage, double min_coverage);
void rb_test_free(RbTestRun *tr);
/* Runs every test block of p (compiled from file) and records the results.
   With coverage, writes its coverage report to out. */
void rb_test_program(RbTestRun *tr, const char *file, const Program *p, FILE *out);
/* Records one failure for a program that could not be loaded: why says
   what went wrong ("the program does not compile"). */
void rb_test_unloaded(RbTestRun *tr, const char *file, const char *why);

/* The report for people: each failure with its details (each pass too
   when verbose), then "N passed, N failed". */
void rb_test_write_report(const RbTestRun *tr, bool verbose, FILE *out);
/* TAP version 13, failure details in YAML blocks, then "# N passed, N failed". */
void rb_test_write_tap(const RbTestRun *tr, FILE *out);
/* JUnit XML: one testsuite per program, one testcase per test. */
void rb_test_write_junit(const RbTestRun *tr, FILE *out);

#endif

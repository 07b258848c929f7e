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
#include <stdint.h>
#include <stdio.h>

#include "program.h"

/* One way a test failed: an expectation that did not hold, a rejection
   that did not happen, or an evaluation that failed. */
typedef struct RbTestFailure {
  char *file;              /* where the test block is (the program or a file it imports) */
  int line, col;           /* the expectation's position; the test's line when none */
  char *what;              /* as written: "tier", "sales.certs", "rejected"; NULL for an
                              evaluation that failed */
  char *expected, *actual; /* as the program writes them; NULL: none (actual: not computed) */
  char *message;           /* one line, without the position: "expected tier gold, got member" */
} RbTestFailure;

typedef struct RbTestResult {
  const char *file;        /* as given to rb_test_program; the caller's, kept alive */
  char *name;              /* the test's, or for an unloaded program its file */
  char *where;             /* the file the test block is in */
  int line;
  bool ok;
  bool unloaded;           /* the program could not be loaded: not a test of it */
  char *summary;           /* first failure, one line (NULL when ok) */
  char *details;           /* each failure and what led to it; an unloaded program's
                              diagnostics */
  RbTestFailure *fails;
  int nfails;
} RbTestResult;

typedef struct RbTestRun {
  RbTestResult *results;
  int n, cap;
  long passed, failed;
  bool coverage;           /* report coverage after each program */
  double min_coverage;     /* and fail below this percentage; -1: no bar */
  bool below_coverage;     /* a program fell below min_coverage */
  bool has_as_of;          /* the tests' as-of date (rubric test --as-of); else a */
  int64_t as_of;           /* fixed period's end, as for eval */
} RbTestRun;

/* An empty run; coverage and min_coverage (-1: none) as the caller asks. */
void rb_test_init(RbTestRun *tr, bool coverage, double min_coverage);
void rb_test_free(RbTestRun *tr);
/* Runs every test block of p (compiled from file) and records the results.
   With coverage, writes its coverage report to out. */
void rb_test_program(RbTestRun *tr, const char *file, const Program *p, FILE *out);
/* Records a program that could not be loaded: why says what went wrong
   ("the program does not compile"), diags its diagnostics as people read
   them (NULL: none).  It counts as one failure. */
void rb_test_unloaded(RbTestRun *tr, const char *file, const char *why, const char *diags);

/* The report for people: each failure with its details (each pass too
   when verbose), then "N passed, N failed". */
void rb_test_write_report(const RbTestRun *tr, bool verbose, FILE *out);
/* Each failure as a GitHub Actions workflow command:
   ::error file=F,line=L,col=C::test "NAME": expected tier gold, got member */
void rb_test_write_github(const RbTestRun *tr, FILE *out);
/* Each failure as one JSON object a line: file, line, col, test,
   expectation, expected, actual, message. */
void rb_test_write_json(const RbTestRun *tr, FILE *out);
/* TAP version 13, failure details in YAML blocks, then "# N passed, N failed". */
void rb_test_write_tap(const RbTestRun *tr, FILE *out);
/* JUnit XML: one testsuite per program, one testcase per test, with the
   test's file and line and the program as its classname (its path without
   .rubric, slashes as dots); a program that could not be loaded is one
   testcase with an <error> holding its diagnostics. */
void rb_test_write_junit(const RbTestRun *tr, FILE *out);

#endif

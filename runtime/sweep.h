/*
** sweep.h — one program, many parameter values, the same records: the
** scenarios of `rubric sweep`, scored in one pass over the records.
**
** Each axis is one parameter value (a param, or one key of a keyed param)
** with the values it takes: a list, ranges LO..HI:STEP with exact decimal
** steps, or both.  The scenarios are every combination of the axes'
** values, the first axis varying slowest.  Each record is read, validated
** and checked for a repeated key once (runtime/stream.c, which also gives
** the threads of -j); then it is scored in every scenario in turn on one
** machine, which keeps from one scenario to the next the values no swept
** parameter reaches (vm_eval_again), so a scenario costs only what it
** moves.  Nothing here prints but the messages the run writes to err.
*/
#ifndef RUBRIC_SWEEP_H
#define RUBRIC_SWEEP_H

#include <stdbool.h>
#include <stdio.h>

#include "program.h"
#include "stream.h"

/* The most scenarios a sweep may have, whatever it asks: a batch of
   records counts into one Tally per scenario, and -j N keeps 2N + 2
   batches, so this bounds the memory at about 20 MB per batch. */
#define SWEEP_MAX_SCENARIOS 100000
/* The limit when the caller names none. */
#define SWEEP_DEFAULT_MAX 10000

typedef struct SweepAxis {
  char *name;              /* as written: "growth_benchmark.developed" */
  int index;               /* its place in the parameter values */
  ValueType type;
  int64_t *values;
  int nvalues;
} SweepAxis;

typedef struct Sweep {
  const Program *p;
  int64_t *params;         /* what every scenario starts from: the program's values */
  SweepAxis *axes;
  int naxes;
  long nscenarios;         /* after sweep_plan */
  int64_t *grid;           /* scenario s's value of axis a: grid[s * naxes + a] */
  int *keep;               /* the slots no axis with two values or more reaches */
  int nkeep;
  Tally *tallies;          /* one per scenario, counted by sweep_run */
} Sweep;

void sweep_init(Sweep *sw, const Program *p);
void sweep_free(Sweep *sw);

/* Adds the axis `set` describes: NAME=ITEMS, each comma-separated item a
   value ("600", "$5000", "yes", "2024-06-30") or, for a number or money
   parameter, a range LO..HI:STEP, which gives LO, LO + STEP, ... up to the
   last value not above HI, each exact.  Every value is checked as
   vm_set_param checks it.  At most max values.  False, with the reason
   in why, when the name, a value or a range does not fit, or when the
   parameter value already has an axis. */
bool sweep_axis(Sweep *sw, const char *set, long max, char *why, size_t whyn);

/* After the axes: makes the scenarios, at most max of them (false, with
   why naming how many there would be, when there are more), and finds
   the slots a scenario need not recompute. */
bool sweep_plan(Sweep *sw, long max, char *why, size_t whyn);

/* After the plan: whether every scenario's values keep the program's
   rules (its caps' and ranges' ends in order, its bands' rows rising,
   where params are those ends: ParamRule).  False, with why naming the
   first scenario that breaks one and how, when one does not. */
bool sweep_check_rules(const Sweep *sw, char *why, size_t whyn);

/* Scores the records of the files in every scenario (stream_score: -j
   threads, messages in input order to err), counting into sw->tallies.
   A record the program cannot score in some scenarios is rejected in
   those, and reported once on err, with how many and the first. */
void sweep_run(Sweep *sw, const char *prog_name, const char *const *paths, int npaths, int jobs, FILE *err);

typedef enum { SWEEP_TABLE, SWEEP_CSV, SWEEP_JSON } SweepFormat;

/* Writes the results, one row (or JSON object) per scenario: its number
   (from 1), each axis's value, the records scored, unassigned (programs
   with tracks) and rejected, every tier's count, and each payout's total.
   program and paths name the inputs in JSON. */
void sweep_write(FILE *out, const Sweep *sw, SweepFormat f, const char *program, const char *const *paths,
                 int npaths);

#endif

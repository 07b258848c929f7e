/*
** vm.h — evaluating a compiled program against one record.
**
** A VmCtx holds everything that changes per run or per record (stack, slot
** values, locals, parameter values, trace); the Program is never written,
** so any number of contexts may share one.  vm_eval allocates nothing.
*/
#ifndef RUBRIC_VM_H
#define RUBRIC_VM_H

#include "program.h"
#include "records.h"

typedef enum {
  VM_OK = 0,
  VM_DIVZERO,      /* R0701 */
  VM_OVERFLOW,     /* R0702 */
  VM_DATE_RANGE,   /* R0703 */
  VM_FRACTION,     /* R0704: days or months not whole */
  VM_NOMATCH       /* R0705: a band without else had no row */
} VmStatus;

typedef struct TraceEvent { int site; Value v; } TraceEvent;

/* What traced code notes about one activity in one aggregate, for explain:
   the outcome of one of the `where` conditions (cond >= 0, ok its value),
   that a comparison read an unset field (cond -1, field), or that the
   activity was taken or left (cond -2, ok: taken; field >= 0: the field
   after `of` was unset). */
typedef struct ActEvent { int agg, act, cond, field; bool ok; } ActEvent;

/* An aggregate being computed: where it is in the activities, what it
   has so far, and the activity and aggregate it interrupted (an
   aggregate in a let that another's condition reads). */
typedef struct AggState {
  int i, n;
  int64_t count;
  Value acc;
  bool has;                /* min, max: acc holds a value */
  int prev_agg;
  const Value *prev_act;
  const uint8_t *prev_set;
} AggState;

/* The run's dates (RUNDATE's operand). */
enum { VM_AS_OF, VM_PERIOD_START, VM_PERIOD_END };

typedef struct VmCtx {
  const Program *prog;
  Value *stack;
  Value *slots;
  uint32_t *done;          /* per slot: the generation it was computed in */
  uint32_t gen;
  int *frames;             /* return addresses of SLOT calls */
  Value *locals;
  int64_t *params;         /* this run's parameter values */
  bool tracing;
  TraceEvent *trace;
  int ntrace;
  int track;               /* after vm_eval: the record's track, -1 none */
  int tier;                /* after vm_eval: index of the tier reached, -1 none */
  int err_pc;              /* after a failure: the instruction */
  const Row *row;          /* the record of the last vm_eval, which keyed
                              params are read for (vm_param) */
  /* Activities: the run's dates (vm_set_as_of), the aggregates' states,
     the activity being looked at, the values distinct keeps (grown as a
     record with more activities than any before needs), and the notes
     traced code makes when aevents is given room (explain). */
  int64_t dates[3];
  bool has_as_of;          /* dates[VM_AS_OF] is known (--as-of or the period) */
  AggState *aggs;
  int cur_agg;
  const Value *act;
  const uint8_t *aset;
  Value *distinct;
  size_t distinct_cap;
  ActEvent *aevents;
  int naevents, capaevents;
} VmCtx;

bool vm_init(VmCtx *vm, const Program *p);
/* The assessment date of the run, and from it the period (a relative one
   ends on it).  Without a call, as_of is the end of a fixed period, and
   unknown (has_as_of false) for a relative one or none. */
void vm_set_as_of(VmCtx *vm, int64_t as_of);
void vm_free(VmCtx *vm);
/* Sets one parameter value by name ("rate" or "benchmark.developed") from
   text, checked against its type.  False with *why on failure. */
bool vm_set_param(VmCtx *vm, const char *name, const char *value, const char **why);
/* Where the parameter value NAME names ("rate" or "benchmark.developed")
   is in params, with its type; -1 with *why when there is none. */
int vm_param_index(const Program *p, const char *name, ValueType *type, const char **why);
VmStatus vm_eval(VmCtx *vm, const Row *row);
/* Evaluates the row of the last vm_eval again, with the parameters as they
   are now, keeping the values of the slots keep[0..nkeep) that the last
   evaluation computed: the caller promises that they do not depend on
   what changed (rubric sweep keeps the slots no swept parameter reaches,
   so a scenario recomputes only what it moves). */
VmStatus vm_eval_again(VmCtx *vm, const Row *row, const int *keep, int nkeep);
/* After vm_eval of row: computes slot s too, if the record's evaluation
   did not need it (a let that --columns names).  An error is the record's
   error, as in vm_eval. */
VmStatus vm_force(VmCtx *vm, const Row *row, int s);
/* Param `param`'s value in this run, for the last record evaluated (a
   keyed param's value for the record's member). */
int64_t vm_param(const VmCtx *vm, int param);
/* ... and where that value is in vm->params. */
int vm_param_at(const VmCtx *vm, int param);
/* A cap's or range's end: the literal, or param's value (param >= 0). */
Dec vm_bound(const VmCtx *vm, Dec literal, int param);
/* Benefit b's value for the last record's tier (its neutral value with no
   tier), a param's value where the benefit names one. */
Value vm_benefit(const VmCtx *vm, int b);
/* After vm_eval: whether this record computed slot s (a category of another
   track, or anything of an unassigned record, was not). */
bool vm_computed(const VmCtx *vm, int s);
const char *vm_status_text(VmStatus st);
/* The status's diagnostic code (lang/diagcodes.h, docs/diagnostics.md): "R0701". */
const char *vm_status_code(VmStatus st);
/* Where the failed instruction comes from. */
Pos vm_error_pos(const VmCtx *vm);

#endif

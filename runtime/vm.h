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
} VmCtx;

bool vm_init(VmCtx *vm, const Program *p);
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

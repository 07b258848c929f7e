/*
** explain.h — one record's derivation, in words: its fields, each track's
** condition, the score and tier, each category and parameter with its raw
** value and whether its cap bound, the branches and band rows taken, the
** lets, every tier condition, badges, benefits and payouts.  `rubric
** explain` prints it for a record of a file; `rubric test` for a record a
** failing test built.
**
** It reads a traced evaluation (vm->tracing) and never re-derives one.
** It writes only to the stream it is given; it does not read records, and
** it never exits: errors are the VM status it returns.
*/
#ifndef RUBRIC_EXPLAIN_H
#define RUBRIC_EXPLAIN_H

#include <stdbool.h>
#include <stdio.h>

#include "vm.h"

/* Whether row's key is ids: the ids name the first key fields, in order;
   key fields after them must be unset (optional parts of a key may be left
   out). */
bool rb_explain_key_matches(const Program *p, const Row *row, const char *const *ids, int nids);
/* Evaluates row (traced) and writes "record KEY  (FILE line N)", its
   fields, then rb_explain_print.  When the VM fails, only the header and
   the fields are written and its status is returned for the caller to
   report (report_vm_error). */
VmStatus rb_explain_record(const Program *p, VmCtx *vm, const Row *row, const char *file, long line,
                           FILE *out);
/* Everything after the fields: tracks, score and tier, categories and
   points with their branches and caps, lets, tiers, badges, benefits,
   payouts.  vm holds a traced evaluation that succeeded. */
void rb_explain_print(const Program *p, const VmCtx *vm, FILE *out);
/* One value as a program writes it: "text", $money, a number, a date. */
void rb_explain_value(const Program *p, ValueType t, Value v, FILE *out);

#endif

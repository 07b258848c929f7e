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
   payouts.  vm holds a traced evaluation of row that succeeded.  A
   condition that does not hold is followed by its parts, each with the
   values of the fields, parameters and totals it names, and a verdict
   where the part compares a name with a value. */
void rb_explain_print(const Program *p, const VmCtx *vm, const Row *row, FILE *out);

/* ---- activities ----------------------------------------------------------
   For each aggregate, the activities it counted and the ones it left out,
   with the reason: the first part of its condition that failed ("kind is
   deal, not deployment", "outside period 2025-02-01..2026-01-31", "status
   is not set"), read from the events the traced evaluation noted (ACOND,
   AUNSET).  notes are the record's activities the run did not use, each
   listed under every aggregate (after the as-of date, rejected). */
typedef struct RbActNote {
  const char *label;          /* "ignored", "rejected" */
  long line;
  char *what;                 /* the activity as a test block writes one; NULL for a rejected row */
  char *why;                  /* "after the as-of date 2026-01-31" */
} RbActNote;

/* The room vm->aevents needs for row's activities; allocate it and set
   vm->capaevents before the evaluation. */
size_t rb_explain_act_room(const Program *p, const Row *row);
/* "deployment on 2025-03-01 amount $50000 customer \"Acme\"": an activity's
   set fields but its key, a choice's value alone, others as FIELD VALUE.
   malloc'd. */
char *rb_explain_act_text(const Program *p, const Value *vals, const uint8_t *set);
void rb_explain_activities(const Program *p, const VmCtx *vm, const Row *row, const char *file,
                           const RbActNote *notes, int nnotes, FILE *out);

/* Pieces of rb_explain_print, each line after indent, for a caller that
   shows only what one question needs (the test runner).  The slot's
   lines: points with their category, a category with its points, the
   score with the category totals, a let, a badge, a payout. */
void rb_explain_slot(const Program *p, const VmCtx *vm, const Row *row, int slot, const char *indent,
                     FILE *out);
/* "score 60, tier member "Member"" */
void rb_explain_score(const Program *p, const VmCtx *vm, const char *indent, FILE *out);
/* The record's track's ladder, each tier's condition and verdict. */
void rb_explain_ladder(const Program *p, const VmCtx *vm, const Row *row, const char *indent, FILE *out);
/* Every track's condition and verdict. */
void rb_explain_tracks(const Program *p, const VmCtx *vm, const Row *row, const char *indent, FILE *out);
/* What benefit b gives the record's tier. */
void rb_explain_benefit(const Program *p, const VmCtx *vm, int b, const char *indent, FILE *out);

/* ---- the parts of a condition, as data ----------------------------------
   A condition that does not hold is read part by part from its canonical
   text (explain.c says why the text: the trace holds only the whole
   condition's outcome).  explain prints the reading; targets builds on
   it. */

/* The most words one part is read in: a longer part's later names are not
   shown. */
#define RB_PART_WORDS 16

/* A stretch of a condition's text. */
typedef struct RbSpan { const char *s; int n; } RbSpan;

typedef enum { RB_JOIN_NONE, RB_JOIN_OR, RB_JOIN_AND } RbJoin;

/* Walks a condition's parts: split at its top-level ` or `s, or, if it
   has none, at its top-level ` and `s; a condition with neither is one
   part.  Brackets nest and quoted text is skipped. */
typedef struct RbParts { const char *text; int n, at; RbJoin join; } RbParts;
void rb_parts_begin(RbParts *it, const char *text);
/* The next part; false after the last. */
bool rb_parts_next(RbParts *it, RbSpan *part);

typedef enum { RB_NAME_NONE, RB_NAME_UNSET, RB_NAME_NOT_COMPUTED, RB_NAME_VALUE } RbNameState;

/* A word of a part that names something, with its value for the record:
   a field (field >= 0), a parameter (param >= 0, this run's value) or a
   slot the record computed (slot >= 0).  RB_NAME_NONE: the word names
   nothing (a literal, an operator); RB_NAME_UNSET: an optional field or
   let without a value; RB_NAME_NOT_COMPUTED: a slot the evaluation never
   reached (a let after a part of an `and` that failed first).  Text
   values point into the record. */
typedef struct RbPartName {
  const char *s;
  int n;
  RbNameState state;
  ValueType type;
  Value value;                /* RB_NAME_VALUE */
  char *const *members;       /* a choice: its values' names, a field's or a
                                 let's or output's own (NULL: not a choice) */
  int nmembers;
  int field, param, slot;
} RbPartName;

typedef enum {
  RB_PART_COMPARE,   /* NAME OP VALUE or NAME OP NAME: `certs >= 5`, `score > min_score` */
  RB_PART_IN,        /* NAME in (V, V, ...) */
  RB_PART_SET,       /* NAME is set */
  RB_PART_FLAG,      /* a flag, or `not` a flag */
  RB_PART_OTHER      /* anything else: only the values of the names in it */
} RbPartKind;

typedef struct RbPart {
  const char *s;
  int n;
  RbPartKind kind;
  int holds;                  /* 1 or 0; -1 for RB_PART_OTHER: the part alone does not say */
  const char *op;             /* COMPARE: the operator as written */
  int opn;
  bool negated;               /* FLAG: `not NAME` */
  /* COMPARE: both sides (right.state RB_NAME_NONE: a literal, its value
     in right.value, of left's type); IN, SET, FLAG: the name. */
  RbPartName left, right;
  RbPartName names[RB_PART_WORDS];   /* OTHER: each name in it once, in order */
  int nnames;
  bool truncated;             /* the part has more than RB_PART_WORDS words: names may be missing */
  bool calls;                 /* OTHER: it calls a `fn`, whose body may read names the part does not show */
} RbPart;

/* Reads part s[0..n) of a condition of row's evaluation in vm (with the
   values vm holds: a traced or plain evaluation that succeeded). */
void rb_part_read(const Program *p, const VmCtx *vm, const Row *row, const char *s, int n, RbPart *part);

/* The trace event of a site of this kind: site itself when site >= 0,
   else the one whose index is index (a tier, a track); NULL when the
   evaluation did not pass it. */
const TraceEvent *rb_explain_event(const VmCtx *vm, SiteKind kind, int site, int index);

/* One value as a program writes it: "text", $money, a number, a date. */
void rb_explain_value(const Program *p, ValueType t, Value v, FILE *out);
/* Where a site in a function's body was inlined: the call the compiler
   recorded (the outermost, when fns call fns).  file -1 for a site that is
   not in a function's body. */
Pos rb_explain_call_site(const Program *p, int site);
/* A path's last component: "shapes.rubric" for "stdlib/shapes.rubric". */
const char *rb_explain_base_name(const char *path);

#endif

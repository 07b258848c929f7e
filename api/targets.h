/*
** targets.h — what a record needs for the next tier on its ladder.
**
** For one scored record: its track, tier and score; the next tier (the
** lowest one above its own: the ladder is cumulative, so every tier below
** the next already holds and only the next tier's own condition stands in
** the way, unless a floor placed the record above a tier whose condition
** fails); each part of those conditions, read as explain reads it
** (explain.h, rb_part_read), with the value it has and the value it
** needs; the score gap; and the single-field changes that would place the
** record in the next tier, each found by evaluating the record again,
** through the VM, with that one field changed.
**
** The search never guesses.  For a field and a direction it probes the
** field's declared domain at exponentially growing distances, then
** bisects between the last probe that does not reach the goal and the
** first that does; the answer is evaluated again (it reaches, the value
** one unit nearer does not), and the values between the record's own and
** the answer are all evaluated when they are few (RB_TARGETS_SCAN_MAX),
** else a spread of RB_TARGETS_SAMPLES of them: any that reaches, or a probe
** beyond the answer that falls back, makes the field "not monotone" and
** no smallest change is claimed for it.
**
** Everything here is data: it reads no file and never exits, and it
** writes only the words of a part or a change, to the stream it is given
** (`rubric targets` and `rubric report` share them).  Allocation failure aborts, as in the rest of the library.
*/
#ifndef RUBRIC_TARGETS_H
#define RUBRIC_TARGETS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "explain.h"
#include "vm.h"

/* Below a change found, every value nearer the record's own is evaluated
   when there are at most this many (a count of up to 1024, a date up to
   about three years away): the answer is then the smallest there is. */
#define RB_TARGETS_SCAN_MAX 1024
/* Otherwise (amounts, whose unit is a millionth) this many values, spread
   evenly between the record's own and the answer, must all fall short. */
#define RB_TARGETS_SAMPLES 64

typedef enum {
  RB_CHANGE_FOUND,          /* `to` reaches the goal; nothing nearer does */
  RB_CHANGE_NOT_MONOTONE    /* `reach` reaches and `miss`, farther away, does not: no answer claimed */
} RbChangeStatus;

/* One field changed alone.  Values are the field's own: Decs for
   numbers, money, counts and percents, days for dates, 0/1 for flags. */
typedef struct RbChange {
  int field;
  RbChangeStatus status;
  int direction;            /* +1 up (later), -1 down (earlier), 0 a flag turned over */
  Value from;               /* the record's value */
  Value to;                 /* FOUND: the nearest value that reaches the goal */
  int64_t delta;            /* FOUND: to - from (Dec, or days); 0 for a flag */
  bool exhaustive;          /* FOUND: every value between from and to was evaluated */
  Value reach, miss;        /* NOT_MONOTONE: the witnesses */
} RbChange;

/* What a change must achieve. */
typedef enum {
  RB_GOAL_TIER,             /* the record is placed in `tier` or above it on its ladder */
  RB_GOAL_CONDITION         /* `tier`'s own condition holds (whatever the tiers below) */
} RbGoalKind;

typedef struct RbGoal {
  RbGoalKind kind;
  int track;                /* either way the record must stay on this track */
  int tier;
} RbGoal;

/* A name of a part with its value; text is owned. */
typedef struct RbTargetName {
  char *name;
  int field, slot;          /* what it names, -1 where it is not one (explain.h, RbPartName) */
  RbNameState state;
  ValueType type;
  char *const *members;     /* a choice's values' names (RbPartName) */
  int nmembers;
  Value value;
} RbTargetName;

/* One part of a condition still to hold. */
typedef struct RbTargetPart {
  char *text;               /* the part, as rubric fmt writes it */
  RbPartKind kind;
  int holds;                /* 1, 0, or -1: not known (an OTHER part of an `and`) */
  bool deduced;             /* holds was worked out (see rb_targets_record), not read from the part's values */
  bool record_only;         /* OTHER: it names only fields and params, all of them read, and calls no function */
  /* COMPARE, IN, SET, FLAG: the name the part tests, and its value. */
  RbTargetName subject;
  bool negated;             /* FLAG: `not NAME` (it needs no) */
  /* COMPARE: it needs `op needed`.  On a count or a date, > and < become
     >= and <= the next whole value.  When it fails on a number, an amount
     or a date, short_by is how far the value is from needed: a Dec, or
     days (0 for `> N` at N). */
  char op[3];
  Value needed;
  bool has_short;
  int64_t short_by;
  /* OTHER: the names in it, and, when it does not hold, the single-field
     changes that make its condition hold (RB_GOAL_CONDITION). */
  RbTargetName *names;
  int nnames;
  RbChange *holds_with;
  int nholds_with;
} RbTargetPart;

/* A tier's condition that must still come to hold, read part by part. */
typedef struct RbTargetCondition {
  int tier;
  RbJoin join;              /* how its parts are joined */
  RbTargetPart *parts;
  int nparts;
  /* Its score gap: how many points the score is short of what its `score
     > N` or `score >= N` parts need (the largest, when an `and` has
     several; the smallest, when an `or` has).  0 when those parts hold
     and something else fails; has_gap false when it has no such part.
     gap_strict: the part is `>`, so the score needs more than gap more. */
  bool has_gap, gap_strict;
  Dec gap;
} RbTargetCondition;

typedef struct RbTarget {
  int track;                /* -1: the record fits no track, and nothing below is filled */
  int tier;                 /* the tier it is placed in; -1 none */
  int next;                 /* the lowest tier above it; -1: it is at the top, or there is no ladder */
  Dec score;
  /* The conditions that must come to hold for the record to reach next,
     lowest tier first: next's own, and, when a floor (`tiers floor`)
     placed the record above the tier its conditions gave, those of the
     tiers between that fail, which the ladder must reach first.  Without
     a floor there is one: every tier below next already holds. */
  RbTargetCondition *conds;
  int nconds;
  /* The record's score gap: the largest of its conditions' (all must
     hold); has_gap when any has one. */
  bool has_gap, gap_strict;
  Dec gap;
  RbChange *changes;        /* fields in declaration order, up before down */
  int nchanges;
} RbTarget;

/* Fills t for row (which vm may have evaluated or not) with vm's params:
   VM_OK, or the status of the record's own evaluation, when it cannot be
   scored (t is then empty).  A part whose verdict its values do not give
   (RB_PART_OTHER) is worked out where that is sound: every part of a
   failed `or` fails; a failed `and` whose other parts all hold fails in
   this one; and a part that depends on the record's fields alone
   (record_only) holds when a change of a field it does not name made the
   condition hold, since that change left the part as it was.  vm is left holding some evaluation of a
   changed record; the caller's row is not changed.  Free t with
   rb_target_free. */
VmStatus rb_targets_record(const Program *p, VmCtx *vm, const Row *row, RbTarget *t);
/* rb_targets_record in its two steps, for a caller that wants the
   searches only for some records: read evaluates the record once and
   fills everything but the changes (the score gap is final then); find
   runs the searches and works out what they show. */
VmStatus rb_targets_read(const Program *p, VmCtx *vm, const Row *row, RbTarget *t);
void rb_targets_find(const Program *p, VmCtx *vm, const Row *row, RbTarget *t);
void rb_target_free(RbTarget *t);

/* The smallest change of field alone, in direction +1 or -1 (0 for a
   flag), that makes row reach goal; false when no value of the field's
   domain in that direction does (or the field is unset, a key, text or a
   choice).  Row as it is must not reach the goal. */
bool rb_targets_search(const Program *p, VmCtx *vm, const Row *row, int field, int direction,
                       const RbGoal *goal, RbChange *out);

/* Whether field can be searched: set, not a key, a number, amount, count,
   percent, date or flag. */
bool rb_targets_searchable(const Program *p, const Row *row, int field);

/* A part still to hold, in words, without indent or line end: "fails:
   certifications >= 5: has 3, needs 5 or more, short by 2", with "; the
   condition holds with FIELD VALUE (CHANGE)" for an OTHER part. */
void rb_targets_part_text(const Program *p, const RbTargetPart *tp, FILE *out);
/* A change in words, its field's name padded to width: "certifications  +2
   (4 -> 6)"; "x  not monotone: 7 reaches, 12 does not". */
void rb_targets_change_text(const Program *p, const RbChange *c, int width, FILE *out);

#endif

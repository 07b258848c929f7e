/*
** levers.h — what setting params changes in what a program can reach
** (lv_).  A vendor asks "with premium_min = 550, can anyone reach
** Premium?": the interval analysis (interval.c) answers it for the
** declared values and for the set ones, and this says where the two
** differ.  `rubric check --summary --set` prints it, and `rubric compare`
** does for one program's source under its two schemes' values.
*/
#ifndef RUBRIC_LEVERS_H
#define RUBRIC_LEVERS_H

#include <stdio.h>

#include "check.h"

typedef enum { LV_POINTS, LV_CATEGORY, LV_SCORE, LV_MAX_SCORE, LV_PAYOUT, LV_TIER } LvKind;

/* One difference between the two sets of values. */
typedef struct LvChange {
  uint8_t kind;          /* LvKind */
  const char *name;      /* "sales.certs", "sales", a payout, a tier as
                            written; NULL for LV_SCORE / LV_MAX_SCORE */
  const char *track;     /* LV_SCORE, LV_TIER: the track, NULL without tracks */
  Iv before, after;      /* what it can reach (LV_TIER: 0..0 none, 1..1 some) */
} LvChange;

typedef struct LvChanges { LvChange *v; int n, cap; } LvChanges;

/* Compares what the checked program ck can reach with its params at
   `base` and at `next` (each laid out as Program.param_values, which is
   Checker.pvalues' layout; NULL: the declared values): every points,
   category, track score and payout whose reachable range differs, the
   maximum score, and every tier that becomes reachable or unreachable
   (on each track whose ladder has it).  Appends to *out in that order;
   returns how many it found.  ck must have passed chk_program; the
   symbols' own intervals are left as they were.  Free with lv_free. */
int lv_compare(Checker *ck, const int64_t *base, const int64_t *next, LvChanges *out);
/* One line per change, each after `indent`: "tier premium becomes
   reachable", "points sales.certs: 0 .. 50 -> 0 .. 60", "maximum score:
   450 -> 460". */
void lv_print(const LvChanges *c, const char *indent, FILE *out);
/* The params whose values differ between base and next, as next has
   them: "premium_min = 550 (was 600), bench.east = $250000 (was
   $200000)"; "(nothing set)" when none does.  Returns how many differ. */
int lv_print_settings(const Checker *ck, const int64_t *base, const int64_t *next, FILE *out);
void lv_free(LvChanges *c);

#endif

/*
** summary.h — what a run counted, in the forms machines read: the names
** of its tier counts, the counts of a Tally as JSON members, and the whole
** summary of an eval run as one JSON object (eval --stats, eval --summary
** json).  rubric sweep writes each scenario's counts with the same names.
**
** Numbers are JSON numbers written as exact decimal text (dec_format), as
** in eval's JSON Lines: a reader that needs every digit of a large payout
** total parses them as decimals, not doubles.  A total too large to add up
** is null.  Writes only to the stream it is given.
*/
#ifndef RUBRIC_SUMMARY_H
#define RUBRIC_SUMMARY_H

#include <stdbool.h>
#include <stdio.h>

#include "program.h"
#include "stream.h"

/* The name under which the records of track `track` in tier `tier`
   (p->ntiers: scored, but no tier) are counted: "premium",
   "reseller/premier", "no tier", "reseller/no tier" (the track is left out
   of a program without tracks), as eval's closing summary names them. */
void summary_tier_name(const Program *p, int track, int tier, char *buf, size_t n);

/* Whether any of the n tallies placed a scored record in no tier: only
   then do tables and summaries give "no tier" counts. */
bool summary_any_no_tier(const Program *p, const Tally *t, long n);

/* Writes the members "records" ({"read", "scored", "unassigned",
   "rejected"}), "tiers" (every tier of every track, in ladder order, with
   its count, 0 included, and the no-tier counts when no_tier) and
   "payouts" (each payout's total), separated by ",\n" and each line
   started by indent, without the braces around them. */
void summary_json_counts(FILE *out, const Program *p, const Tally *t, bool no_tier, const char *indent);

/* Writes an eval run's summary as one JSON object, with a line end: the
   program, the records files, the counts (summary_json_counts), what
   became of the activities when the run read some ("activities"), and the
   notes t kept: "rejected", each record rejected with its file, line,
   key, field, reason and code, and "warnings", each record on no track. */
void summary_json(FILE *out, const Program *p, const char *program, const char *const *paths, int npaths,
                  const Tally *t);

/* Writes a money or number value as a JSON number; a flag as true or
   false; anything else as a string. */
void summary_json_value(FILE *out, const Program *p, ValueType type, int64_t v);

#endif

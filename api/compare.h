/*
** compare.h — two schemes, the same partners (cmp_): what changes for
** each partner when a program, or its params, change.
**
** cmp_score scores files of records with one program (and one set of
** param values) into an outcome table keyed by record key; cmp_compare
** matches two tables record by record and works out what moved: the
** records each scheme read, scored and rejected, tier counts and the
** migration matrix per track, the movers, payout totals, benefit
** recipients, outputs and score quartiles.  `rubric compare` and `rubric diff
** --records` print the result (cli/cmd_compare.c).
**
** A table keeps, per record, only what a comparison needs: the key text,
** the state, track and tier, the score, the category totals and payouts,
** the badges as bits, and each output as a number that compares across
** programs (cmp_output); a rejected record keeps its reason.  Records are
** read on the calling thread with the runtime's reader, validator and VM
** (runtime/stream.h), and rejected exactly as `eval` rejects them, a
** repeated key included.  Nothing here prints but the messages about a
** records file that cannot be read, on the stream given; it never exits.
*/
#ifndef RUBRIC_COMPARE_H
#define RUBRIC_COMPARE_H

#include <stdbool.h>
#include <stdio.h>

#include "program.h"

typedef enum { CMP_SCORED, CMP_UNASSIGNED, CMP_REJECTED } CmpState;

/* One record as one scheme saw it. */
typedef struct CmpRec {
  const char *key;         /* the key cells as written, '/'-joined, empty ones left out;
                              "" when the record has none */
  char *why;               /* CMP_REJECTED: the reason, as eval gives it; else NULL */
  long line;               /* the line it starts on */
  int file;                /* which of the files: an index into CmpTable.paths */
  uint8_t state;           /* CmpState */
  bool primary;            /* the first record with its key: matched by key */
  int track, tier;         /* in the program; -1: none */
} CmpRec;

typedef struct CmpTable {
  const Program *p;
  const char *const *paths;   /* the caller's, kept alive while the table is */
  int npaths;
  CmpRec *recs;
  long n, cap;
  /* Per record, CmpTable.stride numbers: the score, each category total,
     each payout (0 where the record did not compute one), each benefit's
     value as it compares (a benefit's value may be a param's: the
     scheme's, for the record's tier and key member). */
  Dec *vals;
  int stride;
  uint64_t *badges;        /* per record, nbw words: bit b set when badge b was earned */
  int nbw;
  /* Outputs, one column per name (a track's outputs of one name share
     it): per record nout values (cmp_output) and nobw words of bits, bit
     c set when the record computed output c. */
  int nout, nobw;
  const char **out_name;   /* per column: the name */
  uint8_t *out_type;       /* per column: its ValueType */
  int *out_col;            /* per output slot (from p->first_output): its column */
  int64_t *outs;
  uint64_t *out_set;
  long read, scored, unassigned, rejected;
  long *index;             /* key text -> record + 1 (0: empty); index_cap a power of two */
  size_t index_cap, index_n;
  struct CmpChunk *chunks; /* where key texts live */
} CmpTable;

/* Scores every record of the files (paths: "-" is standard input) with p
   and the param values params (p->nparam_values of them) into t.  False,
   having said why on err (messages start with prog_name), when a file
   cannot be read, its header does not fit p's schema, or reading stopped
   before its end; t must be freed all the same. */
struct ActSource;
/* cmp_score with each record's activities from acts (NULL: none). */
bool cmp_score_acts(CmpTable *t, const Program *p, const int64_t *params, const char *const *paths, int npaths,
                    const char *prog_name, FILE *err, struct ActSource *acts);
bool cmp_score(CmpTable *t, const Program *p, const int64_t *params, const char *const *paths,
               int npaths, const char *prog_name, FILE *err);
void cmp_table_free(CmpTable *t);

/* Record i's score (0 if it has none), its category c's total, payout k. */
Dec cmp_score_of(const CmpTable *t, long i);
Dec cmp_category(const CmpTable *t, long i, int c);
Dec cmp_payout(const CmpTable *t, long i, int k);
bool cmp_badge(const CmpTable *t, long i, int b);
/* Values that compare across two programs: a number, money, a flag or a
   date as it is; text, a choice's member and a tier by a 64-bit hash of
   their text or name (indexes differ between programs), with 0 for empty
   text and for no tier.  A record *holds* a value that is a yes, a number
   other than 0, text that is not empty, a tier, or any date or choice.
   The value benefit b gives record i; false when it gives none (the
   record is not scored). */
bool cmp_benefit(const CmpTable *t, long i, int b, int64_t *v, bool *holds);
/* Output column c of record i; false when the record did not compute it
   or left it unset (an optional output). */
bool cmp_output(const CmpTable *t, long i, int c, int64_t *v, bool *holds);
/* The record with this key text that was first to have it, or -1. */
long cmp_find(const CmpTable *t, const char *key);

/* Five numbers of a set of scores: the least, the quartiles and the
   greatest, each one of the scores, by the nearest-rank method.  With the
   n scores sorted, the p-th percentile is the score at rank ceil(p n /
   100), counting from 1: q1 at ceil(n / 4), the median at ceil(n / 2),
   q3 at ceil(3n / 4).  No interpolation, so every number shown is some
   partner's score, exactly.  n = 0 leaves the numbers 0. */
typedef struct CmpSpread { long n; Dec min, q1, median, q3, max; } CmpSpread;
/* Sorts scores and fills s from them. */
void cmp_spread(Dec *scores, long n, CmpSpread *s);

/* Sides of a comparison: BASE is what is, NEW the scheme proposed. */
enum { CMP_BASE, CMP_NEW };

/* One track (matched by name; NULL: a program without tracks), with the
   union of its two ladders: base's tiers in order, a tier only NEW has
   inserted after the tier below it on NEW's ladder.  A last row "no tier"
   (a NULL name) is there when some record on the track has no tier. */
typedef struct CmpTrack {
  const char *name;
  int index[2];            /* the track in each program; -1: not there */
  int ntiers;
  const char **tiers;
  long *count[2];          /* per tier row: the records each scheme placed there */
  long *matrix;            /* [from * ntiers + to]: records scored on this track by both */
  CmpSpread spread[2];     /* the scores each scheme gave the records it put on the track */
} CmpTrack;

/* The categories that moved a mover's score most, at most this many:
   enough to say why, few enough to read on one line. */
#define CMP_TOP_CATEGORIES 3

typedef struct CmpCatMove { const char *name; DecSum change; } CmpCatMove;

/* A record whose tier, track or badges differ (scored or unassigned by
   both schemes). */
typedef struct CmpMover {
  long rec[2];             /* in each table */
  const char *key;         /* base's cmp_key */
  int steps;               /* NEW's level minus BASE's: a level is the tier's place on
                              its track's merged ladder (CmpTrack), 1 the lowest; 0 for
                              no tier or no track */
  DecSum change;           /* NEW's score minus BASE's (a side with no score counts 0) */
  int ncats;
  CmpCatMove cats[CMP_TOP_CATEGORIES];   /* largest |change| first, none of 0 */
} CmpMover;

typedef struct CmpPayout {
  const char *name;
  int index[2];            /* the payout (0..npayouts-1) in each program; -1: not there */
  DecSum total[2];         /* over the records each scheme scored */
} CmpPayout;

/* A benefit, or an output, and who holds it (cmp_benefit). */
typedef struct CmpBenefit {
  const char *name;
  int index[2];            /* the benefit, or output column, in each program; -1: not there */
  long recipients[2];      /* records that hold it under each scheme */
  long gained, lost;       /* of the records neither scheme rejects: held only under NEW,
                              only under BASE */
  long changed;            /* otherwise another value (rebate 3 -> 5; set -> unset) */
} CmpBenefit;

typedef struct CmpResult {
  const CmpTable *side[2];
  long changed;            /* records whose outcome differs in any way (see cmp_compare) */
  long both_rejected;
  /* Records rejected by one scheme only, or found by one only: rec[side]
     is -1 where a scheme has no such record.  In the files' order. */
  struct CmpDiffer { long rec[2]; } *differ;
  long ndiffer;
  CmpTrack *tracks;
  int ntracks;
  bool has_tracks;         /* a program declares tracks: the track matrix says something */
  const char **track_names;   /* the union of the tracks, then NULL (no track) */
  int ntrack_names;
  long *track_matrix;      /* [from * ntrack_names + to], records neither scheme rejected */
  CmpMover *movers;        /* by |steps|, then |change|, largest first, then key */
  long nmovers;
  CmpPayout *payouts;
  int npayouts;
  CmpBenefit *benefits;    /* only those whose recipients or values change */
  int nbenefits;
  CmpBenefit *outputs;     /* likewise */
  int noutputs;
} CmpResult;

/* Compares two tables of the same records.  Records are matched by key
   text; one that has no key of its own (none, a malformed record, a key
   repeated or not found on the other side) by its place, file and line,
   since both schemes read the same files.  A record's outcome has changed
   when one scheme rejects it and the other does not, or when its track,
   tier, badges, score, a category total (matched by name; a category a
   program lacks counts 0), a payout (likewise), a benefit or an output
   differs.
   Records both reject have not changed.  The result points into both
   tables: free it before them. */
void cmp_compare(const CmpTable *base, const CmpTable *after, CmpResult *r);
void cmp_result_free(CmpResult *r);

/* The key a report shows for record i: its key text, or "(no key)". */
const char *cmp_key(const CmpTable *t, long i);
/* Names of record i's track and tier in its program; NULL for none. */
const char *cmp_track_name(const CmpTable *t, long i);
const char *cmp_tier_name(const CmpTable *t, long i);

#endif

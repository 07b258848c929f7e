/*
** program.h — a compiled program: the contract between the front end
** (lang/) and the VM.  It holds no pointer into the syntax tree or the
** source text, so it can outlive both, be shared read-only by any number of
** VM contexts, and later be written to a file and loaded back.
*/
#ifndef RUBRIC_PROGRAM_H
#define RUBRIC_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decimal.h"

typedef enum {
#define OPCODE(name, words, effect, meaning) OP_##name,
#include "opcodes.h"
#undef OPCODE
  OP__COUNT
} OpCode;

#define INSN_OP(w) ((OpCode)((w) & 0xFF))
#define INSN_A(w)  ((int32_t)((w) >> 8))
#define INSN(op, a) ((uint32_t)(op) | ((uint32_t)(a) << 8))
#define INSN_A_MAX 0xFFFFFF
/* TIERIN's operand A: the lowest tier index of the range, and whether no
   tier (none) is in it too. */
#define TIERIN_LO   0x7FFFFF
#define TIERIN_NONE 0x800000
/* The most words a code variant may hold: a jump names its target in
   operand A, so every word must be addressable by 24 bits.  The compiler
   refuses to go past it (R0109) and the verifier rejects a file that does. */
#define PROGRAM_MAX_CODE (INSN_A_MAX + 1)

/* A runtime value.  Text is (s, n = length); everything else is n alone:
   a Dec for numbers and money, days for dates, 0/1 for flags, the member
   index for choices.  Types are static, so the value carries no tag. */
typedef struct Value { int64_t n; const char *s; } Value;

/* The value of an optional let or output that has none (`unset`): s is
   this mark, which no text and no other value uses. */
extern const char value_unset_mark[];
static inline Value value_unset(void) { return (Value){0, value_unset_mark}; }
static inline bool value_is_unset(Value v) { return v.s == value_unset_mark; }

/* The scalar types a value can have, as the checker knows them. */
typedef enum {
  VT_NUMBER, VT_MONEY, VT_FLAG, VT_DATE, VT_TEXT, VT_CHOICE,
  VT_TIER                   /* a tier's index, -1 for none: lets and outputs only */
} ValueType;

/* Field types as the record schema declares them. */
typedef enum {
  FIELD_TEXT, FIELD_NUMBER, FIELD_MONEY, FIELD_COUNT, FIELD_PERCENT,
  FIELD_FLAG, FIELD_DATE, FIELD_CHOICE, FIELD_INT
} FieldKind;

/* A field's range end that names other fields (`in answers..5 * answers`):
   a short postfix program over the record's values, without jumps or
   calls, that validation runs once every cell is read (records.c,
   rec_check_bounds).  Its arithmetic is the VM's. */
typedef enum {
  BX_CONST,        /* push arg (a Dec, or days for a date) */
  BX_FIELD,        /* push the value of field arg, a required field */
  BX_ADD, BX_SUB, BX_MUL, BX_DIV,   /* a op b, rounded as the VM rounds */
  BX_NEG,          /* -a */
  BX_ADDDAYS,      /* date a + b days (b whole) */
  BX_ADDMONTHS,    /* date a + b calendar months (b whole) */
  BX_DATEDIFF      /* days from date b to date a, as a number */
} BoundOpKind;

typedef struct BoundOp { uint8_t op; int64_t arg; } BoundOp;

typedef struct BoundExpr {
  BoundOp *ops;
  int nops;                 /* 0: this end is not an expression */
  char *text;               /* as the program says it, canonical: "5 * answers" */
} BoundExpr;

/* The deepest stack a range end may need.  Such an end is a few fields and
   literals; the compiler refuses a deeper one (R0108), the verifier a file
   that holds one, so validation needs no allocation. */
#define BOUND_MAX_STACK 32

typedef struct FieldInfo {
  char *name;
  uint8_t kind;             /* FieldKind */
  bool key, optional;
  bool has_lo, has_hi;      /* declared `in LO..HI` (plus count >= 0, percent 0..100) */
  int64_t lo, hi;
  uint8_t places;           /* decimal places a value may have: `places N`,
                               else DEC_DIGITS (any); count and int are whole */
  BoundExpr lo_expr, hi_expr;   /* range ends that name other fields */
  char **members;           /* FIELD_CHOICE */
  int nmembers;
} FieldInfo;

/* Most fields an activity may have: which of them are set is one 64-bit
   word per stored activity (runtime/activity.c). */
#define ACT_MAX_FIELDS 64
/* The longest relative period, in months (a century): `period N months
   to as_of`. */
#define PERIOD_MAX_MONTHS 1200

typedef struct ParamInfo {
  char *name;
  uint8_t type;             /* ValueType */
  int keyfield;             /* -1, or the choice field it is keyed by */
  int base;                 /* first value in Program.param_values */
  int count;                /* 1, or the key field's member count */
} ParamInfo;

typedef enum {
  SLOT_POINTS, SLOT_CATEGORY, SLOT_SCORE, SLOT_LET, SLOT_BADGE, SLOT_PAYOUT, SLOT_OUTPUT
} SlotKind;

/* What a value can be, as the checker's interval analysis found: a side
   that is not `has_` is unbounded. */
typedef struct Reach { bool has_lo, has_hi; int64_t lo, hi; } Reach;

/* A value computed at most once per record: a let, a parameter's points,
   a category total, the score. */
typedef struct SlotInfo {
  uint8_t kind;             /* SlotKind */
  uint8_t type;             /* ValueType */
  char *name;               /* let name, "category.points", category, "score" */
  char *title;              /* NULL if none */
  int category;             /* SLOT_POINTS: its category's slot */
  int track;                /* SLOT_CATEGORY, SLOT_BADGE, SLOT_OUTPUT: the track
                               declaring it, or -1 */
  char **members;           /* a VT_CHOICE output: its choice's members, by index */
  int nmembers;
  bool has_lo, has_hi;      /* the cap */
  Dec lo, hi;               /* a literal end; a param's declared value */
  int lo_param, hi_param;   /* an end that is a param (ParamInfo index), or -1:
                               its value is the run's (vm_bound) */
  int site;                 /* SLOT_POINTS/CATEGORY: trace site of the raw value */
  Reach reach;              /* points, categories: what they can be, capped */
  Reach raw;                /* ... and before the cap: a side of the cap binds
                               only if raw goes beyond it */
  int file, line, col;
} SlotInfo;

typedef struct TierInfo {
  char *name, *title;       /* name as written (tracks may share it) */
  int track;                /* the track whose ladder it is in, or -1 */
  int file, line, col;
} TierInfo;

/* A partner track.  A program without tracks has one implicit track that
   uses every category and the program's ladder. */
typedef struct TrackInfo {
  char *name, *title;       /* NULL for the implicit track */
  bool has_lo, has_hi;      /* the cap on the track's score */
  Dec lo, hi;               /* as in SlotInfo */
  int lo_param, hi_param;
  int *cats, ncats;         /* category slots it uses */
  int *tiers, ntiers;       /* its ladder, lowest first (tier indexes) */
  int *badges, nbadges;     /* badge slots: the program's and its own */
  Reach reach;              /* the track's score: what it can be */
  int file, line, col;
} TrackInfo;

/* What each tier gets; values[ntiers] is what a record with no tier gets.
   A tier whose value is a param has params[tier] >= 0 (a ParamInfo
   index): the run's value counts (vm_benefit), values[tier] holds the
   declared one. */
typedef struct BenefitInfo {
  char *name, *title;
  uint8_t type;             /* ValueType */
  Value *values;
  int *params;              /* per tier as values; -1 for a literal */
} BenefitInfo;

/* SITE_QUOT: floor, ceil or round of a division, which rounds the exact
   quotient once; two sites, traced after the dividend and the divisor. */
typedef enum {
  SITE_IF, SITE_ROW, SITE_ELSE, SITE_RAW, SITE_TIER, SITE_TRACK, SITE_FLOOR,
  SITE_PATH,                /* a candidate track's score, when the best is chosen */
  SITE_QUOT
} SiteKind;

/* An order two ends must keep when at least one is a param: a range's low
   end not above its high end (a cap, a category's or track's range, `in
   LO..HI`), a band's consecutive bounds rising.  The compiler checks the
   declared values; a run that sets params (--set, a test's `with`) is
   checked with program_rule_holds before anything is scored. */
typedef struct ParamRule {
  bool strict;              /* lo < hi; else lo <= hi (a range; `..<25, ..25`) */
  bool band;                /* two rows of a band, else a range's ends */
  int lo_param, hi_param;   /* ParamInfo index, or -1: the literal lo / hi */
  int64_t lo, hi;
  uint8_t type;             /* ValueType of both ends, to print them */
  char *what;               /* "the cap of points sales.certs", "the band" */
  int file, line, col;      /* the range's "..", the later row's bound */
} ParamRule;

/* A point in the program whose outcome explain reports. */
typedef struct SiteInfo {
  uint8_t kind;             /* SiteKind */
  int slot;                 /* the slot whose code holds it (-1: main) */
  int index;                /* SITE_TIER: the tier; SITE_TRACK, SITE_FLOOR: the track;
                               SITE_QUOT: -1 for the dividend, the
                               dividend's site for the divisor */
  uint8_t money;            /* SITE_QUOT: bit 0, the dividend is money;
                               bit 1, the divisor is */
  int file, line, col;
  char *text;               /* the source text it stands for */
  /* A branch of a fn: the call, in a declaration's own code, that inlined
     it (the outermost, when fns call fns); call.file is -1 elsewhere. */
  struct { int32_t file, line, col; } call;
} SiteInfo;

typedef struct Pos { int32_t file, line, col; } Pos;

/* One variant of the code: plain (what eval runs) or traced (explain). */
typedef struct Code {
  uint32_t *words;
  Pos *pos;                 /* per word: where its source is */
  int n;
  int *entry;               /* per slot: first word of its subroutine */
  int stack;                /* enough stack for any evaluation */
} Code;

typedef enum { EXP_TIER, EXP_SLOT, EXP_TRACK, EXP_BENEFIT } ExpectKind;

typedef struct TestExpect {
  uint8_t kind;             /* ExpectKind */
  int slot;                 /* EXP_SLOT: the slot; EXP_BENEFIT: the benefit */
  Value value;              /* Dec, flag, text, or the tier/track index (-1: none) */
  int line, col;
  char *what;               /* as written: "revenue.growth", "tier" */
} TestExpect;

typedef struct TestOverride { int index; int64_t value; } TestOverride;

/* Which aggregate of a partner's activities (docs/language.md,
   "Aggregates"). */
typedef enum { AGG_COUNT, AGG_SUM, AGG_MIN, AGG_MAX, AGG_DISTINCT } AggKind;

/* How explain says why a condition left an activity out. */
typedef enum {
  ACF_OTHER,                /* "`C` does not hold" */
  ACF_EQ,                   /* FIELD = VALUE: "kind is deal, not deployment" */
  ACF_PERIOD,               /* FIELD in period: "outside period 2025-02-01..2026-01-31" */
  ACF_WINDOW                /* FIELD in WINDOW: "outside last_quarter" */
} AggCondForm;

/* One aggregate as written in the program: what it computes and, for
   explain, the conditions its `where` joins with `and`, in order (the
   traced code notes each one's outcome per activity: ACOND). */
typedef struct AggInfo {
  uint8_t kind;             /* AggKind */
  uint8_t type;             /* ValueType of its field (count: VT_NUMBER) */
  int field;                /* the activity field after `of`, or -1 */
  char *text;               /* "count(activity where kind = deployment)" */
  char **conds;             /* "kind = deployment", "on in period" */
  uint8_t *cform;           /* per condition: AggCondForm, for explain's reasons */
  int *cfield;              /* ... and the activity field it reads (-1: none) */
  int nconds;
  int file, line, col;
} AggInfo;

/* A partner's activities, as the VM reads them: n of them, each
   Program.nafields values and set flags, and the line each came from
   (0 for a test's). */
typedef struct ActList {
  int n;
  const Value *vals;        /* [i * nafields + f] */
  const uint8_t *set;       /* [i * nafields + f] */
  const long *lines;
} ActList;

typedef struct TestInfo {
  char *name;
  int file, line;
  Value *given;             /* one per field */
  uint8_t *given_set;
  uint8_t *given_here;      /* per field: named in the test's given block */
  TestOverride *overrides;
  int noverrides;
  TestExpect *expects;
  int nexpects;
  int nacts;                /* `activities { ... }`: nacts activities, */
  Value *acts;              /* nafields values each, as ActList.vals, */
  uint8_t *acts_set;        /* ... and set flags */
  int expect_rejected;      /* -1, or the field whose rejection is expected */
  int rejected;             /* -1, or the field the given record fails on */
  char *rejected_why;       /* why it fails (NULL when it does not) */
} TestInfo;

/* Which track a record goes to among those whose condition holds: the
   first, or the one where it scores highest (`tracks best score, ties
   first|last`). */
typedef enum { CHOOSE_FIRST, CHOOSE_BEST_TIES_FIRST, CHOOSE_BEST_TIES_LAST } TrackChoice;

typedef struct Program {
  char *title, *version, *currency;
  bool has_period;
  int64_t period_from, period_to;
  char **files;             /* source file names, for positions */
  int nfiles;

  FieldInfo *fields;
  int nfields, key;         /* key: index of the (first) key field */
  int *keys, nkeys;         /* every key field, in order */
  int *bounded, nbounded;   /* the fields with a range end that names fields,
                               each after those it names: the order they
                               are checked in */
  ParamInfo *params;
  int nparams;
  int64_t *param_values;    /* defaults; a run copies and overrides them */
  int nparam_values;
  ParamRule *rules;         /* orders the param values must keep */
  int nrules;
  SlotInfo *slots;
  int nslots;
  int npoints, ncategories; /* points slots come first, then categories, */
  int score_slot;           /* then the score, then lets, badges, payouts, outputs */
  int first_badge, nbadges;
  int first_payout, npayouts;
  int first_output, noutputs;  /* then the outputs, in declaration order;
                               a track's outputs of one name share a column */
  TierInfo *tiers;
  int ntiers;
  TrackInfo *tracks;
  int ntracks;
  bool implicit_track;      /* no `track` declared: one track, no track column */
  uint8_t track_choice;     /* TrackChoice: the first track that holds, or the best */
  BenefitInfo *benefits;
  int nbenefits;
  SiteInfo *sites;
  int nsites;
  Value *consts;            /* text constants point into `strings` */
  int nconsts;
  int nlocals;
  Code code[2];             /* [0] plain, [1] traced */
  TestInfo *tests;
  int ntests;
  /* Activities (issue 14; docs/internals.md, "Activities"): the fields of
     one, its key field (the partner's key, as text) and its date (the
     first required date field, -1 for none), and the aggregates. */
  FieldInfo *afields;
  int nafields, akey, adate;
  AggInfo *aggs;
  int naggs;
  int period_months;        /* > 0: `period N months to as_of` (period_from
                               and period_to are then unused) */
  bool uses_as_of;          /* the code reads as_of, the period or a window */
  bool has_effective;       /* `effective DATE`: the version governs from it */
  int64_t effective;
  bool activity_schema;     /* a view of the activity block as a schema
                               (act_shadow), so the reader's messages name it */
} Program;

void program_free(Program *p);
/* Frees a table of fields (Program.fields, Program.afields) and what they own. */
void program_free_fields(FieldInfo *fields, int n);
const char *program_type_name(ValueType t);

/* ---- params ---- */

/* The param a --set name means ("rate", or "benchmark.developed" for a
   keyed one): its index into p->params, and the index of the value into
   param_values.  -1 when there is none, with *why saying what is wrong
   (no such param, a keyed param without its key, no such key). */
int program_param_find(const Program *p, const char *name, int *value_index, const char **why);
/* A param's value from text, as --set and a scenario file write it
   (money with or without $, flags yes/no, dates YYYY-MM-DD).  False with
   *why (the type it needs and what is wrong) when it does not fit. */
bool program_param_parse(ValueType type, const char *text, int64_t *v, const char **why);
/* Whether values keep rule r.  When not, the value indexes of the ends
   that break it (-1 for a literal end) in *vlo and *vhi: for a keyed
   param, the member's value. */
bool program_rule_holds(const ParamRule *r, const ParamInfo *params, const int64_t *values, int *vlo,
                        int *vhi);
/* The first rule of p that values break, or -1; the ends as above. */
int program_rules_broken(const Program *p, const int64_t *values, int *vlo, int *vhi);
/* "cert_cap = 60", "cap.west = $40", or the literal "0": one end of a
   rule (value index vi, -1 for the literal lit) as a message says it. */
void program_rule_end_text(const Program *p, const int64_t *values, int vi, int64_t lit, ValueType t,
                           char *buf, size_t n);
/* A rule that values break, in words: "the cap of points s.c (a.rubric:13:27)
   would be empty: its low end 0 is above its high end cert_cap = -5". */
void program_rule_text(const Program *p, int rule, const int64_t *values, int vlo, int vhi, char *buf,
                       size_t n);

#endif

/*
** check.h — name resolution and type checking.  The checker annotates the
** syntax tree (every expression node gets its type, every name its symbol)
** and gathers the program's symbols in declaration order for the code
** generator.  It reports every independent error it finds, never stops at
** the first, and never prints.
*/
#ifndef RUBRIC_CHECK_H
#define RUBRIC_CHECK_H

#include "ast.h"
#include "../runtime/program.h"

typedef enum {
  SYM_FIELD, SYM_PARAM, SYM_LET, SYM_FN, SYM_CATEGORY, SYM_POINTS, SYM_TIER,
  SYM_SCORE, SYM_TRACK, SYM_BADGE, SYM_BENEFIT, SYM_PAYOUT, SYM_OUTPUT,
  SYM_AFIELD,            /* a field of the activity record */
  SYM_WINDOW             /* window NAME = ... to ... */
} SymKind;

/* What a value depends on, which decides where it may be used: a track's
   condition may use only the record; points and tier conditions may use
   scores; badges and payouts may use the tier (and so benefits). */
typedef enum { LEVEL_RECORD, LEVEL_SCORE, LEVEL_TIER } Level;

/* Namespaces: a category may share its name with a field (Zoho's revenue). */
typedef enum { NS_VALUE, NS_FN, NS_CATEGORY, NS_POINTS, NS_TIER, NS_TRACK, NS_ACTIVITY, NS_WINDOW } Namespace;

/* A closed interval of values (Dec, days, flag 0/1, member index); a side
   without a bound is unbounded.  places: how many decimal places a Dec
   value in it can have (0: whole numbers only, DEC_DIGITS: any), which
   says whether a product can round and which values lie between bounds.
   Filled by the interval analysis. */
typedef struct Iv { bool has_lo, has_hi; int64_t lo, hi; uint8_t places; } Iv;

struct Sym {
  uint8_t kind;          /* SymKind */
  uint8_t ns;            /* Namespace */
  uint8_t state;         /* 0 unchecked, 1 being checked, 2 done */
  uint8_t level;         /* Level: computed with the symbol's type */
  bool used;
  const char *name;      /* NUL-terminated; "category.points" for points,
                            "track.tier" for a track's own tiers */
  const char *shortname; /* tiers: the name as written */
  Decl *decl;
  Type ty;
  int index;             /* position among its kind (fields, params, tiers, ...) */
  int slot;              /* let, points, category, score: its VM slot; a
                            param: its first value in Checker.pvalues */
  struct Sym *category;  /* points: the category it belongs to; a keyed
                            param: its key field */
  struct Sym *track;     /* categories, tiers, badges declared in a track */
  struct Sym *hnext;
  /* Interval analysis (interval.c): what the value can be, given the field
     types and declared ranges. */
  Iv reach, raw;         /* raw: points and categories before their cap */
  uint8_t iv_state;      /* 1: reach known */
  int points0, npoints;   /* a category: its points, ck->points.v[points0..] */
  int *mtab;              /* a choice field or output: its members by name,
                             open addressing over index + 1 (chk_member) */
  size_t mtabcap;
  Node **mnode;           /* members by index */
  /* The order of checking (check.c, check_ordered): what a definition's
     expression names, found before checking, and the walk's marks. */
  struct Sym *via;       /* of level LEVEL_TIER: the name its definition uses
                            that depends on the tier (NULL: `tier` itself),
                            so R0211 can show the path */
  struct Sym **deps;
  int ndeps, next_dep;
  unsigned mark;
  bool deps_known, on_stack;
};

typedef struct SymVec { Sym **v; int n, cap; } SymVec;

/* An order that two levers must keep when one of them is a param: a
   range's low end not above its high end, a band's bounds rising row by
   row.  The checker holds the params' declared values to it (R0402,
   R0401); the compiler hands it on to the Program (ParamRule), so that a
   run's --set and a test's `with` are held to it too. */
typedef struct LeverRule {
  const Bound *lo, *hi;  /* lo below hi (strict), or not above it */
  bool strict;           /* a band's rows rise (`..<25` then `..25` may meet);
                            a range's ends may meet */
  bool band;             /* two rows of a band, else a range's ends */
  const char *what;      /* "the cap of points sales.certs", "the band" */
  Tok at;                /* the range's "..", or the later row's bound */
} LeverRule;

typedef struct Checker {
  Ast *ast;
  DiagList *dl;
  Sym **tab;             /* open hash, chained */
  size_t tabcap, nsyms;
  SymVec fields, params, lets, fns, categories, points, tiers;
  SymVec tracks, badges, benefits, payouts, outputs;
  SymVec choices;        /* what lists a choice's members: `one of` fields
                            and outputs; Type.en indexes it */
  SymVec keys;           /* the key fields, in order */
  SymVec bounded;        /* fields whose range names other fields, each
                            after the fields it names (check.c,
                            order_field_ranges): the order records and the
                            interval analysis check them in */
  Sym *score;
  Decl *record, *tierdecl, *program, *version, *currency, *period;
  Decl *choose;          /* tracks best score, ties ... (NULL: the first that holds) */
  Decl **tests;
  int ntests;
  /* Activities (docs/language.md, "Activities"): the block, its fields
     (Sym.index: their order), its key, its date (the first required date
     field, or NULL), the windows, `effective`, and every aggregate in the
     order the checker met them (AST_AGG's local: its index). */
  Decl *activity, *effective;
  SymVec afields, windows;
  Sym *akey, *adate;
  Node **aggs;
  int naggs, capaggs;
  Node *agg;             /* the aggregate whose condition is being checked */
  bool uses_as_of;       /* as_of, period.start/end or a window is read */
  Decl **groups;         /* the record's repeated groups (group.c), for diff */
  int ngroups;
  int nlocals;           /* fn arguments bound so far */
  long expanded;         /* nodes made by instantiating fns */
  uint8_t level;         /* the highest Level referred to by what is being checked */
  Sym *via;              /* ... and the first name that made it LEVEL_TIER */
  int depth;             /* check()'s recursion now (CHK_MAX_DEPTH) */
  unsigned mark;         /* check_ordered's walk number */
  SymVec order;          /* lets, points, categories, badges, payouts, each
                            after everything it uses: later walks visit them
                            in this order and so never recurse through names */
  /* The params' values, laid out as Program.param_values (a keyed param
     has one per member of its key field, from its Sym.slot on), with the
     table that says so; filled once every param is checked.  The
     compiler copies both; the interval analysis reads the values. */
  ParamInfo *pinfo;      /* per param, in ck->params order (names borrowed) */
  int64_t *pvalues;      /* the declared values */
  int npvalues;
  LeverRule *rules;      /* each once, however many fn calls check it */
  int nrules, caprules;
  const char **ruleseen; /* positions of the rules, open addressing */
  int capruleseen;
  bool too_deep;         /* CHK_MAX_DEPTH was passed and reported */
  bool cycle;            /* check_ordered found a cycle in what it checks now */
} Checker;

/* Nodes that fn instantiation may create before the program counts as too
   large: bounds the cost of fns that call fns that call fns ... */
#define CHK_MAX_EXPANSION 1000000L

/* How deep check() may recurse: each operator, call, if or band is one
   level, and a name adds one when checking it means checking the let,
   points or function it names first.  Lets, points and categories are
   checked in dependency order (check_ordered), so a chain of lets costs
   no depth at all; what counts is expressions nested in each other and
   functions calling functions, which the parser (AST_MAX_DEPTH) and
   this bound limit.  Every later walk (interval analysis, code
   generation) recurses at most as deep as check() did.  2,000 levels
   (a function chain of 1,000 calls) run in 0.6 MB of stack in the plain
   build and in 3 MB in the AddressSanitizer build, whose frames are far
   larger (docs/internals.md): under the default 8 MB either way, and
   twice the parser's 1,000 so that a deep expression may still call a
   function. */
#define CHK_MAX_DEPTH 2000

bool chk_program(Checker *ck, Ast *ast);
/* Repeated groups (group.c): rewrites the tree before the checker reads
   it, each group into its members' fields, each `per GROUP` declaration
   into one per member, each aggregate into the expression it stands for. */
void grp_expand(Checker *ck);
/* The choice of a group's members, as a Type (check.c). */
Type chk_group_choice(Checker *ck, Decl *group);
/* Interval analysis of a program the checker passed: fills each symbol's
   reach and adds warnings (R08xx).  Returns each track's reachable score
   (scores[t]; scores[0] for a program without tracks) via the Syms. */
void iv_analyze(Checker *ck);
/* What each result of a checked program can reach, for one set of param
   values (iv_reach). */
typedef struct IvReach {
  Iv *points;            /* per ck->points */
  Iv *categories;        /* per ck->categories */
  Iv *scores;            /* per track, ck->tracks order ([0]: no tracks) */
  Iv *payouts;           /* per ck->payouts */
  uint8_t *tiers;        /* [track * ck->tiers.n + tier]: 1 some record may
                            reach it, 0 none can, 2 not on that track's ladder */
  int ntracks;           /* scores' length: ck->tracks.n, at least 1 */
} IvReach;
/* Fills r with what every points, category, track score and payout can
   reach, and which tiers records may reach, with the params at values
   (laid out as Checker.pvalues and Program.param_values; NULL: the
   declared values).  Reports nothing, and leaves the symbols' own
   intervals (iv_analyze's, at the declared values) as they were.  Free
   with iv_reach_free. */
void iv_reach(Checker *ck, const int64_t *values, IvReach *r);
void iv_reach_free(IvReach *r);
/* The reachable score of track t (NULL: the program without tracks). */
Iv iv_track_score(Checker *ck, const Sym *track);
/* Where each track's condition can hold (interval.c), for R0602: built
   once, then asked pair by pair.  iv_tracks_overlap returns 0 when tracks
   a and b cannot both hold for one record, 1 when rubric cannot tell, 2
   when they can, with an example's field values in buf. */
typedef struct IvCond IvCond;
IvCond *iv_track_conds(Checker *ck);
void iv_track_conds_free(IvCond *c, int n);
int iv_tracks_overlap(Checker *ck, const IvCond *c, int a, int b, char *buf, size_t n);
/* R0602: tracks whose conditions can hold for one record (check.c); run
   by iv_analyze once every value's interval is known. */
void chk_track_overlaps(Checker *ck);
void chk_free(Checker *ck);
const char *chk_type_name(Checker *ck, Type t, char *buf, size_t n);
/* The runtime's name for a checked type (number, money, flag, date, text, choice). */
ValueType chk_value_type(Type t);
/* A literal yes or no (a name in the tree), which is a flag wherever a literal is expected. */
bool chk_yes_no(const Node *v);
Sym *chk_lookup(Checker *ck, Namespace ns, const char *name, size_t len);
/* A tier by its name as written, or "track.tier"; NULL and *ambiguous set
   when tracks share the name. */
Sym *chk_tier(Checker *ck, const char *name, size_t len, bool *ambiguous);
/* The index of the member of choice field f named name, or -1: a hash
   lookup, so a choice of 100,000 values costs no quadratic search. */
int chk_member(const Sym *f, const char *name, size_t len);
/* The categories and ladder of a track (NULL: the program without tracks). */
int chk_track_categories(Checker *ck, const Sym *track, Sym **out);
Decl *chk_track_tiers(Checker *ck, const Sym *track);
/* The tier of a ladder (a DECL_TIERS) that `name` names, or NULL: how a
   floor's values are matched to tiers. */
const Decl *chk_ladder_tier(const Decl *ladder, Tok name);

#endif

/*
** ast.h — the syntax tree the parser builds and the checker annotates.
**
** Every node lives in the Ast's arena and is freed with it in one go, so a
** parse that stops half way leaks nothing and the grammar needs no
** destructors.  Tokens point into the Source text; nothing is copied except
** text literals, which are unescaped into the arena.
*/
#ifndef RUBRIC_AST_H
#define RUBRIC_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "../runtime/decimal.h"
#include "diag.h"

typedef struct Tok {
  const char *p;        /* into src->text */
  int n;                /* bytes */
  int line, col;        /* 1-based; col counts bytes */
  const Source *src;
} Tok;

/* Static types.  Count and percent fields are numbers with a range. */
typedef enum {
  T_ERR, T_NUM, T_MONEY, T_FLAG, T_DATE, T_TEXT, T_ENUM, T_DAYS, T_MONTHS,
  T_TIER                /* a tier of a ladder, or none: ordered within its ladder */
} TypeKind;

typedef struct Type {
  uint8_t kind;         /* TypeKind */
  int32_t en;           /* T_ENUM: which choice (Checker.choices: the field
                           or output that lists its members) */
} Type;

typedef struct Sym Sym;

/* A bound of a range or band row: a literal number, amount or date; the
   name of a param (a lever: docs/language.md, "Params: every lever"),
   which the checker resolves (param) and gives the type of; or, for a
   field's range, an expression naming other fields (expr, with present
   false: it is known only per record). */
typedef struct Bound {
  bool present;
  bool named;           /* written as a name: param says which */
  uint8_t kind;         /* T_NUM, T_MONEY or T_DATE */
  int64_t v;            /* a literal's value: Dec for numbers and money,
                           days for dates (0 for a name) */
  Tok tok;
  struct Node *expr;    /* a field's range end that is not a literal */
  Sym *param;           /* named: the param, set by the checker */
  bool fn_arg;          /* named like an argument of the fn it is in, which
                           a bound cannot be: set by the checker's bind */
} Bound;

typedef struct Range { Bound lo, hi; Tok tok; bool present; } Range;

typedef enum {
  AST_NUM, AST_MONEY, AST_DATE, AST_STR, AST_BOOL,   /* literals */
  AST_NAME,        /* tok */
  AST_DOT,         /* tok.tok2: category.points, category.total */
  AST_NEG, AST_NOT,                       /* a */
  AST_ADD, AST_SUB, AST_MUL, AST_DIV,     /* a op b */
  AST_EQ, AST_NE, AST_LT, AST_LE, AST_GT, AST_GE,
  AST_AND, AST_OR,
  AST_IF,          /* if a then b else c */
  AST_BAND,        /* band a { rows in b (AST_ROW, linked by next) } else c */
  AST_ROW,         /* ..bound => a, ..<bound => a or bound.. => a (rowkind) */
  AST_IN,          /* a in (list b) */
  AST_INRANGE,     /* a in range */
  AST_CALL,        /* tok(args b); c: the checker's instance of a fn body */
  AST_ISSET,       /* a is set */
  AST_DEFAULT,     /* a default b */
  AST_DAYS, AST_MONTHS,                   /* a days / a months */
  AST_ENUMLIT,     /* a member of a choice; num: its index (made by the checker) */
  AST_TIERVAL,     /* `tier`: the record's tier, once its ladder is climbed */
  AST_UNSET,       /* `unset`: no value, for an optional let or output; num 1
                      where the checker allows it */
  AST_TIERLIT,     /* a tier named where a tier is compared (tok, or tok.tok2
                      for track.tier); num: its index, -1 for none (made by
                      the checker) */
  AST_OVER,        /* `GROUP where a` or `GROUP by a` as an aggregate's
                      argument (tok: the group; rowkind: OverKind); gone
                      once the groups are expanded (group.c) */
  AST_POINTSOF,    /* `points of CATEGORY` (tok: the category), mapped over
                      its points by an aggregate; gone once expanded */
  AST_AGG,         /* an aggregate over the partner's activities:
                      `count(activity where a)`, `sum(tok2 of activity
                      where a)`; tok: the function; tok2: the field after
                      `of` (n 0: none); a: the condition or NULL; rowkind:
                      AggKind; num: its index (made by the checker) */
  AST_RUNDATE,     /* a date of the run: num RUNDATE_AS_OF, _START, _END
                      (`as_of`, `period.start`, `period.end`) */
  AST_INWIN,       /* `a in WINDOW` or `a in period` (tok2: the window's
                      name, or the word period); b, c: the window's start
                      and end (set by the checker; NULL for the period) */
  AST_ACTROW,      /* a test's activity: its words and values in b */
  AST__COUNT
} NodeKind;

typedef struct Node {
  uint8_t kind;         /* NodeKind */
  Tok tok, tok2;        /* main token; tok2: member after the dot */
  const char *start;    /* first byte of the node's text: tok.p, or an
                           opening parenthesis around it */
  const char *end;      /* one past the last byte of the node's text */
  struct Node *a, *b, *c, *next;
  int64_t num;          /* literal: Dec, days, or flag 0/1 */
  char *str;            /* AST_STR: unescaped text */
  Bound bound;          /* AST_ROW */
  uint8_t rowkind;      /* AST_ROW: RowKind */
  Range range;          /* AST_INRANGE */
  int depth;            /* height of the subtree, bounded by AST_MAX_DEPTH */
  /* Filled by the checker. */
  Type ty;
  Sym *sym;
  int local;            /* AST_NAME bound to a fn argument: its local slot */
  int argslot;          /* an argument of a fn call: the local it is passed in */
  struct Node *quot;    /* a call of floor, ceil or round whose argument is a
                           division, directly or as the body of the fn it
                           calls: that division, whose exact quotient the
                           call rounds once (check.c, quotient_of) */
} Node;

typedef struct NodeList { Node *head, *tail; } NodeList;

/* How a band row's bound reads.  One band's rows all go one way: rows
   with an upper end (..25, ..<25), rising, the first that holds wins; or
   rows with a lower end (250..), rising, the last that holds wins, as a
   program guide's "250 and above earns 2" table reads. */
typedef enum {
  ROW_UPTO,        /* ..25   values up to and including 25 */
  ROW_BELOW,       /* ..<25  values below 25 */
  ROW_FROM         /* 250..  values from 250 up */
} RowKind;

/* Which aggregate of activities (AST_AGG's rowkind). */
typedef enum { AGGK_COUNT, AGGK_SUM, AGGK_MIN, AGGK_MAX, AGGK_DISTINCT } AggKindAst;

/* AST_RUNDATE's num. */
enum { RUNDATE_AS_OF, RUNDATE_START, RUNDATE_END };

/* How an aggregate's `GROUP ... EXPR` argument reads. */
typedef enum { OVER_WHERE, OVER_BY } OverKind;

typedef enum {
  DECL_PROGRAM, DECL_VERSION, DECL_CURRENCY, DECL_PERIOD,
  DECL_RECORD, DECL_FIELD,
  DECL_PARAM, DECL_PARAM_BY, DECL_ENTRY,
  DECL_LET, DECL_CATEGORY, DECL_POINTS, DECL_TIERS, DECL_TIER,
  DECL_FN, DECL_IMPORT, DECL_TEST, DECL_ASSIGN,
  DECL_TRACK, DECL_USES, DECL_BADGE, DECL_BENEFIT, DECL_PAYOUT, DECL_OUTPUT,
  DECL_CHOOSE,           /* tracks best score, ties first|last (ftype: TieRule) */
  DECL_GROUP,            /* in a record: group NAME (members) [columns "PATTERN"]
                            { fields }: members, kids; title the pattern */
  DECL_ACTIVITY,         /* activity { fields }: what one activity of a
                            partner holds (kids) */
  DECL_WINDOW,           /* window NAME = expr to expr2 */
  DECL_EFFECTIVE         /* effective DATE (name: the date) */
} DeclKind;

/* `tracks best score, ties first|last`: which candidate a tie goes to. */
typedef enum { TIES_FIRST, TIES_LAST } TieRule;

typedef enum {
  FT_TEXT, FT_NUMBER, FT_MONEY, FT_COUNT, FT_PERCENT, FT_FLAG, FT_DATE, FT_INT, FT_ENUM
} FieldType;

typedef struct Decl {
  uint8_t kind;          /* DeclKind */
  Tok tok;               /* the keyword, for positions */
  Tok name, name2;       /* name; name2: the part after a dot, or `by` field */
  bool dotted;
  char *title;           /* NULL when absent */
  Range range;
  Node *expr;            /* value, condition, literal */
  struct Decl *kids;     /* fields, entries, points, tiers, test parts */
  struct Decl *next;
  /* DECL_FIELD; DECL_OUTPUT when typed (name2: the type's first word) */
  uint8_t ftype;         /* FieldType */
  bool typed;
  bool ordered;          /* FT_ENUM: one of (a < b < c) */
  Node *members;         /* FT_ENUM: AST_NAME list */
  bool key, optional;
  Tok places, places_kw; /* `places N`: the number N and the keyword
                            (places.p is NULL when there is none) */
  int64_t places_v;      /* N, as a Dec */
  Node *expr2;           /* DECL_WINDOW: the end */
  /* DECL_TEST: `activities { ... }` (AST_ACTROW list; acts_kw.p NULL
     when there is none) */
  Node *acts;
  Tok acts_kw;
  /* DECL_FN: parameter names (AST_NAME list) */
  Node *params;
  /* DECL_TEST */
  struct Decl *given, *with, *expect;
  Tok date2;             /* DECL_PERIOD: the end date (relative: the
                            word as_of, with dotted set and name the number
                            of months); DECL_TEST: the field
                            of `expect rejected "field"` (then dotted is set
                            and name2 is the word `rejected`) */
  /* Repeated groups (group.c): a let, points or output declared `per
     GROUP` (per.n > 0) stands for one copy per member of the group; a
     DECL_GROUP's `columns "PATTERN"` is pattern (n == 0: the default). */
  Tok per, pattern;
  const struct Decl *origin;   /* a copy made by expanding a group: the group,
                                  or the per-member declaration, it came from */
  int member;            /* ... and for which member (its index) */
  Node *written;         /* expr as written, when expanding rewrote it (diff) */
  Sym *sym;              /* filled by the checker */
  const char *end;       /* one past the declaration's last byte (formatter) */
} Decl;

typedef struct DeclList { Decl *head, *tail; } DeclList;

/* A `#` comment, kept only when a formatter asks (Ast.keep_comments). */
typedef struct Comment { Tok tok; bool own_line; } Comment;

typedef struct ArenaBlock ArenaBlock;

typedef struct Ast {
  ArenaBlock *arena;
  Source *sources;       /* every file read, the main one first */
  DeclList decls;        /* the main file's and every import's, in order */
  DiagList *diags;
  int depth;             /* parser nesting, bounded by AST_MAX_DEPTH */
  bool keep_comments;    /* record comments (for the formatter) */
  Comment *comments;     /* in source order */
  int ncomments, capcomments;
} Ast;

/* For a function called from a deep recursion that has large locals of its
   own (diagnostic text): kept out of line, so the recursion's frame stays
   small (docs/internals.md, "Bounded walks"). */
#if defined(__GNUC__) || defined(__clang__)
#define AST_NOINLINE __attribute__((noinline))
#else
#define AST_NOINLINE
#endif

/* Nesting deeper than this is refused (R0108) so no input exhausts a stack. */
#define AST_MAX_DEPTH 1000

void ast_init(Ast *ast, DiagList *dl);
void ast_free(Ast *ast);
void *ast_alloc(Ast *ast, size_t n);
char *ast_strdup(Ast *ast, const char *p, size_t n);

Node *ast_node(Ast *ast, NodeKind k, Tok tok);
Node *ast_unary(Ast *ast, NodeKind k, Tok op, Node *a);
Node *ast_binary(Ast *ast, NodeKind k, Node *a, Node *b);
Node *ast_literal(Ast *ast, NodeKind k, Tok tok);
Node *ast_if(Ast *ast, Tok kw, Node *c, Node *t, Node *e);
Node *ast_postfix(Ast *ast, NodeKind k, Node *a, Tok last);
/* A band row: dots is its `..` token.  The row's head (`..25`, `..<25`,
   `250..`) runs from tok to the end of tok2. */
Node *ast_row(Ast *ast, Tok dots, Bound b, RowKind kind, Node *value);
Node *ast_close(Node *n, Tok last);     /* extend n's text to the end of last */
void ast_list_add(NodeList *l, Node *n);
void ast_decl_add(DeclList *l, Decl *d);
Decl *ast_decl(Ast *ast, DeclKind k, Tok tok);
Bound ast_bound(Ast *ast, Tok tok, bool negative, uint8_t kind);
Bound ast_bound_name(Tok name);   /* a bound that names a param */

/* Reading text: the arena copy of a file, and parsing it (parse.c). */
Source *ast_source(Ast *ast, const char *name, const char *text, size_t len);
bool parse_source(Ast *ast, Source *src);

#endif

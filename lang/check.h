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

typedef enum {
  SYM_FIELD, SYM_PARAM, SYM_LET, SYM_FN, SYM_CATEGORY, SYM_POINTS, SYM_TIER,
  SYM_SCORE
} SymKind;

/* Namespaces: a category may share its name with a field (Zoho's revenue). */
typedef enum { NS_VALUE, NS_FN, NS_CATEGORY, NS_POINTS, NS_TIER } Namespace;

struct Sym {
  uint8_t kind;          /* SymKind */
  uint8_t ns;            /* Namespace */
  uint8_t state;         /* 0 unchecked, 1 being checked, 2 done */
  bool used;
  const char *name;      /* NUL-terminated; "category.points" for points */
  Decl *decl;
  Type ty;
  int index;             /* position among its kind (fields, params, tiers, ...) */
  int slot;              /* let, points, category, score: its VM slot */
  struct Sym *category;  /* points: the category it belongs to */
  struct Sym *hnext;
};

typedef struct SymVec { Sym **v; int n, cap; } SymVec;

typedef struct Checker {
  Ast *ast;
  DiagList *dl;
  Sym **tab;             /* open hash, chained */
  size_t tabcap, nsyms;
  SymVec fields, params, lets, fns, categories, points, tiers;
  Sym *score;
  Decl *record, *tierdecl, *program, *version, *currency, *period;
  Decl **tests;
  int ntests;
  int nlocals;           /* fn arguments bound so far */
  long expanded;         /* nodes made by instantiating fns */
} Checker;

/* Nodes that fn instantiation may create before the program counts as too
   large: bounds the cost of fns that call fns that call fns ... */
#define CHK_MAX_EXPANSION 1000000L

bool chk_program(Checker *ck, Ast *ast);
void chk_free(Checker *ck);
const char *chk_type_name(Checker *ck, Type t, char *buf, size_t n);
Sym *chk_lookup(Checker *ck, Namespace ns, const char *name, size_t len);

#endif

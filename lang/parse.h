/*
** parse.h — what the lexer, the grammar's actions and the parse driver
** share.  Not part of any public interface.
*/
#ifndef RUBRIC_PARSE_H
#define RUBRIC_PARSE_H

#include "ast.h"

typedef struct Lexer {
  const unsigned char *cur, *bol, *end;
  int line;
  const Source *src;
  DiagList *dl;
  Ast *keep;             /* when set, comments are recorded in keep->comments */
  bool code_on_line;     /* a token was seen on the current line */
} Lexer;

typedef struct ParseCtx {
  Ast *ast;
  const Source *src;
  bool failed;          /* first syntax error seen: stop feeding tokens */
  int parens;           /* parentheses open now, bounded by AST_MAX_DEPTH */
  Tok tok;              /* the token being fed, for a stack overflow's position */
  /* For syntax errors that say what was meant: the token before this one,
     how many braces are open, and the brace depth each open `band { … }`
     opened at (bands nested deeper than the array are not tracked). */
  int prev, prev_line;
  Tok prev_tok;
  int braces;
  int bands[8], nbands;
  bool band_next;       /* `band` seen: its block opens at the next '{' */
  int record_brace;     /* the brace depth of an open `record { … }`, or 0 */
  int group_brace;      /* the brace depth of an open `group … { … }` in it, or 0 */
  bool record_next;
  int fn_state;         /* 1 after `fn`, 2 after its name, 3 in its parameters */
  int after_openend;    /* the code of the token fed after an OPENEND */
} ParseCtx;

void lex_init(Lexer *lx, const Source *src, DiagList *dl);
/* Next token code (TK_*), 0 at the end, -1 after reporting a bad token. */
int lex_next(Lexer *lx, Tok *t);

char *parse_text(ParseCtx *ctx, Tok t);          /* unescaped string literal */
Node *parse_depth(ParseCtx *ctx, Node *n);       /* enforce AST_MAX_DEPTH */
/* `tiers WORD NAME { ... }`: a ladder with a floor when WORD is `floor`,
   else a syntax error at WORD (and the ladder without one). */
Decl *parse_floor(ParseCtx *ctx, Tok kw, Tok word, Tok name);
/* `tracks best score[, ties first|last]` (e, f NULL: no ties clause, a tie
   goes to the first); any other words are a syntax error. */
Decl *parse_choose(ParseCtx *ctx, Tok a, Tok b, Tok c, const Tok *e, const Tok *f);
/* Repeated groups: `group NAME (members) [columns "PATTERN"]` (words
   checked here), `per GROUP` after a let's, points' or output's name, and
   an aggregate's `GROUP where EXPR` (where NULL: `GROUP by EXPR`). */
Decl *parse_group(ParseCtx *ctx, Tok word, Tok name, Node *members, const Tok *columns, const Tok *pattern);
Decl *parse_per(ParseCtx *ctx, Decl *d, Tok per, Tok group);
Node *parse_over(ParseCtx *ctx, Tok fn, Tok group, const Tok *where, Node *e, Tok close);
/* Activities (issue 14): the `activity { }` block, `effective DATE`,
   `window NAME = A to B`, `period N months to as_of`; aggregates
   (`count(activity ...)`, `sum(F of activity where C)`), `period.start`,
   `x in WINDOW`; a test's `activities { ... }`.  Each checks its words and
   reports a misspelt one as a syntax error. */
Decl *parse_activity(ParseCtx *ctx, Tok word);
Decl *parse_effective(ParseCtx *ctx, Tok word, Tok date);
Decl *parse_window(ParseCtx *ctx, Tok word, Tok name, Node *from, Node *to);
Decl *parse_period_rel(ParseCtx *ctx, Tok kw, Tok months, Tok as_of);
Node *parse_agg(ParseCtx *ctx, Tok fn, Tok field, Tok activity, const Tok *where, Node *cond, Tok close);
Node *parse_count(ParseCtx *ctx, Tok fn, Node *args, Tok close);
Node *parse_rundate(ParseCtx *ctx, Tok period, Tok member);
Node *parse_inwin(ParseCtx *ctx, Node *a, Tok window);
Node *parse_acts(ParseCtx *ctx, Tok word, Node *items);
void parse_test_acts(Decl *test, Node *acts);
void parse_syntax_error(ParseCtx *ctx, int major, const Tok *t);
void parse_overflow(ParseCtx *ctx);
Bound parse_field_bound(ParseCtx *ctx, Node *e); /* a field's range end */
const char *parse_range_end(const Range *r);    /* one past a range's last byte */

#endif

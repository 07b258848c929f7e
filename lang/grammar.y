/*
** grammar.y — the rubric grammar (Lemon).  Actions are one-line calls to
** the constructors in ast.c; all nodes live in the Ast's arena, so a parse
** that stops on the first syntax error frees everything with the arena and
** no %destructor is needed.  The driver is parse.c.
*/
%include {
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"
#define YYNOERRORRECOVERY 1
#define AST (ctx->ast)
}

%name RubricParse
%token_prefix TK_
%token_type {Tok}
%extra_context {ParseCtx *ctx}
/* The parser's own stack (144-byte entries, 1.4 MB malloc'd with the
   parser, only what is used ever touched): enough for 1,000 levels of parentheses (parse.c refuses the
   1,001st) around 1,000 levels of the deepest other nesting, a band row
   inside a band row (eight entries a level), with room for the
   declaration around it.  A deeper program is refused with R0108 at the
   token where the stack ran out. */
%stack_size 10000
%syntax_error { parse_syntax_error(ctx, yymajor, &yyminor); }
%stack_overflow { parse_overflow(ctx); }

/* Every token, so the lexer's codes are fixed here and nowhere else. */
%token PROGRAM VERSION CURRENCY PERIOD TO RECORD KEY OPTIONAL TEXT NUMBER
       MONEY COUNT PERCENT FLAG DATE ONE OF IN PARAM BY LET CATEGORY POINTS
       TIERS TIER WHEN FN IMPORT TEST GIVEN WITH EXPECT IF THEN ELSE BAND
       AND OR NOT IS SET TRUE FALSE DAYS MONTHS DEFAULT
       TRACK USES BADGE BENEFIT PAYOUT OUTPUT UNSET INT PLACES OPENEND PER
       LBRACE RBRACE LPAREN RPAREN COMMA DOT DOTDOT ARROW
       EQ NE LT LE GT GE PLUS MINUS STAR SLASH
       DATELIT NUMLIT MONEYLIT IDENT STRING WNAME.

/* Lowest first.  ELSE lowest: `if .. else e` takes as much of e as it can. */
%right ELSE.
%left OR.
%left AND.
%right NOT.
%nonassoc EQ NE LT LE GT GE IN IS.
%left PLUS MINUS.
%left STAR SLASH.
%left DEFAULT.
%right UMINUS.
%left DAYS MONTHS.

%type expr {Node *}
%type lit {Node *}
%type exprs {NodeList}
%type args {NodeList}
%type idlist {NodeList}
%type ordlist {NodeList}
%type rows {NodeList}
%type row {Node *}
%type band_else {Node *}
%type bound {Bound}
%type lbound {Bound}
%type lrange {Range}
%type range_opt {Range}
%type frange {Range}
%type fbound {Bound}
%type title {char *}
%type perword {Tok}
%type decl {Decl *}
%type field {Decl *}
%type fields {DeclList}
%type ftype {Decl *}
%type pointslist {DeclList}
%type tierlist {DeclList}
%type assigns {DeclList}
%type assign {Decl *}
%type with {DeclList}
%type category {Decl *}
%type trackitems {DeclList}
%type trackitem {Decl *}
%type output {Decl *}
%type group {Decl *}
%type gfields {DeclList}
%type acts {Node *}
%type actitems {NodeList}

program ::= decls.
decls ::= .
decls ::= decls decl(D).              { ast_decl_add(&AST->decls, D); }

decl(D) ::= PROGRAM(K) STRING(S).     { D = ast_decl(AST, DECL_PROGRAM, K); D->title = parse_text(ctx, S); D->end = S.p + S.n; }
decl(D) ::= VERSION(K) STRING(S).     { D = ast_decl(AST, DECL_VERSION, K); D->title = parse_text(ctx, S); D->end = S.p + S.n; }
decl(D) ::= CURRENCY(K) IDENT(N).     { D = ast_decl(AST, DECL_CURRENCY, K); D->name = N; D->end = N.p + N.n; }
decl(D) ::= PERIOD(K) DATELIT(A) TO DATELIT(B).
                                      { D = ast_decl(AST, DECL_PERIOD, K); D->name = A; D->date2 = B; D->end = B.p + B.n; }
/* The assessment window relative to the as-of date: the N months that
   end on it (`period 12 months to as_of`). */
decl(D) ::= PERIOD(K) NUMLIT(N) MONTHS TO IDENT(A).
                                      { D = parse_period_rel(ctx, K, N, A); }
/* `effective 2026-02-01`: from which date this version of the program
   governs.  `effective` is a word here, not a keyword. */
decl(D) ::= IDENT(W) DATELIT(A).      { D = parse_effective(ctx, W, A); }
/* `window NAME = START to END`: a named span of dates, inclusive. */
decl(D) ::= IDENT(W) IDENT(N) EQ expr(A) TO expr(B).
                                      { D = parse_window(ctx, W, N, A, B); }
/* What one activity of a partner holds: `activity { partner text key ... }`,
   fields as a record's.  `activity` is a word here, not a keyword. */
decl(D) ::= IDENT(W) LBRACE fields(F) RBRACE(R).
                                      { D = parse_activity(ctx, W); D->kids = F.head; D->end = R.p + 1; }
decl(D) ::= IMPORT(K) STRING(S).      { D = ast_decl(AST, DECL_IMPORT, K); D->title = parse_text(ctx, S); D->name = S; D->end = S.p + S.n; }

decl(D) ::= RECORD(K) LBRACE fields(F) RBRACE(R).
                                      { D = ast_decl(AST, DECL_RECORD, K); D->kids = F.head; D->end = R.p + 1; }
fields(L) ::= .                       { L.head = L.tail = NULL; }
fields(L) ::= fields(L1) field(F).    { L = L1; ast_decl_add(&L, F); }
/* A repeated group of fields: `group region (na, emea) { acv money }` reads
   the columns na_acv and emea_acv, or as `columns "{name}_{member}"` says.
   `group` and `columns` are words here, not keywords (group.c). */
fields(L) ::= fields(L1) group(G).    { L = L1; ast_decl_add(&L, G); }
group(D) ::= IDENT(W) IDENT(N) LPAREN idlist(M) RPAREN LBRACE gfields(F) RBRACE(R).
                                      { D = parse_group(ctx, W, N, M.head, NULL, NULL); D->kids = F.head; D->end = R.p + 1; }
group(D) ::= IDENT(W) IDENT(N) LPAREN idlist(M) RPAREN IDENT(C) STRING(S) LBRACE gfields(F) RBRACE(R).
                                      { D = parse_group(ctx, W, N, M.head, &C, &S); D->kids = F.head; D->end = R.p + 1; }
gfields(L) ::= .                      { L.head = L.tail = NULL; }
gfields(L) ::= gfields(L1) field(F).  { L = L1; ast_decl_add(&L, F); }
field(D) ::= IDENT(N) ftype(F).       { D = F; D->name = N; D->tok = N; }
field(D) ::= field(D1) KEY(K).        { D = D1; D->key = true; D->end = K.p + K.n; }
field(D) ::= field(D1) OPTIONAL(K).   { D = D1; D->optional = true; D->end = K.p + K.n; }
field(D) ::= field(D1) IN frange(R).  { D = D1; D->range = R; D->end = parse_range_end(&R); }
field(D) ::= field(D1) PLACES(K) NUMLIT(N).
                                      { D = D1; D->places = N; D->places_kw = K; D->places_v = ast_literal(AST, AST_NUM, N)->num; D->end = N.p + N.n; }
ftype(D) ::= TEXT(K).                 { D = ast_decl(AST, DECL_FIELD, K); D->ftype = FT_TEXT; D->end = K.p + K.n; }
ftype(D) ::= NUMBER(K).               { D = ast_decl(AST, DECL_FIELD, K); D->ftype = FT_NUMBER; D->end = K.p + K.n; }
ftype(D) ::= MONEY(K).                { D = ast_decl(AST, DECL_FIELD, K); D->ftype = FT_MONEY; D->end = K.p + K.n; }
ftype(D) ::= COUNT(K).                { D = ast_decl(AST, DECL_FIELD, K); D->ftype = FT_COUNT; D->end = K.p + K.n; }
ftype(D) ::= INT(K).                  { D = ast_decl(AST, DECL_FIELD, K); D->ftype = FT_INT; D->end = K.p + K.n; }
ftype(D) ::= PERCENT(K).              { D = ast_decl(AST, DECL_FIELD, K); D->ftype = FT_PERCENT; D->end = K.p + K.n; }
ftype(D) ::= FLAG(K).                 { D = ast_decl(AST, DECL_FIELD, K); D->ftype = FT_FLAG; D->end = K.p + K.n; }
ftype(D) ::= DATE(K).                 { D = ast_decl(AST, DECL_FIELD, K); D->ftype = FT_DATE; D->end = K.p + K.n; }
ftype(D) ::= ONE(K) OF LPAREN idlist(L) RPAREN(R).
                                      { D = ast_decl(AST, DECL_FIELD, K); D->ftype = FT_ENUM; D->members = L.head; D->end = R.p + 1; }
/* An ordered choice lists its values lowest first: one of (base < ridge < crest). */
ftype(D) ::= ONE(K) OF LPAREN ordlist(L) RPAREN(R).
                                      { D = ast_decl(AST, DECL_FIELD, K); D->ftype = FT_ENUM; D->ordered = true; D->members = L.head; D->end = R.p + 1; }
ordlist(L) ::= IDENT(A) LT IDENT(B).  { L.head = L.tail = NULL; ast_list_add(&L, ast_node(AST, AST_NAME, A)); ast_list_add(&L, ast_node(AST, AST_NAME, B)); }
ordlist(L) ::= ordlist(L1) LT IDENT(N).
                                      { L = L1; ast_list_add(&L, ast_node(AST, AST_NAME, N)); }
idlist(L) ::= IDENT(N).               { L.head = L.tail = NULL; ast_list_add(&L, ast_node(AST, AST_NAME, N)); }
idlist(L) ::= idlist(L1) COMMA IDENT(N).
                                      { L = L1; ast_list_add(&L, ast_node(AST, AST_NAME, N)); }

decl(D) ::= PARAM(K) IDENT(N) EQ lit(V).
                                      { D = ast_decl(AST, DECL_PARAM, K); D->name = N; D->expr = V; }
decl(D) ::= PARAM(K) IDENT(N) BY IDENT(F) LBRACE assigns(A) RBRACE(R).
                                      { D = ast_decl(AST, DECL_PARAM_BY, K); D->name = N; D->name2 = F; D->kids = A.head; D->end = R.p + 1; }
decl(D) ::= LET(K) IDENT(N) EQ expr(E).
                                      { D = ast_decl(AST, DECL_LET, K); D->name = N; D->expr = E; }
/* An optional let may have no value: `unset` in the places its value comes from. */
decl(D) ::= LET(K) IDENT(N) OPTIONAL EQ expr(E).
                                      { D = ast_decl(AST, DECL_LET, K); D->name = N; D->expr = E; D->optional = true; }
/* One let per member of a group: `let weighted per region = acv * 2`. */
decl(D) ::= LET(K) IDENT(N) perword(P) IDENT(G) EQ expr(E).
                                      { D = parse_per(ctx, ast_decl(AST, DECL_LET, K), P, G); D->name = N; D->expr = E; }
decl(D) ::= LET(K) IDENT(N) perword(P) IDENT(G) OPTIONAL EQ expr(E).
                                      { D = parse_per(ctx, ast_decl(AST, DECL_LET, K), P, G); D->name = N; D->expr = E; D->optional = true; }
decl(D) ::= FN(K) IDENT(N) LPAREN RPAREN EQ expr(E).
                                      { D = ast_decl(AST, DECL_FN, K); D->name = N; D->expr = E; }
decl(D) ::= FN(K) IDENT(N) LPAREN idlist(P) RPAREN EQ expr(E).
                                      { D = ast_decl(AST, DECL_FN, K); D->name = N; D->params = P.head; D->expr = E; }

decl(D) ::= category(C).              { D = C; }
category(D) ::= CATEGORY(K) IDENT(N) title(T) range_opt(R) LBRACE pointslist(P) RBRACE(C).
                                      { D = ast_decl(AST, DECL_CATEGORY, K); D->name = N; D->title = T; D->range = R; D->kids = P.head; D->end = C.p + 1; }

/* A track: its condition, then what it uses, its own categories, ladder and badges. */
decl(D) ::= TRACK(K) IDENT(N) title(T) range_opt(R) WHEN expr(E) LBRACE trackitems(I) RBRACE(C).
                                      { D = ast_decl(AST, DECL_TRACK, K); D->name = N; D->title = T; D->range = R; D->expr = E; D->kids = I.head; D->end = C.p + 1; }
trackitems(L) ::= .                   { L.head = L.tail = NULL; }
trackitems(L) ::= trackitems(L1) trackitem(D).
                                      { L = L1; ast_decl_add(&L, D); }
trackitem(D) ::= USES(K) idlist(L).   { D = ast_decl(AST, DECL_USES, K); D->members = L.head; D->end = L.tail->end; }
trackitem(D) ::= category(C).         { D = C; }
trackitem(D) ::= TIERS(K) LBRACE tierlist(L) RBRACE(C).
                                      { D = ast_decl(AST, DECL_TIERS, K); D->kids = L.head; D->end = C.p + 1; }
trackitem(D) ::= TIERS(K) IDENT(W) IDENT(N) LBRACE tierlist(L) RBRACE(C).
                                      { D = parse_floor(ctx, K, W, N); D->kids = L.head; D->end = C.p + 1; }
trackitem(D) ::= BADGE(K) IDENT(N) title(T) WHEN expr(E).
                                      { D = ast_decl(AST, DECL_BADGE, K); D->name = N; D->title = T; D->expr = E; }
decl(D) ::= BADGE(K) IDENT(N) title(T) WHEN expr(E).
                                      { D = ast_decl(AST, DECL_BADGE, K); D->name = N; D->title = T; D->expr = E; }
decl(D) ::= BENEFIT(K) IDENT(N) title(T) LBRACE assigns(A) RBRACE(C).
                                      { D = ast_decl(AST, DECL_BENEFIT, K); D->name = N; D->title = T; D->kids = A.head; D->end = C.p + 1; }
/* A result written out and never added to the score: its type inferred
   from the expression, or declared as a field's is (one of (...) makes a
   choice of the output's own). */
decl(D) ::= output(O).                { D = O; }
trackitem(D) ::= output(O).           { D = O; }
output(D) ::= OUTPUT(K) IDENT(N) title(T) EQ expr(E).
                                      { D = ast_decl(AST, DECL_OUTPUT, K); D->name = N; D->title = T; D->expr = E; }
output(D) ::= OUTPUT(K) IDENT(N) title(T) OPTIONAL EQ expr(E).
                                      { D = ast_decl(AST, DECL_OUTPUT, K); D->name = N; D->title = T; D->expr = E; D->optional = true; }
output(D) ::= OUTPUT(K) IDENT(N) title(T) perword(P) IDENT(G) EQ expr(E).
                                      { D = parse_per(ctx, ast_decl(AST, DECL_OUTPUT, K), P, G); D->name = N; D->title = T; D->expr = E; }
output(D) ::= OUTPUT(K) IDENT(N) title(T) perword(P) IDENT(G) OPTIONAL EQ expr(E).
                                      { D = parse_per(ctx, ast_decl(AST, DECL_OUTPUT, K), P, G); D->name = N; D->title = T; D->expr = E; D->optional = true; }
output(D) ::= OUTPUT(K) IDENT(N) title(T) perword(P) IDENT(G) ftype(F) EQ expr(E).
                                      { D = F; D->kind = DECL_OUTPUT; D->typed = true; D->name2 = D->tok; D->tok = K;
                                        D->name = N; D->title = T; D->expr = E; D->end = NULL; D = parse_per(ctx, D, P, G); }
output(D) ::= OUTPUT(K) IDENT(N) title(T) perword(P) IDENT(G) ftype(F) OPTIONAL EQ expr(E).
                                      { D = F; D->kind = DECL_OUTPUT; D->typed = true; D->name2 = D->tok; D->tok = K;
                                        D->name = N; D->title = T; D->expr = E; D->end = NULL; D->optional = true; D = parse_per(ctx, D, P, G); }
output(D) ::= OUTPUT(K) IDENT(N) title(T) ftype(F) OPTIONAL EQ expr(E).
                                      { D = F; D->kind = DECL_OUTPUT; D->typed = true; D->name2 = D->tok; D->tok = K;
                                        D->name = N; D->title = T; D->expr = E; D->end = NULL; D->optional = true; }
output(D) ::= OUTPUT(K) IDENT(N) title(T) ftype(F) EQ expr(E).
                                      { D = F; D->kind = DECL_OUTPUT; D->typed = true; D->name2 = D->tok; D->tok = K;
                                        D->name = N; D->title = T; D->expr = E; D->end = NULL; }
decl(D) ::= PAYOUT(K) IDENT(N) title(T) EQ expr(E).
                                      { D = ast_decl(AST, DECL_PAYOUT, K); D->name = N; D->title = T; D->expr = E; }
pointslist(L) ::= .                   { L.head = L.tail = NULL; }
pointslist(L) ::= pointslist(L1) POINTS(K) IDENT(N) title(T) range_opt(R) EQ expr(E).
                                      { L = L1; Decl *d = ast_decl(AST, DECL_POINTS, K); d->name = N; d->title = T; d->range = R; d->expr = E; ast_decl_add(&L, d); }
/* Here `per` must be the word the driver (parse.c) reads as PER: a cap's
   end may be a param's name, so `0..cap per region` and `0.. per region`
   are told apart by the word after the name. */
pointslist(L) ::= pointslist(L1) POINTS(K) IDENT(N) title(T) range_opt(R) PER(P) IDENT(G) EQ expr(E).
                                      { L = L1; Decl *d = parse_per(ctx, ast_decl(AST, DECL_POINTS, K), P, G); d->name = N; d->title = T; d->range = R; d->expr = E; ast_decl_add(&L, d); }
/* Optional points may be `unset` (an empty cell); they add nothing to their
   category then.  `optional` comes just before `=`, as for lets and outputs. */
pointslist(L) ::= pointslist(L1) POINTS(K) IDENT(N) title(T) range_opt(R) OPTIONAL EQ expr(E).
                                      { L = L1; Decl *d = ast_decl(AST, DECL_POINTS, K); d->name = N; d->title = T; d->range = R; d->expr = E; d->optional = true; ast_decl_add(&L, d); }
pointslist(L) ::= pointslist(L1) POINTS(K) IDENT(N) title(T) range_opt(R) PER(P) IDENT(G) OPTIONAL EQ expr(E).
                                      { L = L1; Decl *d = parse_per(ctx, ast_decl(AST, DECL_POINTS, K), P, G); d->name = N; d->title = T; d->range = R; d->expr = E; d->optional = true; ast_decl_add(&L, d); }

decl(D) ::= TIERS(K) LBRACE tierlist(L) RBRACE(C).
                                      { D = ast_decl(AST, DECL_TIERS, K); D->kids = L.head; D->end = C.p + 1; }
/* `tracks best score, ties first` (or last): the track a record scores
   best on, among those whose condition holds; a tie goes to the first
   when the clause is left out.  Words, not keywords. */
decl(D) ::= IDENT(A) IDENT(B) IDENT(C) COMMA IDENT(E) IDENT(F).
                                      { D = parse_choose(ctx, A, B, C, &E, &F); }
decl(D) ::= IDENT(A) IDENT(B) IDENT(C).
                                      { D = parse_choose(ctx, A, B, C, NULL, NULL); }
/* No demotion: `tiers floor held_tier { ... }`, the final tier at least the
   one the name holds.  `floor` is a word here, not a keyword, so floor()
   stays a function. */
decl(D) ::= TIERS(K) IDENT(W) IDENT(N) LBRACE tierlist(L) RBRACE(C).
                                      { D = parse_floor(ctx, K, W, N); D->kids = L.head; D->end = C.p + 1; }
tierlist(L) ::= .                     { L.head = L.tail = NULL; }
tierlist(L) ::= tierlist(L1) TIER(K) IDENT(N) title(T) WHEN expr(E).
                                      { L = L1; Decl *d = ast_decl(AST, DECL_TIER, K); d->name = N; d->title = T; d->expr = E; ast_decl_add(&L, d); }

decl(D) ::= TEST(K) STRING(S) LBRACE GIVEN LBRACE assigns(G) RBRACE with(W) acts(A) EXPECT LBRACE assigns(E) RBRACE RBRACE(C).
                                      { D = ast_decl(AST, DECL_TEST, K); D->title = parse_text(ctx, S); D->given = G.head; D->with = W.head; D->expect = E.head; D->end = C.p + 1; parse_test_acts(D, A); }
/* expect rejected "field": the given record must fail validation on that field. */
decl(D) ::= TEST(K) STRING(S) LBRACE GIVEN LBRACE assigns(G) RBRACE with(W) acts(A) EXPECT IDENT(R) STRING(F) RBRACE(C).
                                      { D = ast_decl(AST, DECL_TEST, K); D->title = parse_text(ctx, S); D->given = G.head; D->with = W.head; D->name2 = R; D->date2 = F; D->dotted = true; D->end = C.p + 1; parse_test_acts(D, A); }
/* A test's activities: `activities { deployment on 2025-03-01, ... }`,
   one a line or separated by commas (parse_acts groups them). */
acts(A) ::= .                         { A = NULL; }
acts(A) ::= IDENT(W) LBRACE actitems(I) RBRACE.
                                      { A = parse_acts(ctx, W, I.head); }
actitems(L) ::= .                     { L.head = L.tail = NULL; }
actitems(L) ::= actitems(L1) lit(V).  { L = L1; ast_list_add(&L, V); }
actitems(L) ::= actitems(L1) COMMA(C).
                                      { L = L1; ast_list_add(&L, ast_node(AST, AST_ACTROW, C)); }
with(L) ::= .                         { L.head = L.tail = NULL; }
with(L) ::= WITH LBRACE assigns(A) RBRACE.
                                      { L = A; }
assigns(L) ::= .                      { L.head = L.tail = NULL; }
assigns(L) ::= assigns(L1) COMMA.     { L = L1; }
assigns(L) ::= assigns(L1) assign(A). { L = L1; ast_decl_add(&L, A); }
assign(D) ::= IDENT(N) EQ lit(V).     { D = ast_decl(AST, DECL_ASSIGN, N); D->expr = V; }
assign(D) ::= IDENT(N) DOT IDENT(M) EQ lit(V).
                                      { D = ast_decl(AST, DECL_ASSIGN, N); D->name2 = M; D->dotted = true; D->expr = V; }
assign(D) ::= TIER(N) EQ lit(V).      { D = ast_decl(AST, DECL_ASSIGN, N); D->expr = V; }
assign(D) ::= TRACK(N) EQ lit(V).     { D = ast_decl(AST, DECL_ASSIGN, N); D->expr = V; }
assign(D) ::= TIER(N) EQ IDENT(T) DOT IDENT(M).
                                      { D = ast_decl(AST, DECL_ASSIGN, N); D->expr = ast_node(AST, AST_DOT, T); D->expr->tok2 = M; ast_close(D->expr, M); }
/* an output whose value is a tier: `expect { reached = enterprise.platinum }` */
assign(D) ::= IDENT(N) EQ IDENT(T) DOT IDENT(M).
                                      { D = ast_decl(AST, DECL_ASSIGN, N); D->expr = ast_node(AST, AST_DOT, T); D->expr->tok2 = M; ast_close(D->expr, M); }

/* `per` in `NAME per GROUP`: the word the driver reads as PER, or any
   other name, which parse_per reports as a misspelling. */
perword(P) ::= PER(P1).               { P = P1; }
perword(P) ::= IDENT(P1).             { P = P1; }

title(T) ::= .                        { T = NULL; }
title(T) ::= STRING(S).               { T = parse_text(ctx, S); }
range_opt(R) ::= .                    { memset(&R, 0, sizeof R); }
range_opt(R) ::= lrange(R1).          { R = R1; }
/* A field's range: each end a literal, or an expression that names other
   fields (`in answers..5 * answers`).  A missing high end is OPENEND, a
   token parse.c feeds where `..` in a record is followed by something that
   cannot start an expression, or by a name that starts the next field
   (a type follows it): `in $0..` then `next money` on the next line. */
frange(R) ::= fbound(A) DOTDOT(K) fbound(B).
                                      { R.lo = A; R.hi = B; R.tok = K; R.present = true; }
frange(R) ::= fbound(A) DOTDOT(K) OPENEND.
                                      { memset(&R, 0, sizeof R); R.lo = A; R.tok = K; R.present = true; }
frange(R) ::= DOTDOT(K) fbound(B).    { memset(&R, 0, sizeof R); R.hi = B; R.tok = K; R.present = true; }
frange(R) ::= DOTDOT(K) OPENEND.      { memset(&R, 0, sizeof R); R.tok = K; R.present = true; }
/* An end's expression takes all it can (`in 0..a in (b, c)` is a flag,
   which the checker refuses): the rule is as weak as ELSE. */
fbound(B) ::= expr(E). [ELSE]         { B = parse_field_bound(ctx, E); }

bound(B) ::= NUMLIT(T).               { B = ast_bound(AST, T, false, T_NUM); }
bound(B) ::= MINUS(M) NUMLIT(T).      { B = ast_bound(AST, T, true, T_NUM); B.tok = M; B.tok.n = (int)(T.p + T.n - M.p); }
bound(B) ::= MONEYLIT(T).             { B = ast_bound(AST, T, false, T_MONEY); }
bound(B) ::= MINUS(M) MONEYLIT(T).    { B = ast_bound(AST, T, true, T_MONEY); B.tok = M; B.tok.n = (int)(T.p + T.n - M.p); }
bound(B) ::= DATELIT(T).              { B = ast_bound(AST, T, false, T_DATE); }
/* A lever's bound may also be a param, which a run may set: a cap, a
   category's or track's range, a band's row, `in LO..HI`.  A field's
   range is frange, whose ends may name fields but not params: it says
   which records are valid. */
lbound(B) ::= bound(B1).              { B = B1; }
lbound(B) ::= IDENT(T).               { B = ast_bound_name(T); }
lrange(R) ::= lbound(A) DOTDOT(K) lbound(B).
                                      { R.lo = A; R.hi = B; R.tok = K; R.present = true; }
lrange(R) ::= lbound(A) DOTDOT(K).    { memset(&R, 0, sizeof R); R.lo = A; R.tok = K; R.present = true; }
lrange(R) ::= DOTDOT(K) lbound(B).    { memset(&R, 0, sizeof R); R.hi = B; R.tok = K; R.present = true; }
lrange(R) ::= DOTDOT(K).              { memset(&R, 0, sizeof R); R.tok = K; R.present = true; }

lit(E) ::= NUMLIT(T).                 { E = ast_literal(AST, AST_NUM, T); }
lit(E) ::= MONEYLIT(T).               { E = ast_literal(AST, AST_MONEY, T); }
lit(E) ::= MINUS(K) NUMLIT(T).        { E = ast_unary(AST, AST_NEG, K, ast_literal(AST, AST_NUM, T)); }
lit(E) ::= MINUS(K) MONEYLIT(T).      { E = ast_unary(AST, AST_NEG, K, ast_literal(AST, AST_MONEY, T)); }
lit(E) ::= DATELIT(T).                { E = ast_literal(AST, AST_DATE, T); }
lit(E) ::= STRING(T).                 { E = ast_literal(AST, AST_STR, T); }
lit(E) ::= TRUE(T).                   { E = ast_literal(AST, AST_BOOL, T); }
lit(E) ::= FALSE(T).                  { E = ast_literal(AST, AST_BOOL, T); }
lit(E) ::= IDENT(T).                  { E = ast_node(AST, AST_NAME, T); }
lit(E) ::= UNSET(T).                  { E = ast_node(AST, AST_UNSET, T); }

/* Every token an expression may start with is listed in parse.c
   (starts_expr), which must know one where a field's range ends. */
expr(E) ::= NUMLIT(T).                { E = ast_literal(AST, AST_NUM, T); }
expr(E) ::= MONEYLIT(T).              { E = ast_literal(AST, AST_MONEY, T); }
expr(E) ::= DATELIT(T).               { E = ast_literal(AST, AST_DATE, T); }
expr(E) ::= STRING(T).                { E = ast_literal(AST, AST_STR, T); }
expr(E) ::= TRUE(T).                  { E = ast_literal(AST, AST_BOOL, T); }
expr(E) ::= FALSE(T).                 { E = ast_literal(AST, AST_BOOL, T); }
expr(E) ::= IDENT(T).                 { E = ast_node(AST, AST_NAME, T); }
expr(E) ::= IDENT(T) DOT IDENT(M).    { E = ast_node(AST, AST_DOT, T); E->tok2 = M; ast_close(E, M); }
expr(E) ::= IDENT(T) LPAREN RPAREN(R).
                                      { E = ast_close(ast_node(AST, AST_CALL, T), R); }
expr(E) ::= IDENT(T) LPAREN args(A) RPAREN(R).
                                      { E = ast_close(ast_node(AST, AST_CALL, T), R); E->b = A.head; E = parse_depth(ctx, E); }
/* count(...) is a call, though `count` is a type's keyword. */
expr(E) ::= COUNT(T) LPAREN args(A) RPAREN(R).
                                      { E = parse_count(ctx, T, A.head, R); }
/* Aggregates over a group: count(region where certified >= 2),
   best(region by acv); `points of azure` maps over a category's points. */
expr(E) ::= IDENT(T) LPAREN IDENT(G) IDENT(W) expr(C) RPAREN(R).
                                      { E = parse_over(ctx, T, G, &W, C, R); }
expr(E) ::= COUNT(T) LPAREN IDENT(G) IDENT(W) expr(C) RPAREN(R).
                                      { E = parse_over(ctx, T, G, &W, C, R); }
expr(E) ::= IDENT(T) LPAREN IDENT(G) BY expr(C) RPAREN(R).
                                      { E = parse_over(ctx, T, G, NULL, C, R); }
/* Aggregates over the partner's activities: count(activity where ...)
   is the group form above (parse_over); these name a field. */
expr(E) ::= IDENT(T) LPAREN IDENT(F) OF IDENT(G) RPAREN(R).
                                      { E = parse_agg(ctx, T, F, G, NULL, NULL, R); }
expr(E) ::= IDENT(T) LPAREN IDENT(F) OF IDENT(G) IDENT(W) expr(C) RPAREN(R).
                                      { E = parse_agg(ctx, T, F, G, &W, C, R); }
/* record.NAME: the partner's field, where an activity's field shadows it. */
expr(E) ::= RECORD DOT IDENT(M).      { E = ast_node(AST, AST_NAME, M); E->rowkind = 1; }
expr(E) ::= PERIOD(P) DOT IDENT(M).   { E = parse_rundate(ctx, P, M); }
expr(E) ::= expr(A) IN PERIOD(W).     { E = parse_depth(ctx, parse_inwin(ctx, A, W)); }
/* WNAME: a name after `in` that no `..` follows (parse.c). */
expr(E) ::= expr(A) IN WNAME(W).      { E = parse_depth(ctx, parse_inwin(ctx, A, W)); }
expr(E) ::= POINTS(K) OF IDENT(C).    { E = ast_close(ast_node(AST, AST_POINTSOF, C), C); E->start = K.p; }
expr(E) ::= LPAREN(L) expr(A) RPAREN(R).
                                      { E = A; if (L.p < E->start) E->start = L.p; ast_close(E, R); }
expr(E) ::= MINUS(K) expr(A). [UMINUS] { E = parse_depth(ctx, ast_unary(AST, AST_NEG, K, A)); }
expr(E) ::= NOT(K) expr(A).           { E = parse_depth(ctx, ast_unary(AST, AST_NOT, K, A)); }
expr(E) ::= expr(A) PLUS expr(B).     { E = parse_depth(ctx, ast_binary(AST, AST_ADD, A, B)); }
expr(E) ::= expr(A) MINUS expr(B).    { E = parse_depth(ctx, ast_binary(AST, AST_SUB, A, B)); }
expr(E) ::= expr(A) STAR expr(B).     { E = parse_depth(ctx, ast_binary(AST, AST_MUL, A, B)); }
expr(E) ::= expr(A) SLASH expr(B).    { E = parse_depth(ctx, ast_binary(AST, AST_DIV, A, B)); }
expr(E) ::= expr(A) EQ expr(B).       { E = parse_depth(ctx, ast_binary(AST, AST_EQ, A, B)); }
expr(E) ::= expr(A) NE expr(B).       { E = parse_depth(ctx, ast_binary(AST, AST_NE, A, B)); }
expr(E) ::= expr(A) LT expr(B).       { E = parse_depth(ctx, ast_binary(AST, AST_LT, A, B)); }
expr(E) ::= expr(A) LE expr(B).       { E = parse_depth(ctx, ast_binary(AST, AST_LE, A, B)); }
expr(E) ::= expr(A) GT expr(B).       { E = parse_depth(ctx, ast_binary(AST, AST_GT, A, B)); }
expr(E) ::= expr(A) GE expr(B).       { E = parse_depth(ctx, ast_binary(AST, AST_GE, A, B)); }
expr(E) ::= expr(A) AND expr(B).      { E = parse_depth(ctx, ast_binary(AST, AST_AND, A, B)); }
expr(E) ::= expr(A) OR expr(B).       { E = parse_depth(ctx, ast_binary(AST, AST_OR, A, B)); }
expr(E) ::= expr(A) DEFAULT expr(B).  { E = parse_depth(ctx, ast_binary(AST, AST_DEFAULT, A, B)); }
expr(E) ::= expr(A) IS SET(K).        { E = parse_depth(ctx, ast_postfix(AST, AST_ISSET, A, K)); }
expr(E) ::= expr(A) DAYS(K).          { E = parse_depth(ctx, ast_postfix(AST, AST_DAYS, A, K)); }
expr(E) ::= expr(A) MONTHS(K).        { E = parse_depth(ctx, ast_postfix(AST, AST_MONTHS, A, K)); }
expr(E) ::= expr(A) IN LPAREN exprs(L) RPAREN(R).
                                      { E = parse_depth(ctx, ast_postfix(AST, AST_IN, A, R)); E->b = L.head; }
/* Both ends required here: `x in 3.. - 1` would be ambiguous. */
expr(E) ::= expr(A) IN lbound(L) DOTDOT(K) lbound(H).
                                      { Range R = {.lo = L, .hi = H, .tok = K, .present = true};
                                        E = ast_postfix(AST, AST_INRANGE, A, H.tok); E->range = R; E = parse_depth(ctx, E); }
expr(E) ::= IF(K) expr(C) THEN expr(T) ELSE expr(F).
                                      { E = parse_depth(ctx, ast_if(AST, K, C, T, F)); }
expr(E) ::= BAND(K) expr(S) LBRACE rows(L) band_else(X) RBRACE(R).
                                      { E = ast_node(AST, AST_BAND, K); E->a = S; E->b = L.head; E->c = X; E = parse_depth(ctx, ast_close(E, R)); }
band_else(X) ::= .                    { X = NULL; }
band_else(X) ::= COMMA.               { X = NULL; }
band_else(X) ::= COMMA ELSE ARROW expr(E).
                                      { X = E; }
band_else(X) ::= COMMA ELSE ARROW expr(E) COMMA.
                                      { X = E; }
rows(L) ::= row(R).                   { L.head = L.tail = NULL; ast_list_add(&L, R); }
rows(L) ::= rows(L1) COMMA row(R).    { L = L1; ast_list_add(&L, R); }
row(R) ::= DOTDOT(K) lbound(B) ARROW expr(E).
                                      { R = ast_row(AST, K, B, ROW_UPTO, E); }
row(R) ::= DOTDOT(K) LT lbound(B) ARROW expr(E).
                                      { R = ast_row(AST, K, B, ROW_BELOW, E); }
row(R) ::= lbound(B) DOTDOT(K) ARROW expr(E).
                                      { R = ast_row(AST, K, B, ROW_FROM, E); }

expr(E) ::= TIER(K).                  { E = ast_node(AST, AST_TIERVAL, K); }
expr(E) ::= UNSET(K).                 { E = ast_node(AST, AST_UNSET, K); }

exprs(L) ::= expr(E).                 { L.head = L.tail = NULL; ast_list_add(&L, E); }
exprs(L) ::= exprs(L1) COMMA expr(E). { L = L1; ast_list_add(&L, E); }
args(L) ::= exprs(L1).                { L = L1; }

/*
** parse.c — drives the lexer into the Lemon parser for one source file,
** and the helpers the grammar's actions call.  Stops at the first syntax
** error (one clear message beats a cascade).
*/
#include <stdio.h>
#include <stdlib.h>

#include "grammar.h"
#include "parse.h"

void *RubricParseAlloc(void *(*alloc)(size_t), ParseCtx *ctx);
void RubricParse(void *parser, int major, Tok minor);
void RubricParseFree(void *parser, void (*dealloc)(void *));

char *parse_text(ParseCtx *ctx, Tok t) {
  Node *n = ast_literal(ctx->ast, AST_STR, t);
  return n->str;
}

static int depth_of(const Node *n) { return n ? n->depth : 0; }

/* The checker and compiler recurse over expressions; bound their depth. */
Node *parse_depth(ParseCtx *ctx, Node *n) {
  int d = depth_of(n->a);
  if (depth_of(n->b) > d) d = depth_of(n->b);
  if (depth_of(n->c) > d) d = depth_of(n->c);
  for (Node *k = n->b; k; k = k->next)
    if (depth_of(k) > d) d = depth_of(k);
  n->depth = d + 1;
  if (n->depth > AST_MAX_DEPTH && !ctx->failed) {
    ctx->failed = true;
    diag_add(ctx->ast->diags, R0108, n->tok.src, n->tok.line, n->tok.col, n->tok.n,
             "expression nested more than %d deep", AST_MAX_DEPTH);
  }
  return n;
}

void parse_syntax_error(ParseCtx *ctx, int major, const Tok *t) {
  if (ctx->failed) return;
  ctx->failed = true;
  if (major == 0)
    diag_add(ctx->ast->diags, R0105, ctx->src, t->line, t->col, 1,
             "unexpected end of file");
  else
    diag_add(ctx->ast->diags, R0105, t->src, t->line, t->col, t->n,
             "unexpected '%.*s'", t->n, t->p);
}

/* Lemon's stack is full: only a program nested beyond the documented
   limits gets here (see %stack_size in grammar.y). */
void parse_overflow(ParseCtx *ctx) {
  if (ctx->failed) return;
  ctx->failed = true;
  const Tok *t = &ctx->tok;
  diag_add(ctx->ast->diags, R0108, t->src ? t->src : ctx->src, t->line, t->col, t->n ? t->n : 1,
           "program nested more than %d levels deep", AST_MAX_DEPTH);
}

/* Parentheses make no node of their own, so parse_depth does not see
   them: count them here, and refuse the one that opens level 1,001. */
static bool parens(ParseCtx *ctx, int code, const Tok *t) {
  if (code == TK_RPAREN && ctx->parens > 0) ctx->parens--;
  if (code != TK_LPAREN) return true;
  if (++ctx->parens <= AST_MAX_DEPTH) return true;
  ctx->failed = true;
  diag_add(ctx->ast->diags, R0108, t->src, t->line, t->col, t->n,
           "parentheses nested more than %d deep", AST_MAX_DEPTH);
  return false;
}

bool parse_source(Ast *ast, Source *src) {
  ParseCtx ctx = {.ast = ast, .src = src};
  Lexer lx;
  lex_init(&lx, src, ast->diags);
  if (ast->keep_comments) lx.keep = ast;
  void *p = RubricParseAlloc(malloc, &ctx);
  if (!p) abort();
  Tok t;
  int code;
  while (!ctx.failed) {
    code = lex_next(&lx, &t);
    if (code < 0) { ctx.failed = true; break; }
    if (!parens(&ctx, code, &t)) break;
    ctx.tok = t;
    RubricParse(p, code, t);
    if (code == 0) break;
  }
  RubricParseFree(p, free);
  return !ctx.failed;
}

/*
** ast.c — the arena and the constructors the grammar's actions call.
*/
#include "ast.h"

#include <stdlib.h>
#include <string.h>

#include "../runtime/date.h"

struct ArenaBlock {
  ArenaBlock *next;
  size_t used, size;
  _Alignas(max_align_t) unsigned char data[];
};

/* Blocks of 64 KiB: a typical program fits in a few. */
#define ARENA_BLOCK 65536

void ast_init(Ast *ast, DiagList *dl) {
  memset(ast, 0, sizeof *ast);
  ast->diags = dl;
}

void ast_free(Ast *ast) {
  for (ArenaBlock *b = ast->arena; b;) {
    ArenaBlock *next = b->next;
    free(b);
    b = next;
  }
  for (Source *s = ast->sources; s;) {
    Source *next = s->next;
    free(s->name);
    free(s->text);
    free(s->line_at);
    free(s);
    s = next;
  }
  free(ast->comments);
  ast->comments = NULL;
  ast->arena = NULL;
  ast->sources = NULL;
}

void *ast_alloc(Ast *ast, size_t n) {
  n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
  ArenaBlock *b = ast->arena;
  if (!b || b->size - b->used < n) {
    size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
    b = malloc(sizeof *b + size);
    if (!b) abort();
    b->used = 0;
    b->size = size;
    b->next = ast->arena;
    ast->arena = b;
  }
  void *p = b->data + b->used;
  b->used += n;
  memset(p, 0, n);
  return p;
}

char *ast_strdup(Ast *ast, const char *p, size_t n) {
  char *s = ast_alloc(ast, n + 1);
  memcpy(s, p, n);
  s[n] = '\0';
  return s;
}

Source *ast_source(Ast *ast, const char *name, const char *text, size_t len) {
  Source *s = calloc(1, sizeof *s);
  if (!s) abort();
  s->name = strdup(name);
  s->text = malloc(len + 1);
  if (!s->name || !s->text) abort();
  memcpy(s->text, text, len);
  s->text[len] = '\0';
  s->len = len;
  int lines = 1;   /* files are at most LOAD_MAX_FILE (64 MiB): offsets fit 32 bits */
  for (size_t i = 0; i < len; i++) lines += text[i] == '\n';
  s->line_at = malloc((size_t)lines * sizeof *s->line_at);
  if (!s->line_at) abort();
  s->line_at[s->nlines++] = 0;
  for (size_t i = 0; i < len; i++)
    if (text[i] == '\n') s->line_at[s->nlines++] = (uint32_t)(i + 1);
  /* Append, so the main file stays first. */
  Source **pp = &ast->sources;
  while (*pp) pp = &(*pp)->next;
  *pp = s;
  return s;
}

Node *ast_node(Ast *ast, NodeKind k, Tok tok) {
  Node *n = ast_alloc(ast, sizeof *n);
  n->kind = (uint8_t)k;
  n->tok = tok;
  n->start = tok.p;
  n->end = tok.p + tok.n;
  n->local = -1;
  return n;
}

Node *ast_close(Node *n, Tok last) {
  if (last.p + last.n > n->end) n->end = last.p + last.n;
  return n;
}

Node *ast_unary(Ast *ast, NodeKind k, Tok op, Node *a) {
  Node *n = ast_node(ast, k, op);
  n->a = a;
  n->end = a->end;
  return n;
}

Node *ast_binary(Ast *ast, NodeKind k, Node *a, Node *b) {
  Node *n = ast_node(ast, k, a->tok);
  n->start = a->start;
  n->a = a;
  n->b = b;
  n->end = b->end;
  return n;
}

Node *ast_postfix(Ast *ast, NodeKind k, Node *a, Tok last) {
  Node *n = ast_node(ast, k, a->tok);
  n->start = a->start;
  n->a = a;
  return ast_close(n, last);
}

Node *ast_if(Ast *ast, Tok kw, Node *c, Node *t, Node *e) {
  Node *n = ast_node(ast, AST_IF, kw);
  n->a = c;
  n->b = t;
  n->c = e;
  n->end = e->end;
  return n;
}

static void unescape(Ast *ast, Node *n) {
  const char *p = n->tok.p + 1, *e = n->tok.p + n->tok.n - 1;
  char *out = ast_alloc(ast, (size_t)(e - p) + 1), *o = out;
  while (p < e) {
    if (*p == '\\' && p + 1 < e) {
      p++;
      *o++ = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
      p++;
    } else {
      *o++ = *p++;
    }
  }
  *o = '\0';
  n->str = out;
}

Node *ast_literal(Ast *ast, NodeKind k, Tok tok) {
  Node *n = ast_node(ast, k, tok);
  switch (k) {
  case AST_NUM:
  case AST_MONEY: {
    const char *p = tok.p + (k == AST_MONEY);
    size_t len = (size_t)tok.n - (k == AST_MONEY);
    DecStatus st = dec_parse(p, len, &n->num);
    if (st != DEC_OK)
      diag_add(ast->diags, R0103, tok.src, tok.line, tok.col, tok.n, "%s: %.*s",
               dec_status_text(st), tok.n, tok.p);
    break;
  }
  case AST_DATE:
    if (!date_parse(tok.p, (size_t)tok.n, &n->num))
      diag_add(ast->diags, R0104, tok.src, tok.line, tok.col, tok.n,
               "%.*s is not a calendar date", tok.n, tok.p);
    break;
  case AST_STR:
    unescape(ast, n);
    break;
  case AST_BOOL:
    n->num = tok.p[0] == 't';
    break;
  default:
    break;
  }
  return n;
}

Node *ast_row(Ast *ast, Tok dots, Bound b, RowKind kind, Node *value) {
  Node *r = ast_node(ast, AST_ROW, kind == ROW_FROM ? b.tok : dots);
  r->tok2 = kind == ROW_FROM ? dots : b.tok;
  r->rowkind = (uint8_t)kind;
  r->bound = b;
  r->a = value;
  r->end = value->end;
  r->depth = value->depth;
  return r;
}

Bound ast_bound(Ast *ast, Tok tok, bool negative, uint8_t kind) {
  Bound b = {.present = true, .kind = kind, .tok = tok};
  Node *lit = ast_literal(ast, kind == T_MONEY ? AST_MONEY : kind == T_DATE ? AST_DATE : AST_NUM, tok);
  b.v = negative ? -lit->num : lit->num;
  return b;
}

Bound ast_bound_name(Tok name) {
  return (Bound){.present = true, .named = true, .kind = T_ERR, .tok = name};
}

void ast_list_add(NodeList *l, Node *n) {
  if (l->tail) l->tail->next = n; else l->head = n;
  l->tail = n;
}

void ast_decl_add(DeclList *l, Decl *d) {
  if (l->tail) l->tail->next = d; else l->head = d;
  l->tail = d;
}

Decl *ast_decl(Ast *ast, DeclKind k, Tok tok) {
  Decl *d = ast_alloc(ast, sizeof *d);
  d->kind = (uint8_t)k;
  d->tok = tok;
  d->name = tok;
  return d;
}

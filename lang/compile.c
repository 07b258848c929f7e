/*
** compile.c — see compile.h.  Emits each let, points, category total and
** the score as a subroutine the VM runs at most once per record, then a
** main sequence that forces every total and climbs the tier ladder.  The
** tree is compiled twice: plain code for eval, and traced code whose TRACE
** instructions record what explain reports.  Nothing here looks at the
** records; nothing in the VM looks at the tree.
*/
#include "compile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runtime/date.h"
#include "format.h"
#include "../runtime/records.h"

static const int effect[] = {
#define OPCODE(name, words, eff, meaning) eff,
#include "../runtime/opcodes.h"
#undef OPCODE
};

typedef struct Cg {
  Checker *ck;
  Program *p;
  Code *code;
  int cap;
  bool traced;
  int depth, maxdepth;      /* within the subroutine being emitted */
  int stack_total;
  int nlocals;
  int slot;                 /* the subroutine being emitted, -1 for main */
  Pos pos;
  int sites_cap, consts_cap;
  int *ctab;                /* constant interning: open addressing, index + 1 */
  size_t ctabcap;           /* a power of two, at least twice nconsts */
  bool too_large;           /* a limit of the code format was passed (reported) */
  Tok where;                /* the declaration being compiled, for that report */
  bool in_call;             /* compiling a fn's body, inlined at `call` */
  Pos call;
  bool in_agg;              /* compiling an aggregate's condition */
  bool guarded;             /* ... inside a comparison whose optional
                               activity fields are known set (compare_guarded) */
} Cg;

static char *xstrdup(const char *s) {
  char *d = strdup(s ? s : "");
  if (!d) abort();
  return d;
}

static char *xstrndup(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (!d) abort();
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

static int file_index(Cg *cg, const Source *src) {
  int i = 0;
  for (const Source *s = cg->ck->ast->sources; s; s = s->next, i++)
    if (s == src) return i;
  return 0;
}

static void at(Cg *cg, Tok t) {
  if (!t.src) return;
  cg->pos = (Pos){file_index(cg, t.src), t.line, t.col};
  cg->where = t;
}

/* The bytecode's fields are fixed (runtime/program.h): an operand has 24
   bits, so code may hold PROGRAM_MAX_CODE words (a jump must name its
   target) and an instruction may name INSN_A_MAX + 1 constants, slots,
   locals and so on.  Past either, the program cannot be compiled: say so,
   where the compiler was, and never cut an operand short. */
static void too_large(Cg *cg, const char *what) {
  if (cg->too_large) return;
  cg->too_large = true;
  Tok t = cg->where;
  Diag *d = diag_add(cg->ck->dl, R0109, t.src ? t.src : cg->ck->ast->sources, t.src ? t.line : 1,
                     t.src ? t.col : 1, t.src ? t.n : 1,
                     "the compiled program needs more than %ld %s, the most its bytecode can hold",
                     what ? (long)INSN_A_MAX + 1 : (long)PROGRAM_MAX_CODE, what ? what : "words of code");
  diag_hint(d, "this is where the limit was reached: split the program, or use fewer or "
            "smaller bands, tiers, tracks and functions");
}

static const char *operand_kind(OpCode op) {
  switch (op) {
  case OP_CONST: return "constants";
  case OP_SLOT: case OP_RET: return "lets, points and totals";
  case OP_LOCAL: case OP_SETLOCAL: return "local values";
  case OP_TRACE: return "traced sites";
  case OP_JMP: case OP_JMPF: case OP_JFK: case OP_JTK: return NULL;
  default: return "table entries";
  }
}

static int word(Cg *cg, uint32_t w) {
  Code *c = cg->code;
  if (c->n >= PROGRAM_MAX_CODE || cg->too_large) {   /* write nothing more */
    too_large(cg, NULL);
    return 0;
  }
  if (c->n == cg->cap) {
    cg->cap = cg->cap ? cg->cap * 2 : 256;
    c->words = realloc(c->words, (size_t)cg->cap * sizeof *c->words);
    c->pos = realloc(c->pos, (size_t)cg->cap * sizeof *c->pos);
    if (!c->words || !c->pos) abort();
  }
  c->words[c->n] = w;
  c->pos[c->n] = cg->pos;
  return c->n++;
}

static int emit(Cg *cg, OpCode op, int a) {
  if (a < 0 || a > INSN_A_MAX) too_large(cg, operand_kind(op));
  cg->depth += effect[op];
  if (cg->depth > cg->maxdepth) cg->maxdepth = cg->depth;
  return word(cg, INSN(op, a));
}

static void emit2(Cg *cg, OpCode op, int a, int b) {
  emit(cg, op, a);
  word(cg, (uint32_t)b);
}

static void patch(Cg *cg, int at_word, int target) {
  if (target > INSN_A_MAX) too_large(cg, NULL);
  if (cg->too_large) return;
  uint32_t *w = &cg->code->words[at_word];
  *w = INSN(INSN_OP(*w), target);
}

static int here(Cg *cg) { return cg->code->n; }

/* FNV-1a over a text's bytes, then splitmix64's finaliser, which spreads
   numbers that differ only in high bits (decimals are multiples of 10^6). */
static uint64_t const_hash(int64_t n, const char *s) {
  uint64_t h = (uint64_t)n;
  if (s) {
    h ^= 14695981039346656037u;
    for (int64_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211u;
  }
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9u;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebu;
  return h ^ (h >> 31);
}

static bool const_equal(const Value *v, int64_t n, const char *s) {
  return v->n == n && (s ? v->s && memcmp(s, v->s, (size_t)n) == 0 : !v->s);
}

static void const_insert(Cg *cg, int index) {
  const Value *v = &cg->p->consts[index];
  size_t mask = cg->ctabcap - 1, i = const_hash(v->n, v->s) & mask;
  while (cg->ctab[i]) i = (i + 1) & mask;
  cg->ctab[i] = index + 1;
}

/* The pool index of a constant, adding it once: a hash table keeps this
   constant time, so compiling 100,000 band rows is linear (it was a
   linear search, quadratic in the program's size). */
static int constant(Cg *cg, int64_t n, const char *s) {
  Program *p = cg->p;
  if ((size_t)p->nconsts * 2 >= cg->ctabcap) {
    free(cg->ctab);
    cg->ctabcap = cg->ctabcap ? cg->ctabcap * 2 : 256;
    cg->ctab = calloc(cg->ctabcap, sizeof *cg->ctab);
    if (!cg->ctab) abort();
    for (int i = 0; i < p->nconsts; i++) const_insert(cg, i);
  }
  size_t mask = cg->ctabcap - 1;
  for (size_t i = const_hash(n, s) & mask; cg->ctab[i]; i = (i + 1) & mask)
    if (const_equal(&p->consts[cg->ctab[i] - 1], n, s)) return cg->ctab[i] - 1;
  if (p->nconsts == cg->consts_cap) {
    cg->consts_cap = cg->consts_cap ? cg->consts_cap * 2 : 64;
    p->consts = realloc(p->consts, (size_t)cg->consts_cap * sizeof *p->consts);
    if (!p->consts) abort();
  }
  p->consts[p->nconsts] = (Value){n, s ? xstrndup(s, (size_t)n) : NULL};
  const_insert(cg, p->nconsts);
  return p->nconsts++;
}

static int site(Cg *cg, SiteKind kind, const Node *n, Tok t, int index) {
  Program *p = cg->p;
  if (p->nsites == cg->sites_cap) {
    cg->sites_cap = cg->sites_cap ? cg->sites_cap * 2 : 64;
    p->sites = realloc(p->sites, (size_t)cg->sites_cap * sizeof *p->sites);
    if (!p->sites) abort();
  }
  const Source *src = n ? n->tok.src : t.src;
  /* The site's text in canonical form (as rubric fmt writes it), so what
     explain shows does not depend on how the program is laid out. */
  char *text = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&text, &len);
  if (!m) abort();
  if (n && n->kind == AST_ROW) {
    fmt_band_row_head(m, n);
    fputs(" => ", m);
    fmt_expr(m, n->a);
  } else if (n) {
    fmt_expr(m, n);
  } else {
    fwrite(t.p, 1, (size_t)t.n, m);
  }
  fclose(m);
  p->sites[p->nsites] = (SiteInfo){
      .kind = (uint8_t)kind, .slot = cg->slot, .index = index, .file = file_index(cg, src),
      .line = n ? n->tok.line : t.line, .col = n ? n->tok.col : t.col, .text = text,
      .call = {-1, 0, 0}};
  if (cg->in_call) {
    p->sites[p->nsites].call.file = cg->call.file;
    p->sites[p->nsites].call.line = cg->call.line;
    p->sites[p->nsites].call.col = cg->call.col;
  }
  return p->nsites++;
}

static void trace(Cg *cg, SiteKind kind, const Node *n, Tok t) {
  if (cg->traced) emit(cg, OP_TRACE, site(cg, kind, n, t, -1));
}

static int new_local(Cg *cg) { return cg->nlocals++; }

/* ---- expressions ------------------------------------------------------------ */

static void expr(Cg *cg, const Node *n);

static int jump(Cg *cg, OpCode op);

/* Pushes param `param`'s value: a keyed param's for the record's member. */
static void load_param(Cg *cg, int param) {
  const ParamInfo *pi = &cg->p->params[param];
  if (pi->keyfield < 0) emit(cg, OP_PARAM, pi->base);
  else emit2(cg, OP_PARAMK, pi->base, pi->keyfield);
}

/* Pushes a bound: its literal, or the run's value of the param it names. */
static void load_bound(Cg *cg, const Bound *b) {
  if (b->named && b->param) load_param(cg, b->param->index);
  else emit(cg, OP_CONST, constant(cg, b->v, NULL));
}

static void load_name(Cg *cg, const Node *n) {
  if (n->local >= 0) { emit(cg, OP_LOCAL, n->local); return; }
  Sym *s = n->sym;
  switch (s->kind) {
  case SYM_FIELD:
    if (n->num && s->decl->optional && !cg->p->fields[s->index].key) {
      /* an optional let's value from an optional field: unset passes on */
      emit(cg, OP_ISSET, s->index);
      int unset = jump(cg, OP_JMPF);
      int base = cg->depth;
      emit(cg, OP_FIELD, s->index);
      int end = jump(cg, OP_JMP);
      cg->depth = base;
      patch(cg, unset, here(cg));
      emit(cg, OP_UNSET, 0);
      patch(cg, end, here(cg));
    } else {
      emit(cg, OP_FIELD, s->index);
    }
    break;
  case SYM_PARAM: load_param(cg, s->index); break;
  case SYM_BENEFIT: emit(cg, OP_BENEFIT, s->index); break;
  case SYM_AFIELD:
    if (s->decl->optional && !cg->guarded) {   /* unset reads as false (docs/language.md) */
      emit(cg, OP_AISSET, s->index);
      int unset = jump(cg, OP_JMPF);
      int base = cg->depth;
      emit(cg, OP_AFIELD, s->index);
      int end = jump(cg, OP_JMP);
      cg->depth = base;
      patch(cg, unset, here(cg));
      emit(cg, OP_AUNSET, s->index);
      patch(cg, end, here(cg));
    } else {
      emit(cg, OP_AFIELD, s->index);
    }
    break;
  default: emit(cg, OP_SLOT, s->slot); break;
  }
}

/* ---- aggregates of activities ---------------------------------------------------- */

/* The conditions an aggregate's `where` joins with `and`, left to right:
   explain reports each one's outcome.  Returns how many; out gets at
   most max. */
static int conjuncts(const Node *n, const Node **out, int max, int k) {
  if (n->kind == AST_AND) return conjuncts(n->b, out, max, conjuncts(n->a, out, max, k));
  if (k < max) out[k] = n;
  return k + 1;
}

/* The optional activity fields n reads, other than through `is set` or
   `default`, each once, into fields[0..*nf). */
static void optional_reads(const Node *n, int *fields, int *nf, int max) {
  for (; n; n = n->next) {
    if (n->kind == AST_ISSET || n->kind == AST_DEFAULT) { optional_reads(n->b, fields, nf, max); continue; }
    if (n->kind == AST_NAME && n->local < 0 && n->sym && n->sym->kind == SYM_AFIELD && n->sym->decl->optional) {
      bool seen = false;
      for (int i = 0; i < *nf; i++) seen |= fields[i] == n->sym->index;
      if (!seen && *nf < max) fields[(*nf)++] = n->sym->index;
    }
    if (n->kind == AST_CALL && n->c) { optional_reads(n->b, fields, nf, max); continue; }
    optional_reads(n->a, fields, nf, max);
    optional_reads(n->b, fields, nf, max);
    optional_reads(n->c, fields, nf, max);
  }
}

static void expr_node(Cg *cg, const Node *n);

/* A comparison in an aggregate's condition that reads optional activity
   fields is false for an activity where one of them is unset: each is
   tested first, and an unset one pushes false (AUNSET, which traced code
   notes for explain). */
static void compare_guarded(Cg *cg, const Node *n) {
  int fields[ACT_MAX_FIELDS], nf = 0;
  optional_reads(n->a, fields, &nf, ACT_MAX_FIELDS);
  optional_reads(n->b, fields, &nf, ACT_MAX_FIELDS);   /* the other side; IN's list */
  optional_reads(n->c, fields, &nf, ACT_MAX_FIELDS);
  if (nf == 0) { expr_node(cg, n); return; }
  int unset[ACT_MAX_FIELDS];
  for (int i = 0; i < nf; i++) {
    emit(cg, OP_AISSET, fields[i]);
    unset[i] = jump(cg, OP_JMPF);
  }
  int base = cg->depth;
  cg->guarded = true;
  expr_node(cg, n);
  cg->guarded = false;
  int ends[ACT_MAX_FIELDS];
  ends[0] = jump(cg, OP_JMP);
  for (int i = 0; i < nf; i++) {
    cg->depth = base;
    patch(cg, unset[i], here(cg));
    emit(cg, OP_AUNSET, fields[i]);
    if (i + 1 < nf) ends[i + 1] = jump(cg, OP_JMP);
  }
  for (int i = 0; i < nf; i++) patch(cg, ends[i], here(cg));
}

/* An aggregate: a loop over the record's activities (AGGBEGIN, the
   condition, AGGNEXT back to it), then its value (AGGEND).  In traced
   code each of the condition's `and`-joined parts is noted (ACOND). */
static void aggregate(Cg *cg, const Node *n) {
  int a = n->local;
  int begin = here(cg);
  emit2(cg, OP_AGGBEGIN, a, 0);
  int loop = here(cg);
  bool saved = cg->in_agg;
  cg->in_agg = true;
  if (!n->a) {
    emit(cg, OP_CONST, constant(cg, 1, NULL));
  } else if (!cg->traced) {
    expr(cg, n->a);
  } else {
    const Node *parts[256];
    int np = conjuncts(n->a, parts, 256, 0);
    if (np > 256) {   /* too many parts to note one by one: the whole */
      expr(cg, n->a);
      emit(cg, OP_ACOND, 0);
    } else {
      int fails[256];
      for (int i = 0; i < np; i++) {
        expr(cg, parts[i]);
        emit(cg, OP_ACOND, i);
        if (i + 1 < np) fails[i] = jump(cg, OP_JFK);
      }
      for (int i = 0; i + 1 < np; i++) patch(cg, fails[i], here(cg));
    }
  }
  cg->in_agg = saved;
  at(cg, n->tok);
  emit2(cg, OP_AGGNEXT, a, loop);
  if (!cg->too_large) cg->code->words[begin + 1] = (uint32_t)here(cg);
  emit(cg, OP_AGGEND, a);
}

/* `x in WINDOW` (or `in period`): start <= x <= end, x computed once. */
static void in_window(Cg *cg, const Node *n) {
  int t = new_local(cg);
  expr(cg, n->a);
  emit(cg, OP_SETLOCAL, t);
  emit(cg, OP_LOCAL, t);
  if (n->b) expr(cg, n->b);
  else emit(cg, OP_RUNDATE, 1);
  emit(cg, OP_GE, 0);
  int j = jump(cg, OP_JFK);
  emit(cg, OP_LOCAL, t);
  if (n->c) expr(cg, n->c);
  else emit(cg, OP_RUNDATE, 2);
  emit(cg, OP_LE, 0);
  patch(cg, j, here(cg));
}

static int jump(Cg *cg, OpCode op) { return emit(cg, op, 0); }

/* floor, ceil or round of a division (Node.quot), and where the call
   itself stands: in a fn's body inlined at `call`, or not (in_call). */
typedef struct Rounding { const Node *round; bool in_call; Pos call; } Rounding;

static void quotient(Cg *cg, const Node *n, const Rounding *round);

/* A fn's call: its arguments into locals, then this call's body, or (for
   floor, ceil or round of the call) the body's division rounded once. */
static void fn_call(Cg *cg, const Node *n, const Rounding *round) {
  for (const Node *a = n->b; a; a = a->next) {
    expr(cg, a);
    emit(cg, OP_SETLOCAL, a->argslot);
  }
  /* The body's sites remember this call (the outermost one), so explain
     and coverage can name the place in the program that used the fn. */
  bool outer = !cg->in_call;
  if (outer) {
    cg->in_call = true;
    cg->call = (Pos){file_index(cg, n->tok.src), n->tok.line, n->tok.col};
  }
  if (round) quotient(cg, n->c, round);
  else expr(cg, n->c);
  if (outer) cg->in_call = false;
}

/* One of the call's two trace sites: where it stands, not where the
   division in a fn's body does. */
static int quot_site(Cg *cg, const Rounding *r, int dividend) {
  bool in_call = cg->in_call;
  Pos call = cg->call;
  cg->in_call = r->in_call;
  cg->call = r->call;
  int s = site(cg, SITE_QUOT, r->round, r->round->tok, dividend);
  const Node *q = r->round->quot;
  cg->p->sites[s].money = (uint8_t)((q->a->ty.kind == T_MONEY) | (q->b->ty.kind == T_MONEY) << 1);
  cg->in_call = in_call;
  cg->call = call;
  return s;
}

/* floor, ceil or round (r->round) of n, whose value is the division
   r->round->quot, reached through the fns n calls: the division's
   operands, then one instruction that rounds their exact quotient. */
static void quotient(Cg *cg, const Node *n, const Rounding *r) {
  if (n != r->round->quot) { fn_call(cg, n, r); return; }
  static const OpCode ops[] = {[3] = OP_DIVFLOOR, [4] = OP_DIVCEIL, [5] = OP_DIVROUND};
  const Node *places = r->round->b->next;
  expr(cg, n->a);
  int dividend = -1;   /* explain shows the exact quotient of the two */
  if (cg->traced) emit(cg, OP_TRACE, dividend = quot_site(cg, r, -1));
  expr(cg, n->b);
  if (cg->traced) emit(cg, OP_TRACE, quot_site(cg, r, dividend));
  at(cg, n->b->tok);   /* as a division: a zero divisor is named */
  emit(cg, ops[r->round->num], places ? (int)(places->num / DEC_SCALE) : 0);
}

static void call(Cg *cg, const Node *n) {
  if (n->sym) { fn_call(cg, n, NULL); return; }
  if (n->quot) {
    Rounding r = {n, cg->in_call, cg->call};
    quotient(cg, n->b, &r);
    return;
  }
  static const OpCode unary[] = {0, 0, 0, OP_FLOOR, OP_CEIL, OP_ROUND, OP_ABS};
  int which = (int)n->num;
  expr(cg, n->b);
  at(cg, n->tok);   /* a failure (floor's overflow, say) names the call */
  switch (which) {
  case 0: case 1:
    for (const Node *a = n->b->next; a; a = a->next) {
      expr(cg, a);
      emit(cg, which == 0 ? OP_MIN : OP_MAX, 0);
    }
    break;
  case 2:
    expr(cg, n->b->next);
    emit(cg, OP_MAX, 0);
    expr(cg, n->b->next->next);
    emit(cg, OP_MIN, 0);
    break;
  case 5:
    emit(cg, OP_ROUND, n->b->next ? (int)(n->b->next->num / DEC_SCALE) : 0);
    break;
  default:
    emit(cg, unary[which], 0);
    break;
  }
}

/* Rows with an upper end are tried lowest first, and the first that holds
   wins; rows with a lower end highest first (the last row that holds, in
   the order written, wins).  Either way one comparison a row. */
static void band(Cg *cg, const Node *n) {
  int t = new_local(cg), nrows = 0;
  expr(cg, n->a);
  emit(cg, OP_SETLOCAL, t);
  for (const Node *r = n->b; r; r = r->next) nrows++;
  const Node **rows = malloc(sizeof *rows * (size_t)nrows);
  int *ends = malloc(sizeof(int) * (size_t)(nrows + 1)), k = 0;
  if (!ends || !rows) abort();
  bool from = n->b->rowkind == ROW_FROM;
  /* explain and coverage list the rows as written: their sites are made
     in that order, whichever order the code tries them in */
  int *sites = malloc(sizeof(int) * (size_t)nrows), i = 0;
  if (!sites) abort();
  for (const Node *r = n->b; r; r = r->next, i++) {
    rows[from ? nrows - 1 - i : i] = r;
    if (cg->traced) sites[from ? nrows - 1 - i : i] = site(cg, SITE_ROW, r, r->tok, -1);
  }
  int base = cg->depth;
  for (i = 0; i < nrows; i++) {
    const Node *r = rows[i];
    at(cg, r->tok);
    emit(cg, OP_LOCAL, t);
    load_bound(cg, &r->bound);
    emit(cg, r->rowkind == ROW_FROM ? OP_GE : r->rowkind == ROW_BELOW ? OP_LT : OP_LE, 0);
    int next = jump(cg, OP_JMPF);
    expr(cg, r->a);
    if (cg->traced) emit(cg, OP_TRACE, sites[i]);   /* after the row's value: TRACE reads the top */
    ends[k++] = jump(cg, OP_JMP);
    cg->depth = base;
    patch(cg, next, here(cg));
  }
  if (n->c) {
    expr(cg, n->c);
    trace(cg, SITE_ELSE, n->c, n->c->tok);
  } else {
    at(cg, n->tok);
    emit(cg, OP_NOMATCH, 0);
  }
  for (i = 0; i < k; i++) patch(cg, ends[i], here(cg));
  free(ends);
  free(rows);
  free(sites);
}

/* `x default v`: x, or v when x has no value.  x is an optional field
   (ISSET, then FIELD) or an optional let or output (its slot, kept in a
   local, and VALSET). */
static int slot_is_set(Cg *cg, int slot);

static void fallback(Cg *cg, const Node *n) {
  const Sym *s = n->a->sym;
  int t = -1;
  if (n->a->kind == AST_AGG) {   /* min or max of activities */
    t = new_local(cg);
    aggregate(cg, n->a);
    emit(cg, OP_SETLOCAL, t);
    emit(cg, OP_LOCAL, t);
    emit(cg, OP_VALSET, 0);
  } else if (s->kind == SYM_AFIELD) {
    emit(cg, OP_AISSET, s->index);
  } else if (s->kind == SYM_FIELD) {
    emit(cg, OP_ISSET, s->index);
  } else {
    t = slot_is_set(cg, s->slot);
  }
  int j = jump(cg, OP_JMPF);
  int base = cg->depth;
  if (t >= 0) emit(cg, OP_LOCAL, t);
  else emit(cg, s->kind == SYM_AFIELD ? OP_AFIELD : OP_FIELD, s->index);
  int end = jump(cg, OP_JMP);
  cg->depth = base;
  patch(cg, j, here(cg));
  expr(cg, n->b);
  patch(cg, end, here(cg));
}

/* `tier >= gold` and the like: a tier is above another only on one ladder,
   and none is below every tier.  The tiers of a ladder have consecutive
   indexes, lowest first, so each comparison with a named tier is one
   range of indexes, perhaps with none (TIERIN); != is = negated. */
static void tier_compare(Cg *cg, const Node *n) {
  const Node *v = n->a, *lit = n->b;
  int op = n->kind;
  if (v->kind == AST_TIERLIT && lit->kind != AST_TIERLIT) {   /* gold <= tier: tier >= gold */
    v = n->b;
    lit = n->a;
    op = op == AST_LT ? AST_GT : op == AST_GT ? AST_LT : op == AST_LE ? AST_GE : op == AST_GE ? AST_LE : op;
  }
  const SymVec *tiers = &cg->ck->tiers;
  int x = (int)lit->num, first = 0, last = tiers->n - 1;
  if (x >= 0) {
    first = last = x;
    while (first > 0 && tiers->v[first - 1]->track == tiers->v[x]->track) first--;
    while (last + 1 < tiers->n && tiers->v[last + 1]->track == tiers->v[x]->track) last++;
  }
  int lo = 1, hi = 0;     /* empty */
  bool none = false;
  switch (op) {
  case AST_EQ: case AST_NE:
    if (x >= 0) lo = hi = x;
    else none = true;
    break;
  case AST_GE: lo = x >= 0 ? x : 0; hi = last; none = x < 0; break;
  case AST_GT: lo = x >= 0 ? x + 1 : 0; hi = last; break;
  case AST_LE: if (x >= 0) { lo = first; hi = x; } none = true; break;
  case AST_LT: if (x >= 0) { lo = first; hi = x - 1; none = true; } break;
  }
  if (lo > hi) { lo = 0; hi = -1; }
  expr(cg, v);
  at(cg, n->tok);
  emit2(cg, OP_TIERIN, lo | (none ? TIERIN_NONE : 0), hi);
  if (op == AST_NE) emit(cg, OP_NOT, 0);
}

static void expr(Cg *cg, const Node *n) {
  if (cg->in_agg && !cg->guarded &&
      ((n->kind >= AST_EQ && n->kind <= AST_GE) || n->kind == AST_IN || n->kind == AST_INRANGE ||
       n->kind == AST_INWIN)) {
    compare_guarded(cg, n);
    return;
  }
  expr_node(cg, n);
}

static void expr_node(Cg *cg, const Node *n) {
  at(cg, n->tok);
  switch (n->kind) {
  case AST_NUM: case AST_MONEY: case AST_DATE: case AST_BOOL: case AST_ENUMLIT:
    emit(cg, OP_CONST, constant(cg, n->num, NULL));
    break;
  case AST_STR:
    emit(cg, OP_CONST, constant(cg, (int64_t)strlen(n->str), n->str));
    break;
  case AST_NAME: load_name(cg, n); break;
  case AST_DOT: emit(cg, OP_SLOT, n->sym->slot); break;
  case AST_NEG: expr(cg, n->a); emit(cg, OP_NEG, 0); break;
  case AST_NOT: expr(cg, n->a); emit(cg, OP_NOT, 0); break;
  case AST_ADD: case AST_SUB: {
    uint8_t ka = n->a->ty.kind, kb = n->b->ty.kind;
    if (ka == T_DATE && kb == T_DATE) {
      expr(cg, n->a);
      expr(cg, n->b);
      at(cg, n->tok);
      emit(cg, OP_DATEDIFF, 0);
    } else if (ka == T_DATE || kb == T_DATE) {
      const Node *date = ka == T_DATE ? n->a : n->b, *dur = ka == T_DATE ? n->b : n->a;
      expr(cg, date);
      expr(cg, dur);
      if (n->kind == AST_SUB) emit(cg, OP_NEG, 0);
      at(cg, n->tok);
      emit(cg, dur->ty.kind == T_MONTHS ? OP_ADDMONTHS : OP_ADDDAYS, 0);
    } else {
      expr(cg, n->a);
      expr(cg, n->b);
      at(cg, n->tok);
      emit(cg, n->kind == AST_ADD ? OP_ADD : OP_SUB, 0);
    }
    break;
  }
  case AST_MUL: case AST_DIV:
    expr(cg, n->a);
    expr(cg, n->b);
    at(cg, n->b->tok);
    emit(cg, n->kind == AST_MUL ? OP_MUL : OP_DIV, 0);
    break;
  case AST_TIERVAL: emit(cg, OP_TIERVAL, 0); break;
  case AST_UNSET: emit(cg, OP_UNSET, 0); break;
  case AST_TIERLIT: emit(cg, OP_CONST, constant(cg, n->num, NULL)); break;
  case AST_EQ: case AST_NE: case AST_LT: case AST_LE: case AST_GT: case AST_GE: {
    if (n->a->ty.kind == T_TIER && (n->a->kind == AST_TIERLIT || n->b->kind == AST_TIERLIT)) {
      tier_compare(cg, n);
      break;
    }
    static const OpCode ops[] = {OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE};
    expr(cg, n->a);
    expr(cg, n->b);
    bool text = n->a->ty.kind == T_TEXT;
    OpCode op = ops[n->kind - AST_EQ];
    if (text) op = n->kind == AST_EQ ? OP_TEQ : OP_TNE;
    emit(cg, op, 0);
    break;
  }
  case AST_AND: case AST_OR: {
    expr(cg, n->a);
    int j = jump(cg, n->kind == AST_AND ? OP_JFK : OP_JTK);
    expr(cg, n->b);
    patch(cg, j, here(cg));
    break;
  }
  case AST_IF: {
    expr(cg, n->a);
    trace(cg, SITE_IF, n->a, n->tok);
    int j = jump(cg, OP_JMPF);
    int base = cg->depth;
    expr(cg, n->b);
    int end = jump(cg, OP_JMP);
    cg->depth = base;
    patch(cg, j, here(cg));
    expr(cg, n->c);
    patch(cg, end, here(cg));
    break;
  }
  case AST_BAND: band(cg, n); break;
  case AST_IN: {
    int t = new_local(cg);
    expr(cg, n->a);
    emit(cg, OP_SETLOCAL, t);
    int njumps = 0, *jumps = NULL;
    for (const Node *e = n->b; e; e = e->next) {
      emit(cg, OP_LOCAL, t);
      expr(cg, e);
      emit(cg, n->a->ty.kind == T_TEXT ? OP_TEQ : OP_EQ, 0);
      if (e->next) {
        jumps = realloc(jumps, sizeof(int) * (size_t)(njumps + 1));
        if (!jumps) abort();
        jumps[njumps++] = jump(cg, OP_JTK);
      }
    }
    for (int i = 0; i < njumps; i++) patch(cg, jumps[i], here(cg));
    free(jumps);
    break;
  }
  case AST_INRANGE: {
    int t = new_local(cg);
    expr(cg, n->a);
    emit(cg, OP_SETLOCAL, t);
    emit(cg, OP_LOCAL, t);
    load_bound(cg, &n->range.lo);
    emit(cg, OP_GE, 0);
    int j = jump(cg, OP_JFK);
    emit(cg, OP_LOCAL, t);
    load_bound(cg, &n->range.hi);
    emit(cg, OP_LE, 0);
    patch(cg, j, here(cg));
    break;
  }
  case AST_CALL: call(cg, n); break;
  case AST_AGG: aggregate(cg, n); break;
  case AST_RUNDATE: emit(cg, OP_RUNDATE, (int)n->num); break;
  case AST_INWIN: in_window(cg, n); break;
  case AST_ISSET:
    if (n->a->kind == AST_AGG) {
      aggregate(cg, n->a);
      emit(cg, OP_VALSET, 0);
    } else if (n->a->sym->kind == SYM_AFIELD) {
      emit(cg, OP_AISSET, n->a->sym->index);
    } else if (n->a->sym->kind != SYM_FIELD) {   /* an optional let or output */
      emit(cg, OP_SLOT, n->a->sym->slot);
      emit(cg, OP_VALSET, 0);
    } else {
      emit(cg, OP_ISSET, n->a->sym->index);
    }
    break;
  case AST_DEFAULT: fallback(cg, n); break;
  case AST_DAYS: case AST_MONTHS: expr(cg, n->a); break;
  default: break;
  }
}

/* ---- subroutines and the main sequence --------------------------------------- */

static void begin(Cg *cg, int slot) {
  cg->slot = slot;
  cg->depth = cg->maxdepth = 0;
  if (slot >= 0) cg->code->entry[slot] = here(cg);
}

static void end(Cg *cg) { cg->stack_total += cg->maxdepth + 1; }

/* A cap or range's end: its literal, or the run's value of its param. */
static void cap_end(Cg *cg, Dec literal, int param) {
  if (param >= 0) load_param(cg, param);
  else emit(cg, OP_CONST, constant(cg, literal, NULL));
}

/* Clamps the top of the stack to a cap: max with the low end, then min
   with the high end (so an empty range, which the rules forbid, would
   give its high end). */
static void cap(Cg *cg, bool has_lo, Dec lo, int lo_param, bool has_hi, Dec hi, int hi_param) {
  if (has_lo) { cap_end(cg, lo, lo_param); emit(cg, OP_MAX, 0); }
  if (has_hi) { cap_end(cg, hi, hi_param); emit(cg, OP_MIN, 0); }
}

/* Sums: SLOT each addend, ADD after the first; 0 when there is none. */
static void add_slot(Cg *cg, int slot, int *k) {
  emit(cg, OP_SLOT, slot);
  if ((*k)++) emit(cg, OP_ADD, 0);
}

/* Pushes whether slot has a value (an optional one may be unset), keeping
   the value in a new local, which it returns. */
static int slot_is_set(Cg *cg, int slot) {
  int t = new_local(cg);
  emit(cg, OP_SLOT, slot);
  emit(cg, OP_SETLOCAL, t);
  emit(cg, OP_LOCAL, t);
  emit(cg, OP_VALSET, 0);
  return t;
}

/* Optional points add nothing to their category when unset: the slot's
   value if it has one, else 0. */
static void add_points(Cg *cg, const Sym *s, int *k) {
  if (!s->decl->optional) { add_slot(cg, s->slot, k); return; }
  int t = slot_is_set(cg, s->slot);
  int zero = jump(cg, OP_JMPF);
  int base = cg->depth;
  emit(cg, OP_LOCAL, t);
  int end = jump(cg, OP_JMP);
  cg->depth = base;
  patch(cg, zero, here(cg));
  emit(cg, OP_CONST, constant(cg, 0, NULL));
  patch(cg, end, here(cg));
  if ((*k)++) emit(cg, OP_ADD, 0);
}

static void end_sum(Cg *cg, int k) {
  if (!k) emit(cg, OP_CONST, constant(cg, 0, NULL));
}

static void raw_site(Cg *cg, int slot, Tok t) {
  if (!cg->traced) return;
  int s = site(cg, SITE_RAW, NULL, t, -1);
  cg->p->slots[slot].site = s;
  emit(cg, OP_TRACE, s);
}

/* No demotion: after the ladder, a record whose floor (`tiers floor
   held { ... }`) names a tier above the one it earned gets that tier.  Per
   value of the floor's choice: `held = m` -> if tier < T(m), TIER T(m);
   a value that is none, or an unset optional field, changes nothing.  The
   ladder's indexes rise, and no tier is -1, so `<` is the ladder's order.
   The traced code records the held tier (SITE_FLOOR) for explain. */
static void floor_code(Cg *cg, const Sym *track, int t) {
  Checker *ck = cg->ck;
  Decl *ladder = chk_track_tiers(ck, (Sym *)track);
  if (!ladder || !ladder->expr) return;
  Node *n = ladder->expr;
  int end_unset = -1;
  if (n->sym && n->sym->decl && n->sym->decl->optional) {   /* unset: no floor */
    at(cg, n->tok);
    if (n->sym->kind == SYM_FIELD) {
      emit(cg, OP_ISSET, n->sym->index);
    } else {
      emit(cg, OP_SLOT, n->sym->slot);
      emit(cg, OP_VALSET, 0);
    }
    end_unset = jump(cg, OP_JMPF);
  }
  int held = new_local(cg);
  expr(cg, n);
  emit(cg, OP_SETLOCAL, held);
  const Decl *owner = ck->choices.v[n->ty.en]->decl;
  int nmembers = 0;
  for (const Node *m = owner->members; m; m = m->next) nmembers++;
  int *ends = malloc(sizeof(int) * (size_t)(2 * nmembers + 1)), nends = 0, k = 0;
  if (!ends) abort();
  int site_no = cg->traced ? site(cg, SITE_FLOOR, n, n->tok, t) : -1;
  for (const Node *m = owner->members; m; m = m->next, k++) {
    const Decl *tier = chk_ladder_tier(ladder, m->tok);
    if (!tier || !tier->sym) continue;   /* none */
    int ti = tier->sym->index;
    emit(cg, OP_LOCAL, held);
    emit(cg, OP_CONST, constant(cg, k, NULL));
    emit(cg, OP_EQ, 0);
    int next = jump(cg, OP_JMPF);
    if (cg->traced) {
      emit(cg, OP_CONST, constant(cg, ti, NULL));
      emit(cg, OP_TRACE, site_no);
      emit(cg, OP_POP, 0);
    }
    emit(cg, OP_TIERVAL, 0);
    emit(cg, OP_CONST, constant(cg, ti, NULL));
    emit(cg, OP_LT, 0);
    ends[nends++] = jump(cg, OP_JMPF);
    emit(cg, OP_TIER, ti);
    ends[nends++] = jump(cg, OP_JMP);
    patch(cg, next, here(cg));
  }
  for (int i = 0; i < nends; i++) patch(cg, ends[i], here(cg));
  if (end_unset >= 0) patch(cg, end_unset, here(cg));
  free(ends);
}

/* `tracks best score, ties first|last`: each track whose condition holds
   is a candidate, scored as the score subroutine would on it (the sum of
   its categories within its range; categories are slots, so one that two
   tracks use is computed once); the record goes to the candidate with the
   highest score, a tie to the first (or last) declared.  Leaves the chosen
   track's index, or -1, in the local it returns. */
static int best_track(Cg *cg) {
  Checker *ck = cg->ck;
  Program *p = cg->p;
  int best = new_local(cg), top = new_local(cg);
  emit(cg, OP_CONST, constant(cg, -1, NULL));
  emit(cg, OP_SETLOCAL, best);
  for (int t = 0; t < p->ntracks; t++) {
    const TrackInfo *ti = &p->tracks[t];
    Node *c = ck->tracks.v[t]->decl->expr;
    expr(cg, c);
    if (cg->traced) emit(cg, OP_TRACE, site(cg, SITE_TRACK, c, c->tok, t));
    int next = jump(cg, OP_JMPF);
    at(cg, ck->tracks.v[t]->decl->name);
    int k = 0;
    for (int i = 0; i < ti->ncats; i++) add_slot(cg, ti->cats[i], &k);
    end_sum(cg, k);
    if (ti->has_lo) { emit(cg, OP_CONST, constant(cg, ti->lo, NULL)); emit(cg, OP_MAX, 0); }
    if (ti->has_hi) { emit(cg, OP_CONST, constant(cg, ti->hi, NULL)); emit(cg, OP_MIN, 0); }
    if (cg->traced) emit(cg, OP_TRACE, site(cg, SITE_PATH, NULL, ck->tracks.v[t]->decl->name, t));
    int score = new_local(cg);
    emit(cg, OP_SETLOCAL, score);
    /* the first candidate, or a better one: score > top (ties last: >=) */
    emit(cg, OP_LOCAL, best);
    emit(cg, OP_CONST, constant(cg, 0, NULL));
    emit(cg, OP_LT, 0);
    int take = jump(cg, OP_JTK);
    emit(cg, OP_LOCAL, score);
    emit(cg, OP_LOCAL, top);
    emit(cg, p->track_choice == CHOOSE_BEST_TIES_LAST ? OP_GE : OP_GT, 0);
    patch(cg, take, here(cg));
    int keep = jump(cg, OP_JMPF);
    emit(cg, OP_CONST, constant(cg, t, NULL));
    emit(cg, OP_SETLOCAL, best);
    emit(cg, OP_LOCAL, score);
    emit(cg, OP_SETLOCAL, top);
    patch(cg, keep, here(cg));
    patch(cg, next, here(cg));
  }
  return best;
}

static void compile_variant(Cg *cg, bool traced) {
  Checker *ck = cg->ck;
  Program *p = cg->p;
  cg->traced = traced;
  cg->code = &p->code[traced];
  cg->cap = 0;
  cg->stack_total = 0;
  cg->nlocals = ck->nlocals;
  cg->code->entry = calloc((size_t)p->nslots, sizeof(int));
  if (!cg->code->entry) abort();

  /* Main: choose the track; force its categories (and so their points) and
     the score; climb its ladder; then its badges and the payouts. */
  begin(cg, -1);
  int *ends = malloc(sizeof(int) * (size_t)(p->ntracks + 1)), nends = 0;
  int *fails = malloc(sizeof(int) * (size_t)(p->ntiers + 1));
  if (!ends || !fails) abort();
  int best = p->track_choice != CHOOSE_FIRST ? best_track(cg) : -1;
  for (int t = 0; t < p->ntracks; t++) {
    const TrackInfo *ti = &p->tracks[t];
    int next = -1;
    if (best >= 0) {   /* the track best_track chose */
      emit(cg, OP_LOCAL, best);
      emit(cg, OP_CONST, constant(cg, t, NULL));
      emit(cg, OP_EQ, 0);
      next = jump(cg, OP_JMPF);
      at(cg, ck->tracks.v[t]->decl->name);
    } else if (!p->implicit_track) {
      Node *c = ck->tracks.v[t]->decl->expr;
      expr(cg, c);
      if (traced) emit(cg, OP_TRACE, site(cg, SITE_TRACK, c, c->tok, t));
      next = jump(cg, OP_JMPF);
      at(cg, ck->tracks.v[t]->decl->name);
    }
    emit(cg, OP_TRACK, t);
    for (int i = 0; i < ti->ncats; i++) {
      emit(cg, OP_SLOT, ti->cats[i]);
      emit(cg, OP_POP, 0);
    }
    emit(cg, OP_SLOT, p->score_slot);
    emit(cg, OP_POP, 0);
    int nfail = 0;
    for (int i = 0; i < ti->ntiers; i++) {
      int tier = ti->tiers[i];
      Node *c = ck->tiers.v[tier]->decl->expr;
      int try_at = traced ? here(cg) : -1;
      if (traced) emit2(cg, OP_TRY, 0, 0);   /* target and site patched below */
      expr(cg, c);
      if (traced) {
        int s = site(cg, SITE_TIER, c, c->tok, tier);
        emit(cg, OP_TRACE, s);
        emit(cg, OP_LADDER, tier);
        patch(cg, try_at, here(cg));
        cg->code->words[try_at + 1] = (uint32_t)s;
      } else {
        fails[nfail++] = jump(cg, OP_JMPF);
        emit(cg, OP_TIER, tier);
      }
    }
    for (int i = 0; i < nfail; i++) patch(cg, fails[i], here(cg));
    floor_code(cg, p->implicit_track ? NULL : ck->tracks.v[t], t);
    for (int i = 0; i < ti->nbadges; i++) {
      emit(cg, OP_SLOT, ti->badges[i]);
      emit(cg, OP_POP, 0);
    }
    for (int i = 0; i < p->npayouts; i++) {
      emit(cg, OP_SLOT, p->first_payout + i);
      emit(cg, OP_POP, 0);
    }
    for (int i = 0; i < p->noutputs; i++) {   /* the program's, and this track's own */
      int o = p->first_output + i;
      if (p->slots[o].track >= 0 && (p->implicit_track || p->slots[o].track != t)) continue;
      emit(cg, OP_SLOT, o);
      emit(cg, OP_POP, 0);
    }
    if (next >= 0) {
      ends[nends++] = jump(cg, OP_JMP);
      patch(cg, next, here(cg));
    }
  }
  for (int i = 0; i < nends; i++) patch(cg, ends[i], here(cg));
  emit(cg, OP_HALT, 0);
  free(ends);
  free(fails);
  end(cg);

  for (int i = 0; i < ck->points.n; i++) {
    Sym *s = ck->points.v[i];
    begin(cg, s->slot);
    expr(cg, s->decl->expr);
    at(cg, s->decl->name);
    raw_site(cg, s->slot, s->decl->name);
    const SlotInfo *si = &p->slots[s->slot];
    if (s->decl->optional) {   /* unset is returned as it is; a value is capped */
      int t = new_local(cg);
      emit(cg, OP_SETLOCAL, t);
      emit(cg, OP_LOCAL, t);
      emit(cg, OP_VALSET, 0);
      int capped = jump(cg, OP_JMPF);
      emit(cg, OP_LOCAL, t);
      cap(cg, si->has_lo, si->lo, si->lo_param, si->has_hi, si->hi, si->hi_param);
      emit(cg, OP_RET, s->slot);
      patch(cg, capped, here(cg));
      emit(cg, OP_LOCAL, t);
    } else {
      cap(cg, si->has_lo, si->lo, si->lo_param, si->has_hi, si->hi, si->hi_param);
    }
    emit(cg, OP_RET, s->slot);
    end(cg);
  }
  for (int i = 0; i < ck->categories.n; i++) {
    Sym *c = ck->categories.v[i];
    begin(cg, c->slot);
    at(cg, c->decl->name);
    int k = 0;
    for (int j = 0; j < c->npoints; j++) add_points(cg, ck->points.v[c->points0 + j], &k);
    end_sum(cg, k);
    raw_site(cg, c->slot, c->decl->name);
    const SlotInfo *ci = &p->slots[c->slot];
    cap(cg, ci->has_lo, ci->lo, ci->lo_param, ci->has_hi, ci->hi, ci->hi_param);
    emit(cg, OP_RET, c->slot);
    end(cg);
  }
  /* The score: the sum of the record's track's categories, within the
     track's range; a record on no track scores 0. */
  begin(cg, p->score_slot);
  for (int t = 0; t < p->ntracks; t++) {
    const TrackInfo *ti = &p->tracks[t];
    int next = -1;
    if (!p->implicit_track) {
      emit(cg, OP_TRACKIS, t);
      next = jump(cg, OP_JMPF);
    }
    int k = 0;
    for (int i = 0; i < ti->ncats; i++) add_slot(cg, ti->cats[i], &k);
    end_sum(cg, k);
    cap(cg, ti->has_lo, ti->lo, ti->lo_param, ti->has_hi, ti->hi, ti->hi_param);
    emit(cg, OP_RET, p->score_slot);
    if (next >= 0) patch(cg, next, here(cg));
  }
  if (!p->implicit_track) {
    emit(cg, OP_CONST, constant(cg, 0, NULL));
    emit(cg, OP_RET, p->score_slot);
  }
  end(cg);
  SymVec *valued[] = {&ck->lets, &ck->badges, &ck->payouts, &ck->outputs};
  for (int v = 0; v < 4; v++)
    for (int i = 0; i < valued[v]->n; i++) {
      Sym *s = valued[v]->v[i];
      begin(cg, s->slot);
      expr(cg, s->decl->expr);
      at(cg, s->decl->name);
      if (traced && s->kind == SYM_BADGE) {   /* explain shows the condition */
        int site_no = site(cg, SITE_RAW, s->decl->expr, s->decl->name, -1);
        p->slots[s->slot].site = site_no;
        emit(cg, OP_TRACE, site_no);
      }
      emit(cg, OP_RET, s->slot);
      end(cg);
    }
  cg->code->stack = cg->stack_total + 1;
  if (cg->nlocals > p->nlocals) p->nlocals = cg->nlocals;
}

/* ---- tables --------------------------------------------------------------- */

static int64_t literal_value(const Node *v) {
  if (chk_yes_no(v)) return v->tok.n == 3;
  return v->kind == AST_NEG ? -v->a->num : v->num;
}

static int *int_array(int n) {
  int *a = calloc((size_t)n + 1, sizeof *a);
  if (!a) abort();
  return a;
}

/* A range end being compiled: the ops so far and the stack they need. */
typedef struct BoundBuf { BoundOp *ops; int n, cap, depth, max; } BoundBuf;

static void bx(BoundBuf *b, BoundOpKind op, int64_t arg, int push) {
  if (b->n == b->cap) {
    b->cap = b->cap ? b->cap * 2 : 8;
    b->ops = realloc(b->ops, (size_t)b->cap * sizeof *b->ops);
    if (!b->ops) abort();
  }
  b->ops[b->n++] = (BoundOp){(uint8_t)op, arg};
  b->depth += push;
  if (b->depth > b->max) b->max = b->depth;
}

/* The ops of a field's range end that names fields, which the checker
   allowed (check.c, bound_form): literals, fields, + - * /, a minus sign,
   N days or N months, date - date; as expr() compiles the same forms. */
static void bound_ops(BoundBuf *b, const Node *n) {
  switch (n->kind) {
  case AST_NUM: case AST_MONEY: case AST_DATE: bx(b, BX_CONST, n->num, 1); break;
  case AST_NAME: bx(b, BX_FIELD, n->sym->index, 1); break;
  case AST_NEG: bound_ops(b, n->a); bx(b, BX_NEG, 0, 0); break;
  case AST_DAYS: case AST_MONTHS: bound_ops(b, n->a); break;
  case AST_ADD: case AST_SUB: {
    uint8_t ka = n->a->ty.kind, kb = n->b->ty.kind;
    if (ka == T_DATE && kb == T_DATE) {
      bound_ops(b, n->a);
      bound_ops(b, n->b);
      bx(b, BX_DATEDIFF, 0, -1);
    } else if (ka == T_DATE || kb == T_DATE) {
      const Node *date = ka == T_DATE ? n->a : n->b, *dur = ka == T_DATE ? n->b : n->a;
      bound_ops(b, date);
      bound_ops(b, dur);
      if (n->kind == AST_SUB) bx(b, BX_NEG, 0, 0);
      bx(b, dur->ty.kind == T_MONTHS ? BX_ADDMONTHS : BX_ADDDAYS, 0, -1);
    } else {
      bound_ops(b, n->a);
      bound_ops(b, n->b);
      bx(b, n->kind == AST_ADD ? BX_ADD : BX_SUB, 0, -1);
    }
    break;
  }
  case AST_MUL: case AST_DIV:
    bound_ops(b, n->a);
    bound_ops(b, n->b);
    bx(b, n->kind == AST_MUL ? BX_MUL : BX_DIV, 0, -1);
    break;
  default: break;
  }
}

/* A field's range end that names fields, compiled; one that needs more
   than BOUND_MAX_STACK values at once is refused (R0108). */
static void bound_code(Cg *cg, const Node *n, BoundExpr *out) {
  BoundBuf b = {0};
  bound_ops(&b, n);
  if (b.max > BOUND_MAX_STACK) {
    Tok t = n->tok;
    Diag *d = diag_add(cg->ck->dl, R0108, t.src, t.line, t.col, t.n,
                       "a field's range end nested more than %d deep", BOUND_MAX_STACK);
    diag_hint(d, "a range end is checked as the record is read: keep it to a few fields and literals");
  }
  *out = (BoundExpr){b.ops, b.n, fmt_text(fmt_expr, n)};
}

/* The table of a record's fields (or an activity's) from their symbols. */
static FieldInfo *field_table(Cg *cg, const SymVec *syms) {
  FieldInfo *table = calloc((size_t)syms->n + 1, sizeof *table);
  if (!table) abort();
  static const uint8_t kinds[] = {FIELD_TEXT, FIELD_NUMBER, FIELD_MONEY, FIELD_COUNT,
                                  FIELD_PERCENT, FIELD_FLAG, FIELD_DATE, FIELD_INT, FIELD_CHOICE};
  for (int i = 0; i < syms->n; i++) {
    Decl *d = syms->v[i]->decl;
    FieldInfo *f = &table[i];
    f->name = xstrdup(syms->v[i]->name);
    f->kind = kinds[d->ftype];
    f->key = d->key;
    f->optional = d->optional;
    f->places = DEC_DIGITS;
    if (d->places.p) f->places = (uint8_t)(d->places_v / DEC_SCALE);   /* 0..6: checked */
    if (d->ftype == FT_COUNT) { f->has_lo = true; f->lo = 0; }
    if (d->ftype == FT_PERCENT) { f->has_lo = f->has_hi = true; f->lo = 0; f->hi = 100 * DEC_SCALE; }
    if (d->range.lo.present && (!f->has_lo || d->range.lo.v > f->lo)) { f->has_lo = true; f->lo = d->range.lo.v; }
    if (d->range.hi.present && (!f->has_hi || d->range.hi.v < f->hi)) { f->has_hi = true; f->hi = d->range.hi.v; }
    if (d->range.lo.expr) bound_code(cg, d->range.lo.expr, &f->lo_expr);
    if (d->range.hi.expr) bound_code(cg, d->range.hi.expr, &f->hi_expr);
    for (Node *m = d->members; m; m = m->next) f->nmembers++;
    f->members = calloc((size_t)f->nmembers + 1, sizeof *f->members);
    if (!f->members) abort();
    int k = 0;
    for (Node *m = d->members; m; m = m->next) f->members[k++] = xstrndup(m->tok.p, (size_t)m->tok.n);
  }
  return table;
}

static void fields(Cg *cg) {
  Checker *ck = cg->ck;
  Program *p = cg->p;
  p->nfields = ck->fields.n;
  p->fields = field_table(cg, &ck->fields);
  p->nafields = ck->afields.n;
  p->afields = field_table(cg, &ck->afields);
  p->akey = ck->akey ? ck->akey->index : -1;
  p->adate = ck->adate ? ck->adate->index : -1;
  p->nbounded = ck->bounded.n;
  p->bounded = int_array(p->nbounded);
  for (int i = 0; i < ck->bounded.n; i++) p->bounded[i] = ck->bounded.v[i]->index;
}

/* The params and their values, as the checker laid them out, and the
   orders they must keep (ParamRule). */
static void params(Cg *cg) {
  Checker *ck = cg->ck;
  Program *p = cg->p;
  p->nparams = ck->params.n;
  p->params = calloc((size_t)p->nparams + 1, sizeof *p->params);
  p->nparam_values = ck->npvalues;
  p->param_values = calloc((size_t)p->nparam_values + 1, sizeof *p->param_values);
  if (!p->params || !p->param_values) abort();
  for (int i = 0; i < ck->params.n; i++) {
    p->params[i] = ck->pinfo[i];
    p->params[i].name = xstrdup(ck->pinfo[i].name);
  }
  memcpy(p->param_values, ck->pvalues, (size_t)p->nparam_values * sizeof *p->param_values);
  p->nrules = ck->nrules;
  p->rules = calloc((size_t)p->nrules + 1, sizeof *p->rules);
  if (!p->rules) abort();
  for (int i = 0; i < ck->nrules; i++) {
    const LeverRule *lr = &ck->rules[i];
    p->rules[i] = (ParamRule){
        .strict = lr->strict, .band = lr->band, .lo_param = lr->lo->named ? lr->lo->param->index : -1,
        .hi_param = lr->hi->named ? lr->hi->param->index : -1, .lo = lr->lo->v, .hi = lr->hi->v,
        .type = (uint8_t)chk_value_type((Type){lr->lo->kind, 0}), .what = xstrdup(lr->what),
        .file = file_index(cg, lr->at.src), .line = lr->at.line, .col = lr->at.col};
  }
}

/* A declared range's end: the literal, or the param (its declared value
   beside it). */
static void range_end(Cg *cg, const Bound *b, bool *has, Dec *v, int *param) {
  *has = b->present;
  *param = b->named && b->param ? b->param->index : -1;
  *v = *param >= 0 ? cg->p->param_values[cg->p->params[*param].base] : b->v;
}

static void slots(Cg *cg) {
  Checker *ck = cg->ck;
  Program *p = cg->p;
  p->npoints = ck->points.n;
  p->ncategories = ck->categories.n;
  p->score_slot = p->npoints + p->ncategories;
  p->first_badge = p->score_slot + 1 + ck->lets.n;
  p->nbadges = ck->badges.n;
  p->first_payout = p->first_badge + p->nbadges;
  p->npayouts = ck->payouts.n;
  p->first_output = p->first_payout + p->npayouts;
  p->noutputs = ck->outputs.n;
  p->nslots = p->first_output + p->noutputs;
  p->slots = calloc((size_t)p->nslots, sizeof *p->slots);
  if (!p->slots) abort();
  for (int i = 0; i < ck->categories.n; i++) ck->categories.v[i]->slot = p->npoints + i;
  ck->score->slot = p->score_slot;
  for (int i = 0; i < ck->points.n; i++) ck->points.v[i]->slot = i;
  for (int i = 0; i < ck->lets.n; i++) ck->lets.v[i]->slot = p->score_slot + 1 + i;
  for (int i = 0; i < ck->badges.n; i++) ck->badges.v[i]->slot = p->first_badge + i;
  for (int i = 0; i < ck->payouts.n; i++) ck->payouts.v[i]->slot = p->first_payout + i;
  for (int i = 0; i < ck->outputs.n; i++) ck->outputs.v[i]->slot = p->first_output + i;
  for (int i = 0; i < p->nslots; i++) {
    SlotInfo *si = &p->slots[i];
    Sym *s = i < p->npoints ? ck->points.v[i]
           : i < p->score_slot ? ck->categories.v[i - p->npoints]
           : i == p->score_slot ? ck->score
           : i < p->first_badge ? ck->lets.v[i - p->score_slot - 1]
           : i < p->first_payout ? ck->badges.v[i - p->first_badge]
           : i < p->first_output ? ck->payouts.v[i - p->first_payout]
           : ck->outputs.v[i - p->first_output];
    static const uint8_t kinds[] = {[SYM_POINTS] = SLOT_POINTS, [SYM_CATEGORY] = SLOT_CATEGORY,
                                    [SYM_SCORE] = SLOT_SCORE,   [SYM_LET] = SLOT_LET,
                                    [SYM_BADGE] = SLOT_BADGE,   [SYM_PAYOUT] = SLOT_PAYOUT,
                                    [SYM_OUTPUT] = SLOT_OUTPUT};
    si->kind = kinds[s->kind];
    si->track = s->track ? s->track->index : -1;
    if ((s->kind == SYM_OUTPUT || s->kind == SYM_LET) && s->ty.kind == T_ENUM) {   /* written by name */
      const Decl *owner = ck->choices.v[s->ty.en]->decl;
      for (const Node *m = owner->members; m; m = m->next) si->nmembers++;
      si->members = calloc((size_t)si->nmembers + 1, sizeof *si->members);
      if (!si->members) abort();
      int k = 0;
      for (const Node *m = owner->members; m; m = m->next) si->members[k++] = xstrndup(m->tok.p, (size_t)m->tok.n);
    }
    si->reach = (Reach){s->reach.has_lo, s->reach.has_hi, s->reach.lo, s->reach.hi};
    si->raw = (Reach){s->raw.has_lo, s->raw.has_hi, s->raw.lo, s->raw.hi};
    si->type = (uint8_t)chk_value_type(s->ty);
    si->name = xstrdup(s->shortname && s->kind == SYM_OUTPUT ? s->shortname : s->name);
    si->site = -1;
    si->category = s->category ? s->category->slot : -1;
    si->lo_param = si->hi_param = -1;
    if (s->decl) {
      si->title = s->decl->title ? xstrdup(s->decl->title) : NULL;
      range_end(cg, &s->decl->range.lo, &si->has_lo, &si->lo, &si->lo_param);
      range_end(cg, &s->decl->range.hi, &si->has_hi, &si->hi, &si->hi_param);
      si->file = file_index(cg, s->decl->name.src);
      si->line = s->decl->name.line;
      si->col = s->decl->name.col;
    }
  }
  p->ntiers = ck->tiers.n;
  p->tiers = calloc((size_t)p->ntiers + 1, sizeof *p->tiers);
  if (!p->tiers) abort();
  for (int i = 0; i < ck->tiers.n; i++) {
    Sym *t = ck->tiers.v[i];
    Decl *d = t->decl;
    p->tiers[i] = (TierInfo){xstrdup(t->shortname), d->title ? xstrdup(d->title) : NULL,
                             t->track ? t->track->index : -1, file_index(cg, d->name.src),
                             d->name.line, d->name.col};
  }
}

/* The implicit track of a program without tracks, or each declared one. */
static void tracks(Cg *cg) {
  Checker *ck = cg->ck;
  Program *p = cg->p;
  p->implicit_track = ck->tracks.n == 0;
  p->ntracks = p->implicit_track ? 1 : ck->tracks.n;
  p->tracks = calloc((size_t)p->ntracks, sizeof *p->tracks);
  Sym **cats = calloc((size_t)ck->categories.n + 1, sizeof *cats);
  if (!p->tracks || !cats) abort();
  for (int t = 0; t < p->ntracks; t++) {
    Sym *ts = p->implicit_track ? NULL : ck->tracks.v[t];
    TrackInfo *ti = &p->tracks[t];
    ti->lo_param = ti->hi_param = -1;
    if (ts) {
      Decl *d = ts->decl;
      ti->name = xstrdup(ts->name);
      ti->title = d->title ? xstrdup(d->title) : NULL;
      range_end(cg, &d->range.lo, &ti->has_lo, &ti->lo, &ti->lo_param);
      range_end(cg, &d->range.hi, &ti->has_hi, &ti->hi, &ti->hi_param);
      ti->file = file_index(cg, d->name.src);
      ti->line = d->name.line;
      ti->col = d->name.col;
    }
    Iv score = iv_track_score(ck, ts);
    ti->reach = (Reach){score.has_lo, score.has_hi, score.lo, score.hi};
    ti->ncats = chk_track_categories(ck, ts, cats);
    ti->cats = int_array(ti->ncats);
    for (int i = 0; i < ti->ncats; i++) ti->cats[i] = cats[i]->slot;
    Decl *ladder = chk_track_tiers(ck, ts);
    ti->tiers = int_array(ck->tiers.n);
    for (Decl *k = ladder ? ladder->kids : NULL; k; k = k->next)
      if (k->sym) ti->tiers[ti->ntiers++] = k->sym->index;
    ti->badges = int_array(ck->badges.n);
    for (int i = 0; i < ck->badges.n; i++)
      if (!ck->badges.v[i]->track || ck->badges.v[i]->track == ts)
        ti->badges[ti->nbadges++] = ck->badges.v[i]->slot;
  }
  free(cats);
}

/* A literal as a value: flags may be written yes/no; text is kept. */
static Value literal_value_of(Cg *cg, const Node *v) {
  if (v->kind == AST_UNSET) return value_unset();
  if (v->kind == AST_TIERLIT) return (Value){v->num, NULL};   /* a tier's index; none is -1 */
  if (v->kind == AST_STR) {
    int k = constant(cg, (int64_t)strlen(v->str), v->str);
    return cg->p->consts[k];
  }
  if (v->kind == AST_NAME) return (Value){v->tok.n == 3, NULL};   /* yes / no */
  return (Value){literal_value(v), NULL};
}

static void benefits(Cg *cg) {
  Checker *ck = cg->ck;
  Program *p = cg->p;
  p->nbenefits = ck->benefits.n;
  p->benefits = calloc((size_t)p->nbenefits + 1, sizeof *p->benefits);
  if (!p->benefits) abort();
  for (int i = 0; i < ck->benefits.n; i++) {
    Sym *s = ck->benefits.v[i];
    BenefitInfo *b = &p->benefits[i];
    b->name = xstrdup(s->name);
    b->title = s->decl->title ? xstrdup(s->decl->title) : NULL;
    b->type = (uint8_t)chk_value_type(s->ty);
    b->values = calloc((size_t)p->ntiers + 1, sizeof *b->values);
    if (!b->values) abort();
    /* Tiers the benefit does not name, and no tier, get the neutral value. */
    Value neutral = {0, NULL};
    if (b->type == VT_TEXT) {   /* constant() may move p->consts: index after it returns */
      int k = constant(cg, 0, "");
      neutral.s = p->consts[k].s;
    }
    b->params = calloc((size_t)p->ntiers + 1, sizeof *b->params);
    if (!b->params) abort();
    for (int t = 0; t <= p->ntiers; t++) {
      b->values[t] = neutral;
      b->params[t] = -1;
    }
    for (Decl *e = s->decl->kids; e; e = e->next) {
      if (!e->sym) continue;
      const Sym *param = e->expr->sym;   /* a param: the run's value counts */
      if (param) {
        b->params[e->sym->index] = param->index;
        b->values[e->sym->index] = (Value){p->param_values[p->params[param->index].base], NULL};
      } else {
        b->values[e->sym->index] = literal_value_of(cg, e->expr);
      }
    }
  }
}

/* The text a test literal stands for, as a record cell would hold it. */
static const char *literal_text(const Node *v, char *buf, size_t n) {
  const Node *x = v->kind == AST_NEG ? v->a : v;
  const char *neg = v->kind == AST_NEG ? "-" : "";
  switch (x->kind) {
  case AST_STR: snprintf(buf, n, "%s", x->str); break;
  case AST_MONEY: snprintf(buf, n, "%s%.*s", neg, x->tok.n - 1, x->tok.p + 1); break;
  default: snprintf(buf, n, "%s%.*s", neg, x->tok.n, x->tok.p); break;
  }
  return buf;
}

/* A test's `with` may set levers: its values must keep the orders the
   declared ones keep (a range not empty, a band's rows rising). */
static bool overrides_keep_rules(Cg *cg, const Decl *d, const TestInfo *t) {
  Program *p = cg->p;
  int64_t *values = malloc(((size_t)p->nparam_values + 1) * sizeof *values);
  if (!values) abort();
  memcpy(values, p->param_values, (size_t)p->nparam_values * sizeof *values);
  for (int i = 0; i < t->noverrides; i++) values[t->overrides[i].index] = t->overrides[i].value;
  int vlo, vhi, r = program_rules_broken(p, values, &vlo, &vhi);
  if (r >= 0) {
    char why[1024];
    program_rule_text(p, r, values, vlo, vhi, why, sizeof why);
    const Tok at = d->with ? d->with->name : d->tok;
    Diag *dg = diag_add(cg->ck->dl, p->rules[r].band ? R0401 : R0402, at.src, at.line, at.col, at.n,
                        "with these values, %s", why);
    diag_hint(dg, "a test's 'with' must keep the ranges and bands that the params are part of in order");
  }
  free(values);
  return r < 0;
}

/* A test's `activities { ... }` as ActList rows: each field the
   activity names, parsed as a file's cell would be; the key is the given
   partner's; every other field its neutral value (empty text, the first
   member, 0, no, 1970-01-01), unset if optional. */
static bool test_acts(Cg *cg, const Decl *d, TestInfo *t) {
  Program *p = cg->p;
  bool ok = true;
  for (const Node *r = d->acts; r; r = r->next) t->nacts++;
  size_t cells = (size_t)t->nacts * (size_t)p->nafields;
  t->acts = calloc(cells + 1, sizeof *t->acts);
  t->acts_set = calloc(cells + 1, 1);
  if (!t->acts || !t->acts_set) abort();
  int i = 0;
  for (const Node *r = d->acts; r; r = r->next, i++) {
    Value *vals = t->acts + (size_t)i * (size_t)p->nafields;
    uint8_t *set = t->acts_set + (size_t)i * (size_t)p->nafields;
    for (int f = 0; f < p->nafields; f++) {
      set[f] = !p->afields[f].optional;
      if (p->afields[f].kind == FIELD_TEXT) {
        int k = constant(cg, 0, "");   /* first: constant() may move p->consts */
        vals[f] = p->consts[k];
      }
    }
    if (p->akey >= 0 && p->key >= 0 && t->given_set[p->key] && t->given[p->key].s)
      vals[p->akey] = t->given[p->key];
    for (const Node *k = r->b; k; k = k->next) {
      if (!k->sym) continue;
      int f = k->sym->index;
      char buf[512], reason[REC_WHY_MAX];
      const char *text = literal_text(k, buf, sizeof buf);
      Value v;
      if (!rec_parse_cell(&p->afields[f], text, strlen(text), &v, reason)) {
        diag_add(cg->ck->dl, R0308, k->tok.src, k->tok.line, k->tok.col, k->tok.n, "activity field '%s': %s",
                 p->afields[f].name, reason);
        ok = false;
        continue;
      }
      if (v.s) {
        int c = constant(cg, v.n, v.s);   /* first: constant() may move p->consts */
        v.s = p->consts[c].s;
      }
      vals[f] = v;
      set[f] = 1;
    }
  }
  return ok;
}

static bool tests(Cg *cg) {
  Checker *ck = cg->ck;
  Program *p = cg->p;
  bool ok = true;
  p->ntests = ck->ntests;
  p->tests = calloc((size_t)p->ntests + 1, sizeof *p->tests);
  if (!p->tests) abort();
  for (int i = 0; i < ck->ntests; i++) {
    Decl *d = ck->tests[i];
    TestInfo *t = &p->tests[i];
    t->name = xstrdup(d->title);
    t->file = file_index(cg, d->tok.src);
    t->line = d->tok.line;
    t->expect_rejected = t->rejected = -1;
    if (d->dotted)
      for (int f = 0; f < p->nfields; f++)
        if (strlen(p->fields[f].name) == (size_t)d->date2.n - 2 &&
            memcmp(p->fields[f].name, d->date2.p + 1, (size_t)d->date2.n - 2) == 0)
          t->expect_rejected = f;
    t->given = calloc((size_t)p->nfields + 1, sizeof *t->given);
    t->given_set = calloc((size_t)p->nfields + 1, 1);
    uint8_t *given_here = calloc((size_t)p->nfields + 1, 1);   /* set by the test itself */
    if (!t->given || !t->given_set || !given_here) abort();
    /* Neutral values for what the test leaves out (docs/language.md). */
    for (int f = 0; f < p->nfields; f++) {
      t->given_set[f] = !p->fields[f].optional;
      if (p->fields[f].kind == FIELD_TEXT) {   /* empty text, from the pool like every text */
        int k = constant(cg, 0, "");
        t->given[f] = p->consts[k];
      }
    }
    bool given_ok = true;   /* every given value fits its field on its own */
    for (Decl *g = d->given; g; g = g->next) {
      if (!g->sym) continue;
      int f = g->sym->index;
      given_here[f] = 1;
      char buf[512];
      char reason[REC_WHY_MAX];
      const char *text = literal_text(g->expr, buf, sizeof buf);
      Value v;
      if (!rec_parse_cell(&p->fields[f], text, strlen(text), &v, reason)) {
        if (d->dotted) {   /* a test that expects a rejection records it */
          if (t->rejected < 0) {
            t->rejected = f;
            t->rejected_why = xstrdup(reason);
          }
          continue;
        }
        Tok at = g->expr->tok;
        diag_add(ck->dl, R0308, at.src, at.line, at.col, at.n, "field '%s': %s", p->fields[f].name, reason);
        ok = given_ok = false;
        continue;
      }
      if (v.s) {   /* keep the text beyond buf; constant() may move consts */
        int k = constant(cg, v.n, v.s);
        v.s = p->consts[k].s;
      }
      t->given[f] = v;
      t->given_set[f] = 1;
    }
    /* A required field the test leaves out takes its neutral value, which
       must be a value the field accepts: a date declared in 2020..2030
       cannot be 1970-01-01 in a test when no record could hold it. */
    for (int f = 0; f < p->nfields; f++) {
      const FieldInfo *fi = &p->fields[f];
      if (given_here[f] || fi->optional || fi->kind == FIELD_TEXT || fi->kind == FIELD_CHOICE ||
          fi->kind == FIELD_FLAG)
        continue;
      int64_t v = t->given[f].n;
      if ((!fi->has_lo || v >= fi->lo) && (!fi->has_hi || v <= fi->hi)) continue;
      char what[DEC_FMT_MAX + 2], lo[DEC_FMT_MAX + 2] = "", hi[DEC_FMT_MAX + 2] = "";
      if (fi->kind == FIELD_DATE) {
        date_format(v, what);
        if (fi->has_lo) date_format(fi->lo, lo);
        if (fi->has_hi) date_format(fi->hi, hi);
      } else {
        dec_format(v, what);
        if (fi->has_lo) dec_format(fi->lo, lo);
        if (fi->has_hi) dec_format(fi->hi, hi);
      }
      Diag *dg = diag_add(ck->dl, R0308, d->tok.src, d->tok.line, d->tok.col, d->tok.n,
                          "test \"%s\" leaves out field '%s', whose neutral value %s is outside its "
                          "range %s..%s", d->title, fi->name, what, lo, hi);
      diag_hint(dg, "give '%s' a value in the test's given block", fi->name);
      ok = given_ok = false;
    }
    /* Then the ranges that name other fields, on the whole record, given
       and neutral values alike, as a record's cells are checked. */
    if (t->rejected < 0 && given_ok) {
      Row row = {t->given, t->given_set, NULL};
      int f;
      char reason[REC_WHY_MAX];
      if (!rec_check_bounds(p, &row, &f, reason)) {
        if (d->dotted) {
          t->rejected = f;
          t->rejected_why = xstrdup(reason);
        } else {
          Tok at = d->tok;
          for (Decl *g = d->given; g; g = g->next)
            if (g->sym && g->sym->index == f) at = g->expr->tok;
          Diag *dg = diag_add(ck->dl, R0308, at.src, at.line, at.col, at.n, "test \"%s\": field '%s': %s",
                              d->title, p->fields[f].name, reason);
          diag_hint(dg, "give the test values that fit the field's range, or expect rejected \"%s\"",
                    p->fields[f].name);
          ok = false;
        }
      }
    }
    t->given_here = given_here;
    if (!test_acts(cg, d, t)) ok = false;
    for (Decl *w = d->with; w; w = w->next) t->noverrides += w->sym != NULL;
    t->overrides = calloc((size_t)t->noverrides + 1, sizeof *t->overrides);
    if (!t->overrides) abort();
    int k = 0;
    for (Decl *w = d->with; w; w = w->next) {
      if (!w->sym) continue;
      const ParamInfo *pi = &p->params[w->sym->index];
      int index = pi->base;
      if (w->dotted) {
        const FieldInfo *f = &p->fields[pi->keyfield];
        int m = chk_member(ck->fields.v[pi->keyfield], w->name2.p, (size_t)w->name2.n);
        if (m < 0) {
          diag_add(ck->dl, R0501, w->name2.src, w->name2.line, w->name2.col, w->name2.n,
                   "'%.*s' is not one of the values of %s", w->name2.n, w->name2.p, f->name);
          ok = false;
          continue;
        }
        index += m;
      }
      const Node *x = w->expr->kind == AST_NEG ? w->expr->a : w->expr;
      ValueType want = (ValueType)pi->type;
      bool fits = (x->kind == AST_NUM && (want == VT_NUMBER || want == VT_MONEY)) ||
                  (x->kind == AST_MONEY && want == VT_MONEY) ||
                  (x->kind == AST_DATE && want == VT_DATE) ||
                  ((x->kind == AST_BOOL || chk_yes_no(w->expr)) && want == VT_FLAG);
      if (!fits) {
        diag_add(ck->dl, R0308, x->tok.src, x->tok.line, x->tok.col, x->tok.n,
                 "param '%s' holds %s", pi->name, program_type_name(want));
        ok = false;
        continue;
      }
      t->overrides[k++] = (TestOverride){index, literal_value(w->expr)};
    }
    t->noverrides = k;
    if (k && p->nrules && !overrides_keep_rules(cg, d, t)) ok = false;
    for (Decl *e = d->expect; e; e = e->next) t->nexpects++;
    t->expects = calloc((size_t)t->nexpects + 1, sizeof *t->expects);
    if (!t->expects) abort();
    k = 0;
    for (Decl *e = d->expect; e; e = e->next) {
      TestExpect *x = &t->expects[k++];
      x->line = e->name.line;
      x->col = e->name.col;
      if (e->dotted) {
        char buf[256];
        snprintf(buf, sizeof buf, "%.*s.%.*s", e->name.n, e->name.p, e->name2.n, e->name2.p);
        x->what = xstrdup(buf);
      } else {
        x->what = xstrndup(e->name.p, (size_t)e->name.n);
      }
      if (strcmp(x->what, "tier") == 0 || strcmp(x->what, "track") == 0) {
        x->kind = x->what[1] == 'i' ? EXP_TIER : EXP_TRACK;
        x->value.n = e->expr->sym ? e->expr->sym->index : -1;
      } else if (e->sym && e->sym->kind == SYM_BENEFIT) {
        x->kind = EXP_BENEFIT;
        x->slot = e->sym->index;
        x->value = literal_value_of(cg, e->expr);
      } else {
        x->kind = EXP_SLOT;
        x->slot = e->sym ? e->sym->slot : -1;
        x->value = literal_value_of(cg, e->expr);
      }
    }
  }
  return ok;
}

/* The aggregates, in the checker's order (AST_AGG's local), with the
   text of their conditions for explain. */
static void aggs(Cg *cg) {
  Checker *ck = cg->ck;
  Program *p = cg->p;
  p->naggs = ck->naggs;
  p->aggs = calloc((size_t)p->naggs + 1, sizeof *p->aggs);
  if (!p->aggs) abort();
  static const uint8_t kinds[] = {AGG_COUNT, AGG_SUM, AGG_MIN, AGG_MAX, AGG_DISTINCT};
  for (int i = 0; i < ck->naggs; i++) {
    const Node *n = ck->aggs[i];
    AggInfo *a = &p->aggs[i];
    a->kind = kinds[n->rowkind];
    a->field = n->sym ? n->sym->index : -1;
    a->type = n->sym ? (uint8_t)chk_value_type(n->sym->ty) : VT_NUMBER;
    a->text = fmt_text(fmt_expr, n);
    a->file = file_index(cg, n->tok.src);
    a->line = n->tok.line;
    a->col = n->tok.col;
    if (!n->a) continue;
    const Node *parts[256];
    int np = conjuncts(n->a, parts, 256, 0);
    if (np > 256) { parts[0] = n->a; np = 1; }
    a->conds = calloc((size_t)np, sizeof *a->conds);
    a->cform = calloc((size_t)np, sizeof *a->cform);
    a->cfield = calloc((size_t)np, sizeof *a->cfield);
    if (!a->conds || !a->cform || !a->cfield) abort();
    a->nconds = np;
    for (int k = 0; k < np; k++) {
      const Node *c = parts[k];
      a->conds[k] = fmt_text(fmt_expr, c);
      bool on_field = (c->kind == AST_EQ || c->kind == AST_INWIN) && c->a->kind == AST_NAME && c->a->local < 0 &&
                      c->a->sym && c->a->sym->kind == SYM_AFIELD;
      a->cfield[k] = on_field ? c->a->sym->index : -1;
      a->cform[k] = !on_field ? ACF_OTHER : c->kind == AST_EQ ? ACF_EQ : c->b ? ACF_WINDOW : ACF_PERIOD;
    }
  }
}

bool cg_compile(Checker *ck, Program *p) {
  memset(p, 0, sizeof *p);
  Cg cg = {.ck = ck, .p = p, .slot = -1};
  int nfiles = 0;
  for (Source *s = ck->ast->sources; s; s = s->next) nfiles++;
  p->files = calloc((size_t)nfiles + 1, sizeof *p->files);
  if (!p->files) abort();
  for (Source *s = ck->ast->sources; s; s = s->next) p->files[p->nfiles++] = xstrdup(s->name);
  if (ck->program) p->title = xstrdup(ck->program->title);
  if (ck->version) p->version = xstrdup(ck->version->title);
  if (ck->currency) p->currency = xstrndup(ck->currency->name.p, (size_t)ck->currency->name.n);
  p->track_choice = !ck->choose || !ck->tracks.n ? CHOOSE_FIRST
                    : ck->choose->ftype == TIES_LAST ? CHOOSE_BEST_TIES_LAST : CHOOSE_BEST_TIES_FIRST;
  if (ck->period && ck->period->dotted) {   /* N months to as_of */
    p->has_period = true;
    p->period_months = (int)(ast_literal(ck->ast, AST_NUM, ck->period->name)->num / DEC_SCALE);
  } else if (ck->period) {
    p->has_period = true;
    date_parse(ck->period->name.p, (size_t)ck->period->name.n, &p->period_from);
    date_parse(ck->period->date2.p, (size_t)ck->period->date2.n, &p->period_to);
  }
  if (ck->effective) {
    p->has_effective = true;
    date_parse(ck->effective->name.p, (size_t)ck->effective->name.n, &p->effective);
  }
  p->uses_as_of = ck->uses_as_of;
  p->key = -1;
  fields(&cg);
  p->nkeys = ck->keys.n;
  p->keys = int_array(p->nkeys);
  for (int i = 0; i < ck->keys.n; i++) p->keys[i] = ck->keys.v[i]->index;
  if (p->nkeys) p->key = p->keys[0];
  params(&cg);
  aggs(&cg);
  slots(&cg);
  tracks(&cg);
  benefits(&cg);
  bool ok = tests(&cg);
  compile_variant(&cg, false);
  if (!cg.too_large) compile_variant(&cg, true);
  free(cg.ctab);
  return ok && !cg.too_large;
}

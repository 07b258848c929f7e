/*
** dis.c — see dis.h.  Each instruction prints with its operands and a
** comment naming what they refer to, and each subroutine with the slot it
** computes, so `rubric dis` reads like an annotated listing.
*/
#include "dis.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *name; int words; } ops[] = {
#define OPCODE(name, words, effect, meaning) {#name, words},
#include "opcodes.h"
#undef OPCODE
};

const char *dis_opname(OpCode op) { return op < OP__COUNT ? ops[op].name : "?"; }

/* Which one-word instructions use their operand A. */
static const bool has_operand[OP__COUNT] = {
    [OP_CONST] = 1, [OP_FIELD] = 1, [OP_ISSET] = 1, [OP_PARAM] = 1, [OP_SLOT] = 1,
    [OP_RET] = 1,   [OP_LOCAL] = 1, [OP_SETLOCAL] = 1, [OP_ROUND] = 1, [OP_DIVROUND] = 1, [OP_JMP] = 1,
    [OP_JMPF] = 1,  [OP_JFK] = 1,   [OP_JTK] = 1,   [OP_TRACE] = 1, [OP_TIER] = 1,
    [OP_LADDER] = 1, [OP_TRACK] = 1, [OP_TRACKIS] = 1, [OP_BENEFIT] = 1};

/* param_at[base]: the parameter whose values start at base, or -1; so
   naming a PARAM operand costs no search (dis stays linear in size). */
static void comment(const Program *p, const int *param_at, OpCode op, int a, int b, FILE *out) {
  char buf[DEC_FMT_MAX];
  switch (op) {
  case OP_CONST:
    if (p->consts[a].s) fprintf(out, "  ; \"%.*s\"", (int)p->consts[a].n, p->consts[a].s);
    else { dec_format(p->consts[a].n, buf); fprintf(out, "  ; %s", buf); }
    break;
  case OP_FIELD: case OP_ISSET: fprintf(out, "  ; %s", p->fields[a].name); break;
  case OP_PARAM: case OP_PARAMK:
    if (a >= 0 && a < p->nparam_values && param_at[a] >= 0)
      fprintf(out, "  ; %s", p->params[param_at[a]].name);
    if (op == OP_PARAMK) fprintf(out, " by %s", p->fields[b].name);
    break;
  case OP_SLOT: case OP_RET: fprintf(out, "  ; %s", p->slots[a].name); break;
  case OP_TIER: case OP_LADDER: fprintf(out, "  ; %s", p->tiers[a].name); break;
  case OP_TIERIN: {
    int lo = a & TIERIN_LO;
    if (lo > b) fputs("  ; no tier of a ladder", out);
    else fprintf(out, "  ; %s to %s", p->tiers[lo].name, p->tiers[b].name);
    if (a & TIERIN_NONE) fputs(", or none", out);
    break;
  }
  case OP_TRACK: case OP_TRACKIS:
    if (p->tracks[a].name) fprintf(out, "  ; %s", p->tracks[a].name);
    break;
  case OP_BENEFIT: fprintf(out, "  ; %s", p->benefits[a].name); break;
  case OP_TRACE: fprintf(out, "  ; %s", p->sites[a].text); break;
  case OP_TRY: fprintf(out, "  ; on error above a failed tier: %s", p->sites[b].text); break;
  default: break;
  }
}

void dis_program(const Program *p, int variant, FILE *out) {
  const Code *c = &p->code[variant];
  fprintf(out, "; %s%s%s\n", p->title ? p->title : "(untitled program)",
          p->version ? " version " : "", p->version ? p->version : "");
  fprintf(out, "; %s code: %d words, stack %d, %d slots, %d locals, %d constants\n",
          variant ? "traced" : "plain", c->n, c->stack, p->nslots, p->nlocals, p->nconsts);
  /* The slots entered at each word (first[pc], then next[s]) and the
     parameter at each base, found once rather than searched per word. */
  int *first = malloc(((size_t)c->n + 1) * sizeof *first);
  int *next = malloc(((size_t)p->nslots + 1) * sizeof *next);
  int *param_at = malloc(((size_t)p->nparam_values + 1) * sizeof *param_at);
  if (!first || !next || !param_at) abort();
  for (int pc = 0; pc <= c->n; pc++) first[pc] = -1;
  for (int s = p->nslots - 1; s >= 0; s--) {
    next[s] = -1;
    if (c->entry[s] >= 0 && c->entry[s] < c->n) { next[s] = first[c->entry[s]]; first[c->entry[s]] = s; }
  }
  for (int i = 0; i < p->nparam_values; i++) param_at[i] = -1;
  for (int i = p->nparams - 1; i >= 0; i--)
    if (p->params[i].base >= 0 && p->params[i].base < p->nparam_values) param_at[p->params[i].base] = i;
  for (int pc = 0; pc < c->n;) {
    if (pc == 0) fprintf(out, "\nmain:\n");
    for (int s = first[pc]; s >= 0; s = next[s]) {
      static const char *const kinds[] = {"points", "category", "score", "let", "badge", "payout", "output"};
      fprintf(out, "\n%s %s:\n", kinds[p->slots[s].kind], p->slots[s].name);
    }
    uint32_t w = c->words[pc];
    OpCode op = INSN_OP(w);
    int a = INSN_A(w), b = op < OP__COUNT && ops[op].words == 2 ? (int)c->words[pc + 1] : 0;
    const Pos *pos = &c->pos[pc];
    fprintf(out, "  %04d  ", pc);
    if (op < OP__COUNT && ops[op].words == 2) fprintf(out, "%-9s %d %d", dis_opname(op), a, b);
    else if (op < OP__COUNT && has_operand[op]) fprintf(out, "%-9s %d", dis_opname(op), a);
    else fputs(dis_opname(op), out);
    comment(p, param_at, op, a, b, out);
    if (pos->line) fprintf(out, "  @%s:%d", p->files[pos->file], pos->line);
    putc('\n', out);
    pc += op < OP__COUNT ? ops[op].words : 1;
  }
  free(first);
  free(next);
  free(param_at);
}

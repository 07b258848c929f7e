/*
** dis.c — see dis.h.  Each instruction prints with its operands and a
** comment naming what they refer to, and each subroutine with the slot it
** computes, so `rubric dis` reads like an annotated listing.
*/
#include "dis.h"

#include <string.h>

static const struct { const char *name; int words; } ops[] = {
#define OPCODE(name, words, effect, meaning) {#name, words},
#include "opcodes.h"
#undef OPCODE
};

const char *dis_opname(OpCode op) { return op < OP__COUNT ? ops[op].name : "?"; }

static void comment(const Program *p, OpCode op, int a, int b, FILE *out) {
  char buf[DEC_FMT_MAX];
  switch (op) {
  case OP_CONST:
    if (p->consts[a].s) fprintf(out, "  ; \"%.*s\"", (int)p->consts[a].n, p->consts[a].s);
    else { dec_format(p->consts[a].n, buf); fprintf(out, "  ; %s", buf); }
    break;
  case OP_FIELD: case OP_ISSET: fprintf(out, "  ; %s", p->fields[a].name); break;
  case OP_PARAM: case OP_PARAMK:
    for (int i = 0; i < p->nparams; i++)
      if (p->params[i].base == a) fprintf(out, "  ; %s", p->params[i].name);
    if (op == OP_PARAMK) fprintf(out, " by %s", p->fields[b].name);
    break;
  case OP_SLOT: case OP_RET: fprintf(out, "  ; %s", p->slots[a].name); break;
  case OP_TIER: case OP_LADDER: fprintf(out, "  ; %s", p->tiers[a].name); break;
  case OP_TRACE: fprintf(out, "  ; %s", p->sites[a].text); break;
  default: break;
  }
}

void dis_program(const Program *p, int variant, FILE *out) {
  const Code *c = &p->code[variant];
  fprintf(out, "; %s%s%s\n", p->title ? p->title : "(untitled program)",
          p->version ? " version " : "", p->version ? p->version : "");
  fprintf(out, "; %s code: %d words, stack %d, %d slots, %d locals, %d constants\n",
          variant ? "traced" : "plain", c->n, c->stack, p->nslots, p->nlocals, p->nconsts);
  for (int pc = 0; pc < c->n;) {
    if (pc == 0) fprintf(out, "\nmain:\n");
    for (int s = 0; s < p->nslots; s++)
      if (c->entry[s] == pc) {
        static const char *const kinds[] = {"points", "category", "score", "let"};
        fprintf(out, "\n%s %s:\n", kinds[p->slots[s].kind], p->slots[s].name);
      }
    uint32_t w = c->words[pc];
    OpCode op = INSN_OP(w);
    int a = INSN_A(w), b = op < OP__COUNT && ops[op].words == 2 ? (int)c->words[pc + 1] : 0;
    const Pos *pos = &c->pos[pc];
    fprintf(out, "  %04d  %-9s", pc, dis_opname(op));
    if (op < OP__COUNT && ops[op].words == 2) fprintf(out, " %d %d", a, b);
    else if (a) fprintf(out, " %d", a);
    else if (op == OP_CONST || op == OP_FIELD || op == OP_SLOT || op == OP_RET ||
             op == OP_PARAM || op == OP_ISSET || op == OP_LOCAL || op == OP_SETLOCAL ||
             op == OP_TIER || op == OP_LADDER || op == OP_TRACE || op == OP_JMP ||
             op == OP_JMPF || op == OP_JFK || op == OP_JTK)
      fprintf(out, " 0");
    comment(p, op, a, b, out);
    if (pos->line) fprintf(out, "  @%s:%d", p->files[pos->file], pos->line);
    putc('\n', out);
    pc += op < OP__COUNT ? ops[op].words : 1;
  }
}

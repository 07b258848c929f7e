/*
** vm.c — the bytecode interpreter.  A stack machine over Values: slots (lets,
** points, totals, score) are subroutines run at most once per record, which
** is how a program stays linear in its size on every record.  The loop is
** written once behind vmdispatch/vmcase/vmbreak (after Lua's lvm.c): a
** switch in standard C, and with GCC or Clang a computed goto, where each
** case jumps straight to the next one's code (fewer branches, each better
** predicted).  The verifier and the compiler guarantee every opcode run is
** in the table.  Nothing here
** allocates; vm_init sizes every array from the program.
*/
#include "vm.h"

#include <stdlib.h>
#include <string.h>

#include "date.h"

#if defined(__GNUC__) && !defined(RUBRIC_NO_GOTO)
#define vmdispatch(o) goto *disptab[o];
#define vmcase(l) L_##l:
#define vmbreak { w = code[pc++]; goto *disptab[INSN_OP(w)]; }
#define vmdefault
#else
#define vmdispatch(o) switch (o)
#define vmcase(l) case l:
#define vmbreak break
#define vmdefault default:
#endif

bool vm_init(VmCtx *vm, const Program *p) {
  memset(vm, 0, sizeof *vm);
  vm->prog = p;
  int stack = p->code[0].stack > p->code[1].stack ? p->code[0].stack : p->code[1].stack;
  vm->stack = calloc((size_t)stack + 1, sizeof *vm->stack);
  vm->slots = calloc((size_t)p->nslots + 1, sizeof *vm->slots);
  vm->done = calloc((size_t)p->nslots + 1, sizeof *vm->done);
  vm->frames = calloc((size_t)p->nslots + 1, sizeof *vm->frames);
  vm->locals = calloc((size_t)p->nlocals + 1, sizeof *vm->locals);
  vm->params = calloc((size_t)p->nparam_values + 1, sizeof *vm->params);
  vm->trace = calloc((size_t)p->nsites + 1, sizeof *vm->trace);
  if (!vm->stack || !vm->slots || !vm->done || !vm->frames || !vm->locals || !vm->params || !vm->trace) {
    vm_free(vm);
    return false;
  }
  memcpy(vm->params, p->param_values, (size_t)p->nparam_values * sizeof *vm->params);
  vm->tier = -1;
  vm->aggs = calloc((size_t)p->naggs + 1, sizeof *vm->aggs);
  if (!vm->aggs) {
    vm_free(vm);
    return false;
  }
  vm->cur_agg = -1;
  if (p->has_period && !p->period_months) {
    vm->dates[VM_PERIOD_START] = p->period_from;
    vm->dates[VM_AS_OF] = vm->dates[VM_PERIOD_END] = p->period_to;
    vm->has_as_of = true;
  }
  return true;
}

void vm_set_as_of(VmCtx *vm, int64_t as_of) {
  const Program *p = vm->prog;
  vm->dates[VM_AS_OF] = as_of;
  vm->has_as_of = true;
  if (p->period_months > 0) {   /* the N months ending on as_of, inclusive */
    int64_t start = as_of;
    if (!date_add_months(as_of, -p->period_months, &start) || !date_add_days(start, 1, &start)) start = as_of;
    vm->dates[VM_PERIOD_START] = start;
    vm->dates[VM_PERIOD_END] = as_of;
  }
}

void vm_free(VmCtx *vm) {
  free(vm->stack);
  free(vm->slots);
  free(vm->done);
  free(vm->frames);
  free(vm->locals);
  free(vm->params);
  free(vm->trace);
  free(vm->aggs);
  free(vm->distinct);
  memset(vm, 0, sizeof *vm);
}

int vm_param_index(const Program *p, const char *name, ValueType *type, const char **why) {
  int index, param = program_param_find(p, name, &index, why);
  if (param < 0) return -1;
  *type = (ValueType)p->params[param].type;
  return index;
}

bool vm_set_param(VmCtx *vm, const char *name, const char *value, const char **why) {
  int index;
  int param = program_param_find(vm->prog, name, &index, why);
  int64_t v;
  if (param < 0 || !program_param_parse((ValueType)vm->prog->params[param].type, value, &v, why))
    return false;
  vm->params[index] = v;
  return true;
}

int vm_param_at(const VmCtx *vm, int param) {
  const ParamInfo *pi = &vm->prog->params[param];
  int at = pi->base;
  /* A keyed param's key field is a required choice: a validated record has
     a member.  Before any record, the first member's value stands. */
  if (pi->keyfield >= 0 && vm->row && vm->row->set[pi->keyfield]) {
    int64_t m = vm->row->vals[pi->keyfield].n;
    if (m >= 0 && m < pi->count) at += (int)m;
  }
  return at;
}

int64_t vm_param(const VmCtx *vm, int param) { return vm->params[vm_param_at(vm, param)]; }

Dec vm_bound(const VmCtx *vm, Dec literal, int param) {
  return param >= 0 ? vm_param(vm, param) : literal;
}

Value vm_benefit(const VmCtx *vm, int b) {
  const Program *p = vm->prog;
  const BenefitInfo *bi = &p->benefits[b];
  int t = vm->tier < 0 ? p->ntiers : vm->tier;
  if (bi->params && bi->params[t] >= 0) return (Value){vm_param(vm, bi->params[t]), NULL};
  return bi->values[t];
}

const char *vm_status_code(VmStatus st) {
  switch (st) {
  case VM_OK: return "";
  case VM_DIVZERO: return "R0701";
  case VM_OVERFLOW: return "R0702";
  case VM_DATE_RANGE: return "R0703";
  case VM_FRACTION: return "R0704";
  case VM_NOMATCH: return "R0705";
  }
  return "R0702";
}

const char *vm_status_text(VmStatus st) {
  switch (st) {
  case VM_OK: return "ok";
  case VM_DIVZERO: return "division by zero";
  case VM_OVERFLOW: return "number out of range";
  case VM_DATE_RANGE: return "date outside 0001-01-01..9999-12-31";
  case VM_FRACTION: return "a number of days or months must be whole";
  case VM_NOMATCH: return "no band row holds the value (the band has no else)";
  }
  return "?";
}

Pos vm_error_pos(const VmCtx *vm) {
  const Code *c = &vm->prog->code[vm->tracing];
  if (vm->err_pc < 0 || vm->err_pc >= c->n) return (Pos){0, 0, 0};
  return c->pos[vm->err_pc];
}

bool vm_computed(const VmCtx *vm, int s) { return vm->done[s] == vm->gen; }

static bool whole_count(Dec d, int64_t *out) {
  if (!dec_is_whole(d)) return false;
  *out = dec_trunc_int(d);
  return true;
}

/* Starts a new evaluation: a new generation, so no slot counts as
   computed; false when the counter wrapped and every slot was forgotten. */
static bool next_generation(VmCtx *vm) {
  if (++vm->gen != 0) return true;
  memset(vm->done, 0, (size_t)vm->prog->nslots * sizeof *vm->done);
  vm->gen = 1;
  return false;
}

static VmStatus run(VmCtx *vm, const Row *row, int pc);

/* A new record: no track, no tier, no trace yet. */
static void begin_record(VmCtx *vm, const Row *row) {
  vm->tier = -1;
  vm->track = -1;
  vm->ntrace = 0;
  vm->row = row;
  vm->naevents = 0;
  vm->cur_agg = -1;
  vm->act = NULL;
  vm->aset = NULL;
}

/* Notes an activity event when explain gave room for it. */
static void act_note(VmCtx *vm, int cond, int field, bool ok) {
  if (!vm->tracing || vm->naevents >= vm->capaevents || vm->cur_agg < 0) return;
  const AggState *g = &vm->aggs[vm->cur_agg];
  vm->aevents[vm->naevents++] = (ActEvent){vm->cur_agg, g->i, cond, field, ok};
}

static int cmp_value(const void *a, const void *b) {
  const Value *x = a, *y = b;
  if (x->s && y->s) {
    size_t n = (size_t)(x->n < y->n ? x->n : y->n);
    int c = memcmp(x->s, y->s, n);
    if (c) return c;
  }
  return x->n < y->n ? -1 : x->n > y->n;
}

/* How many different values distinct kept, from vals[0..n). */
static int64_t count_distinct(Value *vals, int n) {
  if (n == 0) return 0;
  qsort(vals, (size_t)n, sizeof *vals, cmp_value);
  int64_t k = 1;
  for (int i = 1; i < n; i++) k += cmp_value(&vals[i - 1], &vals[i]) != 0;
  return k;
}

/* Room for distinct's values: each aggregate its own n (a record's
   activities), as one may run inside another's condition. */
static bool distinct_room(VmCtx *vm, int n) {
  size_t need = (size_t)(vm->prog->naggs ? vm->prog->naggs : 1) * (size_t)n;
  if (need <= vm->distinct_cap) return true;
  Value *d = realloc(vm->distinct, need * sizeof *d);
  if (!d) return false;
  vm->distinct = d;
  vm->distinct_cap = need;
  return true;
}

VmStatus vm_eval(VmCtx *vm, const Row *row) {
  next_generation(vm);
  begin_record(vm, row);
  return run(vm, row, 0);
}

VmStatus vm_eval_again(VmCtx *vm, const Row *row, const int *keep, int nkeep) {
  uint32_t last = vm->gen;
  if (next_generation(vm))
    for (int i = 0; i < nkeep; i++)
      if (vm->done[keep[i]] == last) vm->done[keep[i]] = vm->gen;
  begin_record(vm, row);
  return run(vm, row, 0);
}

VmStatus vm_force(VmCtx *vm, const Row *row, int s) {
  if (vm_computed(vm, s)) return VM_OK;
  vm->cur_agg = -1;   /* outside any aggregate, even after a run that failed in one */
  vm->act = NULL;
  vm->aset = NULL;
  return run(vm, row, vm->prog->code[vm->tracing].entry[s]);
}

/* Runs code on row in the generation already begun: from pc 0, the
   program's main code, which ends at HALT; from a slot's entry (vm_force),
   that slot's code, which ends at its RET with no frame to return to. */
static VmStatus run(VmCtx *vm, const Row *row, int pc) {
  const Program *p = vm->prog;
  const Code *c = &p->code[vm->tracing];
  const uint32_t *code = c->words;
  const Value *k = p->consts;
  Value *sp = vm->stack;
  int *fp = vm->frames;
  bool broken = false;   /* a tier condition failed: no higher tier */
  /* Explain shows every tier condition, even above one that failed, and
     eval never evaluates those: an error there must not reject a record
     that eval scores.  TRY (traced code only) marks such a condition. */
  int try_pc = -1, try_site = 0;
  Value *try_sp = NULL;
  int *try_fp = NULL;
  VmStatus st = VM_OK;
  const uint32_t gen = vm->gen;

#define A INSN_A(w)
#define FAIL(s) do { st = (s); goto fail; } while (0)
#define DECOP(call) do { DecStatus ds_ = (call); \
    if (ds_ != DEC_OK) FAIL(ds_ == DEC_DIVZERO ? VM_DIVZERO : VM_OVERFLOW); } while (0)

#if defined(__GNUC__) && !defined(RUBRIC_NO_GOTO)
  static const void *const disptab[OP__COUNT] = {
#define OPCODE(name, words, effect, meaning) &&L_OP_##name,
#include "opcodes.h"
#undef OPCODE
  };
#endif
  for (;;) {
  resume:;
    uint32_t w = code[pc++];
    vmdispatch(INSN_OP(w)) {
      vmcase(OP_CONST) { *sp++ = k[A]; vmbreak; }
      vmcase(OP_FIELD) { *sp++ = row->vals[A]; vmbreak; }
      vmcase(OP_ISSET) { *sp++ = (Value){row->set[A], NULL}; vmbreak; }
      vmcase(OP_PARAM) { *sp++ = (Value){vm->params[A], NULL}; vmbreak; }
      vmcase(OP_PARAMK) {
        int f = (int)code[pc++];
        *sp++ = (Value){vm->params[A + row->vals[f].n], NULL};
        vmbreak;
      }
      vmcase(OP_SLOT) {
        if (vm->done[A] == gen) { *sp++ = vm->slots[A]; vmbreak; }
        *fp++ = pc;
        pc = c->entry[A];
        vmbreak;
      }
      vmcase(OP_RET) {
        vm->slots[A] = sp[-1];
        vm->done[A] = gen;
        if (fp == vm->frames) return VM_OK;   /* the slot vm_force asked for */
        pc = *--fp;
        vmbreak;
      }
      vmcase(OP_LOCAL) { *sp++ = vm->locals[A]; vmbreak; }
      vmcase(OP_SETLOCAL) { vm->locals[A] = *--sp; vmbreak; }
      vmcase(OP_POP) { sp--; vmbreak; }
      vmcase(OP_ADD) { sp--; DECOP(dec_add(sp[-1].n, sp[0].n, &sp[-1].n)); vmbreak; }
      vmcase(OP_SUB) { sp--; DECOP(dec_sub(sp[-1].n, sp[0].n, &sp[-1].n)); vmbreak; }
      vmcase(OP_MUL) { sp--; DECOP(dec_mul(sp[-1].n, sp[0].n, &sp[-1].n)); vmbreak; }
      vmcase(OP_DIV) { sp--; DECOP(dec_div(sp[-1].n, sp[0].n, &sp[-1].n)); vmbreak; }
      vmcase(OP_NEG) { DECOP(dec_neg(sp[-1].n, &sp[-1].n)); vmbreak; }
      vmcase(OP_MIN) { sp--; if (sp[0].n < sp[-1].n) sp[-1].n = sp[0].n; vmbreak; }
      vmcase(OP_MAX) { sp--; if (sp[0].n > sp[-1].n) sp[-1].n = sp[0].n; vmbreak; }
      vmcase(OP_FLOOR) { DECOP(dec_floor(sp[-1].n, &sp[-1].n)); vmbreak; }
      vmcase(OP_CEIL) { DECOP(dec_ceil(sp[-1].n, &sp[-1].n)); vmbreak; }
      vmcase(OP_ROUND) { DECOP(dec_round(sp[-1].n, A, &sp[-1].n)); vmbreak; }
      vmcase(OP_ABS) { sp[-1].n = dec_abs(sp[-1].n); vmbreak; }
      vmcase(OP_DIVFLOOR) { sp--; DECOP(dec_div_to(sp[-1].n, sp[0].n, 0, DEC_FLOOR, &sp[-1].n)); vmbreak; }
      vmcase(OP_DIVCEIL) { sp--; DECOP(dec_div_to(sp[-1].n, sp[0].n, 0, DEC_CEIL, &sp[-1].n)); vmbreak; }
      vmcase(OP_DIVROUND) { sp--; DECOP(dec_div_to(sp[-1].n, sp[0].n, A, DEC_HALF_AWAY, &sp[-1].n)); vmbreak; }
      vmcase(OP_ADDDAYS)
      vmcase(OP_ADDMONTHS) {
        int64_t n;
        sp--;
        if (!whole_count(sp[0].n, &n)) FAIL(VM_FRACTION);
        bool ok = INSN_OP(w) == OP_ADDDAYS ? date_add_days(sp[-1].n, n, &sp[-1].n)
                                           : date_add_months(sp[-1].n, n, &sp[-1].n);
        if (!ok) FAIL(VM_DATE_RANGE);
        vmbreak;
      }
      vmcase(OP_DATEDIFF) {
        int64_t days;
        DecStatus ds;
        sp--;
        if (__builtin_sub_overflow(sp[-1].n, sp[0].n, &days)) FAIL(VM_DATE_RANGE);
        sp[-1].n = dec_from_int(days, &ds);
        if (ds != DEC_OK) FAIL(VM_DATE_RANGE);
        vmbreak;
      }
      vmcase(OP_EQ) { sp--; sp[-1].n = sp[-1].n == sp[0].n; vmbreak; }
      vmcase(OP_NE) { sp--; sp[-1].n = sp[-1].n != sp[0].n; vmbreak; }
      vmcase(OP_LT) { sp--; sp[-1].n = sp[-1].n < sp[0].n; vmbreak; }
      vmcase(OP_LE) { sp--; sp[-1].n = sp[-1].n <= sp[0].n; vmbreak; }
      vmcase(OP_GT) { sp--; sp[-1].n = sp[-1].n > sp[0].n; vmbreak; }
      vmcase(OP_GE) { sp--; sp[-1].n = sp[-1].n >= sp[0].n; vmbreak; }
      vmcase(OP_TEQ)
      vmcase(OP_TNE) {
        sp--;
        /* Texts compare by bytes; a value that is not text (possible only in
           a hand-made bytecode file) compares by number, never dereferenced. */
        bool eq = sp[-1].s && sp[0].s
                      ? sp[-1].n == sp[0].n && memcmp(sp[-1].s, sp[0].s, (size_t)sp[0].n) == 0
                      : !sp[-1].s && !sp[0].s && sp[-1].n == sp[0].n;
        sp[-1] = (Value){INSN_OP(w) == OP_TEQ ? eq : !eq, NULL};
        vmbreak;
      }
      vmcase(OP_NOT) { sp[-1].n = !sp[-1].n; vmbreak; }
      vmcase(OP_JMP) { pc = A; vmbreak; }
      vmcase(OP_JMPF) { if (!(--sp)->n) pc = A; vmbreak; }
      vmcase(OP_JFK) { if (!sp[-1].n) pc = A; else sp--; vmbreak; }
      vmcase(OP_JTK) { if (sp[-1].n) pc = A; else sp--; vmbreak; }
      vmcase(OP_NOMATCH) { FAIL(VM_NOMATCH); }
      vmcase(OP_TRACE) {
        if (vm->ntrace < p->nsites) vm->trace[vm->ntrace++] = (TraceEvent){A, sp[-1]};
        vmbreak;
      }
      vmcase(OP_TRACK) { vm->track = A; vmbreak; }
      vmcase(OP_TRACKIS) { *sp++ = (Value){vm->track == A, NULL}; vmbreak; }
      vmcase(OP_BENEFIT) { *sp++ = vm_benefit(vm, A); vmbreak; }
      vmcase(OP_TIER) { vm->tier = A; vmbreak; }
      vmcase(OP_TIERVAL) { *sp++ = (Value){vm->tier, NULL}; vmbreak; }
      vmcase(OP_UNSET) { *sp++ = value_unset(); vmbreak; }
      vmcase(OP_VALSET) { sp[-1] = (Value){!value_is_unset(sp[-1]), NULL}; vmbreak; }
      vmcase(OP_TIERIN) {
        int64_t t = sp[-1].n, hi = (int32_t)code[pc++];
        sp[-1] = (Value){((A & TIERIN_LO) <= t && t <= hi) || (t == -1 && (A & TIERIN_NONE)), NULL};
        vmbreak;
      }
      vmcase(OP_LADDER) {
        if ((--sp)->n && !broken) vm->tier = A;
        else broken = true;
        try_pc = -1;
        vmbreak;
      }
      vmcase(OP_TRY) {
        try_pc = A;
        try_site = (int)code[pc++];
        try_sp = sp;
        try_fp = fp;
        vmbreak;
      }
      vmcase(OP_AGGBEGIN) {
        int target = (int)code[pc++];
        AggState *g = &vm->aggs[A];
        const ActList *al = row->acts;
        *g = (AggState){0, al ? al->n : 0, 0, {0, NULL}, false, vm->cur_agg, vm->act, vm->aset};
        if (p->aggs[A].kind == AGG_DISTINCT && !distinct_room(vm, g->n)) FAIL(VM_OVERFLOW);
        vm->cur_agg = A;
        if (g->n == 0) { pc = target; vmbreak; }
        vm->act = al->vals;
        vm->aset = al->set;
        vmbreak;
      }
      vmcase(OP_AGGNEXT) {
        int target = (int)code[pc++];
        AggState *g = &vm->aggs[A];
        const AggInfo *ai = &p->aggs[A];
        bool take = (--sp)->n != 0;
        if (take && ai->field >= 0 && (!vm->aset || !vm->aset[ai->field])) {   /* nothing to sum, compare or count */
          act_note(vm, -2, ai->field, false);
          take = false;
        } else {
          act_note(vm, -2, -1, take);
        }
        if (take) {
          Value v = ai->field >= 0 && vm->act ? vm->act[ai->field] : (Value){0, NULL};
          switch (ai->kind) {
          case AGG_COUNT: g->count++; break;
          case AGG_SUM: DECOP(dec_add(g->acc.n, v.n, &g->acc.n)); break;
          case AGG_MIN: if (!g->has || v.n < g->acc.n) g->acc = v; g->has = true; break;
          case AGG_MAX: if (!g->has || v.n > g->acc.n) g->acc = v; g->has = true; break;
          case AGG_DISTINCT: vm->distinct[(size_t)A * (vm->distinct_cap / (size_t)(p->naggs ? p->naggs : 1)) + (size_t)g->count++] = v; break;
          }
        }
        if (++g->i < g->n && row->acts && g->i < row->acts->n) {
          const ActList *al = row->acts;
          vm->act = al->vals + (size_t)g->i * (size_t)p->nafields;
          vm->aset = al->set + (size_t)g->i * (size_t)p->nafields;
          pc = target;
        }
        vmbreak;
      }
      vmcase(OP_AGGEND) {
        AggState *g = &vm->aggs[A];
        const AggInfo *ai = &p->aggs[A];
        Value r = g->acc;
        DecStatus ds = DEC_OK;
        switch (ai->kind) {
        case AGG_COUNT: r = (Value){dec_from_int(g->count, &ds), NULL}; break;
        case AGG_DISTINCT: {   /* nothing kept: no room was needed, and distinct may be NULL */
          Value *mine = g->count ? vm->distinct + (size_t)A * (vm->distinct_cap / (size_t)(p->naggs ? p->naggs : 1)) : NULL;
          r = (Value){dec_from_int(mine ? count_distinct(mine, (int)g->count) : 0, &ds), NULL};
          break;
        }
        case AGG_MIN: case AGG_MAX: if (!g->has) r = value_unset(); break;
        default: break;
        }
        if (ds != DEC_OK) FAIL(VM_OVERFLOW);
        *sp++ = r;
        vm->cur_agg = g->prev_agg;
        vm->act = g->prev_act;
        vm->aset = g->prev_set;
        vmbreak;
      }
      /* Outside an aggregate's loop (only in a hand-made file) there is no
         activity: no value, never a read. */
      vmcase(OP_AFIELD) { *sp++ = vm->act ? vm->act[A] : (Value){0, NULL}; vmbreak; }
      vmcase(OP_AISSET) { *sp++ = (Value){vm->aset ? vm->aset[A] : 0, NULL}; vmbreak; }
      vmcase(OP_AUNSET) { act_note(vm, -1, A, false); *sp++ = (Value){0, NULL}; vmbreak; }
      vmcase(OP_ACOND) { act_note(vm, A, -1, sp[-1].n != 0); vmbreak; }
      vmcase(OP_RUNDATE) { *sp++ = (Value){vm->dates[A], NULL}; vmbreak; }
      vmcase(OP_HALT) { return VM_OK; }
      vmdefault FAIL(VM_OVERFLOW);   /* unreachable: the compiler emits no other */
    }
  }
fail:
  if (try_pc >= 0 && broken) {   /* above a failed tier: say so, and go on */
    if (vm->ntrace < p->nsites)
      vm->trace[vm->ntrace++] = (TraceEvent){try_site, (Value){-1, vm_status_text(st)}};
    sp = try_sp;
    fp = try_fp;
    pc = try_pc;
    try_pc = -1;
    st = VM_OK;
    goto resume;
  }
  vm->err_pc = pc - 1;
  return st;
#undef A
#undef FAIL
#undef DECOP
}

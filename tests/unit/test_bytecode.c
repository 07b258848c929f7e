/* test_bytecode.c — bytecode files: round trips, and no corrupted or
   hand-made file gets past the loader and verifier to crash the VM. */
#include "helpers.h"
#include "../../runtime/bytecode.h"

static unsigned char *serialize(const Program *p, size_t *len) {
  char *buf = NULL;
  FILE *m = open_memstream(&buf, len);
  assert_true(bc_write(p, m));
  fclose(m);
  return (unsigned char *)buf;
}

static void load_zoho(Program *p) {
  Ast ast;
  DiagList dl;
  diag_init(&dl);
  assert_true(front_compile("programs/zoho/zoho.rubric", &ast, &dl, p));
  ast_free(&ast);
  diag_free(&dl);
}

/* Scores every partner of partners.csv; returns a checksum of all slot
   values, tiers and statuses, so two programs can be compared. */
static uint64_t score_all(const Program *p) {
  FILE *f = fopen("programs/zoho/partners.csv", "rb");
  assert_non_null(f);
  CsvReader r;
  csv_open(&r, f, "partners.csv");
  RowMap m;
  char msg[256], why[REC_WHY_MAX];
  Value vals[32];
  uint8_t set[32];
  Row row = {vals, set, NULL};
  VmCtx vm;
  assert_true(vm_init(&vm, p));
  uint64_t h = 1469598103934665603ull;
  assert_int_equal(csv_next(&r), 1);
  /* A mutated program may name its fields differently: then its own test
     records are what it runs on. */
  bool csv = rec_map_header(p, &r, &m, msg, sizeof msg) && p->nfields <= 32;
  int t = 0;
  while (csv ? csv_next(&r) : t < p->ntests) {
    int field;
    if (!csv) {
      row = (Row){p->tests[t].given, p->tests[t].given_set, NULL};
      t++;
    } else if (!rec_validate(p, &r, &m, &row, &field, why)) {
      continue;
    }
    for (int pass = 0; pass < 2; pass++) {
      vm.tracing = pass;
      VmStatus st = vm_eval(&vm, &row);
      h = (h ^ (uint64_t)st) * 1099511628211ull;
      h = (h ^ (uint64_t)vm.tier) * 1099511628211ull;
      for (int s = 0; s < p->nslots; s++)
        if (vm_computed(&vm, s)) h = (h ^ (uint64_t)vm.slots[s].n) * 1099511628211ull;
    }
  }
  rec_map_free(&m);
  vm_free(&vm);
  csv_close(&r);
  fclose(f);
  return h;
}

static void round_trip_gives_the_same_results(void **state) {
  (void)state;
  Program p, q;
  load_zoho(&p);
  size_t len;
  unsigned char *data = serialize(&p, &len);
  char why[256];
  assert_true(bc_read(data, len, &q, why, sizeof why));
  assert_int_equal(q.nslots, p.nslots);
  assert_int_equal(q.code[0].n, p.code[0].n);
  assert_memory_equal(q.code[0].words, p.code[0].words, (size_t)p.code[0].n * 4);
  assert_int_equal(q.code[0].stack, p.code[0].stack);   /* the verifier's bound is the compiler's */
  assert_int_equal(q.code[1].stack, p.code[1].stack);
  assert_true(score_all(&p) == score_all(&q));
  /* and writing what was read gives the same bytes */
  size_t len2;
  unsigned char *again = serialize(&q, &len2);
  assert_int_equal(len2, len);
  assert_memory_equal(again, data, len);
  free(again);
  free(data);
  program_free(&q);
  program_free(&p);
}

/* int fields and `places N` are part of a field's description in the
   file, and the loaded program validates records by them. */
static void field_kinds_and_places_survive_a_round_trip(void **state) {
  (void)state;
  Compiled *c = compile_text("record { id text key  k int  rev money places 2 }\n"
                             "category c { points p = k + rev / $1 }\n");
  assert_true(c->ok);
  size_t len;
  unsigned char *data = serialize(&c->prog, &len);
  Program q;
  char why[256];
  assert_true(bc_read(data, len, &q, why, sizeof why));
  const FieldInfo *k = &q.fields[field_of(&q, "k")], *rev = &q.fields[field_of(&q, "rev")];
  assert_int_equal(k->kind, FIELD_INT);
  assert_int_equal(rev->places, 2);
  Value v;
  assert_false(rec_parse_cell(rev, "1.234", 5, &v, why));
  assert_true(rec_parse_cell(k, "-4", 2, &v, why));
  /* a field of no known kind, or more places than a Dec has, is refused */
  program_free(&q);
  c->prog.fields[1].kind = FIELD_INT + 1;
  free(data);
  data = serialize(&c->prog, &len);
  assert_false(bc_read(data, len, &q, why, sizeof why));
  assert_non_null(strstr(why, "field 1 is malformed"));
  c->prog.fields[1].kind = FIELD_INT;
  c->prog.fields[2].places = DEC_DIGITS + 1;
  free(data);
  data = serialize(&c->prog, &len);
  assert_false(bc_read(data, len, &q, why, sizeof why));
  assert_non_null(strstr(why, "field 2 is malformed"));
  c->prog.fields[2].places = 2;
  free(data);
  compiled_free(c);
}

/* A field's range end that names fields is a short program the verifier
   checks like code: known steps, required fields, a stack that holds, one
   value left; and every such field listed once for validation. */
static void range_ends_are_verified(void **state) {
  (void)state;
  Compiled *c = compile_text("record { id text key  n count  o number optional  pts number in n..5 * n }\n");
  assert_true(c->ok);
  Program *p = &c->prog;
  char why[256];
  FieldInfo *pts = &p->fields[field_of(p, "pts")];
  BoundOp *ops = pts->hi_expr.ops;   /* CONST 5; FIELD n; MUL */
  assert_int_equal(pts->hi_expr.nops, 3);
  assert_true(bc_verify(p, why, sizeof why));
  /* a round trip keeps them, and the loaded program validates by them */
  size_t len;
  unsigned char *data = serialize(p, &len);
  Program q;
  assert_true(bc_read(data, len, &q, why, sizeof why));
  assert_int_equal(q.nbounded, 1);
  assert_string_equal(q.fields[q.bounded[0]].hi_expr.text, "5 * n");
  Value vals[4] = {{1, "k"}, {D("3"), NULL}, {0, NULL}, {D("16"), NULL}};
  uint8_t set[4] = {1, 1, 0, 1};
  Row row = {vals, set, NULL};
  int field;
  assert_false(rec_check_bounds(&q, &row, &field, why));
  assert_int_equal(field, 3);
  vals[3].n = D("15");
  assert_true(rec_check_bounds(&q, &row, &field, why));
  program_free(&q);
  free(data);
  struct { BoundOp op; int at; const char *want; } bad[] = {
      {{BX_DATEDIFF + 1, 0}, 2, "malformed step"},
      {{BX_MUL, 0}, 1, "malformed step"},                      /* MUL on one value */
      {{BX_FIELD, 9}, 1, "reads a field out of range"},
      {{BX_FIELD, 2}, 1, "or optional"},                       /* o is optional */
      {{BX_CONST, 1}, 2, "is malformed"}};                     /* three values left */
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    BoundOp old = ops[bad[i].at];
    ops[bad[i].at] = bad[i].op;
    assert_false(bc_verify(p, why, sizeof why));
    if (!strstr(why, bad[i].want)) fail_msg("got: %s\nwant: %s", why, bad[i].want);
    ops[bad[i].at] = old;
  }
  p->bounded[0] = field_of(p, "n");   /* a field without such a range */
  assert_false(bc_verify(p, why, sizeof why));
  assert_non_null(strstr(why, "has no such range"));
  p->bounded[0] = field_of(p, "pts");
  p->nbounded = 0;                     /* a check left out */
  assert_false(bc_verify(p, why, sizeof why));
  assert_non_null(strstr(why, "not all listed"));
  p->nbounded = 1;
  assert_true(bc_verify(p, why, sizeof why));
  compiled_free(c);
}

static void truncated_and_corrupted_files_are_refused(void **state) {
  (void)state;
  Program p, q;
  load_zoho(&p);
  size_t len;
  unsigned char *data = serialize(&p, &len);
  char why[256];
  for (size_t n = 0; n < len; n += 1 + n / 64) assert_false(bc_read(data, n, &q, why, sizeof why));
  assert_false(bc_read(data, len - 1, &q, why, sizeof why));
  char want[128];
  snprintf(want, sizeof want, "the file is truncated: its header says %zu bytes of contents, it has %zu",
           len - 24, len - 25);
  assert_string_equal(why, want);
  for (size_t i = 24; i < len; i += 7) {   /* any changed byte fails the checksum */
    data[i] ^= 0x40;
    assert_false(bc_read(data, len, &q, why, sizeof why));
    data[i] ^= 0x40;
  }
  snprintf(want, sizeof want, "bytecode format version 99, but this rubric reads version %d: rebuild it",
           BC_VERSION);
  assert_string_equal((data[4] = 99, bc_read(data, len, &q, why, sizeof why) ? "" : why), want);
  data[4] = BC_VERSION;
  memcpy(data, "RBX", 3);
  assert_false(bc_read(data, len, &q, why, sizeof why));
  assert_string_equal(why, "not a rubric bytecode file");
  free(data);
  program_free(&p);
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

/* Flip bytes, then re-seal the checksum so the loader and verifier (not
   the checksum) must stop what would be unsafe.  Whatever loads must score
   every record without crashing (ASan and UBSan watch in make sanitize). */
static void resealed_mutations_never_crash(void **state) {
  (void)state;
  Program p;
  load_zoho(&p);
  size_t len;
  unsigned char *data = serialize(&p, &len);
  unsigned char *copy = malloc(len);
  char why[256];
  int loaded = 0, refused = 0;
  for (int round = 0; round < 1500; round++) {
    memcpy(copy, data, len);
    int flips = 1 + (int)(next() % 3);
    for (int k = 0; k < flips; k++) copy[24 + next() % (len - 24)] ^= (unsigned char)(1u << (next() % 8));
    uint64_t sum = bc_checksum(copy + 24, len - 24);
    for (int i = 0; i < 8; i++) copy[16 + i] = (unsigned char)(sum >> (8 * i));
    Program q;
    if (bc_read(copy, len, &q, why, sizeof why)) {
      loaded++;
      score_all(&q);
      program_free(&q);
    } else {
      refused++;
      assert_true(strlen(why) > 0);
    }
  }
  assert_true(loaded > 0 && refused > 0);   /* both paths were exercised */
  free(copy);
  free(data);
  program_free(&p);
}

/* Break one thing in a real program's code; the verifier must say so. */
static void expect_unverified(uint32_t *word, uint32_t value, const char *want, Program *p) {
  uint32_t old = *word;
  *word = value;
  char why[256];
  assert_false(bc_verify(p, why, sizeof why));
  if (!strstr(why, want)) fail_msg("got: %s\nwant: %s", why, want);
  *word = old;
  assert_true(bc_verify(p, why, sizeof why));
}

static void the_verifier_names_what_is_wrong(void **state) {
  (void)state;
  Compiled *c = compile_text("record { id text key  n count }\n"
                             "let twice = n * 2\n"
                             "category c { points p = if n > 1 then twice else 0 }\n"
                             "tiers { tier t when score > 5 }\n");
  assert_true(c->ok);
  Program *p = &c->prog;
  char why[256];
  assert_true(bc_verify(p, why, sizeof why));
  Code *code = &p->code[0];
  int main_end = 0;
  while (INSN_OP(code->words[main_end]) != OP_HALT) main_end++;
  /* an opcode that does not exist; an operand out of range */
  expect_unverified(&code->words[0], INSN(OP__COUNT + 3, 0), "is not an instruction", p);
  expect_unverified(&code->words[0], INSN(OP_CONST, 999), "operand out of range", p);
  /* main returns; main pops from an empty stack; a jump lands mid-instruction */
  expect_unverified(&code->words[2], INSN(OP_RET, 0), "returns from the wrong place", p);
  expect_unverified(&code->words[0], INSN(OP_POP, 0), "takes from an empty stack", p);
  expect_unverified(&code->words[main_end], INSN(OP_POP, 0), "empty stack", p);
  /* VALSET and TIERIN read the value on top too (a file that put them
     first read below the stack: found by resealed_mutations_never_crash,
     whose mutations depend on the build folder's path length) */
  expect_unverified(&code->words[0], INSN(OP_VALSET, 0), "takes from an empty stack", p);
  uint32_t w0 = code->words[0], w1 = code->words[1];
  code->words[0] = INSN(OP_TIERIN, 0);
  code->words[1] = 0;
  assert_false(bc_verify(p, why, sizeof why));
  if (!strstr(why, "takes from an empty stack")) fail_msg("got: %s", why);
  code->words[0] = w0;
  code->words[1] = w1;
  /* a slot that calls itself */
  int e = code->entry[0];
  expect_unverified(&code->words[e], INSN(OP_SLOT, 0), "calls itself", p);
  /* a subroutine that halts instead of returning */
  int r = e;
  while (INSN_OP(code->words[r]) != OP_RET) r++;
  expect_unverified(&code->words[r], INSN(OP_HALT, 0), "halts", p);
  /* two slots that call each other: the let calls the points' slot */
  int let = p->score_slot + 1, le = code->entry[let];
  expect_unverified(&code->words[le], INSN(OP_SLOT, 0), "depends on itself", p);
  /* a jump to itself: a loop the stack check alone would let run forever */
  static const int words[] = {
#define OPCODE(name, nwords, effect, meaning) nwords,
#include "opcodes.h"
#undef OPCODE
  };
  int j = 0;
  while (j < code->n && INSN_OP(code->words[j]) != OP_JMP) j += words[INSN_OP(code->words[j])];
  assert_true(j < code->n);
  expect_unverified(&code->words[j], INSN(OP_JMP, j), "jumps backward", p);
  /* a jump into the middle of nowhere: the last word, which falls off the end */
  expect_unverified(&code->words[code->n - 1], INSN(OP_JMPF, 0), "", p);
  compiled_free(c);
}

/* TIERIN names a range of tier indexes (empty when lo = hi + 1) and an
   output names its choice's values: the verifier holds both to the tables,
   and a slot's kind to its place in the layout. */
static void tiers_and_outputs_are_verified(void **state) {
  (void)state;
  Compiled *c = compile_text("record { id text key  n count }\n"
                             "category c { points p = n }\n"
                             "tiers { tier a when true  tier b when score > 5 }\n"
                             "output up = tier >= b\n"
                             "output s one of (lo, hi) = if n > 1 then hi else lo\n");
  assert_true(c->ok);
  Program *p = &c->prog;
  char why[256];
  assert_true(bc_verify(p, why, sizeof why));
  Code *code = &p->code[0];
  int t = 0;
  while (INSN_OP(code->words[t]) != OP_TIERIN) t++;
  assert_int_equal(INSN_A(code->words[t]), 1);            /* b .. b: lo 1 */
  assert_int_equal((int32_t)code->words[t + 1], 1);       /* hi 1 */
  expect_unverified(&code->words[t + 1], 2, "operand out of range", p);             /* hi past the tiers */
  expect_unverified(&code->words[t], INSN(OP_TIERIN, 3), "operand out of range", p);  /* lo past them */
  expect_unverified(&code->words[t + 1], (uint32_t)-2, "operand out of range", p);
  /* an output slot that is not a choice but names values; a choice without */
  SlotInfo *up = &p->slots[p->first_output], *ch = &p->slots[p->first_output + 1];
  assert_int_equal(ch->nmembers, 2);
  up->nmembers = 2;
  up->members = ch->members;
  assert_false(bc_verify(p, why, sizeof why));
  if (!strstr(why, "values it cannot hold")) fail_msg("got: %s", why);
  up->nmembers = 0;
  up->members = NULL;
  ch->nmembers = 0;
  assert_false(bc_verify(p, why, sizeof why));
  if (!strstr(why, "a choice without values")) fail_msg("got: %s", why);
  ch->nmembers = 2;
  up->kind = SLOT_LET;
  assert_false(bc_verify(p, why, sizeof why));
  if (!strstr(why, "wrong kind for its place")) fail_msg("got: %s", why);
  up->kind = SLOT_OUTPUT;
  assert_true(bc_verify(p, why, sizeof why));
  compiled_free(c);
}

/* The rounded quotients (DIVFLOOR, DIVCEIL, DIVROUND A): two operands
   each, and DIVROUND's places 0..6, or the file does not verify. */
static void rounded_quotients_are_verified(void **state) {
  (void)state;
  Compiled *c = compile_text("record { id text key  a number  b number }\n"
                             "category c { points p = round(a / b, 2)  points q = floor(a / b) }\n");
  assert_true(c->ok);
  Program *p = &c->prog;
  char why[256];
  assert_true(bc_verify(p, why, sizeof why));
  Code *code = &p->code[0];
  int e = code->entry[slot_of(p, "c.p")];   /* FIELD a; FIELD b; DIVROUND 2; RET */
  assert_int_equal(INSN_OP(code->words[e + 2]), OP_DIVROUND);
  assert_int_equal(INSN_A(code->words[e + 2]), 2);
  expect_unverified(&code->words[e + 2], INSN(OP_DIVROUND, 7), "operand out of range", p);
  expect_unverified(&code->words[e + 1], INSN(OP_DIVROUND, 2), "takes from an empty stack", p);
  int f = code->entry[slot_of(p, "c.q")];
  assert_int_equal(INSN_OP(code->words[f + 2]), OP_DIVFLOOR);
  expect_unverified(&code->words[f + 1], INSN(OP_DIVCEIL, 0), "takes from an empty stack", p);
  assert_true(bc_verify(p, why, sizeof why));
  compiled_free(c);
}

/* Levers survive a round trip (caps' params, benefits' params, the rules)
   and the verifier checks each param they name: in range, of the type
   the lever needs. */
static void levers_round_trip_and_verify(void **state) {
  (void)state;
  Compiled *c = compile_text("record { id text key  n count  r one of (a, b) }\n"
                             "param cap = 30\nparam when_d = 2024-01-01\nparam cc by r { a = 50, b = 60 }\n"
                             "param rb = 5\nparam t1 = 2\n"
                             "category c ..cc { points p 0..cap = n  points q = band n { ..t1 => 1, ..9 => 3, else => 2 } }\n"
                             "track k 0..cap when true { uses c  tiers { tier t when true } }\n"
                             "benefit rebate { t = rb }\n"
                             "let d = when_d\n");
  assert_true(c->ok);
  Program *p = &c->prog, q;
  size_t len;
  unsigned char *data = serialize(p, &len);
  char why[256];
  assert_true(bc_read(data, len, &q, why, sizeof why));
  assert_int_equal(q.nrules, p->nrules);
  assert_int_equal(q.nrules, 3);   /* the cap, the band's rows, the track (..cc is open below: no rule) */
  const SlotInfo *cap = &q.slots[slot_of(&q, "c.p")], *cat = &q.slots[slot_of(&q, "c")];
  assert_int_equal(cap->hi_param, 0);
  assert_int_equal(cap->lo_param, -1);
  assert_int_equal(cat->hi_param, 2);
  assert_int_equal(q.tracks[0].hi_param, 0);
  assert_int_equal(q.benefits[0].params[0], 3);
  assert_int_equal(q.benefits[0].params[q.ntiers], -1);   /* no tier: the neutral value */
  for (int i = 0; i < q.nrules; i++) {
    assert_int_equal(q.rules[i].hi_param, p->rules[i].hi_param);
    assert_string_equal(q.rules[i].what, p->rules[i].what);
  }
  program_free(&q);
  free(data);
  /* a cap named by a date param, a benefit by a param of another type,
     a rule by a param out of range */
  SlotInfo *s = &p->slots[slot_of(p, "c.p")];
  s->hi_param = 1;
  assert_false(bc_verify(p, why, sizeof why));
  assert_string_equal(why, "the file does not verify: slot 0 has a cap that is not a number param");
  s->hi_param = 9;
  assert_false(bc_verify(p, why, sizeof why));
  s->hi_param = 0;
  p->benefits[0].params[0] = 1;
  assert_false(bc_verify(p, why, sizeof why));
  assert_string_equal(why, "the file does not verify: benefit 0 names a param that is not a number");
  p->benefits[0].params[0] = 3;
  p->tracks[0].lo_param = -2;
  assert_false(bc_verify(p, why, sizeof why));
  p->tracks[0].lo_param = -1;
  p->rules[0].lo_param = p->nparams;
  assert_false(bc_verify(p, why, sizeof why));
  assert_string_equal(why, "the file does not verify: param rule 0 is malformed");
  p->rules[0].lo_param = -1;
  assert_true(bc_verify(p, why, sizeof why));
  compiled_free(c);
}

/* A jump names its target in 24 bits, so a code variant longer than
   PROGRAM_MAX_CODE words cannot be right, whatever its words say: the
   verifier refuses it before reading them (the arrays are calloc'd and
   never touched, so the test costs no real memory). */
static void code_longer_than_a_jump_can_reach_is_refused(void **state) {
  (void)state;
  Compiled *c = compile_text("record { id text key  n count }\n"
                             "category c { points p = n }\n"
                             "tiers { tier t when score > 5 }\n");
  assert_true(c->ok);
  Program *p = &c->prog;
  Code *code = &p->code[1];
  Code saved = *code;
  code->n = PROGRAM_MAX_CODE + 1;
  code->words = calloc((size_t)code->n, sizeof *code->words);
  code->pos = calloc((size_t)code->n, sizeof *code->pos);
  assert_non_null(code->words);
  assert_non_null(code->pos);
  char why[256];
  assert_false(bc_verify(p, why, sizeof why));
  if (!strstr(why, "longer than the 16777216 a jump can reach")) fail_msg("got: %s", why);
  free(code->words);
  free(code->pos);
  *code = saved;
  assert_true(bc_verify(p, why, sizeof why));
  compiled_free(c);
}

/* Activities: the fields, aggregates, tests' activities and the relative
   period survive a round trip; a loop's backward jump must return to just
   after its own AGGBEGIN, and its operands be in range. */
static void activities_round_trip_and_loops_are_verified(void **state) {
  (void)state;
  Compiled *c = compile_text("period 6 months to as_of\neffective 2026-02-01\nrecord { id text key }\n"
                             "activity { partner text key  kind one of (a, b)  on date  amount money optional }\n"
                             "output n = count(activity where kind = a and on in period)\n"
                             "output s = sum(amount of activity where amount > $5)\n"
                             "category c { points p = 0 }\ntiers { tier t when true }\n"
                             "test \"x\" { given { id = \"K\" } activities { a on 2026-01-01 amount $7 } expect { n = 1 } }\n");
  assert_true(c->ok);
  Program *p = &c->prog, q;
  size_t len;
  unsigned char *bytes = serialize(p, &len);
  char why[256];
  assert_true(bc_read(bytes, len, &q, why, sizeof why));
  assert_int_equal(q.nafields, 4);
  assert_int_equal(q.naggs, 2);
  assert_int_equal(q.aggs[0].nconds, 2);
  assert_int_equal(q.aggs[0].cform[0], ACF_EQ);
  assert_int_equal(q.aggs[0].cform[1], ACF_PERIOD);
  assert_string_equal(q.aggs[1].conds[0], "amount > $5");
  assert_int_equal(q.period_months, 6);
  assert_true(q.has_effective);
  assert_int_equal(q.tests[0].nacts, 1);
  assert_int_equal(q.tests[0].acts[1].n, 0);   /* kind a */
  program_free(&q);
  free(bytes);
  Code *code = &p->code[0];
  int b = 0;
  while (INSN_OP(code->words[b]) != OP_AGGBEGIN) b++;
  int nx = b + 2;
  while (INSN_OP(code->words[nx]) != OP_AGGNEXT) nx++;
  /* back to the AGGBEGIN itself, which would start the loop over forever */
  expect_unverified(&code->words[nx + 1], (uint32_t)b, "operand out of range", p);
  /* another aggregate's loop; an aggregate or a field out of range */
  expect_unverified(&code->words[nx], INSN(OP_AGGNEXT, 1), "operand out of range", p);
  expect_unverified(&code->words[b], INSN(OP_AGGBEGIN, 9), "operand out of range", p);
  int f = b;
  while (INSN_OP(code->words[f]) != OP_AFIELD) f++;
  expect_unverified(&code->words[f], INSN(OP_AFIELD, 4), "operand out of range", p);
  compiled_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(round_trip_gives_the_same_results),
      cmocka_unit_test(activities_round_trip_and_loops_are_verified),
      cmocka_unit_test(field_kinds_and_places_survive_a_round_trip),
      cmocka_unit_test(range_ends_are_verified),
      cmocka_unit_test(truncated_and_corrupted_files_are_refused),
      cmocka_unit_test(resealed_mutations_never_crash),
      cmocka_unit_test(the_verifier_names_what_is_wrong),
      cmocka_unit_test(tiers_and_outputs_are_verified),
      cmocka_unit_test(levers_round_trip_and_verify),
      cmocka_unit_test(code_longer_than_a_jump_can_reach_is_refused),
      cmocka_unit_test(rounded_quotients_are_verified),
  };
  return cmocka_run_group_tests_name("bytecode", tests, NULL, NULL);
}

/* test_robust.c — no input crashes rubric, and no failure is silent.
   Every prefix of a real program and of real records, and seeded random
   mutations of both, go through the front end and the record reader.
   Under `make sanitize` this is where memory errors would show. */
#include "helpers.h"
#include "../../fuzz/csv_count.h"

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) fail_msg("cannot open %s (run from the repository root)", path);
  char *buf = malloc(1 << 20);
  *len = fread(buf, 1, 1 << 20, f);
  fclose(f);
  return buf;
}

/* A compile either succeeds or says why. */
static void compile_must_not_fail_silently(const char *text, size_t len) {
  Ast ast;
  DiagList dl;
  Program p;
  diag_init(&dl);
  bool ok = front_compile_text("fuzz.rubric", text, len, &ast, &dl, &p);
  if (!ok && dl.errors == 0) fail_msg("compile failed with no diagnostic:\n%.*s", (int)len, text);
  for (const Diag *d = dl.head; d; d = d->next) {
    assert_non_null(d->msg);
    assert_true(d->src == NULL || (d->line >= 1 && d->col >= 1));
  }
  if (ok) program_free(&p);
  ast_free(&ast);
  diag_free(&dl);
}

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static void every_prefix_of_a_program(void **state) {
  (void)state;
  size_t len;
  char *text = slurp("programs/zoho/zoho.rubric", &len);
  for (size_t n = 0; n <= len; n++) compile_must_not_fail_silently(text, n);
  free(text);
}

static void mutated_programs(void **state) {
  (void)state;
  size_t len;
  char *text = slurp("programs/zoho/zoho.rubric", &len);
  char *copy = malloc(len);
  static const char *const splices[] = {"(", ")", "{", "}", "..", "=>", "$", "\"", "#", "if",
                                        "band", "score", "revenue", "\xff", "9999999999999999",
                                        "0.0000001", "2024-02-30", "not", "default", "is set"};
  for (int round = 0; round < 600; round++) {
    memcpy(copy, text, len);
    int edits = 1 + (int)(next() % 4);
    for (int e = 0; e < edits; e++) {
      size_t at = next() % len;
      if (next() % 2) {
        copy[at] = (char)(next() % 256);
      } else {
        const char *s = splices[next() % (sizeof splices / sizeof *splices)];
        size_t sl = strlen(s);
        if (at + sl < len) memcpy(copy + at, s, sl);
      }
    }
    compile_must_not_fail_silently(copy, len);
  }
  free(copy);
  free(text);
}

/* Every record is either validated or rejected with a reason, and they
   are as many as the simple reader of csv_count.h finds in the text:
   counted apart from the loop that validates them, so a record the real
   reader loses (or invents) fails the test. */
static void read_all(const Program *p, const char *text, size_t len) {
  FILE *f = fmemopen((void *)text, len ? len : 1, "rb");
  if (!len) { fclose(f); return; }
  CsvReader r;
  csv_open(&r, f, "fuzz.csv");
  RowMap m;
  char msg[256], why[REC_WHY_MAX];
  Value vals[32];
  uint8_t set[32];
  Row row = {vals, set, NULL};
  VmCtx vm;
  assert_true(vm_init(&vm, p));
  if (csv_next(&r) && rec_map_header(p, &r, &m, msg, sizeof msg)) {
    long valid = 0, rejected = 0;
    while (csv_next(&r)) {
      int field;
      why[0] = '\0';
      if (rec_validate(p, &r, &m, &row, &field, why)) {
        valid++;
        VmStatus st = vm_eval(&vm, &row);
        assert_true(st == VM_OK || st == VM_OVERFLOW);
      } else {
        rejected++;
        assert_true(why[0] != '\0');
      }
    }
    long want = csv_count_records(text, len);
    if (want != valid + rejected)
      fail_msg("%ld records in the text, %ld validated + %ld rejected:\n%.*s", want, valid,
               rejected, (int)len, text);
  }
  rec_map_free(&m);
  vm_free(&vm);
  csv_close(&r);
  fclose(f);
}

static void every_prefix_and_mutation_of_records(void **state) {
  (void)state;
  size_t plen, len;
  char *prog = slurp("programs/zoho/zoho.rubric", &plen);
  char *text = slurp("programs/zoho/partners.csv", &len);
  Compiled *c = calloc(1, sizeof *c);
  diag_init(&c->dl);
  c->ok = front_compile_text("zoho.rubric", prog, plen, &c->ast, &c->dl, &c->prog);
  assert_true(c->ok);
  assert_true(c->prog.nfields <= 32);
  for (size_t n = 0; n <= len; n++) read_all(&c->prog, text, n);
  char *copy = malloc(len);
  static const char bytes[] = {'"', ',', '\n', '\r', 0, '-', '.', '9', '\xc3', '\xff'};
  for (int round = 0; round < 400; round++) {
    memcpy(copy, text, len);
    for (int e = 0; e < 1 + (int)(next() % 6); e++)
      copy[next() % len] = next() % 3 ? bytes[next() % sizeof bytes] : (char)(next() % 256);
    read_all(&c->prog, copy, len);
  }
  free(copy);
  compiled_free(c);
  free(prog);
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_prefix_of_a_program),
      cmocka_unit_test(mutated_programs),
      cmocka_unit_test(every_prefix_and_mutation_of_records),
  };
  return cmocka_run_group_tests_name("robust", tests, NULL, NULL);
}

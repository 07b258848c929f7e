/*
** fuzz_records.c — CSV input through the reader, the validator and the VM,
** against a program that uses every field type, optional fields, a choice
** key, `places`, ranges that name other fields, tracks, bands, dates and
** division.  Every record must be either
** scored or rejected with a reason, and the records scored or rejected
** must be as many as a second, simpler reader counts in the input
** (csv_count.h), so a record the real reader drops cannot go unseen.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lang/compile.h"
#include "../runtime/vm.h"
#include "csv_count.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char PROGRAM[] =
    "record { id text key  region one of (a, b, c) key  t text  n number in -5..1000000\n"
    "  m money places 2  k count in ..n * 2 + 10  p percent  f flag  d date\n"
    "  o date optional in d..d + 6 months  i int optional in ..k - n }\n"
    "param rate by region { a = 2, b = 3, c = 4 }\n"
    "let since = (o default d) - d\n"
    "category x 0..500 {\n"
    "  points q = band p { ..25 => 0, ..75 => p / 2, else => p }\n"
    "  points r -100..300 = if f then k * rate else m / $1000\n"
    "  points s = if o is set and o <= d + 6 months then since / 30 else 0\n"
    "}\n"
    "category y { points z = n / (k + 1) }\n"
    "track main when region != c { uses x, y  tiers { tier lo when true  tier hi when score > 100 } }\n"
    "track other when region = c { uses y }\n"
    "benefit pct { main.hi = 5 }\n"
    "payout pay = m * pct / 100\n"
    "badge big when t = \"big\"\n";

static Program prog;
static bool ready;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!ready) {
    Ast ast;
    DiagList dl;
    diag_init(&dl);
    if (!front_compile_text("fuzz.rubric", PROGRAM, sizeof PROGRAM - 1, &ast, &dl, &prog)) abort();
    ast_free(&ast);
    diag_free(&dl);
    ready = true;
  }
  FILE *f = fmemopen((void *)data, size ? size : 1, "rb");
  if (!f) return 0;
  if (!size) { fclose(f); return 0; }
  CsvReader r;
  csv_open(&r, f, "fuzz.csv");
  RowMap map;
  char msg[256], why[REC_WHY_MAX];
  Value vals[16];
  uint8_t set[16];
  Row row = {vals, set, NULL};
  VmCtx vm;
  if (!vm_init(&vm, &prog)) abort();
  if (csv_next(&r) && rec_map_header(&prog, &r, &map, msg, sizeof msg)) {
    long scored = 0, rejected = 0, seen = 0;
    while (csv_next(&r)) {
      seen++;
      int field;
      why[0] = '\0';
      if (!rec_validate(&prog, &r, &map, &row, &field, why)) {
        if (!why[0]) abort();            /* a rejection says why */
        rejected++;
        continue;
      }
      vm.tracing = seen % 2;
      if (vm_eval(&vm, &row) == VM_OK) scored++;
      else rejected++;
    }
    /* Counted apart from the loop above: by the simple reader. */
    if (size < REC_MAX_RECORD && csv_count_records((const char *)data, size) != scored + rejected)
      abort();
  }
  rec_map_free(&map);
  vm_free(&vm);
  csv_close(&r);
  fclose(f);
  return 0;
}

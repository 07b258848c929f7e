/*
** fuzz_activities.c — CSV input read as an activity file (runtime/activity.c):
** validated against an activity block of every field type, grouped by
** partner in the whole-file store, decoded and aggregated by the VM.
** Every row must be counted once (read = stored + after the as-of date +
** rejected, and read as many as a second, simpler reader counts in the
** input: csv_count.h), every stored activity must belong to exactly one
** partner, and `count(activity)` must give each partner as many as the
** store holds for it.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lang/compile.h"
#include "../runtime/activity.h"
#include "../runtime/vm.h"
#include "csv_count.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char PROGRAM[] =
    "period 2025-01-01 to 2025-12-31\n"
    "record { id text key }\n"
    "activity { partner text key  kind one of (a, b, c)  on date  amount money optional places 2\n"
    "  n count optional in ..1000  ok flag optional  who text optional  x number optional in -5..5 }\n"
    "window h1 = period.start to period.start + 6 months - 1 day\n"
    "output all = count(activity)\n"
    "output deals = count(activity where kind = a and on in period and (ok or n > 3))\n"
    "output summed = sum(amount of activity where on in h1)\n"
    "output last optional = max(on of activity where not (who = \"z\"))\n"
    "output who = distinct(who of activity)\n"
    "output small = min(x of activity) default 0\n"
    "category c { points p = 0 }\n"
    "tiers { tier t when true }\n";

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
  if (!size) return 0;
  FILE *f = fmemopen((void *)data, size, "rb");
  if (!f) return 0;
  Program shadow;
  act_shadow(&prog, &shadow);
  CsvReader r;
  csv_open(&r, f, "fuzz.csv");
  RowMap map = {0};
  char msg[256];
  if (csv_next(&r) && rec_map_header(&shadow, &r, &map, msg, sizeof msg)) {
    ActStore s;
    ActLog log = {0};
    act_store_init(&s, &prog, true, 64 << 20);
    VmCtx vm;
    if (!vm_init(&vm, &prog)) abort();
    if (act_read(&s, &log, &r, &map, vm.has_as_of, vm.dates[VM_AS_OF])) {
      if (log.st.read != (long)s.n + log.st.after + log.st.rejected) abort();
      if (size < REC_MAX_RECORD && csv_count_records((const char *)data, size) != log.st.read) abort();
      if (s.nkeys && s.first[s.nkeys] != s.n) abort();   /* every activity under one partner */
      ActBuf buf = {0};
      Value id = {1, "k"};
      uint8_t set = 1;
      int all = -1;
      for (int i = prog.first_output; i < prog.nslots; i++)
        if (strcmp(prog.slots[i].name, "all") == 0) all = i;
      for (size_t k = 0; k < s.nkeys; k++) {
        uint32_t n = s.first[k + 1] - s.first[k];
        Row row = {&id, &set, act_decode(&s, s.order, s.first[k], n, &buf)};
        vm.tracing = k % 2;
        if (vm_eval(&vm, &row) == VM_OK && vm.slots[all].n != (int64_t)n * DEC_SCALE) abort();
      }
      act_buf_free(&buf);
    }
    vm_free(&vm);
    act_log_free(&log);
    act_store_free(&s);
  }
  rec_map_free(&map);
  csv_close(&r);
  fclose(f);
  return 0;
}

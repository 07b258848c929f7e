/*
** fuzz_gen.c — structure-aware fuzzing through the program generator.  The
** fuzzer's bytes are not program text but the generator's decisions
** (fuzz/gen.c reads one byte per choice, and 0 once they run out), so every
** input is a valid program with records, and a mutation changes the
** program's structure instead of breaking its syntax.  Each program goes
** through every oracle of fuzz/oracle.c; a broken one prints the program
** and aborts, which libFuzzer reports as a crash with the input saved.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "gen.h"
#include "oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  GenLimits lim;
  gen_default_limits(&lim);
  GenOut g;
  gen_from_bytes(data, size, &lim, &g);
  const char *tmp = getenv("TMPDIR");
  char why[1024];
  if (!orc_check(&g, tmp && *tmp ? tmp : "/tmp", ORC_OPEN, NULL, why, sizeof why)) {
    fprintf(stderr, "fuzz_gen: %s\n--- program\n%s--- records\n%.*s---\n", why, g.program,
            (int)g.records_len, g.records);
    abort();
  }
  gen_free(&g);
  return 0;
}

/*
** fuzz_bytecode.c — bytecode files through the loader and the verifier,
** and whatever verifies through the VM.  The input's header is re-sealed
** (magic, version, length, checksum) so the fuzzer explores the contents,
** not the checksum; seeds are files `rubric build` wrote.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runtime/bytecode.h"
#include "../runtime/vm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 24) return 0;
  unsigned char *copy = malloc(size);
  if (!copy) abort();
  memcpy(copy, data, size);
  memcpy(copy, "RBC\x1a", 4);
  uint32_t version = BC_VERSION;
  uint64_t len = size - 24, sum = bc_checksum(copy + 24, size - 24);
  for (int i = 0; i < 4; i++) copy[4 + i] = (unsigned char)(version >> (8 * i));
  for (int i = 0; i < 8; i++) copy[8 + i] = (unsigned char)(len >> (8 * i));
  for (int i = 0; i < 8; i++) copy[16 + i] = (unsigned char)(sum >> (8 * i));
  Program p;
  char why[512];
  if (bc_read(copy, size, &p, why, sizeof why)) {
    VmCtx vm;
    if (vm_init(&vm, &p)) {
      for (int t = 0; t < p.ntests; t++) {
        Row row = {p.tests[t].given, p.tests[t].given_set, NULL};
        for (int pass = 0; pass < 2; pass++) {
          vm.tracing = pass;
          vm_eval(&vm, &row);
        }
      }
      vm_free(&vm);
    }
    program_free(&p);
  } else if (!why[0]) {
    abort();
  }
  free(copy);
  return 0;
}

/*
** replay.c — runs a fuzz target on files, without libFuzzer: how `make
** check` replays the committed regression inputs and seeds, so every crash
** the fuzzers ever found stays a test.  Prints 'N passed, N failed'.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
  int n = 0;
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "rb");
    if (!f) { fprintf(stderr, "cannot read %s\n", argv[i]); return 2; }
    size_t cap = 1 << 16, len = 0;
    unsigned char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
      len += got;
      if (len == cap) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (!buf) return 2;
    LLVMFuzzerTestOneInput(buf, len);   /* a failure aborts the process */
    free(buf);
    n++;
  }
  printf("%d passed, 0 failed\n", n);
  return 0;
}

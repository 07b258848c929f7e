/*
** prop.c — the program generator as a property test.  For each of COUNT
** seeds from FIRST on, generates a program and its records (fuzz/gen.c)
** and checks every oracle (fuzz/oracle.c); prints each failure with its
** seed, then 'N passed, N failed' (the line tests/run.sh adds up).
**
**   prop [-n COUNT] [-s FIRST] [-d DEPTH] [-x SCALE] [-v] [-k BITS]   check COUNT seeds
**                       (-v: name each seed before checking it; -k: the
**                       open bugs (ORC_KNOWN_* in oracle.h) to let through,
**                       ORC_OPEN unless given; -k 0 lets none through)
**   prop -p SEED        print SEED's program on standard output
**   prop -r SEED        print SEED's records on standard output
**   prop -w DIR -n N    write N programs into DIR (seeds for a fuzz corpus)
**
** A failure is reproduced with `prop -p SEED > p.rubric; prop -r SEED > r.csv`.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gen.h"
#include "oracle.h"

/* Failures printed in full; after that only counted. */
#define MAX_REPORTED 20

static int usage(void) {
  fprintf(stderr, "usage: prop [-n COUNT] [-s FIRST] [-d DEPTH] [-x SCALE] [-v] [-k BITS] | -p SEED | -r SEED | -w DIR -n N\n");
  return 2;
}

int main(int argc, char **argv) {
  long count = 300;
  uint64_t first = 1;
  const char *print = NULL, *records = NULL, *dir = NULL;
  GenLimits lim;
  gen_default_limits(&lim);
  bool verbose = false;
  unsigned tolerate = ORC_OPEN;
  int c;
  while ((c = getopt(argc, argv, "n:s:p:r:w:d:x:vk:")) != -1) {
    switch (c) {
    case 'n': count = strtol(optarg, NULL, 10); break;
    case 's': first = strtoull(optarg, NULL, 10); break;
    case 'p': print = optarg; break;
    case 'r': records = optarg; break;
    case 'w': dir = optarg; break;
    case 'd': lim.max_depth = atoi(optarg); break;
    case 'x': lim.scale = atoi(optarg); break;
    case 'v': verbose = true; break;
    case 'k': tolerate = (unsigned)strtoul(optarg, NULL, 0); break;
    default: return usage();
    }
  }
  if (optind != argc) return usage();
  if (print || records) {
    GenOut g;
    gen_from_seed(strtoull(print ? print : records, NULL, 10), &lim, &g);
    if (print) fwrite(g.program, 1, g.program_len, stdout);
    else fwrite(g.records, 1, g.records_len, stdout);
    gen_free(&g);
    return 0;
  }
  if (dir) {
    for (long i = 0; i < count; i++) {
      GenOut g;
      gen_from_seed(first + (uint64_t)i, &lim, &g);
      char path[4096];
      snprintf(path, sizeof path, "%s/gen-%llu.rubric", dir, (unsigned long long)(first + (uint64_t)i));
      FILE *f = fopen(path, "wb");
      if (!f || fwrite(g.program, 1, g.program_len, f) != g.program_len || fclose(f) != 0) {
        fprintf(stderr, "prop: cannot write %s\n", path);
        return 2;
      }
      gen_free(&g);
    }
    return 0;
  }
  const char *tmp = getenv("TMPDIR");
  if (!tmp || !*tmp) tmp = "/tmp";
  long passed = 0, failed = 0;
  OrcStats st = {0};
  clock_t t0 = clock();
  for (long i = 0; i < count; i++) {
    uint64_t seed = first + (uint64_t)i;
    GenOut g;
    gen_from_seed(seed, &lim, &g);
    if (verbose) fprintf(stderr, "seed %llu\n", (unsigned long long)seed);
    char why[1024];
    if (orc_check(&g, tmp, tolerate, &st, why, sizeof why)) {
      passed++;
    } else {
      if (failed < MAX_REPORTED) printf("seed %llu: %s\n", (unsigned long long)seed, why);
      failed++;
    }
    gen_free(&g);
  }
  fprintf(stderr, "prop: %ld programs, %ld records: %ld scored, %ld unassigned, %ld rejected; "
          "%ld probe values exact; %.1f s of CPU\n", count, st.rows, st.scored, st.unassigned, st.rejected,
          st.probes, (double)(clock() - t0) / CLOCKS_PER_SEC);
  if (st.tolerated) fprintf(stderr, "prop: %ld failures of known bugs (-k %u) let through\n", st.tolerated, tolerate);
  printf("%ld passed, %ld failed\n", passed, failed);
  return failed ? 1 : 0;
}

/*
** faults.c — see faults.h.  Counters are per process and not locked:
** writes and closes happen on the thread that owns the output, and an
** allocation counted twice by racing threads only moves which call fails.
*/
#include "faults.h"

#ifdef RUBRIC_FAULTS
#include <stdlib.h>

static long left[3];          /* calls until the failing one; 0: never */
static bool started;

static void start(void) {
  static const char *const var[] = {"RUBRIC_FAIL_WRITE", "RUBRIC_FAIL_CLOSE", "RUBRIC_FAIL_ALLOC"};
  started = true;
  for (int k = 0; k < 3; k++) {
    const char *s = getenv(var[k]);   /* getenv does not allocate */
    left[k] = s ? atol(s) : 0;
  }
}

bool fault_now(FaultKind k) {
  if (!started) start();
  return left[k] > 0 && --left[k] == 0;
}

size_t fault_buffer_size(void) { return 16; }

#else

bool fault_now(FaultKind k) { (void)k; return false; }
size_t fault_buffer_size(void) { return 0; }

#endif

/*
** faults.c — see faults.h.  The counters are not locked: writes and
** closes happen on the thread that owns the output, and an allocation
** counted by two racing threads at once only moves which call fails.
*/
#include "faults.h"

#ifdef RUBRIC_FAULTS
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

static long left[3];   /* calls until the failing one; 0: none fails */
static bool started;

static void start(void) {
  static const char *const var[] = {"RUBRIC_FAIL_WRITE", "RUBRIC_FAIL_CLOSE", "RUBRIC_FAIL_ALLOC"};
  started = true;
  for (int k = 0; k < 3; k++) {
    const char *s = getenv(var[k]);   /* getenv does not allocate */
    left[k] = s ? atol(s) : 0;
  }
}

/* The failing call also creates the file RUBRIC_FAULT_FIRED names, if
   set, so that the test knows this run met its fault: it must then fail
   with a message; a run that never met it must succeed as usual. */
bool fault_now(FaultKind k) {
  if (!started) start();
  if (left[k] <= 0 || --left[k] != 0) return false;
  const char *fired = getenv("RUBRIC_FAULT_FIRED");
  int fd = fired ? open(fired, O_WRONLY | O_CREAT | O_CLOEXEC, 0644) : -1;
  if (fd >= 0) close(fd);
  return true;
}

size_t fault_buffer_size(void) { return 16; }

#else

bool fault_now(FaultKind k) { (void)k; return false; }
size_t fault_buffer_size(void) { return 0; }

#endif

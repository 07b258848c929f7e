/*
** mem.c — the command line's allocator: out of memory is a message and
** exit status 2, never abort() and a core dump.
**
** The library checks every allocation and calls abort() when one fails,
** because a library must not decide to end its host.  The rubric binary
** is linked with -Wl,--wrap=malloc (and calloc, realloc, strdup, strndup),
** so every call the library and the command line make lands here
** instead: a failed allocation removes the temporary files being written
** (the outputs stay as they were), says "rubric: out of memory" and ends
** the process with _exit(2), which is safe while other threads score.  So no caller ever
** sees NULL.  It is also where the test build fails the N-th allocation
** (faults.h).  Only the rubric binary links this file.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "faults.h"
#include "outfile.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static _Noreturn void out_of_memory(void) {
  static const char msg[] = "rubric: out of memory\n";
  outfile_remove_temporaries();
  if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) { /* nowhere left to say it */ }
  _exit(2);
}

void *__wrap_malloc(size_t n) {
  void *p = fault_now(FAULT_ALLOC) ? NULL : __real_malloc(n);
  if (!p) out_of_memory();
  return p;
}

void *__wrap_calloc(size_t n, size_t size) {
  void *p = fault_now(FAULT_ALLOC) ? NULL : __real_calloc(n, size);
  if (!p) out_of_memory();
  return p;
}

/* realloc(p, 0) may free p and return NULL: that is not a failure. */
void *__wrap_realloc(void *p, size_t n) {
  void *q = n && fault_now(FAULT_ALLOC) ? NULL : __real_realloc(p, n);
  if (!q && n) out_of_memory();
  return q;
}

char *__wrap_strdup(const char *s) {
  size_t n = strlen(s) + 1;
  return memcpy(__wrap_malloc(n), s, n);
}

char *__wrap_strndup(const char *s, size_t n) {
  size_t len = strnlen(s, n);
  char *d = __wrap_malloc(len + 1);
  memcpy(d, s, len);
  d[len] = '\0';
  return d;
}

/*
** faults.h — failures on purpose, for tests (as SQLite tests malloc).
**
** The command line asks here before each write, close and allocation it
** makes.  In the product every answer is "go ahead".  A test build
** (cli/faults.c compiled with -DRUBRIC_FAULTS: build/tests/rubric-faults)
** reads RUBRIC_FAIL_WRITE=N, RUBRIC_FAIL_CLOSE=N and RUBRIC_FAIL_ALLOC=N
** from the environment and fails the N-th write, close or allocation of
** the run (and creates the file RUBRIC_FAULT_FIRED names, if set, when
** it does); tests/faults.sh runs every command with every N until one
** run meets no fault.  This file must not print or allocate: the allocator calls it.
*/
#ifndef RUBRIC_FAULTS_H
#define RUBRIC_FAULTS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { FAULT_WRITE, FAULT_CLOSE, FAULT_ALLOC } FaultKind;

/* True when this call (the next write, close or allocation) must fail. */
bool fault_now(FaultKind k);
/* The buffer size an output stream should use: 0 for the C library's
   default; a few bytes in the test build, so that a short run makes many
   writes and every one of them can be made to fail. */
size_t fault_buffer_size(void);

#endif

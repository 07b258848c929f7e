/*
** bytecode.h — compiled programs written to files and loaded back (bc_).
*/
#ifndef RUBRIC_BYTECODE_H
#define RUBRIC_BYTECODE_H

#include <stdbool.h>
#include <stdio.h>

#include "program.h"

/* The file format's version: bump it whenever the layout or the meaning of
   any opcode changes, so old files are refused, not misread. */
#define BC_VERSION 6   /* 2: TRY, for explain above a failed tier; sites' calls.
                          3: outputs (their slots, and a choice's members).
                          4: DIVFLOOR, DIVCEIL, DIVROUND (a quotient rounded once);
                          int fields and `places N`.
                          5: params as levers: caps' and ranges' param ends,
                          benefits' param values, the params' rules.
                          6: activities: their fields, the aggregates and
                          their opcodes (AGGBEGIN...RUNDATE), a relative
                          period, `effective`, tests' activities */

bool bc_write(const Program *p, FILE *out);
/* Loads and verifies; false with a reason a person can act on. */
bool bc_read(const unsigned char *data, size_t len, Program *p, char *why, size_t whyn);
/* Checks what the VM relies on (see bytecode.c); sets each code's stack. */
bool bc_verify(Program *p, char *why, size_t whyn);
uint64_t bc_checksum(const unsigned char *p, size_t n);

#endif

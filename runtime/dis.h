/*
** dis.h — the disassembler: a compiled program as readable text.
*/
#ifndef RUBRIC_DIS_H
#define RUBRIC_DIS_H

#include <stdio.h>

#include "program.h"

/* variant: 0 plain code, 1 traced code. */
void dis_program(const Program *p, int variant, FILE *out);
const char *dis_opname(OpCode op);

#endif

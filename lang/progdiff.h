/*
** progdiff.h — what changed in meaning between two checked programs (pd_).
*/
#ifndef RUBRIC_PROGDIFF_H
#define RUBRIC_PROGDIFF_H

#include <stdio.h>

#include "check.h"

/* Writes one line per change, in words; returns the number of changes. */
int pd_compare(Checker *old, Checker *new, FILE *out);

#endif

/*
** format.h — the canonical layout of program text (fmt_).
*/
#ifndef RUBRIC_FORMAT_H
#define RUBRIC_FORMAT_H

#include <stdio.h>

#include "ast.h"

/* The formatted text of one program file (malloc'd), or NULL with the
   syntax error in dl.  Imports are not followed. */
char *fmt_source(const char *name, const char *text, size_t len, DiagList *dl);
/* An expression in canonical form, on one line. */
void fmt_expr(FILE *out, const Node *n);
/* A band row's head as fmt writes it: `..25`, `..<25` or `250..`. */
void fmt_band_row_head(FILE *out, const Node *row);
/* What print writes for n, as a string (malloc'd): fmt_text(fmt_expr, n). */
char *fmt_text(void (*print)(FILE *, const Node *), const Node *n);

#endif

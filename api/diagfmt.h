/*
** diagfmt.h — diagnostics as text: for people (file:line:col, the source
** line, carets, the hint), as JSON Lines, or as GitHub Actions workflow
** commands.  The front end only collects diagnostics (lang/diag.h); this
** is where a host turns them into one of these forms.
**
** It writes only to the stream it is given and decides nothing: which
** stream, and what a diagnostic does to the exit status, are the caller's.
*/
#ifndef RUBRIC_DIAGFMT_H
#define RUBRIC_DIAGFMT_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"

typedef enum { RB_DIAG_HUMAN, RB_DIAG_JSON, RB_DIAG_GITHUB } RbDiagFormat;

/* The format a name gives ("human", "json", "github"); false for any other. */
bool rb_diag_format_parse(const char *name, RbDiagFormat *fmt);
/* Writes one diagnostic to out.  prog names the program (rubric) in a
   human diagnostic that has no position in a file. */
void rb_diag_print(const Diag *d, RbDiagFormat fmt, const char *prog, FILE *out);
/* Writes every diagnostic of dl, in order. */
void rb_diag_print_list(const DiagList *dl, RbDiagFormat fmt, const char *prog, FILE *out);

/* Text in a GitHub Actions workflow command, escaped as GitHub reads it:
   a property's value (file=...) also escapes ':' and ','. */
void rb_diag_github_escape(FILE *out, const char *s, bool property);

#endif

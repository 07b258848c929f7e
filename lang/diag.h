/*
** diag.h — diagnostics: what the front end and the record validator found
** wrong, each with a stable code, a position and an optional hint.  The
** library only collects them; printing belongs to the caller (the command
** line prints them for people, later for machines).  Codes are listed once,
** in diagcodes.h, and documented in docs/diagnostics.md.
*/
#ifndef RUBRIC_DIAG_H
#define RUBRIC_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } DiagSeverity;

typedef enum {
#define DIAGCODE(id, sev, summary) id,
#include "diagcodes.h"
#undef DIAGCODE
  DIAG__COUNT
} DiagCode;

/* One program text, kept alive as long as anything points into it. */
typedef struct Source {
  char *name;          /* as the user gave it */
  char *text;          /* NUL-terminated copy of the file */
  size_t len;
  struct Source *next;
  uint32_t *line_at;   /* where each line starts (line n at line_at[n - 1]), so
                          printing a diagnostic does not scan the file from
                          its start; NULL for a Source made by hand */
  int nlines;
} Source;

typedef struct Diag {
  DiagCode code;
  DiagSeverity sev;
  const Source *src;   /* NULL when the diagnostic has no program position */
  int line, col, len;  /* 1-based; len = bytes to underline (>= 1) */
  char *msg;
  char *hint;          /* NULL or a suggestion ("did you mean ...?") */
  struct Diag *next;
} Diag;

typedef struct DiagList {
  Diag *head, *tail;
  int errors, warnings;
} DiagList;

void diag_init(DiagList *dl);
void diag_free(DiagList *dl);
Diag *diag_add(DiagList *dl, DiagCode code, const Source *src, int line, int col,
               int len, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
void diag_hint(Diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *diag_code_name(DiagCode code);   /* "R0201" */
DiagSeverity diag_code_severity(DiagCode code);
/* The whole text of the 1-based line `line` of src: pointer and length. */
const char *diag_source_line(const Source *src, int line, int *len);
/* Best candidate within edit distance of `name`, or NULL. */
const char *diag_closest(const char *name, size_t namelen, const char *const *cands,
                         size_t ncands);
/* The candidates nearest to name, all at the same smallest distance (as
   diag_closest measures it), at most max of them, in the order given. */
size_t diag_nearest(const char *name, size_t namelen, const char *const *cands, size_t ncands,
                    const char **out, size_t max);

/* Drops the warnings an author has decided to accept: those whose code is
   one of allow (a run's --allow), and those a comment allows where they
   are reported, `# rubric: allow R0804` (several codes may follow, with
   commas or spaces) at the end of the warning's line or alone on the line
   above.  Errors are never dropped.  Returns how many were. */
int diag_drop_allowed(DiagList *dl, const char *const *allow, int nallow);

#endif

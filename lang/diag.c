/*
** diag.c — collecting diagnostics and finding did-you-mean candidates.
*/
#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *name; DiagSeverity sev; } codes[] = {
#define DIAGCODE(id, sev, summary) {#id, sev},
#include "diagcodes.h"
#undef DIAGCODE
};

const char *diag_code_name(DiagCode code) { return codes[code].name; }
DiagSeverity diag_code_severity(DiagCode code) { return codes[code].sev; }

void diag_init(DiagList *dl) { memset(dl, 0, sizeof *dl); }

void diag_free(DiagList *dl) {
  Diag *d = dl->head;
  while (d) {
    Diag *next = d->next;
    free(d->msg);
    free(d->hint);
    free(d);
    d = next;
  }
  diag_init(dl);
}

static char *vformat(const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  char *s = malloc((size_t)n + 1);
  if (!s) abort();
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  return s;
}

Diag *diag_add(DiagList *dl, DiagCode code, const Source *src, int line, int col,
               int len, const char *fmt, ...) {
  Diag *d = calloc(1, sizeof *d);
  if (!d) abort();
  d->code = code;
  d->sev = codes[code].sev;
  d->src = src;
  d->line = line;
  d->col = col;
  d->len = len < 1 ? 1 : len;
  va_list ap;
  va_start(ap, fmt);
  d->msg = vformat(fmt, ap);
  va_end(ap);
  if (dl->tail) dl->tail->next = d; else dl->head = d;
  dl->tail = d;
  if (d->sev == DIAG_ERROR) dl->errors++;
  else if (d->sev == DIAG_WARNING) dl->warnings++;
  return d;
}

void diag_hint(Diag *d, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  free(d->hint);
  d->hint = vformat(fmt, ap);
  va_end(ap);
}

const char *diag_source_line(const Source *src, int line, int *len) {
  const char *p = src->text, *end = src->text + src->len;
  if (src->line_at && line >= 1 && line <= src->nlines)
    p = src->text + src->line_at[line - 1];
  else
    for (int l = 1; l < line && p < end; p++)
      if (*p == '\n') l++;
  const char *e = p;
  while (e < end && *e != '\n' && *e != '\r') e++;
  *len = (int)(e - p);
  return p;
}

/* Optimal string alignment distance, bounded: gives up above `limit`. */
static size_t distance(const char *a, size_t n, const char *b, size_t m, size_t limit) {
  enum { MAXLEN = 64 };
  if (n > MAXLEN || m > MAXLEN) return limit + 1;
  size_t d[MAXLEN + 1][MAXLEN + 1];
  for (size_t i = 0; i <= n; i++) d[i][0] = i;
  for (size_t j = 0; j <= m; j++) d[0][j] = j;
  for (size_t i = 1; i <= n; i++)
    for (size_t j = 1; j <= m; j++) {
      size_t cost = a[i - 1] != b[j - 1];
      size_t v = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
      if (d[i - 1][j - 1] + cost < v) v = d[i - 1][j - 1] + cost;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          d[i - 2][j - 2] + 1 < v)
        v = d[i - 2][j - 2] + 1;
      d[i][j] = v;
    }
  return d[n][m];
}

size_t diag_nearest(const char *name, size_t namelen, const char *const *cands, size_t ncands,
                    const char **out, size_t max) {
  /* A third of the name's length, at least one edit, at most three. */
  size_t limit = namelen / 3;
  if (limit < 1) limit = 1;
  if (limit > 3) limit = 3;
  size_t bestd = limit + 1, n = 0;
  for (size_t i = 0; i < ncands; i++) {
    size_t dd = distance(name, namelen, cands[i], strlen(cands[i]), limit);
    if (dd > bestd || dd > limit) continue;
    if (dd < bestd) { bestd = dd; n = 0; }
    if (n < max) out[n++] = cands[i];
  }
  return n;
}

const char *diag_closest(const char *name, size_t namelen, const char *const *cands,
                         size_t ncands) {
  const char *best = NULL;
  return diag_nearest(name, namelen, cands, ncands, &best, 1) ? best : NULL;
}

/* ---- allowed warnings ---- */

/* The text after "# rubric: allow" in line[0..n), outside text literals;
   NULL when the line has no such comment. */
static const char *allow_comment(const char *line, int n, int *rest) {
  bool quoted = false;
  for (int i = 0; i < n; i++) {
    if (line[i] == '"' && (i == 0 || line[i - 1] != '\\')) quoted = !quoted;
    if (line[i] != '#' || quoted) continue;
    int j = i + 1;
    while (j < n && line[j] == ' ') j++;
    static const char tag[] = "rubric: allow";
    if (n - j < (int)sizeof tag - 1 || memcmp(line + j, tag, sizeof tag - 1) != 0) return NULL;
    *rest = n - j - (int)(sizeof tag - 1);
    return line + j + sizeof tag - 1;
  }
  return NULL;
}

static bool lists_code(const char *s, int n, const char *code) {
  size_t len = strlen(code);
  for (int i = 0; i + (int)len <= n; i++)
    if (memcmp(s + i, code, len) == 0 && (i == 0 || s[i - 1] == ' ' || s[i - 1] == ',') &&
        (i + (int)len == n || s[i + len] == ' ' || s[i + len] == ',' || s[i + len] == '\r'))
      return true;
  return false;
}

/* A comment alone on its line: nothing but blanks before the '#'. */
static bool comment_only(const char *line, int n) {
  int i = 0;
  while (i < n && (line[i] == ' ' || line[i] == '\t')) i++;
  return i < n && line[i] == '#';
}

static bool allowed_here(const Diag *d) {
  if (!d->src || d->line < 1) return false;
  const char *code = diag_code_name(d->code);
  int n, rest;
  const char *line = diag_source_line(d->src, d->line, &n), *c;
  if (line && (c = allow_comment(line, n, &rest)) && lists_code(c, rest, code)) return true;
  if (d->line < 2) return false;
  line = diag_source_line(d->src, d->line - 1, &n);
  return line && comment_only(line, n) && (c = allow_comment(line, n, &rest)) && lists_code(c, rest, code);
}

int diag_drop_allowed(DiagList *dl, const char *const *allow, int nallow) {
  int dropped = 0;
  Diag **at = &dl->head, *last = NULL;
  while (*at) {
    Diag *d = *at;
    bool drop = false;
    if (d->sev == DIAG_WARNING) {
      for (int i = 0; i < nallow && !drop; i++) drop = strcmp(allow[i], diag_code_name(d->code)) == 0;
      drop = drop || allowed_here(d);
    }
    if (!drop) {
      last = d;
      at = &d->next;
      continue;
    }
    *at = d->next;
    free(d->msg);
    free(d->hint);
    free(d);
    dl->warnings--;
    dropped++;
  }
  dl->tail = last;
  return dropped;
}

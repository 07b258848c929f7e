/*
** writers.c — see writers.h.  Numbers are written in plain decimal
** notation, exact, with trailing zeros trimmed (dec_format).
*/
#include "writers.h"

#include <stdlib.h>
#include <string.h>

void out_csv_cell(FILE *out, const char *s, size_t n) {
  bool quote = false;
  for (size_t i = 0; i < n; i++)
    if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') quote = true;
  if (!quote) { fwrite(s, 1, n, out); return; }
  putc('"', out);
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"') putc('"', out);
    putc(s[i], out);
  }
  putc('"', out);
}

void out_json_string(FILE *out, const char *s, size_t n) {
  putc('"', out);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') { putc('\\', out); putc(c, out); }
    else if (c == '\n') fputs("\\n", out);
    else if (c == '\r') fputs("\\r", out);
    else if (c == '\t') fputs("\\t", out);
    else if (c < 0x20) fprintf(out, "\\u%04x", c);
    else putc(c, out);
  }
  putc('"', out);
}

static bool in_table(const Program *p, int col) {
  /* key, tier, score, then points (hidden), then categories */
  return col < 3 || col >= 3 + p->npoints;
}

static const char *column_name(const Program *p, int col) {
  if (col == 0) return p->key >= 0 ? p->fields[p->key].name : "key";
  if (col == 1) return "tier";
  if (col == 2) return "score";
  return p->slots[col - 3].name;   /* points slots, then category slots */
}

static int ncolumns(const Program *p) { return 3 + p->npoints + p->ncategories; }

static void keep(Writer *w, const char *s, size_t n) {
  if (w->ncells == w->cap) {
    w->cap = w->cap ? w->cap * 2 : 256;
    w->cells = realloc(w->cells, w->cap * sizeof *w->cells);
    if (!w->cells) abort();
  }
  char *c = malloc(n + 1);
  if (!c) abort();
  memcpy(c, s, n);
  c[n] = '\0';
  w->cells[w->ncells++] = c;
}

void out_begin(Writer *w, const Program *p, OutFormat f, FILE *out) {
  memset(w, 0, sizeof *w);
  w->format = f;
  w->prog = p;
  w->out = out;
  int n = ncolumns(p);
  for (int c = 0; c < n; c++) {
    const char *name = column_name(p, c);
    if (f == OUT_CSV) {
      if (c) putc(',', out);
      out_csv_cell(out, name, strlen(name));
    } else if (f == OUT_TABLE && in_table(p, c)) {
      keep(w, name, strlen(name));
      w->ncols++;
    }
  }
  if (f == OUT_CSV) putc('\n', out);
}

/* Text of column c for the current row, in buf (or pointing into the row). */
static const char *cell(const Writer *w, const Row *row, const VmCtx *vm, int c, char *buf,
                        size_t *len) {
  const Program *p = w->prog;
  if (c == 0) {
    const Value *k = &row->vals[p->key];
    *len = (size_t)k->n;
    return k->s;
  }
  if (c == 1) {
    const char *t = vm->tier >= 0 ? p->tiers[vm->tier].name : "";
    *len = strlen(t);
    return t;
  }
  int slot = c == 2 ? p->score_slot : c - 3;
  *len = (size_t)dec_format(vm->slots[slot].n, buf);
  return buf;
}

void out_row(Writer *w, const Row *row, const VmCtx *vm) {
  const Program *p = w->prog;
  int n = ncolumns(p);
  char buf[DEC_FMT_MAX];
  size_t len;
  if (w->format == OUT_JSONL) putc('{', w->out);
  for (int c = 0; c < n; c++) {
    const char *s = cell(w, row, vm, c, buf, &len);
    switch (w->format) {
    case OUT_CSV:
      if (c) putc(',', w->out);
      out_csv_cell(w->out, s, len);
      break;
    case OUT_JSONL: {
      const char *name = column_name(p, c);
      if (c) putc(',', w->out);
      out_json_string(w->out, name, strlen(name));
      putc(':', w->out);
      if (c == 1 && vm->tier < 0) fputs("null", w->out);
      else if (c < 2) out_json_string(w->out, s, len);
      else fwrite(s, 1, len, w->out);
      break;
    }
    case OUT_TABLE:
      if (in_table(p, c)) keep(w, s, len);
      break;
    }
  }
  if (w->format == OUT_JSONL) fputs("}\n", w->out);
  else if (w->format == OUT_CSV) putc('\n', w->out);
}

/* Display width of UTF-8 text: one column per code point. */
static size_t width(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

void out_end(Writer *w) {
  if (w->format == OUT_TABLE && w->ncols) {
    size_t *wid = calloc((size_t)w->ncols, sizeof *wid);
    if (!wid) abort();
    for (size_t i = 0; i < w->ncells; i++) {
      size_t c = i % (size_t)w->ncols, len = width(w->cells[i]);
      if (len > wid[c]) wid[c] = len;
    }
    for (size_t i = 0; i < w->ncells; i++) {
      size_t c = i % (size_t)w->ncols;
      bool right = c >= 2;   /* numbers right-aligned */
      size_t pad = wid[c] - width(w->cells[i]);
      if (c) fputs("  ", w->out);
      if (right) fprintf(w->out, "%*s", (int)pad, "");
      fputs(w->cells[i], w->out);
      if (!right && c + 1 < (size_t)w->ncols) fprintf(w->out, "%*s", (int)pad, "");
      if (c + 1 == (size_t)w->ncols) putc('\n', w->out);
      if (i + 1 == (size_t)w->ncols) {   /* rule under the header */
        for (size_t k = 0; k < (size_t)w->ncols; k++) {
          if (k) fputs("  ", w->out);
          for (size_t d = 0; d < wid[k]; d++) putc('-', w->out);
        }
        putc('\n', w->out);
      }
    }
    free(wid);
  }
  for (size_t i = 0; i < w->ncells; i++) free(w->cells[i]);
  free(w->cells);
  w->cells = NULL;
  w->ncells = 0;
  fflush(w->out);
}

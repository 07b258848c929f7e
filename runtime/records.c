/*
** records.c — see records.h.  The CSV reader is a byte-at-a-time state
** machine over a fixed read buffer: it unescapes each record's cells into
** one growing buffer (reused for every record) and never reads ahead more
** than the buffer holds, so input of any size streams in constant memory.
*/
#include "records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"

enum { READ_CHUNK = 1 << 16 };

/* ---- cells ------------------------------------------------------------------ */

size_t rec_utf8_valid(const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < n) {
    unsigned c = p[i];
    size_t len;
    unsigned min, v;
    if (c < 0x80) { if (c == 0) return i; i++; continue; }
    if (c >= 0xC2 && c <= 0xDF) { len = 2; min = 0x80; v = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; min = 0x800; v = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; min = 0x10000; v = c & 0x07; }
    else return i;
    if (n - i < len) return i;
    for (size_t k = 1; k < len; k++) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      v = (v << 6) | (p[i + k] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return i;
    i += len;
  }
  return n;
}

bool rec_parse_flag(const char *s, size_t n, bool *out) {
  static const char *const yes[] = {"1", "true", "yes"}, *const no[] = {"0", "false", "no"};
  for (int i = 0; i < 3; i++) {
    if (strlen(yes[i]) == n && strncasecmp(s, yes[i], n) == 0) { *out = true; return true; }
    if (strlen(no[i]) == n && strncasecmp(s, no[i], n) == 0) { *out = false; return true; }
  }
  return false;
}

static void bound_text(const FieldInfo *f, int64_t v, char *buf) {
  if (f->kind == FIELD_DATE) date_format(v, buf);
  else dec_format(v, buf);
}

static bool check_range(const FieldInfo *f, int64_t v, char *why) {
  if ((f->has_lo && v < f->lo) || (f->has_hi && v > f->hi)) {
    char lo[DEC_FMT_MAX] = "", hi[DEC_FMT_MAX] = "";
    if (f->has_lo) bound_text(f, f->lo, lo);
    if (f->has_hi) bound_text(f, f->hi, hi);
    if (f->has_lo && f->has_hi) snprintf(why, REC_WHY_MAX, "must be from %s to %s", lo, hi);
    else if (f->has_lo) snprintf(why, REC_WHY_MAX, "must be at least %s", lo);
    else snprintf(why, REC_WHY_MAX, "must be at most %s", hi);
    return false;
  }
  return true;
}

static void quote_for_why(const char *s, size_t n, char *out, size_t outn) {
  size_t keep = n > 40 ? 40 : n;
  keep = rec_utf8_valid(s, keep);
  snprintf(out, outn, "'%.*s%s'", (int)keep, s, keep < n ? "..." : "");
}

bool rec_parse_cell(const FieldInfo *f, const char *s, size_t n, Value *out, char *why) {
  char shown[64];
  quote_for_why(s, n, shown, sizeof shown);
  *out = (Value){0, NULL};
  switch ((FieldKind)f->kind) {
  case FIELD_TEXT:
    if (rec_utf8_valid(s, n) != n) {
      snprintf(why, REC_WHY_MAX, "is not valid UTF-8 text");
      return false;
    }
    *out = (Value){(int64_t)n, s};
    return true;
  case FIELD_NUMBER:
  case FIELD_MONEY:
  case FIELD_COUNT:
  case FIELD_PERCENT: {
    DecStatus st = dec_parse(s, n, &out->n);
    if (st != DEC_OK) {
      snprintf(why, REC_WHY_MAX, "%s is not a %s: %s", shown,
               f->kind == FIELD_MONEY ? "plain amount" : "plain number", dec_status_text(st));
      return false;
    }
    if (f->kind == FIELD_COUNT && !dec_is_whole(out->n)) {
      snprintf(why, REC_WHY_MAX, "%s is not a whole number", shown);
      return false;
    }
    return check_range(f, out->n, why);
  }
  case FIELD_FLAG: {
    bool b;
    if (!rec_parse_flag(s, n, &b)) {
      snprintf(why, REC_WHY_MAX, "%s is not a flag (yes/no, true/false, 1/0)", shown);
      return false;
    }
    out->n = b;
    return true;
  }
  case FIELD_DATE:
    if (!date_parse(s, n, &out->n)) {
      snprintf(why, REC_WHY_MAX, "%s is not a date (YYYY-MM-DD)", shown);
      return false;
    }
    return check_range(f, out->n, why);
  case FIELD_CHOICE:
    for (int m = 0; m < f->nmembers; m++)
      if (strlen(f->members[m]) == n && memcmp(f->members[m], s, n) == 0) {
        out->n = m;
        return true;
      }
    {
      int len = snprintf(why, REC_WHY_MAX, "%s is not one of: ", shown);
      for (int m = 0; m < f->nmembers && len < REC_WHY_MAX; m++)
        len += snprintf(why + len, REC_WHY_MAX - (size_t)len, "%s%s", m ? ", " : "", f->members[m]);
    }
    return false;
  }
  snprintf(why, REC_WHY_MAX, "unknown field type");
  return false;
}

/* ---- CSV -------------------------------------------------------------------- */

void csv_open(CsvReader *r, FILE *in, const char *name) {
  memset(r, 0, sizeof *r);
  r->in = in;
  r->name = name;
  r->buf = malloc(READ_CHUNK);
  if (!r->buf) abort();
  r->line = 1;
}

void csv_close(CsvReader *r) {
  free(r->buf);
  free(r->rec);
  free(r->cell_off);
  free(r->cell_len);
  memset(r, 0, sizeof *r);
}

static int fill(CsvReader *r) {
  if (r->eof) return 0;
  r->len = fread(r->buf, 1, READ_CHUNK, r->in);
  r->pos = 0;
  if (r->len == 0) { r->eof = true; return 0; }
  return 1;
}

static inline int peek(CsvReader *r) {
  if (r->pos == r->len && !fill(r)) return EOF;
  return (unsigned char)r->buf[r->pos];
}

static inline int get(CsvReader *r) {
  int c = peek(r);
  if (c != EOF) r->pos++;
  if (c == '\n') r->line++;
  return c;
}

static void fail(CsvReader *r, const char *why) {
  if (!r->error) r->error = why;
}

static void put(CsvReader *r, int c) {
  if (c == 0) fail(r, "the record contains a NUL byte");
  if (r->rec_len >= REC_MAX_RECORD) {
    fail(r, "the record is longer than 1 MiB");
    return;
  }
  if (r->rec_len == r->rec_cap) {
    r->rec_cap = r->rec_cap ? r->rec_cap * 2 : 4096;
    r->rec = realloc(r->rec, r->rec_cap);
    if (!r->rec) abort();
  }
  r->rec[r->rec_len++] = (char)c;
}

static void start_cell(CsvReader *r) {
  if (r->ncells == REC_MAX_COLUMNS) {
    fail(r, "the record has more than 4096 cells");
    return;
  }
  if (r->ncells == r->cells_cap) {
    r->cells_cap = r->cells_cap ? r->cells_cap * 2 : 64;
    r->cell_off = realloc(r->cell_off, (size_t)r->cells_cap * sizeof *r->cell_off);
    r->cell_len = realloc(r->cell_len, (size_t)r->cells_cap * sizeof *r->cell_len);
    if (!r->cell_off || !r->cell_len) abort();
  }
  r->cell_off[r->ncells] = r->rec_len;
  r->cell_len[r->ncells] = 0;
  r->ncells++;
}

static void end_cell(CsvReader *r) {
  if (r->ncells) r->cell_len[r->ncells - 1] = r->rec_len - r->cell_off[r->ncells - 1];
}

/* Consume the rest of a physical line after an error. */
static int skip_line(CsvReader *r) {
  int c;
  while ((c = get(r)) != EOF && c != '\n') {}
  return c;
}

int csv_next(CsvReader *r) {
  r->rec_len = 0;
  r->ncells = 0;
  r->error = NULL;
  if (!r->bom_checked) {
    r->bom_checked = true;
    if (peek(r) == 0xEF && r->len - r->pos >= 3 && memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3) == 0)
      r->pos += 3;
  }
  /* Blank lines separate nothing and are not records. */
  for (;;) {
    int c = peek(r);
    if (c == '\n') { get(r); continue; }
    if (c == '\r') {
      get(r);
      if (peek(r) == '\n') { get(r); continue; }
      fail(r, "a carriage return outside quotes must end a line");
      r->rec_line = r->line;
      skip_line(r);
      return 1;
    }
    if (c == EOF) return 0;
    break;
  }
  r->rec_line = r->line;
  start_cell(r);
  for (;;) {
    int c = get(r);
    if (c == '"' && r->rec_len == r->cell_off[r->ncells - 1]) {
      /* A quoted cell: "" is a quote; newlines and commas are text. */
      for (;;) {
        c = get(r);
        if (c == EOF) {
          fail(r, "a quoted cell is not closed before the end of the input");
          end_cell(r);
          return 1;
        }
        if (c == '"') {
          if (peek(r) == '"') { get(r); put(r, '"'); continue; }
          break;
        }
        put(r, c);
      }
      c = get(r);
      if (c != ',' && c != '\n' && c != '\r' && c != EOF) {
        fail(r, "text follows the closing quote of a cell");
        end_cell(r);
        if (skip_line(r) == EOF) return 1;
        return 1;
      }
    }
    if (c == ',') { end_cell(r); start_cell(r); continue; }
    if (c == '\n' || c == EOF) { end_cell(r); return 1; }
    if (c == '\r') {
      if (peek(r) == '\n') { get(r); end_cell(r); return 1; }
      fail(r, "a carriage return outside quotes must end a line");
      continue;
    }
    if (c == '"') fail(r, "a quote inside an unquoted cell (quote the whole cell and double the quote)");
    put(r, c);
  }
}

/* ---- schema ------------------------------------------------------------------ */

bool rec_map_header(const Program *p, CsvReader *r, RowMap *m, char *msg, size_t n) {
  memset(m, 0, sizeof *m);
  m->ncols = r->ncells;
  m->field_of_col = malloc(sizeof(int) * (size_t)(r->ncells + 1));
  m->col_of_field = malloc(sizeof(int) * (size_t)(p->nfields + 1));
  if (!m->field_of_col || !m->col_of_field) abort();
  for (int f = 0; f < p->nfields; f++) m->col_of_field[f] = -1;
  if (r->error) {
    snprintf(msg, n, "the header line is malformed: %s", r->error);
    return false;
  }
  for (int c = 0; c < r->ncells; c++) {
    const char *name = r->rec + r->cell_off[c];
    size_t len = r->cell_len[c];
    m->field_of_col[c] = -1;
    for (int f = 0; f < p->nfields; f++)
      if (strlen(p->fields[f].name) == len && memcmp(p->fields[f].name, name, len) == 0) {
        if (m->col_of_field[f] >= 0) {
          snprintf(msg, n, "column '%s' appears twice in the header", p->fields[f].name);
          return false;
        }
        m->col_of_field[f] = c;
        m->field_of_col[c] = f;
      }
  }
  for (int f = 0; f < p->nfields; f++)
    if (m->col_of_field[f] < 0 && !p->fields[f].optional) {
      snprintf(msg, n, "the header has no column '%s', which the record schema requires",
               p->fields[f].name);
      return false;
    }
  return true;
}

void rec_map_free(RowMap *m) {
  free(m->field_of_col);
  free(m->col_of_field);
  memset(m, 0, sizeof *m);
}

bool rec_validate(const Program *p, const CsvReader *r, const RowMap *m, Row *row,
                  int *field, char *why) {
  *field = -1;
  if (r->error) {
    snprintf(why, REC_WHY_MAX, "%s", r->error);
    return false;
  }
  if (r->ncells != m->ncols) {
    snprintf(why, REC_WHY_MAX, "the record has %d cell%s but the header has %d", r->ncells,
             r->ncells == 1 ? "" : "s", m->ncols);
    return false;
  }
  for (int f = 0; f < p->nfields; f++) {
    const FieldInfo *fi = &p->fields[f];
    int c = m->col_of_field[f];
    size_t len = c < 0 ? 0 : r->cell_len[c];
    row->set[f] = 0;
    row->vals[f] = (Value){0, NULL};
    if (len == 0) {
      if (fi->optional) continue;
      *field = f;
      snprintf(why, REC_WHY_MAX, "is required but empty");
      return false;
    }
    if (!rec_parse_cell(fi, r->rec + r->cell_off[c], len, &row->vals[f], why)) {
      *field = f;
      return false;
    }
    row->set[f] = 1;
  }
  return true;
}

/*
** records.c — see records.h.  The CSV reader is a byte-at-a-time state
** machine over a fixed read buffer: it unescapes each record's cells into
** one growing buffer (reused for every record) and never reads ahead more
** than the buffer holds, so input of any size streams in constant memory.
**
** A quoted cell may span lines, so one stray quote could swallow the rest
** of the file as a single bad record.  To lose nothing, the bytes after the
** first newline inside a quoted cell are kept (up to REC_MAX_RECORD); if the
** cell is still open at the end of the input or after that many bytes, the
** record is rejected from where it started and reading resumes with the
** kept bytes, on the line after the one where the quote went wrong.
*/
#include "records.h"

#include <errno.h>

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

/* The decimal places of a Dec's value: 12.5 has 1, 400 none. */
static int places_of(Dec v) {
  int places = DEC_DIGITS;
  while (places > 0 && v % 10 == 0) { v /= 10; places--; }
  return places;
}

static void quote_for_why(const char *s, size_t n, char *out, size_t outn) {
  size_t keep = n > 40 ? 40 : n;
  keep = rec_utf8_valid(s, keep);
  snprintf(out, outn, "'%.*s%s'", (int)keep, s, keep < n ? "..." : "");
}

bool rec_parse_cell(const FieldInfo *f, const char *s, size_t n, Value *out, char *why) {
  char shown[64];   /* the cell as a reason quotes it: made only for one */
#define SHOWN (quote_for_why(s, n, shown, sizeof shown), shown)
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
  case FIELD_PERCENT:
  case FIELD_INT: {
    DecStatus st = dec_parse(s, n, &out->n);
    if (st != DEC_OK) {
      snprintf(why, REC_WHY_MAX, "%s is not a %s: %s", SHOWN,
               f->kind == FIELD_MONEY ? "plain amount" : "plain number", dec_status_text(st));
      return false;
    }
    if ((f->kind == FIELD_COUNT || f->kind == FIELD_INT) && !dec_is_whole(out->n)) {
      snprintf(why, REC_WHY_MAX, "%s is not a whole number", SHOWN);
      return false;
    }
    /* `places N`: more places is refused, never rounded; zeros after the
       last digit that counts do not count (12.50 has 1). */
    int places = places_of(out->n);
    if (places > f->places) {
      if (f->places == 0) snprintf(why, REC_WHY_MAX, "%s has decimal places, and the field allows none", SHOWN);
      else snprintf(why, REC_WHY_MAX, "%s has %d decimal places, more than the %d the field allows", SHOWN,
                    places, f->places);
      return false;
    }
    return check_range(f, out->n, why);
  }
  case FIELD_FLAG: {
    bool b;
    if (!rec_parse_flag(s, n, &b)) {
      snprintf(why, REC_WHY_MAX, "%s is not a flag (yes/no, true/false, 1/0)", SHOWN);
      return false;
    }
    out->n = b;
    return true;
  }
  case FIELD_DATE:
    if (!date_parse(s, n, &out->n)) {
      snprintf(why, REC_WHY_MAX, "%s is not a date (YYYY-MM-DD)", SHOWN);
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
      int len = snprintf(why, REC_WHY_MAX, "%s is not one of: ", SHOWN);
      for (int m = 0; m < f->nmembers && len < REC_WHY_MAX; m++)
        len += snprintf(why + len, REC_WHY_MAX - (size_t)len, "%s%s", m ? ", " : "", f->members[m]);
    }
    return false;
  }
  snprintf(why, REC_WHY_MAX, "unknown field type");
  return false;
#undef SHOWN
}

/* ---- CSV -------------------------------------------------------------------- */

void csv_open(CsvReader *r, FILE *in, const char *name) {
  memset(r, 0, sizeof *r);
  r->in = in;
  r->name = name;
  r->buf = malloc(READ_CHUNK);
  if (!r->buf) abort();
  r->cap = READ_CHUNK;
  r->line = 1;
}

void csv_close(CsvReader *r) {
  free(r->buf);
  free(r->rec);
  free(r->cell_off);
  free(r->cell_len);
  free(r->save);
  memset(r, 0, sizeof *r);
}

static int fill(CsvReader *r) {
  if (r->eof) return 0;
  errno = 0;
  r->len = fread(r->buf, 1, r->cap, r->in);
  r->pos = 0;
  if (r->len == 0) {
    r->eof = true;
    if (ferror(r->in)) r->read_errno = errno ? errno : EIO;
    return 0;
  }
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

/* The header must be text and fit the limit: no header, no file.  Any
   other line with a NUL byte that runs past the limit is not text either. */
static void give_up(CsvReader *r, const char *why) {
  fail(r, why);
  if (!r->gave_up) r->gave_up = why;
}

static bool nul_seen(const CsvReader *r) { return memchr(r->rec, 0, r->rec_len) != NULL; }

static void put(CsvReader *r, int c) {
  if (c == 0) {
    if (r->nrecs == 0) give_up(r, "it contains a NUL byte, so this is not a CSV file");
    fail(r, "the record contains a NUL byte");
  }
  if (r->rec_len >= REC_MAX_RECORD) {
    if (r->nrecs == 0) give_up(r, "it is longer than 1 MiB");
    else if (c == 0 || nul_seen(r))
      give_up(r, "more than 1 MiB of bytes with NUL bytes and no line end: this is not a CSV file");
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

/* Append n bytes at once (the fast path: a run of ordinary bytes). */
static void put_span(CsvReader *r, const char *s, size_t n) {
  if (r->rec_len + n > REC_MAX_RECORD) {
    if (r->nrecs == 0) give_up(r, "it is longer than 1 MiB");
    else if (nul_seen(r))
      give_up(r, "more than 1 MiB of bytes with NUL bytes and no line end: this is not a CSV file");
    fail(r, "the record is longer than 1 MiB");
    n = r->rec_len < REC_MAX_RECORD ? REC_MAX_RECORD - r->rec_len : 0;
  }
  if (r->rec_len + n > r->rec_cap) {
    size_t cap = r->rec_cap ? r->rec_cap : 4096;
    while (cap < r->rec_len + n) cap *= 2;
    r->rec = realloc(r->rec, cap);
    if (!r->rec) abort();
    r->rec_cap = cap;
  }
  if (n) memcpy(r->rec + r->rec_len, s, n);
  r->rec_len += n;
}

/* Bytes that end a run: for an unquoted cell (1) , CR LF " NUL; for a
   quoted one (2) " LF NUL.  Everything else is copied as it is. */
static const unsigned char special[256] = {
    [0] = 3, ['\n'] = 3, ['"'] = 3, [','] = 1, ['\r'] = 1};

/* Copy the run of bytes up to the next one in `stop` from the buffer. */
static void run(CsvReader *r, unsigned stop) {
  for (;;) {
    const unsigned char *b = (const unsigned char *)r->buf + r->pos, *e = (const unsigned char *)r->buf + r->len, *q = b;
    while (q < e && !(special[*q] & stop)) q++;
    if (q > b) put_span(r, (const char *)b, (size_t)(q - b));
    r->pos += (size_t)(q - b);
    if (q < e || peek(r) == EOF) return;   /* stopped at a special byte, or the end */
  }
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

/* Keep byte c, just read, of an open quoted cell, in case the quote is
   never closed.  False when there is no more room: c goes back to be read
   again, and the cell is taken as unclosed. */
static bool keep(CsvReader *r, int c) {
  if (!r->save_line) {
    if (c != '\n') return true;
    r->save_line = r->line;    /* get() has counted the newline */
    r->save_len = 0;
    return true;
  }
  if (r->save_len >= REC_MAX_RECORD) {
    r->pos--;
    return false;
  }
  if (r->save_len == r->save_cap) {
    r->save_cap = r->save_cap ? r->save_cap * 2 : 4096;
    r->save = realloc(r->save, r->save_cap);
    if (!r->save) abort();
  }
  r->save[r->save_len++] = (char)c;
  return true;
}

/* The quoted cell never closed: read the kept bytes again, then the unread
   rest of the buffer, then the file. */
static void replay(CsvReader *r) {
  size_t rest = r->len - r->pos, need = r->save_len + rest;
  if (need > r->cap) {
    char *b = malloc(need);
    if (!b) abort();
    memcpy(b + r->save_len, r->buf + r->pos, rest);
    free(r->buf);
    r->buf = b;
    r->cap = need;
  } else {
    memmove(r->buf + r->save_len, r->buf + r->pos, rest);
  }
  if (r->save_len) memcpy(r->buf, r->save, r->save_len);   /* save may be NULL */
  r->pos = 0;
  r->len = need;
  r->line = r->save_line;
  r->save_line = 0;
}

/* The record with a quoted cell that is never properly closed. */
static int unclosed(CsvReader *r) {
  r->error = "a quoted cell is never closed; reading resumes on the line after it opens";
  end_cell(r);
  if (r->save_line) replay(r);
  return 1;
}

/* Consume the rest of a physical line after an error. */
static int skip_line(CsvReader *r) {
  int c;
  while ((c = get(r)) != EOF && c != '\n') {}
  return c;
}

static int next(CsvReader *r);

int csv_next(CsvReader *r) {
  if (r->gave_up) return 0;
  int got = next(r);
  r->nrecs += got;
  return got;
}

static int next(CsvReader *r) {
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
    run(r, 1);   /* stops at once on a quote that opens the cell */
    if (r->gave_up) { end_cell(r); return 1; }
    int c = get(r);
    if (c == '"' && r->rec_len == r->cell_off[r->ncells - 1]) {
      /* A quoted cell: "" is a quote; newlines and commas are text. */
      r->save_line = 0;
      for (;;) {
        if (!r->save_line) run(r, 2);   /* kept bytes go one at a time */
        if (r->gave_up) { end_cell(r); return 1; }
        c = get(r);
        if (c == EOF || !keep(r, c)) return unclosed(r);
        if (c == '"') {
          if (peek(r) == '"') {
            get(r);
            if (!keep(r, '"')) return unclosed(r);
            put(r, '"');
            continue;
          }
          break;
        }
        put(r, c);
      }
      c = get(r);
      if (c != ',' && c != '\n' && c != '\r' && c != EOF) {
        /* Text after the closing quote: if the cell spanned lines, its
           opening quote was most likely a stray one. */
        if (r->save_line) {
          keep(r, c);
          return unclosed(r);
        }
        r->save_line = 0;
        fail(r, "text follows the closing quote of a cell");
        end_cell(r);
        skip_line(r);
        return 1;
      }
      r->save_line = 0;
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
    if (r->gave_up) { end_cell(r); return 1; }
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
    const char *name = r->rec ? r->rec + r->cell_off[c] : "";   /* no bytes yet: NULL */
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
      snprintf(msg, n, "the header has no column '%s', which the %s requires", p->fields[f].name,
               p->activity_schema ? "activity block" : "record schema");
      return false;
    }
  return true;
}

void rec_map_free(RowMap *m) {
  free(m->field_of_col);
  free(m->col_of_field);
  memset(m, 0, sizeof *m);
}

/* ---- ranges that name other fields ------------------------------------------- */

/* Runs a range end on the row's values (the verifier has checked its
   stack): false with the reason when it cannot be computed. */
static bool run_bound(const BoundExpr *b, const Row *row, int64_t *out, const char **fail) {
  int64_t st[BOUND_MAX_STACK];
  int sp = 0;
  DecStatus ds = DEC_OK;
  for (int i = 0; i < b->nops && ds == DEC_OK; i++) {
    const BoundOp *o = &b->ops[i];
    int64_t *x = sp >= 2 ? &st[sp - 2] : NULL, y = sp ? st[sp - 1] : 0;
    switch ((BoundOpKind)o->op) {
    case BX_CONST: st[sp++] = o->arg; break;
    case BX_FIELD: st[sp++] = row->vals[o->arg].n; break;
    case BX_NEG: ds = dec_neg(y, &st[sp - 1]); break;
    case BX_ADD: ds = dec_add(*x, y, x); sp--; break;
    case BX_SUB: ds = dec_sub(*x, y, x); sp--; break;
    case BX_MUL: ds = dec_mul(*x, y, x); sp--; break;
    case BX_DIV: ds = dec_div(*x, y, x); sp--; break;
    case BX_ADDDAYS: case BX_ADDMONTHS:
      if (!dec_is_whole(y)) { *fail = "a number of days or months must be whole"; return false; }
      if (!(o->op == BX_ADDDAYS ? date_add_days(*x, dec_trunc_int(y), x) : date_add_months(*x, dec_trunc_int(y), x))) {
        *fail = "date outside 0001-01-01..9999-12-31";
        return false;
      }
      sp--;
      break;
    case BX_DATEDIFF: {
      int64_t days;
      if (__builtin_sub_overflow(*x, y, &days)) { *fail = "date outside 0001-01-01..9999-12-31"; return false; }
      *x = dec_from_int(days, &ds);
      sp--;
      break;
    }
    }
  }
  if (ds != DEC_OK) { *fail = dec_status_text(ds); return false; }
  *out = st[0];
  return true;
}

static void value_text(const FieldInfo *f, int64_t v, char *buf) {
  if (f->kind == FIELD_DATE) date_format(v, buf);
  else dec_format(v, buf);
}

/* " (answers = 3, bonus = 2)": the fields a range end names, with their
   values; nothing for an end that is one field alone, whose name and
   value the reason already gives. */
static void named_fields(const Program *p, const BoundExpr *b, const Row *row, char *out, size_t n) {
  size_t len = 0;
  out[0] = '\0';
  if (b->nops == 1) return;
  for (int i = 0; i < b->nops; i++) {
    if (b->ops[i].op != BX_FIELD) continue;
    bool seen = false;
    for (int k = 0; k < i && !seen; k++) seen = b->ops[k].op == BX_FIELD && b->ops[k].arg == b->ops[i].arg;
    if (seen || len + 1 >= n) continue;
    const FieldInfo *g = &p->fields[b->ops[i].arg];
    char v[DEC_FMT_MAX];
    value_text(g, row->vals[b->ops[i].arg].n, v);
    len += (size_t)snprintf(out + len, n - len, "%s%s = %s", len ? ", " : " (", g->name, v);
  }
  if (len && len + 1 < n) snprintf(out + len, n - len, ")");
}

bool rec_bound_end(const Program *p, int f, bool hi, const Row *row, int64_t *out) {
  const BoundExpr *b = hi ? &p->fields[f].hi_expr : &p->fields[f].lo_expr;
  const char *fail;
  return b->nops && run_bound(b, row, out, &fail);
}

bool rec_check_bounds(const Program *p, const Row *row, int *field, char *why) {
  for (int i = 0; i < p->nbounded; i++) {
    int f = p->bounded[i];
    const FieldInfo *fi = &p->fields[f];
    if (!row->set[f]) continue;   /* an unset optional field has no value to check */
    int64_t v = row->vals[f].n;
    const BoundExpr *ends[2] = {&fi->lo_expr, &fi->hi_expr};
    for (int hi = 0; hi < 2; hi++) {
      const BoundExpr *b = ends[hi];
      if (!b->nops) continue;
      int64_t end;
      const char *fail = NULL;
      char names[160], at[DEC_FMT_MAX], val[DEC_FMT_MAX];
      named_fields(p, b, row, names, sizeof names);
      if (!run_bound(b, row, &end, &fail)) {
        *field = f;
        snprintf(why, REC_WHY_MAX, "its range's %s end %s cannot be computed%s: %s", hi ? "high" : "low",
                 b->text, names, fail);
        return false;
      }
      if (hi ? v <= end : v >= end) continue;
      *field = f;
      value_text(fi, v, val);
      value_text(fi, end, at);
      const char *side = fi->kind == FIELD_DATE ? (hi ? "after" : "before") : (hi ? "above" : "below");
      snprintf(why, REC_WHY_MAX, "%s is %s %s = %s%s", val, side, b->text, at, names);
      return false;
    }
  }
  return true;
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
  return rec_check_bounds(p, row, field, why);
}

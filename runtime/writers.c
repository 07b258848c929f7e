/*
** writers.c — see writers.h.  Numbers are written in plain decimal
** notation, exact, with trailing zeros trimmed (dec_format).
*/
#include "writers.h"

#include <stdlib.h>
#include <string.h>

#include "date.h"

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

ValueType out_field_type(const FieldInfo *f) {
  static const ValueType vt[] = {VT_TEXT, VT_NUMBER, VT_MONEY, VT_NUMBER, VT_NUMBER,
                                 VT_FLAG, VT_DATE, VT_CHOICE, VT_NUMBER};
  return vt[f->kind];
}

const char *out_value_text(const Program *p, ValueType t, const FieldInfo *choice, Value v,
                           char buf[64], size_t *len) {
  switch (t) {
  case VT_TEXT:
    if (!v.s) { *len = 0; return ""; }   /* not text: only from a hand-made bytecode file */
    *len = (size_t)v.n;
    return v.s;
  case VT_FLAG: *len = v.n ? 3 : 2; return v.n ? "yes" : "no";
  case VT_DATE: date_format(v.n, buf); *len = DATE_TEXT_LEN; return buf;
  case VT_TIER: {   /* by name; none for no tier */
    const char *name = v.n >= 0 && v.n < p->ntiers ? p->tiers[v.n].name : "none";
    *len = strlen(name);
    return name;
  }
  case VT_CHOICE:
    if (choice) { *len = strlen(choice->members[v.n]); return choice->members[v.n]; }
    /* fall through */
  default: *len = (size_t)dec_format(v.n, buf); return buf;
  }
}

const char *out_slot_text(const Program *p, int s, Value v, char buf[64], size_t *len) {
  const SlotInfo *si = &p->slots[s];
  if (si->type == VT_CHOICE && v.n >= 0 && v.n < si->nmembers) {
    *len = strlen(si->members[v.n]);
    return si->members[v.n];
  }
  return out_value_text(p, (ValueType)si->type, NULL, v, buf, len);
}

static void keep(Writer *w, const char *s, size_t n) {
  if (w->ncells == w->cap) {
    w->cap = w->cap ? w->cap * 2 : 256;
    w->cells = realloc(w->cells, w->cap * sizeof *w->cells);
    if (!w->cells) abort();
  }
  char *c = malloc(n + 1);
  if (!c) abort();
  if (n) memcpy(c, s, n);
  c[n] = '\0';
  w->cells[w->ncells++] = c;
}

static void add(Writer *w, ColKind kind, int index, const char *name, bool in_table) {
  w->cols[w->ncols++] = (Column){(uint8_t)kind, index, name, in_table};
}

/* Keeps only the listed columns, in the list's order. */
static bool select_columns(Writer *w, const char *list, char *why, size_t whyn) {
  Column *all = w->cols;
  int nall = w->ncols;
  w->cols = calloc((size_t)nall + 1, sizeof *w->cols);
  if (!w->cols) abort();
  w->ncols = 0;
  bool ok = true;
  for (const char *p = list; ok && *p;) {
    const char *comma = strchr(p, ',');
    size_t len = comma ? (size_t)(comma - p) : strlen(p);
    if (len == 0 || (comma && !comma[1])) {
      snprintf(why, whyn, "an empty column name in '%s': separate names by single commas", list);
      ok = false;
      break;
    }
    int found = -1;
    for (int c = 0; c < nall; c++)
      if (strlen(all[c].name) == len && memcmp(all[c].name, p, len) == 0) found = c;
    if (found < 0 || w->ncols == nall) {
      snprintf(why, whyn, "no column '%.*s' (columns: ", (int)len, p);
      bool fields = false;
      for (int c = 0, k = 0; c < nall; c++) {
        if (all[c].kind == COL_FIELD) { fields = true; continue; }
        size_t used = strlen(why);
        snprintf(why + used, whyn - used, "%s%s", k++ ? ", " : "", all[c].name);
      }
      size_t used = strlen(why);
      snprintf(why + used, whyn - used, "%s)", fields ? ", and the record's fields" : "");
      ok = false;
      break;
    }
    w->cols[w->ncols] = all[found];
    w->cols[w->ncols++].in_table = true;
    if (all[found].kind == COL_SLOT && w->prog->slots[all[found].index].kind == SLOT_LET) w->nlets++;
    p += len + (comma != NULL);
  }
  if (ok && w->ncols == 0) {
    snprintf(why, whyn, "no columns given: name at least one (e.g. id,tier,score)");
    ok = false;
  }
  free(all);
  return ok;
}

bool out_begin(Writer *w, const Program *p, OutFormat f, FILE *out, const char *columns,
               char *why, size_t whyn) {
  memset(w, 0, sizeof *w);
  w->format = f;
  w->prog = p;
  w->out = out;
  w->cols = calloc((size_t)(p->nkeys + 4 + p->nslots + p->nbenefits + 2 * p->nfields), sizeof *w->cols);
  if (!w->cols) abort();
  for (int k = 0; k < p->nkeys; k++) add(w, COL_KEY, p->keys[k], p->fields[p->keys[k]].name, true);
  if (!p->implicit_track) add(w, COL_TRACK, 0, "track", true);
  add(w, COL_TIER, 0, "tier", true);
  add(w, COL_SCORE, p->score_slot, "score", true);
  for (int s = 0; s < p->npoints; s++) add(w, COL_SLOT, s, p->slots[s].name, false);
  for (int s = p->npoints; s < p->score_slot; s++) add(w, COL_SLOT, s, p->slots[s].name, true);
  if (p->nbadges) add(w, COL_BADGES, 0, "badges", true);
  for (int b = 0; b < p->nbenefits; b++) add(w, COL_BENEFIT, b, p->benefits[b].name, false);
  for (int s = 0; s < p->npayouts; s++)
    add(w, COL_SLOT, p->first_payout + s, p->slots[p->first_payout + s].name, true);
  for (int s = p->first_output; s < p->first_output + p->noutputs; s++) {
    int first = p->first_output;
    while (strcmp(p->slots[first].name, p->slots[s].name) != 0) first++;
    if (first == s) add(w, COL_OUTPUT, s, p->slots[s].name, true);   /* tracks share a name's column */
  }
  /* --columns may pass record fields through: by name, or as record.NAME
     where a result has the name (Zoho's revenue field and category) */
  if (columns) {
    for (int s = p->score_slot + 1; s < p->first_badge; s++)   /* lets, by name */
      add(w, COL_SLOT, s, p->slots[s].name, true);
    int results = w->ncols;
    for (int k = 0; k < p->nfields; k++) {
      bool taken = false;
      for (int c = 0; c < results; c++) taken |= strcmp(w->cols[c].name, p->fields[k].name) == 0;
      if (!taken) add(w, COL_FIELD, k, p->fields[k].name, true);
    }
    w->field_names = calloc((size_t)p->nfields + 1, sizeof *w->field_names);
    if (!w->field_names) abort();
    for (int k = 0; k < p->nfields; k++) {
      size_t n = strlen(p->fields[k].name) + sizeof "record.";
      if (!(w->field_names[k] = malloc(n))) abort();
      snprintf(w->field_names[k], n, "record.%s", p->fields[k].name);
      add(w, COL_FIELD, k, w->field_names[k], true);
    }
  }
  if (columns && !select_columns(w, columns, why, whyn)) {
    free(w->cols);
    w->cols = NULL;
    for (int k = 0; k < p->nfields; k++) free(w->field_names[k]);
    free(w->field_names);
    w->field_names = NULL;
    return false;
  }
  for (int c = 0; c < w->ncols; c++) {
    const char *name = w->cols[c].name;
    if (f == OUT_CSV) {
      if (c) putc(',', out);
      out_csv_cell(out, name, strlen(name));
    } else if (f == OUT_TABLE && w->cols[c].in_table) {
      w->ntable++;
    }
  }
  if (f == OUT_TABLE)
    for (int c = 0; c < w->ncols; c++)
      if (w->cols[c].in_table) keep(w, w->cols[c].name, strlen(w->cols[c].name));
  if (f == OUT_CSV) putc('\n', out);
  return true;
}

/* The earned badges, `;`-separated, into buf (cut at its size). */
static size_t badges_text(const Program *p, const VmCtx *vm, char *buf, size_t cap) {
  size_t len = 0;
  buf[0] = '\0';
  const TrackInfo *ti = &p->tracks[vm->track];   /* its track's: another's may have run for a rule */
  for (int b = 0; b < ti->nbadges; b++) {
    int s = ti->badges[b];
    if (!vm_computed(vm, s) || !vm->slots[s].n) continue;
    int n = snprintf(buf + len, cap - len, "%s%s", len ? ";" : "", p->slots[s].name);
    if (n < 0 || (size_t)n >= cap - len) break;
    len += (size_t)n;
  }
  return len;
}

/* Whether points or a category slot s belongs to the record's track.  With
   `tracks best score`, every candidate track's categories were computed to
   choose: the others' are not the record's results. */
static bool on_track(const Program *p, const VmCtx *vm, int s) {
  if (p->track_choice == CHOOSE_FIRST || vm->track < 0 || s >= p->score_slot) return true;
  int c = s < p->npoints ? p->slots[s].category : s;
  const TrackInfo *ti = &p->tracks[vm->track];
  for (int i = 0; i < ti->ncats; i++)
    if (ti->cats[i] == c) return true;
  return false;
}

/* Column c's text for this row; NULL when the record did not compute it. */
static const char *cell(const Writer *w, const Column *col, const Row *row, const VmCtx *vm,
                        char *buf, size_t cap, size_t *len, ValueType *type) {
  const Program *p = w->prog;
  *type = VT_NUMBER;
  switch ((ColKind)col->kind) {
  case COL_KEY: {
    const FieldInfo *f = &p->fields[col->index];
    if (!row->set[col->index]) return NULL;   /* a key after the first may be optional */
    *type = out_field_type(f);
    return out_value_text(p, *type, f, row->vals[col->index], buf, len);
  }
  case COL_TRACK:
    *type = VT_TEXT;
    if (vm->track < 0) return NULL;
    *len = strlen(p->tracks[vm->track].name);
    return p->tracks[vm->track].name;
  case COL_TIER:
    *type = VT_TEXT;
    if (vm->tier < 0) return NULL;
    *len = strlen(p->tiers[vm->tier].name);
    return p->tiers[vm->tier].name;
  case COL_FIELD: {
    const FieldInfo *f = &p->fields[col->index];
    if (!row->set[col->index]) return NULL;
    *type = out_field_type(f);
    return out_value_text(p, *type, f, row->vals[col->index], buf, len);
  }
  case COL_OUTPUT:   /* the slot of this name the record's track computed */
    for (int s = col->index; s < p->first_output + p->noutputs; s++)
      if (vm_computed(vm, s) && strcmp(p->slots[s].name, col->name) == 0) {
        *type = (ValueType)p->slots[s].type;
        if (value_is_unset(vm->slots[s])) return NULL;   /* an empty cell, null in JSON */
        return out_slot_text(p, s, vm->slots[s], buf, len);
      }
    return NULL;
  case COL_SCORE:
  case COL_SLOT:
    if (!vm_computed(vm, col->index) || !on_track(p, vm, col->index)) return NULL;
    *type = (ValueType)p->slots[col->index].type;
    if (value_is_unset(vm->slots[col->index])) return NULL;   /* optional points or let */
    return out_slot_text(p, col->index, vm->slots[col->index], buf, len);
  case COL_BADGES:
    *type = VT_TEXT;
    if (vm->track < 0) return NULL;
    *len = badges_text(p, vm, buf, cap);
    return buf;
  case COL_BENEFIT: {
    const BenefitInfo *b = &p->benefits[col->index];
    if (vm->track < 0) return NULL;
    *type = (ValueType)b->type;
    return out_value_text(p, *type, NULL, vm_benefit(vm, col->index), buf, len);
  }
  }
  return NULL;
}

static void json_value(FILE *out, const Column *col, const char *s, size_t len, ValueType t) {
  if (!s) { fputs("null", out); return; }
  if (col->kind == COL_BADGES) {
    putc('[', out);
    for (size_t i = 0, start = 0; i <= len; i++)
      if (i == len || s[i] == ';') {
        if (i > start) {
          if (start) putc(',', out);
          out_json_string(out, s + start, i - start);
        }
        start = i + 1;
      }
    putc(']', out);
    return;
  }
  switch (t) {
  case VT_NUMBER: case VT_MONEY: fwrite(s, 1, len, out); break;
  case VT_FLAG: fputs(s[0] == 'y' ? "true" : "false", out); break;
  default: out_json_string(out, s, len); break;
  }
}

VmStatus out_compute(const Writer *w, VmCtx *vm, const Row *row) {
  VmStatus st = VM_OK;
  for (int c = 0; c < w->ncols && w->nlets && st == VM_OK; c++)
    if (w->cols[c].kind == COL_SLOT && w->prog->slots[w->cols[c].index].kind == SLOT_LET)
      st = vm_force(vm, row, w->cols[c].index);
  return st;
}

void out_row(Writer *w, const Row *row, const VmCtx *vm) {
  char buf[4096];
  if (w->format == OUT_JSONL) putc('{', w->out);
  for (int c = 0; c < w->ncols; c++) {
    const Column *col = &w->cols[c];
    size_t len = 0;
    ValueType t;
    const char *s = cell(w, col, row, vm, buf, sizeof buf, &len, &t);
    switch (w->format) {
    case OUT_CSV:
      if (c) putc(',', w->out);
      if (s) out_csv_cell(w->out, s, len);
      break;
    case OUT_JSONL:
      if (c) putc(',', w->out);
      out_json_string(w->out, col->name, strlen(col->name));
      putc(':', w->out);
      json_value(w->out, col, s, len, t);
      break;
    case OUT_TABLE:
      if (col->in_table) keep(w, s ? s : "", s ? len : 0);
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

/* Numbers are right-aligned in a table: points, totals, the score,
   payouts, and outputs and fields that hold numbers or amounts. */
static bool numeric_column(const Program *p, const Column *col) {
  ValueType t;
  switch ((ColKind)col->kind) {
  case COL_SCORE: return true;
  case COL_SLOT: case COL_OUTPUT: t = (ValueType)p->slots[col->index].type; break;
  case COL_FIELD: t = out_field_type(&p->fields[col->index]); break;
  default: return false;
  }
  return t == VT_NUMBER || t == VT_MONEY;
}

void out_table(FILE *out, char *const *cells, size_t ncells, size_t nc, const bool *right) {
  size_t *wid = calloc(nc, sizeof *wid);
  if (!wid) abort();
  for (size_t i = 0; i < ncells; i++) {
    size_t len = width(cells[i]);
    if (len > wid[i % nc]) wid[i % nc] = len;
  }
  for (size_t i = 0; i < ncells; i++) {
    size_t c = i % nc, pad = wid[c] - width(cells[i]);
    if (c) fputs("  ", out);
    if (right[c]) fprintf(out, "%*s", (int)pad, "");
    fputs(cells[i], out);
    if (!right[c] && c + 1 < nc) fprintf(out, "%*s", (int)pad, "");
    if (c + 1 == nc) putc('\n', out);
    if (i + 1 == nc) {   /* rule under the header */
      for (size_t k = 0; k < nc; k++) {
        if (k) fputs("  ", out);
        for (size_t d = 0; d < wid[k]; d++) putc('-', out);
      }
      putc('\n', out);
    }
  }
  free(wid);
}

void out_end(Writer *w) {
  if (w->format == OUT_TABLE && w->ntable) {
    size_t nc = (size_t)w->ntable;
    bool *right = calloc(nc, sizeof *right);
    if (!right) abort();
    for (int c = 0, k = 0; c < w->ncols; c++)
      if (w->cols[c].in_table) right[k++] = numeric_column(w->prog, &w->cols[c]);
    out_table(w->out, w->cells, w->ncells, nc, right);
    free(right);
  }
  for (size_t i = 0; i < w->ncells; i++) free(w->cells[i]);
  free(w->cells);
  free(w->cols);
  if (w->field_names)
    for (int f = 0; f < w->prog->nfields; f++) free(w->field_names[f]);
  free(w->field_names);
  w->field_names = NULL;
  w->cells = NULL;
  w->cols = NULL;
  w->ncells = 0;
  fflush(w->out);
}

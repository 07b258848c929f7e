/*
** cmd_compare.c — `rubric compare BASE NEW RECORDS...`: score the same
** records with two schemes and say what moves (api/compare.c does the
** work): records read, scored and rejected by each, and those only one
** rejects; tier counts and the migration matrix per track, and the track
** matrix; the movers, largest moves first; payout totals, benefit
** recipients and outputs' values; score quartiles.  As aligned tables for
** a program manager, as one JSON object, or as CSV tables a spreadsheet
** opens (each row's first cell names its section).  `rubric diff --records` prints the same
** tables after the program diff (compare_programs).
**
** Every section is written by one function per format, from the one
** CmpResult, so the three formats hold the same rows.
*/
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_compare.h"
#include "common.h"
#include "compare.h"
#include "compile.h"
#include "levers.h"
#include "writers.h"

static const char *const usage =
    "usage: rubric compare [OPTIONS] BASE NEW RECORDS...\n"
    "Score the same records with two schemes (programs or .rbc files) and show\n"
    "what moves: records each rejects, tier counts and the migration matrix per\n"
    "track, the movers (tier, track or badges change), payout totals, benefit\n"
    "recipients and outputs, score quartiles.\n"
    "  -s, --set NAME=VALUE     override a param in both programs (NAME.KEY=VALUE\n"
    "                           for keyed)\n"
    "  --base-set NAME=VALUE    override a param in BASE only (after --set)\n"
    "  --new-set NAME=VALUE     override a param in NEW only (after --set)\n"
    "  --set-file FILE          override params in both from a scenario file (one\n"
    "                           'name = value' a line); --base-set-file FILE and\n"
    "                           --new-set-file FILE for one program\n"
    "  -f, --format FMT         table (default), json or csv\n"
    "  -n, --top N              list only the N largest moves (the counts stay whole)\n"
    CLI_USAGE_ACTIVITIES
    "Exit 0 when no record's outcome differs, 1 when one does, 2 on misuse or\n"
    "an unreadable file.\n";

enum { OPT_BASE_SET = CLI_OPT_OWN, OPT_NEW_SET, OPT_BASE_SET_FILE, OPT_NEW_SET_FILE };

static const char *const side_name[2] = {"base", "new"};

/* ---- numbers as text ------------------------------------------------------------- */

/* Room for a number as text, a sign in front. */
#define NUM_MAX (DEC_FMT_MAX + 2)

/* An exact total or difference; "+" in front of a positive one when signed.
   NULL when it is too large for a number (about 9.2 trillion). */
static const char *sum_text(DecSum v, bool signed_, char buf[NUM_MAX]) {
  Dec d;
  if (dec_sum_result(v, &d) != DEC_OK) return NULL;
  buf[0] = '+';
  dec_format(d, buf + (signed_ && d > 0));
  return buf;
}

static const char *count_text(long n, bool signed_, char buf[NUM_MAX]) {
  snprintf(buf, NUM_MAX, signed_ && n > 0 ? "+%ld" : "%ld", n);
  return buf;
}

/* ---- aligned tables --------------------------------------------------------------- */

/* A table for people: a header row, a rule, rows; each column as wide as
   its widest cell; numbers right-aligned. */
typedef struct Table {
  int ncols;
  char *align;               /* per column: 'l' or 'r' */
  char **cells;
  size_t n, cap;
} Table;

static void tb_cell(Table *t, const char *s);

/* Starts a table with its header: columns separated by '|', each its
   alignment ('l' or 'r') then its title: "lrecords|rbase|rnew". */
static void tb_start(Table *t, const char *header) {
  memset(t, 0, sizeof *t);
  t->align = malloc(strlen(header) + 1);
  if (!t->align) abort();
  for (const char *p = header; *p;) {
    size_t n = strcspn(p, "|");
    char title[256];
    snprintf(title, sizeof title, "%.*s", (int)(n - 1), p + 1);
    t->align[t->ncols++] = *p;
    tb_cell(t, title);
    p += n + (p[n] == '|');
  }
}

/* Adds a column at the right of the header (before any row). */
static void tb_column(Table *t, char align, const char *title) {
  t->align = realloc(t->align, (size_t)t->ncols + 1);
  if (!t->align) abort();
  t->align[t->ncols++] = align;
  tb_cell(t, title);
}

static void tb_cell(Table *t, const char *s) {
  if (t->n == t->cap) {
    t->cap = t->cap ? t->cap * 2 : 64;
    t->cells = realloc(t->cells, t->cap * sizeof *t->cells);
    if (!t->cells) abort();
  }
  t->cells[t->n] = strdup(s ? s : "");
  if (!t->cells[t->n]) abort();
  t->n++;
}

static void tb_cellf(Table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tb_cellf(Table *t, const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  tb_cell(t, buf);
}

/* Display width of UTF-8 text: one column per code point. */
static size_t width(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

/* Each row ends at its last cell that is not empty, so no line ends in blanks. */
static void tb_print(Table *t, FILE *out) {
  size_t nc = (size_t)t->ncols, *wid = calloc(nc, sizeof *wid);
  if (!wid) abort();
  for (size_t i = 0; i < t->n; i++)
    if (width(t->cells[i]) > wid[i % nc]) wid[i % nc] = width(t->cells[i]);
  for (size_t row = 0; row * nc < t->n; row++) {
    char **cell = t->cells + row * nc;
    size_t last = nc;
    while (last > 1 && !cell[last - 1][0]) last--;
    for (size_t c = 0; c < last; c++) {
      size_t pad = wid[c] - width(cell[c]);
      if (c) fputs("  ", out);
      if (t->align[c] == 'r') fprintf(out, "%*s", (int)pad, "");
      fputs(cell[c], out);
      if (t->align[c] != 'r' && c + 1 < last) fprintf(out, "%*s", (int)pad, "");
    }
    putc('\n', out);
    if (row == 0) {   /* the rule under the header */
      for (size_t k = 0; k < nc; k++) {
        if (k) fputs("  ", out);
        for (size_t d = 0; d < wid[k]; d++) putc('-', out);
      }
      putc('\n', out);
    }
  }
  for (size_t i = 0; i < t->n; i++) free(t->cells[i]);
  free(t->cells);
  free(t->align);
  free(wid);
}

/* ---- the report ------------------------------------------------------------------ */

typedef struct Report {
  const CompareArgs *a;
  const CmpResult *r;
  const CmpTable *t[2];
  FILE *out;
  bool first;                /* no section written yet (JSON: no comma; text: no blank line) */
} Report;

/* A name that may be none: a track, a tier. */
static const char *or_none(const char *s) { return s ? s : "(none)"; }

/* "premium -> advanced", or "premium" when both are the same. */
static void change_text(const char *a, const char *b, char *buf, size_t n) {
  if (a == b || (a && b && strcmp(a, b) == 0)) snprintf(buf, n, "%s", or_none(a));
  else snprintf(buf, n, "%s -> %s", or_none(a), or_none(b));
}

static void json_name(FILE *out, const char *s) {
  if (s) out_json_string(out, s, strlen(s));
  else fputs("null", out);
}

static void json_sum(FILE *out, DecSum v) {
  char buf[NUM_MAX];
  const char *s = sum_text(v, false, buf);
  fputs(s ? s : "null", out);
}

static void csv_text(FILE *out, const char *s) {
  putc(',', out);
  if (s) out_csv_cell(out, s, strlen(s));
}

static void csv_sum(FILE *out, DecSum v) {
  char buf[NUM_MAX];
  const char *s = sum_text(v, false, buf);
  putc(',', out);
  if (s) fputs(s, out);
}

/* Starts a section: a blank line between sections (table, CSV), a comma
   between members (JSON), and the JSON member's name. */
static void section(Report *rp, const char *json_member) {
  if (rp->a->format == REPORT_JSON) fprintf(rp->out, "%s\n\"%s\":", rp->first ? "{" : ",", json_member);
  else if (!rp->first) putc('\n', rp->out);
  rp->first = false;
}

/* Opens a section that is a list: JSON's '[', the CSV header line, or a
   table's title line (when there is one) and header (tb_start). */
static void list_open(Report *rp, Table *t, const char *csv_header, const char *title, const char *table_header) {
  switch (rp->a->format) {
  case REPORT_JSON: putc('[', rp->out); break;
  case REPORT_CSV: fprintf(rp->out, "%s\n", csv_header); break;
  case REPORT_TABLE:
    if (title) fprintf(rp->out, "%s\n", title);
    tb_start(t, table_header);
    break;
  }
}

/* Starts the i-th JSON object of a list, with its first member's name. */
static void json_item(Report *rp, long i, const char *member) {
  fprintf(rp->out, "%s\n {\"%s\":", i ? "," : "", member);
}

static void list_close(Report *rp, Table *t) {
  if (rp->a->format == REPORT_JSON) putc(']', rp->out);
  else if (rp->a->format == REPORT_TABLE) tb_print(t, rp->out);
}

/* One override as NAME=VALUE, from --set or a scenario file's line; its length. */
static size_t set_text(const CliSet *x, char *buf, size_t n) {
  int len = snprintf(buf, n, "%s=%s", x->name, x->value);
  return len < 0 ? 0 : (size_t)len < n ? (size_t)len : n - 1;
}

/* The programs, their overrides and the records files. */
static void print_schemes(Report *rp) {
  const CompareArgs *a = rp->a;
  FILE *out = rp->out;
  for (int s = 0; s < 2; s++) {
    const char *path = strcmp(a->program[s], "-") == 0 ? "(standard input)" : a->program[s];
    int which[2] = {SETS_BOTH, s == 0 ? SETS_BASE : SETS_NEW};
    if (a->format == REPORT_JSON) {
      section(rp, side_name[s]);
      fputs("{\"program\":", out);
      out_json_string(out, path, strlen(path));
      fputs(",\"set\":[", out);
      for (int w = 0, k = 0; w < 2; w++)
        for (int i = 0; i < a->sets[which[w]].n; i++, k++) {
          char set[1024];
          if (k) putc(',', out);
          out_json_string(out, set, set_text(&a->sets[which[w]].v[i], set, sizeof set));
        }
      fputs("]}", out);
      continue;
    }
    if (a->format == REPORT_CSV) {
      if (s == 0) { section(rp, NULL); fputs("section,scheme,program,set\n", out); }
      fprintf(out, "scheme,%s", side_name[s]);
      csv_text(out, path);
      char sets[4096] = "";
      for (int w = 0; w < 2; w++)
        for (int i = 0; i < a->sets[which[w]].n; i++) {
          char set[1024];
          size_t used = strlen(sets);
          set_text(&a->sets[which[w]].v[i], set, sizeof set);
          snprintf(sets + used, sizeof sets - used, "%s%s", used ? "; " : "", set);
        }
      csv_text(out, sets);
      putc('\n', out);
      continue;
    }
    if (s == 0) section(rp, NULL);
    fprintf(out, "%-5s  %s", side_name[s], path);
    for (int w = 0; w < 2; w++)
      for (int i = 0; i < a->sets[which[w]].n; i++) {
        char set[1024];
        set_text(&a->sets[which[w]].v[i], set, sizeof set);
        fprintf(out, " --set %s", set);
      }
    putc('\n', out);
  }
  if (a->format == REPORT_JSON) {
    section(rp, "records_files");
    putc('[', out);
    for (int i = 0; i < a->nrecords; i++) {
      if (i) putc(',', out);
      out_json_string(out, a->records[i], strlen(a->records[i]));
    }
    putc(']', out);
  } else if (a->format == REPORT_CSV) {
    section(rp, NULL);
    fputs("section,file\n", out);
    for (int i = 0; i < a->nrecords; i++) { fputs("files", out); csv_text(out, a->records[i]); putc('\n', out); }
  } else {
    fputs("files ", out);
    for (int i = 0; i < a->nrecords; i++) fprintf(out, " %s", a->records[i]);
    putc('\n', out);
  }
}

/* Records read, scored, unassigned (programs with tracks) and rejected by
   each scheme; how many records changed. */
static void print_counts(Report *rp) {
  const CmpResult *r = rp->r;
  FILE *out = rp->out;
  const char *names[] = {"read", "scored", "unassigned", "rejected"};
  long v[2][4];
  for (int s = 0; s < 2; s++) {
    v[s][0] = rp->t[s]->read;
    v[s][1] = rp->t[s]->scored;
    v[s][2] = rp->t[s]->unassigned;
    v[s][3] = rp->t[s]->rejected;
  }
  char b1[NUM_MAX];
  switch (rp->a->format) {
  case REPORT_JSON:
    section(rp, "records");
    fputs("{", out);
    for (int k = 0, n = 0; k < 4; k++) {
      if (k == 2 && !r->has_tracks) continue;
      fprintf(out, "%s\"%s\":{\"base\":%ld,\"new\":%ld,\"change\":%ld}", n++ ? "," : "", names[k], v[0][k],
              v[1][k], v[1][k] - v[0][k]);
    }
    fputs("}", out);
    section(rp, "summary");
    fprintf(out, "{\"changed\":%ld,\"movers\":%ld,\"rejected_by_one\":%ld,\"rejected_by_both\":%ld}",
            r->changed, r->nmovers, r->ndiffer, r->both_rejected);
    break;
  case REPORT_CSV:
    section(rp, NULL);
    fputs("section,measure,base,new,change\n", out);
    for (int k = 0; k < 4; k++)
      if (k != 2 || r->has_tracks) fprintf(out, "records,%s,%ld,%ld,%ld\n", names[k], v[0][k], v[1][k], v[1][k] - v[0][k]);
    section(rp, NULL);
    fprintf(out, "section,measure,count\nsummary,changed,%ld\nsummary,movers,%ld\nsummary,rejected_by_one,%ld\n"
            "summary,rejected_by_both,%ld\n", r->changed, r->nmovers, r->ndiffer, r->both_rejected);
    break;
  case REPORT_TABLE: {
    section(rp, NULL);
    Table t;
    tb_start(&t, "lrecords|rbase|rnew|rchange");
    for (int k = 0; k < 4; k++) {
      if (k == 2 && !r->has_tracks) continue;
      tb_cell(&t, names[k]);
      tb_cellf(&t, "%ld", v[0][k]);
      tb_cellf(&t, "%ld", v[1][k]);
      tb_cell(&t, count_text(v[1][k] - v[0][k], true, b1));
    }
    tb_print(&t, out);
    fprintf(out, "changed: %ld record%s (%ld mover%s, %ld rejected by one scheme only)", r->changed,
            r->changed == 1 ? "" : "s", r->nmovers, r->nmovers == 1 ? "" : "s", r->ndiffer);
    if (r->both_rejected) fprintf(out, "; %ld rejected by both", r->both_rejected);
    putc('\n', out);
    break;
  }
  }
}

/* A record's state on one side of a differ row, as a word. */
static const char *state_word(const CmpTable *t, long i) {
  if (i < 0) return "absent";
  return t->recs[i].state == CMP_REJECTED ? "rejected" : t->recs[i].state == CMP_UNASSIGNED ? "unassigned" : "scored";
}

/* The records one scheme rejects and the other does not (or only one has). */
static void print_differ(Report *rp) {
  const CmpResult *r = rp->r;
  FILE *out = rp->out;
  if (rp->a->format == REPORT_TABLE && !r->ndiffer) return;
  section(rp, "rejected");
  Table t;
  list_open(rp, &t, "section,key,file,line,base,new,reason", "rejected by one scheme only", "lkey|lwhere|lbase|lnew");
  for (long d = 0; d < r->ndiffer; d++) {
    const long *rec = r->differ[d].rec;
    int s = rec[0] >= 0 ? 0 : 1;
    const CmpTable *ts = rp->t[s];
    const CmpRec *one = &ts->recs[rec[s]];
    const char *file = strcmp(ts->paths[one->file], "-") == 0 ? "<stdin>" : ts->paths[one->file];
    const char *why[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++) if (rec[k] >= 0) why[k] = rp->t[k]->recs[rec[k]].why;
    const char *reason = why[0] ? why[0] : why[1];
    if (rp->a->format == REPORT_JSON) {
      json_item(rp, d, "key");
      json_name(out, cmp_key(ts, rec[s]));
      fputs(",\"file\":", out);
      json_name(out, file);
      fprintf(out, ",\"line\":%ld,\"base\":\"%s\",\"new\":\"%s\",\"reason\":", one->line, state_word(rp->t[0], rec[0]),
              state_word(rp->t[1], rec[1]));
      json_name(out, reason);
      putc('}', out);
    } else if (rp->a->format == REPORT_CSV) {
      fputs("rejected", out);
      csv_text(out, cmp_key(ts, rec[s]));
      csv_text(out, file);
      fprintf(out, ",%ld,%s,%s", one->line, state_word(rp->t[0], rec[0]), state_word(rp->t[1], rec[1]));
      csv_text(out, reason);
      putc('\n', out);
    } else {
      tb_cell(&t, cmp_key(ts, rec[s]));
      tb_cellf(&t, "%s:%ld", file, one->line);
      for (int k = 0; k < 2; k++)
        if (why[k]) tb_cellf(&t, "rejected: %s", why[k]);
        else tb_cell(&t, state_word(rp->t[k], rec[k]));
    }
  }
  list_close(rp, &t);
}

/* Tier counts per track, before and after. */
static void print_tiers(Report *rp) {
  const CmpResult *r = rp->r;
  FILE *out = rp->out;
  section(rp, "tiers");
  Table t;
  char b[NUM_MAX];
  list_open(rp, &t, "section,track,tier,base,new,change", NULL,
            r->has_tracks ? "ltrack|ltier|rbase|rnew|rchange" : "ltier|rbase|rnew|rchange");
  int n = 0;
  for (int k = 0; k < r->ntracks; k++) {
    const CmpTrack *tr = &r->tracks[k];
    for (int j = 0; j < tr->ntiers; j++) {
      long c0 = tr->count[0][j], c1 = tr->count[1][j];
      if (rp->a->format == REPORT_JSON) {
        json_item(rp, n++, "track");
        json_name(out, tr->name);
        fputs(",\"tier\":", out);
        json_name(out, tr->tiers[j]);
        fprintf(out, ",\"base\":%ld,\"new\":%ld,\"change\":%ld}", c0, c1, c1 - c0);
      } else if (rp->a->format == REPORT_CSV) {
        fputs("tiers", out);
        csv_text(out, tr->name);
        csv_text(out, tr->tiers[j]);
        fprintf(out, ",%ld,%ld,%ld\n", c0, c1, c1 - c0);
      } else {
        if (r->has_tracks) tb_cell(&t, or_none(tr->name));
        tb_cell(&t, tr->tiers[j] ? tr->tiers[j] : "(no tier)");
        tb_cellf(&t, "%ld", c0);
        tb_cellf(&t, "%ld", c1);
        tb_cell(&t, count_text(c1 - c0, true, b));
      }
    }
  }
  list_close(rp, &t);
}

/* One square matrix for people: rows BASE, columns NEW. */
static void table_matrix(FILE *out, const char *const *names, int n, const long *m, const char *none) {
  Table t;
  tb_start(&t, "l");
  for (int j = 0; j < n; j++) tb_column(&t, 'r', names[j] ? names[j] : none);
  for (int i = 0; i < n; i++) {
    tb_cell(&t, names[i] ? names[i] : none);
    for (int j = 0; j < n; j++) tb_cellf(&t, "%ld", m[(size_t)i * (size_t)n + (size_t)j]);
  }
  tb_print(&t, out);
}

/* "LABEL":[names],"counts":[[row],...]: rows BASE, columns NEW. */
static void json_matrix(FILE *out, const char *label, const char *const *names, int n, const long *m) {
  fprintf(out, "\"%s\":[", label);
  for (int i = 0; i < n; i++) { if (i) putc(',', out); json_name(out, names[i]); }
  fputs("],\"counts\":[", out);
  for (int i = 0; i < n; i++) {
    fputs(i ? ",[" : "[", out);
    for (int j = 0; j < n; j++) fprintf(out, "%s%ld", j ? "," : "", m[(size_t)i * (size_t)n + (size_t)j]);
    putc(']', out);
  }
  putc(']', out);
}

/* The migration matrix of each track, then the track matrix. */
static void print_matrices(Report *rp) {
  const CmpResult *r = rp->r;
  FILE *out = rp->out;
  section(rp, "migration");
  if (rp->a->format == REPORT_JSON) putc('[', out);
  else if (rp->a->format == REPORT_CSV) fputs("section,track,from,to,count\n", out);
  for (int k = 0; k < r->ntracks; k++) {
    const CmpTrack *tr = &r->tracks[k];
    if (rp->a->format == REPORT_JSON) {
      json_item(rp, k, "track");
      json_name(out, tr->name);
      putc(',', out);
      json_matrix(out, "tiers", tr->tiers, tr->ntiers, tr->matrix);
      putc('}', out);
    } else if (rp->a->format == REPORT_CSV) {
      for (int i = 0; i < tr->ntiers; i++)
        for (int j = 0; j < tr->ntiers; j++) {
          fputs("migration", out);
          csv_text(out, tr->name);
          csv_text(out, tr->tiers[i]);
          csv_text(out, tr->tiers[j]);
          fprintf(out, ",%ld\n", tr->matrix[(size_t)i * (size_t)tr->ntiers + (size_t)j]);
        }
    } else {
      if (k) putc('\n', out);
      if (r->has_tracks) fprintf(out, "migration on track %s (rows: base tier; columns: new tier)\n", or_none(tr->name));
      else fputs("migration (rows: base tier; columns: new tier)\n", out);
      table_matrix(out, tr->tiers, tr->ntiers, tr->matrix, "(no tier)");
    }
  }
  if (rp->a->format == REPORT_JSON) fputs("]", out);
  if (!r->has_tracks) return;
  section(rp, "tracks");
  if (rp->a->format == REPORT_JSON) {
    putc('{', out);
    json_matrix(out, "tracks", r->track_names, r->ntrack_names, r->track_matrix);
    putc('}', out);
  } else if (rp->a->format == REPORT_CSV) {
    fputs("section,from,to,count\n", out);
    for (int i = 0; i < r->ntrack_names; i++)
      for (int j = 0; j < r->ntrack_names; j++) {
        fputs("tracks", out);
        csv_text(out, r->track_names[i]);
        csv_text(out, r->track_names[j]);
        fprintf(out, ",%ld\n", r->track_matrix[(size_t)i * (size_t)r->ntrack_names + (size_t)j]);
      }
  } else {
    fputs("tracks (rows: base track; columns: new track)\n", out);
    table_matrix(out, r->track_names, r->ntrack_names, r->track_matrix, "(none)");
  }
}

/* The badges a mover gained ('+') or lost ('-'), as "+a, -b". */
static void badge_text(const Report *rp, const CmpMover *m, char sign, char *buf, size_t cap) {
  int from = sign == '+' ? 0 : 1, to = 1 - from;
  const CmpTable *tf = rp->t[from], *tt = rp->t[to];
  size_t len = 0;
  buf[0] = '\0';
  for (int b = 0; b < tt->p->nbadges; b++) {
    if (!cmp_badge(tt, m->rec[to], b)) continue;
    const char *name = tt->p->slots[tt->p->first_badge + b].name;
    bool had = false;
    for (int c = 0; c < tf->p->nbadges && !had; c++)
      had = strcmp(tf->p->slots[tf->p->first_badge + c].name, name) == 0 && cmp_badge(tf, m->rec[from], c);
    if (had) continue;
    int w = snprintf(buf + len, cap - len, "%s%s", len ? ", " : "", name);
    if (w < 0 || (size_t)w >= cap - len) break;
    len += (size_t)w;
  }
}

static void category_text(const CmpMover *m, char *buf, size_t cap) {
  size_t len = 0;
  buf[0] = '\0';
  for (int c = 0; c < m->ncats; c++) {
    char num[NUM_MAX];
    const char *s = sum_text(m->cats[c].change, true, num);
    int w = snprintf(buf + len, cap - len, "%s%s %s", len ? ", " : "", m->cats[c].name, s ? s : "(too large)");
    if (w < 0 || (size_t)w >= cap - len) break;
    len += (size_t)w;
  }
}

/* The movers, largest moves first; --top limits the list. */
static void print_movers(Report *rp) {
  const CmpResult *r = rp->r;
  const CompareArgs *a = rp->a;
  FILE *out = rp->out;
  long shown = a->top >= 0 && a->top < r->nmovers ? a->top : r->nmovers;
  bool badges = rp->t[0]->p->nbadges || rp->t[1]->p->nbadges;
  section(rp, "movers");
  Table t;
  if (a->format == REPORT_TABLE) {
    if (!r->nmovers) { fputs("movers: none\n", out); return; }
    if (!shown) { fprintf(out, "movers: %ld (none listed: --top 0)\n", r->nmovers); return; }
    if (shown < r->nmovers) fprintf(out, "movers: the %ld largest of %ld (by tier steps, then score change)\n", shown, r->nmovers);
    else fprintf(out, "movers: %ld (by tier steps, then score change)\n", r->nmovers);
  }
  list_open(rp, &t, "section,key,base_track,new_track,base_tier,new_tier,steps,base_score,new_score,score_change,"
            "badges_gained,badges_lost,categories", NULL,
            r->has_tracks ? "lkey|ltrack|ltier|rsteps|rbase score|rnew score|rchange"
                          : "lkey|ltier|rsteps|rbase score|rnew score|rchange");
  if (a->format == REPORT_TABLE) {
    if (badges) tb_column(&t, 'l', "badges");
    tb_column(&t, 'l', "categories");
  }
  for (long i = 0; i < shown; i++) {
    const CmpMover *m = &r->movers[i];
    const char *track[2], *tier[2];
    bool scored[2];
    for (int s = 0; s < 2; s++) {
      track[s] = cmp_track_name(rp->t[s], m->rec[s]);
      tier[s] = cmp_tier_name(rp->t[s], m->rec[s]);
      scored[s] = rp->t[s]->recs[m->rec[s]].state == CMP_SCORED;
    }
    char gained[1024], lost[1024], cats[1024], num[3][NUM_MAX], steps[NUM_MAX];
    badge_text(rp, m, '+', gained, sizeof gained);
    badge_text(rp, m, '-', lost, sizeof lost);
    category_text(m, cats, sizeof cats);
    const char *score[2], *change = sum_text(m->change, a->format == REPORT_TABLE, num[2]);
    for (int s = 0; s < 2; s++) score[s] = scored[s] ? sum_text(cmp_score_of(rp->t[s], m->rec[s]), false, num[s]) : NULL;
    count_text(m->steps, a->format == REPORT_TABLE, steps);
    if (a->format == REPORT_JSON) {
      json_item(rp, i, "key");
      json_name(out, m->key);
      fputs(",\"track\":{\"base\":", out);
      json_name(out, track[0]);
      fputs(",\"new\":", out);
      json_name(out, track[1]);
      fputs("},\"tier\":{\"base\":", out);
      json_name(out, tier[0]);
      fputs(",\"new\":", out);
      json_name(out, tier[1]);
      fprintf(out, "},\"steps\":%d,\"score\":{\"base\":%s,\"new\":%s,\"change\":%s},\"badges\":{\"gained\":[",
              m->steps, score[0] ? score[0] : "null", score[1] ? score[1] : "null", change ? change : "null");
      for (int s = 0; s < 2; s++) {   /* the names again, one by one */
        const char *list = s ? lost : gained;
        if (s) fputs("],\"lost\":[", out);
        for (const char *p = list; *p;) {
          size_t n = strcspn(p, ",");
          if (p != list) putc(',', out);
          out_json_string(out, p, n);
          p += n;
          while (*p == ',' || *p == ' ') p++;
        }
      }
      fputs("]},\"categories\":[", out);
      for (int c = 0; c < m->ncats; c++) {
        fputs(c ? ",{\"name\":" : "{\"name\":", out);
        json_name(out, m->cats[c].name);
        fputs(",\"change\":", out);
        json_sum(out, m->cats[c].change);
        putc('}', out);
      }
      fputs("]}", out);
    } else if (a->format == REPORT_CSV) {
      fputs("movers", out);
      csv_text(out, m->key);
      csv_text(out, track[0]);
      csv_text(out, track[1]);
      csv_text(out, tier[0]);
      csv_text(out, tier[1]);
      fprintf(out, ",%d", m->steps);
      csv_text(out, score[0]);
      csv_text(out, score[1]);
      csv_text(out, change);
      csv_text(out, gained);
      csv_text(out, lost);
      csv_text(out, cats);
      putc('\n', out);
    } else {
      char buf[512], both[2100];
      tb_cell(&t, m->key);
      if (r->has_tracks) { change_text(track[0], track[1], buf, sizeof buf); tb_cell(&t, buf); }
      change_text(tier[0], tier[1], buf, sizeof buf);
      tb_cell(&t, buf);
      tb_cell(&t, steps);
      tb_cell(&t, score[0] ? score[0] : "-");
      tb_cell(&t, score[1] ? score[1] : "-");
      tb_cell(&t, change ? change : "(too large)");
      if (badges) {
        size_t len = 0;
        both[0] = '\0';
        for (int s = 0; s < 2; s++)
          for (const char *p = s ? lost : gained; *p;) {
            size_t n = strcspn(p, ",");
            int w = snprintf(both + len, sizeof both - len, "%s%c%.*s", len ? ", " : "", s ? '-' : '+', (int)n, p);
            if (w < 0 || (size_t)w >= sizeof both - len) break;
            len += (size_t)w;
            p += n;
            while (*p == ',' || *p == ' ') p++;
          }
        tb_cell(&t, both);
      }
      tb_cell(&t, cats);
    }
  }
  list_close(rp, &t);
}

/* The benefits, or outputs (kind), whose holders or values change: how
   many records hold each under each scheme, how many gain, lose, or keep
   it with another value. */
static void print_holders(Report *rp, const char *kind, const char *title, const CmpBenefit *list, int n) {
  FILE *out = rp->out;
  Table t;
  char csv_header[64], header[64];
  section(rp, kind);
  if (rp->a->format == REPORT_TABLE && !n) { fprintf(out, "%s: no changes\n", kind); return; }
  snprintf(csv_header, sizeof csv_header, "section,%.*s,base,new,gained,lost,changed", (int)strlen(kind) - 1, kind);
  snprintf(header, sizeof header, "l%.*s|rbase|rnew|rgained|rlost|rchanged", (int)strlen(kind) - 1, kind);
  list_open(rp, &t, csv_header, title, header);
  for (int k = 0; k < n; k++) {
    const CmpBenefit *b = &list[k];
    if (rp->a->format == REPORT_JSON) {
      json_item(rp, k, "name");
      json_name(out, b->name);
      fprintf(out, ",\"base\":%ld,\"new\":%ld,\"gained\":%ld,\"lost\":%ld,\"changed\":%ld}", b->recipients[0],
              b->recipients[1], b->gained, b->lost, b->changed);
    } else if (rp->a->format == REPORT_CSV) {
      fputs(kind, out);
      csv_text(out, b->name);
      fprintf(out, ",%ld,%ld,%ld,%ld,%ld\n", b->recipients[0], b->recipients[1], b->gained, b->lost, b->changed);
    } else {
      tb_cell(&t, b->name);
      tb_cellf(&t, "%ld", b->recipients[0]);
      tb_cellf(&t, "%ld", b->recipients[1]);
      tb_cellf(&t, "%ld", b->gained);
      tb_cellf(&t, "%ld", b->lost);
      tb_cellf(&t, "%ld", b->changed);
    }
  }
  list_close(rp, &t);
}

/* Payout totals; the benefits and outputs whose holders change. */
static void print_cost(Report *rp) {
  const CmpResult *r = rp->r;
  FILE *out = rp->out;
  Table t;
  char num[3][NUM_MAX];
  bool table = rp->a->format == REPORT_TABLE;
  if (!table || r->npayouts) {
    section(rp, "payouts");
    list_open(rp, &t, "section,payout,base,new,change", NULL, "lpayouts|rbase|rnew|rchange");
    for (int k = 0; k < r->npayouts; k++) {
      const CmpPayout *py = &r->payouts[k];
      DecSum change = py->total[1] - py->total[0];
      if (rp->a->format == REPORT_JSON) {
        json_item(rp, k, "name");
        json_name(out, py->name);
        for (int s = 0; s < 2; s++) {
          fprintf(out, ",\"%s\":", side_name[s]);
          if (py->index[s] < 0) fputs("null", out);
          else json_sum(out, py->total[s]);
        }
        fputs(",\"change\":", out);
        json_sum(out, change);
        putc('}', out);
      } else if (rp->a->format == REPORT_CSV) {
        fputs("payouts", out);
        csv_text(out, py->name);
        for (int s = 0; s < 2; s++)
          if (py->index[s] < 0) putc(',', out);
          else csv_sum(out, py->total[s]);
        csv_sum(out, change);
        putc('\n', out);
      } else {
        tb_cell(&t, py->name);
        for (int s = 0; s < 2; s++) {
          const char *v = sum_text(py->total[s], false, num[s]);
          tb_cell(&t, py->index[s] < 0 ? "-" : v ? v : "(too large)");
        }
        const char *v = sum_text(change, true, num[2]);
        tb_cell(&t, v ? v : "(too large)");
      }
    }
    list_close(rp, &t);
  }
  bool any = rp->t[0]->p->nbenefits || rp->t[1]->p->nbenefits;
  if (!table || any)
    print_holders(rp, "benefits", "benefits whose recipients change (records given each)", r->benefits, r->nbenefits);
  any = rp->t[0]->nout || rp->t[1]->nout;
  if (!table || any)
    print_holders(rp, "outputs", "outputs whose values change (records holding each: a yes, not 0, not empty)",
                  r->outputs, r->noutputs);
}

/* Score quartiles per track, each scheme. */
static void print_scores(Report *rp) {
  const CmpResult *r = rp->r;
  FILE *out = rp->out;
  static const char *const cols[] = {"min", "q1", "median", "q3", "max"};
  section(rp, "scores");
  Table t;
  list_open(rp, &t, "section,track,scheme,records,min,q1,median,q3,max", "scores (quartiles by nearest rank)",
            r->has_tracks ? "ltrack|lscheme|rrecords|rmin|rq1|rmedian|rq3|rmax"
                          : "lscheme|rrecords|rmin|rq1|rmedian|rq3|rmax");
  for (int k = 0; k < r->ntracks; k++) {
    const CmpTrack *tr = &r->tracks[k];
    if (rp->a->format == REPORT_JSON) {
      json_item(rp, k, "track");
      json_name(out, tr->name);
    }
    for (int s = 0; s < 2; s++) {
      const CmpSpread *sp = &tr->spread[s];
      Dec v[5] = {sp->min, sp->q1, sp->median, sp->q3, sp->max};
      char num[DEC_FMT_MAX];
      if (rp->a->format == REPORT_JSON) {
        fprintf(out, ",\"%s\":{\"records\":%ld", side_name[s], sp->n);
        for (int c = 0; c < 5; c++) {
          fprintf(out, ",\"%s\":", cols[c]);
          if (sp->n) { dec_format(v[c], num); fputs(num, out); }
          else fputs("null", out);
        }
        putc('}', out);
      } else if (rp->a->format == REPORT_CSV) {
        fputs("scores", out);
        csv_text(out, tr->name);
        fprintf(out, ",%s,%ld", side_name[s], sp->n);
        for (int c = 0; c < 5; c++) {
          putc(',', out);
          if (sp->n) { dec_format(v[c], num); fputs(num, out); }
        }
        putc('\n', out);
      } else {
        if (r->has_tracks) tb_cell(&t, or_none(tr->name));
        tb_cell(&t, side_name[s]);
        tb_cellf(&t, "%ld", sp->n);
        for (int c = 0; c < 5; c++) {
          if (sp->n) dec_format(v[c], num);
          tb_cell(&t, sp->n ? num : "-");
        }
      }
    }
    if (rp->a->format == REPORT_JSON) putc('}', out);
  }
  list_close(rp, &t);
}

/* What the two schemes' settings change in what the program can reach
   (lang/levers.h), when BASE and NEW are one program's source: a line per
   change, or that nothing changes.  reach is NULL when they are two
   programs (or a .rbc), whose reach the analysis does not compare. */
static void print_reach(Report *rp, const LvChanges *reach) {
  if (!reach) return;
  char *text = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&text, &len);
  if (!m) abort();
  lv_print(reach, "", m);
  fclose(m);
  FILE *out = rp->out;
  section(rp, "reachable");
  if (rp->a->format == REPORT_JSON) putc('[', out);
  else if (rp->a->format == REPORT_CSV) fputs("section,change\n", out);
  else fprintf(out, "what the settings change in what can be reached%s\n", reach->n ? ":" : ": nothing");
  int k = 0;
  for (char *line = text, *nl; line && *line; line = nl ? nl + 1 : NULL) {
    nl = strchr(line, '\n');
    size_t n = nl ? (size_t)(nl - line) : strlen(line);
    if (rp->a->format == REPORT_JSON) {
      if (k) putc(',', out);
      out_json_string(out, line, n);
    } else if (rp->a->format == REPORT_CSV) {
      fputs("reachable,", out);
      out_csv_cell(out, line, n);
      putc('\n', out);
    } else {
      fprintf(out, "  %.*s\n", (int)n, line);
    }
    k++;
  }
  if (rp->a->format == REPORT_JSON) putc(']', out);
  free(text);
}

static void print_report(const CompareArgs *a, const CmpResult *r, const LvChanges *reach, FILE *out) {
  Report rp = {a, r, {r->side[0], r->side[1]}, out, true};
  print_schemes(&rp);
  print_reach(&rp, reach);
  print_counts(&rp);
  print_differ(&rp);
  print_tiers(&rp);
  print_matrices(&rp);
  print_movers(&rp);
  print_cost(&rp);
  print_scores(&rp);
  if (a->format == REPORT_JSON) fputs("\n}\n", out);
}

/* ---- running ---------------------------------------------------------------------- */

int compare_programs(const CompareArgs *a) {
  Program p[2];
  int status = 0;
  int loaded = 0;
  for (; loaded < 2 && !status; loaded++)
    if ((status = cli_load(a->program[loaded], &p[loaded])) != 0) break;
  /* A program with errors is 2, as for diff: 1 says that records moved. */
  if (status) status = EXIT_USAGE;
  if (status) {
    for (int s = 0; s < loaded; s++) program_free(&p[s]);
    return status;
  }
  VmCtx vm[2];
  CmpTable t[2];
  int scored = 0;
  for (int s = 0; s < 2; s++)
    if (!vm_init(&vm[s], &p[s])) abort();
  for (int s = 0; s < 2 && !status; s++) {
    int which[2] = {SETS_BOTH, s == 0 ? SETS_BASE : SETS_NEW};
    for (int w = 0; w < 2 && !status; w++)
      if (!cli_sets_apply(&a->sets[which[w]], &p[s], vm[s].params)) {
        fprintf(stderr, "%s: the --set above was for the %s program, %s\n", cli_name, side_name[s], a->program[s]);
        status = EXIT_USAGE;
      }
  }
  for (int s = 0; s < 2 && !status; s++) {
    ActSource acts;
    bool ok = cli_acts_check(&a->acts, &p[s], usage) < 0 &&
              act_source_open(&acts, &p[s], cli_name, a->acts.path, a->acts.has_as_of, a->acts.as_of, stderr);
    if (ok) ok = cmp_score_acts(&t[s], &p[s], vm[s].params, a->records, a->nrecords, cli_name, stderr, &acts);
    act_source_close(&acts);
    scored++;
    if (!ok) {
      fprintf(stderr, "%s: the records could not all be read with %s (%s): nothing compared\n", cli_name,
              side_name[s], a->program[s]);
      status = EXIT_USAGE;
    }
  }
  /* one program's source under two settings: what they change in reach */
  /* (the changes name the checked program's symbols: it is freed after
     the report) */
  LvChanges reach = {0};
  bool have_reach = false, checked = false;
  Ast ast;
  DiagList dl;
  Checker ck;
  diag_init(&dl);
  if (!status && strcmp(a->program[0], a->program[1]) == 0 && strcmp(a->program[0], "-") != 0 &&
      !cli_is_bytecode(a->program[0])) {
    checked = true;
    if (front_check(a->program[0], &ast, &dl, &ck)) {
      lv_compare(&ck, vm[0].params, vm[1].params, &reach);
      have_reach = true;
    }
  }
  if (!status) {
    CmpResult r;
    cmp_compare(&t[0], &t[1], &r);
    print_report(a, &r, have_reach ? &reach : NULL, stdout);
    status = r.changed ? EXIT_PROBLEMS : 0;
    cmp_result_free(&r);
  }
  lv_free(&reach);
  if (checked) {
    chk_free(&ck);
    ast_free(&ast);
  }
  diag_free(&dl);
  for (int s = 0; s < scored; s++) cmp_table_free(&t[s]);
  for (int s = 0; s < 2; s++) {
    vm_free(&vm[s]);
    program_free(&p[s]);
  }
  return status;
}

/* Most movers --top may ask for: any more is all of them. */
#define TOP_MAX 1000000000L

int compare_top_option(const char *arg, const char *usage_text, long *top) {
  char *end;
  long n = strtol(arg, &end, 10);
  if (*end || end == arg || n < 0)
    return cli_usage_error(usage_text, "--top takes a number of movers, 0 or more, not '%s'", arg);
  *top = n > TOP_MAX ? TOP_MAX : n;
  return -1;
}

int cmd_compare(int argc, char **argv) {
  static const struct option longopts[] = {
      CLI_OPTIONS_SET,                             {"base-set", required_argument, 0, OPT_BASE_SET},
      {"new-set", required_argument, 0, OPT_NEW_SET}, {"format", required_argument, 0, 'f'},
      {"base-set-file", required_argument, 0, OPT_BASE_SET_FILE},
      {"new-set-file", required_argument, 0, OPT_NEW_SET_FILE},
      {"top", required_argument, 0, 'n'},          CLI_OPTIONS_DIAG,
      CLI_OPTIONS_HELP,                            CLI_OPTIONS_ACTS, {0, 0, 0, 0}};
  CompareArgs a = {.format = REPORT_TABLE, .top = -1};
  int c, r, status = -1;
  while (status < 0 && (c = getopt_long(argc, argv, ":s:f:n:qh", longopts, NULL)) != -1) {
    switch (c) {
    case 's': case CLI_OPT_SET_FILE:
      if (cli_sets_option(&a.sets[SETS_BOTH], c, optarg) < 0) status = EXIT_USAGE;
      break;
    case OPT_BASE_SET: case OPT_BASE_SET_FILE:
      if (!(c == OPT_BASE_SET ? cli_sets_add(&a.sets[SETS_BASE], optarg) : cli_sets_read(&a.sets[SETS_BASE], optarg)))
        status = EXIT_USAGE;
      break;
    case OPT_NEW_SET: case OPT_NEW_SET_FILE:
      if (!(c == OPT_NEW_SET ? cli_sets_add(&a.sets[SETS_NEW], optarg) : cli_sets_read(&a.sets[SETS_NEW], optarg)))
        status = EXIT_USAGE;
      break;
    case 'f':
      if (strcmp(optarg, "table") == 0) a.format = REPORT_TABLE;
      else if (strcmp(optarg, "json") == 0) a.format = REPORT_JSON;
      else if (strcmp(optarg, "csv") == 0) a.format = REPORT_CSV;
      else status = cli_usage_error(usage, "unknown format '%s' (table, json or csv)", optarg);
      break;
    case 'n': status = compare_top_option(optarg, usage, &a.top); break;
    default:
      if ((r = cli_acts_option(&a.acts, usage, c, optarg)) != 0) { if (r < 0) status = EXIT_USAGE; break; }
      status = cli_option("compare", usage, c, argc, argv);
      break;
    }
  }
  if (status < 0 && argc - optind < 3)
    status = cli_usage_error(usage, "%s", "give BASE, NEW and at least one records file");
  if (status < 0) {
    int stdin_uses = 0;
    for (int i = optind; i < argc; i++) stdin_uses += strcmp(argv[i], "-") == 0;
    if (stdin_uses > 1) status = cli_usage_error(usage, "%s", "standard input (-) can be read only once");
  }
  if (status < 0) {
    a.program[0] = argv[optind];
    a.program[1] = argv[optind + 1];
    a.records = (const char *const *)argv + optind + 2;
    a.nrecords = argc - optind - 2;
    status = compare_programs(&a);
  }
  for (int w = 0; w < 3; w++) cli_sets_free(&a.sets[w]);
  return status;
}

/*
** report.c — see report.h.  Three layers: writing HTML (escaped text,
** numbers, the page's frame and style), collecting a run's data (the
** StreamScorer's callback, one traced evaluation per record), and the
** sections of the two pages, each drawn from the data alone.
**
** Every chart is SVG written here with fixed geometry, so a page's bytes
** depend only on its input; coordinates are worked out in doubles and
** printed to one decimal, which gives the same text on every IEEE machine.
*/
#include "report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "explain.h"
#include "targets.h"
#include "writers.h"

__extension__ typedef __int128 Wide;

/* ==== writing HTML ======================================================================= */

void rp_html_text(FILE *out, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    switch (s[i]) {
    case '&': fputs("&amp;", out); break;
    case '<': fputs("&lt;", out); break;
    case '>': fputs("&gt;", out); break;
    case '"': fputs("&quot;", out); break;
    case '\'': fputs("&#39;", out); break;
    default: putc(s[i], out);
    }
  }
}

static void esc(FILE *out, const char *s) { rp_html_text(out, s, strlen(s)); }

/* printf, then escaped: for text that holds names. */
static void escf(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void escf(FILE *out, const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  esc(out, buf);
}

/* Whatever fn writes to a stream, escaped: the words targets.c writes. */
typedef struct Captured { char *s; size_t n; FILE *f; } Captured;
static FILE *capture_begin(Captured *c) {
  c->s = NULL;
  c->n = 0;
  c->f = open_memstream(&c->s, &c->n);
  if (!c->f) abort();
  return c->f;
}
static void capture_end(Captured *c) {
  if (fclose(c->f) != 0) abort();
}

/* A Dec as the program writes a number: 235.8, -100. */
static void num(FILE *out, Dec d) {
  char buf[DEC_FMT_MAX];
  dec_format(d, buf);
  fputs(buf, out);
}

/* Digits of a whole number in groups of three: "672,762". */
static void grouped(FILE *out, Wide whole) {
  char digits[48];
  int n = 0;
  do {
    digits[n++] = (char)('0' + (int)(whole % 10));
    whole /= 10;
  } while (whole);
  while (n--) {
    putc(digits[n], out);
    if (n && n % 3 == 0) putc(',', out);
  }
}

/* Money for reading, rounded to cents (MONEY_CENT millionths) half away
   from zero; plus writes "+" before an amount that rounds above 0.  The
   amount is worked out in 128 bits, so DEC_MIN and DEC_MAX round too. */
#define MONEY_CENT (DEC_SCALE / 100)
static void money(FILE *out, Dec d, bool plus) {
  Wide a = d < 0 ? -(Wide)d : d;
  Wide cents = (a + MONEY_CENT / 2) / MONEY_CENT;
  if (d < 0 && cents) putc('-', out);
  else if (plus && cents) putc('+', out);
  putc('$', out);
  grouped(out, cents / 100);
  fprintf(out, ".%02d", (int)(cents % 100));
}

void rp_money(FILE *out, Dec d) { money(out, d, false); }

/* An exact amount, grouped like money() but never rounded: at least two
   places, and every further place the amount has ("$481,300.000188"). */
static void money_exact(FILE *out, Dec d) {
  Wide a = d < 0 ? -(Wide)d : d;
  fputs(d < 0 ? "-$" : "$", out);
  grouped(out, a / DEC_SCALE);
  char frac[DEC_DIGITS + 1];
  snprintf(frac, sizeof frac, "%06d", (int)(a % DEC_SCALE));
  int n = DEC_DIGITS;
  while (n > 2 && frac[n - 1] == '0') n--;
  fprintf(out, ".%.*s", n, frac);
}

/* A total, money rounded to cents and other numbers exact; "too large to
   add up" when it does not fit a Dec.  plus: a signed change, "+3",
   "-$2,000.00", "0". */
static void sum(FILE *out, DecSum s, bool is_money, bool plus) {
  Dec d;
  if (dec_sum_result(s, &d) != DEC_OK) { fputs("(too large to add up)", out); return; }
  if (is_money) { money(out, d, plus); return; }
  if (plus && d > 0) putc('+', out);
  num(out, d);
}

/* a / b as a percentage to one place, rounded half away from zero: "38.5".
   b must not be 0. */
static void percent(FILE *out, Wide a, Wide b) {
  bool neg = (a < 0) != (b < 0) && a != 0;
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  Wide tenths = (a * 2000 + b) / (2 * b);
  fprintf(out, "%s%lld.%lld", neg ? "-" : "", (long long)(tenths / 10), (long long)(tenths % 10));
}

/* A value as the program writes it (rb_explain_value), escaped. */
static void value(FILE *out, const Program *p, ValueType t, Value v) {
  Captured c;
  if (t == VT_FLAG) { fputs(v.n ? "yes" : "no", out); return; }
  if (t == VT_TIER) { esc(out, v.n >= 0 ? (p->tiers[v.n].title ? p->tiers[v.n].title : p->tiers[v.n].name) : "none"); return; }
  if (t == VT_TEXT && !value_is_unset(v)) { rp_html_text(out, v.s, (size_t)v.n); return; }
  if (t == VT_MONEY && !value_is_unset(v)) { money(out, v.n, false); return; }
  rb_explain_value(p, t, v, capture_begin(&c));
  capture_end(&c);
  rp_html_text(out, c.s, c.n);
  free(c.s);
}

static const char *slot_title(const SlotInfo *si) { return si->title ? si->title : si->name; }
static const char *tier_title(const TierInfo *ti) { return ti->title ? ti->title : ti->name; }

/* The page's style: system fonts only, A4 when printed, shades of one
   blue that also differ in lightness, so a grey print keeps them apart. */
static const char style[] =
    "<style>\n"
    "@page { size: A4; margin: 14mm 12mm; }\n"
    "body { font-family: system-ui, -apple-system, \"Segoe UI\", Roboto, \"Helvetica Neue\", Arial, "
    "sans-serif; color: #1b1b1b; max-width: 186mm; margin: 0 auto; padding: 12px 16px; font-size: 14px; "
    "line-height: 1.4; }\n"
    "h1 { font-size: 24px; margin: 4px 0; }\n"
    "h2 { font-size: 19px; margin: 28px 0 8px; padding-bottom: 3px; border-bottom: 2px solid #1f4e79; }\n"
    "h3 { font-size: 15px; margin: 16px 0 6px; }\n"
    ".meta, .note { color: #4a4a4a; }\n"
    "nav ol { columns: 2; margin: 4px 0; }\n"
    "table { border-collapse: collapse; margin: 6px 0 14px; font-size: 13px; }\n"
    "caption { caption-side: top; text-align: left; font-weight: 600; padding: 2px 0 4px; }\n"
    "th, td { border: 1px solid #b8b8b8; padding: 3px 7px; text-align: left; vertical-align: top; }\n"
    "thead th { background: #e9eef4; }\n"
    ".n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }\n"
    "thead th.n { white-space: normal; }\n"
    "td.hot { color: #fff; }\n"
    "figure { margin: 6px 0 14px; }\n"
    "figcaption { font-weight: 600; margin-bottom: 4px; }\n"
    "svg { max-width: 100%; height: auto; font-family: inherit; }\n"
    "svg text { font-size: 12px; fill: #1b1b1b; }\n"
    "svg .halo { paint-order: stroke; stroke: #fff; stroke-width: 3px; }\n"
    ".big { font-size: 18px; }\n"
    "ul.needs li { margin: 3px 0; }\n"
    "@media print {\n"
    "  body { padding: 0; font-size: 10.5pt; }\n"
    "  nav { display: none; }\n"
    "  h2, h3, caption, figcaption { break-after: avoid; }\n"
    "  figure, tr { break-inside: avoid; }\n"
    "  thead th, td.hot, .heat { print-color-adjust: exact; -webkit-print-color-adjust: exact; }\n"
    "}\n"
    "</style>\n";

static void page_begin(FILE *out, const char *title) {
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", out);
  esc(out, title);
  fputs("</title>\n", out);
  fputs(style, out);
  fputs("</head>\n<body>\n", out);
}

static void page_end(FILE *out) { fputs("<footer class=\"note\"><p>Written by rubric report.</p></footer>\n</body>\n</html>\n", out); }

/* The fills that tell a chart's series apart: shades and patterns both.
   Each chart defines them under its own prefix (ids are per document). */
#define FILLS 6
static void fill_defs(FILE *out, const char *prefix) {
  fprintf(out,
          "<defs>\n"
          "<pattern id=\"%s0\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" "
          "height=\"6\" fill=\"#1f4e79\"/></pattern>\n"
          "<pattern id=\"%s1\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" "
          "height=\"6\" fill=\"#c9d9ea\"/><path d=\"M0 6L6 0M-1 1L1 -1M5 7L7 5\" stroke=\"#1f4e79\" "
          "stroke-width=\"1.5\"/></pattern>\n"
          "<pattern id=\"%s2\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" "
          "height=\"6\" fill=\"#7fa7cf\"/></pattern>\n"
          "<pattern id=\"%s3\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" "
          "height=\"6\" fill=\"#eef3f8\"/><circle cx=\"3\" cy=\"3\" r=\"1.4\" fill=\"#1f4e79\"/></pattern>\n"
          "<pattern id=\"%s4\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" "
          "height=\"6\" fill=\"#3d6f9e\"/><path d=\"M0 3H6M3 0V6\" stroke=\"#eef3f8\" stroke-width=\"1\"/></pattern>\n"
          "<pattern id=\"%s5\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" "
          "height=\"6\" fill=\"#eef3f8\"/><path d=\"M0 1.5H6M0 4.5H6\" stroke=\"#1f4e79\" "
          "stroke-width=\"1\"/></pattern>\n"
          "</defs>\n",
          prefix, prefix, prefix, prefix, prefix, prefix);
}

/* ==== collecting ========================================================================= */

/* One tier row of a track: records placed there and their category totals. */
typedef struct TierRow {
  long n;
  DecSum *cat;               /* per category of the track (TrackInfo.cats) */
} TierRow;

typedef struct TrackData {
  Dec *scores;               /* every scored record's, for the histogram */
  long n, cap;
  TierRow *rows;             /* per ladder place, then no tier */
} TrackData;

/* A partner close to its next tier, with a copy of its record so that its
   changes can be searched once the nearest are known. */
typedef struct Close {
  char *key, *name;
  long seq;
  int track, tier, next;
  Dec score, gap;
  bool strict;
  Row row;
  char **texts;              /* the row's text values, owned */
  RbTarget t;                /* filled at the end (rb_targets_record) */
  bool found;
} Close;

struct RpRun {
  const Program *p;
  const RpOptions *o;
  Tally tally;
  TrackData *tracks;
  long *bound, *computed;    /* per points or category slot: the cap held it; it was worked out */
  long *earned;              /* per badge */
  bool thresholds_read;
  bool *has_thr, *thr_strict;   /* per tier: its `score > N` or `score >= N` */
  Dec *thr;
  Close *close;              /* the nearest, nearest first, at most RP_CLOSE_MAX */
  int nclose;
  long nclose_all, seq;
  int name_field;            /* a text field `name` that is not a key, or -1 */
  long pages;
  bool page_failed;
  const int64_t *params;
};

static void *xcalloc(size_t n, size_t size) {
  void *v = calloc(n ? n : 1, size);
  if (!v) abort();
  return v;
}

RpRun *rp_new(const Program *p, const RpOptions *o) {
  RpRun *r = xcalloc(1, sizeof *r);
  r->p = p;
  r->o = o;
  if (!tally_init(&r->tally, p)) abort();
  r->tally.keep_notes = true;
  r->tracks = xcalloc((size_t)p->ntracks, sizeof *r->tracks);
  for (int t = 0; t < p->ntracks; t++) {
    const TrackInfo *ti = &p->tracks[t];
    r->tracks[t].rows = xcalloc((size_t)ti->ntiers + 1, sizeof *r->tracks[t].rows);
    for (int i = 0; i <= ti->ntiers; i++) r->tracks[t].rows[i].cat = xcalloc((size_t)ti->ncats, sizeof(DecSum));
  }
  r->bound = xcalloc((size_t)p->nslots, sizeof *r->bound);
  r->computed = xcalloc((size_t)p->nslots, sizeof *r->computed);
  r->earned = xcalloc((size_t)p->nbadges, sizeof *r->earned);
  r->has_thr = xcalloc((size_t)p->ntiers, sizeof *r->has_thr);
  r->thr_strict = xcalloc((size_t)p->ntiers, sizeof *r->thr_strict);
  r->thr = xcalloc((size_t)p->ntiers, sizeof *r->thr);
  r->close = xcalloc(RP_CLOSE_MAX + 1, sizeof *r->close);
  r->name_field = -1;
  for (int f = 0; f < p->nfields; f++)
    if (!strcmp(p->fields[f].name, "name") && p->fields[f].kind == FIELD_TEXT && !p->fields[f].key) r->name_field = f;
  return r;
}

static void close_free(const Program *p, Close *c) {
  free(c->key);
  free(c->name);
  free(c->row.vals);
  free(c->row.set);
  act_list_free(p, (ActList *)c->row.acts);
  if (c->texts)
    for (int f = 0; f < p->nfields; f++) free(c->texts[f]);
  free(c->texts);
  rb_target_free(&c->t);
}

void rp_free(RpRun *r) {
  const Program *p = r->p;
  tally_free(&r->tally);
  for (int t = 0; t < p->ntracks; t++) {
    for (int i = 0; i <= p->tracks[t].ntiers; i++) free(r->tracks[t].rows[i].cat);
    free(r->tracks[t].rows);
    free(r->tracks[t].scores);
  }
  free(r->tracks);
  free(r->bound);
  free(r->computed);
  free(r->earned);
  free(r->has_thr);
  free(r->thr_strict);
  free(r->thr);
  for (int i = 0; i < r->nclose; i++) close_free(p, &r->close[i]);
  free(r->close);
  free(r);
}

const Tally *rp_tally(const RpRun *r) { return &r->tally; }
long rp_pages_written(const RpRun *r) { return r->pages; }

/* The tier's place on its track's ladder; the ladder's length for none. */
static int ladder_row(const Program *p, int track, int tier) {
  const TrackInfo *ti = &p->tracks[track];
  for (int i = 0; i < ti->ntiers; i++)
    if (ti->tiers[i] == tier) return i;
  return ti->ntiers;
}

/* Each tier's score threshold: a part `score > N` or `score >= N` (N a
   number or a param) of its condition, when the condition is one part or
   parts joined by `and`.  Read once, from the first record scored, with
   explain's reader (the values of params do not depend on the record,
   but for a param keyed by a choice, whose first record's member counts). */
static void read_thresholds(RpRun *r, const VmCtx *vm, const Row *row) {
  const Program *p = r->p;
  r->thresholds_read = true;
  for (int s = 0; s < p->nsites; s++) {
    const SiteInfo *si = &p->sites[s];
    if (si->kind != SITE_TIER || si->index < 0 || si->index >= p->ntiers || !si->text) continue;
    RbParts it;
    RbSpan sp;
    rb_parts_begin(&it, si->text);
    while (rb_parts_next(&it, &sp)) {
      if (it.join == RB_JOIN_OR) break;
      RbPart part;
      rb_part_read(p, vm, row, sp.s, sp.n, &part);
      if (part.kind != RB_PART_COMPARE || part.left.slot != p->score_slot) continue;
      bool strict = part.opn == 1 && part.op[0] == '>';
      bool ge = part.opn == 2 && part.op[0] == '>' && part.op[1] == '=';
      if ((!strict && !ge) || (part.right.state != RB_NAME_NONE && part.right.state != RB_NAME_VALUE)) continue;
      r->has_thr[si->index] = true;
      r->thr_strict[si->index] = strict;
      r->thr[si->index] = part.right.value.n;
      break;
    }
  }
}

/* The record's name (a text field `name`), or NULL. */
static char *record_name(const RpRun *r, const Row *row) {
  if (r->name_field < 0 || !row->set[r->name_field]) return NULL;
  Value v = row->vals[r->name_field];
  char *s = strndup(v.s, (size_t)v.n);
  if (!s) abort();
  return s;
}

/* Keeps a partner among the nearest to their next tier: the list is kept
   sorted by the score gap, and a partner as near as the last one kept does
   not push it out (the earlier record stays). */
static void keep_close(RpRun *r, const Row *row, const RbTarget *t) {
  const Program *p = r->p;
  long seq = r->seq++;
  r->nclose_all++;
  if (r->nclose == RP_CLOSE_MAX && t->gap >= r->close[r->nclose - 1].gap) return;
  int at = r->nclose;
  while (at > 0 && r->close[at - 1].gap > t->gap) at--;
  if (r->nclose == RP_CLOSE_MAX) close_free(p, &r->close[--r->nclose]);
  memmove(&r->close[at + 1], &r->close[at], (size_t)(r->nclose - at) * sizeof *r->close);
  r->nclose++;
  Close *c = &r->close[at];
  memset(c, 0, sizeof *c);
  char key[256];
  c->key = strdup(key_text(p, row, key, sizeof key));
  if (!c->key) abort();
  c->name = record_name(r, row);
  c->seq = seq;
  c->track = t->track;
  c->tier = t->tier;
  c->next = t->next;
  c->score = t->score;
  c->gap = t->gap;
  c->strict = t->gap_strict;
  c->row.vals = xcalloc((size_t)p->nfields + 1, sizeof *c->row.vals);
  c->row.set = xcalloc((size_t)p->nfields + 1, 1);
  c->texts = xcalloc((size_t)p->nfields + 1, sizeof *c->texts);
  memcpy(c->row.vals, row->vals, (size_t)p->nfields * sizeof *row->vals);
  memcpy(c->row.set, row->set, (size_t)p->nfields);
  c->row.acts = act_list_copy(p, row->acts);   /* its changes are searched with its activities */
  for (int f = 0; f < p->nfields; f++) {
    if (!row->set[f] || p->fields[f].kind != FIELD_TEXT) continue;
    c->texts[f] = malloc((size_t)row->vals[f].n + 1);
    if (!c->texts[f]) abort();
    memcpy(c->texts[f], row->vals[f].s, (size_t)row->vals[f].n);
    c->texts[f][row->vals[f].n] = '\0';
    c->row.vals[f].s = c->texts[f];
  }
}

/* What a record's evaluation gives a dashboard, copied before the
   searches for its next tier evaluate it again. */
typedef struct Snapshot {
  int track, tier;
  Value *slots;
  bool *computed, *has_raw;
  Dec *raw;
  Dec *hi;                   /* a capped slot's high end in this run (vm_bound) */
  Value *benefits;
} Snapshot;

static void snapshot(const Program *p, const VmCtx *vm, Snapshot *s) {
  s->track = vm->track;
  s->tier = vm->tier;
  s->slots = xcalloc((size_t)p->nslots, sizeof *s->slots);
  s->computed = xcalloc((size_t)p->nslots, 1);
  s->has_raw = xcalloc((size_t)p->nslots, 1);
  s->raw = xcalloc((size_t)p->nslots, sizeof *s->raw);
  s->hi = xcalloc((size_t)p->nslots, sizeof *s->hi);
  s->benefits = xcalloc((size_t)p->nbenefits, sizeof *s->benefits);
  for (int i = 0; i < p->nslots; i++) {
    s->slots[i] = vm->slots[i];
    s->computed[i] = vm_computed(vm, i);
    const SlotInfo *si = &p->slots[i];
    if (si->has_hi) s->hi[i] = vm_bound(vm, si->hi, si->hi_param);
    if ((si->kind == SLOT_POINTS || si->kind == SLOT_CATEGORY) && si->site >= 0 && s->computed[i]) {
      const TraceEvent *e = rb_explain_event(vm, SITE_RAW, si->site, -1);
      if (e) { s->has_raw[i] = true; s->raw[i] = e->v.n; }
    }
  }
  for (int b = 0; b < p->nbenefits; b++) s->benefits[b] = vm_benefit(vm, b);
}

static void snapshot_free(Snapshot *s) {
  free(s->slots);
  free(s->computed);
  free(s->has_raw);
  free(s->raw);
  free(s->hi);
  free(s->benefits);
}

static void write_dashboard(const RpRun *r, FILE *out, const char *key, const char *name, const Snapshot *s,
                            const RbTarget *t);

/* StreamScorer.score: one record, evaluated once with a trace (by
   targets' reader), counted into the report's data. */
static void score_record(void *ctx, VmCtx *vm, const Row *row, const CsvReader *at, FILE *err, Tally *tallies) {
  RpRun *r = ctx;
  const Program *p = r->p;
  Tally *t = &tallies[0];
  RbTarget tg;
  VmStatus st = rb_targets_read(p, vm, row, &tg);
  char key[256];
  if (st != VM_OK) {
    report_vm_note(err, t, p, at, row, vm, st);
    t->rejected++;
    t->failed++;
    return;
  }
  if (vm->track < 0) {
    report_record(err, t, NOTE_UNASSIGNED, p, at, -1, key_text(p, row, key, sizeof key), "fits no track", NULL);
    t->unassigned++;
    rb_target_free(&tg);
    return;
  }
  tally_count(t, p, vm);
  if (!r->thresholds_read) read_thresholds(r, vm, row);
  TrackData *td = &r->tracks[vm->track];
  const TrackInfo *ti = &p->tracks[vm->track];
  if (td->n == td->cap) {
    td->cap = td->cap ? 2 * td->cap : 256;
    td->scores = realloc(td->scores, (size_t)td->cap * sizeof *td->scores);
    if (!td->scores) abort();
  }
  td->scores[td->n++] = vm->slots[p->score_slot].n;
  TierRow *row_of = &td->rows[ladder_row(p, vm->track, vm->tier)];
  row_of->n++;
  for (int c = 0; c < ti->ncats; c++) row_of->cat[c] += vm->slots[ti->cats[c]].n;
  for (int i = 0; i < p->npoints + p->ncategories; i++) {
    const SlotInfo *si = &p->slots[i];
    if ((!si->has_lo && !si->has_hi) || si->site < 0 || !vm_computed(vm, i)) continue;
    const TraceEvent *e = rb_explain_event(vm, SITE_RAW, si->site, -1);
    if (!e) continue;
    r->computed[i]++;
    if (e->v.n != vm->slots[i].n) r->bound[i]++;
  }
  for (int b = 0; b < p->nbadges; b++)
    if (vm_computed(vm, p->first_badge + b) && vm->slots[p->first_badge + b].n) r->earned[b]++;
  if (tg.next >= 0 && tg.has_gap && (!r->o->within || tg.gap <= r->o->within_points)) keep_close(r, row, &tg);
  if (r->o->pages && !r->page_failed &&
      (r->o->every || (r->o->nids && rb_explain_key_matches(p, row, r->o->ids, r->o->nids)))) {
    key_text(p, row, key, sizeof key);
    bool stop = false;
    FILE *page = r->o->pages->open(r->o->pages->ctx, key, &stop);
    if (stop) r->page_failed = true;
    if (page) {
      Snapshot s;
      snapshot(p, vm, &s);
      rb_targets_find(p, vm, row, &tg);
      char *name = record_name(r, row);
      write_dashboard(r, page, key, name, &s, &tg);
      free(name);
      snapshot_free(&s);
      if (!r->o->pages->finish(r->o->pages->ctx, page)) r->page_failed = true;
      else r->pages++;
    }
  }
  rb_target_free(&tg);
}

bool rp_score(RpRun *r, const int64_t *params, const char *const *paths, int npaths, const char *prog_name,
              FILE *err) {
  StreamScorer sc = {1, score_record, r};
  r->params = params;
  r->tally.acts_in = r->o->acts;
  stream_score(prog_name, r->p, &sc, params, paths, npaths, 1, err, &r->tally);
  /* The nearest partners' changes, searched now that they are known
     (the report's; dashboards have their own). */
  if (r->nclose && !r->tally.fatal && !r->o->pages) {
    VmCtx vm;
    if (!vm_init(&vm, r->p)) abort();
    if (r->o->acts && r->o->acts->has_as_of) vm_set_as_of(&vm, r->o->acts->as_of);
    memcpy(vm.params, params, (size_t)r->p->nparam_values * sizeof *vm.params);
    for (int i = 0; i < r->nclose; i++)
      r->close[i].found = rb_targets_record(r->p, &vm, &r->close[i].row, &r->close[i].t) == VM_OK;
    vm_free(&vm);
  }
  return !r->tally.fatal && !r->page_failed;
}

/* ==== the report's sections ============================================================== */

static void track_heading(FILE *out, const Program *p, int t, const char *what) {
  if (p->implicit_track) return;
  const TrackInfo *ti = &p->tracks[t];
  fputs("<h3>", out);
  esc(out, what);
  fputs(": ", out);
  esc(out, ti->title ? ti->title : ti->name);
  fputs("</h3>\n", out);
}

/* Rows of a track's ladder to show: every tier, then "no tier" when some
   scored record has none. */
static int shown_rows(const RpRun *r, int t) {
  const TrackInfo *ti = &r->p->tracks[t];
  return ti->ntiers + (r->tracks[t].rows[ti->ntiers].n > 0);
}

static const char *row_title(const Program *p, int t, int i) {
  const TrackInfo *ti = &p->tracks[t];
  return i < ti->ntiers ? tier_title(&p->tiers[ti->tiers[i]]) : "no tier";
}

/* Horizontal bars, one a row, with the count written after each bar. */
static void bar_chart(FILE *out, const char *label, const char *const *names, const long *counts, int n) {
  long max = 1;
  for (int i = 0; i < n; i++)
    if (counts[i] > max) max = counts[i];
  const int left = 170, width = 360, rowh = 26;
  int h = n * rowh + 10;
  fprintf(out, "<svg role=\"img\" aria-label=\"");
  esc(out, label);
  fprintf(out, "\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\">\n", left + width + 60, h, left + width + 60, h);
  for (int i = 0; i < n; i++) {
    double w = (double)width * (double)counts[i] / (double)max;
    int y = 5 + i * rowh;
    fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 8, y + 16);
    esc(out, names[i]);
    fprintf(out, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#1f4e79\"/>", left, y + 3,
            w, rowh - 8);
    fprintf(out, "<text x=\"%.1f\" y=\"%d\">%ld</text>\n", left + w + 6, y + 16, counts[i]);
  }
  fputs("</svg>\n", out);
}

static void section_overview(RpRun *r, FILE *out) {
  const Program *p = r->p;
  const Tally *t = &r->tally;
  fputs("<section id=\"overview\">\n<h2>Overview</h2>\n", out);
  fputs("<table class=\"records\">\n<caption>Records</caption>\n<tbody>\n", out);
  fprintf(out, "<tr><th scope=\"row\">read</th><td class=\"n\">%ld</td></tr>\n", t->read);
  fprintf(out, "<tr><th scope=\"row\">scored</th><td class=\"n\">%ld</td></tr>\n", t->scored);
  if (!p->implicit_track)
    fprintf(out, "<tr><th scope=\"row\">on no track</th><td class=\"n\">%ld</td></tr>\n", t->unassigned);
  fprintf(out, "<tr><th scope=\"row\">rejected</th><td class=\"n\">%ld</td></tr>\n", t->rejected);
  fputs("</tbody>\n</table>\n", out);
  for (int k = 0; k < p->ntracks && p->ntiers; k++) {
    const TrackInfo *ti = &p->tracks[k];
    int n = shown_rows(r, k);
    const char **names = xcalloc((size_t)n, sizeof *names);
    long *counts = xcalloc((size_t)n, sizeof *counts);
    long total = 0;
    for (int i = 0; i < n; i++) {
      names[i] = row_title(p, k, i);
      counts[i] = r->tracks[k].rows[i].n;
      total += counts[i];
    }
    fputs("<figure>\n<figcaption>Partners per tier", out);
    if (!p->implicit_track) {
      fputs(", ", out);
      esc(out, ti->title ? ti->title : ti->name);
    }
    fputs("</figcaption>\n", out);
    bar_chart(out, "Partners per tier", names, counts, n);
    fputs("<table>\n<caption>Partners per tier", out);
    if (!p->implicit_track) {
      fputs(", ", out);
      esc(out, ti->name);
    }
    fputs("</caption>\n<thead><tr><th scope=\"col\">tier</th><th scope=\"col\">name</th>"
          "<th scope=\"col\" class=\"n\">partners</th><th scope=\"col\" class=\"n\">share %</th></tr></thead>\n<tbody>\n",
          out);
    for (int i = 0; i < n; i++) {
      fputs("<tr><td>", out);
      esc(out, i < ti->ntiers ? p->tiers[ti->tiers[i]].name : "(none)");
      fputs("</td><td>", out);
      esc(out, names[i]);
      fprintf(out, "</td><td class=\"n\">%ld</td><td class=\"n\">", counts[i]);
      if (total) percent(out, counts[i], total);
      else fputs("-", out);
      fputs("</td></tr>\n", out);
    }
    fputs("</tbody>\n</table>\n</figure>\n", out);
    free(names);
    free(counts);
  }
  if (p->npayouts) {
    fputs("<table>\n<caption>Payouts, all scored partners</caption>\n<thead><tr><th scope=\"col\">payout</th>"
          "<th scope=\"col\" class=\"n\">total</th></tr></thead>\n<tbody>\n", out);
    for (int i = 0; i < p->npayouts; i++) {
      const SlotInfo *si = &p->slots[p->first_payout + i];
      fputs("<tr><td>", out);
      esc(out, slot_title(si));
      fputs("</td><td class=\"n\">", out);
      sum(out, t->payout_totals[i], si->type == VT_MONEY, false);
      fputs("</td></tr>\n", out);
    }
    fputs("</tbody>\n</table>\n", out);
  }
  if (p->nbadges) {
    fputs("<table>\n<caption>Badges earned</caption>\n<thead><tr><th scope=\"col\">badge</th>"
          "<th scope=\"col\" class=\"n\">partners</th></tr></thead>\n<tbody>\n", out);
    for (int b = 0; b < p->nbadges; b++) {
      fputs("<tr><td>", out);
      esc(out, slot_title(&p->slots[p->first_badge + b]));
      fprintf(out, "</td><td class=\"n\">%ld</td></tr>\n", r->earned[b]);
    }
    fputs("</tbody>\n</table>\n", out);
  }
  fputs("</section>\n", out);
}

/* A histogram's bins: width w (1, 2 or 5 times a power of ten, at least
   one point), the first starting at the multiple of w at or below lo. */
typedef struct Bins { Dec start, w; int n; long *count; } Bins;

static void make_bins(Dec lo, Dec hi, Bins *b) {
  Wide range = (Wide)hi - lo;
  Wide w = DEC_SCALE;
  static const int steps[] = {1, 2, 5};
  for (Wide m = DEC_SCALE;; m *= 10) {
    int k = 0;
    for (; k < 3; k++)
      if (range <= (Wide)steps[k] * m * (RP_BINS - 1)) break;
    if (k < 3) { w = (Wide)steps[k] * m; break; }
  }
  Wide start = lo >= 0 ? lo / w * w : -((-(Wide)lo + w - 1) / w) * w;
  b->start = (Dec)start;
  b->w = (Dec)w;
  b->n = (int)(((Wide)hi - start) / w) + 1;
  b->count = xcalloc((size_t)b->n, sizeof *b->count);
}

static void section_distribution(RpRun *r, FILE *out) {
  const Program *p = r->p;
  fputs("<section id=\"distribution\">\n<h2>Score distribution</h2>\n", out);
  fputs("<p class=\"note\">How many partners score in each band of points; a bin from A to B holds the scores "
        "from A up to, not including, B. Dashed lines mark the scores the tiers ask for.</p>\n", out);
  for (int k = 0; k < p->ntracks; k++) {
    const TrackInfo *ti = &p->tracks[k];
    const TrackData *td = &r->tracks[k];
    track_heading(out, p, k, "Track");
    if (!td->n) { fputs("<p>No partner was scored on this track.</p>\n", out); continue; }
    Dec lo = td->scores[0], hi = td->scores[0];
    for (long i = 1; i < td->n; i++) {
      if (td->scores[i] < lo) lo = td->scores[i];
      if (td->scores[i] > hi) hi = td->scores[i];
    }
    for (int i = 0; i < ti->ntiers; i++) {
      int tier = ti->tiers[i];
      if (!r->has_thr[tier]) continue;
      if (r->thr[tier] < lo) lo = r->thr[tier];
      if (r->thr[tier] > hi) hi = r->thr[tier];
    }
    Bins b;
    make_bins(lo, hi, &b);
    for (long i = 0; i < td->n; i++) b.count[(int)(((Wide)td->scores[i] - b.start) / b.w)]++;
    long max = 1;
    for (int i = 0; i < b.n; i++)
      if (b.count[i] > max) max = b.count[i];
    const int left = 44, top = 34, plotw = 560, ploth = 180;
    double bw = (double)plotw / b.n;
    char id[32];
    snprintf(id, sizeof id, "hist%d", k);
    fputs("<figure>\n<figcaption>Partners by score", out);
    if (!p->implicit_track) {
      fputs(", ", out);
      esc(out, ti->title ? ti->title : ti->name);
    }
    fprintf(out, "</figcaption>\n<svg role=\"img\" aria-labelledby=\"%s-t\" viewBox=\"0 0 %d %d\" width=\"%d\" "
                 "height=\"%d\">\n<title id=\"%s-t\">Histogram of scores; the table below gives each bin's count</title>\n",
            id, left + plotw + 20, top + ploth + 44, left + plotw + 20, top + ploth + 44, id);
    fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#1b1b1b\"/>\n", left, top + ploth,
            left + plotw, top + ploth);
    fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%ld</text>\n", left - 6, top + 4, max);
    fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n", left - 6, top + ploth + 4);
    int every = b.n > 12 ? 2 : 1;
    for (int i = 0; i < b.n; i++) {
      double h = (double)ploth * (double)b.count[i] / (double)max;
      double x = left + i * bw;
      if (b.count[i]) {
        fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#7fa7cf\" stroke=\"#1f4e79\"/>",
                x + 1, top + ploth - h, bw - 2, h);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%ld</text>\n", x + bw / 2, top + ploth - h - 4,
                b.count[i]);
      }
      if (i % every == 0) {
        fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x, top + ploth + 16);
        num(out, b.start + (Dec)i * b.w);
        fputs("</text>\n", out);
      }
    }
    if (b.n % every == 0) {   /* the last bin's end, when it falls on a label's place */
      fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", (double)left + plotw, top + ploth + 16);
      num(out, b.start + (Dec)b.n * b.w);
      fputs("</text>\n", out);
    }
    fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">score</text>\n", left + plotw / 2, top + ploth + 36);
    int nlines = 0;
    for (int i = 0; i < ti->ntiers; i++) {
      int tier = ti->tiers[i];
      if (!r->has_thr[tier]) continue;
      double x = left + (double)(r->thr[tier] - b.start) / (double)b.w * bw;
      int ly = top - 20 + (nlines++ % 2) * 12;
      fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#1b1b1b\" stroke-width=\"1.5\" "
                   "stroke-dasharray=\"5 3\"/>",
              x, ly + 3, x, top + ploth);
      fprintf(out, "<text class=\"halo\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x, ly);
      esc(out, p->tiers[tier].name);
      fputs(r->thr_strict[tier] ? " &gt; " : " &#8805; ", out);
      num(out, r->thr[tier]);
      fputs("</text>\n", out);
    }
    fputs("</svg>\n", out);
    if (nlines) {
      fputs("<table>\n<caption>Scores the tiers ask for</caption>\n<thead><tr><th scope=\"col\">tier</th>"
            "<th scope=\"col\">needs a score of</th></tr></thead>\n<tbody>\n", out);
      for (int i = 0; i < ti->ntiers; i++) {
        int tier = ti->tiers[i];
        if (!r->has_thr[tier]) continue;
        fputs("<tr><td>", out);
        esc(out, tier_title(&p->tiers[tier]));
        fputs("</td><td>", out);
        fputs(r->thr_strict[tier] ? "more than " : "", out);
        num(out, r->thr[tier]);
        fputs(r->thr_strict[tier] ? "" : " or more", out);
        fputs("</td></tr>\n", out);
      }
      fputs("</tbody>\n</table>\n", out);
    }
    fputs("<table>\n<caption>Partners per score bin", out);
    if (!p->implicit_track) {
      fputs(", ", out);
      esc(out, ti->name);
    }
    fputs("</caption>\n<thead><tr><th scope=\"col\" class=\"n\">from</th><th scope=\"col\" class=\"n\">to (not "
          "including)</th><th scope=\"col\" class=\"n\">partners</th></tr></thead>\n<tbody>\n", out);
    for (int i = 0; i < b.n; i++) {
      fputs("<tr><td class=\"n\">", out);
      num(out, b.start + (Dec)i * b.w);
      fputs("</td><td class=\"n\">", out);
      num(out, b.start + (Dec)(i + 1) * b.w);
      fprintf(out, "</td><td class=\"n\">%ld</td></tr>\n", b.count[i]);
    }
    fputs("</tbody>\n</table>\n</figure>\n", out);
    free(b.count);
  }
  fputs("</section>\n", out);
}

/* A cap that binds, for sorting: most often first, then in program order. */
typedef struct Bind { int slot; long bound, of; } Bind;
static int by_binding(const void *a, const void *b) {
  const Bind *x = a, *y = b;
  Wide l = (Wide)x->bound * y->of, rr = (Wide)y->bound * x->of;   /* x->bound / x->of vs y's */
  if (l != rr) return l > rr ? -1 : 1;
  if (x->bound != y->bound) return x->bound > y->bound ? -1 : 1;
  return x->slot - y->slot;
}

static void section_sources(RpRun *r, FILE *out) {
  const Program *p = r->p;
  fputs("<section id=\"sources\">\n<h2>Where points come from</h2>\n", out);
  fputs("<p class=\"note\">Each category's share of the points the partners of a tier earned together. A "
        "category that takes points away (a penalty) is not drawn; the table gives its total.</p>\n", out);
  for (int k = 0; k < p->ntracks; k++) {
    const TrackInfo *ti = &p->tracks[k];
    const TrackData *td = &r->tracks[k];
    if (!ti->ncats || !td->n) continue;
    track_heading(out, p, k, "Track");
    int n = shown_rows(r, k);
    char prefix[32];
    snprintf(prefix, sizeof prefix, "fill%d-", k);
    const int left = 170, width = 400, rowh = 30;
    int legend = ((ti->ncats + 1) / 2) * 20;
    int h = n * rowh + legend + 16;
    fputs("<figure>\n<figcaption>Share of points by category, per tier", out);
    if (!p->implicit_track) {
      fputs(", ", out);
      esc(out, ti->title ? ti->title : ti->name);
    }
    fprintf(out, "</figcaption>\n<svg role=\"img\" aria-label=\"Stacked bars: each category's share of the points, "
                 "per tier; the table below gives the numbers\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\">\n",
            left + width + 20, h, left + width + 20, h);
    fill_defs(out, prefix);
    for (int i = 0; i < n; i++) {
      const TierRow *tr = &td->rows[i];
      int y = 6 + i * rowh;
      fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 8, y + 16);
      esc(out, row_title(p, k, i));
      fputs("</text>\n", out);
      Wide pos = 0;
      for (int c = 0; c < ti->ncats; c++)
        if (tr->cat[c] > 0) pos += tr->cat[c];
      if (!tr->n || pos == 0) {
        fprintf(out, "<text x=\"%d\" y=\"%d\">%s</text>\n", left, y + 16, tr->n ? "no points" : "no partners");
        continue;
      }
      double x = left;
      for (int c = 0; c < ti->ncats; c++) {
        if (tr->cat[c] <= 0) continue;
        double w = (double)width * (double)tr->cat[c] / (double)pos;
        fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"url(#%s%d)\" stroke=\"#fff\"/>",
                x, y + 2, w, rowh - 8, prefix, c % FILLS);
        if (w >= 34) {
          fprintf(out, "<text class=\"halo\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x + w / 2, y + 17);
          percent(out, tr->cat[c], pos);
          fputs("%</text>", out);
        }
        putc('\n', out);
        x += w;
      }
    }
    for (int c = 0; c < ti->ncats; c++) {
      int lx = 10 + (c % 2) * 290, ly = n * rowh + 14 + (c / 2) * 20;
      fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"url(#%s%d)\" stroke=\"#1b1b1b\"/>"
                   "<text x=\"%d\" y=\"%d\">",
              lx, ly, prefix, c % FILLS, lx + 20, ly + 12);
      esc(out, slot_title(&p->slots[ti->cats[c]]));
      fputs("</text>\n", out);
    }
    fputs("</svg>\n", out);
    fputs("<table>\n<caption>Average points per partner by category, and share of the tier's points</caption>\n"
          "<thead><tr><th scope=\"col\">tier</th><th scope=\"col\" class=\"n\">partners</th>",
          out);
    for (int c = 0; c < ti->ncats; c++) {
      fputs("<th scope=\"col\" class=\"n\">", out);
      esc(out, slot_title(&p->slots[ti->cats[c]]));
      fputs("</th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
    for (int i = 0; i < n; i++) {
      const TierRow *tr = &td->rows[i];
      Wide pos = 0;
      for (int c = 0; c < ti->ncats; c++)
        if (tr->cat[c] > 0) pos += tr->cat[c];
      fputs("<tr><th scope=\"row\">", out);
      esc(out, row_title(p, k, i));
      fprintf(out, "</th><td class=\"n\">%ld</td>", tr->n);
      for (int c = 0; c < ti->ncats; c++) {
        fputs("<td class=\"n\">", out);
        if (!tr->n) { fputs("-</td>", out); continue; }
        Dec avg;
        Dec total;
        if (dec_sum_result(tr->cat[c], &total) == DEC_OK &&
            dec_div_to(total, (Dec)tr->n * DEC_SCALE, 1, DEC_HALF_AWAY, &avg) == DEC_OK)
          num(out, avg);
        else
          fputs("(too large)", out);
        if (pos > 0 && tr->cat[c] > 0) {
          fputs(" (", out);
          percent(out, tr->cat[c], pos);
          fputs("%)", out);
        }
        fputs("</td>", out);
      }
      fputs("</tr>\n", out);
    }
    fputs("</tbody>\n</table>\n</figure>\n", out);
  }
  /* The caps that bind most often, over every track. */
  Bind *bind = xcalloc((size_t)p->nslots, sizeof *bind);
  int nb = 0;
  for (int i = 0; i < p->npoints + p->ncategories; i++)
    if (r->bound[i]) bind[nb++] = (Bind){i, r->bound[i], r->computed[i]};
  qsort(bind, (size_t)nb, sizeof *bind, by_binding);
  fputs("<h3>Caps that bind most often</h3>\n", out);
  if (!nb) {
    fputs("<p>No cap held any partner's points.</p>\n", out);
  } else {
    fputs("<ul>\n", out);
    for (int i = 0; i < nb && i < RP_CAPS_MAX; i++) {
      const SlotInfo *si = &p->slots[bind[i].slot];
      fputs("<li>", out);
      esc(out, slot_title(si));
      if (si->kind == SLOT_POINTS) {   /* two categories may have points of one title */
        fputs(" (", out);
        esc(out, slot_title(&p->slots[si->category]));
        putc(')', out);
      }
      fputs(" capped for ", out);
      percent(out, bind[i].bound, bind[i].of);
      fprintf(out, " %% of partners (%ld of %ld)</li>\n", bind[i].bound, bind[i].of);
    }
    fputs("</ul>\n", out);
    fputs("<table>\n<caption>Caps that bind</caption>\n<thead><tr><th scope=\"col\">points</th>"
          "<th scope=\"col\">name</th><th scope=\"col\" class=\"n\">capped</th><th scope=\"col\" class=\"n\">"
          "partners</th><th scope=\"col\" class=\"n\">%</th></tr></thead>\n<tbody>\n",
          out);
    for (int i = 0; i < nb && i < RP_CAPS_MAX; i++) {
      const SlotInfo *si = &p->slots[bind[i].slot];
      fputs("<tr><td>", out);
      esc(out, si->name);
      fputs("</td><td>", out);
      esc(out, slot_title(si));
      fprintf(out, "</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td><td class=\"n\">", bind[i].bound, bind[i].of);
      percent(out, bind[i].bound, bind[i].of);
      fputs("</td></tr>\n", out);
    }
    fputs("</tbody>\n</table>\n", out);
    if (nb > RP_CAPS_MAX) fprintf(out, "<p class=\"note\">and %d more caps that bind</p>\n", nb - RP_CAPS_MAX);
  }
  free(bind);
  fputs("</section>\n", out);
}

/* A target's parts and changes as list items, in the words of `rubric
   targets` (targets.c): the report's readers run the program and keep its
   export, so they are shown its conditions and field names as written. */
static void needs_list(FILE *out, const Program *p, const RbTarget *t) {
  int items = 0;
  for (int k = 0; k < t->nconds; k++) {
    const RbTargetCondition *cd = &t->conds[k];
    for (int i = 0; i < cd->nparts; i++) {
      if (cd->parts[i].holds == 1) continue;
      if (!items++) fputs("<ul class=\"needs\">\n", out);
      Captured c;
      rb_targets_part_text(p, &cd->parts[i], capture_begin(&c));
      capture_end(&c);
      fputs("<li>", out);
      rp_html_text(out, c.s, c.n);
      fputs("</li>\n", out);
      free(c.s);
    }
  }
  for (int i = 0; i < t->nchanges; i++) {
    if (!items++) fputs("<ul class=\"needs\">\n", out);
    Captured c;
    rb_targets_change_text(p, &t->changes[i], 0, capture_begin(&c));
    capture_end(&c);
    fputs("<li>one change reaches it: ", out);
    rp_html_text(out, c.s, c.n);
    fputs("</li>\n", out);
    free(c.s);
  }
  if (items) fputs("</ul>\n", out);
}

static void section_close(RpRun *r, FILE *out) {
  const Program *p = r->p;
  fputs("<section id=\"close\">\n<h2>Close to the next tier</h2>\n<p>", out);
  if (r->o->within) {
    fprintf(out, "%ld partner%s %s at most ", r->nclose_all, r->nclose_all == 1 ? "" : "s",
            r->nclose_all == 1 ? "is" : "are");
    num(out, r->o->within_points);
    fputs(" points short of the score their next tier asks for", out);
  } else {
    fprintf(out, "%ld partner%s can reach a next tier by score", r->nclose_all, r->nclose_all == 1 ? "" : "s");
  }
  if (r->nclose_all > r->nclose) fprintf(out, "; the %d nearest are listed", r->nclose);
  fputs(". Each needs every condition listed (the score's included), or any one of the changes.</p>\n", out);
  if (r->nclose) {
    fputs("<table>\n<caption>Partners nearest their next tier, nearest first</caption>\n<thead><tr>"
          "<th scope=\"col\">partner</th>",
          out);
    if (!p->implicit_track) fputs("<th scope=\"col\">track</th>", out);
    fputs("<th scope=\"col\">tier</th><th scope=\"col\" class=\"n\">score</th><th scope=\"col\">next tier</th>"
          "<th scope=\"col\" class=\"n\">points short</th><th scope=\"col\">what it needs</th></tr></thead>\n<tbody>\n",
          out);
    for (int i = 0; i < r->nclose; i++) {
      const Close *c = &r->close[i];
      fputs("<tr><td>", out);
      esc(out, c->key);
      if (c->name) {
        fputs("<br>", out);
        esc(out, c->name);
      }
      fputs("</td>", out);
      if (!p->implicit_track) {
        fputs("<td>", out);
        esc(out, p->tracks[c->track].name);
        fputs("</td>", out);
      }
      fputs("<td>", out);
      esc(out, c->tier >= 0 ? p->tiers[c->tier].name : "(none)");
      fputs("</td><td class=\"n\">", out);
      num(out, c->score);
      fputs("</td><td>", out);
      esc(out, p->tiers[c->next].name);
      fputs("</td><td class=\"n\">", out);
      fputs(c->strict ? "more than " : "", out);
      num(out, c->gap);
      fputs("</td><td>", out);
      if (c->found) needs_list(out, p, &c->t);
      fputs("</td></tr>\n", out);
    }
    fputs("</tbody>\n</table>\n", out);
  }
  fputs("</section>\n", out);
}

static void section_rejected(RpRun *r, FILE *out) {
  const Program *p = r->p;
  const Tally *t = &r->tally;
  long n = 0;
  for (size_t i = 0; i < t->nnotes; i++) n += t->notes[i].kind == NOTE_REJECTED;
  fputs("<section id=\"rejected\">\n<h2>Rejected records</h2>\n", out);
  if (!n) {
    fputs("<p>No record was rejected.</p>\n</section>\n", out);
    return;
  }
  fprintf(out, "<p>%ld record%s could not be scored", n, n == 1 ? "" : "s");
  if (n > RP_REJECTED_MAX) fprintf(out, "; the first %d are listed", RP_REJECTED_MAX);
  fputs(". Fix them in the export and run the report again.</p>\n", out);
  fputs("<table>\n<caption>Rejected records, in the order of the files</caption>\n<thead><tr>"
        "<th scope=\"col\">file</th><th scope=\"col\" class=\"n\">line</th><th scope=\"col\">key</th>"
        "<th scope=\"col\">field</th><th scope=\"col\">reason</th></tr></thead>\n<tbody>\n",
        out);
  long shown = 0;
  for (size_t i = 0; i < t->nnotes && shown < RP_REJECTED_MAX; i++) {
    const RunNote *nt = &t->notes[i];
    if (nt->kind != NOTE_REJECTED) continue;
    shown++;
    fputs("<tr><td>", out);
    esc(out, rb_explain_base_name(nt->file));
    fprintf(out, "</td><td class=\"n\">%ld</td><td>", nt->line);
    if (nt->key) esc(out, nt->key);
    else if (nt->cells_key) esc(out, nt->cells_key);   /* as written: its values were not read */
    fputs("</td><td>", out);
    if (nt->field >= 0) esc(out, p->fields[nt->field].name);
    fputs("</td><td>", out);
    esc(out, nt->reason);
    if (nt->code) escf(out, " [%s]", nt->code);
    fputs("</td></tr>\n", out);
  }
  fputs("</tbody>\n</table>\n</section>\n", out);
}

/* The heat of a matrix cell, in ten steps of one blue; dark cells get
   white text.  The number is always written in the cell. */
static void heat_cell(FILE *out, long v, long max) {
  int step = max ? (int)((v * 10 + max - 1) / max) : 0;
  if (!v) { fputs("<td class=\"n\">0</td>", out); return; }
  fprintf(out, "<td class=\"n heat%s\" style=\"background: rgba(31, 78, 121, %d.%d)\">%ld</td>",
          step >= 6 ? " hot" : "", step / 10, step % 10, v);
}

static void section_compare(RpRun *r, FILE *out) {
  const CmpResult *cr = r->o->compare;
  const CmpTable *base = cr->side[CMP_BASE], *after = cr->side[CMP_NEW];
  fputs("<section id=\"comparison\">\n<h2>Comparison with the new scheme</h2>\n<p>The same records scored with ", out);
  const char *label = r->o->compare_label;
  esc(out, !label ? "the new scheme" : !strcmp(label, "-") ? "the program on standard input" : label);
  fprintf(out, ": %ld record%s change%s in some way.</p>\n", cr->changed, cr->changed == 1 ? "" : "s",
          cr->changed == 1 ? "s" : "");
  fputs("<table>\n<caption>Records under each scheme</caption>\n<thead><tr><th scope=\"col\"></th>"
        "<th scope=\"col\" class=\"n\">now</th><th scope=\"col\" class=\"n\">new</th></tr></thead>\n<tbody>\n",
        out);
  fprintf(out, "<tr><th scope=\"row\">scored</th><td class=\"n\">%ld</td><td class=\"n\">%ld</td></tr>\n",
          base->scored, after->scored);
  if (cr->has_tracks)
    fprintf(out, "<tr><th scope=\"row\">on no track</th><td class=\"n\">%ld</td><td class=\"n\">%ld</td></tr>\n",
            base->unassigned, after->unassigned);
  fprintf(out, "<tr><th scope=\"row\">rejected</th><td class=\"n\">%ld</td><td class=\"n\">%ld</td></tr>\n",
          base->rejected, after->rejected);
  fputs("</tbody>\n</table>\n", out);
  for (int k = 0; k < cr->ntracks; k++) {
    const CmpTrack *tr = &cr->tracks[k];
    if (tr->name) {
      fputs("<h3>Track: ", out);
      esc(out, tr->name);
      fputs("</h3>\n", out);
    }
    long max = 0;
    for (int i = 0; i < tr->ntiers * tr->ntiers; i++)
      if (tr->matrix[i] > max) max = tr->matrix[i];
    fputs("<table class=\"matrix\">\n<caption>Migration: rows are the tier now, columns the tier under the new "
          "scheme; darker cells hold more partners</caption>\n<thead><tr><th scope=\"col\">now \\ new</th>",
          out);
    for (int j = 0; j < tr->ntiers; j++) {
      fputs("<th scope=\"col\" class=\"n\">", out);
      esc(out, tr->tiers[j] ? tr->tiers[j] : "no tier");
      fputs("</th>", out);
    }
    fputs("<th scope=\"col\" class=\"n\">now, total</th></tr></thead>\n<tbody>\n", out);
    for (int i = 0; i < tr->ntiers; i++) {
      fputs("<tr><th scope=\"row\">", out);
      esc(out, tr->tiers[i] ? tr->tiers[i] : "no tier");
      fputs("</th>", out);
      for (int j = 0; j < tr->ntiers; j++) heat_cell(out, tr->matrix[i * tr->ntiers + j], max);
      fprintf(out, "<td class=\"n\">%ld</td></tr>\n", tr->count[CMP_BASE][i]);
    }
    fputs("<tr><th scope=\"row\">new, total</th>", out);
    for (int j = 0; j < tr->ntiers; j++) fprintf(out, "<td class=\"n\">%ld</td>", tr->count[CMP_NEW][j]);
    fputs("<td></td></tr>\n</tbody>\n</table>\n", out);
  }
  fprintf(out, "<h3>Movers</h3>\n<p>%ld partner%s change%s tier, track or badges", cr->nmovers,
          cr->nmovers == 1 ? "" : "s", cr->nmovers == 1 ? "s" : "");
  if (cr->nmovers > RP_MOVERS_MAX) fprintf(out, "; the %d largest moves are listed", RP_MOVERS_MAX);
  fputs(".</p>\n", out);
  if (cr->nmovers) {
    fputs("<table>\n<caption>Movers, largest moves first</caption>\n<thead><tr><th scope=\"col\">partner</th>"
          "<th scope=\"col\">now</th><th scope=\"col\">new</th><th scope=\"col\" class=\"n\">steps</th>"
          "<th scope=\"col\" class=\"n\">score change</th><th scope=\"col\">categories that moved most</th></tr></thead>\n"
          "<tbody>\n",
          out);
    for (long i = 0; i < cr->nmovers && i < RP_MOVERS_MAX; i++) {
      const CmpMover *m = &cr->movers[i];
      const CmpTable *side[2] = {base, after};
      fputs("<tr><td>", out);
      esc(out, m->key);
      fputs("</td>", out);
      for (int s = 0; s < 2; s++) {
        fputs("<td>", out);
        long rec = m->rec[s];
        const char *track = rec >= 0 ? cmp_track_name(side[s], rec) : NULL;
        const char *tier = rec >= 0 ? cmp_tier_name(side[s], rec) : NULL;
        if (track && cr->has_tracks) {
          esc(out, track);
          fputs(" / ", out);
        }
        esc(out, tier ? tier : "no tier");
        fputs("</td>", out);
      }
      fprintf(out, "<td class=\"n\">%s%d</td><td class=\"n\">", m->steps > 0 ? "+" : "", m->steps);
      sum(out, m->change, false, true);
      fputs("</td><td>", out);
      for (int c = 0; c < m->ncats; c++) {
        if (c) fputs(", ", out);
        esc(out, m->cats[c].name);
        putc(' ', out);
        sum(out, m->cats[c].change, false, true);
      }
      fputs("</td></tr>\n", out);
    }
    fputs("</tbody>\n</table>\n", out);
  }
  fputs("<h3>Cost before and after</h3>\n", out);
  if (!cr->npayouts) {
    fputs("<p>Neither scheme has payouts.</p>\n", out);
  } else {
    fputs("<table>\n<caption>Payout totals under each scheme</caption>\n<thead><tr><th scope=\"col\">payout</th>"
          "<th scope=\"col\" class=\"n\">now</th><th scope=\"col\" class=\"n\">new</th><th scope=\"col\" "
          "class=\"n\">change</th></tr></thead>\n<tbody>\n",
          out);
    for (int i = 0; i < cr->npayouts; i++) {
      const CmpPayout *py = &cr->payouts[i];
      fputs("<tr><td>", out);
      esc(out, py->name);
      fputs("</td><td class=\"n\">", out);
      sum(out, py->total[CMP_BASE], true, false);
      fputs("</td><td class=\"n\">", out);
      sum(out, py->total[CMP_NEW], true, false);
      fputs("</td><td class=\"n\">", out);
      sum(out, py->total[CMP_NEW] - py->total[CMP_BASE], true, true);
      fputs("</td></tr>\n", out);
    }
    fputs("</tbody>\n</table>\n", out);
  }
  fputs("</section>\n", out);
}

void rp_write_report(RpRun *r, FILE *out) {
  const Program *p = r->p;
  const char *title = p->title ? p->title : rb_explain_base_name(r->o->program_path);
  page_begin(out, title);
  fputs("<header>\n<h1>", out);
  esc(out, title);
  fputs("</h1>\n<p class=\"meta\">", out);
  if (p->version) {
    fputs("Version ", out);
    esc(out, p->version);
    fputs(" &#183; ", out);
  }
  if (p->has_period) {
    char a[DATE_TEXT_LEN + 1], b[DATE_TEXT_LEN + 1];
    date_format(p->period_from, a);
    date_format(p->period_to, b);
    fprintf(out, "Period %s to %s &#183; ", a, b);
  }
  fputs("Program file ", out);
  esc(out, rb_explain_base_name(r->o->program_path));
  fputs("</p>\n</header>\n<nav>\n<ol>\n<li><a href=\"#overview\">Overview</a></li>\n"
        "<li><a href=\"#distribution\">Score distribution</a></li>\n"
        "<li><a href=\"#sources\">Where points come from</a></li>\n"
        "<li><a href=\"#close\">Close to the next tier</a></li>\n"
        "<li><a href=\"#rejected\">Rejected records</a></li>\n",
        out);
  if (r->o->compare) fputs("<li><a href=\"#comparison\">Comparison with the new scheme</a></li>\n", out);
  fputs("</ol>\n</nav>\n", out);
  section_overview(r, out);
  section_distribution(r, out);
  section_sources(r, out);
  section_close(r, out);
  section_rejected(r, out);
  if (r->o->compare) section_compare(r, out);
  page_end(out);
}

/* ==== the partner dashboard ============================================================== */

/* The dashboard says what a partner needs in plain words, for someone who
   has never seen the program file: no operators and no field names as the
   program writes them.  A field (which has no title in rubric) is named by
   its name with underscores as spaces ("new_customers": "new customers");
   a computed value by its title when it has one; the score is "your
   score".  Amounts stay exact (a target rounded to cents could fall short
   of the tier), written grouped like money (money_exact); every other
   number is written as rubric writes it.  The data is targets.c's, the
   same as `rubric targets` prints in its own words. */

/* A name with its underscores as spaces, escaped; capital: its first
   letter upper case, to start a sentence. */
static void plain_words(FILE *out, const char *s, bool capital) {
  for (size_t i = 0; s[i]; i++) {
    char ch = s[i] == '_' ? ' ' : s[i];
    if (!i && capital && ch >= 'a' && ch <= 'z') ch = (char)(ch - 'a' + 'A');
    rp_html_text(out, &ch, 1);
  }
}

static void plain_name(FILE *out, const Program *p, const RbTargetName *nm, bool capital) {
  if (nm->slot >= 0 && nm->slot == p->score_slot) fputs(capital ? "Your score" : "your score", out);
  else if (nm->slot >= 0 && p->slots[nm->slot].title) esc(out, p->slots[nm->slot].title);
  else plain_words(out, nm->name, capital);
}

/* A value for a partner: an amount exact and grouped, a choice its
   member, text as it is, a flag yes or no; else as rubric writes it. */
static void plain_value(FILE *out, const Program *p, ValueType t, char *const *members, Value v) {
  if (value_is_unset(v)) fputs("not given", out);
  else if (t == VT_MONEY) money_exact(out, v.n);
  else if (members) esc(out, members[v.n]);
  else value(out, p, t, v);
}

/* A name's value; "not given" for an optional field left empty, "not
   worked out yet" for a value the record did not reach. */
static void plain_name_value(FILE *out, const Program *p, const RbTargetName *nm) {
  if (nm->state == RB_NAME_UNSET) {
    fputs("not given", out);
  } else if (nm->state != RB_NAME_VALUE) {
    fputs("not worked out yet", out);
  } else {
    plain_value(out, p, nm->type, nm->members, nm->value);
  }
}

/* What a comparison needs: "above 400", "350 or more", "on or before
   2024-07-31", "anything but east". */
static void plain_needed(FILE *out, const Program *p, const RbTargetPart *tp) {
  bool date = tp->subject.type == VT_DATE;
  const char *op = tp->op, *before = "", *after = "";
  if (!strcmp(op, ">=")) { if (date) before = "on or after "; else after = " or more"; }
  else if (!strcmp(op, "<=")) { if (date) before = "on or before "; else after = " or less"; }
  else if (!strcmp(op, ">")) before = date ? "after " : "above ";
  else if (!strcmp(op, "<")) before = date ? "before " : "below ";
  else if (!strcmp(op, "!=")) before = "anything but ";
  fputs(before, out);
  plain_value(out, p, tp->subject.type, tp->subject.members, tp->needed);
  fputs(after, out);
}

/* How far off a comparison is: " (short by 146.55)", " (10 days too
   late)"; nothing when it is off by nothing (`> 400` at 400). */
static void plain_short(FILE *out, const Program *p, const RbTargetPart *tp) {
  bool more = tp->op[0] == '>';
  if (!tp->has_short || !tp->short_by) return;
  if (tp->subject.type == VT_DATE) {
    fprintf(out, " (%lld day%s too %s)", (long long)tp->short_by, tp->short_by == 1 ? "" : "s",
            more ? "early" : "late");
    return;
  }
  fputs(more ? " (short by " : " (over by ", out);
  plain_value(out, p, tp->subject.type, NULL, (Value){tp->short_by, NULL});
  putc(')', out);
}

/* A change's size: "11 more", "4 fewer" (a count), "$50,050.000188 less",
   "3 days later", "yes". */
static void plain_delta(FILE *out, const Program *p, const RbChange *c) {
  const FieldInfo *f = &p->fields[c->field];
  ValueType t = out_field_type(f);
  if (f->kind == FIELD_FLAG) { fputs(c->to.n ? "yes" : "no", out); return; }
  int64_t d = c->delta < 0 ? -c->delta : c->delta;
  if (t == VT_DATE) {
    fprintf(out, "%lld day%s %s", (long long)d, d == 1 ? "" : "s", c->delta < 0 ? "earlier" : "later");
    return;
  }
  plain_value(out, p, t, NULL, (Value){d, NULL});
  bool whole = f->kind == FIELD_COUNT || f->kind == FIELD_INT;
  fputs(c->delta >= 0 ? " more" : whole ? " fewer" : " less", out);
}

/* A change of one field that reaches the tier: "New customers: 11 more
   (from 0 to 11)", "Leadgen event: yes (now no)", or, where the field is
   not monotone, "Revenue: $9,000.00 would do it (though $12,000.00 would
   not)". */
static void plain_change(FILE *out, const Program *p, const RbChange *c) {
  const FieldInfo *f = &p->fields[c->field];
  ValueType t = out_field_type(f);
  plain_words(out, f->name, true);
  fputs(": ", out);
  if (c->status == RB_CHANGE_NOT_MONOTONE) {
    plain_value(out, p, t, NULL, c->reach);
    fputs(" would do it (though ", out);
    plain_value(out, p, t, NULL, c->miss);
    fputs(" would not)", out);
    return;
  }
  plain_delta(out, p, c);
  fputs(f->kind == FIELD_FLAG ? " (now " : " (from ", out);
  plain_value(out, p, t, NULL, c->from);
  if (f->kind != FIELD_FLAG) {
    fputs(" to ", out);
    plain_value(out, p, t, NULL, c->to);
  }
  putc(')', out);
}

/* A part of the next tier's condition that is not met (or not checked),
   as a sentence: "Your score must be above 400; it is 400.", "Revenue
   must be above $5,000.00; it is $0.00 (short by $5,000.00).", "Required
   certs must be yes; it is no.".  A part that is not one comparison names
   what it depends on and the single changes that would meet it. */
static void plain_part(FILE *out, const Program *p, const RbTargetPart *tp) {
  const RbTargetName *nm = &tp->subject;
  bool known = nm->state == RB_NAME_VALUE;
  switch (tp->kind) {
  case RB_PART_COMPARE:
    plain_name(out, p, nm, true);
    fputs(" must be ", out);
    plain_needed(out, p, tp);
    if (known) {
      fputs("; it is ", out);
      plain_name_value(out, p, nm);
      plain_short(out, p, tp);
    }
    break;
  case RB_PART_IN:
    plain_name(out, p, nm, true);
    fputs(" must be one of the values the tier accepts; it is ", out);
    plain_name_value(out, p, nm);
    break;
  case RB_PART_SET:
    plain_name(out, p, nm, true);
    fputs(" must be given; it is not", out);
    break;
  case RB_PART_FLAG:
    plain_name(out, p, nm, true);
    fputs(tp->negated ? " must be no" : " must be yes", out);
    if (known) fputs(tp->negated ? "; it is yes" : "; it is no", out);
    break;
  case RB_PART_OTHER:
    if (tp->nnames == 1 && !strcmp(tp->names[0].name, tp->text)) {   /* the part is one name: a yes or no */
      plain_name(out, p, &tp->names[0], true);
      fputs(" must be yes", out);
      if (tp->names[0].state != RB_NAME_NOT_COMPUTED) {
        fputs("; it is ", out);
        plain_name_value(out, p, &tp->names[0]);
      }
      break;
    }
    fputs("A further condition", out);
    for (int i = 0; i < tp->nnames; i++) {
      fputs(!i ? ", on " : i + 1 < tp->nnames ? ", " : " and ", out);
      plain_name(out, p, &tp->names[i], false);
      fputs(" (now ", out);
      plain_name_value(out, p, &tp->names[i]);
      putc(')', out);
    }
    fputs(tp->nnames ? ", must be met" : " must be met", out);
    break;
  }
  const char *sep = "; it would be met with ";
  for (int i = 0; i < tp->nholds_with; i++) {
    const RbChange *c = &tp->holds_with[i];
    if (c->status != RB_CHANGE_FOUND) continue;
    const FieldInfo *f = &p->fields[c->field];
    fputs(sep, out);
    plain_words(out, f->name, false);
    if (f->kind == FIELD_FLAG) {
      fputs(c->to.n ? " yes" : " no", out);
    } else {
      fputs(" at ", out);
      plain_value(out, p, out_field_type(f), NULL, c->to);
      fputs(" (", out);
      plain_delta(out, p, c);
      putc(')', out);
    }
    sep = ", or ";
  }
  putc('.', out);
}

/* What a partner needs for its next tier: the parts not met, those not
   checked yet (a part of an `and` after one that failed), and the single
   changes, any one of which gets it there. */
static void partner_needs(FILE *out, const Program *p, const RbTarget *t) {
  static const char *const heading[2] = {"Not met yet:", "May also be needed (not checked yet):"};
  for (int pass = 0; pass < 2; pass++) {
    int n = 0;
    for (int k = 0; k < t->nconds; k++)
      for (int i = 0; i < t->conds[k].nparts; i++) {
        const RbTargetPart *tp = &t->conds[k].parts[i];
        if (pass ? tp->holds >= 0 : tp->holds != 0) continue;
        if (!n++) fprintf(out, "<p>%s</p>\n<ul class=\"needs\">\n", heading[pass]);
        fputs("<li>", out);
        plain_part(out, p, tp);
        fputs("</li>\n", out);
      }
    if (n) fputs("</ul>\n", out);
  }
  for (int i = 0; i < t->nchanges; i++) {
    if (!i) fputs("<p>Any one of these would get you there:</p>\n<ul class=\"needs\">\n", out);
    fputs("<li>", out);
    plain_change(out, p, &t->changes[i]);
    fputs("</li>\n", out);
  }
  if (t->nchanges) fputs("</ul>\n", out);
}

/* A meter: a bar of width `width` filled to part / whole, with its words. */
static void meter(FILE *out, const char *label, Dec part, Dec whole, int width) {
  double f = whole > 0 ? (double)part / (double)whole : 0;
  if (f < 0) f = 0;
  if (f > 1) f = 1;
  fprintf(out, "<svg role=\"img\" aria-label=\"");
  esc(out, label);
  fprintf(out, "\" viewBox=\"0 0 %d 18\" width=\"%d\" height=\"18\"><rect x=\"0.5\" y=\"0.5\" width=\"%d\" "
               "height=\"16\" fill=\"#eef3f8\" stroke=\"#1f4e79\"/><rect x=\"0.5\" y=\"0.5\" width=\"%.1f\" "
               "height=\"16\" fill=\"#1f4e79\"/></svg>",
          width + 1, width + 1, width, (double)width * f);
}

static void write_dashboard(const RpRun *r, FILE *out, const char *key, const char *name, const Snapshot *s,
                            const RbTarget *t) {
  const Program *p = r->p;
  const TrackInfo *ti = &p->tracks[s->track];
  char title[1024];
  snprintf(title, sizeof title, "%s%s%s: partner dashboard", name ? name : key, name ? " - " : "", name ? key : "");
  page_begin(out, title);
  fputs("<header>\n<p class=\"meta\">", out);
  esc(out, p->title ? p->title : rb_explain_base_name(r->o->program_path));
  if (p->version) {
    fputs(", ", out);
    esc(out, p->version);
  }
  if (p->has_period) {
    char a[DATE_TEXT_LEN + 1], b[DATE_TEXT_LEN + 1];
    date_format(p->period_from, a);
    date_format(p->period_to, b);
    fprintf(out, " &#183; period %s to %s", a, b);
  }
  fputs("</p>\n<h1>", out);
  esc(out, name ? name : key);
  fputs("</h1>\n<p class=\"meta\">Partner ", out);
  esc(out, key);
  fputs("</p>\n</header>\n", out);
  /* standing */
  fputs("<section id=\"standing\">\n<h2>Where you stand</h2>\n<p class=\"big\">Your score: <strong>", out);
  num(out, s->slots[p->score_slot].n);
  fputs("</strong> points &#183; your tier: <strong>", out);
  esc(out, s->tier >= 0 ? tier_title(&p->tiers[s->tier]) : "none yet");
  fputs("</strong></p>\n", out);
  if (!p->implicit_track) {
    fputs("<p>You are assessed as: ", out);
    esc(out, ti->title ? ti->title : ti->name);
    fputs("</p>\n", out);
  }
  fputs("</section>\n", out);
  /* next tier */
  fputs("<section id=\"next\">\n", out);
  if (t->next < 0 && !ti->ntiers) {
    fputs("<h2>Your next tier</h2>\n<p>The program has no tiers on your track.</p>\n", out);
  } else if (t->next < 0) {
    fputs("<h2>Your next tier</h2>\n<p>You are in the top tier. Well done.</p>\n", out);
  } else {
    const TierInfo *nx = &p->tiers[t->next];
    fputs("<h2>Your next tier: ", out);
    esc(out, tier_title(nx));
    fputs("</h2>\n", out);
    if (t->has_gap) {
      Dec score = s->slots[p->score_slot].n, goal;
      if (dec_add(score, t->gap, &goal) != DEC_OK) goal = score;
      meter(out, "Progress to the next tier's score", score, goal, 400);
      if (!t->gap && !t->gap_strict) {   /* the score part holds: goal is the score, not the tier's threshold */
        fputs("\n<p>Your score of ", out);
        num(out, score);
        fputs(" is enough for this tier.</p>\n", out);
      } else {
        fputs("\n<p>The tier asks for a score ", out);
        fputs(t->gap_strict ? "above " : "of ", out);
        num(out, goal);
        fputs(t->gap_strict ? "" : " or more", out);
        fputs("; you have ", out);
        num(out, score);
        if (t->gap) {
          fputs(t->gap_strict ? ": more than " : ": ", out);
          num(out, t->gap);
          fputs(" to go.</p>\n", out);
        } else {
          fputs(": any more points will do.</p>\n", out);
        }
      }
    }
    fputs("<h3>What it takes</h3>\n", out);
    partner_needs(out, p, t);
    if (!t->nchanges) fputs("<p>No single change reaches it alone: it takes more than one.</p>\n", out);
  }
  fputs("</section>\n", out);
  /* categories */
  fputs("<section id=\"categories\">\n<h2>Your points by category</h2>\n<table>\n<caption>Points by category, "
        "against the most each can give</caption>\n<thead><tr><th scope=\"col\">category</th><th scope=\"col\" "
        "class=\"n\">your points</th><th scope=\"col\" class=\"n\">at most</th><th scope=\"col\">share of the "
        "most</th></tr></thead>\n<tbody>\n",
        out);
  for (int c = 0; c < ti->ncats; c++) {
    int slot = ti->cats[c];
    const SlotInfo *si = &p->slots[slot];
    Dec most = 0;
    bool has_most = false;
    if (si->has_hi) { most = s->hi[slot]; has_most = true; }
    else if (si->reach.has_hi) { most = si->reach.hi; has_most = true; }
    fputs("<tr><th scope=\"row\">", out);
    esc(out, slot_title(si));
    fputs("</th><td class=\"n\">", out);
    num(out, s->slots[slot].n);
    fputs("</td><td class=\"n\">", out);
    if (has_most) num(out, most);
    fputs("</td><td>", out);
    if (has_most && most > 0) {
      char label[300];
      snprintf(label, sizeof label, "%s: points against the most", slot_title(si));
      meter(out, label, s->slots[slot].n, most, 160);
      fputs(" ", out);
      percent(out, s->slots[slot].n, most);
      fputs("%", out);
    }
    fputs("</td></tr>\n", out);
  }
  fputs("</tbody>\n</table>\n</section>\n", out);
  /* caps */
  fputs("<section id=\"capped\">\n<h2>Where a cap held your points</h2>\n", out);
  int ncapped = 0;
  for (int i = 0; i < p->npoints + p->ncategories; i++) {
    if (!s->has_raw[i] || s->raw[i] == s->slots[i].n) continue;
    const SlotInfo *si = &p->slots[i];
    if (!ncapped++) fputs("<ul>\n", out);
    fputs("<li>", out);
    esc(out, slot_title(si));
    if (s->raw[i] > s->slots[i].n) {
      fputs(": capped: ", out);
      num(out, s->slots[i].n);
      fputs(" of ", out);
      num(out, s->raw[i]);
      fputs(" earned</li>\n", out);
    } else {
      fputs(": raised to its floor of ", out);
      num(out, s->slots[i].n);
      fputs(" (it came to ", out);
      num(out, s->raw[i]);
      fputs(")</li>\n", out);
    }
  }
  fputs(ncapped ? "</ul>\n" : "<p>No cap held your points back.</p>\n", out);
  fputs("</section>\n", out);
  /* badges and benefits */
  fputs("<section id=\"badges\">\n<h2>Badges</h2>\n", out);
  int nbadges = 0;
  for (int i = 0; i < ti->nbadges; i++) {
    int slot = ti->badges[i];
    if (!s->computed[slot] || !s->slots[slot].n) continue;
    if (!nbadges++) fputs("<ul>\n", out);
    fputs("<li>", out);
    esc(out, slot_title(&p->slots[slot]));
    fputs("</li>\n", out);
  }
  if (nbadges) fputs("</ul>\n", out);
  else if (ti->nbadges) fputs("<p>No badge earned yet.</p>\n", out);
  else fputs("<p>The program has no badges.</p>\n", out);
  fputs("</section>\n<section id=\"benefits\">\n<h2>Your benefits</h2>\n", out);
  if (!p->nbenefits) {
    fputs("<p>The program lists no benefits.</p>\n", out);
  } else {
    fputs("<table>\n<caption>What your tier gives you</caption>\n<thead><tr><th scope=\"col\">benefit</th>"
          "<th scope=\"col\">yours</th></tr></thead>\n<tbody>\n", out);
    for (int b = 0; b < p->nbenefits; b++) {
      const BenefitInfo *bi = &p->benefits[b];
      fputs("<tr><th scope=\"row\">", out);
      esc(out, bi->title ? bi->title : bi->name);
      fputs("</th><td>", out);
      value(out, p, (ValueType)bi->type, s->benefits[b]);
      fputs("</td></tr>\n", out);
    }
    fputs("</tbody>\n</table>\n", out);
  }
  fputs("</section>\n", out);
  page_end(out);
}

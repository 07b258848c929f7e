/*
** explain.c — see explain.h.  Everything here reads the Program's tables
** and a VM context's slots and trace; nothing evaluates twice, allocates,
** or writes anywhere but the stream it is given.
**
** Where a function's branch was called from is in its SiteInfo (the
** compiler records the call).  The values behind each part of a condition
** are read from what the compiler left rather than from the trace, which
** does not carry them (see the note at explain_parts).
*/
#include "explain.h"

#include <string.h>

#include "date.h"
#include "stream.h"
#include "writers.h"

void rb_explain_value(const Program *p, ValueType t, Value v, FILE *out) {
  char buf[64];
  size_t len;
  if (value_is_unset(v)) { fputs("(unset)", out); return; }
  const char *s = out_value_text(p, t, NULL, v, buf, &len);
  if (t == VT_TEXT) fprintf(out, "\"%.*s\"", (int)len, s);
  else fprintf(out, "%s%.*s", t == VT_MONEY ? "$" : "", (int)len, s);
}

static void print_field(const Program *p, int f, const Row *row, FILE *out) {
  const FieldInfo *fi = &p->fields[f];
  fprintf(out, "  %-16s ", fi->name);
  if (!row->set[f]) { fputs("(not set)\n", out); return; }
  if (fi->kind == FIELD_CHOICE) fputs(fi->members[row->vals[f].n], out);
  else rb_explain_value(p, out_field_type(fi), row->vals[f], out);
  putc('\n', out);
}

/* The trace event of a site, or NULL when the record did not pass it. */
static const TraceEvent *event_at(const VmCtx *vm, SiteKind kind, int site, int index) {
  for (int i = 0; i < vm->ntrace; i++) {
    const SiteInfo *si = &vm->prog->sites[vm->trace[i].site];
    if (si->kind == kind && (site < 0 ? si->index == index : vm->trace[i].site == site))
      return &vm->trace[i];
  }
  return NULL;
}

/* Where a function's branch was inlined: the call the compiler recorded
   for the site (the outermost, when fns call fns); file -1 for a site
   that is not in a function's body. */
Pos rb_explain_call_site(const Program *p, int site) {
  const SiteInfo *si = &p->sites[site];
  return (Pos){si->call.file, si->call.line, si->call.col};
}

const char *rb_explain_base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/* "(line 26)" in the program's own file; "(shapes.rubric:26, called at
   line 88)" for a function's branch from another file, naming the call's
   file too when that is not the program's (an imported declaration). */
static void print_place(const Program *p, int site, FILE *out) {
  const SiteInfo *si = &p->sites[site];
  Pos call = rb_explain_call_site(p, site);
  if (call.file < 0) { fprintf(out, "(line %d)", si->line); return; }
  if (si->file == call.file) fprintf(out, "(line %d, called at ", si->line);   /* a fn of the same file */
  else fprintf(out, "(%s:%d, called at ", rb_explain_base_name(p->files[si->file]), si->line);
  if (call.file) fprintf(out, "%s:%d)", rb_explain_base_name(p->files[call.file]), call.line);
  else fprintf(out, "line %d)", call.line);
}

static void print_cap(const SlotInfo *si, const VmCtx *vm, int slot, FILE *out) {
  const TraceEvent *e = si->site >= 0 ? event_at(vm, SITE_RAW, si->site, -1) : NULL;
  char raw[DEC_FMT_MAX], lo[DEC_FMT_MAX] = "", hi[DEC_FMT_MAX] = "";
  if (!e) return;
  dec_format(e->v.n, raw);
  if (si->has_lo) dec_format(si->lo, lo);
  if (si->has_hi) dec_format(si->hi, hi);
  if (e->v.n != vm->slots[slot].n) {
    char capped[DEC_FMT_MAX];
    dec_format(vm->slots[slot].n, capped);
    fprintf(out, "   (raw %s, capped at %s)", raw, capped);
  } else if (si->has_hi && e->v.n == si->hi) {   /* reached, not exceeded */
    fprintf(out, "   (cap %s..%s, reached exactly)", lo, hi);
  } else if (si->has_lo && e->v.n == si->lo) {
    fprintf(out, "   (cap %s..%s, at its floor)", lo, hi);
  } else if (si->has_lo || si->has_hi) {
    fprintf(out, "   (cap %s..%s, not reached)", lo, hi);
  }
}

static void print_events(const Program *p, const VmCtx *vm, int slot, const char *indent,
                         FILE *out) {
  for (int i = 0; i < vm->ntrace; i++) {
    const TraceEvent *e = &vm->trace[i];
    const SiteInfo *s = &p->sites[e->site];
    if (s->slot != slot) continue;
    switch ((SiteKind)s->kind) {
    case SITE_IF:
      fprintf(out, "%sif %s  -> %s  ", indent, s->text, e->v.n ? "yes: then" : "no: else");
      break;
    case SITE_ROW:
      fprintf(out, "%sband row %s  ", indent, s->text);
      break;
    case SITE_ELSE:
      fprintf(out, "%sband row else => %s  ", indent, s->text);
      break;
    default:
      continue;
    }
    print_place(p, e->site, out);
    putc('\n', out);
  }
}

static const char *title_of(const char *t) { return t ? t : ""; }

bool rb_explain_key_matches(const Program *p, const Row *row, const char *const *ids, int nids) {
  for (int k = 0; k < p->nkeys; k++) {
    int f = p->keys[k];
    if (k >= nids) {
      if (row->set[f]) return false;
      continue;
    }
    char vb[64];
    size_t n = 0;
    const char *t = row->set[f] ? out_value_text(p, out_field_type(&p->fields[f]), &p->fields[f],
                                                 row->vals[f], vb, &n) : "";
    if (strlen(ids[k]) != n || memcmp(ids[k], t, n) != 0) return false;
  }
  return true;
}

/* ---- the parts of a condition ------------------------------------------------

   The trace records a condition's outcome as a whole.  To say which part
   failed, each part's value would need a TRACE of its own (the compiler's
   to emit).  Until then this reads the condition's canonical text (as
   rubric fmt writes it, lang/format.c) and, for a part that compares one
   name with a literal or another name (`certified >= 5`, `live is set`, a
   flag, `not` a flag), takes the name's value from the record, the
   parameters or the computed slots and compares: a comparison of two
   known values, not a second evaluation.  Any other part is shown with
   the values of the names in it. */

typedef struct Word { const char *s; int n; } Word;

static bool is_name_char(char c, bool first) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (!first && ((c >= '0' && c <= '9') || c == '.'));
}

/* Splits s[0..n) into words: names, literals, operators, brackets. */
static int words_of(const char *s, int n, Word *w, int max) {
  int k = 0;
  for (int i = 0; i < n && k < max;) {
    if (s[i] == ' ') { i++; continue; }
    int j = i + 1;
    if (s[i] == '"') { while (j < n && s[j] != '"') j++; j += j < n; }
    else if (is_name_char(s[i], true)) { while (j < n && is_name_char(s[j], false)) j++; }
    else if (s[i] == '$' || s[i] == '-' || (s[i] >= '0' && s[i] <= '9')) {
      while (j < n && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.' || s[j] == '-' || s[j] == '_')) j++;
    } else if (strchr("<>!=", s[i])) { while (j < n && s[j] == '=') j++; }
    w[k++] = (Word){s + i, j - i};
    i = j;
  }
  return k;
}

static bool word_is(Word w, const char *s) { return (size_t)w.n == strlen(s) && memcmp(w.s, s, (size_t)w.n) == 0; }

/* A name's value for this record: a field, a parameter or a slot it
   computed.  *choice is the field whose members name a choice value. */
typedef enum { NV_NONE, NV_UNSET, NV_VALUE } NameValue;

static NameValue name_value(const Program *p, const VmCtx *vm, const Row *row, Word w, ValueType *t,
                            Value *v, const FieldInfo **choice) {
  *choice = NULL;
  for (int f = 0; f < p->nfields; f++)
    if (word_is(w, p->fields[f].name)) {
      if (!row || !row->set[f]) return NV_UNSET;
      *t = out_field_type(&p->fields[f]);
      *v = row->vals[f];
      if (p->fields[f].kind == FIELD_CHOICE) *choice = &p->fields[f];
      return NV_VALUE;
    }
  for (int i = 0; i < p->nparams; i++)
    if (word_is(w, p->params[i].name)) {
      const ParamInfo *pi = &p->params[i];
      int at = pi->base;
      if (pi->keyfield >= 0) {
        if (!row || !row->set[pi->keyfield]) return NV_UNSET;
        at += (int)row->vals[pi->keyfield].n;
      }
      *t = (ValueType)pi->type;
      *v = (Value){vm->params[at], NULL};
      return NV_VALUE;
    }
  for (int s = 0; s < p->nslots; s++)
    if (word_is(w, p->slots[s].name)) {
      if (!vm_computed(vm, s)) return NV_UNSET;
      *t = (ValueType)p->slots[s].type;
      *v = vm->slots[s];
      return NV_VALUE;
    }
  return NV_NONE;
}

static void print_named_value(const Program *p, ValueType t, Value v, const FieldInfo *choice, FILE *out) {
  if (choice) fputs(choice->members[v.n], out);
  else rb_explain_value(p, t, v, out);
}

/* The literal w as a value of type t (of choice's members); false when it
   is not one. */
static bool literal_value(Word w, ValueType t, const FieldInfo *choice, Value *v) {
  if (choice) {
    for (int m = 0; m < choice->nmembers; m++)
      if (word_is(w, choice->members[m])) { *v = (Value){m, NULL}; return true; }
    return false;
  }
  if (t == VT_DATE) return date_parse(w.s, (size_t)w.n, &v->n);
  if (t == VT_FLAG) {
    if (word_is(w, "yes") || word_is(w, "no")) { *v = (Value){word_is(w, "yes"), NULL}; return true; }
    return false;
  }
  if (t != VT_NUMBER && t != VT_MONEY) return false;
  char digits[64];
  int n = 0;
  for (int i = w.s[0] == '$'; i < w.n && n < (int)sizeof digits - 1; i++)
    if (w.s[i] != ',' && w.s[i] != '_') digits[n++] = w.s[i];
  return dec_parse(digits, (size_t)n, &v->n) == DEC_OK;
}

/* a OP b, for a comparison operator word. */
static bool compare(Word op, int64_t a, int64_t b, bool *holds) {
  if (word_is(op, "=")) *holds = a == b;
  else if (word_is(op, "!=")) *holds = a != b;
  else if (word_is(op, "<")) *holds = a < b;
  else if (word_is(op, "<=")) *holds = a <= b;
  else if (word_is(op, ">")) *holds = a > b;
  else if (word_is(op, ">=")) *holds = a >= b;
  else return false;
  return true;
}

/* One part: "score >= 100: 60 -> no", "certs >= min_certs: 4 >= 5 -> no",
   "kind in (var, msp): isv -> no", "live is set -> no", "f -> yes",
   "not f: yes -> no"; any other, the
   values of the names in it: "a + b >= 4: a 1, b 2". */
static void explain_part(const Program *p, const VmCtx *vm, const Row *row, const char *s, int n,
                         const char *indent, FILE *out) {
  Word w[16];
  int k = words_of(s, n, w, 16);
  ValueType t, t2;
  Value v, v2;
  const FieldInfo *ch, *ch2;
  fprintf(out, "%s%.*s", indent, n, s);
  if (k == 3 && word_is(w[1], "is") && word_is(w[2], "set")) {
    NameValue nv = name_value(p, vm, row, w[0], &t, &v, &ch);
    if (nv != NV_NONE) { fprintf(out, " -> %s\n", nv == NV_VALUE ? "yes" : "no"); return; }
  }
  if (k == 3 && name_value(p, vm, row, w[0], &t, &v, &ch) == NV_VALUE) {
    bool holds, named = name_value(p, vm, row, w[2], &t2, &v2, &ch2) == NV_VALUE;
    if ((named || literal_value(w[2], t, ch, &v2)) && compare(w[1], v.n, v2.n, &holds) &&
        t != VT_TEXT) {
      fputs(": ", out);
      print_named_value(p, t, v, ch, out);
      if (named) {   /* both sides' values: "4 >= 5" */
        fprintf(out, " %.*s ", w[1].n, w[1].s);
        print_named_value(p, t2, v2, ch2, out);
      }
      fprintf(out, " -> %s\n", holds ? "yes" : "no");
      return;
    }
  }
  if (k >= 5 && word_is(w[1], "in") && word_is(w[2], "(") && word_is(w[k - 1], ")") &&
      name_value(p, vm, row, w[0], &t, &v, &ch) == NV_VALUE && t != VT_TEXT) {
    bool known = true, holds = false;   /* NAME in (V, V, ...): one of the values */
    for (int i = 3; i < k - 1 && known; i += 2) {
      known = literal_value(w[i], t, ch, &v2) && (i + 1 == k - 1 || word_is(w[i + 1], ","));
      holds |= known && v2.n == v.n;
    }
    if (known) {
      fputs(": ", out);
      print_named_value(p, t, v, ch, out);
      fprintf(out, " -> %s\n", holds ? "yes" : "no");
      return;
    }
  }
  bool negate = k == 2 && word_is(w[0], "not");
  if ((k == 1 || negate) && name_value(p, vm, row, w[k - 1], &t, &v, &ch) == NV_VALUE && t == VT_FLAG) {
    if (negate) fprintf(out, ": %s", v.n ? "yes" : "no");
    fprintf(out, " -> %s\n", (v.n != 0) != negate ? "yes" : "no");
    return;
  }
  const char *sep = ": ";
  for (int i = 0; i < k; i++) {   /* each name once, in order */
    bool seen = false;
    for (int j = 0; j < i; j++) seen |= w[j].n == w[i].n && memcmp(w[j].s, w[i].s, (size_t)w[i].n) == 0;
    NameValue nv = seen ? NV_NONE : name_value(p, vm, row, w[i], &t, &v, &ch);
    if (nv == NV_NONE) continue;
    fprintf(out, "%s%.*s ", sep, w[i].n, w[i].s);
    if (nv == NV_UNSET) fputs("(not set)", out);
    else print_named_value(p, t, v, ch, out);
    sep = ", ";
  }
  putc('\n', out);
}

/* The parts of condition text: split at the top-level ` or `s, or if
   there are none at its top-level ` and `s. */
static void explain_parts(const Program *p, const VmCtx *vm, const Row *row, const char *text,
                          const char *indent, FILE *out) {
  static const char *const joins[] = {" or ", " and "};
  int n = (int)strlen(text);
  for (int j = 0; j < 2; j++) {
    int len = (int)strlen(joins[j]), start = 0, depth = 0, parts = 0;
    for (int i = 0; i <= n; i++) {
      if (i < n && (text[i] == '(')) depth++;
      else if (i < n && text[i] == ')') depth--;
      else if (i < n && text[i] == '"') { while (++i < n && text[i] != '"') {} }
      bool cut = i == n || (depth == 0 && i + len <= n && memcmp(text + i, joins[j], (size_t)len) == 0);
      if (!cut) continue;
      if (i == n && !parts) break;   /* no join of this kind at the top */
      explain_part(p, vm, row, text + start, i - start, indent, out);
      parts++;
      start = i + len;
      i = start - 1;
    }
    if (parts) return;
  }
  explain_part(p, vm, row, text, n, indent, out);
}

/* ---- sections ------------------------------------------------------------ */

void rb_explain_ladder(const Program *p, const VmCtx *vm, const Row *row, const char *indent, FILE *out) {
  const TrackInfo *ti = &p->tracks[vm->track];
  bool broken = false;
  int earned = -1;   /* the tier its conditions give, before a floor */
  char deeper[64];
  snprintf(deeper, sizeof deeper, "%s      ", indent);
  for (int i = 0; i < ti->ntiers; i++) {
    int t = ti->tiers[i];
    const TraceEvent *e = event_at(vm, SITE_TIER, -1, t);
    bool failed = e && e->v.n < 0 && e->v.s;   /* an error above a failed tier (vm.c: TRY) */
    bool held = e && e->v.n > 0;
    const char *verdict = held ? (broken ? "holds, but a lower tier failed" : "holds") : "does not hold";
    fprintf(out, "%s%-12s %-24s when %s  -> ", indent, p->tiers[t].name, title_of(p->tiers[t].title),
            e ? p->sites[e->site].text : "?");
    if (failed) fprintf(out, "cannot be worked out (%s); a lower tier failed, so it does not count\n", e->v.s);
    else fprintf(out, "%s\n", verdict);
    if (e && !held && !failed) explain_parts(p, vm, row, p->sites[e->site].text, deeper, out);
    if (held && !broken) earned = t;
    if (!held) broken = true;
  }
  /* no demotion: the tier the floor holds, when the record's is below it */
  const TraceEvent *f = event_at(vm, SITE_FLOOR, -1, vm->track);
  if (f && f->v.n >= 0 && f->v.n < p->ntiers) {
    const char *name = p->tiers[f->v.n].name;
    fprintf(out, "%sfloor %-6s holds %s", indent, p->sites[f->site].text, name);
    if (vm->tier == f->v.n && earned != vm->tier)
      fprintf(out, ", above the %s%s earned: the record keeps %s\n", earned >= 0 ? p->tiers[earned].name : "no tier",
              earned >= 0 ? " it" : "", name);
    else fputs(", not above the tier earned\n", out);
  }
}

static void explain_tiers(const Program *p, const VmCtx *vm, const Row *row, FILE *out) {
  if (!p->tracks[vm->track].ntiers) return;
  fputs("\ntiers, lowest first (a tier needs its condition and every one below)\n", out);
  rb_explain_ladder(p, vm, row, "  ", out);
}

static void explain_badge(const Program *p, const VmCtx *vm, const Row *row, int s, const char *indent,
                          FILE *out) {
  const SlotInfo *si = &p->slots[s];
  const TraceEvent *e = si->site >= 0 ? event_at(vm, SITE_RAW, si->site, -1) : NULL;
  fprintf(out, "%s%-12s %-24s when %s  -> %s\n", indent, si->name, title_of(si->title),
          e ? p->sites[e->site].text : "?", vm->slots[s].n ? "earned" : "not earned");
  char deeper[64];
  snprintf(deeper, sizeof deeper, "%s      ", indent);
  if (e && !vm->slots[s].n) explain_parts(p, vm, row, p->sites[e->site].text, deeper, out);
}

static void explain_payout(const Program *p, const VmCtx *vm, int s, const char *indent, FILE *out) {
  fprintf(out, "%s%-12s %-24s ", indent, p->slots[s].name, title_of(p->slots[s].title));
  rb_explain_value(p, VT_MONEY, vm->slots[s], out);
  putc('\n', out);
  char deeper[64];
  snprintf(deeper, sizeof deeper, "%s    ", indent);
  print_events(p, vm, s, deeper, out);
}

/* An output: its value as eval writes it (a choice by name, a flag yes or
   no), then the branches that gave it. */
static void explain_output(const Program *p, const VmCtx *vm, int s, const char *indent, FILE *out) {
  char buf[64];
  size_t len;
  const SlotInfo *si = &p->slots[s];
  if (value_is_unset(vm->slots[s])) {
    fprintf(out, "%s%-12s %-24s (unset)\n", indent, si->name, title_of(si->title));
    char deeper[64];
    snprintf(deeper, sizeof deeper, "%s    ", indent);
    print_events(p, vm, s, deeper, out);
    return;
  }
  const char *text = out_slot_text(p, s, vm->slots[s], buf, &len);
  fprintf(out, "%s%-12s %-24s %s%s%.*s%s\n", indent, si->name, title_of(si->title),
          si->type == VT_MONEY ? "$" : "", si->type == VT_TEXT ? "\"" : "", (int)len, text,
          si->type == VT_TEXT ? "\"" : "");
  char deeper[64];
  snprintf(deeper, sizeof deeper, "%s    ", indent);
  print_events(p, vm, s, deeper, out);
}

static void explain_after_tier(const Program *p, const VmCtx *vm, const Row *row, FILE *out) {
  const TrackInfo *ti = &p->tracks[vm->track];
  if (ti->nbadges) fputs("\nbadges\n", out);
  for (int i = 0; i < ti->nbadges; i++) explain_badge(p, vm, row, ti->badges[i], "  ", out);
  if (p->nbenefits) fputs("\nbenefits\n", out);
  for (int b = 0; b < p->nbenefits; b++) rb_explain_benefit(p, vm, b, "  ", out);
  if (p->npayouts) fputs("\npayouts\n", out);
  for (int i = 0; i < p->npayouts; i++) explain_payout(p, vm, p->first_payout + i, "  ", out);
  bool any = false;
  for (int s = p->first_output; s < p->first_output + p->noutputs; s++) {
    if (!vm_computed(vm, s)) continue;   /* another track's */
    if (!any) fputs("\noutputs\n", out);
    any = true;
    explain_output(p, vm, s, "  ", out);
  }
}

void rb_explain_benefit(const Program *p, const VmCtx *vm, int b, const char *indent, FILE *out) {
  const BenefitInfo *bi = &p->benefits[b];
  fprintf(out, "%s%-12s %-24s ", indent, bi->name, title_of(bi->title));
  rb_explain_value(p, (ValueType)bi->type, bi->values[vm->tier < 0 ? p->ntiers : vm->tier], out);
  putc('\n', out);
}

VmStatus rb_explain_record(const Program *p, VmCtx *vm, const Row *row, const char *file, long line,
                           FILE *out) {
  vm->tracing = true;
  VmStatus st = vm_eval(vm, row);
  char key[256];
  fprintf(out, "record %s  (%s line %ld)\n", key_text(p, row, key, sizeof key), file, line);
  for (int f = 0; f < p->nfields; f++) print_field(p, f, row, out);
  if (st == VM_OK) rb_explain_print(p, vm, row, out);
  return st;
}

void rb_explain_tracks(const Program *p, const VmCtx *vm, const Row *row, const char *indent, FILE *out) {
  char deeper[64];
  snprintf(deeper, sizeof deeper, "%s      ", indent);
  for (int t = 0; t < p->ntracks; t++) {
    const TraceEvent *e = event_at(vm, SITE_TRACK, -1, t);
    const TraceEvent *s = event_at(vm, SITE_PATH, -1, t);   /* its score, when the best is chosen */
    char score[DEC_FMT_MAX + 32] = "";
    if (s) {
      char buf[DEC_FMT_MAX];
      dec_format(s->v.n, buf);
      snprintf(score, sizeof score, ", scores %s", buf);
    }
    fprintf(out, "%s%-12s %-24s when %s  -> %s%s%s\n", indent, p->tracks[t].name, title_of(p->tracks[t].title),
            e ? p->sites[e->site].text : "(not reached)",
            !e ? "-" : e->v.n ? "holds" : "does not hold", score,
            vm->track == t ? ": the record's track" : "");
    if (e && !e->v.n && vm->track < 0) explain_parts(p, vm, row, p->sites[e->site].text, deeper, out);
  }
}

void rb_explain_score(const Program *p, const VmCtx *vm, const char *indent, FILE *out) {
  char buf[DEC_FMT_MAX];
  dec_format(vm->slots[p->score_slot].n, buf);
  int tier = vm->tier;
  fprintf(out, "%sscore %s, tier %s", indent, buf, tier >= 0 ? p->tiers[tier].name : "(none)");
  if (tier >= 0 && p->tiers[tier].title) fprintf(out, " \"%s\"", p->tiers[tier].title);
  putc('\n', out);
}

/* A category's line: `sales "Sales" = 60   (cap 0..150, not reached)`. */
static void category_line(const Program *p, const VmCtx *vm, int c, const char *indent, FILE *out) {
  const SlotInfo *cs = &p->slots[c];
  char buf[DEC_FMT_MAX];
  dec_format(vm->slots[c].n, buf);
  fprintf(out, "%s%s \"%s\" = %s", indent, cs->name, title_of(cs->title), buf);
  print_cap(cs, vm, c, out);
  putc('\n', out);
}

/* A points line, under its category, then its branches and band rows. */
static void points_lines(const Program *p, const VmCtx *vm, int s, const char *indent, FILE *out) {
  const SlotInfo *si = &p->slots[s];
  char buf[DEC_FMT_MAX], deeper[64];
  dec_format(vm->slots[s].n, buf);
  fprintf(out, "%s  %s \"%s\" = %s", indent, si->name + strlen(p->slots[si->category].name) + 1,
          title_of(si->title), buf);
  print_cap(si, vm, s, out);
  putc('\n', out);
  snprintf(deeper, sizeof deeper, "%s      ", indent);
  print_events(p, vm, s, deeper, out);
}

static void let_lines(const Program *p, const VmCtx *vm, int s, const char *indent, FILE *out) {
  char deeper[64];
  fprintf(out, "%s%s = ", indent, p->slots[s].name);
  rb_explain_value(p, (ValueType)p->slots[s].type, vm->slots[s], out);
  putc('\n', out);
  snprintf(deeper, sizeof deeper, "%s    ", indent);
  print_events(p, vm, s, deeper, out);
}

void rb_explain_slot(const Program *p, const VmCtx *vm, const Row *row, int s, const char *indent,
                     FILE *out) {
  const SlotInfo *si = &p->slots[s];
  switch ((SlotKind)si->kind) {
  case SLOT_POINTS:
    category_line(p, vm, si->category, indent, out);
    points_lines(p, vm, s, indent, out);
    break;
  case SLOT_CATEGORY:
    category_line(p, vm, s, indent, out);
    for (int i = 0; i < p->npoints; i++)
      if (p->slots[i].category == s) points_lines(p, vm, i, indent, out);
    break;
  case SLOT_SCORE:
    rb_explain_score(p, vm, indent, out);
    if (vm->track >= 0)
      for (int i = 0; i < p->tracks[vm->track].ncats; i++)
        category_line(p, vm, p->tracks[vm->track].cats[i], indent, out);
    break;
  case SLOT_LET: let_lines(p, vm, s, indent, out); break;
  case SLOT_BADGE: explain_badge(p, vm, row, s, indent, out); break;
  case SLOT_PAYOUT: explain_payout(p, vm, s, indent, out); break;
  case SLOT_OUTPUT: explain_output(p, vm, s, indent, out); break;
  }
}

void rb_explain_print(const Program *p, const VmCtx *vm, const Row *row, FILE *out) {
  if (!p->implicit_track) {
    if (p->track_choice == CHOOSE_FIRST) fputs("\ntracks, first whose condition holds\n", out);
    else fprintf(out, "\ntracks: of those whose condition holds, the one the record scores best on "
                      "(a tie goes to the %s)\n", p->track_choice == CHOOSE_BEST_TIES_LAST ? "last" : "first");
    rb_explain_tracks(p, vm, row, "  ", out);
    if (vm->track < 0) {
      fputs("\nthe record fits no track, so it is not scored\n", out);
      return;
    }
  }
  putc('\n', out);
  rb_explain_score(p, vm, "", out);
  const TrackInfo *ti = &p->tracks[vm->track];
  for (int i = 0; i < ti->ncats; i++) {
    int c = ti->cats[i];
    putc('\n', out);
    category_line(p, vm, c, "", out);
    for (int s = 0; s < p->npoints; s++)
      if (p->slots[s].category == c) points_lines(p, vm, s, "", out);
  }
  bool any_let = false;
  for (int s = p->score_slot + 1; s < p->first_badge; s++) {
    if (!vm_computed(vm, s)) continue;
    if (!any_let) fputs("\nlets\n", out);
    any_let = true;
    let_lines(p, vm, s, "  ", out);
  }
  explain_tiers(p, vm, row, out);
  explain_after_tier(p, vm, row, out);
}

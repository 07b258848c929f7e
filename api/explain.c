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

#include <stdlib.h>
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

const TraceEvent *rb_explain_event(const VmCtx *vm, SiteKind kind, int site, int index) {
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

/* A cap's end as explain shows it: "60", or the param that gives it. */
static void cap_end(const Program *p, const VmCtx *vm, Dec lit, int param, char *buf, size_t n) {
  if (param < 0) { dec_format(lit, buf); return; }
  snprintf(buf, n, "%s", p->params[param].name);
}

/* "cert_cap = 60", "cap.west = 40": a param with this run's value for this
   record (a keyed param's, for the record's member). */
static void param_text(const Program *p, const VmCtx *vm, int param, char *buf, size_t n) {
  program_rule_end_text(p, vm->params, vm_param_at(vm, param), 0, (ValueType)p->params[param].type,
                        buf, n);
}

/* ", cert_cap = 60" for a cap's end that is a param. */
static void param_value_text(const Program *p, const VmCtx *vm, int param, FILE *out) {
  if (param < 0) return;
  char buf[300];
  param_text(p, vm, param, buf, sizeof buf);
  fprintf(out, ", %s", buf);
}

static void print_cap(const Program *p, const SlotInfo *si, const VmCtx *vm, int slot, FILE *out) {
  const TraceEvent *e = si->site >= 0 ? rb_explain_event(vm, SITE_RAW, si->site, -1) : NULL;
  char raw[DEC_FMT_MAX], lo[300] = "", hi[300] = "";
  if (!e) return;
  dec_format(e->v.n, raw);
  Dec lov = vm_bound(vm, si->lo, si->lo_param), hiv = vm_bound(vm, si->hi, si->hi_param);
  if (si->has_lo) cap_end(p, vm, si->lo, si->lo_param, lo, sizeof lo);
  if (si->has_hi) cap_end(p, vm, si->hi, si->hi_param, hi, sizeof hi);
  Dec v = vm->slots[slot].n;
  if (e->v.n != v) {
    /* held down to the high end, or up to the low end: say which param */
    int param = e->v.n > v ? si->hi_param : si->lo_param;
    char capped[DEC_FMT_MAX];
    dec_format(v, capped);
    fprintf(out, "   (raw %s, capped at ", raw);
    if (param >= 0) {
      char buf[300];
      param_text(p, vm, param, buf, sizeof buf);
      fprintf(out, "%s)", buf);
    } else {
      fprintf(out, "%s)", capped);
    }
    return;
  }
  const char *how = si->has_hi && e->v.n == hiv ? "reached exactly"   /* reached, not exceeded */
                  : si->has_lo && e->v.n == lov ? "at its floor"
                  : "not reached";
  if (!si->has_lo && !si->has_hi) return;
  fprintf(out, "   (cap %s..%s", lo, hi);
  if (si->has_lo) param_value_text(p, vm, si->lo_param, out);
  if (si->has_hi) param_value_text(p, vm, si->hi_param, out);
  fprintf(out, ", %s)", how);
}

/* A band row whose bound is a param ("..tier1 => 0", "..<tier1 => 0",
   "tier1.. => 0"): the param's value in this run, "(tier1 = 25)". */
static void row_bound_value(const Program *p, const VmCtx *vm, const char *text, FILE *out) {
  static const char name_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789";
  const char *name = text;
  if (strncmp(name, "..", 2) == 0) name += name[2] == '<' ? 3 : 2;
  size_t n = strspn(name, name_chars);
  if (!n || (name[0] >= '0' && name[0] <= '9')) return;
  if (name == text && strncmp(name + n, "..", 2) != 0) return;   /* not `NAME..` either */
  for (int i = 0; i < p->nparams; i++)
    if (strlen(p->params[i].name) == n && memcmp(p->params[i].name, name, n) == 0) {
      char buf[300];
      param_text(p, vm, i, buf, sizeof buf);
      fprintf(out, "(%s)  ", buf);
      return;
    }
}

/* Decimal places explain shows of an exact quotient: three past a Dec's
   six show why a quotient such as 4.244999502 rounds to 4.24. */
#define QUOT_PLACES 9

/* "42658 / 10049 = 4.244999502...": the quotient that floor, ceil or
   round rounded once, cut short after QUOT_PLACES places.  Every Dec is a
   count of millionths, so a / b is their quotient, and a / b * 10^9 and
   its whole part fit where a Dec's do: |a| * 10^9 < 2^94. */
static void print_quotient(Dec a, Dec b, uint8_t money, FILE *out) {
  char x[DEC_FMT_MAX], y[DEC_FMT_MAX];
  dec_format(a, x);
  dec_format(b, y);
  fprintf(out, "%s%s / %s%s", money & 1 ? "$" : "", x, money & 2 ? "$" : "", y);
  if (b == 0) return;
  DecSum scale = 1;
  for (int i = 0; i < QUOT_PLACES; i++) scale *= 10;
  DecSum n = (DecSum)a * scale, q = n / b, rem = n % b;
  bool neg = q < 0 || (q == 0 && rem != 0 && (a < 0) != (b < 0));
  if (q < 0) q = -q;
  unsigned long long whole = (unsigned long long)(q / scale), frac = (unsigned long long)(q % scale);
  fprintf(out, " = %s%llu", neg ? "-" : "", whole);
  if (frac) {
    char digits[24];   /* frac < 10^QUOT_PLACES: QUOT_PLACES digits */
    snprintf(digits, sizeof digits, "%0*llu", QUOT_PLACES, frac);
    for (int k = QUOT_PLACES - 1; k > 0 && digits[k] == '0' && !rem; k--) digits[k] = '\0';
    fprintf(out, ".%s", digits);
  }
  if (rem) fputs("...", out);
}

static void print_events(const Program *p, const VmCtx *vm, int slot, const char *indent,
                         FILE *out) {
  for (int i = 0; i < vm->ntrace; i++) {
    const TraceEvent *e = &vm->trace[i];
    const SiteInfo *s = &p->sites[e->site];
    if (s->slot != slot) continue;
    switch ((SiteKind)s->kind) {
    case SITE_QUOT: {   /* at the divisor, with the dividend's event */
      const TraceEvent *a = s->index >= 0 ? rb_explain_event(vm, SITE_QUOT, s->index, -1) : NULL;
      if (!a) continue;
      fprintf(out, "%s%s  -> ", indent, s->text);
      print_quotient(a->v.n, e->v.n, s->money, out);
      fputs(", rounded once  ", out);
      break;
    }
    case SITE_IF:
      fprintf(out, "%sif %s  -> %s  ", indent, s->text, e->v.n ? "yes: then" : "no: else");
      break;
    case SITE_ROW:
      fprintf(out, "%sband row %s  ", indent, s->text);
      row_bound_value(p, vm, s->text, out);
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
   the values of the names in it.  rb_part_read gives the reading as data
   (targets uses it too); explain_part prints it. */

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
   computed, with what it names.  A word that is none of them (a literal,
   an operator) is RB_NAME_NONE. */
static RbPartName name_value(const Program *p, const VmCtx *vm, const Row *row, Word w) {
  RbPartName nm = {w.s, w.n, RB_NAME_NONE, VT_NUMBER, {0, NULL}, NULL, 0, -1, -1, -1};
  if (word_is(w, "tier") && p->ntiers) {   /* the record's tier: after the ladder, in a badge or an output */
    nm.state = RB_NAME_VALUE;
    nm.type = VT_TIER;
    nm.value = (Value){vm->tier, NULL};
    return nm;
  }
  for (int f = 0; f < p->nfields; f++)
    if (word_is(w, p->fields[f].name)) {
      nm.field = f;
      nm.type = out_field_type(&p->fields[f]);
      if (p->fields[f].kind == FIELD_CHOICE) { nm.members = p->fields[f].members; nm.nmembers = p->fields[f].nmembers; }
      if (!row || !row->set[f]) { nm.state = RB_NAME_UNSET; return nm; }
      nm.state = RB_NAME_VALUE;
      nm.value = row->vals[f];
      return nm;
    }
  for (int i = 0; i < p->nparams; i++)
    if (word_is(w, p->params[i].name)) {
      const ParamInfo *pi = &p->params[i];
      int at = pi->base;
      nm.param = i;
      nm.type = (ValueType)pi->type;
      if (pi->keyfield >= 0) {
        if (!row || !row->set[pi->keyfield]) { nm.state = RB_NAME_UNSET; return nm; }
        at += (int)row->vals[pi->keyfield].n;
      }
      nm.state = RB_NAME_VALUE;
      nm.value = (Value){vm->params[at], NULL};
      return nm;
    }
  for (int s = 0; s < p->nslots; s++)
    if (word_is(w, p->slots[s].name)) {
      nm.slot = s;
      nm.type = (ValueType)p->slots[s].type;
      if (p->slots[s].nmembers) { nm.members = p->slots[s].members; nm.nmembers = p->slots[s].nmembers; }
      if (!vm_computed(vm, s)) { nm.state = RB_NAME_NOT_COMPUTED; return nm; }
      if (value_is_unset(vm->slots[s])) { nm.state = RB_NAME_UNSET; return nm; }   /* an optional let's unset */
      nm.state = RB_NAME_VALUE;
      nm.value = vm->slots[s];
      return nm;
    }
  return nm;
}

static void print_named_value(const Program *p, const RbPartName *nm, FILE *out) {
  if (nm->members && nm->value.n >= 0 && nm->value.n < nm->nmembers) fputs(nm->members[nm->value.n], out);
  else rb_explain_value(p, nm->type, nm->value, out);
}

/* The tier w names ("gold", "reseller.premier"), none as -1; false when
   it names none of them, or a name several tracks share. */
static bool tier_literal(const Program *p, Word w, Value *v) {
  if (word_is(w, "none")) { *v = (Value){-1, NULL}; return true; }
  int found = -1, n = 0;
  for (int t = 0; t < p->ntiers; t++) {
    const TierInfo *ti = &p->tiers[t];
    const char *track = ti->track >= 0 ? p->tracks[ti->track].name : NULL;
    size_t tl = track ? strlen(track) : 0;
    bool dotted = track && (size_t)w.n == tl + 1 + strlen(ti->name) && memcmp(w.s, track, tl) == 0 &&
                  w.s[tl] == '.' && memcmp(w.s + tl + 1, ti->name, strlen(ti->name)) == 0;
    if (dotted) { *v = (Value){t, NULL}; return true; }
    if (word_is(w, ti->name)) { found = t; n++; }
  }
  if (n != 1) return false;
  *v = (Value){found, NULL};
  return true;
}

/* `tier OP t` as the VM decides it: a tier is above another only on its
   own ladder, and none is below every tier (lang/compile.c, tier_compare). */
static bool tier_holds(const Program *p, Word op, int64_t a, int64_t b, bool *holds) {
  bool same = a >= 0 && b >= 0 && p->tiers[a].track == p->tiers[b].track;
  if (word_is(op, "=")) *holds = a == b;
  else if (word_is(op, "!=")) *holds = a != b;
  else if (b < 0) *holds = word_is(op, ">=") || (word_is(op, ">") && a >= 0) || (word_is(op, "<=") && a < 0);
  else if (word_is(op, ">=")) *holds = same && a >= b;
  else if (word_is(op, ">")) *holds = same && a > b;
  else if (word_is(op, "<=")) *holds = a < 0 || (same && a <= b);
  else if (word_is(op, "<")) *holds = a < 0 || (same && a < b);
  else return false;
  return true;
}

/* The literal w as a value of the type of nm (a choice's by its
   members' names); false when it is not one. */
static bool literal_value(Word w, const RbPartName *nm, Value *v) {
  ValueType t = nm->type;
  if (nm->members) {
    for (int m = 0; m < nm->nmembers; m++)
      if (word_is(w, nm->members[m])) { *v = (Value){m, NULL}; return true; }
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

/* Whether w, followed by next, calls a function of the program's (`fn`),
   whose body may read fields it is not given: a name before `(` that is
   neither a keyword nor a built-in function (which reads only its
   arguments). */
static bool is_call(Word w, Word next) {
  static const char *const not_fns[] = {"not", "in", "and", "or", "if", "then", "else", "min", "max",
                                        "clamp", "floor", "ceil", "round", "abs"};
  if (!is_name_char(w.s[0], true) || !word_is(next, "(")) return false;
  for (size_t i = 0; i < sizeof not_fns / sizeof *not_fns; i++)
    if (word_is(w, not_fns[i])) return false;
  return true;
}

void rb_part_read(const Program *p, const VmCtx *vm, const Row *row, const char *s, int n, RbPart *part) {
  Word w[RB_PART_WORDS + 1];
  int k = words_of(s, n, w, RB_PART_WORDS + 1);
  memset(part, 0, sizeof *part);
  part->s = s;
  part->n = n;
  part->holds = -1;
  part->truncated = k > RB_PART_WORDS;
  if (k > RB_PART_WORDS) k = RB_PART_WORDS;
  if (k == 3 && word_is(w[1], "is") && word_is(w[2], "set")) {
    part->left = name_value(p, vm, row, w[0]);
    if (part->left.state != RB_NAME_NONE && part->left.state != RB_NAME_NOT_COMPUTED) {
      part->kind = RB_PART_SET;
      part->holds = part->left.state == RB_NAME_VALUE;
      return;
    }
  }
  if (k == 3 && (part->left = name_value(p, vm, row, w[0])).state == RB_NAME_VALUE) {
    bool holds;
    part->right = name_value(p, vm, row, w[2]);
    bool named = part->right.state == RB_NAME_VALUE;
    if (!named) part->right.state = RB_NAME_NONE;   /* the literal's value, when it is one */
    bool tier = part->left.type == VT_TIER;
    if (tier ? tier_literal(p, w[2], &part->right.value) && tier_holds(p, w[1], part->left.value.n,
                                                                      part->right.value.n, &holds)
             : (named || literal_value(w[2], &part->left, &part->right.value)) &&
                   compare(w[1], part->left.value.n, part->right.value.n, &holds) && part->left.type != VT_TEXT) {
      if (tier) named = false;
      if (!named) {
        part->right.type = part->left.type;
        part->right.members = part->left.members;
        part->right.nmembers = part->left.nmembers;
      }
      part->kind = RB_PART_COMPARE;
      part->op = w[1].s;
      part->opn = w[1].n;
      part->holds = holds;
      return;
    }
  }
  if (k >= 5 && word_is(w[1], "in") && word_is(w[2], "(") && word_is(w[k - 1], ")") &&
      (part->left = name_value(p, vm, row, w[0])).state == RB_NAME_VALUE && part->left.type != VT_TEXT) {
    bool known = true, holds = false;   /* NAME in (V, V, ...): one of the values */
    Value v2;
    for (int i = 3; i < k - 1 && known; i += 2) {
      known = literal_value(w[i], &part->left, &v2) && (i + 1 == k - 1 || word_is(w[i + 1], ","));
      holds |= known && v2.n == part->left.value.n;
    }
    if (known) {
      part->kind = RB_PART_IN;
      part->holds = holds;
      return;
    }
  }
  bool negate = k == 2 && word_is(w[0], "not");
  if ((k == 1 || negate) && (part->left = name_value(p, vm, row, w[k - 1])).state == RB_NAME_VALUE &&
      part->left.type == VT_FLAG) {
    part->kind = RB_PART_FLAG;
    part->negated = negate;
    part->holds = (part->left.value.n != 0) != negate;
    return;
  }
  part->kind = RB_PART_OTHER;
  part->left = (RbPartName){0};
  for (int i = 0; i + 1 < k; i++) part->calls |= is_call(w[i], w[i + 1]);
  for (int i = 0; i < k; i++) {   /* each name once, in order */
    bool seen = false;
    for (int j = 0; j < i; j++) seen |= w[j].n == w[i].n && memcmp(w[j].s, w[i].s, (size_t)w[i].n) == 0;
    if (seen) continue;
    RbPartName nm = name_value(p, vm, row, w[i]);
    if (nm.state != RB_NAME_NONE) part->names[part->nnames++] = nm;
  }
}

/* One part: "score >= 100: 60 -> no", "certs >= min_certs: 4 >= 5 -> no",
   "kind in (var, msp): isv -> no", "live is set -> no", "f -> yes",
   "not f: yes -> no"; any other, the
   values of the names in it: "a + b >= 4: a 1, b 2". */
static void explain_part(const Program *p, const VmCtx *vm, const Row *row, const char *s, int n,
                         const char *indent, FILE *out) {
  RbPart part;
  rb_part_read(p, vm, row, s, n, &part);
  fprintf(out, "%s%.*s", indent, n, s);
  switch (part.kind) {
  case RB_PART_SET: break;
  case RB_PART_COMPARE:
    fputs(": ", out);
    print_named_value(p, &part.left, out);
    if (part.right.state == RB_NAME_VALUE) {   /* both sides' values: "4 >= 5" */
      fprintf(out, " %.*s ", part.opn, part.op);
      print_named_value(p, &part.right, out);
    }
    break;
  case RB_PART_IN:
    fputs(": ", out);
    print_named_value(p, &part.left, out);
    break;
  case RB_PART_FLAG:
    if (part.negated) fprintf(out, ": %s", part.left.value.n ? "yes" : "no");
    break;
  case RB_PART_OTHER:
    for (int i = 0; i < part.nnames; i++) {
      fprintf(out, "%s%.*s ", i ? ", " : ": ", part.names[i].n, part.names[i].s);
      if (part.names[i].state == RB_NAME_NOT_COMPUTED) fputs("(not worked out)", out);   /* an `and` stopped before it */
      else if (part.names[i].state != RB_NAME_VALUE) fputs("(not set)", out);
      else print_named_value(p, &part.names[i], out);
    }
    putc('\n', out);
    return;
  }
  fprintf(out, " -> %s\n", part.holds ? "yes" : "no");
}

/* Where the next top-level ` or ` (join 0) or ` and ` (join 1) at or
   after from starts, or n: brackets nest, quoted text is skipped. */
static int next_join(const char *text, int n, int from, int join) {
  static const char *const joins[] = {" or ", " and "};
  int len = (int)strlen(joins[join]), depth = 0;
  for (int i = from; i < n; i++) {
    if (text[i] == '(') depth++;
    else if (text[i] == ')') depth--;
    else if (text[i] == '"') { while (++i < n && text[i] != '"') {} }
    else if (depth == 0 && i + len <= n && memcmp(text + i, joins[join], (size_t)len) == 0) return i;
  }
  return n;
}

void rb_parts_begin(RbParts *it, const char *text) {
  int n = (int)strlen(text);
  *it = (RbParts){text, n, 0, RB_JOIN_NONE};
  if (next_join(text, n, 0, 0) < n) it->join = RB_JOIN_OR;
  else if (next_join(text, n, 0, 1) < n) it->join = RB_JOIN_AND;
}

bool rb_parts_next(RbParts *it, RbSpan *part) {
  if (it->at > it->n) return false;
  int end = it->join == RB_JOIN_NONE ? it->n : next_join(it->text, it->n, it->at, it->join == RB_JOIN_AND);
  *part = (RbSpan){it->text + it->at, end - it->at};
  it->at = end + (it->join == RB_JOIN_AND ? 5 : 4);   /* past " and " or " or "; past the end after the last */
  if (end == it->n) it->at = it->n + 1;
  return true;
}

/* The parts of condition text, each on a line of its own. */
static void explain_parts(const Program *p, const VmCtx *vm, const Row *row, const char *text,
                          const char *indent, FILE *out) {
  RbParts it;
  RbSpan part;
  rb_parts_begin(&it, text);
  while (rb_parts_next(&it, &part)) explain_part(p, vm, row, part.s, part.n, indent, out);
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
    const TraceEvent *e = rb_explain_event(vm, SITE_TIER, -1, t);
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
  const TraceEvent *f = rb_explain_event(vm, SITE_FLOOR, -1, vm->track);
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
  const TraceEvent *e = si->site >= 0 ? rb_explain_event(vm, SITE_RAW, si->site, -1) : NULL;
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
  rb_explain_value(p, (ValueType)bi->type, vm_benefit(vm, b), out);
  int t = vm->tier < 0 ? p->ntiers : vm->tier;
  if (bi->params && bi->params[t] >= 0) fprintf(out, "   (%s)", p->params[bi->params[t]].name);
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
    const TraceEvent *e = rb_explain_event(vm, SITE_TRACK, -1, t);
    const TraceEvent *s = rb_explain_event(vm, SITE_PATH, -1, t);   /* its score, when the best is chosen */
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
  print_cap(p, cs, vm, c, out);
  putc('\n', out);
}

/* A points line, under its category, then its branches and band rows. */
static void points_lines(const Program *p, const VmCtx *vm, int s, const char *indent, FILE *out) {
  const SlotInfo *si = &p->slots[s];
  char buf[DEC_FMT_MAX], deeper[64];
  bool unset = value_is_unset(vm->slots[s]);   /* optional points: adds nothing */
  dec_format(vm->slots[s].n, buf);
  fprintf(out, "%s  %s \"%s\" = %s", indent, si->name + strlen(p->slots[si->category].name) + 1,
          title_of(si->title), unset ? "(unset, adds 0)" : buf);
  if (!unset) print_cap(p, si, vm, s, out);
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

/* ---- activities ------------------------------------------------------------------ */

size_t rb_explain_act_room(const Program *p, const Row *row) {
  size_t per = 0;
  for (int a = 0; a < p->naggs; a++) per += (size_t)p->aggs[a].nconds + 2 + (size_t)p->nafields;
  return (row->acts ? (size_t)row->acts->n : 0) * per + 1;
}

char *rb_explain_act_text(const Program *p, const Value *vals, const uint8_t *set) {
  char *s = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&s, &len);
  if (!m) abort();
  bool first = true;
  for (int f = 0; f < p->nafields; f++) {
    const FieldInfo *fi = &p->afields[f];
    if (f == p->akey || !set[f]) continue;
    fputs(first ? "" : " ", m);
    first = false;
    if (fi->kind == FIELD_CHOICE) { fputs(fi->members[vals[f].n], m); continue; }
    fprintf(m, "%s ", fi->name);
    rb_explain_value(p, out_field_type(fi), vals[f], m);
  }
  fclose(m);
  return s;
}

/* Why aggregate a left activity i out, from the events the traced code
   noted for it. */
static void act_reason(const Program *p, const VmCtx *vm, int a, int i, const Value *vals, FILE *out) {
  const AggInfo *ai = &p->aggs[a];
  int unset = -1;
  for (int e = 0; e < vm->naevents; e++) {
    const ActEvent *ev = &vm->aevents[e];
    if (ev->agg != a || ev->act != i) continue;
    if (ev->cond == -1) { unset = ev->field; continue; }
    if (ev->cond == -2) {   /* taken, or the field after `of` was unset */
      if (ev->field >= 0) fprintf(out, "%s is not set", p->afields[ev->field].name);
      return;
    }
    if (ev->ok) { unset = -1; continue; }
    if (unset >= 0) { fprintf(out, "%s is not set", p->afields[unset].name); return; }
    int c = ev->cond < ai->nconds ? ev->cond : 0;
    int f = ai->nconds ? ai->cfield[c] : -1;
    const char *text = ai->nconds ? ai->conds[c] : ai->text;
    switch (ai->nconds ? ai->cform[c] : ACF_OTHER) {
    case ACF_EQ: {
      const char *right = strstr(text, " = ");
      fprintf(out, "%s is ", p->afields[f].name);
      const FieldInfo *fi = &p->afields[f];
      if (fi->kind == FIELD_CHOICE) fputs(fi->members[vals[f].n], out);
      else rb_explain_value(p, out_field_type(fi), vals[f], out);
      fprintf(out, ", not %s", right ? right + 3 : text);
      return;
    }
    case ACF_PERIOD: {
      char from[16], to[16];
      date_format(vm->dates[VM_PERIOD_START], from);
      date_format(vm->dates[VM_PERIOD_END], to);
      fprintf(out, "outside period %s..%s", from, to);
      return;
    }
    case ACF_WINDOW: {
      const char *w = strstr(text, " in ");
      fprintf(out, "outside %s", w ? w + 4 : text);
      return;
    }
    default:
      fprintf(out, "'%s' does not hold", text);
      return;
    }
  }
  fputs("not reached", out);
}

void rb_explain_activities(const Program *p, const VmCtx *vm, const Row *row, const char *file,
                           const RbActNote *notes, int nnotes, FILE *out) {
  if (!p->naggs) return;
  const ActList *al = row->acts;
  int n = al ? al->n : 0;
  long widest = 0;   /* the line numbers, aligned */
  for (int i = 0; i < n; i++) if (al->lines && al->lines[i] > widest) widest = al->lines[i];
  for (int k = 0; k < nnotes; k++) if (notes[k].line > widest) widest = notes[k].line;
  int w = snprintf(NULL, 0, "%ld", widest);
  fprintf(out, "\nactivities%s%s%s: %d used\n", file ? " (" : "", file ? file : "", file ? ")" : "", n);
  for (int a = 0; a < p->naggs; a++) {
    const AggInfo *ai = &p->aggs[a];
    bool seen = false;
    for (int e = 0; e < vm->naevents && !seen; e++) seen = vm->aevents[e].agg == a;
    fprintf(out, "  %s  (%s:%d:%d)\n", ai->text, rb_explain_base_name(p->files[ai->file]), ai->line, ai->col);
    if (!seen && n) {
      fputs("    not computed for this record\n", out);
      continue;
    }
    for (int i = 0; i < n; i++) {
      const Value *vals = al->vals + (size_t)i * (size_t)p->nafields;
      char *what = rb_explain_act_text(p, vals, al->set + (size_t)i * (size_t)p->nafields);
      bool taken = false;
      for (int e = 0; e < vm->naevents; e++) {
        const ActEvent *ev = &vm->aevents[e];
        if (ev->agg == a && ev->act == i && ev->cond == -2) taken = ev->ok;
      }
      fprintf(out, "    %-8s line %-*ld  %s", taken ? "counted" : "excluded", w, al->lines ? al->lines[i] : 0L, what);
      if (!taken) {
        fputs(": ", out);
        act_reason(p, vm, a, i, vals, out);
      }
      putc('\n', out);
      free(what);
    }
    for (int k = 0; k < nnotes; k++)
      fprintf(out, "    %-8s line %-*ld  %s%s%s\n", notes[k].label, w, notes[k].line, notes[k].what ? notes[k].what : "",
              notes[k].what ? ": " : "", notes[k].why);
  }
}

/*
** testrun.c — see testrun.h.  Each test runs the traced code, so one
** evaluation gives the expectations, the explanation of a failure and the
** coverage.  Results are kept (their text in memory streams) until the
** caller writes them in the form it wants; nothing here prints to a
** stream it was not given.  Allocation failure aborts, as everywhere in
** the library (the rubric binary turns it into a message: cli/mem.c).
*/
#include "testrun.h"

#include "activity.h"

#include <stdlib.h>
#include <string.h>

#include "diagfmt.h"
#include "explain.h"
#include "vm.h"
#include "writers.h"

/* Room for "FILE:LINE:COL" of a position in coverage; a longer path is cut. */
#define PATH_TEXT_MAX 1100

void rb_test_init(RbTestRun *tr, bool coverage, double min_coverage) {
  memset(tr, 0, sizeof *tr);
  tr->coverage = coverage;
  tr->min_coverage = min_coverage;
}

void rb_test_free(RbTestRun *tr) {
  for (int i = 0; i < tr->n; i++) {
    RbTestResult *r = &tr->results[i];
    for (int k = 0; k < r->nfails; k++) {
      RbTestFailure *f = &r->fails[k];
      free(f->file);
      free(f->what);
      free(f->expected);
      free(f->actual);
      free(f->message);
    }
    free(r->fails);
    free(r->name);
    free(r->where);
    free(r->summary);
    free(r->details);
  }
  free(tr->results);
  tr->results = NULL;
  tr->n = tr->cap = 0;
}

/* The type of what an expectation compares. */
static ValueType expect_type(const Program *p, const TestExpect *e) {
  if (e->kind == EXP_BENEFIT) return (ValueType)p->benefits[e->slot].type;
  if (e->kind == EXP_SLOT) return (ValueType)p->slots[e->slot].type;
  return VT_CHOICE;
}

/* The slot an EXP_SLOT expectation reads for this record: for an output
   that several tracks declare, the one the record's track computed. */
static int expect_slot(const Program *p, const VmCtx *vm, const TestExpect *e) {
  if (p->slots[e->slot].kind != SLOT_OUTPUT || vm_computed(vm, e->slot)) return e->slot;
  for (int s = p->first_output; s < p->first_output + p->noutputs; s++)
    if (vm_computed(vm, s) && strcmp(p->slots[s].name, p->slots[e->slot].name) == 0) return s;
  return e->slot;
}

static void print_expected(const Program *p, const TestExpect *e, Value v, FILE *out) {
  if (e->kind == EXP_TIER) fputs(v.n >= 0 ? p->tiers[v.n].name : "none", out);
  else if (e->kind == EXP_TRACK) fputs(v.n >= 0 ? p->tracks[v.n].name : "none", out);
  else if (value_is_unset(v)) fputs("unset", out);
  else if (e->kind == EXP_SLOT && p->slots[e->slot].type == VT_CHOICE) {   /* by name */
    char buf[64];
    size_t len;
    const char *s = out_slot_text(p, e->slot, v, buf, &len);
    fprintf(out, "%.*s", (int)len, s);
  } else rb_explain_value(p, expect_type(p, e), v, out);
}

/* What the record gave for e; *computed false when it did not compute it. */
static Value actual(const Program *p, const VmCtx *vm, const TestExpect *e, bool *computed) {
  *computed = true;
  switch ((ExpectKind)e->kind) {
  case EXP_TIER: return (Value){vm->tier, NULL};
  case EXP_TRACK: return (Value){vm->track, NULL};
  case EXP_BENEFIT:
    if (vm->track < 0) break;
    return vm_benefit(vm, e->slot);
  case EXP_SLOT: {
    int s = expect_slot(p, vm, e);
    if (!vm_computed(vm, s)) break;
    return vm->slots[s];
  }
  }
  *computed = false;
  return (Value){0, NULL};
}

static bool same_value(Value a, Value b) {
  if (value_is_unset(a) || value_is_unset(b)) return value_is_unset(a) && value_is_unset(b);
  if (a.s || b.s) return a.s && b.s && a.n == b.n && memcmp(a.s, b.s, (size_t)a.n) == 0;
  return a.n == b.n;
}

static char *xstrdup(const char *s) {
  char *d = s ? strdup(s) : NULL;
  if (s && !d) abort();
  return d;
}

static RbTestResult *new_result(RbTestRun *tr, const char *file, const char *name, const char *where,
                                int line) {
  if (tr->n == tr->cap) {
    tr->cap = tr->cap ? tr->cap * 2 : 64;
    tr->results = realloc(tr->results, (size_t)tr->cap * sizeof *tr->results);
    if (!tr->results) abort();
  }
  RbTestResult *r = &tr->results[tr->n++];
  *r = (RbTestResult){.file = file, .name = xstrdup(name), .where = xstrdup(where), .line = line,
                      .ok = true};
  return r;
}

/* Records one failure of r; the strings are copied. */
static void add_failure(RbTestResult *r, const char *file, int line, int col, const char *what,
                        const char *expected, const char *actual, const char *message) {
  r->fails = realloc(r->fails, (size_t)(r->nfails + 1) * sizeof *r->fails);
  if (!r->fails) abort();
  r->fails[r->nfails++] = (RbTestFailure){xstrdup(file), line, col, xstrdup(what), xstrdup(expected),
                                          xstrdup(actual), xstrdup(message)};
  r->ok = false;
}

void rb_test_unloaded(RbTestRun *tr, const char *file, const char *why, const char *diags) {
  RbTestResult *r = new_result(tr, file, file, file, 0);
  r->ok = false;
  r->unloaded = true;
  r->summary = xstrdup(why);
  r->details = xstrdup(diags && *diags ? diags : why);
  tr->failed++;
}

/* Per program: which outcomes the tests reached (bit 1, bit 2 per site),
   which tiers they placed records in and which tracks they chose. */
typedef struct Coverage { uint8_t *site; bool *tier, *track; } Coverage;

static void cover(const Program *p, const VmCtx *vm, Coverage *c) {
  for (int i = 0; i < vm->ntrace; i++) {
    const TraceEvent *e = &vm->trace[i];
    const SiteInfo *si = &p->sites[e->site];
    if (si->kind == SITE_IF) c->site[e->site] |= e->v.n ? 1 : 2;
    else if (si->kind == SITE_ROW || si->kind == SITE_ELSE) c->site[e->site] |= 1;
    else if (si->kind == SITE_RAW && si->slot >= 0 && vm_computed(vm, si->slot)) {
      /* The cap bound where the value is not the raw one: up to the low
         end, or down to the high end (whatever the run set them to). */
      Dec v = vm->slots[si->slot].n;
      if (e->v.n < v) c->site[e->site] |= 1;
      if (e->v.n > v) c->site[e->site] |= 2;
    }
  }
  if (vm->tier >= 0) c->tier[vm->tier] = true;
  if (vm->track >= 0) c->track[vm->track] = true;
}

/* A cap's end: "60", or "cert_cap = 60" for a param (its declared value). */
static void cap_text(const Program *p, Dec lit, int param, char *buf) {
  char v[DEC_FMT_MAX];
  dec_format(lit, v);
  if (param < 0) strcpy(buf, v);
  else sprintf(buf, "%.*s = %s", 256, p->params[param].name, v);
}

/* Prints what the tests never reached; returns the percentage reached. */
static double coverage_report(const Program *p, const char *file, const Coverage *c, FILE *out) {
  int total = 0, hit = 0;
  char *text = NULL;
  size_t len = 0;
  FILE *miss = open_memstream(&text, &len);
  if (!miss) abort();
#define ITEM(reached, ...) do { total++; if (reached) hit++; \
    else { fprintf(miss, "  not reached: " __VA_ARGS__); putc('\n', miss); } } while (0)
  for (int i = 0; i < p->nsites; i++) {
    const SiteInfo *si = &p->sites[i];
    /* A function's branch is listed at its call (the compiler records it),
       once per call, naming where in the function it is. */
    char at[PATH_TEXT_MAX], in[PATH_TEXT_MAX] = "";
    Pos call = si->kind <= SITE_ELSE ? rb_explain_call_site(p, i) : (Pos){-1, 0, 0};
    if (call.file < 0) {
      snprintf(at, sizeof at, "%s:%d:%d", p->files[si->file], si->line, si->col);
    } else {
      snprintf(at, sizeof at, "%s:%d:%d", p->files[call.file], call.line, call.col);
      snprintf(in, sizeof in, "  (in %s:%d:%d)", rb_explain_base_name(p->files[si->file]), si->line, si->col);
    }
    switch ((SiteKind)si->kind) {
    case SITE_IF:
      ITEM(c->site[i] & 1, "%s  if %s -> then%s", at, si->text, in);
      ITEM(c->site[i] & 2, "%s  if %s -> else%s", at, si->text, in);
      break;
    case SITE_ROW: ITEM(c->site[i] & 1, "%s  band row %s%s", at, si->text, in); break;
    case SITE_ELSE: ITEM(c->site[i] & 1, "%s  band row else => %s%s", at, si->text, in); break;
    case SITE_RAW: {
      if (si->slot < 0) break;
      const SlotInfo *sl = &p->slots[si->slot];
      if (sl->kind != SLOT_POINTS && sl->kind != SLOT_CATEGORY) break;
      char b[DEC_FMT_MAX + 300];
      /* Only cap sides that some record can make bind (interval analysis). */
      bool lo_binds = sl->has_lo && (!sl->raw.has_lo || sl->raw.lo < sl->lo);
      bool hi_binds = sl->has_hi && (!sl->raw.has_hi || sl->raw.hi > sl->hi);
      const char *f = p->files[si->file];
      if (lo_binds) { cap_text(p, sl->lo, sl->lo_param, b); ITEM(c->site[i] & 1, "%s:%d:%d  %s held up to its cap %s", f, si->line, si->col, sl->name, b); }
      if (hi_binds) { cap_text(p, sl->hi, sl->hi_param, b); ITEM(c->site[i] & 2, "%s:%d:%d  %s held down to its cap %s", f, si->line, si->col, sl->name, b); }
      break;
    }
    default: break;
    }
  }
  for (int t = 0; t < p->ntiers; t++)
    ITEM(c->tier[t], "%s:%d:%d  tier %s%s%s", p->files[p->tiers[t].file], p->tiers[t].line,
         p->tiers[t].col, p->tiers[t].track >= 0 ? p->tracks[p->tiers[t].track].name : "",
         p->tiers[t].track >= 0 ? "." : "", p->tiers[t].name);
  if (!p->implicit_track)
    for (int t = 0; t < p->ntracks; t++)
      ITEM(c->track[t], "%s:%d:%d  track %s", p->files[p->tracks[t].file], p->tracks[t].line,
           p->tracks[t].col, p->tracks[t].name);
#undef ITEM
  fclose(miss);
  double pct = total ? 100.0 * hit / total : 100.0;
  fprintf(out, "coverage %s: %d of %d (%.1f%%)\n%s", file, hit, total, pct, text);
  free(text);
  return pct;
}

/* A value as text, the way print_expected writes it; the caller frees. */
static char *value_text(const Program *p, const TestExpect *e, Value v) {
  char *text = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&text, &len);
  if (!m) abort();
  print_expected(p, e, v, m);
  fclose(m);
  return text;
}

/* "given { certs = 3, region = west }": the fields the test block named.
   With all, "record { ... }": every field the record has, neutral values
   included, for an error that a neutral value may have caused. */
static void print_given(const Program *p, const TestInfo *ti, bool all, FILE *out) {
  const char *sep = all ? "record { " : "given { ";
  for (int f = 0; f < p->nfields; f++) {
    const FieldInfo *fi = &p->fields[f];
    if (!ti->given_set[f] || (!all && !ti->given_here[f])) continue;
    fprintf(out, "%s%s = ", sep, fi->name);
    if (fi->kind == FIELD_CHOICE) fputs(fi->members[ti->given[f].n], out);
    else rb_explain_value(p, out_field_type(fi), ti->given[f], out);
    sep = ", ";
  }
  fputs(*sep == ',' ? " }\n" : "given nothing but neutral values\n", out);
}

/* "with { cap = 30, bench.east = $250000 }": the params the test set, as
   the run has them in values; nothing when it set none. */
static void print_with(const Program *p, const TestInfo *ti, const int64_t *values, FILE *out) {
  for (int k = 0; k < ti->noverrides; k++) {
    int vi = ti->overrides[k].index, param = 0;
    while (param + 1 < p->nparams && p->params[param + 1].base <= vi) param++;
    char buf[300];
    program_rule_end_text(p, values, vi, 0, (ValueType)p->params[param].type, buf, sizeof buf);
    fprintf(out, "%s%s", k ? ", " : "with { ", buf);
  }
  if (ti->noverrides) fputs(" }\n", out);
}

/* The lines of the derivation that lead to e's value, after indent. */
static void explain_expectation(const Program *p, const VmCtx *vm, const Row *row, const TestExpect *e,
                                const char *indent, FILE *out) {
  switch ((ExpectKind)e->kind) {
  case EXP_SLOT: rb_explain_slot(p, vm, row, expect_slot(p, vm, e), indent, out); break;
  case EXP_TRACK: rb_explain_tracks(p, vm, row, indent, out); break;
  case EXP_BENEFIT:   /* what the tier gives, then how the tier came */
    rb_explain_benefit(p, vm, e->slot, indent, out);
    /* fall through */
  case EXP_TIER:
    if (vm->track < 0) break;
    rb_explain_score(p, vm, indent, out);
    rb_explain_ladder(p, vm, row, indent, out);
    break;
  }
}

/* Runs one test; fills r.  The trace is the traced code's, so explain
   output and coverage come from the same evaluation.  r->details: the
   given fields, then each failed expectation with the lines of the
   derivation on its path. */
static void run_test(const Program *p, const TestInfo *ti, VmCtx *vm, RbTestResult *r, Coverage *cov) {
  char *text = NULL, msg[1024];   /* room for "expected WHAT " and said */
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  if (!out) abort();
  const char *file = p->files[ti->file];
  if (ti->expect_rejected >= 0 || ti->rejected >= 0) {
    const char *want = ti->expect_rejected >= 0 ? p->fields[ti->expect_rejected].name : "?";
    if (ti->rejected < 0) {
      snprintf(msg, sizeof msg, "expected field '%s' to be rejected, but the record is valid", want);
      add_failure(r, file, ti->line, 1, "rejected", want, NULL, msg);
    } else if (ti->rejected != ti->expect_rejected) {
      snprintf(msg, sizeof msg, "expected field '%s' to be rejected, but field '%s' is: %s", want,
               p->fields[ti->rejected].name, ti->rejected_why);
      add_failure(r, file, ti->line, 1, "rejected", want, p->fields[ti->rejected].name, msg);
    }
    if (!r->ok) fputs(msg, out);
    fclose(out);
    if (!r->ok) { r->summary = strdup(text); r->details = text; } else free(text);
    return;
  }
  memcpy(vm->params, p->param_values, (size_t)p->nparam_values * sizeof *vm->params);
  for (int k = 0; k < ti->noverrides; k++) vm->params[ti->overrides[k].index] = ti->overrides[k].value;
  /* The test's activities, those after the as-of date left out as a
     file's would be. */
  size_t nf = (size_t)p->nafields;
  Value *avals = malloc(((size_t)ti->nacts * nf + 1) * sizeof *avals);
  uint8_t *aset = malloc((size_t)ti->nacts * nf + 1);
  long *alines = calloc((size_t)ti->nacts + 1, sizeof *alines);
  if (!avals || !aset || !alines) abort();
  int kept = 0;
  for (int a = 0; a < ti->nacts; a++) {
    const Value *v = ti->acts + (size_t)a * nf;
    const uint8_t *set = ti->acts_set + (size_t)a * nf;
    if (!act_in_force(p, v, set, vm->has_as_of, vm->dates[VM_AS_OF])) continue;
    memcpy(avals + (size_t)kept * nf, v, nf * sizeof *v);
    memcpy(aset + (size_t)kept * nf, set, nf);
    kept++;
  }
  ActList acts = {kept, avals, aset, alines};
  Row row = {ti->given, ti->given_set, &acts};
  vm->tracing = true;
  VmStatus st = vm_eval(vm, &row);
  free(avals);
  free(aset);
  free(alines);
  if (st != VM_OK) {
    Pos pos = vm_error_pos(vm);
    snprintf(msg, sizeof msg, "%s (at %s:%d:%d) [%s]", vm_status_text(st), p->files[pos.file], pos.line,
             pos.col, vm_status_code(st));
    add_failure(r, file, ti->line, 1, NULL, NULL, NULL, msg);
    print_given(p, ti, true, out);   /* the record that could not be scored */
    print_with(p, ti, vm->params, out);
    fprintf(out, "%s\n", msg);
  } else {
    if (cov) cover(p, vm, cov);
    for (int k = 0; k < ti->nexpects; k++) {
      const TestExpect *e = &ti->expects[k];
      bool computed;
      Value got = actual(p, vm, e, &computed);
      if (computed && same_value(got, e->value)) continue;
      if (r->ok) {
        print_given(p, ti, false, out);
        print_with(p, ti, vm->params, out);
      }
      char *want = value_text(p, e, e->value), *have = computed ? value_text(p, e, got) : NULL;
      /* For people, after "FILE:L:C: tier: "; for machines, whole. */
      const char *rest = computed ? ", got " : ", but the record did not compute it (its track does not use it)";
      char said[512];
      snprintf(said, sizeof said, "%s%s%s", want, rest, computed ? have : "");
      snprintf(msg, sizeof msg, "expected %s %s", e->what, said);
      fprintf(out, "%s:%d:%d: %s: expected %s\n", file, e->line, e->col, e->what, said);
      if (r->ok) {
        r->summary = malloc(strlen(file) + strlen(said) + 64);
        if (!r->summary) abort();
        sprintf(r->summary, "%s:%d:%d: %s: expected %s", file, e->line, e->col, e->what, said);
      }
      add_failure(r, file, e->line, e->col, e->what, want, have, msg);
      free(want);
      free(have);
      explain_expectation(p, vm, &row, e, "  ", out);
    }
  }
  fclose(out);
  if (r->ok) { free(text); return; }
  if (!r->summary) {
    char *nl = strchr(text, '\n');
    r->summary = nl ? strndup(text, (size_t)(nl - text)) : strdup(text);
  }
  r->details = text;
}

void rb_test_program(RbTestRun *tr, const char *file, const Program *p, FILE *out) {
  if (p->ntests && p->period_months > 0 && !tr->has_as_of) {   /* no period to test against */
    char why[128];
    snprintf(why, sizeof why, "its period is the %d months to as_of: give rubric test --as-of DATE", p->period_months);
    rb_test_unloaded(tr, file, why, NULL);
    return;
  }
  VmCtx vm;
  if (!vm_init(&vm, p)) abort();
  if (tr->has_as_of) vm_set_as_of(&vm, tr->as_of);
  Coverage cov = {calloc((size_t)p->nsites + 1, 1), calloc((size_t)p->ntiers + 1, sizeof(bool)),
                  calloc((size_t)p->ntracks + 1, sizeof(bool))};
  if (!cov.site || !cov.tier || !cov.track) abort();
  for (int t = 0; t < p->ntests; t++) {
    RbTestResult *r = new_result(tr, file, p->tests[t].name, p->files[p->tests[t].file], p->tests[t].line);
    run_test(p, &p->tests[t], &vm, r, &cov);
    if (r->ok) tr->passed++;
    else tr->failed++;
  }
  if (tr->coverage || tr->min_coverage >= 0) {
    double pct = coverage_report(p, file, &cov, out);
    if (tr->min_coverage >= 0 && pct < tr->min_coverage) {
      fprintf(out, "coverage %s: %.1f%% is below the required %.1f%%\n", file, pct, tr->min_coverage);
      tr->below_coverage = true;
    }
  }
  free(cov.site);
  free(cov.tier);
  free(cov.track);
  vm_free(&vm);
}

/* Writes text line by line, each line after prefix but blank lines bare. */
static void print_indented(const char *text, const char *prefix, FILE *out) {
  for (const char *p = text; p && *p;) {
    const char *nl = strchr(p, '\n');
    int n = nl ? (int)(nl - p) : (int)strlen(p);
    if (n) fprintf(out, "%s%.*s\n", prefix, n, p);
    else putc('\n', out);
    p += n + (nl != NULL);
  }
}

void rb_test_write_report(const RbTestRun *tr, bool verbose, FILE *out) {
  for (int i = 0; i < tr->n; i++) {
    const RbTestResult *t = &tr->results[i];
    if (t->unloaded) {   /* its diagnostics went where diagnostics go */
      fprintf(out, "FAIL %s: %s\n", t->file, t->summary);
      continue;
    }
    if (t->ok) {
      if (verbose) fprintf(out, "pass %s:%d: test \"%s\"\n", t->file, t->line, t->name);
      continue;
    }
    fprintf(out, "FAIL %s:%d: test \"%s\"\n", t->file, t->line, t->name);
    print_indented(t->details, "  ", out);
  }
  fprintf(out, "%ld passed, %ld failed\n", tr->passed, tr->failed);
}

void rb_test_write_github(const RbTestRun *tr, FILE *out) {
  for (int i = 0; i < tr->n; i++) {
    const RbTestResult *r = &tr->results[i];
    for (int k = 0; k < r->nfails; k++) {
      const RbTestFailure *f = &r->fails[k];
      fputs("::error file=", out);
      rb_diag_github_escape(out, f->file, true);
      fprintf(out, ",line=%d,col=%d::test \"", f->line, f->col);
      rb_diag_github_escape(out, r->name, false);
      fputs("\": ", out);
      rb_diag_github_escape(out, f->message, false);
      putc('\n', out);
    }
  }
}

static void json_string(FILE *out, const char *s) {
  if (s) out_json_string(out, s, strlen(s));
  else fputs("null", out);
}

void rb_test_write_json(const RbTestRun *tr, FILE *out) {
  for (int i = 0; i < tr->n; i++) {
    const RbTestResult *r = &tr->results[i];
    for (int k = 0; k < r->nfails; k++) {
      const RbTestFailure *f = &r->fails[k];
      fputs("{\"file\":", out);
      json_string(out, f->file);
      fprintf(out, ",\"line\":%d,\"col\":%d,\"test\":", f->line, f->col);
      json_string(out, r->name);
      fputs(",\"expectation\":", out);
      json_string(out, f->what);
      fputs(",\"expected\":", out);
      json_string(out, f->expected);
      fputs(",\"actual\":", out);
      json_string(out, f->actual);
      fputs(",\"message\":", out);
      json_string(out, f->message);
      fputs("}\n", out);
    }
  }
}

void rb_test_write_tap(const RbTestRun *tr, FILE *out) {
  fprintf(out, "TAP version 13\n1..%d\n", tr->n);
  for (int i = 0; i < tr->n; i++) {
    const RbTestResult *r = &tr->results[i];
    if (r->unloaded) fprintf(out, "not ok %d - %s: %s\n", i + 1, r->file, r->summary);
    else fprintf(out, "%s %d - %s: %s\n", r->ok ? "ok" : "not ok", i + 1, r->file, r->name);
    if (r->ok) continue;
    fputs("  ---\n  message: |\n", out);
    print_indented(r->details, "    ", out);
    if (r->unloaded) fprintf(out, "  at: %s\n  ...\n", r->file);
    else fprintf(out, "  at: %s:%d\n  ...\n", r->where, r->line);
  }
  fprintf(out, "# %ld passed, %ld failed\n", tr->passed, tr->failed);
}

static void xml_escape(FILE *out, const char *s) {
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '&') fputs("&amp;", out);
    else if (c == '<') fputs("&lt;", out);
    else if (c == '>') fputs("&gt;", out);
    else if (c == '"') fputs("&quot;", out);
    else if (c < 0x20 && c != '\n' && c != '\t') putc('?', out);   /* not allowed in XML 1.0 */
    else putc(c, out);
  }
}

/* A program's JUnit classname: its path without .rubric, '/' as '.', the
   way JUnit names a class by its package path. */
static void xml_classname(FILE *out, const char *file) {
  size_t n = strlen(file);
  if (n > 7 && strcmp(file + n - 7, ".rubric") == 0) n -= 7;
  while (n > 2 && file[0] == '.' && file[1] == '/') file += 2, n -= 2;
  char *c = strndup(file, n);
  if (!c) abort();
  for (char *s = c; *s; s++)
    if (*s == '/') *s = '.';
  xml_escape(out, c);
  free(c);
}

/* A program's results are consecutive and share their file pointer. */
void rb_test_write_junit(const RbTestRun *tr, FILE *out) {
  int errors = 0;
  for (int i = 0; i < tr->n; i++) errors += tr->results[i].unloaded;
  fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"rubric\" tests=\"%d\" "
          "failures=\"%ld\" errors=\"%d\">\n", tr->n, tr->failed - errors, errors);
  for (int i = 0; i < tr->n;) {
    const char *file = tr->results[i].file;
    int j = i, failures = 0, errs = 0;
    for (; j < tr->n && tr->results[j].file == file; j++) {
      errs += tr->results[j].unloaded;
      failures += !tr->results[j].ok && !tr->results[j].unloaded;
    }
    fputs("  <testsuite name=\"", out);
    xml_escape(out, file);
    fprintf(out, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"0\">\n", j - i, failures, errs);
    for (; i < j; i++) {
      const RbTestResult *r = &tr->results[i];
      fputs("    <testcase name=\"", out);
      xml_escape(out, r->name);
      fputs("\" classname=\"", out);
      xml_classname(out, r->file);
      fputs("\" file=\"", out);
      xml_escape(out, r->where);
      if (!r->unloaded) fprintf(out, "\" line=\"%d", r->line);
      if (r->ok) { fputs("\"/>\n", out); continue; }
      fprintf(out, "\">\n      <%s message=\"", r->unloaded ? "error" : "failure");
      xml_escape(out, r->summary);
      fprintf(out, "\" type=\"%s\">", r->unloaded ? "error" : "failure");
      xml_escape(out, r->details);
      fprintf(out, "</%s>\n    </testcase>\n", r->unloaded ? "error" : "failure");
    }
    fputs("  </testsuite>\n", out);
  }
  fputs("</testsuites>\n", out);
}

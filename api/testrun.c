/*
** testrun.c — see testrun.h.  Each test runs the traced code, so one
** evaluation gives the expectations, the explanation of a failure and the
** coverage.  Results are kept (their text in memory streams) until the
** caller writes them in the form it wants; nothing here prints to a
** stream it was not given.  Allocation failure aborts, as everywhere in
** the library (the rubric binary turns it into a message: cli/mem.c).
*/
#include "testrun.h"

#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "vm.h"

/* Room for "FILE:LINE:COL" of a position in coverage; a longer path is cut. */
#define PATH_TEXT_MAX 1100

void rb_test_init(RbTestRun *tr, bool coverage, double min_coverage) {
  memset(tr, 0, sizeof *tr);
  tr->coverage = coverage;
  tr->min_coverage = min_coverage;
}

void rb_test_free(RbTestRun *tr) {
  for (int i = 0; i < tr->n; i++) {
    free(tr->results[i].name);
    free(tr->results[i].summary);
    free(tr->results[i].details);
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

static void print_expected(const Program *p, const TestExpect *e, Value v, FILE *out) {
  if (e->kind == EXP_TIER) fputs(v.n >= 0 ? p->tiers[v.n].name : "none", out);
  else if (e->kind == EXP_TRACK) fputs(v.n >= 0 ? p->tracks[v.n].name : "none", out);
  else rb_explain_value(p, expect_type(p, e), v, out);
}

/* What the record gave for e; *computed false when it did not compute it. */
static Value actual(const Program *p, const VmCtx *vm, const TestExpect *e, bool *computed) {
  *computed = true;
  switch ((ExpectKind)e->kind) {
  case EXP_TIER: return (Value){vm->tier, NULL};
  case EXP_TRACK: return (Value){vm->track, NULL};
  case EXP_BENEFIT:
    if (vm->track < 0) break;
    return p->benefits[e->slot].values[vm->tier < 0 ? p->ntiers : vm->tier];
  case EXP_SLOT:
    if (!vm_computed(vm, e->slot)) break;
    return vm->slots[e->slot];
  }
  *computed = false;
  return (Value){0, NULL};
}

static bool same_value(Value a, Value b) {
  if (a.s || b.s) return a.s && b.s && a.n == b.n && memcmp(a.s, b.s, (size_t)a.n) == 0;
  return a.n == b.n;
}

static RbTestResult *new_result(RbTestRun *tr, const char *file, const char *name, int line) {
  if (tr->n == tr->cap) {
    tr->cap = tr->cap ? tr->cap * 2 : 64;
    tr->results = realloc(tr->results, (size_t)tr->cap * sizeof *tr->results);
    if (!tr->results) abort();
  }
  RbTestResult *r = &tr->results[tr->n++];
  *r = (RbTestResult){file, strdup(name), line, true, NULL, NULL};
  if (!r->name) abort();
  return r;
}

void rb_test_unloaded(RbTestRun *tr, const char *file, const char *why) {
  RbTestResult *r = new_result(tr, file, "(the program)", 0);
  r->ok = false;
  r->summary = strdup(why);
  r->details = strdup(why);
  if (!r->summary || !r->details) abort();
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
    else if (si->kind == SITE_RAW && si->slot >= 0) {
      const SlotInfo *sl = &p->slots[si->slot];
      if (sl->has_lo && e->v.n < sl->lo) c->site[e->site] |= 1;
      if (sl->has_hi && e->v.n > sl->hi) c->site[e->site] |= 2;
    }
  }
  if (vm->tier >= 0) c->tier[vm->tier] = true;
  if (vm->track >= 0) c->track[vm->track] = true;
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
    /* A function's branch from another file is listed at its call, once
       per call, naming where in the function it is. */
    char at[PATH_TEXT_MAX], in[PATH_TEXT_MAX] = "";
    Pos call = si->kind <= SITE_ELSE ? rb_explain_call_site(p, i) : (Pos){-1, 0, 0};
    if (call.file < 0) {
      snprintf(at, sizeof at, "%s:%d:%d", p->files[si->file], si->line, si->col);
    } else {
      snprintf(at, sizeof at, "%s:%d", p->files[call.file], call.line);
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
      char b[DEC_FMT_MAX];
      /* Only cap sides that some record can make bind (interval analysis). */
      bool lo_binds = sl->has_lo && (!sl->raw.has_lo || sl->raw.lo < sl->lo);
      bool hi_binds = sl->has_hi && (!sl->raw.has_hi || sl->raw.hi > sl->hi);
      const char *f = p->files[si->file];
      if (lo_binds) { dec_format(sl->lo, b); ITEM(c->site[i] & 1, "%s:%d:%d  %s held up to its cap %s", f, si->line, si->col, sl->name, b); }
      if (hi_binds) { dec_format(sl->hi, b); ITEM(c->site[i] & 2, "%s:%d:%d  %s held down to its cap %s", f, si->line, si->col, sl->name, b); }
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

/* Runs one test; fills r.  The trace is the traced code's, so explain
   output and coverage come from the same evaluation. */
static void run_test(const Program *p, const TestInfo *ti, VmCtx *vm, RbTestResult *r, Coverage *cov) {
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  if (!out) abort();
  if (ti->expect_rejected >= 0 || ti->rejected >= 0) {
    if (ti->rejected < 0) {
      fprintf(out, "expected field '%s' to be rejected, but the record is valid",
              p->fields[ti->expect_rejected].name);
      r->ok = false;
    } else if (ti->rejected != ti->expect_rejected) {
      fprintf(out, "expected field '%s' to be rejected, but field '%s' is: %s",
              p->fields[ti->expect_rejected].name, p->fields[ti->rejected].name, ti->rejected_why);
      r->ok = false;
    }
    fclose(out);
    if (!r->ok) { r->summary = strdup(text); r->details = text; } else free(text);
    return;
  }
  memcpy(vm->params, p->param_values, (size_t)p->nparam_values * sizeof *vm->params);
  for (int k = 0; k < ti->noverrides; k++) vm->params[ti->overrides[k].index] = ti->overrides[k].value;
  Row row = {ti->given, ti->given_set};
  vm->tracing = true;
  VmStatus st = vm_eval(vm, &row);
  if (st != VM_OK) {
    Pos pos = vm_error_pos(vm);
    fprintf(out, "%s (at %s:%d:%d) [%s]\n", vm_status_text(st), p->files[pos.file], pos.line, pos.col,
            vm_status_code(st));
    r->ok = false;
  } else {
    if (cov) cover(p, vm, cov);
    for (int k = 0; k < ti->nexpects; k++) {
      const TestExpect *e = &ti->expects[k];
      bool computed;
      Value got = actual(p, vm, e, &computed);
      if (computed && same_value(got, e->value)) continue;
      long start = ftell(out);
      fprintf(out, "%s:%d:%d: %s: expected ", p->files[ti->file], e->line, e->col, e->what);
      print_expected(p, e, e->value, out);
      if (computed) {
        fputs(", got ", out);
        print_expected(p, e, got, out);
      } else {
        fputs(", but the record did not compute it (its track does not use it)", out);
      }
      fflush(out);
      if (r->ok) r->summary = strndup(text + start, len - (size_t)start);
      putc('\n', out);
      r->ok = false;
    }
    if (!r->ok) {
      fputs("the record, explained:\n", out);
      rb_explain_print(p, vm, &row, out);
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
  VmCtx vm;
  if (!vm_init(&vm, p)) abort();
  Coverage cov = {calloc((size_t)p->nsites + 1, 1), calloc((size_t)p->ntiers + 1, sizeof(bool)),
                  calloc((size_t)p->ntracks + 1, sizeof(bool))};
  if (!cov.site || !cov.tier || !cov.track) abort();
  for (int t = 0; t < p->ntests; t++) {
    RbTestResult *r = new_result(tr, file, p->tests[t].name, p->tests[t].line);
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
    if (t->ok) {
      if (verbose) fprintf(out, "pass %s:%d: test \"%s\"\n", t->file, t->line, t->name);
      continue;
    }
    fprintf(out, "FAIL %s:%d: test \"%s\"\n", t->file, t->line, t->name);
    print_indented(t->details, "  ", out);
  }
  fprintf(out, "%ld passed, %ld failed\n", tr->passed, tr->failed);
}

void rb_test_write_tap(const RbTestRun *tr, FILE *out) {
  fprintf(out, "TAP version 13\n1..%d\n", tr->n);
  for (int i = 0; i < tr->n; i++) {
    const RbTestResult *r = &tr->results[i];
    fprintf(out, "%s %d - %s: %s\n", r->ok ? "ok" : "not ok", i + 1, r->file, r->name);
    if (r->ok) continue;
    fputs("  ---\n  message: |\n", out);
    print_indented(r->details, "    ", out);
    fprintf(out, "  at: %s:%d\n  ...\n", r->file, r->line);
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

/* A program's results are consecutive and share their file pointer. */
void rb_test_write_junit(const RbTestRun *tr, FILE *out) {
  fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"rubric\" tests=\"%d\" failures=\"%ld\">\n",
          tr->n, tr->failed);
  for (int i = 0; i < tr->n;) {
    const char *file = tr->results[i].file;
    int j = i, failures = 0;
    while (j < tr->n && tr->results[j].file == file) failures += !tr->results[j++].ok;
    fputs("  <testsuite name=\"", out);
    xml_escape(out, file);
    fprintf(out, "\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"0\">\n", j - i, failures);
    for (; i < j; i++) {
      const RbTestResult *r = &tr->results[i];
      fputs("    <testcase name=\"", out);
      xml_escape(out, r->name);
      fputs("\" classname=\"", out);
      xml_escape(out, r->file);
      if (r->ok) { fputs("\"/>\n", out); continue; }
      fputs("\">\n      <failure message=\"", out);
      xml_escape(out, r->summary);
      fputs("\" type=\"failure\">", out);
      xml_escape(out, r->details);
      fputs("</failure>\n    </testcase>\n", out);
    }
    fputs("  </testsuite>\n", out);
  }
  fputs("</testsuites>\n", out);
}

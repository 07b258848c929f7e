/*
** main.c — the `rubric` command line: check, eval, explain, test, dis.
** It is the one place that prints diagnostics and decides exit codes:
**   0  success;
**   1  the input had problems: diagnostics with errors, rejected records,
**      failing tests, a record the program could not score;
**   2  the command was misused, or a file could not be read.
*/
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lang/compile.h"
#include "date.h"
#include "dis.h"
#include "records.h"
#include "vm.h"
#include "writers.h"

#ifndef RUBRIC_VERSION
#define RUBRIC_VERSION "0.1.0"
#endif

enum { EXIT_PROBLEMS = 1, EXIT_USAGE = 2 };

static const char *prog_name = "rubric";

/* ---- diagnostics ------------------------------------------------------------ */

static void print_diag(const Diag *d, FILE *out) {
  static const char *const sev[] = {"error", "warning", "note"};
  if (d->src)
    fprintf(out, "%s:%d:%d: %s: %s [%s]\n", d->src->name, d->line, d->col, sev[d->sev], d->msg,
            diag_code_name(d->code));
  else
    fprintf(out, "%s: %s: %s [%s]\n", prog_name, sev[d->sev], d->msg, diag_code_name(d->code));
  if (d->src && d->line > 0) {
    int len;
    const char *line = diag_source_line(d->src, d->line, &len);
    fprintf(out, "  %.*s\n  ", len, line);
    for (int i = 0; i < d->col - 1 && i < len; i++) putc(line[i] == '\t' ? '\t' : ' ', out);
    int carets = d->len;
    if (d->col - 1 + carets > len) carets = len - (d->col - 1);
    if (carets < 1) carets = 1;
    for (int i = 0; i < carets; i++) putc('^', out);
    putc('\n', out);
  }
  if (d->hint) fprintf(out, "  hint: %s\n", d->hint);
}

static void print_diags(const DiagList *dl) {
  for (const Diag *d = dl->head; d; d = d->next) print_diag(d, stderr);
}

/* Compile one program, printing its diagnostics.  Returns 0 when p is
   ready (free it with program_free), EXIT_USAGE when the file itself could
   not be read, EXIT_PROBLEMS for errors in it. */
static int compile(const char *path, Program *p) {
  Ast ast;
  DiagList dl;
  diag_init(&dl);
  bool ok = front_compile(path, &ast, &dl, p);
  bool unreadable = dl.head && dl.head->code == R0106 && !dl.head->src;
  print_diags(&dl);
  ast_free(&ast);
  diag_free(&dl);
  return ok ? 0 : unreadable ? EXIT_USAGE : EXIT_PROBLEMS;
}

/* ---- usage ------------------------------------------------------------------ */

static const char *const usage_main =
    "usage: rubric COMMAND [OPTIONS] ...\n"
    "\n"
    "Commands:\n"
    "  check PROGRAM...              check programs for errors\n"
    "  eval PROGRAM [RECORDS...]     score partner records (CSV; - or none: stdin)\n"
    "  explain PROGRAM RECORDS --id KEY\n"
    "                                show how one record's numbers were derived\n"
    "  test PROGRAM...               run the programs' test blocks\n"
    "  dis PROGRAM                   show the compiled bytecode\n"
    "\n"
    "Options: --help (also after a command), --version.\n"
    "Exit status: 0 success, 1 problems found, 2 usage or unreadable file.\n"
    "See docs/cli.md.\n";

static const char *const usage_check =
    "usage: rubric check PROGRAM...\n"
    "Parse and check each program. Errors print as file:line:col: error: message\n"
    "with the source line and a caret. Exit 0 clean, 1 errors, 2 usage.\n";

static const char *const usage_eval =
    "usage: rubric eval [OPTIONS] PROGRAM [RECORDS...]\n"
    "Score every record of the CSV files (- or none: standard input).\n"
    "  -f, --format FMT      csv (default), jsonl or table\n"
    "  -o, --output FILE     write results to FILE instead of standard output\n"
    "  -s, --set NAME=VALUE  override a param for this run (NAME.KEY=VALUE for keyed)\n"
    "Rejected records are reported on standard error as file:line: field 'x': reason;\n"
    "the run ends with 'N records: S scored, R rejected'. Exit 1 if any was rejected.\n";

static const char *const usage_explain =
    "usage: rubric explain [OPTIONS] PROGRAM RECORDS --id KEY\n"
    "Show one record's derivation: each parameter's raw value, the branch or band\n"
    "row taken, whether its cap bound, category totals and every tier condition.\n"
    "  -i, --id KEY          the record's key (required)\n"
    "  -s, --set NAME=VALUE  override a param, as for eval\n";

static const char *const usage_test =
    "usage: rubric test [-v] PROGRAM...\n"
    "Run each program's test blocks. Failures show expected and actual values;\n"
    "output ends with 'N passed, N failed'. Exit 1 if any test failed.\n"
    "  -v, --verbose         also list the tests that pass\n";

static const char *const usage_dis =
    "usage: rubric dis [--traced] PROGRAM\n"
    "Print the compiled bytecode, annotated. --traced shows the code explain runs.\n";

static int usage_error(const char *usage, const char *fmt, const char *arg) {
  fprintf(stderr, "%s: ", prog_name);
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n%s", usage);
  return EXIT_USAGE;
}

/* Parses options shared by eval and explain.  Returns -1 to go on, else an exit code. */
typedef struct Opts {
  OutFormat format;
  const char *output, *id;
  const char **sets;
  int nsets;
  bool verbose, traced;
} Opts;

static void opts_free(Opts *o) { free(o->sets); }

/* Fills o from argv (defaults first); the caller calls opts_free after. */
static int parse_opts(int argc, char **argv, const char *usage, Opts *o) {
  memset(o, 0, sizeof *o);
  o->format = OUT_CSV;
  o->sets = calloc((size_t)argc + 1, sizeof *o->sets);
  if (!o->sets) abort();
  static const struct option longopts[] = {
      {"format", required_argument, 0, 'f'}, {"output", required_argument, 0, 'o'},
      {"set", required_argument, 0, 's'},    {"id", required_argument, 0, 'i'},
      {"verbose", no_argument, 0, 'v'},      {"traced", no_argument, 0, 't'},
      {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
  optind = 1;
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, "f:o:s:i:vth", longopts, NULL)) != -1) {
    switch (c) {
    case 'f':
      if (strcmp(optarg, "csv") == 0) o->format = OUT_CSV;
      else if (strcmp(optarg, "jsonl") == 0) o->format = OUT_JSONL;
      else if (strcmp(optarg, "table") == 0) o->format = OUT_TABLE;
      else return usage_error(usage, "unknown format '%s' (csv, jsonl or table)", optarg);
      break;
    case 'o': o->output = optarg; break;
    case 's': o->sets[o->nsets++] = optarg; break;   /* at most argc of them */
    case 'i': o->id = optarg; break;
    case 'v': o->verbose = true; break;
    case 't': o->traced = true; break;
    case 'h': fputs(usage, stdout); return 0;
    default: {
      char opt[3] = {'-', (char)optopt, 0};
      return usage_error(usage, "unknown or incomplete option '%s'",
                         optopt ? opt : argv[optind - 1]);
    }
    }
  }
  return -1;
}

static bool apply_sets(VmCtx *vm, const Opts *o) {
  for (int i = 0; i < o->nsets; i++) {
    char name[256];
    const char *eq = strchr(o->sets[i], '='), *why = NULL;
    if (!eq || eq == o->sets[i] || (size_t)(eq - o->sets[i]) >= sizeof name) {
      fprintf(stderr, "%s: --set %s: write NAME=VALUE\n", prog_name, o->sets[i]);
      return false;
    }
    memcpy(name, o->sets[i], (size_t)(eq - o->sets[i]));
    name[eq - o->sets[i]] = '\0';
    if (!vm_set_param(vm, name, eq + 1, &why)) {
      fprintf(stderr, "%s: --set %s: %s\n", prog_name, o->sets[i], why);
      return false;
    }
  }
  return true;
}

/* ---- check ------------------------------------------------------------------ */

static int cmd_check(int argc, char **argv) {
  Opts o;
  int r = parse_opts(argc, argv, usage_check, &o);
  opts_free(&o);
  if (r >= 0) return r;
  if (optind >= argc) return usage_error(usage_check, "%s", "no program given");
  int status = 0;
  for (int i = optind; i < argc; i++) {
    Program p;
    int st = compile(argv[i], &p);
    if (st) {
      if (st > status) status = st;
      continue;
    }
    printf("%s: ok (%d field%s, %d points in %d categor%s, %d tier%s, %d test%s)\n", argv[i],
           p.nfields, p.nfields == 1 ? "" : "s", p.npoints, p.ncategories,
           p.ncategories == 1 ? "y" : "ies", p.ntiers, p.ntiers == 1 ? "" : "s", p.ntests,
           p.ntests == 1 ? "" : "s");
    program_free(&p);
  }
  return status;
}

/* ---- records ---------------------------------------------------------------- */

typedef struct Run {
  const Program *prog;
  VmCtx vm;
  Row row;
  long read, scored, rejected;
  bool fatal;
} Run;

static FILE *open_records(const char *path) {
  if (strcmp(path, "-") == 0) return stdin;
  FILE *f = fopen(path, "rb");
  if (!f) fprintf(stderr, "%s: cannot read %s: %s\n", prog_name, path, strerror(errno));
  return f;
}

static void report_reject(const Program *p, const CsvReader *r, int field, const char *why) {
  if (field >= 0)
    fprintf(stderr, "%s:%ld: field '%s': %s\n", r->name, r->rec_line, p->fields[field].name, why);
  else
    fprintf(stderr, "%s:%ld: %s\n", r->name, r->rec_line, why);
}

static void report_vm_error(const Program *p, const CsvReader *r, const Row *row, const VmCtx *vm,
                            VmStatus st) {
  Pos pos = vm_error_pos(vm);
  const Value *k = &row->vals[p->key];
  fprintf(stderr, "%s:%ld: record '%.*s' cannot be scored: %s (at %s:%d:%d)\n", r->name,
          r->rec_line, (int)k->n, k->s, vm_status_text(st), p->files[pos.file], pos.line, pos.col);
}

/* Streams one file of records through fn, which gets each valid row. */
typedef bool (*RowFn)(Run *run, const CsvReader *r, void *arg);

static void each_record(Run *run, const char *path, RowFn fn, void *arg) {
  const Program *p = run->prog;
  FILE *in = open_records(path);
  if (!in) { run->fatal = true; return; }
  CsvReader r;
  csv_open(&r, in, strcmp(path, "-") == 0 ? "<stdin>" : path);
  RowMap map;
  char msg[512];
  if (!csv_next(&r)) {
    fprintf(stderr, "%s: %s is empty: a CSV file starts with a header line\n", prog_name, r.name);
    run->fatal = true;
  } else if (!rec_map_header(p, &r, &map, msg, sizeof msg)) {
    fprintf(stderr, "%s:1: %s\n", r.name, msg);
    run->fatal = true;
    rec_map_free(&map);
  } else {
    char why[REC_WHY_MAX];
    while (csv_next(&r)) {
      int field;
      run->read++;
      if (!rec_validate(p, &r, &map, &run->row, &field, why)) {
        report_reject(p, &r, field, why);
        run->rejected++;
        continue;
      }
      if (!fn(run, &r, arg)) break;
    }
    rec_map_free(&map);
  }
  csv_close(&r);
  if (in != stdin) fclose(in);
}

static bool run_init(Run *run, const Program *p) {
  memset(run, 0, sizeof *run);
  run->prog = p;
  run->row.vals = calloc((size_t)p->nfields + 1, sizeof *run->row.vals);
  run->row.set = calloc((size_t)p->nfields + 1, 1);
  return run->row.vals && run->row.set && vm_init(&run->vm, p);
}

static void run_free(Run *run) {
  vm_free(&run->vm);
  free(run->row.vals);
  free(run->row.set);
}

/* ---- eval ------------------------------------------------------------------- */

static bool eval_row(Run *run, const CsvReader *r, void *arg) {
  Writer *w = arg;
  VmStatus st = vm_eval(&run->vm, &run->row);
  if (st != VM_OK) {
    report_vm_error(run->prog, r, &run->row, &run->vm, st);
    run->rejected++;
    return true;
  }
  out_row(w, &run->row, &run->vm);
  run->scored++;
  return true;
}

static int cmd_eval(int argc, char **argv) {
  Opts o;
  int r = parse_opts(argc, argv, usage_eval, &o);
  if (r < 0 && optind >= argc) r = usage_error(usage_eval, "%s", "no program given");
  Program p;
  if (r < 0) { int st = compile(argv[optind], &p); if (st) r = st; }
  if (r >= 0) { opts_free(&o); return r; }
  Run run;
  int status = 0;
  if (!run_init(&run, &p)) abort();
  if (!apply_sets(&run.vm, &o)) { status = EXIT_USAGE; goto done; }
  FILE *out = stdout;
  if (o.output && !(out = fopen(o.output, "w"))) {
    fprintf(stderr, "%s: cannot write %s: %s\n", prog_name, o.output, strerror(errno));
    status = EXIT_USAGE;
    goto done;
  }
  Writer w;
  out_begin(&w, &p, o.format, out);
  if (optind + 1 >= argc) each_record(&run, "-", eval_row, &w);
  for (int i = optind + 1; i < argc; i++) each_record(&run, argv[i], eval_row, &w);
  out_end(&w);
  if (out != stdout && fclose(out) != 0) {
    fprintf(stderr, "%s: cannot write %s: %s\n", prog_name, o.output, strerror(errno));
    run.fatal = true;
  }
  fprintf(stderr, "%ld record%s: %ld scored, %ld rejected\n", run.read, run.read == 1 ? "" : "s",
          run.scored, run.rejected);
  status = run.fatal ? EXIT_USAGE : run.rejected ? EXIT_PROBLEMS : 0;
done:
  run_free(&run);
  program_free(&p);
  opts_free(&o);
  return status;
}

/* ---- explain ---------------------------------------------------------------- */

typedef struct Explain { const char *id; bool found; int status; } Explain;

static void print_value(const Program *p, ValueType t, Value v, FILE *out) {
  char buf[DEC_FMT_MAX];
  switch (t) {
  case VT_FLAG: fputs(v.n ? "yes" : "no", out); break;
  case VT_DATE: date_format(v.n, buf); fputs(buf, out); break;
  case VT_TEXT: fprintf(out, "\"%.*s\"", (int)v.n, v.s); break;
  case VT_MONEY: dec_format(v.n, buf); fprintf(out, "$%s", buf); break;
  default: dec_format(v.n, buf); fputs(buf, out); break;
  }
  (void)p;
}

static void print_field(const Program *p, int f, const Row *row, FILE *out) {
  const FieldInfo *fi = &p->fields[f];
  fprintf(out, "  %-16s ", fi->name);
  if (!row->set[f]) { fputs("(not set)\n", out); return; }
  static const ValueType vt[] = {VT_TEXT, VT_NUMBER, VT_MONEY, VT_NUMBER, VT_NUMBER,
                                 VT_FLAG, VT_DATE, VT_CHOICE};
  if (fi->kind == FIELD_CHOICE) fputs(fi->members[row->vals[f].n], out);
  else print_value(p, vt[fi->kind], row->vals[f], out);
  putc('\n', out);
}

static const TraceEvent *raw_event(const VmCtx *vm, int slot) {
  for (int i = 0; i < vm->ntrace; i++)
    if (vm->trace[i].site == vm->prog->slots[slot].site) return &vm->trace[i];
  return NULL;
}

static void print_cap(const SlotInfo *si, const VmCtx *vm, int slot, FILE *out) {
  const TraceEvent *e = raw_event(vm, slot);
  char raw[DEC_FMT_MAX], lo[DEC_FMT_MAX] = "", hi[DEC_FMT_MAX] = "";
  if (!e) return;
  dec_format(e->v.n, raw);
  if (si->has_lo) dec_format(si->lo, lo);
  if (si->has_hi) dec_format(si->hi, hi);
  if (e->v.n != vm->slots[slot].n) {
    char capped[DEC_FMT_MAX];
    dec_format(vm->slots[slot].n, capped);
    fprintf(out, "   (raw %s, capped at %s)", raw, capped);
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
      fprintf(out, "%sif %s  -> %s  (line %d)\n", indent, s->text, e->v.n ? "yes: then" : "no: else",
              s->line);
      break;
    case SITE_ROW:
      fprintf(out, "%sband row %s  (line %d)\n", indent, s->text, s->line);
      break;
    case SITE_ELSE:
      fprintf(out, "%sband row else => %s  (line %d)\n", indent, s->text, s->line);
      break;
    default:
      break;
    }
  }
}

static const char *title_of(const char *t) { return t ? t : ""; }

static bool explain_row(Run *run, const CsvReader *r, void *arg) {
  Explain *x = arg;
  const Program *p = run->prog;
  const Value *k = &run->row.vals[p->key];
  if ((size_t)k->n != strlen(x->id) || memcmp(k->s, x->id, (size_t)k->n) != 0) return true;
  x->found = true;
  FILE *out = stdout;
  run->vm.tracing = true;
  VmStatus st = vm_eval(&run->vm, &run->row);
  fprintf(out, "record %s  (%s line %ld)\n", x->id, r->name, r->rec_line);
  for (int f = 0; f < p->nfields; f++) print_field(p, f, &run->row, out);
  if (st != VM_OK) {
    report_vm_error(p, r, &run->row, &run->vm, st);
    x->status = EXIT_PROBLEMS;
    return false;
  }
  char buf[DEC_FMT_MAX];
  dec_format(run->vm.slots[p->score_slot].n, buf);
  int tier = run->vm.tier;
  fprintf(out, "\nscore %s, tier %s%s%s%s\n", buf, tier >= 0 ? p->tiers[tier].name : "(none)",
          tier >= 0 && p->tiers[tier].title ? " \"" : "",
          tier >= 0 ? title_of(p->tiers[tier].title) : "",
          tier >= 0 && p->tiers[tier].title ? "\"" : "");
  for (int c = p->npoints; c < p->score_slot; c++) {
    const SlotInfo *cs = &p->slots[c];
    dec_format(run->vm.slots[c].n, buf);
    fprintf(out, "\n%s \"%s\" = %s", cs->name, title_of(cs->title), buf);
    print_cap(cs, &run->vm, c, out);
    putc('\n', out);
    for (int s = 0; s < p->npoints; s++) {
      const SlotInfo *si = &p->slots[s];
      if (si->category != c) continue;
      dec_format(run->vm.slots[s].n, buf);
      fprintf(out, "  %s \"%s\" = %s", si->name + strlen(cs->name) + 1, title_of(si->title), buf);
      print_cap(si, &run->vm, s, out);
      putc('\n', out);
      print_events(p, &run->vm, s, "      ", out);
    }
  }
  bool any_let = false;
  for (int s = p->score_slot + 1; s < p->nslots; s++) {
    if (run->vm.done[s] != run->vm.gen) continue;
    if (!any_let) fputs("\nlets\n", out);
    any_let = true;
    fprintf(out, "  %s = ", p->slots[s].name);
    print_value(p, (ValueType)p->slots[s].type, run->vm.slots[s], out);
    putc('\n', out);
    print_events(p, &run->vm, s, "      ", out);
  }
  if (p->ntiers) fputs("\ntiers, lowest first (a tier needs its condition and every one below)\n", out);
  bool broken = false;
  for (int t = 0; t < p->ntiers; t++) {
    const TierInfo *ti = &p->tiers[t];
    int64_t held = -1;
    for (int i = 0; i < run->vm.ntrace; i++)
      if (run->vm.trace[i].site == ti->site) held = run->vm.trace[i].v.n;
    const char *verdict = held == 1 ? (broken ? "holds, but a lower tier failed" : "holds")
                                    : "does not hold";
    if (held != 1) broken = true;
    fprintf(out, "  %-12s %-24s when %s  -> %s\n", ti->name, title_of(ti->title),
            p->sites[ti->site].text, verdict);
  }
  return false;
}

static int cmd_explain(int argc, char **argv) {
  Opts o;
  int r = parse_opts(argc, argv, usage_explain, &o);
  if (r < 0 && (argc - optind != 2 || !o.id))
    r = usage_error(usage_explain, "%s", "give a program, a records file and --id KEY");
  Program p;
  if (r < 0) { int st = compile(argv[optind], &p); if (st) r = st; }
  if (r >= 0) { opts_free(&o); return r; }
  Run run;
  if (!run_init(&run, &p)) abort();
  Explain x = {.id = o.id};
  int status = 0;
  if (!apply_sets(&run.vm, &o)) status = EXIT_USAGE;
  else {
    each_record(&run, argv[optind + 1], explain_row, &x);
    if (run.fatal) status = EXIT_USAGE;
    else if (!x.found) {
      fprintf(stderr, "%s: no valid record with key '%s' in %s\n", prog_name, o.id, argv[optind + 1]);
      status = EXIT_PROBLEMS;
    } else status = x.status;
  }
  run_free(&run);
  program_free(&p);
  opts_free(&o);
  return status;
}

/* ---- test ------------------------------------------------------------------- */

static void print_expected(const Program *p, const TestExpect *e, int64_t v, FILE *out) {
  char buf[DEC_FMT_MAX];
  if (e->kind == EXP_TIER) fputs(v >= 0 ? p->tiers[v].name : "none", out);
  else { dec_format(v, buf); fputs(buf, out); }
}

static int cmd_test(int argc, char **argv) {
  Opts o;
  int r = parse_opts(argc, argv, usage_test, &o);
  opts_free(&o);
  if (r >= 0) return r;
  if (optind >= argc) return usage_error(usage_test, "%s", "no program given");
  long passed = 0, failed = 0;
  bool unreadable = false;
  for (int i = optind; i < argc; i++) {
    Program p;
    int cst = compile(argv[i], &p);
    if (cst) {
      fprintf(stderr, "FAIL %s: the program %s\n", argv[i],
              cst == EXIT_USAGE ? "cannot be read" : "does not compile");
      if (cst == EXIT_USAGE) unreadable = true;
      failed++;
      continue;
    }
    VmCtx vm;
    if (!vm_init(&vm, &p)) abort();
    for (int t = 0; t < p.ntests; t++) {
      const TestInfo *ti = &p.tests[t];
      memcpy(vm.params, p.param_values, (size_t)p.nparam_values * sizeof *vm.params);
      for (int k = 0; k < ti->noverrides; k++) vm.params[ti->overrides[k].index] = ti->overrides[k].value;
      Row row = {ti->given, ti->given_set};
      VmStatus st = vm_eval(&vm, &row);
      bool ok = st == VM_OK;
      if (!ok) {
        Pos pos = vm_error_pos(&vm);
        printf("FAIL %s:%d: test \"%s\": %s (at %s:%d:%d)\n", p.files[ti->file], ti->line, ti->name,
               vm_status_text(st), p.files[pos.file], pos.line, pos.col);
      }
      for (int k = 0; st == VM_OK && k < ti->nexpects; k++) {
        const TestExpect *e = &ti->expects[k];
        int64_t got = e->kind == EXP_TIER ? vm.tier : vm.slots[e->slot].n;
        if (got == e->value) continue;
        if (ok) printf("FAIL %s:%d: test \"%s\"\n", p.files[ti->file], ti->line, ti->name);
        ok = false;
        printf("  %s:%d:%d: %s: expected ", p.files[ti->file], e->line, e->col, e->what);
        print_expected(&p, e, e->value, stdout);
        fputs(", got ", stdout);
        print_expected(&p, e, got, stdout);
        putc('\n', stdout);
      }
      if (ok) {
        passed++;
        if (o.verbose) printf("pass %s:%d: test \"%s\"\n", p.files[ti->file], ti->line, ti->name);
      } else {
        failed++;
      }
    }
    vm_free(&vm);
    program_free(&p);
  }
  printf("%ld passed, %ld failed\n", passed, failed);
  return unreadable ? EXIT_USAGE : failed ? EXIT_PROBLEMS : 0;
}

/* ---- dis -------------------------------------------------------------------- */

static int cmd_dis(int argc, char **argv) {
  Opts o;
  int r = parse_opts(argc, argv, usage_dis, &o);
  opts_free(&o);
  if (r >= 0) return r;
  if (argc - optind != 1) return usage_error(usage_dis, "%s", "give one program");
  Program p;
  int st = compile(argv[optind], &p);
  if (st) return st;
  dis_program(&p, o.traced, stdout);
  program_free(&p);
  return 0;
}

int main(int argc, char **argv) {
  static const struct { const char *name; int (*fn)(int, char **); } cmds[] = {
      {"check", cmd_check}, {"eval", cmd_eval}, {"explain", cmd_explain},
      {"test", cmd_test},   {"dis", cmd_dis}};
  if (argc < 2) { fputs(usage_main, stderr); return EXIT_USAGE; }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
    fputs(usage_main, stdout);
    return 0;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("rubric %s\n", RUBRIC_VERSION);
    return 0;
  }
  for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
    if (strcmp(argv[1], cmds[i].name) == 0) return cmds[i].fn(argc - 1, argv + 1);
  fprintf(stderr, "%s: unknown command '%s'\n%s", prog_name, argv[1], usage_main);
  return EXIT_USAGE;
}

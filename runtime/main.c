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
#include <dirent.h>
#include <sys/stat.h>

#include "stream.h"
#include "../lang/compile.h"
#include "../lang/format.h"
#include "../lang/progdiff.h"
#include "bytecode.h"
#include "date.h"
#include "dis.h"
#include "outfile.h"
#include "records.h"
#include "vm.h"
#include "writers.h"
#include "diagfmt.h"
#include "explain.h"
#include "testrun.h"

#ifndef RUBRIC_VERSION
#define RUBRIC_VERSION "0.1.0"
#endif

enum { EXIT_PROBLEMS = 1, EXIT_USAGE = 2 };

static const char *prog_name = "rubric";

/* Standard output, checked: main closes it last and reports a failure. */
static OutFile std_out;

/* Opens path for writing (through outfile.h), or says why it cannot. */
static bool open_output(OutFile *o, const char *path) {
  if (outfile_open(o, path)) return true;
  fprintf(stderr, "%s: cannot write %s: %s\n", prog_name, path, strerror(o->err));
  return false;
}

/* Finishes an output; false, having said why, when anything written to it
   failed.  The file then holds what it held before. */
static bool close_output(OutFile *o) {
  if (outfile_close(o)) return true;
  fprintf(stderr, "%s: cannot write %s: %s\n", prog_name, o->name, strerror(o->err));
  return false;
}

/* True, having said so, when output (given with option opt) is the same
   file as one of the inputs or one of p's source files: writing it would
   destroy what is being read.  Compared by device and inode, so another
   spelling or a hard link is caught; only regular files, since /dev/stdin
   and /dev/stdout may well be the same terminal. */
static bool output_is_input(const char *opt, const char *output, const char *const *inputs,
                            int ninputs, const Program *p) {
  struct stat o, in;
  if (stat(output, &o) != 0 || !S_ISREG(o.st_mode)) return false;
  int n = ninputs + (p ? p->nfiles : 0);
  for (int k = 0; k < n; k++) {
    const char *path = k < ninputs ? inputs[k] : p->files[k - ninputs];
    bool std = strcmp(path, "-") == 0;
    if ((std ? fstat(STDIN_FILENO, &in) : stat(path, &in)) != 0) continue;
    if (in.st_dev == o.st_dev && in.st_ino == o.st_ino) {
      fprintf(stderr, "%s: %s %s is the same file as the input %s: refusing to overwrite it\n",
              prog_name, opt, output, std ? "(standard input)" : path);
      return true;
    }
  }
  return false;
}

/* ---- diagnostics ------------------------------------------------------------ */

/* How diagnostics print (--diagnostics), and whether warnings fail (--werror). */
static RbDiagFormat diag_format = RB_DIAG_HUMAN;
static bool werror = false;

/* Human diagnostics go to standard error; JSON and GitHub ones to standard output. */
static void print_diags(const DiagList *dl) {
  rb_diag_print_list(dl, diag_format, prog_name, diag_format == RB_DIAG_HUMAN ? stderr : stdout);
}

/* Compile one program, printing its diagnostics.  Returns 0 when p is
   ready (free it with program_free), EXIT_USAGE when the file itself could
   not be read, EXIT_PROBLEMS for errors in it. */
/* A compiled program file (rubric build) starts with this. */
static bool has_magic(const unsigned char *m, size_t n) {
  return n >= 4 && m[0] == 'R' && m[1] == 'B' && m[2] == 'C' && m[3] == 0x1a;
}

static bool is_bytecode(const char *path) {
  if (strcmp(path, "-") == 0) return false;
  FILE *f = fopen(path, "rb");
  if (!f) return false;
  unsigned char m[4] = {0};
  size_t n = fread(m, 1, 4, f);
  fclose(f);
  return has_magic(m, n);
}

static char *slurp(const char *path, size_t *len);

static int read_bytecode(const char *path, char *data, size_t len, Program *p) {
  char why[512];
  bool ok = bc_read((const unsigned char *)data, len, p, why, sizeof why);
  free(data);
  if (!ok) {
    fprintf(stderr, "%s: %s: %s\n", prog_name, path, why);
    return EXIT_PROBLEMS;
  }
  return 0;
}

static int load_bytecode(const char *path, Program *p) {
  size_t len;
  char *data = slurp(path, &len);
  if (!data) {
    fprintf(stderr, "%s: cannot read %s: %s\n", prog_name, path, strerror(errno));
    return EXIT_USAGE;
  }
  return read_bytecode(path, data, len, p);
}

static int compile(const char *path, Program *p) {
  if (is_bytecode(path)) return load_bytecode(path, p);
  /* Standard input is read whole first: it may be a .rbc (rubric build -o -
     | rubric eval -), which no one can peek at without consuming it. */
  char *text = NULL;
  size_t len = 0;
  if (strcmp(path, "-") == 0) {
    if (!(text = slurp(path, &len))) {
      fprintf(stderr, "%s: cannot read standard input: %s\n", prog_name, strerror(errno));
      return EXIT_USAGE;
    }
    if (has_magic((const unsigned char *)text, len)) return read_bytecode("<stdin>", text, len, p);
  }
  Ast ast;
  DiagList dl;
  diag_init(&dl);
  bool ok = text ? front_compile_text(path, text, len, &ast, &dl, p) : front_compile(path, &ast, &dl, p);
  free(text);
  bool unreadable = dl.head && dl.head->code == R0106 && !dl.head->src;
  print_diags(&dl);
  if (ok && werror && dl.warnings) {   /* --werror: a warning fails like an error */
    program_free(p);
    ok = false;
  }
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
    "  test [PROGRAM...]             run the programs' test blocks\n"
    "  fmt [--check] PROGRAM...      rewrite programs in the canonical layout\n"
    "  diff OLD NEW                  what changed in meaning between two programs\n"
    "  dis PROGRAM                   show the compiled bytecode\n"
    "  build PROGRAM -o FILE.rbc     compile to a bytecode file (any PROGRAM may be one)\n"
    "\n"
    "Options: --help (also after a command), --version; every command that reads\n"
    "a program takes --diagnostics human|json|github and --werror.\n"
    "Exit status: 0 success, 1 problems found, 2 usage or unreadable file.\n"
    "See docs/cli.md.\n";

static const char *const usage_check =
    "usage: rubric check [OPTIONS] PROGRAM...\n"
    "Parse and check each program. Errors print as file:line:col: error: message\n"
    "with the source line and a caret. Exit 0 clean, 1 errors, 2 usage.\n"
    "  --diagnostics FMT     human (default, on stderr), json (one object per line)\n"
    "                        or github (workflow commands), both on stdout\n"
    "  --werror              warnings fail like errors\n"
    "  --summary             print what each category, parameter and track's\n"
    "                        score can reach, and the program's maximum score\n";

static const char *const usage_eval =
    "usage: rubric eval [OPTIONS] PROGRAM [RECORDS...]\n"
    "Score every record of the CSV files (- or none: standard input).\n"
    "  -f, --format FMT      csv (default), jsonl or table\n"
    "  -o, --output FILE     write results to FILE instead of standard output\n"
    "  -s, --set NAME=VALUE  override a param for this run (NAME.KEY=VALUE for keyed)\n"
    "  -c, --columns LIST    write only these columns, in this order (e.g. id,tier,score)\n"
    "  -j, --jobs N          score on N threads (0: one per processor); the output is\n"
    "                        the same bytes, in input order, whatever N is\n"
    "  --all-tiers           list every tier in the closing summary, even those no\n"
    "                        record reached\n"
    "Rejected records are reported on standard error as file:line: field 'x': reason;\n"
    "the run ends with 'N records: S scored, R rejected'. Exit 1 if any was rejected.\n";

static const char *const usage_explain =
    "usage: rubric explain [OPTIONS] PROGRAM RECORDS --id KEY\n"
    "Show one record's derivation: each parameter's raw value, the branch or band\n"
    "row taken, whether its cap bound, category totals and every tier condition.\n"
    "  -i, --id KEY          the record's key (required; once per key field, in order)\n"
    "  -s, --set NAME=VALUE  override a param, as for eval\n";

static const char *const usage_test =
    "usage: rubric test [OPTIONS] [PROGRAM...]\n"
    "Run the programs' test blocks (default: every .rubric file with a test block\n"
    "under this folder). Failures show expected and actual values and the record's\n"
    "derivation; output ends with 'N passed, N failed'. Exit 1 if any test failed.\n"
    "  -v, --verbose         also list the tests that pass\n"
    "  --junit FILE          also write the results as JUnit XML\n"
    "  --tap                 write TAP version 13 instead\n"
    "  --coverage            report the band rows, branches, caps, tiers and tracks\n"
    "                        the tests reached, and those they never did\n"
    "  --min-coverage PCT    fail when a program's coverage is below PCT percent\n";

static const char *const usage_fmt =
    "usage: rubric fmt [--check | --stdout] PROGRAM|FOLDER...\n"
    "Rewrite programs in the canonical layout (folders: every .rubric file in\n"
    "them). Comments stay where they were; the meaning never changes. - reads\n"
    "standard input and writes standard output.\n"
    "  --check               change nothing; print a diff of each file that is not\n"
    "                        formatted and exit 1 if there is one\n"
    "  --stdout              print the formatted text instead of rewriting files\n";

static const char *const usage_diff =
    "usage: rubric diff OLD NEW\n"
    "Say what changed in meaning from program OLD to program NEW: fields, params,\n"
    "points and their caps, band rows, tracks, tiers, badges, benefits, payouts.\n"
    "Layout and comments do not count. Exit 0 when nothing changed, 1 when\n"
    "something did, 2 when a program has errors or cannot be read.\n";

static const char *const usage_build =
    "usage: rubric build PROGRAM -o FILE.rbc\n"
    "Compile a program to a bytecode file that eval, explain, test and dis load\n"
    "without the source. The file carries a format version and a checksum; a\n"
    "loaded file is verified before it runs.\n"
    "  -o, --output FILE     the file to write\n";

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
  const char *output, *columns;
  const char **sets, **ids;
  int nsets, nids;
  bool verbose, traced, tap, coverage, summary, check, to_stdout, all_tiers;
  const char *junit;
  double min_coverage;   /* -1: none */
  int jobs;              /* eval: scoring threads */
} Opts;

static void opts_free(Opts *o) {
  free(o->sets);
  free(o->ids);
}

/* Fills o from argv (defaults first); the caller calls opts_free after. */
static int parse_opts(int argc, char **argv, const char *usage, Opts *o) {
  memset(o, 0, sizeof *o);
  o->format = OUT_CSV;
  o->min_coverage = -1;
  o->jobs = 1;
  o->sets = calloc((size_t)argc + 1, sizeof *o->sets);
  o->ids = calloc((size_t)argc + 1, sizeof *o->ids);
  if (!o->sets || !o->ids) abort();
  static const struct option longopts[] = {
      {"format", required_argument, 0, 'f'}, {"output", required_argument, 0, 'o'},
      {"set", required_argument, 0, 's'},    {"id", required_argument, 0, 'i'},
      {"verbose", no_argument, 0, 'v'},      {"traced", no_argument, 0, 't'},
      {"columns", required_argument, 0, 'c'},
      {"diagnostics", required_argument, 0, 'D'}, {"werror", no_argument, 0, 'W'},
      {"junit", required_argument, 0, 'J'},  {"tap", no_argument, 0, 'T'},
      {"coverage", no_argument, 0, 'C'},     {"min-coverage", required_argument, 0, 'M'},
      {"summary", no_argument, 0, 'S'},
      {"check", no_argument, 0, 'K'},        {"stdout", no_argument, 0, 'P'},
      {"jobs", required_argument, 0, 'j'},   {"all-tiers", no_argument, 0, 'A'},
      {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
  optind = 1;
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, "f:o:s:i:c:j:vth", longopts, NULL)) != -1) {
    switch (c) {
    case 'f':
      if (strcmp(optarg, "csv") == 0) o->format = OUT_CSV;
      else if (strcmp(optarg, "jsonl") == 0) o->format = OUT_JSONL;
      else if (strcmp(optarg, "table") == 0) o->format = OUT_TABLE;
      else return usage_error(usage, "unknown format '%s' (csv, jsonl or table)", optarg);
      break;
    case 'o': o->output = optarg; break;
    case 'c': o->columns = optarg; break;
    case 'j': {
      char *end;
      long n = strtol(optarg, &end, 10);
      if (*end || end == optarg || n < 0 || n > 256)
        return usage_error(usage, "--jobs takes a number from 0 (one per processor) to 256, not '%s'", optarg);
      if (n == 0) n = sysconf(_SC_NPROCESSORS_ONLN);
      o->jobs = n < 1 ? 1 : n > 256 ? 256 : (int)n;
      break;
    }
    case 'D':
      if (!rb_diag_format_parse(optarg, &diag_format))
        return usage_error(usage, "unknown diagnostics format '%s' (human, json or github)", optarg);
      break;
    case 'W': werror = true; break;
    case 'J': o->junit = optarg; break;
    case 'T': o->tap = true; break;
    case 'S': o->summary = true; break;
    case 'A': o->all_tiers = true; break;
    case 'K': o->check = true; break;
    case 'P': o->to_stdout = true; break;
    case 'C': o->coverage = true; break;
    case 'M': {
      char *end;
      o->min_coverage = strtod(optarg, &end);
      if (end == optarg || *end || o->min_coverage < 0 || o->min_coverage > 100)
        return usage_error(usage, "--min-coverage takes a percentage from 0 to 100, not '%s'", optarg);
      break;
    }
    case 's': o->sets[o->nsets++] = optarg; break;   /* at most argc of them */
    case 'i': o->ids[o->nids++] = optarg; break;
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

static void reach_text(Reach r, char *buf, size_t n) {
  char lo[DEC_FMT_MAX], hi[DEC_FMT_MAX];
  if (r.has_lo) dec_format(r.lo, lo); else strcpy(lo, "unbounded");
  if (r.has_hi) dec_format(r.hi, hi); else strcpy(hi, "unbounded");
  snprintf(buf, n, "%s .. %s", lo, hi);
}

/* What each track's categories, points and score can reach. */
static void print_reach(const Program *p, FILE *out) {
  char buf[2 * DEC_FMT_MAX + 16];
  Reach best = {false, true, 0, 0};
  bool first = true;
  for (int t = 0; t < p->ntracks; t++) {
    const TrackInfo *ti = &p->tracks[t];
    reach_text(ti->reach, buf, sizeof buf);
    if (p->implicit_track) fprintf(out, "  score %s\n", buf);
    else fprintf(out, "  track %s \"%s\": score %s\n", ti->name, ti->title ? ti->title : "", buf);
    if (first || !ti->reach.has_hi || (best.has_hi && ti->reach.hi > best.hi)) best = ti->reach;
    first = false;
    const char *indent = p->implicit_track ? "    " : "      ";
    for (int i = 0; i < ti->ncats; i++) {
      const SlotInfo *c = &p->slots[ti->cats[i]];
      reach_text(c->reach, buf, sizeof buf);
      fprintf(out, "%.*s%s: %s\n", (int)strlen(indent) - 2, indent, c->name, buf);
      for (int s = 0; s < p->npoints; s++)
        if (p->slots[s].category == ti->cats[i]) {
          reach_text(p->slots[s].reach, buf, sizeof buf);
          fprintf(out, "%s%s: %s\n", indent, p->slots[s].name, buf);
        }
    }
  }
  if (best.has_hi) {
    char hi[DEC_FMT_MAX];
    dec_format(best.hi, hi);
    fprintf(out, "  maximum score: %s\n", hi);
  } else {
    fputs("  maximum score: unbounded\n", out);
  }
}

static int cmd_check(int argc, char **argv) {
  Opts o;
  int r = parse_opts(argc, argv, usage_check, &o);
  opts_free(&o);   /* only the flags are used below */
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
    if (diag_format == RB_DIAG_HUMAN)
      printf("%s: ok (%d field%s, %d points in %d categor%s, %d tier%s, %d test%s)\n", argv[i],
           p.nfields, p.nfields == 1 ? "" : "s", p.npoints, p.ncategories,
           p.ncategories == 1 ? "y" : "ies", p.ntiers, p.ntiers == 1 ? "" : "s", p.ntests,
           p.ntests == 1 ? "" : "s");
    if (o.summary && diag_format == RB_DIAG_HUMAN) print_reach(&p, stdout);
    program_free(&p);
  }
  return status;
}

/* ---- records ---------------------------------------------------------------- */

/* One record at a time through a machine: for explain, which looks for
   one record.  eval streams through stream.c instead. */
typedef struct Run {
  const Program *prog;
  VmCtx vm;
  Row row;
  bool fatal;
} Run;

/* Streams one file of records through fn, which gets each valid row. */
typedef bool (*RowFn)(Run *run, const CsvReader *r, void *arg);

static void each_record(Run *run, const char *path, RowFn fn, void *arg) {
  const Program *p = run->prog;
  RecordsFile f;
  if (!records_open(&f, prog_name, p, path)) {
    run->fatal = true;
    return;
  }
  char why[REC_WHY_MAX];
  while (csv_next(&f.r)) {
    int field;
    if (!rec_validate(p, &f.r, &f.map, &run->row, &field, why)) {
      report_reject(stderr, p, &f.r, field, why);
      continue;
    }
    if (!fn(run, &f.r, arg)) break;
  }
  records_close(&f);
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

/* The run's reconciliation, then how many records each track placed in
   each tier, and what payouts cost.  Each scored record is counted once,
   under its own track, so the placements add up to the records scored.
   Tiers no record reached are left out unless all_tiers. */
static void print_summary(const Program *p, const Tally *run, bool all_tiers) {
  fprintf(stderr, "%ld record%s: %ld scored, ", run->read, run->read == 1 ? "" : "s", run->scored);
  if (!p->implicit_track) fprintf(stderr, "%ld unassigned, ", run->unassigned);
  fprintf(stderr, "%ld rejected\n", run->rejected);
  if (p->ntiers && (run->scored || all_tiers)) {
    fputs("tiers:", stderr);
    int k = 0;
    for (int t = 0; t < p->ntracks; t++) {
      const TrackInfo *tr = &p->tracks[t];
      for (int i = 0; i <= tr->ntiers; i++) {
        int tier = i < tr->ntiers ? tr->tiers[i] : p->ntiers;
        long n = tally_placed(run, p, t, tier);
        if (!n && (!all_tiers || tier == p->ntiers)) continue;
        const char *name = tier < p->ntiers ? p->tiers[tier].name : "no tier";
        if (p->implicit_track) fprintf(stderr, "%s %s %ld", k++ ? "," : "", name, n);
        else fprintf(stderr, "%s %s/%s %ld", k++ ? "," : "", tr->name, name, n);
      }
    }
    putc('\n', stderr);
  }
  if (p->npayouts) {
    fputs("payouts:", stderr);
    for (int i = 0; i < p->npayouts; i++) {
      char buf[DEC_FMT_MAX];
      Dec total;
      if (dec_sum_result(run->payout_totals[i], &total) == DEC_OK) dec_format(total, buf);
      else snprintf(buf, sizeof buf, "(too large to add up)");
      fprintf(stderr, "%s %s %s", i ? "," : "", p->slots[p->first_payout + i].name, buf);
    }
    putc('\n', stderr);
  }
}

/* ---- eval ------------------------------------------------------------------- */

static int cmd_eval(int argc, char **argv) {
  Opts o;
  int r = parse_opts(argc, argv, usage_eval, &o);
  if (r < 0 && optind >= argc) r = usage_error(usage_eval, "%s", "no program given");
  Program p;
  if (r < 0) { int st = compile(argv[optind], &p); if (st) r = st; }
  if (r >= 0) { opts_free(&o); return r; }
  VmCtx vm;   /* holds the params as --set leaves them; workers copy them */
  Tally run;
  int status = 0;
  if (!vm_init(&vm, &p) || !tally_init(&run, &p)) abort();
  if (!apply_sets(&vm, &o)) { status = EXIT_USAGE; goto done; }
  static const char *const standard_input[] = {"-"};
  const char *const *paths = optind + 1 < argc ? (const char *const *)argv + optind + 1 : standard_input;
  int npaths = optind + 1 < argc ? argc - optind - 1 : 1;
  /* -o: a temporary file renamed over FILE when the run is complete, so
     FILE never holds part of the results (outfile.h). */
  OutFile named, *out = &std_out;
  if (o.output && (output_is_input("-o", o.output, (const char *const *)argv + optind, 1, &p) ||
                   output_is_input("-o", o.output, paths, npaths, NULL) ||
                   !open_output(out = &named, o.output))) {
    status = EXIT_USAGE;
    goto done;
  }
  Writer w;
  char why[2048];
  if (!out_begin(&w, &p, o.format, out->f, o.columns, why, sizeof why)) {
    fprintf(stderr, "%s: --columns: %s\n", prog_name, why);
    if (out != &std_out) outfile_discard(out);
    status = EXIT_USAGE;
    goto done;
  }
  stream_eval(prog_name, &p, &w, vm.params, paths, npaths, o.jobs, stderr, &run);
  out_end(&w);
  /* A records file that cannot be read leaves the results short: -o keeps
     FILE as it was.  A failed write says so instead of the summary, whose
     counts the output would not hold. */
  bool written;
  if (out == &std_out) written = outfile_flush(out);   /* main says why */
  else if (run.fatal) { outfile_discard(out); written = true; }
  else written = close_output(out);
  if (!written) { status = EXIT_USAGE; goto done; }
  print_summary(&p, &run, o.all_tiers);
  status = run.fatal ? EXIT_USAGE : run.rejected ? EXIT_PROBLEMS : 0;
done:
  tally_free(&run);
  vm_free(&vm);
  program_free(&p);
  opts_free(&o);
  return status;
}

/* ---- explain ---------------------------------------------------------------- */

typedef struct Explain { const char *const *ids; int nids; bool found; int status; } Explain;

static bool explain_row(Run *run, const CsvReader *r, void *arg) {
  Explain *x = arg;
  const Program *p = run->prog;
  if (!rb_explain_key_matches(p, &run->row, x->ids, x->nids)) return true;
  x->found = true;
  VmStatus st = rb_explain_record(p, &run->vm, &run->row, r->name, r->rec_line, stdout);
  if (st != VM_OK) {
    report_vm_error(stderr, p, r, &run->row, &run->vm, st);
    x->status = EXIT_PROBLEMS;
  }
  return false;
}

static int cmd_explain(int argc, char **argv) {
  Opts o;
  int r = parse_opts(argc, argv, usage_explain, &o);
  if (r < 0 && (argc - optind != 2 || !o.nids))
    r = usage_error(usage_explain, "%s", "give a program, a records file and --id KEY");
  Program p;
  if (r < 0) { int st = compile(argv[optind], &p); if (st) r = st; }
  int required = 0;
  if (r < 0)
    for (int k = 0; k < p.nkeys; k++) required += !p.fields[p.keys[k]].optional;
  if (r < 0 && (o.nids < required || o.nids > p.nkeys)) {
    char msg[96];
    snprintf(msg, sizeof msg, "the record has %d key field%s: give --id once for each, in order",
             p.nkeys, p.nkeys == 1 ? "" : "s");
    r = usage_error(usage_explain, "%s", msg);
    program_free(&p);
  }
  if (r >= 0) { opts_free(&o); return r; }
  Run run;
  if (!run_init(&run, &p)) abort();
  Explain x = {.ids = o.ids, .nids = o.nids};
  int status = 0;
  if (!apply_sets(&run.vm, &o)) status = EXIT_USAGE;
  else {
    each_record(&run, argv[optind + 1], explain_row, &x);
    if (run.fatal) status = EXIT_USAGE;
    else if (!x.found) {
      fprintf(stderr, "%s: no valid record with key '", prog_name);
      for (int i = 0; i < o.nids; i++) fprintf(stderr, "%s%s", i ? "/" : "", o.ids[i]);
      fprintf(stderr, "' in %s\n", argv[optind + 1]);
      status = EXIT_PROBLEMS;
    } else status = x.status;
  }
  run_free(&run);
  program_free(&p);
  opts_free(&o);
  return status;
}

/* ---- test ------------------------------------------------------------------- */

/* Loads and tests one program; true when it could not be read. */
static bool test_program(RbTestRun *tr, const char *file, FILE *out) {
  Program p;
  int cst = compile(file, &p);
  if (cst) {
    rb_test_unloaded(tr, file, cst == EXIT_USAGE ? "the program cannot be read" : "the program does not compile");
    return cst == EXIT_USAGE;
  }
  rb_test_program(tr, file, &p, out);
  program_free(&p);
  return false;
}

/* ---- discovery: every .rubric file with a test block, under a folder ---- */

typedef struct PathList { char **v; int n, cap; } PathList;

static bool has_test_block(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return false;
  char line[4096];
  bool found = false;
  while (!found && fgets(line, sizeof line, f)) {
    const char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    if (strncmp(p, "test", 4) == 0 && (p[4] == ' ' || p[4] == '\t')) {
      p += 4;
      while (*p == ' ' || *p == '\t') p++;
      found = *p == '"';
    }
  }
  fclose(f);
  return found;
}

static int cmp_paths(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void path_add(PathList *l, const char *path) {
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 16;
    l->v = realloc(l->v, (size_t)l->cap * sizeof *l->v);
    if (!l->v) abort();
  }
  l->v[l->n] = strdup(strncmp(path, "./", 2) == 0 && path[2] ? path + 2 : path);
  if (!l->v[l->n]) abort();
  l->n++;
}

/* Folders are walked at most this deep: deeper is a mistake, not a program tree. */
#define WALK_MAX_DEPTH 32

/* A walk over folders of programs.  Every file and folder is visited once,
   by device and inode, so a link loop (sub/up -> ..) or two links to one
   program cannot make a command see a program twice. */
typedef struct Walk {
  PathList *out;
  bool tests_only;           /* keep only files with a test block (rubric test) */
  struct { dev_t dev; ino_t ino; } *seen;
  int nseen, cap;
} Walk;

static bool first_visit(Walk *w, const struct stat *st) {
  for (int i = 0; i < w->nseen; i++)
    if (w->seen[i].dev == st->st_dev && w->seen[i].ino == st->st_ino) return false;
  if (w->nseen == w->cap) {
    w->cap = w->cap ? w->cap * 2 : 64;
    w->seen = realloc(w->seen, (size_t)w->cap * sizeof *w->seen);
    if (!w->seen) abort();
  }
  w->seen[w->nseen].dev = st->st_dev;
  w->seen[w->nseen].ino = st->st_ino;
  w->nseen++;
  return true;
}

/* Adds path to w->out: a file named on the command line as it is, a folder
   as the .rubric files under it (hidden entries and build/ left out), in
   name order.  False if path cannot be read. */
static bool walk(Walk *w, const char *path, int depth, bool named) {
  struct stat st;
  if (strcmp(path, "-") == 0) { path_add(w->out, path); return true; }
  if (stat(path, &st) != 0) return false;
  if (!first_visit(w, &st)) return true;
  if (!S_ISDIR(st.st_mode)) {
    size_t len = strlen(path);
    bool program = len >= 7 && strcmp(path + len - 7, ".rubric") == 0;
    if (named || (program && (!w->tests_only || has_test_block(path)))) path_add(w->out, path);
    return true;
  }
  if (depth >= WALK_MAX_DEPTH) return true;
  DIR *d = opendir(path);
  if (!d) return false;
  PathList entries = {0};
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.' || strcmp(e->d_name, "build") == 0) continue;
    char sub[4096];
    int n = snprintf(sub, sizeof sub, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", e->d_name);
    if (n > 0 && (size_t)n < sizeof sub) path_add(&entries, sub);
  }
  closedir(d);
  qsort(entries.v, (size_t)entries.n, sizeof *entries.v, cmp_paths);
  for (int i = 0; i < entries.n; i++) {
    walk(w, entries.v[i], depth + 1, false);
    free(entries.v[i]);
  }
  free(entries.v);
  return true;
}

static bool write_junit(const RbTestRun *tr, const char *path) {
  OutFile xml;
  if (!open_output(&xml, path)) return false;
  rb_test_write_junit(tr, xml.f);
  return close_output(&xml);
}

static int cmd_test(int argc, char **argv) {
  Opts o;
  int r = parse_opts(argc, argv, usage_test, &o);
  opts_free(&o);
  if (r >= 0) return r;
  PathList files = {0};
  Walk w = {.out = &files, .tests_only = true};
  if (optind < argc) {   /* a file as named (the runner says if it cannot be read); a folder walked */
    for (int i = optind; i < argc; i++)
      if (!walk(&w, argv[i], 0, true)) path_add(&files, argv[i]);
  } else {
    walk(&w, ".", 0, false);
    qsort(files.v, (size_t)files.n, sizeof *files.v, cmp_paths);
    if (!files.n) fprintf(stderr, "%s: no .rubric file with a test block under this folder\n", prog_name);
  }
  free(w.seen);
  if (o.junit && output_is_input("--junit", o.junit, (const char *const *)files.v, files.n, NULL)) {
    for (int i = 0; i < files.n; i++) free(files.v[i]);
    free(files.v);
    return EXIT_USAGE;
  }
  RbTestRun tr;
  rb_test_init(&tr, o.coverage, o.min_coverage);
  bool unreadable = false;
  for (int i = 0; i < files.n; i++)
    if (test_program(&tr, files.v[i], o.tap ? stderr : stdout)) unreadable = true;
  if (o.tap) rb_test_write_tap(&tr, stdout);
  else rb_test_write_report(&tr, o.verbose, stdout);
  bool junit_failed = o.junit && !write_junit(&tr, o.junit);
  int status = unreadable || junit_failed ? EXIT_USAGE
             : tr.failed || tr.below_coverage || !files.n ? EXIT_PROBLEMS : 0;
  rb_test_free(&tr);
  for (int i = 0; i < files.n; i++) free(files.v[i]);
  free(files.v);
  return status;
}

/* ---- fmt -------------------------------------------------------------------- */

static char *slurp(const char *path, size_t *len) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  if (!buf) abort();
  size_t got;
  while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      buf = realloc(buf, cap *= 2);
      if (!buf) abort();
    }
  }
  /* A folder opens but does not read (EISDIR): say so, not "empty". */
  int bad = ferror(f) ? errno : 0;
  if (f != stdin) fclose(f);
  if (bad) {
    free(buf);
    errno = bad;
    return NULL;
  }
  *len = n;
  return buf;
}

typedef struct Lines { const char **p; int *n; int count; } Lines;

static Lines split_lines(const char *s, size_t len) {
  Lines l = {0};
  int cap = 64;
  l.p = malloc(sizeof *l.p * (size_t)cap);
  l.n = malloc(sizeof *l.n * (size_t)cap);
  if (!l.p || !l.n) abort();
  for (size_t i = 0; i < len;) {
    size_t j = i;
    while (j < len && s[j] != '\n') j++;
    if (l.count == cap) {
      cap *= 2;
      l.p = realloc(l.p, sizeof *l.p * (size_t)cap);
      l.n = realloc(l.n, sizeof *l.n * (size_t)cap);
      if (!l.p || !l.n) abort();
    }
    l.p[l.count] = s + i;
    l.n[l.count++] = (int)(j - i);
    i = j + 1;
  }
  return l;
}

static bool same_line(const Lines *a, int i, const Lines *b, int j) {
  return a->n[i] == b->n[j] && memcmp(a->p[i], b->p[j], (size_t)a->n[i]) == 0;
}

/* A unified diff of old against new (longest common subsequence; two
   lines of context).  Very large inputs get the first difference only. */
static void print_diff(const char *name, const char *old, size_t oldlen, const char *new, size_t newlen) {
  Lines a = split_lines(old, oldlen), b = split_lines(new, newlen);
  int n = a.count, m = b.count;
  printf("--- %s\n+++ %s (formatted)\n", name, name);
  if ((long long)(n + 1) * (m + 1) > 16000000) {
    int i = 0;
    while (i < n && i < m && same_line(&a, i, &b, i)) i++;
    printf("@@ the first difference is at line %d @@\n", i + 1);
    goto done;
  }
  {
    int *lcs = calloc((size_t)(n + 1) * (size_t)(m + 1), sizeof *lcs);
    if (!lcs) abort();
#define L(i, j) lcs[(size_t)(i) * (size_t)(m + 1) + (size_t)(j)]
    for (int i = n - 1; i >= 0; i--)
      for (int j = m - 1; j >= 0; j--)
        L(i, j) = same_line(&a, i, &b, j) ? L(i + 1, j + 1) + 1
                : L(i + 1, j) > L(i, j + 1) ? L(i + 1, j) : L(i, j + 1);
    /* Walk the edit script; print hunks of changes with context. */
    enum { CONTEXT = 2 };
    int i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && same_line(&a, i, &b, j)) { i++; j++; continue; }
      int hi = i - CONTEXT < 0 ? 0 : i - CONTEXT, hj = j - (i - hi);
      /* Find the hunk's end: CONTEXT*2 equal lines in a row, or the end. */
      int ei = i, ej = j, run = 0;
      while (ei < n || ej < m) {
        if (ei < n && ej < m && same_line(&a, ei, &b, ej)) {
          if (++run > 2 * CONTEXT) break;
          ei++; ej++;
        } else {
          run = 0;
          if (ej < m && (ei >= n || L(ei, ej + 1) >= L(ei + 1, ej))) ej++;
          else ei++;
        }
      }
      int ti = ei - (run > CONTEXT ? run - CONTEXT : 0), tj = ej - (run > CONTEXT ? run - CONTEXT : 0);
      if (run > 2 * CONTEXT) { ti = ei - CONTEXT; tj = ej - CONTEXT; }
      printf("@@ -%d,%d +%d,%d @@\n", hi + 1, ti - hi, hj + 1, tj - hj);
      int x = hi, y = hj;
      while (x < ti || y < tj) {
        if (x < ti && y < tj && same_line(&a, x, &b, y)) { printf(" %.*s\n", a.n[x], a.p[x]); x++; y++; }
        else if (y < tj && (x >= ti || L(x, y + 1) >= L(x + 1, y))) { printf("+%.*s\n", b.n[y], b.p[y]); y++; }
        else { printf("-%.*s\n", a.n[x], a.p[x]); x++; }
      }
      i = ti;
      j = tj;
    }
#undef L
    free(lcs);
  }
done:
  free(a.p); free(a.n); free(b.p); free(b.n);
}

typedef struct FmtRun { bool check, to_stdout; int changed, failed; } FmtRun;

static void fmt_file(FmtRun *fr, const char *path) {
  size_t len;
  char *text = slurp(path, &len);
  if (!text) {
    fprintf(stderr, "%s: cannot read %s: %s\n", prog_name, path, strerror(errno));
    fr->failed = EXIT_USAGE;
    return;
  }
  DiagList dl;
  diag_init(&dl);
  char *out = fmt_source(path, text, len, &dl);
  if (!out) {
    /* Print with the source alive: the diagnostics point into a copy the
       formatter freed, so re-parse for the message. */
    Ast ast;
    DiagList dl2;
    diag_init(&dl2);
    ast_init(&ast, &dl2);
    parse_source(&ast, ast_source(&ast, path, text, len));
    print_diags(&dl2);
    ast_free(&ast);
    diag_free(&dl2);
    if (!fr->failed) fr->failed = EXIT_PROBLEMS;
  } else if (fr->to_stdout || strcmp(path, "-") == 0) {
    fputs(out, stdout);
  } else if (strlen(out) != len || memcmp(out, text, len) != 0) {
    fr->changed++;
    if (fr->check) {
      print_diff(path, text, len, out, strlen(out));
    } else {
      /* Never in place: a temporary file renamed over the program when
         all of it is on disk (outfile.h), so a full disk leaves it whole. */
      OutFile f;
      if (!open_output(&f, path)) {
        fr->failed = EXIT_USAGE;
      } else {
        fputs(out, f.f);
        if (close_output(&f)) printf("formatted %s\n", path);
        else fr->failed = EXIT_USAGE;
      }
    }
  }
  free(out);
  free(text);
  diag_free(&dl);
}

/* Formats a file, or every .rubric file under a folder, each once. */
static void fmt_path(FmtRun *fr, Walk *w, const char *path) {
  PathList files = {0};
  w->out = &files;
  if (!walk(w, path, 0, true)) path_add(&files, path);   /* fmt_file says why it cannot be read */
  for (int i = 0; i < files.n; i++) {
    fmt_file(fr, files.v[i]);
    free(files.v[i]);
  }
  free(files.v);
}

static int cmd_fmt(int argc, char **argv) {
  Opts o;
  int r = parse_opts(argc, argv, usage_fmt, &o);
  opts_free(&o);
  if (r >= 0) return r;
  if (optind >= argc) return usage_error(usage_fmt, "%s", "give programs or folders to format");
  FmtRun fr = {.check = o.check, .to_stdout = o.to_stdout};
  Walk w = {0};
  for (int i = optind; i < argc; i++) fmt_path(&fr, &w, argv[i]);
  free(w.seen);
  if (fr.failed) return fr.failed;
  if (fr.check && fr.changed) {
    fprintf(stderr, "%d file%s not formatted: run rubric fmt on %s\n", fr.changed,
            fr.changed == 1 ? " is" : "s are", fr.changed == 1 ? "it" : "them");
    return EXIT_PROBLEMS;
  }
  return 0;
}

/* ---- diff ------------------------------------------------------------------- */

static int cmd_diff(int argc, char **argv) {
  Opts o;
  int r = parse_opts(argc, argv, usage_diff, &o);
  opts_free(&o);
  if (r >= 0) return r;
  if (argc - optind != 2) return usage_error(usage_diff, "%s", "give the old and the new program");
  Ast ast[2];
  DiagList dl[2];
  Checker ck[2];
  bool ok[2];
  for (int i = 0; i < 2; i++) {
    diag_init(&dl[i]);
    ok[i] = front_check(argv[optind + i], &ast[i], &dl[i], &ck[i]);
    print_diags(&dl[i]);
  }
  int status;
  if (!ok[0] || !ok[1]) {
    status = EXIT_USAGE;
  } else {
    int n = pd_compare(&ck[0], &ck[1], stdout);
    status = n ? EXIT_PROBLEMS : 0;
  }
  for (int i = 0; i < 2; i++) {
    chk_free(&ck[i]);
    ast_free(&ast[i]);
    diag_free(&dl[i]);
  }
  return status;
}

/* ---- build ------------------------------------------------------------------ */

static int cmd_build(int argc, char **argv) {
  Opts o;
  int r = parse_opts(argc, argv, usage_build, &o);
  opts_free(&o);
  if (r >= 0) return r;
  if (argc - optind != 1 || !o.output)
    return usage_error(usage_build, "%s", "give one program and -o FILE.rbc");
  Program p;
  int st = compile(argv[optind], &p);
  if (st) return st;
  /* Written to a temporary file renamed over FILE at the end (outfile.h):
     a failed build leaves FILE as it was, never a truncated .rbc. */
  OutFile out;
  bool ok = !output_is_input("-o", o.output, (const char *const *)argv + optind, 1, &p) &&
            open_output(&out, o.output);
  if (ok) {
    if (!bc_write(&p, out.f)) {
      outfile_discard(&out);
      fprintf(stderr, "%s: cannot write %s: %s\n", prog_name, o.output, strerror(out.err ? out.err : EIO));
      ok = false;
    } else {
      ok = close_output(&out);
    }
  }
  program_free(&p);
  return ok ? 0 : EXIT_USAGE;
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
      {"test", cmd_test},   {"dis", cmd_dis},         {"fmt", cmd_fmt},
      {"diff", cmd_diff},   {"build", cmd_build}};
  if (argc < 2) { fputs(usage_main, stderr); return EXIT_USAGE; }
  outfile_stdout(&std_out);
  int status = -1;
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
    fputs(usage_main, stdout);
    status = 0;
  } else if (strcmp(argv[1], "--version") == 0) {
    printf("rubric %s\n", RUBRIC_VERSION);
    status = 0;
  }
  for (size_t i = 0; status < 0 && i < sizeof cmds / sizeof *cmds; i++)
    if (strcmp(argv[1], cmds[i].name) == 0) status = cmds[i].fn(argc - 1, argv + 1);
  if (status < 0) {
    fprintf(stderr, "%s: unknown command '%s'\n%s", prog_name, argv[1], usage_main);
    status = EXIT_USAGE;
  }
  /* Every command's standard output is checked here, once; a failure to
     write standard error can be told to no one, but still fails the run. */
  if (!close_output(&std_out)) status = EXIT_USAGE;
  if ((fflush(stderr) != 0 || ferror(stderr)) && status < EXIT_USAGE) status = EXIT_USAGE;
  return status;
}

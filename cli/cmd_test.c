/*
** cmd_test.c — `rubric test`: find the programs (named, or every .rubric
** file with a test block under this folder), load each, run its test
** blocks through the test runner (api/testrun.c) and write the report,
** TAP, and JUnit XML to a file.
*/
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "compile.h"
#include "testrun.h"

static const char *const usage =
    "usage: rubric test [OPTIONS] [PROGRAM...]\n"
    "Run the programs' test blocks (default: every .rubric file with a test block\n"
    "under this folder). Failures show expected and actual values and the record's\n"
    "derivation; output ends with 'N passed, N failed'. Exit 1 if any test failed.\n"
    "  -v, --verbose         also list the tests that pass\n"
    "  --junit FILE          also write the results as JUnit XML\n"
    "  --tap                 write TAP version 13 instead\n"
    "  --coverage            report the band rows, branches, caps, tiers and tracks\n"
    "                        the tests reached, and those they never did\n"
    "  --min-coverage PCT    fail when a program's coverage is below PCT percent\n"
    "  --as-of DATE          run the tests as of DATE (default: a fixed period's end);\n"
    "                        needed by a program whose period is relative to as_of\n"
    "  --diagnostics FORMAT  human (default); json or github: each failure as one\n"
    "                        JSON object or GitHub annotation on standard output,\n"
    "                        the rest of the report on standard error\n";

enum { OPT_JUNIT = CLI_OPT_OWN, OPT_TAP, OPT_COVERAGE, OPT_MIN_COVERAGE };

typedef struct TestOpts {
  StreamActs acts;       /* --as-of only */
  bool verbose, tap, coverage;
  double min_coverage;   /* -1: none */
  const char *junit;
} TestOpts;

/* Fills o from argv; -1 to go on, else an exit status. */
static int parse(int argc, char **argv, TestOpts *o) {
  static const struct option longopts[] = {
      {"verbose", no_argument, 0, 'v'},      {"junit", required_argument, 0, OPT_JUNIT},
      {"tap", no_argument, 0, OPT_TAP},      {"coverage", no_argument, 0, OPT_COVERAGE},
      {"min-coverage", required_argument, 0, OPT_MIN_COVERAGE},
      {"as-of", required_argument, 0, CLI_OPT_AS_OF},
      CLI_OPTIONS_DIAG, CLI_OPTIONS_HELP,    {0, 0, 0, 0}};
  int c, r;
  while ((c = getopt_long(argc, argv, ":vqh", longopts, NULL)) != -1) {
    switch (c) {
    case 'v': o->verbose = true; break;
    case OPT_JUNIT: o->junit = optarg; break;
    case OPT_TAP: o->tap = true; break;
    case OPT_COVERAGE: o->coverage = true; break;
    case OPT_MIN_COVERAGE: {
      char *end;
      o->min_coverage = strtod(optarg, &end);
      if (end == optarg || *end || o->min_coverage < 0 || o->min_coverage > 100)
        return cli_usage_error(usage, "--min-coverage takes a percentage from 0 to 100, not '%s'", optarg);
      break;
    }
    case CLI_OPT_AS_OF:
      if (cli_acts_option(&o->acts, usage, c, optarg) < 0) return EXIT_USAGE;
      break;
    default:
      if ((r = cli_option("test", usage, c, argc, argv)) >= 0) return r;
    }
  }
  if (o->tap && cli_diag_format != RB_DIAG_HUMAN)
    return cli_usage_error(usage, "%s", "--tap and --diagnostics json or github both want standard output");
  return -1;
}

/* A program that does not load, its diagnostics as people read them,
   for the JUnit report (cli_load printed them as --diagnostics says).
   Compiling it again is the price of leaving cli_load alone; it happens
   only for a program that failed.  The caller frees. */
static char *diagnostics_text(const char *file) {
  Ast ast;
  DiagList dl;
  Program p;
  diag_init(&dl);
  if (front_compile(file, &ast, &dl, &p)) program_free(&p);
  char *text = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&text, &len);
  if (!m) abort();
  rb_diag_print_list(&dl, RB_DIAG_HUMAN, cli_name, m);
  fclose(m);
  ast_free(&ast);
  diag_free(&dl);
  return text;
}

/* Loads and tests one program, coverage to out; true when it could not be read. */
static bool test_program(RbTestRun *tr, const char *file, FILE *out) {
  Program p;
  int st = cli_load(file, &p);
  if (st) {
    /* Standard input is gone, and a .rbc file is no source to compile. */
    size_t n = strlen(file);
    bool source = strcmp(file, "-") != 0 && !(n > 4 && strcmp(file + n - 4, ".rbc") == 0);
    char *diags = source ? diagnostics_text(file) : NULL;
    rb_test_unloaded(tr, file, st == EXIT_USAGE ? "the program cannot be read" : "the program does not compile",
                     diags);
    free(diags);
    return st == EXIT_USAGE;
  }
  rb_test_program(tr, file, &p, out);
  program_free(&p);
  return false;
}

static bool write_junit(const RbTestRun *tr, const char *path) {
  OutFile xml;
  if (!cli_open_output(&xml, path)) return false;
  rb_test_write_junit(tr, xml.f);
  return cli_close_output(&xml);
}

int cmd_test(int argc, char **argv) {
  TestOpts o = {.min_coverage = -1};
  int status = parse(argc, argv, &o);
  if (status >= 0) return status;
  PathList files = {0};
  Walk w = {.out = &files, .tests_only = true};
  if (optind < argc) {   /* a file as named (the runner says if it cannot be read); a folder walked */
    for (int i = optind; i < argc; i++)
      if (!cli_walk(&w, argv[i], true)) cli_paths_add(&files, argv[i]);
  } else {
    cli_walk(&w, ".", false);
    cli_paths_sort(&files);
    if (!files.n) fprintf(stderr, "%s: no .rubric file with a test block under this folder\n", cli_name);
  }
  cli_walk_free(&w);
  if (o.junit && cli_output_is_input("--junit", o.junit, (const char *const *)files.v, files.n, NULL)) {
    cli_paths_free(&files);
    return EXIT_USAGE;
  }
  RbTestRun tr;
  rb_test_init(&tr, o.coverage, o.min_coverage);
  tr.has_as_of = o.acts.has_as_of;
  tr.as_of = o.acts.as_of;
  bool unreadable = false;
  /* With --tap, stdout is TAP's alone; with json or github diagnostics,
     it holds the failures (and compile diagnostics) alone. */
  bool machine = cli_diag_format != RB_DIAG_HUMAN;
  FILE *report = o.tap || machine ? stderr : stdout;
  for (int i = 0; i < files.n; i++)
    if (test_program(&tr, files.v[i], report)) unreadable = true;
  if (o.tap) rb_test_write_tap(&tr, stdout);
  else if (!machine) rb_test_write_report(&tr, o.verbose, stdout);
  else {
    if (cli_diag_format == RB_DIAG_JSON) rb_test_write_json(&tr, stdout);
    else rb_test_write_github(&tr, stdout);
    fprintf(stderr, "%ld passed, %ld failed\n", tr.passed, tr.failed);
  }
  bool junit_failed = o.junit && !write_junit(&tr, o.junit);
  status = unreadable || junit_failed ? EXIT_USAGE
         : tr.failed || tr.below_coverage || !files.n ? EXIT_PROBLEMS : 0;
  rb_test_free(&tr);
  cli_paths_free(&files);
  return status;
}

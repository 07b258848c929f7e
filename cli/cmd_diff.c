/*
** cmd_diff.c — `rubric diff`: check two versions of a program and say what
** changed in meaning from the first to the second (lang/progdiff.c), one
** change per line.  With --records, what the change does to those records
** follows: the tables of `rubric compare` (cmd_compare.c).  Status 0 when
** nothing changed, 1 when something did, 2 when a program has errors or a
** file cannot be read, as diff(1) does.
*/
#include <stdlib.h>
#include <string.h>

#include "cmd_compare.h"
#include "common.h"
#include "compile.h"
#include "progdiff.h"

static const char *const usage =
    "usage: rubric diff [OPTIONS] OLD NEW\n"
    "Say what changed in meaning from program OLD to program NEW: fields, params,\n"
    "points and their caps, band rows, tracks, tiers, badges, benefits, payouts.\n"
    "Layout and comments do not count.\n"
    "  -r, --records FILE    then score FILE's records with both and show what moves,\n"
    "                        as rubric compare does (repeatable)\n"
    "  -n, --top N           with --records: list only the N largest moves\n"
    CLI_USAGE_ACTIVITIES
    "Exit 0 when nothing changed, 1 when something did (in the programs or in a\n"
    "record's outcome), 2 when a program has errors or a file cannot be read.\n";

/* The program diff alone; its status. */
static int diff_programs(const char *old, const char *new) {
  const char *path[2] = {old, new};
  Ast ast[2];
  DiagList dl[2];
  Checker ck[2];
  bool ok[2];
  for (int i = 0; i < 2; i++) {
    diag_init(&dl[i]);
    ok[i] = front_check(path[i], &ast[i], &dl[i], &ck[i]);
    cli_print_diags(&dl[i]);
    if (cli_werror && dl[i].warnings) ok[i] = false;   /* a warning fails like an error */
  }
  int status = !ok[0] || !ok[1] ? EXIT_USAGE : pd_compare(&ck[0], &ck[1], stdout) ? EXIT_PROBLEMS : 0;
  for (int i = 0; i < 2; i++) {
    chk_free(&ck[i]);
    ast_free(&ast[i]);
    diag_free(&dl[i]);
  }
  return status;
}

int cmd_diff(int argc, char **argv) {
  static const struct option longopts[] = {
      {"records", required_argument, 0, 'r'}, {"top", required_argument, 0, 'n'},
      CLI_OPTIONS_DIAG, CLI_OPTIONS_HELP, CLI_OPTIONS_ACTS, {0, 0, 0, 0}};
  const char **records = calloc((size_t)argc + 1, sizeof *records);
  if (!records) abort();
  CompareArgs a = {.format = REPORT_TABLE, .top = -1, .records = records};
  int c, r, status = -1;
  while (status < 0 && (c = getopt_long(argc, argv, ":r:n:qh", longopts, NULL)) != -1) {
    if (c == 'r') {
      records[a.nrecords++] = optarg;
    } else if (c == 'n') {
      status = compare_top_option(optarg, usage, &a.top);
    } else if ((r = cli_acts_option(&a.acts, usage, c, optarg)) != 0) {
      if (r < 0) status = EXIT_USAGE;
    } else {
      status = cli_option("diff", usage, c, argc, argv);
    }
  }
  if (status < 0 && argc - optind != 2) status = cli_usage_error(usage, "%s", "give the old and the new program");
  if (status < 0 && a.top >= 0 && !a.nrecords) status = cli_usage_error(usage, "%s", "--top needs --records");
  if (status < 0 && (a.acts.path || a.acts.has_as_of) && !a.nrecords)
    status = cli_usage_error(usage, "%s", "--activities and --as-of go with --records");
  if (status < 0) {
    int stdin_uses = 0;
    for (int i = 0; i < a.nrecords; i++) stdin_uses += strcmp(records[i], "-") == 0;
    /* With --records each program is read twice: by the diff, then to score. */
    for (int i = optind; i < argc; i++) stdin_uses += (strcmp(argv[i], "-") == 0) * (a.nrecords ? 2 : 1);
    if (stdin_uses > 1) status = cli_usage_error(usage, "%s", "standard input (-) can be read only once");
  }
  if (status < 0) {
    status = diff_programs(argv[optind], argv[optind + 1]);
    if (status < EXIT_USAGE && a.nrecords) {
      a.program[0] = argv[optind];
      a.program[1] = argv[optind + 1];
      putchar('\n');
      int impact = compare_programs(&a);
      if (impact > status) status = impact;
    }
  }
  free(records);
  return status;
}

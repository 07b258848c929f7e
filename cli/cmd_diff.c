/*
** cmd_diff.c — `rubric diff`: check two versions of a program and say what
** changed in meaning from the first to the second (lang/progdiff.c), one
** change per line.  Status 0 when nothing changed, 1 when something did, 2
** when a program has errors or cannot be read, as diff(1) does.
*/
#include "common.h"
#include "compile.h"
#include "progdiff.h"

static const char *const usage =
    "usage: rubric diff OLD NEW\n"
    "Say what changed in meaning from program OLD to program NEW: fields, params,\n"
    "points and their caps, band rows, tracks, tiers, badges, benefits, payouts.\n"
    "Layout and comments do not count. Exit 0 when nothing changed, 1 when\n"
    "something did, 2 when a program has errors or cannot be read.\n";

int cmd_diff(int argc, char **argv) {
  static const struct option longopts[] = {CLI_OPTIONS_DIAG, CLI_OPTIONS_HELP, {0, 0, 0, 0}};
  int c, r;
  while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1)
    if ((r = cli_option("diff", usage, c, argc, argv)) >= 0) return r;
  if (argc - optind != 2) return cli_usage_error(usage, "%s", "give the old and the new program");
  Ast ast[2];
  DiagList dl[2];
  Checker ck[2];
  bool ok[2];
  for (int i = 0; i < 2; i++) {
    diag_init(&dl[i]);
    ok[i] = front_check(argv[optind + i], &ast[i], &dl[i], &ck[i]);
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

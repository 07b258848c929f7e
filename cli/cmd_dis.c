/*
** cmd_dis.c — `rubric dis`: print a program's bytecode, annotated
** (runtime/dis.c); --traced prints the variant explain and test run.
*/
#include "common.h"
#include "dis.h"

static const char *const usage =
    "usage: rubric dis [--traced] PROGRAM\n"
    "Print the compiled bytecode, annotated. --traced shows the code explain runs.\n";

int cmd_dis(int argc, char **argv) {
  static const struct option longopts[] = {
      {"traced", no_argument, 0, 't'}, CLI_OPTIONS_DIAG, CLI_OPTIONS_HELP, {0, 0, 0, 0}};
  bool traced = false;
  int c, r;
  while ((c = getopt_long(argc, argv, ":tqh", longopts, NULL)) != -1) {
    if (c == 't') traced = true;
    else if ((r = cli_option("dis", usage, c, argc, argv)) >= 0) return r;
  }
  if (argc - optind != 1) return cli_usage_error(usage, "%s", "give one program");
  Program p;
  int st = cli_load(argv[optind], &p);
  if (st) return st;
  dis_program(&p, traced, stdout);
  program_free(&p);
  return 0;
}

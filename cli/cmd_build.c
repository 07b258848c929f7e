/*
** cmd_build.c — `rubric build`: compile a program to a verified bytecode
** file (runtime/bytecode.c) that every command taking a program loads
** without the source.  The file is written to a temporary file renamed
** over FILE at the end (outfile.h): a failed build leaves FILE as it was,
** never a truncated .rbc.
*/
#include <errno.h>
#include <string.h>

#include "bytecode.h"
#include "common.h"

static const char *const usage =
    "usage: rubric build PROGRAM -o FILE.rbc\n"
    "Compile a program to a bytecode file that eval, explain, test and dis load\n"
    "without the source. The file carries a format version and a checksum; a\n"
    "loaded file is verified before it runs.\n"
    "  -o, --output FILE     the file to write\n";

int cmd_build(int argc, char **argv) {
  static const struct option longopts[] = {
      {"output", required_argument, 0, 'o'}, CLI_OPTIONS_DIAG, CLI_OPTIONS_HELP, {0, 0, 0, 0}};
  const char *output = NULL;
  int c, r;
  while ((c = getopt_long(argc, argv, ":o:qh", longopts, NULL)) != -1) {
    if (c == 'o') output = optarg;
    else if ((r = cli_option("build", usage, c, argc, argv)) >= 0) return r;
  }
  if (argc - optind != 1 || !output)
    return cli_usage_error(usage, "%s", "give one program and -o FILE.rbc");
  Program p;
  int st = cli_load(argv[optind], &p);
  if (st) return st;
  OutFile out;
  bool ok = !cli_output_is_input("-o", output, (const char *const *)argv + optind, 1, &p) &&
            cli_open_output(&out, output);
  if (ok) {
    if (!bc_write(&p, out.f)) {
      outfile_discard(&out);
      fprintf(stderr, "%s: cannot write %s: %s\n", cli_name, output, strerror(out.err ? out.err : EIO));
      ok = false;
    } else {
      ok = cli_close_output(&out);
    }
  }
  program_free(&p);
  return ok ? 0 : EXIT_USAGE;
}

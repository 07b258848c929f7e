/*
** main.c — the rubric binary's entry: finds the command named by the first
** argument in the table of commands (commands.h) and runs it, answers
** --help (the command list, made from the same table) and --version, and
** checks standard output and standard error last, for every command.
**
** Each command parses its own options (cmd_NAME.c); nothing here knows
** what a command takes.
*/
#include <stdio.h>
#include <string.h>

#include "common.h"

#ifndef RUBRIC_VERSION
#define RUBRIC_VERSION "0.1.0"
#endif

typedef struct Command {
  const char *name, *args, *summary;
  int (*run)(int argc, char **argv);
} Command;

static const Command commands[] = {
#define COMMAND(name, args, summary) {#name, args, summary, cmd_##name},
#include "commands.h"
#undef COMMAND
};

/* The help's command list puts summaries in a column this wide after the
   two-space indent; a longer synopsis gets a line of its own. */
enum { SYNOPSIS_WIDTH = 30 };

static void print_usage(FILE *out) {
  fputs("usage: rubric COMMAND [OPTIONS] ...\n\nCommands:\n", out);
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
    char synopsis[128];
    snprintf(synopsis, sizeof synopsis, "%s %s", commands[i].name, commands[i].args);
    if (strlen(synopsis) < SYNOPSIS_WIDTH)
      fprintf(out, "  %-*s%s\n", SYNOPSIS_WIDTH, synopsis, commands[i].summary);
    else
      fprintf(out, "  %s\n  %-*s%s\n", synopsis, SYNOPSIS_WIDTH, "", commands[i].summary);
  }
  fputs("\n"
        "Options: --help (also after a command), --version; every command that reads\n"
        "a program takes --diagnostics human|json|github and --werror.\n"
        "Exit status: 0 success, 1 problems found, 2 usage or unreadable file.\n"
        "See docs/cli.md.\n",
        out);
}

int main(int argc, char **argv) {
  if (argc < 2) { print_usage(stderr); return EXIT_USAGE; }
  outfile_stdout(&cli_stdout);
  int status = -1;
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
    print_usage(stdout);
    status = 0;
  } else if (strcmp(argv[1], "--version") == 0) {
    printf("rubric %s\n", RUBRIC_VERSION);
    status = 0;
  }
  for (size_t i = 0; status < 0 && i < sizeof commands / sizeof *commands; i++)
    if (strcmp(argv[1], commands[i].name) == 0) status = commands[i].run(argc - 1, argv + 1);
  if (status < 0) {
    fprintf(stderr, "%s: unknown command '%s'\n", cli_name, argv[1]);
    print_usage(stderr);
    status = EXIT_USAGE;
  }
  /* Every command's standard output is checked here, once; a failure to
     write standard error can be told to no one, but still fails the run. */
  if (!cli_close_output(&cli_stdout)) status = EXIT_USAGE;
  if ((fflush(stderr) != 0 || ferror(stderr)) && status < EXIT_USAGE) status = EXIT_USAGE;
  return status;
}

/*
** common.h — what the commands of the rubric binary share: exit codes,
** usage errors and the options every command treats alike (--help,
** --diagnostics, --werror), loading a program or a .rbc file, --set,
** checked output files (standard output included), and walking folders
** of programs.
**
** This is the command line: it prints, and it decides exit statuses.  It
** reaches the library through lang/, runtime/ and api/ headers; nothing in
** the library may include a file of cli/.
*/
#ifndef RUBRIC_CLI_COMMON_H
#define RUBRIC_CLI_COMMON_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "diagfmt.h"
#include "outfile.h"
#include "program.h"
#include "vm.h"

/* Exit statuses: 0 success; 1 the input had problems (diagnostics with
   errors, rejected records, failing tests, a record the program could not
   score); 2 the command was misused, or a file could not be read or
   written, or memory ran out (mem.c). */
enum { EXIT_PROBLEMS = 1, EXIT_USAGE = 2 };

/* Every command: int cmd_NAME(int argc, char **argv), argv[0] its name. */
#define COMMAND(name, args, summary) int cmd_##name(int argc, char **argv);
#include "commands.h"
#undef COMMAND

extern const char *const cli_name;   /* "rubric", the start of every message */
extern OutFile cli_stdout;           /* standard output, checked: main closes it last */

/* ---- options ---- */

/* getopt_long values of the options shared by the commands that read
   programs; a command's own long-only options start at CLI_OPT_OWN. */
enum { CLI_OPT_OWN = 0x100, CLI_OPT_DIAGNOSTICS = 0x200, CLI_OPT_WERROR, CLI_OPT_ALLOW, CLI_OPT_SET_FILE,
       CLI_OPT_ACTIVITIES, CLI_OPT_AS_OF, CLI_OPT_SORTED, CLI_OPT_MAX_MEMORY };
#define CLI_OPTIONS_HELP {"help", no_argument, 0, 'h'}
#define CLI_OPTIONS_DIAG \
  {"diagnostics", required_argument, 0, CLI_OPT_DIAGNOSTICS}, {"werror", no_argument, 0, CLI_OPT_WERROR}, \
  {"allow", required_argument, 0, CLI_OPT_ALLOW}, {"quiet", no_argument, 0, 'q'}

/* How diagnostics print (--diagnostics), whether warnings fail (--werror),
   which warnings this run accepts (--allow), and whether only errors print
   (-q).  Warnings are check's business: the other commands print them only
   when --werror makes them fail (cli_show_warnings is set by check). */
extern RbDiagFormat cli_diag_format;
extern bool cli_werror, cli_quiet, cli_show_warnings;

/* What a command's option loop does with an option it has no case of:
   c as getopt_long returned it.  --help prints usage and gives 0;
   --diagnostics and --werror are recorded and give -1 (go on); an option
   the command does not take, or one missing its value, is a usage error
   naming the option and the command (2). */
int cli_option(const char *cmd, const char *usage, int c, int argc, char **argv);
/* More scoring threads than this is a typing mistake, not a machine. */
#define CLI_MAX_JOBS 256
/* Reads -j N (0: one per processor) into *jobs: -1 to go on, or 2 having
   said why the number does not fit. */
int cli_jobs(const char *usage, const char *arg, int *jobs);
/* Reads --within POINTS (targets, report) into *points: -1 to go on, or
   2 having said why it is not a number of points, 0 or more. */
int cli_within(const char *usage, const char *arg, Dec *points);
/* Prints "rubric: MESSAGE", then usage, to standard error; returns 2. */
int cli_usage_error(const char *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- programs ---- */

/* Reads a whole file ("-": standard input); NULL with errno set when it
   cannot be read (a folder included).  The caller frees. */
char *cli_slurp(const char *path, size_t *len);
/* Prints diagnostics as --diagnostics says: people's on standard error,
   machines' on standard output. */
void cli_print_diags(const DiagList *dl);
/* Loads a program (source or .rbc, recognised by its first bytes; "-":
   standard input, which may be either), printing its diagnostics.  0 when
   p is ready (free it with program_free), EXIT_USAGE when the file cannot
   be read, EXIT_PROBLEMS for errors in it (warnings too with --werror). */
int cli_load(const char *path, Program *p);
/* Whether nids --id values can name a record of p (one per key field, in
   order; optional key fields at the end may be left out): -1 if so, else
   a usage error (2), said. */
int cli_check_ids(const Program *p, int nids, const char *usage);
/* "rubric: no valid record with key 'A/B' in PATH" (path NULL: without
   " in PATH"), for --id that found nothing. */
void cli_no_record_with_key(const char *const *ids, int nids, const char *path);
/* Whether the file at path is a compiled program (.rbc), by its first bytes. */
bool cli_is_bytecode(const char *path);
/* Applies --set NAME=VALUE overrides to vm's params (cli_sets_apply);
   false, having said why, when one does not fit. */
bool cli_apply_sets(VmCtx *vm, const char *const *sets, int nsets);

/* ---- params: --set and scenario files ---- */

/* One param setting: from --set NAME=VALUE, or from a line of a scenario
   file (--set-file), whose position messages give. */
/* Whether `NAME=...` (a --set's argument) names a param of p, and its key
   for a keyed one; when not, says so on standard error with the nearest
   names, as --set does.  True for an argument without '=' (the caller
   reports its shape). */
struct Program;
bool cli_param_named(const struct Program *p, const char *arg);

typedef struct CliSet {
  char *name, *value;        /* owned */
  const char *arg;           /* --set's argument as written (NULL from a file) */
  const char *file;          /* the scenario file, NULL for --set */
  int line, col, vcol;       /* in file: the line, the name's and the value's columns */
} CliSet;

/* Settings in the order the command line gave them: a later one of a
   param wins.  Zero it to start; free with cli_sets_free. */
typedef struct CliSets {
  CliSet *v;
  int n, cap;
  char **files;              /* the scenario files' names, owned */
  int nfiles;
} CliSets;

/* The options --set and --set-file, for a command's option table; their
   getopt_long values are 's' and CLI_OPT_SET_FILE. */
#define CLI_OPTIONS_SET {"set", required_argument, 0, 's'}, {"set-file", required_argument, 0, CLI_OPT_SET_FILE}
/* Adds one --set NAME=VALUE; false, having said why, when it is not of
   that form. */
bool cli_sets_add(CliSets *s, const char *arg);
/* Reads a scenario file (--set-file FILE): one `name = value` a line
   (keyed: `name.key = value`), `#` comments and blank lines allowed.
   False, having said why as FILE:LINE:COL: reason, when the file cannot
   be read or a line is not of that form or sets a param it already set.
   The names and values are checked against a program by cli_sets_apply. */
bool cli_sets_read(CliSets *s, const char *path);
/* Handles --set (c 's') and --set-file (CLI_OPT_SET_FILE) in a command's
   option loop: 1 when c was one of them and went well, 0 when it was
   neither, -1 when it was one and failed (said why: status 2). */
int cli_sets_option(CliSets *s, int c, const char *arg);
/* Applies the settings to values, laid out as p->param_values (and
   holding whatever the caller started from), in order.  Each name must
   be a param of p (an unknown one is reported with the nearest names),
   each value must fit the param's type, and together they must keep the
   program's rules (a range not empty, a band's rows rising).  False,
   having said why (for a scenario line, as FILE:LINE:COL), when one does
   not; values may then be half set. */
bool cli_sets_apply(const CliSets *s, const Program *p, int64_t *values);
void cli_sets_free(CliSets *s);

/* ---- activities and the as-of date ---- */

/* The options of every command that reads records: --activities FILE,
   --as-of DATE, --sorted, --max-memory SIZE (docs/cli.md). */
#define CLI_OPTIONS_ACTS \
  {"activities", required_argument, 0, CLI_OPT_ACTIVITIES}, {"as-of", required_argument, 0, CLI_OPT_AS_OF}, \
  {"sorted", no_argument, 0, CLI_OPT_SORTED}, {"max-memory", required_argument, 0, CLI_OPT_MAX_MEMORY}
/* The usage lines that describe them: every command that reads records
   takes the first two; the streaming ones (eval, sweep) all four. */
#define CLI_USAGE_ACTIVITIES \
  "  --activities FILE     the partners' activities (CSV), for the program's aggregates\n" \
  "  --as-of DATE          assess as of DATE: activities after it are ignored\n"
#define CLI_USAGE_ACTS CLI_USAGE_ACTIVITIES \
  "  --sorted              both files are sorted by partner key: merge them in one pass\n" \
  "  --max-memory SIZE     bound the activities held in memory (e.g. 512M, 2G)\n"
#include "stream.h"
/* Handles one of them in a command's option loop: 1 when c was one and
   went well, 0 when it was none, -1 when it was one and failed (said). */
int cli_acts_option(StreamActs *a, const char *usage, int c, const char *arg);
/* Whether the options fit the program: an activity block needs
   --activities and --activities needs one; a relative period, or as_of
   read without a period, needs --as-of.  -1 when they do, else a usage
   error (2), said. */
int cli_acts_check(const StreamActs *a, const Program *p, const char *usage);
/* --version-file: loads each of versions and keeps in p (loaded from
   *path) the program in force on as_of, the one whose `effective` date is
   the latest on or before it (none: from the start), and says which on
   standard error; *path names its file.  0 when p holds it, else the
   status, said why: two versions of one day, or none in force yet (2). */
int cli_choose_version(const char *const *versions, int nversions, int64_t as_of, Program *p, const char **path);
/* The usage lines of --version-file. */
#define CLI_USAGE_VERSIONS \
  "  --version-file FILE   another version of the program (repeatable): use the one\n" \
  "                        with the latest 'effective' on or before --as-of\n"
/* After a run: the activities' line of the closing summary, when the run had any. */
void cli_acts_summary(const StreamActs *a, const ActStats *st);

/* ---- output ---- */

/* Opens path for writing (outfile.h), or says why it cannot. */
bool cli_open_output(OutFile *o, const char *path);
/* Finishes an output; false, having said why, when anything written to it
   failed.  The file then holds what it held before. */
bool cli_close_output(OutFile *o);
/* True, having said so, when output (given with option opt) is the same
   file as one of the inputs or one of p's source files (p may be NULL). */
bool cli_output_is_input(const char *opt, const char *output, const char *const *inputs, int ninputs,
                         const Program *p);

/* ---- folders of programs ---- */

typedef struct PathList { char **v; int n, cap; } PathList;

/* A walk over folders of programs.  Every file and folder is visited once,
   by device and inode, so a link loop (sub/up -> ..) or two links to one
   program cannot make a command see a program twice.  Zero it to start;
   free with cli_walk_free. */
typedef struct Walk {
  PathList *out;             /* where the paths found go */
  bool tests_only;           /* keep only files with a test block (rubric test) */
  struct { dev_t dev; ino_t ino; } *seen;
  int nseen, cap;
} Walk;

/* Adds path to w->out: a file named on the command line (named) as it is,
   a folder as the .rubric files under it (hidden entries and build/ left
   out), in name order.  False if path cannot be read. */
bool cli_walk(Walk *w, const char *path, bool named);
void cli_walk_free(Walk *w);
bool cli_is_folder(const char *path);
void cli_paths_add(PathList *l, const char *path);
void cli_paths_sort(PathList *l);
void cli_paths_free(PathList *l);

#endif

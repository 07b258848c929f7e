/*
** cmd_sweep.c — `rubric sweep`: one program, the same records, many values
** of its params.  Each --set is an axis (a value, a list, ranges
** LO..HI:STEP); the scenarios are every combination, scored in one pass
** over the records (runtime/sweep.c), and the results are one row per
** scenario: the values, the records scored and rejected, the tier counts
** and the payout totals.  -o writes a temporary file renamed over FILE
** only when the run is complete (outfile.h).
*/
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "sweep.h"

static const char *const usage =
    "usage: rubric sweep [OPTIONS] PROGRAM [RECORDS...] --set NAME=VALUES...\n"
    "Score the records (- or none: standard input) once for every combination of\n"
    "the --set values, and write one row per scenario: the values, the records\n"
    "scored, unassigned and rejected, the count in every tier, the payout totals.\n"
    "  -s, --set NAME=VALUES    a value (rate=5), a list (rate=4,5,6), a range\n"
    "                           LO..HI:STEP of a number or money param\n"
    "                           (premium_min=550..700:25), or a list of both;\n"
    "                           NAME.KEY for a keyed param. Repeatable: the\n"
    "                           scenarios are every combination, the first --set\n"
    "                           varying slowest\n"
    "  --set-file FILE          every scenario's other params, from a scenario file\n"
    "                           (one 'name = value' a line); --set axes win over it\n"
    "  -f, --format FMT         table (default), csv or json\n"
    "  -o, --output FILE        write the results to FILE instead of standard output\n"
    "  -j, --jobs N             score on N threads (0: one per processor); the same\n"
    "                           results whatever N is\n"
    "  --max-scenarios N        refuse more than N scenarios (default 10000, at most\n"
    "                           100000)\n"
    CLI_USAGE_ACTS
    "A rejected record is reported once on standard error; one the program cannot\n"
    "score in some scenarios once, with how many. Exit 1 if any record was rejected.\n";

enum { OPT_MAX_SCENARIOS = CLI_OPT_OWN };

typedef struct SweepOpts {
  SweepFormat format;
  const char *output;
  const char **sets;   /* argc of them at most */
  int nsets;
  CliSets base;        /* --set-file: where every scenario starts */
  int jobs;
  long max;
  StreamActs acts;     /* --activities, --as-of, --sorted, --max-memory */
} SweepOpts;

/* Fills o from argv; -1 to go on, else an exit status. */
static int parse(int argc, char **argv, SweepOpts *o) {
  static const struct option longopts[] = {
      {"format", required_argument, 0, 'f'}, {"output", required_argument, 0, 'o'},
      {"set", required_argument, 0, 's'},    {"jobs", required_argument, 0, 'j'},
      {"max-scenarios", required_argument, 0, OPT_MAX_SCENARIOS},
      {"set-file", required_argument, 0, CLI_OPT_SET_FILE},
      CLI_OPTIONS_DIAG, CLI_OPTIONS_HELP,    CLI_OPTIONS_ACTS, {0, 0, 0, 0}};
  int c, r;
  while ((c = getopt_long(argc, argv, ":f:o:s:j:qh", longopts, NULL)) != -1) {
    switch (c) {
    case 'f':
      if (strcmp(optarg, "table") == 0) o->format = SWEEP_TABLE;
      else if (strcmp(optarg, "csv") == 0) o->format = SWEEP_CSV;
      else if (strcmp(optarg, "json") == 0) o->format = SWEEP_JSON;
      else return cli_usage_error(usage, "unknown format '%s' (table, csv or json)", optarg);
      break;
    case 'o': o->output = optarg; break;
    case 's': o->sets[o->nsets++] = optarg; break;
    case CLI_OPT_SET_FILE:
      if (cli_sets_option(&o->base, c, optarg) < 0) return EXIT_USAGE;
      break;
    case 'j':
      if ((r = cli_jobs(usage, optarg, &o->jobs)) >= 0) return r;
      break;
    case OPT_MAX_SCENARIOS: {
      char *end;
      long n = strtol(optarg, &end, 10);
      if (*end || end == optarg || n < 1 || n > SWEEP_MAX_SCENARIOS)
        return cli_usage_error(usage, "--max-scenarios takes a number from 1 to %d, not '%s'", SWEEP_MAX_SCENARIOS,
                               optarg);
      o->max = n;
      break;
    }
    default:
      if ((r = cli_acts_option(&o->acts, usage, c, optarg)) != 0) {
        if (r < 0) return EXIT_USAGE;
        break;
      }
      if ((r = cli_option("sweep", usage, c, argc, argv)) >= 0) return r;
    }
  }
  if (optind >= argc) return cli_usage_error(usage, "%s", "no program given");
  if (!o->nsets)
    return cli_usage_error(usage, "%s", "nothing to sweep: give --set NAME=LO..HI:STEP or NAME=V1,V2,...");
  return -1;
}

/* Starts every scenario from the --set-file values, reads each --set into
   an axis of sw and makes the scenarios; false, having said why, when one
   does not fit, there are too many, or a scenario's values would put a
   cap, range or band of the program out of order. */
static bool plan(Sweep *sw, const SweepOpts *o) {
  char why[1536];
  if (!cli_sets_apply(&o->base, sw->p, sw->params)) return false;
  for (int i = 0; i < o->nsets; i++) {
    if (!cli_param_named(sw->p, o->sets[i])) return false;   /* with the nearest names */
    if (!sweep_axis(sw, o->sets[i], o->max, why, sizeof why)) {
      fprintf(stderr, "%s: --set %s: %s\n", cli_name, o->sets[i], why);
      return false;
    }
  }
  if (!sweep_plan(sw, o->max, why, sizeof why)) {
    fprintf(stderr, "%s: sweep: %s (--max-scenarios)\n", cli_name, why);
    return false;
  }
  if (sweep_check_rules(sw, why, sizeof why)) return true;
  fprintf(stderr, "%s: sweep: %s\n", cli_name, why);
  return false;
}

/* Scores, then writes the results; the status. */
static int run(const Program *p, const SweepOpts *o, Sweep *sw, const char *program_path,
               const char *const *paths, int npaths) {
  OutFile named, *out = &cli_stdout;
  if (o->output && (cli_output_is_input("-o", o->output, &program_path, 1, p) ||
                    cli_output_is_input("-o", o->output, paths, npaths, NULL) ||
                    !cli_open_output(out = &named, o->output)))
    return EXIT_USAGE;
  sw->tallies[0].acts_in = &o->acts;
  sweep_run(sw, cli_name, paths, npaths, o->jobs, stderr);
  const Tally *t = &sw->tallies[0];   /* what happened before scoring is the same in each */
  /* A records file not read to its end leaves every scenario short: no
     results, and -o keeps FILE as it was.  A failed write says so instead
     of the summary. */
  if (t->fatal) {
    if (out != &cli_stdout) outfile_discard(out);
  } else {
    sweep_write(out->f, sw, o->format, program_path, paths, npaths);
    if (!(out == &cli_stdout ? outfile_flush(out) : cli_close_output(out))) return EXIT_USAGE;
  }
  fprintf(stderr, "%ld record%s: %ld valid, %ld rejected; %ld scenario%s\n", t->read, t->read == 1 ? "" : "s",
          t->read - (t->rejected - t->failed), t->rejected - t->failed, sw->nscenarios,
          sw->nscenarios == 1 ? "" : "s");
  if (t->fatal) return EXIT_USAGE;
  cli_acts_summary(&o->acts, &t->acts);
  if (t->acts.rejected || t->acts.unknown) return EXIT_PROBLEMS;
  for (long s = 0; s < sw->nscenarios; s++)
    if (sw->tallies[s].rejected) return EXIT_PROBLEMS;
  return 0;
}

int cmd_sweep(int argc, char **argv) {
  SweepOpts o = {.format = SWEEP_TABLE, .jobs = 1, .max = SWEEP_DEFAULT_MAX,
                 .sets = calloc((size_t)argc + 1, sizeof *o.sets)};
  if (!o.sets) abort();
  int status = parse(argc, argv, &o);
  Program p;
  if (status < 0) { int st = cli_load(argv[optind], &p); if (st) status = st; }
  if (status < 0 && (status = cli_acts_check(&o.acts, &p, usage)) >= 0) program_free(&p);
  if (status >= 0) { free(o.sets); cli_sets_free(&o.base); return status; }
  static const char *const standard_input[] = {"-"};
  const char *const *paths = optind + 1 < argc ? (const char *const *)argv + optind + 1 : standard_input;
  int npaths = optind + 1 < argc ? argc - optind - 1 : 1;
  Sweep sw;
  sweep_init(&sw, &p);
  status = plan(&sw, &o) ? run(&p, &o, &sw, argv[optind], paths, npaths) : EXIT_USAGE;
  sweep_free(&sw);
  program_free(&p);
  free(o.sets);
  cli_sets_free(&o.base);
  return status;
}

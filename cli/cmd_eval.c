/*
** cmd_eval.c — `rubric eval`: score every record of the CSV files through
** the streaming evaluator (runtime/stream.c), write the results as CSV,
** JSON Lines or a table, and end with the run's reconciliation on standard
** error; --stats FILE and --summary json also write it as JSON
** (runtime/summary.c).  -o and --stats write a temporary file renamed over
** FILE only when the run is complete (outfile.h).
*/
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "date.h"
#include "stream.h"
#include "summary.h"

static const char *const usage =
    "usage: rubric eval [OPTIONS] PROGRAM [RECORDS...]\n"
    "Score every record of the CSV files (- or none: standard input).\n"
    "  -f, --format FMT      csv (default), jsonl or table\n"
    "  -o, --output FILE     write results to FILE instead of standard output\n"
    "  -s, --set NAME=VALUE  override a param for this run (NAME.KEY=VALUE for keyed)\n"
    "  --set-file FILE       override params from a scenario: one 'name = value' a line\n"
    "  -c, --columns LIST    write only these columns, in this order (e.g. id,tier,score)\n"
    "  -j, --jobs N          score on N threads (0: one per processor); the output is\n"
    "                        the same bytes, in input order, whatever N is\n"
    "  --all-tiers           list every tier in the closing summary, even those no\n"
    "                        record reached\n"
    "  --stats FILE          also write the run's summary to FILE as JSON: counts,\n"
    "                        tiers, payouts, every rejected record, warnings\n"
    "  --summary FMT         text (default: on standard error) or json: the JSON\n"
    "                        summary on standard output; needs -o FILE\n"
    CLI_USAGE_ACTS
    CLI_USAGE_VERSIONS
    "Rejected records are reported on standard error as file:line: field 'x': reason;\n"
    "the run ends with 'N records: S scored, R rejected'. Exit 1 if any was rejected.\n";

enum { OPT_ALL_TIERS = CLI_OPT_OWN, OPT_STATS, OPT_SUMMARY, OPT_VERSION_FILE };

typedef struct EvalOpts {
  OutFormat format;
  const char *output, *columns;
  const char *stats;   /* --stats FILE */
  bool json_summary;   /* --summary json: on standard output */
  CliSets sets;        /* --set and --set-file, in order */
  int jobs;
  bool all_tiers;
  StreamActs acts;     /* --activities, --as-of, --sorted, --max-memory */
  const char **versions;   /* --version-file, argc at most */
  int nversions;
} EvalOpts;

/* Whether path is the file standard output writes to (/dev/stdout, or
   the file it was redirected to). */
static bool is_stdout(const char *path) {
  struct stat a, b;
  return stat(path, &a) == 0 && fstat(STDOUT_FILENO, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Whether two output paths name one file: the same text, or, when the
   file is there, the same device and inode. */
static bool same_file(const char *x, const char *y) {
  struct stat a, b;
  return strcmp(x, y) == 0 || (stat(x, &a) == 0 && stat(y, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino);
}

/* Fills o from argv; -1 to go on, else an exit status. */
static int parse(int argc, char **argv, EvalOpts *o) {
  static const struct option longopts[] = {
      {"format", required_argument, 0, 'f'}, {"output", required_argument, 0, 'o'},
      CLI_OPTIONS_SET,                       {"columns", required_argument, 0, 'c'},
      {"jobs", required_argument, 0, 'j'},   {"all-tiers", no_argument, 0, OPT_ALL_TIERS},
      {"stats", required_argument, 0, OPT_STATS}, {"summary", required_argument, 0, OPT_SUMMARY},
      {"version-file", required_argument, 0, OPT_VERSION_FILE},
      CLI_OPTIONS_DIAG, CLI_OPTIONS_HELP,    CLI_OPTIONS_ACTS, {0, 0, 0, 0}};
  int c, r;
  while ((c = getopt_long(argc, argv, ":f:o:s:c:j:qh", longopts, NULL)) != -1) {
    switch (c) {
    case 'f':
      if (strcmp(optarg, "csv") == 0) o->format = OUT_CSV;
      else if (strcmp(optarg, "jsonl") == 0) o->format = OUT_JSONL;
      else if (strcmp(optarg, "table") == 0) o->format = OUT_TABLE;
      else return cli_usage_error(usage, "unknown format '%s' (csv, jsonl or table)", optarg);
      break;
    case 'o': o->output = optarg; break;
    case 's': case CLI_OPT_SET_FILE:
      if (cli_sets_option(&o->sets, c, optarg) < 0) return EXIT_USAGE;
      break;
    case 'c': o->columns = optarg; break;
    case 'j':
      if ((r = cli_jobs(usage, optarg, &o->jobs)) >= 0) return r;
      break;
    case OPT_ALL_TIERS: o->all_tiers = true; break;
    case OPT_STATS: o->stats = optarg; break;
    case OPT_VERSION_FILE: o->versions[o->nversions++] = optarg; break;
    case OPT_SUMMARY:
      if (strcmp(optarg, "json") == 0) o->json_summary = true;
      else if (strcmp(optarg, "text") == 0) o->json_summary = false;
      else return cli_usage_error(usage, "unknown summary format '%s' (text or json)", optarg);
      break;
    default:
      if ((r = cli_acts_option(&o->acts, usage, c, optarg)) != 0) {
        if (r < 0) return EXIT_USAGE;
        break;
      }
      if ((r = cli_option("eval", usage, c, argc, argv)) >= 0) return r;
    }
  }
  if (optind >= argc) return cli_usage_error(usage, "%s", "no program given");
  if (o->nversions && !o->acts.has_as_of)
    return cli_usage_error(usage, "%s", "--version-file chooses the version in force on the as-of date: give --as-of DATE");
  /* The summary never shares standard output with the results. */
  if (o->json_summary && (!o->output || is_stdout(o->output)))
    return cli_usage_error(usage, "%s",
                           "--summary json writes to standard output, where the results go: give -o FILE "
                           "for the results, or --stats FILE for the summary");
  if (o->stats && o->output && same_file(o->stats, o->output))
    return cli_usage_error(usage, "%s", "--stats and -o name the same file");
  if (o->stats && is_stdout(o->stats) && !o->output)
    return cli_usage_error(usage, "%s", "--stats names standard output, where the results go: give -o FILE");
  return -1;
}

/* The run's reconciliation, then how many records each track placed in
   each tier, and what payouts cost.  Each scored record is counted once,
   under its own track, so the placements add up to the records scored.
   Tiers no record reached are left out unless all_tiers. */
static void print_summary(const Program *p, const Tally *run, bool all_tiers) {
  if (run->fatal)   /* a file unreadable part way, or out of order with --sorted */
    fprintf(stderr, "%s: the run stopped early: the results and the counts below are incomplete\n", cli_name);
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
        char name[512];
        summary_tier_name(p, t, tier, name, sizeof name);
        fprintf(stderr, "%s %s %ld", k++ ? "," : "", name, n);
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

/* Scores the records of paths with p, writing to out; the status. */
static int run(const Program *p, const EvalOpts *o, const char *const *paths, int npaths, VmCtx *vm,
               Tally *tally, const char *program_path) {
  if (!cli_sets_apply(&o->sets, p, vm->params)) return EXIT_USAGE;
  /* -o: a temporary file renamed over FILE when the run is complete, so
     FILE never holds part of the results (outfile.h). */
  OutFile named, *out = &cli_stdout, stats_file, *stats = NULL;
  if (o->output && (cli_output_is_input("-o", o->output, &program_path, 1, p) ||
                    cli_output_is_input("-o", o->output, paths, npaths, NULL) ||
                    !cli_open_output(out = &named, o->output)))
    return EXIT_USAGE;
  /* --stats: checked and opened before the run, so a bad path costs no scoring. */
  bool ok = !o->stats || (!cli_output_is_input("--stats", o->stats, &program_path, 1, p) &&
                          !cli_output_is_input("--stats", o->stats, paths, npaths, NULL) &&
                          cli_open_output(stats = &stats_file, o->stats));
  for (int i = 0; ok && i < npaths; i++) ok = records_readable(cli_name, paths[i], stderr);
  Writer w;
  char why[2048];
  if (ok && !(ok = out_begin(&w, p, o->format, out->f, o->columns, why, sizeof why)))
    fprintf(stderr, "%s: --columns: %s\n", cli_name, why);
  if (!ok) {
    if (out != &cli_stdout) outfile_discard(out);
    if (stats) outfile_discard(stats);
    return EXIT_USAGE;
  }
  tally->keep_notes = o->stats || o->json_summary;
  tally->acts_in = &o->acts;
  stream_eval(cli_name, p, &w, vm->params, paths, npaths, o->jobs, stderr, tally);
  out_end(&w);
  /* A records file that cannot be read leaves the results short: -o and
     --stats keep FILE as it was.  A failed write says so instead of the
     summary, whose counts the output would not hold. */
  bool written;
  if (out == &cli_stdout) written = outfile_flush(out);   /* main says why */
  else if (tally->fatal) { outfile_discard(out); written = true; }
  else written = cli_close_output(out);
  if (stats && (!written || tally->fatal)) {
    outfile_discard(stats);
  } else if (stats) {
    summary_json(stats->f, p, program_path, paths, npaths, tally);
    written = cli_close_output(stats);
  }
  if (written && o->json_summary && !tally->fatal) {
    summary_json(cli_stdout.f, p, program_path, paths, npaths, tally);
    written = outfile_flush(&cli_stdout);   /* main says why */
  }
  if (!written) return EXIT_USAGE;
  print_summary(p, tally, o->all_tiers);
  if (!tally->fatal) cli_acts_summary(&o->acts, &tally->acts);
  return tally->fatal ? EXIT_USAGE : tally->rejected || tally->acts.rejected || tally->acts.unknown ? EXIT_PROBLEMS : 0;
}

int cmd_eval(int argc, char **argv) {
  EvalOpts o = {.format = OUT_CSV, .jobs = 1, .versions = calloc((size_t)argc + 1, sizeof(char *))};
  if (!o.versions) abort();
  int status = parse(argc, argv, &o);
  Program p;
  const char *program_path = status < 0 ? argv[optind] : NULL;
  if (status < 0) { int st = cli_load(argv[optind], &p); if (st) status = st; }
  if (status < 0 && o.nversions) {
    int st = cli_choose_version(o.versions, o.nversions, o.acts.as_of, &p, &program_path);
    if (st) { status = st; program_free(&p); }
  }
  if (status < 0 && (status = cli_acts_check(&o.acts, &p, usage)) >= 0) program_free(&p);
  if (status >= 0) { cli_sets_free(&o.sets); free(o.versions); return status; }
  static const char *const standard_input[] = {"-"};
  const char *const *paths = optind + 1 < argc ? (const char *const *)argv + optind + 1 : standard_input;
  int npaths = optind + 1 < argc ? argc - optind - 1 : 1;
  VmCtx vm;   /* holds the params as --set leaves them; workers copy them */
  Tally tally;
  if (!vm_init(&vm, &p) || !tally_init(&tally, &p)) abort();
  status = run(&p, &o, paths, npaths, &vm, &tally, program_path);
  tally_free(&tally);
  vm_free(&vm);
  program_free(&p);
  cli_sets_free(&o.sets);
  free(o.versions);
  return status;
}

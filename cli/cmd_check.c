/*
** cmd_check.c — `rubric check`: parse and check each program, print one
** line for a clean one and its diagnostics for the others; --summary adds
** what each track's score, category and parameter can reach.
*/
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "compile.h"
#include "levers.h"

static const char *const usage =
    "usage: rubric check [OPTIONS] PROGRAM|FOLDER...\n"
    "Parse and check each program. Errors print as file:line:col: error: message\n"
    "with the source line and a caret. Exit 0 clean, 1 errors, 2 usage.\n"
    "  --diagnostics FMT     human (default, on stderr), json (one object per line)\n"
    "                        or github (workflow commands), both on stdout\n"
    "  --werror              warnings fail like errors\n"
    "  --allow CODES         accept these warnings for this run (R0803,R0808)\n"
    "  -q, --quiet           print errors only: no warnings, no 'ok' lines\n"
    "  --summary             print what each category, parameter and track's\n"
    "                        score can reach, and the program's maximum score\n"
    "  -s, --set NAME=VALUE  with --summary: also say what setting the param would\n"
    "                        change in what can be reached (tiers, ranges)\n"
    "  --set-file FILE       the same for a scenario: one 'name = value' a line\n";

enum { OPT_SUMMARY = CLI_OPT_OWN };

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

/* What the settings change in what the program at path (p, compiled from
   it) can reach: "  with premium_min = 550 (was 600):" and a line per
   change.  The analysis needs the program's source, so not a .rbc file.
   0, or the status after saying why. */
static int print_lever_changes(const char *path, const Program *p, const CliSets *sets, FILE *out) {
  int64_t *values = malloc(((size_t)p->nparam_values + 1) * sizeof *values);
  if (!values) abort();
  memcpy(values, p->param_values, (size_t)p->nparam_values * sizeof *values);
  int status = cli_sets_apply(sets, p, values) ? 0 : EXIT_USAGE;
  Ast ast;
  DiagList dl;
  Checker ck;
  diag_init(&dl);
  bool checked = false;
  if (!status && (strcmp(path, "-") == 0 || cli_is_bytecode(path))) {
    fprintf(stderr, "%s: %s: --set with --summary needs the program's source, not %s\n", cli_name, path,
            strcmp(path, "-") == 0 ? "standard input" : "a compiled .rbc file");
    status = EXIT_USAGE;
  } else if (!status && (checked = true) && front_check(path, &ast, &dl, &ck)) {
    LvChanges changes = {0};
    fputs("  with ", out);
    lv_print_settings(&ck, NULL, values, out);
    if (lv_compare(&ck, NULL, values, &changes)) {
      fputs(":\n", out);
      lv_print(&changes, "    ", out);
    } else {
      fputs(": nothing it can reach changes\n", out);
    }
    lv_free(&changes);
  }
  if (checked) {
    chk_free(&ck);
    ast_free(&ast);
  }
  diag_free(&dl);
  free(values);
  return status;
}

int cmd_check(int argc, char **argv) {
  static const struct option longopts[] = {
      {"summary", no_argument, 0, OPT_SUMMARY}, CLI_OPTIONS_SET, CLI_OPTIONS_DIAG, CLI_OPTIONS_HELP,
      {0, 0, 0, 0}};
  bool summary = false;
  CliSets sets = {0};
  int c, r;
  while ((c = getopt_long(argc, argv, ":s:qh", longopts, NULL)) != -1) {
    if (c == OPT_SUMMARY) summary = true;
    else if ((r = cli_sets_option(&sets, c, optarg)) != 0) {
      if (r < 0) { cli_sets_free(&sets); return EXIT_USAGE; }
    } else if ((r = cli_option("check", usage, c, argc, argv)) >= 0) {
      cli_sets_free(&sets);
      return r;
    }
  }
  if (optind >= argc || (sets.n && !summary)) {
    cli_sets_free(&sets);
    return cli_usage_error(usage, "%s", optind >= argc ? "no program given"
                                                       : "--set and --set-file go with --summary");
  }
  cli_show_warnings = true;   /* check is where warnings are shown */
  bool human = cli_diag_format == RB_DIAG_HUMAN && !cli_quiet;   /* json, github, -q: diagnostics only */
  int status = 0;
  /* A folder is every .rubric file under it, each once (cli_walk). */
  PathList files = {0};
  Walk w = {.out = &files};
  for (int i = optind; i < argc; i++) {
    int before = files.n;
    if (!cli_walk(&w, argv[i], true)) cli_paths_add(&files, argv[i]);   /* cli_load says why */
    else if (files.n == before && cli_is_folder(argv[i])) {
      fprintf(stderr, "%s: no .rubric file under %s\n", cli_name, argv[i]);
      status = EXIT_USAGE;
    }
  }
  cli_walk_free(&w);
  for (int i = 0; i < files.n; i++) {
    const char *path = files.v[i];
    Program p;
    int st = cli_load(path, &p);
    if (st) {
      if (st > status) status = st;
      continue;
    }
    if (human)
      printf("%s: ok (%d field%s, %d points in %d categor%s, %d tier%s, %d test%s)\n", path,
             p.nfields, p.nfields == 1 ? "" : "s", p.npoints, p.ncategories,
             p.ncategories == 1 ? "y" : "ies", p.ntiers, p.ntiers == 1 ? "" : "s", p.ntests,
             p.ntests == 1 ? "" : "s");
    if (summary && human) print_reach(&p, stdout);
    if (summary && human && sets.n) {
      st = print_lever_changes(path, &p, &sets, stdout);
      if (st > status) status = st;
    }
    program_free(&p);
  }
  cli_paths_free(&files);
  cli_sets_free(&sets);
  return status;
}

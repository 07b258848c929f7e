/*
** cmd_report.c — `rubric report`: the HTML report of a program on its
** partners (api/report.c draws it), optionally with the comparison of a
** new scheme (api/compare.c works it out, as for `rubric compare`), or
** the partner dashboard of one record (--partner) or of every record
** (--partners-dir).  Every page is written through an OutFile: a
** temporary file renamed over the path only when the page is complete.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common.h"
#include "compare.h"
#include "report.h"

static const char *const usage =
    "usage: rubric report [OPTIONS] PROGRAM RECORDS...\n"
    "Write one self-contained HTML page: overview, score distribution, where points\n"
    "come from, partners close to their next tier, rejected records, and with\n"
    "--compare or --new-set the comparison with a new scheme.\n"
    "  -o, --output FILE        write the page to FILE (default: standard output)\n"
    "  -w, --within POINTS      list the partners at most POINTS short of their next\n"
    "                           tier's score (default: the nearest, whatever the distance)\n"
    "  -s, --set NAME=VALUE     override a param, as for eval (both schemes)\n"
    "  --set-file FILE          override params from a scenario, as for eval\n"
    "  --compare NEW            compare with the program NEW on the same records\n"
    "  --new-set NAME=VALUE     the new scheme: PROGRAM (or NEW) with this param set\n"
    "  --new-set-file FILE      ... with these params set\n"
    "  --partner KEY            instead, the dashboard of this partner (once per key\n"
    "                           field, in order)\n"
    "  --partners-dir DIR       instead, a dashboard for every scored partner, as\n"
    "                           DIR/KEY.html\n"
    CLI_USAGE_ACTIVITIES
    "Exit 1 if a record was rejected (the page lists it), 2 on misuse or a file that\n"
    "cannot be read or written.\n";

enum { OPT_COMPARE = CLI_OPT_OWN, OPT_NEW_SET, OPT_NEW_SET_FILE, OPT_PARTNER, OPT_PARTNERS_DIR };

typedef struct ReportOpts {
  const char *output, *compare, *partners_dir;
  CliSets sets, new_sets;
  bool has_new_sets;
  const char **ids;
  int nids;
  bool within;
  Dec within_points;
  char *new_label;             /* "--new-set a=1, --new-set b=2": owned */
  StreamActs acts;             /* --activities, --as-of */
} ReportOpts;

static void label_add(ReportOpts *o, const char *what, const char *arg) {
  size_t n = o->new_label ? strlen(o->new_label) : 0;
  char *s = realloc(o->new_label, n + strlen(what) + strlen(arg) + 4);
  if (!s) abort();
  sprintf(s + n, "%s%s %s", n ? ", " : "", what, arg);
  o->new_label = s;
}

/* Fills o from argv; -1 to go on, else an exit status. */
static int parse(int argc, char **argv, ReportOpts *o) {
  static const struct option longopts[] = {
      {"output", required_argument, 0, 'o'},       {"within", required_argument, 0, 'w'},
      CLI_OPTIONS_SET,                             {"compare", required_argument, 0, OPT_COMPARE},
      {"new-set", required_argument, 0, OPT_NEW_SET}, {"new-set-file", required_argument, 0, OPT_NEW_SET_FILE},
      {"partner", required_argument, 0, OPT_PARTNER}, {"partners-dir", required_argument, 0, OPT_PARTNERS_DIR},
      CLI_OPTIONS_DIAG,                            CLI_OPTIONS_HELP,
      CLI_OPTIONS_ACTS,                            {0, 0, 0, 0}};
  int c, r;
  while ((c = getopt_long(argc, argv, ":o:w:s:qh", longopts, NULL)) != -1) {
    switch (c) {
    case 'o': o->output = optarg; break;
    case 'w':
      if ((r = cli_within(usage, optarg, &o->within_points)) >= 0) return r;
      o->within = true;
      break;
    case 's': case CLI_OPT_SET_FILE:
      if (cli_sets_option(&o->sets, c, optarg) < 0) return EXIT_USAGE;
      break;
    case OPT_COMPARE: o->compare = optarg; break;
    case OPT_NEW_SET: case OPT_NEW_SET_FILE:
      if (!(c == OPT_NEW_SET ? cli_sets_add(&o->new_sets, optarg) : cli_sets_read(&o->new_sets, optarg)))
        return EXIT_USAGE;
      o->has_new_sets = true;
      label_add(o, c == OPT_NEW_SET ? "--new-set" : "--new-set-file", optarg);
      break;
    case OPT_PARTNER: o->ids[o->nids++] = optarg; break;
    case OPT_PARTNERS_DIR: o->partners_dir = optarg; break;
    default:
      if ((r = cli_acts_option(&o->acts, usage, c, optarg)) != 0) {
        if (r < 0) return EXIT_USAGE;
        break;
      }
      if ((r = cli_option("report", usage, c, argc, argv)) >= 0) return r;
    }
  }
  if (argc - optind < 2) return cli_usage_error(usage, "%s", "give a program and at least one records file");
  bool comparing = o->compare || o->has_new_sets;
  if (o->nids && o->partners_dir)
    return cli_usage_error(usage, "%s", "--partner and --partners-dir: give one of them");
  if ((o->nids || o->partners_dir) && comparing)
    return cli_usage_error(usage, "%s", "a dashboard shows one scheme: --compare and --new-set are for the report");
  if (o->partners_dir && o->output)
    return cli_usage_error(usage, "%s", "--partners-dir names its files itself: leave out -o");
  int stdin_uses = 0, records_stdin = 0;
  for (int i = optind; i < argc; i++) stdin_uses += strcmp(argv[i], "-") == 0;
  for (int i = optind + 1; i < argc; i++) records_stdin += strcmp(argv[i], "-") == 0;
  if (o->compare) stdin_uses += strcmp(o->compare, "-") == 0;
  if (stdin_uses > 1) return cli_usage_error(usage, "%s", "standard input (-) can be read only once");
  /* A comparison reads the records three times: each scheme, then the report. */
  if (records_stdin && comparing)
    return cli_usage_error(usage, "%s", "a comparison reads the records more than once: give files, not standard input (-)");
  return -1;
}

/* ---- the comparison ------------------------------------------------------------------ */

typedef struct Comparison {
  Program p;                   /* NEW, when --compare names it */
  VmCtx vm;                    /* NEW's params */
  CmpTable t[2];
  CmpResult r;
  bool loaded, has_vm, scored[2], compared;
} Comparison;

/* Scores the records with BASE (p and its params) and with NEW (--compare's
   program, or p again), NEW's params being --set's then --new-set's, and
   compares them; a status, -1 to go on. */
static int compare(const ReportOpts *o, const char *program, const Program *p, const int64_t *params,
                   const char *const *paths, int npaths, Comparison *c) {
  const Program *np = p;
  if (o->compare) {
    if (cli_load(o->compare, &c->p)) return EXIT_USAGE;
    c->loaded = true;
    np = &c->p;
  }
  if (!vm_init(&c->vm, np)) abort();
  c->has_vm = true;
  if (!cli_sets_apply(&o->sets, np, c->vm.params) || !cli_sets_apply(&o->new_sets, np, c->vm.params)) {
    fprintf(stderr, "%s: the --set above was for the new program, %s\n", cli_name, o->compare ? o->compare : program);
    return EXIT_USAGE;
  }
  const Program *side[2] = {p, np};
  const int64_t *values[2] = {params, c->vm.params};
  for (int s = 0; s < 2; s++) {
    c->scored[s] = true;
    ActSource acts;
    bool ok = cli_acts_check(&o->acts, side[s], usage) < 0 &&
              act_source_open(&acts, side[s], cli_name, o->acts.path, o->acts.has_as_of, o->acts.as_of, stderr);
    if (ok) ok = cmp_score_acts(&c->t[s], side[s], values[s], paths, npaths, cli_name, stderr, &acts);
    act_source_close(&acts);
    if (!ok) return EXIT_USAGE;
  }
  cmp_compare(&c->t[0], &c->t[1], &c->r);
  c->compared = true;
  return -1;
}

static void comparison_free(Comparison *c) {
  if (c->compared) cmp_result_free(&c->r);
  for (int s = 0; s < 2; s++)
    if (c->scored[s]) cmp_table_free(&c->t[s]);
  if (c->has_vm) vm_free(&c->vm);
  if (c->loaded) program_free(&c->p);
}

/* ---- dashboards ------------------------------------------------------------------------ */

typedef struct Pages {
  const char *dir;             /* --partners-dir, or NULL: the one page is `single` */
  OutFile *single;
  OutFile file;                /* the page being written under dir */
  const char *const *inputs;   /* a page may not replace one */
  int ninputs;
  const Program *p;
} Pages;

/* A key as a file name: letters, digits, '-', '_' and '.' (not first) as
   they are, every other byte as %XX, so that keys that differ give files
   that differ and none is hidden or leaves the folder. */
static void page_path(const char *dir, const char *key, char *buf, size_t cap) {
  size_t n = (size_t)snprintf(buf, cap, "%s/", dir);
  for (const unsigned char *k = (const unsigned char *)key; *k && n + 8 < cap; k++) {
    bool plain = (*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9') || *k == '-' ||
                 *k == '_' || (*k == '.' && k != (const unsigned char *)key);
    n += (size_t)snprintf(buf + n, cap - n, plain ? "%c" : "%%%02X", *k);
  }
  snprintf(buf + n, cap - n, ".html");
}

/* Longest page path: the folder, then a key of up to 255 bytes each
   written as %XX. */
#define PAGE_PATH_MAX 4096

static FILE *page_open(void *ctx, const char *key, bool *stop) {
  Pages *g = ctx;
  if (!g->dir) return g->single->f;
  char path[PAGE_PATH_MAX];
  page_path(g->dir, key, path, sizeof path);
  if (cli_output_is_input("--partners-dir", path, g->inputs, g->ninputs, g->p) || !cli_open_output(&g->file, path)) {
    *stop = true;
    return NULL;
  }
  return g->file.f;
}

static bool page_finish(void *ctx, FILE *page) {
  Pages *g = ctx;
  (void)page;
  if (!g->dir) return true;   /* the caller closes the one page */
  return cli_close_output(&g->file);
}

/* ---- the run ---------------------------------------------------------------------------- */

static int run(const ReportOpts *o, const char *program, const Program *p, VmCtx *vm, const char *const *paths,
               int npaths) {
  if (!cli_sets_apply(&o->sets, p, vm->params)) return EXIT_USAGE;
  Comparison cmp = {0};
  int status = -1;
  if (o->compare || o->has_new_sets) status = compare(o, program, p, vm->params, paths, npaths, &cmp);
  /* What a page may not replace: the program, the records, NEW. */
  const char **inputs = calloc((size_t)npaths + 2, sizeof *inputs);
  if (!inputs) abort();
  int ninputs = 0;
  inputs[ninputs++] = program;
  for (int i = 0; i < npaths; i++) inputs[ninputs++] = paths[i];
  if (o->compare) inputs[ninputs++] = o->compare;
  OutFile named, *out = &cli_stdout;
  if (status < 0 && o->partners_dir && mkdir(o->partners_dir, 0777) != 0 && errno != EEXIST) {
    fprintf(stderr, "%s: cannot make the folder %s: %s\n", cli_name, o->partners_dir, strerror(errno));
    status = EXIT_USAGE;
  }
  if (status < 0 && o->partners_dir && !cli_is_folder(o->partners_dir)) {
    fprintf(stderr, "%s: %s is not a folder\n", cli_name, o->partners_dir);
    status = EXIT_USAGE;
  }
  if (status < 0 && o->output &&
      (cli_output_is_input("-o", o->output, inputs, ninputs, p) || !cli_open_output(out = &named, o->output)))
    status = EXIT_USAGE;
  if (status >= 0) {
    comparison_free(&cmp);
    free(inputs);
    return status;
  }
  Pages pages = {o->partners_dir, out, {0}, inputs, ninputs, p};
  RpPages hooks = {page_open, page_finish, &pages};
  RpOptions ro = {.program_path = program,
                  .within = o->within,
                  .within_points = o->within_points,
                  .compare = cmp.compared ? &cmp.r : NULL,
                  .compare_label = o->compare ? o->compare : o->new_label,
                  .ids = o->ids,
                  .nids = o->nids,
                  .every = o->partners_dir != NULL,
                  .pages = o->nids || o->partners_dir ? &hooks : NULL,
                  .acts = &o->acts};
  RpRun *r = rp_new(p, &ro);
  bool ok = rp_score(r, vm->params, paths, npaths, cli_name, stderr);
  const Tally *t = rp_tally(r);
  bool missing = ok && o->nids && !rp_pages_written(r);
  if (ok && !o->nids && !o->partners_dir) rp_write_report(r, out->f);
  /* The page replaces FILE only when it is whole. */
  bool written;
  if (out == &cli_stdout) written = outfile_flush(out);   /* main says why */
  else if (!ok || missing) { outfile_discard(out); written = true; }
  else written = cli_close_output(out);
  if (missing) cli_no_record_with_key(o->ids, o->nids, npaths == 1 ? paths[0] : NULL);
  status = !ok || !written ? EXIT_USAGE : missing || t->rejected || t->acts.rejected || t->acts.unknown ? EXIT_PROBLEMS : 0;
  rp_free(r);
  comparison_free(&cmp);
  free(inputs);
  return status;
}

int cmd_report(int argc, char **argv) {
  ReportOpts o = {.ids = calloc((size_t)argc + 1, sizeof *o.ids)};
  if (!o.ids) abort();
  int status = parse(argc, argv, &o);
  Program p;
  if (status < 0) { int st = cli_load(argv[optind], &p); if (st) status = st; }
  if (status < 0) {
    if ((!o.nids || (status = cli_check_ids(&p, o.nids, usage)) < 0) &&
        (status = cli_acts_check(&o.acts, &p, usage)) < 0) {
      VmCtx vm;
      if (!vm_init(&vm, &p)) abort();
      status = run(&o, argv[optind], &p, &vm, (const char *const *)argv + optind + 1, argc - optind - 1);
      vm_free(&vm);
    }
    program_free(&p);
  }
  cli_sets_free(&o.sets);
  cli_sets_free(&o.new_sets);
  free(o.new_label);
  free(o.ids);
  return status;
}

/*
** cmd_explain.c — `rubric explain`: find the record with the given key in
** a records file and print its derivation (api/explain.c).  Records are
** read one at a time, not streamed in batches: it looks for one record.
*/
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "explain.h"
#include "stream.h"

static const char *const usage =
    "usage: rubric explain [OPTIONS] PROGRAM RECORDS --id KEY\n"
    "Show one record's derivation: each parameter's raw value, the branch or band\n"
    "row taken, whether its cap bound, category totals and every tier condition,\n"
    "with the parts of one that does not hold; for a rejected record, why.\n"
    "  -i, --id KEY          the record's key (required; once per key field, in order)\n"
    "  -s, --set NAME=VALUE  override a param, as for eval\n"
    "  --set-file FILE       override params from a scenario, as for eval\n";

typedef struct ExplainOpts {
  CliSets sets;                /* --set and --set-file, in order */
  const char **ids;            /* argc at most */
  int nids;
} ExplainOpts;

/* Fills o from argv; -1 to go on, else an exit status. */
static int parse(int argc, char **argv, ExplainOpts *o) {
  static const struct option longopts[] = {
      {"id", required_argument, 0, 'i'}, CLI_OPTIONS_SET,
      CLI_OPTIONS_DIAG, CLI_OPTIONS_HELP, {0, 0, 0, 0}};
  int c, r;
  while ((c = getopt_long(argc, argv, ":i:s:qh", longopts, NULL)) != -1) {
    if (c == 'i') o->ids[o->nids++] = optarg;
    else if ((r = cli_sets_option(&o->sets, c, optarg)) != 0) { if (r < 0) return EXIT_USAGE; }
    else if ((r = cli_option("explain", usage, c, argc, argv)) >= 0) return r;
  }
  if (argc - optind != 2 || !o->nids)
    return cli_usage_error(usage, "%s", "give a program, a records file and --id KEY");
  return -1;
}

/* Whether the current record's key cells, as written, are ids: for a
   record that was rejected, whose values could not all be read. */
static bool raw_key_matches(const Program *p, const RecordsFile *f, const char *const *ids, int nids) {
  for (int k = 0; k < p->nkeys; k++) {
    int col = f->map.col_of_field[p->keys[k]];
    size_t n = col >= 0 && col < f->r.ncells ? f->r.cell_len[col] : 0;
    const char *cell = n ? f->r.rec + f->r.cell_off[col] : "";
    const char *want = k < nids ? ids[k] : "";
    if (strlen(want) != n || memcmp(want, cell, n) != 0) return false;
  }
  return true;
}

/* Reads records until the one with the key, explains it to standard
   output; the status. */
static int find_and_explain(const Program *p, VmCtx *vm, const char *path, const ExplainOpts *o) {
  RecordsFile f;
  if (!records_open(&f, cli_name, p, path, stderr)) return EXIT_USAGE;
  Row row = {calloc((size_t)p->nfields + 1, sizeof *row.vals), calloc((size_t)p->nfields + 1, 1), NULL};
  if (!row.vals || !row.set) abort();
  char why[REC_WHY_MAX];
  int status = -1;
  while (status < 0 && csv_next(&f.r)) {
    int field;
    if (!rec_validate(p, &f.r, &f.map, &row, &field, why)) {
      if (!raw_key_matches(p, &f, o->ids, o->nids)) {
        report_reject(stderr, p, &f.r, field, why);
        continue;
      }
      /* The record asked for is rejected: say why, as eval would. */
      fputs("record ", stdout);
      for (int i = 0; i < o->nids; i++) fprintf(stdout, "%s%s", i ? "/" : "", o->ids[i]);
      fprintf(stdout, "  (%s line %ld)\n  rejected, so eval leaves it out: ", f.r.name, f.r.rec_line);
      if (field >= 0) fprintf(stdout, "field '%s': ", p->fields[field].name);
      fprintf(stdout, "%s\n", why);
      status = EXIT_PROBLEMS;
      break;
    }
    if (!rb_explain_key_matches(p, &row, o->ids, o->nids)) continue;
    VmStatus st = rb_explain_record(p, vm, &row, f.r.name, f.r.rec_line, stdout);
    if (st != VM_OK) report_vm_error(stderr, p, &f.r, &row, vm, st);
    status = st == VM_OK ? 0 : EXIT_PROBLEMS;
  }
  records_close(&f);
  free(row.vals);
  free(row.set);
  if (status >= 0) return status;
  cli_no_record_with_key(o->ids, o->nids, path);
  return EXIT_PROBLEMS;
}

int cmd_explain(int argc, char **argv) {
  ExplainOpts o = {.ids = calloc((size_t)argc + 1, sizeof *o.ids)};
  if (!o.ids) abort();
  int status = parse(argc, argv, &o);
  Program p;
  if (status < 0) { int st = cli_load(argv[optind], &p); if (st) status = st; }
  if (status < 0) {
    if ((status = cli_check_ids(&p, o.nids, usage)) < 0) {
      VmCtx vm;
      if (!vm_init(&vm, &p)) abort();
      status = cli_sets_apply(&o.sets, &p, vm.params) ? find_and_explain(&p, &vm, argv[optind + 1], &o)
                                                       : EXIT_USAGE;
      vm_free(&vm);
    }
    program_free(&p);
  }
  cli_sets_free(&o.sets);
  free(o.ids);
  return status;
}

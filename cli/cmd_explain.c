/*
** cmd_explain.c — `rubric explain`: find the record with the given key in
** a records file and print its derivation (api/explain.c).  Records are
** read one at a time, not streamed in batches: it looks for one record.
*/
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "explain.h"
#include "date.h"
#include "stream.h"

static const char *const usage =
    "usage: rubric explain [OPTIONS] PROGRAM RECORDS --id KEY\n"
    "Show one record's derivation: each parameter's raw value, the branch or band\n"
    "row taken, whether its cap bound, category totals and every tier condition,\n"
    "with the parts of one that does not hold; for a rejected record, why.\n"
    "  -i, --id KEY          the record's key (required; once per key field, in order)\n"
    "  -s, --set NAME=VALUE  override a param, as for eval\n"
    "  --set-file FILE       override params from a scenario, as for eval\n"
    CLI_USAGE_ACTIVITIES
    CLI_USAGE_VERSIONS
    "With --activities, each aggregate lists the record's activities it counted and\n"
    "those it left out, with the reason.\n";

typedef struct ExplainOpts {
  CliSets sets;                /* --set and --set-file, in order */
  const char **ids;            /* argc at most */
  int nids;
  StreamActs acts;             /* --activities, --as-of (--sorted, --max-memory: accepted, no effect) */
  const char **versions;       /* --version-file, argc at most */
  int nversions;
} ExplainOpts;

/* Fills o from argv; -1 to go on, else an exit status. */
static int parse(int argc, char **argv, ExplainOpts *o) {
  static const struct option longopts[] = {
      {"id", required_argument, 0, 'i'}, CLI_OPTIONS_SET,
      {"version-file", required_argument, 0, CLI_OPT_OWN},
      CLI_OPTIONS_DIAG, CLI_OPTIONS_HELP, CLI_OPTIONS_ACTS, {0, 0, 0, 0}};
  int c, r;
  while ((c = getopt_long(argc, argv, ":i:s:qh", longopts, NULL)) != -1) {
    if (c == 'i') o->ids[o->nids++] = optarg;
    else if (c == CLI_OPT_OWN) o->versions[o->nversions++] = optarg;
    else if ((r = cli_sets_option(&o->sets, c, optarg)) != 0) { if (r < 0) return EXIT_USAGE; }
    else if ((r = cli_acts_option(&o->acts, usage, c, optarg)) != 0) { if (r < 0) return EXIT_USAGE; }
    else if ((r = cli_option("explain", usage, c, argc, argv)) >= 0) return r;
  }
  if (argc - optind != 2 || !o->nids)
    return cli_usage_error(usage, "%s", "give a program, a records file and --id KEY");
  if (o->nversions && !o->acts.has_as_of)
    return cli_usage_error(usage, "%s", "--version-file chooses the version in force on the as-of date: give --as-of DATE");
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

/* The partner's activities: those in force for the VM (acts), and the
   ones the run would not use (notes: after the as-of date, rejected), by
   reading the whole activity file for rows whose key cell is id.  False,
   having said why, when the file cannot be read. */
typedef struct PartnerActs {
  Value *vals;
  uint8_t *set;
  long *lines;
  char *text;                  /* the kept rows' text values, copied */
  int n, cap;
  ActList list;
  RbActNote *notes;
  int nnotes;
} PartnerActs;

static void keep_act(PartnerActs *a, const Program *p, const Row *row, long line) {
  size_t nf = (size_t)p->nafields;
  if (a->n == a->cap) {
    a->cap = a->cap ? 2 * a->cap : 16;
    a->vals = realloc(a->vals, (size_t)a->cap * nf * sizeof *a->vals);
    a->set = realloc(a->set, (size_t)a->cap * nf);
    a->lines = realloc(a->lines, (size_t)a->cap * sizeof *a->lines);
    if (!a->vals || !a->set || !a->lines) abort();
  }
  for (size_t f = 0; f < nf; f++) {
    Value v = row->vals[f];
    if (v.s && row->set[f]) {   /* the reader's buffer moves on: a copy, freed with the program's run */
      char *t = malloc((size_t)v.n + 1);
      if (!t) abort();
      memcpy(t, v.s, (size_t)v.n);
      v.s = t;
    } else if (p->afields[f].kind == FIELD_TEXT) {
      v = (Value){0, ""};
    }
    a->vals[(size_t)a->n * nf + f] = v;
    a->set[(size_t)a->n * nf + f] = row->set[f];
  }
  a->lines[a->n++] = line;
}

static void note_act(PartnerActs *a, const char *label, long line, char *what, const char *why) {
  a->notes = realloc(a->notes, (size_t)(a->nnotes + 1) * sizeof *a->notes);
  if (!a->notes) abort();
  a->notes[a->nnotes] = (RbActNote){label, line, what, strdup(why)};
  if (!a->notes[a->nnotes++].why) abort();
}

static bool read_partner_acts(const Program *p, const VmCtx *vm, const char *path, const char *id,
                              PartnerActs *a) {
  Program shadow;
  act_shadow(p, &shadow);
  RecordsFile f;
  if (!records_open(&f, cli_name, &shadow, path, stderr)) return false;
  Row row = {calloc((size_t)p->nafields + 1, sizeof *row.vals), calloc((size_t)p->nafields + 1, 1), NULL};
  if (!row.vals || !row.set) abort();
  int col = f.map.col_of_field[p->akey];
  size_t idn = strlen(id);
  char why[REC_WHY_MAX + 64];
  while (csv_next(&f.r)) {
    if (col >= f.r.ncells || f.r.cell_len[col] != idn || memcmp(f.r.rec + f.r.cell_off[col], id, idn) != 0) continue;
    int field;
    if (!rec_validate(&shadow, &f.r, &f.map, &row, &field, why)) {
      char full[REC_WHY_MAX + 128];
      snprintf(full, sizeof full, "%s%s%s%s", field >= 0 ? "field '" : "", field >= 0 ? p->afields[field].name : "",
               field >= 0 ? "': " : "", why);
      note_act(a, "rejected", f.r.rec_line, NULL, full);
      continue;
    }
    if (!act_in_force(p, row.vals, row.set, vm->has_as_of, vm->dates[VM_AS_OF])) {
      char d[16];
      date_format(vm->dates[VM_AS_OF], d);
      snprintf(why, sizeof why, "after the as-of date %s", d);
      note_act(a, "ignored", f.r.rec_line, rb_explain_act_text(p, row.vals, row.set), why);
      continue;
    }
    keep_act(a, p, &row, f.r.rec_line);
  }
  bool ok = records_read_whole(&f, stderr);
  records_close(&f);
  free(row.vals);
  free(row.set);
  a->list = (ActList){a->n, a->vals, a->set, a->lines};
  return ok;
}

static void partner_acts_free(const Program *p, PartnerActs *a) {
  for (size_t k = 0; k < (size_t)a->n * (size_t)p->nafields; k++)
    if (a->set[k] && a->vals[k].s) free((char *)a->vals[k].s);
  for (int k = 0; k < a->nnotes; k++) {
    free(a->notes[k].what);
    free(a->notes[k].why);
  }
  free(a->notes);
  free(a->vals);
  free(a->set);
  free(a->lines);
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
    PartnerActs acts = {0};
    if (o->acts.path && !read_partner_acts(p, vm, o->acts.path, o->ids[0], &acts)) {
      partner_acts_free(p, &acts);
      status = EXIT_USAGE;
      break;
    }
    row.acts = o->acts.path ? &acts.list : NULL;
    size_t room = rb_explain_act_room(p, &row);
    vm->aevents = calloc(room, sizeof *vm->aevents);
    if (!vm->aevents) abort();
    vm->capaevents = room > INT32_MAX ? INT32_MAX : (int)room;
    VmStatus st = rb_explain_record(p, vm, &row, f.r.name, f.r.rec_line, stdout);
    if (st != VM_OK) report_vm_error(stderr, p, &f.r, &row, vm, st);
    else if (o->acts.path) rb_explain_activities(p, vm, &row, o->acts.path, acts.notes, acts.nnotes, stdout);
    free(vm->aevents);
    vm->aevents = NULL;
    vm->capaevents = 0;
    partner_acts_free(p, &acts);
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
  ExplainOpts o = {.ids = calloc((size_t)argc + 1, sizeof *o.ids), .versions = calloc((size_t)argc + 1, sizeof(char *))};
  if (!o.ids || !o.versions) abort();
  int status = parse(argc, argv, &o);
  Program p;
  if (status < 0) { int st = cli_load(argv[optind], &p); if (st) status = st; }
  if (status < 0 && o.nversions) {
    const char *path = argv[optind];
    int st = cli_choose_version(o.versions, o.nversions, o.acts.as_of, &p, &path);
    if (st) { status = st; program_free(&p); }
  }
  if (status < 0) {
    if ((status = cli_check_ids(&p, o.nids, usage)) < 0 && (status = cli_acts_check(&o.acts, &p, usage)) < 0) {
      VmCtx vm;
      if (!vm_init(&vm, &p)) abort();
      if (o.acts.has_as_of) vm_set_as_of(&vm, o.acts.as_of);
      status = cli_sets_apply(&o.sets, &p, vm.params) ? find_and_explain(&p, &vm, argv[optind + 1], &o)
                                                       : EXIT_USAGE;
      vm_free(&vm);
    }
    program_free(&p);
  }
  cli_sets_free(&o.sets);
  free(o.ids);
  free(o.versions);
  return status;
}

/*
** cmd_targets.c — `rubric targets`: for each scored record of the files
** (or the one --id names), what it needs for the next tier on its ladder
** (api/targets.c works it out), printed for people or as JSON.  With
** --within, only the records at most that many points short of their next
** tier, nearest first: those are kept until the end to be sorted; without
** it each record is printed as it is read.  Records are read one at a
** time, as explain reads them; rejected ones are reported as eval reports
** them, and so is a record whose key an earlier record had.
*/
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "explain.h"
#include "keyset.h"
#include "stream.h"
#include "targets.h"
#include "writers.h"

static const char *const usage =
    "usage: rubric targets [OPTIONS] PROGRAM RECORDS...\n"
    "For each scored record, the next tier on its ladder and what is missing: each\n"
    "failing part of that tier's condition with the value it has and the value it\n"
    "needs, and the smallest change of each single field that would reach the tier.\n"
    "  -i, --id KEY          only this record (once per key field, in order)\n"
    "  -w, --within POINTS   only records at most POINTS short of their next tier's\n"
    "                        score, nearest first\n"
    "  -f, --format FMT      table (default) or json\n"
    "  -s, --set NAME=VALUE  override a param, as for eval\n"
    "  --set-file FILE       override params from a scenario, as for eval\n"
    CLI_USAGE_ACTIVITIES;

typedef enum { FMT_TABLE, FMT_JSON } Format;

typedef struct TargetsOpts {
  CliSets sets;                /* --set and --set-file, in order */
  const char **ids;            /* argc at most */
  int nids;
  bool within;
  Dec within_points;
  Format format;
  StreamActs acts;             /* --activities, --as-of */
} TargetsOpts;

/* Fills o from argv; -1 to go on, else an exit status. */
static int parse(int argc, char **argv, TargetsOpts *o) {
  static const struct option longopts[] = {
      {"id", required_argument, 0, 'i'},     {"within", required_argument, 0, 'w'},
      {"format", required_argument, 0, 'f'}, CLI_OPTIONS_SET,
      CLI_OPTIONS_DIAG, CLI_OPTIONS_HELP,    CLI_OPTIONS_ACTS, {0, 0, 0, 0}};
  int c, r;
  while ((c = getopt_long(argc, argv, ":i:w:f:s:qh", longopts, NULL)) != -1) {
    switch (c) {
    case 'i': o->ids[o->nids++] = optarg; break;
    case 's': case CLI_OPT_SET_FILE:
      if (cli_sets_option(&o->sets, c, optarg) < 0) return EXIT_USAGE;
      break;
    case 'f':
      if (strcmp(optarg, "table") == 0) o->format = FMT_TABLE;
      else if (strcmp(optarg, "json") == 0) o->format = FMT_JSON;
      else return cli_usage_error(usage, "unknown format '%s' (table or json)", optarg);
      break;
    case 'w':
      if ((r = cli_within(usage, optarg, &o->within_points)) >= 0) return r;
      o->within = true;
      break;
    default:
      if ((r = cli_acts_option(&o->acts, usage, c, optarg)) != 0) {
        if (r < 0) return EXIT_USAGE;
        break;
      }
      if ((r = cli_option("targets", usage, c, argc, argv)) >= 0) return r;
    }
  }
  if (argc - optind < 2) return cli_usage_error(usage, "%s", "give a program and at least one records file");
  return -1;
}

/* ---- one record's result, as kept until printed --------------------------------- */

typedef struct Entry {
  char **key;          /* per key field: its text, NULL when unset */
  char *key_text;      /* the key fields joined by '/' */
  const char *file;
  long line;
  long seq;            /* input order: ties in --within keep it */
  RbTarget t;
} Entry;

static void entry_init(Entry *e, const Program *p, const Row *row, const char *file, long line, long seq) {
  e->key = calloc((size_t)p->nkeys + 1, sizeof *e->key);
  if (!e->key) abort();
  for (int k = 0; k < p->nkeys; k++) {
    int f = p->keys[k];
    char buf[64];
    size_t n = 0;
    if (!row->set[f]) continue;
    const char *s = out_value_text(p, out_field_type(&p->fields[f]), &p->fields[f], row->vals[f], buf, &n);
    e->key[k] = strndup(s, n);
  }
  char text[256];
  const char *kt = key_text(p, row, text, sizeof text);
  e->key_text = strdup(kt);
  e->file = file;
  e->line = line;
  e->seq = seq;
}

static void entry_free(const Program *p, Entry *e) {
  for (int k = 0; k < p->nkeys; k++) free(e->key[k]);
  free(e->key);
  free(e->key_text);
  rb_target_free(&e->t);
}

/* ---- printing for people ---------------------------------------------------------- */

/* "    certifications  +2  (4 -> 6)": a change, its name padded to width. */
static void change_line(const Program *p, const RbChange *c, int width, FILE *out) {
  fputs("    ", out);
  rb_targets_change_text(p, c, width, out);
  putc('\n', out);
}

static void part_lines(const Program *p, const RbTargetPart *tp, const char *indent, FILE *out) {
  fputs(indent, out);
  rb_targets_part_text(p, tp, out);
  putc('\n', out);
}

static void print_table(const Program *p, const Entry *e, FILE *out) {
  const RbTarget *t = &e->t;
  fputs(e->key_text, out);
  if (t->track < 0) { fputs(": fits no track, so it has no ladder\n", out); return; }
  char score[DEC_FMT_MAX];
  dec_format(t->score, score);
  fputs(": ", out);
  if (!p->implicit_track) fprintf(out, "%s, ", p->tracks[t->track].name);
  fprintf(out, "tier %s, score %s\n", t->tier >= 0 ? p->tiers[t->tier].name : "(none)", score);
  if (t->next < 0) {
    if (p->tracks[t->track].ntiers) fputs("  next: none, this is the top of the ladder\n", out);
    else fputs("  next: none, the track has no ladder\n", out);
    return;
  }
  const TierInfo *nx = &p->tiers[t->next];
  fprintf(out, "  next: %s", nx->name);
  if (nx->title) fprintf(out, " \"%s\"", nx->title);
  if (t->has_gap && !t->gap && !t->gap_strict) fputs(", the score is enough", out);
  putc('\n', out);
  /* A tier below next whose condition fails (a floor holds the record
     above it) comes first, under a heading; so does next's then. */
  bool headed = t->nconds > 1 || (t->nconds && t->conds[0].tier != t->next);
  for (int k = 0; k < t->nconds; k++) {
    const RbTargetCondition *cd = &t->conds[k];
    if (headed && cd->tier != t->next)
      fprintf(out, "  %s first, which the floor holds but its condition does not give:\n", p->tiers[cd->tier].name);
    else if (headed)
      fprintf(out, "  then %s:\n", p->tiers[cd->tier].name);
    for (int i = 0; i < cd->nparts; i++)
      if (cd->parts[i].holds != 1) part_lines(p, &cd->parts[i], headed ? "    " : "  ", out);
  }
  if (!t->nchanges) { fprintf(out, "  no change of one field alone reaches %s\n", nx->name); return; }
  int width = 0;
  for (int i = 0; i < t->nchanges; i++) {
    int w = (int)strlen(p->fields[t->changes[i].field].name);
    if (w > width) width = w;
  }
  fprintf(out, "  one change reaches %s:\n", nx->name);
  for (int i = 0; i < t->nchanges; i++) change_line(p, &t->changes[i], width, out);
}

/* ---- printing for machines ---------------------------------------------------------- */

static void json_text(const char *s, FILE *out) { out_json_string(out, s, strlen(s)); }

/* A value as JSON: numbers and money as numbers, flags as booleans, the
   rest as strings. */
static void json_value(const Program *p, ValueType t, char *const *members, Value v, FILE *out) {
  char buf[64];
  size_t n = 0;
  if (members) { json_text(members[v.n], out); return; }
  const char *s = out_value_text(p, t, NULL, v, buf, &n);
  if (t == VT_NUMBER || t == VT_MONEY) fwrite(s, 1, n, out);
  else if (t == VT_FLAG) fputs(v.n ? "true" : "false", out);
  else out_json_string(out, s, n);
}

static void json_name(const Program *p, const RbTargetName *nm, FILE *out) {
  if (nm->state != RB_NAME_VALUE) fputs("null", out);
  else json_value(p, nm->type, nm->members, nm->value, out);
}

static void json_dec(Dec d, FILE *out) {
  char buf[DEC_FMT_MAX];
  dec_format(d, buf);
  fputs(buf, out);
}

/* A score gap: null, or {"points": G, "strict": yes/no}. */
static void json_gap(bool has, Dec gap, bool strict, FILE *out) {
  if (!has) { fputs("null", out); return; }
  fputs("{\"points\":", out);
  json_dec(gap, out);
  fprintf(out, ",\"strict\":%s}", strict ? "true" : "false");
}

static void json_change(const Program *p, const RbChange *c, FILE *out) {
  const FieldInfo *f = &p->fields[c->field];
  ValueType t = out_field_type(f);
  static const char *const dirs[] = {"down", "flip", "up"};
  fputs("{\"field\":", out);
  json_text(f->name, out);
  fprintf(out, ",\"status\":\"%s\",\"direction\":\"%s\",\"from\":",
          c->status == RB_CHANGE_FOUND ? "found" : "not_monotone", dirs[c->direction + 1]);
  json_value(p, t, NULL, c->from, out);
  if (c->status == RB_CHANGE_FOUND) {
    fputs(",\"to\":", out);
    json_value(p, t, NULL, c->to, out);
    fputs(",\"change\":", out);
    if (t == VT_FLAG) fputs("null", out);
    else if (t == VT_DATE) fprintf(out, "%lld", (long long)c->delta);
    else json_dec(c->delta, out);
    fprintf(out, ",\"exhaustive\":%s}", c->exhaustive ? "true" : "false");
    return;
  }
  fputs(",\"reaches\":", out);
  json_value(p, t, NULL, c->reach, out);
  fputs(",\"misses\":", out);
  json_value(p, t, NULL, c->miss, out);
  putc('}', out);
}

static void json_changes(const Program *p, const RbChange *c, int n, FILE *out) {
  putc('[', out);
  for (int i = 0; i < n; i++) {
    if (i) putc(',', out);
    json_change(p, &c[i], out);
  }
  putc(']', out);
}

static void json_part(const Program *p, const RbTargetPart *tp, FILE *out) {
  static const char *const kinds[] = {"compare", "in", "set", "flag", "other"};
  fputs("{\"text\":", out);
  json_text(tp->text, out);
  fprintf(out, ",\"kind\":\"%s\",\"holds\":%s,\"deduced\":%s", kinds[tp->kind],
          tp->holds < 0 ? "null" : tp->holds ? "true" : "false", tp->deduced ? "true" : "false");
  if (tp->kind != RB_PART_OTHER) {
    fputs(",\"name\":", out);
    json_text(tp->subject.name, out);
    fputs(",\"actual\":", out);
    json_name(p, &tp->subject, out);
  }
  if (tp->kind == RB_PART_FLAG) fprintf(out, ",\"needed\":%s", tp->negated ? "false" : "true");
  if (tp->kind == RB_PART_SET) fputs(",\"needed\":\"set\"", out);
  if (tp->kind == RB_PART_COMPARE && tp->op[0]) {
    fprintf(out, ",\"op\":\"%s\",\"needed\":", tp->op);
    json_value(p, tp->subject.type, tp->subject.members, tp->needed, out);
    fputs(",\"short_by\":", out);
    if (!tp->has_short) fputs("null", out);
    else if (tp->subject.type == VT_DATE) fprintf(out, "%lld", (long long)tp->short_by);
    else json_dec(tp->short_by, out);
  }
  if (tp->kind == RB_PART_OTHER) {
    fputs(",\"names\":[", out);
    for (int i = 0; i < tp->nnames; i++) {
      fputs(i ? ",{\"name\":" : "{\"name\":", out);
      json_text(tp->names[i].name, out);
      fputs(",\"value\":", out);
      json_name(p, &tp->names[i], out);
      putc('}', out);
    }
    fputs("],\"holds_with\":", out);
    json_changes(p, tp->holds_with, tp->nholds_with, out);
  }
  putc('}', out);
}

static void print_json(const Program *p, const Entry *e, bool first, FILE *out) {
  const RbTarget *t = &e->t;
  fputs(first ? "\n" : ",\n", out);
  fputs("{\"key\":{", out);
  for (int k = 0; k < p->nkeys; k++) {
    if (k) putc(',', out);
    json_text(p->fields[p->keys[k]].name, out);
    putc(':', out);
    if (e->key[k]) json_text(e->key[k], out);
    else fputs("null", out);
  }
  fputs("},\"file\":", out);
  json_text(e->file, out);
  fprintf(out, ",\"line\":%ld,\"on_track\":%s,\"track\":", e->line, t->track >= 0 ? "true" : "false");
  if (t->track >= 0 && !p->implicit_track) json_text(p->tracks[t->track].name, out);
  else fputs("null", out);
  fputs(",\"tier\":", out);
  if (t->tier >= 0) json_text(p->tiers[t->tier].name, out);
  else fputs("null", out);
  fputs(",\"score\":", out);
  if (t->track >= 0) json_dec(t->score, out);
  else fputs("null", out);
  fputs(",\"next\":", out);
  if (t->next < 0) {
    fputs("null", out);
  } else {
    fputs("{\"tier\":", out);
    json_text(p->tiers[t->next].name, out);
    fputs(",\"title\":", out);
    if (p->tiers[t->next].title) json_text(p->tiers[t->next].title, out);
    else fputs("null", out);
    putc('}', out);
  }
  fputs(",\"score_gap\":", out);
  json_gap(t->has_gap, t->gap, t->gap_strict, out);
  fputs(",\"conditions\":[", out);
  for (int k = 0; k < t->nconds; k++) {
    const RbTargetCondition *cd = &t->conds[k];
    static const char *const joins[] = {"none", "or", "and"};
    fputs(k ? ",{\"tier\":" : "{\"tier\":", out);
    json_text(p->tiers[cd->tier].name, out);
    fprintf(out, ",\"join\":\"%s\",\"score_gap\":", joins[cd->join]);
    json_gap(cd->has_gap, cd->gap, cd->gap_strict, out);
    fputs(",\"parts\":[", out);
    for (int i = 0; i < cd->nparts; i++) {
      if (i) putc(',', out);
      json_part(p, &cd->parts[i], out);
    }
    fputs("]}", out);
  }
  fputs("],\"changes\":", out);
  json_changes(p, t->changes, t->nchanges, out);
  putc('}', out);
}

/* ---- the run ------------------------------------------------------------------------- */

typedef struct Run {
  const Program *p;
  VmCtx *vm;
  const TargetsOpts *o;
  Entry *kept;         /* --within: the records that qualify, until sorted */
  int nkept, cap;
  long seq;
  char **paths;        /* the records files, and the one being read */
  int file;
  int printed;
  bool found, problems;
  KeySet keys;
  ActSource acts;      /* each record's activities, by key */
} Run;

static void emit(Run *r, const Entry *e) {
  if (r->o->format == FMT_JSON) print_json(r->p, e, r->printed == 0, stdout);
  else print_table(r->p, e, stdout);
  r->printed++;
}

/* Whether a record is within --within: its next tier has a score part,
   and the score is at most that many points short of it. */
static bool qualifies(const TargetsOpts *o, const RbTarget *t) {
  return !o->within || (t->next >= 0 && t->has_gap && t->gap <= o->within_points);
}

static int by_distance(const void *a, const void *b) {
  const Entry *x = a, *y = b;
  if (x->t.gap != y->t.gap) return x->t.gap < y->t.gap ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Where a key was first seen: the file's index in the upper 16 bits, the
   line below them, as stream.c keeps it. */
#define PLACE_LINE_BITS 48

/* Whether the current record's key was seen before in this run, with
   where (*first); the key is added when it was not.  As eval does it: on
   every record the reader could split, before validation (a rejected
   record still takes its key), keys compared as the cells hold them. */
static bool key_seen(Run *r, const RecordsFile *f, uint64_t *first) {
  const Program *p = r->p;
  if (f->r.error || !p->nkeys) return false;
  keyset_begin(&r->keys);
  for (int k = 0; k < p->nkeys; k++) {
    int col = f->map.col_of_field[p->keys[k]];
    if (col >= f->r.ncells) return false;
    if (col < 0) keyset_part(&r->keys, "", 0);   /* an optional key with no column: as if empty */
    else keyset_part(&r->keys, f->r.rec + f->r.cell_off[col], f->r.cell_len[col]);
  }
  return !keyset_add(&r->keys, (uint64_t)r->file << PLACE_LINE_BITS | (uint64_t)f->r.rec_line, first);
}

/* "FILE:LINE: record 'K' repeats the key of the record on line N", as
   eval says it. */
static void report_repeat(const Run *r, const RecordsFile *f, const Row *row, uint64_t first) {
  char key[256];
  long line = (long)(first & ((UINT64_C(1) << PLACE_LINE_BITS) - 1));
  int file = (int)(first >> PLACE_LINE_BITS);
  fprintf(stderr, "%s:%ld: record '%s' repeats the key of the record on ", f->r.name, f->r.rec_line,
          key_text(r->p, row, key, sizeof key));
  if (file == r->file) fprintf(stderr, "line %ld\n", line);
  else fprintf(stderr, "%s:%ld\n", r->paths[file], line);
}

/* One valid record: its targets, printed or kept.  A record the program
   cannot score is reported as eval reports it (its plain evaluation). */
static void one_record(Run *r, const RecordsFile *f, const Row *row) {
  Entry e;
  VmStatus st = vm_eval(r->vm, row);
  if (st == VM_OK) st = rb_targets_read(r->p, r->vm, row, &e.t);
  if (st != VM_OK) {
    report_vm_error(stderr, r->p, &f->r, row, r->vm, st);
    r->problems = true;
    return;
  }
  if (!qualifies(r->o, &e.t)) { rb_target_free(&e.t); return; }
  rb_targets_find(r->p, r->vm, row, &e.t);
  entry_init(&e, r->p, row, f->r.name, f->r.rec_line, r->seq++);
  if (!r->o->within) {
    emit(r, &e);
    entry_free(r->p, &e);
    return;
  }
  if (r->nkept == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 64;
    r->kept = realloc(r->kept, (size_t)r->cap * sizeof *r->kept);
    if (!r->kept) abort();
  }
  r->kept[r->nkept++] = e;
}

/* Reads one records file; false when it cannot be read. */
static bool one_file(Run *r, const char *path) {
  const Program *p = r->p;
  RecordsFile f;
  if (!records_open(&f, cli_name, p, path, stderr)) return false;
  Row row = {calloc((size_t)p->nfields + 1, sizeof *row.vals), calloc((size_t)p->nfields + 1, 1), NULL};
  if (!row.vals || !row.set) abort();
  char why[REC_WHY_MAX];
  while (csv_next(&f.r)) {
    int field;
    uint64_t first;
    bool seen = key_seen(r, &f, &first);
    if (!rec_validate(p, &f.r, &f.map, &row, &field, why)) {
      report_reject(stderr, p, &f.r, field, why);
      r->problems = true;
      continue;
    }
    if (seen) {
      report_repeat(r, &f, &row, first);
      r->problems = true;
      continue;
    }
    if (r->o->nids && !rb_explain_key_matches(p, &row, r->o->ids, r->o->nids)) continue;
    r->found = true;
    row.acts = act_source_for(&r->acts, &f.r, &f.map);
    one_record(r, &f, &row);
  }
  bool ok = !f.r.gave_up && !f.r.read_errno;
  records_close(&f);
  free(row.vals);
  free(row.set);
  return ok;
}

static int run(const Program *p, VmCtx *vm, const TargetsOpts *o, char **paths, int npaths) {
  Run r = {.p = p, .vm = vm, .o = o, .paths = paths};
  if (!act_source_open(&r.acts, p, cli_name, o->acts.path, o->acts.has_as_of, o->acts.as_of, stderr)) {
    act_source_close(&r.acts);
    return EXIT_USAGE;
  }
  if (o->acts.has_as_of) vm_set_as_of(vm, o->acts.as_of);
  keyset_init(&r.keys);
  bool readable = true;
  if (o->format == FMT_JSON) fputs("{\"records\":[", stdout);
  for (r.file = 0; r.file < npaths; r.file++) readable &= one_file(&r, paths[r.file]);
  if (r.nkept > 1) qsort(r.kept, (size_t)r.nkept, sizeof *r.kept, by_distance);
  for (int i = 0; i < r.nkept; i++) {
    emit(&r, &r.kept[i]);
    entry_free(p, &r.kept[i]);
  }
  free(r.kept);
  keyset_free(&r.keys);
  act_source_close(&r.acts);
  if (o->format == FMT_JSON) fputs(r.printed ? "\n]}\n" : "]}\n", stdout);
  if (!readable) return EXIT_USAGE;
  if (o->nids && !r.found) {
    cli_no_record_with_key(o->ids, o->nids, npaths == 1 ? paths[0] : NULL);
    return EXIT_PROBLEMS;
  }
  return r.problems ? EXIT_PROBLEMS : 0;
}

int cmd_targets(int argc, char **argv) {
  TargetsOpts o = {.ids = calloc((size_t)argc + 1, sizeof *o.ids), .format = FMT_TABLE};
  if (!o.ids) abort();
  int status = parse(argc, argv, &o);
  Program p;
  if (status < 0) { int st = cli_load(argv[optind], &p); if (st) status = st; }
  if (status < 0) {
    if ((status = cli_acts_check(&o.acts, &p, usage)) >= 0) {
      /* said */
    } else if (!p.ntiers) {
      status = cli_usage_error(usage, "%s", "the program has no tiers: there is no next tier to name");
    } else if (!o.nids || (status = cli_check_ids(&p, o.nids, usage)) < 0) {
      VmCtx vm;
      if (!vm_init(&vm, &p)) abort();
      status = cli_sets_apply(&o.sets, &p, vm.params) ? run(&p, &vm, &o, argv + optind + 1, argc - optind - 1)
                                                       : EXIT_USAGE;
      vm_free(&vm);
    }
    program_free(&p);
  }
  cli_sets_free(&o.sets);
  free(o.ids);
  return status;
}

/*
** common.c — see common.h: what every command of the rubric binary does
** the same way.  Messages start with "rubric: " and go to standard error;
** a command's results go to standard output, which is cli_stdout.
*/
#include "common.h"

#include <dirent.h>
#include <fnmatch.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bytecode.h"
#include "date.h"
#include "compile.h"

const char *const cli_name = "rubric";
OutFile cli_stdout;
RbDiagFormat cli_diag_format = RB_DIAG_HUMAN;
bool cli_werror = false, cli_quiet = false, cli_show_warnings = false;

/* The --allow codes of this run: at most one a command-line argument. */
#define ALLOW_MAX 64
static const char *allowed[ALLOW_MAX];
static int nallowed;

/* Adds the codes of one --allow (R0803 or R0803,R0808); false for a code
   that is not a warning's. */
static bool add_allowed(char *list, const char **bad) {
  for (char *code = strtok(list, ", "); code; code = strtok(NULL, ", ")) {
    bool known = false;
    for (int c = 0; c < DIAG__COUNT && !known; c++)
      known = strcmp(diag_code_name((DiagCode)c), code) == 0 && diag_code_severity((DiagCode)c) == DIAG_WARNING;
    if (!known) { *bad = code; return false; }
    if (nallowed < ALLOW_MAX) allowed[nallowed++] = code;
  }
  return true;
}

/* ---- options ---- */

int cli_usage_error(const char *usage, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s: ", cli_name);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\n%s", usage);
  return EXIT_USAGE;
}

int cli_jobs(const char *usage, const char *arg, int *jobs) {
  char *end;
  long n = strtol(arg, &end, 10);
  if (*end || end == arg || n < 0 || n > CLI_MAX_JOBS)
    return cli_usage_error(usage, "--jobs takes a number from 0 (one per processor) to %d, not '%s'",
                           CLI_MAX_JOBS, arg);
  if (n == 0) n = sysconf(_SC_NPROCESSORS_ONLN);
  *jobs = n < 1 ? 1 : n > CLI_MAX_JOBS ? CLI_MAX_JOBS : (int)n;
  return -1;
}

int cli_acts_option(StreamActs *a, const char *usage, int c, const char *arg) {
  switch (c) {
  case CLI_OPT_ACTIVITIES: a->path = arg; return 1;
  case CLI_OPT_SORTED: a->sorted = true; return 1;
  case CLI_OPT_AS_OF:
    if (!date_parse(arg, strlen(arg), &a->as_of)) {
      cli_usage_error(usage, "--as-of takes a date as YYYY-MM-DD, not '%s'", arg);
      return -1;
    }
    a->has_as_of = true;
    return 1;
  case CLI_OPT_MAX_MEMORY: {
    char *end;
    errno = 0;
    unsigned long long n = strtoull(arg, &end, 10);
    unsigned shift = *end == 'K' || *end == 'k' ? 10 : *end == 'M' || *end == 'm' ? 20 : *end == 'G' || *end == 'g' ? 30 : 0;
    if (shift) end++;
    if (end == arg || *end || errno || n == 0 || arg[0] == '-' || n > (SIZE_MAX >> shift)) {
      cli_usage_error(usage, "--max-memory takes a size such as 512M, 2G or 100000K, not '%s'", arg);
      return -1;
    }
    a->max_memory = (size_t)n << shift;
    return 1;
  }
  default: return 0;
  }
}

int cli_acts_check(const StreamActs *a, const Program *p, const char *usage) {
  if (p->nafields && !a->path)
    return cli_usage_error(usage, "the program declares activities: give them with --activities FILE");
  if (!p->nafields && a->path)
    return cli_usage_error(usage, "--activities: the program declares no activity block to read them into");
  if ((a->sorted || a->max_memory) && !a->path)
    return cli_usage_error(usage, "%s goes with --activities FILE", a->sorted ? "--sorted" : "--max-memory");
  if (a->has_as_of) return -1;
  if (p->period_months > 0)
    return cli_usage_error(usage, "the program's period is the %d months to as_of: give the date with --as-of DATE",
                           p->period_months);
  if (p->uses_as_of && !p->has_period)
    return cli_usage_error(usage, "the program reads as_of and has no period: give the date with --as-of DATE");
  return -1;
}

/* A version's first day: its `effective` date, or the beginning of time. */
static int64_t effective_of(const Program *p) { return p->has_effective ? p->effective : INT64_MIN; }

int cli_choose_version(const char *const *versions, int nversions, int64_t as_of, Program *p, const char **path) {
  bool in_force = effective_of(p) <= as_of;
  for (int i = 0; i < nversions; i++) {
    Program v;
    int st = cli_load(versions[i], &v);
    if (st) return st;
    int64_t e = effective_of(&v), cur = effective_of(p);
    if (e == cur && e <= as_of) {
      char d[16] = "(none)";
      if (v.has_effective) date_format(e, d);
      fprintf(stderr, "%s: %s and %s both take effect on %s: give each version its own effective date\n",
              cli_name, *path, versions[i], d);
      program_free(&v);
      return EXIT_USAGE;
    }
    /* in force, and later than the one kept, or the one kept is not in force and this is earlier */
    if ((e <= as_of && (!in_force || e > cur)) || (!in_force && e > as_of && e < cur)) {
      program_free(p);
      *p = v;
      *path = versions[i];
      in_force = e <= as_of;
    } else {
      program_free(&v);
    }
  }
  char d[16], a[16];
  date_format(as_of, a);
  if (!in_force) {
    date_format(effective_of(p), d);
    fprintf(stderr, "%s: no version is in force on %s: the earliest, %s, takes effect on %s\n", cli_name, a, *path, d);
    return EXIT_USAGE;
  }
  if (p->has_effective) date_format(p->effective, d);
  fprintf(stderr, "%s: as of %s, %s governs (effective %s)\n", cli_name, a, *path, p->has_effective ? d : "from the start");
  return 0;
}

void cli_acts_summary(const StreamActs *a, const ActStats *st) {
  if (a->path) act_stats_line(stderr, st);
}

/* The option getopt_long just refused, as the user wrote it: "--jobs"
   (without "=VALUE") or "-j".  A short option is named from optopt, since
   in a cluster (-vx) argv[optind - 1] need not be the argument it came from. */
static void refused_option(int c, int argc, char **argv, char *buf, size_t n) {
  const char *arg = optind >= 1 && optind <= argc ? argv[optind - 1] : "";
  bool is_long = strncmp(arg, "--", 2) == 0 && (c == ':' || optopt == 0 || strchr(arg, '='));
  if (is_long) snprintf(buf, n, "%.*s", (int)strcspn(arg, "="), arg);
  else snprintf(buf, n, "-%c", optopt > 0 && optopt < 0x100 ? optopt : '?');
}

int cli_option(const char *cmd, const char *usage, int c, int argc, char **argv) {
  char name[64];
  switch (c) {
  case 'h':
    fputs(usage, stdout);
    return 0;
  case CLI_OPT_DIAGNOSTICS:
    if (!rb_diag_format_parse(optarg, &cli_diag_format))
      return cli_usage_error(usage, "unknown diagnostics format '%s' (human, json or github)", optarg);
    return -1;
  case CLI_OPT_WERROR:
    cli_werror = true;
    return -1;
  case 'q':
    cli_quiet = true;
    return -1;
  case CLI_OPT_ALLOW: {
    const char *bad = NULL;
    if (!add_allowed(optarg, &bad))
      return cli_usage_error(usage, "--allow takes warning codes such as R0803, not '%s'", bad);
    return -1;
  }
  case ':':
    refused_option(c, argc, argv, name, sizeof name);
    return cli_usage_error(usage, "%s: the option '%s' needs a value", cmd, name);
  default:   /* '?' */
    refused_option(c, argc, argv, name, sizeof name);
    if (optopt && strchr(argv[optind - 1], '=') && strncmp(argv[optind - 1], "--", 2) == 0)
      return cli_usage_error(usage, "%s: the option '%s' takes no value", cmd, name);
    return cli_usage_error(usage, "%s does not take the option '%s'", cmd, name);
  }
}

/* ---- programs ---- */

char *cli_slurp(const char *path, size_t *len) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  if (!buf) abort();
  size_t got;
  while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      buf = realloc(buf, cap *= 2);
      if (!buf) abort();
    }
  }
  /* A folder opens but does not read (EISDIR): say so, not "empty". */
  int bad = ferror(f) ? errno : 0;
  if (f != stdin) fclose(f);
  if (bad) {
    free(buf);
    errno = bad;
    return NULL;
  }
  *len = n;
  return buf;
}

void cli_print_diags(const DiagList *dl) {
  FILE *out = cli_diag_format == RB_DIAG_HUMAN ? stderr : stdout;
  bool warnings = cli_werror || (cli_show_warnings && !cli_quiet);
  for (const Diag *d = dl->head; d; d = d->next)
    if (d->sev != DIAG_WARNING || warnings) rb_diag_print(d, cli_diag_format, cli_name, out);
}

/* A compiled program file (rubric build) starts with this. */
static bool has_magic(const unsigned char *m, size_t n) {
  return n >= 4 && m[0] == 'R' && m[1] == 'B' && m[2] == 'C' && m[3] == 0x1a;
}

bool cli_is_bytecode(const char *path) {
  if (strcmp(path, "-") == 0) return false;
  FILE *f = fopen(path, "rb");
  if (!f) return false;
  unsigned char m[4] = {0};
  size_t n = fread(m, 1, 4, f);
  fclose(f);
  return has_magic(m, n);
}

static int read_bytecode(const char *path, char *data, size_t len, Program *p) {
  char why[512];
  bool ok = bc_read((const unsigned char *)data, len, p, why, sizeof why);
  free(data);
  if (!ok) {
    fprintf(stderr, "%s: %s: %s\n", cli_name, path, why);
    return EXIT_PROBLEMS;
  }
  return 0;
}

static int load_bytecode(const char *path, Program *p) {
  size_t len;
  char *data = cli_slurp(path, &len);
  if (!data) {
    fprintf(stderr, "%s: cannot read %s: %s\n", cli_name, path, strerror(errno));
    return EXIT_USAGE;
  }
  return read_bytecode(path, data, len, p);
}

int cli_load(const char *path, Program *p) {
  if (cli_is_bytecode(path)) return load_bytecode(path, p);
  /* Standard input is read whole first: it may be a .rbc (rubric build -o -
     | rubric eval -), which no one can peek at without consuming it. */
  char *text = NULL;
  size_t len = 0;
  if (strcmp(path, "-") == 0) {
    if (!(text = cli_slurp(path, &len))) {
      fprintf(stderr, "%s: cannot read standard input: %s\n", cli_name, strerror(errno));
      return EXIT_USAGE;
    }
    if (has_magic((const unsigned char *)text, len)) return read_bytecode("<stdin>", text, len, p);
  }
  Ast ast;
  DiagList dl;
  diag_init(&dl);
  bool ok = text ? front_compile_text(path, text, len, &ast, &dl, p) : front_compile(path, &ast, &dl, p);
  free(text);
  bool unreadable = dl.head && dl.head->code == R0106 && !dl.head->src;
  diag_drop_allowed(&dl, allowed, nallowed);
  cli_print_diags(&dl);
  if (ok && cli_werror && dl.warnings) {   /* --werror: a warning fails like an error */
    program_free(p);
    ok = false;
  }
  ast_free(&ast);
  diag_free(&dl);
  return ok ? 0 : unreadable ? EXIT_USAGE : EXIT_PROBLEMS;
}

int cli_check_ids(const Program *p, int nids, const char *usage) {
  int required = 0;
  for (int k = 0; k < p->nkeys; k++) required += !p->fields[p->keys[k]].optional;
  if (nids >= required && nids <= p->nkeys) return -1;
  return cli_usage_error(usage, "the record has %d key field%s: give --id once for each, in order", p->nkeys,
                         p->nkeys == 1 ? "" : "s");
}

void cli_no_record_with_key(const char *const *ids, int nids, const char *path) {
  fprintf(stderr, "%s: no valid record with key '", cli_name);
  for (int i = 0; i < nids; i++) fprintf(stderr, "%s%s", i ? "/" : "", ids[i]);
  if (path) fprintf(stderr, "' in %s\n", path);
  else fputs("'\n", stderr);
}

bool cli_apply_sets(VmCtx *vm, const char *const *sets, int nsets) {
  CliSets s = {0};
  bool ok = true;
  for (int i = 0; i < nsets && ok; i++) ok = cli_sets_add(&s, sets[i]);
  if (ok) ok = cli_sets_apply(&s, vm->prog, vm->params);
  cli_sets_free(&s);
  return ok;
}

/* ---- params: --set and scenario files ---- */

/* A scenario file names a few params: more than this is not one. */
#define SCENARIO_MAX_BYTES (1 << 20)

static char *xstrndup(const char *p, size_t n) {
  char *s = malloc(n + 1);
  if (!s) abort();
  memcpy(s, p, n);
  s[n] = '\0';
  return s;
}

static CliSet *new_set(CliSets *s) {
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 8;
    s->v = realloc(s->v, (size_t)s->cap * sizeof *s->v);
    if (!s->v) abort();
  }
  CliSet *x = &s->v[s->n++];
  memset(x, 0, sizeof *x);
  return x;
}

bool cli_sets_add(CliSets *s, const char *arg) {
  const char *eq = strchr(arg, '=');
  if (!eq || eq == arg) {
    fprintf(stderr, "%s: --set %s: write NAME=VALUE\n", cli_name, arg);
    return false;
  }
  CliSet *x = new_set(s);
  x->name = xstrndup(arg, (size_t)(eq - arg));
  x->value = xstrndup(eq + 1, strlen(eq + 1));
  x->arg = arg;
  return true;
}

static bool name_char(char c, bool first) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
}

/* One line of a scenario: blank, a comment, or `name[.key] = value [# ...]`.
   False, having said why at FILE:LINE:COL. */
static bool scenario_line(CliSets *s, const char *file, int line, const char *p, size_t n) {
  size_t i = 0;
  while (i < n && (p[i] == ' ' || p[i] == '\t')) i++;
  if (i == n || p[i] == '#') return true;
#define SAY(col, ...) do { fprintf(stderr, "%s:%d:%d: ", file, line, (int)(col) + 1); \
    fprintf(stderr, __VA_ARGS__); putc('\n', stderr); return false; } while (0)
  size_t name = i;
  if (!name_char(p[i], true)) SAY(i, "expected a param's name, as in 'premium_min = 550'");
  while (i < n && name_char(p[i], false)) i++;
  if (i < n && p[i] == '.') {   /* a keyed param's key */
    i++;
    if (i == n || !name_char(p[i], true)) SAY(i, "expected a key after '.', as in 'benchmark.east = 250000'");
    while (i < n && name_char(p[i], false)) i++;
  }
  size_t name_end = i;
  while (i < n && (p[i] == ' ' || p[i] == '\t')) i++;
  if (i == n || p[i] != '=') SAY(i, "expected '=' after '%.*s'", (int)(name_end - name), p + name);
  i++;
  while (i < n && (p[i] == ' ' || p[i] == '\t')) i++;
  size_t value = i;
  while (i < n && p[i] != ' ' && p[i] != '\t' && p[i] != '#') i++;
  if (i == value) SAY(i, "no value after '='");
  size_t value_end = i;
  while (i < n && (p[i] == ' ' || p[i] == '\t')) i++;
  if (i < n && p[i] != '#') SAY(i, "unexpected text after the value: one 'name = value' a line");
  for (int k = 0; k < s->n; k++) {   /* the same param twice in one file is a slip */
    const CliSet *o = &s->v[k];
    if (o->file == file && strlen(o->name) == name_end - name && memcmp(o->name, p + name, name_end - name) == 0)
      SAY(name, "'%s' is set twice in this file (first on line %d)", o->name, o->line);
  }
#undef SAY
  CliSet *x = new_set(s);
  x->name = xstrndup(p + name, name_end - name);
  x->value = xstrndup(p + value, value_end - value);
  x->file = file;
  x->line = line;
  x->col = (int)name + 1;
  x->vcol = (int)value + 1;
  return true;
}

bool cli_sets_read(CliSets *s, const char *path) {
  size_t len;
  char *text = cli_slurp(path, &len);
  if (!text) {
    fprintf(stderr, "%s: cannot read %s: %s\n", cli_name, path, strerror(errno));
    return false;
  }
  if (len > SCENARIO_MAX_BYTES) {
    fprintf(stderr, "%s: %s: more than %d bytes: a scenario is one 'name = value' a line\n", cli_name,
            path, SCENARIO_MAX_BYTES);
    free(text);
    return false;
  }
  s->files = realloc(s->files, (size_t)(s->nfiles + 1) * sizeof *s->files);
  if (!s->files) abort();
  const char *file = s->files[s->nfiles++] = xstrndup(path, strlen(path));
  bool ok = true;
  int line = 1;
  for (size_t at = 0; ok && at < len; line++) {
    size_t end = at;
    while (end < len && text[end] != '\n') end++;
    size_t n = end - at;
    if (n && text[at + n - 1] == '\r') n--;
    const char *nul = memchr(text + at, '\0', n);
    if (nul) {
      fprintf(stderr, "%s:%d:%d: a NUL byte: this is not a scenario file\n", file, line, (int)(nul - text - at) + 1);
      ok = false;
    } else {
      ok = scenario_line(s, file, line, text + at, n);
    }
    at = end + 1;
  }
  free(text);
  return ok;
}

int cli_sets_option(CliSets *s, int c, const char *arg) {
  if (c == 's') return cli_sets_add(s, arg) ? 1 : -1;
  if (c == CLI_OPT_SET_FILE) return cli_sets_read(s, arg) ? 1 : -1;
  return 0;
}

/* Where a setting came from, to start its message: "FILE:LINE:COL: NAME = VALUE"
   for a scenario line (col: the name's, or the value's), "--set ARG" else. */
static void set_where(const CliSet *x, bool at_value) {
  if (x->file) fprintf(stderr, "%s:%d:%d: %s = %s: ", x->file, x->line, at_value ? x->vcol : x->col, x->name, x->value);
  else fprintf(stderr, "%s: --set %s: ", cli_name, x->arg ? x->arg : x->name);
}

/* "a, b, c and 5 more": the first few of a list of names. */
static void list_names(const char *const *names, int n) {
  enum { SHOW = 8 };
  for (int i = 0; i < n && i < SHOW; i++) fprintf(stderr, "%s%s", i ? ", " : "", names[i]);
  if (n > SHOW) fprintf(stderr, " and %d more", n - SHOW);
}

/* "; did you mean 'a' or 'b'?" for the names nearest to name, or, when
   none is near, "; WHAT: " and the names there are. */
static void nearest(const char *name, size_t len, const char *const *cands, int n, const char *what) {
  const char *near[3];
  size_t k = diag_nearest(name, len, cands, (size_t)n, near, 3);
  if (k) {
    fputs("; did you mean ", stderr);
    for (size_t i = 0; i < k; i++) fprintf(stderr, "%s'%s'", i == 0 ? "" : i + 1 == k ? " or " : ", ", near[i]);
    fputs("?", stderr);
  } else if (n) {
    fprintf(stderr, "; %s: ", what);
    list_names(cands, n);
  }
}

/* The param setting x names, and the index of its value; -1 after saying
   why (an unknown name with the nearest ones, a missing or unknown key). */
static int find_param(const CliSet *x, const Program *p, int *index) {
  const char *why;
  int param = program_param_find(p, x->name, index, &why);
  if (param >= 0) return param;
  const char *dot = strchr(x->name, '.');
  size_t len = dot ? (size_t)(dot - x->name) : strlen(x->name);
  set_where(x, false);
  int known = -1;
  for (int i = 0; i < p->nparams; i++)
    if (strlen(p->params[i].name) == len && memcmp(p->params[i].name, x->name, len) == 0) known = i;
  const char **cands = calloc((size_t)p->nparams + 1, sizeof *cands);
  if (!cands) abort();
  if (known < 0) {
    fprintf(stderr, "the program has no param '%.*s'", (int)len, x->name);
    for (int i = 0; i < p->nparams; i++) cands[i] = p->params[i].name;
    if (!p->nparams) fputs(" (it has no params)", stderr);
    nearest(x->name, len, cands, p->nparams, "its params are");
  } else {
    const ParamInfo *pi = &p->params[known];
    if (pi->keyfield < 0) {
      fprintf(stderr, "param '%s' has no keys: set %s=VALUE", pi->name, pi->name);
    } else {
      const FieldInfo *f = &p->fields[pi->keyfield];
      const char *const *keys = (const char *const *)f->members;
      if (!dot) {
        fprintf(stderr, "param '%s' is keyed by %s: set %s.KEY=VALUE, KEY one of: ", pi->name, f->name, pi->name);
        list_names(keys, f->nmembers);
      } else {
        fprintf(stderr, "param '%s' has no key '%s' (its keys are the values of %s)", pi->name, dot + 1, f->name);
        nearest(dot + 1, strlen(dot + 1), keys, f->nmembers, "they are");
      }
    }
  }
  putc('\n', stderr);
  free(cands);
  return -1;
}

bool cli_param_named(const Program *p, const char *arg) {
  const char *eq = strchr(arg, '=');
  if (!eq || eq == arg) return true;   /* the caller says what the shape should be */
  CliSet x = {.name = strndup(arg, (size_t)(eq - arg)), .arg = arg};
  if (!x.name) abort();
  int index;
  bool known = find_param(&x, p, &index) >= 0;
  free(x.name);
  return known;
}

bool cli_sets_apply(const CliSets *s, const Program *p, int64_t *values) {
  for (int i = 0; i < s->n; i++) {
    const CliSet *x = &s->v[i];
    int index, param = find_param(x, p, &index);
    if (param < 0) return false;
    const char *why;
    ValueType t = (ValueType)p->params[param].type;
    if (!program_param_parse(t, x->value, &values[index], &why)) {
      set_where(x, true);
      fprintf(stderr, "%s holds %s; '%s': %s\n", p->params[param].name, program_type_name(t), x->value, why);
      return false;
    }
  }
  int vlo, vhi, r = program_rules_broken(p, values, &vlo, &vhi);
  if (r < 0) return true;
  /* Name the last setting of either end: the one most likely to be wrong. */
  const CliSet *culprit = NULL;
  for (int i = 0; i < s->n; i++) {
    int index;
    const char *why;
    if (program_param_find(p, s->v[i].name, &index, &why) >= 0 && (index == vlo || index == vhi))
      culprit = &s->v[i];
  }
  char text[1024];
  program_rule_text(p, r, values, vlo, vhi, text, sizeof text);
  if (culprit) set_where(culprit, true);
  else fprintf(stderr, "%s: with these settings, ", cli_name);
  fprintf(stderr, "%s\n", text);
  return false;
}

void cli_sets_free(CliSets *s) {
  for (int i = 0; i < s->n; i++) {
    free(s->v[i].name);
    free(s->v[i].value);
  }
  free(s->v);
  for (int i = 0; i < s->nfiles; i++) free(s->files[i]);
  free(s->files);
  memset(s, 0, sizeof *s);
}

/* ---- output ---- */

int cli_within(const char *usage, const char *arg, Dec *points) {
  DecStatus st = dec_parse(arg, strlen(arg), points);
  if (st != DEC_OK || *points < 0)
    return cli_usage_error(usage, "--within takes a number of points, 0 or more, not '%s'%s%s", arg,
                           st != DEC_OK ? ": " : "", st != DEC_OK ? dec_status_text(st) : "");
  return -1;
}

bool cli_open_output(OutFile *o, const char *path) {
  if (outfile_open(o, path)) return true;
  fprintf(stderr, "%s: cannot write %s: %s\n", cli_name, path, strerror(o->err));
  return false;
}

bool cli_close_output(OutFile *o) {
  if (outfile_close(o)) return true;
  fprintf(stderr, "%s: cannot write %s: %s\n", cli_name, o->name, strerror(o->err));
  return false;
}

/* Writing output would destroy what is being read.  Compared by device and
   inode, so another spelling or a hard link is caught; only regular files,
   since /dev/stdin and /dev/stdout may well be the same terminal. */
bool cli_output_is_input(const char *opt, const char *output, const char *const *inputs, int ninputs,
                         const Program *p) {
  struct stat o, in;
  if (stat(output, &o) != 0 || !S_ISREG(o.st_mode)) return false;
  int n = ninputs + (p ? p->nfiles : 0);
  for (int k = 0; k < n; k++) {
    const char *path = k < ninputs ? inputs[k] : p->files[k - ninputs];
    bool std = strcmp(path, "-") == 0;
    if ((std ? fstat(STDIN_FILENO, &in) : stat(path, &in)) != 0) continue;
    if (in.st_dev == o.st_dev && in.st_ino == o.st_ino) {
      fprintf(stderr, "%s: %s %s is the same file as the input %s: refusing to overwrite it\n",
              cli_name, opt, output, std ? "(standard input)" : path);
      return true;
    }
  }
  return false;
}

/* ---- folders of programs ---- */

/* Folders are walked at most this deep: deeper is a mistake, not a program tree. */
#define WALK_MAX_DEPTH 32

/* Lines longer than this are not searched for a test block: a program's
   `test "name"` line is short, and fgets reads the rest as further lines. */
#define TEST_LINE_MAX 4096

static bool has_test_block(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return false;
  char line[TEST_LINE_MAX];
  bool found = false;
  while (!found && fgets(line, sizeof line, f)) {
    const char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    if (strncmp(p, "test", 4) == 0 && (p[4] == ' ' || p[4] == '\t')) {
      p += 4;
      while (*p == ' ' || *p == '\t') p++;
      found = *p == '"';
    }
  }
  fclose(f);
  return found;
}

static int cmp_paths(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

void cli_paths_add(PathList *l, const char *path) {
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 16;
    l->v = realloc(l->v, (size_t)l->cap * sizeof *l->v);
    if (!l->v) abort();
  }
  l->v[l->n] = strdup(strncmp(path, "./", 2) == 0 && path[2] ? path + 2 : path);
  if (!l->v[l->n]) abort();
  l->n++;
}

void cli_paths_sort(PathList *l) {
  if (l->n > 1) qsort(l->v, (size_t)l->n, sizeof *l->v, cmp_paths);   /* v is NULL when empty */
}

void cli_paths_free(PathList *l) {
  for (int i = 0; i < l->n; i++) free(l->v[i]);
  free(l->v);
  l->v = NULL;
  l->n = l->cap = 0;
}

static bool first_visit(Walk *w, const struct stat *st) {
  for (int i = 0; i < w->nseen; i++)
    if (w->seen[i].dev == st->st_dev && w->seen[i].ino == st->st_ino) return false;
  if (w->nseen == w->cap) {
    w->cap = w->cap ? w->cap * 2 : 64;
    w->seen = realloc(w->seen, (size_t)w->cap * sizeof *w->seen);
    if (!w->seen) abort();
  }
  w->seen[w->nseen].dev = st->st_dev;
  w->seen[w->nseen].ino = st->st_ino;
  w->nseen++;
  return true;
}

/* The longest .rubricignore read: a list of a few names, not a program. */
#define IGNORE_MAX_BYTES 65536

/* The patterns of dir/.rubricignore, which names entries of that folder a
   walk leaves out: one pattern a line (fnmatch: * ? [...]), '#' starts a
   comment, a trailing '/' is dropped.  None when there is no such file. */
static void read_ignores(const char *dir, PathList *pats) {
  char path[4096];
  int n = snprintf(path, sizeof path, "%s/.rubricignore", dir);
  if (n <= 0 || (size_t)n >= sizeof path) return;
  FILE *f = fopen(path, "r");
  if (!f) return;
  char line[1024];
  long read = 0;
  while (read < IGNORE_MAX_BYTES && fgets(line, sizeof line, f)) {
    read += (long)strlen(line);
    char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    size_t len = strcspn(p, "#\r\n");
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '/')) len--;
    if (!len) continue;
    p[len] = '\0';
    cli_paths_add(pats, p);
  }
  fclose(f);
}

static bool ignored(const PathList *pats, const char *name) {
  for (int i = 0; i < pats->n; i++)
    if (fnmatch(pats->v[i], name, 0) == 0) return true;
  return false;
}

static bool walk(Walk *w, const char *path, int depth, bool named) {
  struct stat st;
  if (strcmp(path, "-") == 0) { cli_paths_add(w->out, path); return true; }
  if (stat(path, &st) != 0) return false;
  if (!first_visit(w, &st)) return true;
  if (!S_ISDIR(st.st_mode)) {
    size_t len = strlen(path);
    bool program = len >= 7 && strcmp(path + len - 7, ".rubric") == 0;
    if (named || (program && (!w->tests_only || has_test_block(path)))) cli_paths_add(w->out, path);
    return true;
  }
  if (depth >= WALK_MAX_DEPTH) return true;
  DIR *d = opendir(path);
  if (!d) return false;
  PathList entries = {0}, pats = {0};
  read_ignores(path, &pats);
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.' || strcmp(e->d_name, "build") == 0 || ignored(&pats, e->d_name)) continue;
    char sub[4096];
    int n = snprintf(sub, sizeof sub, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", e->d_name);
    if (n > 0 && (size_t)n < sizeof sub) cli_paths_add(&entries, sub);
  }
  closedir(d);
  cli_paths_free(&pats);
  cli_paths_sort(&entries);
  for (int i = 0; i < entries.n; i++) walk(w, entries.v[i], depth + 1, false);
  cli_paths_free(&entries);
  return true;
}

bool cli_walk(Walk *w, const char *path, bool named) { return walk(w, path, 0, named); }

bool cli_is_folder(const char *path) {
  struct stat st;
  return strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

void cli_walk_free(Walk *w) {
  free(w->seen);
  w->seen = NULL;
  w->nseen = w->cap = 0;
}

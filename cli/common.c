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

static bool is_bytecode(const char *path) {
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
  if (is_bytecode(path)) return load_bytecode(path, p);
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
  for (int i = 0; i < nsets; i++) {
    char name[256];
    const char *eq = strchr(sets[i], '='), *why = NULL;
    if (!eq || eq == sets[i] || (size_t)(eq - sets[i]) >= sizeof name) {
      fprintf(stderr, "%s: --set %s: write NAME=VALUE\n", cli_name, sets[i]);
      return false;
    }
    memcpy(name, sets[i], (size_t)(eq - sets[i]));
    name[eq - sets[i]] = '\0';
    if (!vm_set_param(vm, name, eq + 1, &why)) {
      fprintf(stderr, "%s: --set %s: %s\n", cli_name, sets[i], why);
      return false;
    }
  }
  return true;
}

/* ---- output ---- */

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

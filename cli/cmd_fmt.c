/*
** cmd_fmt.c — `rubric fmt`: rewrite programs in the canonical layout
** (lang/format.c), or with --check print a unified diff of what would
** change, or with --stdout print the formatted text.  A program is
** rewritten through a temporary file renamed over it (outfile.h), never in
** place.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "format.h"
#include "parse.h"

static const char *const usage =
    "usage: rubric fmt [--check | --stdout] PROGRAM|FOLDER...\n"
    "Rewrite programs in the canonical layout (folders: every .rubric file in\n"
    "them). Comments stay where they were; the meaning never changes. - reads\n"
    "standard input and writes standard output.\n"
    "  --check               change nothing; print a diff of each file that is not\n"
    "                        formatted and exit 1 if there is one\n"
    "  --stdout              print the formatted text instead of rewriting files\n";

enum { OPT_CHECK = CLI_OPT_OWN, OPT_STDOUT };

/* Past this many cells (lines of old times lines of new) the diff's table
   of common subsequences would take too much memory: 64 MB of ints.  Such
   a file gets the line of its first difference instead. */
#define DIFF_MAX_CELLS 16000000LL

typedef struct Lines { const char **p; int *n; int count; } Lines;

static Lines split_lines(const char *s, size_t len) {
  Lines l = {0};
  int cap = 64;
  l.p = malloc(sizeof *l.p * (size_t)cap);
  l.n = malloc(sizeof *l.n * (size_t)cap);
  if (!l.p || !l.n) abort();
  for (size_t i = 0; i < len;) {
    size_t j = i;
    while (j < len && s[j] != '\n') j++;
    if (l.count == cap) {
      cap *= 2;
      l.p = realloc(l.p, sizeof *l.p * (size_t)cap);
      l.n = realloc(l.n, sizeof *l.n * (size_t)cap);
      if (!l.p || !l.n) abort();
    }
    l.p[l.count] = s + i;
    l.n[l.count++] = (int)(j - i);
    i = j + 1;
  }
  return l;
}

static bool same_line(const Lines *a, int i, const Lines *b, int j) {
  return a->n[i] == b->n[j] && memcmp(a->p[i], b->p[j], (size_t)a->n[i]) == 0;
}

/* A unified diff of old against new (longest common subsequence; two
   lines of context).  Very large inputs get the first difference only. */
static void print_diff(const char *name, const char *old, size_t oldlen, const char *new, size_t newlen) {
  Lines a = split_lines(old, oldlen), b = split_lines(new, newlen);
  int n = a.count, m = b.count;
  printf("--- %s\n+++ %s (formatted)\n", name, name);
  if ((long long)(n + 1) * (m + 1) > DIFF_MAX_CELLS) {
    int i = 0;
    while (i < n && i < m && same_line(&a, i, &b, i)) i++;
    printf("@@ the first difference is at line %d @@\n", i + 1);
    goto done;
  }
  {
    int *lcs = calloc((size_t)(n + 1) * (size_t)(m + 1), sizeof *lcs);
    if (!lcs) abort();
#define L(i, j) lcs[(size_t)(i) * (size_t)(m + 1) + (size_t)(j)]
    for (int i = n - 1; i >= 0; i--)
      for (int j = m - 1; j >= 0; j--)
        L(i, j) = same_line(&a, i, &b, j) ? L(i + 1, j + 1) + 1
                : L(i + 1, j) > L(i, j + 1) ? L(i + 1, j) : L(i, j + 1);
    /* Walk the edit script; print hunks of changes with context. */
    enum { CONTEXT = 2 };
    int i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && same_line(&a, i, &b, j)) { i++; j++; continue; }
      int hi = i - CONTEXT < 0 ? 0 : i - CONTEXT, hj = j - (i - hi);
      /* Find the hunk's end: CONTEXT*2 equal lines in a row, or the end. */
      int ei = i, ej = j, run = 0;
      while (ei < n || ej < m) {
        if (ei < n && ej < m && same_line(&a, ei, &b, ej)) {
          if (++run > 2 * CONTEXT) break;
          ei++; ej++;
        } else {
          run = 0;
          if (ej < m && (ei >= n || L(ei, ej + 1) >= L(ei + 1, ej))) ej++;
          else ei++;
        }
      }
      int ti = ei - (run > CONTEXT ? run - CONTEXT : 0), tj = ej - (run > CONTEXT ? run - CONTEXT : 0);
      if (run > 2 * CONTEXT) { ti = ei - CONTEXT; tj = ej - CONTEXT; }
      printf("@@ -%d,%d +%d,%d @@\n", hi + 1, ti - hi, hj + 1, tj - hj);
      int x = hi, y = hj;
      while (x < ti || y < tj) {
        if (x < ti && y < tj && same_line(&a, x, &b, y)) { printf(" %.*s\n", a.n[x], a.p[x]); x++; y++; }
        else if (y < tj && (x >= ti || L(x, y + 1) >= L(x + 1, y))) { printf("+%.*s\n", b.n[y], b.p[y]); y++; }
        else { printf("-%.*s\n", a.n[x], a.p[x]); x++; }
      }
      i = ti;
      j = tj;
    }
#undef L
    free(lcs);
  }
done:
  free(a.p); free(a.n); free(b.p); free(b.n);
}

typedef struct FmtRun { bool check, to_stdout; int changed, failed; } FmtRun;

static void fmt_file(FmtRun *fr, const char *path) {
  size_t len;
  char *text = cli_slurp(path, &len);
  if (!text) {
    fprintf(stderr, "%s: cannot read %s: %s\n", cli_name, path, strerror(errno));
    fr->failed = EXIT_USAGE;
    return;
  }
  DiagList dl;
  diag_init(&dl);
  char *out = fmt_source(path, text, len, &dl);
  if (!out) {
    /* Print with the source alive: the diagnostics point into a copy the
       formatter freed, so re-parse for the message. */
    Ast ast;
    DiagList dl2;
    diag_init(&dl2);
    ast_init(&ast, &dl2);
    parse_source(&ast, ast_source(&ast, path, text, len));
    cli_print_diags(&dl2);
    ast_free(&ast);
    diag_free(&dl2);
    if (!fr->failed) fr->failed = EXIT_PROBLEMS;
  } else if (fr->to_stdout || strcmp(path, "-") == 0) {
    fputs(out, stdout);
  } else if (strlen(out) != len || memcmp(out, text, len) != 0) {
    fr->changed++;
    if (fr->check) {
      print_diff(path, text, len, out, strlen(out));
    } else {
      /* Never in place: a temporary file renamed over the program when
         all of it is on disk (outfile.h), so a full disk leaves it whole. */
      OutFile f;
      if (!cli_open_output(&f, path)) {
        fr->failed = EXIT_USAGE;
      } else {
        fputs(out, f.f);
        if (cli_close_output(&f)) printf("formatted %s\n", path);
        else fr->failed = EXIT_USAGE;
      }
    }
  }
  free(out);
  free(text);
  diag_free(&dl);
}

/* Formats a file, or every .rubric file under a folder, each once. */
static void fmt_path(FmtRun *fr, Walk *w, const char *path) {
  PathList files = {0};
  w->out = &files;
  if (!cli_walk(w, path, true)) cli_paths_add(&files, path);   /* fmt_file says why it cannot be read */
  for (int i = 0; i < files.n; i++) fmt_file(fr, files.v[i]);
  cli_paths_free(&files);
}

/* fmt only parses, so it never meets a warning: --werror is taken, as by
   every command that reads programs, and cannot change its outcome. */
int cmd_fmt(int argc, char **argv) {
  static const struct option longopts[] = {
      {"check", no_argument, 0, OPT_CHECK}, {"stdout", no_argument, 0, OPT_STDOUT},
      CLI_OPTIONS_DIAG, CLI_OPTIONS_HELP,   {0, 0, 0, 0}};
  FmtRun fr = {0};
  int c, r;
  while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
    if (c == OPT_CHECK) fr.check = true;
    else if (c == OPT_STDOUT) fr.to_stdout = true;
    else if ((r = cli_option("fmt", usage, c, argc, argv)) >= 0) return r;
  }
  if (optind >= argc) return cli_usage_error(usage, "%s", "give programs or folders to format");
  Walk w = {0};
  for (int i = optind; i < argc; i++) fmt_path(&fr, &w, argv[i]);
  cli_walk_free(&w);
  if (fr.failed) return fr.failed;
  if (fr.check && fr.changed) {
    fprintf(stderr, "%d file%s not formatted: run rubric fmt on %s\n", fr.changed,
            fr.changed == 1 ? " is" : "s are", fr.changed == 1 ? "it" : "them");
    return EXIT_PROBLEMS;
  }
  return 0;
}

/*
** load.c — reading program files and following imports, then running the
** checker and code generator: the front end's one entry point.
**
** `import "name"` looks, in order, beside the importing file, in each folder
** of RUBRIC_PATH (colon-separated), then in ../share/rubric/stdlib beside
** the executable (an installed rubric), then in the source tree's stdlib/
** (a rubric run from its build tree).  "name" and "name.rubric" are both
** tried.  A file is read once,
** however many times it is imported, so import cycles are harmless.
*/
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile.h"

/* Program files larger than this are refused: nobody writes 64 MiB of rules. */
#define LOAD_MAX_FILE (64L << 20)
/* Imports nested deeper than this are refused. */
#define LOAD_MAX_IMPORTS 64

/* Reads the whole file; NULL with errno set on failure. */
static char *read_file(const char *path, size_t *len) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  if (!buf) abort();
  for (;;) {
    if (n == cap) {
      if (cap >= (size_t)LOAD_MAX_FILE) { free(buf); if (f != stdin) fclose(f); errno = EFBIG; return NULL; }
      cap *= 2;
      buf = realloc(buf, cap);
      if (!buf) abort();
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  int bad = ferror(f);
  if (f != stdin) fclose(f);
  if (bad) { free(buf); errno = EIO; return NULL; }
  *len = n;
  return buf;
}

static bool exists(const char *path) { return access(path, R_OK) == 0; }

static bool try_dir(const char *dir, size_t dirlen, const char *name, char *out, size_t n) {
  static const char *const ext[] = {"", ".rubric"};
  for (int i = 0; i < 2; i++) {
    int len = dirlen ? snprintf(out, n, "%.*s/%s%s", (int)dirlen, dir, name, ext[i])
                     : snprintf(out, n, "%s%s", name, ext[i]);
    if (len > 0 && (size_t)len < n && exists(out)) {
      /* A folder is not a program file. */
      FILE *f = fopen(out, "rb");
      if (f) {
        int c = fgetc(f);
        bool dir_like = c == EOF && ferror(f);
        fclose(f);
        if (!dir_like) return true;
      }
    }
  }
  return false;
}

static bool resolve(const Source *from, const char *name, char *out, size_t n) {
  const char *slash = strrchr(from->name, '/');
  if (name[0] == '/') return try_dir(NULL, 0, name, out, n);
  if (try_dir(slash ? from->name : ".", slash ? (size_t)(slash - from->name) : 1, name, out, n))
    return true;
  const char *path = getenv("RUBRIC_PATH");
  while (path && *path) {
    const char *colon = strchr(path, ':');
    size_t len = colon ? (size_t)(colon - path) : strlen(path);
    if (len && try_dir(path, len, name, out, n)) return true;
    path = colon ? colon + 1 : NULL;
  }
  char exe[PATH_MAX];
  ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (len > 0) {
    exe[len] = '\0';
    char *e = strrchr(exe, '/');
    if (e) *e = '\0';
    char dir[PATH_MAX + 64];
    snprintf(dir, sizeof dir, "%s/../share/rubric/stdlib", exe);
    if (try_dir(dir, strlen(dir), name, out, n)) return true;
  }
#ifdef RUBRIC_SOURCE_STDLIB
  /* A build tree's binary finds the source tree's stdlib. */
  if (try_dir(RUBRIC_SOURCE_STDLIB, strlen(RUBRIC_SOURCE_STDLIB), name, out, n)) return true;
#endif
  return false;
}

static bool already_read(Ast *ast, const char *path) {
  char want[PATH_MAX], have[PATH_MAX];
  if (!realpath(path, want)) return false;
  for (Source *s = ast->sources; s; s = s->next)
    if (realpath(s->name, have) && strcmp(want, have) == 0) return true;
  return false;
}

static bool load_text(Ast *ast, const char *name, const char *text, size_t len, int depth);

static bool load(Ast *ast, const char *path, const Tok *from, int depth) {
  size_t len = 0;
  char *text = read_file(path, &len);
  if (!text) {
    if (from)
      diag_add(ast->diags, R0106, from->src, from->line, from->col, from->n,
               "cannot read %s: %s", path, strerror(errno));
    else
      diag_add(ast->diags, R0106, NULL, 0, 0, 0, "cannot read %s: %s", path, strerror(errno));
    return false;
  }
  bool ok = load_text(ast, path, text, len, depth);
  free(text);
  return ok;
}

static bool load_text(Ast *ast, const char *name, const char *text, size_t len, int depth) {
  Source *src = ast_source(ast, name, text, len);
  Decl *last = ast->decls.tail;
  if (!parse_source(ast, src)) return false;
  bool ok = true;
  Decl *first = last ? last->next : ast->decls.head, *mine = ast->decls.tail;
  for (Decl *d = first; d; d = d == mine ? NULL : d->next) {
    if (d->kind != DECL_IMPORT) continue;
    if (depth >= LOAD_MAX_IMPORTS) {
      diag_add(ast->diags, R0108, d->name.src, d->name.line, d->name.col, d->name.n,
               "imports nested more than %d deep", LOAD_MAX_IMPORTS);
      return false;
    }
    char found[PATH_MAX];
    if (!resolve(src, d->title, found, sizeof found)) {
      Diag *dg = diag_add(ast->diags, R0107, d->name.src, d->name.line, d->name.col, d->name.n,
                          "cannot find '%s' to import", d->title);
      diag_hint(dg, "looked beside %s, in RUBRIC_PATH and in the standard library", src->name);
      ok = false;
      continue;
    }
    if (already_read(ast, found)) continue;
    /* Imported declarations are appended after everything read so far. */
    if (!load(ast, found, &d->name, depth + 1)) ok = false;
  }
  return ok;
}

/* Any error stops every command, wherever it was found: a literal the
   lexer could not read (R0103, R0104) leaves a well-formed tree behind, so
   the checker and code generator run on and would succeed, with the bad
   literal taken as 0.  The whole front end is judged by the error count. */
static bool finish(Ast *ast, Program *p, int errors_before) {
  Checker ck;
  bool ok = chk_program(&ck, ast);
  /* The analysis reads literals' values: after an error they may be wrong. */
  if (ok && ast->diags->errors == errors_before) iv_analyze(&ck);
  if (ok) ok = cg_compile(&ck, p);
  chk_free(&ck);
  if (ok && ast->diags->errors > errors_before) {
    program_free(p);
    return false;
  }
  if (!ok) program_free(p);
  return ok;
}

bool front_compile(const char *path, Ast *ast, DiagList *dl, Program *p) {
  ast_init(ast, dl);
  memset(p, 0, sizeof *p);
  int before = dl->errors;
  return load(ast, path, NULL, 0) && finish(ast, p, before);
}

bool front_compile_text(const char *name, const char *text, size_t len, Ast *ast, DiagList *dl,
                        Program *p) {
  ast_init(ast, dl);
  memset(p, 0, sizeof *p);
  int before = dl->errors;
  return load_text(ast, name, text, len, 0) && finish(ast, p, before);
}

bool front_check(const char *path, Ast *ast, DiagList *dl, Checker *ck) {
  ast_init(ast, dl);
  memset(ck, 0, sizeof *ck);
  int before = dl->errors;
  if (!load(ast, path, NULL, 0)) return false;
  return chk_program(ck, ast) && dl->errors == before;
}

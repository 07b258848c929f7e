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
**
** Imports are confined: a program's text must not be able to read any file
** on the machine (and echo its first line in a syntax error).  An import
** names a .rubric file, and the file found, with every link resolved, must
** lie inside the folder of the program being compiled (its tree, at any
** depth) or inside one of the library folders: RUBRIC_PATH's, the
** installed stdlib, the source tree's stdlib.  An absolute name, or one
** that climbs out with .. or through a link, is refused (R0107).
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
  errno = 0;
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
  int bad = ferror(f) ? (errno ? errno : EIO) : 0;   /* a folder: EISDIR */
  if (f != stdin) fclose(f);
  if (bad) { free(buf); errno = bad; return NULL; }
  *len = n;
  return buf;
}

static bool exists(const char *path) { return access(path, R_OK) == 0; }

/* The folder of the program being compiled, resolved, with a final '/'.
   Set by front_compile; "" while none (then only library folders count). */
static char root_dir[PATH_MAX + 1];

static void set_root(const char *program_path) {
  char dir[PATH_MAX];
  const char *slash = program_path && strcmp(program_path, "-") != 0 ? strrchr(program_path, '/') : NULL;
  snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - program_path) + 1 : 1, slash ? program_path : ".");
  char real[PATH_MAX];
  if (!realpath(dir, real)) { root_dir[0] = '\0'; return; }
  snprintf(root_dir, sizeof root_dir, "%s%s", real, strcmp(real, "/") == 0 ? "" : "/");
}

/* Is the file at path, links resolved, inside folder dir (any depth)? */
static bool inside(const char *path, const char *dir, size_t dirlen) {
  char real[PATH_MAX], d[PATH_MAX];
  int len = snprintf(d, sizeof d, "%.*s", (int)dirlen, dir);
  if (len <= 0 || (size_t)len >= sizeof d || !realpath(d, real)) return false;
  char file[PATH_MAX];
  if (!realpath(path, file)) return false;
  size_t n = strlen(real);
  if (n == 1) return true;   /* the root folder holds everything */
  return strncmp(file, real, n) == 0 && file[n] == '/';
}

static bool try_dir(const char *dir, size_t dirlen, const char *name, char *out, size_t n) {
  static const char *const ext[] = {"", ".rubric"};
  size_t namelen = strlen(name);
  for (int i = 0; i < 2; i++) {
    /* Only .rubric files: an import never reads a data file or a system one. */
    if (i == 0 && (namelen < 7 || strcmp(name + namelen - 7, ".rubric") != 0)) continue;
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

/* The k-th standard library folder: the installed one beside the
   executable, then the source tree's (a rubric run from its build tree). */
static bool library_dir(int k, char *out, size_t n) {
  if (k == 0) {
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0) return library_dir(1, out, n);
    exe[len] = '\0';
    char *e = strrchr(exe, '/');
    if (e) *e = '\0';
    snprintf(out, n, "%s/../share/rubric/stdlib", exe);
    return true;
  }
#ifdef RUBRIC_SOURCE_STDLIB
  if (k == 1) {
    snprintf(out, n, "%s", RUBRIC_SOURCE_STDLIB);
    return true;
  }
#endif
  return false;
}

static bool in_library(const char *path) {
  char lib[PATH_MAX + 64];
  for (int k = 0; library_dir(k, lib, sizeof lib); k++)
    if (inside(path, lib, strlen(lib))) return true;
  const char *dirs = getenv("RUBRIC_PATH");
  while (dirs && *dirs) {
    const char *colon = strchr(dirs, ':');
    size_t len = colon ? (size_t)(colon - dirs) : strlen(dirs);
    if (len && inside(path, dirs, len)) return true;
    dirs = colon ? colon + 1 : NULL;
  }
  return false;
}

/* Outcome of looking for an import. */
typedef enum { FOUND, NOT_FOUND, OUTSIDE } Lookup;

/* A file found beside the importing file counts if it is inside the
   program's folder or inside the library folder the importer came from. */
static bool in_library(const char *path);

static Lookup resolve(const Source *from, const char *name, char *out, size_t n) {
  const char *slash = strrchr(from->name, '/');
  if (name[0] == '/') return OUTSIDE;
  if (try_dir(slash ? from->name : ".", slash ? (size_t)(slash - from->name) : 1, name, out, n)) {
    if ((root_dir[0] && inside(out, root_dir, strlen(root_dir) - (strlen(root_dir) > 1))) || in_library(out))
      return FOUND;
    return OUTSIDE;
  }
  const char *path = getenv("RUBRIC_PATH");
  while (path && *path) {
    const char *colon = strchr(path, ':');
    size_t len = colon ? (size_t)(colon - path) : strlen(path);
    if (len && try_dir(path, len, name, out, n)) return inside(out, path, len) ? FOUND : OUTSIDE;
    path = colon ? colon + 1 : NULL;
  }
  char lib[PATH_MAX + 64];
  for (int k = 0; library_dir(k, lib, sizeof lib); k++)
    if (try_dir(lib, strlen(lib), name, out, n)) return inside(out, lib, strlen(lib)) ? FOUND : OUTSIDE;
  return NOT_FOUND;
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
    if (errno == EISDIR)
      diag_add(ast->diags, R0106, NULL, 0, 0, 0, "cannot read %s: it is a folder, not a program file", path);
    else if (from)
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
    Lookup got = resolve(src, d->title, found, sizeof found);
    if (got == OUTSIDE) {
      Diag *dg = diag_add(ast->diags, R0107, d->name.src, d->name.line, d->name.col, d->name.n,
                          "cannot import '%s': it is outside the program's folder and the libraries",
                          d->title);
      diag_hint(dg, "imports are .rubric files in the program's folder or below it, in RUBRIC_PATH "
                    "or in the standard library; copy the file there");
      ok = false;
      continue;
    }
    if (got == NOT_FOUND) {
      Diag *dg = diag_add(ast->diags, R0107, d->name.src, d->name.line, d->name.col, d->name.n,
                          "cannot find '%s' to import", d->title);
      diag_hint(dg, "looked for %s.rubric beside %s, in RUBRIC_PATH and in the standard library",
                d->title, src->name);
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
  set_root(path);
  return load(ast, path, NULL, 0) && finish(ast, p, before);
}

bool front_compile_text(const char *name, const char *text, size_t len, Ast *ast, DiagList *dl,
                        Program *p) {
  ast_init(ast, dl);
  memset(p, 0, sizeof *p);
  int before = dl->errors;
  set_root(name);
  return load_text(ast, name, text, len, 0) && finish(ast, p, before);
}

bool front_check(const char *path, Ast *ast, DiagList *dl, Checker *ck) {
  ast_init(ast, dl);
  memset(ck, 0, sizeof *ck);
  int before = dl->errors;
  set_root(path);
  if (!load(ast, path, NULL, 0)) return false;
  return chk_program(ck, ast) && dl->errors == before;
}

/*
** compile.h — code generation (cg_) from a checked syntax tree to a
** Program, and the front end's one entry point for callers.
*/
#ifndef RUBRIC_COMPILE_H
#define RUBRIC_COMPILE_H

#include "../runtime/program.h"
#include "check.h"

/* Fills p from a tree the checker passed.  False (with diagnostics) only
   for what the checker cannot see: test values that do not fit a field. */
bool cg_compile(Checker *ck, Program *p);

/* Read, parse (with imports), check and compile the program at path.  The
   Ast keeps the source texts the diagnostics point into; free it after
   printing them.  Returns true when p is ready to run. */
bool front_compile(const char *path, Ast *ast, DiagList *dl, Program *p);
/* Read, parse and check only: the Checker keeps the symbols for a caller
   that compares programs.  Free it with chk_free, then the Ast. */
bool front_check(const char *path, Ast *ast, DiagList *dl, Checker *ck);
/* The same for program text in memory; `name` is used in diagnostics and
   as the place relative imports are found from. */
bool front_compile_text(const char *name, const char *text, size_t len, Ast *ast, DiagList *dl,
                        Program *p);

#endif

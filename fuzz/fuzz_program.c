/*
** fuzz_program.c — program text through the whole front end: lexer,
** parser, checker, interval analysis, code generator, and the formatter.
** Beyond "no crash", it checks a property: a program that compiles keeps
** its bytecode when formatted, and formatting the result changes nothing.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../lang/compile.h"
#include "../lang/format.h"
#include "../runtime/bytecode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same_code(const Program *a, const Program *b) {
  for (int v = 0; v < 2; v++) {
    if (a->code[v].n != b->code[v].n) return false;
    if (v == 0 && memcmp(a->code[v].words, b->code[v].words, (size_t)a->code[v].n * 4) != 0) return false;
  }
  return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Ast ast;
  DiagList dl;
  Program p;
  diag_init(&dl);
  bool ok = front_compile_text("fuzz.rubric", (const char *)data, size, &ast, &dl, &p);
  if (!ok && dl.errors == 0) abort();   /* a failure must say why */
  ast_free(&ast);
  diag_free(&dl);
  char *formatted = fmt_source("fuzz.rubric", (const char *)data, size, &dl);
  diag_free(&dl);
  if (formatted) {
    Ast ast2;
    Program q;
    bool ok2 = front_compile_text("fuzz.rubric", formatted, strlen(formatted), &ast2, &dl, &q);
    if (ok != ok2) abort();              /* formatting changed whether it compiles */
    if (ok && ok2 && !same_code(&p, &q)) abort();   /* ... or what it means */
    if (ok2) program_free(&q);
    ast_free(&ast2);
    diag_free(&dl);
    char *again = fmt_source("fuzz.rubric", formatted, strlen(formatted), &dl);
    diag_free(&dl);
    if (!again || strcmp(again, formatted) != 0) abort();   /* not idempotent */
    free(again);
    free(formatted);
  }
  if (ok) {
    /* A program that compiles survives a bytecode round trip. */
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    bc_write(&p, m);
    fclose(m);
    Program r;
    char why[256];
    if (!bc_read((const unsigned char *)buf, len, &r, why, sizeof why)) abort();
    program_free(&r);
    free(buf);
    program_free(&p);
  }
  return 0;
}

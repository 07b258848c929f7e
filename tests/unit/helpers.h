/*
** helpers.h — shared by the unit tests: compile program text held in
** memory, ask which diagnostics it gave, and score a hand-built record.
*/
#ifndef RUBRIC_TEST_HELPERS_H
#define RUBRIC_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lang/compile.h"
#include "../../runtime/vm.h"

typedef struct Compiled {
  Ast ast;
  DiagList dl;
  Program prog;
  bool ok;
} Compiled;

static inline Compiled *compile_text(const char *text) {
  Compiled *c = calloc(1, sizeof *c);
  diag_init(&c->dl);
  c->ok = front_compile_text("t.rubric", text, strlen(text), &c->ast, &c->dl, &c->prog);
  return c;
}

static inline void compiled_free(Compiled *c) {
  if (c->ok) program_free(&c->prog);
  ast_free(&c->ast);
  diag_free(&c->dl);
  free(c);
}

/* The first diagnostic with this code, or NULL. */
static inline const Diag *find_diag(const Compiled *c, DiagCode code) {
  for (const Diag *d = c->dl.head; d; d = d->next)
    if (d->code == code) return d;
  return NULL;
}

static inline int slot_of(const Program *p, const char *name) {
  for (int i = 0; i < p->nslots; i++)
    if (strcmp(p->slots[i].name, name) == 0) return i;
  fail_msg("no slot %s", name);
  return -1;
}

static inline int field_of(const Program *p, const char *name) {
  for (int i = 0; i < p->nfields; i++)
    if (strcmp(p->fields[i].name, name) == 0) return i;
  fail_msg("no field %s", name);
  return -1;
}

/* Dec from text, for readable expectations. */
static inline Dec D(const char *s) {
  Dec d = 0;
  assert_int_equal(dec_parse(s, strlen(s), &d), DEC_OK);
  return d;
}

#endif

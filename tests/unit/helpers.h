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
#include "../../runtime/records.h"
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

/* A compiled program with a VM and one record to fill in: required fields
   set (text "k", the rest 0), optional ones unset.  A test file may add
   members (BENCH_EXTRA) and what frees them (BENCH_FREE_EXTRA) before it
   includes this header: test_targets.c keeps the record's target there. */
#ifndef BENCH_EXTRA
#define BENCH_EXTRA
#define BENCH_FREE_EXTRA(b) ((void)(b))
#endif
typedef struct Bench {
  Compiled *c;
  VmCtx vm;
  Row row;
  BENCH_EXTRA
} Bench;

static inline Bench *bench(const char *text) {
  Bench *b = calloc(1, sizeof *b);
  b->c = compile_text(text);
  if (!b->c->ok) fail_msg("does not compile: %s", b->c->dl.head ? b->c->dl.head->msg : "?");
  assert_true(vm_init(&b->vm, &b->c->prog));
  b->row.vals = calloc((size_t)b->c->prog.nfields + 1, sizeof *b->row.vals);
  b->row.set = calloc((size_t)b->c->prog.nfields + 1, 1);
  for (int f = 0; f < b->c->prog.nfields; f++) {
    b->row.set[f] = !b->c->prog.fields[f].optional;
    if (b->c->prog.fields[f].kind == FIELD_TEXT) b->row.vals[f] = (Value){1, "k"};
  }
  return b;
}

static inline void bench_free(Bench *b) {
  BENCH_FREE_EXTRA(b);
  vm_free(&b->vm);
  free(b->row.vals);
  free(b->row.set);
  compiled_free(b->c);
  free(b);
}

/* Sets a field from its text, as a records file gives it; NULL unsets it. */
static inline void set(Bench *b, const char *field, const char *text) {
  int f = field_of(&b->c->prog, field);
  char why[REC_WHY_MAX];
  if (!text) { b->row.set[f] = 0; return; }
  if (!rec_parse_cell(&b->c->prog.fields[f], text, strlen(text), &b->row.vals[f], why))
    fail_msg("%s = %s: %s", field, text, why);
  b->row.set[f] = 1;
}

/* Dec from text, for readable expectations. */
static inline Dec D(const char *s) {
  Dec d = 0;
  assert_int_equal(dec_parse(s, strlen(s), &d), DEC_OK);
  return d;
}

#endif

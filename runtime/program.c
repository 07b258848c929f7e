/*
** program.c — freeing a compiled program, names for its types, and its
** params as a run sets them: finding one by name, reading a value, and
** the orders (ParamRule) the values must keep.
*/
#include "program.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "records.h"

const char value_unset_mark[] = "(unset)";

const char *program_type_name(ValueType t) {
  static const char *const names[] = {"a number", "money", "a flag", "a date", "text", "a choice", "a tier"};
  return t <= VT_TIER ? names[t] : "?";
}

void program_free_fields(FieldInfo *fields, int n) {
  for (int i = 0; i < n; i++) {
    free(fields[i].name);
    for (int m = 0; m < fields[i].nmembers; m++) free(fields[i].members[m]);
    free(fields[i].members);
    BoundExpr *ends[2] = {&fields[i].lo_expr, &fields[i].hi_expr};
    for (int e = 0; e < 2; e++) {
      free(ends[e]->ops);
      free(ends[e]->text);
    }
  }
  free(fields);
}

void program_free(Program *p) {
  free(p->title);
  free(p->version);
  free(p->currency);
  for (int i = 0; i < p->nfiles; i++) free(p->files[i]);
  free(p->files);
  program_free_fields(p->fields, p->nfields);
  free(p->bounded);
  for (int i = 0; i < p->nparams; i++) free(p->params[i].name);
  free(p->params);
  free(p->param_values);
  for (int i = 0; i < p->nrules; i++) free(p->rules[i].what);
  free(p->rules);
  for (int i = 0; i < p->nslots; i++) {
    free(p->slots[i].name);
    free(p->slots[i].title);
    for (int m = 0; m < p->slots[i].nmembers; m++) free(p->slots[i].members[m]);
    free(p->slots[i].members);
  }
  free(p->slots);
  for (int i = 0; i < p->ntiers; i++) {
    free(p->tiers[i].name);
    free(p->tiers[i].title);
  }
  free(p->tiers);
  for (int i = 0; i < p->ntracks; i++) {
    free(p->tracks[i].name);
    free(p->tracks[i].title);
    free(p->tracks[i].cats);
    free(p->tracks[i].tiers);
    free(p->tracks[i].badges);
  }
  free(p->tracks);
  for (int i = 0; i < p->nbenefits; i++) {
    free(p->benefits[i].name);
    free(p->benefits[i].title);
    free(p->benefits[i].values);
    free(p->benefits[i].params);
  }
  free(p->benefits);
  free(p->keys);
  for (int i = 0; i < p->nsites; i++) free(p->sites[i].text);
  free(p->sites);
  for (int i = 0; i < p->nconsts; i++) free((char *)p->consts[i].s);
  free(p->consts);
  for (int v = 0; v < 2; v++) {
    free(p->code[v].words);
    free(p->code[v].pos);
    free(p->code[v].entry);
  }
  for (int i = 0; i < p->ntests; i++) {
    TestInfo *t = &p->tests[i];
    free(t->name);
    free(t->given);
    free(t->given_set);
    free(t->given_here);
    free(t->overrides);
    for (int k = 0; k < t->nexpects; k++) free(t->expects[k].what);
    free(t->expects);
    free(t->rejected_why);
    free(t->acts);
    free(t->acts_set);
  }
  free(p->tests);
  program_free_fields(p->afields, p->nafields);
  for (int i = 0; i < p->naggs; i++) {
    free(p->aggs[i].text);
    for (int k = 0; k < p->aggs[i].nconds; k++) free(p->aggs[i].conds[k]);
    free(p->aggs[i].conds);
    free(p->aggs[i].cform);
    free(p->aggs[i].cfield);
  }
  free(p->aggs);
}

/* ---- params ---- */

int program_param_find(const Program *p, const char *name, int *value_index, const char **why) {
  const char *dot = strchr(name, '.');
  size_t len = dot ? (size_t)(dot - name) : strlen(name);
  int found = -1;
  for (int i = 0; i < p->nparams && found < 0; i++)
    if (strlen(p->params[i].name) == len && memcmp(p->params[i].name, name, len) == 0) found = i;
  if (found < 0) { *why = "the program has no param of that name"; return -1; }
  const ParamInfo *pi = &p->params[found];
  int index = pi->base;
  if (pi->keyfield >= 0) {
    if (!dot) { *why = "the param is keyed: set NAME.KEY=VALUE"; return -1; }
    const FieldInfo *f = &p->fields[pi->keyfield];
    int m = 0;
    while (m < f->nmembers && strcmp(f->members[m], dot + 1) != 0) m++;
    if (m == f->nmembers) { *why = "no such key for that param"; return -1; }
    index += m;
  } else if (dot) {
    *why = "the param has no keys";
    return -1;
  }
  *value_index = index;
  return found;
}

bool program_param_parse(ValueType type, const char *text, int64_t *v, const char **why) {
  size_t n = strlen(text);
  switch (type) {
  case VT_MONEY:
    if (n && text[0] == '$') { text++; n--; }
    /* fall through */
  case VT_NUMBER: {
    DecStatus st = dec_parse(text, n, v);
    *why = dec_status_text(st);   /* not a number, too large, too many places */
    return st == DEC_OK;
  }
  case VT_DATE:
    *why = "not a date (YYYY-MM-DD)";
    return date_parse(text, n, v);
  case VT_FLAG: {
    bool b = false;
    *why = "not a flag (yes/no, true/false, 1/0)";
    if (!rec_parse_flag(text, n, &b)) return false;
    *v = b;
    return true;
  }
  default:
    *why = "cannot be set";
    return false;
  }
}

/* A keyed end's values: every member's (first and count); else the one. */
static void end_values(const ParamInfo *params, int param, int *first, int *count) {
  *first = param >= 0 ? params[param].base : -1;
  *count = param >= 0 ? params[param].count : 1;
}

/* One comparison of a rule: the ends at value indexes ia, ib (-1: literal). */
static bool pair_holds(const ParamRule *r, const int64_t *values, int ia, int ib, int *vlo, int *vhi) {
  int64_t lo = ia >= 0 ? values[ia] : r->lo, hi = ib >= 0 ? values[ib] : r->hi;
  if (r->strict ? lo < hi : lo <= hi) return true;
  *vlo = ia;
  *vhi = ib;
  return false;
}

bool program_rule_holds(const ParamRule *r, const ParamInfo *params, const int64_t *values, int *vlo,
                        int *vhi) {
  int a0, na, b0, nb;
  end_values(params, r->lo_param, &a0, &na);
  end_values(params, r->hi_param, &b0, &nb);
  /* Two params keyed by one field are compared member by member: a record
     has one member. */
  if (r->lo_param >= 0 && r->hi_param >= 0 && params[r->lo_param].keyfield >= 0 &&
      params[r->lo_param].keyfield == params[r->hi_param].keyfield) {
    for (int i = 0; i < na; i++)
      if (!pair_holds(r, values, a0 + i, b0 + i, vlo, vhi)) return false;
    return true;
  }
  /* Otherwise any value of one end can meet any of the other's: the
     highest low end must keep to the lowest high end. */
  int ia = a0, ib = b0;
  for (int i = 1; i < na; i++)
    if (values[a0 + i] > values[ia]) ia = a0 + i;
  for (int j = 1; j < nb; j++)
    if (values[b0 + j] < values[ib]) ib = b0 + j;
  return pair_holds(r, values, ia, ib, vlo, vhi);
}

int program_rules_broken(const Program *p, const int64_t *values, int *vlo, int *vhi) {
  for (int i = 0; i < p->nrules; i++)
    if (!program_rule_holds(&p->rules[i], p->params, values, vlo, vhi)) return i;
  return -1;
}

static void value_text(ValueType t, int64_t v, char *buf, size_t n) {
  char b[DEC_FMT_MAX + DATE_TEXT_LEN + 2];
  if (t == VT_DATE) date_format(v, b);
  else if (t == VT_FLAG) strcpy(b, v ? "yes" : "no");
  else dec_format(v, b);
  snprintf(buf, n, "%s%s", t == VT_MONEY ? "$" : "", b);
}

void program_rule_end_text(const Program *p, const int64_t *values, int vi, int64_t lit, ValueType t,
                           char *buf, size_t n) {
  char v[DEC_FMT_MAX + DATE_TEXT_LEN + 4];
  value_text(t, vi >= 0 ? values[vi] : lit, v, sizeof v);
  if (vi < 0) { snprintf(buf, n, "%s", v); return; }
  for (int i = 0; i < p->nparams; i++) {
    const ParamInfo *pi = &p->params[i];
    if (vi < pi->base || vi >= pi->base + pi->count) continue;
    if (pi->keyfield < 0) snprintf(buf, n, "%s = %s", pi->name, v);
    else snprintf(buf, n, "%s.%s = %s", pi->name, p->fields[pi->keyfield].members[vi - pi->base], v);
    return;
  }
  snprintf(buf, n, "%s", v);
}

void program_rule_text(const Program *p, int rule, const int64_t *values, int vlo, int vhi, char *buf,
                       size_t n) {
  const ParamRule *r = &p->rules[rule];
  char lo[256], hi[256];
  program_rule_end_text(p, values, vlo, r->lo, (ValueType)r->type, lo, sizeof lo);
  program_rule_end_text(p, values, vhi, r->hi, (ValueType)r->type, hi, sizeof hi);
  const char *file = r->file >= 0 && r->file < p->nfiles ? p->files[r->file] : "?";
  if (r->band)
    snprintf(buf, n, "%s (%s:%d:%d) would not rise: the bound %s follows %s",
             r->what, file, r->line, r->col, hi, lo);
  else
    snprintf(buf, n, "%s (%s:%d:%d) would be empty: its low end %s is above its high end %s", r->what,
             file, r->line, r->col, lo, hi);
}

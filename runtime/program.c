/*
** program.c — freeing a compiled program, and names for its types.
*/
#include "program.h"

#include <stdlib.h>

const char value_unset_mark[] = "(unset)";

const char *program_type_name(ValueType t) {
  static const char *const names[] = {"a number", "money", "a flag", "a date", "text", "a choice", "a tier"};
  return t <= VT_TIER ? names[t] : "?";
}

void program_free(Program *p) {
  free(p->title);
  free(p->version);
  free(p->currency);
  for (int i = 0; i < p->nfiles; i++) free(p->files[i]);
  free(p->files);
  for (int i = 0; i < p->nfields; i++) {
    free(p->fields[i].name);
    for (int m = 0; m < p->fields[i].nmembers; m++) free(p->fields[i].members[m]);
    free(p->fields[i].members);
    BoundExpr *ends[2] = {&p->fields[i].lo_expr, &p->fields[i].hi_expr};
    for (int e = 0; e < 2; e++) {
      free(ends[e]->ops);
      free(ends[e]->text);
    }
  }
  free(p->fields);
  free(p->bounded);
  for (int i = 0; i < p->nparams; i++) free(p->params[i].name);
  free(p->params);
  free(p->param_values);
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
  }
  free(p->tests);
}

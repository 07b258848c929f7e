/*
** targets.c — see targets.h.  The parts of the conditions still to hold
** are read by explain's reader (rb_part_read) from one traced evaluation; the
** changes are found by evaluating copies of the record through the VM,
** never by working a rule out a second way.  Only the arithmetic of the
** search itself (how far to step) is done here, in 128 bits, so a step
** across a field's whole domain cannot overflow.
*/
#include "targets.h"

#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "writers.h"

__extension__ typedef __int128 Wide;

/* ---- evaluating a changed record -------------------------------------------- */

/* A copy of the record to change one field of, and the goal it must reach. */
typedef struct Search {
  const Program *p;
  VmCtx *vm;
  Row row;
  int field;
  RbGoal goal;
  int64_t from, unit;       /* the field's value, and one step of it */
  int dir;
} Search;

typedef enum { MISS, REACH, ERROR } Outcome;

/* The tier's place on the track's ladder, -1 when it is not on it. */
static int ladder_pos(const Program *p, int track, int tier) {
  const TrackInfo *ti = &p->tracks[track];
  for (int i = 0; i < ti->ntiers; i++)
    if (ti->tiers[i] == tier) return i;
  return -1;
}

/* Evaluates the copy with the field at value v: does it reach the goal?
   A record the program cannot score reaches nothing (ERROR), and neither
   does one validation would reject: a field whose range names the one
   changed (`points in answers..5 * answers`) may no longer fit it. */
static Outcome try_value(Search *s, int64_t v) {
  VmCtx *vm = s->vm;
  s->row.vals[s->field].n = v;
  int bad;
  char why[REC_WHY_MAX];
  if (!rec_check_bounds(s->p, &s->row, &bad, why)) return ERROR;
  vm->tracing = s->goal.kind == RB_GOAL_CONDITION;   /* only the traced code shows each condition */
  if (vm_eval(vm, &s->row) != VM_OK) return ERROR;
  if (vm->track != s->goal.track) return MISS;
  if (s->goal.kind == RB_GOAL_TIER)
    return vm->tier >= 0 && ladder_pos(s->p, vm->track, vm->tier) >= ladder_pos(s->p, vm->track, s->goal.tier)
               ? REACH : MISS;
  const TraceEvent *e = rb_explain_event(vm, SITE_TIER, -1, s->goal.tier);
  return e && e->v.n > 0 ? REACH : MISS;
}

/* The value k steps from the record's own. */
static int64_t value_at(const Search *s, Wide k) { return (int64_t)(s->from + (Wide)s->dir * k * s->unit); }

static Outcome try_step(Search *s, Wide k) { return try_value(s, value_at(s, k)); }

/* ---- the field's domain ------------------------------------------------------ */

bool rb_targets_searchable(const Program *p, const Row *row, int field) {
  const FieldInfo *f = &p->fields[field];
  if (f->key || !row->set[field]) return false;
  switch ((FieldKind)f->kind) {
  case FIELD_NUMBER: case FIELD_MONEY: case FIELD_COUNT: case FIELD_PERCENT: case FIELD_DATE: case FIELD_FLAG:
  case FIELD_INT:
    return true;
  default:
    return false;
  }
}

/* One step of a field's value, so that every value a whole number of
   steps away is one its type accepts: a count's or an int's is 1, a
   field's with `places N` 10^-N, a date's a day, any other's a
   millionth. */
static int64_t step_of(const FieldInfo *f) {
  if (f->kind == FIELD_COUNT || f->kind == FIELD_INT) return DEC_SCALE;
  int64_t unit = 1;
  for (int k = f->places; k < DEC_DIGITS && f->kind != FIELD_DATE; k++) unit *= 10;
  return unit;
}

/* How many steps of s->unit the field can move in s->dir from s->from
   and stay in its declared range (and its type's: a count is whole and
   at least 0, a percent 0..100, a date in 0001-01-01..9999-12-31), its
   range's ends that name other fields worked out on the record. */
static Wide steps_left(const Search *s) {
  const FieldInfo *f = &s->p->fields[s->field];
  Wide lo = DEC_MIN, hi = DEC_MAX;
  if (f->kind == FIELD_DATE) {
    lo = date_from_ymd(DATE_MIN_YEAR, 1, 1);
    hi = date_from_ymd(DATE_MAX_YEAR, 12, 31);
  }
  if (f->has_lo && f->lo > lo) lo = f->lo;
  if (f->has_hi && f->hi < hi) hi = f->hi;
  int64_t end;
  if (rec_bound_end(s->p, s->field, false, &s->row, &end) && end > lo) lo = end;
  if (rec_bound_end(s->p, s->field, true, &s->row, &end) && end < hi) hi = end;
  Wide room = s->dir > 0 ? hi - s->from : s->from - lo;
  return room > 0 ? room / s->unit : 0;
}

/* Whether the record is one validation accepts with the field k steps
   away: the ranges of other fields may name it. */
static bool valid_at(Search *s, Wide k) {
  int bad;
  char why[REC_WHY_MAX];
  s->row.vals[s->field].n = value_at(s, k);
  bool ok = rec_check_bounds(s->p, &s->row, &bad, why);
  s->row.vals[s->field].n = s->from;
  return ok;
}

/* Of the most steps the field's own range allows, how many keep the
   record valid, when other fields' ranges name the field (`pts in
   answers..5 * answers` keeps answers at most pts): the valid values are
   taken to be one stretch from the record's own, as ranges of sums and
   products of it give, and a bisection finds where it ends.  A value the
   search tries past a gap would still be refused (try_value). */
static Wide valid_steps(Search *s, Wide most) {
  if (!s->p->nbounded || most < 1 || valid_at(s, most)) return most;
  Wide lo = 0, hi = most;   /* the record itself is valid; hi is not */
  while (hi - lo > 1) {
    Wide mid = lo + (hi - lo) / 2;
    if (valid_at(s, mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/* ---- the search --------------------------------------------------------------- */

static bool not_monotone(Search *s, Wide reach, Wide miss, RbChange *out) {
  out->status = RB_CHANGE_NOT_MONOTONE;
  out->reach = (Value){value_at(s, reach), NULL};
  out->miss = (Value){value_at(s, miss), NULL};
  return true;
}

/* The search of targets.h on a prepared Search; s->row is the record. */
static bool search(Search *s, RbChange *out) {
  const FieldInfo *f = &s->p->fields[s->field];
  memset(out, 0, sizeof *out);
  out->field = s->field;
  out->direction = s->dir;
  out->from = (Value){s->from, NULL};
  if (f->kind == FIELD_FLAG) {   /* two values: the other one reaches or not */
    out->direction = 0;
    if (try_value(s, !s->from) != REACH) return false;
    out->status = RB_CHANGE_FOUND;
    out->to = (Value){!s->from, NULL};
    out->exhaustive = true;
    return true;
  }
  s->unit = step_of(f);
  Wide most = valid_steps(s, steps_left(s));
  if (most < 1) return false;
  /* Probes at 1, 2, 4, ... steps and at the end of the domain.  Below the
     first that reaches, the last that misses bounds the bisection; above
     it, a miss means the goal is not monotone in the field, and a record
     the program cannot score (an amount so large that points overflow)
     ends the domain the search can speak for. */
  Wide last_miss = 0, first_reach = -1;
  for (Wide k = 1;; k = k > most / 2 ? most : 2 * k) {
    Outcome o = try_step(s, k);
    if (first_reach < 0) {
      if (o == REACH) first_reach = k;
      else last_miss = k;
    } else if (o == MISS) {
      return not_monotone(s, first_reach, k, out);
    } else if (o == ERROR) {
      break;
    }
    if (k == most) break;
  }
  if (first_reach < 0) return false;
  Wide lo = last_miss, hi = first_reach;   /* lo misses (0: the record as it is), hi reaches */
  while (hi - lo > 1) {
    Wide mid = lo + (hi - lo) / 2;
    if (try_step(s, mid) == REACH) hi = mid;
    else lo = mid;
  }
  /* Verified, not assumed: the answer reaches, one step nearer does not,
     and no value nearer than the answer reaches either. */
  if (try_step(s, hi) != REACH || try_step(s, hi - 1) == REACH) return false;
  Wide below = hi - 1;   /* steps 1 .. hi-1 */
  out->exhaustive = below <= RB_TARGETS_SCAN_MAX;
  int n = out->exhaustive ? (int)below : RB_TARGETS_SAMPLES;
  for (int i = 0; i < n; i++) {
    Wide k = out->exhaustive ? i + 1 : 1 + (below - 1) * i / (RB_TARGETS_SAMPLES - 1);
    if (try_step(s, k) == REACH) return not_monotone(s, k, below, out);
  }
  out->status = RB_CHANGE_FOUND;
  out->to = (Value){value_at(s, hi), NULL};
  out->delta = out->to.n - s->from;
  return true;
}

static void search_start(Search *s, const Program *p, VmCtx *vm, const Row *row) {
  s->p = p;
  s->vm = vm;
  s->row.vals = malloc(((size_t)p->nfields + 1) * sizeof *s->row.vals);
  s->row.set = malloc((size_t)p->nfields + 1);
  if (!s->row.vals || !s->row.set) abort();
  memcpy(s->row.vals, row->vals, (size_t)p->nfields * sizeof *row->vals);
  memcpy(s->row.set, row->set, (size_t)p->nfields);
  s->row.acts = row->acts;   /* the activities stay; only a field changes */
}

static void search_end(Search *s) {
  free(s->row.vals);
  free(s->row.set);
}

/* One field in one direction, on the copy, which is put back as it was. */
static bool search_field(Search *s, int field, int dir, const RbGoal *goal, RbChange *out) {
  bool tracing = s->vm->tracing;
  s->field = field;
  s->goal = *goal;
  s->dir = dir;
  s->from = s->row.vals[field].n;
  bool found = search(s, out);
  s->row.vals[field].n = s->from;
  s->vm->tracing = tracing;
  return found;
}

bool rb_targets_search(const Program *p, VmCtx *vm, const Row *row, int field, int direction,
                       const RbGoal *goal, RbChange *out) {
  if (!rb_targets_searchable(p, row, field)) return false;
  if ((p->fields[field].kind == FIELD_FLAG) != (direction == 0)) return false;
  Search s;
  search_start(&s, p, vm, row);
  bool found = search_field(&s, field, direction, goal, out);
  search_end(&s);
  return found;
}

/* Every searchable field of the record, both ways (a flag once), for the
   goal: appends what was found to *v (n of them, cap room). */
static void search_fields(Search *s, const int *fields, int nfields, const RbGoal *goal, RbChange **v,
                          int *n) {
  int cap = *n;
  for (int i = 0; i < nfields; i++) {
    int f = fields[i];
    if (!rb_targets_searchable(s->p, &s->row, f)) continue;
    bool flag = s->p->fields[f].kind == FIELD_FLAG;
    int dirs[2] = {flag ? 0 : 1, -1};   /* up, then down; a flag is turned over once */
    for (int d = 0; d < (flag ? 1 : 2); d++) {
      RbChange c;
      if (!search_field(s, f, dirs[d], goal, &c)) continue;
      if (*n == cap) {
        cap = cap ? 2 * cap : 8;
        *v = realloc(*v, (size_t)cap * sizeof **v);
        if (!*v) abort();
      }
      (*v)[(*n)++] = c;
    }
  }
}

/* ---- the parts ------------------------------------------------------------------ */

static char *copy_text(const char *s, size_t n) {
  char *c = strndup(s, n);   /* text of a valid record holds no NUL byte */
  if (!c) abort();
  return c;
}

/* A name of a part, owning its text. */
static RbTargetName own_name(const RbPartName *nm) {
  RbTargetName t = {copy_text(nm->s, (size_t)nm->n), nm->field,   nm->slot,     nm->state,
                    nm->type,                         nm->members, nm->nmembers, nm->value};
  if (nm->state == RB_NAME_VALUE && nm->type == VT_TEXT) t.value.s = copy_text(nm->value.s, (size_t)nm->value.n);
  return t;
}

static void free_name(RbTargetName *t) {
  free(t->name);
  if (t->state == RB_NAME_VALUE && t->type == VT_TEXT) free((char *)t->value.s);
}

/* What a failing comparison needs: op and needed, and how far the value
   is from needed (numbers, money, dates).  On a count, an int, a field
   with `places N` or a date a bound becomes the value on the field's grid
   it means (step_of): `> 4` is `>= 5`, `>= 4.5` is `>= 5`, `>= $1000.001`
   with `places 2` is `>= $1000.01`, `< d` is `<=` the day before. */
static void needs(const Program *p, const RbPart *part, RbTargetPart *tp) {
  const Value a = part->left.value;
  Value b = part->right.value;
  char op[3] = {0};
  memcpy(op, part->op, part->opn < 2 ? (size_t)part->opn : 2);
  bool more = op[0] == '>', less = op[0] == '<', strict = (more || less) && !op[1];
  ValueType t = part->left.type;
  int64_t unit = part->left.field >= 0 && t != VT_DATE ? step_of(&p->fields[part->left.field]) : 1;
  if (t == VT_DATE && strict) {
    if (more ? b.n < INT64_MAX : b.n > INT64_MIN) {
      b.n += more ? 1 : -1;
      op[1] = '=';
    }
  } else if (unit > 1 && (more || less)) {
    /* down to the grid for > and <=, up for >= and <; then a step past for > and < */
    Wide q = (Wide)b.n / unit, r = (Wide)b.n % unit;
    if (r < 0) { q--; r += unit; }   /* q = floor(b / unit) */
    if (strict != more && r) q++;   /* >= and <: up */
    if (strict) q += more ? 1 : -1;
    Wide v = q * unit;
    if (v >= DEC_MIN && v <= DEC_MAX) {
      b.n = (int64_t)v;
      op[1] = '=';
    }
  }
  memcpy(tp->op, op, sizeof tp->op);
  tp->needed = b;
  if ((more || less) && (t == VT_NUMBER || t == VT_MONEY || t == VT_DATE)) {
    Wide d = more ? (Wide)b.n - a.n : (Wide)a.n - b.n;
    if (d >= 0 && d <= INT64_MAX) {
      tp->has_short = true;
      tp->short_by = (int64_t)d;
    }
  }
}

/* Whether field is one of the names of part. */
static bool names_field(const RbTargetPart *tp, int field) {
  for (int k = 0; k < tp->nnames; k++)
    if (tp->names[k].field == field) return true;
  return false;
}

/* Whether a change found (to the tier, or to the condition of another part
   of the same condition) moved a field tp does not name: tp, which
   depends on its names alone, was the same then, and its condition held,
   so tp holds now. */
static bool held_under_other_change(const RbTarget *t, const RbTargetCondition *cd, const RbTargetPart *tp) {
  for (int i = 0; i < t->nchanges; i++)
    if (t->changes[i].status == RB_CHANGE_FOUND && !names_field(tp, t->changes[i].field)) return true;
  for (int j = 0; j < cd->nparts; j++)
    for (int i = 0; i < cd->parts[j].nholds_with; i++) {
      const RbChange *c = &cd->parts[j].holds_with[i];
      if (&cd->parts[j] != tp && c->status == RB_CHANGE_FOUND && !names_field(tp, c->field)) return true;
    }
  return false;
}

/* Works out the verdicts the parts' values do not give (rb_targets_record
   says how), until nothing more follows. */
static void deduce(RbTarget *t) {
  for (int k = 0; k < t->nconds; k++) {
    RbTargetCondition *cd = &t->conds[k];
    for (bool more = true; more;) {
      more = false;
      int unknown = 0, failing = 0;
      for (int i = 0; i < cd->nparts; i++) {
        RbTargetPart *tp = &cd->parts[i];
        if (tp->holds < 0 && tp->record_only && held_under_other_change(t, cd, tp)) {
          tp->holds = 1;
          tp->deduced = more = true;
        }
        unknown += tp->holds < 0;
        failing += tp->holds == 0;
      }
      for (int i = 0; i < cd->nparts; i++) {
        RbTargetPart *tp = &cd->parts[i];
        if (tp->holds >= 0) continue;
        if (cd->join != RB_JOIN_AND || (unknown == 1 && !failing)) {   /* one part, or an `or`: it failed */
          tp->holds = 0;
          tp->deduced = more = true;
        }
      }
    }
  }
}

/* Reads a tier's condition text into cd's parts, with what each
   comparison needs. */
static void read_parts(const Program *p, const VmCtx *vm, const Row *row, const char *text,
                       RbTargetCondition *cd) {
  RbParts it;
  RbSpan sp;
  rb_parts_begin(&it, text);
  cd->join = it.join;
  while (rb_parts_next(&it, &sp)) cd->nparts++;
  cd->parts = calloc((size_t)cd->nparts + 1, sizeof *cd->parts);
  if (!cd->parts) abort();
  rb_parts_begin(&it, text);
  for (int i = 0; rb_parts_next(&it, &sp); i++) {
    RbPart part;
    RbTargetPart *tp = &cd->parts[i];
    rb_part_read(p, vm, row, sp.s, sp.n, &part);
    tp->text = copy_text(sp.s, (size_t)sp.n);
    tp->kind = part.kind;
    tp->holds = part.holds;
    tp->negated = part.negated;
    if (part.kind == RB_PART_OTHER) {
      tp->names = calloc((size_t)part.nnames + 1, sizeof *tp->names);
      if (!tp->names) abort();
      tp->record_only = !part.truncated && !part.calls;
      for (int k = 0; k < part.nnames; k++) {
        tp->names[tp->nnames++] = own_name(&part.names[k]);
        tp->record_only &= part.names[k].field >= 0 || part.names[k].param >= 0;
      }
    } else {
      tp->subject = own_name(&part.left);
    }
    if (part.kind == RB_PART_COMPARE) needs(p, &part, tp);
    if (part.holds == 1) tp->has_short = false;   /* `>= 650` at 650 holds: short by nothing */
  }
}

/* A condition's score gap (RbTargetCondition), from its parts that
   compare `score`. */
static void score_gap(const Program *p, RbTargetCondition *cd) {
  for (int i = 0; i < cd->nparts; i++) {
    const RbTargetPart *tp = &cd->parts[i];
    if (tp->kind != RB_PART_COMPARE || tp->subject.slot != p->score_slot) continue;
    bool strict = tp->op[0] == '>' && !tp->op[1];
    Dec gap;
    if (tp->holds == 1) {
      if (cd->join == RB_JOIN_OR) continue;   /* cannot be: the whole `or` failed */
      gap = 0;
      strict = false;
    } else if (tp->op[0] == '>' && tp->has_short) {
      gap = tp->short_by;
    } else {
      continue;   /* score < N, score = N: not a gap to climb */
    }
    bool better = !cd->has_gap || (cd->join == RB_JOIN_OR ? gap < cd->gap : gap > cd->gap);
    if (better) {
      cd->gap = gap;
      cd->gap_strict = strict;
    }
    cd->has_gap = true;
  }
}

/* ---- one record ------------------------------------------------------------------- */

VmStatus rb_targets_read(const Program *p, VmCtx *vm, const Row *row, RbTarget *t) {
  memset(t, 0, sizeof *t);
  t->track = t->tier = t->next = -1;
  bool tracing = vm->tracing;
  vm->tracing = true;
  VmStatus st = vm_eval(vm, row);
  vm->tracing = tracing;
  if (st != VM_OK || vm->track < 0) return st;
  t->track = vm->track;
  t->tier = vm->tier;
  t->score = vm->slots[p->score_slot].n;
  const TrackInfo *ti = &p->tracks[t->track];
  int pos = t->tier < 0 ? -1 : ladder_pos(p, t->track, t->tier);
  if (pos + 1 >= ti->ntiers) return VM_OK;   /* at the top, or no ladder */
  t->next = ti->tiers[pos + 1];
  /* Every tier from the first whose condition fails up to next must come
     to hold: only next, unless a floor lifted the record past a failure. */
  t->conds = calloc((size_t)pos + 2 + 1, sizeof *t->conds);
  if (!t->conds) abort();
  bool broken = false;
  for (int i = 0; i <= pos + 1; i++) {
    const TraceEvent *e = rb_explain_event(vm, SITE_TIER, -1, ti->tiers[i]);
    bool held = e && e->v.n > 0;
    broken |= !held;
    if (!broken || held) continue;
    RbTargetCondition *cd = &t->conds[t->nconds++];
    cd->tier = ti->tiers[i];
    if (e) read_parts(p, vm, row, p->sites[e->site].text, cd);
  }
  deduce(t);
  for (int k = 0; k < t->nconds; k++) {   /* from comparisons of `score`, read, never worked out */
    RbTargetCondition *cd = &t->conds[k];
    score_gap(p, cd);
    if (!cd->has_gap) continue;
    if (!t->has_gap || cd->gap > t->gap) {
      t->gap = cd->gap;
      t->gap_strict = cd->gap_strict;
    }
    t->has_gap = true;
  }
  return VM_OK;
}

void rb_targets_find(const Program *p, VmCtx *vm, const Row *row, RbTarget *t) {
  if (t->next < 0) return;
  Search s;
  search_start(&s, p, vm, row);
  int *all = malloc(((size_t)p->nfields + 1) * sizeof *all);
  if (!all) abort();
  for (int f = 0; f < p->nfields; f++) all[f] = f;
  RbGoal tier = {RB_GOAL_TIER, t->track, t->next};
  search_fields(&s, all, p->nfields, &tier, &t->changes, &t->nchanges);
  deduce(t);
  for (int k = 0; k < t->nconds; k++) {
    RbTargetCondition *cd = &t->conds[k];
    RbGoal cond = {RB_GOAL_CONDITION, t->track, cd->tier};
    for (int i = 0; i < cd->nparts; i++) {
      RbTargetPart *tp = &cd->parts[i];
      if (tp->kind != RB_PART_OTHER || tp->holds == 1) continue;
      int n = 0;
      for (int j = 0; j < tp->nnames; j++)   /* the fields it names, in its order */
        if (tp->names[j].field >= 0) all[n++] = tp->names[j].field;
      search_fields(&s, all, n, &cond, &tp->holds_with, &tp->nholds_with);
    }
  }
  free(all);
  search_end(&s);
  deduce(t);
}

VmStatus rb_targets_record(const Program *p, VmCtx *vm, const Row *row, RbTarget *t) {
  VmStatus st = rb_targets_read(p, vm, row, t);
  if (st == VM_OK) rb_targets_find(p, vm, row, t);
  return st;
}

void rb_target_free(RbTarget *t) {
  for (int k = 0; k < t->nconds; k++) {
    for (int i = 0; i < t->conds[k].nparts; i++) {
      RbTargetPart *tp = &t->conds[k].parts[i];
      free(tp->text);
      if (tp->subject.name) free_name(&tp->subject);
      for (int j = 0; j < tp->nnames; j++) free_name(&tp->names[j]);
      free(tp->names);
      free(tp->holds_with);
    }
    free(t->conds[k].parts);
  }
  free(t->conds);
  free(t->changes);
  memset(t, 0, sizeof *t);
}

/* ---- in words ------------------------------------------------------------------------ */

static void value(const Program *p, ValueType t, char *const *members, Value v, FILE *out) {
  if (members) fputs(members[v.n], out);
  else if (t == VT_TEXT) fprintf(out, "\"%.*s\"", (int)v.n, v.s);
  else rb_explain_value(p, t, v, out);
}

/* A name's value; a value the record did not compute (a let after a part
   of an `and` that failed first) is "not worked out". */
static void name_value(const Program *p, const RbTargetName *nm, FILE *out) {
  if (nm->state == RB_NAME_VALUE) value(p, nm->type, nm->members, nm->value, out);
  else fputs(nm->state == RB_NAME_NOT_COMPUTED ? "(not worked out)" : "(not set)", out);
}

/* What a comparison needs, in words: "350 or more", "2023-09-01 or earlier". */
static void needed_words(const Program *p, const RbTargetPart *tp, FILE *out) {
  bool date = tp->subject.type == VT_DATE;
  const char *op = tp->op;
  const char *before = "", *after = "";
  if (!strcmp(op, ">=")) after = date ? " or later" : " or more";
  else if (!strcmp(op, "<=")) after = date ? " or earlier" : " or less";
  else if (!strcmp(op, ">")) before = date ? "after " : "more than ";
  else if (!strcmp(op, "<")) before = date ? "before " : "less than ";
  else if (!strcmp(op, "!=")) before = "anything but ";
  fputs(before, out);
  value(p, tp->subject.type, tp->subject.members, tp->needed, out);
  fputs(after, out);
}

/* How far off a comparison is: "short by 50", "10 days too late"; nothing
   when it is off by nothing (`> 400` at 400). */
static void short_words(const Program *p, const RbTargetPart *tp, FILE *out) {
  bool more = tp->op[0] == '>';
  if (!tp->short_by) return;
  if (tp->subject.type == VT_DATE) {
    fprintf(out, ", %lld day%s too %s", (long long)tp->short_by, tp->short_by == 1 ? "" : "s",
            more ? "early" : "late");
    return;
  }
  fputs(more ? ", short by " : ", over by ", out);
  rb_explain_value(p, tp->subject.type, (Value){tp->short_by, NULL}, out);
}

/* A change's size: "+2", "-$1000", "+10 days", "yes". */
static void delta_words(const Program *p, const RbChange *c, FILE *out) {
  const FieldInfo *f = &p->fields[c->field];
  ValueType t = out_field_type(f);
  if (f->kind == FIELD_FLAG) { fputs(c->to.n ? "yes" : "no", out); return; }
  int64_t d = c->delta < 0 ? -c->delta : c->delta;
  putc(c->delta < 0 ? '-' : '+', out);
  if (t == VT_DATE) { fprintf(out, "%lld day%s", (long long)d, d == 1 ? "" : "s"); return; }
  rb_explain_value(p, t, (Value){d, NULL}, out);
}


void rb_targets_change_text(const Program *p, const RbChange *c, int width, FILE *out) {
  const FieldInfo *f = &p->fields[c->field];
  ValueType t = out_field_type(f);
  fprintf(out, "%-*s  ", width, f->name);
  if (c->status == RB_CHANGE_NOT_MONOTONE) {
    fputs("not monotone: ", out);
    value(p, t, NULL, c->reach, out);
    fputs(" reaches, ", out);
    value(p, t, NULL, c->miss, out);
    fputs(" does not", out);
    return;
  }
  delta_words(p, c, out);
  fputs("  (", out);
  value(p, t, NULL, c->from, out);
  fputs(" -> ", out);
  value(p, t, NULL, c->to, out);
  putc(')', out);
}


void rb_targets_part_text(const Program *p, const RbTargetPart *tp, FILE *out) {
  fprintf(out, "%s %s", tp->holds == 0 ? "fails:" : "may fail:", tp->text);
  switch (tp->kind) {
  case RB_PART_COMPARE:
    fputs(": has ", out);
    name_value(p, &tp->subject, out);
    fputs(", needs ", out);
    needed_words(p, tp, out);
    if (tp->has_short) short_words(p, tp, out);
    break;
  case RB_PART_IN:
    fputs(": has ", out);
    name_value(p, &tp->subject, out);
    break;
  case RB_PART_SET:
    fputs(": not set", out);
    break;
  case RB_PART_FLAG:
    fprintf(out, ": is %s, needs %s", tp->negated ? "yes" : "no", tp->negated ? "no" : "yes");
    break;
  case RB_PART_OTHER:
    if (tp->nnames == 1 && !strcmp(tp->names[0].name, tp->text)) {   /* the part is one name */
      fputs(": ", out);
      name_value(p, &tp->names[0], out);
      break;
    }
    for (int i = 0; i < tp->nnames; i++) {
      fprintf(out, "%s%s ", i ? ", " : ": ", tp->names[i].name);
      name_value(p, &tp->names[i], out);
    }
    break;
  }
  /* What each field it names would have to be for the condition to hold,
     the others as they are: "; the condition holds with live 2024-04-10
     (-20 days)". */
  const char *sep = "; the condition holds with ";
  for (int i = 0; i < tp->nholds_with; i++) {
    const RbChange *c = &tp->holds_with[i];
    if (c->status != RB_CHANGE_FOUND) continue;
    const FieldInfo *f = &p->fields[c->field];
    fprintf(out, "%s%s ", sep, f->name);
    value(p, out_field_type(f), NULL, c->to, out);
    if (f->kind != FIELD_FLAG) {
      fputs(" (", out);
      delta_words(p, c, out);
      putc(')', out);
    }
    sep = ", or ";
  }
}

/*
** explain.c — see explain.h.  Everything here reads the Program's tables
** and a VM context's slots and trace; nothing evaluates twice, allocates,
** or writes anywhere but the stream it is given.
*/
#include "explain.h"

#include <string.h>

#include "stream.h"
#include "writers.h"

void rb_explain_value(const Program *p, ValueType t, Value v, FILE *out) {
  char buf[64];
  size_t len;
  const char *s = out_value_text(p, t, NULL, v, buf, &len);
  if (t == VT_TEXT) fprintf(out, "\"%.*s\"", (int)len, s);
  else fprintf(out, "%s%.*s", t == VT_MONEY ? "$" : "", (int)len, s);
}

static void print_field(const Program *p, int f, const Row *row, FILE *out) {
  const FieldInfo *fi = &p->fields[f];
  fprintf(out, "  %-16s ", fi->name);
  if (!row->set[f]) { fputs("(not set)\n", out); return; }
  if (fi->kind == FIELD_CHOICE) fputs(fi->members[row->vals[f].n], out);
  else rb_explain_value(p, out_field_type(fi), row->vals[f], out);
  putc('\n', out);
}

/* The trace event of a site, or NULL when the record did not pass it. */
static const TraceEvent *event_at(const VmCtx *vm, SiteKind kind, int site, int index) {
  for (int i = 0; i < vm->ntrace; i++) {
    const SiteInfo *si = &vm->prog->sites[vm->trace[i].site];
    if (si->kind == kind && (site < 0 ? si->index == index : vm->trace[i].site == site))
      return &vm->trace[i];
  }
  return NULL;
}

static void print_cap(const SlotInfo *si, const VmCtx *vm, int slot, FILE *out) {
  const TraceEvent *e = si->site >= 0 ? event_at(vm, SITE_RAW, si->site, -1) : NULL;
  char raw[DEC_FMT_MAX], lo[DEC_FMT_MAX] = "", hi[DEC_FMT_MAX] = "";
  if (!e) return;
  dec_format(e->v.n, raw);
  if (si->has_lo) dec_format(si->lo, lo);
  if (si->has_hi) dec_format(si->hi, hi);
  if (e->v.n != vm->slots[slot].n) {
    char capped[DEC_FMT_MAX];
    dec_format(vm->slots[slot].n, capped);
    fprintf(out, "   (raw %s, capped at %s)", raw, capped);
  } else if (si->has_hi && e->v.n == si->hi) {   /* reached, not exceeded */
    fprintf(out, "   (cap %s..%s, reached exactly)", lo, hi);
  } else if (si->has_lo && e->v.n == si->lo) {
    fprintf(out, "   (cap %s..%s, at its floor)", lo, hi);
  } else if (si->has_lo || si->has_hi) {
    fprintf(out, "   (cap %s..%s, not reached)", lo, hi);
  }
}

static void print_events(const Program *p, const VmCtx *vm, int slot, const char *indent,
                         FILE *out) {
  for (int i = 0; i < vm->ntrace; i++) {
    const TraceEvent *e = &vm->trace[i];
    const SiteInfo *s = &p->sites[e->site];
    if (s->slot != slot) continue;
    switch ((SiteKind)s->kind) {
    case SITE_IF:
      fprintf(out, "%sif %s  -> %s  (line %d)\n", indent, s->text, e->v.n ? "yes: then" : "no: else",
              s->line);
      break;
    case SITE_ROW:
      fprintf(out, "%sband row %s  (line %d)\n", indent, s->text, s->line);
      break;
    case SITE_ELSE:
      fprintf(out, "%sband row else => %s  (line %d)\n", indent, s->text, s->line);
      break;
    default:
      break;
    }
  }
}

static const char *title_of(const char *t) { return t ? t : ""; }

bool rb_explain_key_matches(const Program *p, const Row *row, const char *const *ids, int nids) {
  for (int k = 0; k < p->nkeys; k++) {
    int f = p->keys[k];
    if (k >= nids) {
      if (row->set[f]) return false;
      continue;
    }
    char vb[64];
    size_t n = 0;
    const char *t = row->set[f] ? out_value_text(p, out_field_type(&p->fields[f]), &p->fields[f],
                                                 row->vals[f], vb, &n) : "";
    if (strlen(ids[k]) != n || memcmp(ids[k], t, n) != 0) return false;
  }
  return true;
}

static void explain_tiers(const Program *p, const VmCtx *vm, FILE *out) {
  const TrackInfo *ti = &p->tracks[vm->track];
  if (!ti->ntiers) return;
  fputs("\ntiers, lowest first (a tier needs its condition and every one below)\n", out);
  bool broken = false;
  for (int i = 0; i < ti->ntiers; i++) {
    int t = ti->tiers[i];
    const TraceEvent *e = event_at(vm, SITE_TIER, -1, t);
    bool failed = e && e->v.n < 0 && e->v.s;   /* an error above a failed tier (vm.c: TRY) */
    bool held = e && e->v.n > 0;
    const char *verdict = held ? (broken ? "holds, but a lower tier failed" : "holds") : "does not hold";
    if (!held) broken = true;
    fprintf(out, "  %-12s %-24s when %s  -> ", p->tiers[t].name, title_of(p->tiers[t].title),
            e ? p->sites[e->site].text : "?");
    if (failed) fprintf(out, "cannot be worked out (%s); a lower tier failed, so it does not count\n", e->v.s);
    else fprintf(out, "%s\n", verdict);
  }
}

static void explain_after_tier(const Program *p, const VmCtx *vm, FILE *out) {
  const TrackInfo *ti = &p->tracks[vm->track];
  if (ti->nbadges) fputs("\nbadges\n", out);
  for (int i = 0; i < ti->nbadges; i++) {
    const SlotInfo *si = &p->slots[ti->badges[i]];
    const TraceEvent *e = si->site >= 0 ? event_at(vm, SITE_RAW, si->site, -1) : NULL;
    fprintf(out, "  %-12s %-24s when %s  -> %s\n", si->name, title_of(si->title),
            e ? p->sites[e->site].text : "?", vm->slots[ti->badges[i]].n ? "earned" : "not earned");
  }
  if (p->nbenefits) fputs("\nbenefits\n", out);
  for (int b = 0; b < p->nbenefits; b++) {
    const BenefitInfo *bi = &p->benefits[b];
    fprintf(out, "  %-12s %-24s ", bi->name, title_of(bi->title));
    rb_explain_value(p, (ValueType)bi->type, bi->values[vm->tier < 0 ? p->ntiers : vm->tier], out);
    putc('\n', out);
  }
  if (p->npayouts) fputs("\npayouts\n", out);
  for (int i = 0; i < p->npayouts; i++) {
    int s = p->first_payout + i;
    fprintf(out, "  %-12s %-24s ", p->slots[s].name, title_of(p->slots[s].title));
    rb_explain_value(p, VT_MONEY, vm->slots[s], out);
    putc('\n', out);
    print_events(p, vm, s, "      ", out);
  }
}

VmStatus rb_explain_record(const Program *p, VmCtx *vm, const Row *row, const char *file, long line,
                           FILE *out) {
  vm->tracing = true;
  VmStatus st = vm_eval(vm, row);
  char key[256];
  fprintf(out, "record %s  (%s line %ld)\n", key_text(p, row, key, sizeof key), file, line);
  for (int f = 0; f < p->nfields; f++) print_field(p, f, row, out);
  if (st == VM_OK) rb_explain_print(p, vm, out);
  return st;
}

void rb_explain_print(const Program *p, const VmCtx *vm, FILE *out) {
  if (!p->implicit_track) {
    fputs("\ntracks, first whose condition holds\n", out);
    for (int t = 0; t < p->ntracks; t++) {
      const TraceEvent *e = event_at(vm, SITE_TRACK, -1, t);
      fprintf(out, "  %-12s %-24s when %s  -> %s\n", p->tracks[t].name, title_of(p->tracks[t].title),
              e ? p->sites[e->site].text : "(not reached)",
              !e ? "-" : e->v.n ? "holds: the record's track" : "does not hold");
    }
    if (vm->track < 0) {
      fputs("\nthe record fits no track, so it is not scored\n", out);
      return;
    }
  }
  char buf[DEC_FMT_MAX];
  dec_format(vm->slots[p->score_slot].n, buf);
  int tier = vm->tier;
  fprintf(out, "\nscore %s, tier %s", buf, tier >= 0 ? p->tiers[tier].name : "(none)");
  if (tier >= 0 && p->tiers[tier].title) fprintf(out, " \"%s\"", p->tiers[tier].title);
  putc('\n', out);
  const TrackInfo *ti = &p->tracks[vm->track];
  for (int i = 0; i < ti->ncats; i++) {
    int c = ti->cats[i];
    const SlotInfo *cs = &p->slots[c];
    dec_format(vm->slots[c].n, buf);
    fprintf(out, "\n%s \"%s\" = %s", cs->name, title_of(cs->title), buf);
    print_cap(cs, vm, c, out);
    putc('\n', out);
    for (int s = 0; s < p->npoints; s++) {
      const SlotInfo *si = &p->slots[s];
      if (si->category != c) continue;
      dec_format(vm->slots[s].n, buf);
      fprintf(out, "  %s \"%s\" = %s", si->name + strlen(cs->name) + 1, title_of(si->title), buf);
      print_cap(si, vm, s, out);
      putc('\n', out);
      print_events(p, vm, s, "      ", out);
    }
  }
  bool any_let = false;
  for (int s = p->score_slot + 1; s < p->first_badge; s++) {
    if (!vm_computed(vm, s)) continue;
    if (!any_let) fputs("\nlets\n", out);
    any_let = true;
    fprintf(out, "  %s = ", p->slots[s].name);
    rb_explain_value(p, (ValueType)p->slots[s].type, vm->slots[s], out);
    putc('\n', out);
    print_events(p, vm, s, "      ", out);
  }
  explain_tiers(p, vm, out);
  explain_after_tier(p, vm, out);
}

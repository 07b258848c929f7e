/*
** summary.c — see summary.h.
*/
#include "summary.h"

#include <string.h>

void summary_tier_name(const Program *p, int track, int tier, char *buf, size_t n) {
  const char *name = tier < p->ntiers ? p->tiers[tier].name : "no tier";
  if (p->implicit_track) snprintf(buf, n, "%s", name);
  else snprintf(buf, n, "%s/%s", p->tracks[track].name, name);
}

bool summary_any_no_tier(const Program *p, const Tally *t, long n) {
  for (long i = 0; i < n; i++)
    for (int track = 0; track < p->ntracks; track++)
      if (tally_placed(&t[i], p, track, p->ntiers)) return true;
  return false;
}

static void json_name(FILE *out, const char *s) { out_json_string(out, s, strlen(s)); }

void summary_json_value(FILE *out, const Program *p, ValueType type, int64_t v) {
  char buf[64];
  size_t len;
  const char *s = out_value_text(p, type, NULL, (Value){v, NULL}, buf, &len);
  if (type == VT_NUMBER || type == VT_MONEY) fwrite(s, 1, len, out);
  else if (type == VT_FLAG) fputs(v ? "true" : "false", out);
  else out_json_string(out, s, len);
}

void summary_json_counts(FILE *out, const Program *p, const Tally *t, bool no_tier, const char *indent) {
  fprintf(out, "%s\"records\": {\"read\": %ld, \"scored\": %ld, \"unassigned\": %ld, \"rejected\": %ld},\n",
          indent, t->read, t->scored, t->unassigned, t->rejected);
  fprintf(out, "%s\"tiers\": {", indent);
  int k = 0;
  for (int track = 0; track < p->ntracks; track++) {
    const TrackInfo *tr = &p->tracks[track];
    for (int i = 0; i <= tr->ntiers; i++) {
      int tier = i < tr->ntiers ? tr->tiers[i] : p->ntiers;
      if (tier == p->ntiers && !no_tier) continue;
      char name[512];
      summary_tier_name(p, track, tier, name, sizeof name);
      fputs(k++ ? ", " : "", out);
      json_name(out, name);
      fprintf(out, ": %ld", tally_placed(t, p, track, tier));
    }
  }
  fprintf(out, "},\n%s\"payouts\": {", indent);
  for (int i = 0; i < p->npayouts; i++) {
    fputs(i ? ", " : "", out);
    json_name(out, p->slots[p->first_payout + i].name);
    fputs(": ", out);
    Dec total;
    if (dec_sum_result(t->payout_totals[i], &total) == DEC_OK) summary_json_value(out, p, VT_MONEY, total);
    else fputs("null", out);
  }
  putc('}', out);
}

/* "key": "text", or "key": null when s is NULL. */
static void json_text_member(FILE *out, const char *key, const char *s) {
  fprintf(out, ", \"%s\": ", key);
  if (s) json_name(out, s);
  else fputs("null", out);
}

/* The notes of one kind as the members of a JSON array, one a line. */
static void json_notes(FILE *out, const Program *p, const Tally *t, NoteKind kind) {
  int k = 0;
  for (size_t i = 0; i < t->nnotes; i++) {
    const RunNote *n = &t->notes[i];
    if (n->kind != kind) continue;
    fputs(k++ ? ",\n    {\"file\": " : "\n    {\"file\": ", out);
    json_name(out, n->file);
    fprintf(out, ", \"line\": %ld", n->line);
    json_text_member(out, "key", n->key);
    if (kind == NOTE_REJECTED) {
      json_text_member(out, "field", n->field >= 0 ? p->fields[n->field].name : NULL);
      json_text_member(out, "reason", n->reason);
      json_text_member(out, "code", n->code);
    } else {
      json_text_member(out, "message", n->reason);
    }
    putc('}', out);
  }
  fputs(k ? "\n  ]" : "]", out);
}

void summary_json(FILE *out, const Program *p, const char *program, const char *const *paths, int npaths,
                  const Tally *t) {
  fputs("{\n  \"program\": ", out);
  json_name(out, program);
  fputs(",\n  \"files\": [", out);
  for (int i = 0; i < npaths; i++) {
    fputs(i ? ", " : "", out);
    json_name(out, strcmp(paths[i], "-") == 0 ? "<stdin>" : paths[i]);
  }
  fputs("],\n", out);
  summary_json_counts(out, p, t, summary_any_no_tier(p, t, 1), "  ");
  if (t->acts_in && t->acts_in->path) {   /* what became of the activities read */
    const ActStats *a = &t->acts;
    fputs(",\n  \"activities\": {\"file\": ", out);
    json_name(out, strcmp(t->acts_in->path, "-") == 0 ? "<stdin>" : t->acts_in->path);
    fprintf(out, ", \"read\": %ld, \"used\": %ld, \"after_as_of\": %ld, \"unknown_partner\": %ld, "
                 "\"rejected\": %ld, \"of_rejected_partners\": %ld}",
            a->read, a->used, a->after, a->unknown, a->rejected, a->of_rejected);
  }
  fputs(",\n  \"rejected\": [", out);
  json_notes(out, p, t, NOTE_REJECTED);
  fputs(",\n  \"warnings\": [", out);
  json_notes(out, p, t, NOTE_UNASSIGNED);
  fputs("\n}\n", out);
}

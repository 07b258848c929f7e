/*
** diagfmt.c — see diagfmt.h.  Three renderings of one Diag; none of them
** allocates, and none prints anywhere but the stream it is handed.
*/
#include "diagfmt.h"

#include <string.h>

#include "writers.h"

static const char *const severity[] = {"error", "warning", "note"};

bool rb_diag_format_parse(const char *name, RbDiagFormat *fmt) {
  if (strcmp(name, "human") == 0) *fmt = RB_DIAG_HUMAN;
  else if (strcmp(name, "json") == 0) *fmt = RB_DIAG_JSON;
  else if (strcmp(name, "github") == 0) *fmt = RB_DIAG_GITHUB;
  else return false;
  return true;
}

/* file:line:col: severity: message [CODE], the source line, carets under
   the offending text (tabs kept, so they line up), then the hint. */
static void print_human(const Diag *d, const char *prog, FILE *out) {
  if (d->src)
    fprintf(out, "%s:%d:%d: %s: %s [%s]\n", d->src->name, d->line, d->col, severity[d->sev], d->msg,
            diag_code_name(d->code));
  else
    fprintf(out, "%s: %s: %s [%s]\n", prog, severity[d->sev], d->msg, diag_code_name(d->code));
  if (d->src && d->line > 0) {
    int len;
    const char *line = diag_source_line(d->src, d->line, &len);
    fprintf(out, "  %.*s\n  ", len, line);
    for (int i = 0; i < d->col - 1 && i < len; i++) putc(line[i] == '\t' ? '\t' : ' ', out);
    int carets = d->len;
    if (d->col - 1 + carets > len) carets = len - (d->col - 1);
    if (carets < 1) carets = 1;
    for (int i = 0; i < carets; i++) putc('^', out);
    putc('\n', out);
  }
  if (d->hint) fprintf(out, "  hint: %s\n", d->hint);
}

/* One JSON object per line. */
static void print_json(const Diag *d, FILE *out) {
  fputs("{\"file\":", out);
  if (d->src) out_json_string(out, d->src->name, strlen(d->src->name));
  else fputs("null", out);
  fprintf(out, ",\"line\":%d,\"col\":%d,\"len\":%d,\"severity\":\"%s\",\"code\":\"%s\",\"message\":",
          d->line, d->col, d->len, severity[d->sev], diag_code_name(d->code));
  out_json_string(out, d->msg, strlen(d->msg));
  fputs(",\"hint\":", out);
  if (d->hint) out_json_string(out, d->hint, strlen(d->hint));
  else fputs("null", out);
  fputs("}\n", out);
}

/* GitHub Actions workflow commands: ::error file=F,line=L,col=C,title=CODE::message */
void rb_diag_github_escape(FILE *out, const char *s, bool property) {
  for (; s && *s; s++) {
    if (*s == '%') fputs("%25", out);
    else if (*s == '\r') fputs("%0D", out);
    else if (*s == '\n') fputs("%0A", out);
    else if (property && *s == ':') fputs("%3A", out);
    else if (property && *s == ',') fputs("%2C", out);
    else putc(*s, out);
  }
}

static void print_github(const Diag *d, FILE *out) {
  fprintf(out, "::%s ", d->sev == DIAG_ERROR ? "error" : d->sev == DIAG_WARNING ? "warning" : "notice");
  if (d->src) {
    fputs("file=", out);
    rb_diag_github_escape(out, d->src->name, true);
    fprintf(out, ",line=%d,col=%d,", d->line, d->col);
  }
  fprintf(out, "title=%s::", diag_code_name(d->code));
  rb_diag_github_escape(out, d->msg, false);
  if (d->hint) {
    fputs("%0Ahint: ", out);
    rb_diag_github_escape(out, d->hint, false);
  }
  putc('\n', out);
}

void rb_diag_print(const Diag *d, RbDiagFormat fmt, const char *prog, FILE *out) {
  if (fmt == RB_DIAG_JSON) print_json(d, out);
  else if (fmt == RB_DIAG_GITHUB) print_github(d, out);
  else print_human(d, prog, out);
}

void rb_diag_print_list(const DiagList *dl, RbDiagFormat fmt, const char *prog, FILE *out) {
  for (const Diag *d = dl->head; d; d = d->next) rb_diag_print(d, fmt, prog, out);
}

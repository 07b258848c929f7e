/*
** report.h — the HTML report a program manager sends on, and the partner
** dashboard (rp_).  One pass over the records (runtime/stream.h, one
** thread) scores each record once, traced, and keeps what the pages need:
** the counts per track and tier, each track's scores for its histogram,
** the category totals per tier, how often each cap held a value, the
** records rejected, and the partners nearest their next tier (their
** targets worked out by api/targets.c).  A comparison of two schemes is
** the caller's (api/compare.h) and is drawn as it is given.
**
** A page is one self-contained HTML file: inline CSS, charts drawn here as
** inline SVG, no script, nothing fetched.  Every text that comes from
** records or from the program is escaped.  Every chart has its numbers as
** text beside it or in a table, and tells its series apart by pattern and
** label as well as by shade, so it reads in black and white.  The same
** input gives the same bytes.
**
** Sizes stay bounded however many records there are: histograms rather
** than rows, and lists cut at the RP_*_MAX below (the counts stay whole).
** This file writes only to the streams it is given, never exits, and
** reads records only through stream_score.
*/
#ifndef RUBRIC_REPORT_H
#define RUBRIC_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "compare.h"
#include "stream.h"

/* Partners listed as close to their next tier: a page, not a file. */
#define RP_CLOSE_MAX 50
/* Rejected records listed: enough for the data owner to see the pattern. */
#define RP_REJECTED_MAX 100
/* Movers listed in the comparison. */
#define RP_MOVERS_MAX 50
/* Caps listed as binding most often. */
#define RP_CAPS_MAX 10
/* A histogram has about this many bins at most (its width is rounded up
   to 1, 2 or 5 times a power of ten, so there may be fewer). */
#define RP_BINS 20

/* A dashboard's page, for one partner: the caller opens and finishes it
   (cli/cmd_report.c: a checked output file).  open returns NULL to skip
   the partner (having said why, if it matters) and sets *stop to end the
   run; finish returns false when the page could not be written, which
   ends the run too. */
typedef struct RpPages {
  FILE *(*open)(void *ctx, const char *key, bool *stop);
  bool (*finish)(void *ctx, FILE *page);
  void *ctx;
} RpPages;

typedef struct RpOptions {
  const char *program_path;   /* as the overview names it */
  bool within;                /* --within: only partners at most within_points short */
  Dec within_points;
  /* --compare: the comparison to draw (NULL: none), and what NEW is, in
     words ("programs/x.rubric", "--new-set rate=6"). */
  const CmpResult *compare;
  const char *compare_label;
  /* Dashboards: for the records whose key is ids (nids of them, as --id
     takes them), or for every scored record when every; pages says where. */
  const char *const *ids;
  int nids;
  bool every;
  const RpPages *pages;
  const struct StreamActs *acts;   /* --activities, --as-of (NULL: none) */
} RpOptions;

typedef struct RpRun RpRun;

/* A run over p's records with these options (kept, not copied). */
RpRun *rp_new(const Program *p, const RpOptions *o);
void rp_free(RpRun *r);
/* Scores every record of the files with the param values params, as eval
   does (rejected records reported on err, which is where messages about
   unreadable files go too), collecting the report's data and writing the
   dashboards asked for.  rp_tally gives the counts (its notes are the
   records rejected and those on no track).  False when a file could not
   be read or a page could not be written. */
bool rp_score(RpRun *r, const int64_t *params, const char *const *paths, int npaths, const char *prog_name,
              FILE *err);
const Tally *rp_tally(const RpRun *r);
/* Dashboards written, and whether one matched the ids. */
long rp_pages_written(const RpRun *r);
/* Writes the report of the run to out. */
void rp_write_report(RpRun *r, FILE *out);

/* Text for HTML: & < > " ' as character references, other bytes as they
   are.  Exposed for the tests. */
void rp_html_text(FILE *out, const char *s, size_t n);
/* Money as the pages show it for reading: "$672,762.00", "-$1,250.50":
   thousands separated by commas, rounded half away from zero to cents.
   Only the page rounds: eval's CSV keeps the exact amount.  Exposed for
   the tests. */
void rp_money(FILE *out, Dec d);

#endif

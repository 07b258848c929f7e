/*
** zoho.c — the Zoho Consulting Partner Program's rules written by hand in
** C: the native baseline rubric is measured against.
**
**   zoho < partners.csv > scores.csv      (or: zoho partners.csv)
**
** It is meant to be what a careful C programmer would write for this one
** program, tight but honest: it reads RFC 4180 CSV itself (quoted cells,
** doubled quotes), finds its columns by the header's names, parses every
** value it uses exactly (amounts as integer millionths, as rubric does),
** rejects a record it cannot read, and does the same exact arithmetic as
** programs/zoho/zoho.rubric: one division, rounded half to even to six
** places.  What it does not do that rubric does: check that text is UTF-8,
** check the fields it does not use, and explain anything.
**
** Output: id,score,tier — the same bytes as
**   rubric eval --columns id,score,tier programs/zoho/zoho.rubric
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define M 1000000LL   /* millionths */

enum {
  ID, REGION_CLASS, REVENUE_PREV, REVENUE, NEW_CUSTOMERS, GOOD_RATINGS, ESCALATIONS,
  CERTIFICATIONS, PROJECTS, CASE_STUDIES, PRACTICE_STAFF, RETENTION_PCT, LEADGEN_EVENT,
  BRANDED_EVENT, REQUIRED_CERTS, BRANDING, ONBOARDED, FIRST_GO_LIVE, NCOLS
};
static const char *const names[NCOLS] = {
    "id", "region_class", "revenue_prev", "revenue", "new_customers", "good_ratings",
    "escalations", "certifications", "projects", "case_studies", "practice_staff",
    "retention_pct", "leadgen_event", "branded_event", "required_certs", "branding",
    "onboarded", "first_go_live"};

/* ---- reading ---------------------------------------------------------------- */

static FILE *in;
static char buf[1 << 16];
static size_t len, pos;

static int getbyte(void) {
  if (pos == len) {
    len = fread(buf, 1, sizeof buf, in);
    pos = 0;
    if (len == 0) return EOF;
  }
  return (unsigned char)buf[pos++];
}

/* One record's cells, unescaped into rec. */
static char rec[1 << 20];
static size_t off[64], cl[64];
static int ncells;

/* 1: a record; 0: the end; -1: a malformed record (skipped). */
static int next_record(void) {
  size_t n = 0;
  int c = getbyte();
  if (c == EOF) return 0;
  ncells = 0;
  int bad = 0;
  off[0] = 0;
  for (;;) {
    if (c == '"') {
      while ((c = getbyte()) != EOF) {
        if (c == '"' && (c = getbyte()) != '"') break;
        if (n < sizeof rec) rec[n++] = (char)c;
        else bad = 1;
      }
    } else {
      while (c != ',' && c != '\n' && c != '\r' && c != EOF) {
        if (n < sizeof rec) rec[n++] = (char)c;
        else bad = 1;
        c = getbyte();
      }
    }
    if (c == '\r') c = getbyte();
    if (ncells < 64) cl[ncells] = n - off[ncells];
    else bad = 1;
    ncells++;
    if (c == ',') {
      if (ncells < 64) off[ncells] = n;
      c = getbyte();
      continue;
    }
    if (c == '\n' || c == EOF) return bad ? -1 : 1;
    bad = 1;   /* text after a closing quote */
  }
}

/* ---- values ----------------------------------------------------------------- */

/* A plain decimal, at most six places, as millionths. */
static int decimal(const char *s, size_t n, int64_t *out) {
  size_t i = 0;
  int neg = 0;
  if (i < n && s[i] == '-') { neg = 1; i++; }
  int64_t v = 0;
  size_t digits = 0;
  while (i < n && s[i] >= '0' && s[i] <= '9') {
    if (v > (INT64_MAX / M - 9) / 10) return 0;
    v = v * 10 + (s[i++] - '0');
    digits++;
  }
  v *= M;
  if (i < n && s[i] == '.') {
    i++;
    int64_t scale = M / 10;
    size_t places = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
      if (++places > 6) return 0;
      v += (s[i++] - '0') * scale;
      scale /= 10;
    }
    if (!places) return 0;
  }
  if (!digits || i != n) return 0;
  *out = neg ? -v : v;
  return 1;
}

static int whole(const char *s, size_t n, int64_t *out) {
  int64_t v;
  if (!decimal(s, n, &v) || v % M) return 0;
  *out = v / M;
  return 1;
}

static int flag(const char *s, size_t n, int *out) {
  static const char *const yes[] = {"1", "true", "yes"}, *const no[] = {"0", "false", "no"};
  char low[8];
  if (n >= sizeof low) return 0;
  for (size_t i = 0; i < n; i++) low[i] = (char)(s[i] | 0x20);
  for (int k = 0; k < 3; k++) {
    if (strlen(yes[k]) == n && !memcmp(low, yes[k], n)) { *out = 1; return 1; }
    if (strlen(no[k]) == n && !memcmp(low, no[k], n)) { *out = 0; return 1; }
  }
  return 0;
}

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
static int mdays(int y, int m) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* YYYY-MM-DD as y*10000 + m*100 + d, which orders as dates do. */
static int date(const char *s, size_t n, int *y, int *m, int *d) {
  if (n != 10 || s[4] != '-' || s[7] != '-') return 0;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return 0;
  *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  *m = (s[5] - '0') * 10 + (s[6] - '0');
  *d = (s[8] - '0') * 10 + (s[9] - '0');
  return *m >= 1 && *m <= 12 && *d >= 1 && *d <= mdays(*y, *m);
}

/* a * b / c rounded half to even, a and b in millionths, result too. */
static int64_t ratio(int64_t a, int64_t b, int64_t c) {
  __int128 num = (__int128)a * b, den = c;   /* a*b/M / (c/M) = a*b/c */
  __int128 q = num / den, r = num % den;
  if (r < 0) r = -r;
  if (2 * r > (den < 0 ? -den : den) || (2 * r == (den < 0 ? -den : den) && (q & 1)))
    q += (num < 0) != (den < 0) ? -1 : 1;
  return (int64_t)q;
}

static int64_t clamp(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

/* ---- writing ---------------------------------------------------------------- */

static char obuf[1 << 16];
static size_t olen;

static void out(const char *s, size_t n) {
  if (olen + n > sizeof obuf) {
    fwrite(obuf, 1, olen, stdout);
    olen = 0;
  }
  memcpy(obuf + olen, s, n);
  olen += n;
}

static void out_decimal(int64_t v) {
  char t[32], *p = t + sizeof t;
  int neg = v < 0;
  uint64_t u = neg ? -(uint64_t)v : (uint64_t)v;
  uint64_t frac = u % M, ip = u / M;
  if (frac) {
    int places = 6;
    while (frac % 10 == 0) { frac /= 10; places--; }
    while (places--) { *--p = (char)('0' + frac % 10); frac /= 10; }
    *--p = '.';
  }
  do { *--p = (char)('0' + ip % 10); ip /= 10; } while (ip);
  if (neg) *--p = '-';
  out(p, (size_t)(t + sizeof t - p));
}

/* ---- the rules -------------------------------------------------------------- */

int main(int argc, char **argv) {
  in = argc > 1 ? fopen(argv[1], "rb") : stdin;
  if (!in) { perror(argv[1]); return 2; }
  int col[NCOLS];
  if (next_record() != 1) { fputs("zoho: no header\n", stderr); return 2; }
  for (int f = 0; f < NCOLS; f++) {
    col[f] = -1;
    for (int c = 0; c < ncells && c < 64; c++)
      if (cl[c] == strlen(names[f]) && !memcmp(rec + off[c], names[f], cl[c])) col[f] = c;
    if (col[f] < 0) { fprintf(stderr, "zoho: no column %s\n", names[f]); return 2; }
  }
  out("id,score,tier\n", 14);
  long line = 1, bad = 0;
  int st;
  while ((st = next_record()) != 0) {
    line++;
#define CELL(f) (rec + off[col[f]]), cl[col[f]]
    int64_t prev, rev, nc, gr, esc, certs, proj, cases, staff, pct, brand;
    int leadgen, branded, required, oy, om, od, gy = 0, gm = 0, gd = 0;
    const char *rc = rec + off[col[REGION_CLASS]];
    size_t rcl = cl[col[REGION_CLASS]];
    int developed = rcl == 9 && !memcmp(rc, "developed", 9);
    if (st < 0 || ncells != 19 || cl[col[ID]] == 0 ||
        !(developed || (rcl == 10 && !memcmp(rc, "developing", 10))) ||
        !decimal(CELL(REVENUE_PREV), &prev) || !decimal(CELL(REVENUE), &rev) ||
        !whole(CELL(NEW_CUSTOMERS), &nc) || nc < 0 || !whole(CELL(GOOD_RATINGS), &gr) || gr < 0 ||
        !whole(CELL(ESCALATIONS), &esc) || esc < 0 || !whole(CELL(CERTIFICATIONS), &certs) ||
        certs < 0 || !whole(CELL(PROJECTS), &proj) || proj < 0 ||
        !whole(CELL(CASE_STUDIES), &cases) || cases < 0 ||
        !whole(CELL(PRACTICE_STAFF), &staff) || staff < 0 ||
        !decimal(CELL(RETENTION_PCT), &pct) || !flag(CELL(LEADGEN_EVENT), &leadgen) ||
        !flag(CELL(BRANDED_EVENT), &branded) || !flag(CELL(REQUIRED_CERTS), &required) ||
        !decimal(CELL(BRANDING), &brand) || brand < 0 || brand > 50 * M ||
        !date(CELL(ONBOARDED), &oy, &om, &od) ||
        (cl[col[FIRST_GO_LIVE]] && !date(CELL(FIRST_GO_LIVE), &gy, &gm, &gd))) {
      fprintf(stderr, "zoho: line %ld: bad record\n", line);
      bad++;
      continue;
    }
    int64_t growth = rev > 5000 * M ? clamp(ratio(rev - prev, 400 * M, developed ? 200000 * M : 150000 * M), 0, 400 * M) : 0;
    int64_t acquisition = nc > 10 ? clamp(nc / 10 * 10, 0, 100) * M : 0;
    int64_t retention = pct <= 25 * M ? 0 : pct <= 50 * M ? 25 * M : pct <= 75 * M ? 50 * M : clamp(pct, 0, 100 * M);
    int64_t csat = clamp(5 * gr, 0, 100) * M;
    int64_t escal = esc < 2 ? 0 : clamp(-10 * esc, -100, 0) * M;
    int64_t cert = certs >= 3 ? clamp(5 * certs, 0, 100) * M : 0;
    int64_t projects = clamp(10 * proj, 0, 50) * M, studies = clamp(10 * cases, 0, 50) * M;
    int64_t practice = (staff <= 2 ? 0 : staff <= 5 ? 5 : staff <= 10 ? 10 : staff <= 25 ? 20 : 25) * M;
    int64_t campaigns = (leadgen ? 10 : 0) * M + (branded ? 15 : 0) * M;
    int64_t score = growth + acquisition + retention + csat + escal + cert + projects + studies +
                    practice + campaigns + brand;
    /* Went live within six months of onboarding (the day clamped to the month's end). */
    int in_time = 0;
    if (cl[col[FIRST_GO_LIVE]]) {
      int y = oy + (om - 1 + 6) / 12, m = (om - 1 + 6) % 12 + 1;
      int d = od > mdays(y, m) ? mdays(y, m) : od;
      in_time = gy * 10000 + gm * 100 + gd <= y * 10000 + m * 100 + d;
    }
    const char *tier = "new";
    if (rev > 5000 * M && required && in_time)
      tier = score > 600 * M ? "premium" : score > 400 * M ? "advanced" : "authorized";
    out(rec + off[col[ID]], cl[col[ID]]);
    out(",", 1);
    out_decimal(score);
    out(",", 1);
    out(tier, strlen(tier));
    out("\n", 1);
  }
  fwrite(obuf, 1, olen, stdout);
  if (bad) fprintf(stderr, "zoho: %ld bad records\n", bad);
  return fflush(stdout) == 0 && !bad ? 0 : 1;
}

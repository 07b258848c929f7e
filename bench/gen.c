/*
** gen.c — N synthetic Zoho partner records, the same N records every time.
**
**   gen N > partners.csv
**   gen partners M > ids.csv              M partners with an id alone
**   gen activities N M > activities.csv
**
** The activities (issue 14; docs/performance.md, "Activities") are N dated
** events of M partners (ZB0000001 ...): deployments, certifications and
** deals, most deals with an amount, dated over two years, in the order a
** PRM export gives them: each line's partner drawn at random.  Sorted by
** partner (LC_ALL=C sort -t, -k1,1 -s) they are what `rubric eval
** --sorted` reads.
**
** The columns are programs/zoho/partners.csv's.  The distributions are made
** to look like a real partner base rather than uniform noise: revenue is
** heavy-tailed (most partners small, a few large), most partners grow but
** some shrink, a tenth are below the $5,000 revenue gate, escalations are
** rare, and one partner in seven has no go-live date yet.  Every band row,
** cap and tier of the program is reached many times over.
**
** Amounts have at most two decimals and stay under $5,000,000, so the Lua
** contenders (whose LuaJIT numbers are doubles) compute exactly: see
** bench/zoho.lua.
*/
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x9E3779B97F4A7C15u;

/* xorshift64*: fast, deterministic, good enough for test data. */
static uint64_t next(void) {
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return rng * 0x2545F4914F6CDD1Du;
}

/* Uniform in [0, n). */
static long below(long n) { return (long)(next() % (uint64_t)n); }

/* True with probability pct / 100. */
static int chance(int pct) { return below(100) < pct; }

/* A heavy-tailed amount in cents: 10^(3 + 3.5u) dollars, u uniform. */
static long amount_cents(void) {
  /* 10^(k/1000) for k in [0, 3500), by repeated multiplication of a table
     of 10^(1/1000) powers would need libm; a piecewise table is enough. */
  static const double decade[] = {1, 10, 100, 1000};
  long k = below(3500);
  double d = decade[k / 1000], f = 1.0;
  for (long i = 0; i < (k % 1000) / 50; i++) f *= 1.122018454;   /* 10^(1/20) */
  return (long)(1000.0 * d * f * 100.0) + below(100);
}

/* Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm). */
static void civil(long z, int *y, int *m, int *d) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

static void date(long days) {
  int y, m, d;
  civil(days, &y, &m, &d);
  printf("%04d-%02d-%02d", y, m, d);
}

static void money(long cents) {
  if (cents % 100) printf("%ld.%02ld", cents / 100, cents % 100);
  else printf("%ld", cents / 100);
}

static const char *const names[] = {
    "Acme Consulting, Inc.", "Müller Beratung GmbH", "Société Générale Conseil",
    "東京コンサルティング株式会社", "The \"Best\" Partners", "Nordlys Rådgivning AS",
    "São Paulo Soluções Ltda", "Zürich Digital AG", "Kraków Systems, Sp. z o.o.",
    "Bright Path Advisors", "Cedar & Pine Consulting", "Delta Cloud Works", "Evergreen IT",
    "Fjord Analytics", "Granite Systems", "Harbor Light Tech", "Indigo Process Group",
    "Juniper Solutions", "Kestrel Digital", "Lumen Partners"};

/* A name and a number, quoted as RFC 4180 says when it must be. */
static void name(const char *s, long k) {
  if (!strpbrk(s, ",\"")) {
    printf("%s #%ld", s, k);
    return;
  }
  putchar('"');
  for (; *s; s++) {
    if (*s == '"') putchar('"');
    putchar(*s);
  }
  printf(" #%ld\"", k);
}

static const char *const kinds[] = {"deployment", "certification", "deal", "deal"};

/* One activity of partner p. */
static void activity(long p) {
  const char *kind = kinds[below(4)];
  printf("ZB%07ld,%s,", p, kind);
  date(20089 + below(730));   /* from 2025-01-01, two years */
  putchar(',');
  if (kind[1] == 'e' && kind[2] == 'a' && !chance(10)) money(below(5000000));
  putchar('\n');
}

static int activities(long n, long m) {
  puts("partner,kind,on,amount");
  if (m < 1) m = 1;
  for (long i = 0; i < n; i++) activity(1 + below(m));
  return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
  static char out[1 << 16];
  setvbuf(stdout, out, _IOFBF, sizeof out);
  if (argc > 2 && strcmp(argv[1], "partners") == 0) {
    long m = strtol(argv[2], NULL, 10);
    puts("id");
    for (long p = 1; p <= m; p++) printf("ZB%07ld\n", p);
    return fflush(stdout) == 0 ? 0 : 1;
  }
  if (argc > 3 && strcmp(argv[1], "activities") == 0)
    return activities(strtol(argv[2], NULL, 10), strtol(argv[3], NULL, 10));
  long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000;
  puts("id,name,region_class,revenue_prev,revenue,new_customers,good_ratings,escalations,"
       "certifications,projects,case_studies,practice_staff,retention_pct,leadgen_event,"
       "branded_event,required_certs,branding,onboarded,first_go_live");
  for (long i = 1; i <= n; i++) {
    long prev = chance(8) ? 0 : amount_cents();
    long rev;
    if (chance(10)) rev = below(500001);                       /* under the $5,000 gate */
    else rev = prev / 100 * (60 + below(140)) + below(100);    /* -40% .. +100% */
    if (rev < 0) rev = 0;
    if (rev > 499999999) rev = 499999999;
    printf("ZB%07ld,", i);
    name(names[below(20)], below(1000));
    printf(",%s,", chance(70) ? "developed" : "developing");
    money(prev);
    putchar(',');
    money(rev);
    long escal = chance(80) ? below(2) : below(16);
    printf(",%ld,%ld,%ld,%ld,%ld,%ld,%ld,", chance(30) ? below(11) : below(250), below(40),
           escal, below(26), below(11), below(9), below(41));
    long ret = below(1001);                                    /* tenths of a percent */
    if (chance(60)) ret -= ret % 10;
    if (ret % 10) printf("%ld.%ld", ret / 10, ret % 10);
    else printf("%ld", ret / 10);
    printf(",%s,%s,%s,", chance(40) ? "yes" : "no", chance(30) ? "yes" : "no",
           chance(70) ? "yes" : "no");
    long brand = below(101);                                   /* halves */
    printf(brand % 2 ? "%ld.5," : "%ld,", brand / 2);
    long on = 18993 + below(900);                              /* from 2022-01-01 */
    date(on);
    putchar(',');
    if (!chance(15)) date(on + below(300));
    putchar('\n');
  }
  return fflush(stdout) == 0 ? 0 : 1;
}

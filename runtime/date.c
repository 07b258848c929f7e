/*
** date.c — see date.h.  The day-number conversions are the well-known
** era-based civil calendar algorithms (400-year cycles of 146097 days).
*/
#include "date.h"

#include <stdio.h>

static const int64_t MIN_DAY = -719162;   /* 0001-01-01 */
static const int64_t MAX_DAY = 2932896;   /* 9999-12-31 */

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(int y, int m) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && leap(y)) ? 29 : days[m - 1];
}

bool date_valid(int y, int m, int d) {
  return y >= DATE_MIN_YEAR && y <= DATE_MAX_YEAR && m >= 1 && m <= 12 &&
         d >= 1 && d <= month_days(y, m);
}

int64_t date_from_ymd(int y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void date_to_ymd(int64_t z, int *y, int *m, int *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int digits(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

bool date_parse(const char *s, size_t n, int64_t *days) {
  if (n != DATE_TEXT_LEN || s[4] != '-' || s[7] != '-') return false;
  int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
  if (y < 0 || m < 0 || d < 0 || !date_valid(y, m, d)) return false;
  *days = date_from_ymd(y, m, d);
  return true;
}

bool date_add_days(int64_t days, int64_t n, int64_t *out) {
  if (days < MIN_DAY || days > MAX_DAY) return false;
  if (n > MAX_DAY - MIN_DAY || n < MIN_DAY - MAX_DAY) return false;
  int64_t r = days + n;
  if (r < MIN_DAY || r > MAX_DAY) return false;
  *out = r;
  return true;
}

bool date_add_months(int64_t days, int64_t n, int64_t *out) {
  int y, m, d;
  if (days < MIN_DAY || days > MAX_DAY) return false;
  date_to_ymd(days, &y, &m, &d);
  if (n > 12 * DATE_MAX_YEAR || n < -12 * DATE_MAX_YEAR) return false;
  int64_t total = (int64_t)y * 12 + (m - 1) + n;
  int64_t ny = total / 12, nm = total % 12 + 1;
  if (ny < DATE_MIN_YEAR || ny > DATE_MAX_YEAR) return false;
  int last = month_days((int)ny, (int)nm);
  *out = date_from_ymd((int)ny, (int)nm, d > last ? last : d);
  return true;
}

void date_format(int64_t days, char buf[DATE_TEXT_LEN + 1]) {
  int y, m, d;
  if (days < MIN_DAY || days > MAX_DAY) { snprintf(buf, DATE_TEXT_LEN + 1, "(no date)"); return; }
  date_to_ymd(days, &y, &m, &d);
  snprintf(buf, DATE_TEXT_LEN + 1, "%04d-%02d-%02d", y, m, d);
}

/*
** decimal.c — see decimal.h.  Products and quotients are formed in 128-bit
** integers (a GCC/Clang extension, the one this module relies on) so that
** the only rounding is the final one, half to even, as docs/language.md says.
*/
#include "decimal.h"

__extension__ typedef __int128 Wide;

static DecStatus narrow(Wide w, Dec *r) {
  if (w > (Wide)DEC_MAX || w < (Wide)DEC_MIN) return DEC_OVERFLOW;
  *r = (Dec)w;
  return DEC_OK;
}

/* n / d rounded half to even; d > 0. */
static Wide div_half_even(Wide n, Wide d) {
  Wide q = n / d, rem = n % d;
  if (rem < 0) rem = -rem;
  Wide twice = rem * 2;
  if (twice > d || (twice == d && (q % 2 != 0)))
    q += (n < 0) ? -1 : 1;
  return q;
}

DecStatus dec_sum_result(DecSum s, Dec *r) { return narrow(s, r); }

Dec dec_from_int(int64_t i, DecStatus *st) {
  Dec r = 0;
  *st = narrow((Wide)i * DEC_SCALE, &r);
  return r;
}

DecStatus dec_add(Dec a, Dec b, Dec *r) { return narrow((Wide)a + b, r); }
DecStatus dec_sub(Dec a, Dec b, Dec *r) { return narrow((Wide)a - b, r); }
DecStatus dec_neg(Dec a, Dec *r) { return narrow(-(Wide)a, r); }

/* The same in 64 bits, when n fits: most products and quotients do, and a
   128-bit division is a slow library call. */
static int64_t div_half_even64(int64_t n, int64_t d) {
  int64_t q = n / d, rem = n % d;
  if (rem < 0) rem = -rem;
  int64_t twice = rem * 2;   /* rem < d <= INT64_MAX / 2 where this is used */
  if (twice > d || (twice == d && (q % 2 != 0)))
    q += (n < 0) ? -1 : 1;
  return q;
}

DecStatus dec_mul(Dec a, Dec b, Dec *r) {
  int64_t n;
  if (!__builtin_mul_overflow(a, b, &n) && n != INT64_MIN) {
    *r = div_half_even64(n, DEC_SCALE);
    return DEC_OK;
  }
  return narrow(div_half_even((Wide)a * b, DEC_SCALE), r);
}

DecStatus dec_div(Dec a, Dec b, Dec *r) {
  if (b == 0) return DEC_DIVZERO;
  int64_t n64;
  if (b > 0 && b <= INT64_MAX / 2 && !__builtin_mul_overflow(a, DEC_SCALE, &n64) && n64 != INT64_MIN) {
    *r = div_half_even64(n64, b);   /* |result| <= |n64|: in range */
    return DEC_OK;
  }
  Wide n = (Wide)a * DEC_SCALE, d = b;
  if (d < 0) { n = -n; d = -d; }
  return narrow(div_half_even(n, d), r);
}

/* The whole number below (floor) or above (ceil) a: one unit past the
   truncation, which leaves the range within a unit of DEC_MIN or DEC_MAX. */
DecStatus dec_floor(Dec a, Dec *r) {
  Dec f = a - a % DEC_SCALE;
  return narrow((a < 0 && f != a) ? (Wide)f - DEC_SCALE : (Wide)f, r);
}

DecStatus dec_ceil(Dec a, Dec *r) {
  Dec f = a - a % DEC_SCALE;
  return narrow((a > 0 && f != a) ? (Wide)f + DEC_SCALE : (Wide)f, r);
}

DecStatus dec_round(Dec a, int digits, Dec *r) {
  if (digits < 0 || digits > DEC_DIGITS) return DEC_SYNTAX;
  Wide unit = 1;
  for (int i = digits; i < DEC_DIGITS; i++) unit *= 10;
  Wide q = (Wide)a / unit, rem = (Wide)a % unit;
  if (rem < 0) rem = -rem;
  if (rem * 2 >= unit) q += (a < 0) ? -1 : 1;
  return narrow(q * unit, r);
}

/* The exact quotient of two Decs is a / b (their scales cancel), so in
   units of 10^-digits it is a * 10^digits / b, and one integer division
   with its remainder decides the rounding.  |a| * 10^6 < 2^84 and the
   result times 10^6 < 2^104: 128 bits hold every step. */
DecSum dec_div_to_wide(Dec a, Dec b, int digits, DecRounding mode) {
  Wide scale = 1, unit = 1;
  for (int i = 0; i < digits; i++) scale *= 10;
  for (int i = digits; i < DEC_DIGITS; i++) unit *= 10;
  Wide n = b < 0 ? -(Wide)a * scale : (Wide)a * scale, d = b < 0 ? -(Wide)b : b;   /* d > 0 */
  Wide q = n / d, rem = n % d;   /* toward zero; rem has n's sign */
  switch (mode) {
  case DEC_FLOOR: if (rem < 0) q--; break;
  case DEC_CEIL: if (rem > 0) q++; break;
  case DEC_HALF_AWAY:
    if (rem < 0) rem = -rem;
    if (rem * 2 >= d) q += n < 0 ? -1 : 1;
    break;
  }
  return q * unit;
}

DecStatus dec_div_to(Dec a, Dec b, int digits, DecRounding mode, Dec *r) {
  if (b == 0) return DEC_DIVZERO;
  if (digits < 0 || digits > DEC_DIGITS) return DEC_SYNTAX;
  return narrow(dec_div_to_wide(a, b, digits, mode), r);
}

Dec dec_abs(Dec a) { return a < 0 ? -a : a; }
bool dec_is_whole(Dec a) { return a % DEC_SCALE == 0; }
int64_t dec_trunc_int(Dec a) { return a / DEC_SCALE; }

DecStatus dec_parse(const char *s, size_t n, Dec *r) {
  size_t i = 0;
  bool neg = false;
  if (i < n && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  uint64_t v = 0;   /* <= DEC_MAX after each digit, so v * 10 + 9 cannot wrap */
  size_t int_digits = 0, frac_digits = 0;
  while (i < n && s[i] >= '0' && s[i] <= '9') {
    if (v > (uint64_t)DEC_MAX / 10) return DEC_OVERFLOW;
    v = v * 10 + (uint64_t)(s[i++] - '0');
    int_digits++;
    if (v > (uint64_t)DEC_MAX) return DEC_OVERFLOW;
  }
  if (i < n && s[i] == '.') {
    i++;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
      if (frac_digits == DEC_DIGITS) {
        /* Extra digits are fine only while they are zeros. */
        if (s[i] != '0') return DEC_PRECISION;
        i++;
        continue;
      }
      if (v > (uint64_t)DEC_MAX / 10) return DEC_OVERFLOW;
      v = v * 10 + (uint64_t)(s[i++] - '0');
      frac_digits++;
      if (v > (uint64_t)DEC_MAX) return DEC_OVERFLOW;
    }
    if (frac_digits == 0) return DEC_SYNTAX;
  }
  if (i != n || int_digits == 0) return DEC_SYNTAX;
  static const uint64_t pow10[] = {1000000, 100000, 10000, 1000, 100, 10, 1};
  if (__builtin_mul_overflow(v, pow10[frac_digits], &v) || v > (uint64_t)DEC_MAX) return DEC_OVERFLOW;
  *r = neg ? -(Dec)v : (Dec)v;
  return DEC_OK;
}

int dec_format(Dec a, char *buf) {
  char tmp[DEC_FMT_MAX];
  int len = 0;
  uint64_t u = a < 0 ? (uint64_t)0 - (uint64_t)a : (uint64_t)a;
  uint64_t whole = u / DEC_SCALE, frac = u % DEC_SCALE;
  if (a < 0) buf[len++] = '-';
  int t = 0;
  do { tmp[t++] = (char)('0' + whole % 10); whole /= 10; } while (whole);
  while (t) buf[len++] = tmp[--t];
  if (frac) {
    int digits = DEC_DIGITS;
    while (frac % 10 == 0) { frac /= 10; digits--; }
    buf[len++] = '.';
    for (int k = digits - 1; k >= 0; k--) {
      buf[len + k] = (char)('0' + frac % 10);
      frac /= 10;
    }
    len += digits;
  }
  buf[len] = '\0';
  return len;
}

const char *dec_status_text(DecStatus st) {
  switch (st) {
  case DEC_OK: return "ok";
  case DEC_OVERFLOW: return "number out of range (more than 9223372036854.775807)";
  case DEC_DIVZERO: return "division by zero";
  case DEC_SYNTAX: return "not a decimal number";
  case DEC_PRECISION: return "more than 6 decimal places";
  }
  return "?";
}

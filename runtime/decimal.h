/*
** decimal.h — exact fixed-point decimals, the only arithmetic rubric does.
**
** A Dec is a signed 64-bit count of millionths (DEC_SCALE = 10^6), so every
** number and money amount a program handles is exact to six fractional
** digits and compares the same way on every machine.  Every operation that
** can leave the representable range reports it instead of wrapping; nothing
** here ever produces a wrong number silently.  No allocation, no I/O.
*/
#ifndef RUBRIC_DECIMAL_H
#define RUBRIC_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t Dec;

#define DEC_DIGITS 6            /* fractional digits kept */
#define DEC_SCALE  INT64_C(1000000)
#define DEC_MAX    INT64_MAX    /* about 9.2 trillion */
#define DEC_MIN    (-INT64_MAX) /* symmetric, so negation never overflows */
#define DEC_FMT_MAX 32          /* longest text dec_format writes, with NUL */

typedef enum {
  DEC_OK = 0,
  DEC_OVERFLOW,       /* result outside DEC_MIN..DEC_MAX */
  DEC_DIVZERO,        /* division by zero */
  DEC_SYNTAX,         /* not a plain decimal number */
  DEC_PRECISION       /* more fractional digits than DEC_DIGITS */
} DecStatus;

/* An exact running total: 128 bits hold the sum of 2^64 Decs of any sign,
   so a total depends neither on the order of its terms nor on how they are
   split into partial sums; only the final total must fit in a Dec. */
__extension__ typedef __int128 DecSum;
DecStatus dec_sum_result(DecSum s, Dec *r);

Dec dec_from_int(int64_t i, DecStatus *st);
DecStatus dec_add(Dec a, Dec b, Dec *r);
DecStatus dec_sub(Dec a, Dec b, Dec *r);
DecStatus dec_mul(Dec a, Dec b, Dec *r);   /* rounds half-even to 6 digits */
DecStatus dec_div(Dec a, Dec b, Dec *r);   /* rounds half-even to 6 digits */
DecStatus dec_neg(Dec a, Dec *r);

/* Rounding to a whole number (digits = 0) or to 0..6 fractional digits. */
DecStatus dec_floor(Dec a, Dec *r);   /* DEC_OVERFLOW within a unit of the ends */
DecStatus dec_ceil(Dec a, Dec *r);
DecStatus dec_round(Dec a, int digits, Dec *r);   /* half away from zero */

/* A quotient rounded once, from its exact value (floor(a / b), ceil(a / b),
   round(a / b, digits)): never first to 6 places and then again, which
   can cross a whole number or a half (4.2449995 -> 4.245000 -> 4.25). */
typedef enum { DEC_FLOOR, DEC_CEIL, DEC_HALF_AWAY } DecRounding;
/* a / b to `digits` places (0..6) as `mode` says; b = 0 is DEC_DIVZERO. */
DecStatus dec_div_to(Dec a, Dec b, int digits, DecRounding mode, Dec *r);
/* The same before it is narrowed to a Dec (b != 0, digits 0..6): the
   interval analysis bounds results that would not fit by these. */
DecSum dec_div_to_wide(Dec a, Dec b, int digits, DecRounding mode);
Dec dec_abs(Dec a);
bool dec_is_whole(Dec a);
int64_t dec_trunc_int(Dec a);                     /* whole part, toward 0 */

/* Parse [-+]digits[.digits] exactly; nothing else is accepted. */
DecStatus dec_parse(const char *s, size_t n, Dec *r);
/* Plain notation, trailing fractional zeros trimmed; returns length. */
int dec_format(Dec a, char *buf);
const char *dec_status_text(DecStatus st);

#endif

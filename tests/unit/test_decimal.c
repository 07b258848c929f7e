/* test_decimal.c — exact decimals: parsing, formatting, arithmetic, rounding. */
#include "helpers.h"

static void parse_accepts_plain_decimals(void **state) {
  (void)state;
  assert_int_equal(D("0"), 0);
  assert_int_equal(D("12"), 12 * DEC_SCALE);
  assert_int_equal(D("-12.5"), -12500000);
  assert_int_equal(D("+0.000001"), 1);
  assert_int_equal(D("1.50000000"), 1500000);   /* zeros past 6 places are exact */
  assert_int_equal(D("9223372036854.775807"), DEC_MAX);
}

static void parse_rejects_everything_else(void **state) {
  (void)state;
  Dec d;
  static const char *const bad[] = {"", "-", ".5", "5.", "1e3", "1,000", " 1", "1 ", "0x10", "$5", "--1", "1.2.3"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    assert_int_equal(dec_parse(bad[i], strlen(bad[i]), &d), DEC_SYNTAX);
  assert_int_equal(dec_parse("0.0000001", 9, &d), DEC_PRECISION);
  assert_int_equal(dec_parse("9223372036854.775808", 20, &d), DEC_OVERFLOW);
  assert_int_equal(dec_parse("99999999999999999999999999", 26, &d), DEC_OVERFLOW);
}

static void format_trims_trailing_zeros(void **state) {
  (void)state;
  char buf[DEC_FMT_MAX];
  static const struct { const char *in, *out; } cases[] = {
      {"0", "0"}, {"400", "400"}, {"10.000020", "10.00002"}, {"-0.5", "-0.5"},
      {"-100", "-100"}, {"0.000001", "0.000001"}, {"9223372036854.775807", "9223372036854.775807"}};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    dec_format(D(cases[i].in), buf);
    assert_string_equal(buf, cases[i].out);
  }
  dec_format(DEC_MIN, buf);
  assert_string_equal(buf, "-9223372036854.775807");
}

static void arithmetic_is_exact(void **state) {
  (void)state;
  Dec r;
  assert_int_equal(dec_add(D("0.1"), D("0.2"), &r), DEC_OK);
  assert_int_equal(r, D("0.3"));   /* no binary floating point */
  assert_int_equal(dec_mul(D("500000"), D("400"), &r), DEC_OK);
  assert_int_equal(r, D("200000000"));
  assert_int_equal(dec_div(D("200000000"), D("200000"), &r), DEC_OK);
  assert_int_equal(r, D("1000"));
  assert_int_equal(dec_div(D("2000004"), D("200000"), &r), DEC_OK);
  assert_int_equal(r, D("10.00002"));
}

static void division_rounds_half_even(void **state) {
  (void)state;
  Dec r;
  /* 1/3 = 0.333333|33 -> down; 2/3 = 0.666666|66 -> up */
  assert_int_equal(dec_div(D("1"), D("3"), &r), DEC_OK);
  assert_int_equal(r, D("0.333333"));
  assert_int_equal(dec_div(D("2"), D("3"), &r), DEC_OK);
  assert_int_equal(r, D("0.666667"));
  /* exact halves go to the even neighbour */
  assert_int_equal(dec_div(D("0.000001"), D("2"), &r), DEC_OK);
  assert_int_equal(r, 0);
  assert_int_equal(dec_div(D("0.000003"), D("2"), &r), DEC_OK);
  assert_int_equal(r, D("0.000002"));
  assert_int_equal(dec_div(D("-0.000003"), D("2"), &r), DEC_OK);
  assert_int_equal(r, D("-0.000002"));
  assert_int_equal(dec_div(D("1"), D("-3"), &r), DEC_OK);
  assert_int_equal(r, D("-0.333333"));
  /* the same rule for products */
  assert_int_equal(dec_mul(D("0.000005"), D("0.1"), &r), DEC_OK);
  assert_int_equal(r, 0);   /* 0.0000005 -> even 0 */
  assert_int_equal(dec_mul(D("0.000015"), D("0.1"), &r), DEC_OK);
  assert_int_equal(r, D("0.000002"));   /* 0.0000015 -> even 2 */
}

/* Where a * 10^6 does not fit in 64 bits, or the divisor is negative, the
   quotient is formed in 128 bits (decimal.c, div_half_even): the same
   half-to-even rule must hold there.  Worked by hand:
     0.000001 / -2 = -0.0000005: the neighbours are -0.000001 and 0; 0 is even.
     0.000005 / -2 = -0.0000025: -0.000002 (even) rather than -0.000003.
     10000000.000001 / 2 = 5000000.0000005: 5000000.000000 (even).
     10000000.000003 / 2 = 5000000.0000015: 5000000.000002 (even).
     10000000.000003 * 1.5 = 15000000.0000045: 15000000.000004 (even),
       a product over 2^63 millionths squared, also rounded in 128 bits. */
static void wide_division_rounds_half_even_too(void **state) {
  (void)state;
  Dec r;
  assert_int_equal(dec_div(D("0.000001"), D("-2"), &r), DEC_OK);
  assert_int_equal(r, 0);
  assert_int_equal(dec_div(D("0.000005"), D("-2"), &r), DEC_OK);
  assert_int_equal(r, D("-0.000002"));
  assert_int_equal(dec_div(D("-0.000005"), D("-2"), &r), DEC_OK);
  assert_int_equal(r, D("0.000002"));
  assert_int_equal(dec_div(D("10000000.000001"), D("2"), &r), DEC_OK);
  assert_int_equal(r, D("5000000"));
  assert_int_equal(dec_div(D("10000000.000003"), D("2"), &r), DEC_OK);
  assert_int_equal(r, D("5000000.000002"));
  assert_int_equal(dec_div(D("-10000000.000001"), D("2"), &r), DEC_OK);
  assert_int_equal(r, D("-5000000"));
  assert_int_equal(dec_mul(D("10000000.000003"), D("1.5"), &r), DEC_OK);
  assert_int_equal(r, D("15000000.000004"));
  assert_int_equal(dec_mul(D("-10000000.000003"), D("1.5"), &r), DEC_OK);
  assert_int_equal(r, D("-15000000.000004"));
}

static void overflow_and_division_by_zero_are_errors(void **state) {
  (void)state;
  Dec r = 42;
  assert_int_equal(dec_add(DEC_MAX, 1, &r), DEC_OVERFLOW);
  assert_int_equal(dec_sub(DEC_MIN, 1, &r), DEC_OVERFLOW);
  assert_int_equal(dec_mul(D("9223372036854"), D("2"), &r), DEC_OVERFLOW);
  assert_int_equal(dec_div(D("9223372036854"), D("0.5"), &r), DEC_OVERFLOW);
  assert_int_equal(dec_div(D("1"), 0, &r), DEC_DIVZERO);
  assert_int_equal(r, 42);   /* untouched on failure */
  assert_int_equal(dec_neg(DEC_MIN, &r), DEC_OK);
  assert_int_equal(r, DEC_MAX);
}

static void rounding_functions(void **state) {
  (void)state;
  Dec r;
  assert_int_equal(dec_floor(D("3.7"), &r), DEC_OK);
  assert_int_equal(r, D("3"));
  assert_int_equal(dec_floor(D("-3.2"), &r), DEC_OK);
  assert_int_equal(r, D("-4"));
  assert_int_equal(dec_floor(D("-3"), &r), DEC_OK);
  assert_int_equal(r, D("-3"));
  assert_int_equal(dec_ceil(D("3.2"), &r), DEC_OK);
  assert_int_equal(r, D("4"));
  assert_int_equal(dec_ceil(D("-3.7"), &r), DEC_OK);
  assert_int_equal(r, D("-3"));
  /* Within a unit of the ends the whole number is out of range (issue 9,
     defect 5: floor(-9223372036854.5) wrapped to a positive number).
     DEC_MIN is -9223372036854.775807: its floor would be -9223372036855. */
  r = 42;
  assert_int_equal(dec_floor(D("-9223372036854.5"), &r), DEC_OVERFLOW);
  assert_int_equal(dec_floor(DEC_MIN, &r), DEC_OVERFLOW);
  assert_int_equal(dec_ceil(D("9223372036854.5"), &r), DEC_OVERFLOW);
  assert_int_equal(dec_ceil(DEC_MAX, &r), DEC_OVERFLOW);
  assert_int_equal(r, 42);   /* untouched on failure */
  /* The last whole numbers inside the range still round. */
  assert_int_equal(dec_floor(D("9223372036854.5"), &r), DEC_OK);
  assert_int_equal(r, D("9223372036854"));
  assert_int_equal(dec_ceil(D("-9223372036854.5"), &r), DEC_OK);
  assert_int_equal(r, D("-9223372036854"));
  assert_int_equal(dec_round(D("2.5"), 0, &r), DEC_OK);
  assert_int_equal(r, D("3"));    /* half away from zero */
  assert_int_equal(dec_round(D("-2.5"), 0, &r), DEC_OK);
  assert_int_equal(r, D("-3"));
  assert_int_equal(dec_round(D("2.449"), 1, &r), DEC_OK);
  assert_int_equal(r, D("2.4"));
  assert_int_equal(dec_round(D("2.45"), 1, &r), DEC_OK);
  assert_int_equal(r, D("2.5"));
  assert_int_equal(dec_round(D("1.234567"), 6, &r), DEC_OK);
  assert_int_equal(r, D("1.234567"));
  assert_int_equal(dec_round(DEC_MAX, 0, &r), DEC_OVERFLOW);
  assert_int_equal(dec_abs(D("-7.5")), D("7.5"));
  assert_true(dec_is_whole(D("-12")));
  assert_false(dec_is_whole(D("12.000001")));
}

/* A quotient rounded once (issue 10, section 6), worked by hand:
     42658 / 10049 = 4.244999502..., so to 2 places 4.24; rounded to 6
       places first it is 4.245000, which rounds to 4.25.
     7 / 7.000001 = 0.99999985..., floor 0 and ceil 1; rounded to 6 places
       first it is 1.000000, whose floor is 1.
     -7 / 2 = -3.5: floor -4, ceil -3, round -4 (half away from zero);
       -7 / -2 = 3.5: round 4; 1 / 8 = 0.125 to 2 places: 0.13.
     0.000001 / 2 = 0.0000005 to 6 places: 0.000001 (half away), where
       a plain division gives 0 (half to even). */
static void quotients_round_once(void **state) {
  (void)state;
  Dec r;
  assert_int_equal(dec_div_to(D("42658"), D("10049"), 2, DEC_HALF_AWAY, &r), DEC_OK);
  assert_int_equal(r, D("4.24"));
  assert_int_equal(dec_div(D("42658"), D("10049"), &r), DEC_OK);
  assert_int_equal(r, D("4.245"));   /* what rounding twice started from */
  assert_int_equal(dec_div_to(D("7"), D("7.000001"), 0, DEC_FLOOR, &r), DEC_OK);
  assert_int_equal(r, 0);
  assert_int_equal(dec_div_to(D("7"), D("7.000001"), 0, DEC_CEIL, &r), DEC_OK);
  assert_int_equal(r, D("1"));
  assert_int_equal(dec_div_to(D("-7"), D("2"), 0, DEC_FLOOR, &r), DEC_OK);
  assert_int_equal(r, D("-4"));
  assert_int_equal(dec_div_to(D("-7"), D("2"), 0, DEC_CEIL, &r), DEC_OK);
  assert_int_equal(r, D("-3"));
  assert_int_equal(dec_div_to(D("-7"), D("2"), 0, DEC_HALF_AWAY, &r), DEC_OK);
  assert_int_equal(r, D("-4"));
  assert_int_equal(dec_div_to(D("-7"), D("-2"), 0, DEC_HALF_AWAY, &r), DEC_OK);
  assert_int_equal(r, D("4"));
  assert_int_equal(dec_div_to(D("7"), D("-2"), 0, DEC_FLOOR, &r), DEC_OK);
  assert_int_equal(r, D("-4"));
  assert_int_equal(dec_div_to(D("1"), D("8"), 2, DEC_HALF_AWAY, &r), DEC_OK);
  assert_int_equal(r, D("0.13"));
  assert_int_equal(dec_div_to(D("0.000001"), D("2"), 6, DEC_HALF_AWAY, &r), DEC_OK);
  assert_int_equal(r, D("0.000001"));
  /* A whole quotient is itself, whatever the rounding. */
  assert_int_equal(dec_div_to(D("-12"), D("4"), 0, DEC_FLOOR, &r), DEC_OK);
  assert_int_equal(r, D("-3"));
  assert_int_equal(dec_div_to(D("-12"), D("4"), 0, DEC_CEIL, &r), DEC_OK);
  assert_int_equal(r, D("-3"));
  /* Errors, and r untouched: 9223372036854 / 0.5 is out of range. */
  r = 42;
  assert_int_equal(dec_div_to(D("1"), 0, 0, DEC_FLOOR, &r), DEC_DIVZERO);
  assert_int_equal(dec_div_to(D("9223372036854"), D("0.5"), 0, DEC_FLOOR, &r), DEC_OVERFLOW);
  assert_int_equal(dec_div_to(D("1"), D("3"), 7, DEC_FLOOR, &r), DEC_SYNTAX);
  assert_int_equal(r, 42);
  /* The widest quotient is exact before it is narrowed: 9223372036854.775807
     / 0.000001 is the whole number 9223372036854775807. */
  assert_true(dec_div_to_wide(DEC_MAX, 1, 0, DEC_FLOOR) == (DecSum)DEC_MAX * DEC_SCALE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(parse_accepts_plain_decimals),
      cmocka_unit_test(parse_rejects_everything_else),
      cmocka_unit_test(format_trims_trailing_zeros),
      cmocka_unit_test(arithmetic_is_exact),
      cmocka_unit_test(division_rounds_half_even),
      cmocka_unit_test(wide_division_rounds_half_even_too),
      cmocka_unit_test(overflow_and_division_by_zero_are_errors),
      cmocka_unit_test(rounding_functions),
      cmocka_unit_test(quotients_round_once),
  };
  return cmocka_run_group_tests_name("decimal", tests, NULL, NULL);
}

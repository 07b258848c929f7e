/* test_date.c — calendar dates: parsing, day numbers, month arithmetic. */
#include "helpers.h"
#include "../../runtime/date.h"

static int64_t day(const char *s) {
  int64_t d = 0;
  assert_true(date_parse(s, strlen(s), &d));
  return d;
}

static void parses_real_days_only(void **state) {
  (void)state;
  int64_t d;
  assert_int_equal(day("1970-01-01"), 0);
  assert_int_equal(day("1970-01-02"), 1);
  assert_int_equal(day("1969-12-31"), -1);
  assert_int_equal(day("2000-03-01") - day("2000-02-28"), 2);   /* 2000 is a leap year */
  assert_int_equal(day("1900-03-01") - day("1900-02-28"), 1);   /* 1900 is not */
  static const char *const bad[] = {"2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31",
                                    "0000-01-01", "2024-1-01", "2024/01/01", "20240101",
                                    "2024-01-01T00", "abcd-ef-gh", "2024-01/01", "2024-01001",
                                    "1900-02-29", "2100-02-29"};   /* centuries: not leap */
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    assert_false(date_parse(bad[i], strlen(bad[i]), &d));
  assert_true(date_parse("2024-02-29", 10, &d));
  assert_true(date_parse("2000-02-29", 10, &d));   /* every 400 years: leap */
}

static void day_numbers_round_trip(void **state) {
  (void)state;
  char buf[DATE_TEXT_LEN + 1];
  for (int64_t d = day("0001-01-01"); d <= day("9999-12-31"); d += 997) {
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    assert_true(date_valid(y, m, dd));
    assert_int_equal(date_from_ymd(y, m, dd), d);
  }
  date_format(day("2024-07-31"), buf);
  assert_string_equal(buf, "2024-07-31");
}

static void months_clamp_to_the_end_of_the_month(void **state) {
  (void)state;
  char buf[DATE_TEXT_LEN + 1];
  static const struct { const char *from; int n; const char *to; } cases[] = {
      {"2024-01-31", 1, "2024-02-29"}, {"2023-01-31", 1, "2023-02-28"},
      {"2024-01-31", 6, "2024-07-31"}, {"2024-03-31", -1, "2024-02-29"},
      {"2024-08-31", 6, "2025-02-28"}, {"2023-11-15", 2, "2024-01-15"},
      {"2024-05-10", -17, "2022-12-10"}, {"2024-05-10", 0, "2024-05-10"},
      {"1900-01-31", 1, "1900-02-28"}, {"2000-01-31", 1, "2000-02-29"}};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    int64_t out;
    assert_true(date_add_months(day(cases[i].from), cases[i].n, &out));
    date_format(out, buf);
    assert_string_equal(buf, cases[i].to);
  }
}

static void leaving_the_calendar_is_an_error(void **state) {
  (void)state;
  int64_t out;
  assert_false(date_add_months(day("9999-12-01"), 1, &out));
  assert_false(date_add_months(day("0001-01-01"), -1, &out));
  assert_false(date_add_months(0, INT64_MAX / 2, &out));
  assert_false(date_add_days(day("9999-12-31"), 1, &out));
  assert_false(date_add_days(0, INT64_MIN / 2, &out));
  assert_true(date_add_days(day("2024-02-28"), 2, &out));
  assert_int_equal(out, day("2024-03-01"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(parses_real_days_only),
      cmocka_unit_test(day_numbers_round_trip),
      cmocka_unit_test(months_clamp_to_the_end_of_the_month),
      cmocka_unit_test(leaving_the_calendar_is_an_error),
  };
  return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}

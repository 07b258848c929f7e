/*
** date.h — calendar dates as whole days since 1970-01-01 (proleptic
** Gregorian), the representation the VM keeps in a Value.  Month arithmetic
** clamps to the end of the target month (2024-01-31 + 1 month = 2024-02-29).
*/
#ifndef RUBRIC_DATE_H
#define RUBRIC_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DATE_MIN_YEAR 1
#define DATE_MAX_YEAR 9999
#define DATE_TEXT_LEN 10   /* YYYY-MM-DD */

int64_t date_from_ymd(int y, int m, int d);
void date_to_ymd(int64_t days, int *y, int *m, int *d);
bool date_valid(int y, int m, int d);
/* Parse exactly YYYY-MM-DD naming a real day. */
bool date_parse(const char *s, size_t n, int64_t *days);
/* Adds n calendar months; false when the year leaves 1..9999. */
bool date_add_months(int64_t days, int64_t n, int64_t *out);
bool date_add_days(int64_t days, int64_t n, int64_t *out);
void date_format(int64_t days, char buf[DATE_TEXT_LEN + 1]);

#endif

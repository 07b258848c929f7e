/* test_keyset.c — the set of record keys that finds a repeated key. */
#include "helpers.h"
#include "../../runtime/keyset.h"

/* Adds a key of one or two parts; true if it was new. */
static bool add(KeySet *s, const char *a, const char *b, uint64_t where, uint64_t *first) {
  keyset_begin(s);
  keyset_part(s, a, strlen(a));
  if (b) keyset_part(s, b, strlen(b));
  return keyset_add(s, where, first);
}

static void finds_repeats_and_their_first_place(void **state) {
  (void)state;
  KeySet s;
  uint64_t first = 0;
  keyset_init(&s);
  assert_true(add(&s, "ZP001", NULL, 2, &first));
  assert_true(add(&s, "ZP002", NULL, 3, &first));
  assert_true(add(&s, "zp001", NULL, 4, &first));   /* case counts */
  assert_false(add(&s, "ZP001", NULL, 5, &first));
  assert_int_equal(first, 2);
  assert_false(add(&s, "ZP001", NULL, 6, &first));   /* still the first place */
  assert_int_equal(first, 2);
  assert_int_equal(s.n, 3);
  keyset_free(&s);
}

/* Parts are kept apart: ("ab", "c") is not ("a", "bc"), nor "abc" alone;
   an empty part is a part. */
static void composite_keys_keep_their_parts(void **state) {
  (void)state;
  KeySet s;
  uint64_t first = 0;
  keyset_init(&s);
  assert_true(add(&s, "ab", "c", 1, &first));
  assert_true(add(&s, "a", "bc", 2, &first));
  assert_true(add(&s, "abc", NULL, 3, &first));
  assert_true(add(&s, "abc", "", 4, &first));
  assert_false(add(&s, "a", "bc", 5, &first));
  assert_int_equal(first, 2);
  keyset_free(&s);
}

/* Through many doublings every key is still found, with its own place,
   and no new key is taken for an old one. */
static void grows_without_losing_keys(void **state) {
  (void)state;
  KeySet s;
  uint64_t first = 0;
  char buf[32];
  enum { N = 100000 };
  keyset_init(&s);
  for (int i = 0; i < N; i++) {
    snprintf(buf, sizeof buf, "K%d", i);
    assert_true(add(&s, buf, NULL, (uint64_t)i + 1, &first));
  }
  assert_int_equal(s.n, N);
  assert_true(s.n * 4 <= s.cap * 3);   /* at most 3/4 full */
  for (int i = N - 1; i >= 0; i -= 7) {
    snprintf(buf, sizeof buf, "K%d", i);
    assert_false(add(&s, buf, NULL, 0, &first));
    assert_int_equal(first, (uint64_t)i + 1);
  }
  keyset_free(&s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(finds_repeats_and_their_first_place),
      cmocka_unit_test(composite_keys_keep_their_parts),
      cmocka_unit_test(grows_without_losing_keys),
  };
  return cmocka_run_group_tests_name("keyset", tests, NULL, NULL);
}

/* test_utf8.c: util/utf8, the one UTF-8 decoder (form fields, search
 * words, heading ids) and its encoder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "util/utf8.h"

/* Each case: bytes, then what utf8_next reads from them, one call after
 * another (-1: invalid, one byte skipped). */
typedef struct utf8_case {
	const char *what;
	const char *s;
	size_t n;
	long cps[6];
	size_t n_cps;
} utf8_case;

static const utf8_case cases[] = {
	{ "ASCII", "a/", 2, { 'a', '/' }, 2 },
	{ "NUL is a character", "\0a", 2, { 0, 'a' }, 2 },
	{ "two to four bytes", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9, { 0xE9, 0x20AC, 0x1F600 }, 3 },
	{ "the edges", "\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf4\x8f\xbf\xbf", 14,
	  { 0x80, 0x7FF, 0x800, 0xFFFF, 0x10FFFF }, 5 },
	{ "last before surrogates, first after", "\xed\x9f\xbf\xee\x80\x80", 6, { 0xD7FF, 0xE000 }, 2 },
	{ "stray continuation byte", "\x80" "a", 2, { -1, 'a' }, 2 },
	{ "overlong '/', 2 bytes", "\xc0\xaf", 2, { -1, -1 }, 2 },
	{ "overlong NUL", "\xc1\x80", 2, { -1, -1 }, 2 },
	{ "overlong '/', 3 bytes", "\xe0\x80\xaf", 3, { -1, -1, -1 }, 3 },
	{ "overlong, 4 bytes", "\xf0\x8f\xbf\xbf", 4, { -1, -1, -1, -1 }, 4 },
	{ "high surrogate", "\xed\xa0\x80", 3, { -1, -1, -1 }, 3 },
	{ "low surrogate", "\xed\xbf\xbf" "b", 4, { -1, -1, -1, 'b' }, 4 },
	{ "above U+10FFFF", "\xf4\x90\x80\x80", 4, { -1, -1, -1, -1 }, 4 },
	{ "F5 lead", "\xf5\x80\x80\x80", 4, { -1, -1, -1, -1 }, 4 },
	{ "FF", "\xff", 1, { -1 }, 1 },
	{ "truncated at the end", "a\xc3", 2, { 'a', -1 }, 2 },
	{ "truncated by a space", "\xe2\x82 x", 4, { -1, -1, ' ', 'x' }, 4 },
	{ "truncated 4-byte, then a good one", "\xf0\x9f\x98\xc3\xa9", 5, { -1, -1, -1, 0xE9 }, 4 },
};

static void utf8_decoding(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		const utf8_case *k = &cases[c];
		size_t i = 0, got = 0;
		while (i < k->n) {
			size_t before = i;
			long cp = utf8_next(k->s, k->n, &i);
			if (got >= k->n_cps)
				fail_msg("%s: more characters than expected", k->what);
			if (cp != k->cps[got])
				fail_msg("%s: character %zu is %ld, not %ld", k->what, got, cp, k->cps[got]);
			assert_true(i > before && i <= k->n);
			if (cp < 0)
				assert_int_equal(i, before + 1); /* resynchronise at the next byte */
			got++;
		}
		if (got != k->n_cps)
			fail_msg("%s: %zu characters, not %zu", k->what, got, k->n_cps);
		bool valid = true;
		for (size_t j = 0; j < k->n_cps; j++)
			valid = valid && k->cps[j] >= 0;
		size_t chars = 999;
		if (utf8_valid(k->s, k->n, &chars) != valid)
			fail_msg("%s: utf8_valid says %d", k->what, !valid);
		if (valid)
			assert_int_equal(chars, k->n_cps);
	}
}

/* Never reads past n, even when the lead byte promises more. */
static void utf8_stops_at_n(void **state)
{
	(void)state;
	const char s[] = "\xe2\x82\xac";
	size_t i = 0;
	assert_int_equal(utf8_next(s, 2, &i), -1);
	assert_int_equal(i, 1);
	assert_false(utf8_valid(s, 2, NULL));
	assert_true(utf8_valid(s, 3, NULL));
	assert_true(utf8_valid("", 0, NULL));
}

static void utf8_encoding(void **state)
{
	(void)state;
	const long cps[] = { 0, 'a', 0x7F, 0x80, 0xE9, 0x7FF, 0x800, 0x20AC, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF };
	const size_t lens[] = { 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4 };
	for (size_t c = 0; c < sizeof cps / sizeof cps[0]; c++) {
		char b[4];
		size_t n = utf8_encode(cps[c], b), i = 0;
		assert_int_equal(n, lens[c]);
		assert_int_equal(utf8_next(b, n, &i), cps[c]); /* round trip */
		assert_int_equal(i, n);
	}
	buf out = BUF_INIT;
	utf8_put(&out, 0xC5);
	utf8_put(&out, 'x');
	utf8_put(&out, 0x20AC);
	assert_string_equal(out.ptr, "\xc3\x85x\xe2\x82\xac");
	buf_release(&out);
}

static void utf8_counting(void **state)
{
	(void)state;
	assert_int_equal(utf8_count("", 0), 0);
	assert_int_equal(utf8_count("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 10), 4);
	assert_int_equal(utf8_count("\xc3", 1), 1); /* a lead byte alone counts */
	assert_int_equal(utf8_count("\x80\x80", 2), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf8_decoding),
		cmocka_unit_test(utf8_stops_at_n),
		cmocka_unit_test(utf8_encoding),
		cmocka_unit_test(utf8_counting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_url.c: util/url, percent-decoding of request paths and form
 * bodies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <string.h>

#include "util/url.h"

static void url_hex_digits(void **state)
{
	(void)state;
	assert_int_equal(url_hex_value('0'), 0);
	assert_int_equal(url_hex_value('9'), 9);
	assert_int_equal(url_hex_value('a'), 10);
	assert_int_equal(url_hex_value('F'), 15);
	assert_int_equal(url_hex_value('g'), -1);
	assert_int_equal(url_hex_value('G'), -1);
	assert_int_equal(url_hex_value('%'), -1);
	assert_int_equal(url_hex_value('\0'), -1);
	assert_int_equal(url_hex_value(':'), -1);     /* just after '9' */
	assert_int_equal(url_hex_value('@'), -1);     /* just before 'A' */
	assert_int_equal(url_hex_value('`'), -1);     /* just before 'a' */
}

typedef struct url_case {
	const char *in;
	const char *out; /* NULL: a bad escape (URL_FORM) */
	size_t len;      /* of out, which may hold a NUL */
} url_case;

static void check(const url_case *c, size_t n, url_mode mode)
{
	for (size_t i = 0; i < n; i++) {
		char dst[64];
		size_t len = 999;
		memset(dst, 'X', sizeof dst);
		bool ok = url_decode(dst, c[i].in, strlen(c[i].in), mode, &len);
		if (!c[i].out) {
			assert_false(ok);
			continue;
		}
		assert_true(ok);
		assert_int_equal(len, c[i].len);
		assert_memory_equal(dst, c[i].out, c[i].len);
		assert_int_equal(dst[len], '\0');
		/* in place, as serve_unescape and form_urldecode use it */
		char in_place[64];
		strcpy(in_place, c[i].in);
		assert_true(url_decode(in_place, in_place, strlen(in_place), mode, &len));
		assert_int_equal(len, c[i].len);
		assert_memory_equal(in_place, c[i].out, c[i].len + 1);
	}
}

static void url_form(void **state)
{
	(void)state;
	static const url_case cases[] = {
		{ "", "", 0 },
		{ "a+b%20c", "a b c", 5 },
		{ "caf%C3%a9", "caf\xc3\xa9", 5 },
		{ "%2B%2b", "++", 2 },
		{ "a%00b", "a\0b", 3 },   /* a NUL byte: the validators refuse it */
		{ "%2F", "/", 1 },
		{ "100%", NULL, 0 },      /* '%' at the end */
		{ "%4", NULL, 0 },        /* one digit */
		{ "x%4", NULL, 0 },
		{ "%zz", NULL, 0 },
		{ "%4g", NULL, 0 },       /* a good digit, then a bad one */
		{ "%%41", NULL, 0 },
	};
	check(cases, sizeof cases / sizeof cases[0], URL_FORM);
}

static void url_path(void **state)
{
	(void)state;
	static const url_case cases[] = {
		{ "/caf%C3%A9/", "/caf\xc3\xa9/", 7 },
		{ "/a+b", "/a+b", 4 },            /* '+' is a plus in a path */
		{ "/100%", "/100%", 5 },          /* bad escapes stay */
		{ "/bad%zz%4", "/bad%zz%4", 9 },
		{ "/%%41", "/%A", 3 },
		{ "/a%2Fb", "/a\x7f" "b", 4 },    /* no new separator */
		{ "/a%2fb", "/a\x7f" "b", 4 },
		{ "/a%00b", "/a\x7f" "b", 4 },    /* no early end */
		{ "/%252F", "/%2F", 4 },          /* decoded once only */
	};
	check(cases, sizeof cases / sizeof cases[0], URL_PATH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(url_hex_digits),
		cmocka_unit_test(url_form),
		cmocka_unit_test(url_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

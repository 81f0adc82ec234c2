/* test_feedback.c: the vote's validators and parsers, the manifest, the
 * rate limit, SHA-256/HMAC, Wilson bounds, the store and the report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "feedback/form.h"
#include "feedback/manifest.h"
#include "feedback/ratelimit.h"
#include "feedback/report.h"
#include "util/sha256.h"
#include "feedback/store.h"
#include "http/httpd.h"
#include "util/diag.h"

/* Parses body; returns the error message ("" when it passed). */
static const char *parse(form *f, form_type t, const char *body)
{
	static char msg[256];
	buf err = BUF_INIT;
	form_release(f);
	bool ok = form_parse(f, t, body, strlen(body), &err);
	snprintf(msg, sizeof(msg), "%s", ok ? "" : err.ptr);
	if (!ok && !msg[0])
		snprintf(msg, sizeof(msg), "(failed without a message)");
	buf_release(&err);
	return msg;
}

static void form_urlencoded(void **state)
{
	(void)state;
	form f;
	form_init(&f);
	assert_string_equal(parse(&f, FORM_TYPE_URLENCODED,
				  "article=virtualisation%2Flxc&lang=fr&vote=no&reason=unclear&reason=incomplete"
				  "&reason=unclear&comment=Pas+clair%0D%0Aligne%C3%A9&unknown=1&client=ab_C-9"),
			    "");
	assert_string_equal(f.val[FORM_ARTICLE].ptr, "virtualisation/lxc");
	assert_string_equal(f.val[FORM_LANG].ptr, "fr");
	assert_string_equal(f.val[FORM_VOTE].ptr, "no");
	assert_string_equal(f.val[FORM_REASON].ptr, "incomplete,unclear");
	assert_string_equal(f.val[FORM_COMMENT].ptr, "Pas clair\nligne\xc3\xa9");
	assert_string_equal(f.val[FORM_CLIENT].ptr, "ab_C-9");
	assert_false(f.present[FORM_REVISION]);
	/* Empty values count as absent. */
	assert_string_equal(parse(&f, FORM_TYPE_URLENCODED, "article=a/b&lang=fr&vote=yes&comment=&reason="), "");
	assert_false(f.present[FORM_COMMENT]);
	assert_false(f.present[FORM_REASON]);
	form_release(&f);
}

static void form_refusals(void **state)
{
	(void)state;
	static const struct {
		form_type t;
		const char *body, *expect;
	} cases[] = {
		{ FORM_TYPE_URLENCODED, "lang=fr&vote=yes", "missing field 'article'" },
		{ FORM_TYPE_URLENCODED, "article=a/b&vote=yes", "missing field 'lang'" },
		{ FORM_TYPE_URLENCODED, "article=a/b&lang=fr", "missing field 'vote'" },
		{ FORM_TYPE_URLENCODED, "article=a/b&lang=fr&vote=maybe", "field 'vote' must be 'yes' or 'no'" },
		{ FORM_TYPE_URLENCODED, "article=a/b&lang=fr&vote=yes&vote=no", "field 'vote' is given twice" },
		{ FORM_TYPE_URLENCODED, "article=a/b&lang=f_r&vote=yes", "field 'lang' is not a language tag" },
		{ FORM_TYPE_URLENCODED, "article=a/b&lang=fr&vote=yes&reason=boring", "field 'reason' must be one of" },
		{ FORM_TYPE_URLENCODED, "article=a/b&lang=fr&vote=yes&client=a+b", "field 'client' must be 1 to 64" },
		{ FORM_TYPE_URLENCODED, "article=a/b&lang=fr&vote=yes&revision=%2e%2e", "field 'revision' must be" },
		{ FORM_TYPE_URLENCODED, "article=a%2&lang=fr&vote=yes", "malformed percent-encoding" },
		{ FORM_TYPE_URLENCODED, "article=a%00b&lang=fr&vote=yes", "field 'article' contains a NUL byte" },
		{ FORM_TYPE_URLENCODED, "article=a/b&lang=fr&vote=yes&comment=%FF", "field 'comment' is not valid UTF-8" },
		{ FORM_TYPE_URLENCODED, "article=a/b&lang=fr&vote=yes&comment=%C0%AF", "field 'comment' is not valid UTF-8" },
		{ FORM_TYPE_URLENCODED, "article=a/b&lang=fr&vote=yes&comment=a%07b", "field 'comment' contains a control" },
		{ FORM_TYPE_URLENCODED, "article=a/b&lang=fr&vote=yes&comment=a%0Db", "field 'comment' contains a control" },
		{ FORM_TYPE_URLENCODED, "article=a/b&lang=fr&vote=yes&comment=a%C2%85b", "field 'comment' contains a control" },
		{ FORM_TYPE_JSON, "{\"article\":\"a/b\",\"lang\":\"fr\",\"vote\":true}", "field 'vote' must be a string" },
		{ FORM_TYPE_JSON, "{\"article\":\"a/b\",\"lang\":\"fr\",\"vote\":\"yes\"", "not a JSON object" },
		{ FORM_TYPE_JSON, "[1]", "not a JSON object" },
		{ FORM_TYPE_JSON, "{\"article\":\"a/b\",\"lang\":\"fr\",\"vote\":\"yes\"} x", "not a JSON object" },
		{ FORM_TYPE_JSON, "{\"article\":\"a\\u0000\",\"lang\":\"fr\",\"vote\":\"yes\"}", "contains a NUL byte" },
		{ FORM_TYPE_JSON, "{\"article\":\"a/b\",\"lang\":\"fr\",\"vote\":\"yes\",\"comment\":\"\\ud800\"}",
		  "not a JSON object" },
		{ FORM_TYPE_JSON, "{\"x\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]],\"article\":\"a\"}", "not a JSON object" },
		{ FORM_TYPE_JSON, "{\"article\":\"a/b\",\"lang\":\"fr\",\"vote\":\"yes\",\"reason\":[\"unclear\",3]}",
		  "field 'reason' must be a string or an array" },
	};
	form f;
	form_init(&f);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *msg = parse(&f, cases[i].t, cases[i].body);
		if (!strstr(msg, cases[i].expect))
			fail_msg("case %zu (%s): expected '%s', got '%s'", i, cases[i].body, cases[i].expect, msg);
	}
	form_release(&f);
}

static void form_comment_length(void **state)
{
	(void)state;
	form f;
	form_init(&f);
	buf body = BUF_INIT;
	buf_adds(&body, "article=a/b&lang=fr&vote=no&comment=");
	for (int i = 0; i < 1000; i++)
		buf_adds(&body, "%C3%A9"); /* 1000 characters, 2000 bytes: accepted */
	assert_string_equal(parse(&f, FORM_TYPE_URLENCODED, body.ptr), "");
	buf_adds(&body, "e");
	assert_non_null(strstr(parse(&f, FORM_TYPE_URLENCODED, body.ptr), "1001 characters"));
	buf_release(&body);
	form_release(&f);
}

static void form_json(void **state)
{
	(void)state;
	form f;
	form_init(&f);
	assert_string_equal(parse(&f, FORM_TYPE_JSON,
				  " {\"x\": {\"deep\": [1, -2.5e3, true, false, null, \"s\"]}, \"article\": \"a/b\","
				  "\"lang\":\"pt-BR\",\"vote\":\"yes\",\"reason\":[\"not_found\",\"inaccurate\"],"
				  "\"comment\":\"caf\\u00e9 \\ud83d\\ude00\\n\\t\\\"q\\\"\"} "),
			    "");
	assert_string_equal(f.val[FORM_LANG].ptr, "pt-BR");
	assert_string_equal(f.val[FORM_REASON].ptr, "inaccurate,not_found");
	assert_string_equal(f.val[FORM_COMMENT].ptr, "caf\xc3\xa9 \xf0\x9f\x98\x80\n\t\"q\"");
	form_release(&f);
}

static void form_types_and_accept(void **state)
{
	(void)state;
	assert_int_equal(form_content_type("application/x-www-form-urlencoded"), FORM_TYPE_URLENCODED);
	assert_int_equal(form_content_type("Application/JSON; charset=UTF-8"), FORM_TYPE_JSON);
	assert_int_equal(form_content_type("application/json; charset=latin1"), FORM_TYPE_NONE);
	assert_int_equal(form_content_type("multipart/form-data; boundary=x"), FORM_TYPE_NONE);
	assert_int_equal(form_content_type("application/jsonx"), FORM_TYPE_NONE);
	assert_int_equal(form_content_type(NULL), FORM_TYPE_NONE);

	assert_true(form_accept_prefers_html("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
	assert_true(form_accept_prefers_html("text/*"));
	assert_false(form_accept_prefers_html("*/*"));
	assert_false(form_accept_prefers_html("application/json"));
	assert_false(form_accept_prefers_html("text/html;q=0.5, application/json"));
	assert_false(form_accept_prefers_html("text/html;q=0"));
	assert_false(form_accept_prefers_html(NULL));
	assert_false(form_accept_prefers_html(""));
}

static void sha256_vectors(void **state)
{
	(void)state;
	unsigned char out[32];
	char hex[65];
	sha256("abc", 3, out);
	sha256_hex(out, 32, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256("", 0, out);
	sha256_hex(out, 32, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	/* RFC 4231 test case 2. */
	hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, out);
	sha256_hex(out, 32, hex);
	assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, out);
	sha256_hex(out, 32, hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* a million a's, given in uneven pieces (blocks whole, split, and buffered) */
	static char a[1000000];
	memset(a, 'a', sizeof a);
	sha256_ctx c;
	sha256_init(&c);
	for (size_t at = 0, n = 1; at < sizeof a; at += n, n = n * 7 % 1000 + 1)
		sha256_update(&c, a + at, at + n <= sizeof a ? n : sizeof a - at);
	sha256_final(&c, out);
	sha256_hex(out, 32, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* The processor's SHA instructions (where it has them) and the portable
 * rounds agree, at every length around the block boundaries. */
static void sha256_accel_matches_portable(void **state)
{
	(void)state;
	static unsigned char msg[4096];
	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (unsigned char)(i * 131 + (i >> 5));
	for (size_t n = 0; n <= sizeof msg; n += n < 300 ? 1 : 61) {
		unsigned char fast[32], slow[32];
		sha256_use_accel(true);
		hmac_sha256("key", 3, msg, n, fast);
		sha256_use_accel(false);
		hmac_sha256("key", 3, msg, n, slow);
		sha256_use_accel(true);
		assert_memory_equal(fast, slow, 32);
	}
}

static void wilson_and_dates(void **state)
{
	(void)state;
	assert_true(report_wilson_lower(0, 0) == 0);
	assert_true(fabs(report_wilson_lower(5, 10) - 0.2366) < 1e-4);
	assert_true(fabs(report_wilson_lower(1, 1) - 0.2065) < 1e-4);
	assert_true(fabs(report_wilson_lower(90, 100) - 0.8256) < 1e-4);
	assert_true(report_wilson_lower(0, 50) == 0);
	/* More evidence of the same share ranks higher. */
	assert_true(report_wilson_lower(8, 10) < report_wilson_lower(80, 100));
	int64_t t;
	assert_true(report_parse_date("2024-02-29", &t));
	assert_int_equal(t, 1709164800);
	assert_false(report_parse_date("2023-02-29", &t));
	assert_false(report_parse_date("2024-13-01", &t));
	assert_false(report_parse_date("2024-1-01", &t));
	assert_false(report_parse_date("2024-01-01x", &t));
}

static void manifest_parsing(void **state)
{
	(void)state;
	const char *text = "phare-manifest\t1\r\nbase\t/help/\norigin\thttps://x.org\n"
			   "article\tfr\tvirtualisation/lxc\t/help/fr/virtualisation/lxc/\t3f2a\tLXC <ou> KVM ?\n"
			   "future\twhatever\n"
			   "article\ten\tvirtualisation/lxc\t/help/en/virtualisation/lxc/\ta1b2";
	manifest *m = NULL;
	assert_int_equal(manifest_parse("m.tsv", text, strlen(text), &m), PHARE_OK);
	assert_int_equal(manifest_count(m), 2);
	const manifest_article *a = manifest_find(m, "en", "virtualisation/lxc");
	assert_non_null(a);
	assert_string_equal(a->url, "/help/en/virtualisation/lxc/");
	assert_string_equal(a->revision, "a1b2");
	assert_string_equal(a->title, ""); /* a manifest of an older phare: no title */
	assert_string_equal(manifest_find(m, "fr", "virtualisation/lxc")->title, "LXC <ou> KVM ?");
	assert_string_equal(manifest_origin(m), "https://x.org");
	assert_null(manifest_find(m, "de", "virtualisation/lxc"));
	assert_null(manifest_find(m, "fr", "virtualisation"));
	manifest_free(m);

	diag_set_quiet(true);
	diag_set_capture(true);
	diag_reset();
	const char *bad = "phare-manifest\t1\narticle\tfr\tx\n";
	assert_int_equal(manifest_parse("m.tsv", bad, strlen(bad), &m), PHARE_ERR_INPUT);
	assert_non_null(strstr(diag_captured(), "m.tsv:2:1: error: an article line needs 5"));
	const char *v2 = "phare-manifest\t2\n";
	assert_int_equal(manifest_parse("m.tsv", v2, strlen(v2), &m), PHARE_ERR_INPUT);
	assert_non_null(strstr(diag_captured(), "manifest version '2' is not supported"));
	assert_int_equal(manifest_parse("m.tsv", "", 0, &m), PHARE_ERR_INPUT);
	diag_reset();
	diag_set_capture(false);
	diag_set_quiet(false);
}

/* A table full of addresses that have all gone quiet takes new ones again
 * (it once stayed full for good: its rebuild was due at 3/4 of a capacity
 * it could never reach). */
static void ratelimit_full_then_quiet(void **state)
{
	(void)state;
	ratelimit *r = ratelimit_new(2);
	unsigned retry;
	char a[32];
	for (unsigned i = 0; i < RATELIMIT_MAX_ADDRESSES; i++) {
		snprintf(a, sizeof(a), "10.%u.%u.%u", i >> 16, (i >> 8) & 255, i & 255);
		assert_true(ratelimit_allow(r, a, 100.0, &retry));
	}
	assert_false(ratelimit_allow(r, "192.0.2.1", 100.0, &retry)); /* full */
	assert_int_equal(retry, 60);
	assert_true(ratelimit_allow(r, "192.0.2.1", 200.0, &retry)); /* all refilled */
	assert_true(ratelimit_tracked(r) < 100);
	ratelimit_free(r);
}

static void ratelimit_buckets(void **state)
{
	(void)state;
	ratelimit *r = ratelimit_new(3);
	unsigned retry;
	for (int i = 0; i < 3; i++)
		assert_true(ratelimit_allow(r, "10.0.0.1", 100.0, &retry));
	assert_false(ratelimit_allow(r, "10.0.0.1", 100.0, &retry));
	assert_int_equal(retry, 20);
	assert_true(ratelimit_allow(r, "10.0.0.2", 100.0, &retry)); /* another address */
	assert_true(ratelimit_allow(r, "10.0.0.1", 120.5, &retry));  /* one token back after 20 s */
	assert_false(ratelimit_allow(r, "10.0.0.1", 120.5, &retry));
	/* Many addresses: the table grows and forgets idle ones. */
	char a[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(a, sizeof(a), "10.1.%d.%d", i / 256, i % 256);
		assert_true(ratelimit_allow(r, a, 200.0 + i, &retry));
	}
	assert_true(ratelimit_tracked(r) < 100);
	ratelimit_free(r);
	r = ratelimit_new(0);
	for (int i = 0; i < 100; i++)
		assert_true(ratelimit_allow(r, "10.0.0.1", 1.0, &retry));
	ratelimit_free(r);
}

static void listen_addresses(void **state)
{
	(void)state;
	struct sockaddr_storage ss;
	socklen_t len;
	assert_true(httpd_parse_listen("127.0.0.1:8090", &ss, &len));
	assert_true(httpd_parse_listen("[::1]:0", &ss, &len));
	assert_true(httpd_parse_listen("0.0.0.0:65535", &ss, &len));
	assert_false(httpd_parse_listen("127.0.0.1:65536", &ss, &len));
	assert_false(httpd_parse_listen("localhost:80", &ss, &len));
	assert_false(httpd_parse_listen("127.0.0.1", &ss, &len));
	assert_false(httpd_parse_listen(":80", &ss, &len));
	assert_false(httpd_parse_listen("::1:80", &ss, &len));
}

static void store_and_report(void **state)
{
	(void)state;
	char dir[] = "/tmp/phare-fb-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof(path), "%s/v.db", dir);
	store *s = NULL;
	assert_int_equal(store_open(path, STORE_SYNC_NORMAL, &s), PHARE_OK);
	store_vote v[4];
	memset(v, 0, sizeof(v));
	const char *revs[] = { "r1", "r1", "r2", "r2" };
	for (int i = 0; i < 4; i++) {
		v[i] = (store_vote){ .time = 1700000000 + i, .article = "a/b", .lang = "fr", .revision = revs[i],
				     .yes = i >= 2, .reason = i == 1 ? "unclear" : "",
				     .comment = i == 1 ? "bad\x01" : "", .client = i == 3 ? "c1" : "" };
		store_hash_address(s, "192.0.2.1", v[i].addr_hash);
	}
	assert_int_equal(store_write(s, v, 4), STORE_WRITTEN);
	assert_false(v[3].replaced);
	/* The same client on the same revision: replaced, not added. */
	v[3].yes = false;
	assert_int_equal(store_write(s, &v[3], 1), STORE_WRITTEN);
	assert_true(v[3].replaced);
	assert_int_equal(store_count(s), 4);
	char h1[65], h2[65];
	store_hash_address(s, "192.0.2.1", h1);
	store_close(s);

	assert_int_equal(store_open_readonly(path, &s), PHARE_OK);
	store_hash_address(s, "192.0.2.1", h2);
	assert_string_equal(h1, h2); /* the salt is kept */
	assert_int_equal(strlen(h1), 64);
	buf out = BUF_INIT;
	report_options o = { .format = REPORT_JSON };
	assert_int_equal(report_write(s, &o, &out), PHARE_OK);
	assert_non_null(strstr(out.ptr, "\"yes\":1,\"no\":3"));
	assert_non_null(strstr(out.ptr, "{\"revision\":\"r1\",\"yes\":0,\"no\":2,"));
	assert_non_null(strstr(out.ptr, "{\"revision\":\"r2\",\"yes\":1,\"no\":1,"));
	assert_non_null(strstr(out.ptr, "\"reason\":\"unclear\",\"comment\":\"bad\\u0001\""));
	buf_reset(&out);
	o.format = REPORT_TEXT;
	assert_int_equal(report_write(s, &o, &out), PHARE_OK);
	assert_non_null(strstr(out.ptr, "(unclear): bad\\x01\n"));
	buf_reset(&out);
	o.lang = "en";
	assert_int_equal(report_write(s, &o, &out), PHARE_OK);
	assert_non_null(strstr(out.ptr, "0 articles, 0 votes"));
	buf_release(&out);
	store_close(s);

	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void store_missing(void **state)
{
	(void)state;
	store *s = NULL;
	diag_set_quiet(true);
	diag_set_capture(true);
	diag_reset();
	assert_int_not_equal(store_open_readonly("/nonexistent/phare.db", &s), PHARE_OK);
	assert_null(s);
	assert_non_null(strstr(diag_captured(), "/nonexistent/phare.db: error: no feedback database here"));
	diag_reset();
	diag_set_capture(false);
	diag_set_quiet(false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(form_urlencoded),
		cmocka_unit_test(form_refusals),
		cmocka_unit_test(form_comment_length),
		cmocka_unit_test(form_json),
		cmocka_unit_test(form_types_and_accept),
		cmocka_unit_test(sha256_vectors),
		cmocka_unit_test(sha256_accel_matches_portable),
		cmocka_unit_test(wilson_and_dates),
		cmocka_unit_test(manifest_parsing),
		cmocka_unit_test(ratelimit_buckets),
		cmocka_unit_test(ratelimit_full_then_quiet),
		cmocka_unit_test(listen_addresses),
		cmocka_unit_test(store_and_report),
		cmocka_unit_test(store_missing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

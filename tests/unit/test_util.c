/* test_util.c: buf, arena, value, map and yamldoc. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/map.h"
#include "util/pool.h"
#include "util/record.h"
#include "util/value.h"
#include "util/xalloc.h"
#include "util/yamldoc.h"

static void buf_invariants(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	assert_non_null(b.ptr);
	assert_string_equal(b.ptr, "");
	buf_addf(&b, "%s-%d", "a", 42);
	buf_adds(&b, "<&>");
	assert_string_equal(b.ptr, "a-42<&>");
	assert_int_equal(b.len, 7);
	buf_reset(&b);
	buf_adds_html(&b, "<a href=\"x\">'&'</a>");
	assert_string_equal(b.ptr, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
	size_t len;
	char *p = buf_detach(&b, &len);
	assert_int_equal(len, strlen(p));
	assert_int_equal(b.len, 0);
	assert_string_equal(b.ptr, "");
	free(p);
	buf_release(&b);
	assert_string_equal(b.ptr, "");
}

static void buf_limit(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	buf_set_limit(&b, 4);
	buf_adds(&b, "abc");
	assert_false(buf_over_limit(&b));
	buf_adds(&b, "de");
	assert_true(buf_over_limit(&b));
	assert_string_equal(b.ptr, "abc");
	buf_release(&b);
}

static void buf_json(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	const char *s = "a\"b\\\n</script>";
	buf_add_json_str(&b, s, strlen(s));
	assert_string_equal(b.ptr, "\"a\\\"b\\\\\\n<\\/script>\"");
	buf_release(&b);
}

static void map_many(void **state)
{
	(void)state;
	map m = MAP_INIT;
	char keys[1000][8];
	for (int i = 0; i < 1000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%d", i);
		assert_null(map_put(&m, keys[i], &keys[i]));
	}
	assert_int_equal(m.len, 1000);
	for (int i = 0; i < 1000; i++)
		assert_ptr_equal(map_get(&m, keys[i]), &keys[i]);
	assert_null(map_get(&m, "nope"));
	assert_ptr_equal(map_getn(&m, "k12xyz", 3), &keys[12]);
	map_release(&m);
}

/* Past a few MiB the arena takes mapped huge-page chunks (arena.c): every
 * allocation, small or big, before or after, is zeroed, 16-byte aligned and
 * its own (filled, then checked once all are made). */
/* The pool (pool.h): calloc zeroes, realloc keeps the bytes (in place for
 * the last block, by copy otherwise), blocks bigger than a chunk work, all
 * 16-byte aligned; release leaves the pool empty and usable again. */
static void pool_blocks(void **state)
{
	(void)state;
	for (int round = 0; round < 2; round++) {
		unsigned char *a = pool_calloc(10, 7);
		for (size_t i = 0; i < 70; i++)
			assert_int_equal(a[i], 0);
		memset(a, 'a', 70);
		unsigned char *b = pool_realloc(a, 200); /* the last block: grows in place */
		assert_ptr_equal(a, b);
		unsigned char *c = pool_calloc(1, 16);
		unsigned char *d = pool_realloc(b, 400); /* no longer the last: copied */
		assert_ptr_not_equal(d, b);
		for (size_t i = 0; i < 70; i++)
			assert_int_equal(d[i], 'a');
		unsigned char *big = pool_calloc(1, 200 * 1024);
		big[200 * 1024 - 1] = 1;
		assert_int_equal((uintptr_t)c % 16, 0);
		assert_int_equal((uintptr_t)big % 16, 0);
		assert_non_null(pool_realloc(NULL, 0));
		pool_free(d); /* nothing until the release */
		pool_release();
	}
}

/* Big blocks (xalloc.h): below XALLOC_HUGE_MIN from the heap, from it up
 * mapped on their own at a 2 MiB boundary (what lets the kernel back them
 * with huge pages); zeroed and writable to their last byte either way. */
/* buf_add_html against a byte-by-byte escaper written here, on strings of
 * every length up to 80 with the five specials (and bytes that only look
 * near them: 0x26+0x80...) at random places, so that each lands before, in
 * and after the sixteen-byte blocks the escaper scans at once. */
static void html_escape_any_place(void **state)
{
	(void)state;
	const char alphabet[] = "ab&<>\"'\xa6\xbc z0";
	unsigned seed = 11;
	for (size_t len = 0; len <= 80; len++) {
		for (int round = 0; round < 20; round++) {
			char s[81];
			for (size_t i = 0; i < len; i++) {
				seed = seed * 1103515245u + 12345u;
				s[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
			}
			buf want = BUF_INIT, got = BUF_INIT;
			for (size_t i = 0; i < len; i++)
				switch (s[i]) {
				case '&': buf_adds(&want, "&amp;"); break;
				case '<': buf_adds(&want, "&lt;"); break;
				case '>': buf_adds(&want, "&gt;"); break;
				case '"': buf_adds(&want, "&quot;"); break;
				case '\'': buf_adds(&want, "&#39;"); break;
				default: buf_addc(&want, s[i]);
				}
			buf_add_html(&got, s, len);
			assert_int_equal(got.len, want.len);
			assert_memory_equal(got.ptr, want.ptr, want.len);
			buf_release(&want);
			buf_release(&got);
		}
	}
}

static void huge_blocks(void **state)
{
	(void)state;
	size_t sizes[] = { 1, XALLOC_HUGE_MIN - 1, XALLOC_HUGE_MIN, (size_t)3 << 20, ((size_t)4 << 20) + 1 };
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		unsigned char *p = xcalloc_huge(sizes[i]);
		if (sizes[i] >= XALLOC_HUGE_MIN)
			assert_int_equal((uintptr_t)p % ((uintptr_t)2 << 20), 0);
		for (size_t k = 0; k < sizes[i]; k += 4093)
			assert_int_equal(p[k], 0);
		assert_int_equal(p[sizes[i] - 1], 0);
		memset(p, 0xa5, sizes[i]);
		xfree_huge(p, sizes[i]);
	}
	xfree_huge(NULL, (size_t)8 << 20);
	xalloc_prepare_heap(); /* advice only: the heap works as before */
	char *q = xmalloc(1000);
	memset(q, 1, 1000);
	free(q);
}

/* An arena told it will be big maps its first chunk (huge-page aligned)
 * rather than growing through 64 KiB ones; a map whose table passes
 * XALLOC_HUGE_MIN keeps every key through its resizes. */
static void big_arena_and_map(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	arena_expect_big(&a);
	unsigned char *first = arena_alloc(&a, 100);
	assert_true((uintptr_t)first % ((uintptr_t)2 << 20) < 256); /* just past the chunk's header */
	for (int i = 0; i < 20000; i++)
		assert_int_equal(((unsigned char *)arena_alloc(&a, 300))[299], 0);
	map m = MAP_INIT;
	enum { KEYS = 40000 }; /* 65,536 slots at the end: 2 MiB */
	char **keys = xcalloc(KEYS, sizeof *keys);
	for (int i = 0; i < KEYS; i++) {
		keys[i] = arena_printf(&a, "key-%d", i);
		assert_null(map_put(&m, keys[i], keys[i]));
	}
	assert_true(m.cap * sizeof(map_slot) >= XALLOC_HUGE_MIN);
	for (int i = 0; i < KEYS; i++)
		assert_ptr_equal(map_get(&m, keys[i]), keys[i]);
	assert_null(map_get(&m, "key-40000"));
	map_release(&m);
	free(keys);
	arena_release(&a);
	assert_true(a.big); /* kept for the arena's next use */
}

static void arena_grows_past_big_chunks(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	enum { N = 6000 };
	static unsigned char *p[N];
	static size_t len[N];
	size_t want = 0;
	unsigned seed = 7;
	for (int i = 0; i < N; i++) {
		seed = seed * 1103515245u + 12345u;
		len[i] = i % 500 == 499 ? (size_t)(seed % (3u << 20)) : (size_t)(seed % 9000);
		p[i] = arena_alloc(&a, len[i]);
		want += (len[i] + 15) & ~(size_t)15;
		assert_int_equal((uintptr_t)p[i] % 16, 0);
		for (size_t k = 0; k < len[i]; k++)
			if (p[i][k] != 0)
				fail_msg("allocation %d not zeroed at %zu", i, k);
		memset(p[i], i & 0xff, len[i]);
	}
	assert_true(want > (16u << 20)); /* well past the switch */
	assert_int_equal(a.used, want);
	for (int i = 0; i < N; i++)
		for (size_t k = 0; k < len[i]; k++)
			if (p[i][k] != (unsigned char)(i & 0xff))
				fail_msg("allocation %d overwritten at %zu", i, k);
	arena_release(&a);
	assert_null(a.head);
	assert_int_equal(a.used, 0);
}

static value *parse_ok(arena *a, const char *text)
{
	value *v = NULL;
	assert_int_equal(yamldoc_parse(a, "t.yaml", text, strlen(text), 1, &v), PHARE_OK);
	return v;
}

static void yaml_scalars(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	value *v = parse_ok(&a, "a: 10\nb: 'x'\nc: true\nd: no\ne:\nf: \"2024\"\ng: [1, two]\n");
	assert_int_equal(v->kind, VAL_MAP);
	assert_int_equal(value_map_get(v, "a")->kind, VAL_NUMBER);
	assert_true(value_map_get(v, "a")->u.num == 10);
	assert_int_equal(value_map_get(v, "b")->kind, VAL_STRING);
	assert_int_equal(value_map_get(v, "c")->kind, VAL_BOOL);
	assert_int_equal(value_map_get(v, "d")->kind, VAL_STRING); /* YAML 1.2: no is a string */
	assert_int_equal(value_map_get(v, "e")->kind, VAL_NULL);
	assert_int_equal(value_map_get(v, "f")->kind, VAL_STRING);
	value *g = value_map_get(v, "g");
	assert_int_equal(g->kind, VAL_LIST);
	assert_int_equal(g->u.list.len, 2);
	assert_int_equal(g->line, 7);
	assert_int_equal(value_map_get(v, "c")->line, 3);
	assert_int_equal(value_map_get(v, "c")->col, 4);
	arena_release(&a);
}

static void yaml_first_line(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	value *v = NULL;
	const char *t = "x: 1\ny: 2\n";
	assert_int_equal(yamldoc_parse(&a, "t.md", t, strlen(t), 2, &v), PHARE_OK);
	assert_int_equal(value_map_get(v, "y")->line, 3);
	arena_release(&a);
}

static void yaml_errors(void **state)
{
	(void)state;
	static const char *bad[] = {
		"a: 1\na: 2\n",             /* duplicate key */
		"a: [1, 2\n",               /* unclosed flow */
		"a:\n\t- b\n",              /* tab indentation */
		"a: *nope\n",               /* unknown alias */
		"a: 1\n---\nb: 2\n",        /* two documents */
	};
	diag_set_quiet(true);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		arena a = ARENA_INIT;
		value *v = NULL;
		diag_reset();
		assert_int_not_equal(yamldoc_parse(&a, "t.yaml", bad[i], strlen(bad[i]), 1, &v), PHARE_OK);
		assert_int_equal(diag_errors(), 1);
		arena_release(&a);
	}
	diag_set_quiet(false);
}

static void yaml_bombs(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	/* billion laughs */
	buf_adds(&b, "a: &a [x, x, x, x, x, x, x, x, x, x]\n");
	for (char c = 'b'; c <= 'k'; c++)
		buf_addf(&b, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", c, c,
			 c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1);
	diag_set_quiet(true);
	diag_reset();
	arena a = ARENA_INIT;
	value *v = NULL;
	assert_int_equal(yamldoc_parse(&a, "t.yaml", b.ptr, b.len, 1, &v), PHARE_ERR_LIMIT);
	arena_release(&a);
	/* nested 10,000 deep */
	buf_reset(&b);
	for (int i = 0; i < 10000; i++)
		buf_addc(&b, '[');
	for (int i = 0; i < 10000; i++)
		buf_addc(&b, ']');
	assert_int_equal(yamldoc_parse(&a, "t.yaml", b.ptr, b.len, 1, &v), PHARE_ERR_LIMIT);
	assert_int_equal(diag_errors(), 2);
	arena_release(&a);
	buf_release(&b);
	diag_set_quiet(false);
}

/* A record reads back what was put, and every cut of it reads as bad,
 * never past its end (the build cache's records: a file cut short). */
static void records_cut_anywhere(void **state)
{
	(void)state;
	buf o = BUF_INIT;
	record_put_u64(&o, 42);
	record_put_bytes(&o, "phare", 5);
	record_put_bytes(&o, "", 0);
	record_put_u64(&o, UINT64_MAX);
	for (size_t cut = 0; cut <= o.len; cut++) {
		/* a copy of exactly cut bytes: ASan sees a read past them */
		unsigned char *copy = xmalloc(cut + 1);
		memcpy(copy, o.ptr, cut);
		record_reader r = { copy, copy + cut, false };
		size_t n1 = 9, n2 = 9;
		uint64_t a = record_get_u64(&r);
		const char *s1 = record_get_bytes(&r, &n1);
		const char *s2 = record_get_bytes(&r, &n2);
		uint64_t b = record_get_u64(&r);
		assert_non_null(s1); /* "" when bad, never NULL */
		assert_non_null(s2);
		if (cut == o.len) {
			assert_false(r.bad);
			assert_int_equal(a, 42);
			assert_int_equal(n1, 5);
			assert_memory_equal(s1, "phare", 5);
			assert_int_equal(n2, 0);
			assert_true(b == UINT64_MAX);
			assert_ptr_equal(r.p, r.end);
		} else {
			assert_true(r.bad);
			assert_int_equal(b, 0); /* once bad, everything after reads as nothing */
		}
		free(copy);
	}
	record_reader r = { (const unsigned char *)o.ptr, (const unsigned char *)o.ptr + o.len, false };
	assert_null(record_take(&r, o.len + 1));
	assert_true(r.bad);
	buf_release(&o);
}

/* Front-coded names read back as put, whatever they share, and one that
 * claims more of the name before than it had, or would not fit, is bad. */
static void records_front_coded(void **state)
{
	(void)state;
	static const char *names[] = { "", "en/", "en/api/", "en/api/slug/", "en/api/slug/index.html",
				       "en/api/slug-2/", "fr/", "fr/\xc3\xa9t\xc3\xa9/", "z" };
	const size_t n = sizeof names / sizeof *names;
	buf o = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		record_put_after(&o, i ? names[i - 1] : "", names[i]);
	assert_true(o.len < 60); /* the names are 77 bytes, their lengths apart */
	record_reader r = { (const unsigned char *)o.ptr, (const unsigned char *)o.ptr + o.len, false };
	char name[64];
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		assert_true(record_get_after(&r, name, sizeof name, &len));
		assert_int_equal(len, strlen(names[i]));
		assert_memory_equal(name, names[i], len);
	}
	assert_ptr_equal(r.p, r.end);
	for (size_t cap = 0; cap < 12; cap++) { /* "en/api/" (7) then "slug/" after 7 of it: 12 bytes */
		buf_reset(&o);
		record_put_after(&o, "", "en/api/");
		record_put_after(&o, "en/api/", "en/api/slug/");
		record_reader t = { (const unsigned char *)o.ptr, (const unsigned char *)o.ptr + o.len, false };
		len = 0;
		bool first = record_get_after(&t, name, cap, &len);
		assert_false(first && record_get_after(&t, name, cap, &len));
		assert_true(t.bad);
	}
	buf_reset(&o); /* shares 5 bytes of a name of 3 */
	record_put_varint(&o, 5);
	record_put_varint(&o, 1);
	buf_addc(&o, 'x');
	record_reader t = { (const unsigned char *)o.ptr, (const unsigned char *)o.ptr + o.len, false };
	len = 3;
	assert_false(record_get_after(&t, name, sizeof name, &len));
	assert_true(t.bad);
	buf_release(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(records_front_coded),
		cmocka_unit_test(buf_invariants), cmocka_unit_test(buf_limit),
		cmocka_unit_test(buf_json),       cmocka_unit_test(map_many),
		cmocka_unit_test(arena_grows_past_big_chunks), cmocka_unit_test(huge_blocks),
		cmocka_unit_test(html_escape_any_place),
		cmocka_unit_test(big_arena_and_map), cmocka_unit_test(pool_blocks),
		cmocka_unit_test(yaml_scalars),   cmocka_unit_test(yaml_first_line),
		cmocka_unit_test(yaml_errors),    cmocka_unit_test(yaml_bombs),
		cmocka_unit_test(records_cut_anywhere),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

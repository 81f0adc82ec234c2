/* test_cache.c: the build cache's look-ups in a site generation's sorted
 * names (build/cache_int.h), the search from a hint against a plain
 * binary search. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build/cache_int.h"

/* A generation as a site's names come: folders, then what they hold, in byte order. */
static const char *const names[] = {
	"",		     "404.html",	"en/",		    "en/a-b/",		"en/a-b/index.html",
	"en/a/",	     "en/a/index.html", "en/api/",	    "en/api/x/",	"en/api/x/index.html",
	"en/index.html",     "fr/",		"fr/a/",	    "fr/a/index.html",	"sitemap.xml",
};
#define N (sizeof names / sizeof names[0])

/* g, the names above; seen, each one's inode its place + 1. */
static void the_names(cache_gen *g, cache_seen *seen)
{
	g->names = (const char **)names;
	g->n = N;
	for (size_t i = 0; i < N; i++)
		seen[i] = (cache_seen){ .ino = i + 1 };
}

/* Every name, and names between, before and after them, looked for from
 * every hint (and one past the end): the same answer as cache_seen_at. */
static void seen_near_agrees_with_a_binary_search(void **state)
{
	(void)state;
	cache_gen g;
	cache_seen seen[N];
	the_names(&g, seen);
	const char *others[] = { "", "0", "404.htm", "en/a-a/", "en/a0", "en/api/x/index.htmm", "zz", "fr/b/" };
	size_t checked = 0, found = 0;
	for (size_t k = 0; k < N + sizeof others / sizeof *others; k++) {
		const char *rel = k < N ? names[k] : others[k - N];
		const cache_seen *want = cache_seen_at(&g, seen, rel);
		for (size_t hint = 0; hint <= N + 1; hint++) {
			size_t near = hint;
			const cache_seen *got = cache_seen_near(&g, seen, rel, &near);
			assert_ptr_equal(got, want);
			assert_true(near < N);
			if (got)
				assert_int_equal(near, (size_t)(got - seen));
			checked++;
			found += got != NULL;
		}
	}
	assert_int_equal(found, (N + 1) * (N + 2)); /* every name, and "" twice, from every hint */
	assert_true(checked > found);
}

/* Names in order from a hint carried along, as the build looks for its pages. */
static void seen_near_follows_the_names_in_order(void **state)
{
	(void)state;
	cache_gen g;
	cache_seen seen[N];
	the_names(&g, seen);
	size_t near = 0;
	for (size_t i = 0; i < N; i++) {
		const cache_seen *got = cache_seen_near(&g, seen, names[i], &near);
		assert_non_null(got);
		assert_int_equal(got->ino, i + 1);
	}
	assert_null(cache_seen_near(&g, NULL, names[0], &near));
	cache_gen empty = { 0 };
	assert_null(cache_seen_near(&empty, seen, names[0], &near));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seen_near_agrees_with_a_binary_search),
		cmocka_unit_test(seen_near_follows_the_names_in_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* fuzz_mustache.c: templates and data for the Mustache engine.  The input
 * is split at lines "====": the parts before the last are templates named
 * "page", "p1", "p2"… (so {{> p1}} and {{>*name}} find each other, and a
 * part can include itself), the last part is the data as YAML.  Each
 * template is compiled (mustache_set_add), the set checked, and "page"
 * rendered with the data.  Invariant: a render that fails says why with a
 * status, never by crashing or recursing without bound. */
#include "fuzz.h"

#include "render/mustache.h"
#include "util/arena.h"
#include "util/yamldoc.h"

#define FUZZ_SEP "\n====\n"

static void fuzz_mustache(const char *data, size_t size)
{
	fuzz_quiet();
	arena a = ARENA_INIT;
	mustache_set *set = mustache_set_new();
	buf out = BUF_INIT;
	const char *parts[9];
	size_t lens[9], n = 0;
	const char *p = data, *end = data + size;
	while (n < 8) {
		const char *sep = memmem(p, (size_t)(end - p), FUZZ_SEP, strlen(FUZZ_SEP));
		if (!sep)
			break;
		parts[n] = p;
		lens[n++] = (size_t)(sep - p);
		p = sep + strlen(FUZZ_SEP);
	}
	parts[n] = p;
	lens[n++] = (size_t)(end - p);
	/* One part alone is a template with no data. */
	size_t n_templates = n == 1 ? 1 : n - 1;
	for (size_t i = 0; i < n_templates; i++) {
		char name[16];
		if (i == 0)
			snprintf(name, sizeof(name), "page");
		else
			snprintf(name, sizeof(name), "p%zu", i);
		if (mustache_set_add(set, name, name, parts[i], lens[i]) != PHARE_OK)
			continue; /* reported; the set is unchanged */
	}
	if (mustache_set_check(set) != PHARE_OK)
		diag_reset(); /* a missing partial renders as nothing */
	value *root = NULL;
	if (n > 1 && yamldoc_parse(&a, "data.yaml", parts[n - 1], lens[n - 1], 1, &root) != PHARE_OK)
		root = NULL;
	buf_set_limit(&out, 64u << 20); /* a list of 1,000 items rendering a big partial */
	phare_status s = mustache_render(set, "page", root, &out);
	FUZZ_ASSERT(s == PHARE_OK || s == PHARE_ERR_INPUT || s == PHARE_ERR_LIMIT);
	FUZZ_ASSERT(out.ptr[out.len] == '\0');
	buf_release(&out);
	mustache_set_free(set);
	arena_release(&a);
}

FUZZ_TARGET(fuzz_mustache)

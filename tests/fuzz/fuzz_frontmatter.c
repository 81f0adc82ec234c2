/* fuzz_frontmatter.c: any bytes as a front matter, read by both readers:
 * frontmatter_read (the quick subset, content/frontmatter.h) and
 * yamldoc_parse (libyaml).  Invariant: whatever the quick reader accepts,
 * libyaml accepts too and makes the same tree — kinds, texts, numbers,
 * lines and columns — so an article never depends on which one read it. */
#include "fuzz.h"

#include "content/frontmatter.h"
#include "util/arena.h"
#include "util/yamldoc.h"

static void fuzz_fm_same(const value *a, const value *b)
{
	FUZZ_ASSERT(a->kind == b->kind);
	FUZZ_ASSERT(a->line == b->line && a->col == b->col);
	FUZZ_ASSERT(!a->str == !b->str);
	FUZZ_ASSERT(!a->str || (a->len == b->len && memcmp(a->str, b->str, a->len + 1) == 0));
	switch (a->kind) {
	case VAL_BOOL:
		FUZZ_ASSERT(a->u.b == b->u.b);
		break;
	case VAL_NUMBER:
		FUZZ_ASSERT(memcmp(&a->u.num, &b->u.num, sizeof(double)) == 0);
		break;
	case VAL_LIST:
		FUZZ_ASSERT(a->u.list.len == b->u.list.len);
		for (size_t i = 0; i < a->u.list.len; i++)
			fuzz_fm_same(a->u.list.items[i], b->u.list.items[i]);
		break;
	case VAL_MAP:
		FUZZ_ASSERT(a->u.map.len == b->u.map.len);
		for (size_t i = 0; i < a->u.map.len; i++) {
			FUZZ_ASSERT(strcmp(a->u.map.keys[i], b->u.map.keys[i]) == 0);
			fuzz_fm_same(a->u.map.vals[i], b->u.map.vals[i]);
		}
		break;
	default:
		break;
	}
}

static void fuzz_frontmatter(const char *data, size_t size)
{
	fuzz_quiet();
	arena a = ARENA_INIT;
	value *quick = NULL, *full = NULL;
	if (frontmatter_read(&a, data, size, 2, &quick)) {
		FUZZ_ASSERT(yamldoc_parse(&a, "fuzz.md", data, size, 2, &full) == PHARE_OK);
		fuzz_fm_same(quick, full);
	}
	arena_release(&a);
}

FUZZ_TARGET(fuzz_frontmatter)

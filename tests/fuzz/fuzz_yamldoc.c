/* fuzz_yamldoc.c: any bytes as a YAML document (yamldoc_parse, the loader
 * of site.yaml, front matter, tables and UI strings).  Invariants: every
 * node has a position inside the text; the tree is no deeper than
 * YAMLDOC_MAX_DEPTH. */
#include "fuzz.h"

#include "util/arena.h"
#include "util/yamldoc.h"

static size_t fuzz_yaml_walk(const value *v, int depth, int max_line)
{
	size_t nodes = 1;
	FUZZ_ASSERT(depth <= YAMLDOC_MAX_DEPTH + 1);
	FUZZ_ASSERT(v->line >= 0 && v->line <= max_line + 1);
	(void)value_truthy(v);
	switch (v->kind) {
	case VAL_LIST:
		for (size_t i = 0; i < v->u.list.len && nodes < 100000; i++)
			nodes += fuzz_yaml_walk(v->u.list.items[i], depth + 1, max_line);
		break;
	case VAL_MAP:
		for (size_t i = 0; i < v->u.map.len && nodes < 100000; i++) {
			FUZZ_ASSERT(v->u.map.keys[i]);
			if (v->u.map.len < 200) /* value_map_get scans */
				FUZZ_ASSERT(value_map_get(v, v->u.map.keys[i]));
			nodes += fuzz_yaml_walk(v->u.map.vals[i], depth + 1, max_line);
		}
		break;
	default:
		FUZZ_ASSERT(v->str || v->kind == VAL_NULL);
		break;
	}
	return nodes;
}

static void fuzz_yamldoc(const char *data, size_t size)
{
	fuzz_quiet();
	arena a = ARENA_INIT;
	value *root = NULL;
	int lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n' || data[i] == '\r';
	if (yamldoc_parse(&a, "fuzz.yaml", data, size, 1, &root) == PHARE_OK) {
		FUZZ_ASSERT(root);
		(void)fuzz_yaml_walk(root, 0, lines);
	}
	arena_release(&a);
}

FUZZ_TARGET(fuzz_yamldoc)

/* test_mustache_spec.c: the official Mustache specification files, read as
 * they are, one cmocka test per spec test ("file: name").
 *
 * The files live in <repo>/../shared/mustache-spec (tests run with cwd
 * tests/unit, so ../../../shared/mustache-spec), or in $MUSTACHE_SPEC_DIR.
 * They are JSON, which is YAML: yamldoc reads them.  Required: comments,
 * delimiters, interpolation, inverted, partials and sections (136 tests);
 * of the optional ~ files, dynamic names ({{>*name}}, 21 tests) is run too;
 * lambdas (phare data has no code) and inheritance are not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/mustache.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/value.h"
#include "util/xalloc.h"
#include "util/yamldoc.h"

static const char *const spec_files[] = {
	"comments", "delimiters", "interpolation", "inverted", "partials", "sections",
	"~dynamic-names",
};

typedef struct spec_case {
	const char *name;   /* "file: name" */
	const value *test;  /* the test's object: data, template, partials, expected */
} spec_case;

static arena spec_arena = ARENA_INIT;
static const char *spec_problem; /* why the files could not be loaded */

/* A spec number prints as a language's number would: 1.210 as 1.21.  phare
 * prints value->str, the source text, so give the number its shortest
 * round-tripping text, as the data model would for a computed number. */
static void spec_numbers(arena *a, value *v)
{
	if (v->kind == VAL_NUMBER) {
		for (int prec = 1; prec <= 17; prec++) {
			char *s = arena_printf(a, "%.*g", prec, v->u.num);
			if (strtod(s, NULL) == v->u.num || prec == 17) {
				v->str = s;
				v->len = strlen(s);
				break;
			}
		}
	} else if (v->kind == VAL_LIST) {
		for (size_t i = 0; i < v->u.list.len; i++)
			spec_numbers(a, v->u.list.items[i]);
	} else if (v->kind == VAL_MAP) {
		for (size_t i = 0; i < v->u.map.len; i++)
			spec_numbers(a, v->u.map.vals[i]);
	}
}

static void spec_run(void **state)
{
	const spec_case *c = *state;
	const value *tmpl = value_map_get(c->test, "template");
	const value *expected = value_map_get(c->test, "expected");
	const value *partials = value_map_get(c->test, "partials");
	const value *data = value_map_get(c->test, "data");
	assert_non_null(tmpl);
	assert_non_null(expected);

	mustache_set *s = mustache_set_new();
	for (size_t i = 0; partials && i < partials->u.map.len; i++) {
		const value *p = partials->u.map.vals[i];
		assert_int_equal(mustache_set_add(s, partials->u.map.keys[i], partials->u.map.keys[i],
						  p->str, p->len), PHARE_OK);
	}
	assert_int_equal(mustache_set_add(s, "\001spec", c->name, tmpl->str, tmpl->len), PHARE_OK);
	buf out = BUF_INIT;
	assert_int_equal(mustache_render(s, "\001spec", data, &out), PHARE_OK);
	bool same = out.len == expected->len && memcmp(out.ptr, expected->str, out.len) == 0;
	if (!same) {
		print_error("template: \"%s\"\nexpected: \"%s\"\n     got: \"%s\"\n", tmpl->str,
			    expected->str, out.ptr);
	}
	buf_release(&out);
	mustache_set_free(s);
	assert_true(same);
}

static void spec_missing(void **state)
{
	(void)state;
	print_error("%s\n", spec_problem);
	fail();
}

static char *spec_dir(void)
{
	const char *env = getenv("MUSTACHE_SPEC_DIR");
	return xstrdup(env && *env ? env : "../../../shared/mustache-spec");
}

/* Appends the cases of one file; false (and spec_problem) when it is unusable. */
static bool spec_load(const char *dir, const char *file, spec_case **cases, size_t *n,
		      size_t *cap)
{
	char *base = fsx_join(dir, file);
	char *path = arena_printf(&spec_arena, "%s.json", base);
	free(base);
	buf text = BUF_INIT;
	value *doc = NULL;
	bool ok = false;
	if (fsx_read(path, &text, 0) != PHARE_OK ||
	    yamldoc_parse(&spec_arena, path, text.ptr, text.len, 1, &doc) != PHARE_OK) {
		spec_problem = arena_printf(&spec_arena, "cannot read the spec file %s; set "
					    "MUSTACHE_SPEC_DIR to the mustache-spec folder", path);
		goto out;
	}
	value *tests = value_map_get(doc, "tests");
	if (!tests || tests->kind != VAL_LIST || tests->u.list.len == 0) {
		spec_problem = arena_printf(&spec_arena, "%s has no tests", path);
		goto out;
	}
	for (size_t i = 0; i < tests->u.list.len; i++) {
		value *t = tests->u.list.items[i];
		const value *name = value_map_get(t, "name");
		value *data = value_map_get(t, "data");
		if (data)
			spec_numbers(&spec_arena, data);
		*cases = xgrow(*cases, cap, *n + 1, sizeof(**cases));
		(*cases)[(*n)++] = (spec_case){
			arena_printf(&spec_arena, "%s: %s", file, name ? name->str : "?"), t };
	}
	ok = true;
out:
	buf_release(&text);
	return ok;
}

int main(void)
{
	spec_case *cases = NULL;
	size_t n = 0, cap = 0;
	char *dir = spec_dir();
	bool ok = true;
	for (size_t i = 0; ok && i < sizeof(spec_files) / sizeof(spec_files[0]); i++)
		ok = spec_load(dir, spec_files[i], &cases, &n, &cap);
	free(dir);

	struct CMUnitTest *tests;
	size_t count;
	if (ok) {
		count = n;
		tests = xcalloc(count, sizeof(*tests));
		for (size_t i = 0; i < n; i++) {
			tests[i].name = cases[i].name;
			tests[i].test_func = spec_run;
			tests[i].initial_state = &cases[i];
		}
	} else {
		count = 1;
		tests = xcalloc(1, sizeof(*tests));
		tests[0].name = "mustache spec files";
		tests[0].test_func = spec_missing;
	}
	int failed = _cmocka_run_group_tests("mustache_spec", tests, count, NULL, NULL);
	free(tests);
	free(cases);
	arena_release(&spec_arena);
	return failed;
}

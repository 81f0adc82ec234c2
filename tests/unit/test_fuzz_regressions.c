/* test_fuzz_regressions.c: replays, without clang, every input the fuzzers
 * of tests/fuzz/ found a bug with (tests/fuzz/<target>/regressions/) and
 * their seeds (tests/fuzz/<target>/), through the very same entry points:
 * the fuzz_<target>.c files are included here with FUZZ_REPLAY defined, so
 * they bring their invariants (a broken one aborts) and no libFuzzer main.
 * Run from tests/unit, as tests/run does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_REPLAY 1
#include "../fuzz/fuzz_form.c"
#include "../fuzz/fuzz_frontmatter.c"
#include "../fuzz/fuzz_highlight.c"
#include "../fuzz/fuzz_imgsize.c"
#include "../fuzz/fuzz_markdown.c"
#include "../fuzz/fuzz_mustache.c"
#include "../fuzz/fuzz_rules.c"
#include "../fuzz/fuzz_table.c"
#include "../fuzz/fuzz_yamldoc.c"

#include "util/fsx.h"

typedef void (*fuzz_entry)(const char *data, size_t size);

/* Feeds every regular file of dir to fn; returns how many. */
static size_t replay_dir(const char *dir, fuzz_entry fn)
{
	char **names = fsx_list(dir);
	size_t n = 0;
	for (char **p = names; p && *p; p++) {
		char *path = fsx_join(dir, *p);
		if (fsx_is_file(path)) {
			buf data = BUF_INIT;
			assert_int_equal(fsx_read(path, &data, 0), PHARE_OK);
			print_message("  %s (%zu bytes)\n", path, data.len);
			fn(data.ptr, data.len);
			buf_release(&data);
			n++;
		}
		free(path);
	}
	fsx_free_list(names);
	return n;
}

static void replay(const char *target, fuzz_entry fn)
{
	char dir[256];
	snprintf(dir, sizeof(dir), "../fuzz/%s", target);
	size_t seeds = replay_dir(dir, fn);
	snprintf(dir, sizeof(dir), "../fuzz/%s/regressions", target);
	size_t regressions = replay_dir(dir, fn);
	print_message("%s: %zu seeds, %zu regressions replayed\n", target, seeds, regressions);
	assert_true(seeds > 0); /* the folder is there: we run from tests/unit */
	diag_set_quiet(false);
	diag_set_warnings(true);
	diag_reset();
}

static void form_inputs(void **state) { (void)state; replay("form", fuzz_form); }
static void frontmatter_inputs(void **state) { (void)state; replay("frontmatter", fuzz_frontmatter); }
static void highlight_inputs(void **state) { (void)state; replay("highlight", fuzz_highlight); }
static void imgsize_inputs(void **state) { (void)state; replay("imgsize", fuzz_imgsize); }
static void markdown_inputs(void **state) { (void)state; replay("markdown", fuzz_markdown); }
static void mustache_inputs(void **state) { (void)state; replay("mustache", fuzz_mustache); }
static void rules_inputs(void **state) { (void)state; replay("rules", fuzz_rules); }
static void table_inputs(void **state) { (void)state; replay("table", fuzz_table); }
static void yamldoc_inputs(void **state) { (void)state; replay("yamldoc", fuzz_yamldoc); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(form_inputs),     cmocka_unit_test(frontmatter_inputs),
		cmocka_unit_test(highlight_inputs), cmocka_unit_test(imgsize_inputs),
		cmocka_unit_test(markdown_inputs),
		cmocka_unit_test(mustache_inputs), cmocka_unit_test(rules_inputs),
		cmocka_unit_test(table_inputs),    cmocka_unit_test(yamldoc_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

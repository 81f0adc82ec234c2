/* cmd_check.c: `phare check`: everything the build validates, without
 * writing, plus translation and duplicate warnings; an exit status for CI. */
#include <stdio.h>

#include "build/build.h"
#include "cmd/cmd.h"
#include "util/diag.h"
#include "util/opts.h"
#include "util/status.h"

int cmd_check(int argc, char **argv)
{
	build_options opt = { .source = ".", .dry_run = true, .checks = true, .quiet = true };
	bool strict = false;
	const opt_spec specs[] = {
		{ "--source", "DIR", "folder holding content/ (default: .)", OPT_DIR, &opt.source },
		{ "--strict", NULL, "warnings are errors", OPT_FLAG, &strict },
		{ "--base-url", "URL", "check as built with this base_url", OPT_STRING, &opt.base_url },
		{ "--drafts", NULL, "check draft articles too", OPT_FLAG, &opt.drafts },
		{ NULL, NULL, NULL, OPT_FLAG, NULL },
	};
	char *pos[1];
	int npos;
	switch (opts_parse("check", "check [--source DIR] [--strict]", specs, argc, argv, pos, 0, &npos)) {
	case OPTS_HELP: return EXIT_OK;
	case OPTS_ERROR: return EXIT_USAGE;
	default: break;
	}
	diag_set_strict(strict);
	build_stats st;
	phare_status s = build_run(&opt, &st);
	size_t errors = diag_errors(), warnings = diag_warnings();
	fprintf(stderr, "check: %zu error%s, %zu warning%s\n", errors, errors == 1 ? "" : "s", warnings,
		warnings == 1 ? "" : "s");
	return s || errors ? EXIT_FAILED : EXIT_OK;
}

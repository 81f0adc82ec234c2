/* cmd_build.c: `phare build`: content/ into a static site. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build/build.h"
#include "cmd/cmd.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/opts.h"
#include "util/status.h"

static void cmd_build_summary(const build_stats *st, const char *out)
{
	fprintf(stderr, "built %zu pages (", st->pages);
	for (size_t i = 0; i < st->n_langs; i++)
		fprintf(stderr, "%s%s %zu", i ? ", " : "", st->lang_codes[i], st->pages_per_lang[i]);
	fprintf(stderr, ") in %.2f s into %s\n", st->seconds, out);
}

/* --timings: where the wall time went, step by step. */
static void cmd_build_timings(const build_stats *st)
{
	for (int i = 0; i < BUILD_STEPS; i++)
		fprintf(stderr, "  %-24s %8.3f s %5.1f %%\n", build_step_names[i], st->step_seconds[i],
			st->seconds > 0 ? 100.0 * st->step_seconds[i] / st->seconds : 0.0);
	if (st->unchanged)
		fprintf(stderr, "  build cache: nothing changed since the last build; the site was left as it was\n");
	if (st->reused || st->rendered)
		fprintf(stderr, "  build cache: %zu article pages reused, %zu rendered\n", st->reused, st->rendered);
	if (st->records_how && !st->unchanged)
		fprintf(stderr, "  build cache records: %s\n", st->records_how);
	for (size_t i = 0; i < st->n_langs && !st->unchanged; i++)
		if (*st->search_how[i])
			fprintf(stderr, "  search index %s: %s\n", st->lang_codes[i], st->search_how[i]);
}

int cmd_build(int argc, char **argv)
{
	build_options opt = { .source = "." };
	bool quiet = false, drafts = false, timings = false, cache = false, no_cache = false;
	long threads = 0;
	const opt_spec specs[] = {
		{ "--source", "DIR", "folder holding content/ (default: .)", OPT_DIR, &opt.source },
		{ "--out", "DIR", "output folder (default: DIR/site)", OPT_STRING, &opt.out },
		{ "--base-url", "URL", "override base_url, e.g. /help/ or https://example.org/help/", OPT_STRING,
		  &opt.base_url },
		{ "--drafts", NULL, "build articles marked draft: true too", OPT_FLAG, &drafts },
		{ "--quiet", NULL, "print only errors", OPT_FLAG, &quiet },
		{ "--threads", "N", "rendering threads (default: one per core)", OPT_INT, &threads },
		{ "--timings", NULL, "print the wall time of each build step", OPT_FLAG, &timings },
		{ "--cache", NULL,
		  "the default: redo only what changed since the last build, kept in <source>/.phare/cache "
		  "and trusted only under this machine's key (PHARE_CACHE_KEY, or ~/.local/state/phare)",
		  OPT_FLAG, &cache },
		{ "--no-cache", NULL, "render every page, neither reading nor writing the cache", OPT_FLAG, &no_cache },
		{ NULL, NULL, NULL, OPT_FLAG, NULL },
	};
	char *pos[1];
	int npos;
	switch (opts_parse("build",
			   "build [--source DIR] [--out DIR] [--base-url URL] [--drafts] [--quiet] [--threads N] "
			   "[--timings] [--no-cache]",
			   specs, argc, argv, pos, 0, &npos)) {
	case OPTS_HELP: return EXIT_OK;
	case OPTS_ERROR: return EXIT_USAGE;
	default: break;
	}
	opt.quiet = quiet;
	opt.drafts = drafts;
	opt.threads = (int)threads;
	opt.timings = timings;
	/* On unless --no-cache (issue 23): a first build that writes the cache
	 * costs what one without does, and a cache a stranger ships is never
	 * trusted (build/cache_key.c cache_secret).  --cache, once needed, is kept
	 * for the scripts that pass it. */
	(void)cache;
	opt.cache = !no_cache;
	char *out = NULL;
	if (!opt.out)
		opt.out = out = fsx_join(opt.source, "site");
	if (quiet)
		diag_set_warnings(false);
	build_stats st;
	phare_status s = build_run(&opt, &st);
	if (s) {
		fprintf(stderr, "phare build: failed with %zu error%s; %s was left as it was\n", diag_errors(),
			diag_errors() == 1 ? "" : "s", opt.out);
	} else if (!quiet) {
		cmd_build_summary(&st, opt.out);
	}
	if (!s && timings)
		cmd_build_timings(&st);
	free(out);
	return s ? EXIT_FAILED : EXIT_OK;
}

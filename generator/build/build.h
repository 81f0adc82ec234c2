/* build.h: `phare build` as a library call: content/ in, a complete site out.
 *
 * The pipeline, one way:  load (model.h: site.yaml, front matter, tables,
 * rules) -> render (pages.h: Markdown + templates, articles on a work queue
 * over every core) -> write (output.h: a temporary folder swapped into place
 * only when everything succeeded, so a failed build leaves the previous
 * output exactly as it was).  phare serve and phare check call it too. */
#ifndef PHARE_BUILD_H
#define PHARE_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "util/status.h"

typedef struct build_options {
	const char *source;   /* folder holding content/ (default ".") */
	const char *out;      /* output folder (default <source>/site) */
	const char *base_url; /* --base-url, or NULL for site.yaml's */
	bool drafts;          /* build draft articles too */
	bool quiet;           /* only errors */
	bool preview;         /* phare serve: pages carry the live-reload script */
	bool dry_run;         /* phare check: validate everything, write nothing */
	bool checks;          /* phare check: also warn about translations and duplicates */
	int threads;          /* 0: one per core */
	const char *feedback_endpoint; /* overrides site.yaml's (phare serve) */
	bool timings;         /* --timings: record each step's wall time in build_stats */
	bool cache;           /* phare build: reuse and keep <source>/.phare/cache (build/cache.h) */
} build_options;

/* The steps of a build, in order, as --timings names them. */
#define BUILD_STEPS 8
extern const char *const build_step_names[BUILD_STEPS];

typedef struct build_stats {
	size_t pages;                 /* HTML pages written */
	size_t pages_per_lang[32];
	size_t n_langs;
	const char *lang_codes[32];   /* static storage, valid until the next build */
	double seconds;
	double step_seconds[BUILD_STEPS]; /* wall time of each step (build_step_names) */
	size_t reused, rendered;          /* article pages taken from the cache / rendered with one */
	bool unchanged;                   /* nothing changed since the last build: nothing was done */
	char search_how[32][96];          /* with the cache: how each language's search index was made */
	const char *records_how;          /* with the cache: how its records were checked (static), or NULL */
} build_stats;

phare_status build_run(const build_options *opt, build_stats *stats) PHARE_MUST_USE;

/* A build kept in memory after it succeeded, so that phare serve can redo
 * only what one edit touches.  opt (and its strings) must outlive the session. */
typedef struct build_session build_session;

/* A full build, like build_run; on success *out keeps its state (the caller
 * closes it), on failure *out is NULL. */
phare_status build_session_open(const build_options *opt, build_stats *stats,
				build_session **out) PHARE_MUST_USE;
/* The file rel (relative to the source folder, e.g. "content/fr/x/y.md")
 * changed.  When only that article's page needs redoing (an existing
 * article whose title, description, weight and draft flag are unchanged),
 * re-renders it in place in the output folder and sets *handled; problems
 * are reported as usual and returned (the page then stays as it was).
 * Otherwise *handled is false and the caller does a full build.  What the
 * fast path leaves stale (search index, sitemap dates, manifest revision,
 * other languages' outdated banners) the next full build refreshes. */
phare_status build_session_update(build_session *s, const char *rel, bool *handled) PHARE_MUST_USE;
void build_session_close(build_session *s);

#endif

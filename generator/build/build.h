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
} build_options;

typedef struct build_stats {
	size_t pages;                 /* HTML pages written */
	size_t pages_per_lang[32];
	size_t n_langs;
	const char *lang_codes[32];   /* static storage, valid until the next build */
	double seconds;
} build_stats;

phare_status build_run(const build_options *opt, build_stats *stats) PHARE_MUST_USE;

#endif

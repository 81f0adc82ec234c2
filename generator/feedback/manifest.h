/* manifest.h: the list of built articles the collector accepts votes for.
 *
 * `phare build` writes <site>/phare-manifest.tsv (UTF-8, tab-separated):
 *     phare-manifest	1
 *     base	/help/
 *     origin	https://example.com          (only when site.yaml sets one)
 *     article	fr	virtualisation/lxc	/help/fr/virtualisation/lxc/	3f2a9c1b0d4e5f60	LXC ou KVM ?
 * (kind, lang, article key, URL path, current revision, title; the title,
 * its tabs and line breaks made spaces, may be missing in a manifest of an
 * older phare), and the questionnaires' lines (quiz_manifest.h).  Lines of
 * other kinds are ignored, so the build may add some later.
 *
 * manifest_watch re-reads the file when it changes (the site is rebuilt
 * while the collector runs) and is safe to use from many threads. */
#ifndef PHARE_MANIFEST_H
#define PHARE_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include "feedback/quiz_manifest.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/status.h"

typedef struct manifest manifest;

typedef struct manifest_article {
	const char *lang;
	const char *key;      /* "<section>/<slug>" */
	const char *url;      /* path on the site, e.g. "/help/fr/virtualisation/lxc/" */
	const char *revision;
	const char *title; /* "" when the manifest has none */
} manifest_article;

/* Parses text (len bytes); errors are reported as path:line:col.  *out is
 * freed with manifest_free(). */
phare_status manifest_parse(const char *path, const char *text, size_t len, manifest **out) PHARE_MUST_USE;
phare_status manifest_load(const char *path, manifest **out) PHARE_MUST_USE;
/* NULL when the article is not in that language. Owned by m. */
const manifest_article *manifest_find(const manifest *m, const char *lang, const char *key);
size_t manifest_count(const manifest *m);
/* The site's origin ("https://example.com", no trailing slash), or "". */
const char *manifest_origin(const manifest *m);
void manifest_free(manifest *m);

typedef struct manifest_watch manifest_watch;

/* Loads <site>/phare-manifest.tsv now (a missing or bad file is an error,
 * reported) and keeps watching it. */
phare_status manifest_watch_open(const char *site_dir, manifest_watch **out) PHARE_MUST_USE;
/* Re-reads the file if its size, inode or mtime changed (a bad new file
 * is reported and the previous one kept), then looks the article up.
 * Found: copies its URL and revision into url/revision (may be NULL) and
 * returns true. */
bool manifest_watch_find(manifest_watch *w, const char *lang, const char *key, buf *url,
			 buf *revision);
/* Checks a questionnaire step against the current manifest (re-read as
 * manifest_watch_find does); ref's strings are copied into a. */
quiz_check manifest_watch_check_step(manifest_watch *w, const quiz_step_in *s, quiz_step_ref *ref, arena *a, buf *err);
/* Number of articles (all languages) in the current manifest. */
size_t manifest_watch_count(manifest_watch *w);
void manifest_watch_close(manifest_watch *w);

#endif

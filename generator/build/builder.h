/* builder.h: the state of one build, shared by the build's modules
 * (build.c runs the pipeline, links.c checks and rewrites links, pages.c
 * makes each page's template data, output.c writes files).  Internal to
 * generator/build/.
 *
 * Threads: everything here is read-only while articles render, except the
 * per-article slots (written by the one worker rendering that article) and
 * what is behind `lock`. */
#ifndef PHARE_BUILDER_H
#define PHARE_BUILDER_H

#include <pthread.h>

#include "build/build.h"
#include "content/i18n.h"
#include "content/model.h"
#include "render/mustache.h"
#include "render/theme.h"
#include "search/index.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/map.h"
#include "util/value.h"

typedef enum page_kind {
	PAGE_ROOT, PAGE_HOME, PAGE_SECTION, PAGE_ARTICLE, PAGE_TABLE, PAGE_QUESTIONNAIRE
} page_kind;

/* A page of the site, known before anything renders (links are checked against these). */
typedef struct page_ref {
	page_kind kind;
	size_t lang;
	article *art;       /* PAGE_ARTICLE */
	const char *name;   /* table or questionnaire name */
} page_ref;

/* A link to an anchor of another page, checked once every page has rendered. */
typedef struct anchor_check {
	const char *from;   /* shown path of the linking file */
	int line, col;
	const article *target;
	char *anchor;
	char *url;          /* as the author wrote it */
} anchor_check;

/* A page of the sitemap (with its translations for hreflang). */
typedef struct sitemap_entry {
	const char *path;     /* site path without base: "fr/virtualisation/lxc/" */
	const char *group;    /* pages of one group are translations of each other */
	size_t lang;
	const char *lastmod;  /* "" or YYYY-MM-DD */
} sitemap_entry;

typedef struct builder {
	const build_options *opt;
	model m;
	theme th;
	i18n strings;
	mustache_set *tpl;
	arena arena;              /* build-lifetime data (language contexts, paths) */
	const char *tmp;          /* the folder being written */
	const char *prev;         /* with the cache: the previous site, kept beside the output (output.c), or NULL */
	bool patching;            /* tmp is that previous site, patched: files replaced by rename, the rest pruned */
	bool live;                /* a session's update: tmp is the served folder, pages replaced atomically */
	bool session;             /* a serve session's: the model is kept whole for its updates */
	double step_t, step_seconds[BUILD_STEPS]; /* --timings (build_mark) */
	map pages;                /* site path without base ("fr/x/y/") -> page_ref * */
	map files;                /* static file dest -> static_file * */
	map aliases;              /* alias site path ("fr/ancien/chemin/") -> article * (aliases.c) */
	value *lang_ctx[SITE_MAX_LANGUAGES]; /* shared template data per language */
	value *assets;            /* asset name ("phare_css") -> URL */
	void *blocks;             /* tables and questionnaires (blocks.c) */
	search_index *search[SITE_MAX_LANGUAGES]; /* one per language; add is thread-safe */
	char **heading_ids;       /* per article: " id1 id2 … ", filled by its worker */
	void *cache;              /* the build cache (cache.h), or NULL */

	pthread_mutex_t lock;     /* guards what follows */
	anchor_check *anchors;
	size_t n_anchors, cap_anchors;
	sitemap_entry *sitemap;
	size_t n_sitemap, cap_sitemap;
	/* per article (m.articles' index): its reused page's entry (path NULL
	 * until then), set without the lock, one thread a page, and added to
	 * the sitemap when it is written (output_article_reused) */
	sitemap_entry *reused;
	size_t pages_written[SITE_MAX_LANGUAGES];
	phare_status failed;
	map made; /* with b->prev: the new site's files ("fr/x/index.html"), written or linked */
} builder;

/* links.c */
phare_status links_rewrite(builder *b, const article *from, const char *url, bool image, int line, int col, buf *out) PHARE_MUST_USE;
phare_status links_check_anchors(builder *b) PHARE_MUST_USE;
/* As links_rewrite, but silent: no message, no anchor queued (cache.c asks again). */
phare_status links_resolve(builder *b, const article *from, const char *url, bool image, buf *out) PHARE_MUST_USE;
/* Registers a page at its site path (without base); returns it. */
page_ref *links_add_page(builder *b, const char *path, page_kind kind, size_t lang, article *art,
			 const char *name);

/* output.c */
phare_status output_begin(builder *b) PHARE_MUST_USE;
phare_status output_page(builder *b, const char *path, const buf *html) PHARE_MUST_USE;
phare_status output_file(builder *b, const char *path, const void *data, size_t len) PHARE_MUST_USE;
/* A page of the new site, written or reused: its sitemap entry, and its count. */
void output_page_made(builder *b, const char *path, const char *group, size_t lang, const char *lastmod);
/* The same for art's page reused by the build cache, at path (which lives
 * as long as the build): 20,000 a rebuild, without the build's lock. */
void output_article_reused(builder *b, const article *art, const char *path);
phare_status output_assets(builder *b) PHARE_MUST_USE;
phare_status output_finish(builder *b) PHARE_MUST_USE; /* sitemap, robots, manifest, swap */
void output_abort(builder *b);                          /* remove the temporary folder */
/* The file at from linked as rel in the new site (replacing by rename
 * whatever the patched previous site holds there); false on failure. */
bool output_link(builder *b, const char *from, const char *rel);
/* With b->prev: the folder rel of the new site emptied before it is
 * written again (output_made_tree records it once written). */
phare_status output_fresh_dir(builder *b, const char *rel) PHARE_MUST_USE;
void output_made_tree(builder *b, const char *rel);
/* Absolute URL of a site path (origin + base + path) or base path when no origin. */
void output_url(const builder *b, const char *path, buf *out);

/* pages.c */
phare_status pages_prepare(builder *b) PHARE_MUST_USE; /* language contexts */
phare_status pages_article(builder *b, article *art, arena *a) PHARE_MUST_USE;
/* A language's home, 404 and section pages; lang n_languages: the root and its 404.
 * Safe on several threads at once, like articles. */
phare_status pages_lists_of(builder *b, size_t lang) PHARE_MUST_USE;
/* A local image's width and height, from its file's header (url with the base). */
bool pages_image_size(const builder *b, const char *url, int *w, int *h);
/* Helpers for the other page makers (blocks.c, questionnaires.c): */
value *pages_ctx(const builder *b, arena *a, size_t lang);   /* a page's data, language part filled */
value *pages_link(arena *a, const char *title, const char *url);
/* urls[i]: this page in language i, or NULL: sets languages, alternates, canonical. */
void pages_languages(const builder *b, arena *a, value *c, size_t lang, const char *const *urls);
void pages_languages_alt(const builder *b, arena *a, value *c, size_t lang, const char *const *urls,
			 const char *const *alt);
/* breadcrumbs: home, then (title, url) when title is not NULL. */
void pages_crumbs(const builder *b, arena *a, value *c, size_t lang, const char *title, const char *url);
/* Renders template tpl into path/index.html and lists it in the sitemap. */
phare_status pages_render(builder *b, const char *tpl, const value *data, const char *path, size_t lang,
			  const char *group, const char *lastmod) PHARE_MUST_USE;

/* aliases.c: each article's aliases, checked against every page (after
 * they are all registered), then written as redirect pages. */
phare_status aliases_register(builder *b) PHARE_MUST_USE;
phare_status aliases_pages(builder *b) PHARE_MUST_USE;

/* nav.c: navigation in the section tree (templates/README.md names the data). */
/* breadcrumbs (home, then every section from the category down to sec, which
 * may be NULL) and breadcrumbs_json, the same trail as a schema.org
 * BreadcrumbList, ending with the page itself (title, without its URL, as
 * the last item may be) when title is set. */
void nav_crumbs(const builder *b, arena *a, value *c, size_t lang, const section *sec, const char *title);
/* "Cloud › VPS › Réseau": the titles from the category down to sec. */
const char *nav_trail(arena *a, const section *sec);
/* sidebar: the current branch of sec's category; cur the article shown, or
 * NULL on sec's own page. */
void nav_sidebar(const builder *b, arena *a, value *c, const section *sec, const article *cur);
/* pager: the articles before and after art in its section (prev, next). */
void nav_pager(arena *a, value *c, const article *art);
/* secs as cards: title, url, description, count (articles, sub-sections
 * included), count_label. */
value *nav_cards(const builder *b, arena *a, section *const *secs, size_t n);

#endif

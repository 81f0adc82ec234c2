/* model.h: the site in memory: languages, sections, articles, translations.
 *
 * model_load() walks content/ once (in sorted order, so everything built
 * from the model is reproducible), parses every front matter, and indexes:
 *   content/<lang>/_index.md                 the language's home text
 *   content/<lang>/<section>/_index.md       a section's title, description, weight
 *   content/<lang>/<section>/<slug>.md       an article
 *   content/<lang>/<section>/<other file>    a file copied beside the section (images)
 *   content/<lang>/<section>/<sub>/…         sub-sections, the same again, up to
 *                                            MODEL_MAX_DEPTH folders below <lang>
 *   content/tables/<name>.yaml               comparison tables (tables.h)
 * Lookups are hash tables, never scans, so link checks stay linear.
 * Files are read and parsed on every core; what is said about them is said
 * in the walk's order, as a serial load would (model_plan.c).
 * The model owns everything (its arenas and the file texts) until model_free(). */
#ifndef PHARE_MODEL_H
#define PHARE_MODEL_H

#include <stdbool.h>

#include "content/article.h"
#include "content/site.h"
#include "util/arena.h"
#include "util/map.h"
#include "util/status.h"

typedef struct section section;
struct section {
	const char *name; /* folder name, e.g. "reseau" (lowercase) */
	const char *key;  /* its path below the language: "cloud/reseau"; one key in
			   * every language is one section translated */
	size_t lang;
	section *parent; /* NULL for a top-level section (a category) */
	int depth;       /* 1 for a category */
	section **subs;  /* its sub-sections, sorted: weight, then title */
	size_t n_subs, cap_subs;
	size_t n_total;          /* articles here and in every sub-section */
	article *index;          /* its _index.md, or NULL */
	const char *title;       /* from _index.md, else the folder name */
	const char *description;
	double weight;
	bool has_weight;
	const char *url;         /* "/help/fr/cloud/reseau/" */
	article **articles;      /* sorted: weight, then title */
	size_t n_articles, cap_articles;
};

typedef struct lang_site {
	article *home;           /* content/<lang>/_index.md, or NULL */
	section **sections;      /* every section, at every depth: each before its
				  * sub-sections, siblings sorted (weight, then title) */
	size_t n_sections, cap_sections;
	section **tops; /* the top-level sections (categories), sorted */
	size_t n_tops, cap_tops;
	const char *url;         /* "/help/fr/" */
	size_t n_articles;
} lang_site;

typedef struct static_file {
	const char *src;  /* file system path */
	const char *dest; /* path inside the output folder, e.g. "fr/virtualisation/schema.png" */
} static_file;

/* What one loading thread allocated: strings, and the file texts (dropped
 * apart, model_drop_texts). */
typedef struct model_arenas {
	arena strings, texts;
} model_arenas;

typedef struct model {
	site_config cfg;
	const char *source;      /* the folder holding content/ */
	arena arena;
	lang_site langs[SITE_MAX_LANGUAGES];
	article **articles;      /* every article (not _index.md), by language, section, order */
	size_t n_articles, cap_articles;
	static_file *files;
	size_t n_files, cap_files;
	map by_path;             /* "fr/virtualisation/lxc" -> article * */
	map sections_by_path;    /* "fr/virtualisation", "fr/cloud/reseau" -> section * */
	map translations;        /* "virtualisation/lxc" -> article *[n_languages] */
	arena texts_arena;       /* file contents read by the main thread (the helpers': loaders) */
	char **texts;            /* file contents not in an arena (read again by fsx_read) */
	size_t n_texts, cap_texts;
	model_arenas *loaders;   /* what the helper threads loading content allocated */
	size_t n_loaders;
} model;

/* With drop_bodies, the first this many bytes of articles are kept all the
 * same: a small site does not pay for reading its files twice (on the 1,000
 * article corpus that was 7 % of the build), a big one pays a fixed sum. */
#define MODEL_KEPT_BODIES ((size_t)32 << 20)

typedef struct model_options {
	const char *source;       /* folder holding content/ (and maybe templates/, rules/) */
	const char *base_url;     /* --base-url, or NULL */
	bool drafts;              /* keep draft: true articles */
	size_t max_article_bytes; /* 0: the default, 256 KiB */
	int threads;              /* threads reading files, this one included; 0: one per core */
	bool drop_bodies;         /* past MODEL_KEPT_BODIES bytes of them, articles' bodies are
				   * not kept (body NULL, body_off set): a build reads each
				   * again when it renders it, so that memory does not grow
				   * with the size of the site's text */
	/* Called with every Markdown file's bytes as read (any thread, before
	 * they are parsed; dir: the folder as opened, <source>/content/...):
	 * the build cache hashes them there rather than reading them again. */
	void (*on_read)(void *ctx, const char *dir, const char *name, const char *text, size_t len);
	void *on_read_ctx;
	/* The build cache's model records (ctx: on_read_ctx; dir and name: an
	 * article's file, as on_read has them).
	 * on_record, any thread, before the file is opened: a record
	 * article_pack wrote of a parse of the very bytes the file holds now,
	 * or NULL: with one, the file is neither read nor parsed (its body is
	 * read when its page renders).  on_loaded, the walk's thread, in
	 * order: the article the file made, read or restored (the cache packs
	 * it when it saves). */
	const void *(*on_record)(void *ctx, const char *dir, const char *name, size_t *len);
	void (*on_loaded)(void *ctx, const char *dir, const char *name, const article *art);
	/* NULL, or, called on the walk's thread: the names folder rel holds
	 * ("content/en/api", under source) as the build cache's walk of the
	 * sources listed them when the build began, in fsx_list's form and
	 * order (the caller's to free), or NULL: the folder is listed then. */
	char **(*listed)(void *ctx, const char *rel);
} model_options;

/* Loads the whole content tree; on error everything found is reported
 * (not only the first problem) and a status returned.  m must be zeroed. */
phare_status model_load(model *m, const model_options *opt) PHARE_MUST_USE;
void model_free(model *m);
/* Frees the file texts the articles' bodies point into, once every page is
 * rendered; the bodies become empty.  A build keeps only what cross-page
 * features need (a serve session keeps them: it renders pages again). */
void model_drop_texts(model *m);

/* "virtualisation/lxc" in language lang, or NULL. */
article *model_article(const model *m, size_t lang, const char *key);
/* The translations of key: an array of n_languages pointers (NULL where missing). */
article **model_translations(const model *m, const char *key);
/* Section key ("cloud/reseau") in language lang, or NULL. */
section *model_section(const model *m, size_t lang, const char *key);
/* Whether s may name an article or a section's folder: letters, digits,
 * '-' and '_' (it becomes the URL). */
bool model_valid_name(const char *s);
/* The path shown in messages for a file under the source folder. */
const char *model_shown(model *m, const char *rel);

#define MODEL_MAX_ARTICLE_BYTES (256 * 1024)
/* Images and attachments: a build copies them, so a lie ("a 2 GiB *.png")
 * must stop before it fills the disk (site.yaml max_file_bytes). */
#define MODEL_MAX_FILE_BYTES ((size_t)64 << 20)
/* Files and folders under content/<lang>/ (site.yaml max_files): enough for
 * 50,000 articles in two languages; a tree far larger is refused while it
 * is listed, before anything is read. */
#define MODEL_MAX_FILES 100000
/* Section folders nest at most this deep below content/<lang>/. */
#define MODEL_MAX_DEPTH 6

#endif

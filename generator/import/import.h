/* import.h: `phare import FORMAT SRC --out DIR`: another tool's
 * documentation tree turned into a phare source tree.
 *
 * The common part (import.c, import_links.c) owns what every format
 * shares: the page tree and where each page goes (folded to
 * IMPORT_MAX_DEPTH folders), the links and images rewritten to the new
 * paths, the assets copied beside their articles, site.yaml, IMPORT.md
 * and the summary.  A format (import_gitbook.c, …) only reads its
 * navigation into the tree (import_load) and converts one page's
 * Markdown (import_convert).
 *
 * Promises:
 *  - nothing is written into SRC, and reads stay under it (fsx_confine);
 *  - everything is read, checked and converted before the first write: a
 *    bad input (a nav naming a missing page, a cycle, a binary file named
 *    .md, SRC a file) is one error, printed once, and nothing is written;
 *  - every construct not converted is listed in DIR/IMPORT.md as
 *    `file:line: what it is; what was done`, and an unknown block is kept
 *    in the page as a visible "not converted" notice, never dropped;
 *  - bounded work: page count, page size, nav nesting and asset size are
 *    capped (IMPORT_MAX_*). */
#ifndef PHARE_IMPORT_H
#define PHARE_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/buf.h"
#include "content/model.h"
#include "util/map.h"
#include "util/status.h"

/* The deepest folder level under content/<lang>/ the importer writes: the
 * model's.  Deeper trees are folded into the deepest allowed level, and
 * each fold listed in IMPORT.md. */
#define IMPORT_MAX_DEPTH MODEL_MAX_DEPTH

#define IMPORT_MAX_PAGES 20000
/* A page larger than phare's default max_article_bytes (256 KiB) is
 * imported, and site.yaml raises the limit to fit it. */
#define IMPORT_MAX_PAGE_BYTES (4u * 1024u * 1024u)
#define IMPORT_DEFAULT_ARTICLE_BYTES (256u * 1024u)
#define IMPORT_MAX_ASSET_BYTES (64u * 1024u * 1024u)
#define IMPORT_MAX_NEST 32 /* nav nesting, block nesting */
#define IMPORT_MAX_NAV_BYTES (4u * 1024u * 1024u)

/* What was converted, counted for the summary. */
typedef enum import_kind {
	IMPORT_NOTICE,
	IMPORT_TABS,
	IMPORT_CODE_TITLE,
	IMPORT_LINK,
	IMPORT_FIGURE,
	IMPORT_STEPPER,
	IMPORT_EMBED,
	IMPORT_HEADING_ID,
	IMPORT_NOT_CONVERTED,
	IMPORT_KIND_COUNT
} import_kind;

typedef struct import_page import_page;
struct import_page {
	const char *src;        /* path under the source root ("guide/install.md"); NULL: a group */
	const char *file;       /* the file read for this language (src, or "install.fr.md"); NULL: src */
	bool absent;            /* not in this language: placed (links to it resolve) but not written */
	bool home;              /* the format says: the language's home text */
	const char *slug;       /* the format's name for the page's file (Hugo's slug:), or NULL */
	char updated[11];       /* "YYYY-MM-DD" or "" */
	const char *aliases[8]; /* the source's own aliases (Hugo), listed with the old URLs */
	size_t n_aliases;
	const char *redirects[9]; /* what is written as aliases: (old URLs phare can serve) */
	size_t n_redirects;
	int body_line; /* the line of the file text starts on (after front matter a format cut), or 0 */
	bool draft;
	const char *title; /* from the nav; the page's own heading may replace it */
	const char *nav_file;
	int nav_line;
	import_page *parent, *first, *last, *next;
	size_t depth; /* nav depth, 0 at the top */

	/* read and converted */
	const char *text; /* the source file, NUL-terminated */
	size_t text_len;
	const char *description;
	buf body; /* the converted Markdown */

	/* placed */
	const char *dir;  /* "" (the language's root) or "section", … */
	const char *name; /* "install.md" or "_index.md" */
	size_t weight;
	bool own_dir; /* this page is its folder's _index.md */
	map ids;      /* heading ids of the page (anchors links may keep) -> the id */
	map aka;      /* the ids other tools give those headings ("tags-emojis") -> phare's */
};

typedef struct import_ctx import_ctx;

/* What an import writes (paths under DIR), held until every language of
 * the source is converted, so that an error in any of them leaves DIR as
 * it was (import.c). */
typedef struct import_file {
	char *path; /* "content/fr/guide.md" */
	buf data;
	bool replace; /* may write over a file (site.yaml, IMPORT.md, --force) */
} import_file;

typedef struct import_pending {
	import_file *files;
	size_t n, cap;
	buf summary; /* the summaries, printed once all is written */
} import_pending;

/* A format: reads the source tree's navigation into ctx's tree (pages in
 * order, their texts read), then converts one page at a time. */
typedef struct import_format {
	const char *name;
	phare_status (*load)(import_ctx *cx);
	phare_status (*convert)(import_ctx *cx, import_page *p);
	/* The page's URL on the old site (for aliases), into out. */
	void (*old_url)(const import_page *p, buf *out);
} import_format;

struct import_ctx {
	const import_format *fmt;
	const char *src;  /* SRC as given */
	const char *root; /* the folder pages are read from (SRC, or .gitbook.yaml's root) */
	const char *out;
	const char *lang;
	arena a;
	import_page top; /* the tree's root (no page) */
	import_page **pages;
	size_t n_pages, cap_pages;
	map by_src;          /* src path -> page */
	map taken;           /* "dir/name" written -> the source it came from */
	map assets;          /* "dir\nsrc" -> the name the asset got in dir */
	const char **copies; /* pairs: src path, out path ("dir/name") */
	size_t n_copies, cap_copies;
	buf report;        /* IMPORT.md lines of this import */
	buf old_urls;      /* the "Old URLs" list */
	bool default_lang; /* this import is the site's default language: its old URLs become aliases */
	map redirected;    /* the aliases written, so that no two pages claim one */
	size_t counts[IMPORT_KIND_COUNT];
	size_t n_notes;
	map tally;                /* what was kept as written ("shortcode children") -> count */
	const char **tally_order; /* its keys in the order first seen */
	size_t n_tally, cap_tally;
	const char *site_title;
	import_page *general; /* the section of top-level pages, made when needed */
	size_t weight;        /* the last weight given: pages in nav order */
	size_t largest;       /* the largest page written, in bytes */
	bool home;            /* the language's _index.md is taken */
	const char *base;     /* while set: the folder relative links resolve from (raw HTML) */
	/* languages: a format that finds several (mkdocs-static-i18n) sets
	 * lang to the default one's code in load, and lists the others; each
	 * is then imported in turn into the same DIR, with variant set */
	const char *variant;
	const char *more_langs[32];
	size_t n_more;
	/* the old site's URL prefix of this language ("fr" for /fr/…), when
	 * it kept the language in a folder; NULL for none */
	const char *old_prefix;
	bool jinja;              /* the source renders Jinja tags in pages (MkDocs' macros plugin) */
	import_pending *pending; /* shared by the languages of one run */
	struct {                 /* what site.yaml holds already (import_read_site) */
		const char *codes[SITE_MAX_LANGUAGES], *names[SITE_MAX_LANGUAGES];
		size_t n;
		const char *title;
		size_t largest;
	} site;
};

/* Runs the whole import (see above); prints the summary.  lang: a valid
 * language code, or NULL (the source's own, else en); force: write into a
 * non-empty DIR. */
phare_status import_run(const import_format *fmt, const char *src, const char *out, const char *lang,
			bool force) PHARE_MUST_USE;

/* The formats. */
extern const import_format import_gitbook;
extern const import_format import_mkdocs;
extern const import_format import_hugo;

/* ---- for the formats ---- */

/* A new page (src NULL: a group) appended under parent, in arena memory. */
import_page *import_add_page(import_ctx *cx, import_page *parent, const char *src, const char *title,
			     const char *nav_file, int nav_line);
/* Reads p's source file (cx->root/p->src) into p->text, checking that it is
 * text (UTF-8, no NUL byte) and within IMPORT_MAX_PAGE_BYTES: an error at
 * nav_file:nav_line otherwise. */
phare_status import_read_page(import_ctx *cx, import_page *p) PHARE_MUST_USE;
/* One IMPORT.md line: "file:line: what; done". */
void import_note(import_ctx *cx, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Counts one more of what (copied) kept as written, for IMPORT.md's tally. */
void import_tally(import_ctx *cx, const char *what);
/* Counts a conversion for the summary. */
static inline void import_count(import_ctx *cx, import_kind k) { cx->counts[k]++; }
/* Rewrites the links and images of one Markdown line of page p (line: its
 * source line) into out: pages to their new source paths, images and files
 * copied beside the article. */
void import_line_links(import_ctx *cx, import_page *p, int line, const char *s, size_t n, buf *out);
/* The <img> tags of a raw HTML block (html[0..n), starting on line) as
 * Markdown images, one paragraph each, into out; relative src resolve from
 * base (a folder under the root; NULL: the page's own).  Their number. */
size_t import_html_images(import_ctx *cx, import_page *p, int line, const char *html, size_t n, const char *base,
			  buf *out);
/* A relative path as written in a link (escapes and %xx decoded,
 * "./" and ".." resolved against from_dir): a new string in cx's arena, or
 * NULL if it leaves the source root. */
char *import_resolve(import_ctx *cx, const char *from_dir, const char *dest, size_t n);
/* The id phare gives heading id or anchor frag of page p (its own, or the
 * one GitBook and MkDocs would make from the same text), or NULL. */
const char *import_page_id(const import_page *p, const char *frag);
/* The page for a resolved source path: the file, path.md, or the folder's
 * README.md / index.md / _index.md. */
import_page *import_find_page(import_ctx *cx, const char *path);
/* Appends the lines of text prefixed with prefix ("> "), a bare ">" for
 * empty lines. */
void import_quote(buf *out, const char *prefix, const char *text, size_t n);
/* An ASCII slug for a file or folder name ("Rule Set" -> "rule-set"). */
char *import_slug(import_ctx *cx, const char *s, size_t n);
/* Whether rel (under the root) is a symbolic link: folders walked do not
 * follow them (a link to "." would list the tree again and again). */
bool import_is_link(import_ctx *cx, const char *rel);
/* The folder part of a source path ("a/b.md" -> "a", "b.md" -> ""). */
char *import_dirname(import_ctx *cx, const char *path);

#endif

/* markdown.h: an article's Markdown body to HTML, with cmark.
 *
 * On top of cmark: headings get stable, unique ids (from their text, accents
 * folded: "Définition" -> "definition", then "definition-2"…) and are listed
 * for the table of contents; every link and image URL goes through the
 * caller's resolver (which checks it and applies the base path); fenced code
 * blocks whose info string starts with "table " or "questionnaire " are
 * handed to the caller's block hook, whose HTML replaces them; quotes
 * marked "> [!NOTE]" … "> [!TABS]" become notices and tabs (callout.h);
 * other code blocks are highlighted (render/highlight.h), an unknown
 * language being a warning at its fence.  Raw HTML is
 * left out (cmark's safe mode, which also drops javascript: URLs) unless
 * unsafe_html is set.  Line numbers given to callbacks and messages are the
 * file's, front matter included. */
#ifndef PHARE_MARKDOWN_H
#define PHARE_MARKDOWN_H

#include <stdbool.h>
#include <stddef.h>

#include "render/callout.h"
#include "util/buf.h"
#include "util/status.h"

/* The body's text, in document order, as the HTML cmark makes of it reads
 * once its tags are dropped: block elements separate words (MD_TEXT_BREAK),
 * inline ones do not; an image's alt text is no text (it is an attribute);
 * raw HTML (when allowed) and hook blocks come as HTML fragments; h1-h3
 * open and close with their ids.  Made for search/page.h's builder, which
 * build/pages.c connects to it. */
typedef enum md_text_kind {
	MD_TEXT_PLAIN,         /* s[0..n): plain text */
	MD_TEXT_BREAK,         /* a block starts or ends (s NULL, n 0) */
	MD_TEXT_HEADING_OPEN,  /* an h1-h3 opens; s: its id (NUL-terminated, n its length) */
	MD_TEXT_HEADING_CLOSE, /* it closes; s: its id */
	MD_TEXT_HTML,          /* s: an HTML fragment (NUL-terminated, n its length) */
} md_text_kind;

typedef struct md_env {
	const char *path;   /* shown in messages */
	int first_line;     /* the file's line on which the text starts */
	bool unsafe_html;
	/* Rewrites url (link or image) into out, or reports an error at
	 * path:line:col and returns non-zero. */
	phare_status (*link)(void *ctx, const char *url, bool image, int line, int col, buf *out);
	/* Appends the HTML for a ```table …``` or ```questionnaire …``` block
	 * (info is the whole info string), or reports an error. */
	phare_status (*block)(void *ctx, const char *info, int line, buf *out);
	void *ctx;
	/* When not NULL: receives the body's text as the search index reads it
	 * (md_text_kind), with ctx, taken from cmark's tree rather than by
	 * parsing the HTML again.  Called only when the render succeeds. */
	void (*text)(void *ctx, md_text_kind kind, const char *s, size_t n);
	/* Notices and tabs (callout.h): default titles in the page's language
	 * and site.yaml's aliases; NULL: English titles, no aliases. */
	const callout_env *callouts;
	/* When not NULL: the width and height of the image at url (as link
	 * rewrote it), true, or false when unknown (render/md_image.h). */
	bool (*image_size)(void *ctx, const char *url, int *w, int *h);
	/* When not NULL: the name of footnotes' back-links, in the page's
	 * language (cmark-gfm writes "Back to content"). */
	const char *footnote_back;
	/* When not NULL: "Table" in the page's language, which names the
	 * scrolling region around each pipe table (md_ext_table_wrap). */
	const char *table_name;
} md_env;

typedef struct md_heading {
	int level;  /* 1..6 */
	char *id;   /* unique in the document */
	char *text; /* plain text */
} md_heading;

typedef struct md_doc {
	buf html;
	md_heading *headings;
	size_t n_headings, cap_headings;
	bool has_code;          /* a highlighted code block (its page loads code.css) */
	bool has_tabs;          /* a [!TABS] group (its page loads tabs.js) */
	bool has_questionnaire; /* a questionnaire block (its page loads questionnaire.css) */
	bool has_footnotes;     /* a footnote, referenced or defined */
} md_doc;

#define MD_DOC_INIT                                                                                                    \
	{                                                                                                              \
		BUF_INIT, NULL, 0, 0, false, false, false, false                                                       \
	}

/* Renders text; *doc must be MD_DOC_INIT or released.  Every problem is
 * reported (the render goes on to find them all); the status is the first.
 * A text with more than 1,000 image openers "![" is refused (PHARE_ERR_LIMIT,
 * reported at the 1,001st): cmark 0.30 is quadratic on them (markdown.c). */
phare_status markdown_render(const md_env *env, const char *text, size_t len, md_doc *doc) PHARE_MUST_USE;
void md_doc_release(md_doc *doc);
/* True when plain CommonMark (cmark_markdown_to_html, no extension, no
 * option but UNSAFE) renders md as "<p>" md "</p>\n": text needing neither
 * parsing nor escaping.  Most cells of a comparison table ("Oui", "4 vCPU",
 * "Jusqu'à 64 Go") are, and cmark was a third of loading the tables. */
bool markdown_is_plain(const char *md);
/* True when doc has a heading with this id. */
bool md_doc_has_id(const md_doc *doc, const char *id);
/* Appends the id slug of text ("Définition du VPS" -> "definition-du-vps",
 * "Ångström" -> "angstrom"): letters folded as the search folds them. */
void markdown_slug(const char *text, buf *out);

#endif

/* page.h: a page's body as the search index sees it: the rendered HTML
 * reduced to plain text segments (headings apart, each segment tagged with
 * the heading section it belongs to), and short excerpts for snippets. */
#ifndef PHARE_SEARCH_PAGE_H
#define PHARE_SEARCH_PAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

#define SEARCH_MAX_HEADINGS 40 /* later headings count as text of the last */
#define SEARCH_INTRO_CHARS 200
#define SEARCH_SECTION_CHARS 100

typedef struct search_segment {
	size_t off, len; /* in search_page.text */
	unsigned sect;   /* 0: before the first heading; i: in/under heading i (1-based) */
	bool heading;    /* the heading's own text */
} search_segment;

typedef struct search_heading {
	char *id;    /* the id attribute, "" if none */
	char *text;  /* plain text */
	char *start; /* the first SEARCH_SECTION_CHARS characters of its section */
} search_heading;

typedef struct search_page {
	buf text;     /* all plain text, whitespace collapsed to single spaces */
	search_segment *segs;
	size_t n_segs, cap_segs;
	search_heading *heads;
	size_t n_heads, cap_heads;
	char *intro;  /* the first SEARCH_INTRO_CHARS characters before any heading */
} search_page;

#define SEARCH_PAGE_INIT { BUF_INIT, NULL, 0, 0, NULL, 0, 0, NULL }

/* Parses html (NULL: empty) into p (initialised with SEARCH_PAGE_INIT).
 * Tags are dropped (block-level ones separate words, inline ones do not),
 * entities decoded; the content of script, style, template, noscript, svg
 * and of elements with a data-search-ignore attribute is skipped. */
void search_page_parse(search_page *p, const char *html);
void search_page_release(search_page *p);

/* The same page made piece by piece, in document order, by a caller that
 * has the document's structure already (markdown.c walks cmark's tree, so
 * the rendered HTML need not be parsed again): text, block boundaries,
 * headings (h1-h3: open, text, close) and HTML fragments (raw HTML, hook
 * blocks), parsed as search_page_parse would, with one state throughout. */
typedef struct search_page_builder search_page_builder;
search_page_builder *search_page_begin(search_page *p); /* p: SEARCH_PAGE_INIT */
void search_page_text(search_page_builder *b, const char *s, size_t n); /* plain text */
void search_page_break(search_page_builder *b);                       /* a block starts or ends */
void search_page_heading(search_page_builder *b, const char *id, bool open);
void search_page_html(search_page_builder *b, const char *html);
void search_page_end(search_page_builder *b); /* excerpts; frees b */

/* Appends s[0..n) to out, cut to at most max_chars code points at a word
 * boundary, with "…" when cut. */
void search_page_cut(const char *s, size_t n, size_t max_chars, buf *out);

#endif

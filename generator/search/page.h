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

/* Appends s[0..n) to out, cut to at most max_chars code points at a word
 * boundary, with "…" when cut. */
void search_page_cut(const char *s, size_t n, size_t max_chars, buf *out);

#endif

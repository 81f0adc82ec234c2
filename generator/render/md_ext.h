/* md_ext.h: what phare adds to cmark-gfm's tree (render/markdown.c).
 *
 * - The parser, with the GitHub extensions attached: tables (with
 *   alignment), ~~strikethrough~~ (double tildes only: a lone '~' is a home
 *   folder in help articles), autolinks, task lists, footnotes; and the tag
 *   filter when raw HTML is allowed.
 * - Task-list items: cmark-gfm's checkbox has no accessible name; the item
 *   is rendered as a plain <li> whose first paragraph starts with a disabled
 *   checkbox labelled with that paragraph's text.
 * - Pipe tables in a scrolling region, named by their header row.
 * - Heading attributes: "## Étape 2 {#step2}" gives the heading the id
 *   "step2" (Hugo, Zola, MkDocs); the "{#step2}" leaves the heading's text.
 *
 * Nodes made here come from the mem given (the render's pool). */
#ifndef PHARE_MD_EXT_H
#define PHARE_MD_EXT_H

#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <stdbool.h>

#include "util/buf.h"

/* The options every parse and render uses (unsafe_html adds CMARK_OPT_UNSAFE). */
int md_ext_options(bool unsafe_html);
/* A parser with the extensions attached; free with cmark_parser_free, after
 * rendering with cmark_parser_get_syntax_extensions (the tag filter works
 * at render time).  Thread-safe. */
cmark_parser *md_ext_parser_new(int options, bool unsafe_html, cmark_mem *mem);

/* When item is a task-list item: makes it a plain item whose first
 * paragraph starts with MD_EXT_BOX ("<input type=\"checkbox\" disabled…"). */
void md_ext_tasklist(cmark_node *item, cmark_mem *mem);
#define MD_EXT_BOX "<input type=\"checkbox\" disabled"

/* Appends html with the tag filter's change (GitHub's "disallowed raw
 * HTML"): the '<' of <script>, <style>, <iframe>, <textarea>, <title>,
 * <xmp>, <noembed>, <noframes> and <plaintext> becomes "&lt;", as cmark-gfm
 * writes them when unsafe_html is on. */
void md_ext_tagfilter(const char *html, buf *out);

/* True when id is one cmark-gfm gives a footnote of text: "fn-LABEL" or
 * "fnref-LABEL" ("fnref-LABEL-2"…) where "[^LABEL]" is in text; heading
 * ids keep clear of them, so that ids stay unique on the page. */
bool md_ext_footnote_id(const char *id, const char *text, size_t len);

/* Appends html with the aria-label of cmark-gfm's footnote back-links
 * ("Back to content") replaced by label (escaped). */
void md_ext_footnote_back(const char *html, const char *label, buf *out);

/* True when n is a pipe table (cmark-gfm's table extension). */
bool md_ext_is_table(cmark_node *n);
/* Puts table inside <div class="table-scroll" role="region" tabindex="0"
 * aria-label="NAME: header cells">: a table wider than a phone's screen
 * scrolls inside it, and a keyboard reaches it to scroll it (WCAG 2.1.1;
 * axe's scrollable-region-focusable).  name: "Table" in the page's
 * language (NULL: English). */
void md_ext_table_wrap(cmark_node *table, const char *name, cmark_mem *mem);

typedef enum md_attr {
	MD_ATTR_NONE, /* no "{#…}" at the end of the heading */
	MD_ATTR_OK,   /* id holds it; it is gone from the heading's text */
	MD_ATTR_BAD,  /* "{#…}" with characters other than A-Z a-z 0-9 - _ (id holds them) */
} md_attr;
/* Looks for " {#id}" at the end of heading h's text. */
md_attr md_ext_heading_attr(cmark_node *h, buf *id);

#endif

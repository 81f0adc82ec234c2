/* md_ext.c: cmark-gfm's extensions, task-list checkboxes with a name, and
 * "{#id}" heading attributes (md_ext.h). */
#include "render/md_ext.h"

#include <dlfcn.h>

#include <cmark-gfm-core-extensions.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t md_ext_once = PTHREAD_ONCE_INIT;
static cmark_syntax_extension *md_ext_tasklist_ext;
/* The table extension's node type: registered at run time, and not in
 * Debian's headers; read off a table parsed once. */
static cmark_node_type md_ext_table_type = CMARK_NODE_NONE;

static void md_ext_find_table_type(void)
{
	static const char table[] = "| a |\n|---|\n";
	cmark_syntax_extension *e = cmark_find_syntax_extension("table");
	cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
	if (e)
		cmark_parser_attach_syntax_extension(p, e);
	cmark_parser_feed(p, table, sizeof table - 1);
	cmark_node *doc = cmark_parser_finish(p);
	cmark_node *t = cmark_node_first_child(doc);
	if (t && strcmp(cmark_node_get_type_string(t), "table") == 0)
		md_ext_table_type = cmark_node_get_type(t);
	cmark_node_free(doc);
	cmark_parser_free(p);
}

static const char *const md_ext_names[] = { "table", "strikethrough", "autolink", "tasklist" };

/* A parser with phare's extensions (not tagfilter). */
static cmark_parser *md_ext_attach(cmark_parser *p)
{
	for (size_t i = 0; i < sizeof md_ext_names / sizeof md_ext_names[0]; i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(md_ext_names[i]);
		if (e)
			cmark_parser_attach_syntax_extension(p, e);
	}
	return p;
}

/* cmark-gfm (0.29.0.gfm.6, Debian's) keeps the inline parser's special
 * characters in one global table: cmark_parser_finish calls this function
 * to add its extensions' characters ('~', '|', ':', 'w') before it parses
 * the inlines and to remove them after.  Two threads parsing at once race:
 * one removes '~' while the other parses, whose "~~struck~~" and bare URLs
 * then stay text, a few pages in a hundred (github/cmark-gfm#176, #221,
 * still open).  phare's definition takes the library's place (the library
 * calls it through its PLT): it adds, and never removes.  Every parser phare
 * makes has the same extensions (md_ext_parser_new), so the characters one
 * parser adds are those every other one needs; md_ext_register adds them
 * once before any thread parses, so later adds write what is there.  Were
 * the table per parser (a fixed cmark-gfm), adding would still work and
 * leaving a freed parser's characters would not matter. */
static void (*md_ext_manage_special)(cmark_parser *, int);

void cmark_manage_extensions_special_characters(cmark_parser *parser, int add)
{
	if (add && md_ext_manage_special)
		md_ext_manage_special(parser, add);
}

static void md_ext_special_chars(void)
{
	*(void **)&md_ext_manage_special = dlsym(RTLD_NEXT, "cmark_manage_extensions_special_characters");
	cmark_parser *p = md_ext_attach(cmark_parser_new(CMARK_OPT_DEFAULT));
	cmark_manage_extensions_special_characters(p, true);
	cmark_parser_free(p);
}

/* cmark-gfm registers its extensions in a global list, without a lock:
 * once, before any thread parses. */
static void md_ext_register(void)
{
	cmark_gfm_core_extensions_ensure_registered();
	md_ext_tasklist_ext = cmark_find_syntax_extension("tasklist");
	md_ext_special_chars();
	md_ext_find_table_type();
}

int md_ext_options(bool unsafe_html)
{
	return CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES | CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE |
	       (unsafe_html ? CMARK_OPT_UNSAFE : 0);
}

cmark_parser *md_ext_parser_new(int options, bool unsafe_html, cmark_mem *mem)
{
	pthread_once(&md_ext_once, md_ext_register);
	cmark_parser *p = md_ext_attach(cmark_parser_new_with_mem(options, mem));
	cmark_syntax_extension *tf = unsafe_html ? cmark_find_syntax_extension("tagfilter") : NULL;
	if (tf)
		cmark_parser_attach_syntax_extension(p, tf);
	return p;
}

static void md_ext_text(cmark_node *node, buf *out)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		const char *lit;
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if ((t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) && (lit = cmark_node_get_literal(n)))
			buf_adds(out, lit);
		else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			buf_addc(out, ' ');
	}
	cmark_iter_free(it);
}

void md_ext_tasklist(cmark_node *item, cmark_mem *mem)
{
	if (!md_ext_tasklist_ext || cmark_node_get_syntax_extension(item) != md_ext_tasklist_ext)
		return;
	bool checked = cmark_gfm_extensions_get_tasklist_item_checked(item);
	cmark_node *first = cmark_node_first_child(item);
	buf label = BUF_INIT, html = BUF_INIT;
	if (first)
		md_ext_text(first, &label);
	buf_adds(&html, MD_EXT_BOX);
	buf_adds(&html, checked ? " checked" : "");
	buf_adds(&html, " aria-label=\"");
	buf_adds_html(&html, label.ptr);
	buf_adds(&html, "\"> ");
	cmark_node_set_syntax_extension(item, NULL); /* a plain <li> */
	bool inline_box = first && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH;
	cmark_node *box = cmark_node_new_with_mem(inline_box ? CMARK_NODE_CUSTOM_INLINE : CMARK_NODE_CUSTOM_BLOCK, mem);
	cmark_node_set_on_enter(box, html.ptr);
	cmark_node_prepend_child(inline_box ? first : item, box);
	buf_release(&label);
	buf_release(&html);
}

static bool md_ext_id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

md_attr md_ext_heading_attr(cmark_node *h, buf *id)
{
	/* Inline parsing may split "{#my_id}" into several text nodes ('_' and
	 * 'w' start inline syntax): join them first. */
	cmark_consolidate_text_nodes(h);
	cmark_node *last = cmark_node_last_child(h);
	if (!last || cmark_node_get_type(last) != CMARK_NODE_TEXT)
		return MD_ATTR_NONE;
	const char *lit = cmark_node_get_literal(last);
	size_t n = lit ? strlen(lit) : 0;
	if (n < 3 || lit[n - 1] != '}')
		return MD_ATTR_NONE;
	size_t k = n - 1;
	while (k > 0 && !(lit[k - 1] == '{' && lit[k] == '#'))
		k--;
	if (k == 0 || (k >= 2 && lit[k - 2] != ' ' && lit[k - 2] != '\t'))
		return MD_ATTR_NONE; /* no "{#", or glued to a word: text, not an attribute */
	const char *start = lit + k + 1, *end = lit + n - 1;
	buf_add(id, start, (size_t)(end - start));
	bool ok = start < end;
	for (const char *p = start; p < end; p++)
		ok = ok && md_ext_id_char(*p);
	if (!ok)
		return MD_ATTR_BAD;
	size_t keep = k - 1;
	while (keep > 0 && (lit[keep - 1] == ' ' || lit[keep - 1] == '\t'))
		keep--;
	buf rest = BUF_INIT;
	buf_add(&rest, lit, keep);
	cmark_node_set_literal(last, rest.ptr);
	buf_release(&rest);
	return MD_ATTR_OK;
}

/* As cmark-gfm's tagfilter.c is_tag: "<name" or "</name" (any case)
 * followed by white space, '>' or "/>". */
static bool md_ext_is_tag(const char *p, size_t n, const char *name)
{
	size_t i = 1;
	if (n < 3 || p[0] != '<')
		return false;
	if (p[i] == '/')
		i++;
	for (; i < n && *name; i++, name++)
		if ((p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 'a' - 'A' : p[i]) != *name)
			return false;
	if (*name || i == n)
		return false;
	return p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r' || p[i] == '\f' || p[i] == '>' ||
	       (p[i] == '/' && i + 1 < n && p[i + 1] == '>');
}

void md_ext_tagfilter(const char *html, buf *out)
{
	static const char *const tags[] = { "title",   "textarea", "style",  "xmp",      "iframe",
					    "noembed", "noframes", "script", "plaintext" };
	size_t n = strlen(html), from = 0;
	for (size_t i = 0; i < n; i++) {
		if (html[i] != '<')
			continue;
		for (size_t t = 0; t < sizeof tags / sizeof tags[0]; t++)
			if (md_ext_is_tag(html + i, n - i, tags[t])) {
				buf_add(out, html + from, i - from);
				buf_adds(out, "&lt;");
				from = i + 1;
				break;
			}
	}
	buf_add(out, html + from, n - from);
}

/* How many times "[^label]" is in text (references, and the definition). */
static size_t md_ext_label_count(const char *label, size_t n, const char *text, size_t len)
{
	buf needle = BUF_INIT;
	buf_adds(&needle, "[^");
	buf_add(&needle, label, n);
	buf_addc(&needle, ']');
	size_t count = 0;
	const char *p = text, *end = text + len, *m;
	while (p < end && (m = memmem(p, (size_t)(end - p), needle.ptr, needle.len)) != NULL) {
		count++;
		p = m + needle.len;
	}
	buf_release(&needle);
	return count;
}

bool md_ext_footnote_id(const char *id, const char *text, size_t len)
{
	bool ref = strncmp(id, "fnref-", 6) == 0;
	if (!ref && strncmp(id, "fn-", 3) != 0)
		return false;
	const char *label = id + (ref ? 6 : 3);
	size_t n = strlen(label);
	if (n && md_ext_label_count(label, n, text, len) > 0)
		return true;
	if (!ref)
		return false;
	/* "fnref-LABEL-N": the Nth reference to LABEL, when there are N (a
	 * bound: heading ids try N = 2, 3… until one is free). */
	size_t k = n;
	while (k > 0 && label[k - 1] >= '0' && label[k - 1] <= '9')
		k--;
	if (!(k > 1 && k < n && n - k < 10 && label[k - 1] == '-'))
		return false;
	unsigned long nth = strtoul(label + k, NULL, 10);
	return nth >= 2 && nth <= md_ext_label_count(label, k - 1, text, len);
}

void md_ext_footnote_back(const char *html, const char *label, buf *out)
{
	static const char from[] = "aria-label=\"Back to content\"";
	const char *p = html, *m;
	while ((m = strstr(p, from)) != NULL) {
		buf_add(out, p, (size_t)(m - p));
		buf_adds(out, "aria-label=\"");
		buf_adds_html(out, label);
		buf_addc(out, '"');
		p = m + sizeof from - 1;
	}
	buf_adds(out, p);
}

bool md_ext_is_table(cmark_node *n)
{
	return md_ext_table_type != CMARK_NODE_NONE && cmark_node_get_type(n) == md_ext_table_type;
}

/* The text of the table's header row, cells joined by ", " (empty ones
 * left out); the cells after the first MD_EXT_TABLE_NAME bytes become "…". */
#define MD_EXT_TABLE_NAME 80
static void md_ext_table_head(cmark_node *table, buf *out)
{
	cmark_node *row = cmark_node_first_child(table);
	for (cmark_node *cell = row ? cmark_node_first_child(row) : NULL; cell; cell = cmark_node_next(cell)) {
		if (out->len > MD_EXT_TABLE_NAME) {
			buf_adds(out, ", …");
			return;
		}
		size_t before = out->len;
		if (before)
			buf_adds(out, ", ");
		size_t start = out->len;
		md_ext_text(cell, out);
		size_t end = out->len;
		while (end > start && out->ptr[end - 1] == ' ')
			end--; /* "RAM <b>": the space before raw HTML left out */
		buf_truncate(out, end == start ? before : end);
	}
}

void md_ext_table_wrap(cmark_node *table, const char *name, cmark_mem *mem)
{
	buf enter = BUF_INIT, head = BUF_INIT;
	md_ext_table_head(table, &head);
	buf_adds(&enter, "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"");
	buf_adds_html(&enter, name && *name ? name : "Table");
	if (head.len) {
		buf_adds(&enter, ": ");
		buf_adds_html(&enter, head.ptr);
	}
	buf_adds(&enter, "\">\n");
	cmark_node *wrap = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, mem);
	cmark_node_set_on_enter(wrap, enter.ptr);
	cmark_node_set_on_exit(wrap, "</div>");
	cmark_node_insert_before(table, wrap);
	cmark_node_append_child(wrap, table); /* unlinks it */
	buf_release(&enter);
	buf_release(&head);
}

/* callout.c: notices and tabs, made of marked block quotes (callout.h).
 *
 * The tree is walked once with cmark's iterator, and a marked quote is
 * rewritten when the walk leaves it: cmark allows changing a node after its
 * EXIT event, the iterator having already stepped to its sibling or parent.
 * So quotes nested in a quote are rewritten before it, and a [!TABS] block
 * finds its panels as quotes or as notices made already.  What is made here
 * are custom blocks, whose HTML cmark writes as is; the ones that stand for a
 * whole quote are marked (user data CALLOUT_MADE), so that a panel may be one.
 *
 * A [!TABS] block is checked whole before it is changed: on an error it is
 * left as the quote it was (the build fails anyway). */
#include "render/callout.h"

#include <cmark-gfm.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/map.h"
#include "util/xalloc.h"

static char callout_made; /* its address marks the nodes made from a quote */
#define CALLOUT_MADE ((void *)&callout_made)

static const char *const kind_names[CALLOUT_KINDS] = { "note", "tip", "important", "warning", "caution" };
static const char *const english[CALLOUT_KINDS] = { "Note", "Tip", "Important", "Warning", "Caution" };

/* 16-pixel icons in the text's colour (phare.css: fill currentColor, even-odd
 * rule, so that the inner shapes are holes): an "i" in a circle, a bulb, a
 * speech bubble, a triangle and an octagon with "!". */
static const char *const icons[CALLOUT_KINDS] = {
	"M8 0a8 8 0 1 1 0 16A8 8 0 0 1 8 0zm0 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13zM7 7h2v5H7zm0-3h2v2H7z",
	"M8 0a5.5 5.5 0 0 0-3.2 10v2h6.4v-2A5.5 5.5 0 0 0 8 0zM5 13h6v1.2H5zm1.5 2h3v1h-3z",
	"M1 1h14v11H7l-4 3v-3H1zm6 2h2v5H7zm0 6h2v2H7z",
	"M8 .5 16 15H0zM7 5h2v5H7zm0 6h2v2H7z",
	"M4.7 0h6.6L16 4.7v6.6L11.3 16H4.7L0 11.3V4.7zM7 3.5h2v6H7zm0 7.5h2v2H7z",
};

const char *callout_kind_name(callout_kind kind) { return kind < CALLOUT_KINDS ? kind_names[kind] : ""; }

int callout_kind_find(const char *name, size_t len)
{
	for (int k = 0; k < CALLOUT_KINDS; k++)
		if (strlen(kind_names[k]) == len && strncasecmp(kind_names[k], name, len) == 0)
			return k;
	return -1;
}

typedef struct callout_ctx {
	const callout_env *env;
	const char *path;
	int first_line;
	const char *text;
	size_t len;
	size_t *lines; /* offsets of the text's line starts, made when first needed */
	size_t n_lines;
	cmark_mem *mem;
	phare_status first;
	size_t tab_groups; /* made so far */
} callout_ctx;

/* Reports at line and col of the tree (the text's), and keeps the first status. */
#define CALLOUT_ERROR(c, line, col, ...)                                                                               \
	do {                                                                                                           \
		diag_error((c)->path, (c)->first_line - 1 + (line), (col), __VA_ARGS__);                               \
		if (!(c)->first)                                                                                       \
			(c)->first = PHARE_ERR_INPUT;                                                                  \
	} while (0)

/* ---- the marker: "[!NAME]", then '+' or '-', then the title ---- */

typedef enum marker_type { MARK_NONE, MARK_NOTICE, MARK_TABS } marker_type;

typedef struct marker {
	marker_type type;
	callout_kind kind;
	char fold;     /* 0, '+' (open) or '-' (closed) */
	size_t used;   /* bytes of the leading text taken, spaces after it included */
	int line, col; /* of the marker */
	bool title;    /* something follows it on its line */
} marker;

static bool is_break(cmark_node *n)
{
	cmark_node_type t = cmark_node_get_type(n);
	return t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK;
}

/* The quote's first line, when it is a marker.  An unknown name is reported
 * (and read as no marker). */
static marker marker_read(callout_ctx *c, cmark_node *quote)
{
	marker m = { MARK_NONE, CALLOUT_NOTE, 0, 0, 0, 0, false };
	cmark_node *para = cmark_node_first_child(quote), *n;
	if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
		return m;
	n = cmark_node_first_child(para);
	if (!n || cmark_node_get_type(n) != CMARK_NODE_TEXT || cmark_node_get_literal(n)[0] != '[')
		return m;    /* most quotes: no need to join their text */
	buf lead = BUF_INIT; /* the text nodes that start the line, joined */
	for (n = cmark_node_first_child(para); n && cmark_node_get_type(n) == CMARK_NODE_TEXT; n = cmark_node_next(n))
		buf_adds(&lead, cmark_node_get_literal(n));
	const char *s = lead.ptr;
	size_t i = 2;
	if (lead.len < 4 || s[0] != '[' || s[1] != '!' ||
	    !((s[2] >= 'A' && s[2] <= 'Z') || (s[2] >= 'a' && s[2] <= 'z')))
		goto out;
	while (i < lead.len && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
				(s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
		i++;
	if (i >= lead.len || s[i] != ']')
		goto out;
	size_t name_len = i - 2, end = i + 1;
	char fold = end < lead.len && (s[end] == '+' || s[end] == '-') ? s[end] : 0;
	if (fold)
		end++;
	if (end < lead.len && s[end] != ' ' && s[end] != '\t')
		goto out; /* "[!NOTE]x": not a marker */
	while (end < lead.len && (s[end] == ' ' || s[end] == '\t'))
		end++;
	m.line = cmark_node_get_start_line(para);
	m.col = cmark_node_get_start_column(para);
	m.fold = fold;
	m.used = end;
	m.title = end < lead.len || (n && !is_break(n));
	int k = callout_kind_find(s + 2, name_len);
	if (k >= 0) {
		m.type = MARK_NOTICE;
		m.kind = (callout_kind)k;
		goto out;
	}
	if (name_len == 4 && strncasecmp(s + 2, "tabs", 4) == 0) {
		m.type = MARK_TABS;
		goto out;
	}
	const callout_env *env = c->env;
	for (size_t a = 0; env && a < env->n_aliases; a++)
		if (strlen(env->aliases[a].name) == name_len &&
		    strncasecmp(env->aliases[a].name, s + 2, name_len) == 0) {
			m.type = MARK_NOTICE;
			m.kind = env->aliases[a].kind;
			goto out;
		}
	buf known = BUF_INIT; /* "[!PRIMARY], [!ALERT]" */
	for (size_t a = 0; env && a < env->n_aliases; a++) {
		buf_adds(&known, a ? ", [!" : "[!");
		for (const char *p = env->aliases[a].name; *p; p++)
			buf_addc(&known, *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p);
		buf_addc(&known, ']');
	}
	if (known.len)
		CALLOUT_ERROR(c, m.line, m.col,
			      "unknown notice '[!%.*s]'; use [!NOTE], [!TIP], [!IMPORTANT], "
			      "[!WARNING], [!CAUTION], [!TABS], or this site's names (site.yaml callouts:) %s",
			      (int)name_len, s + 2, known.ptr);
	else
		CALLOUT_ERROR(c, m.line, m.col,
			      "unknown notice '[!%.*s]'; use [!NOTE], [!TIP], [!IMPORTANT], "
			      "[!WARNING], [!CAUTION] or [!TABS], or map the name onto one of them in site.yaml "
			      "(callouts:)",
			      (int)name_len, s + 2);
	buf_release(&known);
out:
	buf_release(&lead);
	return m;
}

/* Gives n and the inlines under it their own copy of their text, and links
 * their own URL and title.  cmark-gfm leaves them in their paragraph's buffer
 * (a chunk, not a copy: inline text, and the autolink extension's URLs): an
 * inline moved out of a paragraph that is then freed would point into freed
 * memory (seen under AddressSanitizer, where the pool is off). */
static void own_text(cmark_node *n)
{
	buf copy = BUF_INIT;
	cmark_iter *it = cmark_iter_new(n);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *x = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node_type t = cmark_node_get_type(x);
		const char *s;
		/* each is copied first: a setter must not read what it frees */
		if ((s = cmark_node_get_literal(x)) != NULL) {
			buf_reset(&copy);
			buf_adds(&copy, s);
			cmark_node_set_literal(x, copy.ptr);
		}
		if (t != CMARK_NODE_LINK && t != CMARK_NODE_IMAGE)
			continue;
		buf_reset(&copy);
		buf_adds(&copy, cmark_node_get_url(x));
		cmark_node_set_url(x, copy.ptr);
		buf_reset(&copy);
		buf_adds(&copy, cmark_node_get_title(x));
		cmark_node_set_title(x, copy.ptr);
	}
	cmark_iter_free(it);
	buf_release(&copy);
}

/* Takes the marker off the first paragraph of quote: the text it used, and
 * the rest of its line, which goes into title (or is freed when title is
 * NULL).  A paragraph left empty goes too. */
static void marker_take(cmark_node *quote, const marker *m, cmark_node *title)
{
	cmark_node *para = cmark_node_first_child(quote), *n;
	size_t used = m->used;
	buf rest = BUF_INIT;
	while (used > 0 && (n = cmark_node_first_child(para)) != NULL) {
		const char *lit = cmark_node_get_literal(n);
		size_t l = strlen(lit);
		if (l <= used) {
			used -= l;
			cmark_node_free(n);
			continue;
		}
		buf_adds(&rest, lit + used); /* a copy: set_literal frees the old text */
		cmark_node_set_literal(n, rest.ptr);
		used = 0;
	}
	buf_release(&rest);
	while ((n = cmark_node_first_child(para)) != NULL && !is_break(n)) {
		if (!title) {
			cmark_node_free(n);
			continue;
		}
		own_text(n);                       /* para may be freed below */
		cmark_node_append_child(title, n); /* unlinks it */
	}
	if (n)
		cmark_node_free(n); /* the line's end */
	if (!cmark_node_first_child(para))
		cmark_node_free(para);
}

static cmark_node *callout_block(callout_ctx *c, const char *enter, const char *exit)
{
	cmark_node *b = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, c->mem);
	cmark_node_set_on_enter(b, enter);
	cmark_node_set_on_exit(b, exit);
	return b;
}

/* Moves every child of from to the end of to. */
static void move_children(cmark_node *from, cmark_node *to)
{
	cmark_node *n;
	while ((n = cmark_node_first_child(from)) != NULL)
		cmark_node_append_child(to, n);
}

/* ---- notices ---- */

static void notice_make(callout_ctx *c, cmark_node *quote, const marker *m)
{
	const char *name = kind_names[m->kind];
	const char *tag = m->fold ? "details" : "div", *title_tag = m->fold ? "summary" : "p";
	buf enter = BUF_INIT, exit = BUF_INIT, icon = BUF_INIT;
	buf_addf(&enter, "<%s class=\"callout\" data-callout=\"%s\"%s>", tag, name, m->fold == '+' ? " open" : "");
	buf_addf(&exit, "</%s>", tag);
	cmark_node *box = callout_block(c, enter.ptr, exit.ptr);
	cmark_node_set_user_data(box, CALLOUT_MADE);
	buf_addf(&icon,
		 "<svg viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" aria-hidden=\"true\">"
		 "<path d=\"%s\"/></svg>",
		 icons[m->kind]);

	cmark_node *title = callout_block(c, "", "");
	marker_take(quote, m, title);
	cmark_node *t = cmark_node_first_child(title);
	if (t && !cmark_node_next(t) && cmark_node_get_type(t) == CMARK_NODE_TEXT && !*cmark_node_get_literal(t))
		cmark_node_free(t); /* only spaces were left after the marker */
	buf_reset(&enter);
	buf_reset(&exit);
	if (cmark_node_first_child(title)) {
		buf_addf(&enter, "<%s class=\"callout-title\">%s", title_tag, icon.ptr);
		buf_addf(&exit, "</%s>", title_tag);
	} else {
		const char *d = c->env && c->env->titles[m->kind] && *c->env->titles[m->kind] ? c->env->titles[m->kind]
											      : english[m->kind];
		/* the same space after the icon as an author's title has (cmark's line end) */
		buf_addf(&enter, "<%s class=\"callout-title\" data-search-ignore>%s\n", title_tag, icon.ptr);
		buf_adds_html(&enter, d);
		buf_addf(&enter, "</%s>", title_tag);
	}
	cmark_node_set_on_enter(title, enter.ptr);
	cmark_node_set_on_exit(title, exit.ptr);
	cmark_node_insert_before(quote, box);
	cmark_node_append_child(box, title);
	move_children(quote, box);
	cmark_node_free(quote);
	buf_release(&enter);
	buf_release(&exit);
	buf_release(&icon);
}

bool callout_is_made(cmark_node *n) { return cmark_node_get_user_data(n) == CALLOUT_MADE; }

/* ---- tabs ---- */

static bool is_panel(cmark_node *n)
{
	return n && (cmark_node_get_type(n) == CMARK_NODE_BLOCK_QUOTE || cmark_node_get_user_data(n) == CALLOUT_MADE);
}

static const char *node_what(cmark_node *n)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_LIST: return "list";
	case CMARK_NODE_CODE_BLOCK: return "code block";
	case CMARK_NODE_HEADING: return "heading";
	case CMARK_NODE_THEMATIC_BREAK: return "horizontal rule";
	case CMARK_NODE_HTML_BLOCK: return "HTML block";
	default: return "block";
	}
}

/* The label's text (from the inline n on), spaces collapsed; false when it
 * runs over more than one line. */
static bool label_text(cmark_node *n, buf *out)
{
	bool space = false;
	for (; n; n = cmark_node_next(n)) {
		if (is_break(n))
			return false;
		cmark_iter *it = cmark_iter_new(n);
		cmark_event_type ev;
		while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
			cmark_node *x = cmark_iter_get_node(it);
			cmark_node_type t = cmark_node_get_type(x);
			if (is_break(x)) {
				cmark_iter_free(it);
				return false;
			}
			if (ev != CMARK_EVENT_ENTER || (t != CMARK_NODE_TEXT && t != CMARK_NODE_CODE))
				continue;
			for (const char *p = cmark_node_get_literal(x); *p; p++) {
				if (*p == ' ' || *p == '\t' || *p == '\n') {
					space = out->len > 0;
					continue;
				}
				if (space)
					buf_addc(out, ' ');
				space = false;
				buf_addc(out, *p);
			}
		}
		cmark_iter_free(it);
	}
	return true;
}

/* The '>' that start line (1-based) of the text, spaces between them
 * skipped, up to col (1-based, 0: the whole prefix). */
static int quote_depth(callout_ctx *c, int line, int col)
{
	if (!c->lines) {
		c->lines = xmalloc(sizeof(size_t) * 2);
		size_t cap = 2;
		c->lines[c->n_lines++] = 0;
		for (size_t i = 0; i < c->len; i++)
			if (c->text[i] == '\n') {
				c->lines = xgrow(c->lines, &cap, c->n_lines + 1, sizeof(size_t));
				c->lines[c->n_lines++] = i + 1;
			}
	}
	if (line < 1 || (size_t)line > c->n_lines)
		return 0;
	int depth = 0;
	for (size_t i = c->lines[line - 1]; i < c->len && c->text[i] != '\n'; i++) {
		if (col > 0 && i - c->lines[line - 1] + 1 >= (size_t)col)
			break;
		if (c->text[i] == '>')
			depth++;
		else if (c->text[i] != ' ' && c->text[i] != '\t')
			break;
	}
	return depth;
}

/* Lines of a panel with fewer '>' than it: Markdown's lazy continuation
 * took them in (a label after a panel of text, most often). */
static bool panel_lazy_lines(callout_ctx *c, cmark_node *panel, int depth)
{
	if (cmark_node_get_type(panel) != CMARK_NODE_BLOCK_QUOTE)
		return true;
	int from = cmark_node_get_start_line(panel), to = cmark_node_get_end_line(panel);
	for (int l = from; l <= to; l++)
		if (quote_depth(c, l, 0) < depth) {
			CALLOUT_ERROR(c, l, 1,
				      "this line has fewer '>' than the tab panel above it, so Markdown reads it as "
				      "the panel's text; put a line '>' before it to make it a label, or start it "
				      "with %d '>' to keep it in the panel",
				      depth);
			return false;
		}
	return true;
}

typedef struct tab {
	cmark_node *label; /* the paragraph */
	cmark_node *from;  /* its first inline of the label (the first paragraph holds the marker too) */
	cmark_node *panel;
	char *text;
} tab;

/* Checks the block's children, and lists its tabs; false after an error. */
static bool tabs_check(callout_ctx *c, cmark_node *quote, const marker *m, arena *a, tab **tabs, size_t *n_tabs)
{
	size_t cap = 0;
	map seen = MAP_INIT;
	bool ok = true;
	int depth = quote_depth(c, m->line, m->col) + 1;
	cmark_node *n = cmark_node_first_child(quote);
	/* The marker's paragraph: after its first line, the first label. */
	cmark_node *from = cmark_node_first_child(n);
	while (from && !is_break(from))
		from = cmark_node_next(from);
	if (from)
		from = cmark_node_next(from);
	else
		n = cmark_node_next(n); /* the marker alone on its paragraph */
	for (; n && ok; n = cmark_node_next(n)) {
		int line = cmark_node_get_start_line(n), col = cmark_node_get_start_column(n);
		if (from && cmark_node_get_start_line(from) > 0)
			line = cmark_node_get_start_line(from);
		if (is_panel(n)) {
			CALLOUT_ERROR(c, line, col,
				      "a tab panel with no label; write the label on the line above it "
				      "('> **Label**')");
			ok = false;
			break;
		}
		if (cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH) {
			CALLOUT_ERROR(c, line, col,
				      "a [!TABS] block holds only tabs, each a label line ('> **Label**') "
				      "and its panel below ('>> …'); move this %s into a panel",
				      node_what(n));
			ok = false;
			break;
		}
		buf text = BUF_INIT;
		cmark_node *first = from ? from : cmark_node_first_child(n);
		from = NULL;
		if (!label_text(first, &text)) {
			CALLOUT_ERROR(c, line, col,
				      "the tab label '%s' runs over several lines; a label is one line, "
				      "and its panel, below it, a nested quote ('>> …')",
				      text.ptr);
			ok = false;
		} else if (!text.len) {
			CALLOUT_ERROR(c, line, col, "a tab label is empty; write the tab's name");
			ok = false;
		} else if (!is_panel(cmark_node_next(n))) {
			CALLOUT_ERROR(c, line, col,
				      "the tab label '%s' has no panel; write the panel right below it, "
				      "as a nested quote ('>> …')",
				      text.ptr);
			ok = false;
		} else if (map_get(&seen, text.ptr)) {
			CALLOUT_ERROR(c, line, col,
				      "the tab label '%s' is given twice in this [!TABS] block (first on "
				      "line %d); give each tab its own label",
				      text.ptr, c->first_line - 1 + (int)(intptr_t)map_get(&seen, text.ptr));
			ok = false;
		} else if ((ok = panel_lazy_lines(c, cmark_node_next(n), depth))) {
			char *t = arena_strdup(a, text.ptr);
			map_put(&seen, t, (void *)(intptr_t)line);
			*tabs = xgrow(*tabs, &cap, *n_tabs + 1, sizeof(tab));
			(*tabs)[(*n_tabs)++] = (tab){ n, first, cmark_node_next(n), t };
			n = cmark_node_next(n); /* the panel */
		}
		buf_release(&text);
	}
	if (ok && !*n_tabs) {
		CALLOUT_ERROR(c, m->line, m->col,
			      "[!TABS] holds no tab; write each as a label line ('> **Label**') "
			      "followed by its panel ('>> …')");
		ok = false;
	}
	map_release(&seen);
	return ok;
}

static void tabs_make(callout_ctx *c, cmark_node *quote, const marker *m)
{
	if (m->fold || m->title) {
		CALLOUT_ERROR(c, m->line, m->col,
			      "[!TABS] takes no title and no '+' or '-'; write the tabs' "
			      "labels on the lines below it");
		return;
	}
	arena a = ARENA_INIT;
	tab *tabs = NULL;
	size_t n_tabs = 0;
	if (!tabs_check(c, quote, m, &a, &tabs, &n_tabs))
		goto out;
	cmark_node *group = callout_block(c, "<div class=\"tabs\" data-tabs>", "</div>");
	cmark_node_set_user_data(group, CALLOUT_MADE);
	c->tab_groups++;
	cmark_node_insert_before(quote, group);
	buf enter = BUF_INIT;
	for (size_t i = 0; i < n_tabs; i++) {
		const tab *t = &tabs[i];
		cmark_node *label = callout_block(c, "<p class=\"tabs-label\">", "</p>");
		cmark_node *from = t->from;
		if (!cmark_node_next(from) && cmark_node_get_type(from) == CMARK_NODE_STRONG)
			from = cmark_node_first_child(from);     /* "**Label**": the label shows bold anyway */
		for (cmark_node *n = from, *next; n; n = next) { /* the label's inlines */
			next = cmark_node_next(n);
			own_text(n); /* its paragraph is freed with the quote */
			cmark_node_append_child(label, n);
		}
		buf_reset(&enter);
		buf_adds(&enter, "<div class=\"tabs-panel\" data-tab=\"");
		buf_adds_html(&enter, t->text);
		buf_adds(&enter, "\">");
		cmark_node *panel = callout_block(c, enter.ptr, "</div>");
		if (cmark_node_get_type(tabs[i].panel) == CMARK_NODE_BLOCK_QUOTE) {
			move_children(tabs[i].panel, panel);
			cmark_node_free(tabs[i].panel);
		} else {
			cmark_node_append_child(panel, tabs[i].panel); /* a notice or tabs made of the quote */
		}
		cmark_node_append_child(group, label);
		cmark_node_append_child(group, panel);
	}
	buf_release(&enter);
	cmark_node_free(quote); /* with the marker and the emptied labels' paragraphs */
out:
	free(tabs);
	arena_release(&a);
}

phare_status callout_transform(const callout_env *env, const char *path, int first_line, const char *text, size_t len,
			       struct cmark_mem *mem, struct cmark_node *root, size_t *tab_groups)
{
	callout_ctx c = { env, path, first_line, text, len, NULL, 0, mem, PHARE_OK, 0 };
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_EXIT || cmark_node_get_type(n) != CMARK_NODE_BLOCK_QUOTE)
			continue;
		marker m = marker_read(&c, n);
		if (m.type == MARK_NOTICE)
			notice_make(&c, n, &m);
		else if (m.type == MARK_TABS)
			tabs_make(&c, n, &m);
	}
	cmark_iter_free(it);
	free(c.lines);
	*tab_groups = c.tab_groups;
	return c.first;
}

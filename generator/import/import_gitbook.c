/* import_gitbook.c: a GitBook space synced to Git (import.h).
 *
 * .gitbook.yaml's root: and structure: (GitBook's defaults when it is
 * absent or says nothing of them) name the folder and SUMMARY.md, whose
 * nested lists give the tree and order, and whose "## Group" headings are
 * top-level groups.  A page's blocks: {% hint %} -> notices, {% tabs %} ->
 * tabs, {% code title %} -> a code block's title, {% content-ref %} and
 * {% embed %} -> links, <figure><img><figcaption> -> a figure, {% stepper %}
 * -> numbered headings; any other {% block %} is kept visibly as a "not
 * converted" notice and listed in IMPORT.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import/import.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/value.h"
#include "util/yamldoc.h"

typedef struct gb_line {
	const char *s;
	size_t n;
	int no; /* line number in the file */
} gb_line;

typedef struct gb_page {
	import_ctx *cx;
	import_page *p;
	gb_line *lines;
	size_t n;
	const char *code_title; /* from {% code title="…" %}, for the next fence */
} gb_page;

/* ---- .gitbook.yaml and SUMMARY.md ---- */

static const char *gb_yaml_str(const value *root, const char *key, const char *sub)
{
	const value *v = value_map_get(root, key);
	if (sub)
		v = value_map_get(v, sub);
	return v && v->kind == VAL_STRING && v->len ? v->str : NULL;
}

/* root: and structure: from .gitbook.yaml, when it has them. */
static void gb_config(import_ctx *cx, const char **summary, const char **readme)
{
	char *path = fsx_join(cx->src, ".gitbook.yaml");
	buf t = BUF_INIT;
	value *root = NULL;
	*summary = "SUMMARY.md";
	*readme = "README.md";
	if (fsx_is_file(path) && fsx_read(path, &t, 1u << 20) == PHARE_OK) {
		diag_set_quiet(true); /* an invalid file: GitBook's defaults */
		phare_status s = yamldoc_parse(&cx->a, path, t.ptr, t.len, 1, &root);
		diag_set_quiet(false);
		if (s)
			import_note(cx, ".gitbook.yaml", 1, "not valid YAML; GitBook's defaults used");
	}
	const char *r = root ? gb_yaml_str(root, "root", NULL) : NULL;
	if (r) {
		char *rel = import_resolve(cx, "", r, strlen(r));
		char *full = rel && *rel ? fsx_join(cx->src, rel) : NULL;
		if (full && fsx_is_dir(full))
			cx->root = arena_strdup(&cx->a, full);
		else if (rel && *rel)
			import_note(cx, ".gitbook.yaml", 1,
				    "root '%s' is not a folder of the space; the space's "
				    "own folder used",
				    r);
		free(full);
	}
	const char *s = root ? gb_yaml_str(root, "structure", "summary") : NULL;
	const char *m = root ? gb_yaml_str(root, "structure", "readme") : NULL;
	*summary = s ? s : *summary;
	*readme = m ? m : *readme;
	buf_release(&t);
	free(path);
}

/* Text without Markdown's backslash escapes ("pace\\_get" -> "pace_get"). */
static char *gb_unescape(import_ctx *cx, const char *s, size_t n)
{
	char *out = arena_alloc(&cx->a, n + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n && strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", s[i + 1]))
			i++;
		*o++ = s[i];
	}
	*o = '\0';
	return out;
}

/* "* [Title](path)" at s: fills title and path; false if the line is not one. */
static bool gb_item(import_ctx *cx, const char *s, size_t n, char **title, char **path, size_t *dn)
{
	if (n < 2 || !strchr("*-+", s[0]) || s[1] != ' ')
		return false;
	const char *open = memchr(s, '[', n);
	const char *close = open ? memchr(open, ']', n - (size_t)(open - s)) : NULL;
	if (!open || !close || close + 1 >= s + n || close[1] != '(') {
		*title = arena_strndup(&cx->a, s + 2, n - 2);
		*path = NULL;
		return true;
	}
	const char *d = close + 2, *end = d;
	for (size_t depth = 0; end < s + n && !(*end == ')' && depth == 0); end++)
		depth += *end == '(' ? 1 : *end == ')' ? (size_t)-1 : 0;
	if (end >= s + n)
		return false;
	if (*d == '<' && end > d && end[-1] == '>') { /* [T](<a b.md>) */
		d++;
		end--;
	}
	*title = gb_unescape(cx, open + 1, (size_t)(close - open - 1));
	*path = arena_strndup(&cx->a, d, (size_t)(end - d));
	*dn = (size_t)(end - d);
	return true;
}

/* Whether page src is p or one of its ancestors. */
static bool gb_is_ancestor(const import_ctx *cx, const import_page *p, const char *src)
{
	for (; p && p != &cx->top; p = p->parent)
		if (p->src && strcmp(p->src, src) == 0)
			return true;
	return false;
}

typedef struct gb_level {
	size_t indent;
	import_page *page;
} gb_level;

/* One item line of SUMMARY.md at indent, under the right parent. */
static phare_status gb_add_item(import_ctx *cx, const char *file, int line, gb_level *stack, size_t *depth,
				size_t indent, char *title, char *path, size_t dn)
{
	while (*depth > 1 && stack[*depth - 1].indent >= indent)
		(*depth)--;
	if (*depth >= IMPORT_MAX_NEST) {
		diag_error(file, line, 0, "the list nests more than %d levels; flatten it", IMPORT_MAX_NEST);
		return PHARE_ERR_LIMIT;
	}
	import_page *parent = stack[*depth - 1].page;
	char *src = NULL;
	if (path && (strstr(path, "://") || strncmp(path, "mailto:", 7) == 0)) {
		import_note(cx, file, line, "a link to another site in the table of contents ('%s'); left out", path);
		return PHARE_OK;
	}
	if (path) {
		char *hash = strchr(path, '#');
		src = import_resolve(cx, "", path, hash ? (size_t)(hash - path) : dn);
		if (!src || !*src) {
			diag_error(file, line, 0, "'%s' leaves the space's folder; link a page inside it", path);
			return PHARE_ERR_INPUT;
		}
		if (gb_is_ancestor(cx, parent, src)) {
			diag_error(file, line, 0, "'%s' is listed inside itself: a cycle; list it once", src);
			return PHARE_ERR_INPUT;
		}
		if (map_get(&cx->by_src, src)) {
			import_note(cx, file, line, "'%s' is listed a second time; only the first entry kept", src);
			stack[(*depth)++] = (gb_level){ indent, parent };
			return PHARE_OK;
		}
	}
	if (cx->n_pages >= IMPORT_MAX_PAGES) {
		diag_error(file, line, 0, "more than %d pages; import the space in parts", IMPORT_MAX_PAGES);
		return PHARE_ERR_LIMIT;
	}
	import_page *p = import_add_page(cx, parent, src, title, file, line);
	stack[(*depth)++] = (gb_level){ indent, p };
	return src ? import_read_page(cx, p) : PHARE_OK;
}

static phare_status gb_summary(import_ctx *cx, const char *file, const char *text, size_t len)
{
	gb_level stack[IMPORT_MAX_NEST + 1] = { { 0, &cx->top } };
	size_t depth = 1;
	int line = 0;
	bool fence = false;
	phare_status s = PHARE_OK;
	for (const char *p = text, *end = text + len, *nl; p < end && !s; p = nl ? nl + 1 : end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p), indent = 0;
		line++;
		while (n && p[n - 1] == '\r')
			n--;
		if (n >= 3 && memcmp(p, "```", 3) == 0)
			fence = !fence;
		const char *t = p;
		while (t < p + n && (*t == ' ' || *t == '\t'))
			indent += *t++ == '\t' ? 4 : 1;
		size_t tn = (size_t)(p + n - t);
		char *title, *path;
		size_t dn = 0;
		if (fence || tn == 0)
			continue;
		if (indent == 0 && tn > 3 && memcmp(t, "## ", 3) == 0) { /* a group */
			import_page *g = import_add_page(cx, &cx->top, NULL, gb_unescape(cx, t + 3, tn - 3), file,
							 line);
			stack[0] = (gb_level){ 0, g };
			depth = 1;
			g->depth = 0;
		} else if (indent == 0 && tn >= 3 && (memcmp(t, "---", 3) == 0 || memcmp(t, "# ", 2) == 0)) {
			continue;
		} else if (gb_item(cx, t, tn, &title, &path, &dn)) {
			s = gb_add_item(cx, file, line, stack, &depth, indent + 1, title, path, dn);
		}
	}
	return s;
}

static phare_status gb_load(import_ctx *cx)
{
	const char *summary, *readme;
	gb_config(cx, &summary, &readme);
	char *path = fsx_join(cx->root, summary);
	buf t = BUF_INIT;
	phare_status s;
	if (!fsx_is_file(path)) {
		diag_error(path, 0, 0,
			   "no %s: a GitBook space lists its pages there; give the space's folder "
			   "(the one with .gitbook.yaml or SUMMARY.md)",
			   summary);
		s = PHARE_ERR_INPUT;
	} else if (!(s = fsx_read(path, &t, IMPORT_MAX_NAV_BYTES))) {
		s = gb_summary(cx, arena_strdup(&cx->a, summary), t.ptr, t.len);
	}
	if (!s && cx->n_pages == 0) {
		diag_error(path, 0, 0,
			   "lists no page; a GitBook space's SUMMARY.md is a list of [Title](page.md) links");
		s = PHARE_ERR_INPUT;
	}
	/* structure.readme: the space's first page, the language's home when it has no children */
	for (size_t i = 0; !s && i < cx->n_pages; i++) {
		import_page *p = cx->pages[i];
		if (p->src && strcmp(p->src, readme) == 0 && p->parent == &cx->top && !p->first)
			p->home = true;
	}
	buf_release(&t);
	free(path);
	return s;
}

/* ---- a page ---- */

static void gb_split(gb_page *g, const char *text, size_t len, int first_line)
{
	size_t cap = 1;
	for (size_t i = 0; i < len; i++)
		cap += text[i] == '\n';
	g->lines = arena_alloc(&g->cx->a, cap * sizeof(gb_line));
	g->n = 0;
	int no = first_line;
	for (const char *p = text, *end = text + len, *nl; p < end; p = nl ? nl + 1 : end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		while (n && p[n - 1] == '\r')
			n--;
		g->lines[g->n++] = (gb_line){ p, n, no++ };
	}
}

/* The tag name of a "{% name … %}" line (leading blanks allowed), or NULL. */
static const char *gb_tag(const gb_line *l, size_t *len)
{
	const char *s = l->s, *end = l->s + l->n;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (end - s < 4 || s[0] != '{' || s[1] != '%')
		return NULL;
	s += 2;
	while (s < end && *s == ' ')
		s++;
	const char *name = s;
	while (s < end && ((*s >= 'a' && *s <= 'z') || *s == '-' || *s == '_'))
		s++;
	*len = (size_t)(s - name);
	return *len ? name : NULL;
}

static bool gb_is_tag(const gb_line *l, const char *name)
{
	size_t n;
	const char *t = gb_tag(l, &n);
	return t && n == strlen(name) && memcmp(t, name, n) == 0;
}

/* The value of attr="…" in a tag line, in the arena, or NULL. */
static char *gb_attr(import_ctx *cx, const gb_line *l, const char *attr)
{
	size_t k = strlen(attr);
	for (const char *s = l->s, *end = l->s + l->n; s + k + 2 < end; s++) {
		if ((s == l->s || s[-1] == ' ') && memcmp(s, attr, k) == 0 && s[k] == '=' && s[k + 1] == '"') {
			const char *v = s + k + 2, *q = memchr(v, '"', (size_t)(end - v));
			return q ? arena_strndup(&cx->a, v, (size_t)(q - v)) : NULL;
		}
	}
	return NULL;
}

static bool gb_is_fence(const gb_line *l, char *c, size_t *len)
{
	const char *s = l->s, *end = s + l->n;
	while (s < end && s - l->s < 4 && *s == ' ')
		s++;
	size_t n = 0;
	while (s + n < end && (s[n] == '`' || s[n] == '~') && s[n] == s[0])
		n++;
	if (n < 3)
		return false;
	*c = s[0];
	*len = n;
	return true;
}

/* The line after the fence opened at i closes (or to). */
static size_t gb_skip_fence(const gb_page *g, size_t i, size_t to)
{
	char c, c2;
	size_t n, n2;
	if (!gb_is_fence(&g->lines[i], &c, &n))
		return i + 1;
	for (size_t j = i + 1; j < to; j++)
		if (gb_is_fence(&g->lines[j], &c2, &n2) && c2 == c && n2 >= n)
			return j + 1;
	return to;
}

/* The line of "{% endNAME %}" closing the block opened at i, or to. */
static size_t gb_find_end(const gb_page *g, size_t i, size_t to, const char *name)
{
	char end[64];
	snprintf(end, sizeof end, "end%s", name);
	size_t depth = 0;
	for (size_t j = i + 1; j < to;) {
		char c;
		size_t n;
		if (gb_is_fence(&g->lines[j], &c, &n)) {
			j = gb_skip_fence(g, j, to);
			continue;
		}
		if (gb_is_tag(&g->lines[j], name))
			depth++;
		else if (gb_is_tag(&g->lines[j], end) && depth-- == 0)
			return j;
		j++;
	}
	return to;
}

static phare_status gb_blocks(gb_page *g, size_t from, size_t to, buf *out, int nest);

/* Lines from..to converted into a new buffer (caller releases). */
static phare_status gb_inner(gb_page *g, size_t from, size_t to, buf *inner, int nest)
{
	*inner = (buf)BUF_INIT;
	phare_status s = gb_blocks(g, from, to, inner, nest + 1);
	while (inner->len && inner->ptr[inner->len - 1] == '\n')
		inner->len--;
	while (inner->len && inner->ptr[0] == '\n') {
		memmove(inner->ptr, inner->ptr + 1, inner->len);
		inner->len--;
	}
	if (inner->cap)
		inner->ptr[inner->len] = '\0';
	return s;
}

static const char *gb_hint_kind(const char *style)
{
	if (!style || strcmp(style, "info") == 0)
		return "NOTE";
	if (strcmp(style, "success") == 0)
		return "TIP";
	if (strcmp(style, "warning") == 0)
		return "WARNING";
	if (strcmp(style, "danger") == 0)
		return "CAUTION";
	return "NOTE";
}

static phare_status gb_hint(gb_page *g, size_t i, size_t end, buf *out, int nest)
{
	buf inner;
	phare_status s = gb_inner(g, i + 1, end, &inner, nest);
	char *style = gb_attr(g->cx, &g->lines[i], "style");
	buf_addf(out, "> [!%s]\n", gb_hint_kind(style));
	import_quote(out, "> ", inner.ptr, inner.len);
	buf_release(&inner);
	import_count(g->cx, IMPORT_NOTICE);
	return s;
}

static phare_status gb_tabs(gb_page *g, size_t i, size_t end, buf *out, int nest)
{
	phare_status s = PHARE_OK;
	buf_adds(out, "> [!TABS]\n");
	bool first = true;
	for (size_t j = i + 1; j < end && !s;) {
		if (!gb_is_tag(&g->lines[j], "tab")) {
			j++;
			continue;
		}
		size_t close = gb_find_end(g, j, end, "tab");
		char *title = gb_attr(g->cx, &g->lines[j], "title");
		buf inner;
		s = gb_inner(g, j + 1, close, &inner, nest);
		if (!first)
			buf_adds(out, ">\n");
		first = false;
		buf_adds(out, "> **");
		for (const char *t = title && *title ? title : "Tab"; *t; t++) {
			if (*t == '*' || *t == '_' || *t == '\\')
				buf_addc(out, '\\');
			buf_addc(out, *t);
		}
		buf_adds(out, "**\n");
		import_quote(out, ">> ", inner.len ? inner.ptr : "(empty)", inner.len ? inner.len : 7);
		buf_release(&inner);
		j = close + 1;
	}
	import_count(g->cx, IMPORT_TABS);
	return s;
}

static phare_status gb_stepper(gb_page *g, size_t i, size_t end, buf *out, int nest)
{
	phare_status s = PHARE_OK;
	int step = 0;
	for (size_t j = i + 1; j < end && !s;) {
		if (!gb_is_tag(&g->lines[j], "step")) {
			j++;
			continue;
		}
		size_t close = gb_find_end(g, j, end, "step");
		buf inner;
		s = gb_inner(g, j + 1, close, &inner, nest);
		step++;
		/* the step's first heading gets its number; else one is added */
		const char *h = inner.ptr;
		size_t lvl = 0;
		while (h[lvl] == '#')
			lvl++;
		if (lvl >= 1 && lvl <= 6 && h[lvl] == ' ') {
			buf_addf(out, "%.*s %d. %s\n\n", (int)lvl, h, step, h + lvl + 1);
		} else {
			buf_addf(out, "### %d.\n\n%s\n\n", step, inner.ptr);
		}
		buf_release(&inner);
		j = close + 1;
	}
	import_count(g->cx, IMPORT_STEPPER);
	return s;
}

/* A block kept as written, in a visible notice, and listed in IMPORT.md. */
static void gb_unknown(gb_page *g, size_t i, size_t end, const char *name, size_t nlen, buf *out)
{
	size_t longest = 0;
	for (size_t j = i; j <= end && j < g->n; j++)
		for (size_t k = 0, run = 0; k < g->lines[j].n; k++) {
			run = g->lines[j].s[k] == '`' ? run + 1 : 0;
			longest = run > longest ? run : longest;
		}
	size_t fence = longest >= 3 ? longest + 1 : 3;
	buf_addf(out, "> [!WARNING] Not converted: GitBook block {%% %.*s %%}\n> ", (int)nlen, name);
	for (size_t k = 0; k < fence; k++)
		buf_addc(out, '`');
	buf_adds(out, "text\n");
	for (size_t j = i; j <= end && j < g->n; j++) {
		buf_adds(out, "> ");
		buf_add(out, g->lines[j].s, g->lines[j].n);
		buf_addc(out, '\n');
	}
	buf_adds(out, "> ");
	for (size_t k = 0; k < fence; k++)
		buf_addc(out, '`');
	buf_addc(out, '\n');
	import_note(g->cx, g->p->src, g->lines[i].no,
		    "GitBook block {%% %.*s %%} (%zu lines); kept as written in a "
		    "\"Not converted\" notice",
		    (int)nlen, name, (end < g->n ? end : g->n - 1) - i + 1);
	import_count(g->cx, IMPORT_NOT_CONVERTED);
	char what[80];
	snprintf(what, sizeof what, "{%% %.*s %%}", (int)(nlen < 60 ? nlen : 60), name);
	import_tally(g->cx, what);
}

/* The text of the first <tag …>…</tag> or attr="…" in html, in the arena. */
static char *gb_html_attr(import_ctx *cx, const char *html, const char *attr)
{
	char pat[32];
	snprintf(pat, sizeof pat, " %s=\"", attr);
	const char *v = strstr(html, pat);
	if (!v)
		return NULL;
	v += strlen(pat);
	const char *q = strchr(v, '"');
	return q ? arena_strndup(&cx->a, v, (size_t)(q - v)) : NULL;
}

static char *gb_caption(import_ctx *cx, const char *html)
{
	const char *c = strstr(html, "<figcaption>");
	const char *e = c ? strstr(c, "</figcaption>") : NULL;
	if (!c || !e)
		return NULL;
	c += 12;
	char *out = arena_alloc(&cx->a, (size_t)(e - c) + 1), *o = out;
	for (bool tag = false; c < e; c++) { /* tags inside (<p>, <em>) dropped */
		if (*c == '<')
			tag = true;
		else if (*c == '>')
			tag = false;
		else if (!tag && *c != '"' && *c != '\n')
			*o++ = *c;
	}
	*o = '\0';
	return out;
}

/* <figure>…</figure> (or a lone <img>) from line i: a Markdown figure.
 * The line after it, or 0 when it holds no image. */
static size_t gb_figure(gb_page *g, size_t i, size_t to, buf *out)
{
	size_t end = i;
	bool figure = memmem(g->lines[i].s, g->lines[i].n, "<figure", 7) != NULL;
	buf html = BUF_INIT;
	for (; end < to && end < i + 40; end++) {
		buf_add(&html, g->lines[end].s, g->lines[end].n);
		buf_addc(&html, ' ');
		if (!figure || strstr(html.ptr, "</figure>"))
			break;
	}
	char *src = gb_html_attr(g->cx, html.ptr, "src"), *alt = gb_html_attr(g->cx, html.ptr, "alt");
	char *cap = gb_caption(g->cx, html.ptr);
	buf_release(&html);
	if (!src || end >= to)
		return 0;
	buf md = BUF_INIT;
	buf_addf(&md, "![%s](<%s>", alt ? alt : "", src);
	if (cap && *cap)
		buf_addf(&md, " \"%s\"", cap);
	buf_adds(&md, ")");
	import_line_links(g->cx, g->p, g->lines[i].no, md.ptr, md.len, out);
	buf_addc(out, '\n');
	buf_release(&md);
	import_count(g->cx, IMPORT_FIGURE);
	return end + 1;
}

static bool gb_starts(const gb_line *l, const char *prefix)
{
	const char *s = l->s, *end = s + l->n;
	while (s < end && *s == ' ')
		s++;
	size_t k = strlen(prefix);
	return (size_t)(end - s) >= k && memcmp(s, prefix, k) == 0;
}

/* A fence line, with the title of a {% code %} block before it. */
static size_t gb_fence(gb_page *g, size_t i, size_t to, buf *out)
{
	size_t next = gb_skip_fence(g, i, to);
	const gb_line *l = &g->lines[i];
	if (g->code_title) {
		const char *info = l->s;
		while (*info == ' ' || *info == '`' || *info == '~')
			info++;
		buf_add(out, l->s, l->n);
		if (info >= l->s + l->n || *info == '\n')
			buf_adds(out, "text");
		buf_addf(out, " title=\"%s\"\n", g->code_title);
		g->code_title = NULL;
		import_count(g->cx, IMPORT_CODE_TITLE);
		i++;
	}
	for (; i < next; i++) {
		buf_add(out, g->lines[i].s, g->lines[i].n);
		buf_addc(out, '\n');
	}
	return next;
}

/* One {% tag %} line at i: its block converted; the line after it. */
static size_t gb_tag_block(gb_page *g, size_t i, size_t to, buf *out, int nest, phare_status *s)
{
	size_t nlen;
	const char *name = gb_tag(&g->lines[i], &nlen);
	char nm[64];
	snprintf(nm, sizeof nm, "%.*s", (int)(nlen < 60 ? nlen : 60), name);
	if (strcmp(nm, "code") == 0) {
		char *t = gb_attr(g->cx, &g->lines[i], "title");
		g->code_title = t && *t && !strchr(t, '"') ? t : NULL;
		return i + 1;
	}
	if (strcmp(nm, "endcode") == 0)
		return i + 1;
	if (strcmp(nm, "embed") == 0 || strcmp(nm, "file") == 0) {
		/* a link: to the page embedded, or to the file (copied beside the article) */
		char *url = gb_attr(g->cx, &g->lines[i], nm[0] == 'e' ? "url" : "src");
		size_t end = gb_find_end(g, i, to, nm);
		buf inner = BUF_INIT, md = BUF_INIT;
		if (end < to)
			*s = gb_inner(g, i + 1, end, &inner, nest);
		for (size_t k = 0; k < inner.len; k++)
			if (inner.ptr[k] == '\n')
				inner.ptr[k] = ' ';
		const char *base = url ? strrchr(url, '/') : NULL;
		const char *text = inner.len ? inner.ptr : base && base[1] && nm[0] == 'f' ? base + 1 : url ? url : "";
		if (url && *url) {
			buf_adds(&md, "[");
			for (const char *t = text; *t; t++) {
				if (*t == '[' || *t == ']')
					buf_addc(&md, '\\');
				buf_addc(&md, *t);
			}
			buf_addf(&md, "](<%s>)", url);
		} else {
			buf_adds(&md, text);
		}
		import_line_links(g->cx, g->p, g->lines[i].no, md.ptr, md.len, out);
		buf_addc(out, '\n');
		buf_release(&md);
		buf_release(&inner);
		import_count(g->cx, IMPORT_EMBED);
		return end < to ? end + 1 : i + 1;
	}
	size_t end = gb_find_end(g, i, to, nm);
	if (nest >= IMPORT_MAX_NEST || end >= to ||
	    (strcmp(nm, "hint") && strcmp(nm, "tabs") && strcmp(nm, "stepper") && strcmp(nm, "content-ref"))) {
		gb_unknown(g, i, end < to ? end : i, name, nlen, out);
		return end < to ? end + 1 : i + 1;
	}
	if (strcmp(nm, "hint") == 0)
		*s = gb_hint(g, i, end, out, nest);
	else if (strcmp(nm, "tabs") == 0)
		*s = gb_tabs(g, i, end, out, nest);
	else if (strcmp(nm, "stepper") == 0)
		*s = gb_stepper(g, i, end, out, nest);
	else { /* content-ref: the link inside, or one to its url */
		buf inner;
		*s = gb_inner(g, i + 1, end, &inner, nest);
		if (inner.len) {
			buf_add(out, inner.ptr, inner.len);
			buf_addc(out, '\n');
		} else {
			char *url = gb_attr(g->cx, &g->lines[i], "url");
			buf md = BUF_INIT;
			buf_addf(&md, "[%s](%s)", url ? url : "", url ? url : "");
			import_line_links(g->cx, g->p, g->lines[i].no, md.ptr, md.len, out);
			buf_addc(out, '\n');
			buf_release(&md);
		}
		buf_release(&inner);
		import_count(g->cx, IMPORT_EMBED);
	}
	return end + 1;
}

/* Text without its tags: "<code>x</code>" -> "`x`". */
static void gb_strip_tags(const char *s, size_t n, buf *out)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '<') {
			buf_addc(out, s[i] == '\n' ? ' ' : s[i]);
			continue;
		}
		if (n - i >= 5 && (memcmp(s + i, "<code", 5) == 0 || memcmp(s + i, "</cod", 5) == 0))
			buf_addc(out, '`');
		const char *gt = memchr(s + i, '>', n - i);
		if (!gt)
			break;
		i = (size_t)(gt - s);
	}
}

/* <details><summary>T</summary>…</details> from line i: a folded notice.
 * The line after it, or 0 when it is not one. */
static size_t gb_details(gb_page *g, size_t i, size_t to, buf *out, int nest, phare_status *s)
{
	size_t sum = i, end = i + 1, depth = 0;
	while (sum < to && sum < i + 4 && !memmem(g->lines[sum].s, g->lines[sum].n, "<summary>", 9))
		sum++;
	for (; end < to; end++) {
		if (gb_starts(&g->lines[end], "<details"))
			depth++;
		else if (gb_starts(&g->lines[end], "</details>") && depth-- == 0)
			break;
	}
	if (sum >= to || sum >= i + 4 || end >= to || nest >= IMPORT_MAX_NEST)
		return 0;
	const gb_line *l = &g->lines[sum];
	const char *a = (const char *)memmem(l->s, l->n, "<summary>", 9) + 9;
	const char *b = memmem(a, (size_t)(l->s + l->n - a), "</summary>", 10);
	if (!b)
		return 0;
	buf title = BUF_INIT, inner;
	gb_strip_tags(a, (size_t)(b - a), &title);
	*s = gb_inner(g, sum + 1, end, &inner, nest);
	buf_addf(out, "> [!NOTE]- %s\n", title.len ? title.ptr : "Details");
	import_quote(out, "> ", inner.ptr, inner.len);
	buf_release(&title);
	buf_release(&inner);
	import_count(g->cx, IMPORT_NOTICE);
	return end + 1;
}

/* A raw HTML block from line i (to the next blank line): replaced by its
 * images when it has some, else kept and listed.  The line after it. */
static size_t gb_html(gb_page *g, size_t i, size_t to, buf *out)
{
	import_ctx *cx = g->cx;
	size_t end = i;
	buf html = BUF_INIT;
	for (; end < to && g->lines[end].n; end++) {
		buf_add(&html, g->lines[end].s, g->lines[end].n);
		buf_addc(&html, '\n');
	}
	size_t imgs = import_html_images(cx, g->p, g->lines[i].no, html.ptr, html.len, NULL, out);
	if (imgs) {
		import_note(cx, g->p->src, g->lines[i].no, "raw HTML block with %zu image%s; replaced by %s", imgs,
			    imgs > 1 ? "s" : "", imgs > 1 ? "them" : "it");
		import_count(cx, IMPORT_FIGURE);
	} else {
		import_note(cx, g->p->src, g->lines[i].no,
			    "raw HTML block; kept in the page, shown only with "
			    "unsafe_html: true in site.yaml");
		for (size_t j = i; j < end; j++) {
			import_line_links(cx, g->p, g->lines[j].no, g->lines[j].s, g->lines[j].n, out);
			buf_addc(out, '\n');
		}
	}
	buf_release(&html);
	return end;
}

static phare_status gb_blocks(gb_page *g, size_t from, size_t to, buf *out, int nest)
{
	phare_status s = PHARE_OK;
	char c;
	size_t n;
	for (size_t i = from; i < to && !s;) {
		const gb_line *l = &g->lines[i];
		if (gb_is_fence(l, &c, &n)) {
			i = gb_fence(g, i, to, out);
			continue;
		}
		if (gb_tag(l, &n)) {
			i = gb_tag_block(g, i, to, out, nest, &s);
			continue;
		}
		if (gb_starts(l, "<details")) {
			size_t next = gb_details(g, i, to, out, nest, &s);
			if (next) {
				i = next;
				continue;
			}
		}
		if (gb_starts(l, "<figure") || gb_starts(l, "<img ")) {
			size_t next = gb_figure(g, i, to, out);
			if (next) {
				i = next;
				continue;
			}
		}
		if (l->n > 1 && l->s[0] == '<' && l->s[1] >= 'a' && l->s[1] <= 'z' && !gb_starts(l, "<http") &&
		    (i == from || !g->lines[i - 1].n)) {
			i = gb_html(g, i, to, out);
			continue;
		}
		import_line_links(g->cx, g->p, l->no, l->s, l->n, out);
		buf_addc(out, '\n');
		i++;
	}
	return s;
}

/* The front matter: description kept, other keys listed; returns the line
 * the body starts on and moves *text past it. */
static int gb_front_matter(import_ctx *cx, import_page *p, const char **text, size_t *len)
{
	const char *t = *text, *end = t + *len;
	if (*len < 4 || memcmp(t, "---", 3) != 0 || (t[3] != '\n' && t[3] != '\r'))
		return 1;
	const char *close = t + 3;
	int line = 2;
	for (const char *q = strchr(t, '\n') + 1; q && q < end; q = strchr(q, '\n') ? strchr(q, '\n') + 1 : NULL) {
		if (strncmp(q, "---", 3) == 0 && (q[3] == '\n' || q[3] == '\r' || q[3] == '\0')) {
			close = q;
			break;
		}
		line++;
	}
	if (close == t + 3)
		return 1;
	value *root = NULL;
	const char *fm = strchr(t, '\n') + 1;
	diag_set_quiet(true);
	phare_status s = yamldoc_parse(&cx->a, p->src, fm, (size_t)(close - fm), 2, &root);
	diag_set_quiet(false);
	if (s)
		import_note(cx, p->src, 1, "front matter that is not valid YAML; dropped");
	for (size_t k = 0; root && root->kind == VAL_MAP && k < root->u.map.len; k++) {
		const char *key = root->u.map.keys[k];
		const value *v = root->u.map.vals[k];
		if (strcmp(key, "description") == 0 && v->str)
			p->description = v->str;
		else
			import_note(cx, p->src, v->line, "front matter '%s' (GitBook's own); dropped", key);
	}
	const char *body = strchr(close, '\n');
	body = body ? body + 1 : end;
	*len -= (size_t)(body - t);
	*text = body;
	return line + 1;
}

static phare_status gb_convert(import_ctx *cx, import_page *p)
{
	gb_page g = { cx, p, NULL, 0, NULL };
	const char *text = p->text;
	size_t len = p->text_len;
	int first = gb_front_matter(cx, p, &text, &len);
	gb_split(&g, text, len, first);
	size_t from = 0;
	while (from < g.n && g.lines[from].n == 0)
		from++;
	/* a page's first "# Heading" is its title */
	if (from < g.n && g.lines[from].n > 2 && memcmp(g.lines[from].s, "# ", 2) == 0) {
		p->title = arena_strndup(&cx->a, g.lines[from].s + 2, g.lines[from].n - 2);
		from++;
	}
	return gb_blocks(&g, from, g.n, &p->body, 0);
}

/* GitBook's URL: the path without .md; a README is its folder's. */
static void gb_old_url(const import_page *p, buf *out)
{
	size_t n = strlen(p->src);
	const char *base = strrchr(p->src, '/');
	base = base ? base + 1 : p->src;
	buf_addc(out, '/');
	if (strcasecmp(base, "README.md") == 0)
		buf_add(out, p->src, (size_t)(base - p->src));
	else
		buf_add(out, p->src, n > 3 && strcmp(p->src + n - 3, ".md") == 0 ? n - 3 : n);
}

const import_format import_gitbook = { "gitbook", gb_load, gb_convert, gb_old_url };

/* import_mkdocs.c: a MkDocs (Material) site (import.h).
 *
 * mkdocs.yml's nav gives the tree and order (without one, the folders of
 * docs_dir, index.md first), site_name the site's title, and the i18n
 * plugin (mkdocs-static-i18n) the languages: "suffix" (page.fr.md) or
 * "folder" (docs/fr/page.md) structure, each language imported in turn.
 * A page's blocks: admonitions "!!! kind "Title"" and foldable "??? kind"
 * -> notices, content tabs "=== "Label"" -> tabs, "{ #id }" headings ->
 * "{#id}", attr_list attributes after images dropped (listed), <figure
 * markdown> -> a figure.  YAML tags (!!python/name:…, !ENV) are read as
 * plain values. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import/import.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/value.h"
#include "util/xalloc.h"
#include "util/yamldoc.h"

typedef struct mk_line {
	const char *s;
	size_t n;
	int no;
} mk_line;

/* ---- mkdocs.yml ---- */

static const char *mk_str(const value *v)
{
	return v && v->kind != VAL_LIST && v->kind != VAL_MAP && v->str ? v->str : NULL;
}

/* The plugin name as mkdocs.yml enables it: its settings ("- name: {…}" in
 * the list, or a key of a map), the entry itself for a bare "- name", or
 * NULL when it is not enabled. */
static const value *mk_plugin(const value *root, const char *name)
{
	const value *plugins = value_map_get(root, "plugins");
	if (plugins && plugins->kind == VAL_MAP)
		return value_map_get(plugins, name);
	for (size_t i = 0; plugins && plugins->kind == VAL_LIST && i < plugins->u.list.len; i++) {
		const value *p = plugins->u.list.items[i];
		const char *str = mk_str(p);
		const value *v = str ? (strcmp(str, name) == 0 ? p : NULL) : value_map_get(p, name);
		if (v)
			return v;
	}
	return NULL;
}

/* The i18n plugin's settings, if mkdocs.yml has it: "suffix" or "folder",
 * the default language's code (into cx->lang unless given) and the others. */
static const char *mk_i18n(import_ctx *cx, const value *root, bool lang_given)
{
	const value *i18n = mk_plugin(root, "i18n");
	const value *langs = value_map_get(i18n, "languages");
	if (!langs || langs->kind != VAL_LIST)
		return NULL;
	const char *structure = mk_str(value_map_get(i18n, "docs_structure"));
	const char *def = NULL;
	for (size_t i = 0; i < langs->u.list.len; i++) {
		const value *l = langs->u.list.items[i];
		const char *code = mk_str(value_map_get(l, "locale"));
		const value *d = value_map_get(l, "default");
		if (code && d && d->kind == VAL_BOOL && d->u.b)
			def = code;
	}
	for (size_t i = 0; i < langs->u.list.len && cx->n_more < 31; i++) {
		const char *code = mk_str(value_map_get(langs->u.list.items[i], "locale"));
		if (!def)
			def = code;
		if (code && code != def && !cx->variant && !lang_given)
			cx->more_langs[cx->n_more++] = code;
	}
	/* --lang given: that language only (its translations, if not the default) */
	if (lang_given && def && strcmp(cx->lang, def) != 0 && !cx->variant)
		cx->variant = cx->lang;
	if (!cx->variant && !lang_given && def)
		cx->lang = def;
	cx->old_prefix = cx->variant; /* mkdocs-static-i18n builds the others under /<locale>/ */
	return structure && strcmp(structure, "folder") == 0 ? "folder" : "suffix";
}

typedef struct mk_load {
	import_ctx *cx;
	const char *yml;       /* "mkdocs.yml", for messages */
	const char *structure; /* NULL, "suffix" or "folder" */
} mk_load;

/* The file of nav page src in the language imported: src itself, or its
 * translation (page.fr.md, fr/page.md); NULL when there is none. */
static const char *mk_file(mk_load *ml, const char *src)
{
	import_ctx *cx = ml->cx;
	if (!cx->variant || !ml->structure)
		return src;
	const char *f;
	if (strcmp(ml->structure, "folder") == 0) {
		f = arena_printf(&cx->a, "%s/%s", cx->variant, src);
	} else {
		size_t n = strlen(src);
		f = arena_printf(&cx->a, "%.*s.%s.md", (int)(n > 3 ? n - 3 : n), src, cx->variant);
	}
	char *full = fsx_join(cx->root, f);
	bool ok = fsx_is_file(full);
	free(full);
	return ok ? f : NULL;
}

static phare_status mk_nav_list(mk_load *ml, import_page *parent, const value *list, size_t depth);

static phare_status mk_nav_page(mk_load *ml, import_page *parent, const char *title, const value *v)
{
	import_ctx *cx = ml->cx;
	const char *path = mk_str(v);
	if (!path) {
		diag_error(ml->yml, v->line, v->col,
			   "a nav entry must be a page, a 'Title: page.md' pair or a "
			   "'Title: [...]' group; fix the entry");
		return PHARE_ERR_INPUT;
	}
	if (strstr(path, "://") || strncmp(path, "mailto:", 7) == 0) {
		import_note(cx, ml->yml, v->line, "a link to another site in the nav ('%s'); left out", path);
		return PHARE_OK;
	}
	char *src = import_resolve(cx, "", path, strlen(path));
	if (!src || !*src) {
		diag_error(ml->yml, v->line, v->col, "'%s' leaves docs_dir; name a page inside it", path);
		return PHARE_ERR_INPUT;
	}
	if (map_get(&cx->by_src, src)) {
		import_note(cx, ml->yml, v->line, "'%s' is in the nav a second time; only the first entry kept", src);
		return PHARE_OK;
	}
	if (cx->n_pages >= IMPORT_MAX_PAGES) {
		diag_error(ml->yml, v->line, v->col, "more than %d pages; import the site in parts", IMPORT_MAX_PAGES);
		return PHARE_ERR_LIMIT;
	}
	const char *base = strrchr(src, '/');
	import_page *p = import_add_page(cx, parent, src, title ? title : base ? base + 1 : src, ml->yml, v->line);
	char *full = fsx_join(cx->root, src);
	bool exists = fsx_is_file(full);
	free(full);
	if (!exists && cx->variant) { /* not translated */
		p->absent = true;
		return PHARE_OK;
	}
	if (!exists) {
		diag_error(ml->yml, v->line, v->col,
			   "the nav names '%s', which is not a file under %s; fix the path "
			   "or remove the entry",
			   src, cx->root);
		return PHARE_ERR_INPUT;
	}
	p->file = mk_file(ml, src);
	p->absent = !p->file;
	return p->absent ? PHARE_OK : import_read_page(cx, p);
}

static phare_status mk_nav_item(mk_load *ml, import_page *parent, const value *item, size_t depth)
{
	if (item->kind != VAL_MAP)
		return mk_nav_page(ml, parent, NULL, item);
	phare_status s = PHARE_OK;
	for (size_t k = 0; k < item->u.map.len && !s; k++) {
		const char *title = item->u.map.keys[k];
		const value *v = item->u.map.vals[k];
		if (v->kind == VAL_LIST) {
			import_page *g = import_add_page(ml->cx, parent, NULL, title, ml->yml, v->line);
			s = mk_nav_list(ml, g, v, depth + 1);
		} else {
			s = mk_nav_page(ml, parent, title, v);
		}
	}
	return s;
}

static phare_status mk_nav_list(mk_load *ml, import_page *parent, const value *list, size_t depth)
{
	if (depth > IMPORT_MAX_NEST) {
		diag_error(ml->yml, list->line, list->col, "the nav nests more than %d levels; flatten it",
			   IMPORT_MAX_NEST);
		return PHARE_ERR_LIMIT;
	}
	phare_status s = PHARE_OK;
	for (size_t i = 0; i < list->u.list.len && !s; i++)
		s = mk_nav_item(ml, parent, list->u.list.items[i], depth);
	return s;
}

/* No nav: the folders of docs_dir, index.md first, then the files and
 * folders sorted. */
static bool mk_is_translation(const char *name)
{
	size_t n = strlen(name);
	if (n < 6 || strcmp(name + n - 3, ".md") != 0)
		return false;
	const char *dot = memchr(name, '.', n - 3);
	return dot && dot < name + n - 3;
}

static phare_status mk_walk(mk_load *ml, import_page *parent, const char *rel, size_t depth)
{
	import_ctx *cx = ml->cx;
	char *dir = *rel ? fsx_join(cx->root, rel) : xstrdup(cx->root);
	char **names = fsx_list(dir);
	phare_status s = PHARE_OK;
	for (int pass = 0; pass < 3 && names && !s; pass++) {
		for (char **n = names; *n && !s; n++) {
			char *path = *rel ? arena_printf(&cx->a, "%s/%s", rel, *n) : arena_strdup(&cx->a, *n);
			char *full = fsx_join(cx->root, path);
			bool is_dir = fsx_is_dir(full), index = strcmp(*n, "index.md") == 0;
			free(full);
			size_t len = strlen(*n);
			bool md = len > 3 && strcmp(*n + len - 3, ".md") == 0 && !mk_is_translation(*n);
			if ((*n)[0] == '.' || (*n)[0] == '_')
				continue;
			if (pass == 0 && index) {
				value v = { .kind = VAL_STRING, .line = 0, .str = path, .len = strlen(path) };
				s = mk_nav_page(ml, parent, NULL, &v);
			} else if (pass == 1 && md && !index) {
				value v = { .kind = VAL_STRING, .line = 0, .str = path, .len = strlen(path) };
				s = mk_nav_page(ml, parent, NULL, &v);
			} else if (pass == 2 && is_dir && depth < IMPORT_MAX_NEST && !import_is_link(cx, path)) {
				import_page *g = import_add_page(cx, parent, NULL, arena_strdup(&cx->a, *n), ml->yml,
								 0);
				s = mk_walk(ml, g, path, depth + 1);
			}
		}
	}
	fsx_free_list(names);
	free(dir);
	return s;
}

/* The Markdown files under rel (docs_dir-relative) that the nav does not
 * list, in folder order, into *out. */
static void mk_unlisted(mk_load *ml, const char *rel, size_t depth, const char ***out, size_t *n, size_t *cap)
{
	import_ctx *cx = ml->cx;
	char *dir = *rel ? fsx_join(cx->root, rel) : xstrdup(cx->root);
	char **names = fsx_list(dir);
	for (char **nm = names; nm && *nm; nm++) {
		if ((*nm)[0] == '.' || (*nm)[0] == '_')
			continue;
		char *path = *rel ? arena_printf(&cx->a, "%s/%s", rel, *nm) : arena_strdup(&cx->a, *nm);
		char *full = fsx_join(cx->root, path);
		bool is_dir = fsx_is_dir(full);
		free(full);
		size_t len = strlen(*nm);
		if (is_dir && depth < IMPORT_MAX_NEST && !import_is_link(cx, path)) {
			mk_unlisted(ml, path, depth + 1, out, n, cap);
		} else if (!is_dir && len > 3 && strcmp(*nm + len - 3, ".md") == 0 && !mk_is_translation(*nm) &&
			   !map_get(&cx->by_src, path)) {
			*out = xgrow(*out, cap, *n + 1, sizeof(**out));
			(*out)[(*n)++] = path;
		}
	}
	fsx_free_list(names);
	free(dir);
}

/* MkDocs builds the pages its nav leaves out too (at their own URL): they
 * come under a section "Other pages", each noted in IMPORT.md so a human
 * puts it where it belongs. */
static phare_status mk_nav_orphans(mk_load *ml)
{
	import_ctx *cx = ml->cx;
	const char **paths = NULL;
	size_t n = 0, cap = 0;
	phare_status s = PHARE_OK;
	mk_unlisted(ml, "", 0, &paths, &n, &cap);
	import_page *g = n ? import_add_page(cx, &cx->top, NULL, "Other pages", ml->yml, 0) : NULL;
	for (size_t i = 0; i < n && !s; i++) {
		value v = { .kind = VAL_STRING, .line = 0, .str = paths[i], .len = strlen(paths[i]) };
		s = mk_nav_page(ml, g, NULL, &v);
		if (!s)
			import_note(cx, paths[i], 1,
				    "not in the nav; imported under 'Other pages': move it where it belongs");
	}
	free(paths);
	return s;
}

static phare_status mk_load_site(import_ctx *cx)
{
	mk_load ml = { cx, "mkdocs.yml", NULL };
	char *path = fsx_join(cx->src, "mkdocs.yml");
	buf t = BUF_INIT;
	value *root = NULL;
	phare_status s = PHARE_OK;
	if (!fsx_is_file(path)) {
		diag_error(path, 0, 0, "no mkdocs.yml: give the folder of a MkDocs site (the one with mkdocs.yml)");
		s = PHARE_ERR_INPUT;
		goto out;
	}
	if ((s = fsx_read(path, &t, IMPORT_MAX_NAV_BYTES)) || (s = yamldoc_parse(&cx->a, path, t.ptr, t.len, 1, &root)))
		goto out;
	const char *docs = mk_str(value_map_get(root, "docs_dir"));
	char *rel = import_resolve(cx, "", docs ? docs : "docs", strlen(docs ? docs : "docs"));
	if (rel && *rel) {
		char *full = fsx_join(cx->src, rel);
		cx->root = arena_strdup(&cx->a, full);
		free(full);
	}
	if (!rel || !fsx_is_dir(cx->root)) {
		diag_error(path, 0, 0, "docs_dir '%s' is not a folder of the site; fix docs_dir", docs ? docs : "docs");
		s = PHARE_ERR_INPUT;
		goto out;
	}
	const char *name = mk_str(value_map_get(root, "site_name"));
	ml.structure = mk_i18n(cx, root, cx->lang != NULL);
	cx->jinja = mk_plugin(root, "macros") != NULL;
	if (ml.structure && strcmp(ml.structure, "folder") == 0) {
		/* docs/<lang>/: each language's pages under its own folder */
		const char *code = cx->variant ? cx->variant : cx->lang;
		char *sub = code ? fsx_join(cx->root, code) : NULL;
		if (sub && fsx_is_dir(sub))
			cx->root = arena_strdup(&cx->a, sub);
		free(sub);
		ml.structure = NULL;
	}
	const value *nav = value_map_get(root, "nav");
	if (nav && nav->kind == VAL_LIST) {
		s = mk_nav_list(&ml, &cx->top, nav, 0);
		if (!s)
			s = mk_nav_orphans(&ml);
	} else
		s = mk_walk(&ml, &cx->top, "", 0);
	if (!s && name)
		cx->site_title = arena_strdup(&cx->a, name);
	if (!s && cx->n_pages == 0) {
		diag_error(path, 0, 0, "names no page: neither its nav nor docs_dir holds a Markdown file");
		s = PHARE_ERR_INPUT;
	}
out:
	buf_release(&t);
	free(path);
	return s;
}

/* ---- a page ---- */

typedef struct mk_page {
	import_ctx *cx;
	import_page *p;
} mk_page;

/* The indent of l, a tab counting as 4 (blank: (size_t)-1, any). */
static size_t mk_indent(const mk_line *l)
{
	size_t i = 0, w = 0;
	for (; i < l->n && (l->s[i] == ' ' || l->s[i] == '\t'); i++)
		w += l->s[i] == '\t' ? 4 - w % 4 : 1;
	return i == l->n ? (size_t)-1 : w;
}

/* The bytes of l's first 4 columns of indent. */
static size_t mk_cut4(const mk_line *l)
{
	size_t i = 0, w = 0;
	while (i < l->n && w < 4 && (l->s[i] == ' ' || l->s[i] == '\t'))
		w += l->s[i++] == '\t' ? 4 - w % 4 : 1;
	return i;
}

/* A blank line before a quote, so that it never continues a paragraph. */
static void mk_blank_before(buf *out)
{
	if (out->len && !(out->len >= 2 && out->ptr[out->len - 1] == '\n' && out->ptr[out->len - 2] == '\n'))
		buf_addc(out, '\n');
}

static bool mk_fence(const mk_line *l, char *c, size_t *len)
{
	/* any indent: a fence in a list item or a tab is still one, and what
	 * it holds ("!!! note" shown as an example) is never converted */
	size_t i = 0;
	while (i < l->n && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	size_t k = 0;
	while (i + k < l->n && (l->s[i + k] == '`' || l->s[i + k] == '~') && l->s[i + k] == l->s[i])
		k++;
	if (k < 3)
		return false;
	*c = l->s[i];
	*len = k;
	return true;
}

/* The lines from i indented by at least 4 (blank lines inside included): the
 * index after the block. */
static size_t mk_block_end(const mk_line *lines, size_t i, size_t to)
{
	size_t last = i;
	for (size_t j = i; j < to; j++) {
		size_t ind = mk_indent(&lines[j]);
		if (ind == (size_t)-1)
			continue;
		if (ind < 4)
			break;
		last = j + 1;
	}
	return last;
}

static phare_status mk_blocks(mk_page *m, const mk_line *lines, size_t from, size_t to, buf *out, int nest);

/* Lines from..to, less 4 spaces of indent, converted into inner. */
static phare_status mk_inner(mk_page *m, const mk_line *lines, size_t from, size_t to, buf *inner, int nest)
{
	size_t n = to > from ? to - from : 0;
	mk_line *sub = arena_alloc(&m->cx->a, (n + 1) * sizeof(mk_line));
	for (size_t j = 0; j < n; j++) {
		const mk_line *l = &lines[from + j];
		size_t cut = mk_cut4(l);
		sub[j] = (mk_line){ l->s + cut, l->n - cut, l->no };
	}
	*inner = (buf)BUF_INIT;
	size_t first = 0;
	while (first < n && mk_indent(&sub[first]) == (size_t)-1)
		first++;
	phare_status s = mk_blocks(m, sub, first, n, inner, nest + 1);
	while (inner->len && inner->ptr[inner->len - 1] == '\n')
		inner->len--;
	if (inner->cap)
		inner->ptr[inner->len] = '\0';
	return s;
}

static const char *mk_kind(import_ctx *cx, const char *file, int line, const char *t, size_t n)
{
	static const struct {
		const char *name, *kind;
	} kinds[] = {
		{ "note", "NOTE" },       { "abstract", "NOTE" },   { "summary", "NOTE" },
		{ "tldr", "NOTE" },       { "info", "NOTE" },       { "todo", "NOTE" },
		{ "question", "NOTE" },   { "help", "NOTE" },       { "faq", "NOTE" },
		{ "example", "NOTE" },    { "quote", "NOTE" },      { "cite", "NOTE" },
		{ "tip", "TIP" },         { "hint", "TIP" },        { "success", "TIP" },
		{ "check", "TIP" },       { "done", "TIP" },        { "important", "IMPORTANT" },
		{ "warning", "WARNING" }, { "caution", "WARNING" }, { "attention", "WARNING" },
		{ "failure", "CAUTION" }, { "fail", "CAUTION" },    { "missing", "CAUTION" },
		{ "danger", "CAUTION" },  { "error", "CAUTION" },   { "bug", "CAUTION" },
	};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strlen(kinds[i].name) == n && memcmp(kinds[i].name, t, n) == 0)
			return kinds[i].kind;
	import_note(cx, file, line, "admonition kind '%.*s'; shown as a note", (int)n, t);
	return "NOTE";
}

/* "!!! kind "Title"" / "??? kind" / "???+ kind" at line i: a notice. */
static size_t mk_admonition(mk_page *m, const mk_line *lines, size_t i, size_t to, buf *out, int nest, phare_status *s)
{
	const mk_line *l = &lines[i];
	const char *p = l->s + 3, *end = l->s + l->n;
	char fold = l->s[0] == '?' ? (p < end && *p == '+' ? '+' : '-') : 0;
	p += p < end && *p == '+';
	while (p < end && *p == ' ')
		p++;
	const char *kind = p;
	while (p < end && *p != ' ')
		p++;
	size_t kn = (size_t)(p - kind);
	while (kn && kind[kn - 1] == ' ')
		kn--;
	const char *title = memchr(p, '"', (size_t)(end - p)), *tend = NULL;
	if (title)
		tend = memchr(title + 1, '"', (size_t)(end - title - 1));
	size_t stop = mk_block_end(lines, i + 1, to);
	buf inner;
	*s = mk_inner(m, lines, i + 1, stop, &inner, nest);
	mk_blank_before(out);
	buf_addf(out, "> [!%s]", mk_kind(m->cx, m->p->src, l->no, kind, kn ? kn : 4));
	if (fold)
		buf_addc(out, fold);
	if (title && tend && tend > title + 1)
		buf_addf(out, " %.*s", (int)(tend - title - 1), title + 1);
	buf_addc(out, '\n');
	import_quote(out, "> ", inner.len ? inner.ptr : " ", inner.len ? inner.len : 1);
	buf_release(&inner);
	import_count(m->cx, IMPORT_NOTICE);
	return stop;
}

static bool mk_is_tab(const mk_line *l) { return l->n > 5 && memcmp(l->s, "===", 3) == 0 && memchr(l->s, '"', l->n); }

/* Consecutive `=== "Label"` blocks at line i: one tab group. */
static size_t mk_tabs(mk_page *m, const mk_line *lines, size_t i, size_t to, buf *out, int nest, phare_status *s)
{
	mk_blank_before(out);
	buf_adds(out, "> [!TABS]\n");
	bool first = true;
	while (i < to && mk_is_tab(&lines[i]) && !*s) {
		const mk_line *l = &lines[i];
		const char *q = memchr(l->s, '"', l->n), *q2 = memchr(q + 1, '"', (size_t)(l->s + l->n - q - 1));
		size_t stop = mk_block_end(lines, i + 1, to);
		buf inner;
		*s = mk_inner(m, lines, i + 1, stop, &inner, nest);
		if (!first)
			buf_adds(out, ">\n");
		first = false;
		buf_adds(out, "> **");
		for (const char *t = q + 1; q2 && t < q2; t++) {
			if (*t == '*' || *t == '_' || *t == '\\')
				buf_addc(out, '\\');
			buf_addc(out, *t);
		}
		buf_adds(out, "**\n");
		import_quote(out, ">> ", inner.len ? inner.ptr : "(empty)", inner.len ? inner.len : 7);
		buf_release(&inner);
		/* the next tab of the group may follow a blank line */
		i = stop;
		size_t j = i;
		while (j < to && mk_indent(&lines[j]) == (size_t)-1)
			j++;
		if (j < to && mk_is_tab(&lines[j]))
			i = j;
	}
	import_count(m->cx, IMPORT_TABS);
	return i;
}

/* "## Title { #id .class }" -> "## Title {#id}"; other attributes dropped. */
static void mk_heading(mk_page *m, const mk_line *l, buf *line)
{
	const char *open = memchr(l->s, '{', l->n), *end = l->s + l->n;
	const char *close = open ? memchr(open, '}', (size_t)(end - open)) : NULL;
	if (!open || !close || close + 1 < end) {
		buf_add(line, l->s, l->n);
		return;
	}
	const char *id = NULL;
	size_t idn = 0;
	for (const char *p = open + 1; p < close; p++)
		if (*p == '#' && (p == open + 1 || p[-1] == ' ')) {
			id = p + 1;
			while (id + idn < close && id[idn] != ' ')
				idn++;
		}
	const char *t = open;
	while (t > l->s && t[-1] == ' ')
		t--;
	buf_add(line, l->s, (size_t)(t - l->s));
	if (id) {
		buf_addf(line, " {#%.*s}", (int)idn, id);
		import_count(m->cx, IMPORT_HEADING_ID);
	} else {
		import_note(m->cx, m->p->src, l->no, "heading attributes '%.*s'; dropped", (int)(close - open + 1),
			    open);
	}
}

/* The length of the backtick run at s (below end). */
static size_t mk_ticks(const char *s, const char *end)
{
	size_t k = 0;
	while (s + k < end && s[k] == '`')
		k++;
	return k;
}

/* A code span of text[0..n) into out, fenced with one backtick more than
 * the longest run inside it. */
static void mk_code_span(const char *text, size_t n, buf *out)
{
	size_t longest = 0;
	for (size_t i = 0; i < n;) {
		size_t k = mk_ticks(text + i, text + n);
		longest = k > longest ? k : longest;
		i += k ? k : 1;
	}
	bool pad = n && (text[0] == '`' || text[n - 1] == '`');
	for (size_t k = 0; k <= longest; k++)
		buf_addc(out, '`');
	buf_add(out, pad ? " " : "", pad);
	buf_add(out, text, n);
	buf_add(out, pad ? " " : "", pad);
	for (size_t k = 0; k <= longest; k++)
		buf_addc(out, '`');
}

/* <code>…</code> (no tag inside): the same text as a code span.  Python-
 * Markdown reads the text between the tags as Markdown, so "\{" is shown
 * "{" (pages write <code>\{\{ x \}\}</code> to keep the macros plugin off
 * it); a code span shows backslashes, so they are taken out here, and the
 * four entities decoded.  The end of the tag, or NULL. */
static const char *mk_code_tag(const char *s, const char *end, buf *out)
{
	const char *t = s + 6, *close = NULL;
	for (const char *q = t; q + 7 <= end && !close; q++)
		if (*q == '<')
			close = memcmp(q, "</code>", 7) == 0 ? q : end;
	if (!close || close == end)
		return NULL;
	static const char *const ent[][2] = { { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" }, { "&amp;", "&" } };
	buf text = BUF_INIT;
	while (t < close) {
		size_t e = 0;
		while (e < 4 &&
		       !((size_t)(close - t) >= strlen(ent[e][0]) && memcmp(t, ent[e][0], strlen(ent[e][0])) == 0))
			e++;
		if (e < 4) {
			buf_adds(&text, ent[e][1]);
			t += strlen(ent[e][0]);
			continue;
		}
		if (*t == '\\' && t + 1 < close && ispunct((unsigned char)t[1]))
			t++;
		buf_addc(&text, *t++);
	}
	mk_code_span(text.ptr, text.len, out);
	buf_release(&text);
	return close + 7;
}

/* A Jinja tag at s ("{{ … }}" or "{% … %}", of the macros plugin): its
 * length, or 0. */
static size_t mk_jinja_len(const char *s, const char *end)
{
	if (end - s < 4 || s[0] != '{' || (s[1] != '{' && s[1] != '%'))
		return 0;
	char close[3] = { s[1] == '{' ? '}' : '%', '}', 0 };
	const char *c = memmem(s + 2, (size_t)(end - s - 2), close, 2);
	return c ? (size_t)(c + 2 - s) : 0;
}

/* Whether the Jinja tag s[0..n) is {% raw %} or {% endraw %} (any spacing,
 * "-" trims). */
static bool mk_jinja_raw(const char *s, size_t n)
{
	if (s[1] != '%')
		return false;
	size_t a = 2, b = n - 2;
	while (a < b && (s[a] == ' ' || s[a] == '-'))
		a++;
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '-'))
		b--;
	return (b - a == 3 && memcmp(s + a, "raw", 3) == 0) || (b - a == 6 && memcmp(s + a, "endraw", 6) == 0);
}

/* A line's Jinja and <code> tags, outside code spans: {% raw %} and
 * {% endraw %} dropped (phare shows the text between as written, which is
 * all they ask); any other tag kept as written, as code, and listed (its
 * value is made by the macros plugin at build time); <code>…</code> made a
 * code span. */
static void mk_inline_tags(mk_page *m, const mk_line *l, buf *out)
{
	const char *s = l->s, *end = s + l->n;
	while (s < end) {
		size_t k = mk_ticks(s, end), j = 0;
		if (k) { /* a code span: copied as it is, up to the run that closes it */
			const char *q = s + k;
			while (q < end && (j = mk_ticks(q, end)) != k)
				q += j ? j : 1;
			const char *stop = q < end ? q + k : s + k;
			buf_add(out, s, (size_t)(stop - s));
			s = stop;
			continue;
		}
		const char *after = end - s > 6 && memcmp(s, "<code>", 6) == 0 ? mk_code_tag(s, end, out) : NULL;
		if (after) {
			s = after;
			continue;
		}
		size_t n = m->cx->jinja ? mk_jinja_len(s, end) : 0; /* without the plugin, "{{" is text */
		if (n && !mk_jinja_raw(s, n)) {
			mk_code_span(s, n, out);
			import_note(m->cx, m->p->src, l->no,
				    "Jinja tag '%.*s' (a build-time value of the macros plugin); kept as written, as "
				    "code",
				    (int)n, s);
			import_count(m->cx, IMPORT_NOT_CONVERTED);
			import_tally(m->cx, s[1] == '{' ? "Jinja {{ }}" : "Jinja {% %}");
		}
		if (!n)
			buf_addc(out, *s);
		s += n ? n : 1;
	}
}

/* Text with attr_list "{ … }" after images dropped (noted). */
static void mk_drop_attrs(mk_page *m, const mk_line *l, buf *out)
{
	const char *s = l->s, *end = s + l->n;
	while (s < end) {
		const char *b = memchr(s, '{', (size_t)(end - s));
		const char *c = b ? memchr(b, '}', (size_t)(end - b)) : NULL;
		if (!b || !c) {
			buf_add(out, s, (size_t)(end - s));
			return;
		}
		buf_add(out, s, (size_t)(b - s));
		if (b > l->s && b[-1] == ')' && memchr(b, '=', (size_t)(c - b))) {
			import_note(m->cx, m->p->src, l->no, "image attributes '%.*s' (attr_list); dropped",
				    (int)(c - b + 1), b);
		} else {
			buf_add(out, b, (size_t)(c - b + 1));
		}
		s = c + 1;
	}
}

/* <figure markdown> … </figure>: the image inside, with the figcaption as
 * its title. */
static size_t mk_figure(mk_page *m, const mk_line *lines, size_t i, size_t to, buf *out)
{
	size_t end = i + 1;
	while (end < to && end < i + 20 && !memmem(lines[end].s, lines[end].n, "</figure>", 9))
		end++;
	if (end >= to || end >= i + 20)
		return 0;
	buf img = BUF_INIT, cap = BUF_INIT;
	for (size_t j = i + 1; j < end; j++) {
		const mk_line *l = &lines[j];
		const char *t = l->s, *e = l->s + l->n;
		while (t < e && *t == ' ')
			t++;
		const char *fc = memmem(t, (size_t)(e - t), "<figcaption>", 12);
		if (fc) {
			const char *fe = memmem(fc, (size_t)(e - fc), "</figcaption>", 13);
			buf_add(&cap, fc + 12, fe ? (size_t)(fe - fc - 12) : 0);
		} else if (e - t > 2 && t[0] == '!' && t[1] == '[') {
			mk_line sub = { t, (size_t)(e - t), l->no };
			mk_drop_attrs(m, &sub, &img);
		}
	}
	size_t next = 0;
	if (img.len && img.ptr[img.len - 1] == ')' && !memchr(cap.ptr, '"', cap.len)) {
		buf md = BUF_INIT;
		buf_add(&md, img.ptr, img.len - 1);
		if (cap.len)
			buf_addf(&md, " \"%s\"", cap.ptr);
		buf_addc(&md, ')');
		import_line_links(m->cx, m->p, lines[i].no, md.ptr, md.len, out);
		buf_addc(out, '\n');
		buf_release(&md);
		import_count(m->cx, IMPORT_FIGURE);
		next = end + 1;
	}
	buf_release(&img);
	buf_release(&cap);
	return next;
}

static size_t mk_copy_fence(const mk_line *lines, size_t i, size_t to, buf *out)
{
	char c, c2;
	size_t n, n2, j = i + 1;
	mk_fence(&lines[i], &c, &n);
	while (j < to && !(mk_fence(&lines[j], &c2, &n2) && c2 == c && n2 >= n))
		j++;
	size_t stop = j < to ? j + 1 : to;
	for (size_t k = i; k < stop; k++) {
		buf_add(out, lines[k].s, lines[k].n);
		buf_addc(out, '\n');
	}
	return stop;
}

/* A raw HTML block from line i (to the next blank line): replaced by its
 * images when it has some (their src relative to the page's URL, as MkDocs
 * leaves raw HTML), else kept and listed.  The line after it. */
static size_t mk_html(mk_page *m, const mk_line *lines, size_t i, size_t to, buf *out)
{
	import_ctx *cx = m->cx;
	size_t end = i;
	buf html = BUF_INIT;
	for (; end < to && mk_indent(&lines[end]) != (size_t)-1; end++) {
		buf_add(&html, lines[end].s, lines[end].n);
		buf_addc(&html, '\n');
	}
	/* "a/b.md" is served at a/b/: its raw HTML's paths start there */
	const char *base = strrchr(m->p->src, '/');
	base = base ? base + 1 : m->p->src;
	size_t n = strlen(m->p->src);
	const char *url_dir = strcmp(base, "index.md") == 0 ? import_dirname(cx, m->p->src)
							    : arena_strndup(&cx->a, m->p->src, n > 3 ? n - 3 : n);
	size_t imgs = import_html_images(cx, m->p, lines[i].no, html.ptr, html.len, url_dir, out);
	if (imgs) {
		import_note(cx, m->p->src, lines[i].no, "raw HTML block with %zu image%s; replaced by %s", imgs,
			    imgs > 1 ? "s" : "", imgs > 1 ? "them" : "it");
		import_count(cx, IMPORT_FIGURE);
	} else {
		import_note(cx, m->p->src, lines[i].no,
			    "raw HTML block; kept in the page, shown only with "
			    "unsafe_html: true in site.yaml");
		for (size_t j = i; j < end; j++) {
			import_line_links(cx, m->p, lines[j].no, lines[j].s, lines[j].n, out);
			buf_addc(out, '\n');
		}
	}
	buf_release(&html);
	return end;
}

/* An admonition or tab indented under a list item ("    !!! note"). */
static bool mk_indented_block(const mk_line *l)
{
	size_t k = 0;
	while (k < l->n && l->s[k] == ' ')
		k++;
	if (k < 2 || k >= l->n)
		return false;
	mk_line t = { l->s + k, l->n - k, l->no };
	return (t.n >= 4 && (memcmp(t.s, "!!!", 3) == 0 || memcmp(t.s, "???", 3) == 0)) || mk_is_tab(&t);
}

/* The indented block at line i: its lines, less that indent, converted
 * and indented again, so that it stays in its list item. */
static size_t mk_indented(mk_page *m, const mk_line *lines, size_t i, size_t to, buf *out, int nest, phare_status *s)
{
	size_t k = 0;
	while (lines[i].s[k] == ' ')
		k++;
	size_t stop = i + 1;
	for (; stop < to; stop++) {
		size_t ind = mk_indent(&lines[stop]);
		if (ind == (size_t)-1)
			continue;
		mk_line t = { lines[stop].s + (ind < lines[stop].n ? ind : 0), lines[stop].n - ind, lines[stop].no };
		if (ind < k || (ind == k && !mk_is_tab(&t)))
			break;
	}
	while (stop > i + 1 && mk_indent(&lines[stop - 1]) == (size_t)-1)
		stop--;
	mk_line *sub = arena_alloc(&m->cx->a, (stop - i) * sizeof(mk_line));
	for (size_t j = i; j < stop; j++) {
		size_t cut = lines[j].n < k ? lines[j].n : k;
		for (size_t c = 0; c < cut; c++)
			if (lines[j].s[c] != ' ')
				cut = c;
		sub[j - i] = (mk_line){ lines[j].s + cut, lines[j].n - cut, lines[j].no };
	}
	buf inner = BUF_INIT;
	*s = mk_blocks(m, sub, 0, stop - i, &inner, nest + 1);
	char pad[64];
	size_t pk = k < sizeof pad - 1 ? k : sizeof pad - 1;
	memset(pad, ' ', pk);
	pad[pk] = '\0';
	while (inner.len && inner.ptr[inner.len - 1] == '\n')
		inner.len--;
	for (const char *p = inner.ptr, *end = inner.ptr + inner.len, *nl; p < end; p = nl ? nl + 1 : end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n)
			buf_adds(out, pad);
		buf_add(out, p, n);
		buf_addc(out, '\n');
	}
	buf_release(&inner);
	return stop;
}

static phare_status mk_blocks(mk_page *m, const mk_line *lines, size_t from, size_t to, buf *out, int nest)
{
	phare_status s = PHARE_OK;
	char c;
	size_t n;
	buf line = BUF_INIT;
	for (size_t i = from; i < to && !s;) {
		const mk_line *l = &lines[i];
		if (mk_fence(l, &c, &n)) {
			i = mk_copy_fence(lines, i, to, out);
			continue;
		}
		if (nest < IMPORT_MAX_NEST && l->n >= 4 &&
		    (memcmp(l->s, "!!!", 3) == 0 || memcmp(l->s, "???", 3) == 0)) {
			i = mk_admonition(m, lines, i, to, out, nest, &s);
			continue;
		}
		if (nest < IMPORT_MAX_NEST && mk_is_tab(l)) {
			i = mk_tabs(m, lines, i, to, out, nest, &s);
			continue;
		}
		if (nest < IMPORT_MAX_NEST && mk_indented_block(l)) {
			i = mk_indented(m, lines, i, to, out, nest, &s);
			continue;
		}
		if (l->n > 15 && memcmp(l->s, "<figure markdown", 16) == 0) {
			size_t next = mk_figure(m, lines, i, to, out);
			if (next) {
				i = next;
				continue;
			}
		}
		/* "<code>text</code>" opens a paragraph, not an HTML block (an
		 * inline tag with text after it, as CommonMark reads it) */
		if (l->n > 1 && l->s[0] == '<' && l->s[1] >= 'a' && l->s[1] <= 'z' && (i == from || !lines[i - 1].n) &&
		    !(l->n > 6 && memcmp(l->s, "<code>", 6) == 0)) {
			i = mk_html(m, lines, i, to, out);
			continue;
		}
		buf_reset(&line);
		if (l->n && l->s[0] == '#') {
			mk_heading(m, l, &line);
		} else {
			buf tags = BUF_INIT;
			mk_inline_tags(m, l, &tags);
			mk_line t = { tags.ptr, tags.len, l->no };
			mk_drop_attrs(m, &t, &line);
			buf_release(&tags);
		}
		import_line_links(m->cx, m->p, l->no, line.ptr, line.len, out);
		buf_addc(out, '\n');
		i++;
	}
	buf_release(&line);
	return s;
}

/* Front matter: title and description kept, the rest listed. */
static int mk_front_matter(import_ctx *cx, import_page *p, const char **text, size_t *len)
{
	const char *t = *text, *end = t + *len;
	if (*len < 4 || memcmp(t, "---", 3) != 0 || (t[3] != '\n' && t[3] != '\r'))
		return 1;
	const char *fm = strchr(t, '\n') + 1, *close = NULL;
	int line = 2;
	for (const char *q = fm; q < end; line++) {
		if (strncmp(q, "---", 3) == 0 && (q[3] == '\n' || q[3] == '\r' || q[3] == '\0')) {
			close = q;
			break;
		}
		const char *nl = strchr(q, '\n');
		q = nl ? nl + 1 : end;
	}
	if (!close)
		return 1;
	value *root = NULL;
	diag_set_quiet(true);
	phare_status s = yamldoc_parse(&cx->a, p->src, fm, (size_t)(close - fm), 2, &root);
	diag_set_quiet(false);
	if (s)
		import_note(cx, p->src, 1, "front matter that is not valid YAML; dropped");
	for (size_t k = 0; root && root->kind == VAL_MAP && k < root->u.map.len; k++) {
		const char *key = root->u.map.keys[k];
		const value *v = root->u.map.vals[k];
		if (strcmp(key, "description") == 0 && mk_str(v))
			p->description = v->str;
		else if (strcmp(key, "title") == 0 && mk_str(v))
			p->title = v->str;
		else
			import_note(cx, p->src, v->line, "front matter '%s'; dropped", key);
	}
	const char *body = strchr(close, '\n');
	body = body ? body + 1 : end;
	*len -= (size_t)(body - t);
	*text = body;
	return line + 1;
}

static phare_status mk_convert(import_ctx *cx, import_page *p)
{
	mk_page m = { cx, p };
	const char *text = p->text;
	size_t len = p->text_len, cap = 1;
	int no = mk_front_matter(cx, p, &text, &len);
	for (size_t i = 0; i < len; i++)
		cap += text[i] == '\n';
	mk_line *lines = arena_alloc(&cx->a, cap * sizeof(mk_line));
	size_t n = 0;
	for (const char *q = text, *end = text + len, *nl; q < end; q = nl ? nl + 1 : end) {
		nl = memchr(q, '\n', (size_t)(end - q));
		size_t k = nl ? (size_t)(nl - q) : (size_t)(end - q);
		while (k && q[k - 1] == '\r')
			k--;
		lines[n++] = (mk_line){ q, k, no++ };
	}
	size_t from = 0;
	while (from < n && lines[from].n == 0)
		from++;
	/* the first "# Title" names the page (MkDocs does the same) */
	if (from < n && lines[from].n > 2 && memcmp(lines[from].s, "# ", 2) == 0) {
		const char *t = lines[from].s + 2, *e = lines[from].s + lines[from].n,
			   *b = memchr(t, '{', (size_t)(e - t));
		while (b && b > t && b[-1] == ' ')
			b--;
		p->title = arena_strndup(&cx->a, t, (size_t)((b ? b : e) - t));
		from++;
	}
	return mk_blocks(&m, lines, from, n, &p->body, 0);
}

/* MkDocs' URL (use_directory_urls): "a/b.md" -> "/a/b/", "a/index.md" -> "/a/". */
static void mk_old_url(const import_page *p, buf *out)
{
	size_t n = strlen(p->src);
	const char *base = strrchr(p->src, '/');
	base = base ? base + 1 : p->src;
	buf_addc(out, '/');
	if (strcmp(base, "index.md") == 0 || strcasecmp(base, "README.md") == 0)
		buf_add(out, p->src, (size_t)(base - p->src));
	else
		buf_addf(out, "%.*s/", (int)(n > 3 ? n - 3 : n), p->src);
}

const import_format import_mkdocs = { "mkdocs", mk_load_site, mk_convert, mk_old_url };

/* import_hugo.c: a Hugo docs tree (import.h).
 *
 * config.toml / hugo.toml (a small TOML subset: top-level keys and
 * [languages.CODE] tables) or config.yaml / hugo.yaml give the title, the
 * languages (defaultContentLanguage first) and contentDir.  The folders of
 * contentDir are the tree: a folder is a section (its _index.md the section's
 * page), a folder with index.md a page (a leaf bundle, its files beside it),
 * siblings ordered by weight then name.  A page's language is in its file name
 * (page.fr.md; no suffix: the default language) or its language's contentDir;
 * each language is imported in turn into the same DIR.  Front matter (YAML
 * or TOML): title, description, weight, date/lastmod -> updated, draft, slug,
 * aliases (listed as old URLs).  Shortcodes: notice -> notices, expand and
 * details -> folded notices, tabs/tab -> tabs, figure -> a figure, ref and
 * relref -> links, mermaid -> a code block; any other is kept visibly (as
 * code) and counted in IMPORT.md. */
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

#define HG_MAX_LANGS 31

typedef struct hg_lang {
	const char *code, *dir;
	double weight;
} hg_lang;

typedef struct hg_conf {
	const char *title, *def, *content;
	hg_lang langs[HG_MAX_LANGS];
	size_t n_langs;
} hg_conf;

typedef struct hg_line {
	const char *s;
	size_t n;
	int no;
} hg_line;

/* ---- config ---- */

static char *hg_unquote(import_ctx *cx, const char *v, size_t n)
{
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\r'))
		n--;
	while (n && *v == ' ')
		v++, n--;
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0])
		return arena_strndup(&cx->a, v + 1, n - 2);
	const char *hash = memchr(v, '#', n); /* a comment after a bare value */
	if (hash)
		n = (size_t)(hash - v);
	while (n && v[n - 1] == ' ')
		n--;
	return arena_strndup(&cx->a, v, n);
}

static hg_lang *hg_lang_of(hg_conf *c, import_ctx *cx, const char *code, size_t n)
{
	for (size_t i = 0; i < c->n_langs; i++)
		if (strlen(c->langs[i].code) == n && strncasecmp(c->langs[i].code, code, n) == 0)
			return &c->langs[i];
	if (c->n_langs == HG_MAX_LANGS)
		return NULL;
	char *lc = arena_strndup(&cx->a, code, n);
	for (char *p = lc; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	c->langs[c->n_langs] = (hg_lang){ lc, NULL, 0 };
	return &c->langs[c->n_langs++];
}

static void hg_conf_key(hg_conf *c, import_ctx *cx, const char *table, const char *k, size_t kn, char *v)
{
	if (!*table) {
		if (kn == 5 && strncasecmp(k, "title", 5) == 0)
			c->title = v;
		else if (kn == 22 && strncasecmp(k, "defaultContentLanguage", 22) == 0)
			c->def = v;
		else if (kn == 10 && strncasecmp(k, "contentDir", 10) == 0)
			c->content = v;
		return;
	}
	if (strncasecmp(table, "languages.", 10) != 0 || strchr(table + 10, '.'))
		return;
	hg_lang *l = hg_lang_of(c, cx, table + 10, strlen(table + 10));
	if (l && kn == 6 && strncasecmp(k, "weight", 6) == 0)
		l->weight = atof(v);
	else if (l && kn == 10 && strncasecmp(k, "contentDir", 10) == 0)
		l->dir = v;
}

/* The TOML subset: [table] headers, key = value lines. */
static void hg_toml(hg_conf *c, import_ctx *cx, const char *text, size_t len)
{
	char table[128] = "";
	for (const char *p = text, *end = text + len, *nl; p < end; p = nl ? nl + 1 : end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		while (n && *p == ' ')
			p++, n--;
		if (!n || *p == '#')
			continue;
		if (*p == '[') {
			const char *e = memchr(p, ']', n);
			size_t skip = p[1] == '[' ? 2 : 1;
			if (e && (size_t)(e - p) > skip)
				snprintf(table, sizeof table, "%.*s", (int)(e - p - (long)skip), p + skip);
			if (p[1] == '[') /* [[array]]: nothing phare needs */
				snprintf(table, sizeof table, "-");
			continue;
		}
		const char *eq = memchr(p, '=', n);
		if (!eq)
			continue;
		size_t kn = (size_t)(eq - p);
		while (kn && p[kn - 1] == ' ')
			kn--;
		hg_conf_key(c, cx, table, p, kn, hg_unquote(cx, eq + 1, n - (size_t)(eq - p) - 1));
	}
}

static void hg_yaml(hg_conf *c, import_ctx *cx, const value *root)
{
	for (size_t k = 0; root && root->kind == VAL_MAP && k < root->u.map.len; k++) {
		const char *key = root->u.map.keys[k];
		const value *v = root->u.map.vals[k];
		if (v->str)
			hg_conf_key(c, cx, "", key, strlen(key), arena_strdup(&cx->a, v->str));
		if (strcasecmp(key, "languages") == 0 && v->kind == VAL_MAP)
			for (size_t j = 0; j < v->u.map.len; j++) {
				const value *l = v->u.map.vals[j];
				char *table = arena_printf(&cx->a, "languages.%s", v->u.map.keys[j]);
				for (size_t i = 0; l->kind == VAL_MAP && i < l->u.map.len; i++)
					if (l->u.map.vals[i]->str)
						hg_conf_key(c, cx, table, l->u.map.keys[i], strlen(l->u.map.keys[i]),
							    arena_strdup(&cx->a, l->u.map.vals[i]->str));
			}
	}
}

static int hg_cmp_lang(const void *a, const void *b)
{
	const hg_lang *x = a, *y = b;
	return x->weight < y->weight ? -1 : x->weight > y->weight ? 1 : strcmp(x->code, y->code);
}

static void hg_config(import_ctx *cx, hg_conf *c)
{
	static const char *const names[] = { "hugo.toml", "config.toml", "hugo.yaml", "config.yaml",
					     "hugo.yml",  "config.yml",  NULL };
	for (const char *const *n = names; *n; n++) {
		char *path = fsx_join(cx->src, *n);
		buf t = BUF_INIT;
		if (fsx_is_file(path) && fsx_read(path, &t, IMPORT_MAX_NAV_BYTES) == PHARE_OK) {
			if (strstr(*n, ".toml")) {
				hg_toml(c, cx, t.ptr, t.len);
			} else {
				value *root = NULL;
				diag_set_quiet(true);
				if (yamldoc_parse(&cx->a, path, t.ptr, t.len, 1, &root) == PHARE_OK)
					hg_yaml(c, cx, root);
				diag_set_quiet(false);
			}
			buf_release(&t);
			free(path);
			break;
		}
		buf_release(&t);
		free(path);
	}
	if (c->n_langs > 1)
		qsort(c->langs, c->n_langs, sizeof(hg_lang), hg_cmp_lang);
	if (!c->def)
		c->def = c->n_langs ? c->langs[0].code : "en";
}

/* ---- the tree ---- */

typedef struct hg_load {
	import_ctx *cx;
	hg_conf conf;
	const char *lang; /* the language imported */
} hg_load;

typedef struct hg_entry {
	const char *name; /* base name ("install", "_index") or folder */
	const char *src;  /* canonical: "content/dir/install.md" */
	const char *file; /* this language's file, or NULL */
	const char *any;  /* a file of any language, for weight and title */
	double weight;
	bool dir, bundle;
} hg_entry;

/* Whether name (without .md) ends in ".CODE" of a known language: its length. */
static size_t hg_lang_suffix(const hg_conf *c, const char *name, size_t n, const char **code)
{
	for (size_t i = 0; i < c->n_langs; i++) {
		size_t k = strlen(c->langs[i].code);
		if (n > k + 1 && name[n - k - 1] == '.' && strncmp(name + n - k, c->langs[i].code, k) == 0) {
			*code = c->langs[i].code;
			return k + 1;
		}
	}
	*code = NULL;
	return 0;
}

static bool hg_exists(import_ctx *cx, const char *rel)
{
	char *full = fsx_join(cx->root, rel);
	bool ok = fsx_is_file(full);
	free(full);
	return ok;
}

/* The weight a page's front matter gives (first "weight" line), or 1e9. */
static double hg_weight(import_ctx *cx, const char *rel)
{
	char *full = fsx_join(cx->root, rel);
	buf t = BUF_INIT;
	double w = 1e9;
	if (fsx_read(full, &t, IMPORT_MAX_PAGE_BYTES) == PHARE_OK) {
		for (const char *p = t.ptr; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
			if (strncmp(p, "weight", 6) == 0 && (p[6] == ':' || p[6] == ' ' || p[6] == '=')) {
				const char *v = p + 6;
				while (*v == ' ' || *v == ':' || *v == '=')
					v++;
				w = atof(v);
				break;
			}
			if (p != t.ptr && (strncmp(p, "---", 3) == 0 || strncmp(p, "+++", 3) == 0))
				break;
		}
	}
	buf_release(&t);
	free(full);
	return w;
}

static int hg_cmp_entry(const void *a, const void *b)
{
	const hg_entry *x = a, *y = b;
	if (x->weight != y->weight)
		return x->weight < y->weight ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The files of base name "base" in folder dir: this language's and any. */
static void hg_variants(hg_load *hl, const char *dir, const char *base, const char **mine, const char **any)
{
	import_ctx *cx = hl->cx;
	*mine = *any = NULL;
	char *own = arena_printf(&cx->a, "%s/%s.%s.md", dir, base, hl->lang);
	char *plain = arena_printf(&cx->a, "%s/%s.md", dir, base);
	if (hg_exists(cx, own))
		*mine = own;
	else if (strcmp(hl->lang, hl->conf.def) == 0 && hg_exists(cx, plain))
		*mine = plain;
	*any = *mine ? *mine : hg_exists(cx, plain) ? plain : NULL;
	for (size_t i = 0; !*any && i < hl->conf.n_langs; i++) {
		char *f = arena_printf(&cx->a, "%s/%s.%s.md", dir, base, hl->conf.langs[i].code);
		if (hg_exists(cx, f))
			*any = f;
	}
}

static phare_status hg_walk(hg_load *hl, import_page *parent, const char *dir, size_t depth);

static phare_status hg_add(hg_load *hl, import_page *parent, const hg_entry *e, size_t depth)
{
	import_ctx *cx = hl->cx;
	if (cx->n_pages >= IMPORT_MAX_PAGES) {
		diag_error(e->src, 0, 0, "more than %d pages; import the tree in parts", IMPORT_MAX_PAGES);
		return PHARE_ERR_LIMIT;
	}
	const char *title = e->name;
	import_page *p = import_add_page(cx, parent, e->any ? e->src : NULL, title, e->src, 0);
	p->file = e->file;
	p->absent = e->any && !e->file;
	if (e->dir && !e->bundle) {
		char *sub = import_dirname(cx, e->src);
		phare_status s = e->file ? import_read_page(cx, p) : PHARE_OK;
		return s ? s : hg_walk(hl, p, sub, depth + 1);
	}
	return e->file ? import_read_page(cx, p) : PHARE_OK;
}

/* Whether folder dir holds a Markdown file, at most IMPORT_MAX_NEST down. */
static bool hg_has_md(import_ctx *cx, const char *dir, size_t depth)
{
	char *full = fsx_join(cx->root, dir);
	char **names = fsx_list(full);
	bool found = false;
	for (char **n = names; n && *n && !found && depth < IMPORT_MAX_NEST; n++) {
		size_t len = strlen(*n);
		char *sub = fsx_join(full, *n);
		found = (len > 3 && strcmp(*n + len - 3, ".md") == 0 && fsx_is_file(sub)) ||
			(fsx_is_dir(sub) && !import_is_link(cx, arena_printf(&cx->a, "%s/%s", dir, *n)) &&
			 hg_has_md(cx, arena_printf(&cx->a, "%s/%s", dir, *n), depth + 1));
		free(sub);
	}
	fsx_free_list(names);
	free(full);
	return found;
}

/* The entries of folder dir (pages, bundles, sections), sorted. */
static size_t hg_entries(hg_load *hl, const char *dir, char **names, hg_entry *out, size_t max)
{
	import_ctx *cx = hl->cx;
	size_t n = 0;
	for (char **nm = names; *nm && n < max; nm++) {
		const char *name = *nm;
		size_t len = strlen(name);
		char *full = fsx_join(cx->root, arena_printf(&cx->a, "%s/%s", dir, name));
		bool is_dir = fsx_is_dir(full);
		free(full);
		if (name[0] == '.')
			continue;
		hg_entry e = { 0 };
		if (is_dir && import_is_link(cx, arena_printf(&cx->a, "%s/%s", dir, name))) {
			import_note(cx, arena_printf(&cx->a, "%s/%s", dir, name), 0,
				    "a symbolic link to a folder; not followed");
			continue;
		}
		if (is_dir && !hg_has_md(cx, arena_printf(&cx->a, "%s/%s", dir, name), 0))
			continue; /* a folder of images: its files go with the pages that use them */
		if (is_dir) {
			e.name = arena_strdup(&cx->a, name);
			const char *sub = arena_printf(&cx->a, "%s/%s", dir, name);
			hg_variants(hl, sub, "index", &e.file, &e.any);
			e.bundle = e.any != NULL;
			if (!e.bundle)
				hg_variants(hl, sub, "_index", &e.file, &e.any);
			e.dir = true;
			e.src = arena_printf(&cx->a, "%s/%s.md", sub, e.bundle ? "index" : "_index");
		} else {
			const char *code;
			if (len < 4 || strcmp(name + len - 3, ".md") != 0)
				continue;
			size_t k = hg_lang_suffix(&hl->conf, name, len - 3, &code);
			char *base = arena_strndup(&cx->a, name, len - 3 - k);
			if (strcmp(base, "_index") == 0 || strcmp(base, "index") == 0)
				continue;
			bool seen = false;
			for (size_t i = 0; i < n; i++)
				seen |= !out[i].dir && strcmp(out[i].name, base) == 0;
			if (seen)
				continue;
			e.name = base;
			e.src = arena_printf(&cx->a, "%s/%s.md", dir, base);
			hg_variants(hl, dir, base, &e.file, &e.any);
		}
		e.weight = e.any ? hg_weight(cx, e.any) : 1e9;
		out[n++] = e;
	}
	if (n > 1)
		qsort(out, n, sizeof(hg_entry), hg_cmp_entry);
	return n;
}

static phare_status hg_walk(hg_load *hl, import_page *parent, const char *dir, size_t depth)
{
	import_ctx *cx = hl->cx;
	if (depth > IMPORT_MAX_NEST) {
		diag_error(dir, 0, 0, "folders nest more than %d levels; flatten the tree", IMPORT_MAX_NEST);
		return PHARE_ERR_LIMIT;
	}
	char *full = fsx_join(cx->root, dir);
	char **names = fsx_list(full);
	free(full);
	size_t count = 0;
	for (char **nm = names; nm && *nm; nm++)
		count++;
	hg_entry *es = xcalloc(count + 1, sizeof(hg_entry));
	size_t n = names ? hg_entries(hl, dir, names, es, count) : 0;
	phare_status s = PHARE_OK;
	for (size_t i = 0; i < n && !s; i++)
		s = hg_add(hl, parent, &es[i], depth);
	free(es);
	fsx_free_list(names);
	return s;
}

static phare_status hg_load_tree(import_ctx *cx)
{
	hg_load hl = { .cx = cx };
	hg_config(cx, &hl.conf);
	if (!cx->variant && !cx->lang) { /* every language; --lang: that one only */
		for (size_t i = 0; i < hl.conf.n_langs && cx->n_more < 31; i++)
			if (strcmp(hl.conf.langs[i].code, hl.conf.def) != 0)
				cx->more_langs[cx->n_more++] = hl.conf.langs[i].code;
		if (!cx->lang)
			cx->lang = hl.conf.def;
	}
	hl.lang = cx->variant ? cx->variant : cx->lang ? cx->lang : hl.conf.def;
	const char *content = hl.conf.content ? hl.conf.content : "content";
	for (size_t i = 0; i < hl.conf.n_langs; i++)
		if (strcmp(hl.conf.langs[i].code, hl.lang) == 0 && hl.conf.langs[i].dir) {
			content = hl.conf.langs[i].dir;
			hl.conf.def = hl.lang; /* its own folder: files without a suffix are its */
		}
	char *rel = import_resolve(cx, "", content, strlen(content));
	char *full = rel && *rel ? fsx_join(cx->src, rel) : NULL;
	bool ok = full && fsx_is_dir(full);
	free(full);
	if (!ok) {
		diag_error(cx->src, 0, 0,
			   "no content folder '%s': give the folder of a Hugo site (with config.toml "
			   "or hugo.toml and content/)",
			   content);
		return PHARE_ERR_INPUT;
	}
	if (hl.conf.title)
		cx->site_title = hl.conf.title;
	/* the home page first, then the tree */
	hg_entry home = { .name = "_index", .src = arena_printf(&cx->a, "%s/_index.md", rel) };
	hg_variants(&hl, rel, "_index", &home.file, &home.any);
	if (home.any) {
		import_page *p = import_add_page(cx, &cx->top, home.src, "Home", home.src, 0);
		p->home = true;
		p->file = home.file;
		p->absent = !home.file;
		phare_status s = home.file ? import_read_page(cx, p) : PHARE_OK;
		if (s)
			return s;
	}
	phare_status s = hg_walk(&hl, &cx->top, rel, 0);
	if (!s && cx->n_pages == 0) {
		diag_error(cx->src, 0, 0, "no Markdown page under '%s'", content);
		s = PHARE_ERR_INPUT;
	}
	return s;
}

/* ---- front matter ---- */

/* TOML front matter lines as the value tree YAML would give. */
static value *hg_toml_fm(import_ctx *cx, const char *text, size_t len, int first_line)
{
	value *root = value_map(&cx->a);
	int line = first_line;
	for (const char *p = text, *end = text + len, *nl; p < end; p = nl ? nl + 1 : end, line++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *eq = memchr(p, '=', n);
		if (!eq || *p == '#' || *p == '[')
			continue;
		size_t kn = (size_t)(eq - p);
		while (kn && p[kn - 1] == ' ')
			kn--;
		const char *v = eq + 1, *ve = p + n;
		while (v < ve && *v == ' ')
			v++;
		value *val;
		if (v < ve && *v == '[') {
			val = value_list(&cx->a);
			for (const char *q = v; q < ve; q++)
				if (*q == '"' || *q == '\'') {
					const char *c = memchr(q + 1, *q, (size_t)(ve - q - 1));
					if (!c)
						break;
					value_list_push(&cx->a, val,
							value_string(&cx->a, hg_unquote(cx, q, (size_t)(c - q + 1))));
					q = c;
				}
		} else {
			char *s = hg_unquote(cx, v, (size_t)(ve - v));
			val = strcmp(s, "true") == 0    ? value_bool(&cx->a, true)
			      : strcmp(s, "false") == 0 ? value_bool(&cx->a, false)
							: value_string(&cx->a, s);
		}
		val->line = line;
		value_map_set(&cx->a, root, arena_strndup(&cx->a, p, kn), val);
	}
	return root;
}

static bool hg_is_date(const char *s)
{
	for (int i = 0; i < 10; i++)
		if (!s[i] || ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9')))
			return false;
	return true;
}

static void hg_field(import_ctx *cx, import_page *p, const char *key, const value *v, const char **date)
{
	const char *str = v->kind != VAL_LIST && v->kind != VAL_MAP ? v->str : NULL;
	if (strcasecmp(key, "title") == 0 && str)
		p->title = str;
	else if (strcasecmp(key, "description") == 0 && str)
		p->description = str;
	else if (strcasecmp(key, "slug") == 0 && str)
		p->slug = str;
	else if (strcasecmp(key, "draft") == 0)
		p->draft = v->kind == VAL_BOOL ? v->u.b : str && strcmp(str, "true") == 0;
	else if ((strcasecmp(key, "lastmod") == 0 || (strcasecmp(key, "date") == 0 && !*date)) && str &&
		 hg_is_date(str))
		*date = str;
	else if (strcasecmp(key, "aliases") == 0 && v->kind == VAL_LIST) {
		for (size_t i = 0; i < v->u.list.len && p->n_aliases < 8; i++)
			if (v->u.list.items[i]->str)
				p->aliases[p->n_aliases++] = v->u.list.items[i]->str;
	} else if (strcasecmp(key, "weight") != 0 && strcasecmp(key, "date") != 0)
		import_note(cx, p->file, v->line, "front matter '%s'; dropped", key);
}

/* Reads p's front matter (at load: slug and title place the page) and
 * leaves p->text at the body; the body's first line number in *first. */
static void hg_front(import_ctx *cx, import_page *p, int *first)
{
	const char *t = p->text, *end = t + p->text_len;
	*first = 1;
	if (p->text_len < 4 || (memcmp(t, "---", 3) != 0 && memcmp(t, "+++", 3) != 0) || (t[3] != '\n' && t[3] != '\r'))
		return;
	char fence = t[0];
	const char *fm = strchr(t, '\n') + 1, *close = NULL;
	int line = 2;
	for (const char *q = fm; q < end; line++) {
		if (q[0] == fence && q[1] == fence && q[2] == fence && (q[3] == '\n' || q[3] == '\r' || !q[3])) {
			close = q;
			break;
		}
		const char *nl = strchr(q, '\n');
		q = nl ? nl + 1 : end;
	}
	if (!close)
		return;
	value *root = NULL;
	if (fence == '+') {
		root = hg_toml_fm(cx, fm, (size_t)(close - fm), 2);
	} else {
		diag_set_quiet(true);
		if (yamldoc_parse(&cx->a, p->file, fm, (size_t)(close - fm), 2, &root))
			import_note(cx, p->file, 1, "front matter that is not valid YAML; dropped");
		diag_set_quiet(false);
	}
	const char *date = NULL;
	for (size_t k = 0; root && root->kind == VAL_MAP && k < root->u.map.len; k++)
		hg_field(cx, p, root->u.map.keys[k], root->u.map.vals[k], &date);
	if (date)
		snprintf(p->updated, sizeof p->updated, "%.10s", date);
	const char *body = strchr(close, '\n');
	body = body ? body + 1 : end;
	p->text_len -= (size_t)(body - t);
	p->text = body;
	*first = line + 1;
}

static phare_status hg_load_site(import_ctx *cx)
{
	phare_status s = hg_load_tree(cx);
	for (size_t i = 0; i < cx->n_pages && !s; i++) {
		import_page *p = cx->pages[i];
		int first;
		if (p->text && !p->absent) {
			hg_front(cx, p, &first);
			p->body_line = first;
		}
	}
	return s;
}

/* ---- shortcodes ---- */

typedef struct hg_page {
	import_ctx *cx;
	import_page *p;
	hg_line *lines;
	size_t n;
} hg_page;

/* A shortcode "{{< name args >}}" or "{{% … %}}" at s[0..n): its length,
 * the name and whether it closes; 0 if there is none. */
static size_t hg_token(const char *s, size_t n, const char **name, size_t *nlen, bool *closing, bool *escaped)
{
	if (n < 6 || s[0] != '{' || s[1] != '{' || (s[2] != '<' && s[2] != '%'))
		return 0;
	char kind = s[2] == '<' ? '>' : '%'; /* {{< … >}} or {{% … %}} */
	const char *end = NULL;
	for (size_t i = 3; i + 2 < n; i++)
		if (s[i] == kind && s[i + 1] == '}' && s[i + 2] == '}') {
			end = s + i;
			break;
		}
	if (!end)
		return 0;
	const char *p = s + 3;
	*escaped = p < end && *p == '/' && p + 1 < end && p[1] == '*';
	if (*escaped)
		p += 2;
	while (p < end && *p == ' ')
		p++;
	*closing = p < end && *p == '/';
	if (*closing)
		p++;
	while (p < end && *p == ' ')
		p++;
	*name = p;
	while (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			   *p == '-' || *p == '_'))
		p++;
	*nlen = (size_t)(p - *name);
	return *nlen || *escaped ? (size_t)(end - s) + 3 : 0;
}

static bool hg_is(const char *name, size_t n, const char *want)
{
	return strlen(want) == n && memcmp(name, want, n) == 0;
}

static bool hg_is_notice(const char *name, size_t n)
{
	return hg_is(name, n, "notice") || hg_is(name, n, "alert") || hg_is(name, n, "callout") ||
	       hg_is(name, n, "hint") || hg_is(name, n, "admonition");
}

static bool hg_is_block(const char *name, size_t n)
{
	/* notice (Learn, Relearn), alert (Docsy), callout (Hextra), hint (Book),
	 * admonition: notices; tabs/tabpane and tab; code kept as code */
	return hg_is_notice(name, n) || hg_is(name, n, "expand") || hg_is(name, n, "details") ||
	       hg_is(name, n, "tabs") || hg_is(name, n, "tabpane") || hg_is(name, n, "tab") ||
	       hg_is(name, n, "mermaid") || hg_is(name, n, "highlight");
}

/* The first "quoted" argument of a token, or the value of key="…". */
static char *hg_arg(import_ctx *cx, const char *tok, size_t n, const char *key)
{
	const char *p = tok, *end = tok + n;
	if (key) {
		size_t k = strlen(key);
		for (p = tok + 1; p + k + 1 < end; p++)
			if ((p[-1] == ' ') && memcmp(p, key, k) == 0 && p[k] == '=' &&
			    (p[k + 1] == '"' || p[k + 1] == '\''))
				break;
		if (p + k + 1 >= end)
			return NULL;
		p += k + 1;
	} else {
		while (p < end && *p != '"' && *p != '\'')
			p++;
		if (p >= end)
			return NULL;
	}
	const char *q = memchr(p + 1, *p, (size_t)(end - p - 1));
	return q ? arena_strndup(&cx->a, p + 1, (size_t)(q - p - 1)) : NULL;
}

/* The bare words after the name ("tip" of "{{% notice tip %}}"). */
static char *hg_word(import_ctx *cx, const char *after, const char *end)
{
	while (after < end && *after == ' ')
		after++;
	const char *w = after;
	while (after < end && *after != ' ' && *after != '%' && *after != '>' && *after != '"')
		after++;
	return arena_strndup(&cx->a, w, (size_t)(after - w));
}

/* ref / relref "path": a root-relative source path ("/content/a/b.md#x"). */
static char *hg_ref(hg_page *h, const char *arg)
{
	import_ctx *cx = h->cx;
	const char *hash = strchr(arg, '#');
	size_t n = hash ? (size_t)(hash - arg) : strlen(arg);
	char *path = arena_strndup(&cx->a, arg, n);
	/* a language in the name ("archetypes.en.md") */
	size_t len = strlen(path);
	if (len > 6 && strcmp(path + len - 3, ".md") == 0) {
		char *dot = memrchr(path, '.', len - 3);
		if (dot && (size_t)(path + len - 3 - dot) <= 6 && !strchr(dot, '/')) {
			memmove(dot, path + len - 3, 4);
		}
	}
	const char *content = import_dirname(cx, h->p->src);
	while (strchr(content, '/'))
		content = import_dirname(cx, content);
	if (!*path) /* "#anchor": this page */
		return arena_printf(&cx->a, "/%s%s", h->p->src, hash ? hash : "");
	char *full = path[0] == '/' ? arena_printf(&cx->a, "/%s%s", content, path)
				    : arena_printf(&cx->a, "/%s/%s", content, path);
	char *res = import_resolve(cx, "", full, strlen(full));
	if (res && !import_find_page(cx, res) && !strchr(path, '/')) {
		/* Hugo finds "name.md" anywhere: the only page of that name */
		for (size_t i = 0; i < cx->n_pages; i++) {
			const char *src = cx->pages[i]->src, *base = src ? strrchr(src, '/') : NULL;
			if (base && strcmp(base + 1, path) == 0)
				full = arena_printf(&cx->a, "/%s", src);
		}
	}
	return hash ? arena_printf(&cx->a, "%s%s", full, hash) : full;
}

/* One line outside code: escaped shortcodes as code, ref/relref as paths,
 * figure as an image, block shortcodes on lines of their own, any other
 * kept as code and listed.  Appends "\n"-separated lines to out and their
 * numbers to nos. */
static void hg_pre_line(hg_page *h, const hg_line *l, buf *out, size_t *n_lines)
{
	import_ctx *cx = h->cx;
	const char *s = l->s, *end = s + l->n;
	while (s < end) {
		const char *name;
		size_t nlen;
		bool closing, escaped;
		size_t k = (size_t)(end - s) >= 6 ? hg_token(s, (size_t)(end - s), &name, &nlen, &closing, &escaped)
						  : 0;
		if (!k) {
			buf_addc(out, *s++);
			continue;
		}
		if (escaped) { /* an escaped shortcode: Hugo shows it without its comment marks */
			buf_adds(out, "`");
			buf_add(out, s, 3);
			const char *in = s + 5, *in_end = s + k - 5;
			buf_add(out, in, in_end > in ? (size_t)(in_end - in) : 0);
			buf_add(out, s + k - 3, 3);
			buf_adds(out, "`");
		} else if (hg_is(name, nlen, "ref") || hg_is(name, nlen, "relref")) {
			char *arg = hg_arg(cx, s, k, NULL);
			buf_adds(out, arg ? hg_ref(h, arg) : "#");
			import_count(cx, IMPORT_LINK);
		} else if (hg_is(name, nlen, "figure")) {
			char *src = hg_arg(cx, s, k, "src"), *alt = hg_arg(cx, s, k, "alt"),
			     *cap = hg_arg(cx, s, k, "caption");
			buf_addf(out, "![%s](<%s>", alt ? alt : cap ? cap : "", src ? src : "");
			if (cap && !strchr(cap, '"'))
				buf_addf(out, " \"%s\"", cap);
			buf_adds(out, ")");
			import_count(cx, IMPORT_FIGURE);
		} else if (hg_is_block(name, nlen)) {
			buf_addc(out, '\n');
			buf_add(out, s, k);
			buf_addc(out, '\n');
			*n_lines += 2;
		} else {
			buf_addf(out, "`%.*s`", (int)k, s);
			if (!closing) {
				import_note(cx, h->p->file, l->no, "shortcode '%.*s'; kept as written, as code",
					    (int)nlen, name);
				import_count(cx, IMPORT_NOT_CONVERTED);
				char what[80];
				snprintf(what, sizeof what, "shortcode %.*s", (int)(nlen < 60 ? nlen : 60), name);
				import_tally(cx, what);
			}
		}
		s += k;
	}
}

/* The page's lines with shortcodes made into lines of their own. */
static void hg_prepare(hg_page *h, const char *text, size_t len, int first)
{
	import_ctx *cx = h->cx;
	buf out = BUF_INIT;
	size_t cap = 16;
	int *nos = xmalloc(cap * sizeof(int));
	size_t n_lines = 0;
	char fence = 0;
	int no = first;
	for (const char *p = text, *end = text + len, *nl; p < end; p = nl ? nl + 1 : end, no++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		while (n && p[n - 1] == '\r')
			n--;
		const char *t = p;
		while (t < p + n && *t == ' ')
			t++;
		size_t before = n_lines;
		if ((size_t)(p + n - t) >= 3 && (memcmp(t, "```", 3) == 0 || memcmp(t, "~~~", 3) == 0))
			fence = fence ? (fence == *t ? 0 : fence) : *t;
		if (fence || ((size_t)(p + n - t) >= 3 && (memcmp(t, "```", 3) == 0 || memcmp(t, "~~~", 3) == 0))) {
			/* in code: an escaped shortcode is shown without its comment marks */
			for (size_t i = 0; i < n; i++) {
				if (i + 5 <= n && p[i] == '{' && p[i + 1] == '{' &&
				    (p[i + 2] == '<' || p[i + 2] == '%') && p[i + 3] == '/' && p[i + 4] == '*') {
					buf_add(&out, p + i, 3);
					i += 4;
				} else if (i + 5 <= n && p[i] == '*' && p[i + 1] == '/' &&
					   (p[i + 2] == '>' || p[i + 2] == '%') && p[i + 3] == '}' && p[i + 4] == '}') {
					buf_add(&out, p + i + 2, 3);
					i += 4;
				} else {
					buf_addc(&out, p[i]);
				}
			}
		} else {
			hg_line l = { p, n, no };
			hg_pre_line(h, &l, &out, &n_lines);
		}
		buf_addc(&out, '\n');
		n_lines++;
		nos = xgrow(nos, &cap, n_lines + 1, sizeof(int));
		for (size_t i = before; i < n_lines; i++)
			nos[i] = no;
	}
	h->lines = arena_alloc(&cx->a, (n_lines + 1) * sizeof(hg_line));
	char *all = arena_strndup(&cx->a, out.ptr, out.len);
	h->n = 0;
	for (char *p = all, *end = all + out.len, *nl; p < end && h->n < n_lines; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		h->lines[h->n] = (hg_line){ p, (size_t)(nl - p), nos[h->n] };
		h->n++;
	}
	free(nos);
	buf_release(&out);
}

/* ---- blocks ---- */

static bool hg_line_token(const hg_line *l, const char **name, size_t *nlen, bool *closing, size_t *k)
{
	const char *s = l->s;
	size_t n = l->n;
	while (n && *s == ' ')
		s++, n--;
	while (n && s[n - 1] == ' ')
		n--;
	bool escaped;
	*k = hg_token(s, n, name, nlen, closing, &escaped);
	return *k == n && n && !escaped && hg_is_block(*name, *nlen);
}

static bool hg_fence_line(const hg_line *l)
{
	const char *t = l->s;
	while (t < l->s + l->n && *t == ' ')
		t++;
	return (size_t)(l->s + l->n - t) >= 3 && (memcmp(t, "```", 3) == 0 || memcmp(t, "~~~", 3) == 0);
}

static size_t hg_skip_fence(const hg_page *h, size_t i, size_t to)
{
	for (size_t j = i + 1; j < to; j++)
		if (hg_fence_line(&h->lines[j]))
			return j + 1;
	return to;
}

/* The line closing the block shortcode opened at i, or to. */
static size_t hg_close(const hg_page *h, size_t i, size_t to, const char *name, size_t nlen)
{
	size_t depth = 0;
	for (size_t j = i + 1; j < to;) {
		const char *nm;
		size_t nl, k;
		bool closing;
		if (hg_fence_line(&h->lines[j])) {
			j = hg_skip_fence(h, j, to);
			continue;
		}
		if (hg_line_token(&h->lines[j], &nm, &nl, &closing, &k) && nl == nlen && memcmp(nm, name, nlen) == 0) {
			if (!closing)
				depth++;
			else if (depth-- == 0)
				return j;
		}
		j++;
	}
	return to;
}

static phare_status hg_blocks(hg_page *h, size_t from, size_t to, buf *out, int nest);

static phare_status hg_inner(hg_page *h, size_t from, size_t to, buf *inner, int nest)
{
	*inner = (buf)BUF_INIT;
	phare_status s = hg_blocks(h, from, to, inner, nest + 1);
	while (inner->len && (inner->ptr[inner->len - 1] == '\n' || inner->ptr[inner->len - 1] == ' '))
		inner->len--;
	size_t lead = 0;
	while (lead < inner->len && inner->ptr[lead] == '\n')
		lead++;
	memmove(inner->ptr, inner->ptr + lead, inner->len - lead);
	inner->len -= lead;
	if (inner->cap)
		inner->ptr[inner->len] = '\0';
	return s;
}

static void hg_blank_before(buf *out)
{
	if (out->len && !(out->len >= 2 && out->ptr[out->len - 1] == '\n' && out->ptr[out->len - 2] == '\n'))
		buf_addc(out, '\n');
}

static const char *hg_notice_kind(const char *w)
{
	if (!w)
		return "NOTE";
	if (strcmp(w, "tip") == 0 || strcmp(w, "success") == 0)
		return "TIP";
	if (strcmp(w, "warning") == 0)
		return "WARNING";
	if (strcmp(w, "important") == 0)
		return "IMPORTANT";
	if (strcmp(w, "danger") == 0 || strcmp(w, "error") == 0 || strcmp(w, "caution") == 0)
		return "CAUTION";
	return "NOTE";
}

static void hg_label(buf *out, const char *t)
{
	buf_adds(out, "> **");
	for (; *t; t++) {
		if (*t == '*' || *t == '_' || *t == '\\')
			buf_addc(out, '\\');
		buf_addc(out, *t);
	}
	buf_adds(out, "**\n");
}

static void hg_code(const hg_page *h, size_t i, size_t close, const char *lang, buf *out);

static phare_status hg_tabs(hg_page *h, size_t i, size_t close, buf *out, int nest)
{
	phare_status s = PHARE_OK;
	bool first = true;
	hg_blank_before(out);
	buf_adds(out, "> [!TABS]\n");
	for (size_t j = i + 1; j < close && !s;) {
		const char *nm;
		size_t nl, k;
		bool closing;
		if (!hg_line_token(&h->lines[j], &nm, &nl, &closing, &k) || closing || !hg_is(nm, nl, "tab")) {
			j++;
			continue;
		}
		size_t end = hg_close(h, j, close, "tab", 3);
		const hg_line *l = &h->lines[j];
		char *label = hg_arg(h->cx, l->s, l->n, "name");
		if (!label)
			label = hg_arg(h->cx, l->s, l->n, "title");
		if (!label)
			label = hg_arg(h->cx, l->s, l->n, "header");
		char *lang = hg_arg(h->cx, l->s, l->n, "lang");
		buf inner = BUF_INIT;
		if (lang) /* Docsy: the tab is code */
			hg_code(h, j, end, lang, &inner);
		else
			s = hg_inner(h, j + 1, end, &inner, nest);
		while (inner.len && inner.ptr[inner.len - 1] == '\n')
			inner.len--;
		if (!first)
			buf_adds(out, ">\n");
		first = false;
		hg_label(out, label ? label : "Tab");
		import_quote(out, ">> ", inner.len ? inner.ptr : "(empty)", inner.len ? inner.len : 7);
		buf_release(&inner);
		j = end + 1;
	}
	import_count(h->cx, IMPORT_TABS);
	return s;
}

/* Lines i+1..close as a fenced code block in lang, blank edges dropped. */
static void hg_code(const hg_page *h, size_t i, size_t close, const char *lang, buf *out)
{
	hg_blank_before(out);
	buf_addf(out, "```%s\n", lang && *lang ? lang : "text");
	while (i + 1 < close && !h->lines[i + 1].n)
		i++;
	while (close > i + 1 && !h->lines[close - 1].n)
		close--;
	for (size_t j = i + 1; j < close; j++) {
		buf_add(out, h->lines[j].s, h->lines[j].n);
		buf_addc(out, '\n');
	}
	buf_adds(out, "```\n");
}

/* The block shortcode at line i (closed at close): converted. */
static phare_status hg_block(hg_page *h, size_t i, size_t close, const char *name, size_t nlen, buf *out, int nest)
{
	import_ctx *cx = h->cx;
	const hg_line *l = &h->lines[i];
	if (hg_is(name, nlen, "tabs") || hg_is(name, nlen, "tabpane"))
		return hg_tabs(h, i, close, out, nest);
	if (hg_is(name, nlen, "mermaid") || hg_is(name, nlen, "highlight")) {
		const char *lang = hg_is(name, nlen, "mermaid") ? "mermaid" : hg_word(cx, name + nlen, l->s + l->n);
		hg_code(h, i, close, lang, out);
		if (hg_is(name, nlen, "mermaid"))
			import_note(cx, h->p->file, l->no, "shortcode 'mermaid'; the diagram kept as a code block");
		return PHARE_OK;
	}
	buf inner;
	phare_status s = hg_inner(h, i + 1, close, &inner, nest);
	hg_blank_before(out);
	if (hg_is_notice(name, nlen)) {
		/* the kind: a bare word, or type= / color= (Docsy); the title: title=, or quoted */
		char *w = hg_word(cx, name + nlen, l->s + l->n), *title = hg_arg(cx, l->s, l->n, "title");
		if (!*w || strchr(w, '='))
			w = hg_arg(cx, l->s, l->n, "type");
		if (!w)
			w = hg_arg(cx, l->s, l->n, "color");
		if (!title && !memchr(l->s, '=', l->n))
			title = hg_arg(cx, name + nlen, (size_t)(l->s + l->n - name - nlen), NULL);
		buf_addf(out, "> [!%s]%s%s\n", hg_notice_kind(w), title ? " " : "", title ? title : "");
	} else { /* expand, details: folded */
		char *title = hg_arg(cx, l->s, l->n, "title");
		if (!title)
			title = hg_arg(cx, l->s, l->n, "summary");
		if (!title)
			title = hg_arg(cx, name + nlen, (size_t)(l->s + l->n - name - nlen), NULL);
		buf_addf(out, "> [!NOTE]- %s\n", title && *title ? title : "Details");
	}
	import_quote(out, "> ", inner.len ? inner.ptr : " ", inner.len ? inner.len : 1);
	buf_addc(out, '\n');
	buf_release(&inner);
	import_count(cx, IMPORT_NOTICE);
	return s;
}

/* "](/abs/path)": a site path of the old site made a source path: under
 * contentDir (without a language prefix), else under static/. */
static void hg_abs_links(hg_page *h, const hg_line *l, buf *out)
{
	import_ctx *cx = h->cx;
	const char *content = import_dirname(cx, h->p->src);
	while (strchr(content, '/'))
		content = import_dirname(cx, content);
	const char *s = l->s, *end = s + l->n;
	while (s < end) {
		const char *m = memmem(s, (size_t)(end - s), "](/", 3);
		if (!m) {
			buf_add(out, s, (size_t)(end - s));
			return;
		}
		buf_add(out, s, (size_t)(m - s) + 2);
		const char *d = m + 2, *e = d;
		while (e < end && *e != ')' && *e != ' ' && *e != '?' && *e != '#')
			e++;
		char *path = arena_strndup(&cx->a, d + 1, (size_t)(e - d - 1));
		const char *slash = strchr(path, '/');
		const char *nolang = slash && slash - path <= 5 ? slash + 1 : path;
		char *c1 = arena_printf(&cx->a, "%s/%s", content, path),
		     *c2 = arena_printf(&cx->a, "%s/%s", content, nolang);
		char *st = arena_printf(&cx->a, "static/%s", path);
		const char *pick = hg_exists(cx, c1) ? c1 : hg_exists(cx, c2) ? c2 : hg_exists(cx, st) ? st : NULL;
		if (pick)
			buf_addf(out, "/%s", pick);
		else
			buf_add(out, d, (size_t)(e - d));
		s = e;
	}
}

static phare_status hg_blocks(hg_page *h, size_t from, size_t to, buf *out, int nest)
{
	phare_status s = PHARE_OK;
	buf line = BUF_INIT;
	for (size_t i = from; i < to && !s;) {
		const hg_line *l = &h->lines[i];
		const char *name;
		size_t nlen, k;
		bool closing;
		if (hg_fence_line(l)) {
			size_t next = hg_skip_fence(h, i, to);
			for (; i < next; i++) {
				buf_add(out, h->lines[i].s, h->lines[i].n);
				buf_addc(out, '\n');
			}
			continue;
		}
		if (hg_line_token(l, &name, &nlen, &closing, &k)) {
			size_t close = closing || nest >= IMPORT_MAX_NEST ? to : hg_close(h, i, to, name, nlen);
			if (close >= to) {
				buf_addf(out, "`%.*s`\n", (int)l->n, l->s);
				import_note(h->cx, h->p->file, l->no,
					    "shortcode '%.*s' not closed as expected; kept as code", (int)nlen, name);
				i++;
				continue;
			}
			s = hg_block(h, i, close, name, nlen, out, nest);
			i = close + 1;
			continue;
		}
		buf_reset(&line);
		hg_abs_links(h, l, &line);
		import_line_links(h->cx, h->p, l->no, line.ptr, line.len, out);
		buf_addc(out, '\n');
		i++;
	}
	buf_release(&line);
	return s;
}

static phare_status hg_convert(import_ctx *cx, import_page *p)
{
	hg_page h = { cx, p, NULL, 0 };
	hg_prepare(&h, p->text, p->text_len, p->body_line ? p->body_line : 1);
	return hg_blocks(&h, 0, h.n, &p->body, 0);
}

/* Hugo's URL: "content/a/b.md" -> "/a/b/", a section's _index or a bundle's
 * index -> its folder. */
static void hg_old_url(const import_page *p, buf *out)
{
	const char *s = strchr(p->src, '/');
	s = s ? s + 1 : p->src;
	const char *base = strrchr(s, '/');
	base = base ? base + 1 : s;
	buf_addc(out, '/');
	if (strcmp(base, "_index.md") == 0 || strcmp(base, "index.md") == 0)
		buf_add(out, s, (size_t)(base - s));
	else if (p->slug)
		buf_addf(out, "%.*s%s/", (int)(base - s), s, p->slug);
	else
		buf_addf(out, "%.*s/", (int)(strlen(s) - 3), s);
}

const import_format import_hugo = { "hugo", hg_load_site, hg_convert, hg_old_url };

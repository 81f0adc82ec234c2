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
#include "import/import_hugo.h"
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

bool hg_exists(import_ctx *cx, const char *rel)
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
	if (hl.conf.def && strcmp(hl.lang, hl.conf.def) != 0)
		cx->old_prefix = hl.lang; /* Hugo serves the other languages under /<code>/ */
	const char *content = hl.conf.content ? hl.conf.content : "content";
	for (size_t i = 0; i < hl.conf.n_langs; i++)
		if (hl.lang && hl.conf.langs[i].code && strcmp(hl.conf.langs[i].code, hl.lang) == 0 &&
		    hl.conf.langs[i].dir) {
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

/* A page whose front matter gives no title: the text of its body's first
 * line when that is a "# Heading" (themes show that heading as the title;
 * the file name, "steps", is all Hugo would have), its {attributes} left
 * out.  phare takes the same first heading as the title, so it stays. */
static void hg_heading_title(import_ctx *cx, import_page *p)
{
	const char *t = p->text, *end = t + p->text_len;
	while (t < end && (*t == '\n' || *t == '\r' || *t == ' '))
		t++;
	if (end - t < 3 || t[0] != '#' || t[1] != ' ')
		return;
	const char *e = memchr(t, '\n', (size_t)(end - t));
	e = e ? e : end;
	const char *b = memchr(t, '{', (size_t)(e - t));
	e = b ? b : e;
	while (e > t + 2 && (e[-1] == ' ' || e[-1] == '\r' || e[-1] == '#'))
		e--;
	if (e > t + 2)
		p->title = arena_strndup(&cx->a, t + 2, (size_t)(e - t - 2));
}

static phare_status hg_load_site(import_ctx *cx)
{
	phare_status s = hg_load_tree(cx);
	for (size_t i = 0; i < cx->n_pages && !s; i++) {
		import_page *p = cx->pages[i];
		int first;
		if (p->text && !p->absent) {
			const char *named = p->title;
			hg_front(cx, p, &first);
			p->body_line = first;
			if (p->title == named)
				hg_heading_title(cx, p);
		}
	}
	return s;
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

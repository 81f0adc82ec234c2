/* import.c: the common part of `phare import` (import.h): the run, where
 * each page goes, and what is written.
 *
 * The run has three stages, and only the last one writes:
 *  1. load: the format reads its navigation into the page tree and every
 *     page's text (checked: text, bounded);
 *  2. place and convert: each page gets its folder and file name (folded to
 *     IMPORT_MAX_DEPTH), then its Markdown is converted, links rewritten to
 *     the new paths and the assets it names recorded;
 *  3. write: site.yaml, the pages, the assets, IMPORT.md, the summary. */
#include "import/import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <string.h>

#include "content/alias.h"
#include "content/site.h"
#include "content/starter.h"
#include "render/markdown.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/fold.h"
#include "util/utf8.h"
#include "util/value.h"
#include "util/xalloc.h"
#include "util/yamldoc.h"

/* Section names phare keeps for its own pages (content/model_plan.c). */
static const char *const import_reserved[] = { "compare", "decide", "search", "assets", "tables", "static", NULL };

/* ---- the tree ---- */

import_page *import_add_page(import_ctx *cx, import_page *parent, const char *src, const char *title,
			     const char *nav_file, int nav_line)
{
	import_page *p = arena_alloc(&cx->a, sizeof(*p));
	p->src = src;
	p->title = title;
	p->nav_file = nav_file;
	p->nav_line = nav_line;
	p->parent = parent;
	p->depth = parent == &cx->top ? 0 : parent->depth + 1;
	p->body = (buf)BUF_INIT;
	if (parent->last)
		parent->last->next = p;
	else
		parent->first = p;
	parent->last = p;
	cx->pages = xgrow(cx->pages, &cx->cap_pages, cx->n_pages + 1, sizeof(import_page *));
	cx->pages[cx->n_pages++] = p;
	if (src)
		map_put(&cx->by_src, src, p);
	return p;
}

void import_note(import_ctx *cx, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	buf_addf(&cx->report, "- `%s:%d`: ", file, line);
	va_start(ap, fmt);
	buf_vaddf(&cx->report, fmt, ap);
	va_end(ap);
	buf_addc(&cx->report, '\n');
	cx->n_notes++;
}

void import_tally(import_ctx *cx, const char *what)
{
	uintptr_t n = (uintptr_t)map_get(&cx->tally, what);
	const char *key = NULL;
	for (size_t i = 0; n && !key; i++) /* the map keeps the key it is given: ours */
		if (strcmp(cx->tally_order[i], what) == 0)
			key = cx->tally_order[i];
	if (!n) {
		key = arena_strdup(&cx->a, what);
		cx->tally_order = xgrow(cx->tally_order, &cx->cap_tally, cx->n_tally + 1, sizeof(char *));
		cx->tally_order[cx->n_tally++] = key;
	}
	map_put(&cx->tally, key, (void *)(n + 1));
}

bool import_is_link(import_ctx *cx, const char *rel)
{
	char *full = fsx_join(cx->root, rel);
	struct stat st;
	bool link = lstat(full, &st) == 0 && S_ISLNK(st.st_mode);
	free(full);
	return link;
}

char *import_dirname(import_ctx *cx, const char *path)
{
	const char *slash = strrchr(path, '/');
	return arena_strndup(&cx->a, path, slash ? (size_t)(slash - path) : 0);
}

char *import_slug(import_ctx *cx, const char *s, size_t n)
{
	char *out = arena_alloc(&cx->a, 4 * n + 8), *o = out;
	bool dash = false;
	for (size_t i = 0; i < n;) {
		long cp = utf8_next(s, n, &i);
		/* accented letters folded as the search folds them ("café" -> "cafe") */
		const char *f = cp >= 0x80 ? fold_cp(cp) : NULL;
		char one[2] = { cp >= 0 && cp < 0x80 ? (char)cp : 0, 0 };
		const char *t = f ? f : one;
		bool any = false;
		for (; *t; t++) {
			char c = *t >= 'A' && *t <= 'Z' ? (char)(*t + 32) : *t;
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '_' && o > out)))
				continue;
			if (dash && o > out)
				*o++ = '-';
			dash = false;
			*o++ = c;
			any = true;
		}
		if (!any)
			dash = true;
	}
	if (o == out)
		memcpy(out, "page", 5);
	else
		*o = '\0';
	return out;
}

void import_quote(buf *out, const char *prefix, const char *text, size_t n)
{
	const char *p = text, *end = text + n;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (len == 0) {
			/* ">" for a blank line keeps the quote going; ">>" stays in the panel */
			size_t k = strlen(prefix);
			while (k > 0 && prefix[k - 1] == ' ')
				k--;
			buf_add(out, prefix, k);
		} else {
			buf_adds(out, prefix);
			buf_add(out, p, len);
		}
		buf_addc(out, '\n');
		p = nl ? nl + 1 : end;
	}
}

/* Whether text is UTF-8 without NUL or other control bytes a text file
 * does not hold: the offset of the first bad byte, or -1. */
static long import_bad_byte(const char *text, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t at = i;
		long cp = utf8_next(text, n, &i);
		if (cp < 0 || (cp < 0x20 && cp != '\n' && cp != '\r' && cp != '\t' && cp != '\f'))
			return (long)at;
	}
	return -1;
}

phare_status import_read_page(import_ctx *cx, import_page *p)
{
	char *path = fsx_join(cx->root, p->file ? p->file : p->src);
	buf b = BUF_INIT;
	phare_status s = PHARE_OK;
	if (!fsx_is_file(path)) {
		diag_error(p->nav_file, p->nav_line, 0,
			   "'%s' names '%s', which is not a file under %s; fix the "
			   "path or remove the entry",
			   p->title, p->src, cx->root);
		s = PHARE_ERR_INPUT;
		goto out;
	}
	if ((s = fsx_read(path, &b, IMPORT_MAX_PAGE_BYTES)))
		goto out;
	long bad = import_bad_byte(b.ptr, b.len);
	if (bad >= 0) {
		diag_error(path, 0, 0,
			   "not a text file (byte %ld is not UTF-8 text); a page must be "
			   "Markdown: remove it from the navigation or convert it",
			   bad);
		s = PHARE_ERR_INPUT;
		goto out;
	}
	p->text_len = b.len;
	p->text = arena_strndup(&cx->a, b.ptr, b.len);
out:
	buf_release(&b);
	free(path);
	return s;
}

/* ---- heading ids, so that an #anchor kept in a link exists ---- */

/* The slug Python-Markdown's toc (MkDocs) and GitBook make of a heading:
 * accents folded, other non-ASCII and punctuation dropped, runs of spaces
 * and '-' one '-'. */
static void import_other_slug(const char *text, buf *out)
{
	size_t n = strlen(text);
	bool dash = false;
	for (size_t i = 0; i < n;) {
		long cp = utf8_next(text, n, &i);
		const char *f = cp >= 0x80 ? fold_cp(cp) : NULL;
		if (cp == ' ' || cp == '-' || cp == '\t') {
			dash = out->len > 0;
			continue;
		}
		char c = cp < 0x80 ? (char)cp : f && f[0] && (unsigned char)f[0] < 0x80 && !f[1] ? f[0] : 0;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			continue;
		if (dash)
			buf_addc(out, '-');
		dash = false;
		buf_addc(out, c);
	}
}

const char *import_page_id(const import_page *p, const char *frag)
{
	const char *id = map_get(&p->ids, frag);
	return id ? id : map_get(&p->aka, frag);
}

/* The id of a heading's trailing "{#id}" or "{ #id .class }" (cut off
 * text, in place), or NULL; a trailing "{ … }" without an id is cut too. */
static const char *import_attr_id(char *text)
{
	size_t n = strlen(text);
	while (n && (text[n - 1] == ' ' || text[n - 1] == '\r'))
		n--;
	char *open = n ? memrchr(text, '{', n) : NULL;
	if (!open || text[n - 1] != '}')
		return NULL;
	char *id = NULL;
	for (char *p = open + 1; p < text + n - 1; p++)
		if (*p == '#' && (p == open + 1 || p[-1] == ' ')) {
			id = p + 1;
			size_t k = strcspn(id, " }");
			id[k] = '\0';
		}
	*open = '\0';
	return id && *id ? id : NULL;
}

/* Records the ids phare will give the ATX headings of p's text: a written
 * {#id}, or the slug of the text ("x", then "x-2"…). */
static void import_collect_ids(import_ctx *cx, import_page *p)
{
	const char *s = p->body.ptr, *end = s + p->body.len;
	char fence = 0;
	map next = MAP_INIT;
	buf id = BUF_INIT;
	/* 0: before the front matter, 1: in it, 2: before the first text (a
	 * "# Title" there becomes the page's title, with no id), 3: after */
	int state = 0;
	for (const char *nl; s < end; s = nl ? nl + 1 : end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		const char *t = s;
		bool blank = true;
		for (size_t k = 0; k < n; k++)
			blank &= s[k] == ' ' || s[k] == '\t' || s[k] == '\r';
		if (state < 2 && n >= 3 && memcmp(s, "---", 3) == 0) {
			state++;
			continue;
		}
		if (state == 1 || (state != 3 && blank)) {
			state = state == 0 ? 2 : state;
			continue;
		}
		if (state < 3) {
			state = 3;
			if (n > 2 && memcmp(s, "# ", 2) == 0)
				continue;
		}
		while (t < s + n && *t == ' ')
			t++;
		if ((size_t)(s + n - t) >= 3 && (memcmp(t, "```", 3) == 0 || memcmp(t, "~~~", 3) == 0)) {
			fence = fence ? (fence == *t ? 0 : fence) : *t;
			continue;
		}
		if (fence || *t != '#')
			continue;
		size_t lvl = 0;
		while (t + lvl < s + n && t[lvl] == '#')
			lvl++;
		if (lvl > 6 || (t + lvl < s + n && t[lvl] != ' '))
			continue;
		char *text = arena_strndup(&cx->a, t + lvl, (size_t)(s + n - t - lvl));
		const char *given = import_attr_id(text);
		buf_reset(&id);
		if (given) {
			buf_adds(&id, given);
		} else {
			for (char *c = text; *c; c++)
				if (*c == '`' || *c == '*')
					*c = ' ';
			markdown_slug(text, &id);
			char *base = arena_strdup(&cx->a, id.ptr);
			if (map_get(&p->ids, base)) {
				uintptr_t k = (uintptr_t)map_get(&next, base);
				k = k < 2 ? 2 : k;
				do {
					buf_reset(&id);
					buf_addf(&id, "%s-%lu", base, (unsigned long)k++);
				} while (map_get(&p->ids, id.ptr));
				map_put(&next, base, (void *)k);
			}
		}
		char *mine = arena_strdup(&cx->a, id.ptr);
		map_put(&p->ids, mine, mine);
		if (!given) {
			buf_reset(&id);
			import_other_slug(text, &id);
			if (id.len && !map_get(&p->aka, id.ptr))
				map_put(&p->aka, arena_strdup(&cx->a, id.ptr), mine);
		}
	}
	buf_release(&id);
	map_release(&next);
}

/* ---- placing pages ---- */

static bool import_is_reserved(const char *name)
{
	for (const char *const *r = import_reserved; *r; r++)
		if (strcmp(*r, name) == 0)
			return true;
	return false;
}

/* A name free in dir: slug, else slug-2, slug-3… (dir's articles, folders
 * and files share URLs). */
static const char *import_unique(import_ctx *cx, const char *dir, const char *slug, bool top_folder)
{
	const char *name = slug;
	for (unsigned k = 2;; k++) {
		char *key = arena_printf(&cx->a, "%s/%s", dir, name);
		if (!map_get(&cx->taken, key) && !(top_folder && import_is_reserved(name))) {
			map_put(&cx->taken, key, (void *)name);
			return name;
		}
		name = arena_printf(&cx->a, "%s-%u", slug, k);
	}
}

/* The slug a page or group suggests: its file's name, a README's folder, or
 * its title. */
static char *import_page_slug(import_ctx *cx, const import_page *p)
{
	if (p->slug && *p->slug)
		return import_slug(cx, p->slug, strlen(p->slug));
	if (!p->src)
		return import_slug(cx, p->title, strlen(p->title));
	const char *base = strrchr(p->src, '/');
	base = base ? base + 1 : p->src;
	size_t n = strlen(base);
	if (n > 3 && strcmp(base + n - 3, ".md") == 0)
		n -= 3;
	bool index = (n == 6 && strncasecmp(base, "README", 6) == 0) || (n == 5 && strncmp(base, "index", 5) == 0) ||
		     (n == 6 && strncmp(base, "_index", 6) == 0);
	if (index) {
		const char *dir = import_dirname(cx, p->src), *last = strrchr(dir, '/');
		last = last ? last + 1 : dir;
		return *last ? import_slug(cx, last, strlen(last)) : import_slug(cx, p->title, strlen(p->title));
	}
	return import_slug(cx, base, n);
}

static void import_set_place(import_ctx *cx, import_page *p, const char *dir, const char *name)
{
	p->dir = dir;
	p->name = name;
	p->weight = cx->weight += 10;
}

/* The section that takes the top-level pages which have no folder. */
static const char *import_general(import_ctx *cx)
{
	if (!cx->general) {
		cx->general = arena_alloc(&cx->a, sizeof(import_page));
		cx->general->title = "General";
		cx->general->body = (buf)BUF_INIT;
		const char *d = import_unique(cx, "", "general", true);
		import_set_place(cx, cx->general, d, "_index.md");
	}
	return cx->general->dir;
}

static void import_place_children(import_ctx *cx, import_page *parent, const char *dir, size_t depth);

static void import_place(import_ctx *cx, import_page *p, const char *dir, size_t depth)
{
	const char *where = p->src ? p->src : p->nav_file;
	if (p->first || !p->src) {
		if (depth < IMPORT_MAX_DEPTH) {
			const char *slug = import_unique(cx, dir, import_page_slug(cx, p), depth == 0);
			const char *sub = *dir ? arena_printf(&cx->a, "%s/%s", dir, slug) : slug;
			import_set_place(cx, p, sub, "_index.md");
			p->own_dir = true;
			import_place_children(cx, p, sub, depth + 1);
			return;
		}
		import_note(cx, where, p->src ? 1 : p->nav_line,
			    "'%s' and the pages under it are %zu folders deep; folded into '%s' (phare "
			    "allows %d folders)",
			    p->title, p->depth + 1, dir, IMPORT_MAX_DEPTH);
		if (p->src)
			import_set_place(cx, p, dir,
					 arena_printf(&cx->a, "%s.md",
						      import_unique(cx, dir, import_page_slug(cx, p), false)));
		import_place_children(cx, p, dir, depth);
		return;
	}
	if (depth == 0) {
		const char *base = strrchr(p->src, '/') ? NULL : p->src;
		if (p->home && !cx->home) {
			cx->home = true;
			import_set_place(cx, p, "", "_index.md");
			return;
		}
		if (base && !cx->home &&
		    (strcasecmp(base, "README.md") == 0 || strcmp(base, "index.md") == 0 ||
		     strcmp(base, "_index.md") == 0)) {
			cx->home = true;
			import_set_place(cx, p, "", "_index.md");
			return;
		}
		dir = import_general(cx);
	}
	import_set_place(cx, p, dir,
			 arena_printf(&cx->a, "%s.md", import_unique(cx, dir, import_page_slug(cx, p), false)));
}

static void import_place_children(import_ctx *cx, import_page *parent, const char *dir, size_t depth)
{
	for (import_page *c = parent->first; c; c = c->next)
		import_place(cx, c, dir, depth);
}

/* ---- writing ---- */

/* A YAML double-quoted scalar of s (control characters dropped). */
/* ---- writing: staged in cx->pending, then written at once ---- */

static import_file *import_pending_find(import_pending *pd, const char *path)
{
	for (size_t i = pd->n; i-- > 0;)
		if (strcmp(pd->files[i].path, path) == 0)
			return &pd->files[i];
	return NULL;
}

/* Stages data (taken: *data is left empty) for DIR/path. */
static void import_put(import_ctx *cx, const char *path, buf *data, bool replace)
{
	import_pending *pd = cx->pending;
	import_file *f = import_pending_find(pd, path);
	if (!f) {
		if (pd->n == pd->cap)
			pd->files = xrealloc(pd->files, (pd->cap = pd->cap ? 2 * pd->cap : 64) * sizeof(*pd->files));
		f = &pd->files[pd->n++];
		*f = (import_file){ .path = xstrdup(path), .data = BUF_INIT };
	}
	buf_release(&f->data);
	f->data = *data;
	f->replace = f->replace || replace;
	*data = (buf)BUF_INIT;
}

/* DIR/path as this run will leave it: staged, else on disk.  False when
 * neither has it. */
static bool import_get(import_ctx *cx, const char *path, buf *out)
{
	const import_file *f = import_pending_find(cx->pending, path);
	if (f) {
		buf_add(out, f->data.ptr, f->data.len);
		return true;
	}
	char *full = fsx_join(cx->out, path);
	bool ok = fsx_is_file(full) && !fsx_read(full, out, 16u << 20);
	free(full);
	return ok;
}

/* Writes what every language staged; a file already there is an error
 * unless it may be replaced. */
static phare_status import_flush(const char *out, import_pending *pd)
{
	phare_status s = PHARE_OK;
	for (size_t i = 0; i < pd->n && !s; i++) {
		const import_file *f = &pd->files[i];
		char *path = fsx_join(out, f->path), *slash = strrchr(path, '/');
		*slash = '\0';
		s = fsx_mkdirs(path);
		*slash = '/';
		if (!s)
			s = f->replace ? fsx_write(path, f->data.ptr, f->data.len)
				       : fsx_create(path, f->data.ptr, f->data.len);
		free(path);
	}
	return s;
}

static void import_pending_release(import_pending *pd)
{
	for (size_t i = 0; i < pd->n; i++) {
		free(pd->files[i].path);
		buf_release(&pd->files[i].data);
	}
	free(pd->files);
	buf_release(&pd->summary);
}

static void import_yaml_str(buf *out, const char *s)
{
	buf_addc(out, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_addc(out, '\\');
		if ((unsigned char)*s >= 0x20)
			buf_addc(out, *s);
		else
			buf_addc(out, ' ');
	}
	buf_addc(out, '"');
}

/* Whether url can be an alias phare serves (content/alias.h), among the
 * site's languages: those of an earlier import into DIR, this one's and the
 * others the source has. */
static bool import_alias_ok(const import_ctx *cx, const char *url)
{
	const char *codes[SITE_MAX_LANGUAGES + 1 + 32];
	size_t n = 0;
	for (size_t i = 0; i < cx->site.n; i++)
		codes[n++] = cx->site.codes[i];
	codes[n++] = cx->lang;
	for (size_t i = 0; i < cx->n_more; i++)
		codes[n++] = cx->more_langs[i];
	return url[0] == '/' && !alias_problem(url, codes, n);
}

/* One old URL of p: listed in IMPORT.md, and kept as an alias of p when
 * phare can serve it and no other page took it. */
static void import_redirect(import_ctx *cx, import_page *p, const char *old, const char *now, const char *what)
{
	const char *done = "";
	if (strcmp(old, "/") == 0)
		done = "; the site's root stays phare's home, which leads to each language";
	else if (!cx->default_lang && !cx->old_prefix)
		done = "; not an alias: the old URL names no language, and the default language's pages have it";
	else if (!import_alias_ok(cx, old))
		done = "; not an alias (phare's aliases are plain paths: letters, digits, '-', '_', '.'): redirect it "
		       "at "
		       "the web server";
	else if (map_get(&cx->redirected, old))
		done = "; not an alias: another page has it";
	else if (p->n_redirects < sizeof p->redirects / sizeof p->redirects[0]) {
		const char *kept = arena_strdup(&cx->a, old);
		map_put(&cx->redirected, kept, p);
		p->redirects[p->n_redirects++] = kept;
		done = "; written as an alias";
	}
	buf_addf(&cx->old_urls, "- `%s` → `%s` (%s%s)%s\n", old, now, p->src, what, done);
}

static void import_old_url(import_ctx *cx, import_page *p)
{
	if (!p->src || !cx->fmt->old_url)
		return;
	buf old = BUF_INIT, now = BUF_INIT;
	if (cx->old_prefix) /* the old site kept this language in its folder */
		buf_addf(&old, "/%s", cx->old_prefix);
	cx->fmt->old_url(p, &old);
	buf_addf(&now, "/%s/", cx->lang);
	if (*p->dir)
		buf_addf(&now, "%s/", p->dir);
	if (strcmp(p->name, "_index.md") != 0)
		buf_addf(&now, "%.*s/", (int)(strlen(p->name) - 3), p->name);
	if (!buf_equals(&old, now.ptr) && !(old.len + 1 == now.len && strncmp(old.ptr, now.ptr, old.len) == 0))
		import_redirect(cx, p, old.ptr, now.ptr, "");
	for (size_t i = 0; i < p->n_aliases; i++)
		import_redirect(cx, p, p->aliases[i], now.ptr, ", its aliases");
	buf_release(&old);
	buf_release(&now);
}

static void import_write_page(import_ctx *cx, const import_page *p, bool force)
{
	buf t = BUF_INIT;
	buf_adds(&t, "---\ntitle: ");
	import_yaml_str(&t, p->title && *p->title ? p->title : "Untitled");
	if (p->description && *p->description) {
		buf_adds(&t, "\ndescription: ");
		import_yaml_str(&t, p->description);
	}
	buf_addf(&t, "\nweight: %zu\n", p->weight);
	if (p->updated[0])
		buf_addf(&t, "updated: %s\n", p->updated);
	if (p->draft)
		buf_adds(&t, "draft: true\n");
	for (size_t i = 0; i < p->n_redirects; i++) { /* import_old_url */
		buf_adds(&t, i ? ", " : "aliases: [");
		import_yaml_str(&t, p->redirects[i]);
		buf_adds(&t, i + 1 == p->n_redirects ? "]\n" : "");
	}
	buf_adds(&t, "---\n");
	buf_add(&t, p->body.ptr, p->body.len);
	if (t.len > cx->largest)
		cx->largest = t.len;
	import_put(cx, arena_printf(&cx->a, "content/%s/%s%s%s", cx->lang, p->dir, *p->dir ? "/" : "", p->name), &t,
		   force);
}

static phare_status import_copy_assets(import_ctx *cx, bool force)
{
	phare_status s = PHARE_OK;
	for (size_t i = 0; i < cx->n_copies && !s; i++) {
		char *from = fsx_join(cx->root, cx->copies[2 * i]);
		buf data = BUF_INIT;
		s = fsx_read(from, &data, IMPORT_MAX_ASSET_BYTES);
		if (!s)
			import_put(cx, arena_printf(&cx->a, "content/%s/%s", cx->lang, cx->copies[2 * i + 1]), &data,
				   force);
		buf_release(&data);
		free(from);
	}
	return s;
}

/* What an earlier import into DIR (or this run's earlier language) wrote
 * into site.yaml: its title, largest page and languages, into cx->site. */
static void import_read_site(import_ctx *cx)
{
	buf text = BUF_INIT;
	value *root = NULL;
	const char *path = "content/site.yaml";
	if (import_get(cx, path, &text) && !yamldoc_parse(&cx->a, path, text.ptr, text.len, 1, &root)) {
		value *t = value_map_get(root, "title"), *langs = value_map_get(root, "languages");
		if (t && t->str)
			cx->site.title = t->str;
		value *max = value_map_get(root, "max_article_bytes");
		if (max && max->kind == VAL_NUMBER && max->u.num > 0 && max->u.num < 1e12)
			cx->site.largest = (size_t)max->u.num;
		for (size_t i = 0;
		     langs && langs->kind == VAL_LIST && i < langs->u.list.len && cx->site.n < SITE_MAX_LANGUAGES;
		     i++) {
			value *c = value_map_get(langs->u.list.items[i], "code"),
			      *nm = value_map_get(langs->u.list.items[i], "name");
			if (c && c->str && nm && nm->str) {
				cx->site.codes[cx->site.n] = c->str;
				cx->site.names[cx->site.n++] = nm->str;
			}
		}
	}
	buf_release(&text);
}

static void import_write_site(import_ctx *cx)
{
	const char *codes[SITE_MAX_LANGUAGES + 1], *names[SITE_MAX_LANGUAGES + 1];
	const char *title = cx->site.title ? cx->site.title : cx->site_title;
	size_t n = cx->site.n, largest = cx->largest > cx->site.largest ? cx->largest : cx->site.largest;
	bool have = false;
	for (size_t i = 0; i < n; i++) {
		codes[i] = cx->site.codes[i];
		names[i] = cx->site.names[i];
		have |= strcmp(codes[i], cx->lang) == 0;
	}
	if (!have) {
		codes[n] = cx->lang;
		names[n++] = starter_language_name(cx->lang);
	}
	buf t = BUF_INIT;
	buf_addf(&t, "# Written by phare import (%s); edit freely.\ntitle: ", cx->fmt->name);
	import_yaml_str(&t, title);
	buf_addf(&t, "\nbase_url: /\ndefault_language: %s\nlanguages:\n", codes[0]);
	for (size_t i = 0; i < n; i++) {
		buf_addf(&t, "  - { code: %s, name: ", codes[i]);
		import_yaml_str(&t, names[i]);
		buf_adds(&t, " }\n");
	}
	/* a page not yet translated is published in the default language, so
	 * that links between pages keep working in every language */
	buf_adds(&t, "missing_translation: fallback\n");
	if (largest > IMPORT_DEFAULT_ARTICLE_BYTES) /* room for the largest page, rounded up to 64 KiB */
		buf_addf(&t, "max_article_bytes: %zu\n", (largest + 65535) / 65536 * 65536);
	import_put(cx, "content/site.yaml", &t, true);
}

static void import_write_report(import_ctx *cx)
{
	buf t = BUF_INIT;
	if (!import_get(cx, "IMPORT.md", &t))
		buf_reset(&t);
	if (!t.len)
		buf_adds(&t,
			 "# Import report\n\nWhat `phare import` could not convert, as `file:line: what it is; "
			 "what was done` (files and lines of the source tree). Each needs a human.\n");
	buf_addf(&t, "\n## %s, language %s (%s)\n\n", cx->fmt->name, cx->lang, cx->src);
	if (cx->report.len)
		buf_add(&t, cx->report.ptr, cx->report.len);
	else
		buf_adds(&t, "Everything was converted.\n");
	for (size_t i = 0; i < cx->n_tally; i++)
		buf_addf(&t, "%s%s %lu", i ? ", " : "\nKept as written, by kind: ", cx->tally_order[i],
			 (unsigned long)(uintptr_t)map_get(&cx->tally, cx->tally_order[i]));
	if (cx->n_tally)
		buf_adds(&t, ".\n");
	if (cx->old_urls.len) {
		buf_adds(&t, "\n### Old URLs (to redirect)\n\n");
		buf_add(&t, cx->old_urls.ptr, cx->old_urls.len);
	}
	import_put(cx, "IMPORT.md", &t, true);
}

static void import_summary(import_ctx *cx, size_t pages)
{
	buf *o = &cx->pending->summary;
	static const char *const kinds[IMPORT_KIND_COUNT] = {
		"notices",  "tab groups", "code titles", "links",         "figures",
		"steppers", "embeds",     "heading ids", "not converted",
	};
	buf_addf(o, "imported %zu pages and %zu files (%s, language %s) into %s\n", pages, cx->n_copies, cx->fmt->name,
		 cx->lang, cx->out);
	buf_adds(o, "converted:");
	for (int k = 0; k < IMPORT_KIND_COUNT; k++)
		buf_addf(o, "%s %zu %s", k ? "," : "", cx->counts[k], kinds[k]);
	buf_addf(o, "\n%zu notes in %s/IMPORT.md\n", cx->n_notes, cx->out);
}

/* ---- the run ---- */

/* out must be missing or empty; or hold an earlier import without this
 * language (join); or --force. */
static phare_status import_check_out(import_ctx *cx, bool force)
{
	fsx_kind k = fsx_stat(cx->out);
	if (k == FSX_MISSING)
		return PHARE_OK;
	if (k != FSX_DIR) {
		diag_error(cx->out, 0, 0, "--out must be a folder, and this is a file; give a new folder's name");
		return PHARE_ERR_USAGE;
	}
	char **names = fsx_list(cx->out);
	bool empty = names && !names[0];
	fsx_free_list(names);
	char *site = fsx_join(cx->out, "content/site.yaml");
	char *lang = arena_printf(&cx->a, "%s/content/%s", cx->out, cx->lang);
	bool join = fsx_is_file(site) && fsx_stat(lang) == FSX_MISSING;
	free(site);
	if (empty || join || force)
		return PHARE_OK;
	diag_error(cx->out, 0, 0, "the folder is not empty%s; give a new folder, or --force to write over it",
		   fsx_stat(lang) == FSX_DIR ? " and already holds this language" : "");
	return PHARE_ERR_USAGE;
}

/* Stages this language's files (import_put): written once every language
 * is converted. */
static phare_status import_write_all(import_ctx *cx, bool force)
{
	size_t pages = 0;
	for (size_t i = 0; i < cx->n_pages; i++) {
		import_page *p = cx->pages[i];
		if (!p->name || p->absent)
			continue;
		import_write_page(cx, p, force);
		pages += p->src != NULL;
	}
	if (cx->general)
		import_write_page(cx, cx->general, force);
	phare_status s = import_copy_assets(cx, force);
	if (!s) { /* after the pages: it makes room for the largest */
		import_write_site(cx);
		import_write_report(cx);
		import_summary(cx, pages);
	}
	return s;
}

/* Whether out is src or lies under it (out need not exist yet: its
 * nearest existing parent is looked at). */
static bool import_out_in_src(const char *src, const char *out)
{
	char *rs = realpath(src, NULL), *probe = xstrdup(out), *ro = NULL;
	while (!(ro = realpath(probe, NULL))) {
		char *slash = strrchr(probe, '/');
		if (!slash || slash == probe)
			break;
		*slash = '\0';
	}
	if (!ro && probe[0] != '/')
		ro = realpath(".", NULL);
	size_t n = rs ? strlen(rs) : 0;
	bool inside = rs && ro && strncmp(ro, rs, n) == 0 && (ro[n] == '\0' || ro[n] == '/');
	free(rs);
	free(ro);
	free(probe);
	return inside;
}

static phare_status import_stages(import_ctx *cx, bool force)
{
	phare_status s;
	if (fsx_stat(cx->src) != FSX_DIR) {
		diag_error(cx->src, 0, 0, "not a folder; give the folder of the %s documentation to import",
			   cx->fmt->name);
		return PHARE_ERR_INPUT;
	}
	if (import_out_in_src(cx->src, cx->out)) {
		diag_error(cx->out, 0, 0,
			   "--out lies inside the source folder %s, which import never writes "
			   "into; give a folder outside it",
			   cx->src);
		return PHARE_ERR_USAGE;
	}
	if ((s = fsx_confine(cx->src)))
		return s;
	if ((s = cx->fmt->load(cx)))
		return s;
	if (!cx->lang)
		cx->lang = "en";
	if ((s = import_check_out(cx, force)))
		return s;
	import_read_site(cx);
	cx->default_lang = cx->site.n == 0 || strcmp(cx->site.codes[0], cx->lang) == 0;
	import_place_children(cx, &cx->top, "", 0);
	/* ids first (from the sources), then the bodies, whose links need them */
	for (size_t i = 0; i < cx->n_pages; i++) {
		import_page *p = cx->pages[i];
		if (p->text && !p->absent) {
			buf_add(&p->body, p->text, p->text_len);
			import_collect_ids(cx, p);
			buf_reset(&p->body);
		}
	}
	for (size_t i = 0; i < cx->n_pages; i++)
		if (cx->pages[i]->text && !cx->pages[i]->absent && (s = cx->fmt->convert(cx, cx->pages[i])))
			return s;
	for (size_t i = 0; i < cx->n_pages; i++) {
		import_page *p = cx->pages[i];
		if (p->name && !p->absent)
			import_old_url(cx, p);
		if (!cx->site_title && p->name && !*p->dir && p->title && *p->title)
			cx->site_title = p->title; /* the home's title names the site */
	}
	if (!cx->site_title) { /* the folder's name */
		const char *base = strrchr(cx->src, '/');
		cx->site_title = base && base[1] ? base + 1 : cx->src;
	}
	return import_write_all(cx, force);
}

/* One language's import into out. */
static phare_status import_once(const import_format *fmt, const char *src, const char *out, const char *lang,
				const char *variant, bool force, import_pending *pd, import_ctx *cx)
{
	*cx = (import_ctx){
		.fmt = fmt, .src = src, .root = src, .out = out, .lang = lang, .variant = variant, .pending = pd
	};
	cx->report = (buf)BUF_INIT;
	cx->old_urls = (buf)BUF_INIT;
	phare_status s = import_stages(cx, force);
	for (size_t i = 0; i < cx->n_pages; i++) {
		buf_release(&cx->pages[i]->body);
		map_release(&cx->pages[i]->ids);
		map_release(&cx->pages[i]->aka);
	}
	if (cx->general)
		buf_release(&cx->general->body);
	free(cx->pages);
	free(cx->copies);
	map_release(&cx->by_src);
	map_release(&cx->taken);
	map_release(&cx->assets);
	map_release(&cx->tally);
	map_release(&cx->redirected);
	free(cx->tally_order);
	buf_release(&cx->report);
	buf_release(&cx->old_urls);
	return s;
}

phare_status import_run(const import_format *fmt, const char *src, const char *out, const char *lang, bool force)
{
	import_ctx cx;
	import_pending pd = { .summary = BUF_INIT };
	phare_status s = import_once(fmt, src, out, lang, NULL, force, &pd, &cx);
	/* the other languages the source has: each joins the first */
	char *more[32];
	size_t n = s ? 0 : cx.n_more;
	for (size_t i = 0; i < n; i++)
		more[i] = xstrdup(cx.more_langs[i]);
	arena_release(&cx.a);
	for (size_t i = 0; i < n; i++) {
		if (!s) {
			s = import_once(fmt, src, out, more[i], more[i], force, &pd, &cx);
			arena_release(&cx.a);
		}
		free(more[i]);
	}
	if (!s)
		s = import_flush(out, &pd);
	if (!s)
		fputs(pd.summary.ptr ? pd.summary.ptr : "", stdout);
	import_pending_release(&pd);
	return s;
}

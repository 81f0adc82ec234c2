/* import_links.c: links and images of imported pages, rewritten to where
 * their targets went (import.h).
 *
 * A link to a page becomes the relative source path of its new place (phare
 * checks those at build), its #anchor kept only when the target has that
 * heading id; a link or image to another file under the source root copies
 * the file beside the article, under a name phare can publish.  Anything
 * else that is not a URL (a missing file, a page left out of the
 * navigation, a path leaving the source) is kept as text and listed in
 * IMPORT.md: a broken link would be a build error. */
#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "util/fsx.h"
#include "util/url.h"
#include "util/xalloc.h"

#define IMPORT_MAX_LINK_NEST 8

/* ---- paths ---- */

char *import_resolve(import_ctx *cx, const char *from_dir, const char *dest, size_t n)
{
	/* backslash escapes (GitBook writes pace\_get.md), then %xx */
	char *raw = arena_alloc(&cx->a, n + 1), *r = raw;
	for (size_t i = 0; i < n; i++) {
		if (dest[i] == '\\' && i + 1 < n && strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", dest[i + 1]))
			i++;
		*r++ = dest[i];
	}
	size_t len;
	url_decode(raw, raw, (size_t)(r - raw), URL_PATH, &len);
	const char *path = raw;
	char *joined = *raw == '/' || !*from_dir ? arena_strdup(&cx->a, raw + (*raw == '/'))
						 : arena_printf(&cx->a, "%s/%s", from_dir, path);
	/* resolve . and .. */
	char *out = arena_alloc(&cx->a, strlen(joined) + 1);
	size_t o = 0;
	for (char *seg = joined, *end; seg; seg = end ? end + 1 : NULL) {
		end = strchr(seg, '/');
		if (end)
			*end = '\0';
		if (!*seg || strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			if (o == 0)
				return NULL;
			while (o > 0 && out[o - 1] != '/')
				o--;
			o = o > 0 ? o - 1 : 0;
			continue;
		}
		if (o)
			out[o++] = '/';
		memcpy(out + o, seg, strlen(seg));
		o += strlen(seg);
	}
	out[o] = '\0';
	return out;
}

import_page *import_find_page(import_ctx *cx, const char *path)
{
	static const char *const tries[] = { "", ".md", "README.md", "readme.md", "index.md", "_index.md", NULL };
	for (const char *const *t = tries; *t; t++) {
		bool file = **t && **t != '.';
		const char *sep = file && *path ? "/" : "";
		if (!*path && !file)
			continue;
		import_page *p = map_get(&cx->by_src, arena_printf(&cx->a, "%s%s%s", path, sep, *t));
		if (p && p->name)
			return p;
	}
	return NULL;
}

/* The number of '/'-separated folders in dir ("" has none). */
static size_t import_folders(const char *dir)
{
	size_t n = *dir ? 1 : 0;
	for (; *dir; dir++)
		n += *dir == '/';
	return n;
}

/* The path from folder from to file dir/name, both under content/<lang>. */
static char *import_relative(import_ctx *cx, const char *from, const char *dir, const char *name)
{
	/* the longest common run of whole folders */
	size_t common = 0, same = 0;
	for (size_t i = 0;; i++) {
		bool ea = !from[i] || from[i] == '/', eb = !dir[i] || dir[i] == '/';
		if (ea && eb && i > 0) {
			common = i;
			same++;
		}
		if (!from[i] || !dir[i] || from[i] != dir[i])
			break;
	}
	buf b = BUF_INIT;
	for (size_t k = same; k < import_folders(from); k++)
		buf_adds(&b, "../");
	const char *rest = dir + common;
	if (*rest == '/')
		rest++;
	if (*rest)
		buf_addf(&b, "%s/", rest);
	buf_adds(&b, name);
	char *out = arena_strdup(&cx->a, b.ptr);
	buf_release(&b);
	return out;
}

/* ---- assets ---- */

static const char *import_sniff_ext(const char *data, size_t n)
{
	if (n >= 8 && memcmp(data, "\x89PNG", 4) == 0)
		return "png";
	if (n >= 3 && memcmp(data, "\xFF\xD8\xFF", 3) == 0)
		return "jpg";
	if (n >= 6 && memcmp(data, "GIF8", 4) == 0)
		return "gif";
	if (n >= 12 && memcmp(data, "RIFF", 4) == 0 && memcmp(data + 8, "WEBP", 4) == 0)
		return "webp";
	if (n >= 4 && (memmem(data, n < 512 ? n : 512, "<svg", 4)))
		return "svg";
	return NULL;
}

/* The name the file at path (under the root) gets in dir: its own made
 * safe ("openapi (1).yaml" -> "openapi-1.yaml"), an extension added from
 * its first bytes when it has none.  Copied once per folder. */
static const char *import_asset(import_ctx *cx, const import_page *p, const char *path)
{
	char *key = arena_printf(&cx->a, "%s\n%s", p->dir, path);
	const char *have = map_get(&cx->assets, key);
	if (have)
		return have;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	char *stem = import_slug(cx, base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
	const char *ext = dot && dot != base ? import_slug(cx, dot + 1, strlen(dot + 1)) : NULL;
	if (!ext) {
		char *full = fsx_join(cx->root, path);
		buf head = BUF_INIT;
		if (fsx_read(full, &head, IMPORT_MAX_ASSET_BYTES) == PHARE_OK)
			ext = import_sniff_ext(head.ptr, head.len);
		buf_release(&head);
		free(full);
	}
	const char *name = ext ? arena_printf(&cx->a, "%s.%s", stem, ext) : stem;
	for (unsigned k = 2; map_get(&cx->taken, arena_printf(&cx->a, "%s/%s", p->dir, name)); k++)
		name = ext ? arena_printf(&cx->a, "%s-%u.%s", stem, k, ext) : arena_printf(&cx->a, "%s-%u", stem, k);
	map_put(&cx->taken, arena_printf(&cx->a, "%s/%s", p->dir, name), (void *)path);
	map_put(&cx->assets, key, (void *)name);
	cx->copies = xgrow(cx->copies, &cx->cap_copies, 2 * cx->n_copies + 2, sizeof(char *));
	cx->copies[2 * cx->n_copies] = path;
	cx->copies[2 * cx->n_copies + 1] = *p->dir ? arena_printf(&cx->a, "%s/%s", p->dir, name) : name;
	cx->n_copies++;
	return name;
}

static bool import_has_scheme(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
			 (i && ((s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-' || s[i] == '.'))))
		i++;
	return i > 0 && i < n && s[i] == ':';
}

/* The new destination of dest[0..n) written in page p, or NULL when there
 * is none (the caller keeps the text).  *why: what was wrong. */
static const char *import_dest(import_ctx *cx, import_page *p, int line, const char *dest, size_t n, bool image,
			       const char **why)
{
	if (n == 0 || import_has_scheme(dest, n) || (n >= 2 && dest[0] == '/' && dest[1] == '/'))
		return arena_strndup(&cx->a, dest, n);
	const char *hash = memchr(dest, '#', n);
	size_t plen = hash ? (size_t)(hash - dest) : n;
	const char *q = memchr(dest, '?', plen);
	if (q)
		plen = (size_t)(q - dest);
	const char *frag = hash ? import_resolve(cx, "", hash + 1, n - (size_t)(hash - dest) - 1) : NULL;
	if (plen == 0) { /* #anchor on this page */
		const char *id = frag ? import_page_id(p, frag) : NULL;
		if (id)
			return arena_printf(&cx->a, "#%s", id);
		*why = "an anchor that no heading of the page has";
		return NULL;
	}
	char *path = import_resolve(cx, cx->base ? cx->base : import_dirname(cx, p->src), dest, plen);
	if (!path) {
		*why = "a path that leaves the source folder";
		return NULL;
	}
	import_page *t = import_find_page(cx, path);
	if (t && !image) {
		char *rel = strcmp(t->dir, p->dir) == 0 && t == p ? arena_strdup(&cx->a, t->name)
								  : import_relative(cx, p->dir, t->dir, t->name);
		const char *id = frag && *frag ? import_page_id(t, frag) : NULL;
		if (frag && *frag && id)
			frag = id;
		if (frag && *frag && !id) {
			import_note(cx, p->src, line, "link to '%s#%s': no such heading there; the anchor was dropped",
				    t->src, frag);
			frag = NULL;
		}
		import_count(cx, IMPORT_LINK);
		return frag && *frag ? arena_printf(&cx->a, "%s#%s", rel, frag) : rel;
	}
	char *full = fsx_join(cx->root, path);
	bool file = fsx_is_file(full);
	free(full);
	size_t len = strlen(path);
	if (!file || (len > 3 && strcmp(path + len - 3, ".md") == 0)) {
		*why = file ? "a page that is not in the navigation" : "a file that does not exist";
		return NULL;
	}
	import_count(cx, IMPORT_LINK);
	return import_asset(cx, p, path);
}

/* ---- scanning a line ---- */

/* The end of a link destination and title starting at s[i] (after "("):
 * the index of its ")", or 0.  *d, *dn: the destination. */
static size_t import_parse_dest(const char *s, size_t n, size_t i, size_t *d, size_t *dn)
{
	while (i < n && s[i] == ' ')
		i++;
	if (i < n && s[i] == '<') {
		const char *gt = memchr(s + i, '>', n - i);
		if (!gt)
			return 0;
		*d = i + 1;
		*dn = (size_t)(gt - s) - i - 1;
		i = (size_t)(gt - s) + 1;
	} else {
		size_t depth = 0;
		*d = i;
		for (; i < n && s[i] != ' '; i++) {
			if (s[i] == '\\' && i + 1 < n) {
				i++;
				continue;
			}
			if (s[i] == '(')
				depth++;
			else if (s[i] == ')' && depth-- == 0)
				break;
		}
		*dn = i - *d;
	}
	while (i < n && s[i] == ' ')
		i++;
	if (i < n && (s[i] == '"' || s[i] == '\'')) {
		const char *close = memchr(s + i + 1, s[i], n - i - 1);
		if (!close)
			return 0;
		i = (size_t)(close - s) + 1;
		while (i < n && s[i] == ' ')
			i++;
	}
	return i < n && s[i] == ')' ? i : 0;
}

/* The "]" that closes the "[" at s[i], or 0. */
static size_t import_close_bracket(const char *s, size_t n, size_t i)
{
	size_t depth = 0;
	for (; i < n; i++) {
		if (s[i] == '\\') {
			i++;
			continue;
		}
		if (s[i] == '[')
			depth++;
		else if (s[i] == ']' && --depth == 0)
			return i;
	}
	return 0;
}

static void import_links_in(import_ctx *cx, import_page *p, int line, const char *s, size_t n, buf *out, int nest);

/* One [text](dest) or ![alt](dest) at s[i]: written to out; returns the
 * index after it, or 0 if there is none. */
static size_t import_one_link(import_ctx *cx, import_page *p, int line, const char *s, size_t n, size_t i, buf *out,
			      int nest)
{
	bool image = s[i] == '!';
	size_t open = i + image, close = import_close_bracket(s, n, open);
	if (!close || close + 1 >= n || s[close + 1] != '(')
		return 0;
	size_t d, dn, end = import_parse_dest(s, n, close + 2, &d, &dn);
	if (!end)
		return 0;
	const char *why = NULL, *dest = import_dest(cx, p, line, s + d, dn, image, &why);
	if (!dest) {
		import_note(cx, p->src, line, "%s to '%.*s': %s; kept as text", image ? "image" : "link", (int)dn,
			    s + d, why);
		if (image)
			buf_adds(out, "*");
		import_links_in(cx, p, line, s + open + 1, close - open - 1, out, nest + 1);
		if (image)
			buf_adds(out, "*");
		return end + 1;
	}
	buf_add(out, s + i, open - i + 1);
	import_links_in(cx, p, line, s + open + 1, close - open - 1, out, nest + 1);
	buf_adds(out, "](");
	buf_adds(out, dest);
	buf_add(out, s + d + dn + (s[d - 1] == '<'), end - d - dn - (s[d - 1] == '<'));
	buf_addc(out, ')');
	return end + 1;
}

static void import_links_in(import_ctx *cx, import_page *p, int line, const char *s, size_t n, buf *out, int nest)
{
	for (size_t i = 0; i < n;) {
		if (s[i] == '`') { /* a code span: as written */
			size_t run = 0;
			while (i + run < n && s[i + run] == '`')
				run++;
			size_t j = i + run;
			while (j < n) {
				size_t k = 0;
				while (j + k < n && s[j + k] == '`')
					k++;
				if (k == run)
					break;
				j += k ? k : 1;
			}
			size_t stop = j < n ? j + run : i + run;
			buf_add(out, s + i, stop - i);
			i = stop;
			continue;
		}
		if (s[i] == '\\' && i + 1 < n) {
			buf_add(out, s + i, 2);
			i += 2;
			continue;
		}
		if (nest < IMPORT_MAX_LINK_NEST && (s[i] == '[' || (s[i] == '!' && i + 1 < n && s[i + 1] == '['))) {
			size_t next = import_one_link(cx, p, line, s, n, i, out, nest);
			if (next) {
				i = next;
				continue;
			}
		}
		buf_addc(out, s[i++]);
	}
}

/* A reference definition "[id]: dest": its destination rewritten. */
static bool import_ref_def(import_ctx *cx, import_page *p, int line, const char *s, size_t n, buf *out)
{
	size_t i = 0;
	while (i < n && i < 3 && s[i] == ' ')
		i++;
	if (i >= n || s[i] != '[' || (i + 1 < n && s[i + 1] == '^'))
		return false;
	size_t close = import_close_bracket(s, n, i);
	if (!close || close + 1 >= n || s[close + 1] != ':')
		return false;
	size_t d = close + 2;
	while (d < n && s[d] == ' ')
		d++;
	size_t e = d;
	while (e < n && s[e] != ' ')
		e++;
	const char *why = NULL, *dest = import_dest(cx, p, line, s + d, e - d, false, &why);
	if (!dest) {
		import_note(cx, p->src, line, "link definition to '%.*s': %s; removed (its links show as text)",
			    (int)(e - d), s + d, why);
		return true;
	}
	buf_add(out, s, d);
	buf_adds(out, dest);
	buf_add(out, s + e, n - e);
	return true;
}

void import_line_links(import_ctx *cx, import_page *p, int line, const char *s, size_t n, buf *out)
{
	if (!memchr(s, '[', n)) {
		buf_add(out, s, n);
		return;
	}
	if (import_ref_def(cx, p, line, s, n, out))
		return;
	import_links_in(cx, p, line, s, n, out, 0);
}

/* The value of attr="…" (or '…') in tag[0..n), in the arena, or NULL. */
static char *import_tag_attr(import_ctx *cx, const char *tag, size_t n, const char *attr)
{
	size_t k = strlen(attr);
	for (size_t i = 1; i + k + 2 < n; i++)
		if ((tag[i - 1] == ' ' || tag[i - 1] == '\n') && memcmp(tag + i, attr, k) == 0 && tag[i + k] == '=' &&
		    (tag[i + k + 1] == '"' || tag[i + k + 1] == '\'')) {
			const char *v = tag + i + k + 2, *q = memchr(v, tag[i + k + 1], n - i - k - 2);
			return q ? arena_strndup(&cx->a, v, (size_t)(q - v)) : NULL;
		}
	return NULL;
}

size_t import_html_images(import_ctx *cx, import_page *p, int line, const char *html, size_t n, const char *base,
			  buf *out)
{
	size_t found = 0;
	cx->base = base;
	for (const char *s = html, *end = html + n; s < end;) {
		const char *img = memmem(s, (size_t)(end - s), "<img", 4);
		const char *gt = img ? memchr(img, '>', (size_t)(end - img)) : NULL;
		if (!img || !gt)
			break;
		char *src = import_tag_attr(cx, img, (size_t)(gt - img), "src");
		char *alt = import_tag_attr(cx, img, (size_t)(gt - img), "alt");
		s = gt + 1;
		if (!src || strchr(src, '>') || (alt && (strchr(alt, ']') || strchr(alt, '['))))
			continue;
		buf md = BUF_INIT;
		buf_addf(&md, "![%s](<%s>)", alt ? alt : "", src);
		import_line_links(cx, p, line, md.ptr, md.len, out);
		buf_adds(out, "\n\n");
		buf_release(&md);
		found++;
	}
	cx->base = NULL;
	return found;
}

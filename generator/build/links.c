/* links.c: every link an author writes is checked and given the base path.
 *
 * Authors may write a site path ("/fr/reseau/pare-feu/#regles") or a source
 * path ("../reseau/pare-feu.md#regles", as a forge shows it); both become
 * base + "fr/reseau/pare-feu/#regles".  A link to a page that does not exist
 * is an error at the link's line and column; an #anchor is checked once every
 * page has rendered (links_check_anchors), against the target's heading ids. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "build/builder.h"
#include "util/diag.h"
#include "util/xalloc.h"

page_ref *links_add_page(builder *b, const char *path, page_kind kind, size_t lang, article *art,
			 const char *name)
{
	page_ref *p = arena_alloc(&b->arena, sizeof(*p));
	*p = (page_ref){ kind, lang, art, name };
	map_put(&b->pages, path, p);
	return p;
}

static bool links_has_scheme(const char *url)
{
	const char *p = url;
	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return false;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
	       *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':';
}

/* A file: URL points into the reader's own computer, never at the site:
 * cmark's safe mode would blank it silently, and an author should hear why.
 * (javascript: and co. stay blanked: they are attacks, not mistakes.) */
static bool links_is_file_url(const char *url)
{
	while (*url == ' ' || *url == '\t')
		url++;
	return strncasecmp(url, "file:", 5) == 0;
}

/* Resolves "." and ".." of a '/'-separated path in place; false if it climbs out. */
static bool links_normalize(char *path)
{
	char *segs[256];
	size_t n = 0;
	bool trailing = path[0] && path[strlen(path) - 1] == '/';
	char *save = NULL; /* strtok_r: articles render on several threads at once */
	for (char *tok = strtok_r(path, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0) {
			if (n == 0)
				return false;
			n--;
			continue;
		}
		if (n == 256)
			return false;
		segs[n++] = tok;
	}
	buf out = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		buf_adds(&out, segs[i]);
		if (i + 1 < n || trailing)
			buf_addc(&out, '/');
	}
	strcpy(path, out.ptr);
	buf_release(&out);
	return true;
}

static void links_queue_anchor(builder *b, const article *from, const article *target,
			       const char *anchor, const char *url, int line, int col)
{
	pthread_mutex_lock(&b->lock);
	b->anchors = xgrow(b->anchors, &b->cap_anchors, b->n_anchors + 1, sizeof(anchor_check));
	b->anchors[b->n_anchors++] = (anchor_check){ from->path, line, col, target, xstrdup(anchor),
						     xstrdup(url) };
	pthread_mutex_unlock(&b->lock);
}

/* "fr/x/y.md" (relative to content/) -> the site path "fr/x/y/" in place. */
static void links_source_to_site(char *path)
{
	size_t n = strlen(path);
	if (n >= 9 && strcmp(path + n - 9, "_index.md") == 0)
		path[n - 9] = '\0';
	else if (n > 3 && strcmp(path + n - 3, ".md") == 0)
		strcpy(path + n - 3, "/");
}

/* report: say what is wrong and queue the anchor checks (else only the
 * status and the URL written: cache.c asking whether a link still leads
 * where it did). */
static phare_status links_do(builder *b, const article *from, const char *url, bool image, int line, int col, buf *out,
			     bool report)
{
	if (links_is_file_url(url)) {
		if (report)
			diag_error(from->path, line, col,
				   "%s '%s' points into the reader's own computer, not the site; "
				   "put the file beside the article and link to it by its name",
				   image ? "image" : "link", url);
		return PHARE_ERR_INPUT;
	}
	if (!*url || links_has_scheme(url) || strncmp(url, "//", 2) == 0) {
		buf_adds(out, url); /* external (cmark's safe mode already dropped javascript: and co.) */
		return PHARE_OK;
	}
	const char *hash = strchr(url, '#');
	size_t plen = hash ? (size_t)(hash - url) : strlen(url);
	const char *anchor = hash ? hash + 1 : NULL;
	if (plen == 0) { /* "#anchor" on the same page */
		if (from->slug && report)
			links_queue_anchor(b, from, from, anchor, url, line, col);
		buf_adds(out, url);
		return PHARE_OK;
	}
	char *path = xmalloc(plen + strlen(from->path) + 8);
	bool source = url[0] != '/';
	if (!source) {
		memcpy(path, url + 1, plen - 1);
		path[plen - 1] = '\0';
	} else {
		/* relative to the file's folder, as content/<lang>/<section>/ */
		const char *rel = strstr(from->path, "content/");
		rel = rel ? rel + 8 : from->path;
		const char *slash = strrchr(rel, '/');
		size_t dlen = slash ? (size_t)(slash - rel) + 1 : 0;
		memcpy(path, rel, dlen);
		memcpy(path + dlen, url, plen);
		path[dlen + plen] = '\0';
	}
	char *q = strchr(path, '?');
	if (q)
		*q = '\0';
	phare_status s = PHARE_OK;
	if (!links_normalize(path)) {
		if (report)
			diag_error(from->path, line, col,
				   "link '%s' climbs out of the site; link to a page of content/", url);
		s = PHARE_ERR_INPUT;
		goto out;
	}
	if (source)
		links_source_to_site(path);
	size_t n = strlen(path);
	const static_file *file = map_get(&b->files, path);
	const page_ref *page = file ? NULL : map_get(&b->pages, path);
	if (!file && !page && n && path[n - 1] != '/') {
		strcat(path, "/"); /* "/fr/x/y" means the page "/fr/x/y/" */
		page = map_get(&b->pages, path);
		if (!page)
			path[n] = '\0';
	}
	if (!file && !page) {
		if (report && image)
			diag_error(from->path, line, col, "image '%s' not found; put the file beside the article "
				   "(content/%s) or fix the path", url, path);
		else if (report)
			diag_error(from->path, line, col, "link '%s' leads nowhere: no page /%s; link to an article as "
				   "/<lang>/<section>/<slug>/ or ../<section>/<slug>.md", url, path);
		s = PHARE_ERR_INPUT;
		goto out;
	}
	buf_adds(out, b->m.cfg.base);
	buf_adds(out, path);
	if (anchor) {
		buf_addc(out, '#');
		buf_adds(out, anchor);
		if (page && page->kind == PAGE_ARTICLE && report)
			links_queue_anchor(b, from, page->art, anchor, url, line, col);
	}
out:
	free(path);
	return s;
}

phare_status links_rewrite(builder *b, const article *from, const char *url, bool image, int line, int col, buf *out)
{
	return links_do(b, from, url, image, line, col, out, true);
}

phare_status links_resolve(builder *b, const article *from, const char *url, bool image, buf *out)
{
	return links_do(b, from, url, image, 0, 0, out, false);
}

/* ids: " id1 id2 … " (heading ids never hold spaces). */
static bool links_has_id(const char *ids, const char *id)
{
	if (!ids || strchr(id, ' '))
		return false;
	size_t n = strlen(id);
	for (const char *p = strstr(ids, id); p; p = strstr(p + 1, id))
		if (p[-1] == ' ' && p[n] == ' ')
			return true;
	return false;
}

phare_status links_check_anchors(builder *b)
{
	phare_status s = PHARE_OK;
	for (size_t i = 0; i < b->n_anchors; i++) {
		anchor_check *c = &b->anchors[i];
		const char *ids = b->heading_ids[c->target->index];
		if (!links_has_id(ids, c->anchor) && strcmp(c->anchor, "feedback") != 0) {
			diag_error(c->from, c->line, c->col, "link '%s': %s has no heading with id '%s'; its ids are:%s", c->url,
				   c->target->path, c->anchor, ids && ids[1] ? ids : " (none)");
			s = PHARE_ERR_INPUT;
		}
		free(c->anchor);
		free(c->url);
	}
	free(b->anchors);
	b->anchors = NULL;
	b->n_anchors = b->cap_anchors = 0;
	return s;
}

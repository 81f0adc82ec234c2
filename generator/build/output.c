/* output.c: writes the site into a temporary folder beside the output and
 * swaps it into place only at the end, so a failed build leaves the previous
 * site exactly as it was; also the files that are not pages: hashed assets,
 * sitemap.xml (split above 50,000 URLs, as the protocol requires),
 * robots.txt and the manifest the feedback collector reads.  With the cache,
 * the previous site is kept after the swap (.<name>.phare-prev beside the
 * output), and the next build's temporary folder is made from it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build/blocks.h"
#include "build/builder.h"
#include "build/cache.h"
#include "render/minify.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/hash.h"
#include "util/xalloc.h"

#define SITEMAP_MAX_URLS 50000 /* the protocol's limit per file */

/* PHARE_SITEMAP_MAX_URLS lowers the limit, so that tests can see the split
 * without building 50,000 pages. */
static size_t output_sitemap_max(void)
{
	const char *env = getenv("PHARE_SITEMAP_MAX_URLS");
	long n = env ? strtol(env, NULL, 10) : 0;
	return n > 0 && n < SITEMAP_MAX_URLS ? (size_t)n : SITEMAP_MAX_URLS;
}

void output_url(const builder *b, const char *path, buf *out)
{
	buf_adds(out, b->m.cfg.origin);
	buf_adds(out, b->m.cfg.base);
	buf_adds(out, path);
}

/* An existing output folder is replaced only if phare made it. */
static phare_status output_check_target(const char *out)
{
	if (!fsx_is_dir(out))
		return PHARE_OK;
	char **names = fsx_list(out);
	bool empty = names && !names[0];
	fsx_free_list(names);
	char *manifest = fsx_join(out, "phare-manifest.tsv");
	bool ours = fsx_is_file(manifest);
	free(manifest);
	if (empty || ours)
		return PHARE_OK;
	diag_error(out, 0, 0, "the output folder exists and was not made by phare (no phare-manifest.tsv); "
		   "choose another --out or remove it");
	return PHARE_ERR_IO;
}

/* With the cache, the previous site is kept beside the output, hidden, on
 * the same file system: <parent>/.<name>.phare-prev (out[0..n)). */
static const char *output_prev_path(builder *b, size_t n)
{
	const char *out = b->opt->out, *name = out + n;
	while (name > out && name[-1] != '/')
		name--;
	if (name == out + n || strncmp(name, ".", (size_t)(out + n - name)) == 0 ||
	    strncmp(name, "..", (size_t)(out + n - name)) == 0)
		return NULL;
	return arena_printf(&b->arena, "%.*s.%.*s.phare-prev", (int)(name - out), out, (int)(out + n - name), name);
}

/* With the cache: the new site is made from the previous one when the cache
 * finds it, entry for entry, as the last build left it (renamed into the
 * temporary folder's place: only what changed is written, the rest pruned
 * at the end); else that previous site, if any, is removed and the new one
 * made whole, as without the cache. */
static phare_status output_take_prev(builder *b, size_t n)
{
	b->prev = output_prev_path(b, n);
	if (!b->prev)
		return PHARE_OK;
	if (cache_prev_intact(b) && rename(b->prev, b->tmp) == 0) {
		b->patching = true;
		return PHARE_OK;
	}
	return fsx_remove_tree(b->prev);
}

phare_status output_begin(builder *b)
{
	phare_status s;
	if (b->cache) /* pages it reuses are listed there (output_article_reused) */
		b->reused = xcalloc(b->m.n_articles + 1, sizeof(sitemap_entry));
	if (b->opt->dry_run)
		return PHARE_OK;
	if ((s = fsx_refuse_link(b->opt->out, "the output folder")) || (s = output_check_target(b->opt->out)))
		return s;
	size_t n = strlen(b->opt->out);
	while (n > 1 && b->opt->out[n - 1] == '/')
		n--;
	b->tmp = arena_printf(&b->arena, "%.*s.phare-tmp-%ld", (int)n, b->opt->out, (long)getpid());
	if ((s = fsx_remove_tree(b->tmp)))
		return s;
	if (b->cache && (s = output_take_prev(b, n)))
		return s;
	return b->patching ? PHARE_OK : fsx_mkdirs(b->tmp);
}

/* The new site's file rel, recorded (with the cache: what the index will
 * describe, and what the patched previous site keeps). */
static void output_made(builder *b, const char *rel)
{
	if (!b->cache)
		return;
	pthread_mutex_lock(&b->lock); /* the build's arena is shared */
	if (!map_get(&b->made, rel))
		map_put(&b->made, arena_strdup(&b->arena, rel), b);
	pthread_mutex_unlock(&b->lock);
}

/* Writes beside full and renames over it: a served folder's readers see
 * the old file or the new one, and a file of the patched previous site,
 * which may be the live site's too (a hard link), is replaced, never
 * written into. */
static phare_status output_replace(const char *full, const void *data, size_t len)
{
	char *next = xmalloc(strlen(full) + 12);
	strcpy(next, full);
	strcat(next, ".phare-new");
	phare_status s = fsx_write(next, data, len);
	if (!s && rename(next, full) != 0) {
		diag_error(full, 0, 0, "cannot replace: %s", strerror(errno));
		s = PHARE_ERR_IO;
	}
	free(next);
	return s;
}

phare_status output_file(builder *b, const char *path, const void *data, size_t len)
{
	if (b->opt->dry_run)
		return PHARE_OK;
	char *full = fsx_join(b->tmp, path);
	char *slash = strrchr(full, '/');
	phare_status s = PHARE_OK;
	*slash = '\0';
	s = fsx_mkdirs(full); /* one mkdir when the parent exists, none to stat first */
	*slash = '/';
	if (!s && (b->live || b->patching))
		s = output_replace(full, data, len);
	else if (!s)
		s = fsx_write(full, data, len);
	if (!s)
		output_made(b, path);
	free(full);
	return s;
}

/* The previous site's file at to replaced by a link to from, unless it is
 * that file already. */
static bool output_link_over(const char *from, const char *to, const struct stat *was)
{
	struct stat st;
	if (S_ISREG(was->st_mode) && lstat(from, &st) == 0 && st.st_ino == was->st_ino && st.st_dev == was->st_dev)
		return true;
	char *next = xmalloc(strlen(to) + 12);
	strcpy(next, to);
	strcat(next, ".phare-new");
	(void)unlink(next);
	bool ok = link(from, next) == 0 && rename(next, to) == 0;
	free(next);
	return ok;
}

bool output_link(builder *b, const char *from, const char *rel)
{
	if (cache_same_file(b, rel))
		return true; /* the kept site's file is that one already, as both stamps saw (and made: cache.h) */
	char *to = fsx_join(b->tmp, rel);
	struct stat was;
	bool ok;
	if (b->patching && lstat(to, &was) == 0) {
		ok = output_link_over(from, to, &was);
	} else {
		char *slash = strrchr(to, '/');
		*slash = '\0';
		ok = fsx_mkdirs(to) == PHARE_OK;
		*slash = '/';
		ok = ok && link(from, to) == 0;
	}
	if (ok)
		output_made(b, rel);
	free(to);
	return ok;
}

phare_status output_fresh_dir(builder *b, const char *rel)
{
	if (!b->patching)
		return PHARE_OK;
	cache_folder_emptied(b, rel);
	char *dir = fsx_join(b->tmp, rel);
	phare_status s = fsx_remove_tree(dir);
	free(dir);
	return s;
}

static void output_made_walk(builder *b, const char *rel)
{
	char *dir = fsx_join(b->tmp, rel);
	char **names = fsx_list(dir);
	for (char **p = names; p && *p; p++) {
		char *r = fsx_join(rel, *p), *full = fsx_join(b->tmp, r);
		struct stat st;
		bool there = lstat(full, &st) == 0;
		if (there && S_ISDIR(st.st_mode))
			output_made_walk(b, r);
		else if (there && S_ISREG(st.st_mode))
			output_made(b, r);
		free(full);
		free(r);
	}
	fsx_free_list(names);
	free(dir);
}

void output_made_tree(builder *b, const char *rel)
{
	if (b->cache && !b->opt->dry_run)
		output_made_walk(b, rel);
}

phare_status output_page(builder *b, const char *path, const buf *html)
{
	char *file = xmalloc(strlen(path) + 11);
	strcpy(file, path);
	strcat(file, "index.html");
	phare_status s = output_file(b, file, html->ptr, html->len);
	free(file);
	return s;
}

void output_page_made(builder *b, const char *path, const char *group, size_t lang, const char *lastmod)
{
	pthread_mutex_lock(&b->lock); /* the build's arena is shared: copy under the lock */
	b->sitemap = xgrow(b->sitemap, &b->cap_sitemap, b->n_sitemap + 1, sizeof(sitemap_entry));
	b->sitemap[b->n_sitemap++] = (sitemap_entry){ arena_strdup(&b->arena, path), arena_strdup(&b->arena, group),
						      lang, lastmod ? arena_strdup(&b->arena, lastmod) : "" };
	b->pages_written[lang]++;
	pthread_mutex_unlock(&b->lock);
}

void output_article_reused(builder *b, const article *art, const char *path)
{
	b->reused[art->index] = (sitemap_entry){ path, art->key, art->lang, art->updated };
}

/* The reused articles' entries, with the others (and counted). */
static void output_reused_entries(builder *b)
{
	for (size_t i = 0; b->reused && i < b->m.n_articles; i++) {
		const sitemap_entry *e = &b->reused[i];
		if (!e->path)
			continue;
		b->sitemap = xgrow(b->sitemap, &b->cap_sitemap, b->n_sitemap + 1, sizeof(sitemap_entry));
		b->sitemap[b->n_sitemap++] = *e;
		b->pages_written[e->lang]++;
	}
	free(b->reused);
	b->reused = NULL;
}

static int output_cmp_entries(const void *x, const void *y)
{
	const sitemap_entry *a = x, *c = y;
	int r = strcmp(a->group, c->group);
	return r ? r : (a->lang < c->lang ? -1 : a->lang > c->lang);
}

/* A page's <url> (u: scratch, a page's line 20,000 times a build). */
static void output_sitemap_url(const builder *b, const sitemap_entry *e, const sitemap_entry *group, size_t n_group,
			       buf *x, buf *u)
{
	buf_adds(x, "<url><loc>");
	buf_reset(u);
	output_url(b, e->path, u);
	buf_adds_html(x, u->ptr);
	buf_adds(x, "</loc>");
	if (*e->lastmod) { /* not printf: a page's line, 20,000 a build */
		buf_adds(x, "<lastmod>");
		buf_adds(x, e->lastmod);
		buf_adds(x, "</lastmod>");
	}
	for (size_t i = 0; n_group > 1 && i < n_group; i++) {
		buf_reset(u);
		output_url(b, group[i].path, u);
		buf_adds(x, "<xhtml:link rel=\"alternate\" hreflang=\"");
		buf_adds(x, b->m.cfg.languages[group[i].lang].code);
		buf_adds(x, "\" href=\"");
		buf_adds_html(x, u->ptr);
		buf_adds(x, "\"/>");
	}
	buf_adds(x, "</url>\n");
}

/* The sitemap files' names: sitemap.xml, then the parts it lists, if any. */
static const char **output_sitemap_names(builder *b, size_t n_files)
{
	const char **names = arena_alloc(&b->arena, (n_files + 1) * sizeof(char *));
	names[0] = "sitemap.xml";
	for (size_t f = 0; n_files > 1 && f < n_files; f++)
		names[f + 1] = arena_printf(&b->arena, "sitemap-%zu.xml", f + 1);
	return names;
}

static phare_status output_sitemaps(builder *b)
{
	static const char head[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
		"xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
	output_reused_entries(b);
	if (b->n_sitemap > 1)
		qsort(b->sitemap, b->n_sitemap, sizeof(sitemap_entry), output_cmp_entries);
	size_t max = output_sitemap_max();
	size_t n_files = (b->n_sitemap + max - 1) / max;
	const char **names = output_sitemap_names(b, n_files);
	if (b->cache && !b->opt->dry_run && cache_sitemap_kept(b, max, names, n_files > 1 ? n_files + 1 : 1))
		return PHARE_OK;
	buf x = BUF_INIT, idx = BUF_INIT, u = BUF_INIT;
	phare_status s = PHARE_OK;
	size_t g = 0;
	for (size_t f = 0; f < (n_files ? n_files : 1) && !s; f++) {
		buf_reset(&x);
		buf_adds(&x, head);
		size_t end = (f + 1) * max;
		for (size_t i = f * max; i < b->n_sitemap && i < end; i++) {
			while (g + 1 <= i && strcmp(b->sitemap[g].group, b->sitemap[i].group) != 0)
				g++;
			size_t ge = g;
			while (ge < b->n_sitemap && strcmp(b->sitemap[ge].group, b->sitemap[g].group) == 0)
				ge++;
			output_sitemap_url(b, &b->sitemap[i], &b->sitemap[g], ge - g, &x, &u);
		}
		buf_adds(&x, "</urlset>\n");
		if (n_files <= 1) {
			s = output_file(b, names[0], x.ptr, x.len);
		} else {
			s = output_file(b, names[f + 1], x.ptr, x.len);
			buf_reset(&u);
			output_url(b, names[f + 1], &u);
			buf_adds(&idx, "<sitemap><loc>");
			buf_adds_html(&idx, u.ptr);
			buf_adds(&idx, "</loc></sitemap>\n");
		}
	}
	buf_release(&u);
	if (!s && n_files > 1) {
		buf_reset(&x);
		buf_adds(&x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			 "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
		buf_add(&x, idx.ptr, idx.len);
		buf_adds(&x, "</sitemapindex>\n");
		s = output_file(b, names[0], x.ptr, x.len);
	}
	buf_release(&x);
	buf_release(&idx);
	return s;
}

static phare_status output_robots(builder *b)
{
	buf x = BUF_INIT;
	buf_adds(&x, "User-agent: *\nAllow: /\n");
	if (*b->m.cfg.origin) {
		buf_adds(&x, "Sitemap: ");
		output_url(b, "sitemap.xml", &x);
		buf_addc(&x, '\n');
	}
	phare_status s = output_file(b, "robots.txt", x.ptr, x.len);
	buf_release(&x);
	return s;
}

/* A manifest field: its control characters (a tab, a line break) would
 * split the line, so they become spaces. */
static void output_tsv_field(buf *x, const char *s)
{
	for (; *s; s++)
		buf_addc(x, (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s);
}

/* The collector's view of the site: which articles exist, where, at which
 * revision; the report's too (titles and links). */
static phare_status output_manifest(builder *b)
{
	buf x = BUF_INIT;
	buf_addf(&x, "phare-manifest\t1\nbase\t%s\n", b->m.cfg.base);
	if (*b->m.cfg.origin)
		buf_addf(&x, "origin\t%s\n", b->m.cfg.origin);
	for (size_t i = 0; i < b->m.n_articles; i++) { /* not printf: 20,000 lines a build */
		const article *a = b->m.articles[i];
		const char *fields[] = { b->m.cfg.languages[a->lang].code, a->key, a->url, a->revision };
		buf_adds(&x, "article");
		for (size_t f = 0; f < sizeof fields / sizeof *fields; f++) {
			buf_addc(&x, '\t');
			buf_adds(&x, fields[f]);
		}
		buf_addc(&x, '\t');
		output_tsv_field(&x, a->title);
		buf_addc(&x, '\n');
	}
	blocks_questionnaire_manifest(b, &x);
	phare_status s = output_file(b, "phare-manifest.tsv", x.ptr, x.len);
	buf_release(&x);
	return s;
}

/* Theme files under assets/ are published as assets/<stem>.<hash>.<ext>,
 * so hosts can cache them forever; templates get their URLs as asset.<stem>_<ext>.
 * CSS and JavaScript are minified first (render/minify.h: pages stay light),
 * and the name hashes the bytes published, so it changes with the minifier. */
phare_status output_assets(builder *b)
{
	phare_status s = PHARE_OK;
	b->assets = value_map(&b->arena);
	const char *key;
	void *val;
	const char **names = NULL;
	size_t n = 0, cap = 0;
	for (size_t it = 0; map_next(&b->th.files, &it, &key, &val);) {
		if (strncmp(key, "assets/", 7) == 0) {
			names = xgrow(names, &cap, n + 1, sizeof(char *));
			names[n++] = key;
		}
	}
	for (size_t i = 0; i < n && !s; i++) {
		const struct theme_file *f = theme_find(&b->th, names[i]);
		buf data = BUF_INIT;
		(void)minify_asset(names[i], (const char *)f->data, f->len, &data);
		char hash[17];
		hash_fnv1a_hex(data.ptr, data.len, hash);
		const char *name = names[i] + 7, *dot = strrchr(name, '.');
		size_t stem = dot ? (size_t)(dot - name) : strlen(name);
		const char *out = arena_printf(&b->arena, "assets/%.*s.%.10s%s", (int)stem, name, hash,
					       dot ? dot : "");
		char *k = arena_strdup(&b->arena, name);
		for (char *p = k; *p; p++)
			if (*p == '.' || *p == '-' || *p == '/')
				*p = '_';
		value_map_set(&b->arena, b->assets, k,
			      value_string_ref(&b->arena, arena_printf(&b->arena, "%s%s", b->m.cfg.base, out)));
		s = output_file(b, out, data.ptr, data.len);
		buf_release(&data);
	}
	free(names);
	return s;
}

static phare_status output_static(builder *b)
{
	phare_status s = PHARE_OK;
	size_t max = b->m.cfg.max_file_bytes ? b->m.cfg.max_file_bytes : MODEL_MAX_FILE_BYTES;
	for (size_t i = 0; i < b->m.n_files && !s; i++) {
		buf data = BUF_INIT; /* checked by the model; the limit again, in case it grew since */
		s = fsx_read(b->m.files[i].src, &data, max);
		if (!s)
			s = output_file(b, b->m.files[i].dest, data.ptr, data.len);
		buf_release(&data);
	}
	return s;
}

phare_status output_finish(builder *b)
{
	phare_status s;
	if ((s = output_sitemaps(b)) || (s = output_robots(b)) || (s = output_static(b)) ||
	    (s = output_manifest(b)))
		return s;
	if (b->opt->dry_run)
		return PHARE_OK;
	if (b->patching && (s = cache_prune(b)))
		return s;
	const char *out = b->opt->out;
	if (fsx_is_dir(out)) {
		/* Atomic swap: readers of the old site never see a half-written one. */
		if (renameat2(AT_FDCWD, b->tmp, AT_FDCWD, out, RENAME_EXCHANGE) != 0) {
			diag_error(out, 0, 0, "cannot replace the output folder: %s", strerror(errno));
			return PHARE_ERR_IO;
		}
		/* now the previous site: kept for the next build's to be made from
		 * (cache_save keeps it only if it can say what it holds) */
		if (b->prev && rename(b->tmp, b->prev) == 0)
			return PHARE_OK;
		return fsx_remove_tree(b->tmp);
	}
	if (rename(b->tmp, out) != 0) {
		diag_error(out, 0, 0, "cannot create the output folder: %s", strerror(errno));
		return PHARE_ERR_IO;
	}
	return PHARE_OK;
}

void output_abort(builder *b)
{
	if (b->tmp && !b->opt->dry_run)
		(void)!fsx_remove_tree(b->tmp);
}

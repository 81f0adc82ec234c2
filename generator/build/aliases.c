/* aliases.c: the old paths an article lists in aliases:, each given a small
 * page that sends readers and search engines to where the article is now
 * (canonical link, meta refresh, a plain link).
 *
 * A section's _index.md may list aliases too, for its page.  An alias is a
 * site path without the base: under a language's folder
 * ("/fr/ancien/chemin/"), or, for a site that had none (GitBook, MkDocs,
 * Hugo's default language: phare import writes those), at the root
 * ("/guides/configure/"), where it keeps clear of what the build writes
 * there (assets/, the language folders, files with a '.').  One that is
 * already a page, or another file's alias, is an error at the aliases:
 * line. */
#include <string.h>

#include "build/builder.h"
#include "util/diag.h"

/* Letters, digits, '-', '_' and '.' (not leading) in every segment. */
static bool aliases_valid_segment(const char *s, size_t n)
{
	if (n == 0 || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return false;
	return true;
}

/* Whether the first folder of a root alias ("guides" of "guides/x") keeps
 * clear of the root's own files and folders. */
static bool aliases_free_root(const builder *b, const char *p, size_t n)
{
	if (memchr(p, '.', n)) /* index.html, sitemap.xml, robots.txt… */
		return false;
	return site_language_index(&b->m.cfg, p, n) < 0 && !(n == 6 && memcmp(p, "assets", 6) == 0);
}

/* "/fr/ancien/chemin" -> "fr/ancien/chemin/" in a, or NULL with *why. */
static const char *aliases_path(const builder *b, arena *a, const char *alias, const char **why)
{
	const char *p = alias + 1, *slash = strchr(p, '/');
	size_t n = strlen(p), first = slash ? (size_t)(slash - p) : n;
	bool in_lang = slash && site_language_index(&b->m.cfg, p, first) >= 0;
	if (n == 0 || (in_lang && !slash[1])) {
		*why = "that is a home page; an alias is an old page, e.g. /fr/ancien/chemin/";
		return NULL;
	}
	if (!in_lang && !aliases_free_root(b, p, first)) {
		*why = "an alias outside a language folder must not start with assets/, a language, or a "
		       "name with a '.' (the build writes those); e.g. /fr/ancien/chemin/ or /guides/old/";
		return NULL;
	}
	for (const char *s = p; *s;) {
		const char *e = strchr(s, '/');
		size_t k = e ? (size_t)(e - s) : strlen(s);
		if (!aliases_valid_segment(s, k)) {
			*why = "an alias's folders are letters, digits, '-', '_' and '.' (not first)";
			return NULL;
		}
		s += k + (e ? 1 : 0);
	}
	return p[n - 1] == '/' ? arena_strdup(a, p) : arena_printf(a, "%s/", p);
}

/* Where an alias leads: an article or a section page. */
typedef struct alias_target {
	const char *from; /* the file that lists it, for messages */
	const char *title, *url;
	size_t lang;
} alias_target;

/* Registers the aliases of the file art (an article, or a section's
 * _index.md leading to title and url). */
static phare_status aliases_of(builder *b, const article *art, size_t lang, const char *title, const char *url)
{
	phare_status s = PHARE_OK;
	for (size_t k = 0; k < art->n_aliases; k++) {
		const char *why = NULL, *alias = art->aliases[k];
		const char *path = aliases_path(b, &b->arena, alias, &why);
		const page_ref *page = path ? map_get(&b->pages, path) : NULL;
		const alias_target *other = path ? map_get(&b->aliases, path) : NULL;
		if (!path) {
			diag_error(art->path, art->aliases_line, art->aliases_col, "alias '%s': %s", alias, why);
		} else if (page) {
			diag_error(art->path, art->aliases_line, art->aliases_col,
				   "alias '%s' is a page of the site; remove the alias, or move that page", alias);
		} else if (other) {
			diag_error(art->path, art->aliases_line, art->aliases_col,
				   "alias '%s' is also an alias of %s; keep it in one file", alias, other->from);
		} else {
			alias_target *t = arena_alloc(&b->arena, sizeof(*t));
			*t = (alias_target){ art->path, title, url, lang };
			map_put(&b->aliases, path, t);
			continue;
		}
		s = PHARE_ERR_INPUT;
	}
	return s;
}

phare_status aliases_register(builder *b)
{
	phare_status s = PHARE_OK, r;
	for (size_t i = 0; i < b->m.n_articles; i++) {
		const article *art = b->m.articles[i];
		if ((r = aliases_of(b, art, art->lang, art->title, art->url)) && !s)
			s = r;
	}
	for (size_t l = 0; l < b->m.cfg.n_languages; l++)
		for (size_t i = 0; i < b->m.langs[l].n_sections; i++) {
			const section *sec = b->m.langs[l].sections[i];
			if (sec->index && (r = aliases_of(b, sec->index, l, sec->title, sec->url)) && !s)
				s = r;
		}
	return s;
}

phare_status aliases_pages(builder *b)
{
	const char *path;
	void *val;
	phare_status s = PHARE_OK;
	arena a = ARENA_INIT;
	buf html = BUF_INIT;
	for (size_t it = 0; !s && map_next(&b->aliases, &it, &path, &val);) {
		const alias_target *t = val;
		value *c = pages_ctx(b, &a, t->lang);
		value_map_str(&a, c, "title", t->title);
		value_map_str(&a, c, "url", t->url);
		value_map_str(&a, c, "canonical",
			      *b->m.cfg.origin ? arena_printf(&a, "%s%s", b->m.cfg.origin, t->url) : t->url);
		buf_reset(&html);
		s = mustache_render(b->tpl, "alias", c, &html);
		if (!s)
			s = output_page(b, path, &html);
		arena_release(&a);
	}
	buf_release(&html);
	return s;
}

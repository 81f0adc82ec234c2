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
#include "content/alias.h"
#include "util/diag.h"

/* "/fr/ancien/chemin" -> "fr/ancien/chemin/" in a, or NULL with *why. */
static const char *aliases_path(const builder *b, arena *a, const char *alias, const char **why)
{
	const char *codes[SITE_MAX_LANGUAGES];
	size_t n = b->m.cfg.n_languages;
	for (size_t l = 0; l < n; l++)
		codes[l] = b->m.cfg.languages[l].code;
	if ((*why = alias_problem(alias, codes, n)))
		return NULL;
	const char *p = alias + 1;
	return p[strlen(p) - 1] == '/' ? arena_strdup(a, p) : arena_printf(a, "%s/", p);
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

/* pages.c: the template data of every page, and its rendering.
 *
 * Each language has one shared map (lang_ctx: strings, assets, URLs) built
 * once; a page's data is a small map of its own that points into it, made in
 * the worker's arena and dropped after the page is written.  Every name a
 * template receives (here, in blocks.c and questionnaires.c) is listed in
 * templates/README.md, for theme authors: add a new one there too
 * (tests/integration/test_templates_doc.py checks the templates against it). */
#include <stdlib.h>
#include <string.h>

#include "build/blocks.h"
#include "build/cache.h"
#include "search/page.h"
#include "build/builder.h"
#include "content/translations.h"
#include "render/imgsize.h"
#include "render/markdown.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/xalloc.h"

static const char *pages_lang(const builder *b, size_t lang)
{
	return b->m.cfg.languages[lang].code;
}

phare_status pages_prepare(builder *b)
{
	arena *a = &b->arena;
	const site_config *cfg = &b->m.cfg;
	for (size_t i = 0; i < cfg->n_languages; i++) {
		value *c = value_map(a);
		value_map_str(a, c, "lang", cfg->languages[i].code);
		value_map_str(a, c, "lang_name", cfg->languages[i].name);
		value_map_str(a, c, "site_title", cfg->languages[i].title ? cfg->languages[i].title
									   : i18n_get(&b->strings, i, "site_title_default"));
		value_map_str(a, c, "base", cfg->base);
		value_map_str(a, c, "home_url", b->m.langs[i].url);
		value_map_set(a, c, "t", b->strings.strings[i]);
		value_map_set(a, c, "asset", b->assets);
		value_map_bool(a, c, "preview", b->opt->preview);
		const char *endpoint = b->opt->feedback_endpoint ? b->opt->feedback_endpoint : cfg->feedback_endpoint;
		if (endpoint)
			value_map_str(a, c, "feedback_endpoint", endpoint);
		value_map_str(a, c, "questionnaire_url", blocks_first_questionnaire_url(b, i));
		b->lang_ctx[i] = c;
	}
	return PHARE_OK;
}

/* A page's data starts as a copy of its language's shared map. */
value *pages_ctx(const builder *b, arena *a, size_t lang)
{
	const value *shared = b->lang_ctx[lang];
	value *c = value_map(a);
	for (size_t i = 0; i < shared->u.map.len; i++)
		value_map_set(a, c, shared->u.map.keys[i], shared->u.map.vals[i]);
	return c;
}

value *pages_link(arena *a, const char *title, const char *url)
{
	value *v = value_map(a);
	value_map_str(a, v, "title", title);
	value_map_str(a, v, "url", url);
	return v;
}

static const char *pages_abs(const builder *b, arena *a, const char *url)
{
	return *b->m.cfg.origin ? arena_printf(a, "%s%s", b->m.cfg.origin, url) : url;
}

/* urls[i]: the page in language i, or NULL where it does not exist.
 * Sets languages (the switcher), alternates (hreflang) and canonical. */
void pages_languages(const builder *b, arena *a, value *c, size_t lang, const char *const *urls)
{
	pages_languages_alt(b, a, c, lang, urls, urls);
}

/* As pages_languages, with alt[i] the hreflang alternate (NULL: none, for a
 * language that shows the untranslated text). */
void pages_languages_alt(const builder *b, arena *a, value *c, size_t lang, const char *const *urls,
			 const char *const *alt)
{
	const site_config *cfg = &b->m.cfg;
	value *langs = value_list(a), *alts = value_list(a);
	for (size_t i = 0; i < cfg->n_languages; i++) {
		value *l = value_map(a);
		value_map_str(a, l, "code", cfg->languages[i].code);
		value_map_str(a, l, "name", cfg->languages[i].name);
		value_map_str(a, l, "url", urls[i] ? urls[i] : b->m.langs[i].url);
		value_map_bool(a, l, "current", i == lang);
		value_map_bool(a, l, "missing", !urls[i]);
		value_list_push(a, langs, l);
		if (alt[i]) {
			value *e = value_map(a);
			value_map_str(a, e, "hreflang", cfg->languages[i].code);
			value_map_str(a, e, "href", pages_abs(b, a, alt[i]));
			value_list_push(a, alts, e);
		}
	}
	const char *def = alt[cfg->default_language];
	if (def && alts->u.list.len > 1) {
		value *e = value_map(a);
		value_map_str(a, e, "hreflang", "x-default");
		value_map_str(a, e, "href", pages_abs(b, a, def));
		value_list_push(a, alts, e);
	}
	value_map_set(a, c, "languages", langs);
	value_map_bool(a, c, "has_languages", cfg->n_languages > 1);
	value_map_set(a, c, "alternates", alts);
	value_map_str(a, c, "canonical", pages_abs(b, a, urls[lang] ? urls[lang] : b->m.langs[lang].url));
}

/* Room a page starts with: an article page is 20 to 30 KB (its budget), and
 * a buffer doubled up to that from nothing copies it eight times. */
#define PAGES_FIRST_BYTES (32 << 10)

/* art: an article's page, whose bytes the build cache keeps the hash of. */
static phare_status pages_render_page(builder *b, const char *tpl, const value *data, const char *path, size_t lang,
				      const char *group, const char *lastmod, const article *art)
{
	buf html = BUF_INIT;
	buf_grow(&html, PAGES_FIRST_BYTES);
	phare_status s = mustache_render(b->tpl, tpl, data, &html);
	if (!s)
		s = output_page(b, path, &html);
	if (!s && art)
		cache_article_page(b, art, html.ptr, html.len);
	buf_release(&html);
	if (!s) {
		output_page_made(b, path, group, lang, lastmod);
	}
	return s;
}

phare_status pages_render(builder *b, const char *tpl, const value *data, const char *path, size_t lang,
			  const char *group, const char *lastmod)
{
	return pages_render_page(b, tpl, data, path, lang, group, lastmod, NULL);
}

void pages_crumbs(const builder *b, arena *a, value *c, size_t lang, const char *title, const char *url)
{
	value *crumbs = value_list(a);
	value_list_push(a, crumbs, pages_link(a, i18n_get(&b->strings, lang, "home"), b->m.langs[lang].url));
	if (title)
		value_list_push(a, crumbs, pages_link(a, title, url));
	value_map_set(a, c, "breadcrumbs", crumbs);
	value_map_bool(a, c, "has_breadcrumbs", true);
}

/* ---- articles ---- */

typedef struct article_env {
	builder *b;
	article *a;
	search_page_builder *search; /* NULL: the article is not indexed */
	cache_rec *rec;              /* what the render asks of the site, for the build cache; or NULL */
} article_env;

static phare_status pages_on_link(void *ctx, const char *url, bool image, int line, int col, buf *out)
{
	article_env *e = ctx;
	size_t at = out->len;
	phare_status s = links_rewrite(e->b, e->a, url, image, line, col, out);
	if (!s)
		cache_rec_link(e->rec, url, image, line, col, out->ptr + at, out->len - at);
	return s;
}

/* A local image's width and height, from its file's header (render/imgsize.h). */
bool pages_image_size(const builder *b, const char *url, int *w, int *h)
{
	const char *base = b->m.cfg.base;
	size_t k = strlen(base);
	const static_file *f = strncmp(url, base, k) == 0 ? map_get(&b->files, url + k) : NULL;
	return f && imgsize_file(f->src, w, h);
}

static bool pages_on_image_size(void *ctx, const char *url, int *w, int *h)
{
	article_env *e = ctx;
	bool ok = pages_image_size(e->b, url, w, h);
	cache_rec_image(e->rec, url, ok, ok ? *w : 0, ok ? *h : 0);
	return ok;
}

static phare_status pages_on_block(void *ctx, const char *info, int line, buf *out)
{
	article_env *e = ctx;
	size_t at = out->len;
	phare_status s = blocks_render(e->b, e->a, info, line, out);
	if (!s)
		cache_rec_block(e->rec, info, line, out->ptr + at, out->len - at);
	return s;
}

/* The article's text, as the renderer hands it (markdown.h md_text_kind),
 * to the search page being made (search/page.h). */
static void pages_on_text(void *ctx, md_text_kind kind, const char *s, size_t n)
{
	search_page_builder *sb = ((article_env *)ctx)->search;
	switch (kind) {
	case MD_TEXT_PLAIN: search_page_text(sb, s, n); break;
	case MD_TEXT_BREAK: search_page_break(sb); break;
	case MD_TEXT_HEADING_OPEN:
	case MD_TEXT_HEADING_CLOSE: search_page_heading(sb, s, kind == MD_TEXT_HEADING_OPEN); break;
	case MD_TEXT_HTML: search_page_html(sb, s); break;
	}
}

/* What the page's notices need (render/callout.h): default titles in its
 * language (i18n keys callout_note … callout_caution), site.yaml's aliases. */
static void pages_callouts(const builder *b, size_t lang, callout_env *out)
{
	static const char *const keys[CALLOUT_KINDS] = { "callout_note", "callout_tip", "callout_important",
							 "callout_warning", "callout_caution" };
	for (size_t k = 0; k < CALLOUT_KINDS; k++)
		out->titles[k] = i18n_get(&b->strings, lang, keys[k]);
	out->aliases = b->m.cfg.callouts;
	out->n_aliases = b->m.cfg.n_callouts;
}

static value *pages_toc(arena *a, const md_doc *doc)
{
	value *toc = value_list(a);
	for (size_t i = 0; i < doc->n_headings; i++) {
		const md_heading *h = &doc->headings[i];
		if (h->level < 2 || h->level > 3)
			continue;
		value *e = value_map(a);
		value_map_str(a, e, "id", arena_strdup(a, h->id));
		value_map_str(a, e, "text", arena_strdup(a, h->text));
		value_map_bool(a, e, "sub", h->level == 3);
		value_list_push(a, toc, e);
	}
	return toc;
}

static void pages_keep_ids(builder *b, const article *art, const md_doc *doc)
{
	buf ids = BUF_INIT;
	buf_addc(&ids, ' ');
	for (size_t i = 0; i < doc->n_headings; i++) {
		buf_adds(&ids, doc->headings[i].id);
		buf_addc(&ids, ' ');
	}
	free(b->heading_ids[art->index]); /* a session's update renders an article again */
	b->heading_ids[art->index] = buf_detach(&ids, NULL);
}

/* "not yet translated" (fallback pages) and "may be outdated" banners. */
static void pages_translation_notes(builder *b, arena *a, value *c, const article *art)
{
	if (art->fallback_of) {
		value_map_bool(a, c, "not_translated", true);
		value_map_str(a, c, "content_lang", b->m.cfg.languages[art->fallback_of->lang].code);
		value_map_bool(a, c, "noindex", true);
	} else if (b->m.cfg.outdated_banner && translations_state(&b->m, art->key, art->lang) == TR_OUTDATED) {
		value_map_bool(a, c, "outdated", true);
		article **tr = model_translations(&b->m, art->key);
		value_map_str(a, c, "source_url", tr[b->m.cfg.default_language]->url);
	}
}

/* The fields of the page made from its body (the rest is known before it renders). */
static void pages_article_body(arena *a, value *c, const md_doc *doc)
{
	value_map_str(a, c, "content", doc->html.ptr);
	/* partials/head and foot: tabs.js, code.css and code.js, questionnaire.css */
	value_map_bool(a, c, "has_tabs", doc->has_tabs);
	value_map_bool(a, c, "has_code", doc->has_code);
	value_map_bool(a, c, "has_questionnaire", doc->has_questionnaire);
	value *toc = pages_toc(a, doc);
	value_map_set(a, c, "toc", toc);
	value_map_bool(a, c, "has_toc", toc->u.list.len >= 3);
}

static void pages_article_fields(builder *b, arena *a, value *c, const article *art)
{
	value_map_str(a, c, "title", art->title);
	value_map_str(a, c, "page_title", art->title);
	value_map_str(a, c, "description", art->description);
	if (*art->updated) {
		buf d = BUF_INIT;
		i18n_date(&b->strings, art->lang, art->updated, &d);
		value_map_str(a, c, "updated", arena_strdup(a, d.ptr));
		value_map_str(a, c, "updated_iso", art->updated);
		buf_release(&d);
	}
	nav_crumbs(b, a, c, art->lang, art->sec, art->title);
	if (art->sec)
		nav_sidebar(b, a, c, art->sec, art);
	nav_pager(a, c, art);
	value *cmp = blocks_comparisons_of(b, a, art);
	value_map_set(a, c, "comparisons", cmp);
	value_map_bool(a, c, "has_comparisons", cmp->u.list.len > 0);
	value *fb = value_map(a);
	value_map_str(a, fb, "article", art->key);
	value_map_str(a, fb, "revision", art->revision);
	value_map_set(a, c, "feedback", fb);
	value *tags = value_list(a);
	for (size_t i = 0; i < art->n_tags; i++)
		value_list_push(a, tags, value_string_ref(a, art->tags[i]));
	value_map_set(a, c, "tags", tags);
}

/* The article's body: the model's, or, when it dropped it (model_options
 * drop_bodies), read again into text.  A file whose size changed since it
 * was loaded is an error: its front matter and its body would disagree. */
static phare_status pages_body(const builder *b, const article *art, buf *text, const char **body)
{
	*body = art->body;
	if (art->body)
		return PHARE_OK;
	size_t max = b->m.cfg.max_article_bytes ? b->m.cfg.max_article_bytes : MODEL_MAX_ARTICLE_BYTES;
	phare_status s = fsx_read(art->path, text, max);
	if (s)
		return s;
	if (text->len != art->body_off + art->body_len) {
		diag_error(art->path, 0, 0, "the file changed while the site was being built; build again");
		return PHARE_ERR_IO;
	}
	*body = text->ptr + art->body_off;
	return PHARE_OK;
}

/* Everything of the page but its body: its place in the site and its translations. */
static void pages_article_frame(builder *b, arena *a, value *c, article *art)
{
	pages_article_fields(b, a, c, art);
	article **tr = model_translations(&b->m, art->key);
	const char **urls = arena_alloc(a, sizeof(char *) * b->m.cfg.n_languages);
	const char **alt = arena_alloc(a, sizeof(char *) * b->m.cfg.n_languages);
	for (size_t i = 0; i < b->m.cfg.n_languages; i++) {
		urls[i] = tr[i] ? tr[i]->url : NULL;
		alt[i] = tr[i] && !tr[i]->fallback_of ? tr[i]->url : NULL;
	}
	pages_languages_alt(b, a, c, art->lang, urls, alt);
	pages_translation_notes(b, a, c, art);
}

/* How the Markdown of env's article renders: its file and line, the site's
 * HTML setting, phare's hooks, and its language's words (callouts: filled
 * here, must live as long as the result). */
static md_env pages_md_env(article_env *env, callout_env *callouts)
{
	const builder *b = env->b;
	const article *art = env->a;
	pages_callouts(b, art->lang, callouts);
	return (md_env){ .path = art->path,
			 .first_line = art->body_line,
			 .unsafe_html = b->m.cfg.unsafe_html,
			 .link = pages_on_link,
			 .block = pages_on_block,
			 .ctx = env,
			 .callouts = callouts,
			 .image_size = pages_on_image_size,
			 .footnote_back = i18n_get(&b->strings, art->lang, "footnote_back"),
			 .table_name = i18n_get(&b->strings, art->lang, "table") };
}

phare_status pages_article(builder *b, article *art, arena *a)
{
	phare_status s;
	if (cache_article_unchanged(b, art, &s))
		return s; /* the previous page: nothing it is made of changed (build/cache.h) */
	value *c = pages_ctx(b, a, art->lang);
	pages_article_frame(b, a, c, art);
	cache_rec *rec;
	if (cache_article_reuse(b, art, c, &rec, &s))
		return s; /* the previous page, unchanged (build/cache.h) */
	/* A fallback's text is the source language's: not indexed again. */
	bool indexed = !art->fallback_of && !b->live;
	search_page text = SEARCH_PAGE_INIT;
	article_env env = { b, art, indexed ? search_page_begin(&text) : NULL, rec };
	callout_env callouts;
	md_env md = pages_md_env(&env, &callouts);
	md.text = indexed ? pages_on_text : NULL;
	md_doc doc = MD_DOC_INIT;
	buf file = BUF_INIT;
	const char *body;
	s = pages_body(b, art, &file, &body);
	if (!s && indexed)
		buf_grow(&text.text, art->body_len); /* the page's text is about its source's length */
	if (!s)
		s = markdown_render(&md, body, art->body_len, &doc);
	buf_release(&file);
	if (env.search)
		search_page_end(env.search); /* the excerpts; frees the builder */
	if (s)
		goto out;
	pages_keep_ids(b, art, &doc);
	pages_article_body(a, c, &doc);
	buf counted = BUF_INIT; /* the page as the index counted it, for the build cache */
	if (indexed)
		search_index_add_page(b->search[art->lang], "article", art->url, art->title,
				      art->sec ? nav_trail(a, art->sec) : "", art->description, &text,
				      rec ? &counted : NULL);
	cache_article_done(b, art, rec, indexed ? &counted : NULL);
	buf_release(&counted);
	rec = NULL;
	s = pages_render_page(b, "article", c, arena_printf(a, "%s/%s/", pages_lang(b, art->lang), art->key), art->lang,
			      art->key, art->updated, art);
out:
	cache_rec_free(rec);
	search_page_release(&text);
	md_doc_release(&doc);
	return s;
}

/* ---- lists: root, language homes, sections, 404 ---- */

static value *pages_article_list(arena *a, article *const *arts, size_t n)
{
	value *list = value_list(a);
	for (size_t i = 0; i < n; i++) {
		value *e = pages_link(a, arts[i]->title, arts[i]->url);
		value_map_str(a, e, "description", arts[i]->description);
		value_list_push(a, list, e);
	}
	return list;
}

/* An _index.md body (home or section text), rendered with links checked. */
static phare_status pages_index_text(builder *b, arena *a, article *idx, value *c)
{
	if (!idx)
		return PHARE_OK;
	article_env env = { b, idx, NULL, NULL };
	callout_env callouts;
	md_env md = pages_md_env(&env, &callouts);
	md_doc doc = MD_DOC_INIT;
	phare_status s = markdown_render(&md, idx->body, idx->body_len, &doc);
	if (!s) {
		value_map_str(a, c, "intro", arena_strdup(a, doc.html.ptr));
		value_map_bool(a, c, "has_code", doc.has_code);
		value_map_bool(a, c, "has_questionnaire", doc.has_questionnaire);
	}
	md_doc_release(&doc);
	return s;
}

static phare_status pages_section(builder *b, arena *a, const section *sec)
{
	value *c = pages_ctx(b, a, sec->lang);
	value_map_str(a, c, "title", sec->title);
	value_map_str(a, c, "page_title", sec->title);
	value_map_str(a, c, "description", sec->description);
	value_map_set(a, c, "articles", pages_article_list(a, sec->articles, sec->n_articles));
	value_map_bool(a, c, "has_articles", sec->n_articles > 0);
	value_map_set(a, c, "sections", nav_cards(b, a, sec->subs, sec->n_subs));
	value_map_bool(a, c, "has_sections", sec->n_subs > 0);
	nav_crumbs(b, a, c, sec->lang, sec->parent, sec->title);
	nav_sidebar(b, a, c, sec, NULL);
	phare_status s = pages_index_text(b, a, sec->index, c);
	if (s)
		return s;
	const char **urls = arena_alloc(a, sizeof(char *) * b->m.cfg.n_languages);
	for (size_t i = 0; i < b->m.cfg.n_languages; i++) {
		const section *other = model_section(&b->m, i, sec->key);
		urls[i] = other ? other->url : NULL;
	}
	pages_languages(b, a, c, sec->lang, urls);
	const char *path = arena_printf(a, "%s/%s/", pages_lang(b, sec->lang), sec->key);
	return pages_render(b, "section", c, path, sec->lang, arena_printf(a, "%s/", sec->key), "");
}

static phare_status pages_home(builder *b, arena *a, size_t lang)
{
	const lang_site *ls = &b->m.langs[lang];
	value *c = pages_ctx(b, a, lang);
	const char *title = ls->home && ls->home->title ? ls->home->title
							 : value_map_get(c, "site_title")->str;
	value_map_str(a, c, "title", title);
	value_map_str(a, c, "page_title", title);
	value_map_str(a, c, "description", ls->home ? ls->home->description : "");
	value_map_bool(a, c, "is_home", true);
	value_map_set(a, c, "sections", nav_cards(b, a, ls->tops, ls->n_tops));
	value *tables = blocks_table_list(b, a, lang), *qs = blocks_questionnaire_list(b, a, lang);
	value_map_set(a, c, "tables", tables);
	value_map_bool(a, c, "has_tables", tables->u.list.len > 0);
	value_map_set(a, c, "questionnaires", qs);
	value_map_bool(a, c, "has_questionnaires", qs->u.list.len > 0);
	phare_status s = pages_index_text(b, a, ls->home, c);
	if (s)
		return s;
	const char **urls = arena_alloc(a, sizeof(char *) * b->m.cfg.n_languages);
	for (size_t i = 0; i < b->m.cfg.n_languages; i++)
		urls[i] = b->m.langs[i].url;
	pages_languages(b, a, c, lang, urls);
	return pages_render(b, "home", c, arena_printf(a, "%s/", pages_lang(b, lang)), lang, "", "");
}

/* site/index.html: choose a language; the 404 page. */
static phare_status pages_root_and_404(builder *b, arena *a)
{
	size_t def = b->m.cfg.default_language;
	value *c = pages_ctx(b, a, def);
	value_map_str(a, c, "page_title", value_map_get(c, "site_title")->str);
	const char **urls = arena_alloc(a, sizeof(char *) * b->m.cfg.n_languages);
	for (size_t i = 0; i < b->m.cfg.n_languages; i++)
		urls[i] = b->m.langs[i].url;
	pages_languages(b, a, c, def, urls);
	value_map_str(a, c, "canonical", pages_abs(b, a, b->m.cfg.base));
	buf html = BUF_INIT;
	phare_status s = mustache_render(b->tpl, "root", c, &html);
	if (!s)
		s = output_file(b, "index.html", html.ptr, html.len);
	buf_reset(&html);
	value_map_str(a, c, "page_title", i18n_get(&b->strings, def, "not_found_title"));
	value_map_bool(a, c, "noindex", true);
	value_map_bool(a, c, "root_404", true);
	if (!s)
		s = mustache_render(b->tpl, "404", c, &html);
	if (!s)
		s = output_file(b, "404.html", html.ptr, html.len);
	buf_release(&html);
	return s;
}

/* <lang>/404.html: the page not found, in that language, linking its home
 * (the root 404 sends readers here, phare.js). */
static phare_status pages_404(builder *b, arena *a, size_t lang)
{
	value *c = pages_ctx(b, a, lang);
	value_map_str(a, c, "page_title", i18n_get(&b->strings, lang, "not_found_title"));
	const char **urls = arena_alloc(a, sizeof(char *) * b->m.cfg.n_languages);
	for (size_t i = 0; i < b->m.cfg.n_languages; i++)
		urls[i] = b->m.langs[i].url;
	pages_languages(b, a, c, lang, urls);
	value_map_bool(a, c, "noindex", true);
	value_map_bool(a, c, "root_404", false);
	buf html = BUF_INIT;
	phare_status s = mustache_render(b->tpl, "404", c, &html);
	if (!s)
		s = output_file(b, arena_printf(a, "%s/404.html", pages_lang(b, lang)), html.ptr, html.len);
	buf_release(&html);
	return s;
}

phare_status pages_lists_of(builder *b, size_t lang)
{
	phare_status s = PHARE_OK, r;
	arena a = ARENA_INIT;
	if (lang == b->m.cfg.n_languages) { /* the site's root */
		s = pages_root_and_404(b, &a);
		arena_release(&a);
		return s;
	}
	if ((r = pages_home(b, &a, lang)) && !s)
		s = r;
	if ((r = pages_404(b, &a, lang)) && !s)
		s = r;
	for (size_t i = 0; i < b->m.langs[lang].n_sections; i++)
		if ((r = pages_section(b, &a, b->m.langs[lang].sections[i])) && !s)
			s = r;
	arena_release(&a);
	return s;
}

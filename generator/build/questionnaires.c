/* questionnaires.c: decision trees into pages (see questionnaires.h).
 *
 * The markup of a node is made here, once, for both the static pages and the
 * block embedded in articles; questionnaire.js reproduces the same markup
 * from the JSON tree when it walks it in the browser.  Test hooks:
 * data-questionnaire="<name>" on the root element, data-answer="<q>=<a>" on
 * every answer link, data-outcome="<id>" on the result. */
#include "build/questionnaires.h"

#include <stdlib.h>
#include <string.h>

#include "build/blocks.h"
#include "build/builder.h"
#include "rules/rules.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/xalloc.h"

typedef struct quest {
	rules *r;
	size_t *site_lang; /* site language index -> rules language index */
	char *json;        /* the tree (rules_write_json), "</" escaped */
} quest;

struct questionnaires {
	quest *items;
	size_t n;
	map by_name;
};

static const char *q_lang(const builder *b, size_t lang)
{
	return b->m.cfg.languages[lang].code;
}

/* "/help/fr/decide/name/" or "/help/fr/decide/name/n3/" */
static void q_node_url(const builder *b, const quest *q, size_t lang, size_t node, buf *out)
{
	buf_addf(out, "%s%s/decide/%s/", b->m.cfg.base, q_lang(b, lang), q->r->name);
	if (node)
		buf_addf(out, "n%zu/", node);
}

static phare_status q_check_articles(builder *b, const rules *r)
{
	phare_status s = PHARE_OK;
	for (size_t i = 0; i < r->n_outcomes; i++) {
		const rules_outcome *o = &r->outcomes[i];
		if (o->article && !model_translations(&b->m, o->article)) {
			diag_error(r->path, o->line, 0, "outcome '%s' names article '%s', which does not exist; "
				   "write <section>/<slug> of an article", o->id, o->article);
			s = PHARE_ERR_INPUT;
		}
	}
	return s;
}

static phare_status q_load_one(builder *b, questionnaires *qs, const char *dir, const char *name)
{
	const site_config *cfg = &b->m.cfg;
	const char *langs[SITE_MAX_LANGUAGES];
	for (size_t i = 0; i < cfg->n_languages; i++)
		langs[i] = cfg->languages[i].code;
	char *full = fsx_join(dir, name); /* "rules/x.lua" under --source . (fsx_join) */
	rules *r = NULL;
	phare_status s = rules_compile_file(full, langs, cfg->n_languages, langs[cfg->default_language], &r);
	free(full);
	if (s)
		return s;
	if ((s = q_check_articles(b, r))) {
		rules_free(r);
		return s;
	}
	quest *q = &qs->items[qs->n++];
	q->r = r;
	q->site_lang = xcalloc(cfg->n_languages, sizeof(size_t));
	for (size_t i = 0; i < cfg->n_languages; i++) {
		int li = rules_lang_index(r, langs[i]);
		q->site_lang[i] = li < 0 ? r->default_lang : (size_t)li;
	}
	buf json = BUF_INIT;
	rules_write_json(r, &json);
	buf safe = BUF_INIT; /* "</" cannot end the <script> it sits in */
	for (size_t i = 0; i < json.len; i++) {
		if (json.ptr[i] == '<' && i + 1 < json.len && json.ptr[i + 1] == '/')
			buf_adds(&safe, "<\\");
		else
			buf_addc(&safe, json.ptr[i]);
	}
	q->json = buf_detach(&safe, NULL);
	buf_release(&json);
	map_put(&qs->by_name, r->name, q);
	for (size_t l = 0; l < cfg->n_languages; l++) {
		links_add_page(b, arena_printf(&b->arena, "%s/decide/%s/", langs[l], r->name), PAGE_QUESTIONNAIRE, l,
			       NULL, r->name);
		for (size_t n = 1; n < r->n_nodes; n++)
			links_add_page(b, arena_printf(&b->arena, "%s/decide/%s/n%zu/", langs[l], r->name, n),
				       PAGE_QUESTIONNAIRE, l, NULL, r->name);
	}
	return PHARE_OK;
}

phare_status questionnaires_load(builder *b, questionnaires **out)
{
	questionnaires *qs = xcalloc(1, sizeof(*qs));
	*out = qs;
	char *dir = fsx_join(b->m.source, "rules");
	char **names = fsx_list(dir);
	size_t n = 0;
	for (char **p = names; p && *p; p++)
		n++;
	qs->items = xcalloc(n + 1, sizeof(quest));
	phare_status s = PHARE_OK, r;
	for (char **p = names; p && *p; p++) {
		size_t len = strlen(*p);
		if (len > 4 && strcmp(*p + len - 4, ".lua") == 0 && (r = q_load_one(b, qs, dir, *p)) && !s)
			s = r;
	}
	fsx_free_list(names);
	free(dir);
	return s;
}

/* The links of a result: the outcome's article and its comparison table. */
static void q_links_html(builder *b, size_t lang, const rules_outcome *o, buf *out)
{
	const article *art = o->article ? model_article(&b->m, lang, o->article) : NULL;
	buf_adds(out, "<ul class=\"result-links\">\n");
	if (art) {
		buf_addf(out, "<li><a href=\"%s\" data-outcome-article>", art->url);
		buf_adds_html(out, i18n_get(&b->strings, lang, "questionnaire_read_article"));
		buf_adds(out, " : ");
		buf_adds_html(out, art->title);
		buf_adds(out, "</a></li>\n");
	}
	if (art) {
		arena a = ARENA_INIT;
		value *cmp = blocks_comparisons_of(b, &a, art);
		if (cmp->u.list.len) {
			buf_addf(out, "<li><a href=\"%s\" data-outcome-compare>", value_map_get(cmp->u.list.items[0], "url")->str);
			buf_adds_html(out, i18n_get(&b->strings, lang, "questionnaire_see_comparison"));
			buf_adds(out, "</a></li>\n");
		}
		arena_release(&a);
	}
	buf_adds(out, "</ul>\n");
}

/* The "why" list and the links of a leaf. */
static void q_result_html(builder *b, const quest *q, size_t lang, const rules_node *n, buf *out)
{
	const rules *r = q->r;
	size_t rl = q->site_lang[lang];
	const rules_outcome *o = &r->outcomes[n->outcome];
	buf_addf(out, "<div class=\"result\" data-outcome=\"%s\" role=\"status\">\n<p class=\"progress\">", o->id);
	buf_adds_html(out, i18n_get(&b->strings, lang, "questionnaire_result"));
	buf_adds(out, "</p>\n<h2 class=\"outcome-title\">");
	buf_adds_html(out, o->text[rl]);
	buf_adds(out, "</h2>\n");
	if (o->summary) {
		buf_adds(out, "<p>");
		buf_adds_html(out, o->summary[rl]);
		buf_adds(out, "</p>\n");
	}
	if (n->n_reasons) {
		buf_adds(out, "<h3>");
		buf_adds_html(out, i18n_get(&b->strings, lang, "questionnaire_reasons"));
		buf_adds(out, "</h3>\n<ul class=\"reasons\">\n");
		for (size_t i = 0; i < n->n_reasons; i++) {
			buf_adds(out, "<li>");
			buf_adds_html(out, n->reasons[i][rl]);
			buf_adds(out, "</li>\n");
		}
		buf_adds(out, "</ul>\n");
	}
	q_links_html(b, lang, o, out);
	buf_adds(out, "</div>\n");
}

static void q_question_html(builder *b, const quest *q, size_t lang, const rules_node *n, buf *out)
{
	const rules *r = q->r;
	size_t rl = q->site_lang[lang];
	const rules_question *qu = &r->questions[n->question];
	buf_addf(out, "<fieldset class=\"question\" data-question=\"%s\">\n<legend><h2>", qu->id);
	buf_adds_html(out, qu->text[rl]);
	buf_adds(out, "</h2></legend>\n");
	if (qu->help) {
		buf_adds(out, "<p class=\"help\">");
		buf_adds_html(out, qu->help[rl]);
		buf_adds(out, "</p>\n");
	}
	buf_adds(out, "<ul class=\"answers\">\n");
	for (size_t i = 0; i < qu->n_answers; i++) {
		buf_adds(out, "<li><a href=\"");
		q_node_url(b, q, lang, n->next[i], out);
		buf_addf(out, "\" data-answer=\"%s=%s\" data-next=\"n%zu\">", qu->id, qu->answers[i].id, n->next[i]);
		buf_adds_html(out, qu->answers[i].label[rl]);
		buf_adds(out, "</a></li>\n");
	}
	buf_adds(out, "</ul>\n</fieldset>\n");
}

/* The questionnaire's element at node `node`; scripted when with_script. */
static void q_widget(builder *b, const quest *q, size_t lang, size_t node, bool embedded, buf *out)
{
	const rules *r = q->r;
	const rules_node *n = &r->nodes[node];
	buf_addf(out, "<div class=\"questionnaire\" data-questionnaire=\"%s\" data-node=\"n%zu\" data-lang=\"%s\""
		 " data-root-url=\"", r->name, node, q_lang(b, lang));
	q_node_url(b, q, lang, 0, out);
	buf_adds(out, "\" data-tree-url=\"");
	q_node_url(b, q, lang, 0, out);
	buf_addf(out, "tree.json\" data-script=\"%s\" data-embedded=\"%s\" data-str-restart=\"",
		 value_map_get(b->assets, "questionnaire_js") ? value_map_get(b->assets, "questionnaire_js")->str : "",
		 embedded ? "true" : "false");
	buf_adds_html(out, i18n_get(&b->strings, lang, "questionnaire_restart"));
	buf_adds(out, "\" data-str-back=\"");
	buf_adds_html(out, i18n_get(&b->strings, lang, "questionnaire_back"));
	buf_adds(out, "\" data-str-result=\"");
	buf_adds_html(out, i18n_get(&b->strings, lang, "questionnaire_result"));
	buf_adds(out, "\" data-str-reasons=\"");
	buf_adds_html(out, i18n_get(&b->strings, lang, "questionnaire_reasons"));
	buf_adds(out, "\">\n<div class=\"q-body\" aria-live=\"polite\">\n");
	if (n->question >= 0)
		q_question_html(b, q, lang, n, out);
	else
		q_result_html(b, q, lang, n, out);
	buf_adds(out, "</div>\n<p class=\"nav\"><a href=\"");
	q_node_url(b, q, lang, 0, out);
	buf_adds(out, "\" data-restart>");
	buf_adds_html(out, i18n_get(&b->strings, lang, "questionnaire_restart"));
	buf_adds(out, "</a></p>\n");
	/* In an article the script loads on first use (phare.js), so articles stay light. */
	const value *js = value_map_get(b->assets, "questionnaire_js");
	if (!embedded)
		buf_addf(out, "<script src=\"%s\" defer></script>\n", js ? js->str : "");
	buf_adds(out, "</div>\n");
}

phare_status questionnaires_block(builder *b, questionnaires *qs, const article *a, const char *args, int line,
				  buf *out)
{
	while (*args == ' ' || *args == '\t')
		args++;
	const quest *q = map_get(&qs->by_name, args);
	if (!q) {
		diag_error(a->path, line, 1, "no questionnaire '%s'; questionnaires are rules/<name>.lua", args);
		return PHARE_ERR_INPUT;
	}
	q_widget(b, q, a->lang, 0, true, out);
	return PHARE_OK;
}

/* <lang>/decide/<name>/tree.json: what questionnaire.js fetches on first
 * use: the compiled tree and, per outcome, the result's links in this
 * language.  Kept out of the pages so that they stay light. */
static phare_status q_tree_file(builder *b, const quest *q, size_t lang)
{
	const rules *r = q->r;
	buf json = BUF_INIT, links = BUF_INIT;
	buf_addf(&json, "{\"tree\":%s,\"links\":{", q->json);
	for (size_t i = 0; i < r->n_outcomes; i++) {
		buf_reset(&links);
		q_links_html(b, lang, &r->outcomes[i], &links);
		buf_addf(&json, "%s\"%s\":", i ? "," : "", r->outcomes[i].id);
		buf_add_json_str(&json, links.ptr, links.len);
	}
	buf_adds(&json, "}}\n");
	char *path = arena_printf(&b->arena, "%s/decide/%s/tree.json", q_lang(b, lang), r->name);
	phare_status s = output_file(b, path, json.ptr, json.len);
	buf_release(&json);
	buf_release(&links);
	return s;
}

static phare_status q_page(builder *b, const quest *q, size_t lang, size_t node)
{
	arena a = ARENA_INIT;
	const rules *r = q->r;
	size_t rl = q->site_lang[lang];
	value *c = pages_ctx(b, &a, lang);
	buf html = BUF_INIT, url = BUF_INIT;
	q_widget(b, q, lang, node, false, &html);
	value_map_str(&a, c, "title", r->title[rl]);
	value_map_str(&a, c, "page_title", r->title[rl]);
	if (node == 0 && r->intro)
		value_map_str(&a, c, "intro", r->intro[rl]);
	value_map_str(&a, c, "questionnaire", html.ptr);
	if (node)
		value_map_bool(&a, c, "noindex", true); /* inner nodes: reachable, not worth indexing */
	pages_crumbs(b, &a, c, lang, NULL, NULL);
	const char **urls = arena_alloc(&a, sizeof(char *) * b->m.cfg.n_languages);
	for (size_t i = 0; i < b->m.cfg.n_languages; i++) {
		buf_reset(&url);
		q_node_url(b, q, i, node, &url);
		urls[i] = arena_strdup(&a, url.ptr);
	}
	pages_languages(b, &a, c, lang, urls);
	const char *path = node ? arena_printf(&a, "%s/decide/%s/n%zu/", q_lang(b, lang), r->name, node)
				: arena_printf(&a, "%s/decide/%s/", q_lang(b, lang), r->name);
	phare_status s;
	if (node) {
		/* inner nodes stay out of the sitemap */
		buf page = BUF_INIT;
		s = mustache_render(b->tpl, "questionnaire", c, &page);
		if (!s)
			s = output_page(b, path, &page);
		buf_release(&page);
	} else {
		buf_reset(&url);
		q_node_url(b, q, lang, 0, &url);
		search_index_add(b->search[lang], "questionnaire", url.ptr, r->title[rl], "",
				 r->intro ? r->intro[rl] : "", html.ptr);
		s = pages_render(b, "questionnaire", c, path, lang, arena_printf(&a, "decide/%s/", r->name), "");
	}
	buf_release(&html);
	buf_release(&url);
	arena_release(&a);
	return s;
}

phare_status questionnaires_pages(builder *b, questionnaires *qs)
{
	phare_status s = PHARE_OK, r;
	for (size_t i = 0; i < qs->n; i++) {
		for (size_t l = 0; l < b->m.cfg.n_languages; l++) {
			for (size_t n = 0; n < qs->items[i].r->n_nodes; n++)
				if ((r = q_page(b, &qs->items[i], l, n)) && !s)
					s = r;
			if ((r = q_tree_file(b, &qs->items[i], l)) && !s)
				s = r;
		}
	}
	return s;
}

value *questionnaires_list(builder *b, questionnaires *qs, arena *a, size_t lang)
{
	value *list = value_list(a);
	for (size_t i = 0; qs && i < qs->n; i++) {
		const quest *q = &qs->items[i];
		buf url = BUF_INIT;
		q_node_url(b, q, lang, 0, &url);
		value_list_push(a, list, pages_link(a, q->r->title[q->site_lang[lang]], arena_strdup(a, url.ptr)));
		buf_release(&url);
	}
	return list;
}

const char *questionnaires_first_url(builder *b, questionnaires *qs, size_t lang)
{
	if (!qs || !qs->n)
		return "";
	buf url = BUF_INIT;
	q_node_url(b, &qs->items[0], lang, 0, &url);
	const char *s = arena_strdup(&b->arena, url.ptr);
	buf_release(&url);
	return s;
}

void questionnaires_free(questionnaires *qs)
{
	if (!qs)
		return;
	for (size_t i = 0; i < qs->n; i++) {
		rules_free(qs->items[i].r);
		free(qs->items[i].site_lang);
		free(qs->items[i].json);
	}
	free(qs->items);
	map_release(&qs->by_name);
	free(qs);
}

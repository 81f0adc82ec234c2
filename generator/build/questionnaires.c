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
#include "build/cache.h"
#include "rules/rules.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/hash.h"
#include "util/xalloc.h"

/* One step of an answer path: the question node and the choice taken. */
typedef struct q_step {
	size_t node, choice;
} q_step;

#define Q_VARIES SIZE_MAX /* q_step.choice: the paths chose differently */

/* What every answer path into a node has in common: the question nodes on
 * all of them, in path order, each with its choice when every path took
 * the same one.  A result page that several paths share (the tree shares
 * identical subtrees) lists those as "your answers": the answers that
 * differ did not change the result. */
typedef struct q_common {
	q_step *steps;
	size_t n;
	bool done;
} q_common;

typedef struct quest {
	rules *r;
	size_t *site_lang; /* site language index -> rules language index */
	char *json;        /* the tree (rules_write_json), "</" escaped */
	char revision[17]; /* a hash of the tree: the collector refuses steps of another */
	struct q_common *common; /* per node (q_common_paths) */
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

/* A selection's page under its node's: "s-<ids sorted, joined by '.'>/"
 * ('.' is in no id; "s-" keeps it apart from "n<N>/"); none for mask 0. */
static void q_sel_url(const builder *b, const quest *q, size_t lang, size_t node, unsigned long long mask, buf *out)
{
	q_node_url(b, q, lang, node, out);
	if (!mask)
		return;
	const rules_question *qu = &q->r->questions[q->r->nodes[node].question];
	size_t from = out->len;
	buf_adds(out, "s-");
	rules_set_ids(qu, mask, out);
	for (size_t i = from; i < out->len; i++)
		if (out->ptr[i] == ',')
			out->ptr[i] = '.';
	buf_addc(out, '/');
}

static int q_bits(unsigned long long m)
{
	int n = 0;
	for (; m; m &= m - 1)
		n++;
	return n;
}

/* The selections of node's question that get a page (rules_question_selections). */
static size_t q_selections(const rules *r, size_t node, unsigned long long *masks)
{
	const rules_node *n = &r->nodes[node];
	masks[0] = 0;
	return n->question < 0 ? 1 : rules_question_selections(&r->questions[n->question], masks);
}

/* The site path of a page: "<lang>/decide/<name>/[n<N>/][s-…/]". */
static const char *q_page_path(builder *b, arena *a, const quest *q, size_t lang, size_t node, unsigned long long mask)
{
	buf url = BUF_INIT;
	q_sel_url(b, q, lang, node, mask, &url);
	const char *path = arena_strdup(a, url.ptr + strlen(b->m.cfg.base));
	buf_release(&url);
	return path;
}

/* Keeps in c the steps that the path "to, then (from, choice)" shares. */
static void q_common_meet(q_common *c, const q_common *to, size_t from, size_t choice)
{
	size_t kept = 0;
	const q_step last = { from, choice };
	for (size_t i = 0; i < c->n; i++) {
		q_step st = c->steps[i];
		const q_step *o = NULL;
		for (size_t j = 0; j < to->n && !o; j++)
			o = to->steps[j].node == st.node ? &to->steps[j] : NULL;
		if (!o && st.node == from)
			o = &last;
		if (!o)
			continue;
		if (o->choice != st.choice)
			st.choice = Q_VARIES;
		c->steps[kept++] = st;
	}
	c->n = kept;
}

/* Fills q->common[node] from its in-edges (in: the first in-edge of each
 * node, then the next ones chained in more). */
static void q_common_of(quest *q, size_t node, const size_t *in, const size_t *more, const size_t *from,
			const size_t *choice)
{
	q_common *c = &q->common[node];
	if (c->done)
		return;
	c->done = true;
	bool first = true;
	for (size_t e = in[node]; e != SIZE_MAX; e = more[e]) {
		const q_common *to = &q->common[from[e]];
		q_common_of(q, from[e], in, more, from, choice);
		if (!first) {
			q_common_meet(c, to, from[e], choice[e]);
			continue;
		}
		first = false;
		c->steps = xmalloc((to->n + 1) * sizeof(*c->steps));
		if (to->n) /* the root's steps are NULL */
			memcpy(c->steps, to->steps, to->n * sizeof(*c->steps));
		c->steps[to->n] = (q_step){ from[e], choice[e] };
		c->n = to->n + 1;
	}
}

/* What the answer paths into each node share (q_common). */
static void q_common_paths(quest *q)
{
	const rules *r = q->r;
	size_t n_edges = 0;
	for (size_t i = 0; i < r->n_nodes; i++)
		if (r->nodes[i].question >= 0)
			n_edges += r->questions[r->nodes[i].question].n_choices;
	size_t *in = xcalloc(r->n_nodes + 1, sizeof(size_t)), *more = xcalloc(n_edges + 1, sizeof(size_t));
	size_t *from = xcalloc(n_edges + 1, sizeof(size_t)), *choice = xcalloc(n_edges + 1, sizeof(size_t));
	q->common = xcalloc(r->n_nodes + 1, sizeof(*q->common));
	for (size_t i = 0; i < r->n_nodes; i++)
		in[i] = SIZE_MAX;
	size_t e = 0;
	for (size_t i = 0; i < r->n_nodes; i++) {
		const rules_node *n = &r->nodes[i];
		for (size_t c = 0; n->question >= 0 && c < r->questions[n->question].n_choices; c++, e++) {
			from[e] = i;
			choice[e] = c;
			more[e] = in[n->next[c]];
			in[n->next[c]] = e;
		}
	}
	for (size_t i = 0; i < r->n_nodes; i++)
		q_common_of(q, i, in, more, from, choice);
	free(in);
	free(more);
	free(from);
	free(choice);
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
	if (r->compare && !blocks_has_table(b, r->compare)) {
		diag_error(r->path, r->compare_line, 0,
			   "compare names table '%s', which does not exist; write the "
			   "name of a content/tables/<name>.yaml",
			   r->compare);
		s = PHARE_ERR_INPUT;
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
	q_common_paths(q);
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
	hash_fnv1a_hex(json.ptr, json.len, q->revision);
	buf_release(&json);
	map_put(&qs->by_name, r->name, q);
	unsigned long long masks[RULES_MAX_SELECTIONS];
	for (size_t l = 0; l < cfg->n_languages; l++)
		for (size_t n = 0; n < r->n_nodes; n++) {
			size_t count = q_selections(r, n, masks);
			for (size_t k = 0; k < count; k++)
				links_add_page(b, q_page_path(b, &b->arena, q, l, n, masks[k]), PAGE_QUESTIONNAIRE, l,
					       NULL, r->name);
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

static void q_reasons_html(const char ***reasons, size_t n, size_t rl, buf *out)
{
	buf_adds(out, "<ul class=\"reasons\">\n");
	for (size_t i = 0; i < n; i++) {
		buf_adds(out, "<li>");
		buf_adds_html(out, reasons[i][rl]);
		buf_adds(out, "</li>\n");
	}
	buf_adds(out, "</ul>\n");
}

/* A runner-up's link to its article (data-ranked-article: not the
 * result's data-outcome-article). */
static void q_ranked_link(builder *b, size_t lang, const rules_outcome *o, buf *out)
{
	const article *art = o->article ? model_article(&b->m, lang, o->article) : NULL;
	if (!art)
		return;
	buf_addf(out, "<p><a href=\"%s\" data-ranked-article>", art->url);
	buf_adds_html(out, i18n_get(&b->strings, lang, "questionnaire_read_article"));
	buf_adds(out, " : ");
	buf_adds_html(out, art->title);
	buf_adds(out, "</a></p>\n");
}

/* The runners-up, best first, each with why it is not first; then the
 * comparison table's columns of the first three when the rules name one. */
static void q_ranking_html(builder *b, const quest *q, size_t lang, const rules_node *n, buf *out)
{
	const rules *r = q->r;
	size_t rl = q->site_lang[lang];
	if (n->n_ranks > 1) {
		buf_adds(out, "<h3>");
		buf_adds_html(out, i18n_get(&b->strings, lang, "questionnaire_runners_up"));
		buf_adds(out, "</h3>\n<ol class=\"runners-up\" start=\"2\">\n");
	}
	for (size_t k = 1; k < n->n_ranks; k++) {
		const rules_outcome *o = &r->outcomes[n->ranks[k].outcome];
		buf_addf(out, "<li data-rank=\"%zu\" data-ranked=\"%s\"><strong>", k + 1, o->id);
		buf_adds_html(out, o->text[rl]);
		buf_adds(out, "</strong>\n");
		for (size_t i = 0; i < n->ranks[k].n_reasons; i++) {
			buf_adds(out, "<p class=\"why-not\">");
			if (i == 0) {
				buf_adds(out, "<span>");
				buf_adds_html(out, i18n_get(&b->strings, lang, "questionnaire_why_not"));
				buf_adds(out, "</span> ");
			}
			buf_adds_html(out, n->ranks[k].reasons[i][rl]);
			buf_adds(out, "</p>\n");
		}
		q_ranked_link(b, lang, o, out);
		buf_adds(out, "</li>\n");
	}
	if (n->n_ranks > 1)
		buf_adds(out, "</ol>\n");
	if (r->compare && n->n_ranks > 1) {
		const char *ids[3];
		size_t count = n->n_ranks < 3 ? n->n_ranks : 3;
		for (size_t k = 0; k < count; k++)
			ids[k] = r->outcomes[n->ranks[k].outcome].id;
		buf table = BUF_INIT;
		if (blocks_compare_html(b, r->compare, lang, ids, count, &table)) {
			buf_adds(out, "<h3>");
			buf_adds_html(out, i18n_get(&b->strings, lang, "questionnaire_compared"));
			buf_addf(out, "</h3>\n%s", table.ptr);
		}
		buf_release(&table);
	}
}

/* "Your answers" on a result page: each question and answer the paths
 * into it share (all of them, when one path alone reaches it), with a link
 * to that question's page (its set ticked, for a multiple-answer
 * question). */
static void q_answers_html(builder *b, const quest *q, size_t lang, size_t leaf, buf *out)
{
	const rules *r = q->r;
	const q_common *cm = &q->common[leaf];
	size_t rl = q->site_lang[lang], shown = 0;
	for (size_t i = 0; i < cm->n; i++)
		shown += cm->steps[i].choice != Q_VARIES;
	if (!shown)
		return;
	buf_adds(out, "<section class=\"your-answers\" data-your-answers>\n<h3>");
	buf_adds_html(out, i18n_get(&b->strings, lang, "questionnaire_your_answers"));
	buf_adds(out, "</h3>\n<ul>\n");
	for (size_t i = 0; i < cm->n; i++) {
		size_t node = cm->steps[i].node, c = cm->steps[i].choice;
		if (c == Q_VARIES)
			continue;
		const rules_question *qu = &r->questions[r->nodes[node].question];
		unsigned long long mask = qu->multiple ? qu->sets[c] : 1ull << c;
		buf_addf(out, "<li data-question=\"%s\"><span class=\"q\">", qu->id);
		buf_adds_html(out, qu->text[rl]);
		buf_adds(out, "</span> <strong>");
		for (size_t k = 0, j = 0; k < qu->n_answers; k++)
			if (mask >> k & 1) {
				buf_adds(out, j++ ? ", " : "");
				buf_adds_html(out, qu->answers[k].label[rl]);
			}
		if (!mask)
			buf_adds_html(out, i18n_get(&b->strings, lang, "questionnaire_none"));
		buf_adds(out, "</strong> <a href=\"");
		q_sel_url(b, q, lang, node, qu->multiple ? mask : 0, out);
		buf_addf(out, "\" data-reopen=\"%s\" aria-label=\"", qu->id);
		buf_adds_html(out, i18n_get(&b->strings, lang, "questionnaire_change"));
		buf_adds(out, " : ");
		buf_adds_html(out, qu->text[rl]);
		buf_adds(out, "\">");
		buf_adds_html(out, i18n_get(&b->strings, lang, "questionnaire_change"));
		buf_adds(out, "</a></li>\n");
	}
	buf_adds(out, "</ul>\n</section>\n");
}

/* The "why" list and the links of a leaf. */
static void q_result_html(builder *b, const quest *q, size_t lang, size_t node, buf *out)
{
	const rules *r = q->r;
	const rules_node *n = &r->nodes[node];
	size_t rl = q->site_lang[lang];
	const rules_outcome *o = &r->outcomes[n->outcome];
	buf_addf(out, "<div class=\"result\" data-outcome=\"%s\"%s role=\"status\">\n<p class=\"progress\">", o->id,
		 n->scored ? " data-rank=\"1\"" : "");
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
		buf_adds(out, "</h3>\n");
		q_reasons_html(n->reasons, n->n_reasons, rl, out);
	}
	q_links_html(b, lang, o, out);
	q_ranking_html(b, q, lang, n, out);
	q_answers_html(b, q, lang, node, out);
	buf_adds(out, "</div>\n");
}

/* "Tick 1 to 3 answers." in lang. */
static void q_choose_text(builder *b, size_t lang, const rules_question *qu, buf *out)
{
	const char *fmt = i18n_get(&b->strings, lang, qu->min ? "questionnaire_choose" : "questionnaire_choose_any");
	buf text = BUF_INIT;
	for (const char *p = fmt; *p; p++) {
		if (strncmp(p, "{min}", 5) == 0) {
			buf_addf(&text, "%d", qu->min);
			p += 4;
		} else if (strncmp(p, "{max}", 5) == 0) {
			buf_addf(&text, "%d", qu->max);
			p += 4;
		} else {
			buf_addc(&text, *p);
		}
	}
	buf_adds_html(out, text.ptr);
	buf_release(&text);
}

/* A multiple-answer question without JavaScript, with the answers of mask
 * ticked: each answer a link to the page where it is toggled, and the link
 * that goes on once the selection is allowed. */
static void q_toggles_html(builder *b, const quest *q, size_t lang, size_t node, unsigned long long mask, buf *out)
{
	const rules *r = q->r;
	size_t rl = q->site_lang[lang];
	const rules_node *n = &r->nodes[node];
	const rules_question *qu = &r->questions[n->question];
	int count = q_bits(mask);
	buf_addf(out, "<p class=\"choose\" id=\"choose-%s-%s\">", r->name, qu->id);
	q_choose_text(b, lang, qu, out);
	buf_addf(out, "</p>\n<ul class=\"answers toggles\" aria-describedby=\"choose-%s-%s\">\n", r->name, qu->id);
	for (size_t i = 0; i < qu->n_answers; i++) {
		bool on = mask >> i & 1;
		if (!on && count >= qu->max) {
			buf_addf(out, "<li><span class=\"toggle\" data-toggle=\"%s=%s\" aria-disabled=\"true\">",
				 qu->id, qu->answers[i].id);
			buf_adds_html(out, qu->answers[i].label[rl]);
			buf_adds(out, "</span></li>\n");
			continue;
		}
		buf_adds(out, "<li><a href=\"");
		q_sel_url(b, q, lang, node, mask ^ (1ull << i), out);
		buf_addf(out, "\" role=\"button\" class=\"toggle\" data-toggle=\"%s=%s\" aria-pressed=\"%s\">", qu->id,
			 qu->answers[i].id, on ? "true" : "false");
		buf_adds_html(out, qu->answers[i].label[rl]);
		buf_adds(out, "</a></li>\n");
	}
	buf_adds(out, "</ul>\n");
	int choice = rules_choice_of_set(qu, mask);
	if (choice >= 0) {
		buf_adds(out, "<p class=\"continue\"><a href=\"");
		q_node_url(b, q, lang, n->next[choice], out);
		buf_addf(out, "\" data-answer=\"%s=", qu->id);
		rules_set_ids(qu, mask, out);
		buf_addf(out, "\" data-next=\"n%zu\">", n->next[choice]);
		buf_adds_html(out, i18n_get(&b->strings, lang, "questionnaire_continue"));
		buf_adds(out, "</a></p>\n");
	}
}

static void q_question_html(builder *b, const quest *q, size_t lang, size_t node, unsigned long long mask, buf *out)
{
	const rules *r = q->r;
	size_t rl = q->site_lang[lang];
	const rules_node *n = &r->nodes[node];
	const rules_question *qu = &r->questions[n->question];
	buf_addf(out, "<fieldset class=\"question\" data-question=\"%s\"", qu->id);
	if (qu->multiple)
		buf_addf(out, " data-multiple=\"true\" data-min=\"%d\" data-max=\"%d\"", qu->min, qu->max);
	buf_adds(out, ">\n<legend><h2>");
	buf_adds_html(out, qu->text[rl]);
	buf_adds(out, "</h2></legend>\n");
	if (qu->help) {
		buf_adds(out, "<p class=\"help\">");
		buf_adds_html(out, qu->help[rl]);
		buf_adds(out, "</p>\n");
	}
	if (qu->multiple) {
		q_toggles_html(b, q, lang, node, mask, out);
		buf_adds(out, "</fieldset>\n");
		return;
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

/* The labels questionnaire.js needs for what only it draws, as
 * data-str-<key> attributes (the first one's quote is open): the answers'
 * summary always, the rest when the rules have multiple-answer questions
 * or rankings. */
static void q_widget_strings(builder *b, const rules *r, size_t lang, buf *out)
{
	static const struct {
		const char *attr, *key;
		int needs; /* 0 always, 1 a multiple-answer question, 2 a ranking */
	} strs[] = {
		{ "your-answers", "questionnaire_your_answers", 0 }, { "change", "questionnaire_change", 0 },
		{ "continue", "questionnaire_continue", 1 },         { "choose", "questionnaire_choose", 1 },
		{ "choose-any", "questionnaire_choose_any", 1 },     { "none", "questionnaire_none", 1 },
		{ "runners-up", "questionnaire_runners_up", 2 },     { "why-not", "questionnaire_why_not", 2 },
		{ "compared", "questionnaire_compared", 2 },
	};
	bool has[3] = { true, false, false };
	for (size_t i = 0; i < r->n_questions; i++)
		has[1] = has[1] || r->questions[i].multiple;
	for (size_t i = 0; i < r->n_nodes; i++)
		has[2] = has[2] || r->nodes[i].n_ranks > 1;
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		if (!has[strs[i].needs])
			continue;
		buf_addf(out, "\" data-str-%s=\"", strs[i].attr);
		buf_adds_html(out, i18n_get(&b->strings, lang, strs[i].key));
	}
}

/* data-steps="<endpoint>": where questionnaire.js sends the reader's
 * steps, the feedback endpoint's sibling ".../questionnaire"; nothing when
 * the site has no collector or turned analytics off, so no step is sent. */
static void q_steps_attr(const builder *b, buf *out)
{
	const char *fb = b->opt->feedback_endpoint ? b->opt->feedback_endpoint : b->m.cfg.feedback_endpoint;
	if (!fb || !b->m.cfg.analytics)
		return;
	const char *slash = strrchr(fb, '/');
	size_t keep = slash ? (size_t)(slash - fb) + 1 : 0;
	buf_adds(out, " data-steps=\"");
	buf_add_html(out, fb, keep);
	buf_adds(out, "questionnaire\"");
}

/* The questionnaire's element at node `node` (with the answers of mask
 * ticked, for a multiple-answer question); scripted when with_script. */
static void q_widget(builder *b, const quest *q, size_t lang, size_t node, unsigned long long mask, bool embedded,
		     buf *out)
{
	const rules *r = q->r;
	const rules_node *n = &r->nodes[node];
	buf_addf(out, "<div class=\"questionnaire\" data-questionnaire=\"%s\" data-node=\"n%zu\" data-lang=\"%s\""
		 " data-root-url=\"", r->name, node, q_lang(b, lang));
	q_node_url(b, q, lang, 0, out);
	buf_adds(out, "\" data-tree-url=\"");
	q_node_url(b, q, lang, 0, out);
	buf_addf(out, "tree.json\" data-script=\"%s\" data-embedded=\"%s\" data-revision=\"%s\"",
		 value_map_get(b->assets, "questionnaire_js") ? value_map_get(b->assets, "questionnaire_js")->str : "",
		 embedded ? "true" : "false", q->revision);
	q_steps_attr(b, out);
	buf_adds(out, " data-str-restart=\"");
	buf_adds_html(out, i18n_get(&b->strings, lang, "questionnaire_restart"));
	buf_adds(out, "\" data-str-back=\"");
	buf_adds_html(out, i18n_get(&b->strings, lang, "questionnaire_back"));
	buf_adds(out, "\" data-str-result=\"");
	buf_adds_html(out, i18n_get(&b->strings, lang, "questionnaire_result"));
	buf_adds(out, "\" data-str-reasons=\"");
	buf_adds_html(out, i18n_get(&b->strings, lang, "questionnaire_reasons"));
	q_widget_strings(b, r, lang, out);
	buf_adds(out, "\">\n<div class=\"q-body\" aria-live=\"polite\">\n");
	if (n->question >= 0)
		q_question_html(b, q, lang, node, mask, out);
	else
		q_result_html(b, q, lang, node, out);
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
	q_widget(b, q, a->lang, 0, 0, true, out);
	return PHARE_OK;
}

/* tree.json's "ranked" (per outcome, the runner-up's link to its article)
 * and "compare" (per leaf ranking "kvm,lxc,vps" of its first three, the
 * comparison table's columns), when some leaf is ranked. */
static void q_tree_ranked(builder *b, const quest *q, size_t lang, buf *json)
{
	const rules *r = q->r;
	bool ranked = false;
	for (size_t i = 0; i < r->n_nodes; i++)
		ranked = ranked || r->nodes[i].n_ranks > 1;
	if (!ranked)
		return;
	buf html = BUF_INIT, key = BUF_INIT;
	buf_adds(json, ",\"ranked\":{");
	for (size_t i = 0; i < r->n_outcomes; i++) {
		buf_reset(&html);
		q_ranked_link(b, lang, &r->outcomes[i], &html);
		buf_addf(json, "%s\"%s\":", i ? "," : "", r->outcomes[i].id);
		buf_add_json_str(json, html.ptr, html.len);
	}
	buf_adds(json, "},\"compare\":{");
	map seen = MAP_INIT;
	size_t count = 0;
	for (size_t i = 0; r->compare && i < r->n_nodes; i++) {
		const rules_node *n = &r->nodes[i];
		const char *ids[3];
		size_t top = n->n_ranks < 3 ? n->n_ranks : 3;
		buf_reset(&key);
		for (size_t k = 0; k < top; k++) {
			ids[k] = r->outcomes[n->ranks[k].outcome].id;
			buf_addf(&key, "%s%s", k ? "," : "", ids[k]);
		}
		buf_reset(&html);
		if (n->question >= 0 || top < 2 || map_get(&seen, key.ptr) ||
		    !blocks_compare_html(b, r->compare, lang, ids, top, &html))
			continue;
		map_put(&seen, arena_strdup(&b->arena, key.ptr), &seen);
		buf_addf(json, "%s\"%s\":", count++ ? "," : "", key.ptr);
		buf_add_json_str(json, html.ptr, html.len);
	}
	buf_adds(json, "}");
	map_release(&seen);
	buf_release(&html);
	buf_release(&key);
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
	buf_adds(&json, "}");
	q_tree_ranked(b, q, lang, &json);
	buf_adds(&json, "}\n");
	char *path = arena_printf(&b->arena, "%s/decide/%s/tree.json", q_lang(b, lang), r->name);
	phare_status s = output_file(b, path, json.ptr, json.len);
	buf_release(&json);
	buf_release(&links);
	return s;
}

static phare_status q_page(builder *b, const quest *q, size_t lang, size_t node, unsigned long long mask)
{
	arena a = ARENA_INIT;
	const rules *r = q->r;
	size_t rl = q->site_lang[lang];
	value *c = pages_ctx(b, &a, lang);
	buf html = BUF_INIT, url = BUF_INIT;
	q_widget(b, q, lang, node, mask, false, &html);
	value_map_str(&a, c, "title", r->title[rl]);
	value_map_str(&a, c, "page_title", r->title[rl]);
	if (node == 0 && !mask && r->intro)
		value_map_str(&a, c, "intro", r->intro[rl]);
	value_map_str(&a, c, "questionnaire", html.ptr);
	value_map_bool(&a, c, "has_questionnaire", true); /* partials/head: questionnaire.css */
	if (node || mask)
		value_map_bool(&a, c, "noindex", true); /* inner nodes: reachable, not worth indexing */
	pages_crumbs(b, &a, c, lang, NULL, NULL);
	const char **urls = arena_alloc(&a, sizeof(char *) * b->m.cfg.n_languages);
	for (size_t i = 0; i < b->m.cfg.n_languages; i++) {
		buf_reset(&url);
		q_sel_url(b, q, i, node, mask, &url);
		urls[i] = arena_strdup(&a, url.ptr);
	}
	pages_languages(b, &a, c, lang, urls);
	const char *path = q_page_path(b, &a, q, lang, node, mask);
	phare_status s;
	if (node || mask) {
		/* inner nodes stay out of the sitemap */
		buf page = BUF_INIT;
		s = mustache_render(b->tpl, "questionnaire", c, &page);
		if (!s)
			s = output_page(b, path, &page);
		buf_release(&page);
	} else {
		buf_reset(&url);
		q_node_url(b, q, lang, 0, &url);
		cache_search_other(b, lang, url.ptr, r->title[rl], r->intro ? r->intro[rl] : "", html.ptr);
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
			for (size_t n = 0; n < qs->items[i].r->n_nodes; n++) {
				unsigned long long masks[RULES_MAX_SELECTIONS];
				size_t count = q_selections(qs->items[i].r, n, masks);
				for (size_t k = 0; k < count; k++)
					if ((r = q_page(b, &qs->items[i], l, n, masks[k])) && !s)
						s = r;
			}
			if ((r = q_tree_file(b, &qs->items[i], l)) && !s)
				s = r;
		}
	}
	return s;
}

/* The collector's view of each questionnaire (manifest.h's q* lines):
 * what a step may name, and the article each outcome leads to. */
static void q_manifest_one(const builder *b, const quest *q, buf *out)
{
	const rules *r = q->r;
	buf_addf(out, "questionnaire\t%s\t%s\t", r->name, q->revision);
	for (size_t l = 0; l < b->m.cfg.n_languages; l++)
		buf_addf(out, "%s%s", l ? "," : "", q_lang(b, l));
	buf_addc(out, '\n');
	for (size_t i = 0; i < r->n_questions; i++) {
		const rules_question *qu = &r->questions[i];
		buf_addf(out, "qquestion\t%s\t%s\t%d\t%d\t", r->name, qu->id, qu->multiple ? qu->min : 1,
			 qu->multiple ? qu->max : 1);
		for (size_t k = 0; k < qu->n_answers; k++)
			buf_addf(out, "%s%s", k ? "," : "", qu->answers[k].id);
		buf_addc(out, '\n');
	}
	for (size_t i = 0; i < r->n_nodes; i++) {
		const rules_node *n = &r->nodes[i];
		if (n->question >= 0) {
			buf_addf(out, "qnode\t%s\tn%zu\t%s\n", r->name, i, r->questions[n->question].id);
		} else {
			const rules_outcome *o = &r->outcomes[n->outcome];
			buf_addf(out, "qleaf\t%s\tn%zu\t%s\t%s\n", r->name, i, o->id, o->article ? o->article : "");
		}
	}
}

void questionnaires_manifest(const builder *b, const questionnaires *qs, buf *out)
{
	for (size_t i = 0; qs && i < qs->n; i++)
		q_manifest_one(b, &qs->items[i], out);
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
		for (size_t k = 0; qs->items[i].common && k < qs->items[i].r->n_nodes; k++)
			free(qs->items[i].common[k].steps);
		free(qs->items[i].common);
		rules_free(qs->items[i].r);
		free(qs->items[i].site_lang);
		free(qs->items[i].json);
	}
	free(qs->items);
	map_release(&qs->by_name);
	free(qs);
}

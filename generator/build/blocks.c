/* blocks.c: comparison tables (and questionnaires) inside the site build.
 *
 * Each table is rendered once per language into a cache of HTML pieces
 * (title, labels, criteria, cells); an article's ```table NAME cols…```
 * block and the table's own page are assembled from the cache, so a
 * missing translation is warned about once, not at every use. */
#include "build/blocks.h"

#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

#include "build/builder.h"
#include "build/cache.h"
#include "build/questionnaires.h"
#include "content/table.h"
#include "render/markdown.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/workers.h"
#include "util/xalloc.h"

typedef struct table_html {
	const char *title, *title_text;
	const char **labels, **label_texts; /* per column */
	const char **criteria;              /* per row */
	const char **cells;                 /* row * n_columns + column */
} table_html;

typedef struct table_entry {
	table *t;
	table_html *html; /* per language */
} table_entry;

/* One file of content/tables, read and parsed on any thread (blocks_load). */
typedef struct table_job {
	const char *name;  /* the file's name */
	const char *shown; /* its path in messages */
	arena mem;         /* the table's values and HTML pieces, for the whole build */
	diag_held said;    /* its messages, printed in file order */
	table_entry e;
	phare_status status;
} table_job;

typedef struct blocks {
	table_entry *tables;
	size_t n_tables;
	table_job *jobs; /* their memory */
	size_t n_jobs;
	map by_name;          /* name -> table_entry * */
	map by_article;       /* "section/slug" -> table_entry * (the first table naming it) */
	questionnaires *qs;
} blocks;

/* Inline Markdown to HTML, without the paragraph cmark wraps it in. */
static const char *blocks_inline(const builder *b, arena *a, const char *md)
{
	if (markdown_is_plain(md))
		return md; /* md lives in a (the table's values) */
	int opts = CMARK_OPT_DEFAULT | (b->m.cfg.unsafe_html ? CMARK_OPT_UNSAFE : 0);
	char *html = cmark_markdown_to_html(md, strlen(md), opts);
	size_t n = strlen(html);
	const char *out;
	if (n >= 8 && strncmp(html, "<p>", 3) == 0 && strcmp(html + n - 5, "</p>\n") == 0 &&
	    !strstr(html + 3, "<p>"))
		out = arena_strndup(a, html + 3, n - 8);
	else
		out = arena_strdup(a, html);
	free(html);
	return out;
}

/* Plain text of a small HTML fragment (for data-label attributes). */
static const char *blocks_plain(arena *a, const char *html)
{
	buf out = BUF_INIT;
	bool in_tag = false;
	for (const char *p = html; *p; p++) {
		if (*p == '<')
			in_tag = true;
		else if (*p == '>')
			in_tag = false;
		else if (!in_tag)
			buf_addc(&out, *p);
	}
	const char *s = arena_strdup(a, out.ptr); /* entities stay escaped: fine in attributes */
	buf_release(&out);
	return s;
}

static void blocks_cache(const builder *b, arena *a, table_entry *e)
{
	const table *t = e->t;
	const site_config *cfg = &b->m.cfg;
	e->html = arena_alloc(a, sizeof(table_html) * cfg->n_languages);
	for (size_t l = 0; l < cfg->n_languages; l++) {
		table_html *h = &e->html[l];
		h->title = blocks_inline(b, a, table_text(t, cfg, t->title, l));
		h->title_text = blocks_plain(a, h->title);
		h->labels = arena_alloc(a, sizeof(char *) * t->n_columns);
		h->label_texts = arena_alloc(a, sizeof(char *) * t->n_columns);
		for (size_t c = 0; c < t->n_columns; c++) {
			h->labels[c] = blocks_inline(b, a, table_text(t, cfg, t->columns[c].label, l));
			h->label_texts[c] = blocks_plain(a, h->labels[c]);
		}
		h->criteria = arena_alloc(a, sizeof(char *) * (t->n_rows + 1));
		h->cells = arena_alloc(a, sizeof(char *) * (t->n_rows * t->n_columns + 1));
		for (size_t r = 0; r < t->n_rows; r++) {
			h->criteria[r] = blocks_inline(b, a, table_text(t, cfg, t->rows[r].criterion, l));
			for (size_t c = 0; c < t->n_columns; c++) {
				const value *v = t->rows[r].cells[c];
				h->cells[r * t->n_columns + c] = v ? blocks_inline(b, a, table_text(t, cfg, v, l)) : "";
			}
		}
	}
}

static blocks *blocks_of(builder *b)
{
	return (blocks *)b->blocks;
}

/* Job j's table read, parsed and rendered into pieces; any thread, says
 * nothing (its messages are held in j->said). */
static void blocks_parse_table(const builder *b, const char *dir, table_job *j)
{
	diag_hold(&j->said);
	char *full = fsx_join(dir, j->name);
	buf text = BUF_INIT;
	j->status = fsx_read(full, &text, 4 << 20);
	free(full);
	if (!j->status)
		j->status = table_parse(&j->mem, &b->m.cfg, arena_strndup(&j->mem, j->name, strlen(j->name) - 5),
					j->shown, text.ptr, text.len, &j->e.t);
	buf_release(&text); /* the values point into the arena, not into text */
	if (!j->status)
		blocks_cache(b, &j->mem, &j->e);
	diag_hold(NULL);
}

typedef struct table_parse_jobs {
	const builder *b;
	const char *dir;
	table_job *jobs;
} table_parse_jobs;

static void blocks_parse_job(void *arg, size_t i)
{
	table_parse_jobs *q = arg;
	blocks_parse_table(q->b, q->dir, &q->jobs[i]);
}

/* Job j's messages said, and its table checked and registered, in file
 * order, on the builder's thread. */
static phare_status blocks_register_table(builder *b, blocks *bl, table_job *j)
{
	diag_release(&j->said);
	if (j->status)
		return j->status;
	table *t = j->e.t;
	phare_status s = PHARE_OK;
	for (size_t c = 0; c < t->n_columns; c++) {
		const char *key = t->columns[c].article;
		if (key && !model_translations(&b->m, key)) {
			diag_error(t->path, t->columns[c].line, t->columns[c].col,
				   "column '%s' names article '%s', which does not exist; write <section>/<slug> "
				   "of an article", t->columns[c].id, key);
			s = PHARE_ERR_INPUT;
		}
	}
	if (s)
		return s;
	table_entry *e = &bl->tables[bl->n_tables++];
	*e = j->e;
	map_put(&bl->by_name, t->name, e);
	for (size_t c = 0; c < t->n_columns; c++)
		if (t->columns[c].article && !map_get(&bl->by_article, t->columns[c].article))
			map_put(&bl->by_article, t->columns[c].article, e);
	for (size_t l = 0; l < b->m.cfg.n_languages; l++)
		links_add_page(b, arena_printf(&b->arena, "%s/compare/%s/", b->m.cfg.languages[l].code, t->name),
			       PAGE_TABLE, l, NULL, t->name);
	return PHARE_OK;
}

/* The jobs of the *.yaml files of names, in their order. */
static void blocks_plan_tables(builder *b, blocks *bl, char **names)
{
	size_t n = 0;
	for (char **p = names; p && *p; p++)
		n++;
	bl->jobs = xcalloc(n + 1, sizeof(table_job));
	bl->tables = xcalloc(n + 1, sizeof(table_entry));
	for (char **p = names; p && *p; p++) {
		size_t len = strlen(*p);
		if (len < 6 || strcmp(*p + len - 5, ".yaml") != 0)
			continue;
		table_job *j = &bl->jobs[bl->n_jobs++];
		j->name = arena_strdup(&b->arena, *p);
		j->shown = model_shown(&b->m, arena_printf(&b->arena, "content/tables/%s", *p));
		j->mem = (arena)ARENA_INIT;
		j->said = (diag_held)DIAG_HELD_INIT;
	}
}

/* The tables are read and parsed on every thread (libyaml takes a tenth
 * of a small site's build on one), then said and registered in order. */
phare_status blocks_load(builder *b)
{
	blocks *bl = xcalloc(1, sizeof(*bl));
	b->blocks = bl;
	char *dir = fsx_join(b->m.source, "content/tables");
	char **names = fsx_list(dir);
	blocks_plan_tables(b, bl, names);
	fsx_free_list(names);
	table_parse_jobs q = { b, dir, bl->jobs };
	workers_each(workers_count(b->opt->threads), bl->n_jobs, blocks_parse_job, &q);
	free(dir);
	phare_status s = PHARE_OK, r;
	for (size_t i = 0; i < bl->n_jobs; i++)
		if ((r = blocks_register_table(b, bl, &bl->jobs[i])) && !s)
			s = r;
	if ((r = questionnaires_load(b, &bl->qs)) && !s)
		s = r;
	return s;
}

/* The table's HTML in language lang, with the columns cols (all when n_cols is 0). */
static void blocks_table_html(builder *b, const table_entry *e, size_t lang, const int *cols, size_t n_cols,
			      bool in_article, buf *out)
{
	const table *t = e->t;
	const table_html *h = &e->html[lang];
	const char *code = b->m.cfg.languages[lang].code;
	buf_addf(out, "<div class=\"compare\" data-table=\"%s\">\n<table>\n<caption>%s</caption>\n<thead><tr>"
		 "<th scope=\"col\">%s</th>", t->name, h->title, i18n_get(&b->strings, lang, "table_criterion"));
	size_t nc = n_cols ? n_cols : t->n_columns;
	for (size_t i = 0; i < nc; i++) {
		size_t c = n_cols ? (size_t)cols[i] : i;
		const article *a = t->columns[c].article ? model_article(&b->m, lang, t->columns[c].article) : NULL;
		buf_adds(out, "<th scope=\"col\">");
		if (a)
			buf_addf(out, "<a href=\"%s\">%s</a>", a->url, h->labels[c]);
		else
			buf_adds(out, h->labels[c]);
		buf_adds(out, "</th>");
	}
	buf_adds(out, "</tr></thead>\n<tbody>\n");
	for (size_t r = 0; r < t->n_rows; r++) {
		if (t->rows[r].id)
			buf_addf(out, "<tr id=\"%s-%s\">", t->name, t->rows[r].id);
		else
			buf_adds(out, "<tr>");
		buf_addf(out, "<th scope=\"row\">%s</th>", h->criteria[r]);
		for (size_t i = 0; i < nc; i++) {
			size_t c = n_cols ? (size_t)cols[i] : i;
			buf_addf(out, "<td data-label=\"%s\">%s</td>", h->label_texts[c], h->cells[r * t->n_columns + c]);
		}
		buf_adds(out, "</tr>\n");
	}
	buf_adds(out, "</tbody>\n</table>\n");
	if (in_article)
		buf_addf(out, "<p class=\"compare-link\"><a href=\"%s%s/compare/%s/\">%s</a></p>\n", b->m.cfg.base, code,
			 t->name, i18n_get(&b->strings, lang, "compare_see_table"));
	buf_adds(out, "</div>\n");
}

bool blocks_has_table(builder *b, const char *name) { return map_get(&blocks_of(b)->by_name, name) != NULL; }

bool blocks_compare_html(builder *b, const char *name, size_t lang, const char *const *ids, size_t n, buf *out)
{
	const table_entry *e = map_get(&blocks_of(b)->by_name, name);
	int cols[64];
	size_t n_cols = 0;
	for (size_t i = 0; e && i < n && n_cols < 64; i++) {
		int ci = table_column_index(e->t, ids[i], strlen(ids[i]));
		if (ci >= 0)
			cols[n_cols++] = ci;
	}
	if (!n_cols)
		return false;
	blocks_table_html(b, e, lang, cols, n_cols, true, out);
	return true;
}

/* ```table NAME [col…]``` */
static phare_status blocks_table_block(builder *b, const article *a, const char *args, int line, buf *out)
{
	blocks *bl = blocks_of(b);
	char *copy = xstrdup(args);
	char *save = NULL, *name = strtok_r(copy, " \t", &save);
	int cols[64];
	size_t n_cols = 0;
	phare_status s = PHARE_OK;
	const table_entry *e = name ? map_get(&bl->by_name, name) : NULL;
	if (!e) {
		diag_error(a->path, line, 1, "no table '%s'; tables are content/tables/<name>.yaml",
			   name ? name : "");
		s = PHARE_ERR_INPUT;
		goto out;
	}
	for (char *c = strtok_r(NULL, " \t", &save); c; c = strtok_r(NULL, " \t", &save)) {
		int ci = table_column_index(e->t, c, strlen(c));
		if (ci < 0 || n_cols == 64) {
			buf known = BUF_INIT;
			for (size_t i = 0; i < e->t->n_columns; i++)
				buf_addf(&known, "%s%s", i ? ", " : "", e->t->columns[i].id);
			diag_error(a->path, line, 1, "table '%s' has no column '%s'; its columns are: %s", name, c, known.ptr);
			buf_release(&known);
			s = PHARE_ERR_INPUT;
			goto out;
		}
		cols[n_cols++] = ci;
	}
	blocks_table_html(b, e, a->lang, cols, n_cols, true, out);
out:
	free(copy);
	return s;
}

phare_status blocks_render(builder *b, const article *a, const char *info, int line, buf *out)
{
	if (strncmp(info, "table", 5) == 0)
		return blocks_table_block(b, a, info + 5, line, out);
	return questionnaires_block(b, blocks_of(b)->qs, a, info + 13, line, out);
}

static phare_status blocks_table_page(builder *b, const table_entry *e, size_t lang)
{
	arena a = ARENA_INIT;
	const table *t = e->t;
	const char *code = b->m.cfg.languages[lang].code;
	value *c = pages_ctx(b, &a, lang);
	buf html = BUF_INIT;
	blocks_table_html(b, e, lang, NULL, 0, false, &html);
	value_map_str(&a, c, "title", e->html[lang].title_text);
	value_map_str(&a, c, "page_title", e->html[lang].title_text);
	value_map_str(&a, c, "table", html.ptr);
	value *arts = value_list(&a);
	for (size_t i = 0; i < t->n_columns; i++) {
		const article *art = t->columns[i].article ? model_article(&b->m, lang, t->columns[i].article) : NULL;
		if (art)
			value_list_push(&a, arts, pages_link(&a, art->title, art->url));
	}
	value_map_set(&a, c, "articles", arts);
	value_map_bool(&a, c, "has_articles", arts->u.list.len > 0);
	pages_crumbs(b, &a, c, lang, NULL, NULL);
	const char *search_url = arena_printf(&a, "%s%s/compare/%s/", b->m.cfg.base, code, t->name);
	cache_search_other(b, lang, search_url, e->html[lang].title_text, "", html.ptr);
	search_index_add(b->search[lang], "table", search_url, e->html[lang].title_text, "", "", html.ptr);
	const char **urls = arena_alloc(&a, sizeof(char *) * b->m.cfg.n_languages);
	for (size_t i = 0; i < b->m.cfg.n_languages; i++)
		urls[i] = arena_printf(&a, "%s%s/compare/%s/", b->m.cfg.base, b->m.cfg.languages[i].code, t->name);
	pages_languages(b, &a, c, lang, urls);
	phare_status s = pages_render(b, "table", c, arena_printf(&a, "%s/compare/%s/", code, t->name), lang,
				      arena_printf(&a, "compare/%s/", t->name), "");
	buf_release(&html);
	arena_release(&a);
	return s;
}

size_t blocks_n_table_pages(builder *b) { return blocks_of(b)->n_tables * b->m.cfg.n_languages; }

phare_status blocks_table_page_at(builder *b, size_t i)
{
	size_t n = b->m.cfg.n_languages;
	return blocks_table_page(b, &blocks_of(b)->tables[i / n], i % n);
}

phare_status blocks_questionnaire_pages(builder *b) { return questionnaires_pages(b, blocks_of(b)->qs); }

value *blocks_table_list(builder *b, arena *a, size_t lang)
{
	blocks *bl = blocks_of(b);
	value *list = value_list(a);
	for (size_t i = 0; i < bl->n_tables; i++) {
		const table_entry *e = &bl->tables[i];
		value_list_push(a, list, pages_link(a, e->html[lang].title_text,
						    arena_printf(a, "%s%s/compare/%s/", b->m.cfg.base,
								 b->m.cfg.languages[lang].code, e->t->name)));
	}
	return list;
}

value *blocks_comparisons_of(builder *b, arena *a, const article *art)
{
	blocks *bl = blocks_of(b);
	value *list = value_list(a);
	for (size_t i = 0; i < bl->n_tables; i++) {
		const table_entry *e = &bl->tables[i];
		for (size_t c = 0; c < e->t->n_columns; c++) {
			if (e->t->columns[c].article && strcmp(e->t->columns[c].article, art->key) == 0) {
				value_list_push(a, list, pages_link(a, e->html[art->lang].title_text,
								    arena_printf(a, "%s%s/compare/%s/", b->m.cfg.base,
										 b->m.cfg.languages[art->lang].code,
										 e->t->name)));
				break;
			}
		}
	}
	return list;
}

value *blocks_questionnaire_list(builder *b, arena *a, size_t lang)
{
	return questionnaires_list(b, blocks_of(b)->qs, a, lang);
}

const char *blocks_first_questionnaire_url(builder *b, size_t lang)
{
	return questionnaires_first_url(b, blocks_of(b)->qs, lang);
}

void blocks_questionnaire_manifest(const builder *b, buf *out)
{
	const blocks *bl = b->blocks;
	if (bl)
		questionnaires_manifest(b, bl->qs, out);
}

void blocks_free(builder *b)
{
	blocks *bl = blocks_of(b);
	if (!bl)
		return;
	questionnaires_free(bl->qs);
	map_release(&bl->by_name);
	map_release(&bl->by_article);
	for (size_t i = 0; i < bl->n_jobs; i++) {
		free(bl->jobs[i].said.text); /* empty: blocks_load said it */
		arena_release(&bl->jobs[i].mem);
	}
	free(bl->jobs);
	free(bl->tables);
	free(bl);
	b->blocks = NULL;
}

/* build.c: the build pipeline (see build.h): load, register every page,
 * render articles on a work queue over the cores, render the lists, check
 * cross-page anchors, then swap the new site into place. */
#include "build/build.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__ /* defined by the headers above */
#include <malloc.h>
#endif

#include "build/blocks.h"
#include "build/builder.h"
#include "build/cache.h"
#include "build/checks.h"
#include "search/text.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/workers.h"
#include "util/xalloc.h"

typedef struct build_queue {
	builder *b;
	article *const *order; /* the articles in the order they are taken */
	atomic_size_t next;
	atomic_size_t done;
} build_queue;

/* Compiles every *.mustache file of the theme: "partials/toc.mustache" is
 * the template "partials/toc". */
static phare_status build_templates(builder *b)
{
	const char *key;
	void *val;
	phare_status s = PHARE_OK, r;
	b->tpl = mustache_set_new();
	for (size_t it = 0; map_next(&b->th.files, &it, &key, &val);) {
		size_t n = strlen(key);
		if (n < 9 || strcmp(key + n - 9, ".mustache") != 0)
			continue;
		const struct theme_file *f = val;
		char shown[512];
		theme_shown_path(&b->th, key, shown, sizeof(shown));
		const char *name = arena_strndup(&b->arena, key, n - 9);
		r = mustache_set_add(b->tpl, name, arena_strdup(&b->arena, shown), (const char *)f->data, f->len);
		if (r && !s)
			s = r;
	}
	if (!s)
		s = mustache_set_check(b->tpl);
	return s;
}

/* Every page and file is known before any renders, so links can be checked. */
static void build_register(builder *b)
{
	model *m = &b->m;
	links_add_page(b, "", PAGE_ROOT, m->cfg.default_language, NULL, NULL);
	for (size_t l = 0; l < m->cfg.n_languages; l++) {
		const char *code = m->cfg.languages[l].code;
		links_add_page(b, arena_printf(&b->arena, "%s/", code), PAGE_HOME, l, NULL, NULL);
		for (size_t i = 0; i < m->langs[l].n_sections; i++)
			links_add_page(b, arena_printf(&b->arena, "%s/%s/", code, m->langs[l].sections[i]->key),
				       PAGE_SECTION, l, NULL, NULL);
	}
	for (size_t i = 0; i < m->n_articles; i++) {
		article *a = m->articles[i];
		links_add_page(b, arena_printf(&b->arena, "%s/%s/", m->cfg.languages[a->lang].code, a->key),
			       PAGE_ARTICLE, a->lang, a, NULL);
	}
	for (size_t i = 0; i < m->n_files; i++)
		map_put(&b->files, m->files[i].dest, &m->files[i]);
}

static void build_progress(builder *b, size_t done, size_t total, bool final)
{
	if (b->opt->quiet || !isatty(STDERR_FILENO) || total < 500)
		return;
	fprintf(stderr, "\r  rendering %zu/%zu articles%s", done, total, final ? "\n" : "");
}

/* Keeps s in *first (under the build's lock: several threads report) unless
 * an earlier failure is there. */
static void build_failed(builder *b, phare_status *first, phare_status s)
{
	if (!s)
		return;
	pthread_mutex_lock(&b->lock);
	if (!*first)
		*first = s;
	pthread_mutex_unlock(&b->lock);
}

/* Renders the next article of the queue; false when there is none left.
 * The main thread also draws the progress line (workers pass draw=false). */
static bool build_take(build_queue *q, arena *a, bool draw, size_t *last_drawn)
{
	builder *b = q->b;
	size_t i = atomic_fetch_add(&q->next, 1);
	if (i >= b->m.n_articles)
		return false;
	build_failed(b, &b->failed, pages_article(b, q->order[i], a));
	arena_release(a);
	size_t done = atomic_fetch_add(&q->done, 1) + 1;
	if (draw && done - *last_drawn >= 250) {
		build_progress(b, done, b->m.n_articles, false);
		*last_drawn = done;
	}
	return true;
}

static void *build_worker(void *arg)
{
	arena a = ARENA_INIT;
	size_t unused = 0;
	while (build_take(arg, &a, false, &unused))
		;
	return NULL;
}

static int build_threads(const build_options *opt, size_t n_articles)
{
	int n = workers_count(opt->threads);
	if ((size_t)n > n_articles / 8 + 1)
		n = (int)(n_articles / 8 + 1); /* a tiny site is not worth a thread */
	return n;
}

static int build_cmp_url(const void *x, const void *y)
{
	return strcmp((*(article *const *)x)->url, (*(article *const *)y)->url);
}

static phare_status build_articles(builder *b)
{
	/* In URL order, the order in which the search index merges the pages,
	 * so that the merge frees each block of their postings as it goes
	 * (post_block, search/index_int.h), not all at its end: the model's
	 * order, by section and title, was another. */
	article **order = xmalloc((b->m.n_articles + 1) * sizeof(article *));
	if (b->m.n_articles)
		memcpy(order, b->m.articles, b->m.n_articles * sizeof(article *));
	qsort(order, b->m.n_articles, sizeof(article *), build_cmp_url);
	build_queue q = { b, order, 0, 0 };
	workers w;
	workers_start(&w, build_threads(b->opt, b->m.n_articles) - 1, build_worker, &q, 0);
	arena a = ARENA_INIT; /* the main thread works too */
	size_t last = 0;
	while (build_take(&q, &a, true, &last))
		;
	workers_join(&w);
	build_progress(b, b->m.n_articles, b->m.n_articles, true);
	free(order);
	return b->failed;
}

/* The pages made once every article is: the comparison tables' (one per
 * table and language) and the lists (each language's home, 404 and
 * sections; then the root), as jobs taken by every thread.  They need
 * nothing from each other; on a small site they were a tenth of the build,
 * on one core. */
typedef struct build_rest {
	builder *b;
	size_t n_tables; /* table pages, then n_languages + 1 list jobs */
	phare_status failed;
} build_rest;

static void build_rest_job(void *arg, size_t i)
{
	build_rest *r = arg;
	build_failed(r->b, &r->failed,
		     i < r->n_tables ? blocks_table_page_at(r->b, i) : pages_lists_of(r->b, i - r->n_tables));
}

static phare_status build_rest_pages(builder *b)
{
	build_rest r = { .b = b, .n_tables = blocks_n_table_pages(b) };
	size_t n = r.n_tables + b->m.cfg.n_languages + 1;
	workers_each(build_threads(b->opt, n * 8), n, build_rest_job, &r);
	return r.failed;
}

/* The languages' search indexes are independent (each has its own stemmer
 * and tables; nothing global is written): they are written on several
 * threads at once, each taking the next language. */
typedef struct build_search_jobs {
	search_index **ix;
	bool skip[SITE_MAX_LANGUAGES]; /* unchanged: the previous files are in place (cache.h) */
	const char *dir[SITE_MAX_LANGUAGES];
	phare_status status[SITE_MAX_LANGUAGES];
	size_t n;
} build_search_jobs;

static void build_search_job(void *arg, size_t l)
{
	build_search_jobs *j = arg;
	if (!j->skip[l]) /* skipped: the previous build's index is linked (cache.c) */
		j->status[l] = search_index_write_last(j->ix[l], j->dir[l]);
	search_index_free(j->ix[l]); /* its memory, for the next language's */
	j->ix[l] = NULL;
}

/* Where a language's search index puts a file: in place already (the
 * build cache's: the same bytes as the previous site's), else written. */
typedef struct build_search_out {
	builder *b;
	size_t lang;
	bool emptied; /* its folder emptied first: nothing of it in place */
} build_search_out;

static phare_status build_search_emit(void *ctx, const char *name, const void *data, size_t len)
{
	build_search_out *o = ctx;
	const char *code = o->b->m.cfg.languages[o->lang].code;
	char *rel = xmalloc(strlen(code) + strlen(name) + 9);
	sprintf(rel, "%s/search/%s", code, name);
	phare_status s = cache_search_file(o->b, o->lang, name, rel, data, len, !o->emptied)
				 ? PHARE_OK
				 : output_file(o->b, rel, data, len);
	free(rel);
	return s;
}

/* Each language's search index, under <lang>/search/. */
static phare_status build_search(builder *b)
{
	if (b->opt->dry_run)
		return PHARE_OK;
	build_search_jobs j = { .ix = b->search, .n = b->m.cfg.n_languages };
	phare_status s = PHARE_OK;
	build_search_out out[SITE_MAX_LANGUAGES] = { { NULL, 0, false } };
	for (size_t l = 0; l < j.n && !s; l++) {
		const char *rel = arena_printf(&b->arena, "%s/search", b->m.cfg.languages[l].code);
		j.dir[l] = arena_printf(&b->arena, "%s/%s", b->tmp, rel);
		j.skip[l] = cache_search_kept(b, l); /* the kept site's, as it is */
		/* the same index: linked whole from the live site (cache_search); another: file by file */
		out[l] = (build_search_out){ b, l, !j.skip[l] && cache_search_unchanged(b, l) };
		/* a few pages changed: their files made again, the others linked */
		if (!j.skip[l] && !out[l].emptied && cache_search_patch(b, l, &s))
			j.skip[l] = true;
		if (out[l].emptied)
			s = output_fresh_dir(b, rel);
		search_index_emit(j.ix[l], build_search_emit, &out[l]);
	}
	if (s || (s = cache_search(b, j.skip)))
		return s;
	workers_each(build_threads(b->opt, SIZE_MAX), j.n, build_search_job, &j);
	for (size_t l = 0; l < j.n; l++)
		if (j.status[l])
			return j.status[l];
	for (size_t l = 0; l < j.n; l++) /* linked whole: what it holds recorded (the others' files were) */
		if (out[l].emptied && j.skip[l])
			output_made_tree(b, arena_printf(&b->arena, "%s/search", b->m.cfg.languages[l].code));
	return PHARE_OK;
}

const char *const build_step_names[BUILD_STEPS] = {
	"load content",    "theme and templates",    "register and check", "tables and rules",
	"render articles", "lists, tables, anchors", "search index",       "sitemap, swap, cache",
};

/* Closes step i of --timings: its wall time since the previous mark. */
static void build_mark(builder *b, int i)
{
	double now = clock_now();
	b->step_seconds[i] += now - b->step_t;
	b->step_t = now;
}

/* b->step_t: when the build began (its setup counts in the first step:
 * the steps add up to the whole). */
static phare_status build_steps(builder *b)
{
	if (cache_up_to_date(b)) {
		build_mark(b, 0);
		return PHARE_OK; /* nothing changed since the last build (build/cache.h) */
	}
	phare_status s;
	if ((s = search_text_load())) /* before anything is read or written */
		return s;
	model_options mo = { b->opt->source,
			     b->opt->base_url,
			     b->opt->drafts,
			     0,
			     b->opt->threads,
			     true,
			     b->cache ? cache_source_read : NULL,
			     b->cache,
			     b->cache ? cache_model_record : NULL,
			     b->cache ? cache_model_loaded : NULL,
			     b->cache ? cache_source_listed : NULL };
	if ((s = model_load(&b->m, &mo)))
		return s;
	build_mark(b, 0);
	if ((s = theme_load(&b->th, b->opt->source)) || (s = i18n_load(&b->strings, &b->arena, &b->th, &b->m.cfg)) ||
	    (s = build_templates(b)))
		return s;
	build_mark(b, 1);
	build_register(b);
	if (b->opt->checks)
		checks_run(b);
	build_mark(b, 2);
	if ((s = blocks_load(b)) || (s = aliases_register(b)))
		return s;
	b->heading_ids = xcalloc(b->m.n_articles + 1, sizeof(char *));
	if ((s = output_begin(b)) || (s = output_assets(b)) || (s = pages_prepare(b)))
		return s;
	for (size_t l = 0; l < b->m.cfg.n_languages; l++) {
		b->search[l] = search_index_new(b->m.cfg.languages[l].code);
		if (b->tmp) /* its pages' entries wait on disk, beside the site */
			search_index_spill(b->search[l], b->tmp);
	}
	cache_open(b);
	if (!b->m.cfg.feedback_endpoint && !b->opt->feedback_endpoint && !b->opt->quiet)
		diag_note(b->m.cfg.path, 0, 0, "no feedback endpoint: articles carry no \"was this article helpful?\" "
			  "widget; add feedback: { endpoint: /api/feedback } and run phare collect");
	build_mark(b, 3);
	phare_status r1 = build_articles(b);
	build_mark(b, 4);
	phare_status r2 = build_rest_pages(b);
	phare_status r3 = blocks_questionnaire_pages(b);
	if (!r3)
		r3 = aliases_pages(b);
	phare_status r4 = links_check_anchors(b);
	if (r1 || r2 || r3 || r4)
		return r1 ? r1 : r2 ? r2 : r3 ? r3 : r4;
	cache_models_save(b);
	if (!b->session)
		model_drop_texts(&b->m); /* every page is rendered: the search index is the peak */
	build_mark(b, 5);
	if ((s = build_search(b)))
		return s;
	build_mark(b, 6);
	s = output_finish(b);
	build_mark(b, 7);
	return s;
}

static void build_summary(const builder *b, build_stats *st, double t0)
{
	st->seconds = clock_now() - t0;
	memcpy(st->step_seconds, b->step_seconds, sizeof st->step_seconds);
	st->n_langs = b->m.cfg.n_languages;
	cache_counts(b, &st->reused, &st->rendered);
	for (size_t l = 0; l < st->n_langs && b->cache; l++)
		snprintf(st->search_how[l], sizeof st->search_how[l], "%s", cache_search_how(b, l));
	st->pages = 0;
	static char codes[SITE_MAX_LANGUAGES][16];
	for (size_t i = 0; i < st->n_langs; i++) {
		st->pages_per_lang[i] = b->pages_written[i];
		st->pages += b->pages_written[i];
		snprintf(codes[i], sizeof(codes[i]), "%s", b->m.cfg.languages[i].code);
		st->lang_codes[i] = codes[i];
	}
}

static void builder_free(builder *b)
{
	for (size_t i = 0; b->heading_ids && i < b->m.n_articles; i++)
		free(b->heading_ids[i]);
	free(b->heading_ids);
	free(b->sitemap);
	free(b->reused);
	for (size_t l = 0; l < SITE_MAX_LANGUAGES; l++)
		if (b->search[l])
			search_index_free(b->search[l]);
	blocks_free(b);
	cache_free(b);
	if (b->tpl)
		mustache_set_free(b->tpl);
	theme_free(&b->th);
	map_release(&b->pages);
	map_release(&b->files);
	map_release(&b->aliases);
	map_release(&b->made);
	model_free(&b->m);
	arena_release(&b->arena);
	pthread_mutex_destroy(&b->lock);
}

struct build_session {
	builder b;
};

/* A full build into *b, which the caller frees (builder_free); session:
 * for a serve session, which renders pages again afterwards. */
static phare_status build_full(builder *b, const build_options *opt, build_stats *stats, bool session)
{
	double t0 = clock_now();
#ifdef __GLIBC__
	/* Each page's memory is freed and taken again for the next: glibc would
	 * give it back to the kernel and grow the heap again every time (two
	 * system calls a page, a fifth of the build's system time). */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, 16 << 20); /* and grows it 16 MiB at a time, not a page at a time */
	/* Blocks up to 32 MiB come from the heap too, where freed ones are
	 * reused, rather than each from a fresh mapping (faulted in again). */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
	xalloc_prepare_heap();
	memset(b, 0, sizeof(*b));
	b->opt = opt;
	b->session = session;
	b->step_t = t0;
	pthread_mutex_init(&b->lock, NULL);
	phare_status s = build_steps(b);
	if (s || diag_errors()) {
		output_abort(b);
		if (!s)
			s = PHARE_ERR_INPUT;
	} else {
		cache_save(b); /* the new site is in place: the cache describes it */
		build_mark(b, BUILD_STEPS - 1);
	}
	memset(stats, 0, sizeof(*stats));
	build_summary(b, stats, t0);
	cache_summary(b, stats);
	return s;
}

phare_status build_run(const build_options *opt, build_stats *stats)
{
	builder b;
	phare_status s = build_full(&b, opt, stats, false);
	builder_free(&b);
	return s;
}

phare_status build_session_open(const build_options *opt, build_stats *stats, build_session **out)
{
	build_session *bs = xcalloc(1, sizeof(*bs));
	phare_status s = build_full(&bs->b, opt, stats, true);
	*out = NULL;
	if (s || opt->dry_run) {
		builder_free(&bs->b);
		free(bs);
		return s;
	}
	bs->b.tmp = opt->out; /* from now on pages are replaced where they are served */
	bs->b.live = true;
	*out = bs;
	return PHARE_OK;
}

static bool build_same(const char *x, const char *y)
{
	return strcmp(x ? x : "", y ? y : "") == 0;
}

/* Would the edit change anything but the article's own page? */
static bool build_lists_unchanged(const article *old, const article *fresh)
{
	bool same_aliases = old->n_aliases == fresh->n_aliases;
	for (size_t i = 0; same_aliases && i < old->n_aliases; i++)
		same_aliases = strcmp(old->aliases[i], fresh->aliases[i]) == 0;
	return same_aliases && build_same(old->title, fresh->title) &&
	       build_same(old->description, fresh->description) && old->has_weight == fresh->has_weight &&
	       old->weight == fresh->weight && old->draft == fresh->draft;
}

phare_status build_session_update(build_session *bs, const char *rel, bool *handled)
{
	builder *b = &bs->b;
	size_t n = strlen(rel);
	*handled = false;
	if (strncmp(rel, "content/", 8) != 0 || n < 12 || strcmp(rel + n - 3, ".md") != 0 ||
	    strcmp(rel + n - 9, "_index.md") == 0)
		return PHARE_OK;
	char *path = arena_strndup(&b->arena, rel + 8, n - 11);
	for (char *p = path; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	article *old = map_get(&b->m.by_path, path);
	if (!old || old->fallback_of ||
	    (b->m.cfg.missing == MISSING_FALLBACK && old->lang == b->m.cfg.default_language))
		return PHARE_OK; /* new, or shown in other languages too: a full build */
	char *full = fsx_join(b->opt->source, rel);
	buf text = BUF_INIT;
	phare_status s = fsx_read(full, &text, b->m.cfg.max_article_bytes ? b->m.cfg.max_article_bytes
								   : MODEL_MAX_ARTICLE_BYTES);
	free(full);
	if (s) {
		buf_release(&text);
		return PHARE_OK; /* deleted or unreadable: let the full build say so */
	}
	size_t len;
	char *t = buf_detach(&text, &len);
	b->m.texts = xgrow(b->m.texts, &b->m.cap_texts, b->m.n_texts + 1, sizeof(char *));
	b->m.texts[b->m.n_texts++] = t;
	article fresh;
	*handled = true;
	if ((s = article_parse(&b->m.arena, old->path, t, len, true, &fresh)))
		return s;
	if (!build_lists_unchanged(old, &fresh)) {
		*handled = false;
		return PHARE_OK;
	}
	old->body = fresh.body;
	old->body_len = fresh.body_len;
	old->body_line = fresh.body_line;
	memcpy(old->revision, fresh.revision, sizeof(old->revision));
	memcpy(old->updated, fresh.updated, sizeof(old->updated));
	old->tags = fresh.tags;
	old->n_tags = fresh.n_tags;
	old->translation_of = fresh.translation_of;
	arena a = ARENA_INIT;
	s = pages_article(b, old, &a);
	arena_release(&a);
	phare_status r = links_check_anchors(b);
	return s ? s : r;
}

void build_session_close(build_session *bs)
{
	if (!bs)
		return;
	builder_free(&bs->b);
	free(bs);
}

/* model.c: walks content/ and builds the site model (see model.h).
 *
 * Errors are reported as they are found and the walk goes on, so an author
 * sees every broken file in one build; model_load fails at the end. */
#include "content/model.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/xalloc.h"

/* Section names that would collide with pages phare makes itself. */
static const char *const model_reserved[] = { "compare", "decide", "search", "assets", NULL };

const char *model_shown(model *m, const char *rel)
{
	if (strcmp(m->source, ".") == 0)
		return arena_strdup(&m->arena, rel);
	return arena_printf(&m->arena, "%s/%s", m->source, rel);
}

/* File and folder names become URLs: letters (lowercased in the URL),
 * digits, '-' and '_'. */
static bool model_valid_name(const char *s)
{
	if (!*s || *s == '.' || *s == '_')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_'))
			return false;
	return true;
}

static char *model_lower(char *s)
{
	for (char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return s;
}

static bool model_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* ---- read-ahead ----
 * Reading 20,000 files one after the other leaves the other cores idle, so
 * while the main thread parses a section's files in order, helper threads
 * read the next ones.  Parsing stays on the main thread (in order: messages
 * come out as before).  A read-ahead that fails leaves nothing; the main
 * thread then reads the file itself and reports the problem as usual. */
typedef struct model_ahead {
	const char *dir;      /* the section's folder */
	char **names;         /* its entries (fsx_list) */
	size_t n, max;
	char **texts;         /* texts[i]: the file read ahead, until taken */
	size_t *lens;
	bool *done;
	atomic_size_t next;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t th[8];
	int n_threads;
} model_ahead;

/* The whole regular file at path (NUL-terminated), or NULL: says nothing. */
static char *model_slurp(const char *path, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	char *t = NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max)
		goto out;
	size_t size = (size_t)st.st_size, got = 0;
	t = xmalloc(size + 1);
	while (got < size) {
		ssize_t r = read(fd, t + got, size - got);
		if (r <= 0) {
			free(t);
			t = NULL;
			goto out;
		}
		got += (size_t)r;
	}
	t[got] = '\0';
	*len = got;
out:
	close(fd);
	return t;
}

static void *model_ahead_worker(void *arg)
{
	model_ahead *ah = arg;
	for (size_t i; (i = atomic_fetch_add(&ah->next, 1)) < ah->n;) {
		char *t = NULL;
		size_t len = 0;
		if (model_ends_with(ah->names[i], ".md")) {
			char *full = fsx_join(ah->dir, ah->names[i]);
			t = model_slurp(full, ah->max, &len);
			free(full);
		}
		pthread_mutex_lock(&ah->lock);
		ah->texts[i] = t;
		ah->lens[i] = len;
		ah->done[i] = true;
		pthread_cond_broadcast(&ah->cond);
		pthread_mutex_unlock(&ah->lock);
	}
	return NULL;
}

static void model_ahead_start(model_ahead *ah, const char *dir, char **names, size_t max)
{
	memset(ah, 0, sizeof(*ah));
	for (char **p = names; p && *p; p++)
		ah->n++;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	if (ah->n < 16 || cores < 2)
		return; /* not worth a thread */
	ah->dir = dir;
	ah->names = names;
	ah->max = max;
	ah->texts = xcalloc(ah->n, sizeof(char *));
	ah->lens = xcalloc(ah->n, sizeof(size_t));
	ah->done = xcalloc(ah->n, sizeof(bool));
	atomic_init(&ah->next, 0);
	pthread_mutex_init(&ah->lock, NULL);
	pthread_cond_init(&ah->cond, NULL);
	/* the main thread parses: the other cores read */
	int want = cores - 1 > 8 ? 8 : (int)(cores - 1);
	for (int i = 0; i < want; i++)
		if (pthread_create(&ah->th[ah->n_threads], NULL, model_ahead_worker, ah) == 0)
			ah->n_threads++;
	if (!ah->n_threads) { /* no thread: the main thread reads everything itself */
		free(ah->texts);
		free(ah->lens);
		free(ah->done);
		pthread_mutex_destroy(&ah->lock);
		pthread_cond_destroy(&ah->cond);
	}
}

/* Entry i's text read ahead (the caller owns it), or NULL: read it yourself. */
static char *model_ahead_take(model_ahead *ah, size_t i, size_t *len)
{
	if (!ah->n_threads)
		return NULL;
	pthread_mutex_lock(&ah->lock);
	while (!ah->done[i])
		pthread_cond_wait(&ah->cond, &ah->lock);
	char *t = ah->texts[i];
	ah->texts[i] = NULL;
	*len = ah->lens[i];
	pthread_mutex_unlock(&ah->lock);
	return t;
}

static void model_ahead_stop(model_ahead *ah)
{
	if (!ah->n_threads)
		return;
	for (int i = 0; i < ah->n_threads; i++)
		pthread_join(ah->th[i], NULL);
	for (size_t i = 0; i < ah->n; i++)
		free(ah->texts[i]);
	free(ah->texts);
	free(ah->lens);
	free(ah->done);
	pthread_mutex_destroy(&ah->lock);
	pthread_cond_destroy(&ah->cond);
}

/* The largest Markdown file accepted: the caller's, site.yaml's, or the default. */
static size_t model_max_bytes(const model *m, const model_options *opt)
{
	return opt->max_article_bytes ? opt->max_article_bytes
		: m->cfg.max_article_bytes ? m->cfg.max_article_bytes : MODEL_MAX_ARTICLE_BYTES;
}

/* Reads and parses one Markdown file; the text is kept for the body.
 * ahead: the text already read (taken over), or NULL. */
static phare_status model_read(model *m, const model_options *opt, const char *rel,
			       bool need_title, article **out, char *ahead, size_t ahead_len)
{
	const char *shown = model_shown(m, rel);
	size_t len = ahead_len;
	char *t = ahead;
	if (!t) {
		char *full = fsx_join(opt->source, rel);
		buf text = BUF_INIT;
		phare_status s = fsx_read(full, &text, model_max_bytes(m, opt));
		free(full);
		if (s) {
			buf_release(&text);
			return s;
		}
		t = buf_detach(&text, &len);
	}
	phare_status s;
	m->texts = xgrow(m->texts, &m->cap_texts, m->n_texts + 1, sizeof(char *));
	m->texts[m->n_texts++] = t;
	article *a = arena_alloc(&m->arena, sizeof(*a));
	if ((s = article_parse(&m->arena, shown, t, len, need_title, a)))
		return s;
	*out = a;
	return PHARE_OK;
}

static int model_cmp_weight(bool ha, double wa, bool hb, double wb)
{
	if (ha != hb)
		return ha ? -1 : 1;
	if (ha && wa != wb)
		return wa < wb ? -1 : 1;
	return 0;
}

static int model_cmp_articles(const void *x, const void *y)
{
	const article *a = *(article *const *)x, *b = *(article *const *)y;
	int c = model_cmp_weight(a->has_weight, a->weight, b->has_weight, b->weight);
	if (c)
		return c;
	c = strcmp(a->title, b->title);
	return c ? c : strcmp(a->slug, b->slug);
}

static int model_cmp_sections(const void *x, const void *y)
{
	const section *a = *(section *const *)x, *b = *(section *const *)y;
	int c = model_cmp_weight(a->has_weight, a->weight, b->has_weight, b->weight);
	if (c)
		return c;
	c = strcmp(a->title, b->title);
	return c ? c : strcmp(a->name, b->name);
}

static void model_add_file(model *m, const char *src_rel, const char *dest, const model_options *opt)
{
	m->files = xgrow(m->files, &m->cap_files, m->n_files + 1, sizeof(static_file));
	char *src = fsx_join(opt->source, src_rel);
	m->files[m->n_files++] = (static_file){ arena_strdup(&m->arena, src), arena_strdup(&m->arena, dest) };
	free(src);
}

static phare_status model_article_file(model *m, const model_options *opt, section *sec,
				       const char *rel, const char *name, char *ahead, size_t ahead_len)
{
	article *a = NULL;
	phare_status s = model_read(m, opt, rel, true, &a, ahead, ahead_len);
	if (s)
		return s;
	if (a->draft && !opt->drafts)
		return PHARE_OK;
	const char *lang = m->cfg.languages[sec->lang].code;
	a->lang = sec->lang;
	a->section = sec->name;
	a->slug = model_lower(arena_strndup(&m->arena, name, strlen(name) - 3));
	a->key = arena_printf(&m->arena, "%s/%s", sec->name, a->slug);
	a->url = arena_printf(&m->arena, "%s%s/%s/", m->cfg.base, lang, a->key);
	const char *path = arena_printf(&m->arena, "%s/%s", lang, a->key);
	if (!model_valid_name(a->slug)) {
		diag_error(a->path, 0, 0, "'%s' cannot be an article's file name: use letters, "
			   "digits, '-' and '_' (it becomes the URL)", name);
		return PHARE_ERR_INPUT;
	}
	article *prev = map_put(&m->by_path, path, a);
	if (prev) {
		diag_error(a->path, 0, 0, "duplicate slug: %s also becomes /%s/ (URLs are lowercase); rename one",
			   prev->path, path);
		return PHARE_ERR_INPUT;
	}
	sec->articles = xgrow(sec->articles, &sec->cap_articles, sec->n_articles + 1, sizeof(article *));
	sec->articles[sec->n_articles++] = a;
	article **tr = map_get(&m->translations, a->key);
	if (!tr) {
		tr = arena_alloc(&m->arena, sizeof(article *) * m->cfg.n_languages);
		map_put(&m->translations, a->key, tr);
	}
	tr[a->lang] = a;
	return PHARE_OK;
}

static section *model_new_section(model *m, size_t lang, const char *name)
{
	lang_site *ls = &m->langs[lang];
	const char *code = m->cfg.languages[lang].code;
	section *sec = arena_alloc(&m->arena, sizeof(*sec));
	sec->name = name;
	sec->lang = lang;
	sec->title = name;
	sec->description = "";
	sec->url = arena_printf(&m->arena, "%s%s/%s/", m->cfg.base, code, name);
	map_put(&m->sections_by_path, arena_printf(&m->arena, "%s/%s", code, name), sec);
	ls->sections = xgrow(ls->sections, &ls->cap_sections, ls->n_sections + 1, sizeof(section *));
	ls->sections[ls->n_sections++] = sec;
	return sec;
}

static phare_status model_section(model *m, const model_options *opt, size_t lang, const char *rel,
				  const char *name)
{
	lang_site *ls = &m->langs[lang];
	const char *code = m->cfg.languages[lang].code;
	phare_status s = PHARE_OK, first = PHARE_OK;
	if (!model_valid_name(name)) {
		diag_error(model_shown(m, rel), 0, 0, "'%s' cannot be a section's folder name: use "
			   "letters, digits, '-' and '_' (it becomes the URL)", name);
		return PHARE_ERR_INPUT;
	}
	for (const char *const *r = model_reserved; *r; r++) {
		if (strcasecmp(name, *r) == 0) {
			diag_error(model_shown(m, rel), 0, 0, "'%s' is reserved for pages phare makes "
				   "(/%s/%s/); rename the section", name, code, name);
			return PHARE_ERR_INPUT;
		}
	}
	section *sec = model_new_section(m, lang, model_lower(arena_strdup(&m->arena, name)));

	char *dir = fsx_join(opt->source, rel);
	char **names = fsx_list(dir);
	model_ahead ahead;
	model_ahead_start(&ahead, dir, names, model_max_bytes(m, opt)); /* the same limit as model_read's */
	for (char **n = names; n && *n; n++) {
		char *frel = fsx_join(rel, *n);
		char *full = fsx_join(opt->source, frel);
		size_t len = 0;
		char *text = model_ahead_take(&ahead, (size_t)(n - names), &len);
		if (strcmp(*n, "_index.md") == 0) {
			s = model_read(m, opt, frel, false, &sec->index, text, len);
			text = NULL;
			if (!s && sec->index->title) {
				sec->title = sec->index->title;
				sec->description = sec->index->description;
				sec->weight = sec->index->weight;
				sec->has_weight = sec->index->has_weight;
			}
		} else if (fsx_is_dir(full)) {
			diag_error(model_shown(m, frel), 0, 0, "folders inside a section are not read; "
				   "articles live at content/<lang>/<section>/<slug>.md");
			s = PHARE_ERR_INPUT;
		} else if (model_ends_with(*n, ".md")) {
			s = model_article_file(m, opt, sec, frel, *n, text, len);
			text = NULL;
		} else if ((*n)[0] != '.') {
			model_add_file(m, frel, arena_printf(&m->arena, "%s/%s/%s", code, name, *n), opt);
		}
		free(text); /* read ahead but not used (a folder named *.md) */
		if (s && !first)
			first = s;
		s = PHARE_OK;
		free(full);
		free(frel);
	}
	model_ahead_stop(&ahead);
	free(dir);
	fsx_free_list(names);
	ls->n_articles += sec->n_articles;
	return first;
}

static phare_status model_language(model *m, const model_options *opt, size_t lang)
{
	const char *code = m->cfg.languages[lang].code;
	lang_site *ls = &m->langs[lang];
	char *rel = arena_printf(&m->arena, "content/%s", code);
	char *dir = fsx_join(opt->source, rel);
	phare_status s = PHARE_OK, first = PHARE_OK;
	ls->url = arena_printf(&m->arena, "%s%s/", m->cfg.base, code);
	char **names = fsx_list(dir);
	free(dir);
	if (!names) {
		diag_warning(model_shown(m, rel), 0, 0, "no folder for language '%s'; its site will be empty", code);
		return PHARE_OK;
	}
	for (char **n = names; *n; n++) {
		char *frel = fsx_join(rel, *n);
		char *full = fsx_join(opt->source, frel);
		if (strcmp(*n, "_index.md") == 0)
			s = model_read(m, opt, frel, false, &ls->home, NULL, 0);
		else if (fsx_is_dir(full))
			s = model_section(m, opt, lang, frel, *n);
		else if (model_ends_with(*n, ".md")) {
			diag_error(model_shown(m, frel), 0, 0, "articles go in a section folder: move it to "
				   "content/%s/<section>/%s", code, *n);
			s = PHARE_ERR_INPUT;
		} else if ((*n)[0] != '.')
			model_add_file(m, frel, arena_printf(&m->arena, "%s/%s", code, *n), opt);
		if (s && !first)
			first = s;
		s = PHARE_OK;
		free(full);
		free(frel);
	}
	fsx_free_list(names);
	return first;
}

/* missing_translation: fallback — the default-language text is published in
 * the languages that lack a translation, marked as such (pages.c). */
static void model_add_fallbacks(model *m)
{
	size_t def = m->cfg.default_language;
	const lang_site *dl = &m->langs[def];
	for (size_t i = 0; i < dl->n_sections; i++) {
		const section *dsec = dl->sections[i];
		for (size_t j = 0; j < dsec->n_articles; j++) {
			article *src = dsec->articles[j];
			article **tr = map_get(&m->translations, src->key);
			for (size_t l = 0; l < m->cfg.n_languages; l++) {
				if (tr[l])
					continue;
				const char *code = m->cfg.languages[l].code;
				section *sec = map_get(&m->sections_by_path, arena_printf(&m->arena, "%s/%s", code, dsec->name));
				if (!sec) {
					sec = model_new_section(m, l, dsec->name);
					sec->title = dsec->title;
					sec->description = dsec->description;
					sec->weight = dsec->weight;
					sec->has_weight = dsec->has_weight;
				}
				article *a = arena_alloc(&m->arena, sizeof(*a));
				*a = *src;
				a->lang = l;
				a->fallback_of = src;
				a->translation_of = NULL;
				a->url = arena_printf(&m->arena, "%s%s/%s/", m->cfg.base, code, a->key);
				map_put(&m->by_path, arena_printf(&m->arena, "%s/%s", code, a->key), a);
				sec->articles = xgrow(sec->articles, &sec->cap_articles, sec->n_articles + 1, sizeof(article *));
				sec->articles[sec->n_articles++] = a;
				m->langs[l].n_articles++;
				tr[l] = a;
			}
		}
	}
}

/* Sorts every list and numbers the articles, language by language. */
static void model_finish(model *m)
{
	for (size_t l = 0; l < m->cfg.n_languages; l++) {
		lang_site *ls = &m->langs[l];
		if (ls->n_sections > 1) /* qsort's base may not be NULL, even for nothing */
			qsort(ls->sections, ls->n_sections, sizeof(section *), model_cmp_sections);
		for (size_t i = 0; i < ls->n_sections; i++) {
			section *sec = ls->sections[i];
			if (sec->n_articles > 1)
				qsort(sec->articles, sec->n_articles, sizeof(article *), model_cmp_articles);
			for (size_t j = 0; j < sec->n_articles; j++) {
				m->articles = xgrow(m->articles, &m->cap_articles, m->n_articles + 1, sizeof(article *));
				sec->articles[j]->index = m->n_articles;
				m->articles[m->n_articles++] = sec->articles[j];
			}
		}
	}
}

/* Every folder of content/ must be a language, or tables/ or static/. */
static phare_status model_check_folders(model *m, const model_options *opt)
{
	char *dir = fsx_join(opt->source, "content");
	char **names = fsx_list(dir);
	phare_status s = PHARE_OK;
	free(dir);
	for (char **n = names; n && *n; n++) {
		char *rel = fsx_join("content", *n);
		char *full = fsx_join(opt->source, rel);
		if (fsx_is_dir(full) && strcmp(*n, "tables") && strcmp(*n, "static") && (*n)[0] != '.' &&
		    site_language_index(&m->cfg, *n, strlen(*n)) < 0) {
			diag_error(model_shown(m, rel), 0, 0, "unknown language folder '%s': add "
				   "{code: %s, name: …} to 'languages' in %s (line %d) or rename the folder",
				   *n, *n, m->cfg.path, m->cfg.line_of_languages);
			s = PHARE_ERR_INPUT;
		}
		free(full);
		free(rel);
	}
	fsx_free_list(names);
	return s;
}

phare_status model_load(model *m, const model_options *opt)
{
	phare_status s, first;
	m->source = arena_strdup(&m->arena, opt->source);
	char *site_path = fsx_join(opt->source, "content/site.yaml");
	s = site_load(&m->arena, site_path, model_shown(m, "content/site.yaml"), opt->base_url, &m->cfg);
	free(site_path);
	if (s)
		return s;
	first = model_check_folders(m, opt);
	for (size_t i = 0; i < m->cfg.n_languages; i++) {
		s = model_language(m, opt, i);
		if (s && !first)
			first = s;
	}
	if (!first && m->cfg.missing == MISSING_FALLBACK)
		model_add_fallbacks(m);
	model_finish(m);
	return first;
}

void model_free(model *m)
{
	for (size_t i = 0; i < m->cfg.n_languages; i++) {
		for (size_t j = 0; j < m->langs[i].n_sections; j++)
			free(m->langs[i].sections[j]->articles);
		free(m->langs[i].sections);
	}
	for (size_t i = 0; i < m->n_texts; i++)
		free(m->texts[i]);
	free(m->texts);
	free(m->articles);
	free(m->files);
	map_release(&m->by_path);
	map_release(&m->sections_by_path);
	map_release(&m->translations);
	arena_release(&m->arena);
}

article *model_article(const model *m, size_t lang, const char *key)
{
	article **tr = map_get(&m->translations, key);
	return tr ? tr[lang] : NULL;
}

article **model_translations(const model *m, const char *key)
{
	return map_get(&m->translations, key);
}

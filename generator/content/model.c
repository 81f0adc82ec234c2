/* model.c: walks content/ and builds the site model (see model.h).
 *
 * Errors are reported as they are found and the walk goes on, so an author
 * sees every broken file in one build; model_load fails at the end. */
#include "content/model.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content/model_int.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/xalloc.h"

const char *model_shown(model *m, const char *rel)
{
	if (strcmp(m->source, ".") == 0)
		return arena_strdup(&m->arena, rel);
	return model_cat(&m->arena, m->source, "/", rel, MODEL_END);
}

/* File and folder names become URLs: letters (lowercased in the URL),
 * digits, '-' and '_'. */
bool model_valid_name(const char *s)
{
	if (!*s || *s == '.' || *s == '_')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_'))
			return false;
	return true;
}

char *model_lower(char *s)
{
	for (char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return s;
}

bool model_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The concatenation of the strings given, up to MODEL_END, in a: what
 * arena_printf("%s%s…") makes, without formatting twice (20,000 articles
 * each get a path, a key and a URL). */
char *model_cat(arena *a, ...)
{
	va_list ap;
	size_t n = 0;
	va_start(ap, a);
	for (const char *s; (s = va_arg(ap, const char *));)
		n += strlen(s);
	va_end(ap);
	char *out = arena_alloc(a, n + 1), *p = out;
	va_start(ap, a);
	for (const char *s; (s = va_arg(ap, const char *));) {
		size_t k = strlen(s);
		memcpy(p, s, k);
		p += k;
	}
	va_end(ap);
	*p = '\0';
	return out;
}

/* ---- the walk: pass 2, on the main thread, in order ---- */

/* Takes job j's file and its parse: the helper's (or its record's), or,
 * where it could not read the file, reads it here (saying why it cannot
 * be) and parses it.  An article is then told to on_loaded. */
static phare_status model_read(model *m, const model_options *opt, model_plan *p, model_job *j, article **out)
{
	model_take(p, j);
	if (!j->art) { /* the helper could not read it */
		char *full = fsx_join(j->dir->full, j->name);
		buf text = BUF_INIT;
		phare_status s = fsx_read(full, &text, p->max_bytes);
		free(full);
		if (s) {
			buf_release(&text);
			return s;
		}
		j->text = buf_detach(&text, &j->len);
		if (p->on_read)
			p->on_read(p->on_read_ctx, j->dir->full, j->name, j->text, j->len);
		bool drop = model_job_drops(p, j);
		if (!drop) {
			model_job_kept(p, j->len);
			m->texts = xgrow(m->texts, &m->cap_texts, m->n_texts + 1, sizeof(char *));
			m->texts[m->n_texts++] = j->text;
		}
		char *t = j->text;
		model_job_parse(j, &m->arena, drop);
		if (drop)
			free(t);
	}
	j->text = NULL; /* in an arena, or in m->texts */
	phare_status s = article_finish(&m->arena, j->art, model_needs_title(j->name), &j->held);
	if (s)
		return s;
	if (opt->on_loaded && j->art->slug)
		opt->on_loaded(opt->on_read_ctx, j->dir->full, j->name, j->art);
	*out = j->art;
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

/* What is said of entry name of folder d: its path under the source. */
static const char *model_shown_entry(model *m, const model_dir *d, const char *name)
{
	return model_cat(&m->arena, d->shown, "/", name, MODEL_END);
}

/* Whether src, to be copied, is a regular file within max_file_bytes: said
 * now, with every other problem, rather than after every page is rendered. */
static phare_status model_check_file(model *m, const char *src, const char *shown)
{
	size_t max = m->cfg.max_file_bytes ? m->cfg.max_file_bytes : MODEL_MAX_FILE_BYTES;
	int fd = fsx_open(src, O_PATH);
	if (fd < 0) {
		fsx_report_open(src, errno, "read");
		return PHARE_ERR_IO;
	}
	struct stat st;
	phare_status s = PHARE_OK;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		diag_error(shown, 0, 0, "not a regular file (a FIFO, socket or device); remove it");
		s = PHARE_ERR_INPUT;
	} else if ((size_t)st.st_size > max) {
		diag_error(shown, 0, 0,
			   "the file is %lld bytes, more than max_file_bytes (%zu); make it "
			   "smaller, or raise max_file_bytes in %s",
			   (long long)st.st_size, max, m->cfg.path);
		s = PHARE_ERR_LIMIT;
	}
	close(fd);
	return s;
}

/* An image or other file beside the Markdown, copied to dest: its name is
 * published as it is, so it must mean the same on every host. */
static phare_status model_add_file(model *m, const model_dir *d, const char *name, const char *dest)
{
	const char *shown = model_shown_entry(m, d, name), *unsafe = fsx_unsafe_name(name);
	if (unsafe) {
		diag_error(shown, 0, 0, "this file name cannot be published: %s; rename the file", unsafe);
		return PHARE_ERR_INPUT;
	}
	char *src = fsx_join(d->full, name);
	phare_status s = model_check_file(m, src, shown);
	if (s) {
		free(src);
		return s;
	}
	m->files = xgrow(m->files, &m->cap_files, m->n_files + 1, sizeof(static_file));
	m->files[m->n_files++] = (static_file){ arena_strdup(&m->arena, src), arena_strdup(&m->arena, dest) };
	free(src);
	return PHARE_OK;
}

static phare_status model_article_file(model *m, const model_options *opt, model_plan *p, section *sec,
				       model_job *j)
{
	article *a = NULL;
	phare_status s = model_read(m, opt, p, j, &a);
	if (s)
		return s;
	if (a->draft && !opt->drafts)
		return PHARE_OK;
	a->lang = sec->lang;
	a->section = sec->key;
	a->sec = sec;
	if (!model_valid_name(a->slug)) {
		diag_error(a->path, 0, 0, "'%s' cannot be an article's file name: use letters, "
			   "digits, '-' and '_' (it becomes the URL)", j->name);
		return PHARE_ERR_INPUT;
	}
	article *prev = map_put(&m->by_path, j->site_path, a);
	if (prev) {
		diag_error(a->path, 0, 0, "duplicate slug: %s also becomes /%s/ (URLs are lowercase); rename one",
			   prev->path, j->site_path);
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

/* A section of language lang, key "cloud/reseau", named after its last
 * folder, inside parent (NULL: a category). */
static section *model_new_section(model *m, size_t lang, section *parent, const char *key)
{
	lang_site *ls = &m->langs[lang];
	const char *code = m->cfg.languages[lang].code, *slash = strrchr(key, '/');
	section *sec = arena_alloc(&m->arena, sizeof(*sec));
	sec->name = slash ? slash + 1 : key;
	sec->key = key;
	sec->lang = lang;
	sec->parent = parent;
	sec->depth = parent ? parent->depth + 1 : 1;
	sec->title = sec->name;
	sec->description = "";
	sec->url = model_cat(&m->arena, m->cfg.base, code, "/", key, "/", MODEL_END);
	map_put(&m->sections_by_path, model_cat(&m->arena, code, "/", key, MODEL_END), sec);
	ls->sections = xgrow(ls->sections, &ls->cap_sections, ls->n_sections + 1, sizeof(section *));
	ls->sections[ls->n_sections++] = sec;
	if (parent) {
		parent->subs = xgrow(parent->subs, &parent->cap_subs, parent->n_subs + 1, sizeof(section *));
		parent->subs[parent->n_subs++] = sec;
	} else {
		ls->tops = xgrow(ls->tops, &ls->cap_tops, ls->n_tops + 1, sizeof(section *));
		ls->tops[ls->n_tops++] = sec;
	}
	return sec;
}

static phare_status model_walk_section(model *m, const model_options *opt, model_plan *p, size_t lang,
				       const model_dir *pd, section *parent, size_t i);

/* One entry of a section folder: job j, entry i of its folder. */
static phare_status model_section_entry(model *m, const model_options *opt, model_plan *p, section *sec, model_job *j,
					size_t i)
{
	const model_dir *d = j->dir;
	if (strcmp(j->name, "_index.md") == 0) {
		phare_status s = model_read(m, opt, p, j, &sec->index);
		if (!s && sec->index->title) {
			sec->title = sec->index->title;
			sec->description = sec->index->description;
			sec->weight = sec->index->weight;
			sec->has_weight = sec->index->has_weight;
		}
		return s;
	}
	if (d->is_dir[i])
		return model_walk_section(m, opt, p, sec->lang, d, sec, i);
	if (model_ends_with(j->name, ".md") && model_take(p, j)->kind == MODEL_DIR) {
		diag_error(model_shown_entry(m, d, j->name), 0, 0,
			   "a folder named like an article; rename it "
			   "(a sub-section's folder name is letters, digits, '-' and '_')");
		return PHARE_ERR_INPUT;
	}
	if (model_ends_with(j->name, ".md"))
		return model_article_file(m, opt, p, sec, j);
	if (j->name[0] != '.')
		return model_add_file(m, d, j->name, model_cat(&m->arena, d->path, j->name, MODEL_END));
	return PHARE_OK;
}

/* Entry i of folder pd, a folder, as a section inside parent (NULL: a
 * category), or why it cannot be one. */
static phare_status model_walk_section(model *m, const model_options *opt, model_plan *p, size_t lang,
				       const model_dir *pd, section *parent, size_t i)
{
	const char *code = m->cfg.languages[lang].code, *name = pd->names[i];
	phare_status s, first = PHARE_OK;
	switch (model_check_section(name, pd->depth + 1)) {
	case MODEL_SECTION_INVALID:
		diag_error(model_shown_entry(m, pd, name), 0, 0,
			   "'%s' cannot be a section's folder name: use "
			   "letters, digits, '-' and '_' (it becomes the URL)",
			   name);
		return PHARE_ERR_INPUT;
	case MODEL_SECTION_RESERVED:
		diag_error(model_shown_entry(m, pd, name), 0, 0,
			   "'%s' is reserved for pages phare makes "
			   "(/%s/%s/); rename the section",
			   name, code, name);
		return PHARE_ERR_INPUT;
	case MODEL_SECTION_OK:
		break;
	}
	if (pd->depth >= MODEL_MAX_DEPTH) {
		diag_error(model_shown_entry(m, pd, name), 0, 0,
			   "sections nest at most %d folders deep "
			   "(content/%s/<1>/…/<%d>/<slug>.md); move this folder's content up a level",
			   MODEL_MAX_DEPTH, code, MODEL_MAX_DEPTH);
		return PHARE_ERR_INPUT;
	}
	const model_dir *d = model_next_section(p);
	size_t n = strlen(d->path);
	section *sec = model_new_section(m, lang, parent,
					 arena_strndup(&m->arena, d->path + d->key_at, n - d->key_at - 1));
	for (size_t k = 0; k < d->n_jobs; k++)
		if ((s = model_section_entry(m, opt, p, sec, &d->jobs[k], k)) && !first)
			first = s;
	m->langs[lang].n_articles += sec->n_articles;
	return first;
}

static phare_status model_language(model *m, const model_options *opt, model_plan *p, size_t lang)
{
	const char *code = m->cfg.languages[lang].code;
	lang_site *ls = &m->langs[lang];
	const model_dir *d = p->lang_dir[lang];
	phare_status s = PHARE_OK, first = PHARE_OK;
	ls->url = model_cat(&m->arena, m->cfg.base, code, "/", MODEL_END);
	if (!d->names && fsx_stat(d->full) == FSX_OUTSIDE)
		return PHARE_ERR_IO; /* said by fsx_list */
	if (!d->names) {
		diag_warning(d->shown, 0, 0, "no folder for language '%s'; its site will be empty", code);
		return PHARE_OK;
	}
	for (size_t i = 0; d->names[i]; i++) {
		const char *name = d->names[i];
		if (strcmp(name, "_index.md") == 0)
			s = model_read(m, opt, p, &d->jobs[0], &ls->home);
		else if (d->is_dir[i])
			s = model_walk_section(m, opt, p, lang, d, NULL, i);
		else if (model_ends_with(name, ".md")) {
			diag_error(model_shown_entry(m, d, name), 0, 0, "articles go in a section folder: move it to "
				   "content/%s/<section>/%s", code, name);
			s = PHARE_ERR_INPUT;
		} else if (name[0] != '.')
			s = model_add_file(m, d, name, model_cat(&m->arena, code, "/", name, MODEL_END));
		if (s && !first)
			first = s;
		s = PHARE_OK;
	}
	return first;
}

/* The section of language l that mirrors dsec (a default-language
 * section), made with its ancestors where the language has none. */
static section *model_fallback_section(model *m, size_t l, const section *dsec)
{
	const char *code = m->cfg.languages[l].code;
	section *sec = map_get(&m->sections_by_path, model_cat(&m->arena, code, "/", dsec->key, MODEL_END));
	if (sec)
		return sec;
	section *parent = dsec->parent ? model_fallback_section(m, l, dsec->parent) : NULL;
	sec = model_new_section(m, l, parent, dsec->key);
	sec->title = dsec->title;
	sec->description = dsec->description;
	sec->weight = dsec->weight;
	sec->has_weight = dsec->has_weight;
	return sec;
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
				section *sec = model_fallback_section(m, l, dsec);
				article *a = arena_alloc(&m->arena, sizeof(*a));
				*a = *src;
				a->lang = l;
				a->sec = sec;
				a->fallback_of = src;
				a->translation_of = NULL;
				a->aliases = NULL; /* the source's old paths are its language's */
				a->n_aliases = 0;
				a->url = model_cat(&m->arena, m->cfg.base, code, "/", a->key, "/", MODEL_END);
				map_put(&m->by_path, model_cat(&m->arena, code, "/", a->key, MODEL_END), a);
				sec->articles = xgrow(sec->articles, &sec->cap_articles, sec->n_articles + 1, sizeof(article *));
				sec->articles[sec->n_articles++] = a;
				m->langs[l].n_articles++;
				tr[l] = a;
			}
		}
	}
}

/* Sorts sec's sub-sections and articles, and lists it, then them, depth
 * first, in out; numbers its articles; counts them (n_total). */
static void model_finish_section(model *m, section *sec, section **out, size_t *n_out)
{
	out[(*n_out)++] = sec;
	if (sec->n_articles > 1)
		qsort(sec->articles, sec->n_articles, sizeof(article *), model_cmp_articles);
	for (size_t j = 0; j < sec->n_articles; j++) {
		m->articles = xgrow(m->articles, &m->cap_articles, m->n_articles + 1, sizeof(article *));
		sec->articles[j]->index = m->n_articles;
		sec->articles[j]->pos = j;
		m->articles[m->n_articles++] = sec->articles[j];
	}
	if (sec->n_subs > 1)
		qsort(sec->subs, sec->n_subs, sizeof(section *), model_cmp_sections);
	sec->n_total = sec->n_articles;
	for (size_t i = 0; i < sec->n_subs; i++) {
		model_finish_section(m, sec->subs[i], out, n_out);
		sec->n_total += sec->subs[i]->n_total;
	}
}

/* A section without an _index.md (or one without a title) takes the
 * default language's title, description and weight, rather than its
 * folder's name. */
static void model_untitled_sections(model *m, size_t l)
{
	lang_site *ls = &m->langs[l];
	for (size_t i = 0; l != m->cfg.default_language && i < ls->n_sections; i++) {
		section *sec = ls->sections[i];
		const section *def = model_section(m, m->cfg.default_language, sec->key);
		if ((sec->index && sec->index->title) || !def || !def->index || !def->index->title)
			continue;
		sec->title = def->title;
		sec->description = def->description;
		sec->weight = def->weight;
		sec->has_weight = def->has_weight;
	}
}

/* Sorts every list and numbers the articles, language by language, in the
 * order of the tree (each section, then its sub-sections). */
static void model_finish(model *m)
{
	for (size_t l = 0; l < m->cfg.n_languages; l++) {
		lang_site *ls = &m->langs[l];
		model_untitled_sections(m, l);
		if (ls->n_tops > 1) /* qsort's base may not be NULL, even for nothing */
			qsort(ls->tops, ls->n_tops, sizeof(section *), model_cmp_sections);
		section **order = xcalloc(ls->n_sections + 1, sizeof(section *));
		size_t n = 0;
		for (size_t i = 0; i < ls->n_tops; i++)
			model_finish_section(m, ls->tops[i], order, &n);
		free(ls->sections);
		ls->sections = order;
		ls->cap_sections = ls->n_sections + 1;
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
	arena_expect_big(&m->arena);
	arena_expect_big(&m->texts_arena);
	m->source = arena_strdup(&m->arena, opt->source);
	if ((s = fsx_confine(opt->source))) /* before anything under it is read */
		return s;
	char *site_path = fsx_join(opt->source, "content/site.yaml");
	s = site_load(&m->arena, site_path, model_shown(m, "content/site.yaml"), opt->base_url, &m->cfg);
	free(site_path);
	if (s)
		return s;
	first = model_check_folders(m, opt);
	model_plan p = { .max_bytes = model_max_bytes(m, opt),
			 .max_files = m->cfg.max_files ? m->cfg.max_files : MODEL_MAX_FILES,
			 .threads = opt->threads,
			 .drop_bodies = opt->drop_bodies,
			 .on_read = opt->on_read,
			 .on_read_ctx = opt->on_read_ctx,
			 .on_record = opt->on_record,
			 .main = { NULL, NULL, -1, &m->arena, &m->texts_arena, NULL, 0 } };
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.cond, NULL);
	for (size_t i = 0; i < m->cfg.n_languages; i++)
		model_plan_language(m, opt, &p, i);
	model_plan_finish(&p);
	if (p.too_many) {
		model_plan_end(m, &p);
		diag_error(p.too_many, 0, 0,
			   "content/ holds more than %zu files and folders (max_files); raise "
			   "max_files in %s if the site is really that large",
			   p.max_files, m->cfg.path);
		return PHARE_ERR_LIMIT;
	}
	for (size_t i = 0; i < m->cfg.n_languages; i++) {
		s = model_language(m, opt, &p, i);
		if (s && !first)
			first = s;
	}
	model_plan_end(m, &p);
	if (!first && m->cfg.missing == MISSING_FALLBACK)
		model_add_fallbacks(m);
	model_finish(m);
	return first;
}

static void model_forget_body(article *a)
{
	if (a) {
		a->body = "";
		a->body_len = 0;
	}
}

/* Every article and index text, dropped: the loaders' text arenas and the
 * texts read one by one. */
void model_drop_texts(model *m)
{
	for (size_t i = 0; i < m->n_articles; i++)
		model_forget_body(m->articles[i]);
	for (size_t l = 0; l < m->cfg.n_languages; l++) {
		model_forget_body(m->langs[l].home);
		for (size_t j = 0; j < m->langs[l].n_sections; j++)
			model_forget_body(m->langs[l].sections[j]->index);
	}
	for (size_t i = 0; i < m->n_loaders; i++)
		arena_release(&m->loaders[i].texts);
	arena_release(&m->texts_arena);
	for (size_t i = 0; i < m->n_texts; i++)
		free(m->texts[i]);
	m->n_texts = 0;
}

void model_free(model *m)
{
	for (size_t i = 0; i < m->cfg.n_languages; i++) {
		for (size_t j = 0; j < m->langs[i].n_sections; j++) {
			free(m->langs[i].sections[j]->articles);
			free(m->langs[i].sections[j]->subs);
		}
		free(m->langs[i].sections);
		free(m->langs[i].tops);
	}
	for (size_t i = 0; i < m->n_texts; i++)
		free(m->texts[i]);
	free(m->texts);
	free(m->articles);
	free(m->files);
	map_release(&m->by_path);
	map_release(&m->sections_by_path);
	map_release(&m->translations);
	for (size_t i = 0; i < m->n_loaders; i++) {
		arena_release(&m->loaders[i].strings);
		arena_release(&m->loaders[i].texts);
	}
	free(m->loaders);
	arena_release(&m->texts_arena);
	arena_release(&m->arena);
}

article *model_article(const model *m, size_t lang, const char *key)
{
	article **tr = map_get(&m->translations, key);
	return tr ? tr[lang] : NULL;
}

section *model_section(const model *m, size_t lang, const char *key)
{
	const char *code = m->cfg.languages[lang].code;
	size_t nc = strlen(code), nk = strlen(key);
	char small[256], *path = nc + nk + 2 <= sizeof(small) ? small : xmalloc(nc + nk + 2);
	memcpy(path, code, nc);
	path[nc] = '/';
	memcpy(path + nc + 1, key, nk + 1);
	section *sec = map_get(&m->sections_by_path, path);
	if (path != small)
		free(path);
	return sec;
}

article **model_translations(const model *m, const char *key)
{
	return map_get(&m->translations, key);
}

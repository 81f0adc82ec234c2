/* model.c: walks content/ and builds the site model (see model.h).
 *
 * Errors are reported as they are found and the walk goes on, so an author
 * sees every broken file in one build; model_load fails at the end. */
#include "content/model.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/workers.h"
#include "util/xalloc.h"

/* Section names that would collide with pages phare makes itself. */
static const char *const model_reserved[] = { "compare", "decide", "search", "assets", NULL };

#define MODEL_END ((const char *)NULL) /* a pointer, as a variadic list needs */
static char *model_cat(arena *a, ...) __attribute__((sentinel));

const char *model_shown(model *m, const char *rel)
{
	if (strcmp(m->source, ".") == 0)
		return arena_strdup(&m->arena, rel);
	return model_cat(&m->arena, m->source, "/", rel, MODEL_END);
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

/* The concatenation of the strings given, up to MODEL_END, in a: what
 * arena_printf("%s%s…") makes, without formatting twice (20,000 articles
 * each get a path, a key and a URL). */
static char *model_cat(arena *a, ...)
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

/* ---- loading on every core ----
 * Reading, hashing and parsing 20,000 files one after another left the
 * other cores idle.  So the load has two passes:
 *  1. the plan (model_plan_*) lists the language and section folders in the
 *     order the walk visits them, each with a job for every entry the walk
 *     will look at (each entry of a section, a language's _index.md), and
 *     publishes them one by one.  It says nothing;
 *  2. the walk (model_language, model_section) runs on the main thread in
 *     that order, says everything, and takes each entry's job when it gets
 *     there.
 * Helper threads start on the first folders while the plan lists the rest,
 * and the main thread, rather than wait for a job, runs the next one nobody
 * has taken.  A job opens, stats, reads, hashes and parses one file
 * (article_parse_held) in its runner's own arena, and prints nothing: its
 * messages are kept and the walk prints them when it takes the job, so what
 * is said, and in which order, is what a serial load says.  What a job
 * cannot do (a file it cannot open or read, a front matter only libyaml
 * reads) is left to the walk, which does it as before and reports. */

#define MODEL_MAX_HELPERS 7
#define MODEL_MIN_JOBS 16 /* fewer: not worth a thread */

typedef enum model_kind { MODEL_UNKNOWN, MODEL_DIR, MODEL_FILE } model_kind;

typedef struct model_dir model_dir;

/* One entry of a folder, as a job: what the walk needs to know of it. */
typedef struct model_job {
	const model_dir *dir;
	const char *name;      /* the entry */
	model_kind kind;       /* MODEL_UNKNOWN: the walk looks itself */
	char *text;            /* a Markdown file read (in its runner's arena), or NULL: the walk reads it */
	size_t len;
	article *art;          /* text parsed, its messages held */
	article_held held;
	const char *site_path; /* articles: "fr/virtualisation/lxc" */
	atomic_bool done;
} model_job;

/* A folder the walk reads: content/<lang> or content/<lang>/<section>. */
struct model_dir {
	char *full;          /* as opened: <source>/content/... */
	char **names;        /* its entries (fsx_list), or NULL */
	bool *is_dir;        /* language folders: which entries are folders */
	const char *rel;     /* "content/fr/virtualisation" */
	const char *shown;   /* model_shown(rel) */
	/* sections only (name NULL for a language folder): */
	const char *name;    /* in URLs: "virtualisation" (lowercase) */
	const char *path;    /* "fr/virtualisation/" */
	const char *url;     /* "<base>fr/virtualisation/" */
	size_t key_at;       /* where the section name starts in path */
	model_job *jobs;     /* sections: one per name; languages: their _index.md, if any */
	size_t n_jobs;
	atomic_size_t taken; /* jobs handed to a runner so far */
	model_dir *next;     /* the next folder planned (under the plan's lock) */
};

/* A thread running jobs: the folder it takes them from, and that folder
 * open, so that entries are opened relative to it (which spares the kernel
 * a walk of the whole path for every file). */
typedef struct model_runner {
	model_dir *dir;
	const model_dir *fd_dir;
	int fd;
	arena *arena; /* where its jobs' strings go */
	arena *texts; /* where its jobs' file texts go (model_drop_texts) */
} model_runner;

typedef struct model_plan model_plan;
typedef struct model_helper {
	model_plan *plan;
	model_arenas mem;
} model_helper;

struct model_plan {
	/* under lock, with cond: a folder published, the plan finished, a job done */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	model_dir *first, *last; /* the folders, in the walk's order */
	bool planned;
	size_t n_jobs;           /* published (main thread only) */
	model_dir *lang_dir[SITE_MAX_LANGUAGES];
	model_dir *walked;       /* the walk's last section */
	size_t max_bytes;
	int threads;             /* runners wanted, main thread included; 0: one per core */
	model_runner main;
	workers helper_threads;  /* running helpers[0..n_helpers) */
	model_helper helpers[MODEL_MAX_HELPERS];
	int n_helpers;
};

/* The largest Markdown file accepted: the caller's, site.yaml's, or the default. */
static size_t model_max_bytes(const model *m, const model_options *opt)
{
	return opt->max_article_bytes ? opt->max_article_bytes
		: m->cfg.max_article_bytes ? m->cfg.max_article_bytes : MODEL_MAX_ARTICLE_BYTES;
}

/* Articles need a title; _index.md files (a section's, a language's) do not. */
static bool model_needs_title(const char *name)
{
	return strcmp(name, "_index.md") != 0;
}

typedef enum model_section_check {
	MODEL_SECTION_OK,
	MODEL_SECTION_INVALID,  /* not a name for URLs */
	MODEL_SECTION_RESERVED, /* one of model_reserved */
} model_section_check;

/* Whether a folder of content/<lang> can be a section: asked by the plan and
 * by the walk, which must agree. */
static model_section_check model_check_section(const char *name)
{
	if (!model_valid_name(name))
		return MODEL_SECTION_INVALID;
	for (const char *const *r = model_reserved; *r; r++)
		if (strcasecmp(name, *r) == 0)
			return MODEL_SECTION_RESERVED;
	return MODEL_SECTION_OK;
}

/* ---- a job, on any thread ---- */

static int model_dir_fd(model_runner *r, const model_dir *d)
{
	if (r->fd >= 0 && r->fd_dir == d)
		return r->fd;
	if (r->fd >= 0)
		close(r->fd);
	r->fd = open(d->full, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	r->fd_dir = d;
	return r->fd;
}

/* The whole regular file name in folder dfd (NUL-terminated, in arena a),
 * or NULL: says nothing (the walk reads it again and says why).  *kind:
 * what it is.  In the runner's arena rather than malloc'ed one by one: the
 * texts live as long as the model, and the arena's huge pages cost one page
 * fault where 20,000 small buffers cost 25,000. */
static char *model_slurp(arena *a, int dfd, const char *name, size_t max, size_t *len, model_kind *kind)
{
	/* O_NONBLOCK: a FIFO named *.md must not hang a helper */
	int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	struct stat st;
	char *t = NULL;
	if (fstat(fd, &st) != 0)
		goto out;
	*kind = S_ISDIR(st.st_mode) ? MODEL_DIR : MODEL_FILE;
	/* an empty size may be a file that has more (fsx_read reads to EOF) */
	if (!S_ISREG(st.st_mode) || st.st_size == 0 || (size_t)st.st_size > max)
		goto out;
	size_t size = (size_t)st.st_size, got = 0;
	t = arena_alloc(a, size + 1);
	while (got < size) {
		ssize_t r = read(fd, t + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			t = NULL; /* its room stays in the arena: rare */
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

/* An article's slug, key, URL and site path, which only its folder and file
 * name make. */
static void model_name_article(arena *a, model_job *j)
{
	char *slug = model_lower(arena_strndup(a, j->name, strlen(j->name) - 3));
	j->art->slug = slug;
	j->site_path = model_cat(a, j->dir->path, slug, MODEL_END);
	j->art->key = j->site_path + j->dir->key_at;
	j->art->url = model_cat(a, j->dir->url, slug, "/", MODEL_END);
}

static void model_job_parse(model_job *j, arena *a)
{
	bool need_title = model_needs_title(j->name);
	j->art = arena_alloc(a, sizeof(article));
	article_parse_held(a, model_cat(a, j->dir->shown, "/", j->name, MODEL_END), j->text, j->len,
			   need_title, j->art, &j->held);
	if (need_title && j->dir->name)
		model_name_article(a, j);
}

static void model_job_run(const model_plan *p, model_job *j, model_runner *r)
{
	int dfd = model_dir_fd(r, j->dir);
	if (dfd < 0)
		return;
	if (!model_ends_with(j->name, ".md")) {
		struct stat st; /* the walk only asks whether it is a folder */
		if (fstatat(dfd, j->name, &st, 0) == 0)
			j->kind = S_ISDIR(st.st_mode) ? MODEL_DIR : MODEL_FILE;
		return;
	}
	j->text = model_slurp(r->texts, dfd, j->name, p->max_bytes, &j->len, &j->kind);
	if (j->text)
		model_job_parse(j, r->arena);
}

/* The next job nobody has taken, in the plan's order; NULL when there is
 * none.  wait: until the plan has published more, or finished. */
static model_job *model_claim(model_plan *p, model_runner *r, bool wait)
{
	for (;;) {
		if (r->dir) {
			size_t i = atomic_fetch_add(&r->dir->taken, 1);
			if (i < r->dir->n_jobs)
				return &r->dir->jobs[i];
		}
		pthread_mutex_lock(&p->lock);
		model_dir *next;
		while (!(next = r->dir ? r->dir->next : p->first) && !p->planned && wait)
			pthread_cond_wait(&p->cond, &p->lock);
		pthread_mutex_unlock(&p->lock);
		if (!next)
			return NULL;
		r->dir = next;
	}
}

static void *model_helper_main(void *arg)
{
	model_helper *h = arg;
	model_plan *p = h->plan;
	model_runner r = { NULL, NULL, -1, &h->mem.strings, &h->mem.texts };
	for (model_job *j; (j = model_claim(p, &r, true));) {
		model_job_run(p, j, &r);
		pthread_mutex_lock(&p->lock);
		atomic_store_explicit(&j->done, true, memory_order_release);
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
	}
	if (r.fd >= 0)
		close(r.fd);
	return NULL;
}

/* ---- the plan: pass 1, on the main thread ---- */

static void model_plan_helpers(model_plan *p)
{
	int want = workers_count(p->threads) - 1; /* the main thread walks */
	if (want > MODEL_MAX_HELPERS)
		want = MODEL_MAX_HELPERS;
	for (int i = 0; i < want; i++)
		p->helpers[i].plan = p;
	p->n_helpers = workers_start(&p->helper_threads, want, model_helper_main, p->helpers,
				     sizeof(model_helper));
}

/* Folder rel, listed, with no jobs yet. */
static model_dir *model_plan_dir(model *m, const model_options *opt, const char *rel)
{
	model_dir *d = xcalloc(1, sizeof(*d));
	d->rel = rel;
	d->shown = model_shown(m, rel);
	d->full = fsx_join(opt->source, rel);
	d->names = fsx_list(d->full);
	atomic_init(&d->taken, 0);
	return d;
}

static void model_plan_jobs(model_dir *d, size_t n)
{
	d->jobs = xcalloc(n ? n : 1, sizeof(model_job));
	d->n_jobs = n;
	for (size_t i = 0; i < n; i++) {
		d->jobs[i].dir = d;
		atomic_init(&d->jobs[i].done, false);
	}
}

/* Hands folder d, jobs ready, to the runners; starts the helpers once
 * there is enough to do. */
static void model_plan_publish(model_plan *p, model_dir *d)
{
	pthread_mutex_lock(&p->lock);
	if (p->last)
		p->last->next = d;
	else
		p->first = d;
	p->last = d;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	bool enough_before = p->n_jobs >= MODEL_MIN_JOBS;
	p->n_jobs += d->n_jobs;
	if (!enough_before && p->n_jobs >= MODEL_MIN_JOBS)
		model_plan_helpers(p);
}

/* Section folder name of language folder ld: a job per entry. */
static void model_plan_section(model *m, const model_options *opt, model_plan *p, size_t lang,
			       const model_dir *ld, const char *name)
{
	const char *code = m->cfg.languages[lang].code;
	model_dir *d = model_plan_dir(m, opt, model_cat(&m->arena, ld->rel, "/", name, MODEL_END));
	d->name = model_lower(arena_strdup(&m->arena, name));
	d->path = model_cat(&m->arena, code, "/", d->name, "/", MODEL_END);
	d->key_at = strlen(code) + 1;
	d->url = model_cat(&m->arena, m->cfg.base, d->path, MODEL_END);
	size_t n = 0;
	while (d->names && d->names[n])
		n++;
	model_plan_jobs(d, n);
	for (size_t i = 0; i < n; i++)
		d->jobs[i].name = d->names[i];
	model_plan_publish(p, d);
}

/* content/<lang>: its _index.md, and the sections the walk will read. */
static void model_plan_language(model *m, const model_options *opt, model_plan *p, size_t lang)
{
	const char *code = m->cfg.languages[lang].code;
	model_dir *d = model_plan_dir(m, opt, model_cat(&m->arena, "content/", code, MODEL_END));
	p->lang_dir[lang] = d;
	size_t n = 0, home = SIZE_MAX;
	for (; d->names && d->names[n]; n++)
		if (strcmp(d->names[n], "_index.md") == 0)
			home = n;
	model_plan_jobs(d, home != SIZE_MAX);
	if (home != SIZE_MAX)
		d->jobs[0].name = d->names[home];
	model_plan_publish(p, d);
	d->is_dir = xcalloc(n + 1, sizeof(bool)); /* read by the walk only */
	for (size_t i = 0; i < n; i++) {
		if (i == home)
			continue;
		char *full = fsx_join(d->full, d->names[i]);
		d->is_dir[i] = fsx_is_dir(full);
		free(full);
		if (d->is_dir[i] && model_check_section(d->names[i]) == MODEL_SECTION_OK)
			model_plan_section(m, opt, p, lang, d, d->names[i]);
	}
}

static void model_plan_finish(model_plan *p)
{
	pthread_mutex_lock(&p->lock);
	p->planned = true;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

/* Job j, done: by a helper, or here.  Rather than wait, the main thread
 * runs the next job nobody has taken (this one, or one further on). */
static model_job *model_take(model_plan *p, model_job *j)
{
	while (!atomic_load_explicit(&j->done, memory_order_acquire)) {
		model_job *next = model_claim(p, &p->main, false);
		if (next) {
			model_job_run(p, next, &p->main);
			atomic_store_explicit(&next->done, true, memory_order_release);
			continue;
		}
		pthread_mutex_lock(&p->lock);
		while (!atomic_load_explicit(&j->done, memory_order_acquire))
			pthread_cond_wait(&p->cond, &p->lock);
		pthread_mutex_unlock(&p->lock);
	}
	return j;
}

/* The walk's next section folder (they come in the plan's order). */
static const model_dir *model_next_section(model_plan *p)
{
	model_dir *d = p->walked ? p->walked->next : p->first;
	while (!d->name)
		d = d->next;
	return p->walked = d;
}

/* Waits for the helpers, gives their arenas to the model, frees the plan. */
static void model_plan_end(model *m, model_plan *p)
{
	workers_join(&p->helper_threads);
	if (p->n_helpers) {
		m->loaders = xcalloc((size_t)p->n_helpers, sizeof(model_arenas));
		for (int i = 0; i < p->n_helpers; i++)
			m->loaders[m->n_loaders++] = p->helpers[i].mem;
	}
	for (model_dir *d = p->first, *next; d; d = next) {
		next = d->next;
		free(d->jobs);
		free(d->full);
		fsx_free_list(d->names);
		free(d->is_dir);
		free(d);
	}
	if (p->main.fd >= 0)
		close(p->main.fd);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
}

/* ---- the walk: pass 2, on the main thread, in order ---- */

/* Takes job j's file and its parse: the helper's, or, where it could not
 * read the file, reads it here (saying why it cannot be) and parses it. */
static phare_status model_read(model *m, model_plan *p, model_job *j, article **out)
{
	model_take(p, j);
	if (!j->text) {
		char *full = fsx_join(j->dir->full, j->name);
		buf text = BUF_INIT;
		phare_status s = fsx_read(full, &text, p->max_bytes);
		free(full);
		if (s) {
			buf_release(&text);
			return s;
		}
		j->text = buf_detach(&text, &j->len);
		m->texts = xgrow(m->texts, &m->cap_texts, m->n_texts + 1, sizeof(char *));
		m->texts[m->n_texts++] = j->text;
		model_job_parse(j, &m->arena);
	}
	j->text = NULL; /* in an arena, or in m->texts */
	phare_status s = article_finish(&m->arena, j->art, model_needs_title(j->name), &j->held);
	if (s)
		return s;
	*out = j->art;
	return PHARE_OK;
}

static bool model_job_is_dir(model_plan *p, model_job *j)
{
	model_take(p, j);
	if (j->kind != MODEL_UNKNOWN)
		return j->kind == MODEL_DIR;
	char *full = fsx_join(j->dir->full, j->name);
	bool is_dir = fsx_is_dir(full);
	free(full);
	return is_dir;
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

/* An image or other file beside the Markdown, copied to dest. */
static void model_add_file(model *m, const model_dir *d, const char *name, const char *dest)
{
	m->files = xgrow(m->files, &m->cap_files, m->n_files + 1, sizeof(static_file));
	char *src = fsx_join(d->full, name);
	m->files[m->n_files++] = (static_file){ arena_strdup(&m->arena, src), arena_strdup(&m->arena, dest) };
	free(src);
}

/* What is said of entry name of folder d: its path under the source. */
static const char *model_shown_entry(model *m, const model_dir *d, const char *name)
{
	return model_cat(&m->arena, d->shown, "/", name, MODEL_END);
}

static phare_status model_article_file(model *m, const model_options *opt, model_plan *p, section *sec,
				       model_job *j)
{
	article *a = NULL;
	phare_status s = model_read(m, p, j, &a);
	if (s)
		return s;
	if (a->draft && !opt->drafts)
		return PHARE_OK;
	a->lang = sec->lang;
	a->section = sec->name;
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

static section *model_new_section(model *m, size_t lang, const char *name)
{
	lang_site *ls = &m->langs[lang];
	const char *code = m->cfg.languages[lang].code;
	section *sec = arena_alloc(&m->arena, sizeof(*sec));
	sec->name = name;
	sec->lang = lang;
	sec->title = name;
	sec->description = "";
	sec->url = model_cat(&m->arena, m->cfg.base, code, "/", name, "/", MODEL_END);
	map_put(&m->sections_by_path, model_cat(&m->arena, code, "/", name, MODEL_END), sec);
	ls->sections = xgrow(ls->sections, &ls->cap_sections, ls->n_sections + 1, sizeof(section *));
	ls->sections[ls->n_sections++] = sec;
	return sec;
}

/* One entry of a section folder: job j. */
static phare_status model_section_entry(model *m, const model_options *opt, model_plan *p, section *sec,
					model_job *j, const char *folder)
{
	const model_dir *d = j->dir;
	if (strcmp(j->name, "_index.md") == 0) {
		phare_status s = model_read(m, p, j, &sec->index);
		if (!s && sec->index->title) {
			sec->title = sec->index->title;
			sec->description = sec->index->description;
			sec->weight = sec->index->weight;
			sec->has_weight = sec->index->has_weight;
		}
		return s;
	}
	if (model_job_is_dir(p, j)) {
		diag_error(model_shown_entry(m, d, j->name), 0, 0, "folders inside a section are not read; "
			   "articles live at content/<lang>/<section>/<slug>.md");
		return PHARE_ERR_INPUT;
	}
	if (model_ends_with(j->name, ".md"))
		return model_article_file(m, opt, p, sec, j);
	if (j->name[0] != '.') {
		const char *code = m->cfg.languages[sec->lang].code;
		model_add_file(m, d, j->name, model_cat(&m->arena, code, "/", folder, "/", j->name, MODEL_END));
	}
	return PHARE_OK;
}

/* The folder name of language folder ld as a section. */
static phare_status model_section(model *m, const model_options *opt, model_plan *p, size_t lang,
				  const model_dir *ld, const char *name)
{
	const char *code = m->cfg.languages[lang].code;
	phare_status s, first = PHARE_OK;
	switch (model_check_section(name)) {
	case MODEL_SECTION_INVALID:
		diag_error(model_shown_entry(m, ld, name), 0, 0, "'%s' cannot be a section's folder name: use "
			   "letters, digits, '-' and '_' (it becomes the URL)", name);
		return PHARE_ERR_INPUT;
	case MODEL_SECTION_RESERVED:
		diag_error(model_shown_entry(m, ld, name), 0, 0, "'%s' is reserved for pages phare makes "
			   "(/%s/%s/); rename the section", name, code, name);
		return PHARE_ERR_INPUT;
	case MODEL_SECTION_OK:
		break;
	}
	const model_dir *d = model_next_section(p);
	section *sec = model_new_section(m, lang, d->name);
	for (size_t i = 0; i < d->n_jobs; i++)
		if ((s = model_section_entry(m, opt, p, sec, &d->jobs[i], name)) && !first)
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
	if (!d->names) {
		diag_warning(d->shown, 0, 0, "no folder for language '%s'; its site will be empty", code);
		return PHARE_OK;
	}
	for (size_t i = 0; d->names[i]; i++) {
		const char *name = d->names[i];
		if (strcmp(name, "_index.md") == 0)
			s = model_read(m, p, &d->jobs[0], &ls->home);
		else if (d->is_dir[i])
			s = model_section(m, opt, p, lang, d, name);
		else if (model_ends_with(name, ".md")) {
			diag_error(model_shown_entry(m, d, name), 0, 0, "articles go in a section folder: move it to "
				   "content/%s/<section>/%s", code, name);
			s = PHARE_ERR_INPUT;
		} else if (name[0] != '.')
			model_add_file(m, d, name, model_cat(&m->arena, code, "/", name, MODEL_END));
		if (s && !first)
			first = s;
		s = PHARE_OK;
	}
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
				section *sec = map_get(&m->sections_by_path, model_cat(&m->arena, code, "/", dsec->name, MODEL_END));
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
	model_plan p = { .max_bytes = model_max_bytes(m, opt), .threads = opt->threads, .main = { NULL, NULL, -1, &m->arena, &m->texts_arena } };
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.cond, NULL);
	for (size_t i = 0; i < m->cfg.n_languages; i++)
		model_plan_language(m, opt, &p, i);
	model_plan_finish(&p);
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

article **model_translations(const model *m, const char *key)
{
	return map_get(&m->translations, key);
}

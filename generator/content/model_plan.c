/* model_plan.c: the content read on every core, ahead of the walk (model.c).
 *
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
 * (article_parse_held) in its runner's own arena, or, for an article whose
 * bytes the build cache has a record of, restores that parse from it
 * without opening the file (model_job_restore), and prints nothing: its
 * messages are kept and the walk prints them when it takes the job, so what
 * is said, and in which order, is what a serial load says.  What a job
 * cannot do (a file it cannot open or read, a front matter only libyaml
 * reads) is left to the walk, which does it as before and reports. */
#include "content/model_int.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fsx.h"
#include "util/xalloc.h"

/* Section names that would collide with pages phare makes itself. */
static const char *const model_reserved[] = { "compare", "decide", "search", "assets", NULL };

#define MODEL_MIN_JOBS 16 /* fewer: not worth a thread */

/* The largest Markdown file accepted: the caller's, site.yaml's, or the default. */
size_t model_max_bytes(const model *m, const model_options *opt)
{
	return opt->max_article_bytes     ? opt->max_article_bytes
	       : m->cfg.max_article_bytes ? m->cfg.max_article_bytes
					  : MODEL_MAX_ARTICLE_BYTES;
}

/* Articles need a title; _index.md files (a section's, a language's) do not. */
bool model_needs_title(const char *name) { return strcmp(name, "_index.md") != 0; }

/* Whether a folder depth levels below content/<lang> can be a section:
 * asked by the plan and by the walk, which must agree. */
model_section_check model_check_section(const char *name, int depth)
{
	if (!model_valid_name(name))
		return MODEL_SECTION_INVALID;
	for (const char *const *r = model_reserved; depth == 1 && *r; r++)
		if (strcasecmp(name, *r) == 0)
			return MODEL_SECTION_RESERVED;
	return MODEL_SECTION_OK;
}

bool model_is_planned_section(const model_dir *d, size_t i)
{
	return d->is_dir[i] && d->depth < MODEL_MAX_DEPTH &&
	       model_check_section(d->names[i], d->depth + 1) == MODEL_SECTION_OK;
}

/* ---- a job, on any thread ---- */

static int model_dir_fd(model_runner *r, const model_dir *d)
{
	if (r->fd >= 0 && r->fd_dir == d)
		return r->fd;
	if (r->fd >= 0)
		close(r->fd);
	r->fd = fsx_open(d->full, O_RDONLY | O_DIRECTORY);
	r->fd_dir = d;
	return r->fd;
}

/* Room for a file of size bytes and its NUL: in the runner's text arena
 * when the text is kept (its huge pages cost one page fault where 20,000
 * small buffers cost 25,000), else in its scratch buffer, reused. */
static char *model_text_room(model_runner *r, bool keep, size_t size)
{
	if (keep)
		return arena_alloc_raw(r->texts, size + 1);
	if (r->scratch_cap < size + 1) {
		free(r->scratch);
		r->scratch_cap = size + 1 > 65536 ? size + 1 : 65536;
		r->scratch = xmalloc(r->scratch_cap);
	}
	return r->scratch;
}

/* The whole regular file name in folder dfd (NUL-terminated, see
 * model_text_room), or NULL: says nothing (the walk reads it again and
 * says why).  *kind: what it is. */
static char *model_slurp(model_runner *run, bool keep, int dfd, const char *name, size_t max, size_t *len,
			 model_kind *kind)
{
	/* O_NONBLOCK: a FIFO named *.md must not hang a helper.  Beneath the
	 * folder: a link elsewhere is left to the walk's fsx_read, which
	 * follows it if it stays in the source folder and says so if not. */
	int fd = fsx_open_beneath(dfd, name, O_RDONLY | O_NONBLOCK | O_NOCTTY);
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
	t = model_text_room(run, keep, size);
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

void model_job_parse(model_job *j, arena *a, bool drop)
{
	bool need_title = model_needs_title(j->name);
	j->art = arena_alloc(a, sizeof(article));
	article_parse_held(a, model_cat(a, j->dir->shown, "/", j->name, MODEL_END), j->text, j->len, need_title, j->art,
			   &j->held);
	if (need_title && j->dir->name)
		model_name_article(a, j);
	if (drop) {
		/* the front matter strings are copies already; the body is read
		 * again when the page renders (model_options drop_bodies) */
		if (j->held.fm)
			j->held.fm = arena_strndup(a, j->held.fm, j->held.fm_len);
		j->art->body = NULL;
		j->text = NULL;
	}
}

bool model_job_drops(const model_plan *p, const model_job *j)
{
	return p->drop_bodies && model_needs_title(j->name) && atomic_load(&p->kept) >= MODEL_KEPT_BODIES;
}

void model_job_kept(model_plan *p, size_t len)
{
	if (p->drop_bodies)
		atomic_fetch_add(&p->kept, len);
}

/* An article the build cache saw parsed, bytes for bytes as the file is
 * now: restored from its record, the file not opened (model_options
 * on_record).  A record that does not read whole, or is of a file the walk
 * would refuse (empty, too large), is not used: the file is read. */
static bool model_job_restore(model_plan *p, model_job *j, arena *a)
{
	if (!p->on_record || !j->dir->name || !model_needs_title(j->name) || !model_ends_with(j->name, ".md"))
		return false;
	size_t len = 0;
	const void *rec = p->on_record(p->on_read_ctx, j->dir->full, j->name, &len);
	if (!rec)
		return false;
	article *art = arena_alloc(a, sizeof(article));
	const char *path = model_cat(a, j->dir->shown, "/", j->name, MODEL_END);
	if (!article_unpack(a, path, rec, len, art, &j->held))
		return false;
	size_t size = art->body_off + art->body_len;
	if (size == 0 || size > p->max_bytes)
		return false;
	j->art = art;
	j->kind = MODEL_FILE;
	model_name_article(a, j);
	return true;
}

static void model_job_run(model_plan *p, model_job *j, model_runner *r)
{
	if (model_job_restore(p, j, r->arena))
		return;
	int dfd = model_dir_fd(r, j->dir);
	if (dfd < 0)
		return;
	if (!model_ends_with(j->name, ".md")) {
		struct stat st; /* the walk only asks whether it is a folder */
		int fd = fsx_open_beneath(dfd, j->name, O_PATH);
		if (fd >= 0 && fstat(fd, &st) == 0)
			j->kind = S_ISDIR(st.st_mode) ? MODEL_DIR : MODEL_FILE;
		if (fd >= 0)
			close(fd);
		return;
	}
	bool drop = model_job_drops(p, j);
	j->text = model_slurp(r, !drop, dfd, j->name, p->max_bytes, &j->len, &j->kind);
	if (!j->text)
		return;
	if (p->on_read)
		p->on_read(p->on_read_ctx, j->dir->full, j->name, j->text, j->len);
	if (!drop)
		model_job_kept(p, j->len);
	model_job_parse(j, r->arena, drop);
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
	model_runner r = { NULL, NULL, -1, &h->mem.strings, &h->mem.texts, NULL, 0 };
	for (model_job *j; (j = model_claim(p, &r, true));) {
		model_job_run(p, j, &r);
		pthread_mutex_lock(&p->lock);
		atomic_store_explicit(&j->done, true, memory_order_release);
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
	}
	if (r.fd >= 0)
		close(r.fd);
	free(r.scratch);
	return NULL;
}

/* ---- the plan: pass 1, on the main thread ---- */

static void model_plan_helpers(model_plan *p)
{
	int want = workers_count(p->threads) - 1; /* the main thread walks */
	if (want > MODEL_MAX_HELPERS)
		want = MODEL_MAX_HELPERS;
	for (int i = 0; i < want; i++) {
		p->helpers[i].plan = p;
		arena_expect_big(&p->helpers[i].mem.strings);
		arena_expect_big(&p->helpers[i].mem.texts);
	}
	p->n_helpers = workers_start(&p->helper_threads, want, model_helper_main, p->helpers, sizeof(model_helper));
}

/* Folder rel, listed, with no jobs yet.  Past max_files entries in all,
 * the rest of the tree is not listed (nor read): model_load says so. */
static model_dir *model_plan_dir(model *m, const model_options *opt, model_plan *p, const char *rel)
{
	model_dir *d = xcalloc(1, sizeof(*d));
	d->rel = rel;
	d->shown = model_shown(m, rel);
	d->full = fsx_join(opt->source, rel);
	atomic_init(&d->taken, 0);
	if (p->too_many)
		return d;
	d->names = opt->listed ? opt->listed(opt->on_read_ctx, rel) : NULL;
	if (!d->names)
		d->names = fsx_list(d->full);
	for (size_t i = 0; d->names && d->names[i]; i++)
		p->entries++;
	if (p->entries > p->max_files) {
		p->too_many = d->shown;
		fsx_free_list(d->names);
		d->names = NULL;
	}
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

/* Which entries of d are folders: every one of a language folder; in a
 * section, those not named *.md (a folder so named is read as an article,
 * and said not to be a file), so that a flat section of 10,000 articles
 * costs no stat here. */
static void model_plan_kinds(model_dir *d, size_t n, bool all)
{
	d->is_dir = xcalloc(n + 1, sizeof(bool)); /* read by the walk */
	for (size_t i = 0; i < n; i++) {
		const char *name = d->names[i];
		if (name[0] == '.' || strcmp(name, "_index.md") == 0 || (!all && model_ends_with(name, ".md")))
			continue;
		char *full = fsx_join(d->full, name);
		d->is_dir[i] = fsx_is_dir(full);
		free(full);
	}
}

/* Section folder name of folder parent: a job per entry, then its
 * sub-sections, depth first (the walk's order). */
static void model_plan_section(model *m, const model_options *opt, model_plan *p, const model_dir *parent,
			       const char *name)
{
	const char *code_end = strchr(parent->path, '/');
	model_dir *d = model_plan_dir(m, opt, p, model_cat(&m->arena, parent->rel, "/", name, MODEL_END));
	d->depth = parent->depth + 1;
	d->name = model_lower(arena_strdup(&m->arena, name));
	d->path = model_cat(&m->arena, parent->path, d->name, "/", MODEL_END);
	d->key_at = (size_t)(code_end - parent->path) + 1;
	d->url = model_cat(&m->arena, m->cfg.base, d->path, MODEL_END);
	size_t n = 0;
	while (d->names && d->names[n])
		n++;
	model_plan_jobs(d, n);
	for (size_t i = 0; i < n; i++)
		d->jobs[i].name = d->names[i];
	model_plan_publish(p, d);
	model_plan_kinds(d, n, false);
	for (size_t i = 0; i < n; i++)
		if (model_is_planned_section(d, i))
			model_plan_section(m, opt, p, d, d->names[i]);
}

/* content/<lang>: its _index.md, and the sections the walk will read. */
void model_plan_language(model *m, const model_options *opt, model_plan *p, size_t lang)
{
	const char *code = m->cfg.languages[lang].code;
	model_dir *d = model_plan_dir(m, opt, p, model_cat(&m->arena, "content/", code, MODEL_END));
	d->path = model_cat(&m->arena, code, "/", MODEL_END);
	p->lang_dir[lang] = d;
	size_t n = 0, home = SIZE_MAX;
	for (; d->names && d->names[n]; n++)
		if (strcmp(d->names[n], "_index.md") == 0)
			home = n;
	model_plan_jobs(d, home != SIZE_MAX);
	if (home != SIZE_MAX)
		d->jobs[0].name = d->names[home];
	model_plan_publish(p, d);
	model_plan_kinds(d, n, true);
	for (size_t i = 0; i < n; i++)
		if (model_is_planned_section(d, i))
			model_plan_section(m, opt, p, d, d->names[i]);
}

void model_plan_finish(model_plan *p)
{
	pthread_mutex_lock(&p->lock);
	p->planned = true;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

/* Job j, done: by a helper, or here.  Rather than wait, the main thread
 * runs the next job nobody has taken (this one, or one further on). */
model_job *model_take(model_plan *p, model_job *j)
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
const model_dir *model_next_section(model_plan *p)
{
	model_dir *d = p->walked ? p->walked->next : p->first;
	while (!d->name)
		d = d->next;
	return p->walked = d;
}

/* Waits for the helpers, gives their arenas to the model, frees the plan. */
void model_plan_end(model *m, model_plan *p)
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
	free(p->main.scratch);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
}

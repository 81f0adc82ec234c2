/* cache_sources.c: the build cache's view of the sources (content/,
 * templates/, rules/): the stat cache that says which files are the bytes
 * the last build hashed, the walk that hashes them at the start of a build,
 * and the model's hooks (cache.h).  See cache_int.h for the other files. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build/cache_int.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/workers.h"
#include "util/xalloc.h"

/* ---- the stat cache of the sources, in the index (its own section) ---- */

/* The section after the entries: when the walk began, then each file: its
 * path front-coded (record_put_after: the walk's order is near byte
 * order), its small numbers as varints, its times and hashes whole. */
void cache_get_sources(cache *c, builder *b, record_reader *r)
{
	c->old_src_time = record_get_u64(r);
	uint64_t n = record_get_u64(r);
	if (r->bad || n > (uint64_t)(r->end - r->p) / 32) {
		r->bad = true;
		return;
	}
	c->old_src = xcalloc((size_t)n + 1, sizeof(cache_src));
	char rel[PATH_MAX];
	size_t len = 0;
	for (size_t i = 0; i < n && record_get_after(r, rel, sizeof rel, &len); i++) {
		cache_src *f = &c->old_src[i];
		f->rel = arena_strndup(&b->arena, rel, len);
		uint64_t *small[] = { &f->dev, &f->ino, &f->size, &f->rec_off, &f->rec_len };
		for (size_t k = 0; k < sizeof small / sizeof small[0]; k++)
			*small[k] = record_get_varint(r);
		uint64_t *whole[] = { &f->mtime, &f->ctime, &f->hash, &f->rec_sum };
		for (size_t k = 0; k < sizeof whole / sizeof whole[0]; k++)
			*whole[k] = record_get_u64(r);
		c->n_old_src = i + 1;
		if (f->rec_len) { /* checked with the pages' records (cache_map_records) */
			c->old_models = xgrow(c->old_models, &c->cap_old_models, c->n_old_models + 1,
					      sizeof(cache_place));
			c->old_models[c->n_old_models++] = (cache_place){ f->rec_off, f->rec_len, f->rec_sum };
			c->live += f->rec_len;
		}
	}
}

void cache_put_sources(const cache *c, buf *o)
{
	static const cache_slot none = { 0 };
	size_t n = 0;
	for (size_t i = 0; i < c->n_srcs; i++)
		n += c->srcs[i].hash != 0;
	record_put_u64(o, c->src_time);
	record_put_u64(o, n);
	const char *last = "";
	for (size_t i = 0; i < c->n_srcs; i++) {
		const cache_src *f = &c->srcs[i];
		if (!f->hash)
			continue; /* not read: no hash to keep */
		record_put_after(o, last, f->rel);
		last = f->rel;
		const cache_slot *m = c->model_slots && c->model_slots[i].done ? &c->model_slots[i] : &none;
		const uint64_t small[] = { f->dev, f->ino, f->size, m->off, m->len };
		for (size_t k = 0; k < sizeof small / sizeof small[0]; k++)
			record_put_varint(o, small[k]);
		const uint64_t whole[] = { f->mtime, f->ctime, f->hash, m->sum };
		for (size_t k = 0; k < sizeof whole / sizeof whole[0]; k++)
			record_put_u64(o, whole[k]);
	}
}

/* The previous stat cache, not to be trusted (the index that held it is not). */
void cache_drop_sources(cache *c)
{
	map_release(&c->old_srcs);
	memset(&c->old_srcs, 0, sizeof c->old_srcs);
	free(c->old_src);
	c->old_src = NULL;
	c->n_old_src = c->old_next = 0;
}

/* The previous index's model records, once checked (or not to be). */
void cache_drop_models(cache *c)
{
	free(c->old_models);
	c->old_models = NULL;
	c->n_old_models = c->cap_old_models = 0;
}

/* The hash of the bytes of source file rel under root (the source folder,
 * st its lstat): the previous walk's when its stat fields are the same
 * and it was settled (cache_settled: changed more than CACHE_RACY_NS
 * before the walk that recorded it began; when that walk began, not when
 * the index was written: a file edited just after the walk saw it has a
 * time after that beginning, however long the build took), else
 * CACHE_LATER (read once the walk ends, cache_hash_later), or, when the
 * hashing is deferred to the model's reading (c->defer), CACHE_PENDING
 * (cache_settle).  Recorded for the next walk. */
#define CACHE_PENDING UINT64_C(2) /* never a hash: those end in a 1 bit */
#define CACHE_LATER UINT64_C(4)

typedef struct cache_later {
	size_t src;   /* in c->srcs */
	uint64_t old; /* the previous walk's hash of it (0: none) */
} cache_later;

/* The previous walk's entry of rel, or NULL.  This walk goes the same way:
 * the next entry is the one, but after a file added or removed. */
static const cache_src *cache_old_src(cache *c, const char *rel)
{
	if (!c->old_srcs.len && c->old_next < c->n_old_src && strcmp(c->old_src[c->old_next].rel, rel) == 0)
		return &c->old_src[c->old_next++];
	if (!c->old_srcs.len)
		for (size_t i = 0; i < c->n_old_src; i++)
			map_put(&c->old_srcs, c->old_src[i].rel, &c->old_src[i]);
	return map_get(&c->old_srcs, rel);
}

static uint64_t cache_src_hash(cache *c, const char *root, char *rel, const cache_seen *seen)
{
	cache_src now = {
		.dev = seen->dev, .ino = seen->ino, .size = seen->size, .mtime = seen->mtime, .ctime = seen->ctime
	};
	const cache_src *old = cache_old_src(c, rel);
	if (old &&
	    cache_settled(seen, &(cache_seen){ old->ino, old->size, old->mtime, old->dev, old->ctime, seen->mode },
			  c->old_src_time, CACHE_RACY_NS)) {
		now.hash = old->hash;
	} else if (!c->defer) {
		now.hash = CACHE_LATER;
	}
	if (old && (now.hash == old->hash || now.hash == CACHE_LATER)) {
		/* the same bytes (when later, if they are): the model record of them holds */
		now.rec_off = old->rec_off;
		now.rec_len = old->rec_len;
		now.rec_sum = old->rec_sum;
	}
	now.rel = rel;
	c->srcs = xgrow(c->srcs, &c->cap_srcs, c->n_srcs + 1, sizeof(cache_src));
	c->srcs[c->n_srcs++] = now;
	if (now.hash == CACHE_LATER) {
		c->later = xgrow(c->later, &c->cap_later, c->n_later + 1, sizeof *c->later);
		c->later[c->n_later++] = (cache_later){ c->n_srcs - 1, old ? old->hash : 0 };
	}
	if (now.hash)
		return now.hash;
	map_put(&c->pending, fsx_join(root, rel), (void *)(uintptr_t)c->n_srcs);
	c->n_pending++;
	return CACHE_PENDING;
}

/* ---- the walk of the sources ----
 * In two halves: what the file system says (the names, in name order, and
 * each one's stat), on a thread of its own from the build's start, while
 * the previous index is read (cache_walk_start); then, once the index is
 * there, each entry compared with the stat cache it holds (cache_inputs).
 * The first half needs nothing of the index. */

typedef enum { CACHE_WALK_TOP, CACHE_WALK_DIR, CACHE_WALK_FILE } cache_walk_kind;

/* An entry as the walk saw it: a folder phare reads (content/), a folder
 * under one, or anything else (a file; a link: never up to date). */
typedef struct cache_walked {
	char *rel; /* malloc'd; taken by c->srcs for a regular file */
	cache_seen seen;
	cache_walk_kind kind;
} cache_walked;

struct cache_walk {
	const char *root;
	cache_walked *e;
	size_t n, cap;
	map listed; /* each folder's names (cache_listing), by its rel */
	bool ok;    /* false: the walk stopped at an entry it could not look at */
	pthread_t thread;
	bool started;
};

/* A folder's names as the walk listed them, until the model takes them. */
typedef struct cache_listing {
	char *rel;
	char **names;
} cache_listing;

static void cache_walk_listed(cache_walk *w, const char *rel, char **names)
{
	cache_listing *l = xmalloc(sizeof *l);
	*l = (cache_listing){ xstrdup(rel), names };
	map_put(&w->listed, l->rel, l);
}

void cache_listings_free(map *listed)
{
	const char *key;
	void *val;
	for (size_t it = 0; map_next(listed, &it, &key, &val);) {
		cache_listing *l = val;
		fsx_free_list(l->names);
		free(l->rel);
		free(l);
	}
	map_release(listed);
}

char **cache_source_listed(void *ctx, const char *rel)
{
	cache *c = ctx;
	cache_listing *l = map_get(&c->listed, rel);
	char **names = l ? l->names : NULL;
	if (l)
		l->names = NULL; /* the model's now */
	return names;
}

static void cache_walk_add(cache_walk *w, char *rel, const struct stat *st, cache_walk_kind kind)
{
	w->e = xgrow(w->e, &w->cap, w->n + 1, sizeof *w->e);
	w->e[w->n++] = (cache_walked){ rel, cache_seen_of(st), kind };
}

static bool cache_walk_dir(cache_walk *w, DIR *d, const char *rel);

/* Folder name of the one open as at (rel under the root): looked at with
 * fstatat from there, one component a name, not the whole path again. */
static bool cache_walk_sub(cache_walk *w, int at, const char *name, const char *rel)
{
	int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	bool ok = cache_walk_dir(w, d, rel);
	closedir(d);
	return ok;
}

/* Every entry under the open folder d (rel under the root), in name order;
 * false if one cannot be looked at. */
static bool cache_walk_dir(cache_walk *w, DIR *d, const char *rel)
{
	char **names = fsx_list_open(d);
	cache_walk_listed(w, rel, names);
	bool ok = true;
	for (char **p = names; ok && *p; p++) {
		char *r = fsx_join(rel, *p);
		struct stat st;
		if (fstatat(dirfd(d), *p, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			free(r);
			ok = false;
		} else if (S_ISDIR(st.st_mode)) {
			cache_walk_add(w, r, &st, CACHE_WALK_DIR); /* r lives on in w */
			ok = cache_walk_sub(w, dirfd(d), *p, r);
		} else {
			cache_walk_add(w, r, &st, CACHE_WALK_FILE);
		}
	}
	return ok;
}

/* Every entry under the sources phare reads (content/, templates/, rules/
 * of the source folder), in name order, each folder before what it holds
 * (its stat taken before its names are read: one made later is seen); a
 * folder that is not there is no file. */
static void *cache_walk_main(void *arg)
{
	static const char *const dirs[] = { "content", "templates", "rules" };
	cache_walk *w = arg;
	w->ok = true;
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0] && w->ok; i++) {
		char *here = fsx_join(w->root, dirs[i]);
		struct stat st;
		if (lstat(here, &st) == 0 && S_ISDIR(st.st_mode))
			cache_walk_add(w, xstrdup(dirs[i]), &st, CACHE_WALK_TOP);
		DIR *d = fsx_opendir(here);
		w->ok = d ? cache_walk_dir(w, d, dirs[i]) : !fsx_is_dir(here);
		if (d)
			closedir(d);
		free(here);
	}
	return NULL;
}

void cache_walk_start(cache *c, const builder *b)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	c->src_time = cache_ns(now); /* when the walk began (cache_src_hash) */
	cache_walk *w = xcalloc(1, sizeof *w);
	w->root = b->opt->source;
	w->started = pthread_create(&w->thread, NULL, cache_walk_main, w) == 0;
	c->walk = w;
}

/* The walk, ended (by the caller if its thread could not start). */
static cache_walk *cache_walk_end(cache *c)
{
	cache_walk *w = c->walk;
	if (w->started)
		pthread_join(w->thread, NULL);
	else
		cache_walk_main(w);
	w->started = false;
	return w;
}

void cache_walk_free(cache *c)
{
	cache_walk *w = c->walk;
	if (!w)
		return;
	if (w->started)
		pthread_join(w->thread, NULL);
	for (size_t i = 0; i < w->n; i++)
		free(w->e[i].rel);
	free(w->e);
	cache_listings_free(&w->listed);
	free(w);
	c->walk = NULL;
}

/* A walk of the sources, by content (the stat cache used and recorded). */
typedef struct cache_scan {
	cache *c;
	uint64_t content; /* names and the hashes of the files' bytes: a sum, to
			   * which a deferred file's is added later (cache_settle) */
	bool ok;          /* every file could be read (or is pending) */
} cache_scan;

/* Entry rel (a folder when dir), as the walk saw it, added to the
 * sources' stamp (see cache_sources). */
static void cache_src_listed(cache *c, const char *rel, bool dir, const cache_seen *seen)
{
	char name[PATH_MAX];
	snprintf(name, sizeof name, "%s%s", rel, dir ? "/" : "");
	uint64_t without_ctime = 0; /* the sources' stamp is the one with change times */
	cache_stamp_add(name, seen, &without_ctime, &c->src_sum_ctime);
}

/* The walk's entries by content: w->content, the sum of their names and
 * hashes (those of the files to read later added then), and w->ok, false
 * when one cannot be read; each listed (cache_src_listed). */
static void cache_inputs(cache *c, const builder *b, cache_scan *w)
{
	cache_walk *walk = cache_walk_end(c);
	w->content = 1;
	bool ok = true;
	for (size_t i = 0; ok && i < walk->n; i++) {
		cache_walked *e = &walk->e[i];
		const char *rel = e->rel;
		uint64_t named = cache_hash_str(3, rel);
		if (e->kind == CACHE_WALK_FILE) {
			uint64_t h = 0; /* not a regular file (a link): never up to date */
			if (S_ISREG(e->seen.mode)) {
				h = cache_src_hash(c, b->opt->source, e->rel, &e->seen);
				e->rel = NULL; /* c->srcs's now */
			}
			if (h != CACHE_PENDING && h != CACHE_LATER) /* else added by cache_settle, cache_hash_later */
				w->content += cache_mix(named, h);
			ok = h != 0;
		} else if (e->kind == CACHE_WALK_DIR) {
			w->content += named;
		}
		cache_src_listed(c, rel, e->kind != CACHE_WALK_FILE, &e->seen);
	}
	w->ok = ok && walk->ok;
	c->listed = walk->listed; /* for the model (cache_source_listed) */
	walk->listed = (map)MAP_INIT;
	cache_walk_free(c);
}

/* The walk's files whose stat fields were not the previous walk's (a
 * fresh checkout in CI: all of them), hashed once it ended on every
 * thread, each taking every threads-th file; added to w's sum then. */
typedef struct cache_later_job {
	cache *c;
	const char *root;
	size_t threads;
} cache_later_job;

static void cache_hash_share(void *arg, size_t k)
{
	const cache_later_job *j = arg;
	char *chunk = xmalloc(CACHE_CHUNK);
	for (size_t i = k; i < j->c->n_later; i += j->threads) {
		cache_src *f = &j->c->srcs[j->c->later[i].src];
		char *full = fsx_join(j->root, f->rel);
		f->hash = cache_file_hash(full, 0, chunk);
		free(full);
	}
	free(chunk);
}

static void cache_hash_later(cache *c, const builder *b, cache_scan *w)
{
	cache_later_job j = { c, b->opt->source, (size_t)workers_count(b->opt->threads) };
	if (c->n_later)
		workers_each((int)j.threads, j.threads, cache_hash_share, &j);
	for (size_t i = 0; i < c->n_later; i++) {
		cache_src *f = &c->srcs[c->later[i].src];
		w->content += cache_mix(cache_hash_str(3, f->rel), f->hash);
		w->ok = w->ok && f->hash;
		if (f->hash != c->later[i].old) /* other bytes: their model record is not these */
			f->rec_off = f->rec_len = f->rec_sum = 0;
	}
	free(c->later);
	c->later = NULL;
	c->n_later = c->cap_later = 0;
}

/* The sources' content hash from their sum (0: one cannot be read). */
static uint64_t cache_inputs_final(bool ok, uint64_t sum) { return ok ? cache_mix(sum, 4) | 1 : 0; }

/* What says the sources are the last build's, for nothing to be done:
 * their content, and each file's and folder's stat as the walk that began
 * that build saw it.  Any edit since, during that build too, moves a change
 * time (no user sets one), even one put back, bytes and times.  (One within
 * the clock's grain after the walk saw the file may not: the file is then
 * racy, read again by the next walk, cache_src_hash, and its bytes are the
 * ones the build read or the content differs.)  0: never nothing to do. */
uint64_t cache_sources(const cache *c)
{
	return c->inputs ? cache_mix(cache_mix(c->inputs, c->src_sum_ctime), 5) | 1 : 0;
}

/* The sources by content, through the stat cache the previous index held
 * (which is then dropped: this walk's replaces it). */
void cache_scan_sources(cache *c, const builder *b)
{
	cache_scan w = { c, 0, false };
	cache_inputs(c, b, &w);
	cache_hash_later(c, b, &w);
	c->inputs_sum = w.ok ? w.content : 0;
	c->inputs_ok = w.ok;
	c->inputs = c->n_pending ? 0 : cache_inputs_final(w.ok, w.content);
	cache_drop_sources(c);
}

/* This walk's sources by path, for the model's hooks (a build that has
 * something to do: nothing changed needs none). */
void cache_index_sources(cache *c, const builder *b)
{
	char *probe = fsx_join(b->opt->source, "content"); /* the model's paths: this prefix, then rel */
	c->src_prefix = strlen(probe) - strlen("content");
	free(probe);
	for (size_t i = 0; i < c->n_srcs; i++)
		map_put(&c->src_by_rel, c->srcs[i].rel, (void *)(uintptr_t)(i + 1));
}

/* This walk's entry of the model's file name in folder dir (as the model
 * opened it: the source folder, then a path under it), or NULL. */
static cache_src *cache_src_find(const cache *c, const char *dir, const char *name)
{
	size_t nd = strlen(dir), nn = strlen(name);
	char key[PATH_MAX];
	if (nd < c->src_prefix || nd - c->src_prefix + nn + 2 > sizeof key)
		return NULL;
	memcpy(key, dir + c->src_prefix, nd - c->src_prefix);
	key[nd - c->src_prefix] = '/';
	memcpy(key + nd - c->src_prefix + 1, name, nn + 1);
	uintptr_t i = (uintptr_t)map_get(&c->src_by_rel, key);
	return i ? &c->srcs[i - 1] : NULL;
}

const void *cache_model_record(void *ctx, const char *dir, const char *name, size_t *len)
{
	const cache *c = ctx;
	const cache_src *f = c->map ? cache_src_find(c, dir, name) : NULL;
	if (!f || !f->rec_len)
		return NULL;
	*len = (size_t)f->rec_len;
	return c->map + f->rec_off;
}

void cache_model_loaded(void *ctx, const char *dir, const char *name, const article *art)
{
	cache_src *f = cache_src_find(ctx, dir, name);
	if (f)
		f->art = art;
}

void cache_source_read(void *ctx, const char *dir, const char *name, const char *text, size_t len)
{
	cache *c = ctx;
	if (!len || len > CACHE_CHUNK) /* hashed by chunks: read again */
		return;
	cache_src *f = c->n_pending ? NULL : cache_src_find(c, dir, name);
	if (f && f->hash) /* the bytes parsed are those hashed: its model record may be kept */
		f->parsed = f->size == len && (cache_hash(0, text, len) | 1) == f->hash;
	if (!c->n_pending)
		return;
	char *full = fsx_join(dir, name);
	uintptr_t i = (uintptr_t)map_get(&c->pending, full); /* read only while the model loads */
	free(full);
	/* the size the walk saw, or the file changed since: read again */
	if (i && c->srcs[i - 1].size == len) {
		c->srcs[i - 1].hash = cache_hash(0, text, len) | 1; /* as cache_file_hash would */
		c->srcs[i - 1].parsed = true;
	}
}

/* After the model is loaded: the deferred files its reading did not hash
 * (not Markdown, or changed in between) read now, and the sources'
 * content hash complete. */
void cache_settle(cache *c)
{
	if (!c->n_pending)
		return;
	char *chunk = NULL;
	uint64_t sum = c->inputs_sum;
	bool ok = c->inputs_ok;
	const char *key;
	void *val;
	for (size_t it = 0; map_next(&c->pending, &it, &key, &val);) {
		cache_src *f = &c->srcs[(uintptr_t)val - 1];
		if (!f->hash) {
			if (!chunk)
				chunk = xmalloc(CACHE_CHUNK);
			f->hash = cache_file_hash(key, 0, chunk);
		}
		sum += cache_mix(cache_hash_str(3, f->rel), f->hash);
		ok = ok && f->hash;
		free((char *)key);
	}
	free(chunk);
	map_release(&c->pending);
	c->inputs = cache_inputs_final(ok, sum);
	c->n_pending = 0;
}

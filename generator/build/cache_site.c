/* cache_site.c: the build cache's view of the site it wrote: each
 * generation's names (the live site, the one kept beside it), their stamps
 * (what says a folder is as the cache recorded it), the patching of the
 * kept site into the new one and its pruning.  See cache_int.h. */
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
#include "util/xalloc.h"

/* ---- the generations of the site, in the index (its own section) ---- */

/* A generation's names are front-coded (record_put_after: in byte order,
 * each shares most of the one before, "en/api/slug/" and
 * "en/api/slug/index.html").  The kept site's names, most often the live
 * site's, start with a flag: 1, they are the same (and not listed again). */
static void cache_get_names(builder *b, record_reader *r, cache_gen *g, uint64_t n)
{
	g->names = xcalloc((size_t)n + 1, sizeof(char *));
	char name[PATH_MAX];
	size_t len = 0;
	for (; g->n < n && record_get_after(r, name, sizeof name, &len); g->n++)
		g->names[g->n] = arena_strndup(&b->arena, name, len);
}

static void cache_get_gen(builder *b, record_reader *r, cache_gen *g, const cache_gen *same)
{
	if (same && record_get_varint(r) == 1) {
		g->names = xcalloc(same->n + 1, sizeof(char *));
		memcpy(g->names, same->names, same->n * sizeof(char *));
		g->n = same->n;
		return;
	}
	uint64_t n = record_get_varint(r);
	if (r->bad || n > (uint64_t)(r->end - r->p) / 2)
		r->bad = true;
	else
		cache_get_names(b, r, g, n);
}

/* After the stat cache: the live site's names (its stamp is old_site),
 * then the previous site's stamp and names. */
void cache_get_generations(cache *c, builder *b, record_reader *r)
{
	cache_get_gen(b, r, &c->old_live, NULL);
	c->old_prev_stamp = record_get_u64(r);
	cache_get_gen(b, r, &c->old_prev, &c->old_live);
	size_t n;
	const char *shared = record_get_bytes(r, &n);
	if (n == c->old_prev.n && n) {
		c->old_prev_shared = xmalloc(n);
		memcpy(c->old_prev_shared, shared, n);
	} else if (n) {
		r->bad = true;
	}
}

static bool cache_gen_same(const cache_gen *x, const cache_gen *y)
{
	if (x->n != y->n)
		return false;
	for (size_t i = 0; i < x->n; i++)
		if (x->names[i] != y->names[i] && strcmp(x->names[i], y->names[i]) != 0)
			return false;
	return true;
}

/* See cache_get_names. */
static void cache_put_gen(buf *o, const cache_gen *g, const cache_gen *same)
{
	if (same) {
		bool is_same = g->n && cache_gen_same(g, same);
		record_put_varint(o, is_same);
		if (is_same)
			return;
	}
	record_put_varint(o, g->n);
	for (size_t i = 0; i < g->n; i++)
		record_put_after(o, i ? g->names[i - 1] : "", g->names[i]);
}

void cache_put_generations(const cache *c, buf *o)
{
	cache_put_gen(o, &c->new_live, NULL);
	record_put_u64(o, c->prev_stamp);
	cache_put_gen(o, &c->new_prev, &c->new_live);
	record_put_bytes(o, c->new_prev_shared ? (const char *)c->new_prev_shared : "",
			 c->new_prev_shared ? c->new_prev.n : 0);
}

void cache_drop_generations(cache *c)
{
	free(c->old_live.names);
	free(c->old_prev.names);
	free(c->old_live_seen);
	free(c->old_lone);
	c->old_lone = NULL;
	free(c->old_prev_seen);
	free(c->old_live_kept);
	free(c->old_prev_shared);
	c->old_prev_shared = NULL;
	c->old_live_seen = c->old_prev_seen = NULL;
	c->old_live_kept = NULL;
	c->live_intact = c->prev_intact = false;
	c->old_live = c->old_prev = (cache_gen){ NULL, 0 };
	c->old_site = c->old_prev_stamp = 0;
}

cache_seen cache_seen_of(const struct stat *st)
{
	return (cache_seen){ (uint64_t)st->st_ino, (uint64_t)st->st_size, cache_mtime(st),
			     (uint64_t)st->st_dev, cache_ns(st->st_ctim), (uint64_t)st->st_mode };
}

/* Entry rel, as s, added to a stamp (see cache_stamp_job). */
void cache_stamp_add(const char *rel, const cache_seen *s, uint64_t *h, uint64_t *hc)
{
	uint64_t e = cache_mix(cache_mix(cache_hash_str(0, rel), s->ino), s->mode);
	e = cache_mix(cache_mix(e, s->size), s->mtime);
	*h += e;
	*hc += *rel ? cache_mix(e, s->ctime) : e; /* the root's moves when it is renamed */
}

/* Where a stamp looks from: the root, or the folder of the last entries
 * (a section's: "en/api"), so that the kernel walks one or two components
 * a name ("slug/index.html") rather than the whole path; a site's names
 * come in byte order, each folder's together.  Looking only, never
 * writing: a link on the way is seen when its own entry is looked at. */
typedef struct cache_at {
	int root, fd; /* fd: -1, or the folder dir */
	char dir[PATH_MAX];
	size_t len;
} cache_at;

static bool cache_at_near(const char *rest)
{
	const char *slash = strchr(rest, '/');
	return !slash || !strchr(slash + 1, '/');
}

/* The folder to look at name (no trailing '/') from, and *rest, its name there. */
static int cache_at_fd(cache_at *at, const char *name, const char **rest)
{
	*rest = name;
	if (at->fd >= 0 && !strncmp(name, at->dir, at->len) && name[at->len] == '/' &&
	    cache_at_near(name + at->len + 1)) {
		*rest = name + at->len + 1;
		return at->fd;
	}
	/* the folder two names up ("en/api" for "en/api/slug/index.html"): the
	 * next page's file and folder are looked at from it too */
	if (cache_at_near(name))
		return at->root;
	const char *last = strrchr(name, '/'), *up = NULL;
	for (const char *p = name; p < last; p++)
		if (*p == '/')
			up = p;
	if (!up || (size_t)(up - name) >= sizeof at->dir)
		return at->root;
	last = up;
	if (at->fd >= 0)
		close(at->fd);
	at->len = (size_t)(last - name);
	memcpy(at->dir, name, at->len);
	at->dir[at->len] = '\0';
	at->fd = openat(at->root, at->dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (at->fd < 0)
		return at->root;
	*rest = last + 1;
	return at->fd;
}

/* One entry of a stamp (see cache_stamp_job): false when it is missing or
 * not what its name says (a link planted for a folder is not followed:
 * the name is looked at without its '/', and its kind compared). */
static bool cache_stamp_entry(cache_at *at, const char *rel, uint64_t *h, uint64_t *hc, cache_seen *seen)
{
	char name[PATH_MAX];
	size_t n = strlen(rel);
	bool dir = n == 0 || rel[n - 1] == '/';
	struct stat st;
	if (n == 0) {
		if (fstat(at->root, &st) != 0)
			return false;
	} else {
		if (n - dir >= sizeof name)
			return false;
		memcpy(name, rel, n - dir);
		name[n - dir] = '\0';
		const char *rest;
		int fd = cache_at_fd(at, name, &rest);
		if (fstatat(fd, rest, &st, AT_SYMLINK_NOFOLLOW) != 0)
			return false;
	}
	if (dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))
		return false;
	cache_seen now = cache_seen_of(&st);
	if (seen)
		*seen = now;
	cache_stamp_add(rel, &now, h, hc);
	return true;
}

#define CACHE_STAMP_STEP 512

/* What a job's known says of an entry it is to leave out of its stamp. */
static const cache_seen cache_leave_out;

static void cache_stamp_share(cache_stamp_job *j)
{
	uint64_t h = 0, hc = 0;
	bool ok = true;
	cache_at at = { .root = j->fd, .fd = -1 };
	while (ok && !atomic_load(&j->stop) && !atomic_load(&j->bad)) {
		size_t i = atomic_fetch_add(&j->next, CACHE_STAMP_STEP);
		if (i >= j->g->n)
			break;
		for (size_t k = i; ok && k < i + CACHE_STAMP_STEP && k < j->g->n; k++) {
			const cache_seen *was = j->known ? j->known(j->ctx, k) : NULL;
			if (was == &cache_leave_out)
				continue;
			if (!was)
				ok = cache_stamp_entry(&at, j->g->names[k], &h, &hc, j->seen ? &j->seen[k] : NULL);
			else if ((cache_stamp_add(j->g->names[k], was, &h, &hc), j->seen))
				j->seen[k] = *was;
		}
	}
	if (at.fd >= 0)
		close(at.fd);
	if (!ok)
		atomic_store(&j->bad, true);
	atomic_fetch_add(&j->sum, h);
	atomic_fetch_add(&j->sum_ctime, hc);
}

static void *cache_stamp_helper(void *arg)
{
	cache_stamp_share(arg);
	return NULL;
}

/* Starts the stamp of g under root, a helper thread taking its share
 * (seen: NULL, or where to put what each entry was; known: NULL, or what
 * an entry is known to be, ctx its argument). */
void cache_stamp_start(cache_stamp_job *j, const char *root, const cache_gen *g, cache_seen *seen,
		       const cache_seen *(*known)(const void *, size_t), const void *ctx)
{
	memset(j, 0, sizeof *j);
	j->g = g;
	j->seen = seen;
	j->known = known;
	j->ctx = ctx;
	j->fd = g->n ? open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
	atomic_init(&j->next, 0);
	atomic_init(&j->stop, false);
	atomic_init(&j->bad, j->fd < 0);
	atomic_init(&j->sum, 0);
	atomic_init(&j->sum_ctime, 0);
	j->started = j->fd >= 0 && g->n > 4 * CACHE_STAMP_STEP &&
		     pthread_create(&j->helper, NULL, cache_stamp_helper, j) == 0;
}

/* The caller's share, then the stamp: 0 when an entry was not what its
 * name says, or when stopped; *with_ctime (if asked) with change times. */
uint64_t cache_stamp_finish(cache_stamp_job *j, uint64_t *with_ctime)
{
	if (j->fd >= 0)
		cache_stamp_share(j);
	if (j->started)
		pthread_join(j->helper, NULL);
	if (j->fd >= 0)
		close(j->fd);
	bool ok = !atomic_load(&j->bad) && !atomic_load(&j->stop);
	if (with_ctime)
		*with_ctime = ok ? cache_mix(2, atomic_load(&j->sum_ctime)) | 1 : 0;
	return ok ? cache_mix(1, atomic_load(&j->sum)) | 1 : 0;
}

static uint64_t cache_gen_stamp(const char *root, const cache_gen *g, uint64_t *with_ctime, cache_seen *seen)
{
	cache_stamp_job j;
	cache_stamp_start(&j, root, g, seen, NULL, NULL);
	return cache_stamp_finish(&j, with_ctime);
}

/* Per entry of g: 1 for a page's own folder, one holding a single file
 * and nothing else (en/api/slug/ with its index.html): what the check of
 * "nothing changed" leaves out, the page's file being looked at.  (A file
 * added there by hand is not seen then; it is by any build with something
 * to do, which looks at every folder.)  In byte order what a folder holds
 * comes right after it. */
static unsigned char *cache_lone_folders(const cache_gen *g)
{
	unsigned char *lone = xcalloc(g->n + 1, 1);
	for (size_t i = 0; i + 1 < g->n; i++) {
		const char *dir = g->names[i], *next = g->names[i + 1];
		size_t n = strlen(dir);
		if (!n || dir[n - 1] != '/' || strncmp(next, dir, n) != 0 || strchr(next + n, '/'))
			continue;
		lone[i] = i + 2 == g->n || strncmp(g->names[i + 2], dir, n) != 0;
	}
	return lone;
}

/* The stamp (as cache_stamp_finish makes it, without change times) of g's
 * entries as seen, but for those skip flags; *skipped_ctime: the sum of
 * the skipped ones' parts with change times. */
static uint64_t cache_stamp_of_seen(const cache_gen *g, const cache_seen *seen, const unsigned char *skip,
				    uint64_t *skipped_ctime)
{
	uint64_t h = 0, hc = 0, sh = 0, shc = 0;
	for (size_t i = 0; i < g->n; i++)
		if (!skip[i])
			cache_stamp_add(g->names[i], &seen[i], &h, &hc);
		else
			cache_stamp_add(g->names[i], &seen[i], &sh, &shc);
	*skipped_ctime = shc;
	return cache_mix(1, h) | 1;
}

int cache_cmp_names(const void *x, const void *y) { return strcmp(*(const char *const *)x, *(const char *const *)y); }

bool cache_seen_same(const cache_seen *x, const cache_seen *y)
{
	return x && y && x->ino == y->ino && x->dev == y->dev;
}

/* For each index i of generation p: the index of the same name in
 * generation l, or l->n (both in byte order: one pass over each). */
static size_t *cache_same_names(const cache_gen *p, const cache_gen *l)
{
	size_t *at = xcalloc(p->n + 1, sizeof(size_t));
	for (size_t i = 0, j = 0; i < p->n; i++) {
		int d = -1;
		while (j < l->n && (d = strcmp(l->names[j], p->names[i])) < 0)
			j++;
		at[i] = j < l->n && d == 0 ? j : l->n;
	}
	return at;
}

/* Per entry of p: 1 when it is a file and the same one (device, inode) as
 * l's of the same name, as both were seen (ps, ls). */
static unsigned char *cache_shared(const cache_gen *p, const cache_seen *ps, const cache_gen *l, const cache_seen *ls)
{
	unsigned char *shared = xcalloc(p->n + 1, 1);
	size_t *at = cache_same_names(p, l);
	for (size_t i = 0; i < p->n; i++) {
		const char *rel = p->names[i];
		shared[i] = *rel && rel[strlen(rel) - 1] != '/' && at[i] < l->n && cache_seen_same(&ps[i], &ls[at[i]]);
	}
	free(at);
	return shared;
}

/* old_prev's entry i, when the index says it is the live site's file of
 * the same name and the live site's stamp was the one recorded: as that
 * stamp saw it (the same inode; had the kept one been replaced, its
 * folder, looked at, would say so). */
static const cache_seen *cache_old_prev_known(const void *ctx, size_t i)
{
	const cache *c = ctx;
	return c->old_prev_shared[i] && c->prev_live[i] < c->old_live.n ? &c->old_live_seen[c->prev_live[i]] : NULL;
}

bool cache_prev_intact(builder *b)
{
	cache *c = b->cache;
	uint64_t with_ctime = 0;
	free(c->old_prev_seen);
	c->old_prev_seen = xcalloc(c->old_prev.n + 1, sizeof(cache_seen));
	bool shared = c->live_intact && c->old_prev_shared;
	if (shared) {
		free(c->prev_live);
		c->prev_live = cache_same_names(&c->old_prev, &c->old_live);
	}
	cache_stamp_job j;
	cache_stamp_start(&j, b->prev, &c->old_prev, c->old_prev_seen, shared ? cache_old_prev_known : NULL, c);
	(void)cache_stamp_finish(&j, &with_ctime);
	c->prev_intact = c->old_prev_stamp && with_ctime == c->old_prev_stamp;
	free(c->old_live_kept);
	c->old_live_kept = xcalloc(c->old_live.n + 1, 1);
	return c->prev_intact;
}

/* gen's entry rel as this build's first stamp of it saw it, or NULL. */
const cache_seen *cache_seen_at(const cache_gen *g, const cache_seen *seen, const char *rel)
{
	const char **at = seen ? bsearch(&rel, g->names, g->n, sizeof(char *), cache_cmp_names) : NULL;
	return at ? &seen[at - g->names] : NULL;
}

const cache_seen *cache_seen_near(const cache_gen *g, const cache_seen *seen, const char *rel, size_t *near)
{
	if (!seen || !g->n)
		return NULL;
	size_t lo = 0, hi = *near < g->n ? *near : g->n; /* names[lo] <= rel < names[hi] (or none is) */
	if (hi < g->n && strcmp(g->names[hi], rel) <= 0) {
		size_t step = 1;
		for (lo = hi; lo + step < g->n && strcmp(g->names[lo + step], rel) <= 0; step *= 2)
			lo += step;
		hi = lo + step < g->n ? lo + step : g->n;
	}
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(g->names[mid], rel) <= 0)
			lo = mid;
		else
			hi = mid;
	}
	*near = lo;
	return strcmp(g->names[lo], rel) == 0 ? &seen[lo] : NULL;
}

bool cache_same_file(builder *b, const char *rel)
{
	/* this thread's last places in the two sites' names: 20,000 looks a
	 * rebuild, each a few names past the last (a hint: any value works) */
	static _Thread_local size_t near_live, near_prev;
	cache *c = b->cache;
	if (!c || !b->patching || !c->live_intact || !c->prev_intact)
		return false;
	const cache_seen *live = cache_seen_near(&c->old_live, c->old_live_seen, rel, &near_live);
	if (!cache_seen_same(live, cache_seen_near(&c->old_prev, c->old_prev_seen, rel, &near_prev)))
		return false;
	c->old_live_kept[live - c->old_live_seen] = 1; /* one page's: no other thread writes it */
	return true;
}

/* What the sitemap files are made from (cache_sitemap_kept). */
static uint64_t cache_sitemap_sum(const builder *b, size_t max)
{
	uint64_t h = cache_hash_str(cache_hash_str(cache_mix(0, max), b->m.cfg.base), b->m.cfg.origin);
	for (size_t i = 0; i < b->n_sitemap; i++) {
		const sitemap_entry *e = &b->sitemap[i];
		h = cache_hash_str(cache_mix(h, e->lang), e->path);
		h = cache_hash_str(cache_hash_str(h, e->group), e->lastmod);
	}
	return h | 1;
}

bool cache_sitemap_kept(builder *b, size_t max, const char *const *names, size_t n)
{
	cache *c = b->cache;
	if (!c)
		return false;
	uint64_t sum = c->sitemap = cache_sitemap_sum(b, max);
	if (!c->live_intact || sum != c->old_sitemap || b->live)
		return false;
	size_t linked = 0;
	for (bool ok = true; ok && linked < n; linked += ok) {
		char *from = fsx_join(b->opt->out, names[linked]);
		ok = output_link(b, from, names[linked]);
		free(from);
	}
	if (linked == n)
		return true;
	/* those linked are unlinked: the caller may write them in place, never into the live site's files */
	for (size_t i = 0; i < linked; i++) {
		char *to = fsx_join(b->tmp, names[i]);
		(void)unlink(to);
		free(to);
	}
	return false;
}

/* Whether old_live's entry i was kept as it was (cache_same_file), so made. */
static bool cache_kept_made(const cache *c, size_t i) { return c->old_live_kept && c->old_live_kept[i]; }

/* Whether the files made (b->made, and the kept ones) are the live site's
 * (an edit adds or removes no page, most often): then so are the folders
 * holding them, and the names, in order already, need neither a set of
 * 45,000 nor a sort.  (A kept file written again too is in b->made: not
 * counted here, it makes them differ, and the set is made.) */
static bool cache_made_live(const builder *b, const cache *c)
{
	size_t files = 0;
	for (size_t i = 0; i < c->old_live.n; i++) {
		const char *rel = c->old_live.names[i];
		size_t n = strlen(rel);
		if (n && rel[n - 1] != '/' && !cache_kept_made(c, i)) {
			if (!map_getn(&b->made, rel, n))
				return false;
			files++;
		}
	}
	return files == b->made.len;
}

/* rel, a file made, and its folders, in the new site's set. */
static void cache_set_add(builder *b, cache *c, const char *rel)
{
	if (!map_get(&c->new_set, rel))
		map_put(&c->new_set, rel, b);
	for (const char *p = strchr(rel, '/'); p; p = strchr(p + 1, '/'))
		if (!map_getn(&c->new_set, rel, (size_t)(p - rel + 1)))
			map_put(&c->new_set, arena_strndup(&b->arena, rel, (size_t)(p - rel + 1)), b);
}

/* This build's site: the files output.c made, with their folders. */
static void cache_gen_collect(builder *b, cache *c)
{
	if (c->new_live.names)
		return;
	if (c->old_live.n && cache_made_live(b, c)) {
		c->new_live.names = xcalloc(c->old_live.n + 1, sizeof(char *));
		memcpy(c->new_live.names, c->old_live.names, c->old_live.n * sizeof(char *));
		c->new_live.n = c->old_live.n;
		return;
	}
	map_put(&c->new_set, "", b);
	const char *key;
	void *val;
	for (size_t it = 0; map_next(&b->made, &it, &key, &val);)
		cache_set_add(b, c, key);
	for (size_t i = 0; i < c->old_live.n; i++)
		if (cache_kept_made(c, i))
			cache_set_add(b, c, c->old_live.names[i]);
	c->new_live.names = xcalloc(c->new_set.len + 1, sizeof(char *));
	for (size_t it = 0; map_next(&c->new_set, &it, &key, &val);)
		c->new_live.names[c->new_live.n++] = key;
	qsort(c->new_live.names, c->new_live.n, sizeof(char *), cache_cmp_names);
}

phare_status cache_prune(builder *b)
{
	cache *c = b->cache;
	cache_gen_collect(b, c);
	size_t *kept = cache_same_names(&c->old_prev, &c->new_live); /* both in byte order */
	int fd = open(b->tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	phare_status s = fd < 0 ? PHARE_ERR_IO : PHARE_OK;
	char name[PATH_MAX];
	/* backwards: what a folder holds before the folder */
	for (size_t i = c->old_prev.n; !s && i-- > 0;) {
		const char *rel = c->old_prev.names[i];
		size_t n = strlen(rel);
		bool dir = n && rel[n - 1] == '/';
		if (!n || n - dir >= sizeof name || kept[i] < c->new_live.n)
			continue;
		memcpy(name, rel, n - dir);
		name[n - dir] = '\0';
		if (unlinkat(fd, name, dir ? AT_REMOVEDIR : 0) != 0 && errno != ENOENT)
			s = PHARE_ERR_IO;
	}
	if (s)
		diag_error(b->tmp, 0, 0, "cannot remove what the previous site held and this one does not: %s",
			   strerror(errno));
	if (fd >= 0)
		close(fd);
	free(kept);
	return s;
}

/* Whether old_live's entry i (now under b->prev) must be looked at again
 * for its change time: the root (renamed), and a file the new site or the
 * kept one shared (a link added or removed moves the change time), unless
 * it was kept as it was.  The others are as this build's first stamp saw
 * them (nothing is written into the live site), but for its page folders,
 * which it did not look at: left out (cache_gen_save). */
static bool cache_old_live_moved(const cache *c, size_t i)
{
	const char *rel = c->old_live.names[i];
	const cache_seen *s = &c->old_live_seen[i];
	if (!*rel)
		return true;
	if (c->old_live_kept[i])
		return false;
	size_t p = c->old_prev_at[i], n = c->old_new[i];
	return (p < c->old_prev.n && cache_seen_same(s, &c->old_prev_seen[p])) ||
	       (n < c->new_live.n && cache_seen_same(s, &c->live_seen[n]));
}

/* The live site's page folders: left out of its look (cache_live_start). */
static const cache_seen *cache_lone_left(const void *ctx, size_t i)
{
	const cache *c = ctx;
	return c->old_lone[i] ? &cache_leave_out : NULL;
}

static const cache_seen *cache_old_live_known(const void *ctx, size_t i)
{
	const cache *c = ctx;
	const cache_seen *left = cache_lone_left(ctx, i);
	return left ? left : cache_old_live_moved(c, i) ? NULL : &c->old_live_seen[i];
}

/* new_live's entry i, when the live site before this one had it, kept
 * as it was (the same file, nothing done to it: cache_same_file). */
static const cache_seen *cache_new_live_known(const void *ctx, size_t i)
{
	const cache *c = ctx;
	size_t p = c->new_prev_at[i], o = c->new_old[i];
	if (c->new_folder_kept && c->new_folder_kept[i])
		return p < c->old_prev.n ? &c->old_prev_seen[p] : NULL;
	return o < c->old_live.n && c->old_live_kept[o] ? &c->old_live_seen[o] : NULL;
}

/* The index in g of the folder that holds rel ("" for the root's entries), or g->n. */
static size_t cache_parent_of(const cache_gen *g, const char *rel)
{
	size_t n = strlen(rel);
	if (n && rel[n - 1] == '/')
		n--;
	while (n && rel[n - 1] != '/')
		n--;
	char name[PATH_MAX];
	if (n >= sizeof name)
		return g->n;
	memcpy(name, rel, n);
	name[n] = '\0';
	const char *key = name, **at = bsearch(&key, g->names, g->n, sizeof(char *), cache_cmp_names);
	return at ? (size_t)(at - g->names) : g->n;
}

/* The folders of the new site (made from the kept one) whose entries this
 * build did not change: each file in them kept as it was (cache_same_file),
 * each folder in them there before and not emptied, nothing in them pruned,
 * none empty.  A folder's times and size change only with its entries, so
 * its stamp is what the kept site's stamp saw (a folder guessed wrong here
 * would only make the next build's stamp differ: a slower build, never a
 * stale page).  The root, renamed, is always looked at. */
static void cache_untouched_folders(cache *c)
{
	const cache_gen *g = &c->new_live;
	unsigned char *changed = xcalloc(g->n + 1, 1), *full = xcalloc(g->n + 1, 1);
	size_t *stack = xcalloc(g->n + 1, sizeof(size_t)), top = 0; /* the folders holding the name */
	for (size_t i = 0; i < g->n; i++) {
		const char *rel = g->names[i];
		size_t n = strlen(rel);
		bool dir = !n || rel[n - 1] == '/';
		/* in byte order the names under a folder come right after it */
		while (top && strncmp(rel, g->names[stack[top - 1]], strlen(g->names[stack[top - 1]])) != 0)
			top--;
		if (n && top) {
			size_t parent = stack[top - 1], p = c->new_prev_at[i], o = c->new_old[i];
			full[parent] = 1;
			bool was = dir ? p < c->old_prev.n && !(c->emptied.len && map_get(&c->emptied, rel))
				       : o < c->old_live.n && c->old_live_kept[o];
			if (!was)
				changed[parent] = 1;
		}
		if (dir)
			stack[top++] = i;
	}
	free(stack);
	size_t *prev_new = cache_same_names(&c->old_prev, g);
	for (size_t i = 0; i < c->old_prev.n; i++) /* pruned, or emptied and not made again */
		if (prev_new[i] >= g->n)
			changed[cache_parent_of(g, c->old_prev.names[i])] = 1;
	free(prev_new);
	const char *key;
	void *val;
	for (size_t it = 0; map_next(&c->emptied, &it, &key, &val);)
		changed[cache_parent_of(g, key)] = 1;
	for (size_t i = 0; i < g->n; i++)
		full[i] = *g->names[i] && full[i] && !changed[i] && c->new_prev_at[i] < c->old_prev.n;
	free(changed);
	free(c->new_folder_kept);
	c->new_folder_kept = full;
}

void cache_folder_emptied(builder *b, const char *rel)
{
	cache *c = b->cache;
	if (!c || !b->patching)
		return;
	size_t n = strlen(rel);
	pthread_mutex_lock(&b->lock);
	const char *dir = n && rel[n - 1] == '/' ? arena_strdup(&b->arena, rel) : arena_printf(&b->arena, "%s/", rel);
	map_put(&c->emptied, dir, b);
	pthread_mutex_unlock(&b->lock);
}

/* Whether this build's first stamps saw the live and the kept sites as
 * recorded (the live one but for its page folders). */
static bool cache_seen_all(const builder *b)
{
	const cache *c = b->cache;
	return b->patching && c->live_intact && c->prev_intact;
}

/* The stamp of generation g under root (see cache_gen_stamp), when
 * cache_seen_all: what known says of an entry taken from them, the rest
 * looked at (left_ctime: the sum of the parts with change times of the
 * entries known leaves out). */
static uint64_t cache_gen_restamp(const builder *b, const char *root, const cache_gen *g, uint64_t *with_ctime,
				  cache_seen *seen, const cache_seen *(*known)(const void *, size_t),
				  uint64_t left_ctime)
{
	cache_stamp_job j;
	bool seen_all = cache_seen_all(b);
	cache_stamp_start(&j, root, g, seen, seen_all ? known : NULL, b->cache);
	if (seen_all)
		atomic_fetch_add(&j.sum_ctime, left_ctime); /* a sum: in any order */
	return cache_stamp_finish(&j, with_ctime);
}

/* After the swap: the new live site's stamp, and the previous site kept
 * only when it is still what the previous index said the live one was
 * (else it is removed: the next build makes its site whole). */
void cache_gen_save(builder *b, cache *c)
{
	cache_gen_collect(b, c);
	free(c->live_seen);
	c->live_seen = xcalloc(c->new_live.n + 1, sizeof(cache_seen));
	if (cache_seen_all(b)) { /* the restamps' known entries */
		c->new_old = cache_same_names(&c->new_live, &c->old_live);
		c->new_prev_at = cache_same_names(&c->new_live, &c->old_prev);
		c->old_prev_at = cache_same_names(&c->old_live, &c->old_prev);
		c->old_new = cache_same_names(&c->old_live, &c->new_live);
		cache_untouched_folders(c);
	}
	c->live_stamp = cache_gen_restamp(b, b->opt->out, &c->new_live, NULL, c->live_seen, cache_new_live_known, 0);
	if (c->live_stamp) {
		unsigned char *lone = cache_lone_folders(&c->new_live);
		c->live_files = cache_stamp_of_seen(&c->new_live, c->live_seen, lone, &c->live_lone_ctime);
		free(lone);
	}
	struct stat st;
	if (!b->prev || lstat(b->prev, &st) != 0)
		return;
	/* The site swapped out was the last build's, but not as it left it when
	 * this one began (a site restored by CI, or edited): not kept, and not
	 * removed now either (40,000 names at 10,000 articles, in a CI job that
	 * ends here); the next build removes it, finding no kept site recorded
	 * (output_take_prev). */
	if (c->old_site && !c->live_intact)
		return;
	/* Its stamp with change times, for the next build to find it as kept:
	 * its page folders as the last build's stamp after its swap saw them
	 * (old_lone_ctime; if one changed since, that build's look says so) */
	uint64_t with_ctime = 0;
	cache_seen *seen = xcalloc(c->old_live.n + 1, sizeof(cache_seen));
	bool restamp = c->live_stamp && cache_seen_all(b);
	if (c->old_site && (restamp ? cache_gen_restamp(b, b->prev, &c->old_live, &with_ctime, seen,
							cache_old_live_known, c->old_lone_ctime) == c->old_site_files
				    : cache_gen_stamp(b->prev, &c->old_live, &with_ctime, seen) == c->old_site)) {
		c->new_prev = c->old_live;
		c->prev_stamp = with_ctime;
		if (c->live_stamp)
			c->new_prev_shared = cache_shared(&c->new_prev, seen, &c->new_live, c->live_seen);
		free(seen);
	} else {
		free(seen);
		(void)!fsx_remove_tree(b->prev);
	}
}

void cache_live_start(cache *c, const builder *b, cache_stamp_job *j, bool look)
{
	if (look) {
		c->old_live_seen = xcalloc(c->old_live.n + 1, sizeof(cache_seen));
		c->old_lone = cache_lone_folders(&c->old_live);
	}
	cache_stamp_start(j, b->opt->out, &c->old_live, c->old_live_seen, look ? cache_lone_left : NULL, c);
}

/* cache.c: the build cache (see cache.h for its promises).
 *
 * An article page's key hashes what it was made from that the build knows
 * before rendering it: the theme, site.yaml, phare's version and options
 * (the "global" hash), its template data tree (the language's shared part
 * hashed once), its path and body.  What its Markdown asks of the rest of
 * the site during the render (links, image sizes, blocks) is recorded with
 * the answers and asked again before a reuse: the same questions with the
 * same answers make the same page.
 *
 * The index is read whole and checked (a checksum over it, one over each
 * record) before anything is reused; the records file is mapped, and the
 * new one written as pages finish (behind `lock`), so the cache costs no
 * memory per page beyond its index entry.
 *
 * The sources' walk, the site's generations and the key have files of
 * their own (cache_int.h lists them). */
#include "build/cache.h"
#include "build/cache_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build/blocks.h"
#include "build/builder.h"
#include "content/translations.h"
#include "search/dict.h"
#include "search/index.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/record.h"
#include "util/sha256.h"
#include "util/workers.h"
#include "util/xalloc.h"
#include "version.h"

/* ---- hashing: 64-bit words at a time (the bodies of 20,000 pages) ---- */

/* Four lanes at a time: their multiplications do not wait for each other. */
uint64_t cache_hash(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;
	h = cache_mix(h, n);
	if (n >= 32) {
		uint64_t l[4] = { h, h + CACHE_K, h - CACHE_K, ~h };
		for (; n >= 32; p += 32, n -= 32) {
			uint64_t w[4];
			memcpy(w, p, sizeof w);
			for (int i = 0; i < 4; i++)
				l[i] = cache_mix(l[i], w[i]);
		}
		for (int i = 0; i < 4; i++)
			h = cache_mix(h, l[i]);
	}
	for (; n >= 8; p += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = cache_mix(h, w);
	}
	uint64_t w = 0;
	memcpy(&w, p, n);
	return cache_mix(h, w);
}

uint64_t cache_hash_str(uint64_t h, const char *s) { return s ? cache_hash(h, s, strlen(s)) : cache_mix(h, 0xff); }

static uint64_t cache_value(uint64_t h, const value *v)
{
	h = cache_mix(h, (uint64_t)v->kind);
	switch (v->kind) {
	case VAL_LIST:
		h = cache_mix(h, v->u.list.len);
		for (size_t i = 0; i < v->u.list.len; i++)
			h = cache_value(h, v->u.list.items[i]);
		return h;
	case VAL_MAP:
		h = cache_mix(h, v->u.map.len);
		for (size_t i = 0; i < v->u.map.len; i++)
			h = cache_value(cache_hash_str(h, v->u.map.keys[i]), v->u.map.vals[i]);
		return h;
	default: return v->str ? cache_hash(h, v->str, v->len) : h;
	}
}

/* ---- serialisation ---- */

static char *cache_get_dup(record_reader *r)
{
	size_t n;
	const char *s = record_get_bytes(r, &n);
	char *out = xmalloc(n + 1);
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

/* ---- files ---- */

uint64_t cache_mtime(const struct stat *st)
{
	return (uint64_t)st->st_mtim.tv_sec * 1000000000u + (uint64_t)st->st_mtim.tv_nsec;
}

/* The site path of art's page, "fr/virtualisation/lxc/", appended to p: a
 * small buffer a call, not an arena's 64 KiB chunk (three times an article
 * in every rebuild). */
void cache_page_path(const builder *b, const article *art, buf *p)
{
	buf_adds(p, b->m.cfg.languages[art->lang].code); /* not printf: 60,000 calls a rebuild */
	buf_addc(p, '/');
	buf_adds(p, art->key);
	buf_addc(p, '/');
}

/* The one line that says the cache is not used, and why. */
static void cache_say(builder *b, const char *path, const char *why)
{
	if (!b->opt->quiet) {
		char *shown = fsx_join(b->opt->source, path);
		diag_note(shown, 0, 0, "%s; building every page", why);
		free(shown);
	}
}

/* Every regular file under dir (relative names rel, NULL at the top),
 * depth first, hard-linked to the same name under to.  false on failure. */
bool cache_link_tree(const char *dir, const char *rel, const char *to)
{
	char *here = rel ? fsx_join(dir, rel) : xstrdup(dir);
	char **names = fsx_list(here);
	bool ok = names != NULL;
	for (char **p = names; ok && p && *p; p++) {
		char *r = rel ? fsx_join(rel, *p) : xstrdup(*p);
		char *full = fsx_join(dir, r);
		struct stat st;
		if (lstat(full, &st) != 0) {
			ok = false;
		} else if (S_ISDIR(st.st_mode)) {
			ok = cache_link_tree(dir, r, to);
		} else if (S_ISREG(st.st_mode)) {
			char *dest = fsx_join(to, r), *slash = strrchr(dest, '/');
			*slash = '\0';
			ok = fsx_mkdirs(dest) == PHARE_OK;
			*slash = '/';
			ok = ok && link(full, dest) == 0;
			free(dest);
		}
		free(full);
		free(r);
	}
	fsx_free_list(names);
	free(here);
	return ok;
}

/* The hash of a regular file's bytes, read 1 MiB at a time (a source
 * folder may hold a large video), from h; 0 if it cannot be read.  Says
 * nothing: what the build itself reads, it reports.  From 0, the same as
 * cache_hash(0, bytes) | 1 for a file under 1 MiB (every page: see
 * cache_article_page; a larger one is only rendered again). */

/* chunk: CACHE_CHUNK bytes of scratch (one for a whole walk: taking and
 * giving back a megabyte a file cost more than the reading). */
uint64_t cache_file_hash(const char *path, uint64_t h, char *chunk)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	ssize_t n;
	while ((n = read(fd, chunk, CACHE_CHUNK)) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			h = cache_hash(h, chunk, (size_t)n);
	close(fd);
	return n < 0 ? 0 : h | 1;
}

/* ---- the global hashes ---- */

/* The binary (a phare rebuilt under the same version may render
 * otherwise), the options that change pages, and --out (whose site the
 * index describes). */
static uint64_t cache_options_hash(const builder *b)
{
	const build_options *o = b->opt;
	uint64_t h = 0;
	struct stat st;
	if (stat("/proc/self/exe", &st) == 0)
		h = cache_mix(cache_mix(h, (uint64_t)st.st_size), cache_mtime(&st));
	h = cache_hash_str(h, o->out);
	h = cache_hash_str(h, getenv("PHARE_SITEMAP_MAX_URLS"));
	h = cache_hash_str(h, o->base_url);
	h = cache_hash_str(h, o->feedback_endpoint);
	return cache_mix(h, (uint64_t)o->drafts | (uint64_t)o->preview << 1);
}

/* The theme (templates, i18n strings, assets) and site.yaml, by content. */
static uint64_t cache_global_hash(const builder *b, uint64_t options)
{
	uint64_t h = options, files = 0;
	const char *key;
	void *val;
	for (size_t it = 0; map_next(&b->th.files, &it, &key, &val);) {
		const struct theme_file *f = val;
		files += cache_hash(cache_hash_str(0, key), f->data, f->len); /* the map's order is not ours */
	}
	h = cache_mix(h, files);
	char *site = fsx_join(b->m.source, "content/site.yaml");
	buf text = BUF_INIT;
	if (fsx_read(site, &text, 0) == PHARE_OK)
		h = cache_hash(h, text.ptr, text.len);
	buf_release(&text);
	free(site);
	return h;
}

/* Adds search file name (its bytes' hash h) to language l's list. */
void cache_lang_file(cache_lang *l, const char *name, size_t n, uint64_t h)
{
	size_t cap = l->cap_files;
	l->file_names = xgrow(l->file_names, &cap, l->n_files + 1, sizeof(char *));
	l->file_hashes = xgrow(l->file_hashes, &l->cap_files, l->n_files + 1, sizeof(uint64_t));
	char *copy = xmalloc(n + 1);
	memcpy(copy, name, n);
	copy[n] = '\0';
	l->file_names[l->n_files] = copy;
	l->file_hashes[l->n_files++] = h;
	map_put(&l->file_at, copy, (void *)(uintptr_t)l->n_files);
}

/* ---- reading the previous cache ---- */

static const char *cache_read_index(cache *c, builder *b, buf *text)
{
	static const char family[] = "phare-cache "; /* then the format's number */
	if (text->len >= sizeof family && memcmp(text->ptr, family, sizeof family - 1) == 0 &&
	    (text->len < sizeof(CACHE_MAGIC) - 1 || memcmp(text->ptr, CACHE_MAGIC, sizeof(CACHE_MAGIC) - 1) != 0))
		return "the build cache was made by another version of phare"; /* another format */
	if (text->len < sizeof(CACHE_MAGIC) - 1 + 24 + CACHE_TAG_BYTES ||
	    memcmp(text->ptr, CACHE_MAGIC, sizeof(CACHE_MAGIC) - 1) != 0)
		return "the build cache is not one phare wrote, or is truncated";
	size_t signed_len = text->len - CACHE_TAG_BYTES;
	unsigned char tag[CACHE_TAG_BYTES];
	hmac_sha256(c->key, sizeof c->key, text->ptr, signed_len, tag);
	unsigned char diff = 0; /* compared in constant time */
	for (size_t i = 0; i < CACHE_TAG_BYTES; i++)
		diff |= (unsigned char)(tag[i] ^ (unsigned char)text->ptr[signed_len + i]);
	/* The checksum only tells a damaged index from another key's: the tag
	 * covers it (a second pass over 10 MB at 10,000 articles, saved) */
	uint64_t sum;
	memcpy(&sum, text->ptr + signed_len - 8, 8);
	if (diff && cache_hash(0, text->ptr, signed_len - 8) != sum)
		return "the build cache is truncated or corrupted";
	if (diff)
		return "the build cache was not written with this machine's key (PHARE_CACHE_KEY, or "
		       "phare-cache-key under ~/.local/state/phare): one from elsewhere is never trusted";
	text->len = signed_len;
	record_reader r = { (const unsigned char *)text->ptr + sizeof(CACHE_MAGIC) - 1,
			    (const unsigned char *)text->ptr + text->len - 8, false };
	if (record_get_u64(&r) != cache_hash_str(0, PHARE_VERSION))
		return "the build cache was made by another version of phare";
	if (record_get_u64(&r) != c->options) {
		c->quiet_drop = true; /* other options, or phare rebuilt: a full build, nothing amiss */
		return "other options";
	}
	c->generation = record_get_u64(&r);
	c->old_frame = record_get_u64(&r);
	c->old_inputs = record_get_u64(&r);
	c->old_site = record_get_u64(&r);
	c->old_site_files = record_get_u64(&r);
	c->old_lone_ctime = record_get_u64(&r);
	c->old_sitemap = record_get_u64(&r);
	uint64_t *seen[] = { &c->old_records_seen.dev,   &c->old_records_seen.ino,   &c->old_records_seen.size,
			     &c->old_records_seen.mtime, &c->old_records_seen.ctime, &c->old_records_time };
	for (size_t i = 0; i < sizeof seen / sizeof *seen; i++)
		*seen[i] = record_get_u64(&r);
	c->n_old_langs = (size_t)record_get_u64(&r);
	if (c->n_old_langs > SITE_MAX_LANGUAGES)
		return "the build cache is corrupted";
	for (size_t l = 0; l < c->n_old_langs; l++) {
		size_t n;
		const char *code = record_get_bytes(&r, &n);
		snprintf(c->old_langs[l].code, sizeof c->old_langs[l].code, "%.*s", (int)n, code);
		c->old_langs[l].digest = record_get_u64(&r);
		c->old_langs[l].count = record_get_u64(&r);
		c->old_langs[l].stamp = record_get_u64(&r);
		c->old_langs[l].words_len = record_get_u64(&r);
		c->old_langs[l].words_sum = record_get_u64(&r);
		uint64_t files = record_get_u64(&r);
		if (r.bad || files > (uint64_t)(r.end - r.p) / 16)
			return "the build cache is corrupted";
		for (uint64_t f = 0; f < files && !r.bad; f++) {
			size_t len;
			const char *name = record_get_bytes(&r, &len);
			uint64_t h = record_get_u64(&r);
			if (!r.bad)
				cache_lang_file(&c->old_langs[l], name, len, h);
		}
		c->old_pages[l] = (size_t)record_get_u64(&r);
		size_t n_state;
		const char *state = record_get_bytes(&r, &n_state);
		buf_add(&c->old_langs[l].state, state, n_state);
		c->old_langs[l].docs = record_get_u64(&r);
		c->old_langs[l].others = record_get_u64(&r);
	}
	uint64_t n = record_get_u64(&r);
	if (r.bad || n > (uint64_t)(r.end - r.p) / 48)
		return "the build cache is corrupted";
	c->entries = xcalloc((size_t)n + 1, sizeof(cache_entry));
	char path[PATH_MAX];
	size_t len = 0;
	for (size_t i = 0; i < n && record_get_after(&r, path, sizeof path, &len); i++) { /* cache_put_entry */
		cache_entry *e = &c->entries[c->n_entries++];
		uint64_t *small[] = { &e->ino, &e->size, &e->off, &e->len };
		for (size_t k = 0; k < sizeof small / sizeof small[0]; k++)
			*small[k] = record_get_varint(&r);
		uint64_t *whole[] = { &e->key, &e->mtime, &e->page, &e->sum, &e->search, &e->own };
		for (size_t k = 0; k < sizeof whole / sizeof whole[0]; k++)
			*whole[k] = record_get_u64(&r);
		e->path = arena_strndup(&b->arena, path, len);
		map_put(&c->by_path, e->path, e);
		c->live += e->len;
	}
	if (!r.bad)
		cache_get_sources(c, b, &r);
	if (!r.bad)
		cache_get_generations(c, b, &r);
	return r.bad || r.p != r.end ? "the build cache is corrupted" : NULL;
}

/* NULL when the record at off, len bytes, is in the mapped file with its
 * checksum (with hash; else only in it); else why not. */
static const char *cache_check_record(const cache *c, uint64_t off, uint64_t len, uint64_t sum, bool hash)
{
	if (!c->map || off > c->map_len || len > c->map_len - off)
		return "the build cache's records file is truncated";
	if (hash && cache_hash(0, c->map + off, (size_t)len) != sum)
		return "the build cache's records file is corrupted";
	return NULL;
}

/* The check of the records, by chunks of CACHE_CHECK_STEP, on every
 * thread: the file is the size of the site's text (120 MB for 20,000
 * pages), and reading it is most of its hashing. */
#define CACHE_CHECK_STEP 256

typedef struct cache_check_job {
	const cache *c;
	const char **why; /* a chunk's first failure, or NULL */
	bool hash;        /* each record hashed (else only its place checked) */
} cache_check_job;

static void cache_check_chunk(void *arg, size_t k)
{
	const cache_check_job *j = arg;
	const cache *c = j->c;
	const char *why = NULL;
	for (size_t i = k * CACHE_CHECK_STEP; !why && i < (k + 1) * CACHE_CHECK_STEP; i++) {
		if (i < c->n_entries)
			why = cache_check_record(c, c->entries[i].off, c->entries[i].len, c->entries[i].sum, j->hash);
		else if (i - c->n_entries < c->n_old_models)
			why = cache_check_record(c, c->old_models[i - c->n_entries].off,
						 c->old_models[i - c->n_entries].len,
						 c->old_models[i - c->n_entries].sum, j->hash);
	}
	j->why[k] = why;
}

/* The window of a racy file (CACHE_RACY_NS) with the times of st:
 * PHARE_CACHE_RACY_NS, the tests' (which build small sites in a few
 * milliseconds); else, when its file system keeps times finer than a
 * millisecond (seen on both: one such time is a whole number of
 * milliseconds once in a million), two ticks of the clock file times are
 * taken from (4 ms at 250 Hz) and one millisecond; else CACHE_RACY_NS. */
static uint64_t cache_racy_window(const struct stat *st)
{
	const char *env = getenv("PHARE_CACHE_RACY_NS");
	if (env && *env)
		return strtoull(env, NULL, 10);
	struct timespec tick;
	if (st->st_mtim.tv_nsec % 1000000 && st->st_ctim.tv_nsec % 1000000 &&
	    clock_getres(CLOCK_REALTIME_COARSE, &tick) == 0 && tick.tv_sec == 0)
		return 2 * (uint64_t)tick.tv_nsec + 1000000;
	return CACHE_RACY_NS;
}

/* Whether the records file (st) is, by its stat fields, the one the last
 * build left, settled then: any write since moves its change time, and its
 * times were before that build's look at it by more than a clock tick, so
 * that a write in the tick of its last one cannot hide.  Then its records
 * are not hashed again (62 MB at 10,000 articles × 2, 627 MB at 100,000):
 * what the index says of them is what it says of that file. */
static bool cache_records_settled(const cache *c, const struct stat *st)
{
	const cache_seen now = cache_seen_of(st);
	return c->old_records_time &&
	       cache_settled(&now, &c->old_records_seen, c->old_records_time, cache_racy_window(st));
}

/* This build's records file as it leaves it, for cache_records_settled
 * (nothing recorded when it cannot be looked at: hashed next time). */
static void cache_records_stamp(cache *c)
{
	struct stat st;
	struct timespec now;
	if (lstat(c->records, &st) == 0 && clock_gettime(CLOCK_REALTIME, &now) == 0) {
		c->records_seen = cache_seen_of(&st);
		c->records_time = cache_ns(now);
	}
}

/* Maps the records file and checks every record against its checksum
 * (the first failing record's reason, whatever the threads), unless the
 * file is the one the last build left (cache_records_settled). */
static const char *cache_map_records(cache *c, int threads)
{
	int fd = open(c->old_records, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return "the build cache's records file is missing";
	struct stat st;
	const char *why = NULL;
	bool settled = false;
	if (fstat(fd, &st) != 0 || st.st_size == 0) {
		why = st.st_size == 0 && (c->n_entries || c->n_old_models)
			      ? "the build cache's records file is truncated"
			      : NULL;
	} else {
		/* mapped whole at once when every record is to be hashed; else
		 * each page as the threads that read its records come to it, not
		 * all of them on this thread before the model loads */
		settled = cache_records_settled(c, &st);
		void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | (settled ? 0 : MAP_POPULATE), fd, 0);
		if (p != MAP_FAILED) {
			c->map = p;
			c->map_len = (size_t)st.st_size;
		}
	}
	close(fd);
	size_t n = (c->n_entries + c->n_old_models + CACHE_CHECK_STEP - 1) / CACHE_CHECK_STEP;
	if (why || !n)
		return why;
	settled = settled && c->map;
	c->records_how = settled ? "as the last build left them (by their file's stat fields), not hashed"
				 : "each checked against its hash";
	cache_check_job j = { c, xcalloc(n, sizeof(char *)), !settled };
	workers_each(settled ? 1 : threads, n, cache_check_chunk, &j);
	for (size_t k = 0; !why && k < n; k++)
		why = j.why[k];
	free(j.why);
	return why;
}

/* Forgets the previous cache (it is not to be used). */
static void cache_lang_release(cache_lang *l)
{
	search_dict_free(l->dict);
	l->dict = NULL;
	buf_release(&l->words);
	buf_release(&l->state);
	free(l->other_urls);
	l->other_urls = NULL;
	l->n_other = l->cap_other = 0;
	for (size_t i = 0; i < l->n_files; i++)
		free((char *)l->file_names[i]);
	free(l->file_names);
	free(l->file_hashes);
	map_release(&l->file_at);
	l->file_names = NULL;
	l->file_hashes = NULL;
	l->n_files = l->cap_files = 0;
}

/* The words file of language code (malloc'd path). */
static char *cache_words_path(const cache *c, const char *code)
{
	char name[16 + 2 * sizeof((cache_lang *)0)->code];
	size_t n = (size_t)snprintf(name, sizeof name, "words-");
	for (const unsigned char *p = (const unsigned char *)code; *p && n + 3 <= sizeof name; p++)
		n += (size_t)snprintf(name + n, sizeof name - n, "%02x", *p);
	return fsx_join(c->dir, name);
}

/* Whether .phare and .phare/cache are real folders (made when create). */
static bool cache_real_dirs(const cache *c, bool create)
{
	struct stat st;
	char *top = xstrdup(c->dir);
	*strrchr(top, '/') = '\0';
	if (create)
		(void)!mkdir(top, 0755);
	bool ok = lstat(top, &st) == 0 && S_ISDIR(st.st_mode); /* before anything is made in it */
	if (ok && create)
		(void)!mkdir(c->dir, 0755);
	ok = ok && lstat(c->dir, &st) == 0 && S_ISDIR(st.st_mode);
	free(top);
	return ok;
}

/* A file of the cache (its index, a words file), without following a link
 * (.phare/ may come from a stranger, and nothing outside the source folder
 * is read) and without a message. */
static bool cache_read_small(const cache *c, const char *path, buf *out)
{
	struct stat st;
	bool ok = cache_real_dirs(c, false);
	int fd = ok ? open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) : -1;
	ok = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < (1 << 30);
	char chunk[65536];
	ssize_t n = 0;
	while (ok && ((n = read(fd, chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR)))
		if (n > 0)
			buf_add(out, chunk, (size_t)n);
	if (fd >= 0)
		close(fd);
	return ok && n == 0;
}

/* The words of each language of the previous index, read and checked
 * (their records name words by number: without them, none is of use). */
static const char *cache_read_words(cache *c)
{
	for (size_t l = 0; l < c->n_old_langs; l++) {
		cache_lang *old = &c->old_langs[l];
		char *path = cache_words_path(c, old->code);
		bool ok = cache_read_small(c, path, &old->words) && old->words.len >= old->words_len;
		free(path);
		if (ok) {
			old->words.len = (size_t)old->words_len; /* words a failed build added after them */
			old->dict = search_dict_new();
			ok = cache_hash(0, old->words.ptr ? old->words.ptr : "", old->words.len) == old->words_sum &&
			     search_dict_load(old->dict, old->words.ptr, old->words.len);
		}
		if (!ok)
			return "the build cache's words file is missing, truncated or corrupted";
	}
	return NULL;
}

static void cache_drop_old(cache *c)
{
	if (c->map)
		munmap((void *)c->map, c->map_len);
	c->map = NULL;
	map_release(&c->by_path);
	memset(&c->by_path, 0, sizeof c->by_path);
	free(c->entries);
	c->entries = NULL;
	c->n_entries = 0;
	for (size_t l = 0; l < c->n_old_langs; l++)
		cache_lang_release(&c->old_langs[l]);
	c->n_old_langs = 0;
	for (size_t i = 0; i < c->n_srcs; i++)
		c->srcs[i].rec_len = 0; /* their records are in that file */
}

/* Reads the previous index (with it, the stat cache of the sources, then
 * used to hash them): nothing to do when they and the site are as the last
 * build left them; else the previous records are mapped. */
static void cache_load(cache *c, builder *b)
{
	buf text = BUF_INIT;
	bool had_records = false;
	cache_walk_start(c, b); /* while the index is read */
	char **names = fsx_list(c->dir);
	for (char **p = names; p && *p; p++)
		had_records |= strncmp(*p, "pages-", 6) == 0;
	fsx_free_list(names);
	if (!fsx_is_file(c->index_path)) {
		if (had_records)
			cache_say(b, ".phare/cache/index", "the build cache's index is missing");
		c->defer = true; /* nothing to compare with: hashed as the model reads them */
		cache_scan_sources(c, b);
		cache_index_sources(c, b);
		return;
	}
	const char *why = NULL;
	if (!cache_read_small(c, c->index_path, &text))
		why = "the build cache's index cannot be read (not a regular file in a real folder)";
	else
		why = cache_read_index(c, b, &text);
	c->old_index_len = text.len;
	buf_release(&text);
	if (why) {
		cache_drop_sources(c);
		cache_drop_generations(c);
		cache_drop_models(c);
	}
	/* the live site is looked at while the sources are walked */
	cache_stamp_job site;
	cache_live_start(c, b, &site, !why);
	c->defer = why != NULL;
	cache_scan_sources(c, b);
	uint64_t sources = cache_sources(c);
	bool same = !why && sources && c->old_inputs == sources && c->old_site;
	if (why)
		atomic_store(&site.stop, true);
	uint64_t files = cache_stamp_finish(&site, NULL);
	if (same && files && files == c->old_site_files) {
		c->up_to_date = true;
		return;
	}
	/* its page folders are not looked at (cache_live_start) */
	c->live_intact = !why && files && c->old_site && files == c->old_site_files;
	cache_index_sources(c, b);
	if (!why) {
		char name[64];
		snprintf(name, sizeof name, "pages-%llu.bin", (unsigned long long)c->generation);
		c->old_records = fsx_join(c->dir, name);
		why = cache_map_records(c, workers_count(b->opt->threads));
		if (!why)
			why = cache_read_words(c);
	}
	cache_drop_models(c);
	if (why) {
		if (!c->quiet_drop)
			cache_say(b, ".phare/cache/index", why);
		cache_drop_old(c);
	}
}

/* The new records go after the previous ones, in the same file, when most
 * of it is still in use: a reused page's record stays where it is (the
 * index is what says which records count, and it is replaced last).
 * Else a new file, the reused records copied into it. */
static bool cache_start_writing(cache *c)
{
	if (c->map && c->map_len <= 2 * c->live + (1u << 20)) {
		c->fd = open(c->old_records, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
		if (c->fd >= 0) {
			c->append = true;
			c->records = xstrdup(c->old_records);
			return true;
		}
	}
	char name[64];
	snprintf(name, sizeof name, "pages-%llu.bin", (unsigned long long)c->generation + 1);
	c->records = fsx_join(c->dir, name);
	/* O_APPEND, and no O_TRUNC: two builds of one source at once each find their records where they wrote them */
	c->fd = open(c->records, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
	return c->fd >= 0;
}

static cache *cache_new(builder *b)
{
	cache *c = xcalloc(1, sizeof(*c));
	c->fd = -1;
	pthread_mutex_init(&c->lock, NULL);
	c->dir = fsx_join(b->opt->source, ".phare/cache");
	c->index_path = fsx_join(c->dir, "index");
	c->options = cache_options_hash(b);
	/* the tests' check that the frame hash covers what a page frame is made of */
	const char *check = getenv("PHARE_CACHE_CHECK_FRAME");
	c->check_frame = check && *check;
	b->cache = c;
	return c;
}

bool cache_up_to_date(builder *b)
{
	if (!b->opt->cache || b->opt->dry_run || b->session)
		return false;
	cache *c = cache_new(b);
	const char *why = cache_secret(c, b);
	if (why) {
		if (!b->opt->quiet)
			diag_warning(NULL, 0, 0, "build cache: %s; building without it", why);
		cache_free(b);
		return false;
	}
	cache_load(c, b);
	return c->up_to_date;
}

void cache_summary(const builder *b, build_stats *st)
{
	const cache *c = b->cache;
	if (c)
		st->records_how = c->records_how;
	if (!c || !c->up_to_date)
		return;
	static char codes[SITE_MAX_LANGUAGES][16];
	st->unchanged = true;
	st->n_langs = c->n_old_langs;
	st->pages = 0;
	for (size_t l = 0; l < c->n_old_langs; l++) {
		snprintf(codes[l], sizeof codes[l], "%s", c->old_langs[l].code);
		st->lang_codes[l] = codes[l];
		st->pages_per_lang[l] = c->old_pages[l];
		st->pages += c->old_pages[l];
	}
}

/* Each language's dictionary of search words: the previous build's, else a new one. */
static void cache_open_words(builder *b, cache *c)
{
	for (size_t l = 0; l < b->m.cfg.n_languages; l++) {
		cache_lang *now = &c->langs[l];
		snprintf(now->code, sizeof now->code, "%s", b->m.cfg.languages[l].code);
		for (size_t i = 0; i < c->n_old_langs && !now->dict; i++) {
			cache_lang *old = &c->old_langs[i];
			if (strcmp(old->code, now->code) == 0 && old->dict) {
				now->dict = old->dict;
				now->words = old->words;
				old->dict = NULL;
				old->words = (buf)BUF_INIT;
				now->loaded = true;
			}
		}
		if (!now->dict)
			now->dict = search_dict_new();
		now->words_from = search_dict_count(now->dict);
		search_index_use_dict(b->search[l], now->dict);
	}
}

/* Each language's words file, when this build added words to its
 * dictionary (before the index that names its length: a build that fails
 * in between leaves words after that length, which the next one drops). */
static bool cache_save_words(const builder *b, cache *c)
{
	bool ok = true;
	for (size_t l = 0; l < b->m.cfg.n_languages && ok; l++) {
		cache_lang *now = &c->langs[l];
		if (!now->dict)
			continue;
		size_t was = now->words.len;
		search_dict_save(now->dict, now->words_from, &now->words);
		now->words_len = now->words.len;
		now->words_sum = cache_hash(0, now->words.ptr ? now->words.ptr : "", now->words.len);
		if (was == now->words.len && now->loaded)
			continue; /* the file holds them already */
		char *path = cache_words_path(c, now->code);
		char *tmp = fsx_join(c->dir, "words.new");
		(void)unlink(tmp);
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		ok = fd >= 0 &&
		     write(fd, now->words.ptr ? now->words.ptr : "", now->words.len) == (ssize_t)now->words.len;
		if (fd >= 0)
			ok = close(fd) == 0 && ok;
		ok = ok && rename(tmp, path) == 0;
		if (!ok)
			(void)unlink(tmp);
		free(tmp);
		free(path);
	}
	return ok;
}

/* One article's part of cache_frame_hash (o: scratch). */
static uint64_t cache_frame_article(const builder *b, const article *art, buf *o)
{
	buf_reset(o);
	article_put_frame(art, o);
	uint64_t h = cache_hash(cache_hash_str(0, art->path), o->ptr ? o->ptr : "", o->len);
	if (art->fallback_of)
		h = cache_hash_str(cache_mix(h, 1), art->fallback_of->path);
	return cache_mix(h, art->key ? (uint64_t)translations_state(&b->m, art->key, art->lang) : 0xff);
}

/* The articles' parts of the frame hash, a chunk of them a job, on every
 * thread (20,000 front matters packed and hashed). */
#define CACHE_FRAME_STEP 512

typedef struct cache_frame_job {
	const builder *b;
	uint64_t *parts; /* per article */
} cache_frame_job;

static void cache_frame_chunk(void *arg, size_t k)
{
	const cache_frame_job *j = arg;
	const model *m = &j->b->m;
	buf o = BUF_INIT;
	for (size_t i = k * CACHE_FRAME_STEP; i < m->n_articles && i < (k + 1) * CACHE_FRAME_STEP; i++)
		j->parts[i] = cache_frame_article(j->b, m->articles[i], &o);
	buf_release(&o);
}

/* What every article page's frame is made of (its template data but for
 * its body: sidebar, breadcrumbs, pager, translations and their notes)
 * and what its links, images and blocks are answered from: the theme,
 * site.yaml and the options (global), each language's shared values,
 * every source but the articles by content (tables, rules, images,
 * anything a link may name), and each article's and _index.md's front
 * matter (article_put_frame), path and translation state.  When it is the
 * last build's, an article whose own source is the same (cache_own) has
 * the page it had: reused without its frame made again
 * (cache_article_unchanged).  0 when a source's hash is not known. */
static uint64_t cache_frame_hash(const builder *b, const cache *c)
{
	const model *m = &b->m;
	uint64_t h = cache_mix(c->global, m->cfg.n_languages), files = 0;
	for (size_t l = 0; l < m->cfg.n_languages; l++)
		h = cache_mix(h, c->lang_hash[l]);
	for (size_t i = 0; i < c->n_srcs; i++) {
		const cache_src *f = &c->srcs[i];
		if (!f->hash)
			return 0;
		if (!f->art) /* the model's order is the articles' (below); the walk's is the others' */
			files += cache_mix(cache_hash_str(0, f->rel), f->hash);
	}
	h = cache_mix(cache_mix(h, files), m->n_articles);
	cache_frame_job j = { b, xcalloc(m->n_articles + 1, sizeof(uint64_t)) };
	workers_each(workers_count(b->opt->threads), (m->n_articles + CACHE_FRAME_STEP - 1) / CACHE_FRAME_STEP,
		     cache_frame_chunk, &j);
	for (size_t i = 0; i < m->n_articles; i++)
		h = cache_mix(h, j.parts[i]);
	free(j.parts);
	buf o = BUF_INIT;
	for (size_t l = 0; l < m->cfg.n_languages; l++) {
		const lang_site *ls = &m->langs[l];
		h = cache_mix(h, ls->home ? cache_frame_article(b, ls->home, &o) : 0);
		for (size_t k = 0; k < ls->n_sections; k++)
			h = cache_mix(cache_hash_str(h, ls->sections[k]->key),
				      ls->sections[k]->index ? cache_frame_article(b, ls->sections[k]->index, &o) : 0);
	}
	buf_release(&o);
	return h | 1;
}

void cache_open(builder *b)
{
	cache *c = b->cache;
	if (!c)
		return;
	cache_settle(c);
	c->global = cache_global_hash(b, c->options);
	for (size_t l = 0; l < b->m.cfg.n_languages; l++)
		c->lang_hash[l] = cache_value(c->global, b->lang_ctx[l]);
	c->frame = cache_frame_hash(b, c);
	cache_open_words(b, c);
	for (size_t l = 0; l < b->m.cfg.n_languages; l++)
		search_index_state(b->search[l], &c->langs[l].state);
	c->slots = xcalloc(b->m.n_articles + 1, sizeof(cache_slot));
	/* A read-only source folder, or a link there (no link in a source
	 * folder that may come from a stranger is written through): built
	 * without keeping a cache, silently. */
	if (!cache_real_dirs(c, true) || !cache_start_writing(c))
		c->write_failed = true;
}

/* ---- one article ---- */

/* The page's key: everything it is made from that is known before it renders. */
static uint64_t cache_key(const builder *b, const cache *c, const article *art, const value *ctx)
{
	const value *shared = b->lang_ctx[art->lang];
	uint64_t h = cache_mix(c->lang_hash[art->lang], ctx->u.map.len);
	for (size_t i = 0; i < ctx->u.map.len; i++) {
		/* the language's shared values, unchanged, are in lang_hash */
		if (i < shared->u.map.len && ctx->u.map.vals[i] == shared->u.map.vals[i])
			continue;
		h = cache_value(cache_hash_str(h, ctx->u.map.keys[i]), ctx->u.map.vals[i]);
	}
	h = cache_hash_str(h, art->path);
	h = cache_mix(h, (uint64_t)art->body_line);
	h = cache_mix(h, (uint64_t)(art->fallback_of != NULL) | (uint64_t)b->live << 1);
	/* the revision hashes the article's whole file (content/article.h): its body need not be hashed again */
	h = cache_mix(h, art->body_len);
	return cache_hash(h, art->revision, strlen(art->revision));
}

static bool cache_same(const buf *out, uint64_t sum)
{
	return cache_hash(0, out->ptr ? out->ptr : "", out->len) == sum;
}

/* Asks the record's questions again; true when every answer is the same.
 * replay: the links again for real (their anchors are checked later).
 * *failed: the status of a block that failed (and said why). */
static bool cache_deps(builder *b, article *art, record_reader *r, bool replay, phare_status *failed)
{
	uint64_t n = record_get_u64(r);
	bool same = !r->bad;
	for (uint64_t i = 0; same && i < n; i++) {
		uint64_t kind = record_get_u64(r);
		size_t len;
		const char *bytes = record_get_bytes(r, &len);
		int line = (int)record_get_u64(r), col = (int)record_get_u64(r);
		uint64_t x = record_get_u64(r), y = record_get_u64(r);
		/* replayed, a link with the same answer only queues its anchor check: none without '#' */
		if (replay && !r->bad && (kind != DEP_LINK || !memchr(bytes, '#', len)))
			continue;
		char *what = xmalloc(len + 1);
		memcpy(what, bytes, len);
		what[len] = '\0';
		buf out = BUF_INIT;
		if (r->bad) {
			same = false;
		} else if (kind == DEP_LINK) {
			same = (replay ? links_rewrite(b, art, what, x != 0, line, col, &out)
				       : links_resolve(b, art, what, x != 0, &out)) == PHARE_OK &&
			       cache_same(&out, y);
		} else if (kind == DEP_IMAGE) {
			int w = 0, h = 0;
			bool ok = pages_image_size(b, what, &w, &h);
			if (!ok)
				w = h = 0;
			same = (uint64_t)ok == x && ((uint64_t)(unsigned)w << 32 | (unsigned)h) == y;
		} else {
			phare_status st = kind == DEP_BLOCK ? blocks_render(b, art, what, line, &out) : PHARE_ERR_INPUT;
			if (st && kind == DEP_BLOCK && failed)
				*failed = st;
			same = !st && cache_same(&out, y);
		}
		buf_release(&out);
		free(what);
	}
	return same;
}

/* Whether the previous page's file is the one the cache saw written: the
 * same inode, size and time (it was written or linked by the last build),
 * else the same bytes (a site restored from a CI cache). */
static bool cache_page_intact(const cache_entry *e, const char *file)
{
	struct stat st;
	if (lstat(file, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size != e->size)
		return false;
	if ((uint64_t)st.st_ino == e->ino && cache_mtime(&st) == e->mtime)
		return true;
	char *chunk = xmalloc(CACHE_CHUNK); /* seldom: a site restored, or touched */
	uint64_t h = cache_file_hash(file, 0, chunk);
	free(chunk);
	return h == e->page;
}

/* The previous page's file, if it is intact, linked into the new site.
 * When the live site's stamp was the one recorded, each of its files is
 * the one the index describes: not looked at again. */
static bool cache_link_page(builder *b, const cache_entry *e, const char *path)
{
	buf rel = BUF_INIT;
	buf_adds(&rel, path);
	buf_adds(&rel, "index.html");
	if (cache_same_file(b, rel.ptr)) { /* most pages of a rebuild: nothing to make */
		buf_release(&rel);
		return true;
	}
	char *old = fsx_join(b->opt->out, path);
	buf from = BUF_INIT;
	buf_adds(&from, old);
	buf_adds(&from, "index.html");
	bool ok = (((const cache *)b->cache)->live_intact || cache_page_intact(e, from.ptr)) &&
		  output_link(b, from.ptr, rel.ptr);
	buf_release(&from);
	buf_release(&rel);
	free(old);
	return ok;
}

/* Writes batch t to the records file (in one write: O_APPEND keeps it
 * whole), its records' places into their slots; t is then empty. */
static void cache_batch_write(cache *c, cache_batch *t)
{
	if (!t->n)
		return;
	size_t len = t->data.len;
	pthread_mutex_lock(&c->lock);
	ssize_t w;
	do
		w = c->write_failed ? -1 : write(c->fd, t->data.ptr, len);
	while (w < 0 && errno == EINTR && !c->write_failed);
	off_t end = w == (ssize_t)len ? lseek(c->fd, 0, SEEK_CUR) : -1;
	if (end < (off_t)len)
		c->write_failed = true;
	for (size_t i = 0; !c->write_failed && i < t->n; i++) {
		t->slots[i]->off += (uint64_t)end - len;
		t->slots[i]->done = true;
	}
	pthread_mutex_unlock(&c->lock);
	buf_reset(&t->data);
	t->n = 0;
}

/* Appends a record to the new records file, through a batch of the
 * caller's for the time of the call: one write and one lock a megabyte,
 * not a record (20,000 of them); slot gets its place when the batch is
 * written (cache_save writes the last ones). */
static void cache_append(cache *c, cache_slot *slot, const void *data, size_t len)
{
	slot->len = len;
	slot->sum = cache_hash(0, data, len);
	pthread_mutex_lock(&c->lock);
	cache_batch *t = c->free_batches;
	if (t) {
		c->free_batches = t->next_free;
	} else {
		t = xcalloc(1, sizeof *t);
		t->next_all = c->all_batches;
		c->all_batches = t;
	}
	pthread_mutex_unlock(&c->lock);
	slot->off = t->data.len; /* in the batch, until it is written */
	buf_add(&t->data, data, len);
	t->slots = xgrow(t->slots, &t->cap, t->n + 1, sizeof *t->slots);
	t->slots[t->n++] = slot;
	if (t->data.len >= CACHE_BATCH)
		cache_batch_write(c, t);
	pthread_mutex_lock(&c->lock);
	t->next_free = c->free_batches;
	c->free_batches = t;
	pthread_mutex_unlock(&c->lock);
}

/* The page reused: what its render would have left (its file is linked). */
static void cache_take(builder *b, article *art, const cache_entry *e, record_reader *deps, char *ids)
{
	cache *c = b->cache;
	cache_slot *slot = &c->slots[art->index];
	(void)cache_deps(b, art, deps, true, NULL); /* the same answers: queues its anchor checks */
	free(b->heading_ids[art->index]);
	b->heading_ids[art->index] = ids;
	output_article_reused(b, art, e->path);
	slot->reused = e;
	slot->search = e->search;
	slot->page = e->page;
	if (c->append)
		*slot = (cache_slot){ .key = slot->key,
				      .own = slot->own,
				      .off = e->off,
				      .len = e->len,
				      .sum = e->sum,
				      .search = e->search,
				      .page = e->page,
				      .reused = e,
				      .done = true,
				      .unchanged = slot->unchanged };
	else
		cache_append(c, slot, c->map + e->off, (size_t)e->len);
	atomic_fetch_add(&c->reused, 1);
}

/* What of an article page's key is its own source's: its file (the
 * revision hashes all of it), where its body starts, whether it stands in
 * for a missing translation. */
static uint64_t cache_own(const builder *b, const article *art)
{
	uint64_t h = cache_hash_str(cache_mix(0, (uint64_t)art->body_line), art->path);
	h = cache_mix(h, (uint64_t)(art->fallback_of != NULL) | (uint64_t)b->live << 1);
	h = cache_mix(h, art->body_len);
	return cache_hash(h, art->revision, strlen(art->revision)) | 1;
}

/* The previous page of art, entry e, taken when it can be: its record
 * read, its questions asked again (ask) with the same answers, its file
 * linked.  *st: the status of a block that now fails (the page fails as
 * its render would: taken all the same). */
static bool cache_reuse_entry(builder *b, article *art, const cache_entry *e, const char *path, bool ask,
			      phare_status *st)
{
	cache *c = b->cache;
	record_reader r = { c->map + e->off, c->map + e->off + e->len, false };
	char *ids = cache_get_dup(&r);
	record_reader deps = r;
	bool same = !r.bad && (!ask || cache_deps(b, art, &r, false, st));
	if (ask && !same && c->check_frame && c->slots[art->index].unchanged) {
		fprintf(stderr, "phare: build cache: %s: its frame was the last build's but its answers differ\n",
			art->path);
		abort();
	}
	bool hit = same && cache_link_page(b, e, path);
	if (hit)
		cache_take(b, art, e, &deps, ids);
	else
		free(ids);
	return hit || *st;
}

bool cache_article_unchanged(builder *b, article *art, phare_status *st)
{
	cache *c = b->cache;
	*st = PHARE_OK;
	if (!c || !c->slots || !c->frame || c->frame != c->old_frame)
		return false;
	cache_slot *slot = &c->slots[art->index];
	slot->own = cache_own(b, art);
	buf p = BUF_INIT;
	cache_page_path(b, art, &p);
	const char *path = p.ptr;
	const cache_entry *e = map_get(&c->by_path, path);
	bool hit = false;
	if (e && e->own == slot->own) {
		slot->unchanged = true;
		if (!c->check_frame) {
			slot->key = e->key;
			hit = cache_reuse_entry(b, art, e, path, false, st);
		}
	}
	buf_release(&p);
	return hit;
}

bool cache_article_reuse(builder *b, article *art, const value *ctx, cache_rec **rec, phare_status *st)
{
	cache *c = b->cache;
	*rec = NULL;
	*st = PHARE_OK;
	if (!c)
		return false;
	cache_slot *slot = &c->slots[art->index];
	slot->key = cache_key(b, c, art, ctx);
	slot->own = cache_own(b, art);
	buf p = BUF_INIT;
	cache_page_path(b, art, &p);
	const char *path = p.ptr;
	const cache_entry *e = map_get(&c->by_path, path);
	if (c->check_frame && slot->unchanged && (!e || e->key != slot->key)) {
		fprintf(stderr, "phare: build cache: %s: its frame was the last build's but its key differs\n",
			art->path);
		abort();
	}
	bool hit = e && e->key == slot->key && cache_reuse_entry(b, art, e, path, true, st);
	buf_release(&p);
	if (!hit)
		*rec = xcalloc(1, sizeof(cache_rec));
	return hit;
}

void cache_article_page(builder *b, const article *art, const char *html, size_t len)
{
	cache *c = b->cache;
	if (c && c->slots)
		c->slots[art->index].page = cache_hash(0, html ? html : "", len) | 1;
}

static void cache_rec_dep(cache_rec *rec, uint64_t kind, const char *what, int line, int col, uint64_t x, uint64_t y)
{
	record_put_u64(&rec->deps, kind);
	record_put_bytes(&rec->deps, what, strlen(what));
	record_put_u64(&rec->deps, (uint64_t)line);
	record_put_u64(&rec->deps, (uint64_t)col);
	record_put_u64(&rec->deps, x);
	record_put_u64(&rec->deps, y);
	rec->n_deps++;
}

void cache_rec_link(cache_rec *rec, const char *url, bool image, int line, int col, const char *out, size_t n)
{
	if (rec)
		cache_rec_dep(rec, DEP_LINK, url, line, col, image, cache_hash(0, out, n));
}

void cache_rec_image(cache_rec *rec, const char *url, bool ok, int w, int h)
{
	if (rec)
		cache_rec_dep(rec, DEP_IMAGE, url, 0, 0, ok, (uint64_t)(unsigned)w << 32 | (unsigned)h);
}

void cache_rec_block(cache_rec *rec, const char *info, int line, const char *out, size_t n)
{
	if (rec)
		cache_rec_dep(rec, DEP_BLOCK, info, line, 0, 0, cache_hash(0, out, n));
}

void cache_rec_free(cache_rec *rec)
{
	if (!rec)
		return;
	buf_release(&rec->deps);
	free(rec);
}

void cache_article_done(builder *b, const article *art, cache_rec *rec, const buf *counted)
{
	cache *c = b->cache;
	if (!c || !rec)
		return;
	cache_slot *slot = &c->slots[art->index];
	buf o = BUF_INIT;
	const char *ids = b->heading_ids[art->index];
	record_put_bytes(&o, ids ? ids : "", ids ? strlen(ids) : 0);
	record_put_u64(&o, rec->n_deps);
	buf_add(&o, rec->deps.ptr ? rec->deps.ptr : "", rec->deps.len);
	record_put_u64(&o, counted != NULL);
	if (counted) {
		record_put_bytes(&o, counted->ptr ? counted->ptr : "", counted->len);
		/* its url, title, trail and description are in the key too */
		slot->search = cache_mix(cache_hash(slot->key, counted->ptr ? counted->ptr : "", counted->len), 1) | 1;
		if (atomic_fetch_add(&c->counted_new[art->lang], 1) < CACHE_PATCH_PAGES) {
			slot->patch_rec = xmalloc(counted->len + 1);
			memcpy(slot->patch_rec, counted->ptr ? counted->ptr : "", counted->len);
			slot->patch_len = counted->len;
		}
	}
	cache_append(c, slot, o.ptr, o.len);
	buf_release(&o);
	cache_rec_free(rec);
	atomic_fetch_add(&c->rendered, 1);
}

/* ---- saving ---- */

/* The entry of article art for the new index, if its page is in place:
 * its path front-coded after the last entry's (last, then its own), its
 * small numbers as varints, its times and hashes whole. */
static bool cache_put_entry(builder *b, buf *o, const article *art, buf *last)
{
	const cache_slot *slot = &((cache *)b->cache)->slots[art->index];
	if (!slot->done)
		return false;
	const cache *c = b->cache;
	buf p = BUF_INIT;
	cache_page_path(b, art, &p);
	size_t path_len = p.len; /* the entry's path; then its page's file */
	buf_adds(&p, "index.html");
	const char *rel = p.ptr;
	uint64_t page = slot->page; /* cache_article_page, or the reused entry's */
	/* the file as the live site's stamp saw it, else looked at */
	const cache_seen *was = c->live_stamp ? cache_seen_at(&c->new_live, c->live_seen, rel) : NULL;
	cache_seen seen = { 0, 0, 0, 0, 0, 0 };
	struct stat st;
	bool ok = page != 0;
	if (ok && was) {
		seen = *was;
	} else if (ok) {
		char *file = fsx_join(b->opt->out, rel);
		ok = lstat(file, &st) == 0;
		if (ok)
			seen = cache_seen_of(&st);
		free(file);
	}
	if (ok) {
		p.ptr[path_len] = '\0';
		record_put_after(o, last->ptr, p.ptr);
		buf_reset(last);
		buf_add(last, p.ptr, path_len);
		const uint64_t small[] = { seen.ino, seen.size, slot->off, slot->len };
		for (size_t k = 0; k < sizeof small / sizeof small[0]; k++)
			record_put_varint(o, small[k]);
		const uint64_t whole[] = { slot->key, seen.mtime, page, slot->sum, slot->search, slot->own };
		for (size_t k = 0; k < sizeof whole / sizeof whole[0]; k++)
			record_put_u64(o, whole[k]);
	}
	buf_release(&p);
	return ok;
}

static void cache_put_index(builder *b, buf *o)
{
	cache *c = b->cache;
	const model *m = &b->m;
	buf_grow(o, c->old_index_len + c->old_index_len / 8); /* about as large: grown once, not doubled */
	buf_add(o, CACHE_MAGIC, sizeof(CACHE_MAGIC) - 1);
	record_put_u64(o, cache_hash_str(0, PHARE_VERSION));
	record_put_u64(o, c->options);
	record_put_u64(o, c->generation + !c->append);
	record_put_u64(o, c->frame);
	/* the sources as they were when the build started (an edit during it
	 * moves a change time; a deferred hash, cache_settle, was taken after
	 * the build read the file) */
	record_put_u64(o, cache_sources(c));
	record_put_u64(o, c->live_stamp);
	record_put_u64(o, c->live_files);
	record_put_u64(o, c->live_lone_ctime);
	record_put_u64(o, c->sitemap);
	const uint64_t seen[] = { c->records_seen.dev,   c->records_seen.ino,   c->records_seen.size,
				  c->records_seen.mtime, c->records_seen.ctime, c->records_time };
	for (size_t i = 0; i < sizeof seen / sizeof *seen; i++)
		record_put_u64(o, seen[i]);
	record_put_u64(o, m->cfg.n_languages);
	for (size_t l = 0; l < m->cfg.n_languages; l++) {
		cache_lang *now = &c->langs[l];
		now->stamp = c->live_stamp != 0; /* its files are in the live site's stamp */
		record_put_bytes(o, now->code, strlen(now->code));
		record_put_u64(o, now->digest);
		record_put_u64(o, now->count);
		record_put_u64(o, now->stamp);
		record_put_u64(o, now->words_len);
		record_put_u64(o, now->words_sum);
		const cache_lang *files = now->written ? now : cache_old_lang(c, now->code);
		record_put_u64(o, files ? files->n_files : 0);
		for (size_t f = 0; files && f < files->n_files; f++) {
			record_put_bytes(o, files->file_names[f], strlen(files->file_names[f]));
			record_put_u64(o, files->file_hashes[f]);
		}
		record_put_u64(o, b->pages_written[l]);
		const cache_lang *st = now->state.len ? now : cache_old_lang(c, now->code);
		record_put_bytes(o, st && st->state.ptr ? st->state.ptr : "", st ? st->state.len : 0);
		record_put_u64(o, now->docs);
		record_put_u64(o, now->others);
	}
	size_t at = o->len, n = 0; /* the count, then the entries, written in place */
	record_put_u64(o, 0);
	buf last = BUF_INIT;
	for (size_t i = 0; i < m->n_articles; i++) /* in the model's order, not the names' */
		n += cache_put_entry(b, o, m->articles[i], &last);
	buf_release(&last);
	uint64_t count = n;
	memcpy(o->ptr + at, &count, sizeof count);
	cache_put_sources(c, o);
	cache_put_generations(c, o);
	record_put_u64(o, cache_hash(0, o->ptr, o->len));
}

/* .phare/ holds working files, never to be committed (serve.c writes the same). */
static void cache_gitignore(const builder *b)
{
	static const char text[] = "# phare's working files (build cache, preview build, feedback votes)\n*\n";
	char *ignore = fsx_join(b->m.source, ".phare/.gitignore");
	int fd = open(ignore, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd >= 0) {
		(void)!write(fd, text, sizeof(text) - 1);
		close(fd);
	}
	free(ignore);
}

/* The new index in place (written beside, then renamed over), silently. */
static bool cache_write_index(const cache *c, const buf *o)
{
	char *tmp = fsx_join(c->dir, "index.new");
	(void)unlink(tmp);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	bool ok = fd >= 0 && write(fd, o->ptr, o->len) == (ssize_t)o->len;
	if (fd >= 0)
		ok = close(fd) == 0 && ok;
	ok = ok && rename(tmp, c->index_path) == 0;
	if (!ok)
		(void)unlink(tmp);
	free(tmp);
	return ok;
}

/* The model records of this build's articles: the previous one where the
 * source is the same bytes (left where it is when appending), else the
 * article packed, if its parse was of the bytes the stat cache hashed.
 * Before model_drop_texts, which empties the bodies' lengths. */
void cache_models_save(builder *b)
{
	cache *c = b->cache;
	if (!c || c->model_slots || !c->slots)
		return;
	c->model_slots = xcalloc(c->n_srcs + 1, sizeof(cache_slot));
	buf o = BUF_INIT;
	for (size_t i = 0; i < c->n_srcs; i++) {
		const cache_src *f = &c->srcs[i];
		cache_slot *slot = &c->model_slots[i];
		if (!f->art || !f->hash) {
			continue;
		} else if (f->rec_len && c->append) {
			*slot = (cache_slot){ .off = f->rec_off, .len = f->rec_len, .sum = f->rec_sum, .done = true };
		} else if (f->rec_len) {
			cache_append(c, slot, c->map + f->rec_off, (size_t)f->rec_len);
		} else if (f->parsed) {
			buf_reset(&o);
			if (article_pack(f->art, &o))
				cache_append(c, slot, o.ptr, o.len);
		}
	}
	buf_release(&o);
}

void cache_save(builder *b)
{
	cache *c = b->cache;
	if (!c || c->up_to_date || !c->slots)
		return;
	for (cache_batch *t = c->all_batches; t; t = t->next_all)
		cache_batch_write(c, t);
	if (c->write_failed)
		return;
	close(c->fd);
	c->fd = -1;
	cache_gen_save(b, c);
	if (!cache_save_words(b, c)) {
		c->write_failed = true;
		return;
	}
	cache_records_stamp(c); /* written last before the index: the gap from then settles it */
	buf o = BUF_INIT;
	cache_put_index(b, &o);
	unsigned char tag[CACHE_TAG_BYTES];
	hmac_sha256(c->key, sizeof c->key, o.ptr, o.len, tag);
	buf_add(&o, tag, sizeof tag);
	bool ok = cache_write_index(c, &o);
	buf_release(&o);
	if (!ok) {
		c->write_failed = true;
		return;
	}
	char **names = fsx_list(c->dir); /* the previous records, and any a failed build left */
	for (char **p = names; p && *p; p++) {
		char *path = fsx_join(c->dir, *p);
		if (strncmp(*p, "pages-", 6) == 0 && strcmp(path, c->records) != 0)
			(void)unlink(path);
		free(path);
	}
	fsx_free_list(names);
	free(c->records);
	c->records = NULL; /* kept: the index names it */
	cache_gitignore(b);
}

void cache_counts(const builder *b, size_t *reused, size_t *rendered)
{
	const cache *c = b->cache;
	*reused = c ? atomic_load(&c->reused) : 0;
	*rendered = c ? atomic_load(&c->rendered) : 0;
}

void cache_free(builder *b)
{
	cache *c = b->cache;
	if (!c)
		return;
	cache_walk_free(c);
	cache_listings_free(&c->listed);
	if (c->fd >= 0)
		close(c->fd);
	for (cache_batch *t = c->all_batches, *next; t; t = next) {
		next = t->next_all;
		buf_release(&t->data);
		free(t->slots);
		free(t);
	}
	cache_drop_old(c);
	for (size_t l = 0; l < SITE_MAX_LANGUAGES; l++)
		cache_lang_release(&c->langs[l]);
	cache_drop_sources(c);
	cache_drop_generations(c);
	cache_drop_models(c);
	free(c->new_live.names);
	free(c->live_seen);
	map_release(&c->new_set);
	map_release(&c->emptied);
	free(c->new_folder_kept);
	free(c->new_prev_shared);
	free(c->prev_live);
	free(c->new_old);
	free(c->new_prev_at);
	free(c->old_prev_at);
	free(c->old_new);
	const char *key;
	void *val;
	for (size_t it = 0; map_next(&c->pending, &it, &key, &val);)
		free((char *)key);
	map_release(&c->pending);
	map_release(&c->src_by_rel);
	free(c->model_slots);
	for (size_t i = 0; i < c->n_srcs; i++)
		free((char *)c->srcs[i].rel);
	free(c->srcs);
	for (size_t i = 0; c->slots && i < b->m.n_articles; i++)
		free(c->slots[i].patch_rec);
	free(c->slots);
	free(c->records);
	free(c->old_records);
	free(c->index_path);
	free(c->dir);
	pthread_mutex_destroy(&c->lock);
	free(c);
	b->cache = NULL;
}

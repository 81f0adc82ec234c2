/* cache_int.h: what the files of the build cache share; cache.h is its
 * interface to the rest of phare.
 *
 *   cache.c          the index and the records: reading, checking, reusing
 *                    an article's page, the search files, saving
 *   cache_sources.c  the sources: their stat cache and walk, the model's hooks
 *   cache_site.c     the site's generations (the live one, the one kept
 *                    beside it): their stamps, the patching, the pruning
 *   cache_key.c      the key that authenticates the index
 *   cache_search.c   the search index: linked, patched or added back */
#ifndef PHARE_CACHE_INT_H
#define PHARE_CACHE_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#include "build/builder.h"
#include "build/cache.h"
#include "search/dict.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/map.h"
#include "util/record.h"

#define CACHE_MAGIC "phare-cache 14\n"
/* A language's index is patched when at most this many of its pages were
 * rendered again (each record kept until then); more: written whole. */
#define CACHE_PATCH_PAGES 64
#define CACHE_KEY_BYTES 32
#define CACHE_TAG_BYTES 32 /* HMAC-SHA-256 of the index, at its end */
#define CACHE_K UINT64_C(0x9e3779b97f4a7c15)
/* A file changed less than this before a look that recorded its stat
 * fields may have changed again since within the same clock tick, those
 * fields unchanged (git's "racy" entries): it is read again
 * (cache_settled).  2 s: the coarsest file times (FAT).  (Where a file
 * system keeps times finer than a millisecond, two ticks of the clock they
 * are taken from are enough: cache_racy_window, for the records file.) */
#define CACHE_RACY_NS UINT64_C(2000000000)

enum { DEP_LINK = 1, DEP_IMAGE = 2, DEP_BLOCK = 3 };

/* An entry of the previous index: one article page.  ino, size and mtime:
 * its file in the output as last seen; page: the hash of its bytes, for
 * when those changed (an output folder restored from a CI cache); own:
 * what of its key is its own source's (cache_own). */
typedef struct cache_entry {
	uint64_t key, ino, size, mtime, page, off, len, sum, search, own;
	const char *path; /* its page's, "fr/x/y/" (in the build's arena) */
} cache_entry;

/* This build's record of one article (indexed like m.articles). */
typedef struct cache_slot {
	uint64_t key, own;
	uint64_t off, len, sum; /* in the new records file */
	uint64_t search;        /* hash of its search inputs; 0: not indexed */
	uint64_t page;          /* reused: the hash of the page's bytes (else read when saved) */
	const cache_entry *reused;
	/* rendered: what its search index counted of it (search_index_add_page's
	 * record), for a patch of its language's index (CACHE_PATCH_PAGES at most) */
	char *patch_rec;
	size_t patch_len;
	bool done;
	bool unchanged; /* its frame and own source the last build's (cache_article_unchanged) */
} cache_slot;

/* A source file as a walk saw it (the stat cache, as git's index): its
 * path under the source folder, its stat fields, the hash of its bytes;
 * and, for an article, its model record (rec_*: in the previous records
 * file, of the same hash; 0 long: none), the article the model made of it,
 * and whether the model parsed the very bytes hashed (its record may then
 * be kept: a file changed between the walk and the model's read is not). */
typedef struct cache_src {
	const char *rel;
	uint64_t dev, ino, size, mtime, ctime, hash;
	uint64_t rec_off, rec_len, rec_sum;
	const article *art;
	bool parsed;
} cache_src;

/* Where a record is in the records file, and its checksum. */
typedef struct cache_place {
	uint64_t off, len, sum;
} cache_place;

/* The entries of a site folder (a generation): relative names in byte
 * order, so that a folder comes before what it holds; a folder's ends with
 * '/', the root is "". */
typedef struct cache_gen {
	const char **names;
	size_t n;
} cache_gen;

/* Records waiting to be written (cache_append). */
#define CACHE_BATCH (1 << 20)
typedef struct cache_batch {
	buf data;
	cache_slot **slots; /* theirs, in order; off: in data until written */
	size_t n, cap;
	struct cache_batch *next_free, *next_all;
} cache_batch;

/* A language of the site: its search records' digest and count, its
 * search folder's stamp, and its words file (the dictionary its records
 * name words in, search/dict.h: words-<code in hex>, the first words_len
 * bytes of which have the hash words_sum); with the words as read or
 * made (the file's bytes, and where this build's new words start). */
typedef struct cache_lang {
	char code[16];
	uint64_t digest, count, stamp, words_len, words_sum;
	search_dict *dict;
	buf words;
	size_t words_from;
	bool loaded;  /* words and dict from the previous build's file */
	bool counted; /* its articles' records in digest and count (cache_lang_count) */
	/* its search files by name, with the hash of their bytes (file_at:
	 * name -> index + 1); written: this build wrote its index (else the
	 * previous build's files are its files) */
	const char **file_names;
	uint64_t *file_hashes;
	size_t n_files, cap_files;
	map file_at;
	bool written;
	/* what search/patch.h patches the index from: the last write's or
	 * patch's state; this build's pages of the language by URL (a sum, in
	 * any order) and the search inputs of those that are no article
	 * (tables, questionnaires: not recorded, so a patch cannot take them),
	 * with their URLs (other_urls) */
	buf state;
	uint64_t docs, others;
	const char **other_urls;
	size_t n_other, cap_other;
	/* how this build made its index, for --timings (cache_search_how) */
	char how[96];
} cache_lang;

/* An entry of a generation as its stamp saw it (the index's page entries
 * take theirs from the live site's stamp rather than stat each page again). */
typedef struct cache_seen {
	uint64_t ino, size, mtime, dev, ctime, mode;
} cache_seen;

typedef struct cache {
	char *dir, *index_path;
	uint64_t options, global, lang_hash[SITE_MAX_LANGUAGES];
	uint64_t frame, old_frame; /* cache_frame_hash: this build's, the last one's (0: not known) */
	/* the previous cache */
	map by_path; /* "fr/x/y/" -> cache_entry * */
	cache_entry *entries;
	size_t n_entries;
	cache_lang old_langs[SITE_MAX_LANGUAGES];
	size_t n_old_langs;
	uint64_t generation;
	char *old_records;
	const unsigned char *map;
	size_t map_len;
	/* this build's */
	cache_slot *slots;
	cache_lang langs[SITE_MAX_LANGUAGES];
	char *records;
	unsigned char key[CACHE_KEY_BYTES]; /* authenticates the index (cache_secret) */
	/* the sources (content/, templates/, rules/) when the build started, by
	 * content and by stat (src_sum_ctime, below: an edit during the build moves a
	 * change time); the last build's; the live site's stamp */
	uint64_t inputs, old_inputs, old_site;
	/* the live site's stamp but for its page folders (cache_lone_folders):
	 * the last build's, and this build's (written with live_stamp); and
	 * the sum of those folders' parts of a stamp with change times, as the
	 * stamp after the swap saw them (cache_gen_save): what they add to the
	 * kept site's stamp when the live one becomes it, not looked at */
	uint64_t old_site_files, live_files, old_lone_ctime, live_lone_ctime;
	uint64_t old_sitemap, sitemap; /* the hash of the sitemap's entries: the last build's, this one's */
	/* the records file as the last build left it and as this one leaves
	 * it: its stat fields, and when they were taken (cache_records_settled) */
	cache_seen old_records_seen, records_seen;
	uint64_t old_records_time, records_time;
	const char *records_how; /* how the previous records were checked, for --timings */
	size_t old_index_len;    /* bytes of the previous index, to size the next one's buffer */
	/* the stat cache of the sources: the previous walk's, in its order (and
	 * by rel, made on the first name out of that order: cache_old_src) and
	 * when it began; this walk's (rel malloc'd), and when it began */
	map old_srcs;
	cache_src *old_src;
	size_t n_old_src, old_next;
	uint64_t old_src_time;
	struct cache_walk *walk; /* this walk's first half, under way (cache_walk_start) */
	map listed;              /* its folders' names (fsx_list's form) by rel, for the model */
	cache_src *srcs;
	size_t n_srcs, cap_srcs;
	/* the walk's files to hash once it ends, on every thread (cache_hash_later):
	 * their index in srcs, and the hash the previous walk had for them */
	struct cache_later *later;
	size_t n_later, cap_later;
	uint64_t src_time;
	/* the model records: this walk's sources by path under the source
	 * folder (rel -> srcs index + 1; the model's hooks read it on every
	 * thread), and how long the source folder's prefix is in the model's
	 * paths; the previous index's records (each checked when mapped); this
	 * build's (one slot a source, cache_models_save) */
	map src_by_rel;
	size_t src_prefix;
	cache_place *old_models;
	size_t n_old_models, cap_old_models;
	cache_slot *model_slots;
	/* with no stat cache to trust (a first build), the sources' bytes are
	 * hashed as the model reads them, not read twice: the files left to
	 * hash (full path -> cache_src index + 1, hash 0 until then), how
	 * many, and the sum of the others (cache_settle ends it; defer, below) */
	map pending;
	size_t n_pending;
	uint64_t inputs_sum;
	/* the generations of the site: the live one (old_site is its stamp)
	 * and the previous one kept beside it, as the previous index described
	 * them; this build's live one (new_set: its names, made only when
	 * they are not the live one's: cache_gen_collect) */
	cache_gen old_live, old_prev, new_live, new_prev;
	struct cache_seen *live_seen; /* new_live's entries, as its stamp saw them (when it is not 0) */
	/* old_live's and old_prev's entries as this build's first stamps saw
	 * them, when those stamps were the ones recorded (each entry then as
	 * the previous build left it): what is reused is not looked at again */
	struct cache_seen *old_live_seen, *old_prev_seen; /* (live_intact, prev_intact below) */
	unsigned char *old_lone;                          /* old_live's page folders (cache_lone_folders) */
	/* old_live's entries the kept site already held (cache_same_file):
	 * nothing was done to them, their change times too are as seen */
	unsigned char *old_live_kept;
	/* per entry of the previous site kept beside the live one: whether it
	 * is, by the index, the very file the live site has under its name (a
	 * hard link: its stamp is the live one's); the same of this build's */
	unsigned char *old_prev_shared, *new_prev_shared;
	size_t *prev_live; /* old_prev's index -> old_live's of the same name (cache_same_names) */
	/* when saving: new_live's index -> old_live's and old_prev's of the
	 * same name; old_live's -> old_prev's and new_live's (cache_gen_save) */
	size_t *new_old, *new_prev_at, *old_prev_at, *old_new;
	/* the folders of the patched site whose entries this build changed
	 * outside what new_live tells (emptied: cache_folder_emptied), and,
	 * per new_live entry, the folders it left as the kept site had them
	 * (cache_untouched_folders) */
	map emptied;
	unsigned char *new_folder_kept;
	/* the sources as the walk at the start saw them, each file and folder
	 * (a stamp's sum with change times, cache_stamp_add): see cache_sources */
	uint64_t src_sum_ctime;
	uint64_t old_prev_stamp, live_stamp, prev_stamp;
	map new_set;
	size_t old_pages[SITE_MAX_LANGUAGES];
	uint64_t live;                           /* bytes of it the previous index uses */
	cache_batch *free_batches, *all_batches; /* under lock */
	pthread_mutex_t lock;
	atomic_size_t reused, rendered;
	atomic_size_t counted_new[SITE_MAX_LANGUAGES]; /* pages of each language rendered and counted */
	/* the flags, together (no padding between them) */
	int fd;
	bool quiet_drop;               /* the previous cache is not for these options: dropped silently */
	bool defer, inputs_ok;         /* the sources' hashing deferred (above); every source could be read */
	bool live_intact, prev_intact; /* the first stamps were the ones recorded (above) */
	bool up_to_date;               /* nothing changed since the last build: nothing done */
	bool append;                   /* records added to the previous file, which stays (see cache_start_writing) */
	bool write_failed;
	bool check_frame; /* PHARE_CACHE_CHECK_FRAME: cache_article_unchanged checked against the key */
} cache;

/* Whether a file as seen now is, by its stat fields, the one a look at
 * time at saw (was), and was settled then: its times more than window
 * before it (CACHE_RACY_NS), so that no write since can have left them. */
static inline bool cache_settled(const cache_seen *now, const cache_seen *was, uint64_t at, uint64_t window)
{
	return now->dev == was->dev && now->ino == was->ino && now->size == was->size && now->mtime == was->mtime &&
	       now->ctime == was->ctime && now->mtime + window < at && now->ctime + window < at;
}

/* The stamp of generation g under root: the sum over its entries of each
 * name's inode, kind, size and modification time (and, in sum_ctime, its
 * change time).  A folder's time covers the names it holds: an entry
 * added is seen too.  Two threads share the entries (tens of thousands of
 * stat calls), and the caller may stop them (the answer is not needed). */
typedef struct cache_stamp_job {
	int fd; /* the root */
	const cache_gen *g;
	cache_seen *seen; /* NULL, or what each entry of g was */
	/* NULL, or what entry i is known to be without looking (NULL: look) */
	const cache_seen *(*known)(const void *ctx, size_t i);
	const void *ctx;
	atomic_size_t next;
	atomic_bool stop, bad;
	atomic_uint_fast64_t sum, sum_ctime;
	pthread_t helper;
	bool started;
} cache_stamp_job;

#define CACHE_CHUNK (1 << 20)

/* A time in nanoseconds. */
static inline uint64_t cache_ns(struct timespec t) { return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec; }

/* One step of the cache's 64-bit hash (cache_hash, cache.c). */
static inline uint64_t cache_mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * CACHE_K;
	return h ^ (h >> 29);
}

/* the index, the records, the search files (cache.c) */
uint64_t cache_file_hash(const char *path, uint64_t h, char *chunk);
/* The path of art's page under the site ("fr/x/y/"), appended to p (cache.c). */
void cache_page_path(const builder *b, const article *art, buf *p);
/* Links every file under dir/rel into to/rel, making the folders (cache.c). */
bool cache_link_tree(const char *dir, const char *rel, const char *to);
/* Adds a search file, with the hash of its bytes, to language l's list. */
void cache_lang_file(cache_lang *l, const char *name, size_t n, uint64_t h);
/* The previous build's entry of the language of that code, or NULL (cache_search.c). */
const cache_lang *cache_old_lang(const cache *c, const char *code);
uint64_t cache_hash(uint64_t h, const void *data, size_t n);
uint64_t cache_hash_str(uint64_t h, const char *s);
uint64_t cache_mtime(const struct stat *st);

/* the sources (cache_sources.c) */
void cache_drop_models(cache *c);
void cache_drop_sources(cache *c);
void cache_get_sources(cache *c, builder *b, record_reader *r);
void cache_index_sources(cache *c, const builder *b);
void cache_put_sources(const cache *c, buf *o);
void cache_scan_sources(cache *c, const builder *b);
/* The walk of the sources, begun on a thread of its own while the index is
 * read (cache_scan_sources ends it), and freed (also when never ended). */
typedef struct cache_walk cache_walk;
void cache_walk_start(cache *c, const builder *b);
void cache_walk_free(cache *c);
void cache_listings_free(map *listed);
void cache_settle(cache *c);
uint64_t cache_sources(const cache *c);

/* the generations of the site (cache_site.c) */
int cache_cmp_names(const void *x, const void *y);
void cache_drop_generations(cache *c);
void cache_gen_save(builder *b, cache *c);
void cache_get_generations(cache *c, builder *b, record_reader *r);
/* The look at the live site (cache_load), on a helper thread while the
 * sources are walked: with look (the index was read), every entry but its
 * page folders (cache_lone_folders), each as seen in old_live_seen;
 * finished by cache_stamp_finish, whose stamp is then old_site_files'.
 * The page folders are not looked at: nothing is taken from them (the new
 * site is made from the kept one's folders, which are), and when this
 * site is kept in turn, the next build looks at them there. */
void cache_live_start(cache *c, const builder *b, cache_stamp_job *j, bool look);
void cache_put_generations(const cache *c, buf *o);
const cache_seen *cache_seen_at(const cache_gen *g, const cache_seen *seen, const char *rel);
/* As cache_seen_at, looked for from *near on (where the last look ended:
 * pages come in name order, a few names apart), by steps doubling until
 * one passes rel, then halving; from the start if near is past it (any
 * value is right, a near one is fast).  *near: where this look ended. */
const cache_seen *cache_seen_near(const cache_gen *g, const cache_seen *seen, const char *rel, size_t *near);
cache_seen cache_seen_of(const struct stat *st);
bool cache_seen_same(const cache_seen *x, const cache_seen *y);
void cache_stamp_add(const char *rel, const cache_seen *s, uint64_t *h, uint64_t *hc);
uint64_t cache_stamp_finish(cache_stamp_job *j, uint64_t *with_ctime);
void cache_stamp_start(cache_stamp_job *j, const char *root, const cache_gen *g, cache_seen *seen,
		       const cache_seen *(*known)(const void *, size_t), const void *ctx);

/* the key (cache_key.c) */
const char *cache_secret(cache *c, const builder *b);

#endif

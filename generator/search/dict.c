/* dict.c: see dict.h.  Words live in an arena; their places in a table of
 * chunks that never moves (a reader indexes it without the lock); the map
 * from word to number is made on the first lookup (a rebuild that renders
 * no page never needs it). */
#include "search/dict.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/map.h"
#include "util/record.h"
#include "util/xalloc.h"

#define DICT_CHUNK_BITS 14
#define DICT_CHUNK ((size_t)1 << DICT_CHUNK_BITS)
#define DICT_CHUNKS ((size_t)1 << 18) /* four billion words */

typedef struct dict_word {
	const char *s;
	size_t n;
} dict_word;

struct search_dict {
	pthread_mutex_t lock;
	arena words;
	dict_word *chunks[DICT_CHUNKS];
	atomic_size_t count;
	map ids; /* word -> number + 1, complete when mapped */
	bool mapped;
};

search_dict *search_dict_new(void)
{
	search_dict *d = xcalloc(1, sizeof *d);
	pthread_mutex_init(&d->lock, NULL);
	d->words = (arena)ARENA_INIT;
	d->ids = (map)MAP_INIT;
	atomic_init(&d->count, 0);
	return d;
}

/* Appends s[0..n) (lock held, or no other thread yet); false when full. */
static bool dict_append(search_dict *d, const char *s, size_t n)
{
	size_t id = atomic_load_explicit(&d->count, memory_order_relaxed);
	if (id >= DICT_CHUNK * DICT_CHUNKS || id >= UINT32_MAX)
		return false;
	dict_word **chunk = &d->chunks[id >> DICT_CHUNK_BITS];
	if (!*chunk)
		*chunk = xcalloc(DICT_CHUNK, sizeof(dict_word));
	char *copy = arena_strndup(&d->words, s, n);
	(*chunk)[id & (DICT_CHUNK - 1)] = (dict_word){ copy, n };
	if (d->mapped)
		map_put(&d->ids, copy, (void *)(uintptr_t)(id + 1));
	atomic_store_explicit(&d->count, id + 1, memory_order_release);
	return true;
}

/* Back to no word. */
static void dict_clear(search_dict *d)
{
	arena_release(&d->words);
	for (size_t c = 0; c < DICT_CHUNKS && d->chunks[c]; c++) {
		free(d->chunks[c]);
		d->chunks[c] = NULL;
	}
	map_release(&d->ids);
	d->mapped = false;
	atomic_store(&d->count, 0);
}

bool search_dict_load(search_dict *d, const void *data, size_t len)
{
	record_reader r = { data, (const unsigned char *)data + len, false };
	while (r.p < r.end && !r.bad) {
		size_t n;
		const char *w = record_get_vbytes(&r, &n);
		if (!r.bad && (memchr(w, '\0', n) || !dict_append(d, w, n)))
			r.bad = true;
	}
	if (r.bad)
		dict_clear(d);
	return !r.bad;
}

void search_dict_save(const search_dict *d, size_t from, buf *o)
{
	size_t n = atomic_load(&((search_dict *)d)->count);
	for (size_t id = from; id < n; id++) {
		const dict_word *w = &d->chunks[id >> DICT_CHUNK_BITS][id & (DICT_CHUNK - 1)];
		record_put_varint(o, w->n);
		buf_add(o, w->s, w->n);
	}
}

size_t search_dict_count(const search_dict *d) { return atomic_load(&((search_dict *)d)->count); }

uint32_t search_dict_id(search_dict *d, const char *s, size_t n)
{
	pthread_mutex_lock(&d->lock);
	if (!d->mapped) {
		size_t count = atomic_load(&d->count);
		for (size_t id = 0; id < count; id++) {
			const dict_word *w = &d->chunks[id >> DICT_CHUNK_BITS][id & (DICT_CHUNK - 1)];
			map_put(&d->ids, w->s, (void *)(uintptr_t)(id + 1));
		}
		d->mapped = true;
	}
	uintptr_t at = (uintptr_t)map_getn(&d->ids, s, n);
	if (!at && dict_append(d, s, n))
		at = atomic_load(&d->count);
	pthread_mutex_unlock(&d->lock);
	if (!at) { /* four billion words: a build cannot read as many */
		abort();
	}
	return (uint32_t)(at - 1);
}

const char *search_dict_word(search_dict *d, uint32_t id, size_t *n)
{
	if ((size_t)id >= atomic_load_explicit(&d->count, memory_order_acquire))
		return NULL;
	const dict_word *w = &d->chunks[id >> DICT_CHUNK_BITS][id & (DICT_CHUNK - 1)];
	*n = w->n;
	return w->s;
}

void search_dict_free(search_dict *d)
{
	if (!d)
		return;
	dict_clear(d);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

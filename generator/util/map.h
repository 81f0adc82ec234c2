/* map.h: a string-keyed hash table (open addressing, FNV-1a), used wherever
 * a lookup would otherwise scan: articles by key, anchors by page, tables
 * by name, the words of the search index, the rate limit's addresses.
 * The one hash table of phare: a slot keeps the key's hash and length,
 * compared before any byte.  The map stores key and value pointers only; the caller
 * owns what they point at and keeps it alive as long as the map. */
#ifndef PHARE_MAP_H
#define PHARE_MAP_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct map_slot {
	const char *key; /* NULL: empty */
	void *val;
	uint64_t hash; /* hash_fnv1a of the key */
	size_t len;    /* of the key, without its NUL */
} map_slot;

typedef struct map {
	map_slot *slots;
	size_t cap; /* power of two, or 0 */
	size_t len;
} map;

#define MAP_INIT { NULL, 0, 0 }

/* Sets key to val; returns the previous value, or NULL.  The key pointer is
 * stored, also when it replaces an entry (the old key may then be freed):
 * it must live as long as the entry. */
void *map_put(map *m, const char *key, void *val);
void *map_get(const map *m, const char *key);
void *map_getn(const map *m, const char *key, size_t n);
/* The same for callers that hashed the key while they found it: h is
 * hash_fnv1a(key, n) (util/hash.h), n the key's length without its NUL. */
void *map_put_hashed(map *m, const char *key, size_t n, uint64_t h, void *val);
static inline void *map_getn_hashed(const map *m, const char *key, size_t n, uint64_t h);
void map_release(map *m);
/* Iteration: for (size_t i = 0; map_next(m, &i, &k, &v);) — order is the table's, not sorted. */
int map_next(const map *m, size_t *iter, const char **key, void **val);

/* The slot of key[0..n) (m->cap > 0): its own, or the empty one where it
 * would go.  Inline, with map_getn_hashed: the search index probes its
 * word memo for every word of every page.  The hash and the length are
 * compared before any byte. */
static inline map_slot *map_slot_find(const map *m, const char *key, size_t n, uint64_t h)
{
	size_t mask = m->cap - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		map_slot *s = &m->slots[i];
		if (!s->key)
			return s;
		if (s->hash == h && s->len == n && memcmp(s->key, key, n) == 0)
			return s;
	}
}

static inline void *map_getn_hashed(const map *m, const char *key, size_t n, uint64_t h)
{
	if (!m->cap)
		return NULL;
	map_slot *s = map_slot_find(m, key, n, h);
	return s->key ? s->val : NULL;
}

#endif

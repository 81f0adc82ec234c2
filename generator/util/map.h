/* map.h: a string-keyed hash table (open addressing, FNV-1a), used wherever
 * a lookup would otherwise scan: articles by key, anchors by page, tables
 * by name, the words of the search index, the rate limit's addresses.
 * The one hash table of phare: a slot keeps the key's hash, compared
 * before any byte.  The map stores key and value pointers only; the caller
 * owns what they point at and keeps it alive as long as the map. */
#ifndef PHARE_MAP_H
#define PHARE_MAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct map_slot {
	const char *key; /* NULL: empty */
	void *val;
	uint64_t hash;   /* hash_fnv1a of the key */
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
void *map_getn_hashed(const map *m, const char *key, size_t n, uint64_t h);
void map_release(map *m);
/* Iteration: for (size_t i = 0; map_next(m, &i, &k, &v);) — order is the table's, not sorted. */
int map_next(const map *m, size_t *iter, const char **key, void **val);

#endif

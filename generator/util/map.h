/* map.h: a string-keyed hash table (open addressing, FNV-1a), used wherever
 * a lookup would otherwise scan: articles by key, anchors by page, tables
 * by name.  The map stores key and value pointers only; the caller owns
 * what they point at and keeps it alive as long as the map. */
#ifndef PHARE_MAP_H
#define PHARE_MAP_H

#include <stddef.h>

typedef struct map_slot {
	const char *key; /* NULL: empty */
	void *val;
	size_t hash;
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
void map_release(map *m);
/* Iteration: for (size_t i = 0; map_next(m, &i, &k, &v);) — order is the table's, not sorted. */
int map_next(const map *m, size_t *iter, const char **key, void **val);

#endif

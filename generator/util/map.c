/* map.c: open-addressing hash table with linear probing, kept at most
 * half full so probes stay short. */
#include "map.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "xalloc.h"

static void map_resize(map *m)
{
	map old = *m;
	m->cap = old.cap ? old.cap * 2 : 16;
	m->slots = xcalloc_huge(m->cap * sizeof(map_slot)); /* the search index's word tables reach megabytes */
	/* The keys are distinct and their hashes stored: each goes to the first
	 * free slot of its probe sequence, without comparing strings. */
	size_t mask = m->cap - 1;
	for (size_t i = 0; i < old.cap; i++) {
		if (old.slots[i].key) {
			size_t j = (size_t)old.slots[i].hash & mask;
			while (m->slots[j].key)
				j = (j + 1) & mask;
			m->slots[j] = old.slots[i];
		}
	}
	xfree_huge(old.slots, old.cap * sizeof(map_slot));
}

void *map_put(map *m, const char *key, void *val)
{
	size_t n;
	uint64_t h = hash_fnv1a_str(key, &n);
	return map_put_hashed(m, key, n, h, val);
}

void *map_put_hashed(map *m, const char *key, size_t n, uint64_t h, void *val)
{
	if ((m->len + 1) * 2 > m->cap)
		map_resize(m);
	map_slot *s = map_slot_find(m, key, n, h);
	void *prev = s->key ? s->val : NULL;
	if (!s->key)
		m->len++;
	*s = (map_slot){ key, val, h, n };
	return prev;
}

void *map_getn(const map *m, const char *key, size_t n)
{
	if (!m->cap)
		return NULL;
	return map_getn_hashed(m, key, n, hash_fnv1a(key, n));
}

void *map_get(const map *m, const char *key)
{
	if (!m->cap)
		return NULL;
	size_t n;
	uint64_t h = hash_fnv1a_str(key, &n);
	map_slot *s = map_slot_find(m, key, n, h);
	return s->key ? s->val : NULL;
}

void map_release(map *m)
{
	xfree_huge(m->slots, m->cap * sizeof(map_slot));
	*m = (map)MAP_INIT;
}

int map_next(const map *m, size_t *iter, const char **key, void **val)
{
	while (*iter < m->cap) {
		map_slot *s = &m->slots[(*iter)++];
		if (s->key) {
			*key = s->key;
			*val = s->val;
			return 1;
		}
	}
	return 0;
}

/* map.c: open-addressing hash table with linear probing, kept at most
 * half full so probes stay short. */
#include "map.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static size_t map_hash(const char *s, size_t n)
{
	size_t h = (size_t)14695981039346656037ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= (size_t)1099511628211ULL;
	}
	return h;
}

/* The hash and the length of a NUL-terminated key, in one pass. */
static size_t map_hash_str(const char *s, size_t *n)
{
	size_t h = (size_t)14695981039346656037ULL;
	const unsigned char *p = (const unsigned char *)s;
	for (; *p; p++) {
		h ^= *p;
		h *= (size_t)1099511628211ULL;
	}
	*n = (size_t)(p - (const unsigned char *)s);
	return h;
}

static map_slot *map_find(const map *m, const char *key, size_t n, size_t h)
{
	size_t mask = m->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		map_slot *s = &m->slots[i];
		if (!s->key)
			return s;
		if (s->hash == h && strncmp(s->key, key, n) == 0 && s->key[n] == '\0')
			return s;
	}
}

static void map_resize(map *m)
{
	map old = *m;
	m->cap = old.cap ? old.cap * 2 : 16;
	m->slots = xcalloc(m->cap, sizeof(map_slot));
	/* The keys are distinct and their hashes stored: each goes to the first
	 * free slot of its probe sequence, without comparing strings. */
	size_t mask = m->cap - 1;
	for (size_t i = 0; i < old.cap; i++) {
		if (old.slots[i].key) {
			size_t j = old.slots[i].hash & mask;
			while (m->slots[j].key)
				j = (j + 1) & mask;
			m->slots[j] = old.slots[i];
		}
	}
	free(old.slots);
}

void *map_put(map *m, const char *key, void *val)
{
	if ((m->len + 1) * 2 > m->cap)
		map_resize(m);
	size_t n, h = map_hash_str(key, &n);
	map_slot *s = map_find(m, key, n, h);
	void *prev = s->key ? s->val : NULL;
	if (!s->key)
		m->len++;
	*s = (map_slot){ key, val, h };
	return prev;
}

void *map_getn(const map *m, const char *key, size_t n)
{
	if (!m->cap)
		return NULL;
	map_slot *s = map_find(m, key, n, map_hash(key, n));
	return s->key ? s->val : NULL;
}

void *map_get(const map *m, const char *key)
{
	if (!m->cap)
		return NULL;
	size_t n, h = map_hash_str(key, &n);
	map_slot *s = map_find(m, key, n, h);
	return s->key ? s->val : NULL;
}

void map_release(map *m)
{
	free(m->slots);
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

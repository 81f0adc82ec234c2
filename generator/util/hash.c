/* hash.c: FNV-1a (http://www.isthe.com/chongo/tech/comp/fnv/), 64 bits. */
#include "hash.h"

#include <stdio.h>

uint64_t hash_fnv1a(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h = HASH_FNV1A_SEED;
	for (size_t i = 0; i < n; i++)
		h = hash_fnv1a_step(h, p[i]);
	return h;
}

uint64_t hash_fnv1a_str(const char *s, size_t *n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t h = HASH_FNV1A_SEED;
	for (; *p; p++)
		h = hash_fnv1a_step(h, *p);
	*n = (size_t)(p - (const unsigned char *)s);
	return h;
}

void hash_fnv1a_hex(const void *data, size_t n, char out[17])
{
	snprintf(out, 17, "%016llx", (unsigned long long)hash_fnv1a(data, n));
}

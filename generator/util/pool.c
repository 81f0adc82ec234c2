/* pool.c: the calling thread's memory pool (see pool.h).  Each block has
 * its size before it, so that realloc can copy it; a chunk is never reused
 * before pool_release. */
#include "util/pool.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define POOL_CHUNK (64 * 1024) /* below glibc's mmap threshold */

typedef struct pool_chunk {
	struct pool_chunk *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
} pool_chunk;

/* Before each block: its size, so that realloc can copy it. */
typedef struct pool_block_head {
	size_t size;
	size_t unused; /* keeps the block 16-byte aligned */
} pool_block_head;

static _Thread_local pool_chunk *pool;

static void *pool_alloc(size_t size)
{
	size = (size + 15) & ~(size_t)15;
	size_t need = size + sizeof(pool_block_head);
	pool_chunk *c = pool;
	if (!c || c->size - c->used < need) {
		size_t csize = need > POOL_CHUNK / 2 ? need : POOL_CHUNK;
		c = xmalloc(sizeof(*c) + csize);
		c->size = csize;
		c->used = 0;
		if (csize != POOL_CHUNK && pool) { /* a big block: keep filling the current chunk */
			c->next = pool->next;
			pool->next = c;
		} else {
			c->next = pool;
			pool = c;
		}
	}
	pool_block_head *h = (pool_block_head *)(void *)(c->data + c->used);
	h->size = size;
	c->used += need;
	return h + 1;
}

void *pool_calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return xmalloc(SIZE_MAX); /* cannot be had: the out-of-memory exit (xalloc.h) */
	void *p = pool_alloc(n * size);
	memset(p, 0, n * size);
	return p;
}

void *pool_realloc(void *p, size_t size)
{
	if (!p)
		return pool_alloc(size);
	pool_block_head *h = (pool_block_head *)p - 1;
	if (size <= h->size)
		return p;
	pool_chunk *c = pool;
	size_t grown = (size + 15) & ~(size_t)15;
	if (c && (unsigned char *)p + h->size == c->data + c->used && c->size - c->used >= grown - h->size) {
		c->used += grown - h->size; /* the last block of the chunk grows in place */
		h->size = grown;
		return p;
	}
	void *q = pool_alloc(size);
	memcpy(q, p, h->size);
	return q;
}

void pool_free(void *p) { (void)p; /* all at once, in pool_release */ }

void pool_release(void)
{
	for (pool_chunk *c = pool, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	pool = NULL;
}

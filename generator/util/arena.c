/* arena.c: chunked bump allocator.  Chunks are 64 KiB while the arena is
 * small; a larger request gets a chunk of its own so big strings do not
 * waste space.
 *
 * An arena that has grown past ARENA_BIG_AFTER (the site model, a search
 * index part) takes 4 MiB chunks mapped on their own, 2 MiB-aligned and
 * advised as transparent huge pages.  Why: a build touches every byte it
 * allocates about once, so its cost in page faults is its size in 4 KiB
 * pages — 80,000 faults for the 10,000-article corpus, an eighth of its CPU
 * time on a virtual machine where a fault is dear.  A huge page is one fault
 * for 512 pages.  Fresh mappings are zero, so their allocations skip the
 * memset. */
#include "arena.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct arena_chunk {
	arena_chunk *next;
	size_t size, used;
	bool mapped;    /* ARENA_BIG_CHUNK bytes mapped at the chunk (zeroed), else malloc'ed */
	_Alignas(16) unsigned char data[];
};

#define ARENA_CHUNK (64 * 1024)
#define ARENA_BIG_CHUNK (2 * XALLOC_HUGE_PAGE)
#define ARENA_BIG_AFTER ((size_t)2 << 20)

/* A zeroed mapping of ARENA_BIG_CHUNK bytes, huge-page aligned and advised (xalloc.h). */
static arena_chunk *arena_map_chunk(void)
{
	arena_chunk *c = xcalloc_huge(ARENA_BIG_CHUNK);
	c->size = ARENA_BIG_CHUNK - sizeof(*c);
	c->mapped = true;
	return c;
}

/* A new chunk with room for size bytes, linked in: zeroed if mapped. */
static arena_chunk *arena_new_chunk(arena *a, size_t size)
{
	bool big = a->big || a->used >= ARENA_BIG_AFTER;
	bool own = size > (big ? ARENA_BIG_CHUNK : ARENA_CHUNK) / 4; /* a chunk of its own */
	arena_chunk *c = NULL;
	if (big && !own)
		c = arena_map_chunk();
	if (!c) {
		size_t csize = own ? size : ARENA_CHUNK;
		c = xmalloc(sizeof(*c) + csize);
		c->size = csize;
		c->mapped = false;
	}
	c->used = 0;
	if (own && a->head) {
		/* keep filling the current chunk: slot the big one behind it */
		c->next = a->head->next;
		a->head->next = c;
	} else {
		c->next = a->head;
		a->head = c;
	}
	return c;
}

/* size bytes, not zeroed; *mapped: whether they come from a mapping (zero). */
static void *arena_take(arena *a, size_t size, bool *mapped)
{
	size = (size + 15) & ~(size_t)15;
	arena_chunk *c = a->head;
	if (!c || c->size - c->used < size)
		c = arena_new_chunk(a, size);
	void *p = c->data + c->used;
	c->used += size;
	a->used += size;
	*mapped = c->mapped;
	return p;
}

void *arena_alloc(arena *a, size_t size)
{
	bool mapped;
	void *p = arena_take(a, size, &mapped);
	if (!mapped) /* a mapping is zero, and never handed out twice */
		memset(p, 0, size);
	return p;
}

void *arena_alloc_raw(arena *a, size_t size)
{
	bool mapped;
	return arena_take(a, size, &mapped);
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *p = arena_alloc_raw(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(arena *a, const char *fmt, ...)
{
	va_list ap, cp;
	va_start(ap, fmt);
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	char *p = arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
	if (n > 0)
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void arena_expect_big(arena *a) { a->big = true; }

void arena_release(arena *a)
{
	arena_chunk *c = a->head;
	while (c) {
		arena_chunk *next = c->next;
		if (c->mapped)
			xfree_huge(c, ARENA_BIG_CHUNK);
		else
			free(c);
		c = next;
	}
	a->head = NULL;
	a->used = 0;
}

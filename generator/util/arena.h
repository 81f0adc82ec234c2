/* arena.h: a bump allocator for data that lives and dies together
 * (a parsed YAML document, one page's template data, the site model).
 * Nothing allocated from an arena is freed on its own: arena_release()
 * frees it all at once.  Not thread-safe: one arena per thread. */
#ifndef PHARE_ARENA_H
#define PHARE_ARENA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct arena_chunk arena_chunk;
typedef struct arena {
	arena_chunk *head;
	size_t used; /* bytes handed out, for figures */
	bool big;    /* arena_expect_big */
} arena;

#define ARENA_INIT                                                                                                     \
	{                                                                                                              \
		NULL, 0, false                                                                                         \
	}

/* a will hold megabytes (the site model, the files read, a search index
 * part): its chunks are huge pages from the first (arena.c), not only
 * past ARENA_BIG_AFTER. */
void arena_expect_big(arena *a);

void *arena_alloc(arena *a, size_t size);     /* zeroed, 16-byte aligned */
void *arena_alloc_raw(arena *a, size_t size); /* the same, not zeroed: for bytes about to be written */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_release(arena *a);

#endif

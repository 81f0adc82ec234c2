/* pool.h: a memory pool for allocations that all die together, made for
 * cmark (render/markdown.c): a render makes thousands of small allocations
 * (nodes, buffers), which come from 64 KiB chunks and are freed at once
 * by pool_release, never one by one (pool_free does nothing).
 *
 * The pool is the calling thread's (cmark_mem has no context argument):
 * pool_release frees what this thread allocated.  Out of memory: the
 * xalloc.h exit.  Under AddressSanitizer POOL_ENABLED is 0, and callers
 * should allocate with malloc instead, so that ASan checks each block. */
#ifndef PHARE_POOL_H
#define PHARE_POOL_H

#include <stddef.h>

#if defined(__SANITIZE_ADDRESS__)
#define POOL_ENABLED 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POOL_ENABLED 0
#endif
#endif
#ifndef POOL_ENABLED
#define POOL_ENABLED 1
#endif

void *pool_calloc(size_t n, size_t size);
void *pool_realloc(void *p, size_t size); /* p: NULL or from this thread's pool */
void pool_free(void *p);                  /* nothing: see pool_release */
void pool_release(void);                  /* frees every block of the calling thread */

#endif

/* xalloc.h: allocation that never returns NULL.
 *
 * Out-of-memory policy (one for the whole program, as in cmark's xcalloc):
 * phare cannot do anything useful without memory, so every allocation goes
 * through these wrappers, which print one message and abort() on failure.
 * Callers therefore never check for NULL.  Untrusted sizes are bounded
 * before they reach an allocation (see buf_set_limit, yamldoc limits). */
#ifndef PHARE_XALLOC_H
#define PHARE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Grow an array of elem-sized items so that it holds at least `need`;
 * *cap is updated.  Doubles, so appends are amortised O(1). */
void *xgrow(void *ptr, size_t *cap, size_t need, size_t elem);

/* Big zeroed blocks (the site model's arenas, the search index's tables):
 * from XALLOC_HUGE_MIN bytes up, mapped on their own, 2 MiB-aligned and
 * advised as transparent huge pages.  Why: a build touches most of what it
 * allocates once, so it pays a page fault per 4 KiB page, an eighth of its
 * CPU time on a virtual machine where a fault is dear; a huge page is one
 * fault for 512 pages.  Smaller sizes come from xcalloc.  Free with
 * xfree_huge and the same size. */
#define XALLOC_HUGE_MIN ((size_t)256 << 10)
#define XALLOC_HUGE_PAGE ((size_t)2 << 20) /* a transparent huge page on x86-64 */
void *xcalloc_huge(size_t size);
void xfree_huge(void *p, size_t size);
/* The same for what the calling thread mallocs (pages' buffers and trees):
 * XALLOC_PREPARED bytes of its heap are taken, advised as huge pages and
 * given back, so that what it allocates next lands there.  That holds in a
 * build, which raises glibc's M_MMAP_THRESHOLD (the block comes from the
 * thread's heap) and M_TRIM_THRESHOLD (freed, it stays there); elsewhere the
 * block is a mapping of its own, unmapped with its advice.  Advice only:
 * nothing is touched.  Each worker thread calls it as it starts
 * (workers.h); the build's main thread, in build_full. */
#define XALLOC_PREPARED ((size_t)16 << 20)
void xalloc_prepare_heap(void);
/* A zeroed mapping of size bytes in 4 KiB pages, none resident until
 * touched: for a big block filled in many places at once and a little at a
 * time (the search index's merged postings), which huge pages would make
 * resident whole at the first touch.  Free with xunmap and the same size. */
void *xmap_lazy(size_t size);
void xunmap(void *p, size_t size);

#endif

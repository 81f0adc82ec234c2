/* xalloc.c: allocation wrappers that abort on failure (policy in xalloc.h). */
#include "xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static void xalloc_die(size_t size)
{
	fprintf(stderr, "phare: fatal: out of memory (asked for %zu bytes)\n", size);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		xalloc_die(size);
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		xalloc_die(count * size);
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		xalloc_die(size);
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *xgrow(void *ptr, size_t *cap, size_t need, size_t elem)
{
	size_t c = *cap;
	if (need <= c)
		return ptr;
	if (c < 8)
		c = 8;
	while (c < need) {
		if (c > SIZE_MAX / 2)
			xalloc_die(SIZE_MAX);
		c *= 2;
	}
	if (c > SIZE_MAX / elem)
		xalloc_die(SIZE_MAX);
	*cap = c;
	return xrealloc(ptr, c * elem);
}

/* n rounded up to whole huge pages. */
static size_t xalloc_huge_len(size_t n) { return (n + XALLOC_HUGE_PAGE - 1) & ~(XALLOC_HUGE_PAGE - 1); }

void *xcalloc_huge(size_t size)
{
	if (size < XALLOC_HUGE_MIN)
		return xcalloc(1, size);
	size_t len = xalloc_huge_len(size);
	unsigned char *m = mmap(NULL, len + XALLOC_HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
				0);
	if (m == MAP_FAILED)
		xalloc_die(size);
	/* aligned, so that the kernel can back it with huge pages from the start */
	uintptr_t at = xalloc_huge_len((uintptr_t)m);
	size_t head = at - (uintptr_t)m, tail = XALLOC_HUGE_PAGE - head;
	if (head)
		munmap(m, head);
	if (tail)
		munmap((unsigned char *)at + len, tail);
	(void)madvise((void *)at, len, MADV_HUGEPAGE); /* advice only: 4 KiB pages without THP */
	return (void *)at;
}

void xfree_huge(void *p, size_t size)
{
	if (size < XALLOC_HUGE_MIN)
		free(p);
	else if (p)
		munmap(p, xalloc_huge_len(size));
}

void xalloc_prepare_heap(void)
{
	unsigned char *p = malloc(XALLOC_PREPARED);
	if (!p)
		return;
	uintptr_t from = xalloc_huge_len((uintptr_t)p);
	uintptr_t to = ((uintptr_t)p + XALLOC_PREPARED) & ~(uintptr_t)(XALLOC_HUGE_PAGE - 1);
	if (to > from)
		(void)madvise((void *)from, to - from, MADV_HUGEPAGE);
	free(p);
}

void *xmap_lazy(size_t size)
{
	void *p = mmap(NULL, size ? size : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		xalloc_die(size);
	(void)madvise(p, size ? size : 1, MADV_NOHUGEPAGE); /* with THP "always" too */
	return p;
}

void xunmap(void *p, size_t size)
{
	if (p)
		munmap(p, size ? size : 1);
}

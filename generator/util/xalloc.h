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

#endif

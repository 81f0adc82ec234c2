/* ratelimit.c: token buckets per address in an open-addressing table.
 *
 * The table never deletes in place (that would break probe chains); it is
 * rebuilt instead, keeping only buckets that are not yet full again, when
 * it reaches three quarters of its slots. */
#include "feedback/ratelimit.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define RATELIMIT_ADDR_MAX 47 /* INET6_ADDRSTRLEN + 1 */

typedef struct bucket {
	char addr[RATELIMIT_ADDR_MAX]; /* "" when empty */
	double tokens;
	double last; /* time of the last refill */
} bucket;

struct ratelimit {
	pthread_mutex_t lock;
	double per_minute;
	bucket *slots;
	size_t cap, len;
};

ratelimit *ratelimit_new(unsigned per_minute)
{
	ratelimit *r = xcalloc(1, sizeof(*r));
	pthread_mutex_init(&r->lock, NULL);
	r->per_minute = per_minute;
	r->cap = 64;
	r->slots = xcalloc(r->cap, sizeof(bucket));
	return r;
}

void ratelimit_free(ratelimit *r)
{
	if (!r)
		return;
	pthread_mutex_destroy(&r->lock);
	free(r->slots);
	free(r);
}

static uint64_t ratelimit_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static bucket *ratelimit_slot(bucket *slots, size_t cap, const char *addr)
{
	size_t i = ratelimit_hash(addr) & (cap - 1);
	while (slots[i].addr[0] && strcmp(slots[i].addr, addr) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static void ratelimit_refill(const ratelimit *r, bucket *b, double now)
{
	if (now > b->last) {
		b->tokens = fmin(r->per_minute, b->tokens + (now - b->last) * r->per_minute / 60.0);
		b->last = now;
	}
}

/* Rebuilds the table without the full buckets, doubling it if still crowded. */
static void ratelimit_rebuild(ratelimit *r, double now)
{
	size_t live = 0;
	for (size_t i = 0; i < r->cap; i++) {
		bucket *b = &r->slots[i];
		if (!b->addr[0])
			continue;
		ratelimit_refill(r, b, now);
		if (b->tokens < r->per_minute)
			live++;
	}
	size_t cap = r->cap;
	while (live * 2 >= cap)
		cap *= 2;
	bucket *slots = xcalloc(cap, sizeof(bucket));
	for (size_t i = 0; i < r->cap; i++) {
		bucket *b = &r->slots[i];
		if (b->addr[0] && b->tokens < r->per_minute)
			*ratelimit_slot(slots, cap, b->addr) = *b;
	}
	free(r->slots);
	r->slots = slots;
	r->cap = cap;
	r->len = live;
}

bool ratelimit_allow(ratelimit *r, const char *addr, double now, unsigned *retry_after)
{
	*retry_after = 0;
	if (r->per_minute <= 0)
		return true;
	if (strlen(addr) >= RATELIMIT_ADDR_MAX)
		addr = "?"; /* not an address we print: one shared bucket */
	bool ok = false;
	pthread_mutex_lock(&r->lock);
	bucket *b = ratelimit_slot(r->slots, r->cap, addr);
	if (!b->addr[0]) {
		if ((r->len + 1) * 4 >= r->cap * 3) {
			ratelimit_rebuild(r, now);
			b = ratelimit_slot(r->slots, r->cap, addr);
		}
		if (r->len >= RATELIMIT_MAX_ADDRESSES) {
			*retry_after = 60;
			goto done;
		}
		strcpy(b->addr, addr);
		b->tokens = r->per_minute;
		b->last = now;
		r->len++;
	}
	ratelimit_refill(r, b, now);
	if (b->tokens >= 1) {
		b->tokens -= 1;
		ok = true;
	} else {
		*retry_after = (unsigned)ceil((1 - b->tokens) * 60.0 / r->per_minute);
	}
done:
	pthread_mutex_unlock(&r->lock);
	return ok;
}

size_t ratelimit_tracked(ratelimit *r)
{
	pthread_mutex_lock(&r->lock);
	size_t n = r->len;
	pthread_mutex_unlock(&r->lock);
	return n;
}

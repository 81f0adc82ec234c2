/* ratelimit.c: token buckets per address, in a util/map.
 *
 * The map never deletes (that would break its probe chains); the buckets
 * that are full again are dropped by building a new map instead, when the
 * map holds twice as many addresses as after the last pruning. */
#include "feedback/ratelimit.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/map.h"
#include "util/xalloc.h"

#define RATELIMIT_ADDR_MAX 47 /* INET6_ADDRSTRLEN + 1 */
#define RATELIMIT_PRUNE_MIN 48

typedef struct bucket {
	char addr[RATELIMIT_ADDR_MAX]; /* the bucket's key in the map */
	double tokens;
	double last; /* time of the last refill */
} bucket;

struct ratelimit {
	pthread_mutex_t lock;
	double per_minute;
	map buckets;     /* addr -> bucket * (owned) */
	size_t prune_at; /* buckets.len that makes ratelimit_prune run */
};

ratelimit *ratelimit_new(unsigned per_minute)
{
	ratelimit *r = xcalloc(1, sizeof(*r));
	pthread_mutex_init(&r->lock, NULL);
	r->per_minute = per_minute;
	r->buckets = (map)MAP_INIT;
	r->prune_at = RATELIMIT_PRUNE_MIN;
	return r;
}

static void ratelimit_free_buckets(map *m)
{
	const char *k;
	void *v;
	for (size_t i = 0; map_next(m, &i, &k, &v);)
		free(v);
	map_release(m);
}

void ratelimit_free(ratelimit *r)
{
	if (!r)
		return;
	pthread_mutex_destroy(&r->lock);
	ratelimit_free_buckets(&r->buckets);
	free(r);
}

static void ratelimit_refill(const ratelimit *r, bucket *b, double now)
{
	if (now > b->last) {
		b->tokens = fmin(r->per_minute, b->tokens + (now - b->last) * r->per_minute / 60.0);
		b->last = now;
	}
}

/* A new map with the buckets that are not yet full again; the others freed. */
static void ratelimit_prune(ratelimit *r, double now)
{
	map live = MAP_INIT;
	const char *k;
	void *v;
	for (size_t i = 0; map_next(&r->buckets, &i, &k, &v);) {
		bucket *b = v;
		ratelimit_refill(r, b, now);
		if (b->tokens < r->per_minute)
			map_put(&live, b->addr, b);
		else
			free(b);
	}
	map_release(&r->buckets);
	r->buckets = live;
	/* At most RATELIMIT_MAX_ADDRESSES: a map full of active addresses is
	 * pruned again at the next new one, else it would refuse every new
	 * address for good once they had all gone quiet. */
	size_t at = live.len * 2 > RATELIMIT_PRUNE_MIN ? live.len * 2 : RATELIMIT_PRUNE_MIN;
	r->prune_at = at < RATELIMIT_MAX_ADDRESSES ? at : RATELIMIT_MAX_ADDRESSES;
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
	bucket *b = map_get(&r->buckets, addr);
	if (!b) {
		if (r->buckets.len + 1 >= r->prune_at)
			ratelimit_prune(r, now);
		if (r->buckets.len >= RATELIMIT_MAX_ADDRESSES) {
			*retry_after = 60;
			goto done;
		}
		b = xcalloc(1, sizeof(*b));
		strcpy(b->addr, addr);
		b->tokens = r->per_minute;
		b->last = now;
		map_put(&r->buckets, b->addr, b);
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
	size_t n = r->buckets.len;
	pthread_mutex_unlock(&r->lock);
	return n;
}

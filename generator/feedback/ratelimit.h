/* ratelimit.h: at most N requests a minute per client address.
 *
 * A token bucket per address: N tokens, refilled at N per minute, one
 * spent per request.  So a burst of N passes, then one every 60/N
 * seconds.  Buckets that are full again are forgotten, and the table of
 * addresses is bounded (RATELIMIT_MAX_ADDRESSES): when it is full of
 * active addresses, new ones are refused.  Thread-safe. */
#ifndef PHARE_RATELIMIT_H
#define PHARE_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>

#define RATELIMIT_MAX_ADDRESSES (1u << 16)

typedef struct ratelimit ratelimit;

/* per_minute 0: no limit (ratelimit_allow always says yes). */
ratelimit *ratelimit_new(unsigned per_minute);
void ratelimit_free(ratelimit *r);
/* Spends one token of addr at time now (seconds, monotonic); false when
 * there is none left.  *retry_after: seconds until the next token. */
bool ratelimit_allow(ratelimit *r, const char *addr, double now, unsigned *retry_after);
/* Addresses currently tracked. */
size_t ratelimit_tracked(ratelimit *r);

#endif

/* metrics.h: what `phare collect` counts, and its Prometheus text format
 * (GET /metrics, version 0.0.4 of the exposition format).
 *
 * Counted: votes accepted (new or replacing one), votes refused by reason
 * (the HTTP status says which), the duration of vote requests (a
 * histogram), and from the store its errors, reconnects and open
 * connections.  No label carries an article, a language or a reader: the
 * label values are the fixed reason names below.
 *
 * Every counter is atomic: handlers on any thread count without a lock. */
#ifndef PHARE_METRICS_H
#define PHARE_METRICS_H

#include <stdatomic.h>
#include <stdbool.h>

#include "feedback/store.h"
#include "util/buf.h"

typedef enum metrics_reason {
	METRICS_INVALID,           /* 400 */
	METRICS_ORIGIN,            /* 403 */
	METRICS_UNKNOWN_ARTICLE,   /* 404 */
	METRICS_METHOD,            /* 405 */
	METRICS_TOO_LARGE,         /* 413 */
	METRICS_MEDIA_TYPE,        /* 415 */
	METRICS_RATE_LIMITED,      /* 429 */
	METRICS_HEADERS_TOO_LARGE, /* 431 */
	METRICS_ERROR,             /* 500 and any other status */
	METRICS_UNAVAILABLE,       /* 503: disk full, database busy or down */
	METRICS_REASONS
} metrics_reason;

#define METRICS_BUCKETS 12 /* upper bounds in metrics.c, then +Inf */

typedef struct metrics {
	atomic_uint_fast64_t accepted, replaced;
	atomic_uint_fast64_t refused[METRICS_REASONS];
	atomic_uint_fast64_t bucket[METRICS_BUCKETS + 1]; /* per bucket, not cumulative */
	atomic_uint_fast64_t count, sum_us;
} metrics;

/* A zeroed struct metrics is ready to count. */
metrics_reason metrics_reason_of(unsigned status);
const char *metrics_reason_name(metrics_reason r);
void metrics_accepted(metrics *m, bool replaced);
void metrics_refused(metrics *m, unsigned status);
/* One vote request that took seconds. */
void metrics_observe(metrics *m, double seconds);
/* Appends the text exposition of m and db to out. */
void metrics_format(metrics *m, const store_stats *db, buf *out);

#endif

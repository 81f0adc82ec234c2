/* metrics.c: the collector's counters and their Prometheus text (metrics.h). */
#include "feedback/metrics.h"

#include <stddef.h>

static const double metrics_bounds[METRICS_BUCKETS] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
							0.1,   0.25,   0.5,   1,    2.5,   5 };

static const struct {
	unsigned status;
	const char *name;
} metrics_reasons[METRICS_REASONS] = {
	[METRICS_INVALID] = { 400, "invalid" },
	[METRICS_ORIGIN] = { 403, "origin" },
	[METRICS_UNKNOWN_ARTICLE] = { 404, "unknown_article" },
	[METRICS_METHOD] = { 405, "method" },
	[METRICS_TOO_LARGE] = { 413, "too_large" },
	[METRICS_MEDIA_TYPE] = { 415, "media_type" },
	[METRICS_RATE_LIMITED] = { 429, "rate_limited" },
	[METRICS_HEADERS_TOO_LARGE] = { 431, "headers_too_large" },
	[METRICS_ERROR] = { 500, "error" },
	[METRICS_UNAVAILABLE] = { 503, "unavailable" },
};

metrics_reason metrics_reason_of(unsigned status)
{
	for (size_t i = 0; i < METRICS_REASONS; i++)
		if (metrics_reasons[i].status == status)
			return (metrics_reason)i;
	return METRICS_ERROR;
}

const char *metrics_reason_name(metrics_reason r) { return r < METRICS_REASONS ? metrics_reasons[r].name : "error"; }

void metrics_accepted(metrics *m, bool replaced)
{
	atomic_fetch_add(&m->accepted, 1);
	if (replaced)
		atomic_fetch_add(&m->replaced, 1);
}

void metrics_refused(metrics *m, unsigned status) { atomic_fetch_add(&m->refused[metrics_reason_of(status)], 1); }

void metrics_observe(metrics *m, double seconds)
{
	size_t i = 0;
	while (i < METRICS_BUCKETS && seconds > metrics_bounds[i])
		i++;
	atomic_fetch_add(&m->bucket[i], 1);
	atomic_fetch_add(&m->count, 1);
	atomic_fetch_add(&m->sum_us, (uint_fast64_t)(seconds > 0 ? seconds * 1e6 : 0));
}

static void metrics_head(buf *out, const char *name, const char *type, const char *help)
{
	buf_addf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void metrics_histogram(metrics *m, buf *out)
{
	const char *name = "phare_collect_request_duration_seconds";
	metrics_head(out, name, "histogram", "Time to answer a vote (POST /api/feedback), commit included.");
	unsigned long long cumulative = 0;
	for (size_t i = 0; i <= METRICS_BUCKETS; i++) {
		cumulative += atomic_load(&m->bucket[i]);
		if (i < METRICS_BUCKETS)
			buf_addf(out, "%s_bucket{le=\"%g\"} %llu\n", name, metrics_bounds[i], cumulative);
		else
			buf_addf(out, "%s_bucket{le=\"+Inf\"} %llu\n", name, cumulative);
	}
	/* The count is the +Inf bucket, so that the two always agree. */
	buf_addf(out, "%s_sum %.6f\n%s_count %llu\n", name, (double)atomic_load(&m->sum_us) / 1e6, name, cumulative);
}

void metrics_format(metrics *m, const store_stats *db, buf *out)
{
	metrics_head(out, "phare_collect_votes_accepted_total", "counter",
		     "Votes stored and acknowledged (new or replacing one).");
	buf_addf(out, "phare_collect_votes_accepted_total %llu\n", (unsigned long long)atomic_load(&m->accepted));
	metrics_head(out, "phare_collect_votes_replaced_total", "counter",
		     "Accepted votes that replaced an earlier vote of the same reader.");
	buf_addf(out, "phare_collect_votes_replaced_total %llu\n", (unsigned long long)atomic_load(&m->replaced));
	metrics_head(out, "phare_collect_votes_refused_total", "counter", "Vote requests refused, by reason.");
	for (size_t i = 0; i < METRICS_REASONS; i++)
		buf_addf(out, "phare_collect_votes_refused_total{reason=\"%s\"} %llu\n", metrics_reasons[i].name,
			 (unsigned long long)atomic_load(&m->refused[i]));
	metrics_histogram(m, out);
	metrics_head(out, "phare_collect_db_errors_total", "counter",
		     "Failed database writes and connection attempts.");
	buf_addf(out, "phare_collect_db_errors_total %llu\n", (unsigned long long)db->errors);
	metrics_head(out, "phare_collect_db_reconnects_total", "counter",
		     "Database connections made again after a loss.");
	buf_addf(out, "phare_collect_db_reconnects_total %llu\n", (unsigned long long)db->reconnects);
	metrics_head(out, "phare_collect_db_connections", "gauge", "Database connections open now.");
	buf_addf(out, "phare_collect_db_connections %u\n", db->open);
}

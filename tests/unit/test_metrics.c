/* test_metrics.c: the collector's counters and their Prometheus text
 * (feedback/metrics.h), and the schema version parser of the stores. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "feedback/metrics.h"
#include "feedback/store_backend.h"
#include "util/buf.h"

static void reasons_by_status(void **state)
{
	(void)state;
	assert_int_equal(metrics_reason_of(400), METRICS_INVALID);
	assert_int_equal(metrics_reason_of(429), METRICS_RATE_LIMITED);
	assert_int_equal(metrics_reason_of(503), METRICS_UNAVAILABLE);
	assert_int_equal(metrics_reason_of(418), METRICS_ERROR); /* anything unknown */
	assert_string_equal(metrics_reason_name(METRICS_UNKNOWN_ARTICLE), "unknown_article");
	for (int r = 0; r < METRICS_REASONS; r++) /* every reason has a label value */
		assert_true(strspn(metrics_reason_name((metrics_reason)r), "abcdefghijklmnopqrstuvwxyz_") ==
			    strlen(metrics_reason_name((metrics_reason)r)));
}

static void text_format(void **state)
{
	(void)state;
	static metrics m; /* zeroed: ready */
	metrics_accepted(&m, false);
	metrics_accepted(&m, true);
	metrics_refused(&m, 429);
	metrics_refused(&m, 429);
	metrics_observe(&m, 0.0005); /* first bucket */
	metrics_observe(&m, 0.003);  /* le 0.005 */
	metrics_observe(&m, 60);     /* only +Inf */
	store_stats db = { .errors = 3, .reconnects = 2, .open = 4 };
	buf out = BUF_INIT;
	metrics_format(&m, &db, &out);
	const char *want[] = {
		"# TYPE phare_collect_votes_accepted_total counter\nphare_collect_votes_accepted_total 2\n",
		"phare_collect_votes_replaced_total 1\n",
		"phare_collect_votes_refused_total{reason=\"rate_limited\"} 2\n",
		"phare_collect_votes_refused_total{reason=\"invalid\"} 0\n",
		"# TYPE phare_collect_request_duration_seconds histogram\n",
		"phare_collect_request_duration_seconds_bucket{le=\"0.001\"} 1\n",
		"phare_collect_request_duration_seconds_bucket{le=\"0.0025\"} 1\n",
		"phare_collect_request_duration_seconds_bucket{le=\"0.005\"} 2\n",
		"phare_collect_request_duration_seconds_bucket{le=\"5\"} 2\n",
		"phare_collect_request_duration_seconds_bucket{le=\"+Inf\"} 3\n",
		"phare_collect_request_duration_seconds_sum 60.003500\n",
		"phare_collect_request_duration_seconds_count 3\n",
		"phare_collect_db_errors_total 3\n",
		"phare_collect_db_reconnects_total 2\n",
		"# TYPE phare_collect_db_connections gauge\nphare_collect_db_connections 4\n",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(out.ptr, want[i]))
			fail_msg("missing %s in:\n%s", want[i], out.ptr);
	assert_int_equal(out.ptr[out.len - 1], '\n');
	buf_release(&out);
}

static void schema_versions(void **state)
{
	(void)state;
	assert_int_equal(store_schema_parse("1"), 1);
	assert_int_equal(store_schema_parse("12"), 12);
	assert_int_equal(store_schema_parse("0"), -1);
	assert_int_equal(store_schema_parse(""), -1);
	assert_int_equal(store_schema_parse(NULL), -1);
	assert_int_equal(store_schema_parse("1a"), -1);
	assert_int_equal(store_schema_parse("-1"), -1);
	assert_int_equal(store_schema_parse("99999999999"), -1);
}

static void postgres_targets(void **state)
{
	(void)state;
	assert_true(store_is_postgres("postgresql://u@h/db"));
	assert_true(store_is_postgres("postgres://u@h/db"));
	assert_false(store_is_postgres("votes.db"));
	assert_false(store_is_postgres("./postgresql://x"));
	assert_false(store_is_postgres("postgresql:/x"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reasons_by_status),
		cmocka_unit_test(text_format),
		cmocka_unit_test(schema_versions),
		cmocka_unit_test(postgres_targets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_clock.c: util/clock, the monotonic clock and condition-variable
 * deadlines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <time.h>

#include "util/clock.h"

static double ts_seconds(struct timespec ts)
{
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void clock_measures_a_sleep(void **state)
{
	(void)state;
	double t0 = clock_now();
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	nanosleep(&nap, NULL);
	double t1 = clock_now();
	assert_true(t1 - t0 >= 0.019);
	assert_true(t1 - t0 < 5.0);
	for (int i = 0; i < 1000; i++) {
		double t = clock_now();
		assert_true(t >= t1); /* never backwards */
		t1 = t;
	}
}

/* Normalised whatever the fraction, and as far ahead as asked. */
static void clock_deadlines(void **state)
{
	(void)state;
	const double ahead[] = { 0, 0.25, 0.999999999, 1.5, 30 };
	for (size_t i = 0; i < sizeof ahead / sizeof ahead[0]; i++) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		struct timespec d = clock_deadline(CLOCK_MONOTONIC, ahead[i]);
		assert_true(d.tv_nsec >= 0 && d.tv_nsec < 1000000000L);
		double gap = ts_seconds(d) - ts_seconds(now);
		assert_true(gap >= ahead[i] - 1e-6);
		assert_true(gap < ahead[i] + 1.0);
	}
	struct timespec wall;
	clock_gettime(CLOCK_REALTIME, &wall);
	struct timespec d = clock_deadline(CLOCK_REALTIME, 2);
	assert_true(ts_seconds(d) - ts_seconds(wall) >= 2 - 1e-6);
}

/* What reload.c does: a wait on a monotonic condition variable ends at
 * the deadline. */
static void clock_deadline_ends_a_wait(void **state)
{
	(void)state;
	pthread_condattr_t attr;
	pthread_cond_t cond;
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&cond, &attr);
	pthread_condattr_destroy(&attr);
	double t0 = clock_now();
	struct timespec d = clock_deadline(CLOCK_MONOTONIC, 0.05);
	pthread_mutex_lock(&lock);
	int rc = 0;
	while (rc == 0) /* spurious wake-ups come back here */
		rc = pthread_cond_timedwait(&cond, &lock, &d);
	pthread_mutex_unlock(&lock);
	double waited = clock_now() - t0;
	assert_true(waited >= 0.049);
	assert_true(waited < 5.0);
	pthread_cond_destroy(&cond);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clock_measures_a_sleep),
		cmocka_unit_test(clock_deadlines),
		cmocka_unit_test(clock_deadline_ends_a_wait),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

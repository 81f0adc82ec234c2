/* test_workers.c: util/workers, a set of threads over a shared queue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "util/workers.h"

static void workers_counts(void **state)
{
	(void)state;
	assert_int_equal(workers_count(1), 1);
	assert_int_equal(workers_count(3), 3);
	assert_int_equal(workers_count(WORKERS_MAX), WORKERS_MAX);
	assert_int_equal(workers_count(1000), WORKERS_MAX);
	int cores = workers_count(0); /* one per processor */
	assert_true(cores >= 1 && cores <= WORKERS_MAX);
	assert_int_equal(workers_count(-4), cores);
}

/* A queue of numbers to add up, taken by every thread and the caller. */
typedef struct sum_job {
	atomic_size_t next;
	atomic_ullong sum;
	atomic_int threads_seen;
	size_t n;
} sum_job;

static void sum_take(sum_job *j)
{
	for (size_t i; (i = atomic_fetch_add(&j->next, 1)) < j->n;)
		atomic_fetch_add(&j->sum, i + 1);
}

static void *sum_worker(void *arg)
{
	sum_job *j = arg;
	atomic_fetch_add(&j->threads_seen, 1);
	sum_take(j);
	return NULL;
}

static void workers_share_a_queue(void **state)
{
	(void)state;
	for (int n = -1; n <= WORKERS_MAX + 3; n++) {
		sum_job j = { .n = 100000 };
		atomic_init(&j.next, 0);
		atomic_init(&j.sum, 0);
		atomic_init(&j.threads_seen, 0);
		workers w;
		int started = workers_start(&w, n, sum_worker, &j, 0);
		assert_int_equal(started, w.n);
		assert_int_equal(started, n < 0 ? 0 : n > WORKERS_MAX ? WORKERS_MAX : n);
		sum_take(&j); /* the caller takes its share */
		workers_join(&w);
		assert_int_equal(w.n, 0);
		assert_int_equal(atomic_load(&j.threads_seen), started);
		assert_true(atomic_load(&j.sum) == (unsigned long long)j.n * (j.n + 1) / 2);
	}
}

/* With a stride, the k-th thread gets the k-th element: each its own. */
typedef struct slot {
	int runs;
} slot;

static void *slot_worker(void *arg)
{
	slot *s = arg;
	s->runs++;
	return NULL;
}

static void workers_own_args(void **state)
{
	(void)state;
	slot slots[WORKERS_MAX] = { { 0 } };
	workers w;
	int started = workers_start(&w, 5, slot_worker, slots, sizeof slots[0]);
	assert_int_equal(started, 5);
	workers_join(&w);
	for (int i = 0; i < WORKERS_MAX; i++)
		assert_int_equal(slots[i].runs, i < 5 ? 1 : 0);
}

/* workers_each: every item once, whatever the threads asked for (none,
 * one, more than the items, more than WORKERS_MAX), on several threads when
 * there are items to share. */
typedef struct each_job {
	atomic_int *seen; /* per item: how many calls */
	pthread_t callers[64];
	atomic_int n_callers;
	pthread_mutex_t lock;
	bool wait_for_two; /* item 0 waits (2 s at most) until another thread has taken one */
} each_job;

static void each_item(void *arg, size_t i)
{
	each_job *j = arg;
	atomic_fetch_add(&j->seen[i], 1);
	pthread_mutex_lock(&j->lock);
	bool known = false;
	for (int k = 0; k < atomic_load(&j->n_callers); k++)
		known = known || pthread_equal(j->callers[k], pthread_self());
	if (!known && atomic_load(&j->n_callers) < 64)
		j->callers[atomic_fetch_add(&j->n_callers, 1)] = pthread_self();
	pthread_mutex_unlock(&j->lock);
	for (int ms = 0; i == 0 && j->wait_for_two && atomic_load(&j->n_callers) < 2 && ms < 2000; ms++)
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
}

static void workers_each_item_once(void **state)
{
	(void)state;
	size_t sizes[] = { 0, 1, 2, 7, 5000 };
	int threads[] = { 0, 1, 2, 4, WORKERS_MAX + 5 };
	for (size_t a = 0; a < sizeof sizes / sizeof *sizes; a++) {
		for (size_t t = 0; t < sizeof threads / sizeof *threads; t++) {
			each_job j = { .seen = calloc(sizes[a] + 1, sizeof(atomic_int)),
					.wait_for_two = sizes[a] == 5000 && threads[t] == 4 };
			atomic_init(&j.n_callers, 0);
			pthread_mutex_init(&j.lock, NULL);
			workers_each(threads[t], sizes[a], each_item, &j);
			for (size_t i = 0; i < sizes[a]; i++)
				assert_int_equal(atomic_load(&j.seen[i]), 1);
			int callers = atomic_load(&j.n_callers);
			assert_true(callers <= (threads[t] > 1 ? threads[t] : 1));
			assert_true(callers <= (int)sizes[a]);
			if (j.wait_for_two)
				assert_true(callers >= 2); /* shared, not done by the caller alone */
			pthread_mutex_destroy(&j.lock);
			free(j.seen);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(workers_counts),
		cmocka_unit_test(workers_share_a_queue),
		cmocka_unit_test(workers_own_args),
		cmocka_unit_test(workers_each_item_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

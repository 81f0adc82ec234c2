/* workers.h: a set of threads that run one function over a shared queue of
 * work, started together and joined together.
 *
 * A thread that cannot start (pthread_create fails: a thread limit, no
 * memory for its stack) is skipped, never an error: its share falls to the
 * others.  So the work must be taken from a queue the threads share (an
 * atomic counter, a list under a lock), and the calling thread usually
 * takes its share too, which makes a set of zero workers still finish. */
#ifndef PHARE_WORKERS_H
#define PHARE_WORKERS_H

#include <pthread.h>
#include <stddef.h>

#define WORKERS_MAX 16 /* past this, phare's jobs wait on the disk or on locks */

typedef struct workers_start_arg {
	void *(*fn)(void *);
	void *arg;
} workers_start_arg;

typedef struct workers {
	pthread_t th[WORKERS_MAX];
	workers_start_arg start[WORKERS_MAX];
	int n; /* threads started: th[0..n) */
} workers;

/* How many threads a job may run on, the calling thread included: want
 * when above 0 (--threads), else one per online processor; between 1 and
 * WORKERS_MAX. */
int workers_count(long want);

/* Starts up to n threads (n <= WORKERS_MAX; none when n <= 0) running fn;
 * the k-th that starts gets (char *)arg + k * stride (stride 0: all get
 * arg).  Each thread's heap is prepared first (xalloc_prepare_heap).
 * Returns w->n, the threads started. */
int workers_start(workers *w, int n, void *(*fn)(void *), void *arg, size_t stride);
/* Waits for every thread started; w->n is 0 afterwards. */
void workers_join(workers *w);

/* fn(arg, i) for every i in [0, n), each once and in no set order, on up
 * to `threads` threads (the calling one included: workers_count's number);
 * returns when every call has returned. */
void workers_each(int threads, size_t n, void (*fn)(void *arg, size_t i), void *arg);

#endif

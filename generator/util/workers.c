/* workers.c: start and join a set of threads. */
#include "workers.h"

#include <stdatomic.h>
#include <unistd.h>

#include "xalloc.h"

static void *workers_main(void *start)
{
	workers_start_arg *s = start;
	xalloc_prepare_heap();
	return s->fn(s->arg);
}

int workers_count(long want)
{
	long n = want > 0 ? want : sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	if (n > WORKERS_MAX)
		n = WORKERS_MAX;
	return (int)n;
}

int workers_start(workers *w, int n, void *(*fn)(void *), void *arg, size_t stride)
{
	w->n = 0;
	if (n > WORKERS_MAX)
		n = WORKERS_MAX;
	for (int i = 0; i < n; i++) {
		w->start[w->n] = (workers_start_arg){ fn, (char *)arg + (size_t)w->n * stride };
		if (pthread_create(&w->th[w->n], NULL, workers_main, &w->start[w->n]) == 0)
			w->n++;
	}
	return w->n;
}

void workers_join(workers *w)
{
	for (int i = 0; i < w->n; i++)
		pthread_join(w->th[i], NULL);
	w->n = 0;
}

typedef struct workers_queue {
	void (*fn)(void *arg, size_t i);
	void *arg;
	size_t n;
	atomic_size_t next;
} workers_queue;

static void *workers_take(void *queue)
{
	workers_queue *q = queue;
	for (size_t i; (i = atomic_fetch_add(&q->next, 1)) < q->n;)
		q->fn(q->arg, i);
	return NULL;
}

void workers_each(int threads, size_t n, void (*fn)(void *arg, size_t i), void *arg)
{
	workers_queue q = { fn, arg, n, 0 };
	atomic_init(&q.next, 0);
	size_t helpers = threads > 1 ? (size_t)threads - 1 : 0;
	if (helpers >= n)
		helpers = n ? n - 1 : 0; /* a thread per item at most */
	workers w;
	workers_start(&w, (int)helpers, workers_take, &q, 0);
	workers_take(&q); /* the caller takes its share */
	workers_join(&w);
}

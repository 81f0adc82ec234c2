/* workers.c: start and join a set of threads. */
#include "workers.h"

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

/* dynlib.c: libraries opened on first use (see dynlib.h). */
#include "util/dynlib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#include "util/diag.h"

/* One lock for every library: loading happens once per library and process. */
static pthread_mutex_t dynlib_lock = PTHREAD_MUTEX_INITIALIZER;

static void dynlib_open(dynlib *l)
{
	/* RTLD_LOCAL: the library's symbols do not take the place of phare's
	 * functions of the same names; the handle stays open until exit. */
	void *h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		snprintf(l->error, sizeof(l->error), "%s", e ? e : l->soname);
		atomic_store_explicit(&l->state, -1, memory_order_release);
		return;
	}
	const char *missing = l->bind(h);
	if (missing) {
		snprintf(l->error, sizeof(l->error), "%s has no %s (too old?)", l->soname, missing);
		atomic_store_explicit(&l->state, -1, memory_order_release);
		return;
	}
	atomic_store_explicit(&l->state, 1, memory_order_release);
}

phare_status dynlib_load(dynlib *l)
{
	if (atomic_load_explicit(&l->state, memory_order_acquire) == 0) {
		pthread_mutex_lock(&dynlib_lock);
		if (atomic_load_explicit(&l->state, memory_order_relaxed) == 0)
			dynlib_open(l);
		pthread_mutex_unlock(&dynlib_lock);
	}
	if (atomic_load_explicit(&l->state, memory_order_acquire) == 1)
		return PHARE_OK;
	diag_error(NULL, 0, 0, "cannot load %s, needed by %s (%s); install it (Debian: apt-get install %s)",
		   l->soname, l->users, l->error, l->package);
	return PHARE_ERR_IO;
}

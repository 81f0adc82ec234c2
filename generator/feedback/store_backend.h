/* store_backend.h: what a backend of store.h provides (store_sqlite.c,
 * store_pg.c); store.c picks one by the --db text and calls through it.
 * Private to generator/feedback/store*.c. */
#ifndef PHARE_STORE_BACKEND_H
#define PHARE_STORE_BACKEND_H

#include "feedback/store.h"

typedef struct store_backend {
	/* Opens target; fills salt (made once, kept in the database). */
	phare_status (*open)(const char *target, bool readonly, store_sync sync, unsigned char salt[32], void **impl);
	void (*close)(void *impl);
	unsigned (*writers)(const void *impl);
	store_result (*write)(void *impl, store_vote *votes, size_t n);
	store_result (*write_steps)(void *impl, const store_step *steps, size_t n);
	int64_t (*count)(void *impl);
	bool (*ready)(void *impl);
	void (*stats)(void *impl, store_stats *out);
	phare_status (*each_group)(void *impl, const store_filter *f, store_group_fn fn, void *ctx);
	phare_status (*each_week)(void *impl, const store_filter *f, store_week_fn fn, void *ctx);
	phare_status (*each_comment)(void *impl, const store_filter *f, store_comment_fn fn, void *ctx);
	phare_status (*each_vote)(void *impl, store_vote_fn fn, void *ctx);
	phare_status (*each_step)(void *impl, const store_filter *f, store_step_fn fn, void *ctx);
	phare_status (*each_step_group)(void *impl, const store_filter *f, store_step_group_fn fn, void *ctx);
} store_backend;

extern const store_backend store_sqlite_backend;
extern const store_backend store_pg_backend;

/* "1" -> 1; anything not a plain positive number -> -1. */
long store_schema_parse(const char *text);

#endif

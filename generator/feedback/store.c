/* store.c: the store interface (store.h), dispatched to the backend its
 * --db text names: PostgreSQL for a postgresql:// URI, SQLite otherwise. */
#include "feedback/store.h"

#include <stdlib.h>
#include <string.h>

#include "util/sha256.h"
#include "feedback/store_backend.h"
#include "util/xalloc.h"

struct store {
	const store_backend *be;
	void *impl;
	char *path;
	unsigned char salt[32];
};

bool store_is_postgres(const char *target)
{
	return strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0;
}

long store_schema_parse(const char *text)
{
	if (!text || !*text || strlen(text) > 9 || strspn(text, "0123456789") != strlen(text))
		return -1;
	long v = strtol(text, NULL, 10);
	return v > 0 ? v : -1;
}

static phare_status store_open_mode(const char *target, bool readonly, store_sync sync, store **out)
{
	*out = NULL;
	store *s = xcalloc(1, sizeof(*s));
	s->be = store_is_postgres(target) ? &store_pg_backend : &store_sqlite_backend;
	s->path = xstrdup(target);
	phare_status st = s->be->open(target, readonly, sync, s->salt, &s->impl);
	if (st != PHARE_OK) {
		free(s->path);
		free(s);
		return st;
	}
	*out = s;
	return PHARE_OK;
}

phare_status store_open(const char *target, store_sync sync, store **out)
{
	return store_open_mode(target, false, sync, out);
}

phare_status store_open_readonly(const char *target, store **out)
{
	return store_open_mode(target, true, STORE_SYNC_NORMAL, out);
}

void store_close(store *s)
{
	if (!s)
		return;
	s->be->close(s->impl);
	free(s->path);
	free(s);
}

void store_hash_address(const store *s, const char *addr, char out[65])
{
	unsigned char mac[32];
	hmac_sha256(s->salt, sizeof(s->salt), addr, strlen(addr), mac);
	sha256_hex(mac, sizeof(mac), out);
}

unsigned store_writers(const store *s) { return s->be->writers(s->impl); }
store_result store_write(store *s, store_vote *votes, size_t n) { return s->be->write(s->impl, votes, n); }
store_result store_write_steps(store *s, const store_step *steps, size_t n)
{
	return s->be->write_steps(s->impl, steps, n);
}
int64_t store_count(store *s) { return s->be->count(s->impl); }
bool store_ready(store *s) { return s->be->ready(s->impl); }
void store_stats_get(store *s, store_stats *out) { s->be->stats(s->impl, out); }
const char *store_path(const store *s) { return s->path; }

phare_status store_each_group(store *s, const store_filter *f, store_group_fn fn, void *ctx)
{
	return s->be->each_group(s->impl, f, fn, ctx);
}

phare_status store_each_week(store *s, const store_filter *f, store_week_fn fn, void *ctx)
{
	return s->be->each_week(s->impl, f, fn, ctx);
}

phare_status store_each_comment(store *s, const store_filter *f, store_comment_fn fn, void *ctx)
{
	return s->be->each_comment(s->impl, f, fn, ctx);
}

phare_status store_each_vote(store *s, store_vote_fn fn, void *ctx) { return s->be->each_vote(s->impl, fn, ctx); }

phare_status store_each_step(store *s, const store_filter *f, store_step_fn fn, void *ctx)
{
	return s->be->each_step(s->impl, f, fn, ctx);
}

phare_status store_each_step_group(store *s, const store_filter *f, store_step_group_fn fn, void *ctx)
{
	return s->be->each_step_group(s->impl, f, fn, ctx);
}

/* migrate.c: SQLite votes and questionnaire steps copied into PostgreSQL
 * (migrate.h), in batches of MIGRATE_BATCH, one transaction each. */
#include "feedback/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feedback/store.h"
#include "util/arena.h"
#include "util/diag.h"

#define MIGRATE_BATCH 500

typedef struct migrate_state {
	store *dst;
	char source_id[17]; /* the first 16 hex digits of a hash made with the source's salt */
	arena a;            /* the batch's strings */
	store_vote batch[MIGRATE_BATCH];
	store_step steps[MIGRATE_BATCH];
	size_t n;
	migrate_counts *counts;
	phare_status st;
} migrate_state;

static void migrate_flush(migrate_state *m)
{
	if (m->n && m->st == PHARE_OK) {
		store_result r = store_write(m->dst, m->batch, m->n);
		if (r != STORE_WRITTEN) {
			diag_error(store_path(m->dst), 0, 0,
				   "cannot copy the votes (see above); "
				   "what was copied stays, run the command again once the database answers");
			m->st = PHARE_ERR_IO;
		}
		for (size_t i = 0; r == STORE_WRITTEN && i < m->n; i++) {
			if (m->batch[i].replaced)
				m->counts->skipped++;
			else
				m->counts->copied++;
		}
	}
	m->n = 0;
	arena_release(&m->a);
}

static void migrate_vote(void *ctx, int64_t id, const store_vote *v)
{
	migrate_state *m = ctx;
	m->counts->source++;
	if (m->st != PHARE_OK)
		return;
	store_vote *c = &m->batch[m->n++];
	*c = *v;
	c->article = arena_strdup(&m->a, v->article);
	c->lang = arena_strdup(&m->a, v->lang);
	c->revision = arena_strdup(&m->a, v->revision);
	c->reason = arena_strdup(&m->a, v->reason);
	c->comment = arena_strdup(&m->a, v->comment);
	c->client = arena_strdup(&m->a, v->client);
	c->origin = arena_printf(&m->a, "sqlite:%s:%lld", m->source_id, (long long)id);
	if (m->n == MIGRATE_BATCH)
		migrate_flush(m);
}

static void migrate_flush_steps(migrate_state *m)
{
	if (m->n && m->st == PHARE_OK && store_write_steps(m->dst, m->steps, m->n) != STORE_WRITTEN) {
		diag_error(store_path(m->dst), 0, 0,
			   "cannot copy the questionnaire steps (see above); "
			   "what was copied stays, run the command again once the database answers");
		m->st = PHARE_ERR_IO;
	}
	m->n = 0;
	arena_release(&m->a);
}

/* A step is its own key (questionnaire, visit, seq): one copied again is
 * skipped by the target, so no origin is needed. */
static void migrate_step(void *ctx, const store_step *st)
{
	migrate_state *m = ctx;
	m->counts->steps++;
	if (m->st != PHARE_OK)
		return;
	store_step *c = &m->steps[m->n++];
	*c = *st;
	const char **text[] = { &c->questionnaire, &c->lang,     &c->revision, &c->visit,   &c->kind,
				&c->node,          &c->question, &c->answer,   &c->outcome, &c->article };
	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++)
		*text[i] = arena_strdup(&m->a, *text[i]);
	if (m->n == MIGRATE_BATCH)
		migrate_flush_steps(m);
}

phare_status migrate_run(const char *from, const char *to, migrate_counts *out)
{
	memset(out, 0, sizeof(*out));
	if (store_is_postgres(from) || !store_is_postgres(to)) {
		diag_error(NULL, 0, 0,
			   "migrate copies from an SQLite file to a PostgreSQL database; "
			   "write --from FILE.sqlite --to postgresql://USER@HOST/DB");
		return PHARE_ERR_USAGE;
	}
	store *src = NULL;
	migrate_state *m = calloc(1, sizeof(*m));
	if (!m)
		return PHARE_ERR_INTERNAL;
	m->counts = out;
	phare_status st = store_open_readonly(from, &src);
	if (st == PHARE_OK)
		st = store_open(to, STORE_SYNC_FULL, &m->dst);
	if (st == PHARE_OK) {
		char h[65];
		store_hash_address(src, "phare feedback migrate", h);
		memcpy(m->source_id, h, 16);
		st = store_each_vote(src, migrate_vote, m);
		migrate_flush(m);
		store_filter all = { 0 };
		if (st == PHARE_OK && m->st == PHARE_OK)
			st = store_each_step(src, &all, migrate_step, m);
		migrate_flush_steps(m);
		if (st == PHARE_OK)
			st = m->st;
		out->target = store_count(m->dst);
	}
	arena_release(&m->a);
	store_close(m->dst);
	store_close(src);
	free(m);
	return st;
}

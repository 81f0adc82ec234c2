/* store.h: the database of feedback votes, shared by `phare collect`
 * (writes), `phare feedback report` (reads) and `phare feedback migrate`.
 *
 * Two backends behind this one interface, chosen by the --db text:
 *   a file path          SQLite (store_sqlite.c), the embedded default;
 *   postgresql://...     PostgreSQL (store_pg.c, a libpq URI; also
 *                        postgres://), shared by several collectors.
 * Same tables and semantics on both:
 *   meta(key PRIMARY KEY, value)   "schema" = the schema version (2),
 *                                  "salt" = 64 hex digits made once
 *   votes(id, time, article, lang, revision, vote, reason, comment, client, addr_hash)
 *     time: Unix seconds (UTC); vote: 1 yes, 0 no; addr_hash: HMAC-SHA-256 of
 *     the voter's address keyed by the salt (the address itself is never stored);
 *     unique on (client, article, lang, revision) when client is not empty:
 *     a client voting again on the same revision replaces its vote.
 *     PostgreSQL adds `origin`, unique: where a migrated vote came from.
 *   steps(id, time, questionnaire, lang, revision, visit, seq, kind, node,
 *         question, answer, outcome, article)            (schema 2)
 *     one row per questionnaire step a reader's browser sent (quiz_manifest.h
 *     names the kinds); visit: a random id the page drew for this visit
 *     (nothing links two visits); seq: the step's rank in the visit;
 *     question/outcome/article: the node's, from the manifest, "" otherwise.
 *     Unique on (questionnaire, visit, seq): a step sent twice is kept once.
 *     No address, not even hashed.
 * The schema is upgraded in place when a store is opened for writing; a
 * schema newer than this phare knows is refused.  The salt lives in the
 * database, so collectors sharing one database hash addresses alike.
 *
 * Threads: store_write() may be called by store_writers() threads at once
 * (PostgreSQL: each takes a connection of the store's pool; SQLite: one);
 * store_ready(), store_stats() and store_hash_address() by any thread. */
#ifndef PHARE_STORE_H
#define PHARE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

typedef struct store store;

/* full: a vote is acknowledged once durable (SQLite synchronous=FULL,
 * PostgreSQL synchronous_commit=on); normal: a crash of the machine
 * (SQLite) or of the database server (PostgreSQL) may lose the last ones. */
typedef enum store_sync { STORE_SYNC_NORMAL, STORE_SYNC_FULL } store_sync;

typedef struct store_vote {
	int64_t time;
	const char *article, *lang, *revision;
	bool yes;
	const char *reason;  /* "" when none */
	const char *comment; /* "" when none */
	const char *client;  /* "" when none: never replaced */
	char addr_hash[65];  /* from store_hash_address() */
	const char *origin;  /* NULL for a live vote; migrate: a vote copied from
			      * elsewhere, written only if that origin is not there yet */
	/* Set by store_write(): */
	bool replaced; /* an earlier vote of the same client was replaced
			* (with origin: the vote was there already) */
} store_vote;

/* A questionnaire step (see steps above). */
typedef struct store_step {
	int64_t time;
	const char *questionnaire, *lang, *revision, *visit;
	int64_t seq;
	const char *kind, *node, *question, *answer, *outcome, *article;
} store_step;

/* The outcome of a write, for the HTTP answer. */
typedef enum store_result {
	STORE_WRITTEN,
	STORE_DISK_FULL,   /* SQLITE_FULL, an I/O error, PostgreSQL out of space: 503 */
	STORE_BUSY,        /* the database stayed locked past the busy timeout: 503 */
	STORE_UNAVAILABLE, /* the database server cannot be reached: 503, retried with backoff */
	STORE_FAILED       /* anything else: 500 */
} store_result;

/* What the operator watches (GET /metrics). */
typedef struct store_stats {
	uint64_t errors;     /* failed writes and connection attempts */
	uint64_t reconnects; /* connections made again after one was lost */
	unsigned open;       /* connections open now */
} store_stats;

/* True when target names a PostgreSQL database (postgresql:// or postgres://). */
bool store_is_postgres(const char *target);

/* Opens (creating or upgrading the schema if needed) the database for
 * writing.  Errors reported, one line. */
phare_status store_open(const char *target, store_sync sync, store **out) PHARE_MUST_USE;
/* Opens an existing database for reading; a missing one is a clear error. */
phare_status store_open_readonly(const char *target, store **out) PHARE_MUST_USE;
void store_close(store *s);

/* How many threads may call store_write() at once to good effect. */
unsigned store_writers(const store *s);
/* Fills out (65 bytes) with the salted hash of addr. */
void store_hash_address(const store *s, const char *addr, char out[65]);
/* Writes the n votes in one transaction: either all are committed or
 * none.  After a disk or connection error the store reconnects by itself
 * on a later write (PostgreSQL: with backoff), so voting recovers. */
store_result store_write(store *s, store_vote *votes, size_t n);
/* Writes the n steps in one transaction (a step already there is skipped). */
store_result store_write_steps(store *s, const store_step *steps, size_t n);
/* Number of votes stored; -1 on error. */
int64_t store_count(store *s);
/* True when the database answers now (GET /readyz). */
bool store_ready(store *s);
void store_stats_get(store *s, store_stats *out);
const char *store_path(const store *s);

/* Reading, for the report and migrate: rows handed to a callback, their
 * strings valid during the call only. */
typedef struct store_filter {
	const char *lang; /* NULL: every language */
	int64_t since;    /* Unix seconds; 0: all */
} store_filter;
typedef struct store_group { /* votes per article, language and revision */
	const char *article, *lang, *revision;
	uint64_t yes, no;
	int64_t first, last;
} store_group;
typedef struct store_comment {
	const char *article, *lang, *revision, *reason, *comment;
	int64_t time;
} store_comment;
/* Weeks run from Monday 00:00 to Sunday 24:00 UTC: week w begins at
 * w * STORE_WEEK - STORE_WEEK_SHIFT (1970-01-01 was a Thursday, so week 0
 * began on Monday 1969-12-29).  The SQL of both backends spells these
 * numbers out: (time + 259200) / 604800. */
#define STORE_WEEK 604800
#define STORE_WEEK_SHIFT 259200
typedef struct store_week { /* votes per article, language and week */
	const char *article, *lang;
	int64_t week;
	uint64_t yes, no;
} store_week;
typedef void (*store_group_fn)(void *ctx, const store_group *g);
typedef void (*store_week_fn)(void *ctx, const store_week *w);
typedef void (*store_comment_fn)(void *ctx, const store_comment *c);
typedef void (*store_vote_fn)(void *ctx, int64_t id, const store_vote *v);

/* Groups sorted by article, lang (bytewise), then first vote, revision. */
phare_status store_each_group(store *s, const store_filter *f, store_group_fn fn, void *ctx) PHARE_MUST_USE;
/* Weeks sorted by article, lang (bytewise), then week. */
phare_status store_each_week(store *s, const store_filter *f, store_week_fn fn, void *ctx) PHARE_MUST_USE;
/* Votes with a comment or a reason, by article, lang, then newest first. */
phare_status store_each_comment(store *s, const store_filter *f, store_comment_fn fn, void *ctx) PHARE_MUST_USE;
typedef void (*store_step_fn)(void *ctx, const store_step *st);
/* Steps by questionnaire, lang, visit (bytewise), then seq: one visit's
 * steps in a row, in the order the reader took them (migrate copies
 * them).  A database of schema 1 has none, here and grouped below. */
phare_status store_each_step(store *s, const store_filter *f, store_step_fn fn, void *ctx) PHARE_MUST_USE;
/* The steps of each visit grouped (the report's aggregate): one row per
 * visit and distinct (kind, question, answer, outcome, article), with how
 * many steps it holds and the highest seq among them; by questionnaire,
 * lang, visit (bytewise).  A reader going back and forth makes one row. */
typedef struct store_step_group {
	const char *questionnaire, *lang, *visit, *kind, *question, *answer, *outcome, *article;
	int64_t last_seq;
	uint64_t count;
} store_step_group;
typedef void (*store_step_group_fn)(void *ctx, const store_step_group *g);
phare_status store_each_step_group(store *s, const store_filter *f, store_step_group_fn fn, void *ctx) PHARE_MUST_USE;
/* Every vote, oldest id first. */
phare_status store_each_vote(store *s, store_vote_fn fn, void *ctx) PHARE_MUST_USE;

#endif

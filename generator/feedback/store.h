/* store.h: the SQLite database of feedback votes, shared by `phare collect`
 * (writes) and `phare feedback report` (reads).
 *
 * Schema (version 1):
 *   meta(key PRIMARY KEY, value)   "schema" = 1, "salt" = 64 hex digits made once
 *   votes(id, time, article, lang, revision, vote, reason, comment, client, addr_hash)
 *     time: Unix seconds (UTC); vote: 1 yes, 0 no; addr_hash: HMAC-SHA-256 of
 *     the voter's address keyed by the salt (the address itself is never stored);
 *     unique on (client, article, lang, revision) when client is not empty:
 *     a client voting again on the same revision replaces its vote.
 * The database is in WAL mode; writes run in `BEGIN IMMEDIATE` transactions
 * with a busy timeout.  A store handle is used by one thread at a time. */
#ifndef PHARE_STORE_H
#define PHARE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

typedef struct store store;

typedef enum store_sync { STORE_SYNC_NORMAL, STORE_SYNC_FULL } store_sync;

typedef struct store_vote {
	int64_t time;
	const char *article, *lang, *revision;
	bool yes;
	const char *reason;  /* "" when none */
	const char *comment; /* "" when none */
	const char *client;  /* "" when none: never replaced */
	char addr_hash[65];  /* from store_hash_address() */
	/* Set by store_write(): */
	bool replaced;       /* an earlier vote of the same client was replaced */
} store_vote;

/* The outcome of a write, for the HTTP answer. */
typedef enum store_result {
	STORE_WRITTEN,
	STORE_DISK_FULL, /* SQLITE_FULL or an I/O error: 503, try again later */
	STORE_BUSY,      /* the database stayed locked past the busy timeout: 503 */
	STORE_FAILED     /* anything else: 500 */
} store_result;

/* Opens (creating if needed) the database for writing.  Errors reported. */
phare_status store_open(const char *path, store_sync sync, store **out) PHARE_MUST_USE;
/* Opens an existing database read-only; a missing file is a clear error. */
phare_status store_open_readonly(const char *path, store **out) PHARE_MUST_USE;
void store_close(store *s);

/* Fills out (65 bytes) with the salted hash of addr. */
void store_hash_address(const store *s, const char *addr, char out[65]);
/* Writes the n votes in one transaction: either all are committed or
 * none.  On STORE_DISK_FULL the handle reopens itself on the next write,
 * so voting recovers once space is back. */
store_result store_write(store *s, store_vote *votes, size_t n);
/* Number of votes stored; -1 on error. */
int64_t store_count(store *s);

/* For the report: the underlying connection (sqlite3 *), read-only or not. */
void *store_db(store *s);
const char *store_path(const store *s);

#endif

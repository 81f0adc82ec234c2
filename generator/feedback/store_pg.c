/* store_pg.c: the PostgreSQL backend of the store (schema in store.h).
 *
 * A small pool of connections: one per writer thread (store_writers())
 * and one for /readyz and counts.  A batch of votes is one transaction:
 * BEGIN, then every vote and the COMMIT in one pipeline (one round trip).  A connection that fails is dropped and
 * made again on its next use, no sooner than its backoff (0.1 s doubling
 * to 5 s) allows; until then writes answer STORE_UNAVAILABLE at once, so
 * the collector answers 503 and never exits for it.  A batch is retried
 * after a deadlock between two collectors, or a connection found dead at
 * its BEGIN (stale after a server restart); a connection lost later is
 * not retried, since the COMMIT may have gone through: the votes are
 * refused, never acknowledged unstored nor written twice.
 *
 * Schema upgrades run in one transaction under an advisory lock, so two
 * collectors starting together do not race; the salt is inserted once by
 * whichever comes first and read by all. */
#include "feedback/store_backend.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "feedback/pq_lib.h"
#include "util/sha256.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/xalloc.h"

#define STORE_PG_WRITERS 4
#define STORE_PG_POOL (STORE_PG_WRITERS + 1) /* + one for /readyz and counts */
#define STORE_PG_BACKOFF_MIN 0.1
#define STORE_PG_BACKOFF_MAX 5.0
#define STORE_PG_ATTEMPTS 3
#define STORE_PG_LOCK "SELECT pg_advisory_xact_lock(7295174402)"

typedef struct store_pg_conn {
	PGconn *c;       /* NULL: not connected */
	bool busy;       /* taken by a thread (guarded by store_pg.lock) */
	bool ever;       /* was connected once: the next connection is a reconnect */
	double next_try; /* clock_now() before which no attempt is made */
	double backoff;
} store_pg_conn;

typedef struct store_pg {
	char *uri;
	store_sync sync;
	bool readonly;
	pthread_mutex_t lock;
	store_pg_conn conns[STORE_PG_POOL];
	atomic_uint_fast64_t errors, reconnects;
	atomic_uint open;
	atomic_bool healthy;
} store_pg;

/* The schema, one step per version: steps[i] upgrades version i to i + 1. */
static const char *const store_pg_steps[] = {
	"CREATE TABLE IF NOT EXISTS votes("
	" id BIGSERIAL PRIMARY KEY,"
	" time BIGINT NOT NULL,"
	" article TEXT NOT NULL, lang TEXT NOT NULL, revision TEXT NOT NULL,"
	" vote SMALLINT NOT NULL CHECK (vote IN (0, 1)),"
	" reason TEXT NOT NULL DEFAULT '', comment TEXT NOT NULL DEFAULT '',"
	" client TEXT NOT NULL DEFAULT '', addr_hash TEXT NOT NULL, origin TEXT UNIQUE);"
	"CREATE UNIQUE INDEX IF NOT EXISTS votes_client ON votes(client, article, lang, revision)"
	" WHERE client <> '';"
	"CREATE INDEX IF NOT EXISTS votes_article ON votes(article, lang, time);",
	/* 2: questionnaire steps */
	"CREATE TABLE IF NOT EXISTS steps("
	" id BIGSERIAL PRIMARY KEY,"
	" time BIGINT NOT NULL,"
	" questionnaire TEXT NOT NULL, lang TEXT NOT NULL, revision TEXT NOT NULL,"
	" visit TEXT NOT NULL, seq BIGINT NOT NULL, kind TEXT NOT NULL, node TEXT NOT NULL,"
	" question TEXT NOT NULL DEFAULT '', answer TEXT NOT NULL DEFAULT '',"
	" outcome TEXT NOT NULL DEFAULT '', article TEXT NOT NULL DEFAULT '',"
	" UNIQUE (questionnaire, visit, seq));"
	"CREATE INDEX IF NOT EXISTS steps_visit ON steps(questionnaire, lang, visit, seq);",
};
#define STORE_PG_SCHEMA_LATEST ((long)(sizeof(store_pg_steps) / sizeof(store_pg_steps[0])))

static const char store_pg_upsert_sql[] =
	"INSERT INTO votes(time, article, lang, revision, vote, reason, comment, client, addr_hash)"
	" VALUES ($1::bigint, $2, $3, $4, $5::smallint, $6, $7, $8, $9)"
	" ON CONFLICT (client, article, lang, revision) WHERE client <> '' DO UPDATE SET"
	" time = excluded.time, vote = excluded.vote, reason = excluded.reason,"
	" comment = excluded.comment, addr_hash = excluded.addr_hash"
	" RETURNING (xmax = 0)"; /* true: inserted; false: replaced */

static const char store_pg_step_sql[] =
	"INSERT INTO steps(time, questionnaire, lang, revision, visit, seq, kind, node, question, answer,"
	" outcome, article) VALUES ($1::bigint, $2, $3, $4, $5, $6::bigint, $7, $8, $9, $10, $11, $12)"
	" ON CONFLICT (questionnaire, visit, seq) DO NOTHING";

static const char store_pg_copy_sql[] =
	"INSERT INTO votes(time, article, lang, revision, vote, reason, comment, client, addr_hash, origin)"
	" VALUES ($1::bigint, $2, $3, $4, $5::smallint, $6, $7, $8, $9, $10)"
	" ON CONFLICT DO NOTHING RETURNING 1";

/* libpq's messages span lines ("...failed: FATAL:  ...\n"): one line. */
static void store_pg_oneline(const char *msg, char *out, size_t n)
{
	size_t j = 0;
	bool space = false;
	for (const char *p = msg ? msg : ""; *p && j + 1 < n; p++) {
		if (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') {
			space = j > 0;
			continue;
		}
		if (space && j + 2 < n)
			out[j++] = ' ';
		space = false;
		out[j++] = *p;
	}
	out[j] = '\0';
}

static void store_pg_error(const store_pg *s, const char *what, const char *msg, const char *fix)
{
	char line[512];
	store_pg_oneline(msg, line, sizeof(line));
	diag_error(s->uri, 0, 0, "%s: %s%s%s", what, line, fix ? "; " : "", fix ? fix : "");
}

/* Checks the URI before any connection: it parses, and holds no password. */
static phare_status store_pg_check_uri(const char *uri)
{
	char *err = NULL;
	PQconninfoOption *opts = pq.conninfoParse(uri, &err);
	if (!opts) {
		char line[512];
		store_pg_oneline(err ? err : "out of memory", line, sizeof(line));
		diag_error(uri, 0, 0, "not a PostgreSQL URI (%s); write postgresql://USER@HOST:PORT/DATABASE", line);
		pq.freemem(err);
		return PHARE_ERR_USAGE;
	}
	bool password = false;
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val && o->val[0])
			password = true;
	pq.conninfoFree(opts);
	if (password) {
		diag_error(NULL, 0, 0,
			   "the --db URI holds a password, which other users can read on the command "
			   "line; remove it and set PGPASSWORD or a ~/.pgpass line instead");
		return PHARE_ERR_USAGE;
	}
	return PHARE_OK;
}

static bool store_pg_ok(PGresult *r, ExecStatusType want) { return r && pq.resultStatus(r) == want; }

/* Runs sql (no parameters) and says whether it succeeded; on failure
 * reports it when what is not NULL. */
static bool store_pg_run(const store_pg *s, PGconn *c, const char *sql, const char *what)
{
	PGresult *r = pq.exec(c, sql);
	bool ok = store_pg_ok(r, PGRES_COMMAND_OK) || store_pg_ok(r, PGRES_TUPLES_OK);
	if (!ok && what)
		store_pg_error(s, what, r ? pq.resultErrorMessage(r) : pq.errorMessage(c), NULL);
	pq.clear(r);
	return ok;
}

/* One value of a one-row query, copied into out; false if no row. */
static bool store_pg_value(PGconn *c, const char *sql, const char *param, char *out, size_t n, bool *failed)
{
	const char *params[1] = { param };
	PGresult *r = pq.execParams(c, sql, param ? 1 : 0, NULL, param ? params : NULL, NULL, NULL, 0);
	*failed = !store_pg_ok(r, PGRES_TUPLES_OK);
	bool found = !*failed && pq.ntuples(r) > 0;
	if (found)
		snprintf(out, n, "%s", pq.getvalue(r, 0, 0));
	pq.clear(r);
	return found;
}

static phare_status store_pg_check_version(const store_pg *s, const char *text)
{
	long v = store_schema_parse(text);
	if (v >= 1 && v <= STORE_PG_SCHEMA_LATEST)
		return PHARE_OK;
	diag_error(s->uri, 0, 0,
		   "database schema version '%s' is %s (this phare knows up to %ld); "
		   "use the phare version that wrote it",
		   text, v < 1 ? "not a version" : "newer than this phare", STORE_PG_SCHEMA_LATEST);
	return PHARE_ERR_INPUT;
}

static phare_status store_pg_salt_parse(const store_pg *s, const char *hex, unsigned char salt[32])
{
	if (strlen(hex) != 64 || strspn(hex, "0123456789abcdefABCDEF") != 64) {
		diag_error(s->uri, 0, 0,
			   "the salt in table 'meta' is damaged; "
			   "this is not a database written by phare collect");
		return PHARE_ERR_INPUT;
	}
	for (int i = 0; i < 32; i++) {
		unsigned v = 0;
		(void)sscanf(hex + 2 * i, "%2x", &v);
		salt[i] = (unsigned char)v;
	}
	return PHARE_OK;
}

/* The schema steps from version `from` on, then the version and the salt
 * (made here unless another collector made it first). */
static phare_status store_pg_upgrade(const store_pg *s, PGconn *c, long from, char salt_hex[65])
{
	for (long i = from; i < STORE_PG_SCHEMA_LATEST; i++)
		if (!store_pg_run(s, c, store_pg_steps[i], "cannot upgrade the schema"))
			return PHARE_ERR_IO;
	char version[24];
	snprintf(version, sizeof(version), "%ld", STORE_PG_SCHEMA_LATEST);
	const char *p1[1] = { version };
	PGresult *r = pq.execParams(c,
				    "INSERT INTO meta VALUES ('schema', $1) ON CONFLICT (key) DO UPDATE"
				    " SET value = excluded.value",
				    1, NULL, p1, NULL, NULL, 0);
	bool ok = store_pg_ok(r, PGRES_COMMAND_OK);
	pq.clear(r);
	unsigned char fresh[32];
	if (ok && getrandom(fresh, sizeof(fresh), 0) != (ssize_t)sizeof(fresh)) {
		diag_error(s->uri, 0, 0, "cannot get random bytes for the address salt (%s)", strerror(errno));
		return PHARE_ERR_IO;
	}
	sha256_hex(fresh, sizeof(fresh), salt_hex);
	const char *p2[1] = { salt_hex };
	r = ok ? pq.execParams(c, "INSERT INTO meta VALUES ('salt', $1) ON CONFLICT (key) DO NOTHING", 1, NULL, p2,
			       NULL, NULL, 0)
	       : NULL;
	ok = ok && store_pg_ok(r, PGRES_COMMAND_OK);
	pq.clear(r);
	if (!ok) {
		store_pg_error(s, "cannot initialise the database", pq.errorMessage(c), NULL);
		return PHARE_ERR_IO;
	}
	return PHARE_OK;
}

/* Reads (and, for writing, creates or upgrades) the schema; fills salt. */
static phare_status store_pg_init(const store_pg *s, PGconn *c, unsigned char salt[32])
{
	char version[64] = "", hex[65] = "";
	bool failed = false;
	phare_status st = PHARE_OK;
	if (!s->readonly &&
	    (!store_pg_run(s, c, "BEGIN", "cannot start a transaction") ||
	     !store_pg_run(s, c, STORE_PG_LOCK, "cannot lock the schema") ||
	     !store_pg_run(s, c, "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
			   "cannot create the tables")))
		return PHARE_ERR_IO;
	bool have = store_pg_value(c, "SELECT value FROM meta WHERE key = 'schema'", NULL, version, sizeof(version),
				   &failed);
	if (failed) {
		store_pg_error(s, "not a phare feedback database", pq.errorMessage(c), "check --db");
		st = PHARE_ERR_INPUT;
	} else if (have) {
		st = store_pg_check_version(s, version);
	} else if (s->readonly) {
		diag_error(s->uri, 0, 0,
			   "no votes here yet (no schema); give the database 'phare collect --db' writes");
		st = PHARE_ERR_INPUT;
	}
	if (st == PHARE_OK && !s->readonly)
		st = store_pg_upgrade(s, c, have ? store_schema_parse(version) : 0, hex);
	if (st == PHARE_OK &&
	    !store_pg_value(c, "SELECT value FROM meta WHERE key = 'salt'", NULL, hex, sizeof(hex), &failed)) {
		diag_error(s->uri, 0, 0,
			   "no address salt in table 'meta'; this is not a database written by phare collect");
		st = PHARE_ERR_INPUT;
	}
	if (st == PHARE_OK)
		st = store_pg_salt_parse(s, hex, salt);
	if (st == PHARE_OK && !s->readonly && !store_pg_run(s, c, "COMMIT", "cannot initialise the database"))
		st = PHARE_ERR_IO;
	if (st != PHARE_OK && !s->readonly)
		store_pg_run(s, c, "ROLLBACK", NULL);
	return st;
}

static PGconn *store_pg_dial(const store_pg *s)
{
	/* Processed in order: the URI (dbname, expanded) may override these.
	 * Notices ("relation already exists, skipping") would go to stderr.
	 * Over TCP, a server that vanished without closing is noticed within
	 * about 10 s (keepalives, tcp_user_timeout) rather than the system's
	 * minutes, so that handlers waiting for a commit get their 503. */
	const char *keys[] = { "connect_timeout",
			       "fallback_application_name",
			       "options",
			       "keepalives_idle",
			       "keepalives_interval",
			       "keepalives_count",
			       "tcp_user_timeout",
			       "dbname",
			       NULL };
	const char *vals[] = { "5", "phare", "-c client_min_messages=warning", "5", "2", "3", "10000", s->uri, NULL };
	return pq.connectdbParams(keys, vals, 1);
}

/* A fresh connection's settings and statements; false on failure. */
static bool store_pg_setup(const store_pg *s, PGconn *c)
{
	const char *sync = s->sync == STORE_SYNC_FULL ? "SET synchronous_commit = on" : "SET synchronous_commit = off";
	if (!store_pg_run(s, c, sync, NULL) || !store_pg_run(s, c, "SET statement_timeout = 10000", NULL))
		return false;
	if (s->readonly)
		return true;
	PGresult *a = pq.prepare(c, "upsert", store_pg_upsert_sql, 0, NULL);
	PGresult *b = pq.prepare(c, "copy", store_pg_copy_sql, 0, NULL);
	PGresult *d = pq.prepare(c, "step", store_pg_step_sql, 0, NULL);
	bool ok = store_pg_ok(a, PGRES_COMMAND_OK) && store_pg_ok(b, PGRES_COMMAND_OK) &&
		  store_pg_ok(d, PGRES_COMMAND_OK);
	pq.clear(a);
	pq.clear(b);
	pq.clear(d);
	return ok;
}

/* Health changes are told once each, not at every refused vote. */
static void store_pg_health(store_pg *s, bool ok, PGconn *c)
{
	bool was = atomic_exchange(&s->healthy, ok);
	if (was && !ok) {
		char line[512];
		store_pg_oneline(c ? pq.errorMessage(c) : "", line, sizeof(line));
		diag_warning(s->uri, 0, 0,
			     "the database does not answer (%s); votes are refused with 503 "
			     "until it does, reconnecting",
			     line);
	} else if (!was && ok) {
		diag_note(s->uri, 0, 0, "the database answers again");
	}
}

static void store_pg_drop(store_pg *s, store_pg_conn *pc)
{
	if (!pc->c)
		return;
	pq.finish(pc->c);
	pc->c = NULL;
	atomic_fetch_sub(&s->open, 1);
}

/* Makes sure pc is connected, within its backoff; false if it is not. */
static bool store_pg_ensure(store_pg *s, store_pg_conn *pc)
{
	if (pc->c && pq.status(pc->c) == CONNECTION_OK)
		return true;
	store_pg_drop(s, pc);
	double now = clock_now();
	if (now < pc->next_try)
		return false;
	PGconn *c = store_pg_dial(s);
	if (!c || pq.status(c) != CONNECTION_OK || !store_pg_setup(s, c)) {
		store_pg_health(s, false, c);
		pq.finish(c);
		atomic_fetch_add(&s->errors, 1);
		pc->backoff = pc->backoff > 0 ? pc->backoff * 2 : STORE_PG_BACKOFF_MIN;
		if (pc->backoff > STORE_PG_BACKOFF_MAX)
			pc->backoff = STORE_PG_BACKOFF_MAX;
		pc->next_try = now + pc->backoff;
		return false;
	}
	pc->c = c;
	atomic_fetch_add(&s->open, 1);
	if (pc->ever)
		atomic_fetch_add(&s->reconnects, 1);
	pc->ever = true;
	pc->backoff = 0;
	pc->next_try = 0;
	return true;
}

/* A free connection of the pool, or NULL when every one is taken (only
 * /readyz can meet that: writers are fewer than connections). */
static store_pg_conn *store_pg_take(store_pg *s)
{
	store_pg_conn *pc = NULL;
	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < STORE_PG_POOL && !pc; i++)
		if (!s->conns[i].busy) {
			pc = &s->conns[i];
			pc->busy = true;
		}
	pthread_mutex_unlock(&s->lock);
	return pc;
}

static void store_pg_give(store_pg *s, store_pg_conn *pc)
{
	pthread_mutex_lock(&s->lock);
	pc->busy = false;
	pthread_mutex_unlock(&s->lock);
}

static void store_pg_close(void *impl)
{
	store_pg *s = impl;
	if (!s)
		return;
	for (size_t i = 0; i < STORE_PG_POOL; i++)
		store_pg_drop(s, &s->conns[i]);
	pthread_mutex_destroy(&s->lock);
	free(s->uri);
	free(s);
}

static phare_status store_pg_open(const char *uri, bool readonly, store_sync sync, unsigned char salt[32], void **out)
{
	*out = NULL;
	if (pq_lib_load() != PHARE_OK)
		return PHARE_ERR_IO;
	phare_status st = store_pg_check_uri(uri);
	if (st != PHARE_OK)
		return st;
	store_pg *s = xcalloc(1, sizeof(*s));
	s->uri = xstrdup(uri);
	s->readonly = readonly;
	s->sync = sync;
	pthread_mutex_init(&s->lock, NULL);
	atomic_store(&s->healthy, true);
	PGconn *c = store_pg_dial(s);
	if (!c || pq.status(c) != CONNECTION_OK) {
		store_pg_error(s, "cannot connect to PostgreSQL", c ? pq.errorMessage(c) : "out of memory",
			       "check the URI, that the server runs and the database exists, and PGPASSWORD or "
			       "~/.pgpass");
		pq.finish(c);
		store_pg_close(s);
		return PHARE_ERR_IO;
	}
	st = store_pg_init(s, c, salt);
	if (st == PHARE_OK && !store_pg_setup(s, c)) {
		store_pg_error(s, "cannot prepare the statements", pq.errorMessage(c), NULL);
		st = PHARE_ERR_IO;
	}
	s->conns[0].c = c;
	s->conns[0].ever = true;
	atomic_store(&s->open, 1);
	if (st != PHARE_OK) {
		store_pg_close(s);
		return st;
	}
	*out = s;
	return PHARE_OK;
}

static unsigned store_pg_writers(const void *impl)
{
	const store_pg *s = impl;
	return s->readonly ? 1 : STORE_PG_WRITERS;
}

/* What a failed statement means for the vote, by its SQLSTATE. */
static store_result store_pg_classify(PGconn *c, PGresult *r, bool *retry)
{
	const char *state = r ? pq.resultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	*retry = false;
	if (pq.status(c) != CONNECTION_OK || !state)
		return STORE_UNAVAILABLE;
	if (strcmp(state, "40P01") == 0 || strcmp(state, "40001") == 0) { /* deadlock, serialization */
		*retry = true;
		return STORE_BUSY;
	}
	if (strcmp(state, "57014") == 0 || strcmp(state, "55P03") == 0) /* statement or lock timeout */
		return STORE_BUSY;
	if (strncmp(state, "53", 2) == 0 || strncmp(state, "58", 2) == 0) /* resources, disk */
		return STORE_DISK_FULL;
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "57", 2) == 0) /* connection, shutdown */
		return STORE_UNAVAILABLE;
	return STORE_FAILED;
}

/* Sends one vote's statement (pipeline mode: its result comes later). */
static bool store_pg_send_one(PGconn *c, const store_vote *v)
{
	char time[24];
	snprintf(time, sizeof(time), "%" PRId64, v->time);
	const char *p[10] = { time,      v->article, v->lang,   v->revision,  v->yes ? "1" : "0",
			      v->reason, v->comment, v->client, v->addr_hash, v->origin };
	return pq.sendQueryPrepared(c, v->origin ? "copy" : "upsert", v->origin ? 10 : 9, p, NULL, NULL, 0) == 1;
}

/* Sends one step's statement (pipeline mode). */
static bool store_pg_send_step(PGconn *c, const store_step *st)
{
	char time[24], seq[24];
	snprintf(time, sizeof(time), "%" PRId64, st->time);
	snprintf(seq, sizeof(seq), "%" PRId64, st->seq);
	const char *p[12] = { time,     st->questionnaire, st->lang,     st->revision, st->visit,   seq,
			      st->kind, st->node,          st->question, st->answer,   st->outcome, st->article };
	return pq.sendQueryPrepared(c, "step", 12, p, NULL, NULL, 0) == 1;
}

/* The result of vote v (or of a step or the COMMIT when v is NULL), and
 * the NULL that ends it; false, with *fail set to the failed result, otherwise. */
static bool store_pg_take_result(PGconn *c, store_vote *v, PGresult **fail)
{
	PGresult *r = pq.getResult(c);
	if (!store_pg_ok(r, v ? PGRES_TUPLES_OK : PGRES_COMMAND_OK)) {
		*fail = r;
		return false;
	}
	if (v && v->origin)
		v->replaced = pq.ntuples(r) == 0;
	else if (v)
		v->replaced = pq.ntuples(r) == 1 && strcmp(pq.getvalue(r, 0, 0), "f") == 0;
	pq.clear(r);
	PGresult *end = pq.getResult(c);
	pq.clear(end);
	return end == NULL;
}

/* The votes and the COMMIT of the open transaction sent at once (libpq's
 * pipeline mode), then their results read in order: one round trip for
 * the batch.  True once the COMMIT succeeded.  On false the connection is
 * left mid-pipeline: the caller drops it. */
static bool store_pg_pipeline(PGconn *c, store_vote *votes, const store_step *steps, size_t n, PGresult **fail)
{
	bool ok = pq.enterPipelineMode(c) == 1;
	for (size_t i = 0; ok && i < n; i++)
		ok = votes ? store_pg_send_one(c, &votes[i]) : store_pg_send_step(c, &steps[i]);
	ok = ok && pq.sendQueryParams(c, "COMMIT", 0, NULL, NULL, NULL, NULL, 0) == 1 && pq.pipelineSync(c) == 1;
	for (size_t i = 0; ok && i < n; i++)
		ok = store_pg_take_result(c, votes ? &votes[i] : NULL, fail);
	ok = ok && store_pg_take_result(c, NULL, fail);
	if (!ok)
		return false;
	PGresult *sync = pq.getResult(c);
	ok = store_pg_ok(sync, PGRES_PIPELINE_SYNC);
	pq.clear(sync);
	return ok && pq.exitPipelineMode(c) == 1;
}

/* A failed attempt: classified, told (a connection loss once, by
 * store_pg_health), and the connection dropped, which rolls back whatever
 * it held; the next attempt makes a fresh one at once. */
static store_result store_pg_failed(store_pg *s, store_pg_conn *pc, PGresult *r, bool before_commit, bool *retry)
{
	store_result res = store_pg_classify(pc->c, r, retry);
	if (res == STORE_UNAVAILABLE) {
		store_pg_health(s, false, pc->c);
		*retry = before_commit;
	} else {
		atomic_fetch_add(&s->errors, 1);
		if (res != STORE_BUSY)
			store_pg_error(s, "cannot store the votes",
				       r ? pq.resultErrorMessage(r) : pq.errorMessage(pc->c), NULL);
	}
	pq.clear(r);
	store_pg_drop(s, pc);
	pc->next_try = 0;
	return res;
}

/* One attempt at the batch; *retry when it may be tried again safely:
 * after a connection lost at BEGIN (a stale connection, the server
 * restarted) nothing was sent, while a loss after it may have come after
 * the COMMIT, so the votes are refused rather than written twice. */
static store_result store_pg_write_batch(store_pg *s, store_pg_conn *pc, store_vote *votes, const store_step *steps,
					 size_t n, bool *retry)
{
	PGresult *r = pq.exec(pc->c, "BEGIN");
	if (!store_pg_ok(r, PGRES_COMMAND_OK))
		return store_pg_failed(s, pc, r, true, retry);
	pq.clear(r);
	r = NULL;
	if (!store_pg_pipeline(pc->c, votes, steps, n, &r))
		return store_pg_failed(s, pc, r, false, retry);
	return STORE_WRITTEN;
}

/* A batch of votes or (votes NULL) of steps, on a connection of the pool. */
static store_result store_pg_write_any(void *impl, store_vote *votes, const store_step *steps, size_t n)
{
	store_pg *s = impl;
	store_pg_conn *pc = store_pg_take(s);
	if (!pc)
		return STORE_BUSY;
	store_result res = STORE_UNAVAILABLE;
	for (int attempt = 0; attempt < STORE_PG_ATTEMPTS; attempt++) {
		if (!store_pg_ensure(s, pc)) {
			res = STORE_UNAVAILABLE;
			break;
		}
		bool retry = false;
		res = store_pg_write_batch(s, pc, votes, steps, n, &retry);
		if (res == STORE_WRITTEN) {
			store_pg_health(s, true, NULL);
			break;
		}
		if (!retry)
			break;
	}
	if (res == STORE_UNAVAILABLE)
		atomic_fetch_add(&s->errors, 1);
	store_pg_give(s, pc);
	return res;
}

static store_result store_pg_write(void *impl, store_vote *votes, size_t n)
{
	return store_pg_write_any(impl, votes, NULL, n);
}

static store_result store_pg_write_steps(void *impl, const store_step *steps, size_t n)
{
	return store_pg_write_any(impl, NULL, steps, n);
}

/* A one-number query on a free connection; -1 when it fails, -2 when
 * every connection is taken. */
static int64_t store_pg_number(store_pg *s, const char *sql)
{
	store_pg_conn *pc = store_pg_take(s);
	if (!pc)
		return -2;
	int64_t n = -1;
	char v[32];
	bool failed = true;
	if (store_pg_ensure(s, pc) && store_pg_value(pc->c, sql, NULL, v, sizeof(v), &failed))
		n = strtoll(v, NULL, 10);
	if (failed && pc->c && pq.status(pc->c) != CONNECTION_OK) {
		store_pg_drop(s, pc);
		pc->next_try = 0;
	}
	store_pg_give(s, pc);
	return n;
}

static int64_t store_pg_count(void *impl)
{
	int64_t n = store_pg_number(impl, "SELECT count(*) FROM votes");
	return n < 0 ? -1 : n;
}

static bool store_pg_ready(void *impl)
{
	store_pg *s = impl;
	int64_t n = store_pg_number(s, "SELECT 1");
	if (n == -2) /* every connection busy writing: they tell */
		return atomic_load(&s->healthy);
	bool ok = n == 1;
	if (ok)
		store_pg_health(s, true, NULL);
	return ok;
}

static void store_pg_stats(void *impl, store_stats *out)
{
	store_pg *s = impl;
	out->errors = atomic_load(&s->errors);
	out->reconnects = atomic_load(&s->reconnects);
	out->open = atomic_load(&s->open);
}

/* Reading (report, migrate): on the first connection, by one thread.
 * Sorted with the "C" collation: the report's order is bytewise, as on
 * SQLite, whatever the database's locale. */
static const char store_pg_groups_sql[] =
	"SELECT article, lang, revision, sum(vote), count(*) - sum(vote), min(time), max(time)"
	" FROM votes WHERE ($1::text IS NULL OR lang = $1) AND time >= $2::bigint"
	" GROUP BY article, lang, revision"
	" ORDER BY article COLLATE \"C\", lang COLLATE \"C\", min(time), revision COLLATE \"C\"";
static const char store_pg_weeks_sql[] = /* weeks as in store.h */
	"SELECT article, lang, (time + 259200) / 604800 AS week, sum(vote), count(*) - sum(vote)"
	" FROM votes WHERE ($1::text IS NULL OR lang = $1) AND time >= $2::bigint"
	" GROUP BY article, lang, week ORDER BY article COLLATE \"C\", lang COLLATE \"C\", week";
static const char store_pg_comments_sql[] =
	"SELECT article, lang, time, revision, reason, comment FROM votes"
	" WHERE ($1::text IS NULL OR lang = $1) AND time >= $2::bigint AND (comment <> '' OR reason <> '')"
	" ORDER BY article COLLATE \"C\", lang COLLATE \"C\", time DESC, id DESC";

static PGresult *store_pg_query(store_pg *s, const char *sql, const store_filter *f)
{
	char since[24];
	snprintf(since, sizeof(since), "%" PRId64, f->since);
	const char *p[2] = { f->lang, since };
	PGresult *r = pq.execParams(s->conns[0].c, sql, 2, NULL, p, NULL, NULL, 0);
	if (!store_pg_ok(r, PGRES_TUPLES_OK)) {
		store_pg_error(s, "cannot read the votes",
			       r ? pq.resultErrorMessage(r) : pq.errorMessage(s->conns[0].c), NULL);
		pq.clear(r);
		return NULL;
	}
	return r;
}

static int64_t store_pg_int(PGresult *r, int row, int col) { return strtoll(pq.getvalue(r, row, col), NULL, 10); }

static phare_status store_pg_each_group(void *impl, const store_filter *f, store_group_fn fn, void *ctx)
{
	PGresult *r = store_pg_query(impl, store_pg_groups_sql, f);
	if (!r)
		return PHARE_ERR_IO;
	for (int i = 0, n = pq.ntuples(r); i < n; i++) {
		store_group g = {
			.article = pq.getvalue(r, i, 0),
			.lang = pq.getvalue(r, i, 1),
			.revision = pq.getvalue(r, i, 2),
			.yes = (uint64_t)store_pg_int(r, i, 3),
			.no = (uint64_t)store_pg_int(r, i, 4),
			.first = store_pg_int(r, i, 5),
			.last = store_pg_int(r, i, 6),
		};
		fn(ctx, &g);
	}
	pq.clear(r);
	return PHARE_OK;
}

static phare_status store_pg_each_week(void *impl, const store_filter *f, store_week_fn fn, void *ctx)
{
	PGresult *r = store_pg_query(impl, store_pg_weeks_sql, f);
	if (!r)
		return PHARE_ERR_IO;
	for (int i = 0, n = pq.ntuples(r); i < n; i++) {
		store_week w = {
			.article = pq.getvalue(r, i, 0),
			.lang = pq.getvalue(r, i, 1),
			.week = store_pg_int(r, i, 2),
			.yes = (uint64_t)store_pg_int(r, i, 3),
			.no = (uint64_t)store_pg_int(r, i, 4),
		};
		fn(ctx, &w);
	}
	pq.clear(r);
	return PHARE_OK;
}

static phare_status store_pg_each_comment(void *impl, const store_filter *f, store_comment_fn fn, void *ctx)
{
	PGresult *r = store_pg_query(impl, store_pg_comments_sql, f);
	if (!r)
		return PHARE_ERR_IO;
	for (int i = 0, n = pq.ntuples(r); i < n; i++) {
		store_comment c = {
			.article = pq.getvalue(r, i, 0),
			.lang = pq.getvalue(r, i, 1),
			.time = store_pg_int(r, i, 2),
			.revision = pq.getvalue(r, i, 3),
			.reason = pq.getvalue(r, i, 4),
			.comment = pq.getvalue(r, i, 5),
		};
		fn(ctx, &c);
	}
	pq.clear(r);
	return PHARE_OK;
}

static phare_status store_pg_each_vote(void *impl, store_vote_fn fn, void *ctx)
{
	(void)fn;
	(void)ctx;
	diag_error(((store_pg *)impl)->uri, 0, 0, "cannot copy votes from PostgreSQL; --from takes an SQLite file");
	return PHARE_ERR_USAGE;
}

static const char store_pg_steps_sql[] =
	"SELECT time, questionnaire, lang, revision, visit, seq, kind, node, question, answer, outcome, article"
	" FROM steps WHERE ($1::text IS NULL OR lang = $1) AND time >= $2::bigint"
	" ORDER BY questionnaire COLLATE \"C\", lang COLLATE \"C\", visit COLLATE \"C\", seq, id";
static const char store_pg_step_groups_sql[] =
	"SELECT questionnaire, lang, visit, kind, question, answer, outcome, article, max(seq), count(*)"
	" FROM steps WHERE ($1::text IS NULL OR lang = $1) AND time >= $2::bigint"
	" GROUP BY questionnaire, lang, visit, kind, question, answer, outcome, article"
	" ORDER BY questionnaire COLLATE \"C\", lang COLLATE \"C\", visit COLLATE \"C\", max(seq)";

/* A row of a steps query, handed on as the caller's type. */
typedef void (*store_pg_row_fn)(PGresult *r, void *fn, void *ctx);

/* Runs a steps query one row at a time (single-row mode: the steps may be
 * millions, and only one visit's are needed at once); a database of
 * schema 1 has no steps. */
static phare_status store_pg_stream_steps(store_pg *s, const char *sql, const store_filter *f, store_pg_row_fn row,
					  void *fn, void *ctx)
{
	PGconn *c = s->conns[0].c;
	char version[64] = "";
	bool failed = false;
	if (!store_pg_value(c, "SELECT value FROM meta WHERE key = 'schema'", NULL, version, sizeof(version),
			    &failed) &&
	    failed) {
		store_pg_error(s, "cannot read the steps", pq.errorMessage(c), NULL);
		return PHARE_ERR_IO;
	}
	if (store_schema_parse(version) < 2)
		return PHARE_OK; /* written before questionnaire steps were collected */
	char since[24];
	snprintf(since, sizeof(since), "%" PRId64, f->since);
	const char *p[2] = { f->lang, since };
	if (pq.sendQueryParams(c, sql, 2, NULL, p, NULL, NULL, 0) != 1) {
		store_pg_error(s, "cannot read the steps", pq.errorMessage(c), NULL);
		return PHARE_ERR_IO;
	}
	phare_status st = PHARE_OK;
	if (pq.setSingleRowMode(c) != 1) { /* then the rows come at once: still read, and told */
		store_pg_error(s, "cannot read the steps one at a time", pq.errorMessage(c), NULL);
		st = PHARE_ERR_IO;
	}
	for (PGresult *r; (r = pq.getResult(c)); pq.clear(r)) {
		if (pq.resultStatus(r) == PGRES_TUPLES_OK)
			continue; /* the end of the rows */
		if (pq.resultStatus(r) != PGRES_SINGLE_TUPLE) {
			if (st == PHARE_OK)
				store_pg_error(s, "cannot read the steps", pq.resultErrorMessage(r), NULL);
			st = PHARE_ERR_IO;
			continue; /* read to the end, so the connection stays usable */
		}
		row(r, fn, ctx);
	}
	return st;
}

static void store_pg_step_row(PGresult *r, void *fn, void *ctx)
{
	store_step row = {
		.time = store_pg_int(r, 0, 0),
		.questionnaire = pq.getvalue(r, 0, 1),
		.lang = pq.getvalue(r, 0, 2),
		.revision = pq.getvalue(r, 0, 3),
		.visit = pq.getvalue(r, 0, 4),
		.seq = store_pg_int(r, 0, 5),
		.kind = pq.getvalue(r, 0, 6),
		.node = pq.getvalue(r, 0, 7),
		.question = pq.getvalue(r, 0, 8),
		.answer = pq.getvalue(r, 0, 9),
		.outcome = pq.getvalue(r, 0, 10),
		.article = pq.getvalue(r, 0, 11),
	};
	(*(store_step_fn *)fn)(ctx, &row);
}

static void store_pg_step_group_row(PGresult *r, void *fn, void *ctx)
{
	store_step_group g = {
		.questionnaire = pq.getvalue(r, 0, 0),
		.lang = pq.getvalue(r, 0, 1),
		.visit = pq.getvalue(r, 0, 2),
		.kind = pq.getvalue(r, 0, 3),
		.question = pq.getvalue(r, 0, 4),
		.answer = pq.getvalue(r, 0, 5),
		.outcome = pq.getvalue(r, 0, 6),
		.article = pq.getvalue(r, 0, 7),
		.last_seq = store_pg_int(r, 0, 8),
		.count = (uint64_t)store_pg_int(r, 0, 9),
	};
	(*(store_step_group_fn *)fn)(ctx, &g);
}

static phare_status store_pg_each_step(void *impl, const store_filter *f, store_step_fn fn, void *ctx)
{
	return store_pg_stream_steps(impl, store_pg_steps_sql, f, store_pg_step_row, &fn, ctx);
}

static phare_status store_pg_each_step_group(void *impl, const store_filter *f, store_step_group_fn fn, void *ctx)
{
	return store_pg_stream_steps(impl, store_pg_step_groups_sql, f, store_pg_step_group_row, &fn, ctx);
}

const store_backend store_pg_backend = {
	.open = store_pg_open,
	.close = store_pg_close,
	.writers = store_pg_writers,
	.write = store_pg_write,
	.write_steps = store_pg_write_steps,
	.count = store_pg_count,
	.ready = store_pg_ready,
	.stats = store_pg_stats,
	.each_group = store_pg_each_group,
	.each_week = store_pg_each_week,
	.each_comment = store_pg_each_comment,
	.each_vote = store_pg_each_vote,
	.each_step = store_pg_each_step,
	.each_step_group = store_pg_each_step_group,
};

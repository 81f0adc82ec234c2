/* store_sqlite.c: the SQLite backend of the store (schema in store.h).
 *
 * Every write is one `BEGIN IMMEDIATE` transaction for a whole batch of
 * votes, so the writer takes the lock once and syncs once per batch.  After
 * a "disk full" or I/O error the connection is closed and reopened before
 * the next write: SQLite may leave it unusable, and a fresh one lets the
 * collector recover by itself once space is back. */
#include "feedback/store_backend.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "util/sha256.h"
#include "feedback/sqlite_lib.h"
#include "util/diag.h"
#include "util/xalloc.h"

#define STORE_SQLITE_BUSY_MS 2000

/* The schema versions this code knows; store_sqlite_connect() upgrades
 * an older database in place: its CREATE ... IF NOT EXISTS adds what a
 * version lacks (2: the steps table), then the version is raised. */
#define STORE_SQLITE_SCHEMA_LATEST 2

typedef struct store_sqlite {
	sqlite3 *db;
	char *path;
	store_sync sync;
	bool readonly;
	atomic_bool reopen; /* the last write failed with a disk error */
	atomic_uint_fast64_t errors;
	unsigned char salt[32];
	sqlite3_stmt *find, *upsert, *step;
	long schema; /* the database's version once connected */
} store_sqlite;

static const char store_sqlite_schema_sql[] =
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS votes("
	" id INTEGER PRIMARY KEY,"
	" time INTEGER NOT NULL,"
	" article TEXT NOT NULL, lang TEXT NOT NULL, revision TEXT NOT NULL,"
	" vote INTEGER NOT NULL CHECK (vote IN (0, 1)),"
	" reason TEXT NOT NULL DEFAULT '', comment TEXT NOT NULL DEFAULT '',"
	" client TEXT NOT NULL DEFAULT '', addr_hash TEXT NOT NULL);"
	"CREATE UNIQUE INDEX IF NOT EXISTS votes_client ON votes(client, article, lang, revision)"
	" WHERE client <> '';"
	"CREATE INDEX IF NOT EXISTS votes_article ON votes(article, lang, time);"
	"CREATE TABLE IF NOT EXISTS steps("
	" id INTEGER PRIMARY KEY,"
	" time INTEGER NOT NULL,"
	" questionnaire TEXT NOT NULL, lang TEXT NOT NULL, revision TEXT NOT NULL,"
	" visit TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, node TEXT NOT NULL,"
	" question TEXT NOT NULL DEFAULT '', answer TEXT NOT NULL DEFAULT '',"
	" outcome TEXT NOT NULL DEFAULT '', article TEXT NOT NULL DEFAULT '',"
	" UNIQUE (questionnaire, visit, seq));"
	"CREATE INDEX IF NOT EXISTS steps_visit ON steps(questionnaire, lang, visit, seq);";

static const char store_sqlite_step_sql[] =
	"INSERT INTO steps(time, questionnaire, lang, revision, visit, seq, kind, node, question, answer,"
	" outcome, article) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
	" ON CONFLICT (questionnaire, visit, seq) DO NOTHING";

static const char store_sqlite_upsert_sql[] =
	"INSERT INTO votes(time, article, lang, revision, vote, reason, comment, client, addr_hash)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
	" ON CONFLICT(client, article, lang, revision) WHERE client <> '' DO UPDATE SET"
	" time = excluded.time, vote = excluded.vote, reason = excluded.reason,"
	" comment = excluded.comment, addr_hash = excluded.addr_hash";

static const char store_sqlite_find_sql[] =
	"SELECT 1 FROM votes WHERE client = ?1 AND article = ?2 AND lang = ?3 AND revision = ?4"
	" AND client <> ''";

static void store_sqlite_disconnect(store_sqlite *s)
{
	sqlite.finalize(s->find);
	sqlite.finalize(s->upsert);
	sqlite.finalize(s->step);
	sqlite.close(s->db);
	s->find = s->upsert = s->step = NULL;
	s->db = NULL;
}

static phare_status store_sqlite_fail(store_sqlite *s, const char *what)
{
	diag_error(s->path, 0, 0, "%s: %s", what, s->db ? sqlite.errmsg(s->db) : "out of memory");
	return PHARE_ERR_IO;
}

/* The salt: read from meta, or made and stored the first time. */
static phare_status store_sqlite_load_salt(store_sqlite *s)
{
	sqlite3_stmt *q = NULL;
	phare_status st = PHARE_OK;
	if (sqlite.prepare_v2(s->db, "SELECT value FROM meta WHERE key = 'salt'", -1, &q, NULL) != SQLITE_OK)
		return store_sqlite_fail(s, "cannot read the database");
	int rc = sqlite.step(q);
	if (rc == SQLITE_ROW) {
		const char *hex = (const char *)sqlite.column_text(q, 0);
		/* Hex digits only: sscanf("%2x") would leave v unset on anything else. */
		if (!hex || strlen(hex) != 64 || strspn(hex, "0123456789abcdefABCDEF") != 64) {
			diag_error(s->path, 0, 0,
				   "the salt in table 'meta' is damaged; "
				   "this is not a database written by phare collect");
			st = PHARE_ERR_INPUT;
		} else {
			for (int i = 0; i < 32; i++) {
				unsigned v = 0;
				(void)sscanf(hex + 2 * i, "%2x", &v);
				s->salt[i] = (unsigned char)v;
			}
		}
	} else if (rc == SQLITE_DONE && !s->readonly) {
		char hex[65];
		if (getrandom(s->salt, sizeof(s->salt), 0) != (ssize_t)sizeof(s->salt)) {
			diag_error(s->path, 0, 0, "cannot get random bytes for the address salt (%s)", strerror(errno));
			st = PHARE_ERR_IO;
		} else {
			sha256_hex(s->salt, sizeof(s->salt), hex);
			char *sql = sqlite.mprintf("INSERT INTO meta VALUES ('salt', %Q)", hex);
			if (sqlite.exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
				st = store_sqlite_fail(s, "cannot write the address salt");
			sqlite.free(sql);
		}
	} else if (rc != SQLITE_DONE) {
		st = store_sqlite_fail(s, "cannot read the database");
	}
	sqlite.finalize(q);
	return st;
}

static phare_status store_sqlite_check_schema(store_sqlite *s)
{
	sqlite3_stmt *q = NULL;
	phare_status st = PHARE_OK;
	if (sqlite.prepare_v2(s->db, "SELECT value FROM meta WHERE key = 'schema'", -1, &q, NULL) != SQLITE_OK) {
		diag_error(s->path, 0, 0, "not a phare feedback database (%s); check --db", sqlite.errmsg(s->db));
		return PHARE_ERR_INPUT;
	}
	int rc = sqlite.step(q);
	long v = rc == SQLITE_ROW ? store_schema_parse((const char *)sqlite.column_text(q, 0)) : 0;
	s->schema = v;
	if (rc == SQLITE_DONE && !s->readonly) {
		if (sqlite.exec(s->db, "INSERT INTO meta VALUES ('schema', '2')", NULL, NULL, NULL) != SQLITE_OK)
			st = store_sqlite_fail(s, "cannot initialise the database");
		s->schema = STORE_SQLITE_SCHEMA_LATEST;
	} else if (rc != SQLITE_ROW) {
		st = store_sqlite_fail(s, "cannot read the database");
	} else if (v < 1 || v > STORE_SQLITE_SCHEMA_LATEST) {
		diag_error(s->path, 0, 0,
			   "database schema version '%s' is %s (this phare knows up to %d); "
			   "use the phare version that wrote it",
			   sqlite.column_text(q, 0), v < 1 ? "not a version" : "newer than this phare",
			   STORE_SQLITE_SCHEMA_LATEST);
		st = PHARE_ERR_INPUT;
	} else if (v < STORE_SQLITE_SCHEMA_LATEST && !s->readonly) {
		/* The connection's CREATE ... IF NOT EXISTS made what was missing. */
		if (sqlite.exec(s->db, "UPDATE meta SET value = '2' WHERE key = 'schema'", NULL, NULL, NULL) !=
		    SQLITE_OK)
			st = store_sqlite_fail(s, "cannot upgrade the schema");
		s->schema = STORE_SQLITE_SCHEMA_LATEST;
	}
	sqlite.finalize(q);
	return st;
}

static phare_status store_sqlite_connect(store_sqlite *s)
{
	int flags = s->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (sqlite.open_v2(s->path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		phare_status st = store_sqlite_fail(s, "cannot open the feedback database");
		store_sqlite_disconnect(s);
		return st;
	}
	sqlite.busy_timeout(s->db, STORE_SQLITE_BUSY_MS);
	if (s->readonly)
		return store_sqlite_check_schema(s);

	sqlite3_stmt *q = NULL;
	bool wal = false;
	if (sqlite.prepare_v2(s->db, "PRAGMA journal_mode=WAL", -1, &q, NULL) == SQLITE_OK &&
	    sqlite.step(q) == SQLITE_ROW)
		wal = strcmp((const char *)sqlite.column_text(q, 0), "wal") == 0;
	sqlite.finalize(q);
	if (!wal)
		return store_sqlite_fail(s, "cannot switch the database to WAL mode");
	const char *sync = s->sync == STORE_SYNC_FULL ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
	if (sqlite.exec(s->db, sync, NULL, NULL, NULL) != SQLITE_OK)
		return store_sqlite_fail(s, "cannot set the sync mode");
	if (sqlite.exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return store_sqlite_fail(s, "cannot lock the database");
	phare_status st = PHARE_OK;
	if (sqlite.exec(s->db, store_sqlite_schema_sql, NULL, NULL, NULL) != SQLITE_OK)
		st = store_sqlite_fail(s, "cannot create the tables");
	if (st == PHARE_OK)
		st = store_sqlite_check_schema(s);
	if (st == PHARE_OK)
		st = store_sqlite_load_salt(s);
	if (st == PHARE_OK && sqlite.exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		st = store_sqlite_fail(s, "cannot initialise the database");
	if (st != PHARE_OK) {
		sqlite.exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return st;
	}
	if (sqlite.prepare_v2(s->db, store_sqlite_upsert_sql, -1, &s->upsert, NULL) != SQLITE_OK ||
	    sqlite.prepare_v2(s->db, store_sqlite_find_sql, -1, &s->find, NULL) != SQLITE_OK ||
	    sqlite.prepare_v2(s->db, store_sqlite_step_sql, -1, &s->step, NULL) != SQLITE_OK)
		return store_sqlite_fail(s, "cannot prepare the statements");
	return PHARE_OK;
}

static void store_sqlite_close(void *impl)
{
	store_sqlite *s = impl;
	if (!s)
		return;
	store_sqlite_disconnect(s);
	free(s->path);
	free(s);
}

static phare_status store_sqlite_open(const char *path, bool readonly, store_sync sync, unsigned char salt[32],
				      void **out)
{
	*out = NULL;
	if (sqlite_lib_load() != PHARE_OK) /* before anything is made */
		return PHARE_ERR_IO;
	store_sqlite *s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	s->readonly = readonly;
	s->sync = sync;
	if (readonly) {
		struct stat st;
		if (stat(path, &st) != 0) {
			diag_error(path, 0, 0,
				   "no feedback database here (%s); give the file "
				   "'phare collect --db' writes",
				   strerror(errno));
			store_sqlite_close(s);
			return PHARE_ERR_IO;
		}
	}
	phare_status st = store_sqlite_connect(s);
	if (st == PHARE_OK && readonly)
		st = store_sqlite_load_salt(s);
	if (st != PHARE_OK) {
		store_sqlite_close(s);
		return st;
	}
	memcpy(salt, s->salt, sizeof(s->salt));
	*out = s;
	return PHARE_OK;
}

static store_result store_sqlite_classify(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN: return STORE_DISK_FULL;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return STORE_BUSY;
	default: return STORE_FAILED;
	}
}

static int store_sqlite_write_one(store_sqlite *s, store_vote *v)
{
	sqlite3_stmt *f = s->find, *u = s->upsert;
	v->replaced = false;
	if (v->client[0]) {
		sqlite.bind_text(f, 1, v->client, -1, SQLITE_STATIC);
		sqlite.bind_text(f, 2, v->article, -1, SQLITE_STATIC);
		sqlite.bind_text(f, 3, v->lang, -1, SQLITE_STATIC);
		sqlite.bind_text(f, 4, v->revision, -1, SQLITE_STATIC);
		int rc = sqlite.step(f);
		sqlite.reset(f);
		sqlite.clear_bindings(f);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return rc;
		v->replaced = rc == SQLITE_ROW;
	}
	sqlite.bind_int64(u, 1, v->time);
	sqlite.bind_text(u, 2, v->article, -1, SQLITE_STATIC);
	sqlite.bind_text(u, 3, v->lang, -1, SQLITE_STATIC);
	sqlite.bind_text(u, 4, v->revision, -1, SQLITE_STATIC);
	sqlite.bind_int(u, 5, v->yes ? 1 : 0);
	sqlite.bind_text(u, 6, v->reason, -1, SQLITE_STATIC);
	sqlite.bind_text(u, 7, v->comment, -1, SQLITE_STATIC);
	sqlite.bind_text(u, 8, v->client, -1, SQLITE_STATIC);
	sqlite.bind_text(u, 9, v->addr_hash, -1, SQLITE_STATIC);
	int rc = sqlite.step(u);
	sqlite.reset(u);
	sqlite.clear_bindings(u);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int store_sqlite_write_step(store_sqlite *s, const store_step *st)
{
	sqlite3_stmt *q = s->step;
	const char *text[] = { st->questionnaire, st->lang,     st->revision, st->visit,   NULL,       st->kind,
			       st->node,          st->question, st->answer,   st->outcome, st->article };
	sqlite.bind_int64(q, 1, st->time);
	for (int i = 0; i < 11; i++)
		if (text[i])
			sqlite.bind_text(q, i + 2, text[i], -1, SQLITE_STATIC);
	sqlite.bind_int64(q, 6, st->seq);
	int rc = sqlite.step(q);
	sqlite.reset(q);
	sqlite.clear_bindings(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* One batch, votes or steps, in one transaction; a disk error has the
 * connection made again before the next write. */
static store_result store_sqlite_batch(store_sqlite *s, store_vote *votes, const store_step *steps, size_t n)
{
	if (s->reopen || !s->db) {
		store_sqlite_disconnect(s);
		phare_status st = store_sqlite_connect(s);
		if (st != PHARE_OK) {
			store_sqlite_disconnect(s);
			s->errors++;
			return STORE_DISK_FULL;
		}
		s->reopen = false;
	}
	int rc = sqlite.exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	for (size_t i = 0; rc == SQLITE_OK && i < n; i++)
		rc = votes ? store_sqlite_write_one(s, &votes[i]) : store_sqlite_write_step(s, &steps[i]);
	if (rc == SQLITE_OK)
		rc = sqlite.exec(s->db, "COMMIT", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return STORE_WRITTEN;
	int ext = sqlite.extended_errcode(s->db);
	store_result r = store_sqlite_classify(ext ? ext : rc);
	s->errors++;
	diag_error(s->path, 0, 0, "cannot store %zu %s%s: %s", n, votes ? "vote" : "step", n == 1 ? "" : "s",
		   sqlite.errmsg(s->db));
	if (!sqlite.get_autocommit(s->db))
		sqlite.exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	if (r == STORE_DISK_FULL)
		s->reopen = true;
	return r;
}

static store_result store_sqlite_write(void *impl, store_vote *votes, size_t n)
{
	return store_sqlite_batch(impl, votes, NULL, n);
}

static store_result store_sqlite_write_steps(void *impl, const store_step *steps, size_t n)
{
	return store_sqlite_batch(impl, NULL, steps, n);
}

static int64_t store_sqlite_count(void *impl)
{
	store_sqlite *s = impl;
	sqlite3_stmt *q = NULL;
	int64_t n = -1;
	if (s->db && sqlite.prepare_v2(s->db, "SELECT count(*) FROM votes", -1, &q, NULL) == SQLITE_OK &&
	    sqlite.step(q) == SQLITE_ROW)
		n = sqlite.column_int64(q, 0);
	sqlite.finalize(q);
	return n;
}

static unsigned store_sqlite_writers(const void *impl)
{
	(void)impl;
	return 1; /* SQLite has one writer at a time: more threads would only wait */
}

static bool store_sqlite_ready(void *impl)
{
	store_sqlite *s = impl;
	return !s->reopen;
}

static void store_sqlite_stats(void *impl, store_stats *out)
{
	store_sqlite *s = impl;
	out->errors = s->errors;
	out->reconnects = 0;
	out->open = 1;
}

/* Reading (report, migrate).  Text columns are never NULL in the schema;
 * "" guards against a database edited by hand. */
static const char *store_sqlite_text(sqlite3_stmt *q, int i)
{
	const char *t = (const char *)sqlite.column_text(q, i);
	return t ? t : "";
}

static void store_sqlite_bind_filter(sqlite3_stmt *q, const store_filter *f)
{
	if (f->lang)
		sqlite.bind_text(q, 1, f->lang, -1, SQLITE_STATIC);
	else
		sqlite.bind_null(q, 1);
	sqlite.bind_int64(q, 2, f->since);
}

static phare_status store_sqlite_read_fail(store_sqlite *s, sqlite3_stmt *q)
{
	diag_error(s->path, 0, 0, "cannot read the votes: %s", sqlite.errmsg(s->db));
	sqlite.finalize(q);
	return PHARE_ERR_IO;
}

static const char store_sqlite_groups_sql[] =
	"SELECT article, lang, revision, sum(vote), count(*) - sum(vote), min(time), max(time)"
	" FROM votes WHERE (?1 IS NULL OR lang = ?1) AND time >= ?2"
	" GROUP BY article, lang, revision ORDER BY article, lang, min(time), revision";
static const char store_sqlite_weeks_sql[] = /* weeks as in store.h */
	"SELECT article, lang, (time + 259200) / 604800 AS week, sum(vote), count(*) - sum(vote)"
	" FROM votes WHERE (?1 IS NULL OR lang = ?1) AND time >= ?2"
	" GROUP BY article, lang, week ORDER BY article, lang, week";
static const char store_sqlite_comments_sql[] =
	"SELECT article, lang, time, revision, reason, comment FROM votes"
	" WHERE (?1 IS NULL OR lang = ?1) AND time >= ?2 AND (comment <> '' OR reason <> '')"
	" ORDER BY article, lang, time DESC, id DESC";
static const char store_sqlite_votes_sql[] =
	"SELECT id, time, article, lang, revision, vote, reason, comment, client, addr_hash"
	" FROM votes ORDER BY id";

static phare_status store_sqlite_each_group(void *impl, const store_filter *f, store_group_fn fn, void *ctx)
{
	store_sqlite *s = impl;
	sqlite3_stmt *q = NULL;
	int rc;
	if (sqlite.prepare_v2(s->db, store_sqlite_groups_sql, -1, &q, NULL) != SQLITE_OK)
		return store_sqlite_read_fail(s, q);
	store_sqlite_bind_filter(q, f);
	while ((rc = sqlite.step(q)) == SQLITE_ROW) {
		store_group g = {
			.article = store_sqlite_text(q, 0),
			.lang = store_sqlite_text(q, 1),
			.revision = store_sqlite_text(q, 2),
			.yes = (uint64_t)sqlite.column_int64(q, 3),
			.no = (uint64_t)sqlite.column_int64(q, 4),
			.first = sqlite.column_int64(q, 5),
			.last = sqlite.column_int64(q, 6),
		};
		fn(ctx, &g);
	}
	if (rc != SQLITE_DONE)
		return store_sqlite_read_fail(s, q);
	sqlite.finalize(q);
	return PHARE_OK;
}

static phare_status store_sqlite_each_week(void *impl, const store_filter *f, store_week_fn fn, void *ctx)
{
	store_sqlite *s = impl;
	sqlite3_stmt *q = NULL;
	int rc;
	if (sqlite.prepare_v2(s->db, store_sqlite_weeks_sql, -1, &q, NULL) != SQLITE_OK)
		return store_sqlite_read_fail(s, q);
	store_sqlite_bind_filter(q, f);
	while ((rc = sqlite.step(q)) == SQLITE_ROW) {
		store_week w = {
			.article = store_sqlite_text(q, 0),
			.lang = store_sqlite_text(q, 1),
			.week = sqlite.column_int64(q, 2),
			.yes = (uint64_t)sqlite.column_int64(q, 3),
			.no = (uint64_t)sqlite.column_int64(q, 4),
		};
		fn(ctx, &w);
	}
	if (rc != SQLITE_DONE)
		return store_sqlite_read_fail(s, q);
	sqlite.finalize(q);
	return PHARE_OK;
}

static phare_status store_sqlite_each_comment(void *impl, const store_filter *f, store_comment_fn fn, void *ctx)
{
	store_sqlite *s = impl;
	sqlite3_stmt *q = NULL;
	int rc;
	if (sqlite.prepare_v2(s->db, store_sqlite_comments_sql, -1, &q, NULL) != SQLITE_OK)
		return store_sqlite_read_fail(s, q);
	store_sqlite_bind_filter(q, f);
	while ((rc = sqlite.step(q)) == SQLITE_ROW) {
		store_comment c = {
			.article = store_sqlite_text(q, 0),
			.lang = store_sqlite_text(q, 1),
			.time = sqlite.column_int64(q, 2),
			.revision = store_sqlite_text(q, 3),
			.reason = store_sqlite_text(q, 4),
			.comment = store_sqlite_text(q, 5),
		};
		fn(ctx, &c);
	}
	if (rc != SQLITE_DONE)
		return store_sqlite_read_fail(s, q);
	sqlite.finalize(q);
	return PHARE_OK;
}

static phare_status store_sqlite_each_vote(void *impl, store_vote_fn fn, void *ctx)
{
	store_sqlite *s = impl;
	sqlite3_stmt *q = NULL;
	int rc;
	if (sqlite.prepare_v2(s->db, store_sqlite_votes_sql, -1, &q, NULL) != SQLITE_OK)
		return store_sqlite_read_fail(s, q);
	while ((rc = sqlite.step(q)) == SQLITE_ROW) {
		store_vote v = {
			.time = sqlite.column_int64(q, 1),
			.article = store_sqlite_text(q, 2),
			.lang = store_sqlite_text(q, 3),
			.revision = store_sqlite_text(q, 4),
			.yes = sqlite.column_int64(q, 5) != 0,
			.reason = store_sqlite_text(q, 6),
			.comment = store_sqlite_text(q, 7),
			.client = store_sqlite_text(q, 8),
		};
		snprintf(v.addr_hash, sizeof(v.addr_hash), "%s", store_sqlite_text(q, 9));
		fn(ctx, sqlite.column_int64(q, 0), &v);
	}
	if (rc != SQLITE_DONE)
		return store_sqlite_read_fail(s, q);
	sqlite.finalize(q);
	return PHARE_OK;
}

static const char store_sqlite_steps_sql[] =
	"SELECT time, questionnaire, lang, revision, visit, seq, kind, node, question, answer, outcome, article"
	" FROM steps WHERE (?1 IS NULL OR lang = ?1) AND time >= ?2"
	" ORDER BY questionnaire, lang, visit, seq, id";

static phare_status store_sqlite_each_step(void *impl, const store_filter *f, store_step_fn fn, void *ctx)
{
	store_sqlite *s = impl;
	sqlite3_stmt *q = NULL;
	int rc;
	if (s->schema < 2)
		return PHARE_OK; /* written before questionnaire steps were collected */
	if (sqlite.prepare_v2(s->db, store_sqlite_steps_sql, -1, &q, NULL) != SQLITE_OK)
		return store_sqlite_read_fail(s, q);
	store_sqlite_bind_filter(q, f);
	while ((rc = sqlite.step(q)) == SQLITE_ROW) {
		store_step st = {
			.time = sqlite.column_int64(q, 0),
			.questionnaire = store_sqlite_text(q, 1),
			.lang = store_sqlite_text(q, 2),
			.revision = store_sqlite_text(q, 3),
			.visit = store_sqlite_text(q, 4),
			.seq = sqlite.column_int64(q, 5),
			.kind = store_sqlite_text(q, 6),
			.node = store_sqlite_text(q, 7),
			.question = store_sqlite_text(q, 8),
			.answer = store_sqlite_text(q, 9),
			.outcome = store_sqlite_text(q, 10),
			.article = store_sqlite_text(q, 11),
		};
		fn(ctx, &st);
	}
	if (rc != SQLITE_DONE)
		return store_sqlite_read_fail(s, q);
	sqlite.finalize(q);
	return PHARE_OK;
}

static const char store_sqlite_step_groups_sql[] =
	"SELECT questionnaire, lang, visit, kind, question, answer, outcome, article, max(seq), count(*)"
	" FROM steps WHERE (?1 IS NULL OR lang = ?1) AND time >= ?2"
	" GROUP BY questionnaire, lang, visit, kind, question, answer, outcome, article"
	" ORDER BY questionnaire, lang, visit, max(seq)";

static phare_status store_sqlite_each_step_group(void *impl, const store_filter *f, store_step_group_fn fn, void *ctx)
{
	store_sqlite *s = impl;
	sqlite3_stmt *q = NULL;
	int rc;
	if (s->schema < 2)
		return PHARE_OK; /* written before questionnaire steps were collected */
	if (sqlite.prepare_v2(s->db, store_sqlite_step_groups_sql, -1, &q, NULL) != SQLITE_OK)
		return store_sqlite_read_fail(s, q);
	store_sqlite_bind_filter(q, f);
	while ((rc = sqlite.step(q)) == SQLITE_ROW) {
		store_step_group g = {
			.questionnaire = store_sqlite_text(q, 0),
			.lang = store_sqlite_text(q, 1),
			.visit = store_sqlite_text(q, 2),
			.kind = store_sqlite_text(q, 3),
			.question = store_sqlite_text(q, 4),
			.answer = store_sqlite_text(q, 5),
			.outcome = store_sqlite_text(q, 6),
			.article = store_sqlite_text(q, 7),
			.last_seq = sqlite.column_int64(q, 8),
			.count = (uint64_t)sqlite.column_int64(q, 9),
		};
		fn(ctx, &g);
	}
	if (rc != SQLITE_DONE)
		return store_sqlite_read_fail(s, q);
	sqlite.finalize(q);
	return PHARE_OK;
}

const store_backend store_sqlite_backend = {
	.open = store_sqlite_open,
	.close = store_sqlite_close,
	.writers = store_sqlite_writers,
	.write = store_sqlite_write,
	.write_steps = store_sqlite_write_steps,
	.count = store_sqlite_count,
	.ready = store_sqlite_ready,
	.stats = store_sqlite_stats,
	.each_group = store_sqlite_each_group,
	.each_week = store_sqlite_each_week,
	.each_comment = store_sqlite_each_comment,
	.each_vote = store_sqlite_each_vote,
	.each_step = store_sqlite_each_step,
	.each_step_group = store_sqlite_each_step_group,
};

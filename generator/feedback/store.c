/* store.c: the SQLite store of votes (schema in store.h).
 *
 * Every write is one `BEGIN IMMEDIATE` transaction for a whole batch of
 * votes, so the writer takes the lock once and syncs once per batch.  After
 * a "disk full" or I/O error the connection is closed and reopened before
 * the next write: SQLite may leave it unusable, and a fresh one lets the
 * collector recover by itself once space is back. */
#include "feedback/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "feedback/sha256.h"
#include "feedback/sqlite_lib.h"
#include "util/diag.h"
#include "util/xalloc.h"

#define STORE_BUSY_TIMEOUT_MS 2000
#define STORE_SCHEMA "1"

struct store {
	sqlite3 *db;
	char *path;
	store_sync sync;
	bool readonly;
	bool reopen; /* the last write failed with a disk error */
	unsigned char salt[32];
	sqlite3_stmt *find, *upsert;
};

static const char store_schema_sql[] =
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
	"CREATE INDEX IF NOT EXISTS votes_article ON votes(article, lang, time);";

static const char store_upsert_sql[] =
	"INSERT INTO votes(time, article, lang, revision, vote, reason, comment, client, addr_hash)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
	" ON CONFLICT(client, article, lang, revision) WHERE client <> '' DO UPDATE SET"
	" time = excluded.time, vote = excluded.vote, reason = excluded.reason,"
	" comment = excluded.comment, addr_hash = excluded.addr_hash";

static const char store_find_sql[] =
	"SELECT 1 FROM votes WHERE client = ?1 AND article = ?2 AND lang = ?3 AND revision = ?4"
	" AND client <> ''";

static void store_disconnect(store *s)
{
	sqlite.finalize(s->find);
	sqlite.finalize(s->upsert);
	sqlite.close(s->db);
	s->find = s->upsert = NULL;
	s->db = NULL;
}

static phare_status store_fail(store *s, const char *what)
{
	diag_error(s->path, 0, 0, "%s: %s", what, s->db ? sqlite.errmsg(s->db) : "out of memory");
	return PHARE_ERR_IO;
}

/* The salt: read from meta, or made and stored the first time. */
static phare_status store_load_salt(store *s)
{
	sqlite3_stmt *q = NULL;
	phare_status st = PHARE_OK;
	if (sqlite.prepare_v2(s->db, "SELECT value FROM meta WHERE key = 'salt'", -1, &q, NULL) != SQLITE_OK)
		return store_fail(s, "cannot read the database");
	int rc = sqlite.step(q);
	if (rc == SQLITE_ROW) {
		const char *hex = (const char *)sqlite.column_text(q, 0);
		/* Hex digits only: sscanf("%2x") would leave v unset on anything else. */
		if (!hex || strlen(hex) != 64 || strspn(hex, "0123456789abcdefABCDEF") != 64) {
			diag_error(s->path, 0, 0, "the salt in table 'meta' is damaged; "
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
			diag_error(s->path, 0, 0, "cannot get random bytes for the address salt (%s)",
				   strerror(errno));
			st = PHARE_ERR_IO;
		} else {
			sha256_hex(s->salt, sizeof(s->salt), hex);
			char *sql = sqlite.mprintf("INSERT INTO meta VALUES ('salt', %Q)", hex);
			if (sqlite.exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
				st = store_fail(s, "cannot write the address salt");
			sqlite.free(sql);
		}
	} else if (rc != SQLITE_DONE) {
		st = store_fail(s, "cannot read the database");
	}
	sqlite.finalize(q);
	return st;
}

static phare_status store_check_schema(store *s)
{
	sqlite3_stmt *q = NULL;
	phare_status st = PHARE_OK;
	if (sqlite.prepare_v2(s->db, "SELECT value FROM meta WHERE key = 'schema'", -1, &q, NULL) != SQLITE_OK) {
		diag_error(s->path, 0, 0, "not a phare feedback database (%s); check --db", sqlite.errmsg(s->db));
		return PHARE_ERR_INPUT;
	}
	int rc = sqlite.step(q);
	if (rc == SQLITE_DONE && !s->readonly) {
		if (sqlite.exec(s->db, "INSERT INTO meta VALUES ('schema', '" STORE_SCHEMA "')", NULL, NULL, NULL) !=
		    SQLITE_OK)
			st = store_fail(s, "cannot initialise the database");
	} else if (rc != SQLITE_ROW) {
		st = store_fail(s, "cannot read the database");
	} else if (strcmp((const char *)sqlite.column_text(q, 0), STORE_SCHEMA) != 0) {
		diag_error(s->path, 0, 0,
			   "database schema version '%s' is not supported (expected %s); "
			   "use the phare version that wrote it",
			   sqlite.column_text(q, 0), STORE_SCHEMA);
		st = PHARE_ERR_INPUT;
	}
	sqlite.finalize(q);
	return st;
}

static phare_status store_connect(store *s)
{
	int flags = s->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (sqlite.open_v2(s->path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		phare_status st = store_fail(s, "cannot open the feedback database");
		store_disconnect(s);
		return st;
	}
	sqlite.busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
	if (s->readonly)
		return store_check_schema(s);

	sqlite3_stmt *q = NULL;
	bool wal = false;
	if (sqlite.prepare_v2(s->db, "PRAGMA journal_mode=WAL", -1, &q, NULL) == SQLITE_OK &&
	    sqlite.step(q) == SQLITE_ROW)
		wal = strcmp((const char *)sqlite.column_text(q, 0), "wal") == 0;
	sqlite.finalize(q);
	if (!wal)
		return store_fail(s, "cannot switch the database to WAL mode");
	const char *sync = s->sync == STORE_SYNC_FULL ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
	if (sqlite.exec(s->db, sync, NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(s, "cannot set the sync mode");
	if (sqlite.exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(s, "cannot lock the database");
	phare_status st = PHARE_OK;
	if (sqlite.exec(s->db, store_schema_sql, NULL, NULL, NULL) != SQLITE_OK)
		st = store_fail(s, "cannot create the tables");
	if (st == PHARE_OK)
		st = store_check_schema(s);
	if (st == PHARE_OK)
		st = store_load_salt(s);
	if (st == PHARE_OK && sqlite.exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		st = store_fail(s, "cannot initialise the database");
	if (st != PHARE_OK) {
		sqlite.exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return st;
	}
	if (sqlite.prepare_v2(s->db, store_upsert_sql, -1, &s->upsert, NULL) != SQLITE_OK ||
	    sqlite.prepare_v2(s->db, store_find_sql, -1, &s->find, NULL) != SQLITE_OK)
		return store_fail(s, "cannot prepare the statements");
	return PHARE_OK;
}

static phare_status store_open_mode(const char *path, bool readonly, store_sync sync, store **out)
{
	*out = NULL;
	if (sqlite_lib_load() != PHARE_OK) /* before anything is made */
		return PHARE_ERR_IO;
	store *s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	s->readonly = readonly;
	s->sync = sync;
	if (readonly) {
		struct stat st;
		if (stat(path, &st) != 0) {
			diag_error(path, 0, 0, "no feedback database here (%s); give the file "
				   "'phare collect --db' writes", strerror(errno));
			store_close(s);
			return PHARE_ERR_IO;
		}
	}
	phare_status st = store_connect(s);
	if (st == PHARE_OK && readonly)
		st = store_load_salt(s);
	if (st != PHARE_OK) {
		store_close(s);
		return st;
	}
	*out = s;
	return PHARE_OK;
}

phare_status store_open(const char *path, store_sync sync, store **out)
{
	return store_open_mode(path, false, sync, out);
}

phare_status store_open_readonly(const char *path, store **out)
{
	return store_open_mode(path, true, STORE_SYNC_NORMAL, out);
}

void store_close(store *s)
{
	if (!s)
		return;
	store_disconnect(s);
	free(s->path);
	free(s);
}

void store_hash_address(const store *s, const char *addr, char out[65])
{
	unsigned char mac[32];
	hmac_sha256(s->salt, sizeof(s->salt), addr, strlen(addr), mac);
	sha256_hex(mac, sizeof(mac), out);
}

static store_result store_classify(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
		return STORE_DISK_FULL;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return STORE_BUSY;
	default:
		return STORE_FAILED;
	}
}

static int store_write_one(store *s, store_vote *v)
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

store_result store_write(store *s, store_vote *votes, size_t n)
{
	if (s->reopen || !s->db) {
		store_disconnect(s);
		phare_status st = store_connect(s);
		if (st != PHARE_OK) {
			store_disconnect(s);
			return STORE_DISK_FULL;
		}
		s->reopen = false;
	}
	int rc = sqlite.exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	for (size_t i = 0; rc == SQLITE_OK && i < n; i++)
		rc = store_write_one(s, &votes[i]);
	if (rc == SQLITE_OK)
		rc = sqlite.exec(s->db, "COMMIT", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return STORE_WRITTEN;
	int ext = sqlite.extended_errcode(s->db);
	store_result r = store_classify(ext ? ext : rc);
	diag_error(s->path, 0, 0, "cannot store %zu vote%s: %s", n, n == 1 ? "" : "s", sqlite.errmsg(s->db));
	if (!sqlite.get_autocommit(s->db))
		sqlite.exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	if (r == STORE_DISK_FULL)
		s->reopen = true;
	return r;
}

int64_t store_count(store *s)
{
	sqlite3_stmt *q = NULL;
	int64_t n = -1;
	if (s->db && sqlite.prepare_v2(s->db, "SELECT count(*) FROM votes", -1, &q, NULL) == SQLITE_OK &&
	    sqlite.step(q) == SQLITE_ROW)
		n = sqlite.column_int64(q, 0);
	sqlite.finalize(q);
	return n;
}

void *store_db(store *s) { return s->db; }
const char *store_path(const store *s) { return s->path; }

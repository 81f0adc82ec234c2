/* sqlite_lib.h: SQLite, opened when the feedback store is first opened
 * (`phare collect`, `phare feedback report`, the collector in `phare serve`)
 * instead of linked into phare: one library fewer to map and relocate at
 * every start (see util/dynlib.h).
 *
 * Its functions are called through the table `sqlite`, one member per
 * function phare uses, named without the sqlite3_ prefix and typed by
 * <sqlite3.h>'s prototype (so the compiler checks every call):
 *     sqlite.prepare_v2(db, sql, -1, &stmt, NULL)   for sqlite3_prepare_v2()
 * sqlite_lib_load() fills it; store_open_mode() calls it before anything
 * else, so code that has a store may call any member.  A function phare
 * starts to use is added to the table and to sqlite_lib_bind(). */
#ifndef PHARE_SQLITE_LIB_H
#define PHARE_SQLITE_LIB_H

#include <sqlite3.h>

#include "util/status.h"

typedef struct sqlite_api {
	__typeof__(sqlite3_bind_int) *bind_int;
	__typeof__(sqlite3_bind_int64) *bind_int64;
	__typeof__(sqlite3_bind_null) *bind_null;
	__typeof__(sqlite3_bind_text) *bind_text;
	__typeof__(sqlite3_busy_timeout) *busy_timeout;
	__typeof__(sqlite3_clear_bindings) *clear_bindings;
	__typeof__(sqlite3_close) *close;
	__typeof__(sqlite3_column_int64) *column_int64;
	__typeof__(sqlite3_column_text) *column_text;
	__typeof__(sqlite3_errmsg) *errmsg;
	__typeof__(sqlite3_exec) *exec;
	__typeof__(sqlite3_extended_errcode) *extended_errcode;
	__typeof__(sqlite3_finalize) *finalize;
	__typeof__(sqlite3_free) *free;
	__typeof__(sqlite3_get_autocommit) *get_autocommit;
	__typeof__(sqlite3_mprintf) *mprintf;
	__typeof__(sqlite3_open_v2) *open_v2;
	__typeof__(sqlite3_prepare_v2) *prepare_v2;
	__typeof__(sqlite3_reset) *reset;
	__typeof__(sqlite3_step) *step;
} sqlite_api;

/* Filled by sqlite_lib_load(); every member NULL before. */
extern sqlite_api sqlite;

/* Opens SQLite once (any thread) and fills `sqlite`; when it cannot, says
 * what is missing and what to install, and returns PHARE_ERR_IO. */
phare_status sqlite_lib_load(void) PHARE_MUST_USE;

#endif

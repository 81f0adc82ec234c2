/* sqlite_lib.c: SQLite opened on first use (see sqlite_lib.h): the table
 * of its functions, filled with dlsym(). */
#include "feedback/sqlite_lib.h"

#include <dlfcn.h>

#include "util/dynlib.h"

#ifndef PHARE_SQLITE_SONAME
#define PHARE_SQLITE_SONAME "libsqlite3.so.0"
#endif

sqlite_api sqlite;

static const char *sqlite_lib_bind(void *lib)
{
	DYNLIB_SYM(lib, sqlite.bind_int, "sqlite3_bind_int");
	DYNLIB_SYM(lib, sqlite.bind_int64, "sqlite3_bind_int64");
	DYNLIB_SYM(lib, sqlite.bind_null, "sqlite3_bind_null");
	DYNLIB_SYM(lib, sqlite.bind_text, "sqlite3_bind_text");
	DYNLIB_SYM(lib, sqlite.busy_timeout, "sqlite3_busy_timeout");
	DYNLIB_SYM(lib, sqlite.clear_bindings, "sqlite3_clear_bindings");
	DYNLIB_SYM(lib, sqlite.close, "sqlite3_close");
	DYNLIB_SYM(lib, sqlite.column_int64, "sqlite3_column_int64");
	DYNLIB_SYM(lib, sqlite.column_text, "sqlite3_column_text");
	DYNLIB_SYM(lib, sqlite.errmsg, "sqlite3_errmsg");
	DYNLIB_SYM(lib, sqlite.exec, "sqlite3_exec");
	DYNLIB_SYM(lib, sqlite.extended_errcode, "sqlite3_extended_errcode");
	DYNLIB_SYM(lib, sqlite.finalize, "sqlite3_finalize");
	DYNLIB_SYM(lib, sqlite.free, "sqlite3_free");
	DYNLIB_SYM(lib, sqlite.get_autocommit, "sqlite3_get_autocommit");
	DYNLIB_SYM(lib, sqlite.mprintf, "sqlite3_mprintf");
	DYNLIB_SYM(lib, sqlite.open_v2, "sqlite3_open_v2");
	DYNLIB_SYM(lib, sqlite.prepare_v2, "sqlite3_prepare_v2");
	DYNLIB_SYM(lib, sqlite.reset, "sqlite3_reset");
	DYNLIB_SYM(lib, sqlite.step, "sqlite3_step");
	return NULL;
}

static dynlib sqlite_lib =
	DYNLIB_INIT(PHARE_SQLITE_SONAME, "the feedback store", "libsqlite3-0", sqlite_lib_bind);

phare_status sqlite_lib_load(void) { return dynlib_load(&sqlite_lib); }

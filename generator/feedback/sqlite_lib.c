/* sqlite_lib.c: SQLite, opened when the feedback store is first opened
 * (`phare collect`, `phare feedback report`, the collector in `phare serve`)
 * instead of linked into phare: one library fewer to map and relocate at
 * every start (see util/dynlib.h).  The functions phare calls are defined
 * here with <sqlite3.h>'s prototypes and call the library's through a table;
 * store_open_mode() calls sqlite_lib_load() first. */
#include "feedback/store.h"

#include <dlfcn.h>
#include <sqlite3.h>
#include <stdarg.h>

#include "util/dynlib.h"

#ifndef PHARE_SQLITE_SONAME
#define PHARE_SQLITE_SONAME "libsqlite3.so.0"
#endif

/* Every function phare calls that returns a value, as
 * X(return type, name, (parameters), (arguments)); sqlite3_free returns
 * none and sqlite3_mprintf is variadic: both are written out below. */
#define SQLITE_LIB_FUNCTIONS(X)                                                                  \
	X(int, sqlite3_bind_int, (sqlite3_stmt * s, int i, int v), (s, i, v))                     \
	X(int, sqlite3_bind_int64, (sqlite3_stmt * s, int i, sqlite3_int64 v), (s, i, v))         \
	X(int, sqlite3_bind_null, (sqlite3_stmt * s, int i), (s, i))                              \
	X(int, sqlite3_bind_text, (sqlite3_stmt * s, int i, const char *v, int n, void (*d)(void *)), \
	  (s, i, v, n, d))                                                                       \
	X(int, sqlite3_busy_timeout, (sqlite3 * db, int ms), (db, ms))                            \
	X(int, sqlite3_clear_bindings, (sqlite3_stmt * s), (s))                                   \
	X(int, sqlite3_close, (sqlite3 * db), (db))                                               \
	X(sqlite3_int64, sqlite3_column_int64, (sqlite3_stmt * s, int i), (s, i))                 \
	X(const unsigned char *, sqlite3_column_text, (sqlite3_stmt * s, int i), (s, i))          \
	X(const char *, sqlite3_errmsg, (sqlite3 * db), (db))                                     \
	X(int, sqlite3_exec,                                                                     \
	  (sqlite3 * db, const char *sql, int (*cb)(void *, int, char **, char **), void *arg,     \
	   char **err),                                                                          \
	  (db, sql, cb, arg, err))                                                               \
	X(int, sqlite3_extended_errcode, (sqlite3 * db), (db))                                    \
	X(int, sqlite3_finalize, (sqlite3_stmt * s), (s))                                         \
	X(int, sqlite3_get_autocommit, (sqlite3 * db), (db))                                      \
	X(int, sqlite3_open_v2, (const char *name, sqlite3 **db, int flags, const char *vfs),     \
	  (name, db, flags, vfs))                                                                \
	X(int, sqlite3_prepare_v2,                                                               \
	  (sqlite3 * db, const char *sql, int n, sqlite3_stmt **s, const char **tail),            \
	  (db, sql, n, s, tail))                                                                 \
	X(int, sqlite3_reset, (sqlite3_stmt * s), (s))                                            \
	X(int, sqlite3_step, (sqlite3_stmt * s), (s))                                             \
	X(char *, sqlite3_vmprintf, (const char *fmt, va_list ap), (fmt, ap))

/* The table: a pointer named and typed after each function. */
static struct {
/* NOLINTNEXTLINE(bugprone-macro-parentheses): name is a declarator here */
#define SQLITE_LIB_FIELD(ret, name, params, args) __typeof__(name) *name;
	SQLITE_LIB_FUNCTIONS(SQLITE_LIB_FIELD)
#undef SQLITE_LIB_FIELD
	__typeof__(sqlite3_free) *sqlite3_free;
} lite;

static const char *sqlite_lib_bind(void *lib)
{
#define SQLITE_LIB_SYM(ret, name, params, args) DYNLIB_SYM(lib, lite, name);
	SQLITE_LIB_FUNCTIONS(SQLITE_LIB_SYM)
	SQLITE_LIB_SYM(void, sqlite3_free, , )
#undef SQLITE_LIB_SYM
	return NULL;
}

static dynlib sqlite_lib =
	DYNLIB_INIT(PHARE_SQLITE_SONAME, "the feedback store", "libsqlite3-0", sqlite_lib_bind);

phare_status sqlite_lib_load(void)
{
	return dynlib_load(&sqlite_lib);
}

/* Each function: the library loaded (or exit saying why), then its own. */
#define SQLITE_LIB_WRAP(ret, name, params, args)                                                 \
	ret name params                                                                          \
	{                                                                                        \
		dynlib_need(&sqlite_lib);                                                        \
		return lite.name args;                                                           \
	}
SQLITE_LIB_FUNCTIONS(SQLITE_LIB_WRAP)
#undef SQLITE_LIB_WRAP

void sqlite3_free(void *p)
{
	dynlib_need(&sqlite_lib);
	lite.sqlite3_free(p);
}

char *sqlite3_mprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	return s;
}

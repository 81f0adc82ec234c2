/* dynlib.h: shared libraries opened when a command first needs them
 * (dlopen), instead of being linked into phare.
 *
 * Why: every linked library is mapped and relocated at every start, whatever
 * the command.  libstemmer (10,800 relocations), SQLite and libmicrohttpd
 * with its nine dependencies were most of `phare version`'s start-up
 * (issue 9: under 5 ms), though only the search index, the feedback store
 * and the servers use them.
 *
 * How: a file per library (search/stemmer_lib.c, feedback/sqlite_lib.c,
 * http/httpd_lib.c) holds a table of the functions phare calls, one pointer
 * per function typed by the library's own header (so the compiler checks
 * every call), filled with dlsym() by the file's bind function; the rest of
 * phare calls through it (sqlite.prepare_v2(...)).  What uses a library
 * calls its load function first (it calls dynlib_load()), so a missing
 * library is an ordinary error that says what to install. */
#ifndef PHARE_DYNLIB_H
#define PHARE_DYNLIB_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/status.h"

typedef struct dynlib {
	const char *soname;  /* "libstemmer.so.0d": the Makefile passes the one it found */
	const char *users;   /* for the message: "the search index" */
	const char *package; /* the Debian package to install */
	/* Fills the library's table from handle with dlsym(); on a missing
	 * function, returns its name. */
	const char *(*bind)(void *handle);
	atomic_int state;    /* 0: not tried yet, 1: loaded, -1: cannot be */
	char error[512];     /* why it cannot be */
} dynlib;

#define DYNLIB_INIT(soname, users, package, bind) { soname, users, package, bind, 0, "" }

/* In a bind function: field = dlsym(handle, symbol), or return symbol
 * (the function that is missing).  The cast from dlsym's void * is what
 * POSIX allows. */
#define DYNLIB_SYM(handle, field, symbol)                                                                              \
	do {                                                                                                           \
		if (!((field) = (__typeof__(field))dlsym((handle), (symbol))))                                         \
			return (symbol);                                                                               \
	} while (0)

/* Loads l once (any thread); on failure reports, each time, what is missing
 * and what to install, and returns PHARE_ERR_IO. */
phare_status dynlib_load(dynlib *l) PHARE_MUST_USE;

#endif

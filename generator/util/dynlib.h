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
 * http/httpd_lib.c) defines the functions phare calls, under their own
 * names and with the prototypes of the library's header (so the compiler
 * checks them); each calls the library's through a table its bind function
 * fills with dlsym().  The rest of phare includes the library's header and
 * calls it as if linked.  What uses a library calls dynlib_load() first, so a
 * missing library is an ordinary error that says what to install; a function
 * called before that loads the library itself, or exits saying why. */
#ifndef PHARE_DYNLIB_H
#define PHARE_DYNLIB_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

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

/* In a bind function: table.name from dlsym(handle), or return the name
 * that is missing.  (The cast from dlsym's void * is what POSIX allows.) */
/* NOLINTNEXTLINE(bugprone-macro-parentheses): name is a member's name */
#define DYNLIB_SYM(handle, table, name)                                                          \
	if (!((table).name = (__typeof__((table).name))dlsym((handle), #name)))                   \
		return #name

/* Loads l once (any thread); on failure reports, each time, what is missing
 * and what to install, and returns PHARE_ERR_IO. */
phare_status dynlib_load(dynlib *l) PHARE_MUST_USE;

/* For the library's functions: l loaded, or the message above and exit. */
static inline void dynlib_need(dynlib *l)
{
	if (atomic_load_explicit(&l->state, memory_order_acquire) != 1 && dynlib_load(l) != PHARE_OK)
		exit(EXIT_FAILED);
}

#endif

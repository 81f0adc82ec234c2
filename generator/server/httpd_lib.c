/* httpd_lib.c: libmicrohttpd, opened by the commands that serve instead of
 * linked into phare.
 *
 * Why: libmicrohttpd brings gnutls and eight more libraries with it; mapping
 * and relocating them was half of the start-up of every phare command
 * (issue 9: `phare version` in under 5 ms), though only `phare collect` and
 * `phare serve` use it.
 *
 * How: the libmicrohttpd functions phare calls are defined here, under their
 * own names and with the prototypes of <microhttpd.h> (so the compiler checks
 * them), and call the library's through a table filled by dlsym().  The rest
 * of phare includes <microhttpd.h> and calls them as before.  The commands
 * call httpd_load() before anything else, so a missing library is reported
 * up front; a function called first loads the library itself. */
#include "server/httpd.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/diag.h"

/* The soname the Makefile found at build time.  Builds that link
 * libmicrohttpd instead (the fuzz targets) need not pass it: dlopen() then
 * finds the library already loaded. */
#ifndef PHARE_MHD_SONAME
#define PHARE_MHD_SONAME "libmicrohttpd.so.12"
#endif

/* Every function of the library phare calls; MHD_start_daemon is
 * variadic, so it calls MHD_start_daemon_va. */
#define HTTPD_LIB_FUNCTIONS(X)                                                                   \
	X(MHD_add_response_header)                                                               \
	X(MHD_create_response_from_buffer)                                                       \
	X(MHD_create_response_from_callback)                                                     \
	X(MHD_create_response_from_fd)                                                           \
	X(MHD_destroy_response)                                                                  \
	X(MHD_get_connection_info)                                                               \
	X(MHD_get_connection_values)                                                             \
	X(MHD_get_daemon_info)                                                                   \
	X(MHD_lookup_connection_value)                                                           \
	X(MHD_queue_response)                                                                    \
	X(MHD_quiesce_daemon)                                                                    \
	X(MHD_start_daemon_va)                                                                   \
	X(MHD_stop_daemon)

/* The table: a pointer named and typed after each function. */
static struct {
/* NOLINTNEXTLINE(bugprone-macro-parentheses): name is a declarator here */
#define HTTPD_LIB_FIELD(name) __typeof__(name) *name;
	HTTPD_LIB_FUNCTIONS(HTTPD_LIB_FIELD)
#undef HTTPD_LIB_FIELD
} mhd;

static pthread_once_t httpd_lib_once = PTHREAD_ONCE_INIT;
static bool httpd_lib_ok;
static char httpd_lib_why[512]; /* why it could not be loaded */

static void httpd_lib_open(void)
{
	void *lib = dlopen(PHARE_MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		snprintf(httpd_lib_why, sizeof(httpd_lib_why), "%s", dlerror());
		return;
	}
#define HTTPD_LIB_SYM(name)                                                                      \
	mhd.name = (__typeof__(mhd.name))dlsym(lib, #name);                                       \
	if (!mhd.name) {                                                                         \
		snprintf(httpd_lib_why, sizeof(httpd_lib_why), "%s has no %s (too old?)",        \
			 PHARE_MHD_SONAME, #name);                                                \
		return;                                                                          \
	}
	HTTPD_LIB_FUNCTIONS(HTTPD_LIB_SYM)
#undef HTTPD_LIB_SYM
	httpd_lib_ok = true; /* lib stays open: the process uses it until it exits */
}

phare_status httpd_load(void)
{
	pthread_once(&httpd_lib_once, httpd_lib_open);
	if (httpd_lib_ok)
		return PHARE_OK;
	diag_error(NULL, 0, 0, "cannot load libmicrohttpd, which phare collect and phare serve need (%s); "
		   "install it (Debian: apt-get install libmicrohttpd12)", httpd_lib_why);
	return PHARE_ERR_IO;
}

/* For a function called before httpd_load(): nothing can be served without
 * the library, and the message above says what to install. */
static void httpd_lib_need(void)
{
	if (httpd_load() != PHARE_OK)
		exit(EXIT_FAILED);
}

struct MHD_Daemon *MHD_start_daemon(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc,
				    void *apc_cls, MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
	httpd_lib_need();
	va_list ap;
	va_start(ap, dh_cls);
	struct MHD_Daemon *d = mhd.MHD_start_daemon_va(flags, port, apc, apc_cls, dh, dh_cls, ap);
	va_end(ap);
	return d;
}

MHD_socket MHD_quiesce_daemon(struct MHD_Daemon *daemon)
{
	httpd_lib_need();
	return mhd.MHD_quiesce_daemon(daemon);
}

void MHD_stop_daemon(struct MHD_Daemon *daemon)
{
	httpd_lib_need();
	mhd.MHD_stop_daemon(daemon);
}

/* The two *_info functions are variadic for information types phare does
 * not ask for: none of those it asks for takes an argument. */
const union MHD_DaemonInfo *MHD_get_daemon_info(struct MHD_Daemon *daemon,
						enum MHD_DaemonInfoType info_type, ...)
{
	httpd_lib_need();
	return mhd.MHD_get_daemon_info(daemon, info_type);
}

const union MHD_ConnectionInfo *MHD_get_connection_info(struct MHD_Connection *connection,
							enum MHD_ConnectionInfoType info_type, ...)
{
	httpd_lib_need();
	return mhd.MHD_get_connection_info(connection, info_type);
}

int MHD_get_connection_values(struct MHD_Connection *connection, enum MHD_ValueKind kind,
			      MHD_KeyValueIterator iterator, void *iterator_cls)
{
	httpd_lib_need();
	return mhd.MHD_get_connection_values(connection, kind, iterator, iterator_cls);
}

const char *MHD_lookup_connection_value(struct MHD_Connection *connection, enum MHD_ValueKind kind,
					const char *key)
{
	httpd_lib_need();
	return mhd.MHD_lookup_connection_value(connection, kind, key);
}

struct MHD_Response *MHD_create_response_from_buffer(size_t size, void *buffer,
						     enum MHD_ResponseMemoryMode mode)
{
	httpd_lib_need();
	return mhd.MHD_create_response_from_buffer(size, buffer, mode);
}

struct MHD_Response *MHD_create_response_from_callback(uint64_t size, size_t block_size,
						       MHD_ContentReaderCallback crc, void *crc_cls,
						       MHD_ContentReaderFreeCallback crfc)
{
	httpd_lib_need();
	return mhd.MHD_create_response_from_callback(size, block_size, crc, crc_cls, crfc);
}

struct MHD_Response *MHD_create_response_from_fd(size_t size, int fd)
{
	httpd_lib_need();
	return mhd.MHD_create_response_from_fd(size, fd);
}

enum MHD_Result MHD_add_response_header(struct MHD_Response *response, const char *header,
					const char *content)
{
	httpd_lib_need();
	return mhd.MHD_add_response_header(response, header, content);
}

enum MHD_Result MHD_queue_response(struct MHD_Connection *connection, unsigned int status_code,
				   struct MHD_Response *response)
{
	httpd_lib_need();
	return mhd.MHD_queue_response(connection, status_code, response);
}

void MHD_destroy_response(struct MHD_Response *response)
{
	httpd_lib_need();
	mhd.MHD_destroy_response(response);
}

/* httpd_lib.c: libmicrohttpd, opened by the commands that serve instead of
 * linked into phare (see util/dynlib.h: it brings gnutls and eight more
 * libraries, which were half of every command's start-up).  The functions
 * phare calls are defined here with <microhttpd.h>'s prototypes and call the
 * library's through a table.  `phare collect` and `phare serve` call
 * httpd_load() before anything else. */
#include "http/httpd.h"

#include <dlfcn.h>
#include <stdarg.h>

#include "util/dynlib.h"

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

static const char *httpd_lib_bind(void *lib)
{
#define HTTPD_LIB_SYM(name) DYNLIB_SYM(lib, mhd, name);
	HTTPD_LIB_FUNCTIONS(HTTPD_LIB_SYM)
#undef HTTPD_LIB_SYM
	return NULL;
}

static dynlib httpd_lib =
	DYNLIB_INIT(PHARE_MHD_SONAME, "phare collect and phare serve", "libmicrohttpd12", httpd_lib_bind);

phare_status httpd_load(void)
{
	return dynlib_load(&httpd_lib);
}

/* For a function called before httpd_load(). */
static void httpd_lib_need(void)
{
	dynlib_need(&httpd_lib);
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

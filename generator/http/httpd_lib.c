/* httpd_lib.c: libmicrohttpd opened on first use (see httpd_lib.h): the
 * table of its functions, filled with dlsym(). */
#include "http/httpd_lib.h"

#include <dlfcn.h>

#include "http/httpd.h"
#include "util/dynlib.h"

/* The soname the Makefile found at build time.  Builds that link
 * libmicrohttpd instead (the fuzz targets) need not pass it: dlopen() then
 * finds the library already loaded. */
#ifndef PHARE_MHD_SONAME
#define PHARE_MHD_SONAME "libmicrohttpd.so.12"
#endif

httpd_api mhd;

static const char *httpd_lib_bind(void *lib)
{
	DYNLIB_SYM(lib, mhd.add_response_header, "MHD_add_response_header");
	DYNLIB_SYM(lib, mhd.create_response_from_buffer, "MHD_create_response_from_buffer");
	DYNLIB_SYM(lib, mhd.create_response_from_callback, "MHD_create_response_from_callback");
	DYNLIB_SYM(lib, mhd.create_response_from_fd, "MHD_create_response_from_fd");
	DYNLIB_SYM(lib, mhd.destroy_response, "MHD_destroy_response");
	DYNLIB_SYM(lib, mhd.get_connection_info, "MHD_get_connection_info");
	DYNLIB_SYM(lib, mhd.get_connection_values, "MHD_get_connection_values");
	DYNLIB_SYM(lib, mhd.get_daemon_info, "MHD_get_daemon_info");
	DYNLIB_SYM(lib, mhd.lookup_connection_value, "MHD_lookup_connection_value");
	DYNLIB_SYM(lib, mhd.queue_response, "MHD_queue_response");
	DYNLIB_SYM(lib, mhd.quiesce_daemon, "MHD_quiesce_daemon");
	DYNLIB_SYM(lib, mhd.start_daemon, "MHD_start_daemon");
	DYNLIB_SYM(lib, mhd.stop_daemon, "MHD_stop_daemon");
	return NULL;
}

static dynlib httpd_lib = DYNLIB_INIT(PHARE_MHD_SONAME, "phare collect and phare serve", "libmicrohttpd12",
				      httpd_lib_bind);

phare_status httpd_load(void) { return dynlib_load(&httpd_lib); }

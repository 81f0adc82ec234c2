/* httpd_lib.h: libmicrohttpd, opened by the commands that serve instead of
 * linked into phare (see util/dynlib.h: it brings gnutls and eight more
 * libraries, which were half of every command's start-up).
 *
 * Its functions are called through the table `mhd`, one member per function
 * phare uses, named without the MHD_ prefix and typed by <microhttpd.h>'s
 * prototype (so the compiler checks every call):
 *     mhd.queue_response(conn, MHD_HTTP_OK, resp)   for MHD_queue_response()
 * httpd_load() (httpd.h) fills it; httpd_start() calls it before anything
 * else, so a handler of a started daemon may call any member.  A function
 * phare starts to use is added to the table and to httpd_lib_bind(). */
#ifndef PHARE_HTTPD_LIB_H
#define PHARE_HTTPD_LIB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <microhttpd.h>

typedef struct httpd_api {
	__typeof__(MHD_add_response_header) *add_response_header;
	__typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
	__typeof__(MHD_create_response_from_callback) *create_response_from_callback;
	__typeof__(MHD_create_response_from_fd) *create_response_from_fd;
	__typeof__(MHD_destroy_response) *destroy_response;
	__typeof__(MHD_get_connection_info) *get_connection_info;
	__typeof__(MHD_get_connection_values) *get_connection_values;
	__typeof__(MHD_get_daemon_info) *get_daemon_info;
	__typeof__(MHD_lookup_connection_value) *lookup_connection_value;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_quiesce_daemon) *quiesce_daemon;
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
} httpd_api;

/* Filled by httpd_load(); every member NULL before. */
extern httpd_api mhd;

#endif

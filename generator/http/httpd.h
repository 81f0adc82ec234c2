/* httpd.h: a small wrapper around libmicrohttpd shared by phare's servers
 * (`phare collect`, `phare serve`).
 *
 * It starts a daemon on "ADDR:PORT" with every limit set explicitly
 * (libmicrohttpd has no connection timeout by default, so slow clients
 * would pile up), stops it cleanly, and gives handlers a few helpers to
 * answer with text or JSON.
 *
 * Handlers have libmicrohttpd's own shape (plus a context pointer), so a
 * handler written for one server can be mounted in another: a server's
 * handler routes on the URL and calls, for example,
 *     return collector_handle(c, conn, method, upload_data, upload_data_size, req_cls);
 *
 * Per-request state.  A handler that keeps state between the calls of one
 * request stores in *req_cls a pointer to a struct whose FIRST member is an
 * httpd_req; the daemon started by httpd_start() calls its release function
 * once the request is over (libmicrohttpd's "request completed"
 * notification), whoever owns the server.  A server not started with
 * httpd_start() must call httpd_req_completed() from its own
 * MHD_OPTION_NOTIFY_COMPLETED callback.
 *
 * Threads.  pool_threads == 0 runs a thread per connection: handlers may
 * block (the collector waits for its vote's commit).  pool_threads > 0 runs
 * an internal epoll loop on that many threads: handlers that block then
 * hold up the other connections of their thread. */
#ifndef PHARE_HTTPD_H
#define PHARE_HTTPD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <microhttpd.h>

#include "util/status.h"

typedef enum MHD_Result (*httpd_handler)(void *ctx, struct MHD_Connection *conn, const char *url, const char *method,
					 const char *upload_data, size_t *upload_data_size, void **req_cls);

typedef struct httpd_config {
	const char *listen;       /* "ADDR:PORT" or "[V6ADDR]:PORT"; port 0 picks a free one */
	unsigned max_connections; /* 0: 256 */
	size_t memory_limit;      /* per connection, bytes; 0: 64 KiB */
	unsigned timeout_s;       /* idle connection timeout, and the time a request's
				   * headers and body have to arrive in; 0: 15 s */
	unsigned pool_threads;    /* 0: a thread per connection; N: epoll on N threads */
	httpd_handler handler;
	void *ctx; /* passed to handler */
	/* The URL decoder (libmicrohttpd's MHD_OPTION_UNESCAPE_CALLBACK: decode
	 * s in place, return its new length), or NULL for libmicrohttpd's own
	 * %HH decoding.  Called with unescape_ctx. */
	size_t (*unescape)(void *unescape_ctx, struct MHD_Connection *conn, char *s);
	void *unescape_ctx;
} httpd_config;

typedef struct httpd httpd;

/* Opens libmicrohttpd (httpd_lib.h: it is not linked, so that the commands
 * that do not serve start faster); says what to install when it is
 * missing.  Commands that serve call it first, and httpd_start() does.
 * Loads once; thread-safe.  phare calls the library through the table
 * `mhd` (httpd_lib.h); a direct call to MHD_... fails to link. */
phare_status httpd_load(void) PHARE_MUST_USE;

/* The base of every per-request state (see above). */
typedef struct httpd_req {
	void (*release)(struct httpd_req *req);
} httpd_req;

/* Starts the daemon; errors (bad address, port in use) are reported with
 * diag, naming the address.  *out is freed by httpd_stop(). */
phare_status httpd_start(const httpd_config *cfg, httpd **out) PHARE_MUST_USE;
/* The port actually bound (useful with port 0). */
unsigned short httpd_port(const httpd *h);
/* True when the daemon listens on a loopback address only. */
bool httpd_is_loopback(const httpd *h);
/* Stops accepting, closes connections, waits for handlers, frees h.  NULL is fine. */
void httpd_stop(httpd *h);

/* Parses "ADDR:PORT" / "[ADDR]:PORT" (numeric addresses only) into ss.
 * Returns false (nothing reported) when text is not of that form. */
bool httpd_parse_listen(const char *text, struct sockaddr_storage *ss, socklen_t *len);

/* Calls the release function of the httpd_req in *req_cls, if any, and clears it. */
void httpd_req_completed(void **req_cls);

/* Queues a response with a copy of body.  headers: name, value, name,
 * value, ..., NULL (may be NULL).  Every response also carries
 * Cache-Control: no-store and X-Content-Type-Options: nosniff. */
enum MHD_Result httpd_reply(struct MHD_Connection *conn, unsigned status, const char *content_type, const char *body,
			    size_t len, const char *const *headers);
/* {"error":"message"} with status (a 4xx or 5xx). */
enum MHD_Result httpd_reply_error(struct MHD_Connection *conn, unsigned status, const char *message,
				  const char *const *headers);

/* The total size of the request's header lines (names + values + ": " and
 * CRLF), as a bound on what the client sent. */
size_t httpd_header_bytes(struct MHD_Connection *conn);
/* How many times header name occurs; the values are compared: *differ is
 * set when two occurrences have different values. */
unsigned httpd_header_count(struct MHD_Connection *conn, const char *name, bool *differ);
/* The peer's address as text ("127.0.0.1", "::1") into out; false if unknown. */
bool httpd_peer_address(struct MHD_Connection *conn, char *out, size_t n);

#endif

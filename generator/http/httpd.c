/* httpd.c: libmicrohttpd daemon with explicit limits, and response helpers. */
#include "http/httpd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "http/httpd_lib.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/xalloc.h"

/* One open connection, for the request deadline (see httpd_watchdog). */
typedef struct httpd_conn {
	MHD_socket fd;
	double since;   /* when the current request began to arrive */
	bool receiving; /* its headers or body are still arriving */
	bool shut;      /* the watchdog has cut it off */
	unsigned calls; /* handler calls of the current request */
	struct httpd_conn *prev, *next;
} httpd_conn;

struct httpd {
	struct MHD_Daemon *daemon;
	httpd_config cfg;
	unsigned short port;
	bool loopback;

	pthread_mutex_t lock; /* guards conns and stop */
	pthread_cond_t wake;
	httpd_conn *conns;
	bool stop;
	bool watching; /* the watchdog thread runs */
	pthread_t watchdog;
};

/* libmicrohttpd's timeout only closes IDLE connections: a client sending
 * one header byte every few seconds is never idle and would hold its
 * connection (and, a thread per connection, its thread) forever; 256 of
 * them take the server down.  So every request must also arrive, headers
 * and body, within timeout_s of its start: this thread shuts down the
 * socket of those that do not, which makes libmicrohttpd's next read see
 * the end of the stream and close the connection itself.  The fd stays
 * valid while listed: libmicrohttpd reports a connection closed (and we
 * unlist it under the lock) before it closes the socket. */
static void *httpd_watchdog(void *arg)
{
	httpd *h = arg;
	pthread_mutex_lock(&h->lock);
	while (!h->stop) {
		double now = clock_now();
		for (httpd_conn *c = h->conns; c; c = c->next) {
			if (c->receiving && !c->shut && c->fd != MHD_INVALID_SOCKET &&
			    now - c->since > (double)h->cfg.timeout_s) {
				shutdown(c->fd, SHUT_RDWR);
				c->shut = true;
			}
		}
		struct timespec ts = clock_deadline(CLOCK_REALTIME, 0.25);
		pthread_cond_timedwait(&h->wake, &h->lock, &ts);
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

static void httpd_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
				enum MHD_ConnectionNotificationCode toe)
{
	httpd *h = cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *info = mhd.get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		httpd_conn *c = xcalloc(1, sizeof(*c));
		c->fd = info ? info->connect_fd : MHD_INVALID_SOCKET;
		c->since = clock_now();
		c->receiving = true;
		pthread_mutex_lock(&h->lock);
		c->next = h->conns;
		if (h->conns)
			h->conns->prev = c;
		h->conns = c;
		pthread_mutex_unlock(&h->lock);
		*socket_context = c;
	} else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
		httpd_conn *c = *socket_context;
		pthread_mutex_lock(&h->lock);
		if (c->prev)
			c->prev->next = c->next;
		else
			h->conns = c->next;
		if (c->next)
			c->next->prev = c->prev;
		pthread_mutex_unlock(&h->lock);
		free(c);
		*socket_context = NULL;
	}
}

static httpd_conn *httpd_conn_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *info = mhd.get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return info ? info->socket_context : NULL;
}

/* True when the request's headers announce a body. */
static bool httpd_has_body(struct MHD_Connection *conn)
{
	const char *cl = mhd.lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && strspn(cl, "0") != strlen(cl))
		return true;
	return mhd.lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL;
}

bool httpd_parse_listen(const char *text, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[64];
	const char *colon;
	memset(ss, 0, sizeof(*ss));
	if (text[0] == '[') {
		const char *close = strchr(text, ']');
		if (!close || close[1] != ':' || (size_t)(close - text - 1) >= sizeof(host))
			return false;
		memcpy(host, text + 1, (size_t)(close - text - 1));
		host[close - text - 1] = '\0';
		colon = close + 1;
	} else {
		colon = strrchr(text, ':');
		if (!colon || (size_t)(colon - text) >= sizeof(host) || colon == text)
			return false;
		memcpy(host, text, (size_t)(colon - text));
		host[colon - text] = '\0';
	}
	const char *p = colon + 1;
	if (!*p || strlen(p) > 5)
		return false;
	unsigned long port = 0;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		port = port * 10 + (unsigned long)(*p - '0');
	}
	if (port > 65535)
		return false;
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
	if (text[0] != '[' && inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((unsigned short)port);
		*len = sizeof(*v4);
		return true;
	}
	if (text[0] == '[' && inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((unsigned short)port);
		*len = sizeof(*v6);
		return true;
	}
	return false;
}

static bool httpd_addr_is_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *v4 = (const struct sockaddr_in *)ss;
		return (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
	}
	const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)ss;
	return IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr);
}

void httpd_req_completed(void **req_cls)
{
	if (req_cls && *req_cls) {
		httpd_req *r = *req_cls;
		*req_cls = NULL;
		if (r->release)
			r->release(r);
	}
}

static void httpd_on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
			       enum MHD_RequestTerminationCode toe)
{
	httpd *h = cls;
	(void)toe;
	httpd_req_completed(req_cls);
	httpd_conn *c = httpd_conn_of(conn);
	if (c) {
		/* A kept-alive connection: the next request starts now. */
		pthread_mutex_lock(&h->lock);
		c->since = clock_now();
		c->receiving = true;
		c->calls = 0;
		pthread_mutex_unlock(&h->lock);
	}
}

static enum MHD_Result httpd_dispatch(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				      const char *version, const char *upload_data, size_t *upload_data_size,
				      void **req_cls)
{
	httpd *h = cls;
	(void)version;
	httpd_conn *c = httpd_conn_of(conn);
	if (c && c->receiving) {
		/* Received in full: the headers of a request without a body, or
		 * the last call (no data) after the first. */
		bool in = c->calls == 0 ? !httpd_has_body(conn) : *upload_data_size == 0;
		c->calls++;
		if (in) {
			pthread_mutex_lock(&h->lock);
			c->receiving = false;
			pthread_mutex_unlock(&h->lock);
		}
	}
	return h->cfg.handler(h->cfg.ctx, conn, url, method, upload_data, upload_data_size, req_cls);
}

/* Stops the watchdog (once the daemon is gone: it unlists every connection
 * as it closes them) and frees h. */
static void httpd_free(httpd *h)
{
	if (h->watching) {
		pthread_mutex_lock(&h->lock);
		h->stop = true;
		pthread_cond_signal(&h->wake);
		pthread_mutex_unlock(&h->lock);
		pthread_join(h->watchdog, NULL);
	}
	while (h->conns) { /* none left after MHD_stop_daemon; never after a failed start */
		httpd_conn *c = h->conns;
		h->conns = c->next;
		free(c);
	}
	pthread_cond_destroy(&h->wake);
	pthread_mutex_destroy(&h->lock);
	free(h);
}

phare_status httpd_start(const httpd_config *cfg, httpd **out)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	*out = NULL;
	phare_status loaded = httpd_load(); /* the commands did; a test may not have */
	if (loaded != PHARE_OK)
		return loaded;
	if (!httpd_parse_listen(cfg->listen, &ss, &sslen)) {
		diag_error(NULL, 0, 0,
			   "'%s' is not an address to listen on; write ADDR:PORT, "
			   "for example 127.0.0.1:8090 or [::1]:8090",
			   cfg->listen);
		return PHARE_ERR_USAGE;
	}
	httpd *h = xcalloc(1, sizeof(*h));
	h->cfg = *cfg;
	if (!h->cfg.max_connections)
		h->cfg.max_connections = 256;
	if (!h->cfg.memory_limit)
		h->cfg.memory_limit = 64 * 1024;
	if (!h->cfg.timeout_s)
		h->cfg.timeout_s = 15;
	h->loopback = httpd_addr_is_loopback(&ss);
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->wake, NULL);

	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (h->cfg.pool_threads == 0)
		flags |= MHD_USE_THREAD_PER_CONNECTION;
	else
		flags |= MHD_USE_EPOLL;
	/* The options only some servers give, as an array: libmicrohttpd
	 * takes no "unset" value for them. */
	struct MHD_OptionItem some[3];
	size_t n = 0;
	if (h->cfg.pool_threads > 1)
		some[n++] = (struct MHD_OptionItem){ MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)h->cfg.pool_threads, NULL };
	if (h->cfg.unescape) /* two arguments: the function goes in value, as microhttpd.h says */
		some[n++] = (struct MHD_OptionItem){ MHD_OPTION_UNESCAPE_CALLBACK, (intptr_t)h->cfg.unescape,
						     h->cfg.unescape_ctx };
	some[n] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	errno = 0;
	h->daemon = mhd.start_daemon(flags, 0, NULL, NULL, httpd_dispatch, h, MHD_OPTION_SOCK_ADDR,
				     (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT, h->cfg.max_connections,
				     MHD_OPTION_CONNECTION_MEMORY_LIMIT, h->cfg.memory_limit,
				     MHD_OPTION_CONNECTION_TIMEOUT, h->cfg.timeout_s, MHD_OPTION_NOTIFY_COMPLETED,
				     httpd_on_completed, (void *)h, MHD_OPTION_NOTIFY_CONNECTION, httpd_on_connection,
				     (void *)h, MHD_OPTION_LISTEN_BACKLOG_SIZE, 256u, MHD_OPTION_ARRAY, some,
				     MHD_OPTION_END);
	if (!h->daemon) {
		int e = errno;
		diag_error(NULL, 0, 0, "cannot listen on '%s' (%s); is another server using that port?", cfg->listen,
			   e ? strerror(e) : "libmicrohttpd refused to start");
		httpd_free(h);
		return PHARE_ERR_IO;
	}
	if (pthread_create(&h->watchdog, NULL, httpd_watchdog, h) != 0) {
		diag_error(NULL, 0, 0, "cannot start the connection watchdog thread");
		httpd_stop(h);
		return PHARE_ERR_INTERNAL;
	}
	h->watching = true;
	const union MHD_DaemonInfo *info = mhd.get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info ? info->port : 0;
	*out = h;
	return PHARE_OK;
}

unsigned short httpd_port(const httpd *h) { return h->port; }
bool httpd_is_loopback(const httpd *h) { return h->loopback; }

void httpd_stop(httpd *h)
{
	if (!h)
		return;
	/* Closing the listening socket first means no new connection races the
	 * shutdown; MHD_stop_daemon then closes the others and joins their threads. */
	MHD_socket s = mhd.quiesce_daemon(h->daemon);
	if (s != MHD_INVALID_SOCKET)
		close(s);
	mhd.stop_daemon(h->daemon);
	httpd_free(h);
}

enum MHD_Result httpd_reply(struct MHD_Connection *conn, unsigned status, const char *content_type, const char *body,
			    size_t len, const char *const *headers)
{
	struct MHD_Response *r = mhd.create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	if (content_type)
		mhd.add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
	mhd.add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	mhd.add_response_header(r, "X-Content-Type-Options", "nosniff");
	for (size_t i = 0; headers && headers[i] && headers[i + 1]; i += 2)
		mhd.add_response_header(r, headers[i], headers[i + 1]);
	enum MHD_Result ret = mhd.queue_response(conn, status, r);
	mhd.destroy_response(r);
	return ret;
}

enum MHD_Result httpd_reply_error(struct MHD_Connection *conn, unsigned status, const char *message,
				  const char *const *headers)
{
	buf b = BUF_INIT;
	buf_adds(&b, "{\"error\":");
	buf_add_json_str(&b, message, strlen(message));
	buf_adds(&b, "}\n");
	enum MHD_Result ret = httpd_reply(conn, status, "application/json", b.ptr, b.len, headers);
	buf_release(&b);
	return ret;
}

static enum MHD_Result httpd_sum_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	size_t *total = cls;
	(void)kind;
	*total += strlen(key) + 2 + (value ? strlen(value) : 0) + 2;
	return MHD_YES;
}

size_t httpd_header_bytes(struct MHD_Connection *conn)
{
	size_t total = 0;
	mhd.get_connection_values(conn, MHD_HEADER_KIND, httpd_sum_header, &total);
	return total;
}

typedef struct httpd_count {
	const char *name;
	const char *first;
	unsigned n;
	bool differ;
} httpd_count;

static enum MHD_Result httpd_count_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	httpd_count *c = cls;
	(void)kind;
	if (strcasecmp(key, c->name) != 0)
		return MHD_YES;
	if (!value)
		value = "";
	if (c->n++ == 0)
		c->first = value;
	else if (strcmp(c->first, value) != 0)
		c->differ = true;
	return MHD_YES;
}

unsigned httpd_header_count(struct MHD_Connection *conn, const char *name, bool *differ)
{
	httpd_count c = { name, NULL, 0, false };
	mhd.get_connection_values(conn, MHD_HEADER_KIND, httpd_count_header, &c);
	if (differ)
		*differ = c.differ;
	return c.n;
}

bool httpd_peer_address(struct MHD_Connection *conn, char *out, size_t n)
{
	const union MHD_ConnectionInfo *info = mhd.get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!info || !info->client_addr)
		return false;
	const struct sockaddr *sa = info->client_addr;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *v4 = (const struct sockaddr_in *)sa;
		return inet_ntop(AF_INET, &v4->sin_addr, out, (socklen_t)n) != NULL;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)sa;
		return inet_ntop(AF_INET6, &v6->sin6_addr, out, (socklen_t)n) != NULL;
	}
	return false;
}

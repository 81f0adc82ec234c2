/* collector.h: the feedback endpoint, POST /api/feedback, as a handler any
 * libmicrohttpd server can mount (`phare collect` and `phare serve`).
 *
 * A vote goes: headers checked (size, Content-Length, method, Origin,
 * Content-Type, rate limit) -> body read into a 4 KiB buffer as it
 * arrives -> fields validated (form.h) -> article looked up in the site's
 * manifest (manifest.h) -> queued to the single writer thread, which
 * commits every vote waiting in one transaction (store.h) and only then
 * wakes their handlers: an acknowledged vote is a committed vote.
 *
 * Answers: 303 to the article when Accept prefers text/html, else JSON
 * 201 (new vote) or 200 (replaced an earlier vote of the same client);
 * errors are {"error":"..."} with 400, 403 (foreign Origin), 404 (unknown
 * article/language), 405, 413 (body over 4 KiB), 415, 429 (rate limit),
 * 431 (headers over 16 KiB), 503 with Retry-After (disk full, database
 * busy or unreachable: the vote was not stored).
 *
 * Beside it, for operators: GET /healthz (200 while the process answers),
 * GET /readyz (200 when the database answers, else 503: a load balancer
 * takes the node out) and GET /metrics (Prometheus text, metrics.h).
 *
 * The handler blocks its thread until the vote is committed: mount it in
 * a server that runs a thread per connection (httpd.h, pool_threads 0). */
#ifndef PHARE_COLLECTOR_H
#define PHARE_COLLECTOR_H

#include <stddef.h>
#include <stdint.h>
#include <microhttpd.h>

#include "feedback/store.h"
#include "util/status.h"

#define COLLECTOR_MAX_BODY 4096
#define COLLECTOR_MAX_HEADERS (16 * 1024)
#define COLLECTOR_PATH "/api/feedback"
/* Questionnaire steps (quiz_manifest.h): same checks and refusals as a
 * vote, plus 404 for an unknown questionnaire, language or node, 409 for a
 * tree rebuilt since the page was loaded, 400 for a node or answer that
 * does not fit the step; 204 when stored.  Rate limited per salted address
 * hash at COLLECTOR_STEPS_PER_VOTE times --max-per-minute (a walk through
 * a questionnaire sends a dozen steps). */
#define COLLECTOR_QUIZ_PATH "/api/questionnaire"
#define COLLECTOR_STEPS_PER_VOTE 10

typedef struct collector_config {
	const char *db_path;
	const char *site_dir;       /* holds phare-manifest.tsv */
	const char *allow_origin;   /* "https://example.com": CORS for it; NULL: none */
	const char *trust_proxy;    /* peer address whose X-Forwarded-For counts; NULL: none */
	unsigned max_per_minute;    /* per address, per collector; 0: no limit */
	store_sync sync;
	bool metrics_elsewhere; /* /metrics served by collector_route_ops() only */
} collector_config;

typedef struct collector collector;

/* Opens the database and the manifest and starts the writer thread.
 * Errors reported.  The strings of cfg are copied. */
phare_status collector_open(const collector_config *cfg, collector **out) PHARE_MUST_USE;
/* Stops the writer once every queued vote is written, closes everything.
 * Call after the server(s) mounting it have stopped. NULL is fine. */
void collector_close(collector *c);

/* The POST /api/feedback handler, to call for every call libmicrohttpd
 * makes for a request routed there (same arguments).  It keeps its state
 * in *req_cls as an httpd_req (httpd.h): a server not started with
 * httpd_start() calls httpd_req_completed(req_cls) when the request ends. */
enum MHD_Result collector_handle(collector *c, struct MHD_Connection *conn, const char *method,
				 const char *upload_data, size_t *upload_data_size, void **req_cls);
/* The POST /api/questionnaire handler, called like collector_handle(). */
enum MHD_Result collector_handle_step(collector *c, struct MHD_Connection *conn, const char *method,
				      const char *upload_data, size_t *upload_data_size, void **req_cls);
/* GET / : a small status page (votes stored, articles known). */
enum MHD_Result collector_status(collector *c, struct MHD_Connection *conn, const char *method);
/* An httpd_handler (ctx = collector) routing COLLECTOR_PATH and "/" to the
 * two above, /healthz, /readyz and /metrics (unless metrics_elsewhere) to
 * their answers, and answering 404 elsewhere: what `phare collect` serves. */
enum MHD_Result collector_route(void *ctx, struct MHD_Connection *conn, const char *url,
				const char *method, const char *upload_data, size_t *upload_data_size,
				void **req_cls);

/* An httpd_handler (ctx = collector) for --metrics-listen: /healthz,
 * /readyz and /metrics, 404 elsewhere. */
enum MHD_Result collector_route_ops(void *ctx, struct MHD_Connection *conn, const char *url, const char *method,
				    const char *upload_data, size_t *upload_data_size, void **req_cls);

/* Votes in the database (counted at open, then as the writer commits). */
int64_t collector_votes(collector *c);

#endif

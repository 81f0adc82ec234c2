/* collector.c: the POST /api/feedback handler and its writer thread.
 *
 * Threads: libmicrohttpd runs handlers on its threads; each vote is put on
 * one queue and its handler sleeps until a writer thread has committed
 * the batch holding it.  Concurrent votes thus share one transaction (one
 * fsync with --sync full).  SQLite gets one writer thread, so it never
 * sees two writers of ours competing for its lock; PostgreSQL gets one per
 * connection of the store's pool (store_writers()). */
#include "feedback/collector.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "feedback/form.h"
#include "feedback/metrics.h"
#include "feedback/manifest.h"
#include "feedback/ratelimit.h"
#include "http/httpd.h"
#include "http/httpd_lib.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/xalloc.h"

#define COLLECTOR_BATCH_MAX 512
#define COLLECTOR_MAX_DISCARD (64 * 1024)

typedef struct pending {
	bool is_step; /* a questionnaire step rather than a vote */
	store_step step;
	store_vote vote;
	store_result result;
	bool done;
	struct pending *next;
} pending;

struct collector {
	collector_config cfg; /* strings owned */
	store *db;
	manifest_watch *manifest;
	ratelimit *limit;
	ratelimit *step_limit; /* steps: COLLECTOR_STEPS_PER_VOTE times the votes' limit */

	pthread_mutex_t lock; /* guards everything below */
	pthread_cond_t work;  /* the queue got a vote, or stop */
	pthread_cond_t done;  /* a batch was committed (or failed) */
	pending *head, *tail;
	bool stop;
	int64_t votes;
	pthread_t *writers;
	unsigned nwriters, started;
	size_t batch_max; /* votes one writer takes at once */

	metrics m; /* atomic: counted without the lock */
};

typedef struct collector_req {
	httpd_req base;
	collector *c;
	double start; /* clock_now() at the first call */
	buf body;
	bool too_large;
	size_t received;    /* body bytes so far */
	form_type type;
	bool step;          /* POST COLLECTOR_QUIZ_PATH */
	bool cors;          /* Origin is --allow-origin: answer with CORS headers */
	char origin[256];   /* the Origin when cors */
} collector_req;

static void collector_req_release(httpd_req *r)
{
	collector_req *cr = (collector_req *)r;
	metrics_observe(&cr->c->m, clock_now() - cr->start);
	buf_release(&cr->body);
	free(cr);
}

/* The writer thread: take every waiting vote, commit them together, wake
 * their handlers.  It leaves only when stopped and the queue is empty. */
static void *collector_writer(void *arg)
{
	collector *c = arg;
	store_vote *batch = xcalloc(COLLECTOR_BATCH_MAX, sizeof(*batch));
	store_step *steps = xcalloc(COLLECTOR_BATCH_MAX, sizeof(*steps));
	pending *taken[COLLECTOR_BATCH_MAX];
	pthread_mutex_lock(&c->lock);
	for (;;) {
		while (!c->head && !c->stop)
			pthread_cond_wait(&c->work, &c->lock);
		if (!c->head && c->stop)
			break;
		/* A batch is of one kind: the votes or the steps at the head. */
		size_t n = 0;
		bool is_step = c->head->is_step;
		while (c->head && n < c->batch_max && c->head->is_step == is_step) {
			taken[n] = c->head;
			if (is_step)
				steps[n] = c->head->step;
			else
				batch[n] = c->head->vote;
			c->head = c->head->next;
			n++;
		}
		if (!c->head)
			c->tail = NULL;
		pthread_mutex_unlock(&c->lock);

		store_result r = is_step ? store_write_steps(c->db, steps, n) : store_write(c->db, batch, n);

		pthread_mutex_lock(&c->lock);
		for (size_t i = 0; i < n; i++) {
			taken[i]->result = r;
			taken[i]->done = true;
			if (is_step)
				continue;
			taken[i]->vote.replaced = batch[i].replaced;
			if (r == STORE_WRITTEN && !batch[i].replaced)
				c->votes++;
		}
		pthread_cond_broadcast(&c->done);
	}
	pthread_mutex_unlock(&c->lock);
	free(batch);
	free(steps);
	return NULL;
}

/* Queues v and waits for its commit.  The writer always finishes a batch
 * (SQLite's busy timeout bounds the wait for its lock, PostgreSQL's
 * statement and connect timeouts the wait for the server), so this returns. */
static store_result collector_submit(collector *c, pending *p)
{
	p->done = false;
	p->next = NULL;
	pthread_mutex_lock(&c->lock);
	if (c->tail)
		c->tail->next = p;
	else
		c->head = p;
	c->tail = p;
	pthread_cond_signal(&c->work);
	while (!p->done)
		pthread_cond_wait(&c->done, &c->lock);
	pthread_mutex_unlock(&c->lock);
	return p->result;
}

phare_status collector_open(const collector_config *cfg, collector **out)
{
	collector *c = xcalloc(1, sizeof(*c));
	phare_status st;
	*out = NULL;
	c->cfg = *cfg;
	c->cfg.db_path = xstrdup(cfg->db_path);
	c->cfg.site_dir = xstrdup(cfg->site_dir);
	c->cfg.allow_origin = cfg->allow_origin ? xstrdup(cfg->allow_origin) : NULL;
	c->cfg.trust_proxy = cfg->trust_proxy ? xstrdup(cfg->trust_proxy) : NULL;
	if (c->cfg.allow_origin) {
		/* "https://example.com/" and "https://example.com" name the same origin. */
		char *o = (char *)c->cfg.allow_origin;
		size_t n = strlen(o);
		while (n && o[n - 1] == '/')
			o[--n] = '\0';
	}
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->work, NULL);
	pthread_cond_init(&c->done, NULL);
	c->limit = ratelimit_new(cfg->max_per_minute);
	c->step_limit = ratelimit_new(cfg->max_per_minute * COLLECTOR_STEPS_PER_VOTE);
	st = manifest_watch_open(cfg->site_dir, &c->manifest);
	if (st == PHARE_OK)
		st = store_open(cfg->db_path, cfg->sync, &c->db);
	if (st != PHARE_OK) {
		collector_close(c);
		return st;
	}
	c->votes = store_count(c->db);
	c->nwriters = store_writers(c->db);
	c->batch_max = COLLECTOR_BATCH_MAX / c->nwriters;
	c->writers = xcalloc(c->nwriters, sizeof(*c->writers));
	for (; c->started < c->nwriters; c->started++)
		if (pthread_create(&c->writers[c->started], NULL, collector_writer, c) != 0) {
			diag_error(NULL, 0, 0, "cannot start the writer threads");
			collector_close(c);
			return PHARE_ERR_INTERNAL;
		}
	*out = c;
	return PHARE_OK;
}

void collector_close(collector *c)
{
	if (!c)
		return;
	if (c->db) { /* the writer runs only once the store is open */
		pthread_mutex_lock(&c->lock);
		c->stop = true;
		pthread_cond_broadcast(&c->work);
		pthread_mutex_unlock(&c->lock);
		for (unsigned i = 0; i < c->started; i++)
			pthread_join(c->writers[i], NULL);
	}
	free(c->writers);
	store_close(c->db);
	manifest_watch_close(c->manifest);
	ratelimit_free(c->limit);
	ratelimit_free(c->step_limit);
	pthread_cond_destroy(&c->work);
	pthread_cond_destroy(&c->done);
	pthread_mutex_destroy(&c->lock);
	free((char *)c->cfg.db_path);
	free((char *)c->cfg.site_dir);
	free((char *)c->cfg.allow_origin);
	free((char *)c->cfg.trust_proxy);
	free(c);
}

int64_t collector_votes(collector *c)
{
	pthread_mutex_lock(&c->lock);
	int64_t n = c->votes;
	pthread_mutex_unlock(&c->lock);
	return n;
}

/* The address the rate limit counts: the peer, or, when the peer is the
 * trusted proxy, the last address of X-Forwarded-For (the one the proxy
 * itself added; those before it are the client's word). */
static void collector_client_address(collector *c, struct MHD_Connection *conn, char *out, size_t n)
{
	if (!httpd_peer_address(conn, out, n))
		snprintf(out, n, "unknown");
	if (!c->cfg.trust_proxy || strcmp(out, c->cfg.trust_proxy) != 0)
		return;
	const char *xff = mhd.lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
	if (!xff)
		return;
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ' || *last == '\t')
		last++;
	char cand[64];
	size_t len = strcspn(last, " \t");
	if (len == 0 || len >= sizeof(cand))
		return;
	memcpy(cand, last, len);
	cand[len] = '\0';
	unsigned char tmp[16];
	if (inet_pton(AF_INET, cand, tmp) == 1 || inet_pton(AF_INET6, cand, tmp) == 1)
		snprintf(out, n, "%s", cand);
}

/* Origin "scheme://host[:port]" against the Host header. */
static bool collector_same_origin(struct MHD_Connection *conn, const char *origin)
{
	const char *host = mhd.lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	const char *sep = strstr(origin, "://");
	return host && sep && strcasecmp(sep + 3, host) == 0;
}

/* A refused vote: counted by reason (c NULL: not a vote, not counted). */
static enum MHD_Result collector_refuse(collector *c, struct MHD_Connection *conn, unsigned status, const char *msg,
					const char *const *headers)
{
	if (c)
		metrics_refused(&c->m, status);
	return httpd_reply_error(conn, status, msg, headers);
}

static enum MHD_Result collector_cors_reply_error(const collector_req *r, struct MHD_Connection *conn,
						  unsigned status, const char *msg)
{
	const char *h[] = { "Access-Control-Allow-Origin", r->origin, "Vary", "Origin", NULL };
	return collector_refuse(r->step ? NULL : r->c, conn, status, msg, r->cors ? h : NULL);
}

/* Checks every request makes before its body: on a refusal, queues the
 * answer and returns true. */
static bool collector_refuse_headers(collector *c, struct MHD_Connection *conn, enum MHD_Result *ret)
{
	bool differ = false;
	if (httpd_header_bytes(conn) > COLLECTOR_MAX_HEADERS) {
		*ret = collector_refuse(c, conn, MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE,
					"the request headers are over 16 KiB", NULL);
		return true;
	}
	/* libmicrohttpd 0.9.75 reads the body by one of two Content-Length
	 * headers; a proxy in front might use the other (request smuggling). */
	if (httpd_header_count(conn, MHD_HTTP_HEADER_CONTENT_LENGTH, &differ) > 1 && differ) {
		*ret = collector_refuse(c, conn, MHD_HTTP_BAD_REQUEST, "two Content-Length headers that disagree",
					NULL);
		return true;
	}
	return false;
}

/* The first call of a request: everything decided by its headers. */
static enum MHD_Result collector_begin(collector *c, struct MHD_Connection *conn, const char *method, bool step,
				       void **req_cls)
{
	enum MHD_Result ret;
	collector *counted = step ? NULL : c; /* /metrics counts the votes' refusals only */
	if (collector_refuse_headers(counted, conn, &ret))
		return ret;
	const char *origin = mhd.lookup_connection_value(conn, MHD_HEADER_KIND, "Origin");
	bool allowed = origin && c->cfg.allow_origin && strcmp(origin, c->cfg.allow_origin) == 0;
	if (strcmp(method, MHD_HTTP_METHOD_OPTIONS) == 0) {
		/* CORS preflight: only for --allow-origin. */
		if (!allowed)
			return collector_refuse(counted, conn, MHD_HTTP_FORBIDDEN,
						"cross-origin requests are not allowed from this origin", NULL);
		const char *h[] = { "Access-Control-Allow-Origin", origin,
				    "Access-Control-Allow-Methods", "POST",
				    "Access-Control-Allow-Headers", "Content-Type",
				    "Access-Control-Max-Age", "86400", "Vary", "Origin", NULL };
		return httpd_reply(conn, MHD_HTTP_NO_CONTENT, NULL, "", 0, h);
	}
	if (strcmp(method, MHD_HTTP_METHOD_POST) != 0) {
		const char *h[] = { "Allow", "POST, OPTIONS", NULL };
		return collector_refuse(counted, conn, MHD_HTTP_METHOD_NOT_ALLOWED,
					step ? "send steps with POST" : "send votes with POST", h);
	}
	if (origin && !allowed && !collector_same_origin(conn, origin))
		return collector_refuse(counted, conn, MHD_HTTP_FORBIDDEN,
					step ? "steps are not accepted from this origin"
					     : "votes are not accepted from this origin",
					NULL);

	collector_req *r = xcalloc(1, sizeof(*r));
	r->base.release = collector_req_release;
	r->c = c;
	r->start = clock_now();
	r->step = step;
	r->body = (buf)BUF_INIT;
	buf_set_limit(&r->body, COLLECTOR_MAX_BODY);
	if (allowed) {
		r->cors = true;
		snprintf(r->origin, sizeof(r->origin), "%s", origin);
	}
	*req_cls = r; /* from here on, released by the request-completed notification */

	const char *ct = mhd.lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	r->type = form_content_type(ct);
	if (r->type == FORM_TYPE_NONE)
		return collector_cors_reply_error(r, conn, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
						  "send application/x-www-form-urlencoded or application/json (UTF-8)");
	const char *cl = mhd.lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && (strlen(cl) > 9 || strtoul(cl, NULL, 10) > COLLECTOR_MAX_BODY))
		return collector_cors_reply_error(r, conn, MHD_HTTP_CONTENT_TOO_LARGE,
						  "the body is over 4 KiB");

	char addr[64], hashed[65] = "";
	unsigned retry;
	collector_client_address(c, conn, addr, sizeof(addr));
	if (step) /* steps are counted by the address's salted hash, as votes store it */
		store_hash_address(c->db, addr, hashed);
	if (!ratelimit_allow(step ? c->step_limit : c->limit, step ? hashed : addr, clock_now(), &retry)) {
		char secs[16];
		snprintf(secs, sizeof(secs), "%u", retry ? retry : 1);
		const char *h[] = { "Retry-After", secs, r->cors ? "Access-Control-Allow-Origin" : NULL,
				    r->origin, NULL };
		return collector_refuse(counted, conn, MHD_HTTP_TOO_MANY_REQUESTS,
					step ? "too many questionnaire steps from your address; try again in a minute"
					     : "too many votes from your address; try again in a minute",
					h);
	}
	return MHD_YES;
}

/* The answer to a write the store refused (false when it was written);
 * c NULL: a step, not counted with the votes' refusals. */
static bool collector_store_refused(collector *c, struct MHD_Connection *conn, store_result res, const char *what,
				    enum MHD_Result *ret)
{
	char msg[160];
	switch (res) {
	case STORE_WRITTEN: return false;
	case STORE_DISK_FULL: {
		const char *h[] = { "Retry-After", "60", NULL };
		snprintf(msg, sizeof(msg), "the %s could not be stored (disk full); try again later", what);
		*ret = collector_refuse(c, conn, MHD_HTTP_SERVICE_UNAVAILABLE, msg, h);
		return true;
	}
	case STORE_BUSY: {
		const char *h[] = { "Retry-After", "5", NULL };
		*ret = collector_refuse(c, conn, MHD_HTTP_SERVICE_UNAVAILABLE, "the database is busy; try again", h);
		return true;
	}
	case STORE_UNAVAILABLE: {
		const char *h[] = { "Retry-After", "2", NULL };
		snprintf(msg, sizeof(msg), "the database is unavailable; the %s was not stored, try again shortly",
			 what);
		*ret = collector_refuse(c, conn, MHD_HTTP_SERVICE_UNAVAILABLE, msg, h);
		return true;
	}
	default:
		snprintf(msg, sizeof(msg), "the %s could not be stored", what);
		*ret = collector_refuse(c, conn, MHD_HTTP_INTERNAL_SERVER_ERROR, msg, NULL);
		return true;
	}
}

/* The body of a vote or a step read into f (its fields set up by the
 * caller); false with *ret the refusal when it is too large or malformed. */
static bool collector_parse_body(collector_req *r, struct MHD_Connection *conn, form *f, buf *err, enum MHD_Result *ret)
{
	if (r->too_large) {
		*ret = collector_cors_reply_error(r, conn, MHD_HTTP_CONTENT_TOO_LARGE, "the body is over 4 KiB");
		return false;
	}
	if (!form_parse(f, r->type, r->body.ptr, r->body.len, err)) {
		*ret = collector_cors_reply_error(r, conn, MHD_HTTP_BAD_REQUEST, err->ptr);
		return false;
	}
	return true;
}

/* The last call of a step: validated, checked against the manifest,
 * stored; 204 (a beacon reads no answer). */
static enum MHD_Result collector_finish_step(collector *c, collector_req *r, struct MHD_Connection *conn)
{
	static const unsigned check_status[] = { [QUIZ_CHECK_UNKNOWN] = MHD_HTTP_NOT_FOUND,
						 [QUIZ_CHECK_REVISION] = MHD_HTTP_CONFLICT,
						 [QUIZ_CHECK_INVALID] = MHD_HTTP_BAD_REQUEST };
	form f;
	buf err = BUF_INIT;
	arena a = ARENA_INIT;
	enum MHD_Result ret;
	form_init_step(&f);
	if (!collector_parse_body(r, conn, &f, &err, &ret))
		goto done;
	quiz_step_in in = {
		.questionnaire = f.val[FORM_STEP_QUESTIONNAIRE].ptr,
		.lang = f.val[FORM_STEP_LANG].ptr,
		.revision = f.val[FORM_STEP_REVISION].ptr,
		.node = f.val[FORM_STEP_NODE].ptr,
		.answer = f.val[FORM_STEP_ANSWER].ptr,
		.kind = (quiz_kind)quiz_kind_parse(f.val[FORM_STEP_KIND].ptr),
	};
	quiz_step_ref ref;
	quiz_check chk = manifest_watch_check_step(c->manifest, &in, &ref, &a, &err);
	if (chk != QUIZ_CHECK_OK) {
		ret = collector_cors_reply_error(r, conn, check_status[chk], err.ptr);
		goto done;
	}
	pending p;
	memset(&p, 0, sizeof(p));
	p.is_step = true;
	p.step = (store_step){
		.time = (int64_t)time(NULL),
		.questionnaire = in.questionnaire,
		.lang = in.lang,
		.revision = in.revision,
		.visit = f.val[FORM_STEP_VISIT].ptr,
		.seq = strtoll(f.val[FORM_STEP_SEQ].ptr, NULL, 10),
		.kind = quiz_kind_name(in.kind),
		.node = in.node,
		.question = ref.question,
		.answer = in.answer,
		.outcome = ref.outcome,
		.article = ref.article,
	};
	if (collector_store_refused(NULL, conn, collector_submit(c, &p), "step", &ret))
		goto done;
	const char *h[] = { "Access-Control-Allow-Origin", r->origin, "Vary", "Origin", NULL };
	ret = httpd_reply(conn, MHD_HTTP_NO_CONTENT, NULL, "", 0, r->cors ? h : NULL);
done:
	form_release(&f);
	buf_release(&err);
	arena_release(&a);
	return ret;
}

/* The last call: the whole body is there. */
static enum MHD_Result collector_finish(collector *c, collector_req *r, struct MHD_Connection *conn)
{
	form f;
	buf err = BUF_INIT, url = BUF_INIT, revision = BUF_INIT;
	enum MHD_Result ret;
	form_init(&f);
	if (!collector_parse_body(r, conn, &f, &err, &ret))
		goto done;
	const char *article = f.val[FORM_ARTICLE].ptr, *lang = f.val[FORM_LANG].ptr;
	if (!manifest_watch_find(c->manifest, lang, article, &url, &revision)) {
		buf_addf(&err, "no article '%s' in language '%s' on this site", article, lang);
		ret = collector_cors_reply_error(r, conn, MHD_HTTP_NOT_FOUND, err.ptr);
		goto done;
	}

	pending p;
	memset(&p, 0, sizeof(p));
	char addr[64];
	collector_client_address(c, conn, addr, sizeof(addr));
	store_hash_address(c->db, addr, p.vote.addr_hash);
	p.vote.time = (int64_t)time(NULL);
	p.vote.article = article;
	p.vote.lang = lang;
	p.vote.revision = f.present[FORM_REVISION] ? f.val[FORM_REVISION].ptr : revision.ptr;
	p.vote.yes = buf_equals(&f.val[FORM_VOTE], "yes");
	p.vote.reason = f.val[FORM_REASON].ptr;
	p.vote.comment = f.val[FORM_COMMENT].ptr;
	p.vote.client = f.val[FORM_CLIENT].ptr;

	if (collector_store_refused(c, conn, collector_submit(c, &p), "vote", &ret))
		goto done;

	metrics_accepted(&c->m, p.vote.replaced);
	const char *accept = mhd.lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
	if (form_accept_prefers_html(accept)) {
		/* Back to the article; from another origin, to that origin's page. */
		buf loc = BUF_INIT;
		if (r->cors)
			buf_adds(&loc, r->origin);
		buf_addf(&loc, "%s?feedback=thanks#feedback-thanks", url.ptr);
		const char *h[] = { "Location", loc.ptr, NULL };
		ret = httpd_reply(conn, MHD_HTTP_SEE_OTHER, "text/plain; charset=utf-8", "Thank you.\n", 11, h);
		buf_release(&loc);
	} else {
		buf body = BUF_INIT;
		buf_addf(&body, "{\"ok\":true,\"replaced\":%s,\"revision\":", p.vote.replaced ? "true" : "false");
		buf_add_json_str(&body, p.vote.revision, strlen(p.vote.revision));
		buf_adds(&body, "}\n");
		const char *h[] = { "Access-Control-Allow-Origin", r->origin, "Vary", "Origin", NULL };
		ret = httpd_reply(conn, p.vote.replaced ? MHD_HTTP_OK : MHD_HTTP_CREATED, "application/json",
				  body.ptr, body.len, r->cors ? h : NULL);
		buf_release(&body);
	}
done:
	form_release(&f);
	buf_release(&err);
	buf_release(&url);
	buf_release(&revision);
	return ret;
}

/* A vote or a step: the same checks, body reading and refusals. */
static enum MHD_Result collector_handle_any(collector *c, struct MHD_Connection *conn, const char *method, bool step,
					    const char *upload_data, size_t *upload_data_size, void **req_cls)
{
	if (!*req_cls) {
		double start = clock_now();
		enum MHD_Result ret = collector_begin(c, conn, method, step, req_cls);
		if (!*req_cls) /* answered from its headers alone */
			metrics_observe(&c->m, clock_now() - start);
		return ret;
	}
	collector_req *r = *req_cls;
	if (*upload_data_size) {
		/* Count the bytes as they come.  libmicrohttpd 0.9.75 cannot answer
		 * in the middle of a body, so past 4 KiB the rest is read and
		 * dropped, for the 413 at the end; a chunked body that goes on past
		 * COLLECTOR_MAX_DISCARD is cut off by closing the connection. */
		r->received += *upload_data_size;
		buf_add(&r->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		if (buf_over_limit(&r->body))
			r->too_large = true;
		return r->received > COLLECTOR_MAX_DISCARD ? MHD_NO : MHD_YES;
	}
	return r->step ? collector_finish_step(c, r, conn) : collector_finish(c, r, conn);
}

enum MHD_Result collector_handle(collector *c, struct MHD_Connection *conn, const char *method, const char *upload_data,
				 size_t *upload_data_size, void **req_cls)
{
	return collector_handle_any(c, conn, method, false, upload_data, upload_data_size, req_cls);
}

enum MHD_Result collector_handle_step(collector *c, struct MHD_Connection *conn, const char *method,
				      const char *upload_data, size_t *upload_data_size, void **req_cls)
{
	return collector_handle_any(c, conn, method, true, upload_data, upload_data_size, req_cls);
}

enum MHD_Result collector_status(collector *c, struct MHD_Connection *conn, const char *method)
{
	enum MHD_Result ret;
	if (collector_refuse_headers(NULL, conn, &ret))
		return ret;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		const char *h[] = { "Allow", "GET, HEAD", NULL };
		return httpd_reply_error(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET here", h);
	}
	buf page = BUF_INIT;
	buf_addf(&page,
		 "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>phare collect</title></head>\n"
		 "<body><h1>phare collect</h1>\n<p>Votes stored: <span id=\"votes\">%lld</span></p>\n"
		 "<p>Articles known: <span id=\"articles\">%zu</span></p>\n"
		 "<p>Votes go to <code>POST " COLLECTOR_PATH "</code>.</p></body></html>\n",
		 (long long)collector_votes(c), manifest_watch_count(c->manifest));
	ret = httpd_reply(conn, MHD_HTTP_OK, "text/html; charset=utf-8", page.ptr, page.len, NULL);
	buf_release(&page);
	return ret;
}

/* GET /healthz, /readyz and /metrics (this last one only when
 * with_metrics): true when url is one of them, the answer queued in *ret. */
static bool collector_ops(collector *c, struct MHD_Connection *conn, const char *url, const char *method,
			  bool with_metrics, enum MHD_Result *ret)
{
	bool health = strcmp(url, "/healthz") == 0, ready = strcmp(url, "/readyz") == 0;
	bool metrics_url = with_metrics && strcmp(url, "/metrics") == 0;
	if (!health && !ready && !metrics_url)
		return false;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		const char *h[] = { "Allow", "GET, HEAD", NULL };
		*ret = httpd_reply_error(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET here", h);
	} else if (health) {
		*ret = httpd_reply(conn, MHD_HTTP_OK, "text/plain; charset=utf-8", "ok\n", 3, NULL);
	} else if (ready) {
		const char *h[] = { "Retry-After", "2", NULL };
		*ret = store_ready(c->db)
			       ? httpd_reply(conn, MHD_HTTP_OK, "text/plain; charset=utf-8", "ready\n", 6, NULL)
			       : httpd_reply_error(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "the database does not answer",
						   h);
	} else {
		buf out = BUF_INIT;
		store_stats st;
		store_stats_get(c->db, &st);
		metrics_format(&c->m, &st, &out);
		*ret = httpd_reply(conn, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", out.ptr, out.len,
				   NULL);
		buf_release(&out);
	}
	return true;
}

enum MHD_Result collector_route_ops(void *ctx, struct MHD_Connection *conn, const char *url, const char *method,
				    const char *upload_data, size_t *upload_data_size, void **req_cls)
{
	(void)upload_data;
	(void)req_cls;
	enum MHD_Result ret;
	if (*upload_data_size) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (collector_refuse_headers(NULL, conn, &ret) || collector_ops(ctx, conn, url, method, true, &ret))
		return ret;
	return httpd_reply_error(conn, MHD_HTTP_NOT_FOUND, "nothing here; see /healthz, /readyz, /metrics", NULL);
}

enum MHD_Result collector_route(void *ctx, struct MHD_Connection *conn, const char *url,
				const char *method, const char *upload_data, size_t *upload_data_size,
				void **req_cls)
{
	collector *c = ctx;
	if (strcmp(url, COLLECTOR_PATH) == 0)
		return collector_handle(c, conn, method, upload_data, upload_data_size, req_cls);
	if (strcmp(url, COLLECTOR_QUIZ_PATH) == 0)
		return collector_handle_step(c, conn, method, upload_data, upload_data_size, req_cls);
	if (*upload_data_size) {
		*upload_data_size = 0; /* a body sent elsewhere is read and dropped */
		return MHD_YES;
	}
	if (strcmp(url, "/") == 0)
		return collector_status(c, conn, method);
	enum MHD_Result ret;
	if (collector_refuse_headers(NULL, conn, &ret) ||
	    collector_ops(c, conn, url, method, !c->cfg.metrics_elsewhere, &ret))
		return ret;
	return httpd_reply_error(conn, MHD_HTTP_NOT_FOUND, "nothing here; votes go to POST " COLLECTOR_PATH,
				 NULL);
}

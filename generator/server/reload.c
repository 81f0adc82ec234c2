/* reload.c: the live-reload script and the Server-Sent Events that drive it.
 *
 * One shared state (sequence number, last build good or not, its messages)
 * under a mutex; each open stream remembers the sequence number it last
 * told its page and waits on a condition variable for the next one. */
#include "server/reload.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include "http/httpd.h"
#include "http/httpd_lib.h"
#include "util/clock.h"
#include "util/xalloc.h"

/* Kept in the binary, never in templates/assets (see reload.h).  The
 * messages are put in the overlay with textContent: they quote the
 * author's files and must stay text. */
static const char reload_js[] =
	"/* phare serve: live reload (preview builds only). */\n"
	"(function () {\n"
	"  'use strict';\n"
	"  var script = document.currentScript;\n"
	"  var key = 'phare-scroll:' + location.pathname;\n"
	"  var saved = null;\n"
	"  try { saved = sessionStorage.getItem(key); sessionStorage.removeItem(key); } catch (e) {}\n"
	"  if (saved !== null) {\n"
	"    var y = parseInt(saved, 10) || 0;\n"
	"    var restore = function () { window.scrollTo(0, y); };\n"
	"    if (document.readyState === 'complete') restore(); else window.addEventListener('load', restore);\n"
	"  }\n"
	"  if (!window.EventSource || !script) return;\n"
	"  var source = new EventSource(script.src.replace(/reload\\.js(?:[?#].*)?$/, 'events'));\n"
	"  var reloading = false, overlay = null;\n"
	"  function reload() {\n"
	"    if (reloading) return;\n"
	"    reloading = true;\n"
	"    try { sessionStorage.setItem(key, String(Math.round(window.scrollY || window.pageYOffset || 0))); } catch (e) {}\n"
	"    source.close();\n"
	"    location.reload();\n"
	"  }\n"
	"  function showError(text) {\n"
	"    if (!overlay) {\n"
	"      overlay = document.createElement('div');\n"
	"      overlay.id = 'phare-build-error';\n"
	"      overlay.setAttribute('role', 'alert');\n"
	"      overlay.style.cssText = 'position:fixed;left:0;top:0;right:0;bottom:0;z-index:2147483647;overflow:auto;'\n"
	"        + 'background:rgba(24,24,24,.94);color:#f4f4f4;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2em';\n"
	"      var hide = document.createElement('button');\n"
	"      hide.type = 'button';\n"
	"      hide.textContent = 'Hide';\n"
	"      hide.style.cssText = 'position:absolute;top:1em;right:1em';\n"
	"      hide.onclick = function () { overlay.style.display = 'none'; };\n"
	"      var title = document.createElement('p');\n"
	"      title.style.cssText = 'margin:0 0 1em;font-weight:bold;color:#ff9a9a';\n"
	"      title.textContent = 'phare serve: the last edit does not build; this page shows the last good build.';\n"
	"      var pre = document.createElement('pre');\n"
	"      pre.style.cssText = 'margin:0;white-space:pre-wrap';\n"
	"      overlay.appendChild(hide);\n"
	"      overlay.appendChild(title);\n"
	"      overlay.appendChild(pre);\n"
	"      (document.body || document.documentElement).appendChild(overlay);\n"
	"    }\n"
	"    overlay.lastChild.textContent = text;\n"
	"    overlay.style.display = 'block';\n"
	"  }\n"
	"  function parse(e) { try { return JSON.parse(e.data); } catch (x) { return null; } }\n"
	"  source.addEventListener('hello', function (e) {\n"
	"    var d = parse(e);\n"
	"    /* built after this page was requested: it may show an older build */\n"
	"    if (d && d.built && window.performance && performance.timeOrigin && d.built > performance.timeOrigin) reload();\n"
	"  });\n"
	"  source.addEventListener('reload', reload);\n"
	"  source.addEventListener('error', function (e) {\n"
	"    if (typeof e.data !== 'string') return; /* the connection dropped: EventSource reconnects */\n"
	"    var d = parse(e);\n"
	"    if (d) showError(String(d.messages || ''));\n"
	"  });\n"
	"})();\n";

struct reload {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	unsigned long seq;   /* bumped by every build */
	bool ok;             /* the last build succeeded */
	bool has_site;       /* one build has succeeded */
	long long built_ms;  /* wall-clock time of the last good build */
	char *messages;      /* of the last failed build */
	bool closing;
};

typedef struct reload_stream {
	reload *r;
	unsigned long seen;
	bool greeted;
	buf pending; /* an event not yet handed to libmicrohttpd, from off */
	size_t off;
} reload_stream;

reload *reload_new(void)
{
	reload *r = xcalloc(1, sizeof(*r));
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&r->changed, &attr);
	pthread_condattr_destroy(&attr);
	pthread_mutex_init(&r->lock, NULL);
	r->messages = xstrdup("");
	return r;
}

void reload_free(reload *r)
{
	if (!r)
		return;
	pthread_cond_destroy(&r->changed);
	pthread_mutex_destroy(&r->lock);
	free(r->messages);
	free(r);
}

static long long reload_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void reload_built(reload *r)
{
	pthread_mutex_lock(&r->lock);
	r->seq++;
	r->ok = true;
	r->has_site = true;
	r->built_ms = reload_now_ms();
	r->messages[0] = '\0';
	pthread_cond_broadcast(&r->changed);
	pthread_mutex_unlock(&r->lock);
}

void reload_failed(reload *r, const char *messages)
{
	char *copy = xstrdup(messages ? messages : "");
	pthread_mutex_lock(&r->lock);
	r->seq++;
	r->ok = false;
	free(r->messages);
	r->messages = copy;
	pthread_cond_broadcast(&r->changed);
	pthread_mutex_unlock(&r->lock);
}

bool reload_has_site(reload *r)
{
	pthread_mutex_lock(&r->lock);
	bool has = r->has_site;
	pthread_mutex_unlock(&r->lock);
	return has;
}

void reload_close(reload *r)
{
	pthread_mutex_lock(&r->lock);
	r->closing = true;
	pthread_cond_broadcast(&r->changed);
	pthread_mutex_unlock(&r->lock);
}

void reload_format_event(buf *out, const char *event, const char *data)
{
	buf_addf(out, "event: %s\n", event);
	/* A data field ends at a newline: each line gets its own (CR too is a line end). */
	for (const char *p = data;;) {
		size_t n = strcspn(p, "\r\n");
		buf_adds(out, "data: ");
		buf_add(out, p, n);
		buf_addc(out, '\n');
		p += n;
		if (!*p)
			break;
		p += (p[0] == '\r' && p[1] == '\n') ? 2 : 1;
	}
	buf_addc(out, '\n');
}

/* Under r->lock: the event telling the page about the current state. */
static void reload_state_event(reload *r, buf *out)
{
	if (r->ok) {
		reload_format_event(out, "reload", "{}");
		return;
	}
	buf json = BUF_INIT;
	buf_adds(&json, "{\"messages\":");
	buf_add_json_str(&json, r->messages, strlen(r->messages));
	buf_addc(&json, '}');
	reload_format_event(out, "error", json.ptr);
	buf_release(&json);
}

/* Under r->lock: fills s->pending with what to send next; false at the end. */
static bool reload_next(reload_stream *s)
{
	reload *r = s->r;
	if (r->closing)
		return false;
	if (!s->greeted) {
		s->greeted = true;
		s->seen = r->seq;
		buf data = BUF_INIT;
		buf_addf(&data, "{\"built\":%lld}", r->built_ms);
		buf_adds(&s->pending, "retry: 1000\n\n");
		reload_format_event(&s->pending, "hello", data.ptr);
		buf_release(&data);
		if (r->seq && !r->ok) /* opened while broken: show it at once */
			reload_state_event(r, &s->pending);
		return true;
	}
	struct timespec deadline = clock_deadline(CLOCK_MONOTONIC, RELOAD_KEEPALIVE_S);
	while (!r->closing && r->seq == s->seen)
		if (pthread_cond_timedwait(&r->changed, &r->lock, &deadline) == ETIMEDOUT)
			break;
	if (r->closing)
		return false;
	if (r->seq == s->seen) {
		buf_adds(&s->pending, ": keep-alive\n\n");
		return true;
	}
	s->seen = r->seq;
	reload_state_event(r, &s->pending);
	return true;
}

static ssize_t reload_read(void *cls, uint64_t pos, char *out, size_t max)
{
	reload_stream *s = cls;
	(void)pos;
	if (s->off >= s->pending.len) {
		buf_reset(&s->pending);
		s->off = 0;
		pthread_mutex_lock(&s->r->lock);
		bool more = reload_next(s);
		pthread_mutex_unlock(&s->r->lock);
		if (!more)
			return MHD_CONTENT_READER_END_OF_STREAM;
	}
	size_t n = s->pending.len - s->off;
	if (n > max)
		n = max;
	memcpy(out, s->pending.ptr + s->off, n);
	s->off += n;
	return (ssize_t)n;
}

static void reload_stream_free(void *cls)
{
	reload_stream *s = cls;
	buf_release(&s->pending);
	free(s);
}

enum MHD_Result reload_events(reload *r, struct MHD_Connection *conn, const char *method)
{
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0) {
		const char *h[] = { MHD_HTTP_HEADER_ALLOW, "GET", NULL };
		return httpd_reply_error(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "the event stream is read with GET", h);
	}
	reload_stream *s = xcalloc(1, sizeof(*s));
	s->r = r;
	buf_init(&s->pending, 256);
	struct MHD_Response *resp = mhd.create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, reload_read, s,
								      reload_stream_free);
	if (!resp) {
		reload_stream_free(s);
		return MHD_NO;
	}
	mhd.add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream; charset=utf-8");
	mhd.add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	mhd.add_response_header(resp, "X-Accel-Buffering", "no");
	enum MHD_Result ret = mhd.queue_response(conn, MHD_HTTP_OK, resp);
	mhd.destroy_response(resp);
	return ret;
}

enum MHD_Result reload_script(struct MHD_Connection *conn, const char *method)
{
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		const char *h[] = { MHD_HTTP_HEADER_ALLOW, "GET, HEAD", NULL };
		return httpd_reply_error(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD are served here", h);
	}
	return httpd_reply(conn, MHD_HTTP_OK, "text/javascript; charset=utf-8", reload_js, sizeof(reload_js) - 1,
			   NULL);
}

enum MHD_Result reload_error_page(reload *r, struct MHD_Connection *conn, const char *base)
{
	buf page = BUF_INIT;
	buf_adds(&page, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		 "<title>phare serve: the site does not build</title></head>\n<body>\n"
		 "<h1>The site does not build yet</h1>\n"
		 "<p>Fix the errors below; this page reloads by itself once the site builds.</p>\n<pre>");
	pthread_mutex_lock(&r->lock);
	buf_adds_html(&page, r->messages);
	pthread_mutex_unlock(&r->lock);
	buf_adds(&page, "</pre>\n<script src=\"");
	buf_adds_html(&page, base);
	buf_adds(&page, "_phare/reload.js\"></script>\n</body></html>\n");
	enum MHD_Result ret = httpd_reply(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "text/html; charset=utf-8", page.ptr,
					  page.len, NULL);
	buf_release(&page);
	return ret;
}

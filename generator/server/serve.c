/* serve.c: `phare serve`: the build loop on the main thread, the HTTP
 * routes on libmicrohttpd's connection threads.
 *
 * Shared between them: the base path (it changes when site.yaml does) under
 * a mutex, the collector pointer (set once, after the first good build),
 * and the reload state (reload.h, its own lock).  The built site itself is
 * shared through the file system: a full build swaps a complete new folder
 * in with one rename, an update of one article replaces its page with one
 * rename, and every request opens the site root afresh.
 *
 * Rebuilds.  A good full build is kept in memory (build_session); when the
 * only change is one article's text, the session redoes that page alone
 * (build_session_update) and says whether it could.  Anything else (several
 * files, templates, site.yaml, a new or renamed article, a title change)
 * is a full build.  A failed update drops the session, so that the next
 * change is a full build, which reports every error still there. */
#include "server/serve.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>
#include <microhttpd.h>

#include "build/build.h"
#include "content/site.h"
#include "feedback/collector.h"
#include "http/httpd.h"
#include "server/reload.h"
#include "server/static_files.h"
#include "server/watch.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/url.h"
#include "util/xalloc.h"

typedef struct serve {
	const serve_options *opt;
	char *state_dir; /* <source>/.phare */
	char *out;       /* <state_dir>/serve-site */
	char *db;        /* <state_dir>/feedback.sqlite */
	pthread_mutex_t lock;
	char *base;      /* under lock: "/" or "/help/" */
	_Atomic(collector *) coll;
	reload *rl;
	build_options bo;        /* outlives the session, as it must */
	build_session *session;  /* the last good full build, or NULL */
	httpd *http;
} serve;

size_t serve_unescape(char *s)
{
	size_t n;
	(void)url_decode(s, s, strlen(s), URL_PATH, &n); /* never false for URL_PATH */
	return n;
}

static size_t serve_unescape_cb(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	return serve_unescape(s);
}

/* The base path, copied out from under the lock. */
static char *serve_base(serve *sv)
{
	pthread_mutex_lock(&sv->lock);
	char *b = xstrdup(sv->base);
	pthread_mutex_unlock(&sv->lock);
	return b;
}

static enum MHD_Result serve_redirect(struct MHD_Connection *conn, const char *location)
{
	const char *h[] = { MHD_HTTP_HEADER_LOCATION, location, NULL };
	static const char text[] = "Moved Permanently\n";
	return httpd_reply(conn, MHD_HTTP_MOVED_PERMANENTLY, "text/plain; charset=utf-8", text, sizeof(text) - 1, h);
}

static enum MHD_Result serve_route(serve *sv, struct MHD_Connection *conn, const char *url, const char *method)
{
	if (!static_files_path_ok(url))
		return httpd_reply_error(conn, MHD_HTTP_BAD_REQUEST,
					 "the path has a control character, an encoded slash or NUL, a backslash, "
					 "or a . or .. segment", NULL);
	char *base = serve_base(sv);
	size_t n = strlen(base);
	enum MHD_Result ret;
	if (strncmp(url, base, n) != 0) {
		if (strlen(url) == n - 1 && strncmp(url, base, n - 1) == 0)
			ret = serve_redirect(conn, base); /* "/help" -> "/help/" */
		else
			ret = static_files_not_found(conn, sv->out);
		goto done;
	}
	const char *rel = url + n;
	if (strncmp(rel, "_phare/", 7) == 0) {
		if (strcmp(rel + 7, "reload.js") == 0)
			ret = reload_script(conn, method);
		else if (strcmp(rel + 7, "events") == 0)
			ret = reload_events(sv->rl, conn, method);
		else
			ret = static_files_not_found(conn, sv->out);
		goto done;
	}
	if (!reload_has_site(sv->rl))
		ret = reload_error_page(sv->rl, conn, base);
	else
		ret = static_files_reply(conn, sv->out, url, rel, method);
done:
	free(base);
	return ret;
}

static enum MHD_Result serve_handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				    const char *upload_data, size_t *upload_data_size, void **req_cls)
{
	serve *sv = cls;
	bool step = strcmp(url, COLLECTOR_QUIZ_PATH) == 0;
	if (step || strcmp(url, COLLECTOR_PATH) == 0) {
		collector *c = atomic_load(&sv->coll);
		if (!c)
			return httpd_reply_error(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
						 "the feedback collector starts once the site builds", NULL);
		return step ? collector_handle_step(c, conn, method, upload_data, upload_data_size, req_cls)
			    : collector_handle(c, conn, method, upload_data, upload_data_size, req_cls);
	}
	return serve_route(sv, conn, url, method);
}

/* httpd_start() with serve's URL decoder: the collector's limits, and its
 * deadline for a request's headers and body (slow clients would otherwise
 * hold their connection's thread for ever); a thread per connection, as
 * the collector and the event streams block theirs. */
static phare_status serve_listen(serve *sv)
{
	const serve_options *o = sv->opt;
	char listen[128];
	snprintf(listen, sizeof(listen), strchr(o->bind, ':') ? "[%s]:%u" : "%s:%u", o->bind, o->port);
	struct sockaddr_storage ss;
	socklen_t sslen;
	if (!httpd_parse_listen(listen, &ss, &sslen)) {
		diag_error(NULL, 0, 0, "--bind '%s' is not a numeric address; write 127.0.0.1, 0.0.0.0 or ::1", o->bind);
		return PHARE_ERR_USAGE;
	}
	httpd_config cfg = {
		.listen = listen, .timeout_s = SERVE_TIMEOUT_S, .handler = serve_handle, .ctx = sv,
		.unescape = serve_unescape_cb, .unescape_ctx = sv,
	};
	return httpd_start(&cfg, &sv->http);
}

static void serve_set_base(serve *sv, const char *base)
{
	pthread_mutex_lock(&sv->lock);
	free(sv->base);
	sv->base = xstrdup(base);
	pthread_mutex_unlock(&sv->lock);
}

/* The base path the last good build used: the manifest's "base" line. */
static void serve_read_base(serve *sv)
{
	char *path = fsx_join(sv->out, "phare-manifest.tsv");
	FILE *f = fopen(path, "r");
	char line[1024];
	for (int i = 0; f && i < 8 && fgets(line, sizeof(line), f); i++) {
		if (strncmp(line, "base\t", 5) != 0)
			continue;
		line[strcspn(line, "\r\n")] = '\0';
		const char *b = line + 5;
		size_t n = strlen(b);
		if (b[0] == '/' && b[n - 1] == '/')
			serve_set_base(sv, b);
		break;
	}
	if (f)
		fclose(f);
	free(path);
}

/* No build has succeeded yet: the base path from site.yaml alone, so the
 * error page sits where the site will.  Its errors were reported by the
 * build already: the second reading stays quiet. */
static void serve_base_from_config(serve *sv)
{
	arena a = ARENA_INIT;
	site_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	char *content = fsx_join(sv->opt->source, "content");
	char *path = fsx_join(content, "site.yaml");
	diag_set_quiet(true);
	if (fsx_is_file(path) && site_load(&a, path, path, sv->opt->base_url, &cfg) == PHARE_OK && cfg.base)
		serve_set_base(sv, cfg.base);
	diag_set_quiet(false);
	free(path);
	free(content);
	arena_release(&a);
}

static void serve_open_collector(serve *sv)
{
	collector_config cc = {
		.db_path = sv->db, .site_dir = sv->out, .max_per_minute = 0, .sync = STORE_SYNC_NORMAL,
	};
	collector *c = NULL;
	if (collector_open(&cc, &c) != PHARE_OK) {
		fprintf(stderr, "phare serve: the feedback widget will not work in this preview "
			"(the collector did not start; see above)\n");
		return;
	}
	atomic_store(&sv->coll, c);
}

static void serve_failed(serve *sv)
{
	size_t n = diag_errors();
	reload_failed(sv->rl, diag_captured());
	if (!reload_has_site(sv->rl))
		serve_base_from_config(sv);
	fprintf(stderr, "phare serve: the build failed with %zu error%s; %s\n", n, n == 1 ? "" : "s",
		reload_has_site(sv->rl) ? "still serving the last good build" : "fix it and save again");
}

/* A full build, kept as the session; tells open pages how it went. */
static void serve_build(serve *sv, bool first)
{
	build_stats st;
	build_session_close(sv->session);
	sv->session = NULL;
	diag_reset(); /* counts, captured text, and the repeated-message filter */
	if (build_session_open(&sv->bo, &st, &sv->session) != PHARE_OK) {
		serve_failed(sv);
		return;
	}
	serve_read_base(sv);
	if (!atomic_load(&sv->coll))
		serve_open_collector(sv);
	reload_built(sv->rl);
	fprintf(stderr, "phare serve: %s %zu pages in %.2f s\n", first ? "built" : "rebuilt", st.pages, st.seconds);
}

/* After changes: one article's page alone when the session can, else a
 * full build.  No change at all (only temporary files came and went): nothing. */
static void serve_rebuild(serve *sv, char **changed, bool all)
{
	if (!all && !changed[0])
		return;
	if (sv->session && !all && !changed[1]) {
		double t0 = clock_now();
		bool handled = false;
		diag_reset();
		phare_status s = build_session_update(sv->session, changed[0], &handled);
		if (handled && s) {
			build_session_close(sv->session);
			sv->session = NULL;
			serve_failed(sv);
			return;
		}
		if (handled) {
			reload_built(sv->rl);
			fprintf(stderr, "phare serve: updated %s in %.1f ms\n", changed[0],
				(clock_now() - t0) * 1000.0);
			return;
		}
	}
	serve_build(sv, false);
}

/* <source>/.phare, ignored by git whatever the project's .gitignore says. */
static phare_status serve_state_dir(serve *sv)
{
	/* It lies in the source folder, which may come from a stranger: no
	 * link there may make serve write (or SQLite open) anything elsewhere. */
	phare_status s;
	if ((s = fsx_refuse_link(sv->state_dir, "phare serve's working folder")) || (s = fsx_mkdirs(sv->state_dir)) ||
	    (s = fsx_refuse_link(sv->db, "phare serve's feedback database")))
		return s;
	char *ignore = fsx_join(sv->state_dir, ".gitignore");
	if (!fsx_is_file(ignore)) {
		static const char text[] = "# phare serve's working files (preview build, feedback votes)\n*\n";
		s = fsx_write(ignore, text, sizeof(text) - 1);
	}
	free(ignore);
	return s;
}

static void serve_ready(serve *sv)
{
	char *base = serve_base(sv);
	bool v6 = strchr(sv->opt->bind, ':') != NULL;
	printf("serving %s at http://%s%s%s:%u%s (Ctrl-C to stop)\n", sv->opt->source, v6 ? "[" : "", sv->opt->bind,
	       v6 ? "]" : "", httpd_port(sv->http), base);
	fflush(stdout);
	free(base);
}

/* Waits for changes and rebuilds until a stop signal arrives on sigfd. */
static void serve_loop(serve *sv, watch *w, int sigfd)
{
	struct pollfd p[2] = { { sigfd, POLLIN, 0 }, { watch_fd(w), POLLIN, 0 } };
	bool pending = false;
	double first = 0, due = 0;
	for (;;) {
		int timeout = -1;
		if (pending) {
			double now = clock_now();
			timeout = due > now ? (int)((due - now) * 1000.0) + 1 : 0;
		}
		int n = poll(p, 2, timeout);
		if (n < 0 && errno != EINTR)
			break;
		if (n > 0 && (p[0].revents & POLLIN)) {
			struct signalfd_siginfo si;
			if (read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
				fprintf(stderr, "phare serve: %s received, stopping\n",
					si.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM");
			return;
		}
		if (n > 0 && (p[1].revents & POLLIN) && watch_read(w)) {
			double now = clock_now();
			if (!pending)
				first = now;
			pending = true;
			/* a quiet time after the last change, but never put off past the cap */
			due = now + SERVE_DEBOUNCE_MS / 1000.0;
			if (due > first + SERVE_DEBOUNCE_MAX_MS / 1000.0)
				due = first + SERVE_DEBOUNCE_MAX_MS / 1000.0;
		}
		if (pending && clock_now() >= due) {
			pending = false;
			bool all;
			char **changed = watch_take(w, &all);
			serve_rebuild(sv, changed, all);
			fsx_free_list(changed);
		}
	}
}

phare_status serve_run(const serve_options *opt)
{
	serve sv;
	memset(&sv, 0, sizeof(sv));
	sv.opt = opt;
	pthread_mutex_init(&sv.lock, NULL);
	sv.state_dir = fsx_join(opt->source, ".phare");
	sv.out = fsx_join(sv.state_dir, "serve-site");
	sv.db = fsx_join(sv.state_dir, "feedback.sqlite");
	sv.rl = reload_new();
	sv.bo = (build_options){
		.source = opt->source, .out = sv.out, .base_url = opt->base_url, .drafts = opt->drafts,
		.preview = true, .feedback_endpoint = COLLECTOR_PATH,
	};
	watch *w = NULL;
	int sigfd = -1;
	phare_status s;

	/* Until the first good build says otherwise, the base is --base-url's. */
	arena a = ARENA_INIT;
	const char *origin = "", *base = "/";
	if (opt->base_url && !site_parse_base_url(&a, opt->base_url, &origin, &base)) {
		diag_error(NULL, 0, 0, "--base-url '%s' must be a path such as /help/ or a full http(s) URL",
			   opt->base_url);
		s = PHARE_ERR_USAGE;
		arena_release(&a);
		goto done;
	}
	sv.base = xstrdup(base);
	arena_release(&a);

	if (!fsx_is_dir(opt->source)) {
		diag_error(opt->source, 0, 0, "no such folder; give the folder holding content/ with --source");
		s = PHARE_ERR_USAGE;
		goto done;
	}
	if ((s = fsx_confine(opt->source)))
		goto done;
	if ((s = serve_state_dir(&sv)))
		goto done;
	/* Stop signals arrive on a descriptor; block them before any thread
	 * starts so that every thread inherits the mask. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigfd = signalfd(-1, &stop, SFD_CLOEXEC);
	if (sigfd < 0) {
		diag_error(NULL, 0, 0, "cannot receive stop signals (signalfd: %s)", strerror(errno));
		s = PHARE_ERR_INTERNAL;
		goto done;
	}
	static const char *const watched[] = { "content", "templates", "rules", NULL };
	if ((s = watch_open(opt->source, watched, &w)) || (s = serve_listen(&sv)))
		goto done;
	if (!httpd_is_loopback(sv.http))
		diag_warning(NULL, 0, 0, "--bind '%s' makes the preview reachable from other machines; "
			     "use 127.0.0.1 unless you mean it", opt->bind);
	diag_set_capture(true);
	serve_build(&sv, true);
	serve_ready(&sv);
	serve_loop(&sv, w, sigfd);
	s = PHARE_OK;
done:
	if (sv.http) {
		reload_close(sv.rl); /* event streams end, so their threads can be joined */
		httpd_stop(sv.http);
	}
	collector_close(atomic_load(&sv.coll));
	build_session_close(sv.session);
	watch_close(w);
	if (sigfd >= 0)
		close(sigfd);
	reload_free(sv.rl);
	free(sv.base);
	free(sv.state_dir);
	free(sv.out);
	free(sv.db);
	pthread_mutex_destroy(&sv.lock);
	return s;
}

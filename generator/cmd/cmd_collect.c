/* cmd_collect.c: `phare collect`, the feedback collector service. */
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <pthread.h>

#include "cmd/cmd.h"
#include "feedback/collector.h"
#include "http/httpd.h"
#include "util/diag.h"
#include "util/opts.h"
#include "util/status.h"

static const char collect_usage[] =
	"collect --db FILE|postgresql://USER@HOST/DB --site OUTDIR [--listen ADDR:PORT]\n"
	"             [--allow-origin URL] [--max-per-minute N] [--trust-proxy ADDR]\n"
	"             [--sync normal|full] [--metrics-listen ADDR:PORT]\n\n"
	"Receives the answers to \"Was this article helpful?\" on POST /api/feedback (and\n"
	"the questionnaires' anonymous steps on POST /api/questionnaire) and\n"
	"stores them in an SQLite database or a PostgreSQL one (shared by several\n"
	"collectors; the password from PGPASSWORD or ~/.pgpass); 'phare feedback\n"
	"report' reads it.  GET /healthz, /readyz and /metrics are for operators.\n"
	"Stops cleanly on SIGTERM or SIGINT.";

/* "https://host[:port]" with nothing after. */
static bool collect_origin_ok(const char *o)
{
	const char *sep = strstr(o, "://");
	if (!sep || sep == o)
		return false;
	const char *host = sep + 3;
	size_t n = strlen(host);
	while (n && host[n - 1] == '/')
		n--;
	return n > 0 && !memchr(host, '/', n) && !strpbrk(o, " \t\r\n");
}

int cmd_collect(int argc, char **argv)
{
	const char *db = NULL, *site = NULL, *listen = "127.0.0.1:8090", *allow_origin = NULL;
	const char *trust_proxy = NULL, *sync = "full", *metrics_listen = NULL;
	long per_minute = 30, max_conn = 256, timeout = 15;
	const opt_spec specs[] = {
		{ "--db", "FILE|URI",
		  "the SQLite database of votes (created if missing), or postgresql://USER@HOST[:PORT]/DB", OPT_STRING,
		  &db },
		{ "--site", "OUTDIR", "the built site (reads OUTDIR/phare-manifest.tsv)", OPT_STRING, &site },
		{ "--listen", "ADDR:PORT", "where to listen (default 127.0.0.1:8090; port 0: any free one)", OPT_STRING,
		  &listen },
		{ "--allow-origin", "URL", "answer CORS requests from this origin (https://example.com)", OPT_STRING,
		  &allow_origin },
		{ "--max-per-minute", "N", "votes a minute per address (default 30; 0: no limit)", OPT_INT,
		  &per_minute },
		{ "--trust-proxy", "ADDR", "honour X-Forwarded-For from this proxy address only", OPT_STRING,
		  &trust_proxy },
		{ "--sync", "normal|full", "full (default): a vote survives a power loss once acknowledged", OPT_STRING,
		  &sync },
		{ "--metrics-listen", "ADDR:PORT",
		  "serve /metrics (and /healthz, /readyz) here only, off the public port", OPT_STRING,
		  &metrics_listen },
		{ "--max-connections", "N", "concurrent connections (default 256)", OPT_INT, &max_conn },
		{ "--timeout", "SECONDS",
		  "a request must arrive whole, and an idle connection is closed, within this (default 15)", OPT_INT,
		  &timeout },
		{ 0 }
	};
	char *pos[1];
	int npos;
	switch (opts_parse("collect", collect_usage, specs, argc, argv, pos, 0, &npos)) {
	case OPTS_HELP: return EXIT_OK;
	case OPTS_ERROR: return EXIT_USAGE;
	default: break;
	}
	const char *bad = NULL;
	if (!db || !site)
		bad = "--db and --site are required";
	else if (strcmp(sync, "normal") != 0 && strcmp(sync, "full") != 0)
		bad = "--sync takes 'normal' or 'full'";
	else if (per_minute < 0 || per_minute > 1000000)
		bad = "--max-per-minute takes a number from 0 to 1000000";
	else if (max_conn < 1 || max_conn > 100000)
		bad = "--max-connections takes a number from 1 to 100000";
	else if (timeout < 1 || timeout > 3600)
		bad = "--timeout takes a number of seconds from 1 to 3600";
	else if (allow_origin && !collect_origin_ok(allow_origin))
		bad = "--allow-origin takes an origin like https://example.com (no path)";
	if (!bad && trust_proxy) {
		unsigned char tmp[16];
		if (inet_pton(AF_INET, trust_proxy, tmp) != 1 && inet_pton(AF_INET6, trust_proxy, tmp) != 1)
			bad = "--trust-proxy takes a numeric address like 127.0.0.1";
	}
	if (bad)
		return diag_usage("collect", "%s", bad);
	if (httpd_load() != PHARE_OK)
		return EXIT_FAILED;
	if (strcmp(sync, "normal") == 0)
		diag_warning(NULL, 0, 0,
			     "--sync normal: an acknowledged vote can be lost if %s crashes; "
			     "leave the default (full) where every vote counts",
			     store_is_postgres(db) ? "the PostgreSQL server (synchronous_commit=off)"
						   : "the machine (SQLite synchronous=NORMAL)");

	/* Signals are taken by sigwait() below: block them before any thread
	 * starts so that every thread inherits the mask. */
	sigset_t stop_signals;
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Past a file-size limit, a write should fail (SQLite: disk full, 503)
	 * rather than kill the collector. */
	signal(SIGXFSZ, SIG_IGN);

	collector_config cfg = {
		.db_path = db,
		.site_dir = site,
		.allow_origin = allow_origin,
		.trust_proxy = trust_proxy,
		.max_per_minute = (unsigned)per_minute,
		.sync = strcmp(sync, "full") == 0 ? STORE_SYNC_FULL : STORE_SYNC_NORMAL,
		.metrics_elsewhere = metrics_listen != NULL,
	};
	collector *c = NULL;
	httpd *h = NULL, *ops = NULL;
	if (collector_open(&cfg, &c) != PHARE_OK)
		return EXIT_FAILED;
	httpd_config hc = {
		.listen = listen,
		.max_connections = (unsigned)max_conn,
		/* Room for 16 KiB of headers (refused with 431 beyond) plus the
		 * read buffer; larger headers make libmicrohttpd answer 431 itself. */
		.memory_limit = 64 * 1024,
		.timeout_s = (unsigned)timeout,
		.pool_threads = 0, /* a thread per connection: handlers wait for their commit */
		.handler = collector_route,
		.ctx = c,
	};
	httpd_config oc = hc;
	oc.listen = metrics_listen;
	oc.max_connections = 16;
	oc.handler = collector_route_ops;
	if (httpd_start(&hc, &h) != PHARE_OK || (metrics_listen && httpd_start(&oc, &ops) != PHARE_OK)) {
		httpd_stop(h);
		collector_close(c);
		return EXIT_FAILED;
	}
	if (!httpd_is_loopback(h))
		diag_warning(NULL, 0, 0, "listening on '%s', reachable from other machines; "
			     "put it behind a reverse proxy with TLS (and --trust-proxy)", listen);
	char shown[80];
	snprintf(shown, sizeof(shown), "%.*s:%u", (int)(strrchr(listen, ':') - listen), listen,
		 httpd_port(h));
	printf("phare collect: listening on http://%s/ (database %s, site %s)\n", shown, db, site);
	if (ops)
		printf("phare collect: metrics on http://%.*s:%u/metrics\n",
		       (int)(strrchr(metrics_listen, ':') - metrics_listen), metrics_listen, httpd_port(ops));
	fflush(stdout);

	int sig = 0;
	sigwait(&stop_signals, &sig);
	printf("phare collect: %s received, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	fflush(stdout);
	httpd_stop(ops);
	httpd_stop(h);
	collector_close(c);
	return EXIT_OK;
}

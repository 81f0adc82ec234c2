/* cmd_serve.c: `phare serve`: local preview with live reload. */
#include <stdio.h>

#include "cmd/cmd.h"
#include "http/httpd.h"
#include "server/serve.h"
#include "util/diag.h"
#include "util/opts.h"
#include "util/status.h"

static const char serve_usage[] =
	"serve [--source DIR] [--port 8080] [--bind 127.0.0.1] [--base-url URL] [--drafts]\n\n"
	"Builds the site into DIR/.phare/serve-site, serves it on http://127.0.0.1:8080/,\n"
	"rebuilds when a file under content/, templates/ or rules/ changes and reloads\n"
	"the open pages (or shows them the build's errors).  The feedback widget posts\n"
	"to a local collector (DIR/.phare/feedback.sqlite).  Ctrl-C stops it.";

int cmd_serve(int argc, char **argv)
{
	serve_options o = { .source = ".", .bind = "127.0.0.1", .port = 8080 };
	long port = 8080;
	bool drafts = false;
	const opt_spec specs[] = {
		{ "--source", "DIR", "folder holding content/ (default: .)", OPT_DIR, &o.source },
		{ "--port", "N", "port to listen on (default 8080; 0: any free one)", OPT_INT, &port },
		{ "--bind", "ADDR", "address to listen on (default 127.0.0.1: this machine only)", OPT_STRING,
		  &o.bind },
		{ "--base-url", "URL", "override base_url, e.g. /help/", OPT_STRING, &o.base_url },
		{ "--drafts", NULL, "show articles marked draft: true too", OPT_FLAG, &drafts },
		{ NULL, NULL, NULL, OPT_FLAG, NULL },
	};
	char *pos[1];
	int npos;
	switch (opts_parse("serve", serve_usage, specs, argc, argv, pos, 0, &npos)) {
	case OPTS_HELP: return EXIT_OK;
	case OPTS_ERROR: return EXIT_USAGE;
	default: break;
	}
	if (port < 0 || port > 65535)
		return diag_usage("serve", "--port takes a number from 0 to 65535, not %ld", port);
	if (httpd_load() != PHARE_OK)
		return EXIT_FAILED;
	o.port = (unsigned)port;
	o.drafts = drafts;
	phare_status s = serve_run(&o);
	return s == PHARE_OK ? EXIT_OK : s == PHARE_ERR_USAGE ? EXIT_USAGE : EXIT_FAILED;
}

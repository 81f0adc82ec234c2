/* serve.h: `phare serve`: build, serve, watch, rebuild, reload.
 *
 * The site is built (build_run, preview on: pages load the live-reload
 * script) into <source>/.phare/serve-site, a folder phare keeps to itself
 * (<source>/.phare/.gitignore ignores it), and served under the site's base
 * path by libmicrohttpd, a thread per connection:
 *   <base>...                   the built files (static_files.h)
 *   <base>_phare/reload.js      the live-reload script (reload.h)
 *   <base>_phare/events         Server-Sent Events: hello, reload, error
 *   /api/feedback               the feedback collector (collector.h), with
 *                               its database in <source>/.phare/feedback.sqlite;
 *                               pages are built to post there
 * content/, templates/ and rules/ are watched (watch.h); a change is
 * followed by a quiet time (SERVE_DEBOUNCE_MS), then a rebuild: of the one
 * page when only an article's text changed (build_session_update, the page
 * replaced with one rename), else of the whole site, written to a temporary
 * folder and swapped in only when it succeeds: requests always see one
 * complete site.  A good build makes open pages reload; a failed one leaves
 * the last good site served and sends its messages (captured from diag) to
 * open pages.
 *
 * SIGINT and SIGTERM stop the server cleanly (event streams ended, votes
 * written). */
#ifndef PHARE_SERVE_H
#define PHARE_SERVE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/status.h"

/* Quiet time after the last change before rebuilding, and the longest a
 * stream of changes can put a rebuild off. */
#define SERVE_DEBOUNCE_MS 50
#define SERVE_DEBOUNCE_MAX_MS 1000

/* Seconds after which idle connections are closed, and requests whose
 * headers and body have not all arrived are cut off (httpd.h's timeout_s,
 * the collector's default).  Above RELOAD_KEEPALIVE_S, so that an idle
 * event stream stays open. */
#define SERVE_TIMEOUT_S 15

typedef struct serve_options {
	const char *source;   /* folder holding content/ (default ".") */
	const char *bind;     /* numeric address (default "127.0.0.1") */
	unsigned port;        /* 0: any free port (shown in the ready line) */
	const char *base_url; /* --base-url, or NULL for site.yaml's */
	bool drafts;          /* build draft articles too */
} serve_options;

/* Runs until SIGINT or SIGTERM; PHARE_OK then.  Prints one line on stdout
 * once serving:
 *     serving SOURCE at http://ADDR:PORT/BASE/ (Ctrl-C to stop)
 * and a line per rebuild on stderr.  Errors that prevent serving (address
 * in use, no inotify) are reported and returned.  A site that does not
 * build is not one of them: its messages are served until it does. */
phare_status serve_run(const serve_options *opt) PHARE_MUST_USE;

/* The URL decoder given to libmicrohttpd: %HH sequences are decoded,
 * except that %00 and %2F (which would cut the path or add a segment)
 * become DEL, which static_files_path_ok() refuses.  Returns the new
 * length; s is shortened in place. */
size_t serve_unescape(char *s);

#endif

/* reload.h: live reload for `phare serve`: the script that preview pages
 * load from <base>_phare/reload.js, and the Server-Sent Events stream at
 * <base>_phare/events that tells them a build happened.
 *
 * The script lives here, in the binary, and not in templates/assets: a
 * published site must never carry it (pages only link to it when built
 * with build_options.preview).
 *
 * Events, one state shared by every open page (the latest wins: a page
 * that missed two builds hears of the last one only):
 *   hello   on connecting: {"built": ms since the epoch of the last good
 *           build}; a page loaded before that build reloads itself (it
 *           would otherwise miss a rebuild that finished while it loaded)
 *   reload  a build succeeded: the page reloads, keeping its scroll
 *           position (sessionStorage)
 *   error   a build failed: {"messages": "file:line:col: error: ...\n..."},
 *           shown as text in an overlay until a later good build reloads
 * A comment line is sent every few seconds so that idle streams stay open.
 *
 * Streams block their connection's thread (libmicrohttpd's thread per
 * connection); reload_close() wakes and ends them all before the server
 * stops. */
#ifndef PHARE_RELOAD_H
#define PHARE_RELOAD_H

#include <stdbool.h>
#include <microhttpd.h>

#include "util/buf.h"

typedef struct reload reload;

/* Seconds between keep-alive comments on an idle stream. */
#define RELOAD_KEEPALIVE_S 5

reload *reload_new(void);
/* Frees r; call after the server is stopped.  NULL is fine. */
void reload_free(reload *r);

/* A build succeeded: open pages reload. */
void reload_built(reload *r);
/* A build failed with messages (copied): open pages show them. */
void reload_failed(reload *r, const char *messages);
/* True once a build has succeeded. */
bool reload_has_site(reload *r);
/* Ends every stream and makes new ones end at once (server shutdown). */
void reload_close(reload *r);

/* GET <base>_phare/events: the event stream. */
enum MHD_Result reload_events(reload *r, struct MHD_Connection *conn, const char *method);
/* GET <base>_phare/reload.js: the script. */
enum MHD_Result reload_script(struct MHD_Connection *conn, const char *method);
/* The page answered (503) while no build has succeeded yet: the messages
 * of the last build and the script, so the page reloads once it builds. */
enum MHD_Result reload_error_page(reload *r, struct MHD_Connection *conn, const char *base);

/* One event in the text/event-stream format: "event: NAME" then one
 * "data: " line per line of data, then an empty line. */
void reload_format_event(buf *out, const char *event, const char *data);

#endif

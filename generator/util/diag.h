/* diag.h: every message phare prints about content goes through here.
 *
 * Format, one line each (as cc, sblg and Lua do):
 *     path:line:col: error: what is wrong; how to fix it
 * line and col are 1-based; 0 leaves them out (path: error: ...), and a
 * NULL path gives "phare: error: ...".  A message is printed once, where
 * the problem is found; callers only return a status (status.h).
 *
 * Thread-safe: pages are rendered by several threads.  Messages can also
 * be captured (phare serve shows the last build's errors in the browser). */
#ifndef PHARE_DIAG_H
#define PHARE_DIAG_H

#include <stdbool.h>
#include <stddef.h>

typedef enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } diag_level;

void diag_report(diag_level level, const char *path, int line, int col,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
#define diag_error(path, line, col, ...) diag_report(DIAG_ERROR, path, line, col, __VA_ARGS__)
#define diag_warning(path, line, col, ...) diag_report(DIAG_WARNING, path, line, col, __VA_ARGS__)
#define diag_note(path, line, col, ...) diag_report(DIAG_NOTE, path, line, col, __VA_ARGS__)

/* A wrong command line, every one printed the same way:
 *     phare COMMAND: error: what is wrong; see 'phare COMMAND --help'
 * COMMAND is the words typed ("build", "rules run"); NULL for phare itself,
 * whose message ends "; see 'phare help'".  The message says what is wrong
 * and, where it can, what would be right.  Returns EXIT_USAGE (status.h),
 * so that a command can `return diag_usage(...)`. */
int diag_usage(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Messages of one piece of work done on another thread, kept instead of
 * printed so that a build says what a serial one says, in its order:
 *     diag_held h = DIAG_HELD_INIT;
 *     diag_hold(&h);  ...the work, on any thread...  diag_hold(NULL);
 *     ...then, on the thread that prints, in order: diag_release(&h);
 * diag_hold(h) makes the calling thread's messages go to h (NULL: printed
 * again); diag_release prints and counts them as diag_report would have
 * (duplicates still once), then frees them. */
typedef struct diag_held {
	char *text; /* each message: its level's digit, then its line */
	size_t len, cap;
} diag_held;
#define DIAG_HELD_INIT                                                                                                 \
	{                                                                                                              \
		NULL, 0, 0                                                                                             \
	}
void diag_hold(diag_held *h);
void diag_release(diag_held *h);

size_t diag_errors(void);
size_t diag_warnings(void);
/* Forget counts and captured messages (start of a new build). */
void diag_reset(void);
/* Warnings count as errors (phare check --strict). */
void diag_set_strict(bool strict);
/* Print warnings and notes (default); off for --quiet, which prints only errors. */
void diag_set_warnings(bool show);
/* Print nothing to stderr (tests, and servers that capture). */
void diag_set_quiet(bool quiet);
/* Keep the text of every message; diag_captured() returns them, one per
 * line, in the order reported (NULL-terminated string owned by diag). */
void diag_set_capture(bool capture);
const char *diag_captured(void);

#endif

/* diag.c: the single place that formats and prints diagnostics. */
#include "diag.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "map.h"
#include "status.h"
#include "utf8.h"
#include "xalloc.h"

static pthread_mutex_t diag_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t n_errors, n_warnings;
static bool strict, quiet, capture, hide_warnings;
static buf captured = BUF_INIT;
/* Messages already printed: the same problem found again (the same template
 * failing on every page, say) is printed once. */
static map seen = MAP_INIT;
static char **seen_texts;
static size_t n_seen, cap_seen;

static const char *diag_level_name(diag_level level)
{
	switch (level) {
	case DIAG_ERROR: return "error";
	case DIAG_WARNING: return "warning";
	default: return "note";
	}
}

/* Bytes of s that are not printable UTF-8 as \\xNN: file names and texts
 * quoted in messages come from strangers, and a newline or an escape
 * sequence must not forge lines in a CI log or drive the terminal. */
static void diag_add_escaped(buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t at = i;
		long c = utf8_next(s, n, &i);
		if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) { /* invalid (-1), C0, DEL, C1 */
			buf_addf(out, "\\x%02x", (unsigned char)s[at]);
			i = at + 1;
			continue;
		}
		buf_add(out, s + at, i - at);
	}
}

static void diag_format(buf *out, diag_level level, const char *path, int line,
			int col, const char *fmt, va_list ap)
{
	buf raw = BUF_INIT;
	buf_adds(&raw, path ? path : "phare");
	diag_add_escaped(out, raw.ptr, raw.len);
	buf_reset(&raw);
	if (path && line > 0) {
		buf_addf(out, ":%d", line);
		if (col > 0)
			buf_addf(out, ":%d", col);
	}
	buf_addf(out, ": %s: ", diag_level_name(level));
	buf_vaddf(&raw, fmt, ap);
	diag_add_escaped(out, raw.ptr, raw.len);
	buf_release(&raw);
	buf_addc(out, '\n');
}

/* Where this thread's messages go instead of stderr (diag_hold), or NULL. */
static _Thread_local diag_held *holding;

/* Prints (once) and counts the formatted message msg[0..n), NUL-terminated. */
static void diag_emit(diag_level level, const char *msg, size_t n)
{
	pthread_mutex_lock(&diag_lock);
	if (map_get(&seen, msg)) {
		pthread_mutex_unlock(&diag_lock);
		return;
	}
	seen_texts = xgrow(seen_texts, &cap_seen, n_seen + 1, sizeof(char *));
	seen_texts[n_seen] = xstrdup(msg);
	map_put(&seen, seen_texts[n_seen++], seen_texts);
	if (level == DIAG_ERROR || (level == DIAG_WARNING && strict))
		n_errors++;
	else if (level == DIAG_WARNING)
		n_warnings++;
	if (!quiet && !(hide_warnings && level != DIAG_ERROR && !(level == DIAG_WARNING && strict))) {
		fwrite(msg, 1, n, stderr);
		fflush(stderr);
	}
	if (capture)
		buf_add(&captured, msg, n);
	pthread_mutex_unlock(&diag_lock);
}

void diag_report(diag_level level, const char *path, int line, int col, const char *fmt, ...)
{
	buf msg = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	diag_format(&msg, level, path, line, col, fmt, ap);
	va_end(ap);
	if (holding) {
		diag_held *h = holding;
		h->text = xgrow(h->text, &h->cap, h->len + msg.len + 2, 1);
		h->text[h->len++] = (char)('0' + level);
		memcpy(h->text + h->len, msg.ptr, msg.len); /* one line: diag_format escapes newlines */
		h->len += msg.len;
		h->text[h->len] = '\0';
	} else {
		diag_emit(level, msg.ptr, msg.len);
	}
	buf_release(&msg);
}

void diag_hold(diag_held *h) { holding = h; }

void diag_release(diag_held *h)
{
	for (size_t i = 0; i < h->len;) {
		diag_level level = (diag_level)(h->text[i++] - '0');
		char *nl = memchr(h->text + i, '\n', h->len - i);
		size_t end = nl ? (size_t)(nl - h->text) + 1 : h->len;
		char keep = h->text[end];
		h->text[end] = '\0';
		diag_emit(level, h->text + i, end - i);
		h->text[end] = keep;
		i = end;
	}
	free(h->text);
	*h = (diag_held)DIAG_HELD_INIT;
}

int diag_usage(const char *command, const char *fmt, ...)
{
	buf who = BUF_INIT, msg = BUF_INIT;
	buf_adds(&who, "phare");
	if (command)
		buf_addf(&who, " %s", command);
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	diag_report(DIAG_ERROR, who.ptr, 0, 0, "%s; see '%s%s'", msg.ptr, command ? who.ptr : "phare help",
		    command ? " --help" : "");
	buf_release(&who);
	buf_release(&msg);
	return EXIT_USAGE;
}

size_t diag_errors(void)
{
	pthread_mutex_lock(&diag_lock);
	size_t n = n_errors;
	pthread_mutex_unlock(&diag_lock);
	return n;
}

size_t diag_warnings(void)
{
	pthread_mutex_lock(&diag_lock);
	size_t n = n_warnings;
	pthread_mutex_unlock(&diag_lock);
	return n;
}

void diag_reset(void)
{
	pthread_mutex_lock(&diag_lock);
	n_errors = n_warnings = 0;
	buf_reset(&captured);
	map_release(&seen);
	for (size_t i = 0; i < n_seen; i++)
		free(seen_texts[i]);
	n_seen = 0;
	pthread_mutex_unlock(&diag_lock);
}

void diag_set_strict(bool on) { strict = on; }
void diag_set_quiet(bool on) { quiet = on; }
void diag_set_warnings(bool show) { hide_warnings = !show; }
void diag_set_capture(bool on) { capture = on; }
const char *diag_captured(void) { return captured.ptr; }

/* diag.c: the single place that formats and prints diagnostics. */
#include "diag.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "buf.h"
#include "map.h"
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

/* The length of the valid UTF-8 sequence at p (of n bytes), or 0. */
static size_t diag_utf8_len(const unsigned char *p, size_t n)
{
	size_t len = p[0] < 0x80 ? 1 : p[0] >= 0xC2 && p[0] < 0xE0 ? 2 : p[0] >= 0xE0 && p[0] < 0xF0 ? 3
		: p[0] >= 0xF0 && p[0] < 0xF5 ? 4 : 0;
	if (len == 0 || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	/* overlong 3- and 4-byte forms, surrogates, past U+10FFFF */
	if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] >= 0xA0) || (p[0] == 0xF0 && p[1] < 0x90) ||
	    (p[0] == 0xF4 && p[1] >= 0x90))
		return 0;
	return len;
}

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
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		size_t len = diag_utf8_len(p, (size_t)(end - p));
		if (len == 0 || (len == 1 && (*p < 0x20 || *p == 0x7F)) ||
		    (len == 2 && p[0] == 0xC2 && p[1] < 0xA0)) { /* C1 controls */
			buf_addf(out, "\\x%02x", *p);
			p++;
			continue;
		}
		buf_add(out, (const char *)p, len);
		p += len;
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

void diag_report(diag_level level, const char *path, int line, int col, const char *fmt, ...)
{
	buf msg = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	diag_format(&msg, level, path, line, col, fmt, ap);
	va_end(ap);

	pthread_mutex_lock(&diag_lock);
	if (map_get(&seen, msg.ptr)) {
		pthread_mutex_unlock(&diag_lock);
		buf_release(&msg);
		return;
	}
	seen_texts = xgrow(seen_texts, &cap_seen, n_seen + 1, sizeof(char *));
	seen_texts[n_seen] = xstrdup(msg.ptr);
	map_put(&seen, seen_texts[n_seen++], seen_texts);
	if (level == DIAG_ERROR || (level == DIAG_WARNING && strict))
		n_errors++;
	else if (level == DIAG_WARNING)
		n_warnings++;
	if (!quiet && !(hide_warnings && level != DIAG_ERROR && !(level == DIAG_WARNING && strict))) {
		fwrite(msg.ptr, 1, msg.len, stderr);
		fflush(stderr);
	}
	if (capture)
		buf_add(&captured, msg.ptr, msg.len);
	pthread_mutex_unlock(&diag_lock);
	buf_release(&msg);
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

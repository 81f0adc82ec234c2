/* buf.h: the one growable byte buffer used for all output.
 *
 * Invariants (as git's strbuf):
 *  - ptr is never NULL: a fresh buffer points at a shared empty string,
 *    so it can always be printed or compared;
 *  - ptr[len] == '\0' always, so ptr is a C string when the content has
 *    no NUL byte;
 *  - the buffer owns ptr; buf_detach() is the only way to take it over,
 *    buf_release() frees it and leaves an empty, reusable buffer.
 *
 * A buffer fed from outside (an HTTP body, say) can be given a size cap with
 * buf_set_limit(); appends beyond it are dropped and buf_over_limit() says so. */
#ifndef PHARE_BUF_H
#define PHARE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct buf {
	char *ptr;
	size_t len;
	size_t cap;   /* 0 while ptr is the shared empty string */
	size_t limit; /* 0: no limit */
	bool over;    /* an append was refused because of limit */
} buf;

extern char buf_empty[];
#define BUF_INIT { buf_empty, 0, 0, 0, false }

void buf_init(buf *b, size_t hint);
void buf_release(buf *b);
/* Returns the content (caller frees it) and leaves b empty. */
char *buf_detach(buf *b, size_t *len);
void buf_reset(buf *b);             /* len = 0, keeps the memory */
void buf_grow(buf *b, size_t extra); /* room for extra more bytes */
void buf_set_limit(buf *b, size_t limit);
static inline bool buf_over_limit(const buf *b) { return b->over; }
void buf_truncate(buf *b, size_t len);

void buf_add(buf *b, const void *data, size_t n);
void buf_adds(buf *b, const char *s);
void buf_addc(buf *b, char c);
void buf_addf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(buf *b, const char *fmt, va_list ap);

/* HTML escaping of text (& < > " ') for element content and attribute values. */
void buf_add_html(buf *b, const char *s, size_t n);
void buf_adds_html(buf *b, const char *s);
/* Percent-encoding for a URL path segment or query value (RFC 3986 unreserved kept). */
void buf_add_urlenc(buf *b, const char *s, size_t n);
/* A JSON string literal, quotes included; "</" is written "<\/" so the
 * result may sit inside a <script> element. */
void buf_add_json_str(buf *b, const char *s, size_t n);

bool buf_equals(const buf *b, const char *s);

#endif

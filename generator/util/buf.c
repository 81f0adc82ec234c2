/* buf.c: growable byte buffer (invariants in buf.h). */
#include "buf.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

char buf_empty[1];

void buf_init(buf *b, size_t hint)
{
	*b = (buf)BUF_INIT;
	if (hint)
		buf_grow(b, hint);
}

void buf_release(buf *b)
{
	if (b->cap)
		free(b->ptr);
	size_t limit = b->limit;
	*b = (buf)BUF_INIT;
	b->limit = limit;
}

char *buf_detach(buf *b, size_t *len)
{
	char *p = b->cap ? b->ptr : xcalloc(1, 1);
	if (len)
		*len = b->len;
	*b = (buf)BUF_INIT;
	return p;
}

void buf_reset(buf *b)
{
	b->len = 0;
	b->over = false;
	if (b->cap)
		b->ptr[0] = '\0';
}

void buf_truncate(buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->ptr[len] = '\0';
	}
}

#define BUF_FIRST_CAP 128

void buf_grow(buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	if (!b->cap) {
		b->ptr = NULL;
		/* most buffers hold a line or a page: starting at 8 bytes cost
		 * four reallocations (and copies) before the first line fits */
		if (need < BUF_FIRST_CAP)
			need = BUF_FIRST_CAP;
	}
	b->ptr = xgrow(b->ptr, &b->cap, need, 1);
	if (b->len == 0)
		b->ptr[0] = '\0';
}

void buf_set_limit(buf *b, size_t limit)
{
	b->limit = limit;
}

static bool buf_room(buf *b, size_t n)
{
	if (b->limit && (n > b->limit || b->len > b->limit - n)) {
		b->over = true;
		return false;
	}
	return true;
}

/* buf_add and buf_addc are called per character by the search indexer and
 * the renderers: the common case (room left, no limit) takes no call. */
void buf_add(buf *b, const void *data, size_t n)
{
	if (b->limit || b->len + n >= b->cap) {
		if (!n || !buf_room(b, n))
			return;
		buf_grow(b, n);
	}
	memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

void buf_adds(buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addc(buf *b, char c)
{
	if (b->limit || b->len + 1 >= b->cap) {
		if (!buf_room(b, 1))
			return;
		buf_grow(b, 1);
	}
	b->ptr[b->len++] = c;
	b->ptr[b->len] = '\0';
}

/* Formats straight into the spare room when it is large enough (one pass,
 * the usual case); otherwise measures, grows and formats again. */
void buf_vaddf(buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	size_t room = b->cap > b->len ? b->cap - b->len : 0; /* counting the NUL */
	int n = room ? vsnprintf(b->ptr + b->len, room, fmt, cp) : vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n <= 0 || !buf_room(b, (size_t)n)) {
		if (b->cap)
			b->ptr[b->len] = '\0'; /* undo a partial write */
		return;
	}
	if ((size_t)n < room) {
		b->len += (size_t)n;
		return;
	}
	buf_grow(b, (size_t)n);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_addf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

/* The entity of an HTML special character c, or NULL. */
static const char *buf_html_entity(char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	default: return NULL;
	}
}

/* The first special character of s[i..n) from i, or n.  Sixteen bytes at a
 * time: titles, code and every template value pass through here. */
static size_t buf_html_next(const char *s, size_t i, size_t n)
{
#if defined(__SSE2__)
	for (; n - i >= 16; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('&')),
							_mm_cmpeq_epi8(v, _mm_set1_epi8('<'))),
					   _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('>')),
								     _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
							_mm_cmpeq_epi8(v, _mm_set1_epi8('\''))));
		unsigned m = (unsigned)_mm_movemask_epi8(hit);
		if (m)
			return i + (size_t)__builtin_ctz(m);
	}
#endif
	while (i < n && !buf_html_entity(s[i]))
		i++;
	return i;
}

void buf_add_html(buf *b, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i; (i = buf_html_next(s, start, n)) < n; start = i + 1) {
		buf_add(b, s + start, i - start);
		buf_adds(b, buf_html_entity(s[i]));
	}
	buf_add(b, s + start, n - start);
}

void buf_adds_html(buf *b, const char *s)
{
	buf_add_html(b, s, strlen(s));
}

void buf_add_urlenc(buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
			buf_addc(b, (char)c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			buf_add(b, e, 3);
		}
	}
}

void buf_add_json_str(buf *b, const char *s, size_t n)
{
	buf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		size_t run = i;
		while (run < n && (unsigned char)s[run] >= 0x20 && s[run] != '"' && s[run] != '\\' && s[run] != '/')
			run++;
		if (run > i) { /* a run of characters that need no escape, in one copy */
			buf_add(b, s + i, run - i);
			i = run - 1;
			continue;
		}
		switch (c) {
		case '"': buf_adds(b, "\\\""); break;
		case '\\': buf_adds(b, "\\\\"); break;
		case '\n': buf_adds(b, "\\n"); break;
		case '\r': buf_adds(b, "\\r"); break;
		case '\t': buf_adds(b, "\\t"); break;
		case '/':
			buf_adds(b, i > 0 && s[i - 1] == '<' ? "\\/" : "/");
			break;
		default:
			if (c < 0x20)
				buf_addf(b, "\\u%04x", c);
			else
				buf_addc(b, (char)c);
		}
	}
	buf_addc(b, '"');
}

bool buf_equals(const buf *b, const char *s)
{
	size_t n = strlen(s);
	return b->len == n && memcmp(b->ptr, s, n) == 0;
}

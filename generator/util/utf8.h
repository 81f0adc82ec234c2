/* utf8.h: decoding, encoding and checking UTF-8 (RFC 3629): the one
 * decoder of phare, strict, so that the feedback form, the search words
 * and the heading ids agree on what a character is.
 *
 * Invalid: a stray continuation byte, a lead byte C0, C1 or F5..FF, a
 * sequence cut short, an overlong form (E0 80 AF for '/'), a surrogate
 * (U+D800..U+DFFF, ED A0..BF xx) and anything above U+10FFFF. */
#ifndef PHARE_UTF8_H
#define PHARE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/* The code point at s[*i] (s has n bytes, *i < n); moves *i past it.  For
 * an invalid sequence returns -1 and moves *i one byte on, so a caller
 * that goes on resynchronises at the next byte.  Inline: the search index
 * calls it for every non-ASCII character of every page. */
static inline long utf8_next(const char *s, size_t n, size_t *i)
{
	const unsigned char *u = (const unsigned char *)s + *i;
	size_t left = n - *i, len;
	long cp, min;
	if (u[0] < 0x80) {
		(*i)++;
		return u[0];
	}
	if (u[0] >= 0xC2 && u[0] <= 0xDF)
		len = 2, cp = u[0] & 0x1F, min = 0x80;
	else if (u[0] >= 0xE0 && u[0] <= 0xEF)
		len = 3, cp = u[0] & 0x0F, min = 0x800;
	else if (u[0] >= 0xF0 && u[0] <= 0xF4)
		len = 4, cp = u[0] & 0x07, min = 0x10000;
	else
		goto bad;
	if (left < len)
		goto bad;
	for (size_t k = 1; k < len; k++) {
		if ((u[k] & 0xC0) != 0x80)
			goto bad;
		cp = (cp << 6) | (u[k] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		goto bad;
	*i += len;
	return cp;
bad:
	(*i)++;
	return -1;
}

/* Writes cp (0..0x10FFFF, not a surrogate) as UTF-8 into b; returns its
 * length, 1 to 4. */
size_t utf8_encode(long cp, char b[4]);
/* Appends cp as UTF-8 to out. */
void utf8_put(buf *out, long cp);

/* True when s[0..n) is valid UTF-8; *chars (when not NULL) is then set to
 * its number of code points. */
bool utf8_valid(const char *s, size_t n, size_t *chars);
/* The code points of s[0..n), if it is valid (else its bytes that are not
 * continuation bytes): a count without checking. */
size_t utf8_count(const char *s, size_t n);

#endif

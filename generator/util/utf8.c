/* utf8.c: encoding and whole-string checks; the decoder, utf8_next, is
 * inline in utf8.h. */
#include "utf8.h"

size_t utf8_encode(long cp, char b[4])
{
	if (cp < 0x80) {
		b[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	b[0] = (char)(0xF0 | (cp >> 18));
	b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	b[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

void utf8_put(buf *out, long cp)
{
	char b[4];
	buf_add(out, b, utf8_encode(cp, b));
}

bool utf8_valid(const char *s, size_t n, size_t *chars)
{
	size_t count = 0;
	for (size_t i = 0; i < n; count++)
		if (utf8_next(s, n, &i) < 0)
			return false;
	if (chars)
		*chars = count;
	return true;
}

size_t utf8_count(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}

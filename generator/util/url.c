/* url.c: percent-decoding, in place or into another buffer. */
#include "url.h"

int url_hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool url_decode(char *dst, const char *s, size_t n, url_mode mode, size_t *len)
{
	size_t w = 0;
	bool ok = true;
	for (size_t i = 0; i < n; i++) {
		int hi = -1, lo = -1;
		if (s[i] == '%' && i + 2 < n) {
			hi = url_hex_value(s[i + 1]);
			lo = hi >= 0 ? url_hex_value(s[i + 2]) : -1;
		}
		if (s[i] == '+' && mode == URL_FORM) {
			dst[w++] = ' ';
		} else if (s[i] != '%') {
			dst[w++] = s[i];
		} else if (lo >= 0) {
			int c = hi * 16 + lo;
			if (mode == URL_PATH && (c == 0 || c == '/'))
				c = 0x7f;
			dst[w++] = (char)c;
			i += 2;
		} else if (mode == URL_FORM) {
			ok = false;
			break;
		} else {
			dst[w++] = '%';
		}
	}
	dst[w] = '\0';
	*len = w;
	return ok;
}

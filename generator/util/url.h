/* url.h: percent-decoding (RFC 3986 section 2.1), for request paths and
 * form bodies.  Encoding is buf_add_url (util/buf.h). */
#ifndef PHARE_URL_H
#define PHARE_URL_H

#include <stdbool.h>
#include <stddef.h>

typedef enum url_mode {
	/* A request path, decoded before it is mapped to a file: a '%' without
	 * two hex digits stays as it is, and %00 and %2F decode to 0x7F, a byte
	 * no path accepts, so a decoded path can neither end early nor gain a
	 * folder separator (static_files_path_ok refuses it). */
	URL_PATH,
	/* A name or value of application/x-www-form-urlencoded: '+' is a space,
	 * a '%' without two hex digits is an error, %00 is a NUL byte (the
	 * form's validators refuse control bytes). */
	URL_FORM,
} url_mode;

/* The value of hex digit c (either case), or -1. */
int url_hex_value(char c);

/* Decodes s[0..n) into dst, which has room for n + 1 bytes and may be s
 * itself (decoding never lengthens), NUL-terminates it and sets *len to the
 * decoded length (a %00 may put a NUL before it).  False only for a bad
 * escape in URL_FORM mode (dst then holds a part of the result). */
bool url_decode(char *dst, const char *s, size_t n, url_mode mode, size_t *len);

#endif

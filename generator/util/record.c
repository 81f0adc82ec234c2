/* record.c: see record.h. */
#include "util/record.h"

#include <string.h>

void record_put_u64(buf *o, uint64_t v) { buf_add(o, &v, sizeof v); }

void record_put_bytes(buf *o, const void *s, size_t n)
{
	record_put_u64(o, n);
	buf_add(o, s, n);
}

uint64_t record_get_u64(record_reader *r)
{
	uint64_t v = 0;
	if (r->bad || (size_t)(r->end - r->p) < sizeof v) {
		r->bad = true;
		return 0;
	}
	memcpy(&v, r->p, sizeof v);
	r->p += sizeof v;
	return v;
}

const void *record_take(record_reader *r, uint64_t n)
{
	if (r->bad || n > (uint64_t)(r->end - r->p)) {
		r->bad = true;
		return NULL;
	}
	const unsigned char *s = r->p;
	r->p += n;
	return s;
}

/* The next len bytes, taken: "" (*n 0) when fewer are left (r is then bad). */
static const char *record_take_bytes(record_reader *r, uint64_t len, size_t *n)
{
	const char *s = record_take(r, len);
	*n = s ? (size_t)len : 0;
	return s ? s : "";
}

const char *record_get_bytes(record_reader *r, size_t *n) { return record_take_bytes(r, record_get_u64(r), n); }

void record_put_varint(buf *o, uint64_t v)
{
	unsigned char t[10];
	size_t n = 0;
	for (; v >= 0x80; v >>= 7)
		t[n++] = (unsigned char)(v | 0x80);
	t[n++] = (unsigned char)v;
	buf_add(o, t, n);
}

uint64_t record_get_varint(record_reader *r)
{
	uint64_t x = 0;
	for (unsigned shift = 0; !r->bad && r->p < r->end && shift < 64; shift += 7) {
		unsigned char c = *r->p++;
		x |= (uint64_t)(c & 0x7F) << shift;
		if (!(c & 0x80))
			return x;
	}
	r->bad = true;
	return 0;
}

const char *record_get_vbytes(record_reader *r, size_t *n) { return record_take_bytes(r, record_get_varint(r), n); }

void record_put_after(buf *o, const char *last, const char *s)
{
	size_t k = 0;
	while (last[k] && last[k] == s[k])
		k++;
	size_t rest = strlen(s + k);
	record_put_varint(o, k);
	record_put_varint(o, rest);
	buf_add(o, s + k, rest);
}

bool record_get_after(record_reader *r, char *name, size_t cap, size_t *len)
{
	uint64_t shared = record_get_varint(r);
	size_t rest;
	const char *tail = record_get_vbytes(r, &rest);
	if (r->bad || shared > *len || rest > cap - (size_t)shared) {
		r->bad = true;
		return false;
	}
	memcpy(name + shared, tail, rest);
	*len = (size_t)shared + rest;
	return true;
}

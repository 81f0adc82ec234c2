/* record.h: the byte records the build cache keeps between two builds
 * (build/cache.c: its index and page records; content/article.c: an
 * article's parse): 64-bit integers in the machine's order and
 * length-prefixed bytes, read back with every length checked against what
 * is left, so that a record cut short or damaged reads as bad, never past
 * its end.  A record is only read on the machine that wrote it (the cache
 * is signed with that machine's key). */
#ifndef PHARE_RECORD_H
#define PHARE_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

void record_put_u64(buf *o, uint64_t v);
/* n, then the n bytes of s. */
void record_put_bytes(buf *o, const void *s, size_t n);

typedef struct record_reader {
	const unsigned char *p, *end;
	bool bad; /* set by the first read past the end; every read after it gives 0 or "" */
} record_reader;

uint64_t record_get_u64(record_reader *r);
/* The same as varints (7 bits a byte, low first: the search records and
 * words, search/, where most numbers are small), and bytes after a varint
 * length (not NUL-terminated: *n of them; "" and *n = 0 when bad). */
void record_put_varint(buf *o, uint64_t v);
uint64_t record_get_varint(record_reader *r);
const char *record_get_vbytes(record_reader *r, size_t *n);
/* The next n bytes of the record, or NULL (and bad) when fewer are left. */
const void *record_take(record_reader *r, uint64_t n);
/* Bytes put by record_put_bytes, in the record (not NUL-terminated: *n of
 * them); "" and *n = 0 when bad. */
const char *record_get_bytes(record_reader *r, size_t *n);

#endif

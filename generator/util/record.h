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
/* A string front-coded against the one put before it (last: "" for the
 * first): how many bytes of last it starts with, then the rest (varints;
 * names in byte order share most of theirs: a third of the bytes). */
void record_put_after(buf *o, const char *last, const char *s);
/* The string put after the one in name (*len bytes of it; name holds cap
 * bytes, no NUL is added): put there, its length in *len; false (and bad)
 * when it would not fit. */
bool record_get_after(record_reader *r, char *name, size_t cap, size_t *len);
/* The next n bytes of the record, or NULL (and bad) when fewer are left. */
const void *record_take(record_reader *r, uint64_t n);
/* Bytes put by record_put_bytes, in the record (not NUL-terminated: *n of
 * them); "" and *n = 0 when bad. */
const char *record_get_bytes(record_reader *r, size_t *n);

#endif

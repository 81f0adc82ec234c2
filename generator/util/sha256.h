/* sha256.h: SHA-256 and HMAC-SHA-256 (FIPS 180-4, RFC 2104), used to store a
 * salted hash of a voter's address instead of the address itself, and to
 * authenticate the build cache's index (build/cache_key.c). */
#ifndef PHARE_SHA256_H
#define PHARE_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sha256_ctx {
	uint32_t h[8];
	uint64_t bits;
	unsigned char block[64];
	size_t used;
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t n);
void sha256_final(sha256_ctx *c, unsigned char out[32]);
void sha256(const void *data, size_t n, unsigned char out[32]);
void hmac_sha256(const void *key, size_t klen, const void *msg, size_t mlen, unsigned char out[32]);
/* Whether the processor's SHA instructions may be used when it has them
 * (the default); false: the portable code only (tests compare the two). */
void sha256_use_accel(bool on);
/* Lowercase hex of n bytes into out (room for 2n+1). */
void sha256_hex(const unsigned char *in, size_t n, char *out);

#endif

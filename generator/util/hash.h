/* hash.h: FNV-1a, 64 bits: the one non-cryptographic hash of phare (hash
 * tables, the article revision, the asset file names).  Not for anything an
 * attacker may choose to collide on purpose where that matters: the
 * feedback store salts addresses with HMAC-SHA-256 instead (store.h).
 *
 * The article revision and the asset names are published (pages, the
 * feedback database, URLs): hash_fnv1a must keep giving the same values,
 * which tests/unit/test_hash.c pins. */
#ifndef PHARE_HASH_H
#define PHARE_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_FNV1A_SEED UINT64_C(14695981039346656037) /* 0xcbf29ce484222325 */
#define HASH_FNV1A_PRIME UINT64_C(1099511628211)       /* 0x100000001b3 */

/* One byte more into h (start from HASH_FNV1A_SEED): for loops that hash a
 * word while they scan it (search/index.c). */
static inline uint64_t hash_fnv1a_step(uint64_t h, unsigned char c) { return (h ^ c) * HASH_FNV1A_PRIME; }

/* The hash of data[0..n). */
uint64_t hash_fnv1a(const void *data, size_t n);
/* The hash of the NUL-terminated s, and its length in *n, in one pass. */
uint64_t hash_fnv1a_str(const char *s, size_t *n);
/* hash_fnv1a(data, n) as 16 lowercase hex digits and a NUL. */
void hash_fnv1a_hex(const void *data, size_t n, char out[17]);

#endif

/* fuzz.h: what every libFuzzer target of tests/fuzz/ shares.
 *
 * Each fuzz_<name>.c defines one static entry point, fuzz_<name>(data,
 * size), that feeds the bytes to phare's own functions the way phare does
 * (front matter + Markdown, Mustache, tables, rules, the feedback form,
 * YAML) and checks what must always hold.  Built by scripts/fuzz with
 * clang -fsanitize=fuzzer,address,undefined, each file also defines
 * LLVMFuzzerTestOneInput.  tests/unit/test_fuzz_regressions.c #includes the
 * same files with FUZZ_REPLAY defined, and feeds them every reproducer under
 * tests/fuzz/<name>/regressions/, so `make unit` replays the crashes found
 * without clang.  A broken invariant aborts (a crash for libFuzzer, a failed
 * test for cmocka). */
#ifndef PHARE_FUZZ_H
#define PHARE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"

/* libFuzzer's entry point (a prototype, for -Wmissing-prototypes). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stops with a message when an invariant is broken. */
#define FUZZ_ASSERT(cond)                                                              \
	do {                                                                           \
		if (!(cond)) {                                                         \
			fprintf(stderr, "%s:%d: fuzz invariant broken: %s\n", __FILE__, \
				__LINE__, #cond);                                      \
			abort();                                                       \
		}                                                                      \
	} while (0)

/* Messages about the (random) content are expected: keep stderr for crashes. */
static inline void fuzz_quiet(void)
{
	diag_set_quiet(true);
	diag_set_warnings(false);
	diag_reset();
}

/* Case-insensitive search of needle in the first n bytes of hay. */
static inline const char *fuzz_find_nocase(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++) {
		size_t j = 0;
		while (j < k) {
			char c = hay[i + j];
			if (c >= 'A' && c <= 'Z')
				c = (char)(c + 32);
			if (c != needle[j])
				break;
			j++;
		}
		if (j == k)
			return hay + i;
	}
	return NULL;
}

#ifdef FUZZ_REPLAY
#define FUZZ_TARGET(fn)
#else
#define FUZZ_TARGET(fn)                                                   \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)     \
	{                                                                 \
		fn((const char *)data, size);                            \
		return 0;                                                 \
	}
#endif

#endif

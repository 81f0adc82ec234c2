/* fold.c: lookups in the generated folding table (sorted by code point). */
#include "fold.h"

#include <stddef.h>

#include "util/fold_table.h"

static const struct fold_row *fold_find(long cp)
{
	size_t lo = 0, hi = sizeof fold_rows / sizeof fold_rows[0];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if ((long)fold_rows[mid].cp == cp)
			return &fold_rows[mid];
		if ((long)fold_rows[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *fold_cp(long cp)
{
	const struct fold_row *r = cp >= 0xC0 ? fold_find(cp) : NULL;
	return r ? r->fold : NULL;
}

long fold_lower(long cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + ('a' - 'A');
	const struct fold_row *r = cp >= 0xC0 ? fold_find(cp) : NULL;
	return r ? (long)r->lower : cp;
}

bool fold_is_mark(long cp) { return cp >= 0x300 && cp <= 0x36F; }

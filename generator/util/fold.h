/* fold.h: case and accent folding, code point by code point, exactly as
 * search.js folds a reader's query in the browser (the table is generated
 * from the same rules: fold_table.py).  The search index folds words with
 * it and the heading ids are made with it, so "## Ångström" is found as
 * "angstrom" and anchored as #angstrom.
 *
 * Folding: lowercase, accents removed (NFD minus U+0300..U+036F), and
 * ß -> ss, æ -> ae, œ -> oe, ø -> o, þ -> th and the like, for the Latin,
 * Greek and Cyrillic blocks.  Other code points fold to themselves. */
#ifndef PHARE_FOLD_H
#define PHARE_FOLD_H

#include <stdbool.h>

/* The folded text of cp (UTF-8, static), or NULL when cp folds to itself.
 * ASCII is the caller's fast path: NULL for every cp below U+00C0. */
const char *fold_cp(long cp);
/* The lowercase of cp, accents kept (ASCII included). */
long fold_lower(long cp);
/* True for a combining mark (U+0300..U+036F): folding drops it. */
bool fold_is_mark(long cp);

#endif

/* alias.h: what an old path listed in aliases: may be, one rule for the
 * build (build/aliases.c), which serves it, and for import, which writes
 * it.  An alias is a plain site path ("/fr/ancien/chemin/" or, at the
 * root, "/guides/old/"): folders of letters, digits, '-', '_' and '.' (not
 * first); a root alias keeps clear of what the build writes there (assets/,
 * the languages' folders, names with a '.'); a language's home is not an
 * alias. */
#ifndef PHARE_ALIAS_H
#define PHARE_ALIAS_H

#include <stddef.h>

/* Why alias (which starts with '/') cannot be served, in a phrase that
 * says how to fix it, or NULL when it can.  langs holds the site's n
 * language codes. */
const char *alias_problem(const char *alias, const char *const *langs, size_t n);

#endif

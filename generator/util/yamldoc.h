/* yamldoc.h: YAML text in, a value tree (value.h) out, with every node's
 * line and column, for site.yaml, front matter, tables and i18n strings.
 *
 * YAML is untrusted input (a pull request can carry it) and libyaml 0.2.5
 * bounds nothing, so the loader does: nesting depth, node count, and the
 * nodes that aliases expand to (an alias "billion laughs" is an error, not
 * an exhausted machine).  Scalars resolve as YAML 1.2's core schema: only
 * plain true/false, null/~/empty and numbers are typed, so `no` stays the
 * string "no" (a language code).  Duplicate keys are errors.  Errors are
 * reported through diag as path:line:col. */
#ifndef PHARE_YAMLDOC_H
#define PHARE_YAMLDOC_H

#include <stddef.h>

#include "arena.h"
#include "status.h"
#include "value.h"

#define YAMLDOC_MAX_DEPTH 64
#define YAMLDOC_MAX_NODES 1000000

/* Parses text (len bytes, need not be NUL-terminated).  first_line is the
 * line of the file on which text starts (1 for a whole file; more for front
 * matter) so that messages name the author's line.  On success *out is the
 * document's root (VAL_NULL for an empty document), allocated in a. */
phare_status yamldoc_parse(arena *a, const char *path, const char *text, size_t len,
			   int first_line, value **out) PHARE_MUST_USE;

/* Types the plain scalar v (a VAL_STRING) as the core schema says: null,
 * true/false, or a number; any other text stays a string.  The front-matter
 * reader (content/frontmatter.c) resolves its scalars with it too. */
void yamldoc_resolve_plain(value *v);

#endif

/* frontmatter.h: the front matter nearly every article has — `key: value`
 * lines — read without libyaml.
 *
 * libyaml spent ~47,000 instructions on a five-line front matter (a parser
 * set up and torn down, every character decoded, an event allocated per
 * node): most of loading 20,000 articles.  frontmatter_read accepts a strict
 * subset of YAML and builds the very tree yamldoc_parse builds from it (same
 * kinds, texts, numbers, lines and columns); on anything else it declines and
 * the caller hands the text to yamldoc_parse, which reads all of YAML and
 * reports the errors.  It reports nothing itself, so it runs on any thread.
 *
 * The subset: LF-separated lines of valid UTF-8, all in the range libyaml
 * reads without a word (no tab, CR, control character, byte-order mark or
 * Unicode line separator), each one of
 *   (empty)
 *   # a comment
 *   key: VALUE            key: [A-Za-z_][A-Za-z0-9_-]*, unique, at column 1
 *   key: VALUE  # a comment
 * where VALUE is, on that line,
 *   a plain scalar        not starting with an indicator, without ': '
 *   "text" or 'text'      without backslash, quote doubling or line break
 *   [ITEM, ITEM, …]       ITEM a quoted scalar or a plain one without
 *                         , [ ] { } # : and not starting with an indicator.
 * Declined: indented lines, block lists, multi-line and empty values,
 * anchors, aliases, tags, flow mappings, duplicate keys. */
#ifndef PHARE_FRONTMATTER_H
#define PHARE_FRONTMATTER_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/value.h"

/* text: len bytes (need not be NUL-terminated) starting on line first_line of
 * the file.  True: *out is the tree yamldoc_parse would have made, in a.
 * False: not in the subset; *out is untouched (a may hold some garbage). */
bool frontmatter_read(arena *a, const char *text, size_t len, int first_line, value **out);

#endif

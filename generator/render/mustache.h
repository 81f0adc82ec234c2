/* mustache.h: the Mustache template engine, compiled once and rendered many
 * times (the shape of lowdown's template.c).
 *
 * A mustache_set holds the named templates of a theme ("page",
 * "partials/header", ...).  mustache_set_add() parses a template's source
 * once into a flat list of nodes; mustache_render() only walks that list, so
 * rendering 20,000 pages parses nothing.
 *
 * The language is the Mustache specification's core (interpolation, sections,
 * inverted sections, comments, partials, set delimiters) and passes every test
 * of its comments, delimiters, interpolation, inverted, partials and sections
 * files byte for byte, and those of the optional ~dynamic-names file:
 *   {{name}}            the value HTML-escaped (& < > " ' as buf_add_html)
 *   {{{name}}} {{&name}} the value as is
 *   {{a.b.c}}           dotted names: `a` is looked up the context stack,
 *                       then b and c are looked up inside it only
 *   {{.}}               the current context (implicit iterator)
 *   {{#name}}..{{/name}} a list renders once per item (the item pushed);
 *                       a map is pushed and renders once; another truthy
 *                       value is pushed and renders once; a falsy one
 *                       (value_truthy: null, false, [], "") renders nothing
 *   {{^name}}..{{/name}} renders once when the value is falsy or missing
 *   {{! comment }}      nothing
 *   {{> name}}          the template `name` of the set, rendered in the current
 *                       context; on a line of its own, its indentation is put
 *                       before every line of the partial
 *   {{>*name}}          a dynamic partial: the template named by the string
 *                       value of `name` (the optional ~dynamic-names spec)
 *   {{=<% %>=}}         changes the delimiters for the rest of this template
 * Tags alone on their line (sections, comments, partials, delimiter changes)
 * take their whole line away, as the specification asks.
 * Numbers, booleans and strings print as their value->str; null, lists and
 * maps print nothing.
 *
 * Errors: syntax errors are reported by mustache_set_add() through diag as
 * path:line:col (columns count UTF-8 characters).  Rendering fails only when
 * partials nest deeper than MUSTACHE_MAX_PARTIAL_DEPTH (a partial including
 * itself), reported at the innermost {{> tag}}.
 *
 * Threads: building a set (add, check) is single-threaded; once built, any
 * number of threads may call mustache_render() on it at once: rendering reads
 * the set and never changes it. */
#ifndef PHARE_MUSTACHE_H
#define PHARE_MUSTACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/status.h"
#include "util/value.h"

/* How deep {{> partials}} may nest while rendering. */
#define MUSTACHE_MAX_PARTIAL_DEPTH 64
/* How deep {{#sections}} may nest inside one template. */
#define MUSTACHE_MAX_SECTION_DEPTH 100

typedef struct mustache_set mustache_set;

/* A new, empty set; free it with mustache_set_free(). */
mustache_set *mustache_set_new(void);

/* Compiles src (len bytes, need not be NUL-terminated; copied) under name,
 * the name partials use ("page", "partials/header").  path names the file in
 * messages.  A template added under a name already in the set replaces it
 * (a site's own templates override the embedded theme's).
 * Syntax errors (an unclosed tag, a section never closed or closed by the
 * wrong name, a close with no open section, an empty or malformed name, a bad
 * delimiter change, sections nested too deep) are reported as
 * path:line:col: error: ... and return PHARE_ERR_INPUT; the set is unchanged. */
phare_status mustache_set_add(mustache_set *s, const char *name, const char *path,
			      const char *src, size_t len) PHARE_MUST_USE;

/* Checks that every {{> partial}} named by a template of the set exists in it
 * (dynamic {{>*name}} partials are named by data, so only rendering knows),
 * reporting each missing one at its tag's path:line:col (templates in the order
 * added).  PHARE_ERR_INPUT when any is missing.  (The specification renders a
 * missing partial as nothing; phare calls this after loading a theme so that a
 * misspelt partial is an error rather than a silently empty page part.) */
phare_status mustache_set_check(const mustache_set *s) PHARE_MUST_USE;

/* Whether the set has a template called name. */
bool mustache_set_has(const mustache_set *s, const char *name);

/* Renders template `name` with data (NULL: an empty context) and appends the
 * result to out.  A missing partial renders as nothing.  Errors: no template
 * `name` (PHARE_ERR_INPUT), partials nested deeper than
 * MUSTACHE_MAX_PARTIAL_DEPTH (PHARE_ERR_LIMIT, reported at the partial tag);
 * out then holds a partial result.  Thread-safe on a built set. */
phare_status mustache_render(const mustache_set *s, const char *name, const value *data,
			     buf *out) PHARE_MUST_USE;

/* Frees the set and every template in it; NULL is fine. */
void mustache_set_free(mustache_set *s);

#endif

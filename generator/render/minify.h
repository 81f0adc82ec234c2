/* minify.h: the theme's CSS and JavaScript made smaller as a site is built
 * (build/output.c output_assets), the embedded theme and authors' overrides
 * alike, so that an article page with its assets stays light
 * (tests/browser/suites/weight.mjs).  The sources keep their comments.
 *
 * CSS: comments removed, white space collapsed, dropped around { } ; , > ~
 * and after : and (, before ) and !, the ; before } dropped.  Kept: strings,
 * url(...) and escapes verbatim, the space before : (a descendant
 * combinator: "a :hover" is not "a:hover"), the spaces around + - * /
 * (calc() needs them).
 *
 * JavaScript: Douglas Crockford's JSMin: comments removed, white space
 * reduced to what separates tokens, a newline kept where automatic
 * semicolon insertion may need it (after } ] ) + - a quote or a word, before
 * { [ ( + - ! ~ a quote or a word).  Strings, template literals and regular
 * expressions are copied verbatim; a / starts a regular expression after
 * ( , = : [ ! & | ? { } ; + - * % < > ~ ^, after a keyword such as return or
 * typeof, or at the start.  Beyond JSMin: "a + ++b", "a - -b", "a / /re/",
 * "/re/ in x" and "1 .x" keep their space.  As for JSMin, a regular
 * expression right after ")" (if (x) /re/.test(s)) is read as a division.
 *
 * Promises, each backed by tests/unit/test_minify.c:
 *  - bounded: one pass, linear time, never reads past in[n-1];
 *  - safe on any input: an unterminated string, comment, regular
 *    expression, template literal or url( leaves the whole input unchanged
 *    in out (a broken override is published as its author wrote it);
 *  - idempotent: minifying the output again gives the same bytes. */
#ifndef PHARE_MINIFY_H
#define PHARE_MINIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/* Appends in[0..n) minified to out; false (and the input as is) if it was
 * unterminated somewhere. */
bool minify_css(const char *in, size_t n, buf *out);
bool minify_js(const char *in, size_t n, buf *out);

/* By name's extension (.css, .js): true if name is a kind minified. */
bool minify_wants(const char *name);
/* minify_css or minify_js by name's extension; other files appended as is. */
bool minify_asset(const char *name, const char *in, size_t n, buf *out);

#endif

/* form.h: the fields of a feedback vote, declared once with their
 * validators (kcgi style), and the parsers of the request body.
 *
 * Accepted fields (anything else is ignored):
 *   article   required  the article key "<section>/<slug>" (checked against the manifest later)
 *   lang      required  a language tag: 1-35 of [A-Za-z0-9-]
 *   vote      required  "yes" or "no"
 *   reason    optional  unclear|incomplete|inaccurate|not_found; may be given several
 *                       times (a form) or as an array (JSON); kept sorted, comma-joined
 *   comment   optional  at most 1000 characters of valid UTF-8, no control characters
 *                       but newline and tab (CRLF is read as a newline)
 *   revision  optional  1-64 of [A-Za-z0-9_-]; the article's current one when absent
 *   client    optional  1-64 of [A-Za-z0-9_-]: a random token kept by the browser
 * An empty value counts as absent.  A field other than reason given twice is an error. */
#ifndef PHARE_FORM_H
#define PHARE_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

typedef enum form_field {
	FORM_ARTICLE,
	FORM_LANG,
	FORM_VOTE,
	FORM_REASON,
	FORM_COMMENT,
	FORM_REVISION,
	FORM_CLIENT,
	FORM__MAX
} form_field;

#define FORM_COMMENT_MAX_CHARS 1000

typedef struct form {
	buf val[FORM__MAX]; /* the validated values; reason: sorted, comma-joined */
	bool present[FORM__MAX];
	unsigned reasons;    /* bit i: reason i of the reason list */
} form;

typedef enum form_type { FORM_TYPE_NONE, FORM_TYPE_URLENCODED, FORM_TYPE_JSON } form_type;

/* From a Content-Type header value (NULL: none).  A charset other than
 * UTF-8 is FORM_TYPE_NONE too (415). */
form_type form_content_type(const char *content_type);

void form_init(form *f);
void form_release(form *f);
/* Parses and validates body.  false: err holds a message for the client
 * (which field, what is wrong), to be answered with 400. */
bool form_parse(form *f, form_type type, const char *body, size_t len, buf *err);

/* True when an Accept header value ranks text/html above application/json
 * (a browser's form post); NULL or equal ranks: false. */
bool form_accept_prefers_html(const char *accept);

#endif

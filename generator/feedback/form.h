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
 * An empty value counts as absent.  A field other than reason given twice is an error.
 *
 * A questionnaire step (form_init_step), every field but answer required:
 *   questionnaire  1-64 of [A-Za-z0-9_-]   lang  a language tag
 *   revision       1-64 of [A-Za-z0-9_-]   visit 1-64 of [A-Za-z0-9_-]
 *   seq            0-999999                step  start|show|answer|outcome|restart|open
 *   node           n<digits>               answer ids joined by ',' (at most 1000 bytes)
 * (the manifest decides which exist: quiz_manifest.h). */
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

typedef enum form_step_field {
	FORM_STEP_QUESTIONNAIRE,
	FORM_STEP_LANG,
	FORM_STEP_REVISION,
	FORM_STEP_VISIT,
	FORM_STEP_SEQ,
	FORM_STEP_KIND,
	FORM_STEP_NODE,
	FORM_STEP_ANSWER,
	FORM_STEP__MAX
} form_step_field;

#define FORM_COMMENT_MAX_CHARS 1000
#define FORM_MAX_FIELDS 8 /* of the vote or the step, the larger */

struct form_spec;

typedef struct form {
	buf val[FORM_MAX_FIELDS]; /* the validated values; reason: sorted, comma-joined */
	bool present[FORM_MAX_FIELDS];
	unsigned reasons;    /* bit i: reason i of the reason list */
	const struct form_spec *specs; /* the fields accepted (a vote's or a step's) */
	int n_specs;
} form;

typedef enum form_type { FORM_TYPE_NONE, FORM_TYPE_URLENCODED, FORM_TYPE_JSON } form_type;

/* From a Content-Type header value (NULL: none).  A charset other than
 * UTF-8 is FORM_TYPE_NONE too (415). */
form_type form_content_type(const char *content_type);

/* A vote's fields; form_init_step: a questionnaire step's (indexed by form_step_field). */
void form_init(form *f);
void form_init_step(form *f);
void form_release(form *f);
/* Parses and validates body.  false: err holds a message for the client
 * (which field, what is wrong), to be answered with 400. */
bool form_parse(form *f, form_type type, const char *body, size_t len, buf *err);

/* True when an Accept header value ranks text/html above application/json
 * (a browser's form post); NULL or equal ranks: false. */
bool form_accept_prefers_html(const char *accept);

#endif

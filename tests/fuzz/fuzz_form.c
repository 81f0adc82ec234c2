/* fuzz_form.c: a feedback request as the collector sees it.  Input: line 1
 * the Content-Type header, line 2 the Accept header, the rest the body.
 * Invariants: a parsed form has article, lang and vote; every value is
 * valid UTF-8 without NUL; a refused one says why.  The same body read as
 * a questionnaire step: every required field there, the kind one of the
 * six, values without NUL; a refused one says why. */
#include "fuzz.h"

#include "feedback/form.h"
#include "feedback/quiz_manifest.h"
#include "util/utf8.h"

/* Copies the line at *p (up to '\n') as a C string into out (size n). */
static void fuzz_form_line(const char **p, const char *end, char *out, size_t n)
{
	size_t k = 0;
	while (*p < end && **p != '\n') {
		if (k + 1 < n && **p != '\0')
			out[k++] = **p;
		(*p)++;
	}
	if (*p < end)
		(*p)++;
	out[k] = '\0';
}

static void fuzz_form(const char *data, size_t size)
{
	char ctype[256], accept[256];
	const char *p = data, *end = data + size;
	fuzz_form_line(&p, end, ctype, sizeof(ctype));
	fuzz_form_line(&p, end, accept, sizeof(accept));
	form_type type = form_content_type(ctype[0] ? ctype : NULL);
	(void)form_accept_prefers_html(accept[0] ? accept : NULL);
	size_t len = (size_t)(end - p), chars = 0;
	if (utf8_valid(p, len, &chars))
		FUZZ_ASSERT(chars <= len);
	if (type == FORM_TYPE_NONE) /* still parse the body, as one type or the other */
		type = len && p[0] == '{' ? FORM_TYPE_JSON : FORM_TYPE_URLENCODED;
	form f;
	buf err = BUF_INIT;
	form_init(&f);
	if (form_parse(&f, type, p, len, &err)) {
		FUZZ_ASSERT(f.present[FORM_ARTICLE] && f.present[FORM_LANG] && f.present[FORM_VOTE]);
		for (int i = 0; i < FORM__MAX; i++) {
			FUZZ_ASSERT(strlen(f.val[i].ptr) == f.val[i].len);
			FUZZ_ASSERT(utf8_valid(f.val[i].ptr, f.val[i].len, NULL));
		}
		FUZZ_ASSERT(strcmp(f.val[FORM_VOTE].ptr, "yes") == 0 || strcmp(f.val[FORM_VOTE].ptr, "no") == 0);
	} else {
		FUZZ_ASSERT(err.len > 0);
	}
	form_release(&f);
	buf_reset(&err);
	form_init_step(&f);
	if (form_parse(&f, type, p, len, &err)) {
		for (int i = 0; i < FORM_STEP__MAX; i++) {
			FUZZ_ASSERT(f.present[i] || i == FORM_STEP_ANSWER);
			FUZZ_ASSERT(strlen(f.val[i].ptr) == f.val[i].len);
		}
		FUZZ_ASSERT(quiz_kind_parse(f.val[FORM_STEP_KIND].ptr) >= 0);
	} else {
		FUZZ_ASSERT(err.len > 0);
	}
	form_release(&f);
	buf_release(&err);
}

FUZZ_TARGET(fuzz_form)

/* report.h: `phare feedback report`: which articles fail their readers.
 *
 * Per article and language: yes, no, the share of yes and the lower bound
 * of its 95 % Wilson score interval, which ranks the articles most in need
 * of work first (lowest bound first: many "no" weigh more than a few); the
 * split by revision, oldest first (did the last edit help?); the comments
 * and reasons, newest first.  With the built site's manifest, each article
 * also has its title and URL. */
#ifndef PHARE_REPORT_H
#define PHARE_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "feedback/manifest.h"
#include "feedback/store.h"
#include "util/buf.h"
#include "util/status.h"

typedef enum report_format { REPORT_TEXT, REPORT_CSV, REPORT_JSON, REPORT_HTML } report_format;

/* Text and HTML show this many comments per article, newest first, then
 * how many more there are; CSV and JSON, for scripts, give them all. */
#define REPORT_COMMENTS_SHOWN 5

typedef struct report_options {
	const char *lang;     /* NULL: every language */
	int64_t since;        /* Unix seconds; votes before are left out; 0: all */
	report_format format;
	const manifest *site; /* the built site's manifest: titles, URLs; may be NULL */
} report_options;

/* Appends the report on the votes of s (opened read-only) to out.
 * Text: control characters escaped (\n, \t, \xHH).  CSV: RFC 4180, one
 * row per article ("article"), per revision ("revision") and per comment
 * ("comment"), cells starting with = + - @ prefixed with ' (spreadsheet
 * formulas); title and url last.  JSON: {"articles": [{article, lang,
 * title, url, yes, no, share, wilson, revisions: [{revision, yes, no,
 * first_seen, last_seen}], comments: [{time, revision, reason, comment}]}],
 * "questionnaires": [...]}, times in ISO 8601 UTC, title and url null when
 * the site has no such article (or no site was given).  Text and CSV then
 * have the questionnaires' section (quiz_stats.h), only when a step was
 * recorded, the CSV's after an empty line with its own header.  HTML: one
 * self-contained page (report_html.c), the questionnaires' section in it. */
phare_status report_write(store *s, const report_options *o, buf *out) PHARE_MUST_USE;

/* Lower bound of the 95 % Wilson score interval of yes/n; 0 when n is 0. */
double report_wilson_lower(uint64_t yes, uint64_t n);
/* "YYYY-MM-DD" -> that day's 00:00 UTC in Unix seconds; false if not a valid date. */
bool report_parse_date(const char *s, int64_t *out);

#endif

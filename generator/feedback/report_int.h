/* report_int.h: the report's data in memory and its formats' cells,
 * shared by report.c (loading, ranking, text, CSV, JSON), report_html.c
 * (the dashboard) and quiz_stats.c (the questionnaires' part of each
 * format).  Not for other modules: they call report_write(). */
#ifndef PHARE_REPORT_INT_H
#define PHARE_REPORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feedback/quiz_stats.h"
#include "feedback/report.h"
#include "util/arena.h"
#include "util/buf.h"

/* The dashboard draws at most this many weeks, the last ones with votes. */
#define REPORT_MAX_WEEKS 53

typedef struct report_rev {
	const char *revision;
	uint64_t yes, no;
	int64_t first, last;
} report_rev;

typedef struct report_comment {
	int64_t time;
	const char *revision, *reason, *comment;
} report_comment;

typedef struct report_week {
	int64_t week; /* as in store.h: report_week_of() */
	uint64_t yes, no;
} report_week;

typedef struct report_entry {
	const char *article, *lang;
	const char *title, *url; /* from the site's manifest; NULL when unknown */
	uint64_t yes, no;
	double wilson;
	report_rev *revs; /* oldest first */
	size_t nrevs, caprevs;
	report_comment *comments; /* newest first */
	size_t ncomments, capcomments;
	report_week *weeks; /* HTML only: weeks with votes, oldest first */
	size_t nweeks, capweeks;
} report_entry;

/* The whole report: entries ranked (least helpful first). */
typedef struct report_data {
	arena a;
	report_entry *e;
	size_t n;
	int64_t first, last;  /* time of the first and last vote; 0 when none */
	const quiz_stats *qs; /* the questionnaires' steps (quiz_stats.h) */
} report_data;

/* The week of time t (store.h), and the time it begins. */
int64_t report_week_of(int64_t t);
int64_t report_week_start(int64_t w);
/* Appends "YYYY-MM-DD" (UTC). */
void report_day(buf *out, int64_t t);
/* Text: s with its control characters made visible (\n, \t, \xHH, C1 as
 * \u00HH), so that outside data cannot forge lines. */
void report_text_escaped(buf *out, const char *s);
/* CSV (RFC 4180): s, quoted when it holds a comma, a quote or a line
 * break, prefixed with ' inside the quotes when it could start a
 * spreadsheet formula; then ',' or, last, "\r\n". */
void report_csv_cell(buf *out, const char *s, bool last);
/* JSON: s as a string, or null for NULL. */
void report_json_str(buf *out, const char *s);
/* Appends the dashboard (report_html.c). */
void report_html(buf *out, const report_data *d, const report_options *o);

#endif

/* report.c: aggregates the votes table into the feedback report (report.h). */
#include "feedback/report.h"
#include "feedback/report_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feedback/quiz_stats.h"
#include "util/arena.h"
#include "util/xalloc.h"

#define REPORT_Z 1.959963984540054 /* 97.5th percentile of the normal distribution */

double report_wilson_lower(uint64_t yes, uint64_t n)
{
	if (yes == 0)
		return 0; /* exactly, not a rounding error away from it */
	double p = (double)yes / (double)n, z2 = REPORT_Z * REPORT_Z, nn = (double)n;
	double centre = p + z2 / (2 * nn);
	double margin = REPORT_Z * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
	double lower = (centre - margin) / (1 + z2 / nn);
	return lower < 0 ? 0 : lower;
}

bool report_parse_date(const char *s, int64_t *out)
{
	int y, m, d;
	char tail;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return false;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
		return false;
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d };
	*out = (int64_t)timegm(&tm);
	return true;
}

/* Appends time t (UTC) as strftime's fmt has it. */
static void report_utc(buf *out, int64_t t, const char *fmt)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char s[32];
	gmtime_r(&tt, &tm);
	strftime(s, sizeof(s), fmt, &tm);
	buf_adds(out, s);
}

static void report_time(buf *out, int64_t t) { report_utc(out, t, "%Y-%m-%dT%H:%M:%SZ"); }

void report_day(buf *out, int64_t t) { report_utc(out, t, "%Y-%m-%d"); }

int64_t report_week_of(int64_t t)
{
	int64_t x = t + STORE_WEEK_SHIFT;
	return x >= 0 ? x / STORE_WEEK : -((-x + STORE_WEEK - 1) / STORE_WEEK);
}

int64_t report_week_start(int64_t w) { return w * STORE_WEEK - STORE_WEEK_SHIFT; }

void report_text_escaped(buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\n')
			buf_adds(out, "\\n");
		else if (c == '\t')
			buf_adds(out, "\\t");
		else if (c == '\\')
			buf_adds(out, "\\\\");
		else if (c < 0x20 || c == 0x7f)
			buf_addf(out, "\\x%02x", c);
		else if (c == 0xc2 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0x9f)
			buf_addf(out, "\\u%04x", (unsigned char)*++s); /* C1 controls */
		else
			buf_addc(out, (char)c);
	}
}

void report_csv_cell(buf *out, const char *s, bool last)
{
	bool formula = strchr("=+-@\t\r", s[0]) && s[0];
	if (formula || strpbrk(s, ",\"\r\n")) {
		buf_addc(out, '"');
		if (formula)
			buf_addc(out, '\'');
		for (; *s; s++) {
			if (*s == '"')
				buf_addc(out, '"');
			buf_addc(out, *s);
		}
		buf_addc(out, '"');
	} else {
		buf_adds(out, s);
	}
	buf_adds(out, last ? "\r\n" : ",");
}

static int report_rank(const void *a, const void *b)
{
	const report_entry *x = a, *y = b;
	if (x->wilson != y->wilson)
		return x->wilson < y->wilson ? -1 : 1;
	if (x->no != y->no) /* same bound: more "no" first */
		return x->no > y->no ? -1 : 1;
	int c = strcmp(x->article, y->article);
	return c ? c : strcmp(x->lang, y->lang);
}

/* Loading: the groups come sorted by article, lang, so an entry is made
 * at each change; the comments come in the same order and are walked
 * along the entries. */
typedef struct report_loader {
	arena *a;
	report_entry *e;
	size_t len, cap, at;
} report_loader;

static void report_add_group(void *ctx, const store_group *g)
{
	report_loader *l = ctx;
	if (!l->len || strcmp(l->e[l->len - 1].article, g->article) != 0 ||
	    strcmp(l->e[l->len - 1].lang, g->lang) != 0) {
		l->e = xgrow(l->e, &l->cap, l->len + 1, sizeof(*l->e));
		memset(&l->e[l->len], 0, sizeof(*l->e));
		l->e[l->len].article = arena_strdup(l->a, g->article);
		l->e[l->len].lang = arena_strdup(l->a, g->lang);
		l->len++;
	}
	report_entry *cur = &l->e[l->len - 1];
	cur->revs = xgrow(cur->revs, &cur->caprevs, cur->nrevs + 1, sizeof(report_rev));
	report_rev *r = &cur->revs[cur->nrevs++];
	r->revision = arena_strdup(l->a, g->revision);
	r->yes = g->yes;
	r->no = g->no;
	r->first = g->first;
	r->last = g->last;
	cur->yes += r->yes;
	cur->no += r->no;
}

/* The entry of (article, lang), walking forward from the last one found:
 * the rows come in the entries' order.  NULL when it has no votes. */
static report_entry *report_walk(report_loader *l, const char *article, const char *lang)
{
	report_entry *e = l->e;
	while (l->at < l->len && (strcmp(e[l->at].article, article) < 0 ||
				  (strcmp(e[l->at].article, article) == 0 && strcmp(e[l->at].lang, lang) < 0)))
		l->at++;
	if (l->at == l->len || strcmp(e[l->at].article, article) != 0 || strcmp(e[l->at].lang, lang) != 0)
		return NULL;
	return &e[l->at];
}

static void report_add_comment(void *ctx, const store_comment *c)
{
	report_loader *l = ctx;
	report_entry *cur = report_walk(l, c->article, c->lang);
	if (!cur)
		return;
	cur->comments = xgrow(cur->comments, &cur->capcomments, cur->ncomments + 1, sizeof(report_comment));
	report_comment *rc = &cur->comments[cur->ncomments++];
	rc->time = c->time;
	rc->revision = arena_strdup(l->a, c->revision);
	rc->reason = arena_strdup(l->a, c->reason);
	rc->comment = arena_strdup(l->a, c->comment);
}

static void report_add_week(void *ctx, const store_week *w)
{
	report_loader *l = ctx;
	report_entry *cur = report_walk(l, w->article, w->lang);
	if (!cur)
		return;
	cur->weeks = xgrow(cur->weeks, &cur->capweeks, cur->nweeks + 1, sizeof(report_week));
	cur->weeks[cur->nweeks++] = (report_week){ .week = w->week, .yes = w->yes, .no = w->no };
}

/* Reads the votes into entries (sorted by article, lang). */
static phare_status report_load(store *s, const report_options *o, arena *a, report_entry **out, size_t *n)
{
	report_loader l = { .a = a };
	store_filter f = { .lang = o->lang, .since = o->since };
	phare_status st = store_each_group(s, &f, report_add_group, &l);
	if (st == PHARE_OK)
		st = store_each_comment(s, &f, report_add_comment, &l);
	l.at = 0;
	if (st == PHARE_OK && o->format == REPORT_HTML) /* only the dashboard draws weeks */
		st = store_each_week(s, &f, report_add_week, &l);
	*out = l.e;
	*n = l.len;
	return st;
}

/* Titles and URLs from the built site, the first and last vote. */
static void report_annotate(report_data *d, const report_options *o)
{
	for (size_t i = 0; i < d->n; i++) {
		report_entry *e = &d->e[i];
		e->wilson = report_wilson_lower(e->yes, e->yes + e->no);
		for (size_t j = 0; j < e->nrevs; j++) {
			if (!d->first || e->revs[j].first < d->first)
				d->first = e->revs[j].first;
			if (e->revs[j].last > d->last)
				d->last = e->revs[j].last;
		}
		const manifest_article *m = o->site ? manifest_find(o->site, e->lang, e->article) : NULL;
		if (m) {
			e->title = m->title[0] ? m->title : NULL;
			e->url = arena_printf(&d->a, "%s%s", manifest_origin(o->site), m->url);
		}
	}
}

static void report_text(buf *out, const report_entry *e, size_t n)
{
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += e[i].yes + e[i].no;
	buf_addf(out, "%zu article%s, %llu vote%s; least helpful first (by Wilson lower bound)\n", n,
		 n == 1 ? "" : "s", (unsigned long long)total, total == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		const report_entry *x = &e[i];
		buf_addc(out, '\n');
		report_text_escaped(out, x->article);
		buf_adds(out, " [");
		report_text_escaped(out, x->lang);
		buf_addf(out, "]  yes %llu  no %llu  %.0f%% yes  wilson %.3f\n", (unsigned long long)x->yes,
			 (unsigned long long)x->no, 100.0 * (double)x->yes / (double)(x->yes + x->no), x->wilson);
		if (x->url) {
			buf_adds(out, "  ");
			if (x->title) {
				report_text_escaped(out, x->title);
				buf_adds(out, "  ");
			}
			report_text_escaped(out, x->url);
			buf_addc(out, '\n');
		}
		for (size_t j = 0; j < x->nrevs; j++) {
			const report_rev *r = &x->revs[j];
			buf_adds(out, "  revision ");
			report_text_escaped(out, r->revision);
			buf_addf(out, "  yes %llu  no %llu  ", (unsigned long long)r->yes, (unsigned long long)r->no);
			report_time(out, r->first);
			buf_adds(out, " .. ");
			report_time(out, r->last);
			buf_addc(out, '\n');
		}
		size_t shown = x->ncomments < REPORT_COMMENTS_SHOWN ? x->ncomments : REPORT_COMMENTS_SHOWN;
		for (size_t j = 0; j < shown; j++) {
			const report_comment *c = &x->comments[j];
			buf_adds(out, "  - ");
			report_time(out, c->time);
			buf_adds(out, " ");
			report_text_escaped(out, c->revision);
			if (c->reason[0]) {
				buf_adds(out, " (");
				report_text_escaped(out, c->reason);
				buf_adds(out, ")");
			}
			if (c->comment[0]) {
				buf_adds(out, ": ");
				report_text_escaped(out, c->comment);
			}
			buf_addc(out, '\n');
		}
		if (x->ncomments > shown)
			buf_addf(out, "  ... and %zu older (--format json lists them all)\n", x->ncomments - shown);
	}
}

static void report_csv(buf *out, const report_entry *e, size_t n)
{
	buf t = BUF_INIT, num = BUF_INIT;
	buf_adds(out,
		 "kind,article,lang,revision,yes,no,share_yes,wilson,first_seen,last_seen,time,reason,comment,title,"
		 "url\r\n");
	for (size_t i = 0; i < n; i++) {
		const report_entry *x = &e[i];
		report_csv_cell(out, "article", false);
		report_csv_cell(out, x->article, false);
		report_csv_cell(out, x->lang, false);
		buf_addf(out, ",%llu,%llu,%.4f,%.4f,,,,,,", (unsigned long long)x->yes, (unsigned long long)x->no,
			 (double)x->yes / (double)(x->yes + x->no), x->wilson);
		report_csv_cell(out, x->title ? x->title : "", false);
		report_csv_cell(out, x->url ? x->url : "", true);
		for (size_t j = 0; j < x->nrevs; j++) {
			const report_rev *r = &x->revs[j];
			uint64_t rn = r->yes + r->no;
			report_csv_cell(out, "revision", false);
			report_csv_cell(out, x->article, false);
			report_csv_cell(out, x->lang, false);
			report_csv_cell(out, r->revision, false);
			buf_addf(out, "%llu,%llu,%.4f,%.4f,", (unsigned long long)r->yes, (unsigned long long)r->no,
				 (double)r->yes / (double)rn, report_wilson_lower(r->yes, rn));
			report_time(out, r->first);
			buf_addc(out, ',');
			report_time(out, r->last);
			buf_adds(out, ",,,,,\r\n");
		}
		for (size_t j = 0; j < x->ncomments; j++) {
			const report_comment *c = &x->comments[j];
			buf_reset(&t);
			report_time(&t, c->time);
			report_csv_cell(out, "comment", false);
			report_csv_cell(out, x->article, false);
			report_csv_cell(out, x->lang, false);
			report_csv_cell(out, c->revision, false);
			buf_adds(out, ",,,,,,");
			report_csv_cell(out, t.ptr, false);
			report_csv_cell(out, c->reason, false);
			report_csv_cell(out, c->comment, false);
			buf_adds(out, ",\r\n");
		}
	}
	buf_release(&t);
	buf_release(&num);
}

void report_json_str(buf *out, const char *s)
{
	if (s)
		buf_add_json_str(out, s, strlen(s));
	else
		buf_adds(out, "null");
}

static void report_json(buf *out, const report_entry *e, size_t n, const quiz_stats *qs)
{
	buf_adds(out, "{\"articles\":[");
	for (size_t i = 0; i < n; i++) {
		const report_entry *x = &e[i];
		buf_adds(out, i ? ",\n {\"article\":" : "\n {\"article\":");
		report_json_str(out, x->article);
		buf_adds(out, ",\"lang\":");
		report_json_str(out, x->lang);
		buf_adds(out, ",\"title\":");
		report_json_str(out, x->title);
		buf_adds(out, ",\"url\":");
		report_json_str(out, x->url);
		buf_addf(out, ",\"yes\":%llu,\"no\":%llu,\"share\":%.4f,\"wilson\":%.4f,\"revisions\":[",
			 (unsigned long long)x->yes, (unsigned long long)x->no,
			 (double)x->yes / (double)(x->yes + x->no), x->wilson);
		for (size_t j = 0; j < x->nrevs; j++) {
			const report_rev *r = &x->revs[j];
			buf_adds(out, j ? ",{\"revision\":" : "{\"revision\":");
			report_json_str(out, r->revision);
			buf_addf(out, ",\"yes\":%llu,\"no\":%llu,\"first_seen\":\"", (unsigned long long)r->yes,
				 (unsigned long long)r->no);
			report_time(out, r->first);
			buf_adds(out, "\",\"last_seen\":\"");
			report_time(out, r->last);
			buf_adds(out, "\"}");
		}
		buf_adds(out, "],\"comments\":[");
		for (size_t j = 0; j < x->ncomments; j++) {
			const report_comment *c = &x->comments[j];
			buf_adds(out, j ? ",{\"time\":\"" : "{\"time\":\"");
			report_time(out, c->time);
			buf_adds(out, "\",\"revision\":");
			report_json_str(out, c->revision);
			buf_adds(out, ",\"reason\":");
			report_json_str(out, c->reason);
			buf_adds(out, ",\"comment\":");
			report_json_str(out, c->comment);
			buf_adds(out, "}");
		}
		buf_adds(out, "]}");
	}
	buf_adds(out, n ? "\n],\n\"questionnaires\":" : "],\n\"questionnaires\":");
	quiz_stats_json(out, qs);
	buf_adds(out, "}\n");
}

phare_status report_write(store *s, const report_options *o, buf *out)
{
	report_data d = { .a = ARENA_INIT };
	store_filter f = { .lang = o->lang, .since = o->since };
	quiz_stats *qs = NULL;
	phare_status st = report_load(s, o, &d.a, &d.e, &d.n);
	if (st == PHARE_OK)
		st = quiz_stats_load(s, &f, &qs);
	if (st == PHARE_OK) {
		d.qs = qs;
		report_annotate(&d, o);
		if (d.n)
			qsort(d.e, d.n, sizeof(*d.e), report_rank);
		if (o->format == REPORT_JSON) {
			report_json(out, d.e, d.n, qs);
		} else if (o->format == REPORT_CSV) {
			report_csv(out, d.e, d.n);
			quiz_stats_csv(out, qs);
		} else if (o->format == REPORT_HTML) {
			report_html(out, &d, o);
		} else {
			report_text(out, d.e, d.n);
			quiz_stats_text(out, qs);
		}
	}
	quiz_stats_free(qs);
	for (size_t i = 0; i < d.n; i++) {
		free(d.e[i].revs);
		free(d.e[i].comments);
		free(d.e[i].weeks);
	}
	free(d.e);
	arena_release(&d.a);
	return st;
}

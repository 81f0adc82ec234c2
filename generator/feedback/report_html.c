/* report_html.c: the feedback dashboard, one self-contained HTML page.
 *
 * Inline CSS and SVG drawn here: no script, no request outside the file,
 * readable on a laptop and printed on A4.  Every chart has its numbers in
 * a table or a text beside it, and on its elements as data- attributes
 * (data-article, data-lang, data-votes, data-yes, data-no) for scripts
 * and tests.  Everything that comes from readers or from the site (titles,
 * comments, reasons, paths) is escaped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feedback/quiz_stats.h"
#include "feedback/report_int.h"
#include "feedback/svg_chart.h"
#include "util/xalloc.h"

/* The series of a chart: one per language, plus all of them. */
typedef struct html_series {
	const char *lang;   /* NULL: every language */
	uint64_t *yes, *no; /* per week of the range */
} html_series;

/* The weeks drawn: the last REPORT_MAX_WEEKS up to the last vote. */
typedef struct html_range {
	int64_t first, n;
} html_range;

static const char html_style[] =
	"body{font:15px/1.45 system-ui,sans-serif;color:#1b1b1b;background:#fff;margin:0 auto;max-width:60rem;"
	"padding:1rem}"
	"h1{font-size:1.6rem}h2{font-size:1.3rem;margin-top:2rem;border-bottom:1px solid #ccc}"
	/* the questionnaires' tables, shaded by traffic (quiz_stats_html.c) */
	".shade-0{background:#f3f6fe}.shade-1{background:#e6edfd}.shade-2{background:#d9e4fc}"
	".shade-3{background:#ccdbfb}.shade-4{background:#bfd2fa}.shade-5{background:#b2c9f9}"
	".shade-6{background:#a5c0f8}.shade-7{background:#98b7f7}"
	"h3{font-size:1.05rem;margin-bottom:.3rem}"
	"table{border-collapse:collapse;width:100%;margin:.5rem 0;font-variant-numeric:tabular-nums}"
	"th,td{text-align:left;padding:.25rem .4rem;border-bottom:1px solid #ddd;vertical-align:top}"
	"td.n,th.n{text-align:right}caption{text-align:left;font-weight:600;padding:.3rem 0}"
	"a{color:#0b57a4}.path{color:#555;font-size:.85em}"
	"figure{margin:1rem 0}figcaption{color:#444;font-size:.9em}"
	"svg{max-width:100%;height:auto}svg text{font:11px system-ui,sans-serif;fill:#333}"
	".legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem}"
	".rev{font-size:.85em;color:#333}.rev li{margin:.1rem 0}"
	".comments li{margin:.3rem 0}.comments q{quotes:none;white-space:pre-wrap}"
	".muted{color:#555}"
	"@media print{@page{size:A4;margin:14mm}body{max-width:none;font-size:10pt;padding:0}"
	"tr,li,figure{break-inside:avoid}h2,h3{break-after:avoid}a{color:inherit}}";

static const struct {
	const char *id, *label;
} html_reasons[] = {
	{ "unclear", "Unclear" },
	{ "incomplete", "Incomplete" },
	{ "inaccurate", "Inaccurate" },
	{ "not_found", "Not what I was looking for" },
};
#define HTML_NREASONS (sizeof(html_reasons) / sizeof(html_reasons[0]))

static double html_share(uint64_t yes, uint64_t no) { return yes + no ? (double)yes / (double)(yes + no) : 0; }

static void html_percent(buf *out, uint64_t yes, uint64_t no)
{
	if (yes + no)
		buf_addf(out, "%.0f%%", 100.0 * html_share(yes, no));
	else
		buf_adds(out, "–");
}

static html_range html_range_of(const report_data *d)
{
	html_range r = { 0, 0 };
	if (!d->last)
		return r;
	int64_t last = report_week_of(d->last), first = report_week_of(d->first);
	if (last - first + 1 > REPORT_MAX_WEEKS)
		first = last - REPORT_MAX_WEEKS + 1;
	r.first = first;
	r.n = last - first + 1;
	return r;
}

/* Languages of the entries, sorted, each once; all of them first (NULL). */
static html_series *html_series_make(const report_data *d, html_range r, size_t *n)
{
	html_series *s = xcalloc(d->n + 1, sizeof(*s));
	size_t len = 1;
	for (size_t i = 0; i < d->n; i++) {
		size_t j = 1;
		while (j < len && strcmp(s[j].lang, d->e[i].lang) < 0)
			j++;
		if (j < len && strcmp(s[j].lang, d->e[i].lang) == 0)
			continue;
		memmove(&s[j + 1], &s[j], (len - j) * sizeof(*s));
		s[j] = (html_series){ .lang = d->e[i].lang };
		len++;
	}
	for (size_t j = 0; j < len; j++) {
		s[j].yes = xcalloc((size_t)r.n + 1, sizeof(uint64_t));
		s[j].no = xcalloc((size_t)r.n + 1, sizeof(uint64_t));
	}
	for (size_t i = 0; i < d->n; i++) {
		const report_entry *e = &d->e[i];
		size_t j = 1;
		while (strcmp(s[j].lang, e->lang) != 0)
			j++;
		for (size_t k = 0; k < e->nweeks; k++) {
			int64_t at = e->weeks[k].week - r.first;
			if (at < 0 || at >= r.n)
				continue;
			s[0].yes[at] += e->weeks[k].yes;
			s[0].no[at] += e->weeks[k].no;
			s[j].yes[at] += e->weeks[k].yes;
			s[j].no[at] += e->weeks[k].no;
		}
	}
	*n = len;
	return s;
}

static void html_series_free(html_series *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].yes);
		free(s[i].no);
	}
	free(s);
}

static void html_header(buf *out, const report_data *d, const report_options *o)
{
	uint64_t votes = 0, yes = 0;
	for (size_t i = 0; i < d->n; i++) {
		votes += d->e[i].yes + d->e[i].no;
		yes += d->e[i].yes;
	}
	buf_adds(out,
		 "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		 "<title>Feedback report</title>\n<style>");
	buf_adds(out, html_style);
	buf_adds(out, "</style>\n</head>\n<body>\n<header>\n<h1>What readers said</h1>\n<p>");
	buf_addf(out, "<span data-total-votes=\"%llu\">%llu vote%s</span> on %zu article%s", (unsigned long long)votes,
		 (unsigned long long)votes, votes == 1 ? "" : "s", d->n, d->n == 1 ? "" : "s");
	if (votes) {
		buf_adds(out, ", ");
		html_percent(out, yes, votes - yes);
		buf_adds(out, " of them “yes”, from ");
		report_day(out, d->first);
		buf_adds(out, " to ");
		report_day(out, d->last);
		buf_adds(out, " (UTC)");
	}
	if (o->lang) {
		buf_adds(out, "; language ");
		buf_adds_html(out, o->lang);
	}
	if (o->since) {
		buf_adds(out, "; votes since ");
		report_day(out, o->since);
	}
	buf_adds(out, ".</p>\n");
	if (!o->site)
		buf_adds(out,
			 "<p class=\"muted\">Without <code>--site</code>, articles are named by their path, "
			 "without titles or links.</p>\n");
	buf_adds(out,
		 "<nav aria-label=\"Contents\"><ul><li><a href=\"#trend\">Helpfulness over time</a></li>"
		 "<li><a href=\"#articles\">Articles, least helpful first</a></li>"
		 "<li><a href=\"#reasons\">Reasons</a></li><li><a href=\"#comments\">Latest comments</a></li>"
		 "<li><a href=\"#quiz-stats-title\">Questionnaires</a></li>"
		 "</ul></nav>\n</header>\n<main>\n");
}

static void html_series_name(buf *out, const html_series *s)
{
	if (s->lang)
		buf_adds_html(out, s->lang);
	else
		buf_adds(out, "All languages");
}

static void html_trend_svg(buf *out, html_range r, const html_series *s, size_t ns)
{
	svg_series *lines = xcalloc(ns, sizeof(*lines));
	for (size_t i = 0; i < ns; i++)
		lines[i] = (svg_series){
			.yes = s[i].yes, .no = s[i].no, .name = s[i].lang ? s[i].lang : "", .style = (int)i
		};
	buf first = BUF_INIT, last = BUF_INIT;
	report_day(&first, report_week_start(r.first));
	report_day(&last, report_week_start(r.first + r.n - 1));
	svg_line_chart(out, lines, ns, (size_t)r.n, first.ptr, last.ptr, "trend-caption");
	buf_release(&first);
	buf_release(&last);
	free(lines);
}

static void html_trend_table(buf *out, html_range r, const html_series *s, size_t ns)
{
	buf_adds(out,
		 "<table>\n<caption>Share of “yes” per week (votes that week)</caption>\n<thead><tr>"
		 "<th scope=\"col\">Week of</th>");
	for (size_t i = 0; i < ns; i++) {
		buf_adds(out, "<th scope=\"col\" class=\"n\">");
		html_series_name(out, &s[i]);
		buf_adds(out, "</th>");
	}
	buf_adds(out, "</tr></thead>\n<tbody>\n");
	for (int64_t k = 0; k < r.n; k++) {
		buf_adds(out, "<tr><th scope=\"row\">");
		report_day(out, report_week_start(r.first + k));
		buf_adds(out, "</th>");
		for (size_t i = 0; i < ns; i++) {
			buf_adds(out, "<td class=\"n\">");
			html_percent(out, s[i].yes[k], s[i].no[k]);
			buf_addf(out, " (%llu)</td>", (unsigned long long)s[i].yes[k] + s[i].no[k]);
		}
		buf_adds(out, "</tr>\n");
	}
	buf_adds(out, "</tbody>\n</table>\n");
}

static void html_trend(buf *out, const report_data *d)
{
	buf_adds(out, "<section aria-labelledby=\"trend\">\n<h2 id=\"trend\">Helpfulness over time</h2>\n");
	html_range r = html_range_of(d);
	if (!r.n) {
		buf_adds(out, "<p>No votes yet.</p>\n</section>\n");
		return;
	}
	size_t ns;
	html_series *s = html_series_make(d, r, &ns);
	buf_adds(out, "<figure>\n");
	html_trend_svg(out, r, s, ns);
	buf_adds(out, "<ul class=\"legend\">");
	for (size_t i = 0; i < ns; i++) {
		buf_adds(out, "<li>");
		svg_legend_key(out, (int)i);
		buf_addc(out, ' ');
		html_series_name(out, &s[i]);
		buf_adds(out, "</li>");
	}
	buf_adds(out, "</ul>\n");
	buf_adds(out, "<figcaption id=\"trend-caption\">Share of “yes” per week (Monday to Sunday, UTC), ");
	if (r.n == REPORT_MAX_WEEKS)
		buf_addf(out, "the last %d weeks with votes, ", REPORT_MAX_WEEKS);
	buf_adds(out,
		 "all languages and each language; a week without votes is left out. "
		 "The numbers are in the table below.</figcaption>\n</figure>\n");

	html_trend_table(out, r, s, ns);
	buf_adds(out, "</section>\n");
	html_series_free(s, ns);
}

/* A sparkline's accessible name: a summary of its weeks (the article's
 * row gives the totals; the weekly chart's table, every week's share). */
static void html_sparkline_label(buf *label, const uint64_t *yes, const uint64_t *no, html_range r)
{
	int64_t first = -1, last = -1, low = -1, high = -1, weeks = 0;
	for (int64_t k = 0; k < r.n; k++) {
		if (!yes[k] && !no[k])
			continue;
		double share = (double)yes[k] / (double)(yes[k] + no[k]);
		if (first < 0)
			first = k;
		if (low < 0 || share < (double)yes[low] / (double)(yes[low] + no[low]))
			low = k;
		if (high < 0 || share > (double)yes[high] / (double)(yes[high] + no[high]))
			high = k;
		last = k;
		weeks++;
	}
	if (!weeks) {
		buf_adds(label, "No votes in the weeks shown");
		return;
	}
	buf_addf(label, "Share of yes, %lld week%s with votes: first ", (long long)weeks, weeks == 1 ? "" : "s");
	html_percent(label, yes[first], no[first]);
	buf_adds(label, ", last ");
	html_percent(label, yes[last], no[last]);
	buf_adds(label, ", lowest ");
	html_percent(label, yes[low], no[low]);
	buf_adds(label, ", highest ");
	html_percent(label, yes[high], no[high]);
}

/* The article's weeks as a sparkline, a mark where a revision got its
 * first vote. */
static void html_sparkline(buf *out, const report_entry *e, html_range r)
{
	uint64_t *yes = xcalloc((size_t)r.n + 1, sizeof(uint64_t)), *no = xcalloc((size_t)r.n + 1, sizeof(uint64_t));
	size_t *marks = xcalloc(e->nrevs + 1, sizeof(size_t)), nmarks = 0;
	buf label = BUF_INIT;
	for (size_t k = 0; k < e->nweeks; k++) {
		int64_t at = e->weeks[k].week - r.first;
		if (at >= 0 && at < r.n) {
			yes[at] = e->weeks[k].yes;
			no[at] = e->weeks[k].no;
		}
	}
	for (size_t j = 1; j < e->nrevs; j++) {
		int64_t at = report_week_of(e->revs[j].first) - r.first;
		if (at >= 0 && at < r.n)
			marks[nmarks++] = (size_t)at;
	}
	html_sparkline_label(&label, yes, no, r);
	svg_sparkline(out, yes, no, (size_t)r.n, marks, nmarks, label.ptr);
	buf_release(&label);
	free(marks);
	free(yes);
	free(no);
}

/* Each new revision: the share on the one before and on it (did the
 * rewrite help?). */
static void html_revisions(buf *out, const report_entry *e)
{
	if (e->nrevs < 2)
		return;
	buf_adds(out, "<ul class=\"rev\">");
	for (size_t j = 1; j < e->nrevs; j++) {
		const report_rev *p = &e->revs[j - 1], *c = &e->revs[j];
		buf_adds(out, "<li>Revision <code>");
		buf_adds_html(out, c->revision);
		buf_adds(out, "</code> from ");
		report_day(out, c->first);
		buf_adds(out, ": ");
		html_percent(out, p->yes, p->no);
		buf_addf(out, " yes before (%llu votes), ", (unsigned long long)p->yes + p->no);
		html_percent(out, c->yes, c->no);
		buf_addf(out, " after (%llu votes)</li>", (unsigned long long)c->yes + c->no);
	}
	buf_adds(out, "</ul>");
}

static void html_article_name(buf *out, const report_entry *e, bool link)
{
	if (e->url && link) {
		buf_adds(out, "<a href=\"");
		buf_adds_html(out, e->url);
		buf_adds(out, "\" lang=\"");
		buf_adds_html(out, e->lang);
		buf_adds(out, "\">");
	} else {
		buf_adds(out, "<span lang=\"");
		buf_adds_html(out, e->lang);
		buf_adds(out, "\">");
	}
	buf_adds_html(out, e->title ? e->title : e->article);
	buf_adds(out, e->url && link ? "</a>" : "</span>");
}

static void html_articles(buf *out, const report_data *d)
{
	buf_adds(out,
		 "<section aria-labelledby=\"articles\">\n<h2 id=\"articles\">Articles, least helpful first</h2>\n");
	if (!d->n) {
		buf_adds(out, "<p>No votes yet.</p>\n</section>\n");
		return;
	}
	html_range r = html_range_of(d);
	buf_adds(out,
		 "<p>Ranked by the lower bound of the 95 % Wilson interval of the share of “yes”: many “no” "
		 "weigh more than a few. A dashed mark on the trend is a new revision; under the title, the "
		 "share before and after it.</p>\n<table>\n<caption>Articles</caption>\n<thead><tr>"
		 "<th scope=\"col\" class=\"n\">#</th><th scope=\"col\">Article</th>"
		 "<th scope=\"col\">Lang</th><th scope=\"col\" class=\"n\">Votes</th>"
		 "<th scope=\"col\" class=\"n\">Yes</th><th scope=\"col\" class=\"n\">No</th>"
		 "<th scope=\"col\" class=\"n\">Share yes</th><th scope=\"col\" class=\"n\">Wilson</th>"
		 "<th scope=\"col\">Per week</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < d->n; i++) {
		const report_entry *e = &d->e[i];
		buf_adds(out, "<tr data-article=\"");
		buf_adds_html(out, e->article);
		buf_adds(out, "\" data-lang=\"");
		buf_adds_html(out, e->lang);
		buf_addf(out, "\" data-votes=\"%llu\" data-yes=\"%llu\" data-no=\"%llu\">",
			 (unsigned long long)e->yes + e->no, (unsigned long long)e->yes, (unsigned long long)e->no);
		buf_addf(out, "<td class=\"n\">%zu</td><td>", i + 1);
		html_article_name(out, e, true);
		buf_adds(out, "<br><span class=\"path\">");
		buf_adds_html(out, e->article);
		buf_adds(out, "</span>");
		html_revisions(out, e);
		buf_adds(out, "</td><td>");
		buf_adds_html(out, e->lang);
		buf_addf(out,
			 "</td><td class=\"n\">%llu</td><td class=\"n\">%llu</td><td class=\"n\">%llu</td>"
			 "<td class=\"n\">",
			 (unsigned long long)e->yes + e->no, (unsigned long long)e->yes, (unsigned long long)e->no);
		html_percent(out, e->yes, e->no);
		buf_addf(out, "</td><td class=\"n\">%.3f</td><td>", e->wilson);
		html_sparkline(out, e, r);
		buf_adds(out, "</td></tr>\n");
	}
	buf_adds(out, "</tbody>\n</table>\n</section>\n");
}

static const char *html_reason_label(const char *id, size_t n)
{
	for (size_t i = 0; i < HTML_NREASONS; i++)
		if (strlen(html_reasons[i].id) == n && memcmp(html_reasons[i].id, id, n) == 0)
			return html_reasons[i].label;
	return NULL;
}

/* Counts the reasons (a vote's are joined by commas); a reason phare does
 * not know (an older or edited database) is counted as "other". */
static void html_count_reasons(const report_data *d, uint64_t counts[HTML_NREASONS + 1])
{
	for (size_t i = 0; i < d->n; i++)
		for (size_t j = 0; j < d->e[i].ncomments; j++)
			for (const char *p = d->e[i].comments[j].reason; *p;) {
				size_t n = strcspn(p, ",");
				size_t k = 0;
				while (k < HTML_NREASONS &&
				       !(strlen(html_reasons[k].id) == n && memcmp(html_reasons[k].id, p, n) == 0))
					k++;
				if (n)
					counts[k]++;
				p += n + (p[n] == ',');
			}
}

static void html_reasons_section(buf *out, const report_data *d)
{
	uint64_t counts[HTML_NREASONS + 1] = { 0 };
	svg_bar bars[HTML_NREASONS + 1];
	html_count_reasons(d, counts);
	for (size_t k = 0; k <= HTML_NREASONS; k++)
		bars[k] = (svg_bar){ .id = k < HTML_NREASONS ? html_reasons[k].id : "other",
				     .label = k < HTML_NREASONS ? html_reasons[k].label : "Other",
				     .count = counts[k] };
	buf_adds(out,
		 "<section aria-labelledby=\"reasons\">\n<h2 id=\"reasons\">Reasons given with “no”</h2>\n<figure>\n");
	svg_bars(out, bars, HTML_NREASONS + 1, "reasons-caption");
	buf_adds(out,
		 "<figcaption id=\"reasons-caption\">How many “no” votes gave each reason "
		 "(a vote may give several); the same numbers in the table below.</figcaption>\n</figure>\n"
		 "<table>\n<caption>Reasons</caption>\n<thead><tr><th scope=\"col\">Reason</th>"
		 "<th scope=\"col\" class=\"n\">Votes</th></tr></thead>\n<tbody>\n");
	for (size_t k = 0; k <= HTML_NREASONS; k++)
		buf_addf(out, "<tr><th scope=\"row\">%s</th><td class=\"n\">%llu</td></tr>\n", bars[k].label,
			 (unsigned long long)counts[k]);
	buf_adds(out, "</tbody>\n</table>\n</section>\n");
}

static void html_comment(buf *out, const report_comment *c)
{
	buf_adds(out, "<li><time datetime=\"");
	report_day(out, c->time);
	buf_adds(out, "\">");
	report_day(out, c->time);
	buf_adds(out, "</time>");
	for (const char *p = c->reason; *p;) {
		size_t n = strcspn(p, ",");
		const char *label = html_reason_label(p, n);
		buf_adds(out, p == c->reason ? " · " : ", ");
		if (label)
			buf_adds(out, label);
		else
			buf_add_html(out, p, n);
		p += n + (p[n] == ',');
	}
	if (c->comment[0]) {
		buf_adds(out, ": <q>");
		buf_adds_html(out, c->comment);
		buf_adds(out, "</q>");
	}
	buf_adds(out, " <span class=\"muted\">(revision <code>");
	buf_adds_html(out, c->revision);
	buf_adds(out, "</code>)</span></li>\n");
}

static void html_comments(buf *out, const report_data *d)
{
	buf_adds(out, "<section aria-labelledby=\"comments\">\n<h2 id=\"comments\">Latest comments</h2>\n");
	bool any = false;
	for (size_t i = 0; i < d->n; i++) {
		const report_entry *e = &d->e[i];
		if (!e->ncomments)
			continue;
		any = true;
		size_t shown = e->ncomments < REPORT_COMMENTS_SHOWN ? e->ncomments : REPORT_COMMENTS_SHOWN;
		buf_adds(out, "<h3>");
		html_article_name(out, e, true);
		buf_adds(out, " <span class=\"path\">(");
		buf_adds_html(out, e->lang);
		buf_adds(out, ")</span></h3>\n<ul class=\"comments\" data-comments=\"");
		buf_adds_html(out, e->article);
		buf_adds(out, "\" data-lang=\"");
		buf_adds_html(out, e->lang);
		buf_addf(out, "\" data-count=\"%zu\">\n", e->ncomments);
		for (size_t j = 0; j < shown; j++)
			html_comment(out, &e->comments[j]);
		buf_adds(out, "</ul>\n");
		if (e->ncomments > shown)
			buf_addf(out,
				 "<p class=\"muted\">And %zu older (<code>--format json</code> lists them all).</p>\n",
				 e->ncomments - shown);
	}
	if (!any)
		buf_adds(out, "<p>No comments yet.</p>\n");
	buf_adds(out, "</section>\n");
}

void report_html(buf *out, const report_data *d, const report_options *o)
{
	html_header(out, d, o);
	html_trend(out, d);
	html_articles(out, d);
	html_reasons_section(out, d);
	html_comments(out, d);
	quiz_stats_html(out, d->qs);
	buf_adds(out,
		 "</main>\n<footer><p class=\"muted\">Made by <code>phare feedback report --format html</code>. "
		 "Weeks and dates are UTC.</p></footer>\n</body>\n</html>\n");
}

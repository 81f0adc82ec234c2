/* quiz_stats_html.c: the questionnaires' section of the HTML report
 * (quiz_stats_html in quiz_stats.h): drawn by phare, no script, no request.
 * Every number a bar draws is also in a table cell and a data- attribute;
 * ids come from the database, so every one is escaped. */
#include "feedback/quiz_stats.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "feedback/svg_chart.h"
#include "util/xalloc.h"

/* Readers at each question, most shown first, then those who finished:
 * bars of the dashboard's kind (svg_chart.h), the longest the visits. */
static void quiz_html_funnel(buf *out, const quiz_entry *x, size_t idx)
{
	size_t rows = x->n_questions + 2;
	svg_bar *bars = xcalloc(rows, sizeof(*bars));
	bars[0] = (svg_bar){ .label = "visits", .count = x->visits, .fill = "#64748b" };
	for (size_t k = 0; k < x->n_questions; k++)
		bars[k + 1] =
			(svg_bar){ .label = x->questions[k].id, .count = x->questions[k].shown, .fill = "#2563eb" };
	bars[rows - 1] = (svg_bar){ .label = "reached an outcome", .count = x->completions, .fill = "#15803d" };
	char id[48];
	snprintf(id, sizeof id, "quiz-funnel-%zu", idx);
	buf_adds(out, "<figure class=\"quiz-funnel\">\n");
	svg_bars(out, bars, rows, id);
	buf_addf(out, "<figcaption id=\"%s\">Readers at each step of ", id);
	buf_adds_html(out, x->questionnaire);
	buf_addf(out,
		 ": %llu visits, %llu completed; each question counted once per visit, most shown first; the "
		 "numbers are in the table below.</figcaption>\n</figure>\n",
		 (unsigned long long)x->visits, (unsigned long long)x->completions);
	free(bars);
}

/* A row shaded by its share of the visits, in eight steps (the classes
 * shade-0 to shade-7 of the dashboard's style: no inline style, which a
 * strict Content-Security-Policy refuses): the busiest paths stand out. */
static void quiz_html_shade(buf *out, uint64_t n, uint64_t whole)
{
	double share = whole ? (double)n / (double)whole : 0;
	buf_addf(out, " class=\"shade-%d\"", (int)(7 * (share > 1 ? 1 : share) + 0.5));
}

static void quiz_html_questions(buf *out, const quiz_entry *x)
{
	buf_adds(out,
		 "<table class=\"quiz-questions\">\n<caption>Questions, shaded by the share of visits shown "
		 "them</caption>\n<thead><tr><th scope=\"col\">Question</th><th scope=\"col\">Shown</th>"
		 "<th scope=\"col\">Answered</th><th scope=\"col\">Dropped</th><th scope=\"col\">Answers chosen"
		 "</th></tr></thead>\n<tbody>\n");
	for (size_t k = 0; k < x->n_questions; k++) {
		const quiz_question_stat *q = &x->questions[k];
		buf_adds(out, "<tr data-question=\"");
		buf_adds_html(out, q->id);
		buf_addf(out, "\" data-shown=\"%llu\" data-answered=\"%llu\" data-dropped=\"%llu\"",
			 (unsigned long long)q->shown, (unsigned long long)q->answered, (unsigned long long)q->dropped);
		quiz_html_shade(out, q->shown, x->visits);
		buf_adds(out, "><th scope=\"row\">");
		buf_adds_html(out, q->id);
		buf_addf(out, "</th><td>%llu</td><td>%llu</td><td>%llu (%.0f%%)</td><td>", (unsigned long long)q->shown,
			 (unsigned long long)q->answered, (unsigned long long)q->dropped,
			 quiz_stats_pct(q->dropped, q->shown));
		if (q->n_answers)
			buf_adds(out, "<ul>");
		for (size_t a = 0; a < q->n_answers; a++) {
			buf_adds(out, "<li data-answer=\"");
			buf_adds_html(out, q->answers[a].id);
			buf_addf(out, "\" data-count=\"%llu\"", (unsigned long long)q->answers[a].count);
			quiz_html_shade(out, q->answers[a].count, q->answered);
			buf_adds(out, ">");
			buf_adds_html(out, q->answers[a].id);
			buf_addf(out, ": %llu</li>", (unsigned long long)q->answers[a].count);
		}
		buf_adds(out, q->n_answers ? "</ul></td></tr>\n" : "</td></tr>\n");
	}
	buf_adds(out, "</tbody>\n</table>\n");
}

static void quiz_html_outcomes(buf *out, const quiz_entry *x)
{
	if (!x->n_outcomes)
		return;
	buf_adds(out,
		 "<table class=\"quiz-outcomes\">\n<caption>Outcomes reached, and how their articles are "
		 "rated (all votes on the article)</caption>\n<thead><tr><th scope=\"col\">Outcome</th>"
		 "<th scope=\"col\">Reached</th><th scope=\"col\">Article opened</th><th scope=\"col\">Article"
		 "</th><th scope=\"col\">Yes</th><th scope=\"col\">No</th></tr></thead>\n<tbody>\n");
	for (size_t k = 0; k < x->n_outcomes; k++) {
		const quiz_outcome_stat *o = &x->outcomes[k];
		buf_adds(out, "<tr data-outcome=\"");
		buf_adds_html(out, o->id);
		buf_addf(out, "\" data-reached=\"%llu\"", (unsigned long long)o->reached);
		quiz_html_shade(out, o->reached, x->visits);
		buf_adds(out, "><th scope=\"row\">");
		buf_adds_html(out, o->id);
		buf_addf(out, "</th><td>%llu</td><td>%llu</td><td>", (unsigned long long)o->reached,
			 (unsigned long long)o->opened);
		buf_adds_html(out, o->article[0] ? o->article : "none");
		buf_addf(out, "</td><td>%llu</td><td>%llu</td></tr>\n", (unsigned long long)o->yes,
			 (unsigned long long)o->no);
	}
	buf_adds(out, "</tbody>\n</table>\n");
}

void quiz_stats_html(buf *out, const quiz_stats *qs)
{
	size_t n;
	const quiz_entry *e = quiz_stats_entries(qs, &n);
	buf_adds(out,
		 "<section class=\"quiz-stats\" aria-labelledby=\"quiz-stats-title\">\n"
		 "<h2 id=\"quiz-stats-title\">Questionnaires</h2>\n");
	if (!n)
		buf_adds(out, "<p>No questionnaire step recorded in this period.</p>\n");
	for (size_t i = 0; i < n; i++) {
		const quiz_entry *x = &e[i];
		buf_adds(out, "<div class=\"quiz\" data-questionnaire=\"");
		buf_adds_html(out, x->questionnaire);
		buf_adds(out, "\" data-lang=\"");
		buf_adds_html(out, x->lang);
		buf_addf(out,
			 "\" data-visits=\"%llu\" data-completions=\"%llu\" data-restarts=\"%llu\" "
			 "data-article-opened=\"%llu\">\n<h3>",
			 (unsigned long long)x->visits, (unsigned long long)x->completions,
			 (unsigned long long)x->restarts, (unsigned long long)x->article_opened);
		buf_adds_html(out, x->questionnaire);
		buf_adds(out, " (");
		buf_adds_html(out, x->lang);
		buf_addf(out,
			 ")</h3>\n<p>%llu visits; %llu reached an outcome (%.0f%%); %llu restarts; %llu opened the "
			 "outcome's article.</p>\n",
			 (unsigned long long)x->visits, (unsigned long long)x->completions,
			 quiz_stats_pct(x->completions, x->visits), (unsigned long long)x->restarts,
			 (unsigned long long)x->article_opened);
		quiz_html_funnel(out, x, i);
		quiz_html_questions(out, x);
		quiz_html_outcomes(out, x);
		buf_adds(out, "</div>\n");
	}
	buf_adds(out, "</section>\n");
}

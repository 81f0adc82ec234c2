/* quiz_stats.h: what readers did in the questionnaires, from the steps
 * table (store.h), for `phare feedback report`.
 *
 * Per questionnaire and language, counted per visit (one page load of the
 * questionnaire; a restart inside it is not a new visit):
 *   visits          visits that sent any step
 *   completions     visits that reached an outcome
 *   restarts        restart steps (a visit may restart several times)
 *   article_opened  visits that opened an outcome's article from the result
 *   per question (most shown first):
 *     shown     visits shown it (once each, however often it was shown)
 *     answered  visits that answered it
 *     dropped   visits that ended on it: the last thing they were shown
 *     answers   per answer id, visits that chose it (a multiple-answer
 *               question's set counts for each of its answers)
 *   per outcome (most reached first): reached (visits), opened (visits
 *   that opened its article), and its article's votes in that language
 *   over the same period (yes, no): how the article readers were sent to
 *   is rated.  Votes and visits are not linked (nothing is recorded that
 *   could), so these are all the article's votes.
 * Order: questionnaire, then language (bytewise). */
#ifndef PHARE_QUIZ_STATS_H
#define PHARE_QUIZ_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "feedback/store.h"
#include "util/buf.h"
#include "util/status.h"

typedef struct quiz_answer_stat {
	const char *id;
	uint64_t count;
} quiz_answer_stat;

typedef struct quiz_question_stat {
	const char *id;
	uint64_t shown, answered, dropped;
	quiz_answer_stat *answers; /* most chosen first, then by id */
	size_t n_answers, cap_answers;
} quiz_question_stat;

typedef struct quiz_outcome_stat {
	const char *id, *article; /* article "" when the outcome has none */
	uint64_t reached, opened;
	uint64_t yes, no; /* the article's votes */
} quiz_outcome_stat;

typedef struct quiz_entry {
	const char *questionnaire, *lang;
	uint64_t visits, completions, restarts, article_opened;
	quiz_question_stat *questions;
	size_t n_questions, cap_questions;
	quiz_outcome_stat *outcomes;
	size_t n_outcomes, cap_outcomes;
} quiz_entry;

typedef struct quiz_stats quiz_stats;

/* Reads and counts the steps (and the votes of the outcomes' articles)
 * that f keeps.  Errors reported. */
phare_status quiz_stats_load(store *s, const store_filter *f, quiz_stats **out) PHARE_MUST_USE;
void quiz_stats_free(quiz_stats *qs);
/* The entries, sorted; owned by qs. */
const quiz_entry *quiz_stats_entries(const quiz_stats *qs, size_t *n);

/* The JSON list of the report's "questionnaires" (contract in README):
 * [{questionnaire, lang, visits, completions, restarts, article_opened,
 *   questions: [{id, shown, answered, dropped, answers: [{id, count}]}],
 *   outcomes: [{id, reached, opened, article, article_yes, article_no}]}] */
void quiz_stats_json(buf *out, const quiz_stats *qs);
/* The text report's section ("" when there is no step). */
void quiz_stats_text(buf *out, const quiz_stats *qs);
/* CSV rows with their own header, one per questionnaire ("questionnaire"),
 * question ("question"), answer ("answer") and outcome ("outcome"); ""
 * when there is no step. */
void quiz_stats_csv(buf *out, const quiz_stats *qs);
/* part as a percentage of whole (0 when whole is 0). */
double quiz_stats_pct(uint64_t part, uint64_t whole);
/* An HTML <section> for the dashboard (quiz_stats_html.c): per questionnaire a funnel (inline
 * SVG bars of the readers shown each question, then completions), the
 * questions and answers in a table shaded by traffic, and the outcomes
 * with their article's votes; every number also in the tables.  Test
 * hooks: data-questionnaire data-lang data-visits data-completions on each
 * questionnaire, data-question data-shown data-answered on each question. */
void quiz_stats_html(buf *out, const quiz_stats *qs);

#endif

/* quiz_stats.c: the questionnaires' steps counted per visit (quiz_stats.h).
 *
 * The store groups each visit's steps (store_each_step_group: one row per
 * distinct step of a visit, with its count and last seq) and hands them
 * sorted by questionnaire, language and visit, so one visit is read whole,
 * into a small scratch record of what it did (sets of indexes into its
 * entry's tables), then added to the entry: every count is "visits that
 * did it", whatever the order or repetitions of the steps inside the
 * visit. */
#include "feedback/quiz_stats.h"
#include "feedback/report_int.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/xalloc.h"

struct quiz_stats {
	arena a;
	quiz_entry *e;
	size_t n, cap;
};

/* A set of small numbers (indexes, or question << 32 | answer). */
typedef struct quiz_set {
	uint64_t *v;
	size_t n, cap;
} quiz_set;

static void quiz_set_add(quiz_set *s, uint64_t x)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == x)
			return;
	s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof(*s->v));
	s->v[s->n++] = x;
}

/* What the visit being read did. */
typedef struct quiz_visit {
	buf id;
	bool any, completed, opened;
	uint64_t restarts;
	long last;        /* question index of the last thing shown; -1: an outcome or nothing */
	int64_t last_seq; /* the seq of that last thing shown */
	quiz_set shown, answered, chosen, reached, opened_outcomes;
} quiz_visit;

typedef struct quiz_loader {
	quiz_stats *qs;
	quiz_visit v;
} quiz_loader;

static size_t quiz_question_of(quiz_stats *qs, quiz_entry *e, const char *id)
{
	for (size_t i = 0; i < e->n_questions; i++)
		if (strcmp(e->questions[i].id, id) == 0)
			return i;
	e->questions = xgrow(e->questions, &e->cap_questions, e->n_questions + 1, sizeof(*e->questions));
	quiz_question_stat *q = &e->questions[e->n_questions];
	memset(q, 0, sizeof(*q));
	q->id = arena_strdup(&qs->a, id);
	return e->n_questions++;
}

static size_t quiz_answer_of(quiz_stats *qs, quiz_question_stat *q, const char *id, size_t n)
{
	for (size_t i = 0; i < q->n_answers; i++)
		if (strlen(q->answers[i].id) == n && memcmp(q->answers[i].id, id, n) == 0)
			return i;
	q->answers = xgrow(q->answers, &q->cap_answers, q->n_answers + 1, sizeof(*q->answers));
	q->answers[q->n_answers].id = arena_strndup(&qs->a, id, n);
	q->answers[q->n_answers].count = 0;
	return q->n_answers++;
}

static size_t quiz_outcome_of(quiz_stats *qs, quiz_entry *e, const char *id, const char *article)
{
	for (size_t i = 0; i < e->n_outcomes; i++)
		if (strcmp(e->outcomes[i].id, id) == 0)
			return i;
	e->outcomes = xgrow(e->outcomes, &e->cap_outcomes, e->n_outcomes + 1, sizeof(*e->outcomes));
	quiz_outcome_stat *o = &e->outcomes[e->n_outcomes];
	memset(o, 0, sizeof(*o));
	o->id = arena_strdup(&qs->a, id);
	o->article = arena_strdup(&qs->a, article);
	return e->n_outcomes++;
}

/* Adds the visit read so far to the last entry, and forgets it. */
static void quiz_visit_flush(quiz_loader *l)
{
	quiz_visit *v = &l->v;
	if (v->any) {
		quiz_entry *e = &l->qs->e[l->qs->n - 1];
		e->visits++;
		e->completions += v->completed;
		e->article_opened += v->opened;
		e->restarts += v->restarts;
		for (size_t i = 0; i < v->shown.n; i++)
			e->questions[v->shown.v[i]].shown++;
		for (size_t i = 0; i < v->answered.n; i++)
			e->questions[v->answered.v[i]].answered++;
		for (size_t i = 0; i < v->chosen.n; i++)
			e->questions[v->chosen.v[i] >> 32].answers[v->chosen.v[i] & 0xffffffffu].count++;
		for (size_t i = 0; i < v->reached.n; i++)
			e->outcomes[v->reached.v[i]].reached++;
		for (size_t i = 0; i < v->opened_outcomes.n; i++)
			e->outcomes[v->opened_outcomes.v[i]].opened++;
		if (v->last >= 0)
			e->questions[v->last].dropped++;
	}
	v->any = v->completed = v->opened = false;
	v->restarts = 0;
	v->last = -1;
	v->last_seq = -1;
	v->shown.n = v->answered.n = v->chosen.n = v->reached.n = v->opened_outcomes.n = 0;
	buf_reset(&v->id);
}

/* The entry a step belongs to: the last one, or a new one. */
static quiz_entry *quiz_entry_for(quiz_loader *l, const store_step_group *st)
{
	quiz_stats *qs = l->qs;
	if (qs->n && strcmp(qs->e[qs->n - 1].questionnaire, st->questionnaire) == 0 &&
	    strcmp(qs->e[qs->n - 1].lang, st->lang) == 0)
		return &qs->e[qs->n - 1];
	if (qs->n)
		quiz_visit_flush(l);
	qs->e = xgrow(qs->e, &qs->cap, qs->n + 1, sizeof(*qs->e));
	quiz_entry *e = &qs->e[qs->n++];
	memset(e, 0, sizeof(*e));
	e->questionnaire = arena_strdup(&qs->a, st->questionnaire);
	e->lang = arena_strdup(&qs->a, st->lang);
	return e;
}

static void quiz_add_answer(quiz_loader *l, quiz_entry *e, size_t q, const char *answer)
{
	for (const char *p = answer; *p;) {
		size_t n = strcspn(p, ",");
		if (n) {
			size_t a = quiz_answer_of(l->qs, &e->questions[q], p, n);
			quiz_set_add(&l->v.chosen, (uint64_t)q << 32 | a);
		}
		p += n + (p[n] == ',');
	}
}

/* Where the visit stood last: a question (q >= 0) or a result (-1). */
static void quiz_visit_at(quiz_visit *v, long q, int64_t seq)
{
	if (seq > v->last_seq) {
		v->last = q;
		v->last_seq = seq;
	}
}

static void quiz_add_group(void *ctx, const store_step_group *st)
{
	quiz_loader *l = ctx;
	quiz_entry *e = quiz_entry_for(l, st);
	quiz_visit *v = &l->v;
	if (!buf_equals(&v->id, st->visit)) {
		quiz_visit_flush(l);
		buf_adds(&v->id, st->visit);
	}
	v->any = true;
	if (strcmp(st->kind, "show") == 0 && st->question[0]) {
		size_t q = quiz_question_of(l->qs, e, st->question);
		quiz_set_add(&v->shown, q);
		quiz_visit_at(v, (long)q, st->last_seq);
	} else if (strcmp(st->kind, "answer") == 0 && st->question[0]) {
		size_t q = quiz_question_of(l->qs, e, st->question);
		quiz_set_add(&v->answered, q);
		quiz_add_answer(l, e, q, st->answer);
	} else if (strcmp(st->kind, "outcome") == 0 && st->outcome[0]) {
		quiz_set_add(&v->reached, quiz_outcome_of(l->qs, e, st->outcome, st->article));
		v->completed = true;
		quiz_visit_at(v, -1, st->last_seq);
	} else if (strcmp(st->kind, "open") == 0 && st->outcome[0]) {
		quiz_set_add(&v->opened_outcomes, quiz_outcome_of(l->qs, e, st->outcome, st->article));
		v->opened = true;
	} else if (strcmp(st->kind, "restart") == 0) {
		v->restarts += st->count;
	}
}

/* The votes of each outcome's article, in the entry's language. */
static void quiz_add_votes(void *ctx, const store_group *g)
{
	quiz_stats *qs = ctx;
	for (size_t i = 0; i < qs->n; i++) {
		if (strcmp(qs->e[i].lang, g->lang) != 0)
			continue;
		for (size_t k = 0; k < qs->e[i].n_outcomes; k++) {
			quiz_outcome_stat *o = &qs->e[i].outcomes[k];
			if (strcmp(o->article, g->article) == 0) {
				o->yes += g->yes;
				o->no += g->no;
			}
		}
	}
}

static int quiz_by_shown(const void *a, const void *b)
{
	const quiz_question_stat *x = a, *y = b;
	if (x->shown != y->shown)
		return x->shown > y->shown ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int quiz_by_count(const void *a, const void *b)
{
	const quiz_answer_stat *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int quiz_by_reached(const void *a, const void *b)
{
	const quiz_outcome_stat *x = a, *y = b;
	if (x->reached != y->reached)
		return x->reached > y->reached ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* The reading orders of quiz_stats.h: the funnel's, most shown first. */
static void quiz_sort(quiz_stats *qs)
{
	for (size_t i = 0; i < qs->n; i++) {
		quiz_entry *e = &qs->e[i];
		for (size_t k = 0; k < e->n_questions; k++)
			if (e->questions[k].n_answers)
				qsort(e->questions[k].answers, e->questions[k].n_answers, sizeof(quiz_answer_stat),
				      quiz_by_count);
		if (e->n_questions)
			qsort(e->questions, e->n_questions, sizeof(*e->questions), quiz_by_shown);
		if (e->n_outcomes)
			qsort(e->outcomes, e->n_outcomes, sizeof(*e->outcomes), quiz_by_reached);
	}
}

phare_status quiz_stats_load(store *s, const store_filter *f, quiz_stats **out)
{
	quiz_stats *qs = xcalloc(1, sizeof(*qs));
	qs->a = (arena)ARENA_INIT;
	quiz_loader l = { .qs = qs, .v = { .id = BUF_INIT, .last = -1, .last_seq = -1 } };
	phare_status st = store_each_step_group(s, f, quiz_add_group, &l);
	if (qs->n)
		quiz_visit_flush(&l);
	buf_release(&l.v.id);
	free(l.v.shown.v);
	free(l.v.answered.v);
	free(l.v.chosen.v);
	free(l.v.reached.v);
	free(l.v.opened_outcomes.v);
	if (st == PHARE_OK && qs->n)
		st = store_each_group(s, f, quiz_add_votes, qs);
	if (st != PHARE_OK) {
		quiz_stats_free(qs);
		*out = NULL;
		return st;
	}
	quiz_sort(qs);
	*out = qs;
	return PHARE_OK;
}

void quiz_stats_free(quiz_stats *qs)
{
	if (!qs)
		return;
	for (size_t i = 0; i < qs->n; i++) {
		for (size_t k = 0; k < qs->e[i].n_questions; k++)
			free(qs->e[i].questions[k].answers);
		free(qs->e[i].questions);
		free(qs->e[i].outcomes);
	}
	free(qs->e);
	arena_release(&qs->a);
	free(qs);
}

const quiz_entry *quiz_stats_entries(const quiz_stats *qs, size_t *n)
{
	*n = qs ? qs->n : 0;
	return qs ? qs->e : NULL;
}

/* Outputs.  Ids come from the manifest's checks (letters, digits, '_',
 * '-', ','), yet every one is escaped as outside data all the same. */

static void quiz_json_question(buf *out, const quiz_question_stat *q)
{
	buf_adds(out, "{\"id\":");
	report_json_str(out, q->id);
	buf_addf(out, ",\"shown\":%llu,\"answered\":%llu,\"dropped\":%llu,\"answers\":[", (unsigned long long)q->shown,
		 (unsigned long long)q->answered, (unsigned long long)q->dropped);
	for (size_t i = 0; i < q->n_answers; i++) {
		buf_adds(out, i ? ",{\"id\":" : "{\"id\":");
		report_json_str(out, q->answers[i].id);
		buf_addf(out, ",\"count\":%llu}", (unsigned long long)q->answers[i].count);
	}
	buf_adds(out, "]}");
}

void quiz_stats_json(buf *out, const quiz_stats *qs)
{
	size_t n;
	const quiz_entry *e = quiz_stats_entries(qs, &n);
	buf_adds(out, "[");
	for (size_t i = 0; i < n; i++) {
		const quiz_entry *x = &e[i];
		buf_adds(out, i ? ",\n {\"questionnaire\":" : "\n {\"questionnaire\":");
		report_json_str(out, x->questionnaire);
		buf_adds(out, ",\"lang\":");
		report_json_str(out, x->lang);
		buf_addf(out,
			 ",\"visits\":%llu,\"completions\":%llu,\"restarts\":%llu,\"article_opened\":%llu,"
			 "\"questions\":[",
			 (unsigned long long)x->visits, (unsigned long long)x->completions,
			 (unsigned long long)x->restarts, (unsigned long long)x->article_opened);
		for (size_t k = 0; k < x->n_questions; k++) {
			buf_adds(out, k ? "," : "");
			quiz_json_question(out, &x->questions[k]);
		}
		buf_adds(out, "],\"outcomes\":[");
		for (size_t k = 0; k < x->n_outcomes; k++) {
			const quiz_outcome_stat *o = &x->outcomes[k];
			buf_adds(out, k ? ",{\"id\":" : "{\"id\":");
			report_json_str(out, o->id);
			buf_addf(out, ",\"reached\":%llu,\"opened\":%llu,\"article\":", (unsigned long long)o->reached,
				 (unsigned long long)o->opened);
			report_json_str(out, o->article[0] ? o->article : NULL);
			buf_addf(out, ",\"article_yes\":%llu,\"article_no\":%llu}", (unsigned long long)o->yes,
				 (unsigned long long)o->no);
		}
		buf_adds(out, "]}");
	}
	buf_adds(out, n ? "\n]" : "]");
}

double quiz_stats_pct(uint64_t part, uint64_t whole) { return whole ? 100.0 * (double)part / (double)whole : 0; }

static void quiz_text_entry(buf *out, const quiz_entry *x)
{
	buf_addc(out, '\n');
	report_text_escaped(out, x->questionnaire);
	buf_adds(out, " [");
	report_text_escaped(out, x->lang);
	buf_addf(out, "]  visits %llu  completed %llu (%.0f%%)  restarts %llu  article opened %llu\n",
		 (unsigned long long)x->visits, (unsigned long long)x->completions,
		 quiz_stats_pct(x->completions, x->visits), (unsigned long long)x->restarts,
		 (unsigned long long)x->article_opened);
	for (size_t k = 0; k < x->n_questions; k++) {
		const quiz_question_stat *q = &x->questions[k];
		buf_adds(out, "  question ");
		report_text_escaped(out, q->id);
		buf_addf(out, "  shown %llu  answered %llu  dropped %llu (%.0f%% of those shown)\n",
			 (unsigned long long)q->shown, (unsigned long long)q->answered, (unsigned long long)q->dropped,
			 quiz_stats_pct(q->dropped, q->shown));
		for (size_t i = 0; i < q->n_answers; i++) {
			buf_adds(out, "    ");
			report_text_escaped(out, q->answers[i].id);
			buf_addf(out, "  %llu\n", (unsigned long long)q->answers[i].count);
		}
	}
	for (size_t k = 0; k < x->n_outcomes; k++) {
		const quiz_outcome_stat *o = &x->outcomes[k];
		buf_adds(out, "  outcome ");
		report_text_escaped(out, o->id);
		buf_addf(out, "  reached %llu  opened %llu", (unsigned long long)o->reached,
			 (unsigned long long)o->opened);
		if (o->article[0]) {
			buf_adds(out, "  article ");
			report_text_escaped(out, o->article);
			buf_addf(out, ": yes %llu  no %llu", (unsigned long long)o->yes, (unsigned long long)o->no);
		}
		buf_addc(out, '\n');
	}
}

void quiz_stats_text(buf *out, const quiz_stats *qs)
{
	size_t n;
	const quiz_entry *e = quiz_stats_entries(qs, &n);
	if (!n)
		return;
	buf_addf(out, "\n%zu questionnaire%s (per language; counts are visits)\n", n, n == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++)
		quiz_text_entry(out, &e[i]);
}

static void quiz_csv_head(buf *out, const char *kind, const quiz_entry *x, const char *id)
{
	report_csv_cell(out, kind, false);
	report_csv_cell(out, x->questionnaire, false);
	report_csv_cell(out, x->lang, false);
	report_csv_cell(out, id, false);
}

void quiz_stats_csv(buf *out, const quiz_stats *qs)
{
	size_t n;
	const quiz_entry *e = quiz_stats_entries(qs, &n);
	if (!n)
		return;
	buf_adds(out,
		 "\r\nkind,questionnaire,lang,id,answer,visits,completions,restarts,article_opened,shown,answered,"
		 "dropped,count,reached,opened,article,article_yes,article_no\r\n");
	for (size_t i = 0; i < n; i++) {
		const quiz_entry *x = &e[i];
		quiz_csv_head(out, "questionnaire", x, "");
		buf_addf(out, ",%llu,%llu,%llu,%llu,,,,,,,,,\r\n", (unsigned long long)x->visits,
			 (unsigned long long)x->completions, (unsigned long long)x->restarts,
			 (unsigned long long)x->article_opened);
		for (size_t k = 0; k < x->n_questions; k++) {
			const quiz_question_stat *q = &x->questions[k];
			quiz_csv_head(out, "question", x, q->id);
			buf_addf(out, ",,,,,%llu,%llu,%llu,,,,,,\r\n", (unsigned long long)q->shown,
				 (unsigned long long)q->answered, (unsigned long long)q->dropped);
			for (size_t a = 0; a < q->n_answers; a++) {
				quiz_csv_head(out, "answer", x, q->id);
				report_csv_cell(out, q->answers[a].id, false);
				buf_addf(out, ",,,,,,,%llu,,,,,\r\n", (unsigned long long)q->answers[a].count);
			}
		}
		for (size_t k = 0; k < x->n_outcomes; k++) {
			const quiz_outcome_stat *o = &x->outcomes[k];
			quiz_csv_head(out, "outcome", x, o->id);
			buf_addf(out, ",,,,,,,,,%llu,%llu,", (unsigned long long)o->reached,
				 (unsigned long long)o->opened);
			report_csv_cell(out, o->article, false);
			buf_addf(out, "%llu,%llu\r\n", (unsigned long long)o->yes, (unsigned long long)o->no);
		}
	}
}

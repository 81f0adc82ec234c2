/* quiz_manifest.c: the questionnaires of a build, for checking steps
 * (quiz_manifest.h).  Everything lives in the manifest's arena; the maps
 * are the only heap memory of their own. */
#include "feedback/quiz_manifest.h"

#include <stdlib.h>
#include <string.h>

#include "util/map.h"
#include "util/xalloc.h"

typedef struct quiz_question {
	int min, max;
	const char *answers; /* ",a,b,c," : a lookup is a strstr of ",id," */
} quiz_question;

typedef struct quiz_node {
	const quiz_question *question; /* NULL for a leaf */
	const char *question_id, *outcome, *article;
} quiz_node;

typedef struct quiz_tree {
	const char *revision;
	const char *langs; /* ",fr,en," */
	map questions;     /* id -> quiz_question */
	map nodes;         /* "n3" -> quiz_node */
} quiz_tree;

struct quiz_manifest {
	arena *a;
	map trees; /* name -> quiz_tree */
};

static const char *const quiz_kind_names[QUIZ__KINDS] = { "start", "show", "answer", "outcome", "restart", "open" };

const char *quiz_kind_name(quiz_kind k) { return (unsigned)k < QUIZ__KINDS ? quiz_kind_names[k] : "?"; }

int quiz_kind_parse(const char *name)
{
	for (int i = 0; i < QUIZ__KINDS; i++)
		if (strcmp(name, quiz_kind_names[i]) == 0)
			return i;
	return -1;
}

quiz_manifest *quiz_manifest_new(arena *a)
{
	quiz_manifest *qm = xcalloc(1, sizeof(*qm));
	qm->a = a;
	return qm;
}

void quiz_manifest_free(quiz_manifest *qm)
{
	if (!qm)
		return;
	const char *name;
	void *t;
	for (size_t it = 0; map_next(&qm->trees, &it, &name, &t);) {
		map_release(&((quiz_tree *)t)->questions);
		map_release(&((quiz_tree *)t)->nodes);
	}
	map_release(&qm->trees);
	free(qm);
}

size_t quiz_manifest_count(const quiz_manifest *qm) { return qm->trees.len; }

static bool quiz_is(const char *f, size_t fl, const char *kind) { return fl == strlen(kind) && !memcmp(f, kind, fl); }

/* ",x,y," from "x,y". */
static const char *quiz_fenced(arena *a, const char *s, size_t n) { return arena_printf(a, ",%.*s,", (int)n, s); }

static quiz_tree *quiz_tree_of(quiz_manifest *qm, const char *name, size_t n) { return map_getn(&qm->trees, name, n); }

bool quiz_manifest_line(quiz_manifest *qm, const char *const *f, const size_t *fl, size_t nf, bool *bad, buf *err)
{
	static const struct {
		const char *kind;
		size_t fields;
	} kinds[] = { { "questionnaire", 4 }, { "qquestion", 6 }, { "qnode", 4 }, { "qleaf", 5 } };
	size_t k = 0;
	while (k < 4 && !quiz_is(f[0], fl[0], kinds[k].kind))
		k++;
	if (k == 4)
		return false;
	*bad = true;
	if (nf < kinds[k].fields || !fl[1] || !fl[2]) {
		buf_addf(err, "a %s line needs %zu fields", kinds[k].kind, kinds[k].fields);
		return true;
	}
	arena *a = qm->a;
	if (k == 0) {
		quiz_tree *t = arena_alloc(a, sizeof(*t));
		t->revision = arena_strndup(a, f[2], fl[2]);
		t->langs = quiz_fenced(a, f[3], fl[3]);
		quiz_tree *old = map_put(&qm->trees, arena_strndup(a, f[1], fl[1]), t);
		if (old) { /* a name given twice: the last line wins, the first's maps go */
			map_release(&old->questions);
			map_release(&old->nodes);
		}
		*bad = false;
		return true;
	}
	quiz_tree *t = quiz_tree_of(qm, f[1], fl[1]);
	if (!t) {
		buf_addf(err, "%s line of questionnaire '%.*s' before its questionnaire line", kinds[k].kind,
			 (int)fl[1], f[1]);
		return true;
	}
	const char *id = arena_strndup(a, f[2], fl[2]);
	if (k == 1) {
		quiz_question *q = arena_alloc(a, sizeof(*q));
		q->min = atoi(arena_strndup(a, f[3], fl[3]));
		q->max = atoi(arena_strndup(a, f[4], fl[4]));
		q->answers = quiz_fenced(a, f[5], fl[5]);
		map_put(&t->questions, id, q);
	} else {
		quiz_node *n = arena_alloc(a, sizeof(*n));
		if (k == 2) {
			n->question_id = arena_strndup(a, f[3], fl[3]);
			n->question = map_get(&t->questions, n->question_id);
			n->outcome = n->article = "";
			if (!n->question) {
				buf_addf(err, "node '%s' asks question '%s', which has no qquestion line", id,
					 n->question_id);
				return true;
			}
		} else {
			n->question_id = "";
			n->outcome = arena_strndup(a, f[3], fl[3]);
			n->article = arena_strndup(a, f[4], fl[4]);
		}
		map_put(&t->nodes, id, n);
	}
	*bad = false;
	return true;
}

/* true when the comma-fenced list holds item (item without commas). */
static bool quiz_listed(const char *fenced, const char *item, size_t n)
{
	for (const char *p = strstr(fenced, ","); p && p[1]; p = strchr(p + 1, ','))
		if (strncmp(p + 1, item, n) == 0 && p[1 + n] == ',')
			return true;
	return false;
}

/* An answer is a set: its ids sorted, distinct, each an answer of q, as
 * many as q allows (one for a single-answer question). */
static bool quiz_answer_fits(const quiz_question *q, const char *answer)
{
	int count = 0;
	const char *prev = NULL;
	size_t prev_n = 0;
	for (const char *p = answer; *answer;) {
		size_t n = strcspn(p, ",");
		if (!n || !quiz_listed(q->answers, p, n))
			return false;
		if (prev) {
			int c = strncmp(prev, p, n < prev_n ? n : prev_n);
			if (c > 0 || (c == 0 && prev_n >= n))
				return false; /* not sorted, or repeated */
		}
		count++;
		prev = p;
		prev_n = n;
		if (!p[n])
			break;
		p += n + 1;
	}
	return count >= q->min && count <= q->max;
}

quiz_check quiz_manifest_check(const quiz_manifest *qm, const quiz_step_in *s, quiz_step_ref *ref, buf *err)
{
	const quiz_tree *t = map_get(&qm->trees, s->questionnaire);
	if (!t) {
		buf_addf(err, "no questionnaire '%s' on this site", s->questionnaire);
		return QUIZ_CHECK_UNKNOWN;
	}
	if (!quiz_listed(t->langs, s->lang, strlen(s->lang))) {
		buf_addf(err, "questionnaire '%s' has no language '%s' on this site", s->questionnaire, s->lang);
		return QUIZ_CHECK_UNKNOWN;
	}
	if (strcmp(t->revision, s->revision) != 0) {
		buf_addf(err, "questionnaire '%s' was rebuilt (revision '%s', not '%s'); reload the page",
			 s->questionnaire, t->revision, s->revision);
		return QUIZ_CHECK_REVISION;
	}
	const quiz_node *n = map_get(&t->nodes, s->node);
	if (!n) {
		buf_addf(err, "questionnaire '%s' has no node '%s'", s->questionnaire, s->node);
		return QUIZ_CHECK_UNKNOWN;
	}
	bool leaf = !n->question;
	if ((s->kind == QUIZ_SHOW || s->kind == QUIZ_ANSWER) && leaf) {
		buf_addf(err, "node '%s' is a result, not a question", s->node);
		return QUIZ_CHECK_INVALID;
	}
	if ((s->kind == QUIZ_OUTCOME || s->kind == QUIZ_OPEN) && !leaf) {
		buf_addf(err, "node '%s' is a question, not a result", s->node);
		return QUIZ_CHECK_INVALID;
	}
	if (s->kind == QUIZ_ANSWER ? !quiz_answer_fits(n->question, s->answer) : s->answer[0] != '\0') {
		buf_addf(err, "answer '%s' does not fit node '%s' (question '%s')", s->answer, s->node,
			 leaf ? "none" : n->question_id);
		return QUIZ_CHECK_INVALID;
	}
	ref->question = n->question_id;
	ref->outcome = n->outcome;
	ref->article = n->article;
	return QUIZ_CHECK_OK;
}

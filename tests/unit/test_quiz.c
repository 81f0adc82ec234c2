/* test_quiz.c: questionnaire analytics: the step's fields, the manifest's
 * questionnaire lines and the checks made against them, and the counts
 * per visit with their JSON and HTML (quiz_stats.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "feedback/form.h"
#include "feedback/manifest.h"
#include "feedback/quiz_stats.h"
#include "feedback/store.h"
#include "util/arena.h"
#include "util/diag.h"

static const char manifest_text[] = "phare-manifest\t1\nbase\t/\n"
				    "article\tfr\tv/kvm\t/fr/v/kvm/\tr1\n"
				    "questionnaire\tq\tREV\tfr,en\n"
				    "qquestion\tq\thost\t1\t1\town,rent\n"
				    "qquestion\tq\twork\t0\t2\ta,b,c\n"
				    "qnode\tq\tn0\thost\n"
				    "qnode\tq\tn1\twork\n"
				    "qleaf\tq\tn2\tkvm\tv/kvm\n"
				    "qleaf\tq\tn3\tvps\t\n";

static void step_form(void **state)
{
	(void)state;
	form f;
	buf err = BUF_INIT;
	form_init_step(&f);
	const char *ok = "questionnaire=q&lang=fr&revision=REV&visit=v_1&seq=3&step=answer&node=n1&answer=a%2Cb";
	assert_true(form_parse(&f, FORM_TYPE_URLENCODED, ok, strlen(ok), &err));
	assert_string_equal(f.val[FORM_STEP_ANSWER].ptr, "a,b");
	assert_string_equal(f.val[FORM_STEP_SEQ].ptr, "3");
	static const struct {
		const char *body, *msg;
	} bad[] = {
		{ "questionnaire=q&lang=fr&revision=R&visit=v&seq=1&step=jump&node=n1", "field 'step'" },
		{ "questionnaire=q&lang=fr&revision=R&visit=v&seq=1234567&step=show&node=n1", "field 'seq'" },
		{ "questionnaire=q&lang=fr&revision=R&visit=v&seq=1&step=show&node=x1", "field 'node'" },
		{ "questionnaire=q&lang=fr&revision=R&visit=v&seq=1&step=show&node=n1&answer=a%3Bb", "field 'answer'" },
		{ "questionnaire=q&lang=fr&revision=R&seq=1&step=show&node=n1", "missing field 'visit'" },
		{ "questionnaire=q%00&lang=fr&revision=R&visit=v&seq=1&step=show&node=n1", "NUL byte" },
		/* a vote's reason is not a step's field: ignored, not a crash */
		{ "questionnaire=q&lang=fr&revision=R&visit=v&seq=1&step=show&node=n1&reason=unclear", NULL },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		form_release(&f);
		buf_reset(&err);
		bool parsed = form_parse(&f, FORM_TYPE_URLENCODED, bad[i].body, strlen(bad[i].body), &err);
		if (!bad[i].msg) {
			assert_true(parsed);
			continue;
		}
		assert_false(parsed);
		assert_non_null(strstr(err.ptr, bad[i].msg));
	}
	form_release(&f);
	buf_release(&err);
}

/* Checks a step against the manifest; returns the check and fills ref. */
static quiz_check check(manifest_watch *w, quiz_kind kind, const char *node, const char *answer, const char *rev,
			quiz_step_ref *ref)
{
	arena a = ARENA_INIT;
	buf err = BUF_INIT;
	quiz_step_in in = { "q", "fr", rev, node, answer, kind };
	quiz_check c = manifest_watch_check_step(w, &in, ref, &a, &err);
	static char outcome[32];
	if (c == QUIZ_CHECK_OK) {
		snprintf(outcome, sizeof(outcome), "%s", ref->outcome);
		ref->outcome = outcome;
		ref->question = ref->article = "";
	} else {
		assert_true(err.len > 0);
	}
	buf_release(&err);
	arena_release(&a);
	return c;
}

static void tmp_remove(const char *dir)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* A new SQLite store in a new folder (dir: a mkdtemp pattern, removed by
 * tmp_remove); its path into path. */
static store *tmp_store(char *dir, char *path, size_t size)
{
	assert_non_null(mkdtemp(dir));
	snprintf(path, size, "%s/s.db", dir);
	store *s = NULL;
	assert_int_equal(store_open(path, STORE_SYNC_NORMAL, &s), PHARE_OK);
	return s;
}

static void manifest_checks(void **state)
{
	(void)state;
	char dir[] = "/tmp/phare-quiz-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof(path), "%s/phare-manifest.tsv", dir);
	FILE *f = fopen(path, "w");
	fputs(manifest_text, f);
	fclose(f);
	manifest_watch *w = NULL;
	assert_int_equal(manifest_watch_open(dir, &w), PHARE_OK);
	assert_int_equal(manifest_watch_count(w), 1); /* the article only */
	quiz_step_ref ref;
	assert_int_equal(check(w, QUIZ_SHOW, "n0", "", "REV", &ref), QUIZ_CHECK_OK);
	assert_int_equal(check(w, QUIZ_ANSWER, "n0", "rent", "REV", &ref), QUIZ_CHECK_OK);
	assert_int_equal(check(w, QUIZ_ANSWER, "n1", "", "REV", &ref), QUIZ_CHECK_OK); /* min 0 */
	assert_int_equal(check(w, QUIZ_ANSWER, "n1", "a,c", "REV", &ref), QUIZ_CHECK_OK);
	assert_int_equal(check(w, QUIZ_OUTCOME, "n2", "", "REV", &ref), QUIZ_CHECK_OK);
	assert_string_equal(ref.outcome, "kvm");
	assert_int_equal(check(w, QUIZ_ANSWER, "n1", "a,b,c", "REV", &ref), QUIZ_CHECK_INVALID); /* over max */
	assert_int_equal(check(w, QUIZ_ANSWER, "n1", "c,a", "REV", &ref), QUIZ_CHECK_INVALID);   /* not sorted */
	assert_int_equal(check(w, QUIZ_ANSWER, "n1", "a,a", "REV", &ref), QUIZ_CHECK_INVALID);   /* twice */
	assert_int_equal(check(w, QUIZ_ANSWER, "n1", "a,", "REV", &ref), QUIZ_CHECK_INVALID);
	assert_int_equal(check(w, QUIZ_ANSWER, "n1", "ab", "REV", &ref), QUIZ_CHECK_INVALID);
	assert_int_equal(check(w, QUIZ_ANSWER, "n0", "", "REV", &ref), QUIZ_CHECK_INVALID); /* min 1 */
	assert_int_equal(check(w, QUIZ_SHOW, "n2", "", "REV", &ref), QUIZ_CHECK_INVALID);
	assert_int_equal(check(w, QUIZ_OPEN, "n0", "", "REV", &ref), QUIZ_CHECK_INVALID);
	assert_int_equal(check(w, QUIZ_SHOW, "n9", "", "REV", &ref), QUIZ_CHECK_UNKNOWN);
	assert_int_equal(check(w, QUIZ_SHOW, "n0", "", "OLD", &ref), QUIZ_CHECK_REVISION);
	manifest_watch_close(w);

	/* a q* line out of place is refused with its line */
	manifest *m = NULL;
	diag_set_quiet(true);
	diag_set_capture(true);
	diag_reset();
	const char *broken = "phare-manifest\t1\nqnode\tq\tn0\thost\n";
	assert_int_not_equal(manifest_parse("m.tsv", broken, strlen(broken), &m), PHARE_OK);
	assert_non_null(strstr(diag_captured(), "m.tsv:2:1: error: qnode line of questionnaire 'q' before"));
	diag_reset();
	diag_set_capture(false);
	diag_set_quiet(false);
	tmp_remove(dir);
}

static void add(store_step *st, size_t *n, const char *visit, const char *kind, const char *node, const char *question,
		const char *answer, const char *outcome)
{
	st[*n] = (store_step){ .time = 1700000000, .questionnaire = "q", .lang = "fr", .revision = "REV",
			       .visit = visit, .seq = (int64_t)*n, .kind = kind, .node = node,
			       .question = question, .answer = answer, .outcome = outcome,
			       .article = outcome[0] == 'k' ? "v/kvm" : "" };
	(*n)++;
}

/* The aggregate rows: counted, and the show of "host" in v1 checked. */
static void group_row(void *ctx, const store_step_group *g)
{
	size_t *n = ctx;
	(*n)++;
	if (strcmp(g->visit, "v1") == 0 && strcmp(g->kind, "show") == 0) {
		assert_string_equal(g->question, "host");
		assert_int_equal(g->count, 2);
		assert_int_equal(g->last_seq, 3);
	}
}

static void stats_per_visit(void **state)
{
	(void)state;
	char dir[] = "/tmp/phare-quiz-XXXXXX", path[64];
	store *s = tmp_store(dir, path, sizeof path);
	store_step st[32];
	size_t n = 0;
	/* v1: shown host twice (back), answered own then rent, reached kvm, opened it */
	add(st, &n, "v1", "start", "n0", "host", "", "");
	add(st, &n, "v1", "show", "n0", "host", "", "");
	add(st, &n, "v1", "answer", "n0", "host", "own", "");
	add(st, &n, "v1", "show", "n0", "host", "", "");
	add(st, &n, "v1", "answer", "n0", "host", "rent", "");
	add(st, &n, "v1", "outcome", "n2", "", "", "kvm");
	add(st, &n, "v1", "open", "n2", "", "", "kvm");
	/* v2: a set, then left at work after a restart */
	add(st, &n, "v2", "show", "n1", "work", "", "");
	add(st, &n, "v2", "answer", "n1", "work", "a,c", "");
	add(st, &n, "v2", "restart", "n1", "", "", "");
	add(st, &n, "v2", "show", "n1", "work", "", "");
	assert_int_equal(store_write_steps(s, st, n), STORE_WRITTEN);
	assert_int_equal(store_write_steps(s, st, 1), STORE_WRITTEN); /* sent again: kept once */
	store_vote v = { .time = 1700000000, .article = "v/kvm", .lang = "fr", .revision = "r1", .yes = true,
			 .reason = "", .comment = "", .client = "" };
	store_hash_address(s, "192.0.2.1", v.addr_hash);
	assert_int_equal(store_write(s, &v, 1), STORE_WRITTEN);
	store_close(s);

	assert_int_equal(store_open_readonly(path, &s), PHARE_OK);
	quiz_stats *qs = NULL;
	store_filter f = { 0 };
	size_t rows = 0;
	assert_int_equal(store_each_step_group(s, &f, group_row, &rows), PHARE_OK);
	assert_int_equal(rows, 9); /* 11 steps; v1's two shows of host one row, v2's two shows of work one */
	assert_int_equal(quiz_stats_load(s, &f, &qs), PHARE_OK);
	size_t ne;
	const quiz_entry *e = quiz_stats_entries(qs, &ne);
	assert_int_equal(ne, 1);
	assert_int_equal(e->visits, 2);
	assert_int_equal(e->completions, 1);
	assert_int_equal(e->restarts, 1);
	assert_int_equal(e->article_opened, 1);
	assert_int_equal(e->n_questions, 2);
	assert_string_equal(e->questions[0].id, "host"); /* tie on shown: by id */
	assert_int_equal(e->questions[0].shown, 1);
	assert_int_equal(e->questions[0].dropped, 0);
	assert_int_equal(e->questions[1].dropped, 1);
	buf out = BUF_INIT;
	quiz_stats_json(&out, qs);
	assert_non_null(strstr(out.ptr, "{\"id\":\"host\",\"shown\":1,\"answered\":1,\"dropped\":0,\"answers\":"
					"[{\"id\":\"own\",\"count\":1},{\"id\":\"rent\",\"count\":1}]}"));
	assert_non_null(strstr(out.ptr, "\"answers\":[{\"id\":\"a\",\"count\":1},{\"id\":\"c\",\"count\":1}]"));
	assert_non_null(strstr(out.ptr, "{\"id\":\"kvm\",\"reached\":1,\"opened\":1,\"article\":\"v/kvm\","
					"\"article_yes\":1,\"article_no\":0}"));
	buf_reset(&out);
	quiz_stats_html(&out, qs);
	assert_non_null(strstr(out.ptr, "data-questionnaire=\"q\" data-lang=\"fr\" data-visits=\"2\" "
					"data-completions=\"1\""));
	assert_non_null(strstr(out.ptr, "data-question=\"work\" data-shown=\"1\" data-answered=\"1\""));
	buf_release(&out);
	quiz_stats_free(qs);
	store_filter en = { .lang = "en" };
	assert_int_equal(quiz_stats_load(s, &en, &qs), PHARE_OK);
	quiz_stats_entries(qs, &ne);
	assert_int_equal(ne, 0);
	quiz_stats_free(qs);
	store_close(s);
	tmp_remove(dir);
}

/* What a database may hold is outside data: escaped in the HTML. */
static void html_escapes(void **state)
{
	(void)state;
	char dir[] = "/tmp/phare-quiz-XXXXXX", path[64];
	store *s = tmp_store(dir, path, sizeof path);
	store_step st = { .time = 1, .questionnaire = "<script>\"", .lang = "fr", .revision = "R", .visit = "v",
			  .kind = "show", .node = "n0", .question = "q<b>", .answer = "", .outcome = "", .article = "" };
	assert_int_equal(store_write_steps(s, &st, 1), STORE_WRITTEN);
	quiz_stats *qs = NULL;
	store_filter f = { 0 };
	assert_int_equal(quiz_stats_load(s, &f, &qs), PHARE_OK);
	buf out = BUF_INIT;
	quiz_stats_html(&out, qs);
	assert_null(strstr(out.ptr, "<script>"));
	assert_null(strstr(out.ptr, "q<b>"));
	assert_non_null(strstr(out.ptr, "data-questionnaire=\"&lt;script&gt;&quot;\""));
	buf_release(&out);
	quiz_stats_free(qs);
	store_close(s);
	tmp_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(step_form),
		cmocka_unit_test(manifest_checks),
		cmocka_unit_test(stats_per_visit),
		cmocka_unit_test(html_escapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

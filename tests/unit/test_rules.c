/* test_rules.c: the rules compiler (tree shape, dropped questions, shared
 * subtrees, every verification error) and the sandbox (every escape
 * attempt refused with an error naming the file). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules/rules.h"
#include "util/buf.h"
#include "util/diag.h"

static const char *const LANGS[] = { "fr", "en" };
static char tmpdir[64];

/* Five lines every small case starts with; the case's own lines start at 6. */
static const char HEAD[] =
	"title { en = \"T\", fr = \"T\" }\n"
	"question \"q\" { text = \"Q?\", answers = { { id = \"a\", en = \"A\", fr = \"A\" }, "
	"{ id = \"b\", en = \"B\", fr = \"B\" } } }\n"
	"question \"r\" { text = \"R?\", answers = { { id = \"a\", en = \"A\", fr = \"A\" }, "
	"{ id = \"b\", en = \"B\", fr = \"B\" }, { id = \"c\", en = \"C\", fr = \"C\" } } }\n"
	"outcome \"x\" { text = \"X\" }\n"
	"outcome \"y\" { text = \"Y\" }\n";

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/phare-rules-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	diag_set_quiet(true);
	diag_set_capture(true);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "%s/case.lua", tmpdir);
	unlink(path);
	rmdir(tmpdir);
	return 0;
}

/* Compiles head (may be NULL) + body as tmpdir/case.lua. */
static phare_status compile_src(const char *head, const char *body, rules **out)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/case.lua", tmpdir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	if (head)
		fputs(head, f);
	fputs(body, f);
	fclose(f);
	diag_reset();
	return rules_compile_file(path, LANGS, 2, "fr", out);
}

static const char *fixture(const char *name)
{
	static char path[256];
	snprintf(path, sizeof(path), "../fixtures/rules/%s", name);
	return path;
}

static void assert_captured(const char *needle)
{
	const char *got = diag_captured();
	if (!strstr(got, needle))
		fail_msg("expected a message containing\n  %s\ngot:\n%s", needle, got);
}

static void tree_shape(void **state)
{
	(void)state;
	rules *r = NULL;
	diag_reset();
	assert_int_equal(rules_compile_file(fixture("virt.lua"), LANGS, 2, "fr", &r), PHARE_OK);
	assert_int_equal(diag_errors(), 0);
	assert_int_equal(diag_warnings(), 0);
	assert_string_equal(r->name, "virt");
	assert_int_equal(r->n_langs, 2);
	assert_int_equal(r->n_expects, 3);
	/* The order the rules consult: own_hardware, then guest_os, then isolation. */
	const rules_node *root = &r->nodes[0];
	assert_string_equal(r->questions[root->question].id, "own_hardware");
	const rules_node *no = &r->nodes[root->next[1]];
	assert_int_equal(no->question, -1);
	assert_string_equal(r->outcomes[no->outcome].id, "vps");
	assert_int_equal(no->n_reasons, 1);
	assert_string_equal(no->reasons[0][1], "You have no machine.");
	const rules_node *yes = &r->nodes[root->next[0]];
	assert_string_equal(r->questions[yes->question].id, "guest_os");
	const rules_node *linux_ = &r->nodes[yes->next[0]];
	assert_string_equal(r->questions[linux_->question].id, "isolation");
	assert_int_equal(r->n_nodes, 7);
	/* Texts: plain strings are the same in every language. */
	int kvm = rules_outcome_index(r, "kvm");
	assert_string_equal(r->outcomes[kvm].text[0], "KVM");
	assert_string_equal(r->outcomes[kvm].article, "virtualisation/kvm");
	assert_null(r->outcomes[rules_outcome_index(r, "lxc")].summary);
	/* rules_walk: full answers reach a leaf; missing ones name the question. */
	int answers[3] = { -1, -1, -1 };
	int missing;
	assert_int_equal(rules_walk(r, answers, &missing), -1);
	assert_string_equal(r->questions[missing].id, "own_hardware");
	answers[rules_question_index(r, "own_hardware")] = 0;
	answers[rules_question_index(r, "guest_os")] = 0;
	answers[rules_question_index(r, "isolation")] = 1;
	long leaf = rules_walk(r, answers, &missing);
	assert_true(leaf >= 0);
	assert_string_equal(r->outcomes[r->nodes[leaf].outcome].id, "lxc");
	rules_free(r);
}

static void json_is_deterministic(void **state)
{
	(void)state;
	rules *a = NULL, *b = NULL;
	assert_int_equal(rules_compile_file(fixture("virt.lua"), LANGS, 2, "fr", &a), PHARE_OK);
	assert_int_equal(rules_compile_file(fixture("virt.lua"), LANGS, 2, "fr", &b), PHARE_OK);
	buf ja = BUF_INIT, jb = BUF_INIT, dot = BUF_INIT;
	rules_write_json(a, &ja);
	rules_write_json(b, &jb);
	assert_string_equal(ja.ptr, jb.ptr);
	assert_non_null(strstr(ja.ptr, "{\"default_language\":\"fr\",\"intro\":{\"en\":\"A few questions.\","));
	assert_non_null(strstr(ja.ptr, "\"languages\":[\"fr\",\"en\"],\"name\":\"virt\",\"nodes\":{\"n0\":"
				       "{\"next\":{\"no\":\"n6\",\"yes\":\"n1\"},\"question\":\"own_hardware\"}"));
	assert_non_null(strstr(ja.ptr, "\"n4\":{\"outcome\":\"lxc\",\"reasons\":[]}"));
	assert_non_null(strstr(ja.ptr, "\"root\":\"n0\",\"title\":{\"en\":\"LXC or KVM?\",\"fr\":\"LXC ou KVM ?\"}}"));
	rules_write_dot(a, 1, &dot);
	assert_non_null(strstr(dot.ptr, "n0 -> n1 [label=\"Yes\"];"));
	buf_release(&ja);
	buf_release(&jb);
	buf_release(&dot);
	rules_free(a);
	rules_free(b);
}

static void dropped_question(void **state)
{
	(void)state;
	rules *r = NULL;
	/* q is read but changes nothing: not asked; r decides. */
	assert_int_equal(compile_src(HEAD, "decide(function(a)\n"
					   "  local _ = a.q\n"
					   "  if a.r == \"c\" then return \"y\" end\n"
					   "  return \"x\"\n"
					   "end)\n", &r), PHARE_OK);
	assert_int_equal(r->n_nodes, 3);
	assert_string_equal(r->questions[r->nodes[0].question].id, "r");
	assert_int_equal(r->nodes[0].next[0], r->nodes[0].next[1]); /* a and b share the leaf */
	assert_captured("case.lua:2: warning: question 'q' is never asked: its answers never change the outcome");
	rules_free(r);
	/* Nothing read: one leaf; the other outcome and both questions warned about. */
	assert_int_equal(compile_src(HEAD, "decide(function(a) return \"x\" end)\n", &r), PHARE_OK);
	assert_int_equal(r->n_nodes, 1);
	assert_int_equal(r->nodes[0].question, -1);
	assert_captured("case.lua:2: warning: question 'q' is never asked: decide never reads it");
	assert_captured("case.lua:5: warning: outcome 'y' is never reached: no answers lead to it");
	rules_free(r);
}

static void shared_subtrees(void **state)
{
	(void)state;
	rules *r = NULL;
	/* r=a and r=b lead to the same q subtree: one node, two parents' edges. */
	assert_int_equal(compile_src(HEAD, "decide(function(a)\n"
					   "  if a.r == \"c\" then return \"x\" end\n"
					   "  if a.q == \"a\" then return \"x\" end\n"
					   "  return \"y\", { en = \"because\", fr = \"parce que\" }\n"
					   "end)\n"
					   "expect({ r = \"c\" }, \"x\")\n"
					   "expect({ q = \"a\" }, \"x\")\n", &r), PHARE_OK);
	assert_int_equal(diag_errors(), 0);
	assert_int_equal(r->n_nodes, 4); /* r, q, leaf x (shared by r=c and q=a), leaf y */
	const rules_node *root = &r->nodes[0];
	assert_string_equal(r->questions[root->question].id, "r");
	assert_int_equal(root->next[0], root->next[1]);
	const rules_node *q = &r->nodes[root->next[0]];
	assert_int_equal(q->next[0], root->next[2]);
	assert_int_equal(r->n_expects, 2);
	rules_free(r);
}

static void verification_errors(void **state)
{
	(void)state;
	static const struct {
		const char *body;
		const char *message;
	} cases[] = {
		{ "decide(function(a) return \"x\" end\nlocal = 1\n", "case.lua:7: error: " },
		{ "decide(function(a)\n  if a.q == \"b\" then return a.nope end\n  return \"x\"\nend)\n",
		  "case.lua:7: error: decide reads question 'nope', which is not declared; declare it with "
		  "question \"nope\" { … } or fix the name (answers: q=b)" },
		{ "decide(function(a)\n  if a.q == \"b\" then pcall(function() return a.nope end) end\n"
		  "  return \"x\"\nend)\n", "case.lua:7: error: decide reads question 'nope'" },
		{ "decide(function(a)\n  if a.q == \"a\" and a.r == \"b\" then return end\n  return \"x\"\nend)\n",
		  "case.lua:7: error: decide returned no outcome (answers: q=a, r=b)" },
		{ "decide(function(a)\n  if a.q == \"a\" then return \"z\" end\n  return \"x\"\nend)\n",
		  "case.lua:7: error: decide returned 'z', which is not a declared outcome (answers: q=a)" },
		{ "decide(function(a)\n  if a.r == \"c\" then error(\"boom\") end\n  return \"x\"\nend)\n",
		  "case.lua:7: error: boom (answers: r=c)" },
		{ "decide(function(a)\n  return \"x\", 42\nend)\n",
		  "case.lua:7: error: the reason decide returned must be a translated text" },
		{ "decide(function(a) if a.q == \"a\" then return \"x\" end return \"y\" end)\n"
		  "expect({ r = \"a\" }, \"x\")\n",
		  "case.lua:7: error: expect fails: with q=b the rules decide 'y', not 'x'" },
		{ "decide(function(a) return \"x\" end)\nexpect({ nope = \"a\" }, \"x\")\n",
		  "case.lua:7: error: expect names question 'nope', which is not declared" },
		{ "decide(function(a) return \"x\" end)\nexpect({ q = \"zz\" }, \"x\")\n",
		  "case.lua:7: error: expect gives question 'q' the answer 'zz', which it does not have" },
		{ "decide(function(a) return \"x\" end)\nexpect({}, \"zz\")\n",
		  "case.lua:7: error: expect names outcome 'zz', which is not declared" },
		{ "question \"s\" { text = 42, answers = {} }\n",
		  "case.lua:6: error: question 's' text must be a translated text such as" },
		{ "question \"s\" { text = \"S\" }\n", "case.lua:6: error: question 's' needs answers = {" },
		{ "question \"s\" { text = \"S\", answer = {} }\n",
		  "case.lua:6: error: question 's': unknown field 'answer'; the fields are text, help, answers" },
		{ "question \"q\" { text = \"S\", answers = {} }\n",
		  "case.lua:6: error: question 'q' is declared twice (first at line 2)" },
		{ "question \"s s\" { }\n", "case.lua:6: error: question needs an id made of letters" },
		{ "question \"s\" { text = \"S\", answers = { { id = \"a\" }, { id = \"a\" } } }\n",
		  "case.lua:6: error: question 's' answer 'a' has no translation" },
		{ "outcome \"z\" { text = \"Z\", article = \"nosection\" }\n",
		  "case.lua:6: error: outcome 'z': article must be \"<section>/<slug>\"" },
		{ "outcome \"z\" { text = { fr = 1 } }\n",
		  "case.lua:6: error: outcome 'z' text: the 'fr' translation must be a string" },
		{ "decide(function(a) return \"x\" end)\ndecide(function(a) return \"x\" end)\n",
		  "case.lua:7: error: decide is given twice (first at line 6)" },
		{ "decide(function(a) question \"s\" {} return \"x\" end)\n",
		  "case.lua:6: error: question can only be used at the top level" },
		{ "", "case.lua: error: the rules have no decide; add decide(function(a) … end)" },
		{ "decide(function(a) return \"x\" end)\ntitle = \"T2\"\n",
		  "case.lua:7: error: 'title' is one of the rules' words: call it (title …), do not assign it" },
		{ "compare \"t\"\ncompare = \"u\"\ndecide(function(a) return \"x\" end)\n",
		  "case.lua:7: error: compare is given twice; keep one" },
		{ "compare = 42\ndecide(function(a) return \"x\" end)\n",
		  "case.lua:6: error: compare needs the name of a table" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rules *r = (rules *)1;
		phare_status st = compile_src(HEAD, cases[i].body, &r);
		if (st == PHARE_OK)
			fail_msg("case %zu compiled; expected %s", i, cases[i].message);
		assert_null(r);
		assert_captured(cases[i].message);
	}
	rules *r = NULL;
	assert_int_not_equal(compile_src(NULL, "decide(function(a) return \"x\" end)\n", &r), PHARE_OK);
	assert_captured("case.lua: error: the rules have no title; add title {");
	assert_captured("case.lua: error: the rules declare no outcome");
}

/* compare = "t", the way the issue and authors write a setting, is the
 * compare call; other globals are the file's own. */
static void compare_as_a_setting(void **state)
{
	(void)state;
	rules *r = NULL;
	assert_int_equal(compile_src(HEAD, "compare = \"vps-lxc-kvm\"\nlimit = 3\n"
					   "decide(function(a) if a.q == \"a\" and limit == 3 then return \"x\" end "
					   "return \"y\" end)\n",
				     &r),
			 PHARE_OK);
	assert_non_null(r);
	assert_string_equal(r->compare, "vps-lxc-kvm");
	assert_int_equal(r->compare_line, 6);
	rules_free(r);
}

static void tree_limit(void **state)
{
	(void)state;
	buf src = BUF_INIT;
	buf_adds(&src, "title \"T\"\noutcome \"x\" { text = \"X\" }\n");
	for (int i = 0; i < 14; i++)
		buf_addf(&src, "question \"q%d\" { text = \"Q\", answers = { { id = \"a\", en = \"A\" }, "
			       "{ id = \"b\", en = \"B\" } } }\n", i);
	/* Every path gives a different reason: 2^14 leaves, nothing to share. */
	buf_adds(&src, "decide(function(a)\n  local s = \"\"\n  for i = 0, 13 do s = s .. a[\"q\" .. i] end\n"
		       "  return \"x\", s\nend)\n");
	rules *r = NULL;
	assert_int_equal(compile_src(NULL, src.ptr, &r), PHARE_ERR_LIMIT);
	assert_captured("error: the decision tree has more than 10000 nodes");
	buf_release(&src);
}

static void translations(void **state)
{
	(void)state;
	rules *r = NULL;
	assert_int_equal(compile_src("title { fr = \"Titre\", de = \"Titel\" }\n"
				     "outcome \"x\" { text = { en = \"X\" } }\n"
				     "decide(function(a) return \"x\" end)\n", "", &r), PHARE_OK);
	assert_captured("case.lua:1: warning: title has no 'en' translation");
	assert_captured("case.lua:1: warning: title has a 'de' translation, but 'de' is not one of the site's languages");
	assert_captured("case.lua:2: warning: outcome 'x' text has no 'fr' translation");
	assert_string_equal(r->title[1], "Titre"); /* en falls back to the default, fr */
	assert_string_equal(r->outcomes[0].text[0], "X");
	rules_free(r);
	/* Without site languages: those the rules use, sorted. */
	char path[128];
	snprintf(path, sizeof(path), "%s/case.lua", tmpdir);
	assert_int_equal(rules_compile_file(path, NULL, 0, NULL, &r), PHARE_OK);
	assert_int_equal(r->n_langs, 3);
	assert_string_equal(r->langs[0], "de");
	assert_string_equal(r->langs[2], "fr");
	rules_free(r);
}

/* A multiple-answer question "m" (a, b, c; 1 to 2 ticked) on lines 1-3. */
static const char MHEAD[] =
	"title \"T\"\n"
	"question \"m\" { text = \"M?\", multiple = true, min = 1, max = 2, answers = { { id = \"b\", en = \"B\" }, "
	"{ id = \"a\", en = \"A\" }, { id = \"c\", en = \"C\" } } }\n"
	"outcome \"x\" { text = \"X\" } outcome \"y\" { text = \"Y\" } outcome \"z\" { text = \"Z\" }\n";

static void multiple_answers(void **state)
{
	(void)state;
	rules *r = NULL;
	assert_int_equal(compile_src(MHEAD, "decide(function(a)\n"
					    "  local m = a.m\n"
					    "  if m.c and m.a then return \"z\" end\n"
					    "  if m.c then return \"y\" end\n"
					    "  return \"x\"\nend)\n"
					    "expect({ m = { \"c\" } }, \"y\")\n"
					    "expect({ m = { \"a\", \"c\" } }, \"z\")\n"
					    "expect({ m = { \"b\" } }, { \"x\" })\n", &r), PHARE_OK);
	assert_int_equal(diag_errors(), 0);
	const rules_question *q = &r->questions[0];
	assert_true(q->multiple);
	assert_int_equal(q->min, 1);
	assert_int_equal(q->max, 2);
	/* {b} {a} {b,a} {c} {b,c} {a,c}: masks 1 2 3 4 5 6, not {} nor {a,b,c}. */
	assert_int_equal(q->n_choices, 6);
	assert_int_equal(q->sets[0], 1);
	assert_int_equal(q->sets[5], 6);
	assert_int_equal(rules_choice_of_set(q, 7), -1);
	assert_int_equal(rules_question_pages(q), 7); /* {} and the six */
	assert_int_equal(r->n_nodes, 4);             /* the question, x, y, z: shared leaves */
	int answers[1] = { rules_choice_of_set(q, 6) };
	int missing;
	long leaf = rules_walk(r, answers, &missing);
	assert_string_equal(r->outcomes[r->nodes[leaf].outcome].id, "z");
	buf json = BUF_INIT, ids = BUF_INIT, dot = BUF_INIT;
	rules_write_json(r, &json);
	assert_non_null(strstr(json.ptr, "\"max\":2,\"min\":1,\"multiple\":true,\"text\""));
	assert_non_null(strstr(json.ptr, "\"next\":{\"a\":\"n1\",\"a,b\":\"n1\",\"a,c\":\"n3\",\"b\":\"n1\","
					 "\"b,c\":\"n2\",\"c\":\"n2\"}"));
	rules_set_ids(q, 5, &ids);
	assert_string_equal(ids.ptr, "b,c");
	rules_write_dot(r, 1, &dot);
	assert_non_null(strstr(dot.ptr, "[label=\"A + C\"]"));
	buf_release(&json);
	buf_release(&ids);
	buf_release(&dot);
	rules_free(r);
	/* Without min and max: every set, the empty one included. */
	assert_int_equal(compile_src("title \"T\"\nquestion \"m\" { text = \"M\", multiple = true, answers = { "
				     "{ id = \"a\", en = \"A\" }, { id = \"b\", en = \"B\" } } }\n"
				     "outcome \"x\" { text = \"X\" } outcome \"y\" { text = \"Y\" }\n",
				     "decide(function(a) if next(a.m) == nil then return \"y\" end return \"x\" end)\n"
				     "expect({ m = {} }, \"y\")\nexpect({ m = { \"a\", \"b\" } }, \"x\")\n", &r), PHARE_OK);
	assert_int_equal(r->questions[0].n_choices, 4);
	rules_free(r);
}

static void rankings(void **state)
{
	(void)state;
	rules *r = NULL;
	/* Sorted by score, ties by declaration order (x before z); reasons per outcome. */
	assert_int_equal(compile_src(MHEAD, "decide(function(a)\n"
					    "  if a.m.a then return { z = 5, y = 9, x = 5 }, { y = { en = \"best\" }, "
					    "z = { \"one\", \"two\" } } end\n"
					    "  return \"x\", \"plain\"\nend)\n"
					    "expect({ m = { \"a\" } }, \"y\")\n"
					    "expect({ m = { \"a\" } }, { \"y\", \"x\", \"z\" })\n", &r), PHARE_OK);
	assert_int_equal(diag_errors(), 0);
	/* z is shown, but never first */
	assert_captured("warning: outcome 'z' is never recommended: it is only ever a runner-up");
	assert_null(strstr(diag_captured(), "outcome 'x' is never"));
	const rules_question *q = &r->questions[0];
	int answers[1] = { rules_choice_of_set(q, 2) };
	int missing;
	const rules_node *n = &r->nodes[rules_walk(r, answers, &missing)];
	assert_true(n->scored);
	assert_int_equal(n->n_ranks, 3);
	assert_string_equal(r->outcomes[n->ranks[0].outcome].id, "y");
	assert_string_equal(r->outcomes[n->ranks[1].outcome].id, "x");
	assert_string_equal(r->outcomes[n->ranks[2].outcome].id, "z");
	assert_true(n->ranks[0].score == 9);
	assert_int_equal(n->outcome, n->ranks[0].outcome);
	assert_int_equal(n->n_reasons, 1);
	assert_string_equal(n->reasons[0][0], "best");
	assert_int_equal(n->ranks[1].n_reasons, 0);
	assert_int_equal(n->ranks[2].n_reasons, 2);
	assert_string_equal(n->ranks[2].reasons[1][0], "two");
	buf json = BUF_INIT;
	rules_write_json(r, &json);
	assert_non_null(strstr(json.ptr, "{\"outcome\":\"y\",\"ranking\":[{\"outcome\":\"y\",\"reasons\":[{\"en\":"
					 "\"best\",\"fr\":\"best\"}],\"score\":9},{\"outcome\":\"x\",\"reasons\":[],"
					 "\"score\":5},"));
	buf_release(&json);
	/* "return id" stays a ranking of one, not scored. */
	answers[0] = rules_choice_of_set(q, 1);
	n = &r->nodes[rules_walk(r, answers, &missing)];
	assert_false(n->scored);
	assert_int_equal(n->n_ranks, 1);
	rules_free(r);
}

static void multiple_and_ranking_errors(void **state)
{
	(void)state;
	static const struct {
		const char *body;
		const char *message;
	} cases[] = {
		{ "question \"s\" { text = \"S\", multiple = true, min = 3, answers = { { id = \"a\", en = \"A\" }, "
		  "{ id = \"b\", en = \"B\" } } }\n",
		  "case.lua:4: error: question 's': min is 3 but the question has 2 answers; give at most 2" },
		{ "question \"s\" { text = \"S\", min = 1, answers = { { id = \"a\", en = \"A\" }, "
		  "{ id = \"b\", en = \"B\" } } }\n",
		  "case.lua:4: error: question 's': min and max are for multiple-answer questions" },
		{ "question \"s\" { text = \"S\", multiple = true, min = 2, max = 1, answers = { { id = \"a\", en = \"A\" }, "
		  "{ id = \"b\", en = \"B\" } } }\n",
		  "case.lua:4: error: question 's': min (2) is above max (1); swap them" },
		{ "question \"s\" { text = \"S\", multiple = \"yes\", answers = { { id = \"a\", en = \"A\" }, "
		  "{ id = \"b\", en = \"B\" } } }\n",
		  "case.lua:4: error: question 's': multiple must be true or false" },
		{ "local t = {}\nfor i = 1, 12 do t[i] = { id = \"a\" .. i, en = \"A\" } end\n"
		  "question \"s\" { text = \"S\", multiple = true, answers = t }\n",
		  "case.lua:6: error: question 's' allows 4096 selections (up to 12 of its 12 answers), more than the "
		  "256 a question may have; lower max or split the question" },
		{ "decide(function(a)\n  if a.m.a then return { x = \"high\" } end\n  return \"x\"\nend)\n",
		  "case.lua:5: error: the ranking decide returned gives 'x' a string instead of a score (answers: m=a); "
		  "scores are numbers" },
		{ "decide(function(a)\n  return { x = 1, nope = 2 }\nend)\n",
		  "case.lua:5: error: the ranking decide returned names 'nope', which is not a declared outcome" },
		{ "decide(function(a)\n  return { x = 1 }, { y = \"why\" }\nend)\n",
		  "case.lua:5: error: the reasons after the ranking name 'y', which the ranking does not score" },
		{ "decide(function(a)\n  return { x = 1 }, { nope = \"why\" }\nend)\n",
		  "case.lua:5: error: the reasons after the ranking names 'nope', which is not a declared outcome" },
		{ "decide(function(a)\n  return {}\nend)\n", "case.lua:5: error: decide returned an empty ranking" },
		{ "decide(function(a)\n  return { \"x\", \"y\" }\nend)\n",
		  "case.lua:5: error: the ranking decide returned has a key that is not an outcome id (a number)" },
		{ "decide(function(a)\n  return { x = 0/0 }\nend)\n",
		  "case.lua:5: error: the ranking decide returned gives 'x' a number that is not finite" },
		{ "decide(function(a) return { x = 2, y = 1 } end)\nexpect({}, { \"y\", \"x\" })\n",
		  "case.lua:5: error: expect fails: with no answer given yet the rules rank x, y, not y, x" },
		{ "decide(function(a) local _ = a.m return \"x\" end)\nexpect({ m = \"a\" }, \"x\")\n",
		  "case.lua:5: error: expect gives question 'm' one answer, but it takes a set; write m = { \"a\" }" },
		{ "decide(function(a) local _ = a.m return \"x\" end)\nexpect({ m = { \"a\", \"b\", \"c\" } }, \"x\")\n",
		  "case.lua:5: error: expect gives question 'm' 3 different answer(s); it takes between 1 and 2" },
		{ "decide(function(a) local _ = a.m return \"x\" end)\nexpect({ m = { \"q\" } }, \"x\")\n",
		  "case.lua:5: error: expect gives question 'm' the answer 'q', which it does not have" },
		{ "decide(function(a) local _ = a.m return \"x\" end)\nexpect({ m = {} }, { \"x\", \"nope\" })\n",
		  "case.lua:5: error: expect names outcome 'nope', which is not declared" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rules *r = (rules *)1;
		phare_status st = compile_src(MHEAD, cases[i].body, &r);
		if (st == PHARE_OK)
			fail_msg("case %zu compiled; expected %s", i, cases[i].message);
		assert_null(r);
		assert_captured(cases[i].message);
	}
}

/* A multiple-answer question after seven others: 511 nodes, but a page per
 * selection (93 of the 8 answers, up to 3) at 128 nodes is too many pages. */
static void selection_pages_limit(void **state)
{
	(void)state;
	buf src = BUF_INIT;
	buf_adds(&src, "title \"T\"\noutcome \"x\" { text = \"X\" }\n");
	for (int i = 0; i < 7; i++)
		buf_addf(&src, "question \"q%d\" { text = \"Q\", answers = { { id = \"a\", en = \"A\", fr = \"A\" }, "
			       "{ id = \"b\", en = \"B\", fr = \"B\" } } }\n", i);
	buf_adds(&src, "local t = {}\nfor i = 1, 8 do t[i] = { id = \"a\" .. i, en = \"A\", fr = \"A\" } end\n"
		       "question \"m\" { text = \"M\", multiple = true, max = 3, answers = t }\n"
		       "decide(function(a)\n  local s = \"\"\n  for i = 0, 6 do s = s .. a[\"q\" .. i] end\n"
		       "  if a.m.a1 then return \"x\", s .. \"!\" end\n  return \"x\", s\nend)\n");
	rules *r = NULL;
	assert_int_equal(compile_src(NULL, src.ptr, &r), PHARE_ERR_LIMIT);
	assert_captured("case.lua:13: error: the questionnaire needs 12287 static pages (a page per node, and per "
			"selection of a multiple-answer question), more than 10000");
	buf_release(&src);
}

/* Each attempt must be refused with an error naming the file. */
static void sandbox_escapes(void **state)
{
	(void)state;
	static const struct {
		const char *body;
		const char *message;
	} cases[] = {
		{ "os.execute(\"touch /tmp/phare-pwned\")\n", "case.lua:6: error: attempt to index a nil value (global 'os')" },
		{ "io.open(\"/etc/passwd\")\n", "case.lua:6: error: attempt to index a nil value (global 'io')" },
		{ "require(\"os\")\n", "case.lua:6: error: attempt to call a nil value (global 'require')" },
		{ "package.loadlib(\"libc.so.6\", \"system\")\n",
		  "case.lua:6: error: attempt to index a nil value (global 'package')" },
		{ "load(\"\\27Lua\\84\\0\\25\\147\\r\\n\\26\\n\")\n",
		  "case.lua:6: error: attempt to call a nil value (global 'load')" },
		{ "string.dump(print or function() end)\n", "case.lua:6: error: attempt to call a nil value (field 'dump')" },
		{ "local s = \"\"\ns.dump(function() end)\n", "case.lua:7: error: attempt to call a nil value (field 'dump')" },
		{ "dofile(\"/etc/passwd\")\n", "case.lua:6: error: attempt to call a nil value (global 'dofile')" },
		{ "loadfile(\"/etc/passwd\")\n", "case.lua:6: error: attempt to call a nil value (global 'loadfile')" },
		{ "debug.getinfo(1)\n", "case.lua:6: error: attempt to index a nil value (global 'debug')" },
		{ "math.randomseed(1)\n", "case.lua:6: error: attempt to call a nil value (field 'randomseed')" },
		{ "collectgarbage(\"stop\")\n", "case.lua:6: error: attempt to call a nil value (global 'collectgarbage')" },
		{ "while true do end\n", "case.lua:6: error: the rules run too long (more than the instruction budget)" },
		{ "while true do pcall(function() while true do end end) end\n",
		  "case.lua:6: error: the rules run too long (more than the instruction budget)" },
		{ "decide(function(a)\n  if a.q == \"b\" then while true do pcall(function() end) end end\n  return \"x\"\nend)\n",
		  "case.lua:7: error: the rules run too long (more than the instruction budget): is there an endless "
		  "loop? (answers: q=b)" },
		{ "string.find((\"a\"):rep(5000), \".-.-.-.-.-b\")\n",
		  "case.lua: error: the rules take too long (more than 3 s of CPU or 6 s in all) while loading the file" },
		{ "decide(function(a)\n  if a.q == \"b\" then string.find((\"a\"):rep(5000), \".-.-.-.-.-b\") end\n"
		  "  return \"x\"\nend)\n",
		  "case.lua: error: the rules take too long (more than 3 s of CPU or 6 s in all) while deciding "
		  "(answers: q=b)" },
		{ "local t = {}\nfor i = 1, 1e9 do t[i] = (\"x\"):rep(64) .. i end\n",
		  "case.lua:7: error: the rules use more than 64 MiB of memory" },
		{ "local s = (\"x\"):rep(1 << 30)\n", "case.lua: error: the rules use more than 64 MiB of memory" },
		{ "local t = {}\nwhile true do pcall(function() t[#t + 1] = (\"x\"):rep(1 << 20) .. #t end) end\n",
		  "error: the rules use more than 64 MiB of memory" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rules *r = (rules *)1;
		phare_status st = compile_src(HEAD, cases[i].body, &r);
		if (st == PHARE_OK)
			fail_msg("escape %zu was not refused; expected %s", i, cases[i].message);
		assert_null(r);
		assert_captured(cases[i].message);
	}
	assert_int_equal(access("/tmp/phare-pwned", F_OK), -1);
}

static void binary_chunk_refused(void **state)
{
	(void)state;
	rules *r = (rules *)1;
	assert_int_equal(compile_src(NULL, "\033Lua\x54\x00\x19\x93\r\n\x1a\nrest", &r), PHARE_ERR_INPUT);
	assert_null(r);
	assert_captured("case.lua: error: attempt to load a binary chunk (mode is 't'); rules files must be "
			"Lua source text");
}

static void missing_file(void **state)
{
	(void)state;
	rules *r = (rules *)1;
	diag_reset();
	assert_int_not_equal(rules_compile_file("../fixtures/rules/nope.lua", LANGS, 2, "fr", &r), PHARE_OK);
	assert_null(r);
	assert_captured("nope.lua: error: cannot read");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tree_shape),
		cmocka_unit_test(json_is_deterministic),
		cmocka_unit_test(dropped_question),
		cmocka_unit_test(shared_subtrees),
		cmocka_unit_test(verification_errors),
		cmocka_unit_test(compare_as_a_setting),
		cmocka_unit_test(tree_limit),
		cmocka_unit_test(multiple_answers),
		cmocka_unit_test(rankings),
		cmocka_unit_test(multiple_and_ranking_errors),
		cmocka_unit_test(selection_pages_limit),
		cmocka_unit_test(translations),
		cmocka_unit_test(sandbox_escapes),
		cmocka_unit_test(binary_chunk_refused),
		cmocka_unit_test(missing_file),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

/* cmd_rules.c: `phare rules run|test|tree`, the authors' tools for a
 * questionnaire's rules (rules/<name>.lua, see rules/rules.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "content/site.h"
#include "rules/rules.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/opts.h"
#include "util/xalloc.h"

/* The site's languages, from DIR/content/site.yaml when there is one. */
typedef struct rules_langs {
	arena mem;
	site_config cfg;
	const char *codes[SITE_MAX_LANGUAGES];
	size_t n;
	const char *def;
} rules_langs;

static phare_status rules_site_langs(const char *source, rules_langs *l)
{
	char *dir = fsx_join(source, "content");
	char *path = fsx_join(dir, "site.yaml");
	/* rules files may be links a stranger committed, like content's */
	phare_status st = fsx_confine(source);
	if (st == PHARE_OK && fsx_is_file(path)) {
		st = site_load(&l->mem, path, path, NULL, &l->cfg);
		if (st == PHARE_OK) {
			for (size_t i = 0; i < l->cfg.n_languages; i++)
				l->codes[l->n++] = l->cfg.languages[i].code;
			l->def = l->cfg.languages[l->cfg.default_language].code;
		}
	}
	free(dir);
	free(path);
	return st;
}

static int rules_exit(phare_status st)
{
	return st == PHARE_OK ? EXIT_OK : st == PHARE_ERR_USAGE ? EXIT_USAGE : EXIT_FAILED;
}

static int rules_parse(const char *name, const char *usage, const opt_spec *specs, int argc, char **argv,
		       char **pos, int max_pos, int *npos)
{
	switch (opts_parse(name, usage, specs, argc, argv, pos, max_pos, npos)) {
	case OPTS_HELP: return EXIT_OK;
	case OPTS_ERROR: return EXIT_USAGE;
	default: return -1;
	}
}

static phare_status rules_compile_with_site(const char *source, const char *file, rules_langs *l,
					    rules **r)
{
	phare_status st = rules_site_langs(source, l);
	if (st != PHARE_OK)
		return st;
	return rules_compile_file(file, l->codes, l->n, l->def, r);
}

static size_t rules_pick_lang(const char *cmd, const rules *r, const char *lang, phare_status *st)
{
	if (!lang)
		return r->default_lang;
	int i = rules_lang_index(r, lang);
	if (i < 0) {
		buf have = BUF_INIT;
		for (size_t k = 0; k < r->n_langs; k++)
			buf_addf(&have, " %s", r->langs[k]);
		diag_usage(cmd, "no language '%s' in these rules; they have%s", lang, have.ptr);
		buf_release(&have);
		*st = PHARE_ERR_USAGE;
		return 0;
	}
	return (size_t)i;
}

/* Reads "a,b" (every id once; "" for none) into the choice of the
 * multiple-answer question q. */
static phare_status rules_set_answer(const rules_question *q, char *ids, int *choice)
{
	unsigned long long mask = 0;
	int n = 0;
	for (char *id = ids, *next; *ids && id; id = next) {
		next = strchr(id, ',');
		if (next)
			*next++ = '\0';
		int a = rules_answer_index(q, id);
		if (a < 0 || (mask >> a & 1)) {
			buf list = BUF_INIT;
			for (size_t k = 0; k < q->n_answers; k++)
				buf_addf(&list, " %s", q->answers[k].id);
			diag_usage("rules run",
				   a < 0 ? "question '%s' has no answer '%s'; its answers are%s"
					 : "question '%s' has the answer '%s' twice%.0s",
				   q->id, id, list.ptr);
			buf_release(&list);
			return PHARE_ERR_USAGE;
		}
		mask |= 1ull << a;
		n++;
	}
	*choice = rules_choice_of_set(q, mask);
	if (*choice < 0) {
		diag_usage("rules run",
			   "question '%s' takes between %d and %d answers, not %d; write %s=a,b "
			   "(%s= for none)",
			   q->id, q->min, q->max, n, q->id, q->id);
		return PHARE_ERR_USAGE;
	}
	return PHARE_OK;
}

/* Reads q=a words (q=a,b for a multiple-answer question) into answers (a
 * choice index per question). */
static phare_status rules_answers(const rules *r, char **words, int n, int *answers)
{
	for (size_t q = 0; q < r->n_questions; q++)
		answers[q] = -1;
	phare_status st = PHARE_OK;
	buf list = BUF_INIT;
	for (int i = 0; i < n && st == PHARE_OK; i++) {
		char *eq = strchr(words[i], '=');
		if (!eq) {
			diag_usage("rules run", "'%s' is not question=answer", words[i]);
			st = PHARE_ERR_USAGE;
			break;
		}
		*eq = '\0';
		int q = rules_question_index(r, words[i]);
		if (q < 0) {
			for (size_t k = 0; k < r->n_questions; k++)
				buf_addf(&list, " %s", r->questions[k].id);
			diag_usage("rules run", "no question '%s' in %s; the questions are%s", words[i], r->path,
				   list.ptr);
			st = PHARE_ERR_USAGE;
			break;
		}
		const rules_question *qu = &r->questions[q];
		int a = qu->multiple ? 0 : rules_answer_index(qu, eq + 1);
		if (answers[q] >= 0) {
			diag_usage("rules run", "question '%s' is answered twice", qu->id);
			st = PHARE_ERR_USAGE;
		} else if (qu->multiple) {
			st = rules_set_answer(qu, eq + 1, &answers[q]);
		} else if (a < 0) {
			for (size_t k = 0; k < qu->n_answers; k++)
				buf_addf(&list, " %s", qu->answers[k].id);
			diag_usage("rules run", "question '%s' has no answer '%s'; its answers are%s", qu->id, eq + 1,
				   list.ptr);
			st = PHARE_ERR_USAGE;
		} else {
			answers[q] = a;
		}
	}
	buf_release(&list);
	return st;
}

/* The reasons of the first outcome ("because: …"), those of the others
 * ("not first, lxc: …"), then the ranked ids, best first, on the last line. */
static void rules_print_leaf(const rules *r, const rules_node *n, size_t li)
{
	for (size_t k = 0; k < n->n_ranks; k++)
		for (size_t i = 0; i < n->ranks[k].n_reasons; i++) {
			if (k == 0)
				printf("because: %s\n", n->ranks[k].reasons[i][li]);
			else
				printf("not first, %s: %s\n", r->outcomes[n->ranks[k].outcome].id,
				       n->ranks[k].reasons[i][li]);
		}
	for (size_t k = 0; k < n->n_ranks; k++)
		printf("%s%s", k ? " " : "", r->outcomes[n->ranks[k].outcome].id);
	printf("\n");
}

static int rules_run(int argc, char **argv)
{
	const char *source = ".", *lang = NULL;
	const opt_spec specs[] = {
		{ "--source", "DIR", "the site folder, for content/site.yaml's languages (default .)", OPT_DIR,
		  &source },
		{ "--lang", "LANG", "the language of the reasons (default: the default language)", OPT_STRING, &lang },
		{ 0 },
	};
	char **pos = xcalloc((size_t)argc + 1, sizeof(char *));
	int npos = 0;
	rules_langs l = { 0 };
	rules *r = NULL;
	int *answers = NULL;
	int rc = rules_parse("rules run", "rules run FILE QUESTION=ANSWER... [--source DIR] [--lang LANG]",
			     specs, argc, argv, pos, argc, &npos);
	if (rc >= 0)
		goto done;
	if (npos < 1) {
		rc = diag_usage("rules run", "give the rules file, then question=answer pairs");
		goto done;
	}
	phare_status st = rules_compile_with_site(source, pos[0], &l, &r);
	if (st == PHARE_OK) {
		answers = xcalloc(r->n_questions + 1, sizeof(int));
		st = rules_answers(r, pos + 1, npos - 1, answers);
	}
	size_t li = st == PHARE_OK ? rules_pick_lang("rules run", r, lang, &st) : 0;
	if (st == PHARE_OK) {
		int missing;
		long leaf = rules_walk(r, answers, &missing);
		if (leaf < 0) {
			const rules_question *q = &r->questions[missing];
			buf list = BUF_INIT;
			for (size_t k = 0; k < q->n_answers; k++)
				buf_addf(&list, " %s", q->answers[k].id);
			if (q->multiple)
				diag_usage("rules run",
					   "question '%s' is asked and not answered; add %s=ANSWER,ANSWER… "
					   "with %d to %d of%s%s",
					   q->id, q->id, q->min, q->max, list.ptr,
					   q->min ? "" : " (QUESTION= for none)");
			else
				diag_usage("rules run",
					   "question '%s' is asked and not answered; add %s=ANSWER, one of%s", q->id,
					   q->id, list.ptr);
			buf_release(&list);
			st = PHARE_ERR_USAGE;
		} else {
			rules_print_leaf(r, &r->nodes[leaf], li);
		}
	}
	rc = rules_exit(st);
done:
	free(answers);
	rules_free(r);
	arena_release(&l.mem);
	free(pos);
	return rc;
}

static int rules_tree(int argc, char **argv)
{
	const char *source = ".", *format = "json", *lang = NULL;
	const opt_spec specs[] = {
		{ "--format", "FORMAT", "json (what the site embeds) or dot (for Graphviz)", OPT_STRING, &format },
		{ "--source", "DIR", "the site folder, for content/site.yaml's languages (default .)", OPT_DIR,
		  &source },
		{ "--lang", "LANG", "the language of the DOT labels (default: the default language)", OPT_STRING,
		  &lang },
		{ 0 },
	};
	char *pos[1];
	int npos = 0;
	rules_langs l = { 0 };
	rules *r = NULL;
	buf out = BUF_INIT;
	int rc = rules_parse("rules tree", "rules tree FILE [--format json|dot] [--source DIR] [--lang LANG]",
			     specs, argc, argv, pos, 1, &npos);
	if (rc >= 0)
		goto done;
	if (npos != 1 || (strcmp(format, "json") != 0 && strcmp(format, "dot") != 0)) {
		rc = npos != 1 ? diag_usage("rules tree", "give one rules file")
			       : diag_usage("rules tree", "--format takes json or dot, not '%s'", format);
		goto done;
	}
	phare_status st = rules_compile_with_site(source, pos[0], &l, &r);
	size_t li = st == PHARE_OK ? rules_pick_lang("rules tree", r, lang, &st) : 0;
	if (st == PHARE_OK) {
		if (strcmp(format, "json") == 0)
			rules_write_json(r, &out);
		else
			rules_write_dot(r, li, &out);
		fwrite(out.ptr, 1, out.len, stdout);
	}
	rc = rules_exit(st);
done:
	buf_release(&out);
	rules_free(r);
	arena_release(&l.mem);
	return rc;
}

static int rules_test(int argc, char **argv)
{
	const char *source = ".";
	const opt_spec specs[] = {
		{ "--source", "DIR",
		  "the site folder: its rules/*.lua are tested when no FILE is given, and "
		  "content/site.yaml gives the languages (default .)",
		  OPT_DIR, &source },
		{ 0 },
	};
	char **pos = xcalloc((size_t)argc + 1, sizeof(char *));
	char **names = NULL, **files = NULL;
	int npos = 0, nfiles = 0;
	rules_langs l = { 0 };
	int rc = rules_parse("rules test", "rules test [FILE...] [--source DIR]", specs, argc, argv, pos, argc,
			     &npos);
	if (rc >= 0)
		goto done;
	phare_status st = rules_site_langs(source, &l);
	if (st != PHARE_OK) {
		rc = rules_exit(st);
		goto done;
	}
	char *dir = fsx_join(source, "rules");
	if (npos == 0 && (names = fsx_list(dir))) {
		size_t n = 0;
		while (names[n])
			n++;
		files = xcalloc(n + 1, sizeof(char *));
		for (size_t i = 0; i < n; i++) {
			size_t len = strlen(names[i]);
			if (len > 4 && strcmp(names[i] + len - 4, ".lua") == 0)
				files[nfiles++] = fsx_join(dir, names[i]);
		}
	}
	if (npos == 0 && nfiles == 0)
		printf("no rules files in %s\n", dir);
	free(dir);
	size_t failed = 0;
	for (int i = 0; i < (npos ? npos : nfiles); i++) {
		const char *file = npos ? pos[i] : files[i];
		rules *r = NULL;
		if (rules_compile_file(file, l.codes, l.n, l.def, &r) != PHARE_OK) {
			printf("%s: FAILED\n", file);
			failed++;
			continue;
		}
		printf("%s: ok, %zu expect%s hold (%zu questions, %zu outcomes, %zu nodes)\n", file,
		       r->n_expects, r->n_expects == 1 ? "" : "s", r->n_questions, r->n_outcomes, r->n_nodes);
		rules_free(r);
	}
	rc = failed ? EXIT_FAILED : EXIT_OK;
done:
	for (int i = 0; files && i < nfiles; i++)
		free(files[i]);
	free(files);
	fsx_free_list(names);
	arena_release(&l.mem);
	free(pos);
	return rc;
}

int cmd_rules(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int, char **);
		const char *summary;
	} subs[] = {
		{ "run", rules_run, "rules run FILE q=a...: the outcome for these answers (last line)" },
		{ "test", rules_test, "rules test [FILE...]: compile and check the expects" },
		{ "tree", rules_tree, "rules tree FILE --format json|dot: print the decision tree" },
	};
	const size_t n = sizeof(subs) / sizeof(subs[0]);
	if (argc >= 2)
		for (size_t i = 0; i < n; i++)
			if (strcmp(argv[1], subs[i].name) == 0)
				return subs[i].run(argc - 1, argv + 1);
	bool help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
	FILE *f = help ? stdout : stderr;
	if (argc >= 2 && !help)
		diag_usage("rules", "no subcommand '%s'", argv[1]);
	fprintf(f, "usage: phare rules COMMAND ...\n\n");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %s\n", subs[i].summary);
	return help ? EXIT_OK : EXIT_USAGE;
}

/* rules.h: a questionnaire written in Lua (rules/<name>.lua), compiled into
 * a decision tree that the site's pages and script walk with no server.
 *
 * The rules file (the DSL; every call is checked and a mistake is an error
 * naming file:line):
 *     title { fr = "LXC ou KVM ?", en = "LXC or KVM?" }
 *     intro { fr = "…", en = "…" }                          -- optional
 *     question "guest_os" {
 *       text = { fr = "…", en = "…" }, help = { … },        -- help optional
 *       answers = { { id = "linux", fr = "Linux", en = "Linux" }, … },  -- 2 or more
 *     }
 *     outcome "kvm" { text = { … }, summary = { … }, article = "section/slug" }
 *     question "workloads" { text = …, multiple = true, min = 1, max = 3, answers = { … } }
 *     compare "vps-lxc-kvm"                                  -- optional: a table of content/tables/
 *     decide(function(a) if a.guest_os == "other" then return "kvm", { en = "…" } end
 *                        if a.workloads.docker then return { kvm = 8, lxc = 5 }, { kvm = …, lxc = … } end
 *                        return "lxc" end)
 *     expect({ guest_os = "other" }, "kvm")
 *     expect({ workloads = { "docker" } }, { "kvm", "lxc" })   -- a set; the whole ranking
 * A translated string is a table { <language code> = "text" } or a plain
 * string used for every language.  decide() may return, after the outcome
 * id, one reason (a translated string) or a list of them; or a ranking
 * { id = score, … } (sorted by score, ties by declaration order) and a
 * table of reasons per ranked outcome.  A multiple-answer question reads as
 * a set ({ docker = true }); expect takes it as a list of answer ids.  Ids
 * are made of letters, digits, '_' and '-'.
 *
 * Compilation runs decide() again and again, each time with the answers of
 * one path fixed: `a` is a proxy that records which question is read; the
 * first read of a question not fixed yet stops the run, and the compiler
 * branches on every answer of that question.  So a path asks only what the
 * rules consult on it, in the order they consult it.  A question whose
 * answers all lead to the same subtree is dropped from that path, and
 * identical subtrees are shared.  Then every expect() is checked against the
 * tree, branching over the questions it leaves open.
 *
 * Errors (the rules are refused): syntax and DSL mistakes, a runtime error,
 * reading an undeclared question, returning no outcome or an undeclared one,
 * a ranking with a score that is not a finite number or an undeclared
 * outcome, min/max a question cannot meet, a failing expect, and the limits
 * below (a multiple-answer question's selections of up to max answers, and
 * the static pages: one per node and per selection).  Warnings: an outcome never
 * reached, a question never asked, a translation missing for a language
 * (the default language's text is used) or given for an unknown language.
 * Every message names the file, the line when Lua knows it, and the answer
 * path that led there.
 *
 * Sandbox (sandbox.h): only base (without load, loadfile, dofile, print,
 * collectgarbage, warn), string (without dump), table, math (without random,
 * randomseed) and utf8; the file is loaded as text only; instructions are
 * counted by a hook and memory by the allocator; and the whole compilation
 * runs in a forked child with a CPU and wall-clock limit, because the count
 * hook cannot stop a C function (a backtracking pattern, a __gc finalizer).
 *
 * The tree as JSON (rules_write_json), keys sorted, the same bytes for the
 * same rules; a text ("T" below) is an object { <lang>: "…" } with every
 * language of "languages":
 *   { "name": "choose-virtualization",
 *     "languages": ["fr", "en"], "default_language": "fr",
 *     "title": T, "intro": T,                                  (intro optional)
 *     "compare": "vps-lxc-kvm",                                (optional)
 *     "questions": { "<id>": { "text": T, "help": T,            (help optional)
 *                              "answers": [ { "id": "linux", "label": T }, … ],
 *                              "multiple": true, "min": 1, "max": 3 } },  (multiple only)
 *     "outcomes": { "<id>": { "text": T, "summary": T,          (both optional:)
 *                             "article": "section/slug" } },
 *     "root": "n0",
 *     "nodes": { "n0": { "question": "guest_os", "next": { "linux": "n1", "other": "n2" } },
 *                "n2": { "outcome": "kvm", "reasons": [ T, … ] },
 *                "n3": { "question": "workloads", "next": { "docker,server": "n4", … } },
 *                "n4": { "outcome": "kvm", "reasons": [ T, … ],    (ranking: when decide ranked)
 *                        "ranking": [ { "outcome": "kvm", "score": 8, "reasons": [ T, … ] }, … ] } } }
 * A set's key is its answer ids sorted and joined by ','; "" is the empty set.
 * Node ids are "n<index>", numbered depth-first from the root in answer
 * order.  Every question and outcome of the file is listed, asked or not. */
#ifndef PHARE_RULES_H
#define PHARE_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/status.h"

/* Limits, each an error when exceeded. */
#define RULES_MAX_FILE (1u << 20)      /* bytes of a rules file */
#define RULES_MAX_NODES 10000          /* nodes of the compiled (shared) tree */
#define RULES_MAX_RUNS 100000          /* runs of decide() while exploring */
#define RULES_MAX_QUESTIONS 200
#define RULES_MAX_ANSWERS 50           /* per question */
#define RULES_MAX_SELECTIONS 256       /* selections a multiple-answer question may have (of at most max answers) */
#define RULES_MAX_MEMORY (64u << 20)   /* bytes the Lua state may allocate */
#define RULES_MAX_STEPS 10000000L      /* Lua instructions: loading the file, or one run of decide() */
#define RULES_CPU_SECONDS 3            /* CPU time of the whole compilation */
#define RULES_WALL_SECONDS 6           /* wall-clock time of the whole compilation */

/* A translated text: an array of n_langs strings indexed like rules.langs,
 * never NULL inside (a missing translation holds the default language's).
 * A field typed `const char **` is NULL when the optional field is absent. */

typedef struct rules_answer {
	const char *id;
	const char **label;
} rules_answer;

/* A multiple-answer question (multiple = true) is answered by a set of its
 * answers, a bit mask (bit i: answers[i]); the sets of min to max answers
 * are its choices, in increasing mask order.  A single-answer question's
 * choices are its answers.  A node's next[] and rules_walk's answers[]
 * index choices. */
typedef struct rules_question {
	const char *id;
	const char **text;
	const char **help;      /* NULL when absent */
	rules_answer *answers;  /* in the file's order */
	size_t n_answers;
	int line;               /* of question "id" in the file */
	bool multiple;
	int min, max;                   /* multiple: how many answers may be ticked */
	const unsigned long long *sets; /* multiple: n_choices masks; NULL otherwise */
	size_t n_choices;               /* n_answers, or the number of sets */
} rules_question;

typedef struct rules_outcome {
	const char *id;
	const char **text;
	const char **summary;   /* NULL when absent */
	const char *article;    /* "section/slug", or NULL; its existence is the site build's to check */
	int line;
} rules_outcome;

/* One outcome of a leaf's ranking, with its reasons (for the first: why
 * it is recommended; for the others: why not first). */
typedef struct rules_rank {
	int outcome;           /* index into outcomes */
	double score;          /* 0 when decide returned an outcome id */
	const char ***reasons; /* n_reasons texts */
	size_t n_reasons;
} rules_rank;

typedef struct rules_node {
	int question;           /* index into questions, or -1 for a leaf */
	const size_t *next;     /* question >= 0: a node index per choice, in the choices' order */
	int outcome;            /* leaf: index into outcomes (ranks[0]'s); -1 otherwise */
	const char ***reasons;  /* leaf: n_reasons texts (ranks[0]'s) */
	size_t n_reasons;
	const rules_rank *ranks; /* leaf: n_ranks outcomes, best first (score, then declaration order) */
	size_t n_ranks;
	bool scored; /* leaf: decide returned a ranking { id = score, … } */
} rules_node;

typedef struct rules {
	const char *path;       /* as given to rules_compile_file */
	const char *name;       /* file name without folder and ".lua" */
	const char **langs;     /* n_langs codes; the site's order, or sorted */
	size_t n_langs;
	size_t default_lang;    /* index into langs */
	const char **title;
	const char **intro;     /* NULL when absent */
	const char *compare;    /* compare "name": a table of content/tables/, or NULL */
	int compare_line;
	rules_question *questions; /* in the file's order */
	size_t n_questions;
	rules_outcome *outcomes;   /* in the file's order */
	size_t n_outcomes;
	rules_node *nodes;      /* nodes[0] is the root; node i is "n<i>" in JSON */
	size_t n_nodes;
	size_t n_expects;       /* expect() calls checked */
	arena mem;              /* owns everything above */
} rules;

/* Compiles the rules file at path.  langs (nlangs codes, may be 0) are the
 * site's languages and default_lang its default (NULL: langs[0]); with
 * nlangs == 0 the languages are those the rules use (sorted; the default is
 * default_lang if they use it, else the first).  Every problem is reported
 * through diag naming path; on PHARE_OK *out is a new tree the caller frees
 * with rules_free, otherwise *out is NULL.  Forks a child for the work (see
 * sandbox.h); it may be called while other threads run, as the child only
 * touches its own memory and the pipe.  Takes milliseconds for real rules,
 * at most RULES_WALL_SECONDS for hostile ones. */
phare_status rules_compile_file(const char *path, const char *const *langs, size_t nlangs,
				const char *default_lang, rules **out) PHARE_MUST_USE;
void rules_free(rules *r);

/* Index of the question / outcome / language with that id, or -1. */
int rules_question_index(const rules *r, const char *id);
int rules_outcome_index(const rules *r, const char *id);
int rules_answer_index(const rules_question *q, const char *id);
int rules_lang_index(const rules *r, const char *code);
/* The choice of q whose set is mask (multiple), or -1 when it has none. */
int rules_choice_of_set(const rules_question *q, unsigned long long mask);
/* The selections of 0 to max answers of q (its static pages), in
 * increasing mask order, into masks (room for RULES_MAX_SELECTIONS); a
 * single-answer question has one, 0.  Returns their count. */
size_t rules_question_selections(const rules_question *q, unsigned long long *masks);
/* Fills q->sets and q->n_choices from n_answers, multiple, min and max. */
void rules_question_choices(arena *a, rules_question *q);
/* Selections of 0 to max answers of q: the static pages of one of its nodes
 * (1 for a single-answer question). */
unsigned long long rules_question_pages(const rules_question *q);
/* Appends the answer ids of mask, sorted by id, comma-separated ("" for none). */
void rules_set_ids(const rules_question *q, unsigned long long mask, buf *out);

/* Walks the tree from the root with answers[q] (an answer index per
 * question, -1 when not given).  Returns the leaf's node index, or -1 with
 * *missing set to the first question asked on the way and not answered. */
long rules_walk(const rules *r, const int *answers, int *missing);

/* Appends the tree as JSON (format above) / as a Graphviz digraph labelled
 * in language lang (an index into langs). */
void rules_write_json(const rules *r, buf *out);
void rules_write_dot(const rules *r, size_t lang, buf *out);

#endif

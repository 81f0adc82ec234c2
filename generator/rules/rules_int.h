/* rules_int.h: what the rules modules share inside the isolated child (not
 * for other modules: use rules.h).
 *
 * rules_dsl.c loads the file into a rules_ctx (the DSL calls fill it),
 * rules_compile.c explores decide() into r->nodes and checks the expects,
 * rules_wire.c carries the result and the messages from the child back to
 * phare, which reports them through diag (rules.c). */
#ifndef PHARE_RULES_INT_H
#define PHARE_RULES_INT_H

#include <stdarg.h>

#include "rules/rules.h"
#include "rules/sandbox.h"
#include "util/diag.h"
#include "util/map.h"

/* A translated text as written: plain (one string for all languages) or
 * n (language, string) pairs sorted by language. */
typedef struct rtext {
	const char *plain;
	size_t n;
	const char **lang, **str;
} rtext;

typedef struct dsl_question {
	const char *id;
	rtext *text, *help;
	size_t n_answers;
	const char **answer_ids;
	rtext **labels;
	int line;
	bool multiple;
	int min, max;
} dsl_question;

typedef struct dsl_outcome {
	const char *id;
	rtext *text, *summary;
	const char *article;
	int line;
} dsl_outcome;

/* expect(answers, outcome or ranking): answer k is aids[k] (a string) or,
 * for a set, n_set[k] ids in sets[k]. */
typedef struct dsl_expect {
	size_t n;
	const char **qids, **aids;
	const char ***sets;
	size_t *n_set;
	const char **outcomes; /* n_outcomes ids: one (the first), or the whole ranking */
	size_t n_outcomes;
	bool whole; /* a list was given: the ranking must be exactly it */
	int line;
	int *answers; /* resolved: a choice index per question, -1 when open */
	int *outcome_index;
} dsl_expect;

typedef struct rules_record {
	diag_level level;
	int line;
	char *msg;
} rules_record;

typedef struct rules_ctx {
	rules *r;                  /* being built; strings in r->mem */
	const char *path;
	const char *const *site_langs;
	size_t n_site_langs;
	const char *default_lang;
	sandbox *sb;
	/* The DSL's declarations. */
	bool loading;              /* the file's top level is running */
	rtext *title, *intro;
	int title_line;
	dsl_question *qs;
	size_t n_qs, cap_qs;
	dsl_outcome *os;
	size_t n_os, cap_os;
	dsl_expect *exps;
	size_t n_exps, cap_exps;
	int decide_ref;            /* LUA_NOREF until decide() */
	int decide_line;
	/* Exploration. */
	int *fixed;                /* per question: answer index, or -1 */
	size_t *order;             /* questions fixed, in order (the answer path) */
	size_t depth;
	bool *read;                /* per question: decide read it at least once */
	int pending;               /* question to branch on, or -1 */
	char *fatal;               /* an error found inside a run, reported after it */
	int fatal_line;
	size_t runs;
	rules_node *nodes;         /* interned nodes, before renumbering */
	size_t n_nodes, cap_nodes;
	map interned;              /* node key -> index + 1 */
	arena scratch;
	/* Messages, replayed by the parent in order; seen removes duplicates. */
	rules_record *recs;
	size_t n_recs, cap_recs;
	map seen;
	char *note;                /* progress note shared with the parent */
	size_t note_size;
} rules_ctx;

void rules_ctx_report(rules_ctx *c, diag_level level, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Reports a Lua error message "chunk:line: text", taking the line out of
 * it; context (may be NULL) is appended. */
void rules_ctx_report_lua(rules_ctx *c, const char *msg, const char *context);
/* The answer path so far, "guest_os=linux, isolation=strong" (scratch arena). */
const char *rules_ctx_path(rules_ctx *c);

/* rules_dsl.c: installs the DSL in the sandbox, runs the file, then checks
 * the declarations and fills r's questions, outcomes and languages. */
phare_status rules_dsl_load(rules_ctx *c, const char *text, size_t len) PHARE_MUST_USE;
/* Resolves a text to one string per language of r (warning about missing
 * or unknown languages); what names it in messages ("question 'x' text"). */
const char **rules_dsl_resolve(rules_ctx *c, const rtext *t, const char *what, int line);
/* Reads the translated text at idx (outside any Lua call: raw access only);
 * NULL with *err set (scratch arena) when it is not one. */
rtext *rules_dsl_text(rules_ctx *c, int idx, const char *what, const char **err);

/* rules_compile.c: explores decide() into r->nodes, checks the expects and
 * warns about what is never used. */
phare_status rules_compile(rules_ctx *c) PHARE_MUST_USE;

/* rules_wire.c: the child's result as bytes, and back. */
void rules_wire_write(buf *out, phare_status st, const rules_ctx *c);
/* Replays the messages through diag and rebuilds the tree; returns the
 * child's status (or PHARE_ERR_INTERNAL for unreadable bytes, reported). */
phare_status rules_wire_read(const char *path, const char *data, size_t len, rules **out) PHARE_MUST_USE;

#endif

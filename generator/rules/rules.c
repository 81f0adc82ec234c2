/* rules.c: rules_compile_file (the isolated child's job and its result),
 * and the look-ups on a compiled tree.
 *
 * The whole compilation (loading the file, exploring decide, checking the
 * expects) runs in a forked child (sandbox_isolate): the messages it finds
 * are kept as records, sent back with the tree, and reported here through
 * diag in their order, so phare's message counts and capture see them as
 * if they had been found in this process. */
#include "rules/rules.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules_int.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/xalloc.h"

void rules_ctx_report(rules_ctx *c, diag_level level, int line, const char *fmt, ...)
{
	buf msg = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	/* The same warning (a reason's missing translation) can come up on
	 * many paths: say it once. */
	char *key = arena_printf(&c->scratch, "%d:%d:%s", (int)level, line, msg.ptr);
	if (map_get(&c->seen, key)) {
		buf_release(&msg);
		return;
	}
	map_put(&c->seen, key, key);
	c->recs = xgrow(c->recs, &c->cap_recs, c->n_recs + 1, sizeof(*c->recs));
	c->recs[c->n_recs++] = (rules_record){ level, line, buf_detach(&msg, NULL) };
}

void rules_ctx_report_lua(rules_ctx *c, const char *msg, const char *context)
{
	/* Lua writes "chunk:line: text"; the chunk may be shortened ("...h.lua")
	 * so look for the first ":<digits>: " rather than for the path. */
	int line = 0;
	if (!msg)
		msg = "(no message)";
	const char *text = msg;
	for (const char *p = strchr(msg, ':'); p; p = strchr(p + 1, ':')) {
		const char *d = p + 1;
		int n = 0;
		while (*d >= '0' && *d <= '9' && n < 100000000)
			n = n * 10 + (*d++ - '0');
		if (d > p + 1 && d[0] == ':' && d[1] == ' ') {
			line = n;
			text = d + 2;
			break;
		}
	}
	if (context)
		rules_ctx_report(c, DIAG_ERROR, line, "%s%s%s", text, context[0] == ';' ? "" : " ", context);
	else
		rules_ctx_report(c, DIAG_ERROR, line, "%s", text);
}

typedef struct rules_job {
	const char *path;
	const char *text;
	size_t len;
	const char *const *langs;
	size_t nlangs;
	const char *default_lang;
} rules_job;

/* See the end of rules_child (volatile: the store must not be optimised away). */
static rules_ctx *volatile rules_child_kept;

/* Runs in the child: everything from the text to the checked tree. */
static void rules_child(void *arg, buf *out, char *note, size_t note_size)
{
	const rules_job *job = arg;
	rules *r = xcalloc(1, sizeof(*r));
	rules_ctx c = { .r = r, .path = job->path, .site_langs = job->langs, .n_site_langs = job->nlangs,
			.default_lang = job->default_lang, .note = note, .note_size = note_size };
	r->path = job->path;
	phare_status st;
	snprintf(note, note_size, "while loading the file");
	if (!(c.sb = sandbox_new(RULES_MAX_MEMORY))) {
		rules_ctx_report(&c, DIAG_ERROR, 0, "cannot create a Lua state");
		st = PHARE_ERR_INTERNAL;
	} else if ((st = rules_dsl_load(&c, job->text, job->len)) == PHARE_OK) {
		st = rules_compile(&c);
	}
	rules_wire_write(out, st, &c);
	/* The child exits right after and its memory goes with it; still, leak
	 * checkers (valgrind, LeakSanitizer) follow it.  Closing the Lua state
	 * runs the rules' __gc finalizers, but under the same instruction hook,
	 * memory cap and CPU/wall limits as everything else here; the rest stays
	 * reachable through a static copy of the context. */
	if (c.sb)
		sandbox_free(c.sb);
	c.sb = NULL;
	rules_ctx *keep = xmalloc(sizeof(*keep));
	*keep = c;
	rules_child_kept = keep;
}

phare_status rules_compile_file(const char *path, const char *const *langs, size_t nlangs,
				const char *default_lang, rules **out)
{
	*out = NULL;
	buf text = BUF_INIT, result = BUF_INIT, note = BUF_INIT, detail = BUF_INIT;
	phare_status st = fsx_read(path, &text, RULES_MAX_FILE);
	if (st != PHARE_OK)
		return st;
	rules_job job = { path, text.ptr, text.len, langs, nlangs,
			  default_lang ? default_lang : nlangs ? langs[0] : NULL };
	sandbox_fate fate = sandbox_isolate(rules_child, &job, RULES_CPU_SECONDS, RULES_WALL_SECONDS,
					    &result, &note, &detail);
	switch (fate) {
	case SANDBOX_DONE:
		st = rules_wire_read(path, result.ptr, result.len, out);
		break;
	case SANDBOX_TIMEOUT:
		diag_error(path, 0, 0, "the rules take too long (more than %d s of CPU or %d s in all) %s; "
			   "look for an endless loop in a library call or a string pattern that backtracks "
			   "too much (several '-' or '*' in string.find, match, gmatch or gsub)",
			   RULES_CPU_SECONDS, RULES_WALL_SECONDS, note.ptr);
		st = PHARE_ERR_LIMIT;
		break;
	default:
		diag_error(path, 0, 0, "compiling the rules failed: the isolated process %s %s", detail.ptr,
			   note.ptr);
		st = PHARE_ERR_INTERNAL;
		break;
	}
	buf_release(&text);
	buf_release(&result);
	buf_release(&note);
	buf_release(&detail);
	return st;
}

void rules_free(rules *r)
{
	if (!r)
		return;
	arena_release(&r->mem);
	free(r);
}

int rules_question_index(const rules *r, const char *id)
{
	for (size_t i = 0; i < r->n_questions; i++)
		if (strcmp(r->questions[i].id, id) == 0)
			return (int)i;
	return -1;
}

int rules_outcome_index(const rules *r, const char *id)
{
	for (size_t i = 0; i < r->n_outcomes; i++)
		if (strcmp(r->outcomes[i].id, id) == 0)
			return (int)i;
	return -1;
}

int rules_answer_index(const rules_question *q, const char *id)
{
	for (size_t i = 0; i < q->n_answers; i++)
		if (strcmp(q->answers[i].id, id) == 0)
			return (int)i;
	return -1;
}

int rules_lang_index(const rules *r, const char *code)
{
	for (size_t i = 0; i < r->n_langs; i++)
		if (strcmp(r->langs[i], code) == 0)
			return (int)i;
	return -1;
}

long rules_walk(const rules *r, const int *answers, int *missing)
{
	size_t n = 0;
	*missing = -1;
	for (size_t steps = 0; steps <= r->n_nodes; steps++) {
		const rules_node *node = &r->nodes[n];
		if (node->question < 0)
			return (long)n;
		int a = answers[node->question];
		if (a < 0 || (size_t)a >= r->questions[node->question].n_choices) {
			*missing = node->question;
			return -1;
		}
		n = node->next[a];
	}
	return -1; /* not reached: the tree has no cycle */
}

int rules_choice_of_set(const rules_question *q, unsigned long long mask)
{
	for (size_t i = 0; q->sets && i < q->n_choices; i++)
		if (q->sets[i] == mask)
			return (int)i;
	return -1;
}

static int rules_count_bits(unsigned long long m)
{
	int n = 0;
	for (; m; m &= m - 1)
		n++;
	return n;
}

unsigned long long rules_question_pages(const rules_question *q)
{
	if (!q->multiple)
		return 1;
	/* sum of C(n, k) for k = 0..max; n <= RULES_MAX_ANSWERS keeps it in range */
	unsigned long long total = 0, c = 1;
	for (int k = 0; k <= q->max; k++) {
		total += c;
		c = c * (unsigned long long)(q->n_answers - (size_t)k) / (unsigned long long)(k + 1);
	}
	return total;
}

size_t rules_question_selections(const rules_question *q, unsigned long long *masks)
{
	masks[0] = 0;
	if (!q->multiple)
		return 1;
	size_t count = 0;
	unsigned long long end = 1ull << q->n_answers;
	for (unsigned long long m = 0; m < end && count < RULES_MAX_SELECTIONS; m++) {
		if (rules_count_bits(m) > q->max) {
			m += (m & (~m + 1)) - 1; /* every mask up to the next carry has more bits */
			continue;
		}
		masks[count++] = m;
	}
	return count;
}

void rules_question_choices(arena *a, rules_question *q)
{
	if (!q->multiple) {
		q->sets = NULL;
		q->n_choices = q->n_answers;
		return;
	}
	/* Only called once the selections are known to be few (the DSL's check). */
	unsigned long long *sets = arena_alloc(a, (RULES_MAX_SELECTIONS + 1) * sizeof(*sets));
	size_t all = rules_question_selections(q, sets), n = 0;
	for (size_t i = 0; i < all; i++)
		if (rules_count_bits(sets[i]) >= q->min)
			sets[n++] = sets[i];
	q->sets = sets;
	q->n_choices = n;
}

void rules_set_ids(const rules_question *q, unsigned long long mask, buf *out)
{
	const char *ids[RULES_MAX_ANSWERS];
	size_t n = 0;
	for (size_t i = 0; i < q->n_answers; i++)
		if (mask >> i & 1)
			ids[n++] = q->answers[i].id;
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(ids[j - 1], ids[j]) > 0; j--) {
			const char *t = ids[j];
			ids[j] = ids[j - 1];
			ids[j - 1] = t;
		}
	for (size_t i = 0; i < n; i++)
		buf_addf(out, "%s%s", i ? "," : "", ids[i]);
}

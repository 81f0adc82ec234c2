/* fuzz_rules.c: any bytes as a rules file, compiled as rules_compile_file's
 * child does it (rules_dsl_load, rules_compile), then carried over the wire
 * format the parent reads (rules_wire_write, rules_wire_read) and written
 * as JSON and Graphviz.
 *
 * In this process, not in a forked child, so that libFuzzer sees the
 * coverage: the instruction and memory caps of the sandbox still apply, but
 * not the CPU and wall-clock limits that phare puts on the child for what
 * the instruction hook cannot stop (string patterns that backtrack, __gc
 * finalizers).  Inputs using those are skipped here; they are the sandbox's
 * own tests (tests/unit/test_rules.c). */
#include "fuzz.h"

#include <lauxlib.h>

#include "rules/rules_int.h"
#include "util/xalloc.h"

static const char *const fuzz_rules_skip[] = { "find", "match", "gsub", "__gc", "\\95", "\\x5", NULL };

static void fuzz_rules_ctx_free(rules_ctx *c)
{
	free(c->qs);
	free(c->os);
	free(c->exps);
	free(c->nodes);
	for (size_t i = 0; i < c->n_recs; i++)
		free(c->recs[i].msg);
	free(c->recs);
	map_release(&c->interned);
	map_release(&c->seen);
	arena_release(&c->scratch);
	rules_free(c->r);
}

static void fuzz_rules(const char *data, size_t size)
{
	static const char *const langs[] = { "fr", "en" };
	fuzz_quiet();
	if (size > RULES_MAX_FILE)
		return; /* rules_compile_file refuses it before */
	for (const char *const *w = fuzz_rules_skip; *w; w++)
		if (memmem(data, size, *w, strlen(*w)))
			return;
	char note[256] = "";
	rules_ctx c = { .r = xcalloc(1, sizeof(rules)), .path = "rules/fuzz.lua", .site_langs = langs,
			.n_site_langs = 2, .default_lang = "fr", .note = note, .note_size = sizeof(note),
			.decide_ref = LUA_NOREF };
	c.r->path = c.path;
	phare_status st = PHARE_ERR_INTERNAL;
	if ((c.sb = sandbox_new(RULES_MAX_MEMORY)) != NULL && (st = rules_dsl_load(&c, data, size)) == PHARE_OK)
		st = rules_compile(&c);
	buf wire = BUF_INIT;
	rules_wire_write(&wire, st, &c);
	if (c.sb)
		sandbox_free(c.sb);
	fuzz_rules_ctx_free(&c);

	rules *r = NULL;
	phare_status back = rules_wire_read(c.path, wire.ptr, wire.len, &r);
	FUZZ_ASSERT(back == st);
	FUZZ_ASSERT((st == PHARE_OK) == (r != NULL));
	if (r) {
		FUZZ_ASSERT(r->n_nodes >= 1 && r->n_nodes <= RULES_MAX_NODES);
		buf out = BUF_INIT;
		rules_write_json(r, &out);
		for (size_t l = 0; l < r->n_langs; l++)
			rules_write_dot(r, l, &out);
		buf_release(&out);
		/* Every leaf is reachable by a walk with its answers. */
		int *answers = xcalloc(r->n_questions + 1, sizeof(int));
		int missing;
		for (size_t q = 0; q < r->n_questions; q++)
			answers[q] = 0;
		long leaf = rules_walk(r, answers, &missing);
		FUZZ_ASSERT(leaf < 0 || r->nodes[leaf].question < 0);
		free(answers);
		rules_free(r);
	}
	buf_release(&wire);
}

FUZZ_TARGET(fuzz_rules)

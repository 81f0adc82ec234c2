/* rules_compile.c: decide() explored into a shared decision tree, then the
 * expects checked against it.
 *
 * Exploration: a run of decide() gets a proxy `a` whose reads look up the
 * answers fixed so far.  The first read of a question not yet fixed marks it
 * pending and interrupts the run (sandbox_interrupt: every later instruction
 * fails too, so a pcall in the rules cannot carry on).  The compiler then
 * fixes each answer of that question in turn and runs again: the tree
 * follows the order in which the rules consult the questions.
 *
 * Nodes are hash-consed: a node's key is its question and children (or its
 * outcome and reasons), so identical subtrees are one node, and a question
 * whose children are all the same node is dropped.  Once built, the nodes
 * are renumbered depth-first from the root, which makes ids depend only on
 * the tree, not on the order of exploration. */
#include <lauxlib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules_int.h"
#include "util/xalloc.h"

static int compile_line(lua_State *L)
{
	lua_Debug ar;
	if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "l", &ar))
		return ar.currentline;
	return 0;
}

/* __index of the answers proxy. */
static int compile_read(lua_State *L)
{
	rules_ctx *c = lua_touserdata(L, lua_upvalueindex(1));
	const char *id = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
	int q = id ? rules_question_index(c->r, id) : -1;
	if (q < 0) {
		if (!c->fatal) {
			c->fatal = id ? arena_printf(&c->scratch, "decide reads question '%s', which is not "
						     "declared; declare it with question \"%s\" { … } or fix the name",
						     id, id)
				      : arena_printf(&c->scratch, "decide reads a.<%s>; questions are read by "
						     "their id, as in a.guest_os", luaL_typename(L, 2));
			c->fatal_line = compile_line(L);
		}
		sandbox_interrupt(c->sb, "(stopped: undeclared question)");
		return luaL_error(L, "undeclared question");
	}
	c->read[q] = true;
	const rules_question *qu = &c->r->questions[q];
	if (c->fixed[q] >= 0 && qu->multiple) {
		/* a fresh set each read: { docker = true, db = true } */
		unsigned long long mask = qu->sets[c->fixed[q]];
		lua_createtable(L, 0, qu->max);
		for (size_t i = 0; i < qu->n_answers; i++)
			if (mask >> i & 1) {
				lua_pushboolean(L, 1);
				lua_setfield(L, -2, qu->answers[i].id);
			}
		return 1;
	}
	if (c->fixed[q] >= 0) {
		lua_pushstring(L, qu->answers[c->fixed[q]].id);
		return 1;
	}
	if (c->pending < 0)
		c->pending = q;
	sandbox_interrupt(c->sb, "(phare explores the answers of the next question)");
	return luaL_error(L, "(phare explores the answers of the next question)");
}

static int compile_write(lua_State *L)
{
	return luaL_error(L, "the answers are read-only; keep your own variables in locals");
}

static void compile_push_proxy(rules_ctx *c, lua_State *L)
{
	lua_newuserdatauv(L, 0, 0);
	if (luaL_newmetatable(L, "phare.answers")) {
		lua_pushlightuserdata(L, c);
		lua_pushcclosure(L, compile_read, 1);
		lua_setfield(L, -2, "__index");
		lua_pushcfunction(L, compile_write);
		lua_setfield(L, -2, "__newindex");
		lua_pushliteral(L, "answers");
		lua_setfield(L, -2, "__metatable");
	}
	lua_setmetatable(L, -2);
}

const char *rules_ctx_path(rules_ctx *c)
{
	if (c->depth == 0)
		return "no answer given yet";
	buf b = BUF_INIT;
	for (size_t i = 0; i < c->depth; i++) {
		const rules_question *q = &c->r->questions[c->order[i]];
		int choice = c->fixed[c->order[i]];
		buf_addf(&b, "%s%s=", i ? ", " : "", q->id);
		if (q->multiple)
			rules_set_ids(q, q->sets[choice], &b);
		else
			buf_adds(&b, q->answers[choice].id);
	}
	const char *s = arena_strdup(&c->scratch, b.ptr);
	buf_release(&b);
	return s;
}

static phare_status compile_intern(rules_ctx *c, const rules_node *n, const buf *key, size_t *out)
{
	void *v = map_get(&c->interned, key->ptr);
	if (v) {
		*out = (size_t)(uintptr_t)v - 1;
		return PHARE_OK;
	}
	if (c->n_nodes >= RULES_MAX_NODES) {
		rules_ctx_report(c, DIAG_ERROR, c->decide_line, "the decision tree has more than %d nodes; "
				 "ask fewer questions on each path, or split the questionnaire", RULES_MAX_NODES);
		return PHARE_ERR_LIMIT;
	}
	c->nodes = xgrow(c->nodes, &c->cap_nodes, c->n_nodes + 1, sizeof(*c->nodes));
	c->nodes[c->n_nodes] = *n;
	*out = c->n_nodes++;
	map_put(&c->interned, arena_strndup(&c->scratch, key->ptr, key->len), (void *)(uintptr_t)(*out + 1));
	return PHARE_OK;
}

/* The reasons at idx (nil, a translated text or a list of them) into rk;
 * what names them in messages. */
static phare_status compile_reasons(rules_ctx *c, int idx, int line, const char *what, rules_rank *rk)
{
	lua_State *L = sandbox_lua(c->sb);
	rules *r = c->r;
	if (lua_isnil(L, idx))
		return PHARE_OK;
	bool list = lua_type(L, idx) == LUA_TTABLE && lua_rawgeti(L, idx, 1) != LUA_TNIL;
	if (lua_type(L, idx) == LUA_TTABLE)
		lua_pop(L, 1);
	size_t count = list ? (size_t)lua_rawlen(L, idx) : 1;
	const char ***reasons = arena_alloc(&r->mem, count * sizeof(*reasons));
	for (size_t i = 0; i < count; i++) {
		if (list)
			lua_rawgeti(L, idx, (lua_Integer)i + 1);
		const char *err = NULL;
		rtext *t = rules_dsl_text(c, list ? -1 : idx, what, &err);
		if (list)
			lua_pop(L, 1);
		if (!t) {
			rules_ctx_report(c, DIAG_ERROR, line, "%s (answers: %s)", err, rules_ctx_path(c));
			return PHARE_ERR_INPUT;
		}
		reasons[i] = rules_dsl_resolve(c, t, what, line);
	}
	rk->reasons = reasons;
	rk->n_reasons = count;
	return PHARE_OK;
}

/* return "kvm", reasons: a ranking of one. */
static phare_status compile_single(rules_ctx *c, int top, int line, rules_node *n)
{
	lua_State *L = sandbox_lua(c->sb);
	if (lua_type(L, top - 1) != LUA_TSTRING) {
		if (lua_isnil(L, top - 1))
			rules_ctx_report(c, DIAG_ERROR, line, "decide returned no outcome (answers: %s); every "
					 "path must end with return \"<outcome id>\"", rules_ctx_path(c));
		else
			rules_ctx_report(c, DIAG_ERROR, line,
					 "decide returned a %s instead of an outcome id "
					 "or a ranking { id = score, … } (answers: %s)",
					 luaL_typename(L, top - 1), rules_ctx_path(c));
		return PHARE_ERR_INPUT;
	}
	const char *oid = lua_tostring(L, top - 1);
	int o = rules_outcome_index(c->r, oid);
	if (o < 0) {
		rules_ctx_report(c, DIAG_ERROR, line, "decide returned '%s', which is not a declared outcome "
				 "(answers: %s); declare it with outcome \"%s\" { … } or fix the name",
				 oid, rules_ctx_path(c), oid);
		return PHARE_ERR_INPUT;
	}
	rules_rank *rk = arena_alloc(&c->r->mem, sizeof(*rk));
	rk->outcome = o;
	n->ranks = rk;
	n->n_ranks = 1;
	return compile_reasons(c, top, line, "the reason decide returned", rk);
}

static int compile_rank_cmp(const void *a, const void *b)
{
	const rules_rank *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return (x->outcome > y->outcome) - (x->outcome < y->outcome);
}

/* The outcome a ranking's key names (the key on top of a lua_next pair), or -1 (reported). */
static int compile_rank_key(rules_ctx *c, int line, const char *what)
{
	lua_State *L = sandbox_lua(c->sb);
	if (lua_type(L, -2) != LUA_TSTRING) {
		rules_ctx_report(c, DIAG_ERROR, line,
				 "%s has a key that is not an outcome id (a %s) (answers: %s); "
				 "write { outcome_id = score, … }, as in { kvm = 8, lxc = 5 }",
				 what, luaL_typename(L, -2), rules_ctx_path(c));
		return -1;
	}
	int o = rules_outcome_index(c->r, lua_tostring(L, -2));
	if (o < 0)
		rules_ctx_report(c, DIAG_ERROR, line,
				 "%s names '%s', which is not a declared outcome (answers: "
				 "%s); write { outcome_id = score, … } with declared outcomes",
				 what, lua_tostring(L, -2), rules_ctx_path(c));
	return o;
}

/* return { kvm = 8, lxc = 5 }, { kvm = reasons, lxc = reasons }. */
static phare_status compile_ranking(rules_ctx *c, int top, int line, rules_node *n)
{
	lua_State *L = sandbox_lua(c->sb);
	int tbl = top - 1;
	size_t count = 0;
	for (lua_pushnil(L); lua_next(L, tbl); lua_pop(L, 1))
		count++;
	if (count == 0) {
		rules_ctx_report(c, DIAG_ERROR, line,
				 "decide returned an empty ranking (answers: %s); give at "
				 "least one outcome a score, as in return { kvm = 8 }",
				 rules_ctx_path(c));
		return PHARE_ERR_INPUT;
	}
	rules_rank *ranks = arena_alloc(&c->r->mem, count * sizeof(*ranks));
	size_t k = 0;
	for (lua_pushnil(L); lua_next(L, tbl); lua_pop(L, 1)) {
		int o = compile_rank_key(c, line, "the ranking decide returned");
		double v = lua_type(L, -1) == LUA_TNUMBER ? (double)lua_tonumber(L, -1) : 0;
		if (o >= 0 && (lua_type(L, -1) != LUA_TNUMBER || v != v || v - v != 0))
			rules_ctx_report(c, DIAG_ERROR, line,
					 "the ranking decide returned gives '%s' a %s instead of "
					 "a score (answers: %s); scores are numbers, as in { %s = 8 }",
					 c->r->outcomes[o].id,
					 lua_type(L, -1) == LUA_TNUMBER ? "number that is not "
									  "finite"
									: luaL_typename(L, -1),
					 rules_ctx_path(c), c->r->outcomes[o].id);
		if (o < 0 || lua_type(L, -1) != LUA_TNUMBER || v != v || v - v != 0) {
			lua_settop(L, top);
			return PHARE_ERR_INPUT;
		}
		ranks[k++] = (rules_rank){ .outcome = o, .score = v };
	}
	qsort(ranks, count, sizeof(*ranks), compile_rank_cmp);
	n->ranks = ranks;
	n->n_ranks = count;
	n->scored = true;
	if (lua_isnil(L, top))
		return PHARE_OK;
	if (lua_type(L, top) != LUA_TTABLE) {
		rules_ctx_report(c, DIAG_ERROR, line,
				 "the reasons after a ranking must be a table of reasons per "
				 "outcome, as in { kvm = { en = \"…\" } }, not a %s (answers: %s)",
				 luaL_typename(L, top), rules_ctx_path(c));
		return PHARE_ERR_INPUT;
	}
	for (lua_pushnil(L); lua_next(L, top); lua_pop(L, 1)) {
		int o = compile_rank_key(c, line, "the reasons after the ranking");
		size_t i = 0;
		while (o >= 0 && i < count && ranks[i].outcome != o)
			i++;
		if (o >= 0 && i == count)
			rules_ctx_report(c, DIAG_ERROR, line,
					 "the reasons after the ranking name '%s', which the "
					 "ranking does not score (answers: %s); give it a score or drop its reasons",
					 c->r->outcomes[o].id, rules_ctx_path(c));
		const char *what = o >= 0 ? arena_printf(&c->scratch, "the reason decide returned for '%s'",
							 c->r->outcomes[o].id)
					  : "";
		if (o < 0 || i == count || compile_reasons(c, lua_gettop(L), line, what, &ranks[i]) != PHARE_OK) {
			lua_settop(L, top);
			return PHARE_ERR_INPUT;
		}
	}
	return PHARE_OK;
}

/* The leaf for the two values decide() returned (on top of the stack). */
static phare_status compile_leaf(rules_ctx *c, size_t *out)
{
	lua_State *L = sandbox_lua(c->sb);
	rules *r = c->r;
	int line = sandbox_return_line(c->sb) ? sandbox_return_line(c->sb) : c->decide_line;
	int top = lua_gettop(L);
	rules_node n = { .question = -1 };
	phare_status st = lua_type(L, top - 1) == LUA_TTABLE ? compile_ranking(c, top, line, &n)
							     : compile_single(c, top, line, &n);
	lua_settop(L, top);
	if (st != PHARE_OK)
		return st;
	n.outcome = n.ranks[0].outcome;
	n.reasons = n.ranks[0].reasons;
	n.n_reasons = n.ranks[0].n_reasons;
	/* The key: every ranked outcome, its score and its reasons. */
	buf key = BUF_INIT;
	buf_addf(&key, "L%d", n.scored);
	for (size_t k = 0; k < n.n_ranks; k++) {
		const rules_rank *rk = &n.ranks[k];
		buf_addf(&key, "#%d:%a", rk->outcome, rk->score);
		for (size_t i = 0; i < rk->n_reasons; i++) {
			buf_addc(&key, '|');
			for (size_t l = 0; l < r->n_langs; l++)
				buf_addf(&key, "%zu:%s", strlen(rk->reasons[i][l]), rk->reasons[i][l]);
		}
	}
	st = compile_intern(c, &n, &key, out);
	buf_release(&key);
	return st;
}

static phare_status compile_explore(rules_ctx *c, size_t *out)
{
	lua_State *L = sandbox_lua(c->sb);
	if (++c->runs > RULES_MAX_RUNS) {
		rules_ctx_report(c, DIAG_ERROR, c->decide_line, "exploring decide takes more than %d runs; "
				 "ask fewer questions on each path", RULES_MAX_RUNS);
		return PHARE_ERR_LIMIT;
	}
	snprintf(c->note, c->note_size, "while deciding (answers: %s)", rules_ctx_path(c));
	c->pending = -1;
	c->fatal = NULL;
	lua_rawgeti(L, LUA_REGISTRYINDEX, c->decide_ref);
	compile_push_proxy(c, L);
	int st = sandbox_call(c->sb, 1, 2, RULES_MAX_STEPS);
	if (c->fatal) {
		lua_pop(L, st == LUA_OK ? 2 : 1);
		rules_ctx_report(c, DIAG_ERROR, c->fatal_line, "%s (answers: %s)", c->fatal, rules_ctx_path(c));
		return PHARE_ERR_INPUT;
	}
	if (c->pending < 0 && st != LUA_OK) {
		const char *ctx = arena_printf(&c->scratch, "(answers: %s)", rules_ctx_path(c));
		rules_ctx_report_lua(c, lua_tostring(L, -1), ctx);
		lua_pop(L, 1);
		return PHARE_ERR_INPUT;
	}
	if (c->pending < 0) {
		phare_status s = compile_leaf(c, out);
		lua_pop(L, 2);
		return s;
	}
	lua_pop(L, st == LUA_OK ? 2 : 1);

	/* Branch on every answer of the question the rules want next. */
	int q = c->pending;
	const rules_question *qu = &c->r->questions[q];
	size_t *kids = arena_alloc(&c->scratch, qu->n_choices * sizeof(*kids));
	c->order[c->depth++] = (size_t)q;
	phare_status s = PHARE_OK;
	for (size_t a = 0; a < qu->n_choices && s == PHARE_OK; a++) {
		c->fixed[q] = (int)a;
		s = compile_explore(c, &kids[a]);
	}
	c->fixed[q] = -1;
	c->depth--;
	if (s != PHARE_OK)
		return s;
	bool same = true;
	for (size_t a = 1; a < qu->n_choices; a++)
		same = same && kids[a] == kids[0];
	if (same) {
		*out = kids[0]; /* the answer changes nothing here: do not ask */
		return PHARE_OK;
	}
	rules_node n = { .question = q, .outcome = -1, .next = kids };
	buf key = BUF_INIT;
	buf_addf(&key, "B%d", q);
	for (size_t a = 0; a < qu->n_choices; a++)
		buf_addf(&key, ",%zu", kids[a]);
	s = compile_intern(c, &n, &key, out);
	buf_release(&key);
	return s;
}

static void compile_number(const rules_ctx *c, size_t old, size_t *newid, size_t *order, size_t *count)
{
	if (newid[old] != SIZE_MAX)
		return;
	newid[old] = *count;
	order[(*count)++] = old;
	const rules_node *n = &c->nodes[old];
	if (n->question >= 0)
		for (size_t a = 0; a < c->r->questions[n->question].n_choices; a++)
			compile_number(c, n->next[a], newid, order, count);
}

static void compile_renumber(rules_ctx *c, size_t root)
{
	rules *r = c->r;
	size_t *newid = arena_alloc(&c->scratch, c->n_nodes * sizeof(size_t));
	size_t *order = arena_alloc(&c->scratch, c->n_nodes * sizeof(size_t));
	for (size_t i = 0; i < c->n_nodes; i++)
		newid[i] = SIZE_MAX;
	size_t count = 0;
	compile_number(c, root, newid, order, &count);
	r->n_nodes = count;
	r->nodes = arena_alloc(&r->mem, count * sizeof(*r->nodes));
	for (size_t i = 0; i < count; i++) {
		rules_node n = c->nodes[order[i]];
		if (n.question >= 0) {
			size_t na = r->questions[n.question].n_choices;
			size_t *next = arena_alloc(&r->mem, na * sizeof(size_t));
			for (size_t a = 0; a < na; a++)
				next[a] = newid[n.next[a]];
			n.next = next;
		}
		r->nodes[i] = n;
	}
}

/* The ranking of leaf n as "kvm, lxc, vps" (scratch arena). */
static const char *compile_ranking_ids(rules_ctx *c, const rules_node *n)
{
	buf b = BUF_INIT;
	for (size_t k = 0; k < n->n_ranks; k++)
		buf_addf(&b, "%s%s", k ? ", " : "", c->r->outcomes[n->ranks[k].outcome].id);
	const char *s = arena_strdup(&c->scratch, b.ptr);
	buf_release(&b);
	return s;
}

static bool compile_expect_leaf(rules_ctx *c, const dsl_expect *e, const rules_node *n)
{
	bool ok = e->whole ? n->n_ranks == e->n_outcomes : n->outcome == e->outcome_index[0];
	for (size_t k = 0; ok && e->whole && k < n->n_ranks; k++)
		ok = n->ranks[k].outcome == e->outcome_index[k];
	if (ok)
		return true;
	if (e->whole) {
		buf want = BUF_INIT;
		for (size_t k = 0; k < e->n_outcomes; k++)
			buf_addf(&want, "%s%s", k ? ", " : "", e->outcomes[k]);
		rules_ctx_report(c, DIAG_ERROR, e->line, "expect fails: with %s the rules rank %s, not %s",
				 rules_ctx_path(c), compile_ranking_ids(c, n), want.ptr);
		buf_release(&want);
	} else {
		rules_ctx_report(c, DIAG_ERROR, e->line, "expect fails: with %s the rules decide '%s', not '%s'",
				 rules_ctx_path(c), c->r->outcomes[n->outcome].id, e->outcomes[0]);
	}
	return false;
}

/* Walks the tree with the expect's answers, branching where it leaves a
 * question open; reports the first path that ends elsewhere. */
static bool compile_expect_walk(rules_ctx *c, const dsl_expect *e, size_t node)
{
	const rules *r = c->r;
	const rules_node *n = &r->nodes[node];
	if (n->question < 0)
		return compile_expect_leaf(c, e, n);
	int q = n->question;
	c->order[c->depth++] = (size_t)q;
	bool ok = true;
	for (size_t a = 0; a < r->questions[q].n_choices && ok; a++) {
		if (e->answers[q] >= 0 && (size_t)e->answers[q] != a)
			continue;
		c->fixed[q] = (int)a;
		ok = compile_expect_walk(c, e, n->next[a]);
	}
	c->fixed[q] = -1;
	c->depth--;
	return ok;
}

static phare_status compile_check(rules_ctx *c)
{
	rules *r = c->r;
	phare_status st = PHARE_OK;
	for (size_t i = 0; i < c->n_exps; i++)
		if (!compile_expect_walk(c, &c->exps[i], 0))
			st = PHARE_ERR_INPUT;
	bool *asked = arena_alloc(&c->scratch, r->n_questions + 1);
	/* per outcome: 0 never shown, 1 only as a runner-up, 2 recommended */
	unsigned char *reached = arena_alloc(&c->scratch, r->n_outcomes + 1);
	unsigned long long pages = 0;
	for (size_t i = 0; i < r->n_nodes; i++) {
		const rules_node *n = &r->nodes[i];
		if (n->question >= 0)
			asked[n->question] = true;
		for (size_t k = 0; n->question < 0 && k < n->n_ranks; k++) {
			unsigned char *o = &reached[n->ranks[k].outcome];
			*o = k == 0 ? 2 : *o ? *o : 1;
		}
		pages += n->question >= 0 ? rules_question_pages(&r->questions[n->question]) : 1;
	}
	/* A multiple-answer question is a page per selection without JavaScript. */
	if (pages > RULES_MAX_NODES) {
		rules_ctx_report(c, DIAG_ERROR, c->decide_line,
				 "the questionnaire needs %llu static pages (a page "
				 "per node, and per selection of a multiple-answer question), more than %d; ask "
				 "fewer questions on each path or allow fewer answers at once",
				 pages, RULES_MAX_NODES);
		st = PHARE_ERR_LIMIT;
	}
	for (size_t i = 0; i < r->n_questions; i++)
		if (!asked[i])
			rules_ctx_report(c, DIAG_WARNING, r->questions[i].line, c->read[i]
					 ? "question '%s' is never asked: its answers never change the outcome"
					 : "question '%s' is never asked: decide never reads it", r->questions[i].id);
	for (size_t i = 0; i < r->n_outcomes; i++)
		if (reached[i] < 2)
			rules_ctx_report(c, DIAG_WARNING, r->outcomes[i].line,
					 reached[i] ? "outcome '%s' is never recommended: it is only ever a runner-up; "
						      "give it the best score for the answers it fits"
						    : "outcome '%s' is never reached: no answers lead to it",
					 r->outcomes[i].id);
	return st;
}

phare_status rules_compile(rules_ctx *c)
{
	rules *r = c->r;
	c->fixed = arena_alloc(&c->scratch, (r->n_questions + 1) * sizeof(int));
	c->order = arena_alloc(&c->scratch, (r->n_questions + 1) * sizeof(size_t));
	c->read = arena_alloc(&c->scratch, r->n_questions + 1);
	for (size_t i = 0; i < r->n_questions; i++)
		c->fixed[i] = -1;
	sandbox_watch_returns(c->sb, c->decide_line);
	size_t root = 0;
	phare_status st = compile_explore(c, &root);
	if (st != PHARE_OK)
		return st;
	compile_renumber(c, root);
	return compile_check(c);
}

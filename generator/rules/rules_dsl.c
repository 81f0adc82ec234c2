/* rules_dsl.c: the rules file's vocabulary (title, intro, question, outcome,
 * decide, expect), checked call by call, then resolved into the languages.
 *
 * The DSL functions run inside the sandboxed call of the file's top level,
 * so a mistake raises a Lua error: luaL_error prefixes it with the calling
 * line ("file:12: "), and the loader reports it once with that line.
 * Everything they keep lives in r->mem or in the context's arrays, never in
 * a local malloc, because a Lua error jumps over the C code after it. */
#include <lauxlib.h>
#include <string.h>

#include "rules/rules_int.h"
#include "util/xalloc.h"

#define DSL_MAX_ID 64

static rules_ctx *dsl_ctx(lua_State *L)
{
	return lua_touserdata(L, lua_upvalueindex(1));
}

static bool dsl_valid_id(const char *s, size_t n)
{
	if (n == 0 || n > DSL_MAX_ID)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

static bool dsl_valid_lang(const char *s, size_t n)
{
	if (n == 0 || n > 16)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

/* A Lua string may hold NUL bytes; the texts are C strings, which would
 * silently end at the first one. */
static bool dsl_has_nul(lua_State *L, int idx)
{
	size_t n;
	const char *str = lua_tolstring(L, idx, &n);
	return memchr(str, '\0', n) != NULL;
}

/* Reads the translated text at idx; skip names a key that is not a
 * language (an answer's "id"). */
static rtext *dsl_text_skip(rules_ctx *c, int idx, const char *what, const char *skip, const char **err)
{
	lua_State *L = sandbox_lua(c->sb);
	arena *a = &c->r->mem;
	idx = lua_absindex(L, idx);
	rtext *t = arena_alloc(a, sizeof(*t));
	if (lua_type(L, idx) == LUA_TSTRING) {
		if (dsl_has_nul(L, idx)) {
			*err = arena_printf(&c->scratch, "%s holds a NUL byte (\\0); remove it", what);
			return NULL;
		}
		t->plain = arena_strdup(a, lua_tostring(L, idx));
		return t;
	}
	if (lua_type(L, idx) != LUA_TTABLE) {
		*err = arena_printf(&c->scratch, "%s must be a translated text such as { fr = \"…\", en = \"…\" } "
				    "or a string, not a %s", what, luaL_typename(L, idx));
		return NULL;
	}
	size_t n = 0;
	for (lua_pushnil(L); lua_next(L, idx); lua_pop(L, 1))
		n++;
	t->lang = arena_alloc(a, (n + 1) * sizeof(char *));
	t->str = arena_alloc(a, (n + 1) * sizeof(char *));
	for (lua_pushnil(L); lua_next(L, idx); lua_pop(L, 1)) {
		if (lua_type(L, -2) != LUA_TSTRING) {
			lua_pop(L, 2);
			*err = arena_printf(&c->scratch, "%s has a key that is not a language code; "
					    "write { fr = \"…\", en = \"…\" }", what);
			return NULL;
		}
		size_t kn;
		const char *k = lua_tolstring(L, -2, &kn);
		if (skip && strcmp(k, skip) == 0)
			continue;
		if (lua_type(L, -1) == LUA_TSTRING && dsl_has_nul(L, -1)) {
			*err = arena_printf(&c->scratch, "%s: the '%s' translation holds a NUL byte (\\0); remove it",
					    what, k);
			lua_pop(L, 2);
			return NULL;
		}
		if (!dsl_valid_lang(k, kn) || lua_type(L, -1) != LUA_TSTRING) {
			*err = arena_printf(&c->scratch, !dsl_valid_lang(k, kn)
					    ? "%s: '%s' is not a language code (lowercase letters, digits, '-')"
					    : "%s: the '%s' translation must be a string", what, k);
			lua_pop(L, 2);
			return NULL;
		}
		/* Insertion in language order, so the same file gives the same text. */
		size_t i = t->n++;
		while (i > 0 && strcmp(t->lang[i - 1], k) > 0) {
			t->lang[i] = t->lang[i - 1];
			t->str[i] = t->str[i - 1];
			i--;
		}
		t->lang[i] = arena_strdup(a, k);
		t->str[i] = arena_strdup(a, lua_tostring(L, -1));
	}
	if (t->n == 0) {
		*err = arena_printf(&c->scratch, "%s has no translation; write { fr = \"…\", en = \"…\" }", what);
		return NULL;
	}
	return t;
}

rtext *rules_dsl_text(rules_ctx *c, int idx, const char *what, const char **err)
{
	return dsl_text_skip(c, idx, what, NULL, err);
}

static void dsl_top_level(lua_State *L, rules_ctx *c, const char *name)
{
	if (!c->loading)
		luaL_error(L, "%s can only be used at the top level of a rules file, not inside decide", name);
}

/* Raises an error unless every key of the table at idx is one of keys. */
static void dsl_known_keys(lua_State *L, int idx, const char *what, const char *const *keys)
{
	for (lua_pushnil(L); lua_next(L, idx); lua_pop(L, 1)) {
		bool ok = false;
		if (lua_type(L, -2) == LUA_TSTRING)
			for (const char *const *k = keys; *k; k++)
				ok = ok || strcmp(*k, lua_tostring(L, -2)) == 0;
		if (!ok) {
			buf list = BUF_INIT;
			for (const char *const *k = keys; *k; k++)
				buf_addf(&list, "%s%s", k == keys ? "" : ", ", *k);
			lua_pushfstring(L, "%s: unknown field '%s'; the fields are %s", what,
					lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : luaL_typename(L, -2),
					list.ptr);
			buf_release(&list);
			luaL_where(L, 1);
			lua_insert(L, -2);
			lua_concat(L, 2);
			lua_error(L);
		}
	}
}

static rtext *dsl_field_text(lua_State *L, rules_ctx *c, int tbl, const char *field, const char *what,
			     bool required)
{
	lua_getfield(L, tbl, field);
	rtext *t = NULL;
	if (lua_isnil(L, -1)) {
		if (required)
			luaL_error(L, "%s has no %s; add %s = { fr = \"…\", en = \"…\" }", what, field, field);
	} else {
		const char *err = NULL;
		const char *w = arena_printf(&c->scratch, "%s %s", what, field);
		if (!(t = rules_dsl_text(c, -1, w, &err)))
			luaL_error(L, "%s", err);
	}
	lua_pop(L, 1);
	return t;
}

static int dsl_line(lua_State *L)
{
	lua_Debug ar;
	if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "l", &ar))
		return ar.currentline;
	return 0;
}

static int dsl_title_or_intro(lua_State *L, bool title)
{
	rules_ctx *c = dsl_ctx(L);
	const char *name = title ? "title" : "intro";
	dsl_top_level(L, c, name);
	if (title ? c->title != NULL : c->intro != NULL)
		luaL_error(L, "%s is given twice; keep one", name);
	const char *err = NULL;
	rtext *t = rules_dsl_text(c, 1, name, &err);
	if (!t)
		luaL_error(L, "%s", err);
	if (title) {
		c->title = t;
		c->title_line = dsl_line(L);
	} else {
		c->intro = t;
	}
	return 0;
}

/* compare "vps-lxc-kvm": the comparison table a result shows the columns of. */
static int dsl_compare(lua_State *L)
{
	rules_ctx *c = dsl_ctx(L);
	dsl_top_level(L, c, "compare");
	if (c->r->compare)
		luaL_error(L, "compare is given twice; keep one");
	size_t n;
	const char *name = lua_type(L, 1) == LUA_TSTRING ? lua_tolstring(L, 1, &n) : NULL;
	if (!name || !dsl_valid_id(name, n))
		luaL_error(L, "compare needs the name of a table of content/tables/, as in compare \"vps-lxc-kvm\"");
	c->r->compare = arena_strdup(&c->r->mem, name);
	c->r->compare_line = dsl_line(L);
	return 0;
}

static int dsl_title(lua_State *L) { return dsl_title_or_intro(L, true); }
static int dsl_intro(lua_State *L) { return dsl_title_or_intro(L, false); }

/* question "id" and outcome "id": check the id, return the function that
 * takes the body, which remembers the id and the line. */
static int dsl_named(lua_State *L, const char *kind, lua_CFunction body)
{
	rules_ctx *c = dsl_ctx(L);
	dsl_top_level(L, c, kind);
	size_t n;
	const char *id = lua_type(L, 1) == LUA_TSTRING ? lua_tolstring(L, 1, &n) : NULL;
	if (!id || !dsl_valid_id(id, n))
		luaL_error(L, "%s needs an id made of letters, digits, '_' or '-' (at most %d), as in "
			   "%s \"my_id\" { … }", kind, DSL_MAX_ID, kind);
	lua_pushlightuserdata(L, c);
	lua_pushvalue(L, 1);
	lua_pushinteger(L, dsl_line(L));
	lua_pushcclosure(L, body, 3);
	return 1;
}

static void dsl_body_start(lua_State *L, const char *kind, const char **id, int *line, const char **what)
{
	rules_ctx *c = dsl_ctx(L);
	*id = lua_tostring(L, lua_upvalueindex(2));
	*line = (int)lua_tointeger(L, lua_upvalueindex(3));
	*what = arena_printf(&c->scratch, "%s '%s'", kind, *id);
	if (lua_type(L, 1) != LUA_TTABLE)
		luaL_error(L, "%s: give its fields in braces: %s \"%s\" { text = … }", *what, kind, *id);
}

/* An integer field of the table at 1: dflt when absent. */
static int dsl_field_count(lua_State *L, const char *field, const char *what, int dflt)
{
	lua_getfield(L, 1, field);
	int isnum = 0;
	lua_Integer v = lua_tointegerx(L, -1, &isnum);
	if (!lua_isnil(L, -1) && (!isnum || v < 0 || v > RULES_MAX_ANSWERS))
		luaL_error(L, "%s: %s must be a whole number of answers, as in %s = 1", what, field, field);
	lua_pop(L, 1);
	return isnum ? (int)v : dflt;
}

/* multiple, min and max: checked, and the selections counted. */
static void dsl_question_multiple(lua_State *L, dsl_question *q, const char *what)
{
	lua_getfield(L, 1, "multiple");
	if (!lua_isnil(L, -1) && !lua_isboolean(L, -1))
		luaL_error(L, "%s: multiple must be true or false", what);
	q->multiple = lua_toboolean(L, -1);
	lua_pop(L, 1);
	int n = (int)q->n_answers;
	q->min = dsl_field_count(L, "min", what, -1);
	q->max = dsl_field_count(L, "max", what, -1);
	if (!q->multiple && (q->min >= 0 || q->max >= 0))
		luaL_error(L,
			   "%s: min and max are for multiple-answer questions; add multiple = true or "
			   "remove them",
			   what);
	if (!q->multiple)
		return;
	if (q->min < 0)
		q->min = 0;
	if (q->max < 0)
		q->max = n;
	if (q->min > n || q->max > n)
		luaL_error(L, "%s: %s is %d but the question has %d answers; give at most %d", what,
			   q->min > n ? "min" : "max", q->min > n ? q->min : q->max, n, n);
	if (q->min > q->max)
		luaL_error(L, "%s: min (%d) is above max (%d); swap them", what, q->min, q->max);
	if (q->max == 0)
		luaL_error(L, "%s: max is 0, so no answer can be ticked; give max = 1 or more", what);
	rules_question probe = { .n_answers = q->n_answers, .multiple = true, .min = q->min, .max = q->max };
	unsigned long long pages = rules_question_pages(&probe);
	if (pages > RULES_MAX_SELECTIONS)
		luaL_error(L,
			   "%s allows %I selections (up to %d of its %d answers), more than the %d a "
			   "question may have; lower max or split the question",
			   what, (lua_Integer)pages, q->max, n, RULES_MAX_SELECTIONS);
}

static int dsl_question_body(lua_State *L)
{
	static const char *const keys[] = { "text", "help", "answers", "multiple", "min", "max", NULL };
	rules_ctx *c = dsl_ctx(L);
	const char *id, *what;
	int line;
	dsl_body_start(L, "question", &id, &line, &what);
	for (size_t i = 0; i < c->n_qs; i++)
		if (strcmp(c->qs[i].id, id) == 0)
			luaL_error(L, "%s is declared twice (first at line %d); rename one", what, c->qs[i].line);
	if (c->n_qs >= RULES_MAX_QUESTIONS)
		luaL_error(L, "more than %d questions", RULES_MAX_QUESTIONS);
	dsl_known_keys(L, 1, what, keys);
	dsl_question q = { .id = arena_strdup(&c->r->mem, id), .line = line };
	q.text = dsl_field_text(L, c, 1, "text", what, true);
	q.help = dsl_field_text(L, c, 1, "help", what, false);
	lua_getfield(L, 1, "answers");
	if (!lua_istable(L, -1))
		luaL_error(L, "%s needs answers = { { id = \"yes\", fr = \"Oui\", en = \"Yes\" }, … }", what);
	size_t n = (size_t)lua_rawlen(L, -1);
	if (n < 2 || n > RULES_MAX_ANSWERS)
		luaL_error(L, "%s has %d answer(s); give between 2 and %d", what, (int)n, RULES_MAX_ANSWERS);
	q.n_answers = n;
	q.answer_ids = arena_alloc(&c->r->mem, n * sizeof(char *));
	q.labels = arena_alloc(&c->r->mem, n * sizeof(rtext *));
	for (size_t i = 0; i < n; i++) {
		lua_rawgeti(L, -1, (lua_Integer)i + 1);
		lua_getfield(L, -1, "id");
		size_t idn;
		const char *aid = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &idn) : NULL;
		if (!lua_istable(L, -2) || !aid || !dsl_valid_id(aid, idn))
			luaL_error(L, "%s: answer %d needs an id made of letters, digits, '_' or '-', as in "
				   "{ id = \"yes\", fr = \"Oui\", en = \"Yes\" }", what, (int)i + 1);
		for (size_t j = 0; j < i; j++)
			if (strcmp(q.answer_ids[j], aid) == 0)
				luaL_error(L, "%s: answer '%s' is given twice", what, aid);
		q.answer_ids[i] = arena_strdup(&c->r->mem, aid);
		lua_pop(L, 1);
		const char *err = NULL;
		const char *w = arena_printf(&c->scratch, "%s answer '%s'", what, aid);
		if (!(q.labels[i] = dsl_text_skip(c, -1, w, "id", &err)))
			luaL_error(L, "%s", err);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	dsl_question_multiple(L, &q, what);
	c->qs = xgrow(c->qs, &c->cap_qs, c->n_qs + 1, sizeof(*c->qs));
	c->qs[c->n_qs++] = q;
	return 0;
}

/* "<section>/<slug>", or with sub-sections "cloud/vps/network/ipv6": 2 to 7
 * names (sections nest 6 deep, model.h), each a valid id. */
static bool dsl_valid_article(const char *s)
{
	size_t parts = 0;
	for (const char *p = s;; parts++) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (!n || !dsl_valid_id(p, n))
			return false;
		if (!slash)
			break;
		p = slash + 1;
	}
	return parts >= 1 && parts <= 6;
}

static int dsl_outcome_body(lua_State *L)
{
	static const char *const keys[] = { "text", "summary", "article", NULL };
	rules_ctx *c = dsl_ctx(L);
	const char *id, *what;
	int line;
	dsl_body_start(L, "outcome", &id, &line, &what);
	for (size_t i = 0; i < c->n_os; i++)
		if (strcmp(c->os[i].id, id) == 0)
			luaL_error(L, "%s is declared twice (first at line %d); rename one", what, c->os[i].line);
	dsl_known_keys(L, 1, what, keys);
	dsl_outcome o = { .id = arena_strdup(&c->r->mem, id), .line = line };
	o.text = dsl_field_text(L, c, 1, "text", what, true);
	o.summary = dsl_field_text(L, c, 1, "summary", what, false);
	lua_getfield(L, 1, "article");
	if (!lua_isnil(L, -1)) {
		if (lua_type(L, -1) != LUA_TSTRING || !dsl_valid_article(lua_tostring(L, -1)))
			luaL_error(L,
				   "%s: article must be \"<section>/<slug>\" (sub-sections between), as in article = "
				   "\"virtualisation/kvm\"",
				   what);
		o.article = arena_strdup(&c->r->mem, lua_tostring(L, -1));
	}
	lua_pop(L, 1);
	c->os = xgrow(c->os, &c->cap_os, c->n_os + 1, sizeof(*c->os));
	c->os[c->n_os++] = o;
	return 0;
}

static int dsl_fn_question(lua_State *L) { return dsl_named(L, "question", dsl_question_body); }
static int dsl_fn_outcome(lua_State *L) { return dsl_named(L, "outcome", dsl_outcome_body); }

static int dsl_decide(lua_State *L)
{
	rules_ctx *c = dsl_ctx(L);
	dsl_top_level(L, c, "decide");
	if (c->decide_ref != LUA_NOREF)
		luaL_error(L, "decide is given twice (first at line %d); keep one", c->decide_line);
	if (lua_type(L, 1) != LUA_TFUNCTION || lua_iscfunction(L, 1))
		luaL_error(L, "decide needs a function: decide(function(a) … return \"outcome_id\" end)");
	lua_Debug ar;
	lua_pushvalue(L, 1);
	lua_getinfo(L, ">S", &ar);
	c->decide_line = ar.linedefined;
	lua_settop(L, 1);
	c->decide_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	return 0;
}

/* A list of ids at idx (a set of answers, or a ranking) into *ids. */
static size_t dsl_id_list(lua_State *L, rules_ctx *c, int idx, const char ***ids, const char *usage)
{
	size_t n = (size_t)lua_rawlen(L, idx), count = 0;
	for (lua_pushnil(L); lua_next(L, idx); lua_pop(L, 1))
		count++;
	if (count != n)
		luaL_error(L, "expect: a set or a ranking is a list of ids, as in { \"docker\", \"db\" }; %s", usage);
	*ids = arena_alloc(&c->r->mem, (n + 1) * sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		if (lua_rawgeti(L, idx, (lua_Integer)i + 1) != LUA_TSTRING)
			luaL_error(L, "expect: a set or a ranking is a list of ids, as in { \"docker\", \"db\" }; %s",
				   usage);
		(*ids)[i] = arena_strdup(&c->r->mem, lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	return n;
}

static int dsl_fn_expect(lua_State *L)
{
	rules_ctx *c = dsl_ctx(L);
	dsl_top_level(L, c, "expect");
	const char *usage =
		"write expect({ question_id = \"answer_id\", set_question = { \"a\", \"b\" }, … }, "
		"\"outcome_id\" or { \"first\", \"second\", … })";
	if (lua_type(L, 1) != LUA_TTABLE || (lua_type(L, 2) != LUA_TSTRING && lua_type(L, 2) != LUA_TTABLE))
		luaL_error(L, "expect takes a table of answers and an outcome id or a ranking: %s", usage);
	dsl_expect e = { .line = dsl_line(L) };
	if (lua_type(L, 2) == LUA_TSTRING) {
		e.outcomes = arena_alloc(&c->r->mem, sizeof(char *));
		e.outcomes[0] = arena_strdup(&c->r->mem, lua_tostring(L, 2));
		e.n_outcomes = 1;
	} else {
		e.n_outcomes = dsl_id_list(L, c, 2, &e.outcomes, usage);
		e.whole = true;
		if (e.n_outcomes == 0)
			luaL_error(L,
				   "expect: the ranking is empty; name the outcomes best first, as in "
				   "{ \"kvm\", \"lxc\" }");
	}
	size_t n = 0;
	for (lua_pushnil(L); lua_next(L, 1); lua_pop(L, 1))
		n++;
	e.qids = arena_alloc(&c->r->mem, (n + 1) * sizeof(char *));
	e.aids = arena_alloc(&c->r->mem, (n + 1) * sizeof(char *));
	e.sets = arena_alloc(&c->r->mem, (n + 1) * sizeof(char **));
	e.n_set = arena_alloc(&c->r->mem, (n + 1) * sizeof(size_t));
	for (lua_pushnil(L); lua_next(L, 1); lua_pop(L, 1)) {
		if (lua_type(L, -2) != LUA_TSTRING || (lua_type(L, -1) != LUA_TSTRING && lua_type(L, -1) != LUA_TTABLE))
			luaL_error(L,
				   "expect: every answer must be question_id = \"answer_id\" (or a list of "
				   "answer ids for a multiple-answer question); %s",
				   usage);
		e.qids[e.n] = arena_strdup(&c->r->mem, lua_tostring(L, -2));
		if (lua_type(L, -1) == LUA_TSTRING)
			e.aids[e.n] = arena_strdup(&c->r->mem, lua_tostring(L, -1));
		else
			e.n_set[e.n] = dsl_id_list(L, c, lua_gettop(L), &e.sets[e.n], usage);
		e.n++;
	}
	c->exps = xgrow(c->exps, &c->cap_exps, c->n_exps + 1, sizeof(*c->exps));
	c->exps[c->n_exps++] = e;
	return 0;
}

/* The languages: the site's, or the ones the declarations use. */
static void dsl_add_langs(const rtext *t, const char **set, size_t *n)
{
	for (size_t i = 0; t && i < t->n; i++) {
		size_t j = 0;
		while (j < *n && strcmp(set[j], t->lang[i]) < 0)
			j++;
		if (j < *n && strcmp(set[j], t->lang[i]) == 0)
			continue;
		memmove(set + j + 1, set + j, (*n - j) * sizeof(*set));
		set[j] = t->lang[i];
		(*n)++;
	}
}

static void dsl_languages(rules_ctx *c)
{
	rules *r = c->r;
	size_t n = 0, cap = 8 + c->n_os * 2 + 2;
	for (size_t i = 0; i < c->n_qs; i++)
		cap += 2 + c->qs[i].n_answers;
	const rtext **all = arena_alloc(&c->scratch, cap * sizeof(*all));
	all[n++] = c->title;
	all[n++] = c->intro;
	for (size_t i = 0; i < c->n_qs; i++) {
		all[n++] = c->qs[i].text;
		all[n++] = c->qs[i].help;
		for (size_t j = 0; j < c->qs[i].n_answers; j++)
			all[n++] = c->qs[i].labels[j];
	}
	for (size_t i = 0; i < c->n_os; i++) {
		all[n++] = c->os[i].text;
		all[n++] = c->os[i].summary;
	}
	if (c->n_site_langs > 0) {
		r->n_langs = c->n_site_langs;
		r->langs = arena_alloc(&r->mem, r->n_langs * sizeof(char *));
		for (size_t i = 0; i < r->n_langs; i++)
			r->langs[i] = arena_strdup(&r->mem, c->site_langs[i]);
	} else {
		size_t total = 1;
		for (size_t i = 0; i < n; i++)
			total += all[i] ? all[i]->n : 0;
		r->langs = arena_alloc(&r->mem, total * sizeof(char *));
		for (size_t i = 0; i < n; i++)
			dsl_add_langs(all[i], r->langs, &r->n_langs);
		if (r->n_langs == 0)
			r->langs[r->n_langs++] = c->default_lang ? arena_strdup(&r->mem, c->default_lang) : "en";
	}
	r->default_lang = 0;
	for (size_t i = 0; c->default_lang && i < r->n_langs; i++)
		if (strcmp(r->langs[i], c->default_lang) == 0)
			r->default_lang = i;
}

const char **rules_dsl_resolve(rules_ctx *c, const rtext *t, const char *what, int line)
{
	rules *r = c->r;
	if (!t)
		return NULL;
	const char **out = arena_alloc(&r->mem, r->n_langs * sizeof(char *));
	const char *dl = r->langs[r->default_lang];
	const char *fallback = NULL;
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->lang[i], dl) == 0)
			fallback = t->str[i];
	for (size_t i = 0; !fallback && i < r->n_langs; i++)
		for (size_t j = 0; j < t->n; j++)
			if (strcmp(t->lang[j], r->langs[i]) == 0 && !fallback)
				fallback = t->str[j];
	if (!fallback && t->n > 0)
		fallback = t->str[0];
	for (size_t i = 0; i < r->n_langs; i++) {
		out[i] = t->plain;
		for (size_t j = 0; !out[i] && j < t->n; j++)
			if (strcmp(t->lang[j], r->langs[i]) == 0)
				out[i] = t->str[j];
		if (!out[i]) {
			out[i] = fallback;
			rules_ctx_report(c, DIAG_WARNING, line, "%s has no '%s' translation; add %s = \"…\" "
					 "(the text in another language is shown meanwhile)", what, r->langs[i],
					 r->langs[i]);
		}
	}
	for (size_t j = 0; j < t->n; j++)
		if (rules_lang_index(r, t->lang[j]) < 0)
			rules_ctx_report(c, DIAG_WARNING, line, "%s has a '%s' translation, but '%s' is not "
					 "one of the site's languages; it is ignored", what, t->lang[j], t->lang[j]);
	return out;
}

static int dsl_find_question(rules_ctx *c, const char *id)
{
	for (size_t i = 0; i < c->n_qs; i++)
		if (strcmp(c->qs[i].id, id) == 0)
			return (int)i;
	return -1;
}

/* The choice of question q that answer k of e gives, or -1 (reported). */
static int dsl_expect_choice(rules_ctx *c, const dsl_expect *e, size_t k, int q)
{
	const dsl_question *dq = &c->qs[q];
	if (dq->multiple != (e->sets[k] != NULL)) {
		rules_ctx_report(
			c, DIAG_ERROR, e->line,
			dq->multiple
				? "expect gives question '%s' one answer, but it takes a set; write %s = { \"%s\" }"
				: "expect gives question '%s' a list, but it takes one answer; write %s = \"%s\"",
			dq->id, dq->id,
			dq->multiple  ? e->aids[k]
			: e->n_set[k] ? e->sets[k][0]
				      : "…");
		return -1;
	}
	size_t n = dq->multiple ? e->n_set[k] : 1;
	unsigned long long mask = 0;
	int a = -1;
	for (size_t m = 0; m < n; m++) {
		const char *aid = dq->multiple ? e->sets[k][m] : e->aids[k];
		a = -1;
		for (size_t j = 0; j < dq->n_answers; j++)
			if (strcmp(dq->answer_ids[j], aid) == 0)
				a = (int)j;
		if (a < 0) {
			rules_ctx_report(c, DIAG_ERROR, e->line,
					 "expect gives question '%s' the answer '%s', "
					 "which it does not have",
					 dq->id, aid);
			return -1;
		}
		mask |= 1ull << a;
	}
	if (!dq->multiple)
		return a;
	rules_question probe = { .n_answers = dq->n_answers, .multiple = true, .min = dq->min, .max = dq->max };
	rules_question_choices(&c->scratch, &probe);
	int choice = rules_choice_of_set(&probe, mask);
	if (choice < 0)
		rules_ctx_report(c, DIAG_ERROR, e->line,
				 "expect gives question '%s' %zu different answer(s); it "
				 "takes between %d and %d",
				 dq->id, n, dq->min, dq->max);
	return choice;
}

static phare_status dsl_resolve_expect(rules_ctx *c, dsl_expect *e)
{
	phare_status st = PHARE_OK;
	e->answers = arena_alloc(&c->r->mem, (c->n_qs + 1) * sizeof(int));
	for (size_t q = 0; q < c->n_qs; q++)
		e->answers[q] = -1;
	for (size_t k = 0; k < e->n; k++) {
		int q = dsl_find_question(c, e->qids[k]);
		if (q < 0) {
			rules_ctx_report(c, DIAG_ERROR, e->line, "expect names question '%s', which is not declared",
					 e->qids[k]);
			st = PHARE_ERR_INPUT;
			continue;
		}
		int choice = dsl_expect_choice(c, e, k, q);
		if (choice < 0)
			st = PHARE_ERR_INPUT;
		e->answers[q] = choice;
	}
	e->outcome_index = arena_alloc(&c->r->mem, (e->n_outcomes + 1) * sizeof(int));
	for (size_t i = 0; i < e->n_outcomes; i++) {
		e->outcome_index[i] = -1;
		for (size_t o = 0; o < c->n_os; o++)
			if (strcmp(c->os[o].id, e->outcomes[i]) == 0)
				e->outcome_index[i] = (int)o;
		if (e->outcome_index[i] < 0) {
			rules_ctx_report(c, DIAG_ERROR, e->line, "expect names outcome '%s', which is not declared",
					 e->outcomes[i]);
			st = PHARE_ERR_INPUT;
		}
	}
	return st;
}

/* After the file ran: what must be there, the expects' ids, and the texts. */
static phare_status dsl_finish(rules_ctx *c)
{
	rules *r = c->r;
	phare_status st = PHARE_OK;
	if (!c->title) {
		rules_ctx_report(c, DIAG_ERROR, 0, "the rules have no title; add title { fr = \"…\", en = \"…\" }");
		st = PHARE_ERR_INPUT;
	}
	if (c->n_os == 0) {
		rules_ctx_report(c, DIAG_ERROR, 0, "the rules declare no outcome; add outcome \"id\" { text = … }");
		st = PHARE_ERR_INPUT;
	}
	if (c->decide_ref == LUA_NOREF) {
		rules_ctx_report(c, DIAG_ERROR, 0, "the rules have no decide; add decide(function(a) … end)");
		st = PHARE_ERR_INPUT;
	}
	for (size_t i = 0; i < c->n_exps; i++)
		if (dsl_resolve_expect(c, &c->exps[i]) != PHARE_OK)
			st = PHARE_ERR_INPUT;
	if (st != PHARE_OK)
		return st;
	dsl_languages(c);
	r->title = rules_dsl_resolve(c, c->title, "title", c->title_line);
	r->intro = rules_dsl_resolve(c, c->intro, "intro", c->title_line);
	r->n_questions = c->n_qs;
	r->questions = arena_alloc(&r->mem, (c->n_qs + 1) * sizeof(*r->questions));
	for (size_t i = 0; i < c->n_qs; i++) {
		dsl_question *d = &c->qs[i];
		rules_question *q = &r->questions[i];
		const char *what = arena_printf(&c->scratch, "question '%s'", d->id);
		q->id = d->id;
		q->line = d->line;
		q->text = rules_dsl_resolve(c, d->text, arena_printf(&c->scratch, "%s text", what), d->line);
		q->help = rules_dsl_resolve(c, d->help, arena_printf(&c->scratch, "%s help", what), d->line);
		q->n_answers = d->n_answers;
		q->multiple = d->multiple;
		q->min = d->min;
		q->max = d->max;
		rules_question_choices(&r->mem, q);
		q->answers = arena_alloc(&r->mem, d->n_answers * sizeof(*q->answers));
		for (size_t j = 0; j < d->n_answers; j++) {
			q->answers[j].id = d->answer_ids[j];
			q->answers[j].label = rules_dsl_resolve(
				c, d->labels[j], arena_printf(&c->scratch, "%s answer '%s'", what, d->answer_ids[j]),
				d->line);
		}
	}
	r->n_outcomes = c->n_os;
	r->outcomes = arena_alloc(&r->mem, c->n_os * sizeof(*r->outcomes));
	for (size_t i = 0; i < c->n_os; i++) {
		dsl_outcome *d = &c->os[i];
		rules_outcome *o = &r->outcomes[i];
		const char *what = arena_printf(&c->scratch, "outcome '%s'", d->id);
		o->id = d->id;
		o->line = d->line;
		o->article = d->article;
		o->text = rules_dsl_resolve(c, d->text, arena_printf(&c->scratch, "%s text", what), d->line);
		o->summary = rules_dsl_resolve(c, d->summary, arena_printf(&c->scratch, "%s summary", what),
					       d->line);
	}
	r->n_expects = c->n_exps;
	return PHARE_OK;
}

static const luaL_Reg dsl_words[] = {
	{ "title", dsl_title },        { "intro", dsl_intro },   { "question", dsl_fn_question },
	{ "outcome", dsl_fn_outcome }, { "decide", dsl_decide }, { "expect", dsl_fn_expect },
	{ "compare", dsl_compare },    { NULL, NULL },
};

/* An assignment to a global (t, k, v) the file has not made yet.  The
 * words live in the globals' metatable, not in the globals, so that an
 * assignment to one comes here instead of silently replacing it:
 * compare = "vps-lxc-kvm" is the compare call, as authors write a
 * setting; another word is an error at its line. */
static int dsl_newindex(lua_State *L)
{
	const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
	for (const luaL_Reg *w = dsl_words; k && w->name; w++) {
		if (strcmp(k, w->name) != 0)
			continue;
		if (w->func == dsl_compare) {
			lua_copy(L, 3, 1);
			lua_settop(L, 1);
			return dsl_compare(L);
		}
		return luaL_error(L, "'%s' is one of the rules' words: call it (%s …), do not assign it", k, k);
	}
	lua_rawset(L, 1);
	return 0;
}

phare_status rules_dsl_load(rules_ctx *c, const char *text, size_t len)
{
	lua_State *L = sandbox_lua(c->sb);
	lua_pushglobaltable(L);
	lua_createtable(L, 0, 2); /* the globals' metatable */
	lua_createtable(L, 0, 8);
	lua_pushlightuserdata(L, c);
	luaL_setfuncs(L, dsl_words, 1);
	lua_setfield(L, -2, "__index");
	lua_pushlightuserdata(L, c);
	lua_pushcclosure(L, dsl_newindex, 1);
	lua_setfield(L, -2, "__newindex");
	lua_setmetatable(L, -2);
	lua_pop(L, 1);
	c->decide_ref = LUA_NOREF;
	int st = sandbox_load(c->sb, c->path, text, len);
	if (st == LUA_OK) {
		c->loading = true;
		st = sandbox_call(c->sb, 0, 0, RULES_MAX_STEPS);
		c->loading = false;
	}
	if (st != LUA_OK) {
		const char *msg = lua_tostring(L, -1);
		rules_ctx_report_lua(c, msg, strstr(msg, "binary chunk") && st == LUA_ERRSYNTAX
					     ? "; rules files must be Lua source text, compiled chunks are refused"
					     : NULL);
		lua_pop(L, 1);
		return PHARE_ERR_INPUT;
	}
	return dsl_finish(c);
}

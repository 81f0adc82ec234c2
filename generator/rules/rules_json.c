/* rules_json.c: a compiled tree written as JSON (the format is in rules.h)
 * and as a Graphviz digraph.  Object keys are written sorted, so the same
 * tree always gives the same bytes. */
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"
#include "util/xalloc.h"

typedef struct json_key {
	const char *key;
	size_t index;
} json_key;

static int json_key_cmp(const void *a, const void *b)
{
	return strcmp(((const json_key *)a)->key, ((const json_key *)b)->key);
}

/* keys[i] for i < n, sorted; caller frees. */
static json_key *json_sorted(const char *const *keys, size_t stride, size_t n)
{
	json_key *k = xcalloc(n + 1, sizeof(*k));
	for (size_t i = 0; i < n; i++)
		k[i] = (json_key){ *(const char *const *)((const char *)keys + i * stride), i };
	qsort(k, n, sizeof(*k), json_key_cmp);
	return k;
}

static void json_str(buf *out, const char *s)
{
	buf_add_json_str(out, s, strlen(s));
}

static void json_text(buf *out, const rules *r, const char **t)
{
	json_key *k = json_sorted(r->langs, sizeof(char *), r->n_langs);
	buf_addc(out, '{');
	for (size_t i = 0; i < r->n_langs; i++) {
		buf_adds(out, i ? "," : "");
		json_str(out, k[i].key);
		buf_addc(out, ':');
		json_str(out, t[k[i].index]);
	}
	buf_addc(out, '}');
	free(k);
}

static void json_questions(buf *out, const rules *r)
{
	json_key *k = json_sorted(&r->questions[0].id, sizeof(rules_question), r->n_questions);
	buf_addc(out, '{');
	for (size_t i = 0; i < r->n_questions; i++) {
		const rules_question *q = &r->questions[k[i].index];
		buf_adds(out, i ? "," : "");
		json_str(out, q->id);
		buf_adds(out, ":{\"answers\":[");
		for (size_t a = 0; a < q->n_answers; a++) {
			buf_adds(out, a ? ",{\"id\":" : "{\"id\":");
			json_str(out, q->answers[a].id);
			buf_adds(out, ",\"label\":");
			json_text(out, r, q->answers[a].label);
			buf_addc(out, '}');
		}
		buf_addc(out, ']');
		if (q->help) {
			buf_adds(out, ",\"help\":");
			json_text(out, r, q->help);
		}
		if (q->multiple)
			buf_addf(out, ",\"max\":%d,\"min\":%d,\"multiple\":true", q->max, q->min);
		buf_adds(out, ",\"text\":");
		json_text(out, r, q->text);
		buf_addc(out, '}');
	}
	buf_addc(out, '}');
	free(k);
}

static void json_outcomes(buf *out, const rules *r)
{
	json_key *k = json_sorted(&r->outcomes[0].id, sizeof(rules_outcome), r->n_outcomes);
	buf_addc(out, '{');
	for (size_t i = 0; i < r->n_outcomes; i++) {
		const rules_outcome *o = &r->outcomes[k[i].index];
		buf_adds(out, i ? "," : "");
		json_str(out, o->id);
		buf_addc(out, ':');
		buf_addc(out, '{');
		if (o->article) {
			buf_adds(out, "\"article\":");
			json_str(out, o->article);
			buf_addc(out, ',');
		}
		if (o->summary) {
			buf_adds(out, "\"summary\":");
			json_text(out, r, o->summary);
			buf_addc(out, ',');
		}
		buf_adds(out, "\"text\":");
		json_text(out, r, o->text);
		buf_addc(out, '}');
	}
	buf_addc(out, '}');
	free(k);
}

static void json_reasons(buf *out, const rules *r, const char ***reasons, size_t n)
{
	buf_adds(out, "\"reasons\":[");
	for (size_t i = 0; i < n; i++) {
		buf_adds(out, i ? "," : "");
		json_text(out, r, reasons[i]);
	}
	buf_addc(out, ']');
}

/* A leaf: its first outcome and reasons, and the ranking when scored. */
static void json_leaf(buf *out, const rules *r, const rules_node *n)
{
	buf_adds(out, "{\"outcome\":");
	json_str(out, r->outcomes[n->outcome].id);
	if (n->scored) {
		buf_adds(out, ",\"ranking\":[");
		for (size_t k = 0; k < n->n_ranks; k++) {
			const rules_rank *rk = &n->ranks[k];
			buf_adds(out, k ? ",{\"outcome\":" : "{\"outcome\":");
			json_str(out, r->outcomes[rk->outcome].id);
			buf_addc(out, ',');
			json_reasons(out, r, rk->reasons, rk->n_reasons);
			buf_addf(out, ",\"score\":%.15g}", rk->score);
		}
		buf_addc(out, ']');
	}
	buf_addc(out, ',');
	json_reasons(out, r, n->reasons, n->n_reasons);
	buf_addc(out, '}');
}

static void json_node(buf *out, const rules *r, const rules_node *n)
{
	if (n->question < 0) {
		json_leaf(out, r, n);
		return;
	}
	const rules_question *q = &r->questions[n->question];
	/* The keys: answer ids, or a set's ids sorted and comma-separated. */
	char **names = xcalloc(q->n_choices + 1, sizeof(char *));
	for (size_t a = 0; a < q->n_choices; a++) {
		buf name = BUF_INIT;
		if (q->multiple)
			rules_set_ids(q, q->sets[a], &name);
		else
			buf_adds(&name, q->answers[a].id);
		names[a] = buf_detach(&name, NULL);
	}
	json_key *k = json_sorted((const char *const *)names, sizeof(char *), q->n_choices);
	buf_adds(out, "{\"next\":{");
	for (size_t a = 0; a < q->n_choices; a++) {
		buf_adds(out, a ? "," : "");
		json_str(out, k[a].key);
		buf_addf(out, ":\"n%zu\"", n->next[k[a].index]);
	}
	buf_adds(out, "},\"question\":");
	json_str(out, q->id);
	buf_addc(out, '}');
	free(k);
	for (size_t a = 0; a < q->n_choices; a++)
		free(names[a]);
	free(names);
}

void rules_write_json(const rules *r, buf *out)
{
	char **ids = xcalloc(r->n_nodes + 1, sizeof(char *));
	for (size_t i = 0; i < r->n_nodes; i++) {
		buf id = BUF_INIT;
		buf_addf(&id, "n%zu", i);
		ids[i] = buf_detach(&id, NULL);
	}
	buf_adds(out, "{");
	if (r->compare) {
		buf_adds(out, "\"compare\":");
		json_str(out, r->compare);
		buf_addc(out, ',');
	}
	buf_adds(out, "\"default_language\":");
	json_str(out, r->langs[r->default_lang]);
	if (r->intro) {
		buf_adds(out, ",\"intro\":");
		json_text(out, r, r->intro);
	}
	buf_adds(out, ",\"languages\":[");
	for (size_t i = 0; i < r->n_langs; i++) {
		buf_adds(out, i ? "," : "");
		json_str(out, r->langs[i]);
	}
	buf_adds(out, "],\"name\":");
	json_str(out, r->name ? r->name : "");
	buf_adds(out, ",\"nodes\":{");
	json_key *k = json_sorted((const char *const *)ids, sizeof(char *), r->n_nodes);
	for (size_t i = 0; i < r->n_nodes; i++) {
		buf_adds(out, i ? "," : "");
		json_str(out, k[i].key);
		buf_addc(out, ':');
		json_node(out, r, &r->nodes[k[i].index]);
	}
	free(k);
	buf_adds(out, "},\"outcomes\":");
	json_outcomes(out, r);
	buf_adds(out, ",\"questions\":");
	json_questions(out, r);
	buf_adds(out, ",\"root\":\"n0\",\"title\":");
	json_text(out, r, r->title);
	buf_adds(out, "}\n");
	for (size_t i = 0; i < r->n_nodes; i++)
		free(ids[i]);
	free(ids);
}

static void dot_str(buf *out, const char *s)
{
	buf_addc(out, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_addc(out, '\\');
		if (*s == '\n')
			buf_adds(out, "\\n");
		else
			buf_addc(out, *s);
	}
	buf_addc(out, '"');
}

/* An edge's label: the answer, or the set's answers joined by " + " ("none"). */
static void dot_choice(buf *out, const rules_question *q, size_t choice, size_t lang)
{
	if (!q->multiple) {
		dot_str(out, q->answers[choice].label[lang]);
		return;
	}
	buf b = BUF_INIT;
	for (size_t i = 0; i < q->n_answers; i++)
		if (q->sets[choice] >> i & 1)
			buf_addf(&b, "%s%s", b.len ? " + " : "", q->answers[i].label[lang]);
	dot_str(out, b.len ? b.ptr : "(none)");
	buf_release(&b);
}

/* A ranked leaf's label: "1. KVM (kvm) 8" and its reasons, per outcome. */
static void dot_ranking(buf *label, const rules *r, const rules_node *n, size_t lang)
{
	for (size_t k = 0; k < n->n_ranks; k++) {
		const rules_rank *rk = &n->ranks[k];
		const rules_outcome *o = &r->outcomes[rk->outcome];
		buf_addf(label, "%s%zu. %s (%s) %.15g", k ? "\n" : "", k + 1, o->text[lang], o->id, rk->score);
		for (size_t i = 0; i < rk->n_reasons; i++)
			buf_addf(label, "\n- %s", rk->reasons[i][lang]);
	}
}

void rules_write_dot(const rules *r, size_t lang, buf *out)
{
	if (lang >= r->n_langs)
		lang = r->default_lang;
	buf label = BUF_INIT;
	buf_adds(out, "digraph ");
	dot_str(out, r->name ? r->name : "rules");
	buf_adds(out, " {\n\tnode [fontname=\"sans-serif\"];\n\tedge [fontname=\"sans-serif\"];\n");
	for (size_t i = 0; i < r->n_nodes; i++) {
		const rules_node *n = &r->nodes[i];
		buf_reset(&label);
		if (n->question >= 0) {
			const rules_question *q = &r->questions[n->question];
			buf_addf(&label, "%s\n(%s)", q->text[lang], q->id);
			buf_addf(out, "\tn%zu [shape=box, label=", i);
			dot_str(out, label.ptr);
			buf_adds(out, "];\n");
			for (size_t a = 0; a < q->n_choices; a++) {
				buf_addf(out, "\tn%zu -> n%zu [label=", i, n->next[a]);
				dot_choice(out, q, a, lang);
				buf_adds(out, "];\n");
			}
		} else if (n->scored) {
			dot_ranking(&label, r, n, lang);
			buf_addf(out, "\tn%zu [shape=ellipse, style=filled, fillcolor=\"#e8f0fe\", label=", i);
			dot_str(out, label.ptr);
			buf_adds(out, "];\n");
		} else {
			const rules_outcome *o = &r->outcomes[n->outcome];
			buf_addf(&label, "%s\n(%s)", o->text[lang], o->id);
			for (size_t k = 0; k < n->n_reasons; k++)
				buf_addf(&label, "\n- %s", n->reasons[k][lang]);
			buf_addf(out, "\tn%zu [shape=ellipse, style=filled, fillcolor=\"#e8f0fe\", label=", i);
			dot_str(out, label.ptr);
			buf_adds(out, "];\n");
		}
	}
	buf_adds(out, "}\n");
	buf_release(&label);
}

/* rules_wire.c: the isolated child's result (status, messages, tree) as
 * bytes on a pipe, and back into a rules tree in phare.
 *
 * Format: numbers are 4 bytes little-endian; a string is its length and
 * its bytes (length 0xffffffff: NULL); a text is n_langs strings, an
 * optional text a number (0/1) then the text.  The reader checks every
 * length against what is left, so a short or garbled stream is an error,
 * never a read out of bounds. */
#include <stdint.h>
#include <string.h>

#include "rules/rules_int.h"
#include "util/diag.h"
#include "util/xalloc.h"

#define WIRE_NULL 0xffffffffu

static void wire_u32(buf *b, uint32_t v)
{
	unsigned char x[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 24) };
	buf_add(b, x, 4);
}

static void wire_str(buf *b, const char *s)
{
	if (!s) {
		wire_u32(b, WIRE_NULL);
		return;
	}
	size_t n = strlen(s);
	wire_u32(b, (uint32_t)n);
	buf_add(b, s, n);
}

static void wire_text(buf *b, const rules *r, const char **t)
{
	for (size_t i = 0; i < r->n_langs; i++)
		wire_str(b, t[i]);
}

static void wire_opt_text(buf *b, const rules *r, const char **t)
{
	wire_u32(b, t != NULL);
	if (t)
		wire_text(b, r, t);
}

void rules_wire_write(buf *out, phare_status st, const rules_ctx *c)
{
	const rules *r = c->r;
	wire_u32(out, (uint32_t)st);
	wire_u32(out, (uint32_t)c->n_recs);
	for (size_t i = 0; i < c->n_recs; i++) {
		wire_u32(out, (uint32_t)c->recs[i].level);
		wire_u32(out, (uint32_t)c->recs[i].line);
		wire_str(out, c->recs[i].msg);
	}
	if (st != PHARE_OK)
		return;
	wire_str(out, r->name);
	wire_u32(out, (uint32_t)r->n_langs);
	for (size_t i = 0; i < r->n_langs; i++)
		wire_str(out, r->langs[i]);
	wire_u32(out, (uint32_t)r->default_lang);
	wire_text(out, r, r->title);
	wire_opt_text(out, r, r->intro);
	wire_str(out, r->compare);
	wire_u32(out, (uint32_t)r->compare_line);
	wire_u32(out, (uint32_t)r->n_questions);
	for (size_t i = 0; i < r->n_questions; i++) {
		const rules_question *q = &r->questions[i];
		wire_str(out, q->id);
		wire_text(out, r, q->text);
		wire_opt_text(out, r, q->help);
		wire_u32(out, (uint32_t)q->line);
		wire_u32(out, (uint32_t)q->n_answers);
		for (size_t j = 0; j < q->n_answers; j++) {
			wire_str(out, q->answers[j].id);
			wire_text(out, r, q->answers[j].label);
		}
		wire_u32(out, q->multiple);
		wire_u32(out, (uint32_t)q->min);
		wire_u32(out, (uint32_t)q->max);
	}
	wire_u32(out, (uint32_t)r->n_outcomes);
	for (size_t i = 0; i < r->n_outcomes; i++) {
		const rules_outcome *o = &r->outcomes[i];
		wire_str(out, o->id);
		wire_text(out, r, o->text);
		wire_opt_text(out, r, o->summary);
		wire_str(out, o->article);
		wire_u32(out, (uint32_t)o->line);
	}
	wire_u32(out, (uint32_t)r->n_nodes);
	for (size_t i = 0; i < r->n_nodes; i++) {
		const rules_node *n = &r->nodes[i];
		wire_u32(out, (uint32_t)n->question);
		if (n->question >= 0) {
			for (size_t a = 0; a < r->questions[n->question].n_choices; a++)
				wire_u32(out, (uint32_t)n->next[a]);
			continue;
		}
		wire_u32(out, n->scored);
		wire_u32(out, (uint32_t)n->n_ranks);
		for (size_t k = 0; k < n->n_ranks; k++) {
			const rules_rank *rk = &n->ranks[k];
			uint64_t bits;
			memcpy(&bits, &rk->score, sizeof(bits));
			wire_u32(out, (uint32_t)rk->outcome);
			wire_u32(out, (uint32_t)bits);
			wire_u32(out, (uint32_t)(bits >> 32));
			wire_u32(out, (uint32_t)rk->n_reasons);
			for (size_t j = 0; j < rk->n_reasons; j++)
				wire_text(out, r, rk->reasons[j]);
		}
	}
	wire_u32(out, (uint32_t)r->n_expects);
}

typedef struct wire_in {
	const unsigned char *p, *end;
	bool bad;
	arena *a;
} wire_in;

static uint32_t wire_get_u32(wire_in *in)
{
	if (in->bad || in->end - in->p < 4) {
		in->bad = true;
		return 0;
	}
	uint32_t v = (uint32_t)in->p[0] | (uint32_t)in->p[1] << 8 | (uint32_t)in->p[2] << 16 |
		     (uint32_t)in->p[3] << 24;
	in->p += 4;
	return v;
}

/* A count of items that each take at least 4 bytes: bounded by what is left. */
static size_t wire_get_count(wire_in *in)
{
	uint32_t n = wire_get_u32(in);
	if ((size_t)(in->end - in->p) / 4 < n) {
		in->bad = true;
		return 0;
	}
	return n;
}

static const char *wire_get_str(wire_in *in)
{
	uint32_t n = wire_get_u32(in);
	if (in->bad || n == WIRE_NULL)
		return NULL;
	if ((size_t)(in->end - in->p) < n) {
		in->bad = true;
		return NULL;
	}
	char *s = arena_strndup(in->a, (const char *)in->p, n);
	in->p += n;
	return s;
}

/* A string that must be there; "" stands in when the stream is bad. */
static const char *wire_get_req(wire_in *in)
{
	const char *s = wire_get_str(in);
	if (!s)
		in->bad = true;
	return s ? s : "";
}

static const char **wire_get_text(wire_in *in, size_t n_langs)
{
	const char **t = arena_alloc(in->a, (n_langs + 1) * sizeof(char *));
	for (size_t i = 0; i < n_langs; i++)
		t[i] = wire_get_req(in);
	return t;
}

static const char **wire_get_opt_text(wire_in *in, size_t n_langs)
{
	return wire_get_u32(in) ? wire_get_text(in, n_langs) : NULL;
}

static void wire_get_leaf(wire_in *in, const rules *r, rules_node *n)
{
	n->scored = wire_get_u32(in) != 0;
	n->n_ranks = wire_get_count(in);
	if (n->n_ranks == 0)
		in->bad = true;
	rules_rank *ranks = arena_alloc(in->a, (n->n_ranks + 1) * sizeof(*ranks));
	for (size_t k = 0; k < n->n_ranks && !in->bad; k++) {
		rules_rank *rk = &ranks[k];
		rk->outcome = (int)wire_get_u32(in);
		if (rk->outcome < 0 || (size_t)rk->outcome >= r->n_outcomes)
			in->bad = true;
		uint64_t lo = wire_get_u32(in), hi = wire_get_u32(in);
		uint64_t bits = lo | hi << 32;
		memcpy(&rk->score, &bits, sizeof(bits));
		rk->n_reasons = wire_get_count(in);
		const char ***reasons = arena_alloc(in->a, (rk->n_reasons + 1) * sizeof(*reasons));
		for (size_t i = 0; i < rk->n_reasons && !in->bad; i++)
			reasons[i] = wire_get_text(in, r->n_langs);
		rk->reasons = reasons;
	}
	n->ranks = ranks;
	n->outcome = ranks[0].outcome;
	n->reasons = ranks[0].reasons;
	n->n_reasons = ranks[0].n_reasons;
}

static void wire_get_tree(wire_in *in, rules *r)
{
	r->name = wire_get_str(in);
	r->n_langs = wire_get_count(in);
	r->langs = arena_alloc(in->a, (r->n_langs + 1) * sizeof(char *));
	for (size_t i = 0; i < r->n_langs; i++)
		r->langs[i] = wire_get_req(in);
	r->default_lang = wire_get_u32(in);
	if (r->default_lang >= r->n_langs)
		in->bad = true;
	r->title = wire_get_text(in, r->n_langs);
	r->intro = wire_get_opt_text(in, r->n_langs);
	r->compare = wire_get_str(in);
	r->compare_line = (int)wire_get_u32(in);
	r->n_questions = wire_get_count(in);
	r->questions = arena_alloc(in->a, (r->n_questions + 1) * sizeof(*r->questions));
	for (size_t i = 0; i < r->n_questions && !in->bad; i++) {
		rules_question *q = &r->questions[i];
		q->id = wire_get_req(in);
		q->text = wire_get_text(in, r->n_langs);
		q->help = wire_get_opt_text(in, r->n_langs);
		q->line = (int)wire_get_u32(in);
		q->n_answers = wire_get_count(in);
		q->answers = arena_alloc(in->a, (q->n_answers + 1) * sizeof(*q->answers));
		for (size_t j = 0; j < q->n_answers && !in->bad; j++) {
			q->answers[j].id = wire_get_req(in);
			q->answers[j].label = wire_get_text(in, r->n_langs);
		}
		q->multiple = wire_get_u32(in) != 0;
		q->min = (int)wire_get_u32(in);
		q->max = (int)wire_get_u32(in);
		if (q->n_answers > RULES_MAX_ANSWERS ||
		    (q->multiple && (q->min < 0 || q->max < q->min || (size_t)q->max > q->n_answers ||
				     rules_question_pages(q) > RULES_MAX_SELECTIONS)))
			in->bad = true;
		if (!in->bad)
			rules_question_choices(in->a, q);
	}
	r->n_outcomes = wire_get_count(in);
	r->outcomes = arena_alloc(in->a, (r->n_outcomes + 1) * sizeof(*r->outcomes));
	for (size_t i = 0; i < r->n_outcomes && !in->bad; i++) {
		rules_outcome *o = &r->outcomes[i];
		o->id = wire_get_req(in);
		o->text = wire_get_text(in, r->n_langs);
		o->summary = wire_get_opt_text(in, r->n_langs);
		o->article = wire_get_str(in);
		o->line = (int)wire_get_u32(in);
	}
	r->n_nodes = wire_get_count(in);
	if (r->n_nodes == 0)
		in->bad = true;
	r->nodes = arena_alloc(in->a, (r->n_nodes + 1) * sizeof(*r->nodes));
	for (size_t i = 0; i < r->n_nodes && !in->bad; i++) {
		rules_node *n = &r->nodes[i];
		n->question = (int)wire_get_u32(in);
		if (n->question >= 0) {
			if ((size_t)n->question >= r->n_questions) {
				in->bad = true;
				break;
			}
			size_t na = r->questions[n->question].n_choices;
			size_t *next = arena_alloc(in->a, na * sizeof(size_t));
			for (size_t a = 0; a < na; a++) {
				next[a] = wire_get_u32(in);
				if (next[a] == i || next[a] >= r->n_nodes)
					in->bad = true;
			}
			n->next = next;
			n->outcome = -1;
			continue;
		}
		wire_get_leaf(in, r, n);
	}
	r->n_expects = wire_get_u32(in);
}

phare_status rules_wire_read(const char *path, const char *data, size_t len, rules **out)
{
	*out = NULL;
	rules *r = xcalloc(1, sizeof(*r));
	wire_in in = { (const unsigned char *)data, (const unsigned char *)data + len, false, &r->mem };
	phare_status st = (phare_status)wire_get_u32(&in);
	size_t n = wire_get_count(&in);
	for (size_t i = 0; i < n && !in.bad; i++) {
		diag_level level = (diag_level)wire_get_u32(&in);
		int line = (int)wire_get_u32(&in);
		const char *msg = wire_get_req(&in);
		if (!in.bad)
			diag_report(level, path, line, 0, "%s", msg);
	}
	if (!in.bad && st == PHARE_OK)
		wire_get_tree(&in, r);
	if (in.bad || in.p != in.end) {
		diag_error(path, 0, 0, "compiling the rules failed: the isolated process sent an unreadable result");
		rules_free(r);
		return PHARE_ERR_INTERNAL;
	}
	if (st != PHARE_OK) {
		rules_free(r);
		return st;
	}
	r->path = arena_strdup(&r->mem, path);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t bn = strlen(base);
	if (bn > 4 && strcmp(base + bn - 4, ".lua") == 0)
		bn -= 4;
	r->name = arena_strndup(&r->mem, base, bn);
	*out = r;
	return PHARE_OK;
}

/* yamldoc.c: libyaml's event stream folded into a value tree, with bounds.
 *
 * The parser is iterative: an explicit stack of open collections, so a
 * document nested 10,000 deep costs an error message, not the C stack.
 * Each anchored node remembers how many nodes it spans; an alias adds that
 * many to the running count, which is how expansion bombs are caught
 * (the tree itself shares the anchored node instead of copying it). */
#include "yamldoc.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "buf.h"
#include "diag.h"
#include "xalloc.h"

typedef struct yd_anchor {
	const char *name;
	value *node;
	size_t span; /* nodes the anchored subtree expands to */
} yd_anchor;

typedef struct yd_frame {
	value *node;
	const char *anchor; /* anchor of this collection, if any */
	size_t count_at_start;
	const char *pending_key; /* mappings: key read, value awaited */
	int key_line;
} yd_frame;

typedef struct yd_state {
	arena *a;
	const char *path;
	int first_line;
	yd_frame stack[YAMLDOC_MAX_DEPTH + 1];
	size_t depth;
	yd_anchor *anchors;
	size_t n_anchors, cap_anchors;
	size_t count; /* nodes, aliases expanded */
	value *root;
} yd_state;

static int yd_line(const yd_state *st, yaml_mark_t m)
{
	return st->first_line + (int)m.line;
}

static bool yd_is_number(const char *s, size_t n)
{
	size_t i = 0;
	bool digits = false;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		i++;
		digits = true;
	}
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			i++;
			digits = true;
		}
	}
	if (!digits)
		return false;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return false;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return i == n;
}

static bool yd_word(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (strcmp(s, *words) == 0)
			return true;
	return false;
}

void yamldoc_resolve_plain(value *v)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
	static const char *const trues[] = { "true", "True", "TRUE", NULL };
	static const char *const falses[] = { "false", "False", "FALSE", NULL };
	/* every word starts with one of these ("" matches the NUL): most
	 * scalars are spared eleven strcmp */
	bool word = strchr("~nNtTfF", v->str[0]) != NULL;
	if (word && yd_word(v->str, nulls)) {
		v->kind = VAL_NULL;
	} else if (word && (yd_word(v->str, trues) || yd_word(v->str, falses))) {
		v->kind = VAL_BOOL;
		v->u.b = yd_word(v->str, trues);
	} else if (yd_is_number(v->str, v->len)) {
		v->kind = VAL_NUMBER;
		v->u.num = strtod(v->str, NULL);
	}
}

/* YAML 1.2 core schema, plain scalars only. */
static value *yd_scalar(yd_state *st, const yaml_event_t *ev)
{
	const char *text = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	value *v = value_stringn(st->a, text, n);
	const char *tag = (const char *)ev->data.scalar.tag;
	bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		     (!tag || strcmp(tag, "!") != 0) && !(tag && strcmp(tag, YAML_STR_TAG) == 0);
	if (plain && strlen(v->str) == n)
		yamldoc_resolve_plain(v);
	return v;
}

static phare_status yd_count(yd_state *st, size_t n, yaml_mark_t m)
{
	st->count += n;
	if (st->count > YAMLDOC_MAX_NODES) {
		diag_error(st->path, yd_line(st, m), (int)m.column + 1,
			   "the YAML document has more than %d nodes (aliases expanded); "
			   "split it or remove repeated aliases", YAMLDOC_MAX_NODES);
		return PHARE_ERR_LIMIT;
	}
	return PHARE_OK;
}

static void yd_remember(yd_state *st, const char *anchor, value *node, size_t span)
{
	if (!anchor)
		return;
	st->anchors = xgrow(st->anchors, &st->cap_anchors, st->n_anchors + 1, sizeof(yd_anchor));
	st->anchors[st->n_anchors++] = (yd_anchor){ anchor, node, span };
}

static const yd_anchor *yd_find_anchor(const yd_state *st, const char *name)
{
	for (size_t i = st->n_anchors; i-- > 0;)
		if (strcmp(st->anchors[i].name, name) == 0)
			return &st->anchors[i];
	return NULL;
}

/* Attaches a finished node to the collection on top of the stack. */
static phare_status yd_attach(yd_state *st, value *v)
{
	if (st->depth == 0) {
		st->root = v;
		return PHARE_OK;
	}
	yd_frame *top = &st->stack[st->depth - 1];
	if (top->node->kind == VAL_LIST) {
		value_list_push(st->a, top->node, v);
		return PHARE_OK;
	}
	if (!top->pending_key) {
		if (v->kind == VAL_LIST || v->kind == VAL_MAP) {
			diag_error(st->path, v->line, v->col,
				   "a mapping key must be a plain value, not a %s",
				   value_kind_name(v->kind));
			return PHARE_ERR_INPUT;
		}
		const value *prev = value_map_get(top->node, v->str);
		if (prev) {
			diag_error(st->path, v->line, v->col,
				   "duplicate key '%s' (first given on line %d); keep only one",
				   v->str, prev->line ? prev->line : top->key_line);
			return PHARE_ERR_INPUT;
		}
		top->pending_key = v->str;
		top->key_line = v->line;
		return PHARE_OK;
	}
	/* The value records the key's line when it has none better. */
	value_map_set(st->a, top->node, top->pending_key, v);
	top->pending_key = NULL;
	return PHARE_OK;
}

static phare_status yd_open(yd_state *st, const yaml_event_t *ev, value_kind kind,
			    const yaml_char_t *anchor)
{
	if (st->depth >= YAMLDOC_MAX_DEPTH) {
		diag_error(st->path, yd_line(st, ev->start_mark), (int)ev->start_mark.column + 1,
			   "YAML nested more than %d levels deep; flatten the data", YAMLDOC_MAX_DEPTH);
		return PHARE_ERR_LIMIT;
	}
	value *v = kind == VAL_LIST ? value_list(st->a) : value_map(st->a);
	v->line = yd_line(st, ev->start_mark);
	v->col = (int)ev->start_mark.column + 1;
	st->stack[st->depth++] = (yd_frame){
		v, anchor ? arena_strdup(st->a, (const char *)anchor) : NULL, st->count, NULL, 0
	};
	return PHARE_OK;
}

static phare_status yd_close(yd_state *st)
{
	yd_frame f = st->stack[--st->depth];
	yd_remember(st, f.anchor, f.node, st->count - f.count_at_start + 1);
	return yd_attach(st, f.node);
}

static phare_status yd_event(yd_state *st, const yaml_event_t *ev, bool *done)
{
	phare_status s;
	int line = yd_line(st, ev->start_mark), col = (int)ev->start_mark.column + 1;
	switch (ev->type) {
	case YAML_SCALAR_EVENT: {
		if ((s = yd_count(st, 1, ev->start_mark)))
			return s;
		value *v = yd_scalar(st, ev);
		v->line = line;
		v->col = col;
		if (ev->data.scalar.anchor)
			yd_remember(st, arena_strdup(st->a, (const char *)ev->data.scalar.anchor), v, 1);
		return yd_attach(st, v);
	}
	case YAML_SEQUENCE_START_EVENT:
		if ((s = yd_count(st, 1, ev->start_mark)))
			return s;
		return yd_open(st, ev, VAL_LIST, ev->data.sequence_start.anchor);
	case YAML_MAPPING_START_EVENT:
		if ((s = yd_count(st, 1, ev->start_mark)))
			return s;
		return yd_open(st, ev, VAL_MAP, ev->data.mapping_start.anchor);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return yd_close(st);
	case YAML_ALIAS_EVENT: {
		const char *name = (const char *)ev->data.alias.anchor;
		const yd_anchor *an = yd_find_anchor(st, name);
		if (!an) {
			diag_error(st->path, line, col, "alias '*%s' names no anchor defined before it", name);
			return PHARE_ERR_INPUT;
		}
		if ((s = yd_count(st, an->span, ev->start_mark)))
			return s;
		return yd_attach(st, an->node);
	}
	case YAML_DOCUMENT_START_EVENT:
		if (st->root) {
			diag_error(st->path, line, col,
				   "a second YAML document ('---') where one was expected; remove it");
			return PHARE_ERR_INPUT;
		}
		return PHARE_OK;
	case YAML_STREAM_END_EVENT:
		*done = true;
		return PHARE_OK;
	default:
		return PHARE_OK;
	}
}

static void yd_report_parser(const yd_state *st, const yaml_parser_t *p)
{
	yaml_mark_t m = p->problem_mark;
	const char *problem = p->problem ? p->problem : "malformed YAML";
	if (p->context)
		diag_error(st->path, yd_line(st, m), (int)m.column + 1,
			   "YAML: %s %s (line %d); check indentation, quoting and tabs",
			   problem, p->context, yd_line(st, p->context_mark));
	else
		diag_error(st->path, yd_line(st, m), (int)m.column + 1,
			   "YAML: %s; check indentation, quoting and tabs", problem);
}

phare_status yamldoc_parse(arena *a, const char *path, const char *text, size_t len,
			   int first_line, value **out)
{
	yd_state st = { .a = a, .path = path, .first_line = first_line };
	yaml_parser_t parser;
	phare_status s = PHARE_OK;
	bool done = false;

	*out = NULL;
	if (memchr(text, '\0', len)) {
		const char *nul = memchr(text, '\0', len);
		int line = first_line;
		for (const char *p = text; p < nul; p++)
			line += *p == '\n';
		diag_error(path, line, 0, "a NUL byte in YAML text; save the file as UTF-8 text");
		return PHARE_ERR_INPUT;
	}
	if (!yaml_parser_initialize(&parser)) {
		diag_error(path, 0, 0, "cannot start the YAML parser (out of memory)");
		return PHARE_ERR_INTERNAL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (!done && s == PHARE_OK) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			yd_report_parser(&st, &parser);
			s = PHARE_ERR_INPUT;
			break;
		}
		s = yd_event(&st, &ev, &done);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	free(st.anchors);
	if (s)
		return s;
	if (!st.root) {
		st.root = value_null(a);
		st.root->line = first_line;
	}
	*out = st.root;
	return PHARE_OK;
}

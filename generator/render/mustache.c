/* mustache.c: compiles Mustache templates to node lists and renders them.
 *
 * A template compiles to a flat array of nodes in source order.  A section
 * node is followed by its children and records in `end` the index just past
 * them, so rendering is a loop over an index range that recurses into
 * [i + 1, end) for a section and skips to `end` afterwards.  Text nodes
 * point into the template's own copy of its source: compiling copies the
 * source once and rendering copies nothing but output.
 *
 * Standalone lines (a section, comment, partial or delimiter tag with only
 * blanks around it on its line) are resolved at compile time: the blanks
 * before the tag are cut from the preceding text node and the line's end is
 * skipped.  A standalone partial keeps the cut blanks as its indentation,
 * applied at render time: the renderer keeps the current indentation and
 * whether the template text just ended a line, and writes the indentation
 * before the first text or value that follows a template line break.
 * Line breaks inside interpolated values are data, not template lines, and
 * are never indented (the specification's "Standalone Indentation"). */
#include "mustache.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/diag.h"
#include "util/map.h"
#include "util/xalloc.h"

typedef enum mnode_kind {
	MN_TEXT,      /* literal template text */
	MN_VAR,       /* {{name}}, HTML-escaped */
	MN_RAW,       /* {{{name}}} or {{&name}} */
	MN_SECTION,   /* {{#name}} */
	MN_INVERTED,  /* {{^name}} */
	MN_PARTIAL    /* {{>name}} */
} mnode_kind;

typedef struct mnode {
	mnode_kind kind;
	bool standalone;    /* partial alone on its line: indent applies */
	bool dynamic;       /* {{>*name}}: the partial's name is the value of name */
	int line, col;      /* of the tag's opening delimiter */
	const char *text;   /* text: the bytes (not NUL-terminated); tags: the name */
	size_t len;
	const char **parts; /* dotted name split at the dots; 0 parts for "." */
	size_t nparts;
	const char *indent; /* standalone partial: the blanks before it */
	size_t indent_len;
	size_t end;         /* section: index just past its last child */
} mnode;

typedef struct mtemplate {
	char *name;
	char *path;
	char *src;          /* copy of the source, NUL-terminated */
	size_t src_len;
	mnode *nodes;
	size_t n, cap;
	arena strings;      /* names and name parts */
} mtemplate;

struct mustache_set {
	mtemplate **tmpls;  /* in the order added (mustache_set_check reports in it) */
	size_t n, cap;
	map by_name;        /* name -> mtemplate* */
};

/* ---- compiling ---- */

typedef struct mcomp {
	mtemplate *t;
	const char *src;
	size_t len;
	const char *otag, *ctag; /* current delimiters (point into src or statics) */
	size_t olen, clen;
	size_t open[MUSTACHE_MAX_SECTION_DEPTH]; /* node indices of open sections */
	size_t nopen;
	/* Location cursor: where lpos is, so that computing the line and column of
	 * each tag in source order costs O(source) in all. */
	size_t lpos;
	int lline, lcol;
} mcomp;

static bool mc_blank(char ch) { return ch == ' ' || ch == '\t'; }
static bool mc_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

/* Line and column (1-based, columns in UTF-8 characters) of byte off. */
static void mc_where(mcomp *c, size_t off, int *line, int *col)
{
	if (off < c->lpos) {
		c->lpos = 0;
		c->lline = 1;
		c->lcol = 1;
	}
	for (; c->lpos < off; c->lpos++) {
		unsigned char ch = (unsigned char)c->src[c->lpos];
		if (ch == '\n') {
			c->lline++;
			c->lcol = 1;
		} else if ((ch & 0xC0) != 0x80) {
			c->lcol++;
		}
	}
	*line = c->lline;
	*col = c->lcol;
}

/* Reports an error at byte off of the template. */
#define mc_error(c, off, ...)                                                  \
	do {                                                                   \
		int l_, c_;                                                    \
		mc_where((c), (off), &l_, &c_);                                \
		diag_error((c)->t->path, l_, c_, __VA_ARGS__);                 \
	} while (0)

static mnode *mc_node(mcomp *c, mnode_kind kind, size_t off)
{
	mtemplate *t = c->t;
	t->nodes = xgrow(t->nodes, &t->cap, t->n + 1, sizeof(mnode));
	mnode *n = &t->nodes[t->n++];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	mc_where(c, off, &n->line, &n->col);
	return n;
}

static void mc_text(mcomp *c, size_t from, size_t to)
{
	if (to <= from)
		return;
	mnode *n = mc_node(c, MN_TEXT, from);
	n->text = c->src + from;
	n->len = to - from;
}

/* Sets n's name and its dotted parts; reports a malformed name at off. */
static phare_status mc_name(mcomp *c, mnode *n, const char *name, size_t len, size_t off)
{
	arena *a = &c->t->strings;
	n->text = arena_strndup(a, name, len);
	n->len = len;
	if (len == 1 && name[0] == '.')
		return PHARE_OK;
	size_t parts = 1;
	for (size_t i = 0; i < len; i++)
		if (name[i] == '.')
			parts++;
	n->parts = arena_alloc(a, parts * sizeof(char *));
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && name[i] != '.')
			continue;
		if (i == start) {
			mc_error(c, off, "malformed name '%.*s': a dotted name is words separated by "
				 "single dots, e.g. {{page.title}}", (int)len, name);
			return PHARE_ERR_INPUT;
		}
		n->parts[n->nparts++] = arena_strndup(a, name + start, i - start);
		start = i + 1;
	}
	return PHARE_OK;
}

/* {{=open close=}}: content is what lies between the two '='. */
static phare_status mc_delimiters(mcomp *c, const char *s, size_t len, size_t off)
{
	size_t i = 0, a0, a1, b0, b1;
	while (i < len && mc_space(s[i]))
		i++;
	a0 = i;
	while (i < len && !mc_space(s[i]))
		i++;
	a1 = i;
	while (i < len && mc_space(s[i]))
		i++;
	b0 = i;
	while (i < len && !mc_space(s[i]))
		i++;
	b1 = i;
	while (i < len && mc_space(s[i]))
		i++;
	bool ok = a1 > a0 && b1 > b0 && i == len && !memchr(s + a0, '=', a1 - a0) &&
		  !memchr(s + b0, '=', b1 - b0);
	if (!ok) {
		mc_error(c, off, "bad delimiter change '=%.*s=': write two delimiters separated "
			 "by a space, without '=' or blanks in them, e.g. {{=<%% %%>=}}",
			 (int)len, s);
		return PHARE_ERR_INPUT;
	}
	c->otag = s + a0;
	c->olen = a1 - a0;
	c->ctag = s + b0;
	c->clen = b1 - b0;
	return PHARE_OK;
}

/* A name with blanks inside, or none at all, is a mistake worth stopping on. */
static phare_status mc_check_name(mcomp *c, const char *name, size_t len, size_t tag_start,
				  size_t tag_end)
{
	int shown = (int)(tag_end - tag_start > 60 ? 60 : tag_end - tag_start);
	if (len == 0) {
		mc_error(c, tag_start, "empty tag '%.*s': put a name inside, e.g. {{title}}", shown,
			 c->src + tag_start);
		return PHARE_ERR_INPUT;
	}
	for (size_t i = 0; i < len; i++) {
		if (mc_space(name[i])) {
			mc_error(c, tag_start, "tag '%.*s' has a blank inside its name; a name is "
				 "one word, e.g. {{page.title}}", shown, c->src + tag_start);
			return PHARE_ERR_INPUT;
		}
	}
	return PHARE_OK;
}

static phare_status mc_close(mcomp *c, const char *name, size_t len, size_t tag_start,
			     size_t tag_end)
{
	int shown = (int)(tag_end - tag_start);
	if (c->nopen == 0) {
		mc_error(c, tag_start, "'%.*s' closes section '%.*s', which is not open; remove "
			 "it or open the section before it", shown, c->src + tag_start,
			 (int)len, name);
		return PHARE_ERR_INPUT;
	}
	mnode *open = &c->t->nodes[c->open[c->nopen - 1]];
	if (open->len != len || memcmp(open->text, name, len) != 0) {
		mc_error(c, tag_start, "'%.*s' closes section '%.*s', but the open section is "
			 "'%s' (line %d:%d); close '%s' first", shown, c->src + tag_start,
			 (int)len, name, open->text, open->line, open->col, open->text);
		return PHARE_ERR_INPUT;
	}
	open->end = c->t->n;
	c->nopen--;
	return PHARE_OK;
}

/* One tag as scanned: where it is, its sigil ('\0' for a variable) and the
 * name inside, blanks trimmed. */
typedef struct mtag {
	size_t start, end; /* from the opening delimiter to just past the closing one */
	char sigil;
	const char *name;
	size_t name_len;
} mtag;

/* Scans the tag whose opening delimiter is at start. */
static phare_status mc_scan_tag(mcomp *c, size_t start, mtag *tag)
{
	const char *src = c->src;
	size_t len = c->len, p = start + c->olen;
	while (p < len && mc_space(src[p]))
		p++;
	char sigil = p < len ? src[p] : '\0';
	if (sigil != '\0' && strchr("!#^/>&{=", sigil))
		p++;
	else
		sigil = '\0';

	/* The tag ends at the closing delimiter; {{{x}}} and {{=a b=}} need a
	 * '}' or '=' just before it. */
	char need = sigil == '{' ? '}' : sigil == '=' ? '=' : '\0';
	size_t q = p, cend = 0;
	bool found = false;
	while (!found && q < len) {
		const char *e = memmem(src + q, len - q, c->ctag, c->clen);
		if (!e)
			break;
		size_t at = (size_t)(e - src);
		if (!need || (at > p && src[at - 1] == need)) {
			cend = need ? at - 1 : at;
			found = true;
			q = at + c->clen;
		} else {
			q = at + 1;
		}
	}
	if (!found) {
		/* Quote the tag's start: 20 bytes at most, and its line only. */
		size_t shown = len - start > 20 ? 20 : len - start;
		const char *nl = memchr(src + start, '\n', shown);
		if (nl)
			shown = (size_t)(nl - (src + start));
		mc_error(c, start, "unclosed tag '%.*s': no '%s%.*s' closes it before the end of "
			 "the file; close the tag", (int)shown, src + start,
			 need == '}' ? "}" : need == '=' ? "=" : "", (int)c->clen, c->ctag);
		return PHARE_ERR_INPUT;
	}
	tag->start = start;
	tag->end = q;
	tag->sigil = sigil;
	tag->name = src + p;
	tag->name_len = cend - p;
	while (tag->name_len && mc_space(tag->name[0])) {
		tag->name++;
		tag->name_len--;
	}
	while (tag->name_len && mc_space(tag->name[tag->name_len - 1]))
		tag->name_len--;
	return PHARE_OK;
}

/* Whether the tag stands alone on its line (only blanks around it, and a
 * kind of tag that outputs nothing there); then *ls is where its line starts
 * and *next is just past the line's end.  Text before text_start belongs to
 * an earlier tag, so a line start is never looked for before it. */
static bool mc_standalone(const mcomp *c, const mtag *tag, size_t text_start, size_t *ls,
			  size_t *next)
{
	const char *src = c->src;
	size_t len = c->len, b = tag->start, e = tag->end;
	if (!tag->sigil || tag->sigil == '&' || tag->sigil == '{')
		return false;
	while (b > text_start && mc_blank(src[b - 1]))
		b--;
	if (b > 0 && src[b - 1] != '\n')
		return false;
	while (e < len && mc_blank(src[e]))
		e++;
	if (e < len && src[e] == '\n')
		e += 1;
	else if (e + 1 < len && src[e] == '\r' && src[e + 1] == '\n')
		e += 2;
	else if (e < len)
		return false;
	*ls = b;
	*next = e;
	return true;
}

/* Turns one scanned tag into nodes (or a delimiter change). */
static phare_status mc_tag(mcomp *c, const mtag *tag, bool standalone, size_t ls)
{
	const char *name = tag->name;
	size_t name_len = tag->name_len, at = tag->start;
	phare_status st = PHARE_OK;
	mnode *n;
	switch (tag->sigil) {
	case '!':
		break;
	case '=':
		st = mc_delimiters(c, name, name_len, at);
		break;
	case '#':
	case '^':
		if ((st = mc_check_name(c, name, name_len, at, tag->end)) != PHARE_OK)
			break;
		if (c->nopen == MUSTACHE_MAX_SECTION_DEPTH) {
			mc_error(c, at, "sections nest more than %d deep; simplify the template",
				 MUSTACHE_MAX_SECTION_DEPTH);
			st = PHARE_ERR_INPUT;
			break;
		}
		n = mc_node(c, tag->sigil == '#' ? MN_SECTION : MN_INVERTED, at);
		c->open[c->nopen++] = c->t->n - 1;
		st = mc_name(c, n, name, name_len, at);
		break;
	case '/':
		if ((st = mc_check_name(c, name, name_len, at, tag->end)) == PHARE_OK)
			st = mc_close(c, name, name_len, at, tag->end);
		break;
	case '>': {
		bool dynamic = name_len && name[0] == '*';
		if (dynamic) {
			do {
				name++;
				name_len--;
			} while (name_len && mc_space(name[0]));
		}
		if ((st = mc_check_name(c, name, name_len, at, tag->end)) != PHARE_OK)
			break;
		n = mc_node(c, MN_PARTIAL, at);
		if (dynamic)
			st = mc_name(c, n, name, name_len, at);
		else
			n->text = arena_strndup(&c->t->strings, name, name_len);
		n->len = name_len;
		n->dynamic = dynamic;
		n->standalone = standalone;
		n->indent = c->src + ls;
		n->indent_len = at - ls;
		break;
	}
	default: /* '\0' '&' '{' */
		if ((st = mc_check_name(c, name, name_len, at, tag->end)) != PHARE_OK)
			break;
		n = mc_node(c, tag->sigil ? MN_RAW : MN_VAR, at);
		st = mc_name(c, n, name, name_len, at);
		break;
	}
	return st;
}

static phare_status mc_compile(mcomp *c)
{
	size_t pos = 0, text_start = 0;
	while (pos < c->len) {
		const char *o = memmem(c->src + pos, c->len - pos, c->otag, c->olen);
		if (!o)
			break;
		mtag tag;
		phare_status st = mc_scan_tag(c, (size_t)(o - c->src), &tag);
		if (st != PHARE_OK)
			return st;
		/* A standalone tag takes its line's blanks and end with it. */
		size_t ls = tag.start, next = tag.end;
		bool standalone = mc_standalone(c, &tag, text_start, &ls, &next);
		mc_text(c, text_start, ls);
		pos = text_start = next;
		if ((st = mc_tag(c, &tag, standalone, ls)) != PHARE_OK)
			return st;
	}
	mc_text(c, text_start, c->len);
	if (c->nopen) {
		const mnode *open = &c->t->nodes[c->open[c->nopen - 1]];
		diag_error(c->t->path, open->line, open->col,
			   "section '%s' is never closed; add %.*s/%s%.*s where it ends",
			   open->text, (int)c->olen, c->otag, open->text, (int)c->clen, c->ctag);
		return PHARE_ERR_INPUT;
	}
	return PHARE_OK;
}

static void mtemplate_free(mtemplate *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->path);
	free(t->src);
	free(t->nodes);
	arena_release(&t->strings);
	free(t);
}

mustache_set *mustache_set_new(void)
{
	return xcalloc(1, sizeof(mustache_set));
}

phare_status mustache_set_add(mustache_set *s, const char *name, const char *path,
			      const char *src, size_t len)
{
	mtemplate *t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name);
	t->path = xstrdup(path ? path : name);
	t->src = xmalloc(len + 1);
	if (len)
		memcpy(t->src, src, len);
	t->src[len] = '\0';
	t->src_len = len;

	mcomp c = { .t = t, .src = t->src, .len = len, .otag = "{{", .olen = 2,
		    .ctag = "}}", .clen = 2, .lline = 1, .lcol = 1 };
	phare_status st = mc_compile(&c);
	if (st != PHARE_OK) {
		mtemplate_free(t);
		return st;
	}

	mtemplate *old = map_put(&s->by_name, t->name, t);
	if (old) {
		for (size_t i = 0; i < s->n; i++)
			if (s->tmpls[i] == old)
				s->tmpls[i] = t;
		mtemplate_free(old);
	} else {
		s->tmpls = xgrow(s->tmpls, &s->cap, s->n + 1, sizeof(*s->tmpls));
		s->tmpls[s->n++] = t;
	}
	return PHARE_OK;
}

phare_status mustache_set_check(const mustache_set *s)
{
	phare_status st = PHARE_OK;
	for (size_t i = 0; i < s->n; i++) {
		const mtemplate *t = s->tmpls[i];
		for (size_t k = 0; k < t->n; k++) {
			const mnode *n = &t->nodes[k];
			if (n->kind != MN_PARTIAL || n->dynamic || map_get(&s->by_name, n->text))
				continue;
			diag_error(t->path, n->line, n->col,
				   "partial '%s' not found: no template of that name; create it "
				   "or fix the name", n->text);
			st = PHARE_ERR_INPUT;
		}
	}
	return st;
}

bool mustache_set_has(const mustache_set *s, const char *name)
{
	return map_get(&s->by_name, name) != NULL;
}

void mustache_set_free(mustache_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		mtemplate_free(s->tmpls[i]);
	free(s->tmpls);
	map_release(&s->by_name);
	free(s);
}

/* ---- rendering ---- */

typedef struct mrender {
	const mustache_set *set;
	buf *out;
	const value **stack; /* context stack, innermost last */
	size_t depth, cap;
	buf indent;          /* indentation of the standalone partials we are in */
	bool at_bol;         /* template text just ended a line */
	int partials;        /* partial nesting */
} mrender;

static void mr_push(mrender *r, const value *v)
{
	r->stack = xgrow(r->stack, &r->cap, r->depth + 1, sizeof(*r->stack));
	r->stack[r->depth++] = v;
}

/* The first part of a name is looked up from the innermost context out; the
 * other parts only inside what it found (the specification's rule, so
 * {{a.b}} never picks up an outer b when a has none). */
static const value *mr_lookup(const mrender *r, const mnode *n)
{
	if (n->nparts == 0)
		return r->depth ? r->stack[r->depth - 1] : NULL;
	const value *v = NULL;
	for (size_t i = r->depth; i-- > 0 && !v;)
		v = value_map_get(r->stack[i], n->parts[0]);
	for (size_t k = 1; v && k < n->nparts; k++)
		v = value_map_get(v, n->parts[k]);
	return v;
}

static void mr_indent(mrender *r)
{
	if (r->at_bol) {
		buf_add(r->out, r->indent.ptr, r->indent.len);
		r->at_bol = false;
	}
}

static void mr_text(mrender *r, const char *s, size_t n)
{
	if (r->indent.len == 0) {
		buf_add(r->out, s, n);
		r->at_bol = s[n - 1] == '\n';
		return;
	}
	while (n) {
		mr_indent(r);
		const char *nl = memchr(s, '\n', n);
		size_t k = nl ? (size_t)(nl - s) + 1 : n;
		buf_add(r->out, s, k);
		r->at_bol = nl != NULL;
		s += k;
		n -= k;
	}
}

static phare_status mr_range(mrender *r, const mtemplate *t, size_t from, size_t to);

static phare_status mr_section(mrender *r, const mtemplate *t, size_t i)
{
	const mnode *n = &t->nodes[i];
	const value *v = mr_lookup(r, n);
	phare_status st = PHARE_OK;
	if (n->kind == MN_INVERTED) {
		if (!value_truthy(v))
			st = mr_range(r, t, i + 1, n->end);
		return st;
	}
	if (!value_truthy(v))
		return PHARE_OK;
	if (v->kind == VAL_LIST) {
		for (size_t k = 0; k < v->u.list.len && st == PHARE_OK; k++) {
			mr_push(r, v->u.list.items[k]);
			st = mr_range(r, t, i + 1, n->end);
			r->depth--;
		}
		return st;
	}
	mr_push(r, v);
	st = mr_range(r, t, i + 1, n->end);
	r->depth--;
	return st;
}

static phare_status mr_partial(mrender *r, const mtemplate *t, const mnode *n)
{
	const char *name = n->text;
	if (n->dynamic) {
		const value *v = mr_lookup(r, n);
		if (!v || v->kind != VAL_STRING)
			return PHARE_OK;
		name = v->str;
	}
	const mtemplate *p = map_get(&r->set->by_name, name);
	if (!p)
		return PHARE_OK;
	if (r->partials >= MUSTACHE_MAX_PARTIAL_DEPTH) {
		diag_error(t->path, n->line, n->col,
			   "partial '%s' nests more than %d levels deep; does it include itself? "
			   "Make the inclusion stop", name, MUSTACHE_MAX_PARTIAL_DEPTH);
		return PHARE_ERR_LIMIT;
	}
	size_t indent_len = r->indent.len;
	bool was_bol = r->at_bol;
	if (n->standalone) {
		buf_add(&r->indent, n->indent, n->indent_len);
		r->at_bol = true;
	}
	r->partials++;
	phare_status st = mr_range(r, p, 0, p->n);
	r->partials--;
	if (n->standalone) {
		buf_truncate(&r->indent, indent_len);
		/* The standalone line's own break was taken away with the tag. */
		if (p->n == 0)
			r->at_bol = was_bol;
	}
	return st;
}

static phare_status mr_range(mrender *r, const mtemplate *t, size_t from, size_t to)
{
	phare_status st = PHARE_OK;
	for (size_t i = from; i < to && st == PHARE_OK;) {
		const mnode *n = &t->nodes[i];
		const value *v;
		switch (n->kind) {
		case MN_TEXT:
			mr_text(r, n->text, n->len);
			i++;
			break;
		case MN_VAR:
		case MN_RAW:
			v = mr_lookup(r, n);
			mr_indent(r);
			if (v && v->str && (v->kind == VAL_STRING || v->kind == VAL_NUMBER ||
					    v->kind == VAL_BOOL)) {
				if (n->kind == MN_VAR)
					buf_add_html(r->out, v->str, v->len);
				else
					buf_add(r->out, v->str, v->len);
			}
			i++;
			break;
		case MN_SECTION:
		case MN_INVERTED:
			st = mr_section(r, t, i);
			i = n->end;
			break;
		case MN_PARTIAL:
			st = mr_partial(r, t, n);
			i++;
			break;
		}
	}
	return st;
}

phare_status mustache_render(const mustache_set *s, const char *name, const value *data,
			     buf *out)
{
	const mtemplate *t = map_get(&s->by_name, name);
	if (!t) {
		diag_error(NULL, 0, 0, "no template named '%s'; add it to the theme", name);
		return PHARE_ERR_INPUT;
	}
	mrender r = { .set = s, .out = out, .indent = BUF_INIT, .at_bol = true };
	if (data)
		mr_push(&r, data);
	phare_status st = mr_range(&r, t, 0, t->n);
	free(r.stack);
	buf_release(&r.indent);
	return st;
}

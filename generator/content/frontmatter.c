/* frontmatter.c: the quick reader of simple front matter (frontmatter.h).
 *
 * Each rule mirrors libyaml 0.2.5's scanner or yamldoc.c's tree building;
 * where the two could part ways the reader declines instead of guessing, so
 * a front matter outside the subset costs libyaml's time, never a different
 * result.  tests/unit/test_content.c and tests/fuzz/fuzz_frontmatter.c
 * compare its trees with yamldoc_parse's. */
#include "content/frontmatter.h"

#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"
#include "util/yamldoc.h"

#define FM_MAX_KEYS 64    /* real front matter has a handful */
#define FM_MAX_KEY 64     /* libyaml's simple keys stop at 1024 characters */
#define FM_MAX_ITEMS 1024 /* per list: far below yamldoc's node bound */

/* The line being read: [start, end) without its LF; p is the cursor. */
typedef struct fm_line {
	const char *start, *p, *end;
	int no; /* in the file */
} fm_line;

typedef struct fm_doc {
	arena *a;
	const char *keys[FM_MAX_KEYS];
	value *vals[FM_MAX_KEYS];
	size_t n;
	int first_key_line;
} fm_doc;

/* Whether libyaml's reader takes the bytes without a word and its scanner
 * sees no line break but LF: LF, printable ASCII, and shortest-form UTF-8 of
 * U+00A0..U+10FFFF except surrogates, U+FFFE/U+FFFF, the byte-order mark
 * U+FEFF and U+2028/U+2029 (line breaks to libyaml).  NUL, tab and CR are out. */
static bool fm_clean(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		long cp = utf8_next((const char *)s, n, &i); /* -1: not shortest-form UTF-8 */
		if (cp < 0 || (cp < 0x20 && cp != '\n') || (cp >= 0x7F && cp < 0xA0) || cp == 0xFEFF || cp == 0xFFFE ||
		    cp == 0xFFFF || cp == 0x2028 || cp == 0x2029)
			return false;
	}
	return true;
}

/* libyaml's column of p, 1-based: it counts characters, not bytes. */
static int fm_col(const fm_line *l, const char *p) { return 1 + (int)utf8_count(l->start, (size_t)(p - l->start)); }

static void fm_skip_spaces(fm_line *l)
{
	while (l->p < l->end && *l->p == ' ')
		l->p++;
}

/* ---- scalars: yamldoc's resolution (yd_scalar), YAML 1.2 core schema ---- */

/* The node of the scalar text s (n bytes) that starts at `at` on line l. */
static value *fm_scalar(arena *a, const fm_line *l, const char *s, size_t n, bool plain, const char *at)
{
	value *v = value_stringn(a, s, n);
	v->line = l->no;
	v->col = fm_col(l, at);
	if (plain)
		yamldoc_resolve_plain(v);
	return v;
}

/* May a plain scalar start at p?  Not on an indicator, except, in a block,
 * '-' before a non-space (libyaml: "-5" is a scalar, "- 5" a list). */
static bool fm_plain_start(const char *p, const char *end, bool flow)
{
	if (p == end || *p == ' ')
		return false;
	if (!strchr("-?:,[]{}#&*!|>'\"%@`", *p))
		return true;
	return *p == '-' && !flow && p + 1 < end && p[1] != ' ';
}

/* 'text' or "text" at l->p, closed on this line, without escapes (a
 * backslash in double quotes, '' in single ones): its inner text. */
static bool fm_quoted(fm_line *l, const char **s, size_t *n)
{
	char q = *l->p;
	const char *p = l->p + 1;
	while (p < l->end && *p != q) {
		if (*p == '\\' && q == '"')
			return false;
		p++;
	}
	if (p == l->end || (q == '\'' && p + 1 < l->end && p[1] == '\''))
		return false;
	*s = l->p + 1;
	*n = (size_t)(p - *s);
	l->p = p + 1;
	return true;
}

/* A plain scalar in a block, running to the end of the line or to a " #"
 * comment, trailing spaces left out.  ':' before a space or the end would
 * make a mapping of it: declined. */
static value *fm_plain_block(arena *a, fm_line *l)
{
	const char *at = l->p, *last = at;
	if (!fm_plain_start(at, l->end, false))
		return NULL;
	for (const char *p = at; p < l->end; p++) {
		if (*p == ' ') {
			if (p + 1 < l->end && p[1] == '#')
				break;
			continue;
		}
		if (*p == ':' && (p + 1 == l->end || p[1] == ' '))
			return NULL;
		last = p + 1;
	}
	l->p = last;
	return fm_scalar(a, l, at, (size_t)(last - at), true, at);
}

static value *fm_quoted_scalar(arena *a, fm_line *l)
{
	const char *at = l->p, *s;
	size_t n;
	return fm_quoted(l, &s, &n) ? fm_scalar(a, l, s, n, false, at) : NULL;
}

/* A list item: quoted, or plain up to ',' or ']' (trailing spaces left out)
 * without the characters that would make it more than a scalar. */
static value *fm_item(arena *a, fm_line *l)
{
	const char *at = l->p, *last = at, *p = at;
	if (at < l->end && (*at == '"' || *at == '\''))
		return fm_quoted_scalar(a, l);
	if (!fm_plain_start(at, l->end, true))
		return NULL;
	for (; p < l->end && !strchr(",[]{}#:", *p); p++)
		if (*p != ' ')
			last = p + 1;
	if (p == l->end || (*p != ',' && *p != ']'))
		return NULL;
	l->p = p;
	return fm_scalar(a, l, at, (size_t)(last - at), true, at);
}

/* [ITEM, ITEM, ...] closed on this line; [] is an empty list. */
static value *fm_list(arena *a, fm_line *l)
{
	value *list = value_list(a);
	list->line = l->no;
	list->col = fm_col(l, l->p);
	l->p++;
	fm_skip_spaces(l);
	if (l->p < l->end && *l->p == ']') {
		l->p++;
		return list;
	}
	for (;;) {
		value *item = fm_item(a, l);
		if (!item || list->u.list.len == FM_MAX_ITEMS)
			return NULL;
		value_list_push(a, list, item);
		fm_skip_spaces(l);
		if (l->p == l->end)
			return NULL;
		char c = *l->p++;
		if (c == ']')
			return list;
		if (c != ',')
			return NULL;
		fm_skip_spaces(l);
	}
}

/* What is left of the line after a value: spaces, then nothing or a comment
 * (libyaml takes "#" right after a quote as a comment too: declined). */
static bool fm_line_end(const fm_line *l)
{
	const char *p = l->p;
	while (p < l->end && *p == ' ')
		p++;
	return p == l->end || (*p == '#' && p > l->p);
}

static bool fm_key_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && ((c >= '0' && c <= '9') || c == '-'));
}

/* "key: value" at column 1, the key new. */
static bool fm_key_line(fm_doc *d, fm_line *l)
{
	const char *key = l->p, *p = key;
	if (!fm_key_char(*p, true))
		return false;
	while (p < l->end && fm_key_char(*p, false))
		p++;
	size_t klen = (size_t)(p - key);
	if (klen > FM_MAX_KEY || l->end - p < 2 || p[0] != ':' || p[1] != ' ' || d->n == FM_MAX_KEYS)
		return false;
	for (size_t i = 0; i < d->n; i++)
		if (strncmp(d->keys[i], key, klen) == 0 && d->keys[i][klen] == '\0')
			return false; /* a duplicate: yamldoc says so */
	l->p = p + 2;
	fm_skip_spaces(l);
	if (l->p == l->end || *l->p == '#')
		return false; /* an empty value: libyaml places its null at the next token */
	value *v = *l->p == '[' ? fm_list(d->a, l)
		   : *l->p == '"' || *l->p == '\'' ? fm_quoted_scalar(d->a, l)
		   : fm_plain_block(d->a, l);
	if (!v || !fm_line_end(l))
		return false;
	if (!d->n)
		d->first_key_line = l->no;
	d->keys[d->n] = arena_strndup(d->a, key, klen);
	d->vals[d->n++] = v;
	return true;
}

/* The root yamldoc makes: a mapping placed at its first key, or, for a
 * document of comments and blank lines, a null on the first line. */
static value *fm_root(const fm_doc *d, int first_line)
{
	if (!d->n) {
		value *v = value_null(d->a);
		v->line = first_line;
		return v;
	}
	value *root = value_map(d->a);
	root->line = d->first_key_line;
	root->col = 1;
	/* the keys are known to be distinct: fill the arrays at once rather
	 * than through value_map_set, which searches and regrows them */
	root->u.map.keys = arena_alloc(d->a, d->n * sizeof(char *));
	root->u.map.vals = arena_alloc(d->a, d->n * sizeof(value *));
	memcpy(root->u.map.keys, d->keys, d->n * sizeof(char *));
	memcpy(root->u.map.vals, d->vals, d->n * sizeof(value *));
	root->u.map.len = root->u.map.cap = d->n;
	return root;
}

bool frontmatter_read(arena *a, const char *text, size_t len, int first_line, value **out)
{
	if (!fm_clean((const unsigned char *)text, len))
		return false;
	fm_doc d = { .a = a };
	fm_line l = { .no = first_line };
	for (const char *p = text, *end = text + len; p < end; l.no++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		l.start = l.p = p;
		l.end = nl ? nl : end;
		if (l.end > p && *p != '#' && !fm_key_line(&d, &l))
			return false;
		p = nl ? nl + 1 : end;
	}
	*out = fm_root(&d, first_line);
	return true;
}

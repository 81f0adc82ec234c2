/* article.c: splits a Markdown file into front matter and body, and checks
 * the front matter's fields (format in article.h).
 *
 * Every message goes through article_say, which prints it at once or keeps
 * it for article_finish (a parse on another thread: article.h). */
#include "content/article.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "content/frontmatter.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/hash.h"
#include "util/value.h"
#include "util/yamldoc.h"

static const char *const article_keys[] = { "title", "description",    "weight",  "updated", "draft",
					    "tags",  "translation_of", "aliases", NULL };

/* A message kept by article_parse_held. */
struct article_note {
	article_note *next;
	diag_level level;
	int line, col;
	const char *text;
};

/* One parse: where its strings go, the file's name in messages, and whether
 * messages are printed (held NULL) or kept. */
typedef struct article_ctx {
	arena *a;
	const char *path;
	article_held *held;
} article_ctx;

static void article_say(const article_ctx *cx, diag_level level, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void article_say(const article_ctx *cx, diag_level level, int line, int col, const char *fmt, ...)
{
	buf text = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&text, fmt, ap);
	va_end(ap);
	if (!cx->held) {
		diag_report(level, cx->path, line, col, "%s", text.ptr);
	} else {
		article_note *n = arena_alloc(cx->a, sizeof(*n));
		*n = (article_note){ NULL, level, line, col, arena_strndup(cx->a, text.ptr, text.len) };
		if (cx->held->last)
			cx->held->last->next = n;
		else
			cx->held->first = n;
		cx->held->last = n;
	}
	buf_release(&text);
}

#define article_error(cx, line, col, ...) article_say(cx, DIAG_ERROR, line, col, __VA_ARGS__)
#define article_warning(cx, line, col, ...) article_say(cx, DIAG_WARNING, line, col, __VA_ARGS__)

/* Length of the line at p (without its \n or \r\n). */
static size_t article_line_len(const char *p, const char *end, const char **next)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	const char *e = nl ? nl : end;
	*next = nl ? nl + 1 : end;
	if (e > p && e[-1] == '\r')
		e--;
	return (size_t)(e - p);
}

static bool article_is_fence(const char *p, size_t n)
{
	return (n == 3 && (memcmp(p, "---", 3) == 0 || memcmp(p, "...", 3) == 0));
}

/* Levenshtein distance, for "did you mean" on misspelt keys. */
static size_t article_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[32];
	if (la >= 31 || lb >= 31)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

static void article_unknown_key(const article_ctx *cx, const char *key, const value *v)
{
	const char *best = NULL;
	size_t bestd = 3;
	for (const char *const *k = article_keys; *k; k++) {
		size_t d = article_distance(key, *k);
		if (d < bestd) {
			bestd = d;
			best = *k;
		}
	}
	if (best)
		article_warning(cx, v->line, v->col, "unknown front matter key '%s' (ignored); did you mean '%s'?",
				key, best);
	else
		article_warning(cx, v->line, v->col,
				"unknown front matter key '%s' (ignored); known keys: "
				"title, description, weight, updated, draft, tags, translation_of, aliases",
				key);
}

static bool article_scalar(const value *v)
{
	return v->kind != VAL_LIST && v->kind != VAL_MAP && v->kind != VAL_NULL;
}

static int article_digits(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static bool article_valid_date(const char *s, size_t n)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (n != 10)
		return false;
	/* YYYY-MM-DD in digits, as nearly every date is, without sscanf (1,000
	 * instructions a call); anything else takes sscanf, whose leniency
	 * (signs, spaces) was always accepted */
	int y = article_digits(s, 4), m = article_digits(s + 5, 2), d = article_digits(s + 8, 2);
	char extra;
	if ((y < 0 || m < 0 || d < 0) && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3)
		return false;
	if (s[4] != '-' || s[7] != '-' || y < 1000 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	return !(m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

/* aliases: [/fr/ancien/chemin/]: site paths, each starting with '/'. */
static phare_status article_aliases(const article_ctx *cx, const value *v, article *art)
{
	if (v->kind != VAL_LIST) {
		article_error(cx, v->line, v->col,
			      "'aliases' must be a list of old paths, e.g. aliases: [/fr/ancien/chemin/]");
		return PHARE_ERR_INPUT;
	}
	art->aliases = arena_alloc(cx->a, sizeof(char *) * (v->u.list.len + 1));
	art->aliases_line = v->line;
	art->aliases_col = v->col;
	for (size_t i = 0; i < v->u.list.len; i++) {
		const value *t = v->u.list.items[i];
		if (!article_scalar(t) || t->str[0] != '/' || strstr(t->str, "..") || strpbrk(t->str, "?#\\ ")) {
			article_error(cx, t->line, t->col,
				      "each alias must be a site path starting with '/', "
				      "without '..', '?', '#' or spaces, e.g. /fr/ancien/chemin/");
			return PHARE_ERR_INPUT;
		}
		art->aliases[art->n_aliases++] = t->str;
	}
	return PHARE_OK;
}

static phare_status article_field(const article_ctx *cx, article *art, const char *key, const value *v)
{
	if (strcmp(key, "title") == 0 || strcmp(key, "description") == 0 ||
	    strcmp(key, "translation_of") == 0) {
		if (!article_scalar(v)) {
			article_error(cx, v->line, v->col, "'%s' must be text, not a %s", key,
				      value_kind_name(v->kind));
			return PHARE_ERR_INPUT;
		}
		if (key[0] == 't' && key[1] == 'i')
			art->title = v->str;
		else if (key[0] == 'd')
			art->description = v->str;
		else
			art->translation_of = v->str;
	} else if (strcmp(key, "weight") == 0) {
		if (v->kind != VAL_NUMBER || v->u.num > 1e9 || v->u.num < -1e9) {
			article_error(cx, v->line, v->col, "'weight' must be a number between -1e9 and 1e9, not '%s'",
				      v->str ? v->str : value_kind_name(v->kind));
			return PHARE_ERR_INPUT;
		}
		art->weight = v->u.num;
		art->has_weight = true;
	} else if (strcmp(key, "updated") == 0) {
		if (!article_scalar(v) || !article_valid_date(v->str, v->len)) {
			article_error(cx, v->line, v->col, "'updated' must be a date written YYYY-MM-DD, not '%s'",
				      v->str ? v->str : value_kind_name(v->kind));
			return PHARE_ERR_INPUT;
		}
		memcpy(art->updated, v->str, 11);
	} else if (strcmp(key, "draft") == 0) {
		if (v->kind != VAL_BOOL) {
			article_error(cx, v->line, v->col, "'draft' must be true or false");
			return PHARE_ERR_INPUT;
		}
		art->draft = v->u.b;
	} else if (strcmp(key, "tags") == 0) {
		if (v->kind != VAL_LIST) {
			article_error(cx, v->line, v->col, "'tags' must be a list, e.g. tags: [lxc, kvm]");
			return PHARE_ERR_INPUT;
		}
		art->tags = arena_alloc(cx->a, sizeof(char *) * (v->u.list.len + 1));
		for (size_t i = 0; i < v->u.list.len; i++) {
			const value *t = v->u.list.items[i];
			if (!article_scalar(t)) {
				article_error(cx, t->line, t->col, "each tag must be text");
				return PHARE_ERR_INPUT;
			}
			art->tags[art->n_tags++] = t->str;
		}
	} else if (strcmp(key, "aliases") == 0) {
		return article_aliases(cx, v, art);
	} else {
		article_unknown_key(cx, key, v);
	}
	return PHARE_OK;
}

/* Finds the front matter (*fm, *fm_len; *fm NULL when the file has none)
 * and the body after it. */
static phare_status article_split(const article_ctx *cx, const char *text, size_t len, bool need_title,
				  article *out, const char **fm, size_t *fm_len)
{
	const char *end = text + len, *p = text, *next;
	*fm = NULL;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3; /* a UTF-8 byte-order mark, as some editors write */

	size_t n = article_line_len(p, end, &next);
	if (!article_is_fence(p, n) || p[0] != '-') {
		if (need_title) {
			article_error(cx, 1, 1, "no front matter; start the file with a '---' line, "
				      "'title: …', and another '---' line");
			return PHARE_ERR_INPUT;
		}
		out->body = p;
		out->body_len = (size_t)(end - p);
		out->body_off = (size_t)(p - text);
		out->body_line = 1;
		return PHARE_OK;
	}
	const char *start = next;
	int line = 2;
	for (p = next; p < end; p = next, line++) {
		n = article_line_len(p, end, &next);
		if (article_is_fence(p, n))
			break;
	}
	if (p >= end) {
		article_error(cx, 1, 1, "the front matter opened on line 1 is never closed; add a '---' line after it");
		return PHARE_ERR_INPUT;
	}
	*fm = start;
	*fm_len = (size_t)(p - start);
	out->body = next;
	out->body_len = (size_t)(end - next);
	out->body_off = (size_t)(next - text);
	out->body_line = line + 1;
	return PHARE_OK;
}

/* The front matter's fields, from its YAML tree. */
static phare_status article_fields(const article_ctx *cx, article *out, const value *root, bool need_title)
{
	phare_status s;
	if (root->kind != VAL_MAP && root->kind != VAL_NULL) {
		article_error(cx, root->line, root->col, "the front matter must be 'key: value' lines");
		return PHARE_ERR_INPUT;
	}
	for (size_t k = 0; root->kind == VAL_MAP && k < root->u.map.len; k++)
		if ((s = article_field(cx, out, root->u.map.keys[k], root->u.map.vals[k])))
			return s;
	if (need_title && (!out->title || !*out->title)) {
		article_error(cx, 1, 1, "'title' is missing from the front matter; add 'title: …'");
		return PHARE_ERR_INPUT;
	}
	return PHARE_OK;
}

/* The whole parse.  A front matter the quick reader declines goes to
 * libyaml, or, when messages are held, is left for article_finish: libyaml
 * reports as it goes and only the printing thread may. */
static phare_status article_run(const article_ctx *cx, const char *text, size_t len, bool need_title,
				article *out)
{
	const char *fm;
	size_t fm_len;
	memset(out, 0, sizeof(*out));
	out->path = cx->path;
	out->description = "";
	hash_fnv1a_hex(text, len, out->revision);
	phare_status s = article_split(cx, text, len, need_title, out, &fm, &fm_len);
	if (s || !fm)
		return s;
	value *root = NULL;
	if (!frontmatter_read(cx->a, fm, fm_len, 2, &root)) {
		if (cx->held) {
			cx->held->fm = fm;
			cx->held->fm_len = fm_len;
			return PHARE_OK;
		}
		if ((s = yamldoc_parse(cx->a, cx->path, fm, fm_len, 2, &root)))
			return s;
	}
	return article_fields(cx, out, root, need_title);
}

phare_status article_parse(arena *a, const char *path, const char *text, size_t len,
			   bool need_title, article *out)
{
	article_ctx cx = { a, path, NULL };
	return article_run(&cx, text, len, need_title, out);
}

void article_parse_held(arena *a, const char *path, const char *text, size_t len, bool need_title,
			article *out, article_held *held)
{
	memset(held, 0, sizeof(*held));
	article_ctx cx = { a, path, held };
	held->status = article_run(&cx, text, len, need_title, out);
}

phare_status article_finish(arena *a, article *out, bool need_title, article_held *held)
{
	for (const article_note *n = held->first; n; n = n->next)
		diag_report(n->level, out->path, n->line, n->col, "%s", n->text);
	if (held->status || !held->fm)
		return held->status;
	article_ctx cx = { a, out->path, NULL };
	value *root = NULL;
	phare_status s = yamldoc_parse(a, out->path, held->fm, held->fm_len, 2, &root);
	return s ? s : article_fields(&cx, out, root, need_title);
}

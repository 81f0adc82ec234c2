/* article.c: splits a Markdown file into front matter and body, and checks
 * the front matter's fields (format in article.h).
 *
 * Every message goes through article_say, which prints it at once or keeps
 * it for article_finish (a parse on another thread: article.h). */
#include "content/article.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "content/frontmatter.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/hash.h"
#include "util/record.h"
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
	out->notes = held->first;
	out->packable = !held->status && !held->fm;
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

/* ---- records (article_pack, article_unpack): a parse kept for the next build ---- */

/* A string, or NULL (length UINT64_MAX). */
static void article_put_str(buf *o, const char *s)
{
	record_put_u64(o, s ? strlen(s) : UINT64_MAX);
	if (s)
		buf_add(o, s, strlen(s));
}

static void article_put_list(buf *o, const char **items, size_t n)
{
	record_put_u64(o, items ? n : UINT64_MAX);
	for (size_t i = 0; items && i < n; i++)
		article_put_str(o, items[i]);
}

/* The front matter's fields, in article_unpack's order up to the revision. */
static void article_put_head(const article *art, buf *o)
{
	uint64_t weight;
	memcpy(&weight, &art->weight, sizeof weight);
	record_put_u64(o, (uint64_t)art->has_weight | (uint64_t)art->draft << 1);
	record_put_u64(o, weight);
	article_put_str(o, art->title);
	article_put_str(o, art->description);
	article_put_str(o, art->updated);
	article_put_str(o, art->translation_of);
}

void article_put_frame(const article *art, buf *o)
{
	article_put_head(art, o);
	article_put_list(o, art->tags, art->n_tags);
	article_put_list(o, art->aliases, art->n_aliases);
	uint64_t at[] = { (uint64_t)art->aliases_line, (uint64_t)art->aliases_col, art->body_off,
			  (uint64_t)art->body_line };
	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++)
		record_put_u64(o, at[i]);
}

bool article_pack(const article *art, buf *o)
{
	if (!art->packable)
		return false;
	article_put_head(art, o);
	article_put_str(o, art->revision);
	article_put_list(o, art->tags, art->n_tags);
	article_put_list(o, art->aliases, art->n_aliases);
	uint64_t at[] = { (uint64_t)art->aliases_line, (uint64_t)art->aliases_col, art->body_len, art->body_off,
			  (uint64_t)art->body_line };
	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++)
		record_put_u64(o, at[i]);
	for (const article_note *n = art->notes; n; n = n->next) {
		record_put_u64(o, (uint64_t)n->level + 1); /* 0 ends the list */
		record_put_u64(o, (uint64_t)n->line);
		record_put_u64(o, (uint64_t)n->col);
		article_put_str(o, n->text);
	}
	record_put_u64(o, 0);
	return true;
}

typedef struct article_reader {
	arena *a;
	record_reader r;
} article_reader;

static uint64_t article_get_u64(article_reader *r) { return record_get_u64(&r->r); }

/* A string copied into the arena (NUL-terminated), or NULL. */
static char *article_get_str(article_reader *r)
{
	uint64_t n = article_get_u64(r);
	if (r->r.bad || n == UINT64_MAX)
		return NULL;
	const char *s = record_take(&r->r, n);
	return s ? arena_strndup(r->a, s, (size_t)n) : NULL;
}

/* Into a fixed field (updated, revision): false when it does not fit. */
static void article_get_fixed(article_reader *r, char *out, size_t size)
{
	const char *s = article_get_str(r);
	if (!s || strlen(s) >= size)
		r->r.bad = true;
	else
		memcpy(out, s, strlen(s) + 1);
}

static const char **article_get_list(article_reader *r, size_t *n)
{
	uint64_t len = article_get_u64(r);
	*n = 0;
	if (r->r.bad || len == UINT64_MAX)
		return NULL;
	if (len > (uint64_t)(r->r.end - r->r.p) / 8) {
		r->r.bad = true;
		return NULL;
	}
	const char **items = arena_alloc(r->a, sizeof(char *) * ((size_t)len + 1));
	for (; *n < len && !r->r.bad; (*n)++)
		items[*n] = article_get_str(r);
	return items;
}

/* The messages, in order, as article_say kept them. */
static void article_get_notes(article_reader *r, article_held *held)
{
	for (uint64_t level; (level = article_get_u64(r)) && !r->r.bad;) {
		article_note *n = arena_alloc(r->a, sizeof(*n));
		n->next = NULL;
		n->level = (diag_level)(level - 1);
		n->line = (int)article_get_u64(r);
		n->col = (int)article_get_u64(r);
		n->text = article_get_str(r);
		if (!n->text)
			r->r.bad = true;
		if (held->last)
			held->last->next = n;
		else
			held->first = n;
		held->last = n;
	}
}

bool article_unpack(arena *a, const char *path, const void *rec, size_t len, article *out, article_held *held)
{
	article_reader r = { a, { rec, (const unsigned char *)rec + len, false } };
	memset(out, 0, sizeof(*out));
	memset(held, 0, sizeof(*held));
	out->path = path;
	uint64_t flags = article_get_u64(&r), weight = article_get_u64(&r);
	out->has_weight = flags & 1;
	out->draft = (flags >> 1) & 1;
	memcpy(&out->weight, &weight, sizeof weight);
	out->title = article_get_str(&r);
	out->description = article_get_str(&r);
	article_get_fixed(&r, out->updated, sizeof out->updated);
	out->translation_of = article_get_str(&r);
	article_get_fixed(&r, out->revision, sizeof out->revision);
	out->tags = article_get_list(&r, &out->n_tags);
	out->aliases = article_get_list(&r, &out->n_aliases);
	out->aliases_line = (int)article_get_u64(&r);
	out->aliases_col = (int)article_get_u64(&r);
	out->body_len = (size_t)article_get_u64(&r);
	out->body_off = (size_t)article_get_u64(&r);
	out->body_line = (int)article_get_u64(&r);
	article_get_notes(&r, held);
	out->notes = held->first;
	out->packable = true;
	return !r.r.bad && r.r.p == r.r.end && out->description;
}

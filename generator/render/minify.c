/* minify.c: CSS and JavaScript minifiers (minify.h says what each keeps).
 *
 * Both are one pass over the input with the same shape: white space and
 * comments are not written at once but remembered as "pending" (a space, or
 * for JavaScript a newline), and the next byte written decides, from the
 * byte before it in the output, whether the pending separator is needed.
 * Literal spans (strings, regular expressions, template literals, url())
 * are found by a scan that stops at n and copied whole; a span that does not
 * end makes the whole call fall back to the input as is, so no half-minified
 * file is ever published. */
#include <string.h>

#include "render/minify.h"

enum { PEND_NONE, PEND_SPACE, PEND_NEWLINE };

#define MINIFY_TEMPLATE_DEPTH 64 /* nested `${`…`}` in a template literal */

/* The end (index after the closing quote) of the string at in[i], or 0 if it
 * does not end before a raw newline or the end. */
static size_t minify_string_end(const char *in, size_t n, size_t i)
{
	char q = in[i];
	for (size_t j = i + 1; j < n; j++) {
		if (in[j] == '\\') {
			j++; /* an escaped byte, a line continuation included */
			continue;
		}
		if (in[j] == q)
			return j + 1;
		if (in[j] == '\n' || in[j] == '\r')
			return 0;
	}
	return 0;
}

/* The end (index after the slash) of the comment at in[i] ("/ *"), or 0. */
static size_t minify_comment_end(const char *in, size_t n, size_t i, bool *newline)
{
	*newline = false;
	for (size_t j = i + 2; j + 1 < n; j++) {
		if (in[j] == '*' && in[j + 1] == '/')
			return j + 2;
		if (in[j] == '\n' || in[j] == '\r')
			*newline = true;
	}
	return 0;
}

/* c is one of set's bytes (never NUL: strchr would find the terminator). */
static bool minify_in(const char *set, char c) { return c && strchr(set, c); }

static bool minify_fail(buf *out, size_t start, const char *in, size_t n)
{
	buf_truncate(out, start);
	buf_add(out, in, n);
	return false;
}

/* ---- CSS ---- */

static bool css_word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
	       c == '%' || c == '\\' || c >= 0x80;
}

static bool css_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

static bool css_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

typedef struct css_out {
	buf *out;
	bool pending; /* white space seen since the last byte written */
	bool gap;     /* a comment seen since: between two words it separates them */
	char last;    /* the last byte written as punctuation; 'a' after a literal or escape */
} css_out;

/* Writes the pending space before c if c needs it. */
static void css_sep(css_out *o, char c)
{
	bool space = o->pending;
	if (!space && o->gap && css_word((unsigned char)o->last) && css_word((unsigned char)c))
		space = true; /* a comment between two words separated them */
	if (space && o->last && !minify_in("{};,:>~(", o->last) && !minify_in("{};,>~)!", c))
		buf_addc(o->out, ' ');
	o->pending = o->gap = false;
}

static void css_put(css_out *o, char c)
{
	if (c == ';' && o->last == ';') {
		o->pending = o->gap = false; /* an empty declaration */
		return;
	}
	css_sep(o, c);
	/* o->last is ';' only for a ';' token (not "\;" nor a string's) */
	if (c == '}' && o->last == ';' && o->out->len && o->out->ptr[o->out->len - 1] == ';')
		buf_truncate(o->out, o->out->len - 1);
	buf_addc(o->out, c);
	o->last = c;
}

/* Appends the span in[i..end) as it is; the byte before the next one
 * counts as a word byte. */
static void css_span(css_out *o, const char *in, size_t i, size_t end)
{
	css_sep(o, in[i]);
	buf_add(o->out, in + i, end - i);
	o->last = 'a';
}

static bool css_is_url(const char *in, size_t n, size_t i, char before)
{
	return i + 4 <= n && (in[i] == 'u' || in[i] == 'U') && (in[i + 1] == 'r' || in[i + 1] == 'R') &&
	       (in[i + 2] == 'l' || in[i + 2] == 'L') && in[i + 3] == '(' && !css_word((unsigned char)before);
}

bool minify_css(const char *in, size_t n, buf *out)
{
	size_t start = out->len;
	css_out o = { out, false, false, 0 };
	char before = 0; /* the input byte before i, for url( */
	size_t i = 0;
	while (i < n) {
		char c = in[i];
		if (css_space(c)) {
			o.pending = true;
			before = c;
			i++;
		} else if (c == '/' && i + 1 < n && in[i + 1] == '*') {
			bool nl;
			size_t end = minify_comment_end(in, n, i, &nl);
			if (!end)
				return minify_fail(out, start, in, n);
			o.gap = true;
			before = ' ';
			i = end;
		} else if (c == '"' || c == '\'') {
			size_t end = minify_string_end(in, n, i);
			if (!end)
				return minify_fail(out, start, in, n);
			css_span(&o, in, i, end);
			before = in[end - 1];
			i = end;
		} else if (c == '\\') {
			/* An escape: the byte after it, or up to 6 hex digits and the one
			 * white space that ends them ("\31 0" is "10"), kept as is. */
			size_t end = i + 1;
			if (end < n && css_hex(in[end])) {
				while (end < n && end - i <= 6 && css_hex(in[end]))
					end++;
				if (end + 1 < n && in[end] == '\r' && in[end + 1] == '\n')
					end += 2;
				else if (end < n && css_space(in[end]))
					end++;
			} else if (end < n) {
				end++;
			}
			css_span(&o, in, i, end);
			before = 'a';
			i = end;
		} else if (css_is_url(in, n, i, before)) {
			/* url( with an unquoted address is one token, copied whole;
			 * url("…") is a function with a string, minified as any. */
			size_t j = i + 4;
			while (j < n && css_space(in[j]))
				j++;
			if (j < n && (in[j] == '"' || in[j] == '\'')) {
				css_span(&o, in, i, i + 4);
				o.last = '(';
				before = '(';
				i += 4;
				continue;
			}
			const char *close = memchr(in + j, ')', n - j);
			if (!close)
				return minify_fail(out, start, in, n);
			size_t end = (size_t)(close - in) + 1;
			css_span(&o, in, i, end);
			o.last = ')';
			before = ')';
			i = end;
		} else {
			css_put(&o, c);
			before = c;
			i++;
		}
	}
	return true;
}

/* ---- JavaScript ---- */

static bool js_word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
	       c == '\\' || c == '#' || c >= 0x80;
}

typedef struct js_out {
	buf *out;
	int pending;     /* PEND_* */
	char last;       /* the last byte written, 0 at the start */
	bool last_regex; /* ... and it ended a regular expression */
	size_t word;     /* where the last word written starts in out */
} js_out;

/* After these keywords an expression starts: a / there begins a regular
 * expression ("return /x/.test(s)"), not a division. */
static bool js_keyword_before_expr(const char *w, size_t len)
{
	static const char *const kw[] = { "return", "typeof", "case",  "do",  "else",       "in",    "of",
					  "void",   "delete", "throw", "new", "instanceof", "yield", "await" };
	for (size_t k = 0; k < sizeof kw / sizeof kw[0]; k++)
		if (strlen(kw[k]) == len && memcmp(kw[k], w, len) == 0)
			return true;
	return false;
}

/* Does a / here start a regular expression (JSMin's rule, widened)? */
static bool js_regex_allowed(const js_out *o)
{
	if (!o->last)
		return true;
	if (o->last == '/')
		return !o->last_regex; /* after a division, not after a regex */
	if (js_word((unsigned char)o->last))
		return js_keyword_before_expr(o->out->ptr + o->word, o->out->len - o->word);
	return minify_in("(,=:[!&|?{};+-*%<>~^}", o->last);
}

/* Writes the pending separator before c: a newline where automatic
 * semicolon insertion may need one (JSMin), else a space where two tokens
 * would otherwise merge. */
static void js_sep(js_out *o, char c)
{
	char a = o->last;
	int p = o->pending;
	o->pending = PEND_NONE;
	if (p == PEND_NONE || !a)
		return;
	unsigned char ua = (unsigned char)a, uc = (unsigned char)c;
	bool ends = js_word(ua) || minify_in("}])+-\"'`", a) || (a == '/' && o->last_regex);
	bool begins = js_word(uc) || minify_in("{[(+-!~\"'`", c);
	if (p == PEND_NEWLINE && ends && begins) {
		buf_addc(o->out, '\n');
		return;
	}
	if ((js_word(ua) && js_word(uc)) || ((a == '+' || a == '-') && c == a) || /* a + +b, a - --b */
	    (a == '/' && (c == '/' || c == '*')) ||                               /* a / /re/: not a comment */
	    (a == '/' && o->last_regex && js_word(uc)) ||                         /* /re/ in x: not flags */
	    (a >= '0' && a <= '9' && c == '.') ||                                 /* 1 .toString() */
	    (a == '<' && c == '!'))                                               /* a < !--b: not <!-- */
		buf_addc(o->out, ' ');
}

static void js_put(js_out *o, char c)
{
	js_sep(o, c);
	if (js_word((unsigned char)c) && !js_word((unsigned char)o->last))
		o->word = o->out->len;
	buf_addc(o->out, c);
	o->last = c;
	o->last_regex = false;
}

static void js_span(js_out *o, const char *in, size_t i, size_t end)
{
	js_sep(o, in[i]);
	buf_add(o->out, in + i, end - i);
	o->last = in[end - 1];
	o->last_regex = false;
}

/* The end of the regular expression at in[i] ("/"), or 0: a / inside a
 * class ([/]) or escaped does not end it, a newline means it was not one. */
static size_t js_regex_end(const char *in, size_t n, size_t i)
{
	bool cls = false;
	for (size_t j = i + 1; j < n; j++) {
		char c = in[j];
		if (c == '\n' || c == '\r')
			return 0;
		if (c == '\\') {
			if (j + 1 < n && (in[j + 1] == '\n' || in[j + 1] == '\r'))
				return 0;
			j++;
		} else if (c == '[') {
			cls = true;
		} else if (c == ']') {
			cls = false;
		} else if (c == '/' && !cls) {
			return j + 1;
		}
	}
	return 0;
}

/* The end of the template literal at in[i] ("`"), or 0.  A stack says where
 * the scan is: 'T' the literal's text, '$' a ${ } expression, '{' a brace
 * inside one; in an expression, strings, comments and nested literals are
 * skipped so that their } and ` do not count. */
static size_t js_template_end(const char *in, size_t n, size_t i)
{
	char stack[MINIFY_TEMPLATE_DEPTH];
	size_t depth = 0, j = i + 1;
	stack[depth++] = 'T';
	while (j < n && depth) {
		char c = in[j];
		if (stack[depth - 1] == 'T') {
			if (c == '\\') {
				j += 2;
				continue;
			}
			if (c == '`') {
				depth--;
			} else if (c == '$' && j + 1 < n && in[j + 1] == '{') {
				if (depth == MINIFY_TEMPLATE_DEPTH)
					return 0;
				stack[depth++] = '$';
				j++;
			}
			j++;
			continue;
		}
		if (c == '"' || c == '\'') {
			size_t end = minify_string_end(in, n, j);
			if (!end)
				return 0;
			j = end;
			continue;
		}
		if (c == '/' && j + 1 < n && in[j + 1] == '*') {
			bool nl;
			size_t end = minify_comment_end(in, n, j, &nl);
			if (!end)
				return 0;
			j = end;
			continue;
		}
		if (c == '/' && j + 1 < n && in[j + 1] == '/') {
			while (j < n && in[j] != '\n')
				j++;
			continue;
		}
		if (c == '`' || c == '{') {
			if (depth == MINIFY_TEMPLATE_DEPTH)
				return 0;
			stack[depth++] = (char)(c == '`' ? 'T' : '{');
		} else if (c == '}') {
			depth--;
		}
		j++;
	}
	return depth ? 0 : j;
}

bool minify_js(const char *in, size_t n, buf *out)
{
	size_t start = out->len;
	js_out o = { out, PEND_NONE, 0, false, start };
	size_t i = 0;
	while (i < n) {
		char c = in[i];
		if (c == '\n' || c == '\r') {
			o.pending = PEND_NEWLINE;
			i++;
		} else if (c == ' ' || c == '\t' || c == '\f' || c == '\v') {
			if (o.pending == PEND_NONE)
				o.pending = PEND_SPACE;
			i++;
		} else if (c == '/' && i + 1 < n && in[i + 1] == '/') {
			while (i < n && in[i] != '\n' && in[i] != '\r')
				i++; /* the newline stays, for the separator */
			if (o.pending == PEND_NONE)
				o.pending = PEND_SPACE;
		} else if (c == '/' && i + 1 < n && in[i + 1] == '*') {
			/* A comment with a line break counts as one (ECMAScript, ASI). */
			bool nl;
			size_t end = minify_comment_end(in, n, i, &nl);
			if (!end)
				return minify_fail(out, start, in, n);
			if (nl)
				o.pending = PEND_NEWLINE;
			else if (o.pending == PEND_NONE)
				o.pending = PEND_SPACE;
			i = end;
		} else if (c == '/' && js_regex_allowed(&o)) {
			size_t end = js_regex_end(in, n, i);
			if (!end)
				return minify_fail(out, start, in, n);
			js_span(&o, in, i, end);
			o.last_regex = true;
			i = end;
		} else if (c == '"' || c == '\'') {
			size_t end = minify_string_end(in, n, i);
			if (!end)
				return minify_fail(out, start, in, n);
			js_span(&o, in, i, end);
			i = end;
		} else if (c == '`') {
			size_t end = js_template_end(in, n, i);
			if (!end)
				return minify_fail(out, start, in, n);
			js_span(&o, in, i, end);
			i = end;
		} else {
			js_put(&o, c);
			i++;
		}
	}
	return true;
}

/* ---- by file name ---- */

static const char *minify_ext(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot ? dot + 1 : "";
}

bool minify_wants(const char *name)
{
	const char *ext = minify_ext(name);
	return strcmp(ext, "css") == 0 || strcmp(ext, "js") == 0;
}

bool minify_asset(const char *name, const char *in, size_t n, buf *out)
{
	const char *ext = minify_ext(name);
	if (strcmp(ext, "css") == 0)
		return minify_css(in, n, out);
	if (strcmp(ext, "js") == 0)
		return minify_js(in, n, out);
	buf_add(out, in, n);
	return false;
}

/* form.c: the vote's field table, its validators, and the two body parsers
 * (application/x-www-form-urlencoded and a flat JSON object).
 *
 * Values are decoded into a scratch buffer, then handed to form_set(),
 * which finds the field in the table and runs its validator: one path
 * for both encodings, so they accept exactly the same votes. */
#include "feedback/form.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feedback/quiz_manifest.h"
#include "util/url.h"
#include "util/utf8.h"

typedef bool (*form_validator)(buf *val, buf *err, const char *name);

typedef struct form_spec {
	const char *name;
	bool required;
	bool multi; /* may be given several times */
	form_validator valid; /* NULL: the vote's reasons (form_add_reason) */
} form_spec;

static const char *const form_reason_names[] = { "inaccurate", "incomplete", "not_found", "unclear" };
#define FORM_N_REASONS (sizeof(form_reason_names) / sizeof(form_reason_names[0]))

static bool form_valid_article(buf *v, buf *err, const char *name);
static bool form_valid_lang(buf *v, buf *err, const char *name);
static bool form_valid_vote(buf *v, buf *err, const char *name);
static bool form_valid_comment(buf *v, buf *err, const char *name);
static bool form_valid_token(buf *v, buf *err, const char *name);
static bool form_valid_seq(buf *v, buf *err, const char *name);
static bool form_valid_kind(buf *v, buf *err, const char *name);
static bool form_valid_node(buf *v, buf *err, const char *name);
static bool form_valid_answer(buf *v, buf *err, const char *name);

static const form_spec form_specs[FORM__MAX] = {
	[FORM_ARTICLE] = { "article", true, false, form_valid_article },
	[FORM_LANG] = { "lang", true, false, form_valid_lang },
	[FORM_VOTE] = { "vote", true, false, form_valid_vote },
	[FORM_REASON] = { "reason", false, true, NULL }, /* form_add_reason */
	[FORM_COMMENT] = { "comment", false, false, form_valid_comment },
	[FORM_REVISION] = { "revision", false, false, form_valid_token },
	[FORM_CLIENT] = { "client", false, false, form_valid_token },
};

/* A questionnaire step (POST /api/questionnaire). */
static const form_spec form_step_specs[FORM_STEP__MAX] = {
	[FORM_STEP_QUESTIONNAIRE] = { "questionnaire", true, false, form_valid_token },
	[FORM_STEP_LANG] = { "lang", true, false, form_valid_lang },
	[FORM_STEP_REVISION] = { "revision", true, false, form_valid_token },
	[FORM_STEP_VISIT] = { "visit", true, false, form_valid_token },
	[FORM_STEP_SEQ] = { "seq", true, false, form_valid_seq },
	[FORM_STEP_KIND] = { "step", true, false, form_valid_kind },
	[FORM_STEP_NODE] = { "node", true, false, form_valid_node },
	[FORM_STEP_ANSWER] = { "answer", false, false, form_valid_answer },
};

static bool form_token_chars(const buf *v, const char *extra)
{
	for (size_t i = 0; i < v->len; i++) {
		unsigned char c = (unsigned char)v->ptr[i];
		if (!isascii(c) || (!isalnum(c) && !strchr(extra, c)) || c == '\0')
			return false;
	}
	return true;
}

static bool form_valid_article(buf *v, buf *err, const char *name)
{
	/* The manifest decides which keys exist; here only the shape. */
	bool ok = v->len <= 256 && utf8_valid(v->ptr, v->len, NULL);
	for (size_t i = 0; ok && i < v->len; i++)
		if ((unsigned char)v->ptr[i] < 0x20 || v->ptr[i] == 0x7f)
			ok = false;
	if (!ok)
		buf_addf(err, "field '%s' is not an article key (<section>/<slug>)", name);
	return ok;
}

static bool form_valid_lang(buf *v, buf *err, const char *name)
{
	if (v->len > 35 || !form_token_chars(v, "-")) {
		buf_addf(err, "field '%s' is not a language tag (like fr or pt-BR)", name);
		return false;
	}
	return true;
}

static bool form_valid_vote(buf *v, buf *err, const char *name)
{
	if (!buf_equals(v, "yes") && !buf_equals(v, "no")) {
		buf_addf(err, "field '%s' must be 'yes' or 'no'", name);
		return false;
	}
	return true;
}

static bool form_valid_token(buf *v, buf *err, const char *name)
{
	if (v->len > 64 || !form_token_chars(v, "-_")) {
		buf_addf(err, "field '%s' must be 1 to 64 letters, digits, '-' or '_'", name);
		return false;
	}
	return true;
}

static bool form_valid_seq(buf *v, buf *err, const char *name)
{
	if (v->len > 6 || strspn(v->ptr, "0123456789") != v->len) {
		buf_addf(err, "field '%s' must be a number from 0 to 999999", name);
		return false;
	}
	return true;
}

static bool form_valid_kind(buf *v, buf *err, const char *name)
{
	if (quiz_kind_parse(v->ptr) < 0) {
		buf_addf(err, "field '%s' must be start, show, answer, outcome, restart or open", name);
		return false;
	}
	return true;
}

static bool form_valid_node(buf *v, buf *err, const char *name)
{
	if (v->len < 2 || v->len > 6 || v->ptr[0] != 'n' || strspn(v->ptr + 1, "0123456789") != v->len - 1) {
		buf_addf(err, "field '%s' must be a node id like n3", name);
		return false;
	}
	return true;
}

static bool form_valid_answer(buf *v, buf *err, const char *name)
{
	if (v->len > 1000 || !form_token_chars(v, "-_,")) {
		buf_addf(err, "field '%s' must be answer ids joined by ','", name);
		return false;
	}
	return true;
}

static bool form_valid_comment(buf *v, buf *err, const char *name)
{
	/* Browsers send a textarea's line breaks as CRLF: keep one LF. */
	size_t w = 0;
	for (size_t r = 0; r < v->len; r++) {
		if (v->ptr[r] == '\r' && r + 1 < v->len && v->ptr[r + 1] == '\n')
			continue;
		v->ptr[w++] = v->ptr[r];
	}
	buf_truncate(v, w);
	size_t chars;
	if (!utf8_valid(v->ptr, v->len, &chars)) {
		buf_addf(err, "field '%s' is not valid UTF-8", name);
		return false;
	}
	if (chars > FORM_COMMENT_MAX_CHARS) {
		buf_addf(err, "field '%s' has %zu characters; at most %d are accepted", name, chars,
			 FORM_COMMENT_MAX_CHARS);
		return false;
	}
	const unsigned char *p = (const unsigned char *)v->ptr;
	for (size_t i = 0; i < v->len; i++) {
		bool c1 = p[i] == 0xc2 && i + 1 < v->len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f;
		if ((p[i] < 0x20 && p[i] != '\n' && p[i] != '\t') || p[i] == 0x7f || c1) {
			buf_addf(err, "field '%s' contains a control character (only newline and tab are allowed)",
				 name);
			return false;
		}
	}
	return true;
}

static bool form_add_reason(form *f, const buf *v, buf *err)
{
	for (size_t i = 0; i < FORM_N_REASONS; i++) {
		if (buf_equals(v, form_reason_names[i])) {
			f->reasons |= 1u << i;
			f->present[FORM_REASON] = true;
			buf_reset(&f->val[FORM_REASON]);
			/* form_reason_names is sorted: the join comes out sorted and without repeats. */
			for (size_t j = 0; j < FORM_N_REASONS; j++) {
				if (!(f->reasons & (1u << j)))
					continue;
				if (f->val[FORM_REASON].len)
					buf_addc(&f->val[FORM_REASON], ',');
				buf_adds(&f->val[FORM_REASON], form_reason_names[j]);
			}
			return true;
		}
	}
	buf_adds(err, "field 'reason' must be one of unclear, incomplete, inaccurate, not_found");
	return false;
}

/* One decoded name=value pair.  Unknown names are ignored. */
static bool form_set(form *f, const char *name, size_t nlen, buf *val, buf *err)
{
	for (int i = 0; i < f->n_specs; i++) {
		const form_spec *s = &f->specs[i];
		if (strlen(s->name) != nlen || memcmp(s->name, name, nlen) != 0)
			continue;
		if (val->len == 0)
			return true; /* empty counts as absent */
		if (!s->valid)       /* the vote's reasons */
			return form_add_reason(f, val, err);
		if (f->present[i]) {
			buf_addf(err, "field '%s' is given twice", s->name);
			return false;
		}
		if (memchr(val->ptr, '\0', val->len)) {
			buf_addf(err, "field '%s' contains a NUL byte", s->name);
			return false;
		}
		if (!s->valid(val, err, s->name))
			return false;
		buf_reset(&f->val[i]);
		buf_add(&f->val[i], val->ptr, val->len);
		f->present[i] = true;
		return true;
	}
	return true;
}

static bool form_check_required(const form *f, buf *err)
{
	for (int i = 0; i < f->n_specs; i++) {
		if (f->specs[i].required && !f->present[i]) {
			buf_addf(err, "missing field '%s'", f->specs[i].name);
			return false;
		}
	}
	return true;
}

/* Percent-decoding of a form component, in out's own bytes. */
static bool form_urldecode(const char *s, size_t n, buf *out)
{
	size_t len;
	buf_reset(out);
	buf_add(out, s, n);
	bool ok = url_decode(out->ptr, out->ptr, out->len, URL_FORM, &len);
	buf_truncate(out, len);
	return ok;
}

static bool form_parse_urlencoded(form *f, const char *body, size_t len, buf *err)
{
	buf name = BUF_INIT, val = BUF_INIT;
	bool ok = true;
	const char *p = body, *end = body + len;
	while (ok && p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *pe = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(pe - p));
		if (pe > p) {
			const char *ne = eq ? eq : pe;
			if (!form_urldecode(p, (size_t)(ne - p), &name) ||
			    !form_urldecode(eq ? eq + 1 : pe, eq ? (size_t)(pe - eq - 1) : 0, &val)) {
				buf_adds(err, "malformed percent-encoding in the form data");
				ok = false;
			} else {
				ok = form_set(f, name.ptr, name.len, &val, err);
			}
		}
		p = amp ? amp + 1 : end;
	}
	buf_release(&name);
	buf_release(&val);
	return ok;
}

/* A minimal JSON reader: the body is one object whose members we want are
 * strings (or, for reason, an array of strings); other members are skipped
 * whatever they hold, with nesting bounded. */
typedef struct json_in {
	const char *p, *end;
} json_in;

#define JSON_MAX_DEPTH 16

static void json_ws(json_in *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static bool json_hex4(json_in *j, unsigned *cp)
{
	if (j->end - j->p < 4)
		return false;
	*cp = 0;
	for (int i = 0; i < 4; i++) {
		int h = url_hex_value(j->p[i]);
		if (h < 0)
			return false;
		*cp = *cp << 4 | (unsigned)h;
	}
	j->p += 4;
	return true;
}

/* At a '"': decodes the string into out (out NULL: skip). */
static bool json_string(json_in *j, buf *out)
{
	if (j->p >= j->end || *j->p != '"')
		return false;
	j->p++;
	if (out)
		buf_reset(out);
	buf scratch = BUF_INIT;
	buf *o = out ? out : &scratch;
	bool ok = false;
	while (j->p < j->end) {
		unsigned char c = (unsigned char)*j->p++;
		if (c == '"') {
			ok = true;
			break;
		}
		if (c < 0x20)
			break;
		if (c != '\\') {
			buf_addc(o, (char)c);
			continue;
		}
		if (j->p >= j->end)
			break;
		char e = *j->p++;
		const char *simple = strchr("\"\\/bfnrt", e);
		if (simple && e) {
			static const char map[] = "\"\\/\b\f\n\r\t";
			buf_addc(o, map[simple - "\"\\/bfnrt"]);
			continue;
		}
		unsigned cp, lo;
		if (e != 'u' || !json_hex4(j, &cp))
			break;
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (j->end - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u')
				break;
			j->p += 2;
			if (!json_hex4(j, &lo) || lo < 0xdc00 || lo > 0xdfff)
				break;
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		} else if (cp >= 0xdc00 && cp <= 0xdfff) {
			break;
		}
		utf8_put(o, cp);
	}
	buf_release(&scratch);
	return ok;
}

static bool json_skip(json_in *j, int depth)
{
	json_ws(j);
	if (j->p >= j->end || depth > JSON_MAX_DEPTH)
		return false;
	char c = *j->p;
	if (c == '"')
		return json_string(j, NULL);
	if (c == '{' || c == '[') {
		char close = c == '{' ? '}' : ']';
		j->p++;
		json_ws(j);
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return true;
		}
		for (;;) {
			if (c == '{') {
				json_ws(j);
				if (!json_string(j, NULL))
					return false;
				json_ws(j);
				if (j->p >= j->end || *j->p++ != ':')
					return false;
			}
			if (!json_skip(j, depth + 1))
				return false;
			json_ws(j);
			if (j->p >= j->end)
				return false;
			if (*j->p == ',') {
				j->p++;
				continue;
			}
			return *j->p++ == close;
		}
	}
	/* true, false, null, numbers: a run of their characters. */
	const char *start = j->p;
	while (j->p < j->end && strchr("truefalsn0123456789+-.eE", *j->p) && *j->p)
		j->p++;
	return j->p > start;
}

static bool form_parse_json(form *f, const char *body, size_t len, buf *err)
{
	json_in j = { body, body + len };
	buf name = BUF_INIT, val = BUF_INIT;
	bool ok = false;
	json_ws(&j);
	if (j.p >= j.end || *j.p++ != '{')
		goto bad;
	json_ws(&j);
	if (j.p < j.end && *j.p == '}') {
		j.p++;
		goto end;
	}
	for (;;) {
		json_ws(&j);
		if (!json_string(&j, &name))
			goto bad;
		json_ws(&j);
		if (j.p >= j.end || *j.p++ != ':')
			goto bad;
		json_ws(&j);
		bool known = false;
		for (int i = 0; i < f->n_specs; i++)
			if (buf_equals(&name, f->specs[i].name))
				known = true;
		if (!known) {
			if (!json_skip(&j, 1))
				goto bad;
		} else if (j.p < j.end && *j.p == '"') {
			if (!json_string(&j, &val))
				goto bad;
			if (!form_set(f, name.ptr, name.len, &val, err))
				goto out;
		} else if (j.p < j.end && *j.p == '[' && buf_equals(&name, "reason") && f->specs == form_specs) {
			j.p++;
			json_ws(&j);
			if (j.p < j.end && *j.p == ']') {
				j.p++;
			} else {
				for (;;) {
					json_ws(&j);
					if (j.p >= j.end || *j.p != '"') {
						buf_adds(err, "field 'reason' must be a string or an array of strings");
						goto out;
					}
					if (!json_string(&j, &val))
						goto bad;
					if (!form_set(f, name.ptr, name.len, &val, err))
						goto out;
					json_ws(&j);
					if (j.p < j.end && *j.p == ',') {
						j.p++;
						continue;
					}
					if (j.p >= j.end || *j.p++ != ']')
						goto bad;
					break;
				}
			}
		} else {
			buf_addf(err, "field '%s' must be a string", name.ptr);
			goto out;
		}
		json_ws(&j);
		if (j.p < j.end && *j.p == ',') {
			j.p++;
			continue;
		}
		if (j.p >= j.end || *j.p++ != '}')
			goto bad;
		break;
	}
end:
	json_ws(&j);
	if (j.p != j.end)
		goto bad;
	ok = true;
	goto out;
bad:
	buf_reset(err);
	buf_adds(err, "the body is not a JSON object of fields");
out:
	buf_release(&name);
	buf_release(&val);
	return ok;
}

form_type form_content_type(const char *ct)
{
	if (!ct)
		return FORM_TYPE_NONE;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	size_t n = strcspn(ct, "; \t");
	form_type t = FORM_TYPE_NONE;
	if (n == 33 && strncasecmp(ct, "application/x-www-form-urlencoded", n) == 0)
		t = FORM_TYPE_URLENCODED;
	else if (n == 16 && strncasecmp(ct, "application/json", n) == 0)
		t = FORM_TYPE_JSON;
	/* A charset parameter, if any, must be UTF-8 (or ASCII, a subset). */
	const char *cs = strcasestr(ct + n, "charset=");
	if (t != FORM_TYPE_NONE && cs) {
		cs += 8;
		if (*cs == '"')
			cs++;
		if (strncasecmp(cs, "utf-8", 5) != 0 && strncasecmp(cs, "us-ascii", 8) != 0)
			t = FORM_TYPE_NONE;
	}
	return t;
}

static void form_init_with(form *f, const form_spec *specs, int n)
{
	memset(f, 0, sizeof(*f));
	for (int i = 0; i < FORM_MAX_FIELDS; i++)
		f->val[i] = (buf)BUF_INIT;
	f->specs = specs;
	f->n_specs = n;
}

void form_init(form *f) { form_init_with(f, form_specs, FORM__MAX); }

void form_init_step(form *f) { form_init_with(f, form_step_specs, FORM_STEP__MAX); }

void form_release(form *f)
{
	for (int i = 0; i < FORM_MAX_FIELDS; i++)
		buf_release(&f->val[i]);
	form_init_with(f, f->specs, f->n_specs);
}

bool form_parse(form *f, form_type type, const char *body, size_t len, buf *err)
{
	bool ok = type == FORM_TYPE_JSON ? form_parse_json(f, body, len, err)
					 : form_parse_urlencoded(f, body, len, err);
	return ok && form_check_required(f, err);
}

/* The q of the most specific range of accept matching type/sub
 * (exact, then type/any, then any/any); -1 when none matches. */
static double form_accept_q(const char *accept, const char *type, const char *sub)
{
	double best_q = -1;
	int best_spec = -1;
	const char *p = accept;
	while (*p) {
		size_t rl = strcspn(p, ",");
		const char *r = p, *re = p + rl;
		p = *re ? re + 1 : re;
		while (r < re && (*r == ' ' || *r == '\t'))
			r++;
		size_t ml = strcspn(r, ";, \t");
		if (r + ml > re)
			ml = (size_t)(re - r);
		const char *slash = memchr(r, '/', ml);
		if (!slash)
			continue;
		size_t tl = (size_t)(slash - r), sl = ml - tl - 1;
		int spec;
		if (tl == 1 && *r == '*' && sl == 1 && slash[1] == '*')
			spec = 0;
		else if (tl == strlen(type) && strncasecmp(r, type, tl) == 0 && sl == 1 && slash[1] == '*')
			spec = 1;
		else if (tl == strlen(type) && strncasecmp(r, type, tl) == 0 && sl == strlen(sub) &&
			 strncasecmp(slash + 1, sub, sl) == 0)
			spec = 2;
		else
			continue;
		double q = 1;
		for (const char *s = r + ml; s < re; s++) {
			if ((s[0] == 'q' || s[0] == 'Q') && s + 1 < re && s[1] == '=' &&
			    (s[-1] == ';' || s[-1] == ' ' || s[-1] == '\t')) {
				q = strtod(s + 2, NULL);
				break;
			}
		}
		if (spec > best_spec) {
			best_spec = spec;
			best_q = q;
		}
	}
	return best_q;
}

bool form_accept_prefers_html(const char *accept)
{
	if (!accept)
		return false;
	double html = form_accept_q(accept, "text", "html");
	double json = form_accept_q(accept, "application", "json");
	return html > 0 && html > json;
}

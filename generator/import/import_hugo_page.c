/* import_hugo_page.c: a Hugo page's shortcodes and blocks (import_hugo.h).
 *
 * First each line outside code is prepared: escaped shortcodes become code,
 * ref/relref become source paths, figure an image, any shortcode phare has
 * no equivalent for is kept as code (listed, counted), and block shortcodes
 * (notice and other themes' notices, expand, details, tabs, tabpane, tab,
 * mermaid, highlight) are put on lines of their own.  Then the lines are
 * converted as blocks, nested ones inside out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "import/import_hugo.h"
#include "util/xalloc.h"

typedef struct hg_line {
	const char *s;
	size_t n;
	int no;
} hg_line;

/* ---- shortcodes ---- */

typedef struct hg_page {
	import_ctx *cx;
	import_page *p;
	hg_line *lines;
	size_t n;
} hg_page;

/* A shortcode "{{< name args >}}" or "{{% … %}}" at s[0..n): its length,
 * the name and whether it closes; 0 if there is none. */
static size_t hg_token(const char *s, size_t n, const char **name, size_t *nlen, bool *closing, bool *escaped)
{
	if (n < 6 || s[0] != '{' || s[1] != '{' || (s[2] != '<' && s[2] != '%'))
		return 0;
	char kind = s[2] == '<' ? '>' : '%'; /* {{< … >}} or {{% … %}} */
	const char *end = NULL;
	for (size_t i = 3; i + 2 < n; i++)
		if (s[i] == kind && s[i + 1] == '}' && s[i + 2] == '}') {
			end = s + i;
			break;
		}
	if (!end)
		return 0;
	const char *p = s + 3;
	*escaped = p < end && *p == '/' && p + 1 < end && p[1] == '*';
	if (*escaped)
		p += 2;
	while (p < end && *p == ' ')
		p++;
	*closing = p < end && *p == '/';
	if (*closing)
		p++;
	while (p < end && *p == ' ')
		p++;
	*name = p;
	while (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			   *p == '-' || *p == '_'))
		p++;
	*nlen = (size_t)(p - *name);
	return *nlen || *escaped ? (size_t)(end - s) + 3 : 0;
}

static bool hg_is(const char *name, size_t n, const char *want)
{
	return strlen(want) == n && memcmp(name, want, n) == 0;
}

static bool hg_is_notice(const char *name, size_t n)
{
	return hg_is(name, n, "notice") || hg_is(name, n, "alert") || hg_is(name, n, "callout") ||
	       hg_is(name, n, "hint") || hg_is(name, n, "admonition");
}

static bool hg_is_block(const char *name, size_t n)
{
	/* notice (Learn, Relearn), alert (Docsy), callout (Hextra), hint (Book),
	 * admonition: notices; tabs/tabpane and tab; code kept as code */
	return hg_is_notice(name, n) || hg_is(name, n, "expand") || hg_is(name, n, "details") ||
	       hg_is(name, n, "tabs") || hg_is(name, n, "tabpane") || hg_is(name, n, "tab") ||
	       hg_is(name, n, "mermaid") || hg_is(name, n, "highlight") || hg_is(name, n, "steps");
}

/* The first "quoted" argument of a token, or the value of key="…". */
static char *hg_arg(import_ctx *cx, const char *tok, size_t n, const char *key)
{
	const char *p = tok, *end = tok + n;
	if (key) {
		size_t k = strlen(key);
		for (p = tok + 1; p + k + 1 < end; p++)
			if ((p[-1] == ' ') && memcmp(p, key, k) == 0 && p[k] == '=' &&
			    (p[k + 1] == '"' || p[k + 1] == '\''))
				break;
		if (p + k + 1 >= end)
			return NULL;
		p += k + 1;
	} else {
		while (p < end && *p != '"' && *p != '\'')
			p++;
		if (p >= end)
			return NULL;
	}
	const char *q = memchr(p + 1, *p, (size_t)(end - p - 1));
	return q ? arena_strndup(&cx->a, p + 1, (size_t)(q - p - 1)) : NULL;
}

/* The bare words after the name ("tip" of "{{% notice tip %}}"). */
static char *hg_word(import_ctx *cx, const char *after, const char *end)
{
	while (after < end && *after == ' ')
		after++;
	const char *w = after;
	while (after < end && *after != ' ' && *after != '%' && *after != '>' && *after != '"')
		after++;
	return arena_strndup(&cx->a, w, (size_t)(after - w));
}

/* ref / relref "path": a root-relative source path ("/content/a/b.md#x"). */
static char *hg_ref(hg_page *h, const char *arg)
{
	import_ctx *cx = h->cx;
	const char *hash = strchr(arg, '#');
	size_t n = hash ? (size_t)(hash - arg) : strlen(arg);
	char *path = arena_strndup(&cx->a, arg, n);
	/* a language in the name ("archetypes.en.md") */
	size_t len = strlen(path);
	if (len > 6 && strcmp(path + len - 3, ".md") == 0) {
		char *dot = memrchr(path, '.', len - 3);
		if (dot && (size_t)(path + len - 3 - dot) <= 6 && !strchr(dot, '/')) {
			memmove(dot, path + len - 3, 4);
		}
	}
	const char *content = import_dirname(cx, h->p->src);
	while (strchr(content, '/'))
		content = import_dirname(cx, content);
	if (!*path) /* "#anchor": this page */
		return arena_printf(&cx->a, "/%s%s", h->p->src, hash ? hash : "");
	char *full = path[0] == '/' ? arena_printf(&cx->a, "/%s%s", content, path)
				    : arena_printf(&cx->a, "/%s/%s", content, path);
	char *res = import_resolve(cx, "", full, strlen(full));
	if (res && !import_find_page(cx, res) && !strchr(path, '/')) {
		/* Hugo finds "name.md" anywhere: the only page of that name */
		for (size_t i = 0; i < cx->n_pages; i++) {
			const char *src = cx->pages[i]->src, *base = src ? strrchr(src, '/') : NULL;
			if (base && strcmp(base + 1, path) == 0)
				full = arena_printf(&cx->a, "/%s", src);
		}
	}
	return hash ? arena_printf(&cx->a, "%s%s", full, hash) : full;
}

/* One line outside code: escaped shortcodes as code, ref/relref as paths,
 * figure as an image, block shortcodes on lines of their own, any other
 * kept as code and listed.  Appends "\n"-separated lines to out and their
 * numbers to nos. */
static void hg_pre_line(hg_page *h, const hg_line *l, buf *out, size_t *n_lines)
{
	import_ctx *cx = h->cx;
	const char *s = l->s, *end = s + l->n;
	while (s < end) {
		const char *name;
		size_t nlen;
		bool closing, escaped;
		size_t k = (size_t)(end - s) >= 6 ? hg_token(s, (size_t)(end - s), &name, &nlen, &closing, &escaped)
						  : 0;
		if (!k) {
			buf_addc(out, *s++);
			continue;
		}
		if (escaped) { /* an escaped shortcode: Hugo shows it without its comment marks */
			buf_adds(out, "`");
			buf_add(out, s, 3);
			const char *in = s + 5, *in_end = s + k - 5;
			buf_add(out, in, in_end > in ? (size_t)(in_end - in) : 0);
			buf_add(out, s + k - 3, 3);
			buf_adds(out, "`");
		} else if (hg_is(name, nlen, "ref") || hg_is(name, nlen, "relref")) {
			char *arg = hg_arg(cx, s, k, NULL);
			buf_adds(out, arg ? hg_ref(h, arg) : "#");
			import_count(cx, IMPORT_LINK);
		} else if (hg_is(name, nlen, "figure")) {
			char *src = hg_arg(cx, s, k, "src"), *alt = hg_arg(cx, s, k, "alt"),
			     *cap = hg_arg(cx, s, k, "caption");
			buf_addf(out, "![%s](<%s>", alt ? alt : cap ? cap : "", src ? src : "");
			if (cap && !strchr(cap, '"'))
				buf_addf(out, " \"%s\"", cap);
			buf_adds(out, ")");
			import_count(cx, IMPORT_FIGURE);
		} else if (hg_is_block(name, nlen)) {
			buf_addc(out, '\n');
			buf_add(out, s, k);
			buf_addc(out, '\n');
			*n_lines += 2;
		} else {
			buf_addf(out, "`%.*s`", (int)k, s);
			if (!closing) {
				import_note(cx, h->p->file, l->no, "shortcode '%.*s'; kept as written, as code",
					    (int)nlen, name);
				import_count(cx, IMPORT_NOT_CONVERTED);
				char what[80];
				snprintf(what, sizeof what, "shortcode %.*s", (int)(nlen < 60 ? nlen : 60), name);
				import_tally(cx, what);
			}
		}
		s += k;
	}
}

/* Whether line s[0..n) opens a shortcode it does not close ("{{< asciinema"
 * with its arguments on the next lines); *kind: '>' or '%'. */
static bool hg_unclosed(const char *s, size_t n, char *kind)
{
	const char *open = NULL;
	for (size_t i = 0; i + 2 < n; i++)
		if (s[i] == '{' && s[i + 1] == '{' && (s[i + 2] == '<' || s[i + 2] == '%'))
			open = s + i;
	if (!open)
		return false;
	*kind = open[2] == '<' ? '>' : '%';
	char close[4] = { *kind, '}', '}', 0 };
	return !memmem(open, (size_t)(s + n - open), close, 3);
}

/* The lines after p (below end) that end the shortcode p[0..n) opens, up to
 * a few and not past a blank line: joined to it by spaces into out, so it
 * reads as one line.  The number of lines taken, 0 if it is not closed. */
static size_t hg_join(const char *p, size_t n, const char *end, char kind, buf *out)
{
	char close[4] = { kind, '}', '}', 0 };
	buf_add(out, p, n);
	const char *q = p + n < end ? p + n + 1 : end;
	for (size_t taken = 1; q < end && taken <= 20; taken++) {
		const char *nl = memchr(q, '\n', (size_t)(end - q));
		size_t m = nl ? (size_t)(nl - q) : (size_t)(end - q);
		while (m && q[m - 1] == '\r')
			m--;
		const char *t = q;
		while (t < q + m && (*t == ' ' || *t == '\t'))
			t++;
		if (t == q + m)
			return 0;
		buf_addc(out, ' ');
		buf_add(out, t, (size_t)(q + m - t));
		if (memmem(t, (size_t)(q + m - t), close, 3))
			return taken;
		q = nl ? nl + 1 : end;
	}
	return 0;
}

/* The page's lines with shortcodes made into lines of their own. */
static void hg_prepare(hg_page *h, const char *text, size_t len, int first)
{
	import_ctx *cx = h->cx;
	buf out = BUF_INIT;
	size_t cap = 16;
	int *nos = xmalloc(cap * sizeof(int));
	size_t n_lines = 0;
	char fence = 0;
	int no = first;
	for (const char *p = text, *end = text + len, *nl; p < end; p = nl ? nl + 1 : end, no++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		while (n && p[n - 1] == '\r')
			n--;
		const char *t = p;
		while (t < p + n && *t == ' ')
			t++;
		size_t before = n_lines;
		if ((size_t)(p + n - t) >= 3 && (memcmp(t, "```", 3) == 0 || memcmp(t, "~~~", 3) == 0))
			fence = fence ? (fence == *t ? 0 : fence) : *t;
		if (fence || ((size_t)(p + n - t) >= 3 && (memcmp(t, "```", 3) == 0 || memcmp(t, "~~~", 3) == 0))) {
			/* in code: an escaped shortcode is shown without its comment marks */
			for (size_t i = 0; i < n; i++) {
				if (i + 5 <= n && p[i] == '{' && p[i + 1] == '{' &&
				    (p[i + 2] == '<' || p[i + 2] == '%') && p[i + 3] == '/' && p[i + 4] == '*') {
					buf_add(&out, p + i, 3);
					i += 4;
				} else if (i + 5 <= n && p[i] == '*' && p[i + 1] == '/' &&
					   (p[i + 2] == '>' || p[i + 2] == '%') && p[i + 3] == '}' && p[i + 4] == '}') {
					buf_add(&out, p + i + 2, 3);
					i += 4;
				} else {
					buf_addc(&out, p[i]);
				}
			}
		} else {
			char kind;
			buf joined = BUF_INIT;
			size_t more = hg_unclosed(p, n, &kind) ? hg_join(p, n, end, kind, &joined) : 0;
			hg_line l = { more ? joined.ptr : p, more ? joined.len : n, no };
			hg_pre_line(h, &l, &out, &n_lines);
			buf_release(&joined);
			for (size_t k = 0; k < more && nl; k++) { /* the lines joined: skipped, still counted */
				nl = memchr(nl + 1, '\n', (size_t)(end - nl - 1));
				no++;
			}
			if (more && !nl)
				nl = end - 1;
		}
		buf_addc(&out, '\n');
		n_lines++;
		nos = xgrow(nos, &cap, n_lines + 1, sizeof(int));
		for (size_t i = before; i < n_lines; i++)
			nos[i] = no;
	}
	h->lines = arena_alloc(&cx->a, (n_lines + 1) * sizeof(hg_line));
	char *all = arena_strndup(&cx->a, out.ptr, out.len);
	h->n = 0;
	for (char *p = all, *end = all + out.len, *nl; p < end && h->n < n_lines; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		h->lines[h->n] = (hg_line){ p, (size_t)(nl - p), nos[h->n] };
		h->n++;
	}
	free(nos);
	buf_release(&out);
}

/* ---- blocks ---- */

static bool hg_line_token(const hg_line *l, const char **name, size_t *nlen, bool *closing, size_t *k)
{
	const char *s = l->s;
	size_t n = l->n;
	while (n && *s == ' ')
		s++, n--;
	while (n && s[n - 1] == ' ')
		n--;
	bool escaped;
	*k = hg_token(s, n, name, nlen, closing, &escaped);
	return *k == n && n && !escaped && hg_is_block(*name, *nlen);
}

static bool hg_fence_line(const hg_line *l)
{
	const char *t = l->s;
	while (t < l->s + l->n && *t == ' ')
		t++;
	return (size_t)(l->s + l->n - t) >= 3 && (memcmp(t, "```", 3) == 0 || memcmp(t, "~~~", 3) == 0);
}

static size_t hg_skip_fence(const hg_page *h, size_t i, size_t to)
{
	for (size_t j = i + 1; j < to; j++)
		if (hg_fence_line(&h->lines[j]))
			return j + 1;
	return to;
}

/* The line closing the block shortcode opened at i, or to. */
static size_t hg_close(const hg_page *h, size_t i, size_t to, const char *name, size_t nlen)
{
	size_t depth = 0;
	for (size_t j = i + 1; j < to;) {
		const char *nm;
		size_t nl, k;
		bool closing;
		if (hg_fence_line(&h->lines[j])) {
			j = hg_skip_fence(h, j, to);
			continue;
		}
		if (hg_line_token(&h->lines[j], &nm, &nl, &closing, &k) && nl == nlen && memcmp(nm, name, nlen) == 0) {
			if (!closing)
				depth++;
			else if (depth-- == 0)
				return j;
		}
		j++;
	}
	return to;
}

static phare_status hg_blocks(hg_page *h, size_t from, size_t to, buf *out, int nest);

static phare_status hg_inner(hg_page *h, size_t from, size_t to, buf *inner, int nest)
{
	*inner = (buf)BUF_INIT;
	phare_status s = hg_blocks(h, from, to, inner, nest + 1);
	while (inner->len && (inner->ptr[inner->len - 1] == '\n' || inner->ptr[inner->len - 1] == ' '))
		inner->len--;
	size_t lead = 0;
	while (lead < inner->len && inner->ptr[lead] == '\n')
		lead++;
	memmove(inner->ptr, inner->ptr + lead, inner->len - lead);
	inner->len -= lead;
	if (inner->cap)
		inner->ptr[inner->len] = '\0';
	return s;
}

static void hg_blank_before(buf *out)
{
	if (out->len && !(out->len >= 2 && out->ptr[out->len - 1] == '\n' && out->ptr[out->len - 2] == '\n'))
		buf_addc(out, '\n');
}

static const char *hg_notice_kind(const char *w)
{
	if (!w)
		return "NOTE";
	if (strcmp(w, "tip") == 0 || strcmp(w, "success") == 0)
		return "TIP";
	if (strcmp(w, "warning") == 0)
		return "WARNING";
	if (strcmp(w, "important") == 0)
		return "IMPORTANT";
	if (strcmp(w, "danger") == 0 || strcmp(w, "error") == 0 || strcmp(w, "caution") == 0)
		return "CAUTION";
	return "NOTE";
}

static void hg_label(buf *out, const char *t)
{
	buf_adds(out, "> **");
	for (; *t; t++) {
		if (*t == '*' || *t == '_' || *t == '\\')
			buf_addc(out, '\\');
		buf_addc(out, *t);
	}
	buf_adds(out, "**\n");
}

static void hg_code(const hg_page *h, size_t i, size_t close, const char *lang, buf *out);

static phare_status hg_tabs(hg_page *h, size_t i, size_t close, buf *out, int nest)
{
	phare_status s = PHARE_OK;
	bool first = true;
	hg_blank_before(out);
	buf_adds(out, "> [!TABS]\n");
	for (size_t j = i + 1; j < close && !s;) {
		const char *nm;
		size_t nl, k;
		bool closing;
		if (!hg_line_token(&h->lines[j], &nm, &nl, &closing, &k) || closing || !hg_is(nm, nl, "tab")) {
			j++;
			continue;
		}
		size_t end = hg_close(h, j, close, "tab", 3);
		const hg_line *l = &h->lines[j];
		char *label = hg_arg(h->cx, l->s, l->n, "name");
		if (!label)
			label = hg_arg(h->cx, l->s, l->n, "title");
		if (!label)
			label = hg_arg(h->cx, l->s, l->n, "header");
		if (!label && !memchr(l->s, '=', l->n)) /* Hugo Book: {{% tab "macOS" %}} */
			label = hg_arg(h->cx, l->s, l->n, NULL);
		char *lang = hg_arg(h->cx, l->s, l->n, "lang");
		buf inner = BUF_INIT;
		if (lang) /* Docsy: the tab is code */
			hg_code(h, j, end, lang, &inner);
		else
			s = hg_inner(h, j + 1, end, &inner, nest);
		while (inner.len && inner.ptr[inner.len - 1] == '\n')
			inner.len--;
		if (!first)
			buf_adds(out, ">\n");
		first = false;
		hg_label(out, label ? label : "Tab");
		import_quote(out, ">> ", inner.len ? inner.ptr : "(empty)", inner.len ? inner.len : 7);
		buf_release(&inner);
		j = end + 1;
	}
	import_count(h->cx, IMPORT_TABS);
	return s;
}

/* Lines i+1..close as a fenced code block in lang, blank edges dropped. */
static void hg_code(const hg_page *h, size_t i, size_t close, const char *lang, buf *out)
{
	hg_blank_before(out);
	buf_addf(out, "```%s\n", lang && *lang ? lang : "text");
	while (i + 1 < close && !h->lines[i + 1].n)
		i++;
	while (close > i + 1 && !h->lines[close - 1].n)
		close--;
	for (size_t j = i + 1; j < close; j++) {
		buf_add(out, h->lines[j].s, h->lines[j].n);
		buf_addc(out, '\n');
	}
	buf_adds(out, "```\n");
}

/* Hugo Book's {{% steps %}} (an ordered list whose items open with a
 * heading, "1. ## Create your site") and Hextra's (headings alone):
 * numbered headings, as GitBook's stepper becomes ("## 1. Create your
 * site"), each item's text taken out of the list. */
static phare_status hg_steps(hg_page *h, size_t i, size_t close, buf *out, int nest)
{
	hg_page sub = *h;
	sub.lines = arena_alloc(&h->cx->a, (close - i) * sizeof(hg_line));
	sub.n = 0;
	int step = 0;
	size_t indent = 0; /* an item's text is indented under its marker */
	for (size_t j = i + 1; j < close; j++) {
		const hg_line *l = &h->lines[j];
		const char *t = l->s, *e = l->s + l->n, *d = t;
		while (d < e && *d >= '0' && *d <= '9')
			d++;
		bool item = d > t && d + 1 < e && (*d == '.' || *d == ')') && d[1] == ' ';
		const char *hd = item ? d + 2 : t;
		size_t lvl = 0;
		while (hd + lvl < e && hd[lvl] == '#')
			lvl++;
		if (lvl && lvl <= 6 && hd + lvl < e && hd[lvl] == ' ') {
			indent = (size_t)(hd - t);
			char *head = arena_printf(&h->cx->a, "%.*s %d. %.*s", (int)lvl, hd, ++step,
						  (int)(e - hd - lvl - 1), hd + lvl + 1);
			sub.lines[sub.n++] = (hg_line){ head, strlen(head), l->no };
			continue;
		}
		size_t k = 0;
		while (k < indent && k < l->n && l->s[k] == ' ')
			k++;
		sub.lines[sub.n++] = (hg_line){ l->s + k, l->n - k, l->no };
	}
	import_count(h->cx, IMPORT_STEPPER);
	hg_blank_before(out);
	return hg_blocks(&sub, 0, sub.n, out, nest + 1);
}

/* The block shortcode at line i (closed at close): converted. */
static phare_status hg_block(hg_page *h, size_t i, size_t close, const char *name, size_t nlen, buf *out, int nest)
{
	import_ctx *cx = h->cx;
	const hg_line *l = &h->lines[i];
	if (hg_is(name, nlen, "tabs") || hg_is(name, nlen, "tabpane"))
		return hg_tabs(h, i, close, out, nest);
	if (hg_is(name, nlen, "steps"))
		return hg_steps(h, i, close, out, nest);
	if (hg_is(name, nlen, "mermaid") || hg_is(name, nlen, "highlight")) {
		const char *lang = hg_is(name, nlen, "mermaid") ? "mermaid" : hg_word(cx, name + nlen, l->s + l->n);
		hg_code(h, i, close, lang, out);
		if (hg_is(name, nlen, "mermaid"))
			import_note(cx, h->p->file, l->no, "shortcode 'mermaid'; the diagram kept as a code block");
		return PHARE_OK;
	}
	buf inner;
	phare_status s = hg_inner(h, i + 1, close, &inner, nest);
	hg_blank_before(out);
	if (hg_is_notice(name, nlen)) {
		/* the kind: a bare word, or type= / color= (Docsy); the title: title=, or quoted */
		char *w = hg_word(cx, name + nlen, l->s + l->n), *title = hg_arg(cx, l->s, l->n, "title");
		if (!*w || strchr(w, '='))
			w = hg_arg(cx, l->s, l->n, "type");
		if (!w)
			w = hg_arg(cx, l->s, l->n, "color");
		if (!title && !memchr(l->s, '=', l->n))
			title = hg_arg(cx, name + nlen, (size_t)(l->s + l->n - name - nlen), NULL);
		buf_addf(out, "> [!%s]%s%s\n", hg_notice_kind(w), title ? " " : "", title ? title : "");
	} else { /* expand, details: folded */
		char *title = hg_arg(cx, l->s, l->n, "title");
		if (!title)
			title = hg_arg(cx, l->s, l->n, "summary");
		if (!title)
			title = hg_arg(cx, name + nlen, (size_t)(l->s + l->n - name - nlen), NULL);
		/* open=true, or a bare "open" after the title (Hugo Book): shown open */
		char *open = hg_arg(cx, l->s, l->n, "open");
		bool shown = (open && strcmp(open, "true") == 0) || memmem(l->s, l->n, " open=true", 10) ||
			     memmem(l->s, l->n, "\" open ", 7);
		buf_addf(out, "> [!NOTE]%c %s\n", shown ? '+' : '-', title && *title ? title : "Details");
	}
	import_quote(out, "> ", inner.len ? inner.ptr : " ", inner.len ? inner.len : 1);
	buf_addc(out, '\n');
	buf_release(&inner);
	import_count(cx, IMPORT_NOTICE);
	return s;
}

/* A heading's goldmark attributes ("### Title {anchor=false}", "{.class}")
 * into out: an {#id} kept, anything else dropped and listed (phare would
 * show it as text).  False if the line is not such a heading. */
static bool hg_heading_attrs(hg_page *h, const hg_line *l, buf *out)
{
	const char *t = l->s, *end = l->s + l->n;
	while (t < end && *t == ' ')
		t++;
	if (end - t > 2 && (*t == '-' || *t == '*' || *t == '+') && t[1] == ' ') /* "- ### In a list" */
		t += 2;
	while (end > t && end[-1] == ' ')
		end--;
	size_t lvl = 0;
	while (t + lvl < end && t[lvl] == '#')
		lvl++;
	if (!lvl || lvl > 6 || t + lvl >= end || t[lvl] != ' ' || end[-1] != '}')
		return false;
	const char *b = memrchr(t, '{', (size_t)(end - t));
	if (!b || b <= t + lvl || b[-1] != ' ' || (b[1] == '#' && !memchr(b, ' ', (size_t)(end - b))))
		return false; /* none, or a lone {#id}, which phare reads */
	const char *e = b;
	while (e > t && e[-1] == ' ')
		e--;
	buf_add(out, l->s, (size_t)(e - l->s));
	import_note(h->cx, h->p->file, l->no, "heading attributes '%.*s'; dropped", (int)(end - b), b);
	return true;
}

/* A page's URL on the old site ("content/docs/setup/", the trailing slash
 * optional) as the source path of the page served there, or NULL. */
static const char *hg_abs_page(import_ctx *cx, const char *path)
{
	size_t n = strlen(path);
	while (n && path[n - 1] == '/')
		n--;
	char *trimmed = arena_strndup(&cx->a, path, n);
	return n && import_find_page(cx, trimmed) ? trimmed : NULL;
}

/* "](/abs/path)": a site path of the old site made a source path: a file
 * under contentDir (without a language prefix), the page served at that
 * URL, else a file under static/. */
static void hg_abs_links(hg_page *h, const hg_line *l, buf *out)
{
	import_ctx *cx = h->cx;
	const char *content = import_dirname(cx, h->p->src);
	while (strchr(content, '/'))
		content = import_dirname(cx, content);
	const char *s = l->s, *end = s + l->n;
	while (s < end) {
		const char *m = memmem(s, (size_t)(end - s), "](/", 3);
		if (!m) {
			buf_add(out, s, (size_t)(end - s));
			return;
		}
		buf_add(out, s, (size_t)(m - s) + 2);
		const char *d = m + 2, *e = d;
		while (e < end && *e != ')' && *e != ' ' && *e != '?' && *e != '#')
			e++;
		char *path = arena_strndup(&cx->a, d + 1, (size_t)(e - d - 1));
		const char *slash = strchr(path, '/');
		const char *nolang = slash && slash - path <= 5 ? slash + 1 : path;
		char *c1 = arena_printf(&cx->a, "%s/%s", content, path),
		     *c2 = arena_printf(&cx->a, "%s/%s", content, nolang);
		char *st = arena_printf(&cx->a, "static/%s", path);
		const char *pick = hg_exists(cx, c1)     ? c1
				   : hg_exists(cx, c2)   ? c2
				   : hg_abs_page(cx, c1) ? hg_abs_page(cx, c1)
				   : hg_abs_page(cx, c2) ? hg_abs_page(cx, c2)
				   : hg_exists(cx, st)   ? st
							 : NULL;
		if (pick)
			buf_addf(out, "/%s", pick);
		else
			buf_add(out, d, (size_t)(e - d));
		s = e;
	}
}

/* A fence's opening line into out: Hugo's code block attributes
 * {filename="x"} (or filename=x) become phare's title="x"; other
 * attributes in the braces (linenos, hl_lines) are dropped, and said. */
static void hg_fence_open(hg_page *h, const hg_line *l, buf *out)
{
	const char *b = memchr(l->s, '{', l->n), *end = l->s + l->n;
	const char *c = b ? memchr(b, '}', (size_t)(end - b)) : NULL;
	const char *f = c ? memmem(b, (size_t)(c - b), "filename=", 9) : NULL;
	if (!f) {
		buf_add(out, l->s, l->n);
		return;
	}
	const char *v = f + 9, *ve;
	char q = *v == '"' || *v == '\'' ? *v++ : 0;
	for (ve = v; ve < c && (q ? *ve != q : *ve != ' ' && *ve != ','); ve++)
		;
	const char *t = b;
	while (t > l->s && t[-1] == ' ')
		t--;
	buf_add(out, l->s, (size_t)(t - l->s));
	buf_addf(out, " title=\"%.*s\"", (int)(ve - v), v);
	buf_add(out, c + 1, (size_t)(end - c - 1));
	import_count(h->cx, IMPORT_CODE_TITLE);
	bool others = memchr(b, '=', (size_t)(f - b)) || memchr(ve + (q != 0), '=', (size_t)(c - ve - (q != 0)));
	if (others)
		import_note(h->cx, h->p->file, l->no,
			    "code block attributes '%.*s'; the file name kept as its title, "
			    "the rest dropped",
			    (int)(c - b + 1), b);
}

static phare_status hg_blocks(hg_page *h, size_t from, size_t to, buf *out, int nest)
{
	phare_status s = PHARE_OK;
	buf line = BUF_INIT;
	for (size_t i = from; i < to && !s;) {
		const hg_line *l = &h->lines[i];
		const char *name;
		size_t nlen, k;
		bool closing;
		if (hg_fence_line(l)) {
			size_t next = hg_skip_fence(h, i, to);
			hg_fence_open(h, l, out);
			buf_addc(out, '\n');
			for (i++; i < next; i++) {
				buf_add(out, h->lines[i].s, h->lines[i].n);
				buf_addc(out, '\n');
			}
			continue;
		}
		if (hg_line_token(l, &name, &nlen, &closing, &k)) {
			size_t close = closing || nest >= IMPORT_MAX_NEST ? to : hg_close(h, i, to, name, nlen);
			if (close >= to) {
				buf_addf(out, "`%.*s`\n", (int)l->n, l->s);
				import_note(h->cx, h->p->file, l->no,
					    "shortcode '%.*s' not closed as expected; kept as code", (int)nlen, name);
				i++;
				continue;
			}
			s = hg_block(h, i, close, name, nlen, out, nest);
			i = close + 1;
			continue;
		}
		buf_reset(&line);
		buf plain = BUF_INIT;
		hg_line bare = *l;
		if (hg_heading_attrs(h, l, &plain))
			bare = (hg_line){ plain.ptr, plain.len, l->no };
		hg_abs_links(h, &bare, &line);
		buf_release(&plain);
		import_line_links(h->cx, h->p, l->no, line.ptr, line.len, out);
		buf_addc(out, '\n');
		i++;
	}
	buf_release(&line);
	return s;
}

/* The body's first line when it is "# <the page's title>" (Hugo Book's
 * pages open so; phare shows the title as the heading already): skipped,
 * with its line counted.  A different heading stays. */
static const char *hg_skip_title(const import_page *p, const char *text, size_t *len, int *first)
{
	const char *t = text, *end = text + *len;
	int line = *first;
	while (t < end && (*t == '\n' || *t == '\r')) {
		line += *t == '\n';
		t++;
	}
	const char *nl = memchr(t, '\n', (size_t)(end - t)), *e = nl ? nl : end;
	const char *b = end - t > 2 && t[0] == '#' && t[1] == ' ' ? memchr(t, '{', (size_t)(e - t)) : NULL;
	const char *h = b ? b : e;
	while (h > t + 2 && (h[-1] == ' ' || h[-1] == '\r' || h[-1] == '#'))
		h--;
	const char *title = p->title ? p->title : "";
	size_t n = strlen(title);
	if (end - t < 3 || t[0] != '#' || t[1] != ' ' || (size_t)(h - t - 2) != n || strncmp(t + 2, title, n) != 0)
		return text;
	*first = line + 1;
	*len = (size_t)(end - (nl ? nl + 1 : end));
	return nl ? nl + 1 : end;
}

phare_status hg_convert(import_ctx *cx, import_page *p)
{
	hg_page h = { cx, p, NULL, 0 };
	size_t len = p->text_len;
	int first = p->body_line ? p->body_line : 1;
	const char *text = hg_skip_title(p, p->text, &len, &first);
	hg_prepare(&h, text, len, first);
	return hg_blocks(&h, 0, h.n, &p->body, 0);
}

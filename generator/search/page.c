/* page.c: rendered HTML -> plain text segments and excerpts for the index.
 *
 * Not a full HTML parser: the input is phare's own rendered Markdown and
 * templates, so tags, comments, quoted attributes, character references
 * and raw-text elements are all it has to know.  Invariant while parsing:
 * the text buffer never ends with two spaces and never starts with one;
 * every segment covers text that belongs to one heading section. */
#include "search/page.h"
#include "search/text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "util/utf8.h"
#include "util/xalloc.h"

#define TAG_MAX 16

typedef struct parser {
	search_page *p;
	bool space;          /* a separator is due before the next character */
	bool in_heading;
	char heading_tag[TAG_MAX];
	char *heading_id;
	unsigned sect;       /* current heading section */
	size_t seg_start;    /* offset of the open segment */
	char skip_name[TAG_MAX]; /* element whose content is skipped */
	int skip_depth;
} parser;

/* What the parser needs to know of an element, by name. */
enum { TAG_INLINE = 1, TAG_SKIPPED = 2, TAG_VOID = 4 };
static const struct tag_row { const char *name; int kind; } tag_rows[] = { /* sorted by name */
	{ "a", TAG_INLINE }, { "abbr", TAG_INLINE }, { "area", TAG_VOID }, { "b", TAG_INLINE },
	{ "base", TAG_VOID }, { "bdi", TAG_INLINE }, { "bdo", TAG_INLINE }, { "br", TAG_VOID },
	{ "cite", TAG_INLINE }, { "code", TAG_INLINE }, { "col", TAG_VOID }, { "data", TAG_INLINE },
	{ "del", TAG_INLINE }, { "dfn", TAG_INLINE }, { "em", TAG_INLINE }, { "embed", TAG_VOID },
	{ "hr", TAG_VOID }, { "i", TAG_INLINE }, { "img", TAG_VOID }, { "input", TAG_VOID },
	{ "ins", TAG_INLINE }, { "kbd", TAG_INLINE }, { "link", TAG_VOID }, { "mark", TAG_INLINE },
	{ "meta", TAG_VOID }, { "noscript", TAG_SKIPPED }, { "q", TAG_INLINE }, { "s", TAG_INLINE },
	{ "samp", TAG_INLINE }, { "script", TAG_SKIPPED }, { "small", TAG_INLINE },
	{ "source", TAG_VOID }, { "span", TAG_INLINE }, { "strong", TAG_INLINE },
	{ "style", TAG_SKIPPED }, { "sub", TAG_INLINE }, { "sup", TAG_INLINE },
	{ "svg", TAG_SKIPPED }, { "template", TAG_SKIPPED }, { "time", TAG_INLINE },
	{ "track", TAG_VOID }, { "u", TAG_INLINE }, { "var", TAG_INLINE }, { "wbr", TAG_VOID },
};

static int cmp_tag(const void *key, const void *row)
{
	return strcmp(key, ((const struct tag_row *)row)->name);
}

/* TAG_* flags of an element name (lowercase); 0 for a block element. */
static int tag_kind(const char *name)
{
	const struct tag_row *r = bsearch(name, tag_rows, sizeof tag_rows / sizeof tag_rows[0],
					  sizeof tag_rows[0], cmp_tag);
	return r ? r->kind : 0;
}

static void close_segment(parser *ps)
{
	search_page *p = ps->p;
	size_t end = p->text.len;
	if (end > ps->seg_start && p->text.ptr[end - 1] == ' ')
		end--;
	if (end > ps->seg_start) {
		p->segs = xgrow(p->segs, &p->cap_segs, p->n_segs + 1, sizeof *p->segs);
		p->segs[p->n_segs++] = (search_segment){ ps->seg_start, end - ps->seg_start,
							 ps->sect, ps->in_heading };
	}
	/* The next segment starts after a separator, so words never join across. */
	ps->space = true;
	ps->seg_start = p->text.len;
}

/* Bytes of the character at s (at most n): a lead byte and the continuation
 * bytes after it, up to 4; a stray continuation byte alone. */
static size_t char_len(const unsigned char *u, size_t n)
{
	size_t k = 1;
	if (u[0] >= 0xC0)
		while (k < 4 && k < n && (u[k] & 0xC0) == 0x80)
			k++;
	return k;
}

/* Whether the character u[0..k) is a space: ASCII white space (as isspace
 * in the C locale), no-break and typographic spaces. */
static bool char_is_space(const unsigned char *u, size_t k)
{
	if (k == 1)
		return u[0] == ' ' || (u[0] >= '\t' && u[0] <= '\r');
	return (k == 2 && u[0] == 0xC2 && u[1] == 0xA0) ||
	       (k == 3 && u[0] == 0xE2 && u[1] == 0x80 && (u[2] <= 0x8B || u[2] == 0xAF)) ||
	       (k == 3 && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80);
}

#if defined(__SSE2__)
/* Whether the 16 bytes at u come out of add_text as they are: no byte is a
 * space or may start one other than lone ASCII spaces (not the last byte,
 * nor two in a row), and a leading space is one the text may take (lead).
 * Most blocks of prose are, and are then copied at once. */
static bool add_text_block_as_is(const unsigned char *u, bool lead)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)u);
	/* bytes below '!' (controls, white space), and the lead bytes of the
	 * Unicode spaces char_is_space knows (U+00A0, U+2000..U+200B, U+202F, U+3000) */
	__m128i low = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x21)), v); /* v >= '!' */
	__m128i lead_bytes = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xC2)),
					  _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE2)),
						       _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE3))));
	unsigned special = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_xor_si128(low, _mm_set1_epi8(-1)), lead_bytes));
	unsigned spaces = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
	return special == spaces && !(spaces & 0x8000u) && !(spaces & (spaces >> 1)) && (lead || !(spaces & 1u));
}
#endif

/* Appends text s[0..n) (no markup in it), white space collapsed into the
 * separator flag.  Written straight into the buffer, grown once: this loop
 * sees every byte of every page.  Blocks of 16 bytes that the collapsing
 * leaves as they are are copied whole (add_text_block_as_is); the rest goes
 * byte by byte. */
static void add_text(parser *ps, const char *s, size_t n)
{
	if (ps->skip_depth > 0)
		return;
	buf *t = &ps->p->text;
	buf_grow(t, n + 1); /* at most the text and one separator */
	char *w = t->ptr + t->len;
	const unsigned char *u = (const unsigned char *)s;
	bool space = ps->space;
	for (size_t i = 0; i < n;) {
#if defined(__SSE2__)
		/* a space leading the block is the separator the byte loop would
		 * write: after a character, and not at the start of a segment */
		if (!space && n - i >= 16 &&
		    add_text_block_as_is(u + i, w > t->ptr && w[-1] != ' ' && (size_t)(w - t->ptr) != ps->seg_start)) {
			memcpy(w, s + i, 16);
			w += 16;
			i += 16;
			continue;
		}
#endif
		size_t k = 1;
		if (u[i] < 0x80) {
			if (u[i] == ' ' || (u[i] >= '\t' && u[i] <= '\r')) {
				space = true;
				i++;
				continue;
			}
		} else {
			k = char_len(u + i, n - i);
			if (char_is_space(u + i, k)) {
				space = true;
				i += k;
				continue;
			}
		}
		if (space) {
			size_t at = (size_t)(w - t->ptr);
			if (at > 0 && w[-1] != ' ') {
				*w++ = ' ';
				if (ps->seg_start == at) /* a segment never starts with the separator */
					ps->seg_start = at + 1;
			}
			space = false;
		}
		for (size_t j = 0; j < k; j++)
			*w++ = s[i + j];
		i += k;
		while (i < n && (unsigned char)(u[i] - 0x21) < 0x5F) /* printable ASCII: most bytes */
			*w++ = s[i++];
	}
	t->len = (size_t)(w - t->ptr);
	t->ptr[t->len] = '\0';
	ps->space = space;
}

/* Appends one character (n bytes). */
static void add_char(parser *ps, const char *c, size_t n)
{
	add_text(ps, c, n);
}

static void add_cp(parser *ps, unsigned long cp)
{
	char b[4];
	size_t n;
	if (cp == 0)
		cp = ' ';
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	n = utf8_encode((long)cp, b);
	add_char(ps, b, n);
}

static const struct entity { const char *name; unsigned long cp; } entities[] = {
	{ "amp", '&' }, { "apos", '\'' }, { "bull", 0x2022 }, { "copy", 0xA9 }, { "deg", 0xB0 },
	{ "euro", 0x20AC }, { "gt", '>' }, { "hellip", 0x2026 }, { "laquo", 0xAB },
	{ "ldquo", 0x201C }, { "lsquo", 0x2018 }, { "lt", '<' }, { "mdash", 0x2014 },
	{ "middot", 0xB7 }, { "nbsp", 0xA0 }, { "ndash", 0x2013 }, { "quot", '"' },
	{ "raquo", 0xBB }, { "rdquo", 0x201D }, { "reg", 0xAE }, { "rsquo", 0x2019 },
	{ "times", 0xD7 }, { "trade", 0x2122 },
};

/* s points at '&'; returns the bytes consumed, 0 if not a reference we know. */
static size_t entity(const char *s, unsigned long *cp)
{
	const char *semi = NULL;
	for (size_t i = 1; i < 12 && s[i]; i++)
		if (s[i] == ';') {
			semi = s + i;
			break;
		}
	if (!semi)
		return 0;
	size_t n = (size_t)(semi - s) - 1;
	if (n >= 2 && s[1] == '#') {
		char *end;
		bool hex = s[2] == 'x' || s[2] == 'X';
		*cp = strtoul(s + (hex ? 3 : 2), &end, hex ? 16 : 10);
		return end == semi && end > s + (hex ? 3 : 2) ? n + 2 : 0;
	}
	for (size_t i = 0; i < sizeof entities / sizeof entities[0]; i++)
		if (strlen(entities[i].name) == n && memcmp(entities[i].name, s + 1, n) == 0) {
			*cp = entities[i].cp;
			return n + 2;
		}
	return 0;
}

/* Reads an attribute value at s (after '='); returns its end. */
static const char *attr_value(const char *s, const char **v, size_t *vn)
{
	if (*s == '"' || *s == '\'') {
		char q = *s++;
		const char *e = strchr(s, q);
		if (!e)
			e = s + strlen(s);
		*v = s;
		*vn = (size_t)(e - s);
		return *e ? e + 1 : e;
	}
	const char *e = s;
	while (*e && !isspace((unsigned char)*e) && *e != '>')
		e++;
	*v = s;
	*vn = (size_t)(e - s);
	return e;
}

/* Parses a tag at s ('<' then a letter or '/'); fills name (lowercase), id,
 * the ignore flag; returns the position after '>'. */
static const char *read_tag(const char *s, char *name, bool *closing, char **id, bool *ignore,
			    bool *self_closing)
{
	size_t n = 0;
	s++;
	*closing = *s == '/';
	if (*closing)
		s++;
	while (isalnum((unsigned char)*s)) {
		if (n + 1 < TAG_MAX)
			name[n++] = (char)tolower((unsigned char)*s);
		s++;
	}
	name[n] = '\0';
	*id = NULL;
	*ignore = *self_closing = false;
	while (*s && *s != '>') {
		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		if (*s == '/') {
			*self_closing = s[1] == '>';
			s++;
			continue;
		}
		const char *a = s;
		while (*s && !isspace((unsigned char)*s) && *s != '=' && *s != '>' && *s != '/')
			s++;
		size_t an = (size_t)(s - a);
		const char *v = NULL;
		size_t vn = 0;
		if (*s == '=')
			s = attr_value(s + 1, &v, &vn);
		if (an == 2 && strncasecmp(a, "id", 2) == 0 && v && !*id)
			*id = xstrndup(v, vn);
		else if ((an == 18 && strncasecmp(a, "data-search-ignore", 18) == 0) ||
			 /* cmark-gfm's footnote numbers and back-links: no words */
			 (an == 17 && strncasecmp(a, "data-footnote-ref", 17) == 0) ||
			 (an == 21 && strncasecmp(a, "data-footnote-backref", 21) == 0))
			*ignore = true;
		if (s == a)
			s++;
	}
	return *s ? s + 1 : s;
}

static bool is_heading(const char *name)
{
	return name[0] == 'h' && name[1] >= '1' && name[1] <= '3' && name[2] == '\0';
}

static void open_heading(parser *ps, const char *name, char *id)
{
	close_segment(ps);
	ps->in_heading = true;
	strcpy(ps->heading_tag, name);
	free(ps->heading_id);
	ps->heading_id = id ? id : xstrdup("");
	if (ps->p->n_heads < SEARCH_MAX_HEADINGS)
		ps->sect = (unsigned)ps->p->n_heads + 1;
}

static void close_heading(parser *ps)
{
	search_page *p = ps->p;
	size_t from = ps->seg_start;
	close_segment(ps);
	ps->in_heading = false;
	if (p->n_heads >= SEARCH_MAX_HEADINGS) {
		free(ps->heading_id);
		ps->heading_id = NULL;
		return;
	}
	size_t to = p->text.len;
	while (to > from && p->text.ptr[to - 1] == ' ')
		to--;
	p->heads = xgrow(p->heads, &p->cap_heads, p->n_heads + 1, sizeof *p->heads);
	p->heads[p->n_heads++] = (search_heading){ ps->heading_id, xstrndup(p->text.ptr + from, to - from),
						   NULL };
	ps->heading_id = NULL;
}

/* Skips a raw-text element's content (script, style): s is after its start tag. */
static const char *skip_raw(const char *s, const char *name)
{
	size_t n = strlen(name);
	for (; *s; s++)
		if (s[0] == '<' && s[1] == '/' && strncasecmp(s + 2, name, n) == 0) {
			const char *e = strchr(s, '>');
			return e ? e + 1 : s + strlen(s);
		}
	return s;
}

static const char *on_tag(parser *ps, const char *s)
{
	char name[TAG_MAX];
	char *id;
	bool closing, ignore, self_closing;
	const char *next = read_tag(s, name, &closing, &id, &ignore, &self_closing);
	if (ps->skip_depth > 0) {
		if (strcmp(name, ps->skip_name) == 0 && !self_closing)
			ps->skip_depth += closing ? -1 : 1;
		free(id);
		return next;
	}
	if (!closing && (strcmp(name, "script") == 0 || strcmp(name, "style") == 0)) {
		free(id);
		return skip_raw(next, name);
	}
	int kind = tag_kind(name);
	if (!closing && !self_closing && !(kind & TAG_VOID) && (ignore || (kind & TAG_SKIPPED))) {
		strcpy(ps->skip_name, name);
		ps->skip_depth = 1;
		free(id);
		return next;
	}
	if (!(kind & TAG_INLINE))
		ps->space = true;
	if (is_heading(name)) {
		if (!closing && !ps->in_heading) {
			open_heading(ps, name, id);
			return next;
		}
		if (closing && ps->in_heading && strcmp(name, ps->heading_tag) == 0)
			close_heading(ps);
	}
	free(id);
	return next;
}

static void make_excerpts(search_page *p)
{
	buf b = BUF_INIT;
	size_t intro_end = p->text.len;
	for (size_t i = 0; i < p->n_segs; i++)
		if (p->segs[i].sect > 0 || p->segs[i].heading) {
			intro_end = p->segs[i].off;
			break;
		}
	while (intro_end > 0 && p->text.ptr[intro_end - 1] == ' ')
		intro_end--;
	search_page_cut(p->text.ptr, intro_end, SEARCH_INTRO_CHARS, &b);
	p->intro = buf_detach(&b, NULL);
	for (size_t h = 0; h < p->n_heads; h++) {
		/* The section's text runs from its heading's end to the next heading. */
		size_t from = 0, to = 0;
		bool seen = false;
		for (size_t i = 0; i < p->n_segs; i++) {
			const search_segment *g = &p->segs[i];
			if (g->sect != h + 1)
				continue;
			if (g->heading) {
				if (seen)
					break;
				continue;
			}
			if (!seen)
				from = g->off;
			seen = true;
			to = g->off + g->len;
		}
		search_page_cut(p->text.ptr + from, to - from, SEARCH_SECTION_CHARS, &b);
		p->heads[h].start = buf_detach(&b, NULL);
	}
	buf_release(&b);
}

/* s at "<!" or "<?": returns the position after the comment or declaration.
 * (Searched forward only: measuring the rest of the page first made each
 * comment cost the whole page.) */
static const char *skip_markup(const char *s)
{
	const char *e;
	if (strncmp(s, "<!--", 4) == 0) {
		e = strstr(s + 4, "-->");
		return e ? e + 3 : s + strlen(s);
	}
	e = strchr(s, '>');
	return e ? e + 1 : s + strlen(s);
}

struct search_page_builder {
	parser ps;
};

search_page_builder *search_page_begin(search_page *p)
{
	search_page_builder *b = xcalloc(1, sizeof *b);
	b->ps.p = p;
	return b;
}

void search_page_html(search_page_builder *b, const char *html)
{
	parser *ps = &b->ps;
	const char *s = html ? html : "";
	while (*s) {
		/* The text up to the next markup: strchr and memchr scan a word at a time. */
		const char *lt = strchr(s, '<');
		size_t text = lt ? (size_t)(lt - s) : strlen(s);
		const char *amp = memchr(s, '&', text);
		if (amp)
			text = (size_t)(amp - s);
		if (text) {
			add_text(ps, s, text);
			s += text;
			continue;
		}
		if (s[0] == '<' && (s[1] == '!' || s[1] == '?')) {
			/* A comment, doctype or processing instruction: no text. */
			s = skip_markup(s);
			continue;
		}
		if (s[0] == '<' && (isalpha((unsigned char)s[1]) || s[1] == '/')) {
			s = on_tag(ps, s);
			continue;
		}
		if (s[0] == '&') {
			unsigned long cp;
			size_t n = entity(s, &cp);
			if (n) {
				add_cp(ps, cp);
				s += n;
				continue;
			}
		}
		add_char(ps, s, 1); /* a '<' or '&' that starts no markup */
		s++;
	}
}

void search_page_text(search_page_builder *b, const char *s, size_t n)
{
	add_text(&b->ps, s, n);
}

/* As a block element's tag would: not inside a skipped element. */
void search_page_break(search_page_builder *b)
{
	if (b->ps.skip_depth == 0)
		b->ps.space = true;
}

void search_page_heading(search_page_builder *b, const char *id, bool open)
{
	parser *ps = &b->ps;
	if (ps->skip_depth > 0)
		return;
	ps->space = true;
	if (open && !ps->in_heading)
		open_heading(ps, "h", xstrdup(id ? id : ""));
	else if (!open && ps->in_heading)
		close_heading(ps);
}

void search_page_end(search_page_builder *b)
{
	parser *ps = &b->ps;
	if (ps->in_heading)
		close_heading(ps);
	close_segment(ps);
	free(ps->heading_id);
	make_excerpts(ps->p);
	free(b);
}

void search_page_parse(search_page *p, const char *html)
{
	search_page_builder *b = search_page_begin(p);
	search_page_html(b, html);
	search_page_end(b);
}

void search_page_release(search_page *p)
{
	buf_release(&p->text);
	free(p->segs);
	for (size_t i = 0; i < p->n_heads; i++) {
		free(p->heads[i].id);
		free(p->heads[i].text);
		free(p->heads[i].start);
	}
	free(p->heads);
	free(p->intro);
	*p = (search_page)SEARCH_PAGE_INIT;
}

void search_page_cut(const char *s, size_t n, size_t max_chars, buf *out)
{
	size_t i = 0, chars = 0, last_space = 0;
	while (i < n && chars < max_chars) {
		if (s[i] == ' ')
			last_space = i;
		i++;
		while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		chars++;
	}
	if (i >= n) {
		buf_add(out, s, n);
		return;
	}
	size_t end = s[i] == ' ' ? i : last_space > 0 ? last_space : i;
	while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == ',' || s[end - 1] == ';' || s[end - 1] == ':'))
		end--;
	buf_add(out, s, end);
	buf_adds(out, "\xe2\x80\xa6");
}

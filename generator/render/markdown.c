/* markdown.c: cmark with heading ids, link rewriting and block hooks.
 *
 * Heading ids: cmark cannot put attributes on elements, so each heading gets
 * a custom inline child whose literal output is a marker ("\1\1"); after
 * rendering, "<hN>\1\1" — which no escaped text can produce, since '<' in
 * text comes out as "&lt;" — is replaced by "<hN id=\"…\">", in document
 * order.  Block hooks become custom blocks, whose HTML cmark writes as is
 * even in safe mode.
 *
 * Memory: a render makes thousands of small allocations (nodes, buffers)
 * that all die together; cmark takes an allocator (cmark_mem), so they come
 * from a pool of 64 KiB chunks freed at once when the render ends, and the
 * tree is never freed node by node (util/pool.h: the pool is the calling
 * thread's).  Under AddressSanitizer the pool is off: each allocation stays
 * its own, for ASan to check. */
#include "render/markdown.h"

#include <cmark.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/callout.h"
#include "render/highlight.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/fold.h"
#include "util/map.h"
#include "util/pool.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define MD_MARK "\1\1"

static cmark_mem md_pool_mem = { pool_calloc, pool_realloc, pool_free };

static cmark_mem *md_mem(void)
{
	return POOL_ENABLED ? &md_pool_mem : cmark_get_default_mem_allocator();
}

/* Ids are folded like search words (util/fold.h: lowercase, no accents,
 * Latin, Greek and Cyrillic alike), so "## Ångström" is #angstrom.  Other
 * non-ASCII characters are kept as they are (ids may hold any non-space);
 * ASCII other than letters, digits and '_' and invalid UTF-8 (cmark lets it
 * through) collapse into one '-'. */
void markdown_slug(const char *text, buf *out)
{
	size_t start = out->len, n = strlen(text);
	bool dash = false;
	for (size_t i = 0; i < n;) {
		size_t at = i;
		long cp = utf8_next(text, n, &i);
		const char *f = NULL;
		if (cp >= 0 && fold_is_mark(cp))
			continue; /* a combining accent: "e\u0301" is "e" */
		if (cp < 0x80 && !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
				   (cp >= '0' && cp <= '9') || cp == '_')) {
			dash = true; /* spaces, punctuation, invalid bytes */
			continue;
		}
		if (dash && out->len > start)
			buf_addc(out, '-');
		dash = false;
		if (cp >= 'A' && cp <= 'Z')
			buf_addc(out, (char)(cp + 'a' - 'A'));
		else if ((f = fold_cp(cp)))
			buf_adds(out, f);
		else
			buf_add(out, text + at, i - at);
	}
	if (out->len == start)
		buf_adds(out, "section");
}

static void md_plain_text(cmark_node *node, buf *out)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node_type t = cmark_node_get_type(n);
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
			buf_adds(out, cmark_node_get_literal(n));
		else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			buf_addc(out, ' ');
	}
	cmark_iter_free(it);
}

/* The ids given so far, and per base slug the next suffix to try: a
 * document of 60,000 headings with the same text must not rescan every id
 * for every heading (that was cubic: over a minute for 3,000 headings). */
typedef struct md_ids {
	map taken; /* id (the heading's own string) -> non-NULL */
	map next;  /* base slug (in mem) -> next suffix, as an integer */
	arena mem;
} md_ids;

static void md_add_heading(md_doc *doc, md_ids *ids, cmark_node *h)
{
	buf text = BUF_INIT, id = BUF_INIT;
	md_plain_text(h, &text);
	markdown_slug(text.ptr, &id);
	if (map_get(&ids->taken, id.ptr)) {
		/* "x", then "x-2", "x-3"…, the first one free: suffixes below the
		 * remembered one were all taken, and ids are never given back. */
		char *base = arena_strdup(&ids->mem, id.ptr);
		size_t base_len = id.len;
		uintptr_t k = (uintptr_t)map_get(&ids->next, base);
		if (k < 2)
			k = 2;
		do {
			buf_truncate(&id, base_len);
			buf_addf(&id, "-%lu", (unsigned long)k++);
		} while (map_get(&ids->taken, id.ptr));
		map_put(&ids->next, base, (void *)k);
	}
	doc->headings = xgrow(doc->headings, &doc->cap_headings, doc->n_headings + 1, sizeof(md_heading));
	doc->headings[doc->n_headings++] = (md_heading){
		cmark_node_get_heading_level(h), buf_detach(&id, NULL), buf_detach(&text, NULL)
	};
	map_put(&ids->taken, doc->headings[doc->n_headings - 1].id, doc);
	cmark_node *mark = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_INLINE, md_mem());
	cmark_node_set_on_enter(mark, MD_MARK);
	cmark_node_prepend_child(h, mark);
}

static phare_status md_link(const md_env *env, cmark_node *n, bool image)
{
	const char *url = cmark_node_get_url(n);
	buf out = BUF_INIT;
	int line = env->first_line - 1 + cmark_node_get_start_line(n);
	phare_status s = env->link(env->ctx, url ? url : "", image, line, cmark_node_get_start_column(n), &out);
	if (!s)
		cmark_node_set_url(n, out.ptr);
	buf_release(&out);
	return s;
}

static bool md_is_hook(const char *info)
{
	return info && (strncmp(info, "table ", 6) == 0 || strncmp(info, "questionnaire ", 14) == 0 ||
			strcmp(info, "table") == 0 || strcmp(info, "questionnaire") == 0);
}

/* Replaces a hook code block by a custom block holding the hook's HTML. */
static phare_status md_block(const md_env *env, cmark_node *n)
{
	buf out = BUF_INIT;
	int line = env->first_line - 1 + cmark_node_get_start_line(n);
	phare_status s = env->block ? env->block(env->ctx, cmark_node_get_fence_info(n), line, &out)
				    : PHARE_OK;
	if (!s) {
		cmark_node *c = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, md_mem());
		cmark_node_set_on_enter(c, out.ptr);
		cmark_node_replace(n, c);
		cmark_node_free(n);
	}
	buf_release(&out);
	return s;
}

/* Any other code block: highlighted (render/highlight.h) into a custom
 * block whose user data is the code block, unlinked, so that md_text
 * indexes the code as before; md_free_code frees those blocks when the
 * tree is not in the pool.  An unknown language is a warning at its fence. */
static void md_code(const md_env *env, cmark_node *n)
{
	buf out = BUF_INIT;
	const char *info = cmark_node_get_fence_info(n), *code = cmark_node_get_literal(n);
	if (!hl_block(info, code ? code : "", code ? strlen(code) : 0, &out)) {
		hl_info in = hl_parse_info(info);
		diag_warning(env->path, env->first_line - 1 + cmark_node_get_start_line(n),
			     cmark_node_get_start_column(n),
			     "unknown code language '%.*s', shown as plain text; the known languages are %s "
			     "(or text for none)", (int)in.lang_len, in.lang, hl_known());
	}
	cmark_node *c = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, md_mem());
	cmark_node_set_on_enter(c, out.ptr);
	cmark_node_replace(n, c);
	cmark_node_set_user_data(c, n);
	buf_release(&out);
}

static void md_free_code(cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_CUSTOM_BLOCK &&
		    cmark_node_get_user_data(n))
			cmark_node_free(cmark_node_get_user_data(n));
	}
	cmark_iter_free(it);
}

/* Walks the tree: headings, links, images; collects hook blocks (replaced
 * after the walk, since replacing under the iterator is unsafe). */
static phare_status md_walk(const md_env *env, cmark_node *root, md_doc *doc)
{
	phare_status first = PHARE_OK, s;
	cmark_node **hooks = NULL;
	size_t n_hooks = 0, cap_hooks = 0;
	md_ids ids = { MAP_INIT, MAP_INIT, ARENA_INIT };
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *n = cmark_iter_get_node(it);
		s = PHARE_OK;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_HEADING:
			md_add_heading(doc, &ids, n);
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			if (env->link)
				s = md_link(env, n, cmark_node_get_type(n) == CMARK_NODE_IMAGE);
			break;
		case CMARK_NODE_CODE_BLOCK:
			/* hooks, and code to highlight (md_code) */
			hooks = xgrow(hooks, &cap_hooks, n_hooks + 1, sizeof(cmark_node *));
			hooks[n_hooks++] = n;
			break;
		default:
			break;
		}
		if (s && !first)
			first = s;
	}
	cmark_iter_free(it);
	map_release(&ids.taken);
	map_release(&ids.next);
	arena_release(&ids.mem);
	for (size_t i = 0; i < n_hooks; i++) {
		if (!md_is_hook(cmark_node_get_fence_info(hooks[i]))) {
			md_code(env, hooks[i]);
			doc->has_code = true;
		}
		else if ((s = md_block(env, hooks[i])) && !first)
			first = s;
	}
	free(hooks);
	return first;
}

/* "<hN>\1\1" -> "<hN id=\"…\">", headings in document order. */
static void md_place_ids(const char *html, md_doc *doc)
{
	size_t next = 0;
	const char *p = html, *m;
	while ((m = strstr(p, MD_MARK)) != NULL) {
		bool heading = m - html >= 4 && m[-4] == '<' && m[-3] == 'h' && m[-2] >= '1' && m[-2] <= '6' &&
			       m[-1] == '>';
		if (!heading) { /* two U+0001 an author typed: not ours */
			buf_add(&doc->html, p, (size_t)(m - p) + 1);
			p = m + 1;
			continue;
		}
		buf_add(&doc->html, p, (size_t)(m - 1 - p));
		if (next < doc->n_headings) {
			buf_adds(&doc->html, " id=\"");
			buf_adds_html(&doc->html, doc->headings[next++].id);
			buf_addc(&doc->html, '"');
		}
		buf_addc(&doc->html, '>');
		p = m + strlen(MD_MARK);
	}
	buf_adds(&doc->html, p);
}

/* cmark 0.30.2 (CVE-2023-22486): every link made walks back over all the
 * image openers "![" still pending, so "![[]()" repeated is quadratic:
 * 43,000 of them (256 KiB) take 6 to 18 s.  No article needs that many
 * images; refusing more than MD_MAX_IMAGE_OPENERS bounds the walk (1,000
 * openers and 60,000 links: about half a second). */
#define MD_MAX_IMAGE_OPENERS 1000

static phare_status md_check_openers(const md_env *env, const char *text, size_t len)
{
	size_t n = 0;
	const char *end = text + len, *p = text;
	/* memchr: this runs over every article, so it must cost next to nothing. */
	while (p + 1 < end && (p = memchr(p, '!', (size_t)(end - p - 1))) != NULL) {
		if (p[1] == '[' && ++n > MD_MAX_IMAGE_OPENERS) {
			int line = 1;
			const char *line_start = text;
			for (const char *q = text; q < p; q++)
				if (*q == '\n') {
					line++;
					line_start = q + 1;
				}
			diag_error(env->path, env->first_line - 1 + line, (int)(p - line_start) + 1,
				   "more than %d '![' (images) in one file; cmark slows down quadratically "
				   "on them: split the article", MD_MAX_IMAGE_OPENERS);
			return PHARE_ERR_LIMIT;
		}
		p++;
	}
	return PHARE_OK;
}

/* Hands the tree's text to env->text (md_text_kind in markdown.h), as
 * search/page.c would find it in the HTML that cmark_render_html makes of
 * the tree. */
static void md_emit(const md_env *env, md_text_kind kind, const char *s, size_t n)
{
	env->text(env->ctx, kind, s, n);
}

static void md_emit_str(const md_env *env, md_text_kind kind, const char *s)
{
	env->text(env->ctx, kind, s, strlen(s));
}

static void md_text(const md_env *env, cmark_node *root, const md_doc *doc)
{
	size_t heading = 0;
	int in_image = 0;
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		bool enter = ev == CMARK_EVENT_ENTER;
		const char *lit;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			if (!in_image && (lit = cmark_node_get_literal(n)))
				md_emit_str(env, MD_TEXT_PLAIN, lit);
			break;
		case CMARK_NODE_CODE_BLOCK:
			md_emit(env, MD_TEXT_BREAK, NULL, 0);
			if ((lit = cmark_node_get_literal(n)))
				md_emit_str(env, MD_TEXT_PLAIN, lit);
			md_emit(env, MD_TEXT_BREAK, NULL, 0);
			break;
		case CMARK_NODE_IMAGE:
			in_image += enter ? 1 : -1;
			md_emit(env, MD_TEXT_BREAK, NULL, 0);
			break;
		case CMARK_NODE_HTML_INLINE:
			if (env->unsafe_html && !in_image && (lit = cmark_node_get_literal(n)))
				md_emit_str(env, MD_TEXT_HTML, lit);
			break; /* else a comment in the HTML: no text, no separation */
		case CMARK_NODE_HTML_BLOCK:
			md_emit(env, MD_TEXT_BREAK, NULL, 0);
			if (env->unsafe_html && (lit = cmark_node_get_literal(n)))
				md_emit_str(env, MD_TEXT_HTML, lit);
			md_emit(env, MD_TEXT_BREAK, NULL, 0);
			break;
		case CMARK_NODE_CUSTOM_INLINE:
			lit = enter ? cmark_node_get_on_enter(n) : cmark_node_get_on_exit(n);
			if (lit && strcmp(lit, MD_MARK) != 0)
				md_emit_str(env, MD_TEXT_HTML, lit);
			break;
		case CMARK_NODE_CUSTOM_BLOCK:
			if (cmark_node_get_user_data(n)) { /* a highlighted code block: its code (md_code) */
				if (enter) {
					md_emit(env, MD_TEXT_BREAK, NULL, 0);
					if ((lit = cmark_node_get_literal(cmark_node_get_user_data(n))))
						md_emit_str(env, MD_TEXT_PLAIN, lit);
					md_emit(env, MD_TEXT_BREAK, NULL, 0);
				}
				break;
			}
			md_emit(env, MD_TEXT_BREAK, NULL, 0);
			lit = enter ? cmark_node_get_on_enter(n) : cmark_node_get_on_exit(n);
			if (lit)
				md_emit_str(env, MD_TEXT_HTML, lit);
			md_emit(env, MD_TEXT_BREAK, NULL, 0);
			break;
		case CMARK_NODE_HEADING:
			if (enter)
				heading++;
			if (cmark_node_get_heading_level(n) <= 3 && heading <= doc->n_headings)
				md_emit_str(env, enter ? MD_TEXT_HEADING_OPEN : MD_TEXT_HEADING_CLOSE,
					    doc->headings[heading - 1].id);
			else
				md_emit(env, MD_TEXT_BREAK, NULL, 0);
			break;
		case CMARK_NODE_EMPH:
		case CMARK_NODE_STRONG:
		case CMARK_NODE_LINK:
			break; /* inline */
		default: /* blocks, soft and hard line breaks */
			md_emit(env, MD_TEXT_BREAK, NULL, 0);
			break;
		}
	}
	cmark_iter_free(it);
}

phare_status markdown_render(const md_env *env, const char *text, size_t len, md_doc *doc)
{
	int opts = CMARK_OPT_DEFAULT | (env->unsafe_html ? CMARK_OPT_UNSAFE : 0);
	phare_status s0 = md_check_openers(env, text, len);
	if (s0)
		return s0;
	cmark_parser *parser = cmark_parser_new_with_mem(opts, md_mem());
	cmark_parser_feed(parser, text, len);
	cmark_node *root = cmark_parser_finish(parser);
	cmark_parser_free(parser);
	phare_status s = callout_transform(env->callouts, env->path, env->first_line, text, len, md_mem(), root);
	phare_status s_walk = md_walk(env, root, doc);
	if (!s)
		s = s_walk;
	if (!s) {
		char *html = cmark_render_html(root, opts); /* from md_mem() */
		md_place_ids(html, doc);
		md_mem()->free(html);
		if (env->text)
			md_text(env, root, doc);
	}
	if (POOL_ENABLED)
		pool_release(); /* the tree and everything cmark allocated */
	else {
		md_free_code(root);
		cmark_node_free(root);
	}
	return s;
}

void md_doc_release(md_doc *doc)
{
	for (size_t i = 0; i < doc->n_headings; i++) {
		free(doc->headings[i].id);
		free(doc->headings[i].text);
	}
	free(doc->headings);
	buf_release(&doc->html);
	*doc = (md_doc)MD_DOC_INIT;
}

bool md_doc_has_id(const md_doc *doc, const char *id)
{
	for (size_t i = 0; i < doc->n_headings; i++)
		if (strcmp(doc->headings[i].id, id) == 0)
			return true;
	return false;
}

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

#include <cmark-gfm.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/callout.h"
#include "render/highlight.h"
#include "render/md_ext.h"
#include "render/md_image.h"
#include "render/md_limits.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/fold.h"
#include "util/map.h"
#include "util/pool.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define MD_MARK "\1\1"

static cmark_mem md_pool_mem = { pool_calloc, pool_realloc, pool_free };

static cmark_mem *md_mem(void) { return POOL_ENABLED ? &md_pool_mem : cmark_get_default_mem_allocator(); }

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
		if (cp < 0x80 &&
		    !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_')) {
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
	const char *src; /* the body: footnote ids are taken too (md_ext_footnote_id) */
	size_t src_len;
} md_ids;

/* given: the heading's "{#id}", or NULL for an id made from its text. */
static void md_add_heading(md_doc *doc, md_ids *ids, cmark_node *h, const char *given)
{
	buf text = BUF_INIT, id = BUF_INIT;
	md_plain_text(h, &text);
	if (given)
		buf_adds(&id, given);
	else
		markdown_slug(text.ptr, &id);
	if (!given && (map_get(&ids->taken, id.ptr) || md_ext_footnote_id(id.ptr, ids->src, ids->src_len))) {
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
		} while (map_get(&ids->taken, id.ptr) || md_ext_footnote_id(id.ptr, ids->src, ids->src_len));
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
	cmark_node *at = n; /* autolinks "https://…" have no position: their block's */
	while (cmark_node_get_start_line(at) == 0 && cmark_node_parent(at))
		at = cmark_node_parent(at);
	int line = env->first_line - 1 + cmark_node_get_start_line(at);
	phare_status s = env->link(env->ctx, url ? url : "", image, line, cmark_node_get_start_column(at), &out);
	if (!s)
		cmark_node_set_url(n, out.ptr);
	buf_release(&out);
	return s;
}

/* What a fence's info string asks for: code, or a hook block (env->block). */
typedef enum md_hook { MD_HOOK_NONE, MD_HOOK_TABLE, MD_HOOK_QUESTIONNAIRE } md_hook;

static bool md_info_is(const char *info, const char *word, size_t n)
{
	return strncmp(info, word, n) == 0 && (info[n] == ' ' || info[n] == '\0');
}

static md_hook md_hook_of(const char *info)
{
	return !info                                   ? MD_HOOK_NONE
	       : md_info_is(info, "table", 5)          ? MD_HOOK_TABLE
	       : md_info_is(info, "questionnaire", 13) ? MD_HOOK_QUESTIONNAIRE
						       : MD_HOOK_NONE;
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

/* The 1-based column of the last "{#" on the text's line (1 if none). */
static int md_attr_col(const char *text, size_t len, int line)
{
	const char *p = text, *end = text + len, *col = NULL;
	for (int l = 1; l < line && p < end; p++)
		if (*p == '\n')
			l++;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	for (const char *q = p; q + 1 < (nl ? nl : end); q++)
		if (q[0] == '{' && q[1] == '#')
			col = q;
	return col ? (int)utf8_count(p, (size_t)(col - p)) + 1 : 1; /* in characters */
}

/* First pass over the headings: the ids they give ("## Title {#id}"), in
 * document order (NULL for none), taken before any id is made from a
 * heading's text, so that an explicit id never gets a suffix. */
static phare_status md_given_ids(const md_env *env, const char *text, size_t len, cmark_node *root, md_ids *ids,
				 const char ***given, size_t *n_given)
{
	phare_status first = PHARE_OK;
	size_t cap = 0;
	buf id = BUF_INIT;
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_HEADING)
			continue;
		buf_reset(&id);
		md_attr a = md_ext_heading_attr(n, &id);
		int line = cmark_node_get_start_line(n);
		const char *keep = NULL;
		if (a == MD_ATTR_BAD) {
			diag_error(env->path, env->first_line - 1 + line, md_attr_col(text, len, line),
				   "heading id '{#%s}' may hold only letters A-Z a-z, digits, '-' and '_'; "
				   "write it with those",
				   id.ptr);
			first = first ? first : PHARE_ERR_INPUT;
		} else if (a == MD_ATTR_OK && md_ext_footnote_id(id.ptr, text, len)) {
			diag_error(env->path, env->first_line - 1 + line, md_attr_col(text, len, line),
				   "heading id '{#%s}' is the id of a footnote of this page ([^…]); give the "
				   "heading another id",
				   id.ptr);
			first = first ? first : PHARE_ERR_INPUT;
		} else if (a == MD_ATTR_OK && map_get(&ids->taken, id.ptr)) {
			diag_error(env->path, env->first_line - 1 + line, md_attr_col(text, len, line),
				   "duplicate heading id '{#%s}': another heading of this page has it "
				   "(line %d); give each heading its own id",
				   id.ptr, env->first_line - 1 + (int)(uintptr_t)map_get(&ids->taken, id.ptr));
			first = first ? first : PHARE_ERR_INPUT;
		} else if (a == MD_ATTR_OK) {
			keep = arena_strdup(&ids->mem, id.ptr);
			map_put(&ids->taken, keep, (void *)(uintptr_t)line);
		}
		*given = xgrow(*given, &cap, *n_given + 1, sizeof(const char *));
		(*given)[(*n_given)++] = keep;
	}
	cmark_iter_free(it);
	buf_release(&id);
	return first;
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
			     "(or text for none)",
			     (int)in.lang_len, in.lang, hl_known());
	}
	cmark_node *c = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, md_mem());
	cmark_node_set_on_enter(c, out.ptr);
	cmark_node_replace(n, c);
	cmark_node_set_user_data(c, n);
	buf_release(&out);
}

/* A custom block md_code made: its user data is the code block (a notice's
 * or tab group's is callout's mark). */
static bool md_is_code(cmark_node *n)
{
	return cmark_node_get_type(n) == CMARK_NODE_CUSTOM_BLOCK && cmark_node_get_user_data(n) && !callout_is_made(n);
}

static void md_free_code(cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && md_is_code(n))
			cmark_node_free(cmark_node_get_user_data(n));
	}
	cmark_iter_free(it);
}

/* Walks the tree: headings, links, images; collects hook blocks (replaced
 * after the walk, since replacing under the iterator is unsafe). */
static phare_status md_walk(const md_env *env, const char *text, size_t len, cmark_node *root, md_doc *doc,
			    md_images *images)
{
	phare_status first = PHARE_OK, s;
	cmark_node **hooks = NULL, **tables = NULL;
	size_t n_hooks = 0, cap_hooks = 0, n_tables = 0, cap_tables = 0, n_given = 0, heading = 0;
	const char **given = NULL;
	md_ids ids = { MAP_INIT, MAP_INIT, ARENA_INIT, text, len };
	first = md_given_ids(env, text, len, root, &ids, &given, &n_given);
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *n = cmark_iter_get_node(it);
		s = PHARE_OK;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_HEADING:
			md_add_heading(doc, &ids, n, heading < n_given ? given[heading] : NULL);
			heading++;
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			if (env->link)
				s = md_link(env, n, cmark_node_get_type(n) == CMARK_NODE_IMAGE);
			if (cmark_node_get_type(n) == CMARK_NODE_IMAGE)
				md_images_add(images, n);
			break;
		case CMARK_NODE_CODE_BLOCK:
			/* hooks, and code to highlight (md_code) */
			hooks = xgrow(hooks, &cap_hooks, n_hooks + 1, sizeof(cmark_node *));
			hooks[n_hooks++] = n;
			break;
		case CMARK_NODE_ITEM: md_ext_tasklist(n, md_mem()); break;
		case CMARK_NODE_FOOTNOTE_REFERENCE:
		case CMARK_NODE_FOOTNOTE_DEFINITION: doc->has_footnotes = true; break;
		default:
			if (md_ext_is_table(n)) { /* wrapped after the walk, as hooks are replaced */
				tables = xgrow(tables, &cap_tables, n_tables + 1, sizeof(cmark_node *));
				tables[n_tables++] = n;
			}
			break;
		}
		if (s && !first)
			first = s;
	}
	cmark_iter_free(it);
	free(given);
	map_release(&ids.taken);
	map_release(&ids.next);
	arena_release(&ids.mem);
	for (size_t i = 0; i < n_hooks; i++) {
		md_hook hook = md_hook_of(cmark_node_get_fence_info(hooks[i])); /* md_block frees the node */
		if (hook == MD_HOOK_NONE) {
			md_code(env, hooks[i]);
			doc->has_code = true;
		} else if ((s = md_block(env, hooks[i]))) {
			if (!first)
				first = s;
		} else if (hook == MD_HOOK_QUESTIONNAIRE) {
			doc->has_questionnaire = true;
		}
	}
	free(hooks);
	for (size_t i = 0; i < n_tables; i++)
		md_ext_table_wrap(tables[i], env->table_name, md_mem());
	free(tables);
	if (!first)
		md_images_finish(images, env, md_mem());
	return first;
}

/* "<hN>\1\1" -> "<hN id=\"…\">", headings in document order. */
static void md_place_ids(const char *html, md_doc *doc)
{
	size_t next = 0;
	const char *p = html, *m;
	buf_grow(&doc->html, strlen(html) + doc->n_headings * 32); /* the ids' room, roughly: grown once */
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
static void md_emit(const md_env *env, md_text_kind kind, const char *s, size_t n) { env->text(env->ctx, kind, s, n); }

static void md_emit_str(const md_env *env, md_text_kind kind, const char *s)
{
	env->text(env->ctx, kind, s, strlen(s));
}

/* Raw HTML as the tag filter lets it out (md_ext.h). */
static void md_emit_html(const md_env *env, const char *html)
{
	buf f = BUF_INIT;
	md_ext_tagfilter(html, &f);
	md_emit(env, MD_TEXT_HTML, f.ptr, f.len);
	buf_release(&f);
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
				md_emit_html(env, lit);
			break; /* else a comment in the HTML: no text, no separation */
		case CMARK_NODE_HTML_BLOCK:
			md_emit(env, MD_TEXT_BREAK, NULL, 0);
			if (env->unsafe_html && (lit = cmark_node_get_literal(n)))
				md_emit_html(env, lit);
			md_emit(env, MD_TEXT_BREAK, NULL, 0);
			break;
		case CMARK_NODE_CUSTOM_INLINE:
			lit = enter ? cmark_node_get_on_enter(n) : cmark_node_get_on_exit(n);
			if (lit && strcmp(lit, MD_MARK) != 0 && strcmp(lit, MD_IMAGE_MARK) != 0 &&
			    strncmp(lit, MD_EXT_BOX, strlen(MD_EXT_BOX)) != 0)
				md_emit_str(env, MD_TEXT_HTML, lit);
			break;
		case CMARK_NODE_CUSTOM_BLOCK:
			if (md_is_code(n)) { /* a highlighted code block: its code (md_code) */
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
		case CMARK_NODE_FOOTNOTE_REFERENCE: /* its number: no text */ break; /* inline */
		default: /* blocks (table cells too), soft and hard line breaks */
			if ((cmark_node_get_type(n) & CMARK_NODE_TYPE_MASK) != CMARK_NODE_TYPE_INLINE ||
			    cmark_node_get_type(n) == CMARK_NODE_SOFTBREAK ||
			    cmark_node_get_type(n) == CMARK_NODE_LINEBREAK)
				md_emit(env, MD_TEXT_BREAK, NULL, 0);
			break; /* else an extension's inline (~~strikethrough~~) */
		}
	}
	cmark_iter_free(it);
}

/* Whether cmark renders md as the text itself in a paragraph: one line
 * starting with a letter, a digit or a non-ASCII character (no block
 * syntax, no ordered list), ending with no space,
 * of letters, digits, spaces, valid UTF-8 and punctuation that is never
 * inline syntax nor escaped (markdown.h). */
bool markdown_is_plain(const char *md)
{
	const unsigned char *p = (const unsigned char *)md;
	size_t n = strlen(md);
	if (!n ||
	    !((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= '0' && p[0] <= '9') ||
	      p[0] >= 0x80) ||
	    p[n - 1] == ' ')
		return false;
	size_t d = 0;
	while (d < n && p[d] >= '0' && p[d] <= '9')
		d++;
	if (d && d < n && (p[d] == '.' || p[d] == ')') && (d + 1 == n || p[d + 1] == ' '))
		return false; /* "1. …", "2)": an ordered list */
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		if (c >= 0x80) {
			if (utf8_next(md, n, &i) < 0) /* cmark replaces an invalid sequence */
				return false;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			   strchr(" ,.;:()/%'?+-=", c)) {
			i++;
		} else {
			return false;
		}
	}
	return true;
}

phare_status markdown_render(const md_env *env, const char *text, size_t len, md_doc *doc)
{
	int opts = md_ext_options(env->unsafe_html);
	phare_status s0 = md_check_openers(env, text, len);
	if (!s0)
		s0 = md_limits_check(env->path, env->first_line, text, len);
	if (s0)
		return s0;
	cmark_parser *parser = md_ext_parser_new(opts, env->unsafe_html, md_mem());
	cmark_parser_feed(parser, text, len);
	cmark_node *root = cmark_parser_finish(parser);
	md_images images = MD_IMAGES_INIT;
	size_t tab_groups = 0;
	phare_status s = callout_transform(env->callouts, env->path, env->first_line, text, len, md_mem(), root,
					   &tab_groups);
	doc->has_tabs = tab_groups > 0;
	phare_status s_walk = md_walk(env, text, len, root, doc, &images);
	if (!s)
		s = s_walk;
	if (!s) {
		char *html = cmark_render_html_with_mem(root, opts, cmark_parser_get_syntax_extensions(parser),
							md_mem());
		buf placed = BUF_INIT, labelled = BUF_INIT;
		md_images_place(&images, html, &placed);
		if (env->footnote_back && doc->has_footnotes && strstr(placed.ptr, "data-footnote-backref")) {
			md_ext_footnote_back(placed.ptr, env->footnote_back, &labelled);
			buf_reset(&placed);
			buf_adds(&placed, labelled.ptr);
		}
		md_place_ids(placed.ptr, doc);
		buf_release(&placed);
		buf_release(&labelled);
		md_mem()->free(html);
		if (env->text)
			md_text(env, root, doc);
	}
	cmark_parser_free(parser);
	md_images_release(&images);
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

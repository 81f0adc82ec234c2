/* nav.c: the navigation around a page in the section tree: breadcrumbs
 * (and their schema.org BreadcrumbList), the sidebar, previous / next, the
 * cards of sub-sections, and the trail a search hit shows.
 *
 * The sidebar shows the tree of the page's category, but only the current
 * branch: every section from the category down to the page's is open, its
 * sub-sections folded (<details>), and a long list of articles is cut to a
 * window around the current one, so that a page stays light however large
 * its category is (NAV_WINDOW). */
#include <stdio.h>
#include <string.h>

#include "build/builder.h"
#include "util/buf.h"

/* Articles of a section shown in the sidebar: around the current one, or
 * the first ones; the section page lists them all. */
#define NAV_WINDOW 12

static const char *nav_abs(const builder *b, arena *a, const char *url)
{
	return *b->m.cfg.origin ? arena_printf(a, "%s%s", b->m.cfg.origin, url) : url;
}

/* The sections from the category down to sec, top first; returns how many. */
static size_t nav_path(const section *sec, const section **out)
{
	size_t n = 0;
	for (const section *s = sec; s && n < MODEL_MAX_DEPTH; s = s->parent)
		n++;
	size_t i = n;
	for (const section *s = sec; s && i > 0; s = s->parent)
		out[--i] = s;
	return n;
}

/* url NULL: the page itself, the last item (its URL is the page's). */
static void nav_json_item(buf *j, size_t pos, const char *name, const char *url)
{
	char num[24];
	snprintf(num, sizeof num, "%zu", pos);
	buf_adds(j, pos > 1 ? ",{\"@type\":\"ListItem\",\"position\":" : "{\"@type\":\"ListItem\",\"position\":");
	buf_adds(j, num);
	buf_adds(j, ",\"name\":");
	buf_add_json_str(j, name, strlen(name));
	if (url) {
		buf_adds(j, ",\"item\":");
		buf_add_json_str(j, url, strlen(url));
	}
	buf_addc(j, '}');
}

/* s[0..n) with every '<' written \u003c, copied into arena a: in a JSON
 * string neither "</script" nor "<!--" (which would keep the element open
 * past its end tag) can then appear. */
static const char *nav_script_safe(arena *a, const char *s, size_t n)
{
	buf safe = BUF_INIT;
	for (const char *lt; (lt = memchr(s, '<', n)); n -= (size_t)(lt + 1 - s), s = lt + 1) {
		buf_add(&safe, s, (size_t)(lt - s));
		buf_adds(&safe, "\\u003c");
	}
	if (!safe.len)
		return arena_strndup(a, s, n);
	buf_add(&safe, s, n);
	const char *out = arena_strndup(a, safe.ptr, safe.len);
	buf_release(&safe);
	return out;
}

void nav_crumbs(const builder *b, arena *a, value *c, size_t lang, const section *sec, const char *title)
{
	const section *path[MODEL_MAX_DEPTH];
	size_t n = nav_path(sec, path);
	const char *home = i18n_get(&b->strings, lang, "home");
	value *crumbs = value_list(a);
	buf j = BUF_INIT;
	buf_grow(&j, 512);
	buf_adds(&j, "{\"@context\":\"https://schema.org\",\"@type\":\"BreadcrumbList\",\"itemListElement\":[");
	value_list_push(a, crumbs, pages_link(a, home, b->m.langs[lang].url));
	nav_json_item(&j, 1, home, nav_abs(b, a, b->m.langs[lang].url));
	for (size_t i = 0; i < n; i++) {
		value_list_push(a, crumbs, pages_link(a, path[i]->title, path[i]->url));
		nav_json_item(&j, i + 2, path[i]->title, nav_abs(b, a, path[i]->url));
	}
	if (title)
		nav_json_item(&j, n + 2, title, NULL);
	buf_adds(&j, "]}");
	value_map_set(a, c, "breadcrumbs", crumbs);
	value_map_bool(a, c, "has_breadcrumbs", true);
	value_map_str(a, c, "breadcrumbs_json", nav_script_safe(a, j.ptr, j.len));
	buf_release(&j);
}

const char *nav_trail(arena *a, const section *sec)
{
	const section *path[MODEL_MAX_DEPTH];
	size_t n = nav_path(sec, path);
	buf t = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_adds(&t, " › ");
		buf_adds(&t, path[i]->title);
	}
	const char *out = arena_strndup(a, t.ptr ? t.ptr : "", t.len);
	buf_release(&t);
	return out;
}

/* An item of a sidebar list: a link, or a section (node).  Every key is
 * set on every item: Mustache would look a missing one up in the
 * enclosing items, and a node's partial would include itself forever. */
static value *nav_item(arena *a, const char *title, const char *url, bool current, value *node)
{
	value *e = pages_link(a, title, url);
	value_map_bool(a, e, "current", current);
	if (node)
		value_map_set(a, e, "node", node);
	else
		value_map_bool(a, e, "node", false);
	value_map_bool(a, e, "link", node == NULL);
	value_map_bool(a, e, "more", false);
	return e;
}

/* The articles of sec from first to last (excluded), then a "more" link to
 * the section page when some are left out. */
static void nav_articles(const builder *b, arena *a, value *items, const section *sec, const article *cur)
{
	size_t first = 0, last = sec->n_articles;
	if (last > NAV_WINDOW) {
		size_t at = cur && cur->sec == sec ? cur->pos : 0;
		first = at > NAV_WINDOW / 2 ? at - NAV_WINDOW / 2 : 0;
		if (first + NAV_WINDOW > last)
			first = last - NAV_WINDOW;
		last = first + NAV_WINDOW;
	}
	for (size_t i = first; i < last; i++)
		value_list_push(a, items,
				nav_item(a, sec->articles[i]->title, sec->articles[i]->url, sec->articles[i] == cur,
					 NULL));
	if (first > 0 || last < sec->n_articles) {
		value *more = nav_item(a, i18n_get(&b->strings, sec->lang, "nav_all_articles"), sec->url, false, NULL);
		value_map_bool(a, more, "more", true);
		value_map_str(a, more, "count", arena_printf(a, "%zu", sec->n_articles));
		value_list_push(a, items, more);
	}
}

/* Section sec as a sidebar node: open when it is on the current branch
 * (path[depth] == sec): its sub-sections (as nodes) and its articles;
 * folded otherwise: its sub-sections as links, its articles left to its
 * page (the overview link). */
static value *nav_node(const builder *b, arena *a, const section *sec, const section *const *path, size_t n_path,
		       size_t depth, const article *cur)
{
	bool open = depth < n_path && path[depth] == sec;
	const section *cur_sec = path[n_path - 1];
	value *node = value_map(a), *items = value_list(a);
	value_map_str(a, node, "title", sec->title);
	value_map_str(a, node, "url", sec->url);
	value_map_bool(a, node, "open", open);
	value_map_bool(a, node, "current", sec == cur_sec && !cur);
	value_map_str(a, node, "count", arena_printf(a, "%zu", sec->n_total));
	value_map_bool(a, node, "root", false);
	for (size_t i = 0; i < sec->n_subs; i++) {
		const section *sub = sec->subs[i];
		value *child = open ? nav_node(b, a, sub, path, n_path, depth + 1, cur) : NULL;
		value_list_push(a, items, nav_item(a, sub->title, sub->url, false, child));
	}
	if (open)
		nav_articles(b, a, items, sec, cur);
	value_map_set(a, node, "items", items);
	return node;
}

void nav_sidebar(const builder *b, arena *a, value *c, const section *sec, const article *cur)
{
	const section *path[MODEL_MAX_DEPTH];
	size_t n = nav_path(sec, path);
	if (n == 0)
		return; /* a page in no section (a language's home): no sidebar */
	value *root = nav_node(b, a, path[0], path, n, 0, cur);
	value_map_bool(a, root, "root", true);
	value_map_set(a, c, "sidebar", root);
	value_map_bool(a, c, "has_sidebar", true);
}

void nav_pager(arena *a, value *c, const article *art)
{
	const section *sec = art->sec;
	if (!sec || sec->n_articles < 2)
		return;
	value *p = value_map(a);
	if (art->pos > 0) {
		const article *prev = sec->articles[art->pos - 1];
		value_map_set(a, p, "prev", pages_link(a, prev->title, prev->url));
	} else {
		value_map_bool(a, p, "prev", false);
	}
	if (art->pos + 1 < sec->n_articles) {
		const article *next = sec->articles[art->pos + 1];
		value_map_set(a, p, "next", pages_link(a, next->title, next->url));
	} else {
		value_map_bool(a, p, "next", false);
	}
	value_map_set(a, c, "pager", p);
}

value *nav_cards(const builder *b, arena *a, section *const *secs, size_t n)
{
	value *list = value_list(a);
	for (size_t i = 0; i < n; i++) {
		const section *s = secs[i];
		value *e = pages_link(a, s->title, s->url);
		value_map_str(a, e, "description", s->description);
		value_map_str(a, e, "count", arena_printf(a, "%zu", s->n_total));
		value_map_str(a, e, "count_label",
			      i18n_get(&b->strings, s->lang, s->n_total == 1 ? "article_one" : "article_other"));
		value_list_push(a, list, e);
	}
	return list;
}

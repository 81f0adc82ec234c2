/* test_callout.c: notices ("> [!WARNING]") and tabs ("> [!TABS]") through
 * markdown_render (render/callout.h): one test per construct, one case per
 * error with its exact line and column, site.yaml's callouts: key, and the
 * search text (a notice's text indexed once, default titles not at all). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content/site.h"
#include "render/markdown.h"
#include "search/page.h"
#include "util/diag.h"

static void capture(void)
{
	diag_reset();
	diag_set_quiet(true);
	diag_set_capture(true);
}

/* Renders md (its first line is the file's line 3) with env; returns the HTML (static). */
static const char *render_env(const char *md, const callout_env *env, phare_status want)
{
	static char out[1 << 15];
	md_env e = { .path = "a.md", .first_line = 3, .callouts = env };
	md_doc doc = MD_DOC_INIT;
	capture();
	phare_status s = markdown_render(&e, md, strlen(md), &doc);
	if (s != want)
		fail_msg("status %d, wanted %d, for:\n%s\nmessages: %s", s, want, md, diag_captured());
	snprintf(out, sizeof out, "%s", doc.html.ptr);
	md_doc_release(&doc);
	return out;
}

static const char *render(const char *md)
{
	return render_env(md, NULL, PHARE_OK);
}

#define assert_has(html, s)                                                  \
	do {                                                                 \
		if (!strstr((html), (s)))                                    \
			fail_msg("'%s' not found in:\n%s", (s), (html));     \
	} while (0)

static const char *const kinds[] = { "NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION" };
static const char *const names[] = { "note", "tip", "important", "warning", "caution" };
static const char *const english[] = { "Note", "Tip", "Important", "Warning", "Caution" };

static void notice_every_kind(void **state)
{
	(void)state;
	for (size_t k = 0; k < 5; k++) {
		char md[128], want[256];
		snprintf(md, sizeof md, "> [!%s]\n> Body *text*.\n", kinds[k]);
		const char *html = render(md);
		snprintf(want, sizeof want, "<div class=\"callout\" data-callout=\"%s\">\n<p class=\"callout-title\" "
			 "data-search-ignore><svg viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" aria-hidden=\"true\">",
			 names[k]);
		assert_has(html, want);
		snprintf(want, sizeof want, "</svg>\n%s</p>\n<p>Body <em>text</em>.</p>\n</div>\n", english[k]);
		assert_has(html, want);
		assert_null(strstr(html, "blockquote"));
		assert_null(strstr(html, "[!"));
	}
	/* the marker in any case, alone in its paragraph */
	assert_has(render("> [!warning]\n>\n> Text.\n"), "data-callout=\"warning\"");
	assert_has(render("> [!Tip]\n"), "</svg>\nTip</p>\n</div>");
}

static void notice_titles(void **state)
{
	(void)state;
	/* the page's language */
	callout_env fr = { { "Remarque", "Astuce", "Important", "Avertissement", "Attention" }, NULL, 0 };
	assert_has(render_env("> [!WARNING]\n> Texte.\n", &fr, PHARE_OK), "</svg>\nAvertissement</p>");
	/* an empty title falls back to English; text is escaped */
	callout_env odd = { { "", "A <b> & c", NULL, NULL, NULL }, NULL, 0 };
	assert_has(render_env("> [!NOTE]\n> x\n", &odd, PHARE_OK), "</svg>\nNote</p>");
	assert_has(render_env("> [!TIP]\n> x\n", &odd, PHARE_OK), "</svg>\nA &lt;b&gt; &amp; c</p>");
	/* the author's title, with its inlines, indexed (no data-search-ignore) */
	const char *html = render("> [!WARNING] Avant de **commencer**\n> Sauvegardez.\n");
	assert_has(html, "<p class=\"callout-title\"><svg");
	assert_has(html, "</svg>\nAvant de <strong>commencer</strong>\n</p>\n<p>Sauvegardez.</p>");
	assert_null(strstr(html, "data-search-ignore"));
	/* spaces only after the marker: the default title */
	assert_has(render("> [!NOTE]   \n> x\n"), "</svg>\nNote</p>");
}

static void notice_foldable(void **state)
{
	(void)state;
	const char *html = render("> [!NOTE]-\n> Hidden until opened.\n");
	assert_has(html, "<details class=\"callout\" data-callout=\"note\">\n<summary class=\"callout-title\" "
			 "data-search-ignore><svg");
	assert_has(html, "</svg>\nNote</summary>\n<p>Hidden until opened.</p>\n</details>");
	html = render("> [!CAUTION]+ Lisez ceci\n> Open.\n");
	assert_has(html, "<details class=\"callout\" data-callout=\"caution\" open>\n<summary class=\"callout-title\">");
	assert_has(html, "\nLisez ceci\n</summary>\n<p>Open.</p>\n</details>");
}

static void not_notices(void **state)
{
	(void)state;
	static const char *const quotes[] = {
		"> [!NOTE]x\n> y\n",   /* glued to a word */
		"> [! NOTE]\n",        /* a space in the marker */
		"> Text [!NOTE]\n",    /* not at the start */
		"> [!]\n",             /* no name */
		"> [!NOTE\n",          /* unclosed */
		"> # [!NOTE]\n",       /* a heading */
		"[!NOTE]\n",           /* not in a quote */
	};
	for (size_t i = 0; i < sizeof quotes / sizeof quotes[0]; i++) {
		const char *html = render(quotes[i]);
		if (strstr(html, "callout"))
			fail_msg("'%s' made a notice: %s", quotes[i], html);
	}
	assert_has(render("> quote\n"), "<blockquote>\n<p>quote</p>\n</blockquote>");
}

static void notice_nested(void **state)
{
	(void)state;
	/* a notice in a notice, and in a list item */
	const char *html = render("> [!NOTE]\n> Outer.\n>> [!TIP]\n>> Inner.\n\n- item\n\n  > [!WARNING]\n  > In a list.\n");
	assert_has(html, "<div class=\"callout\" data-callout=\"note\">");
	assert_has(html, "<p>Outer.</p>\n<div class=\"callout\" data-callout=\"tip\">");
	assert_has(html, "<p>Inner.</p>\n</div>\n</div>");
	assert_has(html, "<li>\n<p>item</p>\n<div class=\"callout\" data-callout=\"warning\">");
}

static void aliases(void **state)
{
	(void)state;
	callout_alias al[] = { { "primary", CALLOUT_NOTE }, { "alert", CALLOUT_CAUTION } };
	callout_env env = { { NULL }, al, 2 };
	assert_has(render_env("> [!PRIMARY]\n> x\n", &env, PHARE_OK), "data-callout=\"note\"");
	assert_has(render_env("> [!alert]- Careful\n> x\n", &env, PHARE_OK),
		   "<details class=\"callout\" data-callout=\"caution\">");
	render_env("\n> [!DANGER]\n> x\n", &env, PHARE_ERR_INPUT);
	assert_string_equal(diag_captured(),
			    "a.md:4:3: error: unknown notice '[!DANGER]'; use [!NOTE], [!TIP], [!IMPORTANT], [!WARNING], "
			    "[!CAUTION], [!TABS], or this site's names (site.yaml callouts:) [!PRIMARY], [!ALERT]\n");
	render_env("> [!PRIMARY]\n> x\n", NULL, PHARE_ERR_INPUT);
	assert_string_equal(diag_captured(),
			    "a.md:3:3: error: unknown notice '[!PRIMARY]'; use [!NOTE], [!TIP], [!IMPORTANT], [!WARNING], "
			    "[!CAUTION] or [!TABS], or map the name onto one of them in site.yaml (callouts:)\n");
	assert_int_equal(diag_errors(), 1);
}

static const char tabs_md[] =
	"> [!TABS]\n"
	"> **Debian / Ubuntu**\n"
	">> ```bash\n"
	">> apt install qemu-kvm\n"
	">> ```\n"
	"> **Rocky & Alma**\n"
	">> Run:\n"
	">>\n"
	">> `dnf install qemu-kvm`\n"
	">\n"
	"> Arch `pacman`\n"
	">> [!NOTE]\n"
	">> A notice as the panel.\n";

static void tabs(void **state)
{
	(void)state;
	const char *html = render(tabs_md);
	assert_has(html, "<div class=\"tabs\" data-tabs>\n<p class=\"tabs-label\">\nDebian / Ubuntu\n</p>\n"
			 "<div class=\"tabs-panel\" data-tab=\"Debian / Ubuntu\">\n<div class=\"code-block\">"
			 "<pre tabindex=\"0\" data-lang=\"bash\"><code class=\"language-bash\">"); /* highlighted as anywhere */
	assert_has(html, "install qemu-kvm\n</code></pre></div>\n</div>\n<p class=\"tabs-label\">\nRocky &amp; Alma");
	assert_has(html, "<p class=\"tabs-label\">\nRocky &amp; Alma\n</p>\n<div class=\"tabs-panel\" "
			 "data-tab=\"Rocky &amp; Alma\">\n<p>Run:</p>\n<p><code>dnf install qemu-kvm</code></p>\n</div>\n");
	assert_has(html, "<p class=\"tabs-label\">\nArch <code>pacman</code>\n</p>\n<div class=\"tabs-panel\" "
			 "data-tab=\"Arch pacman\">\n<div class=\"callout\" data-callout=\"note\">");
	assert_has(html, "<p>A notice as the panel.</p>\n</div>\n</div>\n</div>\n");
	assert_null(strstr(html, "blockquote"));
	assert_null(strstr(html, "[!"));
	/* the marker alone in its paragraph; tabs in a notice */
	html = render("> [!IMPORTANT]\n>> [!TABS]\n>>\n>> A\n>>> a\n>>\n>> B\n>>> b\n");
	assert_has(html, "<div class=\"callout\" data-callout=\"important\">");
	assert_has(html, "<div class=\"tabs\" data-tabs>\n<p class=\"tabs-label\">\nA\n</p>\n"
			 "<div class=\"tabs-panel\" data-tab=\"A\">\n<p>a</p>\n</div>\n");
	assert_has(html, "data-tab=\"B\">\n<p>b</p>\n</div>\n</div>\n</div>\n");
}

/* Each error of a [!TABS] block, at its line (the text starts on line 3) and column. */
static void tabs_errors(void **state)
{
	(void)state;
	static const struct {
		const char *md, *msg;
	} cases[] = {
		{ "> [!TABS]\n> **A**\n>> a\n> **B**\n>> b\n",
		  "a.md:6:1: error: this line has fewer '>' than the tab panel above it, so Markdown reads it as the "
		  "panel's text; put a line '>' before it to make it a label, or start it with 2 '>' to keep it in "
		  "the panel\n" },
		{ "> [!TABS]\n> - a list\n",
		  "a.md:4:3: error: a [!TABS] block holds only tabs, each a label line ('> **Label**') and its panel "
		  "below ('>> …'); move this list into a panel\n" },
		{ "> [!TABS]\n>\n> ```\n> code\n> ```\n",
		  "a.md:5:3: error: a [!TABS] block holds only tabs, each a label line ('> **Label**') and its panel "
		  "below ('>> …'); move this code block into a panel\n" },
		{ "> [!TABS]\n>> no label\n",
		  "a.md:4:2: error: a tab panel with no label; write the label on the line above it ('> **Label**')\n" },
		{ "> [!TABS]\n> **A**\n>> a\n>\n> **A**\n>> again\n",
		  "a.md:7:3: error: the tab label 'A' is given twice in this [!TABS] block (first on line 4); give "
		  "each tab its own label\n" },
		{ "> [!TABS] Title\n> **A**\n>> a\n",
		  "a.md:3:3: error: [!TABS] takes no title and no '+' or '-'; write the tabs' labels on the lines "
		  "below it\n" },
		{ "> [!TABS]-\n> **A**\n>> a\n",
		  "a.md:3:3: error: [!TABS] takes no title and no '+' or '-'; write the tabs' labels on the lines "
		  "below it\n" },
		{ "> [!TABS]\n> **A**\n>> a\n>\n> **Lonely**\n",
		  "a.md:7:3: error: the tab label 'Lonely' has no panel; write the panel right below it, as a nested "
		  "quote ('>> …')\n" },
		{ "> [!TABS]\n> **Two\n> lines**\n>> x\n",
		  "a.md:4:3: error: the tab label 'Two' runs over several lines; a label is one line, and its panel, "
		  "below it, a nested quote ('>> …')\n" },
		{ "> [!TABS]\n",
		  "a.md:3:3: error: [!TABS] holds no tab; write each as a label line ('> **Label**') followed by its "
		  "panel ('>> …')\n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		render_env(cases[i].md, NULL, PHARE_ERR_INPUT);
		if (strcmp(diag_captured(), cases[i].msg) != 0)
			fail_msg("case %zu:\n%s\nwanted: %sgot:    %s", i, cases[i].md, cases[i].msg, diag_captured());
		assert_int_equal(diag_errors(), 1);
	}
	/* every block's error is reported, not only the first */
	render_env("> [!NOPE]\n\n> [!TABS]\n", NULL, PHARE_ERR_INPUT);
	assert_int_equal(diag_errors(), 2);
}

static void on_text(void *ctx, md_text_kind kind, const char *s, size_t n)
{
	search_page_builder *sb = ctx;
	if (kind == MD_TEXT_PLAIN)
		search_page_text(sb, s, n);
	else if (kind == MD_TEXT_BREAK)
		search_page_break(sb);
	else if (kind == MD_TEXT_HTML)
		search_page_html(sb, s);
	else
		search_page_heading(sb, s, kind == MD_TEXT_HEADING_OPEN);
}

/* The search text: a notice's words once, its default title never, tab
 * labels and panels once; the same from the tree as from the HTML. */
static void search_text(void **state)
{
	(void)state;
	const char *md = "> [!WARNING]\n> Backup first.\n\n> [!NOTE]- Custom *heading*\n> Body.\n\n" "> [!TABS]\n"
			 "> **Debian**\n>> apt install\n>\n> **Rocky**\n>> dnf install\n";
	search_page tree = SEARCH_PAGE_INIT, html = SEARCH_PAGE_INIT;
	search_page_builder *sb = search_page_begin(&tree);
	md_env env = { .path = "a.md", .first_line = 1, .ctx = sb, .text = on_text };
	md_doc doc = MD_DOC_INIT;
	assert_int_equal(markdown_render(&env, md, strlen(md), &doc), PHARE_OK);
	search_page_end(sb);
	search_page_parse(&html, doc.html.ptr);
	assert_string_equal(html.text.ptr, "Backup first. Custom heading Body. Debian apt install Rocky dnf install");
	assert_string_equal(tree.text.ptr, html.text.ptr);
	assert_int_equal(tree.n_segs, html.n_segs);
	search_page_release(&tree);
	search_page_release(&html);
	md_doc_release(&doc);
}

static phare_status load_site(const char *yaml, site_config *cfg, arena *a)
{
	char path[] = "/tmp/phare-callout-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
	close(fd);
	capture();
	phare_status s = site_load(a, path, "site.yaml", NULL, cfg);
	unlink(path);
	return s;
}

static void site_callouts(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	site_config cfg;
	assert_int_equal(load_site("languages: [{ code: en }]\ncallouts: { primary: note, Alert: CAUTION, success: tip }\n",
				   &cfg, &a), PHARE_OK);
	assert_int_equal(cfg.n_callouts, 3);
	assert_string_equal(cfg.callouts[0].name, "primary");
	assert_int_equal(cfg.callouts[0].kind, CALLOUT_NOTE);
	assert_string_equal(cfg.callouts[1].name, "alert");
	assert_int_equal(cfg.callouts[1].kind, CALLOUT_CAUTION);
	assert_int_equal(cfg.callouts[2].kind, CALLOUT_TIP);
	static const struct {
		const char *yaml, *msg;
	} bad[] = {
		{ "languages: [{ code: en }]\ncallouts: { primary: danger }\n",
		  "site.yaml:2:22: error: callouts: 'danger' is not a kind of notice; map 'primary' onto note, tip, "
		  "important, warning or caution\n" },
		{ "languages: [{ code: en }]\ncallouts: { note: tip }\n",
		  "site.yaml:2:19: error: callouts: 'note' is already a kind of its own; list only other names\n" },
		{ "languages: [{ code: en }]\ncallouts: { tabs: tip }\n",
		  "site.yaml:2:19: error: callouts: 'tabs' is already a kind of its own; list only other names\n" },
		{ "languages: [{ code: en }]\ncallouts: { 'a b': tip }\n",
		  "site.yaml:2:20: error: callouts: 'a b' is not a notice name; a name is letters, digits, '-' and "
		  "'_', starting with a letter, as in '> [!PRIMARY]'\n" },
		{ "languages: [{ code: en }]\ncallouts: { alert: tip, ALERT: note }\n",
		  "site.yaml:2:32: error: callouts: 'ALERT' is given twice; keep only one\n" },
		{ "languages: [{ code: en }]\ncallouts: [note]\n",
		  "site.yaml:2:11: error: 'callouts' must be a mapping, not a list\n" },
		{ "languages: [{ code: en }]\ncallouts: { alert: [tip] }\n",
		  "site.yaml:2:20: error: callouts: 'list' is not a kind of notice; map 'alert' onto note, tip, "
		  "important, warning or caution\n" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(load_site(bad[i].yaml, &cfg, &a), PHARE_ERR_INPUT);
		if (strcmp(diag_captured(), bad[i].msg) != 0)
			fail_msg("case %zu:\n%s\nwanted: %sgot:    %s", i, bad[i].yaml, bad[i].msg, diag_captured());
	}
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(notice_every_kind), cmocka_unit_test(notice_titles),
		cmocka_unit_test(notice_foldable),   cmocka_unit_test(not_notices),
		cmocka_unit_test(notice_nested),     cmocka_unit_test(aliases),
		cmocka_unit_test(tabs),              cmocka_unit_test(tabs_errors),
		cmocka_unit_test(search_text),       cmocka_unit_test(site_callouts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

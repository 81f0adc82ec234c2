/* test_gfm.c: cmark-gfm's extensions as phare renders them (tables,
 * strikethrough, autolinks, task lists, footnotes, the tag filter), "{#id}"
 * heading attributes and their errors, and the pre-scans of md_limits.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/markdown.h"
#include "render/md_limits.h"
#include "util/diag.h"

static void capture(void)
{
	diag_reset();
	diag_set_quiet(true);
	diag_set_capture(true);
}

static phare_status link_seen(void *ctx, const char *url, bool image, int line, int col, buf *out)
{
	(void)image;
	buf *seen = ctx;
	buf_addf(seen, "[%s %d:%d]", url, line, col);
	buf_adds(out, url);
	return PHARE_OK;
}

/* Renders md (file line 1 is its first line); returns the status, the HTML in *doc. */
static phare_status render(const char *md, bool unsafe, md_doc *doc, buf *links)
{
	md_env env = { "x.md", 1, unsafe, link_seen, NULL, links, NULL };
	return markdown_render(&env, md, strlen(md), doc);
}

static void has(const md_doc *doc, const char *s)
{
	if (!strstr(doc->html.ptr, s))
		fail_msg("not in the HTML: %s\n---\n%s", s, doc->html.ptr);
}

static void pipe_tables(void **state)
{
	(void)state;
	md_doc doc = MD_DOC_INIT;
	buf links = BUF_INIT;
	assert_int_equal(render("| Clé | Prix | N |\n|:--|:-:|--:|\n| a | *b* | 1 |\n", false, &doc, &links), PHARE_OK);
	has(&doc, "<table>\n<thead>\n<tr>\n<th align=\"left\">Clé</th>\n<th align=\"center\">Prix</th>\n"
		  "<th align=\"right\">N</th>");
	has(&doc, "<td align=\"center\"><em>b</em></td>");
	md_doc_release(&doc);
	buf_release(&links);
}

static void strikethrough_double_tilde(void **state)
{
	(void)state;
	md_doc doc = MD_DOC_INIT;
	buf links = BUF_INIT;
	assert_int_equal(render("~~old~~ new, ~/home and ~one~\n", false, &doc, &links), PHARE_OK);
	has(&doc, "<p><del>old</del> new, ~/home and ~one~</p>");
	md_doc_release(&doc);
	buf_release(&links);
}

static void autolinks_are_checked(void **state)
{
	(void)state;
	md_doc doc = MD_DOC_INIT;
	buf links = BUF_INIT;
	assert_int_equal(render("Voir www.example.com et\nhttps://example.org/a.\n", false, &doc, &links), PHARE_OK);
	has(&doc, "<a href=\"http://www.example.com\">www.example.com</a>");
	has(&doc, "<a href=\"https://example.org/a\">https://example.org/a</a>.");
	assert_non_null(strstr(links.ptr, "[http://www.example.com 1:"));
	/* cmark-gfm gives "https://" autolinks no position: their paragraph's */
	assert_non_null(strstr(links.ptr, "[https://example.org/a 1:1]"));
	md_doc_release(&doc);
	buf_release(&links);
}

static void task_lists_have_labels(void **state)
{
	(void)state;
	md_doc doc = MD_DOC_INIT;
	buf links = BUF_INIT;
	assert_int_equal(render("- [ ] Sauvegarder *les* \"données\"\n- [x] Fait\n- pas une tâche\n", false, &doc, &links),
			 PHARE_OK);
	has(&doc, "<li><input type=\"checkbox\" disabled aria-label=\"Sauvegarder les &quot;données&quot;\"> "
		  "Sauvegarder <em>les</em>");
	has(&doc, "<li><input type=\"checkbox\" disabled checked aria-label=\"Fait\"> Fait</li>");
	has(&doc, "<li>pas une tâche</li>");
	assert_null(strstr(doc.html.ptr, "disabled=\"\" />")); /* cmark-gfm's own, unlabelled box */
	md_doc_release(&doc);
	buf_release(&links);
}

static void footnotes_and_back_links(void **state)
{
	(void)state;
	md_doc doc = MD_DOC_INIT;
	buf links = BUF_INIT;
	assert_int_equal(render("Un[^a] deux[^a] trois[^b].\n\n[^a]: Note A.\n[^b]: Note B.\n", false, &doc, &links),
			 PHARE_OK);
	has(&doc, "<a href=\"#fn-a\" id=\"fnref-a\" data-footnote-ref>1</a>");
	has(&doc, "<a href=\"#fn-a\" id=\"fnref-a-2\" data-footnote-ref>1</a>");
	has(&doc, "<li id=\"fn-a\">");
	has(&doc, "<a href=\"#fnref-a-2\" class=\"footnote-backref\"");
	has(&doc, "<li id=\"fn-b\">");
	md_doc_release(&doc);
	buf_release(&links);
}

static void tag_filter_when_unsafe(void **state)
{
	(void)state;
	md_doc doc = MD_DOC_INIT;
	buf links = BUF_INIT;
	assert_int_equal(render("<b>ok</b> <script>x</script>\n", true, &doc, &links), PHARE_OK);
	has(&doc, "<b>ok</b> &lt;script>x&lt;/script>");
	md_doc_release(&doc);
	assert_int_equal(render("<b>ok</b>\n", false, &doc, &links), PHARE_OK);
	assert_null(strstr(doc.html.ptr, "<b>")); /* safe by default */
	md_doc_release(&doc);
	buf_release(&links);
}

static void heading_attribute_ids(void **state)
{
	(void)state;
	md_doc doc = MD_DOC_INIT;
	buf links = BUF_INIT;
	capture();
	assert_int_equal(render("## Step 2\n\n## Étape 2 {#step-2}\n\n### A_b {#my_id}\n\n## Set {x}\n", false, &doc, &links),
			 PHARE_OK);
	has(&doc, "<h2 id=\"step-2-2\">Step 2</h2>"); /* the given id was taken first */
	has(&doc, "<h2 id=\"step-2\">Étape 2</h2>");
	has(&doc, "<h3 id=\"my_id\">A_b</h3>");
	has(&doc, "<h2 id=\"set-x\">Set {x}</h2>");
	assert_int_equal(doc.n_headings, 4);
	assert_string_equal(doc.headings[1].text, "Étape 2");
	assert_int_equal((int)diag_errors(), 0);
	md_doc_release(&doc);
	buf_release(&links);
}

static void heading_attribute_errors(void **state)
{
	(void)state;
	md_doc doc = MD_DOC_INIT;
	buf links = BUF_INIT;
	capture();
	assert_int_equal(render("## A {#x}\n\ntext\n\n## B {#x}\n\n## C {#étape}\n\n## D {#}\n", false, &doc, &links),
			 PHARE_ERR_INPUT);
	assert_string_equal(diag_captured(),
			    "x.md:5:6: error: duplicate heading id '{#x}': another heading of this page has it "
			    "(line 1); give each heading its own id\n"
			    "x.md:7:6: error: heading id '{#étape}' may hold only letters A-Z a-z, digits, '-' "
			    "and '_'; write it with those\n"
			    "x.md:9:6: error: heading id '{#}' may hold only letters A-Z a-z, digits, '-' and "
			    "'_'; write it with those\n");
	md_doc_release(&doc);
	buf_release(&links);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pipe_tables),
		cmocka_unit_test(strikethrough_double_tilde),
		cmocka_unit_test(autolinks_are_checked),
		cmocka_unit_test(task_lists_have_labels),
		cmocka_unit_test(footnotes_and_back_links),
		cmocka_unit_test(tag_filter_when_unsafe),
		cmocka_unit_test(heading_attribute_ids),
		cmocka_unit_test(heading_attribute_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

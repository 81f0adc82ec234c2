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
#include <unistd.h>

#include <cmark-gfm.h>

#include "render/imgsize.h"
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

/* "/a.png" is 640 x 480; no other image has a known size. */
static bool fake_size(void *ctx, const char *url, int *w, int *h)
{
	(void)ctx;
	if (strcmp(url, "/a.png") != 0)
		return false;
	*w = 640;
	*h = 480;
	return true;
}

/* Renders md (file line 1 is its first line); returns the status, the HTML in *doc. */
static phare_status render(const char *md, bool unsafe, md_doc *doc, buf *links)
{
	md_env env = { .path = "x.md", .first_line = 1, .unsafe_html = unsafe, .link = link_seen, .ctx = links, .image_size = fake_size };
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

/* Each pipe table in a keyboard-reachable scrolling region, named by "Table"
 * in the page's language and the header row's text. */
static void pipe_table_scroll_region(void **state)
{
	(void)state;
	md_doc doc = MD_DOC_INIT;
	const char *md = "| Offre | `vCPU` |  | RAM <b> |\n|--|--|--|--|\n| a | 1 | | 2 |\n\ntext\n\n"
			 "| |\n|--|\n| x |\n";
	md_env env = { .path = "x.md", .first_line = 1, .table_name = "Tableau" };
	assert_int_equal(markdown_render(&env, md, strlen(md), &doc), PHARE_OK);
	has(&doc, "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" "
		  "aria-label=\"Tableau: Offre, vCPU, RAM\">\n<table>");
	has(&doc, "</table>\n</div>\n<p>text</p>");
	has(&doc, "aria-label=\"Tableau\">\n<table>"); /* no header text: the name alone */
	md_doc_release(&doc);

	/* wide headers: the cells past 80 bytes become "…"; no name given: English */
	md = "| aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb | c | d |\n"
	     "|--|--|--|--|\n";
	env.table_name = NULL;
	assert_int_equal(markdown_render(&env, md, strlen(md), &doc), PHARE_OK);
	has(&doc, "aria-label=\"Table: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, "
		  "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, …\"");
	md_doc_release(&doc);
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
	/* The back-links' name in the page's language, escaped. */
	md_env env = { .path = "x.md", .first_line = 1, .link = link_seen, .ctx = &links, .footnote_back = "Retour au \"texte\"" };
	const char *md = "Un[^a].\n\n[^a]: Note A.\n";
	assert_int_equal(markdown_render(&env, md, strlen(md), &doc), PHARE_OK);
	has(&doc, "data-footnote-backref aria-label=\"Retour au &quot;texte&quot;\">");
	assert_null(strstr(doc.html.ptr, "Back to content"));
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

static void heading_ids_clear_of_footnotes(void **state)
{
	(void)state;
	md_doc doc = MD_DOC_INIT;
	buf links = BUF_INIT;
	capture();
	assert_int_equal(render("## Fn 1\n\nUne note[^1] et[^1].\n\n## Fnref 1 2\n\n## Fn 2\n\n[^1]: La note.\n", false,
				&doc, &links),
			 PHARE_OK);
	has(&doc, "<h2 id=\"fn-1-2\">Fn 1</h2>");         /* fn-1 is the note's */
	has(&doc, "<h2 id=\"fnref-1-2-2\">Fnref 1 2</h2>"); /* fnref-1-2: its second reference */
	has(&doc, "<h2 id=\"fn-2\">Fn 2</h2>");           /* no footnote [^2] */
	md_doc_release(&doc);
	/* "fnref-1-N" is a reference's only up to the number of references:
	 * the search for a free id ends (fuzz_markdown hung on it). */
	assert_int_equal(render("## Fnref 1\n\n## Fnref 1\n\n## Fnref 1\n\nA[^1] B[^1].\n\n[^1]: N\n", false, &doc, &links),
			 PHARE_OK);
	/* (three "[^1]", the definition's counted too: fnref-1-3 is kept clear as well) */
	has(&doc, "<h2 id=\"fnref-1-4\">Fnref 1</h2>\n<h2 id=\"fnref-1-5\">Fnref 1</h2>\n<h2 id=\"fnref-1-6\">");
	has(&doc, "<li id=\"fn-1\">");
	md_doc_release(&doc);
	assert_int_equal(render("## X {#fnref-1}\n\nA[^1].\n\n[^1]: B\n", false, &doc, &links), PHARE_ERR_INPUT);
	assert_string_equal(diag_captured(), "x.md:1:6: error: heading id '{#fnref-1}' is the id of a footnote of "
					     "this page ([^…]); give the heading another id\n");
	md_doc_release(&doc);
	buf_release(&links);
}

/* s repeated n times, then tail. */
static char *repeat(const char *s, size_t n, const char *tail)
{
	size_t k = strlen(s), t = strlen(tail);
	char *out = malloc(k * n + t + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(out + i * k, s, k);
	memcpy(out + k * n, tail, t + 1);
	return out;
}

/* md_limits_check on text, which starts on line 4; the message or "". */
static const char *limits(const char *text, phare_status want)
{
	capture();
	assert_int_equal(md_limits_check("x.md", 4, text, strlen(text)), want);
	return diag_captured() ? diag_captured() : "";
}

static void limit_nesting(void **state)
{
	(void)state;
	char *ok = repeat("> ", 100, "- 1. a\n"), *bad = repeat(">", 101, "a*a*\n");
	char *lists = repeat("- ", 50, ""), *deep = repeat("1) ", 60, "a\n");
	char *both = malloc(strlen(lists) + strlen(deep) + 1);
	strcpy(both, lists);
	strcat(both, deep);
	limits(ok + 4, PHARE_OK); /* 98 '>', then '-' and "1.": 100 */
	assert_string_equal(limits(bad, PHARE_ERR_LIMIT),
			    "x.md:4:101: error: more than 100 block quotes and list items ('>', '-', '*', '+', "
			    "'1.') nested on one line; cmark-gfm slows down quadratically on them: nest less deeply\n");
	assert_string_equal(limits(both, PHARE_ERR_LIMIT), /* 50 "- " then the 51st "1) " */
			    "x.md:4:251: error: more than 100 block quotes and list items ('>', '-', '*', '+', "
			    "'1.') nested on one line; cmark-gfm slows down quadratically on them: nest less deeply\n");
	limits("-a -b *c* 1.5 and 12345678901. x\n", PHARE_OK);
	free(ok);
	free(bad);
	free(lists);
	free(deep);
	free(both);
}

static void limit_table_columns(void **state)
{
	(void)state;
	char *head200 = repeat("|a", 200, "|\n"), *delim200 = repeat("|-", 200, "|\n");
	char *delim201 = repeat("| :-: ", 201, "\n");
	char *ok = malloc(strlen(head200) + strlen(delim200) + 1), *bad = NULL;
	strcpy(ok, head200);
	strcat(ok, delim200);
	limits(ok, PHARE_OK);
	bad = malloc(strlen(head200) + strlen(delim201) + 3);
	strcpy(bad, head200);
	strcat(bad, "> ");
	strcat(bad, delim201);
	assert_string_equal(limits(bad, PHARE_ERR_LIMIT),
			    "x.md:5:3: error: a table of 201 columns, more than 200; cmark-gfm slows down "
			    "quadratically on them: split the table\n");
	limits("a\n---\n- a|b\n", PHARE_OK); /* no pipe: a setext underline */
	free(head200);
	free(delim200);
	free(delim201);
	free(ok);
	free(bad);
}

static void limit_table_cells(void **state)
{
	(void)state;
	/* 2 columns: header and delimiter 4 cells, then 49,998 rows: 100,000 */
	char *ok = repeat("a|b\n", 50000, ""), *bad = repeat("a|b\n", 50001, "");
	memcpy(ok, "a|b\n-|-\n", 8);
	memcpy(bad, "a|b\n-|-\n", 8);
	limits(ok, PHARE_OK);
	assert_string_equal(limits(bad, PHARE_ERR_LIMIT),
			    "x.md:50004:1: error: a table of more than 100000 cells (2 columns); cmark-gfm "
			    "slows down on them: split the table, or end it with a blank line\n");
	char *split = repeat("a|b\n", 60000, "");
	memcpy(split, "a|b\n-|-\n", 8);
	memcpy(split + 4 * 30000, "   \n", 4); /* a blank line ends the table */
	limits(split, PHARE_OK);
	free(ok);
	free(bad);
	free(split);
}

static void limit_autolinks_and_footnotes(void **state)
{
	(void)state;
	char *at_ok = repeat("a@b ", 10000, ""), *at_bad = repeat("a@b ", 10000, "\nx@");
	char *fn_ok = repeat("[^1] ", 10000, ""), *fn_bad = repeat("[^1] ", 10000, "\n\n[^1]: x\n");
	limits(at_ok, PHARE_OK);
	assert_string_equal(limits(at_bad, PHARE_ERR_LIMIT),
			    "x.md:5:2: error: more than 10000 '@' in one file (each may be an e-mail autolink); "
			    "cmark-gfm slows down on them: split the article\n");
	limits(fn_ok, PHARE_OK);
	assert_string_equal(limits(fn_bad, PHARE_ERR_LIMIT),
			    "x.md:6:1: error: more than 10000 '[^' (footnote references and definitions) in one "
			    "file; cmark-gfm slows down on them: split the article\n");
	free(at_ok);
	free(at_bad);
	free(fn_ok);
	free(fn_bad);
}

/* The body is not NUL-terminated (fuzz_markdown found strspn reading past
 * a last line of blanks): exactly n bytes, for ASan to see a read past. */
static void limit_scan_stays_in_bounds(void **state)
{
	(void)state;
	static const char *const bodies[] = { "\xfft\r\x80\b", "a|b\n-|-\n  \r", "> > ", "x@" };
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		size_t n = strlen(bodies[i]);
		char *exact = malloc(n);
		memcpy(exact, bodies[i], n);
		capture();
		assert_int_equal(md_limits_check("x.md", 1, exact, n), PHARE_OK);
		free(exact);
	}
}

static void images_sizes_lazy_figures(void **state)
{
	(void)state;
	md_doc doc = MD_DOC_INIT;
	buf links = BUF_INIT;
	assert_int_equal(render("![Un *disque*](/a.png \"Le disque\")\n\n"
				"Texte ![b](/b.png) et ![a](/a.png \"t\").\n\n![seule](/a.png)\n",
				false, &doc, &links),
			 PHARE_OK);
	has(&doc, "<figure><img src=\"/a.png\" alt=\"Un disque\" width=\"640\" height=\"480\" />"
		  "<figcaption>Le disque</figcaption></figure>\n");
	assert_null(strstr(doc.html.ptr, "<p><figure>"));
	has(&doc, "<p>Texte <img src=\"/b.png\" alt=\"b\" loading=\"lazy\" /> et "
		  "<img src=\"/a.png\" alt=\"a\" title=\"t\" width=\"640\" height=\"480\" loading=\"lazy\" />.</p>");
	has(&doc, "<p><img src=\"/a.png\" alt=\"seule\" width=\"640\" height=\"480\" loading=\"lazy\" /></p>");
	assert_null(strstr(doc.html.ptr, "\1"));
	md_doc_release(&doc);
	/* cmark-gfm's table cells take no marker: an image there gets no
	 * attributes, and the next one still gets its own. */
	assert_int_equal(render("![a](/a.png)\n\n| x |\n|---|\n| ![c](/c.png) |\n\n![b](/a.png)\n", false, &doc, &links),
			 PHARE_OK);
	has(&doc, "<td><img src=\"/c.png\" alt=\"c\" /></td>");
	has(&doc, "<p><img src=\"/a.png\" alt=\"b\" width=\"640\" height=\"480\" loading=\"lazy\" /></p>");
	md_doc_release(&doc);
	/* A figure in safe mode drops a javascript: source, as cmark does. */
	assert_int_equal(render("![x](javascript:alert(1) \"T\")\n", false, &doc, &links), PHARE_OK);
	has(&doc, "<figure><img src=\"\" alt=\"x\" /><figcaption>T</figcaption></figure>");
	md_doc_release(&doc);
	buf_release(&links);
}

static void image_headers(void **state)
{
	(void)state;
	int w = 0, h = 0;
	static const unsigned char png[] = "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x02\x80\0\0\x01\xe0\x08\x06\0\0\0";
	static const unsigned char gif[] = "GIF89a\x20\x03\x58\x02\0\0";
	static const unsigned char vp8[] = "RIFF\0\0\0\0WEBPVP8 \0\0\0\0\0\0\0\x9d\x01\x2a\x80\x02\xe0\x01\0\0";
	static const unsigned char vp8l[] = "RIFF\0\0\0\0WEBPVP8L\0\0\0\0\x2f\x7f\xc0\x77\x00\0\0\0\0";
	static const unsigned char vp8x[] = "RIFF\0\0\0\0WEBPVP8X\0\0\0\0\0\0\0\0\x7f\x02\0\xdf\x01\0\0\0";
	static const unsigned char jpg[] = "\xff\xd8\xff\xe0\0\x04\0\0\xff\xc0\0\x11\x08\x01\xe0\x02\x80\x03";
	assert_true(imgsize_data(png, sizeof png - 1, &w, &h));
	assert_int_equal(w * 10000 + h, 640 * 10000 + 480);
	assert_true(imgsize_data(gif, sizeof gif - 1, &w, &h));
	assert_int_equal(w * 10000 + h, 800 * 10000 + 600);
	assert_true(imgsize_data(vp8, sizeof vp8 - 1, &w, &h));
	assert_int_equal(w * 10000 + h, 640 * 10000 + 480);
	assert_true(imgsize_data(vp8l, sizeof vp8l - 1, &w, &h));
	assert_int_equal(w * 10000 + h, 128 * 10000 + 480);
	assert_true(imgsize_data(vp8x, sizeof vp8x - 1, &w, &h));
	assert_int_equal(w * 10000 + h, 640 * 10000 + 480);
	assert_true(imgsize_data(jpg, sizeof jpg - 1, &w, &h));
	assert_int_equal(w * 10000 + h, 640 * 10000 + 480);
	const char *svg1 = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40px\" height='20'>";
	const char *svg2 = "<svg width=\"100%\" height=\"100%\" viewBox=\"0 0 300.4 150\">";
	assert_true(imgsize_data((const unsigned char *)svg1, strlen(svg1), &w, &h));
	assert_int_equal(w * 10000 + h, 40 * 10000 + 20);
	assert_true(imgsize_data((const unsigned char *)svg2, strlen(svg2), &w, &h));
	assert_int_equal(w * 10000 + h, 300 * 10000 + 150);
	/* Cut short, or lying: no size, no read past the end (ASan checks). */
	for (size_t n = 0; n < 24; n++) /* the PNG's size ends at byte 24 */
		assert_false(imgsize_data(png, n, &w, &h));
	for (size_t n = 0; n < 17; n++) /* the JPEG's SOF at 8, its size at 13..17 */
		assert_false(imgsize_data(jpg, n, &w, &h));
	for (size_t n = 0; n < 30; n++)
		assert_false(imgsize_data(vp8, n, &w, &h));
	assert_false(imgsize_data((const unsigned char *)"<svg width=\"0\" height=\"5\">", 26, &w, &h));
	assert_false(imgsize_data((const unsigned char *)"<svg width=\"4em\" height=\"5\"", 27, &w, &h));
	static const unsigned char huge[] = "GIF89a\0\0\x58\x02\0\0"; /* width 0 */
	assert_false(imgsize_data(huge, sizeof huge - 1, &w, &h));
	static const unsigned char loop[] = "\xff\xd8\xff\xe0\0\x00\0\0\0\0\0\0"; /* segment length 0 */
	assert_false(imgsize_data(loop, sizeof loop - 1, &w, &h));
}

/* A JPEG whose SOF lies after 60 KB of EXIF: found by skipping the
 * segment, not by reading it. */
static void image_file_jpeg_far_sof(void **state)
{
	(void)state;
	char path[] = "/tmp/phare-imgsize-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	static unsigned char data[4 + 60000 + 20];
	memcpy(data, "\xff\xd8\xff\xe1", 4);
	data[4] = (unsigned char)(60000 >> 8);
	data[5] = (unsigned char)(60000 & 0xff);
	memcpy(data + 4 + 60000, "\xff\xc2\0\x11\x08\x00\x10\x00\x20\x03", 10);
	assert_int_equal(write(fd, data, sizeof data), (int)sizeof data);
	close(fd);
	int w = 0, h = 0;
	assert_true(imgsize_file(path, &w, &h));
	assert_int_equal(w * 10000 + h, 32 * 10000 + 16);
	truncate(path, 4 + 60000 + 6); /* the SOF cut short */
	assert_false(imgsize_file(path, &w, &h));
	unlink(path);
	assert_false(imgsize_file(path, &w, &h)); /* gone */
}


/* markdown_is_plain promises what cmark does: for every string it accepts,
 * cmark renders "<p>" s "</p>\n".  Checked on strings made of the bytes
 * that matter (block starts, inline syntax, escapes, spaces, UTF-8 good and
 * bad), 200,000 of them, and on hand-picked cells; and it must accept the
 * plain cells, or the fast path would never be taken. */
static void plain_text_is_what_cmark_renders(void **state)
{
	(void)state;
	static const char *const pieces[] = { "a", "Z", "0", "9", " ", "  ", ".", ")", ",", ";", ":", "(", "/", "%", "'",
					      "?", "+", "-", "=", "*", "_", "`", "<", ">", "&", "\\", "[", "]", "!",
					      "#", "~", "|", "\"", "\n", "\t", "é", "\xc2\xa0", "\xc3", "\xed\xa0\x80",
					      "1.", "2)", "www.", "http://", "&amp;", "---", "===" };
	size_t n_pieces = sizeof pieces / sizeof pieces[0], accepted = 0;
	unsigned long long x = 88172645463325252ULL;
	char s[64], want[80];
	for (int i = 0; i < 200000; i++) {
		s[0] = '\0';
		size_t len = 0;
		for (int k = 0; k < 1 + i % 6; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			const char *p = pieces[x % n_pieces];
			if (len + strlen(p) >= sizeof s)
				break;
			strcpy(s + len, p);
			len += strlen(p);
		}
		if (!markdown_is_plain(s))
			continue;
		accepted++;
		char *html = cmark_markdown_to_html(s, len, CMARK_OPT_DEFAULT);
		snprintf(want, sizeof want, "<p>%s</p>\n", s);
		if (strcmp(html, want) != 0)
			fail_msg("markdown_is_plain(\"%s\") but cmark renders %s", s, html);
		free(html);
	}
	assert_true(accepted > 1000);
	static const char *const cells[] = { "Oui", "4 vCPU", "Jusqu'à 64 Go", "Café (bêta)", "50 %", "3.5 Go", "A: b" };
	for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++)
		assert_true(markdown_is_plain(cells[i]));
	static const char *const not_plain[] = { "1. Oui", "2)", "a *b*", "x & y", "a <b>", "", " a", "a ", "# a", "a\nb" };
	for (size_t i = 0; i < sizeof not_plain / sizeof not_plain[0]; i++)
		assert_false(markdown_is_plain(not_plain[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_text_is_what_cmark_renders),
		cmocka_unit_test(pipe_tables),
		cmocka_unit_test(pipe_table_scroll_region),
		cmocka_unit_test(strikethrough_double_tilde),
		cmocka_unit_test(autolinks_are_checked),
		cmocka_unit_test(task_lists_have_labels),
		cmocka_unit_test(footnotes_and_back_links),
		cmocka_unit_test(tag_filter_when_unsafe),
		cmocka_unit_test(heading_attribute_ids),
		cmocka_unit_test(heading_attribute_errors),
		cmocka_unit_test(heading_ids_clear_of_footnotes),
		cmocka_unit_test(limit_nesting),
		cmocka_unit_test(limit_table_columns),
		cmocka_unit_test(limit_table_cells),
		cmocka_unit_test(limit_autolinks_and_footnotes),
		cmocka_unit_test(limit_scan_stays_in_bounds),
		cmocka_unit_test(images_sizes_lazy_figures),
		cmocka_unit_test(image_headers),
		cmocka_unit_test(image_file_jpeg_far_sof),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

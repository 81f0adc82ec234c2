/* test_mustache.c: what phare asks of its Mustache engine beyond the
 * specification: syntax errors with their exact place and words, missing
 * partials, bounded partial recursion, real nested data, escaping, and
 * rendering one set from several threads at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/mustache.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/value.h"
#include "util/yamldoc.h"

static int capture_setup(void **state)
{
	(void)state;
	diag_set_quiet(true);
	diag_set_capture(true);
	diag_reset();
	return 0;
}

static int capture_teardown(void **state)
{
	(void)state;
	diag_reset();
	diag_set_capture(false);
	diag_set_quiet(false);
	return 0;
}

static value *yaml(arena *a, const char *text)
{
	value *v = NULL;
	assert_int_equal(yamldoc_parse(a, "data.yaml", text, strlen(text), 1, &v), PHARE_OK);
	return v;
}

/* Renders src (as template "t") with data given as YAML; returns a static copy. */
static const char *render(const char *src, const char *data_yaml)
{
	static char result[4096];
	arena a = ARENA_INIT;
	mustache_set *s = mustache_set_new();
	assert_int_equal(mustache_set_add(s, "t", "t.mustache", src, strlen(src)), PHARE_OK);
	buf out = BUF_INIT;
	assert_int_equal(mustache_render(s, "t", data_yaml ? yaml(&a, data_yaml) : NULL, &out),
			 PHARE_OK);
	assert_true(out.len < sizeof(result));
	memcpy(result, out.ptr, out.len + 1);
	buf_release(&out);
	mustache_set_free(s);
	arena_release(&a);
	return result;
}

/* Compiling src must fail with exactly the message want (one line). */
static void syntax_error(const char *src, const char *want)
{
	diag_reset();
	mustache_set *s = mustache_set_new();
	assert_int_equal(mustache_set_add(s, "t", "templates/t.mustache", src, strlen(src)),
			 PHARE_ERR_INPUT);
	assert_false(mustache_set_has(s, "t"));
	assert_string_equal(diag_captured(), want);
	assert_int_equal(diag_errors(), 1);
	mustache_set_free(s);
}

static void errors_have_place_and_words(void **state)
{
	(void)state;
	syntax_error("a\n  {{b",
		     "templates/t.mustache:2:3: error: unclosed tag '{{b': no '}}' closes it "
		     "before the end of the file; close the tag\n");
	syntax_error("{{{title}}",
		     "templates/t.mustache:1:1: error: unclosed tag '{{{title}}': no '}}}' closes "
		     "it before the end of the file; close the tag\n");
	syntax_error("x\n{{#items}}\n{{#b}}{{/b}}\n",
		     "templates/t.mustache:2:1: error: section 'items' is never closed; add "
		     "{{/items}} where it ends\n");
	syntax_error("{{#a}}\n {{/b}}",
		     "templates/t.mustache:2:2: error: '{{/b}}' closes section 'b', but the open "
		     "section is 'a' (line 1:1); close 'a' first\n");
	syntax_error("text {{/a}}",
		     "templates/t.mustache:1:6: error: '{{/a}}' closes section 'a', which is not "
		     "open; remove it or open the section before it\n");
	syntax_error("\n\n   {{=<%=}}",
		     "templates/t.mustache:3:4: error: bad delimiter change '=<%=': write two "
		     "delimiters separated by a space, without '=' or blanks in them, e.g. "
		     "{{=<% %>=}}\n");
	syntax_error("{{=<% %> x=}}",
		     "templates/t.mustache:1:1: error: bad delimiter change '=<% %> x=': write two "
		     "delimiters separated by a space, without '=' or blanks in them, e.g. "
		     "{{=<% %>=}}\n");
	syntax_error("a {{ }} b",
		     "templates/t.mustache:1:3: error: empty tag '{{ }}': put a name inside, e.g. "
		     "{{title}}\n");
	syntax_error("{{page title}}",
		     "templates/t.mustache:1:1: error: tag '{{page title}}' has a blank inside its "
		     "name; a name is one word, e.g. {{page.title}}\n");
	syntax_error("{{page..title}}",
		     "templates/t.mustache:1:1: error: malformed name 'page..title': a dotted name is "
		     "words separated by single dots, e.g. {{page.title}}\n");
	/* Columns count characters, not bytes; the new delimiters are quoted. */
	syntax_error("été {{=<% %>=}}\n<%a",
		     "templates/t.mustache:2:1: error: unclosed tag '<%a': no '%>' closes it "
		     "before the end of the file; close the tag\n");
	syntax_error("« {{> }}",
		     "templates/t.mustache:1:3: error: empty tag '{{> }}': put a name inside, e.g. "
		     "{{title}}\n");
}

static void section_nesting_is_bounded(void **state)
{
	(void)state;
	buf src = BUF_INIT;
	for (int i = 0; i < MUSTACHE_MAX_SECTION_DEPTH + 1; i++)
		buf_adds(&src, "{{#a}}");
	syntax_error(src.ptr, "templates/t.mustache:1:601: error: sections nest more than 100 "
			      "deep; simplify the template\n");
	buf_release(&src);
}

static void failed_add_keeps_previous(void **state)
{
	(void)state;
	mustache_set *s = mustache_set_new();
	assert_int_equal(mustache_set_add(s, "t", "a", "old", 3), PHARE_OK);
	assert_int_equal(mustache_set_add(s, "t", "b", "{{#x}}", 6), PHARE_ERR_INPUT);
	buf out = BUF_INIT;
	assert_int_equal(mustache_render(s, "t", NULL, &out), PHARE_OK);
	assert_string_equal(out.ptr, "old");
	/* A later add replaces (a site template overriding the theme's). */
	assert_int_equal(mustache_set_add(s, "t", "c", "new", 3), PHARE_OK);
	buf_reset(&out);
	assert_int_equal(mustache_render(s, "t", NULL, &out), PHARE_OK);
	assert_string_equal(out.ptr, "new");
	buf_reset(&out);
	diag_reset();
	assert_int_equal(mustache_render(s, "nope", NULL, &out), PHARE_ERR_INPUT);
	assert_string_equal(diag_captured(),
			    "phare: error: no template named 'nope'; add it to the theme\n");
	buf_release(&out);
	mustache_set_free(s);
}

static void missing_partials_are_reported(void **state)
{
	(void)state;
	mustache_set *s = mustache_set_new();
	const char *page = "<body>\n  {{> partials/header}}\n{{>partials/footr}}</body>";
	const char *header = "<h1>{{title}}</h1>{{#x}} {{> icons/logo }}{{/x}}\n";
	assert_int_equal(mustache_set_add(s, "page", "templates/page.mustache", page, strlen(page)),
			 PHARE_OK);
	assert_int_equal(mustache_set_add(s, "partials/header", "templates/partials/header.mustache",
					  header, strlen(header)), PHARE_OK);
	diag_reset();
	assert_int_equal(mustache_set_check(s), PHARE_ERR_INPUT);
	assert_string_equal(diag_captured(),
			    "templates/page.mustache:3:1: error: partial 'partials/footr' not found: "
			    "no template of that name; create it or fix the name\n"
			    "templates/partials/header.mustache:1:26: error: partial 'icons/logo' not "
			    "found: no template of that name; create it or fix the name\n");
	/* Rendering anyway: a missing partial is empty (the specification). */
	arena a = ARENA_INIT;
	buf out = BUF_INIT;
	assert_int_equal(mustache_render(s, "page", yaml(&a, "title: Hi\nx: true\n"), &out),
			 PHARE_OK);
	assert_string_equal(out.ptr, "<body>\n  <h1>Hi</h1> \n</body>");
	const char *logo = "LOGO";
	assert_int_equal(mustache_set_add(s, "icons/logo", "l", logo, 4), PHARE_OK);
	assert_int_equal(mustache_set_add(s, "partials/footr", "f", "", 0), PHARE_OK);
	diag_reset();
	assert_int_equal(mustache_set_check(s), PHARE_OK);
	assert_string_equal(diag_captured(), "");
	buf_release(&out);
	arena_release(&a);
	mustache_set_free(s);
}

static void partial_recursion_is_bounded(void **state)
{
	(void)state;
	mustache_set *s = mustache_set_new();
	const char *self = "x\n {{> partials/self}}";
	assert_int_equal(mustache_set_add(s, "partials/self", "templates/partials/self.mustache",
					  self, strlen(self)), PHARE_OK);
	assert_int_equal(mustache_set_check(s), PHARE_OK);
	buf out = BUF_INIT;
	diag_reset();
	assert_int_equal(mustache_render(s, "partials/self", NULL, &out), PHARE_ERR_LIMIT);
	assert_string_equal(diag_captured(),
			    "templates/partials/self.mustache:2:2: error: partial 'partials/self' "
			    "nests more than 64 levels deep; does it include itself? Make the "
			    "inclusion stop\n");
	/* Two that include each other, inside a section. */
	assert_int_equal(mustache_set_add(s, "a", "a.mustache", "{{#.}}{{>b}}{{/.}}", 18), PHARE_OK);
	assert_int_equal(mustache_set_add(s, "b", "b.mustache", "[{{>a}}]", 8), PHARE_OK);
	diag_reset();
	buf_reset(&out);
	arena a = ARENA_INIT;
	assert_int_equal(mustache_render(s, "a", yaml(&a, "k: v"), &out), PHARE_ERR_LIMIT);
	assert_int_equal(diag_errors(), 1);
	assert_non_null(strstr(diag_captured(), "a.mustache:1:7: error: partial 'b' nests more"));
	/* Recursion that ends by itself (a tree) is fine.  Leaves need their own
	 * empty kids: a missing one would be found up the context stack. */
	const char *tree = "{{name}}{{#kids}}({{>tree}}){{/kids}}";
	assert_int_equal(mustache_set_add(s, "tree", "tree.mustache", tree, strlen(tree)), PHARE_OK);
	buf_reset(&out);
	assert_int_equal(mustache_render(s, "tree",
					 yaml(&a, "name: r\nkids:\n  - name: a\n    kids: [{name: b, kids: []}]\n"
						  "  - {name: c, kids: []}\n"), &out), PHARE_OK);
	assert_string_equal(out.ptr, "r(a(b))(c)");
	arena_release(&a);
	buf_release(&out);
	mustache_set_free(s);
}

static const char nested_data[] =
	"site:\n"
	"  title: Help & support\n"
	"  lang: fr\n"
	"page:\n"
	"  title: Install\n"
	"  weight: 10\n"
	"  draft: false\n"
	"  tags: [vps, kvm]\n"
	"  crumbs:\n"
	"    - {title: Home, url: /}\n"
	"    - {title: Guides, url: /guides/}\n"
	"  related: []\n"
	"  author: null\n";

static const char nested_template[] =
	"<html lang=\"{{site.lang}}\">\n"
	"<title>{{page.title}} - {{site.title}}</title>\n"
	"{{#page}}\n"
	"<nav>\n"
	"  {{#crumbs}}\n"
	"  <a href=\"{{url}}\">{{title}}</a> ({{site.lang}})\n"
	"  {{/crumbs}}\n"
	"</nav>\n"
	"<p>{{#tags}}[{{.}}]{{/tags}} w={{weight}} d={{draft}}</p>\n"
	"{{^related}}\n"
	"<p>No related articles.</p>\n"
	"{{/related}}\n"
	"{{^author}}anonymous{{/author}}{{#author}}by {{author}}{{/author}}\n"
	"{{/page}}\n"
	"{{#page.draft}}DRAFT{{/page.draft}}{{missing.deep.name}}|{{page.title.nope}}|\n";

static const char nested_expected[] =
	"<html lang=\"fr\">\n"
	"<title>Install - Help &amp; support</title>\n"
	"<nav>\n"
	"  <a href=\"/\">Home</a> (fr)\n"
	"  <a href=\"/guides/\">Guides</a> (fr)\n"
	"</nav>\n"
	"<p>[vps][kvm] w=10 d=false</p>\n"
	"<p>No related articles.</p>\n"
	"anonymous\n"
	"||\n";

static void nested_data_renders(void **state)
{
	(void)state;
	assert_string_equal(render(nested_template, nested_data), nested_expected);
}

static void escaping(void **state)
{
	(void)state;
	const char *data = "s: \"<a href='x'>\\\"Tom\\\" & Jerry</a>\"\nn: 3.50\nb: true\n"
			   "l: [1, 2]\nm: {k: v}\n";
	assert_string_equal(render("{{s}}", data),
			    "&lt;a href=&#39;x&#39;&gt;&quot;Tom&quot; &amp; Jerry&lt;/a&gt;");
	assert_string_equal(render("{{{s}}}|{{& s}}", data),
			    "<a href='x'>\"Tom\" & Jerry</a>|<a href='x'>\"Tom\" & Jerry</a>");
	/* Scalars print as written in the data; lists and maps print nothing. */
	assert_string_equal(render("{{n}} {{b}} [{{l}}] [{{m}}] [{{none}}]", data),
			    "3.50 true [] [] []");
	assert_string_equal(render("{{=<% %>=}}<%s%> {{s}} <%={{ }}=%>{{{n}}}", data),
			    "&lt;a href=&#39;x&#39;&gt;&quot;Tom&quot; &amp; Jerry&lt;/a&gt; {{s}} 3.50");
	assert_string_equal(render("a{{! a }} b }} {{!\n}}c", NULL), "a b }} c");
}

static void partial_indentation_nests(void **state)
{
	(void)state;
	mustache_set *s = mustache_set_new();
	const char *page = "<ul>\n  {{> list}}\n</ul>\n";
	const char *list = "{{#items}}\n<li>\n  {{> item}}\n</li>\n{{/items}}\n";
	const char *item = "{{name}}\n{{{html}}}\n";
	assert_int_equal(mustache_set_add(s, "page", "p", page, strlen(page)), PHARE_OK);
	assert_int_equal(mustache_set_add(s, "list", "l", list, strlen(list)), PHARE_OK);
	assert_int_equal(mustache_set_add(s, "item", "i", item, strlen(item)), PHARE_OK);
	arena a = ARENA_INIT;
	buf out = BUF_INIT;
	assert_int_equal(mustache_render(s, "page",
					 yaml(&a, "items:\n  - {name: a, html: \"<b>\\n</b>\"}\n"
						  "  - {name: b}\n"), &out), PHARE_OK);
	assert_string_equal(out.ptr, "<ul>\n"
				     "  <li>\n"
				     "    a\n"
				     "    <b>\n</b>\n"
				     "  </li>\n"
				     "  <li>\n"
				     "    b\n"
				     "    \n"
				     "  </li>\n"
				     "</ul>\n");
	buf_release(&out);
	arena_release(&a);
	mustache_set_free(s);
}

static void dynamic_partials(void **state)
{
	(void)state;
	mustache_set *s = mustache_set_new();
	const char *page = "{{#blocks}}{{>*kind}}{{/blocks}}";
	assert_int_equal(mustache_set_add(s, "page", "page.mustache", page, strlen(page)), PHARE_OK);
	assert_int_equal(mustache_set_add(s, "blocks/note", "note.mustache", "<i>{{text}}</i>", 15),
			 PHARE_OK);
	assert_int_equal(mustache_set_add(s, "blocks/loop", "loop.mustache", "{{>*kind}}", 10),
			 PHARE_OK);
	/* Named by data: mustache_set_check cannot know them, and says nothing. */
	diag_reset();
	assert_int_equal(mustache_set_check(s), PHARE_OK);
	assert_string_equal(diag_captured(), "");
	arena a = ARENA_INIT;
	buf out = BUF_INIT;
	assert_int_equal(mustache_render(s, "page",
					 yaml(&a, "blocks:\n  - {kind: blocks/note, text: a<b}\n"
						  "  - {kind: blocks/nothing}\n  - {kind: 3}\n"), &out),
			 PHARE_OK);
	assert_string_equal(out.ptr, "<i>a&lt;b</i>");
	buf_reset(&out);
	assert_int_equal(mustache_render(s, "page", yaml(&a, "blocks: [{kind: blocks/loop}]"), &out),
			 PHARE_ERR_LIMIT);
	assert_string_equal(diag_captured(),
			    "loop.mustache:1:1: error: partial 'blocks/loop' nests more than 64 levels "
			    "deep; does it include itself? Make the inclusion stop\n");
	buf_release(&out);
	arena_release(&a);
	mustache_set_free(s);
}

typedef struct render_job {
	const mustache_set *set;
	const value *data;
	buf out;
	phare_status st;
} render_job;

static void *render_many(void *arg)
{
	render_job *job = arg;
	for (int i = 0; i < 200 && job->st == PHARE_OK; i++) {
		buf_reset(&job->out);
		job->st = mustache_render(job->set, "page", job->data, &job->out);
	}
	return NULL;
}

static void threads_share_a_set(void **state)
{
	(void)state;
	mustache_set *s = mustache_set_new();
	const char *page = "{{> head}}\n{{#page.crumbs}}\n  {{> crumb}}\n{{/page.crumbs}}\n";
	const char *crumb = "<a href=\"{{url}}\">{{title}}</a>\n{{site.title}}\n";
	assert_int_equal(mustache_set_add(s, "page", "p", page, strlen(page)), PHARE_OK);
	assert_int_equal(mustache_set_add(s, "head", "h", nested_template, strlen(nested_template)),
			 PHARE_OK);
	assert_int_equal(mustache_set_add(s, "crumb", "c", crumb, strlen(crumb)), PHARE_OK);
	arena a = ARENA_INIT;
	const value *data = yaml(&a, nested_data);
	buf want = BUF_INIT;
	assert_int_equal(mustache_render(s, "page", data, &want), PHARE_OK);
	assert_non_null(strstr(want.ptr, "  <a href=\"/guides/\">Guides</a>\n  Help &amp; support\n"));

	render_job jobs[2] = { { s, data, BUF_INIT, PHARE_OK }, { s, data, BUF_INIT, PHARE_OK } };
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, render_many, &jobs[i]), 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(jobs[i].st, PHARE_OK);
		assert_string_equal(jobs[i].out.ptr, want.ptr);
		buf_release(&jobs[i].out);
	}
	buf_release(&want);
	arena_release(&a);
	mustache_set_free(s);
}

/* A large template compiles and renders in one pass: no quadratic work. */
static void large_templates(void **state)
{
	(void)state;
	buf src = BUF_INIT, want = BUF_INIT;
	for (int i = 0; i < 20000; i++) {
		buf_adds(&src, "{{#l}}<{{.}}>{{/l}}{{! c }} x ");
		buf_adds(&want, "<1><2> x ");
	}
	mustache_set *s = mustache_set_new();
	assert_int_equal(mustache_set_add(s, "big", "big", src.ptr, src.len), PHARE_OK);
	arena a = ARENA_INIT;
	buf out = BUF_INIT;
	assert_int_equal(mustache_render(s, "big", yaml(&a, "l: [1, 2]"), &out), PHARE_OK);
	assert_true(buf_equals(&out, want.ptr));
	buf_release(&out);
	buf_release(&src);
	buf_release(&want);
	arena_release(&a);
	mustache_set_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(errors_have_place_and_words),
		cmocka_unit_test(section_nesting_is_bounded),
		cmocka_unit_test(failed_add_keeps_previous),
		cmocka_unit_test(missing_partials_are_reported),
		cmocka_unit_test(partial_recursion_is_bounded),
		cmocka_unit_test(nested_data_renders),
		cmocka_unit_test(escaping),
		cmocka_unit_test(partial_indentation_nests),
		cmocka_unit_test(dynamic_partials),
		cmocka_unit_test(threads_share_a_set),
		cmocka_unit_test(large_templates),
	};
	return cmocka_run_group_tests(tests, capture_setup, capture_teardown);
}

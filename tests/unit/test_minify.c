/* test_minify.c: the promises of render/minify.h: a table of cases for each
 * language (the traps first), unterminated input given back as is, every
 * prefix of every shipped asset read within bounds (under SANITIZE=1
 * AddressSanitizer sees an over-read), minifying twice the same as once,
 * and each shipped asset made smaller. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/minify.h"
#include "util/buf.h"

typedef bool (*minifier)(const char *in, size_t n, buf *out);

struct mcase {
	const char *in, *want;
};

static const struct mcase js_cases[] = {
	/* operators that would merge into ++ or -- */
	{ "a + ++b", "a+ ++b" },
	{ "a + +b", "a+ +b" },
	{ "a - -b", "a- -b" },
	{ "a - --b", "a- --b" },
	{ "a++ + b", "a++ +b" },
	{ "a + -b", "a+-b" },
	/* regular expressions: where they start, what they contain */
	{ "return /x  y/.test(s)", "return/x  y/.test(s)" },
	{ "typeof /x  y/", "typeof/x  y/" },
	{ "case /x  y/:", "case/x  y/:" },
	{ "x = /[/]+ a/g.exec(y)", "x=/[/]+ a/g.exec(y)" },
	{ "x = /a\\/ b/", "x=/a\\/ b/" },
	{ "f(c => /[a-z]  /.test(c))", "f(c=>/[a-z]  /.test(c))" },
	{ "x = a ? /b c/ : /d e/", "x=a?/b c/:/d e/" },
	{ "x = a / b / c", "x=a/b/c" },
	{ "x = (a) / 2 / c", "x=(a)/2/c" },
	{ "x = a / /re/.exec(s)", "x=a/ /re/.exec(s)" },
	{ "/re/ in x", "/re/ in x" },
	{ "/re/g in x", "/re/g in x" },
	{ "x = y / 2 /* c */ / 3", "x=y/2/3" },
	/* strings and template literals verbatim */
	{ "var s = '/* not a comment */'", "var s='/* not a comment */'" },
	{ "var u = \"http://example.org/a  b\"; // c", "var u=\"http://example.org/a  b\";" },
	{ "s = 'it\\'s  // so'", "s='it\\'s  // so'" },
	{ "x = `a  ${ b + `c ${ d }` } /* e */`;", "x=`a  ${ b + `c ${ d }` } /* e */`;" },
	{ "x = `${ \"}\" }  ${ {a: 1}.a }`", "x=`${ \"}\" }  ${ {a: 1}.a }`" },
	{ "o = { \xc3\x9f: 'ss' }", "o={\xc3\x9f:'ss'}" },
	/* comments and the newlines automatic semicolon insertion needs */
	{ "a /* x */ b", "a b" },
	{ "a /* \n */ b", "a\nb" },
	{ "a // x\nb", "a\nb" },
	{ "a = b\n++c", "a=b\n++c" },
	{ "return\nx", "return\nx" },
	{ "var a = 1\nvar b = 2", "var a=1\nvar b=2" },
	{ "a = b\n(c)", "a=b\n(c)" },
	{ "a = b\n[c]", "a=b\n[c]" },
	{ "x;\n  y", "x;y" },
	{ "f(a,\n  b)", "f(a,b)" },
	{ "p.then(f)\n  .catch(g)", "p.then(f).catch(g)" },
	{ "i++\nj", "i++\nj" },
	{ "}\nfunction f() {}", "}\nfunction f(){}" },
	{ "if (a) { b(); }\r\nelse c()", "if(a){b();}\nelse c()" },
	/* tokens that must stay apart */
	{ "1 .toString()", "1 .toString()" },
	{ "a < !--b", "a< !--b" },
	{ "var  x  =  new  Map ( )", "var x=new Map()" },
	{ "  \n\t x \n ", "x" },
	{ "", "" },
};

static const struct mcase css_cases[] = {
	{ "a { color: red; }", "a{color:red}" },
	{ "a { b: c;; }", "a{b:c}" },
	{ "a { b: c; ; d: e }", "a{b:c;d:e}" },
	/* a descendant combinator before : stays */
	{ "a :hover { x: y }", "a :hover{x:y}" },
	{ "a:hover, b::after {}", "a:hover,b::after{}" },
	{ ":not(.a) b { }", ":not(.a) b{}" },
	/* calc() needs its spaces around + and - */
	{ "a { width: calc(100% - 2rem); }", "a{width:calc(100% - 2rem)}" },
	{ "a { m: calc( 1px + -2px ) }", "a{m:calc(1px + -2px)}" },
	{ "a > b ~ c + d , e {}", "a>b~c + d,e{}" },
	{ "a { x: y !important; }", "a{x:y!important}" },
	{ "@media screen and (max-width: 600px) { a { b: c } }", "@media screen and (max-width:600px){a{b:c}}" },
	/* comments out, strings and url() verbatim */
	{ "/* c */ a { b: c; } /* d */", "a{b:c}" },
	{ "a::after { content: \"/* x */  y ;}\" }", "a::after{content:\"/* x */  y ;}\"}" },
	{ "a { background: url(data:image/png;base64,AA//BB==) }",
	  "a{background:url(data:image/png;base64,AA//BB==)}" },
	{ "a { b: URL(x;y) }", "a{b:URL(x;y)}" },
	{ "a { b: url( \"a b.png\" ) }", "a{b:url(\"a b.png\")}" },
	{ "a { b: myurl(x  y) }", "a{b:myurl(x y)}" },
	{ "a { font: 12px/1.5 \"A B\", 'C D' }", "a{font:12px/1.5 \"A B\",'C D'}" },
	{ "a { grid-template-areas: \"a b\"  \"c d\" }", "a{grid-template-areas:\"a b\" \"c d\"}" },
	/* escapes: kept with the space that ends a hex escape */
	{ ".a\\: b {}", ".a\\: b{}" },
	{ ".a\\;}", ".a\\;}" },
	{ ".\\31  a {}", ".\\31  a{}" },
	{ ".\\31 0 {}", ".\\31 0{}" },
	/* a comment between two words separates them; elsewhere it is nothing */
	{ "a/**/b", "a b" },
	{ ".a/**/.b{}", ".a.b{}" },
	{ "\n\t a \r\n", "a" },
	{ "", "" },
};

/* Inputs left unterminated: the input comes back as is. */
static const char *const js_open[] = {
	"var s = 'abc", "a = 1; /* x",  "x = `abc",     "x = /abc", "s = 'a\nb'",
	"x = `${ a `",  "x = /a\\\nb/", "x = `${ '}` ", "x = /a\\",
};
static const char *const css_open[] = {
	"a{content:\"x}", "a { b: c } /* x", "a{b:url(x}", "a{content:'a\nb'}", "a{b:\"c\\",
};

static char *minified(minifier f, const char *in, size_t n, bool *ok)
{
	buf out = BUF_INIT;
	*ok = f(in, n, &out);
	return buf_detach(&out, NULL);
}

static void check_table(minifier f, const char *lang, const struct mcase *c, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		bool ok;
		char *got = minified(f, c[i].in, strlen(c[i].in), &ok);
		if (!ok || strcmp(got, c[i].want) != 0)
			fail_msg("%s case %zu: %s\n  in:   [%s]\n  want: [%s]\n  got:  [%s]", lang, i,
				 ok ? "wrong" : "refused", c[i].in, c[i].want, got);
		/* minified again: the same */
		bool ok2;
		char *again = minified(f, got, strlen(got), &ok2);
		if (!ok2 || strcmp(again, got) != 0)
			fail_msg("%s case %zu not idempotent:\n  once:  [%s]\n  twice: [%s]", lang, i, got, again);
		free(again);
		free(got);
	}
}

static void js_table(void **state)
{
	(void)state;
	check_table(minify_js, "js", js_cases, sizeof js_cases / sizeof js_cases[0]);
}

static void css_table(void **state)
{
	(void)state;
	check_table(minify_css, "css", css_cases, sizeof css_cases / sizeof css_cases[0]);
}

static void check_open(minifier f, const char *const *in, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		buf out = BUF_INIT;
		buf_adds(&out, "kept:"); /* what was in out before stays */
		bool ok = f(in[i], strlen(in[i]), &out);
		if (ok)
			fail_msg("accepted unterminated [%s] as [%s]", in[i], out.ptr);
		assert_int_equal(out.len, 5 + strlen(in[i]));
		assert_memory_equal(out.ptr, "kept:", 5);
		assert_memory_equal(out.ptr + 5, in[i], strlen(in[i]));
		buf_release(&out);
	}
}

static void unterminated_given_back(void **state)
{
	(void)state;
	check_open(minify_js, js_open, sizeof js_open / sizeof js_open[0]);
	check_open(minify_css, css_open, sizeof css_open / sizeof css_open[0]);
}

static void by_name(void **state)
{
	(void)state;
	assert_true(minify_wants("assets/phare.css"));
	assert_true(minify_wants("tabs.js"));
	assert_false(minify_wants("logo.svg"));
	assert_false(minify_wants("a.json"));
	assert_false(minify_wants("js"));
	buf out = BUF_INIT;
	assert_false(minify_asset("logo.svg", "<svg>  </svg>", 13, &out));
	assert_string_equal(out.ptr, "<svg>  </svg>");
	buf_reset(&out);
	assert_true(minify_asset("a.css", "a { b: c; }", 11, &out));
	assert_string_equal(out.ptr, "a{b:c}");
	buf_reset(&out);
	assert_true(minify_asset("a.js", "a = 1 ;", 7, &out));
	assert_string_equal(out.ptr, "a=1;");
	buf_release(&out);
}

static const char *const assets[] = { "code.css",         "phare.css", "code.js", "phare.js",
				      "questionnaire.js", "search.js", "tabs.js" };

static char *read_asset(const char *name, size_t *n)
{
	char path[256];
	snprintf(path, sizeof path, "../../templates/assets/%s", name);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (tests run from tests/unit)", path);
	buf b = BUF_INIT;
	char chunk[4096];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, got);
	fclose(f);
	return buf_detach(&b, n);
}

static minifier for_name(const char *name) { return strstr(name, ".css") ? minify_css : minify_js; }

/* Each shipped asset: accepted, smaller, the same when minified again. */
static void shipped_assets_smaller_and_idempotent(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof assets / sizeof assets[0]; i++) {
		size_t n;
		char *src = read_asset(assets[i], &n);
		buf once = BUF_INIT, twice = BUF_INIT;
		if (!for_name(assets[i])(src, n, &once))
			fail_msg("%s: refused (something unterminated?)", assets[i]);
		if (once.len >= n * 9 / 10)
			fail_msg("%s: %zu bytes minified from %zu: not 10%% smaller", assets[i], once.len, n);
		assert_true(for_name(assets[i])(once.ptr, once.len, &twice));
		if (!buf_equals(&twice, once.ptr))
			fail_msg("%s: minified twice differs from once", assets[i]);
		buf_release(&once);
		buf_release(&twice);
		free(src);
	}
}

/* Every prefix of every asset (a file cut anywhere: inside a string, a
 * comment, a regex, an escape), in a block of exactly its size so that
 * AddressSanitizer catches a read past the end; the output is never longer
 * than the input. */
static void every_prefix_within_bounds(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof assets / sizeof assets[0]; i++) {
		size_t n;
		char *src = read_asset(assets[i], &n);
		for (size_t len = 0; len <= n; len += len < 400 ? 1 : 7) {
			char *cut = malloc(len ? len : 1);
			assert_non_null(cut);
			memcpy(cut, src, len);
			buf out = BUF_INIT;
			(void)for_name(assets[i])(cut, len, &out);
			if (out.len > len)
				fail_msg("%s cut at %zu: %zu bytes out", assets[i], len, out.len);
			buf_release(&out);
			free(cut);
		}
		free(src);
	}
}

/* Pathological input: deep template nesting, runs of openers, NUL bytes;
 * each is one pass (a run of a million bytes would take minutes if any
 * construct rescanned). */
static void pathological_inputs(void **state)
{
	(void)state;
	const char *units[] = { "`${", "/*", "'", "/", "url(", "\\", "a/**/", "${}", "}", "\0", "[/" };
	size_t big = 1 << 20;
	char *in = malloc(big);
	assert_non_null(in);
	for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
		size_t ul = units[u][0] ? strlen(units[u]) : 1;
		for (size_t j = 0; j < big; j++)
			in[j] = units[u][j % ul];
		buf out = BUF_INIT;
		(void)minify_js(in, big, &out);
		assert_true(out.len <= big);
		buf_reset(&out);
		(void)minify_css(in, big, &out);
		assert_true(out.len <= big);
		buf_release(&out);
	}
	free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(js_table),
		cmocka_unit_test(css_table),
		cmocka_unit_test(unterminated_given_back),
		cmocka_unit_test(by_name),
		cmocka_unit_test(shipped_assets_smaller_and_idempotent),
		cmocka_unit_test(every_prefix_within_bounds),
		cmocka_unit_test(pathological_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

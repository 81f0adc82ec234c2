/* test_highlight.c: render/highlight.h: tokens of a representative snippet
 * per language, the console's prompt/command/output split, info strings,
 * unknown languages, the exactness promise on fuzzed input (tags dropped
 * and entities decoded give the code back) and linear time on
 * pathological 256 KiB blocks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render/highlight.h"
#include "render/highlight_int.h"
#include "render/markdown.h"
#include "util/buf.h"
#include "util/utf8.h"

static char *hl(const char *lang, const char *code)
{
	buf out = BUF_INIT;
	const hl_lang *l = hl_find(lang, strlen(lang));
	assert_non_null(l);
	hl_render(l, code, strlen(code), &out);
	return buf_detach(&out, NULL);
}

typedef struct snippet {
	const char *lang, *code, *html;
} snippet;

#define S(c, x) "<span class=\"hl-" c "\">" x "</span>"

static const snippet snippets[] = {
	{ "bash", "sudo apt install -y nginx # web\n",
	  S("b", "sudo apt ") "install " S("a", "-y ") "nginx " S("c", "# web\n") },
	{ "sh", "FOO=1 ./run \"$HOME\" '$x' ${USER} $1 | grep x\n",
	  S("v", "FOO") S("o", "=") S("n", "1 ") S("b", "./run ") S("s", "&quot;$HOME&quot; '$x' ")
	  S("v", "${USER} $1 ") S("o", "| ") S("b", "grep ") "x\n" },
	{ "bash", "if true; then echo a#b; fi\n",
	  S("k", "if ") S("b", "true") S("o", "; ") S("k", "then ") S("b", "echo ") "a#b" S("o", "; ")
	  S("k", "fi\n") },
	{ "bash", "apt-get install \\\n  curl\n", S("b", "apt-get ") "install \\\n  curl\n" },
	{ "powershell", "Get-Service -Name sshd | Where-Object { $_.Status -eq 'Running' } # x\n",
	  S("b", "Get-Service ") S("a", "-Name ") "sshd " S("o", "| ") S("b", "Where-Object ") "{ "
	  S("v", "$_") ".Status " S("a", "-eq ") S("s", "'Running' ") "} " S("c", "# x\n") },
	{ "yaml", "# c\nserver:\n  port: 8080 # p\n  name: \"web\"\n  - a: yes\n",
	  S("c", "# c\n") S("a", "server") S("o", ":\n  ") S("a", "port") S("o", ": ") S("n", "8080 ")
	  S("c", "# p\n  ") S("a", "name") S("o", ": ") S("s", "&quot;web&quot;\n  ") S("o", "- ")
	  S("a", "a") S("o", ": ") S("k", "yes\n") },
	{ "yaml", "run: |\n  echo a: b\nnext: 1\n",
	  S("a", "run") S("o", ": |\n  ") S("s", "echo a: b\n") S("a", "next") S("o", ": ") S("n", "1\n") },
	{ "json", "{\"a\": [1, -2.5e3, true, null], \"b\": \"x\\\"y\"}\n",
	  "{" S("a", "&quot;a&quot;") ": [" S("n", "1") ", -" S("n", "2.5e3") ", " S("k", "true") ", "
	  S("k", "null") "], " S("a", "&quot;b&quot;") ": " S("s", "&quot;x\\&quot;y&quot;") "}\n" },
	{ "toml", "[server]\nport = 8080 # p\nname = \"x\"\n",
	  S("k", "[server]\n") S("a", "port ") S("o", "= ") S("n", "8080 ") S("c", "# p\n") S("a", "name ")
	  S("o", "= ") S("s", "&quot;x&quot;\n") },
	{ "ini", "; c\n[db]\nhost=localhost\n", S("c", "; c\n") S("k", "[db]\n") S("a", "host") S("o", "=") "localhost\n" },
	{ "nginx", "server {\n  listen 80;\n  root $root/www; # r\n}\n",
	  S("k", "server ") "{\n  " S("k", "listen ") S("n", "80") ";\n  " S("k", "root ") S("v", "$root") "/www; "
	  S("c", "# r\n") "}\n" },
	{ "apache", "<VirtualHost *:80>\n  ServerName x.org\n  RewriteRule ^ %{HTTP_HOST} [L]\n</VirtualHost>\n",
	  S("t", "&lt;VirtualHost *:80&gt;\n  ") S("k", "ServerName ") "x.org\n  " S("k", "RewriteRule ") "^ "
	  S("v", "%{HTTP_HOST} ") "[L]\n" S("t", "&lt;/VirtualHost&gt;\n") },
	{ "dockerfile", "FROM debian:12\nRUN apt-get update \\\n  && apt-get install -y curl\n",
	  S("k", "FROM ") "debian:12\n" S("k", "RUN ") "apt-get update \\\n  " S("o", "&amp;&amp; ")
	  "apt-get install " S("a", "-y ") "curl\n" },
	{ "sql", "SELECT name, COUNT(*) FROM `users` WHERE id = 'a''b' -- c\n",
	  S("k", "SELECT ") "name, " S("b", "COUNT") "(" S("o", "*") ") " S("k", "FROM ") S("v", "`users` ")
	  S("k", "WHERE ") "id " S("o", "= ") S("s", "'a''b' ") S("c", "-- c\n") },
	{ "python", "@app.route(\"/\")\ndef f(x):\n    \"\"\"Doc\n    more\"\"\"\n    return len(x) # n\n",
	  S("b", "@app.route") "(" S("s", "&quot;/&quot;") ")\n" S("k", "def ") S("b", "f") "(x)" S("o", ":\n    ")
	  S("s", "&quot;&quot;&quot;Doc\n    more&quot;&quot;&quot;\n    ") S("k", "return ") S("b", "len") "(x) "
	  S("c", "# n\n") },
	{ "php", "<?php\necho $name . 'x'; // c\n?>\n",
	  S("k", "&lt;?php\necho ") S("v", "$name ") S("o", ". ") S("s", "'x'") "; " S("c", "// c\n")
	  S("k", "?&gt;\n") },
	{ "javascript", "const x = await fetch(`/api/${id}`); /* c */\n",
	  S("k", "const ") "x " S("o", "= ") S("k", "await ") S("b", "fetch") "(" S("s", "`/api/${id}`") "); "
	  S("c", "/* c */\n") },
	{ "html", "<!-- c -->\n<a href=\"/x\" hidden>T &amp; U</a>\n",
	  S("c", "&lt;!-- c --&gt;") "\n" S("t", "&lt;a ") S("a", "href") S("o", "=") S("s", "&quot;/x&quot; ")
	  S("a", "hidden") S("t", "&gt;") "T " S("v", "&amp;amp;") " U" S("t", "&lt;/a&gt;") "\n" },
	{ "xml", "<?xml version=\"1.0\"?>\n<r/>\n", S("k", "&lt;?xml version=&quot;1.0&quot;?&gt;") "\n" S("t", "&lt;r/&gt;") "\n" },
	{ "css", "a:hover, .x > #y { color: #fff; margin: 0 1.5em !important; }\n@media (max-width: 600px) {}\n",
	  S("t", "a:hover") S("o", ", ") S("t", ".x ") S("o", "&gt; ") S("t", "#y ") "{ " S("a", "color") ": "
	  S("n", "#fff") "; " S("a", "margin") ": " S("n", "0 1.5em ") S("k", "!important") "; }\n"
	  S("k", "@media ") "(" S("a", "max-width") ": " S("n", "600px") ") {}\n" },
	{ "diff", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new\n same\n",
	  S("k", "diff --git a/x b/x") "\n" S("k", "--- a/x") "\n" S("k", "+++ b/x") "\n" S("a", "@@ -1 +1 @@")
	  "\n" S("d", "-old") "\n" S("i", "+new") "\n same\n" },
	{ "c", "#include <stdio.h>\nint main(void) { printf(\"%d\\n\", 42); return 0; } // c\n",
	  S("k", "#include ") S("s", "&lt;stdio.h&gt;\n") S("k", "int ") S("b", "main") "(" S("k", "void") ") { "
	  S("b", "printf") "(" S("s", "&quot;%d\\n&quot;") ", " S("n", "42") "); " S("k", "return ") S("n", "0")
	  "; } " S("c", "// c\n") },
	{ "go", "package main\n// c\nfunc main() { s := `raw\\n`; fmt.Println(len(s), \"x\") }\n",
	  S("k", "package ") "main\n" S("c", "// c\n") S("k", "func ") S("b", "main") "() { s " S("o", ":= ") S("s", "`raw\\n`") "; fmt." S("b", "Println") "(" S("b", "len") "(s), " S("s", "&quot;x&quot;") ") }\n" },
	{ "rust", "let mut v: Vec<u8> = Vec::new(); // c\n",
	  S("k", "let mut ") "v" S("o", ": ") S("b", "Vec") S("o", "&lt;") S("b", "u8") S("o", "&gt; = ") S("b", "Vec") S("o", "::") S("b", "new") "(); " S("c", "// c\n") },
	{ "java", "@Override\npublic String name() { return \"x\"; } // c\n",
	  S("b", "@Override\n") S("k", "public ") S("b", "String name") "() { " S("k", "return ") S("s", "&quot;x&quot;") "; } " S("c", "// c\n") },
	{ "kotlin", "val x: Int = listOf(1).size // c\n",
	  S("k", "val ") "x" S("o", ": ") S("b", "Int ") S("o", "= ") S("b", "listOf") "(" S("n", "1") ")" S("o", ".") "size " S("c", "// c\n") },
	{ "ruby", "def hi(name) # c\n  puts \"Hi #{name}\" unless name.nil?\nend\n",
	  S("k", "def ") S("b", "hi") "(name) " S("c", "# c\n  ") S("b", "puts ") S("s", "&quot;Hi #{name}&quot; ") S("k", "unless ") "name.nil?\n" S("k", "end\n") },
	{ "r", "x <- c(1, 2) # c\nif (is.na(x)) print(TRUE)\n",
	  "x " S("o", "&lt;- ") S("b", "c") "(" S("n", "1") ", " S("n", "2") ") " S("c", "# c\n") S("k", "if ") "(" S("b", "is.na") "(x)) " S("b", "print") "(" S("k", "TRUE") ")\n" },
	{ "bat", ":: c\n@echo off\nif exist \"a b\" goto end\nREM done\n",
	  S("c", ":: c\n") S("o", "@") S("b", "echo ") "off\n" S("k", "if exist ") S("s", "&quot;a b&quot; ") S("k", "goto ") "end\n" S("c", "REM done\n") },
	{ "http", "GET /api/x HTTP/1.1\nHost: example.org\n",
	  S("k", "GET ") "/api/x HTTP/1.1\n" S("a", "Host") S("o", ": ") "example.org\n" },
};

static void snippets_per_language(void **state)
{
	(void)state;
	int failed = 0;
	for (size_t i = 0; i < sizeof snippets / sizeof snippets[0]; i++) {
		char *got = hl(snippets[i].lang, snippets[i].code);
		if (strcmp(got, snippets[i].html) != 0) {
			print_error("%s: %s\n got: %s\nwant: %s\n", snippets[i].lang, snippets[i].code, got, snippets[i].html);
			failed++;
		}
		free(got);
	}
	assert_int_equal(failed, 0);
}

/* Prompts ($, #, user@host, PS), commands (hl-cmd, highlighted as their
 * shell), continuation lines, output. */
static void console_prompts_commands_output(void **state)
{
	(void)state;
	char *got = hl("console", "$ ls -l\ntotal 0\nroot@web:~# systemctl restart \\\n  nginx\n"
				  "PS C:\\> Get-Date\nlundi\n# id\n");
	assert_string_equal(got,
			    S("p", "$ ") "<span class=\"hl-cmd\">" S("b", "ls ") S("a", "-l") "</span>\n"
			    S("g", "total 0\n")
			    S("p", "root@web:~# ") "<span class=\"hl-cmd\">" S("b", "systemctl ") "restart \\</span>\n"
			    "<span class=\"hl-cmd\">  nginx</span>\n"
			    S("p", "PS C:\\&gt; ") "<span class=\"hl-cmd\">" S("b", "Get-Date") "</span>\n"
			    S("g", "lundi\n")
			    S("p", "# ") "<span class=\"hl-cmd\">" S("b", "id") "</span>\n");
	free(got);
	got = hl("console", "$\n");
	assert_string_equal(got, S("p", "$") "<span class=\"hl-cmd\"></span>\n");
	free(got);
}

static void info_strings(void **state)
{
	(void)state;
	hl_info in = hl_parse_info("bash title=\"install.sh\"");
	assert_int_equal(in.lang_len, 4);
	assert_memory_equal(in.lang, "bash", 4);
	assert_int_equal(in.title_len, 10);
	assert_memory_equal(in.title, "install.sh", 10);
	in = hl_parse_info("  yaml  other=1 title='a b.yml'");
	assert_memory_equal(in.lang, "yaml", in.lang_len);
	assert_int_equal(in.title_len, 7);
	assert_memory_equal(in.title, "a b.yml", 7);
	in = hl_parse_info("");
	assert_int_equal(in.lang_len, 0);
	assert_int_equal(in.title_len, 0);
	in = hl_parse_info("sh title=\"unclosed");
	assert_memory_equal(in.title, "unclosed", in.title_len);
}

static void blocks_known_unknown_plain(void **state)
{
	(void)state;
	buf out = BUF_INIT;
	assert_true(hl_block("Shell title=\"a&b<\"", "ls\n", 3, &out));
	assert_string_equal(out.ptr, "<div class=\"code-block\"><div class=\"code-title\">a&amp;b&lt;</div>"
				     "<pre tabindex=\"0\" data-lang=\"bash\"><code class=\"language-Shell\">"
				     S("b", "ls\n") "</code></pre></div>\n");
	buf_reset(&out);
	assert_false(hl_block("cobol", "fn <x>\n", 7, &out));
	assert_string_equal(out.ptr, "<div class=\"code-block\"><pre tabindex=\"0\"><code class=\"language-cobol\">"
				     "fn &lt;x&gt;\n</code></pre></div>\n");
	buf_reset(&out);
	assert_true(hl_block("text", "a\n", 2, &out));
	assert_true(hl_block(NULL, "a\n", 2, &out));
	assert_true(hl_block("", "a\n", 2, &out));
	buf_release(&out);
	buf_reset(&out);
	assert_true(hl_block("{.go}", "go x\n", 5, &out));
	assert_non_null(strstr(out.ptr, "data-lang=\"go\"><code class=\"language-go\">"));
	buf_reset(&out);
	assert_true(hl_block(".kotlin", "val x\n", 6, &out));
	assert_non_null(strstr(out.ptr, "data-lang=\"kotlin\""));
	buf_release(&out);
	assert_null(hl_find("cobol", 5));
	assert_true(hl_is_plain("mermaid", 7));
	assert_true(hl_is_plain("jinja", 5)); /* MkDocs macros pages show templates */
	assert_true(hl_is_plain("tpl", 3));   /* and Hugo docs, Go's */
	assert_null(hl_find("bas", 3));
	assert_string_equal(hl_name(hl_find("YML", 3)), "yaml");
	/* Prism's name for HTML/XML, which GitBook writes on its fences */
	assert_string_equal(hl_name(hl_find("markup", 6)), "html");
	assert_true(hl_is_plain("TXT", 3));
	assert_false(hl_is_plain("console", 7));
}

/* Word lists sorted (hl_listed searches them by halves), hl_langs[] in
 * order of name (hl_known() lists them so), every language found by each
 * of its names. */
static void tables_consistent(void **state)
{
	(void)state;
	buf known = BUF_INIT;
	for (size_t i = 0; i < hl_n_langs; i++) {
		const hl_lang *l = hl_langs[i];
		buf_addf(&known, "%s%s", i ? ", " : "", l->name);
		if (i && strcmp(hl_langs[i - 1]->name, l->name) >= 0) /* hl_known() lists them in this order */
			fail_msg("hl_langs[]: '%s' before '%s'", hl_langs[i - 1]->name, l->name);
		const char *const *lists[] = { l->keywords, l->builtins };
		size_t counts[] = { l->n_keywords, l->n_builtins };
		for (int k = 0; k < 2; k++) {
			size_t j = 0;
			while (lists[k] && lists[k][j])
				j++;
			assert_int_equal(j, counts[k]);
		}
		for (int k = 0; k < 2; k++)
			for (size_t j = 0; lists[k] && lists[k][j] && lists[k][j + 1]; j++)
				if (strcmp(lists[k][j], lists[k][j + 1]) >= 0)
					fail_msg("%s: '%s' before '%s'", l->name, lists[k][j], lists[k][j + 1]);
		for (const char *const *a = l->names; *a; a++)
			assert_ptr_equal(hl_find(*a, strlen(*a)), l);
	}
	assert_string_equal(known.ptr, hl_known());
	buf_release(&known);
}

/* Drops tags and decodes the four entities hl writes; checks on the way
 * that no tag sits inside a UTF-8 sequence. */
static char *unhighlight(const char *html, size_t *n, bool utf8)
{
	buf out = BUF_INIT;
	for (const char *p = html; *p;) {
		if (*p == '<') {
			if (utf8 && p > html && (unsigned char)p[-1] >= 0xC0)
				fail_msg("a tag after a UTF-8 lead byte: %.40s", p - 1);
			p = strchr(p, '>') + 1;
			if (utf8 && (unsigned char)*p >= 0x80 && (unsigned char)*p < 0xC0)
				fail_msg("a tag before a UTF-8 continuation byte");
			continue;
		}
		static const char *const ent[][2] = { { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
						      { "&quot;", "\"" } };
		size_t k = 0;
		for (; k < 4; k++)
			if (strncmp(p, ent[k][0], strlen(ent[k][0])) == 0)
				break;
		if (k < 4) {
			buf_adds(&out, ent[k][1]);
			p += strlen(ent[k][0]);
		} else {
			assert_true(*p != '>' && *p != '"');
			buf_addc(&out, *p++);
		}
	}
	return buf_detach(&out, n);
}

static size_t fuzz_code(char *out, size_t cap, unsigned *seed)
{
	static const char *const atoms[] = {
		"\"", "'", "`", "\"\"\"", "$", "${", "$(", "%{", "#", "//", "/*", "*/", "<#", "#>", "--", ";", "<",
		">", "</", "<!--", "-->", "<?php", "?>", "&", "&amp;", "=", ":", ": ", "- ", "[", "]", "{", "}",
		"(", ")", "\\", "\n", "\n  ", " ", "\t", "@", "!", "|", "x", "if", "then", "SELECT", "42", "0x1f",
		".5em", "$ ", "# ", "PS> ", "a@b:~$ ", "+", "-", "@@", "é", "€", "😀", "\xc3", "\x80", "\r",
		"key: |", "\x01",
	};
	size_t n = 0;
	for (;;) {
		*seed = *seed * 1103515245u + 12345u;
		const char *a = atoms[(*seed >> 16) % (sizeof atoms / sizeof atoms[0])];
		size_t k = strlen(a);
		if (n + k >= cap)
			break;
		memcpy(out + n, a, k);
		n += k;
	}
	out[n] = '\0';
	return n;
}

static void exact_on_fuzzed_input(void **state)
{
	(void)state;
	unsigned seed = 17;
	char code[600];
	for (int round = 0; round < 400; round++) {
		size_t n = fuzz_code(code, 1 + (size_t)round % sizeof code, &seed);
		/* cmark hands valid UTF-8 (it replaces bad bytes): spans must not
		 * split its sequences; invalid bytes must still come back exact. */
		bool valid = true;
		for (size_t i = 0; i < n && valid;)
			valid = utf8_next(code, n, &i) >= 0;
		for (size_t i = 0; i < hl_n_langs; i++) {
			buf out = BUF_INIT;
			hl_render(hl_langs[i], code, n, &out);
			size_t m;
			char *back = unhighlight(out.ptr, &m, valid);
			if (m != n || memcmp(back, code, n) != 0)
				fail_msg("%s, round %d: not the code back:\n%s\n->\n%s", hl_langs[i]->name, round, code, out.ptr);
			free(back);
			buf_release(&out);
		}
	}
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* 256 KiB of one shape each, every language: quadratic would be ~10^10
 * steps (tens of seconds); linear is a few milliseconds.  The bound is
 * loose for loaded machines (and the sanitizers). */
static void linear_on_pathological_blocks(void **state)
{
	(void)state;
	static const char *const shapes[] = {
		"\"", "'", "\"a", "\"\\", "'\\", "`", "${", "%{", "/*", "<!--", "<", "<a ", "<a b=\"", "&", "{", "[", "(", "- ",
		"a: ", "a:", "\"\"\"", "x ", "$ ", "PS ", "a@", "#", "\\\n", "\n", " ", "@@", ":", "=", "é",
	};
	const size_t size = 256 * 1024;
	char *code = malloc(size + 1);
	for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
		size_t len = strlen(shapes[k]), n = 0;
		while (n + len <= size) {
			memcpy(code + n, shapes[k], len);
			n += len;
		}
		for (int newline = 0; newline < 2; newline++) {
			if (newline) /* a line per shape too */
				for (size_t i = len; i < n; i += len + 1)
					code[i] = '\n';
			for (size_t i = 0; i < hl_n_langs; i++) {
				buf out = BUF_INIT;
				double t0 = now();
				hl_render(hl_langs[i], code, n, &out);
				double t = now() - t0;
				if (t > 2.0)
					fail_msg("%s: 256 KiB of '%s' took %.2f s", hl_langs[i]->name, shapes[k], t);
				buf_release(&out);
			}
		}
	}
	free(code);
}

/* The search index gets the code as before: markdown.c hands md_text the
 * code block's literal, not its highlighted HTML. */
static void collect_text(void *ctx, md_text_kind kind, const char *s, size_t n)
{
	if (kind == MD_TEXT_PLAIN)
		buf_add(ctx, s, n);
	else if (kind == MD_TEXT_BREAK)
		buf_addc(ctx, '|');
}

static void search_text_is_the_code(void **state)
{
	(void)state;
	buf text = BUF_INIT;
	md_env env = { .path = "t.md", .first_line = 1, .ctx = &text, .text = collect_text };
	md_doc doc = MD_DOC_INIT;
	const char *md = "Run:\n\n```console title=\"x\"\n$ echo \"<hi>\"\nhi\n```\n";
	assert_int_equal(markdown_render(&env, md, strlen(md), &doc), PHARE_OK);
	assert_string_equal(text.ptr, "||Run:||$ echo \"<hi>\"\nhi\n||"); /* as before highlighting */
	assert_non_null(strstr(doc.html.ptr, "<pre tabindex=\"0\" data-lang=\"console\">"));
	md_doc_release(&doc);
	buf_release(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(snippets_per_language),
		cmocka_unit_test(console_prompts_commands_output),
		cmocka_unit_test(info_strings),
		cmocka_unit_test(blocks_known_unknown_plain),
		cmocka_unit_test(tables_consistent),
		cmocka_unit_test(exact_on_fuzzed_input),
		cmocka_unit_test(linear_on_pathological_blocks),
		cmocka_unit_test(search_text_is_the_code),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

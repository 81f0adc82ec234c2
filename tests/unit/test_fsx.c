/* test_fsx.c: reads confined to the source folder (fsx_confine), published
 * file names (fsx_unsafe_name), and messages that escape what strangers
 * wrote (diag). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/fsx.h"

/* <tmp>/src/{in.txt, sub/, link-in -> in.txt, link-out -> ../secret.txt,
 * link-abs -> <tmp>/secret.txt, dir-out -> .., sub/up -> ../in.txt},
 * <tmp>/secret.txt. */
typedef struct tree {
	char root[64];
	char src[80];
} tree;

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void at(char *out, size_t size, const char *dir, const char *rel)
{
	snprintf(out, size, "%s/%s", dir, rel);
}

static int tree_setup(void **state)
{
	tree *t = calloc(1, sizeof(*t));
	char p[256];
	strcpy(t->root, "/tmp/phare-fsx-XXXXXX");
	assert_non_null(mkdtemp(t->root));
	at(t->src, sizeof(t->src), t->root, "src");
	assert_int_equal(mkdir(t->src, 0755), 0);
	at(p, sizeof(p), t->root, "secret.txt");
	put(p, "SECRET");
	at(p, sizeof(p), t->src, "in.txt");
	put(p, "inside");
	at(p, sizeof(p), t->src, "sub");
	assert_int_equal(mkdir(p, 0755), 0);
	at(p, sizeof(p), t->src, "sub/up");
	assert_int_equal(symlink("../in.txt", p), 0);
	at(p, sizeof(p), t->src, "link-in");
	assert_int_equal(symlink("in.txt", p), 0);
	at(p, sizeof(p), t->src, "link-out");
	assert_int_equal(symlink("../secret.txt", p), 0);
	char target[256];
	at(target, sizeof(target), t->root, "secret.txt");
	at(p, sizeof(p), t->src, "link-abs");
	assert_int_equal(symlink(target, p), 0);
	at(p, sizeof(p), t->src, "dir-out");
	assert_int_equal(symlink("..", p), 0);
	at(p, sizeof(p), t->src, "fifo");
	assert_int_equal(mkfifo(p, 0644), 0);
	diag_reset();
	diag_set_quiet(true);
	diag_set_capture(true);
	assert_int_equal(fsx_confine(t->src), PHARE_OK);
	*state = t;
	return 0;
}

static int tree_teardown(void **state)
{
	tree *t = *state;
	char cmd[128];
	assert_int_equal(fsx_confine(NULL), PHARE_OK);
	fsx_test_without_openat2(false);
	diag_set_capture(false);
	diag_set_quiet(false);
	diag_reset();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->root);
	assert_int_equal(system(cmd), 0);
	free(t);
	return 0;
}

/* fsx_read of rel under the source: its status, the text in out. */
static phare_status read_rel(const tree *t, const char *rel, buf *out)
{
	char p[256];
	at(p, sizeof(p), t->src, rel);
	buf_reset(out);
	return fsx_read(p, out, 0);
}

static void links_inside_work(void **state)
{
	tree *t = *state;
	buf b = BUF_INIT;
	assert_int_equal(read_rel(t, "in.txt", &b), PHARE_OK);
	assert_string_equal(b.ptr, "inside");
	assert_int_equal(read_rel(t, "link-in", &b), PHARE_OK);
	assert_string_equal(b.ptr, "inside");
	assert_int_equal(read_rel(t, "sub/up", &b), PHARE_OK); /* ".." that stays inside */
	assert_string_equal(b.ptr, "inside");
	assert_int_equal(diag_errors(), 0);
	buf_release(&b);
}

static void links_out_are_refused_and_named(void **state)
{
	tree *t = *state;
	buf b = BUF_INIT;
	assert_int_equal(read_rel(t, "link-out", &b), PHARE_ERR_IO);
	assert_int_equal(read_rel(t, "link-abs", &b), PHARE_ERR_IO);
	assert_int_equal(read_rel(t, "dir-out/secret.txt", &b), PHARE_ERR_IO); /* a link in the middle */
	assert_int_equal(read_rel(t, "../secret.txt", &b), PHARE_ERR_IO);       /* ".." in the path */
	assert_null(strstr(b.ptr, "SECRET"));
	assert_int_equal(diag_errors(), 4);
	const char *said = diag_captured();
	assert_non_null(strstr(said, "link-out: error: a symbolic link to '../secret.txt', outside the source folder"));
	assert_non_null(strstr(said, "link-abs: error: a symbolic link to '/tmp/phare-fsx-"));
	assert_non_null(strstr(said, "cannot read: "));
	assert_non_null(strstr(said, "/dir-out is a symbolic link to '..', outside the source folder"));
	assert_non_null(strstr(said, "cannot read: the path leads outside the source folder"));
	buf_release(&b);
}

static void kinds_and_lists(void **state)
{
	tree *t = *state;
	char p[256];
	at(p, sizeof(p), t->src, "link-out");
	assert_int_equal(fsx_stat(p), FSX_OUTSIDE);
	assert_false(fsx_is_file(p));
	at(p, sizeof(p), t->src, "dir-out");
	assert_int_equal(fsx_stat(p), FSX_OUTSIDE);
	assert_null(fsx_list(p)); /* and reported */
	assert_int_equal(diag_errors(), 1);
	at(p, sizeof(p), t->src, "fifo");
	assert_int_equal(fsx_stat(p), FSX_OTHER);
	buf b = BUF_INIT;
	assert_int_equal(fsx_read(p, &b, 0), PHARE_ERR_IO); /* at once: a FIFO is never opened */
	assert_non_null(strstr(diag_captured(), "fifo: error: not a regular file"));
	at(p, sizeof(p), t->src, "link-in");
	assert_int_equal(fsx_stat(p), FSX_FILE);
	assert_int_equal(fsx_stat(t->src), FSX_DIR);
	char **names = fsx_list(t->src);
	assert_non_null(names);
	assert_string_equal(names[0], "dir-out"); /* sorted */
	fsx_free_list(names);
	/* outside the source folder, paths are opened as given */
	at(p, sizeof(p), t->root, "secret.txt");
	assert_int_equal(fsx_read(p, &b, 0), PHARE_OK);
	assert_string_equal(b.ptr, "SECRET");
	buf_release(&b);
}

/* Without openat2 (kernels before 5.6): stricter, every link refused. */
static void fallback_refuses_every_link(void **state)
{
	tree *t = *state;
	buf b = BUF_INIT;
	fsx_test_without_openat2(true);
	assert_int_equal(read_rel(t, "in.txt", &b), PHARE_OK);
	assert_string_equal(b.ptr, "inside");
	assert_int_equal(read_rel(t, "link-out", &b), PHARE_ERR_IO);
	assert_int_equal(read_rel(t, "dir-out/secret.txt", &b), PHARE_ERR_IO);
	assert_int_equal(read_rel(t, "../secret.txt", &b), PHARE_ERR_IO);
	assert_int_equal(read_rel(t, "link-in", &b), PHARE_ERR_IO);
	assert_int_equal(diag_errors(), 4);
	char p[256];
	at(p, sizeof(p), t->src, "sub");
	assert_int_equal(fsx_stat(p), FSX_DIR);
	fsx_test_without_openat2(false);
	buf_release(&b);
}

static void no_write_through_links(void **state)
{
	tree *t = *state;
	char p[256], q[256];
	at(p, sizeof(p), t->src, "link-out");
	assert_int_equal(fsx_write(p, "x", 1), PHARE_ERR_IO);
	assert_int_equal(fsx_refuse_link(p, "the output folder"), PHARE_ERR_IO);
	at(q, sizeof(q), t->root, "secret.txt");
	buf b = BUF_INIT;
	assert_int_equal(fsx_read(q, &b, 0), PHARE_OK);
	assert_string_equal(b.ptr, "SECRET");
	assert_int_equal(fsx_refuse_link(t->src, "the output folder"), PHARE_OK);
	assert_non_null(strstr(diag_captured(), "the output folder is a symbolic link (to '../secret.txt')"));
	buf_release(&b);
}

static void unsafe_names(void **state)
{
	(void)state;
	static const char *const fine[] = { "schema.png", "Schéma réseau.png", "日本語.pdf", "a.b.c", "-x", NULL };
	static const char *const bad[] = {
		".", "..", "a\\b.png", "a\x01.png", "a\nb", "a\x7f", "a\xc2\x85.png" /* NEL */,
		"a\xff.png", "a\xc0\xaf.png" /* overlong '/' */, "a\xed\xa0\x80.png" /* surrogate */,
		"a\xef\xbc\x8f" "b" /* U+FF0F */, "a\xe2\x88\x95" "b" /* U+2215 */, "\xe2\x80\xa4\xe2\x80\xa4" /* U+2024 */,
		"\xef\xbc\x8e\xef\xbc\x8e" /* U+FF0E */, "a\xe2\x84\x80" /* U+2100 a/c */, "a\xef\xbc\xbc" /* U+FF3C */,
		"truncated\xe2\x88", NULL,
	};
	for (const char *const *n = fine; *n; n++)
		assert_null(fsx_unsafe_name(*n));
	for (const char *const *n = bad; *n; n++) {
		if (!fsx_unsafe_name(*n))
			fail_msg("'%s' was taken as safe", *n);
	}
}

static void messages_escape_what_strangers_wrote(void **state)
{
	(void)state;
	diag_error("content/evil\n::error::x.png", 2, 3, "name '%s' and \x1b[31m", "a\xffz\xc2\x9b");
	const char *said = diag_captured();
	assert_string_equal(said, "content/evil\\x0a::error::x.png:2:3: error: name 'a\\xffz\\xc2\\x9b' and "
				  "\\x1b[31m\n");
	diag_reset();
	diag_set_capture(true);
	diag_error("content/fr/réseau/schéma.png", 0, 0, "« ok » ∕");
	assert_string_equal(diag_captured(), "content/fr/réseau/schéma.png: error: « ok » ∕\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(links_inside_work, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(links_out_are_refused_and_named, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(kinds_and_lists, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(fallback_refuses_every_link, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(no_write_through_links, tree_setup, tree_teardown),
		cmocka_unit_test(unsafe_names),
		cmocka_unit_test_setup_teardown(messages_escape_what_strangers_wrote, tree_setup, tree_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

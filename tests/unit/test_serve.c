/* test_serve.c: the pieces of phare serve: URL path checks, the URL
 * decoder, opening files beneath a root (openat2 and the fallback), content
 * types, dates, the event format, and the inotify watcher (temporary files
 * renamed over the saved one included). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/reload.h"
#include "server/serve.h"
#include "server/static_files.h"
#include "server/watch.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsx.h"

static void path_checks(void **state)
{
	(void)state;
	static const char *const good[] = { "/", "/help/", "/help/en/guide/first/", "/a.b/c..d/...",
					    "/help/.well-known/x", "/h%C3%A9", "/é", NULL };
	static const char *const bad[] = { "", "help/", "/..", "/../etc/passwd", "/help/../x", "/help/./x",
					   "/help/.", "/a\\b", "/a\x7f" "b", "/a\nb", "/a\rb", "/a\tb",
					   "/help/..\\..\\x", NULL };
	for (size_t i = 0; good[i]; i++)
		assert_true(static_files_path_ok(good[i]));
	for (size_t i = 0; bad[i]; i++)
		assert_false(static_files_path_ok(bad[i]));
}

static void unescape(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
		bool ok; /* static_files_path_ok after decoding */
	} cases[] = {
		{ "/help/%2e%2e/x", "/help/../x", false },
		{ "/help/%2E%2E", "/help/..", false },
		{ "/a%2fb", "/a\x7f" "b", false },
		{ "/a%2Fb", "/a\x7f" "b", false },
		{ "/%00", "/\x7f", false },
		{ "/x%00../../y", "/x\x7f../../y", false },
		{ "/a%5cb", "/a\\b", false },
		{ "/a%0ab", "/a\nb", false },
		{ "/caf%C3%A9/", "/caf\xc3\xa9/", true },
		{ "/100%", "/100%", true },
		{ "/bad%zz%4", "/bad%zz%4", true },
		{ "/a+b", "/a+b", true },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char s[64];
		snprintf(s, sizeof(s), "%s", cases[i].in);
		size_t n = serve_unescape(s);
		assert_int_equal(n, strlen(cases[i].out));
		assert_string_equal(s, cases[i].out);
		assert_int_equal(static_files_path_ok(s), cases[i].ok);
	}
}

static void content_types(void **state)
{
	(void)state;
	assert_string_equal(static_files_content_type("index.html"), "text/html; charset=utf-8");
	assert_string_equal(static_files_content_type("a/b.CSS"), "text/css; charset=utf-8");
	assert_string_equal(static_files_content_type("x.js"), "text/javascript; charset=utf-8");
	assert_string_equal(static_files_content_type("sitemap.xml"), "application/xml");
	assert_string_equal(static_files_content_type("f.woff2"), "font/woff2");
	assert_string_equal(static_files_content_type("i.webp"), "image/webp");
	assert_string_equal(static_files_content_type("d.pdf"), "application/pdf");
	assert_string_equal(static_files_content_type("noext"), "application/octet-stream");
	assert_string_equal(static_files_content_type("dir.html/file"), "application/octet-stream");
	char date[STATIC_FILES_DATE_SIZE];
	static_files_http_date(784111777, date);
	assert_string_equal(date, "Sun, 06 Nov 1994 08:49:37 GMT");
}

static void event_format(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	reload_format_event(&b, "error", "a\nb\r\nc\rd");
	assert_string_equal(b.ptr, "event: error\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
	buf_reset(&b);
	reload_format_event(&b, "reload", "{}");
	assert_string_equal(b.ptr, "event: reload\ndata: {}\n\n");
	buf_release(&b);
}

/* A site folder with a file, a folder, and links going in and out. */
typedef struct tree {
	char root[64];
	char site[96];
	int site_fd;
} tree;

static void tree_make(tree *t)
{
	snprintf(t->root, sizeof(t->root), "/tmp/phare-serve-unit-XXXXXX");
	assert_non_null(mkdtemp(t->root));
	snprintf(t->site, sizeof(t->site), "%s/site", t->root);
	char p[256];
	assert_int_equal(mkdir(t->site, 0755), 0);
	snprintf(p, sizeof(p), "%s/en", t->site);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/en/index.html", t->site);
	assert_int_equal(fsx_write(p, "inside", 6), PHARE_OK);
	snprintf(p, sizeof(p), "%s/secret", t->root);
	assert_int_equal(fsx_write(p, "outside", 7), PHARE_OK);
	snprintf(p, sizeof(p), "%s/out-abs", t->site);
	assert_int_equal(symlink(t->root, p), 0);
	snprintf(p, sizeof(p), "%s/en/out-rel", t->site);
	assert_int_equal(symlink("../../secret", p), 0);
	snprintf(p, sizeof(p), "%s/in-link.html", t->site);
	assert_int_equal(symlink("en/index.html", p), 0);
	t->site_fd = open(t->site, O_PATH | O_DIRECTORY);
	assert_true(t->site_fd >= 0);
}

static void tree_free(tree *t)
{
	close(t->site_fd);
	assert_int_equal(fsx_remove_tree(t->root), PHARE_OK);
}

static void read_fd(int fd, char *out, size_t n)
{
	assert_true(fd >= 0);
	ssize_t got = read(fd, out, n - 1);
	assert_true(got >= 0);
	out[got] = '\0';
	close(fd);
}

static void open_beneath(void **state)
{
	(void)state;
	tree t;
	tree_make(&t);
	char text[32];
	int (*const openers[])(int, const char *, int) = { static_files_open_beneath, static_files_open_walk };
	for (size_t k = 0; k < 2; k++) {
		read_fd(openers[k](t.site_fd, "en/index.html", O_RDONLY), text, sizeof(text));
		assert_string_equal(text, "inside");
		int fd = openers[k](t.site_fd, "", O_RDONLY);
		struct stat st;
		assert_true(fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode));
		close(fd);
		/* Links out of the site: never opened. */
		assert_int_equal(openers[k](t.site_fd, "out-abs/secret", O_RDONLY), -1);
		assert_int_equal(openers[k](t.site_fd, "out-abs", O_RDONLY), -1);
		assert_int_equal(openers[k](t.site_fd, "en/out-rel", O_RDONLY), -1);
		assert_int_equal(openers[k](t.site_fd, "nothing", O_RDONLY), -1);
		assert_int_equal(openers[k](t.site_fd, "en/index.html/", O_RDONLY), -1);
	}
	/* A link that stays inside: openat2 follows it, the fallback does not. */
	read_fd(static_files_open_beneath(t.site_fd, "in-link.html", O_RDONLY), text, sizeof(text));
	assert_string_equal(text, "inside");
	assert_int_equal(static_files_open_walk(t.site_fd, "in-link.html", O_RDONLY), -1);
	tree_free(&t);
}

/* Waits (bounded) for the watch to report; returns what watch_read said. */
static bool watch_wait(watch *w, int ms)
{
	struct pollfd p = { watch_fd(w), POLLIN, 0 };
	bool changed = false;
	while (poll(&p, 1, ms) > 0) {
		changed |= watch_read(w);
		ms = 50; /* drain what follows closely */
	}
	return changed;
}

static void watcher(void **state)
{
	(void)state;
	char root[64], p[256];
	snprintf(root, sizeof(root), "/tmp/phare-watch-unit-XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(p, sizeof(p), "%s/content/en", root);
	assert_int_equal(fsx_mkdirs(p), PHARE_OK);
	static const char *const names[] = { "content", "templates", NULL };
	watch *w = NULL;
	assert_int_equal(watch_open(root, names, &w), PHARE_OK);
	assert_int_equal(watch_count(w), 2);
	/* A file written: a change, named relative to the source. */
	snprintf(p, sizeof(p), "%s/content/en/a.md", root);
	assert_int_equal(fsx_write(p, "x", 1), PHARE_OK);
	assert_true(watch_wait(w, 2000));
	bool all = true;
	char **changed = watch_take(w, &all);
	assert_false(all);
	assert_non_null(changed[0]);
	assert_string_equal(changed[0], "content/en/a.md");
	assert_null(changed[1]);
	fsx_free_list(changed);
	changed = watch_take(w, &all); /* taken: nothing left */
	assert_null(changed[0]);
	fsx_free_list(changed);
	/* Saved through a temporary file renamed over the article: only the
	 * article changed.  A file that came and went: nothing.  A file that
	 * was there before and is removed: a change. */
	char tmp[256];
	snprintf(tmp, sizeof(tmp), "%s/content/en/a.md.tmp", root);
	assert_int_equal(fsx_write(tmp, "x2", 2), PHARE_OK);
	assert_int_equal(rename(tmp, p), 0);
	assert_true(watch_wait(w, 2000));
	changed = watch_take(w, &all);
	assert_false(all);
	assert_non_null(changed[0]);
	assert_string_equal(changed[0], "content/en/a.md");
	assert_null(changed[1]);
	fsx_free_list(changed);
	assert_int_equal(fsx_write(tmp, "x3", 2), PHARE_OK);
	assert_int_equal(unlink(tmp), 0);
	assert_true(watch_wait(w, 2000));
	changed = watch_take(w, &all);
	assert_false(all);
	assert_null(changed[0]);
	fsx_free_list(changed);
	snprintf(tmp, sizeof(tmp), "%s/content/en/gone.md", root);
	assert_int_equal(fsx_write(tmp, "g", 1), PHARE_OK);
	assert_true(watch_wait(w, 2000));
	fsx_free_list(watch_take(w, &all));
	assert_int_equal(unlink(tmp), 0);
	assert_true(watch_wait(w, 2000));
	changed = watch_take(w, &all);
	assert_non_null(changed[0]);
	assert_string_equal(changed[0], "content/en/gone.md");
	assert_null(changed[1]);
	fsx_free_list(changed);
	/* Editors' scratch files: not a change. */
	snprintf(p, sizeof(p), "%s/content/en/.a.md.swp", root);
	assert_int_equal(fsx_write(p, "x", 1), PHARE_OK);
	snprintf(p, sizeof(p), "%s/content/en/a.md~", root);
	assert_int_equal(fsx_write(p, "x", 1), PHARE_OK);
	assert_false(watch_wait(w, 200));
	/* A new folder is watched, and so is templates/ once created. */
	snprintf(p, sizeof(p), "%s/content/en/new", root);
	assert_int_equal(mkdir(p, 0755), 0);
	assert_true(watch_wait(w, 2000));
	snprintf(p, sizeof(p), "%s/content/en/new/b.md", root);
	assert_int_equal(fsx_write(p, "y", 1), PHARE_OK);
	assert_true(watch_wait(w, 2000));
	snprintf(p, sizeof(p), "%s/templates", root);
	assert_int_equal(mkdir(p, 0755), 0);
	assert_true(watch_wait(w, 2000));
	changed = watch_take(w, &all);
	assert_true(all); /* templates/ itself appeared */
	assert_string_equal(changed[0], "content/en/new");
	assert_string_equal(changed[1], "content/en/new/b.md");
	assert_null(changed[2]);
	fsx_free_list(changed);
	snprintf(p, sizeof(p), "%s/templates/page.mustache", root);
	assert_int_equal(fsx_write(p, "z", 1), PHARE_OK);
	assert_true(watch_wait(w, 2000));
	assert_int_equal(watch_count(w), 4);
	changed = watch_take(w, &all);
	assert_false(all);
	assert_string_equal(changed[0], "templates/page.mustache");
	fsx_free_list(changed);
	/* Other folders of the source do not count. */
	snprintf(p, sizeof(p), "%s/.phare", root);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/site", root);
	assert_int_equal(mkdir(p, 0755), 0);
	assert_false(watch_wait(w, 200));
	/* A folder removed: a change, and its watch dropped. */
	snprintf(p, sizeof(p), "%s/content/en/new", root);
	assert_int_equal(fsx_remove_tree(p), PHARE_OK);
	assert_true(watch_wait(w, 2000));
	assert_int_equal(watch_count(w), 3);
	watch_close(w);
	assert_int_equal(fsx_remove_tree(root), PHARE_OK);
}

int main(void)
{
	diag_set_quiet(true);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(path_checks),
		cmocka_unit_test(unescape),
		cmocka_unit_test(content_types),
		cmocka_unit_test(event_format),
		cmocka_unit_test(open_beneath),
		cmocka_unit_test(watcher),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

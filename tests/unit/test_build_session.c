/* test_build_session.c: a build kept in memory redoes one edited article in
 * place, and leaves anything bigger to a full build. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build/build.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsx.h"

static char root[64];

static void put(const char *rel, const char *text)
{
	char *p = fsx_join(root, rel);
	char *slash = strrchr(p, '/');
	*slash = '\0';
	assert_int_equal(fsx_mkdirs(p), PHARE_OK);
	*slash = '/';
	assert_int_equal(fsx_write(p, text, strlen(text)), PHARE_OK);
	free(p);
}

static char *page(const char *rel)
{
	char *p = fsx_join(root, rel);
	buf b = BUF_INIT;
	assert_int_equal(fsx_read(p, &b, 0), PHARE_OK);
	free(p);
	return buf_detach(&b, NULL);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/phare-session-XXXXXX");
	assert_non_null(mkdtemp(root));
	put("content/site.yaml", "title: T\nlanguages: [{code: fr, name: Français}]\n");
	put("content/fr/s/a.md", "---\ntitle: A\n---\nPremier texte.\n\n## Un\n");
	put("content/fr/s/b.md", "---\ntitle: B\n---\nVoir [a](a.md#un).\n");
	diag_set_quiet(true);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	(void)!fsx_remove_tree(root);
	return 0;
}

static void edit_one_article(void **state)
{
	(void)state;
	char *out = fsx_join(root, "site");
	build_options opt = { .source = root, .out = out, .quiet = true, .preview = true };
	build_stats st;
	build_session *bs = NULL;
	diag_reset();
	assert_int_equal(build_session_open(&opt, &st, &bs), PHARE_OK);
	assert_non_null(bs);
	char *html = page("site/fr/s/a/index.html");
	assert_non_null(strstr(html, "Premier texte."));
	free(html);

	/* the body changes: redone in place */
	bool handled = false;
	put("content/fr/s/a.md", "---\ntitle: A\n---\nSecond texte.\n\n## Un\n");
	assert_int_equal(build_session_update(bs, "content/fr/s/a.md", &handled), PHARE_OK);
	assert_true(handled);
	html = page("site/fr/s/a/index.html");
	assert_non_null(strstr(html, "Second texte."));
	free(html);

	/* a broken link: reported, the page stays as it was */
	diag_reset();
	put("content/fr/s/a.md", "---\ntitle: A\n---\nTroisième [x](/fr/nulle/part/).\n\n## Un\n");
	assert_int_not_equal(build_session_update(bs, "content/fr/s/a.md", &handled), PHARE_OK);
	assert_true(handled);
	assert_int_equal(diag_errors(), 1);
	html = page("site/fr/s/a/index.html");
	assert_non_null(strstr(html, "Second texte."));
	free(html);

	/* the title changes: lists change too, so a full build is needed */
	put("content/fr/s/a.md", "---\ntitle: A2\n---\nx\n");
	assert_int_equal(build_session_update(bs, "content/fr/s/a.md", &handled), PHARE_OK);
	assert_false(handled);
	/* a new article or another kind of file: a full build */
	assert_int_equal(build_session_update(bs, "content/fr/s/c.md", &handled), PHARE_OK);
	assert_false(handled);
	assert_int_equal(build_session_update(bs, "templates/article.mustache", &handled), PHARE_OK);
	assert_false(handled);
	build_session_close(bs);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(edit_one_article) };
	return cmocka_run_group_tests(tests, setup, teardown);
}

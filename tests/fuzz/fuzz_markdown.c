/* fuzz_markdown.c: a whole article file through front matter and Markdown
 * (article_parse, then markdown_render as phare build calls it, in safe
 * mode, with trivial link and block hooks).  Invariant: no raw <script>,
 * <iframe> or javascript: link survives safe mode. */
#include "fuzz.h"

#include "content/article.h"
#include "render/markdown.h"
#include "util/arena.h"

static phare_status fuzz_md_link(void *ctx, const char *url, bool image, int line, int col, buf *out)
{
	(void)ctx;
	(void)image;
	FUZZ_ASSERT(line >= 1 && col >= 0);
	if (strncmp(url, "bad:", 4) == 0)
		return PHARE_ERR_INPUT; /* as the real resolver refuses a broken link */
	buf_adds(out, url);
	return PHARE_OK;
}

static phare_status fuzz_md_block(void *ctx, const char *info, int line, buf *out)
{
	(void)ctx;
	FUZZ_ASSERT(line >= 1);
	buf_adds(out, "<div class=\"hook\">");
	buf_adds_html(out, info);
	buf_adds(out, "</div>\n");
	return PHARE_OK;
}

static void fuzz_markdown(const char *data, size_t size)
{
	fuzz_quiet();
	arena a = ARENA_INIT;
	article art;
	md_doc doc = MD_DOC_INIT;
	bool need_title = size % 2 == 0;
	if (article_parse(&a, "fuzz.md", data, size, need_title, &art) != PHARE_OK)
		goto done;
	FUZZ_ASSERT(art.body >= data && art.body + art.body_len == data + size);
	FUZZ_ASSERT(!need_title || (art.title && *art.title));
	md_env env = { .path = "fuzz.md", .first_line = art.body_line, .link = fuzz_md_link, .block = fuzz_md_block };
	if (markdown_render(&env, art.body, art.body_len, &doc) != PHARE_OK)
		goto done;
	const char *html = doc.html.ptr;
	size_t n = doc.html.len;
	FUZZ_ASSERT(!fuzz_find_nocase(html, n, "<script"));
	FUZZ_ASSERT(!fuzz_find_nocase(html, n, "<iframe"));
	FUZZ_ASSERT(!fuzz_find_nocase(html, n, "href=\"javascript:"));
	FUZZ_ASSERT(!fuzz_find_nocase(html, n, "src=\"javascript:"));
	for (size_t i = 0; i < doc.n_headings; i++) {
		FUZZ_ASSERT(doc.headings[i].id[0] && !strchr(doc.headings[i].id, ' '));
		FUZZ_ASSERT(doc.headings[i].level >= 1 && doc.headings[i].level <= 6);
	}
done:
	md_doc_release(&doc);
	arena_release(&a);
}

FUZZ_TARGET(fuzz_markdown)

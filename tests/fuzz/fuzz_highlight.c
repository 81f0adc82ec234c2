/* fuzz_highlight.c: any bytes as the code of any language (the first byte
 * picks it), through hl_render.  Invariants (render/highlight.h): dropping
 * the tags and decoding the four entities gives the code back byte for
 * byte; every span opened is closed; no other markup. */
#include "fuzz.h"

#include "render/highlight.h"
#include "render/highlight_int.h"
#include "util/buf.h"

static void fuzz_highlight(const char *data, size_t size)
{
	if (size == 0)
		return;
	const hl_lang *lang = hl_langs[(unsigned char)data[0] % hl_n_langs];
	const char *code = data + 1;
	size_t n = size - 1;
	buf out = BUF_INIT;
	hl_render(lang, code, n, &out);
	size_t k = 0, open = 0;
	static const char *const ent[][2] = { { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" } };
	for (size_t i = 0; i < out.len;) {
		const char *p = out.ptr + i;
		if (*p == '<') {
			if (strncmp(p, "</span>", 7) == 0) {
				FUZZ_ASSERT(open > 0);
				open--;
				i += 7;
			} else {
				FUZZ_ASSERT(strncmp(p, "<span class=\"hl-", 16) == 0);
				const char *e = memchr(p, '>', out.len - i);
				FUZZ_ASSERT(e && e - p <= 24);
				open++;
				i += (size_t)(e - p) + 1;
			}
			continue;
		}
		if (*p == '&') {
			size_t j = 0;
			while (j < 4 && strncmp(p, ent[j][0], strlen(ent[j][0])) != 0)
				j++;
			FUZZ_ASSERT(j < 4 && k < n && code[k] == ent[j][1][0]);
			k++;
			i += strlen(ent[j][0]);
			continue;
		}
		FUZZ_ASSERT(*p != '>' && *p != '"');
		FUZZ_ASSERT(k < n && code[k] == *p);
		k++;
		i++;
	}
	FUZZ_ASSERT(k == n && open == 0);
	buf_release(&out);
}

FUZZ_TARGET(fuzz_highlight)

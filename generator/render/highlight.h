/* highlight.h: fenced code blocks highlighted at build time, no JavaScript.
 *
 * The languages help centres use (hl_known() lists them, aliases aside):
 * each is one table in highlight_langs.c (keywords, comment markers, quotes,
 * number and word rules) run by the lexer of highlight.c; console, diff,
 * HTML/XML and CSS have small lexers of their own there.
 *
 * Promises, each backed by tests/unit/test_highlight.c:
 *  - exact: the output is the code, every byte of it, HTML-escaped, with
 *    some runs wrapped in <span class="hl-X">; dropping the tags and
 *    unescaping gives the code back byte for byte, whatever the input;
 *  - bounded: time is linear in the code's length (one pass, no
 *    backtracking; an unclosed string or comment runs to the end of its
 *    line or of the code, it is never rescanned);
 *  - a span never splits a UTF-8 sequence (token edges are ASCII bytes).
 *
 * Classes: hl-k keyword, hl-s string, hl-c comment, hl-n number, hl-b
 * builtin or function (a shell's command), hl-v variable, hl-o operator,
 * hl-p prompt, hl-g output (console), hl-d deleted, hl-i inserted (diff),
 * hl-t tag, hl-a attribute or key; in a console block each command (after
 * its prompt) is also wrapped in <span class="hl-cmd">, which the copy
 * button copies (templates/assets/phare.js). */
#ifndef PHARE_HIGHLIGHT_H
#define PHARE_HIGHLIGHT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

typedef struct hl_lang hl_lang;

/* The language called name[0..n) ("bash", "sh", "YAML"…: names and
 * aliases, any case), or NULL. */
const hl_lang *hl_find(const char *name, size_t n);
/* Its canonical name ("bash" for "sh"), as in <pre data-lang="…">. */
const char *hl_name(const hl_lang *lang);
/* The canonical names, comma-separated, for messages. */
const char *hl_known(void);
/* True for the names that mean "no language" (text, txt, plain,
 * plaintext): shown plain without a warning. */
bool hl_is_plain(const char *name, size_t n);

/* Appends code[0..n) highlighted as lang (see the promises above). */
void hl_render(const hl_lang *lang, const char *code, size_t n, buf *out);

/* A fenced block's info string: the language (its first word), then
 * optional attributes, of which title="…" is read. */
typedef struct hl_info {
	const char *lang;
	size_t lang_len; /* 0: no language */
	const char *title;
	size_t title_len; /* 0: no title */
} hl_info;
hl_info hl_parse_info(const char *info);

/* Appends the HTML of a code block:
 *   <div class="code">[<div class="code-title">T</div>]<pre tabindex="0"
 *   [data-lang="L"]><code[ class="language-W"]>…</code></pre></div>
 * highlighted when info names a known language (L its canonical name, W the
 * word as written), plain otherwise.  Returns false when info names a
 * language that is neither known nor plain (the caller warns). */
bool hl_block(const char *info, const char *code, size_t n, buf *out);

#endif

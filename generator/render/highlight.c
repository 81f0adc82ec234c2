/* highlight.c: the lexers behind highlight.h.
 *
 * Why hand-written lexers in C, driven by one table per language
 * (highlight_langs.c): Debian 12 has no C highlighting library that would
 * do (GNU source-highlight and highlight are C++ with backtracking regular
 * expressions, GtkSourceView needs GTK, libtree-sitter ships no grammar for
 * these languages), and LPeg grammars (lua-lpeg) would run a Lua state per
 * render thread and backtrack on unclosed constructs.  A help centre's
 * snippets need words, strings, comments, numbers, variables and prompts
 * told apart, not parsed: one pass over the bytes does it, in time linear
 * in the code by construction, tens of MB/s, no allocation but the output.
 *
 * The invariant that keeps every lexer exact and linear: a lexer only ever
 * moves forward, through hl_to() (the bytes up to `end` are of class cls)
 * or hl_ws(); bytes are written once, escaped, by hl_flush().  Whatever a
 * lexer looks ahead at, it either consumes or looks at again at most once
 * (a line's key, a CSS rule's prelude), and a string or comment left
 * unclosed runs to the end of its line or of the code. */
#include "render/highlight.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/highlight_int.h"

struct hl_lexer {
	const hl_lang *l;
	const char *s;
	size_t n, i; /* the code and where the lexer is */
	buf *out;
	size_t pend;  /* [pend, i): lexed, not yet written… */
	hl_class cls; /* …all of this class */
	size_t bol;   /* where the current line starts */
	bool at_bol;  /* nothing but blanks since then */
	bool stmt;    /* the next word starts a statement (HL_STMT) */
	bool in_tag;  /* markup: inside <name …> */
	bool assign;  /* shell: in NAME=value, before the command */
	int block;    /* YAML: the indent of the key of a block scalar, or -1 */
};

static const char *const hl_class_names[] = {
	[HL_K] = "hl-k", [HL_S] = "hl-s", [HL_C] = "hl-c", [HL_N] = "hl-n", [HL_B] = "hl-b",
	[HL_V] = "hl-v", [HL_O] = "hl-o", [HL_P] = "hl-p", [HL_G] = "hl-g", [HL_D] = "hl-d",
	[HL_I] = "hl-i", [HL_T] = "hl-t", [HL_A] = "hl-a",
};

/* ---- output ---- */

/* As cmark escapes code: & < > and ". */
static void hl_escape(buf *out, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		default: continue;
		}
		buf_add(out, s + start, i - start);
		buf_adds(out, rep);
		start = i + 1;
	}
	buf_add(out, s + start, n - start);
}

static void hl_flush(hl_lexer *lx)
{
	if (lx->pend < lx->i) {
		if (lx->cls != HL_PLAIN) {
			buf_adds(lx->out, "<span class=\"");
			buf_adds(lx->out, hl_class_names[lx->cls]);
			buf_adds(lx->out, "\">");
		}
		hl_escape(lx->out, lx->s + lx->pend, lx->i - lx->pend);
		if (lx->cls != HL_PLAIN)
			buf_adds(lx->out, "</span>");
	}
	lx->pend = lx->i;
}

/* The bytes from i to end are of class cls. */
static void hl_to(hl_lexer *lx, hl_class cls, size_t end)
{
	if (end > lx->n)
		end = lx->n;
	if (end <= lx->i)
		end = lx->i + 1; /* always move: callers rely on it */
	if (cls != lx->cls) {
		hl_flush(lx);
		lx->cls = cls;
	}
	lx->i = end;
}

/* Blanks up to end join whatever run is open (fewer spans, same colours). */
static void hl_ws(hl_lexer *lx, size_t end) { lx->i = end; }

/* Markup around runs (console's hl-cmd): written between two runs. */
static void hl_raw(hl_lexer *lx, const char *html)
{
	hl_flush(lx);
	lx->cls = HL_PLAIN;
	buf_adds(lx->out, html);
}

/* ---- characters ---- */

static bool hl_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool hl_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static bool hl_blank(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

static bool hl_in(const char *set, unsigned char c) { return set && c && strchr(set, c) != NULL; }

static bool hl_word_char(const hl_lang *l, unsigned char c)
{
	return hl_alpha(c) || hl_digit(c) || hl_in(l->word_extra, c);
}

static bool hl_starts(const hl_lexer *lx, size_t i, const char *m)
{
	size_t k = strlen(m);
	return k && i + k <= lx->n && memcmp(lx->s + i, m, k) == 0;
}

static size_t hl_eol(const hl_lexer *lx, size_t i)
{
	const char *e = memchr(lx->s + i, '\n', lx->n - i);
	return e ? (size_t)(e - lx->s) : lx->n;
}

/* The end of the first m at or after i, or n. */
static size_t hl_past(const hl_lexer *lx, size_t i, const char *m)
{
	const char *e = i < lx->n ? memmem(lx->s + i, lx->n - i, m, strlen(m)) : NULL;
	return e ? (size_t)(e - lx->s) + strlen(m) : lx->n;
}

/* A word is in a sorted list (lowercased first for HL_NOCASE). */
static bool hl_listed(const hl_lang *l, const char *const *list, size_t len, const char *w, size_t n)
{
	char low[32];
	if (!list || n >= sizeof low)
		return false;
	for (size_t i = 0; i < n; i++)
		low[i] = (l->flags & HL_NOCASE) && w[i] >= 'A' && w[i] <= 'Z' ? (char)(w[i] + 'a' - 'A') : w[i];
	low[n] = '\0';
	size_t lo = 0, hi = len;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(low, list[mid]);
		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

/* A quoted run from i (s[i] is the quote): to the closing quote, past
 * backslash escapes unless raw, to the end of the line with HL_STR_LINE;
 * unclosed, to the end of the line or the code. */
static size_t hl_string_end(const hl_lexer *lx, size_t i, bool raw, bool line)
{
	char q = lx->s[i];
	size_t j = i + 1;
	while (j < lx->n) {
		char c = lx->s[j];
		if (c == q)
			return j + 1;
		if (c == '\n' && line)
			return j;
		j += c == '\\' && !raw ? 2 : 1;
	}
	return lx->n;
}

static size_t hl_skip_blanks(const hl_lexer *lx, size_t j)
{
	while (j < lx->n && hl_blank((unsigned char)lx->s[j]))
		j++;
	return j;
}

/* ---- the table-driven lexer ---- */

/* Rules that hold at the start of a line (after its blanks); true when one
 * consumed something. */
static bool hl_line_rules(hl_lexer *lx)
{
	const hl_lang *l = lx->l;
	const char *s = lx->s;
	size_t i = lx->i, n = lx->n, eol = hl_eol(lx, i);
	unsigned char c = (unsigned char)s[i];
	if ((l->flags & HL_PREPROC) && c == '#') {
		size_t j = hl_skip_blanks(lx, i + 1), w = j;
		while (j < n && hl_alpha((unsigned char)s[j]))
			j++;
		hl_to(lx, HL_K, j);
		if (j - w == 7 && memcmp(s + w, "include", 7) == 0) {
			size_t k = hl_skip_blanks(lx, j);
			if (k < eol && s[k] == '<') {
				const char *e = memchr(s + k, '>', eol - k);
				hl_ws(lx, k);
				hl_to(lx, HL_S, e ? (size_t)(e - s) + 1 : eol);
			}
		}
		return true;
	}
	if ((l->flags & HL_TAGS) && c == '<' && i + 1 < n && (hl_alpha((unsigned char)s[i + 1]) || s[i + 1] == '/')) {
		const char *e = memchr(s + i, '>', eol - i);
		hl_to(lx, HL_T, e ? (size_t)(e - s) + 1 : eol);
		return true;
	}
	if (l->flags & HL_KEYVAL) {
		if (c == '[') {
			const char *e = memchr(s + i, ']', eol - i);
			hl_to(lx, HL_K, e ? (size_t)(e - s) + 1 : eol);
			return true;
		}
		if (c == '#' || c == ';')
			return false;
		const char *eq = memchr(s + i, '=', eol - i);
		if (!eq || eq == s + i)
			return false;
		size_t k = (size_t)(eq - s);
		while (k > i && hl_blank((unsigned char)s[k - 1]))
			k--;
		hl_to(lx, HL_A, k);
		return true;
	}
	if (l->flags & HL_YAML) {
		size_t indent = i - lx->bol;
		if (lx->block >= 0 && indent > (size_t)lx->block) {
			hl_to(lx, HL_S, eol); /* a block scalar's line */
			return true;
		}
		lx->block = -1;
		if (indent == 0 && (hl_starts(lx, i, "---") || hl_starts(lx, i, "...")) &&
		    (i + 3 == eol || hl_blank((unsigned char)s[i + 3]))) {
			hl_to(lx, HL_K, i + 3);
			return true;
		}
		size_t start = i, j = i;
		while (j + 1 < eol && s[j] == '-' && s[j + 1] == ' ') /* "- " list items */
			j = hl_skip_blanks(lx, j + 1);
		if (j > i) {
			hl_to(lx, HL_O, j);
			i = j;
		}
		bool consumed = i > start;
		if (i >= eol) /* "- " and the end of the code */
			return consumed;
		c = (unsigned char)s[i];
		if (c == '#' || c == '"' || c == '\'' || c == '{' || c == '[')
			return consumed;
		/* key: up to ": " (or ':' at the end of the line) */
		size_t k = i;
		while (k < eol && s[k] != '#' && !(s[k] == ':' && (k + 1 == eol || hl_blank((unsigned char)s[k + 1]))))
			k++;
		if (k >= eol || s[k] != ':' || k == i)
			return consumed;
		hl_to(lx, HL_A, k);
		hl_to(lx, HL_O, k + 1);
		/* "key: |" or "key: >-": the lines indented deeper are the value */
		size_t v = hl_skip_blanks(lx, k + 1);
		if (v < eol && (s[v] == '|' || s[v] == '>')) {
			size_t w = v + 1;
			while (w < eol && (s[w] == '-' || s[w] == '+' || hl_digit((unsigned char)s[w])))
				w++;
			w = hl_skip_blanks(lx, w);
			if (w == eol || s[w] == '#')
				lx->block = (int)(i - lx->bol);
		}
		return true;
	}
	return false;
}

/* A word w[0..n) just lexed: its class, and whether a statement follows. */
static hl_class hl_word_class(hl_lexer *lx, const char *w, size_t n, size_t end)
{
	const hl_lang *l = lx->l;
	bool stmt = lx->stmt;
	lx->stmt = false;
	if (lx->assign)
		return HL_PLAIN; /* the value of NAME=value */
	if (hl_listed(l, l->keywords, l->n_keywords, w, n)) {
		/* "then cmd", "do cmd", "if cmd": a command follows (not "for x", "in a b") */
		if ((l->flags & HL_STMT) && !(l->flags & HL_STMT_KW))
			lx->stmt = !(n == 3 && memcmp(w, "for", 3) == 0) && !(n == 2 && memcmp(w, "in", 2) == 0) &&
				   !(n == 4 && memcmp(w, "case", 4) == 0) && !(n == 8 && memcmp(w, "function", 8) == 0);
		return HL_K;
	}
	if (stmt && (l->flags & HL_STMT)) {
		if (l->flags & HL_STMT_KW)
			return HL_K;
		if (end < lx->n && lx->s[end] == '=') { /* NAME=value cmd */
			lx->assign = true;
			return HL_V;
		}
		/* "sudo cmd", "env cmd": the command is the next word */
		static const char *const prefixes[] = { "doas", "env", "exec", "nohup", "sudo", "time", "xargs", NULL };
		for (const char *const *p = prefixes; *p; p++)
			lx->stmt = lx->stmt || (strlen(*p) == n && memcmp(*p, w, n) == 0);
		return HL_B;
	}
	if (hl_listed(l, l->builtins, l->n_builtins, w, n))
		return HL_B;
	if ((l->flags & HL_CALL) && end < lx->n && lx->s[end] == '(')
		return HL_B;
	return HL_PLAIN;
}

static void hl_lex_table(hl_lexer *lx)
{
	const hl_lang *l = lx->l;
	const char *s = lx->s;
	size_t n = lx->n;
	while (lx->i < n) {
		size_t i = lx->i, j;
		unsigned char c = (unsigned char)s[i];
		if (c == '\n') {
			if (!(i > 0 && s[i - 1] == '\\')) /* not a continued line */
				lx->stmt = true;
			lx->assign = false;
			hl_ws(lx, i + 1);
			lx->bol = i + 1;
			lx->at_bol = true;
			continue;
		}
		if (hl_blank(c)) {
			if (lx->assign) /* NAME=value done: the command comes */
				lx->stmt = true;
			lx->assign = false;
			hl_ws(lx, i + 1);
			continue;
		}
		bool bol = lx->at_bol;
		lx->at_bol = false;
		if (bol && hl_line_rules(lx))
			continue;
		bool word_start = i == 0 || hl_blank((unsigned char)s[i - 1]) || s[i - 1] == '\n' ||
				  hl_in(";|&(", (unsigned char)s[i - 1]);
		/* comments */
		if (l->block_comment[0] && hl_starts(lx, i, l->block_comment[0])) {
			hl_to(lx, HL_C, hl_past(lx, i + strlen(l->block_comment[0]), l->block_comment[1]));
			continue;
		}
		bool comment = false;
		for (int k = 0; k < 2 && !comment; k++)
			comment = l->line_comment[k] && hl_starts(lx, i, l->line_comment[k]) &&
				  (!(l->flags & HL_HASH_WORD) || c != '#' || word_start);
		if (comment) {
			hl_to(lx, HL_C, hl_eol(lx, i));
			continue;
		}
		/* PHP's tags */
		if ((l->flags & HL_PHP) && c == '<' && hl_starts(lx, i, "<?")) {
			j = i + 2;
			while (j < n && hl_alpha((unsigned char)s[j]))
				j++;
			hl_to(lx, HL_K, j + (j < n && s[j] == '='));
			continue;
		}
		if ((l->flags & HL_PHP) && hl_starts(lx, i, "?>")) {
			hl_to(lx, HL_K, i + 2);
			continue;
		}
		/* strings and quoted names */
		if (hl_in(l->quotes, c) || hl_in(l->var_quotes, c)) {
			hl_class cls = hl_in(l->quotes, c) ? HL_S : HL_V;
			if ((l->flags & HL_TRIPLE) && i + 2 < n && s[i + 1] == (char)c && s[i + 2] == (char)c) {
				char q[4] = { (char)c, (char)c, (char)c, 0 };
				j = hl_past(lx, i + 3, q);
			} else {
				j = hl_string_end(lx, i, hl_in(l->raw_quotes, c), (l->flags & HL_STR_LINE) != 0);
			}
			if ((l->flags & (HL_JSONKEY | HL_YAML)) && cls == HL_S) {
				size_t k = hl_skip_blanks(lx, j);
				if (k < n && s[k] == ':')
					cls = HL_A;
			}
			hl_to(lx, cls, j);
			continue;
		}
		/* variables */
		if ((l->flags & HL_DOLLAR) && c == '$' && i + 1 < n) {
			unsigned char d = (unsigned char)s[i + 1];
			lx->stmt = false;
			if (d == '{') {
				size_t eol = hl_eol(lx, i);
				const char *e = memchr(s + i, '}', eol - i);
				hl_to(lx, HL_V, e ? (size_t)(e - s) + 1 : eol);
				continue;
			}
			if (d == '(') {
				hl_to(lx, HL_O, i + 2);
				lx->stmt = true;
				continue;
			}
			if (hl_alpha(d) && d < 0x80) {
				j = i + 1;
				while (j < n && (hl_alpha((unsigned char)s[j]) || hl_digit((unsigned char)s[j])) &&
				       (unsigned char)s[j] < 0x80)
					j++;
				hl_to(lx, HL_V, j);
				continue;
			}
			if (hl_digit(d) || hl_in("?#@*!$-", d)) {
				hl_to(lx, HL_V, i + 2);
				continue;
			}
		}
		if ((l->flags & HL_PCT_VAR) && c == '%' && i + 1 < n && s[i + 1] == '{') {
			size_t eol = hl_eol(lx, i);
			const char *e = memchr(s + i, '}', eol - i);
			hl_to(lx, HL_V, e ? (size_t)(e - s) + 1 : eol);
			continue;
		}
		if ((l->flags & HL_AT) && c == '@' && i + 1 < n && hl_alpha((unsigned char)s[i + 1])) {
			j = i + 1;
			while (j < n && (hl_word_char(l, (unsigned char)s[j]) || s[j] == '.'))
				j++;
			hl_to(lx, HL_B, j);
			continue;
		}
		/* options: -x, --name, -Name */
		if ((l->flags & HL_DASHWORD) && c == '-' && word_start) {
			j = i + 1 + (i + 1 < n && s[i + 1] == '-');
			if (j < n && hl_alpha((unsigned char)s[j])) {
				while (j < n && hl_word_char(l, (unsigned char)s[j]))
					j++;
				lx->stmt = false;
				hl_to(lx, HL_A, j);
				continue;
			}
		}
		/* numbers */
		if (hl_digit(c)) {
			j = i + 1;
			while (j < n &&
			       (hl_alpha((unsigned char)s[j]) || hl_digit((unsigned char)s[j]) || s[j] == '.') &&
			       (unsigned char)s[j] < 0x80)
				j++;
			lx->stmt = false;
			hl_to(lx, HL_N, j);
			continue;
		}
		/* words */
		if (hl_alpha(c) || hl_in(l->word_extra, c)) {
			j = i + 1;
			while (j < n && hl_word_char(l, (unsigned char)s[j]))
				j++;
			hl_to(lx, hl_word_class(lx, s + i, j - i, j), j);
			continue;
		}
		if (hl_in(l->stmt_after, c))
			lx->stmt = true;
		hl_to(lx, hl_in(l->ops, c) ? HL_O : HL_PLAIN, i + 1);
	}
}

/* ---- console: prompts, commands, output ---- */

static const hl_lang *hl_lang_named(const char *name) { return hl_find(name, strlen(name)); }

/* The length of the prompt opening line[0..n) (0: none) and the language
 * of the command after it: "$ ", "# ", "% ", "user@host:~$ ",
 * "[user@host dir]# " (bash), "PS> ", "PS C:\dir> " (powershell),
 * ">>> " (python), "mysql> " (sql). */
static size_t hl_prompt(const char *line, size_t n, const char **lang)
{
	*lang = "bash";
	if (n >= 1 && (line[0] == '$' || line[0] == '#' || line[0] == '%') && (n == 1 || line[1] == ' '))
		return n == 1 ? 1 : 2;
	if (n >= 3 && memcmp(line, "PS", 2) == 0 && (line[2] == '>' || line[2] == ' ')) {
		const char *gt = memchr(line, '>', n < 256 ? n : 256);
		if (gt) {
			*lang = "powershell";
			size_t k = (size_t)(gt - line) + 1;
			return k + (k < n && line[k] == ' ');
		}
	}
	if (n >= 4 && memcmp(line, ">>> ", 4) == 0) {
		*lang = "python";
		return 4;
	}
	if (n >= 7 && memcmp(line, "mysql> ", 7) == 0) {
		*lang = "sql";
		return 7;
	}
	/* user@host:dir$ and [user@host dir]$: a first word (or a bracket) with an @ */
	size_t k = 0, lim = n < 128 ? n : 128;
	bool at = false;
	if (n && line[0] == '[') {
		while (k < lim && line[k] != ']')
			at = line[k++] == '@' || at;
		k += k < lim;
	} else {
		while (k < lim && line[k] != ' ' && line[k] != '$' && line[k] != '#')
			at = line[k++] == '@' || at;
	}
	if (at && k < n && (line[k] == '$' || line[k] == '#') && (k + 1 == n || line[k + 1] == ' '))
		return k + 1 + (k + 1 < n);
	return 0;
}

/* Runs lang's lexer over the bytes from lx->i to end, into the same output;
 * stmt: they start a statement (not a continued line). */
static void hl_sub(hl_lexer *lx, const hl_lang *lang, size_t end, bool stmt)
{
	hl_flush(lx);
	hl_lexer sub = { .l = lang,
			 .s = lx->s,
			 .n = end,
			 .i = lx->i,
			 .out = lx->out,
			 .pend = lx->i,
			 .bol = lx->i,
			 .at_bol = true,
			 .stmt = stmt,
			 .block = -1 };
	(lang->lex ? lang->lex : hl_lex_table)(&sub);
	hl_flush(&sub);
	lx->i = lx->pend = end;
	lx->cls = HL_PLAIN;
}

void hl_lex_console(hl_lexer *lx)
{
	bool cont = false; /* the last command line ended with '\' */
	while (lx->i < lx->n) {
		size_t i = lx->i, eol = hl_eol(lx, i);
		const char *name = "bash";
		size_t p = cont ? 0 : hl_prompt(lx->s + i, eol - i, &name);
		if (p || cont) {
			if (p)
				hl_to(lx, HL_P, i + p);
			hl_raw(lx, "<span class=\"hl-cmd\">");
			if (lx->i < eol)
				hl_sub(lx, hl_lang_named(name), eol, !cont);
			hl_raw(lx, "</span>");
			cont = eol > i && lx->s[eol - 1] == '\\';
		} else if (eol > i) {
			hl_to(lx, HL_G, eol);
		}
		if (eol < lx->n)
			hl_ws(lx, eol + 1);
	}
}

/* ---- diff: one class per line ---- */

void hl_lex_diff(hl_lexer *lx)
{
	while (lx->i < lx->n) {
		size_t i = lx->i, eol = hl_eol(lx, i);
		const char *s = lx->s + i;
		size_t len = eol - i;
		hl_class cls = HL_PLAIN;
		if ((len >= 4 && (memcmp(s, "+++ ", 4) == 0 || memcmp(s, "--- ", 4) == 0)) ||
		    (len >= 5 && memcmp(s, "diff ", 5) == 0) || (len >= 6 && memcmp(s, "index ", 6) == 0))
			cls = HL_K;
		else if (len >= 2 && memcmp(s, "@@", 2) == 0)
			cls = HL_A;
		else if (len && s[0] == '+')
			cls = HL_I;
		else if (len && s[0] == '-')
			cls = HL_D;
		else if (len && s[0] == '\\')
			cls = HL_C;
		if (len)
			hl_to(lx, cls, eol);
		if (eol < lx->n)
			hl_to(lx, HL_PLAIN, eol + 1);
	}
}

/* ---- HTML and XML ---- */

void hl_lex_markup(hl_lexer *lx)
{
	const char *s = lx->s;
	size_t n = lx->n;
	while (lx->i < n) {
		size_t i = lx->i, j;
		unsigned char c = (unsigned char)s[i];
		if (lx->in_tag) {
			if (hl_blank(c) || c == '\n') {
				hl_ws(lx, i + 1);
			} else if (c == '>' || (c == '/' && i + 1 < n && s[i + 1] == '>')) {
				hl_to(lx, HL_T, i + (c == '/' ? 2 : 1));
				lx->in_tag = false;
			} else if (c == '=') {
				hl_to(lx, HL_O, i + 1);
			} else if (c == '"' || c == '\'') {
				hl_to(lx, HL_S, hl_string_end(lx, i, true, false));
			} else {
				j = i + 1;
				while (j < n && !hl_blank((unsigned char)s[j]) &&
				       !hl_in("\n=>\"'", (unsigned char)s[j]) &&
				       !(s[j] == '/' && j + 1 < n && s[j + 1] == '>'))
					j++;
				hl_to(lx, i > 0 && s[i - 1] == '=' ? HL_S : HL_A, j);
			}
			continue;
		}
		if (c == '<') {
			if (hl_starts(lx, i, "<!--")) {
				hl_to(lx, HL_C, hl_past(lx, i + 4, "-->"));
			} else if (hl_starts(lx, i, "<![CDATA[")) {
				hl_to(lx, HL_S, hl_past(lx, i + 9, "]]>"));
			} else if (i + 1 < n && (s[i + 1] == '!' || s[i + 1] == '?')) {
				hl_to(lx, HL_K, hl_past(lx, i + 2, ">"));
			} else if (i + 1 < n && (hl_alpha((unsigned char)s[i + 1]) || s[i + 1] == '/')) {
				j = i + 1 + (s[i + 1] == '/');
				while (j < n && (hl_alpha((unsigned char)s[j]) || hl_digit((unsigned char)s[j]) ||
						 hl_in(":-.", (unsigned char)s[j])))
					j++;
				hl_to(lx, HL_T, j);
				lx->in_tag = true;
			} else {
				hl_to(lx, HL_PLAIN, i + 1);
			}
			continue;
		}
		if (c == '&') {
			j = i + 1;
			while (j < n && j < i + 32 &&
			       (hl_alpha((unsigned char)s[j]) || hl_digit((unsigned char)s[j]) || s[j] == '#') &&
			       (unsigned char)s[j] < 0x80)
				j++;
			hl_to(lx, j < n && s[j] == ';' && j > i + 1 ? HL_V : HL_PLAIN,
			      j < n && s[j] == ';' ? j + 1 : i + 1);
			continue;
		}
		j = i + 1;
		while (j < n && s[j] != '<' && s[j] != '&')
			j++;
		hl_to(lx, HL_PLAIN, j);
	}
}

/* ---- CSS ---- */

void hl_lex_css(hl_lexer *lx)
{
	const char *s = lx->s;
	size_t n = lx->n, prelude_end = 0;
	bool stmt = true, selector = false, first = true;
	while (lx->i < n) {
		size_t i = lx->i, j;
		unsigned char c = (unsigned char)s[i];
		if (hl_blank(c) || c == '\n') {
			hl_ws(lx, i + 1);
			continue;
		}
		if (stmt) { /* a rule's prelude is a selector when '{' ends it */
			stmt = false;
			first = true;
			for (j = i; j < n && s[j] != '{' && s[j] != ';' && s[j] != '}'; j++)
				;
			selector = j < n && s[j] == '{' && c != '@';
			prelude_end = j;
		}
		if (hl_starts(lx, i, "/*")) {
			hl_to(lx, HL_C, hl_past(lx, i + 2, "*/"));
		} else if (c == '"' || c == '\'') {
			hl_to(lx, HL_S, hl_string_end(lx, i, false, true));
		} else if (c == '{' || c == '}' || c == ';') {
			hl_to(lx, HL_PLAIN, i + 1);
			stmt = true;
		} else if (selector && i < prelude_end) {
			if (hl_in(",>+~", c)) {
				hl_to(lx, HL_O, i + 1);
				continue;
			}
			for (j = i + 1; j < prelude_end && !hl_blank((unsigned char)s[j]) &&
					!hl_in("\n,>+~\"'", (unsigned char)s[j]) && !hl_starts(lx, j, "/*");
			     j++)
				;
			hl_to(lx, HL_T, j);
		} else if ((c == '@' || c == '!') && i + 1 < n && hl_alpha((unsigned char)s[i + 1])) {
			for (j = i + 1; j < n && hl_word_char(lx->l, (unsigned char)s[j]); j++)
				;
			hl_to(lx, HL_K, j);
		} else if (c == '#' && i + 1 < n &&
			   (hl_alpha((unsigned char)s[i + 1]) || hl_digit((unsigned char)s[i + 1]))) {
			for (j = i + 1; j < n && hl_word_char(lx->l, (unsigned char)s[j]) && (unsigned char)s[j] < 0x80;
			     j++)
				;
			hl_to(lx, HL_N, j);
		} else if (hl_digit(c) || (c == '.' && i + 1 < n && hl_digit((unsigned char)s[i + 1]))) {
			for (j = i + 1; j < n &&
					(hl_alpha((unsigned char)s[j]) || hl_digit((unsigned char)s[j]) ||
					 s[j] == '.' || s[j] == '%') &&
					(unsigned char)s[j] < 0x80;
			     j++)
				;
			hl_to(lx, HL_N, j);
		} else if (hl_alpha(c) || c == '-') {
			for (j = i + 1; j < n && hl_word_char(lx->l, (unsigned char)s[j]); j++)
				;
			size_t k = hl_skip_blanks(lx, j);
			hl_class cls = first && k < n && s[k] == ':' ? HL_A : j < n && s[j] == '(' ? HL_B : HL_PLAIN;
			first = false;
			hl_to(lx, cls, j);
		} else {
			hl_to(lx, HL_PLAIN, i + 1);
		}
	}
}

/* ---- the public functions ---- */

const hl_lang *hl_find(const char *name, size_t n)
{
	for (size_t i = 0; i < hl_n_langs; i++)
		for (const char *const *a = hl_langs[i]->names; *a; a++)
			if (strlen(*a) == n && strncasecmp(*a, name, n) == 0)
				return hl_langs[i];
	return NULL;
}

const char *hl_name(const hl_lang *lang) { return lang->name; }

static char hl_known_list[512]; /* hl_langs' names, made once (hl_known) */

static void hl_known_make(void)
{
	size_t n = 0;
	for (size_t i = 0; i < hl_n_langs && n < sizeof hl_known_list; i++)
		n += (size_t)snprintf(hl_known_list + n, sizeof hl_known_list - n, "%s%s", i ? ", " : "",
				      hl_langs[i]->name);
}

const char *hl_known(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, hl_known_make);
	return hl_known_list;
}

bool hl_is_plain(const char *name, size_t n)
{
	/* and the languages shown as written: prose, logs, diagrams a
	 * client-side tool draws (mermaid), a highlighter's opt-out,
	 * templates (Jinja, Go's as Hugo docs write them: text around tags
	 * of their own) */
	static const char *const plain[] = { "text",   "txt",    "plain",   "plaintext",        "markdown", "md",
					     "log",    "output", "mermaid", "nohighlight",      "none",     "jinja",
					     "jinja2", "j2",     "tpl",     "go-html-template", "gotmpl" };
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
		if (strlen(plain[i]) == n && strncasecmp(plain[i], name, n) == 0)
			return true;
	return false;
}

void hl_render(const hl_lang *lang, const char *code, size_t n, buf *out)
{
	hl_lexer lx = { .l = lang, .s = code, .n = n, .out = out, .at_bol = true, .stmt = true, .block = -1 };
	buf_grow(out, n + n / 2);
	(lang->lex ? lang->lex : hl_lex_table)(&lx);
	hl_flush(&lx);
}

hl_info hl_parse_info(const char *info)
{
	hl_info r = { NULL, 0, NULL, 0 };
	const char *p = info ? info : "";
	while (*p == ' ' || *p == '\t')
		p++;
	/* Pandoc's and attribute lists' {.lang}, and the .lang some docs carry */
	p += *p == '{' && p[1] == '.' ? 2 : *p == '.' ? 1 : 0;
	r.lang = p;
	while (*p && *p != ' ' && *p != '\t' && *p != '}')
		p++;
	r.lang_len = (size_t)(p - r.lang);
	p += *p == '}';
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "title=", 6) == 0) {
			p += 6;
			char q = *p == '"' || *p == '\'' ? *p++ : 0;
			r.title = p;
			while (*p && (q ? *p != q : *p != ' ' && *p != '\t'))
				p++;
			r.title_len = (size_t)(p - r.title);
			if (q && *p)
				p++;
			continue;
		}
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return r;
}

bool hl_block(const char *info, const char *code, size_t n, buf *out)
{
	hl_info in = hl_parse_info(info);
	const hl_lang *lang = in.lang_len ? hl_find(in.lang, in.lang_len) : NULL;
	buf_adds(out, "<div class=\"code-block\">");
	if (in.title_len) {
		buf_adds(out, "<div class=\"code-title\">");
		hl_escape(out, in.title, in.title_len);
		buf_adds(out, "</div>");
	}
	buf_adds(out, "<pre tabindex=\"0\"");
	if (lang) {
		buf_adds(out, " data-lang=\"");
		buf_adds(out, lang->name);
		buf_addc(out, '"');
	}
	buf_adds(out, "><code");
	if (in.lang_len) {
		buf_adds(out, " class=\"language-");
		hl_escape(out, in.lang, in.lang_len);
		buf_addc(out, '"');
	}
	buf_addc(out, '>');
	if (lang)
		hl_render(lang, code, n, out);
	else
		hl_escape(out, code, n);
	buf_adds(out, "</code></pre></div>\n");
	return !in.lang_len || lang || hl_is_plain(in.lang, in.lang_len);
}

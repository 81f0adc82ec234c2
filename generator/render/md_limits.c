/* md_limits.c: pre-scans of the body before cmark-gfm parses it (md_limits.h).
 *
 * One pass over the lines, which looks at each line's start only (its
 * container markers, and whether it is a table's delimiter row) and counts
 * '@' with memchr: it must cost next to nothing, since every article goes
 * through it.  Measured on 256 KiB inputs (tests/pathological/, 2 loaded
 * cores), cmark-gfm 0.29.0.gfm.6 without these limits:
 *   ">" x 131,000 then "a*" x 65,000 (CVE-2023-26485)   over 20 s
 *   a table of 65,000 columns (CVE-2023-37463)            over 20 s
 *   2,000 columns x 120,000 rows, padded with empty cells  over 20 s
 *   43,000 e-mail autolinks "a@b.c" (CVE-2023-22483)       1.6 s
 *   65,000 references to one footnote (65,000 back-links)  0.5 to 2.9 s
 * The limits below are far above what a help article holds (a table of 20
 * columns and 5,000 rows passes). */
#include "render/md_limits.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/diag.h"
#include "util/utf8.h"

#define MD_MAX_NESTING 100        /* '>' and list markers opening one line */
#define MD_MAX_TABLE_COLUMNS 200  /* cells of a table's delimiter row */
#define MD_MAX_TABLE_CELLS 100000 /* columns x rows of one table */
#define MD_MAX_AT 10000           /* '@': each may start an e-mail autolink */
#define MD_MAX_FOOTNOTES 10000    /* "[^": footnote references and definitions */

typedef struct md_scan {
	const char *path;
	int first_line;
	int line;          /* 1-based, in the body */
	size_t table_cols; /* 0: not in a table */
	size_t table_cells;
} md_scan;

static bool md_blank(char c) { return c == ' ' || c == '\t'; }

/* Skips the container markers at the start of [p, end): block quotes '>',
 * bullets "- " "* " "+ ", ordered "1. " "1) ".  Returns where the content
 * starts; *depth is the number of markers, *deepest where the
 * (MD_MAX_NESTING + 1)th starts (NULL when not reached). */
static const char *md_containers(const char *p, const char *end, size_t *depth, const char **deepest)
{
	*depth = 0;
	*deepest = NULL;
	for (;;) {
		while (p < end && md_blank(*p))
			p++;
		const char *m = p;
		bool quote = p < end && *p == '>';
		bool bullet = p < end && (*p == '-' || *p == '*' || *p == '+') && (p + 1 == end || md_blank(p[1]));
		if (quote || bullet) {
			p++;
		} else {
			const char *q = p;
			while (q < end && q - p < 9 && *q >= '0' && *q <= '9')
				q++;
			if (q == p || q == end || (*q != '.' && *q != ')') || (q + 1 < end && !md_blank(q[1])))
				return m;
			p = q + 1;
		}
		if (++*depth == MD_MAX_NESTING + 1)
			*deepest = m;
	}
}

/* The number of cells when [p, end) is a table's delimiter row
 * ("|:--|--:|", "--|--"), else 0. */
static size_t md_delimiter_cells(const char *p, const char *end)
{
	size_t pipes = 0;
	bool dash = false;
	while (end > p && md_blank(end[-1]))
		end--;
	if (p == end)
		return 0;
	for (const char *q = p; q < end; q++) {
		if (*q == '|')
			pipes++;
		else if (*q == '-')
			dash = true;
		else if (*q != ':' && !md_blank(*q))
			return 0;
	}
	if (!pipes || !dash)
		return 0;
	/* cells: the pipes between them, plus one, less the outer pipes */
	return pipes + 1 - (*p == '|') - (end[-1] == '|' && end - 1 > p);
}

static phare_status md_limit_error(const md_scan *sc, int col, const char *what)
{
	diag_error(sc->path, sc->first_line - 1 + sc->line, col, "%s", what);
	return PHARE_ERR_LIMIT;
}

static phare_status md_scan_line(md_scan *sc, const char *line, const char *end)
{
	size_t depth;
	const char *deepest, *content = md_containers(line, end, &depth, &deepest);
	char msg[300];
	if (deepest) {
		snprintf(msg, sizeof msg,
			 "more than %d block quotes and list items ('>', '-', '*', '+', '1.') nested on one "
			 "line; cmark-gfm slows down quadratically on them: nest less deeply",
			 MD_MAX_NESTING);
		return md_limit_error(sc, (int)(deepest - line) + 1, msg);
	}
	const char *q = content; /* the line is not NUL-terminated: no strspn */
	while (q < end && (md_blank(*q) || *q == '\r'))
		q++;
	bool blank = q == end;
	if (sc->table_cols) {
		if (blank) {
			sc->table_cols = 0; /* a blank line ends the table (or what looked like one) */
			return PHARE_OK;
		}
		sc->table_cells += sc->table_cols;
		if (sc->table_cells > MD_MAX_TABLE_CELLS) {
			snprintf(msg, sizeof msg,
				 "a table of more than %d cells (%zu columns); cmark-gfm slows down on them: "
				 "split the table, or end it with a blank line",
				 MD_MAX_TABLE_CELLS, sc->table_cols);
			return md_limit_error(sc, 1, msg);
		}
		return PHARE_OK;
	}
	size_t cols = blank ? 0 : md_delimiter_cells(content, end);
	if (cols > MD_MAX_TABLE_COLUMNS) {
		snprintf(msg, sizeof msg,
			 "a table of %zu columns, more than %d; cmark-gfm slows down quadratically on them: "
			 "split the table",
			 cols, MD_MAX_TABLE_COLUMNS);
		return md_limit_error(sc, (int)(content - line) + 1, msg);
	}
	if (cols) {
		sc->table_cols = cols;
		sc->table_cells = 2 * cols; /* the header and the delimiter row */
	}
	return PHARE_OK;
}

/* More than max occurrences of the one- or two-byte needle: reported at
 * the one past the limit, with msg. */
static phare_status md_scan_count(const md_scan *sc, const char *text, size_t len, const char *needle, size_t max,
				  const char *msg)
{
	size_t n = 0, k = strlen(needle);
	const char *end = text + len, *p = text;
	while (p < end && (p = memchr(p, needle[0], (size_t)(end - p))) != NULL) {
		if ((k == 1 || (p + 1 < end && p[1] == needle[1])) && ++n > max) {
			md_scan at = *sc;
			const char *line_start = text;
			at.line = 1;
			for (const char *q = text; q < p; q++)
				if (*q == '\n') {
					at.line++;
					line_start = q + 1;
				}
			return md_limit_error(&at, (int)utf8_count(line_start, (size_t)(p - line_start)) + 1, msg);
		}
		p++;
	}
	return PHARE_OK;
}

phare_status md_limits_check(const char *path, int first_line, const char *text, size_t len)
{
	md_scan sc = { path, first_line, 0, 0, 0 };
	const char *p = text, *end = text + len;
	char msg[200];
	snprintf(msg, sizeof msg,
		 "more than %d '@' in one file (each may be an e-mail autolink); cmark-gfm slows down on "
		 "them: split the article",
		 MD_MAX_AT);
	phare_status s = md_scan_count(&sc, text, len, "@", MD_MAX_AT, msg);
	if (!s) {
		snprintf(msg, sizeof msg,
			 "more than %d '[^' (footnote references and definitions) in one file; cmark-gfm "
			 "slows down on them: split the article",
			 MD_MAX_FOOTNOTES);
		s = md_scan_count(&sc, text, len, "[^", MD_MAX_FOOTNOTES, msg);
	}
	while (!s && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		sc.line++;
		s = md_scan_line(&sc, p, eol);
		p = nl ? nl + 1 : end;
	}
	return s;
}

/* table.h: comparison tables, content/tables/<name>.yaml.
 *
 *   title: { fr: Comparatif des offres, en: Plans compared }
 *   columns:
 *     - id: lxc
 *       label: { fr: LXC, en: LXC }
 *       article: virtualisation/lxc        # optional: the header links to it
 *   rows:
 *     - id: isolation                      # optional: anchors, questionnaires
 *       criterion: { fr: Isolation, en: Isolation }
 *       cells:
 *         lxc: { fr: "Partage le **noyau**", en: "Shares the **kernel**" }
 *
 * Every text is inline Markdown, either one string for all languages or a
 * mapping language -> string.  A text missing in a language falls back to
 * the default language with a warning.  The loader checks the shape; that
 * an `article` exists is checked by the build, which knows the articles. */
#ifndef PHARE_TABLE_H
#define PHARE_TABLE_H

#include <stddef.h>

#include "content/site.h"
#include "util/arena.h"
#include "util/status.h"
#include "util/value.h"

typedef struct table_column {
	const char *id;
	const value *label;
	const char *article; /* "section/slug" or NULL */
	int line, col;
} table_column;

typedef struct table_row {
	const char *id;       /* NULL when not given */
	const value *criterion;
	const value **cells;  /* one per column, NULL for an empty cell */
	int line;
} table_row;

typedef struct table {
	const char *name;     /* file name without .yaml */
	const char *path;     /* shown in messages */
	const value *title;
	table_column *columns;
	size_t n_columns;
	table_row *rows;
	size_t n_rows;
} table;

/* Parses and validates the table file text; everything lives in a. */
phare_status table_parse(arena *a, const site_config *cfg, const char *name, const char *path,
			 const char *text, size_t len, table **out) PHARE_MUST_USE;
/* The text of v in language lang, else the default language's (warning
 * once, at v's line), else "". */
const char *table_text(const table *t, const site_config *cfg, const value *v, size_t lang);
/* The column with this id, or -1. */
int table_column_index(const table *t, const char *id, size_t len);

#endif

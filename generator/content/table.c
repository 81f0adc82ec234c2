/* table.c: loads and validates comparison tables (format in table.h). */
#include "content/table.h"

#include <string.h>

#include "util/diag.h"
#include "util/yamldoc.h"

static const char *const table_keys[] = { "title", "columns", "rows", NULL };
static const char *const column_keys[] = { "id", "label", "article", NULL };
static const char *const row_keys[] = { "id", "criterion", "cells", NULL };

static bool table_known(const char *key, const char *const *keys)
{
	for (; *keys; keys++)
		if (strcmp(key, *keys) == 0)
			return true;
	return false;
}

static phare_status table_check_keys(const char *path, const value *map, const char *const *keys,
				     const char *what, const char *list)
{
	for (size_t k = 0; k < map->u.map.len; k++) {
		if (!table_known(map->u.map.keys[k], keys)) {
			const value *v = map->u.map.vals[k];
			diag_error(path, v->line, v->col, "unknown key '%s' in %s; it takes %s", map->u.map.keys[k],
				   what, list);
			return PHARE_ERR_INPUT;
		}
	}
	return PHARE_OK;
}

static bool table_valid_id(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_'))
			return false;
	return true;
}

/* A text: a scalar, or a mapping of site languages to scalars. */
static phare_status table_check_text(const char *path, const site_config *cfg, const value *v,
				     const char *what)
{
	if (v->kind == VAL_STRING || v->kind == VAL_NUMBER || v->kind == VAL_BOOL)
		return PHARE_OK;
	if (v->kind != VAL_MAP) {
		diag_error(path, v->line, v->col, "%s must be text or a mapping of language to text, "
			   "e.g. { fr: …, en: … }", what);
		return PHARE_ERR_INPUT;
	}
	for (size_t k = 0; k < v->u.map.len; k++) {
		const char *lang = v->u.map.keys[k];
		const value *t = v->u.map.vals[k];
		if (site_language_index(cfg, lang, strlen(lang)) < 0) {
			diag_error(path, t->line, t->col, "'%s' is not a language of the site (site.yaml); "
				   "remove it or add the language", lang);
			return PHARE_ERR_INPUT;
		}
		if (t->kind == VAL_LIST || t->kind == VAL_MAP || t->kind == VAL_NULL) {
			diag_error(path, t->line, t->col, "%s in '%s' must be text", what, lang);
			return PHARE_ERR_INPUT;
		}
	}
	return PHARE_OK;
}

static phare_status table_columns(arena *a, table *t, const site_config *cfg, const value *cols)
{
	phare_status s;
	if (!cols || cols->kind != VAL_LIST || cols->u.list.len == 0) {
		diag_error(t->path, cols ? cols->line : 1, cols ? cols->col : 1,
			   "'columns' must be a non-empty list of {id, label}");
		return PHARE_ERR_INPUT;
	}
	t->columns = arena_alloc(a, sizeof(table_column) * cols->u.list.len);
	for (size_t i = 0; i < cols->u.list.len; i++) {
		const value *c = cols->u.list.items[i];
		if (c->kind != VAL_MAP) {
			diag_error(t->path, c->line, c->col, "each column must be a mapping with 'id' and 'label'");
			return PHARE_ERR_INPUT;
		}
		if ((s = table_check_keys(t->path, c, column_keys, "a column", "id, label, article")))
			return s;
		const value *id = value_map_get(c, "id"), *label = value_map_get(c, "label"),
			    *art = value_map_get(c, "article");
		if (!id || !table_valid_id(id->str)) {
			diag_error(t->path, c->line, c->col, "each column needs an 'id' of letters, digits, '-' or '_'");
			return PHARE_ERR_INPUT;
		}
		if (table_column_index(t, id->str, id->len) >= 0) {
			diag_error(t->path, id->line, id->col, "duplicate column id '%s'; column ids must be unique", id->str);
			return PHARE_ERR_INPUT;
		}
		if (!label) {
			diag_error(t->path, c->line, c->col, "column '%s' has no 'label'", id->str);
			return PHARE_ERR_INPUT;
		}
		if ((s = table_check_text(t->path, cfg, label, "a column label")))
			return s;
		if (art && (art->kind != VAL_STRING || !strchr(art->str, '/'))) {
			diag_error(t->path, art->line, art->col, "'article' must name an article as <section>/<slug>");
			return PHARE_ERR_INPUT;
		}
		t->columns[t->n_columns++] = (table_column){ id->str, label, art ? art->str : NULL, c->line, c->col };
	}
	return PHARE_OK;
}

static phare_status table_cells(arena *a, table *t, const site_config *cfg, table_row *r, const value *cells)
{
	phare_status s;
	r->cells = arena_alloc(a, sizeof(value *) * t->n_columns);
	if (!cells)
		return PHARE_OK;
	if (cells->kind != VAL_MAP) {
		diag_error(t->path, cells->line, cells->col, "'cells' must map column ids to texts");
		return PHARE_ERR_INPUT;
	}
	for (size_t k = 0; k < cells->u.map.len; k++) {
		const char *cid = cells->u.map.keys[k];
		const value *v = cells->u.map.vals[k];
		int ci = table_column_index(t, cid, strlen(cid));
		if (ci < 0) {
			diag_error(t->path, v->line, v->col, "a cell for column '%s', which does not exist; "
				   "the columns are declared under 'columns'", cid);
			return PHARE_ERR_INPUT;
		}
		if ((s = table_check_text(t->path, cfg, v, "a cell")))
			return s;
		r->cells[ci] = v;
	}
	return PHARE_OK;
}

static phare_status table_rows(arena *a, table *t, const site_config *cfg, const value *rows)
{
	phare_status s;
	if (!rows || rows->kind != VAL_LIST) {
		diag_error(t->path, rows ? rows->line : 1, rows ? rows->col : 1,
			   "'rows' must be a list of {criterion, cells}");
		return PHARE_ERR_INPUT;
	}
	t->rows = arena_alloc(a, sizeof(table_row) * (rows->u.list.len + 1));
	for (size_t i = 0; i < rows->u.list.len; i++) {
		const value *r = rows->u.list.items[i];
		if (r->kind != VAL_MAP) {
			diag_error(t->path, r->line, r->col, "each row must be a mapping with 'criterion' and 'cells'");
			return PHARE_ERR_INPUT;
		}
		if ((s = table_check_keys(t->path, r, row_keys, "a row", "id, criterion, cells")))
			return s;
		const value *id = value_map_get(r, "id"), *crit = value_map_get(r, "criterion");
		if (id && !table_valid_id(id->str)) {
			diag_error(t->path, id->line, id->col, "a row 'id' is letters, digits, '-' or '_'");
			return PHARE_ERR_INPUT;
		}
		for (size_t j = 0; id && j < t->n_rows; j++) {
			if (t->rows[j].id && strcmp(t->rows[j].id, id->str) == 0) {
				diag_error(t->path, id->line, id->col, "duplicate row id '%s'", id->str);
				return PHARE_ERR_INPUT;
			}
		}
		if (!crit) {
			diag_error(t->path, r->line, r->col, "a row without 'criterion'; say what the row compares");
			return PHARE_ERR_INPUT;
		}
		if ((s = table_check_text(t->path, cfg, crit, "a criterion")))
			return s;
		table_row *row = &t->rows[t->n_rows];
		row->id = id ? id->str : NULL;
		row->criterion = crit;
		row->line = r->line;
		if ((s = table_cells(a, t, cfg, row, value_map_get(r, "cells"))))
			return s;
		t->n_rows++;
	}
	return PHARE_OK;
}

phare_status table_parse(arena *a, const site_config *cfg, const char *name, const char *path,
			 const char *text, size_t len, table **out)
{
	value *root = NULL;
	phare_status s = yamldoc_parse(a, path, text, len, 1, &root);
	if (s)
		return s;
	table *t = arena_alloc(a, sizeof(*t));
	t->name = arena_strdup(a, name);
	t->path = path;
	if (root->kind != VAL_MAP) {
		diag_error(path, root->line, root->col, "a table is a mapping with 'title', 'columns' and 'rows'");
		return PHARE_ERR_INPUT;
	}
	if ((s = table_check_keys(path, root, table_keys, "a table", "title, columns, rows")))
		return s;
	t->title = value_map_get(root, "title");
	if (!t->title) {
		diag_error(path, 1, 1, "the table has no 'title'");
		return PHARE_ERR_INPUT;
	}
	if ((s = table_check_text(path, cfg, t->title, "'title'")) ||
	    (s = table_columns(a, t, cfg, value_map_get(root, "columns"))) ||
	    (s = table_rows(a, t, cfg, value_map_get(root, "rows"))))
		return s;
	*out = t;
	return PHARE_OK;
}

int table_column_index(const table *t, const char *id, size_t len)
{
	for (size_t i = 0; i < t->n_columns; i++)
		if (strlen(t->columns[i].id) == len && memcmp(t->columns[i].id, id, len) == 0)
			return (int)i;
	return -1;
}

const char *table_text(const table *t, const site_config *cfg, const value *v, size_t lang)
{
	if (!v)
		return "";
	if (v->kind != VAL_MAP)
		return v->str ? v->str : "";
	const value *x = value_map_get(v, cfg->languages[lang].code);
	if (x && x->str)
		return x->str;
	x = value_map_get(v, cfg->languages[cfg->default_language].code);
	diag_warning(t->path, v->line, v->col, "no '%s' text here; showing the '%s' one (translate it)",
		     cfg->languages[lang].code, cfg->languages[cfg->default_language].code);
	return x && x->str ? x->str : "";
}

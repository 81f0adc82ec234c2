/* theme.c: the embedded default theme, overridden file by file by the
 * author's templates/ folder (see theme.h). */
#include "render/theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/xalloc.h"

/* templates/ is the theme's few folders (assets/, i18n/, partials); a
 * deeper tree is a mistake or an attack on the recursion. */
#define THEME_MAX_DEPTH 8

/* An override: marked by a data pointer we own (freed in theme_free). */
static phare_status theme_walk(theme *t, const char *dir, const char *rel, int depth)
{
	if (depth > THEME_MAX_DEPTH) {
		diag_error(dir, 0, 0, "templates/ is nested more than %d folders deep; a theme needs no more",
			   THEME_MAX_DEPTH);
		return PHARE_ERR_LIMIT;
	}
	char **names = fsx_list(dir);
	phare_status s = PHARE_OK;
	for (char **n = names; n && *n && !s; n++) {
		if ((*n)[0] == '.')
			continue;
		char *full = fsx_join(dir, *n);
		char *r = *rel ? fsx_join(rel, *n) : xstrdup(*n);
		const char *unsafe = fsx_unsafe_name(*n);
		if (unsafe) {
			/* assets/ are published under their names */
			diag_error(full, 0, 0, "this file name cannot be used: %s; rename it", unsafe);
			s = PHARE_ERR_INPUT;
			free(r);
		} else if (fsx_is_dir(full)) {
			s = theme_walk(t, full, r, depth + 1);
			free(r);
		} else {
			buf b = BUF_INIT;
			s = fsx_read(full, &b, 4 << 20);
			size_t len;
			char *data = buf_detach(&b, &len);
			t->own = xgrow(t->own, &t->cap_own, t->n_own + 1, sizeof(struct theme_file));
			t->own[t->n_own++] = (struct theme_file){ r, (const unsigned char *)data, len };
		}
		free(full);
	}
	fsx_free_list(names);
	return s;
}

phare_status theme_load(theme *t, const char *source)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < theme_files_count; i++)
		map_put(&t->files, theme_files[i].path, (void *)&theme_files[i]);
	t->origin_dir = fsx_join(source, "templates");
	fsx_kind k = fsx_stat(t->origin_dir);
	if (k == FSX_MISSING)
		return PHARE_OK;
	/* a link out is refused by fsx_list; a file there is not a theme */
	if (k == FSX_FILE || k == FSX_OTHER) {
		diag_error(t->origin_dir, 0, 0, "not a folder; templates/ holds the theme's overrides");
		return PHARE_ERR_INPUT;
	}
	phare_status s = theme_walk(t, t->origin_dir, "", 0);
	/* Pointers into t->own are stable only once it stops growing. */
	for (size_t i = 0; i < t->n_own; i++)
		map_put(&t->files, t->own[i].path, &t->own[i]);
	return s;
}

const struct theme_file *theme_find(const theme *t, const char *path)
{
	return map_get(&t->files, path);
}

const char *theme_shown_path(const theme *t, const char *path, char *out, size_t size)
{
	const struct theme_file *f = theme_find(t, path);
	bool own = f && t->n_own && f >= t->own && f < t->own + t->n_own;
	if (own)
		snprintf(out, size, "%s/%s", t->origin_dir, path);
	else
		snprintf(out, size, "templates/%s (default theme)", path);
	return out;
}

void theme_free(theme *t)
{
	for (size_t i = 0; i < t->n_own; i++) {
		free((void *)t->own[i].path);
		free((void *)t->own[i].data);
	}
	free(t->own);
	free(t->origin_dir);
	map_release(&t->files);
	memset(t, 0, sizeof(*t));
}

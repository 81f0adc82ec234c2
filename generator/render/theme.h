/* theme.h: the template files of the site: the default theme embedded in
 * the binary at build time (templates/ -> build/theme_data.c), overridden
 * file by file by a templates/ folder in the source. */
#ifndef PHARE_THEME_H
#define PHARE_THEME_H

#include <stddef.h>

struct theme_file {
	const char *path; /* relative to templates/, e.g. "page.mustache" */
	const unsigned char *data;
	size_t len;
};

/* Generated (build/theme_data.c). */
extern const struct theme_file theme_files[];
extern const size_t theme_files_count;

#include "util/map.h"
#include "util/status.h"

/* The theme in use: every embedded file, replaced by <source>/templates/<same path>
 * where the author has one.  Owns the override files' bytes. */
typedef struct theme {
	map files;       /* path -> struct theme_file * */
	struct theme_file *own; /* override entries */
	size_t n_own, cap_own;
	char *origin_dir; /* <source>/templates, for messages */
} theme;

/* Loads the embedded theme and the overrides under source/templates/ (if any). */
phare_status theme_load(theme *t, const char *source) PHARE_MUST_USE;
const struct theme_file *theme_find(const theme *t, const char *path);
/* The path to show in messages for a theme file: "templates/page.mustache"
 * for an override, "(default theme) templates/page.mustache" otherwise. */
const char *theme_shown_path(const theme *t, const char *path, char *buf, size_t size);
void theme_free(theme *t);

#endif

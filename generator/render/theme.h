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

#endif

/* import_hugo.h: what the two halves of the Hugo importer share
 * (import_hugo.c reads the site and the tree, import_hugo_page.c converts a
 * page's shortcodes and blocks).  Internal to generator/import/. */
#ifndef PHARE_IMPORT_HUGO_H
#define PHARE_IMPORT_HUGO_H

#include <stdbool.h>

#include "import/import.h"

/* Whether rel (under the source root) is a regular file. */
bool hg_exists(import_ctx *cx, const char *rel);
/* Converts page p (its front matter already read) into p->body. */
phare_status hg_convert(import_ctx *cx, import_page *p) PHARE_MUST_USE;

#endif

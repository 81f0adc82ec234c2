/* md_limits.h: cheap pre-scans that refuse the Markdown shapes on which
 * cmark-gfm 0.29.0.gfm.6 (Debian 12, without the 2023 security fixes) is
 * quadratic or worse, before it parses them.  Each limit is far above what
 * an article needs; each refusal is one error at the line and column where
 * the limit is passed, naming the limit and how to stay within it. */
#ifndef PHARE_MD_LIMITS_H
#define PHARE_MD_LIMITS_H

#include <stddef.h>

#include "util/status.h"

/* text[0..len) is the body, starting on the file's line first_line. */
phare_status md_limits_check(const char *path, int first_line, const char *text, size_t len) PHARE_MUST_USE;

#endif

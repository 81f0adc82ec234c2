/* fsx.h: the file-system operations phare needs, with errors reported
 * through diag (naming the path and the system's reason). */
#ifndef PHARE_FSX_H
#define PHARE_FSX_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "status.h"

/* Reads a whole regular file into out (appended).  max_bytes 0: no limit;
 * a larger file is PHARE_ERR_LIMIT, reported. */
phare_status fsx_read(const char *path, buf *out, size_t max_bytes) PHARE_MUST_USE;
/* Writes data to path, creating or truncating it. */
phare_status fsx_write(const char *path, const void *data, size_t len) PHARE_MUST_USE;
/* mkdir -p; path components that exist are fine. */
phare_status fsx_mkdirs(const char *path) PHARE_MUST_USE;
/* rm -rf, never following symbolic links. Missing path is fine. */
phare_status fsx_remove_tree(const char *path) PHARE_MUST_USE;
bool fsx_is_dir(const char *path);
bool fsx_is_file(const char *path);
/* Lists the names in dir (not . or ..), sorted bytewise, into a
 * NULL-terminated array; free with fsx_free_list.  NULL if dir cannot be read. */
char **fsx_list(const char *dir);
void fsx_free_list(char **names);
/* Joins a and b with one '/', into a new string (caller frees); a "."
 * (the current folder) gives b itself. */
char *fsx_join(const char *a, const char *b);

#endif

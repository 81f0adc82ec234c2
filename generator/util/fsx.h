/* fsx.h: the file-system operations phare needs, with errors reported
 * through diag (naming the path and the system's reason).
 *
 * Confinement.  What lies under the source folder is written by strangers
 * (a pull request built in CI), so once fsx_confine(root) has been called,
 * every path these functions open that is root itself or lies under
 * "root/" (as fsx_join makes them) is resolved beneath root: a symbolic link
 * or ".." that leads outside is refused (EXDEV), and fsx_read and fsx_list
 * report it, naming the link and where it points.  A link that stays inside
 * works.  Paths elsewhere (--out, the feedback database) are opened as
 * given: confinement is about what is read, not written. */
#ifndef PHARE_FSX_H
#define PHARE_FSX_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "status.h"

/* Confines reads under root (see above) for the rest of the process, or
 * until it is called with another root; NULL lifts it.  Call it before
 * threads that read start.  An error if root cannot be opened. */
phare_status fsx_confine(const char *root) PHARE_MUST_USE;

/* Opens path (O_CLOEXEC added), beneath the root where confined: a
 * descriptor, or -1 with errno (EXDEV: it leads outside the root).  Says
 * nothing: fsx_report_open does. */
int fsx_open(const char *path, int flags);
/* Opens name relative to folder dirfd without leaving it (no "..", no link
 * out of it): a descriptor, or -1 with errno as fsx_open. */
int fsx_open_beneath(int dirfd, const char *name, int flags);
/* Tests only: behave as on a kernel without openat2 (the fallback that
 * refuses every link), or not. */
void fsx_test_without_openat2(bool without);
/* Reports once why opening path failed with error e (what: "read",
 * "list"): for EXDEV, the link that leads outside and its target. */
void fsx_report_open(const char *path, int e, const char *what);

typedef enum fsx_kind {
	FSX_MISSING, /* nothing there, or it cannot be looked at */
	FSX_FILE,    /* a regular file */
	FSX_DIR,
	FSX_OTHER,   /* a FIFO, socket or device */
	FSX_OUTSIDE, /* a link, or "..", that leads outside the confinement root */
} fsx_kind;
/* What path is, following links (beneath the root where confined). */
fsx_kind fsx_stat(const char *path);

/* Reads a whole regular file into out (appended).  max_bytes 0: no limit;
 * a larger file is PHARE_ERR_LIMIT, reported. */
phare_status fsx_read(const char *path, buf *out, size_t max_bytes) PHARE_MUST_USE;
/* Writes data to path, creating or truncating it; never through a symbolic
 * link (an error). */
phare_status fsx_write(const char *path, const void *data, size_t len) PHARE_MUST_USE;
/* As fsx_write, but atomically: the data goes to a new file beside path,
 * then renamed over it, so a reader sees the old file or the new one, never
 * half of one; on failure the new file is removed and path is untouched. */
phare_status fsx_replace(const char *path, const void *data, size_t len) PHARE_MUST_USE;
/* As fsx_write, but path must not exist: an error, reported, when it does
 * (phare new never overwrites an author's file). */
phare_status fsx_create(const char *path, const void *data, size_t len) PHARE_MUST_USE;
/* An error, reported, if path is a symbolic link: phare writes into
 * folders it made, never through a link someone left (what: "--out"). */
phare_status fsx_refuse_link(const char *path, const char *what) PHARE_MUST_USE;
/* mkdir -p; path components that exist are fine. */
phare_status fsx_mkdirs(const char *path) PHARE_MUST_USE;
/* The same, saying nothing: for a folder the build can do without (the
 * build cache's key, build/cache_key.c), whose failure is not an error. */
phare_status fsx_mkdirs_quiet(const char *path) PHARE_MUST_USE;
/* rm -rf, never following symbolic links. Missing path is fine. */
phare_status fsx_remove_tree(const char *path) PHARE_MUST_USE;
/* fsx_stat(path) == FSX_DIR / FSX_FILE. */
bool fsx_is_dir(const char *path);
bool fsx_is_file(const char *path);
/* Whether name is safe to publish as a file name on any host: valid UTF-8,
 * no control character, no backslash, not "." or "..", and none of the
 * Unicode characters that look like or fold to '/', '\\' or '.' (U+2215,
 * U+FF0F, U+FF0E…).  NULL if it is, else what is wrong with it. */
const char *fsx_unsafe_name(const char *name);
/* Lists the names in dir (not . or ..), sorted bytewise, into a
 * NULL-terminated array; free with fsx_free_list.  NULL if dir cannot be read
 * (a folder that leads outside the confinement root is reported). */
char **fsx_list(const char *dir);
/* dir opened for reading as fsx_list opens it (confined, a folder leading
 * outside reported); NULL if it cannot be.  closedir() it. */
DIR *fsx_opendir(const char *dir);
/* The same of a folder already open (left open, read to its end): a walk
 * that looks at each name with fstatat(dirfd(d), …) walks one component
 * a name rather than the whole path. */
char **fsx_list_open(DIR *d);
void fsx_free_list(char **names);
/* Joins a and b with one '/', into a new string (caller frees); a "."
 * (the current folder) gives b itself. */
char *fsx_join(const char *a, const char *b);

#endif

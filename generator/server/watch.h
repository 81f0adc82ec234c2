/* watch.h: tells `phare serve` when the author changed a source file.
 *
 * inotify watches on the named folders of the source (content, templates,
 * rules) and every folder beneath them, added as folders appear (a new
 * section) and dropped as they go; the source folder itself is watched for
 * the named folders being created later.  Editors' scratch files (names
 * starting with '.', ending in '~', vim's "4913" probe) do not count.
 * Symbolic links are not followed.  One thread uses a watch. */
#ifndef PHARE_WATCH_H
#define PHARE_WATCH_H

#include <stdbool.h>

#include "util/status.h"

typedef struct watch watch;

/* Watches source/<name> for each name of the NULL-terminated names (those
 * that do not exist yet are picked up when they are created).  Errors
 * (no inotify, watch limit reached) are reported. */
phare_status watch_open(const char *source, const char *const *names, watch **out) PHARE_MUST_USE;
/* The descriptor to poll for POLLIN. */
int watch_fd(const watch *w);
/* Reads the pending events without blocking; true when one of them is a
 * change that may alter the site.  New folders are watched from here. */
bool watch_read(watch *w);
/* The changes read since the last call, and forgets them: a sorted,
 * NULL-terminated list of paths relative to the source, e.g.
 * "content/fr/x/y.md" (free with fsx_free_list).  *all is set when the
 * list cannot tell everything: more than WATCH_MAX_CHANGES paths, events
 * lost by the kernel, a watched folder itself created, moved or removed.
 * A file created and then deleted or moved away since the last call (a
 * temporary file renamed over the one saved) is not listed, so the list
 * may be empty after watch_read said true. */
#define WATCH_MAX_CHANGES 64
char **watch_take(watch *w, bool *all);
/* Folders currently watched. */
unsigned watch_count(const watch *w);
void watch_close(watch *w);

#endif

/* watch.c: recursive inotify watches over the source folders.
 *
 * inotify watches one folder, not a tree, so every folder gets its own
 * watch, kept in a table from watch descriptor to path.  A folder created
 * (or moved in) is scanned when its event arrives: files written into it
 * before its watch existed are covered because the creation itself counts
 * as a change and the build reads the whole tree.
 *
 * A file that appears and goes again between two watch_take calls is no
 * change: many tools save x.md by writing x.md.tmp (or x.md___jb_tmp___)
 * and renaming it over x.md, and the temporary name must not turn a
 * one-article edit into "two files changed", which phare serve answers with
 * a full build. */
#include "server/watch.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/diag.h"
#include "util/fsx.h"
#include "util/xalloc.h"

#define WATCH_MAX_DEPTH 32

#define WATCH_TREE_MASK                                                                          \
	(IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | \
	 IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW)
#define WATCH_TOP_MASK (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR | IN_DONT_FOLLOW)

typedef struct watch_dir {
	int wd;
	char *rel; /* relative to the source: "content/en" */
} watch_dir;

/* A path changed since the last watch_take. */
typedef struct watch_change {
	char *rel;
	bool born; /* its first event was its creation: it did not exist before */
} watch_change;

struct watch {
	int fd;
	int top_wd; /* the source folder itself */
	char *source;
	char **names;
	watch_dir *dirs;
	size_t n_dirs, cap_dirs;
	watch_change *changes; /* since the last watch_take */
	size_t n_changes, cap_changes;
	bool all;
};

static watch_dir *watch_find(watch *w, int wd)
{
	for (size_t i = 0; i < w->n_dirs; i++)
		if (w->dirs[i].wd == wd)
			return &w->dirs[i];
	return NULL;
}

static void watch_forget(watch *w, int wd)
{
	for (size_t i = 0; i < w->n_dirs; i++) {
		if (w->dirs[i].wd == wd) {
			free(w->dirs[i].rel);
			w->dirs[i] = w->dirs[--w->n_dirs];
			return;
		}
	}
}

/* Watches rel (relative to the source) and the folders beneath it.  A
 * folder that vanished in the meantime is fine; running out of watches is
 * reported. */
static phare_status watch_add_tree(watch *w, const char *rel, int depth)
{
	char *path = fsx_join(w->source, rel);
	phare_status s = PHARE_OK;
	int wd = inotify_add_watch(w->fd, path, WATCH_TREE_MASK);
	if (wd < 0) {
		if (errno != ENOENT && errno != ENOTDIR) {
			diag_error(path, 0, 0, "cannot watch this folder for changes: %s%s", strerror(errno),
				   errno == ENOSPC ? " (raise fs.inotify.max_user_watches with sysctl)" : "");
			s = PHARE_ERR_IO;
		}
		goto done;
	}
	watch_dir *d = watch_find(w, wd); /* the same folder again gives the same wd */
	if (d) {
		free(d->rel);
		d->rel = xstrdup(rel);
	} else {
		w->dirs = xgrow(w->dirs, &w->cap_dirs, w->n_dirs + 1, sizeof(watch_dir));
		w->dirs[w->n_dirs++] = (watch_dir){ wd, xstrdup(rel) };
	}
	if (depth >= WATCH_MAX_DEPTH)
		goto done;
	char **names = fsx_list(path);
	for (size_t i = 0; names && names[i] && !s; i++) {
		char *sub = fsx_join(path, names[i]);
		struct stat st;
		if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode)) {
			char *subrel = fsx_join(rel, names[i]);
			s = watch_add_tree(w, subrel, depth + 1);
			free(subrel);
		}
		free(sub);
	}
	fsx_free_list(names);
done:
	free(path);
	return s;
}

/* Notes rel (taken over) as changed by an event of the given mask.  A
 * file created since the last watch_take and now deleted or moved away
 * existed neither before nor after: it is forgotten. */
static void watch_note(watch *w, char *rel, uint32_t mask)
{
	for (size_t i = 0; i < w->n_changes; i++) {
		if (strcmp(w->changes[i].rel, rel) != 0)
			continue;
		free(rel);
		if (w->changes[i].born && (mask & (IN_DELETE | IN_MOVED_FROM))) {
			free(w->changes[i].rel);
			w->changes[i] = w->changes[--w->n_changes]; /* watch_take sorts */
		}
		return;
	}
	if (w->n_changes >= WATCH_MAX_CHANGES) {
		w->all = true;
		free(rel);
		return;
	}
	w->changes = xgrow(w->changes, &w->cap_changes, w->n_changes + 1, sizeof(watch_change));
	w->changes[w->n_changes++] = (watch_change){ rel, (mask & IN_CREATE) != 0 };
}

static int watch_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **watch_take(watch *w, bool *all)
{
	char **list = xcalloc(w->n_changes + 1, sizeof(char *));
	for (size_t i = 0; i < w->n_changes; i++)
		list[i] = w->changes[i].rel;
	qsort(list, w->n_changes, sizeof(char *), watch_cmp);
	*all = w->all;
	w->n_changes = 0;
	w->all = false;
	return list;
}

phare_status watch_open(const char *source, const char *const *names, watch **out)
{
	*out = NULL;
	watch *w = xcalloc(1, sizeof(*w));
	w->source = xstrdup(source);
	size_t n = 0;
	while (names[n])
		n++;
	w->names = xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		w->names[i] = xstrdup(names[i]);
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0) {
		diag_error(source, 0, 0, "cannot watch for changes (inotify: %s)", strerror(errno));
		watch_close(w);
		return PHARE_ERR_IO;
	}
	w->top_wd = inotify_add_watch(w->fd, source, WATCH_TOP_MASK);
	if (w->top_wd < 0) {
		diag_error(source, 0, 0, "cannot watch this folder for changes: %s", strerror(errno));
		watch_close(w);
		return PHARE_ERR_IO;
	}
	phare_status s = PHARE_OK;
	for (size_t i = 0; i < n && !s; i++)
		s = watch_add_tree(w, names[i], 0);
	if (s) {
		watch_close(w);
		return s;
	}
	*out = w;
	return PHARE_OK;
}

int watch_fd(const watch *w) { return w->fd; }
unsigned watch_count(const watch *w) { return (unsigned)w->n_dirs; }

/* Editors write scratch files beside the one being saved. */
static bool watch_scratch_name(const char *name)
{
	size_t n = strlen(name);
	return name[0] == '.' || (n && name[n - 1] == '~') || strcmp(name, "4913") == 0;
}

static bool watch_is_top_name(const watch *w, const char *name)
{
	for (size_t i = 0; w->names[i]; i++)
		if (strcmp(w->names[i], name) == 0)
			return true;
	return false;
}

/* One event; true when it may change the site. */
static bool watch_event(watch *w, const struct inotify_event *ev)
{
	if (ev->mask & IN_Q_OVERFLOW) {
		/* Events were lost: watch every folder again (known ones keep their wd). */
		for (size_t i = 0; w->names[i]; i++)
			(void)!watch_add_tree(w, w->names[i], 0);
		w->all = true;
		return true;
	}
	if (ev->mask & IN_IGNORED) {
		if (ev->wd != w->top_wd)
			watch_forget(w, ev->wd);
		return false;
	}
	const char *name = ev->len ? ev->name : "";
	bool new_dir = (ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO));
	if (ev->wd == w->top_wd) {
		if (!watch_is_top_name(w, name))
			return false;
		if (new_dir)
			(void)!watch_add_tree(w, name, 0);
		w->all = true;
		return true;
	}
	watch_dir *d = watch_find(w, ev->wd);
	if (!d)
		return false;
	if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
		w->all = true;
		return true;
	}
	if (!*name || watch_scratch_name(name))
		return false;
	char *rel = fsx_join(d->rel, name);
	if (new_dir)
		(void)!watch_add_tree(w, rel, 1);
	watch_note(w, rel, ev->mask);
	return true;
}

bool watch_read(watch *w)
{
	/* Aligned as inotify(7) asks. */
	char events[16 * (sizeof(struct inotify_event) + NAME_MAX + 1)]
		__attribute__((aligned(__alignof__(struct inotify_event))));
	bool changed = false;
	for (;;) {
		ssize_t n = read(w->fd, events, sizeof(events));
		if (n <= 0)
			break; /* EAGAIN: nothing more for now */
		for (char *p = events; p < events + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			if (watch_event(w, ev))
				changed = true;
			p += sizeof(struct inotify_event) + ev->len;
		}
	}
	return changed;
}

void watch_close(watch *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	for (size_t i = 0; i < w->n_dirs; i++)
		free(w->dirs[i].rel);
	free(w->dirs);
	for (size_t i = 0; i < w->n_changes; i++)
		free(w->changes[i].rel);
	free(w->changes);
	for (size_t i = 0; w->names && w->names[i]; i++)
		free(w->names[i]);
	free(w->names);
	free(w->source);
	free(w);
}

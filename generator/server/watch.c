/* watch.c: recursive inotify watches over the source folders.
 *
 * inotify watches one folder, not a tree, so every folder gets its own
 * watch, kept in a table from watch descriptor to path.  A folder created
 * (or moved in) is scanned when its event arrives: files written into it
 * before its watch existed are covered because the creation itself counts
 * as a change and the build reads the whole tree. */
#include "server/watch.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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
	char *path;
} watch_dir;

struct watch {
	int fd;
	int top_wd; /* the source folder itself */
	char *source;
	char **names;
	watch_dir *dirs;
	size_t n_dirs, cap_dirs;
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
			free(w->dirs[i].path);
			w->dirs[i] = w->dirs[--w->n_dirs];
			return;
		}
	}
}

/* Watches path and the folders beneath it.  A folder that vanished in the
 * meantime is fine; running out of watches is reported. */
static phare_status watch_add_tree(watch *w, const char *path, int depth)
{
	int wd = inotify_add_watch(w->fd, path, WATCH_TREE_MASK);
	if (wd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return PHARE_OK;
		diag_error(path, 0, 0, "cannot watch this folder for changes: %s%s", strerror(errno),
			   errno == ENOSPC ? " (raise fs.inotify.max_user_watches with sysctl)" : "");
		return PHARE_ERR_IO;
	}
	watch_dir *d = watch_find(w, wd); /* the same folder again gives the same wd */
	if (d) {
		free(d->path);
		d->path = xstrdup(path);
	} else {
		w->dirs = xgrow(w->dirs, &w->cap_dirs, w->n_dirs + 1, sizeof(watch_dir));
		w->dirs[w->n_dirs++] = (watch_dir){ wd, xstrdup(path) };
	}
	if (depth >= WATCH_MAX_DEPTH)
		return PHARE_OK;
	char **names = fsx_list(path);
	phare_status s = PHARE_OK;
	for (size_t i = 0; names && names[i] && !s; i++) {
		char *sub = fsx_join(path, names[i]);
		struct stat st;
		if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			s = watch_add_tree(w, sub, depth + 1);
		free(sub);
	}
	fsx_free_list(names);
	return s;
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
	for (size_t i = 0; i < n && !s; i++) {
		char *path = fsx_join(source, names[i]);
		s = watch_add_tree(w, path, 0);
		free(path);
	}
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
		for (size_t i = 0; w->names[i]; i++) {
			char *path = fsx_join(w->source, w->names[i]);
			(void)!watch_add_tree(w, path, 0);
			free(path);
		}
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
		if (new_dir) {
			char *path = fsx_join(w->source, name);
			(void)!watch_add_tree(w, path, 0);
			free(path);
		}
		return true;
	}
	watch_dir *d = watch_find(w, ev->wd);
	if (!d)
		return false;
	if (new_dir && !watch_scratch_name(name)) {
		char *path = fsx_join(d->path, name);
		(void)!watch_add_tree(w, path, 1);
		free(path);
	}
	if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF))
		return true;
	return !*name || !watch_scratch_name(name);
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
		free(w->dirs[i].path);
	free(w->dirs);
	for (size_t i = 0; w->names && w->names[i]; i++)
		free(w->names[i]);
	free(w->names);
	free(w->source);
	free(w);
}

/* fsx.c: file helpers (see fsx.h). */
#include "fsx.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "diag.h"
#include "utf8.h"
#include "xalloc.h"

/* The confinement root: set before reading threads start, then only read. */
static struct {
	char *root; /* as given, without trailing '/' */
	size_t len;
	int fd; /* an O_PATH descriptor of it; -1 if it does not exist */
} fsx_jail = { NULL, 0, -1 };

/* Set once openat2 answered ENOSYS (a kernel before 5.6, or a seccomp
 * filter that does not know it): fsx_open_walk instead. */
static int fsx_no_openat2;

phare_status fsx_confine(const char *root)
{
	if (fsx_jail.root && root && strcmp(fsx_jail.root, root) == 0)
		return PHARE_OK; /* serve confines again before every build */
	free(fsx_jail.root);
	if (fsx_jail.fd >= 0)
		close(fsx_jail.fd);
	fsx_jail.root = NULL;
	fsx_jail.len = 0;
	fsx_jail.fd = -1;
	if (!root)
		return PHARE_OK;
	/* A missing root confines all the same: nothing under it can be
	 * opened, and the first file the caller looks for says "not found". */
	int fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 && errno != ENOENT && errno != ENOTDIR) {
		diag_error(root, 0, 0, "cannot open the source folder: %s", strerror(errno));
		return PHARE_ERR_IO;
	}
	size_t n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	fsx_jail.root = xstrndup(root, n);
	fsx_jail.len = n;
	fsx_jail.fd = fd;
	return PHARE_OK;
}

/* path relative to the confinement root ("." for the root itself), or NULL
 * if path is not under it. */
static const char *fsx_confined(const char *path)
{
	if (!fsx_jail.root)
		return NULL;
	size_t n = fsx_jail.len;
	if (strcmp(fsx_jail.root, "/") == 0)
		n = 0;
	if (strcmp(fsx_jail.root, ".") == 0 && path[0] != '/') {
		/* "rules/x.lua" as well as "./rules/x.lua"; "../x" is not under it */
		while (path[0] == '.' && path[1] == '/')
			path += 2;
		if (path[0] == '.' && path[1] == '.' && (path[2] == '/' || path[2] == '\0'))
			return NULL;
	} else if (strncmp(path, fsx_jail.root, n) != 0 || (path[n] != '/' && path[n] != '\0')) {
		return NULL;
	} else {
		path += n;
	}
	while (*path == '/')
		path++;
	return *path ? path : ".";
}

/* Without openat2: one component at a time, refusing every symbolic link
 * and "..": stricter than openat2, never looser. */
static int fsx_open_walk(int dirfd, const char *name, int flags)
{
	char *copy = xstrdup(name), *save = NULL;
	int fd = dup(dirfd), e = 0;
	char *next, *tok = strtok_r(copy, "/", &save);
	if (!tok)
		tok = ".";
	for (; fd >= 0 && tok; tok = next) {
		next = strtok_r(NULL, "/", &save);
		if (strcmp(tok, "..") == 0) {
			e = EXDEV;
			break;
		}
		struct stat st;
		if (fstatat(fd, tok, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
			e = EXDEV;
			break;
		}
		int sub = openat(fd, tok,
				 next ? O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC : flags | O_NOFOLLOW | O_CLOEXEC);
		e = sub < 0 ? errno : 0;
		close(fd);
		fd = sub;
	}
	free(copy);
	if (e && fd >= 0) {
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		errno = e ? e : EBADF;
	return fd;
}

void fsx_test_without_openat2(bool without) { fsx_no_openat2 = without; }

int fsx_open_beneath(int dirfd, const char *name, int flags)
{
	if (dirfd < 0) {
		errno = ENOENT;
		return -1;
	}
	if (!fsx_no_openat2) {
		/* RESOLVE_NO_MAGICLINKS: /proc/self/fd/N and co. lead anywhere */
		struct open_how how = { .flags = (uint64_t)(flags | O_CLOEXEC),
					.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS };
		long fd = syscall(SYS_openat2, dirfd, name, &how, sizeof(how));
		if (fd >= 0 || errno != ENOSYS)
			return (int)fd;
		fsx_no_openat2 = 1;
	}
	return fsx_open_walk(dirfd, name, flags);
}

int fsx_open(const char *path, int flags)
{
	const char *rel = fsx_confined(path);
	if (!rel)
		return open(path, flags | O_CLOEXEC);
	return fsx_open_beneath(fsx_jail.fd, rel, flags);
}

/* The first component of rel (beneath the root) that is a symbolic link
 * leading outside: its length, and its target in target; 0 if none. */
static size_t fsx_escaping_link(const char *rel, char *target, size_t size)
{
	char *prefix = xstrdup(rel);
	size_t found = 0;
	for (char *p = prefix;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		struct stat st;
		if (fstatat(fsx_jail.fd, prefix, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
			int fd = fsx_open_beneath(fsx_jail.fd, prefix, O_PATH);
			if (fd >= 0) {
				close(fd);
			} else if (errno == EXDEV || errno == ELOOP) {
				ssize_t n = readlinkat(fsx_jail.fd, prefix, target, size - 1);
				target[n > 0 ? n : 0] = '\0';
				found = (size_t)(p - prefix);
				break;
			}
		}
		if (!c)
			break;
		*p = c;
	}
	free(prefix);
	return found;
}

/* path as messages show it: relative to the source folder when that is
 * the working directory ("content/x.md", as model_shown says it). */
static const char *fsx_shown(const char *path)
{
	const char *rel = fsx_confined(path);
	return rel && strcmp(fsx_jail.root, ".") == 0 ? rel : path;
}

void fsx_report_open(const char *path, int e, const char *what)
{
	const char *rel = fsx_confined(path), *shown = fsx_shown(path);
	if (e == ELOOP) {
		diag_error(shown, 0, 0,
			   "cannot %s: a symbolic link that leads back to itself; replace it by the "
			   "file itself",
			   what);
		return;
	}
	if (e != EXDEV || !rel) {
		diag_error(shown, 0, 0, "cannot %s: %s", what, strerror(e));
		return;
	}
	char target[4096];
	size_t n = fsx_escaping_link(rel, target, sizeof(target));
	if (!n) {
		diag_error(shown, 0, 0,
			   "cannot %s: the path leads outside the source folder; phare reads "
			   "only what is inside it",
			   what);
	} else if (rel[n] == '\0') {
		diag_error(shown, 0, 0,
			   "a symbolic link to '%s', outside the source folder: phare reads only "
			   "what is inside it; replace the link by the file itself, or make it a relative link "
			   "that stays inside",
			   target);
	} else {
		diag_error(shown, 0, 0,
			   "cannot %s: %.*s is a symbolic link to '%s', outside the source folder: "
			   "phare reads only what is inside it; replace the link by the folder itself, or make it "
			   "a relative link that stays inside",
			   what, (int)(rel - shown + (ptrdiff_t)n), shown, target);
	}
}

fsx_kind fsx_stat(const char *path)
{
	int fd = fsx_open(path, O_PATH);
	if (fd < 0)
		return errno == EXDEV ? FSX_OUTSIDE : FSX_MISSING;
	struct stat st;
	fsx_kind k = fstat(fd, &st) != 0   ? FSX_MISSING
		     : S_ISREG(st.st_mode) ? FSX_FILE
		     : S_ISDIR(st.st_mode) ? FSX_DIR
					   : FSX_OTHER;
	close(fd);
	return k;
}

phare_status fsx_read(const char *path, buf *out, size_t max_bytes)
{
	/* Looked at before it is opened: opening a device can do things, and a
	 * FIFO would wait for a writer. */
	switch (fsx_stat(path)) {
	case FSX_FILE: break;
	case FSX_OTHER:
		diag_error(fsx_shown(path), 0, 0, "not a regular file (a FIFO, socket or device); remove it");
		return PHARE_ERR_IO;
	default: break; /* opening it says why */
	}
	int fd = fsx_open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		fsx_report_open(path, errno, "read");
		return PHARE_ERR_IO;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		diag_error(fsx_shown(path), 0, 0, "not a regular file");
		close(fd);
		return PHARE_ERR_IO;
	}
	if (max_bytes && (size_t)st.st_size > max_bytes) {
		diag_error(fsx_shown(path), 0, 0, "the file is %lld bytes, more than the limit of %zu; split it",
			   (long long)st.st_size, max_bytes);
		close(fd);
		return PHARE_ERR_LIMIT;
	}
	/* Room for the whole file and no more (the model keeps 20,000 of these;
	 * 64 KiB more each made glibc mmap and munmap every one).  A regular
	 * file is read up to its size, or to EOF when it reported none. */
	size_t want = (size_t)st.st_size, got = 0;
	buf_grow(out, want);
	for (;;) {
		if (want && got == want)
			break;
		if (out->cap - out->len - 1 == 0)
			buf_grow(out, 65536);
		ssize_t n = read(fd, out->ptr + out->len, out->cap - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			diag_error(fsx_shown(path), 0, 0, "cannot read: %s", strerror(errno));
			close(fd);
			return PHARE_ERR_IO;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->ptr[out->len] = '\0';
		got += (size_t)n;
	}
	close(fd);
	return PHARE_OK;
}

/* shown: the path the messages name (fsx_replace writes beside it). */
static phare_status fsx_write_with(const char *path, const char *shown, const void *data, size_t len, int how)
{
	int fd = open(path, O_WRONLY | O_CREAT | how | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		diag_error(shown, 0, 0, "cannot create: %s",
			   errno == ELOOP    ? "it is a symbolic link, and phare "
					       "does not write through links; remove it"
			   : errno == EEXIST ? "it exists already, and phare does not overwrite it; "
					       "move it away, or choose another name"
					     : strerror(errno));
		return PHARE_ERR_IO;
	}
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			diag_error(shown, 0, 0, "cannot write: %s", strerror(errno));
			close(fd);
			return PHARE_ERR_IO;
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) != 0) {
		diag_error(shown, 0, 0, "cannot write: %s", strerror(errno));
		return PHARE_ERR_IO;
	}
	return PHARE_OK;
}

phare_status fsx_write(const char *path, const void *data, size_t len)
{
	return fsx_write_with(path, path, data, len, O_TRUNC);
}

phare_status fsx_replace(const char *path, const void *data, size_t len)
{
	size_t n = strlen(path) + 40;
	char *next = xmalloc(n);
	snprintf(next, n, "%s.phare-new-%ld", path, (long)getpid());
	phare_status st = fsx_write_with(next, path, data, len, O_EXCL);
	if (st == PHARE_OK && rename(next, path) != 0) {
		diag_error(path, 0, 0, "cannot replace: %s", strerror(errno));
		st = PHARE_ERR_IO;
	}
	if (st != PHARE_OK)
		unlink(next);
	free(next);
	return st;
}

phare_status fsx_create(const char *path, const void *data, size_t len)
{
	return fsx_write_with(path, path, data, len, O_EXCL);
}

phare_status fsx_refuse_link(const char *path, const char *what)
{
	struct stat st;
	if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
		return PHARE_OK;
	char target[4096];
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	target[n > 0 ? n : 0] = '\0';
	diag_error(path, 0, 0,
		   "%s is a symbolic link (to '%s'), and phare does not write through links: "
		   "give the folder it points to, or remove the link",
		   what, target);
	return PHARE_ERR_IO;
}

static phare_status fsx_mkdirs_say(const char *path, bool say)
{
	/* Usually the parent exists (a page's folder in a section): one call. */
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return PHARE_OK;
	char *p = xstrdup(path);
	for (char *s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0755) != 0 && errno != EEXIST) {
				if (say)
					diag_error(p, 0, 0, "cannot create folder: %s", strerror(errno));
				free(p);
				return PHARE_ERR_IO;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return PHARE_OK;
}

phare_status fsx_mkdirs(const char *path) { return fsx_mkdirs_say(path, true); }

phare_status fsx_mkdirs_quiet(const char *path) { return fsx_mkdirs_say(path, false); }

static phare_status fsx_remove_at(int dirfd, const char *name, const char *shown)
{
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return errno == ENOENT ? PHARE_OK : PHARE_ERR_IO;
	if (S_ISDIR(st.st_mode)) {
		int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			goto fail;
		DIR *d = fdopendir(fd);
		if (!d) {
			close(fd);
			goto fail;
		}
		struct dirent *e;
		phare_status s = PHARE_OK;
		while ((e = readdir(d)) && s == PHARE_OK) {
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				s = fsx_remove_at(fd, e->d_name, shown);
		}
		closedir(d);
		if (s)
			return s;
		if (unlinkat(dirfd, name, AT_REMOVEDIR) != 0)
			goto fail;
		return PHARE_OK;
	}
	if (unlinkat(dirfd, name, 0) != 0)
		goto fail;
	return PHARE_OK;
fail:
	diag_error(shown, 0, 0, "cannot remove '%s': %s", name, strerror(errno));
	return PHARE_ERR_IO;
}

phare_status fsx_remove_tree(const char *path)
{
	return fsx_remove_at(AT_FDCWD, path, path);
}

bool fsx_is_dir(const char *path) { return fsx_stat(path) == FSX_DIR; }

bool fsx_is_file(const char *path) { return fsx_stat(path) == FSX_FILE; }

/* Code points that Unicode normalisation (NFKC) or a host's file system
 * may turn into '/', '\\' or '.': as names they would say one thing here
 * and another on the web host. */
static const uint32_t fsx_confusables[] = {
	0x2024, 0x2025, 0x2026, 0x3002, 0xFE52, 0xFF0E, 0xFF61,         /* dots */
	0x2044, 0x2215, 0x2571, 0x29F8, 0xFF0F, 0x2100, 0x2101, 0x2105, /* slashes, a/c ... */
	0x2106, 0x2216, 0x29F5, 0x29F9, 0xFE68, 0xFF3C,                 /* backslashes */
};

const char *fsx_unsafe_name(const char *name)
{
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return "it names a folder itself";
	size_t n = strlen(name);
	for (size_t i = 0; i < n;) {
		long c = utf8_next(name, n, &i);
		if (c < 0)
			return "it is not valid UTF-8";
		if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0))
			return "it holds a control character";
		if (c == '\\')
			return "it holds a backslash, a folder separator on some hosts";
		for (size_t k = 0; k < sizeof(fsx_confusables) / sizeof(fsx_confusables[0]); k++)
			if ((uint32_t)c == fsx_confusables[k])
				return "it holds a character that some systems turn into '/', '\\' or '.'";
	}
	return NULL;
}

static int fsx_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

DIR *fsx_opendir(const char *dir)
{
	int fd = fsx_open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		if (errno == EXDEV)
			fsx_report_open(dir, errno, "list");
		return NULL;
	}
	DIR *d = fdopendir(fd);
	if (!d)
		close(fd);
	return d;
}

char **fsx_list(const char *dir)
{
	DIR *d = fsx_opendir(dir);
	if (!d)
		return NULL;
	char **names = fsx_list_open(d);
	closedir(d);
	return names;
}

char **fsx_list_open(DIR *d)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		names = xgrow(names, &cap, n + 2, sizeof(char *));
		names[n++] = xstrdup(e->d_name);
	}
	names = xgrow(names, &cap, n + 1, sizeof(char *));
	names[n] = NULL;
	qsort(names, n, sizeof(char *), fsx_cmp);
	return names;
}

void fsx_free_list(char **names)
{
	if (!names)
		return;
	for (char **p = names; *p; p++)
		free(*p);
	free(names);
}

char *fsx_join(const char *a, const char *b)
{
	size_t la = strlen(a);
	while (la > 1 && a[la - 1] == '/')
		la--;
	while (*b == '/')
		b++;
	/* "." and b is b: a file found under --source . is then named the same
	 * ("content/x.md", "templates/y", "rules/z.lua") by whatever opened it. */
	if (la == 1 && a[0] == '.' && *b)
		return xstrdup(b);
	size_t lb = strlen(b);
	char *p = xmalloc(la + lb + 2);
	memcpy(p, a, la);
	p[la] = '/';
	memcpy(p + la + 1, b, lb + 1);
	return p;
}

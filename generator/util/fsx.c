/* fsx.c: file helpers (see fsx.h). */
#include "fsx.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "xalloc.h"

phare_status fsx_read(const char *path, buf *out, size_t max_bytes)
{
	/* O_NONBLOCK: opening a FIFO would wait for a writer; a regular
	 * file reads the same with or without it. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		diag_error(path, 0, 0, "cannot read: %s", strerror(errno));
		return PHARE_ERR_IO;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		diag_error(path, 0, 0, "not a regular file");
		close(fd);
		return PHARE_ERR_IO;
	}
	if (max_bytes && (size_t)st.st_size > max_bytes) {
		diag_error(path, 0, 0, "the file is %lld bytes, more than the limit of %zu; split it",
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
			diag_error(path, 0, 0, "cannot read: %s", strerror(errno));
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

phare_status fsx_write(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		diag_error(path, 0, 0, "cannot create: %s", strerror(errno));
		return PHARE_ERR_IO;
	}
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			diag_error(path, 0, 0, "cannot write: %s", strerror(errno));
			close(fd);
			return PHARE_ERR_IO;
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) != 0) {
		diag_error(path, 0, 0, "cannot write: %s", strerror(errno));
		return PHARE_ERR_IO;
	}
	return PHARE_OK;
}

phare_status fsx_mkdirs(const char *path)
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

bool fsx_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool fsx_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int fsx_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **fsx_list(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		names = xgrow(names, &cap, n + 2, sizeof(char *));
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
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

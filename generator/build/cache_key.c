/* cache_key.c: the key under which the build cache's index is signed
 * (HMAC-SHA-256), kept where the content cannot read or plant it.  See
 * cache_int.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sys/random.h>

#include "build/cache_int.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/xalloc.h"

/* ---- the key that authenticates the index ---- */

/* The cache lives under the source folder, which a pull request fills: an
 * index it ships could name pages to reuse and a kept site to patch.  So
 * the index ends with an HMAC-SHA-256 under a key the content cannot read
 * or plant: PHARE_CACHE_KEY (64 hexadecimal digits, a CI secret), else the
 * file phare-cache-key under $XDG_STATE_HOME/phare (~/.local/state/phare),
 * made on first use, outside the source folder.  NULL, or why not. */
static const char *cache_secret_env(cache *c, const char *hex)
{
	size_t n = strlen(hex);
	if (n != 2 * CACHE_KEY_BYTES)
		return "PHARE_CACHE_KEY is not 64 hexadecimal digits";
	for (size_t i = 0; i < CACHE_KEY_BYTES; i++) {
		unsigned v = 0;
		for (size_t k = 0; k < 2; k++) {
			char ch = hex[2 * i + k];
			int d = ch >= '0' && ch <= '9'   ? ch - '0'
				: ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
				: ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
							 : -1;
			if (d < 0)
				return "PHARE_CACHE_KEY is not 64 hexadecimal digits";
			v = v << 4 | (unsigned)d;
		}
		c->key[i] = (unsigned char)v;
	}
	return NULL;
}

/* The key file's folder: $XDG_STATE_HOME/phare or ~/.local/state/phare. */
static char *cache_secret_dir(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	if (state && state[0] == '/')
		return fsx_join(state, "phare");
	if (!home || home[0] != '/')
		return NULL;
	return fsx_join(home, ".local/state/phare");
}

/* Reads the key file, or makes it (0600, in a 0700 folder) when there is none. */
static bool cache_secret_file(cache *c, const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		unsigned char fresh[CACHE_KEY_BYTES];
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		bool ok = fd >= 0 && getrandom(fresh, sizeof fresh, 0) == (ssize_t)sizeof fresh &&
			  write(fd, fresh, sizeof fresh) == (ssize_t)sizeof fresh;
		if (fd >= 0)
			ok = close(fd) == 0 && ok;
		if (!ok) {
			(void)unlink(path);
			return false;
		}
		memcpy(c->key, fresh, sizeof fresh);
		return true;
	}
	struct stat st;
	bool ok = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == CACHE_KEY_BYTES &&
		  read(fd, c->key, CACHE_KEY_BYTES) == CACHE_KEY_BYTES;
	if (fd >= 0)
		close(fd);
	return ok;
}

const char *cache_secret(cache *c, const builder *b)
{
	const char *env = getenv("PHARE_CACHE_KEY");
	if (env && *env)
		return cache_secret_env(c, env);
	char *dir = cache_secret_dir();
	if (!dir)
		return "neither XDG_STATE_HOME nor HOME says where to keep its key (or set PHARE_CACHE_KEY)";
	const char *why = NULL;
	char *real_src = realpath(b->opt->source, NULL);
	if (fsx_mkdirs_quiet(dir) != PHARE_OK || chmod(dir, 0700) != 0) {
		why = "its key's folder cannot be made (set PHARE_CACHE_KEY, or XDG_STATE_HOME)";
	} else {
		char *real_dir = realpath(dir, NULL);
		size_t n = real_src ? strlen(real_src) : 0;
		if (!real_dir || !real_src ||
		    (strncmp(real_dir, real_src, n) == 0 && (real_dir[n] == '/' || real_dir[n] == '\0')))
			why = "its key would be kept inside the source folder, which the content could read "
			      "(set PHARE_CACHE_KEY, or XDG_STATE_HOME elsewhere)";
		free(real_dir);
	}
	char *path = fsx_join(dir, "phare-cache-key");
	if (!why && !cache_secret_file(c, path))
		why = "its key file cannot be read or made (set PHARE_CACHE_KEY, or XDG_STATE_HOME)";
	free(path);
	free(real_src);
	free(dir);
	return why;
}

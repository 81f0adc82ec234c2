/* static_files.c: GET/HEAD of the built site's files, opened beneath its root. */
#include "server/static_files.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "http/httpd.h"
#include "http/httpd_lib.h"
#include "util/buf.h"
#include "util/xalloc.h"

bool static_files_path_ok(const char *url)
{
	if (url[0] != '/')
		return false;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			return false;
	/* Every segment: between two slashes, or after the last. */
	for (const char *seg = url + 1;;) {
		const char *end = strchr(seg, '/');
		size_t n = end ? (size_t)(end - seg) : strlen(seg);
		if ((n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return false;
		if (!end)
			return true;
		seg = end + 1;
	}
}

static const struct {
	const char *ext;
	const char *type;
} static_files_types[] = {
	{ "html", "text/html; charset=utf-8" },
	{ "htm", "text/html; charset=utf-8" },
	{ "css", "text/css; charset=utf-8" },
	{ "js", "text/javascript; charset=utf-8" },
	{ "mjs", "text/javascript; charset=utf-8" },
	{ "json", "application/json" },
	{ "xml", "application/xml" },
	{ "txt", "text/plain; charset=utf-8" },
	{ "tsv", "text/tab-separated-values; charset=utf-8" },
	{ "svg", "image/svg+xml" },
	{ "png", "image/png" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "gif", "image/gif" },
	{ "webp", "image/webp" },
	{ "avif", "image/avif" },
	{ "ico", "image/x-icon" },
	{ "woff2", "font/woff2" },
	{ "woff", "font/woff" },
	{ "pdf", "application/pdf" },
	{ "wasm", "application/wasm" },
};

const char *static_files_content_type(const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *dot = strrchr(slash ? slash : name, '.');
	if (dot)
		for (size_t i = 0; i < sizeof(static_files_types) / sizeof(static_files_types[0]); i++)
			if (strcasecmp(dot + 1, static_files_types[i].ext) == 0)
				return static_files_types[i].type;
	return "application/octet-stream";
}

/* Without openat2 (kernels before 5.6, some sandboxes): one component at a
 * time, refusing every symbolic link.  rel has no "." or ".." segment. */
int static_files_open_walk(int root_fd, const char *rel, int flags)
{
	int cur = dup(root_fd);
	char *copy = xstrdup(rel), *seg = copy;
	while (cur >= 0 && *seg) {
		char *slash = strchr(seg, '/');
		if (slash)
			*slash = '\0';
		if (!*seg) { /* an empty segment: "a//b" or a trailing slash */
			if (!slash)
				break;
			seg = slash + 1;
			continue;
		}
		int next = slash ? openat(cur, seg, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
				 : openat(cur, seg, flags | O_NOFOLLOW | O_CLOEXEC);
		int e = errno;
		close(cur);
		cur = next;
		errno = e;
		if (!slash)
			goto done;
		seg = slash + 1;
	}
	if (cur >= 0) { /* the folder itself: reopen with the caller's flags */
		int fd = openat(cur, ".", flags | O_CLOEXEC);
		int e = errno;
		close(cur);
		cur = fd;
		errno = e;
	}
done:
	free(copy);
	return cur;
}

int static_files_open_beneath(int root_fd, const char *rel, int flags)
{
	static int have_openat2 = 1;
	if (__atomic_load_n(&have_openat2, __ATOMIC_RELAXED)) {
		struct open_how how;
		memset(&how, 0, sizeof(how));
		how.flags = (unsigned long long)(flags | O_CLOEXEC);
		how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
		for (int attempt = 0; attempt < 4; attempt++) {
			long fd = syscall(SYS_openat2, root_fd, *rel ? rel : ".", &how, sizeof(how));
			if (fd >= 0)
				return (int)fd;
			/* EAGAIN: a rename raced the lookup; the kernel asks to retry. */
			if (errno != EAGAIN)
				break;
		}
		if (errno != ENOSYS && errno != EPERM)
			return -1;
		__atomic_store_n(&have_openat2, 0, __ATOMIC_RELAXED);
	}
	return static_files_open_walk(root_fd, rel, flags);
}

void static_files_http_date(long long t, char out[STATIC_FILES_DATE_SIZE])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int n = snprintf(out, STATIC_FILES_DATE_SIZE, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7],
			 tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (n < 0 || n >= STATIC_FILES_DATE_SIZE) /* a year past 9999: no date rather than a cut one */
		out[0] = '\0';
}

/* If-None-Match: "*" or a comma-separated list of (possibly weak) tags. */
static bool static_files_etag_matches(const char *header, const char *etag)
{
	size_t elen = strlen(etag);
	for (const char *p = header; *p;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (!*p)
			break;
		if (p[0] == '*')
			return true;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == elen && memcmp(p, etag, n) == 0)
			return true;
		p += n;
	}
	return false;
}

static bool static_files_not_modified(struct MHD_Connection *conn, const char *etag, const struct stat *st)
{
	const char *inm = mhd.lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (inm) /* RFC 9110 13.1.3: If-Modified-Since is ignored when If-None-Match is present */
		return static_files_etag_matches(inm, etag);
	const char *ims = mhd.lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
	if (!ims)
		return false;
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	const char *end = strptime(ims, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (!end || *end)
		return false;
	return (long long)st->st_mtim.tv_sec <= (long long)timegm(&tm);
}

/* Serves the open regular file fd (taken over) with status. */
static enum MHD_Result static_files_send(struct MHD_Connection *conn, int fd, const struct stat *st,
					 const char *name, unsigned status)
{
	char etag[80], date[STATIC_FILES_DATE_SIZE];
	snprintf(etag, sizeof(etag), "\"%llx-%llx-%llx\"", (unsigned long long)st->st_ino,
		 (unsigned long long)st->st_size,
		 (unsigned long long)st->st_mtim.tv_sec * 1000000000ull + (unsigned long long)st->st_mtim.tv_nsec);
	static_files_http_date((long long)st->st_mtim.tv_sec, date);
	struct MHD_Response *r;
	if (status == MHD_HTTP_OK && static_files_not_modified(conn, etag, st)) {
		close(fd);
		status = MHD_HTTP_NOT_MODIFIED;
		r = mhd.create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	} else {
		r = mhd.create_response_from_fd((uint64_t)st->st_size, fd); /* owns fd now */
	}
	if (!r)
		return MHD_NO;
	mhd.add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, static_files_content_type(name));
	if (status != MHD_HTTP_NOT_FOUND) {
		mhd.add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
		if (date[0])
			mhd.add_response_header(r, MHD_HTTP_HEADER_LAST_MODIFIED, date);
	}
	/* A preview changes under the author's hands: always revalidate. */
	mhd.add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	mhd.add_response_header(r, "X-Content-Type-Options", "nosniff");
	enum MHD_Result ret = mhd.queue_response(conn, status, r);
	mhd.destroy_response(r);
	return ret;
}

static int static_files_open_root(const char *root)
{
	return open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

static enum MHD_Result static_files_not_found_at(struct MHD_Connection *conn, int root_fd)
{
	int fd = root_fd >= 0 ? static_files_open_beneath(root_fd, "404.html", O_RDONLY) : -1;
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		return static_files_send(conn, fd, &st, "404.html", MHD_HTTP_NOT_FOUND);
	if (fd >= 0)
		close(fd);
	static const char text[] = "404 Not Found: no such page in the built site\n";
	return httpd_reply(conn, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8", text, sizeof(text) - 1, NULL);
}

enum MHD_Result static_files_not_found(struct MHD_Connection *conn, const char *root)
{
	int root_fd = static_files_open_root(root);
	enum MHD_Result ret = static_files_not_found_at(conn, root_fd);
	if (root_fd >= 0)
		close(root_fd);
	return ret;
}

/* 301 to url + "/", each segment percent-encoded again (the URL we got was
 * decoded; encoding also keeps anything odd out of the header). */
static enum MHD_Result static_files_redirect_slash(struct MHD_Connection *conn, const char *url)
{
	buf loc = BUF_INIT;
	for (const char *seg = url + 1;;) {
		const char *end = strchr(seg, '/');
		size_t n = end ? (size_t)(end - seg) : strlen(seg);
		buf_addc(&loc, '/');
		buf_add_urlenc(&loc, seg, n);
		if (!end)
			break;
		seg = end + 1;
	}
	buf_addc(&loc, '/');
	const char *h[] = { MHD_HTTP_HEADER_LOCATION, loc.ptr, NULL };
	static const char text[] = "Moved Permanently\n";
	enum MHD_Result ret = httpd_reply(conn, MHD_HTTP_MOVED_PERMANENTLY, "text/plain; charset=utf-8", text,
					  sizeof(text) - 1, h);
	buf_release(&loc);
	return ret;
}

enum MHD_Result static_files_reply(struct MHD_Connection *conn, const char *root, const char *url,
				   const char *rel, const char *method)
{
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		const char *h[] = { MHD_HTTP_HEADER_ALLOW, "GET, HEAD", NULL };
		return httpd_reply_error(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD are served here", h);
	}
	if (!static_files_path_ok(url))
		return httpd_reply_error(conn, MHD_HTTP_BAD_REQUEST,
					 "the path has a control character, an encoded slash, a backslash or a . or .. segment",
					 NULL);
	int root_fd = static_files_open_root(root);
	if (root_fd < 0) {
		static const char text[] = "503: the site is not built yet\n";
		return httpd_reply(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain; charset=utf-8", text,
				   sizeof(text) - 1, NULL);
	}
	enum MHD_Result ret;
	struct stat st;
	const char *name = rel;
	int fd = static_files_open_beneath(root_fd, rel, O_RDONLY);
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		size_t n = strlen(url);
		if (url[n - 1] != '/') {
			close(fd);
			ret = static_files_redirect_slash(conn, url);
			goto done;
		}
		int index = static_files_open_beneath(fd, "index.html", O_RDONLY);
		close(fd);
		fd = index;
		name = "index.html";
	}
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		ret = static_files_not_found_at(conn, root_fd);
		goto done;
	}
	ret = static_files_send(conn, fd, &st, name, MHD_HTTP_OK);
done:
	close(root_fd);
	return ret;
}

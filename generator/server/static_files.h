/* static_files.h: the files of a built site answered over HTTP, and never a
 * file outside it (`phare serve`).
 *
 * libmicrohttpd hands handlers an already decoded URL path, so the checks
 * are made on the decoded text: static_files_path_ok() refuses control
 * bytes (serve's URL decoder turns %00 and %2F into DEL, so they land
 * here), backslashes and "." / ".." segments.  Files are then opened beneath
 * the site's root folder with openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS),
 * or component by component with O_NOFOLLOW where the kernel lacks openat2,
 * and the descriptor that was checked is the one served: a symbolic link
 * pointing out of the site is a 404, and a file swapped in after the check
 * is never what is sent.
 *
 * A folder answers its index.html; a folder URL without its trailing slash
 * is redirected (301) to the slash form; a missing file answers the site's
 * 404.html with status 404.  Files carry Content-Type (by extension), ETag
 * (inode, size and modification time) and Last-Modified, and a matching
 * If-None-Match (or an If-Modified-Since not older than the file) is
 * answered 304. */
#ifndef PHARE_STATIC_FILES_H
#define PHARE_STATIC_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <microhttpd.h>

/* True when the decoded URL path may name a file: it starts with '/', has
 * no byte below 0x20, no DEL, no backslash, and no "." or ".." segment. */
bool static_files_path_ok(const char *url);

/* The Content-Type for a file name, by its extension (case-insensitive);
 * application/octet-stream when unknown. */
const char *static_files_content_type(const char *name);

/* Opens rel (a relative path already accepted by static_files_path_ok,
 * without its leading slash; "" is the folder itself) beneath the folder
 * root_fd, never leaving it: symbolic links are followed only while they
 * stay beneath (openat2), or not at all (fallback).  flags: open(2) flags
 * (O_CLOEXEC is added).  Returns the descriptor, or -1 with errno set. */
int static_files_open_beneath(int root_fd, const char *rel, int flags);
/* The fallback of static_files_open_beneath, one component at a time with
 * O_NOFOLLOW (no symbolic link at all is followed); public for its tests. */
int static_files_open_walk(int root_fd, const char *rel, int flags);

/* Answers a GET or HEAD for url (the full decoded path, for redirects),
 * naming rel beneath the site folder root.  Other methods get 405. */
enum MHD_Result static_files_reply(struct MHD_Connection *conn, const char *root, const char *url,
				   const char *rel, const char *method);

/* Answers the site's 404.html (beneath root) with status 404, or a short
 * text when the site has none. */
enum MHD_Result static_files_not_found(struct MHD_Connection *conn, const char *root);

/* "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 IMF-fixdate) into out; "" if
 * the year has more than four digits. */
#define STATIC_FILES_DATE_SIZE 64
void static_files_http_date(long long t, char out[STATIC_FILES_DATE_SIZE]);

#endif

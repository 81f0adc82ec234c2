/* imgsize.c: image sizes from file headers (imgsize.h). */
#include "render/imgsize.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/fsx.h"

#define IMGSIZE_MAX 65535
#define IMGSIZE_JPEG_SEGMENTS 64

static unsigned be16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }

static unsigned le16(const unsigned char *p) { return (unsigned)p[1] << 8 | p[0]; }

static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

static unsigned long le24(const unsigned char *p)
{
	return (unsigned long)p[2] << 16 | (unsigned long)p[1] << 8 | p[0];
}

static bool imgsize_ok(unsigned long w, unsigned long h, int *ow, int *oh)
{
	if (w == 0 || h == 0 || w > IMGSIZE_MAX || h > IMGSIZE_MAX)
		return false;
	*ow = (int)w;
	*oh = (int)h;
	return true;
}

static bool imgsize_png(const unsigned char *d, size_t n, int *w, int *h)
{
	return n >= 24 && memcmp(d + 12, "IHDR", 4) == 0 && imgsize_ok(be32(d + 16), be32(d + 20), w, h);
}

static bool imgsize_gif(const unsigned char *d, size_t n, int *w, int *h)
{
	return n >= 10 && imgsize_ok(le16(d + 6), le16(d + 8), w, h);
}

static bool imgsize_webp(const unsigned char *d, size_t n, int *w, int *h)
{
	if (n < 25)
		return false;
	if (n >= 30 && memcmp(d + 12, "VP8 ", 4) == 0) /* lossy: frame tag, start code 9d 01 2a */
		return d[23] == 0x9d && d[24] == 0x01 && d[25] == 0x2a &&
		       imgsize_ok(le16(d + 26) & 0x3fff, le16(d + 28) & 0x3fff, w, h);
	if (memcmp(d + 12, "VP8L", 4) == 0) { /* lossless: 0x2f, then 14 bits each, minus one */
		unsigned long bits = (unsigned long)d[21] | (unsigned long)d[22] << 8 | (unsigned long)d[23] << 16 |
				     (unsigned long)d[24] << 24;
		return d[20] == 0x2f && imgsize_ok((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1, w, h);
	}
	if (n >= 30 && memcmp(d + 12, "VP8X", 4) == 0) /* extended: 24 bits each, minus one */
		return imgsize_ok(le24(d + 24) + 1, le24(d + 27) + 1, w, h);
	return false;
}

/* A length ("640", "640px", "640.5") in [p, end); 0 if another unit or none. */
static unsigned long imgsize_svg_len(const char *p, const char *end)
{
	char *stop;
	char tmp[32];
	size_t n = (size_t)(end - p);
	if (n == 0 || n >= sizeof tmp)
		return 0;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	double v = strtod(tmp, &stop);
	while (*stop == ' ')
		stop++;
	if (stop == tmp || (*stop && strcmp(stop, "px") != 0) || !(v > 0 && v <= IMGSIZE_MAX))
		return 0;
	return (unsigned long)(v + 0.5);
}

/* The value of attribute name in the tag [tag, end), or NULL. */
static const char *imgsize_attr(const char *tag, const char *end, const char *name, const char **vend)
{
	size_t k = strlen(name);
	for (const char *p = tag; p + k + 2 < end; p++) {
		if ((p[-1] == ' ' || p[-1] == '\n' || p[-1] == '\t' || p[-1] == '\r') && memcmp(p, name, k) == 0) {
			const char *q = p + k;
			while (q < end && *q == ' ')
				q++;
			if (q >= end || *q != '=')
				continue;
			q++;
			while (q < end && *q == ' ')
				q++;
			if (q >= end || (*q != '"' && *q != '\''))
				continue;
			const char *close = memchr(q + 1, *q, (size_t)(end - q - 1));
			if (!close)
				return NULL;
			*vend = close;
			return q + 1;
		}
	}
	return NULL;
}

static bool imgsize_svg(const unsigned char *d, size_t n, int *w, int *h)
{
	const char *s = (const char *)d, *end = s + n, *tag = NULL;
	for (const char *p = s; p + 5 <= end; p++)
		if (memcmp(p, "<svg", 4) == 0 && (p[4] == ' ' || p[4] == '\n' || p[4] == '\t' || p[4] == '\r')) {
			tag = p + 4;
			break;
		}
	const char *close = tag ? memchr(tag, '>', (size_t)(end - tag)) : NULL;
	if (!close)
		return false; /* no <svg …> within the bytes read */
	const char *ve, *we, *he;
	const char *wv = imgsize_attr(tag, close, "width", &we), *hv = imgsize_attr(tag, close, "height", &he);
	if (wv && hv && imgsize_ok(imgsize_svg_len(wv, we), imgsize_svg_len(hv, he), w, h))
		return true;
	const char *vb = imgsize_attr(tag, close, "viewBox", &ve);
	if (!vb)
		return false;
	char tmp[128], *p = tmp, *stop;
	size_t k = (size_t)(ve - vb);
	if (k >= sizeof tmp)
		return false;
	memcpy(tmp, vb, k);
	tmp[k] = '\0';
	double v[4];
	for (int i = 0; i < 4; i++) {
		while (*p == ' ' || *p == ',')
			p++;
		v[i] = strtod(p, &stop);
		if (stop == p)
			return false;
		p = stop;
	}
	if (!(v[2] > 0 && v[2] <= IMGSIZE_MAX && v[3] > 0 && v[3] <= IMGSIZE_MAX))
		return false;
	return imgsize_ok((unsigned long)(v[2] + 0.5), (unsigned long)(v[3] + 0.5), w, h);
}

/* JPEG in memory: markers from offset 2, each segment's length skipped. */
static bool imgsize_jpeg_mem(const unsigned char *d, size_t n, int *w, int *h)
{
	size_t at = 2;
	for (int seg = 0; seg < IMGSIZE_JPEG_SEGMENTS && at + 9 <= n; seg++) {
		if (d[at] != 0xff)
			return false;
		unsigned m = d[at + 1];
		if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc)
			return imgsize_ok(be16(d + at + 7), be16(d + at + 5), w, h);
		unsigned len = be16(d + at + 2);
		if (len < 2)
			return false;
		at += 2 + len;
	}
	return false;
}

bool imgsize_data(const unsigned char *d, size_t n, int *w, int *h)
{
	if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
		return imgsize_png(d, n, w, h);
	if (n >= 6 && (memcmp(d, "GIF87a", 6) == 0 || memcmp(d, "GIF89a", 6) == 0))
		return imgsize_gif(d, n, w, h);
	if (n >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
		return imgsize_webp(d, n, w, h);
	if (n >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff)
		return imgsize_jpeg_mem(d, n, w, h);
	return imgsize_svg(d, n, w, h);
}

/* JPEG on disk: the segment headers only, by pread at each marker. */
static bool imgsize_jpeg_fd(int fd, int *w, int *h)
{
	off_t at = 2;
	unsigned char m[9];
	for (int seg = 0; seg < IMGSIZE_JPEG_SEGMENTS; seg++) {
		if (pread(fd, m, sizeof m, at) != (ssize_t)sizeof m || m[0] != 0xff)
			return false;
		if (m[1] >= 0xc0 && m[1] <= 0xcf && m[1] != 0xc4 && m[1] != 0xc8 && m[1] != 0xcc)
			return imgsize_ok(be16(m + 7), be16(m + 5), w, h);
		unsigned len = be16(m + 2);
		if (len < 2)
			return false;
		at += 2 + (off_t)len;
	}
	return false;
}

bool imgsize_file(const char *path, int *w, int *h)
{
	unsigned char d[IMGSIZE_MAX_READ];
	int fd = fsx_open(path, O_RDONLY);
	if (fd < 0)
		return false;
	ssize_t n = pread(fd, d, sizeof d, 0);
	bool ok = false;
	if (n > 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff)
		ok = imgsize_jpeg_fd(fd, w, h);
	else if (n > 0)
		ok = imgsize_data(d, (size_t)n, w, h);
	close(fd);
	return ok;
}

/* imgsize.h: the width and height of an image file, from its header only.
 *
 * PNG (IHDR), GIF (logical screen), WebP (VP8, VP8L, VP8X), JPEG (the first
 * SOFn marker, skipping the segments before it with lseek, never reading
 * them) and SVG (the <svg> tag's width and height in px or unitless, else
 * its viewBox), read through fsx_open (confined to the source folder, see
 * util/fsx.h).  At most IMGSIZE_MAX_READ bytes are read of any file, and a
 * JPEG's walk stops after 64 segments.  A header that lies (a size of 0 or
 * above 65,535, a segment that runs past the end) or is cut short gives no
 * size: false, and the page goes on without width and height. */
#ifndef PHARE_IMGSIZE_H
#define PHARE_IMGSIZE_H

#include <stdbool.h>
#include <stddef.h>

#define IMGSIZE_MAX_READ 4096

/* The size of the image at path: true with *w and *h set, or false. */
bool imgsize_file(const char *path, int *w, int *h);
/* The same, of data[0..n) already in memory (the file's first bytes); for
 * JPEG only when its SOF lies within them.  For the tests and the fuzzer. */
bool imgsize_data(const unsigned char *data, size_t n, int *w, int *h);

#endif

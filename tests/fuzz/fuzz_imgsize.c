/* fuzz_imgsize.c: any bytes as the first bytes of an image file
 * (imgsize_data, as imgsize_file reads them).  Invariants: no read past
 * the bytes given (ASan), and a size found is within 1..65,535 both ways. */
#include "fuzz.h"

#include "render/imgsize.h"

static void fuzz_imgsize(const char *data, size_t size)
{
	int w = 0, h = 0;
	if (size > IMGSIZE_MAX_READ)
		size = IMGSIZE_MAX_READ;
	/* a copy of exactly size bytes, so that ASan sees any read past them */
	unsigned char *copy = malloc(size ? size : 1);
	FUZZ_ASSERT(copy);
	memcpy(copy, data, size);
	if (imgsize_data(copy, size, &w, &h))
		FUZZ_ASSERT(w >= 1 && w <= 65535 && h >= 1 && h <= 65535);
	free(copy);
}

FUZZ_TARGET(fuzz_imgsize)

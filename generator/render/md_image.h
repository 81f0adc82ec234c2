/* md_image.h: images in the rendered Markdown (render/markdown.c).
 *
 * Every image gets width and height from its file when env->image_size
 * finds them (render/imgsize.h: nothing when the header lies), and
 * loading="lazy" after the first image of the page.  An image alone in its
 * paragraph with a title, ![Alt](disk.png "Le disque"), becomes
 *     <figure><img src alt …><figcaption>Le disque</figcaption></figure>
 * in place of the paragraph.  cmark cannot put attributes on <img>, so each
 * other image is preceded by a custom inline marker ("\1\2", which no
 * escaped text can hold before "<img"); md_images_place puts the
 * attributes there, in document order. */
#ifndef PHARE_MD_IMAGE_H
#define PHARE_MD_IMAGE_H

#include <cmark-gfm.h>

#include "render/markdown.h"
#include "util/buf.h"

typedef struct md_images {
	cmark_node **nodes; /* images, in document order, URLs rewritten */
	size_t n, cap;
	char **attrs; /* per marked image: " width=… height=… loading=…" */
	size_t n_attrs, cap_attrs;
} md_images;

#define MD_IMAGES_INIT                                                                                                 \
	{                                                                                                              \
		NULL, 0, 0, NULL, 0, 0                                                                                 \
	}
#define MD_IMAGE_MARK "\1\2"

void md_images_add(md_images *im, cmark_node *image);
/* Sizes, figures and markers, once the walk over the tree is done. */
void md_images_finish(md_images *im, const md_env *env, cmark_mem *mem);
/* Appends html to out with the markers replaced by the attributes. */
void md_images_place(const md_images *im, const char *html, buf *out);
void md_images_release(md_images *im);

#endif

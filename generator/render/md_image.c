/* md_image.c: image sizes, lazy loading and figures (md_image.h). */
#include "render/md_image.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"

void md_images_add(md_images *im, cmark_node *image)
{
	im->nodes = xgrow(im->nodes, &im->cap, im->n + 1, sizeof(cmark_node *));
	im->nodes[im->n++] = image;
}

/* As cmark's safe mode: javascript:, vbscript:, file: and data: other
 * than four image types are dropped (the src is left empty). */
static bool md_image_dangerous(const char *url)
{
	static const char *const bad[] = { "javascript:", "vbscript:", "file:" };
	static const char *const data_ok[] = { "data:image/png", "data:image/gif", "data:image/jpeg",
					       "data:image/webp" };
	for (size_t i = 0; i < 3; i++)
		if (strncasecmp(url, bad[i], strlen(bad[i])) == 0)
			return true;
	if (strncasecmp(url, "data:", 5) != 0)
		return false;
	for (size_t i = 0; i < 4; i++)
		if (strncasecmp(url, data_ok[i], strlen(data_ok[i])) == 0)
			return false;
	return true;
}

/* As cmark's houdini_escape_href: bytes outside a safe set are
 * percent-encoded, '&' and '\'' written as entities. */
static void md_image_href(buf *out, const char *url)
{
	static const char safe[] = "-_.+!*(),%#@?=;:/$~";
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    (*p && strchr(safe, *p)))
			buf_addc(out, (char)*p);
		else if (*p == '&')
			buf_adds(out, "&amp;");
		else if (*p == '\'')
			buf_adds(out, "&#x27;");
		else
			buf_addf(out, "%%%02X", *p);
	}
}

static void md_image_alt(cmark_node *image, buf *out)
{
	cmark_iter *it = cmark_iter_new(image);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		const char *lit;
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if ((t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE || t == CMARK_NODE_HTML_INLINE) &&
		    (lit = cmark_node_get_literal(n)))
			buf_adds_html(out, lit);
		else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			buf_addc(out, ' ');
	}
	cmark_iter_free(it);
}

/* Alone in its paragraph, with a title. */
static bool md_image_is_figure(cmark_node *image)
{
	cmark_node *p = cmark_node_parent(image);
	const char *title = cmark_node_get_title(image);
	return p && cmark_node_get_type(p) == CMARK_NODE_PARAGRAPH && cmark_node_first_child(p) == image &&
	       cmark_node_last_child(p) == image && title && *title;
}

void md_images_finish(md_images *im, const md_env *env, cmark_mem *mem)
{
	buf attrs = BUF_INIT, fig = BUF_INIT;
	for (size_t i = 0; i < im->n; i++) {
		cmark_node *image = im->nodes[i];
		const char *url = cmark_node_get_url(image);
		int w, h;
		buf_reset(&attrs);
		if (url && env->image_size && env->image_size(env->ctx, url, &w, &h))
			buf_addf(&attrs, " width=\"%d\" height=\"%d\"", w, h);
		if (i > 0)
			buf_adds(&attrs, " loading=\"lazy\"");
		if (md_image_is_figure(image)) {
			cmark_node *para = cmark_node_parent(image);
			buf_reset(&fig);
			buf_adds(&fig, "<figure><img src=\"");
			if (url && (env->unsafe_html || !md_image_dangerous(url)))
				md_image_href(&fig, url);
			buf_adds(&fig, "\" alt=\"");
			md_image_alt(image, &fig);
			buf_addc(&fig, '"');
			buf_adds(&fig, attrs.ptr);
			buf_adds(&fig, " /><figcaption>");
			buf_adds_html(&fig, cmark_node_get_title(image));
			buf_adds(&fig, "</figcaption></figure>\n");
			cmark_node *block = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, mem);
			cmark_node_set_on_enter(block, fig.ptr);
			cmark_node_replace(para, block);
			cmark_node_free(para); /* and the image in it: not looked at again */
			continue;
		}
		cmark_node *mark = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_INLINE, mem);
		cmark_node_set_on_enter(mark, MD_IMAGE_MARK);
		if (!cmark_node_insert_before(image, mark)) {
			/* a table cell takes no custom inline: no attributes there */
			cmark_node_free(mark);
			continue;
		}
		im->attrs = xgrow(im->attrs, &im->cap_attrs, im->n_attrs + 1, sizeof(char *));
		im->attrs[im->n_attrs++] = xstrdup(attrs.ptr);
	}
	buf_release(&attrs);
	buf_release(&fig);
}

void md_images_place(const md_images *im, const char *html, buf *out)
{
	size_t next = 0;
	const char *p = html, *m;
	/* "<img src=… alt=… />": cmark escapes '>' in every attribute, so the
	 * tag ends at the first "/>". */
	while ((m = strstr(p, MD_IMAGE_MARK "<img ")) != NULL) {
		const char *tag = m + strlen(MD_IMAGE_MARK), *close = strstr(tag, " />");
		buf_add(out, p, (size_t)(m - p));
		if (!close) {
			p = tag;
			continue;
		}
		buf_add(out, tag, (size_t)(close - tag));
		if (next < im->n_attrs)
			buf_adds(out, im->attrs[next++]);
		p = close;
	}
	buf_adds(out, p);
}

void md_images_release(md_images *im)
{
	for (size_t i = 0; i < im->n_attrs; i++)
		free(im->attrs[i]);
	free(im->attrs);
	free(im->nodes);
	*im = (md_images)MD_IMAGES_INIT;
}

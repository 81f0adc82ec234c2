/* index.c: collects a language's pages for its search index (index_write.c
 * writes the files).
 *
 * Adding a page takes no shared lock for its words: each thread that adds
 * pages works on a part of its own (its own stemmer, word memo and terms),
 * taken from a pool for the duration of one call.  Words are looked up by
 * their spelling in the part's memo, so a word is lowercased and stemmed
 * once per part, not once per occurrence; an occurrence only bumps its
 * term's counts for the page, and the page keeps its postings (term, counts)
 * when it is done.  index_write.c merges the parts and writes the files
 * (their layout is in index.h). */
#include "search/index.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "search/index_int.h"
#include "search/page.h"
#include "search/text.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/map.h"
#include "util/xalloc.h"

static term no_term; /* memo value of a word without key (stop word...) */

search_index *search_index_new(const char *lang)
{
	search_index *ix = xcalloc(1, sizeof *ix);
	ix->lang = xstrdup(lang ? lang : "");
	pthread_mutex_init(&ix->lock, NULL);
	return ix;
}

part *search_part_take(search_index *ix)
{
	pthread_mutex_lock(&ix->lock);
	part *pt = ix->free_parts;
	if (pt) {
		ix->free_parts = pt->next_free;
	} else {
		pt = xcalloc(1, sizeof *pt);
		pt->text = search_text_new(ix->lang);
		pt->strings = pt->posts = (arena)ARENA_INIT;
		pt->key = pt->surface = pt->packed = (buf)BUF_INIT;
		pt->next_all = ix->all_parts;
		ix->all_parts = pt;
	}
	pthread_mutex_unlock(&ix->lock);
	return pt;
}

void search_part_give(search_index *ix, part *pt)
{
	pthread_mutex_lock(&ix->lock);
	pt->next_free = ix->free_parts;
	ix->free_parts = pt;
	pthread_mutex_unlock(&ix->lock);
}

/* The term of a word as spelled in a page (any case; h: hash_fnv1a of its bytes),
 * made on first sight. */
static term *part_term(part *pt, const char *word, size_t n, uint64_t h)
{
	term *t = map_getn_hashed(&pt->memo, word, n, h);
	if (t)
		return t;
	t = &no_term;
	if (search_text_key(pt->text, word, n, &pt->key, &pt->surface)) {
		t = map_get(&pt->terms, pt->key.ptr);
		if (!t) {
			t = arena_alloc(&pt->strings, sizeof *t);
			t->key = arena_strndup(&pt->strings, pt->key.ptr, pt->key.len);
			map_put(&pt->terms, t->key, t);
			t->idx = (uint32_t)pt->n_list;
			pt->list = xgrow(pt->list, &pt->cap_list, pt->n_list + 1, sizeof *pt->list);
			pt->list[pt->n_list++] = t;
		}
		if (!buf_equals(&pt->surface, t->key)) {
			form *f = map_get(&pt->forms, pt->surface.ptr);
			if (!f) {
				f = arena_alloc(&pt->strings, sizeof *f);
				f->surface = arena_strndup(&pt->strings, pt->surface.ptr, pt->surface.len);
				f->key = t->key;
				map_put(&pt->forms, f->surface, f);
			} else if (strcmp(t->key, f->key) < 0) {
				f->key = t->key;
			}
		}
	}
	map_put_hashed(&pt->memo, arena_strndup(&pt->strings, word, n), n, h, t);
	return t;
}

/* Counts the words of s[0..n) (field, heading section sect) into the page
 * being added.  Words as search_text_next_word finds them, scanned here so
 * that each is hashed on the way: this loop sees every byte of every page. */
static void part_words(part *pt, doc *d, const char *s, size_t n, int field, unsigned sect)
{
	const unsigned char *u = (const unsigned char *)s;
	const unsigned char *cls = search_text_byte_class;
	size_t i = 0;
	while (i < n) {
		size_t at = i;
		if (cls[u[i]] == 0) {
			i++;
			continue;
		}
		if (cls[u[i]] == 2 && !search_text_word_char(s, n, &i))
			continue;
		if (i == at)
			i++; /* an ASCII letter or digit */
		uint64_t h = HASH_FNV1A_SEED;
		for (size_t k = at; k < i; k++)
			h = hash_fnv1a_step(h, u[k]);
		for (;;) {
			while (i < n && cls[u[i]] == 1) {
				h = hash_fnv1a_step(h, u[i]);
				i++;
			}
			size_t j = i;
			if (i == n || cls[u[i]] == 0 || !search_text_word_char(s, n, &j))
				break;
			for (; i < j; i++)
				h = hash_fnv1a_step(h, u[i]);
		}
		d->len[field]++;
		if (i - at > SEARCH_WORD_MAX * 2)
			continue;
		term *t = part_term(pt, s + at, i - at, h);
		if (t == &no_term)
			continue;
		/* Two words of the page may share a key ("conteneur", "conteneurs"). */
		if (t->mark != pt->mark) {
			t->mark = pt->mark;
			t->cur = (posting){ .sect = (uint16_t)sect };
			pt->touched = xgrow(pt->touched, &pt->cap_touched, pt->n_touched + 1, sizeof *pt->touched);
			pt->touched[pt->n_touched++] = t;
		} else if (sect < t->cur.sect) {
			t->cur.sect = (uint16_t)sect;
		}
		if (t->cur.tf[field] < UINT16_MAX)
			t->cur.tf[field]++;
	}
}

/* The page's postings, kept with it until the write. */
static void part_keep_postings(part *pt, doc *d)
{
	d->n_posts = pt->n_touched;
	buf_reset(&pt->packed);
	buf_grow(&pt->packed, pt->n_touched * POSTING_MAX_BYTES);
	unsigned char *start = (unsigned char *)pt->packed.ptr, *w = start;
	for (size_t i = 0; i < pt->n_touched; i++) {
		term *t = pt->touched[i];
		w = posting_encode(w, t->idx, &t->cur);
		t->n++;
	}
	size_t len = (size_t)(w - start);
	d->posts = arena_alloc(&pt->posts, len + 1);
	memcpy(d->posts, start, len);
	pt->n_touched = 0;
}

/* s, or "", copied into arena a. */
static char *arena_dup_or_empty(arena *a, const char *s)
{
	return arena_strdup(a, s ? s : "");
}

/* The page's record, kept until the write: in its part's arena, with the
 * strings copied from the page.  Why not malloc: a page's long-lived bits
 * landing among the short-lived blocks of the next render kept the heap
 * growing (fresh pages, a fault each) where the arena's huge pages do not. */
static doc *part_new_doc(part *pt, const char *kind, const char *url, const char *title, const char *section,
			 const char *description, const search_page *page)
{
	arena *a = &pt->strings;
	doc *d = arena_alloc(a, sizeof *d);
	d->kind = arena_dup_or_empty(a, kind);
	d->url = arena_dup_or_empty(a, url);
	d->title = arena_dup_or_empty(a, title);
	d->section = arena_dup_or_empty(a, section);
	d->desc = arena_dup_or_empty(a, description);
	d->intro = arena_dup_or_empty(a, page->intro);
	d->n_heads = page->n_heads;
	d->heads = arena_alloc(a, (page->n_heads + 1) * sizeof *d->heads);
	for (size_t h = 0; h < page->n_heads; h++)
		d->heads[h] = (search_heading){ arena_strdup(a, page->heads[h].id), arena_strdup(a, page->heads[h].text),
						arena_strdup(a, page->heads[h].start) };
	return d;
}

void search_index_add_page(search_index *ix, const char *kind, const char *url, const char *title,
			   const char *section, const char *description, search_page *page)
{
	part *pt = search_part_take(ix);
	doc *d = part_new_doc(pt, kind, url, title, section, description, page);
	pt->docs = xgrow(pt->docs, &pt->cap_docs, pt->n_docs + 1, sizeof *pt->docs);
	pt->docs[pt->n_docs++] = d;
	d->owner = pt;
	pt->mark++;
	/* Words in the title and description count as the top of the page (sect 0). */
	if (title)
		part_words(pt, d, title, strlen(title), F_TITLE, 0);
	if (description)
		part_words(pt, d, description, strlen(description), F_DESC, 0);
	for (size_t i = 0; i < page->n_segs; i++) {
		const search_segment *g = &page->segs[i];
		part_words(pt, d, page->text.ptr + g->off, g->len, g->heading ? F_HEAD : F_TEXT, g->sect);
	}
	part_keep_postings(pt, d);
	search_part_give(ix, pt);
	search_page_release(page);
}

void search_index_add(search_index *ix, const char *kind, const char *url, const char *title,
		      const char *section, const char *description, const char *body_html)
{
	search_page page = SEARCH_PAGE_INIT;
	search_page_parse(&page, body_html);
	search_index_add_page(ix, kind, url, title, section, description, &page);
}

static void part_free(part *pt)
{
	free(pt->docs); /* the docs are in pt->strings */
	free(pt->touched);
	free(pt->list);
	map_release(&pt->terms);
	map_release(&pt->forms);
	map_release(&pt->memo);
	arena_release(&pt->strings);
	arena_release(&pt->posts);
	buf_release(&pt->key);
	buf_release(&pt->surface);
	buf_release(&pt->packed);
	search_text_free(pt->text);
	free(pt);
}

void search_index_free(search_index *ix)
{
	if (!ix)
		return;
	for (part *pt = ix->all_parts, *next; pt; pt = next) {
		next = pt->next_all;
		part_free(pt);
	}
	pthread_mutex_destroy(&ix->lock);
	free(ix->lang);
	free(ix);
}

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

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "search/index_int.h"
#include "search/page.h"
#include "search/text.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/map.h"
#include "util/record.h"
#include "util/xalloc.h"

static term no_term;                          /* the term of a word without key (stop word...) */
static spelling no_word = { &no_term, NULL }; /* its memo value */

search_index *search_index_new(const char *lang)
{
	search_index *ix = xcalloc(1, sizeof *ix);
	ix->lang = xstrdup(lang ? lang : "");
	ix->block_bytes = POST_BLOCK;
	pthread_mutex_init(&ix->lock, NULL);
	return ix;
}

void search_index_block_bytes(search_index *ix, size_t n) { ix->block_bytes = n ? n : 1; }

void search_index_spill(search_index *ix, const char *dir)
{
	free(ix->spill_dir);
	ix->spill_dir = xstrdup(dir);
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
		pt->strings = (arena)ARENA_INIT;
		arena_expect_big(&pt->strings);
		pt->key = pt->surface = pt->packed = pt->spill = pt->entry = (buf)BUF_INIT;
		pt->block_bytes = ix->block_bytes;
		pt->spill_fd = ix->spill_dir ? open(ix->spill_dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600) : -1;
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

/* The term of key (pt->key), made on first sight. */
static term *part_key_term(part *pt, const char *key, size_t n)
{
	term *t = map_getn(&pt->terms, key, n);
	if (t)
		return t;
	t = arena_alloc(&pt->strings, sizeof *t);
	t->key = arena_strndup(&pt->strings, key, n);
	map_put(&pt->terms, t->key, t);
	t->idx = (uint32_t)pt->n_list;
	pt->list = xgrow(pt->list, &pt->cap_list, pt->n_list + 1, sizeof *pt->list);
	pt->list[pt->n_list++] = t;
	return t;
}

/* The form of folded surface s (n bytes) seen with term t's key, made on first sight. */
static form *part_form(part *pt, const char *s, size_t n, const term *t)
{
	form *f = map_getn(&pt->forms, s, n);
	if (!f) {
		f = arena_alloc(&pt->strings, sizeof *f);
		f->surface = arena_strndup(&pt->strings, s, n);
		f->key = t->key;
		map_put(&pt->forms, f->surface, f);
	} else if (strcmp(t->key, f->key) < 0) {
		f->key = t->key;
	}
	return f;
}

/* A word as spelled in a page (any case; h: part_word_hash of its bytes),
 * made on first sight. */
static const spelling *part_word(part *pt, const char *s, size_t n, uint64_t h)
{
	spelling *w = map_getn_hashed(&pt->memo, s, n, h);
	if (w)
		return w;
	w = &no_word;
	if (search_text_key(pt->text, s, n, &pt->key, &pt->surface)) {
		w = arena_alloc(&pt->strings, sizeof *w);
		w->t = part_key_term(pt, pt->key.ptr, pt->key.len);
		w->f = buf_equals(&pt->surface, w->t->key) ? NULL
							   : part_form(pt, pt->surface.ptr, pt->surface.len, w->t);
	}
	map_put_hashed(&pt->memo, arena_strndup(&pt->strings, s, n), n, h, w);
	return w;
}

/* Form f seen with term t in the page being recorded (per occurrence). */
static void part_form_seen(part *pt, form *f, const term *t)
{
	if (f->mark != pt->mark) {
		f->mark = pt->mark;
		f->doc_term = t;
		pt->forms_seen = xgrow(pt->forms_seen, &pt->cap_seen, pt->n_seen + 1, sizeof *pt->forms_seen);
		pt->forms_seen[pt->n_seen++] = f;
	} else if (t != f->doc_term && strcmp(t->key, f->doc_term->key) < 0) {
		f->doc_term = t;
	}
}

/* The memo's hash of the word p[0..n), where room >= n bytes may be read
 * from p (any function would do: the memo is the only map that sees it).
 * Eight bytes at a time, the last ones in one load when room allows: the
 * FNV-1a it replaces, a multiplication waiting on the one before for each
 * byte, was the search index's biggest cost. */
static uint64_t part_word_hash(const unsigned char *p, size_t n, size_t room)
{
	uint64_t h = (uint64_t)n * UINT64_C(0x9e3779b97f4a7c15), w;
	for (; n >= 8; p += 8, n -= 8, room -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * UINT64_C(0xff51afd7ed558ccd);
		h ^= h >> 29;
	}
	w = 0;
	if (n && room >= 8) {
		memcpy(&w, p, 8);
		w &= ~UINT64_C(0) >> (64 - 8 * n);
	} else {
		for (size_t i = 0; i < n; i++)
			w |= (uint64_t)p[i] << (8 * i);
	}
	h = (h ^ w) * UINT64_C(0xc4ceb9fe1a85ec53);
	return h ^ (h >> 32);
}

/* The end of the run of ASCII letters and digits (byte class 1) from i in
 * u[0..n).  Sixteen bytes at a time where they can be read: words are
 * mostly ASCII, and this loop sees most bytes of every page. */
static size_t part_ascii_run(const unsigned char *u, size_t i, size_t n)
{
#if defined(__SSE2__)
	while (n - i >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
		/* x in [lo, lo + k) as a signed compare: x - lo - 128 < k - 128 */
		__m128i digit = _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - '0'))),
					       _mm_set1_epi8((char)(10 - 128)));
		__m128i low = _mm_or_si128(v, _mm_set1_epi8(0x20)); /* 'A'..'Z' to 'a'..'z' */
		__m128i letter = _mm_cmplt_epi8(_mm_add_epi8(low, _mm_set1_epi8((char)(0x80 - 'a'))),
						_mm_set1_epi8((char)(26 - 128)));
		unsigned other = ~(unsigned)_mm_movemask_epi8(_mm_or_si128(digit, letter)) & 0xFFFFu;
		if (other)
			return i + (size_t)__builtin_ctz(other);
		i += 16;
	}
#endif
	while (i < n && search_text_byte_class[u[i]] == 1)
		i++;
	return i;
}

/* Counts the words of s[0..n) (field, heading section sect) into the page
 * being added: words as search_text_next_word finds them; this loop sees
 * every byte of every page. */
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
		for (;;) {
			i = part_ascii_run(u, i, n);
			size_t j = i;
			if (i == n || cls[u[i]] == 0 || !search_text_word_char(s, n, &j))
				break;
			i = j;
		}
		d->len[field]++;
		if (i - at > SEARCH_WORD_MAX * 2)
			continue;
		const spelling *w = part_word(pt, s + at, i - at, part_word_hash(u + at, i - at, n - at));
		term *t = w->t;
		if (t == &no_term)
			continue;
		if (w->f)
			part_form_seen(pt, w->f, t);
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
	post_block *b = pt->n_blocks ? &pt->blocks[pt->n_blocks - 1] : NULL;
	if (!b || b->size - b->used < len) {
		pt->blocks = xgrow(pt->blocks, &pt->cap_blocks, pt->n_blocks + 1, sizeof *pt->blocks);
		b = &pt->blocks[pt->n_blocks++];
		b->size = len > pt->block_bytes ? len : pt->block_bytes;
		b->data = xcalloc_huge(b->size);
		b->used = b->pages = 0;
	}
	d->posts = b->data + b->used;
	d->block = (uint32_t)(pt->n_blocks - 1);
	memcpy(d->posts, start, len);
	b->used += len;
	b->pages++;
	pt->n_touched = 0;
}

void search_part_release_block(part *pt, size_t i)
{
	xfree_huge(pt->blocks[i].data, pt->blocks[i].size);
	pt->blocks[i].data = NULL;
}

/* s, or "", copied into arena a. */
static char *arena_dup_or_empty(arena *a, const char *s)
{
	return arena_strdup(a, s ? s : "");
}

static void add_json(buf *b, const char *s) { buf_add_json_str(b, s ? s : "", s ? strlen(s) : 0); }

/* The page's entry of d-<i>.json (index.h) appended to b. */
static void doc_entry(buf *b, const char *const fields[6], const search_page *page)
{
	buf_addc(b, '[');
	for (size_t i = 0; i < 6; i++) {
		add_json(b, fields[i]);
		buf_addc(b, ',');
	}
	buf_addc(b, '[');
	for (size_t h = 0; h < page->n_heads; h++) {
		buf_adds(b, h ? ",[" : "[");
		add_json(b, page->heads[h].id);
		buf_addc(b, ',');
		add_json(b, page->heads[h].text);
		buf_addc(b, ',');
		add_json(b, page->heads[h].start);
		buf_addc(b, ']');
	}
	buf_adds(b, "]]");
}

#define SPILL_BUFFER (64 * 1024) /* entries written to the spill file this many bytes at a time */

bool search_part_flush(part *pt)
{
	for (size_t done = 0; done < pt->spill.len;) {
		ssize_t w = pwrite(pt->spill_fd, pt->spill.ptr + done, pt->spill.len - done,
				   (off_t)(pt->spilled + done));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			diag_error("search index", 0, 0, "cannot write its temporary file: %s", strerror(errno));
			return false;
		}
		done += (size_t)w;
	}
	pt->spilled += pt->spill.len;
	buf_reset(&pt->spill);
	return true;
}

/* The page's doc, kept until the write, with its entry of d-<i>.json
 * (entry[0..n)): in its part's arena, the entry too unless it goes to the
 * spill file.  Why not malloc: a page's long-lived bits landing among the
 * short-lived blocks of the next render kept the heap growing (fresh
 * pages, a fault each) where the arena's huge pages do not. */
static doc *part_new_doc(part *pt, const char *kind, const char *url, const char *entry, size_t n, bool borrow)
{
	arena *a = &pt->strings;
	doc *d = arena_alloc(a, sizeof *d);
	d->kind = arena_dup_or_empty(a, kind);
	d->url = arena_dup_or_empty(a, url);
	d->entry_len = n;
	if (borrow) {
		d->entry = (char *)entry; /* the caller's, as long as the index (search_index_add_record) */
	} else if (pt->spill_fd < 0) {
		d->entry = arena_strndup(a, entry, n);
	} else {
		d->entry_off = pt->spilled + pt->spill.len;
		buf_add(&pt->spill, entry, n);
		if (pt->spill.len >= SPILL_BUFFER)
			(void)search_part_flush(pt); /* reported; the write fails when it reads the entry */
	}
	pt->docs = xgrow(pt->docs, &pt->cap_docs, pt->n_docs + 1, sizeof *pt->docs);
	pt->docs[pt->n_docs++] = d;
	d->owner = pt;
	pt->mark++;
	return d;
}

/* ---- a page's record (search_index_add_page, search_index_add_record) ---- */

/* The dictionary number of a term's key, of a form's surface. */
static uint32_t term_word(search_dict *dict, term *t)
{
	if (!t->word)
		t->word = search_dict_id(dict, t->key, strlen(t->key)) + 1;
	return t->word - 1;
}

static uint32_t form_word(search_dict *dict, form *f)
{
	if (!f->word)
		f->word = search_dict_id(dict, f->surface, strlen(f->surface)) + 1;
	return f->word - 1;
}

/* The page just counted (its terms in pt->touched, its forms in
 * pt->forms_seen), as search_index_add_record reads it: its entry, its
 * headings and field lengths, each key (by its number in dict) with its
 * counts, each form (the same) with the place of its key among those. */
static void part_record(part *pt, search_dict *dict, const doc *d, buf *o)
{
	/* room for it all, written in place: varints of at most 10 bytes */
	buf_grow(o, 10 * (3 + F_N) + pt->entry.len + pt->n_touched * (5 + POSTING_MAX_BYTES) + pt->n_seen * 10);
	unsigned char *start = (unsigned char *)o->ptr + o->len, *w = start;
	w = posting_put_varint(w, pt->entry.len);
	memcpy(w, pt->entry.ptr ? pt->entry.ptr : "", pt->entry.len);
	w += pt->entry.len;
	w = posting_put_varint(w, d->n_heads);
	for (int f = 0; f < F_N; f++)
		w = posting_put_varint(w, d->len[f]);
	w = posting_put_varint(w, pt->n_touched);
	for (size_t i = 0; i < pt->n_touched; i++) {
		term *t = pt->touched[i];
		t->pos = (uint32_t)i;
		w = posting_put_varint(w, term_word(dict, t));
		w = posting_encode(w, 0, &t->cur);
	}
	w = posting_put_varint(w, pt->n_seen);
	for (size_t i = 0; i < pt->n_seen; i++) {
		form *f = pt->forms_seen[i];
		w = posting_put_varint(w, form_word(dict, f));
		w = posting_put_varint(w, f->doc_term->pos);
	}
	o->len += (size_t)(w - start);
	o->ptr[o->len] = '\0';
	pt->n_seen = 0;
}

/* A count of at most max (bad beyond). */
static uint32_t in_count(record_reader *r, uint64_t max)
{
	uint64_t v = record_get_varint(r);
	if (v > max)
		r->bad = true;
	return r->bad ? 0 : (uint32_t)v;
}

static void in_posting(record_reader *r, posting *p)
{
	*p = (posting){ { 0 }, 0 };
	uint64_t flags = record_get_varint(r);
	if (flags >> (F_N + 1))
		r->bad = true;
	for (int f = 0; f < F_N; f++)
		if (flags & (1u << f))
			p->tf[f] = (uint16_t)in_count(r, UINT16_MAX);
	if (flags & (1u << F_N))
		p->sect = (uint16_t)in_count(r, UINT16_MAX);
}

/* A table of pointers of *n entries grown to at least need, the new ones NULL. */
static void *grow_zeroed(void *table, size_t *n, size_t need)
{
	if (need <= *n)
		return table;
	size_t cap = *n;
	void **t = xgrow(table, &cap, need, sizeof(void *));
	memset(t + *n, 0, (cap - *n) * sizeof(void *));
	*n = cap;
	return t;
}

/* The term of dictionary word w (s[0..n)), made on first sight. */
static term *part_term_of_word(part *pt, uint32_t w, const char *s, size_t n)
{
	pt->term_of_word = grow_zeroed(pt->term_of_word, &pt->n_term_of_word, (size_t)w + 1);
	term *t = pt->term_of_word[w];
	if (!t) {
		t = pt->term_of_word[w] = part_key_term(pt, s, n);
		t->word = w + 1;
	}
	return t;
}

/* The form of dictionary word w (s[0..n)) seen with t's key, made on first sight. */
static void part_form_of_word(part *pt, uint32_t w, const char *s, size_t n, const term *t)
{
	pt->form_of_word = grow_zeroed(pt->form_of_word, &pt->n_form_of_word, (size_t)w + 1);
	form *f = pt->form_of_word[w];
	if (!f) {
		f = pt->form_of_word[w] = part_form(pt, s, n, t);
		f->word = w + 1;
	} else if (strcmp(t->key, f->key) < 0) {
		f->key = t->key;
	}
}

/* A word of a record: its number, read; its text in dict (NULL, and bad, when there is no such number). */
static const char *in_word(record_reader *r, search_dict *dict, uint32_t *w, size_t *n)
{
	*w = in_count(r, UINT32_MAX);
	const char *s = r->bad ? NULL : search_dict_word(dict, *w, n);
	if (!s)
		r->bad = true;
	return s;
}

/* Adds the page of a record to pt: false when the record is not one
 * (what was read of it is added all the same: the caller's build fails). */
static bool part_read_record(part *pt, search_dict *dict, const char *kind, const char *url, const void *rec,
			     size_t len)
{
	record_reader r = { rec, (const unsigned char *)rec + len, false };
	size_t n;
	const char *entry = record_get_vbytes(&r, &n);
	doc *d = !r.bad ? part_new_doc(pt, kind, url, entry, n, true) : NULL;
	size_t heads = in_count(&r, UINT32_MAX);
	uint32_t lens[F_N];
	for (int f = 0; f < F_N; f++)
		lens[f] = in_count(&r, UINT32_MAX);
	if (d) {
		d->n_heads = heads;
		memcpy(d->len, lens, sizeof lens);
	}
	uint32_t n_posts = in_count(&r, (uint64_t)(r.end - r.p));
	for (uint32_t i = 0; i < n_posts && !r.bad; i++) {
		uint32_t w;
		const char *key = in_word(&r, dict, &w, &n);
		posting p;
		in_posting(&r, &p);
		if (!d || r.bad)
			continue;
		term *t = part_term_of_word(pt, w, key, n);
		pt->touched = xgrow(pt->touched, &pt->cap_touched, pt->n_touched + 1, sizeof *pt->touched);
		pt->touched[pt->n_touched++] = t; /* twice in a record: counted twice (the checksum says it was not) */
		t->mark = pt->mark;
		t->cur = p;
	}
	uint32_t n_forms = in_count(&r, (uint64_t)(r.end - r.p));
	for (uint32_t i = 0; i < n_forms && !r.bad; i++) {
		uint32_t w;
		const char *surface = in_word(&r, dict, &w, &n);
		uint32_t k = in_count(&r, n_posts ? n_posts - 1 : 0);
		if (!n_posts)
			r.bad = true;
		if (d && !r.bad)
			part_form_of_word(pt, w, surface, n, pt->touched[k]);
		if (d && !r.bad)
			form_count_page(pt->form_of_word[w], pt->touched[k]->key);
	}
	if (d)
		part_keep_postings(pt, d);
	return !r.bad && r.p == r.end;
}

void search_index_use_dict(search_index *ix, search_dict *dict)
{
	if (ix->own_dict)
		search_dict_free(ix->dict);
	ix->dict = dict;
	ix->own_dict = false;
}

/* The dictionary of the index's records: given, or its own. */
static search_dict *index_dict(search_index *ix)
{
	pthread_mutex_lock(&ix->lock);
	if (!ix->dict) {
		ix->dict = search_dict_new();
		ix->own_dict = true;
	}
	pthread_mutex_unlock(&ix->lock);
	return ix->dict;
}

void search_index_state(search_index *ix, buf *out)
{
	(void)index_dict(ix);
	ix->state = out;
}

bool search_index_add_record(search_index *ix, const char *kind, const char *url, const void *rec, size_t len)
{
	search_dict *dict = index_dict(ix);
	part *pt = search_part_take(ix);
	bool ok = part_read_record(pt, dict, kind, url, rec, len);
	search_part_give(ix, pt);
	return ok;
}

void search_index_add_page(search_index *ix, const char *kind, const char *url, const char *title, const char *section,
			   const char *description, search_page *page, buf *record)
{
	part *pt = search_part_take(ix);
	const char *const fields[6] = { title, url, section, kind, description, page->intro };
	buf_reset(&pt->entry);
	doc_entry(&pt->entry, fields, page);
	doc *d = part_new_doc(pt, kind, url, pt->entry.ptr, pt->entry.len, false);
	d->n_heads = page->n_heads;
	/* Words in the title and description count as the top of the page (sect 0). */
	if (title)
		part_words(pt, d, title, strlen(title), F_TITLE, 0);
	if (description)
		part_words(pt, d, description, strlen(description), F_DESC, 0);
	for (size_t i = 0; i < page->n_segs; i++) {
		const search_segment *g = &page->segs[i];
		part_words(pt, d, page->text.ptr + g->off, g->len, g->heading ? F_HEAD : F_TEXT, g->sect);
	}
	for (size_t i = 0; i < pt->n_seen; i++)
		form_count_page(pt->forms_seen[i], pt->forms_seen[i]->doc_term->key);
	if (record)
		part_record(pt, index_dict(ix), d, record);
	pt->n_seen = 0;
	part_keep_postings(pt, d);
	search_part_give(ix, pt);
	search_page_release(page);
}

void search_index_add(search_index *ix, const char *kind, const char *url, const char *title, const char *section,
		      const char *description, const char *body_html)
{
	search_page page = SEARCH_PAGE_INIT;
	search_page_parse(&page, body_html);
	search_index_add_page(ix, kind, url, title, section, description, &page, NULL);
}

static void part_free(part *pt)
{
	free(pt->docs); /* the docs are in pt->strings */
	free(pt->touched);
	free(pt->forms_seen);
	free(pt->term_of_word);
	free(pt->form_of_word);
	buf_release(&pt->entry);
	free(pt->list);
	map_release(&pt->terms);
	map_release(&pt->forms);
	map_release(&pt->memo);
	arena_release(&pt->strings);
	for (size_t i = 0; i < pt->n_blocks; i++)
		search_part_release_block(pt, i);
	free(pt->blocks);
	buf_release(&pt->key);
	buf_release(&pt->surface);
	buf_release(&pt->packed);
	buf_release(&pt->spill);
	if (pt->spill_fd >= 0)
		close(pt->spill_fd);
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
	if (ix->own_dict)
		search_dict_free(ix->dict);
	pthread_mutex_destroy(&ix->lock);
	free(ix->spill_dir);
	free(ix->lang);
	free(ix);
}

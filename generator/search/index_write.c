/* index_write.c: merges the parts of a language's search index (index.c)
 * and writes its sharded files (their layout is in index.h).
 *
 * search_index_write merges the parts by key, numbers the
 * pages by URL and walks them in that order, appending each page's postings
 * to its keys' lists: the lists come out sorted without a sort, and the
 * files do not depend on which thread added what. */
#include "search/index.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "search/index_int.h"
#include "search/text.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/map.h"
#include "util/record.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* BM25F: a word in the title counts as 8 in the text, in a heading as 4;
 * short fields are less length-normalised than the text. */
static const double field_weight[F_N] = { 8.0, 4.0, 2.0, 1.0 };
static const double field_b[F_N] = { 0.5, 0.5, 0.5, 0.75 };
/* BM25's saturation lets a long text full of a word catch up with a title
 * that names it; the fields a word appears in also add a bonus outside the
 * saturation, so that title > heading > text holds between pages too. */
static const double field_bonus[F_N] = { 1.0, 0.4, 0.2, 0.0 };
#define BM25_K1 1.2
#define MAX_SUFFIXES 32
#define MAX_SUFFIX_BYTES 8

/* A key of every part, on write: its postings, gathered while the pages
 * are walked in URL order, packed as varints (doc delta, score, sect) until
 * its shard is written out as JSON (entry_json): the JSON of every key at
 * once was the size of the index, twice as large. */
typedef struct mterm {
	const char *key;      /* in a part's strings */
	size_t n;             /* pages having it */
	uint32_t prev;        /* the last page added to postings */
	unsigned char *posts; /* in the merge's (merged.posts) */
	size_t len;
	size_t room;     /* bytes posts can hold (an upper bound, see merge_parts) */
	size_t json_len; /* of its entry ["key",[doc,score,sect,…]] */
} mterm;

static int cmp_str(const char *a, const char *b) { return strcmp(a, b); }

static int cmp_doc(const void *pa, const void *pb)
{
	const doc *a = *(doc *const *)pa, *b = *(doc *const *)pb;
	int c;
	if ((c = cmp_str(a->url, b->url)) || (c = cmp_str(a->kind, b->kind)))
		return c;
	/* Two pages at one URL (a build has none): by their entries, when in memory. */
	if (a->entry && b->entry &&
	    (c = memcmp(a->entry, b->entry, a->entry_len < b->entry_len ? a->entry_len : b->entry_len)))
		return c;
	return a->entry_len < b->entry_len ? -1 : a->entry_len > b->entry_len;
}

static int cmp_term(const void *pa, const void *pb)
{
	return strcmp((*(mterm *const *)pa)->key, (*(mterm *const *)pb)->key);
}

static int cmp_form(const void *pa, const void *pb)
{
	return strcmp((*(form *const *)pa)->surface, (*(form *const *)pb)->surface);
}

/* Appends word spelled as in shard names (index.h): a-z and 0-9 as
 * themselves, any other character as _<hex code point>_.  Prefix-preserving:
 * w starts with p if and only if escaped(w) starts with escaped(p). */
void search_shard_escape(const char *word, buf *out)
{
	size_t i = 0, n = strlen(word);
	while (i < n) {
		const unsigned char *u = (const unsigned char *)word + i;
		if ((*u >= 'a' && *u <= 'z') || (*u >= '0' && *u <= '9')) {
			buf_addc(out, (char)*u);
			i++;
			continue;
		}
		long cp = utf8_next(word, n, &i); /* keys are folded: valid UTF-8 */
		buf_addf(out, "_%lx_", cp >= 0 ? (unsigned long)cp : (unsigned long)*u);
	}
}

/* The parts merged: every page numbered by URL, each key's entry with the
 * postings of all parts by page number, each form with its smallest key. */
typedef struct merged {
	doc **docs; /* in URL order: docs[i]->id == i */
	size_t n_docs;
	mterm *terms;
	size_t n_terms, cap_terms;
	form *forms;
	size_t n_forms, cap_forms;
	map term_at, form_at; /* key -> index + 1, surface -> index + 1 */
	unsigned char *posts; /* the terms' postings (xmap_lazy): posts_len bytes */
	size_t posts_len;
	uint64_t sum[F_N]; /* the pages' field lengths, added */
} merged;

/* The keys of all parts with their page counts; sets each part term's merged. */
static void merge_terms(search_index *ix, merged *m)
{
	for (part *pt = ix->all_parts; pt; pt = pt->next_all) {
		const char *k;
		void *v;
		for (size_t it = 0; map_next(&pt->terms, &it, &k, &v);) {
			term *t = v;
			uintptr_t at = (uintptr_t)map_get(&m->term_at, k);
			if (!at) {
				m->terms = xgrow(m->terms, &m->cap_terms, m->n_terms + 1, sizeof *m->terms);
				m->terms[m->n_terms++] = (mterm){ .key = k };
				map_put(&m->term_at, k, (void *)(uintptr_t)m->n_terms);
				at = m->n_terms;
			}
			t->merged = (uint32_t)(at - 1);
			m->terms[at - 1].n += t->n;
		}
	}
}

static void merge_forms(search_index *ix, merged *m)
{
	for (part *pt = ix->all_parts; pt; pt = pt->next_all) {
		const char *k;
		void *v;
		for (size_t it = 0; map_next(&pt->forms, &it, &k, &v);) {
			const form *f = v;
			uintptr_t at = (uintptr_t)map_get(&m->form_at, k);
			if (!at) {
				m->forms = xgrow(m->forms, &m->cap_forms, m->n_forms + 1, sizeof *m->forms);
				m->forms[m->n_forms++] = *f;
				map_put(&m->form_at, k, (void *)(uintptr_t)m->n_forms);
			} else {
				form *g = &m->forms[at - 1];
				int c = strcmp(f->key, g->key);
				if (c < 0)
					g->key = f->key;
				if (c < 0 || !g->pages_key)
					g->pages = 0;
				g->seen += f->seen;
				if (c <= 0 && f->pages_key) { /* the pages of the smallest key, of all parts */
					g->pages_key = f->pages_key;
					g->pages += f->pages;
				}
			}
		}
	}
}

/* The number of decimal digits of v: most numbers of the postings (page
 * deltas, sections, scores) have one to three. */
static size_t digits(unsigned long v)
{
	if (v < 10)
		return 1;
	if (v < 100)
		return 2;
	if (v < 1000)
		return 3;
	size_t n = 4;
	for (v /= 10000; v; v /= 10)
		n++;
	return n;
}

/* Writes v in decimal at w; returns the end.  The postings are most of the
 * index: printf, or a call per number, costs more than the rest of the write. */
static char *put_uint(char *w, unsigned long v)
{
	char *end = w + digits(v);
	char *p = end;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

/* The bytes of v as a varint. */
static size_t varint_len(uint64_t v)
{
	size_t n = 1;
	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

/* The bytes of the varints of n page numbers' differences, pages
 * numbered below n_docs: each takes one byte, and one more per 7 bits
 * above the first 7; their sum is below n_docs, so at most n_docs >> 7 of
 * them reach 2^7, n_docs >> 14 reach 2^14, and so on.  (The largest page
 * number's varint for each was a third more memory at 100,000 pages.) */
static size_t delta_room(size_t n, size_t n_docs)
{
	size_t room = n;
	for (unsigned shift = 7; shift < 64 && n_docs >> shift; shift += 7)
		room += n < n_docs >> shift ? n : n_docs >> shift;
	return room;
}

/* BM25F's saturation of posting p in a page of norms norm, with the
 * fields' bonus (×100, at least 1): the browser multiplies it by the key's
 * idf (index.h). */
unsigned long search_score(const posting *p, const double norm[F_N])
{
	double tfw = 0, bonus = 0;
	for (int f = 0; f < F_N; f++) {
		if (p->tf[f]) {
			tfw += field_weight[f] * p->tf[f] / norm[f];
			bonus += field_bonus[f];
		}
	}
	long score = lround(100.0 * (tfw * (BM25_K1 + 1.0) / (tfw + BM25_K1) + bonus));
	return (unsigned long)(score > 0 ? score : 1);
}

void search_avgs(const uint64_t sum[F_N], size_t n_docs, double avg[F_N])
{
	for (int f = 0; f < F_N; f++) {
		double a = sum[f] > 0 && n_docs ? (double)sum[f] / (double)n_docs : 1.0;
		avg[f] = exp2(round(log2(a) * 64.0) / 64.0);
	}
}

void search_norms(const uint32_t len[F_N], const double avg[F_N], double norm[F_N])
{
	for (int f = 0; f < F_N; f++)
		norm[f] = 1.0 - field_b[f] + field_b[f] * len[f] / avg[f];
}

/* Appends page d's posting p to its key's postings: the page number as the
 * difference from the previous one, the score (search_score), the section. */
static void entry_add(mterm *t, const doc *d, const posting *p)
{
	unsigned sect = p->sect <= d->n_heads ? p->sect : 0;
	unsigned long delta = d->id - t->prev, sc = search_score(p, d->norm);
	unsigned char *w = t->posts + t->len;
	w = posting_put_varint(w, delta);
	w = posting_put_varint(w, sc);
	w = posting_put_varint(w, sect);
	t->len = (size_t)(w - t->posts);
	t->json_len += (t->json_len ? 1 : 0) + digits(delta) + digits(sc) + digits(sect) + 2;
	t->prev = d->id;
}

/* The JSON of key t's entry, ["key",[doc,score,sect,…]], appended to out. */
static void entry_json(const mterm *t, buf *out)
{
	buf_addc(out, '[');
	buf_add_json_str(out, t->key, strlen(t->key));
	buf_adds(out, ",[");
	buf_grow(out, t->json_len + 3);
	char *w = out->ptr + out->len;
	for (const unsigned char *r = t->posts, *end = t->posts + t->len; r < end;) {
		uint64_t v;
		if (r != t->posts)
			*w++ = ',';
		for (int i = 0; i < 3; i++) {
			r = posting_get_varint(r, &v);
			if (i)
				*w++ = ',';
			w = put_uint(w, (unsigned long)v);
		}
	}
	memcpy(w, "]]", 3);
	out->len = (size_t)(w - out->ptr) + 2;
}

/* The pages' postings, merged into the keys' (search_index_write_last). */
static void index_release_postings(search_index *ix, merged *m)
{
	for (part *pt = ix->all_parts; pt; pt = pt->next_all)
		for (size_t i = 0; i < pt->n_blocks; i++)
			search_part_release_block(pt, i);
	for (size_t i = 0; i < m->n_docs; i++) {
		m->docs[i]->posts = NULL;
		m->docs[i]->n_posts = 0;
	}
	ix->released = true;
}

static void merge_parts(search_index *ix, merged *m, bool last)
{
	for (part *pt = ix->all_parts; pt; pt = pt->next_all) {
		m->n_docs += pt->n_docs;
		ix->stats.blocks += pt->n_blocks;
	}
	m->docs = xcalloc(m->n_docs + 1, sizeof *m->docs);
	size_t n = 0;
	for (part *pt = ix->all_parts; pt; pt = pt->next_all)
		for (size_t i = 0; i < pt->n_docs; i++)
			m->docs[n++] = pt->docs[i];
	qsort(m->docs, m->n_docs, sizeof *m->docs, cmp_doc);
	merge_terms(ix, m);
	merge_forms(ix, m);

	for (size_t i = 0; i < m->n_docs; i++)
		for (int f = 0; f < F_N; f++)
			m->sum[f] += m->docs[i]->len[f];
	double avg[F_N];
	search_avgs(m->sum, m->n_docs, avg);
	unsigned max_sect = 0;
	for (size_t i = 0; i < m->n_docs; i++)
		if (m->docs[i]->n_heads > max_sect)
			max_sect = (unsigned)m->docs[i]->n_heads;
	for (size_t i = 0; i < m->n_terms; i++) {
		mterm *t = &m->terms[i];
		/* Room for the postings, known before they are written, so that
		 * they are laid out once in the arena (growing them by realloc
		 * was a quarter of the build's page faults): per posting, the
		 * varints of its score (entry_add's formula with every term at
		 * its maximum) and section, and of the page numbers' differences
		 * (delta_room).  The merged postings of every language are in
		 * memory at once, at the build's peak: the bound is kept tight. */
		double most = 100.0 * (BM25_K1 + 1.0 + field_bonus[F_TITLE] + field_bonus[F_HEAD] +
				       field_bonus[F_DESC] + field_bonus[F_TEXT]);
		size_t per = varint_len((unsigned long)most + 1) + varint_len(max_sect);
		t->room = t->n * per + delta_room(t->n, m->n_docs) + 1;
		m->posts_len += t->room;
	}
	/* In pages resident as they are written (xalloc.h): the walk below
	 * fills every key's postings a little at a time while it frees the
	 * pages' (post_block), so that the two are not in memory at once. */
	m->posts = xmap_lazy(m->posts_len);
	for (size_t i = 0, at = 0; i < m->n_terms; i++) {
		m->terms[i].posts = m->posts + at;
		at += m->terms[i].room;
	}
	/* Pages in URL order: each key's postings come out in page order. */
	for (size_t i = 0; i < m->n_docs; i++) {
		doc *d = m->docs[i];
		d->id = (uint32_t)i;
		search_norms(d->len, avg, d->norm);
	}
	for (size_t i = 0; i < m->n_docs; i++) {
		const doc *d = m->docs[i];
		const unsigned char *r = d->posts;
		for (size_t j = 0; j < d->n_posts; j++) {
			uint32_t idx;
			posting p;
			r = posting_decode(r, &idx, &p);
			entry_add(&m->terms[d->owner->list[idx]->merged], d, &p);
		}
		part *pt = d->owner;
		if (last && !--pt->blocks[d->block].pages) {
			search_part_release_block(pt, d->block);
			ix->stats.blocks_freed_early += i + 1 < m->n_docs;
		}
	}
	if (last)
		index_release_postings(ix, m);
	buf key = BUF_INIT;
	for (size_t i = 0; i < m->n_terms; i++) {
		mterm *t = &m->terms[i];
		if (t->len >= t->room) /* the bound above is wrong: memory is already corrupt */
			abort();
		buf_reset(&key);
		buf_add_json_str(&key, t->key, strlen(t->key));
		t->json_len += key.len + sizeof("[,[]]") - 1; /* the entry around the postings */
	}
	buf_release(&key);
}

static void merged_release(merged *m)
{
	xunmap(m->posts, m->posts_len);
	free(m->terms);
	free(m->forms);
	free(m->docs);
	map_release(&m->term_at);
	map_release(&m->form_at);
}

/* The sorted collections the files are made of. */
typedef struct plan {
	mterm **terms; /* by key */
	size_t n_terms;
	form **forms;
	size_t n_forms;
	buf *form_entries; /* per form: ["form","key"] */
} plan;

static void make_plan(merged *m, plan *pl)
{
	pl->terms = xcalloc(m->n_terms + 1, sizeof *pl->terms);
	for (size_t i = 0; i < m->n_terms; i++)
		pl->terms[pl->n_terms++] = &m->terms[i];
	qsort(pl->terms, pl->n_terms, sizeof *pl->terms, cmp_term);

	pl->forms = xcalloc(m->n_forms + 1, sizeof *pl->forms);
	for (size_t i = 0; i < m->n_forms; i++)
		pl->forms[pl->n_forms++] = &m->forms[i];
	qsort(pl->forms, pl->n_forms, sizeof *pl->forms, cmp_form);
	pl->form_entries = xcalloc(pl->n_forms + 1, sizeof *pl->form_entries);
	for (size_t i = 0; i < pl->n_forms; i++) {
		buf *e = &pl->form_entries[i];
		buf_addc(e, '[');
		buf_add_json_str(e, pl->forms[i]->surface, strlen(pl->forms[i]->surface));
		buf_addc(e, ',');
		buf_add_json_str(e, pl->forms[i]->key, strlen(pl->forms[i]->key));
		buf_addc(e, ']');
	}
}

static void free_plan(plan *pl)
{
	for (size_t i = 0; i < pl->n_forms; i++)
		buf_release(&pl->form_entries[i]);
	free(pl->form_entries);
	free(pl->terms);
	free(pl->forms);
}

/* One shard being assembled: the entries it lists, not copies of them
 * (they are the index's size: a copy was as many page faults again); its
 * keys' JSON is made when the shard is written. */
typedef struct span {
	const char *ptr;
	size_t len;
} span;

typedef struct shard {
	const char *name;
	const mterm **k; /* keys, in order */
	span *f;         /* form entries, in order */
	size_t n_k, cap_k, n_f, cap_f;
	size_t bytes;
} shard;

typedef struct shards {
	map by_name;
	shard **list;
	size_t n, cap;
	arena names;
} shards;

static shard *shard_get(shards *s, const char *name)
{
	shard *sh = map_get(&s->by_name, name);
	if (!sh) {
		sh = xcalloc(1, sizeof *sh);
		sh->name = arena_strdup(&s->names, name);
		map_put(&s->by_name, sh->name, sh);
		s->list = xgrow(s->list, &s->cap, s->n + 1, sizeof *s->list);
		s->list[s->n++] = sh;
	}
	return sh;
}

static void shards_release(shards *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->list[i]->k);
		free(s->list[i]->f);
		free(s->list[i]);
	}
	free(s->list);
	map_release(&s->by_name);
	arena_release(&s->names);
	*s = (shards){ MAP_INIT, NULL, 0, 0, ARENA_INIT };
}

static int cmp_shard(const void *pa, const void *pb)
{
	return strcmp((*(shard *const *)pa)->name, (*(shard *const *)pb)->name);
}

/* One word of the shards (a key or a form), for splitting. */
typedef struct item {
	char *esc;         /* the word escaped (shard_escape) */
	size_t bytes;      /* its entry's size */
	const char *shard; /* the name of the shard it goes to */
} item;

static int cmp_item(const void *pa, const void *pb)
{
	return strcmp((*(item *const *)pa)->esc, (*(item *const *)pb)->esc);
}

/* Length of the escaped character at s. */
static size_t esc_unit(const char *s)
{
	if (*s != '_')
		return 1;
	const char *e = strchr(s + 1, '_');
	return e ? (size_t)(e - s) + 1 : strlen(s);
}

/* Assigns items[lo..hi) (sorted, all starting with the first plen bytes of
 * items[lo]->esc) to shards: one shard when they fit SEARCH_SHARD_BYTES,
 * else the words equal to the prefix stay in its shard and the others are
 * split by their next character, recursively. */
static void split(item **items, size_t lo, size_t hi, size_t plen, int depth, arena *names)
{
	size_t total = 0;
	for (size_t i = lo; i < hi; i++)
		total += items[i]->bytes;
	const char *name = arena_strndup(names, items[lo]->esc, plen);
	if (total <= SEARCH_SHARD_BYTES || depth >= SEARCH_SHARD_DEPTH) {
		for (size_t i = lo; i < hi; i++)
			items[i]->shard = name;
		return;
	}
	size_t i = lo;
	while (i < hi && items[i]->esc[plen] == '\0')
		items[i++]->shard = name;
	while (i < hi) {
		size_t u = esc_unit(items[i]->esc + plen), j = i + 1;
		while (j < hi && strncmp(items[j]->esc + plen, items[i]->esc + plen, u) == 0)
			j++;
		split(items, i, j, plen + u, depth + 1, names);
		i = j;
	}
}

/* Distributes the entries of the plan into shards. */
static void distribute(const plan *pl, shards *s)
{
	size_t n = pl->n_terms + pl->n_forms;
	item *all = xcalloc(n + 1, sizeof *all);
	item **sorted = xcalloc(n + 1, sizeof *sorted);
	buf esc = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		bool is_term = i < pl->n_terms;
		const char *word = is_term ? pl->terms[i]->key : pl->forms[i - pl->n_terms]->surface;
		buf_reset(&esc);
		search_shard_escape(word, &esc);
		all[i].esc = arena_strndup(&s->names, esc.ptr, esc.len);
		all[i].bytes = (is_term ? pl->terms[i]->json_len : pl->form_entries[i - pl->n_terms].len) + 1;
		sorted[i] = &all[i];
	}
	qsort(sorted, n, sizeof *sorted, cmp_item);
	if (n > 0)
		split(sorted, 0, n, 0, 0, &s->names);
	/* In plan order, so each shard's lists come out sorted bytewise. */
	for (size_t i = 0; i < n; i++) {
		bool is_term = i < pl->n_terms;
		shard *sh = shard_get(s, all[i].shard);
		if (is_term) {
			sh->k = xgrow(sh->k, &sh->cap_k, sh->n_k + 1, sizeof *sh->k);
			sh->k[sh->n_k++] = pl->terms[i];
		} else {
			sh->f = xgrow(sh->f, &sh->cap_f, sh->n_f + 1, sizeof *sh->f);
			sh->f[sh->n_f++] = (span){ pl->form_entries[i - pl->n_terms].ptr,
						   pl->form_entries[i - pl->n_terms].len };
		}
		sh->bytes += all[i].bytes;
	}
	buf_release(&esc);
	free(sorted);
	free(all);
}

/* The entries of keys k[0..n) to b, comma-separated. */
static void add_keys(buf *b, const mterm *const *k, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_addc(b, ',');
		entry_json(k[i], b);
	}
}

/* Entries e[0..n) to b, comma-separated. */
static void add_entries(buf *b, const span *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_addc(b, ',');
		buf_add(b, e[i].ptr, e[i].len);
	}
}

static phare_status write_file(search_index *ix, const char *dir, const char *name, const buf *b)
{
	phare_status st;
	if (ix->emit) {
		st = ix->emit(ix->emit_ctx, name, b->ptr ? b->ptr : "", b->len);
	} else {
		char *path = fsx_join(dir, name);
		st = fsx_write(path, b->ptr, b->len);
		free(path);
	}
	ix->stats.files++;
	ix->stats.bytes += b->len;
	return st;
}

typedef struct suffix_count {
	const char *s;
	size_t n;
} suffix_count;

static int cmp_suffix_count(const void *pa, const void *pb)
{
	const suffix_count *a = pa, *b = pb;
	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->s, b->s);
}

static int cmp_suffix_out(const void *pa, const void *pb)
{
	const suffix_count *a = pa, *b = pb;
	size_t la = strlen(a->s), lb = strlen(b->s);
	if (la != lb)
		return la > lb ? -1 : 1;
	return strcmp(a->s, b->s);
}

/* The endings the stemmer removed most often (index.h), longest first. */
void search_learned_suffixes(const char *const *surf_of, const char *const *key_of, size_t n_forms, buf *out)
{
	map counts = MAP_INIT;
	arena mem = ARENA_INIT;
	suffix_count *all = xcalloc(n_forms + 1, sizeof *all);
	size_t n = 0;
	for (size_t i = 0; i < n_forms; i++) {
		const char *surf = surf_of[i], *key = key_of[i];
		size_t kl = strlen(key), sl = strlen(surf);
		if (sl <= kl || sl - kl > MAX_SUFFIX_BYTES || strncmp(surf, key, kl) != 0)
			continue;
		uintptr_t at = (uintptr_t)map_get(&counts, surf + kl);
		if (!at) {
			all[n] = (suffix_count){ arena_strdup(&mem, surf + kl), 0 };
			map_put(&counts, all[n].s, (void *)(uintptr_t)(n + 1));
			at = ++n;
		}
		all[at - 1].n++;
	}
	qsort(all, n, sizeof *all, cmp_suffix_count);
	size_t keep = 0;
	while (keep < n && keep < MAX_SUFFIXES && all[keep].n >= 2)
		keep++;
	qsort(all, keep, sizeof *all, cmp_suffix_out);
	for (size_t i = 0; i < keep; i++) {
		if (i)
			buf_addc(out, ',');
		buf_add_json_str(out, all[i].s, strlen(all[i].s));
	}
	free(all);
	map_release(&counts);
	arena_release(&mem);
}

static void learned_suffixes(const plan *pl, buf *out)
{
	const char **surf = xcalloc(2 * pl->n_forms + 1, sizeof *surf), **key = surf + pl->n_forms;
	for (size_t i = 0; i < pl->n_forms; i++) {
		surf[i] = pl->forms[i]->surface;
		key[i] = pl->forms[i]->key;
	}
	search_learned_suffixes(surf, key, pl->n_forms, out);
	free(surf);
}

/* The state patch.c reads (patch.h): the pages, their lengths' sums, the
 * shards with their entries' bytes, the forms by dictionary number with
 * how many pages saw each with its key. */
static void write_state(search_index *ix, const merged *m, const plan *pl, const shards *sh)
{
	buf *o = ix->state;
	search_state_head(o, m->n_docs, m->sum, sh->n);
	for (size_t i = 0; i < sh->n; i++)
		search_state_shard(o, sh->list[i]->name, sh->list[i]->bytes);
	record_put_varint(o, pl->n_forms);
	for (size_t i = 0; i < pl->n_forms; i++) {
		const form *f = pl->forms[i];
		search_state_form(o, search_dict_id(ix->dict, f->surface, strlen(f->surface)),
				  search_dict_id(ix->dict, f->key, strlen(f->key)),
				  f->pages_key && strcmp(f->pages_key, f->key) == 0 ? f->pages : 0, f->seen);
	}
}

static void add_json(buf *b, const char *s) { buf_add_json_str(b, s, strlen(s)); }

/* Appends page d's entry (made when it was added) to b. */
static phare_status doc_entry(const doc *d, buf *b)
{
	if (d->entry) {
		buf_add(b, d->entry, d->entry_len);
		return PHARE_OK;
	}
	buf_grow(b, d->entry_len);
	for (size_t got = 0; got < d->entry_len;) {
		ssize_t r = pread(d->owner->spill_fd, b->ptr + b->len + got, d->entry_len - got,
				  (off_t)(d->entry_off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			diag_error("search index", 0, 0, "cannot read its temporary file: %s",
				   r < 0 ? strerror(errno) : "truncated");
			return PHARE_ERR_IO;
		}
		got += (size_t)r;
	}
	b->len += d->entry_len;
	b->ptr[b->len] = '\0';
	return PHARE_OK;
}

/* Every part's entries written to its spill file (none: nothing to do). */
static phare_status flush_parts(search_index *ix)
{
	for (part *pt = ix->all_parts; pt; pt = pt->next_all)
		if (pt->spill_fd >= 0 && !search_part_flush(pt))
			return PHARE_ERR_IO;
	return PHARE_OK;
}

/* search_index_write, and with last, search_index_write_last. */
static phare_status index_write(search_index *ix, const char *dir, bool last)
{
	phare_status st = PHARE_OK;
	plan pl = { 0 };
	merged m = { .term_at = MAP_INIT, .form_at = MAP_INIT };
	shards sh = { MAP_INIT, NULL, 0, 0, ARENA_INIT };
	buf b = BUF_INIT, name = BUF_INIT;

	if (ix->released) /* search_index_write_last's promise broken */
		abort();
	memset(&ix->stats, 0, sizeof ix->stats);
	if (!ix->all_parts) /* no page: still a part, for the stop words */
		search_part_give(ix, search_part_take(ix));
	if ((!ix->emit && (st = fsx_mkdirs(dir)) != PHARE_OK) || (st = flush_parts(ix)) != PHARE_OK)
		goto done;

	merge_parts(ix, &m, last);
	make_plan(&m, &pl);

	distribute(&pl, &sh);
	if (sh.n)
		qsort(sh.list, sh.n, sizeof *sh.list, cmp_shard);
	for (size_t i = 0; i < sh.n && st == PHARE_OK; i++) {
		buf_reset(&b);
		buf_grow(&b, sh.list[i]->bytes + 16);
		buf_adds(&b, "{\"k\":[");
		add_keys(&b, sh.list[i]->k, sh.list[i]->n_k);
		buf_adds(&b, "],\"f\":[");
		add_entries(&b, sh.list[i]->f, sh.list[i]->n_f);
		buf_adds(&b, "]}\n");
		buf_reset(&name);
		buf_addf(&name, *sh.list[i]->name ? "t-%s.json" : "t.json", sh.list[i]->name);
		st = write_file(ix, dir, name.ptr, &b);
		if (b.len > ix->stats.largest_shard_bytes)
			ix->stats.largest_shard_bytes = b.len;
	}

	for (size_t c = 0; c * SEARCH_DOCS_PER_CHUNK < m.n_docs && st == PHARE_OK; c++) {
		buf_reset(&b);
		buf_addc(&b, '[');
		for (size_t i = c * SEARCH_DOCS_PER_CHUNK;
		     i < m.n_docs && i < (c + 1) * SEARCH_DOCS_PER_CHUNK && st == PHARE_OK; i++) {
			if (i % SEARCH_DOCS_PER_CHUNK)
				buf_adds(&b, ",\n");
			st = doc_entry(m.docs[i], &b);
		}
		if (st != PHARE_OK)
			break;
		buf_adds(&b, "]\n");
		buf_reset(&name);
		buf_addf(&name, "d-%zu.json", c);
		st = write_file(ix, dir, name.ptr, &b);
		if (b.len > ix->stats.largest_docs_bytes)
			ix->stats.largest_docs_bytes = b.len;
	}

	if (st == PHARE_OK) {
		buf_reset(&b);
		buf_adds(&b, "{\"v\":1,\"lang\":");
		add_json(&b, ix->lang);
		buf_addf(&b, ",\"docs\":%zu,\"chunk\":%d,\"shards\":[", m.n_docs, SEARCH_DOCS_PER_CHUNK);
		for (size_t i = 0; i < sh.n; i++) {
			if (i)
				buf_addc(&b, ',');
			add_json(&b, sh.list[i]->name);
		}
		buf_adds(&b, "],\"stop\":[");
		const char *const *stop = search_text_stop_words(ix->all_parts->text);
		for (size_t i = 0; stop[i]; i++) {
			if (i)
				buf_addc(&b, ',');
			add_json(&b, stop[i]);
		}
		buf_adds(&b, "],\"suffixes\":[");
		learned_suffixes(&pl, &b);
		buf_adds(&b, "]}\n");
		ix->stats.meta_bytes = b.len;
		st = write_file(ix, dir, "meta.json", &b);
	}
	if (st == PHARE_OK && ix->state)
		write_state(ix, &m, &pl, &sh);
	ix->stats.docs = m.n_docs;
	ix->stats.keys = pl.n_terms;
	ix->stats.forms = pl.n_forms;
	ix->stats.shards = sh.n;
done:
	free_plan(&pl);
	merged_release(&m);
	shards_release(&sh);
	buf_release(&b);
	buf_release(&name);
	return st;
}

void search_index_stats(const search_index *ix, search_stats *out) { *out = ix->stats; }

void search_index_emit(search_index *ix, search_emit_fn emit, void *ctx)
{
	ix->emit = emit;
	ix->emit_ctx = ctx;
}

phare_status search_index_write(search_index *ix, const char *dir) { return index_write(ix, dir, false); }

phare_status search_index_write_last(search_index *ix, const char *dir) { return index_write(ix, dir, true); }

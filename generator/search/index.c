/* index.c: collects a language's pages and writes its sharded search index.
 *
 * search_index_add does the slow part (HTML to text, finding the words)
 * outside the lock; under it, each distinct lowercase word is stemmed once
 * (memo) and the page's postings appended.  Pages get a number in the order
 * they were added; search_index_write renumbers them by URL, so the files do
 * not depend on which thread added what first.  The layout of the files is
 * in index.h. */
#include "search/index.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "search/page.h"
#include "search/text.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/fsx.h"
#include "util/map.h"
#include "util/xalloc.h"

enum { F_TITLE, F_HEAD, F_DESC, F_TEXT, F_N };
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

typedef struct posting {
	uint32_t doc;         /* the order of addition; renumbered on write */
	uint16_t tf[F_N];
	uint16_t sect;
} posting;

typedef struct term {
	const char *key;      /* in ix->strings */
	posting *p;
	size_t n, cap;
} term;

/* A folded surface word whose key differs from it. */
typedef struct form {
	const char *surface;
	term *t;              /* the bytewise smallest key it was seen with */
} form;

typedef struct doc {
	char *kind, *url, *title, *section, *desc, *intro;
	search_heading *heads;
	size_t n_heads;
	uint32_t len[F_N];    /* words per field */
	uint32_t id;          /* number in the written files */
} doc;

struct search_index {
	char *lang;
	pthread_mutex_t lock;
	/* Everything below is guarded by lock. */
	search_text *text;
	arena strings;
	map memo;             /* lowercase word -> term *, or &no_term */
	map terms;            /* key -> term * */
	map forms;            /* folded surface -> form * */
	doc **docs;
	size_t n_docs, cap_docs;
	buf key, surface;
	search_stats stats;
};

static term no_term; /* memo value of a word without key (stop word...) */

search_index *search_index_new(const char *lang)
{
	search_index *ix = xcalloc(1, sizeof *ix);
	ix->lang = xstrdup(lang ? lang : "");
	pthread_mutex_init(&ix->lock, NULL);
	ix->text = search_text_new(lang);
	ix->strings = (arena)ARENA_INIT;
	ix->key = (buf)BUF_INIT;
	ix->surface = (buf)BUF_INIT;
	return ix;
}

/* One distinct lowercase word of the page being added. */
typedef struct local_word {
	char *lower;
	uint16_t tf[F_N];
	uint16_t sect;
} local_word;

typedef struct local {
	map index;            /* lower -> local_word index + 1 */
	local_word *w;
	size_t n, cap;
	arena mem;
	buf low;
	uint32_t len[F_N];
} local;

static void local_words(local *l, const char *s, size_t n, int field, unsigned sect)
{
	size_t pos = 0, start, wlen;
	while (search_text_next_word(s, n, &pos, &start, &wlen)) {
		l->len[field]++;
		if (wlen > SEARCH_WORD_MAX * 2)
			continue;
		buf_reset(&l->low);
		search_text_lower(s + start, wlen, &l->low);
		uintptr_t at = (uintptr_t)map_get(&l->index, l->low.ptr);
		local_word *w;
		if (at) {
			w = &l->w[at - 1];
		} else {
			l->w = xgrow(l->w, &l->cap, l->n + 1, sizeof *l->w);
			w = &l->w[l->n++];
			*w = (local_word){ .lower = arena_strndup(&l->mem, l->low.ptr, l->low.len),
					   .sect = (uint16_t)sect };
			map_put(&l->index, w->lower, (void *)(uintptr_t)l->n);
		}
		if (w->tf[field] < UINT16_MAX)
			w->tf[field]++;
		if (sect < w->sect)
			w->sect = (uint16_t)sect;
	}
}

static term *term_of(search_index *ix, const char *lower)
{
	term *t = map_get(&ix->memo, lower);
	if (t)
		return t;
	const char *lkey = arena_strdup(&ix->strings, lower);
	if (!search_text_key(ix->text, lower, strlen(lower), &ix->key, &ix->surface)) {
		map_put(&ix->memo, lkey, &no_term);
		return &no_term;
	}
	t = map_get(&ix->terms, ix->key.ptr);
	if (!t) {
		t = xcalloc(1, sizeof *t);
		t->key = arena_strndup(&ix->strings, ix->key.ptr, ix->key.len);
		map_put(&ix->terms, t->key, t);
	}
	if (!buf_equals(&ix->surface, t->key)) {
		form *f = map_get(&ix->forms, ix->surface.ptr);
		if (!f) {
			f = arena_alloc(&ix->strings, sizeof *f);
			f->surface = arena_strndup(&ix->strings, ix->surface.ptr, ix->surface.len);
			f->t = t;
			map_put(&ix->forms, f->surface, f);
		} else if (strcmp(t->key, f->t->key) < 0) {
			f->t = t;
		}
	}
	map_put(&ix->memo, lkey, t);
	return t;
}

static char *dup_or_empty(const char *s)
{
	return xstrdup(s ? s : "");
}

void search_index_add(search_index *ix, const char *kind, const char *url, const char *title,
		      const char *section, const char *description, const char *body_html)
{
	search_page page = SEARCH_PAGE_INIT;
	local l = { .index = MAP_INIT, .mem = ARENA_INIT, .low = BUF_INIT };
	search_page_parse(&page, body_html);
	/* Words in the title and description count as the top of the page (sect 0). */
	if (title)
		local_words(&l, title, strlen(title), F_TITLE, 0);
	if (description)
		local_words(&l, description, strlen(description), F_DESC, 0);
	for (size_t i = 0; i < page.n_segs; i++) {
		const search_segment *g = &page.segs[i];
		local_words(&l, page.text.ptr + g->off, g->len, g->heading ? F_HEAD : F_TEXT, g->sect);
	}

	doc *d = xcalloc(1, sizeof *d);
	d->kind = dup_or_empty(kind);
	d->url = dup_or_empty(url);
	d->title = dup_or_empty(title);
	d->section = dup_or_empty(section);
	d->desc = dup_or_empty(description);
	d->intro = page.intro;
	page.intro = NULL;
	d->heads = page.heads;
	d->n_heads = page.n_heads;
	page.heads = NULL;
	page.n_heads = 0;
	memcpy(d->len, l.len, sizeof d->len);

	pthread_mutex_lock(&ix->lock);
	uint32_t id = (uint32_t)ix->n_docs;
	ix->docs = xgrow(ix->docs, &ix->cap_docs, ix->n_docs + 1, sizeof *ix->docs);
	ix->docs[ix->n_docs++] = d;
	for (size_t i = 0; i < l.n; i++) {
		term *t = term_of(ix, l.w[i].lower);
		if (t == &no_term)
			continue;
		/* Two words of the page may share a key ("conteneur", "conteneurs"). */
		posting *p = t->n > 0 && t->p[t->n - 1].doc == id ? &t->p[t->n - 1] : NULL;
		if (!p) {
			t->p = xgrow(t->p, &t->cap, t->n + 1, sizeof *t->p);
			p = &t->p[t->n++];
			*p = (posting){ .doc = id, .sect = l.w[i].sect };
		}
		for (int f = 0; f < F_N; f++) {
			unsigned sum = (unsigned)p->tf[f] + l.w[i].tf[f];
			p->tf[f] = (uint16_t)(sum > UINT16_MAX ? UINT16_MAX : sum);
		}
		if (l.w[i].sect < p->sect)
			p->sect = l.w[i].sect;
	}
	pthread_mutex_unlock(&ix->lock);

	free(l.w);
	map_release(&l.index);
	arena_release(&l.mem);
	buf_release(&l.low);
	search_page_release(&page);
}

/* ---- writing ---- */

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a, b);
}

static int cmp_doc(const void *pa, const void *pb)
{
	const doc *a = *(doc *const *)pa, *b = *(doc *const *)pb;
	int c;
	if ((c = cmp_str(a->url, b->url)) || (c = cmp_str(a->kind, b->kind)) ||
	    (c = cmp_str(a->title, b->title)) || (c = cmp_str(a->section, b->section)) ||
	    (c = cmp_str(a->desc, b->desc)) || (c = cmp_str(a->intro, b->intro)))
		return c;
	return 0;
}

static int cmp_term(const void *pa, const void *pb)
{
	return strcmp((*(term *const *)pa)->key, (*(term *const *)pb)->key);
}

static int cmp_form(const void *pa, const void *pb)
{
	return strcmp((*(form *const *)pa)->surface, (*(form *const *)pb)->surface);
}

/* Postings by page number; docs (the pages in order of addition) is the context. */
static int cmp_posting(const void *pa, const void *pb, void *docs)
{
	uint32_t a = ((doc **)docs)[((const posting *)pa)->doc]->id;
	uint32_t b = ((doc **)docs)[((const posting *)pb)->doc]->id;
	return a < b ? -1 : a > b;
}

/* Appends word spelled as in shard names (index.h): a-z and 0-9 as
 * themselves, any other character as _<hex code point>_.  Prefix-preserving:
 * w starts with p if and only if escaped(w) starts with escaped(p). */
static void shard_escape(const char *word, buf *out)
{
	size_t i = 0, n = strlen(word);
	while (i < n) {
		const unsigned char *u = (const unsigned char *)word + i;
		if ((*u >= 'a' && *u <= 'z') || (*u >= '0' && *u <= '9')) {
			buf_addc(out, (char)*u);
			i++;
			continue;
		}
		size_t len = *u >= 0xF0 ? 4 : *u >= 0xE0 ? 3 : *u >= 0xC0 ? 2 : 1;
		unsigned long cp = len == 1 ? *u : *u & (0x7Fu >> len);
		for (size_t j = 1; j < len && i + j < n; j++)
			cp = (cp << 6) | (u[j] & 0x3F);
		buf_addf(out, "_%lx_", cp);
		i += len;
	}
}

/* The sorted collections the files are made of. */
typedef struct plan {
	term **terms;
	size_t n_terms;
	form **forms;
	size_t n_forms;
	buf *entries;         /* per term: ["key",[...]] */
	buf *form_entries;    /* per form: ["form","key"] */
} plan;

static void term_entry(const term *t, doc *const *docs, size_t n_docs, const double avg[F_N],
		       buf *out)
{
	double idf = log(1.0 + ((double)n_docs - (double)t->n + 0.5) / ((double)t->n + 0.5));
	buf_add_json_str(out, t->key, strlen(t->key));
	buf_adds(out, ",[");
	uint32_t prev = 0;
	for (size_t i = 0; i < t->n; i++) {
		const posting *p = &t->p[i];
		const doc *d = docs[p->doc];
		double tfw = 0, bonus = 0;
		for (int f = 0; f < F_N; f++) {
			if (p->tf[f]) {
				tfw += field_weight[f] * p->tf[f] /
				       (1.0 - field_b[f] + field_b[f] * d->len[f] / avg[f]);
				bonus += field_bonus[f];
			}
		}
		long score = lround(100.0 * idf * (tfw * (BM25_K1 + 1.0) / (tfw + BM25_K1) + bonus));
		unsigned sect = p->sect <= d->n_heads ? p->sect : 0;
		buf_addf(out, "%s%u,%ld,%u", i ? "," : "", d->id - prev, score > 0 ? score : 1, sect);
		prev = d->id;
	}
	buf_adds(out, "]");
}

static void make_plan(search_index *ix, plan *pl)
{
	double avg[F_N] = { 0 };
	for (size_t i = 0; i < ix->n_docs; i++)
		for (int f = 0; f < F_N; f++)
			avg[f] += ix->docs[i]->len[f];
	for (int f = 0; f < F_N; f++)
		avg[f] = avg[f] > 0 ? avg[f] / (double)ix->n_docs : 1.0;

	pl->terms = xcalloc(ix->terms.len + 1, sizeof *pl->terms);
	const char *k;
	void *v;
	for (size_t it = 0; map_next(&ix->terms, &it, &k, &v);)
		pl->terms[pl->n_terms++] = v;
	qsort(pl->terms, pl->n_terms, sizeof *pl->terms, cmp_term);
	pl->entries = xcalloc(pl->n_terms + 1, sizeof *pl->entries);
	for (size_t i = 0; i < pl->n_terms; i++) {
		term *t = pl->terms[i];
		qsort_r(t->p, t->n, sizeof *t->p, cmp_posting, ix->docs);
		buf_addc(&pl->entries[i], '[');
		term_entry(t, ix->docs, ix->n_docs, avg, &pl->entries[i]);
		buf_addc(&pl->entries[i], ']');
	}

	pl->forms = xcalloc(ix->forms.len + 1, sizeof *pl->forms);
	for (size_t it = 0; map_next(&ix->forms, &it, &k, &v);)
		pl->forms[pl->n_forms++] = v;
	qsort(pl->forms, pl->n_forms, sizeof *pl->forms, cmp_form);
	pl->form_entries = xcalloc(pl->n_forms + 1, sizeof *pl->form_entries);
	for (size_t i = 0; i < pl->n_forms; i++) {
		buf *e = &pl->form_entries[i];
		buf_addc(e, '[');
		buf_add_json_str(e, pl->forms[i]->surface, strlen(pl->forms[i]->surface));
		buf_addc(e, ',');
		buf_add_json_str(e, pl->forms[i]->t->key, strlen(pl->forms[i]->t->key));
		buf_addc(e, ']');
	}
}

static void free_plan(plan *pl)
{
	for (size_t i = 0; i < pl->n_terms; i++)
		buf_release(&pl->entries[i]);
	for (size_t i = 0; i < pl->n_forms; i++)
		buf_release(&pl->form_entries[i]);
	free(pl->entries);
	free(pl->form_entries);
	free(pl->terms);
	free(pl->forms);
}

/* One shard being assembled. */
typedef struct shard {
	const char *name;
	buf k, f;
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
		sh->k = (buf)BUF_INIT;
		sh->f = (buf)BUF_INIT;
		map_put(&s->by_name, sh->name, sh);
		s->list = xgrow(s->list, &s->cap, s->n + 1, sizeof *s->list);
		s->list[s->n++] = sh;
	}
	return sh;
}

static void shards_release(shards *s)
{
	for (size_t i = 0; i < s->n; i++) {
		buf_release(&s->list[i]->k);
		buf_release(&s->list[i]->f);
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
	char *esc;            /* the word escaped (shard_escape) */
	size_t bytes;         /* its entry's size */
	const char *shard;    /* the name of the shard it goes to */
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
		shard_escape(word, &esc);
		all[i].esc = arena_strndup(&s->names, esc.ptr, esc.len);
		all[i].bytes = (is_term ? pl->entries[i].len : pl->form_entries[i - pl->n_terms].len) + 1;
		sorted[i] = &all[i];
	}
	qsort(sorted, n, sizeof *sorted, cmp_item);
	if (n > 0)
		split(sorted, 0, n, 0, 0, &s->names);
	/* In plan order, so each shard's lists come out sorted bytewise. */
	for (size_t i = 0; i < n; i++) {
		bool is_term = i < pl->n_terms;
		const buf *e = is_term ? &pl->entries[i] : &pl->form_entries[i - pl->n_terms];
		shard *sh = shard_get(s, all[i].shard);
		buf *to = is_term ? &sh->k : &sh->f;
		if (to->len)
			buf_addc(to, ',');
		buf_add(to, e->ptr, e->len);
		sh->bytes += e->len + 1;
	}
	buf_release(&esc);
	free(sorted);
	free(all);
}

static phare_status write_file(search_index *ix, const char *dir, const char *name, const buf *b)
{
	char *path = fsx_join(dir, name);
	phare_status st = fsx_write(path, b->ptr, b->len);
	free(path);
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
static void learned_suffixes(const plan *pl, buf *out)
{
	map counts = MAP_INIT;
	arena mem = ARENA_INIT;
	suffix_count *all = xcalloc(pl->n_forms + 1, sizeof *all);
	size_t n = 0;
	for (size_t i = 0; i < pl->n_forms; i++) {
		const char *surf = pl->forms[i]->surface, *key = pl->forms[i]->t->key;
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

static void add_json(buf *b, const char *s)
{
	buf_add_json_str(b, s, strlen(s));
}

static void doc_entry(const doc *d, buf *b)
{
	buf_addc(b, '[');
	const char *fields[] = { d->title, d->url, d->section, d->kind, d->desc, d->intro };
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		add_json(b, fields[i]);
		buf_addc(b, ',');
	}
	buf_addc(b, '[');
	for (size_t h = 0; h < d->n_heads; h++) {
		buf_adds(b, h ? ",[" : "[");
		add_json(b, d->heads[h].id);
		buf_addc(b, ',');
		add_json(b, d->heads[h].text);
		buf_addc(b, ',');
		add_json(b, d->heads[h].start);
		buf_addc(b, ']');
	}
	buf_adds(b, "]]");
}

phare_status search_index_write(search_index *ix, const char *dir)
{
	phare_status st = PHARE_OK;
	plan pl = { 0 };
	shards sh = { MAP_INIT, NULL, 0, 0, ARENA_INIT };
	buf b = BUF_INIT, name = BUF_INIT;
	doc **order = NULL;

	memset(&ix->stats, 0, sizeof ix->stats);
	if ((st = fsx_mkdirs(dir)) != PHARE_OK)
		goto done;

	/* Pages in URL order: the numbers the files use. */
	order = xcalloc(ix->n_docs + 1, sizeof *order);
	if (ix->n_docs)
		memcpy(order, ix->docs, ix->n_docs * sizeof *order);
	qsort(order, ix->n_docs, sizeof *order, cmp_doc);
	for (size_t i = 0; i < ix->n_docs; i++)
		order[i]->id = (uint32_t)i;
	make_plan(ix, &pl);

	distribute(&pl, &sh);
	if (sh.n)
		qsort(sh.list, sh.n, sizeof *sh.list, cmp_shard);
	for (size_t i = 0; i < sh.n && st == PHARE_OK; i++) {
		buf_reset(&b);
		buf_adds(&b, "{\"k\":[");
		buf_add(&b, sh.list[i]->k.ptr, sh.list[i]->k.len);
		buf_adds(&b, "],\"f\":[");
		buf_add(&b, sh.list[i]->f.ptr, sh.list[i]->f.len);
		buf_adds(&b, "]}\n");
		buf_reset(&name);
		buf_addf(&name, *sh.list[i]->name ? "t-%s.json" : "t.json", sh.list[i]->name);
		st = write_file(ix, dir, name.ptr, &b);
		if (b.len > ix->stats.largest_shard_bytes)
			ix->stats.largest_shard_bytes = b.len;
	}

	for (size_t c = 0; c * SEARCH_DOCS_PER_CHUNK < ix->n_docs && st == PHARE_OK; c++) {
		buf_reset(&b);
		buf_addc(&b, '[');
		for (size_t i = c * SEARCH_DOCS_PER_CHUNK;
		     i < ix->n_docs && i < (c + 1) * SEARCH_DOCS_PER_CHUNK; i++) {
			if (i % SEARCH_DOCS_PER_CHUNK)
				buf_adds(&b, ",\n");
			doc_entry(order[i], &b);
		}
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
		buf_addf(&b, ",\"docs\":%zu,\"chunk\":%d,\"shards\":[", ix->n_docs,
			 SEARCH_DOCS_PER_CHUNK);
		for (size_t i = 0; i < sh.n; i++) {
			if (i)
				buf_addc(&b, ',');
			add_json(&b, sh.list[i]->name);
		}
		buf_adds(&b, "],\"stop\":[");
		const char *const *stop = search_text_stop_words(ix->text);
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
	ix->stats.docs = ix->n_docs;
	ix->stats.keys = pl.n_terms;
	ix->stats.forms = pl.n_forms;
	ix->stats.shards = sh.n;
done:
	free(order);
	free_plan(&pl);
	shards_release(&sh);
	buf_release(&b);
	buf_release(&name);
	return st;
}

void search_index_stats(const search_index *ix, search_stats *out)
{
	*out = ix->stats;
}

void search_index_free(search_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->n_docs; i++) {
		doc *d = ix->docs[i];
		free(d->kind);
		free(d->url);
		free(d->title);
		free(d->section);
		free(d->desc);
		free(d->intro);
		for (size_t h = 0; h < d->n_heads; h++) {
			free(d->heads[h].id);
			free(d->heads[h].text);
			free(d->heads[h].start);
		}
		free(d->heads);
		free(d);
	}
	free(ix->docs);
	const char *k;
	void *v;
	for (size_t it = 0; map_next(&ix->terms, &it, &k, &v);) {
		term *t = v;
		free(t->p);
		free(t);
	}
	map_release(&ix->terms);
	map_release(&ix->forms);
	map_release(&ix->memo);
	arena_release(&ix->strings);
	buf_release(&ix->key);
	buf_release(&ix->surface);
	search_text_free(ix->text);
	pthread_mutex_destroy(&ix->lock);
	free(ix->lang);
	free(ix);
}

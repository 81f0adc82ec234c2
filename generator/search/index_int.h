/* index_int.h: what the two halves of the search index share (not for
 * other modules: use index.h).
 *
 * index.c collects: each thread that adds pages works on a part of its own;
 * index_write.c merges the parts and writes the files described in index.h. */
#ifndef PHARE_SEARCH_INDEX_INT_H
#define PHARE_SEARCH_INDEX_INT_H

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "search/index.h"
#include "search/dict.h"
#include "search/page.h"
#include "search/text.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/map.h"

enum { F_TITLE, F_HEAD, F_DESC, F_TEXT, F_N };

/* A page's counts for one key. */
typedef struct posting {
	uint16_t tf[F_N];
	uint16_t sect;
} posting;

/* A page keeps its postings until the write, one per distinct word of the
 * page (most of a build's memory for the index), packed as bytes: for each,
 * the varint of (term << 5 | flags), the term's index in its part
 * (part.list), flags bit f set when tf[f] is not 0 (f < F_N) and bit 4 when
 * sect is not 0; then the varints of those tf[f] and of sect.  About 5
 * bytes a posting where the struct took 16. */
#define POSTING_MAX_BYTES (10 + 5 * 3) /* a 64-bit varint, five 16-bit ones */

static inline unsigned char *posting_put_varint(unsigned char *w, uint64_t v)
{
	while (v >= 0x80) {
		*w++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*w++ = (unsigned char)v;
	return w;
}

static inline const unsigned char *posting_get_varint(const unsigned char *r, uint64_t *v)
{
	uint64_t x = 0;
	unsigned shift = 0;
	while (*r & 0x80) {
		x |= (uint64_t)(*r++ & 0x7F) << shift;
		shift += 7;
	}
	*v = x | (uint64_t)*r++ << shift;
	return r;
}

/* Appends term's posting p at w (POSTING_MAX_BYTES free); returns the end. */
static inline unsigned char *posting_encode(unsigned char *w, uint32_t term, const posting *p)
{
	unsigned flags = p->sect ? 1u << F_N : 0;
	for (int f = 0; f < F_N; f++)
		if (p->tf[f])
			flags |= 1u << f;
	w = posting_put_varint(w, (uint64_t)term << 5 | flags);
	for (int f = 0; f < F_N; f++)
		if (p->tf[f])
			w = posting_put_varint(w, p->tf[f]);
	return p->sect ? posting_put_varint(w, p->sect) : w;
}

/* Reads the posting at r into *term and *p; returns the next. */
static inline const unsigned char *posting_decode(const unsigned char *r, uint32_t *term, posting *p)
{
	uint64_t v, x;
	r = posting_get_varint(r, &v);
	*term = (uint32_t)(v >> 5);
	*p = (posting){ { 0 }, 0 };
	for (int f = 0; f < F_N; f++)
		if (v & (1u << f)) {
			r = posting_get_varint(r, &x);
			p->tf[f] = (uint16_t)x;
		}
	if (v & (1u << F_N)) {
		r = posting_get_varint(r, &x);
		p->sect = (uint16_t)x;
	}
	return r;
}

struct part;

/* A block of a part's pages' postings, mapped on its own (xcalloc_huge):
 * the last write releases it once the merge, which walks the pages in URL
 * order, has walked its pages.  A build adds them in that order too
 * (build_articles), so that the blocks go as the merged postings grow
 * (merge_parts), and the two are not in memory at once: at 200,000 pages,
 * the build's peak went from 920 to 830 MiB. */
#define POST_BLOCK ((size_t)4 << 20)
typedef struct post_block {
	unsigned char *data; /* NULL once released */
	size_t size, used;
	size_t pages; /* its pages whose postings the merge has not walked */
} post_block;

/* A page: what the keys' postings need, and its entry of d-<i>.json (its
 * title, URL, excerpts and headings as JSON), made when it is added: in
 * its part's strings, or in its part's spill file (search_index_spill). */
typedef struct doc {
	char *kind, *url;
	char *entry; /* NULL: in the spill file, at entry_off; else in its part's
		      * strings, or in the record it was added from (not owned) */
	uint64_t entry_off;
	size_t entry_len;
	size_t n_heads;
	uint32_t len[F_N];    /* words per field */
	double norm[F_N];     /* on write: BM25's length normalisation of each field */
	uint32_t id;          /* number in the written files */
	unsigned char *posts; /* packed (above), in its part's blocks; NULL once released */
	size_t n_posts;
	uint32_t block;     /* which of its part's blocks holds posts */
	struct part *owner; /* its blocks are released by the merge */
} doc;

typedef struct term {
	const char *key; /* in its part's strings */
	uint32_t idx;    /* in part.list */
	uint32_t n;      /* pages having it */
	uint32_t merged; /* on write: its index in merged.terms */
	uint32_t mark;   /* the part's page counting into cur (part.mark) */
	uint32_t pos;    /* its place in the page being recorded (part_record) */
	uint32_t word;   /* its key's number in the index's dictionary + 1; 0: not asked yet */
	posting cur;
} term;

/* A folded surface word whose key differs from it. */
typedef struct form {
	const char *surface;
	const char *key;             /* the bytewise smallest key it was seen with */
	uint32_t mark;               /* the part's page seeing it (part.mark) */
	const struct term *doc_term; /* the term of the smallest key that page saw it with */
	uint32_t word;               /* as term.word, for its surface */
	/* how many pages saw it with pages_key as their smallest key, the
	 * smallest such key of all (pages_key is key once the pages are in):
	 * what a patch (patch.h) needs to know whether a page that no longer
	 * has the form leaves it to others */
	const char *pages_key;
	uint32_t pages;
	uint32_t seen; /* pages that saw it, with any key */
} form;

/* A word as spelled in pages: its term (or no term) and its form (NULL:
 * the word's key is its folded spelling), the part's memo's value. */
typedef struct spelling {
	term *t;
	form *f;
} spelling;

/* What one thread adds (see the top of the file). */
typedef struct part {
	search_text *text;
	arena strings;
	post_block *blocks; /* its pages' postings, apart: released as merged (search_index_write_last) */
	size_t block_bytes; /* its index's */
	size_t n_blocks, cap_blocks;
	map memo;    /* word as spelled in pages -> its spelling * (term &no_term: none);
		      * probed for every word of every page, with the hash
		      * made while the word is found (part_words) */
	map terms;   /* key -> term * */
	term **list; /* the same terms, by idx */
	size_t n_list, cap_list;
	map forms; /* folded surface -> form * */
	doc **docs;
	size_t n_docs, cap_docs;
	term **touched; /* the terms of the page being added */
	size_t n_touched, cap_touched;
	form **forms_seen; /* the forms the page being added has */
	size_t n_seen, cap_seen;
	buf entry;           /* the page's entry of d-<i>.json, as made */
	term **term_of_word; /* by dictionary number: the terms and forms records named */
	form **form_of_word;
	size_t n_term_of_word, n_form_of_word;
	buf packed;       /* its postings, packed before they are copied to the doc */
	int spill_fd;     /* search_index_spill: its pages' entries, or -1 */
	uint64_t spilled; /* bytes written to spill_fd */
	buf spill;        /* entries not written yet */
	uint32_t mark;    /* bumped for each page added */
	buf key, surface;
	struct part *next_free, *next_all;
} part;

struct search_index {
	char *lang;
	pthread_mutex_t lock; /* guards the pool lists only */
	part *free_parts, *all_parts;
	search_stats stats;
	bool released;            /* by search_index_write_last: the pages' postings are gone */
	char *spill_dir;          /* search_index_spill's, or NULL */
	size_t block_bytes;       /* of a post_block (search_index_block_bytes) */
	struct search_dict *dict; /* the records' words (search_index_use_dict) */
	bool own_dict;            /* made here: freed with the index */
	buf *state;               /* search_index_state's, or NULL */
	search_emit_fn emit;      /* search_index_emit's, or NULL */
	void *emit_ctx;
};

#define SEARCH_STATE_VERSION 2
/* The state's format (patch.h), in one place (patch.c): its head, each
 * shard (name, its entries' bytes), then the number of forms and each
 * form (surface and key by dictionary number, pages of that key, pages). */
void search_state_head(buf *o, uint64_t n_docs, const uint64_t sum[F_N], size_t n_shards);
void search_state_shard(buf *o, const char *name, uint64_t total);
void search_state_form(buf *o, uint32_t surface, uint32_t key, uint32_t pages, uint32_t seen);

/* The ranking both halves and the patch (patch.c) share: BM25F without
 * its idf (the browser multiplies by it: a page's edit then leaves the
 * other pages' scores as they were), each field normalised by the
 * language's average length, rounded to a 64th of an octave (an edit moves
 * an average by a hair, which must not move every score of the language). */
void search_avgs(const uint64_t sum[F_N], size_t n_docs, double avg[F_N]);
void search_norms(const uint32_t len[F_N], const double avg[F_N], double norm[F_N]);
/* The score of posting p (>= 1) in a page of those norms, as stored. */
unsigned long search_score(const posting *p, const double norm[F_N]);
/* Appends word spelled as in shard names (index.h). */
void search_shard_escape(const char *word, buf *out);
/* The JSON list of learned suffixes (index.h) of forms surf[i] -> key[i]. */
void search_learned_suffixes(const char *const *surf, const char *const *key, size_t n, buf *out);
/* A page saw form f, with key as its smallest key (form.pages). */
static inline void form_count_page(form *f, const char *key)
{
	int c = f->pages_key ? strcmp(key, f->pages_key) : -1;
	f->seen++;
	if (c < 0) {
		f->pages_key = key;
		f->pages = 1;
	} else if (c == 0) {
		f->pages++;
	}
}

/* Writes the entries pt->spill holds to its file; false (reported) on error. */
bool search_part_flush(part *pt);

/* A part of ix for the calling thread, from the pool or new; given back
 * with search_part_give. */
part *search_part_take(search_index *ix);
void search_part_give(search_index *ix, part *pt);
/* Frees block i of pt's postings (the pages in it are merged, or gone). */
void search_part_release_block(part *pt, size_t i);

#endif

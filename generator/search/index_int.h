/* index_int.h: what the two halves of the search index share (not for
 * other modules: use index.h).
 *
 * index.c collects: each thread that adds pages works on a part of its own;
 * index_write.c merges the parts and writes the files described in index.h. */
#ifndef PHARE_SEARCH_INDEX_INT_H
#define PHARE_SEARCH_INDEX_INT_H

#include <pthread.h>
#include <stdint.h>

#include "search/index.h"
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

/* One key of a page, as the page keeps it until the write (16 bytes: there
 * is one per distinct word of every page). */
typedef struct page_posting {
	uint32_t term; /* the term's index in its part (part.list) */
	posting p;
} page_posting;

struct part;

typedef struct doc {
	char *kind, *url, *title, *section, *desc, *intro;
	search_heading *heads;
	size_t n_heads;
	uint32_t len[F_N];   /* words per field */
	double norm[F_N];    /* on write: BM25's length normalisation of each field */
	uint32_t id;         /* number in the written files */
	page_posting *posts; /* in its part's strings */
	size_t n_posts;
	const struct part *owner;
} doc;

typedef struct term {
	const char *key; /* in its part's strings */
	uint32_t idx;    /* in part.list */
	uint32_t n;      /* pages having it */
	uint32_t merged; /* on write: its index in merged.terms */
	uint32_t mark;   /* the part's page counting into cur (part.mark) */
	posting cur;
} term;

/* A folded surface word whose key differs from it. */
typedef struct form {
	const char *surface;
	const char *key; /* the bytewise smallest key it was seen with */
} form;

/* What one thread adds (see the top of the file). */
typedef struct part {
	search_text *text;
	arena strings;
	map memo;    /* word as spelled in pages -> its term (or &no_term);
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
	uint32_t mark; /* bumped for each page added */
	buf key, surface;
	struct part *next_free, *next_all;
} part;

struct search_index {
	char *lang;
	pthread_mutex_t lock; /* guards the pool lists only */
	part *free_parts, *all_parts;
	search_stats stats;
};

/* A part of ix for the calling thread, from the pool or new; given back
 * with search_part_give. */
part *search_part_take(search_index *ix);
void search_part_give(search_index *ix, part *pt);

#endif

/* dict.h: the words of a language's search records, each with a number
 * that stays its own from one build to the next, so that a page's record
 * (index.h: search_index_add_page's record) names its keys and forms by
 * number and a later build adds the page back without looking up a single
 * string (a rebuild re-adds every page of a language whose index changed:
 * twenty thousand pages, a million and a half postings).
 *
 * Numbers only grow: a word once given one keeps it while the dictionary
 * lives (the build cache keeps it beside its records, build/cache.c, and
 * starts a new one with a new cache).
 *
 * Thread-safety: search_dict_id and search_dict_word may run on several
 * threads at once (a word is added under a lock; words never move, and
 * the count of them is published after each is in place). */
#ifndef PHARE_SEARCH_DICT_H
#define PHARE_SEARCH_DICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

typedef struct search_dict search_dict;

search_dict *search_dict_new(void);
/* Reads words as search_dict_save wrote them; false (d left empty) when
 * data[0..len) does not read whole as such. */
bool search_dict_load(search_dict *d, const void *data, size_t len);
/* Appends the words numbered from `from` on to o (from 0: all of them):
 * a saved dictionary grows by what this build added. */
void search_dict_save(const search_dict *d, size_t from, buf *o);
size_t search_dict_count(const search_dict *d);

/* The number of word s[0..n), given one if it has none. */
uint32_t search_dict_id(search_dict *d, const char *s, size_t n);
/* Word number id (NUL-terminated; *n its length), or NULL when there is no such number. */
const char *search_dict_word(search_dict *d, uint32_t id, size_t *n);

void search_dict_free(search_dict *d);

#endif

/* patch.h: a language's search index patched in place (issue 23).  When
 * a build changes a few pages of a language and keeps its set of pages,
 * the files the last build wrote (index.h) are read back and only those
 * the changed pages touch are made again: the shards of the words they had
 * or have, their d-<i>.json, and meta.json when the learned suffixes or
 * the shards move.
 * What comes out is byte-identical to what search_index_write would write
 * for the same pages (a new word may add a shard, a word gone leave one
 * empty: the shard is added or removed, and meta.json, which lists them,
 * made again); a change the patch cannot make so (a shard that would
 * split or join another, an average field length that moves to another
 * rounding step, a form whose key would become one the state does not
 * know) is declined, with the reason, and the caller writes the index whole.
 *
 * Use (the state is what search_index_state had the last write produce):
 *     search_patch *p = search_patch_new(dict, state, state_len);
 *     search_patch_page(p, id, old_rec, old_len, new_rec, new_len);  (each changed page)
 *     if (search_patch_apply(p, read, ctx)) {
 *             for (i = 0; search_patch_file(p, i, &name, &data, &len); i++)
 *                     ... put in place (data NULL: the last write's file goes)
 *             search_patch_state(p, &next_state);
 *     } else {
 *             search_patch_reason(p) says why; write the index whole
 *     }
 *     search_patch_free(p);
 * A page's id is its number in the written files (its rank by URL); its
 * records are search_index_add_page's, in dict's numbers. */
#ifndef PHARE_SEARCH_PATCH_H
#define PHARE_SEARCH_PATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct search_dict;
typedef struct search_patch search_patch;

/* NULL when state[0..len) is not a state this phare reads. */
search_patch *search_patch_new(struct search_dict *dict, const void *state, size_t len);
/* Page id went from record old to record new (both kept by the caller
 * until search_patch_free).  False (and the patch declined) when either
 * does not read as a record. */
bool search_patch_page(search_patch *p, uint32_t id, const void *old_rec, size_t old_len, const void *new_rec,
		       size_t new_len);
/* Reads the last write's file name ("t-con.json") into out: false when it
 * cannot (the patch is then declined). */
typedef bool (*search_patch_read_fn)(void *ctx, const char *name, buf *out);
/* Makes the files again; false when the patch is declined. */
bool search_patch_apply(search_patch *p, search_patch_read_fn read, void *ctx);
/* File i of those made (in no set order), false past the last; *data is
 * NULL for a file of the last write that this one does not have. */
bool search_patch_file(const search_patch *p, size_t i, const char **name, const char **data, size_t *len);
/* The state after the patch, appended to out (for the next build). */
void search_patch_state(const search_patch *p, buf *out);
/* Why the patch was declined ("" before). */
const char *search_patch_reason(const search_patch *p);
void search_patch_free(search_patch *p);

#endif

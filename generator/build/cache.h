/* cache.h: the build cache of `phare build` (issue 23), under
 * <source>/.phare/cache/, so that a rebuild redoes only the article pages
 * whose inputs changed.
 *
 * Promises:
 *   - The site is byte-identical to a clean build's.  An article page is
 *     reused only when everything it was made from hashes the same: its
 *     template data (title, breadcrumbs, sidebar, pager, translations,
 *     shared strings and asset names: the whole tree, hashed), its body,
 *     the theme and site.yaml, and every question its Markdown asked of
 *     the rest of the site (each link resolved again, each image's size
 *     read again, each table or questionnaire block made again) with the
 *     same answers.  Contents are hashed, never times: a file changed
 *     behind the cache's back (same size and time) is seen.
 *     When every article's front matter, every other source, the theme and
 *     the options are the last build's (one hash, the frame hash), an
 *     article whose own file is the same is reused without its template
 *     data made or its questions asked (they are answered from those).
 *   - A reused page is the previous output's file, hard-linked into the
 *     new temporary folder, and only when that file is still the one the
 *     cache saw written (inode, size, time): the atomic swap of output.c
 *     still holds, and a failed build leaves the previous site.
 *   - That new folder is the site before the previous one, kept beside
 *     the output (output.c), when every file and folder of it is as the
 *     index recorded it: then only what changed is written (renamed over,
 *     never written into: a file there may be the live site's too), and
 *     what the new site does not have is pruned before the swap.
 *   - A language's search index is written again only when one of its
 *     pages' search inputs changed; else the previous files are linked.
 *     When a few of its pages changed and its set of pages did not, it is
 *     patched in place (search/patch.h, cache_search.c): only the files of
 *     the words those pages had or have are made again, from the live
 *     site's (each read checked against the hash the cache recorded).
 *   - A cache of another version or build options, or truncated, or with
 *     bytes changed, is said in one line and ignored (a full build).  The
 *     index is signed; each record is checked against the hash the index
 *     has of it, unless the records file is, by its stat fields (change
 *     time included: any write moves it), the one the last build left.
 *     Deleting .phare/cache is always safe.
 *
 * Files: index (entries, each with the checksum of its record, then the
 * stat cache of the sources: path, device, inode, size, times, hash, and
 * where an article's model record is), pages-<n>.bin (the records: of a
 * page, its heading ids, link/image/block answers and what its search
 * index counted of it, search_index_add_page's record; of an article's
 * source, what its parse left in the model, article_pack, so that an
 * unchanged source is neither read nor parsed again), and per language
 * words-<code in hex> (the dictionary the search records name words in,
 * search/dict.h: it only grows while the cache lives; the index says how
 * much of it is to be read, with its checksum).  All replaced at the end
 * of a successful build, the index last.
 *
 * Threads: cache_article_* run on the render workers; each touches its
 * article's slot only, the record file behind a lock. */
#ifndef PHARE_CACHE_H
#define PHARE_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "render/markdown.h"
#include "search/page.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/status.h"
#include "util/value.h"

struct builder;
struct article;

/* What one article's Markdown asked while it rendered (pages.c fills it
 * from its link, image and block callbacks). */
typedef struct cache_rec {
	buf deps; /* the answers, serialised in order */
	size_t n_deps;
} cache_rec;

/* First of all, before anything is read: hashes the sources (content/,
 * templates/, rules/, by content: a file whose inode, size, modification
 * and change times are those the last build recorded, and which had not
 * changed within 2 s before it looked, keeps its recorded hash, as git's
 * index does; any other is read, or, with no previous cache to compare
 * with, hashed later from the bytes the model reads: cache_source_read);
 * true when they, phare and its options are those of the last build,
 * each source file and folder with the stat that build's walk saw (an edit
 * during that build moved a change time), and its site is as that build
 * left it (every file, every folder but a page's own): nothing to do.
 * Else the previous cache is read (cache_open goes on). */
bool cache_up_to_date(struct builder *b);
/* The model's hook (model_options.on_read, ctx: b->cache): a source file's
 * bytes as the model read them, hashed for the cache when it has no
 * previous hash of them (a first build reads every source once). */
void cache_source_read(void *ctx, const char *dir, const char *name, const char *text, size_t len);
/* The model's hooks for its records (model_options on_record, on_loaded;
 * ctx: b->cache): an article file's record when its bytes are those the
 * record was made from (the stat cache says so: same content hash), read
 * on any thread; the article each file made, packed when the cache saves
 * (a record is kept only of a parse of the bytes that hash names). */
const void *cache_model_record(void *ctx, const char *dir, const char *name, size_t *len);
void cache_model_loaded(void *ctx, const char *dir, const char *name, const struct article *art);
/* The model's hook model_options.listed (ctx: b->cache): a folder's names
 * as the walk of the sources listed them (taken: once a folder). */
char **cache_source_listed(void *ctx, const char *rel);
/* Once every page is rendered, before model_drop_texts (which empties the
 * articles' body lengths): the articles' model records written. */
void cache_models_save(struct builder *b);
/* When cache_up_to_date: the pages of the site, as the last build counted them. */
struct build_stats;
void cache_summary(const struct builder *b, struct build_stats *st);

/* Makes the cache of the build ready (after cache_up_to_date; the previous
 * index was read and checked there, a problem said in one line and the
 * cache started empty).  Call once every page is registered and the
 * language contexts are made (pages_prepare). */
void cache_open(struct builder *b);

/* Before rendering art, whose template data c is complete but for the
 * fields of its body: true when the previous page can be reused, done (the
 * file is linked, the sitemap, heading ids, anchor checks and search text
 * are as a render would leave them); *st is then the page's status.  Else
 * false, and *rec (NULL without a cache) collects the render's answers. */
/* Before even making art's template data: true when the last build's page
 * is reused, done, as above: every article's front matter, every other
 * source and the theme are the last build's (the frame hash), and so is
 * art's own file.  Else false: make its data and call
 * cache_article_reuse.  (PHARE_CACHE_CHECK_FRAME set: always false, and
 * cache_article_reuse aborts when its key or answers say otherwise.) */
bool cache_article_unchanged(struct builder *b, struct article *art, phare_status *st);
bool cache_article_reuse(struct builder *b, struct article *art, const value *c, cache_rec **rec, phare_status *st);
/* After art rendered with rec: keeps its record (counted: the page as its
 * search index counted it, search_index_add_page's record, or NULL when not
 * indexed).  Frees rec. */
void cache_article_done(struct builder *b, const struct article *art, cache_rec *rec, const buf *counted);

/* The bytes of art's page as written (their hash tells, in a later build,
 * whether the file is still this page). */
void cache_article_page(struct builder *b, const struct article *art, const char *html, size_t len);

/* The answers pages.c records (rec may be NULL: nothing recorded). */
/* out[0..n): the HTML written for the link or block. */
void cache_rec_link(cache_rec *rec, const char *url, bool image, int line, int col, const char *out, size_t n);
void cache_rec_image(cache_rec *rec, const char *url, bool ok, int w, int h);
void cache_rec_block(cache_rec *rec, const char *info, int line, const char *out, size_t n);
/* A record dropped (the render failed); NULL is fine. */
void cache_rec_free(cache_rec *rec);

/* A page other than an article (table, questionnaire) given to language
 * lang's search index: its inputs count in whether the index changed. */
void cache_search_other(struct builder *b, size_t lang, const char *url, const char *title, const char *description,
			const char *html);

/* Before the search folders are emptied (output_fresh_dir): true when
 * language l's index would come out the same and the kept site's folder
 * holds the live one's files (each kept as is, recorded as made: nothing
 * to empty, link or write). */
bool cache_search_kept(struct builder *b, size_t l);
/* Whether language l's index would come out as the last build's (its
 * previous files are then linked: cache_search). */
bool cache_search_unchanged(struct builder *b, size_t l);
/* Language l's index patched in place (search/patch.h) from the live
 * site's files, when only a few of its pages changed and its set of pages
 * did not: true when done (its files in place; *st says how that went);
 * false when it is to be written whole (nothing done, nothing written). */
bool cache_search_patch(struct builder *b, size_t l, phare_status *st);
/* How language l's index was made, for --timings ("" when not said). */
const char *cache_search_how(const struct builder *b, size_t l);
/* The search file name of language l (rel: "<code>/search/<name>")
 * about to be written with these bytes: with in_place (its folder not
 * emptied), true when it is in place
 * already, the previous build's file with the same bytes (kept as the
 * kept site has it, or linked from the live site); else the caller writes
 * it.  Its hash is kept for the next build either way. */
bool cache_search_file(struct builder *b, size_t l, const char *name, const char *rel, const void *data, size_t len,
		       bool in_place);
/* Before the search indexes are written: skip[l] set for each language
 * whose previous index files were linked in unchanged (or kept: skip[l]
 * already set by cache_search_kept); the pages reused in the others are
 * added to their index. */
phare_status cache_search(struct builder *b, bool *skip) PHARE_MUST_USE;

/* The previous site kept beside the output (b->prev, output.c): whether it
 * is, entry for entry, as the last build recorded it (inode, kind, size,
 * modification and change times of every file and folder; a link planted
 * there or an entry added is seen): the new site can be made from it. */
bool cache_prev_intact(struct builder *b);
/* Whether the kept site's file rel (patched into the new site) is the live one's already, as both
 * stamps saw: not linked nor looked at.  When so, rel is also marked kept: the stamps after the swap
 * take its times from the first stamp (cache_old_live_moved), so call it only for a file left as is;
 * and made, as a file output.c writes or links is (b->made), without a name there: 20,000 names
 * a rebuild, under the build's lock, not put in a map. */
bool cache_same_file(struct builder *b, const char *rel);
/* The patched site's folder rel removed to be made again (output_fresh_dir):
 * its parent's entries changed (the stamp after the swap looks at it). */
void cache_folder_emptied(struct builder *b, const char *rel);
/* Before the swap, when the new site was made from the previous one: what
 * that held and this build did not make, removed. */
phare_status cache_prune(struct builder *b) PHARE_MUST_USE;

/* The sitemap files (names, n of them) about to be made from b's sorted
 * entries, max a file: true when the last build made them from the same
 * (entries, max, base and origin, by hash) and the live site's files are
 * as it left them, each then linked into the new site (5 MB of XML at
 * 10,000 articles × 2, not made again); else the caller writes them.
 * The hash is kept for the next build either way. */
bool cache_sitemap_kept(struct builder *b, size_t max, const char *const *names, size_t n);

/* After the new site is in place: writes the new cache (a failure to is
 * said, never fatal: the site is built). */
void cache_save(struct builder *b);
void cache_free(struct builder *b);

/* How many article pages were reused / rendered (--timings, tests). */
void cache_counts(const struct builder *b, size_t *reused, size_t *rendered);

#endif

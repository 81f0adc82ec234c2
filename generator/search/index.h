/* index.h: a language's search index: the build adds every page of the
 * language, then writes the files that templates/assets/search.js fetches.
 *
 * Use (one index per language):
 *     search_index *ix = search_index_new("fr");
 *     search_index_add(ix, "article", "/help/fr/virtualisation/lxc/", "LXC",
 *                      "Virtualisation", "Conteneurs système…", body_html);  (any thread)
 *     status = search_index_write(ix, "site/fr/search");
 *     search_index_free(ix);
 *
 * Scoring is BM25F: a word's occurrences count 8 times in the title, 4 in
 * a heading (<h1>-<h3> of the body), 2 in the description and once in the
 * text, each field normalised by its length against the language's average
 * (rounded to a 64th of an octave); a (word, page) pair stores its
 * saturated score as an integer (×100), which the browser multiplies by
 * the word's idf, log(1 + (N - n + 0.5) / (n + 0.5)) of the N pages and the
 * n that have it (its postings).  So an edit of one page changes only the
 * entries of the words it had or has (search/patch.h).
 *
 * Words are keyed by stem (text.h: fold(stem(lower(word))).  The browser
 * cannot run Snowball, so each shard also lists the folded surface forms
 * seen in the pages whose key differs from them ("conteneurs" ->
 * "conteneur", "systemes" -> "system"): a word the reader types is found
 * by its exact form, as a key, or as a prefix of forms and keys (results as
 * you type).  For a word no page contains in that form, meta.json carries
 * the suffixes the stemmer removed most often in this language's pages
 * (learned from the forms, at most 32): the script strips one and tries the
 * rest as a key.  This keeps the index small (only forms that occur) and
 * needs no stemmer in JavaScript.
 *
 * Files written under dir, all JSON, byte-identical for the same pages
 * whatever the order or thread of search_index_add calls (pages are ordered
 * by URL, words bytewise):
 *   meta.json   {"v":1,"lang":"fr","docs":N,"chunk":8,"shards":["","co",…],
 *                "stop":[…],"suffixes":[…]}
 *               fetched when the search box is first used.
 *   t.json, t-<name>.json: the shards of words (keys and forms).  A name is
 *               a prefix of words, each character a-z 0-9 as itself, any
 *               other as _<hex code point>_ ("" for t.json).  A word is in
 *               the shard with the longest listed name that starts it; for a
 *               prefix query the script also loads the shards whose names
 *               start with the prefix.  Shards are split by one more
 *               character while over SEARCH_SHARD_BYTES (at most
 *               SEARCH_SHARD_DEPTH characters), so a small site has one
 *               t.json and a large one small files for "con", "com", …
 *               {"k":[["key",[doc,score,sect, …]],…], "f":[["form","key"],…]}
 *               both lists sorted bytewise; doc numbers delta-coded (the
 *               first absolute, then the difference from the previous);
 *               sect: 0 when the word is in the title, description or the
 *               text before the first heading, else the 1-based number of
 *               the first heading section where it occurs (a deep link).
 *               A form sits in the shard of its own spelling; its key may
 *               sit in another.
 *   d-<i>.json  pages i*8 … i*8+7 (SEARCH_DOCS_PER_CHUNK):
 *               [["title","url","section","kind","description","intro",
 *                 [["heading id","heading text","section start"],…]],…]
 *               intro and section starts are the first 200 and 100
 *               characters of plain text, for snippets.
 *
 * Thread-safety: search_index_add may be called from several threads at
 * once (the page is parsed outside the lock, merged under it).  new, write,
 * stats and free must not run concurrently with anything else. */
#ifndef PHARE_SEARCH_INDEX_H
#define PHARE_SEARCH_INDEX_H

#include <stdbool.h>
#include <stddef.h>

#include "util/status.h"

#define SEARCH_SHARD_BYTES 32768 /* a shard's target size before splitting */
#define SEARCH_SHARD_DEPTH 6     /* characters of the longest shard name */
#define SEARCH_DOCS_PER_CHUNK 8 /* small: a first query fetches a chunk per result shown */

typedef struct search_index search_index;

/* lang: "fr", "en", "de", "es", "it" (stemming and stop words); any other
 * code: folding only.  Never NULL. */
search_index *search_index_new(const char *lang);

/* Adds one page.  kind: "article", "table" or "questionnaire"; url: the
 * page's site path with the base ("/help/fr/virtualisation/lxc/"); title,
 * section (the section's title) and description: plain UTF-8 text, NULL or
 * "" for none; body_html: the rendered body, tags stripped here (the text of
 * <script>, <style>, <template>, <noscript>, <svg> and of any element with a
 * data-search-ignore attribute is left out; <h1>-<h3> are headings, their
 * id attributes used for deep links).  Copies what it keeps. */
void search_index_add(search_index *ix, const char *kind, const char *url, const char *title,
		      const char *section, const char *description, const char *body_html);
/* The same with the body already reduced to a page (page.h: made while the
 * Markdown was rendered); takes what it keeps of *page and releases it.
 * record: NULL, or where to append the page as the index counted it (its
 * entry, its words' keys with their counts, its forms): the bytes
 * search_index_add_record takes, so that a later build adds the page
 * without reading its text again (the build cache keeps them). */
struct search_page;
struct buf;
void search_index_add_page(search_index *ix, const char *kind, const char *url, const char *title, const char *section,
			   const char *description, struct search_page *page, struct buf *record);
/* Adds the page of such a record (same thread-safety as add); false when
 * rec[0..len) does not read whole as one (what it held is then added in
 * part: the index is not to be written).  rec must stay as it is until ix
 * is freed: the page's entry of d-<i>.json is read from it, not copied.  Records
 * name words by their number in the index's dictionary (dict.h): one the
 * index makes for itself, or, for records kept from one build to the
 * next, the one given here (before the first add; not freed with ix). */
struct search_dict;
void search_index_use_dict(search_index *ix, struct search_dict *dict);
bool search_index_add_record(search_index *ix, const char *kind, const char *url, const void *rec, size_t len);

/* Keeps the pages' entries of d-<i>.json (titles, excerpts, headings) in
 * temporary files in dir (unlinked: their space goes when ix is freed)
 * rather than in memory, so that a site's size costs memory only for its
 * postings.  Call before the first add; dir must exist. */
void search_index_spill(search_index *ix, const char *dir);

/* The size of the blocks the pages' postings are kept in (index_int.h,
 * POST_BLOCK by default); for tests, which need many blocks from few
 * pages.  Call before the first add. */
void search_index_block_bytes(search_index *ix, size_t n);

/* Writes the files described above under dir (created if missing).  On
 * failure the cause has been reported through diag. */
phare_status search_index_write(search_index *ix, const char *dir) PHARE_MUST_USE;
/* The same, freeing the pages' postings as soon as they are merged (a
 * build writes its index once, and they are most of its memory): ix can
 * then only be freed (a second write aborts). */
phare_status search_index_write_last(search_index *ix, const char *dir) PHARE_MUST_USE;

/* Where the files go: by default written under the write's dir; with
 * emit, handed to it instead, by name ("t-con.json"), which puts them in
 * place (the build: written, or kept when the previous site has the same
 * bytes) and says how that went. */
typedef phare_status (*search_emit_fn)(void *ctx, const char *name, const void *data, size_t len);
void search_index_emit(search_index *ix, search_emit_fn emit, void *ctx);

/* Asks the write for what search/patch.h needs to patch the files it
 * writes when a later build changes a few pages: appended to *out (in the
 * index's dictionary's numbers: search_index_use_dict first, if at all). */
void search_index_state(search_index *ix, struct buf *out);

/* Figures of the last search_index_write (all 0 before). */
typedef struct search_stats {
	size_t docs, keys, forms;
	size_t files, bytes; /* written, all files */
	size_t meta_bytes, largest_shard_bytes, largest_docs_bytes;
	size_t shards;
	/* blocks of pages' postings (index_int.h), and how many of them
	 * search_index_write_last freed while it merged, before the last page */
	size_t blocks, blocks_freed_early;
} search_stats;
void search_index_stats(const search_index *ix, search_stats *out);

void search_index_free(search_index *ix);

#endif

/* text.h: the words of the search index: splitting text into words, case
 * and accent folding, stop words and Snowball stemming (libstemmer), per
 * language.
 *
 * A word's index key is fold(stem(lower(word))): the stemmer sees the word
 * lowercased with its accents (Snowball's rules need them), and the stem is
 * then folded, so "Système", "systèmes" and "systeme" share the key "system".
 * The browser cannot stem; it folds the reader's words the same way (the
 * folding is generated from the same rules as search.js: util/fold.h)
 * and looks the folded surface words up in the index (see index.h).
 *
 * Words: maximal runs of letters and digits (ASCII alphanumerics and every
 * code point from U+00C0 up that is not punctuation or a symbol), so
 * apostrophes and hyphens split ("l'isolation" -> "l", "isolation").
 * A word of one character (not a digit), or longer than SEARCH_WORD_MAX bytes,
 * or a stop word of the language, gets no key. */
#ifndef PHARE_SEARCH_TEXT_H
#define PHARE_SEARCH_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/status.h"

#define SEARCH_WORD_MAX 40 /* bytes: longer runs are hashes, URLs, noise */

/* A language's analyser: its stemmer and stop words.  Not thread-safe (a
 * libstemmer stemmer keeps state between calls): one per thread, or behind
 * a lock. */
typedef struct search_text search_text;

/* Loads libstemmer (search/stemmer_lib.c), before the first search_text_new:
 * says what to install when it cannot be. */
phare_status search_text_load(void) PHARE_MUST_USE;

/* lang: "fr", "en", "de", "es", "it" get their Snowball stemmer and stop
 * words; any other code gets folding only.  Never NULL (abort on OOM). */
search_text *search_text_new(const char *lang);
void search_text_free(search_text *t);
/* True when the language has a stemmer. */
bool search_text_stems(const search_text *t);

/* Finds the next word of s[0..n) at or after *pos; sets *start and *len (bytes
 * of s) and moves *pos past it.  False at the end.  Invalid UTF-8 bytes are
 * separators. */
bool search_text_next_word(const char *s, size_t n, size_t *pos, size_t *start, size_t *len);

/* The character at s[*i] (s has n bytes): true when it belongs to a word;
 * moves *i past it.  search_text_next_word's test, for callers that scan
 * words themselves (the index hashes them while scanning). */
bool search_text_word_char(const char *s, size_t n, size_t *i);
/* Per byte: 1 for the ASCII letters and digits, 0 for the other ASCII
 * bytes, 2 for bytes from 0x80 (search_text_word_char decides): the inline
 * part of search_text_word_char. */
extern const unsigned char search_text_byte_class[256];

/* Appends s[0..n) lowercased (accents kept) to out. */
void search_text_lower(const char *s, size_t n, buf *out);
/* Appends s[0..n) folded to out: lowercase, accents removed, ß -> ss,
 * æ -> ae, œ -> oe, ø -> o, and so on (Latin, Greek, Cyrillic). */
void search_text_fold(const char *s, size_t n, buf *out);

/* The folded stop words of the language, NULL-terminated, sorted (static). */
const char *const *search_text_stop_words(const search_text *t);
/* True when folded[0..n) is a stop word of the language. */
bool search_text_is_stop(const search_text *t, const char *folded, size_t n);

/* The index key of word[0..n) (a word as found by search_text_next_word, any
 * case): sets key (reset first) and, when surface is not NULL, the folded
 * word itself; false (key empty) when the word gets no key (stop word, one
 * letter, too long). */
bool search_text_key(search_text *t, const char *word, size_t n, buf *key, buf *surface);

#endif

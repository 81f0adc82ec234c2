/* stemmer_lib.h: libstemmer, opened when the search index is first made
 * (by `phare build` and `phare serve`) instead of linked into phare: its
 * 10,800 relocations were a third of every command's start-up (see
 * util/dynlib.h).
 *
 * Its functions are called through the table `sb`, one member per function
 * text.c uses, named without the sb_stemmer_ prefix and typed by
 * <libstemmer.h>'s prototype:
 *     sb.stem(stemmer, word, len)   for sb_stemmer_stem()
 * search_text_load() (text.h) fills it; search_text_new() calls it before
 * it makes a stemmer. */
#ifndef PHARE_STEMMER_LIB_H
#define PHARE_STEMMER_LIB_H

#include <libstemmer.h>

typedef struct stemmer_api {
	__typeof__(sb_stemmer_new) *new;
	__typeof__(sb_stemmer_delete) *delete;
	__typeof__(sb_stemmer_stem) *stem;
	__typeof__(sb_stemmer_length) *length;
} stemmer_api;

/* Filled by search_text_load(); every member NULL before. */
extern stemmer_api sb;

#endif

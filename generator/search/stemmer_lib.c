/* stemmer_lib.c: libstemmer, opened when the search index is first made
 * (by `phare build` and `phare serve`) instead of linked into phare: its
 * 10,800 relocations were a third of every command's start-up (see
 * util/dynlib.h).  The functions search/text.c calls are defined here with
 * <libstemmer.h>'s prototypes and call the library's through a table. */
#include "search/text.h"

#include <dlfcn.h>
#include <libstemmer.h>

#include "util/dynlib.h"

#ifndef PHARE_STEMMER_SONAME
#define PHARE_STEMMER_SONAME "libstemmer.so.0d"
#endif

#define STEMMER_LIB_FUNCTIONS(X)                                                                 \
	X(sb_stemmer_new)                                                                        \
	X(sb_stemmer_delete)                                                                     \
	X(sb_stemmer_stem)                                                                       \
	X(sb_stemmer_length)

static struct {
/* NOLINTNEXTLINE(bugprone-macro-parentheses): name is a declarator here */
#define STEMMER_LIB_FIELD(name) __typeof__(name) *name;
	STEMMER_LIB_FUNCTIONS(STEMMER_LIB_FIELD)
#undef STEMMER_LIB_FIELD
} sb;

static const char *stemmer_lib_bind(void *lib)
{
#define STEMMER_LIB_SYM(name) DYNLIB_SYM(lib, sb, name);
	STEMMER_LIB_FUNCTIONS(STEMMER_LIB_SYM)
#undef STEMMER_LIB_SYM
	return NULL;
}

static dynlib stemmer_lib = DYNLIB_INIT(PHARE_STEMMER_SONAME, "the search index", "libstemmer0d", stemmer_lib_bind);

phare_status search_text_load(void)
{
	return dynlib_load(&stemmer_lib);
}

struct sb_stemmer *sb_stemmer_new(const char *algorithm, const char *charenc)
{
	dynlib_need(&stemmer_lib);
	return sb.sb_stemmer_new(algorithm, charenc);
}

void sb_stemmer_delete(struct sb_stemmer *stemmer)
{
	dynlib_need(&stemmer_lib);
	sb.sb_stemmer_delete(stemmer);
}

const sb_symbol *sb_stemmer_stem(struct sb_stemmer *stemmer, const sb_symbol *word, int size)
{
	dynlib_need(&stemmer_lib);
	return sb.sb_stemmer_stem(stemmer, word, size);
}

int sb_stemmer_length(struct sb_stemmer *stemmer)
{
	dynlib_need(&stemmer_lib);
	return sb.sb_stemmer_length(stemmer);
}

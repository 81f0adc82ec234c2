/* stemmer_lib.c: libstemmer opened on first use (see stemmer_lib.h): the
 * table of its functions, filled with dlsym(). */
#include "search/stemmer_lib.h"

#include <dlfcn.h>

#include "search/text.h"
#include "util/dynlib.h"

#ifndef PHARE_STEMMER_SONAME
#define PHARE_STEMMER_SONAME "libstemmer.so.0d"
#endif

stemmer_api sb;

static const char *stemmer_lib_bind(void *lib)
{
	DYNLIB_SYM(lib, sb.new, "sb_stemmer_new");
	DYNLIB_SYM(lib, sb.delete, "sb_stemmer_delete");
	DYNLIB_SYM(lib, sb.stem, "sb_stemmer_stem");
	DYNLIB_SYM(lib, sb.length, "sb_stemmer_length");
	return NULL;
}

static dynlib stemmer_lib = DYNLIB_INIT(PHARE_STEMMER_SONAME, "the search index", "libstemmer0d", stemmer_lib_bind);

phare_status search_text_load(void) { return dynlib_load(&stemmer_lib); }

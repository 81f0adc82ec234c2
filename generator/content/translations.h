/* translations.h: which articles are translated, and which translations
 * have fallen behind their source.
 *
 * The source of an article is its default-language version.  A translation
 * records the revision it translates (front matter `translation_of:`, the
 * revision phare prints for every article, see `phare translations`); when
 * the source is edited its revision changes and the translation is
 * outdated.  A translation without `translation_of` is "untracked". */
#ifndef PHARE_TRANSLATIONS_H
#define PHARE_TRANSLATIONS_H

#include "content/model.h"

typedef enum tr_state {
	TR_SOURCE,     /* the default-language article itself */
	TR_UP_TO_DATE,
	TR_OUTDATED,
	TR_UNTRACKED,  /* translated, no translation_of */
	TR_MISSING,
	TR_ORPHAN      /* a translation whose source (default language) does not exist */
} tr_state;

/* The state of key in language lang (an index of m->cfg.languages). */
tr_state translations_state(const model *m, const char *key, size_t lang);
const char *translations_state_name(tr_state s);

#endif

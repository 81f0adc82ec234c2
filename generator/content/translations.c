/* translations.c: translation status of articles (see translations.h). */
#include "content/translations.h"

#include <string.h>

tr_state translations_state(const model *m, const char *key, size_t lang)
{
	article **tr = model_translations(m, key);
	size_t def = m->cfg.default_language;
	if (!tr || !tr[lang] || tr[lang]->fallback_of)
		return TR_MISSING;
	if (lang == def)
		return TR_SOURCE;
	if (!tr[def])
		return TR_ORPHAN;
	if (!tr[lang]->translation_of)
		return TR_UNTRACKED;
	return strcmp(tr[lang]->translation_of, tr[def]->revision) == 0 ? TR_UP_TO_DATE : TR_OUTDATED;
}

const char *translations_state_name(tr_state s)
{
	static const char *names[] = { "source", "up to date", "outdated", "untracked", "missing", "orphan" };
	return names[s];
}

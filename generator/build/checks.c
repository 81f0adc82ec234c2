/* checks.c: the warnings of `phare check` (see checks.h). */
#include "build/checks.h"

#include <string.h>

#include "build/builder.h"
#include "content/translations.h"
#include "util/diag.h"

static void checks_translations(builder *b)
{
	const model *m = &b->m;
	size_t def = m->cfg.default_language;
	for (size_t i = 0; i < m->n_articles; i++) {
		const article *a = m->articles[i];
		if (a->fallback_of)
			continue;
		article **tr = model_translations(m, a->key);
		if (a->lang == def) {
			for (size_t l = 0; l < m->cfg.n_languages; l++)
				if (l != def && translations_state(m, a->key, l) == TR_MISSING)
					diag_warning(a->path, 0, 0, "not translated into '%s' (no content/%s/%s.md)",
						     m->cfg.languages[l].code, m->cfg.languages[l].code, a->key);
			continue;
		}
		switch (translations_state(m, a->key, a->lang)) {
		case TR_OUTDATED:
			diag_warning(a->path, 0, 0, "outdated translation: it translates revision %s, but %s is now at "
				     "revision %s; update it, then set translation_of: %s", a->translation_of,
				     tr[def]->path, tr[def]->revision, tr[def]->revision);
			break;
		case TR_ORPHAN:
			diag_warning(a->path, 0, 0, "no '%s' version of this article (content/%s/%s.md): it has no source "
				     "to be translated from", m->cfg.languages[def].code, m->cfg.languages[def].code, a->key);
			break;
		default:
			break;
		}
	}
}

static void checks_duplicate_titles(builder *b)
{
	const model *m = &b->m;
	for (size_t l = 0; l < m->cfg.n_languages; l++) {
		for (size_t s = 0; s < m->langs[l].n_sections; s++) {
			const section *sec = m->langs[l].sections[s];
			map titles = MAP_INIT;
			for (size_t i = 0; i < sec->n_articles; i++) {
				const article *a = sec->articles[i];
				const article *prev = map_put(&titles, a->title, (void *)a);
				if (prev && !a->fallback_of)
					diag_warning(a->path, 0, 0, "the title '%s' is also %s's, in the same section; "
						     "readers cannot tell them apart", a->title, prev->path);
			}
			map_release(&titles);
		}
	}
}

void checks_run(builder *b)
{
	checks_translations(b);
	checks_duplicate_titles(b);
}

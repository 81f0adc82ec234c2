/* i18n.h: the theme's UI strings ("Sommaire", "Oui", …) per language, from
 * templates/i18n/<lang>.yaml (embedded, or overridden by the author), and
 * dates written the language's way without system locales.
 *
 * A file is a flat mapping of key to text, plus `months` (12 names) and
 * `date_format` ("{d} {month} {y}").  A key missing in a language falls back
 * to the default language's text, with one warning per key and language. */
#ifndef PHARE_I18N_H
#define PHARE_I18N_H

#include "content/site.h"
#include "render/theme.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/status.h"
#include "util/value.h"

typedef struct i18n {
	value *strings[SITE_MAX_LANGUAGES]; /* map key -> string value, per language */
} i18n;

/* Loads the strings of every language of cfg.  A language with no file at all
 * is a warning (it gets the default language's strings, then English's). */
phare_status i18n_load(i18n *t, arena *a, const theme *th, const site_config *cfg) PHARE_MUST_USE;
/* The text of key in language lang ("" if nowhere). */
const char *i18n_get(const i18n *t, size_t lang, const char *key);
/* Appends the date ymd ("2026-03-12") written in language lang: "12 mars 2026". */
void i18n_date(const i18n *t, size_t lang, const char *ymd, buf *out);

#endif

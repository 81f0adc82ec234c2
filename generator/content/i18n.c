/* i18n.c: UI strings and dates per language (see i18n.h). */
#include "content/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"
#include "util/yamldoc.h"

static phare_status i18n_parse(arena *a, const theme *th, const char *code, value **out)
{
	char path[128], shown[512];
	snprintf(path, sizeof(path), "i18n/%s.yaml", code);
	const struct theme_file *f = theme_find(th, path);
	*out = NULL;
	if (!f)
		return PHARE_OK;
	theme_shown_path(th, path, shown, sizeof(shown));
	const char *sp = arena_strdup(a, shown);
	phare_status s = yamldoc_parse(a, sp, (const char *)f->data, f->len, 1, out);
	if (s)
		return s;
	if ((*out)->kind != VAL_MAP) {
		diag_error(sp, 1, 1, "UI strings must be a mapping of key to text");
		return PHARE_ERR_INPUT;
	}
	return PHARE_OK;
}

/* Fills the keys of `from` missing in `to`; warns per key when asked. */
static void i18n_fill(arena *a, value *to, const value *from, const char *lang, const char *deflang,
		      bool warn)
{
	for (size_t k = 0; from && k < from->u.map.len; k++) {
		const char *key = from->u.map.keys[k];
		if (value_map_get(to, key))
			continue;
		if (warn)
			diag_warning(NULL, 0, 0, "UI string '%s' is missing in language '%s'; using the '%s' text "
				     "(add it to templates/i18n/%s.yaml)", key, lang, deflang, lang);
		value_map_set(a, to, key, from->u.map.vals[k]);
	}
}

phare_status i18n_load(i18n *t, arena *a, const theme *th, const site_config *cfg)
{
	phare_status s;
	value *en = NULL, *def = NULL;
	const char *defcode = cfg->languages[cfg->default_language].code;
	if ((s = i18n_parse(a, th, "en", &en)) || (s = i18n_parse(a, th, defcode, &def)))
		return s;
	if (!def) {
		diag_warning(NULL, 0, 0, "no UI strings for the default language '%s'; using English "
			     "(add templates/i18n/%s.yaml)", defcode, defcode);
		def = en ? en : value_map(a);
	}
	for (size_t i = 0; i < cfg->n_languages; i++) {
		const char *code = cfg->languages[i].code;
		value *v = NULL;
		if (i == cfg->default_language)
			v = def;
		else if ((s = i18n_parse(a, th, code, &v)))
			return s;
		if (!v) {
			diag_warning(NULL, 0, 0, "no UI strings for language '%s'; using '%s' "
				     "(add templates/i18n/%s.yaml)", code, defcode, code);
			v = value_map(a);
			i18n_fill(a, v, def, code, defcode, false);
		} else if (v != def) {
			i18n_fill(a, v, def, code, defcode, true);
		}
		if (v == def && en && def != en)
			i18n_fill(a, v, en, code, "en", false);
		t->strings[i] = v;
	}
	return PHARE_OK;
}

const char *i18n_get(const i18n *t, size_t lang, const char *key)
{
	const value *v = value_map_get(t->strings[lang], key);
	return v && v->str ? v->str : "";
}

void i18n_date(const i18n *t, size_t lang, const char *ymd, buf *out)
{
	int y, m, d;
	if (sscanf(ymd, "%d-%d-%d", &y, &m, &d) != 3 || m < 1 || m > 12) {
		buf_adds(out, ymd);
		return;
	}
	const value *months = value_map_get(t->strings[lang], "months");
	const char *month = months && months->kind == VAL_LIST && months->u.list.len == 12
				    ? months->u.list.items[m - 1]->str
				    : NULL;
	const char *fmt = i18n_get(t, lang, "date_format");
	if (!month || !*fmt) {
		buf_adds(out, ymd);
		return;
	}
	for (const char *p = fmt; *p; p++) {
		if (strncmp(p, "{d}", 3) == 0) {
			buf_addf(out, "%d", d);
			p += 2;
		} else if (strncmp(p, "{y}", 3) == 0) {
			buf_addf(out, "%d", y);
			p += 2;
		} else if (strncmp(p, "{month}", 7) == 0) {
			buf_adds(out, month);
			p += 6;
		} else {
			buf_addc(out, *p);
		}
	}
}

/* cmd_translations.c: `phare translations`: the article x language table
 * of translation states, and the revision a translation should record. */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "content/translations.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/opts.h"
#include "util/status.h"

static void tr_cell(const model *m, const char *key, size_t l, buf *out)
{
	tr_state st = translations_state(m, key, l);
	article **tr = model_translations(m, key);
	const article *src = tr[m->cfg.default_language];
	buf_adds(out, translations_state_name(st));
	if (st == TR_OUTDATED && src && *src->updated)
		buf_addf(out, " (since %s)", src->updated);
}

/* One row per article: true for its first language that has it. */
static bool tr_first_row(const model *m, const article *a)
{
	article **tr = model_translations(m, a->key);
	size_t first = 0;
	while (!tr[first] || tr[first]->fallback_of)
		first++;
	return a == tr[first];
}

static void tr_text(const model *m)
{
	size_t def = m->cfg.default_language;
	printf("%-40s %-17s", "article", "revision");
	for (size_t l = 0; l < m->cfg.n_languages; l++)
		printf(" %-24s", m->cfg.languages[l].code);
	printf("\n");
	for (size_t i = 0; i < m->n_articles; i++) {
		const article *a = m->articles[i];
		article **tr = model_translations(m, a->key);
		if (!tr_first_row(m, a))
			continue;
		printf("%-40s %-17s", a->key, tr[def] ? tr[def]->revision : "-");
		for (size_t l = 0; l < m->cfg.n_languages; l++) {
			buf cell = BUF_INIT;
			tr_cell(m, a->key, l, &cell);
			printf(" %-24s", cell.ptr);
			buf_release(&cell);
		}
		printf("\n");
	}
}

static void tr_json(const model *m)
{
	size_t def = m->cfg.default_language;
	buf out = BUF_INIT;
	bool first_row = true;
	buf_adds(&out, "[");
	for (size_t i = 0; i < m->n_articles; i++) {
		const article *a = m->articles[i];
		article **tr = model_translations(m, a->key);
		if (!tr_first_row(m, a))
			continue;
		buf_adds(&out, first_row ? "\n  {\"article\": " : ",\n  {\"article\": ");
		first_row = false;
		buf_add_json_str(&out, a->key, strlen(a->key));
		buf_adds(&out, ", \"revision\": ");
		if (tr[def])
			buf_add_json_str(&out, tr[def]->revision, strlen(tr[def]->revision));
		else
			buf_adds(&out, "null");
		buf_adds(&out, ", \"languages\": {");
		for (size_t l = 0; l < m->cfg.n_languages; l++) {
			tr_state st = translations_state(m, a->key, l);
			const char *name = translations_state_name(st);
			buf_addf(&out, "%s\"%s\": {\"state\": ", l ? ", " : "", m->cfg.languages[l].code);
			buf_add_json_str(&out, name, strlen(name));
			if (st == TR_OUTDATED || st == TR_UP_TO_DATE) {
				buf_adds(&out, ", \"translation_of\": ");
				buf_add_json_str(&out, tr[l]->translation_of, strlen(tr[l]->translation_of));
			}
			if (st == TR_OUTDATED && *tr[def]->updated)
				buf_addf(&out, ", \"since\": \"%s\"", tr[def]->updated);
			buf_adds(&out, "}");
		}
		buf_adds(&out, "}}");
	}
	buf_adds(&out, "\n]\n");
	fwrite(out.ptr, 1, out.len, stdout);
	buf_release(&out);
}

int cmd_translations(int argc, char **argv)
{
	const char *source = ".", *format = "text";
	const opt_spec specs[] = {
		{ "--source", "DIR", "folder holding content/ (default: .)", OPT_DIR, &source },
		{ "--format", "text|json", "output format (default: text)", OPT_STRING, &format },
		{ NULL, NULL, NULL, OPT_FLAG, NULL },
	};
	char *pos[1];
	int npos;
	switch (opts_parse("translations", "translations [--source DIR] [--format text|json]", specs, argc, argv,
			   pos, 0, &npos)) {
	case OPTS_HELP: return EXIT_OK;
	case OPTS_ERROR: return EXIT_USAGE;
	default: break;
	}
	if (strcmp(format, "text") && strcmp(format, "json"))
		return diag_usage("translations", "--format takes text or json, not '%s'", format);
	model m = { 0 };
	model_options mo = { source, NULL, false, 0, 0, true, NULL, NULL, NULL, NULL, NULL };
	phare_status s = model_load(&m, &mo);
	if (!s) {
		if (strcmp(format, "json") == 0)
			tr_json(&m);
		else
			tr_text(&m);
	}
	model_free(&m);
	return s ? EXIT_FAILED : EXIT_OK;
}

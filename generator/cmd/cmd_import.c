/* cmd_import.c: `phare import FORMAT SRC --out DIR [--lang CODE] [--force]`
 * (import/import.h). */
#include <string.h>

#include "cmd/cmd.h"
#include "content/site.h"
#include "import/import.h"
#include "util/diag.h"
#include "util/opts.h"
#include "util/status.h"

#define IMPORT_USAGE "import FORMAT SRC --out DIR [--lang CODE] [--force]   (FORMAT: gitbook, mkdocs, hugo)"

static const import_format *const import_formats[] = { &import_gitbook, &import_mkdocs, &import_hugo, NULL };

int cmd_import(int argc, char **argv)
{
	const char *out = NULL, *lang = NULL;
	bool force = false;
	const opt_spec specs[] = {
		{ "--out", "DIR", "the new phare source folder (missing or empty, or an earlier import to join)",
		  OPT_DIR, &out },
		{ "--lang", "CODE",
		  "the language of the pages (default: en); of a multilingual source, the one to import (default: all)",
		  OPT_STRING, &lang },
		{ "--force", NULL, "write into a folder that is not empty", OPT_FLAG, &force },
		{ NULL, NULL, NULL, OPT_FLAG, NULL },
	};
	char *pos[2];
	int npos;
	switch (opts_parse("import", IMPORT_USAGE, specs, argc, argv, pos, 2, &npos)) {
	case OPTS_HELP: return EXIT_OK;
	case OPTS_ERROR: return EXIT_USAGE;
	default: break;
	}
	if (npos != 2)
		return diag_usage("import", "write 'phare import FORMAT SRC --out DIR'");
	if (!out)
		return diag_usage("import", "--out DIR is required: the folder to write the phare source tree into");
	if (lang && !site_valid_code(lang))
		return diag_usage("import",
				  "'%s' in --lang is not a language code: use lowercase letters, digits "
				  "and '-', such as fr, en or pt-br",
				  lang);
	const import_format *fmt = NULL;
	for (const import_format *const *f = import_formats; *f; f++)
		if (strcmp((*f)->name, pos[0]) == 0)
			fmt = *f;
	if (!fmt)
		return diag_usage("import", "'%s' is not a format phare imports; use gitbook, mkdocs or hugo", pos[0]);
	phare_status s = import_run(fmt, pos[1], out, lang, force);
	if (s == PHARE_ERR_USAGE)
		return EXIT_FAILED;
	return s ? EXIT_FAILED : EXIT_OK;
}

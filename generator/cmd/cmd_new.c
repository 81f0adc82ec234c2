/* cmd_new.c: `phare new site DIR [--langs fr,en]` and `phare new article
 * SECTION/SLUG [--lang L] [--source DIR]` (content/starter.h). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "content/site.h"
#include "content/starter.h"
#include "util/diag.h"
#include "util/opts.h"
#include "util/status.h"

#define NEW_USAGE "new site DIR [--langs fr,en] | new article SECTION/SLUG [--lang L] [--source DIR]"

/* Today as YYYY-MM-DD, local time; SOURCE_DATE_EPOCH (the reproducible-
 * builds convention) fixes it. */
static void new_today(char out[11])
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	time_t now = epoch && *epoch ? (time_t)strtoll(epoch, NULL, 10) : time(NULL);
	struct tm tm;
	if (epoch && *epoch)
		gmtime_r(&now, &tm);
	else
		localtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* "fr,en" split in place into codes; EXIT_OK, or the usage error's code. */
static int new_langs(char *list, char **codes, size_t *n)
{
	*n = 0;
	for (char *p = list, *end;; p = end + 1) {
		end = strchr(p, ',');
		if (end)
			*end = '\0';
		if (*n == SITE_MAX_LANGUAGES)
			return diag_usage("new", "--langs takes at most %d languages", SITE_MAX_LANGUAGES);
		if (!site_valid_code(p))
			return diag_usage("new",
					  "'%s' in --langs is not a language code: use lowercase letters, digits "
					  "and '-', such as fr, en or pt-br",
					  p);
		for (size_t j = 0; j < *n; j++)
			if (strcmp(codes[j], p) == 0)
				return diag_usage("new", "the language '%s' is given twice in --langs", p);
		codes[(*n)++] = p;
		if (!end)
			return EXIT_OK;
	}
}

int cmd_new(int argc, char **argv)
{
	const char *langs = "en", *lang = NULL, *source = ".";
	const opt_spec specs[] = {
		{ "--langs", "fr,en", "new site: its languages, the default first (default: en)", OPT_STRING, &langs },
		{ "--lang", "L", "new article: its language (default: the site's default)", OPT_STRING, &lang },
		{ "--source", "DIR", "new article: the folder holding content/ (default: .)", OPT_DIR, &source },
		{ NULL, NULL, NULL, OPT_FLAG, NULL },
	};
	char *pos[2];
	int npos;
	switch (opts_parse("new", NEW_USAGE, specs, argc, argv, pos, 2, &npos)) {
	case OPTS_HELP: return EXIT_OK;
	case OPTS_ERROR: return EXIT_USAGE;
	default: break;
	}
	if (npos != 2 || (strcmp(pos[0], "site") != 0 && strcmp(pos[0], "article") != 0))
		return diag_usage("new", "write 'phare new site DIR' or 'phare new article SECTION/SLUG'");
	char today[11];
	new_today(today);
	phare_status s;
	if (strcmp(pos[0], "site") == 0) {
		char *list = strdup(langs), *codes[SITE_MAX_LANGUAGES];
		size_t n;
		int rc = list ? new_langs(list, codes, &n) : EXIT_FAILED;
		if (rc) {
			free(list);
			return rc;
		}
		s = starter_site(pos[1], codes, n, today);
		free(list);
	} else {
		s = starter_article(source, lang, pos[1], today);
	}
	if (s == PHARE_ERR_USAGE)
		return EXIT_USAGE;
	return s ? EXIT_FAILED : EXIT_OK;
}

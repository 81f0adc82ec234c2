/* cmd_feedback.c: `phare feedback report`, reading what `phare collect`
 * stored, and `phare feedback migrate`, SQLite to PostgreSQL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "feedback/migrate.h"
#include "feedback/report.h"
#include "feedback/store.h"
#include "feedback/manifest.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/opts.h"
#include "util/status.h"

static const char feedback_usage[] =
	"feedback report --db FILE|URI [--site OUTDIR] [--lang L] [--since YYYY-MM-DD]\n"
	"                       [--format text|csv|json|html] [--out FILE]\n"
	"   or: phare feedback migrate --from FILE.sqlite --to postgresql://USER@HOST/DB\n\n"
	"report: per article and language: yes, no, share of yes and the Wilson lower\n"
	"bound (least helpful first), the split by revision, and the comments, newest\n"
	"first; then per questionnaire and language: visits, completions, drop-off per\n"
	"question, answers chosen and outcomes reached.  With --site (the built site),\n"
	"titles and links too.  html: one self-contained page with charts (helpfulness\n"
	"per week, per article, the reasons, the questionnaires).  The database is only\n"
	"read: it is safe while 'phare collect' runs.\n"
	"migrate: copies every vote, comment and questionnaire step of an SQLite\n"
	"database into PostgreSQL; run again, it copies only what is new.  Prints the\n"
	"counts on both sides.";

static int feedback_migrate(const char *from, const char *to)
{
	migrate_counts n;
	if (migrate_run(from, to, &n) != PHARE_OK)
		return EXIT_FAILED;
	printf("%s: %lld votes\n%s: %lld votes (%lld copied now, %lld there already)\n", from, (long long)n.source, to,
	       (long long)n.target, (long long)n.copied, (long long)n.skipped);
	if (n.steps)
		printf("%s: %lld questionnaire steps, copied (those there already kept once)\n", from,
		       (long long)n.steps);
	return EXIT_OK;
}

/* The site's manifest: titles and URLs of the articles. */
static phare_status feedback_site(const char *site, manifest **out)
{
	*out = NULL;
	if (!site)
		return PHARE_OK;
	char *path = fsx_join(site, "phare-manifest.tsv");
	phare_status st = fsx_is_file(path) ? manifest_load(path, out) : PHARE_ERR_INPUT;
	if (st == PHARE_ERR_INPUT && !*out && !fsx_is_file(path))
		diag_error(site, 0, 0, "no phare-manifest.tsv here: give --site the folder 'phare build' wrote");
	free(path);
	return st;
}

static int feedback_report(const char *db, const char *site, const char *out_path, report_options *o)
{
	manifest *m = NULL;
	store *s = NULL;
	buf out = BUF_INIT;
	phare_status st = feedback_site(site, &m);
	if (st == PHARE_OK)
		st = store_open_readonly(db, &s);
	if (st == PHARE_OK) {
		o->site = m;
		st = report_write(s, o, &out);
	}
	if (st == PHARE_OK && out_path) {
		st = fsx_refuse_link(out_path, "--out");
		if (st == PHARE_OK)
			st = fsx_replace(out_path, out.ptr, out.len);
	} else if (st == PHARE_OK)
		fwrite(out.ptr, 1, out.len, stdout);
	if (s)
		store_close(s);
	manifest_free(m);
	buf_release(&out);
	return st == PHARE_OK ? EXIT_OK : EXIT_FAILED;
}

int cmd_feedback(int argc, char **argv)
{
	const char *db = NULL, *lang = NULL, *since = NULL, *format = "text", *from = NULL, *to = NULL;
	const char *site = NULL, *out_path = NULL;
	const opt_spec specs[] = {
		{ "--db", "FILE", "the database written by 'phare collect --db'", OPT_STRING, &db },
		{ "--site", "OUTDIR", "the built site: titles and links (OUTDIR/phare-manifest.tsv)", OPT_DIR, &site },
		{ "--out", "FILE", "write the report there, not to the standard output", OPT_STRING, &out_path },
		{ "--lang", "L", "only this language", OPT_STRING, &lang },
		{ "--since", "YYYY-MM-DD", "only votes from this day on (UTC)", OPT_STRING, &since },
		{ "--format", "text|csv|json", "output format (default text)", OPT_STRING, &format },
		{ "--from", "FILE", "migrate: the SQLite database to copy", OPT_STRING, &from },
		{ "--to", "URI", "migrate: the PostgreSQL database to copy into", OPT_STRING, &to },
		{ 0 }
	};
	char *pos[2];
	int npos;
	switch (opts_parse("feedback", feedback_usage, specs, argc, argv, pos, 1, &npos)) {
	case OPTS_HELP: return EXIT_OK;
	case OPTS_ERROR: return EXIT_USAGE;
	default: break;
	}
	report_options o = { .lang = lang, .since = 0, .format = REPORT_TEXT };
	const char *bad = NULL;
	if (npos == 1 && strcmp(pos[0], "migrate") == 0) {
		if (!from || !to)
			return diag_usage("feedback", "migrate needs --from FILE.sqlite and --to postgresql://...");
		return feedback_migrate(from, to);
	}
	if (npos != 1 || strcmp(pos[0], "report") != 0)
		bad = "say what to do: 'phare feedback report --db FILE' or 'phare feedback migrate'";
	else if (!db)
		bad = "--db is required";
	else if (since && !report_parse_date(since, &o.since))
		bad = "--since takes a date like 2024-05-31";
	else if (strcmp(format, "json") == 0)
		o.format = REPORT_JSON;
	else if (strcmp(format, "csv") == 0)
		o.format = REPORT_CSV;
	else if (strcmp(format, "html") == 0)
		o.format = REPORT_HTML;
	else if (strcmp(format, "text") != 0)
		bad = "--format takes text, csv, json or html";
	if (bad)
		return diag_usage("feedback", "%s", bad);
	return feedback_report(db, site, out_path, &o);
}

/* cmd_feedback.c: `phare feedback report`, reading what `phare collect`
 * stored, and `phare feedback migrate`, SQLite to PostgreSQL. */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "feedback/migrate.h"
#include "feedback/report.h"
#include "feedback/store.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/opts.h"
#include "util/status.h"

static const char feedback_usage[] =
	"feedback report --db FILE|URI [--lang L] [--since YYYY-MM-DD] [--format text|csv|json]\n"
	"   or: phare feedback migrate --from FILE.sqlite --to postgresql://USER@HOST/DB\n\n"
	"report: per article and language: yes, no, share of yes and the Wilson lower\n"
	"bound (least helpful first), the split by revision, and the comments, newest\n"
	"first; then per questionnaire and language: visits, completions, drop-off per\n"
	"question, answers chosen and outcomes reached.  The database is only read: it\n"
	"is safe while 'phare collect' runs.\n"
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

int cmd_feedback(int argc, char **argv)
{
	const char *db = NULL, *lang = NULL, *since = NULL, *format = "text", *from = NULL, *to = NULL;
	const opt_spec specs[] = { { "--db", "FILE", "the database written by 'phare collect --db'", OPT_STRING, &db },
				   { "--lang", "L", "only this language", OPT_STRING, &lang },
				   { "--since", "YYYY-MM-DD", "only votes from this day on (UTC)", OPT_STRING, &since },
				   { "--format", "text|csv|json", "output format (default text)", OPT_STRING, &format },
				   { "--from", "FILE", "migrate: the SQLite database to copy", OPT_STRING, &from },
				   { "--to", "URI", "migrate: the PostgreSQL database to copy into", OPT_STRING, &to },
				   { 0 } };
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
	else if (strcmp(format, "quiz-html") == 0) /* internal: the questionnaires' section alone */
		o.format = REPORT_QUIZ_HTML;
	else if (strcmp(format, "text") != 0)
		bad = "--format takes text, csv or json";
	if (bad)
		return diag_usage("feedback", "%s", bad);
	store *s = NULL;
	if (store_open_readonly(db, &s) != PHARE_OK)
		return EXIT_FAILED;
	buf out = BUF_INIT;
	phare_status st = report_write(s, &o, &out);
	store_close(s);
	if (st == PHARE_OK)
		fwrite(out.ptr, 1, out.len, stdout);
	buf_release(&out);
	return st == PHARE_OK ? EXIT_OK : EXIT_FAILED;
}

/* opts.h: table-driven command-line options, shared by every subcommand.
 *
 * A command declares its options once:
 *     const char *source = ".";  bool quiet = false;
 *     opt_spec specs[] = {
 *         { "--source", "DIR", "content folder's parent", OPT_STRING, &source },
 *         { "--quiet", NULL, "print only errors", OPT_FLAG, &quiet },
 *         { 0 } };
 * opts_parse() fills the variables, accepts "--name value" and "--name=value",
 * collects the other words as positional arguments, prints usage for --help
 * and reports mistakes (exit status EXIT_USAGE). */
#ifndef PHARE_OPTS_H
#define PHARE_OPTS_H

#include <stdbool.h>

/* OPT_DIR: a folder, as OPT_STRING with its trailing slashes dropped ("./"
 * is ".", "site/" is "site"), so that the paths made from it read the same
 * in every message. */
typedef enum opt_kind { OPT_FLAG, OPT_STRING, OPT_DIR, OPT_INT } opt_kind;

typedef struct opt_spec {
	const char *name;  /* "--source" */
	const char *arg;   /* "DIR", or NULL for flags */
	const char *help;
	opt_kind kind;
	void *target;      /* bool *, const char **, or long * */
} opt_spec;

typedef enum opts_result { OPTS_OK, OPTS_HELP, OPTS_ERROR } opts_result;

/* argv[0] is the command name.  Positional words go to pos (room for
 * max_pos; more is an error), their count to *npos. */
opts_result opts_parse(const char *command, const char *usage, const opt_spec *specs,
		       int argc, char **argv, char **pos, int max_pos, int *npos);
void opts_usage(const char *command, const char *usage, const opt_spec *specs);

#endif

/* main.c: phare's entry point: finds the subcommand in one table and runs it. */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/diag.h"
#include "util/status.h"
#include "version.h"

typedef struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} command;

static int cmd_help(int argc, char **argv);

static const command commands[] = {
	{ "build", cmd_build, "build the site from content/ into site/" },
	{ "check", cmd_check, "check the content (links, anchors, translations) without writing" },
	{ "collect", cmd_collect, "receive readers' feedback votes into an SQLite database" },
	{ "feedback", cmd_feedback, "feedback report: the articles readers find least helpful" },
	{ "help", cmd_help, "show help for phare or one command" },
	{ "import", cmd_import, "turn a GitBook space, a MkDocs site or a Hugo docs tree into a phare source tree" },
	{ "new", cmd_new, "start a help centre, or an article, with its front matter filled" },
	{ "rules", cmd_rules, "run, test or print a questionnaire's rules (rules/*.lua)" },
	{ "serve", cmd_serve, "preview the site locally, rebuilt and reloaded as you edit" },
	{ "translations", cmd_translations, "which articles are translated, outdated or missing" },
	{ "version", cmd_version, "print phare's version" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const command *find_command(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f, "phare %s: a static help-centre generator\n\nusage: phare COMMAND [OPTIONS]\n\ncommands:\n",
		PHARE_VERSION);
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'phare help COMMAND' or 'phare COMMAND --help' tells more.\n");
}

static int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		usage(stdout);
		return EXIT_OK;
	}
	const command *c = find_command(argv[1]);
	if (!c)
		return diag_usage(NULL, "no command '%s'", argv[1]);
	char *args[] = { argv[1], (char *)"--help", NULL };
	return c->run(2, args);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(1, argv);
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(1, argv + 1);
	const command *c = find_command(argv[1]);
	if (!c)
		return diag_usage(NULL, "'%s' is not a phare command", argv[1]);
	return c->run(argc - 1, argv + 1);
}

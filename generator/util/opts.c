/* opts.c: the option parser behind every subcommand (see opts.h). */
#include "opts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void opts_usage(const char *command, const char *usage, const opt_spec *specs)
{
	printf("usage: phare %s\n", usage);
	if (specs && specs->name)
		printf("\noptions:\n");
	for (const opt_spec *s = specs; s && s->name; s++) {
		char left[64];
		snprintf(left, sizeof(left), "%s%s%s", s->name, s->arg ? " " : "", s->arg ? s->arg : "");
		printf("  %-24s %s\n", left, s->help);
	}
	printf("  %-24s %s\n", "--help", "show this help");
	(void)command;
}

static const opt_spec *opts_find(const opt_spec *specs, const char *name, size_t n)
{
	for (const opt_spec *s = specs; s && s->name; s++)
		if (strlen(s->name) == n && strncmp(s->name, name, n) == 0)
			return s;
	return NULL;
}

static bool opts_set(const char *command, const opt_spec *s, const char *val)
{
	if (s->kind == OPT_STRING) {
		*(const char **)s->target = val;
		return true;
	}
	char *end;
	errno = 0;
	long n = strtol(val, &end, 10);
	if (errno || end == val || *end) {
		fprintf(stderr, "phare %s: error: %s takes a whole number, not '%s'\n", command, s->name, val);
		return false;
	}
	*(long *)s->target = n;
	return true;
}

opts_result opts_parse(const char *command, const char *usage, const opt_spec *specs,
		       int argc, char **argv, char **pos, int max_pos, int *npos)
{
	*npos = 0;
	bool only_pos = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (only_pos || a[0] != '-' || a[1] == '\0') {
			if (*npos >= max_pos) {
				fprintf(stderr, "phare %s: error: unexpected argument '%s'; see 'phare %s --help'\n",
					command, a, command);
				return OPTS_ERROR;
			}
			pos[(*npos)++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_pos = true;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			opts_usage(command, usage, specs);
			return OPTS_HELP;
		}
		const char *eq = strchr(a, '=');
		size_t n = eq ? (size_t)(eq - a) : strlen(a);
		const opt_spec *s = opts_find(specs, a, n);
		if (!s) {
			fprintf(stderr, "phare %s: error: unknown option '%.*s'; see 'phare %s --help'\n",
				command, (int)n, a, command);
			return OPTS_ERROR;
		}
		if (s->kind == OPT_FLAG) {
			if (eq) {
				fprintf(stderr, "phare %s: error: %s takes no value\n", command, s->name);
				return OPTS_ERROR;
			}
			*(bool *)s->target = true;
			continue;
		}
		const char *val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
		if (!val) {
			fprintf(stderr, "phare %s: error: %s needs a value (%s)\n", command, s->name, s->arg);
			return OPTS_ERROR;
		}
		if (!opts_set(command, s, val))
			return OPTS_ERROR;
	}
	return OPTS_OK;
}

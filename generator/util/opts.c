/* opts.c: the option parser behind every subcommand (see opts.h). */
#include "opts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

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

static bool opts_set(const char *command, const opt_spec *s, char *val)
{
	if (s->kind == OPT_DIR) {
		/* val points into argv, whose strings may be changed */
		size_t n = strlen(val);
		while (n > 1 && val[n - 1] == '/')
			val[--n] = '\0';
	}
	if (s->kind == OPT_STRING || s->kind == OPT_DIR) {
		*(const char **)s->target = val;
		return true;
	}
	char *end;
	errno = 0;
	long n = strtol(val, &end, 10);
	if (errno || end == val || *end) {
		diag_usage(command, "%s takes a whole number, not '%s'", s->name, val);
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
				diag_usage(command, "unexpected argument '%s'", a);
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
			diag_usage(command, "unknown option '%.*s'", (int)n, a);
			return OPTS_ERROR;
		}
		if (s->kind == OPT_FLAG) {
			if (eq) {
				diag_usage(command, "%s takes no value", s->name);
				return OPTS_ERROR;
			}
			*(bool *)s->target = true;
			continue;
		}
		char *val = eq ? argv[i] + n + 1 : (i + 1 < argc ? argv[++i] : NULL);
		if (!val) {
			diag_usage(command, "%s needs a value (%s)", s->name, s->arg);
			return OPTS_ERROR;
		}
		if (!opts_set(command, s, val))
			return OPTS_ERROR;
	}
	return OPTS_OK;
}

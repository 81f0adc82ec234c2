/* cmd_version.c: `phare version`. */
#include <cmark-gfm.h>
#include <lua.h>
#include <stdio.h>
#include <yaml.h>

#include "cmd/cmd.h"
#include "util/opts.h"
#include "util/status.h"
#include "version.h"

int cmd_version(int argc, char **argv)
{
	char *pos[1];
	int npos;
	switch (opts_parse("version", "version", NULL, argc, argv, pos, 0, &npos)) {
	case OPTS_HELP: return EXIT_OK;
	case OPTS_ERROR: return EXIT_USAGE;
	default: break;
	}
	printf("phare %s (cmark-gfm %s, libyaml %s, %s)\n", PHARE_VERSION, cmark_version_string(),
	       yaml_get_version_string(), LUA_RELEASE);
	return EXIT_OK;
}

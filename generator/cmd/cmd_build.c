/* cmd_build.c: `phare build`. */
#include <stdio.h>

#include "cmd/cmd.h"
#include "util/status.h"

int cmd_build(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "phare build: not written yet\n");
	return EXIT_FAILED;
}

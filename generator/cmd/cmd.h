/* cmd.h: the subcommands of phare, one file each (cmd_<name>.c).
 *
 * To add a command: write `int cmd_<name>(int argc, char **argv)` in
 * generator/cmd/cmd_<name>.c (argv[0] is the command's name; parse options
 * with opts.h; return an exit code from status.h), declare it here, and add
 * one line to the table in generator/main.c. */
#ifndef PHARE_CMD_H
#define PHARE_CMD_H

int cmd_build(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_translations(int argc, char **argv);
int cmd_collect(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_new(int argc, char **argv);
int cmd_feedback(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_version(int argc, char **argv);

#endif

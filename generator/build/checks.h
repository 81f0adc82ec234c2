/* checks.h: what `phare check` says beyond what every build validates:
 * articles missing in a language, outdated translations, duplicate titles
 * in a section.  All warnings (errors with --strict). */
#ifndef PHARE_CHECKS_H
#define PHARE_CHECKS_H

struct builder;
void checks_run(struct builder *b);

#endif

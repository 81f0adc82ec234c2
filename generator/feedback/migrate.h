/* migrate.h: `phare feedback migrate`: every vote and comment of an SQLite
 * store copied into a PostgreSQL one.
 *
 * Each vote is written with its origin (the source's fingerprint and the
 * vote's id), unique in the target: running it again copies only what is
 * new, never a duplicate.  A vote of a client that already voted on the
 * same revision in the target is left as the target has it.  The
 * addresses' hashes are copied as they are (made with the source's salt).
 * The questionnaire steps are copied too, a step already in the target
 * (same questionnaire, visit and seq) kept once. */
#ifndef PHARE_MIGRATE_H
#define PHARE_MIGRATE_H

#include <stdint.h>

#include "util/buf.h"
#include "util/status.h"

typedef struct migrate_counts {
	int64_t source;  /* votes in the source */
	int64_t copied;  /* written now */
	int64_t skipped; /* there already */
	int64_t target;  /* votes in the target afterwards */
	int64_t steps;   /* questionnaire steps in the source, copied unless there already */
} migrate_counts;

/* Copies from (an SQLite file) to to (a postgresql:// URI); errors reported. */
phare_status migrate_run(const char *from, const char *to, migrate_counts *out) PHARE_MUST_USE;

#endif

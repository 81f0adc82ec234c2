/* quiz_manifest.h: what the built site's questionnaires accept, read from
 * the q* lines of phare-manifest.tsv (manifest.h), so that the collector
 * stores only steps a page of this build could have sent.
 *
 * Lines (tab-separated; written by build/questionnaires.c):
 *     questionnaire	<name>	<tree revision>	<langs, comma-joined>
 *     qquestion	<name>	<question>	<min>	<max>	<answer ids, comma-joined>
 *     qnode	<name>	n<i>	<question>         a node asking that question
 *     qleaf	<name>	n<i>	<outcome>	<article key or "">
 * A single-answer question has min = max = 1. */
#ifndef PHARE_QUIZ_MANIFEST_H
#define PHARE_QUIZ_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/buf.h"

typedef struct quiz_manifest quiz_manifest;

/* The kinds of step a page sends (questionnaire.js). */
typedef enum quiz_kind {
	QUIZ_START,   /* the visit began, at node */
	QUIZ_SHOW,    /* node's question was shown */
	QUIZ_ANSWER,  /* node's question was answered with answer */
	QUIZ_OUTCOME, /* the leaf node was reached */
	QUIZ_RESTART, /* the reader started over from node */
	QUIZ_OPEN,    /* the reader opened the article of the leaf node's outcome */
	QUIZ__KINDS
} quiz_kind;

/* "start" ... "open"; and back (-1 when not a kind). */
const char *quiz_kind_name(quiz_kind k);
int quiz_kind_parse(const char *name);

/* A step as sent, and what the manifest adds to it. */
typedef struct quiz_step_in {
	const char *questionnaire, *lang, *revision, *node, *answer; /* answer "" when none */
	quiz_kind kind;
} quiz_step_in;
typedef struct quiz_step_ref {
	const char *question; /* the node's question, or "" */
	const char *outcome;  /* the leaf's outcome, or "" */
	const char *article;  /* the outcome's article key, or "" */
} quiz_step_ref;

/* Why a step is refused. */
typedef enum quiz_check {
	QUIZ_CHECK_OK,
	QUIZ_CHECK_UNKNOWN,  /* no such questionnaire, language or node: 404 */
	QUIZ_CHECK_REVISION, /* the tree was rebuilt since the page was loaded: 409 */
	QUIZ_CHECK_INVALID   /* the node or answer does not fit the step's kind: 400 */
} quiz_check;

quiz_manifest *quiz_manifest_new(arena *a);
void quiz_manifest_free(quiz_manifest *qm);
/* Takes one manifest line split in nf fields (f[i], fl[i] bytes); returns
 * false when it is not a q* line.  A q* line that is short or names an
 * unknown questionnaire is an error: *bad set, with a message in err. */
bool quiz_manifest_line(quiz_manifest *qm, const char *const *f, const size_t *fl, size_t nf, bool *bad, buf *err);
/* Checks step s; on QUIZ_CHECK_OK fills ref (strings owned by qm),
 * otherwise writes a message for the client into err. */
quiz_check quiz_manifest_check(const quiz_manifest *qm, const quiz_step_in *s, quiz_step_ref *ref, buf *err);
/* Number of questionnaires. */
size_t quiz_manifest_count(const quiz_manifest *qm);

#endif

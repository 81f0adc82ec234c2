/* questionnaires.h: rules/<name>.lua compiled (rules.h) into the site's
 * questionnaire pages: per language, /<lang>/decide/<name>/ (the first
 * question) and one static page per tree node (/<lang>/decide/<name>/n3/),
 * each answer a link to the next node, so it works without JavaScript; with
 * it, questionnaire.js walks the same tree (embedded as JSON) in place. */
#ifndef PHARE_QUESTIONNAIRES_H
#define PHARE_QUESTIONNAIRES_H

#include "content/article.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/status.h"
#include "util/value.h"

struct builder;
typedef struct questionnaires questionnaires;

phare_status questionnaires_load(struct builder *b, questionnaires **out) PHARE_MUST_USE;
/* ```questionnaire NAME``` in article a. */
phare_status questionnaires_block(struct builder *b, questionnaires *qs, const article *a, const char *args,
				  int line, buf *out) PHARE_MUST_USE;
phare_status questionnaires_pages(struct builder *b, questionnaires *qs) PHARE_MUST_USE;
value *questionnaires_list(struct builder *b, questionnaires *qs, arena *a, size_t lang);
const char *questionnaires_first_url(struct builder *b, questionnaires *qs, size_t lang);
/* Appends the manifest lines of every questionnaire (feedback/manifest.h). */
void questionnaires_manifest(const struct builder *b, const questionnaires *qs, buf *out);
void questionnaires_free(questionnaires *qs);

#endif

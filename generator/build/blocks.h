/* blocks.h: what ```table …``` and ```questionnaire …``` blocks in articles
 * become, and the pages and lists of comparison tables and questionnaires. */
#ifndef PHARE_BLOCKS_H
#define PHARE_BLOCKS_H

#include <stdbool.h>
#include <stddef.h>

#include "content/article.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/status.h"
#include "util/value.h"

struct builder;

/* Loads content/tables/ and rules/, registers their pages. */
phare_status blocks_load(struct builder *b) PHARE_MUST_USE;
/* The HTML of a hook block of article a (info: the fence's info string). */
phare_status blocks_render(struct builder *b, const article *a, const char *info, int line, buf *out) PHARE_MUST_USE;
/* The comparison tables' pages, one per table and language: how many, and
 * the i-th (safe on several threads at once, like articles). */
size_t blocks_n_table_pages(struct builder *b);
phare_status blocks_table_page_at(struct builder *b, size_t i) PHARE_MUST_USE;
/* The questionnaires' pages of every language (one thread: they share the build's arena). */
phare_status blocks_questionnaire_pages(struct builder *b) PHARE_MUST_USE;
/* Lists for a language's home: [{title, url}]. */
value *blocks_table_list(struct builder *b, arena *a, size_t lang);
value *blocks_questionnaire_list(struct builder *b, arena *a, size_t lang);
/* [{title, url}] of the tables whose columns name article art. */
value *blocks_comparisons_of(struct builder *b, arena *a, const article *art);
/* URL of the first questionnaire in lang, or "" (offered when a search finds nothing). */
const char *blocks_first_questionnaire_url(struct builder *b, size_t lang);
/* The questionnaires' lines of phare-manifest.tsv (feedback/manifest.h). */
void blocks_questionnaire_manifest(const struct builder *b, buf *out);
/* Whether content/tables/name.yaml exists. */
bool blocks_has_table(struct builder *b, const char *name);
/* Appends table name in language lang with the columns ids (those it has,
 * in that order); false, with nothing appended, when none is a column. */
bool blocks_compare_html(struct builder *b, const char *name, size_t lang, const char *const *ids, size_t n, buf *out);
void blocks_free(struct builder *b);

#endif

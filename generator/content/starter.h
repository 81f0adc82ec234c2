/* starter.h: what `phare new` writes: a starter help centre, and a new
 * article with its front matter filled.
 *
 * The starter site (site.yaml, a home text per language, one section with
 * one article, a comparison table and a small questionnaire) builds as it is
 * and passes `phare check --strict`; its text is written in English and
 * French, and in English for any other language (with translation_of set,
 * so `phare translations` lists what to translate).  Neither function
 * overwrites a file: an existing one is an error, reported, and nothing
 * after it is written. */
#ifndef PHARE_STARTER_H
#define PHARE_STARTER_H

#include <stddef.h>

#include "util/status.h"

/* Writes the starter site into dir, which must not exist or be empty.
 * codes: valid, distinct language codes (site_valid_code), the first being
 * the default.  today: "YYYY-MM-DD" for the article's `updated`. */
phare_status starter_site(const char *dir, char *const *codes, size_t n_codes, const char *today) PHARE_MUST_USE;

/* Writes content/<lang>/<path>.md under source (path: "section/slug", or
 * deeper; a trailing ".md" is allowed).  lang NULL: the default language.
 * For another language the default language's article must exist: the new
 * one records its revision as translation_of, and starts with its text to
 * translate.  today: "YYYY-MM-DD" for `updated`.  Prints the path written. */
phare_status starter_article(const char *source, const char *lang, const char *path, const char *today) PHARE_MUST_USE;

/* A language's own name ("fr" -> "Français"), or the code itself when the
 * starter does not know it (phare import writes it into site.yaml too). */
const char *starter_language_name(const char *code);

/* The article title a slug suggests: "configure-ipv6" -> "Configure ipv6". */
void starter_title(const char *slug, char *out, size_t size);

#endif

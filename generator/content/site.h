/* site.h: content/site.yaml, the site's settings.
 *
 *   title: Help            # or { fr: Aide, en: Help }
 *   base_url: /help/       # a path, or a full URL (https://example.org/help/)
 *   default_language: fr
 *   languages: [{ code: fr, name: Français }, { code: en, name: English }]
 *   unsafe_html: false     # let raw HTML of the Markdown through
 *   missing_translation: link   # or fallback
 *   outdated_banner: true
 *   feedback: { endpoint: /api/feedback }
 *   analytics: true        # false: questionnaires send no steps to <endpoint's folder>/questionnaire
 *   max_article_bytes: 262144   # larger Markdown files are refused (1 KiB to 16 MiB)
 *   max_file_bytes: 67108864    # larger images and attachments are refused (up to 4 GiB)
 *   max_files: 100000           # entries under content/ (folders and files), at most
 *   callouts: { primary: note, alert: caution }  # names of notices ("> [!PRIMARY]") -> kinds
 *
 * Unknown keys are errors (a typo must not be silently ignored). */
#ifndef PHARE_SITE_H
#define PHARE_SITE_H

#include <stdbool.h>
#include <stddef.h>

#include "render/callout.h"
#include "util/arena.h"
#include "util/status.h"
#include "util/value.h"

#define SITE_MAX_LANGUAGES 32

typedef struct site_language {
	const char *code; /* "fr": lowercase letters, digits and '-' */
	const char *name; /* "Français" */
	const char *title; /* the site's title in this language */
} site_language;

typedef enum missing_translation { MISSING_LINK, MISSING_FALLBACK } missing_translation;

typedef struct site_config {
	const char *path;       /* shown in messages: "content/site.yaml" */
	const char *origin;     /* "https://example.org" or "" when base_url is a path */
	const char *base;       /* base path: starts and ends with '/', e.g. "/help/" */
	site_language languages[SITE_MAX_LANGUAGES];
	size_t n_languages;
	size_t default_language; /* index into languages */
	bool unsafe_html;
	bool outdated_banner;
	missing_translation missing;
	const char *feedback_endpoint; /* NULL when not configured */
	bool analytics;                /* questionnaire steps sent beside the feedback endpoint */
	size_t max_article_bytes;      /* 0: the default (model.h) */
	size_t max_file_bytes;         /* 0: the default (model.h) */
	size_t max_files;              /* 0: the default (model.h) */
	int line_of_languages;
	callout_alias *callouts; /* callouts: aliases of notice kinds (lowercase names) */
	size_t n_callouts;
} site_config;

/* Loads path (the YAML file) into cfg; strings live in a.  base_url_override
 * (from --base-url), when not NULL, replaces base_url.  Errors are reported. */
phare_status site_load(arena *a, const char *path, const char *shown_path,
		       const char *base_url_override, site_config *cfg) PHARE_MUST_USE;
/* Whether s can be a language code: lowercase letters, digits and '-'. */
bool site_valid_code(const char *s);
/* The index of language code, or -1. */
int site_language_index(const site_config *cfg, const char *code, size_t len);
/* Splits a base URL ("/help", "https://x.org/help/") into origin and base
 * path (always with a trailing '/').  Returns false when it is not a URL or path. */
bool site_parse_base_url(arena *a, const char *url, const char **origin, const char **base);

#endif

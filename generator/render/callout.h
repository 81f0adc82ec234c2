/* callout.h: notices ("> [!WARNING]") and tabs ("> [!TABS]") in cmark's tree.
 *
 * GitHub's alert syntax: a block quote whose first line is a marker.
 *
 *   > [!NOTE]                  a notice: NOTE, TIP, IMPORTANT, WARNING, CAUTION
 *   > [!WARNING] Avant tout    … with its own title instead of the default one
 *   > [!NOTE]-  /  > [!NOTE]+  … foldable, closed / open (<details>, no JavaScript)
 *
 *   > [!TABS]                  tabs: each label line is followed by its panel,
 *   > **Debian / Ubuntu**      a nested quote; anything else in the block is an
 *   >> apt install qemu-kvm    error at its line
 *
 * Markers are read without regard to case; site.yaml's `callouts:` adds
 * aliases (primary -> note).  A marker of another name is an error.  The
 * HTML (hooks for themes, tests and phare.js):
 *   <div class="callout" data-callout="note"> <p class="callout-title"><svg…>Title</p> … </div>
 *   <details class="callout" data-callout="note" [open]> <summary class="callout-title">…</summary> … </details>
 *   <div class="tabs" data-tabs> <p class="tabs-label">Label</p>
 *     <div class="tabs-panel" data-tab="Label"> … </div> … </div>
 * A default title carries data-search-ignore: the search indexes what the
 * author wrote, once, not the word "Note" of every notice. */
#ifndef PHARE_CALLOUT_H
#define PHARE_CALLOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/status.h"

struct cmark_node;
struct cmark_mem;

typedef enum callout_kind {
	CALLOUT_NOTE,
	CALLOUT_TIP,
	CALLOUT_IMPORTANT,
	CALLOUT_WARNING,
	CALLOUT_CAUTION,
	CALLOUT_KINDS
} callout_kind;

/* A name of site.yaml's callouts: ("primary") and the kind it stands for. */
typedef struct callout_alias {
	const char *name; /* lowercase */
	callout_kind kind;
} callout_alias;

/* What a page's notices need from the site: their default titles, in the
 * page's language (NULL or "": the English ones), and the aliases. */
typedef struct callout_env {
	const char *titles[CALLOUT_KINDS];
	const callout_alias *aliases;
	size_t n_aliases;
} callout_env;

/* "note", "tip", "important", "warning", "caution". */
const char *callout_kind_name(callout_kind kind);
/* The kind named name[0..len) (any case), or -1. */
int callout_kind_find(const char *name, size_t len);

/* Whether n is a notice or tab group that callout_transform made: its user
 * data is callout's mark, which other users of the user data (markdown.c's
 * highlighted code blocks) must tell from their own. */
bool callout_is_made(struct cmark_node *n);

/* Rewrites every marked block quote of the tree under root into the HTML
 * above (custom blocks, made with mem).  text[0..len) is the Markdown the
 * tree was parsed from (lazy lines in tab panels are found in it); messages
 * name path, at first_line - 1 + the tree's lines.  env NULL: English titles,
 * no aliases.  *tab_groups: how many tab groups it made.  Every problem is
 * reported; the status is the first. */
phare_status callout_transform(const callout_env *env, const char *path, int first_line, const char *text, size_t len,
			       struct cmark_mem *mem, struct cmark_node *root, size_t *tab_groups) PHARE_MUST_USE;

#endif

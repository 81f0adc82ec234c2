/* article.h: one Markdown source file: its front matter and its body.
 *
 *   ---
 *   title: Différences entre LXC et KVM     # required
 *   description: …                          # optional
 *   weight: 40                              # order in lists (then title)
 *   updated: 2026-03-12                     # YYYY-MM-DD
 *   draft: false                            # built only with --drafts
 *   tags: [lxc, kvm]
 *   translation_of: 3f2a9c1b0d4e5f60        # revision of the default-language text translated
 *   aliases: [/fr/ancien/chemin/]           # old URLs that redirect here
 *   ---
 *   Markdown body…
 *
 * The same file format serves articles (<lang>/<section>/…/<slug>.md),
 * section pages (<lang>/<section>/…/_index.md) and language homes
 * (<lang>/_index.md).  Strings live in the arena given to article_parse. */
#ifndef PHARE_ARTICLE_H
#define PHARE_ARTICLE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/status.h"

typedef struct article {
	const char *path;     /* as shown in messages: "content/fr/virtualisation/lxc.md" */
	const char *title;
	const char *description; /* "" when absent */
	double weight;
	bool has_weight;
	char updated[11];     /* "2026-03-12", or "" */
	bool draft;
	const char **tags;    /* n_tags strings */
	size_t n_tags;
	const char *translation_of; /* NULL when absent */
	const char **aliases;       /* n_aliases site paths ("/fr/ancien/chemin/") redirected here */
	size_t n_aliases;
	int aliases_line, aliases_col; /* where aliases: is written */
	const char *body;              /* the Markdown after the front matter (not NUL-terminated);
					* NULL when the model did not keep it (model_options
					* drop_bodies): read again from path, at body_off */
	size_t body_len;
	size_t body_off;      /* where body starts in the file */
	int body_line;        /* the line of the file on which body starts */
	char revision[17];    /* hash_fnv1a_hex of the whole file (published) */
	/* What its parse said (article_held's messages, kept in the parse's
	 * arena), and whether the parse is all there is to know of the file:
	 * read by the quick front matter reader, without an error (a build
	 * cache may then keep it: article_pack). */
	const struct article_note *notes;
	bool packable;

	/* Set by the model (model.h). */
	size_t lang;          /* index into site_config.languages */
	const char *section;  /* the section's path, "cloud/reseau"; "" for a language home */
	const struct section *sec; /* the section it is listed in (NULL for an _index.md) */
	size_t pos;                /* its place in sec->articles (reading order) */
	const char *slug;     /* "lxc"; NULL for _index.md */
	const char *key;      /* "virtualisation/lxc", "cloud/reseau/ipv6" */
	const char *url;      /* "/help/fr/virtualisation/lxc/" (base path included) */
	size_t index;         /* position in the model's article array */
	const struct article *fallback_of; /* missing_translation: fallback: the source shown here */
} article;

/* Parses text (len bytes, kept: body points into it) of the file shown as
 * path.  need_title: articles require a title, _index.md files do not.
 * Messages are printed as they are found. */
phare_status article_parse(arena *a, const char *path, const char *text, size_t len,
			   bool need_title, article *out) PHARE_MUST_USE;

/* article_parse in two halves, so that files can be parsed on several
 * threads and still say exactly what a serial parse says, in file order:
 *   article_parse_held   any thread; prints nothing: its messages are kept
 *                        (in a), and a front matter beyond frontmatter.h's
 *                        subset is left for libyaml, which reports through
 *                        diag as it goes;
 *   article_finish       the thread that prints, in file order: prints the
 *                        messages kept, then reads the front matter left
 *                        over (printing as it goes); returns the status
 *                        article_parse would have. */
typedef struct article_note article_note;
typedef struct article_held {
	article_note *first, *last; /* messages kept, in order */
	const char *fm;             /* front matter left to libyaml, or NULL */
	size_t fm_len;
	phare_status status;
} article_held;

void article_parse_held(arena *a, const char *path, const char *text, size_t len, bool need_title,
			article *out, article_held *held);
phare_status article_finish(arena *a, article *out, bool need_title, article_held *held) PHARE_MUST_USE;

/* A parse kept for a later build (the build cache's model records): what
 * article_parse_held left in out and held, restored without the file.
 *   article_pack    appends art's fields and messages to o; false (nothing
 *                   added) unless art->packable;
 *   article_unpack  fills *out (path given; body NULL: read again from the
 *                   file when the page renders) and *held (its messages, for
 *                   article_finish) from a record article_pack wrote, strings
 *                   in a; false when the record does not read whole. */
struct buf;
bool article_pack(const article *art, struct buf *o);
/* Appends the fields of art that other pages may show, or that place its
 * own page (everything its parse made but what its body alone decides:
 * the body's length, the revision, the messages), for the build cache's
 * hash of what every article's page frame is made from.  A field added to
 * article_pack that another page shows belongs here too. */
void article_put_frame(const article *art, struct buf *o);
bool article_unpack(arena *a, const char *path, const void *rec, size_t len, article *out, article_held *held);

#endif

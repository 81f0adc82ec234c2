/* model_int.h: what the two halves of the model's loading share (not for
 * other modules: use model.h).
 *
 * model_plan.c, pass 1: the plan lists the folders the walk will visit,
 * each with a job per entry, and runs the jobs (read and parse a file) on
 * every core; model.c, pass 2: the walk takes the jobs in order and builds
 * the model.  model_plan.c explains why. */
#ifndef PHARE_MODEL_INT_H
#define PHARE_MODEL_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "content/article.h"
#include "content/model.h"
#include "util/arena.h"
#include "util/status.h"
#include "util/workers.h"

#define MODEL_MAX_HELPERS 7

typedef enum model_kind { MODEL_UNKNOWN, MODEL_DIR, MODEL_FILE } model_kind;

typedef struct model_dir model_dir;

/* One entry of a folder, as a job: what the walk needs to know of it. */
typedef struct model_job {
	const model_dir *dir;
	const char *name; /* the entry */
	model_kind kind;  /* MODEL_UNKNOWN: the walk looks itself */
	char *text;       /* a Markdown file read (in its runner's arena), or NULL: the walk reads it */
	size_t len;
	article *art; /* text parsed, its messages held */
	article_held held;
	const char *site_path; /* articles: "fr/virtualisation/lxc" */
	atomic_bool done;
} model_job;

/* A folder the walk reads: content/<lang> or content/<lang>/<section>/…,
 * planned before the folders inside it (the walk's order: depth first). */
struct model_dir {
	char *full;        /* as opened: <source>/content/... */
	char **names;      /* its entries (fsx_list), or NULL */
	bool *is_dir;      /* which entries are folders (the plan looks: the walk agrees) */
	const char *rel;   /* "content/fr/cloud/reseau" */
	const char *shown; /* model_shown(rel) */
	const char *path;  /* "fr/cloud/reseau/"; "fr/" for a language folder */
	int depth;         /* folders below content/<lang>: 0 for the language's */
	/* sections only (name NULL for a language folder): */
	const char *name; /* in URLs: "reseau" (lowercase) */
	const char *url;  /* "<base>fr/cloud/reseau/" */
	size_t key_at;    /* where the section's key ("cloud/reseau") starts in path */
	model_job *jobs;  /* sections: one per name; languages: their _index.md, if any */
	size_t n_jobs;
	atomic_size_t taken; /* jobs handed to a runner so far */
	model_dir *next;     /* the next folder planned (under the plan's lock) */
};

/* A thread running jobs: the folder it takes them from, and that folder
 * open, so that entries are opened relative to it (which spares the kernel
 * a walk of the whole path for every file). */
typedef struct model_runner {
	model_dir *dir;
	const model_dir *fd_dir;
	int fd;
	arena *arena;  /* where its jobs' strings go */
	arena *texts;  /* where its jobs' file texts go (model_drop_texts) */
	char *scratch; /* drop_bodies: the file being parsed, reused for the next (malloc'ed) */
	size_t scratch_cap;
} model_runner;

typedef struct model_plan model_plan;
typedef struct model_helper {
	model_plan *plan;
	model_arenas mem;
} model_helper;

struct model_plan {
	/* under lock, with cond: a folder published, the plan finished, a job done */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	model_dir *first, *last; /* the folders, in the walk's order */
	bool planned;
	size_t n_jobs; /* published (main thread only) */
	model_dir *lang_dir[SITE_MAX_LANGUAGES];
	model_dir *walked; /* the walk's last section */
	size_t max_bytes;
	bool drop_bodies; /* model_options' */
	void (*on_read)(void *ctx, const char *dir, const char *name, const char *text, size_t len);
	void *on_read_ctx; /* model_options' */
	const void *(*on_record)(void *ctx, const char *dir, const char *name, size_t *len);
	atomic_size_t kept;        /* bytes of articles kept so far (MODEL_KEPT_BODIES) */
	size_t max_files, entries; /* entries listed so far, and the most allowed */
	const char *too_many;      /* the folder where entries passed max_files */
	int threads;               /* runners wanted, main thread included; 0: one per core */
	model_runner main;
	workers helper_threads; /* running helpers[0..n_helpers) */
	model_helper helpers[MODEL_MAX_HELPERS];
	int n_helpers;
};

typedef enum model_section_check {
	MODEL_SECTION_OK,
	MODEL_SECTION_INVALID,  /* not a name for URLs */
	MODEL_SECTION_RESERVED, /* one of model_reserved */
} model_section_check;

/* ---- model.c: names ---- */

#define MODEL_END ((const char *)NULL) /* a pointer, as a variadic list needs */
/* The strings given, up to MODEL_END, concatenated in a. */
char *model_cat(arena *a, ...) __attribute__((sentinel));
char *model_lower(char *s); /* ASCII, in place; returns s */
bool model_ends_with(const char *s, const char *suffix);

/* ---- model_plan.c: the plan (pass 1) and what the walk takes from it ---- */

/* The largest Markdown file accepted. */
size_t model_max_bytes(const model *m, const model_options *opt);
bool model_needs_title(const char *name); /* articles do, _index.md files do not */
/* Whether folder name, depth folders below content/<lang>, can be a
 * section (reserved names are the top level's only).  Asked by the plan
 * and by the walk, which must agree. */
model_section_check model_check_section(const char *name, int depth);
/* Whether the walk reads folder name of d as a sub-section (the plan has
 * planned it): a valid name, not too deep. */
bool model_is_planned_section(const model_dir *d, size_t i);
/* Parses j->text into j->art (its messages held), strings in a; with
 * drop, an article keeps nothing that points into j->text (its body is
 * NULL, the front matter left to libyaml is copied into a). */
void model_job_parse(model_job *j, arena *a, bool drop);
/* Whether job j's body is dropped once parsed: an article's (not an
 * _index.md, whose text the lists render at the end), once MODEL_KEPT_BODIES
 * bytes are kept; model_job_kept counts a kept one. */
bool model_job_drops(const model_plan *p, const model_job *j);
void model_job_kept(model_plan *p, size_t len);
/* Plans content/<lang>: its _index.md and its sections, published to the
 * runners (helpers start once there is enough to do). */
void model_plan_language(model *m, const model_options *opt, model_plan *p, size_t lang);
void model_plan_finish(model_plan *p); /* every folder planned */
/* Job j, done: by a helper, or here (the main thread runs jobs rather
 * than wait). */
model_job *model_take(model_plan *p, model_job *j);
const model_dir *model_next_section(model_plan *p); /* in the plan's order */
/* Waits for the helpers, gives their arenas to the model, frees the plan. */
void model_plan_end(model *m, model_plan *p);

#endif

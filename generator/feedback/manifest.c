/* manifest.c: reading <site>/phare-manifest.tsv and watching it for rebuilds.
 *
 * A parsed manifest never changes; the watch swaps in a new one when the
 * file changes and copies answers out under its lock, so a lookup never
 * sees a manifest being freed. */
#include "feedback/manifest.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/arena.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/map.h"
#include "util/xalloc.h"

#define MANIFEST_MAX_BYTES (64u * 1024 * 1024)
#define MANIFEST_MAX_FIELDS 8

struct manifest {
	arena mem;
	map articles; /* "lang\tkey" -> manifest_article */
	size_t count;
	const char *origin;
	quiz_manifest *quiz; /* the questionnaires (q* lines) */
};

static char *manifest_lookup_key(arena *a, const char *lang, const char *key)
{
	return arena_printf(a, "%s\t%s", lang, key);
}

phare_status manifest_parse(const char *path, const char *text, size_t len, manifest **out)
{
	manifest *m = xcalloc(1, sizeof(*m));
	m->origin = "";
	m->quiz = quiz_manifest_new(&m->mem);
	phare_status st = PHARE_OK;
	bool bad = false;
	buf err = BUF_INIT;
	int line = 0;
	bool header = false;
	const char *p = text, *end = text + len;
	*out = NULL;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		line++;
		/* Split the line on tabs; a trailing CR is tolerated. */
		const char *f[MANIFEST_MAX_FIELDS];
		size_t fl[MANIFEST_MAX_FIELDS];
		size_t nf = 0;
		const char *le = eol > p && eol[-1] == '\r' ? eol - 1 : eol;
		for (const char *s = p; nf < MANIFEST_MAX_FIELDS;) {
			const char *tab = memchr(s, '\t', (size_t)(le - s));
			f[nf] = s;
			fl[nf++] = (size_t)((tab ? tab : le) - s);
			if (!tab)
				break;
			s = tab + 1;
		}
		if (memchr(p, '\0', (size_t)(le - p))) {
			diag_error(path, line, 1, "NUL byte in the manifest; rebuild the site with 'phare build'");
			st = PHARE_ERR_INPUT;
			goto done;
		}
		if (!header) {
			if (nf < 2 || fl[0] != 14 || memcmp(f[0], "phare-manifest", 14) != 0) {
				diag_error(path, line, 1, "not a phare manifest (the first line should be "
					   "'phare-manifest<TAB>1'); rebuild the site with 'phare build'");
				st = PHARE_ERR_INPUT;
				goto done;
			}
			if (fl[1] != 1 || f[1][0] != '1') {
				diag_error(path, line, 16, "manifest version '%.*s' is not supported (expected 1); "
					   "use the same phare version to build and to collect", (int)fl[1], f[1]);
				st = PHARE_ERR_INPUT;
				goto done;
			}
			header = true;
		} else if (fl[0] == 7 && memcmp(f[0], "article", 7) == 0) {
			if (nf < 5 || !fl[1] || !fl[2] || !fl[3] || !fl[4]) {
				diag_error(path, line, 1, "an article line needs 5 non-empty fields "
					   "(article, lang, key, url, revision); rebuild the site with 'phare build'");
				st = PHARE_ERR_INPUT;
				goto done;
			}
			manifest_article *a = arena_alloc(&m->mem, sizeof(*a));
			a->lang = arena_strndup(&m->mem, f[1], fl[1]);
			a->key = arena_strndup(&m->mem, f[2], fl[2]);
			a->url = arena_strndup(&m->mem, f[3], fl[3]);
			a->revision = arena_strndup(&m->mem, f[4], fl[4]);
			a->title = nf > 5 ? arena_strndup(&m->mem, f[5], fl[5]) : "";
			if (!map_put(&m->articles, manifest_lookup_key(&m->mem, a->lang, a->key), a))
				m->count++;
		} else if (fl[0] == 6 && memcmp(f[0], "origin", 6) == 0 && nf > 1) {
			m->origin = arena_strndup(&m->mem, f[1], fl[1]);
		} else if (quiz_manifest_line(m->quiz, f, fl, nf, &bad, &err) && bad) {
			diag_error(path, line, 1, "%s; rebuild the site with 'phare build'", err.ptr);
			st = PHARE_ERR_INPUT;
			goto done;
		}
		/* Other kinds ("base", future ones) are not needed here. */
		p = nl ? nl + 1 : end;
	}
	if (!header) {
		diag_error(path, 0, 0, "empty manifest; rebuild the site with 'phare build'");
		st = PHARE_ERR_INPUT;
	}
done:
	buf_release(&err);
	if (st != PHARE_OK)
		manifest_free(m);
	else
		*out = m;
	return st;
}

phare_status manifest_load(const char *path, manifest **out)
{
	buf text = BUF_INIT;
	*out = NULL;
	phare_status st = fsx_read(path, &text, MANIFEST_MAX_BYTES);
	if (st == PHARE_OK)
		st = manifest_parse(path, text.ptr, text.len, out);
	buf_release(&text);
	return st;
}

const manifest_article *manifest_find(const manifest *m, const char *lang, const char *key)
{
	size_t ll = strlen(lang), kl = strlen(key);
	char small[256];
	char *k = ll + kl + 2 <= sizeof(small) ? small : xmalloc(ll + kl + 2);
	memcpy(k, lang, ll);
	k[ll] = '\t';
	memcpy(k + ll + 1, key, kl + 1);
	const manifest_article *a = map_get(&m->articles, k);
	if (k != small)
		free(k);
	return a;
}

const char *manifest_origin(const manifest *m) { return m->origin; }

size_t manifest_count(const manifest *m) { return m->count; }

void manifest_free(manifest *m)
{
	if (!m)
		return;
	map_release(&m->articles);
	quiz_manifest_free(m->quiz);
	arena_release(&m->mem);
	free(m);
}

struct manifest_watch {
	pthread_mutex_t lock;
	char *path;
	manifest *current;
	struct stat seen;      /* of the file current was read from */
};

static bool manifest_same_file(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

phare_status manifest_watch_open(const char *site_dir, manifest_watch **out)
{
	manifest_watch *w = xcalloc(1, sizeof(*w));
	*out = NULL;
	w->path = fsx_join(site_dir, "phare-manifest.tsv");
	if (stat(w->path, &w->seen) != 0) {
		diag_error(w->path, 0, 0, "no manifest: '%s' does not look like a site built by "
			   "'phare build'; build it first or fix --site", site_dir);
		free(w->path);
		free(w);
		return PHARE_ERR_IO;
	}
	phare_status st = manifest_load(w->path, &w->current);
	if (st != PHARE_OK) {
		free(w->path);
		free(w);
		return st;
	}
	pthread_mutex_init(&w->lock, NULL);
	*out = w;
	return PHARE_OK;
}

/* Called with the lock held. */
static void manifest_watch_refresh(manifest_watch *w)
{
	/* One stat per lookup: cheap next to a vote's commit, and a rebuilt
	 * site is seen at once. */
	struct stat st;
	if (stat(w->path, &st) != 0 || manifest_same_file(&st, &w->seen))
		return; /* a missing file (mid-rebuild) keeps the last manifest */
	manifest *fresh = NULL;
	if (manifest_load(w->path, &fresh) != PHARE_OK)
		return; /* reported; keep the previous one and try again on the next change */
	manifest_free(w->current);
	w->current = fresh;
	w->seen = st;
}

bool manifest_watch_find(manifest_watch *w, const char *lang, const char *key, buf *url,
			 buf *revision)
{
	pthread_mutex_lock(&w->lock);
	manifest_watch_refresh(w);
	const manifest_article *a = manifest_find(w->current, lang, key);
	if (a && url) {
		buf_reset(url);
		buf_adds(url, a->url);
	}
	if (a && revision) {
		buf_reset(revision);
		buf_adds(revision, a->revision);
	}
	pthread_mutex_unlock(&w->lock);
	return a != NULL;
}

quiz_check manifest_watch_check_step(manifest_watch *w, const quiz_step_in *s, quiz_step_ref *ref, arena *a, buf *err)
{
	pthread_mutex_lock(&w->lock);
	manifest_watch_refresh(w);
	quiz_check c = quiz_manifest_check(w->current->quiz, s, ref, err);
	if (c == QUIZ_CHECK_OK) { /* copied out: the manifest may be swapped once unlocked */
		ref->question = arena_strdup(a, ref->question);
		ref->outcome = arena_strdup(a, ref->outcome);
		ref->article = arena_strdup(a, ref->article);
	}
	pthread_mutex_unlock(&w->lock);
	return c;
}

size_t manifest_watch_count(manifest_watch *w)
{
	pthread_mutex_lock(&w->lock);
	manifest_watch_refresh(w);
	size_t n = manifest_count(w->current);
	pthread_mutex_unlock(&w->lock);
	return n;
}

void manifest_watch_close(manifest_watch *w)
{
	if (!w)
		return;
	manifest_free(w->current);
	pthread_mutex_destroy(&w->lock);
	free(w->path);
	free(w);
}

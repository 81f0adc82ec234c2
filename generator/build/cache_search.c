/* cache_search.c: the build cache's part in the search index: a
 * language's index whose pages' search inputs are the last build's is
 * linked whole from the live site; one with a few pages changed is
 * patched in place (search/patch.h); else the reused pages are added back
 * from their records and the index written whole.  See cache_int.h. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build/builder.h"
#include "build/cache.h"
#include "build/cache_int.h"
#include "search/index.h"
#include "search/patch.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/record.h"
#include "util/workers.h"
#include "util/xalloc.h"

/* ---- search ---- */

/* Skips the answers of a record (reader at them). */
static void cache_skip_deps(record_reader *r)
{
	uint64_t n = record_get_u64(r);
	for (uint64_t i = 0; i < n && !r->bad; i++) {
		size_t len;
		(void)record_get_u64(r);
		(void)record_get_bytes(r, &len);
		for (int k = 0; k < 4; k++)
			(void)record_get_u64(r);
	}
}

/* What the search index counted of entry e's page (its record's last
 * part: search_index_add_page's record), or NULL (not indexed, or bad). */
static const char *cache_counted(const cache *c, const cache_entry *e, size_t *n)
{
	record_reader r = { c->map + e->off, c->map + e->off + e->len, false };
	(void)record_get_bytes(&r, n); /* heading ids */
	cache_skip_deps(&r);
	const char *counted = record_get_u64(&r) ? record_get_bytes(&r, n) : NULL;
	return r.bad ? NULL : counted;
}

/* Adds the reused page art's search text to its language's index. */
static phare_status cache_add_search(builder *b, const article *art, const cache_entry *e)
{
	cache *c = b->cache;
	size_t n;
	const char *counted = cache_counted(c, e, &n);
	if (!counted || !search_index_add_record(b->search[art->lang], "article", art->url, counted, n)) {
		diag_error(c->old_records, 0, 0,
			   "a record of the build cache cannot be read (%s); "
			   "remove .phare/cache and build again",
			   art->path);
		return PHARE_ERR_IO;
	}
	return PHARE_OK;
}

/* The previous build's entry of the language of that code, or NULL. */
const cache_lang *cache_old_lang(const cache *c, const char *code)
{
	for (size_t i = 0; i < c->n_old_langs; i++)
		if (strcmp(c->old_langs[i].code, code) == 0)
			return &c->old_langs[i];
	return NULL;
}

/* Language l's search file name (rel: under the site) of bytes of hash h:
 * recorded, and true when it is in place already or linked from the live
 * site (which has those bytes: its stamp is the one recorded, or checked,
 * its search files were read and hashed); false: to be written. */
static bool cache_search_place(builder *b, size_t l, const char *name, const char *rel, uint64_t h, bool in_place,
			       bool checked)
{
	cache *c = b->cache;
	cache_lang *now = &c->langs[l];
	now->written = true;
	cache_lang_file(now, name, strlen(name), h);
	const cache_lang *old = cache_old_lang(c, now->code);
	uintptr_t at = old ? (uintptr_t)map_get(&old->file_at, name) : 0;
	if (!in_place || !at || old->file_hashes[at - 1] != h || !(c->live_intact || checked))
		return false;
	if (cache_same_file(b, rel)) /* the kept site's file is the live one's, which has these bytes */
		return true;
	char *from = fsx_join(b->opt->out, rel);
	bool ok = output_link(b, from, rel);
	free(from);
	return ok;
}

bool cache_search_file(builder *b, size_t l, const char *name, const char *rel, const void *data, size_t len,
		       bool in_place)
{
	return b->cache && cache_search_place(b, l, name, rel, cache_hash(0, data, len) | 1, in_place, false);
}

/* A page's part of its language's docs (cache_lang): the pages of an
 * index are numbered by URL, so the same sum says the same numbers. */
static uint64_t cache_url_hash(const char *url) { return cache_mix(cache_hash_str(3, url), 5) | 1; }

/* Language l's articles' search records in its digest and count (once,
 * every page rendered: the other pages' are there already). */
static void cache_lang_count(builder *b, size_t l)
{
	cache *c = b->cache;
	const model *m = &b->m;
	cache_lang *now = &c->langs[l];
	if (now->counted)
		return;
	now->counted = true; /* its code set when the cache opened (cache_open_words) */
	for (size_t i = 0; i < m->n_articles; i++) {
		const cache_slot *slot = &c->slots[m->articles[i]->index];
		if (m->articles[i]->lang == l && slot->search) {
			now->digest += slot->search;
			now->docs += cache_url_hash(m->articles[i]->url);
			now->count++;
		}
	}
}

/* The previous build's entry of language l when its index would come out the same, or NULL. */
static const cache_lang *cache_search_same(builder *b, size_t l)
{
	cache *c = b->cache;
	cache_lang_count(b, l);
	const cache_lang *now = &c->langs[l];
	for (size_t i = 0; i < c->n_old_langs; i++)
		if (strcmp(c->old_langs[i].code, now->code) == 0)
			return c->old_langs[i].digest == now->digest && c->old_langs[i].count == now->count &&
					       c->old_langs[i].stamp
				       ? &c->old_langs[i]
				       : NULL;
	return NULL;
}

/* The live site's entries under prefix: [*from, *to) of old_live's names. */
static void cache_live_range(const cache *c, const char *prefix, size_t *from, size_t *to)
{
	size_t lo = 0, hi = c->old_live.n, n = strlen(prefix);
	while (lo < hi) { /* the first name not before prefix */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(c->old_live.names[mid], prefix) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*from = lo;
	while (lo < c->old_live.n && strncmp(c->old_live.names[lo], prefix, n) == 0)
		lo++;
	*to = lo;
}

bool cache_search_unchanged(builder *b, size_t l) { return b->cache && cache_search_same(b, l); }

bool cache_search_kept(builder *b, size_t l)
{
	cache *c = b->cache;
	if (!c || !b->patching || !c->live_intact || !c->prev_intact || !cache_search_same(b, l))
		return false;
	char prefix[64];
	snprintf(prefix, sizeof prefix, "%s/search/", c->langs[l].code);
	size_t from, to;
	cache_live_range(c, prefix, &from, &to);
	if (from == to)
		return false;
	for (size_t i = from; i < to; i++) { /* each entry the kept site's too, as both stamps saw it */
		const char *rel = c->old_live.names[i];
		const cache_seen *kept = cache_seen_at(&c->old_prev, c->old_prev_seen, rel);
		bool dir = rel[strlen(rel) - 1] == '/';
		if (!kept || (!dir && !cache_seen_same(&c->old_live_seen[i], kept)))
			return false;
	}
	for (size_t i = from; i < to; i++) { /* its files kept, so made (cache_same_file) */
		const char *rel = c->old_live.names[i];
		if (rel[strlen(rel) - 1] != '/')
			c->old_live_kept[i] = 1;
	}
	snprintf(c->langs[l].how, sizeof c->langs[l].how, "kept as the last build made it");
	return true;
}

/* Whether folder dir holds old's files, each with the bytes it had (by
 * their hash: a site restored by CI is made of other files than the last
 * build wrote), and none missing or more; with to, each linked there too. */
static bool cache_files_same(const cache_lang *old, const char *dir, const char *to)
{
	char **names = fsx_list(dir);
	char *chunk = xmalloc(CACHE_CHUNK);
	size_t n = 0;
	bool ok = names && (!to || fsx_mkdirs(to) == PHARE_OK);
	for (char **p = names; ok && p && *p; p++, n++) {
		uintptr_t at = (uintptr_t)map_get(&old->file_at, *p);
		char *full = fsx_join(dir, *p), *dest = to ? fsx_join(to, *p) : NULL;
		ok = at && cache_file_hash(full, 0, chunk) == old->file_hashes[at - 1] &&
		     (!to || link(full, dest) == 0);
		free(full);
		free(dest);
	}
	free(chunk);
	fsx_free_list(names);
	return ok && n == old->n_files;
}

static bool cache_search_reuse(builder *b, size_t l)
{
	const cache_lang *now = &((cache *)b->cache)->langs[l], *old = cache_search_same(b, l);
	if (!old)
		return false;
	char *rel = fsx_join(now->code, "search");
	char *from = fsx_join(b->opt->out, rel), *to = fsx_join(b->tmp, rel);
	/* the live site as the last build left it: its folder holds the files of that index */
	bool ok = ((const cache *)b->cache)->live_intact ? cache_link_tree(from, NULL, to)
							 : cache_files_same(old, from, to);
	if (!ok)
		(void)!fsx_remove_tree(to); /* half linked: written afresh */
	free(rel);
	free(from);
	free(to);
	return ok;
}

void cache_search_other(builder *b, size_t lang, const char *url, const char *title, const char *description,
			const char *html)
{
	cache *c = b->cache;
	if (!c)
		return;
	uint64_t h = cache_hash_str(cache_hash_str(cache_hash_str(cache_hash_str(7, url), title), description), html);
	pthread_mutex_lock(&c->lock);
	cache_lang *now = &c->langs[lang];
	now->digest += h;
	now->others += h;
	now->docs += cache_url_hash(url);
	now->count++;
	size_t cap = now->cap_other;
	now->other_urls = xgrow(now->other_urls, &cap, now->n_other + 1, sizeof *now->other_urls);
	now->cap_other = cap;
	now->other_urls[now->n_other++] = arena_strdup(&b->arena, url);
	pthread_mutex_unlock(&c->lock);
}

/* The reused pages of the languages whose search index is written again,
 * added to it from their records on every thread (search_index_add_page
 * counts each thread's words apart; the files do not depend on the order):
 * after a body edit, the 10,000 pages of its language. */
#define CACHE_ADD_STEP 64
typedef struct cache_add_job {
	builder *b;
	const bool *skip;
	atomic_size_t next;
	atomic_int failed; /* the first failure's status */
} cache_add_job;

static void *cache_add_worker(void *arg)
{
	cache_add_job *j = arg;
	const model *m = &j->b->m;
	const cache *c = j->b->cache;
	for (size_t i; !atomic_load(&j->failed) && (i = atomic_fetch_add(&j->next, CACHE_ADD_STEP)) < m->n_articles;)
		for (size_t k = i; k < i + CACHE_ADD_STEP && k < m->n_articles; k++) {
			const article *art = m->articles[k];
			const cache_slot *slot = &c->slots[art->index];
			int none = PHARE_OK;
			phare_status s;
			if (!j->skip[art->lang] && slot->reused && slot->search &&
			    (s = cache_add_search(j->b, art, slot->reused)))
				atomic_compare_exchange_strong(&j->failed, &none, (int)s);
		}
	return NULL;
}

phare_status cache_search(builder *b, bool *skip)
{
	cache *c = b->cache;
	if (!c)
		return PHARE_OK;
	const model *m = &b->m;
	for (size_t l = 0; l < m->cfg.n_languages; l++) {
		cache_lang *now = &c->langs[l];
		cache_lang_count(b, l);
		if (skip[l])
			continue;
		skip[l] = cache_search_reuse(b, l);
		if (skip[l])
			snprintf(now->how, sizeof now->how, "linked from the last build");
		else if (!*now->how)
			snprintf(now->how, sizeof now->how, "written whole");
	}
	cache_add_job j = { b, skip, 0, PHARE_OK };
	atomic_init(&j.next, 0);
	atomic_init(&j.failed, PHARE_OK);
	int n = workers_count(b->opt->threads);
	if ((size_t)n > m->n_articles / CACHE_ADD_STEP + 1)
		n = (int)(m->n_articles / CACHE_ADD_STEP + 1);
	workers w;
	workers_start(&w, n - 1, cache_add_worker, &j, 0);
	cache_add_worker(&j); /* the calling thread takes its share */
	workers_join(&w);
	return (phare_status)atomic_load(&j.failed);
}

/* ---- patching (search/patch.h) ---- */

/* The live site's search folder of the language of that code (malloc'd). */
static char *cache_live_search(const builder *b, const char *code)
{
	char *rel = fsx_join(code, "search"), *dir = fsx_join(b->opt->out, rel);
	free(rel);
	return dir;
}

/* What the live site's file of language l holds, when its bytes are those
 * the last build recorded (search_patch_read_fn; ctx: cache_patch_read). */
typedef struct cache_patch_read {
	builder *b;
	const cache_lang *old;
} cache_patch_read;

static bool cache_patch_file(void *ctx, const char *name, buf *out)
{
	const cache_patch_read *r = ctx;
	uintptr_t at = (uintptr_t)map_get(&r->old->file_at, name);
	char *dir = at ? cache_live_search(r->b, r->old->code) : NULL, *file = dir ? fsx_join(dir, name) : NULL;
	bool ok = file && fsx_read(file, out, 0) == PHARE_OK &&
		  (cache_hash(0, out->ptr ? out->ptr : "", out->len) | 1) == r->old->file_hashes[at - 1];
	free(dir);
	free(file);
	return ok;
}

/* The number of art's page in language l's index (its rank by URL). */
static uint32_t cache_patch_id(const builder *b, size_t l, const char *url)
{
	const cache *c = b->cache;
	const model *m = &b->m;
	uint32_t id = 0;
	for (size_t i = 0; i < m->n_articles; i++)
		id += m->articles[i]->lang == l && c->slots[m->articles[i]->index].search &&
		      strcmp(m->articles[i]->url, url) < 0;
	for (size_t i = 0; i < c->langs[l].n_other; i++)
		id += strcmp(c->langs[l].other_urls[i], url) < 0;
	return id;
}

/* The changed pages of language l given to p: false when one cannot be. */
static bool cache_patch_pages(builder *b, size_t l, search_patch *p, size_t *changed)
{
	const cache *c = b->cache;
	const model *m = &b->m;
	buf path = BUF_INIT;
	bool ok = true;
	for (size_t i = 0; i < m->n_articles && ok; i++) {
		const article *art = m->articles[i];
		const cache_slot *slot = &c->slots[art->index];
		if (art->lang != l || !slot->patch_rec)
			continue;
		buf_reset(&path);
		cache_page_path(b, art, &path);
		size_t n = 0;
		const cache_entry *e = map_get(&c->by_path, path.ptr);
		const char *old = e ? cache_counted(c, e, &n) : NULL;
		if (!old) {
			ok = false;
		} else if (n != slot->patch_len || memcmp(old, slot->patch_rec, n) != 0) {
			ok = search_patch_page(p, cache_patch_id(b, l, art->url), old, n, slot->patch_rec,
					       slot->patch_len);
			++*changed;
		}
	}
	buf_release(&path);
	return ok;
}

/* The patched files and the last build's others, in place (the live
 * site's: intact, or each file checked); *files: how many were made. */
static phare_status cache_patch_place(builder *b, size_t l, const search_patch *p, const cache_lang *old, size_t *files)
{
	cache_lang *now = &((cache *)b->cache)->langs[l];
	phare_status s = PHARE_OK;
	map made = MAP_INIT;
	const char *name, *data;
	size_t len;
	*files = 0;
	for (size_t i = 0; !s && search_patch_file(p, i, &name, &data, &len); i++) {
		map_put(&made, name, (void *)1);
		if (!data)
			continue; /* a shard gone: not placed, the new site has none (pruned) */
		char *rel = arena_printf(&b->arena, "%s/search/%s", now->code, name);
		if (!cache_search_place(b, l, name, rel, cache_hash(0, data, len) | 1, true, true))
			s = output_file(b, rel, data, len);
		++*files;
	}
	for (size_t f = 0; !s && f < old->n_files; f++) {
		if (map_get(&made, old->file_names[f]))
			continue;
		char *rel = arena_printf(&b->arena, "%s/search/%s", now->code, old->file_names[f]);
		if (!cache_search_place(b, l, old->file_names[f], rel, old->file_hashes[f], true, true)) {
			diag_error(rel, 0, 0, "cannot link the last build's search file into the new site");
			s = PHARE_ERR_IO;
		}
	}
	map_release(&made);
	return s;
}

bool cache_search_patch(builder *b, size_t l, phare_status *st)
{
	cache *c = b->cache;
	*st = PHARE_OK;
	if (!c || (!c->live_intact && !c->old_site))
		return false;
	cache_lang *now = &c->langs[l];
	cache_lang_count(b, l);
	const cache_lang *old = cache_old_lang(c, now->code);
	const char *why = NULL;
	if (!old || !old->stamp || !old->state.len)
		why = "no index to patch";
	else if (old->docs != now->docs || old->count != now->count)
		why = "pages added, removed or moved";
	else if (old->others != now->others)
		why = "a table or questionnaire changed";
	else if (atomic_load(&c->counted_new[l]) > CACHE_PATCH_PAGES)
		why = "too many pages changed";
	search_patch *p = why ? NULL : search_patch_new(now->dict, old->state.ptr, old->state.len);
	if (!why && !p)
		why = "the state of the last index cannot be read";
	size_t changed = 0;
	if (!why && !cache_patch_pages(b, l, p, &changed))
		why = *search_patch_reason(p) ? search_patch_reason(p) : "a page's last record is missing";
	cache_patch_read ctx = { b, old };
	if (!why && !search_patch_apply(p, cache_patch_file, &ctx))
		why = search_patch_reason(p);
	char *dir = why || c->live_intact ? NULL : cache_live_search(b, now->code);
	if (dir && !cache_files_same(old, dir, NULL))
		why = "the site's search files are not the last build's";
	free(dir);
	if (why) {
		snprintf(now->how, sizeof now->how, "written whole (not patched: %s)", why);
		search_patch_free(p);
		return false;
	}
	size_t files;
	*st = cache_patch_place(b, l, p, old, &files);
	buf_reset(&now->state);
	search_patch_state(p, &now->state);
	snprintf(now->how, sizeof now->how, "patched: %zu page%s changed, %zu file%s made again", changed,
		 changed == 1 ? "" : "s", files, files == 1 ? "" : "s");
	search_patch_free(p);
	return true;
}

const char *cache_search_how(const builder *b, size_t l)
{
	const cache *c = b->cache;
	return c ? c->langs[l].how : "";
}

/* patch.c: a language's search index patched in place (patch.h).
 *
 * The files are read back as index_write.c made them: a shard is
 * {"k":[entry,…],"f":[entry,…]}\n, each entry copied as its bytes but for
 * the keys and forms the changed pages touch, which are made again.  The
 * shards' names stay those of the last write only if its split would come
 * out the same: each shard's entries' bytes (the state keeps them) are
 * added up for every prefix, and every decision split() took is checked
 * against the new sums (a prefix split stays over SEARCH_SHARD_BYTES, a
 * shard not split stays under it).  A word goes where split() would put it
 * given the prefixes the listed names say were split: a listed shard, or
 * a new one (a new word under a split prefix no listed word shares); a
 * shard left with no entry goes, as split() would make none.  meta.json,
 * which lists the shards, is then made again. */
#include "search/patch.h"

#include <stdlib.h>
#include <string.h>

#include "search/dict.h"
#include "search/index_int.h"
#include "util/arena.h"
#include "util/map.h"
#include "util/record.h"
#include "util/xalloc.h"

/* A page's record (index.c: part_record), read. */
typedef struct prec {
	const char *entry;
	size_t entry_len;
	uint32_t heads, len[F_N];
	uint32_t n_posts, n_forms;
	uint32_t *post_word; /* each posting's key, by dictionary number */
	posting *posts;
	uint32_t *form_word, *form_key; /* each form's surface and key, the same */
} prec;

typedef struct change {
	uint32_t id;
	prec old, now;
} change;

/* A page's posting of a key, as stored (index_write.c: entry_add), before
 * or after the change; in: the page has the key then. */
typedef struct side {
	bool in;
	uint32_t score, sect;
} side;

/* What a change does to page doc's posting of a key. */
typedef struct op {
	uint32_t doc;
	side was, now;
} op;

/* A key the changes touch, and the shard it is in. */
typedef struct kedit {
	const char *key;
	op *ops;
	size_t n_ops, cap_ops;
	size_t shard;
} kedit;

/* A form whose entry is made again: new, or with a smaller key, or gone. */
typedef struct fedit {
	const char *surface, *key;
	size_t shard;
	bool is_new, gone;
} fedit;

/* A form of the state: its surface and key by number, how many pages saw
 * it with that key as their smallest (0: not known) and with any key (0:
 * gone, no page has it any more). */
typedef struct pform {
	uint32_t surface, key, pages, seen;
} pform;

typedef struct pshard {
	const char *name;
	uint64_t total; /* its entries' bytes, each with its comma (index_write.c: item.bytes) */
	/* made again, and every entry's word is the name itself (a word of
	 * its own too large for one shard: split, it keeps its own) */
	bool again, only_self;
	bool fresh, gone; /* not in the last write; left with no entry */
} pshard;

typedef struct pfile {
	const char *name;
	buf data;
	bool gone; /* the last write's file, not in this one */
} pfile;

struct search_patch {
	search_dict *dict;
	uint64_t n_docs, sum[F_N];
	pshard *shards; /* by name, as written */
	size_t n_shards;
	pform *f; /* the forms */
	size_t n_forms, cap_forms;
	uint32_t *form_at; /* surface's number -> index + 1 */
	size_t n_form_at;
	change *changes;
	size_t n_changes, cap_changes;
	kedit *keys;
	size_t n_keys, cap_keys;
	map key_at; /* key -> index + 1 */
	fedit *forms;
	size_t n_fedits, cap_fedits;
	pfile *files;
	size_t n_files, cap_files;
	bool shards_moved; /* a shard added or gone: meta.json lists them */
	const char *reason;
	arena mem;
};

static bool declined(search_patch *p, const char *why)
{
	if (!p->reason)
		p->reason = why;
	return false;
}

/* ---- the state and the records ---- */

/* The state's format, written here and by index_write.c (index_int.h),
 * read by search_patch_new: its head; each shard; the number of forms,
 * then each form. */
void search_state_head(buf *o, uint64_t n_docs, const uint64_t sum[F_N], size_t n_shards)
{
	record_put_varint(o, SEARCH_STATE_VERSION);
	record_put_varint(o, n_docs);
	for (int f = 0; f < F_N; f++)
		record_put_varint(o, sum[f]);
	record_put_varint(o, n_shards);
}

void search_state_shard(buf *o, const char *name, uint64_t total)
{
	record_put_varint(o, strlen(name));
	buf_adds(o, name);
	record_put_varint(o, total);
}

void search_state_form(buf *o, uint32_t surface, uint32_t key, uint32_t pages, uint32_t seen)
{
	record_put_varint(o, surface);
	record_put_varint(o, key);
	record_put_varint(o, pages);
	record_put_varint(o, seen);
}

/* Length of the escaped unit at s (as index_write.c's esc_unit). */
static size_t unit_len(const char *s)
{
	if (*s != '_')
		return 1;
	const char *e = strchr(s + 1, '_');
	return e ? (size_t)(e - s) + 1 : strlen(s);
}

static const char *word_of(const search_patch *p, uint32_t w)
{
	size_t n;
	return search_dict_word(p->dict, w, &n);
}

search_patch *search_patch_new(search_dict *dict, const void *state, size_t len)
{
	if (!state)
		return NULL;
	record_reader r = { state, (const unsigned char *)state + len, false };
	if (record_get_varint(&r) != SEARCH_STATE_VERSION)
		return NULL;
	search_patch *p = xcalloc(1, sizeof *p);
	p->dict = dict;
	p->key_at = (map)MAP_INIT;
	p->mem = (arena)ARENA_INIT;
	p->n_docs = record_get_varint(&r);
	for (int f = 0; f < F_N; f++)
		p->sum[f] = record_get_varint(&r);
	uint64_t n = record_get_varint(&r);
	if (n > (uint64_t)(r.end - r.p) / 2)
		r.bad = true;
	p->shards = xcalloc(r.bad ? 1 : (size_t)n + 1, sizeof *p->shards);
	for (; p->n_shards < n && !r.bad; p->n_shards++) {
		size_t nl;
		const char *name = record_get_vbytes(&r, &nl);
		p->shards[p->n_shards].name = arena_strndup(&p->mem, name, nl);
		p->shards[p->n_shards].total = record_get_varint(&r);
		if (p->n_shards && strcmp(p->shards[p->n_shards - 1].name, p->shards[p->n_shards].name) >= 0)
			r.bad = true;
		size_t depth = 0; /* split_holds counts on the writer's depth */
		for (const char *u = p->shards[p->n_shards].name; *u; u += unit_len(u))
			depth++;
		if (depth > SEARCH_SHARD_DEPTH)
			r.bad = true;
	}
	n = record_get_varint(&r);
	if (n > (uint64_t)(r.end - r.p) / 4)
		r.bad = true;
	p->cap_forms = r.bad ? 1 : (size_t)n + 1;
	p->f = xcalloc(p->cap_forms, sizeof *p->f);
	for (; p->n_forms < n && !r.bad; p->n_forms++) {
		pform *f = &p->f[p->n_forms];
		f->surface = (uint32_t)record_get_varint(&r);
		f->key = (uint32_t)record_get_varint(&r);
		f->pages = (uint32_t)record_get_varint(&r);
		f->seen = (uint32_t)record_get_varint(&r);
		if (!f->seen || !word_of(p, f->surface) || !word_of(p, f->key))
			r.bad = true;
	}
	if (r.bad || r.p != r.end || !p->n_docs) {
		search_patch_free(p);
		return NULL;
	}
	return p;
}

/* A record as part_read_record (index.c) reads it. */
static bool prec_read(search_patch *p, prec *o, const void *rec, size_t len)
{
	record_reader r = { rec, (const unsigned char *)rec + len, false };
	o->entry = record_get_vbytes(&r, &o->entry_len);
	o->heads = (uint32_t)record_get_varint(&r);
	for (int f = 0; f < F_N; f++)
		o->len[f] = (uint32_t)record_get_varint(&r);
	uint64_t n = record_get_varint(&r);
	if (n > (uint64_t)(r.end - r.p))
		return false;
	o->n_posts = (uint32_t)n;
	o->post_word = arena_alloc(&p->mem, (n + 1) * sizeof *o->post_word);
	o->posts = arena_alloc(&p->mem, (n + 1) * sizeof *o->posts);
	for (uint32_t i = 0; i < o->n_posts && !r.bad; i++) {
		o->post_word[i] = (uint32_t)record_get_varint(&r);
		uint64_t flags = record_get_varint(&r);
		if (flags >> (F_N + 1) || !word_of(p, o->post_word[i]))
			r.bad = true;
		for (int f = 0; f < F_N; f++)
			if (flags & (1u << f))
				o->posts[i].tf[f] = (uint16_t)record_get_varint(&r);
		if (flags & (1u << F_N))
			o->posts[i].sect = (uint16_t)record_get_varint(&r);
	}
	n = record_get_varint(&r);
	if (r.bad || n > (uint64_t)(r.end - r.p))
		return false;
	o->n_forms = (uint32_t)n;
	o->form_word = arena_alloc(&p->mem, (n + 1) * sizeof *o->form_word);
	o->form_key = arena_alloc(&p->mem, (n + 1) * sizeof *o->form_key);
	for (uint32_t i = 0; i < o->n_forms && !r.bad; i++) {
		o->form_word[i] = (uint32_t)record_get_varint(&r);
		uint64_t k = record_get_varint(&r);
		if (k >= o->n_posts || !word_of(p, o->form_word[i]))
			r.bad = true;
		else
			o->form_key[i] = o->post_word[k];
	}
	return !r.bad && r.p == r.end;
}

bool search_patch_page(search_patch *p, uint32_t id, const void *old_rec, size_t old_len, const void *new_rec,
		       size_t new_len)
{
	p->changes = xgrow(p->changes, &p->cap_changes, p->n_changes + 1, sizeof *p->changes);
	change *c = &p->changes[p->n_changes];
	*c = (change){ .id = id };
	if (!prec_read(p, &c->old, old_rec, old_len) || !prec_read(p, &c->now, new_rec, new_len))
		return declined(p, "a page's search record cannot be read");
	p->n_changes++;
	return true;
}

/* ---- what the changes do to the keys and forms ---- */

static kedit *kedit_of(search_patch *p, const char *key)
{
	uintptr_t at = (uintptr_t)map_get(&p->key_at, key);
	if (!at) {
		p->keys = xgrow(p->keys, &p->cap_keys, p->n_keys + 1, sizeof *p->keys);
		p->keys[p->n_keys] = (kedit){ .key = key };
		at = ++p->n_keys;
		map_put(&p->key_at, key, (void *)at);
	}
	return &p->keys[at - 1];
}

static op *op_of(kedit *k, uint32_t page)
{
	for (size_t i = 0; i < k->n_ops; i++)
		if (k->ops[i].doc == page)
			return &k->ops[i];
	k->ops = xgrow(k->ops, &k->cap_ops, k->n_ops + 1, sizeof *k->ops);
	k->ops[k->n_ops] = (op){ .doc = page };
	return &k->ops[k->n_ops++];
}

/* The postings of page id in record r, before the change (after: false)
 * or after it, as each of its keys' ops. */
static bool change_side(search_patch *p, uint32_t id, const prec *r, const double avg[F_N], bool after)
{
	double norm[F_N];
	search_norms(r->len, avg, norm);
	for (uint32_t i = 0; i < r->n_posts; i++) {
		op *o = op_of(kedit_of(p, word_of(p, r->post_word[i])), id);
		side *sd = after ? &o->now : &o->was;
		if (sd->in)
			return declined(p, "a page's search record names a word twice");
		const posting *q = &r->posts[i];
		*sd = (side){ true, (uint32_t)search_score(q, norm), q->sect <= r->heads ? q->sect : 0 };
	}
	return true;
}

/* Whether record r has form surface s with key k. */
static bool prec_has_form(const prec *r, uint32_t s, uint32_t k)
{
	for (uint32_t i = 0; i < r->n_forms; i++)
		if (r->form_word[i] == s)
			return r->form_key[i] == k;
	return false;
}

static size_t form_index(search_patch *p, uint32_t s)
{
	if (!p->form_at) {
		for (size_t i = 0; i < p->n_forms; i++)
			if (p->f[i].surface >= p->n_form_at)
				p->n_form_at = (size_t)p->f[i].surface + 1;
		p->form_at = xcalloc(p->n_form_at + 1, sizeof *p->form_at);
		for (size_t i = 0; i < p->n_forms; i++)
			p->form_at[p->f[i].surface] = (uint32_t)i + 1;
	}
	return s < p->n_form_at ? p->form_at[s] : 0;
}

/* Form f's entry to make again (or to remove, when no page has it). */
static void fedit_add(search_patch *p, const pform *f, bool is_new)
{
	for (size_t i = 0; i < p->n_fedits; i++)
		if (p->forms[i].surface == word_of(p, f->surface)) { /* made once, as it ends */
			p->forms[i].key = word_of(p, f->key);
			p->forms[i].gone = !f->seen;
			return;
		}
	p->forms = xgrow(p->forms, &p->cap_fedits, p->n_fedits + 1, sizeof *p->forms);
	p->forms[p->n_fedits++] = (fedit){
		.surface = word_of(p, f->surface), .key = word_of(p, f->key), .is_new = is_new, .gone = !f->seen
	};
}

/* A page no longer has form s with key k: the form stays as it is when
 * other pages saw it with its key (the state counts them), and goes when
 * no page has it. */
static bool form_gone(search_patch *p, uint32_t s, uint32_t k)
{
	size_t i = form_index(p, s);
	pform *f = i ? &p->f[i - 1] : NULL;
	if (!f || !f->seen)
		return declined(p, "a form the index does not have");
	f->seen--;
	if (f->key == k) {
		if (f->pages <= 1 && f->seen)
			return declined(p, "a form's key comes from the changed page only");
		f->pages -= f->pages > 0;
	} else if (strcmp(word_of(p, k), word_of(p, f->key)) < 0) {
		return declined(p, "a form's key is not the state's");
	}
	if (!f->seen)
		fedit_add(p, f, false);
	return true;
}

/* A page has form s with key k: a new form, or its key now the smaller. */
static void form_seen(search_patch *p, uint32_t s, uint32_t k)
{
	size_t i = form_index(p, s);
	pform *f = i ? &p->f[i - 1] : NULL;
	if (!f) {
		p->f = xgrow(p->f, &p->cap_forms, p->n_forms + 1, sizeof *p->f);
		f = &p->f[p->n_forms++];
		*f = (pform){ s, k, 1, 1 };
		if (s >= p->n_form_at) {
			size_t was = p->n_form_at;
			p->form_at = xgrow(p->form_at, &p->n_form_at, (size_t)s + 1, sizeof *p->form_at);
			memset(p->form_at + was, 0, (p->n_form_at - was) * sizeof *p->form_at);
		}
		p->form_at[s] = (uint32_t)p->n_forms;
		fedit_add(p, f, true);
	} else if (!f->seen) { /* gone with another page, back with this one */
		*f = (pform){ s, k, 1, 1 };
		fedit_add(p, f, false);
	} else if (f->key == k) {
		f->pages++;
		f->seen++;
	} else if (strcmp(word_of(p, k), word_of(p, f->key)) < 0) {
		f->key = k;
		f->pages = 1;
		f->seen++;
		fedit_add(p, f, false);
	} else {
		f->seen++;
	}
}

static bool change_forms(search_patch *p)
{
	for (size_t c = 0; c < p->n_changes; c++) { /* all that leave, then all that come */
		const prec *old = &p->changes[c].old, *now = &p->changes[c].now;
		for (uint32_t i = 0; i < old->n_forms; i++)
			if (!prec_has_form(now, old->form_word[i], old->form_key[i]) &&
			    !form_gone(p, old->form_word[i], old->form_key[i]))
				return false;
	}
	for (size_t c = 0; c < p->n_changes; c++) {
		const prec *old = &p->changes[c].old, *now = &p->changes[c].now;
		for (uint32_t i = 0; i < now->n_forms; i++)
			if (!prec_has_form(old, now->form_word[i], now->form_key[i]))
				form_seen(p, now->form_word[i], now->form_key[i]);
	}
	return true;
}

/* ---- the shards ---- */

static int cmp_shard_name(const void *k, const void *e) { return strcmp(k, ((const pshard *)e)->name); }

static size_t shard_named(const search_patch *p, const char *name)
{
	const pshard *s = bsearch(name, p->shards, p->n_shards, sizeof *p->shards, cmp_shard_name);
	return s ? (size_t)(s - p->shards) : p->n_shards;
}

/* Whether shard i's name starts another's (its prefix was split). */
static bool shard_split(const search_patch *p, size_t i)
{
	size_t n = strlen(p->shards[i].name);
	return i + 1 < p->n_shards && strncmp(p->shards[i + 1].name, p->shards[i].name, n) == 0;
}

/* Whether a listed name is longer than the prefix esc[0..n) and starts
 * with it: split() split that prefix (a split prefix always lists a longer
 * name but when every word of it is the prefix itself, a case split_holds
 * declines). */
static bool prefix_split(const search_patch *p, const char *esc, size_t n)
{
	size_t lo = 0, hi = p->n_shards;
	while (lo < hi) { /* the first name not below the prefix */
		size_t mid = lo + (hi - lo) / 2;
		const char *name = p->shards[mid].name;
		if (strncmp(name, esc, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < p->n_shards && strlen(p->shards[lo].name) == n && !strncmp(p->shards[lo].name, esc, n))
		lo++;
	return lo < p->n_shards && strncmp(p->shards[lo].name, esc, n) == 0;
}

/* The name of the shard word goes to, as split() would name it (index.h):
 * down the split prefixes of its escaped spelling to the first one not
 * split, or to the word itself; a name not listed yet is added, empty, as
 * a new shard (the others' numbers move: shard_named once all are in). */
static const char *shard_for(search_patch *p, const char *word)
{
	buf esc = BUF_INIT;
	search_shard_escape(word, &esc);
	const char *e = esc.ptr ? esc.ptr : "";
	size_t at = 0;
	for (int depth = 0; depth < SEARCH_SHARD_DEPTH && at < esc.len && prefix_split(p, e, at); depth++)
		at += unit_len(e + at);
	char *name = arena_strndup(&p->mem, e, at);
	buf_release(&esc);
	if (shard_named(p, name) < p->n_shards)
		return name;
	p->shards = xrealloc(p->shards, (p->n_shards + 2) * sizeof *p->shards);
	size_t i = p->n_shards;
	for (; i > 0 && strcmp(p->shards[i - 1].name, name) > 0; i--)
		p->shards[i] = p->shards[i - 1];
	p->shards[i] = (pshard){ .name = name, .fresh = true };
	p->n_shards++;
	p->shards_moved = true;
	return name;
}

/* A shard's entries, as read. */
typedef struct span {
	const char *ptr;
	size_t len;
	const char *word; /* the key or the surface: in the shard's text, up to its '"' */
	size_t word_len;
} span;

typedef struct parsed {
	span *k, *f;
	size_t n_k, n_f, cap_k, cap_f;
} parsed;

/* The string at *s ("...", no escape in a word), its contents in *w. */
static bool parse_word(const char **s, const char *end, const char **w, size_t *n)
{
	const char *q = *s;
	if (q >= end || *q != '"')
		return false;
	const char *close = memchr(q + 1, '"', (size_t)(end - q - 1));
	if (!close || memchr(q + 1, '\\', (size_t)(close - q - 1)))
		return false;
	*w = q + 1;
	*n = (size_t)(close - q - 1);
	*s = close + 1;
	return true;
}

/* One list of entries ([…,…]) at *s: keys ["key",[numbers]] or forms ["surface","key"]. */
static bool parse_list(const char **s, const char *end, bool keys, span **out, size_t *n, size_t *cap)
{
	const char *q = *s;
	if (q >= end || *q++ != '[')
		return false;
	while (q < end && *q != ']') {
		if (*n && *q++ != ',')
			return false;
		span e = { .ptr = q };
		if (q >= end || *q++ != '[' || !parse_word(&q, end, &e.word, &e.word_len) || q >= end || *q++ != ',')
			return false;
		if (keys) {
			const char *close = memchr(q, ']', (size_t)(end - q));
			if (!close || *q != '[')
				return false;
			q = close + 1;
		} else {
			const char *w;
			size_t wn;
			if (!parse_word(&q, end, &w, &wn))
				return false;
		}
		if (q >= end || *q++ != ']')
			return false;
		e.len = (size_t)(q - e.ptr);
		*out = xgrow(*out, cap, *n + 1, sizeof **out);
		(*out)[(*n)++] = e;
	}
	if (q >= end)
		return false;
	*s = q + 1;
	return true;
}

static bool parse_shard(const buf *b, parsed *ps)
{
	const char *s = b->ptr ? b->ptr : "", *end = s + b->len;
	if (b->len < 16 || strncmp(s, "{\"k\":", 5) != 0)
		return false;
	s += 5;
	if (!parse_list(&s, end, true, &ps->k, &ps->n_k, &ps->cap_k) || end - s < 5 || strncmp(s, ",\"f\":", 5) != 0)
		return false;
	s += 5;
	return parse_list(&s, end, false, &ps->f, &ps->n_f, &ps->cap_f) && end - s == 2 && strcmp(s, "}\n") == 0;
}

/* strcmp of a span's word and w. */
static int cmp_word(const span *e, const char *w)
{
	size_t n = strlen(w);
	int c = memcmp(e->word, w, e->word_len < n ? e->word_len : n);
	return c ? c : e->word_len < n ? -1 : e->word_len > n;
}

typedef struct post3 {
	uint32_t doc, score, sect;
} post3;

/* The digits of v at p; returns the end (not printf: a long posting list
 * is millions of numbers in a rebuild). */
static char *put_num(char *p, uint32_t v)
{
	char tmp[10];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* The number at *s, as the index writes it (decimal digits, below 2^32),
 * then past its ',' if one follows; false when none is there, or when
 * something else follows. */
static bool read_num(const char **s, const char *end, uint32_t *v)
{
	const char *q = *s;
	uint64_t n = 0;
	while (q < end && *q >= '0' && *q <= '9' && n <= UINT32_MAX)
		n = n * 10 + (uint64_t)(*q++ - '0');
	if (q == *s || n > UINT32_MAX || (q < end && *q != ','))
		return false;
	*v = (uint32_t)n;
	*s = q + (q < end);
	return true;
}

/* Key k's entry made again from its old one (NULL: none) and its ops. */
static bool key_entry(search_patch *p, const kedit *k, const span *old, buf *o)
{
	post3 *l = NULL;
	size_t n = 0, cap = 0;
	if (old) { /* ["key",[d,s,x,…]] */
		const char *s = old->word + old->word_len + 3, *end = old->ptr + old->len - 2;
		uint32_t page = 0;
		while (s < end) {
			uint32_t v[3];
			for (int i = 0; i < 3; i++)
				if (!read_num(&s, end, &v[i])) {
					free(l);
					return declined(p, "a shard does not read as the index writes it");
				}
			page += v[0];
			l = xgrow(l, &cap, n + 1, sizeof *l);
			l[n++] = (post3){ page, v[1], v[2] };
		}
	}
	for (size_t i = 0; i < k->n_ops; i++) {
		const op *x = &k->ops[i];
		size_t at = 0;
		while (at < n && l[at].doc < x->doc)
			at++;
		bool there = at < n && l[at].doc == x->doc;
		if (there != x->was.in || (there && (l[at].score != x->was.score || l[at].sect != x->was.sect))) {
			free(l);
			return declined(p, "a shard is not what the state says");
		}
		if (there && x->now.in) {
			l[at] = (post3){ x->doc, x->now.score, x->now.sect };
		} else if (there) {
			memmove(l + at, l + at + 1, (n - at - 1) * sizeof *l);
			n--;
		} else if (x->now.in) {
			l = xgrow(l, &cap, n + 1, sizeof *l);
			memmove(l + at + 1, l + at, (n - at) * sizeof *l);
			l[at] = (post3){ x->doc, x->now.score, x->now.sect };
			n++;
		}
	}
	if (!n) { /* no entry: its shard may well lose it (split_holds) */
		free(l);
		return true;
	}
	buf_addc(o, '[');
	buf_add_json_str(o, k->key, strlen(k->key));
	buf_adds(o, ",[");
	for (size_t i = 0; i < n; i++) {
		char triple[3 * 11 + 1], *t = triple;
		if (i)
			*t++ = ',';
		t = put_num(t, l[i].doc - (i ? l[i - 1].doc : 0));
		*t++ = ',';
		t = put_num(t, l[i].score);
		*t++ = ',';
		t = put_num(t, l[i].sect);
		buf_add(o, triple, (size_t)(t - triple));
	}
	buf_adds(o, "]]");
	free(l);
	return true;
}

static void form_entry(const fedit *f, buf *o)
{
	buf_addc(o, '[');
	buf_add_json_str(o, f->surface, strlen(f->surface));
	buf_addc(o, ',');
	buf_add_json_str(o, f->key, strlen(f->key));
	buf_addc(o, ']');
}

static int cmp_kedit(const void *a, const void *b)
{
	return strcmp((*(kedit *const *)a)->key, (*(kedit *const *)b)->key);
}

static int cmp_fedit(const void *a, const void *b)
{
	return strcmp((*(fedit *const *)a)->surface, (*(fedit *const *)b)->surface);
}

static buf *file_new(search_patch *p, const char *name)
{
	p->files = xgrow(p->files, &p->cap_files, p->n_files + 1, sizeof *p->files);
	p->files[p->n_files] = (pfile){ arena_strdup(&p->mem, name), BUF_INIT, false };
	return &p->files[p->n_files++].data;
}

/* Adds entry e (bytes[0..n)) to o after the others of its list, counting its bytes. */
static void entry_out(buf *o, size_t *count, uint64_t *total, const char *e, size_t n)
{
	if ((*count)++)
		buf_addc(o, ',');
	buf_add(o, e, n);
	*total += n + 1;
}

/* Whether every entry of the shard text o is of the word name (escaped). */
static bool only_self(const char *name, const buf *o)
{
	parsed ps = { 0 };
	bool ok = parse_shard(o, &ps);
	buf esc = BUF_INIT, word = BUF_INIT;
	for (size_t i = 0; ok && i < ps.n_k + ps.n_f; i++) {
		const span *e = i < ps.n_k ? &ps.k[i] : &ps.f[i - ps.n_k];
		buf_reset(&esc);
		buf_reset(&word);
		buf_add(&word, e->word, e->word_len);
		search_shard_escape(word.ptr, &esc);
		ok = strcmp(esc.ptr, name) == 0;
	}
	buf_release(&esc);
	buf_release(&word);
	free(ps.k);
	free(ps.f);
	return ok;
}

/* Shard i made again with the keys ke[0..nk) and forms fe[0..nf) that go
 * to it (each sorted), its total counted anew. */
static bool shard_again(search_patch *p, size_t i, const buf *old, kedit **ke, size_t nk, fedit **fe, size_t nf)
{
	parsed ps = { 0 };
	bool ok = parse_shard(old, &ps) || declined(p, "a shard does not read as the index writes it");
	buf *o = file_new(p, arena_printf(&p->mem, *p->shards[i].name ? "t-%s.json" : "t.json", p->shards[i].name));
	buf entry = BUF_INIT;
	uint64_t total = 0;
	size_t count = 0, a = 0, b = 0;
	buf_adds(o, "{\"k\":[");
	while (ok && (a < ps.n_k || b < nk)) {
		int c = a == ps.n_k ? 1 : b == nk ? -1 : cmp_word(&ps.k[a], ke[b]->key);
		buf_reset(&entry);
		if (c < 0) {
			entry_out(o, &count, &total, ps.k[a].ptr, ps.k[a].len);
			a++;
			continue;
		}
		ok = key_entry(p, ke[b], c == 0 ? &ps.k[a] : NULL, &entry);
		if (ok && entry.len) /* none: no page has the key any more */
			entry_out(o, &count, &total, entry.ptr, entry.len);
		a += c == 0;
		b++;
	}
	buf_adds(o, "],\"f\":[");
	count = a = b = 0;
	while (ok && (a < ps.n_f || b < nf)) {
		int c = a == ps.n_f ? 1 : b == nf ? -1 : cmp_word(&ps.f[a], fe[b]->surface);
		if (c < 0) {
			entry_out(o, &count, &total, ps.f[a].ptr, ps.f[a].len);
			a++;
			continue;
		}
		if ((c == 0) == fe[b]->is_new) /* a new form there already, or another not there */
			ok = declined(p, "a shard is not what the state says");
		buf_reset(&entry);
		form_entry(fe[b], &entry);
		if (ok && !fe[b]->gone)
			entry_out(o, &count, &total, entry.ptr, entry.len);
		a += c == 0;
		b++;
	}
	buf_adds(o, "]}\n");
	if (!total) { /* none: no file (the last write's, if any, goes) */
		buf_release(o);
		if (p->shards[i].fresh)
			p->n_files--;
		else
			p->files[p->n_files - 1].gone = true;
		p->shards[i].gone = true;
		p->shards_moved = true;
		if (!*p->shards[i].name)
			ok = declined(p, "the index would have no word");
	}
	p->shards[i].total = total;
	p->shards[i].again = true;
	if (ok && total > SEARCH_SHARD_BYTES)
		p->shards[i].only_self = only_self(p->shards[i].name, o);
	buf_release(&entry);
	free(ps.k);
	free(ps.f);
	return ok;
}

/* Every decision split() (index_write.c) took holds with the new totals:
 * its shards' names would come out the same. */
static bool split_holds(search_patch *p)
{
	map sums = MAP_INIT;
	arena names = ARENA_INIT;
	uint64_t *vals = xcalloc(p->n_shards * (SEARCH_SHARD_DEPTH + 1) + 1, sizeof *vals);
	size_t n_vals = 0;
	for (size_t i = 0; i < p->n_shards; i++) { /* each prefix's sum */
		const char *name = p->shards[i].name;
		for (size_t at = 0;; at += unit_len(name + at)) {
			uint64_t *v = map_getn(&sums, name, at);
			if (!v) {
				v = &vals[n_vals++];
				map_put(&sums, arena_strndup(&names, name, at), v);
			}
			*v += p->shards[i].total;
			if (!name[at])
				break;
		}
	}
	bool ok = true;
	for (size_t i = 0; i < p->n_shards && ok; i++) {
		const char *name = p->shards[i].name;
		size_t depth = 0;
		for (size_t at = 0;; at += unit_len(name + at), depth++) {
			bool split = name[at] || shard_split(p, i);
			uint64_t sum = *(uint64_t *)map_getn(&sums, name, at);
			bool would = sum > SEARCH_SHARD_BYTES && depth < SEARCH_SHARD_DEPTH;
			/* split with no word longer than its name: no child, the same shard */
			if (!split && would && (!p->shards[i].again || p->shards[i].only_self))
				would = false;
			if (split != would) {
				ok = declined(p, "a shard would split, or join another");
				break;
			}
			if (!name[at])
				break;
		}
	}
	free(vals);
	map_release(&sums);
	arena_release(&names);
	return ok;
}

/* The shards left with no entry taken out of the list. */
static void shards_settle(search_patch *p)
{
	size_t n = 0;
	for (size_t i = 0; i < p->n_shards; i++)
		if (!p->shards[i].gone)
			p->shards[n++] = p->shards[i];
	p->n_shards = n;
}

/* The shards the changes touch, made again. */
static bool shards_again(search_patch *p, search_patch_read_fn read, void *ctx)
{
	kedit **ke = xcalloc(p->n_keys + 1, sizeof(kedit *));
	fedit **fe = xcalloc(p->n_fedits + 1, sizeof(fedit *));
	const char **to = xcalloc(p->n_keys + p->n_fedits + 1, sizeof(char *)); /* keys', then forms' shards */
	size_t nk = 0, nf = 0;
	bool ok = true;
	for (size_t i = 0; i < p->n_keys; i++) {
		kedit *k = &p->keys[i];
		bool moves = false;
		for (size_t j = 0; j < k->n_ops; j++)
			moves |= k->ops[j].was.in != k->ops[j].now.in || k->ops[j].was.score != k->ops[j].now.score ||
				 k->ops[j].was.sect != k->ops[j].now.sect;
		if (!moves)
			continue; /* its postings come out as they were */
		to[nk] = shard_for(p, k->key);
		ke[nk++] = k;
	}
	for (size_t i = 0; i < p->n_fedits; i++) {
		to[nk + nf] = shard_for(p, p->forms[i].surface);
		fe[nf++] = &p->forms[i];
	}
	for (size_t i = 0; i < nk; i++) /* every new shard in: the numbers hold */
		ke[i]->shard = shard_named(p, to[i]);
	for (size_t i = 0; i < nf; i++)
		fe[i]->shard = shard_named(p, to[nk + i]);
	free(to);
	qsort(ke, nk, sizeof(kedit *), cmp_kedit);
	qsort(fe, nf, sizeof(fedit *), cmp_fedit);
	buf old = BUF_INIT;
	kedit **sk = xcalloc(nk + 1, sizeof(kedit *));
	fedit **sf = xcalloc(nf + 1, sizeof(fedit *));
	for (size_t i = 0; i < p->n_shards && ok; i++) {
		size_t a = 0, b = 0;
		for (size_t j = 0; j < nk; j++)
			if (ke[j]->shard == i)
				sk[a++] = ke[j];
		for (size_t j = 0; j < nf; j++)
			if (fe[j]->shard == i)
				sf[b++] = fe[j];
		if (!a && !b)
			continue;
		buf_reset(&old);
		const char *name = arena_printf(&p->mem, *p->shards[i].name ? "t-%s.json" : "t.json",
						p->shards[i].name);
		if (p->shards[i].fresh)
			buf_adds(&old, "{\"k\":[],\"f\":[]}\n");
		else if (!read(ctx, name, &old))
			ok = declined(p, "a file of the last index cannot be read");
		ok = ok && shard_again(p, i, &old, sk, a, sf, b);
	}
	buf_release(&old);
	free(sk);
	free(sf);
	free(ke);
	free(fe);
	if (ok)
		shards_settle(p);
	return ok && split_holds(p);
}

/* ---- the pages' entries and meta.json ---- */

static bool chunks_again(search_patch *p, search_patch_read_fn read, void *ctx)
{
	for (size_t c = 0; c < p->n_changes; c++) {
		uint32_t id = p->changes[c].id, chunk = id / SEARCH_DOCS_PER_CHUNK;
		bool again = false; /* its chunk made already, by an earlier change */
		for (size_t e = 0; e < c; e++)
			again |= p->changes[e].id / SEARCH_DOCS_PER_CHUNK == chunk;
		if (again)
			continue;
		const char *name = arena_printf(&p->mem, "d-%u.json", chunk);
		buf old = BUF_INIT;
		if (!read(ctx, name, &old)) {
			buf_release(&old);
			return declined(p, "a file of the last index cannot be read");
		}
		/* [e0,\ne1,\n…]\n: an entry holds no newline (JSON escapes them) */
		const char *s = old.ptr ? old.ptr : "", *end = s + old.len;
		bool ok = old.len >= 3 && *s == '[' && end[-2] == ']' && end[-1] == '\n';
		buf *o = file_new(p, name);
		buf_addc(o, '[');
		s++;
		size_t seen = 0, in_chunk = 0; /* the changes met, of those in the chunk */
		for (size_t k = 0; k < p->n_changes; k++)
			in_chunk += p->changes[k].id / SEARCH_DOCS_PER_CHUNK == chunk;
		for (uint32_t i = chunk * SEARCH_DOCS_PER_CHUNK; ok && s < end - 2; i++) {
			const char *nl = memchr(s, '\n', (size_t)(end - 2 - s));
			const char *e = nl ? nl - 1 : end - 2; /* the entry ends before ",\n" */
			if (nl && *e != ',')
				ok = false;
			const prec *was = NULL, *now = NULL;
			for (size_t k = 0; k < p->n_changes; k++)
				if (p->changes[k].id == i) {
					was = &p->changes[k].old;
					now = &p->changes[k].now;
				}
			if (i != chunk * SEARCH_DOCS_PER_CHUNK)
				buf_adds(o, ",\n");
			if (was && ((size_t)(e - s) != was->entry_len || memcmp(s, was->entry, was->entry_len)))
				ok = false;
			seen += now != NULL;
			if (now)
				buf_add(o, now->entry, now->entry_len);
			else
				buf_add(o, s, (size_t)(e - s));
			s = nl ? nl + 1 : end - 2;
		}
		buf_adds(o, "]\n");
		buf_release(&old);
		if (!ok || seen != in_chunk)
			return declined(p, "a page's entry is not what the state says");
	}
	return true;
}

/* The learned suffixes, as index_write.c lists them, of the forms as they are now. */
static void suffixes_now(const search_patch *p, buf *sfx)
{
	const char **surf = xcalloc(2 * p->n_forms + 1, sizeof *surf), **key = surf + p->n_forms;
	size_t n = 0;
	for (size_t i = 0; i < p->n_forms; i++)
		if (p->f[i].seen) {
			surf[n] = word_of(p, p->f[i].surface);
			key[n++] = word_of(p, p->f[i].key);
		}
	search_learned_suffixes(surf, key, n, sfx);
	free(surf);
}

/* The span of old's list after key ("\"shards\":[") up to its "]". */
static bool meta_list(const buf *old, const char *key, const char **from, const char **to)
{
	const char *at = NULL;
	for (const char *s = old->ptr; s && (s = strstr(s, key)); s++)
		at = s; /* the last: no word holds the key's quote */
	if (!at)
		return false;
	*from = at + strlen(key);
	*to = strchr(*from, ']');
	return *to != NULL;
}

/* meta.json with the shards as listed now and the suffixes learned from
 * the forms as they are now (index_write.c writes shards, stop words, suffixes). */
static bool meta_again(search_patch *p, search_patch_read_fn read, void *ctx)
{
	if (!p->n_fedits && !p->shards_moved)
		return true; /* the same shards, the forms' entries the same: so are the suffixes */
	buf old = BUF_INIT, now = BUF_INIT;
	bool ok = read(ctx, "meta.json", &old) || declined(p, "a file of the last index cannot be read");
	const char *sh0 = NULL, *sh1 = NULL, *sx0 = NULL, *sx1 = NULL;
	ok = ok && old.len > 3 && strcmp(old.ptr + old.len - 3, "]}\n") == 0 &&
	     meta_list(&old, ",\"shards\":[", &sh0, &sh1) && meta_list(&old, ",\"suffixes\":[", &sx0, &sx1) &&
	     sh1 < sx0 && sx1 == old.ptr + old.len - 3;
	if (!ok) {
		buf_release(&old);
		return declined(p, "meta.json does not read as the index writes it");
	}
	buf_add(&now, old.ptr, (size_t)(sh0 - old.ptr));
	for (size_t i = 0; i < p->n_shards; i++) {
		if (i)
			buf_addc(&now, ',');
		buf_add_json_str(&now, p->shards[i].name, strlen(p->shards[i].name));
	}
	buf_add(&now, sh1, (size_t)(sx0 - sh1));
	if (p->n_fedits)
		suffixes_now(p, &now);
	else
		buf_add(&now, sx0, (size_t)(sx1 - sx0));
	buf_adds(&now, "]}\n");
	if (now.len != old.len || memcmp(now.ptr, old.ptr, now.len) != 0) {
		buf *o = file_new(p, "meta.json");
		*o = now;
		now = (buf)BUF_INIT;
	}
	buf_release(&old);
	buf_release(&now);
	return true;
}

bool search_patch_apply(search_patch *p, search_patch_read_fn read, void *ctx)
{
	if (p->reason)
		return false;
	uint64_t sum[F_N];
	memcpy(sum, p->sum, sizeof sum);
	for (size_t c = 0; c < p->n_changes; c++) {
		if (p->changes[c].id >= p->n_docs)
			return declined(p, "a page the index does not have");
		for (int f = 0; f < F_N; f++) {
			if (sum[f] < p->changes[c].old.len[f])
				return declined(p, "the state's lengths are not the pages'");
			sum[f] = sum[f] - p->changes[c].old.len[f] + p->changes[c].now.len[f];
		}
	}
	double avg[F_N], avg_now[F_N];
	search_avgs(p->sum, (size_t)p->n_docs, avg);
	search_avgs(sum, (size_t)p->n_docs, avg_now);
	for (int f = 0; f < F_N; f++) /* the same step: the same double, bit for bit (search_avgs) */
		if (avg[f] < avg_now[f] || avg[f] > avg_now[f])
			return declined(p, "an average field length moved to another rounding step");
	memcpy(p->sum, sum, sizeof sum);
	for (size_t c = 0; c < p->n_changes; c++)
		if (!change_side(p, p->changes[c].id, &p->changes[c].old, avg, false) ||
		    !change_side(p, p->changes[c].id, &p->changes[c].now, avg, true))
			return false;
	return change_forms(p) && shards_again(p, read, ctx) && chunks_again(p, read, ctx) && meta_again(p, read, ctx);
}

bool search_patch_file(const search_patch *p, size_t i, const char **name, const char **data, size_t *len)
{
	if (i >= p->n_files)
		return false;
	*name = p->files[i].name;
	*data = p->files[i].gone ? NULL : p->files[i].data.ptr ? p->files[i].data.ptr : "";
	*len = p->files[i].data.len;
	return true;
}

void search_patch_state(const search_patch *p, buf *o)
{
	search_state_head(o, p->n_docs, p->sum, p->n_shards);
	for (size_t i = 0; i < p->n_shards; i++)
		search_state_shard(o, p->shards[i].name, p->shards[i].total);
	size_t n = 0;
	for (size_t i = 0; i < p->n_forms; i++)
		n += p->f[i].seen != 0;
	record_put_varint(o, n);
	for (size_t i = 0; i < p->n_forms; i++)
		if (p->f[i].seen)
			search_state_form(o, p->f[i].surface, p->f[i].key, p->f[i].pages, p->f[i].seen);
}

const char *search_patch_reason(const search_patch *p) { return p->reason ? p->reason : ""; }

void search_patch_free(search_patch *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_keys; i++)
		free(p->keys[i].ops);
	for (size_t i = 0; i < p->n_files; i++)
		buf_release(&p->files[i].data);
	free(p->files);
	free(p->keys);
	free(p->forms);
	free(p->changes);
	free(p->shards);
	free(p->f);
	free(p->form_at);
	map_release(&p->key_at);
	arena_release(&p->mem);
	free(p);
}

/* test_search.c: search words (folding, stop words, stemming in fr/en/de/es/it),
 * page text extraction, and the written index: ranking, deep links, forms,
 * shards, determinism and concurrent adds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/markdown.h"
#include "search/dict.h"
#include "search/index.h"
#include "search/page.h"
#include "search/patch.h"
#include "search/text.h"
#include "util/buf.h"
#include "util/fsx.h"

static char *folded(const char *s)
{
	buf b = BUF_INIT;
	search_text_fold(s, strlen(s), &b);
	return buf_detach(&b, NULL);
}

static void fold_case_and_accents(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "Système", "systeme" }, { "NOYAU", "noyau" }, { "Häuser", "hauser" },
		{ "Straße", "strasse" }, { "ŒUVRE Æther", "oeuvre aether" }, { "ÀÉÎÕÜÇÑ", "aeiouçn" },
		{ "Ελλάδα", "ελλαδα" }, { "Ёлка", "елка" }, { "e\xcc\x81t\xc3\xa9", "ete" },
		{ "x86_64", "x86_64" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *f = folded(cases[i][0]);
		/* ç and ñ fold too: fix the expectation of that one row here. */
		const char *want = i == 5 ? "aeioucn" : cases[i][1];
		assert_string_equal(f, want);
		free(f);
	}
	buf b = BUF_INIT;
	search_text_lower("ÉCOLE Häuser", strlen("ÉCOLE Häuser"), &b);
	assert_string_equal(b.ptr, "école häuser");
	buf_release(&b);
}

static void split_words(void **state)
{
	(void)state;
	const char *s = "l’isolation du «noyau»—Linux, x86_64 IPv6 l'API: c'est ça. \xff bad";
	static const char *const want[] = { "l", "isolation", "du", "noyau", "Linux", "x86", "64",
					    "IPv6", "l", "API", "c", "est", "ça", "bad" };
	size_t pos = 0, start, len, k = 0;
	while (search_text_next_word(s, strlen(s), &pos, &start, &len)) {
		assert_true(k < sizeof want / sizeof want[0]);
		assert_int_equal(len, strlen(want[k]));
		assert_memory_equal(s + start, want[k], len);
		k++;
	}
	assert_int_equal(k, sizeof want / sizeof want[0]);
}

/* The key of word in lang, or "" when it has none. */
static char *key_of(const char *lang, const char *word)
{
	search_text *t = search_text_new(lang);
	buf k = BUF_INIT;
	bool ok = search_text_key(t, word, strlen(word), &k, NULL);
	assert_true(ok == (k.len > 0));
	search_text_free(t);
	return buf_detach(&k, NULL);
}

static void stems_per_language(void **state)
{
	(void)state;
	/* lang, a, b: a and b share a key. */
	static const char *const same[][3] = {
		{ "fr", "Conteneurs", "conteneur" }, { "fr", "système", "systeme" },
		{ "fr", "Systèmes", "système" },    { "fr", "Noyau", "noyau" },
		{ "fr", "légers", "légère" },         { "fr", "virtualisations", "virtualisation" },
		{ "en", "kernels", "kernel" },       { "en", "Virtualization", "virtualize" },
		{ "en", "containers", "container" }, { "de", "Häuser", "Haus" },
		{ "de", "Häuser", "hauser" },        { "es", "contenedores", "contenedor" },
		{ "es", "Máquinas", "maquina" },     { "it", "contenitori", "contenitore" },
		{ "it", "Macchine", "macchina" },    { "xx", "Système", "systeme" },
	};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		char *a = key_of(same[i][0], same[i][1]), *b = key_of(same[i][0], same[i][2]);
		if (strcmp(a, b) != 0 || !*a)
			fail_msg("%s: \"%s\" -> \"%s\" but \"%s\" -> \"%s\"", same[i][0], same[i][1], a,
				 same[i][2], b);
		free(a);
		free(b);
	}
	char *a = key_of("fr", "noyau"), *b = key_of("fr", "conteneur");
	assert_string_not_equal(a, b);
	free(a);
	free(b);
	/* Without a stemmer, only folding: plurals stay apart. */
	a = key_of("xx", "kernels");
	assert_string_equal(a, "kernels");
	free(a);
	a = key_of("en", "kernels");
	assert_string_equal(a, "kernel");
	free(a);
}

static void stop_words_dropped(void **state)
{
	(void)state;
	static const char *const dropped[][2] = {
		{ "fr", "les" }, { "fr", "Dans" }, { "fr", "été" }, { "en", "The" }, { "en", "with" },
		{ "de", "und" }, { "de", "für" }, { "es", "los" }, { "es", "también" }, { "it", "della" },
		{ "it", "più" }, { "fr", "l" }, { "en", "x" },
	};
	for (size_t i = 0; i < sizeof dropped / sizeof dropped[0]; i++) {
		char *k = key_of(dropped[i][0], dropped[i][1]);
		if (*k)
			fail_msg("%s: \"%s\" should be dropped, got key \"%s\"", dropped[i][0],
				 dropped[i][1], k);
		free(k);
	}
	char *k = key_of("fr", "4");
	assert_string_equal(k, "4");
	free(k);
	k = key_of("en", "les"); /* a French stop word is a word in English */
	assert_string_not_equal(k, "");
	free(k);
	char longw[SEARCH_WORD_MAX + 2];
	memset(longw, 'a', sizeof longw - 1);
	longw[sizeof longw - 1] = '\0';
	k = key_of("en", longw);
	assert_string_equal(k, "");
	free(k);
	/* Each list sorted (binary search relies on it). */
	static const char *const langs[] = { "fr", "en", "de", "es", "it" };
	for (size_t i = 0; i < 5; i++) {
		search_text *t = search_text_new(langs[i]);
		const char *const *w = search_text_stop_words(t);
		assert_non_null(w[0]);
		for (size_t j = 1; w[j]; j++)
			if (strcmp(w[j - 1], w[j]) >= 0)
				fail_msg("%s stop words not sorted at \"%s\"", langs[i], w[j]);
		assert_true(search_text_stems(t));
		search_text_free(t);
	}
}

static void page_text(void **state)
{
	(void)state;
	search_page p = SEARCH_PAGE_INIT;
	search_page_parse(&p, "<!-- note --><p>Les <em>con</em>teneurs&nbsp;&amp; le noyau&#x2009;!</p>\n"
			      "<script>var noyau = '<h2>x</h2>';</script><style>p{}</style>"
			      "<h2 id=\"isolation\">L&#39;isolation <code>cgroups</code></h2>"
			      "<p>Texte A.</p><div data-search-ignore><p>caché <div>x</div> aussi</p></div>"
			      "<ul><li>un</li><li>deux</li></ul><h3 id='b'>B</h3><p>fin</p><img src=x>");
	assert_string_equal(p.intro, "Les conteneurs & le noyau !");
	assert_int_equal(p.n_heads, 2);
	assert_string_equal(p.heads[0].id, "isolation");
	assert_string_equal(p.heads[0].text, "L'isolation cgroups");
	assert_string_equal(p.heads[0].start, "Texte A. un deux");
	assert_string_equal(p.heads[1].id, "b");
	assert_string_equal(p.heads[1].start, "fin");
	assert_null(strstr(p.text.ptr, "caché"));
	assert_null(strstr(p.text.ptr, "var"));
	bool heading_seen = false;
	for (size_t i = 0; i < p.n_segs; i++)
		if (p.segs[i].heading) {
			heading_seen = true;
			assert_int_equal(p.segs[i].sect, 1);
			assert_memory_equal(p.text.ptr + p.segs[i].off, "L'isolation cgroups", p.segs[i].len);
			break;
		}
	assert_true(heading_seen);
	search_page_release(&p);

	buf b = BUF_INIT;
	search_page_cut("un deux trois quatre", 20, 11, &b);
	assert_string_equal(b.ptr, "un deux\xe2\x80\xa6");
	buf_reset(&b);
	search_page_cut("éééé", strlen("éééé"), 4, &b);
	assert_string_equal(b.ptr, "éééé");
	buf_release(&b);
}

/* ---- the written index ---- */

static char *tmp_dir(void)
{
	char tmpl[] = "/tmp/phare-search-XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	return strdup(tmpl);
}

static char *slurp(const char *dir, const char *name)
{
	char *path = fsx_join(dir, name);
	buf b = BUF_INIT;
	phare_status st = fsx_read(path, &b, 0);
	if (st != PHARE_OK)
		fail_msg("cannot read %s", path);
	free(path);
	return buf_detach(&b, NULL);
}

typedef struct hit {
	long doc, score, sect;
} hit;

/* Reads the postings of key from shard text; returns how many (0: absent). */
static size_t postings(const char *shard, const char *key, hit *out, size_t max)
{
	char pat[128];
	snprintf(pat, sizeof pat, "[\"%s\",[", key);
	const char *s = strstr(shard, pat);
	if (!s)
		return 0;
	s += strlen(pat);
	size_t n = 0;
	long doc = 0;
	while (*s != ']' && n < max) {
		char *end;
		doc += strtol(s, &end, 10);
		out[n].doc = doc;
		out[n].score = strtol(end + 1, &end, 10);
		out[n].sect = strtol(end + 1, &end, 10);
		n++;
		s = *end == ',' ? end + 1 : end;
	}
	return n;
}

static void add_lxc_docs(search_index *ix, bool reverse)
{
	/* The same word, once each: in the title (/a/), a heading (/b/), the text (/c/). */
	const char *docs[][4] = {
		{ "/help/fr/a/", "Le noyau Linux", "Une page.",
		  "<p>Du texte sans le mot, assez long pour équilibrer les trois pages.</p>" },
		{ "/help/fr/b/", "Isolation", "Une page.",
		  "<p>Du texte.</p><h2 id=\"n\">Le noyau</h2><p>Assez long pour équilibrer les pages.</p>" },
		{ "/help/fr/c/", "Conteneurs", "Une page.",
		  "<p>Les conteneurs partagent le noyau ; texte assez long pour équilibrer.</p>" },
	};
	for (int i = 0; i < 3; i++) {
		int k = reverse ? 2 - i : i;
		search_index_add(ix, "article", docs[k][0], docs[k][1], "Virtualisation", docs[k][2],
				 docs[k][3]);
	}
}

static void index_ranks_title_heading_text(void **state)
{
	(void)state;
	char *dir = tmp_dir();
	search_index *ix = search_index_new("fr");
	add_lxc_docs(ix, true);
	assert_int_equal(search_index_write(ix, dir), PHARE_OK);
	search_stats st;
	search_index_stats(ix, &st);
	assert_int_equal(st.docs, 3);
	assert_int_equal(st.shards, 1);
	assert_int_equal(st.files, 3); /* meta, t, d-0 */

	char *t = slurp(dir, "t.json");
	hit h[8];
	assert_int_equal(postings(t, "noyau", h, 8), 3);
	/* Pages are numbered by URL whatever the order of addition. */
	assert_int_equal(h[0].doc, 0);
	assert_int_equal(h[1].doc, 1);
	assert_int_equal(h[2].doc, 2);
	if (!(h[0].score > h[1].score && h[1].score > h[2].score))
		fail_msg("title %ld, heading %ld, text %ld: expected decreasing", h[0].score,
			 h[1].score, h[2].score);
	/* Deep link: in the title -> 0; only under heading 1 -> 1; intro -> 0. */
	assert_int_equal(h[0].sect, 0);
	assert_int_equal(h[1].sect, 1);
	assert_int_equal(h[2].sect, 0);
	/* Surface forms whose key differs, for the browser. */
	assert_non_null(strstr(t, "[\"conteneurs\",\"conteneur\"]"));
	assert_null(strstr(t, "\"les\""));
	assert_null(strstr(t, "\"le\""));
	free(t);

	char *d = slurp(dir, "d-0.json");
	const char *a = strstr(d, "[\"Le noyau Linux\",\"/help/fr/a/\",\"Virtualisation\",\"article\",\"Une page.\"");
	const char *b = strstr(d, "\"/help/fr/b/\"");
	assert_non_null(a);
	assert_non_null(b);
	assert_true(a < b);
	assert_non_null(strstr(d, "[[\"n\",\"Le noyau\",\"Assez long pour équilibrer les pages.\"]]"));
	free(d);

	char *m = slurp(dir, "meta.json");
	assert_non_null(strstr(m, "\"lang\":\"fr\",\"docs\":3,\"chunk\":8,\"shards\":[\"\"]"));
	assert_non_null(strstr(m, "\"stop\":[\"au\","));
	free(m);

	search_index_free(ix);
	assert_int_equal(fsx_remove_tree(dir), PHARE_OK);
	free(dir);
}

/* Fills ix with n generated pages, from..to of the same set. */
static void add_generated(search_index *ix, int from, int to)
{
	static const char *const words[] = {
		"conteneur", "noyau", "isolation", "machine", "virtuelle", "réseau", "disque",
		"mémoire", "processeur", "système", "fichier", "sauvegarde", "sécurité", "pare-feu",
		"adresse", "serveur", "client", "image", "instantané", "volume",
	};
	buf body = BUF_INIT, title = BUF_INIT, url = BUF_INIT;
	for (int i = from; i < to; i++) {
		buf_reset(&body);
		buf_reset(&title);
		buf_reset(&url);
		buf_addf(&url, "/help/fr/s%d/p%03d/", i % 7, i);
		buf_addf(&title, "Page %d : %s", i, words[i % 20]);
		for (int j = 0; j < 40; j++) {
			if (j % 10 == 0)
				buf_addf(&body, "<h2 id=\"h%d\">%s %d</h2>", j, words[(i + j) % 20], j);
			/* Distinct words so large sites shard: w<i>x<j>. */
			buf_addf(&body, "<p>%s %ss mot%dx%d</p>", words[(i * 7 + j) % 20],
				 words[(i + 3 * j) % 20], i, j);
		}
		search_index_add(ix, i % 3 ? "article" : "table", url.ptr, title.ptr, "Section",
				 "", body.ptr);
	}
	buf_release(&body);
	buf_release(&title);
	buf_release(&url);
}

static bool same_files(const char *a, const char *b)
{
	char **la = fsx_list(a), **lb = fsx_list(b);
	bool same = la && lb;
	size_t i = 0;
	for (; same && la[i] && lb[i]; i++) {
		char *fa = slurp(a, la[i]), *fb = slurp(b, lb[i]);
		same = strcmp(la[i], lb[i]) == 0 && strcmp(fa, fb) == 0;
		free(fa);
		free(fb);
	}
	same = same && !la[i] && !lb[i];
	fsx_free_list(la);
	fsx_free_list(lb);
	return same;
}

/* Removes the temporary folder d made by tmp_dir, and frees its name. */
static void drop_dir(char *d)
{
	assert_int_equal(fsx_remove_tree(d), PHARE_OK);
	free(d);
}

/* The pages' entries kept in a temporary file (search_index_spill), the
 * postings freed as they are merged (search_index_write_last): the same
 * files as an index kept whole in memory. */
static void index_spilled_same(void **state)
{
	(void)state;
	char *d1 = tmp_dir(), *d2 = tmp_dir(), *spill = tmp_dir();
	search_index *a = search_index_new("fr"), *b = search_index_new("fr");
	search_index_spill(b, spill);
	add_generated(a, 0, 200); /* over 64 KiB of entries: written out while adding too */
	add_generated(b, 100, 200);
	add_generated(b, 0, 100);
	assert_int_equal(search_index_write(a, d1), PHARE_OK);
	assert_int_equal(search_index_write_last(b, d2), PHARE_OK);
	assert_true(same_files(d1, d2));
	char **left = fsx_list(spill); /* unlinked: nothing shows */
	assert_non_null(left);
	assert_null(left[0]);
	fsx_free_list(left);
	search_index_free(a);
	search_index_free(b);
	drop_dir(d1);
	drop_dir(d2);
	drop_dir(spill);
}

/* The pages' postings in many small blocks (search_index_block_bytes),
 * freed as the last write merges them: the same files as an index kept
 * whole; added in URL order (as a build adds them), most blocks go before
 * the merge's end; added in the reverse order, the files are still the same. */
static void index_blocks_freed_while_merged(void **state)
{
	(void)state;
	char *d1 = tmp_dir(), *d2 = tmp_dir(), *d3 = tmp_dir();
	search_index *a = search_index_new("fr"), *b = search_index_new("fr"), *c = search_index_new("fr");
	search_index_block_bytes(b, 2048);
	search_index_block_bytes(c, 2048);
	add_generated(a, 0, 300);
	for (int s = 0; s < 7; s++) /* add_generated's URLs, /help/fr/s<i % 7>/p<i>/, in order */
		for (int i = s; i < 300; i += 7)
			add_generated(b, i, i + 1);
	for (int i = 299; i >= 0; i--)
		add_generated(c, i, i + 1);
	assert_int_equal(search_index_write(a, d1), PHARE_OK);
	assert_int_equal(search_index_write_last(b, d2), PHARE_OK);
	assert_true(same_files(d1, d2));
	search_stats st;
	search_index_stats(b, &st);
	assert_true(st.blocks >= 20);
	assert_true(st.blocks_freed_early >= st.blocks - 2);
	search_index_stats(a, &st);
	assert_int_equal(st.blocks_freed_early, 0); /* search_index_write keeps them */
	assert_int_equal(search_index_write_last(c, d3), PHARE_OK);
	assert_true(same_files(d1, d3));
	search_index_free(a);
	search_index_free(b);
	search_index_free(c);
	drop_dir(d1);
	drop_dir(d2);
	drop_dir(d3);
}

/* Page i of add_generated, added with its record kept in recs[i] (search_index_add_page). */
static void add_generated_recorded(search_index *ix, int from, int to, buf *recs)
{
	static const char *const words[] = { "conteneur", "noyau",   "isolation", "machines", "virtuelles",
					     "réseaux",   "disques", "mémoire",   "système",  "Systèmes" };
	buf body = BUF_INIT, title = BUF_INIT, url = BUF_INIT;
	for (int i = from; i < to; i++) {
		buf_reset(&body);
		buf_reset(&title);
		buf_reset(&url);
		buf_addf(&url, "/help/fr/s%d/p%03d/", i % 7, i);
		buf_addf(&title, "Page %d : %s", i, words[i % 10]);
		for (int j = 0; j < 30; j++) {
			if (j % 10 == 0)
				buf_addf(&body, "<h2 id=\"h%d\">%s %d</h2>", j, words[(i + j) % 10], j);
			buf_addf(&body, "<p>%s %s mot%dx%d</p>", words[(i * 7 + j) % 10], words[(i + 3 * j) % 10], i, j);
		}
		search_page page = SEARCH_PAGE_INIT;
		search_page_parse(&page, body.ptr);
		buf_reset(&recs[i]);
		search_index_add_page(ix, i % 3 ? "article" : "table", url.ptr, title.ptr, "Section", i % 2 ? "Une description" : "",
				      &page, &recs[i]);
	}
	buf_release(&body);
	buf_release(&title);
	buf_release(&url);
}

/* Pages added again from their records, in a later build (the dictionary
 * saved and read back, the order other): the same files as the pages
 * added from their text; a record cut anywhere, or naming a word the
 * dictionary does not have, is refused, never read past its end. */
static void index_from_records_same(void **state)
{
	(void)state;
	enum { N = 120 };
	char *d1 = tmp_dir(), *d2 = tmp_dir();
	buf recs[N], again[N];
	for (int i = 0; i < N; i++)
		recs[i] = again[i] = (buf)BUF_INIT;
	search_dict *first = search_dict_new();
	search_index *a = search_index_new("fr");
	search_index_use_dict(a, first);
	add_generated_recorded(a, 0, N, recs);
	assert_int_equal(search_index_write(a, d1), PHARE_OK);

	buf saved = BUF_INIT;
	search_dict_save(first, 0, &saved);
	search_dict *later = search_dict_new();
	assert_true(search_dict_load(later, saved.ptr, saved.len));
	assert_int_equal(search_dict_count(later), search_dict_count(first));
	search_index *b = search_index_new("fr");
	search_index_use_dict(b, later);
	for (int i = N - 1; i >= 0; i--) {
		buf url = BUF_INIT;
		buf_addf(&url, "/help/fr/s%d/p%03d/", i % 7, i);
		assert_true(search_index_add_record(b, i % 3 ? "article" : "table", url.ptr, recs[i].ptr, recs[i].len));
		buf_release(&url);
	}
	assert_int_equal(search_index_write(b, d2), PHARE_OK);
	assert_true(same_files(d1, d2));

	search_index *c = search_index_new("fr"); /* the same page makes the same record */
	search_index_use_dict(c, later);
	for (int i = 0; i < N; i += 5)
		add_generated_recorded(c, i, i + 1, again);
	for (int i = 0; i < N; i += 5)
		assert_true(again[i].len == recs[i].len && memcmp(again[i].ptr, recs[i].ptr, recs[i].len) == 0);
	for (size_t cut = 0; cut < recs[7].len; cut++)
		assert_false(search_index_add_record(c, "article", "/x/", recs[7].ptr, cut));
	search_dict *none = search_dict_new(); /* no word: every number unknown */
	search_index *e = search_index_new("fr");
	search_index_use_dict(e, none);
	assert_false(search_index_add_record(e, "article", "/x/", recs[7].ptr, recs[7].len));
	search_index_free(e);
	assert_false(search_dict_load(none, "\005ab", 3)); /* a word cut short */
	assert_int_equal(search_dict_count(none), 0);

	search_index_free(a);
	search_index_free(b);
	search_index_free(c);
	search_dict_free(first);
	search_dict_free(later);
	search_dict_free(none);
	buf_release(&saved);
	for (int i = 0; i < N; i++) {
		buf_release(&recs[i]);
		buf_release(&again[i]);
	}
	drop_dir(d1);
	drop_dir(d2);
}

static void index_deterministic(void **state)
{
	(void)state;
	char *d1 = tmp_dir(), *d2 = tmp_dir();
	search_index *a = search_index_new("fr"), *b = search_index_new("fr");
	add_generated(a, 0, 60);
	add_generated(b, 30, 60);
	add_generated(b, 0, 30);
	assert_int_equal(search_index_write(a, d1), PHARE_OK);
	assert_int_equal(search_index_write(b, d2), PHARE_OK);
	assert_true(same_files(d1, d2));
	/* Written twice: the same bytes. */
	assert_int_equal(search_index_write(a, d2), PHARE_OK);
	assert_true(same_files(d1, d2));
	search_index_free(a);
	search_index_free(b);
	drop_dir(d1);
	drop_dir(d2);
}

typedef struct job {
	search_index *ix;
	int from, to;
} job;

static void *add_job(void *arg)
{
	job *j = arg;
	add_generated(j->ix, j->from, j->to);
	return NULL;
}

static void index_threads(void **state)
{
	(void)state;
	enum { THREADS = 4, PER = 50 };
	char *d1 = tmp_dir(), *d2 = tmp_dir();
	search_index *seq = search_index_new("fr"), *par = search_index_new("fr");
	add_generated(seq, 0, THREADS * PER);
	pthread_t th[THREADS];
	job jobs[THREADS];
	for (int i = 0; i < THREADS; i++) {
		jobs[i] = (job){ par, i * PER, (i + 1) * PER };
		assert_int_equal(pthread_create(&th[i], NULL, add_job, &jobs[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(search_index_write(seq, d1), PHARE_OK);
	assert_int_equal(search_index_write(par, d2), PHARE_OK);
	assert_true(same_files(d1, d2));
	search_stats st;
	search_index_stats(par, &st);
	assert_int_equal(st.docs, THREADS * PER);
	search_index_free(seq);
	search_index_free(par);
	drop_dir(d1);
	drop_dir(d2);
}

static void index_shards(void **state)
{
	(void)state;
	char *dir = tmp_dir();
	search_index *ix = search_index_new("fr");
	add_generated(ix, 0, 400);
	assert_int_equal(search_index_write(ix, dir), PHARE_OK);
	search_stats st;
	search_index_stats(ix, &st);
	print_message("    400 pages: %zu keys, %zu forms, %zu files, %zu bytes, %zu shards, "
		      "largest shard %zu, meta %zu, largest docs chunk %zu\n",
		      st.keys, st.forms, st.files, st.bytes, st.shards, st.largest_shard_bytes,
		      st.meta_bytes, st.largest_docs_bytes);
	assert_true(st.shards > 1);
	assert_true(st.largest_shard_bytes <= SEARCH_SHARD_BYTES + 64);
	char *m = slurp(dir, "meta.json");
	assert_non_null(strstr(m, "\"docs\":400"));
	/* Every shard's keys start with its name; "conteneur" is in the listed
	 * shard with the longest name that starts it. */
	const char *names = strstr(m, "\"shards\":[");
	assert_non_null(names);
	names += strlen("\"shards\":[");
	char best[32] = "";
	size_t listed = 0;
	while (*names == '"') {
		const char *e = strchr(names + 1, '"');
		char name[32];
		snprintf(name, sizeof name, "%.*s", (int)(e - names - 1), names + 1);
		char file[64];
		snprintf(file, sizeof file, *name ? "t-%s.json" : "t.json", name);
		char *t = slurp(dir, file);
		for (const char *k = strstr(t, "[[\""); k; k = strstr(k + 1, "]],[\"")) {
			const char *w = k[1] == '[' ? k + 3 : k + 5;
			if (strncmp(w, name, strlen(name)) != 0)
				fail_msg("key %.12s in shard \"%s\"", w, name);
		}
		free(t);
		if (strncmp("conteneur", name, strlen(name)) == 0 && strlen(name) >= strlen(best))
			snprintf(best, sizeof best, "%s", name);
		listed++;
		names = e + 1 + (e[1] == ',');
	}
	assert_int_equal(listed, st.shards);
	assert_true(strlen(best) > 0);
	char file[64];
	snprintf(file, sizeof file, "t-%s.json", best);
	char *t = slurp(dir, file);
	hit h[400];
	size_t n = postings(t, "conteneur", h, 400);
	assert_true(n > 0);
	free(t);
	free(m);
	char *d8 = slurp(dir, "d-7.json");
	assert_non_null(strstr(d8, "/help/fr/"));
	free(d8);
	search_index_free(ix);
	assert_int_equal(fsx_remove_tree(dir), PHARE_OK);
	free(dir);
}

static void index_empty(void **state)
{
	(void)state;
	char *dir = tmp_dir();
	search_index *ix = search_index_new("pt");
	assert_int_equal(search_index_write(ix, dir), PHARE_OK);
	char *m = slurp(dir, "meta.json");
	assert_string_equal(m, "{\"v\":1,\"lang\":\"pt\",\"docs\":0,\"chunk\":8,"
			       "\"shards\":[],\"stop\":[],\"suffixes\":[]}\n");
	free(m);
	search_index_free(ix);
	assert_int_equal(fsx_remove_tree(dir), PHARE_OK);
	free(dir);
}

static phare_status tree_hook(void *ctx, const char *info, int line, buf *out)
{
	(void)ctx;
	(void)line;
	buf_addf(out, "<figure><table><caption>Hook %s</caption><tr><th>LXC</th></tr></table>"
		      "<p data-search-ignore>hidden hook text</p></figure>", info);
	return PHARE_OK;
}

/* The renderer's text (markdown.h) to a search page, as build/pages.c
 * connects them. */
static void tree_text(void *ctx, md_text_kind kind, const char *s, size_t n)
{
	search_page_builder *sb = ctx;
	switch (kind) {
	case MD_TEXT_PLAIN:
		search_page_text(sb, s, n);
		break;
	case MD_TEXT_BREAK:
		search_page_break(sb);
		break;
	case MD_TEXT_HEADING_OPEN:
	case MD_TEXT_HEADING_CLOSE:
		search_page_heading(sb, s, kind == MD_TEXT_HEADING_OPEN);
		break;
	case MD_TEXT_HTML:
		search_page_html(sb, s);
		break;
	}
}

static void assert_same_page(const search_page *a, const search_page *b, const char *md)
{
	if (strcmp(a->text.ptr, b->text.ptr) != 0)
		fail_msg("text differs for %s:\n tree: [%s]\n html: [%s]", md, a->text.ptr, b->text.ptr);
	assert_int_equal(a->n_segs, b->n_segs);
	for (size_t i = 0; i < a->n_segs; i++) {
		assert_int_equal(a->segs[i].off, b->segs[i].off);
		assert_int_equal(a->segs[i].len, b->segs[i].len);
		assert_int_equal(a->segs[i].sect, b->segs[i].sect);
		assert_int_equal(a->segs[i].heading, b->segs[i].heading);
	}
	assert_string_equal(a->intro, b->intro);
	assert_int_equal(a->n_heads, b->n_heads);
	for (size_t i = 0; i < a->n_heads; i++) {
		assert_string_equal(a->heads[i].id, b->heads[i].id);
		assert_string_equal(a->heads[i].text, b->heads[i].text);
		assert_string_equal(a->heads[i].start, b->heads[i].start);
	}
}

/* markdown.c hands the text of cmark's tree to a callback; made into a page,
 * it must be the page search_page_parse finds in the rendered HTML, for
 * every kind of node. */
static void page_from_tree_is_page_from_html(void **state)
{
	(void)state;
	static const char *const docs[] = {
		"Intro *emph* **strong** `code` [link](/x/) ![alt text](/i.png) end, glued![alt](/j.png)word.\n",
		"# One\n\nText\nsoft break  \nhard break\n\n## Two & <three>\n\n### Three\n\n#### Four\n\npara\n",
		"- a\n- b\n  - nested *c*\n\n1. one\n2. two\n\n> quote\n> more\n\n---\n\n```sh\ncmd  --x\n```\n",
		"Entities: &amp; &copy; &#233; &nbsp;x&#x2014;y \\* and \u00a0nbsp\n",
		"<div data-search-ignore>\nhidden\n</div>\n\nInline <span>raw <b>html</b></span> and <!-- c --> x\n\n"
		"<script>var s = 1;</script>\n\n## After\n",
		"Before\n\n```table vps-lxc-kvm lxc kvm\n```\n\n## Section\n\nAfter the hook.\n",
		"",
		"## Empty section\n\n## Next\n\nText \x01\x01 marks\n",
		"> [!WARNING]\n> Back up.\n\n## Then\n\n> [!NOTE]- Title *em*\n> Body\n\n"
		"> [!TABS]\n> **A b**\n>> ```\n>> a\n>> ```\n> **C**\n>> c\n",
		/* cmark-gfm's extensions */
		"| Col *a* | B |\n|:--|--:|\n| x1 | ~~y1~~z |\n| `x2` | y2 |\n\nafter\n",
		"Go to www.example.com/a or https://example.org now.\n\n- [ ] to *do*\n- [x] done\n",
		"A note[^n] twice[^n], another[^2].\n\n[^n]: The *note*.\n[^2]: Two\n\n    paragraphs.\n",
		"## Step 2 {#step2}\n\n### Named_id {#my_id}\n\ntext\n",
		"<style>p{}</style>\n\nx <script>a</script> <title>t</title> y\n",
		"![Alt *x*](/i.png \"Le disque\")\n\nText ![y](/j.png) z\n",
	};
	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		for (int unsafe = 0; unsafe < 2; unsafe++) {
			search_page tree = SEARCH_PAGE_INIT, html = SEARCH_PAGE_INIT;
			search_page_builder *sb = search_page_begin(&tree);
			md_env env = { .path = "t.md", .first_line = 1, .unsafe_html = unsafe, .block = tree_hook, .ctx = sb, .text = tree_text };
			md_doc doc = MD_DOC_INIT;
			assert_int_equal(markdown_render(&env, docs[i], strlen(docs[i]), &doc), PHARE_OK);
			search_page_end(sb);
			search_page_parse(&html, doc.html.ptr);
			assert_same_page(&tree, &html, docs[i]);
			search_page_release(&tree);
			search_page_release(&html);
			md_doc_release(&doc);
		}
	}
}

/* Random text of words, ASCII and UTF-8, runs of every kind of white space
 * (ASCII, no-break, typographic), control bytes and stray UTF-8 bytes. */
static size_t random_text(char *out, size_t cap, unsigned *seed)
{
	static const char *const atoms[] = {
		"word", "Mot", "é", "données", " ", " ", " ", "  ", "\n", "\t ", "\xc2\xa0", "\xe2\x80\x89",
		"\xe3\x80\x80", "\xe2\x80\x99", "\xc2\x85", ",", ".", "x", "\x01", "\x80", "\xc3", "1234567890",
		"conteneurs", "l'isolation", "\xe2\x80\xaf", "abcdefghijklmnopqrstuvwxyz",
	};
	size_t n = 0;
	for (;;) {
		*seed = *seed * 1103515245u + 12345u;
		const char *a = atoms[(*seed >> 16) % (sizeof atoms / sizeof atoms[0])];
		size_t k = strlen(a);
		if (n + k >= cap)
			break;
		memcpy(out + n, a, k);
		n += k;
	}
	out[n] = '\0';
	return n;
}

/* Text given whole (16-byte blocks copied at once where the white space
 * allows) or one character at a time (never a block) makes the same page:
 * the fast path of the text collapsing changes nothing. */
static void page_text_whole_or_piecewise(void **state)
{
	(void)state;
	unsigned seed = 42;
	char text[600];
	for (int round = 0; round < 2000; round++) {
		size_t n = random_text(text, (size_t)(round % 300) + 2, &seed);
		search_page whole = SEARCH_PAGE_INIT, pieces = SEARCH_PAGE_INIT;
		search_page_builder *w = search_page_begin(&whole), *p = search_page_begin(&pieces);
		const char *lead = round % 3 ? "Lead" : "";
		search_page_text(w, lead, strlen(lead));
		search_page_text(p, lead, strlen(lead));
		search_page_text(w, text, n);
		for (size_t i = 0; i < n;) {
			size_t k = 1; /* a character: its UTF-8 sequence stays whole */
			if ((unsigned char)text[i] >= 0xC0)
				while (i + k < n && ((unsigned char)text[i + k] & 0xC0) == 0x80 && k < 4)
					k++;
			search_page_text(p, text + i, k);
			i += k;
		}
		search_page_end(w);
		search_page_end(p);
		assert_same_page(&whole, &pieces, text);
		search_page_release(&whole);
		search_page_release(&pieces);
	}
}

/* ---- the index patched in place (patch.h) ---- */

#define PATCH_PAGES 300

/* Words under letters no other word starts with ("jab", "yoz"), for
 * shards that patches add and remove (index_patched_as_written only: the
 * other tests' pages stay as their seeds make them). */
static bool patch_odd_words;
/* The shard files the patches tried since the last reset added and removed. */
static int patch_shards_added, patch_shards_removed;

/* Page i's HTML, made of words from a small vocabulary (so that words and
 * their forms are shared between pages) plus, with rare, words few pages
 * have; *seed moves. */
static void patch_page_html(buf *out, unsigned *seed, bool rare)
{
	static const char *const words[] = {
		"conteneur", "conteneurs", "système", "systèmes", "noyau", "noyaux", "machine", "machines",
		"virtuelle", "virtuelles", "réseau", "réseaux", "disque", "disques", "mémoire", "isolation",
		"serveur", "serveurs", "instantané", "instantanés", "sauvegarde", "sauvegardes", "pare",
		"feu", "adresse", "adresses", "migration", "migrations", "quota", "quotas", "processeur",
		"processeurs", "invité", "invités", "hôte", "hôtes", "image", "images", "volume", "volumes",
		"créées", "creees", "systemes", "reseaux", "réservées", "reservees",
	};
	size_t n = sizeof words / sizeof words[0];
	buf_adds(out, "<p>");
	int count = 20 + (int)(rand_r(seed) % 60);
	for (int w = 0; w < count; w++) {
		if (w && w % 25 == 0)
			buf_addf(out, "</p><h2 id=\"h%d\">%s</h2><p>", w, words[rand_r(seed) % n]);
		buf_addf(out, "%s ", words[rand_r(seed) % n]);
		if (rand_r(seed) % 3 == 0) /* many keys: several shards */
			buf_addf(out, "mot%ux ", rand_r(seed) % 900);
		if (rare && rand_r(seed) % 8 == 0)
			buf_addf(out, "rarissime%u ", rand_r(seed) % 50000);
	}
	if (patch_odd_words && rand_r(seed) % 16 == 0) /* one page in 16, under a letter of its own at times */
		buf_addf(out, "%c%c%c ", "bgjkowxyz"[rand_r(seed) % 9], "aeiou"[rand_r(seed) % 5],
			 "bdfgz"[rand_r(seed) % 5]);
	/* a spelling with and without its accents, rare: one form ("evoluees"),
	 * its key "evolu" from the pages without accents, "evolue" from the
	 * others; the pages of the smallest key come and go */
	if (rand_r(seed) % 100 == 0)
		buf_adds(out, "evoluees ");
	if (rand_r(seed) % 50 == 0)
		buf_adds(out, "évoluées ");
	buf_adds(out, "</p>");
}

/* The record of a page (its HTML), in dict's numbers. */
static void patch_record(search_dict *dict, int i, const char *html, buf *rec)
{
	search_index *ix = search_index_new("fr");
	search_index_use_dict(ix, dict);
	search_page page = SEARCH_PAGE_INIT;
	search_page_parse(&page, html);
	char url[32], title[32];
	snprintf(url, sizeof url, "/fr/p-%03d/", i);
	snprintf(title, sizeof title, "Page %d", i % 7);
	buf_reset(rec);
	search_index_add_page(ix, "article", url, title, "Virtualisation", "Une page.", &page, rec);
	search_index_free(ix);
}

/* The whole index of the pages' records written to dir, its state in *state. */
static void patch_write_whole_n(search_dict *dict, buf *recs, int n, const char *dir, buf *state)
{
	/* emptied first: a shard of the last write that this one has not would stay */
	assert_int_equal(fsx_remove_tree(dir), PHARE_OK);
	assert_int_equal(fsx_mkdirs(dir), PHARE_OK);
	search_index *ix = search_index_new("fr");
	search_index_use_dict(ix, dict);
	buf_reset(state);
	search_index_state(ix, state);
	for (int i = 0; i < n; i++) {
		char url[32];
		snprintf(url, sizeof url, "/fr/p-%03d/", i);
		assert_true(search_index_add_record(ix, "article", url, recs[i].ptr, recs[i].len));
	}
	assert_int_equal(search_index_write(ix, dir), PHARE_OK);
	search_index_free(ix);
}

static void patch_write_whole(search_dict *dict, buf *recs, const char *dir, buf *state)
{
	patch_write_whole_n(dict, recs, PATCH_PAGES, dir, state);
}

static bool patch_read(void *ctx, const char *name, buf *out)
{
	char *path = fsx_join(ctx, name);
	bool ok = fsx_read(path, out, 0) == PHARE_OK;
	free(path);
	return ok;
}

/* Every file of a is b's, and b has no other. */
static bool same_trees(const char *a, const char *b)
{
	char **na = fsx_list(a), **nb = fsx_list(b);
	bool ok = na && nb;
	size_t n = 0;
	for (char **p = na; ok && *p; p++, n++) {
		char *fa = fsx_join(a, *p), *fb = fsx_join(b, *p);
		buf x = BUF_INIT, y = BUF_INIT;
		ok = fsx_read(fa, &x, 0) == PHARE_OK && fsx_read(fb, &y, 0) == PHARE_OK && x.len == y.len &&
		     memcmp(x.ptr, y.ptr, x.len) == 0;
		if (!ok)
			fprintf(stderr, "patch: %s differs from a whole write\n", *p);
		buf_release(&x);
		buf_release(&y);
		free(fa);
		free(fb);
	}
	for (char **p = nb; ok && *p; p++)
		n -= n > 0;
	ok = ok && n == 0;
	fsx_free_list(na);
	fsx_free_list(nb);
	return ok;
}

/* What a patch test holds at its end: its n pages' records, its states
 * (st, next), its dictionary and its two folders (the patched, the whole). */
static void patch_test_free(buf *recs, int n, buf *st, buf *next, search_dict *dict, char *live, char *whole)
{
	for (int i = 0; i < n; i++)
		buf_release(&recs[i]);
	buf_release(st);
	buf_release(next);
	search_dict_free(dict);
	drop_dir(live);
	drop_dir(whole);
}

/* Patch p applied to the files in live: when it applies, its files are
 * written there and must make the index written whole in whole, and *st
 * becomes its state; returns how many files it made, or -1 (declined, the
 * reason in why[0..64)).  Frees p. */
static int patch_try(search_patch *p, char *live, const char *whole, buf *st, char why[64], const char *what,
		     int round)
{
	int files = -1;
	if (search_patch_apply(p, patch_read, live)) {
		const char *name, *data;
		size_t len;
		for (files = 0; search_patch_file(p, (size_t)files, &name, &data, &len); files++) {
			char *path = fsx_join(live, name);
			patch_shards_added += data && !fsx_is_file(path);
			patch_shards_removed += !data;
			if (data)
				assert_int_equal(fsx_write(path, data, len), PHARE_OK);
			else
				assert_int_equal(unlink(path), 0);
			free(path);
		}
		if (!same_trees(whole, live))
			fail_msg("%s %d: the patched index is not the one written whole", what, round);
		buf_reset(st);
		search_patch_state(p, st);
	} else {
		assert_true(*search_patch_reason(p));
	}
	snprintf(why, 64, "%s", search_patch_reason(p));
	search_patch_free(p);
	return files;
}

/* 120 random edits of one page or two, each patched into the last files
 * (the state carried from patch to patch) and compared with the whole
 * index written afresh; a declined patch is written whole, as the build
 * does.  Most edits must patch (a test that only declines tests nothing). */
static void index_patched_as_written(void **state)
{
	(void)state;
	unsigned seed = 23;
	patch_odd_words = true;
	patch_shards_added = patch_shards_removed = 0;
	search_dict *dict = search_dict_new();
	buf recs[PATCH_PAGES], html = BUF_INIT, st = BUF_INIT, next = BUF_INIT;
	for (int i = 0; i < PATCH_PAGES; i++) {
		recs[i] = (buf)BUF_INIT;
		buf_reset(&html);
		patch_page_html(&html, &seed, true);
		patch_record(dict, i, html.ptr, &recs[i]);
	}
	char *live = tmp_dir(), *whole = tmp_dir();
	patch_write_whole(dict, recs, live, &st);
	int patched = 0, declined = 0, files = 0;
	for (int round = 0; round < 120; round++) {
		int edits = 1 + (round % 5 == 0), id[2];
		buf old[2] = { BUF_INIT, BUF_INIT };
		for (int e = 0; e < edits; e++) {
			id[e] = (int)(rand_r(&seed) % PATCH_PAGES);
			if (e && id[e] == id[0])
				id[e] = (id[0] + 1) % PATCH_PAGES;
			buf_add(&old[e], recs[id[e]].ptr, recs[id[e]].len);
			buf_reset(&html);
			patch_page_html(&html, &seed, round % 3 == 0);
			patch_record(dict, id[e], html.ptr, &recs[id[e]]);
		}
		buf_reset(&next);
		patch_write_whole(dict, recs, whole, &next);
		search_patch *p = search_patch_new(dict, st.ptr, st.len);
		assert_non_null(p);
		for (int e = 0; e < edits; e++)
			assert_true(search_patch_page(p, (uint32_t)id[e], old[e].ptr, old[e].len, recs[id[e]].ptr,
						      recs[id[e]].len));
		char why[64];
		int made = patch_try(p, live, whole, &st, why, "round", round);
		if (made >= 0) {
			files += made;
			patched++;
		} else {
			if (getenv("PATCH_DEBUG"))
				fprintf(stderr, "round %d: %s\n", round, why);
			patch_write_whole(dict, recs, live, &st);
			declined++;
		}
		buf_release(&old[0]);
		buf_release(&old[1]);
	}
	patch_odd_words = false;
	if (patched < 60)
		fail_msg("only %d of 120 edits patched (%d declined)", patched, declined);
	assert_true(files > patched); /* a shard and a page's entry at least */
	if (getenv("PATCH_DEBUG"))
		fprintf(stderr, "shards added %d, removed %d\n", patch_shards_added, patch_shards_removed);
	buf_release(&html);
	patch_test_free(recs, PATCH_PAGES, &st, &next, dict, live, whole);
}

/* A new word under a letter no other word starts with ("jab"), the index
 * split by first letters: split() gives it a shard of its own, which the
 * patch adds (and meta.json, listing it); the word taken out again, the
 * shard goes.  Each step must patch, as the whole write would make it. */
static void index_patch_adds_and_removes_a_shard(void **state)
{
	(void)state;
	unsigned seed = 7;
	search_dict *dict = search_dict_new();
	buf recs[PATCH_PAGES], html = BUF_INIT, st = BUF_INIT, next = BUF_INIT, page = BUF_INIT;
	for (int i = 0; i < PATCH_PAGES; i++) {
		recs[i] = (buf)BUF_INIT;
		buf_reset(&html);
		patch_page_html(&html, &seed, false);
		if (i == 5)
			buf_add(&page, html.ptr, html.len);
		patch_record(dict, i, html.ptr, &recs[i]);
	}
	char *live = tmp_dir(), *whole = tmp_dir();
	patch_write_whole(dict, recs, live, &st);
	char *meta = fsx_join(live, "meta.json"), *shard = fsx_join(live, "t-j.json");
	assert_false(fsx_is_file(shard));
	buf with = BUF_INIT; /* page 5, its first word "jab" (as many words: no average moves) */
	const char *first = strstr(page.ptr, "<p>") + 3, *end = strchr(first, ' ');
	buf_add(&with, page.ptr, (size_t)(first - page.ptr));
	buf_adds(&with, "jab");
	buf_adds(&with, end);
	const char *steps[] = { with.ptr, page.ptr };
	patch_shards_added = patch_shards_removed = 0;
	for (int k = 0; k < 2; k++) {
		buf old = BUF_INIT, was = BUF_INIT;
		buf_add(&old, recs[5].ptr, recs[5].len);
		patch_record(dict, 5, steps[k], &recs[5]);
		patch_write_whole(dict, recs, whole, &next);
		assert_int_equal(fsx_read(meta, &was, 0), PHARE_OK);
		search_patch *p = search_patch_new(dict, st.ptr, st.len);
		assert_true(search_patch_page(p, 5, old.ptr, old.len, recs[5].ptr, recs[5].len));
		char why[64];
		if (patch_try(p, live, whole, &st, why, "step", k) < 0)
			fail_msg("step %d: declined: %s", k, why);
		assert_int_equal(fsx_is_file(shard), k == 0); /* and the whole write's the same (patch_try) */
		buf now = BUF_INIT;
		assert_int_equal(fsx_read(meta, &now, 0), PHARE_OK);
		assert_int_equal(strstr(now.ptr, "\"j\"") != NULL, k == 0); /* listed, then not */
		assert_false(now.len == was.len && memcmp(now.ptr, was.ptr, now.len) == 0);
		buf_release(&now);
		buf_release(&was);
		buf_release(&old);
	}
	assert_int_equal(patch_shards_added, 1);
	assert_int_equal(patch_shards_removed, 1);
	free(meta);
	free(shard);
	buf_release(&html);
	buf_release(&page);
	buf_release(&with);
	patch_test_free(recs, PATCH_PAGES, &st, &next, dict, live, whole);
}

/* A page whose words grow its shard past SEARCH_SHARD_BYTES, forty new
 * words an edit (its length kept, so that no average moves): patched while
 * the shard holds, declined once the whole write would split it. */
static void index_patch_declines_a_split(void **state)
{
	(void)state;
	search_dict *dict = search_dict_new();
	enum { PAGES = 50, FILLER = 2000 };
	buf recs[PAGES], html = BUF_INIT, st = BUF_INIT, next = BUF_INIT;
	for (int i = 0; i < PAGES; i++) {
		recs[i] = (buf)BUF_INIT;
		buf_reset(&html);
		buf_adds(&html, "<p>");
		for (int w = 0; w < (i ? 10 : FILLER); w++)
			buf_addf(&html, "%s ", i ? "bref" : "lorem");
		buf_adds(&html, "</p>");
		patch_record(dict, i, html.ptr, &recs[i]);
	}
	char *live = tmp_dir(), *whole = tmp_dir();
	patch_write_whole_n(dict, recs, PAGES, live, &st);
	int patched = 0, split = 0;
	for (int round = 1; round < 80 && !split; round++) {
		buf_reset(&html);
		buf_adds(&html, "<p>");
		for (int w = 0; w < FILLER; w++)
			if (w < round * 40)
				buf_addf(&html, "k%04d ", w);
			else
				buf_adds(&html, "lorem ");
		buf_adds(&html, "</p>");
		buf old = BUF_INIT;
		buf_add(&old, recs[0].ptr, recs[0].len);
		patch_record(dict, 0, html.ptr, &recs[0]);
		buf_reset(&next);
		patch_write_whole_n(dict, recs, PAGES, whole, &next);
		search_patch *p = search_patch_new(dict, st.ptr, st.len);
		assert_true(search_patch_page(p, 0, old.ptr, old.len, recs[0].ptr, recs[0].len));
		char why[64];
		if (patch_try(p, live, whole, &st, why, "round", round) >= 0) {
			patched++;
		} else {
			split = strcmp(why, "a shard would split, or join another") == 0;
			if (!split)
				fail_msg("round %d: declined: %s", round, why);
		}
		buf_release(&old);
	}
	assert_true(split);
	assert_true(patched > 10);
	buf_release(&html);
	patch_test_free(recs, PAGES, &st, &next, dict, live, whole);
}

/* One form ("evoluees"), its key "evolu" from the pages that spell it
 * with accents, "evolue" from those without: the state counts the pages
 * of the smallest key, so a patch knows when a page takes that key away
 * with it (declined: the next key is another page's) and when the form goes. */
static void index_patch_forms(void **state)
{
	(void)state;
	static const struct {
		int page;
		const char *html;
		bool patched;
	} steps[] = {
		{ 0, "<p>bref bref bref</p>", false },     /* the only page of key evolu: the key becomes evolue */
		{ 0, "<p>évoluées bref bref</p>", true },  /* back: evolu is smaller, the form's key again */
		{ 1, "<p>bref bref bref</p>", true },      /* evolue's page goes: the form stays, its key evolu */
		{ 0, "<p>bref bref bref</p>", true },      /* the last page of the form: it goes */
		{ 2, "<p>évoluées bref bref</p>", true },  /* a new form, and its key */
		{ 1, "<p>evoluees bref bref</p>", true },  /* one more page, of the larger key */
	};
	const char *start[] = { "<p>évoluées bref bref</p>", "<p>evoluees bref bref</p>", "<p>bref bref bref</p>" };
	search_dict *dict = search_dict_new();
	buf recs[3], st = BUF_INIT, next = BUF_INIT;
	for (int i = 0; i < 3; i++) {
		recs[i] = (buf)BUF_INIT;
		patch_record(dict, i, start[i], &recs[i]);
	}
	char *live = tmp_dir(), *whole = tmp_dir();
	patch_write_whole_n(dict, recs, 3, live, &st);
	for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
		int i = steps[k].page;
		buf old = BUF_INIT;
		buf_add(&old, recs[i].ptr, recs[i].len);
		patch_record(dict, i, steps[k].html, &recs[i]);
		buf_reset(&next);
		patch_write_whole_n(dict, recs, 3, whole, &next);
		search_patch *p = search_patch_new(dict, st.ptr, st.len);
		assert_true(search_patch_page(p, (uint32_t)i, old.ptr, old.len, recs[i].ptr, recs[i].len));
		char why[64];
		bool applied = patch_try(p, live, whole, &st, why, "step", (int)k) >= 0;
		if (applied != steps[k].patched)
			fail_msg("step %zu: %s (%s)", k, applied ? "patched" : "declined", why);
		if (!applied) {
			assert_string_equal(why, "a form's key comes from the changed page only");
			patch_write_whole_n(dict, recs, 3, live, &st);
		}
		buf_release(&old);
	}
	patch_test_free(recs, 3, &st, &next, dict, live, whole);
}

/* A state that does not read, or from another version, is no patch. */
static void index_patch_state_checked(void **state)
{
	(void)state;
	search_dict *dict = search_dict_new();
	assert_null(search_patch_new(dict, "", 0));
	assert_null(search_patch_new(dict, "\x09\x01", 2)); /* version 9 */
	buf st = BUF_INIT;
	search_index *ix = search_index_new("fr");
	search_index_use_dict(ix, dict);
	search_index_state(ix, &st);
	search_index_add(ix, "article", "/fr/a/", "Conteneurs", "", "", "<p>Les conteneurs partagent le noyau.</p>");
	char *dir = tmp_dir();
	assert_int_equal(search_index_write(ix, dir), PHARE_OK);
	search_index_free(ix);
	search_patch *p = search_patch_new(dict, st.ptr, st.len);
	assert_non_null(p);
	search_patch_free(p);
	for (size_t cut = 0; cut < st.len; cut++) /* cut short anywhere */
		assert_null(search_patch_new(dict, st.ptr, cut));
	buf_release(&st);
	search_dict_free(dict);
	drop_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fold_case_and_accents),
		cmocka_unit_test(split_words),
		cmocka_unit_test(stems_per_language),
		cmocka_unit_test(stop_words_dropped),
		cmocka_unit_test(page_text),
		cmocka_unit_test(page_from_tree_is_page_from_html),
		cmocka_unit_test(page_text_whole_or_piecewise),
		cmocka_unit_test(index_ranks_title_heading_text),
		cmocka_unit_test(index_deterministic),
		cmocka_unit_test(index_patched_as_written),
		cmocka_unit_test(index_patch_state_checked),
		cmocka_unit_test(index_patch_declines_a_split),
		cmocka_unit_test(index_patch_adds_and_removes_a_shard),
		cmocka_unit_test(index_patch_forms),
		cmocka_unit_test(index_spilled_same),
		cmocka_unit_test(index_blocks_freed_while_merged),
		cmocka_unit_test(index_from_records_same),
		cmocka_unit_test(index_threads),
		cmocka_unit_test(index_shards),
		cmocka_unit_test(index_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* text.c: words, folding, stop words and stemming for the search index. */
#include "search/text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search/stemmer_lib.h"
#include "util/fold.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* Stop words, folded and sorted bytewise (test_search checks the order).
 * Short lists on purpose: only words that never help find a help article.
 * One-letter words are dropped anyway (text.h), so they are not listed. */
static const char *const stop_fr[] = {
	"au", "aux", "avec", "avez", "ce", "ces", "cet", "cette", "dans", "de", "des",
	"du", "elle", "elles", "en", "est", "et", "etait", "ete", "etre", "eux", "il", "ils",
	"je", "la", "le", "les", "leur", "leurs", "lui", "ma", "mais", "me",
	"mes", "moi", "mon", "ne", "nos", "notre", "nous", "on", "ont", "ou", "par", "pas",
	"pour", "qu", "que", "qui", "sa", "sans", "se", "ses", "son", "sont", "sur",
	"ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", NULL
};
static const char *const stop_en[] = {
	"an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "do", "does",
	"for", "from", "had", "has", "have", "he", "her", "his", "how", "if", "in", "into",
	"is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "our", "she", "so",
	"such", "that", "the", "their", "them", "then", "there", "these", "they", "this",
	"those", "to", "was", "we", "were", "what", "when", "where", "which", "who", "will",
	"with", "would", "you", "your", NULL
};
static const char *const stop_de[] = {
	"aber", "als", "am", "an", "auch", "auf", "aus", "bei", "bin", "bis", "bist", "da",
	"dann", "das", "dass", "dem", "den", "der", "des", "die", "dies", "diese", "dieser",
	"dieses", "du", "durch", "ein", "eine", "einem", "einen", "einer", "eines", "er", "es",
	"fur", "hat", "hatte", "ich", "ihr", "im", "in", "ist", "ja", "kann", "mit", "nach",
	"nicht", "noch", "nur", "oder", "sich", "sie", "sind", "so", "um", "und", "uns", "vom",
	"von", "war", "was", "wenn", "wie", "wir", "wird", "zu", "zum", "zur", NULL
};
static const char *const stop_es[] = {
	"al", "algo", "con", "de", "del", "desde", "donde", "el", "ella", "ellos", "en",
	"entre", "era", "es", "esta", "este", "esto", "estos", "fue", "ha", "hay", "la", "las",
	"le", "les", "lo", "los", "mas", "me", "mi", "muy", "no", "nos", "para", "pero",
	"por", "que", "se", "si", "sin", "sobre", "su", "sus", "tambien", "te", "tu", "un",
	"una", "uno", "unos", "ya", "yo", NULL
};
static const char *const stop_it[] = {
	"ad", "agli", "ai", "al", "alla", "alle", "allo", "anche", "che", "chi", "ci",
	"come", "con", "da", "dal", "dalla", "dei", "del", "della", "delle", "dello", "di",
	"ed", "gli", "ha", "hanno", "il", "in", "io", "la", "le", "lei", "lo", "loro",
	"lui", "ma", "mi", "ne", "negli", "nei", "nel", "nella", "non", "per", "piu",
	"quella", "quello", "questa", "questo", "se", "si", "sono", "su", "sua", "sue", "sui",
	"sul", "sulla", "suo", "tra", "tu", "un", "una", "uno", "voi", NULL
};
static const char *const stop_none[] = { NULL };

static const struct lang_row {
	const char *code, *snowball;
	const char *const *stop;
} langs[] = {
	{ "fr", "french", stop_fr },
	{ "en", "english", stop_en },
	{ "de", "german", stop_de },
	{ "es", "spanish", stop_es },
	{ "it", "italian", stop_it },
};

struct search_text {
	struct sb_stemmer *stemmer; /* NULL: folding only */
	const char *const *stop;
	size_t n_stop;
	buf low; /* scratch: the lowercased word given to the stemmer */
	buf fold;
};

search_text *search_text_new(const char *lang)
{
	search_text *t = xcalloc(1, sizeof *t);
	t->stop = stop_none;
	buf_init(&t->low, 64);
	buf_init(&t->fold, 64);
	for (size_t i = 0; lang && i < sizeof langs / sizeof langs[0]; i++) {
		if (strcmp(lang, langs[i].code) != 0)
			continue;
		t->stop = langs[i].stop;
		/* Loaded by the build already; else the message, and exit. */
		if (search_text_load() != PHARE_OK)
			exit(EXIT_FAILED);
		/* NULL only on out-of-memory, which the policy makes fatal. */
		t->stemmer = sb.new(langs[i].snowball, "UTF_8");
		if (!t->stemmer) {
			fprintf(stderr, "phare: fatal: out of memory (Snowball stemmer \"%s\")\n",
				langs[i].snowball);
			abort();
		}
		break;
	}
	while (t->stop[t->n_stop])
		t->n_stop++;
	return t;
}

void search_text_free(search_text *t)
{
	if (!t)
		return;
	if (t->stemmer)
		sb.delete(t->stemmer);
	buf_release(&t->low);
	buf_release(&t->fold);
	free(t);
}

bool search_text_stems(const search_text *t)
{
	return t->stemmer != NULL;
}

/* Letters and digits: what \p{L}\p{N} means to search.js, approximated by
 * excluding the punctuation and symbol blocks (combining marks count as
 * part of a word; folding removes them). */
static bool is_word_cp(long cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
	if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7)
		return false;
	if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x2E00 && cp <= 0x2E7F) ||
	    (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE10 && cp <= 0xFE6F) ||
	    (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
	    (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) ||
	    (cp >= 0xFFF0 && cp <= 0xFFFF) || (cp >= 0x1F000 && cp <= 0x1FAFF))
		return false;
	return true;
}

#define SEARCH_TEXT_X10 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
#define SEARCH_TEXT_X26 SEARCH_TEXT_X10, SEARCH_TEXT_X10, 1, 1, 1, 1, 1, 1
#define SEARCH_TEXT_HIGH16 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2
const unsigned char search_text_byte_class[256] = {
	['0'] = SEARCH_TEXT_X10,
	['A'] = SEARCH_TEXT_X26,
	['a'] = SEARCH_TEXT_X26,
	[0x80] = SEARCH_TEXT_HIGH16, SEARCH_TEXT_HIGH16, SEARCH_TEXT_HIGH16, SEARCH_TEXT_HIGH16,
	SEARCH_TEXT_HIGH16, SEARCH_TEXT_HIGH16, SEARCH_TEXT_HIGH16, SEARCH_TEXT_HIGH16,
};

/* 1: an ASCII letter or digit; 2: a byte from 0x80 (decode to decide); 0: neither. */
static int byte_class(unsigned char c)
{
	return search_text_byte_class[c];
}

static bool is_ascii_word(unsigned char c)
{
	return byte_class(c) == 1;
}

/* ASCII, most of any text, is decided without decoding. */
bool search_text_word_char(const char *s, size_t n, size_t *i)
{
	unsigned char c = (unsigned char)s[*i];
	if (c < 0x80) {
		(*i)++;
		return is_ascii_word(c);
	}
	long cp = utf8_next(s, n, i);
	return cp >= 0 && is_word_cp(cp);
}

bool search_text_next_word(const char *s, size_t n, size_t *pos, size_t *start, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = *pos;
	while (i < n) {
		size_t at = i;
		if (u[i] < 0x80 ? !is_ascii_word(u[i++]) : !search_text_word_char(s, n, &i))
			continue;
		size_t end = i;
		while (end < n) {
			int c = byte_class(u[end]);
			if (c == 1) { /* most words: ASCII, no decoding */
				end++;
				continue;
			}
			size_t j = end;
			if (c == 0 || !search_text_word_char(s, n, &j))
				break;
			end = j;
		}
		*start = at;
		*len = end - at;
		*pos = end;
		return true;
	}
	*pos = n;
	return false;
}

void search_text_lower(const char *s, size_t n, buf *out)
{
	for (size_t i = 0; i < n;) {
		long cp = utf8_next(s, n, &i);
		if (cp >= 0)
			utf8_put(out, fold_lower(cp));
	}
}

void search_text_fold(const char *s, size_t n, buf *out)
{
	for (size_t i = 0; i < n;) {
		long cp = utf8_next(s, n, &i);
		const char *f;
		if (cp < 0 || fold_is_mark(cp))
			continue;
		if (cp >= 'A' && cp <= 'Z')
			buf_addc(out, (char)(cp + 'a' - 'A'));
		else if ((f = fold_cp(cp)))
			buf_adds(out, f);
		else
			utf8_put(out, cp);
	}
}

const char *const *search_text_stop_words(const search_text *t)
{
	return t->stop;
}

bool search_text_is_stop(const search_text *t, const char *folded, size_t n)
{
	size_t lo = 0, hi = t->n_stop;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *w = t->stop[mid];
		size_t wn = strlen(w);
		int c = memcmp(w, folded, wn < n ? wn : n);
		if (c == 0)
			c = wn < n ? -1 : wn > n ? 1 : 0;
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

bool search_text_key(search_text *t, const char *word, size_t n, buf *key, buf *surface)
{
	buf_reset(key);
	buf_reset(&t->fold);
	search_text_fold(word, n, &t->fold);
	if (surface) {
		buf_reset(surface);
		buf_add(surface, t->fold.ptr, t->fold.len);
	}
	size_t chars = utf8_count(t->fold.ptr, t->fold.len);
	if (chars == 0 || t->fold.len > SEARCH_WORD_MAX)
		return false;
	if (chars == 1 && !(t->fold.ptr[0] >= '0' && t->fold.ptr[0] <= '9'))
		return false;
	if (search_text_is_stop(t, t->fold.ptr, t->fold.len))
		return false;
	if (!t->stemmer) {
		buf_add(key, t->fold.ptr, t->fold.len);
		return true;
	}
	buf_reset(&t->low);
	search_text_lower(word, n, &t->low);
	const sb_symbol *stem = sb.stem(t->stemmer, (const sb_symbol *)t->low.ptr, (int)t->low.len);
	if (!stem) {
		fputs("phare: fatal: out of memory (Snowball stemmer)\n", stderr);
		abort();
	}
	search_text_fold((const char *)stem, (size_t)sb.length(t->stemmer), key);
	if (key->len == 0)
		buf_add(key, t->fold.ptr, t->fold.len);
	return true;
}

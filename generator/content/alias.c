/* alias.c: see alias.h. */
#include "content/alias.h"

#include <stdbool.h>
#include <string.h>

/* Letters, digits, '-', '_' and '.' (not leading) in every segment. */
static bool alias_valid_segment(const char *s, size_t n)
{
	if (n == 0 || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return false;
	return true;
}

static bool alias_is_language(const char *p, size_t n, const char *const *langs, size_t n_langs)
{
	for (size_t i = 0; i < n_langs; i++)
		if (strlen(langs[i]) == n && memcmp(langs[i], p, n) == 0)
			return true;
	return false;
}

const char *alias_problem(const char *alias, const char *const *langs, size_t n_langs)
{
	const char *p = alias + 1, *slash = strchr(p, '/');
	size_t n = strlen(p), first = slash ? (size_t)(slash - p) : n;
	bool in_lang = slash && alias_is_language(p, first, langs, n_langs);
	if (n == 0 || (in_lang && !slash[1]))
		return "that is a home page; an alias is an old page, e.g. /fr/ancien/chemin/";
	/* at the root: index.html, sitemap.xml, assets/ and the languages are the build's */
	if (!in_lang && (memchr(p, '.', first) || alias_is_language(p, first, langs, n_langs) ||
			 (first == 6 && memcmp(p, "assets", 6) == 0)))
		return "an alias outside a language folder must not start with assets/, a language, or a "
		       "name with a '.' (the build writes those); e.g. /fr/ancien/chemin/ or /guides/old/";
	for (const char *s = p; *s;) {
		const char *e = strchr(s, '/');
		size_t k = e ? (size_t)(e - s) : strlen(s);
		if (!alias_valid_segment(s, k))
			return "an alias's folders are letters, digits, '-', '_' and '.' (not first)";
		s += k + (e ? 1 : 0);
	}
	return NULL;
}

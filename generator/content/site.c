/* site.c: loads and validates content/site.yaml (format in site.h). */
#include "content/site.h"

#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/yamldoc.h"

bool site_parse_base_url(arena *a, const char *url, const char **origin, const char **base)
{
	const char *path = url;
	*origin = "";
	if (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0) {
		const char *host = strstr(url, "//") + 2;
		path = strchr(host, '/');
		if (!path)
			path = host + strlen(host);
		if (path == host)
			return false;
		*origin = arena_strndup(a, url, (size_t)(path - url));
	} else if (url[0] != '/') {
		return false;
	}
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\' ||
		    *p == '?' || *p == '#')
			return false;
	size_t n = strlen(path);
	if (n == 0)
		*base = "/";
	else if (path[n - 1] == '/')
		*base = arena_strdup(a, path);
	else
		*base = arena_printf(a, "%s/", path);
	return true;
}

int site_language_index(const site_config *cfg, const char *code, size_t len)
{
	for (size_t i = 0; i < cfg->n_languages; i++)
		if (strlen(cfg->languages[i].code) == len && memcmp(cfg->languages[i].code, code, len) == 0)
			return (int)i;
	return -1;
}

bool site_valid_code(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return true;
}

static phare_status site_expect(const site_config *cfg, const value *v, value_kind kind, const char *what)
{
	if (v->kind == kind)
		return PHARE_OK;
	diag_error(cfg->path, v->line, v->col, "%s must be a %s, not a %s", what,
		   value_kind_name(kind), value_kind_name(v->kind));
	return PHARE_ERR_INPUT;
}

static phare_status site_languages(site_config *cfg, const value *list)
{
	phare_status s;
	if ((s = site_expect(cfg, list, VAL_LIST, "'languages'")))
		return s;
	if (list->u.list.len == 0 || list->u.list.len > SITE_MAX_LANGUAGES) {
		diag_error(cfg->path, list->line, list->col,
			   "'languages' must list between 1 and %d languages", SITE_MAX_LANGUAGES);
		return PHARE_ERR_INPUT;
	}
	for (size_t i = 0; i < list->u.list.len; i++) {
		const value *l = list->u.list.items[i];
		if ((s = site_expect(cfg, l, VAL_MAP, "each language")))
			return s;
		const value *code = value_map_get(l, "code"), *name = value_map_get(l, "name");
		for (size_t k = 0; k < l->u.map.len; k++) {
			const char *key = l->u.map.keys[k];
			if (strcmp(key, "code") && strcmp(key, "name")) {
				const value *kv = l->u.map.vals[k];
				diag_error(cfg->path, kv->line, kv->col,
					   "unknown key '%s' in a language; a language has 'code' and 'name'", key);
				return PHARE_ERR_INPUT;
			}
		}
		if (!code || code->kind == VAL_LIST || code->kind == VAL_MAP || !site_valid_code(code->str)) {
			diag_error(cfg->path, l->line, l->col,
				   "each language needs a 'code' such as 'fr' or 'pt-br' (lowercase letters, digits, '-')");
			return PHARE_ERR_INPUT;
		}
		if (site_language_index(cfg, code->str, code->len) >= 0) {
			diag_error(cfg->path, code->line, code->col, "language '%s' is listed twice", code->str);
			return PHARE_ERR_INPUT;
		}
		site_language *sl = &cfg->languages[cfg->n_languages++];
		sl->code = code->str;
		sl->name = name && name->kind != VAL_LIST && name->kind != VAL_MAP ? name->str : code->str;
	}
	return PHARE_OK;
}

/* title: a string, or one per language. */
static phare_status site_titles(site_config *cfg, const value *title)
{
	for (size_t i = 0; i < cfg->n_languages; i++)
		cfg->languages[i].title = NULL;
	if (!title)
		return PHARE_OK;
	if (title->kind != VAL_MAP && title->kind != VAL_LIST) {
		for (size_t i = 0; i < cfg->n_languages; i++)
			cfg->languages[i].title = title->str;
		return PHARE_OK;
	}
	if (title->kind != VAL_MAP) {
		diag_error(cfg->path, title->line, title->col,
			   "'title' must be a string or a mapping of language to string");
		return PHARE_ERR_INPUT;
	}
	for (size_t k = 0; k < title->u.map.len; k++) {
		const char *code = title->u.map.keys[k];
		const value *v = title->u.map.vals[k];
		int li = site_language_index(cfg, code, strlen(code));
		if (li < 0) {
			diag_error(cfg->path, v->line, v->col,
				   "title given for '%s', which is not in 'languages'", code);
			return PHARE_ERR_INPUT;
		}
		cfg->languages[li].title = v->str ? v->str : "";
	}
	return PHARE_OK;
}

static phare_status site_feedback(arena *a, site_config *cfg, const value *fb)
{
	phare_status s;
	if ((s = site_expect(cfg, fb, VAL_MAP, "'feedback'")))
		return s;
	for (size_t k = 0; k < fb->u.map.len; k++) {
		const value *v = fb->u.map.vals[k];
		if (strcmp(fb->u.map.keys[k], "endpoint") != 0) {
			diag_error(cfg->path, v->line, v->col,
				   "unknown key '%s' in 'feedback'; it takes 'endpoint'", fb->u.map.keys[k]);
			return PHARE_ERR_INPUT;
		}
		const char *o, *b;
		if (v->kind != VAL_STRING || !site_parse_base_url(a, v->str, &o, &b)) {
			diag_error(cfg->path, v->line, v->col,
				   "'feedback.endpoint' must be a path such as /api/feedback or a full http(s) URL");
			return PHARE_ERR_INPUT;
		}
		cfg->feedback_endpoint = v->str;
	}
	return PHARE_OK;
}

/* callouts: { primary: note, … }: a team's own notice names onto the kinds
 * of render/callout.h. */
static phare_status site_callouts(arena *a, site_config *cfg, const value *map)
{
	phare_status s;
	if ((s = site_expect(cfg, map, VAL_MAP, "'callouts'")))
		return s;
	cfg->callouts = arena_alloc(a, sizeof(callout_alias) * (map->u.map.len + 1));
	for (size_t k = 0; k < map->u.map.len; k++) {
		const char *name = map->u.map.keys[k];
		const value *v = map->u.map.vals[k];
		bool valid = (*name >= 'a' && *name <= 'z') || (*name >= 'A' && *name <= 'Z');
		for (const char *p = name; *p && valid; p++)
			valid = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
				*p == '-' || *p == '_';
		if (!valid) {
			diag_error(cfg->path, v->line, v->col,
				   "callouts: '%s' is not a notice name; a name is letters, "
				   "digits, '-' and '_', starting with a letter, as in '> [!PRIMARY]'",
				   name);
			return PHARE_ERR_INPUT;
		}
		if (callout_kind_find(name, strlen(name)) >= 0 || strcasecmp(name, "tabs") == 0) {
			diag_error(cfg->path, v->line, v->col,
				   "callouts: '%s' is already a kind of its own; "
				   "list only other names",
				   name);
			return PHARE_ERR_INPUT;
		}
		int kind = v->kind == VAL_STRING ? callout_kind_find(v->str, v->len) : -1;
		if (kind < 0) {
			diag_error(cfg->path, v->line, v->col,
				   "callouts: '%s' is not a kind of notice; map '%s' onto "
				   "note, tip, important, warning or caution",
				   v->str ? v->str : value_kind_name(v->kind), name);
			return PHARE_ERR_INPUT;
		}
		char *lower = arena_strdup(a, name);
		for (char *p = lower; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		for (size_t i = 0; i < cfg->n_callouts; i++)
			if (strcmp(cfg->callouts[i].name, lower) == 0) {
				diag_error(cfg->path, v->line, v->col, "callouts: '%s' is given twice; keep only one",
					   name);
				return PHARE_ERR_INPUT;
			}
		cfg->callouts[cfg->n_callouts++] = (callout_alias){ lower, (callout_kind)kind };
	}
	return PHARE_OK;
}

static phare_status site_bool(const site_config *cfg, const value *v, const char *key, bool *out)
{
	if (v->kind != VAL_BOOL) {
		diag_error(cfg->path, v->line, v->col, "'%s' must be true or false, not '%s'", key,
			   v->str ? v->str : value_kind_name(v->kind));
		return PHARE_ERR_INPUT;
	}
	*out = v->u.b;
	return PHARE_OK;
}

/* A limit: key, when present, a whole number from min to max (of unit). */
static phare_status site_count(const site_config *cfg, const value *root, const char *key, const char *unit, size_t min,
			       size_t max, size_t *out)
{
	const value *v = value_map_get(root, key);
	if (!v)
		return PHARE_OK;
	if (v->kind != VAL_NUMBER || v->u.num < (double)min || v->u.num > (double)max ||
	    v->u.num != (double)(long)v->u.num) {
		diag_error(cfg->path, v->line, v->col, "%s must be a whole number of %s from %zu to %zu, not '%s'", key,
			   unit, min, max, v->str ? v->str : value_kind_name(v->kind));
		return PHARE_ERR_INPUT;
	}
	*out = (size_t)v->u.num;
	return PHARE_OK;
}

static phare_status site_fields(arena *a, site_config *cfg, const value *root, const char *base_override)
{
	static const char *const known[] = { "title",           "base_url",    "default_language",
					     "languages",       "unsafe_html", "missing_translation",
					     "outdated_banner", "feedback",    "max_article_bytes",
					     "max_file_bytes",  "max_files",   "callouts",
					     "analytics",       NULL };
	phare_status s;
	for (size_t k = 0; k < root->u.map.len; k++) {
		const char *key = root->u.map.keys[k];
		const char *const *kn = known;
		while (*kn && strcmp(*kn, key))
			kn++;
		if (!*kn) {
			const value *v = root->u.map.vals[k];
			diag_error(cfg->path, v->line, v->col,
				   "unknown key '%s'; site.yaml takes title, base_url, default_language, languages, "
				   "unsafe_html, missing_translation, outdated_banner, feedback, max_article_bytes, "
				   "max_file_bytes, max_files, callouts, analytics",
				   key);
			return PHARE_ERR_INPUT;
		}
	}
	const value *langs = value_map_get(root, "languages");
	if (!langs) {
		diag_error(cfg->path, 1, 1, "'languages' is missing; list them, e.g. languages: [{code: en, name: English}]");
		return PHARE_ERR_INPUT;
	}
	cfg->line_of_languages = langs->line;
	if ((s = site_languages(cfg, langs)) || (s = site_titles(cfg, value_map_get(root, "title"))))
		return s;

	const value *def = value_map_get(root, "default_language");
	cfg->default_language = 0;
	if (def) {
		int li = def->str ? site_language_index(cfg, def->str, def->len) : -1;
		if (li < 0) {
			diag_error(cfg->path, def->line, def->col,
				   "default_language '%s' is not one of 'languages'", def->str ? def->str : "");
			return PHARE_ERR_INPUT;
		}
		cfg->default_language = (size_t)li;
	}
	for (size_t i = 0; i < cfg->n_languages; i++)
		if (!cfg->languages[i].title)
			cfg->languages[i].title = cfg->languages[cfg->default_language].title;

	const value *bu = value_map_get(root, "base_url");
	const char *url = base_override ? base_override : bu && bu->str ? bu->str : "/";
	if (!site_parse_base_url(a, url, &cfg->origin, &cfg->base)) {
		if (base_override)
			diag_error(NULL, 0, 0, "--base-url '%s' must be a path such as /help/ or a full http(s) URL", url);
		else
			diag_error(cfg->path, bu->line, bu->col,
				   "base_url '%s' must be a path such as /help/ or a full http(s) URL", url);
		return PHARE_ERR_INPUT;
	}
	const value *v;
	if ((v = value_map_get(root, "unsafe_html")) && (s = site_bool(cfg, v, "unsafe_html", &cfg->unsafe_html)))
		return s;
	cfg->outdated_banner = true;
	cfg->analytics = true;
	if ((v = value_map_get(root, "analytics")) && (s = site_bool(cfg, v, "analytics", &cfg->analytics)))
		return s;
	if ((v = value_map_get(root, "outdated_banner")) &&
	    (s = site_bool(cfg, v, "outdated_banner", &cfg->outdated_banner)))
		return s;
	if ((v = value_map_get(root, "missing_translation"))) {
		if (v->str && strcmp(v->str, "link") == 0)
			cfg->missing = MISSING_LINK;
		else if (v->str && strcmp(v->str, "fallback") == 0)
			cfg->missing = MISSING_FALLBACK;
		else {
			diag_error(cfg->path, v->line, v->col, "missing_translation must be 'link' or 'fallback'");
			return PHARE_ERR_INPUT;
		}
	}
	if ((v = value_map_get(root, "feedback")) && (s = site_feedback(a, cfg, v)))
		return s;
	if ((v = value_map_get(root, "callouts")) && (s = site_callouts(a, cfg, v)))
		return s;
	if ((s = site_count(cfg, root, "max_article_bytes", "bytes", 1024, 16 << 20, &cfg->max_article_bytes)) ||
	    (s = site_count(cfg, root, "max_file_bytes", "bytes", 1024, (size_t)4 << 30, &cfg->max_file_bytes)) ||
	    (s = site_count(cfg, root, "max_files", "files", 1, 10000000, &cfg->max_files)))
		return s;
	return PHARE_OK;
}

phare_status site_load(arena *a, const char *path, const char *shown_path,
		       const char *base_url_override, site_config *cfg)
{
	buf text = BUF_INIT;
	value *root = NULL;
	phare_status s;
	memset(cfg, 0, sizeof(*cfg));
	cfg->path = arena_strdup(a, shown_path);
	if (fsx_stat(path) == FSX_MISSING) {
		diag_error(shown_path, 0, 0, "not found; a site needs content/site.yaml "
			   "(see README.md, \"Content format\")");
		return PHARE_ERR_INPUT;
	}
	if ((s = fsx_read(path, &text, 1 << 20)))
		goto out;
	if ((s = yamldoc_parse(a, cfg->path, text.ptr, text.len, 1, &root)))
		goto out;
	if (root->kind != VAL_MAP) {
		diag_error(cfg->path, root->line, root->col, "site.yaml must be a mapping of settings");
		s = PHARE_ERR_INPUT;
		goto out;
	}
	s = site_fields(a, cfg, root, base_url_override);
out:
	buf_release(&text);
	return s;
}

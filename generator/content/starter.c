/* starter.c: the starter help centre and new articles of `phare new`
 * (starter.h).  The texts are English and French; other languages get the
 * English text, marked as a translation of the default language's. */
#include "content/starter.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "content/article.h"
#include "content/model.h"
#include "content/site.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsx.h"
#include "util/hash.h"
#include "util/xalloc.h"

/* ---- the texts ---- */

typedef struct starter_text {
	const char *en, *fr;
} starter_text;

static const char *st_pick(const starter_text *t, const char *lang) { return strcmp(lang, "fr") == 0 ? t->fr : t->en; }

/* Whether the starter has its own text in lang (else it is English). */
static bool st_written_in(const char *lang) { return strcmp(lang, "fr") == 0 || strcmp(lang, "en") == 0; }

static const struct {
	const char *code, *name;
} st_names[] = {
	{ "de", "Deutsch" },   { "en", "English" }, { "es", "Español" },    { "fr", "Français" },
	{ "it", "Italiano" },  { "ja", "日本語" },  { "nl", "Nederlands" }, { "pl", "Polski" },
	{ "pt", "Português" }, { "sv", "Svenska" }, { "zh", "中文" },
};

const char *starter_language_name(const char *code)
{
	for (size_t i = 0; i < sizeof st_names / sizeof st_names[0]; i++)
		if (strcmp(st_names[i].code, code) == 0)
			return st_names[i].name;
	return code;
}

static const starter_text st_site_title = { "Help Centre", "Centre d'aide" };

static const starter_text st_home = {
	"---\n"
	"title: \"Help Centre\"\n"
	"description: \"Answers to your questions, step-by-step guides and comparisons.\"\n"
	"%s"
	"---\n"
	"Welcome to the help centre. Start with [your first steps](getting-started/first-steps.md), or let\n"
	"a short questionnaire suggest the plan that fits you:\n"
	"[which plan?](getting-started/first-steps.md#choose-a-plan)\n",
	"---\n"
	"title: \"Centre d'aide\"\n"
	"description: \"Des réponses à vos questions, des guides pas à pas et des comparatifs.\"\n"
	"%s"
	"---\n"
	"Bienvenue dans le centre d'aide. Commencez par [vos premiers pas](getting-started/first-steps.md),\n"
	"ou laissez un court questionnaire vous suggérer l'offre qui vous convient :\n"
	"[quelle offre ?](getting-started/first-steps.md#choose-a-plan)\n",
};

static const starter_text st_section = {
	"---\n"
	"title: \"Getting started\"\n"
	"description: \"Set up your account and find your way around.\"\n"
	"weight: 10\n"
	"%s"
	"---\n"
	"The essentials for a good start.\n",
	"---\n"
	"title: \"Premiers pas\"\n"
	"description: \"Créez votre compte et prenez vos repères.\"\n"
	"weight: 10\n"
	"%s"
	"---\n"
	"L'essentiel pour bien commencer.\n",
};

/* %s: translation_of, then the date */
static const starter_text st_article = {
	"---\n"
	"title: \"First steps\"\n"
	"description: \"What to do first, and which plan to choose.\"\n"
	"weight: 10\n"
	"updated: %s\n"
	"tags: [start]\n"
	"%s"
	"---\n"
	"This article is a starting point: edit it, or write your own next to it with\n"
	"`phare new article getting-started/my-article`.\n"
	"\n"
	"> [!TIP]\n"
	"> `phare serve` shows the site as you write, and reloads the page when you save.\n"
	"\n"
	"## Install the tools {#install}\n"
	"\n"
	"```console\n"
	"$ sudo apt install curl\n"
	"$ curl --version\n"
	"```\n"
	"\n"
	"## Compare the plans {#plans}\n"
	"\n"
	"```table plans\n"
	"```\n"
	"\n"
	"## Choose a plan {#choose-a-plan}\n"
	"\n"
	"```questionnaire choose-plan\n"
	"```\n",
	"---\n"
	"title: \"Premiers pas\"\n"
	"description: \"Ce qu'il faut faire d'abord, et quelle offre choisir.\"\n"
	"weight: 10\n"
	"updated: %s\n"
	"tags: [start]\n"
	"%s"
	"---\n"
	"Cet article est un point de départ : modifiez-le, ou écrivez le vôtre à côté avec\n"
	"`phare new article getting-started/mon-article`.\n"
	"\n"
	"> [!TIP]\n"
	"> `phare serve` affiche le site pendant que vous écrivez, et recharge la page à chaque\n"
	"> enregistrement.\n"
	"\n"
	"## Installer les outils {#install}\n"
	"\n"
	"```console\n"
	"$ sudo apt install curl\n"
	"$ curl --version\n"
	"```\n"
	"\n"
	"## Comparer les offres {#plans}\n"
	"\n"
	"```table plans\n"
	"```\n"
	"\n"
	"## Choisir une offre {#choose-a-plan}\n"
	"\n"
	"```questionnaire choose-plan\n"
	"```\n",
};

/* One line of a YAML or Lua map of every language: `en: "…", fr: "…"`. */
typedef struct st_langs {
	char *const *codes;
	size_t n;
} st_langs;

static void st_map(buf *out, const st_langs *l, const starter_text *t, const char *sep)
{
	buf_adds(out, "{ ");
	for (size_t i = 0; i < l->n; i++)
		buf_addf(out, "%s%s%s\"%s\"", i ? ", " : "", l->codes[i], sep, st_pick(t, l->codes[i]));
	buf_adds(out, " }");
}

static void st_table(buf *out, const st_langs *l)
{
	static const starter_text title = { "Plans compared", "Les offres comparées" }, small = { "Small", "Petite" },
				  large = { "Large", "Grande" }, cpu = { "Processors", "Processeurs" },
				  mem = { "Memory", "Mémoire" }, use = { "Made for", "Pour" },
				  one = { "1 vCPU", "1 vCPU" }, four = { "4 vCPU", "4 vCPU" },
				  two_gb = { "2 GB", "2 Go" }, eight_gb = { "8 GB", "8 Go" },
				  use_small = { "a **website** or a test server",
						"un **site web** ou un serveur de test" },
				  use_large = { "an **application** with many visitors",
						"une **application** très fréquentée" };
	const struct {
		const char *id;
		const starter_text *criterion, *small, *large;
	} rows[] = { { "cpu", &cpu, &one, &four },
		     { "memory", &mem, &two_gb, &eight_gb },
		     { "use", &use, &use_small, &use_large } };
	buf_adds(out, "# A comparison table: shown where an article writes ```table plans```.\ntitle: ");
	st_map(out, l, &title, ": ");
	buf_adds(out, "\ncolumns:\n  - id: small\n    label: ");
	st_map(out, l, &small, ": ");
	buf_adds(out, "\n  - id: large\n    label: ");
	st_map(out, l, &large, ": ");
	buf_adds(out, "\nrows:\n");
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
		buf_addf(out, "  - id: %s\n    criterion: ", rows[r].id);
		st_map(out, l, rows[r].criterion, ": ");
		buf_adds(out, "\n    cells:\n      small: ");
		st_map(out, l, rows[r].small, ": ");
		buf_adds(out, "\n      large: ");
		st_map(out, l, rows[r].large, ": ");
		buf_adds(out, "\n");
	}
}

/* One answer of a question: `    { id = "few", en = "…", fr = "…", },`. */
static void st_answer(buf *out, const st_langs *l, const char *id, const starter_text *t)
{
	buf_addf(out, "    { id = \"%s\", ", id);
	for (size_t i = 0; i < l->n; i++)
		buf_addf(out, "%s = \"%s\", ", l->codes[i], st_pick(t, l->codes[i]));
	buf_adds(out, "},\n");
}

static void st_rules(buf *out, const st_langs *l)
{
	static const starter_text
		title = { "Which plan fits you?", "Quelle offre vous convient ?" },
		intro = { "Two questions, and we suggest a plan.",
			  "Deux questions, et nous vous suggérons une offre." },
		q_traffic = { "How many visitors do you expect?", "Combien de visiteurs attendez-vous ?" },
		a_few = { "A few hundred a day", "Quelques centaines par jour" },
		a_many = { "Thousands a day or more", "Des milliers par jour, ou plus" },
		q_growth = { "Will it grow soon?", "Cela va-t-il grandir bientôt ?" }, a_yes = { "Yes", "Oui" },
		a_no = { "No", "Non" }, o_small = { "The Small plan", "L'offre Petite" },
		o_large = { "The Large plan", "L'offre Grande" },
		s_small = { "Enough for a website or a test server; you can move up later.",
			    "Assez pour un site web ou un serveur de test ; vous pourrez monter en gamme plus tard." },
		s_large = { "Room for an application with many visitors.",
			    "De la place pour une application très fréquentée." },
		r_many = { "Thousands of visitors a day need the Large plan's processors.",
			   "Des milliers de visiteurs par jour demandent les processeurs de l'offre Grande." },
		r_growth = { "It will grow soon: start where it will be.",
			     "Cela va grandir bientôt : commencez là où vous serez." },
		r_small = { "A few hundred visitors a day fit well in the Small plan.",
			    "Quelques centaines de visiteurs par jour tiennent bien dans l'offre Petite." };
	buf_adds(out,
		 "-- A questionnaire: shown where an article writes ```questionnaire choose-plan```.\n"
		 "-- Its rules run when the site is built; phare rules test checks the expect lines.\ntitle ");
	st_map(out, l, &title, " = ");
	buf_adds(out, "\nintro ");
	st_map(out, l, &intro, " = ");
	buf_adds(out, "\n\nquestion \"traffic\" {\n  text = ");
	st_map(out, l, &q_traffic, " = ");
	buf_adds(out, ",\n  answers = {\n");
	st_answer(out, l, "few", &a_few);
	st_answer(out, l, "many", &a_many);
	buf_adds(out, "  },\n}\n\nquestion \"growth\" {\n  text = ");
	st_map(out, l, &q_growth, " = ");
	buf_adds(out, ",\n  answers = {\n");
	st_answer(out, l, "yes", &a_yes);
	st_answer(out, l, "no", &a_no);
	buf_adds(out, "  },\n}\n\noutcome \"small\" {\n  text = ");
	st_map(out, l, &o_small, " = ");
	buf_adds(out, ",\n  summary = ");
	st_map(out, l, &s_small, " = ");
	buf_adds(out, ",\n  article = \"getting-started/first-steps\",\n}\n\noutcome \"large\" {\n  text = ");
	st_map(out, l, &o_large, " = ");
	buf_adds(out, ",\n  summary = ");
	st_map(out, l, &s_large, " = ");
	buf_adds(out,
		 ",\n  article = \"getting-started/first-steps\",\n}\n\ndecide(function(a)\n"
		 "  if a.traffic == \"many\" then\n    return \"large\", ");
	st_map(out, l, &r_many, " = ");
	buf_adds(out, "\n  end\n  if a.growth == \"yes\" then\n    return \"large\", ");
	st_map(out, l, &r_growth, " = ");
	buf_adds(out, "\n  end\n  return \"small\", ");
	st_map(out, l, &r_small, " = ");
	buf_adds(out,
		 "\nend)\n\n"
		 "expect({ traffic = \"many\" }, \"large\")\n"
		 "expect({ traffic = \"few\", growth = \"yes\" }, \"large\")\n"
		 "expect({ traffic = \"few\", growth = \"no\" }, \"small\")\n");
}

static void st_site_yaml(buf *out, const st_langs *l)
{
	buf_adds(out, "# The help centre's settings (README: \"Content format\").\ntitle: ");
	st_map(out, l, &st_site_title, ": ");
	buf_addf(out, "\nbase_url: /\ndefault_language: %s\nlanguages:\n", l->codes[0]);
	for (size_t i = 0; i < l->n; i++)
		buf_addf(out, "  - { code: %s, name: %s }\n", l->codes[i], starter_language_name(l->codes[i]));
	buf_adds(out,
		 "# Readers' \"was this article helpful?\" votes go to `phare collect`, served at this path.\n"
		 "feedback: { endpoint: /api/feedback }\n");
}

/* ---- writing ---- */

static phare_status st_write(const char *dir, const char *rel, const buf *text)
{
	char *path = fsx_join(dir, rel);
	char *folder = xstrdup(path);
	*strrchr(folder, '/') = '\0';
	phare_status s = fsx_mkdirs(folder);
	if (!s)
		s = fsx_create(path, text->ptr, text->len);
	if (!s)
		printf("  %s\n", path);
	free(folder);
	free(path);
	return s;
}

/* The text of one Markdown file of the starter, in lang; for a language
 * other than the first, translation_of the first's text (*source). */
static void st_page(buf *out, const starter_text *t, const char *lang, const char *date, const buf *source, bool first)
{
	buf tr = BUF_INIT;
	if (!first && st_written_in(lang)) {
		char rev[17];
		hash_fnv1a_hex(source->ptr, source->len, rev);
		buf_addf(&tr, "translation_of: %s\n", rev);
	} else if (!first) {
		buf_adds(&tr,
			 "# English text: translate it, then record the revision translated here\n"
			 "# (translation_of: ..., as phare translations prints it).\n");
	}
	if (date)
		buf_addf(out, st_pick(t, lang), date, tr.ptr);
	else
		buf_addf(out, st_pick(t, lang), tr.ptr);
	buf_release(&tr);
}

static phare_status st_pages(const char *dir, const st_langs *l, const char *date)
{
	static const struct {
		const char *file;
		const starter_text *text;
		bool dated;
	} pages[] = { { "_index.md", &st_home, false },
		      { "getting-started/_index.md", &st_section, false },
		      { "getting-started/first-steps.md", &st_article, true } };
	phare_status s = PHARE_OK;
	for (size_t p = 0; p < sizeof pages / sizeof pages[0] && !s; p++) {
		buf source = BUF_INIT;
		for (size_t i = 0; i < l->n && !s; i++) {
			buf text = BUF_INIT;
			st_page(&text, pages[p].text, l->codes[i], pages[p].dated ? date : NULL, &source, i == 0);
			buf rel = BUF_INIT;
			buf_addf(&rel, "content/%s/%s", l->codes[i], pages[p].file);
			s = st_write(dir, rel.ptr, &text);
			buf_release(&rel);
			if (i == 0)
				buf_add(&source, text.ptr, text.len);
			buf_release(&text);
		}
		buf_release(&source);
	}
	return s;
}

static phare_status st_empty_dir(const char *dir)
{
	fsx_kind k = fsx_stat(dir);
	if (k == FSX_MISSING)
		return PHARE_OK;
	if (k != FSX_DIR) {
		diag_error(dir, 0, 0, "exists and is not a folder; give phare new site a new or empty folder");
		return PHARE_ERR_INPUT;
	}
	char **names = fsx_list(dir);
	bool empty = names && !names[0];
	fsx_free_list(names);
	if (!empty) {
		diag_error(dir, 0, 0,
			   "the folder is not empty, and phare new site does not overwrite: give it a new or "
			   "empty folder");
		return PHARE_ERR_INPUT;
	}
	return PHARE_OK;
}

phare_status starter_site(const char *dir, char *const *codes, size_t n_codes, const char *today)
{
	phare_status s = st_empty_dir(dir);
	if (s)
		return s;
	st_langs l = { codes, n_codes };
	buf site = BUF_INIT, table = BUF_INIT, rules = BUF_INIT, ignore = BUF_INIT;
	/* what phare makes beside content/ is never committed */
	buf_adds(&ignore,
		 "# Made by phare: the built site, the one before it that phare build keeps\n"
		 "# beside it (.site.phare-prev/, or .NAME.phare-prev/ for --out NAME), and\n"
		 "# .phare/ (the build cache of phare build, phare serve's preview and votes),\n"
		 "# which are safe to delete.\nsite/\n.*.phare-prev/\n.phare/\n");
	st_site_yaml(&site, &l);
	st_table(&table, &l);
	st_rules(&rules, &l);
	printf("phare new site: writing %s\n", dir);
	if (!(s = st_write(dir, "content/site.yaml", &site)) && !(s = st_pages(dir, &l, today)) &&
	    !(s = st_write(dir, "content/tables/plans.yaml", &table)))
		s = st_write(dir, "rules/choose-plan.lua", &rules);
	if (!s)
		s = st_write(dir, ".gitignore", &ignore);
	buf_release(&ignore);
	buf_release(&site);
	buf_release(&table);
	buf_release(&rules);
	if (!s)
		printf("Next: phare serve --source %s   (then open http://127.0.0.1:8080/)\n", dir);
	return s;
}

void starter_title(const char *slug, char *out, size_t size)
{
	size_t n = 0;
	for (const char *p = slug; *p && n + 1 < size; p++, n++)
		out[n] = *p == '-' || *p == '_' ? ' ' : *p;
	out[n] = '\0';
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
}

/* path ("section/slug", maybe with ".md") checked and without its ".md"
 * into key; false after an error. */
static bool st_article_key(const char *path, buf *key)
{
	buf_adds(key, path);
	if (key->len > 3 && strcmp(key->ptr + key->len - 3, ".md") == 0)
		buf_truncate(key, key->len - 3);
	size_t parts = 0;
	for (char *p = key->ptr, *end;; p = end + 1) {
		end = strchr(p, '/');
		if (end)
			*end = '\0';
		bool ok = model_valid_name(p) && strcmp(p, "tables") != 0;
		if (end)
			*end = '/';
		parts++;
		if (!ok) {
			diag_usage("new",
				   "'%s' is not an article path: write SECTION/SLUG, each part made of "
				   "letters, digits, '-' and '_' (it becomes the URL), such as "
				   "getting-started/configure-ipv6",
				   path);
			return false;
		}
		if (!end)
			break;
	}
	if (parts < 2) {
		diag_usage("new", "'%s' names no section: write SECTION/SLUG, such as getting-started/%s", path,
			   key->ptr);
		return false;
	}
	return true;
}

/* The default language's article at key: its revision, and its body (to
 * translate) appended to body. */
static phare_status st_source_article(const char *source, const site_config *cfg, const char *key, char rev[17],
				      buf *body)
{
	buf rel = BUF_INIT, text = BUF_INIT;
	const char *def = cfg->languages[cfg->default_language].code;
	buf_addf(&rel, "content/%s/%s.md", def, key);
	char *path = fsx_join(source, rel.ptr);
	phare_status s = PHARE_OK;
	if (fsx_stat(path) == FSX_MISSING) {
		diag_error(path, 0, 0,
			   "no such article in the default language (%s), which a translation is made from: "
			   "write it first (phare new article %s), then its translations",
			   def, key);
		s = PHARE_ERR_INPUT;
	} else if (!(s = fsx_read(path, &text, 0))) {
		arena a = ARENA_INIT;
		article art;
		hash_fnv1a_hex(text.ptr, text.len, rev);
		if (!(s = article_parse(&a, path, text.ptr, text.len, true, &art)))
			buf_add(body, art.body, art.body_len);
		arena_release(&a);
	}
	free(path);
	buf_release(&rel);
	buf_release(&text);
	return s;
}

phare_status starter_article(const char *source, const char *lang, const char *path, const char *today)
{
	arena a = ARENA_INIT;
	site_config cfg;
	buf key = BUF_INIT, text = BUF_INIT, body = BUF_INIT, rel = BUF_INIT;
	char *site_path = fsx_join(source, "content/site.yaml");
	phare_status s = fsx_confine(source);
	if (!s)
		s = site_load(&a, site_path, site_path, NULL, &cfg);
	if (s)
		goto out;
	if (!st_article_key(path, &key)) {
		s = PHARE_ERR_USAGE;
		goto out;
	}
	if (lang && site_language_index(&cfg, lang, strlen(lang)) < 0) {
		diag_error(site_path, cfg.line_of_languages, 0,
			   "the site has no language '%s'; add it to languages: first, or choose one of "
			   "those listed there",
			   lang);
		s = PHARE_ERR_USAGE;
		goto out;
	}
	const char *def = cfg.languages[cfg.default_language].code;
	if (!lang)
		lang = def;
	char title[256], rev[17] = "";
	starter_title(strrchr(key.ptr, '/') + 1, title, sizeof title);
	if (strcmp(lang, def) != 0 && (s = st_source_article(source, &cfg, key.ptr, rev, &body)))
		goto out;
	buf_addf(&text, "---\ntitle: \"%s\"\ndescription: \"\"\nupdated: %s\n", title, today);
	if (*rev)
		buf_addf(&text, "translation_of: %s\n", rev);
	buf_adds(&text, "---\n");
	if (body.len)
		buf_add(&text, body.ptr, body.len); /* the source's text, to translate */
	else
		buf_adds(&text, "Write the article here, in Markdown.\n");
	buf_addf(&rel, "content/%s/%s.md", lang, key.ptr);
	s = st_write(source, rel.ptr, &text);
out:
	free(site_path);
	buf_release(&key);
	buf_release(&text);
	buf_release(&body);
	buf_release(&rel);
	arena_release(&a);
	return s;
}

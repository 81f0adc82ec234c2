/* cmark-bound.c: the "cmark alone" yardstick of `make bench` (issue 9): the
 * least any generator on cmark must do with a corpus made by make-corpus.
 *
 *     cmark-bound CORPUS OUT
 *
 * For every article CORPUS/content/<lang>/<section>/…/<slug>.md (sections
 * nested at any depth, as make-corpus --depth writes them; not _index.md): read it, skip the front matter, render it with cmark-gfm and
 * the extensions and options phare uses (render/md_ext.c: table,
 * strikethrough, autolink, tasklist, footnotes), and
 * write OUT/<lang>/<section>/…/<slug>/index.html.  One thread, no templates,
 * no search, no checks.  Prints the number of pages written.
 * Built by bench/run: cc -O2 bench/cmark-bound.c $(pkg-config --libs libcmark-gfm). */
#define _GNU_SOURCE
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static size_t pages;

static void die(const char *what, const char *path)
{
	fprintf(stderr, "cmark-bound: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0)
		die("cannot read", path);
	char *p = malloc((size_t)st.st_size + 1);
	size_t got = 0;
	while (p && got < (size_t)st.st_size) {
		ssize_t r = read(fd, p + got, (size_t)st.st_size - got);
		if (r <= 0)
			die("cannot read", path);
		got += (size_t)r;
	}
	close(fd);
	if (!p)
		die("out of memory for", path);
	p[got] = '\0';
	*len = got;
	return p;
}

/* The body after a "---" ... "---" front matter (the whole text without one). */
static const char *body_of(const char *t, size_t len, size_t *blen)
{
	*blen = len;
	if (strncmp(t, "---\n", 4) != 0)
		return t;
	const char *end = strstr(t + 3, "\n---");
	if (!end)
		return t;
	const char *nl = strchr(end + 4, '\n');
	const char *body = nl ? nl + 1 : t + len;
	*blen = len - (size_t)(body - t);
	return body;
}

#define OPTS (CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES | CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE)

/* As phare's parse and render, without phare's own work on the tree. */
static char *render(const char *md, size_t len)
{
	static const char *const names[] = { "table", "strikethrough", "autolink", "tasklist" };
	cmark_parser *p = cmark_parser_new(OPTS);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension(names[i]));
	cmark_parser_feed(p, md, len);
	cmark_node *root = cmark_parser_finish(p);
	char *html = cmark_render_html(root, OPTS, cmark_parser_get_syntax_extensions(p));
	cmark_node_free(root);
	cmark_parser_free(p);
	return html;
}

/* out/rel/<file without .md>/index.html */
static void write_page(const char *out, const char *rel, const char *file, const char *html)
{
	char path[4096];
	size_t n = strlen(file) - 3; /* without .md */
	snprintf(path, sizeof(path), "%s/%s/%.*s", out, rel, (int)n, file);
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		die("cannot create", path);
	strncat(path, "/index.html", sizeof(path) - strlen(path) - 1);
	FILE *f = fopen(path, "w");
	if (!f || fputs(html, f) == EOF || fclose(f) != 0)
		die("cannot write", path);
	pages++;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of dir (sorted, without . and ..); NULL-terminated, caller frees. */
static char **list(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	size_t n = 0, cap = 64;
	char **v = malloc(cap * sizeof(*v));
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n + 1 >= cap)
			v = realloc(v, (cap *= 2) * sizeof(*v));
		v[n++] = strdup(e->d_name);
	}
	closedir(d);
	v[n] = NULL;
	qsort(v, n, sizeof(*v), cmp_names);
	return v;
}

static void free_list(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Renders every article of the section folder corpus/content/rel (and of
 * the sections nested in it, as make-corpus --depth writes them) into out/rel. */
static void section(const char *corpus, const char *out, const char *rel)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", out, rel);
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		die("cannot create", path);
	snprintf(path, sizeof(path), "%s/content/%s", corpus, rel);
	char **files = list(path);
	for (char **f = files; f && *f; f++) {
		size_t n = strlen(*f);
		snprintf(path, sizeof(path), "%s/content/%s/%s", corpus, rel, *f);
		if (is_dir(path)) {
			char sub[4096];
			snprintf(sub, sizeof(sub), "%s/%s", rel, *f);
			section(corpus, out, sub);
			continue;
		}
		if (n < 4 || strcmp(*f + n - 3, ".md") != 0 || strcmp(*f, "_index.md") == 0)
			continue;
		size_t len, blen;
		char *text = slurp(path, &len);
		const char *body = body_of(text, len, &blen);
		char *html = render(body, blen);
		write_page(out, rel, *f, html);
		free(html);
		free(text);
	}
	free_list(files);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: cmark-bound CORPUS OUT\n");
		return 2;
	}
	const char *out = argv[2];
	cmark_gfm_core_extensions_ensure_registered();
	char path[4096];
	snprintf(path, sizeof(path), "%s/content", argv[1]);
	char **langs = list(path);
	if (!langs)
		die("cannot list", path);
	if (mkdir(out, 0777) != 0 && errno != EEXIST)
		die("cannot create", out);
	for (char **l = langs; *l; l++) {
		snprintf(path, sizeof(path), "%s/content/%s", argv[1], *l);
		if (strcmp(*l, "tables") == 0 || !is_dir(path))
			continue;
		char **secs = list(path);
		snprintf(path, sizeof(path), "%s/%s", out, *l);
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			die("cannot create", path);
		for (char **s = secs; s && *s; s++) {
			char rel[4096];
			snprintf(path, sizeof(path), "%s/content/%s/%s", argv[1], *l, *s);
			snprintf(rel, sizeof(rel), "%s/%s", *l, *s);
			if (is_dir(path))
				section(argv[1], out, rel);
		}
		free_list(secs);
	}
	free_list(langs);
	printf("%zu\n", pages);
	return 0;
}

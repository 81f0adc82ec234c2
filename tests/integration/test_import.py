"""phare import (issue 19): another tool's documentation tree becomes a phare
source tree that builds with zero errors, with its notices, tabs, code titles,
links and images; what was not converted is listed in IMPORT.md; bad input is
one clear error and nothing written.

The fixtures: tests/import/<format>/ (written for these tests, every construct),
and the real trees of ../shared/import/ (copied to a temporary folder, their
images written as placeholders by its make_placeholders.py; skipped when the
folder is absent)."""
import os
import re
import shutil
import subprocess
import sys

from phare_test import ROOT, TempDirTest, read, run, write_tree

FIXTURES = os.path.join(ROOT, "tests", "import")
REAL = os.path.join(FIXTURES, "real")  # public trees kept in the repository (real/SOURCE.md)
SHARED = os.environ.get("PHARE_IMPORT_TREES", os.path.join(ROOT, "..", "shared", "import"))
if not os.path.isdir(SHARED):
    SHARED = "/work/shared/import"


def html_files(root):
    for d, _, names in os.walk(root):
        for n in names:
            if n.endswith(".html"):
                yield os.path.join(d, n)


class ImportCase(TempDirTest):
    def import_tree(self, fmt, src, out="out", *extra):
        r = run("import", fmt, src, "--out", self.path(out), *extra)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r

    def build(self, out="out", site="site"):
        b = run("build", "--source", self.path(out), "--out", self.path(site))
        self.assertEqual(b.returncode, 0, b.stderr)
        self.assertNotIn(": error:", b.stderr)
        # the code languages real docs use are known (go, http, kotlin…) or shown as written (mermaid)
        self.assertNotIn("unknown code language", b.stderr)
        return b

    def page(self, *parts, site="site"):
        return read(self.path(site, *parts, "index.html"))

    def shared_copy(self, name):
        """A scratch copy of ../shared/import/NAME with its placeholders."""
        src = os.path.join(SHARED, name)
        if not os.path.isdir(src):
            self.skipTest("no %s" % src)
        dst = self.path("src-" + name)
        shutil.copytree(src, dst)
        for d, dirs, files in os.walk(dst):
            for n in dirs + files:
                os.chmod(os.path.join(d, n), 0o755 if n in dirs else 0o644)
        os.chmod(dst, 0o755)
        subprocess.run([sys.executable, os.path.join(SHARED, "make_placeholders.py"), name, dst],
                       check=True, capture_output=True)
        return dst


def real_copy(case, name):
    """A scratch copy of tests/import/real/NAME (kept in the repository) with its placeholders."""
    dst = case.path("src-" + name)
    shutil.copytree(os.path.join(REAL, name), dst)
    subprocess.run([sys.executable, os.path.join(REAL, "make_placeholders.py"), name, dst],
                   check=True, capture_output=True)
    return dst


def site_text(case, lang="en"):
    return "".join(read(p) for p in html_files(case.path("site", lang)))


class GitBookFixture(ImportCase):
    SRC = os.path.join(FIXTURES, "gitbook", "space")

    def setUp(self):
        super().setUp()
        self.r = self.import_tree("gitbook", self.SRC)
        self.build()
        self.report = read(self.path("out", "IMPORT.md"))

    def test_summary_line(self):
        out = self.r.stdout
        self.assertIn("imported 8 pages and 4 files (gitbook, language en)", out)
        self.assertIn("4 notices, 1 tab groups, 2 code titles", out)
        self.assertIn("1 figures, 1 steppers, 3 embeds", out)
        self.assertIn("2 not converted", out)

    def test_tree_and_order(self):
        c = self.path("out", "content", "en")
        self.assertTrue(os.path.isfile(os.path.join(c, "_index.md")))          # README.md -> home
        self.assertTrue(os.path.isfile(os.path.join(c, "guides", "_index.md")))  # ## Guides -> section
        self.assertTrue(os.path.isfile(os.path.join(c, "general", "quick-start.md")))
        # pages with children become nested sections, as deep as SUMMARY.md nests them
        self.assertTrue(os.path.isfile(os.path.join(c, "guides", "configure", "_index.md")))
        self.assertTrue(os.path.isfile(os.path.join(c, "guides", "configure", "advanced", "_index.md")))
        self.assertTrue(os.path.isfile(os.path.join(c, "guides", "configure", "advanced", "deep.md")))
        self.assertNotIn("folded into", self.report)
        sec = self.page("en", "guides")
        order = [sec.index('href="/en/guides/%s/"' % s) for s in ("install", "release-notes-2024")]
        self.assertEqual(order, sorted(order), "the section lists its pages in SUMMARY.md's order")
        self.assertIn('href="/en/guides/configure/"', sec)  # the sub-section's card
        self.assertIn('href="/en/guides/configure/advanced/"', self.page("en", "guides", "configure"))

    def test_renamed_file_and_links(self):
        # "Release Notes (2024).md": a name phare cannot publish, renamed
        self.assertIn("Version 2 is out", self.page("en", "guides", "release-notes-2024"))
        install = self.page("en", "guides", "install")
        self.assertIn('href="/en/reference/api/#authentication"', install)
        self.assertIn('href="/en/guides/configure/advanced/"', install)
        self.assertIn("widget_cli binary", install)  # GitBook's \_ is Markdown's
        # an anchor to the page's title heading (which has no id in phare): dropped, and said
        self.assertIn('href="/en/guides/configure/advanced/">advanced</a>',
                      self.page("en", "guides", "configure", "advanced", "deep"))
        self.assertIn("- `guides/configure/deep.md:3`: link to 'guides/configure/advanced.md#advanced-options': "
                      "no such heading there; the anchor was dropped", self.report)
        self.assertIn('href="/en/"', self.page("en", "guides", "configure", "advanced"))
        self.assertIn("See also an old page.", install)
        self.assertIn("- `guides/install.md:11`: link to 'nowhere.md': a file that does not exist; kept as text",
                      self.report)

    def test_notices_tabs_code_steps(self):
        qs = self.page("en", "general", "quick-start")
        self.assertIn('data-callout="tip"', qs)
        self.assertIn('data-callout="caution"', qs)  # a hint inside a tab
        self.assertIn('data-tabs', qs)
        self.assertIn('data-tab="macOS"', qs)
        self.assertIn('data-tab="Linux"', qs)
        self.assertIn('class="code-title">install-mac.sh<', qs)
        self.assertRegex(qs, r"<h3[^>]*>1\. Download</h3>")
        self.assertRegex(qs, r"<h3[^>]*>2\. Unpack</h3>")
        self.assertIn('href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">A short video</a>', qs)
        self.assertIn('href="/en/guides/configure/"', qs)  # content-ref to a folder
        api = self.page("en", "reference", "api")
        self.assertIn('class="code-title">request.sh<', api)
        # {% file %}: a link to the file, copied beside the article
        self.assertIn('href="/en/reference/sample-config.yaml">The sample configuration</a>', api)
        self.assertTrue(os.path.isfile(self.path("site", "en", "reference", "sample-config.yaml")))
        self.assertIn('data-callout="note"', self.page("en"))

    def test_figures_images_files(self):
        home = self.page("en")
        self.assertRegex(home, r'<figure><img src="/en/architecture-1.png" alt="The architecture"[^>]*/>'
                         r'<figcaption>How the parts fit</figcaption></figure>')
        self.assertTrue(os.path.isfile(self.path("site", "en", "architecture-1.png")))
        install = self.page("en", "guides", "install")
        self.assertIn('src="/en/guides/architecture-1.png"', install)
        self.assertIn('href="/en/guides/sample-config.yaml"', install)
        self.assertTrue(os.path.isfile(self.path("site", "en", "guides", "sample-config.yaml")))

    def test_unknown_blocks_kept_and_listed(self):
        install = self.page("en", "guides", "install")
        self.assertIn("Not converted: GitBook block {% swagger %}", install)
        self.assertIn("Lists every widget.", install)
        self.assertIn("- `guides/install.md:21`: GitBook block {% swagger %} (5 lines); kept as written", self.report)
        self.assertIn("- `guides/install.md:27`: GitBook block {% include %}", self.report)
        self.assertIn("- `guides/install.md:4`: front matter 'layout' (GitBook's own); dropped", self.report)
        self.assertIn("- `SUMMARY.md:17`: a link to another site", self.report)

    def test_site_title_from_the_home_page(self):
        self.assertIn('title: "Welcome to Widget"', read(self.path("out", "content", "site.yaml")))

    def test_old_urls_and_description(self):
        self.assertIn("### Old URLs (to redirect)", self.report)
        self.assertIn("- `/guides/configure/advanced` → `/en/guides/configure/advanced/` "
                      "(guides/configure/advanced.md); written as an alias", self.report)
        self.assertIn("- `/guides/Release Notes (2024)` → `/en/guides/release-notes-2024/` (guides/Release Notes "
                      "(2024).md); not an alias", self.report)
        install = read(self.path("out", "content", "en", "guides", "install.md"))
        self.assertIn('aliases: ["/guides/install"]', install)
        self.assertIn('description: "Install Widget on any system."', install)
        # the old URL is served: a redirect page to the new one
        old = read(self.path("site", "guides", "install", "index.html"))
        self.assertIn('<meta http-equiv="refresh" content="0; url=/en/guides/install/">', old)
        self.assertIn('<meta http-equiv="refresh" content="0; url=/en/guides/configure/advanced/deep/">',
                      read(self.path("site", "guides", "configure", "deep", "index.html")))

    def test_second_language_joins(self):
        r = run("import", "gitbook", self.SRC, "--out", self.path("out"), "--lang", "fr")
        self.assertEqual(r.returncode, 0, r.stderr)
        site = read(self.path("out", "content", "site.yaml"))
        self.assertIn("default_language: en", site)
        self.assertIn("code: fr", site)
        self.build(site="site2")
        self.assertIn('hreflang="fr"', self.page("en", "guides", "install", site="site2"))
        self.assertIn("## gitbook, language fr", read(self.path("out", "IMPORT.md")))
        # the old URLs name no language: the default language's pages keep them as aliases
        self.assertNotIn("aliases:", read(self.path("out", "content", "fr", "guides", "install.md")))
        self.assertIn("not an alias: the old URL names no language", read(self.path("out", "IMPORT.md")))
        # the same language again is refused: the folder holds it
        again = run("import", "gitbook", self.SRC, "--out", self.path("out"), "--lang", "fr")
        self.assertEqual(again.returncode, 1)
        self.assertIn("already holds this language", again.stderr)


class GitBookReal(ImportCase):
    """getstrm/pace's docs (../shared/import/gitbook, SOURCES.md)."""

    def test_pace_space(self):
        src = os.path.join(self.shared_copy("gitbook"), "docs")
        r = self.import_tree("gitbook", src)
        self.assertIn("imported 42 pages", r.stdout)
        self.assertIn("18 notices, 28 tab groups, 6 code titles", r.stdout)  # 13 hints + 5 <details>
        self.assertIn("2 figures", r.stdout)
        self.assertIn("12 not converted", r.stdout)
        self.build()
        pages = list(html_files(self.path("site", "en")))
        text = "".join(read(p) for p in pages)
        self.assertEqual(text.count("data-callout=") - text.count("Not converted"), 18)
        self.assertEqual(len(re.findall(r"data-tabs\b", text)), 28)
        self.assertEqual(text.count("Not converted: GitBook block {% swagger %}"), 12)
        # the README with children: a section, its pages in SUMMARY's order
        sec = self.page("en", "getting-started")
        order = [sec.index('href="/en/getting-started/%s/"' % s) for s in
                 ("quickstart", "github-authentication", "installation", "kubernetes-deployment")]
        self.assertEqual(order, sorted(order))
        # the figure whose asset name has spaces and parentheses
        self.assertRegex(sec, r'<img src="/en/getting-started/pace-process-2-0-2x-interlace-1.png"')
        # the asset with no extension gets one from its bytes
        ppi = ("integrations-reference", "integrations", "processing-platform-integrations")
        self.assertIn('src="/en/%s/strm-pace-in-gcp-biquery.png"' % "/".join(ppi),
                      self.page("en", *ppi, "bigquery"))
        self.assertIn('href="/en/getting-started/kubernetes-deployment/"',
                      self.page("en", "getting-started", "installation"))
        # GitBook's escaped SUMMARY links (pace\_completion\_bash.md)
        # ... nested as SUMMARY.md nests them, four levels down
        bash = ("integrations-reference", "cli-reference", "pace", "pace_completion", "pace_completion_bash")
        self.assertTrue(os.path.isfile(self.path("site", "en", *bash, "index.html")))
        report = read(self.path("out", "IMPORT.md"))
        self.assertEqual(len(re.findall(r"^- `reference/api-reference.md:\d+`: GitBook block \{% swagger %\}",
                                        report, re.M)), 12)
        self.assertIn("/cli-docs/pace_completion_bash` → `/en/%s/`" % "/".join(bash), report)


class MkDocsFixture(ImportCase):
    SRC = os.path.join(FIXTURES, "mkdocs", "site")

    def setUp(self):
        super().setUp()
        self.r = self.import_tree("mkdocs", self.SRC)
        self.build()
        self.report = read(self.path("out", "IMPORT.md"))

    def test_summary_and_languages(self):
        self.assertIn("imported 4 pages and 1 files (mkdocs, language en)", self.r.stdout)
        self.assertIn("4 notices, 1 tab groups", self.r.stdout)
        self.assertIn("imported 2 pages and 0 files (mkdocs, language fr)", self.r.stdout)
        site = read(self.path("out", "content", "site.yaml"))
        self.assertIn('title: "Gadget Docs"', site)  # site_name; the !!python/name: tags read as values
        self.assertIn("default_language: en", site)
        self.assertIn('{ code: fr, name: "Français" }', site)
        self.assertIn('data-callout="caution"', self.page("fr", "guide", "setup"))  # setup.fr.md
        self.assertIn('<a href="/fr/guide/setup/">', self.page("fr"))               # index.fr.md

    def test_tree_order_and_folding(self):
        sec = self.page("en", "guide")
        order = [sec.index('href="/en/guide/%s/"' % s) for s in ("setup", "usage")]
        self.assertEqual(order, sorted(order))
        # a nav group in a group: a nested section
        self.assertIn('href="/en/guide/deeper/"', sec)
        self.assertIn('href="/en/guide/deeper/deep/"', self.page("en", "guide", "deeper"))
        self.assertNotIn("folded into", self.report)
        self.assertIn("- `mkdocs.yml:32`: a link to another site in the nav", self.report)

    def test_admonitions_tabs_ids_images(self):
        p = self.page("en", "guide", "setup")
        self.assertRegex(p, r'(?s)data-callout="note"[^>]*>.*Before you start')
        self.assertIn('<details class="callout" data-callout="warning">', p)    # ??? folded
        self.assertIn('<details class="callout" data-callout="tip" open>', p)   # ???+ open
        self.assertIn('data-tab="Linux"', p)
        self.assertIn('data-tab="Windows"', p)  # a panel indented with a tab
        self.assertIn("Use the installer.", p)
        self.assertIn('id="options"', p)
        self.assertIn('href="#options"', p)
        # MkDocs' anchor for "First run & emoji 🎉" goes to phare's id for it
        self.assertIn('href="/en/guide/usage/#first-run-emoji-%F0%9F%8E%89"', p)
        self.assertIn('<figure><img src="/en/guide/screen.png" alt="Flow"', p)
        self.assertIn("<figcaption>The flow</figcaption>", p)
        self.assertIn("!!! note\n    This is an example", p.replace("&quot;", '"'))  # fenced: kept
        self.assertIn("- `guide/setup.md:35`: image attributes '{ width=500 }' (attr_list); dropped", self.report)
        self.assertIn("- `guide/setup.md:3`: front matter 'template'; dropped", self.report)
        self.assertIn('href="/en/"', self.page("en", "guide", "deeper", "deep"))
        # an admonition indented in a list item stays in the item
        self.assertRegex(self.page("en", "guide", "usage"),
                         r'(?s)<li>\s*<p>Install it.</p>\s*<div class="callout" data-callout="tip">.*In a list.*</li>')


class MkDocsFolderI18n(ImportCase):
    def test_folder_structure(self):
        write_tree(self.path("src"), {
            "mkdocs.yml": "site_name: F\nplugins:\n  - i18n:\n      docs_structure: folder\n      languages:\n"
                          "        - locale: en\n          default: true\n        - locale: fr\n",
            "docs/en/index.md": "# Home\n\nSee [a](guide/a.md).\n",
            "docs/fr/index.md": "# Accueil\n\nVoir [a](guide/a.md).\n",
            "docs/en/guide/a.md": "# A\n\n!!! tip\n    Hi.\n",
            "docs/fr/guide/a.md": "# A fr\n\n!!! warning\n    Salut.\n"})
        r = self.import_tree("mkdocs", self.path("src"))
        self.assertIn("imported 2 pages and 0 files (mkdocs, language en)", r.stdout)
        self.assertIn("imported 2 pages and 0 files (mkdocs, language fr)", r.stdout)
        self.build()
        self.assertIn('data-callout="tip"', self.page("en", "guide", "a"))
        self.assertIn('data-callout="warning"', self.page("fr", "guide", "a"))
        self.assertIn('href="/fr/guide/a/"', self.page("fr"))


class MultiLanguage(ImportCase):
    """A source with several languages is imported in one run: all or nothing,
    and the old URLs of the other languages keep the old site's /<lang>/."""
    FILES = {
        "mkdocs.yml": "site_name: F\nnav:\n  - Home: index.md\n  - Configuration:\n    - guide/a.md\n"
                      "plugins:\n  - i18n:\n      docs_structure: folder\n      languages:\n"
                      "        - locale: en\n          default: true\n        - locale: fr\n",
        "docs/en/index.md": "# Home\n",
        "docs/fr/index.md": "# Accueil\n",
        "docs/en/guide/a.md": "# A\n",
        "docs/fr/guide/a.md": "# A fr\n"}

    def test_old_urls_keep_the_language_folder(self):
        write_tree(self.path("src"), self.FILES)
        self.import_tree("mkdocs", self.path("src"))
        report = read(self.path("out", "IMPORT.md"))
        en, fr = report.split("## mkdocs, language fr")
        self.assertIn("- `/guide/a/` → `/en/configuration/a/` (guide/a.md); written as an alias", en)
        self.assertIn("- `/fr/guide/a/` → `/fr/configuration/a/` (guide/a.md); written as an alias", fr)
        self.assertNotIn("`/fr/` →", fr)  # the old and new homes are the same
        self.assertIn('aliases: ["/fr/guide/a/"]', read(self.path("out", "content", "fr", "configuration", "a.md")))
        self.build()
        self.assertIn('href="/fr/configuration/a/"', self.page("fr", "guide", "a"))
        self.assertIn('href="/en/configuration/a/"', self.page("guide", "a"))

    def test_error_in_a_later_language_writes_nothing(self):
        files = dict(self.FILES)
        del files["docs/fr/guide/a.md"]
        write_tree(self.path("src"), files)
        os.makedirs(self.path("src", "docs", "fr", "guide"))
        with open(self.path("src", "docs", "fr", "guide", "a.md"), "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
        r = run("import", "mkdocs", self.path("src"), "--out", self.path("out"))
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"fr/guide/a.md: error: not a text file")
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertEqual(r.stdout, "", "no summary for what was not written")
        self.assertFalse(os.path.exists(self.path("out")), "nothing written, not even the first language")
        # joining an earlier import: that one is left as it was
        write_tree(self.path("old"), {"content/site.yaml": "title: Old\nlanguages:\n  - { code: de, name: Deutsch }\n"})
        before = read(self.path("old", "content", "site.yaml"))
        r = run("import", "mkdocs", self.path("src"), "--out", self.path("old"))
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(sorted(os.listdir(self.path("old", "content"))), ["site.yaml"])
        self.assertEqual(read(self.path("old", "content", "site.yaml")), before)


class MkDocsOutsideNav(ImportCase):
    def test_pages_the_nav_leaves_out(self):
        """MkDocs builds them at their own URL: imported under "Other pages", noted."""
        write_tree(self.path("src"), {
            "mkdocs.yml": "site_name: N\nnav:\n  - Home: index.md\n  - A: a.md\n",
            "docs/index.md": "# Home\n",
            "docs/a.md": "# A\n\nSee [the extra page](extra.md) and [deep](more/deep.md).\n",
            "docs/extra.md": "# Extra\n\n!!! note\n    Kept.\n",
            "docs/more/deep.md": "# Deep\n",
            "docs/_hidden.md": "# Hidden\n"})
        r = self.import_tree("mkdocs", self.path("src"))
        self.assertIn("imported 4 pages", r.stdout)
        report = read(self.path("out", "IMPORT.md"))
        for f in ("extra.md", "more/deep.md"):
            self.assertIn("`%s:1`: not in the nav; imported under 'Other pages'" % f, report)
        self.assertNotIn("_hidden", report)
        self.assertIn("- `/extra/` → `/en/other-pages/extra/` (extra.md); written as an alias", report)
        self.build()
        a = self.page("en", "general", "a")  # top-level pages go to a section
        self.assertIn('href="/en/other-pages/extra/"', a)
        self.assertIn('href="/en/other-pages/deep/"', a)
        self.assertIn('data-callout="note"', self.page("en", "other-pages", "extra"))
        self.assertIn("Other pages", self.page("en", "other-pages"))


class MkDocsMacros(ImportCase):
    def test_jinja_tags_and_code_tags(self):
        """mkdocs-macros pages: {{ … }} kept as code and listed, {% raw %} markers dropped,
        <code>\\{\\{ … \\}\\}</code> (Markdown escapes inside) a code span, not hidden raw HTML."""
        write_tree(self.path("src"), {
            "mkdocs.yml": "site_name: M\nplugins:\n  - macros\nnav:\n  - index.md\n  - a.md\n",
            "docs/index.md": "# Home\n",
            "docs/a.md": ("# A\n\n<code>\\{\\{ read_csv('t.csv') \\}\\}</code> inserts a table:\n\n"
                          "{{ read_csv('t.csv') }}\n\n"
                          "Use {% raw %}`{{ read_csv() }}`{% endraw %} here.\n\n"
                          "{% raw %}\n```markdown\n{{ read_csv('t.csv') }}\n```\n{% endraw %}\n")})
        self.import_tree("mkdocs", self.path("src"))
        report = read(self.path("out", "IMPORT.md"))
        self.assertIn("- `a.md:5`: Jinja tag '{{ read_csv('t.csv') }}' (a build-time value of the macros plugin); "
                      "kept as written, as code", report)
        self.assertEqual(report.count("Jinja tag"), 1)  # not the ones in code spans and fences
        self.assertNotIn("raw HTML", report)
        self.assertIn("Kept as written, by kind: Jinja {{ }} 1.", report)
        self.build()
        a = self.page("en", "general", "a")
        self.assertIn("<code>{{ read_csv('t.csv') }}</code> inserts a table", a)
        self.assertIn("Use <code>{{ read_csv() }}</code> here.", a)
        self.assertNotIn("raw %}", a)
        self.assertEqual(a.count("{{ read_csv('t.csv') }}"), 3)

    def test_without_the_plugin_braces_are_text(self):
        write_tree(self.path("src"), {
            "mkdocs.yml": "site_name: M\nplugins:\n  - search\nnav:\n  - index.md\n",
            "docs/index.md": "# Home\n\nWrite {{ name }} in your template.\n"})
        self.import_tree("mkdocs", self.path("src"))
        self.assertNotIn("Jinja", read(self.path("out", "IMPORT.md")))
        self.build()
        self.assertIn("Write {{ name }} in your template.", self.page("en"))


class MkDocsReal(ImportCase):
    def test_ntfy(self):
        """binwiederhier/ntfy (MkDocs Material): 19 pages, 36 notices, 76 tab groups."""
        r = self.import_tree("mkdocs", self.shared_copy("mkdocs"))
        self.assertIn("imported 19 pages", r.stdout)
        self.assertIn("36 notices, 76 tab groups", r.stdout)
        self.build()
        text = "".join(read(p) for p in html_files(self.path("site", "en")))
        self.assertEqual(len(re.findall(r'data-callout="', text)), 36)
        self.assertEqual(len(re.findall(r"data-tabs\b", text)), 76)
        self.assertIn('data-tab="Command line (curl)"', text)
        sec = self.page("en", "subscribing")
        order = [sec.index('href="/en/subscribing/%s/"' % s) for s in ("phone", "web", "pwa", "cli", "api")]
        self.assertEqual(order, sorted(order))
        phone = self.page("en", "subscribing", "phone")
        self.assertIn('<figure><img src="/en/subscribing/priority-notification.png"', phone)
        self.assertTrue(os.path.isfile(self.path("site", "en", "subscribing", "priority-notification.png")))
        self.assertIn('href="/en/publishing/publish/#', phone)
        report = read(self.path("out", "IMPORT.md"))
        self.assertRegex(report, r"- `subscribe/phone.md:\d+`: image attributes '\{ width=500 \}'")
        # <div class="screenshots"><img src="../../static/img/…"> (relative to the page's URL): its images
        self.assertIn('<img src="/en/subscribing/web-subscribe.png"', self.page("en", "subscribing", "web"))
        self.assertRegex(report, r"- `subscribe/web.md:6`: raw HTML block with \d+ images?; replaced by")

    def test_static_i18n(self):
        """ultrabug/mkdocs-static-i18n: suffix structure, en and fr."""
        r = self.import_tree("mkdocs", self.shared_copy("mkdocs-i18n"))
        self.assertIn("imported 17 pages", r.stdout)
        self.assertIn("9 notices, 3 tab groups", r.stdout)
        self.assertIn("imported 1 pages and 0 files (mkdocs, language fr)", r.stdout)
        b = self.build()
        self.assertIn("(en 21, fr 21)", b.stdout + b.stderr)  # the nested nav group: a section page
        self.assertIn("Français", read(self.path("out", "content", "site.yaml")))
        self.assertTrue(os.path.isfile(self.path("out", "content", "fr", "_index.md")))


class HugoFixture(ImportCase):
    SRC = os.path.join(FIXTURES, "hugo", "site")

    def setUp(self):
        super().setUp()
        self.r = self.import_tree("hugo", self.SRC)
        self.build()
        self.report = read(self.path("out", "IMPORT.md"))

    def test_summary_languages_front_matter(self):
        self.assertIn("imported 8 pages and 3 files (hugo, language en)", self.r.stdout)
        self.assertIn("6 notices, 2 tab groups", self.r.stdout)
        self.assertIn("imported 3 pages and 0 files (hugo, language fr)", self.r.stdout)
        site = read(self.path("out", "content", "site.yaml"))
        self.assertIn('title: "Gizmo Help"', site)
        self.assertIn("code: fr", site)
        md = read(self.path("out", "content", "en", "guide", "installing.md"))  # slug: installing
        self.assertIn('title: "Install Gizmo"', md)
        self.assertIn('description: "Get it running."', md)
        self.assertIn("updated: 2024-03-04", md)  # lastmod
        self.assertIn('title: "Installer Gizmo"', read(self.path("out", "content", "fr", "guide", "installing.md")))
        self.assertIn("Tout sur Gizmo.", self.page("fr", "guide"))  # TOML and YAML front matter
        self.assertIn("- `/old/install/` → `/en/guide/installing/` (content/guide/install.md, its aliases)",
                      self.report)
        self.assertIn("- `content/guide/install.en.md:10`: front matter 'tags'; dropped", self.report)

    def test_shortcodes(self):
        p = self.page("en", "guide", "installing")
        self.assertIn('data-callout="warning"', p)
        self.assertRegex(p, r'(?s)data-callout="tip".*Good to know.*It takes a minute')
        self.assertIn('<details class="callout" data-callout="note">', p)  # expand
        self.assertIn('data-tab="Debian"', p)
        self.assertIn('data-tab="Fedora"', p)
        self.assertIn('<figure><img src="/en/guide/shot.png" alt="Screenshot"', p)
        self.assertIn("<figcaption>The main window</figcaption>", p)
        self.assertIn('<img src="/en/guide/logo.png"', p)  # /images/… from static/
        self.assertIn('href="/en/guide/usage/#first-steps"', p)  # ref
        self.assertIn('href="/en/guide/bundle/"', p)  # relref to a leaf bundle
        self.assertIn('<img src="/en/guide/diagram.png"', self.page("en", "guide", "bundle"))
        self.assertIn('href="/en/guide/"', self.page("en"))
        self.assertIn('href="/fr/guide/"', self.page("fr"))
        self.assertIn("{{% children style=&quot;h2&quot; %}}", p)  # kept visibly
        self.assertIn("{{% notice note %}}\nA notice, as written.", p)  # escaped, in code
        self.assertIn('class="language-mermaid"', p)
        self.assertIn("- `content/guide/install.en.md:44`: shortcode 'children'; kept as written, as code",
                      self.report)
        self.assertIn("Kept as written, by kind: shortcode children 1.", self.report)
        self.assertNotIn("folded into", self.report)
        sec = self.page("en", "guide")
        order = [sec.index('href="/en/guide/%s/"' % s) for s in ("installing", "usage", "bundle", "themes")]
        self.assertEqual(order, sorted(order))  # by weight
        # content/guide/deep/deeper/page.md: nested sections, as in Hugo
        self.assertIn('href="/en/guide/deep/"', sec)
        self.assertIn('href="/en/guide/deep/deeper/page/"', self.page("en", "guide", "deep", "deeper"))


    def test_other_themes_shortcodes(self):
        p = self.page("en", "guide", "themes")
        self.assertRegex(p, r'(?s)data-callout="warning".*Heads up.*Docsy')     # Docsy alert
        self.assertRegex(p, r'(?s)data-callout="note".*Hextra')                 # Hextra callout
        self.assertRegex(p, r'(?s)data-callout="caution".*Hugo Book')           # Book hint
        self.assertIn('data-tab="Shell"', p)                                     # Docsy tabpane
        self.assertIn('class="language-python"', p)
        self.assertIn('class="language-go"', p)                                  # highlight


class HugoSitePaths(ImportCase):
    def test_tab_labels_open_details_and_page_urls(self):
        """Hugo Book's {{% tab "macOS" %}} (a label with no name=), {{% details "T" open %}}, and
        links to a page's URL on the old site ("/docs/setup/", "/docs/setup")."""
        write_tree(self.path("src"), {
            "content/_index.md": "---\ntitle: Home\n---\nHi.\n",
            "content/docs/_index.md": "---\ntitle: Docs\n---\n",
            "content/docs/setup.md": "---\ntitle: Setup\n---\nSee [tabs](/docs/tabs/) and [again](/docs/tabs#x).\n",
            "content/docs/tabs.md": ("---\ntitle: Tabs\n---\n## X\n\n{{< tabs >}}\n{{% tab \"macOS\" %}}\nbrew\n{{% /tab %}}\n"
                                     "{{% tab \"Linux\" %}}\nsnap\n{{% /tab %}}\n{{< /tabs >}}\n\n"
                                     "{{% details \"Closed\" %}}\nA\n{{% /details %}}\n\n"
                                     "{{% details \"Shown\" open %}}\nB\n{{% /details %}}\n\n"
                                     "Back to [setup](/docs/setup/) and [nowhere](/docs/gone/).\n")})
        self.import_tree("hugo", self.path("src"))
        self.build()
        tabs = self.page("en", "docs", "tabs")
        self.assertIn('data-tab="macOS"', tabs)
        self.assertIn('data-tab="Linux"', tabs)
        self.assertRegex(tabs, r'(?s)data-callout="note">\s*<summary.{0,400}?Closed')
        self.assertRegex(tabs, r'(?s)data-callout="note" open>\s*<summary.{0,400}?Shown')
        self.assertIn('href="/en/docs/setup/"', tabs)
        self.assertIn('href="/en/docs/tabs/"', self.page("en", "docs", "setup"))
        self.assertIn('href="/en/docs/tabs/#x"', self.page("en", "docs", "setup"))
        report = read(self.path("out", "IMPORT.md"))
        self.assertIn("link to '/docs/gone/': a file that does not exist; kept as text", report)
        self.assertNotIn("/docs/setup/'", report)

    def test_shortcode_over_several_lines(self):
        """{{< asciinema\n  cast="x" >}} (arguments on the next lines): one shortcode, kept as code and listed
        at its first line; the lines after keep their numbers."""
        write_tree(self.path("src"), {
            "content/_index.md": "---\ntitle: Home\n---\nHi.\n",
            "content/a.md": ("---\ntitle: A\n---\n## Example\n\n{{< asciinema\n  cast=\"x.cast\"\n  loop=true >}}\n\n"
                             "{{< badge value=\"1\" >}}\n")})
        self.import_tree("hugo", self.path("src"))
        self.build()
        report = read(self.path("out", "IMPORT.md"))
        self.assertIn("- `content/a.md:6`: shortcode 'asciinema'; kept as written, as code", report)
        self.assertIn("- `content/a.md:10`: shortcode 'badge'; kept as written, as code", report)
        self.assertIn('<code>{{&lt; asciinema cast=&quot;x.cast&quot; loop=true &gt;}}</code>',
                      self.page("en", "general", "a"))

    def test_title_from_the_first_heading(self):
        """No title: in front matter (Hugo Book's pages): the first "# Heading" is the title, not the file name."""
        write_tree(self.path("src"), {
            "content/_index.md": "---\ntitle: Home\n---\nHi.\n",
            "content/steps.md": "# Steps {#s}\n\nText.\n",
            "content/tabs.md": ("---\nweight: 2\n---\n\n# Tabs\n\nMore.\n\n## Part {anchor=false}\n\n"
                                "- ### In a list {.big}\n\n## Kept {#kept}\n")})
        self.import_tree("hugo", self.path("src"))
        self.build()
        self.assertIn("<h1>Steps</h1>", self.page("en", "general", "steps"))
        tabs = self.page("en", "general", "tabs")
        self.assertIn("<h1>Tabs</h1>", tabs)
        self.assertEqual(tabs.count("<h1"), 1, "the body's '# Tabs' is the title, not shown twice")
        # goldmark's heading attributes: an {#id} kept, the others dropped and listed
        self.assertRegex(tabs, r'<h2 id="part">Part</h2>')
        self.assertIn(">In a list</h3>", tabs)
        self.assertIn('<h2 id="kept">Kept</h2>', tabs)
        report = read(self.path("out", "IMPORT.md"))
        self.assertIn("- `content/tabs.md:9`: heading attributes '{anchor=false}'; dropped", report)
        self.assertIn("- `content/tabs.md:11`: heading attributes '{.big}'; dropped", report)

    def test_steps(self):
        """{{% steps %}}: Hugo Book's ordered list of headed items and Hextra's headings, numbered headings."""
        write_tree(self.path("src"), {
            "content/_index.md": "---\ntitle: Home\n---\nHi.\n",
            "content/a.md": ("---\ntitle: A\n---\n{{% steps %}}\n1. ## Install\n   Run `x`.\n\n2. ## Use\n   Done.\n"
                             "{{% /steps %}}\n\n{{% steps %}}\n### Get\nText.\n\n### Go\n{{% /steps %}}\n")})
        r = self.import_tree("hugo", self.path("src"))
        self.assertIn("2 steppers", r.stdout)
        self.build()
        a = self.page("en", "general", "a")
        for h in ('<h2 id="1-install">1. Install</h2>', "<p>Run <code>x</code>.</p>", '<h2 id="2-use">2. Use</h2>',
                  '<h3 id="1-get">1. Get</h3>', '<h3 id="2-go">2. Go</h3>'):
            self.assertIn(h, a)

    def test_code_block_file_name(self):
        """```toml {filename=hugo.toml} (Hugo's code block attributes): the file name is the code title."""
        write_tree(self.path("src"), {
            "content/_index.md": "---\ntitle: Home\n---\nHi.\n",
            "content/a.md": ("---\ntitle: A\n---\n```toml {filename=hugo.toml}\nx = 1\n```\n\n"
                             "```yaml {filename=\"b.yaml\" linenos=true}\ny: 2\n```\n")})
        r = self.import_tree("hugo", self.path("src"))
        self.assertIn("2 code titles", r.stdout)
        self.build()
        a = self.page("en", "general", "a")
        self.assertIn('class="code-title">hugo.toml<', a)
        self.assertIn('class="code-title">b.yaml<', a)
        self.assertIn("- `content/a.md:8`: code block attributes '{filename=\"b.yaml\" linenos=true}'; the file "
                      "name kept as its title, the rest dropped", read(self.path("out", "IMPORT.md")))


class DeepTrees(ImportCase):
    def test_folded_past_the_model_limit(self):
        """Eight folders of sections, pages at the bottom: folded into the sixth, said, and built."""
        files = {"config.toml": 'title = "Deep"\n', "content/_index.md": "---\ntitle: Home\n---\nHi.\n"}
        d = "content"
        for name in "abcdefgh":
            d += "/" + name
            files[d + "/_index.md"] = "---\ntitle: Level %s\n---\nText.\n" % name
        files[d + "/bottom.md"] = "---\ntitle: Bottom\n---\nSee [the top](/a/).\n"
        write_tree(self.path("src"), files)
        self.import_tree("hugo", self.path("src"))
        self.build()
        report = read(self.path("out", "IMPORT.md"))
        self.assertRegex(report, r"content/a/b/c/d/e/f/g/_index.md:1`: 'Level g' and the pages under it are "
                         r"7 folders deep; folded into 'a/b/c/d/e/f' \(phare allows 6 folders\)")
        bottom = [p for p in html_files(self.path("site", "en")) if "bottom" in p]
        self.assertEqual(len(bottom), 1, bottom)
        self.assertEqual(bottom[0], self.path("site", "en", *"abcdef", "bottom", "index.html"))


class HugoContentDirs(ImportCase):
    def test_content_dir_per_language_and_lang_option(self):
        write_tree(self.path("src"), {
            "hugo.yaml": "title: Per-dir\ndefaultContentLanguage: en\nlanguages:\n  en:\n    contentDir: content/en\n"
                         "    weight: 1\n  fr:\n    contentDir: content/fr\n    weight: 2\n",
            "content/en/docs/_index.md": "---\ntitle: Docs\n---\nDocs.\n",
            "content/en/docs/page.md": "---\ntitle: Page\n---\n{{< notice info >}}\nHi\n{{< /notice >}}\n",
            "content/fr/docs/_index.md": "---\ntitle: Docs fr\n---\nDocs.\n",
            "content/fr/docs/page.md": "---\ntitle: Page fr\n---\nSalut.\n"})
        r = self.import_tree("hugo", self.path("src"))
        self.assertIn("imported 2 pages and 0 files (hugo, language en)", r.stdout)
        self.assertIn("imported 2 pages and 0 files (hugo, language fr)", r.stdout)
        self.build()
        self.assertIn('data-callout="note"', self.page("en", "docs", "page"))
        self.assertIn("Salut.", self.page("fr", "docs", "page"))
        # --lang: that language only
        r = self.import_tree("hugo", self.path("src"), "only", "--lang", "fr")
        self.assertIn("imported 2 pages and 0 files (hugo, language fr)", r.stdout)
        self.assertNotIn("language en", r.stdout)
        self.assertEqual(sorted(os.listdir(self.path("only", "content"))), ["fr", "site.yaml"])
        self.build("only", "site-only")

    def test_mkdocs_lang_option(self):
        r = self.import_tree("mkdocs", os.path.join(FIXTURES, "mkdocs", "site"), "out", "--lang", "fr")
        self.assertIn("imported 2 pages and 0 files (mkdocs, language fr)", r.stdout)
        self.assertNotIn("language en", r.stdout)
        self.build()
        self.assertIn('data-callout="caution"', self.page("fr", "guide", "setup"))


class HugoReal(ImportCase):
    def test_learn_theme_docs(self):
        """matcornic/hugo-theme-learn's exampleSite: en, fr, zh by file name."""
        r = self.import_tree("hugo", self.shared_copy("hugo"))
        self.assertIn("imported 36 pages and 13 files (hugo, language en)", r.stdout)
        self.assertIn("imported 33 pages and 13 files (hugo, language fr)", r.stdout)
        self.assertIn("imported 1 pages and 0 files (hugo, language zh)", r.stdout)
        b = self.build()
        self.assertIn("built 112 pages (en 37, fr 38, zh 37)", b.stdout + b.stderr)
        en = "".join(read(p) for p in html_files(self.path("site", "en")))
        fr = "".join(read(p) for p in html_files(self.path("site", "fr")))
        # 32 notices and 6 expands over en and fr (fr's site also shows en-only pages, untranslated)
        self.assertIn("20 notices, 3 tab groups", r.stdout)
        self.assertIn("18 notices, 0 tab groups", r.stdout)
        self.assertEqual(en.count('data-callout="'), 20)
        self.assertGreaterEqual(fr.count('data-callout="'), 18)
        self.assertEqual(len(re.findall(r"data-tabs\b", en)), 3)
        report = read(self.path("out", "IMPORT.md"))
        self.assertIn("Kept as written, by kind: shortcode children 6, shortcode attachments 6, shortcode button 3",
                      report)
        # seven folders deep in Hugo; the last one holds no page of its own below it, so it
        # becomes an article six folders down, the model's limit (no folding needed)
        leaf = ("shortcodes", "children", "children-1", "children-1-1", "children-1-1-1", "children-1-1-1-1",
                "children-1-1-1-1-1")
        self.assertTrue(os.path.isfile(self.path("site", "en", *leaf, "index.html")))
        # relref "cont/archetypes.en.md", with the language in the path
        self.assertIn('href="/en/cont/archetypes/"', en)
        # an absolute image path of a page bundle (/en/cont/i18n/images/…)
        self.assertRegex(self.page("en", "cont", "i18n"), r'<img src="/en/cont/i18n-menu.gif"')


class LaravelTranslatableReal(ImportCase):
    """Astrotomic/laravel-translatable's GitBook space (tests/import/real/laravel-translatable/SOURCE.md);
    the counts are the source's."""

    def test_space(self):
        r = self.import_tree("gitbook", os.path.join(real_copy(self, "laravel-translatable"), "docs"))
        self.assertIn("imported 13 pages and 1 files (gitbook, language en)", r.stdout)
        self.assertIn("6 notices, 0 tab groups, 12 code titles", r.stdout)
        self.build()
        text = site_text(self)
        self.assertEqual(text.count('data-callout="note"'), 6)  # style="info"
        self.assertEqual(len(re.findall(r"data-tabs\b", text)), 0)
        self.assertEqual(text.count('class="code-title">'), 12)
        self.assertEqual(text.count("<pre"), 56)
        # SUMMARY.md's order, in its groups
        for sec, pages in (("general", ("issues", "changelog", "faq", "installation")),
                           ("package", ("interface", "methods", "scopes", "fallback-locale", "locales-helper")),
                           ("usage", ("attributes", "forms", "pivot-model"))):
            page = self.page("en", sec)
            order = [page.index('href="/en/%s/%s/"' % (sec, p)) for p in pages]
            self.assertEqual(order, sorted(order), sec)
        home = self.page("en")
        self.assertIn('<img src="/en/socialcard.png" alt="Laravel Translatable"', home)
        self.assertTrue(os.path.isfile(self.path("site", "en", "socialcard.png")))
        self.assertEqual(home.count('<img src="https://'), 6)  # the badges (one more is http://)
        # {% code title="create\_role\_user\_table.php" %} with a blank line before its fence
        self.assertIn('class="code-title">create_role_user_table.php<', self.page("en", "usage", "pivot-model"))
        self.assertIn('data-lang="html"', self.page("en", "usage", "forms"))  # ```markup
        self.assertIn('class="code-title">create:posts:table.php<', self.page("en", "general", "installation"))
        self.assertIn("Everything was converted.", read(self.path("out", "IMPORT.md")))


class TableReaderReal(ImportCase):
    """timvink/mkdocs-table-reader-plugin's MkDocs Material site, with the macros plugin's Jinja
    (tests/import/real/table-reader/SOURCE.md); the counts are the source's."""

    def test_site(self):
        r = self.import_tree("mkdocs", real_copy(self, "table-reader"))
        self.assertIn("imported 9 pages and 0 files (mkdocs, language en)", r.stdout)
        self.assertIn("9 notices, 18 tab groups", r.stdout)
        self.assertIn("11 links", r.stdout)
        self.build()
        text = site_text(self)
        self.assertEqual(len(re.findall(r'data-callout="', text)), 9)
        self.assertEqual(len(re.findall(r"data-tabs\b", text)), 18)
        self.assertEqual(text.count('data-tab="'), 38)
        self.assertEqual(text.count("<pre"), 34)  # 33 fences, and docker.md's last line (indented code)
        self.assertIn('data-tab=":arrow_left: left"', text)
        self.assertNotIn("raw %}", text)
        sec = self.page("en", "how-to")
        order = [sec.index('href="/en/how-to/%s/"' % p) for p in
                 ("customize_tables", "preprocess_tables", "use_jinja2", "project_structure", "docker",
                  "alternatives")]
        self.assertEqual(order, sorted(order))
        self.assertIn('href="/en/how-to/use_jinja2/"', self.page("en", "general", "readers"))
        self.assertIn('href="/en/how-to/project_structure/"', self.page("en", "general", "options"))
        # <code>\{\{ … \}\}</code>: shown as code, not hidden as raw HTML
        self.assertIn("<code>{{ read_excel('tables/excel_table.xlsx', engine='openpyxl') }}</code>", self.page("en"))
        self.assertRegex(self.page("en", "how-to", "docker"),  # ??? info "Dockerfile": folded
                         r'(?s)<details class="callout" data-callout="note">\s*<summary.{0,400}?Dockerfile')
        report = read(self.path("out", "IMPORT.md"))
        self.assertEqual(report.count("Jinja tag '{{"), 25)
        self.assertIn("Kept as written, by kind: Jinja {{ }} 25.", report)
        self.assertNotIn("raw HTML", report)


class HugoBookReal(ImportCase):
    """alex-shpak/hugo-book's "Content & Structure" docs (tests/import/real/hugo-book/SOURCE.md); the
    counts are the source's."""

    def test_docs(self):
        src = self.path("src")
        shutil.copytree(os.path.join(REAL, "hugo-book", "exampleSite", "content.en"), os.path.join(src, "content"))
        r = self.import_tree("hugo", src)
        self.assertIn("imported 22 pages and 0 files (hugo, language en)", r.stdout)
        self.assertIn("7 notices, 2 tab groups, 5 code titles, 6 links, 0 figures, 1 steppers", r.stdout)
        b = self.build()
        self.assertIn("built 24 pages (en 24)", b.stdout + b.stderr)  # and the home, and docs/ (no _index.md)
        text = site_text(self)
        base = ("docs", "content")
        self.assertEqual(len(re.findall(r'data-callout="', text)), 14)  # 5 hints, 2 details, 7 GitHub alerts
        self.assertEqual(len(re.findall(r"data-tabs\b", text)), 2)
        self.assertIn("<h1>Steps</h1>", self.page("en", *base, "shortcodes", "steps"))  # no title: in front matter
        self.assertEqual(self.page("en", *base, "pages").count("<h1"), 1)  # "# Page Frontmatter", the title
        for label in ("YAML", "TOML", "JSON", "macOS", "Linux", "Windows"):
            self.assertEqual(text.count('data-tab="%s"' % label), 1, label)
        self.assertEqual(text.count('class="code-title">hugo.toml<'), 4)
        self.assertEqual(text.count('class="code-title">_index.md<'), 1)
        sec = self.page("en", *base)
        order = [sec.index('href="/en/docs/content/%s/"' % p) for p in
                 ("organisation", "pages", "menus", "blog", "multilingual")]
        self.assertEqual(order, sorted(order), "by weight")
        self.assertIn('href="/en/docs/content/shortcodes/"', sec)  # the sub-section's card
        org = self.page("en", *base, "organisation")
        self.assertIn('href="/en/docs/content/pages/"', org)
        self.assertIn('href="/en/docs/content/menus/"', org)
        self.assertIn('href="/en/docs/content/shortcodes/columns/"', self.page("en", *base, "shortcodes", "cards"))
        tabs = self.page("en", *base, "shortcodes", "tabs")
        self.assertEqual(tabs.count("<pre"), 4)  # the syntax, and one per tab
        self.assertRegex(self.page("en", *base, "shortcodes", "details"),
                         r'(?s)data-callout="note" open>.{0,400}?How do I override the theme')
        report = read(self.path("out", "IMPORT.md"))
        self.assertEqual(report.count("link to '/docs/getting-started/configuration/': a file that does not exist"), 2)
        steps = self.page("en", *base, "shortcodes", "steps")
        for n, title in enumerate(("Create your site", "Add the theme", "Write content", "Deploy"), 1):
            self.assertRegex(steps, r'<h2 id="[^"]*">%d\. %s</h2>' % (n, title))
        self.assertNotIn("shortcode steps", report)
        for kind, n in (("columns", 6), ("card", 6), ("badge", 8), ("katex", 2), ("asciinema", 1), ("image", 1),
                        ("openapi", 1)):
            self.assertRegex(report, r"Kept as written, by kind: .*\bshortcode %s %d\b" % (kind, n))


class BadInput(ImportCase):
    def bad(self, files, message, src=None):
        if files is not None:
            write_tree(self.path("src"), files)
        r = run("import", "gitbook", src or self.path("src"), "--out", self.path("out"))
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, message)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertFalse(os.path.exists(self.path("out")), "nothing written")

    def test_summary_names_missing_file(self):
        self.bad({"SUMMARY.md": "# T\n\n* [Here](here.md)\n* [Gone](gone.md)\n", "here.md": "# Here\n"},
                 r"^SUMMARY.md:4: error: 'Gone' names 'gone.md', which is not a file under ")

    def test_cycle(self):
        self.bad({"SUMMARY.md": "* [A](a.md)\n  * [B](b.md)\n    * [A again](a.md)\n",
                  "a.md": "# A\n", "b.md": "# B\n"},
                 r"^SUMMARY.md:3: error: 'a.md' is listed inside itself: a cycle; list it once")

    def test_binary_junk(self):
        os.makedirs(self.path("src"))
        with open(self.path("src", "junk.md"), "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
        self.bad({"SUMMARY.md": "* [Junk](junk.md)\n"}, r"junk.md: error: not a text file \(byte \d+ is not UTF-8")

    def test_src_is_a_file(self):
        write_tree(self.tmp, {"file.md": "# x\n"})
        self.bad(None, r"file.md: error: not a folder", src=self.path("file.md"))

    def test_no_summary(self):
        self.bad({"page.md": "# x\n"}, r"SUMMARY.md: error: no SUMMARY.md")

    def test_non_empty_out_needs_force(self):
        write_tree(self.path("src"), {"SUMMARY.md": "* [A](a.md)\n", "a.md": "# A\n"})
        write_tree(self.path("out"), {"keep.txt": "mine\n"})
        r = run("import", "gitbook", self.path("src"), "--out", self.path("out"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("the folder is not empty; give a new folder, or --force", r.stderr)
        self.assertEqual(os.listdir(self.path("out")), ["keep.txt"])
        r = run("import", "gitbook", self.path("src"), "--out", self.path("out"), "--force")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.build()

    def test_out_inside_src_refused(self):
        write_tree(self.path("src"), {"SUMMARY.md": "* [A](a.md)\n", "a.md": "# A\n"})
        r = run("import", "gitbook", self.path("src"), "--out", self.path("src", "out"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("lies inside the source folder", r.stderr)
        self.assertFalse(os.path.exists(self.path("src", "out")))

    def test_mkdocs_nav_names_missing_page(self):
        write_tree(self.path("src"), {"mkdocs.yml": "site_name: x\nnav:\n  - Home: index.md\n  - Gone: gone.md\n",
                                      "docs/index.md": "# x\n"})
        r = run("import", "mkdocs", self.path("src"), "--out", self.path("out"))
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"^mkdocs.yml:4:11: error: the nav names 'gone.md', which is not a file under ")
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertFalse(os.path.exists(self.path("out")))

    def test_large_page_raises_the_limit(self):
        write_tree(self.path("src"), {"SUMMARY.md": "* [Big\\_page](big.md)\n",
                                      "big.md": "# Big\n\n" + ("Some text for a long page.\n\n" * 12000)})
        r = run("import", "gitbook", self.path("src"), "--out", self.path("out"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("max_article_bytes: 393216", read(self.path("out", "content", "site.yaml")))
        self.build()
        self.assertIn("Some text for a long page.", self.page("en", "general", "big"))

    def test_summary_title_escapes(self):
        write_tree(self.path("src"), {"SUMMARY.md": "## The\\_group\n\n* [A\\_page](a.md)\n", "a.md": "Text.\n"})
        r = run("import", "gitbook", self.path("src"), "--out", self.path("out"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('title: "A_page"', read(self.path("out", "content", "en", "the_group", "a.md")))

    def test_hugo_symlink_loop_not_followed(self):
        write_tree(self.path("src"), {"config.toml": "title = 'x'\n", "content/docs/_index.md": "---\ntitle: D\n---\n",
                                      "content/docs/a.md": "---\ntitle: A\n---\nText.\n"})
        os.symlink(".", self.path("src", "content", "docs", "loop1"))
        os.symlink(".", self.path("src", "content", "docs", "loop2"))
        r = run("import", "hugo", self.path("src"), "--out", self.path("out"), timeout=20)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("imported 2 pages", r.stdout)
        self.assertIn("content/docs/loop1:0`: a symbolic link to a folder; not followed", read(self.path("out", "IMPORT.md")))
        self.build()

    def test_accented_file_names_folded(self):
        write_tree(self.path("src"), {"SUMMARY.md": "## Thé\n\n* [Café](<Café Crème.md>)\n* [B](b.md)\n",
                                      "Café Crème.md": "Du café.\n", "b.md": "[Le café](<Café Crème.md>)\n"})
        r = run("import", "gitbook", self.path("src"), "--out", self.path("out"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.isfile(self.path("out", "content", "en", "the", "cafe-creme.md")))
        self.build()
        self.assertIn('href="/en/the/cafe-creme/"', self.page("en", "the", "b"))

    def test_gitbook_yaml_root_and_structure(self):
        write_tree(self.path("src"), {".gitbook.yaml": "root: ./book/\nstructure:\n  readme: start.md\n  summary: toc.md\n",
                                      "book/toc.md": "* [Start](start.md)\n* [Other](other.md)\n",
                                      "book/start.md": "# Start here\n\nHi.\n", "book/other.md": "# Other\n"})
        r = run("import", "gitbook", self.path("src"), "--out", self.path("out"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('title: "Start here"', read(self.path("out", "content", "en", "_index.md")))
        self.assertTrue(os.path.isfile(self.path("out", "content", "en", "general", "other.md")))
        self.build()

    def test_hugo_without_content(self):
        write_tree(self.path("src"), {"config.toml": "title = 'x'\n"})
        r = run("import", "hugo", self.path("src"), "--out", self.path("out"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("error: no content folder 'content'", r.stderr)
        self.assertFalse(os.path.exists(self.path("out")))

    def test_usage(self):
        r = run("import", "word", self.path("x"), "--out", self.path("out"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("phare import: error: 'word' is not a format", r.stderr)
        r = run("import", "gitbook", self.path("x"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("--out DIR is required", r.stderr)


if __name__ == "__main__":
    import unittest
    unittest.main()

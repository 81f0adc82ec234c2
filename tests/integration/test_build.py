"""phare build, driven as an author would: content trees in, sites out."""
import hashlib
import os
import re
import shutil
import unittest

from phare_test import ROOT, TempDirTest, read, run, write_tree

SITE3 = {
    "content/site.yaml": """
        title: { fr: Aide, en: Help, de: Hilfe }
        base_url: /help/
        default_language: fr
        languages:
          - { code: fr, name: Français }
          - { code: en, name: English }
          - { code: de, name: Deutsch }
        feedback: { endpoint: /api/feedback }
        """,
    "content/fr/_index.md": """
        ---
        title: Centre d'aide
        ---
        Bienvenue. Voir [le pare-feu](/fr/reseau/pare-feu/#regles).
        """,
    "content/fr/reseau/_index.md": """
        ---
        title: Réseau
        weight: 2
        ---
        """,
    "content/fr/reseau/pare-feu.md": """
        ---
        title: Le pare-feu
        description: Filtrer le trafic
        weight: 1
        updated: 2026-03-12
        ---
        Intro avec un [lien source](dns.md) et un [lien ancre](#regles).

        ## Règles

        Texte.

        ## Règles

        Encore.

        ### Détails & `<cas>`

        Fin.
        """,
    "content/fr/reseau/dns.md": """
        ---
        title: DNS
        weight: 2
        updated: 2026-01-05
        ---
        Voir [pare-feu](../reseau/pare-feu.md#regles-2).
        """,
    "content/en/reseau/pare-feu.md": """
        ---
        title: The firewall
        updated: 2026-03-12
        ---
        See [DNS](/en/reseau/dns/) — wait, that one is missing, so link home: [home](/en/).

        ## Rules
        """,
    "content/de/reseau/pare-feu.md": """
        ---
        title: Die Firewall
        updated: 2026-03-12
        ---
        ## Regeln
        """,
}


def tree_digest(path):
    """A digest of every file name and content under path."""
    h = hashlib.sha256()
    for root, dirs, files in sorted(os.walk(path)):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(root, f)
            h.update(os.path.relpath(p, path).encode())
            with open(p, "rb") as fh:
                h.update(fh.read())
    return h.hexdigest()


class BuildFixture(TempDirTest):
    files = SITE3

    def setUp(self):
        super().setUp()
        tree = dict(self.files)
        # the English DNS link above is deliberately broken: replace it
        tree["content/en/reseau/pare-feu.md"] = tree["content/en/reseau/pare-feu.md"].replace(
            "See [DNS](/en/reseau/dns/) — wait, that one is missing, so link home: ", "See ")
        write_tree(self.tmp, tree)
        self.out = self.path("site")

    def build(self, *extra, expect=0):
        r = run("build", "--source", self.tmp, "--out", self.out, *extra)
        self.assertEqual(r.returncode, expect, r.stderr)
        return r

    def page(self, rel):
        return read(os.path.join(self.out, rel))


class ThreeLanguagesUnderHelp(BuildFixture):
    def test_pages_and_summary(self):
        r = self.build()
        self.assertRegex(r.stderr, r"built \d+ pages \(fr \d+, en \d+, de \d+\) in [0-9.]+ s")
        for rel in ["index.html", "404.html", "sitemap.xml", "robots.txt",
                    "fr/index.html", "fr/reseau/index.html", "fr/reseau/pare-feu/index.html",
                    "fr/reseau/dns/index.html", "en/reseau/pare-feu/index.html",
                    "de/reseau/pare-feu/index.html", "de/index.html"]:
            self.assertTrue(os.path.isfile(os.path.join(self.out, rel)), rel)

    def test_every_url_respects_base(self):
        self.build()
        for root, _, files in os.walk(self.out):
            for f in files:
                if not f.endswith(".html"):
                    continue
                html = read(os.path.join(root, f))
                for url in re.findall(r'(?:href|src)="([^"]*)"', html):
                    if url.startswith("#") or re.match(r"[a-z]+:", url):
                        continue
                    self.assertTrue(url.startswith("/help/"), f"{f}: {url}")

    def test_links_rewritten_and_anchors(self):
        self.build()
        fr = self.page("fr/reseau/pare-feu/index.html")
        self.assertIn('href="/help/fr/reseau/dns/"', fr)       # source path link
        self.assertIn('href="#regles"', fr)                    # same-page anchor
        self.assertIn('<h2 id="regles">', fr)
        self.assertIn('<h2 id="regles-2">', fr)                # unique ids
        self.assertIn('<h3 id="details-cas">', fr)
        self.assertIn("Détails &amp; &lt;cas&gt;", fr)          # text escaped
        dns = self.page("fr/reseau/dns/index.html")
        self.assertIn('href="/help/fr/reseau/pare-feu/#regles-2"', dns)
        home = self.page("fr/index.html")
        self.assertIn('href="/help/fr/reseau/pare-feu/#regles"', home)

    def test_hreflang_and_switcher(self):
        self.build()
        fr = self.page("fr/reseau/pare-feu/index.html")
        for lang in ["fr", "en", "de"]:
            self.assertIn(f'<link rel="alternate" hreflang="{lang}" href="/help/{lang}/reseau/pare-feu/">', fr)
        self.assertIn('hreflang="x-default" href="/help/fr/reseau/pare-feu/"', fr)
        self.assertIn('<html lang="fr">', fr)
        dns = self.page("fr/reseau/dns/index.html")
        # no translation: the switcher goes to that language's home, no hreflang for it
        self.assertIn('<a href="/help/en/" hreflang="en" lang="en" class="missing">', dns)
        self.assertNotIn('hreflang="en" href=', dns)
        self.assertIn('<html lang="de">', self.page("de/reseau/pare-feu/index.html"))

    def test_dates_per_language(self):
        self.build()
        self.assertIn("12 mars 2026", self.page("fr/reseau/pare-feu/index.html"))
        self.assertIn("March 12, 2026", self.page("en/reseau/pare-feu/index.html"))
        self.assertIn("12. März 2026", self.page("de/reseau/pare-feu/index.html"))
        self.assertIn('datetime="2026-03-12"', self.page("de/reseau/pare-feu/index.html"))

    def test_toc_only_with_three_headings(self):
        self.build()
        self.assertIn('class="toc"', self.page("fr/reseau/pare-feu/index.html"))
        self.assertNotIn('class="toc"', self.page("en/reseau/pare-feu/index.html"))

    def test_lists_ordered_by_weight(self):
        self.build()
        sec = self.page("fr/reseau/index.html")
        self.assertLess(sec.index("Le pare-feu"), sec.index(">DNS<"))
        self.assertIn("<h1>Réseau</h1>", sec)

    def test_sitemap_and_robots(self):
        self.build()
        sm = self.page("sitemap.xml")
        self.assertIn("<loc>/help/fr/reseau/pare-feu/</loc><lastmod>2026-03-12</lastmod>", sm)
        self.assertIn('<xhtml:link rel="alternate" hreflang="de" href="/help/de/reseau/pare-feu/"/>', sm)
        self.assertEqual(sm.count("<url>"), len(re.findall(r"<loc>", sm)))
        self.assertIn("User-agent: *", self.page("robots.txt"))

    def test_sitemap_index_above_the_limit(self):
        r = run("build", "--source", self.tmp, "--out", self.out, "--base-url", "https://example.org/help/",
                env={"PHARE_SITEMAP_MAX_URLS": "4"})
        self.assertEqual(r.returncode, 0, r.stderr)
        index = self.page("sitemap.xml")
        self.assertIn("<sitemapindex", index)
        parts = re.findall(r"<loc>https://example.org/help/(sitemap-\d+\.xml)</loc>", index)
        self.assertGreaterEqual(len(parts), 2)
        locs = []
        for p in parts:
            part = self.page(p)
            self.assertLessEqual(part.count("<url>"), 4)
            locs += re.findall(r"<url><loc>([^<]*)</loc>", part)
        self.build("--base-url", "https://example.org/help/")
        whole = re.findall(r"<url><loc>([^<]*)</loc>", self.page("sitemap.xml"))
        self.assertEqual(sorted(locs), sorted(whole))

    def test_full_base_url(self):
        self.build("--base-url", "https://example.org/docs/")
        fr = self.page("fr/reseau/pare-feu/index.html")
        self.assertIn('<link rel="canonical" href="https://example.org/docs/fr/reseau/pare-feu/">', fr)
        self.assertIn('href="/docs/fr/reseau/dns/"', fr)
        self.assertIn("<loc>https://example.org/docs/fr/", self.page("sitemap.xml"))
        self.assertIn("Sitemap: https://example.org/docs/sitemap.xml", self.page("robots.txt"))

    def test_root_and_404(self):
        self.build()
        root = self.page("index.html")
        for lang in ["fr", "en", "de"]:
            self.assertIn(f'href="/help/{lang}/"', root)
        nf = self.page("404.html")
        self.assertIn('name="robots" content="noindex"', nf)
        self.assertIn('href="/help/assets/phare.', nf)

    def test_reproducible(self):
        self.build()
        first = tree_digest(self.out)
        shutil.rmtree(self.out)
        self.build("--threads", "1")
        self.assertEqual(first, tree_digest(self.out))

    def test_assets_hashed(self):
        self.build()
        names = os.listdir(os.path.join(self.out, "assets"))
        self.assertTrue(any(re.fullmatch(r"phare\.[0-9a-f]{10}\.css", n) for n in names), names)

    def test_manifest(self):
        self.build()
        m = self.page("phare-manifest.tsv").splitlines()
        self.assertEqual(m[0], "phare-manifest\t1")
        self.assertIn("base\t/help/", m)
        self.assertTrue(any(l.startswith("article\tde\treseau/pare-feu\t/help/de/reseau/pare-feu/\t") for l in m))

    def test_quiet(self):
        r = self.build("--quiet")
        self.assertEqual(r.stderr, "")

    def test_timings(self):
        r = self.build("--timings")
        steps = re.findall(r"^  (\S.*?) +([0-9.]+) s +([0-9.]+) %$", r.stderr, re.M)
        self.assertEqual([s[0] for s in steps][:2], ["load content", "theme and templates"])
        self.assertIn("search index", [s[0] for s in steps])
        total = float(re.search(r"in ([0-9.]+) s into", r.stderr).group(1))
        # the steps cover the build: their sum is the total, give or take rounding
        self.assertAlmostEqual(sum(float(s[1]) for s in steps), total, delta=0.02 + 0.05 * total)


class Drafts(BuildFixture):
    files = dict(SITE3, **{"content/fr/reseau/brouillon.md": "---\ntitle: Brouillon\ndraft: true\n---\nx\n"})

    def test_drafts_only_with_flag(self):
        self.build()
        self.assertFalse(os.path.exists(os.path.join(self.out, "fr/reseau/brouillon")))
        self.build("--drafts")
        self.assertTrue(os.path.isfile(os.path.join(self.out, "fr/reseau/brouillon/index.html")))


class RawHtml(BuildFixture):
    files = dict(SITE3, **{"content/fr/reseau/brut.md":
                           "---\ntitle: Brut\n---\n<script>alert(1)</script>\n\n<b>gras</b> [x](javascript:alert(1))\n"})

    def test_raw_html_off_by_default(self):
        self.build()
        html = self.page("fr/reseau/brut/index.html")
        self.assertNotIn("<script>alert", html)
        self.assertNotIn("<b>gras</b>", html)
        self.assertNotIn("javascript:", html)

    def test_unsafe_html_opt_in(self):
        site = read(self.path("content/site.yaml")) + "unsafe_html: true\n"
        write_tree(self.tmp, {"content/site.yaml": site})
        self.build()
        self.assertIn("<b>gras</b>", self.page("fr/reseau/brut/index.html"))


class Errors(BuildFixture):
    """Each broken input: one message file:line:col, exit 1, previous site untouched."""

    def broken(self, files, expected, remove=()):
        self.build()
        before = tree_digest(self.out)
        for rel in remove:
            os.remove(self.path(rel))
        write_tree(self.tmp, files)
        r = run("build", "--source", self.tmp, "--out", self.out)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, expected)
        errors = [l for l in r.stderr.splitlines() if ": error: " in l]
        self.assertEqual(len(errors), len(set(errors)), "an error printed twice:\n" + r.stderr)
        self.assertIn("was left as it was", r.stderr)
        self.assertEqual(before, tree_digest(self.out), "the previous output changed")
        leftovers = [n for n in os.listdir(self.tmp) if "phare-tmp" in n]
        self.assertEqual(leftovers, [])
        return r

    def test_bad_yaml_front_matter(self):
        self.broken({"content/fr/reseau/dns.md": "---\ntitle: [DNS\nweight: 2\n---\nx\n"},
                    r"fr/reseau/dns\.md:\d+:\d+: error: YAML: ")

    def test_missing_title(self):
        self.broken({"content/fr/reseau/dns.md": "---\nweight: 2\n---\nx\n"},
                    r"fr/reseau/dns\.md:1:1: error: 'title' is missing")

    def test_bad_date(self):
        self.broken({"content/fr/reseau/dns.md": "---\ntitle: DNS\nupdated: 2026-02-30\n---\n"},
                    r"fr/reseau/dns\.md:3:10: error: 'updated' must be a date written YYYY-MM-DD")

    def test_unknown_language_folder(self):
        self.broken({"content/it/reseau/x.md": "---\ntitle: X\n---\n"},
                    r"content/it: error: unknown language folder 'it'.*site\.yaml \(line \d+\)")

    def test_duplicate_slug(self):
        self.broken({"content/fr/reseau/DNS.md": "---\ntitle: DNS bis\n---\n"},
                    r"duplicate slug: .*/reseau/(DNS|dns)\.md also becomes /fr/reseau/dns/")

    def test_broken_link(self):
        self.broken({"content/fr/reseau/dns.md": "---\ntitle: DNS\n---\n\nVoir [ici](/fr/reseau/absent/).\n"},
                    r"fr/reseau/dns\.md:5:6: error: link '/fr/reseau/absent/' leads nowhere")

    def test_broken_source_link(self):
        self.broken({"content/fr/reseau/dns.md": "---\ntitle: DNS\n---\nVoir [ici](../autre/x.md).\n"},
                    r"fr/reseau/dns\.md:4:6: error: link '\.\./autre/x\.md' leads nowhere")

    def test_broken_anchor(self):
        self.broken({"content/fr/reseau/dns.md": "---\ntitle: DNS\n---\nVoir [ici](pare-feu.md#nulle-part).\n"},
                    r"fr/reseau/dns\.md:4:6: error: link 'pare-feu\.md#nulle-part': .* has no heading with id "
                    r"'nulle-part'; its ids are: regles regles-2 details-cas")

    def test_mustache_syntax_error(self):
        self.broken({"templates/section.mustache": "<p>\n{{#articles}}\n{{title}\n{{/articles}}\n"},
                    r"templates/section\.mustache:\d+:\d+: error: ")

    def test_missing_partial(self):
        self.broken({"templates/section.mustache": "<p>\n  {{> partials/nope}}\n"},
                    r"templates/section\.mustache:2:3: error: .*partials/nope")

    def test_self_including_partial(self):
        self.broken({"templates/partials/footer.mustache": "x{{> partials/footer}}"},
                    r"templates/partials/footer\.mustache:1:2: error: ")

    def test_yaml_alias_bomb(self):
        bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for i in range(ord("b"), ord("k")):
            p = chr(i - 1)
            bomb += f"{chr(i)}: &{chr(i)} [{', '.join(['*' + p] * 10)}]\n"
        self.broken({"content/fr/reseau/dns.md": "---\ntitle: DNS\n" + bomb + "---\n"},
                    r"fr/reseau/dns\.md:\d+:\d+: error: the YAML document has more than \d+ nodes")

    def test_bad_site_yaml(self):
        self.broken({"content/site.yaml": "title: X\nlanguages: [{code: fr}]\nbase_ur: /\n"},
                    r"content/site\.yaml:3:10: error: unknown key 'base_ur'")

    def test_article_too_big(self):
        write_tree(self.tmp, {"content/site.yaml": read(self.path("content/site.yaml")) + "max_article_bytes: 2048\n"})
        self.broken({"content/fr/reseau/dns.md": "---\ntitle: DNS\n---\n" + "mot " * 1000},
                    r"fr/reseau/dns\.md: error: the file is \d+ bytes, more than the limit of 2048")

    def test_fifo_named_like_an_article(self):
        """A FIFO is not read (opening it would wait for a writer forever)."""
        self.build()
        before = tree_digest(self.out)
        os.remove(self.path("content/fr/reseau/dns.md"))
        os.mkfifo(self.path("content/fr/reseau/dns.md"))
        r = run("build", "--source", self.tmp, "--out", self.out, timeout=30)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"fr/reseau/dns\.md: error: not a regular file")
        self.assertEqual(before, tree_digest(self.out))

    def test_max_article_bytes_bounds(self):
        self.broken({"content/site.yaml": read(self.path("content/site.yaml")) + "max_article_bytes: 12\n"},
                    r"content/site\.yaml:\d+:\d+: error: max_article_bytes must be a whole number of bytes")

    def test_output_not_made_by_phare(self):
        os.makedirs(self.path("precious"))
        write_tree(self.tmp, {"precious/notes.txt": "mine"})
        r = run("build", "--source", self.tmp, "--out", self.path("precious"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("was not made by phare", r.stderr)
        self.assertEqual(read(self.path("precious/notes.txt")), "mine")


class Cli(unittest.TestCase):
    def test_version(self):
        r = run("version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^phare \d+\.\d+\.\d+ \(cmark-gfm 0\.29\.0\.gfm")

    def test_help(self):
        for args in (["help"], ["help", "build"], ["build", "--help"]):
            r = run(*args)
            self.assertEqual(r.returncode, 0, args)
            self.assertIn("build", r.stdout)
        self.assertIn("--base-url", run("build", "--help").stdout)

    def test_usage_errors(self):
        self.assertEqual(run("build", "--nope").returncode, 2)
        self.assertEqual(run("frobnicate").returncode, 2)
        self.assertEqual(run().returncode, 2)

    def test_no_content(self):
        r = run("build", "--source", "/nonexistent-dir")
        self.assertEqual(r.returncode, 1)
        self.assertIn("content/site.yaml: error: not found", r.stderr)


class ShippedContent(TempDirTest):
    """The knowledge base in content/ builds, in French and English."""

    def test_builds(self):
        out = self.path("site")
        r = run("build", "--source", ROOT, "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("warning", r.stderr)
        for lang in ["fr", "en"]:
            for slug in ["vps", "lxc", "kvm", "lxc-vs-kvm"]:
                html = read(os.path.join(out, lang, "virtualisation", slug, "index.html"))
                other = "en" if lang == "fr" else "fr"
                self.assertIn(f'href="/{other}/virtualisation/{slug}/" hreflang="{other}"', html)
        fr = read(os.path.join(out, "fr/virtualisation/lxc-vs-kvm/index.html"))
        self.assertIn("Cet article vous a-t-il été utile ?", fr)
        self.assertIn("Dernière mise à jour", fr)
        self.assertIn('<caption>', fr)
        self.assertIn('data-questionnaire="choose-virtualization"', fr)
        en = read(os.path.join(out, "en/virtualisation/lxc-vs-kvm/index.html"))
        self.assertIn("Was this article helpful?", en)


if __name__ == "__main__":
    unittest.main()

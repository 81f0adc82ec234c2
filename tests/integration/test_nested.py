"""Nested sections (issue 18), driven as an author would: a three-level tree
in three languages built under /help/, its links across levels,
translations, fallback pages, aliases, breadcrumbs, sidebar and pager."""
import json
import os
import re
import unittest

from phare_test import TempDirTest, read, run, write_tree

TREE = {
    "content/site.yaml": """
        title: { fr: Aide, en: Help, de: Hilfe }
        base_url: /help/
        default_language: fr
        languages:
          - { code: fr, name: Français }
          - { code: en, name: English }
          - { code: de, name: Deutsch }
        missing_translation: fallback
        """,
    "content/fr/cloud/_index.md": """
        ---
        title: Cloud
        description: Nos offres cloud
        weight: 1
        ---
        Tout sur le cloud.
        """,
    "content/fr/cloud/vps/_index.md": """
        ---
        title: Serveurs privés virtuels
        description: Les VPS
        ---
        Voir [IPv6](reseau/ipv6.md#etapes).
        """,
    "content/fr/cloud/vps/reseau/_index.md": """
        ---
        title: Réseau
        aliases: [/fr/reseau/]
        ---
        """,
    "content/fr/cloud/vps/reseau/ipv6.md": """
        ---
        title: Configurer IPv6
        weight: 1
        ---
        ## Étapes

        Voir [démarrer](../demarrer.md) et [le pare-feu](/fr/cloud/vps/reseau/pare-feu/).
        """,
    "content/fr/cloud/vps/reseau/pare-feu.md": """
        ---
        title: Pare-feu
        weight: 2
        ---
        Retour à [IPv6](ipv6.md#etapes).
        """,
    "content/fr/cloud/vps/reseau/dns.md": """
        ---
        title: DNS
        weight: 3
        ---
        Texte.
        """,
    "content/fr/cloud/vps/demarrer.md": """
        ---
        title: Démarrer un VPS
        aliases: [/fr/ancien/demarrer/, /fr/vieux]
        ---
        Puis [IPv6](reseau/ipv6.md#etapes).
        """,
    "content/fr/compte/_index.md": """
        ---
        title: Compte
        weight: 2
        ---
        """,
    "content/fr/compte/factures.md": """
        ---
        title: Factures
        ---
        Voir [IPv6](../cloud/vps/reseau/ipv6.md#etapes) et [la section](../cloud/vps/_index.md).
        """,
    "content/tables/offres.yaml": """
        title: { fr: Offres, en: Offers, de: Angebote }
        columns:
          - id: ipv6
            label: { fr: IPv6, en: IPv6, de: IPv6 }
            article: cloud/vps/reseau/ipv6
        rows:
          - criterion: { fr: Prix, en: Price, de: Preis }
            cells:
              ipv6: { fr: Gratuit, en: Free, de: Gratis }
        """,
    "rules/choisir.lua": """
        title { fr = "Choisir", en = "Choose", de = "Wählen" }
        question "net" {
          text = { fr = "IPv6 ?", en = "IPv6?", de = "IPv6?" },
          answers = {
            { id = "oui", fr = "Oui", en = "Yes", de = "Ja" },
            { id = "non", fr = "Non", en = "No", de = "Nein" },
          },
        }
        outcome "v6" { text = { fr = "IPv6", en = "IPv6", de = "IPv6" }, article = "cloud/vps/reseau/ipv6" }
        outcome "v4" { text = { fr = "IPv4", en = "IPv4", de = "IPv4" }, article = "compte/factures" }
        decide(function(a)
          if a.net == "oui" then return "v6" end
          return "v4"
        end)
        expect({ net = "oui" }, "v6")
        """,
    "content/en/cloud/_index.md": """
        ---
        title: Cloud
        ---
        """,
    "content/en/cloud/vps/_index.md": """
        ---
        title: Virtual private servers
        ---
        """,
    "content/en/cloud/vps/reseau/ipv6.md": """
        ---
        title: Configure IPv6
        ---
        ## Steps {#etapes}

        See [getting started](../demarrer.md) and [DNS](/en/cloud/vps/reseau/dns/).
        """,
    "content/en/cloud/vps/demarrer.md": """
        ---
        title: Start a VPS
        aliases: [/en/old/start/]
        ---
        Then [IPv6](reseau/ipv6.md#etapes).
        """,
}


def main_of(html):
    return html[html.index("<main"):html.index("</main>")]


class NestedBuildTest(TempDirTest):
    """One build of TREE, then what a reader finds on each page."""

    def build(self, extra=None, files=None):
        tree = dict(TREE)
        tree.update(extra or {})
        for k in files or []:
            tree.pop(k)
        write_tree(self.tmp, tree)
        return run("build", "--source", self.tmp, "--quiet")

    def page(self, rel):
        return read(self.path("site", rel))

    def setUp(self):
        super().setUp()
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")

    def test_output_mirrors_the_tree_in_every_language(self):
        for lang in ("fr", "en", "de"):
            for rel in ("cloud/", "cloud/vps/", "cloud/vps/reseau/", "cloud/vps/reseau/ipv6/",
                        "cloud/vps/demarrer/", "compte/factures/"):
                self.assertTrue(os.path.isfile(self.path("site", lang, rel, "index.html")), lang + "/" + rel)

    def test_links_across_levels(self):
        ipv6 = self.page("fr/cloud/vps/reseau/ipv6/index.html")
        self.assertIn('href="/help/fr/cloud/vps/demarrer/"', ipv6)
        self.assertIn('href="/help/fr/cloud/vps/reseau/pare-feu/"', ipv6)
        factures = self.page("fr/compte/factures/index.html")
        self.assertIn('href="/help/fr/cloud/vps/reseau/ipv6/#etapes"', factures)
        self.assertIn('href="/help/fr/cloud/vps/"', factures)
        self.assertIn('href="/help/fr/cloud/vps/reseau/ipv6/#etapes"', self.page("fr/cloud/vps/index.html"))

    def test_translations_and_fallback(self):
        en = self.page("en/cloud/vps/reseau/ipv6/index.html")
        self.assertIn("<h1>Configure IPv6</h1>", en)
        self.assertIn('hreflang="fr" href="/help/fr/cloud/vps/reseau/ipv6/"', en)
        self.assertIn('hreflang="en" href="/help/en/cloud/vps/reseau/ipv6/"', en)
        self.assertNotIn('hreflang="de" href', en)  # de shows the French text: no alternate
        de = self.page("de/cloud/vps/reseau/ipv6/index.html")
        self.assertIn('<h1 lang="fr">Configurer IPv6</h1>', de)
        self.assertIn('name="robots" content="noindex"', de)
        # the section made for the fallback keeps the source's title and its place
        self.assertIn("<h1>Serveurs privés virtuels</h1>", self.page("de/cloud/vps/index.html"))
        self.assertIn('href="/help/de/cloud/vps/reseau/"', self.page("de/cloud/vps/index.html"))
        # an _index.md translated: the same path is the same section
        self.assertIn("<h1>Virtual private servers</h1>", self.page("en/cloud/vps/index.html"))
        # a section without its _index.md in a language takes the default language's title
        self.assertIn("<h1>Réseau</h1>", self.page("en/cloud/vps/reseau/index.html"))
        self.assertIn('hreflang="en" href="/help/en/cloud/vps/"', self.page("fr/cloud/vps/index.html"))

    def test_translations_command_and_check(self):
        r = run("translations", "--source", self.tmp, "--format", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        keys = r.stdout
        self.assertIn("cloud/vps/reseau/ipv6", keys)
        self.assertIn("compte/factures", keys)
        r = run("check", "--source", self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("content/fr/cloud/vps/reseau/dns.md: warning: not translated into 'en' "
                      "(no content/en/cloud/vps/reseau/dns.md)", r.stderr)

    def test_tables_and_questionnaires_name_nested_articles(self):
        self.assertIn('href="/help/fr/compare/offres/"', self.page("fr/cloud/vps/reseau/ipv6/index.html"))
        self.assertIn('href="/help/fr/cloud/vps/reseau/ipv6/"', self.page("fr/compare/offres/index.html"))
        steps = "".join(read(os.path.join(d, f)) for d, _, fs in os.walk(self.path("site", "en", "decide", "choisir"))
                        for f in fs if f.endswith(".html"))
        self.assertIn('href="/help/en/cloud/vps/reseau/ipv6/"', steps)

    def test_sitemap_and_search_trail(self):
        sitemap = self.page("sitemap.xml")
        self.assertIn("/help/fr/cloud/vps/reseau/ipv6/", sitemap)
        self.assertIn("/help/en/cloud/vps/reseau/", sitemap)
        index = "".join(read(os.path.join(d, f)) for d, _, fs in os.walk(self.path("site", "fr", "search"))
                        for f in fs)
        self.assertIn("Cloud › Serveurs privés virtuels › Réseau", index)

    def test_breadcrumbs_and_json_ld(self):
        html = self.page("fr/cloud/vps/reseau/ipv6/index.html")
        crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group(0)
        self.assertEqual(re.findall(r'href="([^"]+)"', crumbs),
                         ["/help/fr/", "/help/fr/cloud/", "/help/fr/cloud/vps/", "/help/fr/cloud/vps/reseau/"])
        ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
        self.assertEqual(ld["@type"], "BreadcrumbList")
        items = ld["itemListElement"]
        self.assertEqual([i["position"] for i in items], [1, 2, 3, 4, 5])
        self.assertEqual([i["name"] for i in items],
                         ["Accueil", "Cloud", "Serveurs privés virtuels", "Réseau", "Configurer IPv6"])
        self.assertEqual(items[1]["item"], "/help/fr/cloud/")
        self.assertNotIn("item", items[-1])  # the page itself: its URL is the page's
        # a section page: its ancestors, itself last in the JSON-LD
        sec = self.page("fr/cloud/vps/reseau/index.html")
        ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', sec, re.S).group(1))
        self.assertEqual([i["name"] for i in ld["itemListElement"]],
                         ["Accueil", "Cloud", "Serveurs privés virtuels", "Réseau"])

    def test_sidebar_marks_the_current_branch(self):
        html = self.page("fr/cloud/vps/reseau/pare-feu/index.html")
        side = re.search(r"<nav data-sidebar.*?</nav>", html, re.S).group(0)
        self.assertEqual(re.findall(r'<a href="([^"]+)" aria-current="page"', side),
                         ["/help/fr/cloud/vps/reseau/pare-feu/"])
        self.assertIn('<a href="/help/fr/cloud/">Cloud</a>', side)  # the category heads the tree
        self.assertEqual(side.count('<details open>'), 2)  # vps, reseau
        self.assertNotIn("/help/fr/compte/", side)  # another category: not in this tree
        # a section page is the current page of its own sidebar
        sec = self.page("fr/cloud/vps/index.html")
        side = re.search(r"<nav data-sidebar.*?</nav>", sec, re.S).group(0)
        self.assertEqual(re.findall(r'<a href="([^"]+)" aria-current="page"', side), ["/help/fr/cloud/vps/"])
        # reseau is a sibling branch there: folded
        self.assertRegex(side, r'<details>\s*<summary>Réseau</summary>')

    def test_section_pages_list_subsections_then_articles(self):
        html = main_of(self.page("fr/cloud/vps/index.html"))
        cards = re.search(r'<ul class="card-list section-cards">.*?</ul>', html, re.S).group(0)
        self.assertIn('<a href="/help/fr/cloud/vps/reseau/">Réseau<span>', cards)
        self.assertIn("3 articles", cards)
        self.assertLess(html.index("section-cards"), html.index('href="/help/fr/cloud/vps/demarrer/"'))
        home = main_of(self.page("fr/index.html"))
        cards = re.findall(r'<li><a href="([^"]+)">', re.search(r'section-cards">.*?</ul>', home, re.S).group(0))
        self.assertEqual(cards, ["/help/fr/cloud/", "/help/fr/compte/"])
        self.assertIn("4 articles", home)

    def test_prev_next_in_reading_order(self):
        def pager(rel):
            html = self.page(rel)
            m = re.search(r'<nav class="pager".*?</nav>', html, re.S)
            return dict(re.findall(r'rel="(prev|next)" href="([^"]+)"', m.group(0))) if m else {}
        self.assertEqual(pager("fr/cloud/vps/reseau/ipv6/index.html"),
                         {"next": "/help/fr/cloud/vps/reseau/pare-feu/"})
        self.assertEqual(pager("fr/cloud/vps/reseau/pare-feu/index.html"),
                         {"prev": "/help/fr/cloud/vps/reseau/ipv6/", "next": "/help/fr/cloud/vps/reseau/dns/"})
        self.assertEqual(pager("fr/cloud/vps/reseau/dns/index.html"), {"prev": "/help/fr/cloud/vps/reseau/pare-feu/"})
        self.assertEqual(pager("fr/cloud/vps/demarrer/index.html"), {})  # alone in its section
        self.assertIn("<span>Suivant</span> Pare-feu", self.page("fr/cloud/vps/reseau/ipv6/index.html"))
        # en: the fallbacks keep their weights, the translation without one comes last
        self.assertIn("<span>Previous</span> DNS", self.page("en/cloud/vps/reseau/ipv6/index.html"))

    def test_aliases_redirect(self):
        for rel in ("fr/ancien/demarrer/index.html", "fr/vieux/index.html"):
            html = self.page(rel)
            self.assertIn('<link rel="canonical" href="/help/fr/cloud/vps/demarrer/">', html)
            self.assertIn('<meta http-equiv="refresh" content="0; url=/help/fr/cloud/vps/demarrer/">', html)
            self.assertIn('<a href="/help/fr/cloud/vps/demarrer/">Démarrer un VPS</a>', html)
        self.assertIn("/help/en/cloud/vps/demarrer/", self.page("en/old/start/index.html"))
        # a section's _index.md: its page
        self.assertIn('<meta http-equiv="refresh" content="0; url=/help/fr/cloud/vps/reseau/">',
                      self.page("fr/reseau/index.html"))
        self.assertNotIn("/ancien/", self.page("sitemap.xml"))

    def test_404_in_every_language(self):
        for lang, text in (("fr", "Page introuvable"), ("en", "Page not found"), ("de", "")):
            html = self.page(lang + "/404.html")
            self.assertIn('<html lang="%s">' % lang, html)
            self.assertIn(text, html)
            self.assertIn('href="/help/%s/"' % lang, html)
        root = self.page("404.html")
        self.assertIn('data-not-found data-base="/help/"', root)
        for lang in ("fr", "en", "de"):
            self.assertIn('href="/help/%s/" hreflang="%s"' % (lang, lang), root)


class NestedServeTest(TempDirTest):
    """phare serve redoes one page for a body edit three folders deep, and
    rebuilds all when the title (shown in the sidebar and pager) changes."""

    def test_body_edit_at_depth_redoes_one_page(self):
        import test_serve
        write_tree(self.tmp, TREE)
        s = test_serve.Server(self.tmp)
        try:
            ev = s.events()
            ev.wait_for("hello")
            # (a default-language article is shown in the fallbacks too: a full build)
            rel = "content/en/cloud/vps/reseau/ipv6.md"
            write_tree(self.tmp, {rel: "---\ntitle: Configure IPv6\n---\n## Steps {#etapes}\n\nNew text.\n"})
            ev.wait_for("reload")
            _, _, body = s.request(s.base + "en/cloud/vps/reseau/ipv6/")
            self.assertIn("New text.", body.decode("utf-8"))
            write_tree(self.tmp, {rel: "---\ntitle: IPv6 set up\n---\n## Steps {#etapes}\n\nNew text.\n"})
            ev.wait_for("reload")
            _, _, body = s.request(s.base + "en/cloud/vps/reseau/dns/")
            self.assertIn("<span>Next</span> IPv6 set up", body.decode("utf-8"))
            ev.close()
        finally:
            self.assertEqual(s.stop(), 0)
        self.assertIn("phare serve: updated content/en/cloud/vps/reseau/ipv6.md in ", s.stderr)
        self.assertEqual(s.stderr.count("phare serve: rebuilt "), 1, s.stderr)


class NestedErrorsTest(TempDirTest):
    def build(self, tree):
        full = {"content/site.yaml": TREE["content/site.yaml"]}
        full.update(tree)
        write_tree(self.tmp, full)
        os.makedirs(self.path("site"), exist_ok=True)
        return run("build", "--source", self.tmp, "--quiet")

    def test_six_levels_build_and_seven_are_refused(self):
        art = "---\ntitle: Profond\n---\nTexte.\n"
        r = self.build({"content/fr/a/b/c/d/e/f/x.md": art})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.isfile(self.path("site/fr/a/b/c/d/e/f/x/index.html")))
        shown = os.path.join(self.tmp, "content/fr/a/b/c/d/e/f/g")
        r = self.build({"content/fr/a/b/c/d/e/f/g/y.md": art})
        self.assertEqual(r.returncode, 1)
        self.assertIn(shown + ": error: sections nest at most 6 folders deep", r.stderr)
        self.assertEqual(r.stderr.count("error:"), 1, r.stderr)

    def test_alias_clashing_with_a_page_is_refused(self):
        r = self.build({
            "content/fr/cloud/a.md": "---\ntitle: A\n---\nA.\n",
            "content/fr/cloud/vps/b.md": "---\ntitle: B\naliases: [/fr/cloud/a/]\n---\nB.\n",
        })
        self.assertEqual(r.returncode, 1)
        self.assertIn("content/fr/cloud/vps/b.md:3:10: error: alias '/fr/cloud/a/' is a page of the site",
                      r.stderr)
        self.assertEqual(r.stderr.count("error:"), 1, r.stderr)

    def test_alias_twice_and_where_the_build_writes_are_refused(self):
        r = self.build({
            "content/fr/cloud/a.md": "---\ntitle: A\naliases: [/fr/old/]\n---\nA.\n",
            "content/fr/cloud/b.md": "---\ntitle: B\naliases: [/fr/old/]\n---\nB.\n",
            "content/fr/cloud/c.md": "---\ntitle: C\naliases: [/assets/x/, /sitemap.xml/, /fr/, /fr]\n---\nC.\n",
        })
        self.assertEqual(r.returncode, 1)
        self.assertIn("b.md:3:10: error: alias '/fr/old/' is also an alias of", r.stderr)
        for alias in ("/assets/x/", "/sitemap.xml/", "/fr"):
            self.assertIn("c.md:3:10: error: alias '%s': an alias outside a language folder must not start "
                          "with assets/, a language, or a name with a '.'" % alias, r.stderr)
        self.assertIn("c.md:3:10: error: alias '/fr/': that is a home page", r.stderr)
        self.assertEqual(r.stderr.count("error:"), 5, r.stderr)

    def test_alias_at_the_root_for_sites_that_had_no_language_folder(self):
        """GitBook's or MkDocs' old URLs (phare import): /guides/old/ leads to /fr/cloud/c/."""
        r = self.build({"content/fr/cloud/c.md": "---\ntitle: C\naliases: [/guides/old, /ailleurs/]\n---\nC.\n"})
        self.assertEqual(r.returncode, 0, r.stderr)
        for rel in ("guides/old/index.html", "ailleurs/index.html"):
            html = read(self.path("site", rel))
            self.assertIn('<meta http-equiv="refresh" content="0; url=/help/fr/cloud/c/">', html)
            self.assertIn('<html lang="fr">', html)

    def test_reserved_names_only_at_the_top(self):
        art = "---\ntitle: T\n---\nT.\n"
        r = self.build({"content/fr/cloud/search/x.md": art})
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.build({"content/fr/search/x.md": art})
        self.assertEqual(r.returncode, 1)
        self.assertIn("'search' is reserved", r.stderr)


if __name__ == "__main__":
    unittest.main()

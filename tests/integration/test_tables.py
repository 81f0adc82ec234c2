"""Comparison tables in articles and on their own pages (issue 3)."""
import os
import re

from phare_test import TempDirTest, read, run, write_tree

FILES = {
    "content/site.yaml": "title: Aide\ndefault_language: fr\nlanguages: [{code: fr, name: Français}, {code: en, name: English}]\n",
    "content/fr/v/lxc.md": "---\ntitle: LXC\n---\nIntro.\n\n```table offres lxc kvm\n```\n",
    "content/fr/v/kvm.md": "---\ntitle: KVM\n---\n```table offres\n```\n",
    "content/en/v/lxc.md": "---\ntitle: LXC en\n---\n```table offres kvm\n```\n",
    "content/tables/offres.yaml": """
        title: { fr: Comparatif des offres, en: Plans compared }
        columns:
          - id: vps
            label: { fr: VPS, en: VPS }
          - id: lxc
            label: { fr: LXC, en: LXC }
            article: v/lxc
          - id: kvm
            label: { fr: KVM, en: KVM }
            article: v/kvm
        rows:
          - id: isolation
            criterion: { fr: Isolation, en: Isolation }
            cells:
              vps: { fr: "Forte", en: "Strong" }
              lxc: { fr: "Partage le **noyau** de l'hôte", en: "Shares the host **kernel**" }
              kvm: { fr: "Totale" }
          - criterion: { fr: Prix, en: Price }
            cells:
              lxc: "€"
        """,
}


class Tables(TempDirTest):
    def setUp(self):
        super().setUp()
        write_tree(self.tmp, FILES)
        self.out = self.path("site")

    def build(self, expect=0):
        r = run("build", "--source", self.tmp, "--out", self.out)
        self.assertEqual(r.returncode, expect, r.stderr)
        return r

    def page(self, rel):
        return read(os.path.join(self.out, rel))

    def headers(self, html):
        return re.findall(r'<th scope="col">(?:<a href="[^"]*">)?([^<]*)', html)

    def test_whole_table_and_selection(self):
        self.build()
        kvm = self.page("fr/v/kvm/index.html")
        self.assertIn("<caption>Comparatif des offres</caption>", kvm)
        self.assertEqual(self.headers(kvm), ["Critère", "VPS", "LXC", "KVM"])
        lxc = self.page("fr/v/lxc/index.html")
        self.assertEqual(self.headers(lxc), ["Critère", "LXC", "KVM"])  # only those columns, in that order
        self.assertIn('<th scope="row">Isolation</th>', lxc)
        self.assertIn('<tr id="offres-isolation">', lxc)
        self.assertIn("Partage le <strong>noyau</strong> de l'hôte", lxc)
        self.assertIn('<td data-label="LXC">', lxc)
        self.assertIn('<a href="/fr/v/lxc/">LXC</a>', lxc)  # header links to the column's article

    def test_reader_language_and_fallback(self):
        r = self.build()
        en = self.page("en/v/lxc/index.html")
        self.assertIn("<caption>Plans compared</caption>", en)
        self.assertEqual(self.headers(en), ["Criterion", "KVM"])
        self.assertIn("<td data-label=\"KVM\">Totale</td>", en)  # no English text: the French one
        self.assertRegex(r.stderr, r"content/tables/offres\.yaml:\d+:\d+: warning: no 'en' text here; showing the 'fr' one")
        self.assertEqual(r.stderr.count("no 'en' text here"), 1)  # once, however often it is shown

    def test_table_pages(self):
        self.build()
        for lang, title in (("fr", "Comparatif des offres"), ("en", "Plans compared")):
            page = self.page(f"{lang}/compare/offres/index.html")
            self.assertIn(f"<h1>{title}</h1>", page)
            self.assertEqual(self.headers(page)[1:], ["VPS", "LXC", "KVM"])
            self.assertIn(f'href="/{lang}/compare/offres/"', self.page(f"{lang}/index.html"))
        # the articles named by columns link to it
        self.assertIn('href="/fr/compare/offres/"', self.page("fr/v/kvm/index.html"))
        self.assertIn("/fr/compare/offres/", self.page("sitemap.xml"))

    def broken(self, files, pattern):
        write_tree(self.tmp, files)
        r = self.build(expect=1)
        self.assertRegex(r.stderr, pattern)

    def test_unknown_table(self):
        self.broken({"content/fr/v/kvm.md": "---\ntitle: KVM\n---\n\n```table nope\n```\n"},
                    r"content/fr/v/kvm\.md:5:1: error: no table 'nope'")

    def test_unknown_column_in_article(self):
        self.broken({"content/fr/v/kvm.md": "---\ntitle: KVM\n---\n```table offres lxc xen\n```\n"},
                    r"content/fr/v/kvm\.md:4:1: error: table 'offres' has no column 'xen'; its columns are: vps, lxc, kvm")

    def test_column_naming_missing_article(self):
        t = FILES["content/tables/offres.yaml"].replace("article: v/kvm", "article: v/xen")
        self.broken({"content/tables/offres.yaml": t},
                    r"content/tables/offres\.yaml:\d+:\d+: error: column 'kvm' names article 'v/xen', which does not exist")

    def test_cell_for_unknown_column(self):
        t = FILES["content/tables/offres.yaml"].replace('lxc: "€"', 'xen: "€"')
        self.broken({"content/tables/offres.yaml": t},
                    r"content/tables/offres\.yaml:20:\d+: error: a cell for column 'xen', which does not exist")

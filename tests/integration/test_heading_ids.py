"""The heading ids of published sites, pinned: an anchor such as
/fr/virtualisation/kvm/#isolation is a URL that readers bookmark and other
sites link to, so no change of the id rules may move one unnoticed.

Each case builds a site and compares every id given to a heading (h1..h6)
with tests/integration/heading_ids/<case>.tsv (page, id, heading text).
A change of the rules that is meant shows as a diff of those files:

    PHARE_REWRITE_IDS=1 PHARE=build/phare python3 tests/integration/run.py test_heading_ids

rewrites them (then review `git diff tests/integration/heading_ids/`)."""
import html
import os
import re
import unittest

from phare_test import ROOT, TempDirTest, read, run, write_tree

PINS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "heading_ids")
HEADING = re.compile(r'<h([1-6])[^>]*\bid="([^"]*)"[^>]*>(.*?)</h\1>', re.S)

# Headings whose ids the folding decides: capitals with accents, letters of
# other scripts, ligatures, combining accents, duplicates, punctuation.
ACCENTS = {
    "content/site.yaml": """
        title: { fr: Aide }
        default_language: fr
        languages:
          - { code: fr, name: Français }
        """,
    "content/fr/_index.md": """
        ---
        title: Aide
        ---
        """,
    "content/fr/ids/_index.md": """
        ---
        title: Ids
        ---
        """,
    "content/fr/ids/titres.md": """
        ---
        title: Titres
        ---
        ## Ångström

        ## ÉTAPE 1 : préparer

        ## Über uns

        ## Œuvre et Æther

        ## Straße

        ## ÇA MARCHE

        ## Ørsted, Łódź, Ðe, Þorn

        ## Ελληνικά Άλφα

        ## Русский ЁЖ

        ## Cafe\u0301 décomposé

        ## Ñandú ÿ Ÿ

        ## ÀÉÎÕÜ àéîõü

        ## Étape

        ## étape

        ## L’écran — « guillemets »

        ## 100 % ✓

        ## ###
        """,
}


def heading_ids(site):
    """Lines "page<TAB>id<TAB>text" for every heading with an id, sorted."""
    rows = []
    for root, dirs, files in os.walk(site):
        dirs.sort()
        for f in sorted(files):
            if not f.endswith(".html"):
                continue
            p = os.path.join(root, f)
            page = "/" + os.path.relpath(p, site).replace(os.sep, "/")
            for _, hid, inner in HEADING.findall(read(p)):
                text = " ".join(html.unescape(re.sub(r"<[^>]*>", "", inner)).split())
                rows.append("%s\t%s\t%s" % (page, hid, text))
    return sorted(rows)


class HeadingIds(TempDirTest):
    def check(self, case, source):
        out = self.path("site-" + case)
        r = run("build", "--source", source, "--out", out, "--quiet")
        self.assertEqual(r.returncode, 0, r.stderr)
        got = heading_ids(out)
        self.assertTrue(got, "no heading ids found: has the markup changed?")
        pin = os.path.join(PINS, case + ".tsv")
        text = "".join(row + "\n" for row in got)
        if os.environ.get("PHARE_REWRITE_IDS"):
            with open(pin, "w", encoding="utf-8") as f:
                f.write(text)
        want = read(pin)
        self.assertEqual(text, want, "heading ids of %s differ from %s (see this file's "
                         "docstring to rewrite it when the change is meant)" % (case, pin))

    def test_knowledge_base(self):
        """The shipped knowledge base (content/)."""
        self.check("knowledge-base", ROOT)

    def test_accents(self):
        write_tree(self.tmp, ACCENTS)
        self.check("accents", self.tmp)


if __name__ == "__main__":
    unittest.main()

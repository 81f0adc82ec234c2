"""phare check, phare translations, missing translations and outdated ones."""
import json
import os
import re

from phare_test import TempDirTest, read, run, write_tree

BASE = {
    "content/site.yaml": """
        title: Aide
        default_language: fr
        languages: [{code: fr, name: Français}, {code: en, name: English}, {code: de, name: Deutsch}]
        """,
    "content/fr/s/a.md": "---\ntitle: A\nupdated: 2026-05-01\n---\n## Un\n",
    "content/fr/s/b.md": "---\ntitle: B\n---\nVoir [a](a.md#un).\n",
    "content/en/s/a.md": "---\ntitle: A en\n---\n## One\n",
}


class TranslationsTest(TempDirTest):
    def setUp(self):
        super().setUp()
        write_tree(self.tmp, BASE)

    def revision(self, key):
        r = run("translations", "--source", self.tmp, "--format", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        return {row["article"]: row for row in json.loads(r.stdout)}[key]

    def test_states(self):
        rows = {row["article"]: row for row in json.loads(
            run("translations", "--source", self.tmp, "--format", "json").stdout)}
        self.assertEqual(rows["s/a"]["languages"]["fr"]["state"], "source")
        self.assertEqual(rows["s/a"]["languages"]["en"]["state"], "untracked")
        self.assertEqual(rows["s/a"]["languages"]["de"]["state"], "missing")
        self.assertEqual(rows["s/b"]["languages"]["en"]["state"], "missing")
        self.assertRegex(rows["s/a"]["revision"], r"^[0-9a-f]{16}$")

    def test_up_to_date_then_outdated(self):
        rev = self.revision("s/a")["revision"]
        write_tree(self.tmp, {"content/en/s/a.md": f"---\ntitle: A en\ntranslation_of: {rev}\n---\n## One\n"})
        self.assertEqual(self.revision("s/a")["languages"]["en"]["state"], "up to date")
        out = self.path("site")
        self.assertEqual(run("build", "--source", self.tmp, "--out", out).returncode, 0)
        self.assertNotIn('class="banner"', read(os.path.join(out, "en/s/a/index.html")))
        # the French source is edited: the English translation is now behind it
        write_tree(self.tmp, {"content/fr/s/a.md": "---\ntitle: A\nupdated: 2026-06-02\n---\n## Un\nPlus.\n"})
        row = self.revision("s/a")
        self.assertEqual(row["languages"]["en"]["state"], "outdated")
        self.assertEqual(row["languages"]["en"]["since"], "2026-06-02")
        text = run("translations", "--source", self.tmp).stdout
        self.assertRegex(text, r"s/a\s+[0-9a-f]{16}\s+source\s+outdated \(since 2026-06-02\)\s+missing")
        r = run("check", "--source", self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stderr, r"content/en/s/a\.md: warning: outdated translation: it translates revision "
                                   + rev + r", but .*content/fr/s/a\.md is now at revision [0-9a-f]{16}")
        self.assertEqual(run("build", "--source", self.tmp, "--out", out).returncode, 0)
        en = read(os.path.join(out, "en/s/a/index.html"))
        self.assertIn('class="banner"', en)
        self.assertIn("This translation may be older than the original version.", en)

    def test_check_reports_missing_and_strict_fails(self):
        r = run("check", "--source", self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("content/fr/s/b.md: warning: not translated into 'en' (no content/en/s/b.md)", r.stderr)
        self.assertIn("content/fr/s/a.md: warning: not translated into 'de'", r.stderr)
        self.assertRegex(r.stderr, r"check: 0 errors, \d+ warnings")
        self.assertFalse(os.path.exists(self.path("site")), "check wrote a site")
        r = run("check", "--source", self.tmp, "--strict")
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"check: [1-9]\d* errors")

    def test_check_finds_broken_anchor_without_writing(self):
        write_tree(self.tmp, {"content/fr/s/b.md": "---\ntitle: B\n---\nVoir [a](a.md#deux).\n"})
        r = run("check", "--source", self.tmp)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"content/fr/s/b\.md:4:6: error: link 'a\.md#deux'")
        self.assertFalse(os.path.exists(self.path("site")))

    def test_duplicate_titles(self):
        write_tree(self.tmp, {"content/fr/s/c.md": "---\ntitle: A\n---\n"})
        r = run("check", "--source", self.tmp)
        self.assertRegex(r.stderr, r"content/fr/s/(a|c)\.md: warning: the title 'A' is also")

    def test_fallback(self):
        site = read(self.path("content/site.yaml")) + "missing_translation: fallback\n"
        write_tree(self.tmp, {"content/site.yaml": site})
        out = self.path("site")
        r = run("build", "--source", self.tmp, "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        de = read(os.path.join(out, "de/s/b/index.html"))
        self.assertIn('<html lang="de">', de)
        self.assertIn('<div class="content" lang="fr">', de)
        self.assertIn("Dieser Artikel", de) if "Dieser Artikel" in de else self.assertIn('class="banner"', de)
        self.assertNotIn('hreflang="de"', re.sub(r"<nav class=\"lang-switch\".*?</nav>", "", de, flags=re.S))
        fr = read(os.path.join(out, "fr/s/b/index.html"))
        self.assertNotIn('<link rel="alternate" hreflang="de"', fr)
        self.assertIn('href="/de/s/b/" hreflang="de"', fr)  # the switcher still goes there

    def test_link_mode_goes_home(self):
        out = self.path("site")
        self.assertEqual(run("build", "--source", self.tmp, "--out", out).returncode, 0)
        fr = read(os.path.join(out, "fr/s/b/index.html"))
        self.assertIn('<a href="/de/" hreflang="de" lang="de" class="missing">', fr)
        self.assertFalse(os.path.exists(os.path.join(out, "de/s/b")))

"""phare new site / phare new article (issue 19, "Starting from nothing"):
a starter help centre that builds and passes `phare check --strict`, new
articles with their front matter filled, translations that record the
source's revision, and no file ever overwritten."""
import fnmatch
import hashlib
import json
import os
import re

from phare_test import TempDirTest, read, run

FIXED = {"SOURCE_DATE_EPOCH": "1796083200"}  # 2026-12-01


def fnv1a64(data):
    """The article revision (util/hash.h), computed here independently."""
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


def files_under(root):
    out = {}
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            with open(p, "rb") as f:
                out[os.path.relpath(p, root)] = hashlib.sha256(f.read()).hexdigest()
    return out


class NewSite(TempDirTest):
    def new_site(self, *langs):
        args = ["new", "site", self.path("hc")] + (["--langs", ",".join(langs)] if langs else [])
        r = run(*args, env=FIXED)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r

    def test_starter_builds_and_passes_strict_check(self):
        r = self.new_site("fr", "en", "de")
        self.assertIn("hc/content/site.yaml", r.stdout)
        c = run("check", "--strict", "--source", self.path("hc"))
        self.assertEqual(c.returncode, 0, c.stderr)
        self.assertIn("0 errors, 0 warnings", c.stdout + c.stderr)
        b = run("build", "--source", self.path("hc"), "--out", self.path("site"), "--base-url", "/help/", "--quiet")
        self.assertEqual(b.returncode, 0, b.stderr)
        for lang in ("fr", "en", "de"):
            page = read(self.path("site", lang, "getting-started", "first-steps", "index.html"))
            self.assertIn('data-questionnaire="choose-plan"', page)      # the questionnaire
            self.assertIn('class="compare', page)                        # the comparison table
            self.assertIn('data-callout="tip"', page)                    # a notice
            self.assertIn('href="/help/%s/getting-started/first-steps/#choose-a-plan"' % lang,
                          read(self.path("site", lang, "index.html")))   # the home links the article
        self.assertIn("Premiers pas", read(self.path("site", "fr", "getting-started", "first-steps", "index.html")))
        self.assertIn("First steps", read(self.path("site", "en", "getting-started", "first-steps", "index.html")))
        t = run("rules", "test", self.path("hc", "rules", "choose-plan.lua"))
        self.assertEqual(t.returncode, 0, t.stderr)
        self.assertIn("3 expects hold", t.stdout + t.stderr)
        ignored = read(self.path("hc", ".gitignore")).splitlines()  # the site and the build cache
        self.assertIn("site/", ignored)
        self.assertIn(".phare/", ignored)
        # the site phare build keeps beside its output (on by default), whatever --out names
        for kept in (".site.phare-prev", ".public.phare-prev"):
            self.assertTrue(any(fnmatch.fnmatch(kept + "/", p) for p in ignored), kept)
        site_yaml = read(self.path("hc", "content", "site.yaml"))
        self.assertIn("default_language: fr", site_yaml)
        self.assertIn("{ code: de, name: Deutsch }", site_yaml)

    def test_translations_record_the_source_revision(self):
        self.new_site("fr", "en", "de")
        with open(self.path("hc", "content", "fr", "getting-started", "first-steps.md"), "rb") as f:
            rev = fnv1a64(f.read())
        en = read(self.path("hc", "content", "en", "getting-started", "first-steps.md"))
        self.assertIn("translation_of: %s\n" % rev, en)
        self.assertIn("updated: 2026-12-01\n", en)
        # German has no starter text: English, not claimed as a translation
        de = read(self.path("hc", "content", "de", "getting-started", "first-steps.md"))
        self.assertNotRegex(de, r"(?m)^translation_of:")
        tr = run("translations", "--source", self.path("hc"), "--format", "json")
        self.assertEqual(tr.returncode, 0, tr.stderr)
        langs = json.loads(tr.stdout)[0]["languages"]
        self.assertEqual(langs["en"], {"state": "up to date", "translation_of": rev})
        self.assertEqual(langs["de"], {"state": "untracked"})

    def test_default_language_is_english(self):
        self.new_site()
        self.assertIn("default_language: en", read(self.path("hc", "content", "site.yaml")))
        self.assertFalse(os.path.exists(self.path("hc", "content", "fr")))
        c = run("check", "--strict", "--source", self.path("hc"))
        self.assertEqual(c.returncode, 0, c.stderr)

    def test_refuses_a_folder_that_is_not_empty(self):
        os.makedirs(self.path("hc"))
        with open(self.path("hc", "notes.txt"), "w") as f:
            f.write("mine")
        r = run("new", "site", self.path("hc"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("the folder is not empty", r.stderr)
        self.assertEqual(os.listdir(self.path("hc")), ["notes.txt"])
        with open(self.path("afile"), "w") as f:
            f.write("x")
        r = run("new", "site", self.path("afile"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("is not a folder", r.stderr)

    def test_bad_language_lists(self):
        for langs, msg in (("fr,FR", "'FR' in --langs is not a language code"),
                           ("fr,fr", "the language 'fr' is given twice"),
                           ("fr,", "'' in --langs is not a language code")):
            r = run("new", "site", self.path("hc"), "--langs", langs)
            self.assertEqual(r.returncode, 2, langs)
            self.assertIn(msg, r.stderr)
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
            self.assertFalse(os.path.exists(self.path("hc")))


class NewArticle(TempDirTest):
    def setUp(self):
        super().setUp()
        r = run("new", "site", self.path("hc"), "--langs", "fr,en", env=FIXED)
        self.assertEqual(r.returncode, 0, r.stderr)

    def new(self, *args, cwd=None):
        return run("new", "article", *args, *(() if cwd else ("--source", self.path("hc"))), cwd=cwd, env=FIXED)

    def test_article_then_its_translation(self):
        r = self.new("reseau/configurer-ipv6")
        self.assertEqual(r.returncode, 0, r.stderr)
        src = self.path("hc", "content", "fr", "reseau", "configurer-ipv6.md")
        text = read(src)
        self.assertTrue(text.startswith('---\ntitle: "Configurer ipv6"\n'), text)
        self.assertIn("updated: 2026-12-01\n", text)
        self.assertNotIn("translation_of", text)
        with open(src, "a", encoding="utf-8") as f:
            f.write("\n## Étapes\n\nActivez IPv6.\n")
        r = self.new("reseau/configurer-ipv6.md", "--lang", "en")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(src, "rb") as f:
            rev = fnv1a64(f.read())
        en = read(self.path("hc", "content", "en", "reseau", "configurer-ipv6.md"))
        self.assertIn("translation_of: %s\n" % rev, en)
        self.assertIn("## Étapes\n\nActivez IPv6.", en)  # the source's text, to translate
        c = run("check", "--strict", "--source", self.path("hc"))
        self.assertEqual(c.returncode, 0, c.stderr)

    def test_never_overwrites(self):
        self.assertEqual(self.new("reseau/x").returncode, 0)
        path = self.path("hc", "content", "fr", "reseau", "x.md")
        with open(path, "w") as f:
            f.write("mine")
        before = files_under(self.path("hc"))
        r = self.new("reseau/x")
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"reseau/x\.md: error: cannot create: it exists already")
        self.assertEqual(files_under(self.path("hc")), before)

    def test_errors_write_nothing(self):
        before = files_under(self.path("hc"))
        cases = [
            (("reseau/y", "--lang", "en"), 1, r"content/fr/reseau/y\.md: error: no such article in the default "
                                              r"language \(fr\).*phare new article reseau/y"),
            (("reseau/y", "--lang", "xx"), 2, r"site\.yaml:\d+: error: the site has no language 'xx'"),
            (("solo",), 2, r"'solo' names no section"),
            (("reseau/Bad.name",), 2, r"is not an article path"),
            (("../escape/x",), 2, r"is not an article path"),
            (("tables/x",), 2, r"is not an article path"),
        ]
        for args, code, msg in cases:
            r = self.new(*args)
            self.assertEqual(r.returncode, code, (args, r.stderr))
            self.assertRegex(r.stderr, msg)
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertEqual(files_under(self.path("hc")), before)

    def test_in_the_current_folder(self):
        r = self.new("guides/premier", cwd=self.path("hc"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("content/fr/guides/premier.md", r.stdout)
        self.assertTrue(os.path.isfile(self.path("hc", "content", "fr", "guides", "premier.md")))
        self.assertTrue(re.search(r"^updated: 2026-12-01$", read(self.path("hc", "content", "fr", "guides",
                                                                          "premier.md")), re.M))

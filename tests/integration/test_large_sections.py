"""Sections of many files: their files are read ahead on the other cores
while the main thread parses them in order (content/model_plan.c, then
model.c).  Every article is built, and a problem in one file is reported
exactly as in a small section: the size limit of site.yaml, a folder
named like an article, a broken front matter, messages in file order."""
import os
import re

from phare_test import TempDirTest, read, run, write_tree

SITE = """\
title:
  fr: Aide
base_url: /
default_language: fr
languages:
  - code: fr
    name: Français
"""
N = 40  # read ahead from 16 files per section


def article(i, words=20):
    return "---\ntitle: Article %02d\nweight: %d\n---\n## Partie\n\n%s\n" % (i, i, "mot " * words)


class LargeSections(TempDirTest):
    def make(self, extra=None, site=SITE):
        files = {"content/site.yaml": site, "content/fr/_index.md": "---\ntitle: Accueil\n---\nBonjour.\n"}
        for i in range(N):
            files["content/fr/grande/a%02d.md" % i] = article(i)
        files.update(extra or {})
        write_tree(self.tmp, files)

    def build(self):
        return run("build", "--source", self.tmp, "--out", self.path("site"))

    def test_every_article_built(self):
        self.make()
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        for i in range(N):
            page = read(self.path("site", "fr", "grande", "a%02d" % i, "index.html"))
            self.assertIn("Article %02d" % i, page)
        section = read(self.path("site", "fr", "grande", "index.html"))
        section = section[section.index("<main"):]  # the sidebar shows a window of them before
        self.assertEqual(re.findall(r"Article (\d\d)", section)[:N], ["%02d" % i for i in range(N)])

    def test_site_yaml_size_limit_applies_to_files_read_ahead(self):
        self.make({"content/fr/grande/a07.md": article(7, words=2000)},
                  site=SITE + "max_article_bytes: 4096\n")
        r = self.build()
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"fr/grande/a07\.md: error: the file is \d+ bytes, more than the limit of 4096")
        self.assertEqual(len(re.findall(r"error: the file is", r.stderr)), 1, r.stderr)

    def test_folder_named_like_an_article(self):
        self.make({"content/fr/grande/dossier.md/x.md": article(99)})
        r = self.build()
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"fr/grande/dossier\.md: error: a folder named like an article; rename it")

    def test_errors_in_file_order(self):
        self.make({"content/fr/grande/a05.md": "---\ntitle: [\n---\n",
                   "content/fr/grande/a30.md": "---\ntitle: [\n---\n"})
        r = self.build()
        self.assertEqual(r.returncode, 1, r.stderr)
        first, second = r.stderr.find("a05.md:"), r.stderr.find("a30.md:")
        self.assertTrue(0 <= first < second, r.stderr)


if __name__ == "__main__":
    import unittest
    unittest.main()

"""The questionnaire as static pages (issue 4): every answer path walked by
following the links, and each result compared with `phare rules run`."""
import html
import os
import re

from phare_test import ROOT, TempDirTest, read, run

RULES = os.path.join(ROOT, "rules", "choose-virtualization.lua")


class StaticQuestionnaire(TempDirTest):
    @classmethod
    def setUpClass(cls):
        import tempfile
        cls.dir = tempfile.mkdtemp(prefix="phare-q-")
        cls.out = os.path.join(cls.dir, "site")
        r = run("build", "--source", ROOT, "--out", cls.out, "--base-url", "/help/")
        assert r.returncode == 0, r.stderr

    @classmethod
    def tearDownClass(cls):
        import shutil
        shutil.rmtree(cls.dir, ignore_errors=True)

    def page_of(self, url):
        self.assertTrue(url.startswith("/help/"), url)
        return read(os.path.join(self.out, url[len("/help/"):], "index.html"))

    def walk(self, url, answers, results):
        page = self.page_of(url)
        m = re.search(r'data-outcome="([^"]+)"', page.split("<template")[0])
        if m:
            results.append((list(answers), m.group(1), page))
            return
        links = re.findall(r'<a href="([^"]+)" data-answer="([^=]+)=([^"]+)"', page)
        self.assertTrue(links, f"{url}: neither a question nor a result")
        self.assertLess(len(answers), 20, "a path that does not end")
        for href, q, a in links:
            self.walk(html.unescape(href), answers + [(q, a)], results)

    def test_every_path_matches_the_rules(self):
        for lang in ("fr", "en"):
            results = []
            self.walk(f"/help/{lang}/decide/choose-virtualization/", [], results)
            self.assertGreaterEqual(len(results), 3)
            outcomes = set()
            for answers, outcome, page in results:
                r = run("rules", "run", RULES, *[f"{q}={a}" for q, a in answers])
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(r.stdout.strip().splitlines()[-1], outcome, answers)
                outcomes.add(outcome)
                self.assertIn(f'<html lang="{lang}">', page)
                self.assertIn('data-questionnaire="choose-virtualization"', page)
            self.assertEqual(outcomes, {"vps", "lxc", "kvm"})

    def test_result_links_to_article_and_table(self):
        results = []
        self.walk("/help/en/decide/choose-virtualization/", [], results)
        for _, outcome, page in results:
            result = page.split("<template")[0]
            self.assertIn(f'href="/help/en/virtualisation/{outcome}/" data-outcome-article', result)
            self.assertIn('href="/help/en/compare/vps-lxc-kvm/" data-outcome-compare', result)

    def test_embedded_in_article_and_listed_on_home(self):
        art = read(os.path.join(self.out, "fr/virtualisation/lxc-vs-kvm/index.html"))
        self.assertIn('data-questionnaire="choose-virtualization"', art)
        self.assertIn('data-answer="hosting=own"', art)
        self.assertIn('data-tree-url="/help/fr/decide/choose-virtualization/tree.json"', art)
        self.assertNotIn('data-tree>', art)  # the tree stays out of the page: fetched on first use
        self.assertIn('href="/help/fr/decide/choose-virtualization/"', read(os.path.join(self.out, "fr/index.html")))

    def test_tree_json_is_the_compiled_tree(self):
        import json
        for lang in ("fr", "en"):
            data = json.loads(read(os.path.join(self.out, lang, "decide/choose-virtualization/tree.json")))
            cli = json.loads(run("rules", "tree", RULES, "--format", "json", "--source", ROOT).stdout)
            self.assertEqual(data["tree"], cli)
            self.assertEqual(set(data["links"]), {"vps", "lxc", "kvm"})
            self.assertIn(f'href="/help/{lang}/virtualisation/kvm/" data-outcome-article', data["links"]["kvm"])

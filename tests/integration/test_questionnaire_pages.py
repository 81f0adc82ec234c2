"""The questionnaire as static pages (issue 4): every answer path walked by
following the links, and each result compared with `phare rules run`."""
import html
import json
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

    def walk(self, url, answers, results, seen=None):
        """Every path: answer links, and for a multiple-answer question every
        selection reached by its toggles, then its continue link."""
        seen = set() if seen is None else seen
        if (tuple(answers), url) in seen:
            return
        seen.add((tuple(answers), url))
        page = self.page_of(url)
        m = re.search(r'data-outcome="([^"]+)"', page.split("<template")[0])
        if m:
            results.append((list(answers), m.group(1), page))
            return
        toggles = re.findall(r'<a href="([^"]+)" role="button" class="toggle" data-toggle="([^=]+)=([^"]+)" '
                             r'aria-pressed="(true|false)"', page)
        links = re.findall(r'<a href="([^"]+)" data-answer="([^=]+)=([^"]*)"', page)
        self.assertTrue(links or toggles, f"{url}: neither a question nor a result")
        self.assertLess(len(answers), 20, "a path that does not end")
        if toggles:
            ticked = sorted(a for _, _, a, on in toggles if on == "true")
            self.assertEqual([a for _, _, a in links], [",".join(ticked)] if links else [], url)
            for href, _, _, _ in toggles:
                self.walk(html.unescape(href), answers, results, seen)
        for href, q, a in links:
            self.walk(html.unescape(href), answers + [(q, a)], results, seen)

    def ranking_of(self, page):
        result = page.split("<template")[0]
        first = re.search(r'data-outcome="([^"]+)" data-rank="1"', result)
        return ([first.group(1)] if first else []) + re.findall(r'data-rank="\d+" data-ranked="([^"]+)"', result)

    def test_every_path_matches_the_rules(self):
        for lang in ("fr", "en"):
            results = []
            self.walk(f"/help/{lang}/decide/choose-virtualization/", [], results)
            self.assertGreaterEqual(len(results), 3)
            outcomes = set()
            for answers, outcome, page in results:
                r = run("rules", "run", RULES, *[f"{q}={a}" for q, a in answers])
                self.assertEqual(r.returncode, 0, r.stderr)
                ranking = r.stdout.strip().splitlines()[-1].split(" ")
                self.assertEqual(ranking[0], outcome, answers)
                if len(ranking) > 1:
                    self.assertEqual(self.ranking_of(page), ranking, answers)
                outcomes.add(outcome)
                self.assertIn(f'<html lang="{lang}">', page)
                self.assertIn('data-questionnaire="choose-virtualization"', page)
            self.assertEqual(outcomes, {"vps", "lxc", "kvm"})
            # the multiple-answer question: every allowed selection is a path
            sets = {dict(a).get("workloads") for a, _, _ in results} - {None}
            self.assertEqual(len(sets), 25)  # 1 to 3 of 5 answers

    def test_ranked_result_shows_runners_up_and_table(self):
        page = self.page_of("/help/en/decide/choose-virtualization/")
        results = []
        self.walk("/help/en/decide/choose-virtualization/", [], results)
        ranked = [(a, p) for a, _, p in results if len(self.ranking_of(p)) == 3]
        self.assertTrue(ranked)
        for answers, page in ranked:
            result = page.split("<template")[0]
            self.assertIn('<ol class="runners-up" start="2">', result)
            self.assertIn('<p class="why-not"><span>Why not first:</span> ', result)
            self.assertIn('data-ranked-article>Read the article', result)
            # the comparison table's columns, in the ranking's order
            cols = re.findall(r'<th scope="col"><a href="/help/en/virtualisation/([a-z]+)/">', result)
            self.assertEqual(cols, self.ranking_of(page), answers)

    def test_result_lists_your_answers_with_links_reopening_them(self):
        results = []
        self.walk("/help/en/decide/choose-virtualization/", [], results)
        for answers, _, page in results:
            # every result of the knowledge base is reached by one path: it can list the answers
            section = re.search(r'<section class="your-answers" data-your-answers>(.*?)</section>', page, re.S)
            self.assertTrue(section, answers)
            items = re.findall(r'<li data-question="([^"]+)">.*?<a href="([^"]+)" data-reopen="\1"', section.group(1))
            self.assertEqual([q for q, _ in items], [q for q, _ in answers])
            for (q, a), (_, href) in zip(answers, items):
                reopened = self.page_of(html.unescape(href))
                self.assertIn(f'<fieldset class="question" data-question="{q}"', reopened)
                if "data-toggle" in reopened:  # a set: its answers are ticked there
                    pressed = re.findall(r'data-toggle="[^=]+=([^"]+)" aria-pressed="true"', reopened)
                    self.assertEqual(",".join(sorted(pressed)), a, href)

    def test_a_result_shared_by_two_paths_lists_the_answers_they_share(self):
        import shutil
        import tempfile
        src = os.path.join(ROOT, "tests", "regress", "table-questionnaire", "source")
        with tempfile.TemporaryDirectory(prefix="phare-q-") as tmp:
            site = os.path.join(tmp, "src")
            shutil.copytree(src, site)
            rules = os.path.join(site, "rules", "choisir.lua")
            text = read(rules).replace('return "kvm", "BSD"', 'return "kvm"').replace(
                'return "kvm", { fr = "Windows a besoin de son noyau.", en = "Windows needs its own kernel." }',
                'return "kvm"')
            with open(rules, "w", encoding="utf-8") as f:
                f.write(text)
            out = os.path.join(tmp, "out")
            r = run("build", "--source", site, "--out", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            tree = json.loads(read(os.path.join(out, "en", "decide", "choisir", "tree.json")))["tree"]
            os_node = tree["nodes"][tree["nodes"]["n0"]["next"]["yes"]]
            shared, unique = os_node["next"]["bsd"], os_node["next"]["linux"]
            self.assertEqual(os_node["next"]["windows"], shared)  # bsd and windows: one leaf
            page = lambda n: read(os.path.join(out, "en", "decide", "choisir", n, "index.html"))
            def listed(n):
                section = re.search(r'<section class="your-answers" data-your-answers>(.*?)</section>', page(n), re.S)
                self.assertTrue(section, n)
                return re.findall(r'<li data-question="([^"]+)">.*?<strong>(.*?)</strong> <a href="([^"]+)"',
                                  section.group(1))
            first = tree["nodes"]["n0"]["question"]
            # bsd and windows both led here: the OS question did not matter, only the first answer is listed
            shared_items = listed(shared)
            self.assertEqual([q for q, _, _ in shared_items], [first])
            self.assertEqual(html.unescape(shared_items[0][2]), "/en/decide/choisir/")  # the first question
            self.assertEqual([q for q, _, _ in listed(unique)], [first, os_node["question"]])

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

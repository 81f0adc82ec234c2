"""The search index of a built site: what sits under <lang>/search/ after
`phare build` of the shipped content, and the queries a reader types, run
through templates/assets/search.js in node (tests/fixtures/search/query.js)."""
import glob
import json
import os
import re
import shutil
import subprocess
import unittest

from phare_test import ROOT, TempDirTest, read, run

QUERY_JS = os.path.join(ROOT, "tests", "fixtures", "search", "query.js")
NODE = shutil.which("node")


class ShippedContentIndex(TempDirTest):
    """Builds the repository's own content once per test (a few pages)."""

    def setUp(self):
        super().setUp()
        self.out = self.path("site")
        r = run("build", "--source", ROOT, "--out", self.out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.langs = [d for d in ("fr", "en") if os.path.isdir(os.path.join(self.out, d))]
        self.assertEqual(self.langs, ["fr", "en"])
        if not os.path.isfile(os.path.join(self.out, "fr", "search", "meta.json")):
            self.skipTest("phare build does not write the search index yet (issue 7 wiring)")

    def search_dir(self, lang):
        return os.path.join(self.out, lang, "search")

    def meta(self, lang):
        return json.loads(read(os.path.join(self.search_dir(lang), "meta.json")))

    def docs(self, lang):
        out = []
        for i in range((self.meta(lang)["docs"] + 49) // 50):
            out += json.loads(read(os.path.join(self.search_dir(lang), f"d-{i}.json")))
        return out

    def query(self, lang, *queries):
        if not NODE:
            self.skipTest("node is not installed")
        r = subprocess.run([NODE, QUERY_JS, self.search_dir(lang), *queries], capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        return [json.loads(line) for line in r.stdout.splitlines()]

    def test_files_per_language(self):
        for lang in self.langs:
            m = self.meta(lang)
            self.assertEqual(m["v"], 1)
            self.assertEqual(m["lang"], lang)
            self.assertGreater(m["docs"], 3)
            self.assertIn("les" if lang == "fr" else "the", m["stop"])
            for name in m["shards"]:
                f = os.path.join(self.search_dir(lang), f"t-{name}.json" if name else "t.json")
                shard = json.loads(read(f))
                keys = [k for k, _ in shard["k"]]
                self.assertEqual(keys, sorted(keys, key=lambda s: s.encode()))

    def test_documents_are_pages_of_that_language(self):
        base_url = None
        for lang in self.langs:
            for doc in self.docs(lang):
                title, url, section, kind = doc[:4]
                self.assertIn(kind, ("article", "table", "questionnaire"))
                self.assertIn(f"/{lang}/", url)
                if base_url is None:
                    base_url = url[: url.index(f"/{lang}/") + 1]
                rel = url[len(base_url):]
                self.assertTrue(os.path.isfile(os.path.join(self.out, rel, "index.html")), url)
                for hid, _, _ in doc[6]:
                    if hid:
                        self.assertIn(f'id="{hid}"', read(os.path.join(self.out, rel, "index.html")))

    def test_every_page_has_the_box(self):
        for path in glob.glob(os.path.join(self.out, "fr", "**", "index.html"), recursive=True):
            html = read(path)
            self.assertIn("data-search", html, path)
            m = re.search(r'data-search-index="([^"]+)"', html)
            self.assertIsNotNone(m, path)
            self.assertTrue(m.group(1).endswith("/fr/search/"), m.group(1))
            self.assertIn("data-search-fallback", html)
            # search.js is loaded by phare.js on first use of the box
            self.assertRegex(html, r'data-search-src="[^"]*assets/search\.[0-9a-f]{10}\.js"')
            self.assertNotIn("assets/search.", re.sub(r'data-search-src="[^"]*"', "", html))

    def test_reader_queries_fr(self):
        r = {x["query"]: x for x in self.query(
            "fr", "conteneurs légers", "isolation noyau", "systeme", "Système", "virtualisat",
            "xyzzy", "conteneur")}
        self.assertIn("/lxc/", r["conteneurs légers"]["results"][0]["url"])
        # KVM names the kernel in its title and has an Isolation heading: title > heading > text
        self.assertIn("/kvm/", r["isolation noyau"]["results"][0]["url"])
        self.assertGreater(r["systeme"]["total"], 0)
        self.assertEqual(r["systeme"]["total"], r["Système"]["total"])
        self.assertTrue(any("système" in m.lower() for x in r["systeme"]["results"] for m in x["marked"]))
        self.assertGreater(r["virtualisat"]["total"], 0)
        self.assertEqual(r["xyzzy"]["total"], 0)
        self.assertEqual(r["xyzzy"]["results"], [])
        self.assertIn("/lxc/", r["conteneur"]["results"][0]["url"])
        # Only what the query needs: meta, one shard, one docs chunk.
        self.assertLessEqual(len(r["conteneurs légers"]["files"]), 3)

    def test_reader_queries_en(self):
        r = {x["query"]: x for x in self.query("en", "full virtualization", "kernel", "kernels", "Kernel")}
        self.assertIn("/kvm/", r["full virtualization"]["results"][0]["url"])
        self.assertGreater(r["kernel"]["total"], 0)
        self.assertEqual([x["url"] for x in r["kernel"]["results"]],
                         [x["url"] for x in r["kernels"]["results"]])
        self.assertEqual(r["kernel"]["total"], r["Kernel"]["total"])
        # English pages only.
        for q in r.values():
            for x in q["results"]:
                self.assertIn("/en/", x["url"])

    def test_reproducible(self):
        def digest():
            out = {}
            for lang in self.langs:
                for f in sorted(os.listdir(self.search_dir(lang))):
                    out[f"{lang}/{f}"] = read(os.path.join(self.search_dir(lang), f))
            return out
        first = digest()
        shutil.rmtree(self.out)
        r = run("build", "--source", ROOT, "--out", self.out, "--threads", "1")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(first, digest())


if __name__ == "__main__":
    unittest.main()

"""The theme's assets as `phare build` publishes them (render/minify.h):
each CSS and JavaScript file of templates/assets/ smaller than its source,
named after the hash of the bytes published, every script still valid for
`node --check`, search.js still answering as its source does; an author's
override minified too, and a broken one published as written."""
import glob
import json
import os
import re
import shutil
import subprocess

from phare_test import ROOT, TempDirTest, run, write_tree

NODE = shutil.which("node")
ASSETS = os.path.join(ROOT, "templates", "assets")


def fnv1a_hex(data):
    """util/hash.h hash_fnv1a_hex."""
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


def published(out):
    """{source name: path published} for out/assets/<stem>.<hash>.<ext>."""
    found = {}
    for p in glob.glob(os.path.join(out, "assets", "*")):
        m = re.fullmatch(r"(.+)\.([0-9a-f]{10})\.(\w+)", os.path.basename(p))
        if m:
            found[m.group(1) + "." + m.group(3)] = p
    return found


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


class ShippedAssets(TempDirTest):
    def setUp(self):
        super().setUp()
        self.out = self.path("site")
        r = run("build", "--source", ROOT, "--out", self.out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assets = published(self.out)
        self.sources = sorted(os.listdir(ASSETS))
        self.assertEqual(sorted(self.assets), self.sources)

    def test_smaller_and_named_after_the_bytes_published(self):
        for name in self.sources:
            src, pub = read_bytes(os.path.join(ASSETS, name)), read_bytes(self.assets[name])
            with self.subTest(name):
                self.assertLess(len(pub), len(src) * 0.85, f"{name}: {len(src)} -> {len(pub)} bytes")
                self.assertNotIn(b"/*", pub)   # no theme asset has /* in a string
                stem, ext = os.path.splitext(name)
                self.assertEqual(os.path.basename(self.assets[name]), f"{stem}.{fnv1a_hex(pub)[:10]}{ext}")

    def test_every_script_still_parses(self):
        if not NODE:
            self.skipTest("node is not installed")
        scripts = [n for n in self.sources if n.endswith(".js")]
        self.assertGreaterEqual(len(scripts), 5)
        for name in scripts:
            with self.subTest(name):
                r = subprocess.run([NODE, "--check", self.assets[name]], capture_output=True, text=True,
                                   timeout=60)
                self.assertEqual(r.returncode, 0, f"{name} minified does not parse:\n{r.stderr}")

    def test_minified_search_answers_as_its_source(self):
        """search.js exports its pure functions to node: the minified copy must
        compute the same (regexes with classes, arrow functions, spread)."""
        if not NODE:
            self.skipTest("node is not installed")
        probe = """
            const [src, pub] = process.argv.slice(1).map((p) => require(p));
            const qs = ['Écoles  ÉTÉ  ß', 'lxc-vs kvm 2', 'a', 'Straße œuvre ', 'x1 y2 z'];
            const run = (m) => JSON.stringify(qs.map((q) => [m.fold(q), m.terms(q, ['les']), m.esc(m.fold(q)),
              m.highlight(q, ['ete', 'kvm'])]).concat([m.range([['a'], ['ab'], ['b']], 'a', true)]));
            const a = run(src), b = run(pub);
            if (a !== b) { console.error(a + '\\n' + b); process.exit(1); }
            console.log(a.length);
        """
        pub = self.path("search.min.js")
        shutil.copy(self.assets["search.js"], pub)
        r = subprocess.run([NODE, "-e", probe, os.path.join(ASSETS, "search.js"), pub], capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertGreater(int(r.stdout), 100)


class OverriddenAssets(TempDirTest):
    def setUp(self):
        super().setUp()
        write_tree(self.tmp, {
            "content/site.yaml": "title: Aide\ndefault_language: fr\nlanguages: [{code: fr, name: Français}]\n",
            "content/fr/s/a.md": "---\ntitle: A\n---\nTexte.\n",
        })

    def build(self):
        out = self.path("site")
        r = run("build", "--source", self.tmp, "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        return published(out)

    def test_an_override_is_minified(self):
        write_tree(self.tmp, {"templates/assets/phare.css": "/* mine */\nbody {\n  color : red ;\n}\n",
                              "templates/assets/phare.js": "// mine\nvar a = 1 ;\n"})
        got = self.build()
        self.assertEqual(read_bytes(got["phare.css"]), b"body{color :red}")
        self.assertEqual(read_bytes(got["phare.js"]), b"var a=1;")

    def test_an_unterminated_override_is_published_as_written(self):
        broken = "var s = 'no end;\n/* nor here\n"
        write_tree(self.tmp, {"templates/assets/phare.js": broken})
        self.assertEqual(read_bytes(self.build()["phare.js"]).decode(), broken)

    def test_other_assets_are_copied(self):
        svg = '<svg xmlns="http://www.w3.org/2000/svg">  <!-- a logo -->  </svg>\n'
        write_tree(self.tmp, {"templates/assets/logo.svg": svg})
        self.assertEqual(read_bytes(self.build()["logo.svg"]).decode(), svg)

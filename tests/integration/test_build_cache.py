"""phare build's cache (.phare/cache, issue 23): an incremental build is
always byte-identical to a clean one.

The property test applies random sequences of an author's edits, one at a
time, to a small copy of the repository's content/ and rules/, and after
each compares `phare build` (with its cache) with `phare build --no-cache`
into a fresh folder, by `diff -r`.  An edit the clean build rejects (a
move that breaks a link) is undone.  On a difference the sequence is
shrunk (edits dropped while it still fails) and reported.

PHARE_CACHE_SEQUENCES / PHARE_CACHE_STEPS / PHARE_CACHE_SEED change the
run (fixed seed by default; under the sanitizers 60 sequences of 2 steps, to stay
within a few minutes)."""
import ctypes
import hashlib
import hmac
import json
import os
import random
import re
import shutil
import signal
import struct
import subprocess
import time
import unittest
import zlib

import phare_test
from phare_test import ROOT, TempDirTest, run

SEQUENCES = int(os.environ.get("PHARE_CACHE_SEQUENCES", "60" if phare_test.SANITIZE else "200"))
STEPS = int(os.environ.get("PHARE_CACHE_STEPS", "2" if phare_test.SANITIZE else "3"))
SEED = int(os.environ.get("PHARE_CACHE_SEED", "23"))


def png(w, h):
    """A valid PNG of w x h grey pixels (render/imgsize.h reads its header)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\0" + b"\x80" * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def articles(src, lang=None, index=False):
    out = []
    for root, _, files in os.walk(os.path.join(src, "content")):
        for f in files:
            p = os.path.join(root, f)
            rel = os.path.relpath(p, os.path.join(src, "content"))
            if not f.endswith(".md") or (f == "_index.md" and not index):
                continue
            if lang and not rel.startswith(lang + "/"):
                continue
            out.append(p)
    return sorted(out)


def read(p):
    with open(p, encoding="utf-8") as f:
        return f.read()


def write(p, text):
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w", encoding="utf-8") as f:
        f.write(text)


def set_field(text, key, value):
    """Front matter field key set to value (None: removed)."""
    head, sep, body = text[4:].partition("\n---\n")
    lines = [l for l in head.split("\n") if not l.startswith(key + ":")]
    if value is not None:
        lines.append("%s: %s" % (key, value))
    return "---\n" + "\n".join(lines) + sep + body


# ---- the edits: each (rng, src, n) changes the tree as an author would ----

def e_body(r, src, n):
    p = r.choice(articles(src, index=True))
    write(p, read(p) + "\n\n## Part %d\n\nText %d, *edited*.\n" % (n, n))


def e_title(r, src, n):
    p = r.choice(articles(src, index=True))
    write(p, set_field(read(p), "title", '"Title %d"' % n))


def e_weight(r, src, n):
    p = r.choice(articles(src, index=True))
    write(p, set_field(read(p), "weight", str(r.randint(1, 60))))


def e_draft(r, src, n):
    p = r.choice(articles(src))
    t = read(p)
    write(p, set_field(t, "draft", None if "\ndraft: true" in t else "true"))


def e_updated(r, src, n):
    p = r.choice(articles(src))
    write(p, set_field(read(p), "updated", "2026-%02d-%02d" % (r.randint(1, 12), r.randint(1, 28))))


def e_move(r, src, n):
    p = r.choice(articles(src))
    lang = os.path.relpath(p, os.path.join(src, "content")).split("/")[0]
    folder = r.choice(["virtualisation", "autre"])
    dest = os.path.join(src, "content", lang, folder, "moved-%d.md" % n)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    os.rename(p, dest)


def e_delete(r, src, n):
    os.remove(r.choice(articles(src)))


def e_add(r, src, n):
    lang = r.choice(["fr", "en"])
    others = articles(src, lang)
    link = ""
    if others:
        target = os.path.relpath(r.choice(others), os.path.join(src, "content", lang, "virtualisation"))
        link = "See [this](%s).\n" % target
    write(os.path.join(src, "content", lang, r.choice(["virtualisation", "autre"]), "new-%d.md" % n),
          "---\ntitle: \"New %d\"\nweight: %d\n---\nNew article %d.\n\n## Setup\n\n%s" % (n, r.randint(1, 60), n, link))


def e_translation(r, src, n):
    fr = articles(src, "fr")
    if not fr:
        return
    p = r.choice(fr)
    dest = p.replace(os.sep + "fr" + os.sep, os.sep + "en" + os.sep, 1)
    write(dest, set_field(read(p), "title", '"Translated %d"' % n))


def e_translation_of(r, src, n):
    en = articles(src, "en")
    if en:
        p = r.choice(en)
        write(p, set_field(read(p), "translation_of", r.choice([None, "%016x" % r.getrandbits(64)])))


def e_table(r, src, n):
    p = os.path.join(src, "content", "tables", "vps-lxc-kvm.yaml")
    write(p, read(p).replace('fr: "', 'fr: "T%d ' % n, 1))


def e_rules(r, src, n):
    p = os.path.join(src, "rules", "choose-virtualization.lua")
    write(p, read(p).replace('fr = "', 'fr = "R%d ' % n, 1))


def e_template(r, src, n):
    base = os.path.join(ROOT, "templates", "partials", "footer.mustache")
    write(os.path.join(src, "templates", "partials", "footer.mustache"), read(base) + "<!-- %d -->\n" % n)


def e_site(r, src, n):
    p = os.path.join(src, "content", "site.yaml")
    t = read(p).split("\n")
    t[0] = "title: { fr: Aide %d, en: Help %d }" % (n, n)
    write(p, "\n".join(t))


def e_image(r, src, n):
    folder = os.path.join(src, "content", "fr", "virtualisation")
    with open(os.path.join(folder, "pic.png"), "wb") as f:
        f.write(png(r.randint(1, 40), r.randint(1, 40)))
    p = os.path.join(folder, "lxc.md")
    if os.path.exists(p) and "pic.png" not in read(p):
        write(p, read(p) + "\n\n![A picture](pic.png)\n")


def e_nothing(r, src, n):
    os.utime(r.choice(articles(src, index=True)))  # a new time, the same bytes: nothing to build


def e_prev(r, src, n):
    """The previous site kept beside the output touched: a file rewritten in
    place (the live site's too when they are one file), removed, added, or
    a folder turned into a link."""
    prev = os.path.join(src, ".site.phare-prev")
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(prev) for f in fs)
    if not files:
        return
    p, how = r.choice(files), r.randrange(4)
    if how == 0:
        with open(p, "a") as f:
            f.write("<!-- %d -->" % n)
    elif how == 1:
        os.remove(p)
    elif how == 2:
        write(os.path.join(os.path.dirname(p), "planted-%d.html" % n), "planted")
    else:
        elsewhere = os.path.join(os.path.dirname(src), "elsewhere")
        os.makedirs(elsewhere, exist_ok=True)
        shutil.rmtree(os.path.dirname(p))
        os.symlink(elsewhere, os.path.dirname(p))


EDITS = [e_nothing, e_body, e_title, e_weight, e_draft, e_updated, e_move, e_delete, e_add, e_translation,
         e_translation_of, e_table, e_rules, e_template, e_site, e_image, e_prev]
KEPT = ("site", ".phare", ".site.phare-prev")  # the build's, not the author's


def scratch():
    """A folder on /dev/shm when there is one: the property test builds some
    two thousand small sites, and a busy disk would make it crawl."""
    import tempfile
    return tempfile.mkdtemp(prefix="phare-test-", dir="/dev/shm" if os.access("/dev/shm", os.W_OK) else None)


class Runner:
    """Builds a sequence of edits on a fresh copy of the site."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.template = None
        self.patched = self.whole = 0  # incremental builds whose search index was patched / written whole

    def popen(self, src, out, *extra, check_frame=False):
        env = dict(os.environ)
        env.pop("PHARE_CACHE_CHECK_FRAME", None)
        if check_frame:  # no page reused on the frame hash alone: each such guess checked against the full key
            env["PHARE_CACHE_CHECK_FRAME"] = "1"
        return subprocess.Popen([phare_test.PHARE, "build", "--source", src, "--out", out, "--quiet", "--cache", *extra],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)

    def fresh(self):
        src = os.path.join(self.tmp, "src")
        shutil.rmtree(src, ignore_errors=True)
        shutil.copytree(os.path.join(ROOT, "content"), os.path.join(src, "content"))
        shutil.copytree(os.path.join(ROOT, "rules"), os.path.join(src, "rules"))
        return src

    def start(self):
        """A fresh source with its site and cache, as after a first build:
        built once, then copied (the site hard-linked, as the cache expects
        its files unchanged)."""
        template = os.path.join(self.tmp, "template")
        if not self.template:
            src = self.fresh()
            r = self.popen(src, os.path.join(src, "site"))
            _, err = r.communicate()
            if r.returncode:
                raise AssertionError("the first build failed: " + err)
            shutil.rmtree(template, ignore_errors=True)
            os.rename(src, template)
            self.template = template
        src = os.path.join(self.tmp, "src")
        shutil.rmtree(src, ignore_errors=True)
        shutil.copytree(template, src, ignore=shutil.ignore_patterns("site"))
        shutil.copytree(os.path.join(template, "site"), os.path.join(src, "site"), copy_function=os.link)
        return src

    def check(self, seq):
        """None if every incremental build of seq equals the clean one; else what differed."""
        src = self.start()
        site, clean, saved = os.path.join(src, "site"), os.path.join(self.tmp, "clean"), os.path.join(self.tmp, "saved")
        built = undone = False  # a site built here; the last edit, which the clean build refused, taken back
        for i, (edit, seed) in enumerate(seq):
            shutil.rmtree(saved, ignore_errors=True)
            shutil.copytree(src, saved, symlinks=True, ignore=shutil.ignore_patterns(*KEPT))
            EDITS[edit](random.Random(seed), src, seed % 100000)
            shutil.rmtree(clean, ignore_errors=True)
            # both at once (two cores); a build the clean one fails must fail too
            pc, pi = self.popen(src, clean, "--no-cache"), self.popen(src, site, "--timings", check_frame=i % 2 == 0)
            _, err_c = pc.communicate()
            _, err_i = pi.communicate()
            self.patched += ": patched: " in err_i
            self.whole += ": written whole" in err_i
            name = "step %d (%s)" % (i, EDITS[edit].__name__)
            if pc.returncode:
                if not pi.returncode:
                    return "%s: the clean build failed, the incremental one did not:\n%s" % (name, err_c)
                for d in os.listdir(src):  # the edit undone (a move that broke a link)
                    if d not in KEPT:
                        shutil.rmtree(os.path.join(src, d))
                for d in os.listdir(saved):
                    shutil.copytree(os.path.join(saved, d), os.path.join(src, d), symlinks=True)
                undone = True
                continue
            built, undone = True, False
            if pi.returncode:
                return "%s: the incremental build failed: %s" % (name, err_i)
            d = subprocess.run(["diff", "-r", site, clean], capture_output=True, text=True)
            if d.returncode:
                return "%s: diff -r:\n%s" % (name, d.stdout[:3000])
            elsewhere = os.path.join(self.tmp, "elsewhere")
            if os.path.isdir(elsewhere) and os.listdir(elsewhere):
                return "%s: written through a link planted in the previous site: %s" % (name, os.listdir(elsewhere))
        if not built or undone:
            return None
        # the stamps a build records are its site's: built again, nothing to do
        r = subprocess.run([phare_test.PHARE, "build", "--source", src, "--out", site, "--cache", "--timings"],
                           capture_output=True, text=True)
        if r.returncode or "nothing changed since the last build" not in r.stderr:
            return "the build after the last step, with nothing changed, did not see so:\n%s" % r.stderr[-2000:]
        return None


class CacheProperty(TempDirTest):
    def setUp(self):
        self.tmp = scratch()

    def test_random_edit_sequences_build_like_a_clean_build(self):
        rng = random.Random(SEED)
        runner = Runner(self.tmp)
        seqs = [[(rng.randrange(len(EDITS)), rng.getrandbits(32)) for _ in range(STEPS)] for _ in range(SEQUENCES)]
        for n, seq in enumerate(seqs):
            why = runner.check(seq)
            if why is None:
                continue
            # shrink: drop edits while the sequence still fails
            shrunk = list(seq)
            changed = True
            while changed:
                changed = False
                for i in range(len(shrunk)):
                    cand = shrunk[:i] + shrunk[i + 1:]
                    w = runner.check(cand)
                    if w is not None:
                        shrunk, why, changed = cand, w, True
                        break
            self.fail("sequence %d (seed %d) differs from a clean build; shrunk to %s:\n%s" % (
                n, SEED, [(EDITS[e].__name__, s) for e, s in shrunk], why))
        # the search index patched in place (search/patch.h) was among what was compared
        self.assertGreater(runner.patched, SEQUENCES // 10, "patched %d, written whole %d" % (runner.patched, runner.whole))


CACHE_LINE = "build cache"
K = 0x9E3779B97F4A7C15
M64 = (1 << 64) - 1


def mix(h, w):
    h = ((h ^ w) * K) & M64
    return h ^ (h >> 29)


def cache_hash(data, h=0):
    """cache.c's cache_hash, to forge an index that passes its checksum."""
    n = len(data)
    h = mix(h, n)
    p = 0
    if n >= 32:
        lanes = [h, (h + K) & M64, (h - K) & M64, ~h & M64]
        while n - p >= 32:
            for i in range(4):
                lanes[i] = mix(lanes[i], int.from_bytes(data[p + 8 * i:p + 8 * i + 8], "little"))
            p += 32
        for l in lanes:
            h = mix(h, l)
    while n - p >= 8:
        h = mix(h, int.from_bytes(data[p:p + 8], "little"))
        p += 8
    return mix(h, int.from_bytes(data[p:] + bytes(8 - (n - p)), "little"))


KEY = "6b" * 32  # PHARE_CACHE_KEY of these tests: they forge indexes, so they must know it
OTHER_KEY = "5a" * 32


class CacheFiles(TempDirTest):
    """The cache's own failures: never a stale page, one line said."""

    def setUp(self):
        self.tmp = scratch()
        self.src = Runner(self.tmp).fresh()
        self.site = self.path("site")
        self.cache = os.path.join(self.src, ".phare", "cache")

    def build(self, *extra, key=KEY):
        return run("build", "--source", self.src, "--out", self.site, "--cache", *extra,
                   env={"PHARE_CACHE_KEY": key})

    def assert_like_clean(self):
        clean = self.path("clean")
        shutil.rmtree(clean, ignore_errors=True)
        self.assertEqual(run("build", "--source", self.src, "--out", clean, "--quiet", "--no-cache").returncode, 0)
        d = subprocess.run(["diff", "-r", self.site, clean], capture_output=True, text=True)
        self.assertEqual(d.returncode, 0, d.stdout[:2000])

    def typed(self, *extra, env=None):
        """phare build as a user types it: no --cache, the key from this test's own state folder."""
        e = {"PHARE_CACHE_KEY": "", "XDG_STATE_HOME": self.path("state")}
        e.update(env or {})
        return run("build", "--source", self.src, "--out", self.site, "--timings", *extra, env=e)

    def cache_files(self):
        """Each cache file's bytes and times: what a build that writes the cache changes."""
        out = {}
        for name in sorted(os.listdir(self.cache)):
            p = os.path.join(self.cache, name)
            st = os.lstat(p)
            with open(p, "rb") as f:
                out[name] = (hashlib.sha256(f.read()).hexdigest(), st.st_ino, st.st_mtime_ns, st.st_ctime_ns)
        return out

    def test_on_by_default(self):
        """Issue 23: a build without a flag keeps the cache, reuses it, and builds what a clean build does."""
        r = self.typed()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stderr, r"build cache: 0 article pages reused, 8 rendered")
        self.assertTrue(os.path.isfile(os.path.join(self.cache, "index")))
        self.assertEqual(os.stat(self.path("state", "phare", "phare-cache-key")).st_size, 32)
        self.assert_like_clean()
        index = os.path.join(self.src, "content", "fr", "virtualisation", "_index.md")
        write(index, read(index) + "\nA section's text: no article shows it.\n")
        r = self.typed()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("build cache: 8 article pages reused, 0 rendered", r.stderr)
        self.assert_like_clean()
        self.assertTrue(os.path.isdir(self.prev()))  # the site before, kept beside the output
        self.edit_body("\nOne more line.\n")
        r = self.typed()
        self.assertRegex(r.stderr, r"build cache: \d+ article pages reused, [1-4] rendered")
        self.assert_like_clean()
        r = self.typed("--cache")  # the flag of before: still taken, the same build
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("nothing changed since the last build", r.stderr)

    def test_no_cache_neither_reads_nor_writes(self):
        """A tree from a stranger may ship a .phare/cache, and a build may want every page rendered:
        with --no-cache, phare neither reads the cache nor writes it, nor keeps a previous site."""
        self.assertEqual(self.build("--no-cache").returncode, 0)
        self.assertFalse(os.path.exists(self.cache))
        self.assertEqual(self.typed(env={"PHARE_CACHE_KEY": KEY}).returncode, 0)  # made now
        before = self.cache_files()
        self.edit_body("\nUne ligne de plus.\n")
        r = self.typed("--no-cache", env={"PHARE_CACHE_KEY": KEY})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("build cache:", r.stderr)  # there, trusted, but not read
        self.assertEqual(self.cache_files(), before)  # nor written
        self.assertFalse(os.path.exists(self.prev()))  # nor a site kept
        self.assert_like_clean()
        self.edit_body("\nEt une autre.\n")  # the cache now describes a site that is gone: still right
        r = self.typed(env={"PHARE_CACHE_KEY": KEY})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stderr, r"build cache: \d+ article pages reused, [1-4] rendered")
        self.assert_like_clean()

    def test_without_a_place_for_its_key_the_build_goes_on_without_the_cache(self):
        """CI containers: no HOME, or one that cannot be written. The cache being on by default,
        such a build must still succeed, as without the cache, saying so in at most one line."""
        base = {k: v for k, v in os.environ.items() if k not in ("HOME", "XDG_STATE_HOME", "PHARE_CACHE_KEY")}
        for home in (None, "/dev/null", "/proc/phare-no-such-home"):
            with self.subTest(home=home):
                shutil.rmtree(self.site, ignore_errors=True)
                env = dict(base, **({"HOME": home} if home else {}))
                r = subprocess.run([phare_test.PHARE, "build", "--source", self.src, "--out", self.site, "--timings"],
                                   capture_output=True, text=True, env=env, timeout=120)
                self.assertEqual(r.returncode, 0, r.stderr)
                said = [l for l in r.stderr.splitlines() if "build cache" in l]
                self.assertEqual(len(said), 1, r.stderr)
                self.assertRegex(said[0], r"^phare: warning: build cache: .*; building without it$")
                self.assertNotIn("error", r.stderr)
                self.assertFalse(os.path.exists(os.path.join(self.src, ".phare")))
                self.assert_like_clean()
                r = subprocess.run([phare_test.PHARE, "build", "--source", self.src, "--out", self.site, "--quiet"],
                                   capture_output=True, text=True, env=env, timeout=120)
                self.assertEqual((r.returncode, r.stderr), (0, ""))
        self.assertFalse(os.path.exists(self.prev()))  # without a cache, no site is kept

    def edit_body(self, text):
        p = os.path.join(self.src, "content", "fr", "virtualisation", "kvm.md")
        write(p, read(p) + text)

    def test_second_build_reuses_every_article_and_is_identical(self):
        self.assertEqual(self.build("--timings").returncode, 0)
        self.assertTrue(os.path.exists(os.path.join(self.src, ".phare", ".gitignore")))
        index = os.path.join(self.src, "content", "fr", "virtualisation", "_index.md")
        write(index, read(index) + "\nA section's text: no article shows it.\n")
        r = self.build("--timings")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("build cache: 8 article pages reused, 0 rendered", r.stderr)
        self.assert_like_clean()
        self.edit_body("\nOne more line.\n")
        r = self.build("--timings")
        self.assertRegex(r.stderr, r"build cache: \d+ article pages reused, [1-4] rendered")
        self.assert_like_clean()

    def test_site_restored_elsewhere_is_reused_by_content(self):
        # as a CI cache restores it: other inodes, maybe other times
        self.assertEqual(self.build().returncode, 0)
        shutil.copytree(self.site, self.path("copy"), copy_function=shutil.copy)
        shutil.rmtree(self.site)
        os.rename(self.path("copy"), self.site)
        r = self.build("--timings")
        self.assertIn("8 article pages reused", r.stderr)
        self.assert_like_clean()

    def test_pull_request_built_in_ci_reuses_the_restored_site_by_content(self):
        # as CI builds one (README, "Publishing"): a fresh checkout (every source a new file, of
        # now), .phare/cache and the site restored by a cache step (new files, their times kept),
        # no site kept beside it; the English body of the pull request edited
        self.assertEqual(self.build().returncode, 0)
        for d, copy in ((self.src, shutil.copy), (self.site, shutil.copy2)):
            os.rename(d, d + ".old")
            shutil.copytree(d + ".old", d, copy_function=copy)
            shutil.rmtree(d + ".old")
        page = os.path.join(self.site, "fr", "virtualisation", "lxc", "index.html")
        meta = os.path.join(self.site, "fr", "search", "meta.json")  # of a language the edit leaves
        restored = {f: os.stat(f).st_ino for f in (page, meta)}
        kvm = os.path.join(self.src, "content", "en", "virtualisation", "kvm.md")
        write(kvm, read(kvm) + "\nA sentence of the pull request.\n")
        r = self.build("--timings")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stderr, r"build cache: \d+ article pages reused, [1-2] rendered")
        self.assertIn("search index en: patched: 1 page changed", r.stderr)  # its files checked by content
        self.assertEqual({f: os.stat(f).st_ino for f in restored}, restored)  # linked, not written
        self.assert_like_clean()
        # the site swapped out is left beside (a CI job ends there); the next build removes it
        self.assertTrue(os.path.isdir(self.prev()))
        self.assertTrue(os.path.exists(os.path.join(self.prev(), "fr", "index.html")))
        self.edit_body("\nEt une autre.\n")
        r = self.build("--timings")
        self.assertRegex(r.stderr, r"build cache: \d+ article pages reused, [1-2] rendered")
        self.assert_like_clean()
        self.edit_body("\nEt encore une.\n")  # from here, the site kept beside is patched
        kept = os.stat(self.prev()).st_ino
        self.assertRegex(self.build("--timings").stderr, r"build cache: \d+ article pages reused, [1-2] rendered")
        self.assertEqual(os.stat(self.site).st_ino, kept)
        self.assert_like_clean()

    def test_a_restored_search_file_of_other_bytes_is_written_again(self):
        self.assertEqual(self.build().returncode, 0)
        shutil.copytree(self.site, self.path("copy"), copy_function=shutil.copy2)
        shutil.rmtree(self.site)
        os.rename(self.path("copy"), self.site)
        meta = os.path.join(self.site, "fr", "search", "meta.json")  # of a language the edit leaves
        write(meta, read(meta).replace('"v":1', '"v":2', 1))
        kvm = os.path.join(self.src, "content", "en", "virtualisation", "kvm.md")
        write(kvm, read(kvm) + "\nOne more line.\n")
        r = self.build("--timings")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("search index fr: written whole", r.stderr)
        self.assertIn("search index en: patched", r.stderr)
        self.assert_like_clean()
        # the same with the edited language's file: never patched from it
        shutil.copytree(self.site, self.path("copy2"), copy_function=shutil.copy2)
        shutil.rmtree(self.site)
        os.rename(self.path("copy2"), self.site)
        meta = os.path.join(self.site, "en", "search", "meta.json")
        write(meta, read(meta).replace('"v":1', '"v":2', 1))
        write(kvm, read(kvm) + "\nAnd one more.\n")
        r = self.build("--timings")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("search index en: written whole (not patched: the site's search files are not the last "
                      "build's)", r.stderr)
        self.assert_like_clean()

    def test_output_page_edited_by_hand_is_rendered_again(self):
        self.assertEqual(self.build().returncode, 0)
        page = os.path.join(self.site, "fr", "virtualisation", "kvm", "index.html")
        os.remove(page)
        write(page, "<p>edited</p>")
        r = self.build("--timings")
        self.assertIn("7 article pages reused, 1 rendered", r.stderr)
        self.assert_like_clean()

    def test_errors_of_unchanged_pages_are_said_once_as_a_clean_build_says_them(self):
        self.assertEqual(self.build().returncode, 0)
        before = self.path("before")
        shutil.copytree(self.site, before)
        os.remove(os.path.join(self.src, "content", "tables", "vps-lxc-kvm.yaml"))
        r = self.build()
        clean = run("build", "--source", self.src, "--out", self.path("clean"), "--no-cache")
        self.assertNotEqual(r.returncode, 0)
        errors = lambda text: sorted(l for l in text.splitlines() if ": error: " in l)
        self.assertTrue(errors(clean.stderr))
        self.assertEqual(errors(r.stderr), errors(clean.stderr))
        d = subprocess.run(["diff", "-r", self.site, before], capture_output=True, text=True)
        self.assertEqual(d.returncode, 0, d.stdout[:2000])

    def test_an_anchor_gone_from_another_article_is_said_as_a_clean_build_says_it(self):
        # lxc.md links to a heading of kvm.md; lxc.md itself never changes, and is reused
        lxc = os.path.join(self.src, "content", "fr", "virtualisation", "lxc.md")
        write(lxc, read(lxc) + "\nVoir [l'isolation de KVM](kvm.md#isolation).\n")
        self.assertEqual(self.build().returncode, 0)
        self.edit_body("\nUne ligne de plus.\n")
        r = self.build("--timings")
        self.assertEqual(r.returncode, 0, r.stderr)
        kvm = os.path.join(self.src, "content", "fr", "virtualisation", "kvm.md")
        write(kvm, read(kvm).replace("## Isolation", "## Cloisonnement", 1))
        r = self.build("--timings")
        clean = run("build", "--source", self.src, "--out", self.path("clean"), "--no-cache")
        self.assertNotEqual(clean.returncode, 0)
        errors = lambda text: sorted(l for l in text.splitlines() if ": error: " in l)
        self.assertTrue(any("isolation" in l for l in errors(clean.stderr)), clean.stderr)
        self.assertEqual(errors(r.stderr), errors(clean.stderr))
        self.assertNotEqual(r.returncode, 0)

    def test_nothing_changed_leaves_the_site_alone(self):
        self.assertEqual(self.build().returncode, 0)
        page = os.path.join(self.site, "fr", "index.html")
        ino = os.stat(page).st_ino
        kvm = os.path.join(self.src, "content", "fr", "virtualisation", "kvm.md")
        r = self.build("--timings")
        self.assertIn("nothing changed since the last build", r.stderr)
        self.assertRegex(r.stderr, r"built 16 pages \(fr 8, en 8\)")
        self.assertEqual(os.stat(page).st_ino, ino)
        os.utime(kvm)  # touched: every page reused (its bytes are the same), the stat cache made anew
        r = self.build("--timings")
        self.assertRegex(r.stderr, r"build cache: \d+ article pages reused, 0 rendered")
        r = self.build("--timings")
        self.assertIn("nothing changed since the last build", r.stderr)
        with open(os.path.join(self.site, "robots.txt"), "a") as f:  # the site touched: built again
            f.write("x")
        r = self.build("--timings")
        self.assertNotIn("nothing changed", r.stderr)
        self.assert_like_clean()
        st = os.stat(kvm)
        write(kvm, read(kvm).replace("KVM", "QVM", 1))  # same size and time, other bytes
        os.utime(kvm, ns=(st.st_atime_ns, st.st_mtime_ns))
        r = self.build("--timings")
        self.assertNotIn("nothing changed", r.stderr)
        self.assert_like_clean()

    def test_a_file_added_in_a_page_folder_stays_until_a_build_has_work(self):
        # "nothing changed" looks at every file of the site and every folder but a page's own
        # (en/x/ holding only its index.html, which is looked at): a file added there by hand is
        # seen by the next build with something to do, and never carried into a later site
        self.assertEqual(self.build().returncode, 0)
        self.edit_body("\nA site kept beside the live one.\n")
        self.assertEqual(self.build().returncode, 0)
        section = os.path.join(self.site, "fr", "virtualisation")
        write(os.path.join(section, "notes.txt"), "by hand")  # in a section's folder: seen
        self.assertNotIn("nothing changed", self.build("--timings").stderr)
        self.assert_like_clean()
        stray = os.path.join(section, "lxc", "notes.txt")
        write(stray, "by hand")
        r = self.build("--timings")
        self.assertIn("nothing changed since the last build", r.stderr)
        self.assertTrue(os.path.exists(stray))
        for i in range(3):  # the live site it was added to kept beside the next, then patched
            self.edit_body("\nEdit %d.\n" % i)
            r = self.build("--timings")
            self.assertRegex(r.stderr, r"build cache: \d+ article pages reused, [1-9]\d* rendered")
            self.assert_like_clean()

    def test_a_link_for_the_cache_folder_is_never_written_through(self):
        elsewhere = self.path("elsewhere")
        os.makedirs(elsewhere)
        os.symlink(elsewhere, os.path.join(self.src, ".phare"))
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(os.listdir(elsewhere), [])
        self.assert_like_clean()

    def test_same_size_and_time_other_bytes_is_seen(self):
        self.assertEqual(self.build().returncode, 0)
        p = os.path.join(self.src, "content", "fr", "virtualisation", "kvm.md")
        st = os.stat(p)
        t = read(p)
        write(p, t.replace("KVM", "QVM", 1))  # same size
        os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
        self.assertEqual(self.build().returncode, 0)
        self.assert_like_clean()

    def same_size_other_bytes(self, p):
        """kvm.md rewritten with as many bytes, its modification time put back
        (os.utime): only its change time, which no user sets, moved."""
        st = os.stat(p)
        write(p, read(p).replace("KVM", "QVM", 1))
        os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
        self.assertEqual(os.stat(p).st_size, st.st_size)

    def test_stat_cache_settled_entry_rewritten_with_its_old_time_is_seen(self):
        # every source older than the racy window (2 s) when the cache records it
        old = time.time_ns() - 100 * 10**9
        for d, _, fs in os.walk(self.src):
            for f in fs:
                os.utime(os.path.join(d, f), ns=(old, old))
        time.sleep(2.2)
        self.assertEqual(self.build().returncode, 0)
        r = self.build("--timings")  # recorded by stat: nothing read, nothing to do
        self.assertIn("nothing changed since the last build", r.stderr)
        time.sleep(2.2)
        self.same_size_other_bytes(os.path.join(self.src, "content", "fr", "virtualisation", "kvm.md"))
        r = self.build("--timings")
        self.assertNotIn("nothing changed", r.stderr)
        self.assertRegex(r.stderr, r"build cache: \d+ article pages reused, [1-9]\d* rendered")
        self.assert_like_clean()

    def test_stat_cache_racy_entry_rewritten_with_its_time_is_seen(self):
        p = os.path.join(self.src, "content", "fr", "virtualisation", "kvm.md")
        write(p, read(p) + "\nJust written.\n")  # within 2 s of the walk that records it: racy
        self.assertEqual(self.build().returncode, 0)
        self.same_size_other_bytes(p)
        r = self.build("--timings")
        self.assertNotIn("nothing changed", r.stderr)
        self.assert_like_clean()

    def test_source_edited_while_the_build_runs_is_never_taken_for_nothing_changed(self):
        # a build stopped once it is writing the site (its sources walked), a source edited
        # then put back, bytes and time: the build that ends so records no hash of its sources
        for i in range(1500):  # long enough a build to be caught writing
            write(os.path.join(self.src, "content", "fr", "virtualisation", "x%04d.md" % i),
                  "---\ntitle: X %d\n---\n\n%s\n" % (i, "Du texte. " * 200))
        self.assertEqual(self.build().returncode, 0)
        p = os.path.join(self.src, "content", "fr", "virtualisation", "kvm.md")
        write(p, read(p) + "\nOne more line.\n")
        time.sleep(2.2)  # settled: its stat alone says it is the same
        tmp_prefix = os.path.basename(self.site) + ".phare-tmp-"
        for attempt in range(5):
            proc = subprocess.Popen([phare_test.PHARE, "build", "--source", self.src, "--out", self.site, "--cache",
                                     "--timings"], stderr=subprocess.PIPE, text=True,
                                    env=dict(os.environ, PHARE_CACHE_KEY=KEY))
            caught = False
            while proc.poll() is None and not caught:
                if any(n.startswith(tmp_prefix) for n in os.listdir(os.path.dirname(self.site))):
                    os.kill(proc.pid, signal.SIGSTOP)
                    caught = proc.poll() is None
                    if caught:
                        st, text = os.stat(p), read(p)
                        write(p, text + "\nWhile it builds.\n")
                        write(p, text)
                        os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
                    os.kill(proc.pid, signal.SIGCONT)
            _, err = proc.communicate()
            self.assertEqual(proc.returncode, 0, err)
            if caught:
                break
            write(p, read(p) + "\nAgain %d.\n" % attempt)  # the build ran before it was caught: again
            time.sleep(2.2)
        self.assertTrue(caught, "no build was caught while it ran")
        r = self.build("--timings")
        self.assertNotIn("nothing changed", r.stderr)
        self.assert_like_clean()
        r = self.build("--timings")
        self.assertIn("nothing changed since the last build", r.stderr)

    def prev(self):
        return os.path.join(os.path.dirname(self.site), ".site.phare-prev")

    def test_previous_site_is_kept_and_patched(self):
        self.assertEqual(self.build().returncode, 0)
        self.assertFalse(os.path.exists(self.prev()))  # nothing to keep yet
        for i in range(4):
            kept = os.stat(self.prev()).st_ino if os.path.isdir(self.prev()) else None
            self.edit_body("\nLine %d.\n" % i)
            r = self.build("--timings")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertTrue(os.path.isdir(self.prev()))
            if kept:  # the new site was made from the one kept: it is that folder
                self.assertEqual(os.stat(self.site).st_ino, kept)
            self.assert_like_clean()

    def test_search_index_of_an_unchanged_language_is_left_as_it_is(self):
        # an English body edited again and again: the French index is neither written nor linked again
        p = os.path.join(self.src, "content", "en", "virtualisation", "kvm.md")
        meta = os.path.join(self.site, "fr", "search", "meta.json")
        for i in range(4):
            before = os.stat(meta) if os.path.exists(meta) else None
            write(p, read(p) + "\nLine %d.\n" % i)
            r = self.build("--timings")
            self.assertEqual(r.returncode, 0, r.stderr)
            if i >= 2:  # a site kept beside the live one since the build before: the new one made from it
                after = os.stat(meta)
                self.assertEqual((after.st_ino, after.st_ctime_ns), (before.st_ino, before.st_ctime_ns))
            self.assert_like_clean()
        r = self.build("--timings")
        self.assertIn("nothing changed since the last build", r.stderr)

    def test_search_files_of_a_rebuilt_index_are_written_only_when_their_bytes_change(self):
        for i in range(120):  # fifteen d-<i>.json files of eight pages
            write(os.path.join(self.src, "content", "en", "virtualisation", "x%03d.md" % i),
                  "---\ntitle: X %d\n---\n\nSome text about x%d.\n" % (i, i))
        last = os.path.join(self.src, "content", "en", "virtualisation", "x119.md")
        first_chunk = os.path.join(self.site, "en", "search", "d-0.json")
        for i in range(4):
            before = os.stat(first_chunk) if os.path.exists(first_chunk) else None
            write(last, read(last) + "\nLine %d.\n" % i)
            r = self.build("--timings")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assert_like_clean()
            if i >= 2:  # made from the kept site: the first pages' entries are as they were, their file too
                after = os.stat(first_chunk)
                self.assertEqual((after.st_ino, after.st_ctime_ns), (before.st_ino, before.st_ctime_ns))
        r = self.build("--timings")
        self.assertIn("nothing changed since the last build", r.stderr)

    def test_a_body_edit_patches_its_language_search_index(self):
        """Issue 23: one article's body edited: its language's index is patched in place (only the files
        of the words it had or has made again), never stale; a page added, or a table changed, writes
        it whole, and says why."""
        for i in range(40):  # shards enough that a patch leaves most of them as they were
            write(os.path.join(self.src, "content", "en", "virtualisation", "x%03d.md" % i),
                  "---\ntitle: Page %d\n---\n\n%s\n" % (i, " ".join("word%d" % ((i * 7 + k) % 300) for k in range(400))))
        self.assertEqual(self.build().returncode, 0)
        p = os.path.join(self.src, "content", "en", "virtualisation", "x007.md")
        search = os.path.join(self.site, "en", "search")
        for i, extra in enumerate(["\nword1 word2 word3.\n", "\nA sentence with brandnewword%d.\n", "\nword5 word5.\n", "\n"]):
            before = {n: os.stat(os.path.join(search, n)).st_ino for n in os.listdir(search)}
            write(p, read(p).replace("word1 word2 word3.", "") + (extra % i if "%" in extra else extra))
            r = self.build("--timings")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertRegex(r.stderr, r"search index en: patched: 1 page changed, \d+ files? made again" if i < 3 else
                             r"search index en: patched: 0 pages changed, 0 files made again")  # the same words
            self.assertIn("search index fr: ", r.stderr)
            self.assert_like_clean()
            after = {n: os.stat(os.path.join(search, n)).st_ino for n in os.listdir(search)}
            self.assertEqual(sorted(before), sorted(after))
            made = int(re.search(r"(\d+) files? made again", r.stderr).group(1))
            self.assertLess(made, len(after) // 2)  # the rest linked as they were
        write(os.path.join(self.src, "content", "en", "virtualisation", "new.md"), "---\ntitle: New\n---\n\nNew.\n")
        r = self.build("--timings")
        self.assertIn("search index en: written whole (not patched: pages added, removed or moved)", r.stderr)
        self.assert_like_clean()

    def test_a_page_removed_is_pruned_from_the_kept_site(self):
        """The new site is made from the one kept beside the live site, two builds old: a page added, one
        more build, then the page removed: the kept site has its folder and its search words, the new one
        must not."""
        p = os.path.join(self.src, "content", "en", "virtualisation", "temp-page.md")
        write(p, "---\ntitle: Temp page\n---\n\nTemporary zythum words.\n")
        for step in range(3):
            self.assertEqual(self.build().returncode, 0)
            if step == 0:
                self.edit_body("\nOne more sentence.\n")
        self.assertTrue(os.path.isdir(os.path.join(self.prev(), "en", "virtualisation", "temp-page")))
        os.remove(p)
        r = self.build("--timings")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.site, "en", "virtualisation", "temp-page")))
        self.assert_like_clean()

    def test_a_new_word_patches_a_shard_in_and_out(self):
        """A word under a letter no other word starts with ("Zabbix") gets a shard of its own when the index
        is split by letters, as a clean build would make it: the patch adds that shard and lists it in
        meta.json; the word taken out again, the shard goes."""
        for i in range(40):
            write(os.path.join(self.src, "content", "en", "virtualisation", "x%03d.md" % i),
                  "---\ntitle: Page %d\n---\n\n%s\n" % (i, " ".join("word%d" % ((i * 7 + k) % 300) for k in range(400))))
        self.assertEqual(self.build().returncode, 0)
        p = os.path.join(self.src, "content", "en", "virtualisation", "x007.md")
        search = os.path.join(self.site, "en", "search")
        before = set(os.listdir(search))
        self.assertNotIn("t-z.json", before)
        body = read(p)
        for step, text in enumerate([body.replace("word", "Zabbix word", 1), body]):
            write(p, text)
            r = self.build("--timings")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertRegex(r.stderr, r"search index en: patched: 1 page changed")
            self.assert_like_clean()
            names = set(os.listdir(search))
            self.assertEqual(names, before | {"t-z.json"} if step == 0 else before)
            with open(os.path.join(search, "meta.json"), encoding="utf-8") as f:
                self.assertEqual("z" in json.load(f)["shards"], step == 0)

    def test_a_patch_that_would_reshard_writes_the_index_whole(self):
        """A shard that would split (or join another) is never patched in."""
        for i in range(60):
            write(os.path.join(self.src, "content", "en", "virtualisation", "x%03d.md" % i),
                  "---\ntitle: Page %d\n---\n\n%s\n" % (i, " ".join("zz%d" % ((i * 13 + k) % 500) for k in range(300))))
        self.assertEqual(self.build().returncode, 0)
        p = os.path.join(self.src, "content", "en", "virtualisation", "x003.md")
        # many long new words sharing a prefix no shard has: a new shard, or one split
        write(p, read(p) + "\n" + " ".join("qqqq%dwordy" % k for k in range(3000)) + "\n")
        r = self.build("--timings")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stderr, r"search index en: written whole \(not patched: (a shard would split, or join "
                                   r"another|an average field length)")
        self.assert_like_clean()

    def test_no_previous_site_is_kept_without_the_cache(self):
        for _ in range(2):
            self.assertEqual(run("build", "--source", self.src, "--out", self.site, "--quiet", "--no-cache").returncode,
                             0)
        self.assertFalse(os.path.exists(self.prev()))

    def test_previous_site_touched_is_not_used(self):
        elsewhere = self.path("elsewhere")
        outside = self.path("outside.html")
        for how in ("appended", "appended apart", "removed", "added", "file link", "folder link", "folder", "gone"):
            with self.subTest(how=how):
                for d in (self.site, self.prev(), self.cache, elsewhere):
                    shutil.rmtree(d, ignore_errors=True)
                os.makedirs(elsewhere)
                write(outside, "outside")
                for i in range(2):
                    self.edit_body("\nBefore %s %d.\n" % (how, i))
                    self.assertEqual(self.build().returncode, 0)
                kept = os.stat(self.prev()).st_ino
                page = os.path.join(self.prev(), "fr", "virtualisation", "lxc", "index.html")
                if how == "appended":  # a page both sites share (one inode): the live one's too
                    with open(page, "a") as f:
                        f.write("<!-- by hand -->")
                elif how == "appended apart":  # the page the last build changed: the kept site's own file
                    with open(os.path.join(self.prev(), "fr", "virtualisation", "kvm", "index.html"), "a") as f:
                        f.write("<!-- by hand -->")
                elif how == "removed":
                    os.remove(page)
                elif how == "added":
                    write(os.path.join(os.path.dirname(page), "extra.html"), "extra")
                elif how == "file link":
                    os.remove(page)
                    os.symlink(outside, page)
                elif how == "folder link":
                    shutil.rmtree(os.path.dirname(page))
                    os.symlink(elsewhere, os.path.dirname(page))
                elif how == "folder":
                    os.chmod(os.path.dirname(page), 0o700)
                    os.chmod(os.path.dirname(page), 0o755)  # its change time moved: not as recorded
                else:
                    shutil.rmtree(self.prev())
                self.edit_body("\nAfter %s.\n" % how)
                r = self.build()
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertNotEqual(os.stat(self.site).st_ino, kept)  # made whole, not from it
                self.assert_like_clean()
                self.assertEqual(os.listdir(elsewhere), [])
                self.assertEqual(read(outside), "outside")
                self.edit_body("\nAnd again.\n")  # and kept again, whole
                self.assertEqual(self.build().returncode, 0)
                self.assert_like_clean()

    def test_live_page_folder_touched_is_seen_once_the_site_is_kept(self):
        """The live site's page folders are not looked at (20,000 stat calls at 10,000 articles): the
        new site is made from the kept one's folders, which are.  A file added by hand in one is seen
        by the build after, once that site is the kept one: not made from, never published."""
        for i in range(3):
            self.edit_body("\nBefore %d.\n" % i)
            self.assertEqual(self.build().returncode, 0)
        extra = os.path.join(self.site, "fr", "virtualisation", "lxc", "extra.html")
        write(extra, "by hand")
        kept = os.stat(self.prev()).st_ino
        self.edit_body("\nAfter.\n")
        self.assertEqual(self.build().returncode, 0)
        self.assertEqual(os.stat(self.site).st_ino, kept)  # made from the kept site: its folders looked at
        self.assert_like_clean()
        self.assertTrue(os.path.exists(os.path.join(self.prev(), "fr", "virtualisation", "lxc", "extra.html")))
        kept = os.stat(self.prev()).st_ino
        self.edit_body("\nAnd again.\n")
        self.assertEqual(self.build().returncode, 0)
        self.assertNotEqual(os.stat(self.site).st_ino, kept)  # that site, kept now, is not as recorded
        self.assert_like_clean()
        self.edit_body("\nOnce more.\n")  # and kept again, whole
        self.assertEqual(self.build().returncode, 0)
        self.assert_like_clean()

    def test_sitemap_is_linked_while_its_entries_are_the_same(self):
        """A body edit changes no sitemap entry: the live site's sitemap files are linked into the new
        site, not made again; a date, a page or the number of URLs a file holds changes them."""
        kvm = os.path.join(self.src, "content", "fr", "virtualisation", "kvm.md")
        for max_urls in ("", "5"):  # one file; a sitemap index and its parts
            with self.subTest(max_urls=max_urls):
                env = {"PHARE_CACHE_KEY": KEY, "PHARE_SITEMAP_MAX_URLS": max_urls}
                build = lambda: run("build", "--source", self.src, "--out", self.site, "--cache", "--quiet", env=env)
                files = lambda: sorted(n for n in os.listdir(self.site) if n.startswith("sitemap"))
                inodes = lambda: [os.stat(os.path.join(self.site, n)).st_ino for n in files()]
                for i in range(2):
                    self.edit_body("\nBefore %s %d.\n" % (max_urls, i))
                    self.assertEqual(build().returncode, 0)
                self.assertEqual(len(files()), 1 if not max_urls else 5)
                before = inodes()
                self.edit_body("\nAfter %s.\n" % max_urls)
                self.assertEqual(build().returncode, 0)
                self.assertEqual(inodes(), before)  # the same files, linked
                day = "2025-11-0%d" % (len(max_urls) + 1)
                write(kvm, re.sub(r"updated: \S+", "updated: " + day, read(kvm), count=1))  # its lastmod
                self.assertEqual(build().returncode, 0)
                self.assertTrue(all(a != b for a, b in zip(inodes(), before)))  # each made again
                self.assertIn("<lastmod>%s</lastmod>" % day, "".join(read(os.path.join(self.site, n)) for n in files()))
                clean = self.path("clean")
                shutil.rmtree(clean, ignore_errors=True)
                self.assertEqual(run("build", "--source", self.src, "--out", clean, "--quiet", "--no-cache",
                                     env=env).returncode, 0)
                d = subprocess.run(["diff", "-r", self.site, clean], capture_output=True, text=True)
                self.assertEqual(d.returncode, 0, d.stdout[:2000])

    def test_records_file_as_the_last_build_left_it_is_not_hashed_again(self):
        """The records (62 MB at 10,000 articles × 2) are hashed only when their file is not, by its stat
        fields, the one the last build left, settled (its times a clock tick before that build looked at
        it: PHARE_CACHE_RACY_NS says how long, for these small sites built in milliseconds)."""
        records = lambda: os.path.join(self.cache, [f for f in os.listdir(self.cache) if f.startswith("pages-")][0])
        said = lambda r: [l for l in r.stderr.splitlines() if "build cache records:" in l]
        settled = {"PHARE_CACHE_KEY": KEY, "PHARE_CACHE_RACY_NS": "0"}
        build = lambda env: run("build", "--source", self.src, "--out", self.site, "--cache", "--timings", env=env)
        self.assertEqual(build(settled).returncode, 0)
        self.edit_body("\nOne.\n")
        r = build(settled)
        self.assertEqual(said(r), ["  build cache records: as the last build left them (by their file's stat "
                                   "fields), not hashed"], r.stderr)
        self.edit_body("\nTwo.\n")  # racy: written within the window of the last build's look at it
        r = build({"PHARE_CACHE_KEY": KEY, "PHARE_CACHE_RACY_NS": str(3600 * 10 ** 9)})
        self.assertEqual(said(r), ["  build cache records: each checked against its hash"], r.stderr)
        self.assert_like_clean()
        for how in ("flipped", "flipped, its time put back"):
            with self.subTest(how=how):
                self.edit_body("\nBefore %s.\n" % how)
                self.assertEqual(build(settled).returncode, 0)
                p = records()
                st = os.stat(p)
                data = bytearray(open(p, "rb").read())
                for i in range(1, 8):  # bytes of live records, whatever the dead ones appended between
                    data[len(data) * i // 8] ^= 0x40
                open(p, "r+b").write(data)
                if how.endswith("back"):  # same size and time, other bytes: its change time moved
                    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
                self.edit_body("\nAfter %s.\n" % how)
                r = build(settled)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(said(r), ["  build cache records: each checked against its hash"], r.stderr)
                lines = [l for l in r.stderr.splitlines() if CACHE_LINE in l and ": note: " in l]
                self.assertEqual(len(lines), 1, r.stderr)
                self.assertIn("records file is corrupted; building every page", lines[0])
                self.assert_like_clean()

    def test_each_cache_file_truncated_flipped_removed(self):
        for kind in ("index", "pages-", "words-"):
            for how in ("truncated", "flipped", "removed"):
                with self.subTest(file=kind, damage=how):
                    self.damage(kind, how)

    def damage(self, kind, how):
        shutil.rmtree(self.cache, ignore_errors=True)
        self.assertEqual(self.build().returncode, 0)
        self.edit_body("\nEdit before damage %s %s.\n" % (kind, how))
        p = os.path.join(self.cache, [f for f in os.listdir(self.cache) if f.startswith(kind)][0])
        data = open(p, "rb").read()
        if how == "truncated":
            open(p, "wb").write(data[: len(data) // 2])
        elif how == "flipped":
            i = len(data) // 3
            open(p, "wb").write(data[:i] + bytes([data[i] ^ 0x40]) + data[i + 1:])
        else:
            os.remove(p)
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = [l for l in r.stderr.splitlines() if CACHE_LINE in l]
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertIn("building every page", lines[0])
        self.assert_like_clean()
        r = self.build("--timings")  # and the cache is whole again
        self.assertIn("nothing changed since the last build", r.stderr)

    def test_other_options_rebuild_silently(self):
        self.assertEqual(self.build().returncode, 0)
        r = self.build("--drafts", "--timings")
        self.assertNotIn(CACHE_LINE + " ", r.stderr.replace("build cache:", ""))
        self.assertIn("0 article pages reused", r.stderr)
        clean = self.path("clean")
        run("build", "--source", self.src, "--out", clean, "--quiet", "--no-cache", "--drafts")
        d = subprocess.run(["diff", "-r", self.site, clean], capture_output=True, text=True)
        self.assertEqual(d.returncode, 0, d.stdout[:2000])

    def test_a_cache_under_another_key_is_never_trusted(self):
        """A pull request may ship .phare/cache and a site beside it: made
        under a key that is not this machine's, nothing of it is used."""
        self.assertEqual(self.build(key=OTHER_KEY).returncode, 0)
        page = os.path.join(self.site, "fr", "virtualisation", "lxc", "index.html")  # not edited below
        os.chmod(page, 0o644)
        with open(page, "a") as f:  # what the stranger would want reused
            f.write("<p>planted</p>")
        self.edit_body("\nA line from the pull request.\n")
        r = self.build("--timings")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = [l for l in r.stderr.splitlines() if CACHE_LINE in l and "key" in l]
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertIn("not written with this machine's key", lines[0])
        self.assertIn("0 article pages reused", r.stderr)
        self.assertNotIn("planted", read(page))
        self.assert_like_clean()
        r = self.build("--timings")  # rewritten under this key: trusted again
        self.assertIn("nothing changed since the last build", r.stderr)

    def test_key_file_is_made_outside_the_source_folder(self):
        state = self.path("state")
        env = {"PHARE_CACHE_KEY": "", "XDG_STATE_HOME": state}
        r = run("build", "--source", self.src, "--out", self.site, "--cache", env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        key = os.path.join(state, "phare", "phare-cache-key")
        self.assertEqual(os.stat(key).st_size, 32)
        self.assertEqual(os.stat(key).st_mode & 0o777, 0o600)
        self.assertEqual(os.stat(os.path.dirname(key)).st_mode & 0o777, 0o700)
        r = run("build", "--source", self.src, "--out", self.site, "--cache", "--timings", env=env)
        self.assertIn("nothing changed since the last build", r.stderr)
        inside = {"PHARE_CACHE_KEY": "", "XDG_STATE_HOME": os.path.join(self.src, "state")}
        self.edit_body("\nOne more line.\n")
        r = run("build", "--source", self.src, "--out", self.site, "--cache", "--timings", env=inside)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("its key would be kept inside the source folder", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.src, "state", "phare", "phare-cache-key")))
        self.assert_like_clean()
        r = self.build(key="12ab")
        self.assertIn("PHARE_CACHE_KEY is not 64 hexadecimal digits", r.stderr)

    def test_cache_of_another_version_is_said(self):
        self.assertEqual(self.build().returncode, 0)
        p = os.path.join(self.cache, "index")
        data = bytearray(open(p, "rb").read())
        at = data.index(b"\n") + 1  # "phare-cache N\n", then the version's hash (generator/build/cache.c)
        data[at:at + 8] = (int.from_bytes(data[at:at + 8], "little") ^ 1).to_bytes(8, "little")
        signed = len(data) - 32  # the checksum, then the HMAC-SHA-256 (cache.c)
        data[signed - 8:signed] = cache_hash(bytes(data[:signed - 8])).to_bytes(8, "little")
        data[signed:] = hmac.new(bytes.fromhex(KEY), bytes(data[:signed]), hashlib.sha256).digest()
        open(p, "wb").write(bytes(data))
        self.assert_edit_rebuilt_as_another_version(".phare/cache/index: note: the build cache was made by "
                                                    "another version of phare; building every page")

    def assert_edit_rebuilt_as_another_version(self, said):
        """An edit, then a build that says the cache's index ends with said, once, and is like a clean one."""
        self.edit_body("\nAnother line.\n")
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = [l for l in r.stderr.splitlines() if CACHE_LINE in l]
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertTrue(lines[0].endswith(said), lines[0])
        self.assert_like_clean()

    def test_cache_of_another_format_is_said_as_another_version(self):
        self.assertEqual(self.build().returncode, 0)
        p = os.path.join(self.cache, "index")
        data = open(p, "rb").read()
        end = data.index(b"\n")  # "phare-cache N": a phare of another format wrote it
        open(p, "wb").write(data[:end - 1] + bytes([data[end - 1] ^ 1]) + data[end:])
        self.assert_edit_rebuilt_as_another_version("the build cache was made by another version of phare; "
                                                    "building every page")

    def test_failed_incremental_build_leaves_the_previous_site(self):
        self.assertEqual(self.build().returncode, 0)
        before = self.path("before")
        shutil.copytree(self.site, before)
        self.edit_body("\nA [broken link](nowhere.md).\n")
        r = self.build()
        self.assertNotEqual(r.returncode, 0)
        d = subprocess.run(["diff", "-r", self.site, before], capture_output=True, text=True)
        self.assertEqual(d.returncode, 0, d.stdout[:2000])
        p = os.path.join(self.src, "content", "fr", "virtualisation", "kvm.md")
        write(p, read(p).replace("A [broken link](nowhere.md).", "Fixed."))
        self.assertEqual(self.build().returncode, 0)
        self.assert_like_clean()


class CacheInterrupted(TempDirTest):
    """A build killed at any moment leaves a whole site, old or new."""

    def setUp(self):
        self.tmp = scratch()

    def test_killed_incremental_builds(self):
        src = self.path("src")
        files = {"content/site.yaml": "title: { fr: Aide }\nbase_url: /\ndefault_language: fr\n"
                 "languages:\n  - { code: fr, name: Français }\n"}
        for i in range(300):
            files["content/fr/s%d/a%d.md" % (i % 6, i)] = "---\ntitle: A%d\n---\n%s\n" % (i, "Text. " * 200)
        phare_test.write_tree(src, files)
        site, clean = self.path("site"), self.path("clean")
        self.assertEqual(run("build", "--source", src, "--out", site, "--cache", "--quiet").returncode, 0)
        rng = random.Random(SEED)
        for attempt in range(6):
            old = self.path("old")
            shutil.rmtree(old, ignore_errors=True)
            shutil.copytree(site, old)
            p = os.path.join(src, "content/fr/s1/a%d.md" % (rng.randrange(50) * 6 + 1))
            write(p, read(p) + "\nEdit %d.\n" % attempt)
            proc = subprocess.Popen([phare_test.PHARE, "build", "--source", src, "--out", site, "--cache", "--quiet"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.0, 0.15))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            shutil.rmtree(clean, ignore_errors=True)
            run("build", "--source", src, "--out", clean, "--quiet", "--no-cache")
            same_old = subprocess.run(["diff", "-rq", site, old], capture_output=True).returncode == 0
            same_new = subprocess.run(["diff", "-rq", site, clean], capture_output=True).returncode == 0
            self.assertTrue(same_old or same_new, "attempt %d: a mixed site" % attempt)
            self.assertEqual(run("build", "--source", src, "--out", site, "--cache", "--quiet").returncode, 0)
            d = subprocess.run(["diff", "-r", site, clean], capture_output=True, text=True)
            self.assertEqual(d.returncode, 0, d.stdout[:2000])


def fnv1a_hex(data):
    """An article's revision (util/hash.c: FNV-1a, 64 bits, of the whole file)."""
    h = 0xcbf29ce484222325
    for c in data:
        h = ((h ^ c) * 0x100000001b3) & M64
    return "%016x" % h


class Opens:
    """The names of the files opened in folder d from now until names() (inotify's IN_OPEN)."""

    IN_OPEN = 0x20

    def __init__(self, d):
        libc = ctypes.CDLL(None, use_errno=True)
        self.fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0 or libc.inotify_add_watch(self.fd, d.encode(), self.IN_OPEN) < 0:
            raise OSError(ctypes.get_errno(), "inotify")

    def names(self):
        out = []
        try:
            while True:
                try:
                    data = os.read(self.fd, 65536)
                except BlockingIOError:
                    return out
                at = 0
                while at < len(data):
                    _, _, _, n = struct.unpack_from("iIII", data, at)
                    out.append(data[at + 16:at + 16 + n].rstrip(b"\0").decode())
                    at += 16 + n
        finally:
            os.close(self.fd)


class CacheModelRecords(TempDirTest):
    """The model records: an article source the stat cache says unchanged is
    restored from its record, neither read nor parsed, and the build says
    and makes what a clean build does."""

    setUp, build, assert_like_clean, edit_body = (CacheFiles.setUp, CacheFiles.build, CacheFiles.assert_like_clean,
                                                  CacheFiles.edit_body)

    def folder(self, *name):
        return os.path.join(self.src, "content", "fr", "virtualisation", *name)

    def test_unchanged_article_sources_are_not_read_again(self):
        time.sleep(2.1)  # older than the racy window (cache_sources.c's CACHE_RACY_NS): the stat cache trusts them
        self.assertEqual(self.build().returncode, 0)
        self.edit_body("\nOne more line.\n")
        watch = Opens(self.folder())
        r = self.build("--timings")
        opened = set(watch.names())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("kvm.md", opened)  # the one edited is read
        self.assertEqual(opened & {"lxc.md", "vps.md", "lxc-vs-kvm.md"}, set())
        self.assert_like_clean()

    def test_front_matter_warnings_of_unchanged_articles_are_said_as_a_clean_build_says_them(self):
        for name, key in (("lxc.md", "auteur"), ("vps.md", "titel")):
            write(self.folder(name), set_field(read(self.folder(name)), key, "x"))
        first = self.build()
        self.assertEqual(first.returncode, 0, first.stderr)
        self.edit_body("\nOne more line.\n")
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        clean = run("build", "--source", self.src, "--out", self.path("clean"), "--no-cache")
        warnings = lambda text: [l for l in text.splitlines() if ": warning: " in l]
        self.assertGreaterEqual(len([l for l in warnings(clean.stderr) if "front matter key" in l]), 2)
        self.assertEqual(warnings(first.stderr), warnings(clean.stderr))
        self.assertEqual(warnings(r.stderr), warnings(clean.stderr))
        self.assert_like_clean()

    def test_a_model_record_flipped_is_said_and_every_page_built(self):
        self.assertEqual(self.build().returncode, 0)
        # an English text's revision: no translation_of names it
        with open(os.path.join(self.src, "content", "en", "virtualisation", "lxc.md"), "rb") as f:
            revision = fnv1a_hex(f.read()).encode()
        self.edit_body("\nOne more line.\n")
        p = os.path.join(self.cache, [f for f in os.listdir(self.cache) if f.startswith("pages-")][0])
        data = bytearray(open(p, "rb").read())
        self.assertEqual(data.count(revision), 1)  # in that file's model record
        data[data.find(revision)] ^= 0x40
        open(p, "wb").write(bytes(data))
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = [l for l in r.stderr.splitlines() if CACHE_LINE in l]
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertIn("records file is corrupted; building every page", lines[0])
        self.assert_like_clean()


if __name__ == "__main__":
    unittest.main()

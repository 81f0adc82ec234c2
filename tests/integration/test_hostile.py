"""Hostile source trees, tests/hostile/: what a stranger's pull request can
put under the source folder, built the way CI builds it (issue 15).

Each case is a folder laid over tests/bad/_base/ (symbolic links are laid as
links: git stores them, and they are committed as such); a make.py in it
makes what git cannot hold or what is too big to commit (FIFOs, sockets,
odd file names, a 2 GiB sparse file, 200,000 files, 10,000 nested folders).
Beside the source folder lie a canary file and a folder outside/ holding
canary articles and images, and the command's environment holds the canary
too.  For every case, `phare build` and `phare check`:
- exit with the expected status and print the expected message
  (tests/hostile/expectations: case, status, regex searched in stderr);
- never let the canary reach the output folder (file contents or names),
  stdout or stderr;
- leave the previous output as it was when they fail;
- finish within TIMEOUT and, outside the sanitizers, under 1 GiB.
Then the output folder's own hazards (a --out that is a link, links left in
an earlier output) and `phare serve` with a link added while it serves."""
import hashlib
import os
import re
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

from phare_test import PHARE, ROOT, SANITIZE, load_expectations

HOSTILE = os.path.join(ROOT, "tests", "hostile")
BASE = os.path.join(ROOT, "tests", "bad", "_base")
TIMEOUT = 60  # a case takes well under 10 s here; the sanitizers are slower
MAX_RSS = 1 << 30


EXPECT = load_expectations(os.path.join(HOSTILE, "expectations"))
CASES = sorted(n for n in os.listdir(HOSTILE) if os.path.isdir(os.path.join(HOSTILE, n)))


def lay(top, dst):
    """Copies the tree top over dst, links as links (replacing what they land on)."""
    for d, dirs, files in os.walk(top):
        rel_dir = os.path.relpath(d, top)
        for name in dirs + files:
            p = os.path.join(d, name)
            q = os.path.normpath(os.path.join(dst, rel_dir, name))
            if os.path.islink(p):
                if os.path.isdir(q) and not os.path.islink(q):
                    shutil.rmtree(q)
                elif os.path.lexists(q):
                    os.remove(q)
                os.makedirs(os.path.dirname(q), exist_ok=True)
                os.symlink(os.readlink(p), q)
            elif name in files and name != "make.py":
                os.makedirs(os.path.dirname(q), exist_ok=True)
                shutil.copyfile(p, q)
        dirs[:] = [n for n in dirs if not os.path.islink(os.path.join(d, n))]


def plant_canary(work, canary):
    """The canary beside the source folder: a file, and a folder of articles,
    images and templates that links from the case point at."""
    with open(os.path.join(work, "canary.txt"), "w") as f:
        f.write("title: %s\n" % canary)
    out = os.path.join(work, "outside")
    os.makedirs(os.path.join(out, "partials"))
    with open(os.path.join(out, "canary.md"), "w") as f:
        f.write("---\ntitle: %s\n---\n%s\n" % (canary, canary))
    for name in ("canary.png", "canary.yaml", "canary.lua", "partials/footer.mustache"):
        with open(os.path.join(out, name), "w") as f:
            f.write(canary + "\n")


def remove(path):
    """rm -rf: shutil.rmtree recurses in Python, and some cases nest 10,000 folders."""
    subprocess.run(["rm", "-rf", path], check=True, timeout=TIMEOUT * 5)


def tree_digest(root):
    out = {}
    for d, dirs, files in os.walk(root):
        for name in dirs + files:
            p = os.path.join(d, name)
            rel = os.path.relpath(p, root)
            if os.path.islink(p):
                out[rel] = "link:" + os.readlink(p)
            elif os.path.isfile(p):
                with open(p, "rb") as f:
                    out[rel] = hashlib.sha256(f.read()).hexdigest()
    return out


def canary_in_tree(root, canary):
    """Where canary appears under root: in a file's bytes or in a name."""
    found = []
    c = canary.encode()
    for d, dirs, files in os.walk(root):
        for name in dirs + files:
            p = os.path.join(d, name)
            if canary in name:
                found.append(p)
            if name in files and os.path.isfile(p) and not os.path.islink(p):
                with open(p, "rb") as f:
                    if c in f.read():
                        found.append(p)
    return found


def run(args, cwd, env):
    """(exit status, stdout, stderr, seconds, max RSS in bytes) of phare args."""
    start = time.monotonic()
    p = subprocess.Popen([PHARE] + args, cwd=cwd, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    try:
        out, err = p.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        raise
    # the largest of every child so far: an upper bound of this one
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
            time.monotonic() - start, ru.ru_maxrss * 1024)


class Shape(unittest.TestCase):
    def test_every_case_has_an_expectation(self):
        self.assertEqual(sorted(EXPECT), CASES, "tests/hostile/ folders and tests/hostile/expectations differ")

    def test_links_are_committed_as_links(self):
        out = subprocess.run(["git", "ls-files", "-s", "tests/hostile"], cwd=ROOT, capture_output=True,
                             text=True).stdout
        if not out:
            self.skipTest("not a git checkout")
        links = [l for l in out.splitlines() if l.startswith("120000 ")]
        self.assertGreaterEqual(len(links), 10, "the link cases must be committed as symbolic links")


class HostileTrees(unittest.TestCase):
    """One test per case and command, generated below."""

    @classmethod
    def setUpClass(cls):
        # tmpfs where there is one: making and removing 200,000 files on a
        # loaded disk takes minutes, in memory a few seconds
        shm = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
        cls.tmp = tempfile.mkdtemp(prefix="phare-hostile-", dir=shm)
        cls.good_out = os.path.join(cls.tmp, "good")
        # in place: --no-cache, so that no cache is written into tests/bad/_base (copied by every case)
        r = subprocess.run([PHARE, "build", "--source", ".", "--out", cls.good_out, "--no-cache"], cwd=BASE,
                           capture_output=True, text=True, timeout=TIMEOUT)
        if r.returncode != 0:
            raise AssertionError("tests/bad/_base does not build: " + r.stderr)
        cls.good = tree_digest(cls.good_out)
        cls.max_seconds = {}

    @classmethod
    def tearDownClass(cls):
        remove(cls.tmp)
        if os.environ.get("PHARE_HOSTILE_TIMINGS"):
            for k, v in sorted(cls.max_seconds.items(), key=lambda kv: -kv[1][0]):
                print("  %-36s %6.2f s %6.0f MiB" % (k, v[0], v[1] / 2**20), file=sys.stderr)

    def check_case(self, case):
        status, regex = EXPECT[case]
        canary = "CANARY" + secrets.token_hex(12)
        work = tempfile.mkdtemp(prefix=case + "-", dir=self.tmp)
        src, out = os.path.join(work, "src"), os.path.join(work, "out")
        plant_canary(work, canary)
        shutil.copytree(BASE, src)
        lay(os.path.join(HOSTILE, case), src)
        make = os.path.join(HOSTILE, case, "make.py")
        if os.path.exists(make):
            subprocess.run([sys.executable, make, src], check=True, timeout=TIMEOUT)
        shutil.copytree(self.good_out, out)  # the previous build, into which this one goes
        env = dict(os.environ, PHARE_CANARY=canary, SECRET_TOKEN=canary)
        for command, args in (("build", ["build", "--source", ".", "--out", out]),
                              ("check", ["check", "--source", "."])):
            with self.subTest(command=command):
                self.run_one(case, command, args, src, env, status, regex, canary)
        self.assertEqual(canary_in_tree(out, canary), [], "%s: the canary reached the output" % case)
        if status != 0:
            self.assertEqual(tree_digest(out), self.good, "%s: a failed build changed the output" % case)
        remove(work)

    def run_one(self, case, command, args, src, env, status, regex, canary):
        try:
            code, stdout, err, secs, rss = run(args, src, env)
        except subprocess.TimeoutExpired:
            self.fail("%s: phare %s did not finish in %d s" % (case, command, TIMEOUT))
        self.max_seconds["%s %s" % (case, command)] = (secs, rss)
        self.assertNotIn("Sanitizer", err)
        self.assertNotIn("runtime error", err)
        self.assertGreaterEqual(code, 0, "%s: phare %s died of signal %d\n%s" % (case, command, -code, err))
        self.assertEqual(code, status, "%s: phare %s exit status\n%s" % (case, command, err[-3000:]))
        self.assertRegex(err, regex, "%s: phare %s message" % (case, command))
        self.assertNotIn(canary, stdout + err, "%s: the canary reached what phare %s printed" % (case, command))
        if not SANITIZE:
            self.assertLess(rss, MAX_RSS, "%s: phare %s used %d MiB" % (case, command, rss >> 20))


def _case_test(case):
    return lambda self: self.check_case(case)


for _case in CASES:
    setattr(HostileTrees, "test_" + _case.replace("-", "_"), _case_test(_case))


class LinkInsideWorks(unittest.TestCase):
    def test_the_linked_file_is_published(self):
        with tempfile.TemporaryDirectory() as work:
            src, out = os.path.join(work, "src"), os.path.join(work, "out")
            shutil.copytree(BASE, src)
            lay(os.path.join(HOSTILE, "link-inside-works"), src)
            r = subprocess.run([PHARE, "build", "--source", src, "--out", out], capture_output=True, text=True,
                               timeout=TIMEOUT)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(os.path.join(src, "content/fr/reseau/schema.png"), "rb") as f:
                want = f.read()
            for lang in ("fr", "en"):
                with open(os.path.join(out, lang, "reseau/schema.png"), "rb") as f:
                    self.assertEqual(f.read(), want, lang)
                self.assertFalse(os.path.islink(os.path.join(out, lang, "reseau/schema.png")))


class RulesCommands(unittest.TestCase):
    """phare rules test / run read rules files under --source the same way."""

    def test_rules_test_and_run_refuse_links_out(self):
        work = tempfile.mkdtemp(prefix="phare-hostile-rules-")
        self.addCleanup(remove, work)
        canary = "CANARY" + secrets.token_hex(12)
        plant_canary(work, canary)
        src = os.path.join(work, "src")
        shutil.copytree(BASE, src)
        os.symlink("../../outside/canary.lua", os.path.join(src, "rules", "evil.lua"))
        env = dict(os.environ, PHARE_CANARY=canary)
        for args in (["rules", "test"], ["rules", "run", "rules/evil.lua", "q=a"]):
            code, out, err, _, _ = run(args, src, env)
            self.assertEqual(code, 1, err)
            self.assertIn("rules/evil.lua: error: a symbolic link to '../../outside/canary.lua', outside the source "
                          "folder", err)
            self.assertNotIn(canary, out + err)


class OutputFolder(unittest.TestCase):
    """The output folder is the operator's, but its default lies in the source
    folder (site/), and an earlier run may have left links in it."""

    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="phare-hostile-out-")
        self.src = os.path.join(self.work, "src")
        shutil.copytree(BASE, self.src)
        self.victim = os.path.join(self.work, "victim")
        os.makedirs(self.victim)
        with open(os.path.join(self.victim, "phare-manifest.tsv"), "w") as f:
            f.write("not to be touched\n")

    def tearDown(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def test_out_that_is_a_link_is_refused(self):
        os.symlink(self.victim, os.path.join(self.src, "site"))  # committed by the pull request
        before = tree_digest(self.victim)
        r = subprocess.run([PHARE, "build", "--source", self.src], capture_output=True, text=True, timeout=TIMEOUT)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"site: error: the output folder is a symbolic link \(to '.*victim'\), and "
                                   r"phare does not write through links")
        self.assertEqual(tree_digest(self.victim), before)
        self.assertTrue(os.path.islink(os.path.join(self.src, "site")))

    def test_links_left_in_an_earlier_output_are_not_written_through(self):
        out = os.path.join(self.work, "out")
        r = subprocess.run([PHARE, "build", "--source", self.src, "--out", out], capture_output=True, text=True,
                           timeout=TIMEOUT)
        self.assertEqual(r.returncode, 0, r.stderr)
        # links where the next build writes a page, a folder and the manifest
        shutil.rmtree(os.path.join(out, "fr", "reseau"))
        os.symlink(self.victim, os.path.join(out, "fr", "reseau"))
        os.remove(os.path.join(out, "robots.txt"))
        os.symlink(os.path.join(self.victim, "phare-manifest.tsv"), os.path.join(out, "robots.txt"))
        before = tree_digest(self.victim)
        r = subprocess.run([PHARE, "build", "--source", self.src, "--out", out], capture_output=True, text=True,
                           timeout=TIMEOUT)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(tree_digest(self.victim), before)
        self.assertFalse(os.path.islink(os.path.join(out, "fr", "reseau")))
        self.assertFalse(os.path.islink(os.path.join(out, "robots.txt")))
        self.assertTrue(os.path.isfile(os.path.join(out, "fr", "reseau", "dns", "index.html")))

    def test_cache_and_kept_site_planted_by_the_tree_are_not_written_through(self):
        """The build cache is on by default: a pull request may ship .phare/ and the site phare
        keeps beside the default output (.site.phare-prev/, inside the source folder). Links
        there are never written through, and the build goes on (tests/integration/test_build_cache.py
        checks that a cache under another key is never trusted)."""
        at = lambda rel: os.path.join(self.src, rel)
        manifest = os.path.join(self.victim, "phare-manifest.tsv")
        plants = {
            ".phare": lambda: os.symlink(self.victim, at(".phare")),
            ".phare/cache": lambda: (os.makedirs(at(".phare")), os.symlink(self.victim, at(".phare/cache"))),
            ".site.phare-prev": lambda: os.symlink(self.victim, at(".site.phare-prev")),
            ".site.phare-prev/fr": lambda: (os.makedirs(at(".site.phare-prev")),
                                            os.symlink(self.victim, at(".site.phare-prev/fr")),
                                            os.symlink(manifest, at(".site.phare-prev/phare-manifest.tsv"))),
        }
        for name, plant in plants.items():
            with self.subTest(plant=name):
                shutil.rmtree(self.src)
                shutil.copytree(BASE, self.src)
                plant()
                before = tree_digest(self.victim)
                for i in range(3):  # made, kept beside it, then patched from it
                    with open(at("content/fr/reseau/dns.md"), "a") as f:
                        f.write("\nEdit %d.\n" % i)
                    r = subprocess.run([PHARE, "build", "--source", self.src], capture_output=True, text=True,
                                       timeout=TIMEOUT)
                    self.assertEqual(r.returncode, 0, r.stderr)
                    self.assertEqual(tree_digest(self.victim), before)
                    self.assertTrue(os.path.isfile(at("site/fr/reseau/dns/index.html")))
                links = [os.path.join(d, n) for d, dirs, files in os.walk(at("site")) for n in dirs + files
                         if os.path.islink(os.path.join(d, n))]
                self.assertEqual(links, [])

    def test_serve_state_folder_that_is_a_link_is_refused(self):
        os.symlink(self.victim, os.path.join(self.src, ".phare"))
        before = tree_digest(self.victim)
        r = subprocess.run([PHARE, "serve", "--source", self.src, "--port", "0"], capture_output=True, text=True,
                           timeout=TIMEOUT)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"\.phare: error: phare serve's working folder is a symbolic link")
        self.assertEqual(tree_digest(self.victim), before)


class ServeLinkAdded(unittest.TestCase):
    """A link out added while phare serve runs: the rebuild refuses it, open
    pages hear of the error, and the canary is served nowhere."""

    def test_link_added_while_serving(self):
        from test_serve import Server
        work = tempfile.mkdtemp(prefix="phare-hostile-serve-")
        self.addCleanup(remove, work)
        canary = "CANARY" + secrets.token_hex(12)
        plant_canary(work, canary)
        src = os.path.join(work, "src")
        shutil.copytree(BASE, src)
        s = Server(src)
        try:
            ev = s.events()
            try:
                ev.wait_for("hello")
                os.symlink("../../../../canary.txt", os.path.join(src, "content/fr/reseau/canary.txt"))
                data = ev.wait_for("error")
            finally:
                ev.close()
            self.assertRegex(data, r"content/fr/reseau/canary\.txt: error: a symbolic link to "
                                   r"'\.\./\.\./\.\./\.\./canary\.txt', outside the source folder")
            self.assertNotIn(canary, data)
            for path in ("fr/", "fr/reseau/canary.txt", "fr/reseau/dns/"):
                status, _, body = s.request(s.base + path)
                self.assertNotIn(canary.encode(), body, path)
            self.assertEqual(canary_in_tree(os.path.join(src, ".phare"), canary), [])
        finally:
            self.assertEqual(s.stop(), 0)
        self.assertNotIn(canary, s.stderr)
        self.assertIn("content/fr/reseau/canary.txt: error: a symbolic link", s.stderr)


if __name__ == "__main__":
    unittest.main()

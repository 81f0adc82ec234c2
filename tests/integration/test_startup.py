"""Start-up (issue 9): libmicrohttpd (and gnutls with it), SQLite and
libstemmer are opened only by the commands that use them (util/dynlib.h);
without one of them those commands say what to install, and the others do
not need it."""
import os
import shutil
import subprocess
import tempfile
import unittest

from phare_test import PHARE, ROOT, TempDirTest, run

LAZY_LIBS = ("libmicrohttpd", "libgnutls", "libsqlite3", "libstemmer")


def loaded_libraries(*args):
    """The shared objects the dynamic loader opened for `phare ARGS`."""
    r = run(*args, env={"LD_DEBUG": "libs"})
    return r, [line for line in r.stderr.splitlines() if "calling init:" in line]


def library_path(soname_prefix):
    """The file the loader opens for soname_prefix.so.N (from ldconfig's cache)."""
    out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        name, _, path = line.strip().partition(" => ")
        if name.startswith(soname_prefix + ".so.") and os.path.exists(path):
            return os.path.realpath(path)
    return None


class VersionTest(unittest.TestCase):
    def test_version_loads_none_of_the_lazy_libraries(self):
        r, inits = loaded_libraries("version")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(inits, "LD_DEBUG=libs printed nothing: %r" % r.stderr[:500])
        for lib in LAZY_LIBS:
            self.assertFalse([l for l in inits if lib in l], "phare version loaded %s" % lib)

    def test_build_loads_the_stemmer_only(self):
        with tempfile.TemporaryDirectory() as tmp:
            r, inits = loaded_libraries("build", "--source", ROOT, "--out", os.path.join(tmp, "site"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue([l for l in inits if "libstemmer" in l], "\n".join(inits))
        for lib in ("libmicrohttpd", "libsqlite3"):
            self.assertFalse([l for l in inits if lib in l], "phare build loaded %s" % lib)


class Hidden(TempDirTest):
    """A library hidden (a /dev/null bound over it in a mount namespace of
    the test's own), as on a machine where it is not installed."""

    LIB = "libmicrohttpd"

    def hidden_run(self, *args):
        lib = library_path(self.LIB)
        if not lib or not shutil.which("unshare"):
            self.skipTest("no libmicrohttpd in ldconfig's cache, or no unshare")
        probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True)
        if probe.returncode != 0:
            self.skipTest("cannot make a mount namespace here: %s" % probe.stderr.decode().strip())
        script = 'mount --bind /dev/null "$1" && shift && exec "$@"'
        return subprocess.run(["unshare", "--mount", "sh", "-c", script, "sh", lib, PHARE, *args],
                              capture_output=True, text=True, timeout=60)


class WithoutLibmicrohttpdTest(Hidden):
    LIB = "libmicrohttpd"

    def assert_says_what_to_install(self, r):
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("phare: error: cannot load libmicrohttpd", r.stderr)
        self.assertIn("apt-get install libmicrohttpd12", r.stderr)

    def test_collect_says_what_to_install(self):
        r = self.hidden_run("collect", "--db", self.path("votes.db"), "--site", self.tmp,
                            "--listen", "127.0.0.1:0")
        self.assert_says_what_to_install(r)
        self.assertFalse(os.path.exists(self.path("votes.db")), "the database was made anyway")

    def test_serve_says_what_to_install(self):
        r = self.hidden_run("serve", "--source", self.tmp, "--port", "0")
        self.assert_says_what_to_install(r)
        self.assertFalse(os.path.exists(self.path(".phare")), "serve built anyway")

    def test_version_does_not_need_it(self):
        r = self.hidden_run("version")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith("phare "), r.stdout)


class WithoutLibstemmerTest(Hidden):
    LIB = "libstemmer"

    def test_build_says_what_to_install_and_writes_nothing(self):
        out = self.path("site")
        r = self.hidden_run("build", "--source", ROOT, "--out", out)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("phare: error: cannot load libstemmer", r.stderr)
        self.assertIn("needed by the search index", r.stderr)
        self.assertIn("apt-get install libstemmer0d", r.stderr)
        self.assertEqual(len([l for l in r.stderr.splitlines() if "error:" in l]), 1, r.stderr)
        self.assertFalse(os.path.exists(out), "the build wrote anyway")
        self.assertEqual([n for n in os.listdir(self.tmp) if "phare-tmp" in n], [])

    def test_rules_do_not_need_it(self):
        r = self.hidden_run("rules", "tree", os.path.join(ROOT, "rules", "choose-virtualization.lua"))
        self.assertEqual(r.returncode, 0, r.stderr)


class WithoutSqliteTest(Hidden):
    LIB = "libsqlite3"

    def test_feedback_report_says_what_to_install(self):
        r = self.hidden_run("feedback", "report", "--db", self.path("votes.db"))
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("phare: error: cannot load libsqlite3", r.stderr)
        self.assertIn("apt-get install libsqlite3-0", r.stderr)

    def test_collect_says_what_to_install_and_makes_no_database(self):
        built = run("build", "--source", ROOT, "--out", self.path("site"), "--quiet")
        self.assertEqual(built.returncode, 0, built.stderr)
        r = self.hidden_run("collect", "--db", self.path("votes.db"), "--site", self.path("site"),
                            "--listen", "127.0.0.1:0")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("phare: error: cannot load libsqlite3", r.stderr)
        self.assertFalse(os.path.exists(self.path("votes.db")))

    def test_build_does_not_need_it(self):
        r = self.hidden_run("build", "--source", ROOT, "--out", self.path("site"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.exists(self.path("site", "index.html")))


if __name__ == "__main__":
    unittest.main()

"""Start-up (issue 9): libmicrohttpd, and gnutls with it, is opened only by
the commands that serve; without it they say what to install, and the other
commands do not need it."""
import os
import shutil
import subprocess
import unittest

from phare_test import PHARE, TempDirTest, run

SERVER_LIBS = ("libmicrohttpd", "libgnutls")


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
    def test_version_loads_no_server_library(self):
        r, inits = loaded_libraries("version")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(inits, "LD_DEBUG=libs printed nothing: %r" % r.stderr[:500])
        for lib in SERVER_LIBS:
            self.assertFalse([l for l in inits if lib in l], "phare version loaded %s" % lib)


class WithoutLibmicrohttpdTest(TempDirTest):
    """libmicrohttpd hidden (a /dev/null bound over it in a mount namespace
    of the test's own), as on a machine where it is not installed."""

    def hidden_run(self, *args):
        lib = library_path("libmicrohttpd")
        if not lib or not shutil.which("unshare"):
            self.skipTest("no libmicrohttpd in ldconfig's cache, or no unshare")
        probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True)
        if probe.returncode != 0:
            self.skipTest("cannot make a mount namespace here: %s" % probe.stderr.decode().strip())
        script = 'mount --bind /dev/null "$1" && shift && exec "$@"'
        return subprocess.run(["unshare", "--mount", "sh", "-c", script, "sh", lib, PHARE, *args],
                              capture_output=True, text=True, timeout=60)

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


if __name__ == "__main__":
    unittest.main()

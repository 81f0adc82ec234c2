"""The inputs of tests/pathological/ (made by make-inputs at test time, each
at the 256 KiB article limit, in the shapes of cmark-gfm's 2023 CVEs): each
builds, or is refused with the message of tests/pathological/expectations,
within 10 s (40 s under the sanitizers), never crashing.  Times go to stderr:
measured, not asserted below the limit (`make bench` prints them too)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

from phare_test import PHARE, ROOT, SANITIZE

HERE = os.path.join(ROOT, "tests", "pathological")
BASE = os.path.join(ROOT, "tests", "bad", "_base")
LIMIT = 40 if SANITIZE else 10


def load_expectations():
    out = {}
    with open(os.path.join(HERE, "expectations"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split(None, 2)
            if len(parts) < 2 or parts[1] not in ("0", "1") or (parts[1] == "1") != (len(parts) == 3):
                raise ValueError("tests/pathological/expectations:%d: want 'name 0' or 'name 1 regex'" % n)
            out[parts[0]] = (int(parts[1]), re.compile(parts[2], re.M) if len(parts) == 3 else None)
    return out


class Pathological(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="phare-patho-")
        cls.inputs = os.path.join(cls.tmp, "inputs")
        subprocess.run([sys.executable, os.path.join(HERE, "make-inputs"), cls.inputs], check=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_every_input_has_an_expectation(self):
        made = sorted(n[:-3] for n in os.listdir(self.inputs))
        self.assertEqual(made, sorted(load_expectations()))

    def test_inputs_at_the_size_limit(self):
        for name in sorted(os.listdir(self.inputs)):
            self.assertLessEqual(os.path.getsize(os.path.join(self.inputs, name)), 256 * 1024, name)

    def test_each_builds_or_is_refused_in_time(self):
        times = []
        for name, (status, regex) in sorted(load_expectations().items()):
            with self.subTest(name):
                src, out = os.path.join(self.tmp, "src"), os.path.join(self.tmp, "out")
                shutil.rmtree(src, ignore_errors=True)
                shutil.rmtree(out, ignore_errors=True)
                shutil.copytree(BASE, src)
                shutil.copy(os.path.join(self.inputs, name + ".md"),
                            os.path.join(src, "content", "fr", "reseau", "dns.md"))
                start = time.monotonic()
                try:
                    r = subprocess.run([PHARE, "build", "--source", ".", "--out", out], cwd=src,
                                       capture_output=True, timeout=LIMIT)
                except subprocess.TimeoutExpired:
                    self.fail("%s: no answer in %d s" % (name, LIMIT))
                secs = time.monotonic() - start
                err = r.stderr.decode("utf-8", "replace")
                self.assertNotIn("Sanitizer", err, name)
                self.assertEqual(r.returncode, status, "%s: %s" % (name, err[-2000:]))
                if regex:
                    self.assertRegex(err, regex, name)
                    self.assertEqual(err.count(": error: "), 1, err)  # printed once
                times.append((secs, name, r.returncode))
        print("\n  pathological Markdown at 256 KiB (%s):" % PHARE, file=sys.stderr)
        for secs, name, code in sorted(times, reverse=True):
            print("    %-36s %6.2f s  exit %d" % (name, secs, code), file=sys.stderr)


if __name__ == "__main__":
    unittest.main()

"""Helpers shared by the integration tests: run the phare binary, make
content trees in temporary folders, read built pages."""
import os
import re
import shutil
import subprocess
import tempfile
import textwrap
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PHARE = os.path.join(ROOT, os.environ.get("PHARE", "build/phare"))
SANITIZE = bool(os.environ.get("PHARE_SANITIZE"))


def run(*args, cwd=None, timeout=120, env=None):
    """Runs phare with args; returns CompletedProcess (text)."""
    e = dict(os.environ)
    if env:
        e.update(env)
    return subprocess.run([PHARE, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=e)


def load_expectations(path):
    """{case: (status, compiled regex)} from an expectations file of lines
    'case  status  regex' (tests/bad/, tests/hostile/); # starts a comment."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split(None, 2)
            if len(parts) != 3:
                raise ValueError("%s:%d: want 'case status regex'" % (os.path.relpath(path, ROOT), n))
            out[parts[0]] = (int(parts[1]), re.compile(parts[2], re.M))
    return out


def write_tree(root, files):
    """files: {relative path: text}; text is dedented."""
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(textwrap.dedent(text).lstrip("\n") if isinstance(text, str) else text)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


class TempDirTest(unittest.TestCase):
    """A test case with self.tmp, a fresh folder removed afterwards."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="phare-test-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

"""The bad-input corpus, tests/bad/: every case must give its exact message
(file:line:col), its exit status (or HTTP status), never crash or hang, and
leave the previous build untouched.

Site cases are folders laid over tests/bad/_base/ (a small two-language site
with a table, a questionnaire and links); a make.py in the folder writes the
inputs too big for git (10 MB lines, bombs).  Each builds the good site into
an output folder first, then the broken one into the same --out, and compares
the trees.  HTTP cases (http-*/request.http) are raw requests sent to one
`phare collect` of the built base site; none may store a vote.
Expectations: tests/bad/expectations (case, status, message regex)."""
import hashlib
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from phare_test import PHARE, ROOT, SANITIZE

BAD = os.path.join(ROOT, "tests", "bad")
BASE = os.path.join(BAD, "_base")
TIMEOUT = 60  # generous: every case takes well under a second, the slowest a few


def load_expectations():
    """{case: (status, regex)} from tests/bad/expectations."""
    out = {}
    with open(os.path.join(BAD, "expectations"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split(None, 2)
            if len(parts) != 3:
                raise ValueError("tests/bad/expectations:%d: want 'case status regex'" % n)
            out[parts[0]] = (int(parts[1]), re.compile(parts[2], re.M))
    return out


EXPECT = load_expectations()
CASES = sorted(n for n in os.listdir(BAD) if os.path.isdir(os.path.join(BAD, n)) and not n.startswith("_"))


def tree_digest(root):
    """{relative path: sha256} of every file under root."""
    out = {}
    for d, _, files in os.walk(root):
        for name in files:
            p = os.path.join(d, name)
            with open(p, "rb") as f:
                out[os.path.relpath(p, root)] = hashlib.sha256(f.read()).hexdigest()
    return out


def build(src, out):
    start = time.monotonic()
    r = subprocess.run([PHARE, "build", "--source", ".", "--out", out], cwd=src, capture_output=True,
                       timeout=TIMEOUT)
    err = r.stderr.decode("utf-8", "replace")
    # With --source . phare names files under content/ as "content/…" but
    # templates/ and files refused for their size as "./…": one spelling here.
    err = re.sub(r"(?m)^\./", "", err)
    return r.returncode, err, time.monotonic() - start


def lay_case(case, src):
    """Copies the case's files over src, and runs its make.py."""
    top = os.path.join(BAD, case)
    for d, _, files in os.walk(top):
        for name in files:
            p = os.path.join(d, name)
            rel = os.path.relpath(p, top)
            if rel == "make.py":
                subprocess.run([sys.executable, p, src], check=True, timeout=TIMEOUT)
                continue
            os.makedirs(os.path.dirname(os.path.join(src, rel)), exist_ok=True)
            shutil.copyfile(p, os.path.join(src, rel))


class CorpusShape(unittest.TestCase):
    def test_every_case_has_an_expectation(self):
        self.assertEqual(sorted(EXPECT), CASES, "tests/bad/ folders and tests/bad/expectations differ")

    def test_at_least_forty_cases(self):
        self.assertGreaterEqual(len(CASES), 40)


class BadSites(unittest.TestCase):
    """One test per site case, generated below."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="phare-bad-")
        cls.good_out = os.path.join(cls.tmp, "good")
        code, err, _ = build(BASE, cls.good_out)
        if code != 0:
            raise AssertionError("tests/bad/_base does not build: " + err)
        cls.good = tree_digest(cls.good_out)
        cls.timings = {}

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)
        if os.environ.get("PHARE_BAD_TIMINGS"):
            for case, t in sorted(cls.timings.items(), key=lambda kv: -kv[1]):
                print("  %-30s %.2f s" % (case, t), file=sys.stderr)

    def check_case(self, case):
        status, regex = EXPECT[case]
        work = tempfile.mkdtemp(prefix=case + "-", dir=self.tmp)
        src, out = os.path.join(work, "src"), os.path.join(work, "out")
        shutil.copytree(BASE, src)
        shutil.copytree(self.good_out, out)  # the previous build, into which the bad one goes
        lay_case(case, src)
        try:
            code, err, secs = build(src, out)
        except subprocess.TimeoutExpired:
            self.fail("%s: phare build hung (no answer in %d s)" % (case, TIMEOUT))
        self.timings[case] = secs
        self.assertNotIn("Sanitizer", err)
        self.assertNotIn("runtime error", err)
        self.assertGreaterEqual(code, 0, "%s: phare build died of signal %d\n%s" % (case, -code, err))
        self.assertEqual(code, status, "%s: exit status\n%s" % (case, err[-3000:]))
        self.assertRegex(err, regex, "%s: message" % case)
        if status != 0:
            self.assertEqual(tree_digest(out), self.good, "%s: a failed build changed the output" % case)
        shutil.rmtree(work, ignore_errors=True)


def _site_test(case):
    return lambda self: self.check_case(case)


for _case in CASES:
    if not _case.startswith("http-"):
        setattr(BadSites, "test_" + _case.replace("-", "_"), _site_test(_case))


class BadRequests(unittest.TestCase):
    """One test per HTTP case, against one collector of the built base site."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="phare-bad-http-")
        site = os.path.join(cls.tmp, "site")
        code, err, _ = build(BASE, site)
        if code != 0:
            raise AssertionError("tests/bad/_base does not build: " + err)
        cls.db = os.path.join(cls.tmp, "votes.db")
        cls.errf = open(os.path.join(cls.tmp, "collect.err"), "w")
        cls.proc = subprocess.Popen([PHARE, "collect", "--db", cls.db, "--site", site, "--listen",
                                     "127.0.0.1:0", "--max-per-minute", "0", "--timeout", "5"],
                                    stdout=subprocess.PIPE, stderr=cls.errf, text=True)
        box = []
        t = threading.Thread(target=lambda: box.append(cls.proc.stdout.readline()), daemon=True)
        t.start()
        t.join(20)
        line = box[0] if box else ""
        m = re.search(r"127\.0\.0\.1:(\d+)", line)
        if not m:
            cls.proc.kill()
            cls.proc.wait(10)
            raise AssertionError("phare collect did not start: %r" % line)
        cls.port = int(m.group(1))

    @classmethod
    def tearDownClass(cls):
        cls.proc.terminate()
        try:
            cls.proc.wait(20)
        except subprocess.TimeoutExpired:
            cls.proc.kill()
            cls.proc.wait(10)
        cls.errf.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def send(self, data):
        """Sends raw bytes; returns (status, body), (None, b'') when closed unanswered."""
        out = b""
        with socket.create_connection(("127.0.0.1", self.port), timeout=15) as s:
            try:
                s.sendall(data)
            except OSError:
                pass  # answered and closed before reading it all
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                try:
                    d = s.recv(65536)
                except OSError:
                    break
                if not d:
                    break
                out += d
        if not out.startswith(b"HTTP/1."):
            return None, b""
        head, _, body = out.partition(b"\r\n\r\n")
        return int(head.split()[1]), body

    def check_case(self, case):
        status, regex = EXPECT[case]
        with open(os.path.join(BAD, case, "request.http"), "rb") as f:
            data = f.read()
        code, body = self.send(data)
        self.assertIsNone(self.proc.poll(), "%s: phare collect died" % case)
        self.assertEqual(code, status, "%s: HTTP status; body %r" % (case, body[:300]))
        self.assertRegex(body.decode("utf-8", "replace"), regex, "%s: answer" % case)
        db = sqlite3.connect(self.db, timeout=10)
        try:
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for t in tables:
                if "vote" in t:
                    self.assertEqual(db.execute("SELECT count(*) FROM %s" % t).fetchone()[0], 0,
                                     "%s: a refused request stored a vote" % case)
        finally:
            db.close()


def _http_test(case):
    return lambda self: self.check_case(case)


for _case in CASES:
    if _case.startswith("http-"):
        setattr(BadRequests, "test_" + _case.replace("-", "_"), _http_test(_case))


if __name__ == "__main__":
    unittest.main()

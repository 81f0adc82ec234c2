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
import html.parser
import json
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

from phare_test import PHARE, ROOT, SANITIZE, load_expectations

BAD = os.path.join(ROOT, "tests", "bad")
BASE = os.path.join(BAD, "_base")
TIMEOUT = 60  # generous: every case takes well under a second, the slowest a few


EXPECT = load_expectations(os.path.join(BAD, "expectations"))
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


def build(src, out, *extra):
    start = time.monotonic()
    r = subprocess.run([PHARE, "build", "--source", ".", "--out", out, *extra], cwd=src, capture_output=True,
                       timeout=TIMEOUT)
    err = r.stderr.decode("utf-8", "replace")
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
        code, err, _ = build(BASE, cls.good_out, "--no-cache")  # in place: no cache written into tests/bad/_base
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
        code, err, _ = build(BASE, site, "--no-cache")  # in place: no cache written into tests/bad/_base
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


# --- Hostile Markdown: XSS in every place an author writes text --------------

XSS_INLINE = [
    "<script>alert(1)</script>", "<SCRIPT>alert(1)</SCRIPT>", "<ScRiPt src=//evil.example/x.js></ScRiPt>",
    "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>", "<iframe src=javascript:alert(1)></iframe>",
    "<IFRAME SRCDOC='<script>alert(1)</script>'>", "<a href=javascript:alert(1)>a</a>",
    "<object data=data:text/html,x></object>", "<embed src=javascript:alert(1)>",
    "[js](javascript:alert(1))", "[JS](JaVaScRiPt:alert(1))", "[ent](jav&#x61;script:alert(1))",
    "[ent2](&#106;&#97;vascript:alert(1))", "[tab](java\tscript:alert(1))", "[angle](<javascript:alert(1)>)",
    "[vb](vbscript:msgbox(1))", "[data](data:text/html,<script>alert(1)</script>)",
    "[b64](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert(1))", "![img2](data:text/html,<script>alert(1)</script>)",
    "<javascript:alert(1)>", "<JAVASCRIPT:alert(1)>", "<data:text/html,x>",
    "[ref][evil]", "[ref2][evil2]", "[title](https://example.org \"\\\" onmouseover=\\\"alert(1)\")",
    "`</code><script>alert(1)</script>`", "<div onclick=alert(1)>x</div>", "<style>@import 'x'</style>",
]
XSS_BLOCK = """
<script>
alert(1)
</script>

<iframe src="javascript:alert(1)"></iframe>

[evil]: javascript:alert(1) "<script>alert(1)</script>"
[evil2]: jav&#x61;script:alert(1)

# Heading <img src=x onerror=alert(1)> "quoted" ' onmouseover='alert(1)

| a <script>alert(1)</script> | b |
|---|---|
| [x](javascript:alert(1)) | <img src=x onerror=alert(1)> |
"""
XSS_FRONT = ("---\n"
             "title: \"<script>alert(1)</script> \\\" onmouseover=\\\"alert(1)\"\n"
             "description: \"\\\"><img src=x onerror=alert(1)><a href=\\\"javascript:alert(1)\\\">\"\n"
             "tags: [\"<script>alert(1)</script>\", \"javascript:alert(1)\"]\n"
             "---\n")
XSS_CELL = ('"<script>alert(1)</script> [c](javascript:alert(1)) <img src=x onerror=alert(1)> '
            '![i](data:text/html,x)"')
XSS_LUA = r"""
local x = "<script>alert(1)</script><img src=x onerror=alert(1)>[l](javascript:alert(1))"
title { fr = x, en = x, de = x }
intro { fr = x, en = x, de = x }
question "q" {
  text = { fr = x, en = x, de = x }, help = { fr = x, en = x, de = x },
  answers = { { id = "a", fr = x, en = x, de = x }, { id = "b", fr = x, en = x, de = x } },
}
outcome "o1" { text = { fr = x, en = x, de = x }, summary = { fr = x, en = x, de = x } }
outcome "o2" { text = x }
decide(function(a) if a.q == "a" then return "o1", { fr = x, en = x, de = x } end return "o2" end)
"""
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "srcset", "data"}


class XssChecker(html.parser.HTMLParser):
    """Collects what would run in a browser: script elements other than the
    theme's, event-handler attributes, dangerous URL schemes, frames."""

    def __init__(self, base):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.problems = []
        self.in_json = False
        self.json = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            if a.get("type") in ("application/json", "application/ld+json"):  # data, never run
                self.in_json = True
                self.json = ""
            elif not (a.get("src") or "").startswith(self.base + "assets/"):
                self.problems.append("<script %r>" % attrs)
        if tag in ("iframe", "frame", "object", "embed", "base", "style", "svg"):
            self.problems.append("<%s>" % tag)
        if tag == "meta" and "refresh" in (a.get("http-equiv") or "").lower():
            self.problems.append("<meta refresh>")
        for k, v in attrs:
            if k.startswith("on") or k == "srcdoc":
                self.problems.append("%s=%r on <%s>" % (k, v, tag))
            if k in URL_ATTRS and v:
                flat = re.sub(r"[\x00-\x20]", "", v).lower()
                if flat.startswith(DANGEROUS_SCHEMES):
                    self.problems.append("%s=%r on <%s>" % (k, v, tag))

    def handle_endtag(self, tag):
        if tag == "script" and self.in_json:
            self.in_json = False
            try:
                json.loads(self.json)
            except ValueError as e:
                self.problems.append("a JSON <script> that does not parse (%s)" % e)

    def handle_data(self, data):
        if self.in_json:
            self.json += data


class HostileMarkdown(unittest.TestCase):
    """XSS payloads in articles, section and home pages, front matter,
    tables and questionnaires of three languages: none reaches the HTML."""

    def test_no_xss_reaches_the_output(self):
        tmp = tempfile.mkdtemp(prefix="phare-xss-")
        self.addCleanup(shutil.rmtree, tmp, True)
        src = os.path.join(tmp, "src")

        def w(rel, text):
            path = os.path.join(src, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)

        w("content/site.yaml", "title: { fr: Aide, en: Help, de: Hilfe }\nbase_url: /help/\n"
          "default_language: fr\nlanguages:\n  - { code: fr, name: Français }\n"
          "  - { code: en, name: English }\n  - { code: de, name: Deutsch }\n"
          "feedback: { endpoint: /api/feedback }\n")
        body = "\n\n".join(XSS_INLINE) + "\n" + XSS_BLOCK + "\n```table evil\n```\n\n```questionnaire evil\n```\n"
        for lang in ("fr", "en", "de"):
            w("content/%s/_index.md" % lang, XSS_FRONT + body)
            w("content/%s/sec/_index.md" % lang, XSS_FRONT + body)
            w("content/%s/sec/page.md" % lang, XSS_FRONT + body)
        w("content/tables/evil.yaml", "title: %s\ncolumns:\n  - id: a\n    label: %s\n  - id: b\n"
          "    label: { fr: %s, en: %s, de: %s }\nrows:\n  - criterion: %s\n    cells:\n      a: %s\n"
          "      b: { fr: %s, en: %s, de: %s }\n" % ((XSS_CELL,) * 10))
        w("rules/evil.lua", XSS_LUA)
        out = os.path.join(tmp, "out")
        code, err, _ = build(src, out)
        self.assertEqual(code, 0, err)
        pages = 0
        for d, _, files in os.walk(out):
            for name in files:
                if not name.endswith(".html"):
                    continue
                pages += 1
                with open(os.path.join(d, name), encoding="utf-8") as f:
                    text = f.read()
                checker = XssChecker("/help/")
                checker.feed(text)
                checker.close()
                self.assertEqual(checker.problems, [], os.path.relpath(os.path.join(d, name), out))
        self.assertGreaterEqual(pages, 12)
        # The payloads did reach the pages, escaped: the scan had them to see.
        with open(os.path.join(out, "en", "sec", "page", "index.html"), encoding="utf-8") as f:
            self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", f.read())


# --- cmark's pathological inputs at phare's size limit ----------------------

def pathological_bodies(size):
    """Markdown bodies of about size bytes that are slow in some Markdown
    parsers (cmark's test/pathological_tests.py, and the CVEs of 0.30.2)."""
    def rep(s):
        return s * (size // len(s))
    n = size // 16
    return {
        "image-brackets-cve-2023-22486": rep("![[]()"),
        "html-comments-cve-2023-22484": rep("<!--"),
        "inline-html-comments": "a " + rep("<!-- ")[:size - 2],
        "1000-images-and-links": "![" * 1000 + "[]()" * ((size - 2000) // 4),
        "nested-strong-emph": "*a **a " * (n // 2) + "b" + " a** a*" * (n // 2),
        "emph-closers-without-openers": rep("a_ "),
        "emph-openers-without-closers": rep("_a "),
        "link-closers-without-openers": rep("a]"),
        "link-openers-without-closers": rep("[a"),
        "mismatched-openers-closers": rep("*a_ "),
        "nested-brackets": "[" * (size // 2 - 1) + "a" + "]" * (size // 2 - 1),
        "nested-block-quotes": "> " * (size // 2 - 4) + "a",
        "unclosed-links": rep("[a](<b"),
        "unclosed-angle": rep("<a"),
        "backticks": "".join("e" + "`" * i for i in range(1, 700)),
        "reference-collisions": "[x]: u\n" * (size // 8) + "[x]",
        "many-headings": rep("## a\n"),
        "many-links-to-one-anchor": "## a\n" + rep("[x](#a) ")[:size - 8],
    }


class PathologicalMarkdown(unittest.TestCase):
    """Each input, just under the 256 KiB article limit, builds or fails
    cleanly (with file:line:col) within the subprocess timeout; the times go
    to stderr: measured, not asserted."""

    def test_pathological_inputs_at_the_size_limit(self):
        tmp = tempfile.mkdtemp(prefix="phare-patho-")
        self.addCleanup(shutil.rmtree, tmp, True)
        head = "---\ntitle: T\n---\n"
        limit = 256 * 1024 - len(head) - 16
        times = []
        for name, body in pathological_bodies(limit).items():
            with self.subTest(name):
                src, out = os.path.join(tmp, name), os.path.join(tmp, name + "-out")
                shutil.copytree(BASE, src)
                data = (head + body).encode()
                self.assertLessEqual(len(data), 256 * 1024, name)
                with open(os.path.join(src, "content", "fr", "reseau", "dns.md"), "wb") as f:
                    f.write(data)
                try:
                    code, err, secs = build(src, out)
                except subprocess.TimeoutExpired:
                    self.fail("%s: no answer in %d s" % (name, TIMEOUT))
                self.assertIn(code, (0, 1), err[-2000:])
                self.assertNotIn("Sanitizer", err)
                if code:
                    self.assertRegex(err, r"(?m)^content/fr/reseau/dns\.md:\d+:\d+: error: ", name)
                times.append((secs, name, code))
                shutil.rmtree(src, ignore_errors=True)
                shutil.rmtree(out, ignore_errors=True)
        print("\n  pathological Markdown at 256 KiB (%s):" % PHARE, file=sys.stderr)
        for secs, name, code in sorted(times, reverse=True):
            print("    %-32s %6.2f s  exit %d" % (name, secs, code), file=sys.stderr)


if __name__ == "__main__":
    unittest.main()

"""phare collect and phare feedback report, driven over HTTP on a free
loopback port, as the feedback widget (or a browser's plain form) would."""
import concurrent.futures
import http.client
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import unittest
import urllib.parse

from phare_test import PHARE, ROOT, TempDirTest, run

FIXTURE_SITE = os.path.join(ROOT, "tests", "fixtures", "feedback", "site")
LXC = "virtualisation/lxc"


class Collector:
    """A running `phare collect` on 127.0.0.1 with a port it picked itself."""

    def __init__(self, tmp, *args, db="votes.db", site=None, env=None, name="collect"):
        """db: a file name in tmp, or a URI (postgresql://...) as it is."""
        self.db = db if "://" in db else os.path.join(tmp, db)
        self.site = site or FIXTURE_SITE
        self.stderr_path = os.path.join(tmp, name + ".err")
        self.err = open(self.stderr_path, "w")
        self.proc = subprocess.Popen(
            [PHARE, "collect", "--db", self.db, "--site", self.site, "--listen", "127.0.0.1:0", *args],
            stdout=subprocess.PIPE, stderr=self.err, text=True, env=env)
        line = self._first_line(timeout=20)
        if "listening on http://127.0.0.1:" not in line:
            self.proc.kill()
            self.proc.wait(timeout=10)
            raise AssertionError("collector did not start: %r %s" % (line, self.stderr()))
        self.port = int(line.split("127.0.0.1:")[1].split("/")[0])

    def _first_line(self, timeout):
        box = []
        t = threading.Thread(target=lambda: box.append(self.proc.stdout.readline()), daemon=True)
        t.start()
        t.join(timeout)
        return box[0] if box else ""

    def stderr(self):
        if not self.err.closed:
            self.err.flush()
        with open(self.stderr_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def request(self, method, path, body=None, headers=None, timeout=20):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, dict((k.lower(), v) for k, v in r.getheaders()), r.read()
        finally:
            conn.close()

    def vote_form(self, fields, accept="application/json", headers=None):
        h = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        h.update(headers or {})
        return self.request("POST", "/api/feedback", urllib.parse.urlencode(fields, doseq=True), h)

    def vote_json(self, obj, headers=None):
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        return self.request("POST", "/api/feedback", json.dumps(obj, ensure_ascii=False).encode(), h)

    def raw(self, data, timeout=10):
        """Sends raw bytes; returns (status, body) of the answer, or (None, b'') if closed."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        try:
            try:
                s.sendall(data)
            except OSError:
                pass  # the server may answer and close before reading it all
            out = b""
            while b"\r\n\r\n" not in out or len(out) < out.index(b"\r\n\r\n") + 4 + self._length(out):
                try:
                    d = s.recv(65536)
                except OSError:
                    break
                if not d:
                    break
                out += d
        finally:
            s.close()
        if not out.startswith(b"HTTP/1."):
            return None, b""
        head, _, body = out.partition(b"\r\n\r\n")
        return int(head.split()[1]), body

    @staticmethod
    def _length(out):
        head = out.split(b"\r\n\r\n")[0].lower()
        for line in head.split(b"\r\n"):
            if line.startswith(b"content-length:"):
                return int(line.split(b":")[1])
        return 0

    def stop(self):
        """SIGTERM, and the exit status (0 for a clean stop)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait(timeout=10)
        self.proc.stdout.close()
        self.err.close()
        return rc

    def kill9(self):
        self.proc.kill()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()
        self.err.close()


class CollectTest(TempDirTest):
    def start(self, *args, **kw):
        c = Collector(self.tmp, *args, **kw)
        self.addCleanup(lambda: c.proc.poll() is None and c.kill9())
        return c

    def stop_clean(self, c):
        rc = c.stop()
        self.assertEqual(rc, 0, "collector did not stop cleanly: " + c.stderr())

    def report(self, c, *args):
        r = run("feedback", "report", "--db", c.db, *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def db_rows(self, c, sql):
        con = sqlite3.connect("file:%s?mode=ro" % c.db, uri=True, timeout=10)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def test_form_post_redirects_to_the_article(self):
        c = self.start()
        status, h, _ = c.vote_form(
            {"article": LXC, "lang": "fr", "vote": "no", "reason": ["unclear", "incomplete"],
             "comment": "Pas clair\r\nDu tout", "revision": "3f2a9c1b0d4e5f60"},
            accept="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
        self.assertEqual(status, 303)
        self.assertEqual(h["location"], "/help/fr/virtualisation/lxc/?feedback=thanks#feedback-thanks")
        self.stop_clean(c)
        rows = self.db_rows(c, "SELECT article, lang, revision, vote, reason, comment, client, addr_hash FROM votes")
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][:7], (LXC, "fr", "3f2a9c1b0d4e5f60", 0, "incomplete,unclear", "Pas clair\nDu tout", ""))
        self.assertRegex(rows[0][7], "^[0-9a-f]{64}$")
        # The address itself is stored nowhere.
        with open(c.db, "rb") as f:
            self.assertNotIn(b"127.0.0.1", f.read())

    def test_json_post_and_replaced_vote(self):
        c = self.start()
        status, h, body = c.vote_json({"article": LXC, "lang": "en", "vote": "yes", "client": "tok-1",
                                       "extra": {"ignored": [1, 2]}})
        self.assertEqual(status, 201, body)
        self.assertEqual(h["content-type"], "application/json")
        # Without a revision, the article's current one (from the manifest) is used.
        self.assertEqual(json.loads(body), {"ok": True, "replaced": False, "revision": "a1b2c3d4e5f60718"})
        status, _, body = c.vote_json({"article": LXC, "lang": "en", "vote": "no", "client": "tok-1",
                                       "reason": "inaccurate"})
        self.assertEqual(status, 200, body)
        self.assertTrue(json.loads(body)["replaced"])
        # Another revision is another vote.
        status, _, _ = c.vote_json({"article": LXC, "lang": "en", "vote": "yes", "client": "tok-1",
                                    "revision": "0000000000000001"})
        self.assertEqual(status, 201)
        self.stop_clean(c)
        rep = json.loads(self.report(c, "--format", "json"))["articles"]
        self.assertEqual(len(rep), 1)
        self.assertEqual((rep[0]["yes"], rep[0]["no"]), (1, 1))
        revs = {r["revision"]: (r["yes"], r["no"]) for r in rep[0]["revisions"]}
        self.assertEqual(revs, {"a1b2c3d4e5f60718": (0, 1), "0000000000000001": (1, 0)})

    def test_refusals(self):
        c = self.start("--max-per-minute", "0")
        ok = {"article": LXC, "lang": "fr", "vote": "yes"}
        form = "application/x-www-form-urlencoded"
        cases = [
            ("unknown article", 404, dict(ok, article="virtualisation/nope")),
            ("unknown language", 404, dict(ok, lang="de")),
            ("bad vote", 400, dict(ok, vote="maybe")),
            ("missing vote", 400, {"article": LXC, "lang": "fr"}),
            ("missing article", 400, {"lang": "fr", "vote": "yes"}),
            ("comment too long", 400, dict(ok, comment="a" * 1001)),
            ("control character", 400, dict(ok, comment="a\x1bb")),
            ("bad reason", 400, dict(ok, reason="boring")),
            ("bad client", 400, dict(ok, client="x" * 65)),
        ]
        for name, want, fields in cases:
            status, h, body = c.vote_form(fields)
            self.assertEqual(status, want, name)
            self.assertEqual(h["content-type"], "application/json", name)
            self.assertIn("error", json.loads(body), name)
        # Characters, not bytes, are counted: 1000 of 2 bytes pass, 1001 do not.
        self.assertEqual(c.vote_json(dict(ok, comment="é" * 1001))[0], 400)
        self.assertEqual(c.vote_json(dict(ok, comment="é" * 1000))[0], 201)
        raw_cases = [
            ("invalid UTF-8", 400, "POST", form, b"article=virtualisation%2Flxc&lang=fr&vote=no&comment=%FF%FE"),
            ("body over 4 KiB", 413, "POST", form, b"article=virtualisation%2Flxc&lang=fr&vote=no&x=" + b"a" * 5000),
            ("wrong content type", 415, "POST", "text/plain", b"article=a"),
            ("multipart", 415, "POST", "multipart/form-data; boundary=x", b"--x--"),
            ("GET", 405, "GET", None, None),
            ("PUT", 405, "PUT", form, b"a=b"),
            ("bad JSON", 400, "POST", "application/json", b'{"article": '),
        ]
        for name, want, method, ctype, body in raw_cases:
            h = {"Content-Type": ctype} if ctype else {}
            status, rh, rbody = c.request(method, "/api/feedback", body, h)
            self.assertEqual(status, want, name)
            self.assertIn("error", json.loads(rbody), name)
            if want == 405:
                self.assertIn("POST", rh["allow"])
        self.assertEqual(c.request("POST", "/api/feedback", b"article=a", {})[0], 415)  # no Content-Type
        self.assertEqual(c.request("GET", "/nowhere")[0], 404)

        head = b"POST /api/feedback HTTP/1.1\r\nHost: x\r\nContent-Type: " + form.encode() + b"\r\n"
        body = b"article=virtualisation%2Flxc&lang=fr&vote=yes"
        # A 1 GB Content-Length is refused before any of it is sent.
        status, rbody = c.raw(head + b"Content-Length: 1000000000\r\n\r\n")
        self.assertEqual(status, 413)
        self.assertIn(b'"error"', rbody)
        # A chunked body that grows past 4 KiB.
        chunk = b"1000\r\n" + b"a" * 4096 + b"\r\n"
        status, _ = c.raw(head + b"Transfer-Encoding: chunked\r\n\r\n" + chunk * 2 + b"0\r\n\r\n")
        self.assertEqual(status, 413)
        # Two Content-Length headers that disagree (request smuggling).
        status, rbody = c.raw(head + b"Content-Length: %d\r\nContent-Length: %d\r\n\r\n" % (len(body), len(body) + 1) + body)
        self.assertEqual(status, 400)
        self.assertIn(b"Content-Length", rbody)
        # Headers over 16 KiB, and far over (then libmicrohttpd answers itself).
        for size in (17 * 1024, 100 * 1024):
            status, _ = c.raw(head + b"X-Pad: " + b"a" * size + b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
            self.assertEqual(status, 431, size)
        # A POST from another site's page.
        status, _, rbody = c.vote_form(ok, headers={"Origin": "https://evil.example"})
        self.assertEqual(status, 403)
        # Nothing of the above was stored but the 1000-character comment.
        status, _, page = c.request("GET", "/")
        self.assertEqual(status, 200)
        self.assertIn(b'<span id="votes">1</span>', page)
        self.assertIn(b'<span id="articles">3</span>', page)
        self.stop_clean(c)
        self.assertEqual(self.db_rows(c, "SELECT count(*) FROM votes"), [(1,)])

    def test_two_hundred_concurrent_votes(self):
        c = self.start("--max-per-minute", "0")
        n = 200
        barrier = threading.Barrier(n, timeout=60)

        def vote(i):
            barrier.wait()
            status, _, body = c.vote_json({"article": LXC, "lang": "fr", "vote": "yes" if i % 4 else "no",
                                           "client": "client-%d" % i})
            return status

        with concurrent.futures.ThreadPoolExecutor(max_workers=n) as pool:
            statuses = list(pool.map(vote, range(n), timeout=120))
        self.assertEqual(statuses, [201] * n)
        self.stop_clean(c)
        rep = json.loads(self.report(c, "--format", "json"))["articles"]
        self.assertEqual((rep[0]["yes"], rep[0]["no"]), (150, 50))

    def test_kill_9_keeps_every_acknowledged_vote(self):
        c = self.start("--max-per-minute", "0")
        acked, lock, stop = [], threading.Lock(), threading.Event()

        def stream(t):
            for i in range(100000):
                if stop.is_set():
                    return
                client = "t%d-%d" % (t, i)
                try:
                    status, _, _ = c.vote_json({"article": LXC, "lang": "fr", "vote": "no", "client": client},
                                               )
                except (OSError, http.client.HTTPException):
                    return
                if status in (200, 201):
                    with lock:
                        acked.append(client)

        threads = [threading.Thread(target=stream, args=(t,)) for t in range(4)]
        for t in threads:
            t.start()
        for _ in range(600):  # until 60 votes are in, at most 60 s
            with lock:
                if len(acked) >= 60:
                    break
            time.sleep(0.1)
        c.kill9()
        stop.set()
        for t in threads:
            t.join(30)
        self.assertGreaterEqual(len(acked), 60)
        stored = {r[0] for r in self.db_rows(c, "SELECT client FROM votes")}
        self.assertEqual(set(acked) - stored, set())
        # It starts again on the same database.
        c2 = self.start("--max-per-minute", "0")
        self.assertEqual(c2.vote_json({"article": LXC, "lang": "fr", "vote": "yes"})[0], 201)
        self.stop_clean(c2)

    def test_rate_limit(self):
        c = self.start("--max-per-minute", "3")
        ok = {"article": LXC, "lang": "fr", "vote": "yes"}
        self.assertEqual([c.vote_form(ok)[0] for _ in range(3)], [201] * 3)
        status, h, body = c.vote_form(ok, headers={"X-Forwarded-For": "198.51.100.7"})
        self.assertEqual(status, 429)  # X-Forwarded-For from an untrusted peer changes nothing
        self.assertGreaterEqual(int(h["retry-after"]), 1)
        self.assertIn("error", json.loads(body))
        self.stop_clean(c)

        c = self.start("--max-per-minute", "1", "--trust-proxy", "127.0.0.1", db="proxied.db")
        xff = lambda a: {"X-Forwarded-For": "203.0.113.9, " + a}
        self.assertEqual(c.vote_form(ok, headers=xff("198.51.100.1"))[0], 201)
        self.assertEqual(c.vote_form(ok, headers=xff("198.51.100.2"))[0], 201)
        self.assertEqual(c.vote_form(ok, headers=xff("198.51.100.1"))[0], 429)
        self.stop_clean(c)
        hashes = self.db_rows(c, "SELECT DISTINCT addr_hash FROM votes")
        self.assertEqual(len(hashes), 2)

        c = self.start("--max-per-minute", "0", db="unlimited.db")
        self.assertEqual([c.vote_form(ok)[0] for _ in range(40)], [201] * 40)
        self.stop_clean(c)

    def test_allow_origin(self):
        c = self.start()
        self.assertEqual(c.request("OPTIONS", "/api/feedback", None, {"Origin": "https://help.example.com"})[0], 403)
        same = "http://127.0.0.1:%d" % c.port
        status, h, _ = c.vote_form({"article": LXC, "lang": "fr", "vote": "yes"}, headers={"Origin": same})
        self.assertEqual(status, 201)
        self.assertNotIn("access-control-allow-origin", h)
        self.stop_clean(c)

        site = "https://help.example.com"
        c = self.start("--allow-origin", site + "/", db="cors.db")
        status, h, _ = c.request("OPTIONS", "/api/feedback", None,
                                 {"Origin": site, "Access-Control-Request-Method": "POST"})
        self.assertEqual(status, 204)
        self.assertEqual(h["access-control-allow-origin"], site)
        self.assertIn("POST", h["access-control-allow-methods"])
        status, h, _ = c.vote_json({"article": LXC, "lang": "fr", "vote": "yes"}, headers={"Origin": site})
        self.assertEqual(status, 201)
        self.assertEqual(h["access-control-allow-origin"], site)
        # A plain form from that site is sent back to the article there.
        status, h, _ = c.vote_form({"article": LXC, "lang": "fr", "vote": "no"}, accept="text/html",
                                   headers={"Origin": site})
        self.assertEqual(status, 303)
        self.assertEqual(h["location"], site + "/help/fr/virtualisation/lxc/?feedback=thanks#feedback-thanks")
        status, _, _ = c.vote_json({"article": LXC, "lang": "fr", "vote": "yes"},
                                   headers={"Origin": "https://evil.example"})
        self.assertEqual(status, 403)
        self.assertEqual(c.request("OPTIONS", "/api/feedback", None, {"Origin": "https://evil.example"})[0], 403)
        self.stop_clean(c)

    def test_manifest_is_reread_after_a_rebuild(self):
        site = self.path("site")
        shutil.copytree(FIXTURE_SITE, site)
        c = self.start("--max-per-minute", "0", site=site)
        new = {"article": "reseau/vpn", "lang": "en", "vote": "yes"}
        self.assertEqual(c.vote_form(new)[0], 404)
        with open(os.path.join(site, "phare-manifest.tsv"), "a", encoding="utf-8") as f:
            f.write("article\ten\treseau/vpn\t/help/en/reseau/vpn/\t1234567890abcdef\n")
        status, _, body = c.vote_form(new)
        self.assertEqual(status, 201, body)
        self.assertEqual(json.loads(body)["revision"], "1234567890abcdef")
        self.stop_clean(c)

    def test_report_formats(self):
        c = self.start("--max-per-minute", "0")
        votes = [("fr", LXC, "yes")] * 2 + [("fr", LXC, "no")] * 6 + [("en", LXC, "yes")] * 9 + \
                [("en", LXC, "no")] + [("fr", "reseau/dns", "yes")] * 3
        for i, (lang, art, v) in enumerate(votes):
            self.assertEqual(c.vote_json({"article": art, "lang": lang, "vote": v, "client": "c%d" % i})[0], 201)
        for comment, reason in (("premier,\t\"avis\"", "unclear"), ("=SUM(A1)\nsecond", "")):
            self.assertEqual(c.vote_json({"article": LXC, "lang": "fr", "vote": "no", "comment": comment,
                                          "reason": reason})[0], 201)
            time.sleep(1.1)  # distinct seconds: "newest first" is then testable
        self.stop_clean(c)

        rep = json.loads(self.report(c, "--format", "json"))["articles"]
        self.assertEqual([(e["article"], e["lang"], e["yes"], e["no"]) for e in rep],
                         [(LXC, "fr", 2, 8), ("reseau/dns", "fr", 3, 0), (LXC, "en", 9, 1)])
        self.assertAlmostEqual(rep[0]["wilson"], 0.0567, places=3)
        self.assertAlmostEqual(rep[1]["wilson"], 0.4385, places=3)
        self.assertAlmostEqual(rep[2]["wilson"], 0.5958, places=3)
        self.assertAlmostEqual(rep[0]["share"], 0.2)
        self.assertEqual([(r["revision"], r["yes"], r["no"]) for r in rep[0]["revisions"]],
                         [("3f2a9c1b0d4e5f60", 2, 8)])
        self.assertEqual([(x["comment"], x["reason"]) for x in rep[0]["comments"]],
                         [("=SUM(A1)\nsecond", ""), ("premier,\t\"avis\"", "unclear")])
        self.assertRegex(rep[0]["comments"][0]["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

        text = self.report(c)
        self.assertIn("3 articles, 23 votes", text)
        self.assertLess(text.index("virtualisation/lxc [fr]"), text.index("reseau/dns [fr]"))
        self.assertIn("virtualisation/lxc [fr]  yes 2  no 8  20% yes  wilson 0.057", text)
        self.assertIn(": =SUM(A1)\\nsecond\n", text)
        self.assertIn("(unclear): premier,\\t\"avis\"\n", text)

        import csv
        import io
        rows = list(csv.DictReader(io.StringIO(self.report(c, "--format", "csv"), newline="")))
        arts = [(r["article"], r["lang"], r["yes"], r["no"]) for r in rows if r["kind"] == "article"]
        self.assertEqual(arts, [(LXC, "fr", "2", "8"), ("reseau/dns", "fr", "3", "0"), (LXC, "en", "9", "1")])
        comments = [r["comment"] for r in rows if r["kind"] == "comment"]
        self.assertEqual(comments, ["'=SUM(A1)\nsecond", "premier,\t\"avis\""])

        self.assertEqual([e["lang"] for e in json.loads(self.report(c, "--format", "json", "--lang", "en"))["articles"]], ["en"])
        self.assertEqual(json.loads(self.report(c, "--format", "json", "--since", "2999-01-01"))["articles"], [])
        self.assertEqual(len(json.loads(self.report(c, "--format", "json", "--since", "2000-01-01"))["articles"]), 3)

    def test_report_errors(self):
        r = run("feedback", "report", "--db", self.path("missing.db"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("missing.db: error: no feedback database here", r.stderr)
        self.assertFalse(os.path.exists(self.path("missing.db")))
        r = run("feedback", "report", "--db", self.path("x.db"), "--since", "2024-02-30")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--since takes a date", r.stderr)
        r = run("feedback", "report", "--db", self.path("x.db"), "--format", "xml")
        self.assertEqual(r.returncode, 2)

    def test_collect_refuses_a_site_without_manifest(self):
        os.makedirs(self.path("empty"))
        r = run("collect", "--db", self.path("v.db"), "--site", self.path("empty"), "--listen", "127.0.0.1:0",
                timeout=30)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no manifest", r.stderr)
        r = run("collect", "--db", self.path("v.db"), "--site", FIXTURE_SITE, "--listen", "localhost:80", timeout=30)
        self.assertEqual(r.returncode, 1)
        self.assertIn("is not an address to listen on", r.stderr)
        r = run("collect", "--db", self.path("v.db"), "--site", FIXTURE_SITE, "--sync", "sometimes")
        self.assertEqual(r.returncode, 2)

    def test_schema_version_newer_refused_and_health_endpoints(self):
        c = self.start()
        self.assertEqual(c.request("GET", "/healthz")[0], 200)
        self.assertEqual(c.request("GET", "/readyz")[0], 200)
        status, h, body = c.request("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertIn(b"phare_collect_db_connections 1\n", body)
        self.stop_clean(c)
        self.assertEqual(self.db_rows(c, "SELECT value FROM meta WHERE key = 'schema'"), [("2",)])
        con = sqlite3.connect(c.db)
        con.execute("UPDATE meta SET value = '3' WHERE key = 'schema'")
        con.commit()
        con.close()
        r = run("collect", "--db", c.db, "--site", FIXTURE_SITE, "--listen", "127.0.0.1:0", timeout=30)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)
        self.assertIn("schema version '3' is newer than this phare", r.stderr)
        self.assertEqual(run("feedback", "report", "--db", c.db).returncode, 1)

    def test_disk_full_answers_503_then_recovers(self):
        # A real full disk needs a tiny tmpfs (root to mount).  A file-size
        # limit set on the running collector makes its writes fail the same
        # way (EFBIG, which SQLite reports as SQLITE_FULL), then is lifted.
        import resource
        c = self.start("--max-per-minute", "0")
        ok = {"article": LXC, "lang": "fr", "vote": "yes"}
        self.assertEqual(c.vote_json(ok)[0], 201)
        try:
            old = resource.prlimit(c.proc.pid, resource.RLIMIT_FSIZE, (512, resource.RLIM_INFINITY))
        except (OSError, AttributeError) as e:
            self.skipTest("cannot set a file-size limit on the collector: %s" % e)
        statuses = [c.vote_json(dict(ok, client="full-%d" % i))[0] for i in range(3)]
        self.assertEqual(statuses, [503] * 3)
        resource.prlimit(c.proc.pid, resource.RLIMIT_FSIZE, old)
        self.assertEqual(c.vote_json(dict(ok, client="after"))[0], 201)
        self.stop_clean(c)
        clients = sorted(r[0] for r in self.db_rows(c, "SELECT client FROM votes"))
        self.assertEqual(clients, ["", "after"])

if __name__ == "__main__":
    unittest.main()

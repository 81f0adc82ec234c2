"""phare collect and phare feedback on PostgreSQL (issue 20), against a real
throwaway PostgreSQL 15: a cluster made with initdb in a temporary folder,
run as an unprivileged user (PostgreSQL refuses root), listening on a Unix
socket in that folder only, removed afterwards.  Several collectors share it;
the tests kill them, stop the server under load, and check that every
acknowledged vote is stored, once."""
import http.client
import json
import os
import pwd
import re
import shutil
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest

from phare_test import PHARE, ROOT, TempDirTest, run
from test_collect import FIXTURE_SITE, LXC, Collector

PG_BIN = os.environ.get("PHARE_PG_BIN", "/usr/lib/postgresql/15/bin")
PASSWORD = "phare-test-password"


def pg_missing():
    return not all(os.access(os.path.join(PG_BIN, b), os.X_OK) for b in ("initdb", "pg_ctl", "postgres"))


class Postgres:
    """A throwaway cluster: initdb, pg_ctl start/stop, psql."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="phare-pg-")
        self.data = os.path.join(self.root, "data")
        self.sock = os.path.join(self.root, "sock")
        self.log = os.path.join(self.root, "log")
        self.user = None
        if os.geteuid() == 0:  # root: run the server as an unprivileged user
            for name in ("postgres", "nobody"):
                try:
                    self.user = pwd.getpwnam(name)
                    break
                except KeyError:
                    pass
            os.chmod(self.root, 0o755)
        os.makedirs(self.sock)
        pwfile = os.path.join(self.root, "pw")
        with open(pwfile, "w") as f:
            f.write(PASSWORD + "\n")
        if self.user:
            for p in (self.root, self.sock, pwfile):
                os.chown(p, self.user.pw_uid, self.user.pw_gid)
        self.as_user([os.path.join(PG_BIN, "initdb"), "-D", self.data, "-U", "phare", "--pwfile", pwfile,
                      "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        self.start()

    def as_user(self, cmd, check=True):
        if self.user:
            cmd = ["runuser", "-u", self.user.pw_name, "--", *cmd]
        r = subprocess.run(cmd, capture_output=True, text=True, cwd=self.root, timeout=60)
        if check and r.returncode != 0:
            raise AssertionError("%s failed: %s%s" % (cmd, r.stdout, r.stderr))
        return r

    def start(self):
        self.as_user([os.path.join(PG_BIN, "pg_ctl"), "-D", self.data, "-l", self.log, "-w", "-t", "30",
                      "-o", "-k %s -c listen_addresses='' -c max_connections=60" % self.sock, "start"])

    def stop(self, mode="fast"):
        self.as_user([os.path.join(PG_BIN, "pg_ctl"), "-D", self.data, "-m", mode, "-w", "stop"], check=False)

    def uri(self, db):
        return "postgresql://phare@/%s?host=%s" % (db, self.sock)

    def env(self, password=PASSWORD):
        e = dict(os.environ, PGPASSWORD=password, PGPASSFILE=os.path.join(self.root, "no-pgpass"))
        for k in ("PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE"):
            e.pop(k, None)
        return e

    def psql(self, db, sql):
        r = subprocess.run(["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-d", self.uri(db), "-c", sql],
                           capture_output=True, text=True, env=self.env(), timeout=60)
        if r.returncode != 0:
            raise AssertionError("psql: %s" % r.stderr)
        return r.stdout

    def createdb(self, name):
        self.psql("postgres", "CREATE DATABASE %s" % name)
        return self.uri(name)

    def close(self):
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


PG = None


def setUpModule():
    global PG
    if pg_missing():
        if os.environ.get("CI"):
            raise AssertionError("PostgreSQL 15 is not installed in %s; run scripts/install-deps" % PG_BIN)
        raise unittest.SkipTest("PostgreSQL 15 server binaries not found in %s" % PG_BIN)
    PG = Postgres()


def tearDownModule():
    if PG:
        PG.close()


class PgCollector(Collector):
    """A Collector (test_collect.py) on a PostgreSQL URI, with PGPASSWORD;
    with --metrics-listen, reads the port of its second line."""

    def __init__(self, tmp, uri, *args, name="c", site=None):
        super().__init__(tmp, "--max-per-minute", "0", *args, db=uri, env=PG.env(), name=name, site=site)
        self.metrics_port = None
        if "--metrics-listen" in args:
            line = self._first_line(timeout=10)
            self.metrics_port = int(line.split("127.0.0.1:")[1].split("/")[0])


def vote(port, client, article=LXC, lang="fr", yes=True, comment="", conn=None):
    """Posts one vote; returns (status, headers, body); conn may be kept."""
    body = json.dumps({"article": article, "lang": lang, "vote": "yes" if yes else "no",
                       "client": client, "comment": comment})
    c = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        c.request("POST", "/api/feedback", body, {"Content-Type": "application/json"})
        r = c.getresponse()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), r.read()
    finally:
        if not conn:
            c.close()


class Load:
    """Threads voting with unique clients until stopped; remembers which
    votes were acknowledged (201) and what else came back."""

    def __init__(self, ports, prefix, threads=16, limit=None):
        self.ports, self.prefix, self.limit = ports, prefix, limit
        self.acked, self.statuses, self.retry_after = set(), {}, set()
        self.lock = threading.Lock()
        self.stop_flag = threading.Event()
        self.n = 0
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(threads)]
        for t in self.threads:
            t.start()

    def _next(self):
        with self.lock:
            if self.limit is not None and self.n >= self.limit:
                return None
            self.n += 1
            return self.n

    def _run(self, i):
        port = self.ports[i % len(self.ports)]
        while not self.stop_flag.is_set():
            n = self._next()
            if n is None:
                return
            client = "%s-%d" % (self.prefix, n)
            try:
                status, h, _ = vote(port, client)
            except (OSError, http.client.HTTPException):
                status, h = "conn", {}
                time.sleep(0.01)
            with self.lock:
                self.statuses[status] = self.statuses.get(status, 0) + 1
                if status == 201:
                    self.acked.add(client)
                if status == 503 and "retry-after" in h:
                    self.retry_after.add(h["retry-after"])

    def count(self, status):
        with self.lock:
            return self.statuses.get(status, 0)

    def join(self, timeout=120):
        if self.limit is None:
            self.stop_flag.set()
        for t in self.threads:
            t.join(timeout)
        return self


def parse_prometheus(text):
    """{(name, labels): value}; fails on a line that is not the text format."""
    out, types = {}, {}
    sample = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*"'
                        r'(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*")*)?\})? (-?[0-9.e+]+|\+Inf|NaN)$')
    for line in text.splitlines():
        if line.startswith("# HELP "):
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            assert kind in ("counter", "gauge", "histogram", "summary", "untyped"), line
            types[name] = kind
            continue
        m = sample.match(line)
        assert m, "not Prometheus text: %r" % line
        name = m.group(1)
        base = re.sub(r"_(bucket|sum|count)$", "", name)
        assert name in types or base in types, "sample before its TYPE: %r" % line
        out[(name, m.group(3) or "")] = float(m.group(5))
    return out


class PostgresTest(TempDirTest):
    def setUp(self):
        super().setUp()
        self.dbname = "t_" + self.id().rsplit(".", 1)[1][5:40]
        self.uri = PG.createdb(self.dbname)

    def start(self, *args, uri=None, name="c", site=None):
        c = PgCollector(self.tmp, uri or self.uri, *args, name=name, site=site)
        self.addCleanup(lambda: c.proc.poll() is None and c.kill9())
        return c

    def stop_clean(self, c):
        self.assertEqual(c.stop(), 0, c.stderr())

    def rows(self, sql):
        return [l.split("|") for l in PG.psql(self.dbname, sql).splitlines()]

    def clients(self):
        return [r[0] for r in self.rows("SELECT client FROM votes")]

    def report(self, db, *args):
        r = run("feedback", "report", "--db", db, *args, env=PG.env())
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def wait_ready(self, c, want, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            status, _, _ = c.request("GET", "/readyz")
            if status == want:
                return
            time.sleep(0.1)
        self.fail("/readyz never answered %d" % want)

    def test_two_collectors_take_10000_concurrent_votes(self):
        a, b = self.start(name="a"), self.start(name="b")
        load = Load([a.port, b.port], "r", threads=32, limit=10000).join()
        self.assertEqual(load.statuses, {201: 10000})
        clients = self.clients()
        self.assertEqual(len(clients), len(set(clients)), "duplicate votes")
        self.assertEqual(set(clients), load.acked)
        rep = json.loads(self.report(self.uri, "--format", "json"))["articles"]
        self.assertEqual(sum(e["yes"] + e["no"] for e in rep), 10000)
        self.stop_clean(a)
        self.stop_clean(b)

    def test_kill9_of_one_collector_loses_no_acknowledged_vote(self):
        a, b = self.start(name="a"), self.start(name="b")
        load = Load([a.port, b.port], "k", threads=16)
        while load.count(201) < 500:
            time.sleep(0.05)
        a.kill9()
        time.sleep(0.5)
        load.join()
        self.assertGreater(load.count(201), 500)
        stored = set(self.clients())
        self.assertEqual(load.acked - stored, set(), "acknowledged votes lost")
        # b kept voting after a died.
        self.assertEqual(b.request("GET", "/readyz")[0], 200)
        self.stop_clean(b)

    def test_postgres_restart_under_load(self):
        a, b = self.start(name="a"), self.start(name="b")
        load = Load([a.port, b.port], "p", threads=8)
        while load.count(201) < 200:
            time.sleep(0.05)
        PG.stop("fast")
        try:
            end = time.time() + 20
            while load.count(503) < 20 and time.time() < end:
                time.sleep(0.05)
            self.assertGreaterEqual(load.count(503), 20, load.statuses)
            self.assertEqual(load.retry_after, {"2"})
            for c in (a, b):
                status, h, _ = c.request("GET", "/readyz")
                self.assertEqual(status, 503)
                self.assertEqual(c.request("GET", "/healthz")[0], 200)
        finally:
            PG.start()
        before = load.count(201)
        for c in (a, b):
            self.wait_ready(c, 200)
        end = time.time() + 30
        while load.count(201) < before + 200 and time.time() < end:
            time.sleep(0.05)
        load.join()
        self.assertGreaterEqual(load.count(201), before + 200, "no recovery: %s" % load.statuses)
        self.assertIsNone(a.proc.poll())
        self.assertIsNone(b.proc.poll())
        stored = set(self.clients())
        self.assertEqual(load.acked - stored, set(), "acknowledged votes lost")
        m = parse_prometheus(a.request("GET", "/metrics")[2].decode())
        self.assertGreaterEqual(m[("phare_collect_db_reconnects_total", "")], 1)
        self.assertIn("the database does not answer", a.stderr())
        self.stop_clean(a)
        self.stop_clean(b)

    def test_same_reader_through_two_collectors_is_one_vote(self):
        a, b = self.start(name="a"), self.start(name="b")
        status, _, body = vote(a.port, "reader-1", yes=True)
        self.assertEqual(status, 201, body)
        status, _, body = vote(b.port, "reader-1", yes=False)
        self.assertEqual(status, 200, body)
        self.assertTrue(json.loads(body)["replaced"])
        self.assertEqual(self.rows("SELECT client, vote FROM votes"), [["reader-1", "0"]])
        # One salt, made once: the same address hashes alike through both.
        vote(a.port, "reader-2")
        vote(b.port, "reader-3")
        hashes = self.rows("SELECT DISTINCT addr_hash FROM votes")
        self.assertEqual(len(hashes), 1)
        self.assertEqual(self.rows("SELECT count(*) FROM meta WHERE key = 'salt'"), [["1"]])
        self.stop_clean(a)
        self.stop_clean(b)

    def test_migrate_twice_and_same_report(self):
        src = os.path.join(self.tmp, "votes.sqlite")
        c = Collector(self.tmp, "--max-per-minute", "0", db="votes.sqlite")
        for i in range(30):
            status = c.vote_json({
                "article": "reseau/dns" if i % 6 == 1 else LXC, "lang": "fr" if i % 3 else "en",
                "vote": "yes" if i % 4 else "no", "client": "m%d" % i if i % 5 else "",
                "comment": "c, \"%d\"" % i if i % 2 else "",
                **({"revision": "0000000000000001"} if i % 7 == 0 else {})})[0]
            self.assertIn(status, (200, 201))
        self.assertEqual(c.stop(), 0)
        for n, copied in ((1, 30), (2, 0)):
            r = run("feedback", "migrate", "--from", src, "--to", self.uri, env=PG.env())
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout, "%s: 30 votes\n%s: 30 votes (%d copied now, %d there already)\n"
                             % (src, self.uri, copied, 30 - copied), "run %d" % n)
        self.assertEqual(self.rows("SELECT count(*) FROM votes"), [["30"]])
        for fmt in ("text", "csv", "json"):
            self.assertEqual(self.report(self.uri, "--format", fmt), self.report(src, "--format", fmt), fmt)
        self.assertEqual(self.report(self.uri, "--lang", "en"), self.report(src, "--lang", "en"))

    def quiz_site(self):
        """The shipped content built: its questionnaire takes the steps."""
        out = os.path.join(self.tmp, "qsite")
        r = run("build", "--source", ROOT, "--out", out, "--quiet")
        self.assertEqual(r.returncode, 0, r.stderr)
        rev = [l.split("\t")[2] for l in open(os.path.join(out, "phare-manifest.tsv"), encoding="utf-8")
               if l.startswith("questionnaire\tchoose-virtualization\t")][0]
        return out, rev

    def post_steps(self, c, rev):
        """Three visits (one abandoned, one restarted, one with a set) and a bad step."""
        walks = {"a": [("start", "n0"), ("show", "n0"), ("answer", "n0", "own"), ("show", "n1")],
                 "b": [("start", "n0"), ("show", "n0"), ("answer", "n0", "rent"), ("outcome", "n33"),
                       ("restart", "n33"), ("show", "n0"), ("answer", "n0", "rent"), ("outcome", "n33"),
                       ("open", "n33")],
                 "c": [("start", "n6"), ("show", "n6"), ("answer", "n6", "docker,micro"), ("outcome", "n23")]}
        for visit, steps in walks.items():
            for i, (kind, node, *answer) in enumerate(steps):
                f = {"questionnaire": "choose-virtualization", "lang": "fr", "revision": rev, "visit": visit,
                     "seq": str(i), "step": kind, "node": node, **({"answer": answer[0]} if answer else {})}
                status, _, body = c.request("POST", "/api/questionnaire", json.dumps(f),
                                            {"Content-Type": "application/json"})
                self.assertEqual(status, 204, body)
        f["node"] = "n99"
        status, _, body = c.request("POST", "/api/questionnaire", json.dumps(f), {"Content-Type": "application/json"})
        self.assertEqual(status, 404, body)

    def test_questionnaire_steps_same_report_as_sqlite(self):
        site, rev = self.quiz_site()
        pg = self.start(site=site)
        lite = Collector(self.tmp, "--max-per-minute", "0", db="steps.sqlite", site=site, name="lite")
        for c in (pg, lite):
            self.post_steps(c, rev)
        self.stop_clean(pg)
        self.assertEqual(lite.stop(), 0)
        self.assertEqual(self.rows("SELECT count(*) FROM steps"), [["17"]])
        for fmt in ("text", "csv", "json", "html"):
            self.assertEqual(self.report(self.uri, "--format", fmt), self.report(lite.db, "--format", fmt), fmt)
        q = json.loads(self.report(self.uri, "--format", "json"))["questionnaires"][0]
        self.assertEqual((q["visits"], q["completions"], q["restarts"], q["article_opened"]), (3, 2, 1, 1))
        # migrate copies the steps too, twice without a duplicate
        target = PG.createdb(self.dbname + "_m")
        for _ in range(2):
            r = run("feedback", "migrate", "--from", lite.db, "--to", target, env=PG.env())
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("%s: 17 questionnaire steps, copied" % lite.db, r.stdout)
        self.assertEqual(PG.psql(self.dbname + "_m", "SELECT count(*) FROM steps").strip(), "17")
        self.assertEqual(self.report(target, "--format", "json"), self.report(lite.db, "--format", "json"))

    def test_schema_1_upgraded_in_place_with_steps(self):
        site, rev = self.quiz_site()
        c = self.start(site=site)
        self.assertEqual(vote(c.port, "k1")[0], 201)
        self.stop_clean(c)
        PG.psql(self.dbname, "DROP TABLE steps; UPDATE meta SET value = '1' WHERE key = 'schema'")
        r = run("feedback", "report", "--db", self.uri, "--format", "json", env=PG.env())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["questionnaires"], [])
        c = self.start(site=site)
        self.post_steps(c, rev)
        self.stop_clean(c)
        self.assertEqual(self.rows("SELECT value FROM meta WHERE key = 'schema'"), [["2"]])
        self.assertEqual(self.clients(), ["k1"])
        self.assertEqual(self.rows("SELECT count(*) FROM steps"), [["17"]])

    def test_report_is_bytewise_whatever_the_database_collation(self):
        # A database whose collation sorts "a" before "B" (ICU), the same
        # rows in SQLite: the reports must not differ, comments included.
        try:
            PG.psql("postgres", "CREATE DATABASE icu TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"
                    " LOCALE 'C.UTF-8'")
        except AssertionError as e:
            self.skipTest("no ICU collation in this PostgreSQL: %s" % e)
        self.addCleanup(PG.psql, "postgres", "DROP DATABASE icu")
        c = self.start(uri=PG.uri("icu"))
        self.stop_clean(c)
        src = os.path.join(self.tmp, "votes.sqlite")
        sq = Collector(self.tmp, db="votes.sqlite", name="sqlite")
        self.assertEqual(sq.stop(), 0)
        rows = [(1700000000 + i, art, "fr", "r%d" % (i % 2), i % 2, "", "note %d" % i, "", "0" * 64)
                for i, art in enumerate(["B/x", "a/x", "B/x", "_/x", "a/x", "Z/x", "b/x"])]
        con = sqlite3.connect(src)
        con.executemany("INSERT INTO votes(time, article, lang, revision, vote, reason, comment, client,"
                        " addr_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        con.commit()
        con.close()
        values = ",".join("(%d, '%s', '%s', '%s', %d, '%s', '%s', '%s', '%s')" % r for r in rows)
        PG.psql("icu", "INSERT INTO votes(time, article, lang, revision, vote, reason, comment, client,"
                " addr_hash) VALUES " + values)
        for fmt in ("text", "json"):
            self.assertEqual(self.report(PG.uri("icu"), "--format", fmt), self.report(src, "--format", fmt))
        self.assertEqual(self.report(PG.uri("icu")).count("note"), 7)

    def start_fails(self, uri, password=PASSWORD):
        r = subprocess.run([PHARE, "collect", "--db", uri, "--site", FIXTURE_SITE, "--listen", "127.0.0.1:0"],
                           capture_output=True, text=True, env=PG.env(password), timeout=30)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)
        return r.stderr

    def test_bad_uri_wrong_password_missing_database_exit_1(self):
        self.assertIn("not a PostgreSQL URI", self.start_fails("postgresql://phare@[::1/x"))
        self.assertIn("not a PostgreSQL URI", self.start_fails(self.uri + "&nonsense=1"))
        err = self.start_fails(self.uri, password="wrong")
        self.assertIn("password authentication failed", err)
        self.assertIn("PGPASSWORD", err)
        self.assertIn('database "nope" does not exist', self.start_fails(PG.uri("nope")))
        err = self.start_fails("postgresql://phare:%s@/%s?host=%s" % (PASSWORD, self.dbname, PG.sock))
        self.assertIn("holds a password", err)
        self.assertNotIn(PASSWORD, err)

    def test_schema_versioned_and_newer_refused(self):
        c = self.start()
        self.stop_clean(c)
        self.assertEqual(self.rows("SELECT value FROM meta WHERE key = 'schema'"), [["2"]])
        PG.psql(self.dbname, "UPDATE meta SET value = '3' WHERE key = 'schema'")
        err = self.start_fails(self.uri)
        self.assertIn("schema version '3' is newer than this phare", err)
        r = run("feedback", "report", "--db", self.uri, env=PG.env())
        self.assertEqual(r.returncode, 1)

    def test_sync_normal_warns_and_still_stores(self):
        c = self.start("--sync", "normal")
        self.assertEqual(vote(c.port, "s1")[0], 201)
        self.stop_clean(c)
        err = c.stderr()
        self.assertIn("--sync normal", err)
        self.assertIn("synchronous_commit=off", err)
        self.assertEqual(self.clients(), ["s1"])

    def test_metrics_parse_and_match_what_was_sent(self):
        c = self.start("--metrics-listen", "127.0.0.1:0")
        for i in range(7):
            self.assertEqual(vote(c.port, "x%d" % i)[0], 201)
        self.assertEqual(vote(c.port, "x0", yes=False)[0], 200)
        self.assertEqual(vote(c.port, "x9", article="virtualisation/nope")[0], 404)
        for _ in range(3):
            self.assertEqual(c.request("POST", "/api/feedback", "{", {"Content-Type": "application/json"})[0], 400)
        self.assertEqual(c.request("GET", "/api/feedback")[0], 405)
        # /metrics is off the public port; /healthz and /readyz are on both.
        self.assertEqual(c.request("GET", "/metrics")[0], 404)
        self.assertEqual(c.request("GET", "/readyz")[0], 200)
        conn = http.client.HTTPConnection("127.0.0.1", c.metrics_port, timeout=10)
        conn.request("GET", "/metrics")
        r = conn.getresponse()
        text = r.read().decode()
        self.assertEqual(r.status, 200)
        self.assertTrue(r.getheader("Content-Type").startswith("text/plain; version=0.0.4"))
        m = parse_prometheus(text)
        self.assertEqual(m[("phare_collect_votes_accepted_total", "")], 8)
        self.assertEqual(m[("phare_collect_votes_replaced_total", "")], 1)
        refused = {k[1]: v for k, v in m.items() if k[0] == "phare_collect_votes_refused_total"}
        self.assertEqual(refused['reason="unknown_article"'], 1)
        self.assertEqual(refused['reason="invalid"'], 3)
        self.assertEqual(refused['reason="method"'], 1)
        self.assertEqual(sum(refused.values()), 5)
        self.assertEqual(m[("phare_collect_request_duration_seconds_count", "")], 13)
        self.assertEqual(m[("phare_collect_request_duration_seconds_bucket", 'le="+Inf"')], 13)
        self.assertEqual(m[("phare_collect_db_errors_total", "")], 0)
        self.assertGreaterEqual(m[("phare_collect_db_connections", "")], 1)
        self.assertNotIn("virtualisation", text)
        self.assertNotIn("x0", text)
        self.stop_clean(c)


if __name__ == "__main__":
    unittest.main()

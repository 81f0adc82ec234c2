"""Questionnaire analytics (issue 21): what the build publishes for the
collector (the manifest's questionnaire lines, the widget's data-steps), and
POST /api/questionnaire on a real `phare collect`: good steps stored and
counted per visit by `phare feedback report`, bad ones refused like bad
votes (same statuses, one-line JSON errors), floods rate limited, no address
stored, an older database upgraded in place."""
import json
import os
import re
import shutil
import sqlite3
import tempfile
import unittest
import urllib.parse

from phare_test import ROOT, TempDirTest, run
from test_collect import LXC, Collector

Q = "choose-virtualization"
SITE = None
REVISION = None


def setUpModule():
    """The shipped content, built once: its questionnaire is the one posted to."""
    global SITE, REVISION
    SITE = tempfile.mkdtemp(prefix="phare-qsite-")
    r = run("build", "--source", ROOT, "--out", os.path.join(SITE, "site"), "--quiet")
    if r.returncode != 0:
        raise AssertionError(r.stderr)
    SITE = os.path.join(SITE, "site")
    for line in open(os.path.join(SITE, "phare-manifest.tsv"), encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if f[0] == "questionnaire" and f[1] == Q:
            REVISION = f[2]


def tearDownModule():
    shutil.rmtree(os.path.dirname(SITE), ignore_errors=True)


def step(kind, node, visit="v1", seq=0, answer=None, **over):
    f = {"questionnaire": Q, "lang": "fr", "revision": REVISION, "visit": visit, "seq": str(seq),
         "step": kind, "node": node}
    if answer is not None:
        f["answer"] = answer
    f.update(over)
    return {k: v for k, v in f.items() if v is not None}


class QuizTest(TempDirTest):
    def start(self, *args, db="steps.db"):
        c = Collector(self.tmp, *args, db=db, site=SITE)
        self.addCleanup(lambda: c.proc.poll() is None and c.kill9())
        return c

    def post(self, c, fields, as_json=False, headers=None):
        h = {"Content-Type": "application/json" if as_json else "application/x-www-form-urlencoded"}
        h.update(headers or {})
        body = json.dumps(fields).encode() if as_json else urllib.parse.urlencode(fields)
        return c.request("POST", "/api/questionnaire", body, h)

    def walk(self, c, visit, steps):
        for i, (kind, node, *answer) in enumerate(steps):
            status, _, body = self.post(c, step(kind, node, visit, i, *answer))
            self.assertEqual(status, 204, body)

    def report(self, c, *args):
        r = run("feedback", "report", "--db", c.db, *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def quiz(self, c, *args):
        return json.loads(self.report(c, "--format", "json", *args))["questionnaires"]


class Published(QuizTest):
    def test_manifest_and_page_name_the_same_tree(self):
        self.assertRegex(REVISION or "", r"^[0-9a-f]{16}$")
        text = open(os.path.join(SITE, "phare-manifest.tsv"), encoding="utf-8").read()
        self.assertIn("qquestion\t%s\thosting\t1\t1\town,rent\n" % Q, text)
        self.assertIn("qquestion\t%s\tworkloads\t1\t3\tdevtest,micro,many,server,docker\n" % Q, text)
        self.assertIn("qnode\t%s\tn0\thosting\n" % Q, text)
        self.assertIn("qleaf\t%s\tn3\tkvm\tvirtualisation/kvm\n" % Q, text)
        page = open(os.path.join(SITE, "fr", "decide", Q, "index.html"), encoding="utf-8").read()
        self.assertIn('data-revision="%s"' % REVISION, page)
        self.assertIn('data-steps="/api/questionnaire"', page)

    def test_analytics_false_puts_nothing_in_the_pages(self):
        src = self.path("src")
        shutil.copytree(os.path.join(ROOT, "content"), os.path.join(src, "content"))
        shutil.copytree(os.path.join(ROOT, "rules"), os.path.join(src, "rules"))
        with open(os.path.join(src, "content", "site.yaml"), "a", encoding="utf-8") as f:
            f.write("analytics: false\n")
        r = run("build", "--source", src, "--out", self.path("out"), "--quiet")
        self.assertEqual(r.returncode, 0, r.stderr)
        pages = 0
        for d, _, files in os.walk(self.path("out")):
            for name in files:
                if name.endswith(".html"):
                    pages += 1
                    with open(os.path.join(d, name), encoding="utf-8") as f:
                        self.assertNotIn("data-steps", f.read(), os.path.join(d, name))
        self.assertGreater(pages, 20)

    def test_analytics_must_be_a_boolean(self):
        src = self.path("src")
        shutil.copytree(os.path.join(ROOT, "content"), os.path.join(src, "content"))
        with open(os.path.join(src, "content", "site.yaml"), "a", encoding="utf-8") as f:
            f.write("analytics: sometimes\n")
        r = run("build", "--source", src, "--out", self.path("out"), "--quiet")
        self.assertEqual(r.returncode, 1)
        self.assertIn("analytics", r.stderr)


class Steps(QuizTest):
    def test_walks_counted_per_visit(self):
        c = self.start("--max-per-minute", "0")
        # a: own, linux, yes -> kvm, article opened; the same step sent twice counts once
        self.walk(c, "a", [("start", "n0"), ("show", "n0"), ("answer", "n0", "own"), ("show", "n1"),
                           ("answer", "n1", "linux"), ("show", "n2"), ("answer", "n2", "yes"),
                           ("outcome", "n3"), ("open", "n3")])
        self.assertEqual(self.post(c, step("outcome", "n3", "a", 7))[0], 204)
        # b: own, then left at guest_os; sent as JSON
        for i, s in enumerate([("start", "n0"), ("show", "n0"), ("answer", "n0", "own"), ("show", "n1")]):
            self.assertEqual(self.post(c, step(s[0], s[1], "b", i, *s[2:]), as_json=True)[0], 204)
        # c: rent -> vps, restarted, rent -> vps again: one visit, one completion
        self.walk(c, "c", [("start", "n0"), ("show", "n0"), ("answer", "n0", "rent"), ("outcome", "n33"),
                           ("restart", "n33"), ("show", "n0"), ("answer", "n0", "rent"), ("outcome", "n33")])
        # d: a set of two answers at workloads
        self.walk(c, "d", [("start", "n6"), ("show", "n6"), ("answer", "n6", "docker,micro"), ("outcome", "n23")])
        self.assertEqual(c.vote_json({"article": "virtualisation/kvm", "lang": "fr", "vote": "no"})[0], 201)
        self.stop_clean(c)
        qs = self.quiz(c)
        self.assertEqual(len(qs), 1)
        e = qs[0]
        self.assertEqual((e["questionnaire"], e["lang"], e["visits"], e["completions"], e["restarts"],
                          e["article_opened"]), (Q, "fr", 4, 3, 1, 1))
        self.assertEqual([(x["id"], x["shown"], x["answered"], x["dropped"]) for x in e["questions"]],
                         [("hosting", 3, 3, 0), ("guest_os", 2, 1, 1), ("kernel", 1, 1, 0), ("workloads", 1, 1, 0)])
        self.assertEqual({x["id"]: [(a["id"], a["count"]) for a in x["answers"]] for x in e["questions"]},
                         {"hosting": [("own", 2), ("rent", 1)], "guest_os": [("linux", 1)], "kernel": [("yes", 1)],
                          "workloads": [("docker", 1), ("micro", 1)]})
        self.assertEqual([(o["id"], o["reached"], o["opened"], o["article"], o["article_yes"], o["article_no"])
                          for o in e["outcomes"]],
                         [("kvm", 1, 1, "virtualisation/kvm", 0, 1), ("lxc", 1, 0, "virtualisation/lxc", 0, 0),
                          ("vps", 1, 0, "virtualisation/vps", 0, 0)])
        self.assertEqual(self.quiz(c, "--lang", "en"), [])
        text = self.report(c)
        self.assertIn("%s [fr]  visits 4  completed 3 (75%%)  restarts 1  article opened 1" % Q, text)
        self.assertIn("  question guest_os  shown 2  answered 1  dropped 1 (50% of those shown)", text)
        csv = self.report(c, "--format", "csv").replace("\r\n", "\n").split("\n\n")[1].splitlines()
        self.assertEqual(csv[0].split(",")[:6], ["kind", "questionnaire", "lang", "id", "answer", "visits"])
        self.assertIn("question,%s,fr,hosting,,,,,,3,3,0,,,,,," % Q, csv)
        self.assertIn("outcome,%s,fr,kvm,,,,,,,,,,1,1,virtualisation/kvm,0,1" % Q, csv)
        self.assertEqual(len({len(l.split(",")) for l in csv if '"' not in l}), 1, csv)
        html = self.report(c, "--format", "html")
        self.assertIn('data-questionnaire="%s" data-lang="fr" data-visits="4" data-completions="3"' % Q, html)
        self.assertIn('data-question="guest_os" data-shown="2" data-answered="1"', html)

    def test_no_address_stored(self):
        c = self.start()
        self.walk(c, "a", [("start", "n0"), ("show", "n0")])
        self.stop_clean(c)
        con = sqlite3.connect(c.db)
        cols = [r[1] for r in con.execute("PRAGMA table_info(steps)")]
        con.close()
        self.assertEqual(cols, ["id", "time", "questionnaire", "lang", "revision", "visit", "seq", "kind", "node",
                                "question", "answer", "outcome", "article"])
        for f in os.listdir(self.tmp):
            if f.startswith("steps.db"):
                with open(self.path(f), "rb") as fh:
                    self.assertNotIn(b"127.0.0.1", fh.read())

    def test_bad_steps_refused_like_bad_votes(self):
        c = self.start("--max-per-minute", "0")
        cases = [
            (step("show", "n0", questionnaire="nope"), 404, "no questionnaire 'nope' on this site"),
            (step("show", "n0", lang="de"), 404, "has no language 'de'"),
            (step("show", "n99"), 404, "has no node 'n99'"),
            (step("show", "n0", revision="0000000000000000"), 409, "was rebuilt"),
            (step("answer", "n0", answer="maybe"), 400, "answer 'maybe' does not fit node 'n0'"),
            (step("answer", "n0"), 400, "answer '' does not fit"),
            (step("answer", "n0", answer="own,rent"), 400, "does not fit"),
            (step("answer", "n6", answer="micro,docker"), 400, "does not fit"),
            (step("answer", "n6", answer="devtest,docker,many,micro"), 400, "does not fit"),
            (step("answer", "n6", answer="docker,docker"), 400, "does not fit"),
            (step("show", "n0", answer="own"), 400, "does not fit"),
            (step("show", "n3"), 400, "is a result, not a question"),
            (step("outcome", "n0"), 400, "is a question, not a result"),
            (step("open", "n1"), 400, "is a question, not a result"),
            (step("jump", "n0"), 400, "field 'step' must be start, show"),
            (step("show", "0"), 400, "field 'node' must be a node id"),
            (step("show", "n0", seq="-1"), 400, "field 'seq' must be a number"),
            (step("show", "n0", visit="a b"), 400, "field 'visit'"),
            (step("show", "n0", visit=None), 400, "missing field 'visit'"),
            (step("show", "n0", revision=None), 400, "missing field 'revision'"),
            (step("show", "n0", visit="x" * 65), 400, "field 'visit'"),
        ]
        for fields, status, msg in cases:
            got, h, body = self.post(c, fields)
            self.assertEqual(got, status, (fields, body))
            self.assertEqual(h.get("content-type"), "application/json", fields)
            self.assertIn(msg, json.loads(body)["error"], fields)
        big = dict(step("show", "n0"), pad="x" * 5000)
        self.assertEqual(self.post(c, big)[0], 413)
        self.assertEqual(c.request("POST", "/api/questionnaire", "x", {"Content-Type": "text/plain"})[0], 415)
        self.assertEqual(c.request("GET", "/api/questionnaire")[0], 405)
        self.assertEqual(self.post(c, step("show", "n0"), headers={"Origin": "https://evil.example"})[0], 403)
        metrics = c.request("GET", "/metrics")[2].decode()
        refused = re.findall(r'^phare_collect_votes_refused_total\{reason="[a-z_]+"\} (\d+)$', metrics, re.M)
        self.assertTrue(refused, metrics)
        self.assertEqual(set(refused), {"0"}, "steps counted as refused votes")
        self.stop_clean(c)
        self.assertEqual(self.quiz(c), [])

    def test_flood_rate_limited_apart_from_votes(self):
        c = self.start("--max-per-minute", "1")  # steps: 10 a minute
        statuses = [self.post(c, step("show", "n0", "f", i))[0] for i in range(11)]
        self.assertEqual(statuses, [204] * 10 + [429])
        status, h, body = self.post(c, step("show", "n0", "f", 11))
        self.assertEqual(status, 429)
        self.assertIn("retry-after", h)
        self.assertIn("too many questionnaire steps", json.loads(body)["error"])
        self.assertEqual(c.vote_json({"article": LXC, "lang": "fr", "vote": "yes"})[0], 201)
        self.stop_clean(c)
        self.assertEqual(self.quiz(c)[0]["visits"], 1)

    def test_schema_1_database_upgraded_in_place(self):
        db = self.path("old.db")
        con = sqlite3.connect(db)
        con.executescript(
            "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "INSERT INTO meta VALUES ('schema', '1'), ('salt', '%s');"
            "CREATE TABLE votes(id INTEGER PRIMARY KEY, time INTEGER NOT NULL, article TEXT NOT NULL,"
            " lang TEXT NOT NULL, revision TEXT NOT NULL, vote INTEGER NOT NULL CHECK (vote IN (0, 1)),"
            " reason TEXT NOT NULL DEFAULT '', comment TEXT NOT NULL DEFAULT '',"
            " client TEXT NOT NULL DEFAULT '', addr_hash TEXT NOT NULL);"
            "INSERT INTO votes(time, article, lang, revision, vote, addr_hash) VALUES (1700000000, '%s', 'fr', 'r1', 1, 'h');"
            % ("ab" * 32, LXC))
        con.commit()
        con.close()
        # read-only, a schema 1 database reports its votes and no questionnaire
        r = run("feedback", "report", "--db", db, "--format", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual((len(json.loads(r.stdout)["articles"]), json.loads(r.stdout)["questionnaires"]), (1, []))
        c = self.start(db="old.db")
        self.walk(c, "a", [("start", "n0"), ("show", "n0")])
        self.stop_clean(c)
        con = sqlite3.connect(db)
        self.assertEqual(con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchall(), [("2",)])
        self.assertEqual(con.execute("SELECT count(*) FROM votes").fetchall(), [(1,)])
        con.close()
        self.assertEqual(self.quiz(c)[0]["visits"], 1)

    def stop_clean(self, c):
        self.assertEqual(c.stop(), 0, c.stderr())


if __name__ == "__main__":
    unittest.main()

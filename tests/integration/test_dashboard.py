"""phare feedback report --site, --out and --format html (issue 21, the
feedback dashboard): votes posted to a real `phare collect`, spread over
weeks afterwards (the collector stamps the time itself), then the report
read as an editor's script would: titles and links, Wilson order, the
weeks, a rewrite's share before and after, comments capped and escaped,
and the same numbers in the HTML's data- attributes as in the JSON.  The
same report from PostgreSQL is byte for byte the one from SQLite."""
import csv
import html.parser
import io
import json
import os
import re
import sqlite3
import unittest

from phare_test import TempDirTest, run
from test_collect import LXC, Collector
import test_postgres

MONDAY = 1762128000  # 2025-11-03, a Monday, 00:00 UTC
WEEK = 604800
OLD, NEW = "0000000000000001", "3f2a9c1b0d4e5f60"
SCRIPT = "<script>alert('x')</script> & «moi»"

MANIFEST = ("phare-manifest\t1\nbase\t/help/\norigin\thttps://aide.example.com\n"
            "article\tfr\tvirtualisation/lxc\t/help/fr/virtualisation/lxc/\t" + NEW + "\tLXC <ou> KVM ?\n"
            "article\ten\tvirtualisation/lxc\t/help/en/virtualisation/lxc/\ta1b2c3d4e5f60718\tLXC or KVM?\n"
            "article\tfr\treseau/dns\t/help/fr/reseau/dns/\t0badc0ffee123456\n")


def post_votes(c):
    """lxc fr: 1 yes 4 no on OLD (weeks 0-1), 4 yes 1 no on NEW (weeks 2-3);
    lxc en: 7 no with a reason and a comment (week 1), 3 yes; dns fr: 2 yes.
    Returns {client: week}, to spread them afterwards."""
    weeks = {}

    def vote(client, week, **v):
        status, _, body = c.vote_json(dict(v, client=client))
        assert status == 201, (status, body)
        weeks[client] = week
    for i in range(5):
        vote("o%d" % i, i % 2, article=LXC, lang="fr", revision=OLD, vote="yes" if i == 0 else "no",
             reason="unclear" if i else "")
        vote("n%d" % i, 2 + i % 2, article=LXC, lang="fr", revision=NEW, vote="no" if i == 0 else "yes")
    for i in range(7):
        vote("e%d" % i, 1, article=LXC, lang="en", vote="no", reason=["incomplete", "unclear"] if i % 2 else "inaccurate",
             comment=SCRIPT if i == 6 else "comment %d" % i)
    for i in range(3):
        vote("y%d" % i, 3, article=LXC, lang="en", vote="yes")
    for i in range(2):
        vote("d%d" % i, 3, article="reseau/dns", lang="fr", vote="yes")
    return weeks


def spread(db, weeks):
    """Moves each vote into its week (a minute apart, in posting order)."""
    con = sqlite3.connect(db)
    for n, (client, week) in enumerate(weeks.items()):
        con.execute("UPDATE votes SET time = ? WHERE client = ?", (MONDAY + week * WEEK + 3600 + 60 * n, client))
    con.commit()
    con.close()


class Attrs(html.parser.HTMLParser):
    """Every element's data- attributes, and the text of each <q>."""

    def __init__(self):
        super().__init__()
        self.elements, self.quotes, self._q = [], [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if any(k.startswith("data-") for k in a):
            self.elements.append((tag, a))
        if tag == "q":
            self._q = ""

    def handle_data(self, data):
        if self._q is not None:
            self._q += data

    def handle_endtag(self, tag):
        if tag == "q":
            self.quotes.append(self._q)
            self._q = None


class DashboardFixture(TempDirTest):
    """A site with titles, and the votes of post_votes() in SQLite."""

    def setUp(self):
        super().setUp()
        self.site = self.path("site")
        os.makedirs(self.site)
        with open(os.path.join(self.site, "phare-manifest.tsv"), "w", encoding="utf-8") as f:
            f.write(MANIFEST)
        c = Collector(self.tmp, "--max-per-minute", "0", site=self.site)
        self.addCleanup(lambda: c.proc.poll() is None and c.kill9())
        weeks = post_votes(c)
        self.assertEqual(c.stop(), 0, c.stderr())
        spread(c.db, weeks)
        self.db = c.db

    def report(self, *args, db=None):
        r = run("feedback", "report", "--db", db or self.db, *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout


class DashboardTest(DashboardFixture):
    def test_json_gains_title_and_url_from_the_site(self):
        rep = json.loads(self.report("--format", "json", "--site", self.site))["articles"]
        self.assertEqual([(e["article"], e["lang"], e["yes"], e["no"]) for e in rep],
                         [(LXC, "en", 3, 7), (LXC, "fr", 5, 5), ("reseau/dns", "fr", 2, 0)])
        self.assertEqual([(e["title"], e["url"]) for e in rep], [
            ("LXC or KVM?", "https://aide.example.com/help/en/virtualisation/lxc/"),
            ("LXC <ou> KVM ?", "https://aide.example.com/help/fr/virtualisation/lxc/"),
            (None, "https://aide.example.com/help/fr/reseau/dns/")])  # no title in the manifest
        self.assertEqual(set(rep[0]), {"article", "lang", "title", "url", "yes", "no", "share", "wilson",
                                       "revisions", "comments"})
        self.assertEqual(len(rep[0]["comments"]), 7)  # JSON: all of them
        bare = json.loads(self.report("--format", "json"))["articles"]
        self.assertEqual({(e["title"], e["url"]) for e in bare}, {(None, None)})

    def test_text_shows_titles_and_caps_comments(self):
        text = self.report("--site", self.site)
        self.assertIn("virtualisation/lxc [en]  yes 3  no 7  30% yes  wilson 0.108\n"
                      "  LXC or KVM?  https://aide.example.com/help/en/virtualisation/lxc/\n", text)
        en = text[text.index("virtualisation/lxc [en]"):text.index("virtualisation/lxc [fr]")]
        self.assertEqual(len(re.findall(r"^  - ", en, re.M)), 5, en)
        self.assertIn("  ... and 2 older (--format json lists them all)\n", en)
        self.assertIn("(inaccurate): " + SCRIPT + "\n", en)
        self.assertLess(en.index(SCRIPT), en.index("comment 5"))  # newest first
        self.assertNotIn("https://", self.report())

    def test_csv_has_title_and_url_last(self):
        rows = list(csv.DictReader(io.StringIO(self.report("--format", "csv", "--site", self.site), newline="")))
        self.assertEqual(list(rows[0])[-2:], ["title", "url"])
        arts = [(r["article"], r["lang"], r["title"], r["url"]) for r in rows if r["kind"] == "article"]
        self.assertEqual(arts[0], (LXC, "en", "LXC or KVM?", "https://aide.example.com/help/en/virtualisation/lxc/"))
        self.assertTrue(all(len(r) == 15 and None not in r for r in rows))

    def html(self, *args):
        out = self.path("report.html")
        self.assertEqual(self.report("--format", "html", "--site", self.site, "--out", out, *args), "")
        with open(out, encoding="utf-8") as f:
            return f.read()

    def test_html_carries_the_json_numbers(self):
        page = self.html()
        p = Attrs()
        p.feed(page)
        rows = [(a["data-article"], a["data-lang"], int(a["data-votes"]), int(a["data-yes"]), int(a["data-no"]))
                for tag, a in p.elements if tag == "tr" and "data-article" in a]
        rep = json.loads(self.report("--format", "json", "--site", self.site))["articles"]
        self.assertEqual(rows, [(e["article"], e["lang"], e["yes"] + e["no"], e["yes"], e["no"]) for e in rep])
        bars = {a["data-bar"]: int(a["data-count"]) for tag, a in p.elements if "data-bar" in a}
        self.assertEqual(bars, {"unclear": 7, "incomplete": 3, "inaccurate": 4, "not_found": 0, "other": 0})
        series = [a["data-series"] for tag, a in p.elements if "data-series" in a]
        self.assertEqual(sorted(series), ["", "en", "fr"])
        self.assertIn('<a href="https://aide.example.com/help/fr/virtualisation/lxc/" lang="fr">'
                      "LXC &lt;ou&gt; KVM ?</a>", page)

    def test_html_weeks_and_the_rewrite_before_and_after(self):
        page = self.html()
        # week by week, all languages then en then fr (votes that week)
        weeks = re.findall(r'<tr><th scope="row">(\d{4}-\d\d-\d\d)</th>(.*?)</tr>', page)
        cells = [(w, re.findall(r'<td class="n">([^<]*)</td>', rest)) for w, rest in weeks]
        self.assertEqual(cells, [
            ("2025-11-03", ["33% (3)", "– (0)", "33% (3)"]),
            ("2025-11-10", ["0% (9)", "0% (7)", "0% (2)"]),
            ("2025-11-17", ["67% (3)", "– (0)", "67% (3)"]),
            ("2025-11-24", ["100% (7)", "100% (3)", "100% (4)"]),
        ])
        self.assertIn("Revision <code>%s</code> from 2025-11-17: 20%% yes before (5 votes), 80%% after (5 votes)"
                      % NEW, page)
        self.assertEqual(page.count("data-mark"), 1)  # one rewrite, one mark on its sparkline
        # since a date: the weeks before are gone
        later = self.html("--since", "2025-11-17")
        self.assertNotIn('<th scope="row">2025-11-10</th>', later)
        self.assertIn('<th scope="row">2025-11-17</th>', later)

    def test_html_escapes_and_caps_comments(self):
        page = self.html()
        p = Attrs()
        p.feed(page)
        self.assertNotIn("<script", page)
        self.assertNotRegex(page, r"<(link|img|iframe)\b|\bsrc=|url\(|@import")  # nothing to fetch
        self.assertIn(SCRIPT, p.quotes)
        lists = {(a["data-comments"], a["data-lang"]): int(a["data-count"]) for t, a in p.elements
                 if "data-comments" in a}
        self.assertEqual(lists, {(LXC, "en"): 7, (LXC, "fr"): 4})
        en = page[page.index('data-comments="%s" data-lang="en"' % LXC):]
        en = en[:en.index("</ul>")]
        self.assertEqual(en.count("<li>"), 5)
        self.assertIn("And 2 older", page)
        self.assertIn("Incomplete, Unclear", page)

    def test_out_is_replaced_whole_and_never_through_a_link(self):
        out = self.path("report.html")
        with open(out, "w") as f:
            f.write("old")
        self.html()
        self.assertTrue(open(out).read().startswith("<!doctype html>"))
        self.assertEqual([n for n in os.listdir(self.tmp) if "phare-new" in n], [])
        victim = self.path("victim")
        open(victim, "w").close()
        os.symlink(victim, self.path("link.html"))
        r = run("feedback", "report", "--db", self.db, "--format", "html", "--out", self.path("link.html"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("symbolic link", r.stderr)
        self.assertEqual(os.path.getsize(victim), 0)

    def test_site_and_format_errors(self):
        os.makedirs(self.path("empty"))
        r = run("feedback", "report", "--db", self.db, "--site", self.path("empty"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("empty: error: no phare-manifest.tsv here", r.stderr)
        self.assertEqual(r.stdout, "")
        r = run("feedback", "report", "--db", self.db, "--format", "pdf")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--format takes text, csv, json or html", r.stderr)
        missing = self.path("no", "report.html")
        r = run("feedback", "report", "--db", self.db, "--out", missing)
        self.assertEqual(r.returncode, 1)
        self.assertIn(missing + ": error: cannot create: No such file or directory", r.stderr)

    def test_empty_database(self):
        c = Collector(self.tmp, db="empty.db", site=self.site, name="empty")
        self.assertEqual(c.stop(), 0)
        out = self.path("e.html")
        self.assertEqual(run("feedback", "report", "--db", c.db, "--format", "html", "--out", out).returncode, 0)
        page = open(out, encoding="utf-8").read()
        self.assertIn("No votes yet.", page)
        self.assertIn("</html>", page)


@unittest.skipIf(test_postgres.pg_missing(), "PostgreSQL 15 server binaries not found")
class DashboardPostgresTest(DashboardFixture):
    """The same votes migrated into PostgreSQL: every format, byte for byte."""

    @classmethod
    def setUpClass(cls):
        test_postgres.PG = cls.pg = test_postgres.Postgres()

    @classmethod
    def tearDownClass(cls):
        cls.pg.close()

    def test_postgres_report_is_the_sqlite_one(self):
        uri = self.pg.createdb("dash_" + str(os.getpid()))
        r = run("feedback", "migrate", "--from", self.db, "--to", uri, env=self.pg.env())
        self.assertEqual(r.returncode, 0, r.stderr)
        for args in (["--format", "html"], ["--format", "json"], ["--format", "csv"], [],
                     ["--format", "html", "--lang", "fr", "--since", "2025-11-10"]):
            pg = run("feedback", "report", "--db", uri, "--site", self.site, *args, env=self.pg.env())
            self.assertEqual(pg.returncode, 0, pg.stderr)
            self.assertEqual(pg.stdout, self.report("--site", self.site, *args), args)


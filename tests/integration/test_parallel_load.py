"""Loading the content on every core (content/model_plan.c): files are read and
parsed by several threads, simple front matter by the quick reader
(content/frontmatter.h) and the rest by libyaml, yet the build says exactly
what a serial load says: every message once, in file order (languages as
site.yaml lists them, then folders and files sorted), the same on every run.
"""
import os
import re

from phare_test import TempDirTest, read, run, write_tree

SITE = """\
title: { fr: Aide, en: Help }
base_url: /
default_language: fr
languages:
  - { code: fr, name: Français }
  - { code: en, name: English }
"""
SECTIONS = ["beta", "alpha", "Gamma"]  # listed out of order on purpose
N = 50


def article(lang, sec, i, broken):
    """An article; some carry problems, read by one reader or the other.
    Returns (text, [expected messages as 'line:col: level: start'])."""
    title = "%s %s %02d" % (lang, sec, i)
    if i % 7 == 3:  # quick reader: a warning
        return ("---\ntitle: %s\nwieght: %d\n---\nx\n" % (title, i),
                ["3:9: warning: unknown front matter key 'wieght'"])
    if i % 11 == 5:  # libyaml (a block list): two warnings around it
        return ("---\ntitel: a\ntitle: %s\ntags:\n  - a\nzz: 1\n---\nx\n" % title,
                ["2:8: warning: unknown front matter key 'titel'", "6:5: warning: unknown front matter key 'zz'"])
    if broken and i % 13 == 6:  # quick reader: a warning, then an error
        return ("---\nwieght: 1\ntitle: %s\nupdated: 2023-02-29\n---\n" % title,
                ["2:9: warning: unknown front matter key 'wieght'", "4:10: error: 'updated' must be a date"])
    if broken and i % 17 == 8:  # libyaml's own error
        return ("---\ntitle: [%s\n---\n" % title, ["error: YAML"])
    return "---\ntitle: %s\nweight: %d\n---\n## Part\n\nText %d.\n" % (title, i, i), []


class ParallelLoad(TempDirTest):
    def make(self, broken):
        files = {"content/site.yaml": SITE}
        expected = []
        for lang in ["fr", "en"]:
            for sec in sorted(SECTIONS):
                for i in range(N):
                    rel = "content/%s/%s/a%02d.md" % (lang, sec, i)
                    files[rel], msgs = article(lang, sec, i, broken)
                    expected += [(rel, m) for m in msgs]
        write_tree(self.tmp, files)
        return expected

    def messages(self, stderr):
        return [l for l in stderr.splitlines() if re.search(r"content/.*: (warning|error):", l)]

    def check_order(self, lines, expected):
        self.assertEqual(len(lines), len(expected), "\n".join(lines))
        for line, (rel, msg) in zip(lines, expected):
            self.assertTrue(line.startswith(os.path.join(self.tmp, rel) + ":"), (line, rel))
            self.assertIn(msg, line)

    def test_messages_in_file_order_every_run(self):
        expected = self.make(broken=True)
        runs = [run("build", "--source", self.tmp, "--out", self.path("site")) for _ in range(3)]
        for r in runs:
            self.assertEqual(r.returncode, 1, r.stderr)
        lines = self.messages(runs[0].stderr)
        self.check_order(lines, expected)
        for r in runs[1:]:
            self.assertEqual(self.messages(r.stderr), lines)

    def test_one_thread_says_what_many_say(self):
        """--threads 1 loads on the main thread alone: same messages, same pages."""
        expected = self.make(broken=True)
        one = run("build", "--source", self.tmp, "--out", self.path("one"), "--threads", "1")
        many = run("build", "--source", self.tmp, "--out", self.path("many"), "--threads", "2")
        self.assertEqual(one.returncode, 1, one.stderr)
        self.check_order(self.messages(one.stderr), expected)
        self.assertEqual(self.messages(one.stderr), self.messages(many.stderr))

    def test_every_article_built_by_either_reader(self):
        expected = self.make(broken=False)
        r = run("build", "--source", self.tmp, "--out", self.path("site"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.check_order(self.messages(r.stderr), expected)
        for lang in ["fr", "en"]:
            for sec in SECTIONS:
                for i in range(N):
                    page = read(self.path("site", lang, sec.lower(), "a%02d" % i, "index.html"))
                    self.assertIn("%s %s %02d" % (lang, sec, i), page)


def table(i):
    """Comparison table i (content/tables/tNN.yaml), parsed on any thread
    (build/blocks.c) and said in file order.  Returns (text, [expected
    messages]): a missing translation (a warning from rendering its pieces),
    a column naming no article (an error said when it is registered), a YAML
    error (libyaml), or nothing."""
    good = "title: { fr: T%02d, en: T%02d }\ncolumns:\n  - { id: a, label: { fr: A, en: A } }\n" \
           "rows:\n  - { id: r, criterion: { fr: C, en: C }, cells: { a: { fr: x, en: y } } }\n" % (i, i)
    if i % 5 == 1:
        return good.replace(", en: T%02d }" % i, " }"), ["1:8: warning: no 'en' text here"]
    if i % 7 == 2:
        return good.replace("{ id: a,", "{ id: a, article: s/none%02d," % i), ["error: column 'a' names article"]
    if i % 9 == 4:
        return "title: [T%02d\n" % i, ["error: YAML"]
    return good, []


class ParallelTables(TempDirTest):
    """The tables are parsed on every thread, yet their messages come in
    file order, the same with one thread as with several."""

    def make(self):
        files = {"content/site.yaml": SITE, "content/fr/s/a.md": "---\ntitle: A\n---\nx\n"}
        expected = []
        for i in range(40):
            rel = "content/tables/t%02d.yaml" % i
            files[rel], msgs = table(i)
            expected += [(rel, m) for m in msgs]
        write_tree(self.tmp, files)
        return expected

    def messages(self, stderr):
        return [l for l in stderr.splitlines() if re.search(r"content/tables/.*: (warning|error):", l)]

    def test_table_messages_in_file_order_on_any_threads(self):
        expected = self.make()
        self.assertGreater(len(expected), 10)
        outs = []
        for threads in ["1", "4", "4"]:
            r = run("build", "--source", self.tmp, "--out", self.path("site" + threads), "--threads", threads)
            self.assertEqual(r.returncode, 1, r.stderr)
            lines = self.messages(r.stderr)
            self.assertEqual(len(lines), len(expected), "\n".join(lines))
            for line, (rel, msg) in zip(lines, expected):
                self.assertTrue(line.startswith(os.path.join(self.tmp, rel) + ":"), (line, rel))
                self.assertIn(msg, line)
            outs.append(lines)
        self.assertEqual(outs[0], outs[1])
        self.assertEqual(outs[1], outs[2])


if __name__ == "__main__":
    import unittest
    unittest.main()

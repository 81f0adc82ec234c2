"""A wrong command line: one line from diag_usage() (generator/util/diag.h),
"phare COMMAND: error: what is wrong; see 'phare COMMAND --help'", and exit
status 2, whichever command and whichever mistake."""
import glob
import os
import re
import shutil
import unittest

from phare_test import ROOT, TempDirTest, run, write_tree

RULES = os.path.join(ROOT, "rules", "choose-virtualization.lua")

# (arguments, the whole of stderr)
CASES = [
    (["frobnicate"], "phare: error: 'frobnicate' is not a phare command; see 'phare help'"),
    (["help", "nope"], "phare: error: no command 'nope'; see 'phare help'"),
    (["build", "--nope"], "phare build: error: unknown option '--nope'; see 'phare build --help'"),
    (["build", "--threads", "x"],
     "phare build: error: --threads takes a whole number, not 'x'; see 'phare build --help'"),
    (["build", "--out"], "phare build: error: --out needs a value (DIR); see 'phare build --help'"),
    (["check", "--strict=yes"], "phare check: error: --strict takes no value; see 'phare check --help'"),
    (["translations", "extra"],
     "phare translations: error: unexpected argument 'extra'; see 'phare translations --help'"),
    (["translations", "--format", "xml"],
     "phare translations: error: --format takes text or json, not 'xml'; see 'phare translations --help'"),
    (["serve", "--port", "70000"],
     "phare serve: error: --port takes a number from 0 to 65535, not 70000; see 'phare serve --help'"),
    (["collect", "--db", "x.db"],
     "phare collect: error: --db and --site are required; see 'phare collect --help'"),
    (["feedback", "report"], "phare feedback: error: --db is required; see 'phare feedback --help'"),
    (["rules", "run"], "phare rules run: error: give the rules file, then question=answer pairs; "
                       "see 'phare rules run --help'"),
    (["rules", "run", RULES, "hosting"],
     "phare rules run: error: 'hosting' is not question=answer; see 'phare rules run --help'"),
    (["rules", "run", RULES, "hosting=own", "hosting=rent"],
     "phare rules run: error: question 'hosting' is answered twice; see 'phare rules run --help'"),
    (["rules", "tree", RULES, "--format", "svg"],
     "phare rules tree: error: --format takes json or dot, not 'svg'; see 'phare rules tree --help'"),
    (["rules", "tree", RULES, "--lang", "zz"],
     "phare rules tree: error: no language 'zz' in these rules; they have fr en; "
     "see 'phare rules tree --help'"),
]


class UsageErrors(unittest.TestCase):
    def test_every_mistake_is_one_line_and_exit_2(self):
        for args, want in CASES:
            with self.subTest(args=args):
                r = run(*args, cwd=ROOT)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertEqual(r.stderr, want + "\n")
                self.assertEqual(r.stdout, "")

    def test_unknown_rules_subcommand_then_the_list(self):
        r = run("rules", "nope")
        self.assertEqual(r.returncode, 2)
        first, rest = r.stderr.split("\n", 1)
        self.assertEqual(first, "phare rules: error: no subcommand 'nope'; see 'phare rules --help'")
        self.assertIn("rules run FILE", rest)

    def test_the_help_each_message_points_at_exists(self):
        for args, want in CASES:
            with self.subTest(args=args):
                pointer = re.search(r"see '(phare [a-z -]+?)'$", want).group(1).split()[1:]
                r = run(*pointer)
                self.assertEqual(r.returncode, 0, (pointer, r.stderr))
                self.assertIn("usage: phare", r.stdout)

    def test_no_command_line_error_is_formatted_by_hand(self):
        # diag_usage() is the one place that writes "phare COMMAND: error:".
        hand = re.compile(r'"phare[ a-z%s]*: error:')
        found = []
        for path in glob.glob(os.path.join(ROOT, "generator", "**", "*.c"), recursive=True):
            with open(path, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    if hand.search(line):
                        found.append(f"{os.path.relpath(path, ROOT)}:{n}: {line.strip()}")
        self.assertEqual(found, [])


class SourcePaths(TempDirTest):
    """Files of the site are named in messages as the folder given to --source
    followed by their path in it, whichever part of phare reads them:
    content/…, templates/…, rules/…, also when refused for their size."""

    def lay(self, broken):
        base = os.path.join(ROOT, "tests", "bad", "_base")
        src = self.path("site")
        shutil.rmtree(src, ignore_errors=True)
        shutil.copytree(base, src)
        write_tree(src, broken)
        return src

    def messages(self, src, source, cwd):
        r = run("build", "--source", source, "--out", self.path("out"), cwd=cwd)
        self.assertEqual(r.returncode, 1, r.stderr)
        return [l for l in r.stderr.splitlines() if ": error: " in l]

    def test_the_same_prefix_for_content_templates_and_rules(self):
        broken = {
            "content": ({"content/fr/reseau/dns.md": "---\ntitle: [x\n---\n"}, "content/fr/reseau/dns.md:"),
            "content too big": ({"content/fr/reseau/dns.md": "x" * 300000}, "content/fr/reseau/dns.md:"),
            "templates": ({"templates/partials/footer.mustache": "{{#x}}\n"}, "templates/partials/footer.mustache:"),
            "rules": ({"rules/choisir.lua": "local t = {\n"}, "rules/choisir.lua:"),
        }
        for what, (files, rel) in broken.items():
            src = self.lay(files)
            for source, cwd, prefix in ((".", src, ""), ("./", src, ""), (src, None, src + "/"),
                                        (src + "/", None, src + "/"), ("site", self.tmp, "site/"),
                                        ("./site/", self.tmp, "./site/")):
                with self.subTest(what=what, source=source):
                    errors = self.messages(src, source, cwd)
                    self.assertTrue(errors, what)
                    self.assertTrue(errors[0].startswith(prefix + rel), errors)


if __name__ == "__main__":
    unittest.main()

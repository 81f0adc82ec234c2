"""phare rules run|test|tree, driven as an author would."""
import json
import os
import shutil

from phare_test import ROOT, TempDirTest, read, run, write_tree

FIXTURE = os.path.join(ROOT, "tests", "fixtures", "rules", "virt.lua")
SITE = """
    title: Help
    base_url: /
    default_language: en
    languages:
      - { code: en, name: English }
      - { code: fr, name: Français }
"""


class RulesCli(TempDirTest):
    def setUp(self):
        super().setUp()
        write_tree(self.tmp, {"content/site.yaml": SITE})
        os.makedirs(self.path("rules"))
        shutil.copy(FIXTURE, self.path("rules", "virt.lua"))
        self.rules = self.path("rules", "virt.lua")

    def rules_cmd(self, *args):
        return run("rules", *args, "--source", self.tmp)

    def test_run_prints_reasons_then_outcome(self):
        p = self.rules_cmd("run", self.rules, "own_hardware=yes", "guest_os=other")
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.splitlines()
        self.assertEqual(lines[-1], "kvm")
        self.assertIn("It needs its own kernel.", lines[0])  # en: the site's default
        p = self.rules_cmd("run", self.rules, "own_hardware=yes", "guest_os=other", "--lang", "fr")
        self.assertIn("Il faut son propre noyau.", p.stdout)
        p = self.rules_cmd("run", self.rules, "own_hardware=yes", "guest_os=linux", "isolation=light")
        self.assertEqual(p.stdout, "lxc\n")

    def test_run_every_answer_combination_matches_the_rules(self):
        for own in ("yes", "no"):
            for guest in ("linux", "other"):
                for iso in ("strong", "light"):
                    p = self.rules_cmd("run", self.rules, f"own_hardware={own}",
                                       f"guest_os={guest}", f"isolation={iso}")
                    self.assertEqual(p.returncode, 0, p.stderr)
                    want = "vps" if own == "no" else "kvm" if guest == "other" or iso == "strong" else "lxc"
                    self.assertEqual(p.stdout.splitlines()[-1], want, (own, guest, iso))

    def test_run_wrong_answers(self):
        p = self.rules_cmd("run", self.rules, "own_hardware=yes")
        self.assertEqual(p.returncode, 2)
        self.assertIn("question 'guest_os' is asked and not answered; add guest_os=ANSWER, one of linux other",
                      p.stderr)
        p = self.rules_cmd("run", self.rules, "nope=yes")
        self.assertEqual(p.returncode, 2)
        self.assertIn("no question 'nope'", p.stderr)
        p = self.rules_cmd("run", self.rules, "own_hardware=maybe")
        self.assertEqual(p.returncode, 2)
        self.assertIn("question 'own_hardware' has no answer 'maybe'; its answers are yes no", p.stderr)
        p = self.rules_cmd("run")
        self.assertEqual(p.returncode, 2)

    def test_tree_json_and_dot(self):
        p = self.rules_cmd("tree", self.rules, "--format", "json")
        self.assertEqual(p.returncode, 0, p.stderr)
        tree = json.loads(p.stdout)
        self.assertEqual(tree["languages"], ["en", "fr"])
        self.assertEqual(tree["default_language"], "en")
        self.assertEqual(tree["root"], "n0")
        self.assertEqual(tree["nodes"]["n0"]["question"], "own_hardware")
        self.assertEqual(json.dumps(tree, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n", p.stdout)
        # Walk the JSON as the browser would.
        node = tree["nodes"][tree["root"]]
        for q, a in (("own_hardware", "yes"), ("guest_os", "linux"), ("isolation", "strong")):
            self.assertEqual(node["question"], q)
            node = tree["nodes"][node["next"][a]]
        self.assertEqual(node["outcome"], "kvm")
        self.assertEqual(node["reasons"][0]["fr"], "Isolation forte.")
        again = self.rules_cmd("tree", self.rules)
        self.assertEqual(again.stdout, p.stdout)  # json is the default, and stable
        dot = self.rules_cmd("tree", self.rules, "--format", "dot")
        self.assertEqual(dot.returncode, 0, dot.stderr)
        self.assertTrue(dot.stdout.startswith('digraph "virt" {'))
        self.assertIn('n0 -> n1 [label="Yes"];', dot.stdout)
        bad = self.rules_cmd("tree", self.rules, "--format", "svg")
        self.assertEqual(bad.returncode, 2)

    def test_test_finds_every_rules_file(self):
        p = self.rules_cmd("test")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("virt.lua: ok, 3 expects hold (3 questions, 3 outcomes, 7 nodes)", p.stdout)
        text = read(self.rules).replace('expect({ own_hardware = "no" }, "vps")',
                                        'expect({ own_hardware = "yes" }, "kvm")')
        write_tree(self.tmp, {"rules/broken.lua": text})
        p = self.rules_cmd("test")
        self.assertEqual(p.returncode, 1)
        self.assertIn("broken.lua: FAILED", p.stdout)
        self.assertIn("virt.lua: ok", p.stdout)
        self.assertRegex(p.stderr, r"broken\.lua:46: error: expect fails: with own_hardware=yes, "
                                   r"guest_os=linux, isolation=light the rules decide 'lxc', not 'kvm'")
        p = self.rules_cmd("test", self.rules)
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_nesting_too_deep_names_the_line_and_what_to_do(self):
        # Lua's parser stops at about 200 levels with a bare "C stack overflow".
        deep = {
            "tables.lua": ('title "T"\n\nlocal t = ' + "{" * 5000 + "}" * 5000 + "\n", 3),
            "blocks.lua": ('title "T"\n' + "do\n" * 300 + "end\n" * 300, 201),
            "minus.lua": ("local x =\n" + "-\n" * 400 + "1\n", 200),
        }
        for name, (text, line) in deep.items():
            write_tree(self.tmp, {"rules/" + name: text})
            p = self.rules_cmd("test", self.path("rules", name))
            self.assertEqual(p.returncode, 1, name)
            self.assertIn(f"{name}:{line}: error: the rules nest deeper than Lua's parser allows", p.stderr)
            self.assertIn("flatten them, for example with local variables", p.stderr)
            self.assertNotIn(": error: C stack overflow", p.stderr)
        # Just under the limit, the nesting is fine.
        write_tree(self.tmp, {"rules/ok.lua": 'local t = ' + "{" * 150 + "}" * 150 + "\n"})
        p = self.rules_cmd("test", self.path("rules", "ok.lua"))
        self.assertNotIn("nest deeper", p.stderr)

    def test_errors_name_file_line_and_path(self):
        write_tree(self.tmp, {"rules/bad.lua": """
            title "T"
            question "q" { text = "Q", answers = { { id = "a", en = "A", fr = "A" },
                                                   { id = "b", en = "B", fr = "B" } } }
            outcome "x" { text = "X" }
            decide(function(a)
              if a.q == "b" then return a.nope end
              return "x"
            end)
        """})
        for cmd in (("test",), ("tree", self.path("rules", "bad.lua")),
                    ("run", self.path("rules", "bad.lua"), "q=a")):
            p = self.rules_cmd(*cmd)
            self.assertEqual(p.returncode, 1, cmd)
            self.assertIn("bad.lua:6: error: decide reads question 'nope', which is not declared", p.stderr)
            self.assertIn("(answers: q=b)", p.stderr)
            if cmd[0] == "test":
                self.assertIn(f"{self.path('rules', 'bad.lua')}: FAILED", p.stdout)
            else:
                self.assertEqual(p.stdout, "")

    def test_sandbox_escape_and_bombs_fail_fast(self):
        head = 'title "T"\noutcome "x" { text = "X" }\n'
        for body, msg in (('os.execute("touch pwned")\n', "esc.lua:3: error: attempt to index a nil value (global 'os')"),
                          ('while true do end\n', "esc.lua:3: error: the rules run too long"),
                          ('string.find(("a"):rep(5000), ".-.-.-.-.-b")\n', "esc.lua: error: the rules take too long"),
                          ('local s = ("x"):rep(1 << 30)\n', "esc.lua: error: the rules use more than 64 MiB")):
            write_tree(self.tmp, {"esc.lua": head + body + 'decide(function(a) return "x" end)\n'})
            p = self.rules_cmd("test", self.path("esc.lua"))
            self.assertEqual(p.returncode, 1, body)
            self.assertIn(msg, p.stderr)
        self.assertFalse(os.path.exists(self.path("pwned")))

    def test_without_site_yaml_the_rules_languages_are_used(self):
        os.remove(self.path("content", "site.yaml"))
        p = self.rules_cmd("tree", self.rules)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout)["languages"], ["en", "fr"])

    def test_missing_translation_is_a_warning(self):
        write_tree(self.tmp, {"rules/half.lua": """
            title { en = "T" }
            outcome "x" { text = "X" }
            decide(function(a) return "x" end)
        """})
        p = self.rules_cmd("test", self.path("rules", "half.lua"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("half.lua:1: warning: title has no 'fr' translation", p.stderr)

    SETS = (
        'title "T"\n'
        'question "w" { text = "W?", multiple = true, min = 1, max = 2, answers = {\n'
        '  { id = "docker", en = "Docker", fr = "Docker" }, { id = "win", en = "Windows", fr = "Windows" },\n'
        '  { id = "db", en = "A database", fr = "Une base" } } }\n'
        'outcome "kvm" { text = "KVM" }\noutcome "lxc" { text = "LXC" }\noutcome "vps" { text = "VPS" }\n'
        'decide(function(a)\n'
        '  if a.w.win then return { vps = 3, kvm = 8 }, { kvm = { en = "Windows needs its kernel.", fr = "Noyau." },'
        ' vps = "A VPS runs Windows too." } end\n'
        '  if a.w.docker then return { lxc = 5, kvm = 5 } end\n'
        '  return "vps"\n'
        'end)\n'
        'expect({ w = { "win" } }, "kvm")\n'
        'expect({ w = { "docker", "db" } }, { "kvm", "lxc" })\n')

    def test_run_sets_prints_the_ranking_best_first(self):
        write_tree(self.tmp, {"rules/sets.lua": self.SETS})
        f = self.path("rules", "sets.lua")
        p = self.rules_cmd("test", f)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("sets.lua: ok, 2 expects hold (1 questions, 3 outcomes, 4 nodes)", p.stdout)
        for words in (("w=db,win",), ("w=win,db",), ("w=win",)):
            p = self.rules_cmd("run", f, *words)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(p.stdout, "because: Windows needs its kernel.\n"
                                       "not first, vps: A VPS runs Windows too.\nkvm vps\n", words)
        p = self.rules_cmd("run", f, "w=docker")
        self.assertEqual(p.stdout, "kvm lxc\n")  # a tie: the order of the declarations (lxc = 5, kvm = 5)
        p = self.rules_cmd("run", f, "w=db")
        self.assertEqual(p.stdout, "vps\n")
        for words, msg in ((("w=",), "question 'w' takes between 1 and 2 answers, not 0"),
                           (("w=docker,win,db",), "question 'w' takes between 1 and 2 answers, not 3"),
                           (("w=docker,docker",), "question 'w' has the answer 'docker' twice"),
                           (("w=linux",), "question 'w' has no answer 'linux'; its answers are docker win db"),
                           ((), "question 'w' is asked and not answered; add w=ANSWER,ANSWER… with 1 to 2 of "
                                "docker win db")):
            p = self.rules_cmd("run", f, *words)
            self.assertEqual(p.returncode, 2, words)
            self.assertIn(msg, p.stderr)

    def test_tree_shows_sets_and_rankings(self):
        write_tree(self.tmp, {"rules/sets.lua": self.SETS})
        f = self.path("rules", "sets.lua")
        tree = json.loads(self.rules_cmd("tree", f).stdout)
        self.assertEqual({k: tree["questions"]["w"][k] for k in ("multiple", "min", "max")},
                         {"multiple": True, "min": 1, "max": 2})
        root = tree["nodes"][tree["root"]]
        self.assertEqual(sorted(root["next"]), ["db", "db,docker", "db,win", "docker", "docker,win", "win"])
        leaf = tree["nodes"][root["next"]["db,win"]]
        self.assertEqual([(r["outcome"], r["score"]) for r in leaf["ranking"]], [("kvm", 8), ("vps", 3)])
        self.assertEqual(leaf["ranking"][1]["reasons"], [{"en": "A VPS runs Windows too.", "fr": "A VPS runs Windows too."}])
        self.assertNotIn("ranking", tree["nodes"][root["next"]["db"]])  # return "vps": a ranking of one
        dot = self.rules_cmd("tree", f, "--format", "dot").stdout
        self.assertIn('[label="Docker + Windows"]', dot)
        self.assertIn("1. KVM (kvm) 8\\n- Windows needs its kernel.\\n2. VPS (vps) 3", dot)

    def test_bad_sets_and_rankings_errors_at_their_line(self):
        head = ('title "T"\noutcome "x" { text = "X" }\noutcome "y" { text = "Y" }\n'
                'question "w" { text = "W", multiple = true, answers = {\n'
                '  { id = "a", en = "A", fr = "A" }, { id = "b", en = "B", fr = "B" } } }\n')
        cases = {
            'question "m" { text = "M", multiple = true, min = 3, answers = {\n'
            '  { id = "a", en = "A", fr = "A" }, { id = "b", en = "B", fr = "B" } } }\n'
            'decide(function(a) return "x" end)\n':
                "bad.lua:6: error: question 'm': min is 3 but the question has 2 answers; give at most 2",
            'decide(function(a)\n  if a.w.a then\n    return { x = "ten" }\n  end\n  return "x"\nend)\n':
                "bad.lua:8: error: the ranking decide returned gives 'x' a string instead of a score "
                "(answers: w=a); scores are numbers, as in { x = 8 }",
            'decide(function(a)\n  return { x = 1, kvm = 2 }\nend)\n':
                "bad.lua:7: error: the ranking decide returned names 'kvm', which is not a declared outcome",
            'local t = {}\nfor i = 1, 30 do t[i] = { id = "a" .. i, en = "A", fr = "A" } end\n'
            'question "m" { text = "M", multiple = true, max = 2, answers = t }\n'
            'decide(function(a) return "x" end)\n':
                "bad.lua:8: error: question 'm' allows 466 selections (up to 2 of its 30 answers), more than "
                "the 256 a question may have; lower max or split the question",
            'decide(function(a) return "x" end)\nexpect({ w = "a" }, "x")\n':
                "bad.lua:7: error: expect gives question 'w' one answer, but it takes a set; write w = { \"a\" }",
        }
        for body, msg in cases.items():
            write_tree(self.tmp, {"rules/bad.lua": head + body})
            p = self.rules_cmd("test", self.path("rules", "bad.lua"))
            self.assertEqual(p.returncode, 1, body)
            self.assertIn(msg, p.stderr)
            self.assertEqual(p.stderr.count(": error: "), 1, p.stderr)  # printed once

    def test_real_rules_file_if_present(self):
        real = os.path.join(ROOT, "rules", "choose-virtualization.lua")
        if not os.path.exists(real):
            self.skipTest("rules/choose-virtualization.lua is not written yet")
        p = run("rules", "test", real, "--source", ROOT)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertNotIn("error:", p.stderr)

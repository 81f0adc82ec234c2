"""Code blocks through the CLI (issue 17): highlighting, title="…", console
prompts, the unknown-language warning of phare check, the search text."""
import json
import os
import re

from phare_test import TempDirTest, read, run, write_tree

KNOWN = ("apache, bash, batch, c, console, css, diff, dockerfile, go, html, http, ini, java, javascript, "
         "json, kotlin, nginx, php, powershell, python, r, ruby, rust, sql, yaml")

ARTICLE = """---
title: Code
---
Install:

```bash title="install.sh"
sudo apt install nginx # web
```

```console
$ nginx -v
nginx version: nginx/1.22.1
```

```cobol
fn main() {}
```

```text
plain <b>
```

    indented
"""


class CodeBlocksTest(TempDirTest):
    def setUp(self):
        super().setUp()
        write_tree(self.tmp, {
            "content/site.yaml": """
                title: Aide
                default_language: fr
                languages: [{code: fr, name: Français}, {code: en, name: English}]
                """,
            "content/fr/s/code.md": ARTICLE,
            "content/en/s/code.md": ARTICLE.replace("title: Code", "title: Code en"),
            "content/fr/s/prose.md": "---\ntitle: Prose\n---\nNo code, `inline` aside.\n",
            "content/en/s/prose.md": "---\ntitle: Prose\n---\nNo code.\n",
        })

    def test_check_warns_at_the_fence_of_an_unknown_language(self):
        r = run("check", "--source", self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = sorted(l for l in r.stderr.splitlines() if "code language" in l)
        self.assertEqual(len(lines), 2, r.stderr)
        for lang, line in zip(("en", "fr"), lines):
            want = (f"content/{lang}/s/code.md:15:1: warning: unknown code language 'cobol', shown as plain "
                    f"text; the known languages are {KNOWN} (or text for none)")
            self.assertTrue(line.endswith(want), line)
        self.assertIn("check: 0 errors, 2 warnings", r.stderr)
        self.assertEqual(run("check", "--source", self.tmp, "--strict").returncode, 1)

    def test_known_plain_and_no_language_do_not_warn(self):
        write_tree(self.tmp, {"content/fr/s/code.md": ARTICLE.replace("```cobol", "```YAML"),
                              "content/en/s/code.md": ARTICLE.replace("```cobol", "```Shell")})
        r = run("check", "--source", self.tmp, "--strict")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("code language", r.stderr)

    def test_build_highlights_with_title_and_prompts(self):
        out = self.path("site")
        r = run("build", "--source", self.tmp, "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        html = read(os.path.join(out, "fr/s/code/index.html"))
        self.assertIn('<div class="code-block"><div class="code-title">install.sh</div>'
                      '<pre tabindex="0" data-lang="bash"><code class="language-bash">'
                      '<span class="hl-b">sudo apt </span>install nginx <span class="hl-c"># web\n</span>'
                      '</code></pre></div>', html)
        self.assertIn('<pre tabindex="0" data-lang="console"><code class="language-console">'
                      '<span class="hl-p">$ </span><span class="hl-cmd"><span class="hl-b">nginx </span>'
                      '<span class="hl-a">-v</span></span>\n<span class="hl-g">nginx version: nginx/1.22.1\n'
                      '</span></code></pre>', html)
        # unknown and plain: escaped, no data-lang, no span
        self.assertIn('<pre tabindex="0"><code class="language-cobol">fn main() {}\n</code></pre>', html)
        self.assertIn('<pre tabindex="0"><code class="language-text">plain &lt;b&gt;\n</code></pre>', html)
        self.assertIn('<pre tabindex="0"><code>indented\n</code></pre>', html)
        # the copy button is JavaScript's: not in the page
        self.assertNotIn("code-copy", html)
        # code.css and code.js only where there is code, labels from templates/i18n
        self.assertRegex(html, r'<link rel="stylesheet" href="/assets/code\.[0-9a-f]{10}\.css">\n'
                               r'<script src="/assets/code\.[0-9a-f]{10}\.js" defer '
                               r'data-copy="Copier" data-copied="Copié"></script>')
        prose = read(os.path.join(out, "fr/s/prose/index.html"))
        self.assertNotIn("/assets/code.", prose)
        en = read(os.path.join(out, "en/s/code/index.html"))
        self.assertIn('data-copy="Copy" data-copied="Copied"', en)

    def test_search_text_is_the_code_not_its_markup(self):
        out = self.path("site")
        self.assertEqual(run("build", "--source", self.tmp, "--out", out).returncode, 0)
        words = set()
        for name in os.listdir(os.path.join(out, "fr/search")):
            text = read(os.path.join(out, "fr/search", name))
            words.update(re.findall(r'"([a-z0-9_]+)"', text))
        for w in ("sudo", "nginx", "version", "indented"):
            self.assertIn(w, words)
        for w in ("hl", "span", "install.sh", "copier"):
            self.assertNotIn(w, words)

    def test_pathological_code_blocks_build_fast(self):
        """256 KiB articles of code made to hurt a lexer: one line of a quote
        whose closing quote is always escaped, and many console lines of it."""
        import time
        shapes = {
            "bash": '"\\' * 60000,
            "console": ('$ "\\' + '"\\' * 30 + "\n") * 2000,
            "yaml": ("- " * 40 + "k: |\n") * 2500,
            "html": "<a b=\"" * 40000,
            "css": "{" * 200000,
        }
        files = {}
        for lang, code in shapes.items():
            body = f"---\ntitle: {lang}\n---\n```{lang}\n{code}\n```\n"
            self.assertLess(len(body.encode()), 262144)
            files[f"content/fr/p/{lang}.md"] = body
            files[f"content/en/p/{lang}.md"] = body
        write_tree(self.tmp, files)
        started = time.monotonic()
        r = run("build", "--source", self.tmp, "--out", self.path("site"), "--quiet")
        took = time.monotonic() - started
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertLess(took, 10, f"{took:.1f} s")

"""Notices and tabs through the CLI (generator/render/callout.h): site.yaml's
callouts: names rendered as their kinds, default titles in each page's
language, tabs.js loaded by the pages with tabs only, the search text of a
notice without its default title; errors at their file:line:col, once.
(Each construct's HTML and each error's wording: tests/unit/test_callout.c;
more error cases: tests/bad/, md-callout-* and md-tabs-*.)"""
import json
import os
import re

from phare_test import TempDirTest, read, run, write_tree

SITE = {
    "content/site.yaml": """
        title: { fr: Aide, en: Help }
        default_language: fr
        languages:
          - { code: fr, name: Français }
          - { code: en, name: English }
        callouts: { primary: note, alert: caution, success: tip }
        """,
    "content/fr/_index.md": "---\ntitle: Aide\n---\n",
    "content/en/_index.md": "---\ntitle: Help\n---\n",
    "content/fr/g/_index.md": "---\ntitle: Guides\n---\n",
    "content/en/g/_index.md": "---\ntitle: Guides\n---\n",
    "content/fr/g/installer.md": """
        ---
        title: Installer
        ---
        > [!WARNING]
        > Sauvegardez d'abord.

        > [!ALERT]- Irréversible
        > Les données sont effacées.

        > [!success]
        > Bravo.

        > [!TABS]
        > **Debian**
        >> apt install qemu-kvm
        >
        > **Rocky Linux**
        >> dnf install qemu-kvm
        """,
    "content/en/g/installer.md": """
        ---
        title: Install
        ---
        > [!PRIMARY]
        > Back up first.
        """,
}


class Callouts(TempDirTest):
    def build(self, files):
        write_tree(self.path("src"), files)
        out = self.path("out")
        return run("build", "--source", self.path("src"), "--out", out, "--quiet"), out

    def test_site_names_titles_and_tabs(self):
        r, out = self.build(SITE)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        fr = read(os.path.join(out, "fr/g/installer/index.html"))
        en = read(os.path.join(out, "en/g/installer/index.html"))
        # site.yaml's names, as their kinds; default titles in the page's language
        self.assertIn('<div class="callout" data-callout="warning">', fr)
        self.assertRegex(fr, r'data-search-ignore><svg[^>]*aria-hidden="true"><path d="[^"]+"/></svg>\nAvertissement</p>')
        self.assertIn('<details class="callout" data-callout="caution">', fr)
        self.assertIn('\nIrréversible\n</summary>', fr)
        self.assertIn('<div class="callout" data-callout="tip">', fr)
        self.assertIn("</svg>\nAstuce</p>", fr)
        self.assertIn('<div class="callout" data-callout="note">', en)
        self.assertIn("</svg>\nNote</p>", en)
        # tabs, and their script on that page only
        self.assertIn('<div class="tabs" data-tabs>', fr)
        self.assertIn('<div class="tabs-panel" data-tab="Rocky Linux">', fr)
        self.assertRegex(fr, r'<script src="/assets/tabs\.[0-9a-f]{10}\.js" defer></script>')
        self.assertNotIn("tabs.", re.sub(r"data-tabs|tabs-", "", en))
        # the search text: the notice's words, not its default title
        docs = json.loads(read(os.path.join(out, "fr/search/d-0.json")))
        page = [d for d in docs if d[1] == "/fr/g/installer/"][0]
        self.assertIn("Sauvegardez d'abord.", page[5])
        self.assertIn("Irréversible", page[5])
        self.assertNotIn("Avertissement", page[5])
        self.assertNotIn("Astuce", page[5])

    def test_unknown_kind_once_at_its_line(self):
        files = dict(SITE)
        files["content/en/g/installer.md"] = "---\ntitle: Install\n---\nText.\n\n> [!DANGER]\n> x\n"
        r, out = self.build(files)
        self.assertEqual(r.returncode, 1)
        want = ("content/en/g/installer.md:6:3: error: unknown notice '[!DANGER]'; use [!NOTE], [!TIP], "
                "[!IMPORTANT], [!WARNING], [!CAUTION], [!TABS], or this site's names (site.yaml callouts:) "
                "[!PRIMARY], [!ALERT], [!SUCCESS]\n")
        err = r.stderr.replace(self.path("src") + "/", "")
        self.assertEqual(err.count("error:"), 1, err)  # printed once
        self.assertTrue(err.startswith(want), err)
        self.assertIn("phare build: failed with 1 error", err)

    def test_site_yaml_errors(self):
        for callouts, msg in [
            ("callouts: { alert: danger }", "content/site.yaml:6:20: error: callouts: 'danger' is not a kind of "
             "notice; map 'alert' onto note, tip, important, warning or caution"),
            ("callouts: { warning: caution }", "content/site.yaml:6:22: error: callouts: 'warning' is already a "
             "kind of its own; list only other names"),
            ("callouts: note", "content/site.yaml:6:11: error: 'callouts' must be a mapping, not a string"),
        ]:
            files = dict(SITE)
            files["content/site.yaml"] = SITE["content/site.yaml"].replace(
                "callouts: { primary: note, alert: caution, success: tip }", callouts)
            r, _ = self.build(files)
            self.assertEqual(r.returncode, 1, callouts)
            self.assertEqual(r.stderr.replace(self.path("src") + "/", "").splitlines()[0], msg)

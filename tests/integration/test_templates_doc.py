"""templates/README.md documents the data of every template: each name a
template uses ({{name}}, {{{name}}}, {{&name}}, {{#name}}, {{^name}}) must be
written there as `name` (dotted names whole: `feedback.article`), and each
{{t.KEY}} must be a key of every templates/i18n/<lang>.yaml.  A template that
starts using a new name fails here until the README says what it is."""
import glob
import os
import re
import unittest

from phare_test import ROOT, read

TEMPLATES = os.path.join(ROOT, "templates")
TAG = re.compile(r"\{\{(\{?)\s*([#^/>&!=]?)\s*(.*?)\s*\}?\}\}", re.S)


def used_names():
    """{name: [template, ...]} for every name the templates look up."""
    names = {}
    for path in sorted(glob.glob(os.path.join(TEMPLATES, "**", "*.mustache"), recursive=True)):
        rel = os.path.relpath(path, TEMPLATES)
        for triple, sigil, name in TAG.findall(read(path)):
            if sigil == "=":
                raise AssertionError(f"{rel}: a delimiter change; this test reads only {{{{ }}}} tags")
            if sigil in ("!", "/", ">") or name == ".":
                continue
            names.setdefault(name, []).append(rel)
    return names


def i18n_keys():
    """{lang: set of keys} of templates/i18n/*.yaml (flat mappings)."""
    keys = {}
    for path in sorted(glob.glob(os.path.join(TEMPLATES, "i18n", "*.yaml"))):
        lang = os.path.basename(path)[:-5]
        keys[lang] = set(re.findall(r"(?m)^([A-Za-z0-9_]+):", read(path)))
    return keys


class TemplatesReadme(unittest.TestCase):
    def setUp(self):
        self.doc = read(os.path.join(TEMPLATES, "README.md"))
        self.documented = set(re.findall(r"`([A-Za-z0-9_.]+)`", self.doc))

    def test_the_extraction_sees_the_templates(self):
        names = used_names()
        for name in ("title", "content", "languages", "t.toc", "asset.phare_css", "feedback.revision"):
            self.assertIn(name, names)

    def test_every_name_a_template_uses_is_documented(self):
        missing = [f"{name} (in {', '.join(sorted(set(where)))})"
                   for name, where in sorted(used_names().items())
                   if not name.startswith("t.") and name not in self.documented]
        self.assertEqual(missing, [], "add these to templates/README.md")

    def test_every_interface_string_exists_in_every_language(self):
        keys = i18n_keys()
        self.assertIn("t", self.documented)
        self.assertGreaterEqual(len(keys), 2)
        missing = [f"{name} (no '{name[2:]}' in i18n/{lang}.yaml)"
                   for name in sorted(used_names()) if name.startswith("t.")
                   for lang, have in keys.items() if name[2:] not in have]
        self.assertEqual(missing, [])

    def test_every_template_and_partial_has_its_section(self):
        for path in sorted(glob.glob(os.path.join(TEMPLATES, "**", "*.mustache"), recursive=True)):
            rel = os.path.relpath(path, TEMPLATES)
            self.assertIn(f"`{rel}`", self.doc, f"templates/README.md does not describe {rel}")

    def test_pages_c_points_at_this_file(self):
        self.assertIn("templates/README.md", read(os.path.join(ROOT, "generator", "build", "pages.c")))


if __name__ == "__main__":
    unittest.main()

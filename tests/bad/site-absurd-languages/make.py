"""Generates the case's big input into the site folder given as argv[1]
(too big to keep in git)."""
import os
import sys

src = sys.argv[1]


def write(rel, data):
    path = os.path.join(src, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


langs = b", ".join(b"{ code: l%d, name: L }" % i for i in range(1000))
write("content/site.yaml", b"title: Aide\nbase_url: /help/\ndefault_language: l0\nlanguages: [" + langs + b"]\n")

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


# 10,000 nested block quotes, lists, emphasis and brackets, under the 256 KiB cap.
body = (b"> " * 10000 + b"quote\n\n" + b"- " * 10000 + b"item\n\n" + b"1. " * 5000 + b"n\n\n"
        + b"*" * 20000 + b"x" + b"*" * 20000 + b"\n\n" + b"[" * 10000 + b"x" + b"]" * 10000 + b"\n")
write("content/fr/reseau/dns.md", b"---\ntitle: DNS\n---\n" + body)

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


lines = [b"a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
for i in range(1, 10):
    lines.append(b"a%d: &a%d [" % (i, i) + b", ".join([b"*a%d" % (i - 1)] * 10) + b"]")
write("content/fr/reseau/dns.md", b"---\ntitle: DNS\n" + b"\n".join(lines) + b"\n---\nCorps.\n")

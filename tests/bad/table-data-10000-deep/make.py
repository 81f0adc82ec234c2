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


# Flow style: 10,000 nested lists, then mappings: a few tens of KiB.
write("content/tables/offres.yaml", b"title: T\ncolumns: " + b"[" * 10000 + b"]" * 10000 + b"\nrows: "
      + b"{a: " * 10000 + b"b" + b"}" * 10000 + b"\n")

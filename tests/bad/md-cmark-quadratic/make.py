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


# CVE-2023-22486 and CVE-2023-22484 at just under phare's 256 KiB cap.
head = b"---\ntitle: DNS\n---\n"
write("content/fr/reseau/dns.md", head + b"![[]()" * ((256 * 1024 - len(head)) // 6 - 1))
write("content/en/reseau/dns.md", head + b"<!--" * ((256 * 1024 - len(head)) // 4 - 1))

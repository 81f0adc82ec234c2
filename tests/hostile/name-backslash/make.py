# A file name a stranger can commit: refused, never published.
import os, sys
name = b"a\\..\\..\\evil.png"
with open(os.path.join(sys.argv[1].encode(), b"content/en/reseau/", name), "wb") as f:
    f.write(b"x")

import os, sys
name = "․․".encode()
with open(os.path.join(sys.argv[1].encode(), b"content/en/reseau/", name), "wb") as f:
    f.write(b"x")

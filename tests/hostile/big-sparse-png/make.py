# A 2 GiB file named *.png that takes no disk: it must be refused by its size, not copied.
import os, sys
with open(os.path.join(sys.argv[1], "content/en/reseau/huge.png"), "wb") as f:
    f.truncate(2 << 30)

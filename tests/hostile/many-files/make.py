# 200,000 tiny files in one section: refused while content/ is listed (max_files).
import os, sys
d = os.path.join(sys.argv[1], "content/en/reseau")
for i in range(200000):
    with open(os.path.join(d, "f%06d.txt" % i), "w") as f:
        f.write("x")

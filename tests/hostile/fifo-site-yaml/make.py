import os, sys
p = os.path.join(sys.argv[1], "content/site.yaml")
os.remove(p)
os.mkfifo(p)

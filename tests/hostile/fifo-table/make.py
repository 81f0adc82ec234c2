import os, sys
os.mkfifo(os.path.join(sys.argv[1], "content/tables/pipe.yaml"))

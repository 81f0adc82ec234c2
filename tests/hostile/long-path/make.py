# A path 4,000 characters long under content/ (16 folders of 250 characters),
# made one folder at a time: with the source folder's own path it is longer
# than PATH_MAX.
import os, sys
fd = os.open(os.path.join(sys.argv[1], "content/en/reseau"), os.O_RDONLY)
for i in range(16):
    name = chr(ord("a") + i) * 250
    os.mkdir(name, dir_fd=fd)
    nfd = os.open(name, os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    fd = nfd
with open(os.open("deep.md", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as f:
    f.write("---\ntitle: Deep\n---\nDeep.\n")
os.close(fd)

# 10,000 nested folders inside a section (made with relative mkdirat-style steps:
# the whole path is far longer than PATH_MAX).
import os, sys
fd = os.open(os.path.join(sys.argv[1], "content/en/reseau"), os.O_RDONLY)
for i in range(10000):
    os.mkdir("d", dir_fd=fd)
    nfd = os.open("d", os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    fd = nfd
os.close(fd)

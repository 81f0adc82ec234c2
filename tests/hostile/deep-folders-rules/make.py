# 10,000 nested folders under rules/.
import os, sys
fd = os.open(os.path.join(sys.argv[1], "rules"), os.O_RDONLY)
for i in range(10000):
    os.mkdir("d", dir_fd=fd)
    nfd = os.open("d", os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    fd = nfd
os.close(fd)

import os, socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(os.path.join(sys.argv[1], "content/en/reseau/sock.png"))
s.close()

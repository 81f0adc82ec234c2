# A PNG whose header claims 2^31-1 x 2^31-1 pixels in 60 bytes: copied as it is, never decoded.
import os, struct, sys, zlib
ihdr = struct.pack(">IIBBBBB", 0x7FFFFFFF, 0x7FFFFFFF, 8, 6, 0, 0, 0)
chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")
with open(os.path.join(sys.argv[1], "content/en/reseau/liar.png"), "wb") as f:
    f.write(data)
with open(os.path.join(sys.argv[1], "content/en/reseau/dns.md"), "a") as f:
    f.write("\n![A liar](liar.png)\n")

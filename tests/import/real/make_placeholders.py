#!/usr/bin/env python3
"""Writes the binary files of an imported documentation fixture as tiny placeholders.

usage: make_placeholders.py NAME ROOT
  NAME  a tree of this folder (laravel-translatable, table-reader, hugo-book)
  ROOT  a scratch copy of tests/import/real/NAME

A copy of ../shared/import/make_placeholders.py for the trees kept in the repository.
The trees keep only the text of the public sources (see SOURCE.md). Their images and other
binary files (screenshots, PDFs, audio) are listed in assets.tsv with the kind their real bytes
had; this writes a small valid file of that kind at each listed path (a 1x1 PNG, JPEG, GIF, WebP,
ICO or SVG; a few placeholder bytes for anything else), so an importer that copies images, and a
build that reads their dimensions, find real files of the right type. Existing files are kept.
Prints the number of files written.
"""
import base64, os, struct, sys, zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def png(w=1, h=1):
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xff\xff\xff" * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def jpeg():
    # baseline JPEG, 1x1, one grey component; one-code Huffman tables (DC: category 0, AC: EOB)
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    dqt = b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + b"\x01" * 64
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 1, 1, 1) + b"\x01\x11\x00"
    bits = b"\x01" + b"\x00" * 15
    dht = (b"\xff\xc4" + struct.pack(">H", 20) + b"\x00" + bits + b"\x00"
           + b"\xff\xc4" + struct.pack(">H", 20) + b"\x10" + bits + b"\x00")
    sos = b"\xff\xda" + struct.pack(">H", 8) + b"\x01\x01\x00\x00\x3f\x00"
    return b"\xff\xd8" + app0 + dqt + sof + dht + sos + b"\x3f" + b"\xff\xd9"


GIF = base64.b64decode("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==")
# lossless WebP (VP8L), 1x1
WEBP = base64.b64decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1" viewBox="0 0 1 1"><rect width="1" height="1" fill="#ccc"/></svg>\n'


def ico():
    p = png(16, 16)  # an ICO that holds one PNG image
    return struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", 16, 16, 0, 0, 1, 32, len(p), 22) + p


def data_for(kind):
    return {"png": png, "jpeg": jpeg, "gif": lambda: GIF, "webp": lambda: WEBP, "svg": lambda: SVG,
            "ico": ico}.get(kind, lambda: b"placeholder for a binary file of the source tree\n")()


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    name, root = sys.argv[1], sys.argv[2]
    n = 0
    with open(os.path.join(HERE, "assets.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            fixture, rel, kind = line.rstrip("\n").split("\t")
            if fixture != name:
                continue
            dst = os.path.join(root, rel)
            if os.path.exists(dst):
                continue
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(dst, "wb") as out:
                out.write(data_for(kind))
            n += 1
    print(n)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Two phare binaries' one-article rebuilds, side by side (issue 23).

    bench/ab_rebuild.py PHARE_A PHARE_B CORPUS SCRATCH [EDITS]

Each binary gets its own copy of the corpus's content under SCRATCH, built
twice (the cache written, then nothing changed); then EDITS times (8 by
default) the same article's body is edited in both copies and each binary
rebuilds its own, the two alternating, so that a drifting machine hurts
them alike.  Prints, per binary, the median and the range of the wall
times and the median CPU time (user + system) of those rebuilds.  Figures
only: bench/incremental.py measures each kind of edit against a full build."""
import os
import shutil
import statistics
import sys

from measure import run_once  # bench/: exits with phare's status when a build fails


def build(phare, src, site):
    wall, user, system, _, _ = run_once([phare, "build", "--source", src, "--out", site, "--quiet"], False)
    return wall, user + system


def main():
    bins = [os.path.abspath(b) for b in sys.argv[1:3]]
    corpus, scratch = sys.argv[3:5]
    edits = int(sys.argv[5]) if len(sys.argv) > 5 else 8
    copies = []
    for k, phare in enumerate(bins):
        d = os.path.join(scratch, "ab-%d" % k)
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(os.path.join(corpus, "content"), os.path.join(d, "src", "content"))
        copies.append((phare, os.path.join(d, "src"), os.path.join(d, "site")))
        build(*copies[-1])
        build(*copies[-1])
    root = os.path.join(copies[0][1], "content", "en")
    arts = sorted(os.path.relpath(os.path.join(d, f), copies[0][1])
                  for d, _, fs in os.walk(root) for f in fs if f.endswith(".md") and f != "_index.md")
    walls, cpus = [[] for _ in bins], [[] for _ in bins]
    for i in range(edits):
        rel = arts[i * 97 % len(arts)]
        for k, (phare, src, site) in enumerate(copies):
            with open(os.path.join(src, rel), "a", encoding="utf-8") as f:
                f.write("\nOne more sentence (%d).\n" % i)
            w, c = build(phare, src, site)
            walls[k].append(w)
            cpus[k].append(c)
    for k, phare in enumerate(bins):
        print("%s: one body edited, %d rebuilds: wall median %.3f s (%.3f to %.3f), CPU median %.3f s" % (
            phare, edits, statistics.median(walls[k]), min(walls[k]), max(walls[k]), statistics.median(cpus[k])))
    for _, src, site in copies:
        shutil.rmtree(os.path.dirname(src), ignore_errors=True)


if __name__ == "__main__":
    main()

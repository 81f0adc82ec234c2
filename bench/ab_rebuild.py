#!/usr/bin/env python3
"""Phare binaries' one-article rebuilds, side by side (issue 23).

    bench/ab_rebuild.py PHARE_A PHARE_B [PHARE_C ...] CORPUS SCRATCH [EDITS]

Each binary gets its own copy of the corpus's content under SCRATCH, built
twice (the cache written, then nothing changed), then edited and rebuilt
once unmeasured (that rebuild has no kept site yet: it links every page);
then EDITS times (8 by default) the same article's body is edited in every
copy and each binary rebuilds its own, in turn, the order reversed at every
edit, so that a drifting machine and the place in the turn hurt them alike.
Prints, per binary, the median and the quartiles of the wall times and the
median CPU time (user + system); and for each binary after the first, the
median of its wall time over the first one's at the same edit, with the
quartiles of that ratio: on a shared machine single medians of a dozen
edits moved by 5 to 10 % between runs of the same two binaries (thirteenth
session), and a ratio whose quartiles hold 1.0 says no difference.  Figures
only: bench/incremental.py measures each kind of edit against a full build."""
import os
import shutil
import statistics
import sys

from measure import run_once  # bench/: exits with phare's status when a build fails


def build(phare, src, site):
    wall, user, system, _, _ = run_once([phare, "build", "--source", src, "--out", site, "--quiet"], False)
    return wall, user + system


def quartiles(xs):
    q = statistics.quantiles(xs, n=4) if len(xs) > 1 else [xs[0]] * 3
    return q[0], q[1], q[2]


def edit(src, rel, i):
    with open(os.path.join(src, rel), "a", encoding="utf-8") as f:
        f.write("\nOne more sentence (%d).\n" % i)


def main():
    args = sys.argv[1:]
    edits = int(args.pop()) if args and args[-1].isdigit() else 8
    if len(args) < 4:
        sys.exit(__doc__)
    bins = [os.path.abspath(b) for b in args[:-2]]
    corpus, scratch = args[-2:]
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
    for phare, src, site in copies:  # the rebuild without a kept site, not measured
        edit(src, arts[-1], -1)
        build(phare, src, site)
    walls, cpus = [[] for _ in bins], [[] for _ in bins]
    for i in range(edits):
        rel = arts[i * 97 % len(arts)]
        order = range(len(bins)) if i % 2 == 0 else reversed(range(len(bins)))
        for k in order:
            phare, src, site = copies[k]
            edit(src, rel, i)
            w, c = build(phare, src, site)
            walls[k].append(w)
            cpus[k].append(c)
    for k, phare in enumerate(bins):
        q1, q2, q3 = quartiles(walls[k])
        print("%s: one body edited, %d rebuilds: wall median %.3f s (quartiles %.3f to %.3f, range %.3f "
              "to %.3f), CPU median %.3f s" % (phare, edits, q2, q1, q3, min(walls[k]), max(walls[k]),
                                               statistics.median(cpus[k])))
    for k in range(1, len(bins)):
        r1, r2, r3 = quartiles([b / a for a, b in zip(walls[0], walls[k])])
        print("%s / %s, edit by edit: wall ratio median %.3f (quartiles %.3f to %.3f)" % (
            os.path.basename(bins[k]), os.path.basename(bins[0]), r2, r1, r3))
    for _, src, site in copies:
        shutil.rmtree(os.path.dirname(src), ignore_errors=True)


if __name__ == "__main__":
    main()

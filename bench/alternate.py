#!/usr/bin/env python3
"""Alternating runs of phare builds and the cmark bound on one corpus: what
`make bench` measures, but tool after tool in turn, so that a host that
speeds up or slows down during the run moves every tool alike.

    bench/alternate.py CORPUS TOOL... [--runs N] [--pause S]

A TOOL is a phare binary (run as `TOOL build --source CORPUS --out OUT
--quiet --no-cache`) or a path containing "cmark" (the bound, run as
`TOOL CORPUS OUT`).  Each run writes into a fresh /dev/shm folder, removed
before the next, then waits S seconds (default 0.5: the kernel goes on
freeing a removed tree after rm returns).  Prints each tool's median and
minimum, and with a bound last, each phare's median over the bound's.
Figures only, never a verdict."""
import argparse
import shutil
import statistics
import subprocess
import time

OUT = "/dev/shm/phare-alternate"


def run(tool, corpus):
    if "cmark" in tool:
        cmd = [tool, corpus, OUT]
    else:
        cmd = [tool, "build", "--source", corpus, "--out", OUT, "--quiet", "--no-cache"]
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("tools", nargs="+")
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--pause", type=float, default=0.5)
    a = ap.parse_args()
    times = {t: [] for t in a.tools}
    for _ in range(a.runs):
        for tool in a.tools:
            shutil.rmtree(OUT, ignore_errors=True)
            time.sleep(a.pause)
            times[tool].append(run(tool, a.corpus))
    shutil.rmtree(OUT, ignore_errors=True)
    for tool in a.tools:
        print("%s: median %.1f ms, min %.1f ms" % (tool, statistics.median(times[tool]) * 1000,
                                                  min(times[tool]) * 1000))
    bound = a.tools[-1]
    if "cmark" in bound:
        for tool in a.tools[:-1]:
            print("%s / bound: %.3f" % (tool, statistics.median(times[tool]) / statistics.median(times[bound])))


if __name__ == "__main__":
    main()

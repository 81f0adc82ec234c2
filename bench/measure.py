#!/usr/bin/env python3
"""Helper of bench/run: runs one command and prints what it cost.

    bench/measure.py [--repeat N] -- COMMAND [ARGS...]

Prints one line: wall seconds, user seconds, system seconds, peak resident
memory in KiB (of the largest process of the command's tree, as GNU time's
%M: ru_maxrss from wait4), then the command's last line of standard output
(for hugo-baseline and cmark-bound, the number of pages).  With --repeat N
it runs the command N times and prints the median wall time only (start-up
figures).  Exits with the command's status when it fails."""
import os
import statistics
import subprocess
import sys
import time


def run_once(cmd, capture):
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE if capture else subprocess.DEVNULL)
    out = proc.stdout.read() if capture else b""
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.stderr.write("measure: %s exited with %d\n" % (" ".join(cmd), code))
        sys.exit(code if code > 0 else 1)
    lines = out.decode("utf-8", "replace").strip().splitlines()
    return wall, ru.ru_utime, ru.ru_stime, ru.ru_maxrss, lines[-1] if lines else ""


def main():
    args = sys.argv[1:]
    repeat = 0
    if args[:1] == ["--repeat"]:
        repeat = int(args[1])
        args = args[2:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        sys.exit(__doc__)
    if repeat:
        walls = [run_once(args, False)[0] for _ in range(repeat)]
        print("%.6f" % statistics.median(walls))
        return
    wall, user, sys_, rss, last = run_once(args, True)
    print("%.4f %.4f %.4f %d %s" % (wall, user, sys_, rss, last))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Benchmark of `phare collect`: votes per second accepted with durability on
(--sync full: each acknowledged vote survives a power loss) and latency
percentiles, on this machine.

    bench/collector.py [--seconds S] [--clients N] [--sync full|normal]

Starts build/phare (or $PHARE) on a free 127.0.0.1 port with a fresh
database in a temporary folder, runs N client threads, each on its own
keep-alive connection posting JSON votes as fast as it gets answers, for
S seconds, then prints one line per figure, e.g.
    collector: 1234 votes/s (sync full, 32 clients, 10 s), p50 3.1 ms, p99 9.8 ms
Every vote is checked to be in the database afterwards.  The Python
clients cost CPU too: the figures are a floor, not a ceiling."""
import argparse
import http.client
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
PHARE = os.path.join(ROOT, os.environ.get("PHARE", "build/phare"))
SITE = os.path.join(ROOT, "tests", "fixtures", "feedback", "site")


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, int(round(p / 100.0 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--sync", choices=("full", "normal"), default="full")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="phare-bench-")
    db = os.path.join(tmp, "votes.db")
    proc = subprocess.Popen([PHARE, "collect", "--db", db, "--site", SITE, "--listen", "127.0.0.1:0",
                             "--max-per-minute", "0", "--sync", args.sync,
                             "--max-connections", str(args.clients + 16)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        if "127.0.0.1:" not in line:
            sys.exit("bench: the collector did not start: %s%s" % (line, proc.stderr.read()))
        port = int(line.split("127.0.0.1:")[1].split("/")[0])

        latencies, errors, lock = [], [0], threading.Lock()
        start_gate = threading.Barrier(args.clients + 1)
        deadline = [0.0]

        def client(n):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine, bad, i = [], 0, 0
            start_gate.wait()
            while time.monotonic() < deadline[0]:
                body = json.dumps({"article": "virtualisation/lxc", "lang": "fr",
                                   "vote": "yes" if i % 3 else "no", "client": "b%d-%d" % (n, i)})
                i += 1
                t0 = time.perf_counter()
                try:
                    conn.request("POST", "/api/feedback", body, {"Content-Type": "application/json"})
                    r = conn.getresponse()
                    r.read()
                    ok = r.status == 201
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    ok = False
                if ok:
                    mine.append(time.perf_counter() - t0)
                else:
                    bad += 1
            conn.close()
            with lock:
                latencies.extend(mine)
                errors[0] += bad

        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        for t in threads:
            t.start()
        deadline[0] = time.monotonic() + args.seconds
        t_start = time.monotonic()
        start_gate.wait()
        for t in threads:
            t.join(args.seconds + 60)
        elapsed = time.monotonic() - t_start

        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        con = sqlite3.connect(db)
        stored = con.execute("SELECT count(*) FROM votes").fetchone()[0]
        con.close()

        lat = sorted(latencies)
        rate = len(lat) / elapsed
        print("collector: %.0f votes/s (sync %s, %d clients, %.0f s), p50 %.1f ms, p99 %.1f ms, "
              "%d errors" % (rate, args.sync, args.clients, args.seconds, percentile(lat, 50) * 1000,
                             percentile(lat, 99) * 1000, errors[0]))
        if stored != len(lat):
            sys.exit("bench: %d votes acknowledged but %d stored" % (len(lat), stored))
        return 0 if errors[0] == 0 else 1
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

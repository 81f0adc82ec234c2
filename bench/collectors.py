#!/usr/bin/env python3
"""Benchmark of `phare collect` on its two stores, on the same run: durable
votes per second (--sync full: acknowledged = committed to disk) and p99
latency for SQLite with one collector and PostgreSQL with one and with two
collectors sharing one database (issue 20; goal: two collectors on
PostgreSQL >= 5,000 votes/s with p99 under 50 ms).

    bench/collectors.py [--seconds S] [--connections N] [--only sqlite|pg1|pg2]

The load is wrk (bench/collect-vote.lua: every request a new reader's
vote), N connections in all, split between the collectors.  PostgreSQL is a
throwaway cluster (initdb in a temporary folder, Unix socket, fsync on,
the one tests/integration/test_postgres.py starts).  Votes/s counts the
votes found in the database afterwards, over the run's duration; every
acknowledged vote must be there.  Prints one line per setup, e.g.
    collectors: pg x2: 5123 durable votes/s, p50 4.1 ms, p99 21.0 ms (64 connections, 10 s)
p99 with two collectors is the larger of their two p99s."""
import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
PHARE = os.path.join(ROOT, os.environ.get("PHARE", "build/phare"))
SITE = os.path.join(ROOT, "tests", "fixtures", "feedback", "site")
LUA = os.path.join(ROOT, "bench", "collect-vote.lua")
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))


def start_collector(db, env):
    p = subprocess.Popen([PHARE, "collect", "--db", db, "--site", SITE, "--listen", "127.0.0.1:0",
                          "--max-per-minute", "0", "--max-connections", "1024"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    line = p.stdout.readline()
    if "127.0.0.1:" not in line:
        p.kill()
        sys.exit("bench: the collector did not start on %s" % db)
    return p, int(line.split("127.0.0.1:")[1].split("/")[0])


def run_wrk(ports, connections, seconds, tag):
    per = max(1, connections // len(ports))
    procs = [subprocess.Popen(["wrk", "-t", "2", "-c", str(per), "-d", "%ds" % seconds, "--timeout", "10s",
                               "-s", LUA, "http://127.0.0.1:%d/" % port, "--", "%s%d" % (tag, i)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for i, port in enumerate(ports)]
    out = []
    for p in procs:
        text = p.communicate(timeout=seconds + 60)[0]
        line = [l for l in text.splitlines() if l.startswith("WRK ")]
        if not line:
            sys.exit("bench: wrk said: %s" % text)
        n, errors, p50, p99, secs = line[0].split()[1:]
        out.append((int(n), int(errors), float(p50), float(p99), float(secs)))
    return out


def bench(name, dbs, count, env, connections, seconds):
    procs = [start_collector(db, env) for db in dbs]
    try:
        res = run_wrk([port for _, port in procs], connections, seconds, name.replace(" ", ""))
    finally:
        for p, _ in procs:
            p.terminate()
            p.wait(timeout=30)
    sent = sum(r[0] for r in res)
    errors = sum(r[1] for r in res)
    stored = count()
    secs = max(r[4] for r in res)
    print("collectors: %s: %.0f durable votes/s, p50 %.1f ms, p99 %.1f ms (%d connections, %d s; "
          "%d answered, %d stored, %d errors)" % (name, stored / secs, max(r[2] for r in res),
                                                  max(r[3] for r in res), connections, seconds, sent,
                                                  stored, errors), flush=True)
    if stored < sent - errors:
        sys.exit("bench: %d votes acknowledged but %d stored" % (sent - errors, stored))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--only", choices=("sqlite", "pg1", "pg2"))
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench: wrk is missing (scripts/install-deps installs it)")
    tmp = tempfile.mkdtemp(prefix="phare-bench-")
    try:
        if args.only in (None, "sqlite"):
            db = os.path.join(tmp, "votes.sqlite")

            def count_sqlite():
                con = sqlite3.connect(db)
                try:
                    return con.execute("SELECT count(*) FROM votes").fetchone()[0]
                finally:
                    con.close()
            bench("sqlite x1", [db], count_sqlite, None, args.connections, args.seconds)
        if args.only == "sqlite":
            return 0
        import test_postgres
        if test_postgres.pg_missing():
            print("collectors: PostgreSQL 15 is not installed: no PostgreSQL rows")
            return 0
        pg = test_postgres.Postgres()
        try:
            for name, n in (("pg x1", 1), ("pg x2", 2)):
                if args.only not in (None, name.replace(" x", "")):
                    continue
                dbname = "bench%d" % n
                uri = pg.createdb(dbname)
                bench(name, [uri] * n, lambda: int(pg.psql(dbname, "SELECT count(*) FROM votes")),
                      pg.env(), args.connections, args.seconds)
        finally:
            pg.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

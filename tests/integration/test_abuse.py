"""phare collect and phare serve under abuse, on loopback (issue 10, "Servers
under abuse"): slow connections, huge and endless bodies, floods, two
collectors writing the same database, memory over many requests.

Every loop is bounded in count and in time.  Timings are only asserted as
generous bounds where the issue states one (a slow connection closed within
the timeout, GET / answering meanwhile); the measured figures are printed.
Under the sanitizer build (PHARE_SANITIZE set) ASan makes every request
several times slower and its allocator quarantine inflates RSS, so the
counts are scaled down (SCALE), the memory bounds widened and the flat-RSS
bound of test_memory_stays_flat left to LeakSanitizer there."""
import concurrent.futures
import http.client
import json
import os
import selectors
import shutil
import socket
import sqlite3
import statistics
import subprocess
import threading
import time
import unittest
import urllib.parse

import phare_test
from phare_test import PHARE, TempDirTest, run, write_tree
from test_collect import LXC, Collector

SAN = phare_test.SANITIZE
SCALE = 0.2 if SAN else 1.0  # ASan: a fifth of the requests (see the module comment)


def scaled(n, floor=1):
    return max(floor, int(n * SCALE))


def rss_kib(pid):
    """VmRSS of pid, in KiB."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS for %d" % pid)


class Client:
    """A keep-alive HTTP/1.1 connection that reconnects when the server closes."""

    def __init__(self, port, timeout=30):
        self.port, self.timeout, self.conn = port, timeout, None

    def request(self, method, path, body=None, headers=None):
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                r = self.conn.getresponse()
                data = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.close()
                return r.status, data
            except (ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine):
                # A keep-alive connection the server closed between requests;
                # only a request never sent may be retried (a vote is idempotent
                # per client token anyway).
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def vote(self, client, vote="yes", lang="fr"):
        body = urllib.parse.urlencode({"article": LXC, "lang": lang, "vote": vote, "client": client})
        return self.request("POST", "/api/feedback", body,
                            {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def slow_connections(port, n, first_line, interval, limit):
    """Opens n connections that send first_line (a list: one after the
    other, in turn) then one more byte every interval seconds, for at most
    limit seconds.  Returns the time (seconds since opening) at which each
    was closed by the server, or None for those still open at the end."""
    socks, closed_at, sel = [], {}, selectors.DefaultSelector()
    lines = first_line if isinstance(first_line, list) else [first_line]
    try:
        for i in range(n):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.setblocking(False)
            s.send(lines[i % len(lines)])
            socks.append(s)
            sel.register(s, selectors.EVENT_READ)
        t0 = time.monotonic()
        next_byte = t0 + interval
        while len(closed_at) < n and time.monotonic() - t0 < limit:
            for key, _ in sel.select(timeout=0.1):
                s = key.fileobj
                try:
                    data = s.recv(4096)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                # Closed, or answered (a 408 or 400) and about to close: either
                # way the server let go of the slow client.
                closed_at[s] = time.monotonic() - t0
                sel.unregister(s)
                del data
            if time.monotonic() >= next_byte:
                next_byte += interval
                for s in socks:
                    if s not in closed_at:
                        try:
                            s.send(b"X")
                        except OSError:
                            pass  # reported by the select above
        return [closed_at.get(s) for s in socks]
    finally:
        sel.close()
        for s in socks:
            s.close()


class Prober(threading.Thread):
    """GET path from a fresh connection every 0.1 s until stopped; keeps
    the latencies of the answers and every failure."""

    def __init__(self, port, path="/"):
        super().__init__(daemon=True)
        self.port, self.path = port, path
        self.latencies, self.failures = [], []
        self.stopped = threading.Event()

    def run(self):
        for _ in range(2000):  # bound: 200 s at 0.1 s
            if self.stopped.wait(0.1):
                return
            t = time.monotonic()
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                conn.request("GET", self.path)
                r = conn.getresponse()
                r.read()
                if r.status != 200:
                    self.failures.append(r.status)
                else:
                    self.latencies.append(time.monotonic() - t)
            except OSError as e:
                self.failures.append(repr(e))
            finally:
                conn.close()

    def stop(self):
        self.stopped.set()
        self.join(30)


class CollectorAbuseTest(TempDirTest):
    def start(self, *args, **kw):
        c = Collector(self.tmp, *args, **kw)
        self.addCleanup(lambda: c.proc.poll() is None and c.kill9())
        return c

    def stop_clean(self, c):
        rc = c.stop()
        self.assertEqual(rc, 0, "collector did not stop cleanly: " + c.stderr())

    def db_clients(self, db):
        con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=10)
        try:
            return [r[0] for r in con.execute("SELECT client FROM votes")]
        finally:
            con.close()

    def integrity(self, db):
        con = sqlite3.connect(db, timeout=10)
        try:
            return con.execute("PRAGMA integrity_check").fetchall()
        finally:
            con.close()

    def flood(self, port, seconds, workers, make_request, max_requests):
        """Runs make_request(client, i) from workers threads, each on its own
        keep-alive connection, for seconds (and at most max_requests in all).
        Returns the list of (i, status) and the requests per second."""
        results, lock, counter = [], threading.Lock(), [0]
        deadline = time.monotonic() + seconds

        def worker():
            cl = Client(port)
            try:
                while time.monotonic() < deadline:
                    with lock:
                        i = counter[0]
                        counter[0] += 1
                    if i >= max_requests:
                        return
                    status = make_request(cl, i)
                    with lock:
                        results.append((i, status))
            finally:
                cl.close()

        t0 = time.monotonic()
        threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(seconds + 120)
            self.assertFalse(t.is_alive(), "a flood worker is stuck")
        return results, len(results) / (time.monotonic() - t0)

    # 1
    def test_slow_connections_are_closed_while_get_answers(self):
        timeout = 3
        c = self.start("--timeout", str(timeout))
        probe = Prober(c.port)
        probe.start()
        try:
            # 200 clients that each send one byte every 2 s, of their headers
            # (9 in 10) or of a vote's body: never idle for the timeout, so
            # only a deadline on the whole request frees them.
            slow_head = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
            slow_body = (b"POST /api/feedback HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Content-Type: application/x-www-form-urlencoded\r\n"
                         b"Content-Length: 1000\r\n\r\nvote=")
            closed = slow_connections(c.port, 200, [slow_head] * 9 + [slow_body],
                                      interval=2, limit=timeout + 12)
        finally:
            probe.stop()
        still_open = sum(1 for t in closed if t is None)
        late = max((t for t in closed if t is not None), default=0)
        print("\n  slow connections: %d of 200 closed, the last after %.1f s (timeout %d s); "
              "GET / median %.1f ms over %d probes" %
              (200 - still_open, late, timeout,
               1000 * statistics.median(probe.latencies) if probe.latencies else -1, len(probe.latencies)))
        self.assertEqual(still_open, 0, "slow connections still open after %d s" % (timeout + 12))
        slack = 6 if SAN else 3
        self.assertLess(late, timeout + slack, "a slow connection outlived the timeout")
        self.assertEqual(probe.failures, [])
        self.assertGreater(len(probe.latencies), 10)
        self.assertLess(statistics.median(probe.latencies), 1.0)
        self.assertIsNone(c.proc.poll())
        self.stop_clean(c)

    # 2
    def test_huge_and_endless_bodies(self):
        c = self.start("--max-per-minute", "0")
        head = (b"POST /api/feedback HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n")
        # A gigabyte announced, nothing sent: refused at once from the headers.
        s = socket.create_connection(("127.0.0.1", c.port), timeout=5)
        try:
            t = time.monotonic()
            s.sendall(head + b"Content-Length: 1073741824\r\n\r\n")
            answer = s.recv(4096)  # within the 5 s socket timeout, or it raises
            print("\n  1 GB Content-Length: answered in %.1f ms" % (1000 * (time.monotonic() - t)))
        finally:
            s.close()
        self.assertTrue(answer.startswith(b"HTTP/1.1 413 "), answer[:80])

        for path in (b"/api/feedback", b"/", b"/elsewhere"):
            before = rss_kib(c.proc.pid)
            s = socket.create_connection(("127.0.0.1", c.port), timeout=5)
            sent, answer = 0, b""
            try:
                s.sendall(head.replace(b"/api/feedback", path) + b"Transfer-Encoding: chunked\r\n\r\n")
                chunk = b"400\r\n" + b"a" * 1024 + b"\r\n"
                s.settimeout(0.5)
                t0 = time.monotonic()
                while sent < 64 * 1024 * 1024 and time.monotonic() - t0 < 10:
                    try:
                        s.sendall(chunk)
                        sent += len(chunk)
                    except socket.timeout:
                        pass  # the server reads no more: see whether it answered
                    except OSError:
                        break  # closed by the server
                    if sent % (256 * 1024) < len(chunk) or sent == 0:
                        try:
                            s.setblocking(False)
                            d = s.recv(4096)
                            if not d:
                                break
                            answer += d
                            if b"\r\n\r\n" in answer:
                                break
                        except BlockingIOError:
                            pass
                        except OSError:
                            break
                        finally:
                            s.settimeout(0.5)
            finally:
                s.close()
            time.sleep(0.3)  # let the connection's thread finish
            growth = rss_kib(c.proc.pid) - before
            print("  endless chunked body to %s: %d KiB sent, answer %r, RSS %+d KiB" %
                  (path.decode(), sent // 1024, answer[:12], growth))
            self.assertLess(sent, 64 * 1024 * 1024, "the collector read a 64 MiB body to %s" % path.decode())
            if answer:
                self.assertTrue(answer.startswith((b"HTTP/1.1 413 ", b"HTTP/1.1 405 ", b"HTTP/1.1 404 ")),
                                answer[:80])
            self.assertLess(growth, (16 if SAN else 4) * 1024)
        self.assertEqual(c.request("GET", "/")[0], 200)
        self.stop_clean(c)

    # 3
    def test_flood_of_gets_and_votes(self):
        c = self.start("--max-per-minute", "0")
        acked, statuses = set(), {}

        def req(cl, i):
            if i % 2:
                return cl.request("GET", "/")[0]
            status, _ = cl.vote("flood-%d" % i, "yes" if i % 3 else "no")
            if 200 <= status < 300:
                acked.add("flood-%d" % i)
            return status

        results, rate = self.flood(c.port, 4, 32, req, scaled(40000))
        for _, st in results:
            statuses[st] = statuses.get(st, 0) + 1
        print("\n  flood: %d requests in 4 s from 32 connections, %.0f/s, statuses %s" %
              (len(results), rate, statuses))
        self.assertIsNone(c.proc.poll(), "the collector died under the flood")
        self.assertEqual([s for s in statuses if s >= 500 and s != 503], [])
        self.assertEqual(set(statuses) - {200, 201, 503}, set())
        self.assertGreater(len(acked), 100)
        self.assertEqual(c.request("GET", "/")[0], 200)
        self.stop_clean(c)
        self.assertEqual(sorted(self.db_clients(c.db)), sorted(acked))

    # 3, with wrk as the issue asks
    def test_wrk_flood(self):
        wrk = shutil.which("wrk")
        if not wrk:
            self.skipTest("wrk is not installed (Debian package wrk; scripts/install-deps should add it)")
        c = self.start("--max-per-minute", "0")
        script = os.path.join(self.tmp, "vote.lua")
        with open(script, "w") as f:
            f.write('local n = 0\n'
                    'request = function()\n'
                    '  n = n + 1\n'
                    '  if n % 2 == 0 then return wrk.format("GET", "/") end\n'
                    '  local body = "article=' + LXC.replace("/", "%2F") + '&lang=fr&vote=yes&client=wrk-"'
                    ' .. tostring(math.random(1, 1000000000))\n'
                    '  return wrk.format("POST", "/api/feedback", {["Content-Type"] = '
                    '"application/x-www-form-urlencoded"}, body)\n'
                    'end\n'
                    'local statuses = {}\n'
                    'response = function(status) statuses[status] = (statuses[status] or 0) + 1 end\n'
                    'done = function()\n'
                    '  for s, n in pairs(statuses) do io.write(string.format("status %d %d\\n", s, n)) end\n'
                    'end\n')
        r = subprocess.run([wrk, "-t2", "-c64", "-d4s", "-s", script, "http://127.0.0.1:%d/" % c.port],
                           capture_output=True, text=True, timeout=60)
        print("\n" + r.stdout)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIsNone(c.proc.poll(), "the collector died under wrk")
        for line in r.stdout.splitlines():
            if line.startswith("status "):
                st = int(line.split()[1])
                self.assertTrue(st < 500 or st == 503, line)
        self.assertEqual(c.request("GET", "/")[0], 200)
        self.stop_clean(c)
        self.assertEqual(self.integrity(c.db), [("ok",)])

    # 4
    def test_two_collectors_on_one_database(self):
        # 10,000 each, as the issue asks: about 25 s on this two-core machine
        # with --sync full (a fifth under ASan).
        n = scaled(10000)
        a = self.start("--max-per-minute", "0", db="shared.db")
        b = self.start("--max-per-minute", "0", db="shared.db")
        acked, bad, lock = [], [], threading.Lock()

        def run_votes(col, prefix):
            def req(cl, i):
                client = "%s-%d" % (prefix, i)
                status, body = cl.vote(client, "yes" if i % 2 else "no", "fr" if i % 3 else "en")
                with lock:
                    if status == 201:
                        acked.append(client)
                    else:
                        bad.append((prefix, status, body[:100]))
                return status
            return self.flood(col.port, 120, 16, req, n)

        t0 = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            fa, fb = pool.submit(run_votes, a, "a"), pool.submit(run_votes, b, "b")
            (ra, _), (rb, _) = fa.result(timeout=300), fb.result(timeout=300)
        took = time.monotonic() - t0
        print("\n  two collectors: %d + %d votes in %.1f s, %.0f votes/s" %
              (len(ra), len(rb), took, (len(ra) + len(rb)) / took))
        self.assertEqual(bad[:5], [])
        self.assertEqual((len(ra), len(rb)), (n, n), "the flood stopped before sending every vote")
        self.stop_clean(a)
        self.stop_clean(b)
        self.assertEqual(self.integrity(a.db), [("ok",)])
        stored = self.db_clients(a.db)
        self.assertEqual(len(stored), 2 * n)
        self.assertEqual(sorted(stored), sorted(acked))

    # 5
    def test_memory_stays_flat(self):
        c = self.start("--max-per-minute", "0")
        body_413 = "comment=" + "a" * 5000

        def req(cl, i):
            k = i % 5
            if k == 0:
                return cl.vote("mem-%d" % (i % 500))  # replaces after the first 500
            if k == 1:
                return cl.request("GET", "/")[0]
            if k == 2:
                return cl.request("GET", "/nothing-here")[0]
            if k == 3:
                return cl.request("POST", "/api/feedback", body_413,
                                  {"Content-Type": "application/x-www-form-urlencoded"})[0]
            return cl.vote("mem-x", vote="maybe")[0]

        def wrapped(cl, i):
            st = req(cl, i)
            return st[0] if isinstance(st, tuple) else st

        warm = scaled(3000)
        more = scaled(15000)
        results, _ = self.flood(c.port, 120, 8, wrapped, warm)
        self.assertEqual(len(results), warm)
        before = rss_kib(c.proc.pid)
        t0 = time.monotonic()
        results, rate = self.flood(c.port, 180, 8, wrapped, more)
        after = rss_kib(c.proc.pid)
        print("\n  memory: RSS %d KiB after %d requests, %d KiB after %d more (%+d KiB), %.0f requests/s" %
              (before, warm, after, more, after - before, rate))
        self.assertEqual(len(results), more)
        self.assertEqual(set(st for _, st in results) - {200, 201, 400, 404, 413}, set())
        if not SAN:
            self.assertLess(after - before, 4 * 1024, "RSS grew over the run")
        # Under ASan, RSS grows by design (freed memory sits in its quarantine,
        # 256 MiB by default): there LeakSanitizer, at the clean stop below
        # (a leak makes the exit status non-zero), is the check instead.
        del t0
        self.stop_clean(c)


SERVE_SITE = {
    "content/site.yaml": """
        title: { en: Abuse Test }
        base_url: /help/
        default_language: en
        languages:
          - { code: en, name: English }
    """,
    "content/en/_index.md": "---\ntitle: Home\n---\nWelcome home.\n",
    "content/en/guide/_index.md": "---\ntitle: Guide\n---\nThe guide.\n",
    "content/en/guide/first.md": "---\ntitle: First article\n---\nFirst text.\n",
}


class ServeAbuseTest(TempDirTest):
    # 6
    def test_serve_slow_connections_and_traversal_storm(self):
        from test_serve import Server
        write_tree(self.tmp, SERVE_SITE)
        with open(self.path("secret.txt"), "w") as f:
            f.write("TOP-SECRET\n")
        sv = Server(self.tmp)
        self.addCleanup(sv.stop)
        self.assertEqual(sv.request(sv.base)[0], 200)

        probe = Prober(sv.port, sv.base)
        probe.start()
        traversal = [b"../secret.txt", b"../../secret.txt", b"..%2fsecret.txt", b"%2e%2e/secret.txt",
                     b"%2e%2e%2f%2e%2e%2fsecret.txt", b"..%5csecret.txt", b"....//secret.txt",
                     b"%252e%252e/secret.txt", b"en/../../secret.txt", b"%c0%ae%c0%ae/secret.txt",
                     b"en/%00/../../secret.txt", b"/etc/passwd", b"../../../../../../etc/passwd"]
        leaks, statuses = [], {}

        def storm():
            for i in range(scaled(400, 40)):
                line = b"GET " + sv.base.encode() + traversal[i % len(traversal)] + b" HTTP/1.1"
                data = sv.raw(line)
                st = data[9:12]
                statuses[st] = statuses.get(st, 0) + 1
                if b"TOP-SECRET" in data or b"root:" in data:
                    leaks.append(line)

        try:
            with concurrent.futures.ThreadPoolExecutor(4) as pool:
                storms = [pool.submit(storm) for _ in range(4)]
                # 200 slow clients while the storm and the probe run: serve's
                # request deadline is 15 s, longer than this test waits, so
                # only "GET still answers" is checked here; test_serve.py's
                # slow-client test checks the closing.
                slow_connections(sv.port, 200, b"GET " + sv.base.encode() + b" HTTP/1.1\r\nX-Slow: ",
                                 interval=2, limit=6)
                for f in storms:
                    f.result(timeout=120)
        finally:
            probe.stop()
        print("\n  serve: traversal statuses %s; GET %s median %.1f ms over %d probes" %
              ({k.decode(): v for k, v in statuses.items()}, sv.base,
               1000 * statistics.median(probe.latencies) if probe.latencies else -1, len(probe.latencies)))
        self.assertEqual(leaks, [])
        self.assertNotIn(b"200", statuses)
        self.assertEqual(set(statuses) - {b"400", b"403", b"404"}, set())
        self.assertEqual(probe.failures, [])
        self.assertGreater(len(probe.latencies), 10)
        self.assertLess(statistics.median(probe.latencies), 1.0)
        self.assertEqual(sv.stop(), 0)


if __name__ == "__main__":
    unittest.main()

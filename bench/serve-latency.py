#!/usr/bin/env python3
"""Helper of bench/run: edit-to-served latency of `phare serve`.

    bench/serve-latency.py PHARE CORPUS [EDITS]

Copies CORPUS (made by make-corpus) into a temporary folder, starts
`PHARE serve --source COPY --port 0`, waits for the first build, then EDITS
times (default 10): appends a new sentence to one article, and polls that
article's page over one keep-alive connection until the sentence is served.
Prints one line: the median and the largest latency in milliseconds, and the
time of the first build.  Every loop is bounded; the server is stopped with
SIGINT (SIGKILL after 5 s)."""
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time


def main():
    phare, corpus = os.path.abspath(sys.argv[1]), sys.argv[2]
    edits = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    scratch = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    tmp = tempfile.mkdtemp(prefix="phare-serve-bench-", dir=scratch)
    src = os.path.join(tmp, "src")
    shutil.copytree(os.path.join(corpus, "content"), os.path.join(src, "content"))
    lang = "en"
    sec = sorted(d for d in os.listdir(os.path.join(src, "content", lang))
                 if os.path.isdir(os.path.join(src, "content", lang, d)))[0]
    slug = sorted(f for f in os.listdir(os.path.join(src, "content", lang, sec))
                  if f.endswith(".md") and f != "_index.md")[0][:-3]
    article = os.path.join(src, "content", lang, sec, slug + ".md")
    page = "/%s/%s/%s/" % (lang, sec, slug.lower())
    proc = subprocess.Popen([phare, "serve", "--source", src, "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        t0 = time.perf_counter()
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)(\S*)", line)
        if not m:
            sys.exit("serve-latency: phare serve did not start: %s%s" % (line, proc.stderr.read()))
        port, base = int(m.group(1)), m.group(2).rstrip("/")
        first_build = time.perf_counter() - t0
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

        def fetch():
            nonlocal conn
            try:
                conn.request("GET", base + page)
                r = conn.getresponse()
                return r.read().decode("utf-8", "replace") if r.status == 200 else ""
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                return ""

        deadline = time.perf_counter() + 120
        while "<html" not in fetch():
            if time.perf_counter() > deadline:
                sys.exit("serve-latency: %s never served" % page)
            time.sleep(0.05)
        with open(article, encoding="utf-8") as f:
            original = f.read()
        latencies = []
        for i in range(edits):
            marker = "Benchmarkmarker%dx%d" % (i, os.getpid())
            with open(article + ".tmp", "w", encoding="utf-8") as f:
                f.write(original + "\n%s.\n" % marker)
            start = time.perf_counter()
            os.rename(article + ".tmp", article)
            deadline = start + 120
            while marker not in fetch():
                if time.perf_counter() > deadline:
                    sys.exit("serve-latency: edit %d not served after 120 s" % i)
                time.sleep(0.001)
            latencies.append((time.perf_counter() - start) * 1000)
            time.sleep(0.3)  # let the server settle before the next edit
        conn.close()
        print("%.1f %.1f %.2f" % (statistics.median(latencies), max(latencies), first_build))
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Helper of bench/run (issue 23): rebuilds with phare build's cache
(.phare/cache) beside a full build, on a copy of one corpus.

    bench/incremental.py PHARE CORPUS SCRATCH [RUNS]

Prints one line of figures: the full build without the cache (median of
RUNS), the first build (which writes the cache), then rebuilds after
changing nothing, after editing one article's body (with words the site
has, then with a word no page had), after editing one article's title,
after editing site.yaml, and as CI builds a pull request editing one body
(a fresh checkout, the cache and site restored), each with its share of
the full build's wall time and how many article pages it rendered (from
--timings); last, whether the site then equals a clean build (diff -r).
Figures only, never a verdict: the machine is shared and noisy."""
import os
import re
import shutil
import statistics
import subprocess
import sys
import time


def build(phare, src, out, *extra):
    t0 = time.perf_counter()
    if "--no-cache" not in extra:  # the default since issue 23; said for older phares
        extra = ("--cache",) + extra
    r = subprocess.run([phare, "build", "--source", src, "--out", out, "--timings", *extra],
                       capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if r.returncode:
        sys.exit("incremental: build failed: " + r.stderr[-2000:])
    m = re.search(r"build cache: (\d+) article pages reused, (\d+) rendered", r.stderr)
    return wall, int(m.group(2)) if m else 0 if "nothing changed" in r.stderr else -1


def edit(path, old, new):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(old, new, 1) if old else text + new)


def main():
    phare, corpus, scratch = sys.argv[1:4]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    phare = os.path.abspath(phare)
    src = os.path.join(scratch, "incr-src")
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(os.path.join(corpus, "content"), os.path.join(src, "content"))
    site, clean = os.path.join(scratch, "incr-site"), os.path.join(scratch, "incr-clean")
    arts = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(src, "content", "en"))
                  for f in fs if f.endswith(".md") and f != "_index.md")
    full = []  # a rebuild without the cache into the site there, as a user's (the old one removed too)
    build(phare, src, clean, "--no-cache")
    for _ in range(runs):
        full.append(build(phare, src, clean, "--no-cache")[0])
    full_s = statistics.median(full)
    first, _ = build(phare, src, site)
    cache_mb = sum(os.path.getsize(os.path.join(src, ".phare", "cache", f))
                   for f in os.listdir(os.path.join(src, ".phare", "cache"))) / 2**20

    def median_of(change):
        walls, rendered = [], []
        for i in range(runs):
            change(i)
            w, n = build(phare, src, site)
            walls.append(w)
            rendered.append(n)
        return statistics.median(walls), max(rendered)

    nothing = median_of(lambda i: None)
    body = median_of(lambda i: edit(arts[i * 97 % len(arts)], None, "\nOne more sentence (%d).\n" % i))
    # a word no page had (a product's name): the search index gains a key, most often a shard
    names = ("Kubernetes", "WireGuard", "Grafana", "Zabbix", "Prometheus", "Nextcloud", "Jellyfin")
    new_word = median_of(lambda i: edit(arts[(i * 101 + 3) % len(arts)], None,
                                        "\nRuns on %s too.\n" % names[i % len(names)]))
    title = median_of(lambda i: edit(arts[(i * 89 + 1) % len(arts)], "\ntitle: ", "\ntitle: Edited %d " % i))
    site_yaml = median_of(lambda i: edit(os.path.join(src, "content", "site.yaml"), None, "\n# edit %d\n" % i))

    def ci_checkout(i):
        # as CI builds a pull request: a fresh checkout (every source a new file, of now), the
        # cache and the site restored (new files, their times kept), no previous site beside it
        for d, keep_times in ((src, False), (site, True)):
            os.rename(d, d + ".old")
            shutil.copytree(d + ".old", d, symlinks=True,
                            copy_function=shutil.copy2 if keep_times else shutil.copy)
            shutil.rmtree(d + ".old")
        shutil.rmtree(os.path.join(scratch, ".incr-site.phare-prev"), ignore_errors=True)
        edit(arts[(i * 83 + 2) % len(arts)], None, "\nA pull request's sentence (%d).\n" % i)

    ci = median_of(ci_checkout)
    shutil.rmtree(clean, ignore_errors=True)
    build(phare, src, clean, "--no-cache")
    same = subprocess.run(["diff", "-rq", site, clean], capture_output=True).returncode == 0

    def fig(name, f):
        return "%s %.3f s (%.1f%%, %d articles rendered)" % (name, f[0], 100 * f[0] / full_s, f[1])

    print("incremental, %s (%d articles): full build --no-cache %.3f s; first build writing the cache "
          "%.3f s (cache %.0f MiB); %s; %s; %s; %s; %s; %s; identical to a clean build: %s" % (
              os.path.basename(corpus), len(arts) * 2, full_s, first, cache_mb,
              fig("nothing changed", nothing), fig("one body edited", body),
              fig("one body edited with a new word", new_word), fig("one title edited", title),
              fig("site.yaml edited", site_yaml),
              fig("in CI (fresh checkout, cache and site restored), one body edited", ci),
              "yes" if same else "NO"))
    for d in (src, site, clean):
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()

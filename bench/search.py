#!/usr/bin/env python3
"""bench/search.py: phare's search index side by side with Pagefind (issue 7).

  python3 bench/search.py [--articles N] [--queries Q] [--phare build/phare] [--keep DIR]

Builds the synthetic corpus build/bench/corpus-N (made with ../shared/bench/make-corpus
if missing) with `phare build`, then reports for each language's index (site/<lang>/search/):
bytes, files, largest file, and what typical queries cost a reader: the files the page's
script fetches for a first query (cold: nothing cached) and the query time in node, cold
and warm (bench/search-query.mjs drives templates/assets/search.js with the files read
from disk).  The queries (Q per language, default 20) are drawn from the corpus's own
prose: 1 to 3 consecutive words of a sentence, every other one ending in a prefix, as
typed.  Then runs Pagefind (npm package `pagefind`, installed once into
build/bench/pagefind-npm) on the same built site and drives its pagefind.js in node the
same way.  Bytes are sizes on disk; phare's JSON is also given gzip-compressed (what a
server sending Content-Encoding: gzip transfers); Pagefind's files are compressed already.

Figures are printed, never asserted.  Exit status: 0, unless phare itself fails (1) or
is missing (2).  Standard library only; node for the query figures.
"""
import argparse
import gzip
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "bench")
NPM_DIR = os.path.join(ROOT, "build", "bench", "pagefind-npm")
DRIVER = os.path.join(ROOT, "bench", "search-query.mjs")


def say(msg):
    print("search-bench: " + msg, file=sys.stderr, flush=True)


def corpus_path(n):
    path = os.path.join(ROOT, "build", "bench", "corpus-%d" % n)
    if os.path.isfile(os.path.join(path, ".complete")):
        return path
    say("making the %d-article corpus (cached in %s)" % (n, os.path.relpath(path, ROOT)))
    shutil.rmtree(path, ignore_errors=True)
    subprocess.run([sys.executable, os.path.join(SHARED, "make-corpus"), "--out", path,
                    "--articles", str(n), "--langs", "fr,en", "--seed", "1"],
                   check=True, stdout=subprocess.DEVNULL)
    open(os.path.join(path, ".complete"), "w").close()
    return path


def files_under(path):
    out = []
    for d, _, names in os.walk(path):
        for name in names:
            p = os.path.join(d, name)
            out.append((os.path.relpath(p, path), os.path.getsize(p)))
    return out


# ---- queries drawn from the corpus -------------------------------------------------

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def sentences(md):
    """Plain sentences of an article: front matter, code, headings' marks and links dropped."""
    md = re.sub(r"\A---\n.*?\n---\n", "", md, flags=re.S)
    md = re.sub(r"```.*?```", " ", md, flags=re.S)
    md = re.sub(r"`[^`]*`", " ", md)
    md = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", md)
    md = re.sub(r"[*_>#]|^\s*\d+\.\s", " ", md, flags=re.M)
    return [s for s in re.split(r"[.!?:;\n]+", md) if s.strip()]


def make_queries(corpus, lang, stop, count, seed=1):
    """count queries of 1-3 consecutive content words; odd ones end with a prefix."""
    paths = []
    for d, _, names in os.walk(os.path.join(corpus, "content", lang)):
        paths += [os.path.join(d, n) for n in names if n.endswith(".md") and n != "_index.md"]
    paths.sort()
    rng = random.Random("%s-%s" % (seed, lang))
    shapes = [(1, False), (1, True), (2, False), (2, True), (3, False), (3, True)]
    out, tries = [], 0
    while len(out) < count and tries < 100 * count:
        tries += 1
        nwords, prefix = shapes[len(out) % len(shapes)]
        with open(rng.choice(paths), encoding="utf-8") as f:
            sents = sentences(f.read())
        if not sents:
            continue
        words = [w for w in WORD.findall(rng.choice(sents))
                 if len(w) >= 4 and w.lower() not in stop and "'" not in w and "’" not in w]
        if len(words) < nwords:
            continue
        i = rng.randrange(len(words) - nwords + 1)
        q = [w.lower() for w in words[i:i + nwords]]
        if prefix:
            q[-1] = q[-1][:max(3, len(q[-1]) // 2)]
        q = " ".join(q)
        if q not in out:
            out.append(q)
    return out


# ---- measures --------------------------------------------------------------------

def pct(xs, p):
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))] if s else 0.0


def gz_size(path, cache={}):
    if path not in cache:
        with open(path, "rb") as f:
            cache[path] = len(gzip.compress(f.read(), 6))
    return cache[path]


def run_driver(tool, where, lang, queries, work):
    qfile = os.path.join(work, "queries-%s-%s.json" % (tool, lang))
    with open(qfile, "w", encoding="utf-8") as f:
        json.dump(queries, f, ensure_ascii=False)
    r = subprocess.run(["node", DRIVER, tool, where, lang, qfile, "5"], capture_output=True,
                       text=True, timeout=600)
    if r.returncode != 0:
        raise RuntimeError((r.stderr or r.stdout).strip().splitlines()[-1:] or ["exit %d" % r.returncode])
    return json.loads(r.stdout)


def kind_of(tool, name):
    """Which part of the index a fetched file is: setup, words or records (for snippets)."""
    if tool == "phare":
        return "words" if name.startswith("t") else "records" if name.startswith("d-") else "setup"
    name = name.split("/", 1)[1] if name.startswith("_pagefind/") else name
    return "words" if name.startswith("index/") else "records" if name.startswith("fragment/") else "setup"


def summarise(tool, res, base):
    """Per-query figures of one driver run; base: the folder fetched names are relative to."""
    rows = []
    for q in res["queries"]:
        parts = {"setup": 0, "words": 0, "records": 0}
        gz = 0
        for name, size in q["files"]:
            parts[kind_of(tool, name)] += size
            gz += gz_size(os.path.join(base, name)) if tool == "phare" else size
        rows.append(dict(q, gz=gz, parts=parts))
    return rows


def phare_index(site, langs):
    out = {}
    for lang in langs:
        d = os.path.join(site, lang, "search")
        fs = files_under(d)
        big = max(fs, key=lambda f: f[1]) if fs else ("-", 0)
        out[lang] = dict(bytes=sum(s for _, s in fs), files=len(fs), largest=big,
                         gz=sum(gz_size(os.path.join(d, n)) for n, _ in fs),
                         shards=sum(1 for n, _ in fs if n.startswith("t")))
    return out


def pagefind_bin():
    """The pagefind CLI from build/bench/pagefind-npm, installed if missing; (path, reason)."""
    exe = os.path.join(NPM_DIR, "node_modules", ".bin", "pagefind")
    if os.access(exe, os.X_OK):
        return exe, None
    if not shutil.which("npm"):
        return None, "npm not installed"
    say("installing pagefind@1 into %s" % os.path.relpath(NPM_DIR, ROOT))
    try:
        r = subprocess.run(["npm", "install", "--prefix", NPM_DIR, "--no-audit", "--no-fund",
                            "pagefind@1"], capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return None, "npm install timed out"
    if r.returncode != 0 or not os.access(exe, os.X_OK):
        last = (r.stderr or r.stdout).strip().splitlines()
        return None, "npm install failed: " + (last[-1] if last else "exit %d" % r.returncode)
    return exe, None


# ---- report ----------------------------------------------------------------------

def fmt_b(n):
    return "%.1f KiB" % (n / 1024) if n < 1024 * 1024 else "%.2f MiB" % (n / 1048576)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=int(os.environ.get("BENCH_SEARCH_ARTICLES", 1000)))
    ap.add_argument("--queries", type=int, default=20, help="queries per language")
    ap.add_argument("--phare", default=os.environ.get("PHARE", os.path.join(ROOT, "build", "phare")))
    ap.add_argument("--keep", help="build the site here and keep it (default: a temporary folder)")
    a = ap.parse_args()
    if not os.access(a.phare, os.X_OK):
        say("%s not found; run make first" % a.phare)
        return 2
    corpus = corpus_path(a.articles)
    scratch = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    work = tempfile.mkdtemp(prefix="phare-search-bench.", dir=scratch)
    try:
        return bench(a, corpus, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bench(a, corpus, work):
    site = a.keep or os.path.join(work, "site")
    if a.keep:
        shutil.rmtree(site, ignore_errors=True)
    t0 = time.perf_counter()
    # --no-cache: a full build, and no cache left in the shared corpus
    r = subprocess.run([a.phare, "build", "--source", corpus, "--out", site, "--quiet", "--no-cache"])
    build_s = time.perf_counter() - t0
    if r.returncode != 0:
        say("phare build failed (exit %d)" % r.returncode)
        return 1
    langs = sorted(d for d in os.listdir(site) if os.path.isdir(os.path.join(site, d, "search")))
    if not langs:
        say("phare build wrote no search index (site/<lang>/search/)")
        return 1
    pix = phare_index(site, langs)
    queries = {}
    for lang in langs:
        with open(os.path.join(site, lang, "search", "meta.json"), encoding="utf-8") as f:
            stop = set(json.load(f).get("stop", []))
        queries[lang] = make_queries(corpus, lang, stop, a.queries)
    node = shutil.which("node")
    notes = []

    # phare's queries
    pq = {}
    if node:
        for lang in langs:
            try:
                pq[lang] = summarise("phare", run_driver("phare", os.path.join(site, lang, "search"),
                                                         lang, queries[lang], work),
                                     os.path.join(site, lang, "search"))
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                notes.append("phare queries (%s): node driver failed: %s" % (lang, e))
    else:
        notes.append("node not installed: no query figures")

    # Pagefind on the same site (it adds site/_pagefind; phare's figures are taken already)
    pf, pf_why, pfq, pf_s = None, None, {}, None
    exe, pf_why = pagefind_bin()
    if exe:
        ver = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()
        t0 = time.perf_counter()
        r = subprocess.run([exe, "--site", site, "--output-subdir", "_pagefind", "--quiet"],
                           capture_output=True, text=True)
        pf_s = time.perf_counter() - t0
        out = os.path.join(site, "_pagefind")
        if r.returncode != 0 or not os.path.isdir(out):
            last = (r.stderr or r.stdout).strip().splitlines()
            pf_why = "pagefind failed: " + (last[-1] if last else "exit %d" % r.returncode)
        else:
            fs = files_under(out)
            per = {}
            for lang in langs:
                mine = [(n, s) for n, s in fs if re.match(r"(index|fragment)/%s_|pagefind\.%s_|wasm\.%s\." %
                                                         (lang, lang, lang), n)]
                per[lang] = dict(bytes=sum(s for _, s in mine), files=len(mine),
                                 largest=max(mine, key=lambda f: f[1]) if mine else ("-", 0))
            script = sum(s for n, s in fs if n == "pagefind.js")
            pf = dict(version=ver, bytes=sum(s for _, s in fs), files=len(fs),
                      largest=max(fs, key=lambda f: f[1]), per=per, script=script)
            if node:
                for lang in langs:
                    try:
                        pfq[lang] = summarise("pagefind", run_driver("pagefind", site, lang,
                                                                     queries[lang], work), out)
                    except (RuntimeError, subprocess.TimeoutExpired) as e:
                        notes.append("pagefind queries (%s): node driver failed: %s" % (lang, e))
    report(a, langs, queries, build_s, pix, pq, pf, pf_why, pfq, pf_s, notes, site)
    return 0


def report(a, langs, queries, build_s, pix, pq, pf, pf_why, pfq, pf_s, notes, site):
    allq = lambda d: [q for lang in langs for q in d.get(lang, [])]
    med = lambda xs: statistics.median(xs) if xs else 0
    print("search bench: corpus-%d (fr,en), %d queries per language (1-3 words, half ending in a prefix),"
          " top 10 results' records loaded" % (a.articles, a.queries))
    print()
    print("| tool | index bytes (total) | gzip | files | largest file | fetched per query, cold (median) | gzip |"
          " query time cold median / p95 | warm median / p95 | indexing time |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    tb = sum(v["bytes"] for v in pix.values())
    big = max(((lang + "/search/" + v["largest"][0], v["largest"][1]) for lang, v in pix.items()),
              key=lambda x: x[1])
    qs = allq(pq)
    tm = lambda q, k: "%.1f / %.1f ms" % (med([x[k] for x in q]), pct([x[k] for x in q], 95)) if q else "-"
    print("| phare | %s | %s | %d | %s (%s) | %s | %s | %s | %s | %.2f s (whole build) |" % (
        fmt_b(tb), fmt_b(sum(v["gz"] for v in pix.values())), sum(v["files"] for v in pix.values()),
        fmt_b(big[1]), big[0], fmt_b(med([q["bytes"] for q in qs])) if qs else "-",
        fmt_b(med([q["gz"] for q in qs])) if qs else "-", tm(qs, "cold_ms"), tm(qs, "warm_ms"), build_s))
    if pf:
        qs = allq(pfq)
        print("| Pagefind %s | %s | (compressed) | %d | %s (%s) | %s | (same) | %s | %s | %.2f s |" % (
            pf["version"].replace("pagefind", "").strip(), fmt_b(pf["bytes"]), pf["files"],
            fmt_b(pf["largest"][1]), pf["largest"][0], fmt_b(med([q["bytes"] for q in qs])) if qs else "-",
            tm(qs, "cold_ms"), tm(qs, "warm_ms"), pf_s))
    else:
        print()
        print("pagefind: not available (%s)" % pf_why)
    print()
    for lang in langs:
        v = pix[lang]
        line = "%s: phare %s in %d files (%d word shards), largest %s (%s)" % (
            lang, fmt_b(v["bytes"]), v["files"], v["shards"], fmt_b(v["largest"][1]), v["largest"][0])
        if pf:
            pl = pf["per"][lang]
            line += "; Pagefind %s in %d files, largest %s (%s) (+ shared %s)" % (
                fmt_b(pl["bytes"]), pl["files"], fmt_b(pl["largest"][1]), pl["largest"][0],
                fmt_b(pf["bytes"] - sum(x["bytes"] for x in pf["per"].values())))
        print(line)
    for tool, d in (("phare", pq), ("Pagefind", pfq)):
        qs = allq(d)
        if not qs:
            continue
        parts = {k: med([q["parts"][k] for q in qs]) for k in ("setup", "words", "records")}
        print("%s, fetched per cold query (median): %s in %d files; medians of its parts: setup %s, words %s, records %s;"
              " max %s; results per query median %d; zero-result queries %d of %d" % (
                  tool, fmt_b(med([q["bytes"] for q in qs])), med([len(q["files"]) for q in qs]),
                  fmt_b(parts["setup"]), fmt_b(parts["words"]), fmt_b(parts["records"]),
                  fmt_b(max(q["bytes"] for q in qs)), med([q["total"] for q in qs]),
                  sum(1 for q in qs if not q["total"]), len(qs)))
    if pf:
        print("scripts (not counted above): search.js %s; pagefind.js %s" % (
            fmt_b(os.path.getsize(os.path.join(ROOT, "templates", "assets", "search.js"))), fmt_b(pf["script"])))
    print("queries: " + "; ".join("%s: %s" % (lang, ", ".join('"%s"' % q for q in queries[lang]))
                                   for lang in langs))
    if pq and pfq:
        same = sum(1 for lang in langs for x, y in zip(pq.get(lang, []), pfq.get(lang, []))
                   if x["top"][:1] and x["top"][:1] == y["top"][:1])
        print("same first result (title) for %d of %d queries" % (same, len(allq(pq))))
    for n in notes:
        print(n)
    if a.keep:
        print("site kept in %s" % site)


if __name__ == "__main__":
    sys.exit(main())

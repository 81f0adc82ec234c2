#!/usr/bin/env python3
"""Helper of bench/run: edit-to-served latency of `phare serve` (issue 9).

    bench/serve-latency.py PHARE CORPUS [EDITS] [--save inplace|rename|alternate]
                           [--no-title-edit]

Copies CORPUS/content (made by make-corpus) into a fresh folder on /dev/shm
(phare serve writes its preview build under the source, in .phare/), starts
`PHARE serve --source COPY --port 0` and waits for the first build.  Then,
EDITS times (default 10), on a different article each time (spread over the
sections and both languages), it saves an edit an author would make: the
first sentence of the body's first paragraph is replaced by a new one.  The
save is either written in place (truncate and write, as nano or VS Code do)
or written to NAME.tmp and renamed over the article (as many editors and
tools do); the default alternates the two.  The clock starts when the save
starts and stops when a GET of the article's page (one keep-alive
connection, polled every millisecond) returns the new sentence: the
author's wait, including serve's 50 ms debounce.

Finally (unless --no-title-edit) one article's title is changed, which
shows in its section's list and so needs a full build: the script checks
that the section page lists the new title and no longer the old one, that
the article's own page carries it, and that every earlier edit survived
the full build, and times it.

Prints one line of KEY=VALUE: median_ms, max_ms (over every edit),
inplace_median_ms and rename_median_ms (when those saves ran), edits,
one_page and full (how the server says it handled them: "updated" lines
are its one-page path, "rebuilt" lines full builds), pages and ready_s (the
first build), title_s and title_ok.  Every wait is bounded; the server is
stopped with SIGINT (SIGKILL after 5 s) and the copy removed."""
import argparse
import html
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

WAIT = 180  # seconds: the bound of every wait (a full 20,000-page build is ~15 s)


def articles_of(content):
    """(lang, section, slug) of every article, sorted."""
    found = []
    for lang in sorted(os.listdir(content)):
        ldir = os.path.join(content, lang)
        if not os.path.isdir(ldir) or lang == "tables":
            continue
        for sec in sorted(os.listdir(ldir)):
            sdir = os.path.join(ldir, sec)
            if not os.path.isdir(sdir):
                continue
            for f in sorted(os.listdir(sdir)):
                if f.endswith(".md") and f != "_index.md":
                    found.append((lang, sec, f[:-3]))
    return found


def spread(items, n):
    """n items evenly spaced over the list (so both languages, many sections)."""
    return [items[i * len(items) // n % len(items)] for i in range(n)]


def split_front_matter(text):
    m = re.match(r"---\n.*?\n---\n", text, re.S)
    if not m:
        raise ValueError("no front matter")
    return text[:m.end()], text[m.end():]


def replace_first_sentence(text, sentence):
    """The text with the first sentence of the body's first paragraph
    replaced by sentence (or sentence put before that paragraph when it has
    a single sentence)."""
    head, body = split_front_matter(text)
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if line[:1].isalpha():
            end = line.find(". ")
            lines[i] = sentence + " " + (line[end + 2:] if end >= 0 else line)
            return head + "\n".join(lines)
    return head + sentence + "\n\n" + body


def save(path, text, how):
    if how == "inplace":
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)


class Page:
    """GETs of one server over a keep-alive connection, reopened when it drops."""

    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    def get(self, path):
        try:
            self.conn.request("GET", path)
            r = self.conn.getresponse()
            body = r.read().decode("utf-8", "replace")
            return body if r.status == 200 else ""
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            return ""

    def wait_for(self, path, test, what, pause=0.001):
        deadline = time.perf_counter() + WAIT
        while True:
            body = self.get(path)
            if test(body):
                return body
            if time.perf_counter() > deadline:
                sys.exit("serve-latency: %s not served after %d s" % (what, WAIT))
            time.sleep(pause)


def start_server(phare, src, log):
    proc = subprocess.Popen([phare, "serve", "--source", src, "--port", "0"],
                            stdout=subprocess.PIPE, stderr=log, text=True)
    t0 = time.perf_counter()
    line = proc.stdout.readline()  # the ready line comes after the first build
    m = re.search(r"http://127\.0\.0\.1:(\d+)(\S*)", line)
    if not m:
        proc.kill()
        proc.wait()
        log.seek(0)
        sys.exit("serve-latency: phare serve did not start: %s%s" % (line, log.read()))
    return proc, int(m.group(1)), m.group(2).rstrip("/"), time.perf_counter() - t0


def stop_server(proc):
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def edit_articles(src, page, base, picks, how_of):
    """Times each edit; returns [(how, ms)] and {file: sentence} to check later."""
    results, sentences = [], {}
    for i, (lang, sec, slug) in enumerate(picks):
        path = os.path.join(src, "content", lang, sec, slug + ".md")
        url = "%s/%s/%s/%s/" % (base, lang, sec, slug.lower())
        with open(path, encoding="utf-8") as f:
            old = f.read()
        sentence = "Sentence changed by edit %d of run %d." % (i, os.getpid())
        new = replace_first_sentence(old, sentence)
        how = how_of(i)
        start = time.perf_counter()
        save(path, new, how)
        page.wait_for(url, lambda body: sentence in body, "edit %d (%s)" % (i, url))
        results.append((how, (time.perf_counter() - start) * 1000))
        sentences[url] = sentence
        time.sleep(0.3)  # past the debounce: the next edit is a new change
    return results, sentences


def edit_title(src, page, base, pick, sentences):
    """Changes one article's title; returns (seconds, everything right)."""
    lang, sec, slug = pick
    path = os.path.join(src, "content", lang, sec, slug + ".md")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    old_title = re.search(r"^title: (.*)$", text, re.M).group(1).strip()
    new_title = "Retitled by run %d" % os.getpid()
    section = "%s/%s/%s/" % (base, lang, sec)
    before = html.unescape(page.get(section))
    start = time.perf_counter()
    save(path, re.sub(r"^title: .*$", "title: " + new_title, text, count=1, flags=re.M), "inplace")
    listing = html.unescape(page.wait_for(section, lambda body: new_title in body, "the retitled section list",
                                          0.01))
    seconds = time.perf_counter() - start
    own = html.unescape(page.get("%s/%s/%s/%s/" % (base, lang, sec, slug.lower())))
    ok = (old_title in before and listing.count(old_title) < before.count(old_title)
          and "<title>%s" % new_title in own
          and all(s in page.get(url) for url, s in sentences.items()))
    return seconds, ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("phare")
    ap.add_argument("corpus")
    ap.add_argument("edits", nargs="?", type=int, default=10)
    ap.add_argument("--save", choices=("inplace", "rename", "alternate"), default="alternate")
    ap.add_argument("--no-title-edit", dest="title_edit", action="store_false")
    a = ap.parse_args()
    phare = os.path.abspath(a.phare)
    scratch = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    tmp = tempfile.mkdtemp(prefix="phare-serve-bench-", dir=scratch)
    src = os.path.join(tmp, "src")
    shutil.copytree(os.path.join(a.corpus, "content"), os.path.join(src, "content"))
    found = articles_of(os.path.join(src, "content"))
    picks = spread(found, a.edits + 1)
    how_of = (lambda i: a.save) if a.save != "alternate" else (lambda i: ("inplace", "rename")[i % 2])
    log = open(os.path.join(tmp, "serve.log"), "w+", encoding="utf-8")
    proc, port, base, ready = start_server(phare, src, log)
    try:
        page = Page(port)
        page.wait_for("%s/" % base, lambda body: "<html" in body, "the home page", 0.05)
        results, sentences = edit_articles(src, page, base, picks[:a.edits], how_of)
        title = edit_title(src, page, base, picks[a.edits], sentences) if a.title_edit else None
    finally:
        stop_server(proc)
        log.seek(0)
        logged = log.read()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)
    ms = [x for _, x in results]
    out = {"median_ms": "%.1f" % statistics.median(ms), "max_ms": "%.1f" % max(ms)}
    for how in ("inplace", "rename"):
        mine = [x for h, x in results if h == how]
        if mine:
            out[how + "_median_ms"] = "%.1f" % statistics.median(mine)
    built = re.search(r"phare serve: built (\d+) pages", logged)
    rebuilt = len(re.findall(r"^phare serve: rebuilt ", logged, re.M))
    out.update(edits=len(ms), one_page=len(re.findall(r"^phare serve: updated ", logged, re.M)),
               full=rebuilt - (1 if title else 0), pages=built.group(1) if built else "?",
               ready_s="%.2f" % ready)
    if title:
        out.update(title_s="%.2f" % title[0], title_ok=int(title[1] and rebuilt >= 1))
    print(" ".join("%s=%s" % kv for kv in out.items()))


if __name__ == "__main__":
    main()

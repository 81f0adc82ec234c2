"""phare serve: the preview server, driven over HTTP as a browser would:
pages, caching headers, live reload over Server-Sent Events, broken edits,
path traversal, slow clients, the embedded feedback collector, clean
shutdown."""
import http.client
import json
import os
import re
import selectors
import signal
import socket
import subprocess
import time
import unittest

import phare_test
from phare_test import PHARE, TempDirTest, write_tree

WAIT = 10  # seconds: the bound of every wait below (none is a timing assert)
SERVE_TIMEOUT_S = 15  # serve.h: the deadline of a request's headers and body

FIXTURE = {
    "content/site.yaml": """
        title: { en: Serve Test, fr: Test serve }
        base_url: /help/
        default_language: en
        languages:
          - { code: en, name: English }
          - { code: fr, name: Français }
    """,
    "content/en/_index.md": """
        ---
        title: Home
        ---
        Welcome home.
    """,
    "content/fr/_index.md": """
        ---
        title: Accueil
        ---
        Bienvenue.
    """,
    "content/fr/guide/_index.md": """
        ---
        title: Guide
        ---
        La section guide.
    """,
    "content/fr/guide/premier.md": """
        ---
        title: Premier article
        ---
        Premier texte.
    """,
    "content/en/guide/_index.md": """
        ---
        title: Guide
        ---
        The guide section.
    """,
    "content/en/guide/first.md": """
        ---
        title: First article
        ---
        Original first text.
    """,
    # The section keeps an article while first.md is broken.
    "content/en/guide/second.md": """
        ---
        title: Second article
        ---
        Second text.
    """,
}

FIRST = "content/en/guide/first.md"


def article(title, body):
    return f"---\ntitle: {title}\n---\n{body}\n"


class Server:
    """A running `phare serve`: its port, base path and output."""

    def __init__(self, source, *args):
        self.proc = subprocess.Popen(
            [PHARE, "serve", "--source", source, "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.line = self._ready_line()
        m = re.search(r"at http://127\.0\.0\.1:(\d+)(/\S*) \(Ctrl-C to stop\)", self.line)
        if not m:
            self.stop()
            raise AssertionError(f"unexpected ready line: {self.line!r}")
        self.port, self.base = int(m.group(1)), m.group(2)

    def _ready_line(self):
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + WAIT * (3 if phare_test.SANITIZE else 1)
        try:
            while time.monotonic() < deadline:
                if sel.select(timeout=0.2):
                    line = self.proc.stdout.readline()
                    if line.startswith("serving "):
                        return line
                    if not line:
                        break
        finally:
            sel.close()
        self.stop()
        raise AssertionError("phare serve did not print its ready line; stderr:\n" + self.stderr)

    def stop(self, sig=signal.SIGTERM):
        """Signals the server, waits for it; returns its exit status."""
        if self.proc.stdout.closed:
            return self.proc.returncode
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=WAIT * 3)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.stderr = self.proc.stderr.read()
        self.proc.stdout.close()
        self.proc.stderr.close()
        return self.proc.returncode

    def request(self, path, method="GET", headers=None, body=None):
        """(status, headers dict lower-cased, body bytes)"""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def raw(self, request_line):
        """Sends a request line as given (no client-side normalisation)."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=WAIT)
        try:
            s.sendall(request_line + b"\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    return data
                data += chunk
        finally:
            s.close()

    def events(self):
        return EventStream(self.port, self.base + "_phare/events")


class EventStream:
    """A Server-Sent Events client: next event as (name, data)."""

    def __init__(self, port, path):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
        self.conn.request("GET", path, headers={"Accept": "text/event-stream"})
        self.resp = self.conn.getresponse()
        assert self.resp.status == 200, self.resp.status
        assert self.resp.getheader("Content-Type").startswith("text/event-stream")

    def next(self):
        name, data = None, []
        while True:
            line = self.resp.readline()  # bounded by the socket timeout
            if not line:
                raise EOFError("the event stream ended")
            line = line.decode("utf-8").rstrip("\r\n")
            if not line:
                if name or data:
                    return name or "message", "\n".join(data)
                continue
            if line.startswith(":"):
                continue
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                name = value
            elif field == "data":
                data.append(value)

    def wait_for(self, wanted):
        deadline = time.monotonic() + WAIT * 3
        seen = []
        while time.monotonic() < deadline:
            name, data = self.next()
            if name == wanted:
                return data
            seen.append(name)
        raise AssertionError(f"no {wanted!r} event; saw {seen}")

    def close(self):
        self.conn.close()


def poll_until(fn, what):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        v = fn()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")


class ServeTest(TempDirTest):
    def setUp(self):
        super().setUp()
        self.src = self.path("src")
        write_tree(self.src, FIXTURE)
        self.server = None

    def tearDown(self):
        if self.server:
            self.server.stop()
        super().tearDown()

    def start(self, *args):
        self.server = Server(self.src, *args)
        return self.server

    def edit(self, rel, text):
        write_tree(self.src, {rel: text})

    def page(self, path):
        status, _, body = self.server.request(self.server.base + path)
        return status, body.decode("utf-8")

    # --- pages -------------------------------------------------------------

    def test_ready_line_and_pages(self):
        s = self.start()
        self.assertEqual(s.base, "/help/")
        self.assertIn(f"serving {self.src} at http://127.0.0.1:{s.port}/help/", s.line)
        status, headers, body = s.request("/help/en/guide/first/")
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "text/html; charset=utf-8")
        self.assertIn("Original first text.", body.decode())
        self.assertIn('<script src="/help/_phare/reload.js"></script>', body.decode())
        self.assertIn("last-modified", headers)
        # The same file again with its ETag: 304, no body.
        etag = headers["etag"]
        status, h2, body2 = s.request("/help/en/guide/first/", headers={"If-None-Match": etag})
        self.assertEqual((status, body2), (304, b""))
        self.assertEqual(h2["etag"], etag)
        status, _, _ = s.request("/help/en/guide/first/", headers={"If-None-Match": '"other"'})
        self.assertEqual(status, 200)
        # Content types by extension.
        self.assertEqual(s.request("/help/sitemap.xml")[1]["content-type"], "application/xml")
        self.assertEqual(s.request("/help/robots.txt")[1]["content-type"], "text/plain; charset=utf-8")
        status, h, js = s.request("/help/_phare/reload.js")
        self.assertEqual((status, h["content-type"]), (200, "text/javascript; charset=utf-8"))
        self.assertIn(b"EventSource", js)
        css = [l for l in os.listdir(os.path.join(self.src, ".phare", "serve-site", "assets")) if l.endswith(".css")]
        self.assertEqual(s.request("/help/assets/" + css[0])[1]["content-type"], "text/css; charset=utf-8")
        # HEAD: headers, no body.
        status, h, body = s.request("/help/en/", method="HEAD")
        self.assertEqual((status, body), (200, b""))

    def test_folders_redirects_and_404(self):
        s = self.start()
        status, headers, _ = s.request("/help/en/guide")
        self.assertEqual((status, headers["location"]), (301, "/help/en/guide/"))
        status, headers, _ = s.request("/help")
        self.assertEqual((status, headers["location"]), (301, "/help/"))
        status, _, body = s.request("/help/")
        self.assertEqual(status, 200)
        status, headers, body = s.request("/help/en/no-such-page/")
        self.assertEqual(status, 404)
        self.assertEqual(headers["content-type"], "text/html; charset=utf-8")
        site404 = phare_test.read(os.path.join(self.src, ".phare", "serve-site", "404.html"))
        self.assertEqual(body.decode(), site404)
        # Outside the base path: the site's 404 page too.
        status, _, body = s.request("/elsewhere/")
        self.assertEqual((status, body.decode()), (404, site404))
        status, _, _ = s.request("/help/en/", method="POST", body=b"x=1",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, 405)
        # The working folder is ignored by git whatever the project says.
        self.assertEqual(phare_test.read(os.path.join(self.src, ".phare", ".gitignore")).splitlines()[-1], "*")

    # --- live reload -----------------------------------------------------------

    def test_edit_shows_new_text(self):
        s = self.start()
        self.edit(FIRST, article("First article", "Edited text, first time."))
        poll_until(lambda: "Edited text, first time." in self.page("en/guide/first/")[1], "the edited page")

    def test_reload_event_after_edit(self):
        s = self.start()
        ev = s.events()
        try:
            hello = json.loads(ev.wait_for("hello"))
            self.assertGreater(hello["built"], 0)
            self.edit(FIRST, article("First article", "Text that came with a reload."))
            self.assertEqual(ev.wait_for("reload"), "{}")
            # The reload is sent once the new site is in place.
            self.assertIn("Text that came with a reload.", self.page("en/guide/first/")[1])
            # A new folder (section) is watched too: an edit inside it rebuilds.
            write_tree(self.src, {"content/en/newsec/_index.md": article("New section", "Section text."),
                                  "content/en/newsec/deep.md": article("Deep", "Deep article text.")})
            poll_until(lambda: "Deep article text." in self.page("en/newsec/deep/")[1], "the new article")
            self.edit("content/en/newsec/deep.md", article("Deep", "Deep article, edited."))
            poll_until(lambda: "Deep article, edited." in self.page("en/newsec/deep/")[1], "the edit in it")
        finally:
            ev.close()

    def test_one_article_updated_alone_and_lists_rebuilt_when_needed(self):
        s = self.start()
        ev = s.events()
        try:
            ev.wait_for("hello")
            # Only the text changed: that page alone is redone.
            self.edit(FIRST, article("First article", "Only the body changed."))
            ev.wait_for("reload")
            self.assertIn("Only the body changed.", self.page("en/guide/first/")[1])
            # The title is shown in the section's list: a full build.
            self.assertIn("First article", self.page("en/guide/")[1])
            self.edit(FIRST, article("Renamed article", "Only the body changed."))
            ev.wait_for("reload")
            self.assertIn("Renamed article", self.page("en/guide/")[1])
            self.assertNotIn("First article", self.page("en/guide/")[1])
            # A template edit: every page again.
            self.edit("templates/partials/footer.mustache",
                      phare_test.read(os.path.join(phare_test.ROOT, "templates/partials/footer.mustache"))
                      + "<p>custom-footer-marker</p>\n")
            ev.wait_for("reload")
            self.assertIn("custom-footer-marker", self.page("en/guide/first/")[1])
            self.assertIn("custom-footer-marker", self.page("en/")[1])
        finally:
            ev.close()
        self.assertEqual(s.stop(), 0)
        self.assertIn("phare serve: updated content/en/guide/first.md in ", s.stderr)
        self.assertEqual(s.stderr.count("phare serve: rebuilt "), 2, s.stderr)

    def test_save_through_a_temporary_file_updates_one_page(self):
        # Many editors save x.md by writing x.md.tmp and renaming it over
        # x.md: still one article's text, so still the one-page path.  A
        # temporary file that comes and goes changes nothing.
        s = self.start()
        ev = s.events()
        try:
            ev.wait_for("hello")
            path = os.path.join(self.src, FIRST)
            with open(path + ".tmp", "w", encoding="utf-8") as f:
                f.write(article("First article", "Saved through a temporary file."))
            os.replace(path + ".tmp", path)
            ev.wait_for("reload")
            self.assertIn("Saved through a temporary file.", self.page("en/guide/first/")[1])
            scratch = os.path.join(self.src, "content/en/guide/notes.tmp")
            with open(scratch, "w", encoding="utf-8") as f:
                f.write("scratch")
            os.unlink(scratch)
            self.edit(FIRST, article("First article", "Saved in place."))
            ev.wait_for("reload")
            self.assertIn("Saved in place.", self.page("en/guide/first/")[1])
        finally:
            ev.close()
        self.assertEqual(s.stop(), 0)
        self.assertEqual(s.stderr.count("phare serve: updated content/en/guide/first.md in "), 2, s.stderr)
        self.assertNotIn("phare serve: rebuilt ", s.stderr)

    def test_broken_edit_keeps_last_good_site_and_reports(self):
        s = self.start()
        ev = s.events()
        try:
            ev.wait_for("hello")
            self.edit(FIRST, "---\ntitle: [unclosed\n---\nBroken text.\n")
            data = json.loads(ev.wait_for("error"))
            self.assertRegex(data["messages"], r"content/en/guide/first\.md:3:1: error: ")
            status, text = self.page("en/guide/first/")
            self.assertEqual(status, 200)
            self.assertIn("Original first text.", text)
            self.assertNotIn("Broken text.", text)
            # A page opened now hears of the error at once.
            late = s.events()
            try:
                late.wait_for("hello")
                self.assertIn("first.md:3:1", json.loads(late.wait_for("error"))["messages"])
            finally:
                late.close()
            # The fix: reload, and the new text.
            self.edit(FIRST, article("First article", "Fixed text."))
            ev.wait_for("reload")
            self.assertIn("Fixed text.", self.page("en/guide/first/")[1])
        finally:
            ev.close()
        self.assertEqual(s.stop(), 0)
        self.assertIn("still serving the last good build", s.stderr)

    def test_site_that_never_built_shows_its_errors_until_fixed(self):
        write_tree(self.src, {FIRST: "---\ntitle: First\nweight: \"<b>\"\n---\n"})
        s = self.start()
        status, headers, body = s.request("/help/en/")
        self.assertEqual(status, 503)
        text = body.decode()
        self.assertIn("first.md:3:9: error: ", text)
        self.assertIn("&lt;b&gt;", text)  # the messages are escaped
        self.assertNotIn("<b>", text)
        self.assertIn('<script src="/help/_phare/reload.js"></script>', text)
        ev = s.events()
        try:
            ev.wait_for("hello")
            self.edit(FIRST, article("First article", "Now it builds."))
            ev.wait_for("reload")
        finally:
            ev.close()
        self.assertIn("Now it builds.", self.page("en/guide/first/")[1])

    # --- only the site's files ----------------------------------------------

    def assert_refused(self, response, secret=None):
        head = response.split(b"\r\n", 1)[0]
        self.assertRegex(head, rb"^HTTP/1\.[01] (400|404) ", response[:300])
        self.assertNotIn(b"root:", response)
        if secret:
            self.assertNotIn(secret, response)

    def test_traversal_attempts(self):
        s = self.start()
        secret = b"TOP-SECRET-OUTSIDE-THE-SITE"
        with open(self.path("secret.txt"), "wb") as f:
            f.write(secret)
        site = os.path.join(self.src, ".phare", "serve-site")
        os.symlink(self.path("secret.txt"), os.path.join(site, "leak.txt"))
        os.symlink("../../../../secret.txt", os.path.join(site, "en", "rel-leak.txt"))
        os.symlink(self.tmp, os.path.join(site, "leakdir"))
        for target in [b"/../etc/passwd", b"/help/../../etc/passwd", b"/help/%2e%2e/%2e%2e/etc/passwd",
                       b"/help/%2E%2E/secret.txt", b"/help/..%2f..%2fsecret.txt", b"/help/a%2fb",
                       b"/help/%00", b"/help/en/%00../../secret.txt", b"/help/..\\..\\secret.txt",
                       b"/help/%5c..%5c..%5csecret.txt", b"/help/./en/", b"/help/leak.txt",
                       b"/help/en/rel-leak.txt", b"/help/leakdir/secret.txt", b"/help/leakdir/",
                       b"/help/%01", b"/help/en/%0d%0aX-Injected:%20yes"]:
            with self.subTest(target=target):
                r = s.raw(b"GET " + target + b" HTTP/1.1")
                self.assert_refused(r, secret)
                self.assertNotIn(b"X-Injected", r)
        # Still serving normally after all that.
        self.assertEqual(s.request("/help/en/")[0], 200)

    # --- slow clients ----------------------------------------------------------

    def test_slow_requests_cut_off_at_the_deadline_pages_and_streams_go_on(self):
        # A client sending its request a byte a second is never idle, so an
        # idle timeout alone lets it hold its connection (and its thread) for
        # ever.  As in phare collect, a request's headers and body must all
        # arrive within SERVE_TIMEOUT_S of its start.  Meanwhile pages are
        # served, and an open event stream (its request arrived long ago)
        # stays open.
        s = self.start()
        ev = s.events()
        try:
            ev.wait_for("hello")
            starts = [b"GET /help/en/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
                      b"POST /api/feedback HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"]
            closed, probes = self.slow_clients(s, starts, limit=SERVE_TIMEOUT_S + 8)
            for i, at in enumerate(closed):
                with self.subTest(client=starts[i][:4]):
                    self.assertIsNotNone(at, "a slow request was never cut off")
                    self.assertGreater(at, SERVE_TIMEOUT_S - 2)  # the deadline, not something else
                    self.assertLess(at, SERVE_TIMEOUT_S + 4)
            self.assertGreater(len(probes), 10)
            self.assertEqual(set(probes), {200})
            self.edit(FIRST, article("First article", "Edited after the slow clients."))
            ev.wait_for("reload")  # the stream opened before them still works
        finally:
            ev.close()
        self.assertIn("Edited after the slow clients.", self.page("en/guide/first/")[1])

    def slow_clients(self, s, starts, limit):
        """Opens a connection per start, sends it, then one more byte a
        second on each, while GETting a page every 0.25 s.  Returns the
        seconds after which the server let go of each slow client (closed
        it, or answered it), None if it did not within limit, and the
        statuses of the GETs."""
        socks, closed, probes = [], {}, []
        sel = selectors.DefaultSelector()
        try:
            for start in starts:
                c = socket.create_connection(("127.0.0.1", s.port), timeout=WAIT)
                c.sendall(start)
                c.setblocking(False)
                socks.append(c)
                sel.register(c, selectors.EVENT_READ)
            t0 = time.monotonic()
            next_byte, next_probe = t0 + 1, t0
            while len(closed) < len(socks) and time.monotonic() - t0 < limit:
                for key, _ in sel.select(timeout=0.05):
                    closed[key.fileobj] = time.monotonic() - t0
                    sel.unregister(key.fileobj)
                now = time.monotonic()
                if now >= next_byte:
                    next_byte += 1
                    for c in socks:
                        if c not in closed:
                            try:
                                c.send(b"a")
                            except OSError:
                                pass  # seen by the select above
                if now >= next_probe:
                    next_probe += 0.25
                    probes.append(s.request("/help/en/guide/first/")[0])
            return [closed.get(c) for c in socks], probes
        finally:
            sel.close()
            for c in socks:
                c.close()

    # --- published builds, feedback, shutdown -------------------------------

    def test_published_build_has_no_reload_script(self):
        s = self.start()
        self.assertIn("_phare/reload.js", self.page("en/")[1])
        out = self.path("published")
        r = phare_test.run("build", "--source", self.src, "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        n = 0
        for root, _, files in os.walk(out):
            for name in files:
                with open(os.path.join(root, name), "rb") as f:
                    self.assertNotIn(b"_phare", f.read(), name)
                n += 1
        self.assertGreater(n, 5)

    def test_feedback_endpoint(self):
        s = self.start()
        self.assertIn('action="/api/feedback"', self.page("en/guide/first/")[1])
        vote = json.dumps({"article": "guide/first", "lang": "en", "vote": "yes", "client": "t1"})
        status, _, body = s.request("/api/feedback", method="POST", body=vote.encode(),
                                    headers={"Content-Type": "application/json", "Accept": "application/json"})
        self.assertEqual(status, 201, body)
        status, _, _ = s.request("/api/feedback", method="POST",
                                 body=json.dumps({"article": "guide/nope", "lang": "en", "vote": "yes"}).encode(),
                                 headers={"Content-Type": "application/json"})
        self.assertEqual(status, 404)
        self.assertEqual(s.stop(), 0)
        self.server = None
        r = phare_test.run("feedback", "report", "--db", os.path.join(self.src, ".phare", "feedback.sqlite"),
                           "--format", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([(a["article"], a["yes"]) for a in json.loads(r.stdout)["articles"]], [("guide/first", 1)])

    def test_sigterm_and_sigint_stop_cleanly(self):
        for sig in (signal.SIGTERM, signal.SIGINT):
            with self.subTest(sig=sig):
                s = self.start()
                ev = s.events()
                ev.wait_for("hello")
                self.assertEqual(s.stop(sig), 0, s.stderr)
                with self.assertRaises((EOFError, ConnectionError, http.client.IncompleteRead)):
                    while True:
                        ev.next()
                ev.close()
                self.server = None

    def test_port_in_use_and_bad_options(self):
        s = self.start()
        r = phare_test.run("serve", "--source", self.src, "--port", str(s.port), timeout=WAIT * 3)
        self.assertEqual(r.returncode, 1)
        self.assertIn(f"cannot listen on '127.0.0.1:{s.port}'", r.stderr)
        r = phare_test.run("serve", "--source", self.src, "--port", "70000")
        self.assertEqual(r.returncode, 2)
        r = phare_test.run("serve", "--source", self.src, "--bind", "localhost", "--port", "0")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--bind 'localhost' is not a numeric address", r.stderr)


if __name__ == "__main__":
    unittest.main()

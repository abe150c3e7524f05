"""etl.ingest against hostile sources, served by a local HTTP server on 127.0.0.1.

Every source gets exactly one line naming the address and the problem, `.ok` is False where it
must fail, and the articles folder then holds only what was added: no temp files, nothing
partial (the folder is listed with its dotfiles, except the writers' `.ingest.lock`).

Nothing here leaves this machine: the server is a thread of the test process; stalls end when
the test ends (or after at most a few seconds), and fetches use short time-outs (OPTS).
"""

from __future__ import annotations

import gzip
import http.server
import importlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from etl.ingest import add_address, feeds
from etl.sources import read_source

# `etl.ingest` re-exports the function `fetch`, which hides the submodule of that name from
# attribute access: take the module itself to patch it.
fetch_mod = importlib.import_module("etl.ingest.fetch")

ROOT = Path(__file__).resolve().parent.parent
OPTS = {"read_timeout_s": 1, "total_timeout_s": 3}
ARTICLE_TYPES = "text/html, application/xhtml+xml, text/plain, text/markdown"
REFUSED_TAIL = (
    "refused, so that an address cannot reach this machine or its network "
    "(set AGI_TRACKER_ALLOW_PRIVATE=1 to allow it)"
)
MB = 1024 * 1024


# --- the local server -------------------------------------------------------------------------

Handler = Callable[[http.server.BaseHTTPRequestHandler], None]


class LocalServer:
    """A threaded HTTP server on 127.0.0.1 with routes set by each test; it records every
    connection and request (path and headers)."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.prefixes: list[tuple[str, Handler]] = []
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.connections = 0
        self.stop = threading.Event()  # set at teardown: every stall ends
        outer = self

        class RequestHandler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"
            server_stop = outer.stop  # handlers that stall wait on it

            def server_stopped(self) -> bool:
                return outer.stop.is_set()

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                outer.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                handler = outer.routes.get(self.path) or next(
                    (h for p, h in outer.prefixes if self.path.startswith(p)), None
                )
                try:
                    if handler is None:
                        send(self, b"no such page\n", status=404, content_type="text/plain")
                    else:
                        handler(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client hung up, as it should on a hostile source

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def process_request(self, request, client_address):
                outer.connections += 1
                super().process_request(request, client_address)

        self.httpd = Server(("127.0.0.1", 0), RequestHandler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(self, path: str, body: bytes, status: int = 200, content_type: str = "text/html; charset=utf-8", headers=()) -> str:  # fmt: skip
        self.routes[path] = lambda h: send(h, body, status, content_type, headers)
        return self.url(path)

    def handle(self, path: str, handler: Handler) -> str:
        self.routes[path] = handler
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        return self.serve(path, b"", status, "text/plain", [("Location", location)])

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def send(h, body=b"", status=200, content_type="text/html; charset=utf-8", headers=()) -> None:
    h.send_response(status)
    if content_type:
        h.send_header("Content-Type", content_type)
    h.send_header("Content-Length", str(len(body)))
    for key, value in headers:
        h.send_header(key, value)
    h.end_headers()
    h.wfile.write(body)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    running = LocalServer()
    yield running
    running.close()


@pytest.fixture(autouse=True)
def _env(tmp_path, monkeypatch):
    """Subscriptions in a temp file; the local server reachable (tests of the address checks
    unset it)."""
    monkeypatch.setenv("AGI_TRACKER_FEEDS", str(tmp_path / "user-data" / "feeds.json"))
    monkeypatch.setenv("AGI_TRACKER_ALLOW_PRIVATE", "1")


@pytest.fixture
def folder(tmp_path) -> Path:
    return tmp_path / "articles"


def listing(folder: Path) -> list[str]:
    """Every name in the folder, dotfiles included, except the writers' lock."""
    if not folder.exists():
        return []
    return sorted(p.name for p in folder.iterdir() if p.name != ".ingest.lock")


def one_line(text: str) -> str:
    assert "\n" not in text and "\r" not in text, text
    return text


def news_page(title: str, *paragraphs: str, published: str = "2025-03-14") -> bytes:
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:site_name" content="Northern Compute Wire">
<meta property="article:published_time" content="{published}T09:00:00Z">
</head><body><nav><a href="/">Home</a></nav>
<article><h1>{title}</h1>
{body}</article><footer>Northern Compute Wire</footer></body></html>
""".encode()


KESTREL = news_page(
    "Kestrel Dynamics ships Gale-2",
    "Kestrel Dynamics, a fictional robotics lab in Bergen, said on Tuesday it has shipped its "
    "Gale-2 model to its first customers after a year of testing on its own cluster.",
    "Chief executive Oda Brekke said the lab would publish a technical report next month.",
)


def add(folder: Path, url: str, **kwargs):
    return add_address(folder, url, fetch_options={**OPTS, **kwargs.pop("opts", {})}, **kwargs)


# --- hostile bodies ---------------------------------------------------------------------------


def endless(chunk: bytes = b"<p>" + b"Kestrel " * 8190 + b"</p>\n", cap: int = 64 * MB) -> Handler:
    """200 text/html, no length, and a body that goes on (up to `cap`, so it always ends)."""

    def handler(h) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        sent = 0
        while sent < cap and not h.server_stopped():
            h.wfile.write(chunk)
            sent += len(chunk)

    return handler


def stall(h) -> None:
    """Accept the request and send nothing until the test ends (at most 10 s)."""
    h.server_stop.wait(10)


def trickle_headers(h) -> None:
    """A status line, then a header byte every 0.2 s: each read is within the read time-out,
    but the response never gets going (ends by itself after 20 s)."""
    h.wfile.write(b"HTTP/1.0 200 OK\r\nX-Slow: ")
    for _ in range(100):
        if h.server_stop.wait(0.2):
            return
        h.wfile.write(b"a")


def trickle_body(h) -> None:
    """Headers at once, then a body byte every 0.3 s (ends by itself after 30 s)."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.end_headers()
    h.wfile.write(b"<html><body><p>Kestrel")
    for _ in range(100):
        if h.server_stop.wait(0.3):
            return
        h.wfile.write(b".")


def cut_short(h) -> None:
    """Promises 100,000 bytes, sends a page's first 200 and hangs up."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    h.wfile.write(KESTREL[:200])


def gzipped(body: bytes, headers=()) -> Handler:
    def handler(h) -> None:
        send(h, body, headers=[("Content-Encoding", "gzip"), *headers])

    return handler


def gzip_then_junk(h) -> None:
    """A small valid gzip body, then junk after its end, forever (up to 64 MB)."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Encoding", "gzip")
    h.end_headers()
    h.wfile.write(gzip.compress(KESTREL))
    junk = b"J" * 65536
    for _ in range(1024):
        if h.server_stopped():
            return
        h.wfile.write(junk)


# About 28 KB of HTML that compresses to about 2 KB (varied, so a cut at 1 KB is mid-stream).
BULLETINS = b"".join(
    b"<p>Kestrel bulletin %d: the fictional lab posted update %d today.</p>" % (n, n * 7919 % 1000)
    for n in range(400)
)
_BOMB: dict[str, bytes] = {}


def gzip_bomb() -> bytes:
    """64 MB of zeros gzipped: about 64 KB on the wire."""
    if "bomb" not in _BOMB:
        packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        zeros = bytes(MB)
        _BOMB["bomb"] = b"".join(packer.compress(zeros) for _ in range(64)) + packer.flush()
    return _BOMB["bomb"]


# --- one address, one line --------------------------------------------------------------------


def test_a_good_page_is_added_with_its_sidecar(server, folder):
    url = server.serve("/kestrel", KESTREL)
    result = add(folder, url)
    assert (result.status, result.ok, result.new) == ("added", True, True)
    assert one_line(result.line) == f"{url}: added as kestrel-dynamics-ships-gale-2.html"
    assert listing(folder) == [
        "kestrel-dynamics-ships-gale-2.html",
        "kestrel-dynamics-ships-gale-2.meta.json",
    ]
    meta = json.loads((folder / "kestrel-dynamics-ships-gale-2.meta.json").read_text("utf-8"))
    assert {k: v for k, v in meta.items() if k != "fetched_at"} == {
        "title": "Kestrel Dynamics ships Gale-2",
        "publisher": "Northern Compute Wire",
        "published": "2025-03-14",
        "url": url,
    }


def test_a_text_page_without_title_is_named_from_its_address(server, folder):
    url = server.serve("/wire/Kestrel_Update.TXT", b"Kestrel Dynamics opens a Bergen office.\n", content_type="text/plain")  # fmt: skip
    result = add(folder, url)
    assert result.line == f"{url}: added as 127-0-0-1-wire-kestrel-update-txt.txt"


HOSTILE_BODIES = [
    # (id, route handler, extra fetch options, the problem the line must state)
    ("endless-body-1MB-limit", endless(), {"max_bytes": MB}, "larger than 1 MB; stopped reading there, not added"),
    ("endless-body-default-10MB-limit", endless(), {}, "larger than 10 MB; stopped reading there, not added"),
    ("silent-stall", stall, {}, "timed out (the server stopped sending)"),
    ("headers-a-byte-at-a-time", trickle_headers, {}, "took longer than the 3 s allowed; stopped"),
    ("body-a-byte-at-a-time", trickle_body, {}, "took longer than the 3 s allowed; stopped"),
    ("body-cut-short", cut_short, {}, "could not fetch (peer closed connection without sending complete message body (received 200 bytes, expected 100000))"),
    ("gzip-bomb-default-limit", gzipped(gzip_bomb()), {}, "larger than 10 MB; stopped reading there, not added"),
    ("gzip-then-endless-junk", gzip_then_junk, {"max_bytes": MB}, "larger than 1 MB; stopped reading there, not added"),
    ("gzip-cut-short", gzipped(gzip.compress(BULLETINS)[:1000]), {}, "the compressed body is cut short; not added"),
    ("gzip-corrupt", gzipped(b"\x1f\x8b\x08\x00" + b"\xff" * 200), {}, "the compressed body is corrupt (Error -3 while decompressing data: invalid block type)"),
    ("unknown-encoding", lambda h: send(h, KESTREL, headers=[("Content-Encoding", "br")]), {}, "content encoding 'br' is not supported"),
    ("image-png", lambda h: send(h, b"\x89PNG\r\n\x1a\n" + bytes(64), content_type="image/png"), {}, f"content type 'image/png' is not one we read ({ARTICLE_TYPES})"),
    ("application-pdf", lambda h: send(h, b"%PDF-1.7\n", content_type="application/pdf"), {}, f"content type 'application/pdf' is not one we read ({ARTICLE_TYPES})"),
    ("no-content-type", lambda h: send(h, KESTREL, content_type=""), {}, f"content type 'none' is not one we read ({ARTICLE_TYPES})"),
    ("binary-as-text-html", lambda h: send(h, b"\x00\x01\x02" * 100), {}, "binary file (contains NUL bytes), not text, not added"),
    ("empty-page", lambda h: send(h, b""), {}, "empty, not added"),
    ("page-without-text", lambda h: send(h, b"<html><head><title>Kestrel</title><script>var x = 1;</script></head><body></body></html>"), {}, "the page holds no article text"),
    ("http-500", lambda h: send(h, b"oops", status=500), {}, "HTTP 500 Internal Server Error"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("handler", "opts", "problem"),
    [case[1:] for case in HOSTILE_BODIES],
    ids=[case[0] for case in HOSTILE_BODIES],
)
def test_a_hostile_body_gets_one_line_and_leaves_nothing(server, folder, handler, opts, problem):
    url = server.handle("/article", handler)
    started = time.monotonic()
    result = add(folder, url, opts=opts)
    assert time.monotonic() - started < 5
    assert (result.status, result.ok, result.new) == ("failed", False, False)
    assert one_line(result.line) == f"{url}: {problem}"
    assert listing(folder) == []


def test_a_gzip_bomb_is_refused_with_bounded_memory(server, folder):
    url = server.handle("/bomb", gzipped(gzip_bomb()))
    assert len(gzip_bomb()) < 100_000  # 64 MB inflated
    tracemalloc.start()
    try:
        result = add(folder, url)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.line == f"{url}: larger than 10 MB; stopped reading there, not added"
    assert peak < 30 * MB, f"peak {peak / MB:.1f} MB"
    assert listing(folder) == []


def test_a_server_that_stalls_does_not_hold_the_next_address(server, folder):
    stalled = server.handle("/stalled", stall)
    good = server.serve("/kestrel", KESTREL)
    results = [add(folder, stalled), add(folder, good)]
    assert [r.line for r in results] == [
        f"{stalled}: timed out (the server stopped sending)",
        f"{good}: added as kestrel-dynamics-ships-gale-2.html",
    ]
    assert listing(folder) == [
        "kestrel-dynamics-ships-gale-2.html",
        "kestrel-dynamics-ships-gale-2.meta.json",
    ]


# --- redirects --------------------------------------------------------------------------------


def test_a_redirect_loop(server, folder):
    a = server.redirect("/loop-a", "/loop-b")
    server.redirect("/loop-b", server.url("/loop-a"))
    result = add(folder, a)
    assert (result.status, result.ok) == ("failed", False)
    assert one_line(result.line) == f"{a}: redirect loop (back to {a})"
    assert server.paths() == ["/loop-a", "/loop-b"]
    assert listing(folder) == []


def test_a_redirect_to_itself(server, folder):
    url = server.redirect("/self", "/self#again")
    assert add(folder, url).line == f"{url}: redirect loop (back to {url}#again)"


@pytest.fixture
def chain(server) -> Callable[[int], str]:
    """/chain/N redirects to /chain/N-1 ... /chain/0, the page."""
    server.serve("/chain/0", KESTREL)
    for n in range(1, 8):
        server.redirect(f"/chain/{n}", f"/chain/{n - 1}", status=301 if n % 2 else 307)
    return lambda n: server.url(f"/chain/{n}")


def test_six_redirects_are_too_many(server, folder, chain):
    result = add(folder, chain(6))
    assert (result.status, result.ok) == ("failed", False)
    assert one_line(result.line) == f"{chain(6)}: more than 5 redirects; stopped"
    assert "/chain/0" not in server.paths()
    assert listing(folder) == []


def test_five_redirects_are_followed(folder, chain):
    result = add(folder, chain(5))
    assert result.line == f"{chain(5)}: added as kestrel-dynamics-ships-gale-2.html"


@pytest.fixture
def first_hop_only(server, monkeypatch) -> Iterator[LocalServer]:
    """Private addresses refused (AGI_TRACKER_ALLOW_PRIVATE unset), except the test server's
    own address and port, so that its redirect can be followed and the *target* is checked.

    `resolve_checked` is what the connection backend calls for every TCP connection; the
    wrapper lets 127.0.0.1:<server port> through and hands every other host and port to the
    real check. A second server on another port plays the private service a redirect aims at:
    it must see no connection at all.
    """
    monkeypatch.delenv("AGI_TRACKER_ALLOW_PRIVATE")
    real = fetch_mod.resolve_checked

    def only_the_test_server(host: str, port: int) -> list[str]:
        if (host, port) == ("127.0.0.1", server.port):
            return ["127.0.0.1"]
        return real(host, port)

    monkeypatch.setattr(fetch_mod, "resolve_checked", only_the_test_server)
    private = LocalServer()
    private.serve("/admin", b"<p>internal admin page</p>")
    yield private
    private.close()


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ("http://127.0.0.1:{private}/admin", "127.0.0.1 is a loopback address: " + REFUSED_TAIL),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address: " + REFUSED_TAIL),
        ("http://[::1]:{private}/admin", "::1 is a loopback address: " + REFUSED_TAIL),
        ("http://0.0.0.0:{private}/admin", "0.0.0.0 is an unspecified address: " + REFUSED_TAIL),
    ],
    ids=["loopback", "cloud-metadata", "ipv6-loopback", "unspecified"],
)  # fmt: skip
def test_a_redirect_to_a_private_address_is_refused(server, folder, first_hop_only, target, problem):  # fmt: skip
    target = target.format(private=first_hop_only.port)
    url = server.redirect("/innocent", target)
    result = add(folder, url)
    assert (result.status, result.ok) == ("refused", False)
    assert one_line(result.line) == f"{url} redirects to {target}: {problem}"
    assert server.paths() == ["/innocent"]
    assert first_hop_only.connections == 0  # never reached
    assert listing(folder) == []


@pytest.mark.parametrize(
    ("location", "line"),
    [
        ("file:///etc/passwd", "{url} redirects to file:///etc/passwd: only http and https addresses are fetched, not file"),
        ("ftp://127.0.0.1/x", "{url} redirects to ftp://127.0.0.1/x: only http and https addresses are fetched, not ftp"),
        ("http://admin:secret@127.0.0.1/", "{url} redirects to http://admin:secret@127.0.0.1/: addresses with a user name or password are not fetched"),
        ("javascript:alert(1)", "{url}: redirects to an address that is not valid (For absolute URLs, path must be empty or begin with '/')"),
        ("data:text/html,<script>alert(1)</script>", "{url}: redirects to an address that is not valid (For absolute URLs, path must be empty or begin with '/')"),
    ],
)  # fmt: skip
def test_a_redirect_to_another_scheme_is_refused(server, folder, location, line):
    url = server.redirect("/go", location)
    result = add(folder, url)
    assert (result.status, result.ok) == ("refused", False)
    assert one_line(result.line) == line.format(url=url)
    assert listing(folder) == []


def test_a_private_address_is_refused_before_any_connection(server, folder, monkeypatch):
    monkeypatch.delenv("AGI_TRACKER_ALLOW_PRIVATE")
    server.serve("/", KESTREL)
    url = server.url("/")
    result = add(folder, url)
    assert (result.status, result.ok) == ("refused", False)
    assert one_line(result.line) == f"{url}: 127.0.0.1 is a loopback address: {REFUSED_TAIL}"
    assert server.connections == 0 and server.requests == []
    assert listing(folder) == []


# --- the same address twice -------------------------------------------------------------------


def test_the_same_address_is_not_added_twice_and_refresh_fetches_it_anew(server, folder):
    url = server.serve("/kestrel", KESTREL)
    stem = "kestrel-dynamics-ships-gale-2"
    assert add(folder, url).line == f"{url}: added as {stem}.html"
    again = add(folder, url.replace("http://127.0.0.1", "HTTP://127.0.0.1") + "#comments")
    assert (again.status, again.ok, again.new) == ("skipped", True, False)
    assert again.line.endswith(f": already added as {stem}.html; --refresh fetches it anew")
    assert server.paths() == ["/kestrel"]  # not fetched again

    unchanged = add(folder, url, refresh=True)
    assert (unchanged.status, unchanged.line) == (
        "unchanged",
        f"{url}: fetched again, unchanged ({stem}.html)",
    )
    server.serve("/kestrel", KESTREL.replace(b"next month", b"in April"))
    refreshed = add(folder, url, refresh=True)
    assert (refreshed.status, refreshed.new) == ("refreshed", True)
    assert refreshed.line == f"{url}: refreshed as {stem}.html"
    assert server.paths() == ["/kestrel"] * 3
    assert b"in April" in (folder / f"{stem}.html").read_bytes()
    assert listing(folder) == [f"{stem}.html", f"{stem}.meta.json"]


def test_the_same_page_at_another_address_is_a_duplicate(server, folder):
    first = server.serve("/a", KESTREL)
    second = server.serve("/b", KESTREL)
    add(folder, first)
    result = add(folder, second)
    assert (result.status, result.line) == (
        "duplicate",
        f"{second}: already there as kestrel-dynamics-ships-gale-2.html (same content), "
        "not added again",
    )
    assert listing(folder) == [
        "kestrel-dynamics-ships-gale-2.html",
        "kestrel-dynamics-ships-gale-2.meta.json",
    ]


# --- feeds ------------------------------------------------------------------------------------


def rss(*items: str, extra: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'{extra}<rss version="2.0"><channel><title>Northern Compute Wire</title>'
        f"<link>http://127.0.0.1/</link><description>AI news</description>{''.join(items)}"
        "</channel></rss>\n"
    ).encode()


def item(link: str, title: str = "Kestrel news", guid: str | None = None) -> str:
    guid_xml = f"<guid>{guid}</guid>" if guid else ""
    return f"<item><title>{title}</title><link>{link}</link>{guid_xml}</item>"


def text_article(h) -> None:
    """/news/<n>: a short plain-text article, different for every n."""
    n = h.path.rsplit("/", 1)[-1]
    body = f"Kestrel Dynamics bulletin {n}\n\nThe fictional lab posted update number {n}.\n"
    send(h, body.encode(), content_type="text/plain; charset=utf-8")


def pull(folder: Path, **kwargs) -> list[feeds.FeedReport]:
    def add_url(link: str, meta: dict) -> tuple[str, str]:
        result = add_address(folder, link, meta, fetch_options=OPTS)
        return result.status, result.line

    return feeds.pull(add_url, fetch_options=OPTS, **kwargs)


MALFORMED = [
    ("not-xml", b"this is not a feed, just words\n", "text/xml", "not a readable RSS or Atom feed (<unknown>:2:0: syntax error)"),
    ("truncated", b'<?xml version="1.0"?><rss version="2.0"><channel><title>Cut', "application/rss+xml", "not a readable RSS or Atom feed (<unknown>:1:76: no element found)"),
    ("xml-but-no-feed", b'<?xml version="1.0"?><urlset><url><loc>http://127.0.0.1/a</loc></url></urlset>', "application/xml", "not a readable RSS or Atom feed (no feed in it)"),
    ("html-page", KESTREL, "text/html", "content type 'text/html' is not one we read (application/rss+xml, application/atom+xml, application/rdf+xml, application/xml, text/xml, application/x-rss+xml, text/plain)"),
    ("empty", b"", "application/rss+xml", "not a readable RSS or Atom feed (no feed in it)"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "content_type", "problem"),
    [case[1:] for case in MALFORMED],
    ids=[case[0] for case in MALFORMED],
)
def test_a_malformed_feed_gets_one_line(server, folder, body, content_type, problem):
    url = server.serve("/feed.xml", body, content_type=content_type)
    feeds.subscribe(url)
    [report] = pull(folder)
    assert one_line(report.line()) == f"{url}: failed: {problem}"
    assert report.entries == []
    assert feeds.subscriptions()[0]["last_error"] == f"{url}: {problem}"
    assert listing(folder) == []


BILLION_LAUGHS = """<!DOCTYPE rss [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
"""
XXE = '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


@pytest.mark.parametrize(
    ("prolog", "title"),
    [
        (BILLION_LAUGHS, "&lol9;"),
        (XXE, "&xxe;"),
        # The DOCTYPE after 70 KB of comment: the check reads the whole document.
        ("<!--" + "padding " * 9000 + "-->\n" + XXE, "&xxe;"),
    ],
    ids=["billion-laughs", "external-entity", "entity-after-a-long-comment"],
)
def test_a_feed_declaring_entities_is_refused(server, folder, prolog, title):
    server.prefixes.append(("/news/", text_article))
    url = server.serve(
        "/feed.xml",
        rss(item(server.url("/news/1"), title=title), extra=prolog),
        content_type="application/rss+xml",
    )
    feeds.subscribe(url)
    [report] = pull(folder)
    assert one_line(report.line()) == (
        f"{url}: failed: the feed declares XML entities or a document-type subset; refused "
        "(entity expansion could exhaust memory)"
    )
    assert server.paths() == ["/feed.xml"]  # no entry fetched
    assert listing(folder) == []


def test_a_feed_of_10000_entries_is_taken_20_at_a_time(server, folder):
    server.prefixes.append(("/news/", text_article))
    # The first 40 with a title and a guid; the rest bare links, which parse faster.
    items = [item(server.url(f"/news/{n}"), f"Bulletin {n}", guid=f"kestrel-{n}") for n in range(40)]  # fmt: skip
    items += [f"<item><link>{server.url(f'/news/{n}')}</link></item>" for n in range(40, 10_000)]
    url = server.serve("/big.xml", rss(*items), content_type="application/rss+xml")
    feeds.subscribe(url)

    [first] = pull(folder)
    assert one_line(first.line()) == f"{url}: 20 added, 1 skipped, 0 failed"
    assert [e.status for e in first.entries] == ["added"] * 20 + ["skipped"]
    assert first.entries[-1].detail == (
        "9980 more new entries wait for the next pull (at most 20 per pull)"
    )
    assert first.entries[0].detail == (
        f"{server.url('/news/0')}: added as bulletin-0.txt"  # the feed's title names the file
    )

    [second] = pull(folder)
    assert second.line() == f"{url}: 20 added, 1 skipped, 0 failed"
    assert second.entries[0].entry == server.url("/news/20")
    assert second.entries[-1].detail == (
        "9960 more new entries wait for the next pull (at most 20 per pull)"
    )
    fetched = [p for p in server.paths() if p.startswith("/news/")]
    assert fetched == [f"/news/{n}" for n in range(40)]  # each once: none re-added
    names = listing(folder)
    assert len(names) == 80 and "bulletin-39.txt" in names and "bulletin-40.txt" not in names
    assert not [n for n in names if n.startswith(".") or n.endswith(".tmp")]


def test_waiting_entries_are_counted_when_the_feed_moved_on(server, folder):
    """`seen` also holds ids the feed no longer lists: the waiting count must not depend on
    how many of those there are."""
    server.prefixes.append(("/news/", text_article))
    url = server.serve(
        "/feed.xml",
        rss(*[item(server.url(f"/news/{n}"), f"Bulletin {n}") for n in range(6)]),
        content_type="application/rss+xml",
    )
    feeds.subscribe(url)
    pull(folder, max_entries=6)
    server.serve(
        "/feed.xml",
        rss(*[item(server.url(f"/news/{n}"), f"Bulletin {n}") for n in range(100, 104)]),
        content_type="application/rss+xml",
    )
    [report] = pull(folder, max_entries=2)
    assert report.line() == f"{url}: 2 added, 1 skipped, 0 failed"
    assert report.entries[-1].detail == (
        "2 more new entries wait for the next pull (at most 2 per pull)"
    )


def test_javascript_links_in_a_feed_are_refused_and_the_others_added(server, folder):
    server.prefixes.append(("/news/", text_article))
    good = server.url("/news/7")
    url = server.serve(
        "/feed.xml",
        rss(
            item("javascript:alert(document.cookie)", "Click me"),
            item(good, "Kestrel bulletin"),
            item("data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;", "Data"),
            item("file:///etc/passwd", "Passwords"),
        ),
        content_type="application/rss+xml",
    )
    feeds.subscribe(url)
    [report] = pull(folder)
    assert one_line(report.line()) == f"{url}: 1 added, 0 skipped, 3 failed"
    assert [(e.status, e.detail) for e in report.entries] == [
        (
            "refused",
            "javascript:alert(document.cookie): only http and https addresses are fetched, not javascript",
        ),  # fmt: skip
        ("added", f"{good}: added as kestrel-bulletin.txt"),
        (
            "refused",
            "data:text/html,<script>alert(1)</script>: only http and https addresses are fetched, not data",
        ),  # fmt: skip
        # feedparser hands the link over as file://etc/passwd
        ("refused", "file://etc/passwd: only http and https addresses are fetched, not file"),
    ]
    assert server.paths() == ["/feed.xml", "/news/7"]
    assert listing(folder) == ["kestrel-bulletin.meta.json", "kestrel-bulletin.txt"]
    # Refused entries are not tried again.
    [again] = pull(folder)
    assert again.line() == f"{url}: 0 added, 0 skipped, 0 failed"
    assert server.paths() == ["/feed.xml", "/news/7", "/feed.xml"]


def test_script_in_titles_is_stored_as_plain_text(server, folder):
    title = "<script>alert(1)</script> Kestrel ships Gale-2"
    page = news_page(
        title,
        "Kestrel Dynamics, a fictional robotics lab, said on Tuesday it has shipped its Gale-2 "
        "model to customers in Bergen and Trondheim after a year of testing.",
        "The company said the model was trained on 2,000 GPUs at its own data centre.",
    )
    text_url = server.serve("/plain", b"Kestrel posts a plain note.\n", content_type="text/plain")
    page_url = server.serve("/page", page)
    url = server.serve(
        "/feed.xml",
        rss(
            item(page_url, "&lt;script&gt;alert(1)&lt;/script&gt; Kestrel ships Gale-2"),
            item(text_url, "<![CDATA[<img src=x onerror=alert(2)>\n\u202e Plain note]]>"),
        ),
        content_type="application/rss+xml",
    )
    feeds.subscribe(url)
    [report] = pull(folder)
    assert report.line() == f"{url}: 2 added, 0 skipped, 0 failed"
    assert [e.detail for e in report.entries] == [
        f"{page_url}: added as alert-1-kestrel-ships-gale-2.html",
        f"{text_url}: added as img-src-x-onerror-alert-2-plain-note.txt",
    ]
    page_meta = json.loads((folder / "alert-1-kestrel-ships-gale-2.meta.json").read_text("utf-8"))
    text_meta = json.loads(
        (folder / "img-src-x-onerror-alert-2-plain-note.meta.json").read_text("utf-8")
    )
    # The page's own title wins over the feed's; trafilatura drops the script element.
    assert page_meta["title"] == "alert(1) Kestrel ships Gale-2"
    # The feed's title as plain text, on one line, without the bidi override.
    assert text_meta["title"] == "<img src=x onerror=alert(2)> Plain note"
    assert text_meta["feed"] == url
    page_source = read_source(folder / "alert-1-kestrel-ships-gale-2.html")
    assert page_source.title == "alert(1) Kestrel ships Gale-2"
    assert "<script>" not in page_source.text and "shipped its Gale-2" in page_source.text
    assert read_source(folder / "img-src-x-onerror-alert-2-plain-note.txt").title == (
        "<img src=x onerror=alert(2)> Plain note"
    )


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_failing_feed_does_not_stop_the_others(server, folder):
    server.prefixes.append(("/news/", text_article))
    first = server.serve("/one.xml", rss(item(server.url("/news/1"), "Bulletin one")), content_type="application/rss+xml")  # fmt: skip
    missing = server.url("/missing.xml")
    closed = f"http://127.0.0.1:{_closed_port()}/feed.xml"
    stalled = server.handle("/stalled.xml", stall)
    last = server.serve("/two.xml", rss(item(server.url("/news/2"), "Bulletin two")), content_type="application/atom+xml")  # fmt: skip
    for url in (first, missing, closed, stalled, last):
        feeds.subscribe(url)
    reports = pull(folder)
    assert [one_line(r.line()) for r in reports] == [
        f"{first}: 1 added, 0 skipped, 0 failed",
        f"{missing}: failed: HTTP 404 Not Found",
        f"{closed}: failed: could not fetch ([Errno 111] Connection refused)",
        f"{stalled}: failed: timed out (the server stopped sending)",
        f"{last}: 1 added, 0 skipped, 0 failed",
    ]
    by_url = {f["url"]: f for f in feeds.subscriptions()}
    assert by_url[missing]["last_error"] == f"{missing}: HTTP 404 Not Found"
    assert by_url[first]["last_error"] is None
    assert listing(folder) == [
        "bulletin-one.meta.json",
        "bulletin-one.txt",
        "bulletin-two.meta.json",
        "bulletin-two.txt",
    ]


def test_conditional_requests_and_not_modified(server, folder):
    server.prefixes.append(("/news/", text_article))
    body = rss(item(server.url("/news/1"), "Bulletin one"))
    stamp = "Fri, 14 Mar 2025 09:00:00 GMT"

    def conditional_feed(h) -> None:
        if h.headers.get("If-None-Match") == '"v1"':
            send(h, b"", status=304, content_type="")
        else:
            send(h, body, content_type="application/rss+xml", headers=[("ETag", '"v1"'), ("Last-Modified", stamp)])  # fmt: skip

    url = server.handle("/feed.xml", conditional_feed)
    feeds.subscribe(url)
    [first] = pull(folder)
    assert first.line() == f"{url}: 1 added, 0 skipped, 0 failed"
    [second] = pull(folder)
    assert (second.not_modified, one_line(second.line())) == (
        True,
        f"{url}: not modified since the last pull",
    )
    feed_requests = [headers for path, headers in server.requests if path == "/feed.xml"]
    assert "if-none-match" not in feed_requests[0]
    assert feed_requests[1]["if-none-match"] == '"v1"'
    assert feed_requests[1]["if-modified-since"] == stamp
    assert server.paths().count("/news/1") == 1
    assert feeds.subscriptions()[0]["last_result"] == f"{url}: not modified since the last pull"
    assert listing(folder) == ["bulletin-one.meta.json", "bulletin-one.txt"]


def test_a_feed_listing_an_entry_twice_adds_it_once(server, folder):
    server.prefixes.append(("/news/", text_article))
    link = server.url("/news/5")
    url = server.serve("/feed.xml", rss(item(link, "Bulletin five"), item(link, "Bulletin five")), content_type="text/xml")  # fmt: skip
    feeds.subscribe(url)
    [report] = pull(folder)
    assert report.line() == f"{url}: 1 added, 0 skipped, 0 failed"
    assert server.paths().count("/news/5") == 1


# --- the command line -------------------------------------------------------------------------

BOREALIS = news_page(
    "Borealis Systems plans 48,000-GPU cluster in Tromsø",
    "TROMSØ, March 14, 2025 — Borealis Systems, the Norwegian AI lab founded by former "
    "physicists, said on Friday it plans to deploy 48,000 Nvidia H100 GPUs at a new "
    "hydro-powered data centre north of the Arctic Circle by the end of 2026.",
    "The company said the cluster would train its next family of reasoning models. Chief "
    "executive Maren Holt told reporters the first 12,000 GPUs are already installed and "
    "running test workloads.",
    "Borealis also said it had hired Tomas Lindqvist, previously head of infrastructure at "
    "Fjordline AI, as its new chief technology officer.",
    "The lab did not disclose the cost of the build-out, which analysts at Skarv Research "
    "put at well over a billion dollars.",
)
SKARV = news_page(
    "Skarv Research hires Ada Nystrøm as chief scientist",
    "BERGEN, April 2, 2025 — Skarv Research, a fictional AI lab in Bergen, said on Wednesday "
    "it has hired Ada Nystrøm, previously a research director at Borealis Systems, as its "
    "chief scientist.",
    "The lab said Nystrøm would lead a new team working on long-context reasoning models and "
    "would start in May.",
    published="2025-04-02",
)


def run_cli(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "AGI_TRACKER_ALLOW_PRIVATE": "1",
        "AGI_TRACKER_FEEDS": str(tmp_path / "user-data" / "feeds.json"),
    }
    return subprocess.run(
        [sys.executable, "-m", "etl", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_add_and_feeds_pull_build_the_database(server, tmp_path):
    seeds, db = tmp_path / "seeds", tmp_path / "tracker.duckdb"
    url = server.serve("/2025/03/borealis-tromso", BOREALIS)
    done = run_cli("add", url, "--seeds", str(seeds), "--db", str(db), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    stem = "borealis-systems-plans-48-000-gpu-cluster-in-tromso"
    assert done.stdout.splitlines()[0] == f"{url}: added as {stem}.html"
    assert f"built {db} from {seeds}" in done.stdout
    with duckdb.connect(str(db), read_only=True) as con:
        compute = con.execute(
            "SELECT org, chip, quantity, status FROM compute_facts WHERE source_id = ? "
            "ORDER BY quantity DESC, chip NULLS LAST",
            [stem],
        ).fetchall()
        hires = con.execute(
            "SELECT person, to_org, role FROM hire_facts WHERE source_id = ?", [stem]
        ).fetchall()
        source = con.execute(
            "SELECT title, url, publisher, published FROM sources WHERE source_id = ?", [stem]
        ).fetchone()
    assert ("Borealis Systems", "H100", 48000, "planned") in compute
    assert ("Borealis Systems", None, 12000, "operational") in compute
    assert hires == [("Tomas Lindqvist", "Borealis Systems", "chief technology officer")]
    assert source[:3] == (
        "Borealis Systems plans 48,000-GPU cluster in Tromsø",
        url,
        "Northern Compute Wire",
    )
    assert str(source[3]) == "2025-03-14"

    # A feed: one new entry, one already added, one refused; then the build.
    skarv = server.serve("/2025/04/skarv-hires", SKARV)
    feed = server.serve(
        "/feed.xml",
        rss(item(skarv, "Skarv hires"), item(url, "Borealis"), item("javascript:alert(1)", "x")),
        content_type="application/rss+xml",
    )
    assert run_cli("feeds", "add", feed, tmp_path=tmp_path).stdout == f"subscribed to {feed}\n"
    pulled = run_cli("feeds", "pull", "--build", "--seeds", str(seeds), "--db", str(db), tmp_path=tmp_path)  # fmt: skip
    assert pulled.returncode == 0, pulled.stderr
    lines = pulled.stdout.splitlines()
    assert lines[:3] == [
        f"{feed}: 1 added, 1 skipped, 1 failed",
        f"  skipped: {url}: already added as {stem}.html; --refresh fetches it anew",
        "  refused: javascript:alert(1): only http and https addresses are fetched, not javascript",
    ]
    assert f"built {db} from {seeds}" in pulled.stdout
    with duckdb.connect(str(db), read_only=True) as con:
        sources = [r[0] for r in con.execute("SELECT source_id FROM sources ORDER BY 1").fetchall()]
        skarv_hire = con.execute(
            "SELECT person, to_org FROM hire_facts WHERE source_id = ?",
            ["skarv-research-hires-ada-nystrom-as-chief-scientist"],
        ).fetchall()
    assert sources == [stem, "skarv-research-hires-ada-nystrom-as-chief-scientist"]
    assert ("Ada Nystrøm", "Skarv Research") in skarv_hire
    listed = run_cli("feeds", "list", tmp_path=tmp_path).stdout
    assert listed.startswith(f"{feed}\tlast pull: ") and listed.rstrip().endswith(
        "1 added, 1 skipped, 1 failed"
    )
    assert listing(seeds) == [
        f"{stem}.html",
        f"{stem}.meta.json",
        "skarv-research-hires-ada-nystrom-as-chief-scientist.html",
        "skarv-research-hires-ada-nystrom-as-chief-scientist.meta.json",
    ]

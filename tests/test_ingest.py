"""etl.ingest without a network: file names, suffixes, duplicates, never overwriting, sidecars,
address checks, upload refusals and feed subscriptions. Every expected value is literal.

The fetching side (a local HTTP server playing hostile sources) is tests/test_ingest_hostile.py.
"""

from __future__ import annotations

import importlib
import ipaddress
import json
import os
import shutil
import socket
from pathlib import Path

import pytest

from etl.ingest import add_address, add_upload, feeds
from etl.ingest.fetch import Refused, blocked_reason, check_address, resolve_checked
from etl.ingest.store import (
    IngestError,
    clean_meta,
    find_by_url,
    find_same_content,
    normalise_url,
    safe_stem,
    store_article,
    suffix_for,
)
from etl.sources import read_source

# `etl.ingest` re-exports the function `fetch`, which hides the submodule of that name from
# attribute access (`import etl.ingest.fetch as m` gives the function): take the module itself.
fetch_mod = importlib.import_module("etl.ingest.fetch")
store_mod = importlib.import_module("etl.ingest.store")

ARTICLE = (
    b"Kestrel Dynamics opens an Oslo research lab\n\n"
    b"OSLO, February 3, 2025 - Kestrel Dynamics, a fictional robotics lab, said on Monday it "
    b"has opened a research office in Oslo and hired Dr. Liv Aasen as its head of research.\n"
)


def listing(folder: Path) -> list[str]:
    """Every name in the folder, dotfiles included, except the writers' lock."""
    if not folder.exists():
        return []
    return sorted(p.name for p in folder.iterdir() if p.name != ".ingest.lock")


@pytest.fixture
def folder(tmp_path) -> Path:
    return tmp_path / "articles"


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path, monkeypatch):
    """Subscriptions always in a temp file; private addresses refused unless a test allows."""
    monkeypatch.setenv("AGI_TRACKER_FEEDS", str(tmp_path / "user-data" / "feeds.json"))
    monkeypatch.delenv("AGI_TRACKER_ALLOW_PRIVATE", raising=False)


# --- file names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "url", "stem"),
    [
        (
            "Élan Labs’ new “Tensor” cluster: 40,000 GPUs!",
            None,
            "elan-labs-new-tensor-cluster-40-000-gpus",
        ),
        ("Ünïcödé — ção", None, "unicode-cao"),
        ("<script>alert(1)</script>", None, "script-alert-1-script"),
        ("  Kestrel Dynamics: Q3 update (draft) ", None, "kestrel-dynamics-q3-update-draft"),
        (".hidden title", None, "hidden-title"),
        ("../../etc/passwd", None, "etc-passwd"),
        # Cut at a word boundary, at most 80 characters.
        (
            " ".join(["Kestrel Dynamics unveils"] * 10),
            None,
            "kestrel-dynamics-unveils-kestrel-dynamics-unveils-kestrel-dynamics-unveils",
        ),
        # One word longer than 80 characters is cut, not replaced by "article".
        ("x" * 100, None, "x" * 80),
        # No usable title: the address's host, path and query (no "www", no ".html").
        ("", "https://www.Example.com/news/2025/big-story.html?id=7", "example-com-news-2025-big-story-id-7"),
        (None, "https://news.example.org/", "news-example-org"),
        ("   ", "https://news.example.org/ai/kestrel", "news-example-org-ai-kestrel"),
        # A title without a Latin letter or digit falls back to the address too.
        ("日本語のタイトル", "https://news.example.org/ai/kestrel", "news-example-org-ai-kestrel"),
        # Nothing usable at all: never empty, never hidden.
        ("!!!", None, "article"),
        ("", None, "article"),
        (None, "https:///", "article"),
    ],
)  # fmt: skip
def test_safe_stem(title, url, stem):
    assert safe_stem(title, url) == stem
    assert len(stem) <= 80 and not stem.startswith(".")


def test_safe_stem_never_raises_on_a_bad_address():
    assert safe_stem("", "http://[::1/x") == "article"  # urlsplit raises for this one


@pytest.mark.parametrize(
    ("filename", "suffix"),
    [("a.txt", ".txt"), ("A.TXT", ".txt"), ("a.md", ".md"), ("a.markdown", ".md"),
     ("a.html", ".html"), ("a.HTM", ".html"), ("report.final.html", ".html")],
)  # fmt: skip
def test_suffix_for_file_names(filename, suffix):
    assert suffix_for(filename=filename) == suffix


@pytest.mark.parametrize(
    ("filename", "message"),
    [
        ("report.pdf", "report.pdf: unsupported file type '.pdf'; use .txt, .md or .html"),
        ("README", "README: unsupported file type '(none)'; use .txt, .md or .html"),
        ("page.php", "page.php: unsupported file type '.php'; use .txt, .md or .html"),
    ],
)
def test_suffix_for_refuses_other_files(filename, message):
    with pytest.raises(IngestError) as caught:
        suffix_for(filename=filename)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("content_type", "suffix"),
    [("text/html", ".html"), ("text/html; charset=utf-8", ".html"),
     ("application/xhtml+xml", ".html"), ("TEXT/HTML", ".html"), ("text/markdown", ".md"),
     ("text/plain", ".txt"), ("", ".txt"), (None, ".txt")],
)  # fmt: skip
def test_suffix_for_content_types(content_type, suffix):
    assert suffix_for(content_type=content_type) == suffix


# --- duplicates and never overwriting ----------------------------------------------------------


def test_same_bytes_are_reported_as_the_existing_article_and_nothing_is_written(folder):
    first = add_upload(folder, "kestrel.txt", ARTICLE)
    assert (first.status, first.line) == ("added", "kestrel.txt: added as kestrel.txt")
    before = listing(folder)
    again = add_upload(folder, "other-name.md", ARTICLE, {"title": "A different title"})
    assert again.status == "duplicate"
    assert (
        again.line == "other-name.md: already there as kestrel.txt (same content), not added again"
    )
    assert again.ok and not again.new
    assert again.stored.path == folder / "kestrel.txt"
    assert listing(folder) == before == ["kestrel.txt"]
    assert find_same_content(folder, ARTICLE) == folder / "kestrel.txt"
    assert find_same_content(folder, ARTICLE + b" ") is None


@pytest.mark.parametrize(
    "existing",
    [["foo.txt"], ["foo.meta.json"], ["FOO.html"], ["Foo.md", "foo-2.txt"]],
    ids=["same-name", "sidecar-only", "other-case-and-suffix", "foo-2-taken-too"],
)
def test_a_new_article_never_takes_an_existing_name(folder, existing):
    folder.mkdir()
    for name in existing:
        (folder / name).write_bytes(f"someone else's {name}\n".encode())
    stored = store_article(folder, ARTICLE, ".txt", {"title": "Foo"})
    expected = "foo-3" if "foo-2.txt" in existing else "foo-2"
    assert (stored.status, stored.source_id) == ("added", expected)
    assert stored.path == folder / f"{expected}.txt"
    assert stored.path.read_bytes() == ARTICLE
    for name in existing:  # untouched
        assert (folder / name).read_bytes() == f"someone else's {name}\n".encode()
    assert listing(folder) == sorted([*existing, f"{expected}.txt", f"{expected}.meta.json"])


def test_an_upload_named_like_an_existing_article_gets_the_next_name(folder):
    assert add_upload(folder, "notes.txt", b"Kestrel Dynamics notes, first draft.\n").ok
    second = add_upload(folder, "NOTES.txt", b"Kestrel Dynamics notes, second draft.\n")
    assert second.line == "NOTES.txt: added as notes-2.txt"
    assert listing(folder) == ["notes-2.txt", "notes.txt"]


def test_a_name_taken_meanwhile_fails_and_leaves_no_sidecar_behind(folder, monkeypatch):
    """Another program creates foo.txt between choosing the name and writing: the write fails
    rather than replace it, and the sidecar already written for our article is removed (else it
    would describe the other program's file)."""
    folder.mkdir()
    (folder / "foo.txt").write_bytes(b"written by another program\n")
    monkeypatch.setattr(store_mod, "_taken_stems", lambda folder: set())
    with pytest.raises(IngestError) as caught:
        store_article(folder, ARTICLE, ".txt", {"title": "Foo", "url": "https://a.example/foo"})
    assert str(caught.value) == "foo.txt: a file of that name appeared meanwhile; not replaced"
    assert listing(folder) == ["foo.txt"]
    assert (folder / "foo.txt").read_bytes() == b"written by another program\n"


def test_a_full_disk_gives_one_line_and_leaves_nothing(folder, monkeypatch):
    def no_space(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_mod.os, "fsync", no_space)
    result = add_upload(folder, "kestrel.txt", ARTICLE, {"title": "Kestrel"})
    assert result.status == "failed"
    assert result.line == (
        f"kestrel.txt: could not be written to {folder} (No space left on device), not added"
    )
    assert listing(folder) == []


# --- sidecars ---------------------------------------------------------------------------------


def test_sidecar_content(folder):
    meta = {
        "title": "Kestrel Dynamics opens an Oslo research lab",
        "url": "https://news.example.org/kestrel-oslo",
        "publisher": "Fjord Tech Daily",
        "published": "2025-02-03",
        "author": "",  # empty: left out
        "bogus": "not a sidecar key",  # unknown: left out
    }
    result = add_upload(folder, "upload.txt", ARTICLE, meta)
    assert result.line == "upload.txt: added as kestrel-dynamics-opens-an-oslo-research-lab.txt"
    assert listing(folder) == [
        "kestrel-dynamics-opens-an-oslo-research-lab.meta.json",
        "kestrel-dynamics-opens-an-oslo-research-lab.txt",
    ]
    sidecar = folder / "kestrel-dynamics-opens-an-oslo-research-lab.meta.json"
    assert json.loads(sidecar.read_text("utf-8")) == {
        "title": "Kestrel Dynamics opens an Oslo research lab",
        "url": "https://news.example.org/kestrel-oslo",
        "publisher": "Fjord Tech Daily",
        "published": "2025-02-03",
    }
    source = read_source(result.stored.path)
    assert (source.source_id, source.title, source.publisher, str(source.published)) == (
        "kestrel-dynamics-opens-an-oslo-research-lab",
        "Kestrel Dynamics opens an Oslo research lab",
        "Fjord Tech Daily",
        "2025-02-03",
    )
    assert (
        find_by_url(folder, "HTTPS://News.Example.org:443/kestrel-oslo#top") == result.stored.path
    )


def test_an_upload_without_meta_has_no_sidecar(folder):
    add_upload(folder, "plain.md", b"# Kestrel Dynamics\n\nA short note.\n")
    assert listing(folder) == ["plain.md"]


def test_clean_meta_keeps_one_line_plain_strings():
    import datetime as dt

    assert clean_meta(
        {
            "title": "  Kestrel\n\tDynamics \x1b[31mred\x1b[0m \u202eevil ",
            "url": "https://news.example.org/a",
            "published": dt.date(2025, 3, 14),
            "fetched_at": dt.datetime(2025, 3, 14, 9, 30, 5, 123),
            "feed": None,
            "author": "",
            "html": "<b>not a key</b>",
        }
    ) == {
        "title": "Kestrel Dynamics [31mred[0m evil",
        "url": "https://news.example.org/a",
        "published": "2025-03-14",
        "fetched_at": "2025-03-14T09:30:05",
    }


# --- addresses --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("HTTP://Example.COM:80/a#frag", "http://example.com/a"),
        ("https://example.com:443", "https://example.com/"),
        ("https://Example.com/A/b?Q=1#top", "https://example.com/A/b?Q=1"),
        ("http://example.com:8080/x?q=1", "http://example.com:8080/x?q=1"),
        ("  http://example.com/x  ", "http://example.com/x"),
        ("http://[::1]:8080/", "http://[::1]:8080/"),
        ("http://[2606:4700::1111]/", "http://[2606:4700::1111]/"),
        # An address it cannot read is compared as written, never an exception.
        ("http://example.com:99999/", "http://example.com:99999/"),
        ("http://[::1/", "http://[::1/"),
    ],
)
def test_normalise_url(url, normal):
    assert normalise_url(url) == normal


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "javascript:alert(1): only http and https addresses are fetched, not javascript"),
        ("JavaScript:alert(document.cookie)", "JavaScript:alert(document.cookie): only http and https addresses are fetched, not javascript"),
        ("file:///etc/passwd", "file:///etc/passwd: only http and https addresses are fetched, not file"),
        ("ftp://files.example.org/report.txt", "ftp://files.example.org/report.txt: only http and https addresses are fetched, not ftp"),
        ("data:text/html,<script>alert(1)</script>", "data:text/html,<script>alert(1)</script>: only http and https addresses are fetched, not data"),
        ("//news.example.org/a", "//news.example.org/a: only http and https addresses are fetched, not no scheme"),
        ("http:///a", "http:///a: the address has no host"),
        ("https://", "https://: the address has no host"),
        ("http://user:pass@news.example.org/", "http://user:pass@news.example.org/: addresses with a user name or password are not fetched"),
        ("http://admin@news.example.org/", "http://admin@news.example.org/: addresses with a user name or password are not fetched"),
        ("http://news.example.org:99999/", "http://news.example.org:99999/: not a valid web address (Port out of range 0-65535)"),
        ("http://news.example.org:http/", "http://news.example.org:http/: not a valid web address (Port could not be cast to integer value as 'http')"),
        ("http://[::1/", "http://[::1/: not a valid web address (Invalid IPv6 URL)"),
    ],
)  # fmt: skip
def test_check_address_refuses(url, message):
    with pytest.raises(Refused) as caught:
        check_address(url)
    assert str(caught.value) == message


def test_check_address_accepts_web_addresses():
    parts = check_address(" https://News.Example.org:8443/ai?id=7 ")
    assert (parts.scheme, parts.hostname, parts.port, parts.path) == (
        "https",
        "news.example.org",
        8443,
        "/ai",
    )


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:169.254.169.254", "link-local"),
        ("100.64.0.1", "not public"),
        ("240.0.0.1", "private"),
        ("fc00::1", "private"),
        ("8.8.8.8", None),
        ("2606:4700::1111", None),
    ],
)
def test_blocked_reason(address, reason):
    assert blocked_reason(ipaddress.ip_address(address)) == reason


def _resolves_to(monkeypatch, *addresses):
    def fake(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]

    monkeypatch.setattr(fetch_mod.socket, "getaddrinfo", fake)


def test_a_name_with_any_private_address_is_refused(monkeypatch):
    _resolves_to(monkeypatch, "8.8.4.4", "10.0.0.5")  # a fake resolver: nothing is contacted
    with pytest.raises(Refused) as caught:
        resolve_checked("news.example.org", 443)
    assert str(caught.value) == (
        "news.example.org resolves to 10.0.0.5, a private address: refused, so that an address "
        "cannot reach this machine or its network (set AGI_TRACKER_ALLOW_PRIVATE=1 to allow it)"
    )
    monkeypatch.setenv("AGI_TRACKER_ALLOW_PRIVATE", "1")
    assert resolve_checked("news.example.org", 443) == ["8.8.4.4", "10.0.0.5"]


def test_a_public_name_resolves(monkeypatch):
    _resolves_to(monkeypatch, "8.8.8.8")
    assert resolve_checked("news.example.org", 80) == ["8.8.8.8"]


@pytest.mark.parametrize(
    ("url", "line"),
    [
        ("javascript:alert(1)", "javascript:alert(1): only http and https addresses are fetched, not javascript"),
        ("http://news.example.org:99999/", "http://news.example.org:99999/: not a valid web address (Port out of range 0-65535)"),
        ("http://user:pass@news.example.org/", "http://user:pass@news.example.org/: addresses with a user name or password are not fetched"),
    ],
)  # fmt: skip
def test_add_address_refuses_without_a_network(folder, url, line):
    result = add_address(folder, url)
    assert (result.status, result.line, result.ok, result.new) == ("refused", line, False, False)
    assert listing(folder) == []


def test_a_sidecar_with_an_unreadable_address_does_not_break_adding(folder):
    folder.mkdir()
    (folder / "old.txt").write_bytes(ARTICLE)
    (folder / "old.meta.json").write_text('{"url": "http://news.example.org:99999/"}')
    result = add_address(folder, "ftp://news.example.org/x")
    assert result.status == "refused"
    assert listing(folder) == ["old.meta.json", "old.txt"]


# --- uploads refused --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "data", "line"),
    [
        ("chart.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "chart.txt: binary file (contains NUL bytes), not text, not added"),
        ("blob.txt", bytes(range(1, 32)) * 40, "blob.txt: binary file (mostly control characters), not text, not added"),
        ("empty.txt", b"", "empty.txt: empty, not added"),
        ("blank.md", b"  \n\t\n", "blank.md: empty, not added"),
        ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "report.pdf: unsupported file type '.pdf'; use .txt, .md or .html"),
        ("huge.txt", b"Kestrel " * (10 * 1024 * 1024 // 8) + b"!", "huge.txt: larger than 10 MB, not added"),
        ("../../etc/cron.d/evil.txt", b"", "evil.txt: empty, not added"),
    ],
    ids=["binary", "control-chars", "empty", "whitespace", "pdf", "over-10MB", "path-in-name"],
)  # fmt: skip
def test_add_upload_refuses(folder, filename, data, line):
    result = add_upload(folder, filename, data)
    assert (result.status, result.line, result.ok, result.new) == ("failed", line, False, False)
    assert listing(folder) == []


def test_an_upload_of_exactly_10_mb_is_added(folder):
    data = b"Kestrel " * (10 * 1024 * 1024 // 8)
    assert len(data) == 10 * 1024 * 1024
    assert add_upload(folder, "big.txt", data).line == "big.txt: added as big.txt"


def test_a_bad_upload_does_not_stop_the_good_one(folder):
    results = [
        add_upload(folder, "report.pdf", b"%PDF"),
        add_upload(folder, "kestrel.txt", ARTICLE),
    ]
    assert [r.status for r in results] == ["failed", "added"]
    assert listing(folder) == ["kestrel.txt"]


# --- feed subscriptions -----------------------------------------------------------------------


def test_feeds_subscribe_list_unsubscribe_round_trip(tmp_path):
    path = Path(os.environ["AGI_TRACKER_FEEDS"])
    assert feeds.feeds_path() == path
    assert feeds.subscriptions() == []
    assert feeds.subscribe("https://news.example.org/ai/feed.xml") is True
    assert feeds.subscribe("HTTPS://News.Example.org:443/ai/feed.xml#latest") is False
    assert feeds.subscribe("https://fjord-tech.example/rss") is True
    listed = feeds.subscriptions()
    assert [f["url"] for f in listed] == [
        "https://news.example.org/ai/feed.xml",
        "https://fjord-tech.example/rss",
    ]
    assert all(f["seen"] == [] and f["added"].endswith("Z") for f in listed)
    on_disk = json.loads(path.read_text("utf-8"))
    assert on_disk["version"] == 1
    assert sorted(on_disk["feeds"]) == [
        "https://fjord-tech.example/rss",
        "https://news.example.org/ai/feed.xml",
    ]
    assert feeds.unsubscribe("https://NEWS.example.org/ai/feed.xml") is True
    assert feeds.unsubscribe("https://news.example.org/ai/feed.xml") is False
    assert [f["url"] for f in feeds.subscriptions()] == ["https://fjord-tech.example/rss"]
    # Written whole: only the file and its lock, no temp file left.
    assert sorted(p.name for p in path.parent.iterdir()) == [".feeds.json.lock", "feeds.json"]


def test_subscribe_refuses_what_would_never_be_fetched():
    with pytest.raises(Refused) as caught:
        feeds.subscribe("javascript:alert(1)")
    assert str(caught.value) == (
        "javascript:alert(1): only http and https addresses are fetched, not javascript"
    )
    assert feeds.subscriptions() == []


def test_an_unreadable_subscriptions_file_is_one_clear_error():
    path = Path(os.environ["AGI_TRACKER_FEEDS"])
    path.parent.mkdir(parents=True)
    path.write_text('["not", "the expected form"]')
    with pytest.raises(IngestError) as caught:
        feeds.subscriptions()
    assert str(caught.value) == f"{path}: the subscriptions file is not in the expected form"


def test_subscriptions_live_outside_the_seeds_folder_and_survive_it(tmp_path, monkeypatch):
    """By default the file is in the user's data folder, not in seeds/ (which a user may
    delete or rebuild from); removing and rebuilding the articles folder leaves it alone."""
    from etl.build import build

    root = Path(__file__).resolve().parent.parent
    monkeypatch.delenv("AGI_TRACKER_FEEDS")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    path = feeds.feeds_path()
    assert path == tmp_path / "xdg" / "agi-tracker" / "feeds.json"
    assert not path.is_relative_to(root / "seeds")

    seeds = tmp_path / "seeds"
    assert feeds.subscribe("https://news.example.org/ai/feed.xml")
    assert add_upload(seeds, "kestrel.txt", ARTICLE).status == "added"
    build(seeds, tmp_path / "tracker.duckdb")
    shutil.rmtree(seeds)
    assert add_upload(seeds, "kestrel.txt", ARTICLE).status == "added"
    build(seeds, tmp_path / "tracker.duckdb")
    assert not any(p.name.endswith(".json") and "feeds" in p.name for p in seeds.iterdir())
    assert [f["url"] for f in feeds.subscriptions()] == ["https://news.example.org/ai/feed.xml"]

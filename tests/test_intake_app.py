"""Adding articles from the Sources page (AppTest): upload, add by address, feeds.

The page writes through etl.ingest into a copy of seeds/, runs the real incremental build in a
child process, and reruns on the new database: the new article and its facts show at once.
"""

from __future__ import annotations

import re

import duckdb
from conftest import ROOT
from localweb import Route, local_web
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "dashboard/app.py")
ARTICLE = (
    b"Orion Labs to deploy 80,000 GPUs\n\n"
    b"SAN FRANCISCO, Nov 3, 2026 - Orion Labs said on Monday it will deploy 80,000 Nvidia "
    b"B200 GPUs by the end of 2027 at a new data centre in Texas.\n"
    b"The company also hired Priya Natarajan, formerly head of infrastructure at Anthropic, as "
    b"its chief technology officer.\n"
)
PAGE = (
    b"<html><head><title>Kestrel AI hires Omar Haddad | Example Wire</title>"
    b"<meta property='og:site_name' content='Example Wire'>"
    b"<meta property='article:published_time' content='2026-10-02'></head><body>"
    b"<nav><a href='/x'>Meta plans 900,000 GPUs</a></nav>"
    b"<article><h1>Kestrel AI hires Omar Haddad</h1>"
    b"<p>Kestrel AI has hired Omar Haddad, who previously led the inference team at Google, as "
    b"its head of research, the startup said on Thursday.</p>"
    b"<p>Kestrel AI also said it plans to deploy 12,000 H100 GPUs by the end of 2026.</p>"
    b"</article><aside class='related'><h2>Related</h2><a href='/y'>Dana Wu joins OpenAI from "
    b"Apple</a></aside><footer>Oracle buys 50,000 GPUs, says the footer.</footer></body></html>"
)


def sources_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("views/sources.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def facts_of(db, source_id: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT kind, org, quantity, person FROM facts WHERE source_id = ? ORDER BY kind",
            [source_id],
        ).fetchall()


def shown(elements) -> str:
    """The text of alerts as a reader sees it (the page escapes markdown with backslashes)."""
    return re.sub(r"\\(.)", r"\1", "\n".join(m.value for m in elements))


def feeds_table_of(at: AppTest):
    """The subscriptions table of the News feeds tab."""
    return next(d.value for d in at.dataframe if "Feed" in d.value.columns)


def messages(at: AppTest) -> str:
    return shown(at.success) + "\n" + shown(at.error)


def test_upload_adds_the_file_builds_and_shows_its_facts(app_workspace):
    seeds, db = app_workspace
    at = sources_page()
    shown_before = len(at.dataframe[0].value)
    at.file_uploader(key="upload_files").set_value(("orion.txt", ARTICLE, "text/plain"))
    at.text_input(key="upload_publisher").set_value("Example Wire")
    at.button[[b.label for b in at.button].index("Add these files")].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "orion.txt" in messages(at) and "added as orion" in messages(at)
    assert len(at.dataframe[0].value) == shown_before + 1
    assert (seeds / "orion.txt").read_bytes() == ARTICLE
    assert '"publisher": "Example Wire"' in (seeds / "orion.meta.json").read_text()
    assert ("compute", "Orion Labs", 80000, None) in facts_of(db, "orion")
    assert any(f[0] == "hire" and f[3] == "Priya Natarajan" for f in facts_of(db, "orion"))


def test_uploading_the_same_content_again_reports_the_existing_article(app_workspace):
    seeds, db = app_workspace
    first = (seeds / "000_cff79e770d329dcf.txt").read_bytes()
    at = sources_page()
    at.file_uploader(key="upload_files").set_value(("copy.txt", first, "text/plain"))
    at.button[[b.label for b in at.button].index("Add these files")].click().run()
    assert "already there as 000_cff79e770d329dcf.txt" in messages(at)
    assert not (seeds / "copy.txt").exists()


def test_a_bad_upload_gets_one_line_and_the_good_one_is_added(app_workspace):
    seeds, db = app_workspace
    at = sources_page()
    at.file_uploader(key="upload_files").set_value(
        [
            ("binary.txt", b"\x00\x01\x02 not text", "text/plain"),
            ("orion.txt", ARTICLE, "text/plain"),
        ]
    )
    at.button[[b.label for b in at.button].index("Add these files")].click().run()
    assert "binary.txt: binary file" in shown(at.error)
    assert "added as orion.txt" in shown(at.success)
    assert sorted(p.name for p in seeds.iterdir() if not p.name.startswith(".")) == sorted(
        [p.name for p in (ROOT / "seeds").iterdir()] + ["orion.txt"]
    )


def test_add_by_address_fetches_the_page_and_shows_its_facts(app_workspace, monkeypatch):
    seeds, db = app_workspace
    monkeypatch.setenv("AGI_TRACKER_ALLOW_PRIVATE", "1")
    with local_web({"/news/kestrel": Route(PAGE)}) as web:
        at = sources_page()
        at.text_area(key="address_urls").set_value(
            web.url("/news/kestrel") + "\njavascript:alert(1)\n" + web.url("/gone")
        )
        at.button[[b.label for b in at.button].index("Add by address")].click().run()
    assert not at.exception, [e.value for e in at.exception]
    ok, bad = shown(at.success), shown(at.error)
    assert "added as kestrel" in ok
    assert "only http and https" in bad and "HTTP 404" in bad
    added = [p for p in seeds.glob("kestrel*") if p.suffix == ".html"]
    assert [p.name for p in added] == ["kestrel-ai-hires-omar-haddad.html"]
    facts = facts_of(db, "kestrel-ai-hires-omar-haddad")
    assert ("compute", "Kestrel AI", 12000, None) in facts
    assert any(f[0] == "hire" and f[3] == "Omar Haddad" for f in facts)
    # Nothing from the page's navigation, related box or footer became a fact.
    assert {f[2] for f in facts if f[0] == "compute"} == {12000}
    assert not any(f[3] == "Dana Wu" for f in facts)
    titles = list(at.dataframe[0].value["title"])
    assert "Kestrel AI hires Omar Haddad" in titles


def test_private_addresses_are_refused_from_the_page(app_workspace):
    seeds, db = app_workspace
    with local_web({"/news/kestrel": Route(PAGE)}) as web:
        at = sources_page()
        at.text_area(key="address_urls").set_value(web.url("/news/kestrel"))
        at.button[[b.label for b in at.button].index("Add by address")].click().run()
        assert web.requests == []  # refused before connecting
    assert "a loopback address: refused" in shown(at.error)
    assert not list(seeds.glob("kestrel*"))


def test_feeds_subscribe_pull_and_unsubscribe_from_the_page(app_workspace, monkeypatch):
    seeds, db = app_workspace
    monkeypatch.setenv("AGI_TRACKER_ALLOW_PRIVATE", "1")
    with local_web({"/news/kestrel": Route(PAGE)}) as web:
        feed = (
            "<?xml version='1.0'?><rss version='2.0'><channel><title>Wire</title>"
            f"<item><title>Kestrel AI hires</title><link>{web.url('/news/kestrel')}</link>"
            "<guid>k-1</guid><pubDate>Fri, 02 Oct 2026 09:00:00 GMT</pubDate></item>"
            "</channel></rss>"
        ).encode()
        web.routes["/feed.xml"] = Route(feed, "application/rss+xml")
        at = sources_page()
        at.text_input(key="feed_url").set_value(web.url("/feed.xml"))
        at.button[[b.label for b in at.button].index("Subscribe")].click().run()
        feeds_table = feeds_table_of(at)
        assert list(feeds_table["Feed"]) == [web.url("/feed.xml")]
        assert list(feeds_table["Last pull"]) == ["never"]
        at.button(key="feeds_pull").click().run()
        assert not at.exception, [e.value for e in at.exception]
        assert "1 added, 0 skipped, 0 failed" in shown(at.success)
        assert any(f[3] == "Omar Haddad" for f in facts_of(db, "kestrel-ai-hires-omar-haddad"))
        assert feeds_table_of(at)["Last pull"].iloc[0] != "never"
        at.selectbox(key="feed_remove").set_value(web.url("/feed.xml")).run()
        at.button(key="feed_remove_button").click().run()
    assert "No subscriptions yet" in "\n".join(c.value for c in at.caption)

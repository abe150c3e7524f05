"""Reading article files: encodings, HTML, sidecars, datelines, and bad input."""

import datetime as dt
import json

import pytest
from conftest import SEEDS

from etl.build import read_folder
from etl.sources import LOADED, SKIPPED, WARNED, SkipFile, read_source


def outcome(read, name):
    (o,) = [o for o in read.outcomes if o.path.endswith(name)]
    return o


def test_seeds_all_load_with_titles_and_the_dateline_date():
    read = read_folder([SEEDS])
    assert len(read.sources) == 5 and not read.skipped
    by_id = {s.source_id: s for s in read.sources}
    dated = by_id["001_d1f253cec5df7d15"]
    assert (dated.published, dated.published_from) == (dt.date(2023, 9, 11), "dateline")
    assert by_id["000_cff79e770d329dcf"].title == "Meta Heats Up the AI Talent War with OpenAI"
    assert by_id["000_cff79e770d329dcf"].published is None  # no dateline: never guessed


def test_sidecar_overrides_title_and_date(tmp_path):
    (tmp_path / "a.txt").write_text("Some title\nBody text.\n")
    (tmp_path / "a.meta.json").write_text(
        json.dumps(
            {
                "title": "Real title",
                "url": "https://example.com/a",
                "publisher": "Wire",
                "published": "2024-02-03",
            }
        )
    )
    s = read_source(tmp_path / "a.txt")
    assert (s.title, s.url, s.publisher, s.published, s.published_from) == (
        "Real title", "https://example.com/a", "Wire", dt.date(2024, 2, 3), "sidecar",
    )  # fmt: skip
    assert s.warnings == ()


@pytest.mark.parametrize(
    ("sidecar", "warning"),
    [
        ("{not json", "invalid JSON"),
        ('["a list"]', "expected a JSON object"),
        ('{"published": 2024}', "'published' must be a non-empty string"),
        ('{"published": "03/02/2024"}', "'published' must be YYYY-MM-DD"),
        ('{"colour": "blue"}', "unknown key 'colour'"),
        ('{"url": "javascript:alert(1)"}', "'url' must start with http"),
    ],
)
def test_bad_sidecars_become_warnings_and_the_article_still_loads(tmp_path, sidecar, warning):
    (tmp_path / "a.txt").write_text("Title\nBody.\n")
    (tmp_path / "a.meta.json").write_text(sidecar)
    read = read_folder([tmp_path])
    o = outcome(read, "a.txt")
    assert o.status == WARNED and warning in o.reason
    assert [s.source_id for s in read.sources] == ["a"]


NEWS_PAGE = """<!doctype html><html><head><title>Vela Labs plans 50,000 GPUs | Example Wire</title>
<meta property="og:site_name" content="Example Wire">
<meta property="article:published_time" content="2025-03-04T09:00:00Z">
<meta name="author" content="Jane Writer"></head><body>
<div class="cookie-banner">We use cookies. Meta plans 600,000 GPUs of cookies. <button>Accept</button></div>
<header><nav><a href="/">Home</a> <a href="/x">Nvidia to ship 2 million H100 GPUs</a></nav></header>
<aside class="trending"><h3>Trending</h3><ul><li><a href="/a">xAI has 200,000 GPUs in Memphis</a></li>
<li><a href="/b">John Smith joins Google from OpenAI</a></li></ul></aside>
<main><article><h1>Vela Labs plans 50,000 GPUs</h1>
<p>Vela Labs said on Tuesday that it plans to deploy <b>50,000</b> Nvidia H100 GPUs by the end of
2025, tripling its current fleet.</p>
<p>The startup also hired Maria Lopez, formerly a research director at Google DeepMind, as its
chief scientist.</p>
<p>Chief executive Tom Baker said the cluster would train the company's next model.</p></article>
<section class="related"><h2>Related stories</h2><ul><li><a href="/c">Amazon plans 400,000 Trainium
chips</a></li><li><a href="/d">Alice Chen leaves Anthropic for Meta</a></li></ul></section></main>
<footer><p>(c) 2025 Example Wire. Oracle will buy 100,000 GPUs, says our footer.</p></footer>
</body></html>"""


def test_html_reads_the_articles_main_text_and_its_metadata(tmp_path):
    (tmp_path / "p.html").write_text(NEWS_PAGE)
    s = read_source(tmp_path / "p.html")
    assert s.text.splitlines() == [
        "Vela Labs plans 50,000 GPUs",
        "Vela Labs said on Tuesday that it plans to deploy 50,000 Nvidia H100 GPUs by the end of "
        "2025, tripling its current fleet.",
        "The startup also hired Maria Lopez, formerly a research director at Google DeepMind, as "
        "its chief scientist.",
        "Chief executive Tom Baker said the cluster would train the company's next model.",
    ]
    assert (s.title, s.published, s.published_from, s.author, s.publisher, s.format) == (
        "Vela Labs plans 50,000 GPUs", dt.date(2025, 3, 4), "html meta", "Jane Writer",
        "Example Wire", "html",
    )  # fmt: skip
    assert s.warnings == ()


def test_a_sidecar_wins_over_the_pages_own_metadata(tmp_path):
    (tmp_path / "p.html").write_text(NEWS_PAGE)
    (tmp_path / "p.meta.json").write_text(
        '{"title": "Given", "publisher": "Desk", "author": "A. Person", "published": "2025-03-05"}'
    )
    s = read_source(tmp_path / "p.html")
    assert (s.title, s.publisher, s.author, s.published, s.published_from) == (
        "Given", "Desk", "A. Person", dt.date(2025, 3, 5), "sidecar",
    )  # fmt: skip


def test_html_without_main_text_falls_back_to_visible_text_with_a_warning(tmp_path, monkeypatch):
    from etl import sources

    monkeypatch.setattr(sources, "_trafilatura_main_text", lambda html: ("", {}))
    (tmp_path / "p.html").write_text(
        "<html><head><title>Page title</title><meta property='article:published_time' content='2024-05-06T10:00:00Z'>"
        "<script>var hidden = 'Meta bought 9,999,999 GPUs';</script><style>p{}</style></head>"
        "<body><nav>Home</nav><p>xAI has <b>200,000</b> GPUs.</p><p>Second &amp; last.</p></body></html>"
    )
    s = read_source(tmp_path / "p.html")
    assert s.text == "Home\n\nxAI has 200,000 GPUs.\n\nSecond & last."
    assert (s.title, s.published, s.format) == ("Page title", dt.date(2024, 5, 6), "html")
    assert s.warnings == ("no main article text found; read all visible text instead",)


def test_latin1_is_decoded_with_a_warning(tmp_path):
    (tmp_path / "l.txt").write_bytes(
        "Café Zürich: Mistral AI a recruté Hélène Dupré chez Google.".encode("latin-1")
    )
    read = read_folder([tmp_path])
    o = outcome(read, "l.txt")
    assert o.status == WARNED and "not UTF-8" in o.reason
    assert "Hélène" in read.sources[0].text


def test_utf16_with_bom_and_truncated_utf8(tmp_path):
    (tmp_path / "u16.txt").write_bytes("Title\nxAI has 100,000 H100s.".encode("utf-16"))
    (tmp_path / "trunc.txt").write_bytes("Title\nMeta café".encode() + "é".encode()[:1])
    read = read_folder([tmp_path])
    assert outcome(read, "u16.txt").status == LOADED
    trunc = outcome(read, "trunc.txt")
    assert trunc.status == WARNED and "truncated UTF-8" in trunc.reason
    texts = {s.source_id: s.text for s in read.sources}
    assert texts == {"u16": "Title\nxAI has 100,000 H100s.", "trunc": "Title\nMeta café"}


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\n ", "empty file"),
        ("binary.txt", bytes(range(256)) * 4, "binary file"),
        ("notes.pdf", b"%PDF-1.4", "unsupported file type '.pdf'"),
        ("scripts.html", b"<html><script>x()</script></html>", "no visible text"),
    ],
)
def test_bad_files_are_skipped_with_a_reason(tmp_path, name, content, reason):
    (tmp_path / name).write_bytes(content)
    (tmp_path / "good.txt").write_text("Good\nAnthropic has joined nothing.")
    read = read_folder([tmp_path])
    o = outcome(read, name)
    assert o.status == SKIPPED and reason in o.reason
    assert [s.source_id for s in read.sources] == ["good"]


def test_large_file_is_skipped_without_being_read(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    with pytest.raises(SkipFile, match=r"file too large: 52\.4 MB \(limit 10 MB\)"):
        read_source(big)


def test_odd_names_and_duplicate_content(tmp_path):
    (tmp_path / "with space.txt").write_text("A\nOne.")
    (tmp_path / "café ünïcode.txt").write_text("B\nTwo.")
    (tmp_path / "-dash.txt").write_text("C\nThree.")
    (tmp_path / "copy.txt").write_text("A\nOne.")
    (tmp_path / "same.md").write_text("D\nFour.")
    (tmp_path / "same.txt").write_text("E\nFive.")
    read = read_folder([tmp_path])
    assert sorted(s.source_id for s in read.sources) == ["-dash", "café ünïcode", "copy", "same"]
    dup = outcome(read, "with space.txt")
    assert (
        dup.status == SKIPPED
        and dup.reason.startswith("duplicate content: same bytes as")
        and dup.reason.endswith("copy.txt")
    )
    same = [o for o in read.outcomes if "duplicate source id" in o.reason]
    assert len(same) == 1 and same[0].path.endswith("same.txt")


def test_dateline_wins_over_dates_in_the_body(tmp_path):
    (tmp_path / "d.txt").write_text(
        "Headline\nPublished: Tuesday, March 5, 2024\nBody says January 9, 2025 inline."
    )
    d = read_source(tmp_path / "d.txt")
    assert (d.published, d.published_from) == (dt.date(2024, 3, 5), "dateline")


def test_byline_with_a_date_gives_the_reference_date(tmp_path):
    (tmp_path / "b.txt").write_text(
        "Lab opens a new office\n\nBy Dana Reporter • Mar 20, 2024\n\n"
        "The lab said on March 2, 2024 that it will open an office next month."
    )
    b = read_source(tmp_path / "b.txt")
    assert (b.published, b.published_from) == (dt.date(2024, 3, 20), "byline")


def test_without_a_dateline_the_latest_full_date_is_inferred(tmp_path):
    (tmp_path / "n.txt").write_text(
        "Headline\nThe deal closed on January 9, 2025 in Paris, after talks began on "
        "October 2, 2024. In 2023 nothing happened."
    )
    n = read_source(tmp_path / "n.txt")
    assert (n.published, n.published_from) == (dt.date(2025, 1, 9), "inferred")
    (tmp_path / "none.txt").write_text("Headline\nThe deal closed in 2025.")
    assert read_source(tmp_path / "none.txt").published is None

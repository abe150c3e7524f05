"""Property tests: any text is safe to extract from, and any bytes are safe to read."""

import datetime as dt
import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from etl.extract import extract_text
from etl.model import PRECISIONS
from etl.sources import SkipFile, read_source

NEWSY = st.sampled_from(
    [
        "Meta plans 350,000 H100 GPUs by the end of 2024. ",
        "Ana Costa has joined OpenAI from Google. ",
        "Google released Gemini 3 later this month. ",
        "xAI hired Bo Li, Cy Wu and Di Ma. ",
        "\u200b\u202e“”’—–\r\n\t",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=80), NEWSY), max_size=8).map("".join)


@settings(max_examples=200, deadline=None)
@given(
    text=TEXT, published=st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)))
)
def test_extraction_never_crashes_and_every_span_is_its_quote(text, published):
    for f in extract_text("prop", text, published):
        assert text[f.start : f.end] == f.quote
        assert f.kind in ("compute", "hire", "announcement")
        assert (f.date is None) == (f.date_precision is None)
        assert f.date is None or isinstance(f.date, dt.date)
        assert f.date_precision is None or f.date_precision in PRECISIONS
        if f.kind == "compute":
            assert isinstance(f.quantity, int) and f.quantity > 0
            assert f.unit in ("GPUs", "H100-equivalents")


# --- hostile text and bytes ---------------------------------------------------------------------

HOSTILE = st.sampled_from(
    [
        "<script>window.__pwned=1</script>",
        '"><img src=x onerror=alert(1)>',
        "[memo](javascript:alert(1))",
        '=HYPERLINK("http://x")\t@SUM(1)\r-2+3',
        "\u202eGPUs 000,053\u202c",  # a right-to-left override around digits
        "\u05de\u05d8\u05d0 \u0645\u064a\u062a\u0627",  # Hebrew and Arabic
        "\U0001f680\U0001f1fa\U0001f1f8\u200d\ufe0f",  # emoji, a flag, a joiner
        "\x00\x01\x1b[31m\x7f\x85\u2028\u2029",  # control characters and odd line breaks
        "Ｍｅｔａ ｈａｓ ｈｉｒｅｄ",  # full-width letters
    ]
)
LONG_WORD = st.text(st.characters(categories=["L", "N"]), min_size=300, max_size=3000)
HOSTILE_TEXT = st.lists(
    st.one_of(st.text(max_size=60), NEWSY, HOSTILE, LONG_WORD), max_size=10
).map("".join)


@settings(max_examples=150, deadline=None)
@given(text=HOSTILE_TEXT, published=st.one_of(st.none(), st.dates()))
def test_hostile_unicode_never_breaks_extraction(text, published):
    for f in extract_text("prop", text, published):
        assert text[f.start : f.end] == f.quote and f.start < f.end
        assert f.date is None or (type(f.date) is dt.date and f.date_precision in PRECISIONS)
        assert f.date_precision is None or f.date is not None


# Bytes a folder of articles may hold: anything, and text in encodings with and without a BOM.
ENCODED = st.tuples(
    HOSTILE_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1252"])
).map(lambda t: t[0].encode(t[1], errors="replace"))
BOMS = st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"])
ARTICLE_BYTES = st.one_of(
    st.binary(max_size=3000), ENCODED, st.tuples(BOMS, st.binary(max_size=500)).map(b"".join)
)
SIDECAR_BYTES = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(str.encode),
    st.dictionaries(
        st.sampled_from(["title", "url", "publisher", "published", "other"]),
        st.one_of(st.text(max_size=40), st.integers(), st.none(), st.lists(st.text(max_size=5))),
    ).map(lambda d: json.dumps(d).encode()),
    st.just(b'{"title": "\\ud800", "publisher": "\\u0000\\u001b[2J"}'),
)


@settings(max_examples=150, deadline=None)
@given(
    data=ARTICLE_BYTES,
    suffix=st.sampled_from([".txt", ".md", ".html"]),
    sidecar=st.one_of(st.none(), SIDECAR_BYTES),
)
def test_read_source_on_any_bytes_gives_storable_text_or_says_why(data, suffix, sidecar):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"any{suffix}"
        path.write_bytes(data)
        if sidecar is not None:
            (Path(folder) / "any.meta.json").write_bytes(sidecar)
        try:
            source = read_source(path)
        except SkipFile as exc:  # the one documented way to refuse a file: with a reason
            assert str(exc)
            return
    # What loads can be stored and shown: valid UTF-8 everywhere, no NULs, some visible text.
    for value in (source.text, source.title, source.url, source.publisher, *source.warnings):
        assert value is None or ("\x00" not in value and value.encode("utf-8"))
    assert source.text.strip()
    assert source.published is None or type(source.published) is dt.date


# --- the SQL neutraliser (CSV downloads written by DuckDB) equals the Python one ----------------

STARTERS = st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'", " ", "a", "1", "é", ""])
CELL_TEXT = st.builds(lambda head, tail: head + tail, STARTERS, st.text(max_size=20))


def _sql_cells(values: list, duck_type: str) -> list:
    import duckdb

    from dashboard.data import neutralised_sql

    with duckdb.connect() as con:
        con.execute(f"CREATE TABLE t (i INTEGER, c {duck_type})")
        con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(values)))
        sql = f"SELECT {neutralised_sql('c', duck_type)} FROM t ORDER BY i"  # noqa: S608 - test
        return [row[0] for row in con.execute(sql).fetchall()]


@settings(max_examples=150, deadline=None)
@given(cells=st.lists(st.one_of(st.none(), CELL_TEXT), min_size=1, max_size=12))
def test_sql_neutraliser_equals_the_python_one_on_text(cells):
    from etl.export import _neutralise_cell

    expected = [None if c is None else _neutralise_cell(c) for c in cells]
    assert _sql_cells(cells, "VARCHAR") == expected


@settings(max_examples=150, deadline=None)
@given(
    cells=st.lists(
        st.one_of(st.none(), st.lists(st.one_of(st.none(), CELL_TEXT), max_size=5)),
        min_size=1,
        max_size=8,
    )
)
def test_sql_neutraliser_equals_the_python_one_on_list_cells(cells):
    from etl.export import _neutralise_cell

    expected = [None if c is None else _neutralise_cell(c) for c in cells]
    assert _sql_cells(cells, "VARCHAR[]") == expected


def test_sql_neutraliser_leaves_values_as_they_are():
    assert _sql_cells([-5, 3], "BIGINT") == [-5, 3]
    assert _sql_cells([dt.date(2024, 1, 2)], "DATE") == [dt.date(2024, 1, 2)]
    assert _sql_cells([-0.5], "DOUBLE") == [-0.5]

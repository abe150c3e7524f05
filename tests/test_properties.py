"""Property tests: any text is safe to extract from."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from etl.extract import extract_text
from etl.model import PRECISIONS

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

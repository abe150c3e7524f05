"""The reading view: escaped article text with fact spans highlighted by character offsets."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest

from dashboard.highlight import Span, highlight_html, legend_html, overlapping
from dashboard.style import KIND_COLOURS, KIND_TINTS

HOSTILE = (
    "Intro \"quoted\" & 'single' text.\n"
    "<script>window.__pwned=1</script>\n"
    '<img src=x onerror="window.__pwned=1">\n'
    "A literal &amp; entity and a < b > c.\n"
)


class ArticleParser(HTMLParser):
    """Collects the article's text outside <sup> badges, every mark, and every sup number."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.marks: list[dict] = []  # {"attrs": {...}, "text": str}
        self.sups: list[str] = []
        self.tags: list[str] = []
        self._in_sup = False
        self._mark: dict | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "sup":
            self._in_sup = True
            self.sups.append("")
        elif tag == "mark":
            self._mark = {"attrs": dict(attrs), "text": ""}
            self.marks.append(self._mark)

    def handle_endtag(self, tag):
        if tag == "sup":
            self._in_sup = False
        elif tag == "mark":
            self._mark = None

    def handle_data(self, data):
        if self._in_sup:
            self.sups[-1] += data
            return
        self.text.append(data)
        if self._mark is not None:
            self._mark["text"] += data


def parse(fragment: str) -> ArticleParser:
    """Parse a highlight_html fragment."""
    parser = ArticleParser()
    parser.feed(fragment)
    parser.close()
    return parser


def spans_of(text: str, *pieces: tuple[str, str]) -> list[Span]:
    """Spans for the first occurrence of each (kind, quote) in the text."""
    out = []
    for kind, quote in pieces:
        start = text.index(quote)
        out.append(Span(start, start + len(quote), kind, f"{kind}: {quote}"))
    return out


def test_hostile_text_is_escaped():
    spans = spans_of(HOSTILE, ("compute", "<script>window.__pwned=1</script>"))
    out = highlight_html(HOSTILE, spans)
    assert "<script" not in out.lower()
    assert "<img" not in out.lower()
    assert "&lt;script&gt;" in out
    assert "&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;" in out
    assert "&amp;amp;" in out
    assert "&quot;quoted&quot;" in out and "&#x27;single&#x27;" in out
    assert set(parse(out).tags) <= {"div", "mark", "sup"}


def test_labels_are_escaped_in_the_title():
    text = "Meta buys GPUs."
    out = highlight_html(text, [Span(0, 4, "compute", '"><script>alert(1)</script>')])
    assert "<script" not in out
    assert parse(out).marks[0]["attrs"]["title"] == '"><script>alert(1)</script>'


def test_text_round_trips_apart_from_the_numbers():
    spans = spans_of(
        HOSTILE,
        ("compute", "Intro"),
        ("announcement", "<script>window.__pwned=1</script>"),
        ("hire", "literal &amp; entity"),
    )
    parsed = parse(highlight_html(HOSTILE, spans))
    assert "".join(parsed.text) == HOSTILE
    assert parsed.sups == ["1", "2", "3"]


def test_non_overlapping_marks_hold_exactly_their_span():
    text = "Meta will deploy 350,000 H100s by 2024. Shengjia Zhao joined Meta from OpenAI."
    spans = spans_of(
        text,
        ("compute", "350,000 H100s"),
        ("hire", "Shengjia Zhao joined Meta"),
        ("announcement", "Meta will"),
    )
    parsed = parse(highlight_html(text, spans))
    assert [m["text"] for m in parsed.marks] == [
        "Meta will",
        "350,000 H100s",
        "Shengjia Zhao joined Meta",
    ]
    by_text = {m["text"]: m["attrs"] for m in parsed.marks}
    for number, span in enumerate(spans, start=1):
        attrs = by_text[text[span.start : span.end]]
        assert attrs["class"] == f"fact fact-{span.kind}"
        assert attrs["style"].startswith(f"background: {KIND_TINTS[span.kind]};")
        assert attrs["title"] == span.label
        assert attrs["data-facts"] == str(number)
    assert "".join(parsed.text) == text


def test_badge_follows_each_span_end_numbered_in_given_order():
    text = "alpha beta gamma"
    spans = [Span(11, 16, "hire", "g"), Span(0, 5, "compute", "a")]
    out = highlight_html(text, spans)
    assert out.index(">gamma</mark><sup") > 0
    assert out.index(">alpha</mark><sup") > 0
    assert parse(out).sups == ["2", "1"]  # reading order, but numbered as given
    assert f"color: {KIND_COLOURS['hire']}" in out.split("</mark>")[-1]


def test_overlapping_spans_give_striped_multi_kind_segment():
    text = "Meta plans 350,000 GPUs by 2024."
    spans = [Span(0, 23, "compute", "compute: Meta"), Span(11, 32, "announcement", "ann: Meta")]
    parsed = parse(highlight_html(text, spans))
    assert [m["text"] for m in parsed.marks] == ["Meta plans ", "350,000 GPUs", " by 2024."]
    first, both, last = (m["attrs"] for m in parsed.marks)
    assert first["class"] == "fact fact-compute"
    assert last["class"] == "fact fact-announcement"
    assert both["class"] == "fact fact-compute fact-announcement"
    assert "linear-gradient" in both["style"]
    assert KIND_TINTS["compute"] in both["style"] and KIND_TINTS["announcement"] in both["style"]
    assert both["title"] == "compute: Meta\nann: Meta"
    assert both["data-facts"] == "1 2"
    assert parsed.sups == ["1", "2"]
    assert "".join(parsed.text) == text


def test_nested_and_identical_spans():
    text = "The quick brown fox."
    spans = [
        Span(0, 19, "announcement", "outer"),
        Span(4, 9, "compute", "inner"),
        Span(0, 19, "hire", "same range"),
    ]
    parsed = parse(highlight_html(text, spans))
    assert [(m["text"], m["attrs"]["class"]) for m in parsed.marks] == [
        ("The ", "fact fact-hire fact-announcement"),
        ("quick", "fact fact-compute fact-hire fact-announcement"),
        (" brown fox", "fact fact-hire fact-announcement"),
    ]
    assert parsed.marks[1]["attrs"]["title"] == "outer\ninner\nsame range"
    assert parsed.sups == ["2", "1", "3"]
    assert "".join(parsed.text) == text


def test_same_kind_overlap_keeps_one_tint_and_lists_both_labels():
    text = "abcdef"
    parsed = parse(highlight_html(text, [Span(0, 4, "hire", "x"), Span(2, 6, "hire", "y")]))
    middle = parsed.marks[1]["attrs"]
    assert parsed.marks[1]["text"] == "cd"
    assert middle["class"] == "fact fact-hire"
    assert middle["style"].startswith(f"background: {KIND_TINTS['hire']};")
    assert middle["title"] == "x\ny"


@pytest.mark.parametrize(
    "bad",
    [
        Span(-1, 3, "compute", "negative"),
        Span(5, 5, "compute", "empty"),
        Span(4, 2, "compute", "reversed"),
        Span(0, 99, "compute", "past the end"),
        Span(50, 60, "compute", "beyond"),
        Span(None, 3, "compute", "not a number"),  # type: ignore[arg-type]
        Span(1.5, 3, "compute", "float"),  # type: ignore[arg-type]
    ],
)
def test_invalid_spans_are_ignored(bad):
    text = "Short text."
    out = highlight_html(text, [bad, Span(6, 10, "hire", "ok")])
    parsed = parse(out)
    assert [m["text"] for m in parsed.marks] == ["text"]
    assert parsed.sups == ["2"]
    assert "".join(parsed.text) == text


def test_empty_text_and_no_spans():
    assert parse(highlight_html("", [Span(0, 1, "compute", "x")])).text == []
    parsed = parse(highlight_html("a\n\nb", []))
    assert parsed.marks == [] and "".join(parsed.text) == "a\n\nb"


def test_unknown_kind_gets_a_safe_class_and_neutral_tint():
    out = highlight_html("abc", [Span(0, 3, 'x" onclick="y', "odd")])
    attrs = parse(out).marks[0]["attrs"]
    assert attrs["class"] == "fact fact-x-onclick-y"
    assert "onclick" not in attrs


def test_unicode_offsets_are_python_string_indices():
    text = "🚀 Meta 在深圳 deploys e\u0301cole 👩‍💻 GPUs 😀."
    quotes = ["🚀 Meta", "在深圳", "e\u0301cole", "👩‍💻", "😀"]
    kinds = ["compute", "hire", "announcement", "compute", "hire"]
    spans = spans_of(text, *zip(kinds, quotes, strict=True))
    parsed = parse(highlight_html(text, spans))
    assert [m["text"] for m in parsed.marks] == quotes
    assert "".join(parsed.text) == text
    assert parsed.sups == ["1", "2", "3", "4", "5"]


def test_newlines_kept_in_a_pre_wrap_article_div():
    text = "Line one.\n\nLine three.\r\nEnd"
    out = highlight_html(text, [Span(11, 21, "compute", "c")])
    assert out.startswith('<div class="article" style="')
    assert "white-space: pre-wrap" in out and "line-height: 1.6" in out and "75ch" in out
    assert "\n\n" in out
    assert "".join(parse(out).text) == text


def test_legend_lists_every_kind_with_counts():
    out = legend_html({"compute": 2, "hire": 0, "announcement": 5})
    parsed = parse(out)
    assert "".join(parsed.text) == "Compute (2)Hire (0)Announcement (5)"
    for kind in ("compute", "hire", "announcement"):
        assert f"background: {KIND_TINTS[kind]}; border: 2px solid {KIND_COLOURS[kind]}" in out
    assert "<script" not in out and "<style" not in out


def test_legend_fills_missing_kinds_with_zero_and_escapes_unknown_ones():
    out = legend_html({"<b>odd</b>": 1, "compute": 3}, overlap=True)
    assert "<b>" not in out
    assert html.unescape("".join(parse(out).text)) == (
        "Compute (3)Hire (0)Announcement (0)<b>odd</b> (1)Several facts"
    )
    assert "linear-gradient" in out


def test_overlapping_spans_are_detected():
    assert not overlapping([Span(0, 5, "hire", "a"), Span(5, 9, "compute", "b")])
    assert overlapping([Span(0, 5, "hire", "a"), Span(4, 9, "compute", "b")])
    assert overlapping([Span(10, 20, "hire", "a"), Span(0, 30, "announcement", "b")])
    assert not overlapping([])
    # Facts of one kind on one sentence (three hires in a line) draw no stripes.
    assert not overlapping([Span(0, 9, "hire", "a"), Span(0, 9, "hire", "b")])
    assert overlapping(
        [Span(0, 9, "hire", "a"), Span(0, 9, "hire", "b"), Span(8, 12, "compute", "c")]
    )

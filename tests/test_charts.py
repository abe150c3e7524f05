"""Figure builders: units kept apart, statuses told apart, untrusted text escaped, empty states."""

import json

import duckdb
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.charts import (
    announcement_timeline_figure,
    compute_buildout_figure,
    destinations_figure,
    source_caption,
    talent_flow_figure,
)
from dashboard.style import CATEGORIES

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_LINK = '<a href="javascript:alert(1)">click</a>'
XSS_IMG_ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
XSS_LINK_ESCAPED = "&lt;a href=&#34;javascript:alert(1)&#34;&gt;click&lt;/a&gt;"

COMPUTE_COLUMNS = [
    "fact_id", "source_id", "source_title", "org", "chip", "quantity", "unit", "status",
    "date", "date_precision", "date_phrase", "quote",
]  # fmt: skip
ANNOUNCEMENT_COLUMNS = [
    "fact_id", "source_id", "source_title", "org", "subject", "category",
    "date", "date_precision", "date_phrase", "quote",
]  # fmt: skip

COMPUTE_SQL = """
    SELECT f.fact_id, f.source_id, s.title AS source_title, f.org, f.chip, f.quantity, f.unit,
           f.status, f.date, f.date_precision, f.date_phrase, f.quote
    FROM compute_facts f JOIN sources s USING (source_id) ORDER BY f.fact_id
"""
ANNOUNCEMENT_SQL = """
    SELECT f.fact_id, f.source_id, s.title AS source_title, f.org, f.subject, f.category,
           f.date, f.date_precision, f.date_phrase, f.quote
    FROM announcement_facts f JOIN sources s USING (source_id) ORDER BY f.fact_id
"""
FLOWS_SQL = """
    SELECT from_org, to_org, count(*) AS people FROM hire_facts GROUP BY ALL ORDER BY ALL
"""
DESTINATIONS_SQL = """
    SELECT to_org, count(*) AS people FROM hire_facts GROUP BY ALL ORDER BY ALL
"""
TITLES_SQL = "SELECT title FROM sources ORDER BY source_id"


def query(db, sql: str) -> pd.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def compute_frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COMPUTE_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def announcement_frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=ANNOUNCEMENT_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


# fact_id, source_id, source_title, org, chip, quantity, unit, status,
# date, precision, phrase, quote
COMPUTE_ROWS = [
    ("c1", "s1", "Meta build-out", "Meta", "H100", 350000, "GPUs", "planned",
     "2024-12-31", "year", "By the end of 2024", "Meta will have 350,000 H100s by 2024."),
    ("c2", "s1", "Meta build-out", "Meta", "H100", 600000, "H100-equivalents", "planned",
     None, None, "this year", "almost 600,000 H100 equivalents of compute"),
    ("c3", "s2", "xAI Colossus", "xAI", "H100", 100000, "GPUs", "operational",
     "2024-09-01", "month", "in September", "Colossus is running 100,000 H100s."),
    ("c4", "s2", "xAI Colossus", "xAI", "H200", 200000, "GPUs", "planned",
     "2025-03-01", "quarter", "early next year", "doubling to 200,000 GPUs"),
    ("c5", "s3", "Untitled", None, None, 5000, "GPUs", "unspecified",
     None, None, None, "some 5,000 GPUs"),
    ("c6", "s4", "Evil", "Evil <b>Corp</b>", "H100", 1000, "GPUs", "operational",
     None, None, None, f"We bought GPUs {XSS_IMG} and {XSS_LINK} " + "lots more words " * 40),
]  # fmt: skip

# fact_id, source_id, source_title, org, subject, category, date, precision, phrase, quote
ANNOUNCEMENT_ROWS = [
    ("a1", "s1", "Launch day", "Meta", "Llama 2", "model", "2023-07-18", "day", "on Tuesday",
     "Meta released Llama 2."),
    ("a2", "s1", "Launch day", "OpenAI", "GPT-4", "model", "2023-03-14", "day", None,
     "OpenAI released GPT-4."),
    ("a3", "s2", "Summit", "Meta", "summit", "event", None, None, "soon", "a summit soon"),
    ("a4", "s3", "Bad", "Org <script>", XSS_IMG, "product", "2024-01-01", "month", "in January",
     XSS_LINK),
]  # fmt: skip


def data_traces(fig: go.Figure) -> list:
    """Traces that draw points (legend-only entries carry no customdata)."""
    return [t for t in fig.data if t.customdata is not None]


def annotation_texts(fig: go.Figure) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def all_strings(value) -> list[str]:
    """Every string anywhere in a figure's JSON tree."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in all_strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in all_strings(v)]
    return []


def assert_no_raw_html(fig: go.Figure, *raw: str) -> None:
    strings = all_strings(json.loads(fig.to_json()))
    for needle in raw:
        assert not any(needle in s for s in strings), needle


# --- source_caption -----------------------------------------------------------------------------


def test_caption_for_no_sources_is_empty():
    assert source_caption([]) == ""
    assert source_caption([None, ""]) == ""


def test_caption_for_one_source_is_singular():
    assert source_caption(["Meta heats up the AI talent war"]) == (
        "Source: Meta heats up the AI talent war"
    )


def test_caption_for_five_sources_names_three_and_counts_the_rest():
    titles = ["One", "Two", "Three", "Four", "Five", "Two"]
    assert source_caption(titles) == "Sources: One; Two; Three and 2 more"


def test_caption_shortens_long_titles_with_an_ellipsis():
    title = "According to the Wall Street Journal, Meta has recently successfully recruited"
    assert source_caption([title]) == "Source: According to the Wall Street Journal, Meta has…"


def test_caption_is_escaped_in_the_figure():
    fig = destinations_figure(pd.DataFrame({"to_org": ["Meta"], "people": [1]}), [XSS_IMG])
    assert "Source: &lt;img src=x onerror=alert(1)&gt;" in annotation_texts(fig)
    assert_no_raw_html(fig, "<img")


# --- compute ------------------------------------------------------------------------------------


def test_compute_units_live_in_separate_rows_never_on_one_axis():
    fig = compute_buildout_figure(compute_frame(COMPUTE_ROWS), ["Meta build-out"])
    units_by_axis: dict[str, set[str]] = {}
    for trace in data_traces(fig):
        units_by_axis.setdefault(trace.yaxis, set()).update(row[2] for row in trace.customdata)
    assert all(len(units) == 1 for units in units_by_axis.values())
    assert {u for units in units_by_axis.values() for u in units} == {"GPUs", "H100-equivalents"}
    titles = [fig.layout[name].title.text for name in ("yaxis", "yaxis3")]
    assert titles == ["GPUs (count)", "H100-equivalents (count)"]
    # GPUs run from 1,000 to 350,000 here: 100x or more gets a logarithmic axis.
    assert fig.layout.yaxis.tickformat == "," and fig.layout.yaxis.type == "log"


def test_compute_counts_within_100x_keep_a_linear_axis_from_zero():
    frame = compute_frame(COMPUTE_ROWS)
    frame = frame[frame["quantity"] >= 100_000]  # 100,000 to 600,000: within 100x
    fig = compute_buildout_figure(frame, [])
    titled = [fig.layout[n] for n in ("yaxis", "yaxis3") if fig.layout[n].title.text]
    assert titled and all(a.type != "log" and a.rangemode == "tozero" for a in titled)


def test_claim_points_are_sized_by_support_and_say_so():
    frame = compute_frame(COMPUTE_ROWS[:2]).assign(support=[3, 1], reports=[4, 1])
    fig = compute_buildout_figure(frame, [])
    sizes = sorted(s for t in data_traces(fig) for s in t.marker.size)
    assert sizes[0] == 9 and sizes[-1] > 15
    hovers = [row[7] for t in data_traces(fig) for row in t.customdata]
    assert any("Reported by 3 independent sources, 4 articles in all" in h for h in hovers)


def test_compute_traces_per_unit_and_column():
    fig = compute_buildout_figure(compute_frame(COMPUTE_ROWS), [])
    placed = sorted((t.name, t.xaxis, t.yaxis, len(t.x)) for t in data_traces(fig))
    assert placed == [
        ("Evil &lt;b&gt;Corp&lt;/b&gt;", "x2", "y2", 1),  # undated, GPUs
        ("Meta", "x", "y", 1),  # dated, GPUs
        ("Meta", "x4", "y4", 1),  # undated, H100-equivalents
        ("Not stated", "x2", "y2", 1),  # undated, GPUs
        ("xAI", "x", "y", 2),  # dated, GPUs, joined by a line
    ]
    xai = next(t for t in data_traces(fig) if t.name == "xAI")
    assert xai.mode == "lines+markers" and list(xai.x) == ["2024-09-01", "2025-03-01"]


def test_compute_undated_facts_sit_in_the_undated_column():
    fig = compute_buildout_figure(compute_frame(COMPUTE_ROWS), [])
    undated = [t for t in data_traces(fig) if t.xaxis in ("x2", "x4")]
    assert sorted(row[0] for t in undated for row in t.customdata) == [
        "Evil &lt;b&gt;Corp&lt;/b&gt;", "Meta", "Not stated",
    ]  # fmt: skip
    assert all(row[5].startswith("Undated") for t in undated for row in t.customdata)
    assert list(fig.layout.xaxis2.ticktext) == ["Undated"]
    assert fig.layout.xaxis.type == "date"


def test_compute_status_symbols_and_legend():
    fig = compute_buildout_figure(compute_frame(COMPUTE_ROWS), [])
    xai = next(t for t in data_traces(fig) if t.name == "xAI")
    assert list(xai.marker.symbol) == ["circle", "circle-open"]  # operational, then planned
    legend = [(t.legendgroup, t.name, t.marker.symbol) for t in fig.data if t.showlegend]
    assert legend == [
        ("org:Evil &lt;b&gt;Corp&lt;/b&gt;", "Evil &lt;b&gt;Corp&lt;/b&gt;", "square"),
        ("org:Meta", "Meta", "square"),
        ("org:Not stated", "Not stated", "square"),
        ("org:xAI", "xAI", "square"),
        ("status", "Planned (hollow)", "circle-open"),
        ("status", "Operational (filled)", "circle"),
        ("status", "Status not stated", "diamond-open"),
    ]
    assert all(not t.showlegend for t in data_traces(fig))


def test_compute_colour_is_consistent_per_org_across_rows():
    frame = compute_frame(COMPUTE_ROWS)
    before = frame.copy()
    fig = compute_buildout_figure(frame, [])
    pd.testing.assert_frame_equal(frame, before)  # the caller's frame is left alone
    meta = {t.marker.color for t in fig.data if t.legendgroup == "org:Meta"}
    assert len(meta) == 1


def test_compute_hover_is_escaped_wrapped_and_capped():
    fig = compute_buildout_figure(compute_frame(COMPUTE_ROWS), [])
    evil = next(t for t in data_traces(fig) if t.name.startswith("Evil"))
    org, quantity, unit, chip, status, date, quote, source = evil.customdata[0]
    assert (org, quantity, unit, chip, status, date, source) == (
        "Evil &lt;b&gt;Corp&lt;/b&gt;", "1,000", "GPUs", "H100", "operational", "Undated", "Evil",
    )  # fmt: skip
    assert XSS_IMG_ESCAPED in quote.replace("<br>", " ")
    assert XSS_LINK_ESCAPED in quote.replace("<br>", " ")
    assert quote.endswith("…") and quote.count("<br>") >= 4
    assert "%{customdata[6]}" in evil.hovertemplate and "onerror" not in evil.hovertemplate
    assert_no_raw_html(fig, "<img", "<a ", "<b>Corp")


def test_compute_hover_shows_thousands_and_date_with_phrase():
    fig = compute_buildout_figure(compute_frame(COMPUTE_ROWS), [])
    xai = next(t for t in data_traces(fig) if t.name == "xAI")
    assert [(row[1], row[5]) for row in xai.customdata] == [
        ("100,000", "Sep 2024 (“in September”)"),
        ("200,000", "Q1 2025 (“early next year”)"),
    ]


def test_compute_all_undated_and_missing_values_still_draw():
    rows = [("c", "s", None, None, None, 10, "GPUs", None, None, None, None, None)]
    fig = compute_buildout_figure(compute_frame(rows), [None])
    [trace] = data_traces(fig)
    assert trace.xaxis == "x2" and list(trace.customdata[0][:5]) == [
        "Not stated", "10", "GPUs", "Not stated", "unspecified",
    ]  # fmt: skip
    assert "No dated facts in this unit" in annotation_texts(fig)
    fig.to_json()


def test_compute_seeds_database(seeds_db):
    frame = query(seeds_db, COMPUTE_SQL)
    fig = compute_buildout_figure(frame, list(frame["source_title"]))
    fig.to_json()
    points = {(t.yaxis, t.xaxis, len(t.x)) for t in data_traces(fig)}
    # 3 GPU facts (two dated), 2 H100-equivalent facts (one dated), all from Meta.
    assert points == {("y", "x", 2), ("y2", "x2", 1), ("y3", "x3", 1), ("y4", "x4", 1)}
    assert {s for t in data_traces(fig) for s in t.marker.symbol} == {"circle-open"}
    captions = [a.text for a in fig.layout.annotations if a.name == "source-caption"]
    assert captions and captions[0].startswith("Sources: ")
    assert fig.layout.template.layout.paper_bgcolor == "white"


# --- talent flow --------------------------------------------------------------------------------


FLOWS = pd.DataFrame(
    {
        "from_org": ["OpenAI", "OpenAI", None, "Meta", "Google <i>DeepMind</i>", "OpenAI"],
        "to_org": ["Meta", "Anthropic", "Meta", "OpenAI", "Meta", "Meta"],
        "people": [3, 2, 1, 1, 2, 1],
    }
)


def test_talent_flow_nodes_links_and_values():
    fig = talent_flow_figure(FLOWS, ["WSJ"])
    [sankey] = fig.data
    assert list(sankey.node.label) == [
        "OpenAI", "Google &lt;i&gt;DeepMind&lt;/i&gt;", "Meta", "Not stated",  # origins
        "Meta", "Anthropic", "OpenAI",  # destinations
    ]  # fmt: skip
    assert list(sankey.link.source) == [0, 1, 0, 2, 3]
    assert list(sankey.link.target) == [4, 4, 5, 6, 4]
    assert list(sankey.link.value) == [4, 2, 2, 1, 1]
    assert list(sankey.link.customdata) == [
        "OpenAI → Meta: 4 people",
        "Google &lt;i&gt;DeepMind&lt;/i&gt; → Meta: 2 people",
        "OpenAI → Anthropic: 2 people",
        "Meta → OpenAI: 1 person",
        "Not stated → Meta: 1 person",
    ]
    # Origins only ever link to destinations, so there is no cycle.
    assert max(sankey.link.source) < min(sankey.link.target)
    assert fig.layout.title.text == "Talent flow between organisations"
    assert "Source: WSJ" in annotation_texts(fig)
    assert_no_raw_html(fig, "<i>DeepMind")


def test_talent_flow_seeds_database(seeds_db):
    fig = talent_flow_figure(query(seeds_db, FLOWS_SQL), ["t"])
    fig.to_json()
    [sankey] = fig.data
    assert list(sankey.node.label) == ["OpenAI", "Meta"]
    assert list(sankey.link.value) == [4]


# --- destinations -------------------------------------------------------------------------------


def test_destinations_sorted_descending_and_escaped():
    counts = pd.DataFrame(
        {"to_org": ["Anthropic", "Meta", None, "<b>X</b>", "Meta"], "people": [2, 3, 1, 5, 4]}
    )
    fig = destinations_figure(counts, ["WSJ"])
    [bar] = fig.data
    assert list(bar.y) == ["Meta", "&lt;b&gt;X&lt;/b&gt;", "Anthropic", "Not stated"]
    assert list(bar.x) == [7, 5, 2, 1]
    assert bar.orientation == "h" and fig.layout.yaxis.autorange == "reversed"
    assert fig.layout.xaxis.title.text == "People hired (count)"
    assert_no_raw_html(fig, "<b>X")


def test_destinations_seeds_database(seeds_db):
    fig = destinations_figure(query(seeds_db, DESTINATIONS_SQL), ["t"])
    fig.to_json()
    assert list(fig.data[0].y) == ["Meta"] and list(fig.data[0].x) == [4]


# --- announcements ------------------------------------------------------------------------------


def test_timeline_draws_dated_rows_on_fixed_categories():
    fig = announcement_timeline_figure(announcement_frame(ANNOUNCEMENT_ROWS), ["Launch day"])
    assert list(fig.layout.yaxis.categoryarray) == list(CATEGORIES)
    assert tuple(fig.layout.yaxis.range) == (-0.5, 5.5)
    assert fig.layout.xaxis.title.text == "Date announced"
    drawn = sorted((t.name, x, y) for t in fig.data for x, y in zip(t.x, t.y, strict=True))
    assert drawn == [
        ("Meta", "2023-07-18", "model"),
        ("OpenAI", "2023-03-14", "model"),
        ("Org &lt;script&gt;", "2024-01-01", "product"),
    ]


def test_timeline_hover_is_escaped():
    fig = announcement_timeline_figure(announcement_frame(ANNOUNCEMENT_ROWS), [])
    bad = next(t for t in fig.data if t.name.startswith("Org"))
    subject, org, category, date, quote, source = bad.customdata[0]
    assert (subject, org, category, date, source) == (
        XSS_IMG_ESCAPED, "Org &lt;script&gt;", "product", "Jan 2024 (“in January”)", "Bad",
    )  # fmt: skip
    assert quote == XSS_LINK_ESCAPED
    assert_no_raw_html(fig, "<img", "<a ", "<script")


def test_timeline_seeds_database(seeds_db):
    frame = query(seeds_db, ANNOUNCEMENT_SQL)
    fig = announcement_timeline_figure(frame, list(frame["source_title"]))
    fig.to_json()
    assert sum(len(t.x) for t in fig.data) == 3  # the 3 dated seed announcements
    assert list(fig.layout.yaxis.categoryarray) == list(CATEGORIES)


def test_timeline_with_only_undated_rows_is_the_empty_state():
    undated = [row for row in ANNOUNCEMENT_ROWS if row[6] is None]
    fig = announcement_timeline_figure(announcement_frame(undated), ["Summit"])
    assert annotation_texts(fig)[0] == "No dated announcements match these filters"
    assert "Source: Summit" in annotation_texts(fig)


# --- empty states -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "columns", "message"),
    [
        (compute_buildout_figure, COMPUTE_COLUMNS, "No compute facts match these filters"),
        (talent_flow_figure, ["from_org", "to_org", "people"], "No hires match these filters"),
        (destinations_figure, ["to_org", "people"], "No hires match these filters"),
        (
            announcement_timeline_figure,
            ANNOUNCEMENT_COLUMNS,
            "No dated announcements match these filters",
        ),
    ],
)
def test_empty_frames_give_the_empty_state(build, columns, message):
    for frame in (pd.DataFrame(columns=columns), pd.DataFrame()):
        fig = build(frame, [])
        assert annotation_texts(fig) == [message]
        assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
        assert not fig.data and fig.layout.title.text
        fig.to_json()


def test_seeds_titles_are_escaped_in_captions(seeds_db):
    titles = list(query(seeds_db, TITLES_SQL)["title"])
    caption = [a.text for a in destinations_figure(query(seeds_db, DESTINATIONS_SQL), titles)
               .layout.annotations if a.name == "source-caption"][0]  # fmt: skip
    assert caption.replace("<br>", " ") == (
        "Sources: Meta Heats Up the AI Talent War with OpenAI; Mark Zuckerberg&#x27;s Meta: "
        "Setting the Stage for an…; According to the Wall Street Journal, Meta has… and 2 more"
    )

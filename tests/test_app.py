"""Every page through AppTest, on the real database built from seeds/."""

import datetime as dt

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from etl.build import build

APP = str(ROOT / "dashboard/app.py")
WSJ = "002_487e85d166e69daf"  # three hires, two announcements, no compute
STOCKPILE = "003_494940d5b138d000"  # two compute facts
# page file -> (title, rows of its first table with all sources, rows with only WSJ)
PAGES = {
    "views/overview.py": ("Overview", None, None),
    "views/compute.py": ("Compute buildout", 2, 0),  # the fleet table: Meta GPUs, equivalents
    "views/hiring.py": ("Hiring", 4, 3),
    "views/announcements.py": ("Announcements", 8, 2),
    "views/sources.py": ("Sources", 5, 1),
    "views/facts.py": ("Facts explorer", 17, 5),
    "views/claims.py": ("Claims", 14, 5),
}


def open_app(db, monkeypatch, page: str | None = None, **params) -> AppTest:
    """Run the app on `db`, optionally on `page` with URL query parameters."""
    monkeypatch.setenv("AGI_TRACKER_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rows(at: AppTest) -> int | None:
    return len(at.dataframe[0].value) if at.dataframe else None


def download_labels(at: AppTest) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_all_sources(seeds_db, monkeypatch, page):
    title, all_rows, _ = PAGES[page]
    at = open_app(seeds_db, monkeypatch, page)
    assert at.title[0].value == title
    assert rows(at) == all_rows
    if page == "views/overview.py":
        assert not download_labels(at)
    else:
        assert "Download CSV" in download_labels(at)


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_one_source_from_the_url(seeds_db, monkeypatch, page):
    title, _, one_rows = PAGES[page]
    at = open_app(seeds_db, monkeypatch, page, source=WSJ)
    assert at.multiselect(key="sources").value == [WSJ]
    assert at.title[0].value == title
    if one_rows == 0:  # the compute page has nothing from this article: a friendly state
        assert "No compute facts match these filters" in at.info[0].value
        assert rows(at) is None
    else:
        assert rows(at) == one_rows


@pytest.mark.parametrize("page", PAGES)
def test_page_with_no_matching_facts_shows_an_empty_state(seeds_db, monkeypatch, page):
    at = open_app(seeds_db, monkeypatch, page, undated="false", dates=["2023-10-01", "2023-12-31"])
    assert at.toggle(key="undated").value is False
    if page == "views/sources.py":  # the articles stay listed, with no facts counted
        assert at.dataframe[0].value["facts"].sum() == 0
    else:
        assert "match these filters" in at.info[0].value


def test_without_articles_the_app_says_how_to_add_them(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    build(seeds, tmp_path / "empty.duckdb")
    monkeypatch.setenv("AGI_TRACKER_SEEDS", str(seeds))
    at = open_app(tmp_path / "empty.duckdb", monkeypatch)
    assert "no articles" in at.info[0].value
    assert ".txt" in at.info[0].value and "make build" in at.info[0].value


def test_a_missing_database_is_built_from_the_articles(tmp_path, monkeypatch):
    monkeypatch.setenv("AGI_TRACKER_SEEDS", str(ROOT / "seeds"))
    db = tmp_path / "fresh" / "tracker.duckdb"
    at = open_app(db, monkeypatch)
    assert db.exists()
    assert at.title[0].value == "Overview"
    assert {m.label: m.value for m in at.metric}["Sources"] == "5"


def test_the_build_button_builds_once_articles_are_added(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    db = tmp_path / "tracker.duckdb"
    build(seeds, db)
    monkeypatch.setenv("AGI_TRACKER_SEEDS", str(seeds))
    at = open_app(db, monkeypatch)
    (seeds / "lab.txt").write_text(
        "Lab news\n\nAnthropic has hired Jane Doe from Google DeepMind as head of research.\n"
    )
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert {m.label: m.value for m in at.metric}["People hired"] == "1"


def test_changing_the_source_filter_changes_rows_and_the_url(seeds_db, monkeypatch):
    at = open_app(seeds_db, monkeypatch, "views/compute.py")
    facts_table = lambda: len(at.dataframe[-1].value)  # noqa: E731 - below the fleet table
    assert facts_table() == 5
    at.multiselect(key="sources").select(STOCKPILE).run()
    assert facts_table() == 2
    assert at.query_params["source"] == STOCKPILE  # AppTest collapses one value to a str
    at.switch_page("views/facts.py").run()  # the filter holds on another page
    assert rows(at) == 2 and at.multiselect(key="sources").value == [STOCKPILE]


def test_source_options_show_title_and_fact_count(seeds_db, monkeypatch):
    at = open_app(seeds_db, monkeypatch)
    options = at.multiselect(key="sources").options
    assert "Meta Heats Up the AI Talent War with OpenAI · 2 facts" in options
    assert len(options) == 5


def test_bound_filters_are_seeded_from_the_url(seeds_db, monkeypatch):
    # Widgets bound with bind="query-params" write the URL from the browser, so the
    # widget -> URL half of the round trip is checked in tests/test_e2e.py.
    at = open_app(seeds_db, monkeypatch, "views/hiring.py", org=["OpenAI", "Meta"])
    assert at.multiselect(key="org").value == ["OpenAI", "Meta"]
    assert rows(at) == 4
    at = open_app(seeds_db, monkeypatch, "views/hiring.py", org="OpenAI", undated="false")
    assert at.toggle(key="undated").value is False
    assert "No hires match these filters" in at.info[0].value


def test_several_sources_round_trip_through_the_url(seeds_db, monkeypatch):
    at = open_app(seeds_db, monkeypatch, "views/facts.py", source=[WSJ, STOCKPILE])
    assert at.multiselect(key="sources").value == [WSJ, STOCKPILE]
    assert rows(at) == 7
    at.multiselect(key="sources").unselect(WSJ).run()
    assert at.query_params["source"] == STOCKPILE and rows(at) == 2


def test_date_range_filter_from_the_url(seeds_db, monkeypatch):
    at = open_app(
        seeds_db,
        monkeypatch,
        "views/announcements.py",
        dates=["2023-08-01", "2024-06-30"],
        undated="false",
    )
    assert at.date_input(key="dates").value == (dt.date(2023, 8, 1), dt.date(2024, 6, 30))
    assert rows(at) == 2


def test_unknown_source_ids_in_the_url_are_dropped(seeds_db, monkeypatch):
    at = open_app(seeds_db, monkeypatch, "views/facts.py", source=["nope", WSJ])
    assert at.multiselect(key="sources").value == [WSJ]
    assert rows(at) == 5


def test_reset_clears_every_filter(seeds_db, monkeypatch):
    at = open_app(seeds_db, monkeypatch, "views/facts.py", source=WSJ, org="OpenAI")
    assert rows(at) == 3
    next(b for b in at.button if b.label == "Reset filters").click().run()
    assert rows(at) == 17
    assert at.multiselect(key="sources").value == []


def test_facts_explorer_search_kinds_and_downloads(seeds_db, monkeypatch):
    at = open_app(seeds_db, monkeypatch, "views/facts.py", q="openai")
    assert at.text_input(key="q").value == "openai"
    searched = rows(at)
    assert 0 < searched < 17
    at.text_input(key="q").set_value("100%_").run()
    assert "No facts match these filters" in at.info[0].value
    at.text_input(key="q").set_value("").run()
    assert download_labels(at) == ["Download CSV", "Download Parquet", "Download everything (zip)"]


def test_facts_explorer_kind_filter_from_the_url(seeds_db, monkeypatch):
    at = open_app(seeds_db, monkeypatch, "views/facts.py", kind="Hire", sort="kind")
    assert set(at.dataframe[0].value["kind"]) == {"hire"}
    assert rows(at) == 4


def test_reading_view_highlights_the_articles_facts(seeds_db, monkeypatch):
    at = open_app(seeds_db, monkeypatch, "views/sources.py", article=WSJ)
    assert at.selectbox(key="article").value == WSJ
    html = "".join(e.proto.body for e in at.get("html"))
    assert html.count('class="fact-ref"') == 5
    assert "Hire (3)" in html and "Announcement (2)" in html
    article_table = at.dataframe[-1].value
    assert article_table["n"].tolist() == [1, 2, 3, 4, 5]
    assert at.query_params["article"] == WSJ


def test_compute_chart_keeps_units_apart(seeds_db, monkeypatch):
    import json

    at = open_app(seeds_db, monkeypatch, "views/compute.py")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    axes_per_unit = {}
    for trace in spec["data"]:
        for row in trace.get("customdata") or []:
            axes_per_unit.setdefault(row[2], set()).add(trace["yaxis"])
    assert set(axes_per_unit) == {"GPUs", "H100-equivalents"}
    assert not axes_per_unit["GPUs"] & axes_per_unit["H100-equivalents"]


def test_minimum_confidence_filter_is_bound_to_the_url_and_reset(seeds_db, monkeypatch):
    at = open_app(seeds_db, monkeypatch, "views/facts.py", min_conf="0.85")
    assert at.slider(key="min_conf").value == 0.85
    frame = at.dataframe[0].value
    assert 0 < len(frame) < 17
    assert (frame["confidence"] >= 0.85).all()
    assert at.query_params["min_conf"] in ("0.85", ["0.85"])
    next(b for b in at.button if b.label == "Reset filters").click().run()
    assert at.slider(key="min_conf").value == 0.0
    assert rows(at) == 17


def test_every_fact_table_shows_confidence(seeds_db, monkeypatch):
    for page in ("views/compute.py", "views/hiring.py", "views/announcements.py", "views/facts.py"):
        at = open_app(seeds_db, monkeypatch, page)
        frame = at.dataframe[-1].value
        assert "confidence" in frame.columns, page
        assert frame["confidence"].between(0, 1).all(), page

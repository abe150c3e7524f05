"""The dashboard's queries against the real database built from seeds/."""

import datetime as dt
import shutil

import pytest

from dashboard import data
from dashboard.data import Database, Filters, Headline
from etl import EXTRACTOR_VERSION
from etl.build import build

ZHAO = "000_cff79e770d329dcf"  # one hire, one compute fact
SETTING_STAGE = "001_d1f253cec5df7d15"  # four dated announcements article, published 2023-09-11
WSJ = "002_487e85d166e69daf"  # three hires, two announcements
STOCKPILE = "003_494940d5b138d000"  # two compute facts
ALL = Filters()


@pytest.fixture(scope="module")
def db(seeds_db) -> Database:
    return Database.at(seeds_db)


def test_database_at_a_missing_path_is_none(tmp_path):
    assert Database.at(tmp_path / "missing.duckdb") is None


def test_source_options_list_every_article_with_its_fact_count(db):
    options = data.source_options(db)
    assert dict(zip(options.source_id, options.facts, strict=True)) == {
        ZHAO: 2, SETTING_STAGE: 4, WSJ: 5, STOCKPILE: 2, "004_b6eb1de7db482096": 4,
    }  # fmt: skip
    # Newest publication first: 004's date is inferred from the text (2024-01-18).
    assert list(options.source_id[:2]) == ["004_b6eb1de7db482096", SETTING_STAGE]


def test_org_options_and_date_bounds(db):
    assert data.org_options(db) == ["Meta", "OpenAI"]
    assert data.date_bounds(db) == (dt.date(2023, 7, 1), dt.date(2024, 12, 31))


def test_build_info_names_the_latest_run(db):
    info = data.build_info(db)
    assert (info.sources, info.facts, info.extractor_version) == (5, 17, EXTRACTOR_VERSION)


def test_headline_for_all_sources_and_for_one(db):
    assert data.headline(db, ALL) == Headline(
        sources=5,
        facts={"compute": 5, "hire": 4, "announcement": 8},
        people_hired=4,
        announcements=8,
    )
    one = data.headline(db, Filters(sources=(WSJ,)))
    assert (one.sources, one.facts, one.people_hired) == (
        1,
        {"compute": 0, "hire": 3, "announcement": 2},
        3,
    )


def test_undated_facts_can_be_left_out(db):
    dated = data.headline(db, Filters(include_undated=False))
    # 004 has no sidecar: its reference date is inferred (2024-01-18), so its deadlines resolve.
    assert dated.facts == {"compute": 3, "hire": 0, "announcement": 3}


def test_date_range_keeps_facts_in_it_and_undated_ones_when_asked(db):
    in_2024 = Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), include_undated=False)
    assert data.headline(db, in_2024).facts == {"compute": 3, "hire": 0, "announcement": 1}
    with_undated = Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    assert data.headline(db, with_undated).facts == {"compute": 5, "hire": 4, "announcement": 6}
    start_only = Filters(start=dt.date(2023, 8, 1), include_undated=False)
    assert sum(data.headline(db, start_only).facts.values()) == 5


def test_organisation_filter_matches_origin_and_destination(db):
    openai = data.headline(db, Filters(orgs=("OpenAI",)))
    assert openai.facts == {"compute": 0, "hire": 4, "announcement": 0}


def test_largest_planned_compute_per_org_and_unit(db):
    largest = data.largest_planned_compute(db, ALL)
    assert list(zip(largest.org, largest.unit, largest.quantity, strict=True)) == [
        ("Meta", "H100-equivalents", 600_000),
        ("Meta", "GPUs", 350_000),
    ]


def test_compute_frame_keeps_units_apart_and_cites_sources(db):
    frame = data.compute_facts(db, ALL).frame
    assert len(frame) == 5
    assert sorted(frame.unit.unique()) == ["GPUs", "H100-equivalents"]
    assert frame.iloc[0].date == dt.datetime(2024, 12, 31)  # dated facts first
    assert frame.source_title.notna().all()
    assert len(data.compute_facts(db, Filters(sources=(STOCKPILE,))).frame) == 2


def test_hires_flows_and_destinations(db):
    hires = data.hire_facts(db, ALL).frame
    assert sorted(hires.person) == [
        "Alexander Kolesnikov", "Lucas Beyer", "Shengjia Zhao", "Xiaohua Zhai",
    ]  # fmt: skip
    flows = data.talent_flows(db, ALL)
    assert flows.to_dict("records") == [{"from_org": "OpenAI", "to_org": "Meta", "people": 4}]
    per_destination = data.hires_per_destination(db, Filters(sources=(ZHAO,)))
    assert per_destination.to_dict("records") == [{"to_org": "Meta", "people": 1}]


def test_announcements_dated_first(db):
    frame = data.announcement_facts(db, ALL).frame
    assert len(frame) == 8
    assert frame.date.head(3).dt.strftime("%Y-%m").tolist() == ["2023-07", "2023-09", "2024-01"]
    assert frame.date.iloc[3:].isna().all()


def test_sources_frame_counts_facts_under_the_filters(db):
    frame = data.sources_list(db, ALL).frame
    assert frame.facts.sum() == 17 and len(frame) == 5
    one = data.sources_list(db, Filters(sources=(WSJ,))).frame
    assert one[["compute", "hire", "announcement", "facts"]].iloc[0].tolist() == [0, 3, 2, 5]
    dated = data.sources_list(db, Filters(include_undated=False)).frame
    assert len(dated) == 5 and dated.facts.sum() == 6  # sources stay, their counts shrink


def test_source_document_and_its_facts_line_up(db):
    doc = data.source_document(db, WSJ)
    assert len(doc["text"]) == doc["chars"]
    facts = data.source_facts(db, WSJ, ALL)
    assert len(facts) == 5
    for row in facts.itertuples():
        assert doc["text"][row.start_offset : row.end_offset] == row.quote
    assert data.source_document(db, "no-such-source") is None


def test_search_is_literal_and_case_insensitive(db):
    assert (
        len(data.search_facts(db, ALL, "LLAMA").frame)
        == len(data.search_facts(db, ALL, "llama").frame)
        > 0
    )
    for text in ("%", "_", "'", '"', ";", "\\", "'; DROP TABLE facts; --"):
        assert data.search_facts(db, ALL, text).frame.quote.str.contains(text, regex=False).all()
    assert len(data.search_facts(db, ALL, "%").frame) == 0  # no quote has a percent sign
    assert len(data.search_facts(db, ALL, "").frame) == 17  # and the table is still there


def test_search_matches_person_and_org_and_filters_by_kind(db):
    # The three WSJ hires share one quote that names all three people.
    assert data.search_facts(db, ALL, "beyer").frame.kind.tolist() == ["hire"] * 3
    assert data.search_facts(db, ALL, "Llama 2").frame.summary.tolist() == ["Llama 2 · model"]
    assert len(data.search_facts(db, ALL, "openai", kinds=("hire",)).frame) == 4
    assert set(data.search_facts(db, ALL, kinds=("compute", "hire")).frame.kind) == {
        "compute",
        "hire",
    }


def test_search_sorts_and_rejects_unknown_sorts(db):
    by_kind = data.search_facts(db, ALL, sort="kind", descending=False).frame
    assert by_kind.kind.tolist() == sorted(by_kind.kind.tolist())
    assert data.search_facts(db, ALL, sort="quantity").frame.summary.iloc[0].startswith("600,000")
    with pytest.raises(ValueError, match="unknown sort"):
        data.search_facts(db, ALL, sort="quote; DROP TABLE facts")


def test_hostile_filter_values_are_parameters(db):
    assert data.headline(db, Filters(sources=("x' OR '1'='1",))).sources == 0
    assert data.headline(db, Filters(orgs=("Meta' OR 1=1 --",))).facts["compute"] == 0


def test_filter_sql_carries_no_values():
    sql, params = data.fact_filter_sql(
        Filters(sources=("evil'--",), orgs=("O'Brien",), start=dt.date(2024, 1, 1))
    )
    assert "evil" not in sql and "Brien" not in sql and "2024" not in sql
    assert params == {"sources": ["evil'--"], "orgs": ["O'Brien"], "start": dt.date(2024, 1, 1)}


def test_table_frames_hold_every_table(db):
    frames = data.table_frames(db)
    assert {name: len(frame) for name, frame in frames.items() if name != "etl_runs"} == {
        "sources": 5,
        "facts": 17,
        "claims": 14,  # Meta's 350,000 H100s by the end of 2024 are in three articles
        "claim_facts": 17,
        "conflicts": 0,
        "reviews": 0,
        "etl_files": 5,
    }


def test_a_rebuild_shows_without_a_restart(tmp_path, seeds_copy):
    path = tmp_path / "live.duckdb"
    build(seeds_copy, path)
    before = Database.at(path)
    assert data.headline(before, ALL).sources == 5
    (seeds_copy / f"{WSJ}.txt").unlink()
    shutil.rmtree(seeds_copy / "__pycache__", ignore_errors=True)
    build(seeds_copy, path)
    after = Database.at(path)
    assert after != before  # a new mtime is a new cache key
    assert data.headline(after, ALL).sources == 4


def test_latest_facts_show_each_sentence_once(db):
    latest = data.latest_facts(db, ALL, limit=50)
    assert len(latest) == len(latest.drop_duplicates(["source_title", "quote"]))
    assert len(latest) == 12  # 17 facts in 12 sentences (three hires share one, and more)
    assert latest.date.iloc[0] == dt.datetime(2024, 12, 31)


def test_a_long_listing_shows_its_first_rows_and_downloads_them_all(db):
    page = data.search_facts(db, ALL, limit=5)
    assert (len(page.frame), page.total, page.capped) == (5, 17, True)
    every = page.everything()
    assert len(every) == 17
    assert every.fact_id.head(5).tolist() == page.frame.fact_id.tolist()  # same order
    sources = data.sources_list(db, ALL, limit=2)
    assert (len(sources.frame), sources.total, len(sources.everything())) == (2, 5, 5)
    whole = data.hire_facts(db, ALL, limit=50)
    assert (whole.total, whole.capped) == (4, False) and whole.everything() is whole.frame


def test_minimum_confidence_filters_every_query(db):
    everything = data.headline(db, ALL)
    confident = data.headline(db, Filters(min_confidence=0.85))
    assert sum(confident.facts.values()) < sum(everything.facts.values())
    frame = data.search_facts(db, Filters(min_confidence=0.85), "").frame
    assert len(frame) == sum(confident.facts.values())
    assert (frame.confidence >= 0.85).all()

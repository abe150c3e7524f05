"""Reviewing facts in the reading view (AppTest): reject, correct, add; rejected facts hidden."""

from __future__ import annotations

import duckdb
from conftest import ROOT
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "dashboard/app.py")
WSJ = "002_487e85d166e69daf"  # three hires, two announcements


def reading_view(fact_id: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["article"] = WSJ
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("views/sources.py")
    if fact_id:
        at.session_state["review_fact"] = fact_id
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def hires(db) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT fact_id, person, review_status, extracted_values FROM facts "
            "WHERE kind = 'hire' AND source_id = ? ORDER BY start_offset",
            [WSJ],
        ).fetchall()


def test_reject_in_the_reading_view_hides_the_fact_and_the_url_switch_shows_it(app_workspace):
    seeds, db = app_workspace
    fact_id = hires(db)[0][0]
    at = reading_view(fact_id)
    before = len(at.dataframe[-1].value)
    at.text_input(key=f"review_note_{fact_id}").set_value("not a hire")
    at.button(key=f"reject_{fact_id}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Rejected fact" in m.value for m in at.success)
    assert hires(db)[0][2] == "rejected"
    assert len(at.dataframe[-1].value) == before - 1  # hidden by default
    shown = reading_view(rejected="true")
    table = shown.dataframe[-1].value
    assert len(table) == before and "rejected" in set(table["review_status"])


def test_correct_in_the_reading_view_keeps_the_extracted_values(app_workspace):
    seeds, db = app_workspace
    fact_id, person, _, _ = hires(db)[1]
    at = reading_view(fact_id)
    at.text_input(key=f"fix_{fact_id}_role").set_value("chief scientist")
    at.button[[b.label for b in at.button].index("Save correction")].click().run()
    assert not at.exception, [e.value for e in at.exception]
    (row,) = [h for h in hires(db) if h[0] == fact_id]
    assert row[2] == "corrected" and row[3].startswith("role=")
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT role FROM facts WHERE fact_id = ?", [fact_id]).fetchone() == (
            "chief scientist",
        )


def test_add_a_missing_fact_in_the_reading_view(app_workspace):
    seeds, db = app_workspace
    with duckdb.connect(str(db), read_only=True) as con:
        text = con.execute("SELECT text FROM sources WHERE source_id = ?", [WSJ]).fetchone()[0]
    quote = text.splitlines()[0][:40].strip()
    at = reading_view()
    at.selectbox(key="add_kind").set_value("announcement").run()
    at.text_area(key="add_quote").set_value(quote)
    at.text_input(key="add_org").set_value("Meta")
    at.text_input(key="add_subject").set_value("talent war")
    at.button[[b.label for b in at.button].index("Add fact")].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Added an announcement fact" in m.value for m in at.success)
    with duckdb.connect(str(db), read_only=True) as con:
        added = con.execute(
            "SELECT quote, org, subject, review_status, extractor_version FROM facts "
            "WHERE review_status = 'added'"
        ).fetchall()
    assert added == [(quote, "Meta", "talent war", "added", "analyst")]
    # A quote that is not in the article is refused with a reason, and nothing is recorded.
    at.text_area(key="add_quote").set_value("words this article never used")
    at.text_input(key="add_org").set_value("Meta")
    at.text_input(key="add_subject").set_value("x")
    at.button[[b.label for b in at.button].index("Add fact")].click().run()
    assert any("the quote is not in article" in m.value for m in at.error)


def test_quality_section_shows_precision_from_reviews(app_workspace):
    seeds, db = app_workspace
    first, second = hires(db)[0][0], hires(db)[1][0]
    at = reading_view(first)
    at.button(key=f"reject_{first}").click().run()
    at = reading_view(second)
    at.button(key=f"verify_{second}").click().run()
    quality = next(d.value for d in at.dataframe if "precision" in d.value.columns)
    hire = quality[quality.kind == "hire"].iloc[0]
    assert (hire.reviewed, hire.verified, hire.rejected, hire.precision) == (2, 1, 1, 0.5)


def test_a_selected_row_in_the_facts_explorer_can_be_verified(app_workspace):
    seeds, db = app_workspace
    fact_id = hires(db)[2][0]
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("views/facts.py")
    at.session_state["explorer_review_fact"] = fact_id
    at.run()
    at.button(key=f"verify_{fact_id}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Verified fact" in m.value for m in at.success)
    assert [h[2] for h in hires(db) if h[0] == fact_id] == ["verified"]

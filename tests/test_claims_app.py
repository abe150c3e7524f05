"""Claims on the dashboard (AppTest): the Claims page, a person's moves, the Overview figures."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, SEEDS
from streamlit.testing.v1 import AppTest
from test_claims import AGREE_1, AGREE_2, COPY_OF_1, DISAGREE

from etl.build import build

APP = str(ROOT / "dashboard/app.py")


@pytest.fixture(scope="module")
def claims_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("claims-app") / "articles"
    folder.mkdir()
    for path in SEEDS.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    for name, text, published in (
        ("agree1", AGREE_1, "2026-03-02"), ("agree2", AGREE_2, "2026-03-05"),
        ("copy1", COPY_OF_1, "2026-03-03"), ("disagree", DISAGREE, "2026-04-10"),
    ):  # fmt: skip
        (folder / f"{name}.txt").write_text(text)
        (folder / f"{name}.meta.json").write_text(json.dumps({"published": published}))
    db = folder.parent / "t.duckdb"
    build(folder, db)
    return db


def open_page(db, monkeypatch, page: str, **params) -> AppTest:
    monkeypatch.setenv("AGI_TRACKER_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def html_text(at: AppTest) -> str:
    return "\n".join(str(h.proto.body) for h in at.get("html"))


def test_claims_page_lists_conflicts_first_then_claims_by_support(claims_db, monkeypatch):
    at = open_page(claims_db, monkeypatch, "views/claims.py")
    assert at.subheader[0].value == "Conflicting reports (2)"
    shown = html_text(at)
    assert "Nimbus AI: 150,000 vs 200,000 GPUs planned for 2026" in shown
    assert "a copy of agree1" in shown
    table = at.dataframe[0].value
    assert list(table["support"][:2]) == [3, 2]  # Meta's 350,000 (three articles), then Nimbus
    assert "Download CSV" in [b.proto.label for b in at.get("download_button")]


def test_the_sidebar_filters_apply_to_claims(claims_db, monkeypatch):
    at = open_page(claims_db, monkeypatch, "views/claims.py", source="disagree")
    assert at.subheader[0].value == "Conflicting reports (0)"  # the other side is filtered out
    assert set(at.dataframe[0].value["support"]) == {1}


def test_a_person_from_the_url_shows_every_reported_move(claims_db, monkeypatch):
    at = open_page(claims_db, monkeypatch, "views/hiring.py", person="Lena Okafor")
    shown = html_text(at)
    assert "Lena Okafor → Nimbus AI" in shown and "Lena Okafor → Orbital Labs" in shown
    assert "2 independent sources" in shown
    assert "Nimbus AI hired Léna Okafor from Google earlier this year." in shown


def test_overview_headline_counts_come_from_claims_with_support(claims_db, monkeypatch):
    at = open_page(claims_db, monkeypatch, "views/overview.py")
    metrics = {m.label: (m.value, m.proto.delta) for m in at.metric if "·" in m.label}
    assert metrics["Nimbus AI · GPUs"] == ("200,000", "2 sources")
    assert metrics["Meta · GPUs"] == ("350,000", "3 sources")

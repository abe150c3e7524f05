"""The placeholder dashboard page renders what the database holds."""

from conftest import ROOT
from streamlit.testing.v1 import AppTest


def test_placeholder_shows_counts_from_the_database(seeds_db, monkeypatch):
    monkeypatch.setenv("AGI_TRACKER_DB", str(seeds_db))
    at = AppTest.from_file(str(ROOT / "dashboard/app.py")).run(timeout=30)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Sources"] == "5"
    assert metrics["compute facts"] == "5" and metrics["hire facts"] == "4"


def test_placeholder_without_database_says_how_to_build(tmp_path, monkeypatch):
    monkeypatch.setenv("AGI_TRACKER_DB", str(tmp_path / "missing.duckdb"))
    at = AppTest.from_file(str(ROOT / "dashboard/app.py")).run(timeout=30)
    assert not at.exception
    assert "No database yet" in at.info[0].value

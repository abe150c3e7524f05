"""The app's first build runs the ETL in a child process and reports its progress."""

from conftest import SEEDS

from dashboard.startup import Paths, build_database


def test_first_build_reports_progress_and_builds(tmp_path):
    seen = []
    outcome = build_database(Paths(tmp_path / "t.duckdb", SEEDS), lambda d, t: seen.append((d, t)))
    assert outcome.ok and (tmp_path / "t.duckdb").exists()
    assert seen == [(i, 5) for i in range(1, 6)]
    assert "facts: compute 5, hire 4, announcement 8" in outcome.summary


def test_an_existing_database_is_left_alone_unless_asked(tmp_path):
    db = tmp_path / "t.duckdb"
    db.write_bytes(b"not rebuilt")
    assert build_database(Paths(db, SEEDS), lambda d, t: None).ok
    assert db.read_bytes() == b"not rebuilt"


def test_a_failed_build_says_why(tmp_path):
    outcome = build_database(Paths(tmp_path / "t.duckdb", tmp_path / "missing"), lambda d, t: None)
    assert not outcome.ok
    assert "does not exist" in outcome.summary

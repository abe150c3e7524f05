"""Shared fixtures: the real database built from seeds/ is the main one."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).parent / "data"
sys.path.insert(0, str(Path(__file__).parent))  # for tests/scoring.py

# No test may read or write the user's own subscriptions or reviews, nor fetch from a private address by
# accident: every run gets its own subscriptions file, and private addresses stay refused
# unless a test allows them (the local test servers live on 127.0.0.1).
_FEEDS_DIR = tempfile.mkdtemp(prefix="agi-feeds-")
atexit.register(shutil.rmtree, _FEEDS_DIR, ignore_errors=True)
os.environ["AGI_TRACKER_FEEDS"] = str(Path(_FEEDS_DIR) / "feeds.json")
os.environ["AGI_TRACKER_REVIEWS"] = str(Path(_FEEDS_DIR) / "reviews.jsonl")
os.environ.pop("AGI_TRACKER_ALLOW_PRIVATE", None)


def table_rows(db: Path, queries: dict[str, str]) -> dict[str, list[tuple]]:
    """Each named query's rows from the database at `db`, read-only: for comparing builds."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        return {name: con.execute(sql).fetchall() for name, sql in queries.items()}


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory) -> Path:
    """A database built from seeds/ by the real build."""
    from etl.build import build

    db = tmp_path_factory.mktemp("db") / "tracker.duckdb"
    build(SEEDS, db)
    return db


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A writable copy of seeds/ for tests that add or break files."""
    dst = tmp_path / "seeds"
    shutil.copytree(SEEDS, dst)
    return dst


@pytest.fixture
def app_workspace(seeds_copy, tmp_path, monkeypatch) -> tuple[Path, Path]:
    """A writable articles folder and its built database, the app pointed at both, with its
    own subscriptions and review log: (articles folder, database)."""
    from etl.build import build

    db = tmp_path / "tracker.duckdb"
    build(seeds_copy, db)
    monkeypatch.setenv("AGI_TRACKER_DB", str(db))
    monkeypatch.setenv("AGI_TRACKER_SEEDS", str(seeds_copy))
    monkeypatch.setenv("AGI_TRACKER_FEEDS", str(tmp_path / "feeds.json"))
    monkeypatch.setenv("AGI_TRACKER_REVIEWS", str(tmp_path / "reviews.jsonl"))
    return seeds_copy, db

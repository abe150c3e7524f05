"""Shared fixtures: the real database built from seeds/ is the main one."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).parent / "data"
sys.path.insert(0, str(Path(__file__).parent))  # for tests/scoring.py


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

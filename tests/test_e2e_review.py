"""Reviewing in a real browser: reject a fact in the reading view, download the CSV that shows
it, rebuild with --no-cache, find it still rejected; add a missing fact by its quote."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, SEEDS
from e2e_server import Server, streamlit_server
from test_e2e import TIMEOUT_MS, assert_healthy, browser, open_tab, screenshot, settle  # noqa: F401

from etl.build import build

pytestmark = pytest.mark.e2e
WSJ = "002_487e85d166e69daf"  # three hires, two announcements


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("review-e2e")
    seeds = root / "seeds"
    shutil.copytree(SEEDS, seeds)
    paths = {"seeds": seeds, "db": root / "tracker.duckdb", "reviews": root / "reviews.jsonl"}
    saved = os.environ.get("AGI_TRACKER_REVIEWS")
    os.environ["AGI_TRACKER_REVIEWS"] = str(paths["reviews"])
    build(seeds, paths["db"])
    if saved is not None:
        os.environ["AGI_TRACKER_REVIEWS"] = saved
    return paths


@pytest.fixture(scope="module")
def server(workspace, browser) -> Iterator[Server]:  # noqa: F811
    saved = dict(os.environ)
    os.environ.update(
        AGI_TRACKER_SEEDS=str(workspace["seeds"]), AGI_TRACKER_REVIEWS=str(workspace["reviews"])
    )
    try:
        with streamlit_server(workspace["db"]) as running:
            yield running
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture
def page(browser, server: Server) -> Iterator:  # noqa: F811
    with open_tab(browser, server) as tab:
        yield tab


def first_hire(db: Path) -> tuple[str, str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT fact_id, review_status FROM facts WHERE source_id = ? AND kind = 'hire' "
            "ORDER BY start_offset, end_offset, kind LIMIT 1",
            [WSJ],
        ).fetchone()


def article_table_rows(page) -> list[dict]:
    """Download the reading view's fact table as CSV (the page's own button) and parse it."""
    with page.expect_download() as download:
        page.locator(".st-key-csv-article button").first.click()
    text = download.value.path().read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_reject_in_the_browser_survives_a_no_cache_rebuild(page, workspace):
    fact_id, status = first_hire(workspace["db"])
    assert status == "unreviewed"
    page.goto(f"/sources?article={WSJ}")
    settle(page, "Sources")
    rows = article_table_rows(page)
    position = [r["fact_id"] for r in rows].index(fact_id)
    # Select the fact's row: the grid is a canvas, so click its row-selection cell.
    grid = page.locator('[data-testid="stDataFrame"]').last
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 14, box["y"] + 35 * (position + 1) + 18)
    reject = page.get_by_role("button", name="Reject", exact=True)
    reject.wait_for()
    page.get_by_label("Note (why)").fill("not a hire: a departure")
    reject.click()
    done = page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Rejected fact")
    done.wait_for(timeout=120_000)
    settle(page, "Sources")
    assert first_hire(workspace["db"]) == (fact_id, "rejected")
    page.goto(f"/sources?article={WSJ}&rejected=true")
    settle(page, "Sources")
    shown = {r["fact_id"]: r["review_status"] for r in article_table_rows(page)}
    assert shown[fact_id] == "rejected"
    screenshot(page, "review_rejected")
    rebuilt = subprocess.run(
        [sys.executable, "-m", "etl", "build", "--no-cache", "--seeds", str(workspace["seeds"]),
         "--db", str(workspace["db"])],
        cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "AGI_TRACKER_REVIEWS": str(workspace["reviews"])},
    )  # fmt: skip
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "extracted 5, unchanged 0" in rebuilt.stdout
    page.goto(f"/sources?article={WSJ}&rejected=true")
    settle(page, "Sources")
    assert_healthy(page, "Sources")
    shown = {r["fact_id"]: r["review_status"] for r in article_table_rows(page)}
    assert shown[fact_id] == "rejected"
    page.goto(f"/sources?article={WSJ}")  # hidden by default
    settle(page, "Sources")
    assert fact_id not in {r["fact_id"] for r in article_table_rows(page)}


def test_add_a_missing_fact_in_the_reading_view(page, workspace):
    with duckdb.connect(str(workspace["db"]), read_only=True) as con:
        text = con.execute("SELECT text FROM sources WHERE source_id = ?", [WSJ]).fetchone()[0]
    quote = text.splitlines()[0][:40].strip()
    page.goto(f"/sources?article={WSJ}")
    settle(page, "Sources")
    page.get_by_text("Add a missing fact").click()
    page.get_by_label("Quote (copied exactly from the article)").fill(quote)
    page.get_by_label("Organisation").last.fill("Meta")
    page.get_by_label("Quantity").fill("1000")
    page.get_by_role("button", name="Add fact").click()
    done = page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Added a compute")
    done.wait_for(timeout=120_000)
    settle(page, "Sources")
    with duckdb.connect(str(workspace["db"]), read_only=True) as con:
        added = con.execute(
            "SELECT quote, org, quantity, review_status FROM facts WHERE review_status = 'added'"
        ).fetchall()
    assert added == [(quote, "Meta", 1000, "added")]
    assert quote in {r["quote"] for r in article_table_rows(page)}
    screenshot(page, "review_added")

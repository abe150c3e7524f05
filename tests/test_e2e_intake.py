"""Adding articles in a real browser: upload a file through the Sources page, then add a page by
address from a local web server, and see the new articles' facts without a restart.

The server gets its own copy of seeds/ and database, and AGI_TRACKER_ALLOW_PRIVATE=1 so that it
may fetch from the test's web server on 127.0.0.1. Screenshots: tests/artifacts/intake_*.png.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from conftest import SEEDS
from e2e_server import Server, streamlit_server
from localweb import LocalWeb, Route, local_web
from test_e2e import TIMEOUT_MS, assert_healthy, browser, open_tab, screenshot, settle  # noqa: F401
from test_intake_app import ARTICLE, PAGE

from etl.build import build

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def web() -> Iterator[LocalWeb]:
    with local_web({"/news/kestrel": Route(PAGE)}) as running:
        yield running


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("intake-e2e")
    seeds = root / "seeds"
    shutil.copytree(SEEDS, seeds)
    db = root / "tracker.duckdb"
    build(seeds, db)
    return seeds, db


@pytest.fixture(scope="module")
def server(workspace, browser) -> Iterator[Server]:  # noqa: F811
    seeds, db = workspace
    saved = dict(os.environ)
    os.environ.update(
        AGI_TRACKER_SEEDS=str(seeds),
        AGI_TRACKER_ALLOW_PRIVATE="1",
        AGI_TRACKER_FEEDS=str(seeds.parent / "feeds.json"),
    )
    try:
        with streamlit_server(db) as running:
            yield running
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture
def page(browser, server: Server) -> Iterator:  # noqa: F811
    with open_tab(browser, server) as tab:
        yield tab


def open_intake(page, tab: str) -> None:
    page.goto("/sources")
    settle(page, "Sources")
    page.get_by_text("Add articles", exact=True).click()
    page.get_by_role("tab", name=tab).click()


def facts_of(db: Path, source_id: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT kind, org, quantity, person FROM facts WHERE source_id = ? ORDER BY kind",
            [source_id],
        ).fetchall()


def test_upload_through_the_page_then_read_its_facts(page, workspace, tmp_path):
    seeds, db = workspace
    upload = tmp_path / "orion.txt"
    upload.write_bytes(ARTICLE)
    open_intake(page, "Upload files")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
    page.get_by_label("Publisher").fill("Example Wire")
    page.get_by_role("button", name="Add these files").click()
    alert = page.locator('[data-testid="stAlertContentSuccess"]')
    alert.filter(has_text="added as orion.txt").wait_for(timeout=120_000)
    settle(page, "Sources")
    assert_healthy(page, "Sources")
    # The new article is listed and its facts are in the live database the page reads.
    page.get_by_text("Orion Labs to deploy 80,000 GPUs").first.wait_for(
        state="attached"
    )  # grid cell
    assert ("compute", "Orion Labs", 80000, None) in facts_of(db, "orion")
    # Reading it highlights its facts in place.
    page.goto("/sources?article=orion")
    settle(page, "Sources")
    marks = page.locator('[data-testid="stMain"] mark')
    marks.first.wait_for()
    assert marks.count() >= 2
    screenshot(page, "intake_upload")


def test_add_by_address_from_a_local_server(page, workspace, web):
    seeds, db = workspace
    open_intake(page, "By address")
    page.get_by_label("Addresses, one per line").fill(
        f"{web.url('/news/kestrel')}\njavascript:alert(1)"
    )
    page.get_by_role("button", name="Add by address").click()
    ok = page.locator('[data-testid="stAlertContentSuccess"]')
    ok.filter(has_text="added as kestrel-ai-hires-omar-haddad.html").wait_for(timeout=120_000)
    bad = page.locator('[data-testid="stAlertContentError"]')
    assert "only http and https addresses are fetched" in bad.inner_text()
    settle(page, "Sources")
    assert "/news/kestrel" in web.requests
    page.get_by_text("Kestrel AI hires Omar Haddad").first.wait_for(state="attached")
    facts = facts_of(db, "kestrel-ai-hires-omar-haddad")
    assert any(f[0] == "hire" and f[3] == "Omar Haddad" for f in facts)
    assert {f[2] for f in facts if f[0] == "compute"} == {12000}  # not the nav's or footer's
    page.wait_for_function("typeof window.__pwned === 'undefined'")
    screenshot(page, "intake_address")

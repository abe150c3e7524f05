"""The dashboard in a real browser: pages, URL-bound filters, history and downloads.

Only what a DOM shows is tested here (AppTest covers the pages' logic): that every page loads
without an exception, that the sources filter survives a reload, a page switch and the back
button, and that a downloaded CSV holds exactly the filtered facts in the database.

Chromium is Debian's (/usr/bin/chromium, `make chromium`); without it these tests skip, and
with AGI_TRACKER_REQUIRE_BROWSER=1 (as in CI) they fail instead. Screenshots of every page
land in tests/artifacts/.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT
from e2e_server import CHROMIUM, CHROMIUM_ARGS, Server, streamlit_server

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # the browser fixture skips (or fails in CI) with a clear reason
    sync_playwright = None
    PlaywrightTimeout = TimeoutError

pytestmark = pytest.mark.e2e

ARTIFACTS = ROOT / "tests" / "artifacts"
REQUIRE_BROWSER = os.environ.get("AGI_TRACKER_REQUIRE_BROWSER") == "1"
TIMEOUT_MS = 30_000  # first loads (cold caches, Plotly) can take a few seconds
EXPECT_MS = 10_000  # retrying assertions on an already loaded page
VIEWPORT = {"width": 1400, "height": 900}

# (screenshot name, URL path, title in the nav and in the page's h1), in nav order.
PAGES = [
    ("overview", "/", "Overview"),
    ("compute", "/compute", "Compute buildout"),
    ("hiring", "/hiring", "Hiring"),
    ("announcements", "/announcements", "Announcements"),
    ("claims", "/claims", "Claims"),
    ("sources", "/sources", "Sources"),
    ("facts", "/facts", "Facts explorer"),
]
# An article with 3 of the 4 hires and 2 announcements, and no compute facts.
SOURCE = "002_487e85d166e69daf"

# The app is idle when no script run is in flight: no "Running" status and no stale elements
# (Streamlit marks the previous run's elements data-stale until the new run replaces them).
IDLE_JS = """() => {
  const status = document.querySelector('[data-testid="stStatusWidget"]');
  if (status && /running/i.test(status.innerText)) return false;
  if (document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')) return false;
  return document.querySelector('[data-testid="stMain"] h1') !== null;
}"""


def _unavailable(reason: str) -> None:
    if REQUIRE_BROWSER:
        pytest.fail(f"{reason} (and AGI_TRACKER_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """One headless Chromium for the module."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing; `make chromium` installs it")
    if sync_playwright is None:
        _unavailable("the playwright package is not installed; `make install` installs it")
    expect.set_options(timeout=EXPECT_MS)
    (ARTIFACTS / "failed.png").unlink(missing_ok=True)  # from an earlier run
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(seeds_db: Path, browser) -> Iterator[Server]:
    """The dashboard served over the seeds database (started only once a browser exists)."""
    with streamlit_server(seeds_db) as running:
        yield running


@pytest.fixture
def app_url(server: Server) -> str:
    return server.url


@contextmanager
def open_tab(browser, server: Server, init_script: str | None = None) -> Iterator:
    """A tab in a fresh browser context (its own Streamlit session) on `server`, whose
    downloads Playwright can catch."""
    context = browser.new_context(base_url=server.url, accept_downloads=True, viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    if init_script:
        context.add_init_script(init_script)
    tab = context.new_page()
    tab.server = server  # so helpers can quote the server's log when a page breaks
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def page(browser, server: Server) -> Iterator:
    """A fresh browser context (its own Streamlit session) for each test."""
    with open_tab(browser, server) as tab:
        yield tab


@pytest.fixture(scope="module")
def db(seeds_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The database the server reads, opened read-only to compute what pages should show."""
    con = duckdb.connect(str(seeds_db), read_only=True)
    yield con
    con.close()


# --- what the database says -------------------------------------------------------------------


def fact_ids(db, kind: str | None = None, source_id: str | None = None) -> set[str]:
    """Facts under the default filters (all dates, undated included), by kind and source."""
    sql = "SELECT fact_id FROM facts WHERE ($kind IS NULL OR kind = $kind)"
    sql += " AND ($source IS NULL OR source_id = $source)"
    return {row[0] for row in db.execute(sql, {"kind": kind, "source": source_id}).fetchall()}


def source_option(db, source_id: str) -> re.Pattern:
    """How the Sources filter names an article: its title (maybe shortened) and fact count."""
    title, facts = db.execute(
        "SELECT s.title, count(f.fact_id) FROM sources s LEFT JOIN facts f USING (source_id) "
        "WHERE s.source_id = ? GROUP BY s.title",
        [source_id],
    ).fetchone()
    return re.compile(rf"^{re.escape(title[:40])}.* · {facts} facts?$")


# --- page helpers -----------------------------------------------------------------------------


def settle(page, title: str) -> None:
    """Wait until `title` is the page's h1 and the script run that drew it has finished."""
    try:
        page.locator('[data-testid="stMain"] h1').filter(has_text=title).first.wait_for()
        page.wait_for_function(IDLE_JS, timeout=TIMEOUT_MS)
        page.wait_for_timeout(250)  # a rerun can start just after the first one ends
        page.wait_for_function(IDLE_JS, timeout=TIMEOUT_MS)
    except PlaywrightTimeout as exc:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "failed.png"), full_page=True)
        body = page.locator("body").inner_text()[:3000]
        raise AssertionError(
            f"{page.url} did not settle on {title!r} (see tests/artifacts/failed.png); "
            f"it shows:\n{body}\nserver output:\n{page.server.output()}"
        ) from exc


def goto(page, path: str, title: str) -> None:
    page.goto(path)
    settle(page, title)


def assert_healthy(page, title: str) -> None:
    """The page's h1 is `title`, and it shows no exception, error toast or error box."""
    expect(page.locator('[data-testid="stMain"] h1').first).to_have_text(title)
    exceptions = page.locator('[data-testid="stException"]')
    if exceptions.count():
        raise AssertionError(
            f"{page.url} shows an exception:\n{exceptions.first.inner_text()}\n"
            f"server output:\n{page.server.output()}"
        )
    toasts = page.locator('[data-testid="stToast"]').all_inner_texts()
    assert not [t for t in toasts if "error" in t.lower()], toasts
    errors = page.locator('[data-testid="stAlertContentError"]').all_inner_texts()
    assert not errors, errors


def nav_link(page, title: str):
    """The sidebar nav link to a page (its accessible name leaves out the aria-hidden icon)."""
    return page.locator('[data-testid="stSidebarNavLink"]').and_(
        page.get_by_role("link", name=title, exact=True)
    )


def expect_path(page, app_url: str, path: str, source: str | None = None) -> None:
    """The address bar shows `path`, with `source=<id>` among its parameters if given."""
    query = rf"\?(.*&)?source={re.escape(source)}(&.*)?" if source else r"(\?.*)?"
    expect(page).to_have_url(re.compile(rf"^{re.escape(app_url + path)}{query}$"))


def expect_rows(page, rows: int) -> None:
    """The page's first table shows `rows` rows (the grid's aria-rowcount counts the header)."""
    grid = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"] table[role="grid"]')
    expect(grid.first).to_have_attribute("aria-rowcount", str(rows + 1))


def expect_source_chip(page, option: re.Pattern | None) -> None:
    """The sidebar's Sources filter shows exactly this article as a chip (or no chip)."""
    chips = page.locator(
        '[data-testid="stSidebar"] [data-testid="stMultiSelect"]:has(input[aria-label="Sources"])'
        " [data-tag]"
    )
    expect(chips).to_have_count(0 if option is None else 1)
    if option is not None:
        expect(chips.first).to_have_attribute("aria-label", option)


def screenshot(page, name: str) -> None:
    """A full-page screenshot in tests/artifacts/, the viewport stretched to the main area."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate(
        "() => Math.max(...['stMain', 'stMainBlockContainer', 'stSidebarContent']"
        ".map(id => document.querySelector(`[data-testid=${id}]`))"
        ".filter(Boolean).map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": VIEWPORT["width"], "height": min(int(height) + 60, 10_000)})
    page.wait_for_timeout(300)  # Plotly redraws on resize
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(VIEWPORT)


def download(page, label: str):
    """Click the main area's download button `label` and return the finished download."""
    button = page.locator('[data-testid="stMain"] [data-testid="stDownloadButton"]')
    with page.expect_download() as info:
        button.get_by_role("button", name=label).click()
    return info.value


def assert_file_name(name: str, page_slug: str, ext: str) -> None:
    """Download names carry the page and today's date, e.g. agi-tracker_hiring_2026-11-22.csv."""
    assert page_slug in name and dt.date.today().isoformat() in name, name
    assert name.endswith(f".{ext}"), name


# --- tests ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "path", "title"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_opens_by_url(page, name: str, path: str, title: str):
    goto(page, path, title)
    assert_healthy(page, title)
    expect(page).to_have_title(f"{title} · AGI Tracker")
    screenshot(page, name)


def test_every_page_opens_from_the_sidebar_nav(page, app_url):
    goto(page, "/", "Overview")
    labels = page.locator('[data-testid="stSidebarNavLink"] [data-testid="stMarkdownContainer"]')
    expect(labels).to_have_text([title for _, _, title in PAGES])
    for _, path, title in [*PAGES[1:], PAGES[0]]:
        nav_link(page, title).click()
        settle(page, title)
        expect_path(page, app_url, path)
        expect(nav_link(page, title)).to_have_attribute("aria-current", "page")
        assert_healthy(page, title)


def test_source_filter_holds_across_reload_pages_and_back(page, app_url, db):
    every, picked = fact_ids(db), fact_ids(db, source_id=SOURCE)
    option = source_option(db, SOURCE)
    goto(page, "/facts", "Facts explorer")
    expect_source_chip(page, None)
    expect_rows(page, len(every))

    # Pick one article in the sidebar's Sources filter.
    page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="Sources").click()
    page.get_by_role("option", name=option).click()
    page.keyboard.press("Escape")
    expect_path(page, app_url, "/facts", SOURCE)
    settle(page, "Facts explorer")
    expect_source_chip(page, option)
    assert 0 < len(picked) < len(every)
    expect_rows(page, len(picked))

    # A reload keeps it: the URL seeds the widget and the table.
    page.reload()
    settle(page, "Facts explorer")
    expect_path(page, app_url, "/facts", SOURCE)
    expect_source_chip(page, option)
    expect_rows(page, len(picked))
    assert_healthy(page, "Facts explorer")

    # Another page, reached through the nav, keeps it.
    nav_link(page, "Hiring").click()
    settle(page, "Hiring")
    expect_path(page, app_url, "/hiring", SOURCE)
    expect_source_chip(page, option)
    assert len(fact_ids(db, "hire", SOURCE)) < len(fact_ids(db, "hire"))
    expect_rows(page, len(fact_ids(db, "hire", SOURCE)))
    assert_healthy(page, "Hiring")

    # The back button returns to the previous page, still filtered.
    page.go_back()
    settle(page, "Facts explorer")
    expect_path(page, app_url, "/facts", SOURCE)
    expect_source_chip(page, option)
    expect_rows(page, len(picked))
    assert_healthy(page, "Facts explorer")


@pytest.mark.parametrize(
    ("path", "title", "kind"),
    [("/facts", "Facts explorer", None), ("/hiring", "Hiring", "hire")],
    ids=["facts", "hiring"],
)
def test_csv_download_holds_the_filtered_facts(page, db, path, title, kind):
    goto(page, f"{path}?source={SOURCE}", title)
    expect_source_chip(page, source_option(db, SOURCE))
    expected = fact_ids(db, kind, SOURCE)
    expect_rows(page, len(expected))

    got = download(page, "Download CSV")
    assert_file_name(got.suggested_filename, path.strip("/"), "csv")
    rows = list(csv.DictReader(io.StringIO(Path(got.path()).read_text(encoding="utf-8"))))
    assert len(rows) == len(expected)
    assert {row["fact_id"] for row in rows} == expected
    quotes = db.execute("SELECT quote FROM facts WHERE source_id = ?", [SOURCE]).fetchall()
    assert {row["quote"] for row in rows} <= {q for (q,) in quotes}


def test_facts_explorer_downloads_parquet_and_every_table(page, db):
    import pyarrow.parquet as pq

    goto(page, f"/facts?source={SOURCE}", "Facts explorer")
    expect_rows(page, len(fact_ids(db, source_id=SOURCE)))

    parquet = download(page, "Download Parquet")
    assert_file_name(parquet.suggested_filename, "facts", "parquet")
    ids = pq.read_table(parquet.path()).column("fact_id").to_pylist()
    assert sorted(ids) == sorted(fact_ids(db, source_id=SOURCE))

    # "Everything" is the whole database, whatever the filters.
    everything = download(page, "Download everything (zip)")
    assert_file_name(everything.suggested_filename, "all-tables", "zip")
    with zipfile.ZipFile(everything.path()) as archive:
        assert "README.txt" in archive.namelist()
        facts_csv = archive.read("facts.csv").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(facts_csv)))
    assert {row["fact_id"] for row in rows} == fact_ids(db)


def test_organisation_filter_writes_the_url_and_survives_a_reload(page, app_url, db):
    goto(page, "/hiring", "Hiring")
    expect_rows(page, len(fact_ids(db, "hire")))
    page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="Organisations").click()
    page.get_by_role("option", name="OpenAI", exact=True).click()
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"[?&]org=OpenAI(&|$)"))
    page.reload()
    settle(page, "Hiring")
    openai_hires = db.execute(
        "SELECT count(*) FROM facts WHERE kind = 'hire' AND 'OpenAI' IN (org, from_org, to_org)"
    ).fetchall()[0][0]
    expect_rows(page, openai_hires)
    assert_healthy(page, "Hiring")


def test_reading_view_highlights_each_fact_in_place(page, db):
    goto(page, f"/sources?article={SOURCE}", "Sources")
    marks = page.locator('[data-testid="stMain"] mark.fact')
    expect(marks.first).to_be_visible()
    text = db.execute("SELECT text FROM sources WHERE source_id = ?", [SOURCE]).fetchall()[0][0]
    for mark in marks.all():
        assert mark.inner_text() in text  # each highlight is a piece of the article itself
    refs = page.locator('[data-testid="stMain"] sup.fact-ref')
    expect(refs).to_have_count(len(fact_ids(db, source_id=SOURCE)))
    screenshot(page, "sources-reading")


def test_clicking_a_source_row_opens_its_reading_view(page, db):
    goto(page, "/sources", "Sources")
    # The table lists the newest article first, as the dashboard's query orders it.
    (first,) = db.execute(
        "SELECT source_id FROM sources ORDER BY published DESC NULLS LAST,"
        " coalesce(title, source_id) LIMIT 1"
    ).fetchall()[0]
    grid = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').first
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 14, box["y"] + 35 + 17)  # the first row's selection cell
    marks = page.locator('[data-testid="stMain"] mark.fact')
    expect(marks.first).to_be_visible(timeout=TIMEOUT_MS)
    expect(page).to_have_url(re.compile(rf"[?&]article={re.escape(first)}(&|$)"))
    settle(page, "Sources")
    assert_healthy(page, "Sources")

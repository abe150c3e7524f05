"""No script from the data ever runs in the browser: every page, over a database full of payloads.

The database (tests/test_security.py) holds the seeds and the hostile corpus: <script>, <img
onerror>, <svg onload>, `javascript:` links and `"><script>` in titles, publishers, quotes,
roles, subjects, organisations, people and file names. Each page is opened in Chromium; the
payloads must not run (`window.__pwned` stays undefined in every frame, no dialog opens, no
payload element exists in the DOM) and must show as plain text. Screenshots land in
tests/artifacts/hostile_<page>.png.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator

import pytest
from e2e_server import Server, streamlit_server
from test_e2e import TIMEOUT_MS, assert_healthy, browser, open_tab, screenshot, settle  # noqa: F401
from test_security import XSS_ORG_TO, build_hostile_db, unsafe_cells

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # the browser fixture skips (or fails in CI) with a clear reason
    PlaywrightError = Exception

pytestmark = pytest.mark.e2e

SEARCH = "<img src=x onerror"
# (screenshot name, URL, page title, text the page must show literally)
PAGES = [
    ("overview", "/", "Overview", "<script>window.__pwned=1</script>"),
    ("compute", "/compute", "Compute buildout", "<img src=x onerror=window.__pwned=1>"),
    # Filtered by a hostile organisation: its name is in the URL, the chip and the flow chart.
    ("hiring", "/hiring?org=" + urllib.parse.quote(XSS_ORG_TO), "Hiring", XSS_ORG_TO),
    ("announcements", "/announcements", "Announcements", "Gem <svg onload=__pwned=1>"),
    ("sources", "/sources", "Sources", "<img src=x onerror=window.__pwned=1> markup shown as text"),
    ("reading", "/sources?article=xss_article", "Sources", "[the memo](javascript:window"),
    ("facts", "/facts", "Facts explorer", "<script>window.__pwned=1</script>"),
    ("claims", "/claims", "Claims", "Gem <svg onload=__pwned=1>"),
    ("facts-search", "/facts?q=" + urllib.parse.quote(SEARCH), "Facts explorer", SEARCH),
]  # fmt: skip

# Elements the payloads would create if any of them were parsed as markup.
INJECTED = "img[src='x'], svg[onload], [onerror], [onmouseover], a[href^='javascript:' i]"
TEXT_JS = """() => [document.body.textContent,
  ...[...document.querySelectorAll('input, textarea')].map(e => e.value)].join('\\n')"""


@pytest.fixture(scope="module")
def server(tmp_path_factory, browser) -> Iterator[Server]:  # noqa: F811
    """The dashboard over the hostile database (started only once a browser exists)."""
    db = build_hostile_db(tmp_path_factory.mktemp("hostile-e2e"))
    with streamlit_server(db) as running:
        yield running


@pytest.fixture(scope="module")
def tab(browser, server: Server) -> Iterator:  # noqa: F811
    """One tab for every page: each visit is a fresh session, and the cached app loads faster."""
    with open_tab(browser, server) as page:
        page.dialogs = []  # every dialog (alert, confirm, prompt) the current page opened
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        yield page


def hover_chart_marks(page, most: int = 30) -> str:
    """Hover the marks of every chart (up to `most` of each kind); return the hover labels' text."""
    shown = []
    for selector in (".scatterlayer .point", ".bars .point", ".sankey-node", ".sankey-link"):
        for mark in page.locator(f'[data-testid="stMain"] {selector}').all()[:most]:
            try:
                mark.hover(force=True, timeout=2_000)
            except PlaywrightError:  # a mark redrawn away meanwhile: the others will do
                continue
            shown.append(page.locator(".hoverlayer").first.text_content() or "")
    return "\n".join(shown)


def assert_nothing_ran(page) -> None:
    for frame in page.frames:
        assert frame.evaluate("typeof window.__pwned") == "undefined", frame.url
    assert page.dialogs == [], page.dialogs
    assert page.locator(INJECTED).count() == 0, page.locator(INJECTED).first.evaluate(
        "e => e.outerHTML"
    )


@pytest.mark.parametrize(("name", "path", "title", "text"), PAGES, ids=[p[0] for p in PAGES])
def test_payloads_show_as_text_and_never_run(tab, name, path, title, text):
    page = tab
    page.dialogs.clear()
    page.goto(path)
    settle(page, title)
    assert_healthy(page, title)
    # Tables fill their (screen-reader) cells a moment after the run: wait for the text.
    page.wait_for_function(f"() => ({TEXT_JS})().includes({text!r})", timeout=TIMEOUT_MS)
    hovered = hover_chart_marks(page)
    if name in ("compute", "hiring", "announcements"):
        assert "<" in hovered, "a hover label shows a payload, as text"
    assert_nothing_ran(page)
    screenshot(page, f"hostile_{name}")
    assert_nothing_ran(page)  # nothing ran late either (a resize redraws every chart)


# --- the data grid's own export -----------------------------------------------------------------
# Pages with at least one table, over the hostile database (whose cells start with =, +, -, @, a
# tab and a carriage return). The overview has none.
TABLE_PAGES = [(name, path, title) for name, path, title, _ in PAGES if name != "overview"]
NO_FILE_PICKER = "delete window.showSaveFilePicker"  # the grid then downloads through a link


@pytest.fixture(scope="module")
def download_tab(browser, server: Server) -> Iterator:  # noqa: F811
    """A tab whose downloads Playwright can catch: without the File System Access picker, the
    grid's export (if offered at all) falls back to an ordinary download."""
    with open_tab(browser, server, init_script=NO_FILE_PICKER) as page:
        yield page


def open_expanders(page, title: str) -> None:
    """Open every closed expander, so the tables folded inside them are checked too."""
    closed = page.locator(
        '[data-testid="stMain"] [data-testid="stExpander"] details:not([open]) > summary'
    )
    while closed.count():
        before = closed.count()
        closed.first.click()
        page.wait_for_function(
            "n => document.querySelectorAll("
            '\'[data-testid="stMain"] [data-testid="stExpander"] details:not([open])\').length < n',
            arg=before,
        )
    settle(page, title)  # an expander's table may draw a moment after it opens


def grid_csv_downloads(page, grid) -> list[bytes]:
    """Hover one data grid; download every CSV its toolbar offers (none, if export is off)."""
    grid.scroll_into_view_if_needed()
    grid.hover()
    toolbar = page.locator('[data-testid="stElementToolbar"]').filter(visible=True)
    toolbar.first.wait_for()  # the toolbar shows on hover either way (search, full screen)
    got = []
    for button in toolbar.get_by_role("button", name="Download as CSV").all():
        with page.expect_download() as download:
            button.click()
        got.append(download.value.path().read_bytes())
    return got


@pytest.mark.parametrize(("name", "path", "title"), TABLE_PAGES, ids=[p[0] for p in TABLE_PAGES])
def test_grid_toolbar_offers_no_unsafe_csv(download_tab, name, path, title):
    """Issue 13: every table's toolbar either offers no CSV or a formula-safe one."""
    page = download_tab
    page.goto(path)
    settle(page, title)
    open_expanders(page, title)
    grids = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]')
    assert grids.count() > 0, f"{path} shows no table"
    for index in range(grids.count()):
        for data in grid_csv_downloads(page, grids.nth(index)):
            text = data.decode("utf-8-sig").encode("utf-8")
            assert unsafe_cells(text) == [], f"table {index} of {path} exports formula cells"

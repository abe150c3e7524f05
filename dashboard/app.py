"""AGI Tracker dashboard: the entry script. It sets up the database and the shared filters,
then runs the page the user chose. `make run` serves it on http://127.0.0.1:8501."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import data
from dashboard.filters import View, set_view, sidebar_filters
from dashboard.intake import intake_panel
from dashboard.startup import Paths, build_database

# A local icon: a Material-symbol page icon would make the browser fetch it from Google.
ICON = Path(__file__).with_name("assets") / "favicon.png"
st.set_page_config(page_title="AGI Tracker", page_icon=str(ICON), layout="wide")

PAGES = [
    st.Page("views/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("views/compute.py", title="Compute buildout", icon=":material/memory:", url_path="compute"),
    st.Page("views/hiring.py", title="Hiring", icon=":material/group_add:", url_path="hiring"),
    st.Page("views/announcements.py", title="Announcements", icon=":material/campaign:", url_path="announcements"),
    st.Page("views/claims.py", title="Claims", icon=":material/fact_check:", url_path="claims"),
    st.Page("views/sources.py", title="Sources", icon=":material/article:", url_path="sources"),
    st.Page("views/facts.py", title="Facts explorer", icon=":material/table_view:", url_path="facts"),
]  # fmt: skip


def build_with_progress(paths: Paths, only_if_missing: bool) -> None:
    """Build the database from the articles folder, showing progress, then rerun."""
    bar = st.progress(0.0, text=f"Building the database from `{paths.seeds}/`…")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=f"Reading articles: {done} of {total}")

    outcome = build_database(paths, progress, only_if_missing=only_if_missing)
    bar.empty()
    if not outcome.ok:
        st.error(f"Building the database from `{paths.seeds}/` failed.", icon=":material/error:")
        st.code(outcome.summary or "no output", language=None)
        st.stop()
    st.rerun()


def no_articles(paths: Paths) -> None:
    """The empty state when the articles folder holds nothing the ETL could load."""
    st.title("AGI Tracker")
    st.info(
        f"There are no articles in `{paths.seeds}/` yet.\n\n"
        "Add news articles below (upload files, paste addresses or follow feeds), or save "
        f"them as `.txt`, `.md` or `.html` files in `{paths.seeds}/` (optionally with a "
        "`<name>.meta.json` sidecar giving title, url, publisher and published date) and "
        "build the database with the button below or with `make build`.",
        icon=":material/post_add:",
    )
    if st.button("Build from the articles folder", type="primary"):
        build_with_progress(paths, only_if_missing=False)
    intake_panel(paths, expanded=True)
    st.stop()


paths = Paths.from_env()
db = data.Database.at(paths.db)
if db is None:
    st.title("AGI Tracker")
    build_with_progress(paths, only_if_missing=True)
if db is None or data.source_count(db) == 0:
    no_articles(paths)

set_view(View(db, sidebar_filters(db)))
page = st.navigation(PAGES)
# The data grid's own toolbar export (and copy) would write cells raw: a title starting with "="
# runs as a formula in a spreadsheet. Every table has its own "Download CSV" below it instead,
# which neutralises formulas (etl/export.py). Set here as well as in .streamlit/config.toml so
# that no way of starting the app brings the raw export back. The browser learns the option when
# a run starts, so the run that turns it on (once per server) starts again at once.
if not st.get_option("client.disableDataExport"):
    st.set_option("client.disableDataExport", True)
    st.rerun()
st.set_page_config(page_title=f"{page.title} · AGI Tracker")  # the browser tab names the page
page.run()

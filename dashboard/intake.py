"""Adding articles from the dashboard: upload files, add by address, follow news feeds.

Everything goes through `etl.ingest` (the same road as `python -m etl add` and `feeds pull`),
then the incremental build runs in a child process with a progress bar, and the page reruns
on the new database. What happened to each file, address or feed is kept in the session and
shown after the rerun, one line each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard.startup import Paths, build_database
from etl.ingest import Added, add_address, add_upload, feeds

RESULTS_KEY = "_intake_results"
UPLOAD_TYPES = ["txt", "md", "html", "htm"]
ADD_BATCH_MAX = 50  # addresses per click: a pasted list, not a crawl


def intake_panel(paths: Paths, expanded: bool = False) -> None:
    """The "Add articles" panel: upload, by address, feeds; then the build."""
    show_results()
    with st.expander("Add articles", expanded=expanded, icon=":material/post_add:"):
        upload, by_address, follow = st.tabs(["Upload files", "By address", "News feeds"])
        with upload:
            _upload_form(paths)
        with by_address:
            _address_form(paths)
        with follow:
            _feeds_panel(paths)


def show_results() -> None:
    """The outcome lines of the last add (kept across the rerun that shows the new facts)."""
    results = st.session_state.pop(RESULTS_KEY, None)
    if not results:
        return
    lines, build_summary, ok = results
    good = [line for status, line in lines if status not in ("failed", "refused")]
    bad = [line for status, line in lines if status in ("failed", "refused")]
    if good:
        st.success("\n".join(f"- {_md(line)}" for line in good), icon=":material/check_circle:")
    if bad:
        st.error("\n".join(f"- {_md(line)}" for line in bad), icon=":material/error:")
    if not ok:
        st.error("The build after adding failed; the articles are kept, and the previous "
                 "database is still shown.", icon=":material/error:")  # fmt: skip
        st.code(build_summary or "no output", language=None)


def _md(line: str) -> str:
    """A line shown literally: markdown and HTML in titles or addresses stay text."""
    out = []
    for ch in line:
        out.append("\\" + ch if ch in "\\`*_{}[]()<>#+-.!|~$:" else ch)
    return "".join(out)


def _upload_form(paths: Paths) -> None:
    with st.form("upload_form", clear_on_submit=True, border=False):
        files = st.file_uploader(
            "Article files (.txt, .md or .html, up to 10 MB each)",
            type=UPLOAD_TYPES,
            accept_multiple_files=True,
            key="upload_files",
        )
        st.caption("Optional: what the files themselves may not say.")
        left, right = st.columns(2)
        title = left.text_input("Title (one file only)", key="upload_title")
        url = right.text_input("Address (one file only)", key="upload_url", placeholder="https://")
        publisher = left.text_input("Publisher", key="upload_publisher")
        published = right.date_input(
            "Publication date", value=None, key="upload_published", format="YYYY-MM-DD",
            min_value=dt.date(1990, 1, 1), max_value=dt.date.today() + dt.timedelta(days=1),
        )  # fmt: skip
        submitted = st.form_submit_button(
            "Add these files", type="primary", icon=":material/upload:"
        )
    if not submitted:
        return
    if not files:
        st.warning("Choose one or more files first.", icon=":material/warning:")
        return
    if url.strip() and not url.strip().lower().startswith(("http://", "https://")):
        st.error("The address must start with http:// or https://.", icon=":material/error:")
        return
    meta = {"publisher": publisher, "published": published}
    if len(files) == 1:
        meta.update(title=title, url=url.strip())
    results = []
    bar = st.progress(0.0, text="Adding files…")
    for i, file in enumerate(files, start=1):
        results.append(add_upload(paths.seeds, file.name, file.getvalue(), meta))
        bar.progress(i / len(files), text=f"Added {i} of {len(files)} files")
    bar.empty()
    _build_and_rerun(paths, results)


def _address_form(paths: Paths) -> None:
    with st.form("address_form", border=False):
        text = st.text_area(
            "Addresses, one per line",
            key="address_urls",
            placeholder="https://example.com/news/lab-plans-100000-gpus",
            height=100,
        )
        refresh = st.checkbox("Fetch again addresses added before", key="address_refresh")
        submitted = st.form_submit_button("Add by address", type="primary", icon=":material/link:")
    if not submitted:
        return
    urls = list(dict.fromkeys(u.strip() for u in text.splitlines() if u.strip()))
    if not urls:
        st.warning("Paste one or more addresses first.", icon=":material/warning:")
        return
    if len(urls) > ADD_BATCH_MAX:
        st.error(f"At most {ADD_BATCH_MAX} addresses at a time.", icon=":material/error:")
        return
    results = []
    bar = st.progress(0.0, text=f"Fetching 1 of {len(urls)}…")
    for i, url in enumerate(urls, start=1):
        results.append(add_address(paths.seeds, url, refresh=refresh))
        bar.progress(i / len(urls), text=f"Fetched {i} of {len(urls)}")
    bar.empty()
    _build_and_rerun(paths, results)


def _feeds_panel(paths: Paths) -> None:
    try:
        subs = feeds.subscriptions()
    except feeds.IngestError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    if subs:
        st.dataframe(
            pd.DataFrame(
                {
                    "Feed": [s["url"] for s in subs],
                    "Added": [s.get("added", "")[:10] for s in subs],
                    "Last pull": [(s.get("last_pull") or "never").replace("T", " ") for s in subs],
                    "Last result": [
                        s.get("last_error") or s.get("last_result") or "" for s in subs
                    ],
                }
            ),
            hide_index=True,
            width="stretch",
            key="feeds_table",
        )
    else:
        st.caption(f"No subscriptions yet. They are kept in `{feeds.feeds_path()}`.")
    with st.form("feed_add_form", clear_on_submit=True, border=False):
        new = st.text_input("Feed address (RSS or Atom)", key="feed_url", placeholder="https://")
        if st.form_submit_button("Subscribe", icon=":material/rss_feed:") and new.strip():
            try:
                added = feeds.subscribe(new.strip())
            except feeds.FetchError as exc:
                st.error(str(exc), icon=":material/error:")
            else:
                if added:
                    st.rerun()
                st.info("Already subscribed to that feed.", icon=":material/info:")
    if not subs:
        return
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    gone = left.selectbox(
        "Unsubscribe from", [s["url"] for s in subs], index=None, key="feed_remove"
    )
    if right.button(
        "Unsubscribe", disabled=gone is None, key="feed_remove_button", width="stretch"
    ):
        feeds.unsubscribe(gone)
        st.rerun()
    if st.button("Pull now", type="primary", icon=":material/sync:", key="feeds_pull"):
        _pull(paths)


def _pull(paths: Paths) -> None:
    bar = st.progress(0.0, text="Pulling feeds…")
    results: list[tuple[str, str]] = []

    def progress(done: int, total: int, url: str) -> None:
        if total:
            bar.progress(done / total, text=f"Feed {min(done + 1, total)} of {total}: {url}")

    def add_entry(link: str, meta: dict) -> tuple[str, str]:
        r = add_address(paths.seeds, link, meta)
        return r.status, r.line

    reports = feeds.pull(add_entry, progress=progress)
    bar.empty()
    for report in reports:
        results.append(("failed" if report.error else "pulled", report.line()))
        results += [(e.status, e.detail) for e in report.entries if e.status != "added"]
    added = any(report.count("added") for report in reports)
    _build_and_rerun(paths, results, changed=added)


def _build_and_rerun(
    paths: Paths, results: list[Added] | list[tuple[str, str]], changed: bool | None = None
) -> None:
    """Build if anything new arrived, keep the outcome lines for after the rerun, rerun."""
    lines = [(r.status, r.line) if isinstance(r, Added) else r for r in results]
    if changed is None:
        changed = any(isinstance(r, Added) and r.new for r in results)
    summary, ok = "", True
    if changed:
        outcome = build_database(paths, _progress_bar(), only_if_missing=False)
        summary, ok = outcome.summary, outcome.ok
    st.session_state[RESULTS_KEY] = (lines, summary, ok)
    st.rerun()


def _progress_bar() -> Callable[[int, int], None]:
    bar = st.progress(0.0, text="Updating the database…")

    def progress(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=f"Reading articles: {done} of {total}")

    return progress

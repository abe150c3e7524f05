"""The shared sidebar filters, kept in the URL so any view can be shared and reloaded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from dashboard import data
from dashboard.data import Database, Filters
from dashboard.style import shorten

SOURCE_PARAM = "source"
_SOURCES_KEY = "sources"
# Bound widgets: each key is also the URL parameter's name.
ORG_KEY, DATES_KEY, UNDATED_KEY = "org", "dates", "undated"
_IN_URL = "_in_url_"
_PAGE = "_page_"
_VIEW_KEY = "_view"
LABEL_CHARS = 60


@dataclass(frozen=True)
class View:
    """What every page renders from: the database and the filters chosen in the sidebar."""

    db: Database
    filters: Filters


def source_label(title: str, facts: int) -> str:
    """An option of the sources filter: the article's title (shortened) and its fact count."""
    return f"{shorten(title, LABEL_CHARS)} · {facts} fact{'s' if facts != 1 else ''}"


def ids_from_url(
    param: str, key: str, valid: Sequence[str], single: bool = False, page: str | None = None
) -> None:
    """Seed the widget at `key` from the URL's `param` when the URL changed outside it.

    Widgets whose options show titles are not bound to the URL directly (the URL would carry
    long labels that change with every rebuild); the URL carries stable source ids instead.
    A pasted link or the back button changes the URL, and then the URL wins. Switching pages in
    the navigation drops unbound parameters from the URL, so a page switch keeps the selection.
    """
    in_url, allowed = st.query_params.get_all(param), set(valid)
    last_page = st.session_state.get(_PAGE + param)
    st.session_state[_PAGE + param] = page
    switched = page is not None and last_page not in (None, page) and not in_url
    url_changed = in_url != st.session_state.get(_IN_URL + param) and not switched
    if key not in st.session_state or url_changed:
        ids = [s for s in dict.fromkeys(in_url) if s in allowed]
    else:  # keep the widget's value, less what a rebuild may have removed
        value = st.session_state[key]
        ids = [s for s in ([value] if single else value) if s in allowed]
    st.session_state[key] = (ids[0] if ids else None) if single else ids


def ids_to_url(param: str, selected: Sequence[str] | str | None) -> None:
    """Write the widget's selection back to the URL (a new history entry)."""
    selected = [selected] if isinstance(selected, str) else list(selected or [])
    if st.query_params.get_all(param) != selected:
        st.query_params[param] = selected
    st.session_state[_IN_URL + param] = selected


def _reset() -> None:
    st.session_state[_SOURCES_KEY] = []
    st.session_state[ORG_KEY] = []
    st.session_state[DATES_KEY] = ()
    st.session_state[UNDATED_KEY] = True


def sidebar_filters(db: Database, page: str) -> Filters:
    """Draw the filters in the sidebar and return what they select on `page` (its URL path)."""
    options = data.source_options(db)
    labels = {
        row.source_id: source_label(row.title, int(row.facts)) for row in options.itertuples()
    }
    ids_from_url(SOURCE_PARAM, _SOURCES_KEY, list(labels), page=page)
    lo, hi = data.date_bounds(db)
    with st.sidebar:
        st.header("Filters", anchor=False)
        sources = st.multiselect(
            "Sources",
            list(labels),
            format_func=labels.__getitem__,
            key=_SOURCES_KEY,
            placeholder="All sources",
            help="Articles to draw facts from. Leave empty for all.",
        )
        ids_to_url(SOURCE_PARAM, sources)
        orgs = st.multiselect(
            "Organisations",
            data.org_options(db),
            key=ORG_KEY,
            bind="query-params",
            placeholder="All organisations",
            help="Facts naming these organisations (for hires: origin or destination).",
        )
        dates = st.date_input(
            "Date range",
            value=(),
            min_value=lo,
            max_value=hi,
            key=DATES_KEY,
            bind="query-params",
            format="YYYY-MM-DD",
            help="Dates are stored at their precision: 'by the end of 2024' is 2024-12-31.",
        )
        include_undated = st.toggle(
            "Include undated facts",
            value=True,
            key=UNDATED_KEY,
            bind="query-params",
            help="Many facts carry no date the article states. Switch off to hide them.",
        )
        st.button("Reset filters", on_click=_reset, type="tertiary", icon=":material/restart_alt:")
    start, end = _date_range(dates)
    return Filters(tuple(sources), tuple(orgs), start, end, include_undated)


def _date_range(value: object) -> tuple[dt.date | None, dt.date | None]:
    """A date_input range value (empty, start only, or start and end) as two bounds."""
    picked = list(value) if isinstance(value, tuple | list) else [value]
    picked = [d for d in picked if isinstance(d, dt.date)]
    return (picked[0] if picked else None, picked[1] if len(picked) > 1 else None)


def set_view(view: View) -> None:
    st.session_state[_VIEW_KEY] = view


def current_view() -> View:
    """The view the entry script set up for this run; pages start here."""
    view = st.session_state.get(_VIEW_KEY)
    if view is None:
        raise RuntimeError("open the dashboard through dashboard/app.py, not a page file")
    return view

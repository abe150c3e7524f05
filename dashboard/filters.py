"""The shared sidebar filters, kept in the URL so any view can be shared and reloaded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from dashboard import data
from dashboard.data import Database, Filters
from dashboard.style import shorten

SOURCE_PARAM = "source"
_SOURCES_KEY = "sources"
SOURCE_SEARCH_KEY = "source_search"
# Bound widgets: each key is also the URL parameter's name.
ORG_KEY, DATES_KEY, UNDATED_KEY, CONFIDENCE_KEY = "org", "dates", "undated", "min_conf"
REJECTED_KEY = "rejected"
_SYNCED = "_synced_"
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


def labelled_ids(
    widget: Callable[..., Any],
    label: str,
    labels: dict[str, str],
    param: str,
    key: str,
    **kwargs: Any,
) -> Any:
    """`widget` (multiselect or selectbox) showing `labels`, with its ids kept in the URL.

    A bound widget writes its option *labels* to the URL, and these titles are long and carry
    fact counts that change with every rebuild. So a hidden twin bound to `param` holds the
    stable ids, and the visible widget at `key` mirrors it. Being bound, the twin keeps the
    selection across page switches, reloads, pasted links and the back button.
    """
    ids, single = list(labels), widget is st.selectbox
    st.html(f"<style>.st-key-{param} {{ display: none; }}</style>")
    twin = {"index": None} if single else {}
    in_url = widget(param, ids, key=param, bind="query-params", **twin)
    if key not in st.session_state or st.session_state.get(_SYNCED + param) != in_url:
        st.session_state[key] = in_url
    st.session_state[_SYNCED + param] = in_url

    def to_url() -> None:
        st.session_state[param] = st.session_state[key]

    return widget(label, ids, key=key, format_func=labels.__getitem__, on_change=to_url, **kwargs)


def _reset() -> None:
    st.session_state[SOURCE_PARAM] = []
    st.session_state[ORG_KEY] = []
    st.session_state[DATES_KEY] = ()
    st.session_state[UNDATED_KEY] = True
    st.session_state[CONFIDENCE_KEY] = 0.0
    st.session_state[REJECTED_KEY] = False


def _source_labels(frame) -> dict[str, str]:
    return {row.source_id: source_label(row.title, int(row.facts)) for row in frame.itertuples()}


def sidebar_filters(db: Database) -> Filters:
    """Draw the filters in the sidebar and return what they select."""
    lo, hi = data.date_bounds(db)
    total = data.source_count(db)
    # The chosen sources stay offered whatever the search shows, so a selection never drops.
    chosen = st.session_state.get(SOURCE_PARAM) or st.query_params.get_all(SOURCE_PARAM)
    with st.sidebar:
        st.header("Filters", anchor=False)
        search = ""
        if total > data.SOURCE_CHOICES:
            search = st.text_input(
                "Find sources",
                key=SOURCE_SEARCH_KEY,
                placeholder=f"Search {total:,} titles",
                help=f"The sources list offers the {data.SOURCE_CHOICES} newest articles, "
                "or those whose title contains this text.",
            )
        labels = _source_labels(data.source_labels(db, tuple(chosen)))
        labels |= _source_labels(data.source_options(db, search.strip()))
        sources = labelled_ids(
            st.multiselect,
            "Sources",
            labels,
            SOURCE_PARAM,
            _SOURCES_KEY,
            placeholder="All sources",
            help="Articles to draw facts from. Leave empty for all.",
        )
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
        min_confidence = st.slider(
            "Minimum confidence",
            min_value=0.0,
            max_value=1.0,
            value=0.0,
            step=0.05,
            key=CONFIDENCE_KEY,
            bind="query-params",
            help="Each fact's confidence comes from its evidence: which rule found it, whether "
            "the sentence names the organisations, a stated or inferred date or origin, hedges. "
            "On real articles, facts at 0.8 or more were right over 90% of the time.",
        )
        show_rejected = st.toggle(
            "Show rejected facts",
            value=False,
            key=REJECTED_KEY,
            bind="query-params",
            help="Facts an analyst rejected are hidden everywhere (and support no claim). "
            "Switch on to see them, marked rejected.",
        )
        st.button("Reset filters", on_click=_reset, type="tertiary", icon=":material/restart_alt:")
    start, end = _date_range(dates)
    return Filters(
        tuple(sources), tuple(orgs), start, end, include_undated, _confidence(min_confidence),
        bool(show_rejected),
    )  # fmt: skip


def _confidence(value: object) -> float:
    """The slider's value as a bound in [0, 1] (a hand-edited URL may hold anything)."""
    try:
        return min(1.0, max(0.0, float(value)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0


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

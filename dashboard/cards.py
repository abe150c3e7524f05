"""HTML fragments that show facts as text: cards, compact lists and an article's header.

Article text is untrusted. Every value is escaped here, before `st.html` (which sanitises as
well) ever sees it, and only http(s) links are ever made clickable.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

import pandas as pd

from dashboard.style import KIND_COLOURS, KIND_LABELS, KIND_TINTS, shorten
from etl.export import is_missing

CARD_STYLE = (
    "border-left: 4px solid {colour}; background: #fafbfc; padding: 0.5rem 0.9rem;"
    " margin: 0 0 0.5rem 0; border-radius: 4px; font-size: 0.95rem; line-height: 1.5"
)
BADGE_STYLE = (
    "background: {tint}; color: #1f2328; border-radius: 3px; padding: 1px 6px;"
    " font-size: 0.8rem; font-weight: 600; margin-right: 0.5rem"
)
META_STYLE = "color: #59636e; font-size: 0.85rem"
SHORT_TITLE = 60


def _text(value: Any, missing: str = "") -> str:
    """A cell as escaped text; missing values (None, NaN, NaT) become `missing`."""
    if is_missing(value):
        return escape(missing)
    if isinstance(value, pd.Timestamp | dt.datetime):
        value = value.date()
    return escape(str(value), quote=True)


def _badge(kind: str) -> str:
    tint = KIND_TINTS.get(kind, "#eee")
    return (
        f'<span style="{BADGE_STYLE.format(tint=tint)}">{_text(KIND_LABELS.get(kind, kind))}</span>'
    )


def fact_card_html(kind: str, date: Any, org: Any, quote: str, source_title: Any) -> str:
    """One fact as a card: kind, date and organisation, the quote, and where it is from."""
    colour = KIND_COLOURS.get(kind, "#888")
    meta = " · ".join(x for x in (_text(date, "undated"), _text(org)) if x)
    return (
        f'<div style="{CARD_STYLE.format(colour=colour)}">'
        f'{_badge(kind)}<span style="{META_STYLE}">{meta}</span>'
        f'<div style="margin: 0.3rem 0">“{_text(quote)}”</div>'
        f'<div style="{META_STYLE}">Source: {_text(source_title)}</div></div>'
    )


def _short_title(value: Any) -> Any:
    """Long titles (often an article's first sentence) shortened for a compact list."""
    return shorten(value, SHORT_TITLE) if isinstance(value, str) else value


def fact_list_html(frame: pd.DataFrame, field: str) -> str:
    """A compact list of facts: the `field` in bold, then organisation and source."""
    items = [
        f'<li style="margin-bottom: 0.45rem" title="{_text(row.quote)}">'
        f"<b>{_text(getattr(row, field), '(unnamed)')}</b><br>"
        f'<span style="{META_STYLE}">{_text(row.org)} · {_text(_short_title(row.source_title))}</span>'
        "</li>"
        for row in frame.itertuples()
    ]
    return f'<ul style="padding-left: 1.1rem; margin: 0">{"".join(items)}</ul>'


def document_header_html(doc: dict[str, Any]) -> str:
    """An article's title and metadata line; the URL is a link only if it is http(s)."""
    url = doc.get("url")
    link = ""
    if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        link = f' · <a href="{escape(url, quote=True)}" target="_blank" rel="noopener noreferrer">original</a>'
    parts = [
        _text(doc.get("publisher")),
        _text(doc.get("published"), "publication date unknown"),
        f"{_text(doc.get('format'))}, {int(doc.get('chars') or 0):,} characters",
    ]
    meta = " · ".join(p for p in parts if p) + link
    return (
        f'<div style="margin: 0.2rem 0 0.6rem 0"><div style="font-size: 1.2rem; font-weight: 600">'
        f"{_text(doc.get('title'))}</div>"
        f'<div style="{META_STYLE}">{meta}</div></div>'
    )

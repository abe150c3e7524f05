"""The article reading view: source text with every fact highlighted in place, LangExtract style."""

from __future__ import annotations

import html
import operator
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from dashboard.style import KIND_COLOURS, KIND_LABELS, KIND_TINTS, KINDS

# Kinds the style does not know still get a visible, neutral highlight rather than an error.
FALLBACK_TINT = "#e4e4e4"
FALLBACK_COLOUR = "#6b6b6b"
ARTICLE_STYLE = (
    "white-space: pre-wrap; overflow-wrap: anywhere; max-width: 75ch; line-height: 1.6; "
    "font-family: Georgia, 'Iowan Old Style', 'Palatino Linotype', 'Times New Roman', serif; "
    "font-size: 1.05rem"
)
MARK_STYLE = "color: #111; padding: 0 1px; border-radius: 2px"
STRIPE_WIDTH_PX = 6


@dataclass(frozen=True)
class Span:
    """One fact's place in the text: offsets [start, end), its kind and a tooltip label."""

    start: int
    end: int
    kind: str
    label: str


def _tint(kind: str) -> str:
    """Background tint of a kind, neutral grey for kinds the style does not know."""
    return KIND_TINTS.get(kind, FALLBACK_TINT)


def _colour(kind: str) -> str:
    """Strong colour of a kind, neutral grey for kinds the style does not know."""
    return KIND_COLOURS.get(kind, FALLBACK_COLOUR)


def _kind_class(kind: str) -> str:
    """CSS-safe class suffix for a kind, whatever string the data holds."""
    return re.sub(r"[^a-z0-9-]+", "-", str(kind).lower()).strip("-") or "other"


def _kind_order(kind: str) -> tuple[int, str]:
    """Sort key: the house order of kinds first, unknown kinds after, alphabetically."""
    return (KINDS.index(kind), "") if kind in KINDS else (len(KINDS), str(kind))


def _background(kinds: Sequence[str]) -> str:
    """A flat tint for one kind, diagonal stripes of every tint where kinds overlap."""
    if len(kinds) == 1:
        return _tint(kinds[0])
    stops = ", ".join(
        f"{_tint(kind)} {i * STRIPE_WIDTH_PX}px {(i + 1) * STRIPE_WIDTH_PX}px"
        for i, kind in enumerate(kinds)
    )
    return f"repeating-linear-gradient(135deg, {stops})"


def _valid_spans(text: str, spans: Sequence[Span]) -> list[tuple[int, int, int, Span]]:
    """(number, start, end, span) for each span that marks a non-empty range inside the text."""
    valid = []
    for number, span in enumerate(spans, start=1):
        try:
            start, end = operator.index(span.start), operator.index(span.end)
        except (AttributeError, TypeError):
            continue
        if 0 <= start < end <= len(text):
            valid.append((number, start, end, span))
    return valid


def _mark(segment: str, covering: list[tuple[int, int, int, Span]]) -> str:
    """One highlighted segment: class and background from its kinds, title from all its labels."""
    kinds = sorted({span.kind for _, _, _, span in covering}, key=_kind_order)
    classes = " ".join(["fact", *(f"fact-{_kind_class(kind)}" for kind in kinds)])
    title = "\n".join(str(span.label) for _, _, _, span in covering)
    numbers = " ".join(str(number) for number, _, _, _ in covering)
    style = f"background: {_background(kinds)}; {MARK_STYLE}"
    if len(kinds) == 1:
        style += f"; box-shadow: inset 0 -2px 0 {_colour(kinds[0])}"
    return (
        f'<mark class="{classes}" style="{html.escape(style)}" title="{html.escape(title)}"'
        f' data-facts="{numbers}">{html.escape(segment)}</mark>'
    )


def _ref(number: int, span: Span) -> str:
    """The number badge placed after a span's end, matching the fact list on the page."""
    style = (
        f"color: {_colour(span.kind)}; font-weight: 600; font-size: 0.7em; "
        "margin-left: 1px; font-family: system-ui, sans-serif"
    )
    return f'<sup class="fact-ref" style="{html.escape(style)}">{number}</sup>'


def highlight_html(text: str, spans: Sequence[Span]) -> str:
    """The article as escaped HTML, each fact span marked in place and numbered after its end."""
    valid = _valid_spans(text, spans)
    # Split at every span boundary: each segment then has one fixed set of covering spans.
    cuts = sorted(
        {0, len(text)} | {start for _, start, _, _ in valid} | {e for _, _, e, _ in valid}
    )
    parts: list[str] = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        segment = text[left:right]
        covering = [item for item in valid if item[1] <= left and right <= item[2]]
        parts.append(_mark(segment, covering) if covering else html.escape(segment))
        parts.extend(_ref(number, span) for number, _, end, span in valid if end == right)
    return f'<div class="article" style="{html.escape(ARTICLE_STYLE)}">{"".join(parts)}</div>'


def legend_html(counts: Mapping[str, int], overlap: bool = False) -> str:
    """A legend of kind swatches with fact counts, plus the stripe swatch if `overlap` is set."""
    kinds = sorted(set(KINDS) | set(counts), key=_kind_order)
    items = []
    for kind in kinds:
        try:
            count = int(counts.get(kind, 0))
        except (TypeError, ValueError):
            count = 0
        label = KIND_LABELS.get(kind, str(kind).capitalize())
        items.append(
            _legend_item(
                _kind_class(kind), _tint(kind), _colour(kind), f"{label} ({count})", count == 0
            )
        )
    if overlap:
        stripes = _background(KINDS)
        items.append(_legend_item("overlap", stripes, "#777", "Several facts", False))
    style = (
        "display: flex; flex-wrap: wrap; gap: 0.35rem 1.1rem; align-items: center; "
        "font-size: 0.9rem; margin: 0.25rem 0 0.75rem"
    )
    return f'<div class="fact-legend" style="{style}">{"".join(items)}</div>'


def _legend_item(css: str, background: str, border: str, text: str, muted: bool) -> str:
    """One legend entry: a swatch styled like the highlight, then its label."""
    swatch = (
        f"display: inline-block; width: 1.1em; height: 1.1em; background: {background}; "
        f"border: 2px solid {border}; border-radius: 3px"
    )
    item = "display: inline-flex; align-items: center; gap: 0.4rem"
    if muted:
        item += "; opacity: 0.55"
    return (
        f'<span class="legend-item legend-{css}" style="{item}">'
        f'<span aria-hidden="true" style="{html.escape(swatch)}"></span>{html.escape(text)}</span>'
    )


def spans_of(facts: pd.DataFrame) -> list[Span]:
    """Highlight spans of facts with kind, start_offset, end_offset and a one-line summary."""
    return [
        Span(int(r.start_offset), int(r.end_offset), r.kind, f"{KIND_LABELS[r.kind]}: {r.summary}")
        for r in facts.itertuples()
    ]


def overlapping(spans: Sequence[Span]) -> bool:
    """Whether spans of different kinds share characters (the legend then explains stripes)."""
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    for i, first in enumerate(ordered):
        for later in ordered[i + 1 :]:
            if later.start >= first.end:
                break
            if later.kind != first.kind:
                return True
    return False

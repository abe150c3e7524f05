"""Pure figure builders (frame -> plotly Figure) so pages hold no styling and charts are testable.

Every string that comes from article data goes through `_escaped` or `_wrapped` first: plotly.js
renders a subset of HTML (<a href>, <b>, <br>) in hover text, legends, labels and annotations,
and the articles are untrusted.
"""

from __future__ import annotations

import collections
import functools
import html
import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from dashboard.style import CATEGORIES, KIND_COLOURS, STATUS_SYMBOLS, UNITS, shorten
from etl.export import is_missing

NOT_STATED = "Not stated"
UNDATED = "Undated"
CAPTION_NAME = "source-caption"
EMPTY_NAME = "empty-state"

_TEMPLATE = "plotly_white"
_HEIGHT = 460
_CAPTION_TITLES = 3
_CAPTION_TITLE_CHARS = 50
_HOVER_WIDTH = 70
_HOVER_LIMIT = 400
_CAPTION_WIDTH = 120
_MUTED = "#6b6b6b"
# Colour-blind-safe qualitative palette (plotly's "Safe"), assigned to organisations in name order.
_ORG_PALETTE = (
    "#88CCEE", "#CC6677", "#DDCC77", "#117733", "#332288", "#AA4499",
    "#44AA99", "#999933", "#882255", "#661100", "#6699CC",
)  # fmt: skip
_STATUS_LABELS = {
    "planned": "Planned (hollow)",
    "operational": "Operational (filled)",
    "unspecified": "Status not stated",
}
_PRECISION_FORMATS = {"day": "%d %b %Y", "month": "%b %Y", "year": "%Y"}


def _plain(value: Any, missing: str = NOT_STATED) -> str:
    """The value as stripped text, or `missing` when absent or blank."""
    if is_missing(value):
        return missing
    text = str(value).strip()
    return text or missing


def _escape(text: str) -> str:
    """HTML-escape for plotly.js, which decodes numeric entities but not the named `&quot;`."""
    return html.escape(text, quote=True).replace("&quot;", "&#34;")


def _escaped(value: Any, missing: str = NOT_STATED) -> str:
    """Untrusted data as text safe for plotly labels, legends, ticks and hovers."""
    return _escape(_plain(value, missing))


def _wrapped(
    value: Any, width: int = _HOVER_WIDTH, limit: int = _HOVER_LIMIT, missing: str = ""
) -> str:
    """Untrusted text capped, wrapped at word boundaries, escaped chunk by chunk, joined by <br>."""
    text = shorten(" ".join(_plain(value, missing).split()), limit)
    return "<br>".join(_escape(chunk) for chunk in _wrap_words(text, width)) or _escape(text)


def _wrap_words(text: str, width: int) -> list[str]:
    """Greedy word wrap (a word longer than a line is cut): textwrap's result for our one-space
    text at a fraction of its cost, which matters for a chart's thousands of hover texts."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        while len(word) > width:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        if not word:
            continue
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def source_caption(sources: Sequence[str]) -> str:
    """Plain-text caption naming the sources a figure draws from (escape it before rendering)."""
    titles = list(dict.fromkeys(_plain(s, "") for s in sources if not is_missing(s)))
    titles = [shorten(t, _CAPTION_TITLE_CHARS) for t in titles if t]
    if not titles:
        return ""
    label = "Source" if len(titles) == 1 else "Sources"
    shown = "; ".join(titles[:_CAPTION_TITLES])
    extra = len(titles) - _CAPTION_TITLES
    return f"{label}: {shown}" + (f" and {extra} more" if extra > 0 else "")


def _org_colours(orgs: Sequence[str]) -> dict[str, str]:
    """A colour per organisation, by name order so one figure colours an org the same everywhere."""
    named = sorted({o for o in orgs if o != NOT_STATED}, key=str.casefold)
    colours = {org: _ORG_PALETTE[i % len(_ORG_PALETTE)] for i, org in enumerate(named)}
    if NOT_STATED in orgs:
        colours[NOT_STATED] = "#9e9e9e"
    return colours


def _rgba(hex_colour: str, alpha: float) -> str:
    """A #rrggbb colour as an rgba() string, for translucent Sankey links."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _date_label(date: Any, precision: Any, phrase: Any) -> str:
    """Escaped date at its stored precision, followed by the article's own phrase for it."""
    quoted = "" if is_missing(phrase) else f"“{_escaped(phrase)}”"
    if is_missing(date):
        return f"{UNDATED} ({quoted})" if quoted else UNDATED
    stamp = pd.Timestamp(date)
    if precision == "quarter":
        shown = f"Q{stamp.quarter} {stamp.year}"
    else:
        shown = stamp.strftime(_PRECISION_FORMATS.get(precision, "%d %b %Y"))
    return f"{shown} ({quoted})" if quoted else shown


def _has_rows(frame: pd.DataFrame | None) -> bool:
    """True when the frame exists and holds at least one row."""
    return frame is not None and not frame.empty


def _dates(frame: pd.DataFrame) -> pd.Series:
    """The frame's date column as datetimes (NaT where undated), whatever type it arrived as."""
    if "date" not in frame:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    return pd.to_datetime(frame["date"], errors="coerce")


def _add_caption(fig: go.Figure, sources: Sequence[str], shift: int, width: int) -> None:
    """Put the escaped source caption under the plot, growing the bottom margin to fit it."""
    caption = source_caption(sources)
    lines = 0
    if caption:
        text = _wrapped(caption, width=width, limit=len(caption))
        lines = text.count("<br>") + 1
        fig.add_annotation(
            name=CAPTION_NAME,
            text=text,
            showarrow=False,
            align="left",
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            xanchor="left",
            yanchor="top",
            yshift=-shift,
            font={"size": 11, "color": _MUTED},
        )
    fig.update_layout(margin={"l": 70, "r": 30, "t": 80, "b": shift + 20 + 16 * lines})


def _finish(
    fig: go.Figure,
    title: str,
    sources: Sequence[str],
    height: int = _HEIGHT,
    shift: int = 60,
    caption_width: int = _CAPTION_WIDTH,
) -> go.Figure:
    """Apply the shared layout: template, title, height and the source caption."""
    fig.update_layout(
        # The template itself, not its name: an unvalidated figure (see _Grid.figure) would
        # send the bare name, which only Python's plotly can resolve.
        template=pio.templates[_TEMPLATE],
        title={"text": title, "x": 0, "xanchor": "left"},
        height=height,
        hoverlabel={"align": "left"},
        legend={"traceorder": "grouped"},
    )
    _add_caption(fig, sources, shift, caption_width)
    return fig


def _empty_figure(title: str, message: str, sources: Sequence[str]) -> go.Figure:
    """A friendly empty state: hidden axes and a centred message instead of a blank or an error."""
    fig = go.Figure()
    fig.add_annotation(
        name=EMPTY_NAME,
        text=_escape(message),
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        font={"size": 16, "color": _MUTED},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _finish(fig, title, sources, height=420, shift=10)


def _legend_entry(
    name: str, group: str, marker: dict[str, Any], group_title: str = ""
) -> dict[str, Any]:
    """A data-less trace (as a dict) that only explains a colour or symbol in the legend."""
    return {
        "type": "scatter",
        "x": [None],
        "y": [None],
        "mode": "markers",
        "name": name,
        "legendgroup": group,
        "marker": marker,
        "showlegend": True,
        "hoverinfo": "skip",
        "legendgrouptitle": {"text": group_title},
    }


def _unit_title(unit: str) -> str:
    """Y-axis title for a quantity unit, naming the measure so GPUs and equivalents stay apart."""
    return f"{_escape(unit)} (count)"


# The columns every hover ends with: when, as written, the quote and its source.
_GROUNDING = ("date", "date_precision", "date_phrase", "quote", "source_title")


def _hover_table(rows: list[list[str]]) -> np.ndarray:
    """Hover texts as one object array: plotly checks an array at once, where a list of lists
    is checked cell by cell (a third of a 2,000-point chart's build time)."""
    table = np.empty((len(rows), len(rows[0]) if rows else 0), dtype=object)
    for i, row in enumerate(rows):
        table[i] = row
    return table


def _records(frame: pd.DataFrame, columns: Sequence[str]) -> list[Any]:
    """The rows as named tuples of plain values: much quicker than `itertuples` on Arrow-backed
    columns, which matters for a chart's thousands of hover texts."""
    row = collections.namedtuple("Row", columns)
    return [row(*values) for values in zip(*(frame[c].tolist() for c in columns), strict=True)]


LOG_SPAN = 100  # counts in one unit spanning this factor or more get a logarithmic axis


def _marker_sizes(part: pd.DataFrame) -> list[float] | float:
    """Markers grow with a claim's support (independent sources); plain facts are all alike."""
    if "support" not in part.columns:
        return 11
    return [9 + 5 * math.sqrt(max(int(n), 1) - 1) for n in part["support"]]


def _compute_hover(rows: pd.DataFrame) -> list[list[str]]:
    """Escaped hover fields per fact: org, quantity, unit, chip, status, date, quote, source."""
    return [
        [
            _escaped(r.org),
            f"{int(r.quantity):,}",
            _escaped(r.unit),
            _escaped(r.chip),
            _escaped(r.status),
            _date_label(r.date, r.date_precision, r.date_phrase),
            _wrapped(r.quote),
            _wrapped(r.source_title, missing="Unknown source") + _support_note(rows, i),
        ]
        for i, r in enumerate(
            _records(rows, ("org", "quantity", "unit", "chip", "status", *_GROUNDING))
        )
    ]


def _support_note(rows: pd.DataFrame, i: int) -> str:
    if "support" not in rows.columns:
        return ""
    n, reports = int(rows["support"].iloc[i]), int(rows["reports"].iloc[i])
    more = f", {reports} articles in all" if reports != n else ""
    return f"<br>Reported by {n} independent source{'s' if n != 1 else ''}{more}"


_COMPUTE_HOVER = (
    "<b>%{customdata[0]}</b><br>%{customdata[1]} %{customdata[2]} · chip: %{customdata[3]}"
    "<br>Status: %{customdata[4]}<br>Date: %{customdata[5]}<br><br>“%{customdata[6]}”"
    "<br><br><i>%{customdata[7]}</i><extra></extra>"
)


def _compute_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Plottable compute facts with gaps filled: quantity and unit are needed, the rest optional."""
    rows = frame.reset_index(drop=True)  # unique labels: undated x positions are keyed on them
    rows["date"] = _dates(rows)
    rows["quantity"] = pd.to_numeric(rows["quantity"], errors="coerce")
    rows = rows[rows["quantity"].notna() & rows["unit"].map(lambda u: not is_missing(u))]
    rows = rows.assign(
        org=rows["org"].map(_plain),
        unit=rows["unit"].map(str),
        status=rows["status"].map(lambda s: s if s in STATUS_SYMBOLS else "unspecified"),
    )
    return rows.sort_values(["org", "date", "quantity"], na_position="last", kind="stable")


@functools.lru_cache(maxsize=16)
def _subplot_layout(rows: int, cols: int, options: str) -> tuple[str, tuple]:
    """make_subplots' layout (as JSON, without the template) and each cell's axis names.

    Cached: building and copying plotly's subplot figure costs more than the rest of a chart.
    """
    fig = make_subplots(rows=rows, cols=cols, **json.loads(options))
    layout = fig.layout.to_plotly_json()
    layout.pop("template", None)
    axes = tuple(
        ((r, c), (sp.xaxis.plotly_name, sp.yaxis.plotly_name))
        for r in range(1, rows + 1)
        for c in range(1, cols + 1)
        if (sp := fig.get_subplot(r, c)) is not None
    )
    return json.dumps(layout), axes


class _Grid:
    """A subplot grid edited as plain dicts, then made into one figure at the end.

    Each `add_trace(row=, col=)` or `update_yaxes(row=)` on a plotly figure walks its property
    machinery; a few dozen of them cost a third of a second, where building the same figure
    from a finished dict takes a few milliseconds.
    """

    def __init__(self, rows: int, cols: int, **options: Any) -> None:
        layout, axes = _subplot_layout(rows, cols, json.dumps(options, sort_keys=True))
        self.layout = json.loads(layout)
        self.layout.setdefault("annotations", [])
        self.traces: list[dict[str, Any]] = []
        self.axes = dict(axes)

    @staticmethod
    def ref(axis_name: str) -> str:
        return axis_name.replace("axis", "")  # "xaxis2" -> "x2"

    def add_trace(self, trace: dict[str, Any], row: int, col: int) -> None:
        x, y = self.axes[(row, col)]
        self.traces.append({**trace, "xaxis": self.ref(x), "yaxis": self.ref(y)})

    def add_annotation(self, row: int, col: int, **annotation: Any) -> None:
        x, y = self.axes[(row, col)]
        refs = {"xref": f"{self.ref(x)} domain", "yref": f"{self.ref(y)} domain"}
        self.layout["annotations"].append({**annotation, **refs})

    def update_axes(self, which: int, row: int | None = None, col: int | None = None, **props):
        """Update x (which=0) or y (which=1) axes of the cells matching `row` and `col`."""
        for (r, c), names in self.axes.items():
            if (row is None or r == row) and (col is None or c == col):
                self.layout.setdefault(names[which], {}).update(props)

    def figure(self) -> go.Figure:
        # Unvalidated: every trace and layout key here is written by this module, and
        # validating a few hundred traces would cost more than building the chart.
        return go.Figure({"data": self.traces, "layout": self.layout}, _validate=False)


def compute_buildout_figure(frame: pd.DataFrame, sources: Sequence[str]) -> go.Figure:
    """GPU counts over time per organisation, one row per unit so GPUs and equivalents never mix."""
    title = "AI compute build-out by organisation"
    rows = _compute_rows(frame) if _has_rows(frame) else frame
    if not _has_rows(rows):
        return _empty_figure(title, "No compute facts match these filters", sources)
    present = set(rows["unit"])
    units = [u for u in UNITS if u in present] + sorted(present - set(UNITS))
    # Points that summarise many facts (a "facts" count per point) are not joined by lines:
    # statuses and periods interleave, and the lines would only zigzag.
    join = "facts" not in frame.columns
    colours = _org_colours(list(rows["org"]))
    hover = dict(zip(rows.index, _compute_hover(rows), strict=True))  # once, not per trace
    grid = _Grid(
        len(units),
        2,
        column_widths=[0.84, 0.16],
        shared_yaxes=True,
        shared_xaxes=False,  # plotly.js mis-draws matched x axes that carry a fixed range
        horizontal_spacing=0.02,
        vertical_spacing=0.12,
        column_titles=["Dated facts", UNDATED],
    )
    for row, unit in enumerate(units, start=1):
        in_unit = rows[rows["unit"] == unit]
        dated, undated = in_unit[in_unit["date"].notna()], in_unit[in_unit["date"].isna()]
        # Undated points are spread across their narrow column so no fact hides behind another.
        step = 0.7 / max(len(undated) - 1, 1)
        spread = pd.Series(
            [0.0] if len(undated) == 1 else [-0.35 + i * step for i in range(len(undated))],
            index=undated.index,
            dtype=float,
        )
        by_org = {col: dict(list(part.groupby("org"))) for col, part in ((1, dated), (2, undated))}
        for org in sorted(set(in_unit["org"]), key=str.casefold):
            style = {"color": colours[org], "line": {"width": 2, "color": colours[org]}}
            for col in (1, 2):
                part = by_org[col].get(org)
                if part is None or part.empty:
                    continue
                marker = {
                    **style,
                    "symbol": [STATUS_SYMBOLS[s] for s in part["status"]],
                    "size": _marker_sizes(part),
                }
                x = part["date"].dt.strftime("%Y-%m-%d") if col == 1 else spread[part.index]
                grid.add_trace(
                    {
                        "type": "scatter",
                        "x": list(x),
                        "y": [int(q) for q in part["quantity"]],
                        "name": _escape(org),
                        "mode": "lines+markers"
                        if col == 1 and join and len(part) > 1
                        else "markers",
                        "line": {"color": colours[org], "width": 1.5},
                        "marker": marker,
                        "legendgroup": f"org:{_escape(org)}",
                        "showlegend": False,
                        "customdata": _hover_table([hover[i] for i in part.index]),
                        "hovertemplate": _COMPUTE_HOVER,
                    },
                    row=row,
                    col=col,
                )
        if dated.empty:
            # plotly.js leaves a subplot without traces undrawn: give it an empty one.
            grid.add_trace(
                {"type": "scatter", "x": [], "y": [], "showlegend": False, "hoverinfo": "skip"},
                row=row,
                col=1,
            )
            grid.add_annotation(
                row,
                1,
                text="No dated facts in this unit",
                showarrow=False,
                x=0.5,
                y=0.5,
                font={"color": _MUTED},
            )
        grid.update_axes(1, row=row, col=1, title={"text": _unit_title(unit)})
        lo_q, hi_q = float(in_unit["quantity"].min()), float(in_unit["quantity"].max())
        if lo_q > 0 and hi_q / lo_q >= LOG_SPAN:
            # Counts spanning 100x or more: a linear axis would flatten the small ones to zero.
            span = [math.log10(lo_q / 1.6), math.log10(hi_q * 1.6)]
            grid.update_axes(1, row=row, type="log", range=span)
        else:
            # Headroom above the largest value so its marker is not cut by the plot's edge.
            grid.update_axes(1, row=row, range=[0, hi_q * 1.15], rangemode="tozero")
    for i, org in enumerate(sorted(colours, key=str.casefold)):
        marker = {"color": colours[org], "size": 11, "symbol": "square"}
        # Each organisation is its own group (a click hides its points); one title heads them.
        title_text = "" if i else "Organisation"
        grid.traces.append(_legend_entry(_escape(org), f"org:{_escape(org)}", marker, title_text))
    for status in [s for s in STATUS_SYMBOLS if s in set(rows["status"])]:
        marker = {
            "color": _MUTED,
            "size": 11,
            "symbol": STATUS_SYMBOLS[status],
            "line": {"width": 2},
        }
        grid.traces.append(_legend_entry(_STATUS_LABELS[status], "status", marker, "Status"))
    grid.update_axes(1, tickformat=",")
    any_dated = bool(rows["date"].notna().any())
    grid.update_axes(0, col=1, type="date", showticklabels=any_dated)
    if any_dated:  # one time range for every row, so the rows line up as if shared
        lo, hi = rows["date"].min(), rows["date"].max()
        pad = max((hi - lo) * 0.05, pd.Timedelta(days=45))
        grid.update_axes(0, col=1, range=[(lo - pad).isoformat(), (hi + pad).isoformat()])
    if any_dated:
        grid.update_axes(0, row=len(units), col=1, title={"text": "Date of fact"})
    grid.update_axes(
        0, col=2, range=[-0.5, 0.5], tickvals=[0], ticktext=[UNDATED], showgrid=False,
        zeroline=False,
    )  # fmt: skip
    fig = grid.figure()
    fig.update_layout(legend={"tracegroupgap": 14})
    return _finish(fig, title, sources, height=440 if len(units) == 1 else 540, shift=78)


def _flow_rows(flows: pd.DataFrame) -> pd.DataFrame:
    """Hires summed per (origin, destination); missing orgs named, invalid counts dropped."""
    rows = pd.DataFrame(
        {
            "from_org": flows["from_org"].map(_plain),
            "to_org": flows["to_org"].map(_plain),
            "people": pd.to_numeric(flows["people"], errors="coerce"),
        }
    )
    rows = rows[rows["people"] > 0].groupby(["from_org", "to_org"], as_index=False)["people"].sum()
    return rows.sort_values(["people", "from_org", "to_org"], ascending=[False, True, True])


def _ranked(rows: pd.DataFrame, column: str) -> list[str]:
    """Org names in a column ordered by people (most first), then by name, for stable layouts."""
    totals = rows.groupby(column)["people"].sum()
    return sorted(totals.index, key=lambda org: (-totals[org], org.casefold()))


def talent_flow_figure(flows: pd.DataFrame, sources: Sequence[str]) -> go.Figure:
    """Sankey of people moving between organisations, origins left and destinations right."""
    title = "Talent flow between organisations"
    rows = _flow_rows(flows) if _has_rows(flows) else flows
    if not _has_rows(rows):
        return _empty_figure(title, "No hires match these filters", sources)
    # Origins and destinations are separate nodes, so an org on both sides never makes a cycle.
    origins, destinations = _ranked(rows, "from_org"), _ranked(rows, "to_org")
    index = {("from", o): i for i, o in enumerate(origins)}
    index |= {("to", o): len(origins) + i for i, o in enumerate(destinations)}
    colours = _org_colours(origins + destinations)
    people = [int(p) for p in rows["people"]]
    link_labels = [
        f"{_escape(a)} → {_escape(b)}: {n:,} {'person' if n == 1 else 'people'}"
        for a, b, n in zip(rows["from_org"], rows["to_org"], people, strict=True)
    ]
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": [_escape(o) for o in origins + destinations],
                "color": [colours[o] for o in origins + destinations],
                "pad": 18,
                "thickness": 18,
                "line": {"width": 0},
                "hovertemplate": "%{label}: %{value:,} people<extra></extra>",
            },
            link={
                "source": [index[("from", o)] for o in rows["from_org"]],
                "target": [index[("to", o)] for o in rows["to_org"]],
                "value": people,
                "color": [_rgba(colours[o], 0.35) for o in rows["from_org"]],
                "customdata": link_labels,
                "hovertemplate": "%{customdata}<extra></extra>",
            },
        )
    )
    for x, anchor, text in ((0, "left", "Hired from"), (1, "right", "Hired to")):
        fig.add_annotation(
            text=f"<b>{text}</b>",
            showarrow=False,
            xref="paper",
            yref="paper",
            x=x,
            y=1.06,
            xanchor=anchor,
            font={"color": _MUTED},
        )
    fig.update_layout(title_subtitle_text="Link width = people hired")
    return _finish(fig, title, sources, shift=10)


def destinations_figure(counts: pd.DataFrame, sources: Sequence[str]) -> go.Figure:
    """Horizontal bars of people hired per destination organisation, most first."""
    title = "Hires by destination organisation"
    rows = pd.DataFrame()
    if _has_rows(counts):
        rows = pd.DataFrame(
            {
                "to_org": counts["to_org"].map(_plain),
                "people": pd.to_numeric(counts["people"], errors="coerce"),
            }
        )
        rows = rows[rows["people"] > 0].groupby("to_org", as_index=False)["people"].sum()
    if rows.empty:
        return _empty_figure(title, "No hires match these filters", sources)
    order = _ranked(rows, "to_org")
    totals = rows.set_index("to_org")["people"]
    labels = [_escape(o) for o in order]
    fig = go.Figure(
        go.Bar(
            x=[int(totals[o]) for o in order],
            y=labels,
            orientation="h",
            marker={"color": KIND_COLOURS["hire"]},
            texttemplate="%{x:,}",
            textposition="outside",
            hovertemplate="%{y}: %{x:,} people<extra></extra>",
            cliponaxis=False,
        )
    )
    fig.update_layout(bargap=0.45)
    fig.update_xaxes(title_text="People hired (count)", rangemode="tozero", tickformat=",")
    fig.update_yaxes(
        title_text="Destination organisation",
        categoryorder="array",
        categoryarray=labels,
        autorange="reversed",
    )
    height = max(420, min(520, 160 + 40 * len(order)))
    # This chart sits in a narrow column beside the talent flow: wrap its caption sooner.
    return _finish(fig, title, sources, height=height, caption_width=_CAPTION_WIDTH // 2)


_ANNOUNCEMENT_HOVER = (
    "<b>%{customdata[0]}</b><br>%{customdata[1]} · %{customdata[2]}<br>Date: %{customdata[3]}"
    "<br><br>“%{customdata[4]}”<br><br><i>%{customdata[5]}</i><extra></extra>"
)


def announcement_timeline_figure(frame: pd.DataFrame, sources: Sequence[str]) -> go.Figure:
    """Dated announcements on a timeline, one fixed row per category, coloured by organisation."""
    title = "Announcements over time"
    rows = pd.DataFrame()
    if _has_rows(frame):
        rows = frame.assign(date=_dates(frame))
        rows = rows[rows["date"].notna()]
    if rows.empty:
        return _empty_figure(title, "No dated announcements match these filters", sources)
    rows = rows.assign(
        org=rows["org"].map(_plain),
        category=rows["category"].map(lambda c: c if c in CATEGORIES else "other"),
    ).sort_values(["date", "org"], kind="stable")
    colours = _org_colours(list(rows["org"]))
    traces = []  # plain dicts, made into a figure once: much quicker than add_trace per org
    for org, part in sorted(rows.groupby("org", sort=False), key=lambda g: g[0].casefold()):
        hover = [
            [
                _wrapped(r.subject, missing="Untitled"),
                _escaped(r.org),
                _escaped(r.category),
                _date_label(r.date, r.date_precision, r.date_phrase),
                _wrapped(r.quote),
                _wrapped(r.source_title, missing="Unknown source"),
            ]
            for r in _records(part, ("subject", "org", "category", *_GROUNDING))
        ]
        traces.append(
            {
                "type": "scatter",
                "x": part["date"].dt.strftime("%Y-%m-%d").to_numpy(dtype=object),
                "y": part["category"].to_numpy(dtype=object),
                "mode": "markers",
                "name": _escape(org),
                "customdata": _hover_table(hover),
                "marker": {
                    "color": colours[org],
                    "size": 12,
                    "line": {"width": 1, "color": "white"},
                },
                "hovertemplate": _ANNOUNCEMENT_HOVER,
            }
        )
    categories = list(CATEGORIES) + (["other"] if "other" in set(rows["category"]) else [])
    layout = {
        "xaxis": {"title": {"text": "Date announced"}, "type": "date"},
        "yaxis": {
            "title": {"text": "Category"},
            "categoryorder": "array",
            "categoryarray": categories,
            "range": [-0.5, len(categories) - 0.5],
            "type": "category",
        },
        "legend": {"title": {"text": "Organisation"}},
    }
    # Unvalidated, as in _Grid.figure: every key is written here, and checking 2,000 points'
    # hover texts cell by cell cost a third of the chart's build time.
    fig = go.Figure({"data": traces, "layout": layout}, _validate=False)
    return _finish(fig, title, sources)

"""Small Streamlit building blocks the pages share: fact tables, downloads, empty states."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import data, export
from dashboard.data import Rows

# How each column of a fact frame is shown; the CSV keeps the raw column names.
COLUMNS = {
    "kind": st.column_config.TextColumn("Kind"),
    "org": st.column_config.TextColumn("Organisation"),
    "chip": st.column_config.TextColumn("Chip"),
    "quantity": st.column_config.NumberColumn("Quantity", format="localized"),
    "unit": st.column_config.TextColumn("Unit"),
    "status": st.column_config.TextColumn("Status"),
    "person": st.column_config.TextColumn("Person"),
    "from_org": st.column_config.TextColumn("From"),
    "to_org": st.column_config.TextColumn("To"),
    "role": st.column_config.TextColumn("Role"),
    "subject": st.column_config.TextColumn("Subject"),
    "category": st.column_config.TextColumn("Category"),
    "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD", width=100),
    "date_precision": st.column_config.TextColumn("Precision"),
    "date_phrase": st.column_config.TextColumn("Date as written"),
    "confidence": st.column_config.NumberColumn(
        "Confidence", format="%.2f", help="How likely the fact is right, from its evidence"
    ),
    "review_status": st.column_config.TextColumn(
        "Review",
        help="unreviewed, verified, rejected, corrected (values shown are the "
        "analyst's) or added by an analyst",
    ),
    "extracted_values": st.column_config.TextColumn(
        "As extracted", help="For a corrected fact: the values the extractor had found"
    ),
    "review_note": st.column_config.TextColumn("Review note"),
    "support": st.column_config.NumberColumn("Support", help="Independent sources"),
    "sources": st.column_config.NumberColumn("Sources"),
    "first_seen": st.column_config.DateColumn("First seen", format="YYYY-MM-DD"),
    "last_seen": st.column_config.DateColumn("Last seen", format="YYYY-MM-DD"),
    "claim_id": st.column_config.TextColumn("Claim id"),
    "quote": st.column_config.TextColumn("Quote", width="large"),
    "source_title": st.column_config.TextColumn("Source"),
    "source_id": st.column_config.TextColumn("Source id"),
    "fact_id": st.column_config.TextColumn("Fact id"),
    "title": st.column_config.TextColumn("Title", width="medium"),
    "publisher": st.column_config.TextColumn("Publisher"),
    "published": st.column_config.DateColumn("Published", format="YYYY-MM-DD"),
    "url": st.column_config.LinkColumn("URL"),
    "format": st.column_config.TextColumn("Format"),
    "chars": st.column_config.NumberColumn("Characters", format="localized"),
    "compute": st.column_config.NumberColumn("Compute"),
    "hire": st.column_config.NumberColumn("Hires"),
    "announcement": st.column_config.NumberColumn("Announcements"),
    "facts": st.column_config.NumberColumn("Facts"),
    "warnings": st.column_config.TextColumn("Warnings"),
    "people": st.column_config.NumberColumn("People"),
    "summary": st.column_config.TextColumn("Fact", width="medium"),
    "n": st.column_config.NumberColumn("#", width="small"),
    "start_offset": st.column_config.NumberColumn("Start"),
    "end_offset": st.column_config.NumberColumn("End"),
}


def table_with_download(
    rows: Rows | pd.DataFrame,
    columns: Sequence[str],
    page: str,
    on_row_select: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """Show `columns` of the rows and offer exactly those columns of all the rows as a CSV.

    A long listing shows its first rows (data.TABLE_ROWS) and says so; its download still
    holds every row under the filters, fetched only when clicked. With `on_row_select`,
    clicking a row calls it with the row's position.
    """
    if isinstance(rows, pd.DataFrame):
        frame, total = rows, len(rows)

        def download() -> bytes:
            return export.csv_bytes(rows.loc[:, list(columns)])
    else:
        frame, total = rows.frame, rows.total

        def download() -> bytes:  # written by DuckDB, neutralised in SQL
            return data.csv_bytes(rows.everything_query, columns)

    shown = frame.loc[:, list(columns)]
    table_key = f"table-{page}"

    def selected() -> None:
        picked = st.session_state[table_key].selection.rows
        if picked and on_row_select:
            on_row_select(picked[0])

    st.dataframe(
        shown,
        column_config={c: COLUMNS[c] for c in columns if c in COLUMNS},
        hide_index=True,
        width="stretch",
        placeholder="—",
        key=table_key,
        on_select=selected if on_row_select else "ignore",
        selection_mode="single-row",
    )
    left, right = st.columns([3, 1], vertical_alignment="center")
    if total > len(shown):
        left.caption(
            f"Showing the first {len(shown):,} of {total:,} rows. The CSV has all {total:,}."
        )
    else:
        left.caption(f"{total:,} {'row' if total == 1 else 'rows'}")
    right.download_button(
        "Download CSV",
        data=download,
        file_name=export.download_name(page, "csv"),
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key=f"csv-{page}",
        width="stretch",
        help=f"All {total:,} rows under the filters, with the columns shown",
    )
    return shown


def chart(figure: go.Figure, key: str) -> None:
    """A Plotly figure at the page's width, without Plotly's logo link."""
    st.plotly_chart(
        figure, key=key, width="stretch", config={"displaylogo": False, "scrollZoom": False}
    )


def nothing_matches(what: str) -> None:
    """The friendly empty state for a filter that leaves nothing."""
    st.info(
        f"No {what} match these filters. Widen the date range, include undated facts, "
        "or clear the source and organisation filters in the sidebar.",
        icon=":material/filter_alt_off:",
    )


def iso_day(value: object, missing: str = "undated") -> str:
    """A date cell as YYYY-MM-DD, or `missing` for NULL, NaT and NaN."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return missing
    return pd.Timestamp(value).date().isoformat()


def report_html(quote: str, source_title: str, published: object, copy_of: object = None) -> str:
    """One report behind a claim: its quote, then its article and publication date (escaped)."""
    where = f"{source_title} · {iso_day(published)}"
    if isinstance(copy_of, str):
        where += f" · a copy of {copy_of}"
    return (
        "<blockquote style='margin:0 0 .4rem 0;font-size:.9rem'>“"
        f"{html.escape(quote)}”<br><small>{html.escape(where)}</small></blockquote>"
    )

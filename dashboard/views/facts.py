"""Facts explorer: every fact, searchable and sortable, with downloads of what is shown."""

import streamlit as st

from dashboard import data, export
from dashboard.components import nothing_matches, table_with_download
from dashboard.filters import current_view
from dashboard.review import review_panel, show_done
from dashboard.startup import Paths
from dashboard.style import KIND_LABELS, KINDS

view = current_view()
st.title("Facts explorer", anchor=False)
show_done()
search, kinds, sort, order = st.columns([3, 3, 2, 1.5], vertical_alignment="bottom")
query = search.text_input(
    "Search",
    key="q",
    bind="query-params",
    placeholder="Quote, organisation, person or subject",
    help="Matches the text literally, ignoring case.",
)
picked_kinds = kinds.pills(
    "Kinds",
    KINDS,
    selection_mode="multi",
    format_func=KIND_LABELS.__getitem__,
    key="kind",
    bind="query-params",
)
sort_by = sort.selectbox("Sort by", list(data.SORTS), key="sort", bind="query-params")
descending = order.toggle("Descending", value=True, key="desc", bind="query-params")

found = data.search_facts(
    view.db, view.filters, query.strip(), tuple(picked_kinds), sort_by, descending
)
if not found.total:
    nothing_matches("facts")
    st.stop()
COLUMNS = ["kind", "date", "org", "summary", "confidence", "review_status", "extracted_values",
           "quote", "source_title", "fact_id"]  # fmt: skip


def pick_fact(row: int) -> None:
    """A clicked row opens its review controls below the table."""
    st.session_state["explorer_review_fact"] = found.frame["fact_id"].iloc[row]


table_with_download(found, COLUMNS, page="facts", on_row_select=pick_fact)
chosen = st.session_state.get("explorer_review_fact")
if chosen in set(found.frame["fact_id"]):
    review_panel(Paths.from_env(), view.db, chosen)
else:
    st.caption("Click a row to verify, reject or correct that fact.")
parquet, everything = st.columns(2)
parquet.download_button(
    "Download Parquet",
    data=lambda: export.parquet_bytes(found.everything().loc[:, COLUMNS]),
    file_name=export.download_name("facts", "parquet"),
    mime="application/vnd.apache.parquet",
    icon=":material/download:",
    on_click="ignore",
    width="stretch",
)
everything.download_button(
    "Download everything (zip)",
    data=lambda: export.zip_bytes(data.table_frames(view.db)),
    file_name=export.download_name("all-tables", "zip"),
    mime="application/zip",
    icon=":material/folder_zip:",
    on_click="ignore",
    width="stretch",
    help="Every table of the database (sources, facts, build history) as CSV files.",
)

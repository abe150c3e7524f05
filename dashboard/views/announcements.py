"""Announcements: a timeline by date and category, with undated ones listed beside it."""

import streamlit as st

from dashboard import charts, data
from dashboard.cards import fact_list_html
from dashboard.components import chart, nothing_matches, table_with_download
from dashboard.filters import current_view

view = current_view()
st.title("Announcements", anchor=False)
st.caption("Models, products, reorganisations, investments, infrastructure and events.")
table = data.announcement_facts(view.db, view.filters)
if not table.total:
    nothing_matches("announcements")
    st.stop()
dated = data.dated_announcements(view.db, view.filters)
undated = data.undated_announcements(view.db, view.filters)
timeline, side = st.columns([3, 1]) if undated.total else (st.container(), None)
with timeline:
    points = dated.frame
    chart(
        charts.announcement_timeline_figure(points, points["source_title"].unique().tolist()),
        "timeline",
    )
    if dated.capped:
        st.caption(f"The latest {len(points):,} of {dated.total:,} dated announcements.")
if side is not None:
    with side:
        st.markdown(f"**Undated ({undated.total:,})**")
        st.html(fact_list_html(undated.frame, "subject"))
        if undated.capped:
            st.caption(f"The {len(undated.frame)} most recently published; all are in the table.")
st.subheader("All announcements", anchor=False)
table_with_download(
    table,
    [
        "date",
        "org",
        "subject",
        "category",
        "date_phrase",
        "confidence",
        "review_status",
        "extracted_values",
        "quote",
        "source_title",
        "fact_id",
    ],
    page="announcements",
)

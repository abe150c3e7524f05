"""Announcements: a timeline by date and category, with undated ones listed beside it."""

import streamlit as st

from dashboard import charts, data
from dashboard.cards import fact_list_html
from dashboard.components import chart, nothing_matches, table_with_download
from dashboard.filters import current_view

view = current_view()
st.title("Announcements", anchor=False)
st.caption("Models, products, reorganisations, investments, infrastructure and events.")
frame = data.announcement_facts_frame(view.db, view.filters)
if frame.empty:
    nothing_matches("announcements")
    st.stop()
undated = frame[frame["date"].isna()]
timeline, side = st.columns([3, 1]) if len(undated) else (st.container(), None)
with timeline:
    chart(
        charts.announcement_timeline_figure(frame, frame["source_title"].unique().tolist()),
        "timeline",
    )
if side is not None:
    with side:
        st.markdown(f"**Undated ({len(undated)})**")
        st.html(fact_list_html(undated, "subject"))
st.subheader("All announcements", anchor=False)
table_with_download(
    frame,
    ["date", "org", "subject", "category", "date_phrase", "quote", "source_title", "fact_id"],
    page="announcements",
)

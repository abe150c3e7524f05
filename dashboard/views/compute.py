"""Compute buildout: accelerator counts over time per organisation, planned vs operational."""

import streamlit as st

from dashboard import charts, data
from dashboard.components import chart, nothing_matches, table_with_download
from dashboard.filters import current_view

view = current_view()
st.title("Compute buildout", anchor=False)
st.caption(
    "GPU counts each organisation has or plans, as the articles state them. GPUs and "
    "H100-equivalents are different measures and are drawn apart, never added up. "
    "Hollow markers are plans, filled ones are operational."
)
frame = data.compute_facts_frame(view.db, view.filters)
if frame.empty:
    nothing_matches("compute facts")
    st.stop()
chart(charts.compute_buildout_figure(frame, frame["source_title"].unique().tolist()), "compute")
st.subheader("Compute facts", anchor=False)
table_with_download(
    frame,
    ["org", "quantity", "unit", "chip", "status", "date", "date_phrase", "quote",
     "source_title", "fact_id"],
    page="compute",
)  # fmt: skip

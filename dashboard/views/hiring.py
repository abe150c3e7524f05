"""Hiring: who moved from where to where, as a flow and as a table."""

import streamlit as st

from dashboard import charts, data
from dashboard.components import chart, nothing_matches, table_with_download
from dashboard.filters import current_view

view = current_view()
st.title("Hiring", anchor=False)
st.caption("People reported joining an organisation, with where they came from when stated.")
hires = data.hire_facts(view.db, view.filters)
if not hires.total:
    nothing_matches("hires")
    st.stop()
sources = hires.frame["source_title"].unique().tolist()
flow, per_destination = st.columns([3, 2])
with flow:
    chart(charts.talent_flow_figure(data.talent_flows(view.db, view.filters), sources), "flow")
with per_destination:
    counts = data.hires_per_destination(view.db, view.filters)
    chart(charts.destinations_figure(counts, sources), "destinations")
st.subheader("Moves", anchor=False)
table_with_download(
    hires,
    ["person", "from_org", "to_org", "role", "date", "date_phrase", "confidence", "review_status", "extracted_values", "quote",
     "source_title", "fact_id"],
    page="hiring",
)  # fmt: skip

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
raw = st.toggle(
    "Show every report",
    key="raw",
    bind="query-params",
    help="Off: one point per claim (what one or more articles report alike), sized by how many "
    "independent sources report it. On: one point per fact, as each article states it.",
)
if raw:
    chart_points = data.compute_chart_points(view.db, view.filters)
else:
    chart_points = data.compute_claim_points(view.db, view.filters)
if not chart_points.total:
    nothing_matches("compute facts")
    st.stop()
points = chart_points.frame
chart(charts.compute_buildout_figure(points, points["source_title"].unique().tolist()), "compute")
if not raw:
    shown = f"the {len(points):,} most supported of " if chart_points.total > len(points) else ""
    st.caption(
        f"{shown}{chart_points.total:,} claims; a larger marker means more independent sources. "
        "Switch on 'Show every report' to see each article's own figure."
    )
elif chart_points.period:
    st.caption(
        f"{chart_points.total:,} compute facts, drawn as {len(points):,} points: the largest "
        f"count per organisation, unit, status and {chart_points.period}. Hover a point for "
        "the fact behind it."
    )
st.subheader("Fleet", anchor=False)
st.caption(
    "Per organisation, unit and status, the latest claim: what the reports say each has now "
    "(operational) or plans."
)
fleet = data.compute_fleet(view.db, view.filters)
table_with_download(
    fleet,
    ["org", "unit", "status", "quantity", "chip", "date", "support", "sources", "last_seen",
     "claim_id"],
    page="fleet",
)  # fmt: skip
st.subheader("Compute facts", anchor=False)
table_with_download(
    data.compute_facts(view.db, view.filters),
    ["org", "quantity", "unit", "chip", "status", "date", "date_phrase", "confidence", "review_status", "extracted_values", "quote",
     "source_title", "fact_id"],
    page="compute",
)  # fmt: skip

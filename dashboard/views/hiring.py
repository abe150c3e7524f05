"""Hiring: who moved from where to where, as a flow and as a table, and one person's moves."""

import html

import streamlit as st

from dashboard import charts, data
from dashboard.components import (
    chart,
    iso_day,
    nothing_matches,
    report_html,
    table_with_download,
)
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
st.subheader("A person's moves", anchor=False)
everyone = data.people(view.db, view.filters)
person = st.selectbox(
    "Person",
    list(everyone["person"]),
    index=None,
    key="person",
    bind="query-params",
    placeholder="Choose a person to see every move reported for them",
    format_func=lambda name: name,
    label_visibility="collapsed",
)
if person:
    moves = data.person_moves(view.db, view.filters, person)
    reports = data.claim_reports(view.db, tuple(moves["claim_id"]))
    for move in moves.itertuples():
        with st.container(border=True):
            origin = f" from {move.from_org}" if isinstance(move.from_org, str) else ""
            role = f" as {move.role}" if isinstance(move.role, str) else ""
            when = iso_day(move.date)
            sources = f"{move.support} independent source{'s' if move.support != 1 else ''}"
            st.html(
                f"<p style='margin:0'><b>{html.escape(person)} → {html.escape(move.to_org)}</b>"
                f"{html.escape(origin + role)} · {html.escape(when)} · {sources}</p>"
            )
            for r in reports[reports.claim_id == move.claim_id].itertuples():
                st.html(report_html(r.quote, r.source_title, r.published, r.duplicate_of))
st.subheader("Moves", anchor=False)
table_with_download(
    hires,
    ["person", "from_org", "to_org", "role", "date", "date_phrase", "confidence", "review_status", "extracted_values", "quote",
     "source_title", "fact_id"],
    page="hiring",
)  # fmt: skip

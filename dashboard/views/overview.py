"""Overview: headline numbers of the filtered set, the largest plans, and the latest facts."""

import streamlit as st

from dashboard import data
from dashboard.cards import fact_card_html
from dashboard.components import nothing_matches
from dashboard.filters import current_view

view = current_view()
st.title("Overview", anchor=False)
info = data.build_info(view.db)
if info:
    st.caption(
        f"Database built {info.finished_at:%Y-%m-%d %H:%M} UTC from {info.sources:,} articles "
        f"({info.facts:,} facts, extractor {info.extractor_version}, {info.seconds:.1f} s)."
    )

numbers = data.headline(view.db, view.filters)
cols = st.columns(5)
cols[0].metric("Sources", f"{numbers.sources:,}")
cols[1].metric("Compute facts", f"{numbers.facts['compute']:,}")
cols[2].metric("Hire facts", f"{numbers.facts['hire']:,}")
cols[3].metric("People hired", f"{numbers.people_hired:,}")
cols[4].metric("Announcements", f"{numbers.announcements:,}")
if not sum(numbers.facts.values()):
    nothing_matches("facts")
    st.stop()

st.subheader("Largest planned GPU count per organisation", anchor=False)
largest = data.largest_planned_compute(view.db, view.filters)
if largest.empty:
    st.caption("No planned compute among the filtered facts.")
cols = st.columns(4)
for i, row in enumerate(largest.head(8).itertuples()):
    when = row.date_phrase or "no date given"
    support = f"{row.support} source{'s' if row.support != 1 else ''}"
    cols[i % 4].metric(
        f"{row.org} · {row.unit}",
        f"{row.quantity:,}",
        delta=support,
        delta_color="off",
        delta_arrow="off",
        help=f"{row.chip or 'chip not named'}, {when}. Reported by {support} (independent "
        f"articles; copies count once), first in: {row.source_title}",
    )

st.subheader("Latest facts", anchor=False)
for row in data.latest_facts(view.db, view.filters).itertuples():
    st.html(fact_card_html(row.kind, row.date, row.org, row.quote, row.source_title))

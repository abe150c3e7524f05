"""Claims: what several articles report alike, and where reports disagree (conflicts first)."""

import html

import streamlit as st

from dashboard import data
from dashboard.components import nothing_matches, report_html, table_with_download
from dashboard.filters import current_view

view = current_view()
st.title("Claims", anchor=False)
st.caption(
    "A claim is what one or more articles report alike: the same GPU count (within 2%), the "
    "same person joining the same organisation, the same announcement. Support counts "
    "independent sources (syndicated copies count once). Conflicts are reports about the same "
    "thing that disagree."
)
conflicts = data.conflicts_list(view.db, view.filters)
st.subheader(f"Conflicting reports ({len(conflicts)})", anchor=False)
if conflicts.empty:
    st.caption("No reports disagree under these filters.")
else:
    reports = data.claim_reports(
        view.db, tuple(sorted(set(conflicts.claim_a) | set(conflicts.claim_b)))
    )
    for row in conflicts.itertuples():
        with st.container(border=True):
            st.html(
                f"<p style='margin:0'><b>{html.escape(row.kind.capitalize())}</b>: "
                f"{html.escape(row.reason)}</p>"
            )
            left, right = st.columns(2)
            for side, claim, summary, support in (
                (left, row.claim_a, row.summary_a, row.support_a),
                (right, row.claim_b, row.summary_b, row.support_b),
            ):
                side.html(
                    f"<p style='margin:0'><b>{html.escape(summary)}</b><br>{support} independent "
                    f"source{'s' if support != 1 else ''}</p>"
                )
                for r in reports[reports.claim_id == claim].itertuples():
                    side.html(report_html(r.quote, r.source_title, r.published, r.duplicate_of))
st.subheader("Claims by support", anchor=False)
listing = data.claims_list(view.db, view.filters)
if not listing.total:
    nothing_matches("claims")
    st.stop()
table_with_download(
    listing,
    ["kind", "summary", "date", "support", "sources", "facts", "first_seen", "last_seen",
     "claim_id"],
    page="claims",
)  # fmt: skip

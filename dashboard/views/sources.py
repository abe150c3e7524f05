"""Sources: every article with its metadata and fact counts, and a reading view of one."""

import streamlit as st

from dashboard import data, highlight
from dashboard.cards import document_header_html
from dashboard.components import nothing_matches, table_with_download
from dashboard.filters import current_view, labelled_ids
from dashboard.intake import intake_panel
from dashboard.review import add_fact_form, review_panel, show_done
from dashboard.startup import Paths

view = current_view()
st.title("Sources", anchor=False)
st.caption("The articles the facts come from, with what was extracted from each.")
intake_panel(Paths.from_env())
show_done()
listing = data.sources_list(view.db, view.filters)
if not listing.total:
    nothing_matches("sources")
    st.stop()
sources = listing.frame


def read(row: int) -> None:
    """Open the clicked article in the reading view below (its id goes to the URL)."""
    st.session_state["article"] = sources["source_id"].iloc[row]


table_with_download(
    listing,
    ["title", "publisher", "published", "compute", "hire", "announcement", "facts", "format",
     "chars", "warnings", "url", "source_id"],
    page="sources",
    on_row_select=read,
)  # fmt: skip

with st.expander("Extraction quality, from analysts' reviews", icon=":material/verified:"):
    quality = data.review_quality(view.db)
    quality = quality.assign(
        precision=[
            (v + c) / r if r else None
            for v, c, r in zip(quality.verified, quality.corrected, quality.reviewed, strict=True)
        ]
    )
    st.caption(
        "Precision on reviewed facts: verified and corrected (found, with a detail wrong) over "
        "all reviewed. Added: facts the extractor missed, added by analysts. Review facts in "
        "the reading view below."
    )
    st.dataframe(
        quality,
        hide_index=True,
        width="stretch",
        column_config={
            "kind": "Kind", "extracted": "Extracted", "reviewed": "Reviewed",
            "verified": "Verified", "corrected": "Corrected", "rejected": "Rejected",
            "added": "Added by analysts",
            "precision": st.column_config.NumberColumn("Precision", format="%.2f"),
        },
    )  # fmt: skip
    orphans = data.orphaned_reviews(view.db)
    if len(orphans):
        st.warning(
            f"{len(orphans)} review(s) no longer attach to a fact (the article changed or is "
            "gone). They are kept in the review log:",
            icon=":material/link_off:",
        )
        st.dataframe(orphans, hide_index=True, width="stretch")

st.subheader("Read an article", anchor=False)
titles = dict(zip(sources["source_id"], sources["title"], strict=True))
# An article opened by link may lie beyond the rows listed: offer it too.
wanted = st.session_state.get("article") or st.query_params.get("article")
if wanted and wanted not in titles and (doc := data.source_document(view.db, wanted)):
    titles[wanted] = doc["title"]
picked = labelled_ids(
    st.selectbox,
    "Article",
    titles,
    "article",
    "article_view",
    placeholder="Choose an article to read",
    label_visibility="collapsed",
)
if picked is None:
    st.caption(
        "Choose an article, or click a row in the table above, to read it with its facts "
        "highlighted in place."
    )
    st.stop()
doc = data.source_document(view.db, picked)
facts = data.source_facts(view.db, picked, view.filters)
st.html(document_header_html(doc))
spans = highlight.spans_of(facts)
counts = facts["kind"].value_counts().to_dict()
st.html(highlight.legend_html(counts, overlap=highlight.overlapping(spans)))
st.html(highlight.highlight_html(doc["text"], spans))
if doc.get("duplicate_of"):
    st.caption(
        f"A copy of `{doc['duplicate_of']}` (near-identical text): it counts once in a claim's "
        "support."
    )
st.markdown("**Facts in this article** · click a row to review it")


def pick_fact(row: int) -> None:
    st.session_state["review_fact"] = facts["fact_id"].iloc[row]


table_with_download(
    facts.assign(n=range(1, len(facts) + 1)),
    ["n", "kind", "summary", "date", "review_status", "quote", "start_offset", "end_offset",
     "fact_id"],
    page="article",
    on_row_select=pick_fact,
)  # fmt: skip
paths = Paths.from_env()
chosen = st.session_state.get("review_fact")
if chosen in set(facts["fact_id"]):
    review_panel(paths, view.db, chosen)
add_fact_form(paths, doc)

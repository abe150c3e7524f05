"""Sources: every article with its metadata and fact counts, and a reading view of one."""

import streamlit as st

from dashboard import data, highlight
from dashboard.cards import document_header_html
from dashboard.components import nothing_matches, table_with_download
from dashboard.filters import current_view, labelled_ids
from dashboard.intake import intake_panel
from dashboard.startup import Paths

view = current_view()
st.title("Sources", anchor=False)
st.caption("The articles the facts come from, with what was extracted from each.")
intake_panel(Paths.from_env())
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
st.markdown("**Facts in this article**")
table_with_download(
    facts.assign(n=range(1, len(facts) + 1)),
    ["n", "kind", "summary", "date", "quote", "start_offset", "end_offset", "fact_id"],
    page="article",
)

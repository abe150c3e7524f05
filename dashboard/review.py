"""Review controls where facts are read: verify, reject or correct a fact, add a missing one.

A review goes into the analysts' log (etl/reviews.py, user data outside the database); the
incremental build then applies it (a few seconds: nothing is extracted again) and the page
reruns on the new database, where the fact shows its review status everywhere.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import data
from dashboard.startup import Paths, build_database
from etl import reviews

DONE_KEY = "_review_done"
# The fields an analyst can correct, per kind, in the order a form shows them.
KIND_FIELDS = {
    "compute": ("org", "quantity", "unit", "chip", "status", "date", "date_precision"),
    "hire": ("person", "from_org", "to_org", "role", "date", "date_precision"),
    "announcement": ("org", "subject", "category", "date", "date_precision"),
}
LABELS = {
    "org": "Organisation", "quantity": "Quantity", "unit": "Unit", "chip": "Chip",
    "status": "Status", "date": "Date (YYYY-MM-DD)", "date_precision": "Date precision",
    "person": "Person", "from_org": "From", "to_org": "To", "role": "Role",
    "subject": "Subject", "category": "Category",
}  # fmt: skip


def show_done() -> None:
    """The outcome of the last review, kept across the rerun that shows it applied."""
    done = st.session_state.pop(DONE_KEY, None)
    if done:
        ok, message = done
        (st.success if ok else st.error)(message, icon=":material/rate_review:")


def _apply(paths: Paths, message: str) -> None:
    bar = st.progress(0.0, text="Applying the review…")

    def progress(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=f"Updating the database: {done} of {total}")

    outcome = build_database(paths, progress, only_if_missing=False)
    bar.empty()
    if outcome.ok:
        st.session_state[DONE_KEY] = (True, message)
    else:
        st.session_state[DONE_KEY] = (
            False,
            f"{message}, but the build failed: {outcome.summary[-500:]}",
        )
    st.rerun()


def review_panel(paths: Paths, db: data.Database, fact_id: str) -> None:
    """Verify, reject or correct one fact, with a note."""
    fact = data.fact_for_review(db, fact_id)
    if fact is None:
        st.caption("That fact is no longer in the database.")
        return
    sha = fact.pop("source_sha256")
    status = fact.get("review_status") or "unreviewed"
    st.markdown(f"**Review this fact** · currently *{status}*")
    st.text(fact["quote"])  # plain text: the article's words, never markup
    note = st.text_input("Note (why)", key=f"review_note_{fact_id}")
    verify, reject = st.columns(2)
    if verify.button("Verify", icon=":material/check:", key=f"verify_{fact_id}", width="stretch"):
        reviews.record_review("verify", fact, sha, note=note)
        _apply(paths, f"Verified fact {fact_id}.")
    if reject.button("Reject", icon=":material/block:", key=f"reject_{fact_id}", width="stretch"):
        reviews.record_review("reject", fact, sha, note=note)
        _apply(paths, f"Rejected fact {fact_id}: hidden unless 'Show rejected facts' is on.")
    with st.form(f"correct_{fact_id}", border=True):
        st.caption("Correct what the extractor got wrong; the extracted values are kept beside.")
        values = _field_inputs(fact["kind"], fact, f"fix_{fact_id}")
        if st.form_submit_button("Save correction", icon=":material/edit:"):
            changed = {k: v for k, v in values.items() if _text(fact.get(k)) != v}
            try:
                if not changed:
                    raise reviews.ReviewError("nothing was changed")
                reviews.record_review("correct", fact, sha, changed, note)
            except reviews.ReviewError as exc:
                st.error(f"Not saved: {exc}", icon=":material/error:")
            else:
                _apply(paths, f"Corrected fact {fact_id}: " + ", ".join(changed))


def add_fact_form(paths: Paths, doc: dict) -> None:
    """Add a fact the extractor missed, by copying its quote from the article."""
    with st.expander("Add a missing fact", icon=":material/add_circle:"):
        kind = st.selectbox("Kind", reviews.KINDS, key="add_kind")
        with st.form("add_fact", border=False):
            quote = st.text_area("Quote (copied exactly from the article)", key="add_quote")
            values = _field_inputs(kind, {}, "add")
            note = st.text_input("Note", key="add_note")
            if st.form_submit_button("Add fact", type="primary", icon=":material/add:"):
                try:
                    entry = reviews.record_added_fact(
                        doc["source_id"], doc["sha256"], doc["text"], kind, quote,
                        {k: v for k, v in values.items() if v}, note,
                    )  # fmt: skip
                except reviews.ReviewError as exc:
                    st.error(f"Not added: {exc}", icon=":material/error:")
                else:
                    article = "an" if kind[0] in "aeiou" else "a"
                    _apply(paths, f"Added {article} {kind} fact ({entry['fact_id']}).")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _field_inputs(kind: str, fact: dict, key: str) -> dict[str, str]:
    values = {}
    columns = st.columns(2)
    for i, name in enumerate(KIND_FIELDS[kind]):
        column = columns[i % 2]
        current = _text(fact.get(name))
        if name in reviews.CHOICES:
            options = ["", *reviews.CHOICES[name]]
            values[name] = column.selectbox(
                LABELS[name], options, index=options.index(current) if current in options else 0,
                key=f"{key}_{name}",
            )  # fmt: skip
        else:
            values[name] = column.text_input(
                LABELS[name], value=current, key=f"{key}_{name}"
            ).strip()
    return values

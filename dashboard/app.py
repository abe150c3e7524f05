"""AGI Tracker dashboard (placeholder until the dashboard pages land): what the database holds."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import streamlit as st

DB_PATH = Path(os.environ.get("AGI_TRACKER_DB", "data/tracker.duckdb"))

st.set_page_config(page_title="AGI Tracker", layout="wide")
st.title("AGI Tracker")

if not DB_PATH.exists():
    st.info("No database yet. Run `make run` (or `python -m etl build`) to build it from `seeds/`.")
    st.stop()

con = duckdb.connect(str(DB_PATH), read_only=True, config={"autoinstall_known_extensions": False})
try:
    counts = con.execute(
        "SELECT kind, count(*) AS facts FROM facts GROUP BY kind ORDER BY kind"
    ).df()
    sources = con.execute("SELECT count(*) FROM sources").fetchall()[0][0]
finally:
    con.close()

st.caption("The dashboard pages are coming; this page shows what the database holds.")
cols = st.columns(len(counts) + 1)
cols[0].metric("Sources", sources)
for col, row in zip(cols[1:], counts.itertuples(), strict=True):
    col.metric(f"{row.kind} facts", row.facts)

"""Every query the dashboard runs: parametrised SQL on read-only connections, cached per build.

Filtering and aggregation happen in DuckDB; pandas only receives the rows a page shows. Each
cached function takes a `Database`, whose identity includes the file's modification time, so
a rebuild (which swaps in a new file) is picked up on the next rerun without a restart.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import duckdb
import pandas as pd
import streamlit as st

from dashboard.style import KINDS
from etl.export import EXPORT_SELECT, TABLES
from etl.load import DUCKDB_CONFIG

T = TypeVar("T")


@dataclass(frozen=True)
class Database:
    """A database file as of one build: the path plus the mtime that keys every cache."""

    path: str
    mtime_ns: int

    @classmethod
    def at(cls, path: str | os.PathLike) -> Database | None:
        """The database at `path`, or None when there is no file yet."""
        try:
            return cls(str(path), os.stat(path).st_mtime_ns)
        except FileNotFoundError:
            return None


@dataclass(frozen=True)
class Filters:
    """The sidebar's filters. Empty tuples mean "no restriction"."""

    sources: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    include_undated: bool = True
    min_confidence: float = 0.0
    show_rejected: bool = False  # facts an analyst rejected are hidden unless asked for


@dataclass(frozen=True)
class BuildInfo:
    finished_at: dt.datetime
    seconds: float
    run_id: str
    extractor_version: str
    sources: int
    facts: int


@dataclass(frozen=True)
class Headline:
    sources: int
    facts: dict[str, int] = field(default_factory=dict)
    people_hired: int = 0
    announcements: int = 0


# A table shows at most this many rows (its download has them all); a chart at most this many
# points before it draws a summary instead. Both keep a page quick at a million facts.
TABLE_ROWS = 1000
CHART_POINTS = 2000


@dataclass(frozen=True)
class Query:
    """A query and its parameters, to run later (a download fetches its rows only on click)."""

    db: Database
    sql: str
    params: dict[str, Any] = field(default_factory=dict)

    def run(self) -> pd.DataFrame:
        return _query(self.db, self.sql, self.params)


@dataclass(frozen=True)
class Rows:
    """The first rows of a listing, which a table shows, and how many rows there are in all."""

    frame: pd.DataFrame
    total: int
    everything_query: Query

    @property
    def capped(self) -> bool:
        return self.total > len(self.frame)

    def everything(self) -> pd.DataFrame:
        """Every row, in the same order: what the table's download holds."""
        return self.everything_query.run() if self.capped else self.frame

    @classmethod
    def all_of(cls, query: Query) -> Rows:
        """Every row of `query`, shown in full."""
        frame = query.run()
        return cls(frame, len(frame), query)

    @classmethod
    def page_of(cls, query: Query, page: str, count: str, limit: int) -> Rows:
        """The first rows of `query`, fetched by `page`; `count` runs only when the page is full."""
        frame = _query(query.db, page, query.params)
        total = len(frame)
        if total == limit:  # there may be more: count them
            total = int(_query(query.db, count, query.params).n.iloc[0])
        return cls(frame, total, query)


# --- spreadsheet-safe CSV, written by DuckDB ------------------------------------------------------
# The same rule as etl/export.py's Python neutraliser (tests/test_properties.py checks they agree):
# a text cell starting with a formula starter gets a leading '; a list cell is each item made safe,
# joined with "; "; numbers, booleans, dates and times are values, written as they are.
_STARTERS_SQL = "('=', '+', '-', '@', chr(9), chr(13))"
_VALUE_TYPE_RE = re.compile(
    r"^(?:BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|"
    r"UHUGEINT|FLOAT|DOUBLE|DECIMAL.*|DATE|TIME.*|TIMESTAMP.*|BLOB)$"
)


def neutralised_sql(expr: str, duck_type: str) -> str:
    """SQL for a column's value as a spreadsheet-safe CSV cell (`expr` is a quoted name)."""

    def safe(text: str) -> str:
        quote = "''''"  # SQL for a one-character string holding '
        return (
            f"CASE WHEN left({text}, 1) IN {_STARTERS_SQL} THEN concat({quote}, {text}) "
            f"ELSE {text} END"
        )

    if _VALUE_TYPE_RE.match(duck_type):
        return expr
    if duck_type.endswith("[]"):
        item = "coalesce(CAST(x AS VARCHAR), '')"
        return f"array_to_string(list_transform({expr}, lambda x: {safe(item)}), '; ')"
    return safe(f"CAST({expr} AS VARCHAR)")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def csv_bytes(query: Query, columns: Sequence[str] | None = None, neutralise: bool = True) -> bytes:
    """Every row of `query` (only `columns`, in that order) as CSV: a header, CRLF rows, dates
    as YYYY-MM-DD, missing values empty, and formula-like text neutralised. DuckDB writes it
    (a COPY), so a download of 100,000 rows costs about what the query does."""
    picked = ", ".join(_quoted(c) for c in columns) if columns else "*"
    inner = f"SELECT {picked} FROM ({query.sql}) q"  # noqa: S608 - fixed SQL, quoted names
    if neutralise:
        types = _query(query.db, f"DESCRIBE {inner}", query.params)
        select = ", ".join(
            f"{neutralised_sql(_quoted(n), t)} AS {_quoted(n)}"
            for n, t in zip(types.column_name, types.column_type, strict=True)
        )
        inner = f"SELECT {select} FROM ({inner}) q"  # noqa: S608 - built from fixed parts
    with tempfile.TemporaryDirectory(prefix="agi-tracker-csv-") as folder:
        path = os.path.join(folder, "download.csv")
        _copy_to(query.db, inner, query.params, path)
        with open(path, "rb") as handle:
            return handle.read()


def _copy_to(db: Database, sql: str, params: dict[str, Any], path: str) -> None:
    """COPY a query's rows to a CSV file, retrying on the new file if a build swaps it."""
    copy = f"COPY ({sql}) TO $csv_path (FORMAT csv, HEADER, NEW_LINE '\\r\\n')"
    _on_reader(db, lambda cursor: cursor.execute(copy, {**params, "csv_path": path}).fetchall())


SORTS = {  # facts-explorer sort keys -> fixed ORDER BY fragments (never user text)
    "date": "f.date {dir} NULLS LAST, f.fact_id",
    "kind": "f.kind {dir}, f.date DESC NULLS LAST, f.fact_id",
    "organisation": "coalesce(f.org, f.to_org) {dir} NULLS LAST, f.fact_id",
    "source": "s.title {dir}, f.start_offset",
    "quantity": "f.quantity {dir} NULLS LAST, f.fact_id",
    "confidence": "f.confidence {dir}, f.date DESC NULLS LAST, f.fact_id",
}


# Errors a reader can meet when a build swaps the file under it; a fresh connection fixes them.
SWAP_ERRORS = (
    duckdb.IOException,
    duckdb.ConnectionException,
    duckdb.InvalidInputException,
    duckdb.SerializationException,
)
READ_ATTEMPTS = 4
# The dashboard's DuckDB memory: enough for the aggregations at a million facts, bounded so the
# server's footprint stays predictable next to Streamlit's.
READER_CONFIG = {"memory_limit": os.environ.get("AGI_TRACKER_DUCKDB_MEMORY", "512MB")}
_connections: dict[Database, duckdb.DuckDBPyConnection] = {}
_connections_lock = threading.Lock()


def _connection(db: Database) -> duckdb.DuckDBPyConnection:
    """One reader per database file, shared by every session through cursors.

    It is an in-memory DuckDB with the file attached read-only as `db`: unlike
    `duckdb.connect(path)`, whose per-path instance cache would hand back the replaced file
    while any connection to it is open, an attach opens exactly the file there now. Sharing
    keeps the buffer pool warm, and a cursor costs well under a millisecond where a new
    connection costs about fifteen. A rebuild (a new mtime) gets a new reader, and readers of
    replaced files are closed (a query still running on one retries on the new file).
    """
    with _connections_lock:
        con = _connections.get(db)
        if con is None:
            con = duckdb.connect(":memory:", config={**DUCKDB_CONFIG, **READER_CONFIG})
            con.execute("ATTACH ? AS db (READ_ONLY)", [db.path])
            for old in [d for d in _connections if d.path == db.path]:
                _connections.pop(old).close()
            _connections[db] = con
        return con


def _forget(db: Database) -> None:
    with _connections_lock:
        con = _connections.pop(db, None)
    if con is not None:
        con.close()


def _on_reader(db: Database, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """Run `work` on a cursor of the file's reader; if a rebuild swaps the file, retry on the
    file the build swapped in."""
    current = db
    for attempt in range(READ_ATTEMPTS):
        try:
            cursor = _connection(current).cursor()
            try:
                cursor.execute("USE db")
                return work(cursor)
            finally:
                cursor.close()
        except SWAP_ERRORS:
            if attempt == READ_ATTEMPTS - 1:
                raise
            _forget(current)
            time.sleep(0.05 * (attempt + 1))
            current = Database.at(db.path) or current  # the file a build swapped in
    raise AssertionError("unreachable")


def _query(db: Database, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """Run one query read-only and return every row (a DataFrame)."""
    return _on_reader(db, lambda cursor: cursor.execute(sql, params or {}).df())


def fact_filter_sql(filters: Filters, alias: str = "f") -> tuple[str, dict[str, Any]]:
    """A WHERE clause (without the keyword) and its parameters for the sidebar filters."""
    clauses, params = ["TRUE"], {}
    if filters.sources:
        clauses.append(f"list_contains($sources, {alias}.source_id)")
        params["sources"] = list(filters.sources)
    if filters.orgs:
        clauses.append(
            f"(list_contains($orgs, {alias}.org) OR list_contains($orgs, {alias}.from_org)"
            f" OR list_contains($orgs, {alias}.to_org))"
        )
        params["orgs"] = list(filters.orgs)
    in_range = []
    if filters.start:
        in_range.append(f"{alias}.date >= $start")
        params["start"] = filters.start
    if filters.end:
        in_range.append(f"{alias}.date <= $end")
        params["end"] = filters.end
    if not filters.show_rejected:
        clauses.append(f"{alias}.review_status <> 'rejected'")
    if filters.min_confidence > 0:
        clauses.append(f"{alias}.confidence >= $min_confidence")
        params["min_confidence"] = float(filters.min_confidence)
    dated = " AND ".join([f"{alias}.date IS NOT NULL", *in_range])
    clauses.append(f"({dated} OR {alias}.date IS NULL)" if filters.include_undated else dated)
    return " AND ".join(clauses), params


def _facts_sql(
    columns: str, filters: Filters, kind: str | None, tail: str = "", sources: bool = True
) -> tuple[str, dict[str, Any]]:
    """SELECT `columns` from the filtered facts (joined to their source unless `sources` is
    False: the filters need only the facts); `tail` orders or groups."""
    where, params = fact_filter_sql(filters)
    if kind:
        where += " AND f.kind = $kind"
        params["kind"] = kind
    joined = "JOIN sources s USING (source_id)" if sources else ""
    sql = f"SELECT {columns} FROM facts f {joined} WHERE {where} {tail}"  # noqa: S608 - fixed fragments
    return sql, params


_USES_SOURCE = re.compile(r"\bs\.")


def _rows(
    db: Database,
    columns: str,
    filters: Filters,
    kind: str | None,
    order: str,
    limit: int | None,
    where: str = "",
    params: dict[str, Any] | None = None,
) -> Rows:
    """The first `limit` facts in `order` (all if None), their total count, and the full query.

    The page is picked from the facts alone and only its rows are joined to their sources,
    unless the order itself needs the source (then the join comes first).
    """
    sql, base = _facts_sql(columns, filters, kind, f"{where} ORDER BY {order}")
    everything = Query(db, sql, {**base, **(params or {})})
    if limit is None:
        return Rows.all_of(everything)
    if _USES_SOURCE.search(order) or _USES_SOURCE.search(where):
        page = f"{sql} LIMIT {int(limit)}"
    else:
        inner, _ = _facts_sql(
            "f.*", filters, kind, f"{where} ORDER BY {order} LIMIT {int(limit)}", sources=False
        )
        page = (
            f"SELECT {columns} FROM ({inner}) f JOIN sources s USING (source_id) ORDER BY {order}"  # noqa: S608
        )
    count, _ = _facts_sql("count(*) AS n", filters, kind, where, sources=False)
    return Rows.page_of(everything, page, count, limit)


# --- sidebar options ------------------------------------------------------------------------


SOURCE_CHOICES = 300  # sources offered at once in the sidebar; a search box finds the rest


def _source_option_sql(picked: str) -> str:
    """Sources chosen by `picked` (a query of source ids and titles), with their fact counts."""
    return (
        f"WITH picked AS ({picked}) SELECT p.source_id, p.title, count(f.fact_id) AS facts "  # noqa: S608
        "FROM picked p LEFT JOIN facts f USING (source_id) GROUP BY p.source_id, p.title, p.published "
        "ORDER BY p.published DESC NULLS LAST, p.title, p.source_id"
    )


_PICK = "SELECT s.source_id, coalesce(s.title, s.source_id) AS title, s.published FROM sources s"


@st.cache_data(show_spinner=False, max_entries=8)
def source_count(db: Database) -> int:
    """How many sources the database holds."""
    return int(_query(db, "SELECT count(*) AS n FROM sources").n.iloc[0])


@st.cache_data(show_spinner=False, max_entries=64)
def source_options(db: Database, search: str = "", limit: int = SOURCE_CHOICES) -> pd.DataFrame:
    """Sources for the sources filter, newest first, with their fact counts.

    With `search`, only those whose title or id contains it (literally, ignoring case).
    """
    where = "WHERE strpos(lower(coalesce(s.title, '') || ' ' || s.source_id), lower($q)) > 0"
    picked = (
        f"{_PICK} {where if search else ''} "
        "ORDER BY s.published DESC NULLS LAST, title, s.source_id LIMIT $limit"
    )
    return _query(
        db, _source_option_sql(picked), {"limit": int(limit), **({"q": search} if search else {})}
    )


@st.cache_data(show_spinner=False, max_entries=64)
def source_labels(db: Database, ids: tuple[str, ...]) -> pd.DataFrame:
    """The sources among `ids` that exist, as `source_options` lists them."""
    if not ids:
        return source_options(db, limit=0)
    picked = f"{_PICK} WHERE list_contains($ids, s.source_id)"
    return _query(db, _source_option_sql(picked), {"ids": list(ids)})


ORG_CHOICES = 1000  # the organisations named most often, in name order


@st.cache_data(show_spinner=False, max_entries=8)
def org_options(db: Database, limit: int = ORG_CHOICES) -> list[str]:
    """Organisations named by facts (as org, origin or destination), the most named first."""
    frame = _query(
        db,
        "SELECT o FROM (SELECT o, count(*) AS n FROM (SELECT org AS o FROM facts "
        "UNION ALL SELECT from_org FROM facts UNION ALL SELECT to_org FROM facts) "
        "WHERE o IS NOT NULL GROUP BY o ORDER BY n DESC, o LIMIT $limit) ORDER BY lower(o), o",
        {"limit": int(limit)},
    )
    return frame["o"].tolist()


@st.cache_data(show_spinner=False, max_entries=8)
def date_bounds(db: Database) -> tuple[dt.date | None, dt.date | None]:
    """The earliest and latest fact dates."""
    frame = _query(db, "SELECT min(date) AS lo, max(date) AS hi FROM facts")
    lo, hi = frame.iloc[0]
    return (None if pd.isna(lo) else lo.date(), None if pd.isna(hi) else hi.date())


@st.cache_data(show_spinner=False, max_entries=8)
def build_info(db: Database) -> BuildInfo | None:
    """The most recent build of this database, or None for a database without runs."""
    frame = _query(
        db,
        "SELECT finished_at, seconds, run_id, extractor_version, sources_loaded, facts "
        "FROM etl_runs ORDER BY finished_at DESC LIMIT 1",
    )
    if frame.empty:
        return None
    row = frame.iloc[0]
    return BuildInfo(
        row.finished_at.to_pydatetime(),
        float(row.seconds),
        row.run_id,
        row.extractor_version,
        int(row.sources_loaded),
        int(row.facts),
    )


# --- overview -------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64)
def headline(db: Database, filters: Filters) -> Headline:
    """Headline numbers of the filtered set."""
    sql, params = _facts_sql(
        "count(DISTINCT f.source_id) AS sources,"
        " count(*) FILTER (f.kind = 'compute') AS compute,"
        " count(*) FILTER (f.kind = 'hire') AS hire,"
        " count(*) FILTER (f.kind = 'announcement') AS announcement,"
        " count(DISTINCT f.person) FILTER (f.kind = 'hire') AS people",
        filters,
        None,
        sources=False,
    )
    row = _query(db, sql, params).iloc[0]
    return Headline(
        sources=int(row.sources),
        facts={k: int(row[k]) for k in KINDS},
        people_hired=int(row.people),
        announcements=int(row.announcement),
    )


@st.cache_data(show_spinner=False, max_entries=64)
def largest_planned_compute(db: Database, filters: Filters) -> pd.DataFrame:
    """Per organisation and unit, the largest planned GPU count among the claims (so a count
    several articles report counts once, with its support), from facts under the filters
    (the confidence floor included), with where it is stated first."""
    where, params = _claim_filter_sql(filters)
    sql = (
        "WITH best AS (SELECT c.* FROM claims c"  # noqa: S608 - fixed SQL
        f" WHERE c.kind = 'compute' AND c.status = 'planned' AND c.org IS NOT NULL AND {where}"
        " QUALIFY row_number() OVER (PARTITION BY c.org, c.unit"
        " ORDER BY c.quantity DESC, c.support DESC, c.claim_id) = 1)"
        " SELECT b.org, b.unit, b.quantity, b.chip, b.date, b.support,"
        " any_value(f.date_phrase ORDER BY s.published NULLS LAST) AS date_phrase,"
        " any_value(coalesce(s.title, s.source_id) ORDER BY s.published NULLS LAST) AS source_title"
        " FROM best b JOIN claim_facts cf USING (claim_id) JOIN facts f USING (fact_id)"
        " JOIN sources s ON s.source_id = f.source_id"
        " GROUP BY b.org, b.unit, b.quantity, b.chip, b.date, b.support"
        " ORDER BY b.quantity DESC, b.org"
    )
    return _query(db, sql, params)


SENTENCE_FACTS = 8  # at most this many facts share a sentence among the latest ones we look at


@st.cache_data(show_spinner=False, max_entries=64)
def latest_facts(db: Database, filters: Filters, limit: int = 8) -> pd.DataFrame:
    """The most recently published reports (by the article's publication date, then the
    fact's own date) with their quotes: a far-future plan is news when it is published.

    A sentence stating several facts (three hires in one line) is shown once. The newest few
    facts are picked first and deduplicated after, so this stays quick at any size.
    """
    recent, params = _facts_sql(
        "f.kind, f.date, f.date_phrase, coalesce(f.org, f.to_org) AS org, f.quote,"
        " coalesce(s.title, s.source_id) AS source_title, s.published, f.source_id,"
        " f.start_offset, f.end_offset",
        filters,
        None,
        "ORDER BY s.published DESC NULLS LAST, f.date DESC NULLS LAST, f.source_id, "
        "f.start_offset, f.kind LIMIT $window",
    )
    sql = (
        "SELECT kind, date, date_phrase, org, quote, source_title, published"  # noqa: S608
        f" FROM ({recent}) QUALIFY row_number() OVER ("
        "PARTITION BY source_id, start_offset, end_offset ORDER BY date DESC NULLS LAST, kind) = 1"
        " ORDER BY published DESC NULLS LAST, date DESC NULLS LAST, source_id, start_offset"
        " LIMIT $limit"
    )
    window = int(limit) * SENTENCE_FACTS
    return _query(db, sql, {**params, "limit": int(limit), "window": window})


# --- pages ----------------------------------------------------------------------------------

# What a fact says, in one line: "350,000 GPUs (H100) · planned", "Ann Lee · OpenAI → Meta".
_SUMMARY = (
    "CASE f.kind"
    " WHEN 'compute' THEN concat_ws(' ', format('{:,}', f.quantity), f.unit,"
    "  '(' || f.chip || ')', '· ' || f.status)"
    " WHEN 'hire' THEN concat_ws(' · ', f.person, coalesce(f.from_org || ' → ', '→ ') || f.to_org,"
    "  f.role)"
    " ELSE concat_ws(' · ', f.subject, f.category) END AS summary"
)
_COMMON_TAIL = (
    "f.date, f.date_precision, f.date_phrase, f.confidence, f.review_status, f.extracted_values,"
    " f.review_note, f.quote, f.source_id, coalesce(s.title, s.source_id) AS source_title,"
    " f.fact_id"
)


_COMPUTE_COLUMNS = f"f.org, f.chip, f.quantity, f.unit, f.status, {_COMMON_TAIL}"


@st.cache_data(show_spinner=False, max_entries=64)
def compute_facts(db: Database, filters: Filters, limit: int | None = TABLE_ROWS) -> Rows:
    """Compute facts under the filters, newest first."""
    return _rows(
        db, _COMPUTE_COLUMNS, filters, "compute",
        "f.date DESC NULLS LAST, f.org, f.quantity DESC, f.fact_id", limit,
    )  # fmt: skip


@dataclass(frozen=True)
class ChartPoints:
    """What the buildout chart draws: a point per fact, or per group when `period` is set."""

    frame: pd.DataFrame
    total: int  # compute facts under the filters
    period: str | None = None  # "quarter" or "year" when points stand for groups of facts


# Past CHART_POINTS facts the chart draws one point per organisation, unit, status and period:
# quarters, or years when quarters would still give more than this many points.
CHART_GROUPS = 600
_PERIODS = ("quarter", "year")


@st.cache_data(show_spinner=False, max_entries=64)
def compute_chart_points(db: Database, filters: Filters) -> ChartPoints:
    """What the buildout chart draws, and how many facts it stands for.

    Up to CHART_POINTS facts, one point each. Beyond that, one point per organisation, unit,
    status and quarter (or year): the largest count stated, with that fact's quote, chip and
    source.
    """
    counts = ", ".join(
        f"count(DISTINCT (f.org, f.unit, f.status, date_trunc('{p}', f.date))) AS {p}"
        for p in _PERIODS
    )
    count_sql, params = _facts_sql(f"count(*) AS n, {counts}", filters, "compute", sources=False)
    row = _query(db, count_sql, params).iloc[0]
    total = int(row.n)
    if total <= CHART_POINTS:
        return ChartPoints(compute_facts(db, filters, limit=None).frame, total)
    period = next((p for p in _PERIODS if int(row[p]) <= CHART_GROUPS), _PERIODS[-1])
    # The id of the largest fact per group, from the facts alone; then only those rows joined.
    groups, params = _facts_sql(
        "arg_max(f.fact_id, f.quantity) AS top_id, count(*) AS facts",
        filters,
        "compute",
        f"GROUP BY f.org, f.unit, f.status, date_trunc('{period}', f.date)",
        sources=False,
    )
    sql = (
        f"SELECT {_COMPUTE_COLUMNS}, g.facts FROM ({groups}) g"  # noqa: S608
        " JOIN facts f ON f.fact_id = g.top_id JOIN sources s USING (source_id)"
        " ORDER BY f.date DESC NULLS LAST, f.org, f.quantity DESC"
    )
    return ChartPoints(_query(db, sql, params), total, period)


@st.cache_data(show_spinner=False, max_entries=64)
def hire_facts(db: Database, filters: Filters, limit: int | None = TABLE_ROWS) -> Rows:
    """Hires under the filters: person, from, to, role, date and source."""
    return _rows(
        db, f"f.person, f.from_org, f.to_org, f.role, {_COMMON_TAIL}", filters, "hire",
        "f.date DESC NULLS LAST, f.to_org, f.person, f.fact_id", limit,
    )  # fmt: skip


FLOWS_SHOWN = 40  # the largest flows; a Sankey of hundreds of links is unreadable
DESTINATIONS_SHOWN = 25


@st.cache_data(show_spinner=False, max_entries=64)
def talent_flows(db: Database, filters: Filters, limit: int = FLOWS_SHOWN) -> pd.DataFrame:
    """People moving from one organisation to another, per (from, to) pair, largest first."""
    sql, params = _facts_sql(
        "f.from_org, f.to_org, count(DISTINCT f.person) AS people",
        filters,
        "hire",
        "AND f.to_org IS NOT NULL GROUP BY ALL ORDER BY people DESC, f.to_org, f.from_org "
        "LIMIT $limit",
    )
    return _query(db, sql, {**params, "limit": int(limit)})


@st.cache_data(show_spinner=False, max_entries=64)
def hires_per_destination(
    db: Database, filters: Filters, limit: int = DESTINATIONS_SHOWN
) -> pd.DataFrame:
    """People hired per destination organisation, most first."""
    sql, params = _facts_sql(
        "f.to_org, count(DISTINCT f.person) AS people",
        filters,
        "hire",
        "AND f.to_org IS NOT NULL GROUP BY ALL ORDER BY people DESC, f.to_org LIMIT $limit",
    )
    return _query(db, sql, {**params, "limit": int(limit)})


_ANNOUNCEMENT_COLUMNS = f"f.org, f.subject, f.category, {_COMMON_TAIL}"


@st.cache_data(show_spinner=False, max_entries=64)
def announcement_facts(db: Database, filters: Filters, limit: int | None = TABLE_ROWS) -> Rows:
    """Announcements under the filters, dated ones first in date order."""
    return _rows(
        db, _ANNOUNCEMENT_COLUMNS, filters, "announcement",
        "f.date NULLS LAST, f.category, f.subject, f.fact_id", limit,
    )  # fmt: skip


@st.cache_data(show_spinner=False, max_entries=64)
def dated_announcements(db: Database, filters: Filters, limit: int = CHART_POINTS) -> Rows:
    """The latest dated announcements, for the timeline."""
    return _rows(
        db, _ANNOUNCEMENT_COLUMNS, filters, "announcement",
        "f.date DESC, f.category, f.subject, f.fact_id", limit, where="AND f.date IS NOT NULL",
    )  # fmt: skip


@st.cache_data(show_spinner=False, max_entries=64)
def undated_announcements(db: Database, filters: Filters, limit: int = 30) -> Rows:
    """Announcements without a date, most recently published first."""
    return _rows(
        db, _ANNOUNCEMENT_COLUMNS, filters, "announcement",
        "s.published DESC NULLS LAST, f.subject, f.fact_id", limit, where="AND f.date IS NULL",
    )  # fmt: skip


_SOURCES_SELECT = (
    "SELECT s.source_id, coalesce(s.title, s.source_id) AS title, s.publisher, s.published,"
    " s.url, s.format, s.chars,"
    " count(f.fact_id) FILTER (f.kind = 'compute') AS compute,"
    " count(f.fact_id) FILTER (f.kind = 'hire') AS hire,"
    " count(f.fact_id) FILTER (f.kind = 'announcement') AS announcement,"
    " count(f.fact_id) AS facts, array_to_string(s.warnings, '; ') AS warnings"
)
_SOURCES_ORDER = "s.published DESC NULLS LAST, coalesce(s.title, s.source_id), s.source_id"


@st.cache_data(show_spinner=False, max_entries=64)
def sources_list(db: Database, filters: Filters, limit: int | None = TABLE_ROWS) -> Rows:
    """The filtered sources with their metadata and fact counts per kind under the filters.

    The page of sources is picked first (by publication date), then only its facts counted.
    """
    where, params = fact_filter_sql(filters)
    source_clause = "list_contains($sources, s.source_id)" if filters.sources else "TRUE"

    def listing(limit_sql: str) -> str:
        page = (
            f"SELECT * EXCLUDE (text) FROM sources s WHERE {source_clause}"  # noqa: S608
            f" ORDER BY {_SOURCES_ORDER} {limit_sql}"
        )
        return (
            f"{_SOURCES_SELECT} FROM ({page}) s LEFT JOIN facts f"  # noqa: S608
            f" ON f.source_id = s.source_id AND {where} GROUP BY ALL ORDER BY {_SOURCES_ORDER}"
        )

    everything = Query(db, listing(""), params)
    if limit is None:
        return Rows.all_of(everything)
    count = f"SELECT count(*) AS n FROM sources s WHERE {source_clause}"  # noqa: S608
    return Rows.page_of(everything, listing(f"LIMIT {int(limit)}"), count, limit)


@st.cache_data(show_spinner=False, max_entries=32)
def source_document(db: Database, source_id: str) -> dict[str, Any] | None:
    """One article's metadata and full text, or None if there is no such source."""
    frame = _query(
        db,
        "SELECT source_id, coalesce(title, source_id) AS title, url, publisher, published,"
        " published_from, format, encoding, chars, warnings, text, sha256, duplicate_of"
        " FROM sources WHERE source_id = $id",
        {"id": source_id},
    )
    return None if frame.empty else frame.iloc[0].to_dict()


@st.cache_data(show_spinner=False, max_entries=32)
def source_facts(db: Database, source_id: str, filters: Filters) -> pd.DataFrame:
    """The facts of one article under the filters, in reading order, with their offsets."""
    sql, params = _facts_sql(
        f"f.kind, f.start_offset, f.end_offset, f.org, {_SUMMARY}, {_COMMON_TAIL}",
        filters,
        None,
        "AND f.source_id = $id ORDER BY f.start_offset, f.end_offset, f.kind",
    )
    return _query(db, sql, {**params, "id": source_id})


@st.cache_data(show_spinner=False, max_entries=64)
def search_facts(
    db: Database,
    filters: Filters,
    query: str = "",
    kinds: Sequence[str] = (),
    sort: str = "date",
    descending: bool = True,
    limit: int | None = TABLE_ROWS,
) -> Rows:
    """Facts matching a literal substring over quote, org, person and subject, sorted."""
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; choose one of {', '.join(SORTS)}")
    extra, params = "", {}
    if query:
        # strpos, not LIKE: the search text is literal, so % and _ match themselves.
        extra += (
            " AND (strpos(lower(f.quote), lower($q)) > 0"
            " OR strpos(lower(coalesce(f.org, '')), lower($q)) > 0"
            " OR strpos(lower(coalesce(f.person, '')), lower($q)) > 0"
            " OR strpos(lower(coalesce(f.subject, '')), lower($q)) > 0)"
        )
        params["q"] = query
    if kinds:
        extra += " AND list_contains($kinds, f.kind)"
        params["kinds"] = list(kinds)
    order = SORTS[sort].format(dir="DESC" if descending else "ASC")
    columns = f"f.kind, coalesce(f.org, f.to_org) AS org, {_SUMMARY}, {_COMMON_TAIL}"
    return _rows(db, columns, filters, None, order, limit, where=extra, params=params)


def table_frames(db: Database) -> dict[str, pd.DataFrame]:
    """Every table of the database, for the "download everything" archive (not cached)."""
    return {t: _query(db, EXPORT_SELECT.get(t, f"SELECT * FROM {t}")) for t in TABLES}  # noqa: S608 - fixed names


def fact_for_review(db: Database, fact_id: str) -> dict[str, Any] | None:
    """One fact's full row and its article's sha256 (not cached: a review needs it fresh)."""
    frame = _query(
        db,
        "SELECT f.*, s.sha256 AS source_sha256 FROM facts f JOIN sources s USING (source_id)"
        " WHERE f.fact_id = $id",
        {"id": fact_id},
    )
    if frame.empty:
        return None
    row = frame.iloc[0].to_dict()
    plain = {}
    for key, value in row.items():
        if _missing(value):
            value = None
        elif isinstance(value, pd.Timestamp):
            value = value.date()
        elif hasattr(value, "item"):  # numpy scalars: JSON and the review log want Python's
            value = value.item()
        plain[key] = value
    return plain


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# --- claims and conflicts -----------------------------------------------------------------------

_CLAIM_SUMMARY = (
    "CASE c.kind"
    " WHEN 'compute' THEN concat_ws(' ', c.org || ':', format('{:,}', c.quantity), c.unit,"
    "  '(' || c.chip || ')', '· ' || c.status)"
    " WHEN 'hire' THEN concat_ws(' · ', c.person, coalesce(c.from_org || ' → ', '→ ') || c.to_org,"
    "  c.role)"
    " ELSE concat_ws(' · ', c.org || ': ' || c.subject, c.category) END AS summary"
)


def _claim_filter_sql(filters: Filters) -> tuple[str, dict[str, Any]]:
    """Claims that have at least one fact under the sidebar's filters."""
    where, params = fact_filter_sql(filters)
    return (
        "c.claim_id IN (SELECT cf.claim_id FROM claim_facts cf JOIN facts f USING (fact_id)"  # noqa: S608 - fixed SQL
        f" WHERE {where})",
        params,
    )


@st.cache_data(show_spinner=False, max_entries=64)
def claims_list(db: Database, filters: Filters, limit: int | None = TABLE_ROWS) -> Rows:
    """Claims under the filters, most supported first."""
    where, params = _claim_filter_sql(filters)
    sql = (
        f"SELECT c.kind, {_CLAIM_SUMMARY}, c.date, c.support, c.sources, c.facts,"  # noqa: S608
        " c.first_seen, c.last_seen, c.claim_id"
        f" FROM claims c WHERE {where}"
        " ORDER BY c.support DESC, c.sources DESC, c.last_seen DESC NULLS LAST, c.claim_id"
    )
    everything = Query(db, sql, params)
    if limit is None:
        return Rows.all_of(everything)
    count = f"SELECT count(*) AS n FROM claims c WHERE {where}"  # noqa: S608
    return Rows.page_of(everything, f"{sql} LIMIT {int(limit)}", count, limit)


@st.cache_data(show_spinner=False, max_entries=64)
def conflicts_list(db: Database, filters: Filters, limit: int = 100) -> pd.DataFrame:
    """Conflicts whose two claims both have facts under the filters, with each side's summary."""
    where, params = _claim_filter_sql(filters)
    sql = (
        "WITH shown AS (SELECT c.*, " + _CLAIM_SUMMARY + f" FROM claims c WHERE {where})"  # noqa: S608
        " SELECT k.conflict_id, k.kind, k.reason, a.claim_id AS claim_a, a.summary AS summary_a,"
        " a.support AS support_a, b.claim_id AS claim_b, b.summary AS summary_b,"
        " b.support AS support_b"
        " FROM conflicts k JOIN shown a ON a.claim_id = k.claim_a"
        " JOIN shown b ON b.claim_id = k.claim_b"
        " ORDER BY a.support + b.support DESC, k.conflict_id LIMIT $limit"
    )
    return _query(db, sql, {**params, "limit": int(limit)})


@st.cache_data(show_spinner=False, max_entries=64)
def claim_reports(db: Database, claim_ids: tuple[str, ...]) -> pd.DataFrame:
    """The reports behind claims: each fact's quote, its article and publication date."""
    return _query(
        db,
        "SELECT cf.claim_id, f.fact_id, f.quote, f.source_id,"
        " coalesce(s.title, s.source_id) AS source_title, s.published, s.duplicate_of"
        " FROM claim_facts cf JOIN facts f USING (fact_id) JOIN sources s ON s.source_id = f.source_id"
        " WHERE list_contains($ids, cf.claim_id)"
        " ORDER BY cf.claim_id, s.published NULLS LAST, f.source_id, f.start_offset",
        {"ids": list(claim_ids)},
    )


@st.cache_data(show_spinner=False, max_entries=64)
def people(db: Database, filters: Filters, limit: int = 2000) -> pd.DataFrame:
    """People reported moving (one name per person, variants joined), most reported first."""
    where, params = _claim_filter_sql(filters)
    sql = (
        "SELECT c.person, count(*) AS moves, sum(c.facts) AS reports FROM claims c"  # noqa: S608
        f" WHERE c.kind = 'hire' AND c.person IS NOT NULL AND {where}"
        " GROUP BY c.person ORDER BY reports DESC, c.person LIMIT $limit"
    )
    return _query(db, sql, {**params, "limit": int(limit)})


@st.cache_data(show_spinner=False, max_entries=64)
def person_moves(db: Database, filters: Filters, person: str) -> pd.DataFrame:
    """Every move reported for one person: destination, origin, role, date and support."""
    where, params = _claim_filter_sql(filters)
    sql = (
        "SELECT c.to_org, c.from_org, c.role, c.date, c.support, c.first_seen, c.last_seen,"  # noqa: S608
        f" c.claim_id FROM claims c WHERE c.kind = 'hire' AND c.person = $person AND {where}"
        " ORDER BY coalesce(c.date, c.first_seen) NULLS LAST, c.to_org"
    )
    return _query(db, sql, {**params, "person": person})


@st.cache_data(show_spinner=False, max_entries=64)
def compute_claim_points(db: Database, filters: Filters) -> ChartPoints:
    """One point per compute claim under the filters (the most supported CHART_POINTS), with
    its support and the first report's quote and source."""
    where, params = _claim_filter_sql(filters)
    picked = f"SELECT c.* FROM claims c WHERE c.kind = 'compute' AND {where}"  # noqa: S608
    first = "coalesce(s.published, DATE '9999-12-31'), f.start_offset"
    sql = (
        f"WITH c AS ({picked}),"  # noqa: S608 - fixed SQL
        " rep AS (SELECT cf.claim_id,"
        f" arg_min(f.quote, ({first})) AS quote,"
        f" arg_min(f.date_phrase, ({first})) AS date_phrase,"
        f" arg_min(coalesce(s.title, s.source_id), ({first})) AS source_title"
        " FROM claim_facts cf JOIN facts f USING (fact_id) JOIN sources s ON s.source_id = f.source_id"
        " WHERE cf.claim_id IN (SELECT claim_id FROM c) GROUP BY cf.claim_id)"
        " SELECT c.org, c.chip, c.quantity, c.unit, c.status, c.date, c.date_precision,"
        " rep.date_phrase, rep.quote, rep.source_title, c.support, c.sources AS reports,"
        " c.claim_id FROM c JOIN rep USING (claim_id)"
        " ORDER BY c.support DESC, c.quantity DESC, c.claim_id LIMIT $limit"
    )
    frame = _query(db, sql, {**params, "limit": CHART_POINTS})
    total = int(_query(db, f"SELECT count(*) AS n FROM ({picked})", params).n.iloc[0])  # noqa: S608
    return ChartPoints(frame, total)


@st.cache_data(show_spinner=False, max_entries=64)
def compute_fleet(db: Database, filters: Filters) -> pd.DataFrame:
    """Per organisation, unit and status: the latest claim (by its date, then when it was
    last reported) with its support and sources."""
    where, params = _claim_filter_sql(filters)
    sql = (
        "SELECT c.org, c.unit, c.status, c.quantity, c.chip, c.date, c.support,"  # noqa: S608
        " c.sources, c.last_seen, c.claim_id FROM claims c"
        f" WHERE c.kind = 'compute' AND c.org IS NOT NULL AND {where}"
        " QUALIFY row_number() OVER (PARTITION BY c.org, c.unit, c.status"
        " ORDER BY c.date DESC NULLS LAST, c.last_seen DESC NULLS LAST, c.support DESC,"
        " c.claim_id) = 1"
        " ORDER BY c.org, c.unit, c.status"
    )
    return _query(db, sql, params)


@st.cache_data(show_spinner=False, max_entries=8)
def review_quality(db: Database) -> pd.DataFrame:
    """Per kind: extracted facts, how many analysts reviewed, and of those how many were right
    (verified, or found with a detail to correct) and wrong (rejected); facts analysts added."""
    return _query(
        db,
        "SELECT kind,"
        " count(*) FILTER (WHERE extractor_version <> 'analyst') AS extracted,"
        " count(*) FILTER (WHERE review_status IN ('verified', 'corrected', 'rejected')) AS reviewed,"
        " count(*) FILTER (WHERE review_status = 'verified') AS verified,"
        " count(*) FILTER (WHERE review_status = 'corrected') AS corrected,"
        " count(*) FILTER (WHERE review_status = 'rejected') AS rejected,"
        " count(*) FILTER (WHERE review_status = 'added') AS added"
        " FROM facts GROUP BY kind ORDER BY kind",
    )


@st.cache_data(show_spinner=False, max_entries=8)
def orphaned_reviews(db: Database) -> pd.DataFrame:
    """Reviews that no longer attach to any fact (kept in the log, listed here)."""
    return _query(
        db,
        "SELECT reviewed_at, action, kind, quote, note, review_id FROM reviews WHERE NOT attached"
        " ORDER BY reviewed_at",
    )

"""Security on a hostile database: safe spreadsheets, literal queries, a server bound to localhost.

The database is built by the real build from seeds/ plus the hostile corpus (test_bad_input.py):
markup and formula starters in titles, quotes, roles and subjects. Organisation and person
names come from the lexicon and from capitalised words, so the extractor cannot put markup or
SQL in them; a few of those cells are then written directly, so the dashboard is tested on
values a future extractor (or a hand-edited database) could hold.
"""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from test_app import open_app
from test_bad_input import BAD, SEED_IDS, hostile_folder, run_cli

from etl.build import build
from etl.export import FORMULA_STARTERS, export
from etl.load import connect

APP = str(ROOT / "dashboard/app.py")
XSS_ORG_FROM = "<img src=x onerror=window.__pwned=1> Labs"
XSS_ORG_TO = '"><script>window.__pwned=1</script> AI'
XSS_PERSON = "<svg onload=window.__pwned=1> Smith"
# Typed into the search box and passed as ?org=: each must match only itself.
QUERIES = ["'", '"', "%", "_", ";", "\\", "'; DROP TABLE facts; --", "100%_"]
LIST_WARNINGS = ['=HYPERLINK("http://evil.example","x")', "@SUM(1)", "plain", "-2+3"]
LIST_SOURCE = "sidecar_unknown_keys"
PAGES = [
    "views/overview.py",
    "views/compute.py",
    "views/hiring.py",
    "views/announcements.py",
    "views/sources.py",
    "views/facts.py",
]


def build_hostile_db(root: Path) -> Path:
    """Build seeds + the hostile corpus, then plant markup and SQL in org, person and lists."""
    db = root / "hostile.duckdb"
    build(hostile_folder(root / "articles"), db)
    con = connect(db)
    try:
        others = "NOT list_contains($seeds, source_id)"
        plain = con.execute(
            f"SELECT fact_id FROM facts WHERE {others} AND kind <> 'hire' "  # noqa: S608 - fixed
            "ORDER BY source_id, start_offset, kind",
            {"seeds": SEED_IDS},
        ).fetchall()
        hire = con.execute(
            f"SELECT fact_id FROM facts WHERE {others} AND kind = 'hire' "  # noqa: S608 - fixed
            "ORDER BY source_id, start_offset LIMIT 1",
            {"seeds": SEED_IDS},
        ).fetchall()
        assert len(plain) >= len(QUERIES) and hire
        for (fact_id,), org in zip(plain, QUERIES, strict=False):
            con.execute("UPDATE facts SET org = ? WHERE fact_id = ?", [org, fact_id])
        con.execute(
            "UPDATE facts SET person = ?, from_org = ?, to_org = ?, org = ? WHERE fact_id = ?",
            [XSS_PERSON, XSS_ORG_FROM, XSS_ORG_TO, XSS_ORG_TO, hire[0][0]],
        )
        _set_warnings(con, LIST_SOURCE, LIST_WARNINGS)
    finally:
        con.close()
    return db


def _set_warnings(con, source_id: str, warnings: list[str]) -> None:
    """Update one source's warnings; DuckDB refuses while other tables' rows refer to it."""
    referring = con.execute(
        "SELECT table_name FROM duckdb_constraints() "
        "WHERE constraint_type = 'FOREIGN KEY' AND referenced_table = 'sources'"
    ).fetchall()
    kept = {}
    for (table,) in referring:  # names from the catalogue, not from input
        kept[table] = con.execute(
            f"SELECT * FROM {table} WHERE source_id = ?",  # noqa: S608
            [source_id],
        ).fetchall()
        con.execute(f"DELETE FROM {table} WHERE source_id = ?", [source_id])  # noqa: S608
    con.execute("UPDATE sources SET warnings = ? WHERE source_id = ?", [warnings, source_id])
    for table, rows in kept.items():
        for row in rows:
            marks = ", ".join("?" * len(row))
            con.execute(f"INSERT INTO {table} VALUES ({marks})", list(row))  # noqa: S608


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    return build_hostile_db(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def facts(hostile_db) -> pd.DataFrame:
    con = connect(hostile_db, read_only=True)
    try:
        return con.execute("SELECT * FROM facts").df()
    finally:
        con.close()


@pytest.fixture
def deferred(monkeypatch) -> dict[str, tuple]:
    """file id -> (callable, file name) of every deferred download the app registers."""
    seen: dict[str, tuple] = {}
    original = MediaFileManager.add_deferred

    def recording(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        file_id = original(self, data_callable, mimetype, coordinates, file_name, **kwargs)
        seen[file_id] = (data_callable, file_name)
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)
    return seen


def downloads(at: AppTest, deferred: dict[str, tuple]) -> dict[str, tuple[str, bytes]]:
    """Button label -> (file name, bytes) for every download button on the page."""
    out = {}
    for button in at.get("download_button"):
        assert button.proto.deferred_file_id, f"{button.proto.label}: not a deferred download"
        make, name = deferred[button.proto.deferred_file_id]
        data = make()
        out[f"{button.proto.label} ({name})"] = (
            name,
            data.encode() if isinstance(data, str) else data,
        )
    return out


# --- the payloads reach the facts ---------------------------------------------------------------


def test_extract_cli_carries_payloads_into_fact_fields():
    """The hostile article is not inert by accident: its markup lands in quotes, roles, subjects."""
    r = run_cli("extract", str(BAD / "xss_article.txt"))
    assert r.returncode == 0, r.stderr
    facts = [json.loads(line) for line in r.stdout.splitlines()]
    assert any("<script>window.__pwned=1</script>" in f["quote"] for f in facts)
    assert any("<" in (f.get("role") or "") for f in facts if f["kind"] == "hire")
    assert any("<" in (f.get("subject") or "") for f in facts if f["kind"] == "announcement")
    assert not any("<" in (f.get("person") or "") + (f["org"] or "") for f in facts)


# --- spreadsheet safety -------------------------------------------------------------------------


def unsafe_cells(csv_bytes: bytes) -> list[str]:
    """Cells a spreadsheet would run as a formula: a starter, not a number, not quoted away."""
    bad = []
    for row in csv.reader(io.StringIO(csv_bytes.decode("utf-8"), newline="")):
        for cell in row:
            if not cell.startswith(FORMULA_STARTERS):
                continue
            try:
                float(cell)  # "-5" is a number to a spreadsheet, not a formula
            except ValueError:
                bad.append(cell)
    return bad


def csv_files(name: str, data: bytes) -> dict[str, bytes]:
    """The CSV files of a download: the file itself, or every CSV inside a zip."""
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {n: archive.read(n) for n in archive.namelist() if n.endswith(".csv")}
    return {name: data} if name.endswith(".csv") else {}


@pytest.mark.parametrize(
    ("page", "params"),
    [(p, {}) for p in PAGES] + [("views/sources.py", {"article": "xss_article"})],
    ids=[p.split("/")[1][:-3] for p in PAGES] + ["reading-view"],
)
def test_every_download_is_spreadsheet_safe(hostile_db, facts, monkeypatch, deferred, page, params):
    at = open_app(hostile_db, monkeypatch, page, **params)
    files = downloads(at, deferred)
    if page == "views/overview.py":
        assert files == {}
        return
    assert files, "every page but the overview offers its data"
    checked = 0
    for name, data in files.values():
        for inner, body in csv_files(name, data).items():
            assert not unsafe_cells(body), (name, inner, unsafe_cells(body)[:5])
            checked += 1
        if name.endswith(".parquet"):  # typed values, kept raw: it must round-trip exactly
            frame = pd.read_parquet(io.BytesIO(data))
            raw = facts.set_index("fact_id").loc[frame["fact_id"], "quote"]
            assert frame["quote"].tolist() == raw.tolist()
            assert any(q.startswith(("+", "-", "@")) for q in frame["quote"])
    assert checked


def test_hostile_values_really_are_in_the_downloads(hostile_db, monkeypatch, deferred):
    """The safety above is not vacuous: formula starters reach the files, quoted away."""
    at = open_app(hostile_db, monkeypatch, "views/facts.py")
    files = downloads(at, deferred)
    (zip_name, zip_data) = next(v for k, v in files.items() if k.startswith("Download everything"))
    tables = csv_files(zip_name, zip_data)
    sources = list(csv.DictReader(io.StringIO(tables["sources.csv"].decode("utf-8"))))
    by_id = {row["source_id"]: row for row in sources}
    assert by_id["'=1+2"]["title"] == "Formula-named dispatch"  # id from the file name "=1+2.txt"
    assert by_id["formulas"]["title"].startswith("'=HYPERLINK(")
    assert by_id["formulas_tab"]["text"].startswith("'\t@SUM(1+1)")
    assert by_id["formulas_cr"]["text"].startswith("'\r-2+3")
    assert by_id["formulas_meta"]["publisher"] == "'@SUM(A1:A9)"
    # A list cell is neutralised item by item, not only at its start.
    items = by_id[LIST_SOURCE]["warnings"].split("; ")
    assert items == ["'" + LIST_WARNINGS[0], "'@SUM(1)", "plain", "'-2+3"]
    quotes = [row["quote"] for row in csv.DictReader(io.StringIO(tables["facts.csv"].decode()))]
    assert {q[:2] for q in quotes} >= {"'+", "'-", "'@"}


def test_cli_export_of_the_hostile_database_is_safe(hostile_db, tmp_path):
    written = export(hostile_db, tmp_path, "csv")
    assert len(written) == 8  # sources, facts, claims, claim_facts, conflicts, reviews, runs, files
    for path in written:
        assert not unsafe_cells(path.read_bytes()), path.name


# --- every page survives the hostile database ---------------------------------------------------


@pytest.mark.parametrize(
    ("article", "title"),
    [
        ("xss_article", "&lt;img src=x onerror=window.__pwned=1&gt; &quot;&gt;&lt;script&gt;"),
        ("<img src=x onerror=alert(11)>", "Markup-named dispatch"),
        ("-rf", "Dash dispatch"),
    ],
)
def test_reading_view_opens_hostile_articles(hostile_db, monkeypatch, article, title):
    at = open_app(hostile_db, monkeypatch, "views/sources.py", article=article)
    assert at.selectbox(key="article_view").value == article
    html = "".join(e.proto.body for e in at.get("html"))
    assert title in html  # the title, escaped where it holds markup
    assert "<script" not in html.lower() and "<img" not in html.lower() and "<svg" not in html
    assert 'class="fact-ref"' in html


# --- query safety -------------------------------------------------------------------------------


def literal_search(facts: pd.DataFrame, query: str) -> set[str]:
    """Facts whose quote, org, person or subject holds `query` literally, ignoring case."""
    needle = query.lower()
    fields = facts[["quote", "org", "person", "subject"]].fillna("")
    hit = fields.apply(lambda col: col.str.lower().str.contains(needle, regex=False)).any(axis=1)
    return set(facts.loc[hit, "fact_id"])


def shown_fact_ids(at: AppTest) -> set[str]:
    if not at.dataframe:
        assert "No facts match these filters" in at.info[0].value
        return set()
    return set(at.dataframe[0].value["fact_id"])


def test_search_box_treats_quotes_wildcards_and_sql_literally(hostile_db, facts, monkeypatch):
    at = open_app(hostile_db, monkeypatch, "views/facts.py")
    assert shown_fact_ids(at) == set(facts.fact_id)
    for query in QUERIES:
        at.text_input(key="q").set_value(query).run()
        assert not at.exception, (query, [e.value for e in at.exception])
        expected = literal_search(facts, query)
        assert expected, f"{query!r} should match something in the hostile corpus"
        assert shown_fact_ids(at) == expected, query
    assert len(facts) == len(shown_fact_ids(at.text_input(key="q").set_value("").run()))


@pytest.mark.parametrize("org", [*QUERIES, XSS_ORG_TO, "%%-not-an-org"])
def test_org_url_values_are_matched_literally(hostile_db, facts, monkeypatch, org):
    at = open_app(hostile_db, monkeypatch, "views/facts.py", org=org)
    named = facts[(facts[["org", "from_org", "to_org"]] == org).any(axis=1)]
    if named.empty:  # not an organisation of the database: the filter drops it, nothing breaks
        assert at.multiselect(key="org").value == []
        assert shown_fact_ids(at) == set(facts.fact_id)
    else:
        assert at.multiselect(key="org").value == [org]
        assert shown_fact_ids(at) == set(named.fact_id)
    con = connect(hostile_db, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM facts").fetchall() == [(len(facts),)]
    finally:
        con.close()


# --- server hardening ---------------------------------------------------------------------------


def test_streamlit_config_is_locked_down():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    server, browser, client = config["server"], config["browser"], config["client"]
    assert server["address"] == "127.0.0.1"
    assert server["enableXsrfProtection"] is True
    assert server.get("enableCORS", True) is True
    assert 0 < server["maxUploadSize"] <= 10  # MB: the most an uploaded article may be
    assert browser["gatherUsageStats"] is False
    assert client["showErrorDetails"] in ("none", False)
    assert client["toolbarMode"] == "viewer"
    # The grid toolbar's own CSV export writes cells raw (tests/test_e2e_hostile.py checks it).
    assert client["disableDataExport"] is True


def test_make_run_binds_to_localhost():
    lines = (ROOT / "Makefile").read_text("utf-8").splitlines()
    start = lines.index(next(line for line in lines if line.startswith("run:")))
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line)
    assert any("streamlit run" in line and "--server.address 127.0.0.1" in line for line in recipe)


def _listening(port: int) -> set[str]:
    """Local addresses (as /proc/net/tcp{,6} hex) listening on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            for line in f.readlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.split(":")
                if int(hex_port, 16) == port and state == "0A":  # 0A: LISTEN
                    found.add(address)
    return found


@pytest.fixture
def plain_server(seeds_db) -> Iterator[int]:
    """`streamlit run` with no address flag: only .streamlit/config.toml decides where it binds."""
    from e2e_server import _healthy, free_port, stop

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.port", str(port),
         "--server.headless", "true", "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, "AGI_TRACKER_DB": str(seeds_db)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not _healthy(f"http://127.0.0.1:{port}/_stcore/health"):
            assert proc.poll() is None and time.monotonic() < deadline, "streamlit did not start"
            time.sleep(0.2)
        yield port
    finally:
        stop(proc)


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc/net/tcp")
def test_server_listens_on_loopback_only(plain_server):
    assert _listening(plain_server) == {"0100007F"}  # 127.0.0.1, and nothing on 0.0.0.0 or ::
    outside = socket.gethostbyname(socket.gethostname())
    if not outside.startswith("127."):
        with socket.socket() as s:
            s.settimeout(2)
            assert s.connect_ex((outside, plain_server)) != 0

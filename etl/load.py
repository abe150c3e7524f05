"""Write a complete database to a temporary file, then `os.replace` it onto the live path.

A reader never sees a half-built database and a crash leaves the previous one intact.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import duckdb
import pyarrow as pa

from etl.model import Fact, Source
from etl.sources import FileOutcome

SCHEMA = Path(__file__).with_name("schema.sql")
DUCKDB_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}

SOURCE_SCHEMA = pa.schema(
    [
        ("source_id", pa.string()), ("path", pa.string()), ("title", pa.string()),
        ("url", pa.string()), ("publisher", pa.string()), ("published", pa.date32()),
        ("published_from", pa.string()), ("format", pa.string()), ("encoding", pa.string()),
        ("sha256", pa.string()), ("bytes", pa.int64()), ("chars", pa.int64()),
        ("warnings", pa.list_(pa.string())), ("text", pa.string()),
    ]
)  # fmt: skip
FACT_COLUMNS = [
    ("fact_id", pa.string()), ("source_id", pa.string()), ("kind", pa.string()),
    ("quote", pa.string()), ("start_offset", pa.int32()), ("end_offset", pa.int32()),
    ("org", pa.string()), ("date", pa.date32()), ("date_precision", pa.string()),
    ("date_phrase", pa.string()), ("extractor_version", pa.string()), ("chip", pa.string()),
    ("quantity", pa.int64()), ("unit", pa.string()), ("status", pa.string()),
    ("person", pa.string()), ("from_org", pa.string()), ("to_org", pa.string()),
    ("role", pa.string()), ("subject", pa.string()), ("category", pa.string()),
]  # fmt: skip
FACT_SCHEMA = pa.schema(FACT_COLUMNS)


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection that never tries to download an extension."""
    return duckdb.connect(str(path), read_only=read_only, config=DUCKDB_CONFIG)


def temp_path_for(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.tmp-{os.getpid()}")


def clean_stale_temps(db_path: Path) -> list[Path]:
    """Remove temp files left by builds that died (their process no longer exists)."""
    removed = []
    for tmp in db_path.parent.glob(f".{db_path.name}.tmp-*"):
        pid = tmp.name.rsplit("-", 1)[-1].split(".")[0]
        if pid.isdigit() and not _alive(int(pid)):
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sources_table(sources: list[Source]) -> pa.Table:
    rows = [
        {
            "source_id": s.source_id,
            "path": s.path,
            "title": s.title,
            "url": s.url,
            "publisher": s.publisher,
            "published": s.published,
            "published_from": s.published_from,
            "format": s.format,
            "encoding": s.encoding,
            "sha256": s.sha256,
            "bytes": s.byte_count,
            "chars": len(s.text),
            "warnings": list(s.warnings),
            "text": s.text,
        }  # fmt: skip
        for s in sources
    ]
    return pa.Table.from_pylist(rows, schema=SOURCE_SCHEMA)


def facts_table(facts: list[Fact]) -> pa.Table:
    rows = []
    for f in facts:
        r = f.to_record()
        r["source_id"] = r.pop("source")
        r["start_offset"] = r.pop("start")
        r["end_offset"] = r.pop("end")
        rows.append(r)
    return pa.Table.from_pylist(rows, schema=FACT_SCHEMA)


def write_database(
    db_path: Path,
    sources: list[Source],
    facts: list[Fact],
    outcomes: list[FileOutcome],
    run: dict,
    t0: float,
) -> None:
    """Write everything to a new file and swap it onto `db_path`."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_temps(db_path)
    tmp = temp_path_for(db_path)
    tmp.unlink(missing_ok=True)
    try:
        con = connect(tmp)
        try:
            con.execute(SCHEMA.read_text("utf-8"))
            src = sources_table(sources)  # noqa: F841 - scanned by name below
            con.execute("INSERT INTO sources SELECT * FROM src")
            fct = facts_table(facts)  # noqa: F841
            con.execute("INSERT INTO facts SELECT * FROM fct")
            _check_spans(con)
            _carry_history(con, db_path)
            finished = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            con.execute(
                "INSERT INTO etl_runs VALUES ($run_id, $started_at, $finished_at, $seeds_dir, "
                "$extractor_version, $files_seen, $sources_loaded, $files_skipped, $facts, $seconds)",
                {**run, "finished_at": finished, "seconds": time.perf_counter() - t0},
            )
            if outcomes:  # an empty articles folder still gives a valid, empty database
                con.executemany(
                    "INSERT INTO etl_files VALUES (?, ?, ?, ?, ?)",
                    [[run["run_id"], o.path, o.source_id, o.status, o.reason] for o in outcomes],
                )
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, db_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _check_spans(con: duckdb.DuckDBPyConnection) -> None:
    """A fact without a valid span does not exist: refuse to publish one."""
    bad = con.execute(
        "SELECT f.fact_id FROM facts f JOIN sources s USING (source_id) "
        "WHERE substring(s.text, f.start_offset + 1, f.end_offset - f.start_offset) <> f.quote LIMIT 1"
    ).fetchall()
    if bad:
        raise AssertionError(f"fact {bad[0][0]} has a span that does not match its quote")


def _carry_history(con: duckdb.DuckDBPyConnection, db_path: Path) -> None:
    """Copy earlier runs from the live database, if it is there and readable."""
    if not db_path.exists():
        return
    try:
        con.execute("ATTACH ? AS previous (READ_ONLY)", [str(db_path)])
    except duckdb.Error:
        return  # an unreadable previous database has no history worth keeping
    try:
        con.execute("INSERT INTO etl_runs SELECT * FROM previous.etl_runs")
        con.execute("INSERT INTO etl_files SELECT * FROM previous.etl_files")
    except duckdb.Error:
        pass  # an older schema: start the history afresh
    finally:
        con.execute("DETACH previous")

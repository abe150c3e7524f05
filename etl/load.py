"""Write a complete database to a temporary file, then `os.replace` it onto the live path.

A reader never sees a half-built database and a crash leaves the previous one intact.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from etl import claims, reviews
from etl.model import Fact, Source
from etl.sources import FileOutcome

SCHEMA = Path(__file__).with_name("schema.sql")
DUCKDB_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}

SOURCE_SCHEMA = pa.schema(
    [
        ("source_id", pa.string()), ("path", pa.string()), ("title", pa.string()),
        ("url", pa.string()), ("publisher", pa.string()), ("author", pa.string()),
        ("published", pa.date32()),
        ("published_from", pa.string()), ("format", pa.string()), ("encoding", pa.string()),
        ("sha256", pa.string()), ("bytes", pa.int64()), ("chars", pa.int64()),
        ("warnings", pa.list_(pa.string())), ("text", pa.string()), ("minhash", pa.binary()),
        ("duplicate_of", pa.string()),
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
    ("confidence", pa.float64()),
]  # fmt: skip
FACT_SCHEMA = pa.schema(FACT_COLUMNS)
FACT_NAMES = ", ".join(name for name, _ in FACT_COLUMNS)


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
    """The sources as an Arrow table, built column by column (quick for tens of thousands)."""
    columns = {
        "source_id": [s.source_id for s in sources],
        "path": [s.path for s in sources],
        "title": [s.title for s in sources],
        "url": [s.url for s in sources],
        "publisher": [s.publisher for s in sources],
        "author": [s.author for s in sources],
        "published": [s.published for s in sources],
        "published_from": [s.published_from for s in sources],
        "format": [s.format for s in sources],
        "encoding": [s.encoding for s in sources],
        "sha256": [s.sha256 for s in sources],
        "bytes": [s.byte_count for s in sources],
        "chars": [len(s.text) for s in sources],
        "warnings": [list(s.warnings) for s in sources],
        "text": [s.text for s in sources],
        "minhash": [s.minhash for s in sources],
        "duplicate_of": [None] * len(sources),  # set over all sources once they are in
    }
    return pa.table(
        [pa.array(columns[f.name], f.type) for f in SOURCE_SCHEMA], schema=SOURCE_SCHEMA
    )


# Fact attributes whose column has another name.
_FACT_ATTRIBUTES = {"source_id": "source", "start_offset": "start", "end_offset": "end"}


def facts_table(facts: list[Fact]) -> pa.Table:
    """The facts as an Arrow table, built column by column from their attributes."""
    arrays = []
    for name, kind in FACT_COLUMNS:
        attribute = _FACT_ATTRIBUTES.get(name, name)
        arrays.append(pa.array([getattr(f, attribute) for f in facts], kind))
    return pa.table(arrays, schema=FACT_SCHEMA)


@dataclass(frozen=True)
class CachedSource:
    """An article of the live database that a new build can reuse without reading it again."""

    path: str
    source_id: str
    sha256: str
    content_key: str
    warnings: tuple[str, ...]
    stat_signature: str | None = None

    def outcome(self) -> FileOutcome:
        return FileOutcome.loaded(self.path, self.source_id, self.warnings)


def cache_version(extractor_version: str) -> str:
    """What cached facts depend on besides the article: the rules and the table layout."""
    schema = hashlib.sha256(SCHEMA.read_bytes()).hexdigest()[:12]
    return f"{extractor_version}+schema.{schema}"


def cached_sources(db_path: Path, extractor_version: str) -> dict[str, CachedSource]:
    """The live database's sources by path, when built by the same rules; else nothing."""
    if not db_path.exists():
        return {}
    try:
        con = connect(db_path, read_only=True)
    except duckdb.Error:
        return {}  # unreadable: build everything afresh
    try:
        rows = con.execute(
            "SELECT s.path, s.source_id, s.sha256, k.content_key, s.warnings, k.stat_signature "
            "FROM sources s JOIN source_keys k USING (source_id) WHERE k.cache_version = $v",
            {"v": cache_version(extractor_version)},
        ).fetchall()
    except duckdb.Error:
        return {}  # an older layout without the cache table
    finally:
        con.close()
    return {r[0]: CachedSource(r[0], r[1], r[2], r[3], tuple(r[4] or ()), r[5]) for r in rows}


def write_database(
    db_path: Path,
    sources: list[Source],
    facts: list[Fact],
    outcomes: list[FileOutcome],
    run: dict,
    t0: float,
    keys: dict[str, tuple[str, str | None]] | None = None,
    cached: list[str] = (),
) -> Counter:
    """Write everything to a new file and swap it onto `db_path`; the facts per kind.

    `sources` and `facts` are new. The ids in `cached` are kept from the live database with
    their facts: the new file then starts as a byte copy of the live one (it is never written
    in place, so the copy is consistent) and loses only the sources not kept, which makes a
    rebuild after adding one article cost a file copy rather than a reload of everything.
    `keys` maps every source id to (content key, stat signature), for the next build's cache.
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_temps(db_path)
    tmp = temp_path_for(db_path)
    tmp.unlink(missing_ok=True)
    version = cache_version(run["extractor_version"])
    try:
        if cached:
            shutil.copyfile(db_path, tmp)
        con = connect(tmp)
        try:
            touched: set[str] = set()
            before = None
            if cached:
                # what the copy's claims were derived from: to derive again only what changed
                before = _derived_state(con, cached)
                touched = reviewed_fact_ids(con) if before is not None else set()
                _undo_reviews(con)  # the copy carries the last build's reviews: start clean
                _keep_only(con, cached)
            else:
                con.execute(SCHEMA.read_text("utf-8"))
                if _attach_previous(con, db_path):
                    _carry_history(con)
                    con.execute("DETACH previous")
            src = sources_table(sources)  # noqa: F841 - scanned by name below
            con.execute("INSERT INTO sources SELECT * FROM src")
            fct = facts_table(facts)  # noqa: F841
            con.execute(f"INSERT INTO facts ({FACT_NAMES}) SELECT * FROM fct")  # noqa: S608
            _check_spans(con, [s.source_id for s in sources])  # kept ones were checked before
            items = list((keys or {}).items())
            key_rows = pa.table(  # noqa: F841
                {
                    "source_id": pa.array([k for k, _ in items], pa.string()),
                    "content_key": pa.array([v[0] for _, v in items], pa.string()),
                    "stat_signature": pa.array([v[1] for _, v in items], pa.string()),
                }
            )
            con.execute(
                "INSERT INTO source_keys SELECT source_id, content_key, $v, stat_signature "
                "FROM key_rows WHERE content_key IS NOT NULL AND source_id IN "
                "(SELECT source_id FROM sources)",
                {"v": version},
            )
            apply_reviews(con)
            if cached and before is not None:  # the blocks this build touched; the rest stay
                touched |= reviewed_fact_ids(con)
                removed, copies = before
                changed = removed | {s.source_id for s in sources}
                derive_claims(con, changed, touched, copies)
            else:
                derive_claims(con)
            per_kind = Counter(
                dict(con.execute("SELECT kind, count(*) FROM facts GROUP BY kind").fetchall())
            )
            finished = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            con.execute(
                "INSERT INTO etl_runs VALUES ($run_id, $started_at, $finished_at, $seeds_dir, "
                "$extractor_version, $files_seen, $sources_loaded, $files_skipped, $facts, $seconds)",
                {
                    **run,
                    "facts": sum(per_kind.values()),
                    "finished_at": finished,
                    "seconds": time.perf_counter() - t0,
                },
            )
            if outcomes:  # an empty articles folder still gives a valid, empty database
                files = pa.table(  # noqa: F841
                    {
                        "run_id": [run["run_id"]] * len(outcomes),
                        "path": [o.path for o in outcomes],
                        "source_id": [o.source_id for o in outcomes],
                        "status": [o.status for o in outcomes],
                        "reason": [o.reason for o in outcomes],
                    }
                )
                con.execute("INSERT INTO etl_files SELECT * FROM files")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, db_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return per_kind


def _keep_only(con: duckdb.DuckDBPyConnection, kept: list[str]) -> None:
    """In a copy of the live database, drop every source (and its facts) not in `kept`."""
    keep = pa.table({"source_id": pa.array(kept, pa.string())})  # noqa: F841
    con.execute("DELETE FROM source_keys")  # written afresh for every source by the caller
    for table in ("facts", "sources"):  # children before their parent
        con.execute(
            f"DELETE FROM {table} WHERE source_id NOT IN (SELECT source_id FROM keep)"  # noqa: S608 - fixed names
        )


def _attach_previous(con: duckdb.DuckDBPyConnection, db_path: Path) -> bool:
    """Attach the live database as `previous`, if it is there and readable."""
    if not db_path.exists():
        return False
    try:
        con.execute("ATTACH ? AS previous (READ_ONLY)", [str(db_path)])
    except duckdb.Error:
        return False  # an unreadable previous database has nothing worth keeping
    return True


def _check_spans(con: duckdb.DuckDBPyConnection, source_ids: list[str]) -> None:
    """A fact without a valid span does not exist: refuse to publish one."""
    checked = pa.table({"source_id": pa.array(source_ids, pa.string())})  # noqa: F841
    bad = con.execute(
        "SELECT f.fact_id FROM facts f JOIN sources s USING (source_id) "
        "SEMI JOIN checked c USING (source_id) "
        "WHERE substring(s.text, f.start_offset + 1, f.end_offset - f.start_offset) <> f.quote LIMIT 1"
    ).fetchall()
    if bad:
        raise AssertionError(f"fact {bad[0][0]} has a span that does not match its quote")


def _carry_history(con: duckdb.DuckDBPyConnection) -> None:
    """Copy earlier runs from the attached live database, so the history survives the swap."""
    try:
        con.execute("INSERT INTO etl_runs SELECT * FROM previous.etl_runs")
        con.execute("INSERT INTO etl_files SELECT * FROM previous.etl_files")
    except duckdb.Error:
        pass  # an older layout: start the history afresh


# --- reviews and claims (every build, over every fact) -----------------------------------------


def _undo_reviews(con: duckdb.DuckDBPyConnection) -> None:
    """Back to the extracted facts: drop added facts, restore corrected rows, clear statuses."""
    con.execute("DELETE FROM facts WHERE extractor_version = $a", {"a": reviews.ANALYST})
    con.execute("DELETE FROM facts WHERE fact_id IN (SELECT fact_id FROM facts_before_review)")
    con.execute("INSERT INTO facts SELECT * FROM facts_before_review")
    con.execute("DELETE FROM facts_before_review")
    con.execute(
        "UPDATE facts SET review_status = 'unreviewed', review_note = NULL, "
        "extracted_values = NULL WHERE review_status <> 'unreviewed'"
    )


def apply_reviews(con: duckdb.DuckDBPyConnection, log: Path | None = None) -> list[str]:
    """Apply the analysts' review log to the facts; return its warnings (torn lines)."""
    entries, warnings = reviews.read_log(log)
    con.execute("DELETE FROM reviews")
    if not entries:
        return warnings
    columns = ["fact_id", "source_id", "kind", "quote", "start_offset", "end_offset",
               *reviews.FIELDS]  # fmt: skip
    touched = {e.get("source_sha256") for e in entries} | {e.get("source_id") for e in entries}
    src = con.execute(
        "SELECT source_id, sha256, text FROM sources "
        "WHERE list_contains($keys, sha256) OR list_contains($keys, source_id)",
        {"keys": [k for k in touched if k]},
    ).fetchall()
    sources = {sid: (sha, text) for sid, sha, text in src}
    rows = con.execute(
        f"SELECT {', '.join(columns)} FROM facts WHERE list_contains($ids, source_id)",  # noqa: S608
        {"ids": list(sources)},
    ).fetchall()
    facts = [dict(zip(columns, r, strict=True)) for r in rows]
    applied = reviews.attach(entries, facts, sources)
    by_id = {f["fact_id"]: f for f in facts}
    corrected = list(applied.corrections)
    con.execute(
        "INSERT INTO facts_before_review SELECT * FROM facts WHERE list_contains($ids, fact_id)",
        {"ids": corrected},
    )
    for fact_id, fields in applied.corrections.items():
        if applied.status.get(fact_id) != "corrected" or not fields:
            continue
        before = {k: by_id[fact_id].get(k) for k in fields}
        extracted = "; ".join(f"{k}={'' if v is None else v}" for k, v in before.items())
        assignments = ", ".join(f"{name} = ${name}" for name in fields)  # names from FIELDS
        con.execute(
            f"UPDATE facts SET {assignments}, extracted_values = $extracted WHERE fact_id = $id",  # noqa: S608
            {**fields, "extracted": extracted, "id": fact_id},
        )
    for fact_id, status in applied.status.items():
        if status != "added":
            con.execute(
                "UPDATE facts SET review_status = $s, review_note = $n WHERE fact_id = $id",
                {"s": status, "n": applied.notes.get(fact_id) or None, "id": fact_id},
            )
    for row in applied.added:
        row = {**row, "review_status": applied.status.get(row["fact_id"], "added"),
               "review_note": applied.notes.get(row["fact_id"]) or None}  # fmt: skip
        names = ", ".join(row)
        values = ", ".join(f"${k}" for k in row)
        con.execute(f"INSERT INTO facts ({names}) VALUES ({values})", row)  # noqa: S608
    log_rows = []
    for e in entries:
        fact_id = applied.attached.get(e["review_id"])
        log_rows.append((e["review_id"], e["at"], e["action"], fact_id, e.get("source_id"),
                         e.get("kind"), e.get("quote"),
                         json.dumps(e.get("fields") or {}, ensure_ascii=False),
                         e.get("note"), fact_id is not None))  # fmt: skip
    names = ["review_id", "reviewed_at", "action", "fact_id", "source_id", "kind", "quote",
             "fields", "note", "attached"]  # fmt: skip
    review_rows = pa.table(  # noqa: F841 - scanned by name below
        {name: [row[i] for row in log_rows] for i, name in enumerate(names)}
    )
    con.execute("INSERT INTO reviews SELECT * FROM review_rows")
    return warnings


_CLAIM_TYPES = {"quantity": pa.int64(), "date": pa.date32()}


_CLAIM_COLUMNS = ["fact_id", "source_id", "kind", "org", "date", "date_precision", "chip",
                  "quantity", "unit", "status", "person", "from_org", "to_org", "role", "subject",
                  "category"]  # fmt: skip


def reviewed_fact_ids(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Facts an analyst's review touches now: their claims must be derived again."""
    rows = con.execute(
        "SELECT fact_id FROM facts WHERE review_status <> 'unreviewed' "
        "UNION SELECT fact_id FROM facts_before_review"
    ).fetchall()
    return {r[0] for r in rows}


def _claims_rules() -> str:
    """A digest of the claim rules (etl/claims.py): claims derived under other rules are all
    derived again."""
    return hashlib.sha256(Path(claims.__file__).read_bytes()).hexdigest()[:16]


def _derived_state(
    con: duckdb.DuckDBPyConnection, kept: list[str]
) -> tuple[set[str], dict[str, str]] | None:
    """In the copy of the live database, before anything is dropped: the sources not kept (gone
    or changed) and each copy's original, or None if its claims were derived under other rules."""
    comment = con.execute(
        "SELECT comment FROM duckdb_tables() WHERE table_name = 'claims' "
        "AND database_name = current_database()"
    ).fetchall()
    if not comment or comment[0][0] != _claims_rules():
        return None
    keep = set(kept)
    rows = con.execute("SELECT source_id, duplicate_of FROM sources").fetchall()
    removed = {sid for sid, _ in rows if sid not in keep}
    return removed, {sid: dup for sid, dup in rows if dup is not None}


def derive_claims(
    con: duckdb.DuckDBPyConnection,
    changed: Iterable[str] | None = None,
    touched: Iterable[str] = (),
    copies_before: dict[str, str] | None = None,
) -> None:
    """Find syndicated copies, then group the facts (rejected ones left out) into claims and
    link the conflicting ones.

    With `changed` (the sources this build added, replaced or removed) and `copies_before`
    (the last build's duplicates), only the claim blocks (`claims.block_of`) that hold a fact
    of a changed source, a `touched` fact (reviewed now or in the build this one started
    from), a fact that is gone, or a source whose original changed are derived again; the rest
    are kept as they are. The result equals deriving everything (`changed=None`), which a test
    checks.
    """
    sources = con.execute(
        "SELECT source_id, published, minhash, duplicate_of FROM sources"
    ).fetchall()
    published = {sid: pub for sid, pub, _, _ in sources}
    signatures = {sid: claims.signature_of(sig) for sid, _, sig, _ in sources if sig}
    if changed is None:
        copies = claims.duplicates(signatures, published)
    else:
        changed = set(changed)
        copies = claims.duplicates(signatures, published, copies_before or {}, changed)
    before = {sid: dup for sid, _, _, dup in sources if dup is not None}
    moved = {sid for sid in before.keys() | copies.keys() if before.get(sid) != copies.get(sid)}
    if moved:
        dup = pa.table(  # noqa: F841 - scanned by name below
            {"source_id": list(moved), "original": [copies.get(sid) for sid in moved]}
        )
        con.execute(
            "UPDATE sources SET duplicate_of = dup.original FROM dup "
            "WHERE sources.source_id = dup.source_id"
        )
    columns = ", ".join(_CLAIM_COLUMNS)
    if changed is None:
        for table in ("claims", "claim_facts", "conflicts"):
            con.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
        query = f"SELECT {columns} FROM facts WHERE review_status <> 'rejected'"  # noqa: S608
        facts = con.sql(query).to_arrow_table().to_pylist()
    else:
        facts = _facts_of_changed_blocks(con, changed | moved, set(touched))
    found, conflicting = claims.derive(facts, published, copies)
    _insert_claims(con, found, conflicting, facts)
    con.execute(f"COMMENT ON TABLE claims IS '{_claims_rules()}'")  # noqa: S608 - hex digits


def _facts_of_changed_blocks(
    con: duckdb.DuckDBPyConnection, sources: set[str], touched: set[str]
) -> list[dict]:
    """Delete the claims (and their links and conflicts) of every block a change reaches, and
    return the facts of those blocks, to derive them again."""
    src_ids = pa.table({"id": pa.array(sorted(sources), pa.string())})  # noqa: F841 - by name
    fact_ids = pa.table({"id": pa.array(sorted(touched), pa.string())})  # noqa: F841
    stale = con.execute(
        "SELECT DISTINCT c.kind, c.org, c.unit, c.person FROM claims c "
        "JOIN claim_facts cf USING (claim_id) LEFT JOIN facts f USING (fact_id) "
        "WHERE f.fact_id IS NULL OR cf.source_id IN (SELECT id FROM src_ids) "
        "OR cf.fact_id IN (SELECT id FROM fact_ids)"
    ).fetchall()
    fresh = con.execute(
        "SELECT DISTINCT kind, org, unit, person FROM facts "
        "WHERE source_id IN (SELECT id FROM src_ids) OR fact_id IN (SELECT id FROM fact_ids)"
    ).fetchall()
    blocks = {claims.block_of(*row) for row in stale + fresh}
    if not blocks:
        return []
    gone = _ids_in(con, blocks, "SELECT claim_id, kind, org, unit, person FROM claims")  # noqa: F841
    con.execute("DELETE FROM conflicts WHERE claim_a IN (SELECT id FROM gone) "
                "OR claim_b IN (SELECT id FROM gone)")  # fmt: skip
    con.execute("DELETE FROM claim_facts WHERE claim_id IN (SELECT id FROM gone)")
    con.execute("DELETE FROM claims WHERE claim_id IN (SELECT id FROM gone)")
    wanted = _ids_in(  # noqa: F841 - scanned by name below
        con, blocks,
        "SELECT fact_id, kind, org, unit, person FROM facts WHERE review_status <> 'rejected'",
    )  # fmt: skip
    columns = ", ".join(_CLAIM_COLUMNS)
    query = f"SELECT {columns} FROM facts SEMI JOIN wanted ON facts.fact_id = wanted.id"  # noqa: S608
    return con.sql(query).to_arrow_table().to_pylist()


def _ids_in(con: duckdb.DuckDBPyConnection, blocks: set[tuple], sql: str) -> pa.Table:
    """The ids (first column of `sql`, then kind, org, unit, person) of rows in `blocks`, as a
    one-column Arrow table `id` to join against."""
    rows = con.execute(sql).fetchall()
    return pa.table(
        {"id": pa.array([r[0] for r in rows if claims.block_of(*r[1:]) in blocks], pa.string())}
    )


def _insert_claims(con, found: list, conflicting: list, facts: list[dict]) -> None:
    if found:
        fields = ["org", "unit", "chip", "quantity", "status", "person", "from_org", "to_org",
                  "role", "subject", "category", "date", "date_precision"]  # fmt: skip
        claim_rows = pa.table(  # noqa: F841 - scanned by name below; columns in table order
            {
                "claim_id": [c.claim_id for c in found],
                "kind": [c.kind for c in found],
                **{f: pa.array([c.values.get(f) for c in found], _CLAIM_TYPES.get(f, pa.string()))
                   for f in fields},
                "support": [c.support for c in found],
                "sources": [len(c.source_ids) for c in found],
                "facts": [len(c.fact_ids) for c in found],
                "first_seen": pa.array([c.first_seen for c in found], pa.date32()),
                "last_seen": pa.array([c.last_seen for c in found], pa.date32()),
            }
        )  # fmt: skip
        con.execute("INSERT INTO claims SELECT * FROM claim_rows")
        source_of = {f["fact_id"]: f["source_id"] for f in facts}
        links = pa.table(  # noqa: F841
            {
                "claim_id": [c.claim_id for c in found for _ in c.fact_ids],
                "fact_id": [fid for c in found for fid in c.fact_ids],
                "source_id": [source_of[fid] for c in found for fid in c.fact_ids],
            }
        )
        con.execute("INSERT INTO claim_facts SELECT * FROM links")
    if conflicting:  # one Arrow scan: executemany costs a statement per row
        conflict_rows = pa.table(  # noqa: F841 - scanned by name below
            {
                "conflict_id": [c.conflict_id for c in conflicting],
                "kind": [c.kind for c in conflicting],
                "reason": [c.reason for c in conflicting],
                "claim_a": [c.claims[0] for c in conflicting],
                "claim_b": [c.claims[1] for c in conflicting],
            }
        )
        con.execute("INSERT INTO conflicts SELECT DISTINCT * FROM conflict_rows")


# --- reads for the command line (claims, reviews) ----------------------------------------------


def _dict_rows(db_path: Path, sql: str, params: dict | None = None) -> list[dict]:
    con = connect(db_path, read_only=True)
    try:
        cursor = con.execute(sql, params or {})
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def fact_for_review(db_path: Path, fact_id: str) -> tuple[dict, str] | None:
    """A fact's row and its article's sha256, or None if there is no such fact."""
    rows = _dict_rows(
        db_path,
        "SELECT f.*, s.sha256 AS source_sha256 FROM facts f JOIN sources s USING (source_id) "
        "WHERE f.fact_id = $id",
        {"id": fact_id},
    )
    if not rows:
        return None
    row = rows[0]
    return row, row.pop("source_sha256")


def source_for_review(db_path: Path, source_id: str) -> tuple[str, str] | None:
    """An article's sha256 and text, or None if there is no such source."""
    rows = _dict_rows(
        db_path, "SELECT sha256, text FROM sources WHERE source_id = $id", {"id": source_id}
    )
    return (rows[0]["sha256"], rows[0]["text"]) if rows else None


def claim_rows(db_path: Path) -> list[dict]:
    """Every claim with its sources and facts, most supported first."""
    return _dict_rows(
        db_path,
        "SELECT c.*, list(DISTINCT cf.source_id ORDER BY cf.source_id) AS source_ids, "
        "list(cf.fact_id ORDER BY cf.fact_id) AS fact_ids "
        "FROM claims c JOIN claim_facts cf USING (claim_id) GROUP BY ALL "
        "ORDER BY c.support DESC, c.kind, c.claim_id",
    )


def conflict_rows(db_path: Path) -> list[dict]:
    return _dict_rows(db_path, "SELECT * FROM conflicts ORDER BY kind, conflict_id")


def review_rows(db_path: Path) -> list[dict]:
    return _dict_rows(db_path, "SELECT * FROM reviews ORDER BY reviewed_at, review_id")


def review_scores(db_path: Path) -> list[dict]:
    """Per kind: facts reviewed, how many were right (verified), wrong (rejected) or needed a
    correction, the precision on reviewed extracted facts, and facts analysts had to add."""
    return _dict_rows(
        db_path,
        "SELECT kind, "
        "count(*) FILTER (WHERE review_status IN ('verified', 'rejected', 'corrected')) AS reviewed, "
        "count(*) FILTER (WHERE review_status = 'verified') AS verified, "
        "count(*) FILTER (WHERE review_status = 'corrected') AS corrected, "
        "count(*) FILTER (WHERE review_status = 'rejected') AS rejected, "
        "count(*) FILTER (WHERE review_status = 'added') AS added, "
        "count(*) FILTER (WHERE extractor_version <> 'analyst') AS extracted "
        "FROM facts GROUP BY kind ORDER BY kind",
    )

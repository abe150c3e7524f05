"""Crashes, concurrent builds, readers during a swap, and the incremental per-source cache.

A build killed with SIGKILL at any moment leaves a complete database (the previous one, or the
new one if the swap had happened); two builds never write at once; a reader that meets a swap
retries on the new file; and an unchanged article is never extracted again.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import DATA, ROOT, SEEDS

import etl.build
from dashboard import data
from dashboard.data import Database
from etl.build import BuildBusy, build, build_lock
from etl.load import connect

CORPUS_COPIES = 10  # copies of each of our 16 test articles: a build of a second or two
ADDED = "\n\nOpenAI plans to deploy 75,000 Nvidia H200 GPUs by the end of 2026, the company said.\n"


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "etl", "build", *args]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def facts_of(db: Path) -> dict[str, tuple]:
    """Every fact of the database, by id, with all its columns."""
    con = connect(db, read_only=True)
    try:
        rows = con.execute("SELECT * FROM facts ORDER BY fact_id").fetchall()
    finally:
        con.close()
    return {r[0]: r for r in rows}


def by_source(facts: dict[str, tuple]) -> dict[str, set[tuple]]:
    out: dict[str, set[tuple]] = {}
    for row in facts.values():
        out.setdefault(row[1], set()).add(row)
    return out


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp-" in p.name)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A folder of a few hundred articles (copies of ours, each made distinct)."""
    folder = tmp_path_factory.mktemp("corpus")
    articles = sorted(
        p
        for sub in ("articles", "heldout")
        for p in (DATA / sub).iterdir()
        if p.suffix in (".txt", ".md", ".html")
    )
    for i in range(CORPUS_COPIES):
        for p in articles:
            (folder / f"{p.stem}_{i:02d}{p.suffix}").write_text(
                p.read_text("utf-8") + f"\n\nEdition {i}.\n", "utf-8"
            )
    return folder


@pytest.fixture(scope="module")
def complete(corpus, tmp_path_factory) -> tuple[dict[str, tuple], float]:
    """The facts of an uninterrupted build of the corpus, and how long it took."""
    db = tmp_path_factory.mktemp("complete") / "t.duckdb"
    t0 = time.perf_counter()
    done = subprocess.run(_cli("--seeds", str(corpus), "--db", str(db)), env=_env(), cwd=ROOT)
    assert done.returncode == 0
    return facts_of(db), time.perf_counter() - t0


def _processes_of(db: Path) -> list[int]:
    """Live processes whose command line names `db` (a killed build's workers would)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            status = (entry / "status").read_text()
        except OSError:
            continue
        if str(db).encode() in cmdline and "State:\tZ" not in status:
            found.append(int(entry.name))
    return found


# --- crash safety -------------------------------------------------------------------------------


def _start_build(corpus: Path, db: Path) -> subprocess.Popen:
    """A silent `etl build` of `corpus` onto `db`, running in the background."""
    return subprocess.Popen(
        _cli("--seeds", str(corpus), "--db", str(db)), env=_env(), cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.mark.parametrize("fraction", [0.05, 0.3, 0.6, 0.9, 1.2])
def test_sigkill_at_any_point_leaves_a_complete_database(
    tmp_path, seeds_db, corpus, complete, fraction
):
    new_facts, seconds = complete
    db = tmp_path / "live.duckdb"
    shutil.copy(seeds_db, db)
    old_facts = facts_of(db)
    proc = _start_build(corpus, db)
    time.sleep(seconds * fraction)
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    assert facts_of(db) in (old_facts, new_facts)  # readable, and one build or the other whole
    deadline = time.monotonic() + 5
    while _processes_of(db) and time.monotonic() < deadline:  # orphaned workers notice and exit
        time.sleep(0.1)
    assert _processes_of(db) == []

    result = build(corpus, db, wait=10)  # the dead build's lock is gone and its temp file too
    assert leftovers(tmp_path) == []
    assert facts_of(db) == new_facts
    assert result.sources_loaded == len(list(corpus.iterdir()))


def test_sigkill_while_writing_the_new_file(tmp_path, seeds_db, corpus, complete):
    db = tmp_path / "live.duckdb"
    shutil.copy(seeds_db, db)
    old_facts = facts_of(db)
    proc = _start_build(corpus, db)
    temp = tmp_path / f".live.duckdb.tmp-{proc.pid}"
    deadline = time.monotonic() + 120
    while not temp.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert facts_of(db) in (old_facts, complete[0])

    build(corpus, db, wait=10)
    assert leftovers(tmp_path) == []
    assert facts_of(db) == complete[0]


# --- concurrent builds --------------------------------------------------------------------------


def test_a_second_build_exits_with_a_clear_message_while_one_runs(tmp_path, seeds_db):
    db = tmp_path / "live.duckdb"
    shutil.copy(seeds_db, db)
    before = db.read_bytes()
    with build_lock(db):
        busy = subprocess.run(
            _cli("--db", str(db)), env=_env(), cwd=ROOT, capture_output=True, text=True
        )
        with pytest.raises(BuildBusy, match=f"another build \\(pid {os.getpid()}\\)"):
            build(SEEDS, db)
    assert busy.returncode == 1
    assert f"another build (pid {os.getpid()}) is writing {db}" in busy.stderr
    assert "--wait" in busy.stderr
    assert db.read_bytes() == before


def test_a_build_told_to_wait_runs_once_the_first_finishes(tmp_path):
    db = tmp_path / "live.duckdb"
    with build_lock(db):
        waiting = subprocess.Popen(
            _cli("--db", str(db), "--wait", "60"), env=_env(), cwd=ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(1.0)
        assert waiting.poll() is None  # still waiting for the lock
        assert not db.exists()
    out, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    assert "sources read: 5" in out


def test_two_builds_started_at_once(tmp_path, corpus, complete):
    db = tmp_path / "live.duckdb"
    procs = [
        subprocess.Popen(
            _cli("--seeds", str(corpus), "--db", str(db)),
            env=_env(),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(2)
    ]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 1], results
    assert any("another build" in err for code, err in results if code == 1)
    assert facts_of(db) == complete[0]
    assert leftovers(tmp_path) == []


# --- readers during a swap ----------------------------------------------------------------------


def test_reads_keep_working_while_builds_swap_the_file(tmp_path, seeds_copy):
    db = tmp_path / "live.duckdb"
    small = tmp_path / "small"
    small.mkdir()
    for p in sorted(seeds_copy.iterdir())[:2]:
        shutil.copy(p, small / p.name)
    build(seeds_copy, db)
    full = len(facts_of(db))
    build(small, db)
    few = len(facts_of(db))
    assert full != few

    errors: list[BaseException] = []
    counts: list[int] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                frame = data._query(Database.at(db), "SELECT count(*) AS n FROM facts")
                counts.append(int(frame.n.iloc[0]))
            except BaseException as exc:  # noqa: BLE001 - every failure is a finding
                errors.append(exc)
            time.sleep(0.005)  # a busy user, not a spin loop that starves the builds

    readers = [threading.Thread(target=read) for _ in range(3)]
    for t in readers:
        t.start()
    try:
        for i in range(6):  # each build swaps in a new file under the readers
            folder = seeds_copy if i % 2 == 0 else small
            done = subprocess.run(
                _cli("--seeds", str(folder), "--db", str(db), "--no-cache"),
                env=_env(), cwd=ROOT, capture_output=True,
            )  # fmt: skip
            assert done.returncode == 0
    finally:
        stop.set()
        for t in readers:
            t.join()
    assert errors == []
    assert len(counts) > 50
    assert set(counts) == {full, few}  # readers saw both builds, and nothing else


def test_a_reader_whose_connection_is_closed_by_a_swap_retries(seeds_db, monkeypatch):
    db = Database.at(seeds_db)
    data._query(db, "SELECT 1")
    closed = data._connections[db]
    closed.close()  # as when a rebuild retires the reader of the replaced file mid-query
    frame = data._query(db, "SELECT count(*) AS n FROM sources")
    assert int(frame.n.iloc[0]) == 5
    assert data._connections[db] is not closed


# --- incremental and idempotent -----------------------------------------------------------------


@pytest.fixture
def extractions(monkeypatch) -> list[str]:
    """The source ids the build extracts (in this process)."""
    seen: list[str] = []
    real = etl.build.extract_source

    def counting(source):
        seen.append(source.source_id)
        return real(source)

    monkeypatch.setattr(etl.build, "extract_source", counting)
    return seen


def test_building_twice_extracts_nothing_and_keeps_every_fact(tmp_path, seeds_copy, extractions):
    db = tmp_path / "t.duckdb"
    build(seeds_copy, db)
    assert len(extractions) == 5
    first = facts_of(db)
    again = build(seeds_copy, db)
    assert len(extractions) == 5  # nothing extracted the second time
    assert len(again.cached) == 5 and again.read.sources == []
    assert facts_of(db) == first
    assert sum(again.facts_per_kind().values()) == len(first)


def test_adding_changing_and_deleting_a_file_changes_exactly_its_facts(
    tmp_path, seeds_copy, extractions
):
    db = tmp_path / "t.duckdb"
    build(seeds_copy, db)
    before = by_source(facts_of(db))

    added = DATA / "articles" / "xai_colossus_expansion.txt"
    shutil.copy(added, seeds_copy / added.name)
    extractions.clear()
    build(seeds_copy, db)
    after = by_source(facts_of(db))
    assert extractions == [added.stem]
    assert {k: v for k, v in after.items() if k != added.stem} == before
    assert after[added.stem]

    changed = sorted(seeds_copy.glob("0*.txt"))[0]
    with changed.open("a", encoding="utf-8") as f:
        f.write(ADDED)
    extractions.clear()
    build(seeds_copy, db)
    now = by_source(facts_of(db))
    assert extractions == [changed.stem]
    assert {k: v for k, v in now.items() if k != changed.stem} == {
        k: v for k, v in after.items() if k != changed.stem
    }
    new = now[changed.stem] - after[changed.stem]
    assert [(r[2], r[12]) for r in new] == [("compute", 75000)]  # kind, quantity

    deleted = sorted(seeds_copy.glob("0*.txt"))[-1]
    deleted.unlink()
    extractions.clear()
    build(seeds_copy, db)
    gone = by_source(facts_of(db))
    assert extractions == []
    assert deleted.stem not in gone
    assert gone == {k: v for k, v in now.items() if k != deleted.stem}

    # and the incremental database equals one built from scratch
    scratch = tmp_path / "scratch.duckdb"
    build(seeds_copy, scratch, use_cache=False)
    assert facts_of(scratch) == facts_of(db)


def test_a_changed_sidecar_or_extractor_version_means_extracting_again(
    tmp_path, seeds_copy, extractions, monkeypatch
):
    db = tmp_path / "t.duckdb"
    build(seeds_copy, db)
    article = sorted(seeds_copy.glob("*.txt"))[1]
    article.with_name(article.stem + ".meta.json").write_text(
        '{"published": "2024-01-15", "title": "A new title"}', "utf-8"
    )
    extractions.clear()
    build(seeds_copy, db)
    assert extractions == [article.stem]

    monkeypatch.setattr(etl.build, "EXTRACTOR_VERSION", "9.9.9")
    extractions.clear()
    build(seeds_copy, db)
    assert sorted(extractions) == sorted(p.stem for p in seeds_copy.glob("*.txt"))
    con = connect(db, read_only=True)
    try:
        versions = con.execute("SELECT DISTINCT cache_version FROM source_keys").fetchall()
    finally:
        con.close()
    assert len(versions) == 1 and versions[0][0].startswith("9.9.9+schema.")

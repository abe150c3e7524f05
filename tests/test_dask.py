"""The build on Dask: the same database as the process pool, and a clean failure when a worker
dies. These start real LocalClusters (2 worker processes on 127.0.0.1, about 2 s each)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys

import psutil
import pytest
from conftest import ROOT, SEEDS, table_rows

from bench.corpus import generate
from etl.build import build

# Every table but the run's own bookkeeping (ids and timings differ by nature).
COMPARED = {
    "sources": "SELECT * EXCLUDE (path) FROM sources ORDER BY source_id",
    "facts": "SELECT * FROM facts ORDER BY fact_id",
    "source_keys": "SELECT * FROM source_keys ORDER BY source_id",
    "etl_files": "SELECT * EXCLUDE (run_id, path) FROM etl_files ORDER BY source_id, reason",
    "etl_runs": "SELECT * EXCLUDE (run_id, started_at, finished_at, seeds_dir, seconds) FROM etl_runs",
    "claims": "SELECT * FROM claims ORDER BY claim_id",
    "claim_facts": "SELECT * FROM claim_facts ORDER BY claim_id, fact_id",
    "conflicts": "SELECT * FROM conflicts ORDER BY conflict_id",
}


def content(db) -> dict[str, list[tuple]]:
    return table_rows(db, COMPARED)


def dask_workers(parent: psutil.Process) -> list[psutil.Process]:
    """The worker processes a LocalCluster spawned (not multiprocessing's resource tracker)."""
    found = []
    for child in parent.children(recursive=True):
        try:
            if "spawn_main" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:  # gone meanwhile
            continue
    return found


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """Seeds plus 300 generated articles: enough chunks for both workers to be busy."""
    folder = tmp_path_factory.mktemp("dask-corpus") / "articles"
    generate(folder, 300, seed=7)
    for path in SEEDS.iterdir():
        shutil.copy(path, folder / path.name)
    return folder


@pytest.mark.parametrize("corpus", ["seeds", "synthetic"])
def test_dask_builds_the_same_database_as_the_process_pool(corpus, synthetic, tmp_path):
    folder = SEEDS if corpus == "seeds" else synthetic
    by_pool = build(folder, tmp_path / "pool.duckdb", workers=2, executor="process")
    # Dask runs in a fresh interpreter, as from the command line: its worker processes are
    # spawned, and spawning from this test process (after AppTest has run in it) fails.
    by_dask = subprocess.run(
        [sys.executable, "-m", "etl", "build", "--seeds", str(folder), "--db",
         str(tmp_path / "dask.duckdb"), "--workers", "2", "--executor", "dask"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert by_dask.returncode in (0, 3), by_dask.stderr[-2000:]  # 3: gold.jsonl is skipped
    assert f"sources read: {by_pool.sources_loaded} " in by_dask.stdout
    ours, theirs = content(tmp_path / "pool.duckdb"), content(tmp_path / "dask.duckdb")
    assert len(ours["facts"]) > (5 if corpus == "seeds" else 300)
    for table in COMPARED:
        assert theirs[table] == ours[table], table


KILL_A_WORKER = """
import json, os, signal, sys, threading
from pathlib import Path
import psutil
sys.path.insert(0, sys.argv[3])
from test_dask import dask_workers
from etl.build import ClusterFailed, build

me, killed, lock = psutil.Process(), [], threading.Lock()

def kill_a_worker(done, total):
    with lock:
        if not killed and (workers := dask_workers(me)):
            os.kill(workers[0].pid, signal.SIGKILL)
            killed.append(workers[0].pid)

try:
    build(Path(sys.argv[1]), Path(sys.argv[2]), workers=2, executor="dask",
          progress=kill_a_worker, use_cache=False)
    failed = None
except ClusterFailed as exc:
    failed = str(exc)
psutil.wait_procs(dask_workers(me), timeout=10)
left = [p.pid for p in dask_workers(me) if p.is_running()]
print(json.dumps({"killed": killed, "failed": failed, "left": left}))
"""


def test_a_worker_killed_mid_build_fails_the_build_and_keeps_the_previous_database(
    synthetic, tmp_path
):
    db = tmp_path / "tracker.duckdb"
    build(SEEDS, db, workers=1)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    done = subprocess.run(
        [sys.executable, "-c", KILL_A_WORKER, str(synthetic), str(db), str(ROOT / "tests")],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["killed"], "no worker process was found to kill"
    assert outcome["failed"] and "a Dask worker failed while reading articles" in outcome["failed"]
    assert outcome["left"] == []  # nothing was left running
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert not list(tmp_path.glob(".tracker.duckdb.tmp-*"))
    # The lock was released: the next build goes ahead.
    assert build(SEEDS, db, workers=1).sources_loaded == 5


def test_the_command_line_builds_on_dask_and_refuses_a_scheduler_without_it(tmp_path):
    db = tmp_path / "tracker.duckdb"
    run = [sys.executable, "-m", "etl", "build", "--seeds", str(SEEDS), "--db", str(db)]
    ok = subprocess.run(
        [*run, "--executor", "dask", "--workers", "2"], capture_output=True, text=True, cwd=ROOT
    )
    assert ok.returncode == 0, ok.stderr
    assert "sources read: 5" in ok.stdout
    bad = subprocess.run(
        [*run, "--scheduler", "tcp://127.0.0.1:1"], capture_output=True, text=True, cwd=ROOT
    )
    assert bad.returncode == 2 and "--scheduler needs --executor dask" in bad.stderr
    # A new database: with every article unchanged, a build would not need the cluster at all.
    run[-1] = str(tmp_path / "other.duckdb")
    gone = subprocess.run(
        [*run, "--executor", "dask", "--scheduler", "tcp://127.0.0.1:1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert gone.returncode == 1
    assert "tcp://127.0.0.1:1" in gone.stderr and "left as it was" in gone.stderr

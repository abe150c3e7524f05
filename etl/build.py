"""The build: read a folder of articles, extract facts, load a new database, swap it in.

Three properties hold whatever happens to the process:
- *Atomic*: the new database is written beside the live one and swapped in with `os.replace`
  (etl/load.py), so a reader or a crash never sees a half-built file.
- *One at a time*: a lock file beside the database (`.<name>.lock`, an advisory `flock` that the
  kernel releases when the process dies, even by SIGKILL) keeps two builds from racing.
- *Incremental*: an article whose bytes, sidecar and extractor version are unchanged since the
  live database was built is not read or extracted again; its source row and facts are copied.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import fcntl
import hashlib
import logging
import multiprocessing
import os
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from etl import EXTRACTOR_VERSION
from etl.claims import signature_bytes
from etl.extract import extract_source
from etl.load import CachedSource, cached_sources, write_database
from etl.model import Fact, Source
from etl.sources import (
    DEFAULT_MAX_BYTES,
    SIDECAR_MAX_BYTES,
    SIDECAR_SUFFIX,
    SKIPPED,
    FileOutcome,
    SkipFile,
    list_article_files,
    read_regular_file,
    read_source,
)

DEFAULT_DB = Path("data/tracker.duckdb")
DEFAULT_SEEDS = Path("seeds")
# Below this many articles to extract, a process pool costs more than it saves.
PARALLEL_MIN_FILES = 64
CHUNK_FILES = 32  # articles per task sent to a worker: few round trips, even load


class BuildBusy(RuntimeError):
    """Another build holds the database's lock."""


@dataclass
class ReadResult:
    sources: list[Source] = field(default_factory=list)
    outcomes: list[FileOutcome] = field(default_factory=list)

    @property
    def skipped(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == SKIPPED]


@dataclass
class BuildResult:
    run_id: str
    db_path: Path
    read: ReadResult  # the articles read and extracted in this build (cached ones are not here)
    facts: list[Fact]  # the facts extracted in this build
    seconds: float
    cached: list[CachedSource] = field(default_factory=list)  # articles reused unchanged
    per_kind: Counter = field(default_factory=Counter)  # every fact in the new database

    def facts_per_kind(self) -> Counter:
        return self.per_kind

    @property
    def sources_loaded(self) -> int:
        return len(self.read.sources) + len(self.cached)


# --- reading ------------------------------------------------------------------------------------


def _list(paths: Iterable[Path]) -> tuple[list[Path], list[FileOutcome]]:
    files: list[Path] = []
    outcomes: list[FileOutcome] = []
    for path in paths:
        if path.is_dir():  # listed from the resolved folder: only a symlink needs resolving
            found, passed = list_article_files(path)
            files.extend(p.resolve() if p.is_symlink() else p for p in found)
            outcomes.extend(passed)
        elif path.is_file():
            files.append(path.resolve())
        else:
            outcomes.append(FileOutcome(str(path), SKIPPED, "no such file or folder"))
    return list(dict.fromkeys(files)), outcomes  # a file named twice is read once


def _read_one(path: Path, max_bytes: int) -> Source | FileOutcome:
    try:
        return read_source(path, max_bytes=max_bytes)
    except SkipFile as exc:
        return FileOutcome(str(path), SKIPPED, str(exc))


class _Admit:
    """Admits sources in file order, refusing a second file with the same id or the same bytes."""

    def __init__(self, result: ReadResult) -> None:
        self.result = result
        self.ids: dict[str, str] = {}
        self.content: dict[str, str] = {}

    def claim(self, path: str, source_id: str, sha256: str) -> str | None:
        """None if the file may be loaded, else why it is skipped."""
        if source_id in self.ids:
            return f"duplicate source id {source_id!r}: {self.ids[source_id]} has the same name"
        if sha256 in self.content:
            return f"duplicate content: same bytes as {self.content[sha256]}"
        self.ids[source_id] = path
        self.content[sha256] = path
        return None

    def add(self, read: Source | FileOutcome) -> bool:
        if isinstance(read, FileOutcome):
            self.result.outcomes.append(read)
            return False
        refused = self.claim(read.path, read.source_id, read.sha256)
        if refused:
            self.result.outcomes.append(FileOutcome(read.path, SKIPPED, refused))
            return False
        self.result.sources.append(read)
        self.result.outcomes.append(FileOutcome.loaded(read.path, read.source_id, read.warnings))
        return True


def read_folder(
    paths: Iterable[Path],
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[int, int], None] | None = None,
) -> ReadResult:
    """Read every article under `paths` (files or folders); `progress(done, total)` per file."""
    files, outcomes = _list(paths)
    result = ReadResult(outcomes=outcomes)
    admit = _Admit(result)
    for done, path in enumerate(files, 1):
        admit.add(_read_one(path, max_bytes))
        if progress:
            progress(done, len(files))
    return result


# --- the per-source cache -----------------------------------------------------------------------


def stat_signature(path: Path) -> str | None:
    """Size and modification time of the article and its sidecar: if these are unchanged, the
    content key recorded with them is trusted without reading the file (as make and git do)."""
    sidecar = path.with_name(path.stem + SIDECAR_SUFFIX)
    try:
        st = path.stat()
    except OSError:
        return None
    try:
        sc = sidecar.stat()
        side = f"{sc.st_size}:{sc.st_mtime_ns}"
    except OSError:
        side = "-"
    return f"{st.st_size}:{st.st_mtime_ns}:{side}"


def content_key(path: Path, max_bytes: int) -> str | None:
    """sha256 over the article's bytes and its sidecar's: what extraction depends on.

    Read with the reader's own rules (regular files only, never past the size limits). None
    when the article cannot be read: it is then read normally, which says why.
    """
    try:
        digest = hashlib.sha256(read_regular_file(path, max_bytes, "file"))
    except SkipFile:
        return None
    digest.update(b"\0sidecar\0")
    sidecar = path.with_name(path.stem + SIDECAR_SUFFIX)
    if sidecar.is_file():
        try:
            digest.update(read_regular_file(sidecar, SIDECAR_MAX_BYTES, "sidecar"))
        except SkipFile as exc:
            digest.update(str(exc).encode())  # the reader warns about it; the key still differs
    return digest.hexdigest()


# --- parallel read + extract --------------------------------------------------------------------
# Extraction is per document: `_work_chunk` is a pure function of (paths, max_bytes), run on a
# local process pool or mapped over a Dask cluster (EXECUTORS), its results gathered back in
# file order. Only this process writes the database.
EXECUTORS = ("process", "dask")


# One file's work: the path, its source (or why it was skipped), its facts and its content key.
Work = tuple[Path, Source | FileOutcome, list[Fact], str | None]


def _work_chunk(chunk: list[Path], max_bytes: int) -> list[Work]:
    out = []
    for path in chunk:
        read = _read_one(path, max_bytes)
        facts = [] if isinstance(read, FileOutcome) else extract_source(read)
        if not isinstance(read, FileOutcome):
            read = dataclasses.replace(read, minhash=signature_bytes(read.text))
        out.append((path, read, facts, content_key(path, max_bytes)))
    return out


def _worker_init(lock_fd: int | None) -> None:
    """In a forked worker: drop the inherited build lock and exit if the parent dies."""
    if lock_fd is not None:
        os.close(lock_fd)  # the parent's lock must not outlive the parent in its workers
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)  # the build was killed; nobody wants our results

    threading.Thread(target=watch, daemon=True).start()


def default_workers() -> int:
    """Worker processes: AGI_TRACKER_WORKERS, else one per core."""
    env = os.environ.get("AGI_TRACKER_WORKERS", "")
    return max(1, int(env)) if env.isdigit() else max(1, os.cpu_count() or 1)


class ClusterFailed(RuntimeError):
    """The Dask cluster could not do the work (a worker died, or the scheduler is gone)."""


def _chunks(files: list[Path], workers: int) -> list[list[Path]]:
    chunk = max(1, min(CHUNK_FILES, len(files) // (workers * 4)))
    return [files[i : i + chunk] for i in range(0, len(files), chunk)]


def _read_and_extract(
    files: list[Path],
    max_bytes: int,
    workers: int,
    lock_fd: int | None,
    executor: str = "process",
    scheduler: str | None = None,
) -> Iterator[Work]:
    """`_work_chunk`'s results for every file, in file order, on `workers` processes (a local
    pool), or on a Dask cluster (`scheduler`'s, or a LocalCluster of `workers` processes)."""
    if executor == "dask":
        if files:
            yield from _dask_read_and_extract(files, max_bytes, workers, scheduler)
        return
    if workers <= 1 or len(files) < PARALLEL_MIN_FILES:
        for path in files:
            yield from _work_chunk([path], max_bytes)
        return
    chunks = _chunks(files, workers)
    context = multiprocessing.get_context("fork")  # workers inherit the loaded rules: no re-import
    with ProcessPoolExecutor(workers, context, initializer=_worker_init, initargs=(lock_fd,)) as ex:
        for results in ex.map(_work_chunk, chunks, [max_bytes] * len(chunks)):
            yield from results


def _dask_read_and_extract(
    files: list[Path], max_bytes: int, workers: int, scheduler: str | None
) -> Iterator[Work]:
    """The chunks mapped over a Dask cluster, each result taken in order as it completes.

    Without `scheduler`, a LocalCluster of `workers` single-threaded processes is started on
    127.0.0.1 (no dashboard) and stopped afterwards; a worker that dies fails the build, which
    leaves the previous database as it was. With `scheduler`, the workers there must read the
    same article paths (shared storage) and run the same package versions.
    """
    import dask
    from distributed import Client, LocalCluster

    cluster = None
    try:
        settings = {
            "distributed.scheduler.allowed-failures": 0,
            # Extraction is pure Python: each wake-up of a worker's sampling profiler (10 ms),
            # event-loop tick (20 ms) and monitors takes the GIL from it. Measured here on 2,000
            # articles: the profiler off, 30.3 s -> 26.1 s for the build; the tick and monitors
            # rarer, 22.5 s -> 21.2 s for reading and extracting.
            "distributed.worker.profile.enabled": False,
            "distributed.admin.tick.interval": "1s",
            "distributed.worker.memory.monitor-interval": "1s",
            "distributed.admin.system-monitor.interval": "5s",
        }
        with dask.config.set(settings):
            if scheduler:
                client = Client(scheduler, timeout="10s", set_as_default=False)
            else:
                cluster = LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                    dashboard_address=None, silence_logs=logging.ERROR,
                )  # fmt: skip
                client = Client(cluster, set_as_default=False)
        with client:
            chunks = _chunks(files, max(workers, len(client.scheduler_info()["workers"]) or 1))
            # Taken in order, each future dropped once read: the worker then frees that result
            # (results kept to the end make every worker's garbage collection ever slower).
            futures = collections.deque(
                client.map(_work_chunk, chunks, max_bytes=max_bytes, pure=False)
            )
            while futures:
                future = futures.popleft()
                try:
                    results = future.result()
                except Exception as exc:  # KilledWorker, CommClosedError, a lost scheduler
                    for f in futures:
                        f.cancel()
                    where = scheduler or "the local Dask cluster"
                    raise ClusterFailed(
                        f"a Dask worker failed while reading articles on {where} "
                        f"({type(exc).__name__}: {exc})"
                    ) from exc
                del future
                yield from results
    except OSError as exc:
        raise ClusterFailed(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    finally:
        if cluster is not None:
            cluster.close()


# --- the lock -----------------------------------------------------------------------------------


def lock_path_for(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.lock")


@contextmanager
def build_lock(db_path: Path, wait: float = 0.0) -> Iterator[int]:
    """Hold the database's build lock; wait up to `wait` seconds for it, else raise BuildBusy."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path_for(db_path)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
                    raise BuildBusy(
                        f"another build (pid {holder}) is writing {db_path}; "
                        "wait for it to finish, or pass --wait SECONDS"
                    ) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield fd
    finally:
        os.close(fd)  # closing the descriptor releases the lock


# --- the build ----------------------------------------------------------------------------------


def build(
    seeds: Path = DEFAULT_SEEDS,
    db_path: Path = DEFAULT_DB,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    wait: float = 0.0,
    use_cache: bool = True,
    executor: str = "process",
    scheduler: str | None = None,
) -> BuildResult:
    """Build a new database from `seeds` and atomically replace `db_path` with it.

    `executor` runs the reading and extraction on a local process pool ("process") or on a
    Dask cluster ("dask": the one at `scheduler`, or a LocalCluster of `workers` processes).
    """
    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r}; use one of {', '.join(EXECUTORS)}")
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    t0 = time.perf_counter()
    with build_lock(db_path, wait) as lock_fd:
        files, outcomes = _list([seeds])
        read = ReadResult(outcomes=outcomes)
        admit = _Admit(read)
        # Without the cache nothing is reused, but the keys are still stored for the next build.
        previous = cached_sources(db_path, EXTRACTOR_VERSION) if use_cache else {}
        cached: list[CachedSource] = []
        keys: dict[str, tuple[str, str | None]] = {}  # path -> (content key, stat signature)
        fresh: list[Path] = []
        signatures = {path: stat_signature(path) for path in files}
        for path in files:
            hit, signature = previous.get(str(path)), signatures[path]
            if hit is None:
                fresh.append(path)  # its content key comes back from the worker that reads it
                continue
            if signature is not None and hit.stat_signature == signature:
                key = hit.content_key  # unchanged size and mtime: no need to read it
            else:
                key = content_key(path, max_bytes)
            if key:
                keys[str(path)] = (key, signature)
            if hit.content_key != key:
                fresh.append(path)
            elif refused := admit.claim(hit.path, hit.source_id, hit.sha256):
                read.outcomes.append(FileOutcome(hit.path, SKIPPED, refused))
            else:
                cached.append(hit)
                read.outcomes.append(hit.outcome())
        if progress and len(fresh) < len(files):
            progress(len(files) - len(fresh), len(files))  # the unchanged ones are done
        facts: list[Fact] = []
        done = len(files) - len(fresh)
        for path, result, found, key in _read_and_extract(
            fresh, max_bytes, workers or default_workers(), lock_fd, executor, scheduler
        ):
            if key:
                keys[str(path)] = (key, signatures[path])
            if admit.add(result):
                facts.extend(found)
            done += 1
            if progress:
                progress(done, len(files))
        run = {
            "run_id": uuid.uuid4().hex[:12],
            "started_at": started,
            "seeds_dir": str(seeds),
            "extractor_version": EXTRACTOR_VERSION,
            "files_seen": len(read.outcomes),
            "sources_loaded": len(read.sources) + len(cached),
            "files_skipped": len(read.skipped),
        }
        per_kind = write_database(
            db_path,
            read.sources,
            facts,
            read.outcomes,
            run,
            t0,
            keys={
                **{c.source_id: keys.get(c.path) for c in cached},
                **{s.source_id: keys.get(s.path) for s in read.sources},
            },
            cached=[c.source_id for c in cached],
        )
    return BuildResult(
        run["run_id"], db_path, read, facts, time.perf_counter() - t0, cached, per_kind
    )

"""The build: read a folder of articles, extract facts, load a new database, swap it in."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from etl import EXTRACTOR_VERSION
from etl.extract import extract_source
from etl.load import write_database
from etl.model import Fact, Source
from etl.sources import (
    DEFAULT_MAX_BYTES,
    LOADED,
    SKIPPED,
    WARNED,
    FileOutcome,
    SkipFile,
    list_article_files,
    read_source,
)

DEFAULT_DB = Path("data/tracker.duckdb")
DEFAULT_SEEDS = Path("seeds")


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
    read: ReadResult
    facts: list[Fact]
    seconds: float

    def facts_per_kind(self) -> Counter:
        return Counter(f.kind for f in self.facts)


def read_folder(
    paths: Iterable[Path],
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[int, int], None] | None = None,
) -> ReadResult:
    """Read every article under `paths` (files or folders); `progress(done, total)` per file."""
    result = ReadResult()
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found, passed = list_article_files(path)
            files.extend(found)
            result.outcomes.extend(passed)
        elif path.is_file():
            files.append(path)
        else:
            result.outcomes.append(FileOutcome(str(path), SKIPPED, "no such file or folder"))
    seen_ids: dict[str, str] = {}
    seen_content: dict[str, str] = {}
    files = list(dict.fromkeys(p.resolve() for p in files))  # a file named twice is read once
    for done, path in enumerate(files, 1):
        try:
            source = read_source(path, max_bytes=max_bytes)
            if source.source_id in seen_ids:
                raise SkipFile(
                    f"duplicate source id {source.source_id!r}: {seen_ids[source.source_id]} has the same name"
                )
            if source.sha256 in seen_content:
                raise SkipFile(f"duplicate content: same bytes as {seen_content[source.sha256]}")
        except SkipFile as exc:
            result.outcomes.append(FileOutcome(str(path), SKIPPED, str(exc)))
        else:
            seen_ids[source.source_id] = str(path)
            seen_content[source.sha256] = str(path)
            result.sources.append(source)
            status = WARNED if source.warnings else LOADED
            result.outcomes.append(
                FileOutcome(str(path), status, "; ".join(source.warnings), source.source_id)
            )
        if progress:
            progress(done, len(files))
    return result


def extract_all(sources: list[Source]) -> list[Fact]:
    """Facts of every source. Extraction is per document: this is the seam to parallelise."""
    facts: list[Fact] = []
    for source in sources:
        facts.extend(extract_source(source))
    return facts


def build(
    seeds: Path = DEFAULT_SEEDS,
    db_path: Path = DEFAULT_DB,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[int, int], None] | None = None,
) -> BuildResult:
    """Build a new database from `seeds` and atomically replace `db_path` with it."""
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    t0 = time.perf_counter()
    read = read_folder([seeds], max_bytes=max_bytes, progress=progress)
    facts = extract_all(read.sources)
    run = {
        "run_id": uuid.uuid4().hex[:12],
        "started_at": started,
        "seeds_dir": str(seeds),
        "extractor_version": EXTRACTOR_VERSION,
        "files_seen": len(read.outcomes),
        "sources_loaded": len(read.sources),
        "files_skipped": len(read.skipped),
        "facts": len(facts),
    }
    write_database(db_path, read.sources, facts, read.outcomes, run, t0)
    return BuildResult(run["run_id"], db_path, read, facts, time.perf_counter() - t0)

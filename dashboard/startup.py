"""First start: build the database from the articles folder when it is missing.

The build runs as `python -m etl build` in a child process, so the dashboard never imports
extraction code and a crash in the build cannot take the server down with it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = "data/tracker.duckdb"
DEFAULT_SEEDS = "seeds"
BUILD_WAIT_S = 600
PROGRESS_LINE = re.compile(r"progress (\d+)/(\d+)")

_build_lock = threading.Lock()  # one build per server, however many sessions ask at once


@dataclass(frozen=True)
class Paths:
    db: Path
    seeds: Path

    @classmethod
    def from_env(cls) -> Paths:
        """Where the database and the articles live (AGI_TRACKER_DB, AGI_TRACKER_SEEDS)."""
        return cls(
            Path(os.environ.get("AGI_TRACKER_DB", DEFAULT_DB)),
            Path(os.environ.get("AGI_TRACKER_SEEDS", DEFAULT_SEEDS)),
        )


@dataclass(frozen=True)
class BuildOutcome:
    ok: bool
    summary: str


def build_database(
    paths: Paths, progress: Callable[[int, int], None], only_if_missing: bool = True
) -> BuildOutcome:
    """Run the ETL build in a child process, reporting `progress(done, total)` as it reads."""
    with _build_lock:
        if only_if_missing and paths.db.exists():  # another session built it meanwhile
            return BuildOutcome(True, "")
        cmd = [sys.executable, "-m", "etl", "build", "--progress", "lines"]
        cmd += ["--seeds", str(paths.seeds), "--db", str(paths.db)]
        cmd += ["--wait", str(BUILD_WAIT_S)]  # another server's or a CLI build: wait for it
        # One pipe for both streams: reading two pipes in turn can deadlock on a full buffer.
        proc = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        summary = []
        assert proc.stdout is not None
        for line in proc.stdout:
            if m := PROGRESS_LINE.fullmatch(line.strip()):
                progress(int(m[1]), int(m[2]))
            else:
                summary.append(line.rstrip())
        code = proc.wait()
        # Exit 3 means some files were skipped; the database was still built.
        ok = code in (0, 3) and paths.db.exists()
        return BuildOutcome(ok, "\n".join(summary))

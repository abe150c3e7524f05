"""Measuring tools for the benchmark: wall time, medians and the peak RSS of a process tree."""

from __future__ import annotations

import os
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024


def status_kb(pid: int, key: str) -> int:
    """A `kB` field (VmRSS, VmHWM) of /proc/<pid>/status, 0 if the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def server_pid(port: int) -> int:
    """The streamlit process serving `port` (the harness does not expose its pid)."""
    wanted = ["--server.port", str(port)]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if "streamlit" in argv and any(argv[i : i + 2] == wanted for i in range(len(argv))):
            return int(entry.name)
    raise RuntimeError(f"no streamlit process serves port {port}")


def _rss_kb(pid: int) -> int:
    """A process's proportional resident memory (PSS), else its RSS, in kB.

    PSS splits pages shared between processes (a forked worker shares its parent's) among
    them, so summing it over a process tree does not count shared memory twice as RSS does.
    """
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return status_kb(pid, "VmRSS")


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            out += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        pass
    return out


def tree_rss_mb(pid: int) -> float:
    """Resident memory (PSS) of `pid` and all its descendants, in MB."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += _rss_kb(p)
        todo += _children(p)
    return total / 1024


@dataclass
class PeakRss:
    """The highest resident memory a process tree reached while being sampled."""

    pid: int
    interval: float = 0.05
    peak_mb: float = 0.0

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, tree_rss_mb(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


@contextmanager
def own_peak_rss() -> Iterator[PeakRss]:
    """Peak RSS of this process (and children) during the block, from a fresh high-water mark."""
    try:  # reset the kernel's high-water mark so VmHWM reflects only this block
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    with PeakRss(os.getpid(), interval=0.01) as peak:
        yield peak
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak.peak_mb = max(peak.peak_mb, int(line.split()[1]) / 1024)


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def median_time(fn: Callable[[], object], repeat: int, before: Callable[[], None] | None = None):
    """Median wall seconds of `repeat` calls (calling `before` untimed ahead of each)."""
    times = []
    for _ in range(repeat):
        if before:
            before()
        times.append(timed(fn)[0])
    return statistics.median(times)

"""Harness for the browser tests: a live Streamlit server and a headless Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
# No sandbox (containers run as root), no GPU, and nothing that phones home while a test runs.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HEALTH_TIMEOUT_S = 60.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def stop(proc: subprocess.Popen) -> None:
    """Stop a server: politely, then by force after 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@dataclass
class Server:
    """A running dashboard: its base URL and its console output so far."""

    url: str
    _log: IO[str]

    def output(self, last: int = 4000) -> str:
        """The last `last` characters the server printed (tracebacks land here)."""
        self._log.flush()
        self._log.seek(0)
        return self._log.read()[-last:]


@contextmanager
def streamlit_server(db: Path, app: str = "dashboard/app.py") -> Iterator[Server]:
    """Serve `app` over `db` on a free local port; yield it and stop it afterwards."""
    port = free_port()
    env = {**os.environ, "AGI_TRACKER_DB": str(db), "PYTHONUNBUFFERED": "1"}
    # Logs go to a file, not a pipe: a pipe nobody reads fills up and stalls the server.
    with tempfile.TemporaryFile(mode="w+") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                app,
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                # Tests read tracebacks in the page; the checked-in config hides them from users.
                "--client.showErrorDetails",
                "full",
                # The code under test is what was there at start, whatever an editor saves later.
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + HEALTH_TIMEOUT_S
            while not _healthy(f"{base}/_stcore/health"):
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    state = (
                        f"exited with {proc.returncode}"
                        if proc.poll() is not None
                        else f"not healthy after {HEALTH_TIMEOUT_S:.0f} s"
                    )
                    raise RuntimeError(f"streamlit {state}; its output:\n{log.read()}")
                time.sleep(0.2)
            yield Server(base, log)
        finally:
            stop(proc)

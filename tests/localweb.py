"""A small web server on 127.0.0.1 for tests that fetch: routes map a path to a response."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Route:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class LocalWeb:
    base: str
    routes: dict[str, Route]
    requests: list[str]

    def url(self, path: str) -> str:
        return self.base + path


@contextmanager
def local_web(routes: dict[str, Route] | None = None) -> Iterator[LocalWeb]:
    """Serve `routes` (editable while running) on a free port of 127.0.0.1."""
    table: dict[str, Route] = dict(routes or {})
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            seen.append(self.path)
            route = table.get(self.path)
            if route is None:
                self.send_error(404, "Not found")
                return
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            for key, value in route.headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, *args) -> None:  # quiet
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LocalWeb(f"http://127.0.0.1:{server.server_address[1]}", table, seen)
    finally:
        server.shutdown()
        server.server_close()

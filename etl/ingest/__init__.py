"""Adding articles: by upload, by address and from news feeds, all through one road.

Each way ends in `store.store_article`, which writes the article file and its sidecar into the
articles folder; the caller then runs the incremental build (`python -m etl add` and `feeds
pull --build` do, the dashboard does with a progress bar). Every outcome is one line a person
can read, naming the file or address; a failure never stops the others.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from etl.ingest.fetch import ARTICLE_TYPES, FetchError, Refused, fetch, shown
from etl.ingest.store import (
    ADDED,
    DUPLICATE,
    MAX_ARTICLE_BYTES,
    IngestError,
    Stored,
    find_by_url,
    store_article,
    suffix_for,
)

__all__ = ["Added", "add_upload", "add_address", "FetchError", "IngestError", "Refused"]


@dataclass(frozen=True)
class Added:
    """One thing a user asked to add, and what became of it."""

    what: str  # the file name or address, printable
    status: (
        str  # "added" | "refreshed" | "unchanged" | "duplicate" | "skipped" | "failed" | "refused"
    )
    line: str  # one line for a person
    stored: Stored | None = None

    @property
    def ok(self) -> bool:
        return self.status not in ("failed", "refused")

    @property
    def new(self) -> bool:
        """Whether the articles folder changed (a build has something to read)."""
        return self.status in (ADDED, "refreshed")


def add_upload(folder: Path, filename: str, data: bytes, meta: dict | None = None) -> Added:
    """Add an uploaded .txt, .md or .html file, with optional title, url, publisher, published."""
    what = shown(Path(filename).name or "upload")
    try:
        suffix = suffix_for(filename=what)
        if len(data) > MAX_ARTICLE_BYTES:
            raise IngestError(f"{what}: larger than 10 MB, not added")
        _check_text(what, data)
        stored = store_article(folder, data, suffix, meta or {}, name_hint=Path(what).stem)
    except IngestError as exc:
        return Added(what, "failed", str(exc))
    except OSError as exc:  # the folder cannot be written (full disk, permissions)
        return Added(what, "failed", _not_written(what, folder, exc))
    return Added(what, stored.status, stored.line(what), stored)


def add_address(
    folder: Path,
    url: str,
    meta: dict | None = None,
    refresh: bool = False,
    fetch_options: dict | None = None,
) -> Added:
    """Fetch one address and add its page, unless that address was added before (`refresh`
    fetches it anew and replaces the earlier copy)."""
    what = shown(url.strip())
    try:
        existing = find_by_url(folder, url)
        if existing is not None and not refresh:
            line = f"{what}: already added as {existing.name}; --refresh fetches it anew"
            return Added(what, "skipped", line, Stored(DUPLICATE, existing.stem, existing))
        got = fetch(url, accept=ARTICLE_TYPES, **(fetch_options or {}))
        suffix = suffix_for(content_type=got.content_type)
        _check_text(what, got.body)
        found = _page_metadata(got.body) if suffix == ".html" else {}
        sidecar = {**{k: v for k, v in (meta or {}).items() if v}, **found}
        sidecar.update(url=url.strip(), fetched_at=got.fetched_at)
        # No name hint: without a page title the name comes from the address's host and path
        # (the address itself as a hint would give every such file an "http-" or "https-" name).
        stored = store_article(
            folder, got.body, suffix, sidecar, replace=existing if refresh else None
        )
    except Refused as exc:
        return Added(what, "refused", str(exc))
    except (FetchError, IngestError) as exc:
        message = str(exc) if str(exc).startswith(what) else f"{what}: {exc}"
        return Added(what, "failed", message)
    except OSError as exc:  # the folder cannot be written (full disk, permissions)
        return Added(what, "failed", _not_written(what, folder, exc))
    return Added(what, stored.status, stored.line(what), stored)


def _not_written(what: str, folder: Path, exc: OSError) -> str:
    return f"{what}: could not be written to {folder} ({exc.strerror or exc}), not added"


def _check_text(what: str, data: bytes) -> None:
    """Refuse what the build could not read as an article: empty, binary or undecodable."""
    from etl.sources import SkipFile, decode_bytes

    if not data.strip():
        raise IngestError(f"{what}: empty, not added")
    try:
        decode_bytes(data, [])
    except SkipFile as exc:
        raise IngestError(f"{what}: {exc}, not added") from exc


def _page_metadata(html_bytes: bytes) -> dict[str, str]:
    """Title, date, author and site name a news page states about itself."""
    from etl.sources import SkipFile, decode_bytes, html_main_text

    try:
        text, _ = decode_bytes(html_bytes, [])
        body, meta = html_main_text(text, [])
    except SkipFile as exc:
        raise IngestError(str(exc)) from exc
    if not body.strip():
        raise IngestError("the page holds no article text")
    found = {k: meta[k] for k in ("title", "author", "publisher") if meta.get(k)}
    try:
        found["published"] = dt.date.fromisoformat(meta.get("published", "")[:10]).isoformat()
    except ValueError:
        pass  # no date, or one we cannot read: the build infers it from the text
    return found

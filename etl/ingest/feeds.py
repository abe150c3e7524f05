"""News feed subscriptions (RSS, Atom): user data, kept outside anything a build deletes.

The subscriptions file (JSON, default ~/.local/share/agi-tracker/feeds.json, or
$AGI_TRACKER_FEEDS) holds each feed's address, when it was added and last pulled, its
ETag/Last-Modified for conditional requests, the last error, and the ids of entries already
taken. It is rewritten whole (temp file, fsync, rename) under a lock, so two pulls or a pull
and an edit never lose each other's changes.

A pull fetches each feed (conditionally), parses it with feedparser from the bytes we fetched
(feedparser never fetches anything itself), and adds each new entry's page like any address.
"""

from __future__ import annotations

import calendar
import datetime as dt
import fcntl
import io
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import regex

from etl.ingest.fetch import FEED_TYPES, FetchError, check_address, fetch, shown
from etl.ingest.store import IngestError, normalise_url

FEEDS_ENV = "AGI_TRACKER_FEEDS"
MAX_ENTRIES_PER_PULL = 20
MAX_SEEN_IDS = 5_000  # per feed: more than any feed lists at once
# An XML document type with an internal subset can declare entities that expand to gigabytes
# ("billion laughs") or read local files. No news feed needs one, so such a feed is refused.
_DOCTYPE_SUBSET = regex.compile(rb"<!DOCTYPE[^>\[]*\[|<!ENTITY", regex.IGNORECASE)


def feeds_path() -> Path:
    """Where subscriptions live: $AGI_TRACKER_FEEDS, else the user's data folder."""
    if os.environ.get(FEEDS_ENV):
        return Path(os.environ[FEEDS_ENV])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "agi-tracker" / "feeds.json"


@dataclass
class EntryOutcome:
    entry: str  # the entry's address (or id)
    status: str  # "added" | "skipped" | "failed" (tried again next pull) | "refused" (never)
    detail: str


@dataclass
class FeedReport:
    url: str
    error: str | None = None
    not_modified: bool = False
    entries: list[EntryOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        statuses = ("failed", "refused") if status == "failed" else (status,)
        return sum(1 for e in self.entries if e.status in statuses)

    def line(self) -> str:
        if self.error:
            error = self.error.removeprefix(f"{shown(self.url)}: ")  # name the feed once
            return f"{shown(self.url)}: failed: {error}"
        if self.not_modified:
            return f"{shown(self.url)}: not modified since the last pull"
        return (
            f"{shown(self.url)}: {self.count('added')} added, {self.count('skipped')} skipped, "
            f"{self.count('failed')} failed"
        )


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f".{path.name}.lock"), "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def load(path: Path | None = None) -> dict[str, dict]:
    """Subscriptions by normalised address ({} if there are none yet)."""
    path = path or feeds_path()
    try:
        raw = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise IngestError(f"{path}: the subscriptions file cannot be read ({exc})") from exc
    feeds = raw.get("feeds") if isinstance(raw, dict) else None
    if not isinstance(feeds, dict):
        raise IngestError(f"{path}: the subscriptions file is not in the expected form")
    return feeds


def _save(feeds: dict[str, dict], path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump({"version": 1, "feeds": feeds}, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _update(path: Path | None, change: Callable[[dict[str, dict]], object]) -> object:
    """Apply `change` to the subscriptions under the lock and save them."""
    path = path or feeds_path()
    with _locked(path):
        feeds = load(path)
        result = change(feeds)
        _save(feeds, path)
        return result


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def subscribe(url: str, path: Path | None = None) -> bool:
    """Add a feed; False if it was already there."""
    check_address(url)
    key = normalise_url(url)

    def change(feeds: dict[str, dict]) -> bool:
        if key in feeds:
            return False
        feeds[key] = {"url": url.strip(), "added": _now(), "seen": []}
        return True

    return bool(_update(path, change))


def unsubscribe(url: str, path: Path | None = None) -> bool:
    """Remove a feed; False if there was no such subscription."""
    key = normalise_url(url)
    return bool(_update(path, lambda feeds: feeds.pop(key, None) is not None))


def subscriptions(path: Path | None = None) -> list[dict]:
    """Every subscription, oldest first."""
    return sorted(load(path).values(), key=lambda f: f.get("added", ""))


def parse_feed(data: bytes, url: str) -> list[dict]:
    """The entries of a feed document, as dicts of id, link, title and published (ISO date).

    Raises FetchError for a document that declares entities, or that is not a feed at all.
    """
    import feedparser

    if _DOCTYPE_SUBSET.search(data):  # all of it: a long comment can come before the DOCTYPE
        raise FetchError(
            f"{shown(url)}: the feed declares XML entities or a document-type subset; refused "
            "(entity expansion could exhaust memory)"
        )
    parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False, sanitize_html=True)
    # No entries, and broken XML or XML that is no feed at all (an HTML page, a sitemap).
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        problem = " ".join(str(parsed.get("bozo_exception") or "no feed in it").split())[:200]
        raise FetchError(f"{shown(url)}: not a readable RSS or Atom feed ({problem})")
    entries = []
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        published = None
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            try:
                published = dt.datetime.fromtimestamp(calendar.timegm(stamp), dt.UTC).date()
            except (OverflowError, ValueError, OSError):
                published = None
        entries.append(
            {
                "id": (entry.get("id") or link).strip(),
                "link": link,
                "title": " ".join((entry.get("title") or "").split()) or None,
                "published": published,
            }
        )
    return entries


def pull(
    add_url: Callable[[str, dict], tuple[str, str]],
    path: Path | None = None,
    max_entries: int = MAX_ENTRIES_PER_PULL,
    progress: Callable[[int, int, str], None] | None = None,
    fetch_options: dict | None = None,
) -> list[FeedReport]:
    """Pull every subscribed feed; `add_url(link, meta)` adds one entry's page and returns
    (status, detail), status one of EntryOutcome's. A failing feed is reported and the others
    go on."""
    reports = []
    feeds = subscriptions(path)
    for i, feed in enumerate(feeds):
        if progress:
            progress(i, len(feeds), feed["url"])
        reports.append(_pull_one(feed, add_url, path, max_entries, fetch_options or {}))
    if progress:
        progress(len(feeds), len(feeds), "")
    return reports


def _pull_one(feed, add_url, path, max_entries, fetch_options) -> FeedReport:
    url = feed["url"]
    report = FeedReport(url)
    conditional = {}
    if feed.get("etag"):
        conditional["If-None-Match"] = feed["etag"]
    if feed.get("last_modified"):
        conditional["If-Modified-Since"] = feed["last_modified"]
    seen = set(feed.get("seen", []))
    taken: list[str] = []
    failed: set[str] = set()
    validators: dict[str, str] = {}
    try:
        got = fetch(url, accept=FEED_TYPES, headers=conditional, **fetch_options)
        if got.not_modified:
            report.not_modified = True
        else:
            validators = {
                "etag": got.headers.get("etag", ""),
                "last_modified": got.headers.get("last-modified", ""),
            }
            entries = parse_feed(got.body, url)
            for entry in entries:
                key = entry["id"] or entry["link"]
                if not key or key in seen or key in taken:  # a feed may list an entry twice
                    continue
                if len(taken) >= max_entries:
                    break
                taken.append(key)
                meta = {"title": entry["title"], "published": entry["published"], "feed": url}
                status, detail = add_url(entry["link"], meta)
                if status == "failed":
                    failed.add(key)
                report.entries.append(EntryOutcome(entry["link"] or key, status, detail))
            # Counted, not inferred from sizes: `seen` also holds ids the feed no longer lists.
            waiting = len({e["id"] or e["link"] for e in entries} - seen - set(taken) - {""})
            if waiting > 0:
                report.entries.append(
                    EntryOutcome(
                        url,
                        "skipped",
                        f"{waiting} more new entries wait for the next pull (at most {max_entries} per pull)",
                    )
                )
    except (FetchError, IngestError) as exc:
        report.error = str(exc)

    def change(feeds: dict[str, dict]) -> None:
        record = feeds.get(normalise_url(url))
        if record is None:  # unsubscribed meanwhile
            return
        record["last_pull"] = _now()
        record["last_error"] = report.error
        record["last_result"] = report.line()
        for key, value in validators.items():
            if value:
                record[key] = value
            else:
                record.pop(key, None)
        # Failed entries are not marked seen: the next pull tries them again (refused ones,
        # such as a javascript: link, would fail the same way forever).
        kept = [k for k in taken if k not in failed]
        record["seen"] = (record.get("seen", []) + kept)[-MAX_SEEN_IDS:]

    _update(path, change)
    return report

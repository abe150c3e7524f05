"""Analyst reviews: user data in an append-only log that every build applies again.

An analyst verifies, rejects or corrects a fact, or adds one the extractor missed (by its quote,
which must be in the article). Each review is one JSON line in the log (default
~/.local/share/agi-tracker/reviews.jsonl, or $AGI_TRACKER_REVIEWS), appended under an exclusive
lock and fsynced, so two sessions reviewing at once lose nothing, and nothing a build or
`make clean` deletes holds it. A torn last line (a kill mid-write) is skipped with a warning.

A review names its fact by the article's content (sha256), the fact's kind and span, and what
it says (person, organisation and quantity, or subject), not only by its id: after a rebuild,
`--no-cache` or a new extractor version, it re-attaches to the same fact (by id, then by exact
span, then by overlap with the same identity). Reviews that attach nowhere are orphaned, listed,
and never dropped. For each fact the latest action wins; the whole history stays in the log.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

REVIEWS_ENV = "AGI_TRACKER_REVIEWS"
ACTIONS = ("verify", "reject", "correct", "add")
STATUS_OF = {"verify": "verified", "reject": "rejected", "correct": "corrected", "add": "added"}
ANALYST = "analyst"  # the extractor_version of facts an analyst added
# Fields an analyst may correct or give to an added fact, and how to read them.
FIELDS = {
    "org": str, "date": lambda raw: _date_and_precision(raw)[0], "date_precision": str, "chip": str,
    "quantity": int, "unit": str, "status": str, "person": str, "from_org": str,
    "to_org": str, "role": str, "subject": str, "category": str,
}  # fmt: skip
CHOICES = {
    "date_precision": ("day", "month", "quarter", "year"),
    "unit": ("GPUs", "H100-equivalents"),
    "status": ("planned", "operational", "unspecified"),
    "category": ("model", "product", "organisation", "investment", "infrastructure", "event"),
}
KINDS = ("compute", "hire", "announcement")


class ReviewError(ValueError):
    """A review that cannot be recorded; the message says why."""


def reviews_path() -> Path:
    """Where the review log lives: $AGI_TRACKER_REVIEWS, else the user's data folder."""
    if os.environ.get(REVIEWS_ENV):
        return Path(os.environ[REVIEWS_ENV])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "agi-tracker" / "reviews.jsonl"


def parse_fields(pairs: Iterable[str] | Mapping[str, object]) -> dict[str, object]:
    """FIELD=VALUE pairs (or a mapping) checked and typed; ReviewError names a bad one."""
    items = pairs.items() if isinstance(pairs, Mapping) else (_split(p) for p in pairs)
    out: dict[str, object] = {}
    for name, raw in items:
        if name not in FIELDS:
            raise ReviewError(f"unknown field {name!r}; fields: {', '.join(FIELDS)}")
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            out[name] = None
            continue
        try:
            value = FIELDS[name](raw.strip() if isinstance(raw, str) else raw)
        except (TypeError, ValueError) as exc:
            raise ReviewError(f"{name}={raw!r} is not a valid {name} ({exc})") from exc
        if name in CHOICES and value not in CHOICES[name]:
            raise ReviewError(f"{name} must be one of {', '.join(CHOICES[name])}, not {value!r}")
        if name == "quantity" and value <= 0:
            raise ReviewError("quantity must be a positive whole number")
        out[name] = value
        if name == "date" and isinstance(raw, str):
            out.setdefault("date_precision", _date_and_precision(raw.strip())[1])
    return out


def _date_and_precision(raw: object) -> tuple[dt.date, str]:
    """2025-01-18 (a day), 2025-01 (a month) or 2025 (a year): the period's first day."""
    if isinstance(raw, dt.date):
        return raw, "day"
    text = str(raw)
    if len(text) == 4 and text.isdigit():
        return dt.date(int(text), 1, 1), "year"
    if len(text) == 7 and text[4] == "-":
        return dt.date.fromisoformat(text + "-01"), "month"
    return dt.date.fromisoformat(text), "day"


def _split(pair: str) -> tuple[str, str]:
    if "=" not in pair:
        raise ReviewError(f"expected FIELD=VALUE, got {pair!r}")
    name, value = pair.split("=", 1)
    return name.strip(), value


def identity(row: Mapping[str, object]) -> dict[str, object]:
    """What a fact says, for re-attaching a review when its span or id changed."""
    kind = row.get("kind")
    if kind == "compute":
        keys = ("org", "quantity", "unit")
    elif kind == "hire":
        keys = ("person", "to_org")
    else:
        keys = ("org", "subject")
    return {k: row.get(k) for k in keys}


def _jsonable(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def record_review(
    action: str,
    fact: Mapping[str, object],
    source_sha256: str,
    fields: Mapping[str, object] | None = None,
    note: str | None = None,
    path: Path | None = None,
) -> dict:
    """Append a verify, reject or correct of `fact` (a row of the facts table) to the log."""
    if action not in ("verify", "reject", "correct"):
        raise ReviewError(f"unknown action {action!r}; use verify, reject or correct")
    fields = parse_fields(fields or {})
    if action == "correct" and not fields:
        raise ReviewError("a correction needs at least one FIELD=VALUE")
    entry = {
        "action": action,
        "fact_id": fact["fact_id"],
        "source_id": fact["source_id"],
        "source_sha256": source_sha256,
        "kind": fact["kind"],
        "start": int(fact["start_offset"]),
        "end": int(fact["end_offset"]),
        "quote": fact["quote"],
        "identity": {k: _jsonable(v) for k, v in identity(fact).items()},
        "fields": {k: _jsonable(v) for k, v in fields.items()},
        "note": note or None,
    }
    return append(entry, path)


def record_added_fact(
    source_id: str,
    source_sha256: str,
    text: str,
    kind: str,
    quote: str,
    fields: Mapping[str, object] | None = None,
    note: str | None = None,
    path: Path | None = None,
) -> dict:
    """Append a fact the extractor missed; its quote must be in the article (offsets computed)."""
    if kind not in KINDS:
        raise ReviewError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    quote = quote.strip()
    if not quote:
        raise ReviewError("the quote is empty")
    start = text.find(quote)
    if start < 0:
        raise ReviewError(f"the quote is not in article {source_id} (it must be copied exactly)")
    fields = parse_fields(fields or {})
    needed = {"compute": ("org", "quantity"), "hire": ("person", "to_org"),
              "announcement": ("org", "subject")}[kind]  # fmt: skip
    missing = [name for name in needed if not fields.get(name)]
    if missing:
        raise ReviewError(f"a {kind} fact needs {' and '.join(f'{m}=...' for m in missing)}")
    entry = {
        "action": "add",
        "fact_id": added_fact_id(source_sha256, kind, start, start + len(quote)),
        "source_id": source_id,
        "source_sha256": source_sha256,
        "kind": kind,
        "start": start,
        "end": start + len(quote),
        "quote": quote,
        "identity": {},
        "fields": {k: _jsonable(v) for k, v in fields.items()},
        "note": note or None,
    }
    return append(entry, path)


def added_fact_id(source_sha256: str, kind: str, start: int, end: int) -> str:
    key = f"analyst\x1f{source_sha256}\x1f{kind}\x1f{start}\x1f{end}"
    return "a" + hashlib.sha1(key.encode()).hexdigest()[:15]


def append(entry: dict, path: Path | None = None) -> dict:
    """Append one review under an exclusive lock, and fsync it before returning."""
    path = path or reviews_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = {
        "review_id": uuid.uuid4().hex[:16],
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
        **entry,
    }
    line = (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        end = os.lseek(fd, 0, os.SEEK_END)
        if end and _last_byte(path, end) != b"\n":
            os.write(fd, b"\n")  # a torn line before us stays torn, and alone on its line
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)  # releases the lock
    return entry


def _last_byte(path: Path, size: int) -> bytes:
    with open(path, "rb") as handle:
        handle.seek(size - 1)
        return handle.read(1)


def read_log(path: Path | None = None) -> tuple[list[dict], list[str]]:
    """Every review in the log, oldest first, and a warning for each line that is not one."""
    path = path or reviews_path()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], []
    entries, warnings = [], []
    lines = data.split(b"\n")
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            entry = json.loads(raw.decode("utf-8"))
            if not isinstance(entry, dict) or entry.get("action") not in ACTIONS:
                raise ValueError("not a review")
        except (UnicodeDecodeError, ValueError) as exc:
            torn = number == len(lines) and not data.endswith(b"\n")
            what = "a torn last line (a write cut short)" if torn else f"an unreadable line ({exc})"
            warnings.append(f"{path}:{number}: skipped {what}")
            continue
        entries.append(entry)
    return entries, warnings


@dataclass
class Applied:
    """The log applied to one database's facts."""

    status: dict[str, str] = field(default_factory=dict)  # fact_id -> latest status
    corrections: dict[str, dict] = field(default_factory=dict)  # fact_id -> field values
    notes: dict[str, str] = field(default_factory=dict)  # fact_id -> latest note
    added: list[dict] = field(default_factory=list)  # fact rows an analyst added
    attached: dict[str, str] = field(default_factory=dict)  # review_id -> fact_id
    orphaned: list[dict] = field(default_factory=list)


def attach(
    reviews: list[dict], facts: list[dict], sources: Mapping[str, tuple[str, str]]
) -> Applied:
    """Apply reviews (oldest first) to fact rows; `sources` maps source id -> (sha256, text).

    A review finds its fact by id; else in the article with the same content (by sha256, so a
    renamed file still matches), by kind and exact span; else by the largest overlap with a
    fact of the same kind that says the same thing. Added facts are re-created from their quote
    in the article with that content (found again if the text moved).
    """
    by_id = {f["fact_id"]: f for f in facts}
    by_sha = {sha: sid for sid, (sha, _) in sources.items()}
    in_source: dict[str, list[dict]] = {}
    for f in facts:
        in_source.setdefault(f["source_id"], []).append(f)
    out = Applied()
    added: dict[str, dict] = {}
    for review in reviews:
        source_id = by_sha.get(review.get("source_sha256")) or (
            review.get("source_id") if review.get("source_id") in sources else None
        )
        if review["action"] == "add":
            row = _added_row(review, source_id, sources)
            if row is None:
                out.orphaned.append(review)
                continue
            added[row["fact_id"]] = row
            out.attached[review["review_id"]] = row["fact_id"]
            out.status[row["fact_id"]] = "added"
            out.notes[row["fact_id"]] = review.get("note") or ""
            continue
        fact_id = _find(review, source_id, by_id, in_source, added)
        if fact_id is None:
            out.orphaned.append(review)
            continue
        out.attached[review["review_id"]] = fact_id
        action = review["action"]
        if fact_id in added:  # a review of an added fact keeps it added, with the change
            if action == "correct":
                added[fact_id].update(_typed(review.get("fields", {})))
            elif action == "reject":
                out.status[fact_id] = "rejected"
            continue
        out.status[fact_id] = STATUS_OF[action]
        if action == "correct":
            out.corrections[fact_id] = _typed(review.get("fields", {}))
        elif fact_id in out.corrections and action == "reject":
            pass  # rejected: the correction no longer matters, but is kept in the log
        if review.get("note"):
            out.notes[fact_id] = review["note"]
    out.added = list(added.values())
    return out


def _typed(fields: Mapping[str, object]) -> dict:
    return parse_fields(fields)


def _find(review, source_id, by_id, in_source, added) -> str | None:
    if review["fact_id"] in by_id or review["fact_id"] in added:
        return review["fact_id"]
    if source_id is None:
        return None
    candidates = [f for f in in_source.get(source_id, []) if f["kind"] == review["kind"]]
    for f in candidates:
        if f["start_offset"] == review["start"] and f["end_offset"] == review["end"]:
            return f["fact_id"]
    wanted = review.get("identity") or {}
    best, best_overlap = None, 0
    for f in candidates:
        overlap = min(f["end_offset"], review["end"]) - max(f["start_offset"], review["start"])
        same = all(_jsonable(f.get(k)) == v for k, v in wanted.items())
        if overlap > best_overlap and same:
            best, best_overlap = f["fact_id"], overlap
    if best is None:  # the span moved: the same quote elsewhere, saying the same thing
        for f in candidates:
            if f["quote"] == review.get("quote") and all(
                _jsonable(f.get(k)) == v for k, v in wanted.items()
            ):
                return f["fact_id"]
    return best


def _added_row(review: dict, source_id: str | None, sources) -> dict | None:
    if source_id is None:
        return None
    _, text = sources[source_id]
    start, end, quote = review["start"], review["end"], review["quote"]
    if text[start:end] != quote:
        start = text.find(quote)
        if start < 0:
            return None
        end = start + len(quote)
    row = {
        "fact_id": review["fact_id"],
        "source_id": source_id,
        "kind": review["kind"],
        "quote": quote,
        "start_offset": start,
        "end_offset": end,
        "extractor_version": ANALYST,
        "confidence": 1.0,
        **{k: None for k in FIELDS},
    }
    row.update(_typed(review.get("fields", {})))
    if review["kind"] == "compute":
        row["unit"] = row["unit"] or "GPUs"
        row["status"] = row["status"] or "unspecified"
        if not row["quantity"]:
            return None
    return row

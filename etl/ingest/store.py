"""The one road into the articles folder: write an article and its sidecar, safely.

Every way of adding an article (upload, address, feed) ends here. A new article gets a safe
file name made from its title or address, never takes the name of another article (any
suffix: the file's stem is the source id), and is written whole or not at all (a hidden temp
file, then a hard link that fails rather than replace anything). The same bytes already in the
folder are reported as that article, not added twice.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import unicodedata
import urllib.parse
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import regex

from etl.sources import (
    ARTICLE_SUFFIXES,
    SIDECAR_KEYS,
    SIDECAR_SUFFIX,
    unsafe_name_reason,
)

MAX_ARTICLE_BYTES = 10 * 1024 * 1024  # the build skips anything larger, so we never add it
MAX_STEM_CHARS = 80
LOCK_NAME = ".ingest.lock"  # hidden: the build passes over dotfiles
ADDED, DUPLICATE, REFRESHED, UNCHANGED = "added", "duplicate", "refreshed", "unchanged"


class IngestError(Exception):
    """An article that cannot be added; the message says why, naming the file or address."""


@dataclass(frozen=True)
class Stored:
    """What happened to one article: added, a duplicate of one already there, or refreshed."""

    status: str
    source_id: str
    path: Path

    def line(self, what: str) -> str:
        """One line for a person: what was given and where it went."""
        if self.status == DUPLICATE:
            return f"{what}: already there as {self.path.name} (same content), not added again"
        if self.status == UNCHANGED:
            return f"{what}: fetched again, unchanged ({self.path.name})"
        verb = "refreshed" if self.status == REFRESHED else "added"
        return f"{what}: {verb} as {self.path.name}"


def safe_stem(title: str | None = None, url: str | None = None, fallback: str = "article") -> str:
    """A file stem made from the title (or else the address): lower-case ASCII words joined by
    hyphens, at most MAX_STEM_CHARS, never empty, never hidden, always a valid source id."""
    words = _words(title or "")
    if not words and url:  # no title, or one without a letter or digit we can use
        try:
            parts = urllib.parse.urlsplit(url)
            words = _words(f"{parts.hostname or ''} {parts.path} {parts.query}")
        except ValueError:
            pass
    stem = ""
    for word in words:
        if len(stem) + len(word) + 1 > MAX_STEM_CHARS:
            stem = stem or word[:MAX_STEM_CHARS]  # one very long word: cut it
            break
        stem = f"{stem}-{word}" if stem else word
    stem = stem or fallback
    assert unsafe_name_reason(stem + ".txt") is None, stem
    return stem


# Letters that NFKD does not take apart into an ASCII letter and an accent.
_LATIN = str.maketrans(
    {"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l",
     "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D", "ı": "i"}
)  # fmt: skip


def _words(text: str) -> list[str]:
    text = text.translate(_LATIN)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = regex.findall(r"[a-z0-9]+", ascii_text.lower())
    return [w for w in words if w not in ("html", "htm", "php", "aspx", "www")] or words


def suffix_for(filename: str | None = None, content_type: str | None = None) -> str:
    """The article suffix for an uploaded name or a fetched content type (.html, .md or .txt)."""
    if filename:
        suffix = Path(filename).suffix.lower()
        if suffix in ARTICLE_SUFFIXES:
            return {".htm": ".html", ".markdown": ".md"}.get(suffix, suffix)
        raise IngestError(
            f"{filename}: unsupported file type {suffix or '(none)'!r}; use .txt, .md or .html"
        )
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind in ("text/html", "application/xhtml+xml"):
        return ".html"
    if kind == "text/markdown":
        return ".md"
    return ".txt"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """One writer at a time in the articles folder (sessions, the CLI and a feed pull)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_NAME, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def article_files(folder: Path) -> Iterator[Path]:
    """The article files directly in `folder` (not hidden, regular, a known suffix)."""
    if not folder.is_dir():
        return
    for entry in os.scandir(folder):
        if entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
            continue
        if Path(entry.name).suffix.lower() in ARTICLE_SUFFIXES:
            yield Path(entry.path)


def find_same_content(folder: Path, data: bytes) -> Path | None:
    """The article in `folder` with exactly these bytes (only same-size files are hashed)."""
    digest = None
    for path in article_files(folder):
        try:
            if path.stat().st_size != len(data):
                continue
            digest = digest or sha256(data)
            if sha256(path.read_bytes()) == digest:
                return path
        except OSError:
            continue
    return None


def find_by_url(folder: Path, url: str) -> Path | None:
    """The article whose sidecar gives this address."""
    wanted = normalise_url(url)
    for path in article_files(folder):
        address = read_meta(path).get("url")
        if isinstance(address, str) and normalise_url(address) == wanted:
            return path
    return None


def read_meta(article: Path) -> dict:
    """The sidecar of an article as a dict ({} if there is none or it is not a JSON object)."""
    try:
        raw = json.loads(article.with_name(article.stem + SIDECAR_SUFFIX).read_text("utf-8-sig"))
    except (OSError, ValueError, RecursionError):
        return {}
    return raw if isinstance(raw, dict) else {}


def normalise_url(url: str) -> str:
    """An address compared for sameness: scheme and host lower-cased, no fragment, no default
    port, an empty path as '/'. Never raises: an address it cannot read is compared as written."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = parts.port
    except ValueError:  # a bad port or bracket: no fetch will succeed, but no crash either
        return url.strip()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"  # IPv6
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host if port in (None, default) else f"{host}:{port}"
    return urllib.parse.urlunsplit(
        (parts.scheme.lower(), netloc, parts.path or "/", parts.query, "")
    )


def clean_meta(meta: Mapping[str, object]) -> dict[str, str]:
    """Sidecar fields the build reads: known keys, one-line non-empty strings, dates as ISO."""
    out = {}
    for key, value in meta.items():
        if key not in SIDECAR_KEYS or value is None:
            continue
        if isinstance(value, dt.datetime):
            value = value.isoformat(timespec="seconds")
        elif isinstance(value, dt.date):
            value = value.isoformat()
        # Bidi marks out first, then whitespace joined, then the other controls: "a\n\u202e b"
        # becomes "a b", not "a  b".
        text = regex.sub(r"[\p{Cs}\u202a-\u202e\u2066-\u2069]", "", str(value))
        text = regex.sub(r"\p{Cc}", "", " ".join(text.split()))
        if text:
            out[key] = text
    return out


def store_article(
    folder: Path,
    data: bytes,
    suffix: str,
    meta: Mapping[str, object] | None = None,
    name_hint: str | None = None,
    replace: Path | None = None,
) -> Stored:
    """Write one article (and its sidecar, if `meta` holds anything) into `folder`.

    Same bytes already there: nothing is written and that article is reported. `replace`
    names an article to refresh in place (the same address fetched anew); nothing else is ever
    overwritten.
    """
    named = f"{name_hint}: " if name_hint else ""  # callers without a hint name it themselves
    if len(data) > MAX_ARTICLE_BYTES:
        raise IngestError(f"{named}larger than 10 MB, not added")
    if suffix not in (".txt", ".md", ".html"):
        raise IngestError(f"{named}unsupported suffix {suffix!r}")
    sidecar = clean_meta(meta or {})
    with folder_lock(folder):
        if replace is not None:
            return _refresh(replace, data, suffix, sidecar)
        existing = find_same_content(folder, data)
        if existing is not None:
            return Stored(DUPLICATE, existing.stem, existing)
        stem = safe_stem(sidecar.get("title") or name_hint, sidecar.get("url"))
        taken = _taken_stems(folder)
        candidate, n = stem, 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{stem}-{n}"
        path = folder / f"{candidate}{suffix}"
        meta_path = path.with_name(candidate + SIDECAR_SUFFIX)
        if sidecar:
            _write_new(meta_path, _sidecar_bytes(sidecar))
        try:
            _write_new(path, data)
        except BaseException:
            if sidecar:  # never leave it behind: it would describe whatever file took the name
                meta_path.unlink(missing_ok=True)
            raise
        return Stored(ADDED, candidate, path)


def _refresh(path: Path, data: bytes, suffix: str, sidecar: dict[str, str]) -> Stored:
    """Replace an article we added from an address with its new content, atomically."""
    try:
        same = path.read_bytes() == data
    except OSError:
        same = False
    target = path if path.suffix == suffix else path.with_suffix(suffix)
    meta_path = path.with_name(path.stem + SIDECAR_SUFFIX)
    if sidecar:
        _write_replace(meta_path, _sidecar_bytes({**read_meta(path), **sidecar}))
    if same:
        return Stored(UNCHANGED, path.stem, path)
    _write_replace(target, data)
    if target != path:
        path.unlink(missing_ok=True)
    return Stored(REFRESHED, target.stem, target)


def _taken_stems(folder: Path) -> set[str]:
    """Stems in use by any file (articles, sidecars, anything): compared without case, as two
    names differing only in case are one file on some disks."""
    stems = set()
    for entry in os.scandir(folder):
        name = entry.name
        if name.endswith(SIDECAR_SUFFIX):
            name = name[: -len(SIDECAR_SUFFIX)]
        stems.add(Path(name).stem.lower() if "." in name else name.lower())
    return stems


def _sidecar_bytes(sidecar: Mapping[str, str]) -> bytes:
    return (json.dumps(dict(sidecar), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _temp_beside(path: Path, data: bytes) -> Path:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:  # a full disk: no partial temp file stays behind
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _write_new(path: Path, data: bytes) -> None:
    """Write `path` whole, failing (never replacing) if it already exists."""
    tmp = _temp_beside(path, data)
    try:
        os.link(tmp, path)  # atomic, and refuses an existing name
    except FileExistsError as exc:
        raise IngestError(
            f"{path.name}: a file of that name appeared meanwhile; not replaced"
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)


def _write_replace(path: Path, data: bytes) -> None:
    tmp = _temp_beside(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise

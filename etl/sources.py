"""Read article files from a folder: decode, extract visible text, gather metadata.

Every file gets exactly one `FileOutcome`: loaded, loaded with warnings, or skipped with the
reason. Nothing here raises for bad input; the build goes on with the other files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import regex

from etl.dates import find_dates
from etl.model import Source

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
SIDECAR_SUFFIX = ".meta.json"
SIDECAR_KEYS = ("title", "url", "publisher", "published")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # a news article is kilobytes; 10 MB is clearly not one
LOADED, WARNED, SKIPPED = "loaded", "loaded with warnings", "skipped"


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file of the input folder."""

    path: str
    status: str  # LOADED | WARNED | SKIPPED
    reason: str = ""
    source_id: str | None = None


class SkipFile(Exception):
    """A file that cannot become a source; the message is the reason users see."""


def list_article_files(folder: Path) -> tuple[list[Path], list[FileOutcome]]:
    """Article files below `folder` in a stable order, and outcomes for files we pass over."""
    folder = folder.resolve()
    files: list[Path] = []
    passed: list[FileOutcome] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith(".") or name.endswith(SIDECAR_SUFFIX):
                continue
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(folder):
                    passed.append(
                        FileOutcome(
                            str(path), SKIPPED, "symlink to outside the seeds folder, not followed"
                        )
                    )
                    continue
            if path.suffix.lower() not in ARTICLE_SUFFIXES:
                passed.append(
                    FileOutcome(
                        str(path),
                        SKIPPED,
                        f"unsupported file type {path.suffix or '(none)'!r}; use .txt, .md or .html",
                    )
                )
                continue
            files.append(path)
    return files, passed


def read_source(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Read one article file into a Source, or raise SkipFile with the reason."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SkipFile(f"cannot read file: {exc.strerror}") from exc
    if size > max_bytes:
        raise SkipFile(f"file too large: {size / 1e6:.1f} MB (limit {max_bytes / 1e6:.0f} MB)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SkipFile(f"cannot read file: {exc.strerror}") from exc
    warnings: list[str] = []
    text, encoding = decode_bytes(data, warnings)
    fmt = "html" if path.suffix.lower() in (".html", ".htm") else path.suffix.lower().lstrip(".")
    html_meta: dict[str, str] = {}
    if fmt == "html":
        text, html_meta = html_to_text(text)
    if not text.strip():
        raise SkipFile("no text: the file is empty" if not data.strip() else "no visible text")
    meta = read_sidecar(path, warnings)
    published, published_from = None, None
    if meta.get("published"):
        published, published_from = meta["published"], "sidecar"
    elif html_meta.get("published"):
        published, published_from = _parse_iso_date(html_meta["published"][:10]), "html meta"
    if published is None:
        published = find_dateline(text)
        published_from = "dateline" if published else None
    return Source(
        source_id=path.stem,
        path=str(path),
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        format="markdown" if fmt in ("md", "markdown") else fmt,
        encoding=encoding,
        title=meta.get("title") or html_meta.get("title") or first_line_title(text),
        url=meta.get("url"),
        publisher=meta.get("publisher"),
        published=published,
        published_from=published_from,
        warnings=tuple(warnings),
    )


def decode_bytes(data: bytes, warnings: list[str]) -> tuple[str, str]:
    """Decode article bytes: BOMs first, then strict UTF-8, then a detected encoding."""
    if not data.strip():
        raise SkipFile("empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise SkipFile(f"undecodable UTF-16 text at byte {exc.start}") from exc
    if b"\x00" in data[:8192]:
        raise SkipFile("binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            warnings.append("truncated UTF-8: the incomplete last character was dropped")
            return data[: exc.start].decode("utf-8-sig"), "utf-8"
        first_error = exc.start
    from charset_normalizer import from_bytes

    best = _best_guess(from_bytes(data))
    if best is None or best.encoding is None:
        raise SkipFile(
            f"undecodable: not UTF-8 (bad byte at {first_error}) and no encoding detected"
        )
    text = str(best)
    if _control_ratio(text) > 0.05:
        raise SkipFile("binary file (mostly control characters), not text")
    warnings.append(f"not UTF-8 (bad byte at {first_error}); decoded as {best.encoding}")
    return text, best.encoding


# On a near tie, a Western encoding is the likelier one for English-language news.
WESTERN = ("utf_8", "cp1252", "latin_1", "iso8859_15", "ascii")


def _best_guess(results):
    best = results.best()
    if best is None or best.encoding in WESTERN:
        return best
    for candidate in results:
        if candidate.encoding in WESTERN and candidate.chaos <= best.chaos + 0.1:
            return candidate
    return best


def _control_ratio(text: str) -> float:
    sample = text[:8192]
    bad = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    return bad / max(1, len(sample))


BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table section article header footer blockquote pre "
    "figure figcaption dd dt dl hr main aside nav title".split()
)
INVISIBLE_TAGS = ["script", "style", "noscript", "template", "svg", "iframe", "object", "head"]


def html_to_text(html: str) -> tuple[str, dict[str, str]]:
    """Visible text of an HTML page (block elements become lines) and its title/date metadata."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    meta: dict[str, str] = {}
    title = tree.css_first("title")
    if title is not None and title.text(strip=True):
        meta["title"] = " ".join(title.text().split())
    for sel in (
        'meta[property="article:published_time"]',
        'meta[name="date"]',
        'meta[name="pubdate"]',
        'meta[itemprop="datePublished"]',
    ):
        node = tree.css_first(sel)
        if node is not None and node.attributes.get("content"):
            meta["published"] = node.attributes["content"]
            break
    tree.strip_tags(INVISIBLE_TAGS)
    root = tree.body or tree.root
    parts: list[str] = []
    _walk(root, parts)
    lines = ("".join(parts)).split("\n")
    text = "\n".join(" ".join(line.split()) for line in lines)
    text = regex.sub(r"\n{3,}", "\n\n", text).strip()
    return text, meta


def _walk(node, parts: list[str]) -> None:
    child = node.child
    while child is not None:
        if child.is_text_node:
            parts.append(child.text_content or "")
        elif child.is_element_node:
            block = child.tag in BLOCK_TAGS
            if block:
                parts.append("\n")
            _walk(child, parts)
            if block:
                parts.append("\n")
        child = child.next


def read_sidecar(path: Path, warnings: list[str]) -> dict:
    """The `<stem>.meta.json` beside an article, validated; problems become warnings."""
    sidecar = path.with_name(path.stem + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return {}
    name = sidecar.name
    try:
        raw = json.loads(sidecar.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        warnings.append(f"sidecar {name} ignored: invalid JSON ({exc})")
        return {}
    if not isinstance(raw, dict):
        warnings.append(f"sidecar {name} ignored: expected a JSON object")
        return {}
    meta: dict = {}
    for key, value in raw.items():
        if key not in SIDECAR_KEYS:
            warnings.append(f"sidecar {name}: unknown key {key!r} ignored")
            continue
        if not isinstance(value, str) or not value.strip():
            warnings.append(f"sidecar {name}: {key!r} must be a non-empty string; ignored")
            continue
        value = value.strip()
        if key == "published":
            parsed = _parse_iso_date(value)
            if parsed is None:
                warnings.append(
                    f"sidecar {name}: 'published' must be YYYY-MM-DD, got {value!r}; ignored"
                )
                continue
            meta[key] = parsed
        elif key == "url" and not value.lower().startswith(("http://", "https://")):
            warnings.append(f"sidecar {name}: 'url' must start with http:// or https://; ignored")
        else:
            meta[key] = value
    return meta


def _parse_iso_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def first_line_title(text: str) -> str | None:
    """The first non-empty line, without markdown heading marks, as a title."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:200]
    return None


def find_dateline(text: str) -> dt.date | None:
    """A publication date from a dateline near the top: a line that is mostly one full date."""
    lines = [line for line in text[:3000].splitlines() if line.strip()][:15]
    for line in lines:
        for ref in find_dates(line, None):
            if ref.precision != "day" or ref.date is None:
                continue
            rest = (line[: ref.start] + line[ref.end :]).lower()
            rest = regex.sub(
                r"published|updated|posted|date[d:]?|on|\d+\s*min\w*\s*read|[\W\d_]", "", rest
            )
            if len(rest) <= 3:
                return ref.date
    return None

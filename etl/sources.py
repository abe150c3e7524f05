"""Read article files from a folder: decode, extract visible text, gather metadata.

Every file gets exactly one `FileOutcome`: loaded, loaded with warnings, or skipped with the
reason. Nothing here raises for bad input; the build goes on with the other files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import regex

from etl.dates import find_dates
from etl.model import Source

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
SIDECAR_SUFFIX = ".meta.json"
SIDECAR_KEYS = ("title", "url", "publisher", "published", "author", "fetched_at", "feed")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # a news article is kilobytes; 10 MB is clearly not one
SIDECAR_MAX_BYTES = 64_000  # four short strings; anything bigger is not a sidecar
NOT_REGULAR = "not a regular {what} (a folder, pipe, device or socket), not read"
LOADED, WARNED, SKIPPED = "loaded", "loaded with warnings", "skipped"


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file of the input folder."""

    path: str
    status: str  # LOADED | WARNED | SKIPPED
    reason: str = ""
    source_id: str | None = None

    @classmethod
    def loaded(cls, path: str, source_id: str, warnings: tuple[str, ...]) -> FileOutcome:
        """A file that became a source: loaded, or loaded with its warnings as the reason."""
        return cls(path, WARNED if warnings else LOADED, "; ".join(warnings), source_id)


class SkipFile(Exception):
    """A file that cannot become a source; the message is the reason users see."""


def list_article_files(folder: Path) -> tuple[list[Path], list[FileOutcome]]:
    """Article files below `folder` in a stable order, and outcomes for files we pass over.

    Hidden files and folders (a leading dot) are passed over silently, as editors and version
    control keep theirs there; everything else that is not read gets an outcome saying why.
    """
    folder = folder.resolve()
    files: list[Path] = []
    passed: list[FileOutcome] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        here = Path(dirpath)
        kept = []
        for name in sorted(dirnames):
            if name.startswith("."):
                continue
            if (here / name).is_symlink():  # os.walk lists it but does not go in: say so
                passed.append(
                    FileOutcome(
                        printable_path(here / name), SKIPPED, "symlinked folder, not followed"
                    )
                )
                continue
            kept.append(name)
        dirnames[:] = kept
        article_stems = {
            Path(n).stem for n in filenames if Path(n).suffix.lower() in ARTICLE_SUFFIXES
        }
        for name in sorted(filenames):
            path = here / name
            if name.startswith("."):
                continue
            bad_name = unsafe_name_reason(str(path.relative_to(folder)))
            if bad_name:
                passed.append(FileOutcome(printable_path(path), SKIPPED, bad_name))
                continue
            if name.endswith(SIDECAR_SUFFIX):
                if name[: -len(SIDECAR_SUFFIX)] not in article_stems:
                    passed.append(
                        FileOutcome(
                            str(path),
                            SKIPPED,
                            "sidecar without an article: no .txt, .md or .html file of that name",
                        )
                    )
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
            # Here, not only in read_source: whatever looks at the file next (a cache key, a
            # worker) must never open a named pipe, which would block the build forever.
            try:
                regular = stat.S_ISREG(path.stat().st_mode)
            except OSError as exc:
                passed.append(FileOutcome(str(path), SKIPPED, f"cannot read file: {exc.strerror}"))
                continue
            if not regular:
                passed.append(FileOutcome(str(path), SKIPPED, NOT_REGULAR.format(what="file")))
                continue
            files.append(path)
    return files, passed


def read_source(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Read one article file into a Source, or raise SkipFile with the reason."""
    bad_name = unsafe_name_reason(path.name)
    if bad_name:  # the name becomes the source id: in URLs, tables and terminal output
        raise SkipFile(bad_name)
    data = read_regular_file(path, max_bytes, "file")
    warnings: list[str] = []
    text, encoding = decode_bytes(data, warnings)
    fmt = "html" if path.suffix.lower() in (".html", ".htm") else path.suffix.lower().lstrip(".")
    html_meta: dict[str, str] = {}
    if fmt == "html":
        text, html_meta = html_main_text(text, warnings)
    if not text.strip():
        raise SkipFile("no text: the file is empty" if not data.strip() else "no visible text")
    meta = read_sidecar(path, warnings)
    published, published_from = None, None
    if meta.get("published"):
        published, published_from = meta["published"], "sidecar"
    elif html_meta.get("published"):
        published, published_from = _parse_iso_date(html_meta["published"][:10]), "html meta"
    if published is None:
        published, published_from = infer_published(text)
    return Source(
        source_id=path.stem,
        path=str(path),
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        format="markdown" if fmt in ("md", "markdown") else fmt,
        encoding=encoding,
        title=meta.get("title") or html_meta.get("title") or first_line_title(text),
        url=meta.get("url") or html_meta.get("url"),
        publisher=meta.get("publisher") or html_meta.get("publisher"),
        author=meta.get("author") or html_meta.get("author"),
        published=published,
        published_from=published_from,
        warnings=tuple(warnings),
    )


def read_regular_file(path: Path, max_bytes: int, what: str) -> bytes:
    """The bytes of a regular file of at most `max_bytes`, or SkipFile saying why not.

    Opened without blocking and checked with fstat, so a named pipe or a device never stalls
    the build, and never read past the limit, so a file that grows cannot exhaust memory.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise SkipFile(f"cannot read {what}: {exc.strerror}") from exc
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SkipFile(NOT_REGULAR.format(what=what))
        if info.st_size > max_bytes:
            raise SkipFile(
                f"{what} too large: {_size(info.st_size, 1)} (limit {_size(max_bytes, 0)})"
            )
        try:
            # Ask for the size fstat gave (read(n) reserves n bytes up front), and only if the
            # file grew since, for the rest up to one byte past the limit.
            data = f.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += f.read(max_bytes + 1 - len(data))
        except OSError as exc:
            raise SkipFile(f"cannot read {what}: {exc.strerror}") from exc
    if len(data) > max_bytes:
        raise SkipFile(f"{what} too large: it grew past the limit ({_size(max_bytes, 0)})")
    return data


def _size(n: int, digits: int) -> str:
    return f"{n / 1e6:.{digits}f} MB" if n >= 1e6 else f"{n / 1e3:.0f} KB"


# Characters that must not reach a source id or a printed path: C0/C1 controls (newlines and
# terminal escapes forge output lines), lone surrogates (bytes that are not UTF-8, which no
# database or terminal accepts) and bidi overrides (which disguise a name's real order).
_UNSAFE_NAME_RE = regex.compile(r"[\p{Cc}\p{Cs}\u202a-\u202e\u2066-\u2069]")


def unsafe_name_reason(name: str) -> str | None:
    """Why a file name cannot become a source id, or None if it can."""
    if not _UNSAFE_NAME_RE.search(name):
        return None
    if regex.search(r"\p{Cs}", name):
        return "file name is not valid UTF-8; rename the file"
    return "file name holds control or bidi characters; rename the file"


def printable_path(path: Path) -> str:
    """A path as text safe to store and print: undecodable bytes and control characters escaped."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return _UNSAFE_NAME_RE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def decode_bytes(data: bytes, warnings: list[str]) -> tuple[str, str]:
    """Decode article bytes to text, refusing anything that is binary rather than prose."""
    text, encoding = _decode(data, warnings)
    if "\x00" in text:
        raise SkipFile("binary file (contains NUL characters), not text")
    if _control_ratio(text) > 0.05:
        raise SkipFile("binary file (mostly control characters), not text")
    return text, encoding


def _decode(data: bytes, warnings: list[str]) -> tuple[str, str]:
    """BOMs first (UTF-32 before UTF-16: its BOM starts alike), then strict UTF-8, then a guess."""
    if not data.strip():
        raise SkipFile("empty file")
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        try:
            return data.decode("utf-32"), "utf-32"
        except UnicodeDecodeError as exc:
            raise SkipFile(f"undecodable UTF-32 text at byte {exc.start}") from exc
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
    if _control_ratio(text) > 0.05:  # before the warning: a binary file gets no "decoded as"
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


_CONTROL_RE = regex.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _control_ratio(text: str) -> float:
    """Share of control characters (other than line and tab breaks) in the whole text."""
    return len(_CONTROL_RE.findall(text)) / max(1, len(text))


BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table section article header footer blockquote pre "
    "figure figcaption dd dt dl hr main aside nav title".split()
)
INVISIBLE_TAGS = ["script", "style", "noscript", "template", "svg", "iframe", "object", "head"]
# The HTML parser checks the open elements at each of these start tags, so its time grows with
# the square of their nesting: 40,000 nested <div>s take seconds, a 10 MB file of them hours.
# Real pages nest a few dozen deep; past MAX_HTML_NESTING the file is refused before parsing.
_NESTING_RE = regex.compile(
    r"<(/?)(?:address|article|aside|blockquote|center|details|dialog|dir|div|dl|fieldset|"
    r"figcaption|figure|footer|form|header|hgroup|listing|main|menu|nav|ol|optgroup|pre|rp|rt|"
    r"search|section|summary|ul)(?=[\s/>])",
    regex.IGNORECASE,
)
MAX_HTML_NESTING = 1000


def _block_nesting(html: str) -> int:
    """The deepest nesting of block elements, counted from the tags (an upper bound)."""
    depth = deepest = 0
    for m in _NESTING_RE.finditer(html):
        depth = max(0, depth - 1) if m.group(1) else depth + 1
        deepest = max(deepest, depth)
    return deepest


def html_main_text(html: str, warnings: list[str]) -> tuple[str, dict[str, str]]:
    """The article's own text of a news page (trafilatura), and its title, date, author, site.

    A news page is mostly not the article: menus, trending links, related stories, cookie
    banners and footers carry numbers and names that would become false facts. Where
    trafilatura finds no main text, all the visible text is read instead, with a warning.
    Raises SkipFile for markup nested so deeply that parsing it would take minutes.
    """
    if _block_nesting(html) > MAX_HTML_NESTING:
        raise SkipFile(f"HTML nested too deeply (over {MAX_HTML_NESTING} block elements)")
    text, meta = "", {}
    try:
        text, meta = _trafilatura_main_text(html)
    except Exception as exc:  # noqa: BLE001 - a page it cannot parse falls back, as below
        warnings.append(
            f"main-text extraction failed ({type(exc).__name__}); read all visible text"
        )
        text = ""
    else:
        if not text.strip():
            warnings.append("no main article text found; read all visible text instead")
    if text.strip():
        return text, meta
    visible, visible_meta = html_to_text(html)
    return visible, {**visible_meta, **meta}


def _trafilatura_main_text(html: str) -> tuple[str, dict[str, str]]:
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,  # readers' comments are not the article
        include_tables=True,
        deduplicate=False,
        # Only dates the page states: no guessing from the URL or today's date.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None:
        return "", {}
    lines = (" ".join(line.split()) for line in (doc.text or "").splitlines())
    text = "\n".join(line for line in lines if line)
    meta = {}
    for key, value in (
        ("title", doc.title),
        ("published", doc.date),
        ("author", doc.author),
        ("publisher", doc.sitename),
        ("url", doc.url),
    ):
        value = " ".join(str(value or "").split())
        if value and not _UNSAFE_NAME_RE.search(value):
            meta[key] = value
    if "url" in meta and not regex.fullmatch(r"(?i)https?://[^\s/?#]+[^\s]*", meta["url"]):
        del meta["url"]
    return text, meta


def html_to_text(html: str) -> tuple[str, dict[str, str]]:
    """Visible text of an HTML page (block elements become lines) and its title/date metadata.

    Raises SkipFile for markup nested so deeply that parsing it would take minutes.
    """
    from selectolax.lexbor import LexborHTMLParser

    if _block_nesting(html) > MAX_HTML_NESTING:
        raise SkipFile(f"HTML nested too deeply (over {MAX_HTML_NESTING} block elements)")
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


def _walk(root, parts: list[str]) -> None:
    """Text nodes below `root` in document order, a line break around each block element.

    A loop with its own stack, not recursion: deeply nested inline tags parse quickly but
    would exceed Python's recursion limit.
    """
    stack: list[tuple[object, bool]] = []  # (sibling to visit next, whether to close a block)
    node = root.child
    while node is not None or stack:
        if node is None:
            node, block = stack.pop()
            if block:
                parts.append("\n")
            continue
        if node.is_text_node:
            parts.append(node.text_content or "")
            node = node.next
        elif node.is_element_node:
            block = node.tag in BLOCK_TAGS
            if block:
                parts.append("\n")
            stack.append((node.next, block))
            node = node.child
        else:
            node = node.next


def read_sidecar(path: Path, warnings: list[str]) -> dict:
    """The `<stem>.meta.json` beside an article, validated; problems become warnings."""
    sidecar = path.with_name(path.stem + SIDECAR_SUFFIX)
    if not (sidecar.exists() or sidecar.is_symlink()):
        return {}
    name = sidecar.name
    if sidecar.is_symlink() and not sidecar.resolve().is_relative_to(path.resolve().parent):
        warnings.append(f"sidecar {name} ignored: a symlink to outside the folder, not followed")
        return {}
    try:
        data = read_regular_file(sidecar, SIDECAR_MAX_BYTES, "sidecar")
    except SkipFile as exc:
        warnings.append(f"sidecar {name} ignored: {exc}")
        return {}
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        problem = "too deeply nested" if isinstance(exc, RecursionError) else exc
        warnings.append(f"sidecar {name} ignored: invalid JSON ({problem})")
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
        value = " ".join(value.split())  # one line: newlines and tabs become spaces
        if _UNSAFE_NAME_RE.search(value):
            warnings.append(
                f"sidecar {name}: {key!r} holds control, bidi or invalid characters; ignored"
            )
            continue
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
        elif key == "url" and not regex.fullmatch(r"(?i)https?://[^\s/?#]+[^\s]*", value):
            warnings.append(f"sidecar {name}: 'url' must be one web address, no spaces; ignored")
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


# A byline or a "Published"/"Updated" line: "By Amit Chowdhry • Mar 20, 2024".
BYLINE_RE = regex.compile(
    r"^\s*(?:by\s|written\s+by|published|updated|posted|last\s+updated)", regex.IGNORECASE
)
MAX_BYLINE = 120


def infer_published(text: str) -> tuple[dt.date | None, str | None]:
    """The article's reference date when no sidecar or HTML gives one, and where it came from.

    A dateline (a line that is mostly one full date) or a byline or "Published"/"Updated" line
    among the first lines; else the latest full date the text states ("inferred"), which is the
    best guess at when it was written: relative dates ("last week") then resolve against it.
    """
    found = find_dateline(text)
    if found:
        return found, "dateline"
    lines = [line for line in text[:3000].splitlines() if line.strip()][:15]
    for line in lines:
        if len(line) <= MAX_BYLINE and BYLINE_RE.match(line):
            days = [r.date for r in find_dates(line, None) if r.precision == "day" and r.date]
            if days:
                return days[0], "byline"
    days = [r.date for r in find_dates(text, None) if r.precision == "day" and r.date]
    if days:
        return max(days), "inferred"
    return None, None


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

"""Data that crosses module boundaries: a source article and a grounded fact."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = ("compute", "hire", "announcement")
PRECISIONS = ("day", "month", "quarter", "year")


@dataclass(frozen=True)
class Source:
    """One article: its decoded text and what we know about it."""

    source_id: str
    path: str
    text: str
    sha256: str
    format: str
    encoding: str
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: dt.date | None = None
    # "sidecar" | "html meta" | "dateline" | "byline" | "inferred" (latest full date) | None
    published_from: str | None = None
    warnings: tuple[str, ...] = ()
    minhash: bytes | None = None  # etl/claims.py's signature of its text, for finding copies

    @property
    def byte_count(self) -> int:
        return len(self.text.encode("utf-8"))


@dataclass
class Fact:
    """A grounded fact: `quote == source text[start:end]` always holds."""

    source: str
    kind: str
    quote: str
    start: int
    end: int
    org: str | None = None
    date: dt.date | None = None
    date_precision: str | None = None
    date_phrase: str | None = None
    extractor_version: str = ""
    # How likely the fact is right, from its evidence (see etl/extract/confidence.py).
    confidence: float = 0.0
    # compute
    chip: str | None = None
    quantity: int | None = None
    unit: str | None = None
    status: str | None = None
    # hire
    person: str | None = None
    from_org: str | None = None
    to_org: str | None = None
    role: str | None = None
    # announcement
    subject: str | None = None
    category: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def fact_id(self) -> str:
        """Stable id: the same fact from the same text gets the same id in every build."""
        key = "|".join(
            str(x)
            for x in (
                self.source,
                self.kind,
                self.start,
                self.end,
                self.quantity,
                self.unit,
                self.person,
                self.subject,
                self.to_org,  # one person may move twice in a sentence ("left A for B, then C")
            )
        )
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]

    def to_record(self) -> dict[str, Any]:
        """Flat row for the database (all columns, dates as date objects)."""
        row = asdict(self)
        row.pop("extra")
        row["fact_id"] = self.fact_id
        return row

    def to_public(self) -> dict[str, Any]:
        """The stable `extract` JSON shape: shared fields plus the fields of the fact's kind."""
        out: dict[str, Any] = {
            "source": self.source,
            "kind": self.kind,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "org": self.org,
            "date": self.date.isoformat() if self.date else None,
            "date_precision": self.date_precision,
            "date_phrase": self.date_phrase,
        }
        for name in KIND_FIELDS[self.kind]:
            out[name] = getattr(self, name)
        out["confidence"] = self.confidence
        out["extractor_version"] = self.extractor_version
        return out


KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "compute": ("chip", "quantity", "unit", "status"),
    "hire": ("person", "from_org", "to_org", "role"),
    "announcement": ("subject", "category"),
}

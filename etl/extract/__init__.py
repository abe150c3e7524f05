"""Rule-based extraction: one pure function per kind, text + context -> facts."""

from __future__ import annotations

import datetime as dt

from etl import EXTRACTOR_VERSION
from etl.extract import announcements, compute, confidence, hiring
from etl.extract.context import Context
from etl.model import Fact, Source

EXTRACTORS = (compute.extract, hiring.extract, announcements.extract)


def extract_text(source: str, text: str, published: dt.date | None = None) -> list[Fact]:
    """All facts of one article, deduplicated, in text order; every span is checked."""
    ctx = Context(source=source, text=text, published=published)
    facts: list[Fact] = []
    for rule in EXTRACTORS:
        facts.extend(dedupe(rule(ctx)))
    for f in facts:
        f.extractor_version = EXTRACTOR_VERSION
        f.confidence = confidence.score(f, ctx.org_names_between(f.start, f.end))
        if text[f.start : f.end] != f.quote:
            raise AssertionError(f"span of a {f.kind} fact does not match its quote in {source}")
    facts.sort(key=lambda f: (f.start, f.kind))
    return facts


def extract_source(source: Source) -> list[Fact]:
    return extract_text(source.source_id, source.text, source.published)


def _key(f: Fact) -> tuple:
    if f.kind == "compute":
        return (f.kind, f.quantity, f.unit, f.chip)
    if f.kind == "hire":
        return (f.kind, f.person.lower(), f.to_org)  # a person may move twice
    subject = " ".join((f.subject or "").lower().split())
    # A one-word common noun ("supercomputer") may name different things in one article.
    if " " not in subject and subject.islower():
        return (f.kind, subject, f.start)
    return (f.kind, subject)


def dedupe(facts: list[Fact]) -> list[Fact]:
    """One fact per key (a compute quantity, a person, an announced subject) per article.

    An article often repeats a fact in its headline, lede and body; the most complete mention
    wins (dated beats undated, then the earliest).
    """
    best: dict[tuple, Fact] = {}
    for f in facts:
        k = _key(f)
        if k not in best or _completeness(f) > _completeness(best[k]):
            best[k] = f
    # "Mistral builds a 13800 GPU data center" restates the body's "13,800 Nvidia GB300 GPUs":
    # a count without a chip, where the article gives the same count with one, is that count.
    with_chip = {
        (f.org, f.quantity, f.unit) for f in best.values() if f.kind == "compute" and f.chip
    }
    best = {
        k: f
        for k, f in best.items()
        if not (f.kind == "compute" and not f.chip and (f.org, f.quantity, f.unit) in with_chip)
    }
    # A headline's "600,000 AI GPUs" loosely restates the body's "600,000 H100 equivalents":
    # one count, kept in the unit the article states precisely.
    equivalents = {(f.org, f.quantity) for f in best.values() if f.unit == "H100-equivalents"}
    return [
        f
        for f in best.values()
        if not (f.kind == "compute" and f.unit == "GPUs" and (f.org, f.quantity) in equivalents)
    ]


PRECISION_RANK = {"year": 1, "quarter": 2, "month": 3, "day": 4}


def _completeness(f: Fact) -> tuple[int, int]:
    """How much a mention says; between equals, the more precise date ("by end of June 2026"
    over "by 2026")."""
    fields = (
        f.date,
        f.org,
        f.role,
        f.from_org,
        f.chip,
        f.status != "unspecified" if f.status else None,
    )
    return sum(1 for x in fields if x), PRECISION_RANK.get(f.date_precision or "", 0)

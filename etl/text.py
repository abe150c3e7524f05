"""Sentence spans: the unit a fact is quoted in."""

from __future__ import annotations

from dataclasses import dataclass

import regex

# Words that end in a period without ending a sentence.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st inc corp co ltd llc vs etc no approx est dept gov sen rep
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    u.s u.k e.g i.e a.m p.m ph.d
    """.split()
)

# A sentence ends at . ! ? (and any closing quotes or brackets) followed by space and a capital,
# a digit or an opening quote.
BOUNDARY_RE = regex.compile(r"""[.!?…]+["'”’)\]]*(?=\s+["“‘'(\[]?[\p{Lu}\d])""")
WORD_BEFORE_RE = regex.compile(r"([\w.]+)[.]$")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """Split text into sentences with exact offsets; every line break also ends a sentence."""
    out: list[Sentence] = []
    for line in regex.finditer(r"[^\n\r]+", text):
        cursor = line.start()
        for m in BOUNDARY_RE.finditer(text, line.start(), line.end()):
            if _is_abbreviation(text, cursor, m.start() + 1) and m.group().startswith("."):
                continue
            _append(text, cursor, m.end(), out)
            cursor = m.end()
        _append(text, cursor, line.end(), out)
    return out


def _is_abbreviation(text: str, start: int, period_end: int) -> bool:
    m = WORD_BEFORE_RE.search(text, start, period_end)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    # A single capital letter before the period is an initial ("J. Smith").
    return word in ABBREVIATIONS or (len(word) == 1 and text[m.start(1)].isupper())


def _append(text: str, start: int, end: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end]))

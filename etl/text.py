"""Sentence spans (the unit a fact is quoted in), and helpers that make rule patterns fast."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
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
LINE_RE = regex.compile(r"[^\n\r]+")
# The word before a period. Searched right to left ((?r)): the same match as a forward search,
# without trying and failing at every earlier position of the sentence.
WORD_BEFORE_RE = regex.compile(r"(?r)([\w.]+)[.]$")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


MAX_SENTENCE_CHARS = 1_500  # news sentences run to a few hundred characters


def sentences(text: str) -> list[Sentence]:
    """Split text into sentences with exact offsets; every line break also ends a sentence."""
    out: list[Sentence] = []
    for line in LINE_RE.finditer(text):
        cursor = line.start()
        for m in BOUNDARY_RE.finditer(text, line.start(), line.end()):
            if text[m.start()] == "." and _is_abbreviation(text, cursor, m.start() + 1):
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
    # str.strip() removes exactly the characters str.isspace() accepts.
    chunk = text[start:end]
    body = chunk.lstrip()
    start += len(chunk) - len(body)
    body = body.rstrip()
    # Run-on text (a page without full stops) is cut at spaces: rules look across a sentence,
    # so an unbounded one would make their cost grow with the square of its length.
    while len(body) > MAX_SENTENCE_CHARS:
        cut = body.rfind(" ", 0, MAX_SENTENCE_CHARS)
        cut = cut if cut > 0 else MAX_SENTENCE_CHARS
        piece = body[:cut].rstrip()
        out.append(Sentence(start, start + len(piece), piece))
        rest = body[cut:].lstrip()
        start += len(body) - len(rest)
        body = rest
    if body:
        out.append(Sentence(start, start + len(body), body))


def _top_level(pattern: str) -> Iterator[tuple[int, str]]:
    """(index, character) of each character of `pattern` outside groups, classes and escapes,
    and of the parentheses of its top-level groups."""
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            # A "]" right after "[" or "[^" is a member, not the end of the class.
            i += 2 if pattern[i + 1 : i + 3] == "^]" else 1 if pattern[i + 1 : i + 2] == "]" else 0
        elif c == "(":
            if depth == 0:
                yield i, c
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                yield i, c
        elif depth == 0:
            yield i, c
        i += 1


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression (its `|` outside groups and classes)."""
    out, start = [], 0
    for i, c in _top_level(pattern):
        if c == "|":
            out.append(pattern[start:i])
            start = i + 1
    out.append(pattern[start:])
    return out


def leading_words(pattern: str, word: str = "[a-z]*") -> set[str] | None:
    """Literal words (runs of `word`) that every match of `pattern` starts with, or None if a
    match may start otherwise.

    Reads alternatives that start with such a word, or with a non-capturing group of such
    alternatives (optional or not): enough for tables of verbs or chip names. Anything else
    gives None.
    """
    words: set[str] = set()
    for alt in alternatives(pattern):
        alt = alt.strip()  # layout of verbose patterns
        letters = re.match(word, alt).group()
        if letters:
            if alt[len(letters) : len(letters) + 1] in ("?", "*", "{"):
                letters = letters[:-1]  # the last letter is optional
            if not letters:
                return None
            words.add(letters)
            continue
        if not alt.startswith("(?:"):
            return None
        close = next(i for i, c in _top_level(alt) if c == ")")
        inner = leading_words(alt[3:close], word)
        quantifier = alt[close + 1 : close + 2]
        rest = leading_words(alt[close + 2 :], word) if quantifier in ("?", "*") else set()
        if inner is None or rest is None or quantifier == "{":
            return None
        words |= inner | rest
    return words


def by_first_character(patterns: Iterable[str]) -> str:
    """One alternation matching what any of `patterns` matches, grouped by first character.

    Stdlib `re` tries alternatives one after another; grouped, it rules most of them out with a
    single comparison, which makes scanning a long alternation several times faster.
    """
    groups: dict[str, list[str]] = {}
    others: list[str] = []
    for alt in (a for p in patterns for a in alternatives(p)):
        if alt[:1].isalnum() and alt[1:2] not in ("?", "*", "+", "{"):
            groups.setdefault(alt[0], []).append(alt[1:])
        else:
            others.append(alt)
    return "|".join([f"{c}(?:{'|'.join(rest)})" for c, rest in groups.items()] + others)


def fold_for_scan(text: str) -> str | None:
    """`text` case-folded for candidate scans, or None when folding would move offsets."""
    folded = text.casefold()
    return folded if len(folded) == len(text) else None


class PrefilteredPattern:
    r"""An exact `regex` pattern run only where a cheaper stdlib `re` pattern finds a candidate.

    Large case-insensitive alternations are slow to try at every position with `regex`; the
    `candidates` pattern, scanned over the case-folded text, is much faster. It must match at
    every position where `exact` matches (a superset); then every result is the exact pattern's
    own match and the output is the same as `exact.finditer`. Candidates are built from the same
    tables as the exact pattern, with lower-case words (IGNORECASE matches of ASCII letters are
    those letters once folded) and, for a left word boundary, `(?<![a-z0-9_...])` (a character
    that folds to one of those is a word character, so this is never stricter than `(?<!\w)`).
    tests/test_extract_speed_equivalence.py checks each pair.
    """

    def __init__(self, exact: regex.Pattern, candidates: re.Pattern) -> None:
        self.exact = exact
        self.candidates = candidates

    def finditer(
        self, text: str, folded: str | None, start: int, end: int
    ) -> Iterator[regex.Match]:
        """Like `exact.finditer(text, start, end)`.

        `folded` is the text the candidates are scanned in: `fold_for_scan(text)`, or `text` itself
        for case-sensitive patterns; None scans with the exact pattern alone.
        """
        if folded is None:
            yield from self.exact.finditer(text, start, end)
            return
        pos = start
        while True:
            candidate = self.candidates.search(folded, pos, end)
            if candidate is None:
                return
            m = self.exact.match(text, candidate.start(), end)
            if m is None:
                pos = candidate.start() + 1
                continue
            yield m
            # The exact patterns used here never match the empty string.
            pos = m.end()

    def search(self, text: str, folded: str | None, start: int, end: int) -> regex.Match | None:
        """Like `exact.search(text, start, end)`: the first match of `finditer`."""
        return next(self.finditer(text, folded, start, end), None)

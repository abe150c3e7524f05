"""What every rule sees about one article: its text, sentences, dates and main organisation."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

import regex

from etl.dates import DateRef, find_dates
from etl.entities import (
    NON_NAME_WORDS,
    Mention,
    MentionIndex,
    canonical_org,
    chip_table,
    dominant_org,
    find_chips,
    find_orgs,
    find_people,
)
from etl.model import Fact
from etl.text import Sentence, fold_for_scan, sentences


@dataclass
class Context:
    source: str
    text: str
    published: dt.date | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    @cached_property
    def sentences(self) -> list[Sentence]:
        return sentences(self.text)

    @cached_property
    def folded(self) -> str | None:
        """The case-folded text that candidate scans run over (see `PrefilteredPattern`)."""
        return fold_for_scan(self.text)

    @cached_property
    def org_index(self) -> MentionIndex:
        """Every organisation mention of the text, found in one scan."""
        return MentionIndex(find_orgs(self.text))

    def org_names_between(self, start: int, end: int) -> set[str]:
        """Canonical names of the organisations mentioned in `text[start:end]` (a quote)."""
        found = self.org_index.within(start, end)
        return {m.name for m in (found if found is not None else find_orgs(self.text, start, end))}

    @cached_property
    def main_org(self) -> str | None:
        """The organisation the article is mostly about; 'the company' and 'we' point here.

        Known organisations count, and so do names the lexicon lacks that are shaped like a
        company's ("Vela Labs", "Northwind AI"): a startup's own article is about it.
        """
        known = dominant_org(self.text, self.org_index.mentions)
        spans = [(m.start, m.end) for m in self.org_index.mentions]
        unknown = Counter(
            m.group()
            for m in COMPANY_NAME_RE.finditer(self.text)
            if not any(s < m.end() and m.start() < e for s, e in spans)
        )
        if unknown:
            name, count = unknown.most_common(1)[0]
            known_count = sum(1 for m in self.org_index.mentions if m.name == known)
            if count > known_count or (
                count == known_count and self.text.find(name) < self.text.find(known or name)
            ):
                return name
        return known

    def dates(self, s: Sentence) -> list[DateRef]:
        key = ("dates", s.start)
        if key not in self._cache:
            found = find_dates(self.text, self.published, s.start, s.end)
            if self.published is None and any(r.date is None for r in found):
                # No publication date: "(from mid-July 2025) ... by the end of this year" reads
                # the relative phrases against the sentence's own month or day.
                anchor = next((r.date for r in found if r.precision in ("day", "month")), None)
                if anchor is not None:
                    found = find_dates(self.text, anchor, s.start, s.end)
            self._cache[key] = found
        return self._cache[key]

    def orgs(self, s: Sentence) -> list[Mention]:
        key = ("orgs", s.start)
        if key not in self._cache:
            found = self.org_index.within(s.start, s.end)
            self._cache[key] = found if found is not None else find_orgs(self.text, s.start, s.end)
        return self._cache[key]

    def full_people(self, s: Sentence) -> list[Mention]:
        """Names of two or more words in sentence `s`."""
        key = ("people", s.start)
        if key not in self._cache:
            self._cache[key] = find_people(self.text, s.start, s.end, self.org_index)
        return self._cache[key]

    @cached_property
    def surnames(self) -> dict[str, tuple[str, int]]:
        """Surname -> (full name, where it is first named) for names used once in full.

        News names a person in full once, then by surname ("Zhao joined Meta in June"); a
        surname two people share stays unresolved.
        """
        first: dict[str, tuple[str, int]] = {}
        shared: set[str] = set()
        for s in self.sentences:
            if not SURNAME_CUE_RE.search(s.text):
                continue
            for p in self.full_people(s):
                last = _surname_of(p.name)
                if last is None or canonical_org(last) is not None or last in NON_NAME_WORDS:
                    continue
                if last in first and not _same_person(first[last][0], p.name):
                    shared.add(last)
                if last in first and len(p.name) < len(first[last][0]):
                    # "AI Expert Ian Goodfellow" in a headline, "Ian Goodfellow" after: the
                    # shorter is the name, the longer a title run into it.
                    first[last] = (p.name, first[last][1])
                first.setdefault(last, (p.name, p.start))
        return {k: v for k, v in first.items() if k not in shared}

    def people(self, s: Sentence) -> list[Mention]:
        """People of sentence `s`: full names, and surnames of people named in full earlier."""
        key = ("people+", s.start)
        if key in self._cache:
            return self._cache[key]
        full = self.full_people(s)
        found = list(full)
        if self.surnames:
            for m in SURNAME_TOKEN_RE.finditer(self.text, s.start, s.end):
                entry = self.surnames.get(m.group(1))
                if entry is None or entry[1] >= m.start():
                    continue
                if any(p.start <= m.start() < p.end for p in full):
                    continue
                found.append(Mention(m.start(), m.start() + len(m.group(1)), entry[0], m.group(1)))
            found.sort(key=lambda p: p.start)
        self._cache[key] = found
        return found

    def chip_at(self, s: Sentence, pos: int) -> Mention | None:
        """The accelerator mention of sentence `s` that starts at `pos`, if there is one."""
        # Only where the chip pattern matches can a mention start: test that before scanning.
        if not chip_table().pattern.match(self.text, pos, s.end):
            return None
        key = ("chips", s.start)
        if key not in self._cache:
            self._cache[key] = find_chips(self.text, s.start, s.end, self.folded)
        return next((c for c in self._cache[key] if c.start == pos), None)

    def fact(
        self, s: Sentence, kind: str, date: DateRef | None, rule: str | None = None, **fields
    ) -> Fact:
        """A fact quoting sentence `s`, dated by `date` (the phrase is kept even if unresolved).

        `rule` names the rule that found it, the evidence confidence is scored from.
        """
        fact = Fact(
            source=self.source,
            kind=kind,
            quote=s.text,
            start=s.start,
            end=s.end,
            date=date.date if date else None,
            date_precision=date.precision if date else None,
            date_phrase=date.phrase if date else None,
            **fields,
        )
        if rule is not None:
            fact.extra["rule"] = rule
        return fact

    def nearest_date(
        self, s: Sentence, pos: int, reach: int | None = None, among: list[DateRef] | None = None
    ) -> DateRef | None:
        """The date phrase of a sentence that belongs to the word at `pos`: the nearest one
        (of `among`, if given), if it is within `reach` characters."""
        refs = self.dates(s) if among is None else among
        if not refs:
            return None
        best = min(refs, key=lambda r: _distance(r, pos))
        if reach is not None and _distance(best, pos) > reach:
            return None
        return best


# A name shaped like a company's that the lexicon may not know.
COMPANY_NAME_RE = regex.compile(
    r"(?<![\w\-])\p{Lu}[\w\-]+(?:\s+\p{Lu}[\w\-]+)?\s+(?:Labs?|AI|Inc\.?|Technologies|Robotics|Systems)(?![\w\-])"
)
# A sentence that may name someone in full: two capitalised words in a row.
SURNAME_CUE_RE = regex.compile(r"\p{Lu}\S*\s+\p{Lu}")
SURNAME_TOKEN_RE = regex.compile(r"(?<![\w\-])(\p{Lu}[\p{Ll}\p{Lu}\-'’]+?)(?:['’]s)?(?![\w\-])")


def _same_person(a: str, b: str) -> bool:
    """One name ends the other at a word boundary ("Expert Ian Goodfellow", "Ian Goodfellow")."""
    short, long = sorted((a, b), key=len)
    return long == short or long.endswith(" " + short)


def _surname_of(name: str) -> str | None:
    words = name.split()
    last = words[-1] if len(words) >= 2 else None
    return last if last and len(last) > 1 and not last.endswith(".") else None


def _distance(r: DateRef, pos: int) -> int:
    return 0 if r.start <= pos < r.end else min(abs(r.start - pos), abs(r.end - pos))

"""What every rule sees about one article: its text, sentences, dates and main organisation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from etl.dates import DateRef, find_dates
from etl.entities import (
    Mention,
    MentionIndex,
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

    @cached_property
    def main_org(self) -> str | None:
        """The organisation the article is mostly about; 'the company' and 'we' point here."""
        return dominant_org(self.text, self.org_index.mentions)

    def dates(self, s: Sentence) -> list[DateRef]:
        key = ("dates", s.start)
        if key not in self._cache:
            self._cache[key] = find_dates(self.text, self.published, s.start, s.end)
        return self._cache[key]

    def orgs(self, s: Sentence) -> list[Mention]:
        key = ("orgs", s.start)
        if key not in self._cache:
            found = self.org_index.within(s.start, s.end)
            self._cache[key] = found if found is not None else find_orgs(self.text, s.start, s.end)
        return self._cache[key]

    def people(self, s: Sentence) -> list[Mention]:
        key = ("people", s.start)
        if key not in self._cache:
            self._cache[key] = find_people(self.text, s.start, s.end, self.org_index)
        return self._cache[key]

    def chip_at(self, s: Sentence, pos: int) -> Mention | None:
        """The accelerator mention of sentence `s` that starts at `pos`, if there is one."""
        # Only where the chip pattern matches can a mention start: test that before scanning.
        if not chip_table().pattern.match(self.text, pos, s.end):
            return None
        key = ("chips", s.start)
        if key not in self._cache:
            self._cache[key] = find_chips(self.text, s.start, s.end, self.folded)
        return next((c for c in self._cache[key] if c.start == pos), None)

    def fact(self, s: Sentence, kind: str, date: DateRef | None, **fields) -> Fact:
        """A fact quoting sentence `s`, dated by `date` (the phrase is kept even if unresolved)."""
        return Fact(
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

    def nearest_date(self, s: Sentence, pos: int, reach: int | None = None) -> DateRef | None:
        """The date phrase of a sentence that belongs to the word at `pos`: the nearest one,
        if it is within `reach` characters."""
        refs = self.dates(s)
        if not refs:
            return None
        best = min(refs, key=lambda r: _distance(r, pos))
        if reach is not None and _distance(best, pos) > reach:
            return None
        return best


def _distance(r: DateRef, pos: int) -> int:
    return 0 if r.start <= pos < r.end else min(abs(r.start - pos), abs(r.end - pos))

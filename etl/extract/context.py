"""What every rule sees about one article: its text, sentences, dates and main organisation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from etl.dates import DateRef, find_dates
from etl.entities import Mention, dominant_org, find_orgs, find_people
from etl.model import Fact
from etl.text import Sentence, sentences


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
    def main_org(self) -> str | None:
        """The organisation the article is mostly about; 'the company' and 'we' point here."""
        return dominant_org(self.text)

    def dates(self, s: Sentence) -> list[DateRef]:
        key = ("dates", s.start)
        if key not in self._cache:
            self._cache[key] = find_dates(self.text, self.published, s.start, s.end)
        return self._cache[key]

    def orgs(self, s: Sentence) -> list[Mention]:
        key = ("orgs", s.start)
        if key not in self._cache:
            self._cache[key] = find_orgs(self.text, s.start, s.end)
        return self._cache[key]

    def people(self, s: Sentence) -> list[Mention]:
        key = ("people", s.start)
        if key not in self._cache:
            self._cache[key] = find_people(self.text, s.start, s.end)
        return self._cache[key]

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

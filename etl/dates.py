"""Date phrases in news text, resolved against the article's publication date.

Every phrase names a period (a day, a month, a quarter or a year). The fact's date is the first
day of that period, except for deadlines ("by the end of 2024", "by 2026", "by year-end"), which
are its last day. Relative phrases ("next year", "later this month", "yesterday") need the
publication date; without it they resolve to None and the phrase is kept.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import regex

from etl.text import by_first_character

MONTHS = {
    name.lower(): i
    for i in range(1, 13)
    for name in (calendar.month_name[i], calendar.month_abbr[i])
}
MONTHS["sept"] = 9
WEEKDAYS = {calendar.day_name[i].lower(): i for i in range(7)}
ORDINALS = {
    "first": 1, "1st": 1, "initial": 1, "opening": 1,
    "second": 2, "2nd": 2,
    "third": 3, "3rd": 3,
    "fourth": 4, "4th": 4, "final": 4, "last": 4,
}  # fmt: skip
SEASONS = {"spring": 2, "summer": 3, "fall": 4, "autumn": 4, "winter": 1}  # -> quarter

# Month names are matched case-sensitively so the verb "may" and "march" are not dates.
MONTH_NAMES = r"January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
MONTH = rf"(?-i:(?:{MONTH_NAMES})\.?)"
WEEKDAY_NAMES = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
WEEKDAY = rf"(?-i:{WEEKDAY_NAMES})"
YEAR = r"(?:19|20)\d\d"
REL = r"(?:this|next|last|the\s+current|the\s+coming|the\s+following|the\s+same)"

# A lead-in that turns a period into a deadline (its last day) or picks part of it.
LEAD = (
    r"(?P<lead>(?:(?:by|before|until|till|through|at|toward|towards|around)\s+)?(?:the\s+)?"
    r"(?:end|close)\s+of\s+(?:the\s+)?|by\s+(?:the\s+)?|(?:the\s+)?(?:start|beginning)\s+of\s+(?:the\s+)?"
    r"|early\s+|late\s+|mid-?\s*)?"
)


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date
    precision: str


@dataclass(frozen=True)
class DateRef:
    """A date phrase found in text, and what it resolves to."""

    start: int
    end: int
    phrase: str
    date: dt.date | None
    precision: str | None


def _year_period(y: int) -> Period:
    return Period(dt.date(y, 1, 1), dt.date(y, 12, 31), "year")


def _month_period(y: int, m: int) -> Period:
    return Period(dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1]), "month")


def _quarter_period(y: int, q: int) -> Period:
    first = dt.date(y, 3 * q - 2, 1)
    return Period(first, _month_period(y, 3 * q).last, "quarter")


def _half_period(y: int, h: int) -> Period:
    # Halves are not a stored precision; they are kept as their year with the half's start.
    first = dt.date(y, 1 if h == 1 else 7, 1)
    last = dt.date(y, 6, 30) if h == 1 else dt.date(y, 12, 31)
    return Period(first, last, "year")


def _day_period(d: dt.date) -> Period:
    return Period(d, d, "day")


def _rel_year(word: str, pub: dt.date | None) -> int | None:
    if pub is None:
        return None
    word = " ".join(word.lower().split())
    if word in ("next", "the coming", "the following"):
        return pub.year + 1
    if word == "last":
        return pub.year - 1
    return pub.year


def _year_of(m: regex.Match, pub: dt.date | None) -> int | None:
    groups = m.groupdict()
    if groups.get("y"):
        return int(groups["y"])
    if groups.get("y2"):  # Q1'24
        return 2000 + int(groups["y2"])
    if m.groupdict().get("rel"):
        return _rel_year(m.group("rel"), pub)
    return pub.year if pub else None


def _month_num(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


# Handlers: match + publication date -> Period, or None when it cannot be resolved.
Handler = Callable[[regex.Match, dt.date | None], Period | None]


def _full_date(m: regex.Match, pub: dt.date | None) -> Period | None:
    y = int(m.group("y")) if m.group("y") else (pub.year if pub else None)
    if y is None:
        return None
    try:
        return _day_period(dt.date(y, _month_num(m.group("mon")), int(m.group("d"))))
    except ValueError:
        return None


def _iso_date(m: regex.Match, pub: dt.date | None) -> Period | None:
    try:
        return _day_period(dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d"))))
    except ValueError:
        return None


def _month_year(m: regex.Match, pub: dt.date | None) -> Period | None:
    y = _year_of(m, pub)
    return None if y is None else _month_period(y, _month_num(m.group("mon")))


def _month_alone(m: regex.Match, pub: dt.date | None) -> Period | None:
    if pub is None:
        return None
    month = _month_num(m.group("mon"))
    which = (m.group("which") or "").lower()
    y = pub.year
    if which == "last" and month >= pub.month:
        y -= 1
    elif which == "next" and month <= pub.month:
        y += 1
    return _month_period(y, month)


def _quarter(m: regex.Match, pub: dt.date | None) -> Period | None:
    y = _year_of(m, pub)
    q = m.group("q")
    q = int(q) if q.isdigit() else ORDINALS[q.lower()]
    return None if y is None else _quarter_period(y, q)


def _rel_quarter(m: regex.Match, pub: dt.date | None) -> Period | None:
    if pub is None:
        return None
    idx = pub.year * 4 + (pub.month - 1) // 3
    idx += {"next": 1, "last": -1, "previous": -1}.get(m.group("rel").lower(), 0)
    return _quarter_period(idx // 4, idx % 4 + 1)


def _half(m: regex.Match, pub: dt.date | None) -> Period | None:
    y = _year_of(m, pub)
    h = m.group("h")
    h = 1 if h.lower() in ("1", "first") else 2
    return None if y is None else _half_period(y, h)


def _year(m: regex.Match, pub: dt.date | None) -> Period | None:
    return _year_period(int(m.group("y")))


def _rel_year_phrase(m: regex.Match, pub: dt.date | None) -> Period | None:
    y = _rel_year(m.group("rel"), pub)
    return None if y is None else _year_period(y)


def _year_end(m: regex.Match, pub: dt.date | None) -> Period | None:
    if pub is None:
        return None
    p = _year_period(pub.year)
    return Period(p.last, p.last, "year")


def _rel_month(m: regex.Match, pub: dt.date | None) -> Period | None:
    if pub is None:
        return None
    idx = pub.year * 12 + pub.month - 1
    idx += {"next": 1, "last": -1, "previous": -1}.get(m.group("rel").lower(), 0)
    return _month_period(idx // 12, idx % 12 + 1)


def _rel_week(m: regex.Match, pub: dt.date | None) -> Period | None:
    # Weeks are kept at month precision: the month holding that week's Monday.
    if pub is None:
        return None
    shift = {"next": 7, "last": -7, "previous": -7}.get(m.group("rel").lower(), 0)
    monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(days=shift)
    return _month_period(monday.year, monday.month)


def _rel_day(m: regex.Match, pub: dt.date | None) -> Period | None:
    if pub is None:
        return None
    shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[m.group("word").lower()]
    return _day_period(pub + dt.timedelta(days=shift))


def _weekday(m: regex.Match, pub: dt.date | None) -> Period | None:
    if pub is None:
        return None
    target = WEEKDAYS[m.group("wd").lower()]
    which = (m.group("which") or "").lower()
    if which == "next":
        delta = (target - pub.weekday()) % 7 or 7
        return _day_period(pub + dt.timedelta(days=delta))
    # News convention: a bare weekday is the most recent one on or before publication.
    delta = (pub.weekday() - target) % 7
    if which == "last" and delta == 0:
        delta = 7
    return _day_period(pub - dt.timedelta(days=delta))


def _season(m: regex.Match, pub: dt.date | None) -> Period | None:
    season = m.group("season") or m.group("season2")
    if m.group("y"):
        y = int(m.group("y"))
    else:
        y = _rel_year(m.group("rel"), pub)
    return None if y is None else _quarter_period(y, SEASONS[season.lower()])


# Left word boundary. Every rule starts with a word character, so the \b is redundant; it is
# there because `regex` rejects most positions with it faster than with the lookbehind alone.
B = r"\b(?<![\w])"
E = r"(?![\w])"
QUARTER_WORD = r"(?P<q>first|second|third|fourth|1st|2nd|3rd|4th|initial|opening|final|last)"
YEAR_TAIL = rf"(?:\s*,?\s+(?:of\s+)?(?:(?P<y>{YEAR})|(?P<rel>{REL})\s+year))?"

# Cheap tests a text must pass before a rule can match in it: something every match of the rule
# contains. Month and weekday names, "Q1" and "H1" match case-sensitively, so they are tested in
# the text as written; the words match in any case, so they are tested in the case-folded text.
# In a match, a month name is never followed by a lower-case letter, a word or a year never by a
# word character, a year is 19 or 20 and two digits (any non-ASCII character may be a digit), and
# "Q1" or "H1" is followed by no other digit than the 1 or 2 that starts a year.
CUES_AS_WRITTEN: dict[str, re.Pattern] = {
    "month": re.compile(rf"(?:{by_first_character([MONTH_NAMES])})(?![a-z])"),
    "weekday": re.compile(WEEKDAY_NAMES),
    "year": re.compile(r"(?:19|20)[0-9\x80-\U0010ffff]{2}(?![A-Za-z0-9_])"),
    "Q": re.compile(r"Q[1-4](?![03-9])"),
    "H": re.compile(r"H[12](?![03-9])"),
}
CUES_FOLDED: dict[str, tuple[str, ...]] = {
    "quarter": ("quarter",),
    "half": ("half",),
    "year word": ("year",),
    "month word": ("month",),
    "week": ("week",),
    "day word": ("yesterday", "today", "tomorrow"),
    "season": ("spring", "summer", "fall", "autumn", "winter"),
}
_CUE_OF_WORD = {w: name for name, words in CUES_FOLDED.items() for w in words}
_CUE_WORD_RE = re.compile(rf"(?:{by_first_character(_CUE_OF_WORD)})(?![a-z0-9_])")

# (pattern, handler, cues) — tried in order; a later match may not overlap an earlier one. A rule
# runs only on text that has all of its cues.
RULES: list[tuple[str, Handler, tuple[str, ...]]] = [
    (
        rf"{B}(?:{WEEKDAY},?\s+)?(?P<mon>{MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>{YEAR}){E}",
        _full_date,
        ("month", "year"),
    ),
    (
        rf"{B}(?:{WEEKDAY},?\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{MONTH}),?\s+(?P<y>{YEAR}){E}",
        _full_date,
        ("month", "year"),
    ),
    (rf"{B}(?P<y>{YEAR})-(?P<m>\d\d)-(?P<d>\d\d){E}", _iso_date, ("year",)),
    (
        rf"{B}{LEAD}(?:the\s+)?{QUARTER_WORD}\s+(?:fiscal\s+)?quarter{YEAR_TAIL}{E}",
        _quarter,
        ("quarter",),
    ),
    (
        rf"{B}{LEAD}(?-i:Q(?P<q>[1-4]))(?:\s*(?:of\s+)?(?:(?P<y>{YEAR})|'(?P<y2>\d\d))|\s+(?:of\s+)?(?P<rel>{REL})\s+year)?{E}",
        _quarter,
        ("Q",),
    ),
    (
        rf"{B}{LEAD}(?P<rel>this|next|last|previous|the\s+current|the\s+coming)\s+quarter{E}",
        _rel_quarter,
        ("quarter",),
    ),
    (rf"{B}{LEAD}(?:the\s+)?(?P<h>first|second)\s+half{YEAR_TAIL}{E}", _half, ("half",)),
    (
        rf"{B}{LEAD}(?-i:H(?P<h>[12]))\s*(?:of\s+)?(?:(?P<y>{YEAR})|(?P<rel>{REL})\s+year){E}",
        _half,
        ("H",),
    ),
    (
        rf"{B}{LEAD}(?P<mon>{MONTH})\s+(?:of\s+)?(?:(?P<y>{YEAR})|(?P<rel>this|next|last)\s+year){E}",
        _month_year,
        ("month",),
    ),
    (
        rf"{B}(?:on\s+)?(?P<mon>{MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?P<y>){E}(?!,?\s*\d)",
        _full_date,
        ("month",),
    ),
    (
        rf"{B}{LEAD}(?:(?:the\s+)?(?P<season>spring|summer|fall|autumn|winter)\s+(?:of\s+)?(?P<y>{YEAR})|(?P<rel>this|next|last)\s+(?P<season2>spring|summer|fall|autumn|winter)){E}",
        _season,
        ("season",),
    ),
    (
        rf"{B}(?:(?P<which>last|this|next|since|until|through|from)\s+|(?:(?:earlier|later)\s+)?(?:in|by|during|throughout|early|mid-?|late)\s+)(?P<mon>{MONTH}){E}(?!\s+\d)",
        _month_alone,
        ("month",),
    ),
    (
        rf"{B}(?:by\s+)?(?:the\s+)?(?:year[\s\-]end|end\s+of\s+the\s+year){E}",
        _year_end,
        ("year word",),
    ),
    (rf"{B}{LEAD}(?P<rel>{REL})\s+year{E}", _rel_year_phrase, ("year word",)),
    (
        rf"{B}(?:(?:earlier|later)\s+)?(?P<rel>this|next|last|previous)\s+month{E}",
        _rel_month,
        ("month word",),
    ),
    (
        rf"{B}(?:(?:earlier|later)\s+)?(?P<rel>this|next|last|previous)\s+week{E}",
        _rel_week,
        ("week",),
    ),
    (rf"{B}(?P<word>yesterday|today|tomorrow){E}", _rel_day, ("day word",)),
    (
        rf"{B}(?:on\s+)?(?:(?P<which>last|next|this)\s+)?(?P<wd>{WEEKDAY}){E}",
        _weekday,
        ("weekday",),
    ),
    (
        rf"{B}(?:{LEAD[:-1]}|(?:in|since|during|throughout|until|through|from|for|of|fiscal|year)\s+)(?P<y>{YEAR}){E}(?![\-/]\d)",
        _year,
        ("year",),
    ),
]


COMPILED = [(regex.compile(p, regex.IGNORECASE), h, frozenset(c)) for p, h, c in RULES]


def _cues(text: str) -> set[str]:
    """The cues of CUES_AS_WRITTEN and CUES_FOLDED that `text` has."""
    # casefold() maps every character that the rules' IGNORECASE matches to an ASCII letter onto
    # that letter, except "İ", which becomes "i" plus a combining dot; dropping the dot keeps the
    # test a superset of what the rules can match.
    folded = text.casefold().replace("\u0307", "")
    found = {name for name, pattern in CUES_AS_WRITTEN.items() if pattern.search(text)}
    found.update(_CUE_OF_WORD[w] for w in _CUE_WORD_RE.findall(folded))
    return found


def _apply_lead(m: regex.Match, period: Period) -> Period:
    lead = (m.groupdict().get("lead") or "").lower()
    if not lead:
        return period
    if "end" in lead or "close" in lead or lead.strip() == "by" or lead.startswith("by "):
        return Period(period.last, period.last, period.precision)
    if period.precision == "year" and period.first.month == 1 and period.last.month == 12:
        if lead.startswith("early"):
            return _quarter_period(period.first.year, 1)
        if lead.startswith("mid"):
            return Period(
                dt.date(period.first.year, 7, 1), dt.date(period.first.year, 7, 1), "month"
            )
        if lead.startswith("late"):
            return _quarter_period(period.first.year, 4)
    return period


def find_dates(
    text: str, pub: dt.date | None, start: int = 0, end: int | None = None
) -> list[DateRef]:
    """Every date phrase in `text[start:end]`, resolved against `pub`, in text order."""
    end = len(text) if end is None else end
    cues = _cues(text[start:end])
    if not cues:
        return []
    taken: list[tuple[int, int]] = []
    out: list[DateRef] = []
    for pattern, handler, needs in COMPILED:
        if not needs <= cues:
            continue
        for m in pattern.finditer(text, start, end):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            period = handler(m, pub)
            if period is not None:
                period = _apply_lead(m, period)
            taken.append((s, e))
            out.append(
                DateRef(
                    s,
                    e,
                    text[s:e],
                    period.first if period else None,
                    period.precision if period else None,
                )
            )
    out.sort(key=lambda r: r.start)
    return out


def resolve(phrase: str, pub: dt.date | None) -> tuple[dt.date | None, str | None]:
    """Resolve one phrase on its own: (date, precision), or (None, None)."""
    refs = find_dates(phrase, pub)
    if not refs:
        return None, None
    return refs[0].date, refs[0].precision
